/*
 * table.h — a table block set for the page (part of stage 3) and painted
 * (part of stage 4).
 *
 * Takes a validated table_spec, a measure and the body size; gives every
 * cell set by the text engine at its column's width, the column widths
 * (automatic, from content), the rows' heights and the parts a page break
 * may cut it into.  Guarantees: the table fits the measure (its type shrinks
 * down to TABLE_MIN_SIZE_PT first, else table_layout_new refuses with the
 * width it needs); every number of a column is printed by numfmt with the
 * column's decimals and its decimal point at one x; no cell text leaves its
 * cell; rows are never split.  Painting decides nothing.
 */
#ifndef BRIEF_TABLE_H
#define BRIEF_TABLE_H

#include <cairo.h>
#include <stdbool.h>
#include "brief.h"
#include "model/model.h"
#include "text/text.h"
#include "page/rich.h"

#define TABLE_MIN_SIZE_PT 7.5
#define TABLE_MIN_FIRST_ROWS 3     /* fewer rows left on a page: the table moves whole */
#define TABLE_MIN_LAST_ROWS 2      /* a continuation carries at least this many data
                                      rows, besides the total row */
#define TABLE_MIN_SPLIT_ROWS 8     /* a shorter table that fits a page never splits: a
                                      repeated header over two or three rows reads worse
                                      than the blank it saves */

typedef struct table_fonts {
    const char *body_family, *head_family;
    double body_size_pt;           /* the document's body size */
    double cjk_latin_space_em;
    bool normalize_punctuation;
} table_fonts;

typedef struct table_cell {
    text_block *tb;                /* NULL: empty cell */
    double x_pt;                   /* left of the text from the column's left */
    bool number;
} table_cell;

typedef struct table_layout {
    const table_spec *spec;
    double size_pt;                /* the type size after any shrinking */
    double pad_pt;                 /* horizontal padding inside each cell */
    double vpad_pt;                /* vertical padding above and below a row's text */
    double width_pt;
    size_t ncols, nrows;           /* nrows includes the total row */
    double *col_x_pt, *col_w_pt;   /* from the table's left */
    double *dot_x_pt;              /* numeric columns: x of the decimal point (or the
                                      numbers' right edge) from the column's left */
    table_cell *cells;             /* nrows * ncols */
    double *row_h_pt;
    table_cell *head;              /* ncols: the column labels (lower header row) */
    table_cell *group_head;        /* ngroups */
    double head_h_pt;              /* whole header */
    double group_h_pt;             /* upper header row (0 without groups) */
    text_block *title, *cont_title, *note;   /* NULL when absent */
} table_layout;

/* NULL on error (reported in diag: too wide, or out of memory). */
table_layout *table_layout_new(PangoContext *ctx, const table_fonts *fonts,
                               const table_spec *spec, double measure_pt,
                               const brief_doc *doc, const block *blk, brief_diag *diag);
void table_layout_free(table_layout *tl);

/* Height of the part showing rows [first, first+n): title (or 续表 when
 * first > 0), header, the rows, and the note when it ends the table. */
double table_part_height(const table_layout *tl, size_t first, size_t n);

/* Draws that part with its top-left at (x, y); with tags, inside the
 * Table element the caller opened: Caption (title), a TR of TH (header),
 * a TR of TD per row, a P (the note) (tagged PDF, layout.h).  mp (may be NULL) paints the
 * footnote marks of the title and the note. */
void table_paint_part(const table_layout *tl, cairo_t *cr, double x_pt, double y_pt,
                      size_t first, size_t n, bool tags, const mark_painter *mp);

/* The first of the table's texts with a glyph no font has, or NULL. */
const text_block *table_first_missing(const table_layout *tl);

/* What table_layout_new prints for a cell (for tests): the number text of
 * row r, column c, or NULL. */
const char *table_cell_text(const table_layout *tl, size_t r, size_t c);

#endif
