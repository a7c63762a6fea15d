#!/bin/sh
# The library as a host program uses it: built against build/libbrief.so
# with only brief.h.  Exported symbols = brief.h's BRIEF_API functions; the
# API checks (api_test.c); the host's fontconfig view is untouched
# (host_fonts.c); engines in threads, clean under helgrind (threads.c);
# no leak over 8 engine cycles under valgrind (engine_cycles.c); the
# documented example compiles and runs (chart_from_data.c); a broken
# bundled font is a warning and the other faces stand in.
set -u
BUILD=${BUILD:-build}
SAMPLE=data/cangzhou-2020.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
# A suite's own "N passed, M failed" line, added to ours.
count() {
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
    p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
    f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
    pass=$((pass + ${p:-0})); fail=$((fail + ${f:-1}))
    grep -E '^(FAIL|     )' "$1"
}

so="$BUILD/libbrief.so"
[ -f "$so" ] || { echo "FAIL no $so"; echo "0 passed, 1 failed"; exit 1; }
# The soname, as an installed library would be found.
mkdir -p "$tmp/lib" && ln -s "$(cd "$(dirname "$so")" && pwd)/libbrief.so" "$tmp/lib/libbrief.so.0"
CFLAGS_PKG=$(pkg-config --cflags cairo fontconfig pangocairo)
LIBS_PKG=$(pkg-config --libs cairo fontconfig)
build() {   # build NAME [extra cflags]: tests/api/NAME.c against the shared library
    name=$1; shift
    cc -std=c11 -Wall -Wextra -Werror ${SAN:-} -Iinclude "$@" $CFLAGS_PKG -o "$tmp/$name" \
        "tests/api/$name.c" -L"$tmp/lib" -l:libbrief.so.0 -Wl,-rpath,"$tmp/lib" $LIBS_PKG -lpthread -lm
}

# 1. Exported symbols: exactly the BRIEF_API functions of brief.h.
nm -D --defined-only "$so" | awk '{print $3}' | sort > "$tmp/exported"
sed -n 's/^BRIEF_API [^(]*[ *]\(brief_[a-z0-9_]*\)(.*/\1/p' include/brief.h | sort > "$tmp/declared"
if [ -s "$tmp/declared" ] && cmp -s "$tmp/exported" "$tmp/declared"; then
    ok "libbrief.so exports exactly the $(wc -l < "$tmp/declared") BRIEF_API functions of brief.h"
else
    bad "exported symbols differ from brief.h (< exported, > declared):"
    diff "$tmp/exported" "$tmp/declared" | head -20
fi

# 2. The API checks (with a font directory whose serif face is empty).
mkdir -p "$tmp/fonts"
cp fonts/*.otf "$tmp/fonts/"
: > "$tmp/fonts/BriefSerifSC-Regular.otf"
if build api_test -Isrc; then
    API_TEST_BROKEN_FONTS="$tmp/fonts" "$tmp/api_test" "$SAMPLE" > "$tmp/out" 2>&1; count "$tmp/out"
    mkdir -p "$tmp/home"
    if HOME="$tmp/home" XDG_CACHE_HOME= API_TEST_NO_CACHE=1 "$tmp/api_test" "$SAMPLE" > "$tmp/out" 2>&1 &&
       [ ! -s "$tmp/out" ] && [ -z "$(ls -A "$tmp/home")" ]; then
        ok "no_cache = 1: an engine that writes nothing under \$HOME, silently"
    else bad "no_cache = 1"; cat "$tmp/out"; ls -AR "$tmp/home"; fi
else bad "api_test builds"; fi

# 3. The host's fonts before, during and after an engine.
if build host_fonts; then
    "$tmp/host_fonts" "$SAMPLE" sectors > "$tmp/out" 2>&1; count "$tmp/out"
else bad "host_fonts builds"; fi

# 4. Threads: an engine each, and one shared; then under helgrind.
if build threads; then
    # A shared engine without its lock hangs or crashes: bound the run.
    timeout 120 "$tmp/threads" "$SAMPLE" services 8 4 > "$tmp/out" 2>&1; count "$tmp/out"
    if [ -z "${SAN:-}" ]; then
        if ! command -v valgrind >/dev/null; then
            bad "valgrind is installed (helgrind)"
        elif timeout 300 valgrind --tool=helgrind --suppressions=tests/api/helgrind.supp --error-exitcode=9 \
                "$tmp/threads" "$SAMPLE" services 2 1 > "$tmp/hg" 2>&1; then
            ok "helgrind: no race in libbrief with engines in threads and one shared"
        else
            bad "helgrind: threads"; grep -A12 "Possible data race\|lock order" "$tmp/hg" | head -40
        fi
    fi
else bad "threads builds"; fi

# 5. No leak per engine: 8 engines made, used and freed.
if build engine_cycles; then
    if [ -n "${SAN:-}" ]; then
        "$tmp/engine_cycles" "$SAMPLE" sectors 8 > "$tmp/out" 2>&1 &&
            ok "8 engine cycles (leaks checked by the sanitizer)" || { bad "8 engine cycles"; cat "$tmp/out"; }
    elif ! command -v valgrind >/dev/null; then
        bad "valgrind is installed (memcheck)"
    elif valgrind --leak-check=full --num-callers=40 --errors-for-leak-kinds=definite --error-exitcode=9 \
            --suppressions=tests/api/valgrind.supp "$tmp/engine_cycles" "$SAMPLE" sectors 8 \
            > "$tmp/vg" 2>&1 && grep -q "8 of 8 engines drew" "$tmp/vg"; then
        ok "valgrind: 8 engine cycles, nothing definitely lost"
    else
        bad "valgrind: 8 engine cycles"; grep -E "definitely|drew" "$tmp/vg"
    fi
else bad "engine_cycles builds"; fi

# 6. The documented example: compiles, runs, draws with the bundled fonts.
if build chart_from_data && "$tmp/chart_from_data" "$tmp/ex.pdf" > "$tmp/out" 2>&1 &&
   grep -q "^chart .* at (0.0, 0.0)" "$tmp/out" && pdffonts "$tmp/ex.pdf" | grep -q BriefSansSC; then
    ok "example chart_from_data.c compiles and draws"
else bad "example chart_from_data.c"; cat "$tmp/out"; fi

# 7. A broken bundled font: a warning, exit 0, and no other serif face
#    picked silently (the fallback names Simplified Chinese faces).
BRIEF_FONT_DIR="$tmp/fonts" "$BUILD/brief" render -q "$SAMPLE" -o "$tmp/broken.pdf" 2> "$tmp/err"
rc=$?
if [ $rc -eq 0 ] && grep -q "warning: bundled font .*BriefSerifSC-Regular.otf is missing, empty or broken" "$tmp/err" &&
   ! pdffonts "$tmp/broken.pdf" | awk 'NR > 2 { sub(/^[A-Z]+\+/, "", $1); print $1 }' |
     grep -qi "jp\|math"; then   # names without the subset tag (MJPHBQ+… is not a JP face)
    ok "an empty BriefSerifSC-Regular.otf: a warning, exit 0, no Japanese or math face"
else
    bad "an empty BriefSerifSC-Regular.otf (exit $rc)"; cat "$tmp/err"; pdffonts "$tmp/broken.pdf"
fi
head -c 4096 fonts/BriefSerifSC-Regular.otf > "$tmp/fonts/BriefSerifSC-Regular.otf"
BRIEF_FONT_DIR="$tmp/fonts" "$BUILD/brief" chart "$SAMPLE" --id sectors -o "$tmp/broken.svg" 2> "$tmp/err"
if [ $? -eq 0 ] && grep -q "warning: bundled font .*BriefSerifSC-Regular.otf" "$tmp/err"; then
    ok "a truncated BriefSerifSC-Regular.otf: a warning, exit 0"
else bad "a truncated BriefSerifSC-Regular.otf"; cat "$tmp/err"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
