#!/bin/bash
# The committed power-of-ten table (lib/uknum/pow10.c) must be exactly
# what its generator prints (build/linuxu/uknum-gen-pow10, which also
# checks uknum's logarithm approximations and fails if one is wrong).
# `make gen-pow10` rewrites the table.
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
finish
