/*
 * glyph_key.h — a (font, glyph id) key for GLib hash tables.
 *
 * Used by the caches that remember something per glyph of one font: the
 * half-width metrics of full-width marks (text.c) and the SVG writer's
 * glyph symbols (chart_svg.c).  The font is only compared, never used.
 */
#ifndef BRIEF_GLYPH_KEY_H
#define BRIEF_GLYPH_KEY_H

#include <glib.h>

typedef struct glyph_key {
    const void *font;
    guint glyph;
} glyph_key;

static inline guint glyph_key_hash(gconstpointer k)
{
    const glyph_key *g = k;
    return g_direct_hash(g->font) ^ (g->glyph * 2654435761u);
}

static inline gboolean glyph_key_equal(gconstpointer a, gconstpointer b)
{
    const glyph_key *x = a, *y = b;
    return x->font == y->font && x->glyph == y->glyph;
}

#endif
