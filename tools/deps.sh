#!/bin/sh
# Installs the Debian packages brief needs to build and test, and only the
# missing ones.  As root it runs apt-get itself; otherwise it prints the
# exact command and fails.  Nothing is fetched from anywhere but Debian.
set -eu

need="build-essential pkg-config libcairo2-dev libpango1.0-dev libcjson-dev libfontconfig-dev
libcmocka-dev poppler-utils qpdf mupdf-tools"
case "${1:-}" in
    --test) need="$need python3 valgrind clang libclang-rt-14-dev librsvg2-bin" ;;
    --fonts) need="$need fonts-noto-cjk python3-fonttools unicode-data" ;;
esac

missing=""
for p in $need; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "brief: missing Debian packages:$missing" >&2
    echo "run:   sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "brief: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
