#!/bin/sh
# Charts exported for other documents.
#
# SVG ids unique per export: every chart of the sample (and of the golden
# brief) exported as SVG, then
#  - no id occurs in two files, every reference resolves in its own file;
#  - all charts inlined into one HTML page (page.html, for a browser) and
#    into one SVG document (the same DOM sharing one id namespace, which
#    rsvg-convert can draw); each chart's region of that document, drawn by
#    rsvg-convert, matches the chart's own export drawn alone, pixel for
#    pixel (png_diff with --max-bad 0);
#  - --id-prefix: the given prefix starts every id; with --all each chart's
#    ids are the prefix and the chart id;
#  - the control: exports forced to one shared prefix (the old behaviour,
#    every file "glyph0-0"…) do NOT survive inlining (at least one chart
#    differs), so the comparison can fail.
# --padding MM: the padded export draws exactly the chart laid out MM
# narrower on each side, moved by MM, on a blank margin (pixels compared);
# the PNG keeps the asked width.  --no-title: no title, subtitle or note
# drawn (SVG text layer and PDF text), the metadata title kept.
# Ends with "N passed, M failed".
set -u
BUILD=${BUILD:-build}
BRIEF=${BRIEF:-$BUILD/brief}
PYTHON=${PYTHON:-/usr/bin/python3}
HERE=$(dirname "$0")
export BRIEF_FONT_DIR="${BRIEF_FONT_DIR:-$(pwd)/fonts}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

if [ ! -x "$BRIEF" ] || [ ! -x "$BUILD/tests/png_diff" ] || ! command -v rsvg-convert >/dev/null 2>&1; then
    echo "FAIL needs $BRIEF, $BUILD/tests/png_diff (make test) and rsvg-convert (librsvg2-bin)"
    echo "0 passed, 1 failed"
    exit 1
fi

# inline DIR OUT: inlines DIR/*.svg into OUT/page.svg and OUT/page.html and
# draws each chart's region of the page and each chart alone; compares.
# Prints the number of charts that differ.
inline_and_compare() {
    dir=$1 out=$2
    mkdir -p "$out"
    "$PYTHON" "$HERE/inline.py" "$dir" "$out" || { echo 999; return; }
    bad=0
    for view in "$out"/view-*.svg; do
        name=$(basename "$view" .svg | sed 's/^view-//')
        rsvg-convert "$view" -o "$out/page-$name.png" 2>/dev/null &&
            rsvg-convert "$dir/$name.svg" -o "$out/alone-$name.png" 2>/dev/null &&
            "$BUILD/tests/png_diff" "$out/alone-$name.png" "$out/page-$name.png" --max-bad 0 --level 0 \
                >/dev/null 2>"$out/diff-$name.txt" || bad=$((bad + 1))
    done
    echo "$bad"
}

for brief in data/cangzhou-2020.json tests/charts/golden/golden.json; do
    tag=$(basename "$brief" .json)
    d="$tmp/$tag"
    mkdir -p "$d/svg"
    if ! "$BRIEF" chart "$brief" --all -d "$d/svg" --format svg -q 2>"$d/err"; then
        fail "$tag: export: $(cat "$d/err")"
        continue
    fi
    n=$(ls "$d/svg"/*.svg | wc -l)
    if "$PYTHON" "$HERE/check_ids.py" "$d/svg"/*.svg; then pass; else fail "$tag: ids shared or dangling"; fi
    bad=$(inline_and_compare "$d/svg" "$d/page")
    if [ "$bad" -eq 0 ]; then
        pass
        echo "$tag: $n charts inlined in one page, each identical to its own export"
    else
        fail "$tag: $bad of $n charts differ when inlined together"
    fi
    # the same export twice gives the same file (the hash is of the content)
    mkdir -p "$d/again"
    "$BRIEF" chart "$brief" --all -d "$d/again" --format svg -q 2>/dev/null
    if diff -r "$d/svg" "$d/again" >/dev/null; then pass; else fail "$tag: ids not reproducible"; fi
done

# --id-prefix, one chart and --all
d="$tmp/prefix"
mkdir -p "$d/all"
"$BRIEF" chart data/cangzhou-2020.json --id sectors --id-prefix fig3 -o "$d/one.svg" -q
if "$PYTHON" "$HERE/check_ids.py" --prefix fig3- "$d/one.svg"; then pass; else fail "--id-prefix fig3"; fi
"$BRIEF" chart data/cangzhou-2020.json --all --id-prefix "页面 A" -d "$d/all" --format svg -q
ok=1
for f in "$d/all"/*.svg; do
    "$PYTHON" "$HERE/check_ids.py" --prefix "A-$(basename "$f" .svg)-" "$f" || ok=0
done
"$PYTHON" "$HERE/check_ids.py" "$d/all"/*.svg || ok=0
if [ $ok = 1 ]; then pass; else fail "--id-prefix with --all"; fi

# the control: one shared prefix in every file, as before ids were unique
d="$tmp/shared"
mkdir -p "$d/svg"
for id in $("$PYTHON" -c 'import json,sys
d=json.load(open("data/cangzhou-2020.json"))
def walk(x):
    if isinstance(x, dict):
        if x.get("type") == "chart" and "id" in x: print(x["id"])
        for v in x.values(): walk(v)
    elif isinstance(x, list):
        for v in x: walk(v)
walk(d)'); do
    "$BRIEF" chart data/cangzhou-2020.json --id "$id" --id-prefix same -o "$d/svg/$id.svg" -q
done
bad=$(inline_and_compare "$d/svg" "$d/page")
if [ "$bad" -gt 0 ]; then
    pass
    echo "control: with one shared prefix $bad charts differ when inlined (as they should)"
else
    fail "control: shared ids went unnoticed (the comparison cannot fail)"
fi

# --padding: the padded chart is the narrower chart moved into the margin
d="$tmp/padding"
mkdir -p "$d"
"$BRIEF" chart data/cangzhou-2020.json --id sectors --width 120 --height 70 --padding 5 -o "$d/padded.svg" -q &&
    "$BRIEF" chart data/cangzhou-2020.json --id sectors --width 110 --height 60 -o "$d/inner.svg" -q &&
    "$PYTHON" "$HERE/pad_page.py" "$d/padded.svg" "$d/inner.svg" 5 "$d/expect.svg" &&
    rsvg-convert "$d/padded.svg" -o "$d/padded.png" && rsvg-convert "$d/expect.svg" -o "$d/expect.png"
if "$BUILD/tests/png_diff" "$d/expect.png" "$d/padded.png" --max-bad 0 --level 0 2>"$d/diff"; then
    pass
else
    fail "--padding 5: the padded SVG is not the 110 x 60 mm chart moved by 5 mm: $(cat "$d/diff")"
fi
"$BRIEF" chart data/cangzhou-2020.json --id sectors --width 120 --padding 5 --dpi 100 -o "$d/padded.png" -q
w=$("$PYTHON" -c 'import struct,sys; print(struct.unpack(">I", open(sys.argv[1],"rb").read()[16:20])[0])' "$d/padded.png")
if [ "$w" = 473 ]; then pass; else fail "--padding 5 --width 120 --dpi 100: PNG is $w px wide, expected 473"; fi
if "$BRIEF" chart data/cangzhou-2020.json --id sectors --padding 51 -o "$d/x.svg" -q 2>/dev/null; then
    fail "--padding 51 accepted"
else
    pass
fi

# --no-title
d="$tmp/notitle"
mkdir -p "$d"
"$BRIEF" chart data/cangzhou-2020.json --id sectors --no-title -o "$d/a.svg" -q
"$BRIEF" chart data/cangzhou-2020.json --id sectors --no-title -o "$d/a.pdf" -q
"$BRIEF" chart data/cangzhou-2020.json --id sectors -o "$d/b.pdf" -q
title="主导产业投资规模分布"
note="本图为示意数据"
pdftotext "$d/a.pdf" "$d/a.txt" && pdftotext "$d/b.pdf" "$d/b.txt"
if grep -q "$title" "$d/b.txt" && grep -q "$note" "$d/b.txt" && ! grep -q "$title" "$d/a.txt" &&
        ! grep -q "$note" "$d/a.txt" && grep -q "汽车及零部件" "$d/a.txt" &&
        ! sed 's/<title>.*<\/title>//' "$d/a.svg" | grep -q "$title" &&
        grep -q "<title>$title" "$d/a.svg"; then
    pass
else
    fail "--no-title: title or note still drawn, or the chart or its metadata title missing"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
