#!/bin/sh
# The layout checker (issue #11): 300 random briefs (gen.py) rendered in one batch, then read
# back from the PDFs (check.py): body order, headings kept with their text, margins,
# overlaps, empty pages; then where tables split (tables.py, 608 briefs).  LAYOUT_DOCS=N changes the count.  Ends with "N passed, M failed".
set -u
BRIEF=${BRIEF:-build/brief}
PY=${PYTHON:-/usr/bin/python3}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=${LAYOUT_DOCS:-300}
"$PY" "$here/gen.py" "$tmp" "$n" || { echo "0 passed, 1 failed"; exit 1; }
mkdir -p "$tmp/out"
# warnings (charts grown to fit their labels) are not this test's business; errors are
if ! "$BRIEF" render -q -j 2 -d "$tmp/out" "$tmp"/doc-*.json 2>"$tmp/err"; then
    grep -v ': warning: ' "$tmp/err" | head -20
fi
"$PY" "$here/check.py" "$tmp" | tee "$tmp/check.out"
# where tables split: a short table never, a part never of one or two rows
mkdir -p "$tmp/tables"
"$PY" "$here/tables.py" "$BRIEF" "$tmp/tables" | tee "$tmp/tables.out"
tail -n 1 "$tmp/check.out" "$tmp/tables.out" | awk '/passed/ { p += $1; f += $3 }
    END { print p " passed, " f " failed"; exit f > 0 }'
