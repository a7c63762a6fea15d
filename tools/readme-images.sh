#!/bin/sh
# Writes the images README.md shows (docs/img/): the first page of each
# sample, the monthly bulletin's table page, and one chart of each kind,
# from the samples, with the built brief.  `make readme-images` runs it;
# tests/readme/run.sh renders them again and fails when these are stale.
#
# usage: tools/readme-images.sh [OUTDIR]   (default docs/img)
set -eu
BUILD=${BUILD:-build}
BRIEF=${BRIEF:-$BUILD/brief}
out=${1:-docs/img}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1606780800

# page PDF N NAME: page N of PDF at 60 dpi as OUT/NAME.png
page() {
    pdftoppm -r 60 -png -f "$2" -l "$2" -singlefile "$1" "$out/$3"
}
"$BRIEF" render -q data/cangzhou-2020.json -o "$tmp/cangzhou-2020.pdf"
"$BRIEF" render -q data/monthly-bulletin.json -o "$tmp/monthly-bulletin.pdf"
page "$tmp/cangzhou-2020.pdf" 1 cangzhou-2020-page1
page "$tmp/monthly-bulletin.pdf" 1 monthly-bulletin-page1
page "$tmp/monthly-bulletin.pdf" 2 monthly-bulletin-page2
"$BRIEF" chart -q data/cangzhou-2020.json --id signed-investment --dpi 100 -o "$out/chart-bar.png"
"$BRIEF" chart -q data/cangzhou-2020.json --id key-projects --dpi 100 -o "$out/chart-completion.png"
"$BRIEF" chart -q data/cangzhou-2020.json --id sectors --dpi 100 -o "$out/chart-bar-horizontal.png"
"$BRIEF" chart -q data/cangzhou-2020.json --id gdp-trend --dpi 100 -o "$out/chart-bar-line.png"
"$BRIEF" chart -q data/cangzhou-2020.json --id industry-mix --dpi 100 -o "$out/chart-donut.png"
