#!/bin/sh
# Tagged PDF, links and footnotes: the sample and tests/tagged/docs/*.json
# are rendered and read back by check_tags.py (structure tree in body order
# with /Alt on every figure, /Lang, Tagged: yes, qpdf --check, link URIs,
# each footnote on its mark's page); each check is one case.  One more case
# per document: two renders under SOURCE_DATE_EPOCH are byte for byte the
# same (the rewrite that completes the tags is deterministic).
# A generated brief of 4,200 paragraphs checks that the structure has no
# fixed size.
# Ends with "N passed, M failed".
set -u
BUILD=${BUILD:-build}
BRIEF=${BRIEF:-$BUILD/brief}
PY=${PYTHON:-/usr/bin/python3}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

[ -x "$BRIEF" ] || { echo "no $BRIEF (run make first)"; echo "0 passed, 1 failed"; exit 1; }
# More top-level elements than a fixed table would hold (the reader of
# cairo's structure tree once stopped at 4,096): one-character paragraphs
# keep it cheap.
"$PY" -c 'import json, sys
json.dump({"brief": 1, "body": [{"type": "paragraph", "text": "一"}] * 4200},
          open(sys.argv[1], "w"), ensure_ascii=False)' "$tmp/many-paragraphs.json"
for json in data/cangzhou-2020.json "$here"/docs/*.json "$tmp/many-paragraphs.json"; do
    name=$(basename "$json" .json)
    if ! SOURCE_DATE_EPOCH=1606780800 "$BRIEF" render -q "$json" -o "$tmp/$name.pdf" 2>"$tmp/err"; then
        echo "FAIL $name renders"; sed 's/^/     /' "$tmp/err"; fail=$((fail + 1)); continue
    fi
    # Compared with the text as set: references ({…}, value runs) expanded.
    "$BUILD/tests/expand_refs" "$json" >"$tmp/$name.set.json" 2>"$tmp/err" || cp "$json" "$tmp/$name.set.json"
    "$PY" "$here/check_tags.py" "$tmp/$name.set.json" "$tmp/$name.pdf" >"$tmp/out" 2>&1
    sed "s/^\(ok  \|FAIL\) /\1 $name: /" "$tmp/out" | grep -v 'passed, .* failed$'
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$tmp/out" | tail -1)
    if [ -z "$line" ]; then
        echo "FAIL $name: check_tags.py broke"; tail -5 "$tmp/out"; fail=$((fail + 1))
    else
        pass=$((pass + ${line%% passed*})); f=${line#*, }; fail=$((fail + ${f%% failed}))
    fi
    SOURCE_DATE_EPOCH=1606780800 "$BRIEF" render -q "$json" -o "$tmp/$name-2.pdf" 2>/dev/null
    if cmp -s "$tmp/$name.pdf" "$tmp/$name-2.pdf"; then
        echo "ok   $name: reproducible"; pass=$((pass + 1))
    else
        echo "FAIL $name: two renders differ"; fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
