#!/usr/bin/env bash
# Static store entries cost nothing at boot.
#
# Generates two tiny linuxu programs that are identical except that the
# second links 1,000 extra static entries of library "cost", builds them
# with the linuxu variant's flags, and counts with callgrind the
# instructions executed from the first instruction of the process (the
# dynamic loader's entry) up to main().  The test passes when that count
# does not grow with the entries.  Each program also walks the store and
# prints how many "cost" entries it sees, so the test cannot pass because
# the entries were dropped.
#
# The programs are linked with -no-pie.  An entry descriptor holds
# pointers (name, help, getter, cookie); in a position-independent
# executable each of them needs a relative relocation that the dynamic
# loader applies before main(), which is work proportional to the number
# of entries, done by ld.so and not by ukstore (the kernel image is linked
# at a fixed address and has none).  Linking at a fixed address resolves
# them at link time, so what remains to measure is ukstore's own start-up
# cost.  The PIE figures are printed too, for information.
set -u
cd "$(dirname "$0")/../../.."
. tests/lib/tally.sh
ok() { pass "$*"; }
ko() { fail "$*"; }

if ! command -v valgrind >/dev/null; then
  ko "valgrind is not installed"
  finish
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The linuxu variant's compiler, flags and the sources of ukstore's
# library closure, from the build system itself.
vars=$(make -s --no-print-directory -f Makefile -f - print-cost-vars <<'MK'
print-cost-vars:
	@echo 'CC=$(CC-linuxu)'
	@echo 'CFLAGS=$(CFLAGS-linuxu) $(addprefix -I,$(INCS-host))'
	@echo 'LDFLAGS=$(LDFLAGS-linuxu)'
	@echo 'SRCS=$(sort $(call libsrcs,linuxu,$(call libclosure,ukstore linuxu linuxu_threads)))'
MK
) || { ko "cannot read the build variables"; finish; exit 1; }
CC=$(sed -n 's/^CC=//p' <<<"$vars")
CFLAGS=$(sed -n 's/^CFLAGS=//p' <<<"$vars")
LDFLAGS=$(sed -n 's/^LDFLAGS=//p' <<<"$vars")
SRCS=$(sed -n 's/^SRCS=//p' <<<"$vars")

cat >"$tmp/main.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <uk/store.h>

UK_STORE_LIBRARY(cost);

static int on_entry(void *arg, const struct uk_store_ref *ref)
{
	if (!strcmp(ref->lib->name, "cost"))
		++*(unsigned int *)arg;
	return 0;
}

int main(void)
{
	static const struct uk_store_walk_ops ops = { NULL, NULL, on_entry };
	unsigned int n = 0;

	if (uk_store_walk(&ops, &n))
		return 1;
	printf("cost entries: %u\n", n);
	return 0;
}
C
{
  echo '#include <stdint.h>'
  echo '#include <uk/store.h>'
  echo 'static uint64_t values[1000];'
  echo 'static int get(void *c, uint64_t *o) { *o = *(uint64_t *)c; return 0; }'
  for i in $(seq 0 999); do
    echo "UK_STORE_STATIC_ENTRY(cost, e$i, u64, counter, none, \"Entry $i.\", get, NULL, &values[$i]);"
  done
} >"$tmp/entries.c"

objs=()
for s in $SRCS "$tmp/main.c" "$tmp/entries.c"; do
  o="$tmp/obj/$(tr / _ <<<"$s").o"
  mkdir -p "$tmp/obj"
  # shellcheck disable=SC2086
  $CC $CFLAGS -c "$s" -o "$o" || { ko "compiling $s"; finish; exit 1; }
  case "$s" in "$tmp"/*) ;; *) objs+=("$o") ;; esac
done
mainobj="$tmp/obj/$(tr / _ <<<"$tmp/main.c").o"
entobj="$tmp/obj/$(tr / _ <<<"$tmp/entries.c").o"
link() { # out, pie-flag, extra objects...
  local out=$1 pie=$2; shift 2
  # shellcheck disable=SC2086
  $CC $LDFLAGS $pie -o "$out" "${objs[@]}" "$mainobj" "$@"
}
link "$tmp/p0" -no-pie && link "$tmp/p1" -no-pie "$entobj" &&
  link "$tmp/q0" -pie && link "$tmp/q1" -pie "$entobj" ||
  { ko "linking"; finish; exit 1; }

# Instructions from process start to main(), as callgrind counts them.
boot_cost() {
  local prog=$1 out="$tmp/cg.$(basename "$1")"
  valgrind --tool=callgrind --dump-before=main --callgrind-out-file="$out" \
    "$prog" >/dev/null 2>"$out.log" || return 1
  # The first dump is taken on entering main.
  sed -n 's/^summary: *//p' "$out.1" | head -n 1
}

n0=$("$tmp/p0" | sed -n 's/^cost entries: //p')
n1=$("$tmp/p1" | sed -n 's/^cost entries: //p')
echo "entries seen by the programs: base $n0, with entries $n1"
if [ "$n0" = 0 ] && [ "$n1" = 1000 ]; then
  ok "the 1,000 static entries are linked and walked"
else
  ko "expected 0 and 1000 entries, got '$n0' and '$n1'"
fi

c0=$(boot_cost "$tmp/p0"); c1=$(boot_cost "$tmp/p1")
echo "instructions before main (-no-pie): base $c0, with 1,000 entries $c1"
if [ -z "$c0" ] || [ -z "$c1" ]; then
  ko "callgrind gave no counts"
elif [ "$c1" -le "$c0" ]; then
  ok "static entries add no start-up instructions ($c1 <= $c0)"
else
  ko "1,000 entries added $((c1 - c0)) instructions before main"
fi
d0=$(boot_cost "$tmp/q0"); d1=$(boot_cost "$tmp/q1")
echo "for information, as PIE: base $d0, with 1,000 entries $d1" \
  "(the dynamic loader's relocations)"
finish
