/*
 * engine.h — the engine: fontconfig, the font maps and Pango contexts.
 *
 * Takes the bundled font directory; gives Pango contexts whose metrics are
 * the unhinted, unrounded ones a PDF needs, so text measured once can be
 * drawn on any surface.  Guarantees: the bundled faces are found without
 * the system configuration (a machine without fonts renders the same PDF);
 * the engine's fonts live only in its own font maps (the process-wide
 * fontconfig configuration is never read or replaced, so a host program's
 * fonts are unaffected); characters outside the bundled faces fall back to
 * system fonts when allowed.
 *
 * Every public entry point that uses an engine brackets its work with
 * engine_begin()/engine_end(): one call at a time per engine, so an engine
 * shared between threads is serialised rather than corrupted.
 */
#ifndef BRIEF_ENGINE_H
#define BRIEF_ENGINE_H

#include <pthread.h>
#include <stdbool.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pango.h>
#include "brief.h"
#include "model/model.h"

#define FAMILY_SERIF "Brief Serif SC"
#define FAMILY_SANS "Brief Sans SC"

struct brief_engine {
    pthread_mutex_t lock;       /* held from engine_begin to engine_end */
    FcConfig *config;           /* the bundled faces (never made current) */
    FcConfig *fallback_config;  /* bundled + system, built on demand */
    PangoFontMap *fontmap;
    PangoFontMap *fallback_map;
    FcCharSet *coverage;        /* union of the bundled faces */
    char *font_dir;             /* NULL: no bundled fonts found */
    char *cache_dir;            /* NULL: no font cache (option no_cache) */
    bool cache_is_temp;
    bool system_fallback;
    bool serif_broken, sans_broken;  /* a bundled face failed to load: the
                                        family list names system SC faces */
    bool use_fallback;          /* contexts come from fallback_map */
    cairo_font_options_t *pdf_options;  /* a PDF surface's font options merged
                                           with ours, made on first use */
};

/* Takes the engine for one public call (waits while another thread uses
 * it) with the system-font map off; engine_end() gives it back. */
void engine_begin(brief_engine *engine);
void engine_end(brief_engine *engine);

/* A new context on the engine's font map (caller unrefs). */
PangoContext *engine_context(brief_engine *engine);
/* The same for text that is drawn only into a PDF: its font options are
 * those a PDF surface merges in when drawing, so the scaled fonts measured
 * with are the ones cairo draws with (each glyph is decoded once, not twice).
 * Metrics are identical to engine_context()'s. */
PangoContext *engine_pdf_context(brief_engine *engine);
/* Pango family list for a style name ("serif" or "sans"). */
const char *engine_family(const brief_engine *engine, const char *face);
/* The same for a face of the model (what the page layout uses; the string
 * form stays for the chart layout until it reads chart_spec.font). */
const char *engine_face_family(const brief_engine *engine, font_face face);
/* True when every character of utf8 is in a bundled face. */
bool engine_covers(const brief_engine *engine, const char *utf8);

/* Route engine_context() to the font map with system fonts (for a document
 * with characters outside the bundled faces) or back; engine_end() turns
 * it off again, so one call's choice never leaks into the next. */
void engine_use_fallback(brief_engine *e, bool on);
bool engine_is_format_char(gunichar c);
/* Writes a list of the characters of utf8 that no usable font has, e.g.
 * "\"𠀀\" (U+20000, CJK Extension B)"; returns how many there are. */
size_t engine_describe_missing(brief_engine *e, const char *utf8, char *out, size_t size);

#endif
