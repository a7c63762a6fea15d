#!/usr/bin/python3
"""Checks a rendered brief the way a reader would.

usage: check_pdf.py IN.json OUT.pdf

- pdfinfo: page count > 0, title/author/subject/creator as in the input;
- pdffonts: every font embedded and subset;
- qpdf --check passes;
- mutool draw reports no broken glyph or any other warning;
- pdftotext gives back every text block, in the order of the input;
- every footnote (of any text field: body text, captions, table titles and
  notes, list items, key figures) stands on the page of its mark, the mark
  right after the text before it (pdftotext per page);
- every line of text lies inside the text area set by the margins, except
  the running header above it and the footer below it (pdftotext -bbox).
Prints one line per check ("ok ..." / "FAIL ...") and a final
"N passed, M failed"; exits 1 on any failure.
"""
import json, re, subprocess, sys

results = []

def check(ok, what, detail=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + what + (("\n     " + detail) if detail and not ok else ""))

def run(*cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr

def squeeze(s):
    """The text without white space: line breaks and justification spaces
    carry no meaning in Chinese text."""
    return re.sub(r"\s+", "", s)

FULLWIDTH = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"})

def loose(s):
    """Compare modulo the documented punctuation normalisation."""
    return squeeze(s).translate(FULLWIDTH)

def runs_segments(runs):
    segs, cur = [], ""
    for r in runs:
        if isinstance(r, str) or "text" in r:
            cur += r if isinstance(r, str) else r["text"]
        else:
            if cur:
                segs.append(cur)
            cur = ""
    if cur:
        segs.append(cur)
    return segs

def plain(field):
    """A text field's printed text before binding: a string, or its runs'
    texts (notes left out)."""
    if isinstance(field, str):
        return field
    return "".join(r if isinstance(r, str) else r.get("text", "") for r in field)

def fields_of(b):
    """The text fields of a block that may be runs, in reading order."""
    keys = {"figure": ["caption"], "table": ["title", "note"],
            "masthead": ["mark", "title", "issue", "org", "date"]}.get(b.get("type"), ["text"])
    out = [b[k] for k in keys if k in b]
    if b.get("type") == "list":
        out += b.get("items", [])
    elif b.get("type") == "kpi":
        out += [it["label"] for it in b.get("items", []) if "label" in it]
    return out

def notes_of(field):
    """[(text before the mark, the note's text)] of a field given as runs."""
    out, before = [], ""
    for r in field if isinstance(field, list) else []:
        if isinstance(r, str):
            before += r
        elif "note" in r:
            n = r["note"]
            out.append((before, n if isinstance(n, str) else "".join(runs_segments(n))))
        elif "text" in r:
            before += r["text"]
        else:
            before += "\0"   # a value: its printed text is not known here
    return out

CIRCLED = "".join(chr(c) for c in range(0x2460, 0x2474))

def notes_apart(doc, page_texts):
    """The footnotes whose note is not on a page where its mark follows the
    text before it."""
    apart = []
    for field in [f for b in doc.get("body", []) for f in fields_of(b)]:
        for before, note in notes_of(field):
            anchor, head = loose(before.split("\0")[-1])[-6:], loose(note)[:12]
            ok = False
            for pg in page_texts:
                n = pg.find(head)
                m = re.search(re.escape(anchor) + "([" + CIRCLED + "])", pg)
                ok = ok or (n > 0 and m is not None and pg[n - 1] == m.group(1))
            if not ok:
                apart.append(head)
    return apart

def expand(tpl, page, pages, title):
    tpl = plain(tpl)
    return (tpl.replace("{{", "\0").replace("}}", "\1").replace("{page}", str(page))
            .replace("{pages}", str(pages)).replace("{title}", title)
            .replace("\0", "{").replace("\1", "}"))

def strip_running(flat, page_spec, n, pages, title):
    """A page's text without its running header and footer."""
    header = loose(expand(page_spec.get("header", ""), n, pages, title))
    footer = loose(expand(page_spec.get("footer", "第 {page} 页 共 {pages} 页"), n, pages, title))
    if header and flat.startswith(header):
        flat = flat[len(header):]
    if footer and flat.endswith(footer):
        flat = flat[:-len(footer)]
    return flat

MM = 72 / 25.4
PAGE_MM = {"A4": (210, 297), "A5": (148, 210), "B5": (176, 250), "Letter": (215.9, 279.4)}
SLACK = 1.0        # pt: glyph boxes may poke out of the em box a little

def margins_pt(page_spec):
    m = page_spec.get("margin", [25, 20, 25, 20])
    if isinstance(m, (int, float)):
        m = [m] * 4
    elif len(m) == 2:
        m = [m[0], m[1], m[0], m[1]]
    return [v * MM for v in m]       # top, right, bottom, left

def outside_text_area(doc, pdf, pages):
    """Lines outside the text area that are not the running header/footer."""
    page = doc.get("page", {})
    top, right, bottom, left = margins_pt(page)
    title = doc.get("meta", {}).get("title", "")
    rc, xml = run("pdftotext", "-bbox-layout", pdf, "-")
    stray = []
    for n, pg in enumerate(re.findall(r"<page (.*?)</page>", xml, re.S), 1):
        w = float(re.search(r'width="([\d.]+)"', pg).group(1))
        h = float(re.search(r'height="([\d.]+)"', pg).group(1))
        header = loose(expand(page.get("header", ""), n, pages, title))
        footer = loose(expand(page.get("footer", "第 {page} 页 共 {pages} 页"), n, pages, title))
        for line in re.findall(r"<line (.*?)</line>", pg, re.S):
            x0, y0, x1, y1 = (float(v) for v in re.findall(r'[xy]M(?:in|ax)="([\d.]+)"', line)[:4])
            text = loose("".join(re.findall(r">([^<]*)</word>", line)))
            # A bracket opening a line or a mark closing it is set half
            # width: its glyph box, which pdftotext reports, reaches half an
            # em past the edge while its ink stays inside.
            half_em = 0.55 * (y1 - y0)
            # pdftotext's boxes run from the CJK faces' ascent to their
            # descent (1.16 and 0.29 em), past the em box the layout puts on
            # its grid: judged on the em box, as tests/layout/check.py does.
            y0, y1 = y0 + 0.19 * (y1 - y0), y1 - 0.11 * (y1 - y0)
            inside = (y0 >= top - SLACK and y1 <= h - bottom + SLACK and
                      x0 >= left - half_em - SLACK and x1 <= w - right + half_em + SLACK)
            if inside or (y1 <= top + SLACK and text and text in header) or \
                    (y0 >= h - bottom - SLACK and text and text in footer):
                continue
            stray.append(f"page {n}: {text[:20]!r} at y {y0:.1f}-{y1:.1f}, x {x0:.1f}-{x1:.1f}")
    return stray

MIN_PIECE = 8
MAX_GAP = 2000   # characters of a floated chart or figure between two pieces

def find_in_pieces(flat, want, pos, pieces=3, gap=None):
    """End of `want` in `flat` after `pos`, allowing it to be cut into at
    most `pieces` runs (a paragraph split over pages may be interrupted by
    a chart or figure floated to the top of the next page); -1 if absent."""
    if gap is None:            # the first piece may be anywhere after pos
        gap = len(flat)
    at = flat.find(want, pos, pos + len(want) + gap)
    if at >= 0:
        return at + len(want)
    if pieces <= 1:
        return -1
    # Each piece at least MIN_PIECE characters and close to the previous
    # one, so a lost or altered character cannot hide behind fragments
    # found elsewhere in the document.
    for k in range(len(want) - MIN_PIECE, MIN_PIECE - 1, -1):   # longest prefix first
        at = flat.find(want[:k], pos, pos + k + gap)
        if at >= 0:
            return find_in_pieces(flat, want[k:], at + k, pieces - 1, MAX_GAP)
    return -1

def main():
    src, pdf = sys.argv[1], sys.argv[2]
    doc = json.load(open(src, encoding="utf-8"))
    meta = doc.get("meta", {})

    rc, info = run("pdfinfo", pdf)
    check(rc == 0, "pdfinfo reads the file", info)
    fields = dict(re.findall(r"^([A-Za-z ]+):\s*(.*)$", info, re.M))
    pages = int(fields.get("Pages", "0"))
    check(pages > 0, f"{pages} pages")
    for key, field in (("title", "Title"), ("author", "Author"), ("subject", "Subject")):
        if key in meta:
            check(fields.get(field, "") == meta[key], f"metadata {field}",
                  f"got {fields.get(field)!r}, want {meta[key]!r}")
    check(fields.get("Creator", "").startswith("brief "), "creator is brief", fields.get("Creator", ""))

    rc, fonts = run("pdffonts", pdf)
    rows = [l for l in fonts.splitlines()[2:] if l.strip()]
    check(rc == 0 and rows, "pdffonts lists fonts", fonts)
    for l in rows:
        cols = l.split()
        # name type... emb sub uni object ID: emb/sub/uni are the 5th-3rd from the end
        emb, sub = cols[-5], cols[-4]
        check(emb == "yes" and sub == "yes", f"font {cols[0]} embedded as a subset", l)

    rc, out = run("qpdf", "--check", pdf)
    check(rc == 0, "qpdf --check", out)

    rc, out = run("mutool", "draw", "-o", "/dev/null", pdf)
    bad = [l for l in out.splitlines() if re.search(r"broken|error|warning", l, re.I)
           and "ICC support is not available" not in l]  # a note about mutool itself
    check(rc == 0 and not bad, "mutool draws every glyph", "\n".join(bad[:5]))

    rc, text = run("pdftotext", "-enc", "UTF-8", pdf, "-")
    page = doc.get("page", {})
    flat = "".join(strip_running(loose(t), page, i + 1, pages, meta.get("title", ""))
                   for i, t in enumerate(text.split("\f")))
    # Footnotes stand at the foot of a page, inside a paragraph that goes
    # on over the page break: take them (number and text) out first.
    for field in [f for b in doc.get("body", []) for f in fields_of(b)]:
        for _, n in notes_of(field):
            flat = re.sub("[\u2460-\u2473]" + re.escape(loose(n)), "", flat, count=1)
    pos, missing = 0, []
    for i, b in enumerate(doc.get("body", [])):
        if b.get("type") == "figure":
            # Figures float: their captions must be there, in any place.
            cap = plain(b.get("caption", ""))
            if cap and loose(cap) not in re.sub("[" + CIRCLED + "]", "", flat):
                missing.append(f"body[{i}] caption {cap[:24]}…")
            continue
        t = b.get("text")
        if not t:
            continue
        if isinstance(t, list):
            # Runs: the text between footnote marks and values, in order
            # (a mark is drawn apart, a value printed by the formatter).
            for seg in runs_segments(t):
                end = find_in_pieces(flat, loose(seg), pos)
                if end < 0:
                    missing.append(f"body[{i}] {seg[:24]}…")
                    break
                pos = end
            continue
        want = loose(t)
        # Running headers and footers may interrupt a block split over a
        # page break: strip them from the extracted text first.
        end = find_in_pieces(flat, want, pos)
        if end < 0:
            missing.append(f"body[{i}] {t[:24]}…")
            continue
        pos = end
    check(not missing, "pdftotext returns every text block in order and every caption", "; ".join(missing[:5]))
    apart = notes_apart(doc, [loose(t) for t in text.split("\f")])
    check(not apart, "every footnote on its mark's page", "mark and note apart: %s" % apart[:5])

    stray = outside_text_area(doc, pdf, pages)
    check(not stray, "all text inside the margins but the running header and footer",
          "; ".join(stray[:5]))

    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
