#!/usr/bin/python3
"""Label checker for exported charts (python3 standard library only).

usage: check_labels.py BRIEF.json DIR

For every chart block of BRIEF.json, reads DIR/ID.pdf (and DIR/ID.svg when
present), extracts the word boxes that the PDF really contains with
`pdftotext -bbox-layout`, and checks:

  present   every expected label is there: each category, each series name
            (legend of a chart with several value columns, bars and lines
            together for a bar chart with "lines"; plan and actual of a
            completion chart), and the title; of a title, subtitle, note or
            reference label given as runs, every piece of text runs.  A pie's slices are labelled
            "类别 12.3%" with the percentages this checker computes itself by
            largest remainder (small slices merged into 其他 as
            "other_below" asks): each such label exactly once, and the
            percentages add up to 100.  A label wrapped over several
            lines, rotated, or split into words at spaces is found by chaining
            neighbouring words.
  lone      no wrapped category label has a line of one Han character (labels
            break between words: 机器人 never leaves 人 alone).
  inside    every word box lies inside the page (the page is the chart).
  overlap   no two word boxes overlap.
  svg       the SVG draws as many glyphs as the PDF has characters, all
            inside its view box (the SVG's glyphs are outlines placed with
            <use>, so the SVG is checked against the PDF).

Prints one line per chart ("ok ID" or "FAIL ID: ...") and a last line
"N passed, M failed"; exits 1 when anything failed.
"""
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

EPS = 0.01          # pt: boxes touching within this are not overlapping
IGNORED = {"\u200b", "\u2060", "\u00ad", "\ufeff"}


def norm(s):
    """A label as text extraction gives it back: no spaces or breaks."""
    return "".join(c for c in s if not c.isspace() and c not in IGNORED)


def number_label(x):
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and abs(x) < 1e15):
        return str(int(x))
    r = repr(x)
    return r


def dataset_of(doc, chart):
    d = chart.get("data")
    if isinstance(d, str):
        return doc.get("data", {}).get(d)
    return d


def largest_remainder(values, decimals):
    """Shares of values in units of 10^-decimals percent, adding up to 100."""
    total = 100 * 10 ** decimals
    s = sum(values)
    if s <= 0:
        return [0] * len(values)
    exact = [v / s * total for v in values]
    units = [int(e + 1e-9) for e in exact]
    order = sorted(range(len(values)), key=lambda i: (-(exact[i] - units[i]), -values[i], i))
    for i in order[:total - sum(units)]:
        units[i] += 1
    return units


def pie_labels(chart, ds, ci):
    """The slice labels of a pie, in slice order."""
    cols = ds["columns"]
    vc = cols.index(chart["values"][0]) if chart.get("values") else \
        [i for i, c in enumerate(cols) if i != ci and
         any(isinstance(r[i], (int, float)) and not isinstance(r[i], bool) for r in ds["rows"])][0]
    rows = [(r[ci] if isinstance(r[ci], str) else number_label(r[ci]), float(r[vc]))
            for r in ds["rows"]]
    total = sum(v for _, v in rows)
    below = chart.get("other_below", 0)
    small = [r for r in rows if total > 0 and r[1] / total < below]
    if len(small) >= 2:
        rows = [r for r in rows if not (r[1] / total < below)] + \
            [("其他", sum(v for _, v in small))]
    dec = chart.get("decimals", 1)
    units = largest_remainder([v for _, v in rows], dec)
    assert sum(units) == 100 * 10 ** dec
    return ["%s %.*f%%" % (name, dec, u / 10 ** dec) for (name, _), u in zip(rows, units)]


def run_pieces(text):
    """A text field's pieces known before rendering: the string itself, or
    for an array of runs the text of consecutive string and text runs (a
    value or ref run, printed as the brief's formatter decides, ends a
    piece)."""
    if isinstance(text, str):
        return [text] if text else []
    pieces, cur = [], ""
    for run in text:
        if isinstance(run, str):
            cur += run
        elif "text" in run:
            cur += run["text"]
        else:
            pieces.append(cur)
            cur = ""
    pieces.append(cur)
    return [p for p in pieces if p]


def expected_labels(doc, chart):
    """(kind, text) pairs that must be found in the chart's output."""
    ds = dataset_of(doc, chart)
    out = []
    out.extend(("title", p) for p in run_pieces(chart.get("title", "")))
    # texts given as runs (bold, links, values): every piece printed
    for key in ("subtitle", "note"):
        if isinstance(chart.get(key), list):
            out.extend((key, p) for p in run_pieces(chart[key]))
    for ref in chart.get("reference", []):
        if isinstance(ref.get("label"), list):
            out.extend(("reference", p) for p in run_pieces(ref["label"]))
    if not ds:
        return out
    cols = ds["columns"]
    cat = chart.get("category", cols[0])
    ci = cols.index(cat)
    kind = chart.get("kind", "bar")
    if kind == "pie":
        out.extend(("slice", label) for label in pie_labels(chart, ds, ci))
        return out
    for row in ds["rows"]:
        v = row[ci]
        out.append(("category", "—" if v is None else v if isinstance(v, str) else number_label(v)))
    legend = chart.get("legend", "auto")
    if legend == "none":
        return out
    if kind == "completion":
        out.append(("series", chart["plan"]))
        out.append(("series", chart["actual"]))
    else:
        lines = chart.get("lines", [])
        values = chart.get("values")
        if values is None:   # the validator's default: every column of numbers
            values = [c for i, c in enumerate(cols) if i != ci and c not in lines and
                      any(isinstance(r[i], (int, float)) and not isinstance(r[i], bool)
                          for r in ds["rows"])]
        values = values + lines
        if len(values) > 1:
            out.extend(("series", v) for v in values)
    return out


class Word:
    __slots__ = ("x0", "y0", "x1", "y1", "text")

    def __init__(self, x0, y0, x1, y1, text):
        self.x0, self.y0, self.x1, self.y1, self.text = x0, y0, x1, y1, text

    def __repr__(self):
        return "'%s'[%.1f,%.1f,%.1f,%.1f]" % (self.text, self.x0, self.y0, self.x1, self.y1)


def pdf_words(path):
    xml = subprocess.run(["pdftotext", "-bbox-layout", path, "-"], check=True,
                         stdout=subprocess.PIPE).stdout.decode("utf-8")
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml)
    root = ET.fromstring(xml)
    pages = [e for e in root.iter() if e.tag.endswith("page")]
    words = []
    for e in root.iter():
        if e.tag.endswith("word"):
            t = norm(e.text or "")
            if t:
                words.append(Word(float(e.get("xMin")), float(e.get("yMin")),
                                  float(e.get("xMax")), float(e.get("yMax")), t))
    size = [(float(p.get("width")), float(p.get("height"))) for p in pages]
    return size, words


def shape(w):
    """'h' for a word that is clearly set horizontally, 'v' for one rotated
    by 90°, '?' when its box cannot tell (a single character)."""
    wd, ht = w.x1 - w.x0, w.y1 - w.y0
    if len(w.text) >= 2 and wd > 1.3 * ht:
        return "h"
    if len(w.text) >= 2 and ht > 1.3 * wd:
        return "v"
    return "?"


def near(a, b):
    """Can word b continue the text of word a (same line or next line, in
    horizontal or rotated text)?"""
    h = a.y1 - a.y0
    w = a.x1 - a.x0
    sa, sb = shape(a), shape(b)
    if "v" not in (sa, sb):
        # horizontal, same line: b right after a
        if abs((a.y0 + a.y1) / 2 - (b.y0 + b.y1) / 2) < 0.5 * h and -EPS <= b.x0 - a.x1 < 1.5 * h:
            return True
        # horizontal, next line: below, overlapping horizontally
        if (b.y0 > a.y0 + 0.5 * h and b.y0 - a.y1 < 0.8 * h and b.x0 < a.x1 + 2 * h
                and b.x1 > a.x0 - 2 * h):
            return True
    if "h" not in (sa, sb):
        # rotated 90° counter-clockwise (reads upwards): same line, b above a
        if abs((a.x0 + a.x1) / 2 - (b.x0 + b.x1) / 2) < 0.5 * w and -EPS <= a.y0 - b.y1 < 1.5 * w:
            return True
        # rotated, next line: to the right, overlapping vertically
        if (b.x0 > a.x0 + 0.5 * w and b.x0 - a.x1 < 0.8 * w and b.y0 < a.y1 + 2 * w
                and b.y1 > a.y0 - 2 * w):
            return True
    return False


def find_label(words, label):
    """The pieces (word texts, one a line or a run between spaces) the label
    was found as, or None when it is not there."""
    want = norm(label)
    if not want:
        return [want]
    for w in words:
        if want in w.text:
            return [want]

    def chain(prev, rest, used, depth):
        if depth > 40:
            return None
        for j, b in enumerate(words):
            if j in used or not near(prev, b):
                continue
            if b.text.startswith(rest):
                return [rest]
            if rest.startswith(b.text):
                more = chain(b, rest[len(b.text):], used | {j}, depth + 1)
                if more is not None:
                    return [b.text] + more
        return None

    for i, a in enumerate(words):
        t = a.text
        for k in range(len(t)):
            suffix = t[k:]
            if want.startswith(suffix):
                more = chain(a, want[len(suffix):], {i}, 0)
                if more is not None:
                    return [suffix] + more
    return None


def is_han(c):
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"


def lone_character(pieces):
    """A wrapped label with a line of one Han character (人 alone): labels
    break between words, and no word piece is one character."""
    if len(pieces) < 2 or sum(len(p) for p in pieces) < 3:
        return None
    for p in pieces:
        if len(p) == 1 and is_han(p):
            return p
    return None


def overlaps(a, b):
    return a.x0 < b.x1 - EPS and b.x0 < a.x1 - EPS and a.y0 < b.y1 - EPS and b.y0 < a.y1 - EPS


def check_svg(path, pdf_chars):
    """Glyph count and placement of an SVG chart against the PDF's text."""
    data = open(path, encoding="utf-8").read()
    m = re.search(r'viewBox="([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)"', data)
    if not m:
        return ["no viewBox"]
    W, H = float(m.group(3)), float(m.group(4))
    blank = set(m.group(1) for m in re.finditer(
        r'<symbol overflow="visible" id="([^"]+)">\s*<path[^>]* d=""/>\s*</symbol>', data))
    uses = [(x, y) for g, x, y in
            re.findall(r'<use xlink:href="#([^"]*glyph\d+-\d+)" x="([-\d.e]+)" y="([-\d.e]+)"', data)
            if g not in blank]     # spaces are blank glyphs
    problems = []
    if len(uses) != pdf_chars:
        problems.append("SVG draws %d glyphs, the PDF has %d characters" % (len(uses), pdf_chars))
    for x, y in uses:
        if not (-EPS <= float(x) <= W + EPS and -EPS <= float(y) <= H + EPS):
            problems.append("glyph at %s,%s outside the %gx%g view box" % (x, y, W, H))
            break
    return problems


def check_chart(doc, chart, outdir):
    cid = chart["id"]
    pdf = os.path.join(outdir, cid + ".pdf")
    if not os.path.exists(pdf):
        return ["no %s" % pdf]
    sizes, words = pdf_words(pdf)
    problems = []
    if len(sizes) != 1:
        problems.append("%d pages (expected 1)" % len(sizes))
    W, H = sizes[0]
    for w in words:
        if w.x0 < -EPS or w.y0 < -EPS or w.x1 > W + EPS or w.y1 > H + EPS:
            problems.append("outside the %.1fx%.1f chart: %r" % (W, H, w))
    for i in range(len(words)):
        for j in range(i + 1, len(words)):
            if overlaps(words[i], words[j]):
                problems.append("overlap: %r and %r" % (words[i], words[j]))
    text = "".join(w.text for w in words)
    for kind, label in expected_labels(doc, chart):
        pieces = find_label(words, label)
        if pieces is None:
            problems.append("%s %r missing" % (kind, label))
        elif kind == "category" and lone_character(pieces):
            problems.append("%s %r wrapped with a line of one character: %s" %
                            (kind, label, " / ".join(pieces)))
        elif kind == "slice" and text.count(norm(label)) > 1:
            problems.append("slice %r labelled %d times" % (label, text.count(norm(label))))
    svg = os.path.join(outdir, cid + ".svg")
    if os.path.exists(svg):
        problems += check_svg(svg, sum(len(w.text) for w in words))
    return problems


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    doc = json.load(open(argv[1], encoding="utf-8"))
    passed = failed = 0
    for block in doc.get("body", []):
        if block.get("type") != "chart":
            continue
        problems = check_chart(doc, block, argv[2])
        if problems:
            failed += 1
            print("FAIL %s: %s" % (block["id"], "; ".join(problems[:8])))
        else:
            passed += 1
            print("ok %s" % block["id"])
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
