#!/bin/bash
# The exporter's SHA-256 and base64 decoder (build/asan/access-tool)
# against coreutils on random inputs: lengths around SHA-256's block and
# padding boundaries, then random lengths up to 70 KB.  Each input's
# digest must equal sha256sum's, and base64's encoding of it must decode
# back to the same bytes.  Prints "N passed, N failed" last.
set -u
cd "$(dirname "$0")/../../.."
. tests/lib/tally.sh
tool=build/asan/access-tool
[ -x "$tool" ] || { fail "$tool exists" "make $tool"; finish; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
f=$work/in
sha_bad=0 b64_bad=0 n=0
for len in 0 1 2 3 54 55 56 57 63 64 65 119 120 127 128 129 \
    $(for _ in $(seq 40); do echo $((RANDOM * 3 % 70000)); done); do
  head -c "$len" /dev/urandom >"$f"
  want=$(sha256sum <"$f" | cut -d' ' -f1)
  got=$("$tool" sha256 <"$f")
  if [ "$want" != "$got" ]; then
    sha_bad=$((sha_bad + 1))
    echo "     sha256 of $len random bytes: $got, sha256sum says $want"
  fi
  if ! base64 -w0 "$f" | "$tool" b64dec | cmp -s - "$f"; then
    b64_bad=$((b64_bad + 1))
    echo "     base64 of $len random bytes does not decode back"
  fi
  n=$((n + 1))
done
if [ $sha_bad = 0 ]; then pass "SHA-256 equals sha256sum on $n random inputs"
else fail "SHA-256 equals sha256sum" "$sha_bad of $n differ"; fi
if [ $b64_bad = 0 ]; then pass "base64 -w0 output decodes back on $n random inputs"
else fail "base64 decodes back" "$b64_bad of $n differ"; fi
# And what base64 would never write is refused.
if printf 'Zm9v\nYmFy' | "$tool" b64dec >/dev/null; then
  fail "a newline inside base64 is refused"
else pass "a newline inside base64 is refused"; fi
finish
