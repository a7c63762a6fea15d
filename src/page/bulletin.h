/*
 * bulletin.h — key-figure tiles, lists and the 简报 masthead, set for the
 * page (part of stage 3) and painted (part of stage 4).
 *
 * Takes the validated kpi_spec, list_spec or masthead_spec, the measure
 * and the fonts; gives every text set once by the text engine and the
 * positions painting uses.  Guarantees: tiles wrap to further rows rather
 * than shrink below their content; list items have a hanging indent (the
 * text of every line starts right of the widest marker) and are never split;
 * numbers come from numfmt.  Painting decides nothing.
 */
#ifndef BRIEF_BULLETIN_H
#define BRIEF_BULLETIN_H

#include <cairo.h>
#include <stdbool.h>
#include "brief.h"
#include "model/model.h"
#include "text/text.h"
#include "page/rich.h"

typedef struct bulletin_fonts {
    const char *body_family, *head_family;
    double body_size_pt, pitch_pt;      /* the body's size and baseline pitch */
    double cjk_latin_space_em;
    bool normalize_punctuation;
} bulletin_fonts;

typedef struct kpi_tile {
    text_block *label, *value, *unit, *change;   /* unit, change may be NULL */
    text_block *change_label;         /* "同比"; NULL: none */
    double rgb[3];                    /* colour of the change: the theme's red up, green down */
    double x_pt, y_pt;                /* from the block's top-left */
    int direction;                    /* 1 up, -1 down, 0 none */
} kpi_tile;

typedef struct box_layout {
    block_type type;                  /* BLOCK_KPI, BLOCK_LIST or BLOCK_MASTHEAD */
    double w_pt, h_pt;
    /* kpi */
    size_t ntiles;
    kpi_tile *tiles;
    double tile_w_pt, tile_h_pt, pad_pt;
    /* list */
    size_t nitems;
    text_block **markers, **items;
    double indent_pt;                 /* the items' text starts here */
    /* masthead */
    text_block *mark, *title, *issue, *org, *date;
    double title_y_pt, issue_y_pt, line_y_pt, rule_y_pt;
} box_layout;

box_layout *box_layout_new(PangoContext *ctx, const bulletin_fonts *f, const block *b,
                           double measure_pt);
void box_layout_free(box_layout *bx);

/* The first of the block's texts with a glyph no font has, or NULL. */
const text_block *box_first_missing(const box_layout *bx);

/* Lists split between items: height of items [first, first+n). */
double list_part_height(const box_layout *bx, size_t first, size_t n);

/* With tags, a list's items are LI > Lbl, LBody inside the L element the
 * caller opened (tagged PDF, layout.h).  mp (may be NULL) paints the
 * footnote marks of list items and key figures' labels. */
void box_paint(const box_layout *bx, cairo_t *cr, double x_pt, double y_pt, size_t first,
               size_t n, bool tags, const mark_painter *mp);

#endif
