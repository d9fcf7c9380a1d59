#!/usr/bin/env bash
# Debian packages the tests need: real DNS servers for the interop and
# differential tests (BIND 9, Knot, NSD authoritative; unbound as a recursive
# resolver; dnsmasq as a forwarder; dnsdist, knot-resolver and unbound for
# DoT/DoH; BIND's dnssec-keygen/dnssec-signzone, delv and unbound for the DNSSEC
# interop tests; Knot's keymgr/knotd for the Knot-signed hierarchy, with
# libfaketime to sign its expired and not-yet-valid zones), DNS clients that speak DoT/DoH (kdig, dig, curl's --doh-url), h2load and dnsperf
# for the bridge bench, and Chromium for the browser test. Idempotent; needs root.
# Services that apt may start are stopped again (through systemd or their pid
# files, never by name): the tests start their own servers on ports they choose.
set -euo pipefail
need=()
command -v named >/dev/null 2>&1 || need+=(bind9 bind9-utils)
command -v dig >/dev/null 2>&1 || need+=(bind9-dnsutils)
command -v delv >/dev/null 2>&1 || need+=(bind9-dnsutils)
command -v dnssec-signzone >/dev/null 2>&1 || need+=(bind9-utils)
command -v unbound >/dev/null 2>&1 || [ -x /usr/sbin/unbound ] || need+=(unbound)
command -v knotd >/dev/null 2>&1 || need+=(knot)
command -v faketime >/dev/null 2>&1 || need+=(faketime)
command -v nsd >/dev/null 2>&1 || [ -x /usr/sbin/nsd ] || need+=(nsd)
command -v dnsmasq >/dev/null 2>&1 || [ -x /usr/sbin/dnsmasq ] || need+=(dnsmasq-base)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v kdig >/dev/null 2>&1 || need+=(knot-dnsutils)
command -v h2load >/dev/null 2>&1 || need+=(nghttp2-client)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v dnsperf >/dev/null 2>&1 || need+=(dnsperf)
command -v dnsdist >/dev/null 2>&1 || need+=(dnsdist)
command -v kresd >/dev/null 2>&1 || need+=(knot-resolver)
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
  systemctl disable --now named.service knot.service nsd.service unbound.service dnsdist.service kresd@1.service 2>/dev/null || true
else
  for f in /run/named/named.pid /run/knot/knot.pid /run/nsd/nsd.pid /run/unbound.pid /run/dnsdist/dnsdist.pid; do
    if [ -s "$f" ]; then kill "$(cat "$f")" 2>/dev/null || true; fi
  done
fi
if [ -e /sys/kernel/security/apparmor ] && [ -e /etc/apparmor.d/usr.sbin.named ]; then
  ln -sf /etc/apparmor.d/usr.sbin.named /etc/apparmor.d/disable/
  apparmor_parser -R /etc/apparmor.d/usr.sbin.named 2>/dev/null || true
fi
echo "system packages: $(command -v named) $(command -v knotd) $(command -v nsd) $(command -v unbound) $(command -v dnsmasq) $(command -v chromium) $(command -v kdig) $(command -v h2load) $(command -v curl) $(command -v dnsperf) $(command -v dnsdist) $(command -v kresd)"
