#!/bin/sh
# valgrind memcheck on rendering the sample and exporting its charts (PDF
# and SVG): no invalid access, no
# definite or indirect leak of brief's own.  The suppressions cover only
# the one-time allocations of fontconfig, cairo and Pango documented in
# tests/valgrind/brief.supp.  Skipped in sanitizer builds (the two tools
# cannot share a process).
set -u
BUILD=${BUILD:-build}
if [ -n "${SAN:-}" ]; then echo "skipped under sanitizers"; echo "0 passed, 0 failed"; exit 0; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
for args in "render -q data/cangzhou-2020.json -o $tmp/s.pdf" \
            "chart data/cangzhou-2020.json --all -d $tmp -q" \
            "chart data/cangzhou-2020.json --all -d $tmp --format svg -q" \
            "check tests/bad/column-not-found.json"; do
    valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect \
        --suppressions=tests/valgrind/brief.supp "$BUILD/brief" $args >"$tmp/out" 2>"$tmp/vg"
    rc=$?
    if [ "$rc" -ne 99 ] && ! grep -q "Invalid\|uninitialised" "$tmp/vg"; then
        pass=$((pass + 1)); echo "ok   valgrind: brief $args" | sed "s|$tmp|DIR|g"
    else
        fail=$((fail + 1)); echo "FAIL valgrind: brief $args" | sed "s|$tmp|DIR|g"; head -60 "$tmp/vg"
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
