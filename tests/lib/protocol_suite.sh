#!/usr/bin/env bash
# Every HOST PORT protocol test of this folder against one running
# exporter, for targets that some other script started (the kvm VM
# behind QEMU's hostfwd, say):
#   protocol_suite.sh HOST PORT [PROMQL...]
# runs scrape_formats.sh, http_bad_requests.py, http_conns.py idle and
# prometheus_scrape.sh (with the PROMQL expressions).  Environment:
#   MAX_CONNS=N     the target's connection limit: also runs the overflow
#                   test (start the target with that limit, e.g. 4)
# Prints each test's lines and the summed "N passed, N failed" last.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tally.sh"
[ $# -ge 2 ] || { echo "usage: $0 HOST PORT [PROMQL...]" >&2; exit 2; }
host=$1 port=$2
shift 2
tmp=${E2E_TMP:-/tmp}
log=$(mktemp "$tmp/protocol_suite.XXXXXX")
trap 'rm -f "$log"' EXIT

sub() {  # NAME CMD...
  local name=$1
  shift
  echo "--- $name"
  "$@" >"$log" 2>&1
  sed '$d' "$log"
  absorb "$log" "$name"
}

sub formats bash "$here/scrape_formats.sh" "$host" "$port"
sub bad_requests /usr/bin/python3 "$here/http_bad_requests.py" "$host" "$port"
sub idle /usr/bin/python3 "$here/http_conns.py" "$host" "$port" idle 64
if [ -n "${MAX_CONNS:-}" ]; then
  sub overflow /usr/bin/python3 "$here/http_conns.py" "$host" "$port" \
    overflow "$MAX_CONNS"
fi
sub prometheus bash "$here/prometheus_scrape.sh" "$host" "$port" "$@"
finish
