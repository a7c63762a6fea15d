#!/usr/bin/env python3
"""Reads a rendered brief back as a screen reader or an archive would.

usage: check_tags.py BRIEF.json OUT.pdf

Checks, one case each, printing "ok"/"FAIL" lines and "N passed, M failed":
  tagged     pdfinfo says "Tagged: yes"
  qpdf       qpdf --check finds nothing
  lang       the catalog's /Lang is meta.lang (default zh-CN)
  order      the structure tree is Document > one element per block, in body
             order (title H, headings H1-H3, text P, charts/figures Figure),
             each footnote a Note right after its block
  alt        every Figure has a non-empty /Alt; a chart's starts with its title
  tables and lists  Table > TR of TH, then TR of TD; L > one LI (Lbl, LBody) per item
  links      every link run (of every text field: text, captions, table title
             and note, list items, key-figure labels, masthead) has an
             annotation whose URI is the run's link
  notes      each footnote's mark and its note are on the same page, the
             mark right after the text before it (pdftotext per page)
  parent tree  every MCID a page's parent-tree array lists is held by that
             element, which hangs from the Document (parts merged right)
  mark faces a note mark is in the font of the glyph before it (mutool)
  artifacts  no "Private" marked content is left; a page showing 续表 has
             /Artifact content (the repeated header)
  running texts  the running header and footer are /Artifact content
  all text marked  no text is shown outside marked content (an element's or an artifact's):
             the text after a link goes on in a Span
"""
import json
import re
import subprocess
import sys

CIRCLED = "".join(chr(c) for c in range(0x2460, 0x2474))


def squeeze(s):
    """Text without white space and punctuation (normalised differently on
    the page: ASCII , : ; ( ) beside Chinese become full width)."""
    return re.sub(r"[\s,，.。:：;；!！?？()（）、“”\"'‘’《》]", "", s)


def run(*args):
    return subprocess.run(args, capture_output=True, text=True)


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def case(self, name, ok, why=""):
        if ok:
            self.passed += 1
            print("ok   " + name)
        else:
            self.failed += 1
            print("FAIL " + name + (": " + why if why else ""))


def text_of(field):
    """(plain text, [(text before note, note text)], [links]) of a field."""
    if isinstance(field, str):
        return field, [], []
    plain, notes, links = "", [], []
    for r in field:
        if isinstance(r, str):
            plain += r
        elif "note" in r:
            n = r["note"]
            ntext = n if isinstance(n, str) else "".join(
                x if isinstance(x, str) else x.get("text", "") for x in n)
            notes.append((plain, ntext))
        elif "value" in r or "ref" in r:
            plain += "\0"     # printed text unknown here: anchors stop at it
        elif "text" in r:
            plain += r["text"]
            if "link" in r:
                links.append(r["link"])
    return plain, notes, links


def fields_of(b):
    """The text fields of a block that may be runs, in reading order."""
    t = b["type"]
    if t == "figure":
        keys = ["caption"]
    elif t == "table":
        keys = ["title", "note"]
    elif t == "masthead":
        keys = ["mark", "title", "issue", "org", "date"]
    else:
        keys = ["text"]
    out = [b[k] for k in keys if k in b]
    if t == "list":
        out += b.get("items", [])
    elif t == "kpi":
        out += [it["label"] for it in b.get("items", []) if "label" in it]
    return out


def table_rows(doc, b):
    """Body rows of a table block (its total row too), None when the data
    is not in the brief."""
    d = b.get("data")
    d = doc.get("data", {}).get(d) if isinstance(d, str) else d
    if not isinstance(d, dict) or not isinstance(d.get("rows"), list):
        return None
    return len(d["rows"]) + (1 if b.get("total") else 0)


def expected_elements(doc):
    out = []
    for b in doc["body"]:
        t = b["type"]
        if t == "page_break":
            continue
        if t == "title":
            out.append("/H")
        elif t == "heading":
            out.append("/H%d" % b.get("level", 1))
        elif t in ("chart", "figure"):
            out.append("/Figure")
        elif t == "table":
            out.append("/Table")
        elif t == "list":
            out.append("/L")
        elif t in ("kpi", "masthead"):
            out.append("/Div")
        else:
            out.append("/P")
        for f in fields_of(b):
            out += ["/Note"] * len(text_of(f)[1])
    return out


def main():
    src, pdf = sys.argv[1], sys.argv[2]
    doc = json.load(open(src, encoding="utf-8"))
    c = Checks()

    info = run("pdfinfo", pdf).stdout
    c.case("tagged", re.search(r"^Tagged:\s+yes", info, re.M) is not None, "pdfinfo: not tagged")
    q = run("qpdf", "--check", pdf)
    c.case("qpdf", q.returncode == 0 and "WARNING" not in q.stdout + q.stderr,
           (q.stdout + q.stderr).strip()[-300:])

    j = json.loads(run("qpdf", "--json", pdf).stdout)
    objs = j["qpdf"][1]

    def get(ref):
        v = objs.get("obj:" + ref)
        return v.get("value", v) if isinstance(v, dict) else None

    trailer = objs["trailer"]["value"]
    cat = get(trailer["/Root"])
    lang = doc.get("meta", {}).get("lang", "zh-CN")
    c.case("lang", cat.get("/Lang") == "u:" + lang, "catalog /Lang %r" % cat.get("/Lang"))

    root = get(cat["/StructTreeRoot"])
    docel = get(root["/K"]) if isinstance(root.get("/K"), str) else None
    kids = []
    if docel and docel.get("/S") == "/Document":
        kids = [get(k) for k in docel["/K"] if isinstance(k, str)]
    got = [k.get("/S") for k in kids]
    want = expected_elements(doc)
    first = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), None)
    c.case("order", got == want,
           "structure %s, body %s (first difference at %s)" % (len(got), len(want), first))

    figs = [k for k in kids if k.get("/S") == "/Figure"]
    charts = [b for b in doc["body"] if b["type"] in ("chart", "figure")]
    bad = [i for i, f in enumerate(figs) if len(f.get("/Alt", "u:")) <= 2]
    for f, b in zip(figs, charts):
        if b["type"] == "chart" and b.get("title") and "alt" not in b and \
                not f.get("/Alt", "").startswith("u:" + b["title"]):
            bad.append(b.get("id"))
    c.case("alt", not bad and len(figs) == len(charts), "figures without /Alt: %s" % bad)

    def kids_of(e):
        K = e.get("/K")
        K = K if isinstance(K, list) else [K]
        return [get(k) for k in K if isinstance(k, str) and k.endswith(" R")]

    # tables: Table > TR (first of TH, the rest of TD); lists: L > LI > Lbl, LBody
    wrong = []
    blocks = [b for b in doc["body"] if b["type"] != "page_break"]
    tables = [k for k in kids if k.get("/S") == "/Table"]
    lists = [k for k in kids if k.get("/S") == "/L"]
    for i, tb in enumerate(tables):
        rows = [k for k in kids_of(tb) if k.get("/S") == "/TR"]
        if len(rows) < 2 or any(c.get("/S") != "/TH" for c in kids_of(rows[0])) or \
                any(c.get("/S") != "/TD" for r in rows[1:] for c in kids_of(r)):
            wrong.append("table %d" % i)
    # a table split over pages is one Table holding every row once: the
    # header repeated on a continuation page is an artifact, not a TR
    want_rows = [table_rows(doc, b) for b in blocks if b["type"] == "table"]
    for i, (tb, n) in enumerate(zip(tables, want_rows)):
        rows = [k for k in kids_of(tb) if k.get("/S") == "/TR"]
        if n is not None and len(rows) != 1 + n:
            wrong.append("table %d: %d rows, want 1 + %d" % (i, len(rows), n))
    want_items = [len(b.get("items", [])) for b in blocks if b["type"] == "list"]
    for i, (l, n) in enumerate(zip(lists, want_items)):
        items = kids_of(l)
        if len(items) != n or any([c.get("/S") for c in kids_of(it)] != ["/Lbl", "/LBody"]
                                  for it in items):
            wrong.append("list %d" % i)
    c.case("tables and lists", not wrong and len(lists) == len(want_items),
           "structure wrong in %s" % wrong)

    # the parent tree: each marked-content sequence of a page belongs to an
    # element that holds it and hangs from the Document (a block cut by page
    # breaks is one element holding every part's content)
    in_tree = set()

    def reach(ref):
        if ref in in_tree:
            return
        in_tree.add(ref)
        K = get(ref).get("/K")
        for k in K if isinstance(K, list) else [K]:
            if isinstance(k, str) and k.endswith(" R"):
                reach(k)
    reach(root["/K"])
    page_refs = []

    def collect_refs(ref):
        node = get(ref)
        if node.get("/Type") == "/Pages":
            for k in node["/Kids"]:
                collect_refs(k)
        else:
            page_refs.append(ref)
    collect_refs(cat["/Pages"])
    pages_list = [get(r) for r in page_refs]
    nums = get(root["/ParentTree"])["/Nums"]
    parents = dict(zip(nums[0::2], nums[1::2]))
    wrong = []
    for pno, (pref, pg) in enumerate(zip(page_refs, pages_list), 1):
        arr = parents.get(pg.get("/StructParents"))
        arr = get(arr) if isinstance(arr, str) else arr
        for mcid, el in enumerate(arr or []):
            if el is None:
                continue
            e = get(el)
            K = e.get("/K")
            K = K if isinstance(K, list) else [K]
            holds = any((k == mcid and e.get("/Pg") == pref) or
                        (isinstance(k, dict) and k.get("/MCID") == mcid and k.get("/Pg") == pref)
                        for k in K)
            if not holds or el not in in_tree:
                wrong.append("page %d MCID %d" % (pno, mcid))
    c.case("parent tree", not wrong, "content without its element: %s" % wrong[:5])

    # page furniture is an artifact: no Private marked content is left, and a
    # table's continuation (续表 and its repeated header) is an artifact
    qdf = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf, "-"],
                         capture_output=True).stdout.decode("latin-1")
    contents = re.split(r"%% Contents for page \d+", qdf)[1:]
    texts = [run("pdftotext", "-f", str(p), "-l", str(p), pdf, "-").stdout
             for p in range(1, len(contents) + 1)] if "续表" in run(
                 "pdftotext", pdf, "-").stdout else [""] * len(contents)
    def furniture_first(cs):
        """Is the page's first text (its running header or footer, painted
        first) inside an /Artifact sequence?"""
        for line in cs.split("\n"):
            if line.endswith(" BDC") or line.endswith(" BMC"):
                return line.startswith("/Artifact")
            if re.search(r"T[jJ]$", line):
                return False
        return True
    wrong = [i + 1 for i, cs in enumerate(contents)
             if "/Private" in cs.split("endstream")[0] or
             ("续表" in texts[i] and "/Artifact" not in cs.split("endstream")[0])]
    c.case("artifacts", not wrong, "page furniture not an artifact on pages %s" % wrong)
    page = doc.get("page", {})
    wrong = [i + 1 for i, cs in enumerate(contents)
             if (page.get("header") or page.get("footer")) and
             not furniture_first(cs.split("endstream")[0])]
    c.case("running texts", not wrong, "header or footer not an artifact on pages %s" % wrong)
    def unmarked_text(cs):
        """Text shown outside any marked-content sequence: neither an
        element's content nor an artifact (a screen reader skips it)."""
        depth, shown = 0, 0
        for line in cs.split("\n"):
            if line.endswith(" BDC") or line.endswith(" BMC"):
                depth += 1
            elif line == "EMC":
                depth -= 1
            elif depth == 0 and re.search(r"T[jJ]$", line):
                shown += 1
        return shown
    wrong = [(i + 1, n) for i, cs in enumerate(contents)
             for n in [unmarked_text(cs.split("endstream")[0])] if n]
    c.case("all text marked", not wrong, "text outside structure and artifacts (page, shows): %s" % wrong[:5])

    want_links = []
    for b in doc["body"]:
        for f in fields_of(b):
            want_links += text_of(f)[2]
    uris = set()
    for v in objs.values():
        val = v.get("value", v) if isinstance(v, dict) else None
        if isinstance(val, dict) and val.get("/Subtype") == "/Link":
            a = val.get("/A")
            a = get(a) if isinstance(a, str) else a
            if a and "/URI" in a:
                uris.add(a["/URI"][2:])
    missing = [u for u in want_links if u not in uris]
    c.case("links", not missing, "no annotation for %s" % missing)

    npages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    pages = []
    for p in range(1, npages + 1):
        t = run("pdftotext", "-f", str(p), "-l", str(p), pdf, "-").stdout
        pages.append(squeeze(t))
    wrong = []
    for f in [f for b in doc["body"] for f in fields_of(b)]:
        for before, note in text_of(f)[1]:
            anchor = squeeze(before.split("\0")[-1])[-6:]
            head = squeeze(note)[:12]
            where = [i for i, pg in enumerate(pages) if head in pg]
            ok = False
            for i in where:
                m = re.search(re.escape(anchor) + "([" + CIRCLED + "])", pages[i])
                n = pages[i].find(head)
                if m and pages[i][n - 1] == m.group(1):
                    ok = True
            if not ok:
                wrong.append(head)
    c.case("notes", not wrong, "mark and note apart: %s" % wrong)

    # a note mark is drawn in the face of the text right before it (a bold
    # heading's mark bold, a regular paragraph's regular): mutool's text
    # dump gives each glyph's font; a mark is a circled number whose left
    # edge is the right edge of the glyph before it (a note's label starts
    # its line)
    wrong = []
    for p in range(1, npages + 1):
        st = subprocess.run(["mutool", "draw", "-F", "stext", "-o", "-", pdf, str(p)],
                            capture_output=True).stdout.decode("utf-8", "replace")
        glyphs, font = [], None
        for m in re.finditer(r'<font name="([^"]*)"|<char quad="([^"]*)"[^>]*c="([^"]*)"', st):
            if m.group(1):
                font = m.group(1)
                continue
            q = [float(v) for v in m.group(2).split()]
            ch = m.group(3)
            ch = chr(int(ch[3:-1], 16)) if ch.startswith("&#x") else ch
            glyphs.append((ch, font, q[0], q[2], q[1], q[5]))   # x0, x1, y0, y1
        for ch, f, x0, x1, y0, y1 in glyphs:
            if ch not in CIRCLED:
                continue
            left = [g for g in glyphs if g[0] not in CIRCLED and g[0].strip() and
                    abs(g[3] - x0) < 0.05 and g[4] < y1 and y0 < g[5]]
            # the glyph of its own line: the one it overlaps most in height
            left.sort(key=lambda g: -(min(y1, g[5]) - max(y0, g[4])))
            if left and left[0][1] != f:
                wrong.append("page %d: %s in %s after %s in %s" % (p, ch, f, left[0][0], left[0][1]))
    c.case("mark faces", not wrong, "; ".join(wrong[:3]))

    print("%d passed, %d failed" % (c.passed, c.failed))
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
