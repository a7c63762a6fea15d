/* engine.h — the engine's internals, shared by the files that build it. */
#ifndef BRIEF_ENGINE_H
#define BRIEF_ENGINE_H

#include <stdbool.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pango.h>
#include "brief.h"
#include "text/fonts.h"

struct brief_engine {
    FcConfig *config;           /* bundled faces only (current config) */
    FcConfig *fallback_config;  /* bundled + system, built on demand */
    PangoFontMap *fontmap;
    PangoFontMap *fallback_map;
    FcCharSet *coverage;        /* union of the bundled faces */
    char *font_dir;             /* NULL: no bundled fonts found */
    char *cache_dir;
    bool cache_is_temp;
    bool system_fallback;
    bool use_fallback;          /* contexts come from fallback_map */
    cairo_font_options_t *pdf_options;  /* a PDF surface's font options merged
                                           with ours, made on first use */
};

/* Route engine_context() to the font map with system fonts (for a document
 * with characters outside the bundled faces) or back. */
void engine_use_fallback(brief_engine *e, bool on);
bool engine_is_format_char(gunichar c);
/* Writes a list of the characters of utf8 that no usable font has, e.g.
 * "\"𠀀\" (U+20000, CJK Extension B)"; returns how many there are. */
size_t engine_describe_missing(brief_engine *e, const char *utf8, char *out, size_t size);

#endif
