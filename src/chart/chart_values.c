/*
 * chart_values.c — the value axis: mapping, value-label placement, and the
 * marks and labels put into the plot box.
 *
 * Takes the marks and label candidates (chart_marks.c), the ticks and the
 * plot box a driver chose; gives each value label its text, size, side
 * (beyond its bar, inside it, or left out) and the room (pads) the axis
 * must keep at its ends, then emits gridlines, bars, baseline and labels.
 * Guarantees: a label beyond its bar never touches a neighbour's band; a
 * label inside a bar fits it with padding; a non-zero bar is at least a
 * hairline long.
 */
#include "chart/chart_build.h"

#include <math.h>
#include <string.h>

double U(const vaxis *a, double v)
{
    double span = a->hi - a->lo;
    return a->padA + (v - a->lo) / span * (a->len - a->padA - a->padB);
}

/* Value label extents along u (len) and across (cross). */
static void lab_extent(const vlab *l, bool vertical, double *len, double *cross)
{
    if (!vertical) {               /* u is x */
        *len = l->tb.w;
        *cross = l->tb.h;
    } else if (l->rotated) {
        *len = l->tb.w;
        *cross = l->tb.h;
    } else {                       /* u is -y */
        *len = l->tb.h;
        *cross = l->tb.w;
    }
}

#define REF_HALF 0.3          /* half a reference line's width, pt */

/* True when a reference line crosses [u0, u1] (with GAP_TEXT either side). */
static bool ref_crosses(const build *b, const vaxis *a, double u0, double u1)
{
    for (size_t i = 0; i < b->spec->nrefs; i++) {
        double ur = U(a, b->spec->refs[i].value);
        if (ur + REF_HALF > u0 - GAP_TEXT && ur - REF_HALF < u1 + GAP_TEXT)
            return true;
    }
    return false;
}

/* How much further than GAP_VALUE a label of length len beyond anchor ua
 * (in direction dir) must sit so that no reference line crosses it: the
 * dashed 5.0 line never runs through 4.6%. */
static double ref_shift(const build *b, const vaxis *a, double ua, int dir, double len)
{
    double start = ua + dir * GAP_VALUE;     /* the edge nearer the bar */
    for (size_t pass = 0; pass <= b->spec->nrefs; pass++) {
        bool moved = false;
        for (size_t i = 0; i < b->spec->nrefs; i++) {
            double ur = U(a, b->spec->refs[i].value);
            double lo = dir > 0 ? start : start - len, hi = dir > 0 ? start + len : start;
            if (ur + REF_HALF > lo - GAP_TEXT && ur - REF_HALF < hi + GAP_TEXT) {
                start = ur + dir * (REF_HALF + GAP_TEXT);
                moved = true;
            }
        }
        if (!moved)
            break;
    }
    return fabs(start - ua) - GAP_VALUE;
}

/* Places every value label (outside, inside, or nowhere for stack
 * segments), enlarging the pads until each fits.  allow_inside: a label
 * that finds no room beyond its bar may go inside it when the bar is long
 * enough.  False when the labels would take more than max_pad of the axis
 * or cannot sit beside their bar without touching a neighbour. */
static bool fit_values(build *b, vaxis *a, bool vertical, bool allow_inside, double max_pad)
{
    a->padA = a->padB = 0;
    for (int iter = 0; iter < 40; iter++) {
        double needA = 0, needB = 0;
        for (size_t i = 0; i < b->nlabs; i++) {
            vlab *l = &b->labs[i];
            if (!l->tb.pl) {
                l->place = 0;
                continue;
            }
            double len, cross;
            lab_extent(l, vertical, &len, &cross);
            double ua = U(a, l->anchor), ub = U(a, l->base);
            double barlen = fabs(ua - ub);
            bool in_fits = len + 2 * GAP_INSIDE <= barlen && cross + 1.0 <= l->t1 - l->t0;
            /* inside, where it would sit: clear of reference lines too */
            double in0 = l->inside_only ? (ua + ub) / 2 - len / 2
                         : l->dir > 0   ? ua - GAP_INSIDE - len
                                        : ua + GAP_INSIDE;
            if (in_fits && ref_crosses(b, a, in0, in0 + len))
                in_fits = false;
            if (l->inside_only) {
                l->place = in_fits ? 2 : 0;
                continue;
            }
            bool may_inside = allow_inside && l->can_inside && in_fits;
            l->shift = ref_shift(b, a, ua, l->dir, len);
            double reach = GAP_VALUE + l->shift + len;
            double end = l->dir > 0 ? ua + reach : ua - reach;
            if (cross > l->c1 - l->c0 + 0.01) {
                /* Cannot be outside without touching a neighbour. */
                if (may_inside) {
                    l->place = 2;
                    continue;
                }
                return false;
            }
            if (l->dir > 0 && end <= a->len + 1e-6)
                l->place = 1;
            else if (l->dir < 0 && end >= -1e-6)
                l->place = 1;
            else if (may_inside)
                l->place = 2;
            else if (l->dir > 0)
                needB = fmax(needB, end - a->len);
            else
                needA = fmax(needA, -end);
        }
        if (needA <= 0 && needB <= 0)
            return true;
        a->padA += needA + 0.05;
        a->padB += needB + 0.05;
        if (a->padA + a->padB > max_pad * a->len)
            return false;
    }
    return false;
}

/* Sets every label in variant var at size, rotated or not; false when no
 * label has that variant (var > 0). */
static bool set_variant(build *b, int var, double size, bool rot, bool vertical)
{
    bool any_variant = false;
    for (size_t i = 0; i < b->nlabs; i++) {
        vlab *l = &b->labs[i];
        const char *txt = l->variant[var] ? l->variant[var] : l->variant[0];
        if (l->variant[var])
            any_variant = true;
        tbox_clear(&l->tb);
        if (!txt)
            continue;
        /* multi-line variants are only for unrotated labels */
        if (rot && strchr(txt, '\n'))
            txt = l->variant[0];
        text_plain(b, &l->tb, txt, size, false,
                   vertical && !rot ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
        l->rotated = rot;
    }
    return var == 0 || any_variant;
}

/* Tries value-label variants until they fit; false if none do. */
bool place_values(build *b, vaxis *a, bool vertical, bool allow_rotate)
{
    static const double sizes[] = {CHART_SMALL_PT, CHART_MIN_PT};
    for (int rot = 0; rot <= (allow_rotate ? 1 : 0); rot++)
        for (int si = 0; si < 2; si++)
            for (int var = 0; var < 2; var++) {
                if (!set_variant(b, var, sizes[si], rot != 0, vertical))
                    continue;
                /* outside the bars if that costs little room, else let
                 * long bars take their label inside */
                if (fit_values(b, a, vertical, false, 0.15) ||
                    fit_values(b, a, vertical, true, 0.45))
                    return true;
            }
    for (size_t i = 0; i < b->nlabs; i++) {
        tbox_clear(&b->labs[i].tb);
        b->labs[i].place = 0;
    }
    a->padA = a->padB = 0;
    return false;
}

/* Chart coordinates of the abstract point (u, band position c within row). */
static void to_xy(const plotbox *p, double u, int row, double c, double *x, double *y)
{
    double t = row * p->slot + c;
    if (p->vertical) {
        *x = p->x0 + t;
        *y = p->y1 - u;
    } else {
        *x = p->x0 + u;
        *y = p->y0 + t;
    }
}

static void emit_gridlines(build *b, const plotbox *p, const vaxis *a)
{
    for (int i = 0; i < a->t.count; i++) {
        double v = tick_value(&a->t, i);
        if (v == 0)
            continue;
        double u = U(a, v), x0, y0, x1, y1;
        to_xy(p, u, 0, 0, &x0, &y0);
        to_xy(p, u, (int)b->n, 0, &x1, &y1);
        add_shape(b, CHART_SHAPE_LINE, CHART_ROLE_GRID, CHART_LAYER_GRID, x0, y0, x1, y1,
                  b->th->grid);
    }
}

/* Gridlines, bars, tracks and targets, then the zero baseline. */
void emit_marks(build *b, const plotbox *p, const vaxis *a)
{
    emit_gridlines(b, p, a);
    for (size_t i = 0; i < b->nmarks; i++) {
        const vmark *m = &b->marks[i];
        double x0, y0, x1, y1;
        if (m->role == CHART_ROLE_TARGET) {
            to_xy(p, U(a, m->v0), m->row, m->c0, &x0, &y0);
            to_xy(p, U(a, m->v0), m->row, m->c1, &x1, &y1);
            chart_shape *s = add_shape(b, CHART_SHAPE_LINE, m->role, CHART_LAYER_MARK, x0, y0, x1,
                                       y1, m->color);
            s->width = 0.9;
            s->index = m->src;
            continue;
        }
        double u0 = U(a, m->v0), u1 = U(a, m->v1);
        /* a non-zero value never vanishes: at least a hairline */
        if (m->v1 != m->v0 && fabs(u1 - u0) < 0.5)
            u1 = u0 + (m->v1 > m->v0 ? 0.5 : -0.5);
        to_xy(p, u0, m->row, m->c0, &x0, &y0);
        to_xy(p, u1, m->row, m->c1, &x1, &y1);
        chart_shape *s = add_shape(b, CHART_SHAPE_RECT, m->role,
                                   m->role == CHART_ROLE_TRACK ? CHART_LAYER_TRACK : CHART_LAYER_BAR,
                                   x0, y0, x1, y1, m->color);
        s->index = m->src;
    }
    double x0, y0, x1, y1;
    to_xy(p, U(a, 0), 0, 0, &x0, &y0);
    to_xy(p, U(a, 0), (int)b->n, 0, &x1, &y1);
    chart_shape *s = add_shape(b, CHART_SHAPE_LINE, CHART_ROLE_BASELINE, CHART_LAYER_AXIS, x0, y0,
                               x1, y1, b->th->baseline);
    s->width = 0.6;
}

/* A value label's colour: dark or white inside a bar by its lightness,
 * the warning colour on a completion row under the threshold. */
static chart_rgb value_color(const build *b, const vlab *l)
{
    chart_rgb color = b->th->text;
    if (l->place == 2)
        color = chart_luminance(l->bar) < 0.45 ? (chart_rgb){1, 1, 1}
                                               : (chart_rgb){0.1, 0.1, 0.1};
    if (b->completion && l->row >= 0) {
        size_t r = (size_t)l->row;
        if (!N(b, r, 0) && !N(b, r, 1) && V(b, r, 0) > 0 && b->threshold > 0 &&
            V(b, r, 1) / V(b, r, 0) < b->threshold)
            color = b->th->warn;
    }
    return color;
}

void emit_values(build *b, const plotbox *p, const vaxis *a)
{
    for (size_t i = 0; i < b->nlabs; i++) {
        vlab *l = &b->labs[i];
        if (!l->place || !l->tb.pl)
            continue;
        double len, cross;
        lab_extent(l, p->vertical, &len, &cross);
        double ua = U(a, l->anchor);
        double u0;   /* low-u edge of the label */
        if (l->place == 1)
            u0 = l->dir > 0 ? ua + GAP_VALUE + l->shift : ua - GAP_VALUE - l->shift - len;
        else if (l->inside_only)
            u0 = (ua + U(a, l->base)) / 2 - len / 2;
        else
            u0 = l->dir > 0 ? ua - GAP_INSIDE - len : ua + GAP_INSIDE;
        double cmid = (l->t0 + l->t1) / 2;
        if (l->place == 1 && (l->c0 > 0 || l->c1 < p->slot))
            cmid = (l->c0 + l->c1) / 2;
        double c0 = cmid - cross / 2;
        double x, y;
        if (p->vertical)
            to_xy(p, u0 + len, l->row, c0, &x, &y);   /* top-left */
        else
            to_xy(p, u0, l->row, c0, &x, &y);
        chart_rgb color = value_color(b, l);
        chart_text *t = add_text(b, CHART_TEXT_VALUE, b->src[l->row], &l->tb, x, y,
                                 l->rotated, color);
        t->series = l->series;
    }
}
