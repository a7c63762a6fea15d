#!/usr/bin/env python3
"""gen.py OUTDIR N [SEED] : writes N random briefs OUTDIR/doc-NNN.json for the layout checker.

Each document mixes headings of every level, paragraphs of random length, bar charts and
figures of random heights, tables of 2 to 60 rows (split between rows), page breaks, A4/A5 paper and random margins and font sizes.  Every
block carries a marker "ZZnnn" (its body index) so check.py can find it in the PDF: at the
start of a heading or paragraph, in a chart's title (and "ZZnnnE" in its note, drawn at the
chart's foot), in a figure's caption.  Some charts and figures say "place": "here"; some
paragraphs and captions end in a footnote, whose text starts "ZZnnnN"."""
import json, os, random, sys

HAN = ("园区企业项目投资建设发展经济服务管理工作推进完成计划增长产业创新技术政策市场"
       "生产销售收入利润税收就业人员资金土地规划环境安全质量标准平台合作交流招商引资"
       "重点全年累计同比上升下降提高保持稳定落实部门单位开展组织实施情况方面进一步加强")
PUNCT = "，。、；：“”（）"
PLACE = os.environ.get("LAYOUT_NO_PLACE") is None   # the key did not exist before
TABLES = os.environ.get("LAYOUT_NO_TABLES") is None  # nor did tables
NOTES = os.environ.get("LAYOUT_NO_NOTES") is None    # nor footnotes
UNITS = ["年", "月", "日", "%", "亿元", "万元", "个", "家"]


def sentence(rng, n):
    out = []
    while len(out) < n:
        r = rng.random()
        if r < 0.06:
            out.append(f"{rng.randint(1, 9)}—{rng.randint(10, 12)}月")
        elif r < 0.14:
            out.append(f"{rng.randint(2, 2030)}{rng.choice(UNITS)}")
        elif r < 0.16:
            out.append(f"{rng.randint(1, 99)}.{rng.randint(1, 99)}%")
        else:
            out.append(rng.choice(HAN))
        if rng.random() < 0.07:
            out.append(rng.choice("，，，。、；"))
    return "".join(out).strip("，。、；") + "。"


def paragraph(rng, k):
    return f"ZZ{k:03d} " + sentence(rng, rng.choice([8, 20, 40, 70, 120, 200, 320]))


def chart(rng, k):
    n = rng.randint(2, 6)
    c = {"type": "chart", "id": f"c{k}", "kind": "bar",
         "orientation": rng.choice(["vertical", "horizontal"]),
         "data": {"columns": ["类别", "数值"],
                  "rows": [[rng.choice(["一季度", "二季度", "甲企业", "乙企业", "丙类", "丁类"]) + str(i), rng.randint(1, 90)]
                           for i in range(n)]},
         "title": f"ZZ{k:03d} 图表", "note": f"ZZ{k:03d}E", "height": rng.choice([35, 45, 60, 80, 110])}
    if rng.random() < 0.15 and PLACE:
        c["place"] = "here"
    return c


def table(rng, k):
    """A table (a flow block that splits between rows): its title carries the marker."""
    n = rng.choice([2, 4, 8, 15, 30, 60])
    cols = ["指标", "绝对值", "增长（%）"] + (["当月"] if rng.random() < 0.5 else [])
    rows = [[sentence(rng, rng.choice([2, 4, 9])).rstrip("。")] +
            [round(rng.uniform(-50, 900), 2) if rng.random() > 0.05 else None for _ in cols[1:]]
            for _ in range(n)]
    t = {"type": "table", "title": f"ZZ{k:03d} 表", "data": {"columns": cols, "rows": rows},
         "style": rng.choice(["three-line", "grid"])}
    if rng.random() < 0.5:
        t["total"] = "合计"
    if rng.random() < 0.4:
        t["groups"] = [{"label": "1—10月", "columns": ["绝对值", "增长（%）"]}]
    if rng.random() < 0.5:
        t["note"] = "注：" + sentence(rng, rng.choice([10, 40]))
    return t


def with_note(rng, k, text):
    """text, or (sometimes) runs ending in a footnote of a few lines, marked ZZnnnN."""
    if not NOTES or rng.random() > 0.25:
        return text
    return [text, {"note": f"ZZ{k:03d}N " + sentence(rng, rng.choice([20, 60, 140]))}]


def figure(rng, k):
    f = {"type": "figure", "caption": with_note(rng, k, f"ZZ{k:03d} 图片"), "width": rng.choice([40, 60, 80, 100])}
    if rng.random() < 0.15 and PLACE:
        f["place"] = "here"
    return f


def document(rng):
    a5 = rng.random() < 0.5
    margins = [rng.choice([12, 15, 20, 25, 30]) for _ in range(4)]
    body = []
    if rng.random() < 0.4:
        body.append({"type": "title", "text": "随机版式检查"})
    nsec = rng.randint(1, 4)
    for s in range(nsec):
        for level in ([1] + ([2] if rng.random() < 0.5 else []) + ([3] if rng.random() < 0.3 else [])):
            k = len(body)
            body.append({"type": "heading", "level": level, "text": f"ZZ{k:03d} {'一二三四五'[s]}、节{level}"})
            for _ in range(rng.randint(1, 4)):
                k = len(body)
                r = rng.random()
                if r < 0.55:
                    body.append({"type": "paragraph", "text": with_note(rng, k, paragraph(rng, k))})
                elif r < 0.74:
                    body.append(chart(rng, k))
                elif r < 0.86 and TABLES:
                    body.append(table(rng, k))
                elif r < 0.95:
                    body.append(figure(rng, k))
                elif body[-1]["type"] not in ("page_break", "heading"):
                    body.append({"type": "page_break"})
        if body[-1]["type"] == "page_break":
            body.pop()
    # never end on a heading: a closing paragraph
    k = len(body)
    body.append({"type": "paragraph", "text": paragraph(rng, k)})
    return {"brief": 1,
            "page": {"size": "A5" if a5 else "A4", "margin": margins, "header": "随机版式",
                     "footer": "第 {page} 页"},
            "style": {"font_size": rng.choice([9, 10.5, 10.5, 12])},
            "body": body}


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 11
    os.makedirs(out, exist_ok=True)
    for i in range(n):
        rng = random.Random(seed * 100003 + i)
        with open(os.path.join(out, f"doc-{i:03d}.json"), "w") as f:
            json.dump(document(rng), f, ensure_ascii=False, indent=0)


main()
