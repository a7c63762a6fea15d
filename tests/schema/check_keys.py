#!/usr/bin/env python3
"""The validator's key tables against data/brief.schema.json.

Reads every `static const char *const NAME_KEYS[] = {...}` of the
validator's sources (src/validate/*.c) and compares each with the
properties the schema allows at the same place.  One case per table; a
table the map below does not know fails (add it here when adding one).
Prints ok/FAIL lines and "N passed, M failed".
"""
import glob
import json
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "."
src = "".join(open(f, encoding="utf-8").read() for f in sorted(glob.glob(f"{root}/src/validate/*.c")))
tables = {m.group(1): re.findall(r'"([^"]*)"', m.group(2))
          for m in re.finditer(r"static const char \*const (\w+_KEYS)\[\]\s*=\s*\{(.*?)\};", src, re.S)}
schema = json.load(open(f"{root}/data/brief.schema.json", encoding="utf-8"))


def block(t):
    for b in schema["$defs"]["block"]["oneOf"]:
        if b.get("properties", {}).get("type", {}).get("const") == t:
            return b
    return None


def props(obj):
    return set(obj.get("properties", {})) if obj else None


P = schema["properties"]
table = block("table")
kpi = block("kpi")
where = {
    "ROOT_KEYS": props(schema),
    "META_KEYS": props(P["meta"]),
    "PAGE_KEYS": props(P["page"]),
    "STYLE_KEYS": props(P["style"]),
    "DATASET_KEYS": props(schema["$defs"]["dataset"]),
    "TEXT_KEYS": props(block("paragraph")),
    "HEADING_KEYS": props(block("heading")),
    "FIGURE_KEYS": props(block("figure")),
    "BREAK_KEYS": props(block("page_break")),
    "TABLE_KEYS": props(table),
    "GROUP_KEYS": props(table["properties"]["groups"]["items"]) if table else None,
    "KPI_KEYS": props(kpi),
    "KPI_ITEM_KEYS": props(kpi["properties"]["items"]["items"]) if kpi else None,
    "LIST_KEYS": props(block("list")),
    "MASTHEAD_KEYS": props(block("masthead")),
}
chart = block("chart")
chart_all = props(chart) if chart else set()
# A chart's keys are its common ones plus those of its kind (bar, completion).
for name in ("CHART_KEYS", "BAR_KEYS", "COMPLETION_KEYS"):
    where[name] = chart_all
where["REFERENCE_KEYS"] = None
if chart:
    ref = chart["properties"].get("reference", {}).get("items")
    where["REFERENCE_KEYS"] = props(ref)

passed = failed = 0
for name, keys in sorted(tables.items()):
    want = where.get(name)
    if want is None:
        print(f"FAIL {name}: no place in the schema is known for it (tests/schema/check_keys.py)")
        failed += 1
        continue
    keys = set(keys)
    if name in ("CHART_KEYS", "BAR_KEYS", "COMPLETION_KEYS"):
        ok, missing, extra = keys <= want, keys - want, set()
    else:
        missing, extra = keys - want, want - keys
        ok = not missing and not extra
    if ok:
        print(f"ok   {name}: {len(keys)} keys, as in the schema")
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}: validator only {sorted(missing)}, schema only {sorted(extra)}")
if chart:
    union = set(tables.get("CHART_KEYS", [])) | set(tables.get("BAR_KEYS", [])) | set(tables.get("COMPLETION_KEYS", []))
    if union == chart_all:
        passed += 1
        print("ok   chart keys (common, bar, completion) are the schema's chart properties")
    else:
        failed += 1
        print(f"FAIL chart keys: validator only {sorted(union - chart_all)}, schema only {sorted(chart_all - union)}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
