#!/usr/bin/env bash
# Makes sure the Debian packages the build, tests and benchmarks use are
# installed.  As root it installs what is missing with apt-get; otherwise
# it stops with one line naming the packages.
set -eu
PKGS="gcc make binutils libc6-dev clang libclang-rt-14-dev valgrind curl
  qemu-system-x86 prometheus prometheus-cpp-dev g++ wrk hyperfine
  dpkg-dev xz-utils iproute2 python3 procps victoria-metrics diod nginx
  prometheus-pushgateway prometheus-node-exporter gnuplot-nox chromium"
missing=()
for p in $PKGS; do
  s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$s" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "ukmon: missing Debian packages: ${missing[*]} (run as root: apt-get install --no-install-recommends ${missing[*]})" >&2
  exit 1
fi
echo "ukmon: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
