#!/bin/sh
# Render tests: run the CLI on the sample and check the PDF as a reader
# would (check_pdf.py), plus reproducibility and atomic output.
set -u
BRIEF=${BRIEF:-build/brief}
PY=${PYTHON:-/usr/bin/python3}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()   { pass=$((pass + 1)); echo "ok   $*"; }
bad()  { fail=$((fail + 1)); echo "FAIL $*"; }

for json in data/cangzhou-2020.json tests/render/docs/*.json; do
    [ -f "$json" ] || continue
    name=$(basename "$json" .json)
    if "$BRIEF" render -q "$json" -o "$tmp/$name.pdf" 2>"$tmp/$name.err"; then
        ok "$name renders"
        out=$("$PY" "$here/check_pdf.py" "$json" "$tmp/$name.pdf")
        rc=$?
        echo "$out" | grep '^FAIL' -A1 | sed "s/^/     $name: /"
        line=$(echo "$out" | tail -1)
        p=${line%% passed*}; f=${line##*, }; f=${f%% failed*}
        pass=$((pass + p)); fail=$((fail + f))
        [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && bad "$name: check_pdf crashed"
    else
        bad "$name renders"; sed 's/^/     /' "$tmp/$name.err"
    fi
done

# A JPEG figure reaches the PDF as its own bytes (DCT), a PNG decoded.
if [ -f "$tmp/figures.pdf" ] && pdfimages -list "$tmp/figures.pdf" | awk 'NR>2 {print $9, $(NF-1)}' |
   grep -q "^jpeg 4482B" ; then ok "JPEG embedded unchanged"
else bad "JPEG embedded unchanged"; pdfimages -list "$tmp/figures.pdf"; fi

# A character no font has: a warning naming it and its block; with
# --strict an error and no output.
printf '{"brief": 1, "body": [\n  {"type": "paragraph", "text": "罕见字\360\252\232\245测试。"}]}\n' > "$tmp/rare.json"
"$BRIEF" render -q "$tmp/rare.json" -o "$tmp/rare.pdf" 2>"$tmp/rare.err"
if [ $? -eq 0 ] && grep -q 'rare.json:2:3: body\[0\]: warning: no font has "𪚥" (U+2A6A5, CJK Extension B)' "$tmp/rare.err"
then ok "missing glyph: warning with character, block and place"
else bad "missing glyph: warning with character, block and place"; cat "$tmp/rare.err"; fi
"$BRIEF" render -q --strict "$tmp/rare.json" -o "$tmp/rare2.pdf" 2>/dev/null
if [ $? -eq 65 ] && [ ! -e "$tmp/rare2.pdf" ]; then ok "missing glyph with --strict: exit 65, no file"
else bad "missing glyph with --strict: exit 65, no file"; fi

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

# The sample's pages match the reference images (tests/render/golden),
# rasterised at 50 dpi.  UPDATE_GOLDEN=1 rewrites the references.
golden=tests/render/golden
mkdir -p "$golden"
SOURCE_DATE_EPOCH=1606780800 "$BRIEF" render -q data/cangzhou-2020.json -o "$tmp/g.pdf"
pdftoppm -r 50 -png "$tmp/g.pdf" "$tmp/g"
if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
    rm -f "$golden"/page-*.png
    for f in "$tmp"/g-*.png; do cp "$f" "$golden/page-${f##*-}"; done
fi
npages=$(ls "$tmp"/g-*.png | wc -l)
nref=$(ls "$golden"/page-*.png 2>/dev/null | wc -l)
if [ "$npages" -eq "$nref" ]; then ok "sample has $npages pages, as the references"
else bad "sample has $npages pages, references have $nref"; fi
for f in "$tmp"/g-*.png; do
    ref="$golden/page-${f##*-}"
    [ -f "$ref" ] || continue
    if "${BUILD:-build}/tests/png_diff" "$ref" "$f" 2>"$tmp/diff.err"; then ok "page ${f##*-} matches its reference"
    else bad "page ${f##*-} matches its reference: $(cat "$tmp/diff.err")"; fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
