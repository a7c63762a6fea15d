#!/bin/sh
# The one test runner (make test).  Runs the unit tests (one cmocka program
# per tests/unit/test_*.c, built by make as $BUILD/tests/test_*) and every
# suite tests/NAME/run.sh; with arguments, only the suites named ("unit",
# "bad", "render" ...).  tests/README.md says what each suite holds.
#
# Every suite counts cases, not generated checks, and reports them: a
# script on a line "N passed, M failed" (the last such line counts), a cmocka
# program on its "[  PASSED  ] N test(s)." and "[  FAILED  ] M test(s)" lines.
# A suite fails when it exits non-zero, reports no count, or reports no case
# at all without saying "skipped" (a suite that cannot fail is a defect).
#
# Prints each suite's output, a table of the counts, and last, alone on its
# line, the sums: "N passed, M failed" (CI reads it).  Exit status 0 only
# when every suite ran and nothing failed.
set -u
BUILD=${BUILD:-build}
export BRIEF="$BUILD/brief" BUILD
export BRIEF_FONT_DIR="$(pwd)/fonts"
export PYTHON=${PYTHON:-/usr/bin/python3}

passed=0 failed=0 broken=""
log=$(mktemp)
table=$(mktemp)
trap 'rm -f "$log" "$table"' EXIT

# count_cmocka LOG: "P F" from cmocka's summary lines, or nothing.
count_cmocka() {
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -1)
    [ -n "$p$f" ] && echo "${p:-0} ${f:-0}"
}

# count_line LOG: "P F" from the last "N passed, M failed" line, or nothing.
count_line() {
    grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -1 |
        sed -E 's/^([0-9]+) passed, ([0-9]+) failed$/\1 \2/'
}

# run_suite NAME COMMAND...: runs one suite and adds its counts.
run_suite() {
    name=$1; shift
    printf '== %s\n' "$name"
    "$@" >"$log" 2>&1
    rc=$?
    cat "$log"
    counts=$(count_cmocka "$log")
    [ -n "$counts" ] || counts=$(count_line "$log")
    p=${counts% *}; f=${counts#* }
    p=${p:-0}; f=${f:-0}
    why=""
    if [ -z "$counts" ]; then
        why="no \"N passed, M failed\" line"
    elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        why="exit status $rc with no failed case"
    elif [ "$rc" -eq 0 ] && [ "$f" -ne 0 ]; then
        why="exit status 0 with failed cases"
    elif [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && ! grep -q '^skipped' "$log"; then
        why="no case ran"
    fi
    # a suite that broke without counting a failure still counts one
    [ -n "$why" ] && { echo "FAIL suite $name: $why"; [ "$f" -eq 0 ] && f=1; }
    [ "$f" -ne 0 ] && broken="$broken $name"
    printf '%-22s %6d %6d\n' "$name" "$p" "$f" >>"$table"
    passed=$((passed + p)); failed=$((failed + f))
}

# wanted NAME [SUITE...]: NAME is among the suites asked for (all if none).
wanted() {
    want=$1; shift
    [ $# -eq 0 ] && return 0
    for asked in "$@"; do [ "$asked" = "$want" ] && return 0; done
    return 1
}

for s in "$@"; do
    if [ "$s" != unit ] && [ ! -f "tests/$s/run.sh" ]; then
        echo "tests/run.sh: no suite \"$s\" (unit or a folder of tests/ with a run.sh)" >&2
        echo "0 passed, 1 failed"
        exit 2
    fi
done

if wanted unit "$@"; then
    for src in tests/unit/test_*.c; do
        [ -f "$src" ] || continue
        t="$BUILD/tests/$(basename "$src" .c)"
        if [ -x "$t" ]; then
            run_suite "unit/$(basename "$t")" "$t"
        else
            run_suite "unit/$(basename "$t")" sh -c "echo \"no $t (make test builds it)\"; exit 1"
        fi
    done
fi
for s in tests/*/run.sh; do
    name=$(basename "$(dirname "$s")")
    wanted "$name" "$@" && run_suite "$name" bash "$s"
done

echo "== summary"
printf '%-22s %6s %6s\n' suite passed failed
cat "$table"
[ -n "$broken" ] && echo "failing suites:$broken"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ -z "$broken" ]
