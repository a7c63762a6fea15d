/*
 * chart_line.h — the plan a line chart (or bars with lines) is laid out in,
 * shared by chart_line.c (axes, categories, emission) and
 * chart_line_labels.c (value and reference labels).  Private to src/chart/.
 */
#ifndef BRIEF_CHART_LINE_H
#define BRIEF_CHART_LINE_H

#include "chart/chart_build.h"

#define MARKER_R 2.2        /* line marker radius, pt */
#define LINE_W 1.4          /* series line width, pt */
#define MAX_INT 6           /* most tick intervals */

typedef struct axis_k {
    tick_set t;
    double divisor;         /* data value / divisor = printed tick */
    char unit[160];         /* after 万/亿 scaling */
    tbox tb[TICKS_MAX];
    double maxw, h;
    bool from_zero;
} axis_k;

typedef struct lplan {
    size_t n, nb, nl;       /* rows, bar series, line series */
    const double *lval;     /* n * nl line values */
    const bool *lnul;
    double *own_val;        /* lines over bars: read from the line columns */
    bool *own_nul;
    bool combo;
    axis_k L, R;            /* R: lines over bars only */
    frame fr;
    legend lg;
    bool is_line[MAX_LEGEND];
    catlabels cats;
    tbox title_l, title_r;  /* axis titles */
    double title_h;
    double x0, x1, y0, y1, slot;   /* plot, pt */
    double padB;            /* room above the top tick for labels, pt */
    double H;
    /* labels */
    tbox *vtb;              /* n * (nb + nl) value label boxes */
    kbox *vbox;
    bool *vset;
    bool *vinside;          /* a bar label inside its bar (white) */
    kbox obst[3 * MAX_REFERENCES + 8];
    size_t nobst;
    tbox ref_tb[MAX_REFERENCES];
    kbox ref_box[MAX_REFERENCES];
    bool bar_labels, rotated;
    int stagger;            /* rows the category labels take turns on */
    bool cats_done;         /* category labels made for the current slot */
    double row_h;           /* pitch of those rows, pt */
} lplan;

static inline double LV(const lplan *p, size_t r, size_t j) { return p->lval[r * p->nl + j]; }
static inline bool LN(const lplan *p, size_t r, size_t j) { return p->lnul[r * p->nl + j]; }

static inline size_t nseries(const lplan *p)
{
    return p->nb + p->nl;
}

/* y of value v on axis a. */
static inline double Y(const lplan *p, const axis_k *a, double v)
{
    double top = p->y0 + p->padB;
    return p->y1 - (v - a->t.lo) / (a->t.hi - a->t.lo) * (p->y1 - top);
}

static inline double XC(const lplan *p, size_t row)
{
    return p->x0 + (row + 0.5) * p->slot;
}

/* chart_line_labels.c */
bool crossed_by_lines(const lplan *p, const kbox *q);
bool over_a_bar(const build *b, const lplan *p, const kbox *q);
/* Bar labels above their bars (inside when a line crosses them); false
 * when out of memory. */
bool place_bar_labels(build *b, lplan *p);
/* Line labels as "labels" asks; false when out of memory. */
bool place_line_labels(build *b, lplan *p);
/* Reference labels at the right end of their lines; obstacles for the rest. */
void place_refs(build *b, lplan *p);

#endif
