#!/bin/sh
# Render tests: every document (the sample and tests/render/docs/*.json) is
# rendered and checked as a reader would (check_pdf.py); the documents with
# reference pages (tests/render/golden/NAME/page-N.png) are compared with
# them; then reproducibility, atomic output and the command line's edges.
#
# Cases: one per document (it renders and check_pdf.py finds nothing
# wrong), one per document with references (same page count, every page
# within png_diff's tolerance at 50 dpi), one per other check.  A new case
# is a new tests/render/docs/NAME.json, and a new golden case a folder
# tests/render/golden/NAME: UPDATE_GOLDEN=1 (re)writes the references of
# every such folder.  Ends with "N passed, M failed".
set -u
BUILD=${BUILD:-build}
BRIEF=${BRIEF:-$BUILD/brief}
PY=${PYTHON:-/usr/bin/python3}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()   { pass=$((pass + 1)); echo "ok   $*"; }
bad()  { fail=$((fail + 1)); echo "FAIL $*"; }

[ -x "$BRIEF" ] || { echo "no $BRIEF (run make first)"; echo "0 passed, 1 failed"; exit 1; }

docs="data/cangzhou-2020.json data/monthly-bulletin.json $(ls "$here"/docs/*.json)"

# ---- every document, read back -----------------------------------------
for json in $docs; do
    name=$(basename "$json" .json)
    if ! "$BRIEF" render -q "$json" -o "$tmp/$name.pdf" 2>"$tmp/$name.err"; then
        bad "$name renders"; sed 's/^/     /' "$tmp/$name.err"
        continue
    fi
    # The checkers compare with the text as set: references ({…}) expanded.
    if ! "$BUILD/tests/expand_refs" "$json" >"$tmp/$name.set.json" 2>"$tmp/$name.err"; then
        bad "$name: references expand"; sed 's/^/     /' "$tmp/$name.err"
        continue
    fi
    "$PY" "$here/check_pdf.py" "$tmp/$name.set.json" "$tmp/$name.pdf" >"$tmp/$name.check" 2>&1
    rc=$?
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$tmp/$name.check" | tail -1)
    if [ "$rc" -eq 0 ] && [ -n "$line" ] && [ "${line%% passed*}" -gt 0 ]; then
        ok "$name renders and reads back ($line)"
    else
        bad "$name renders and reads back (check_pdf.py exit $rc${line:+: $line})"
        grep -v '^ok ' "$tmp/$name.check" | head -20 | sed 's/^/     /'
    fi
done

# ---- tables read back: numbers in order, points aligned, 续表 ------------
for json in $docs; do
    name=$(basename "$json" .json)
    grep -q '"type": *"table"' "$json" && [ -f "$tmp/$name.pdf" ] || continue
    "$PY" "$here/check_tables.py" "$tmp/$name.set.json" "$tmp/$name.pdf" >"$tmp/$name.tables" 2>&1
    rc=$?
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$tmp/$name.tables" | tail -1)
    if [ "$rc" -eq 0 ] && [ -n "$line" ] && [ "${line%% passed*}" -gt 0 ]; then
        ok "$name: tables read back ($line)"
    else
        bad "$name: tables read back (check_tables.py exit $rc${line:+: $line})"
        grep -v '^ok ' "$tmp/$name.tables" | head -20 | sed 's/^/     /'
    fi
done

# ---- golden pages --------------------------------------------------------
# golden_case NAME INPUT: pages of INPUT at 50 dpi against golden/NAME/.
golden_case() {
    ref=$here/golden/$1
    out=$tmp/golden/$1
    mkdir -p "$out"
    if ! SOURCE_DATE_EPOCH=1606780800 "$BRIEF" render -q "$2" -o "$out/g.pdf" 2>"$out/err" ||
       ! pdftoppm -r 50 -png "$out/g.pdf" "$out/page" 2>>"$out/err"; then
        bad "$1: pages rasterised"; head -5 "$out/err" | sed 's/^/     /'
        return
    fi
    # pdftoppm names pages page-1.png or page-01.png; references are page-N.png
    for f in "$out"/page-*.png; do
        n=${f##*-}; n=${n%.png}; n=$(echo "$n" | sed 's/^0*//')
        [ "$f" = "$out/page-$n.png" ] || mv "$f" "$out/page-$n.png"
    done
    if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
        rm -f "$ref"/page-*.png
        cp "$out"/page-*.png "$ref"/
        echo "updated $ref"
    fi
    npages=$(ls "$out"/page-*.png | wc -l)
    nref=$(ls "$ref"/page-*.png 2>/dev/null | wc -l)
    why=""
    [ "$npages" -eq "$nref" ] || why="$npages pages, references have $nref"
    for f in "$out"/page-*.png; do
        page=$(basename "$f")
        [ -f "$ref/$page" ] || continue
        "$BUILD/tests/png_diff" "$ref/$page" "$f" 2>"$out/diff.err" ||
            why="$why${why:+; }$page: $(cat "$out/diff.err")"
    done
    if [ -z "$why" ]; then ok "$1: $npages pages match the references"
    else bad "$1: pages match the references: $why"; fi
}
if [ ! -x "$BUILD/tests/png_diff" ]; then
    bad "golden pages: no $BUILD/tests/png_diff (make test builds it)"
else
    for ref in "$here"/golden/*/; do
        name=$(basename "$ref")
        input=""
        for json in $docs; do [ "$(basename "$json" .json)" = "$name" ] && input=$json; done
        if [ -z "$input" ]; then bad "$name: references with no document (tests/render/docs/$name.json)"
        else golden_case "$name" "$input"; fi
    done
fi

# A JPEG figure reaches the PDF as its own bytes (DCT), a PNG decoded.
if [ -f "$tmp/figures.pdf" ] && pdfimages -list "$tmp/figures.pdf" | awk 'NR>2 {print $9, $(NF-1)}' |
   grep -q "^jpeg 4482B" ; then ok "JPEG embedded unchanged"
else bad "JPEG embedded unchanged"; pdfimages -list "$tmp/figures.pdf"; fi

# A character no font has: a warning naming it and its block; with
# --strict an error and no output.
printf '{"brief": 1, "body": [\n  {"type": "paragraph", "text": "罕见字\360\252\232\245测试。"}]}\n' > "$tmp/rare.json"
"$BRIEF" render "$tmp/rare.json" -o "$tmp/rare.pdf" >/dev/null 2>"$tmp/rare.err"
if [ $? -eq 0 ] && grep -q 'rare.json:2:3: body\[0\]: warning: no font has "𪚥" (U+2A6A5, CJK Extension B)' "$tmp/rare.err"
then ok "missing glyph: warning with character, block and place"
else bad "missing glyph: warning with character, block and place"; cat "$tmp/rare.err"; fi
"$BRIEF" render -q --strict "$tmp/rare.json" -o "$tmp/rare2.pdf" 2>/dev/null
if [ $? -eq 65 ] && [ ! -e "$tmp/rare2.pdf" ]; then ok "missing glyph with --strict: exit 65, no file"
else bad "missing glyph with --strict: exit 65, no file"; fi

# A running header longer than the measure wraps (never cut); a footer with \n breaks there;
# a header the top margin cannot hold is refused with the lines it needs and the room.
h="沧州经济开发区经济发展研究组编印的内部参考资料，仅供领导同志和有关部门负责同志参阅，不得翻印转载，请妥善保管并按期清退"
printf '{"brief": 1, "page": {"size": "A5", "header": "%s", "footer": "第 {page} 页\\n共 {pages} 页"},\n "body": [{"type": "paragraph", "text": "第一行\\n第二行"}]}\n' "$h" > "$tmp/hdr.json"
"$BRIEF" render -q "$tmp/hdr.json" -o "$tmp/hdr.pdf" 2>"$tmp/hdr.err"
if [ $? -eq 0 ] && pdftotext "$tmp/hdr.pdf" - | tr -d ' \n' | grep -q "$h" &&
   [ "$(pdftotext "$tmp/hdr.pdf" - | grep -c '^沧州\|^部门')" -eq 2 ]; then ok "long running header wraps, nothing cut"
else bad "long running header wraps, nothing cut"; pdftotext "$tmp/hdr.pdf" - | head -3; fi
if pdftotext "$tmp/hdr.pdf" - | grep -q '^第一行$' && pdftotext "$tmp/hdr.pdf" - | grep -q '^共 *1 *页$' &&
   [ ! -s "$tmp/hdr.err" ]; then   # and no "no font has" warning for the break
    ok "a newline is a line break in a paragraph and a footer"
else bad "a newline is a line break in a paragraph and a footer"; pdftotext "$tmp/hdr.pdf" -; fi
printf '{"brief": 1, "page": {"size": "A5", "margin": [8, 15, 20, 15], "header": "%s%s%s"},\n "body": [{"type": "paragraph", "text": "正文。"}]}\n' "$h" "$h" "$h" > "$tmp/hdr2.json"
"$BRIEF" render -q "$tmp/hdr2.json" -o "$tmp/hdr2.pdf" 2>"$tmp/hdr2.err"
if [ $? -eq 65 ] && [ ! -e "$tmp/hdr2.pdf" ] &&
   grep -q 'page.header: the running header needs 5 lines of 115 mm on page 1, but the top margin holds 0' "$tmp/hdr2.err"
then ok "a header the margin cannot hold is refused"
else bad "a header the margin cannot hold is refused"; cat "$tmp/hdr2.err"; fi

# Same input, same SOURCE_DATE_EPOCH: the same bytes.
SOURCE_DATE_EPOCH=1606780800 "$BRIEF" render -q data/cangzhou-2020.json -o "$tmp/a.pdf"
SOURCE_DATE_EPOCH=1606780800 "$BRIEF" render -q data/cangzhou-2020.json -o "$tmp/b.pdf"
if cmp -s "$tmp/a.pdf" "$tmp/b.pdf"; then ok "SOURCE_DATE_EPOCH gives byte-identical output"
else bad "SOURCE_DATE_EPOCH gives byte-identical output"; fi
if pdfinfo "$tmp/a.pdf" | grep -q 'CreationDate:.*2020'; then ok "creation date from SOURCE_DATE_EPOCH"
else bad "creation date from SOURCE_DATE_EPOCH"; fi

# A failed render leaves the previous output whole and no temporary file.
cp "$tmp/a.pdf" "$tmp/keep.pdf"
printf '{"brief": 1, "body": [{"type": "paragraph"}]}' > "$tmp/broken.json"
"$BRIEF" render -q "$tmp/broken.json" -o "$tmp/keep.pdf" 2>/dev/null
if cmp -s "$tmp/a.pdf" "$tmp/keep.pdf"; then ok "failed render keeps the old file"
else bad "failed render keeps the old file"; fi
if [ -z "$(find "$tmp" -name '.*.pdf.*')" ]; then ok "no temporary file left"
else bad "no temporary file left"; fi

# A full disk is an I/O error, not a crash.
"$BRIEF" render -q data/cangzhou-2020.json -o /dev/full 2>"$tmp/full.err"
rc=$?
if [ "$rc" -eq 74 ] || [ "$rc" -eq 73 ]; then ok "/dev/full: exit $rc"
else bad "/dev/full: exit $rc"; cat "$tmp/full.err"; fi

# Output equal to the input is refused.
cp data/cangzhou-2020.json "$tmp/self.json"
"$BRIEF" render -q "$tmp/self.json" -o "$tmp/self.json" 2>/dev/null
if [ $? -eq 73 ] && cmp -s data/cangzhou-2020.json "$tmp/self.json"; then ok "output = input refused"
else bad "output = input refused"; fi

# stdin to stdout.
if "$BRIEF" render - < data/cangzhou-2020.json > "$tmp/stdout.pdf" && qpdf --check "$tmp/stdout.pdf" >/dev/null; then
    ok "stdin to stdout"
else bad "stdin to stdout"; fi

# Every document the tests render is valid against the published schema
# (data/brief.schema.json), which editors and other tools check briefs with.
for json in $docs; do
    if out=$("$PY" -c 'import json, sys, jsonschema
schema = json.load(open("data/brief.schema.json"))
errs = list(jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[1]))))
for e in errs[:3]:
    print("/".join(map(str, e.path)) + ": " + e.message[:160])
sys.exit(1 if errs else 0)' "$json" 2>&1); then ok "$(basename "$json"): valid against the schema"
    else bad "$(basename "$json"): valid against the schema"; echo "$out" | sed 's/^/     /'; fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
