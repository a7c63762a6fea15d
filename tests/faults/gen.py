#!/usr/bin/env python3
"""Generates the inputs of tests/faults/run.sh: gen.py KIND OUT.json."""
import json, sys

kind, out = sys.argv[1], sys.argv[2]
N = int(sys.argv[3]) if len(sys.argv) > 3 else 600
para = "二〇二〇年全市经济运行总体平稳，固定资产投资同比增长百分之五点三，重点项目建设进展顺利。"

def doc(body, data=None):
    d = {"brief": 1, "body": body}
    if data is not None:
        d["data"] = data
    return d

if kind == "big":          # > 16 MiB
    d = doc([{"type": "paragraph", "text": para * 300} for _ in range(1000)])
    s = json.dumps(d, ensure_ascii=False)
elif kind == "deep":       # nesting 65 > 64
    s = '{"brief": 1, "body": [{"type": "paragraph", "text": "x"}], "meta": ' + "[" * 64 + "]" * 64 + "}"
elif kind == "rows":       # 10,001 rows
    rows = [["r%d" % i, i] for i in range(10001)]
    s = json.dumps(doc([{"type": "paragraph", "text": "x"}], {"t": {"columns": ["a", "b"], "rows": rows}}))
elif kind == "categories": # 51 categories in a chart
    rows = [["类%d" % i, i] for i in range(51)]
    s = json.dumps(doc([{"type": "chart", "id": "c", "kind": "bar", "data": "t"}],
                       {"t": {"columns": ["a", "b"], "rows": rows}}), ensure_ascii=False)
elif kind == "text":       # 100,001-byte text
    s = json.dumps(doc([{"type": "paragraph", "text": "a" * 100001}]))
elif kind == "pages":      # needs more than LAYOUT_MAX_PAGES (2000) pages
    body = []
    for _ in range(2001):
        body += [{"type": "paragraph", "text": "页"}, {"type": "page_break"}]
    body.append({"type": "paragraph", "text": "末页"})
    s = json.dumps(doc(body), ensure_ascii=False)
elif kind == "long":       # a long document (N sections, default 600), for the kill test
    body = [{"type": "title", "text": "长文档"}]
    for i in range(N):
        body.append({"type": "heading", "text": "第%d节" % (i + 1)})
        body += [{"type": "paragraph", "text": para * 12} for _ in range(3)]
        body.append({"type": "page_break"})
    body.append({"type": "paragraph", "text": "完"})
    s = json.dumps(doc(body), ensure_ascii=False)
else:
    sys.exit("unknown kind " + kind)
with open(out, "w", encoding="utf-8") as f:
    f.write(s)
