#!/bin/bash
# uknum's checks on the tree rather than on behaviour:
#  - the committed power-of-ten table (lib/uknum/pow10.c) is exactly what
#    its generator prints (build/linuxu/uknum-gen-pow10, which also checks
#    the logarithm approximations and fails if one is wrong); `make
#    gen-pow10` rewrites the table;
#  - the kernel build of uknum is freestanding: its objects reference no
#    symbol but their own (no libc, not even memcpy);
#  - the x87 extended type (long, then double) is used nowhere in lib/,
#    not even named in a comment.
set -u
cd "$(dirname "$0")/../../.."
. tests/lib/tally.sh
gen=build/linuxu/uknum-gen-pow10
out=$(mktemp)
trap 'rm -f "$out"' EXIT
if [ ! -x "$gen" ]; then
	fail "generator" "$gen missing (make linuxu)"
elif ! "$gen" >"$out"; then
	fail "generator" "a logarithm approximation is wrong"
else
	pass "generator: logarithm approximations exact"
	if cmp -s "$out" lib/uknum/pow10.c; then
		pass "lib/uknum/pow10.c is the generator's output"
	else
		fail "lib/uknum/pow10.c" "differs from the generator's output (make gen-pow10)"
		diff "$out" lib/uknum/pow10.c | head -20
	fi
fi

objs=(build/kvm/obj/lib/uknum/*.o)
if [ ! -e "${objs[0]}" ]; then
	fail "freestanding" "no kernel objects of uknum (make kvm)"
else
	ext=$(nm -u "${objs[@]}" | awk 'NF == 2 && $2 !~ /^_?uk_num_/ { print $2 }' | sort -u)
	if [ -z "$ext" ]; then
		pass "freestanding: the kernel objects of uknum reference only uknum"
	else
		fail "freestanding" "uknum references $(echo $ext)"
	fi
fi

if grep -rnE 'long[[:space:]]+double' lib/; then
	fail "no x87 extended type in lib/"
else
	pass "no x87 extended type in lib/"
fi
finish
