#!/bin/sh
# The bad-input corpus: every tests/bad/NAME.json goes through
# `brief check`, whose exit code and stderr must equal tests/bad/NAME.expected
# (first line: the exit code; the rest: stderr, byte for byte).  One case
# per NAME.json: a new case is a new pair of files (gen.sh writes the inputs
# that are awkward to edit); an .expected without its .json fails.
#   BRIEF   the program to test (default build/brief, from the repo root)
# Ends with "N passed, M failed"; exits 1 if anything failed.
set -u
here=$(pwd)
cd "$(dirname "$0")/../.." || exit 2
case ${BRIEF:-} in
    "") BRIEF=build/brief ;;
    /*) ;;
    */*) BRIEF="$here/$BRIEF" ;;
esac
if [ ! -x "$BRIEF" ] && ! command -v "$BRIEF" >/dev/null 2>&1; then
    echo "bad: $BRIEF not found (run make first)" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
for input in tests/bad/*.json; do
    expected=${input%.json}.expected
    if [ ! -f "$expected" ]; then
        echo "FAIL $input: no $expected"
        failed=$((failed + 1))
        continue
    fi
    "$BRIEF" check "$input" >/dev/null 2>"$tmp/stderr"
    code=$?
    want=$(head -n 1 "$expected")
    tail -n +2 "$expected" >"$tmp/want"
    if [ "$code" = "$want" ] && cmp -s "$tmp/want" "$tmp/stderr"; then
        passed=$((passed + 1))
        continue
    fi
    failed=$((failed + 1))
    echo "FAIL $input"
    [ "$code" = "$want" ] || echo "  exit code $code, expected $want"
    diff -u "$tmp/want" "$tmp/stderr" | sed -e 's/^/  /' -e '1,2d'
done
for expected in tests/bad/*.expected; do
    [ -f "${expected%.expected}.json" ] && continue
    echo "FAIL $expected: no ${expected%.expected}.json"
    failed=$((failed + 1))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
