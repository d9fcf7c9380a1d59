#!/usr/bin/env bash
# Debian packages the integration tests need (real DNS servers on loopback).
# Idempotent; needs root. Services apt may start are stopped again: the tests
# start their own servers on ports they choose.
set -euo pipefail
need=()
command -v named >/dev/null 2>&1 || need+=(bind9 bind9-utils)
command -v knotd >/dev/null 2>&1 || need+=(knot)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
command -v named && command -v knotd
