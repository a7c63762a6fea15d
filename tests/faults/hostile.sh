# Hostile and careless input (issue #13), sourced by tests/faults/run.sh in
# its temporary directory: image bombs, non-regular files, SVG figures,
# terminal escapes, output modes, batch name clashes, -q, --help, -d.
# Each case just past a limit must end in under 1 s and 100 MB, measured
# with /usr/bin/time around the tool (memory only in the plain build:
# AddressSanitizer reserves and touches far more).
MAKE_JPEG=${BUILD:-build}/tests/make_jpeg
case $MAKE_JPEG in /*) ;; *) MAKE_JPEG="$repo/$MAKE_JPEG" ;; esac
max_s=1 max_kb=102400
[ -n "${SAN:-}" ] && max_s=20 max_kb=
# the hard stop for one command: sanitizers slow the largest valid cases ~10×
hard_s=20; [ -n "${SAN:-}" ] && hard_s=180

# bounded NAME CODE STDERR-REGEX -- COMMAND...: exit code, a line of stderr
# matching the extended regex, and the time and memory bounds.
bounded() {
    name=$1 code=$2 want=$3; shift 4
    /usr/bin/time -f '%e %M' -o bound.txt timeout "$hard_s" "$@" >out.txt 2>err.txt
    rc=$?
    set -- $(tail -n 1 bound.txt)
    secs=$1 kb=$2
    over=$(awk -v s="$secs" -v k="$kb" -v ms="$max_s" -v mk="${max_kb:-0}" \
        'BEGIN { if (s >= ms) print "took " s " s"; else if (mk > 0 && k >= mk) print "used " k " KB" }')
    if [ "$rc" -ne "$code" ]; then bad "$name: exit $rc (expected $code)"; sed 's/^/     /' err.txt
    elif [ -n "$want" ] && ! grep -Eq -- "$want" err.txt; then bad "$name: stderr does not match: $want"; sed 's/^/     /' err.txt
    elif [ -n "$over" ]; then bad "$name: $over (bound: $max_s s, ${max_kb:-any} KB)"
    else ok "$name: exit $code, ${secs} s, ${kb} KB"; fi
}

# renders NAME CODE REGEX IN.json [OPTION...]: `brief render -q IN.json -o o.pdf`
# under bounded(), the case shape of most limits.
renders() {
    name=$1 code=$2 want=$3 in=$4; shift 4
    bounded "$name" "$code" "$want" -- "$BRIEF" render -q "$in" -o o.pdf "$@"
}

fig1() { printf '{"brief": 1, "body": [{"type": "figure", "image": "%s"}]}\n' "$2" > "$1"; }
figs() {  # OUT.json IMAGE...: one figure per image
    out=$1; shift
    { printf '{"brief": 1, "body": ['; sep=""
      for i in "$@"; do printf '%s{"type": "figure", "image": "%s"}' "$sep" "$i"; sep=", "; done
      printf ']}\n'; } > "$out"
}
mkdir -p h && cd h || exit 1

# ---- image bombs: refused before decoding ------------------------------
"$PY" - <<'EOF'
import struct, zlib
def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
def png(name, w, h, rows=None):
    raw = rows if rows is not None else (b'\0' + b'\0' * w) * h
    data = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0)) + \
           chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')
    open(name, 'wb').write(data)
    return data
# 23 bytes: SOI and a frame header declaring 10000 x 10000, nothing else
open('hdr.jpg', 'wb').write(b'\xff\xd8\xff\xc0\x00\x11\x08\x27\x10\x27\x10\x03\x01\x11\x00\x02\x11\x01\x03\x11\x01\xff\xd9')
open('sof.jpg', 'wb').write(b'\xff\xd8\xff\xc0\x00\x11\x08\x03\xe8\x03\xe8\x03')   # 14 bytes
png('side.png', 10001, 1)                       # just past 10000 px a side
png('area.png', 6325, 6325)                     # 40,005,625 px: just past 40 million
p = png('p6k.png', 6000, 6000)                  # 36 Mpx: three are past 100 million
open('p6k-b.png', 'wb').write(p); open('p6k-c.png', 'wb').write(p)
open('trunc.png', 'wb').write(p[:len(p) // 2])
d = bytearray(p); d[len(d) // 2] ^= 0xFF; open('crc.png', 'wb').write(bytes(d))
png('p4k.png', 4000, 4000)
EOF
"$MAKE_JPEG" 4000 3000 photo.jpg && head -c 200000 photo.jpg > trunc.jpg
fig1 hdr.json hdr.jpg; fig1 sof.json sof.jpg; fig1 side.json side.png; fig1 area.json area.png
fig1 truncj.json trunc.jpg; fig1 truncp.json trunc.png; fig1 crc.json crc.png
figs three.json p6k.png p6k-b.png p6k-c.png
figs twelve.json p6k.png p6k.png p6k.png p6k.png p6k.png p6k.png p6k.png p6k.png p6k.png p6k.png p6k.png p6k.png
renders "23-byte JPEG declaring 10000 x 10000" 65 'image "hdr.jpg" is a damaged or truncated JPEG file' hdr.json
renders "14-byte FF D8 FF C0 file" 65 'image "sof.jpg" is a damaged or truncated JPEG file' sof.json
renders "truncated JPEG refused" 65 'image "trunc.jpg" is a damaged or truncated JPEG file \(Premature end of JPEG file\)' truncj.json
renders "PNG 10001 px wide" 65 'is 10001 × 1 pixels \(at most 10000 pixels per side\)' side.json
renders "PNG of 40,005,625 px" 65 'is 6325 × 6325 = 40005625 pixels \(at most 40 million per image\)' area.json
renders "three 36 Mpx PNGs: brief budget, nothing decoded" 65 'body\[2\]\.image: image "p6k-c\.png" would bring the brief.s images to 108000000 pixels \(at most 100 million' three.json
renders "one 36 Mpx PNG in twelve figures: brief budget" 65 'image "p6k\.png" would bring the brief.s images to 108000000 pixels' twelve.json
renders "truncated PNG refused" 65 'image "trunc\.png" is a damaged or truncated PNG file \(read beyond end of data\)' truncp.json
renders "PNG with a damaged IDAT is damage, not out of memory" 65 'image "crc\.png" is a damaged or truncated PNG file' crc.json
if [ ! -e o.pdf ]; then ok "refused images leave no PDF"; else bad "refused images leave no PDF"; fi

# Accepted images: every PDF passes qpdf --check; a file named by several
# figures is read for its size once and decoded once (two opens in all).
figs photos.json photo.jpg photo.jpg photo.jpg p4k.png p4k.png
"$BRIEF" render -q photos.json -o photos.pdf
if qpdf --check photos.pdf >/dev/null 2>&1; then ok "JPEG and PNG used twice on a page: qpdf --check clean"
else bad "JPEG and PNG used twice on a page: qpdf --check"; qpdf --check photos.pdf 2>&1 | tail -3; fi
if [ "$(pdfimages -list photos.pdf | awk 'NR > 2 && $9 == "jpeg"' | wc -l)" -eq 3 ]; then ok "JPEG embedded as DCT in each figure"
else bad "JPEG embedded as DCT in each figure"; pdfimages -list photos.pdf; fi
if command -v strace >/dev/null && strace -qq -o /dev/null true 2>/dev/null; then
    strace -f -qq -e trace=open,openat -o opens.txt "$BRIEF" render -q photos.json -o photos2.pdf
    nj=$(grep -c 'photo\.jpg"' opens.txt) np=$(grep -c 'p4k\.png"' opens.txt)
    if [ "$nj" -eq 2 ] && [ "$np" -eq 2 ]; then ok "each image file opened twice (size plan, decode) for 3 and 2 figures"
    else bad "image files opened $nj and $np times (expected 2: plan and one decode)"; fi
else skip "decoded once: strace is not available"; fi
if [ -z "${SAN:-}" ]; then
    fig1 big.json p6k.png
    bounded "out of memory decoding a valid PNG: exit 71" 71 '^big\.json: out of memory while (loading a figure image$|laying out the brief )' -- \
        sh -c 'ulimit -v 200000; exec "$0" render -q big.json -o big.pdf' "$BRIEF"
else skip "out of memory under ulimit -v: AddressSanitizer build"; fi

# ---- only regular files ------------------------------------------------
mkfifo fifo.png; mkdir dir.png
fig1 fifo.json fifo.png; fig1 dir.json dir.png; fig1 zero.json /dev/zero
renders "FIFO as image: no hang" 66 'image "fifo\.png" cannot be read: not a regular file \(FIFO\)' fifo.json
renders "directory as image" 66 'image "dir\.png" cannot be read: not a regular file \(directory\)' dir.json
renders "/dev/zero with --allow-path /" 66 'image "/dev/zero" cannot be read: not a regular file \(character device\)' zero.json --allow-path /

# ---- SVG figures -------------------------------------------------------
cat > logo.svg <<'EOF'
<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200" viewBox="0 0 300 200">
  <rect x="10" y="10" width="280" height="180" fill="#c33"/><circle cx="150" cy="100" r="60" fill="#36c"/>
</svg>
EOF
figs svg.json logo.svg logo.svg
if "$BRIEF" check svg.json 2>err.txt; then ok "check accepts an SVG figure"; else bad "check accepts an SVG figure"; cat err.txt; fi
if "$BRIEF" render -q svg.json -o svg.pdf && qpdf --check svg.pdf >/dev/null 2>&1 &&
   [ "$(pdfimages -list svg.pdf | awk 'NR > 2' | wc -l)" -eq 0 ]; then ok "SVG figure drawn as vectors (no image), qpdf clean"
else bad "SVG figure drawn as vectors"; pdfimages -list svg.pdf; fi
"$PY" - <<'EOF'
s = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100"><defs><g id="a0"><rect width="1" height="1"/></g>'
for i in range(1, 30):
    s += '<g id="a%d">' % i + ''.join('<use xlink:href="#a%d"/>' % (i - 1) for _ in range(10)) + '</g>'
open('laughs.svg', 'w').write(s + '</defs><use xlink:href="#a29"/></svg>')
rects = ''.join('<rect x="%d" y="1" width="1" height="1"/>' % (i % 100) for i in range(20000))
open('many.svg', 'w').write('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="10">' + rects + '</svg>')
open('huge.svg', 'w').write('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><!--' + 'x' * (1 << 20) + '--></svg>')
chain = ''.join('<g id="c%d"><use xlink:href="#c%d"/></g>' % (i, i + 1) for i in range(5000))
open('chain.svg', 'w').write('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="9" height="9"><defs>' +
    chain + '<g id="c5000"><rect width="1" height="1"/></g></defs><use xlink:href="#c0"/></svg>')
open('raster.svg', 'w').write('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="data:image/png;base64,AAAA" width="10" height="10"/></svg>')
EOF
fig1 chain.json chain.svg; fig1 laughs.json laughs.svg; fig1 many.json many.svg; fig1 huge.json huge.svg; fig1 raster.json raster.svg
renders "SVG billion laughs with <use>" 65 'image "laughs\.svg" is an SVG file that draws more than 20000 elements' laughs.json
renders "SVG <use> chain 5000 deep" 65 'image "chain\.svg" is an SVG file whose elements and references nest more than 300 deep' chain.json
renders "SVG of 20,001 elements" 65 'image "many\.svg" is an SVG file that draws more than 20000 elements' many.json
renders "SVG over 1 MiB" 65 'image "huge\.svg" is larger than the 1 MiB limit for SVG files' huge.json
renders "SVG embedding a raster image" 65 'image "raster\.svg" is an SVG file that embeds a raster image' raster.json

# ---- chart -o does not overwrite its input -----------------------------
cp "$repo/data/cangzhou-2020.json" cz.json; cp cz.json cz.orig
id=$("$PY" -c 'import json,sys; print([b["id"] for b in json.load(open(sys.argv[1]))["body"] if b.get("type") == "chart"][0])' cz.json)
expect "chart -o its own input" 73 "cz.json: the output would overwrite the input (choose another -o or -d)" -- \
    "$BRIEF" chart cz.json --id "$id" -o cz.json --format svg
ln -s cz.json cz-link.svg
expect "chart -o a link to its input" 73 "cz-link.svg: the output would overwrite the input (choose another -o or -d)" -- \
    "$BRIEF" chart cz.json --id "$id" -o cz-link.svg
if cmp -s cz.json cz.orig; then ok "chart input untouched"; else bad "chart input untouched"; fi

# ---- escaping: nothing reaches the terminal raw; valid UTF-8 -----------
printf '{"brief": 1, "body": [{"type": "figure", "image": "x\\u001B]0;pwned\\u0007\\u001B[2J\\nforged: ok.png"}]}\n' > esc.json
"$BRIEF" render -q esc.json -o o.pdf 2>err.txt
if ! grep -q "$(printf '\033')" err.txt && ! grep -q "$(printf '\007')" err.txt && ! grep -q '^forged' err.txt &&
   grep -q 'image "x\\u001B\]0;pwned\\u0007\\u001B\[2J\\u000Aforged: ok\.png"' err.txt
then ok "control characters in an image path escaped (\\u001B), no forged line"
else bad "control characters in an image path escaped"; od -c err.txt | head; fi
"$PY" -c 'import json; print(json.dumps({"brief": 1, "body": [{"type": "figure", "image": "\u4e2d" * 1360 + ".png"}]}, ensure_ascii=False))' > long.json
"$BRIEF" render -q long.json -o o.pdf 2>err.txt
if "$PY" -c 'import sys; sys.stdin.buffer.read().decode("utf-8")' < err.txt && grep -q '…$' err.txt
then ok "an 8 KB message is cut between characters, ends in …, valid UTF-8"
else bad "long message cut between characters"; tail -c 100 err.txt | od -c | tail -5; fi

# ---- output mode and symbolic links ------------------------------------
printf '{"brief": 1, "body": [{"type": "paragraph", "text": "你好"}]}\n' > p.json
"$BRIEF" render -q p.json -o mode.pdf && chmod 600 mode.pdf && "$BRIEF" render -q p.json -o mode.pdf
if [ "$(stat -c %a mode.pdf)" = 600 ]; then ok "a replaced output keeps mode 600"
else bad "a replaced output keeps mode 600: $(stat -c %a mode.pdf)"; fi
(umask 077 && "$BRIEF" render -q p.json -o umask.pdf)
if [ "$(stat -c %a umask.pdf)" = 600 ]; then ok "a new output follows the umask (077: 600)"
else bad "a new output follows the umask: $(stat -c %a umask.pdf)"; fi
printf 'keep\n' > target.txt; ln -s target.txt link.pdf
"$BRIEF" render -q p.json -o link.pdf
if [ ! -L link.pdf ] && [ "$(cat target.txt)" = keep ] && qpdf --check link.pdf >/dev/null 2>&1
then ok "a symbolic link at the output is replaced, its target untouched"
else bad "a symbolic link at the output is replaced, its target untouched"; fi

# ---- batch: two inputs, one output name --------------------------------
mkdir -p a b
cp p.json a/x.json; cp p.json b/x.json
for j in 1 2; do
    expect "render -d out a/x.json b/x.json (-j $j)" 64 \
        "brief render: a/x.json and b/x.json would both be written to out/x.pdf (rename one, or render them into different directories)" -- \
        "$BRIEF" render -j $j -d out a/x.json b/x.json
done
if [ ! -e out/x.pdf ]; then ok "a refused batch writes nothing"; else bad "a refused batch writes nothing"; fi
expect "render -d deep/new/dir creates it" 0 "" -- "$BRIEF" render -q -d deep/new/dir a/x.json
if [ -f deep/new/dir/x.pdf ]; then ok "-d directory created as mkdir -p"; else bad "-d directory created as mkdir -p"; fi
expect "render -d under a file" 73 "p.json/sub: cannot create directory: p.json is not a directory" -- \
    "$BRIEF" render -q -d p.json/sub a/x.json

# ---- -q is errors only; every subcommand takes --help -------------------
printf '{"brief": 1, "body": [\n  {"type": "paragraph", "text": "罕见字\360\252\232\245测试。"}]}\n' > rare.json
expect "render -q: no warnings" 0 "" -- "$BRIEF" render -q rare.json -o rare.pdf
if "$BRIEF" render rare.json -o rare.pdf 2>&1 >/dev/null | grep -q 'warning: no font has'; then ok "without -q the warning shows"
else bad "without -q the warning shows"; fi
for cmd in render check chart; do
    if "$BRIEF" $cmd --help >out.txt 2>err.txt && grep -q '^usage: brief' out.txt && [ ! -s err.txt ]
    then ok "brief $cmd --help: usage, exit 0"; else bad "brief $cmd --help"; cat err.txt; fi
done
cd ..
