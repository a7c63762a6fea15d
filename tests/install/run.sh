#!/bin/sh
# make install into a scratch DESTDIR: the installed tool finds the
# installed fonts without BRIEF_FONT_DIR, and brief.pc builds a program
# against the installed library.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

if make -s install BUILD="${BUILD:-build}" SAN="${SAN:-}" DESTDIR="$tmp" PREFIX=/usr/local >"$tmp/log" 2>&1; then
    ok "make install"
else
    bad "make install"; cat "$tmp/log"
fi
for f in usr/local/bin/brief usr/local/lib/libbrief.a usr/local/lib/libbrief.so \
         usr/local/include/brief.h usr/local/lib/pkgconfig/brief.pc \
         usr/local/share/man/man1/brief.1 usr/local/share/brief/fonts/BriefSerifSC-Regular.otf \
         usr/local/share/brief/fonts/OFL.txt; do
    if [ -e "$tmp/$f" ]; then ok "installed $f"; else bad "installed $f"; fi
done
env -u BRIEF_FONT_DIR "$tmp/usr/local/bin/brief" render -q data/cangzhou-2020.json \
    -o "$tmp/out.pdf" 2>"$tmp/err"
if [ $? -eq 0 ] && ! grep -q "fonts not found" "$tmp/err" && pdffonts "$tmp/out.pdf" | grep -q Brief; then
    ok "installed brief uses the installed fonts"
else
    bad "installed brief uses the installed fonts"; cat "$tmp/err"
fi
# The installed brief.pc, pointed at the scratch prefix.
mkdir -p "$tmp/pc"
sed "s|^prefix=.*|prefix=$tmp/usr/local|" "$tmp/usr/local/lib/pkgconfig/brief.pc" > "$tmp/pc/brief.pc"
pc() { PKG_CONFIG_PATH="$tmp/pc" pkg-config "$@"; }
if cc -std=c11 ${SAN:-} -o "$tmp/prog" -x c - $(pc --cflags brief) $(pc --libs brief) <<'C' &&
#include <brief.h>
#include <stdio.h>
int main(void) { puts(brief_diag_count(NULL) == 0 ? BRIEF_VERSION : "?"); return 0; }
C
   [ "$(LD_LIBRARY_PATH="$tmp/usr/local/lib" "$tmp/prog")" = "$(sed -n 's/.*BRIEF_VERSION "\(.*\)"/\1/p' include/brief.h)" ]
then ok "a program builds against the installed header and library"
else bad "a program builds against the installed header and library"; fi

# Installed anywhere (another PREFIX than the build's, plus DESTDIR): the
# library finds its fonts beside itself, pkg-config names them, and a host
# built with pkg-config draws with the bundled faces while the host's own
# fontconfig sees no fonts at all (an empty FONTCONFIG_FILE).
root="$tmp/stage"
pfx=/opt/brief-test
if make -s install BUILD="${BUILD:-build}" SAN="${SAN:-}" DESTDIR="$root" PREFIX="$pfx" >"$tmp/log2" 2>&1; then
    ok "make install PREFIX=$pfx DESTDIR=…"
else
    bad "make install PREFIX=$pfx DESTDIR=…"; cat "$tmp/log2"
fi
sed "s|^prefix=.*|prefix=$root$pfx|" "$root$pfx/lib/pkgconfig/brief.pc" > "$tmp/pc/brief.pc"
fontdir=$(pc --variable=fontdir brief)
if [ "$fontdir" = "$root$pfx/share/brief/fonts" ] && [ -f "$fontdir/BriefSansSC-Regular.otf" ]; then
    ok "pkg-config --variable=fontdir brief names the installed fonts"
else bad "pkg-config --variable=fontdir brief ($fontdir)"; fi
for f in share/doc/brief/api.md share/doc/brief/examples/chart_from_data.c \
         share/doc/brief/examples/embed_chart.c; do
    if [ -f "$root$pfx/$f" ]; then ok "installed $f"; else bad "installed $f"; fi
done
printf '<?xml version="1.0"?>\n<fontconfig></fontconfig>\n' > "$tmp/empty.conf"
if cc -std=c11 ${SAN:-} -o "$tmp/host" "$root$pfx/share/doc/brief/examples/chart_from_data.c" \
        $(pc --cflags brief) $(pc --libs brief) -lm 2>"$tmp/cc.err"; then
    env -u BRIEF_FONT_DIR FONTCONFIG_FILE="$tmp/empty.conf" HOME="$tmp" XDG_CACHE_HOME= \
        LD_LIBRARY_PATH="$root$pfx/lib" "$tmp/host" "$tmp/host.pdf" >"$tmp/host.out" 2>"$tmp/host.err"
    rc=$?
    if [ $rc -eq 0 ] && ! grep -q "not found\|no brief fonts" "$tmp/host.err" &&
       pdffonts "$tmp/host.pdf" | grep -q "BriefSansSC"; then
        ok "a host built with pkg-config finds the installed fonts (system fonts hidden)"
    else
        bad "a host built with pkg-config finds the installed fonts (exit $rc)"; cat "$tmp/host.err"
    fi
else
    bad "a host builds with pkg-config"; cat "$tmp/cc.err"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
