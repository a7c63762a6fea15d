#!/usr/bin/python3
"""Build the bundled subset fonts of brief from Debian's fonts-noto-cjk.

Run with Debian's Python (it needs python3-fonttools):

    /usr/bin/python3 tools/make-fonts.py              # writes fonts/*.otf
    /usr/bin/python3 tools/make-fonts.py --list-coverage FILE   # only the code point list

Inputs (Debian bookworm packages):
  fonts-noto-cjk   /usr/share/fonts/opentype/noto/Noto{Serif,Sans}CJK-{Regular,Bold}.ttc
  unicode-data     /usr/share/unicode/Unihan*  (kTGHZ2013 field)

Outputs: fonts/BriefSerifSC-Regular.otf, fonts/BriefSerifSC-Bold.otf,
         fonts/BriefSansSC-Regular.otf,  fonts/BriefSansSC-Bold.otf,
         fonts/OFL.txt (the licence, from Debian's copyright file of fonts-noto-cjk)

The output is byte-for-byte reproducible for the same inputs: head.created and
head.modified are copied from the source font (or taken from SOURCE_DATE_EPOCH
when that is set), and nothing else depends on the clock or on hash order.
"""

import argparse
import bz2
import gzip
import hashlib
import io
import os
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor

from fontTools import subset
from fontTools.misc.timeTools import epoch_diff
from fontTools.ttLib import TTCollection, TTFont

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

NOTO_DIR = "/usr/share/fonts/opentype/noto"
NOTO_COPYRIGHT = "/usr/share/doc/fonts-noto-cjk/copyright"
UNICODE_DIR = "/usr/share/unicode"

# (output file stem, source TTC, source family in name ID 1, new family, style)
FACES = [
    ("BriefSerifSC-Regular", "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", "Brief Serif SC", "Regular"),
    ("BriefSerifSC-Bold", "NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC", "Brief Serif SC", "Bold"),
    ("BriefSansSC-Regular", "NotoSansCJK-Regular.ttc", "Noto Sans CJK SC", "Brief Sans SC", "Regular"),
    ("BriefSansSC-Bold", "NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", "Brief Sans SC", "Bold"),
]

# OpenType features kept (horizontal layout only).  'locl' is kept but reduced
# to the Simplified Chinese lookups, see restrict_locl_to_zhs().  The source's
# 'calt' only acts on Hangul, so the subsetter finds nothing of it to keep.
FEATURES = ["ccmp", "locl", "liga", "calt", "kern", "halt", "palt", "fwid", "hwid", "pwid"]

# Vertical-layout tables are not needed for horizontal text.
DROP_TABLES = ["VORG", "vhea", "vmtx"]

# Extra symbols (most are in GB 2312 already; listing them keeps them if that changes).
EXTRA_SYMBOLS = (
    "×÷±°·•※№℃←→↑↓■□▲△●○◆◇★☆€™‰"
    "\u2e3a\u2e3b"            # TWO-EM DASH, THREE-EM DASH
    "\u2212"                  # MINUS SIGN: charts print negative numbers with it
    "▲▼△▽"                   # KPI tiles: up and down
    "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"   # footnote marks
    "～—–‒"                  # ranges and dashes
)

WIN = (3, 1, 0x409)  # platform, encoding, language of the name records we write


# --------------------------------------------------------------------------
# Coverage
# --------------------------------------------------------------------------

def _open_text(path):
    if path.endswith(".bz2"):
        return io.TextIOWrapper(bz2.open(path, "rb"), encoding="utf-8")
    if path.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return open(path, encoding="utf-8")


def _scan_kTGHZ2013(lines):
    cps = set()
    for line in lines:
        if line.startswith("U+") and "\tkTGHZ2013\t" in line:
            cps.add(int(line.split("\t", 1)[0][2:], 16))
    return cps


def tghz2013(unicode_dir):
    """Code points with a kTGHZ2013 field (Table of General Standard Chinese Characters).

    Looks at Unihan_*.txt, .txt.bz2, .txt.gz and Unihan.zip under unicode_dir,
    Unihan_Readings first (where Unicode 13+ puts the field)."""
    cands = []
    for dirpath, _dirs, files in os.walk(unicode_dir):
        for name in files:
            if name.startswith("Unihan") and name.endswith((".txt", ".txt.bz2", ".txt.gz", ".zip")):
                cands.append(os.path.join(dirpath, name))
    cands.sort(key=lambda p: ("Readings" not in os.path.basename(p), p))
    for path in cands:
        if path.endswith(".zip"):
            with zipfile.ZipFile(path) as z:
                for member in sorted(z.namelist()):
                    if member.endswith(".txt"):
                        with z.open(member) as fh:
                            cps = _scan_kTGHZ2013(io.TextIOWrapper(fh, encoding="utf-8"))
                        if cps:
                            return cps, "%s:%s" % (path, member)
        else:
            with _open_text(path) as fh:
                cps = _scan_kTGHZ2013(fh)
            if cps:
                return cps, path
    sys.exit("make-fonts: no kTGHZ2013 field found under %s (install unicode-data)" % unicode_dir)


def gb2312():
    """Every character of GB 2312 (all valid EUC-CN double-byte sequences)."""
    cps = set()
    for b1 in range(0xA1, 0xF8):
        for b2 in range(0xA1, 0xFF):
            try:
                s = bytes((b1, b2)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            cps.update(map(ord, s))
    return cps


def requested_coverage(unicode_dir):
    """The requested code points, as {name: set} (the sets overlap)."""
    tg, tg_src = tghz2013(unicode_dir)
    sets = {
        "tghz2013": tg,
        "gb2312": gb2312(),
        "latin": set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)),
        "punct": set(range(0x2000, 0x2070)) | set(range(0x3000, 0x3040)) | set(range(0xFF01, 0xFFF0)),
        "symbols": set(map(ord, EXTRA_SYMBOLS)) | set(range(0x2460, 0x2474)),
    }
    return sets, tg_src


# --------------------------------------------------------------------------
# Source fonts
# --------------------------------------------------------------------------

def name_of(font, name_id):
    rec = font["name"].getName(name_id, *WIN)
    return rec.toUnicode() if rec else None


def find_member(ttc_path, family):
    """Index of the TTC member whose English name ID 1 equals family."""
    coll = TTCollection(ttc_path, lazy=True)
    hits = [i for i, f in enumerate(coll.fonts) if name_of(f, 1) == family]
    coll.close()
    if len(hits) != 1:
        sys.exit("make-fonts: %s: expected one member named %r, found %d" % (ttc_path, family, len(hits)))
    return hits[0]


def source_cmap(ttc_path, family):
    idx = find_member(ttc_path, family)
    font = TTFont(ttc_path, fontNumber=idx, lazy=True)
    cmap = set(font.getBestCmap())
    font.close()
    return cmap


def restrict_locl_to_zhs(font):
    """Give every CJK language system the 'locl' of ZHS (Simplified Chinese).

    The GSUB of the TTC is shared by its JP/KR/SC/TC/HK members; the locl
    features of the language systems JAN, KOR, ZHH and ZHT switch the SC forms
    this member's cmap gives to Japanese, Korean or Traditional forms.  The
    ZHS one only maps a few marks to their CJK forms (U+2014 EM DASH -> 1 em,
    U+2E3A/B -> 2/3 em, straight quotes, U+203C ...).  Pointing the other
    language systems at the ZHS feature keeps the glyph set small and the face
    Simplified Chinese whatever language tag the text carries.  The default
    language systems are left alone (for latn/grek/cyrl the Serif fonts have a
    locl there: tabular digits, narrower ellipsis; it applies to text without
    a CJK language tag, as in the source font).  Returns the ZHS lookups."""
    gsub = font["GSUB"].table
    feats = gsub.FeatureList.FeatureRecord
    lookups = set()
    changed = 0
    for srec in gsub.ScriptList.ScriptRecord:
        by_tag = {l.LangSysTag: l.LangSys for l in srec.Script.LangSysRecord}
        if "ZHS " not in by_tag:
            continue
        zhs_locl = [i for i in by_tag["ZHS "].FeatureIndex if feats[i].FeatureTag == "locl"]
        for i in zhs_locl:
            lookups.update(feats[i].Feature.LookupListIndex)
        for tag, ls in by_tag.items():
            if tag == "ZHS ":
                continue
            keep = [i for i in ls.FeatureIndex if feats[i].FeatureTag != "locl"]
            if keep + zhs_locl != ls.FeatureIndex:
                changed += 1
            ls.FeatureIndex = sorted(keep + zhs_locl)
            ls.FeatureCount = len(ls.FeatureIndex)
    if not lookups:
        sys.exit("make-fonts: no locl feature for language system ZHS in the source font")
    return sorted(lookups)


def drop_uvs(font):
    """Remove cmap format 14 (variation sequences): its non-default glyphs are
    Japanese/Traditional variants we do not want to carry."""
    cmap = font["cmap"]
    cmap.tables = [t for t in cmap.tables if t.format != 14]


# --------------------------------------------------------------------------
# Renaming
# --------------------------------------------------------------------------

def rename(font, family, style, psname, n_cps):
    name = font["name"]
    src_family = name_of(font, 1)
    src_full = name_of(font, 4)
    src_ps = name_of(font, 6)
    version = "%.3f" % font["head"].fontRevision
    old_desc = name_of(font, 10)

    # Family-related records in every language and platform go; we write
    # English Windows records only, so no localised record can still say
    # "Noto ... CJK SC" (fontconfig would list it as a family name).
    name.names = [r for r in name.names if r.nameID not in (1, 2, 3, 4, 6, 10, 16, 17, 18, 21, 22)]
    full = family if style == "Regular" else "%s %s" % (family, style)
    desc = ("Subset of %s (%s, version %s, from Debian fonts-noto-cjk) made for brief by "
            "tools/make-fonts.py: %d code points (Table of General Standard Chinese Characters, "
            "GB 2312, Latin-1, punctuation, common symbols), horizontal OpenType features only, "
            "no hinting, no subroutines. Renamed as required by the SIL Open Font License. Original credits: %s"
            % (src_family, src_full, version, n_cps, old_desc))
    for nid, text in ((1, family), (2, style), (3, "%s;BRIEF;%s" % (version, psname)),
                      (4, full), (6, psname), (10, desc)):
        name.setName(text, nid, *WIN)
    ver = name.getName(5, *WIN)
    if ver is not None:
        name.setName(ver.toUnicode() + ";brief subset", 5, *WIN)
    name.names.sort(key=lambda r: (r.platformID, r.platEncID, r.langID, r.nameID))

    cff = font["CFF "].cff
    old_ps = cff.fontNames[0]
    cff.fontNames = [psname]
    top = cff.topDictIndex[0]
    top.FullName = full
    top.FamilyName = family
    top.Weight = style
    if hasattr(top, "FDArray"):
        for fd in top.FDArray:
            fn = getattr(fd, "FontName", None)
            if fn:
                for prefix in (old_ps, src_ps):
                    if fn.startswith(prefix):
                        fn = psname + fn[len(prefix):]
                        break
                fd.FontName = fn
    return old_ps


# --------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------

def build_face(job):
    stem, ttc, src_family, family, style, cps, out_dir, stamp = job
    t0 = time.monotonic()
    idx = find_member(ttc, src_family)
    font = TTFont(ttc, fontNumber=idx, recalcTimestamp=False, recalcBBoxes=True)
    src = {
        "index": idx,
        "psname": name_of(font, 6),
        "glyphs": font["maxp"].numGlyphs,
        "version": font["head"].fontRevision,
    }
    head = font["head"]
    created, modified = head.created, head.modified
    if stamp is not None:
        created = modified = stamp

    locl = restrict_locl_to_zhs(font)
    drop_uvs(font)

    opts = subset.Options()
    opts.layout_features = list(FEATURES)
    opts.layout_scripts = ["*"]
    opts.hinting = False
    # No subroutines: with them cairo 1.16 puts far more than the used glyphs
    # into each PDF (measured: a 6-character PDF 17-31 KB instead of 3.5 KB,
    # 800 characters 263-326 KB instead of 89-120 KB) and its CFF subsetter
    # has fewer ways to go wrong without them.  Costs 1-6 % of the file size.
    opts.desubroutinize = True
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.name_legacy = True
    opts.drop_tables = sorted(set(opts.drop_tables) | set(DROP_TABLES))
    opts.recalc_bounds = True
    opts.recalc_timestamp = False
    opts.prune_unicode_ranges = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=sorted(cps))
    sub.subset(font)

    have = set(font.getBestCmap())
    rename(font, family, style, stem, len(have))
    head.created, head.modified = created, modified

    out = os.path.join(out_dir, stem + ".otf")
    tmp = out + ".tmp"
    font.save(tmp, reorderTables=True)
    font.close()
    os.replace(tmp, out)
    with open(out, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()
    check = TTFont(out, lazy=True)
    feats = sorted({r.FeatureTag for t in ("GSUB", "GPOS") if t in check
                    for r in check[t].table.FeatureList.FeatureRecord})
    res = {
        "stem": stem, "file": out, "ttc": ttc, "src": src, "family": name_of(check, 1),
        "style": name_of(check, 2), "psname": name_of(check, 6), "cps": len(have),
        "glyphs": check["maxp"].numGlyphs, "size": os.path.getsize(out), "sha256": digest,
        "features": feats, "tables": sorted(check.reader.keys()), "locl": locl,
        "missing": sorted(cps - have), "seconds": time.monotonic() - t0,
    }
    check.close()
    return res


def package_version(pkg):
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown version"


def ranges(cps):
    """'U+2000-2001 U+2004 ...' for a sorted list of code points."""
    out, i = [], 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        out.append("U+%04X" % cps[i] if i == j else "U+%04X-%04X" % (cps[i], cps[j]))
        i = j + 1
    return " ".join(out)


def ofl_text(copyright_file):
    """The SIL OFL 1.1 text of a Debian copyright file (its 'License: SIL-1.1' paragraph)."""
    with open(copyright_file, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    for i, line in enumerate(lines):
        if line.strip() == "License: SIL-1.1" and i + 1 < len(lines) and lines[i + 1].startswith(" "):
            body = []
            for cont in lines[i + 1:]:
                if not cont.startswith(" "):
                    break
                body.append("" if cont.strip() == "." else cont[1:])
            text = "\n".join(body).strip("\n") + "\n"
            if "SIL OPEN FONT LICENSE Version 1.1" in text and "DISCLAIMER" in text:
                return text
    sys.exit("make-fonts: no SIL Open Font License 1.1 text in %s" % copyright_file)


def write_ofl(out_dir, results, copyright_file):
    notices = []
    for r in results:
        font = TTFont(r["ttc"], fontNumber=r["src"]["index"], lazy=True)
        line = "%s: %s" % (name_of(font, 1), name_of(font, 0))
        tm = name_of(font, 7)
        font.close()
        if line not in notices:
            notices.append(line)
    if tm:
        notices.append(tm)
    head = ("Brief Serif SC and Brief Sans SC (the fonts in this directory) are Modified\n"
            "Versions of Noto Serif CJK SC and Noto Sans CJK SC: subsets made by\n"
            "tools/make-fonts.py from Debian's fonts-noto-cjk package.\n\n"
            + "\n".join(notices) + "\n\n"
            "This Font Software is licensed under the SIL Open Font License, Version 1.1.\n"
            "This license is copied below (from %s).\n\n" % copyright_file)
    path = os.path.join(out_dir, "OFL.txt")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(head + ofl_text(copyright_file))
    return path


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out-dir", default=os.path.join(ROOT, "fonts"), help="default: fonts/ of the project")
    ap.add_argument("--noto-dir", default=NOTO_DIR, help="where the Noto CJK TTCs are (default %(default)s)")
    ap.add_argument("--copyright", default=NOTO_COPYRIGHT,
                    help="file with the OFL text (default %(default)s)")
    ap.add_argument("--unicode-dir", default=UNICODE_DIR, help="where Unihan is (default %(default)s)")
    ap.add_argument("--list-coverage", metavar="FILE",
                    help="write the code points of the fonts (one U+XXXX per line, the set every face "
                         "has) to FILE ('-' for stdout) and do not build")
    ap.add_argument("-j", "--jobs", type=int, default=min(4, os.cpu_count() or 1),
                    help="faces built in parallel (default %(default)s)")
    return ap.parse_args()


def main():
    args = parse_args()
    t0 = time.monotonic()
    sets, tg_src = requested_coverage(args.unicode_dir)
    wanted = set().union(*sets.values())
    # Never put controls or surrogates in a cmap, even if a set would.
    wanted = {c for c in wanted if c >= 0x20 and not 0x7F <= c < 0xA0 and not 0xD800 <= c < 0xE000}

    faces = [(stem, os.path.join(args.noto_dir, ttc), fam, newfam, style)
             for stem, ttc, fam, newfam, style in FACES]
    for f in faces:
        if not os.path.exists(f[1]):
            sys.exit("make-fonts: %s is missing (apt-get install fonts-noto-cjk)" % f[1])

    if args.list_coverage:
        common = set(wanted)
        for _stem, ttc, fam, _nf, _st in faces:
            common &= source_cmap(ttc, fam)
        text = "".join("U+%04X\n" % c for c in sorted(common))
        header = ("# Code points of the brief subset fonts (every face has them): %d\n"
                  "# generated by tools/make-fonts.py --list-coverage\n" % len(common))
        if args.list_coverage == "-":
            sys.stdout.write(header + text)
        else:
            with open(args.list_coverage, "w", encoding="ascii") as fh:
                fh.write(header + text)
        print("make-fonts: %d code points -> %s" % (len(common), args.list_coverage), file=sys.stderr)
        return 0

    stamp = None
    if os.environ.get("SOURCE_DATE_EPOCH"):
        stamp = int(os.environ["SOURCE_DATE_EPOCH"]) - epoch_diff

    os.makedirs(args.out_dir, exist_ok=True)
    print("coverage requested: %d code points (Unihan kTGHZ2013 from %s)" % (len(wanted), tg_src))
    for k in ("tghz2013", "gb2312", "latin", "punct", "symbols"):
        print("  %-9s %5d" % (k, len(sets[k])))
    jobs = [(stem, ttc, fam, nf, st, wanted, args.out_dir, stamp) for stem, ttc, fam, nf, st in faces]
    if args.jobs > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as ex:
            results = list(ex.map(build_face, jobs))
    else:
        results = [build_face(j) for j in jobs]

    ofl = write_ofl(args.out_dir, results, args.copyright)

    print()
    print("%-26s %-16s %-8s %6s %6s %9s  %s" % ("file", "family", "style", "cps", "glyphs", "bytes", "sha256"))
    for r in results:
        print("%-26s %-16s %-8s %6d %6d %9d  %s" % (os.path.basename(r["file"]), r["family"], r["style"],
                                                    r["cps"], r["glyphs"], r["size"], r["sha256"][:16]))
    for r in results:
        s = r["src"]
        print("%s: from %s member %d (%s, v%.3f, %d glyphs) in %.1f s" % (
            r["stem"], os.path.basename(r["ttc"]), s["index"], s["psname"], s["version"], s["glyphs"], r["seconds"]))
    for r in results:
        if r["missing"] != results[0]["missing"]:
            print("%s: %d requested code points not in the source: %s" % (r["stem"], len(r["missing"]),
                                                                         ranges(r["missing"])))
    print("not in the source fonts (%d): %s" % (len(results[0]["missing"]), ranges(results[0]["missing"])))
    print("locl: the ZHS lookup(s) for every CJK language system (source lookup %s)" %
          ",".join(map(str, results[0]["locl"])))
    print("features: %s" % " ".join(results[0]["features"]))
    print("tables:   %s" % " ".join(results[0]["tables"]))
    print("source:   fonts-noto-cjk %s, unicode-data %s" % (package_version("fonts-noto-cjk"),
                                                          package_version("unicode-data")))
    print("licence:  %s" % ofl)
    print("total %.1f s" % (time.monotonic() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
