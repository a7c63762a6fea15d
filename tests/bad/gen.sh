#!/bin/sh
# Writes the cases of the bad-input corpus that are awkward to edit by hand:
# invalid UTF-8, NUL bytes, UTF-16 and 100,000-deep nesting.  The outputs
# are committed; rerun this only to change them.  Run from anywhere.
set -eu
cd "$(dirname "$0")"

# A NUL inside a string: JSON text cannot contain one at all.
printf '{\n  "brief": 1,\n  "body": [{"type": "title", "text": "标\000题"}]\n}\n' > nul-byte.json

# 0xC3 starts a two-byte sequence; "(" is not a continuation byte.
printf '{\n  "brief": 1,\n  "body": [{"type": "title", "text": "Caf\303(s"}]\n}\n' > invalid-utf8.json

# "/" (U+002F) in two bytes: overlong, the classic path-traversal trick.
printf '{\n  "brief": 1,\n  "body": [{"type": "figure", "image": "..\300\257etc"}]\n}\n' > overlong-utf8.json

# U+D800 encoded in UTF-8 (CESU-8 style): a surrogate is not a character.
printf '{\n  "brief": 1,\n  "body": [{"type": "title", "text": "\355\240\200"}]\n}\n' > utf8-surrogate.json

# A sequence cut off by the end of the file.
printf '{"brief": 1, "body": [{"type": "title", "text": "\344\270' > truncated-utf8.json

# "沧州" in GBK, as saved by a Chinese-locale editor.
printf '{\n  "brief": 1,\n  "body": [{"type": "title", "text": "\262\327\326\335"}]\n}\n' > gbk-encoded.json

# UTF-16LE with its byte order mark.
printf '\377\376{\000"\000b\000"\000:\000 \0001\000}\000' > utf16.json

# 100,000 opening brackets: refused at the 65th, in linear time.
awk 'BEGIN { s = "["; for (i = 0; i < 17; i++) s = s s; printf "%s", substr(s, 1, 100000) }' > deep-nesting.json

# A CSV dataset saved as Excel's "Unicode text" (UTF-16LE with a BOM).
printf '月份,产值\n一月,12.5\n' | iconv -f UTF-8 -t UTF-16LE > csv-utf16.csv.body
{ printf '\377\376'; cat csv-utf16.csv.body; } > csv-utf16.csv; rm -f csv-utf16.csv.body
