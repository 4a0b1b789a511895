#!/usr/bin/env bash
# Generates the demo's small web site and its tar archive, the disk that
# `make run` and the tests give the VM (mounted read-only on /site):
#
#   scripts/mksite.sh DIR [BIG_MB]
#
# writes DIR/site/ (index.html, two pages, a stylesheet, a JSON file, an
# SVG image, docs/guide.html, a 100 KB binary) and DIR/site.tar, a plain
# ustar archive of it (the disk image, as QEMU's raw format takes it).
# BIG_MB adds DIR/site/big.bin of that many MiB of pseudo-random bytes
# (benchmarks).  The content is the same on every run (seeded), so
# tests can compare bytes; the archive is rewritten only when the
# folder changed.
set -eu
dir=${1:?usage: scripts/mksite.sh DIR [BIG_MB]}
big=${2:-0}
site=$dir/site
mkdir -p "$site/docs" "$site/img"

page() {  # FILE TITLE BODY
  printf '<!doctype html>\n<html><head><meta charset="utf-8"><title>%s</title>\n<link rel="stylesheet" href="/site/style.css"></head>\n<body><h1>%s</h1>\n%s\n<p><a href="/site/">home</a> <a href="/site/about.html">about</a> <a href="/site/docs/guide.html">guide</a></p></body></html>\n' \
    "$2" "$2" "$3" >"$1"
}
page "$site/index.html" "ukmon demo site" \
  '<p>Served by a unikernel from a tar archive on a virtio-blk disk, read in place.</p><img src="/site/img/logo.svg" alt="logo">'
page "$site/about.html" "About" \
  '<p>The files of this site live in a tar archive written raw onto a disk; tarfs indexes its headers at boot and reads file data straight from the disk.</p>'
page "$site/docs/guide.html" "Guide" \
  '<p>GET /site/... reads the disk; PUT /data/NAME writes into the host folder shared over 9P; DELETE removes it.</p>'
printf 'body { font-family: sans-serif; max-width: 40em; margin: 2em auto; }\n' >"$site/style.css"
printf '{"name": "ukmon", "mounts": ["/site", "/data", "/initrd"]}\n' >"$site/data.json"
printf '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><circle cx="32" cy="32" r="30" fill="#3b7"/></svg>\n' >"$site/img/logo.svg"
# Pseudo-random but reproducible: the same bytes on every run.
gen() {  # BYTES
  openssl enc -aes-128-ctr -nosalt -pass pass:ukmon -pbkdf2 </dev/zero 2>/dev/null |
    head -c "$1"
}
if command -v openssl >/dev/null; then
  gen 100000 >"$site/docs/blob.bin"
else
  head -c 100000 /dev/zero | tr '\0' 'u' >"$site/docs/blob.bin"
fi
if [ "$big" -gt 0 ]; then
  want=$((big * 1024 * 1024))
  have=$(stat -c %s "$site/big.bin" 2>/dev/null || echo 0)
  if [ "$have" != "$want" ]; then
    if command -v openssl >/dev/null; then gen "$want" >"$site/big.bin"
    else head -c "$want" /dev/urandom >"$site/big.bin"; fi
  fi
fi
# Rewrite the archive only when something changed (a stable mtime keeps
# the headers identical).
find "$site" -exec touch -h -d @1700000000 {} +
tmp=$dir/site.tar.new
tar --format=ustar --sort=name --owner=0 --group=0 --numeric-owner \
  -C "$site" -cf "$tmp" .
if [ -f "$dir/site.tar" ] && cmp -s "$tmp" "$dir/site.tar"; then
  rm -f "$tmp"
else
  mv "$tmp" "$dir/site.tar"
fi
