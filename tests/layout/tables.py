#!/usr/bin/env python3
"""tables.py BRIEF DIR : where tables split, read back from the PDF (pdftotext per page).

Briefs with a table after a paragraph of every length from a few characters to two pages, so
that the table starts at every height of a page: tables of 4, 7, 9 and 24 data rows, with and
without a total row.  Faults:
  short    a table of fewer than 8 rows that fits a page is split
  first    a split table's first part holds fewer than 3 data rows
  last     a continuation holds fewer than 2 data rows besides the total
  lost     a data row or the total is missing, repeated or out of order
Prints "N passed, M failed" (one case per brief)."""
import json, os, re, subprocess, sys

BRIEF, D = sys.argv[1], sys.argv[2]
ROW = re.compile(r"^\s*行\s*(\d+)\s*号")
FILL = "开发区坚持项目为王，全年重点项目推进有力。"


def brief(rows, total, chars):
    data = [[f"行{i}号", i * 1.5, round(i * 0.7, 1)] for i in range(rows)]
    t = {"type": "table", "title": "主要指标", "data": {"columns": ["指标", "绝对值", "增长（%）"], "rows": data}}
    if total:
        t["total"] = "合计"
    text = (FILL * (chars // len(FILL) + 1))[:chars]
    return {"brief": 1, "body": [{"type": "paragraph", "text": text}, t]}


def parts(pdf):
    """Per page: the data rows on it and whether the total is there."""
    n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout).group(1))
    out = []
    for p in range(1, n + 1):
        text = subprocess.run(["pdftotext", "-layout", "-f", str(p), "-l", str(p), pdf, "-"],
                              capture_output=True, text=True).stdout
        rows = [int(m.group(1)) for m in map(ROW.match, text.splitlines()) if m]
        total = any(line.strip().startswith("合计") for line in text.splitlines())
        if rows or total:
            out.append((rows, total))
    return out


def faults(rows, total, pdf):
    f = []
    ps = parts(pdf)
    seen = [r for rs, _ in ps for r in rs]
    if seen != list(range(rows)) or sum(t for _, t in ps) != int(total) or (total and not ps[-1][1]):
        f.append(f"lost: rows {seen}, total on parts {[t for _, t in ps]}")
    if len(ps) > 1:
        if rows < 8:
            f.append(f"short: {rows} rows split {[len(r) for r, _ in ps]}")
        if len(ps[0][0]) < 3:
            f.append(f"first: {len(ps[0][0])} rows")
        if len(ps[-1][0]) < 2:
            f.append(f"last: {len(ps[-1][0])} rows{' and the total' if ps[-1][1] else ''}")
    return f


def main():
    cases = []
    for rows in (4, 7, 9, 24):
        for total in (False, True):
            for chars in range(10, 3400, 45):
                name = f"t{rows}-{int(total)}-{chars}"
                json.dump(brief(rows, total, chars), open(os.path.join(D, name + ".json"), "w"), ensure_ascii=False)
                cases.append((name, rows, total))
    os.makedirs(os.path.join(D, "out"), exist_ok=True)
    subprocess.run([BRIEF, "render", "-q", "-j", "2", "-d", os.path.join(D, "out")] +
                   [os.path.join(D, n + ".json") for n, _, _ in cases])
    passed = failed = 0
    examples = []
    for name, rows, total in cases:
        pdf = os.path.join(D, "out", name + ".pdf")
        f = faults(rows, total, pdf) if os.path.exists(pdf) else ["no PDF"]
        if f:
            failed += 1
            examples.extend(f"{name}: {x}" for x in f)
        else:
            passed += 1
    for e in examples[:12]:
        print("  " + e)
    print(f"tables: {len(cases)} briefs, a table starting at every height of a page")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


main()
