#!/bin/sh
# valgrind memcheck on rendering the sample, exporting its charts (PDF and
# SVG) and checking a bad brief: no invalid access, no use of uninitialised
# memory, no definite or indirect leak of brief's own, and brief's own exit
# status the expected one.  The suppressions cover only the one-time
# allocations of fontconfig, cairo and Pango documented in
# tests/valgrind/brief.supp.  Skipped in sanitizer builds (the two tools
# cannot share a process); valgrind missing is a failure.
set -u
BUILD=${BUILD:-build}
if [ -n "${SAN:-}" ]; then echo "skipped under sanitizers"; echo "0 passed, 0 failed"; exit 0; fi
if ! command -v valgrind >/dev/null 2>&1; then
    echo "FAIL valgrind is missing (apt-get install valgrind, or make test-deps)"
    echo "0 passed, 1 failed"
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
# Each case: brief's expected exit status, then its arguments.
while read -r want args; do
    valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect \
        --suppressions=tests/valgrind/brief.supp "$BUILD/brief" $args >"$tmp/out" 2>"$tmp/vg"
    rc=$?
    what="valgrind: brief $(echo "$args" | sed "s|$tmp|DIR|g")"
    # valgrind's own lines start with ==PID==; brief's stderr does not.
    if [ "$rc" -eq "$want" ] && ! grep -q '^==[0-9]*==' "$tmp/vg"; then
        pass=$((pass + 1)); echo "ok   $what"
    else
        fail=$((fail + 1)); echo "FAIL $what: exit $rc, expected $want"; head -60 "$tmp/vg"
    fi
done <<EOF
0  render -q data/cangzhou-2020.json -o $tmp/s.pdf
0  chart data/cangzhou-2020.json --all -d $tmp -q
0  chart data/cangzhou-2020.json --all -d $tmp --format svg -q
65 check tests/bad/column-not-found.json
EOF
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
