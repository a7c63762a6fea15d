#!/bin/sh
# Runs every test suite and ends with one line "N passed, M failed" that
# sums the suites' own counts.  Each suite is a program or script that
# prints its own "N passed, M failed" line (cmocka's summary is read too).
# Exit status: 0 only when every suite ran and nothing failed.
set -u
BUILD=${BUILD:-build}
export BRIEF="$BUILD/brief" BUILD
export BRIEF_FONT_DIR="$(pwd)/fonts"
export PYTHON=/usr/bin/python3

passed=0 failed=0 broken=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_suite() {
    name=$1; shift
    printf '== %s\n' "$name"
    "$@" >"$log" 2>&1
    rc=$?
    cat "$log"
    # cmocka: "[  PASSED  ] 12 test(s)." / "[  FAILED  ] 1 test(s), listed below:"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
    if [ -z "$p" ]; then
        line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
        p=$(echo "$line" | sed -E -n 's/^([A-Za-z-]+: )?([0-9]+) passed.*/\2/p')
        f=$(echo "$line" | sed -E -n 's/.* ([0-9]+) failed.*/\1/p')
    fi
    p=${p:-0}; f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1   # crashed or failed without counting
    fi
    [ "$rc" -ne 0 ] && broken="$broken $name"
    passed=$((passed + p)); failed=$((failed + f))
}

for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] && run_suite "unit: $(basename "$t")" "$t"
done
for s in tests/*/run.sh; do
    [ -f "$s" ] && run_suite "$(dirname "$s" | sed "s|tests/||")" bash "$s"
done

[ -n "$broken" ] && echo "failing suites:$broken"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ -z "$broken" ]
