#!/usr/bin/env python3
"""Tables read back from a rendered brief, as a reader of the PDF sees them.

usage: check_tables.py BRIEF.json OUT.pdf

For every table block of the brief:
  - its numbers come back in order (row by row), printed as the format
    promises: the column's decimals when given (on the table, else the
    dataset's "decimals"), else each cell's own as written (at most 2 —
    42350 元 reads 42350 beside 2680.5 亿元), rounded on the decimal value
    (half away from zero, or half even by the table's or dataset's
    "rounding"), U+2212 minus (ASCII '-' with "minus": "hyphen"), null as
    "—", the total row's sums (at the most decimals of the column);
  - the decimal points of a column share one x within 0.1 pt (an
    integer's point is its right edge), read from mutool's per-character
    boxes;
  - a table that runs onto a further page has "续表" (with its number)
    and its header again at the top of that part.
A brief that opens with a masthead reads as a 简报: its compiling unit and
its date stand once in the opening of the first page (no byline repeating them under the
article title).
Prints ok/FAIL lines and "N passed, M failed"; exits 1 on a failure.
"""
import html
import json
import re
import subprocess
import sys
from decimal import Decimal, ROUND_HALF_UP, ROUND_HALF_EVEN

TOL = 0.1
NUMCHARS = "0123456789.-\u2212"
NEAR = 3.0          # pt: closer than this, a number belongs to the text beside it
RATE_UNIT = ("%", "‰", "％")
RATE_NAME = ("%", "％", "‰", "率", "增长", "增速", "比重", "占", "同比", "环比")

passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok  ", what)
    else:
        failed += 1
        print("FAIL", what)
        if detail:
            print("     ", detail)


def shortest_decimals(v):
    s = repr(float(v))
    if "e" in s or "." not in s:
        return 0
    frac = s.split(".")[1].rstrip("0")
    return len(frac)


def fmt(v, dec, even=False, hyphen=False):
    q = Decimal(repr(float(v))).quantize(Decimal(1).scaleb(-dec),
                                         rounding=ROUND_HALF_EVEN if even else ROUND_HALF_UP)
    s = f"{q:.{dec}f}"
    if re.fullmatch(r"-0(\.0*)?", s):
        s = s[1:]
    return s if hyphen else s.replace("-", "\u2212")


def table_spec(doc, b):
    data = b["data"]
    ds = doc["data"][data] if isinstance(data, str) else data
    cols = b.get("columns", ds["columns"])
    idx = [ds["columns"].index(c) for c in cols]
    rows = [[r[i] for i in idx] for r in ds["rows"]]
    dec = b.get("decimals", {})
    units = b.get("units", {})
    ds_dec = ds.get("decimals", {}) if isinstance(ds, dict) else {}
    ds_units = ds.get("units", {}) if isinstance(ds, dict) else {}
    out = []
    for k, name in enumerate(cols):
        vals = [r[k] for r in rows]
        numeric = all(v is None or isinstance(v, (int, float)) for v in vals) and \
            any(isinstance(v, (int, float)) for v in vals)
        if isinstance(dec, int):
            d = dec
        elif name in dec:
            d = dec[name]
        elif name in ds_dec:
            d = ds_dec[name]
        else:
            d = None        # each cell as written
        unit = units.get(name, ds_units.get(name, ""))
        rate = any(m in unit for m in RATE_UNIT) or any(m in name for m in RATE_NAME)
        if "total_columns" in b:
            summed = name in b["total_columns"]
        else:
            summed = numeric and not rate
        out.append({"name": name, "unit": unit, "numeric": numeric, "dec": d,
                    "summed": bool(b.get("total")) and summed})
    return cols, rows, out


def own_decimals(v):
    return min(2, shortest_decimals(v))


def expected_numbers(cols, rows, spec, total, even, hyphen):
    """Row-major list of (column index, printed text) for number cells."""
    want = []
    for r in rows:
        for k, v in enumerate(r):
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                d = spec[k]["dec"] if spec[k]["dec"] is not None else own_decimals(v)
                want.append((k, fmt(v, d, even, hyphen)))
    if total:
        for k, c in enumerate(spec):
            if c["summed"]:
                vals = [r[k] for r in rows if isinstance(r[k], (int, float))]
                d = c["dec"] if c["dec"] is not None else max([own_decimals(v) for v in vals] or [0])
                want.append((k, fmt(sum(vals), d, even, hyphen)))
    return want


def number_runs(pdf):
    """Per page, the runs of digits, '.', '-' on one baseline, in reading
    order: (page, text, x of '.', right edge)."""
    xml = subprocess.run(["mutool", "draw", "-q", "-F", "stext", "-o", "-", pdf],
                         capture_output=True, text=True).stdout
    runs = []
    for p, page in enumerate(re.findall(r"<page (.*?)</page>", xml, re.S), 1):
        for line in re.findall(r"<line (.*?)</line>", page, re.S):
            chars = re.findall(r'<char quad="([^"]+)" x="([^"]+)" y="([^"]+)"[^>]*c="([^"]*)"', line)
            cells = [([float(t) for t in q.split()], float(x), float(y), html.unescape(c))
                     for q, x, y, c in chars]
            k = 0
            while k < len(cells):
                if not (len(cells[k][3]) == 1 and cells[k][3] in NUMCHARS):
                    k += 1
                    continue
                j = k
                while (j + 1 < len(cells) and len(cells[j + 1][3]) == 1 and cells[j + 1][3] in NUMCHARS
                       and abs(cells[j + 1][2] - cells[j][2]) < 0.01 and abs(cells[j + 1][1] - cells[j][0][2]) < 0.5):
                    j += 1
                # only whole tokens: a number touching other text (截至10月) is no cell
                # (the Han-Latin quarter em may come back as a space)
                b = k - 1
                while b >= 0 and cells[b][3] == " ":
                    b -= 1
                a = j + 1
                while a < len(cells) and cells[a][3] == " ":
                    a += 1
                touches_before = b >= 0 and cells[k][1] - cells[b][0][2] < NEAR
                touches_after = a < len(cells) and cells[a][1] - cells[j][0][2] < NEAR
                if not touches_before and not touches_after:
                    text = "".join(c[3] for c in cells[k:j + 1])
                    dot = next((c[1] for c in cells[k:j + 1] if c[3] == "."), None)
                    runs.append((p, text, dot, cells[j][0][2]))
                k = j + 1
    return runs


def page_texts(pdf):
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", pdf, "-"],
                         capture_output=True, text=True).stdout
    return out.split("\f")


def main():
    brief, pdf = sys.argv[1], sys.argv[2]
    doc = json.load(open(brief, encoding="utf-8"))
    runs = number_runs(pdf)
    pages = page_texts(pdf)
    pos = 0
    number = 0
    for i, b in enumerate(doc.get("body", [])):
        if b.get("type") != "table":
            continue
        if b.get("title"):
            number += 1
        cols, rows, spec = table_spec(doc, b)
        data = b["data"]
        ds = doc["data"][data] if isinstance(data, str) else data
        even = b.get("rounding", ds.get("rounding", "half-away")) == "half-even"
        want = expected_numbers(cols, rows, spec, b.get("total"), even, b.get("minus") == "hyphen")
        got = []
        missing = None
        # The table starts where its first row's numbers stand side by side
        # (numbers of the text before it may repeat them one at a time).
        first = [t for k, t in want[:sum(1 for v in rows[0] if isinstance(v, (int, float)))]] if rows else []
        while first and pos < len(runs) and [r[1] for r in runs[pos:pos + len(first)]] != first:
            pos += 1
        for k, text in want:
            while pos < len(runs) and runs[pos][1] != text:
                pos += 1
            if pos == len(runs):
                missing = text
                break
            got.append((k, runs[pos]))
            pos += 1
        name = f"body[{i}]"
        check(missing is None, f"{name}: {len(want)} numbers come back in order",
              f"{missing!r} not found after the numbers before it" if missing else "")
        bad = []
        for k, c in enumerate(spec):
            # an integer's point stands after its last digit
            xs = [r[2] if r[2] is not None else r[3] for kk, r in got if kk == k]
            if len(xs) > 1 and max(xs) - min(xs) > TOL:
                bad.append(f"{c['name']}: points spread "
                           f"{max(xs) - min(xs):.3f} pt")
        check(not bad, f"{name}: decimal points aligned within {TOL} pt in every column", "; ".join(bad))
        on = sorted({r[0] for _, r in got})
        if len(on) > 1:
            label = f"续表{number}" if b.get("title") else "续表"
            head = re.sub(r"\s", "", cols[0])
            miss = [p for p in on[1:]
                    if label not in re.sub(r"\s", "", pages[p - 1]) or head not in re.sub(r"\s", "", pages[p - 1])]
            check(not miss, f"{name}: continued on pages {on[1:]} under {label} with its header",
                  f"missing on pages {miss}")
    heads = [b for b in doc.get("body", []) if b.get("type") == "masthead"]
    if heads:
        # the opening: page 1 up to the first heading (a source note below may name the unit)
        first = re.sub(r"\s", "", pages[0])
        h = next((re.sub(r"\s", "", b.get("text", "")) for b in doc["body"] if b.get("type") == "heading"), "")
        if h and h in first:
            first = first[:first.index(h)]
        # the unit without 编/编印/主办, and the year and month of the date
        org = re.sub(r"(编印|编|主办|印发)$", "", re.sub(r"\s", "", heads[0].get("org", "")))
        m = re.match(r"\d+年\d+月", re.sub(r"\s", "", heads[0].get("date", "")))
        for key, want in (("org", org), ("date", m.group(0) if m else "")):
            if want:
                check(first.count(want) == 1, f"masthead {key} {want!r} once on page 1",
                      f"{first.count(want)} times")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
