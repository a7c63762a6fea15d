#!/bin/sh
# Installs the Debian packages brief needs, and only the missing ones.
#   tools/deps.sh          to build the library and the tool (make, make run)
#   tools/deps.sh --test   also what the tests run: cmocka, the PDF readers
#                          (poppler, qpdf, mupdf), python3 with jsonschema,
#                          valgrind, librsvg
#                          clang with libFuzzer (make test, make fuzz) and
#                          universal-ctags (tests/tree)
#   tools/deps.sh --fonts  also what rebuilds the bundled fonts (make fonts)
# As root it runs apt-get itself; otherwise it prints the exact command and
# fails.  Nothing is fetched from anywhere but Debian.
set -eu

need="build-essential pkg-config libcairo2-dev libpango1.0-dev libcjson-dev libfontconfig-dev libicu-dev libjpeg62-turbo-dev libpng-dev librsvg2-dev libxml2-dev zlib1g-dev"
case "${1:-}" in
    "") ;;
    --test) need="$need libcmocka-dev poppler-utils qpdf mupdf-tools python3 python3-jsonschema valgrind
                  librsvg2-bin clang libclang-rt-14-dev universal-ctags" ;;
    --fonts) need="$need fonts-noto-cjk python3-fonttools unicode-data" ;;
    *) echo "usage: tools/deps.sh [--test | --fonts]" >&2; exit 2 ;;
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
