#!/bin/bash
# Tests of scripts/fetch-lwip.sh that need no network: the derivation of
# a private deb-src source list from the system's Debian sources, in the
# deb822 and one-line formats, on sample files.  (The download itself is
# exercised by building any kvm object that needs lwIP.)
set -u
cd "$(dirname "$0")/../../.."
FETCH=scripts/fetch-lwip.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/lib/tally.sh

same() { # name expected-file actual-file
	if diff -u "$2" "$3" >"$tmp/diff"; then
		pass "$1"
	else
		fail "$1"
		cat "$tmp/diff"
	fi
}

# deb822: comments go, Types becomes deb-src, other fields stay, a
# deb-src-only stanza and a stanza for another type are left out.
cat >"$tmp/in.sources" <<'X'
Types: deb
# a snapshot comment
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://mirror.example/debian
Suites: bookworm
Components: main

Types: deb deb-src
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main contrib
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
X
cat >"$tmp/want.sources" <<'X'
Types: deb-src
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main contrib
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
X
bash "$FETCH" --derive "$tmp/in.sources" >"$tmp/got.sources"
same deb822_stanzas "$tmp/want.sources" "$tmp/got.sources"

# One-line format: deb lines become deb-src lines, options kept.
cat >"$tmp/in.list" <<'X'
# comment
deb http://mirror.example/debian bookworm main
deb [signed-by=/usr/share/keyrings/k.gpg] http://mirror.example/debian bookworm-updates main
deb-src http://mirror.example/debian bookworm main
X
cat >"$tmp/want.list" <<'X'
deb-src http://mirror.example/debian bookworm main
deb-src [signed-by=/usr/share/keyrings/k.gpg] http://mirror.example/debian bookworm-updates main
X
bash "$FETCH" --derive "$tmp/in.list" >"$tmp/got.list"
same one_line_format "$tmp/want.list" "$tmp/got.list"

# The system's own file, if any, gives at least one deb-src stanza.
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
	bash "$FETCH" --derive /etc/apt/sources.list.d/debian.sources >"$tmp/sys"
	if grep -q '^Types: deb-src$' "$tmp/sys" && ! grep -q '^Types: deb$' "$tmp/sys"; then
		pass system_sources
	else
		fail system_sources; cat "$tmp/sys"
	fi
fi

# The pinned hash is the one this project checked once by hand.
if grep -Eq '^ORIG_SHA256=0a8276d0[0-9a-f]{50}8fde24$' "$FETCH"; then
	pass pinned_sha256
else
	fail pinned_sha256
fi

finish
