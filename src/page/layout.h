/*
 * layout.h — the whole brief laid out into pages (stage 3).
 *
 * Takes a validated brief_doc and an engine; gives pages of placed items.
 * Every text block is set once (text.c) and every chart measured once
 * (chart_layout.c); pagination only decides where the lines go.  All vertical
 * positions are whole multiples of the body baseline pitch, so lines on
 * facing pages align.  Painting (paint.c) draws a page_layout and decides
 * nothing.
 */
#ifndef BRIEF_LAYOUT_H
#define BRIEF_LAYOUT_H

#include <cairo.h>
#include <stdbool.h>
#include "brief.h"
#include "chart/chart.h"
#include "model/model.h"
#include "page/figure.h"
#include "text/text.h"

typedef enum item_kind {
    ITEM_TEXT = 0, ITEM_CHART, ITEM_FIGURE,
    ITEM_TABLE,                /* rows [first_line, first_line+nlines) of a table */
    ITEM_BOX                   /* kpi tiles, a masthead, or items of a list */
} item_kind;

struct table_layout;
struct box_layout;

/* Where the mark of a footnote is in a block of several texts (figure
 * caption, table title and note, list items, key figures). */
typedef struct note_source {
    const text_block *tb;      /* the text the mark is in */
    int mark;                  /* its index among tb's marks */
    int unit;                  /* the row (table) or item (list) shown with it; else 0 */
    const char *json_path;     /* the note run's */
    int face;                  /* its mark's face (layout_mark_face) */
} note_source;

/* What one block became, shared by the items that show its parts. */
typedef struct block_layout {
    const block *blk;
    text_block *text;          /* title … paragraph; figure caption */
    chart_layout *chart;
    cairo_surface_t *image;    /* figure image, NULL: placeholder */
    struct table_layout *table;   /* table block (page/table.h) */
    struct box_layout *box;       /* kpi, list, masthead (page/bulletin.h) */
    double box_w_pt, box_h_pt; /* chart or figure box (without caption) */
    int lines;                 /* grid lines the block occupies in all */
    int space_before;          /* grid lines of space above it */
    text_block **notes;        /* footnotes of the text, one per mark, in text order */
    int nnotes;
    note_source *note_src;     /* nnotes entries; NULL: the marks are in `text` */
} block_layout;

typedef struct placed_item {
    item_kind kind;
    block_layout *bl;
    int first_line, nlines;    /* text: the lines of bl->text shown here; table:
                                  its rows; list: its items */
    double x_pt, y_pt;         /* top-left of the item on the page */
    double w_pt, h_pt;
    bool continues;            /* text: more lines follow on the next page */
    bool continued;            /* text: earlier lines are on the previous page */
} placed_item;

/* A footnote on a page: note k of block bl, numbered by its place in
 * the page's list (numbering restarts on each page). */
typedef struct page_note {
    const block_layout *bl;
    int k;
} page_note;

typedef struct page_layout {
    placed_item *items;
    size_t nitems, cap;
    page_note *notes;          /* in the order of their marks */
    size_t nnotes, notes_cap;
    int note_lines;            /* grid lines at the foot the notes take */
    text_block *header, *footer;   /* running texts of this page, wrapped; NULL: none */
    double header_y_pt, footer_y_pt;  /* top of their first line */
} page_layout;

typedef struct doc_layout {
    const brief_doc *doc;
    brief_engine *engine;
    PangoContext *ctx;
    double pitch_pt;           /* body baseline pitch */
    double measure_pt;         /* text width (grid-snapped) */
    double text_x_pt;          /* left edge of the text column */
    double text_y_pt;          /* top of the first grid line */
    int lines_per_page;
    block_layout *blocks;      /* one per doc block */
    page_layout *pages;
    size_t npages, pages_cap;
    text_style body, caption, header;  /* styles painting reuses */
    text_style note;           /* footnotes */
    double note_indent_pt;     /* the note text's left edge, after its number */
    text_block **marks;        /* circled numbers ① … as superscript marks, in
                                  MARK_FACES faces: [face * nlabels + n - 1] … */
    text_block **labels;       /* … and at the start of a note; [n-1] is n */
    int nlabels;
    double rule_y_pt;          /* the hairline under the running header */
    figure_cache *figures;     /* each image file decoded once */
} doc_layout;

/* A note mark is drawn in the face of the text before it: face 2 × (the
 * heading family) + (bold), for note k of bl. */
#define MARK_FACES 4
int layout_mark_face(const doc_layout *dl, const block_layout *bl, int k);

doc_layout *doc_layout_new(brief_engine *engine, const brief_doc *doc,
                           const brief_render_options *opt, brief_diag *diag);
void doc_layout_free(doc_layout *dl);
/* Takes the figure images out of dl, for freeing after the PDF is written
 * (figure_cache_free says why); NULL when the brief has none. */
static inline figure_cache *figure_cache_take(doc_layout *dl)
{
    figure_cache *c = dl->figures;
    dl->figures = NULL;
    return c;
}

/* Paints page i (0-based) onto cr, which must be a page of the right size. */
void paint_page(const doc_layout *dl, size_t i, cairo_t *cr);

/* Structure tags (cairo_tag_begin) while painting a PDF.  Pages are painted
 * in order with one paint_tags; each part of a paragraph, table or list cut
 * by page breaks is an element with its block's key, merged into one by the
 * PDF step.  order[] records, for each top-level element in paint
 * order, the index of its block in the body, so that the PDF step can put
 * floated charts and figures back in body order. */
typedef struct paint_tags {
    size_t *order;
    size_t norder, cap;
    int depth;                 /* elements open now */
    bool oom;
} paint_tags;

void paint_page_tagged(const doc_layout *dl, size_t i, cairo_t *cr, paint_tags *tags);
void paint_tags_clear(paint_tags *tags);
/* Opens / closes a structure element (nothing when tags is NULL).  The
 * names must be ones cairo 1.16 knows (an unknown one, or "Artifact", puts
 * the surface into an error state): H H1 H2 H3 P L LI Lbl LBody Table TR
 * TH TD Figure Caption Note Span, and Private for page furniture (made an
 * artifact by the PDF step).  body_index: the element's place in
 * body order, recorded for a top-level element: 2 i for block i, 2 i + 1
 * for a footnote of block i (pass SIZE_MAX for a nested element). */
void paint_tag_begin(paint_tags *tags, cairo_t *cr, const char *name, size_t body_index);
void paint_tag_end(paint_tags *tags, cairo_t *cr, const char *name);

/* The /Alt text of a chart or figure block (malloc'd; NULL when out of
 * memory): a figure's "alt" or caption; a chart's "alt", or its title and a
 * sentence on its largest and smallest values. */
char *block_alt_text(const block *b);

#endif
