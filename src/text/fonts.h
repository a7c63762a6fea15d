/*
 * fonts.h — the engine: fontconfig, the font map and Pango contexts.
 *
 * Takes the bundled font directory; gives Pango contexts whose metrics are
 * the unhinted, unrounded ones a PDF needs, so text measured once can be
 * drawn on any surface.  Guarantees the bundled faces are found without the
 * system configuration (a machine without fonts renders the same PDF), and
 * that characters outside them fall back to system fonts when allowed.
 */
#ifndef BRIEF_FONTS_H
#define BRIEF_FONTS_H

#include <stdbool.h>
#include <pango/pango.h>
#include "brief.h"

#define FAMILY_SERIF "Brief Serif SC"
#define FAMILY_SANS "Brief Sans SC"

/* A new context on the engine's font map (caller unrefs). */
PangoContext *engine_context(brief_engine *engine);
/* The same for text that is drawn only into a PDF: its font options are
 * those a PDF surface merges in when drawing, so the scaled fonts measured
 * with are the ones cairo draws with (each glyph is decoded once, not twice).
 * Metrics are identical to engine_context()'s. */
PangoContext *engine_pdf_context(brief_engine *engine);
/* Pango family list for a style name ("serif" or "sans"). */
const char *engine_family(const brief_engine *engine, const char *face);
/* True when every character of utf8 is in a bundled face. */
bool engine_covers(const brief_engine *engine, const char *utf8);

#endif
