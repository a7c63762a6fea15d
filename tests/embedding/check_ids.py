#!/usr/bin/env python3
"""check_ids.py [--prefix P] A.svg B.svg ...: no id is defined twice (in one
file or across files), every #reference resolves in its own file, and (with
--prefix) every id starts with P.  Exit status 1 on any problem."""
import re
import sys

args = sys.argv[1:]
prefix = None
if args and args[0] == "--prefix":
    prefix, args = args[1], args[2:]
seen = {}
bad = 0
shown = 0


def report(msg):
    global bad, shown
    bad += 1
    shown += 1
    if shown <= 5:
        print(msg)


for path in args:
    text = open(path, encoding="utf-8").read()
    ids = re.findall(r'\bid="([^"]*)"', text)
    refs = set(re.findall(r'href="#([^"]*)"', text)) | set(re.findall(r'url\(#([^)]*)\)', text))
    if not ids:
        report(f"{path}: no ids")
    for i in ids:
        if i in seen:
            report(f"{path}: id {i} also in {seen[i]}")
        seen[i] = path
        if prefix is not None and not i.startswith(prefix):
            report(f"{path}: id {i} does not start with {prefix}")
    for r in refs - set(ids):
        report(f"{path}: #{r} refers to no id of the file")
if bad > 5:
    print(f"... {bad} problems")
sys.exit(1 if bad else 0)
