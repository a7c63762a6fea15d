#!/bin/sh
# Typography rules (issue #3): the corpus (tests/typo/*.txt) and the text
# fields of the sample brief, every paragraph at every whole measure from
# 10 to 46 em (and a few off-grid ones), checked line by line; the corpus
# set into a PDF and read back with pdftotext; random paragraphs for
# robustness.  Ends with "N passed, M failed" (paragraph x measure checks).
set -u
BUILD=${BUILD:-build}
tool="$BUILD/tests/typo_check"
fonts=${BRIEF_FONT_DIR:-fonts}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$tool" --fonts "$fonts" --sample data/cangzhou-2020.json --pdf "$tmp/typo.pdf" >"$tmp/out" 2>&1
rc1=$?
cat "$tmp/out"
"$tool" --fonts "$fonts" --fuzz 2000 >"$tmp/fuzz" 2>&1
rc2=$?
grep -v 'passed, .* failed' "$tmp/fuzz"

p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$tmp/out" | tail -1)
f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$tmp/out" | tail -1)
p=${p:-0}; f=${f:-1}
if [ "$rc2" -eq 0 ]; then p=$((p + 1)); else f=$((f + 1)); fi
echo "$p passed, $f failed"
[ "$rc1" -eq 0 ] && [ "$rc2" -eq 0 ]
