# Costs bounded before the work (issue #13, items 2, 7, 11 and 12), sourced
# by tests/faults/run.sh after hostile.sh (whose bounded() it uses): the
# page, chart and bar limits of a brief, check on many names, --strict on
# every text, chart widths, PNG export area, huge ratios, out of memory.
mkdir -p c && cd c || exit 1

"$PY" - <<'EOF2'
import json
def charts(name, n, cats, series, height=240):
    cols = ["月"] + ["系列%d" % j for j in range(series)]
    rows = [["类别%d" % i] + [i * 1.5 + j for j in range(series)] for i in range(cats)]
    body = [{"type": "chart", "id": "c%d" % i, "kind": "bar", "data": "t", "height": height}
            for i in range(n)]
    d = {"brief": 1, "body": body, "data": {"t": {"columns": cols, "rows": rows}}}
    open(name, "w").write(json.dumps(d, ensure_ascii=False))
charts("charts201.json", 201, 3, 1)      # one chart past 200
charts("charts200.json", 200, 50, 1)     # the worst case inside: 200 charts, 10,000 bars
charts("bars.json", 17, 50, 12)          # 10,200 bars in 17 charts
para = "二〇二〇年全市经济运行总体平稳，固定资产投资同比增长百分之五点三，重点项目建设进展顺利。"
# about 2,400 pages of text: refused from the bound of its lines, nothing shaped
# (large type, few characters a page: the input stays small)
body = [{"type": "paragraph", "text": para * 4} for _ in range(2400)]
style = {"font_size": 24, "line_height": 3.0}
open("text2400.json", "w").write(json.dumps({"brief": 1, "style": style, "body": body}, ensure_ascii=False))
# just past the limit: 2,001 paragraphs of one full page each at 24 pt
# (200 of them lay out on exactly 200 pages; without the estimate the
# lower bound lets it through and the layout stops at its 2,001st page
# after 0.6 s and 110 MB),
# refused by the estimate before any text is shaped, not after laying out
# 2,000 pages
long = "开发区坚持项目为王，全年完成固定资产投资一百八十六亿元，同比增长百分之十二点三，其中工业投资占比超过六成。" * 6
body = [{"type": "paragraph", "text": long} for _ in range(2001)]
open("text2001.json", "w").write(json.dumps({"brief": 1, "style": {"font_size": 24}, "body": body}, ensure_ascii=False))
# 2,001 pages of one chart each, made of page breaks between small charts
body = []
for i in range(2001):
    body += [{"type": "figure", "caption": "图"}, {"type": "page_break"}]
open("figs2001.json", "w").write(json.dumps({"brief": 1, "body": body}, ensure_ascii=False))
EOF2
renders "201 charts: the chart limit, before any is set" 65 'body\[200\]: the brief has more than 200 charts \(at most 200 per brief' charts201.json
renders "10,200 bars: the bar limit, before any chart is set" 65 "body\[16\]: the brief's charts have more than 10000 bars \(categories × series, at most 10000 per brief" bars.json
# the worst case inside the chart limits: about 1.6 s of CPU; bounded
# loosely in time (a loaded machine stretches it), tightly in memory
max_s_past=$max_s; if [ -z "${SAN:-}" ]; then max_s=20; else max_s=150; fi
renders "200 charts of 50 bars (inside the limits) render" 0 '' charts200.json
max_s=$max_s_past
renders "2,400 pages of text: refused before shaping" 65 'the brief needs more than 2000 pages(: about [0-9]+ by the estimate made before layout)? \(expected at most 2000' text2400.json
renders "2,001 pages of text, just past the limit: refused by the estimate before layout" 65 'the brief needs more than 2000 pages: about [0-9]+ by the estimate made before layout \(expected at most 2000' text2001.json
renders "2,001 pages of figures between page breaks" 65 'the brief needs more than 2000 pages \(expected at most 2000' figs2001.json

# ---- --strict covers every text: chart texts, header, footer -------------
ext_b=$(printf '\360\240\200\200')     # U+20000, CJK Extension B: in no bundled face
for where in title note category reference header footer caption footnote; do
    "$PY" - "$where" "$ext_b" <<'EOF2'
import json, sys
where, ch = sys.argv[1], sys.argv[2]
chart = {"type": "chart", "id": "c", "kind": "bar", "data": "t"}
rows = [["一月", 1], ["二月", 2]]
page = {}
body = [{"type": "paragraph", "text": "正文"}]
if where in ("title", "note"): chart[where] = "图" + ch
if where == "category": rows[0][0] = "一" + ch
if where == "reference": chart["reference"] = [{"value": 1, "label": "线" + ch}]
if where in ("header", "footer"): page[where] = "页眉" + ch + " {page}"
if where == "footnote": body[0]["text"] = ["正文", {"note": "注" + ch}]
if where == "caption": body.append({"type": "figure", "caption": "图" + ch})
else: body.append(chart)
d = {"brief": 1, "page": page, "body": body, "data": {"t": {"columns": ["月", "值"], "rows": rows}}}
open("strict-%s.json" % where, "w").write(json.dumps(d, ensure_ascii=False))
EOF2
    bounded "--strict: U+20000 in a chart's or page's $where is an error" 65 \
        'no font has "'"$ext_b"'" \(U\+20000, CJK Extension B\); refusing to render \(--strict\)' -- \
        "$BRIEF" render --strict strict-$where.json -o o.pdf
    bounded "without --strict: U+20000 in $where is a warning" 0 \
        'warning: .*no font has "'"$ext_b"'" \(U\+20000, CJK Extension B\); it prints as a box' -- \
        "$BRIEF" render strict-$where.json -o o.pdf
done
bounded "--strict: a footnote's missing glyph is reported at the note run" 65 \
    'body\[0\]\.text\[1\]: no font has "'"$ext_b"'"' -- \
    "$BRIEF" render --strict strict-footnote.json -o o.pdf

# ---- --strict: a broken bundled font is an error --------------------------
mkdir -p fonts
cp "$BRIEF_FONT_DIR"/*.otf fonts/ && : > fonts/BriefSerifSC-Regular.otf
printf '{"brief": 1, "body": [{"type": "paragraph", "text": "正文"}]}\n' > plain.json
bounded "--strict: an empty bundled font is an error" 78 'a bundled font is broken \(strict_fonts\)' -- \
    env BRIEF_FONT_DIR="$PWD/fonts" "$BRIEF" render --strict plain.json -o o.pdf
bounded "without --strict: an empty bundled font is a warning" 0 \
    'warning: bundled font .*BriefSerifSC-Regular\.otf is missing, empty or broken' -- \
    env BRIEF_FONT_DIR="$PWD/fonts" "$BRIEF" render plain.json -o o.pdf

# ---- chart width agrees with validation; PNG export area -----------------
for w in 20 25.3; do
    printf '{"brief": 1, "body": [{"type": "chart", "id": "c", "kind": "bar", "data": "t", "width": %s}], "data": {"t": {"columns": ["月", "值"], "rows": [["一月", 1]]}}}\n' "$w" > narrow.json
    bounded "chart width $w mm: check accepts it" 0 '' -- "$BRIEF" check narrow.json
    bounded "chart width $w mm: brief chart exports it (one inch wide)" 0 '' -- \
        "$BRIEF" chart narrow.json --id c -o narrow.svg
    if grep -q 'width="72pt"' narrow.svg; then ok "chart width $w mm drawn 25.4 mm wide, as in the brief"
    else bad "chart width $w mm drawn 25.4 mm wide, as in the brief"; fi
done
printf '{"brief": 1, "body": [{"type": "chart", "id": "c", "kind": "bar", "data": "t", "width": 168, "height": 168}], "data": {"t": {"columns": ["月", "值"], "rows": [["一月", 1]]}}}\n' > square.json
bounded "PNG of 6300 x 6350 px (--dpi 960): the area limit" 65 \
    'square\.png: PNG of 6300 x 6350 = 40005000 pixels is too large \(at most 40 million\): lower --dpi' -- \
    "$BRIEF" chart square.json --id c --dpi 960 -o square.png
bounded "PNG of 15750 x 15875 px (--dpi 2400): the area limit" 65 \
    'PNG of 15750 x 15875 = 250031250 pixels is too large \(at most 40 million\)' -- \
    "$BRIEF" chart square.json --id c --dpi 2400 -o square.png
if [ ! -e square.png ]; then ok "a refused PNG writes nothing"; else bad "a refused PNG writes nothing"; fi

# ---- check: names looked up by hash, not by a search per chart -----------
# 150,000 datasets and 10,000 charts (12 MB): linear searches took 17 s.
# (10,000 charts are past the chart limit, which is checked after every
# chart is read: the only error of names.json.)
# Bounded on CPU time (1 s; about 0.5 s when linear) so a busy machine does
# not fail it; the unknown names also bound the "did you mean" work.
"$PY" - <<'EOF2'
import json
nd, nc = 150000, 10000
data = {"ds%06d" % i: {"columns": ["类别", "值%d" % i], "rows": [["一", i]]} for i in range(nd)}
for bad in (False, True):
    body = [{"type": "chart", "id": "c%d" % i, "kind": "bar",
             "data": ("dx%06d" if bad else "ds%06d") % (nd - 1 - i * 7 % nd),
             "values": ["值%d" % (nd - 1 - i * 7 % nd)]} for i in range(nc)]
    if bad:
        body[1]["data"] = "ds00001"   # among the first names: still a suggestion
    open("names-bad.json" if bad else "names.json", "w").write(
        json.dumps({"brief": 1, "body": body, "data": data}, ensure_ascii=False))
EOF2
for f in names names-bad; do
    /usr/bin/time -f '%U %M' -o cpu.txt timeout 60 "$BRIEF" check $f.json >/dev/null 2>err.txt
    rc=$?
    set -- $(tail -n 1 cpu.txt)
    if [ $rc -eq 65 ] && awk -v u="$1" -v s="${SAN:-}" 'BEGIN { exit !(s != "" || u < 1) }'
    then ok "check $f.json (150,000 datasets, 10,000 charts): exit $rc, $1 s CPU, $2 KB"
    else bad "check $f.json (150,000 datasets, 10,000 charts): exit $rc, $1 s CPU (bound 1 s)"; head -3 err.txt; fi
    [ $f = names ] && { [ "$(grep -c . err.txt)" = 1 ] && grep -q '^names\.json:1:[0-9]*: body\[200\]: the brief has more than 200 charts (at most 200 per brief' err.txt &&
        ok "names.json: only the chart limit" || { bad "names.json: only the chart limit"; head -3 err.txt; }; }
done
grep -Eq '^brief: 99[0-9]{2} more errors not shown' err.txt && ok "names-bad.json: 50 errors shown, the rest counted" ||
    bad "names-bad.json: 50 errors shown, the rest counted"
grep -q 'names-bad.json:1:[0-9]*: body\[1\].data: dataset "ds00001" not found (did you mean "ds000001"?' err.txt &&
    ok "unknown dataset: still a suggestion" || { bad "unknown dataset: still a suggestion"; head -2 err.txt; }

# ---- a completion ratio past 15 digits is refused, not printed ------------
printf '{"brief": 1, "body": [{"type": "chart", "id": "c", "kind": "completion", "data": "t", "plan": "计划", "actual": "完成"}], "data": {"t": {"columns": ["项目", "计划", "完成"], "rows": [["甲", 1e-10, 1e15]]}}}\n' > ratio.json
bounded "completion ratio 1e15 / 1e-10: refused at validation" 65 \
    'ratio\.json:1:[0-9]+: data\.t\.rows\[0\]\[2\]: completion ratio 1e\+15 / 1e-10 is too large to print as a percentage \(at most 15 digits' -- \
    "$BRIEF" check ratio.json
printf '{"brief": 1, "body": [{"type": "chart", "id": "c", "kind": "completion", "data": "t", "plan": "计划", "actual": "完成"}], "data": {"t": {"columns": ["项目", "计划", "完成"], "rows": [["甲", 0.01, 99999999999]]}}}\n' > ratio15.json
bounded "completion ratio of 15 digits: printed" 0 '' -- "$BRIEF" chart ratio15.json --id c -o ratio15.svg
if grep -q '>[^<]*999999999990000%<' ratio15.svg; then ok "15-digit ratio printed in full"
else bad "15-digit ratio printed in full"; fi

# ---- out of memory on large valid input: exit 71, never GLib's abort -------
# 100 paragraphs of 1,720 hanzi (0.5 MB): valid, renders in about 50 MB
# without a limit; under ulimit -v 100000 Pango would fail an allocation
# and GLib abort (SIGTRAP, exit 133); the layout's memory bound refuses it
# first.
"$PY" - <<'EOF2'
import json
para = "二〇二〇年全市经济运行总体平稳，固定资产投资同比增长百分之五点三，重点项目建设进展顺利。"
body = [{"type": "paragraph", "text": para * 40} for _ in range(100)]
open("bigtext.json", "w").write(json.dumps({"brief": 1, "body": body}, ensure_ascii=False))
EOF2
max_s_past=$max_s; if [ -z "${SAN:-}" ]; then max_s=20; else max_s=150; fi
bounded "large valid brief renders without a limit" 0 '' -- "$BRIEF" render -q bigtext.json -o bigtext.pdf
max_s=$max_s_past
if [ -z "${SAN:-}" ]; then
    bounded "large valid brief under ulimit -v 100000: exit 71, no abort" 71 \
        '^bigtext\.json: out of memory while laying out the brief \(it needs about [0-9]+ MB; the process may map [0-9]+ MB more\)$' -- \
        sh -c 'ulimit -v 100000; exec "$0" render -q bigtext.json -o bigtext2.pdf' "$BRIEF"
    if [ ! -e bigtext2.pdf ]; then ok "out of memory: no output"; else bad "out of memory: no output"; fi
else skip "out of memory under ulimit -v: AddressSanitizer build"; fi
cd ..
