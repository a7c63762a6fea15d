/*
 * chart_horizontal.c — horizontal bars: categories down the left, values
 * along x, reference labels in rows above the plot, ticks and axis title
 * under it.
 *
 * Takes the build state; gives the whole display list.  Always fits: the
 * category labels wrap (a column of about a third of the width, widened
 * for a long word, shrunk only when a word is wider than that), and the
 * chart is as tall as they need (a given height that cannot hold them gets
 * the chart scaled to it, see fit_given_height in chart_layout.c).
 * Value labels that cannot fit the width are left out, with a warning.
 */
#include "chart/chart_build.h"

#include <math.h>
#include <string.h>

typedef struct hplan {
    double avail_w;        /* width left of a right legend, pt */
    double axis_h;         /* ticks and axis title under the plot, pt */
    double slot;           /* row pitch, pt */
    double plot_x0, plot_x1;
    vaxis a;
    bool have_values;
} hplan;

/* The least row pitch for labels of the chosen size: the label, and room
 * for the value labels (one a bar, or one per bar of a group). */
static double row_need(const build *b, const attempt *at, double vl_h)
{
    size_t ks = series_slots(b);
    double need = fmax(at->cats.maxh + 3, b->grouped ? ks * (vl_h + 0.5) / 0.84 : vl_h + 3);
    return b->completion ? fmax(need, vl_h + 6) : need;
}

/* Category labels: 8 pt unless the fixed height (avail_h for the rows)
 * needs smaller; wrapped in a column of cw_max, widened for a long word;
 * broken inside a word only if even that fails.  Returns the row pitch
 * the labels need. */
static double category_labels(build *b, attempt *at, const hplan *hp, double avail_h)
{
    static const double sizes[] = {CHART_LABEL_PT, CHART_SMALL_PT, CHART_MIN_PT};
    double cw_max = hp->avail_w * (hp->avail_w < 220 ? 0.42 : 0.34);
    double vl_h = line_height(b, CHART_SMALL_PT);
    double slot = 0;
    int chosen = -1;
    for (int si = 0; si < 3; si++) {
        bool ok = cats_wrap(b, &at->cats, sizes[si], cw_max, PANGO_ALIGN_RIGHT, 0, false);
        if (!ok) {
            /* a word longer than the column: widen it before shrinking */
            ok = cats_wrap(b, &at->cats, sizes[si], hp->avail_w * 0.55, PANGO_ALIGN_RIGHT, 0,
                           false);
        }
        if (!ok)
            continue;
        /* a given height never shrinks the labels: the whole chart is
         * scaled instead (fit_given_height), with the height it needs */
        (void)avail_h;
        chosen = si;
        slot = row_need(b, at, vl_h);
        break;
    }
    if (chosen < 0) {
        cats_wrap(b, &at->cats, CHART_LABEL_PT, cw_max, PANGO_ALIGN_RIGHT, 0, true);
        warnf(b, "a category label has a word wider than the chart allows even at %.0f pt; "
              "it was broken inside the word", CHART_MIN_PT);
        size_t ks = series_slots(b);
        slot = fmax(at->cats.maxh + 3, b->grouped ? ks * (vl_h + 0.5) / 0.84 : vl_h + 3);
    }
    if (at->cats.size < CHART_LABEL_PT)
        warnf(b, "category labels shrunk to %.0f pt: a word is wider than the label column",
              at->cats.size);
    return slot;
}

/* True when two neighbouring tick labels come closer than 6 pt. */
static bool ticks_clash(const attempt *at, const hplan *hp)
{
    for (int i = 1; i < at->tk.t.count; i++)
        if (tick_left(&at->tk, &hp->a, hp->plot_x0, hp->avail_w, i) <
            tick_left(&at->tk, &hp->a, hp->plot_x0, hp->avail_w, i - 1) + at->tk.tb[i - 1].w + 6)
            return true;
    return false;
}

/* The plot's horizontal extent, the ticks and the value labels: fewer
 * ticks until their labels keep apart.  False when out of memory. */
static bool fit_axis(build *b, attempt *at, hplan *hp)
{
    int max_int = 6;
    hp->plot_x0 = at->cats.maxw + 6;
    hp->plot_x1 = hp->avail_w;
    for (int guard = 0; guard < 8; guard++) {
        if (!ticks_make(b, &at->tk, max_int))
            return false;
        double wl = at->tk.tb[0].w, wr = at->tk.tb[at->tk.t.count - 1].w;
        double px0 = fmax(hp->plot_x0, wl / 2);
        hp->plot_x1 = hp->avail_w - fmax(wr / 2, 2);
        hp->a.t = at->tk.t;
        hp->a.lo = at->tk.t.lo;
        hp->a.hi = at->tk.t.hi;
        hp->a.len = hp->plot_x1 - px0;
        hp->plot_x0 = px0;
        if (!make_marks(b, hp->slot, false))
            return false;
        hp->have_values = place_values(b, &hp->a, false, false);
        if (!hp->have_values)
            hp->a.padA = hp->a.padB = 0;
        if (!ticks_clash(at, hp) || max_int <= 1)
            break;
        max_int = at->tk.t.count - 2 > 1 ? at->tk.t.count - 2 : 1;
    }
    /* Still too close (a plot narrower than two labels): keep the labels
     * from the largest value down that keep apart; gridlines stay. */
    double kept_left = 1e300;
    for (int i = at->tk.t.count - 1; i >= 0; i--) {
        double x = tick_left(&at->tk, &hp->a, hp->plot_x0, hp->avail_w, i);
        at->tk.hide[i] = x + at->tk.tb[i].w + 4 > kept_left;
        if (!at->tk.hide[i])
            kept_left = x;
    }
    return true;
}

/* Everything into the display list, the plot at rows plot_y0..plot_y1. */
static bool emit_all(build *b, attempt *at, hplan *hp, double plot_y0, double plot_y1, double H)
{
    plotbox p = {.vertical = false, .x0 = hp->plot_x0, .y0 = plot_y0, .x1 = hp->plot_x1,
                 .y1 = plot_y1, .slot = hp->slot};
    emit_frame_and_legend(b, at, &p, H, false, hp->have_values);
    emit_marks(b, &p, &hp->a);
    refs_emit_h(b, &at->rf, &hp->a, hp->plot_x0, at->top, plot_y1);
    for (size_t r = 0; r < b->n; r++) {
        tbox *tb = &at->cats.tb[r];
        double x = hp->plot_x0 - 6 - tb->w;
        double y = plot_y0 + r * hp->slot + (hp->slot - tb->h) / 2;
        add_text(b, CHART_TEXT_CATEGORY, b->src[r], tb, fmax(0, x), y, false, b->th->text);
    }
    emit_values(b, &p, &hp->a);
    double ty = plot_y1 + 2;
    for (int i = 0; i < at->tk.t.count; i++) {
        if (at->tk.hide[i])
            continue;
        double x = tick_left(&at->tk, &hp->a, hp->plot_x0, hp->avail_w, i);
        add_text(b, CHART_TEXT_TICK, i, &at->tk.tb[i], x, ty, false, b->th->muted);
    }
    return emit_axis_title(b, &at->tk, hp->plot_x1, ty + at->tk.h + 1, true, hp->avail_w);
}

/* The rows' pitch: what the labels need, and at least a comfortable pitch
 * (or, at a fixed height, the height shared out). */
static double row_pitch(const build *b, double need, double avail_h)
{
    size_t ks = series_slots(b);
    double pref = b->completion ? 26 : b->grouped ? fmax(22, ks * 11.0 + 8) : b->n > 12 ? 16 : 20;
    return b->fixed_h ? fmax(need, avail_h / (double)b->n) : fmax(need, pref);
}

static chart_fit layout_rows(build *b, attempt *at)
{
    hplan hp;
    memset(&hp, 0, sizeof hp);
    hp.avail_w = b->W - at->lg_w;
    double title_h;
    if (!axis_title_height(b, &at->tk, hp.avail_w, &title_h))
        return CHART_FIT_OOM;
    hp.axis_h = at->tk.h + 2 + title_h + 1;
    double ref_strip = at->rf.n ? line_height(b, CHART_SMALL_PT) + 2 : 0;  /* grows with dodging */
    double avail_h = b->H - at->top - at->bottom - ref_strip - hp.axis_h - GAP_AXIS;
    hp.slot = row_pitch(b, category_labels(b, at, &hp, avail_h), avail_h);
    if (!fit_axis(b, at, &hp))
        return CHART_FIT_OOM;
    /* the final ticks may have changed the unit (万/亿) and so the title */
    if (!axis_title_height(b, &at->tk, hp.avail_w, &title_h))
        return CHART_FIT_OOM;
    hp.axis_h = at->tk.h + 2 + title_h + 1;
    if (!hp.have_values)
        warnf(b, "value labels left out: no room for them at this width (%.0f mm)",
              b->W * 25.4 / 72);
    ref_strip = refs_place_rows(b, &at->rf, &hp.a, hp.plot_x0, hp.avail_w);

    double plot_y0 = at->top + ref_strip;
    double plot_y1 = plot_y0 + hp.slot * b->n;
    double H = plot_y1 + GAP_AXIS + hp.axis_h + at->bottom;
    if (at->lg_right && at->lg.n)
        H = fmax(H, plot_y0 + at->lg.h + at->bottom);
    if (b->fixed_h)
        H = fmax(H, b->H);   /* more than given: scaled by fit_given_height */
    return emit_all(b, at, &hp, plot_y0, plot_y1, H) ? CHART_FIT_OK : CHART_FIT_OOM;
}

chart_fit layout_horizontal(build *b)
{
    attempt at;
    chart_fit fit = attempt_open(b, &at) ? layout_rows(b, &at) : CHART_FIT_OOM;
    attempt_free(b, &at);
    return fit;
}
