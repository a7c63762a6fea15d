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

if make -s install BUILD="${BUILD:-build}" DESTDIR="$tmp" PREFIX=/usr/local >"$tmp/log" 2>&1; then
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
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
