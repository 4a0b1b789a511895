#!/usr/bin/env bash
# Standard tooling, unchanged, on a real make run: the demo VM (with its
# disk and share) scraped by Prometheus as job "node" under a little
# file-server load, then
#   - Debian's console /consoles/node.html lists the VM, up, with its CPU
#     and memory figures;
#   - Debian's console /consoles/node-overview.html?instance=... rendered
#     by headless Chromium: the page text (--dump-dom) names the VM and
#     shows a number, not a blank, in every row of the CPU, memory,
#     network, disk and file-system panels; a screenshot is kept in
#     build/tooling/node-overview.png;
#   - the standard node alerts (scripts/rules/node-alerts.yml) are
#     loaded, every rule evaluates without error, and on this healthy VM
#     none is pending or firing;
#   - scripts/node-acceptance.py: every panel of Grafana's Node Exporter
#     Full in its two default rows shows data with its template
#     variables resolved, and the node-mixin alerts evaluate (its lines
#     are folded into this test's totals).
# Debian's chromium runs as root only with --no-sandbox.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tally.sh
. tests/tooling/node_vm.sh
trap 'rm -rf "$NVM_WORK"; _vmt_cleanup' EXIT
OUT=build/tooling
mkdir -p "$OUT"

nvm_start || { finish; exit 1; }
nvm_load
nvm_scrapes 8 && pass "Prometheus holds 8 scrapes of the VM" ||
  fail "Prometheus holds 8 scrapes of the VM"
nvm_load
sleep 2

# ---- the console, through a browser ----
# The time range of its graphs (the #pctc part) is the last 2 minutes.
url="$NVM_PROM/consoles/node-overview.html?instance=$NVM_INSTANCE#pctc%7B%22duration%22%3A120%2C%22endTime%22%3A0%7D"
code=$(curl -s -o "$NVM_WORK/console.html" -w '%{http_code}' --max-time 10 "$url")
[ "$code" = 200 ] && pass "GET /consoles/node-overview.html: 200" ||
  fail "GET /consoles/node-overview.html: 200" "got $code: $(head -c 300 "$NVM_WORK/console.html")"

# table_rows HTML: the page's table rows, one "cell<TAB>cell..." a line,
# after "TITLE<TAB>" its h1.
table_rows() {
  /usr/bin/python3 - "$1" <<'PY'
import html.parser, sys
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.rows = []; s.cell = None; s.row = None; s.h1 = None; s.inh1 = False
    def handle_starttag(s, t, a):
        if t == "tr": s.row = []
        elif t in ("td", "th") and s.row is not None: s.cell = ""
        elif t == "h1": s.inh1 = True; s.h1 = ""
    def handle_endtag(s, t):
        if t in ("td", "th") and s.cell is not None and s.row is not None:
            s.row.append(" ".join(s.cell.split())); s.cell = None
        elif t == "tr" and s.row is not None:
            s.rows.append(s.row); s.row = None
        elif t == "h1": s.inh1 = False
    def handle_data(s, d):
        if s.cell is not None: s.cell += d
        if s.inh1: s.h1 += d
p = P(); p.feed(open(sys.argv[1]).read())
print("TITLE\t%s" % " ".join((p.h1 or "").split()))
for r in p.rows:
    print("\t".join(r))
PY
}

# chrome ARGS...: headless Chromium, at most 40 s, its chatter dropped.
chrome() {
  timeout 40 chromium --headless --no-sandbox --disable-gpu \
    --disable-dev-shm-usage --hide-scrollbars --no-first-run \
    --user-data-dir="$NVM_WORK/chromium" --virtual-time-budget=5000 \
    "$@" 2>>"$NVM_WORK/chromium.log"
}
chrome --dump-dom "$url" >"$NVM_WORK/dom.html"
table_rows "$NVM_WORK/dom.html" >"$NVM_WORK/rows.txt"
sed 's/^/     | /' "$NVM_WORK/rows.txt"
grep -q "^TITLE	Node Overview - 127.0.0.1" "$NVM_WORK/rows.txt" &&
  pass "the page names the VM: $(sed -n 's/^TITLE\t//p' "$NVM_WORK/rows.txt")" ||
  fail "the page names the VM" "$(head -n 1 "$NVM_WORK/rows.txt")"

# row_number NAME PATTERN: the row whose label matches PATTERN has a
# number (with its unit) as its value.
row_number() {
  local v
  v=$(awk -F'\t' -v p="$2" '$1 ~ p && NF >= 2 { print $2; exit }' "$NVM_WORK/rows.txt")
  if printf '%s' "$v" | grep -Eq '^~?-?[0-9][0-9.]*(e[-+]?[0-9]+)?( ?[a-zA-Z%/]*)?$'; then
    pass "console: $1 = $v"
  else
    fail "console: $1 shows a number" "got '${v}'"
  fi
}
row_number "User CPU" '^User CPU$'
row_number "System CPU" '^System CPU$'
row_number "Memory Total" '^Memory Total$'
row_number "Memory Free" '^Memory Free$'
row_number "eth0 Received" '^eth0 Received$'
row_number "eth0 Transmitted" '^eth0 Transmitted$'
row_number "disk vda Utilization" '^vda Utilization$'
row_number "disk vda Throughput" '^vda Throughput$'
row_number "file system / fullness" '^/$'
row_number "file system /site fullness" '^/site$'
for g in Cores "Disk I/O Utilization (%)" "Memory (B)"; do
  if awk -F'\t' -v g="$g" '$1 == g { print $2 }' "$NVM_WORK/rows.txt" |
     grep -q 'No timeseries returned'; then
    fail "console: the graph \"$g\" draws" "No timeseries returned"
  else
    pass "console: the graph \"$g\" draws"
  fi
done

# The list of nodes, rendered by the server alone.
curl -s --max-time 10 -o "$NVM_WORK/nodes.html" "$NVM_PROM/consoles/node.html"
table_rows "$NVM_WORK/nodes.html" >"$NVM_WORK/nodes.txt"
row=$(awk -F'\t' -v i="$NVM_INSTANCE" '$1 == i' "$NVM_WORK/nodes.txt")
if printf '%s' "$row" | grep -Eq "^$NVM_INSTANCE	Yes	[0-9.]+%	[0-9.]+[kMG]i?B\$"; then
  pass "node.html lists the VM up, with CPU used and memory available: $(echo "$row" | tr '\t' ' ')"
else
  fail "node.html lists the VM up, with CPU used and memory available" "got '$(echo "$row" | tr '\t' ' ')'"
fi

chrome --screenshot="$OUT/node-overview.png" --window-size=1280,1400 "$url" >/dev/null
if file "$OUT/node-overview.png" 2>/dev/null | grep -q 'PNG image data'; then
  pass "screenshot: $OUT/node-overview.png ($(file -b "$OUT/node-overview.png" | cut -d, -f2))"
else
  fail "screenshot: $OUT/node-overview.png" "$(tail -n 3 "$NVM_WORK/chromium.log")"
fi

# ---- the alerts, as Prometheus evaluates them ----
curl -s --max-time 5 "$NVM_PROM/api/v1/rules" >"$NVM_WORK/rules.json"
/usr/bin/python3 - "$NVM_WORK/rules.json" scripts/rules/node-alerts.yml >"$NVM_WORK/rules.txt" <<'PY'
import json, sys
want = sum(1 for l in open(sys.argv[2]) if l.strip().startswith("- alert:"))
rules = [r for g in json.load(open(sys.argv[1]))["data"]["groups"] for r in g["rules"]]
bad = ["%s: %s %s" % (r["name"], r.get("health"), r.get("lastError", "")) for r in rules
       if r.get("health") != "ok"]
active = ["%s %s" % (r["name"], r["state"]) for r in rules if r.get("state") != "inactive"]
print(len(rules), want, "; ".join(bad) or "-", "; ".join(active) or "-", sep="\t")
PY
IFS=$'\t' read -r n want bad active <"$NVM_WORK/rules.txt"
[ "$n" = "$want" ] && pass "Prometheus loaded the $want node alerts" ||
  fail "Prometheus loaded the $want node alerts" "it has $n"
[ "$bad" = - ] && pass "every alert evaluates without error" ||
  fail "every alert evaluates without error" "$bad"
[ "$active" = - ] && pass "a healthy VM: no alert pending or firing" ||
  fail "a healthy VM: no alert pending or firing" "$active"

# ---- Grafana's Node Exporter Full and the node-mixin ----
/usr/bin/python3 scripts/node-acceptance.py --prom "$NVM_PROM" \
  --window 10 >"$NVM_WORK/acceptance.out" 2>&1
sed 's/^/     | /' "$NVM_WORK/acceptance.out"
absorb "$NVM_WORK/acceptance.out" "scripts/node-acceptance.py"

vmt_alive "the VM is still running, no panic on its console"
finish
