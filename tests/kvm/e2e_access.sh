#!/usr/bin/env bash
# The exporter's access control in the demo VM, set by boot options,
# through QEMU's hostfwd (host connections reach the guest from 10.0.2.2).
# ukprom.allow=10.0.2.99/32: the host is not on the list, its scrape gets
# no answer while the file server still does.  ukprom.allow=10.0.2.2/32
# ukprom.auth=prom:<sha256>: no credentials, a wrong password or a wrong
# user get 401 with a Basic challenge, the right ones 200, and nothing
# was denied.  A malformed ukprom.auth keeps the exporter, and the image,
# from starting.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/kvm/vm_test.sh
PW=s3cret
HASH=$(printf %s "$PW" | sha256sum | cut -d' ' -f1)

code() {
  curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$@"
}

expect_code() {  # NAME WANT ARGS...
  local name=$1 want=$2 got
  shift 2
  got=$(code "$@")
  if [ "$got" = "$want" ]; then pass "$name: $got"
  else fail "$name" "got '$got', want $want"; fi
}

if vmt_boot $VMT_STATIC ukprom.allow=10.0.2.99/32; then
  out=$(curl -s --max-time 10 "http://127.0.0.1:$VMT_MPORT/metrics" 2>&1)
  rc=$?
  # QEMU accepted the host's connection itself, so the guest's reset
  # reaches curl as an empty reply (52) or a reset (56).
  if { [ $rc = 52 ] || [ $rc = 56 ]; } && [ -z "$out" ]; then
    pass "a client outside ukprom.allow gets no answer (curl status $rc)"
  else
    fail "a client outside ukprom.allow gets no answer" "curl status $rc, '$out'"
  fi
  expect_code "the file server still answers" 200 \
    "http://127.0.0.1:$VMT_FPORT/hello.txt"
  vmt_alive "the VM is still running, no panic on its console"
  vm_stop
fi

if vmt_boot $VMT_STATIC ukprom.allow=10.0.2.2/32 "ukprom.auth=prom:$HASH"; then
  url="http://127.0.0.1:$VMT_MPORT"
  expect_code "no credentials" 401 "$url/metrics"
  hdr=$(curl -s --max-time 10 -D - -o /dev/null "$url/metrics" |
    tr -d '\r' | grep -i '^WWW-Authenticate:')
  if [ "$hdr" = 'WWW-Authenticate: Basic realm="ukmon", charset="UTF-8"' ]
  then pass "401 carries the Basic challenge"
  else fail "401 carries the Basic challenge" "'$hdr'"; fi
  expect_code "wrong password" 401 -u "prom:s3cres" "$url/metrics"
  expect_code "wrong user" 401 -u "Prom:$PW" "$url/metrics"
  expect_code "right credentials" 200 -u "prom:$PW" "$url/metrics"
  m=$(curl -s --max-time 10 -u "prom:$PW" "$url/metrics")
  n401=$(awk '$1 == "ukprom_http_errors_total{code=\"401\"}" { print $2 }' <<<"$m")
  nden=$(awk '$1 == "ukprom_denied_connections_total" { print $2 }' <<<"$m")
  if [ "$n401" = 4 ] && [ "$nden" = 0 ]; then
    pass "4 401s and no denial counted"
  else
    fail "4 401s and no denial counted" "401: '$n401', denied: '$nden'"
  fi
  vmt_alive "the VM is still running, no panic on its console"
  vm_stop
fi

# A malformed setting: the image stops instead of serving unprotected.
if VM_READY_TIMEOUT=20 vm_start "$VMT_IMG" "$(vm_free_port)" \
    "$(vm_free_port)" $VMT_STATIC ukprom.auth=prom:abcd 2>/dev/null; then
  fail "a malformed ukprom.auth stops the image" "the exporter listens"
elif grep -q 'check ukprom.allow and ukprom.auth' "$VM_LOG"; then
  pass "a malformed ukprom.auth stops the image, naming the options"
else
  fail "a malformed ukprom.auth stops the image" "console follows"
  sed 's/^/     /' "$VM_LOG" | tail -n 5
fi
vm_stop
finish
