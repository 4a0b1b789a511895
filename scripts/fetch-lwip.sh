#!/bin/bash
# Fetches the lwIP 2.1.3 sources the kvm kernel's network stack is built
# from.  lwIP is never vendored: this script takes the unpatched orig
# tarball of Debian's source package "lwip", checks it against a pinned
# SHA-256 and unpacks it into build/lwip/src.  apt is run with a private
# configuration (a deb-src twin of the system's Debian sources, private
# lists and caches under build/apt), so the system's apt state is never
# touched.  The registry's address is read from the system's own apt
# sources at run time and never written into the repository.
#
# Usage: scripts/fetch-lwip.sh [BUILD_DIR]       (default: build)
#        scripts/fetch-lwip.sh --derive FILE     (prints the deb-src twin
#                                                 of a deb822 or one-line
#                                                 sources file; for tests)
# A second run with the tree present and verified is a fast no-op.
set -euo pipefail

LWIP_VERSION=2.1.3
# Debian repacks upstream without non-free files ("+dfsg1"); the sources
# we build are unchanged.
ORIG=lwip_${LWIP_VERSION}+dfsg1.orig.tar.xz
ORIG_SHA256=0a8276d09fc4e97bbba2f953d74af2388fc2195ea156be9d7589e297a68fde24

# derive_debsrc FILE: prints deb-src entries equivalent to the deb entries
# of FILE.  A deb822 file (stanzas of "Field: value" lines separated by
# blank lines) keeps each stanza whose Types include "deb" with Types set
# to deb-src, every other field (URIs, Suites, Components, Signed-By) as
# found; comments are dropped.  A one-line sources.list keeps its "deb"
# lines as "deb-src" lines, options in brackets included.
derive_debsrc() {
	local file=$1
	if grep -Eq '^[[:space:]]*Types:' "$file"; then
		awk '
		function flush() {
			if (n > 0 && isdeb) {
				if (printed) print ""
				for (i = 1; i <= n; i++) print lines[i]
				printed = 1
			}
			n = 0; isdeb = 0
		}
		/^[[:space:]]*#/ { next }
		/^[[:space:]]*$/ { flush(); next }
		/^Types:/ {
			t = $0; sub(/^Types:[[:space:]]*/, "", t)
			m = split(t, ts, /[[:space:]]+/)
			for (j = 1; j <= m; j++) if (ts[j] == "deb") isdeb = 1
			lines[++n] = "Types: deb-src"
			next
		}
		{ lines[++n] = $0 }
		END { flush() }
		' "$file"
	else
		awk '$1 == "deb" { sub(/^[[:space:]]*deb[[:space:]]+/, "deb-src "); print }' "$file"
	fi
}

die() {
	echo "fetch-lwip: $*" >&2
	exit 1
}

sha_of() {
	sha256sum "$1" | cut -d' ' -f1
}

if [ "${1:-}" = "--derive" ]; then
	[ $# -eq 2 ] || die "usage: $0 --derive FILE"
	derive_debsrc "$2"
	exit 0
fi

BUILD=${1:-build}
DL=$BUILD/downloads
APTDIR=$BUILD/apt
DEST=$BUILD/lwip
STAMP=$DEST/.fetched

# Fast path: unpacked from a verified tarball that is still verified.
if [ -f "$STAMP" ] && [ -f "$DL/$ORIG" ] && [ -d "$DEST/src/src/include/lwip" ] &&
	[ "$(cat "$STAMP")" = "$ORIG_SHA256" ]; then
	exit 0
fi

if [ ! -f "$DL/$ORIG" ] || [ "$(sha_of "$DL/$ORIG")" != "$ORIG_SHA256" ]; then
	[ "$(id -u)" = 0 ] || die "needs root to download lwIP with apt-get source (run as root, or place $ORIG in $DL)"
	command -v apt-get >/dev/null || die "apt-get not found: needs Debian's apt"
	mkdir -p "$DL"
	mkdir -p "$APTDIR/sources.list.d" "$APTDIR/lists/partial" \
		"$APTDIR/cache/archives/partial"
	: >"$APTDIR/sources.list.d/debian-src.sources"
	found=0
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		grep -Eq '^URIs:.*/debian/?([[:space:]]|$)' "$f" || continue
		derive_debsrc "$f" >>"$APTDIR/sources.list.d/debian-src.sources"
		found=1
	done
	if [ $found = 0 ] && [ -f /etc/apt/sources.list ]; then
		derive_debsrc /etc/apt/sources.list >"$APTDIR/sources.list.d/debian-src.list"
		rm -f "$APTDIR/sources.list.d/debian-src.sources"
		found=1
	fi
	[ $found = 1 ] || die "no Debian entry in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"
	abs=$(cd "$APTDIR" && pwd)
	aptopts=(-o "Dir::Etc::SourceParts=$abs/sources.list.d"
		-o "Dir::Etc::SourceList=/dev/null"
		-o "Dir::State::Lists=$abs/lists"
		-o "Dir::Cache=$abs/cache"
		-o "Dir::Cache::pkgcache="
		-o "Dir::Cache::srcpkgcache="
		-o "APT::Sandbox::User=root")
	apt-get -qq "${aptopts[@]}" update >"$abs/update.log" 2>&1 ||
		die "apt-get update failed (see $APTDIR/update.log)"
	(cd "$DL" && apt-get -q "${aptopts[@]}" source --download-only \
		"lwip=$LWIP_VERSION+dfsg1-2") >"$abs/source.log" 2>&1 ||
		(cd "$DL" && apt-get -q "${aptopts[@]}" source --download-only \
		"lwip") >>"$abs/source.log" 2>&1 ||
		die "apt-get source lwip failed (see $APTDIR/source.log)"
	[ -f "$DL/$ORIG" ] || die "Debian's lwip source package has no $ORIG"
fi

got=$(sha_of "$DL/$ORIG")
[ "$got" = "$ORIG_SHA256" ] || die "$ORIG: SHA-256 $got, expected $ORIG_SHA256"

command -v xz >/dev/null || die "xz not found: needs Debian's xz-utils to unpack $ORIG"
# Unpack only the orig tarball (not Debian's patches), atomically.
rm -rf "$DEST.tmp"
mkdir -p "$DEST.tmp"
tar -xJf "$DL/$ORIG" -C "$DEST.tmp"
top=$(find "$DEST.tmp" -mindepth 1 -maxdepth 1 -type d | head -n1)
[ -n "$top" ] && [ -d "$top/src/include/lwip" ] || die "$ORIG: unexpected layout"
rm -rf "$DEST"
mkdir -p "$DEST"
mv "$top" "$DEST/src"
rm -rf "$DEST.tmp"
echo "$ORIG_SHA256" >"$STAMP"
echo "fetch-lwip: lwIP $LWIP_VERSION unpacked in $DEST/src"
