#!/bin/sh
# The images README.md shows (docs/img/) are what the samples make now:
# tools/readme-images.sh renders them again into a scratch directory and
# each committed image is compared with its fresh one (png_diff's
# tolerance).  One case per image; an image made but not committed, or
# committed but no longer made, fails.  `make readme-images` rewrites them.
# Ends with "N passed, M failed".
set -u
BUILD=${BUILD:-build}
export BUILD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

if ! sh tools/readme-images.sh "$tmp" 2>"$tmp/err"; then
    bad "tools/readme-images.sh runs"; sed 's/^/     /' "$tmp/err"
else
    for f in "$tmp"/*.png; do
        name=$(basename "$f")
        ref=docs/img/$name
        if [ ! -f "$ref" ]; then
            bad "$name: made but not in docs/img (make readme-images)"
        elif "$BUILD/tests/png_diff" "$ref" "$f" 2>"$tmp/diff.err"; then
            ok "$name matches what the samples make"
        else
            bad "$name is stale (make readme-images): $(cat "$tmp/diff.err")"
        fi
    done
    for ref in docs/img/*.png; do
        [ -f "$tmp/$(basename "$ref")" ] || bad "$(basename "$ref"): in docs/img but no longer made"
    done
    for ref in docs/img/*.png; do
        grep -q "docs/img/$(basename "$ref")" README.md ||
            bad "$(basename "$ref"): not shown in README.md"
    done
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
