/*
 * chart_kinds.c — what the line, bar + line and pie layouts share: the
 * dispatch from chart_layout.c, their display-list bound, axes that need
 * not start at zero, shares rounded to add up, and the geometry of label
 * placement (boxes that must keep apart, lines that must not cross them).
 *
 * Takes the build state or plain numbers; gives pure results.  The
 * functions on numbers (chart_range_ticks, chart_largest_remainder) have
 * unit tests of their own.
 */
#include "chart/chart_build.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bool chart_is_line_or_pie(const chart_spec *spec)
{
    return spec->kind == CHART_LINE || spec->kind == CHART_PIE ||
           (spec->kind == CHART_BAR && spec->nlines > 0 && spec->line_cols);
}

chart_fit layout_kinds(build *b)
{
    return b->spec->kind == CHART_PIE ? layout_pie(b) : layout_lines(b);
}

/* Per row and series: a segment, a marker, a bar and a value label; per
 * pie slice: the slice, two leader segments and a label; both axes' ticks
 * and gridlines, the break mark, legend swatches drawn as line + marker. */
void kinds_reserve(const build *b, size_t *ntexts, size_t *nshapes)
{
    if (!chart_is_line_or_pie(b->spec))
        return;
    size_t series = b->k + b->spec->nlines + 1;
    *ntexts += b->n * series + 2 * TICKS_MAX + 8 + MAX_LEGEND + b->n + 2;
    *nshapes += 4 * b->n * series + 2 * TICKS_MAX + 8 + 3 * MAX_LEGEND + 4 * (b->n + 1);
}

/* ---- ticks over a range that need not hold zero ---- */

/* The tick set over [vmin, vmax] with at most max_int intervals, steps of
 * 1, 2 or 5 times a power of ten; zero is included only when with_zero.
 * The step is the one nice_ticks chooses for the range's span. */
bool chart_range_ticks(double vmin, double vmax, int max_int, bool with_zero, tick_set *t)
{
    if (with_zero || !isfinite(vmin) || !isfinite(vmax))
        return nice_ticks(vmin, vmax, max_int, t);
    if (vmin > vmax) {
        double s = vmin;
        vmin = vmax;
        vmax = s;
    }
    if (vmin == vmax) {
        vmin -= fabs(vmin) * 0.05 + 0.5;
        vmax += fabs(vmax) * 0.05 + 0.5;
    }
    for (int m = max_int; m <= 2 * max_int + 2; m++) {
        tick_set span;
        /* the step for the span, then the ticks laid on the values */
        if (!nice_ticks(0, vmax - vmin, m, &span))
            return false;
        for (int tries = 0; tries < 4; tries++) {
            double step = span.step;
            long long k0 = (long long)floor(vmin / step + 1e-9);
            long long k1 = (long long)ceil(vmax / step - 1e-9);
            if (k1 <= k0)
                k1 = k0 + 1;
            if (k1 - k0 <= max_int) {
                *t = span;
                t->first = k0;
                t->count = (int)(k1 - k0) + 1;
                t->lo = tick_value(t, 0);
                t->hi = tick_value(t, t->count - 1);
                return true;
            }
            /* one step coarser: 1 → 2 → 5 → 10 */
            if (span.mant == 1)
                span.mant = 2;
            else if (span.mant == 2)
                span.mant = 5;
            else {
                span.mant = 1;
                span.exp10++;
            }
            span.first = 0;
            span.step = tick_value(&span, 1);
            span.decimals = span.exp10 < 0 ? -span.exp10 : 0;
        }
    }
    return nice_ticks(vmin, vmax, max_int, t);
}

/* ---- shares that add up ---- */

/* Rounds the shares v[i] / sum(v) to `decimals` places so that they add up
 * to exactly 100 (largest remainder, Hamilton's method): each share gets
 * the floor of its exact value in units of 10^-decimals percent, and the
 * units still missing go to the largest remainders (ties: the larger
 * value, then the earlier row).  out[i] is in those units (123 = 12.3 %
 * at one decimal).  v[i] must be >= 0; an all-zero input gives zeros. */
void chart_largest_remainder(const double *v, size_t n, int decimals, long long *out)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i] > 0 ? v[i] : 0;
    long long total = 100;
    for (int d = 0; d < decimals; d++)
        total *= 10;
    if (n == 0)
        return;
    if (!(sum > 0)) {
        memset(out, 0, n * sizeof *out);
        return;
    }
    double *rem = malloc(n * sizeof *rem);
    long long given = 0;
    for (size_t i = 0; i < n; i++) {
        double exact = (v[i] > 0 ? v[i] : 0) / sum * (double)total;
        /* a share that is a whole number of units up to rounding noise */
        double fl = floor(exact + 1e-9);
        out[i] = (long long)fl;
        given += out[i];
        if (rem)
            rem[i] = exact - fl < 0 ? 0 : exact - fl;
    }
    while (given < total) {
        size_t best = 0;
        double br = -1;
        for (size_t i = 0; i < n; i++) {
            double r = rem ? rem[i] : 0;
            if (v[i] > 0 && (r > br + 1e-12 || (fabs(r - br) <= 1e-12 && v[i] > v[best]))) {
                br = r;
                best = i;
            }
        }
        out[best]++;
        if (rem)
            rem[best] = -2;    /* one unit each, at most */
        given++;
    }
    free(rem);
}

/* ---- label placement geometry ---- */

bool box_overlaps(const kbox *a, const kbox *c, double gap)
{
    return a->x0 < c->x1 + gap && c->x0 < a->x1 + gap && a->y0 < c->y1 + gap &&
           c->y0 < a->y1 + gap;
}

/* Liang–Barsky: does the segment (x0,y0)-(x1,y1) pass through the box
 * grown by pad? */
bool segment_hits_box(double x0, double y0, double x1, double y1, const kbox *r, double pad)
{
    double t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {x0 - (r->x0 - pad), (r->x1 + pad) - x0, y0 - (r->y0 - pad),
                   (r->y1 + pad) - y0};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return false;
            continue;
        }
        double t = q[i] / p[i];
        if (p[i] < 0) {
            if (t > t1)
                return false;
            if (t > t0)
                t0 = t;
        } else {
            if (t < t0)
                return false;
            if (t < t1)
                t1 = t;
        }
    }
    return true;
}

/* Legend swatch of a line series: a short stroke with its marker. */
void legend_emit_kinds(build *b, legend *lg, const bool *is_line, double x0, double y0)
{
    for (size_t i = 0; i < lg->n; i++) {
        double x = x0 + lg->x[i], y = y0 + lg->y[i];
        double first_line = lg->tb[i].h / (lg->tb[i].lines > 0 ? lg->tb[i].lines : 1);
        double cy = y + first_line / 2;
        if (is_line && is_line[i]) {
            chart_shape *s = add_shape(b, CHART_SHAPE_LINE, CHART_ROLE_SWATCH, CHART_LAYER_LEGEND,
                                       x, cy, x + SWATCH, cy, lg->color[i]);
            s->width = 1.4;
            chart_shape *m = add_shape(b, CHART_SHAPE_CIRCLE, CHART_ROLE_SWATCH,
                                       CHART_LAYER_LEGEND, x + SWATCH / 2, cy, x + SWATCH / 2, cy,
                                       lg->color[i]);
            m->r1 = 2.2;
            m->width = 0.6;
        } else {
            add_shape(b, CHART_SHAPE_RECT, CHART_ROLE_SWATCH, CHART_LAYER_LEGEND, x,
                      cy - SWATCH / 2, x + SWATCH, cy + SWATCH / 2, lg->color[i]);
        }
        chart_text *t = add_text(b, CHART_TEXT_LEGEND, (int)i, &lg->tb[i], x + SWATCH + 3, y,
                                 false, b->th->text);
        t->series = (int)i;
    }
}
