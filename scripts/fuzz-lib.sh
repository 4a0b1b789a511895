# Shared by the fuzz test scripts (sourced): runs one libFuzzer target
# from build/fuzz for a bounded time from a seed corpus, and reports the
# result as a test ("1 passed, 0 failed", or the crash input and
# "0 passed, 1 failed").
#
#   fuzz_setup NAME      checks build/fuzz/NAME exists; sets FUZZ_CORPUS,
#                        the folder where the caller writes its seeds
#   fuzz_run SECS MAXLEN runs it (FUZZ_SECONDS overrides SECS) and exits
# The corpus is a throw-away folder, unless FUZZ_CORPUS_DIR names one to
# keep (make fuzz-long, scripts/fuzz-long.sh); crash inputs then go to
# FUZZ_ARTIFACTS.
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
	FUZZ_CORPUS=${FUZZ_CORPUS_DIR:-$FUZZ_WORK/corpus}
	FUZZ_ART=${FUZZ_ARTIFACTS:-$FUZZ_WORK/art}
	mkdir -p "$FUZZ_CORPUS" "$FUZZ_ART"
}

fuzz_run() {
	local f
	if "$FUZZ_BIN" -max_total_time="${FUZZ_SECONDS:-$1}" -max_len="$2" \
		-timeout=10 -artifact_prefix="$FUZZ_ART/" \
		"$FUZZ_CORPUS" >"$FUZZ_WORK/log" 2>&1; then
		grep -E '^Done|stat::' "$FUZZ_WORK/log" | tail -n 3 || true
		echo "1 passed, 0 failed"
		exit 0
	fi
	tail -n 40 "$FUZZ_WORK/log"
	for f in "$FUZZ_ART"/*; do
		[ -e "$f" ] && { echo "failing input:"; od -c "$f" | head -20; }
	done
	echo "0 passed, 1 failed"
	exit 1
}
