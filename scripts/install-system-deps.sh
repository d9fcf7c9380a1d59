#!/usr/bin/env bash
# Debian packages the tests need: real DNS servers for the interop and
# differential tests (BIND 9, Knot, NSD authoritative; unbound as a recursive
# resolver; dnsmasq as a forwarder) and Chromium for the browser test. Idempotent; needs root.
# Services that apt may start are stopped again (through systemd or their pid
# files, never by name): the tests start their own servers on ports they choose.
set -euo pipefail
need=()
command -v named >/dev/null 2>&1 || need+=(bind9 bind9-utils)
command -v dig >/dev/null 2>&1 || need+=(bind9-dnsutils)
command -v knotd >/dev/null 2>&1 || need+=(knot)
command -v nsd >/dev/null 2>&1 || [ -x /usr/sbin/nsd ] || need+=(nsd)
command -v unbound >/dev/null 2>&1 || [ -x /usr/sbin/unbound ] || need+=(unbound)
command -v dnsmasq >/dev/null 2>&1 || [ -x /usr/sbin/dnsmasq ] || need+=(dnsmasq-base)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  made_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
  if [ -n "$made_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
fi
if [ -d /run/systemd/system ]; then
  systemctl disable --now named.service knot.service nsd.service unbound.service 2>/dev/null || true
else
  for f in /run/named/named.pid /run/knot/knot.pid /run/nsd/nsd.pid /run/unbound.pid; do
    if [ -s "$f" ]; then kill "$(cat "$f")" 2>/dev/null || true; fi
  done
fi
if [ -e /sys/kernel/security/apparmor ] && [ -e /etc/apparmor.d/usr.sbin.named ]; then
  ln -sf /etc/apparmor.d/usr.sbin.named /etc/apparmor.d/disable/
  apparmor_parser -R /etc/apparmor.d/usr.sbin.named 2>/dev/null || true
fi
echo "system packages: $(command -v named) $(command -v knotd) $(command -v nsd) $(command -v unbound) $(command -v dnsmasq) $(command -v chromium)"
