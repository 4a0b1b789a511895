#!/bin/bash
# Networking in the VM, end to end: boots the lwip-nic-test image with a
# virtio-net NIC on QEMU's user network (DHCP from QEMU) and a host
# forward from a loopback port to the guest's exporter (port 9100), then
# scrapes it from the host in both formats, checks the exposition with
# promtool, measures scrape latency, and asks for /quit so the guest
# ends its test.  Twice: with DHCP, then with a static address from the
# boot options.  Only 127.0.0.1 is ever contacted.
set -u
cd "$(dirname "$0")/../../.."
IMG=build/kvm/lwip-nic-test.elf
. tests/lib/tally.sh
if [ ! -f "$IMG" ]; then
	echo "FAIL no $IMG (make kvm builds it; make NO_LWIP=1 leaves this test out)"
	echo "0 passed, 1 failed"
	exit 1
fi
tmp=$(mktemp -d)
qpid=
cleanup() {
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

ok() { pass "$1"; }
ko() { fail "$1"; }

scenario() { # name, then the image's boot words
	local sc=$1 port url up rc
	shift
	port=$(free_port)
	QEMU_TIMEOUT=150 QEMU_FWD="$port:9100" \
		bash scripts/qemu-test.sh "$IMG" "$@" >"$tmp/console" 2>&1 &
	qpid=$!

	url=http://127.0.0.1:$port
	up=0
	for _ in $(seq 1 120); do
		if curl -s -m 2 -o "$tmp/m0" -w '%{http_code}' "$url/metrics" 2>/dev/null | grep -q 200; then
			up=1
			break
		fi
		kill -0 "$qpid" 2>/dev/null || break
		sleep 0.5
	done
	if [ $up = 1 ]; then ok "$sc: exporter_reachable"; else ko "$sc: exporter_reachable"; fi

	if [ $up = 1 ]; then
		curl -s -m 5 -D "$tmp/h1" -o "$tmp/text" "$url/metrics"
		if grep -qi '^content-type: text/plain; version=0.0.4' "$tmp/h1" &&
			grep -q '^netdev_rx_packets_total{device="eth0"} [1-9]' "$tmp/text" &&
			grep -q '^lwip_recv_total{proto="tcp"} [1-9]' "$tmp/text" &&
			grep -q '^lwip_pool_avail{pool="tcp_pcb"} ' "$tmp/text" &&
			grep -q '^lwip_tcp_passive_opens_total [1-9]' "$tmp/text" &&
			grep -q '^lwip_tcp_established [1-9]' "$tmp/text"; then
			ok "$sc: text_exposition"
		else
			ko "$sc: text_exposition"; head -20 "$tmp/h1" "$tmp/text"
		fi
		# promtool parses the exposition and lints it; a parse error, or a
		# lint finding about this library's families (lwip_, netdev_), fails.
		# Other libraries' findings are shown, not judged here.
		if command -v promtool >/dev/null; then
			promtool check metrics <"$tmp/text" >"$tmp/lint" 2>&1
			if grep -Eqi 'error while linting|parsing error' "$tmp/lint" ||
				grep -Eq '^(lwip|netdev)_' "$tmp/lint"; then
				ko "$sc: promtool_check"; head -20 "$tmp/lint"
			else
				ok "$sc: promtool_check"
				sed 's/^/  promtool (other libraries): /' "$tmp/lint"
			fi
		fi
		curl -s -m 5 -H 'Accept: application/openmetrics-text; version=1.0.0' \
			-D "$tmp/h2" -o "$tmp/om" "$url/metrics"
		if grep -qi '^content-type: application/openmetrics-text' "$tmp/h2" &&
			[ "$(tail -n 1 "$tmp/om")" = "# EOF" ]; then
			ok "$sc: openmetrics_exposition"
		else
			ko "$sc: openmetrics_exposition"; head -5 "$tmp/h2"; tail -3 "$tmp/om"
		fi
		# Latency of 20 sequential scrapes, each on a new connection.
		for _ in $(seq 1 20); do
			curl -s -m 5 -o /dev/null -w '%{time_total}\n' "$url/metrics"
		done >"$tmp/lat"
		if [ "$(grep -c . "$tmp/lat")" = 20 ]; then
			sort -n "$tmp/lat" | awk -v sc="$sc" '{a[NR]=$1} END {printf "  " sc ": scrape latency over the NIC (TCG): median %.1f ms, max %.1f ms, %d bytes\n", a[int((NR+1)/2)]*1000, a[NR]*1000, 0}' | sed "s/, 0 bytes/, $(wc -c <"$tmp/text") bytes/"
			ok "$sc: twenty_scrapes"
		else
			ko "$sc: twenty_scrapes"
		fi
		curl -s -m 5 -o /dev/null "$url/quit"
	fi

	wait "$qpid"
	rc=$?
	qpid=
	if [ $rc -eq 0 ] && grep -q '^1 passed, 0 failed' "$tmp/console"; then
		ok "$sc: guest_test"
	else
		ko "$sc: guest_test (exit $rc)"
	fi
	grep -E '^  (network up|scrapes served|eth0:)' "$tmp/console" | sed "s/^/  $sc:/"
	[ "$T_FAILED" -ne 0 ] && tail -n 20 "$tmp/console"
}

scenario dhcp "$@"
scenario static net.ip=10.0.2.15/24 net.gw=10.0.2.2 net.dns=10.0.2.3 "$@"

finish
