#!/usr/bin/env python3
"""pad_page.py PADDED.svg INNER.svg PAD_MM OUT.svg: INNER (the chart laid out
without padding, PAD_MM narrower on each side) placed at (PAD, PAD) on a white
page of PADDED's size: what the padded export must draw, pixel for pixel."""
import re
import sys

padded, inner, pad_mm, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
pad = pad_mm * 72 / 25.4
outer = open(padded, encoding="utf-8").read()
m = re.search(r'<svg\b[^>]*\bwidth="([0-9.]+)pt" height="([0-9.]+)pt"', outer)
W, H = float(m.group(1)), float(m.group(2))
text = re.sub(r"^<\?xml[^>]*\?>\s*", "", open(inner, encoding="utf-8").read())
root = re.search(r"<svg\b[^>]*>", text).group(0)
placed = re.sub(r'\b(width|height)="([0-9.]+)pt"', r'\1="\2"', root)
placed = placed.replace("<svg", f'<svg x="{pad:.3f}" y="{pad:.3f}"', 1)
open(out, "w", encoding="utf-8").write(
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    f'width="{W:g}pt" height="{H:g}pt" viewBox="0 0 {W:g} {H:g}">\n'
    f'<rect width="{W:g}" height="{H:g}" fill="#ffffff"/>\n'
    + text.replace(root, placed, 1) + "</svg>\n")
