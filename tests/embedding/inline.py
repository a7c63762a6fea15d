#!/usr/bin/env python3
"""inline.py DIR OUT: inlines every DIR/*.svg into one page.

Writes OUT/page.html (the charts inlined in an HTML page, one after the
other, as a document would) and OUT/page.svg (the same charts nested in one
SVG document: one DOM, one id namespace, which rsvg-convert can draw), and
for each chart NAME OUT/view-NAME.svg: page.svg with its viewport set to
that chart's box, so drawing it shows that chart as it looks inside the
page (with every other chart's ids in the same document)."""
import glob
import os
import re
import sys

src, out = sys.argv[1], sys.argv[2]
charts = []
for path in sorted(glob.glob(os.path.join(src, "*.svg"))):
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"^<\?xml[^>]*\?>\s*", "", text)
    m = re.search(r'<svg\b[^>]*\bwidth="([0-9.]+)pt" height="([0-9.]+)pt"', text)
    if not m:
        sys.exit(f"{path}: no width/height in pt")
    charts.append((os.path.splitext(os.path.basename(path))[0], text,
                   float(m.group(1)), float(m.group(2))))
if not charts:
    sys.exit("no charts")

html = ["<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>charts</title></head><body>\n"]
for name, text, w, h in charts:
    html.append(f"<figure id=\"fig-{name}\">\n{text}</figure>\n")
html.append("</body></html>\n")
open(os.path.join(out, "page.html"), "w", encoding="utf-8").write("".join(html))

width = max(w for _, _, w, _ in charts)
y, nested = 0.0, []
boxes = {}
for name, text, w, h in charts:
    # the chart's root <svg> placed at (0, y) of the page, its size in the
    # page's user units (1 pt each: the page's viewBox is in pt)
    root = re.search(r"<svg\b[^>]*>", text).group(0)
    placed = re.sub(r'\b(width|height)="([0-9.]+)pt"', r'\1="\2"', root)
    placed = placed.replace("<svg", f'<svg x="0" y="{y:g}"', 1)
    nested.append(text.replace(root, placed, 1))
    boxes[name] = (y, w, h)
    y += h + 20
height = y

def page(vx, vy, vw, vh):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<svg xmlns="http://www.w3.org/2000/svg" '
            'xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{vw:g}pt" height="{vh:g}pt" viewBox="{vx:g} {vy:g} {vw:g} {vh:g}">\n'
            + "".join(nested) + "</svg>\n")

open(os.path.join(out, "page.svg"), "w", encoding="utf-8").write(page(0, 0, width, height))
for name, (y0, w, h) in boxes.items():
    open(os.path.join(out, f"view-{name}.svg"), "w", encoding="utf-8").write(page(0, y0, w, h))
