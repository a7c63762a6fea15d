/*
 * layout_cost.h — the page count and memory of a layout, bounded before
 * the work (layout_cost.c; used by layout.c and layout_paginate.c only).
 */
#ifndef BRIEF_LAYOUT_COST_H
#define BRIEF_LAYOUT_COST_H

#include <stdbool.h>
#include "page/layout.h"

#define LAYOUT_MAX_PAGES 2000

/* Lower bound of each block's lines on the pages, before or after it is
 * set; segments between page breaks start on a page of their own, so the
 * brief needs at least the sum over segments of ceil(lines / lpp). */
typedef struct page_bound {
    size_t *segment;          /* per block: its segment */
    long *seg_lines;          /* per segment: lower bound of its lines */
    int *lines;               /* per block: its part of seg_lines */
    long pages;               /* sum over segments of ceil(seg_lines / lpp) */
    int lpp;                  /* grid lines per page */
    double est_pages;         /* the estimate from natural widths, erring high */
} page_bound;

/* The bound from every block's text, nothing shaped; false (reported)
 * when out of memory.  Free with page_bound_free in either case. */
bool page_bound_init(const doc_layout *dl, page_bound *pb, brief_diag *diag);
/* Block i takes `lines` (known once it is set). */
void page_bound_set(page_bound *pb, size_t i, int lines);
/* True, after reporting it, when the bound passes LAYOUT_MAX_PAGES. */
bool page_bound_exceeded(const doc_layout *dl, const page_bound *pb, brief_diag *diag);
void page_bound_free(page_bound *pb);
/* True, after reporting it, when the estimate made before layout (text at
 * its natural width, erring high) passes LAYOUT_MAX_PAGES. */
bool page_estimate_exceeded(const doc_layout *dl, const page_bound *pb, brief_diag *diag);

/* False, after reporting it as out of memory (exit 71), when the process
 * has an address-space limit (ulimit -v) the layout would not fit in. */
bool layout_memory_within_limit(const doc_layout *dl, brief_diag *diag);

/* The style and measure layout.c sets block b's text in. */
text_style layout_style_for(const doc_layout *dl, const block *b, double *measure);

#endif
