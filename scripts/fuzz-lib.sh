# Shared by the fuzz test scripts (sourced): runs one libFuzzer target
# from build/fuzz for a bounded time from a seed corpus, and reports the
# result as a test ("1 passed, 0 failed", or the crash input and
# "0 passed, 1 failed").
#
#   fuzz_setup NAME      checks build/fuzz/NAME exists; sets FUZZ_CORPUS,
#                        the folder where the caller writes its seeds
#   fuzz_run SECS MAXLEN runs it (FUZZ_SECONDS overrides SECS) and exits
FUZZ_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

fuzz_setup() {
	FUZZ_BIN=$FUZZ_TOP/build/fuzz/$1
	if [ ! -x "$FUZZ_BIN" ]; then
		echo "$1: $FUZZ_BIN missing (make fuzz)"
		echo "0 passed, 1 failed"
		exit 1
	fi
	FUZZ_WORK=$(mktemp -d)
	trap 'rm -rf "$FUZZ_WORK"' EXIT
	FUZZ_CORPUS=$FUZZ_WORK/corpus
	mkdir -p "$FUZZ_CORPUS" "$FUZZ_WORK/art"
}

fuzz_run() {
	local f
	if "$FUZZ_BIN" -max_total_time="${FUZZ_SECONDS:-$1}" -max_len="$2" \
		-timeout=10 -artifact_prefix="$FUZZ_WORK/art/" \
		"$FUZZ_CORPUS" >"$FUZZ_WORK/log" 2>&1; then
		grep -E '^Done|stat::' "$FUZZ_WORK/log" | tail -n 3 || true
		echo "1 passed, 0 failed"
		exit 0
	fi
	tail -n 40 "$FUZZ_WORK/log"
	for f in "$FUZZ_WORK"/art/*; do
		[ -e "$f" ] && { echo "failing input:"; od -c "$f" | head -20; }
	done
	echo "0 passed, 1 failed"
	exit 1
}
