#!/usr/bin/env python3
"""check.py DIR : reads every DIR/doc-NNN.json with its rendered DIR/out/doc-NNN.pdf as a reader
would (pdftotext -bbox) and checks the page layout.

Per document, faults counted:
  missing   a block's marker (see gen.py) is not in the PDF, or a chart's title and foot are on
            different pages
  order     headings and paragraphs out of body order; a chart or figure before a block that
            precedes it, after a later heading (of any level), or - with "place": "here" - after
            the text that follows it
  stranded  a heading is the last line of a page, or is followed on its page neither by the
            whole chart or figure after it nor by two lines of the paragraph after that (all of
            it when shorter)
  margin    body text outside the text area; header or footer text off the page
  overlap   two lines of text overlap (except inside one chart; inside a table, two cells); a line of another block inside a chart's or figure's box;
            a footnote line inside a chart's or figure's box (its own caption's too), or above
            the lowest line of text (footnotes are the rows from the first "ZZnnnN" down)
  empty     a page without body text
Prints the counts, the first faults, and "N passed, M failed" (documents); exit 1 on any fault."""
import glob, json, os, re, subprocess, sys
import xml.etree.ElementTree as ET

MM = 72 / 25.4
SIZES = {"A4": (210, 297), "A5": (148, 210)}
TOL = 2.0


def pages_of(pdf):
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True).stdout
    out = re.sub(r"<!DOCTYPE[^>]*>", "", out).replace(' xmlns="http://www.w3.org/1999/xhtml"', "")
    root = ET.fromstring(out)
    pages = []
    for pg in root.iter("page"):
        words = [(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")), w.text or "")
                 for w in pg.iter("word")]
        pages.append((float(pg.get("width")), float(pg.get("height")), rows_of(words)))
    return pages


def rows_of(words):
    """Words grouped into lines by their vertical middle."""
    rows = []
    for w in sorted(words, key=lambda w: ((w[1] + w[3]) / 2, w[0])):
        mid, h = (w[1] + w[3]) / 2, w[3] - w[1]
        if rows and abs(rows[-1]["mid"] - mid) < 0.3 * h:
            r = rows[-1]
            r["words"].append(w)
            r["x0"], r["y0"] = min(r["x0"], w[0]), min(r["y0"], w[1])
            r["x1"], r["y1"] = max(r["x1"], w[2]), max(r["y1"], w[3])
        else:
            rows.append({"mid": mid, "words": [w], "x0": w[0], "y0": w[1], "x1": w[2], "y1": w[3]})
    for r in rows:
        r["text"] = "".join(w[4] for w in sorted(r["words"]))
        # pdftotext's boxes run from the font's ascent to its descent (1.16 and 0.29 em for
        # the CJK faces), past the ideographic em box that the layout puts on its grid:
        # overlaps and margins are judged on the em box
        h = r["y1"] - r["y0"]
        r["t"], r["b"] = r["y0"] + 0.19 * h, r["y1"] - 0.11 * h
    return rows


def words_overlap(ws, vs):
    """Whether a word of ws overlaps a word of vs, judged on the em box."""
    def em(w):
        h = w[3] - w[1]
        return w[0], w[1] + 0.19 * h, w[2], w[3] - 0.11 * h
    for w in ws:
        a = em(w)
        for v in vs:
            b = em(v)
            if a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5:
                return True
    return False


def check(doc, pdf):
    faults = {k: [] for k in ("missing", "order", "stranded", "margin", "overlap", "empty")}
    pg = doc["page"]
    wmm, hmm = SIZES[pg["size"]]
    mt, mr, mb, ml = [m * MM for m in pg["margin"]]
    size = doc.get("style", {}).get("font_size", 10.5)
    measure = wmm * MM - ml - mr
    pages = pages_of(pdf)
    body = doc["body"]
    kind = {i: b["type"] for i, b in enumerate(body)}

    # rows: header / footer / body, and the markers in reading order
    found = {}          # body index -> (page, row) of its first line
    foot = {}           # chart index -> (page, row) of its note
    bodyrows = []       # per page, its body rows
    noterows = []       # per page, its footnotes' rows
    for p, (W, H, rows) in enumerate(pages):
        mine = []
        for r in rows:
            if r["text"] == "随机版式" and r["y1"] <= mt + TOL:
                if r["y0"] < 0 or r["x0"] < 0 or r["x1"] > W:
                    faults["margin"].append(f"p{p+1}: header off the page")
                continue
            if re.fullmatch(r"第\d+页", r["text"]) and r["y0"] >= H - mb - TOL:
                if r["y1"] > H or r["x0"] < 0 or r["x1"] > W:
                    faults["margin"].append(f"p{p+1}: footer off the page")
                continue
            mine.append(r)
            # a closing mark at a line end is set half width: pdftotext still gives it its
            # whole advance, half an em past the measure
            if r["x0"] < ml - TOL or r["x1"] > W - mr + 0.5 * size + TOL or r["t"] < mt - TOL or r["b"] > H - mb + TOL:
                faults["margin"].append(f"p{p+1}: '{r['text'][:12]}' at {r['x0']:.0f},{r['y0']:.0f}-{r['x1']:.0f},{r['y1']:.0f}")
            for m in re.finditer(r"ZZ(\d{3})([EN]?)", r["text"]):
                k = int(m.group(1))
                if m.group(2) == "N":          # a footnote, at the foot of its mark's page
                    continue
                (foot if m.group(2) else found).setdefault(k, (p, r))
        if not mine:
            faults["empty"].append(f"p{p+1}")
        # the footnotes: every row from the first note's down (they stand at the foot)
        tops = [r["y0"] for r in mine if re.search(r"ZZ\d{3}N", r["text"])]
        top = min(tops) if tops else float("inf")
        noterows.append([r for r in mine if r["y0"] >= top - 0.1])
        bodyrows.append([r for r in mine if r["y0"] < top - 0.1])

    expected = [i for i, b in enumerate(body) if b["type"] not in ("page_break", "title")]
    for i in expected:
        if i not in found:
            faults["missing"].append(f"ZZ{i:03d}")
        elif kind[i] == "chart" and (i not in foot or foot[i][0] != found[i][0]):
            faults["missing"].append(f"ZZ{i:03d}: chart split over pages or its foot missing")
    if faults["missing"]:
        return faults

    # extents of charts and figures, and which block each body row belongs to
    box = {}
    for i in expected:
        p, r = found[i]
        if kind[i] == "chart":
            box[i] = (p, r["y0"], foot[i][1]["y1"])
        elif kind[i] == "figure":
            # a placeholder is 0.6 of its width tall; a figure may shrink to 0.75 of its
            # size to close a gap (docs/format.md): the smallest box is surely drawn
            w = min(body[i]["width"] * MM, measure)
            box[i] = (p, r["y0"] - 0.75 * 0.6 * w - 1, r["y1"])
    owner = {}
    cur = None
    for p, rows in enumerate(bodyrows):
        for r in rows:
            m = re.search(r"ZZ(\d{3})(?![EN])", r["text"])
            inside = [i for i, (bp, y0, y1) in box.items() if bp == p and y0 - 0.5 < r["mid"] < y1 + 0.5]
            if m:
                k = int(m.group(1))
                owner[id(r)] = k
                if kind[k] not in ("chart", "figure"):
                    cur = k
                for i in inside:
                    if i != k:
                        faults["overlap"].append(f"p{p+1}: ZZ{k:03d} inside the box of ZZ{i:03d}")
            elif inside:
                owner[id(r)] = inside[0]
            elif cur is not None:
                owner[id(r)] = cur

    # footnotes stand below the text, never inside a chart's or figure's box
    for p, rows in enumerate(noterows):
        for r in rows:
            for i, (bp, y0, y1) in box.items():
                if bp == p and y0 - 0.5 < r["mid"] < y1 + 0.5:
                    faults["overlap"].append(f"p{p+1}: footnote line '{r['text'][:10]}' inside the box of ZZ{i:03d}")
        if rows and bodyrows[p] and min(r["t"] for r in rows) < max(r["b"] for r in bodyrows[p]):
            faults["overlap"].append(f"p{p+1}: footnotes over the text")

    # order
    rank = {i: (found[i][0], found[i][1]["mid"]) for i in expected}
    flow = [i for i in expected if kind[i] not in ("chart", "figure")]
    floats = [i for i in expected if kind[i] in ("chart", "figure")]
    for a, b in zip(flow, flow[1:]):
        if rank[a] >= rank[b]:
            faults["order"].append(f"ZZ{b:03d} before ZZ{a:03d}")
    for a, b in zip(floats, floats[1:]):
        if rank[a] >= rank[b]:
            faults["order"].append(f"float ZZ{b:03d} before ZZ{a:03d}")
    for f in floats:
        before = [i for i in expected if i < f]
        if before and rank[before[-1]] >= rank[f]:
            faults["order"].append(f"ZZ{f:03d} before ZZ{before[-1]:03d}")
        later = [i for i in expected if i > f and kind[i] == "heading"]
        if later and rank[later[0]] <= rank[f]:
            faults["order"].append(f"ZZ{f:03d} ({kind[f]}) after the later heading ZZ{later[0]:03d}")
        nxt = [i for i in expected if i > f and kind[i] not in ("chart", "figure")]
        if body[f].get("place") == "here" and nxt and rank[nxt[0]] <= rank[f]:
            faults["order"].append(f"ZZ{f:03d} (here) after ZZ{nxt[0]:03d}")

    # headings kept with what follows
    for p, rows in enumerate(bodyrows):
        if rows and p + 1 < len(pages):
            last = max(rows, key=lambda r: r["y1"])
            k = owner.get(id(last))
            if k is not None and kind[k] == "heading":
                faults["stranded"].append(f"p{p+1}: heading ZZ{k:03d} is the last line")
    for i in expected:
        if kind[i] != "heading" or i + 1 >= len(body) or kind[i + 1] in ("page_break",):
            continue
        n = i + 1
        if n not in found:
            continue
        hp = found[i][0]
        # the float after a heading may float on: the heading then keeps with the text after it
        while kind.get(n) in ("chart", "figure") and found[n][0] != hp and n + 1 in found:
            n += 1
        if found[n][0] != hp:
            faults["stranded"].append(f"ZZ{i:03d}: the block after the heading starts on a later page")
        elif kind[n] == "paragraph":
            here = sum(1 for r in bodyrows[hp] if owner.get(id(r)) == n)
            total = sum(1 for rows in bodyrows for r in rows if owner.get(id(r)) == n)
            if here < min(2, total):
                faults["stranded"].append(f"ZZ{i:03d}: one line of its paragraph on its page")

    # overlapping lines
    for p, rows in enumerate(bodyrows):
        for a in range(len(rows)):
            for b in range(a + 1, len(rows)):
                r, s = rows[a], rows[b]
                if owner.get(id(r)) == owner.get(id(s)) and kind.get(owner.get(id(r))) == "chart":
                    continue   # labels inside one chart are the chart's business
                if owner.get(id(r)) == owner.get(id(s)) and kind.get(owner.get(id(r))) == "table":
                    # a header cell spanning two header rows stands between them: in a
                    # table, words (cells), not rows, must not overlap
                    if words_overlap(r["words"], s["words"]):
                        faults["overlap"].append(f"p{p+1}: table cells '{r['text'][:8]}' / '{s['text'][:8]}'")
                    continue
                if r["x0"] < s["x1"] - 0.5 and s["x0"] < r["x1"] - 0.5 and r["t"] < s["b"] - 0.5 and s["t"] < r["b"] - 0.5:
                    faults["overlap"].append(f"p{p+1}: '{r['text'][:8]}' / '{s['text'][:8]}'")
    return faults


def main():
    d = sys.argv[1]
    verbose = "-v" in sys.argv
    totals, examples, passed, failed = {}, [], 0, 0
    for js in sorted(glob.glob(os.path.join(d, "doc-*.json"))):
        name = os.path.basename(js)[:-5]
        pdf = os.path.join(d, "out", name + ".pdf")
        if not os.path.exists(pdf):
            failed += 1
            examples.append(f"{name}: no PDF")
            continue
        f = check(json.load(open(js)), pdf)
        bad = False
        for k, v in f.items():
            totals[k] = totals.get(k, 0) + len(v)
            if v:
                bad = True
                examples.extend(f"{name}: {k}: {x}" for x in v[:2])
        passed, failed = passed + (not bad), failed + bad
    print("faults:", " ".join(f"{k}={v}" for k, v in totals.items()))
    for e in examples[: 1000 if verbose else 12]:
        print("  " + e)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


main()
