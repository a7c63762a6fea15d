#!/usr/bin/python3
"""Generates the benchmark inputs (stdlib only).

usage: gen.py OUTDIR

Writes into OUTDIR:
  brief4-serif.json   4 A4 pages, ~6,000 Chinese characters, 3 bar charts, one family (serif)
  brief4-sans.json    the same in the sans family
  brief4-mixed.json   the same with a serif body and sans headings
  doc100.json         a ~100-page document (the sample's paragraphs, repeated with variations)
  charts50.json       50 charts (and a little text)
  bulletin20.json     a 20-page monthly bulletin: masthead, tiles, 10 tables, 10 charts, text
  doc100-refs.json    the same document built from data/cangzhou-2020.json, whose text
                      quotes its figures through references ({…}): the cost of binding text
                      to the data (every other input is built from bench/sample-literal.json,
                      the sample with its figures typed, so that the inputs stay the ones
                      earlier results were measured on: the generators measure text by its
                      length as written, which references change)
  batch/b000..b099.json  100 small briefs (variants of the sample) for the batch case
"""
import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, "..", "data", "cangzhou-2020.json")
LITERAL = os.path.join(HERE, "sample-literal.json")


NEW_BLOCKS = ("masthead", "kpi", "list", "table")


def load_sample(path=LITERAL):
    """The sample without its bulletin blocks (masthead, tiles, list,
    table), so that the 4-page brief and the other cases stay the ones
    earlier results were measured on; bulletin20 has those blocks."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    doc["body"] = [b for b in doc["body"] if b["type"] not in NEW_BLOCKS]
    return doc


def han_count(doc):
    n = 0
    for b in doc["body"]:
        for key in ("text", "caption"):
            n += len(b.get(key) or "")
    return n


def write(path, doc):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)


def paragraphs(sample):
    return [b for b in sample["body"] if b["type"] == "paragraph"]


def charts(sample):
    return [b for b in sample["body"] if b["type"] == "chart"]


def brief4(sample, body_font, heading_font):
    """About 6,000 characters, 3 charts, no figures: 4 A4 pages."""
    doc = copy.deepcopy(sample)
    doc["style"]["body_font"] = body_font
    doc["style"]["heading_font"] = heading_font
    # A compact page (10 pt on 15 pt, 15 mm margins) so the text fits 4 A4 pages.
    doc["style"]["font_size"] = 10
    doc["style"]["line_height"] = 1.5
    doc["page"]["margin"] = [15, 15]
    keep_charts = {"signed-investment", "sectors", "services"}
    body = []
    for b in doc["body"]:
        if b["type"] == "figure":
            continue
        if b["type"] == "chart" and b["id"] not in keep_charts:
            continue
        body.append(b)
    doc["body"] = body
    # The sample's text is ~5,600 characters: add varied paragraphs up to ~6,000.
    paras = paragraphs(sample)
    k = 0
    while han_count(doc) < 5900:
        p = copy.deepcopy(paras[k % len(paras)])
        p["text"] = variant(p["text"], k + 1)
        doc["body"].append(p)
        k += 1
    return doc


def vary_year(run, year):
    """A run (string or object) with 2020年 moved to year."""
    if isinstance(run, str):
        return run.replace("2020年", "%d年" % year)
    if "text" in run:
        return dict(run, text=run["text"].replace("2020年", "%d年" % year))
    return run


def variant(text, k):
    """A paragraph that differs from the source (so it is not a verbatim copy);
    given as runs, only its years change (the runs keep their order)."""
    if k == 0:
        return text
    year = 2020 + (k % 5)
    if isinstance(text, list):
        return [vary_year(r, year) for r in text]
    t = text.replace("2020年", "%d年" % year)
    # Rotate the sentences (split at 。) so lines break differently.
    parts = [p for p in t.split("。") if p]
    if len(parts) > 1:
        r = k % len(parts)
        parts = parts[r:] + parts[:r]
    return "。".join(parts) + "。"


def doc100(sample):
    doc = copy.deepcopy(sample)
    paras = paragraphs(sample)
    heads = [b for b in sample["body"] if b["type"] == "heading"]
    cs = charts(sample)
    body = [b for b in doc["body"][:3]]          # title, byline, lead
    section = 0
    # ~7.5 blocks per A4 page at the sample's style: 100 pages ≈ 770 blocks.
    while len(body) < 770:
        h = copy.deepcopy(heads[section % len(heads)])
        h["level"] = 1 if section % 4 == 0 else 2
        if isinstance(h["text"], list):
            h["text"] = ["%d．" % (section + 1)] + h["text"]
        else:
            h["text"] = "%d．%s" % (section + 1, h["text"].lstrip("一二三四五六七八九十、（）0123456789．. "))
        body.append(h)
        for j in range(8):
            p = copy.deepcopy(paras[(section * 8 + j) % len(paras)])
            p["text"] = variant(p["text"], section + j)
            body.append(p)
        if section % 12 == 5:
            c = copy.deepcopy(cs[section % len(cs)])
            c["id"] = "%s-%d" % (c["id"], section)
            body.append(c)
        section += 1
    doc["body"] = body
    return doc


def charts50(sample):
    doc = copy.deepcopy(sample)
    cs = charts(sample)
    body = [b for b in doc["body"][:2]]
    for i in range(50):
        c = copy.deepcopy(cs[i % len(cs)])
        c["id"] = "c%02d" % i
        c["title"] = "图%d　%s" % (i + 1, c["title"])
        body.append(c)
    doc["body"] = body
    return doc


BULLETIN = os.path.join(HERE, "..", "data", "monthly-bulletin.json")


def bulletin20(sample):
    """About 20 A4 pages: the monthly bulletin's masthead and tiles, then ten
    sections, each with paragraphs, a table of 18 to 34 rows (some split
    across pages) and a chart."""
    with open(BULLETIN, encoding="utf-8") as f:
        doc = json.load(f)
    main = doc["data"]["main"]
    paras = paragraphs(sample)
    cs = charts(sample)
    body = [b for b in doc["body"] if b["type"] in ("masthead", "kpi")]
    for k in range(10):
        name = "t%02d" % k
        n = 18 + (k * 7) % 17
        rows = []
        for r in range(n):
            src = main["rows"][(r + k) % len(main["rows"])]
            v = src[2]
            rows.append([src[0].strip("\u3000"), src[1],
                         None if v is None else round(v * (1 + 0.03 * k), 2), src[3]])
        doc["data"][name] = {"columns": main["columns"], "rows": rows}
        body.append({"type": "heading", "level": 1, "text": "%d．分项指标（%d）" % (k + 1, k + 1)})
        for j in range(4):
            p = copy.deepcopy(paras[(k * 4 + j) % len(paras)])
            p["text"] = variant(p["text"], k + j)
            body.append(p)
        body.append({"type": "table", "title": "分项指标（%d）" % (k + 1), "data": name,
                     "decimals": {"1—10月": 1, "比上年同期增长（%）": 1},
                     "note": "注：基准数据见表1；本表为基准测试用的变体。"})
        c = copy.deepcopy(cs[k % len(cs)])
        c["id"] = "b%02d" % k
        body.append(c)
        for j in range(2):
            p = copy.deepcopy(paras[(k * 5 + j) % len(paras)])
            p["text"] = variant(p["text"], k + 7 + j)
            body.append(p)
    for name, ds in sample["data"].items():
        doc["data"].setdefault(name, ds)
    doc["body"] = body
    return doc


def batch(sample, outdir, n=100):
    os.makedirs(outdir, exist_ok=True)
    paras = paragraphs(sample)
    cs = charts(sample)
    for i in range(n):
        doc = copy.deepcopy(sample)
        doc["meta"]["title"] = "沧州经济开发区发展简报（第%d期）" % (i + 1)
        body = [doc["body"][0], doc["body"][1]]
        body[0] = dict(body[0], text=doc["meta"]["title"])
        body.append({"type": "heading", "level": 1, "text": "一、本期要点"})
        for j in range(3):
            p = copy.deepcopy(paras[(i + j) % len(paras)])
            p["text"] = variant(p["text"], i + j)
            body.append(p)
        body.append(copy.deepcopy(cs[i % len(cs)]))
        doc["body"] = body
        write(os.path.join(outdir, "b%03d.json" % i), doc)


def main():
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        return 64
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    sample = load_sample()
    write(os.path.join(out, "brief4-serif.json"), brief4(sample, "serif", "serif"))
    write(os.path.join(out, "brief4-sans.json"), brief4(sample, "sans", "sans"))
    write(os.path.join(out, "brief4-mixed.json"), brief4(sample, "serif", "sans"))
    write(os.path.join(out, "doc100.json"), doc100(sample))
    write(os.path.join(out, "doc100-refs.json"), doc100(load_sample(SAMPLE)))
    write(os.path.join(out, "charts50.json"), charts50(sample))
    write(os.path.join(out, "bulletin20.json"), bulletin20(sample))
    batch(sample, os.path.join(out, "batch"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
