/*
 * chart_build.h — the state one chart layout is built in, shared by the
 * steps of src/chart/ (private to that folder).
 *
 * The layout runs in steps, each in its own file, each measuring apart
 * from placing (like kplot's margin, border, grid, tic and label passes):
 *   chart_theme.c    theme and colour strings → chart_rgb (the one place)
 *   chart_data.c     dataset → rows in display order, number formats
 *   chart_text.c     a string (or runs: bold, links) → a measured tbox (Pango)
 *   chart_frame.c    title, subtitle, notes, "无数据"
 *   chart_legend.c   legend items
 *   chart_ticks.c    value-axis ticks, unit and axis title
 *   chart_cats.c     category labels
 *   chart_refs.c     reference lines and their labels
 *   chart_marks.c    bars, tracks, targets and value-label candidates
 *   chart_values.c   value-axis mapping, value-label placement, emission
 *   chart_horizontal.c, chart_vertical.c   the two orientation drivers
 *   chart_layout.c   the entry points and the opening both drivers share
 *   chart_list.c     the display list (chart_layout) and its accessors
 * Each *_make measures into its own struct; each *_emit appends texts and
 * shapes at positions the driver hands it.
 *
 * Memory: every array whose size depends on the input is allocated once in
 * chart_layout.c (build_init) with its bound, before any measuring, so
 * appending to the display list never allocates.  Strings composed from
 * user text (value labels, reference labels, the axis unit) are sized to
 * their content and checked; a step that cannot get memory returns false
 * and the layout returns NULL.
 */
#ifndef BRIEF_CHART_BUILD_H
#define BRIEF_CHART_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <pango/pango.h>

#include "chart/chart_internal.h"
#include "model/model.h"
#include "util/diag.h"
#include "util/numfmt.h"

/* ---- geometry constants (pt) ---- */
#define GAP_TEXT 1.5          /* least space between two texts */
#define GAP_VALUE 2.5         /* bar end to value label */
#define GAP_INSIDE 2.0        /* value label inside a bar: padding */
#define GAP_SECTION 6.0       /* between title block, plot and notes */
#define GAP_AXIS 4.0          /* plot edge to tick or category labels */
#define SWATCH 7.0            /* legend swatch */
#define MAX_BAR_H 20.0        /* thickest bar in a horizontal chart */
#define MAX_BAR_V 48.0        /* widest bar in a vertical chart */
#define MAX_SUBBAR 18.0       /* thickest bar of a group */
#define MAX_TRACK 16.0        /* completion track */
#define MAX_LABEL_LINES 3     /* horizontal category labels under vertical bars */
#define MAX_GROUP 64          /* bars of a group given their own slot */
#define MAX_LEGEND (MAX_GROUP + 2)

/* ---- theme (chart_theme.c) ---- */

typedef struct theme {
    chart_rgb palette[8];
    int npal;
    chart_rgb track, actual, warn, accent, target, ref;
    chart_rgb title, text, muted, grid, baseline;
    bool center_title;
} theme;

/* The spec's theme (the default one unless it names another). */
const theme *chart_theme_of(const chart_spec *spec);
/* Colours of the k series: palette (tinted past its end), the completion
 * roles, then the spec's own colours where it gives them. */
void chart_series_colors(const chart_spec *spec, const theme *th, size_t k, bool completion,
                         chart_rgb *out);
double chart_luminance(chart_rgb c);
struct build;
/* The colour of the bar of display row `row`, series j, value v: the
 * spec's negative_color below zero, the accent for a highlighted category
 * (one series), else the series colour. */
chart_rgb chart_bar_color(const struct build *b, size_t row, size_t j, double v);

/* ---- measured text (chart_text.c) ---- */

typedef struct tbox {
    PangoLayout *pl;      /* NULL: empty */
    char *text;
    double w, h;          /* logical size, unrotated, pt */
    double lx, ly;        /* logical rectangle offset, pt */
    int lines;
    bool ok;              /* no word broken, no line wider than asked */
    double size;          /* font size, pt */
    chart_link *links;    /* of a text given as runs (g_new), or NULL */
    size_t nlinks;
} tbox;

/* ---- the build state ---- */

typedef struct vlab {          /* a value label, before placement */
    int row;                   /* display row */
    int series;                /* -1: completion / stack total / null mark */
    double anchor, base;       /* value where it attaches, where its bar starts */
    int dir;                   /* +1: beyond anchor in +value direction; -1 */
    double c0, c1;             /* cross band it may use, pt within the slot */
    double t0, t1;             /* its bar's thickness, pt within the slot */
    bool can_inside, inside_only;
    chart_rgb bar;
    char *variant[3];          /* texts to try, best first; NULL-terminated */
    /* chosen */
    tbox tb;
    int place;                 /* 0 none, 1 outside, 2 inside */
    double shift;              /* outside: moved this far beyond GAP_VALUE to clear a
                                  reference line, pt */
    bool rotated;
} vlab;

typedef struct vmark {         /* a bar, track or target mark */
    int row, src;
    chart_shape_role role;
    double v0, v1;             /* value extent (target: v0 == v1) */
    double c0, c1;             /* thickness, pt within the slot */
    chart_rgb color;
} vmark;

typedef struct build {
    chart_layout *cl;
    const chart_spec *spec;
    const theme *th;
    const char *family, *file;
    brief_diag *diag;
    double W, H;               /* the box inside the inset, pt */
    bool fixed_h;
    /* data, in display order */
    size_t n, k;
    char **cat;
    int *src;
    double *val;
    bool *nul;
    chart_rgb *scol;
    const char **sname;
    bool completion, stacked, percent, grouped;
    double threshold;
    numfmt vf;                 /* value labels: style, unit, rounding, minus */
    numfmt_magnitude mag;      /* the chart's one magnitude (divisor 1 outside 万/亿) */
    int *sdec;                 /* k: decimals of each series' labels */
    int tot_dec;               /* decimals of stack totals */
    int pct_dec;
    double dmin, dmax;         /* data extent incl. stacks and references */
    size_t nnull;
    GString *nulls;            /* "类别/系列" list for the warning */
    bool ratio_dash, any_warn;
    /* marks and labels of the current attempt (capacity fixed in build_init) */
    vmark *marks;
    size_t nmarks, capmarks;
    vlab *labs;
    size_t nlabs, caplabs;
    tbox *cat_tb;              /* n category label boxes, reused by every attempt */
    /* warnings, emitted when the attempt succeeds */
    GString *warn;
    bool oom;                  /* a step could not get memory (word breaks) */
    bool horizontal_only;      /* a vertical spec drawn as horizontal bars */
    const char *axis_note;     /* a note the frame prints (an axis not starting at zero) */
} build;

static inline double V(const build *b, size_t row, size_t j) { return b->val[row * b->k + j]; }
static inline bool N(const build *b, size_t row, size_t j) { return b->nul[row * b->k + j]; }

/* chart_text.c */
void tbox_clear(tbox *t);
void chart_links_free(chart_link *links, size_t n);
void text_plain(build *b, tbox *t, const char *text, double size, bool bold,
                PangoAlignment align);
void text_wrap_ex(build *b, tbox *t, const char *text, double size, bool bold, double maxw,
                  PangoAlignment align, bool balance, bool char_break, bool label);
void text_wrap(build *b, tbox *t, const char *text, double size, bool bold, double maxw,
               PangoAlignment align, bool balance, bool char_break);
/* A label (legend, note): between words, and only if a word cannot fit,
 * inside it. */
void text_wrap_label(build *b, tbox *t, const char *text, double size, bool bold, double maxw,
                     PangoAlignment align, bool balance);
/* The same for a text given as runs (bold, link; value and ref runs are
 * text by now): `text` begins with the runs' text (a reference label adds
 * its value after them); rt NULL: as text_wrap(_label).  Bold runs are set
 * in the bold face before the text is measured; links are kept in the
 * tbox for the painter. */
void text_plain_rich(build *b, tbox *t, const rich_text *rt, const char *text, double size,
                     bool bold, PangoAlignment align);
void text_wrap_rich(build *b, tbox *t, const rich_text *rt, const char *text, double size,
                    bool bold, double maxw, PangoAlignment align, bool balance, bool char_break);
void text_wrap_label_rich(build *b, tbox *t, const rich_text *rt, const char *text, double size,
                          bool bold, double maxw, PangoAlignment align, bool balance);
double line_height(build *b, double size);
/* printf into newly allocated memory of the needed size; NULL when out of memory */
char *chart_strdup_printf(const char *fmt, ...) BRIEF_PRINTF(1, 2);
void warnf(build *b, const char *fmt, ...) BRIEF_PRINTF(2, 3);
void flush_warnings(build *b);

/* chart_list.c: the display list (capacity reserved by chart_list_reserve) */
bool chart_list_reserve(chart_layout *cl, size_t ntexts, size_t nshapes);
chart_text *add_text(build *b, chart_text_role role, int index, tbox *tb, double x0, double y0,
                     bool rotated, chart_rgb color);
chart_shape *add_shape(build *b, chart_shape_kind kind, chart_shape_role role, int layer,
                       double x0, double y0, double x1, double y1, chart_rgb color);
void reset_layout(chart_layout *cl);
void chart_list_offset(chart_layout *cl, double d);
/* Scales everything by s about the origin (texts keep their layouts and
 * are drawn scaled). */
void chart_list_scale(chart_layout *cl, double s);
void mark_halos(chart_layout *cl);

/* chart_data.c */
bool resolve_data(build *b);
bool resolve_numbers(build *b);
void free_data(build *b);
double share(const build *b, size_t row, size_t j);
/* v as a value label of series (-1: stack total or completion actual, -2:
 * reference line) with that series' decimals; NULL when out of memory;
 * with_unit: the unit after it (always in the 万/亿 style). */
char *fmt_value(const build *b, double v, int series, bool with_unit);
/* Every number the chart prints: v with decimals, in the chart's style,
 * magnitude, rounding and minus; returns the length needed (snprintf). */
/* The unit the numbers are printed in: the spec's, or its 万/亿 form. */
const char *chart_unit(const build *b);
size_t chart_number(const build *b, char *buf, size_t size, double v, int decimals,
                    bool with_unit);

/* ---- value axis and plot (chart_values.c) ---- */

typedef struct vaxis {
    tick_set t;
    double lo, hi;         /* domain */
    double len;            /* u length of the plot, pt */
    double padA, padB;     /* room below lo / above hi for labels, pt */
} vaxis;

typedef struct plotbox {
    bool vertical;
    double x0, y0, x1, y1;   /* plot area, pt */
    double slot;             /* category pitch, pt */
} plotbox;

double U(const vaxis *a, double v);
bool place_values(build *b, vaxis *a, bool vertical, bool allow_rotate);
void emit_marks(build *b, const plotbox *p, const vaxis *a);
void emit_values(build *b, const plotbox *p, const vaxis *a);

/* chart_marks.c */
size_t series_slots(const build *b);
bool make_marks(build *b, double slot, bool vertical);
void clear_marks(build *b);

/* ---- legend (chart_legend.c) ---- */

typedef struct legend {
    size_t n;
    tbox tb[MAX_LEGEND];
    chart_rgb color[MAX_LEGEND];
    double w, h;                     /* block size, pt */
    double x[MAX_LEGEND], y[MAX_LEGEND];   /* item origins within the block */
    bool right;
} legend;

void legend_make(build *b, legend *lg, double maxw, bool column);
void legend_emit(build *b, legend *lg, double x0, double y0);
void legend_free(legend *lg);
legend_pos legend_position(build *b);

/* ---- title block and notes (chart_frame.c) ---- */

typedef struct frame {
    tbox title, subtitle;
    tbox notes[4];
    size_t nnotes;
    double top_h;          /* title + subtitle (+ gap), pt */
    double notes_h;        /* notes (+ gap), 0 if none, pt */
} frame;

void frame_make(build *b, frame *f);
void frame_emit(build *b, frame *f, double H);
void frame_free(frame *f);
void layout_empty(build *b);

/* ---- ticks (chart_ticks.c) ---- */

typedef struct ticks {
    tick_set t;
    tbox tb[TICKS_MAX];
    double divisor;        /* data value / divisor = printed tick */
    double maxw, h;        /* widest and tallest label, pt */
    bool hide[TICKS_MAX];  /* labels left out where they cannot keep apart */
    char *unit;            /* the axis unit after 万/亿 scaling ("亿元") */
} ticks;

bool ticks_make(build *b, ticks *tk, int max_int);
void tick_labels(build *b, const tick_set *t, double divisor, tbox *tb, double *maxw, double *h);
void ticks_free(ticks *tk);
double tick_left(const ticks *tk, const vaxis *a, double plot_x0, double avail_w, int i);
bool axis_title_height(build *b, const ticks *tk, double maxw, double *h);
bool emit_axis_title(build *b, const ticks *tk, double x, double y, bool right_align,
                     double maxw);

/* ---- category labels (chart_cats.c) ---- */

typedef struct catlabels {
    tbox *tb;              /* n, b->cat_tb */
    double size;           /* pt */
    bool rotated;
    double maxw, maxh;     /* box extents as drawn (rotated: swapped), pt */
    bool char_broken;
} catlabels;

bool cats_wrap(build *b, catlabels *c, double size, double maxw, PangoAlignment al,
               int max_lines, bool char_break);
void cats_free(build *b, catlabels *c);

/* ---- reference lines (chart_refs.c) ---- */

typedef struct refs {
    size_t n;
    tbox tb[MAX_REFERENCES];
    size_t order[MAX_REFERENCES];   /* by value: ascending (rows) or descending (stack) */
    int row[MAX_REFERENCES];        /* horizontal: label row above the plot */
    double pos[MAX_REFERENCES];     /* label offset across the strip (x or y), pt */
    double rowh;                    /* tallest label, pt */
} refs;

bool refs_make(build *b, refs *r);
void refs_free(refs *r);
double refs_place_rows(build *b, refs *r, const vaxis *a, double plot_x0, double avail_w);
double refs_place_stack(build *b, refs *r, const vaxis *a, double plot_y1, double lo,
                        double bottom, double H);
void refs_emit_h(build *b, refs *r, const vaxis *a, double plot_x0, double top, double plot_y1);
void refs_emit_v(build *b, refs *r, const vaxis *a, const plotbox *p);

/* ---- one attempt at an orientation (chart_layout.c) ---- */

typedef struct attempt {
    frame fr;
    legend lg;
    ticks tk;
    catlabels cats;
    refs rf;
    legend_pos lp;
    bool lg_right;
    double lg_w, lg_top, lg_bot;   /* room the legend takes, pt */
    double top, bottom;            /* title block + legend above, notes + legend below */
} attempt;

bool attempt_open(build *b, attempt *at);
void attempt_free(build *b, attempt *at);
void emit_frame_and_legend(build *b, attempt *at, const plotbox *p, double H, bool rotated,
                           bool value_labels);

/* The drivers: CHART_FIT_NO when vertical bars cannot hold the labels. */
typedef enum chart_fit { CHART_FIT_OK = 0, CHART_FIT_NO, CHART_FIT_OOM } chart_fit;
chart_fit layout_horizontal(build *b);
chart_fit layout_vertical(build *b);

/* ---- line charts, bars with lines on a right axis, pies and donuts ---- */

/* chart_kinds.c: a line chart, a bar chart with "lines", or a pie */
bool chart_is_line_or_pie(const chart_spec *spec);
chart_fit layout_kinds(build *b);
/* Adds the display-list room those charts need beyond the bars' bound. */
void kinds_reserve(const build *b, size_t *ntexts, size_t *nshapes);
typedef struct kbox {
    double x0, y0, x1, y1;    /* pt, chart coordinates */
} kbox;
bool chart_range_ticks(double vmin, double vmax, int max_int, bool with_zero, tick_set *t);
void chart_largest_remainder(const double *v, size_t n, int decimals, long long *out);
bool box_overlaps(const kbox *a, const kbox *c, double gap);
bool segment_hits_box(double x0, double y0, double x1, double y1, const kbox *r, double pad);
void legend_emit_kinds(build *b, legend *lg, const bool *is_line, double x0, double y0);
/* chart_line.c: lines (and bars) over categories, one or two value axes */
chart_fit layout_lines(build *b);
/* chart_pie.c */
chart_fit layout_pie(build *b);

#endif
