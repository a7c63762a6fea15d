#!/bin/sh
# Typography rules (issue #3, docs/typography.md).  Each document (every
# tests/typo/*.txt and the text fields of the sample brief) goes through
# typo_check (tests/tools/typo_check.c): every paragraph at every whole
# measure from 10 to 46 em and a few off-grid ones, checked line by line,
# then set into a PDF and read back with pdftotext.  Then random paragraphs
# for robustness.
#
# Cases: one per document and rule group (the rule's number in
# docs/typography.md: 1 kinsoku, 2 flush lines ...), passing when no
# paragraph at any measure breaks a rule of the group; one per document for
# the pdftotext read-back; one for the random paragraphs.  A new document is
# a new tests/typo/NAME.txt.  Ends with "N passed, M failed".
set -u
BUILD=${BUILD:-build}
tool="$BUILD/tests/typo_check"
fonts=${BRIEF_FONT_DIR:-fonts}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

if [ ! -x "$tool" ]; then
    bad "no $tool (make test builds it)"
    echo "$pass passed, $fail failed"
    exit 1
fi

# check_document NAME TYPO_CHECK_ARGS...
check_document() {
    name=$1; shift
    "$tool" --fonts "$fonts" --pdf "$tmp/$name.pdf" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    # The rule table: "  NUMBER NAME ... FAULTS [(+N in paragraphs marked ...)]"
    sed -n -E 's/^  ([0-9]+) (.*[^ ]) +([0-9]+)( .*)?$/\1 \3 \2/p' "$tmp/out" >"$tmp/rules"
    if [ ! -s "$tmp/rules" ]; then
        bad "$name: typo_check gave no rule table (exit $rc)"
        cat "$tmp/out" "$tmp/err" | head -20 | sed 's/^/     /'
        return
    fi
    checks=$(sed -n -E 's/^([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$tmp/out" | awk '{ print $1 + $2 }')
    case_fail=$fail
    for group in $(cut -d' ' -f1 "$tmp/rules" | sort -n -u); do
        broken=$(awk -v g="$group" '$1 == g && $2 > 0 { $1 = ""; print }' "$tmp/rules")
        if [ -z "$broken" ]; then
            ok "$name: rule $group: $(awk -v g="$group" '$1 == g { $1 = $2 = ""; sub(/^  /, ""); printf "%s%s", sep, $0; sep = "; " }' "$tmp/rules")"
        else
            bad "$name: rule $group broken"
            echo "$broken" | sed 's/^ \([0-9]*\) \(.*\)/     \2: \1 faults/'
        fi
    done
    if grep -qx 'pdftotext: text identical (whitespace aside), 0 spurious spaces between Han characters' "$tmp/out" &&
       [ ! -s "$tmp/err" ]; then
        ok "$name: pdftotext gives back the set text"
    else
        bad "$name: pdftotext gives back the set text"
        grep '^pdftotext' "$tmp/out" | sed 's/^/     /'
        head -10 "$tmp/err" | sed 's/^/     /'
    fi
    if [ "$rc" -ne 0 ] && [ "$fail" -eq "$case_fail" ]; then
        bad "$name: typo_check exit $rc with every rule kept"
    fi
    # the faults themselves, for the failing document
    if [ "$fail" -ne "$case_fail" ]; then
        "$tool" --fonts "$fonts" -v "$@" 2>&1 >/dev/null | grep -v "(note)" | head -20 | sed "s/^/     /"
    fi
    echo "     ($name: ${checks:-?} paragraph x measure checks)"
}

for txt in tests/typo/*.txt; do
    check_document "$(basename "$txt")" "$txt"
done
# The sample's text as set: its references ({…}) expanded by the library.
"$BUILD/tests/expand_refs" data/cangzhou-2020.json >"$tmp/cangzhou-2020.json" ||
    bad "cangzhou-2020.json: references expand"
check_document "$(basename data/cangzhou-2020.json)" --only-sample --sample "$tmp/cangzhou-2020.json"

"$tool" --fonts "$fonts" --fuzz 2000 >"$tmp/fuzz" 2>&1
if [ $? -eq 0 ]; then ok "random paragraphs: $(head -1 "$tmp/fuzz")"
else bad "random paragraphs"; grep -v 'passed, .* failed' "$tmp/fuzz" | head -20 | sed 's/^/     /'; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
