#!/bin/sh
# Fault tests: file errors (exact message and exit code), limits (bounded
# time and memory), kill -9 during a render, missing fonts, an unusable
# fontconfig cache, and no shell-out / network / stray file reads.
# Runs from the repository root; uses $BRIEF (default build/brief).
# Inputs are generated at test time (tests/faults/gen.py) in a temp dir.
set -u
repo=$(pwd)
BRIEF=${BRIEF:-build/brief}
case $BRIEF in /*) ;; *) BRIEF="$repo/$BRIEF" ;; esac
PY=${PYTHON:-python3}
GEN="$repo/tests/faults/gen.py"
export BRIEF_FONT_DIR="${BRIEF_FONT_DIR:-$repo/fonts}"
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
pass=0 fail=0
ok()   { pass=$((pass + 1)); echo "ok   $*"; }
bad()  { fail=$((fail + 1)); echo "FAIL $*"; }
skip() { echo "skip $*"; }

# expect NAME CODE EXPECTED-STDERR -- COMMAND...: exact exit code and stderr.
expect() {
    name=$1 code=$2 want=$3; shift 4
    "$@" >out.txt 2>err.txt
    rc=$?
    if [ -n "$want" ]; then printf '%s\n' "$want"; fi > want.txt
    if [ "$rc" -eq "$code" ] && cmp -s want.txt err.txt; then ok "$name: exit $code"
    else bad "$name: exit $rc (expected $code)"; diff want.txt err.txt | sed 's/^/     /'; fi
}

printf '{"brief": 1, "body": [{"type": "paragraph", "text": "你好"}]}\n' > ok.json
mkdir sub adir.json
cp "$repo/tests/render/docs/img/chart.png" outside.png
cp "$repo/tests/render/docs/img/chart.png" sub/inside.png
printf 'not an image\n' > sub/fake.png
printf '{"brief": 1, "body": [{"type": "figure", "image": "../outside.png"}]}\n' > sub/outside.json
printf '{"brief": 1, "body": [{"type": "figure", "image": "inside.png"}]}\n' > sub/inside.json
printf '{"brief": 1, "body": [{"type": "figure", "image": "fake.png"}]}\n' > sub/fake.json
printf '{"brief": 1, "body": [{"type": "figure", "image": "gone.png"}]}\n' > sub/gone.json

# ---- files -----------------------------------------------------------
expect "missing input" 66 "nope.json: cannot open: No such file or directory (expected a readable JSON file)" -- \
    "$BRIEF" render nope.json
expect "missing input (check)" 66 "nope.json: cannot open: No such file or directory (expected a readable JSON file)" -- \
    "$BRIEF" check nope.json
expect "directory as input" 66 "adir.json: is a directory (expected a JSON file)" -- \
    "$BRIEF" render adir.json
expect "output directory missing" 73 "nodir/x.pdf: cannot create output in nodir: No such file or directory" -- \
    "$BRIEF" render -q ok.json -o nodir/x.pdf
expect "output directory is a file" 73 "ok.json/x.pdf: cannot create output in ok.json: Not a directory" -- \
    "$BRIEF" render -q ok.json -o ok.json/x.pdf
expect "output is a directory" 73 "sub: is a directory (expected an output file name)" -- \
    "$BRIEF" render -q ok.json -o sub
cp ok.json self.json
expect "output equal to the input" 73 "self.json: the output would overwrite the input (choose another -o)" -- \
    "$BRIEF" render -q self.json -o self.json
if cmp -s ok.json self.json; then ok "input untouched"; else bad "input untouched"; fi
ln -s self.json link.json
expect "output is a link to the input" 73 "link.json: the output would overwrite the input (choose another -o)" -- \
    "$BRIEF" render -q self.json -o link.json
expect "image outside the brief's directory" 65 \
    "sub/outside.json:1:51: body[0].image: image \"../outside.png\" is outside the brief's directory (images must be under sub or a directory given with --allow-path)" -- \
    "$BRIEF" render -q sub/outside.json -o o.pdf
expect "image outside, --allow-path ." 0 "" -- "$BRIEF" render -q sub/outside.json -o o.pdf --allow-path .
if qpdf --check o.pdf >/dev/null 2>&1; then ok "--allow-path output is a valid PDF"; else bad "--allow-path output is a valid PDF"; fi
expect "--allow-path elsewhere does not help" 65 \
    "sub/outside.json:1:51: body[0].image: image \"../outside.png\" is outside the brief's directory (images must be under sub or a directory given with --allow-path)" -- \
    "$BRIEF" render -q sub/outside.json -o o2.pdf --allow-path sub
ln -s ../outside.png sub/sneaky.png
printf '{"brief": 1, "body": [{"type": "figure", "image": "sneaky.png"}]}\n' > sub/sneaky.json
expect "symbolic link out of the directory" 65 \
    "sub/sneaky.json:1:51: body[0].image: image \"sneaky.png\" is outside the brief's directory (images must be under sub or a directory given with --allow-path)" -- \
    "$BRIEF" render -q sub/sneaky.json -o o3.pdf
expect "image inside" 0 "" -- "$BRIEF" render -q sub/inside.json -o o4.pdf
expect "image that is not an image" 65 \
    "sub/fake.json:1:51: body[0].image: image \"fake.png\" is not a PNG, JPEG or SVG image (expected a PNG, JPEG or SVG file)" -- \
    "$BRIEF" render -q sub/fake.json -o o5.pdf
expect "image missing" 66 \
    "sub/gone.json:1:51: body[0].image: image \"gone.png\" not found (looked for sub/gone.png)" -- \
    "$BRIEF" render -q sub/gone.json -o o6.pdf
if [ ! -e o5.pdf ] && [ ! -e o6.pdf ] && [ -z "$(find . -name '.*.pdf.*')" ]; then ok "failed renders leave no file"
else bad "failed renders leave no file"; fi

# Unreadable input and unwritable directory: root bypasses permissions, so
# root runs the tool without CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH.
cp ok.json unreadable.json; chmod 000 unreadable.json
mkdir rodir; chmod 555 rodir
nocap=""
if [ "$(id -u)" -eq 0 ]; then
    caps=-dac_override,-dac_read_search
    if command -v setpriv >/dev/null && setpriv --bounding-set=$caps --inh-caps=$caps true 2>/dev/null; then
        nocap="setpriv --bounding-set=$caps --inh-caps=$caps"
    else nocap=none; fi
fi
if [ "$nocap" = none ]; then
    skip "unreadable input / unwritable directory: running as root and setpriv cannot drop CAP_DAC_OVERRIDE"
else
    expect "unreadable input" 66 "unreadable.json: cannot open: Permission denied (expected a readable JSON file)" -- \
        $nocap "$BRIEF" render -q unreadable.json -o u.pdf
    expect "output directory unwritable" 73 "rodir/x.pdf: cannot create output in rodir: Permission denied" -- \
        $nocap "$BRIEF" render -q ok.json -o rodir/x.pdf
fi

# ---- limits: clear error, documented exit code, bounded time and memory --
# AddressSanitizer reserves terabytes of address space for its shadow, so
# the memory bound applies only to the plain build.
vlimit="ulimit -v 2097152;"
[ -n "${SAN:-}" ] && vlimit=""
limit() {   # NAME KIND EXPECTED-STDERR
    "$PY" "$GEN" "$2" "$2.json" || { bad "$1: cannot generate"; return; }
    start=$(date +%s%N)
    expect "$1" 65 "$3" -- sh -c "$vlimit exec timeout 20 \"\$0\" render -q $2.json -o $2.pdf" "$BRIEF"
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    echo "     $1: ${ms} ms"
}
limit "input > 16 MiB" big "big.json: input is larger than the 16 MiB limit"
limit "nesting > 64" deep "deep.json:1:131: nesting is too deep (at most 64 levels of arrays and objects)"
limit "rows > 10,000" rows "rows.json:1:106: data.t.rows: 10001 rows (at most 10000)"
limit "categories > 50" categories "categories.json:1:75: body[0].data: chart has 51 categories (at most 50)"
limit "text > 100,000 bytes" text "text.json:1:53: body[0].text: text is too long: 100001 bytes (at most 100000)"
limit "pages > 2000" pages "pages.json: the brief needs more than 2000 pages (expected at most 2000; split it into several briefs)"

# ---- kill -9 at random moments: the target stays whole ----------------
export SOURCE_DATE_EPOCH=1606780800
"$PY" "$GEN" long long.json
"$BRIEF" render -q "$repo/data/cangzhou-2020.json" -o good.pdf
"$BRIEF" render -q long.json -o new.pdf          # what a finished run writes
mkdir k
kept=0 replaced=0 broken=0
i=0
while [ $i -lt 20 ]; do
    i=$((i + 1))
    cp good.pdf k/out.pdf
    ms=$(awk -v s="$i" 'BEGIN { srand(s * 7919 + '"$$"'); printf "%d", rand() * 1100 }')
    "$BRIEF" render -q long.json -o k/out.pdf 2>/dev/null &
    pid=$!
    sleep "$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    if cmp -s good.pdf k/out.pdf && qpdf --check k/out.pdf >/dev/null 2>&1; then kept=$((kept + 1))
    elif cmp -s new.pdf k/out.pdf && qpdf --check k/out.pdf >/dev/null 2>&1; then replaced=$((replaced + 1))
    else broken=$((broken + 1)); echo "     kill after ${ms} ms: target is neither the old nor the new PDF"; fi
done
if [ $broken -eq 0 ]; then ok "kill -9 x20: target whole ($kept old, $replaced finished before the kill)"
else bad "kill -9 x20: $broken corrupt targets"; fi
strays=$(find k -name '.out.pdf.*' | wc -l)
echo "     kill -9 left $strays temporary file(s) .out.pdf.XXXXXX (expected: no cleanup can run after SIGKILL)"
if "$BRIEF" render -q long.json -o k/out.pdf && cmp -s new.pdf k/out.pdf; then
    ok "a later run succeeds despite $strays stray temporary file(s)"
else bad "a later run succeeds despite stray temporary files"; fi
unset SOURCE_DATE_EPOCH

# ---- fonts -------------------------------------------------------------
expect "BRIEF_FONT_DIR=/nonexistent: warning, build-tree fonts" 0 \
    "warning: BRIEF_FONT_DIR=/nonexistent holds no brief fonts; looking elsewhere" -- \
    env BRIEF_FONT_DIR=/nonexistent "$BRIEF" render -q ok.json -o f1.pdf
# A relative BRIEF_FONT_DIR names the same fonts (fontconfig wants absolute paths)
mkdir -p relfonts && cp "$BRIEF_FONT_DIR"/*.otf relfonts/
expect "BRIEF_FONT_DIR=relfonts (a relative path): no warning" 0 "" -- \
    env BRIEF_FONT_DIR=relfonts "$BRIEF" render -q ok.json -o f0.pdf
if pdffonts f0.pdf 2>/dev/null | grep -q 'BriefSerifSC'; then ok "relative BRIEF_FONT_DIR: the bundled serif embedded"
else bad "relative BRIEF_FONT_DIR: the bundled serif embedded"; pdffonts f0.pdf; fi
# A copy of the tool away from the build tree has no bundled fonts at all.
mkdir -p iso/bin && cp "$BRIEF" iso/bin/brief
if [ -d /usr/local/share/brief/fonts ] || [ -d /usr/share/brief/fonts ]; then
    skip "no bundled fonts: fonts are installed on this machine"
elif fc-list :lang=zh 2>/dev/null | grep -q .; then
    expect "no bundled fonts, system CJK fonts: warning and fallback" 0 \
        "warning: BRIEF_FONT_DIR=/nonexistent holds no brief fonts; looking elsewhere
warning: bundled fonts not found (set BRIEF_FONT_DIR); using system fonts" -- \
        env BRIEF_FONT_DIR=/nonexistent iso/bin/brief render -q ok.json -o f2.pdf
    if pdffonts f2.pdf 2>/dev/null | grep -q 'CJK'; then ok "fallback PDF embeds a system CJK font"
    else bad "fallback PDF embeds a system CJK font"; fi
else skip "no bundled fonts, system CJK fonts: none installed"; fi
# No fonts anywhere: hide the system font directories in a mount namespace.
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
    unshare -m sh -c 'for d in /usr/share/fonts /usr/local/share/fonts; do [ -d $d ] && mount -t tmpfs none $d; done
        BRIEF_FONT_DIR=/nonexistent exec iso/bin/brief render -q ok.json -o f3.pdf' >/dev/null 2>err.txt
    rc=$?
    if [ $rc -eq 78 ] && [ ! -e f3.pdf ] && grep -q '^no font for Chinese text: ' err.txt; then ok "no fonts anywhere: exit 78"
    else bad "no fonts anywhere: exit $rc"; cat err.txt; fi
else skip "no fonts anywhere: needs root and unshare -m"; fi

# ---- fontconfig cache --------------------------------------------------
before=$(ls -d "${TMPDIR:-/tmp}"/brief-fc-* 2>/dev/null | wc -l)
expect "XDG_CACHE_HOME is a file, HOME in /proc: temporary cache" 0 "" -- \
    env XDG_CACHE_HOME="$tmp/ok.json" HOME=/proc/self "$BRIEF" render -q ok.json -o c1.pdf
expect "XDG_CACHE_HOME under /proc: temporary cache" 0 "" -- \
    env XDG_CACHE_HOME=/proc/self/status HOME=/nonexistent/home "$BRIEF" render -q ok.json -o c2.pdf
after=$(ls -d "${TMPDIR:-/tmp}"/brief-fc-* 2>/dev/null | wc -l)
if qpdf --check c1.pdf >/dev/null 2>&1 && qpdf --check c2.pdf >/dev/null 2>&1; then ok "cache fallback PDFs are valid"
else bad "cache fallback PDFs are valid"; fi
if [ "$after" -le "$before" ]; then ok "temporary cache removed"; else bad "temporary cache left in ${TMPDIR:-/tmp}"; fi

# ---- no shell-out, no network, no stray reads --------------------------
if command -v strace >/dev/null && strace -qq -o /dev/null true 2>/dev/null; then
    strace -f -qq -e trace=execve,connect,socket,open,openat -o trace.txt \
        "$BRIEF" render -q sub/inside.json -o s.pdf
    n_exec=$(grep -c 'execve(' trace.txt)
    if [ "$n_exec" -eq 1 ]; then ok "no shell-out (one execve)"; else bad "no shell-out: $n_exec execve"; grep execve trace.txt; fi
    if ! grep -qE 'connect\(|socket\(' trace.txt; then ok "no network"; else bad "no network"; grep -E 'connect|socket' trace.txt; fi
    # Every file opened is the input, its image, the fonts, the cache, the
    # output's temporary file, or part of the system (libraries, /proc).
    cache=${XDG_CACHE_HOME:-$HOME/.cache}
    stray=$(grep -E 'open(at)?\(' trace.txt | grep -v '= -1' | sed -n 's/^[^"]*"\([^"]*\)".*/\1/p' |
        grep -vE "^(/lib|/usr/lib|/lib64|/etc/ld\.so|/etc/localtime|/proc/|/sys/|/dev/)" |
        grep -vxF -e sub/inside.json -e "$tmp/sub/inside.png" |
        grep -v "^$BRIEF_FONT_DIR" | grep -v "^$cache/brief/" | grep -v '^\./\.s\.pdf\.' |
        grep -v "^${TMPDIR:-/tmp}/brief-fc-")
    if [ -z "$stray" ]; then ok "no file read outside what the input names"
    else bad "files read outside what the input names:"; echo "$stray" | sed 's/^/     /'; fi
else skip "no shell-out / network: strace is not available"; fi

# ---- hostile input: image bombs, escapes, modes, batches (issue #13) ---
. "$repo/tests/faults/hostile.sh"
. "$repo/tests/faults/costs.sh"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
