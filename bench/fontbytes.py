#!/usr/bin/python3
"""Bytes of embedded font programs in a PDF written by cairo (stdlib only).

usage: fontbytes.py FILE.pdf
Prints "BYTES GLYPHS": the summed length of the FontFile/FontFile2/FontFile3
streams as stored (compressed) and the number of glyphs the PDF's font
width arrays list.  The font programs are the floor of a brief's size: the
outlines of the glyphs it uses.
"""
import re
import sys

data = open(sys.argv[1], "rb").read()
objs = {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S)}
total = 0
for body in objs.values():
    for ref in re.findall(rb"/FontFile[23]? (\d+) 0 R", body):
        stream = objs.get(int(ref), b"")
        m = re.search(rb"/Length (\d+)( 0 R)?", stream)
        if m:
            length = int(m.group(1))
            if m.group(2):     # an indirect length: the number is its own object
                length = int(objs[length].strip())
            total += length
glyphs = 0
for body in objs.values():
    m = re.search(rb"/W \[\s*(\d+ \[[^\]]*\]\s*)+\]", body)
    if m:
        for run in re.findall(rb"\d+ \[([^\]]*)\]", m.group(0)):
            glyphs += len(run.split())
print(total, glyphs)
