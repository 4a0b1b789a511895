#!/bin/bash
# Boots the lwip-test kernel image with network boot options and checks
# what uk_lwip_net_init() makes of them: a static address (with gateway
# and DNS server), a malformed address (-EINVAL), and DHCP that gets no
# answer (-ETIMEDOUT after its 500 ms wait).
set -u
cd "$(dirname "$0")/../../.."
IMG=build/kvm/lwip-test.elf
. tests/lib/tally.sh
if [ ! -f "$IMG" ]; then
	echo "FAIL no $IMG (make kvm builds it; make NO_LWIP=1 leaves this test out)"
	echo "0 passed, 1 failed"
	exit 1
fi

run() { # name words...
	local name=$1 out
	shift
	out=$(QEMU_TIMEOUT=60 bash scripts/qemu-test.sh "$IMG" lwip_net_init "$@" 2>&1)
	if [ $? -eq 0 ] && grep -q '^ok   lwip_net_init_from_options' <<<"$out" &&
		grep -q '^1 passed, 0 failed' <<<"$out"; then
		pass "$name"
	else
		fail "$name"
		tail -n 15 <<<"$out"
	fi
}

run static_address net.ip=10.0.0.1/24 net.gw=10.0.0.254 net.dns=10.0.0.53 test.net_init=0
run static_default_prefix net.ip=10.0.0.9 test.net_init=0
run bad_address net.ip=10.0.0.1/33 test.net_init=-22
run bad_gateway net.ip=10.0.0.1/24 net.gw=10.0.0 test.net_init=-22
run dhcp_without_server test.net_init=-110

finish
