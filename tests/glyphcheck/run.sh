#!/bin/bash
# Glyph-loss check of the bundled fonts through Pango, cairo's PDF font
# subsetter and two PDF readers.
#
# cairo 1.16's CFF subsetter can embed a glyph that no reader can draw (the
# page shows a hole where the character is, while pdftotext still returns
# the character).  This renders random documents (tests/glyphcheck/glyphcheck.c)
# in every face (the first document is always 他们表示，如今, in which cairo
# lost 如 of the system Noto Sans CJK SC) and checks each PDF:
#   - mutool draw renders every page without any warning or error
#     (a broken glyph gives "warning: FT_Load_Glyph(...): broken file");
#   - pdftotext -raw returns the document's characters, in order (white space,
#     control, format and other invisible characters left out);
#   - every glyph came from the face asked for and none was unknown (hex box).
#
# usage: tests/glyphcheck/run.sh [-n DOCS] [-s SEED] [-e] [-d FONTSDIR] [-f FACE]...
#                                [-c CODEPOINT_LIST] [-j JOBS] [-k]
#   -n DOCS  random texts (default 40); each is rendered in every face
#   -s SEED  generator seed (default 1)
#   -e       instead: one document per code point, holding that character
#            alone (9,285 x 4 PDFs for the bundled fonts, about 12 minutes
#            on 2 CPUs)
#   -d DIR   font directory (default: fonts/ of the project)
#   -f FACE  Pango description of a face; repeatable (default: the four
#            Brief faces)
#   -c FILE  code points to draw from (default: those every face covers);
#            tools/make-fonts.py --list-coverage FILE writes one
#   -j JOBS  PDFs checked in parallel (default: number of CPUs)
#   -k       keep the work directory (it is kept anyway when a check fails)
# environment: GLYPHCHECK=path of a built glyphcheck (else it is compiled
# here with $CC, default cc); TMPDIR.
#
# Prints one line per failed document and at the end "N passed, M failed",
# where a document is one text rendered in one face.  Exit status 0 when all
# passed, 1 when one failed, 2 when the check could not run.

set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

docs=40 seed=1 fontsdir=$root/fonts charlist= keep=0 each=
jobs=$(nproc 2>/dev/null || echo 1)
faces=()
while getopts "n:s:ed:f:c:j:k" opt; do
    case $opt in
    n) docs=$OPTARG ;;
    s) seed=$OPTARG ;;
    e) each=-e ;;
    j) jobs=$OPTARG ;;
    d) fontsdir=$OPTARG ;;
    f) faces+=(-f "$OPTARG") ;;
    c) charlist=$OPTARG ;;
    k) keep=1 ;;
    *) sed -n '/^# usage/,/^# Prints/p' "$0" | sed '$d' >&2; exit 2 ;;
    esac
done

for tool in mutool pdftotext; do
    if ! command -v "$tool" >/dev/null; then
        echo "glyphcheck: $tool is missing (apt-get install mupdf-tools poppler-utils)" >&2
        exit 2
    fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/glyphcheck-run.XXXXXX") || exit 2

bin=${GLYPHCHECK:-}
if [ -z "$bin" ]; then
    bin=$work/glyphcheck
    # shellcheck disable=SC2046
    if ! ${CC:-cc} -std=c11 -Wall -Wextra -Werror -O2 -o "$bin" "$here/glyphcheck.c" \
        $(pkg-config --cflags --libs pangocairo fontconfig); then
        echo "glyphcheck: cannot build $here/glyphcheck.c" >&2
        exit 2
    fi
fi

args=(-n "$docs" -s "$seed" -o "$work/pdf" "${faces[@]}")
[ -n "$charlist" ] && args+=(-c "$charlist")
[ -n "$each" ] && args+=("$each")
if ! "$bin" "${args[@]}" "$fontsdir" >"$work/list"; then
    echo "glyphcheck: rendering failed (font directory $fontsdir)" >&2
    echo "glyphcheck: work directory kept: $work" >&2
    exit 2
fi

# Checks one PDF; prints "PASS NAME" or "FAIL NAME (...): reasons".
check_one() {
    pdf=$1 bin=$2
    base=${pdf%.pdf}
    name=$(basename "$base")
    why=()

    # 1. mutool must draw every page silently.  Its one environmental
    #    warning (Debian's mupdf is built without ICC support) is dropped.
    out=$(mutool draw -q -o /dev/null "$pdf" 2>&1)
    rc=$?
    out=$(printf '%s\n' "$out" | grep -v -x -e 'warning: ICC support is not available' -e '')
    if [ $rc -ne 0 ] || [ -n "$out" ]; then
        why+=("mutool (exit $rc): $(printf '%s' "$out" | head -n 3 | tr '\n' ' ')")
    fi

    # 2. pdftotext must give back the text.
    if ! pdftotext -q -raw -enc UTF-8 "$pdf" "$base.pdftotext" 2>"$base.pdftotext.err" ||
        [ -s "$base.pdftotext.err" ]; then
        why+=("pdftotext: $(head -c 200 "$base.pdftotext.err")")
    else
        "$bin" --strip <"$base.txt" >"$base.want"
        "$bin" --strip <"$base.pdftotext" >"$base.got"
        if ! cmp -s "$base.want" "$base.got"; then
            if cmp -s <(sort "$base.want") <(sort "$base.got"); then
                why+=("pdftotext returns the characters in another order")
            else
                why+=("pdftotext text differs: $(diff "$base.want" "$base.got" | grep '^[<>]' | head -n 6 | tr '\n' ' ')")
            fi
        fi
    fi

    # 3. No hex boxes, no glyph from another face.
    unknown=$(sed -n 's/^unknown_glyphs=//p' "$base.info")
    foreign=$(sed -n 's/^foreign_runs=//p' "$base.info")
    [ "$unknown" = 0 ] || why+=("$unknown unknown glyphs")
    [ "$foreign" = 0 ] || why+=("$foreign runs set in $(sed -n 's/^foreign_face=//p' "$base.info")")

    if [ ${#why[@]} -eq 0 ]; then
        echo "PASS $name"
    else
        echo "FAIL $name ($(sed -n 's/^chars=//p' "$base.info") characters): ${why[*]}"
    fi
}
export -f check_one

xargs -d '\n' -P "$jobs" -n 1 bash -c 'check_one "$2" "$1"' _ "$bin" <"$work/list" \
    >"$work/results" 2>"$work/errors"
[ -s "$work/errors" ] && cat "$work/errors" >&2

passed=$(grep -c '^PASS ' "$work/results")
failed=$(grep -c '^FAIL ' "$work/results")
grep '^FAIL ' "$work/results" | sort
total=$((passed + failed))
if [ "$total" -ne "$(grep -c . "$work/list")" ]; then
    echo "glyphcheck: $total results for $(grep -c . "$work/list") PDFs" >&2
    failed=$((failed + 1))
fi
if [ "$total" -eq 0 ]; then
    echo "glyphcheck: no document was rendered" >&2
    echo "0 passed, 0 failed"
    exit 2
fi
if [ "$failed" -ne 0 ] || [ "$keep" = 1 ]; then
    echo "glyphcheck: PDFs and texts kept in $work/pdf"
else
    rm -rf "$work"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
