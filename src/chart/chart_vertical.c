/*
 * chart_vertical.c — vertical bars: categories along x under the plot,
 * ticks at its left, the axis title above it, reference labels in a strip
 * at its right.
 *
 * Takes the build state; gives the whole display list, or CHART_FIT_NO
 * (with a warning) when the category or value labels cannot fit the width
 * even wrapped, shrunk to CHART_MIN_PT and rotated — the caller then draws
 * horizontal bars.
 */
#include "chart/chart_build.h"

#include <math.h>
#include <string.h>

typedef struct vplan {
    double avail_w;                   /* width left of legend and reference strip, pt */
    double plot_x0, plot_x1, plot_y0, plot_y1, slot;
    double H;                         /* chart height, pt */
    bool rotated;                     /* category labels read bottom to top */
    bool values_left_out;             /* grouped bars too narrow for upright labels */
    vaxis a;
} vplan;

/* Category labels under slots aw wide: wrapped to at most three lines,
 * shrunk, and at last rotated (one line, or wrapped to at most 40 % of the
 * height and as many lines as the slot holds).  False when none fits. */
static bool category_labels(build *b, attempt *at, vplan *vp, double aw)
{
    static const double sizes[] = {CHART_LABEL_PT, CHART_SMALL_PT, CHART_MIN_PT};
    vp->rotated = false;
    for (int si = 0; si < 3; si++)
        if (aw > 4 && cats_wrap(b, &at->cats, sizes[si], aw, PANGO_ALIGN_CENTER, MAX_LABEL_LINES,
                                false))
            return true;
    double max_len = b->fixed_h ? fmax(60, b->H * 0.4) : fmax(100, b->W * 0.25);
    for (int si = 0; si < 3; si++) {
        double lh = line_height(b, sizes[si]);
        if (lh > aw + 0.01)
            continue;
        int max_lines = (int)floor((aw + 0.01) / lh);
        if (cats_wrap(b, &at->cats, sizes[si], max_len, PANGO_ALIGN_RIGHT, max_lines, false)) {
            vp->rotated = true;
            double mw = at->cats.maxw;
            at->cats.maxw = at->cats.maxh;
            at->cats.maxh = mw;
            at->cats.rotated = true;
            return true;
        }
    }
    return false;
}

/* The plot's height: the preferred one when the height is free, else what
 * the given height leaves (at least 60 pt to stay readable: a chart that
 * then needs more than the given height is scaled to it, see
 * fit_given_height). */
static void plot_height(build *b, attempt *at, vplan *vp)
{
    double band = at->cats.maxh + GAP_AXIS;
    double plot_h_pref = fmin(fmax(b->W * 0.34, 110), 180);
    vp->plot_y1 = (b->fixed_h ? b->H : 0) - at->bottom - band;
    double plot_h = vp->plot_y1 - vp->plot_y0;
    double min_h = 60;
    if (!b->fixed_h) {
        plot_h = plot_h_pref;
        vp->plot_y1 = vp->plot_y0 + plot_h;
        vp->H = vp->plot_y1 + band + at->bottom;
    } else if (plot_h < min_h) {
        plot_h = min_h;
        vp->plot_y1 = vp->plot_y0 + plot_h;
        vp->H = vp->plot_y1 + band + at->bottom;
    } else {
        vp->H = b->H;
    }
    vp->a.t = at->tk.t;
    vp->a.lo = at->tk.t.lo;
    vp->a.hi = at->tk.t.hi;
    vp->a.len = plot_h;
}

/* True when two neighbouring ticks are less than a label height apart. */
static bool ticks_clash(const attempt *at, const vplan *vp)
{
    for (int i = 1; i < at->tk.t.count; i++)
        if (U(&vp->a, tick_value(&vp->a.t, i)) - U(&vp->a, tick_value(&vp->a.t, i - 1)) <
            at->tk.h + 3)
            return true;
    return false;
}

/* One try with at most max_int tick intervals (the ticks already made):
 * plot box, category labels, plot height, value labels.  *clash: the tick
 * labels come too close, fewer intervals may do. */
static chart_fit try_axis(build *b, attempt *at, vplan *vp, bool *clash)
{
    double title_h;
    if (!axis_title_height(b, &at->tk, b->W, &title_h))     /* the unit may have changed */
        return CHART_FIT_OOM;
    vp->plot_y0 = at->top + (title_h > 0 ? title_h + 2 : 0) + at->tk.h / 2;
    vp->plot_x0 = at->tk.maxw + GAP_AXIS;
    vp->plot_x1 = vp->avail_w - 1;
    vp->slot = (vp->plot_x1 - vp->plot_x0) / (double)b->n;
    if (!category_labels(b, at, vp, vp->slot - 3)) {
        warnf(b, "category labels do not fit under %zu vertical bars in %.0f mm, even wrapped, "
              "at %.0f pt or rotated; drawn as horizontal bars",
              b->n, b->W * 25.4 / 72, CHART_MIN_PT);
        return CHART_FIT_NO;
    }
    plot_height(b, at, vp);
    if (!make_marks(b, vp->slot, true))
        return CHART_FIT_OOM;
    /* Grouped bars never turn their numbers: side by side, rotated labels
     * of two series read as one column of figures.  Where upright ones do
     * not fit, they are left out and the axis gives the values; a single
     * series may turn them along its bars, or be drawn horizontally. */
    bool grouped = b->grouped && b->k > 1;
    vp->values_left_out = false;
    if (!place_values(b, &vp->a, true, !b->completion && !grouped)) {
        if (!grouped) {
            warnf(b, "value labels do not fit over %zu bars in %.0f mm; drawn as horizontal bars",
                  b->n, b->W * 25.4 / 72);
            return CHART_FIT_NO;
        }
        vp->values_left_out = true;
        vp->a.padA = vp->a.padB = 0;
    }
    *clash = ticks_clash(at, vp);
    return CHART_FIT_OK;
}

/* Tries fewer tick intervals until the tick labels keep apart. */
static chart_fit fit_axis(build *b, attempt *at, vplan *vp)
{
    int max_int = 6;
    for (int guard = 0; guard < 6; guard++) {
        if (guard > 0 && !ticks_make(b, &at->tk, max_int))   /* guard 0: attempt_open's */
            return CHART_FIT_OOM;
        bool clash = false;
        chart_fit fit = try_axis(b, at, vp, &clash);
        if (fit != CHART_FIT_OK)
            return fit;
        if (clash && max_int > 1) {
            max_int = at->tk.t.count - 2 > 1 ? at->tk.t.count - 2 : 1;
            continue;
        }
        return CHART_FIT_OK;
    }
    return CHART_FIT_NO;
}

static void warn_adjustments(build *b, attempt *at, vplan *vp)
{
    double W_mm = b->W * 25.4 / 72;
    if (at->cats.size < CHART_LABEL_PT)
        warnf(b, "category labels shrunk to %.0f pt to fit %zu categories across %.0f mm",
              at->cats.size, b->n, W_mm);
    if (vp->rotated)
        warnf(b, "category labels rotated to fit %zu categories across %.0f mm", b->n, W_mm);
    if (vp->values_left_out)
        warnf(b, "value labels left out: upright, they do not fit over %zu groups of %zu bars "
              "across %.0f mm even at %.0f pt (the axis gives the values; widen the chart or "
              "show fewer categories)", b->n, b->k, W_mm, CHART_MIN_PT);
}

static bool emit_all(build *b, attempt *at, vplan *vp)
{
    plotbox p = {.vertical = true, .x0 = vp->plot_x0, .y0 = vp->plot_y0, .x1 = vp->plot_x1,
                 .y1 = vp->plot_y1, .slot = vp->slot};
    emit_frame_and_legend(b, at, &p, vp->H, vp->rotated, !vp->values_left_out);
    if (!emit_axis_title(b, &at->tk, 0, at->top, false, b->W))
        return false;
    emit_marks(b, &p, &vp->a);
    refs_emit_v(b, &at->rf, &vp->a, &p);
    for (size_t r = 0; r < b->n; r++) {
        tbox *tb = &at->cats.tb[r];
        double cx = vp->plot_x0 + (r + 0.5) * vp->slot;
        double bw = vp->rotated ? tb->h : tb->w;
        add_text(b, CHART_TEXT_CATEGORY, b->src[r], tb, cx - bw / 2, vp->plot_y1 + GAP_AXIS,
                 vp->rotated, b->th->text);
    }
    emit_values(b, &p, &vp->a);
    for (int i = 0; i < at->tk.t.count; i++) {
        tbox *tb = &at->tk.tb[i];
        double y = vp->plot_y1 - U(&vp->a, tick_value(&vp->a.t, i)) - tb->h / 2;
        add_text(b, CHART_TEXT_TICK, i, tb, vp->plot_x0 - GAP_AXIS - tb->w, y, false,
                 b->th->muted);
    }
    return true;
}

static chart_fit layout_columns(build *b, attempt *at)
{
    vplan vp;
    memset(&vp, 0, sizeof vp);
    double ref_w = 0;
    for (size_t i = 0; i < at->rf.n; i++)
        ref_w = fmax(ref_w, at->rf.tb[i].w + 3);
    vp.avail_w = b->W - at->lg_w - ref_w;
    vp.H = b->H;
    chart_fit fit = fit_axis(b, at, &vp);
    if (fit != CHART_FIT_OK)
        return fit;
    if (at->lg_right && at->lg.n)
        vp.H = fmax(vp.H, vp.plot_y0 + at->lg.h + at->bottom);
    vp.H = refs_place_stack(b, &at->rf, &vp.a, vp.plot_y1, vp.plot_y0 - at->tk.h / 2, at->bottom,
                            vp.H);
    warn_adjustments(b, at, &vp);
    return emit_all(b, at, &vp) ? CHART_FIT_OK : CHART_FIT_OOM;
}

chart_fit layout_vertical(build *b)
{
    attempt at;
    chart_fit fit = attempt_open(b, &at) ? layout_columns(b, &at) : CHART_FIT_OOM;
    attempt_free(b, &at);
    return fit;
}
