#!/bin/sh
# Chart tests: golden images, label checker over the stress corpus,
# reproducibility, the command line and the embedding example.
#
#   sh tests/charts/run.sh                  the whole suite
#   sh tests/charts/run.sh A.json B.json    the label checker on other briefs
#   sh tests/charts/run.sh --update-golden  regenerate tests/charts/golden/*.png and svg/*.png
#
# Golden: every chart of every tests/charts/golden/*.json, exported as PNG
# and as SVG (drawn by rsvg-convert), is compared with golden/ID.png and
# golden/svg/ID.png; one case per image, and a reference no chart makes
# fails.  A new case is a chart added to a golden/*.json (or a new one) and
# its two references (--update-golden writes them).
#
# Labels: for each brief of tests/charts/corpus (and the sample) every chart
# is exported with `brief chart --all` to PDF and SVG, and check_labels.py
# checks, from the word boxes pdftotext extracts, that every category,
# series name and title is present, inside the chart and overlapping
# nothing; exporting again gives the same bytes.  One case per brief: a new
# case is a new corpus/NAME.json.
#
# Ends with "N passed, M failed"; exit status 1 on any failure.
set -u
BUILD=${BUILD:-build}
BRIEF=${BRIEF:-$BUILD/brief}
PYTHON=${PYTHON:-/usr/bin/python3}
HERE=$(dirname "$0")
export BRIEF_FONT_DIR="${BRIEF_FONT_DIR:-$(pwd)/fonts}"
export SOURCE_DATE_EPOCH=1600000000

GOLDEN_DPI=100
update=0
[ "${1:-}" = "--update-golden" ] && { update=1; shift; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

[ -x "$BRIEF" ] || { echo "no $BRIEF (run make first)"; echo "0 passed, 1 failed"; exit 1; }

# ---- golden images ---------------------------------------------------
# against_reference NEW.png REFDIR LABEL: compares (or, with
# --update-golden, replaces) REFDIR/NAME.png.
against_reference() {
    name=$(basename "$1")
    if [ "$update" -eq 1 ]; then
        cp "$1" "$2/$name"
        echo "updated $2/$name"
        pass
    elif [ ! -f "$2/$name" ]; then
        fail "$3: no reference $2/$name (run with --update-golden)"
    elif out=$("$BUILD/tests/png_diff" "$2/$name" "$1" 2>&1); then
        pass
    else
        cp "$1" "${TMPDIR:-/tmp}/brief-$3-$name" 2>/dev/null
        fail "$3 $name: $out (new image: ${TMPDIR:-/tmp}/brief-$3-$name)"
    fi
}

# export_all FORMAT DIR: every chart of every golden/*.json into DIR (chart
# ids are unique across those files: an image is named by its chart's id).
export_all() {
    dpi=""
    [ "$1" = png ] && dpi="--dpi $GOLDEN_DPI"
    for json in "$HERE"/golden/*.json; do
        # shellcheck disable=SC2086
        if ! "$BRIEF" chart "$json" --all -d "$2" --format "$1" $dpi -q 2>"$tmp/export.err"; then
            fail "golden $1: export of $json failed: $(cat "$tmp/export.err")"
            return 1
        fi
    done
}

# orphans REFDIR NEWDIR LABEL: a reference that no chart makes any more.
orphans() {
    for ref in "$1"/*.png; do
        [ -f "$ref" ] || continue
        [ -f "$2/$(basename "$ref")" ] ||
            fail "$3: $ref: no chart in $HERE/golden/*.json makes it (remove it or the chart went missing)"
    done
}

golden() {
    mkdir -p "$tmp/golden"
    export_all png "$tmp/golden" || return
    for png in "$tmp"/golden/*.png; do
        against_reference "$png" "$HERE/golden" golden
    done
    orphans "$HERE/golden" "$tmp/golden" golden
}

# The SVG writer is ours (chart_svg.c): its output, drawn by librsvg, must
# match references drawn the same way.  The references were checked against
# cairo's own SVG of the same charts when the writer replaced it.
golden_svg() {
    g="$HERE/golden/svg"
    mkdir -p "$tmp/golden-svg" "$g"
    if ! command -v rsvg-convert >/dev/null 2>&1; then
        fail "golden svg: rsvg-convert missing (apt-get install librsvg2-bin)"
        return
    fi
    export_all svg "$tmp/golden-svg" || return
    for svg in "$tmp"/golden-svg/*.svg; do
        name=$(basename "$svg" .svg).png
        png="$tmp/golden-svg/$name"
        if rsvg-convert -d $GOLDEN_DPI -p $GOLDEN_DPI -o "$png" "$svg" 2>"$tmp/rsvg.err"; then
            against_reference "$png" "$g" golden-svg
        else
            fail "golden-svg $name: rsvg-convert: $(cat "$tmp/rsvg.err")"
        fi
    done
    orphans "$g" "$tmp/golden-svg" golden-svg
}

if [ "$update" -eq 1 ] || [ $# -eq 0 ]; then
    if [ -x "$BUILD/tests/png_diff" ]; then
        golden
        golden_svg
    else
        fail "golden: no $BUILD/tests/png_diff (make test builds it)"
    fi
fi
if [ "$update" -eq 1 ]; then
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
fi

# ---- label checker -----------------------------------------------------
if [ $# -gt 0 ]; then
    inputs="$*"
else
    inputs="$HERE/corpus/*.json data/cangzhou-2020.json"
fi
for f in $inputs; do
    name=$(basename "$f" .json)
    d="$tmp/$name"
    mkdir -p "$d" "$d/again"
    if ! "$BRIEF" chart "$f" --all -d "$d" --format pdf -q 2>"$d/err" ||
       ! "$BRIEF" chart "$f" --all -d "$d" --format svg -q 2>>"$d/err"; then
        fail "$name: export failed: $(grep -v warning: "$d/err" | head -3)"
        continue
    fi
    "$PYTHON" "$HERE/check_labels.py" "$f" "$d" >"$d/report" 2>&1
    rc=$?
    grep -v '^ok ' "$d/report" | grep -v 'passed, .* failed$' | sed "s|^|$name: |"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$d/report" | tail -1)
    why=""
    if [ -z "$line" ] || [ "$rc" -ne 0 ]; then
        why="check_labels.py exit $rc${line:+: $line}"
    elif [ "${line%% passed*}" -eq 0 ]; then
        why="check_labels.py found no label to check"
    fi
    # the same input gives the same bytes
    "$BRIEF" chart "$f" --all -d "$d/again" --format pdf -q 2>/dev/null
    "$BRIEF" chart "$f" --all -d "$d/again" --format svg -q 2>/dev/null
    for out in "$d"/*.pdf "$d"/*.svg; do
        cmp -s "$out" "$d/again/$(basename "$out")" ||
            why="$why${why:+; }$(basename "$out") differs between two runs"
    done
    if [ -z "$why" ]; then pass; echo "ok   $name: labels placed ($line), output reproducible"
    else fail "$name: $why"; fi
done

# ---- the command line ------------------------------------------------------
# expect STATUS DESCRIPTION -- ARGS...: brief chart exits with STATUS
expect() {
    want=$1; what=$2; shift 3
    "$BRIEF" chart "$@" >"$tmp/cli.out" 2>"$tmp/cli.err"
    got=$?
    if [ "$got" -eq "$want" ]; then pass; else fail "cli: $what: exit $got, expected $want: $(head -2 "$tmp/cli.err")"; fi
}
if [ $# -eq 0 ]; then
    S=data/cangzhou-2020.json
    mkdir -p "$tmp/cli"
    expect 0  "export by extension" -- "$S" --id sectors -o "$tmp/cli/a.svg"
    expect 0  "png options" -- "$S" --id key-projects -o "$tmp/cli/b.png" --dpi 72 --width 80 --height 40 --transparent
    expect 0  "--format beats the extension" -- "$S" --id sectors -o "$tmp/cli/c.out" --format pdf
    head -c 5 "$tmp/cli/c.out" | grep -q '%PDF-' && pass || fail "cli: --format pdf did not write a PDF"
    expect 0  "standard output" -- "$S" --id sectors -o - --format svg
    grep -q '<svg' "$tmp/cli.out" && pass || fail "cli: -o - wrote no SVG to standard output"
    # Markup and control characters in labels: the SVG stays well-formed
    # XML and its text layer and title say what the labels say.
    printf '%s\n' '{"brief": 1, "data": {"d": {"columns": ["k", "v"], "rows": [["甲<b>&\u0001乙", 1], ["丙\"丁", 2]]}},' \
        ' "body": [{"type": "chart", "id": "x", "kind": "bar", "data": "d", "category": "k", "values": ["v"],' \
        '           "title": "控\u0007制 <&>"}]}' >"$tmp/markup.json"
    expect 0  "labels with markup" -- "$tmp/markup.json" --id x -o "$tmp/markup.svg"
    if "$PYTHON" -c 'import sys, xml.dom.minidom as m
d = m.parse(sys.argv[1])
texts = [t.firstChild.data for t in d.getElementsByTagName("text")]
assert d.getElementsByTagName("title")[0].firstChild.data == "控制 <&>"
assert "甲<b>&乙" in texts and "丙\"丁" in texts, texts' "$tmp/markup.svg" 2>"$tmp/xml.err"
    then pass; else fail "cli: SVG of labels with markup: $(tail -1 "$tmp/xml.err")"; fi
    expect 64 "unknown id" -- "$S" --id nope -o "$tmp/cli/x.svg"
    expect 64 "no id" -- "$S" -o "$tmp/cli/x.svg"
    expect 64 "--all without -d" -- "$S" --all
    expect 64 "unknown extension" -- "$S" --id sectors -o "$tmp/cli/x.gif"
    expect 64 "bad --dpi" -- "$S" --id sectors -o "$tmp/cli/x.png" --dpi 0
    expect 64 "bad --width" -- "$S" --id sectors -o "$tmp/cli/x.png" --width 5mm
    expect 64 "stdout without --format" -- "$S" --id sectors -o -
    expect 73 "output directory under a file" -- "$S" --all -d "$tmp/cli/a.svg/none"
    expect 73 "output directory missing" -- "$S" --id sectors -o "$tmp/cli/none/x.svg"
    expect 66 "missing input" -- "$tmp/none.json" --id sectors -o "$tmp/cli/x.svg"
    [ -z "$(ls -A "$tmp/cli" | grep -v '^[abc]\.')" ] && pass || fail "cli: stray files: $(ls -A "$tmp/cli")"
fi

# ---- texts given as runs (issue #17) ---------------------------------------
# The title, note and reference labels of corpus/rich-text.json are runs:
# bold, a link, value and ref runs.  Exported to PDF and SVG, and in the
# brief, they read as their runs printed (values formatted as in body
# text); the link is a link annotation in both PDFs and an <a> in the SVG.
if [ $# -eq 0 ]; then
    R="$HERE/corpus/rich-text.json"
    mkdir -p "$tmp/rich"
    TITLE='图1 重点产业投资：汽车及零部件领先（32.4亿元）'
    NOTE='资料来源：市统计局。汽车及零部件投资最多，达32.4亿元；见图2。'
    REF='年度目标 20.0亿元'
    URI='https://example.org/stats'
    rich_pdf() {   # FILE WHAT: the texts and the link of chart rich-v in a PDF
        pdftotext -raw "$1" "$tmp/rich/txt" 2>/dev/null
        why=""
        for want in "$TITLE" "$NOTE" "$REF"; do
            grep -qF "$want" "$tmp/rich/txt" || why="$why${why:+; }no \"$want\""
        done
        # bold runs in the family's bold face, the rest of their line regular
        bold=$(mutool draw -q -F stext -o - "$1" 2>/dev/null | "$PYTHON" -c 'import sys
import xml.etree.ElementTree as ET
print("|".join("".join(c.get("c") for c in f.iter("char"))
               for f in ET.parse(sys.stdin).getroot().iter("font")
               if f.get("name").endswith("-Bold")))')
        for want in '|加粗的副标题|' '|汽车及零部件投资最多|32.4亿元|' '|年度目标|'; do
            case "|$bold|" in *"$want"*) ;; *) why="$why${why:+; }bold runs read \"$bold\", not \"$want\"" ;; esac
        done
        n=$(qpdf --qdf --object-streams=disable "$1" - 2>/dev/null | grep -ac "/URI ($URI)")
        [ "$n" = 1 ] || why="$why${why:+; }$n link annotations to $URI (expected 1)"
        if [ -z "$why" ]; then pass; else fail "rich text, $2: $why"; fi
    }
    if "$BRIEF" chart "$R" --id rich-v -o "$tmp/rich/v.pdf" -q &&
       "$BRIEF" chart "$R" --id rich-v -o "$tmp/rich/v.svg" -q &&
       "$BRIEF" chart "$R" --id rich-v -o "$tmp/rich/v.png" -q &&
       "$BRIEF" render "$R" -o "$tmp/rich/brief.pdf" >/dev/null; then
        rich_pdf "$tmp/rich/v.pdf" "brief chart -o x.pdf"
        rich_pdf "$tmp/rich/brief.pdf" "the brief"
        if "$PYTHON" -c 'import sys, xml.dom.minidom as m
d = m.parse(sys.argv[1])
texts = [t.firstChild.data for t in d.getElementsByTagName("text")]
for want in sys.argv[2:5]:
    assert want in texts, (want, texts)
links = [a.getAttribute("xlink:href") for a in d.getElementsByTagName("a")]
assert links == [sys.argv[5]], links' "$tmp/rich/v.svg" "$TITLE" "$NOTE" "$REF" "$URI" 2>"$tmp/rich/err"
        then pass; else fail "rich text, SVG: $(tail -1 "$tmp/rich/err")"; fi
    else
        fail "rich text: export or render failed"
    fi
fi

# ---- PNG: resolution and transparency -----------------------------------
# A PNG carries its dpi (pHYs), and --transparent leaves no white halo where
# a gridline or reference line crosses a label (golden 'references' has both).
if [ $# -eq 0 ]; then
    G="$HERE/golden/golden.json"
    for dpi in 150 300; do
        if "$BRIEF" chart "$G" --id references -o "$tmp/phys.png" --dpi $dpi --transparent -q &&
           out=$("$PYTHON" "$HERE/png_check.py" "$tmp/phys.png" $dpi --transparent) && [ "$out" = ok ]
        then pass; else fail "png at $dpi dpi, transparent: ${out:-export failed}"; fi
    done
fi

# ---- the embedding example -----------------------------------------------
if [ $# -eq 0 ]; then
    if [ -x "$BUILD/tests/embed_chart" ]; then
        if "$BUILD/tests/embed_chart" data/cangzhou-2020.json sectors "$tmp/embed.png" >"$tmp/embed.log" 2>&1 &&
           [ -s "$tmp/embed.png" ]; then
            pass
        else
            fail "embed_chart: $(cat "$tmp/embed.log")"
        fi
    else
        fail "no $BUILD/tests/embed_chart (make test builds it)"
    fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
