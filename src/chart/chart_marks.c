/*
 * chart_marks.c — bars, tracks, targets and value-label candidates.
 *
 * Takes the resolved data and a category slot size; gives, in abstract
 * coordinates (value along u, thickness within the slot), every mark of
 * the chart and every value label with the texts it may take (best
 * first).  Guarantees: stacks start where the previous segment ended, each
 * way from zero; a null is a "—" label, never a bar; false when out of
 * memory (what was made is kept for clear_marks).
 */
#include "chart/chart_build.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct bandgeo {
    double slot;
    double t0[MAX_GROUP], t1[MAX_GROUP];   /* per series: bar thickness range */
    double c0[MAX_GROUP], c1[MAX_GROUP];   /* per series: label cross band */
    double mark0, mark1;                   /* completion: target mark extent */
} bandgeo;

size_t series_slots(const build *b)
{
    return b->grouped ? (b->k < MAX_GROUP ? b->k : MAX_GROUP) : 1;
}

static void band_geometry(const build *b, double slot, bool vertical, bandgeo *g)
{
    memset(g, 0, sizeof *g);
    g->slot = slot;
    if (b->completion) {
        double t = fmin(slot * 0.56, MAX_TRACK);
        double mid = slot / 2;
        g->t0[0] = mid - t / 2;
        g->t1[0] = mid + t / 2;
        g->t0[1] = mid - t * 0.25;
        g->t1[1] = mid + t * 0.25;
        g->mark0 = mid - t * 0.66;
        g->mark1 = mid + t * 0.66;
        g->c0[0] = g->c0[1] = 0;
        g->c1[0] = g->c1[1] = slot;
        return;
    }
    if (b->grouped) {
        size_t k = series_slots(b);
        double G = fmin(slot * 0.84, k * MAX_SUBBAR);
        double p = G / k;
        double th = p - fmax(fmin(p * 0.14, 2.0), 0.3);
        for (size_t j = 0; j < k; j++) {
            double s0 = (slot - G) / 2 + j * p;
            g->c0[j] = s0;
            g->c1[j] = s0 + p;
            g->t0[j] = s0 + (p - th) / 2;
            g->t1[j] = g->t0[j] + th;
        }
        return;
    }
    double t = fmin(slot * 0.62, vertical ? MAX_BAR_V : MAX_BAR_H);
    for (size_t j = 0; j < b->k && j < MAX_GROUP; j++) {
        g->t0[j] = (slot - t) / 2;
        g->t1[j] = g->t0[j] + t;
        g->c0[j] = 0;
        g->c1[j] = slot;
    }
}

/* The arrays have room for every mark and label a chart can make
 * (build_init); these never allocate. */
static void add_mark(build *b, int row, chart_shape_role role, double v0, double v1,
                     double c0, double c1, chart_rgb color)
{
    if (b->nmarks == b->capmarks)
        return;
    b->marks[b->nmarks++] = (vmark){.row = row, .src = b->src[row], .role = role,
                                    .v0 = v0, .v1 = v1, .c0 = c0, .c1 = c1, .color = color};
}

static void lab_clear(vlab *l)
{
    for (int v = 0; v < 3; v++) {
        free(l->variant[v]);
        l->variant[v] = NULL;
    }
    tbox_clear(&l->tb);
}

static vlab *add_lab(build *b, int row, int series, double anchor, double base, int dir,
                     double c0, double c1, double t0, double t1, chart_rgb bar)
{
    /* beyond the bound (cannot happen): the spare slot at caplabs */
    vlab *l = &b->labs[b->nlabs < b->caplabs ? b->nlabs++ : b->caplabs];
    lab_clear(l);
    *l = (vlab){.row = row, .series = series, .anchor = anchor, .base = base, .dir = dir,
                .c0 = c0, .c1 = c1, .t0 = t0, .t1 = t1, .bar = bar, .can_inside = true};
    return l;
}

void clear_marks(build *b)
{
    for (size_t i = 0; i < b->nlabs; i++)
        lab_clear(&b->labs[i]);
    if (b->labs)
        lab_clear(&b->labs[b->caplabs]);
    b->nlabs = 0;
    b->nmarks = 0;
}

/* A label's texts: the value as given, and (when it differs) without the
 * unit; false when out of memory. */
static bool value_variants(const build *b, vlab *l, double v, int series, bool with_unit)
{
    l->variant[0] = fmt_value(b, v, series, with_unit);
    char *bare = fmt_value(b, v, series, false);
    if (!l->variant[0] || !bare) {
        free(bare);
        return false;
    }
    if (strcmp(bare, l->variant[0]) != 0)
        l->variant[1] = bare;
    else
        free(bare);
    return true;
}

static bool dash_label(vlab *l)
{
    l->variant[0] = chart_strdup_printf("%s", "—");
    return l->variant[0] != NULL;
}

/* Completion row: track (plan), bar (actual), target tick, and one label
 * "actual · ratio" (or two lines). */
static bool completion_row(build *b, const bandgeo *g, size_t r)
{
    int row = (int)r;
    bool pn = N(b, r, 0), an = N(b, r, 1);
    double plan = V(b, r, 0), act = V(b, r, 1);
    double ratio = (!pn && !an && plan > 0) ? act / plan : NAN;
    bool flagged = isfinite(ratio) && b->threshold > 0 && ratio < b->threshold;
    if (flagged)
        b->any_warn = true;
    if (!pn)
        add_mark(b, row, CHART_ROLE_TRACK, 0, plan, g->t0[0], g->t1[0], b->scol[0]);
    if (!an)
        add_mark(b, row, CHART_ROLE_BAR, 0, act, g->t0[1], g->t1[1],
                 flagged ? b->th->warn : b->scol[1]);
    if (!pn && plan > 0)
        add_mark(b, row, CHART_ROLE_TARGET, plan, plan, g->mark0, g->mark1, b->th->target);
    char pct[64];
    if (isfinite(ratio)) {  /* more decimals only where 100 % or the threshold needs them */
        numfmt_percent_ex(pct, sizeof pct, ratio,
                          numfmt_percent_decimals(ratio, b->pct_dec, b->threshold), &b->vf);
    } else {
        snprintf(pct, sizeof pct, "—");
        b->ratio_dash = true;
    }
    double end = fmax(pn ? 0 : plan, an ? 0 : act);
    double endneg = fmin(pn ? 0 : plan, an ? 0 : act);
    int dir = (end <= 0 && endneg < 0) ? -1 : 1;
    vlab *l = add_lab(b, row, -1, dir > 0 ? end : endneg, 0, dir, 0, g->slot, g->t0[0],
                      g->t1[0], b->scol[1]);
    l->can_inside = false;
    if (an)
        return dash_label(l);
    char *num = fmt_value(b, act, -1, true);
    if (!num)
        return false;
    l->variant[0] = chart_strdup_printf("%s · %s", num, pct);
    l->variant[1] = chart_strdup_printf("%s\n%s", num, pct);
    free(num);
    return l->variant[0] && l->variant[1];
}

/* Stacked row: a segment per series from where the last one ended, each
 * way from zero; segment labels only inside, the total beyond the bar. */
static bool stacked_row(build *b, const bandgeo *g, size_t r)
{
    int row = (int)r;
    double pos = 0, neg = 0;
    bool any = false;
    for (size_t j = 0; j < b->k; j++) {
        if (N(b, r, j))
            continue;
        any = true;
        double v = b->percent ? share(b, r, j) : V(b, r, j);
        double v0 = v >= 0 ? pos : neg, v1 = v0 + v;
        if (v >= 0) pos = v1; else neg = v1;
        add_mark(b, row, CHART_ROLE_BAR, v0, v1, g->t0[0], g->t1[0], b->scol[j]);
        if (v == 0)
            continue;
        vlab *l = add_lab(b, row, (int)j, v1, v0, v >= 0 ? 1 : -1, g->t0[0], g->t1[0],
                          g->t0[0], g->t1[0], b->scol[j]);
        l->inside_only = true;
        l->variant[0] = fmt_value(b, v, (int)j, false);
        if (!l->variant[0])
            return false;
    }
    if (!any) {
        vlab *l = add_lab(b, row, -1, 0, 0, 1, 0, g->slot, g->t0[0], g->t1[0], b->scol[0]);
        l->can_inside = false;
        return dash_label(l);
    }
    if (b->percent)
        return true;
    double total = 0;
    for (size_t j = 0; j < b->k; j++)
        if (!N(b, r, j))
            total += V(b, r, j);
    int dir = total >= 0 ? 1 : -1;
    vlab *l = add_lab(b, row, -1, dir > 0 ? pos : neg, 0, dir, 0, g->slot, g->t0[0], g->t1[0],
                      b->scol[0]);
    l->can_inside = false;
    return value_variants(b, l, total, -1, true);
}

/* Plain or grouped row: a bar per series from zero, its label beyond it. */
static bool plain_row(build *b, const bandgeo *g, size_t r)
{
    int row = (int)r;
    for (size_t j = 0; j < b->k; j++) {
        size_t gj = b->grouped ? (j < MAX_GROUP ? j : MAX_GROUP - 1) : 0;
        if (N(b, r, j)) {
            vlab *l = add_lab(b, row, (int)j, 0, 0, 1, g->c0[gj], g->c1[gj], g->t0[gj],
                              g->t1[gj], b->scol[j]);
            l->can_inside = false;
            if (!dash_label(l))
                return false;
            continue;
        }
        double v = V(b, r, j);
        chart_rgb color = chart_bar_color(b, r, j, v);
        add_mark(b, row, CHART_ROLE_BAR, 0, v, g->t0[gj], g->t1[gj], color);
        vlab *l = add_lab(b, row, (int)j, v, 0, v >= 0 ? 1 : -1, g->c0[gj], g->c1[gj],
                          g->t0[gj], g->t1[gj], color);
        bool unit_on_labels = !b->grouped;
        if (!value_variants(b, l, v, (int)j, unit_on_labels))
            return false;
    }
    return true;
}

bool make_marks(build *b, double slot, bool vertical)
{
    clear_marks(b);
    bandgeo g;
    band_geometry(b, slot, vertical, &g);
    for (size_t r = 0; r < b->n; r++) {
        bool ok = b->completion ? completion_row(b, &g, r)
                  : b->stacked  ? stacked_row(b, &g, r)
                                : plain_row(b, &g, r);
        if (!ok)
            return false;
    }
    for (size_t i = 0; i < b->nmarks; i++)
        b->marks[i].src = b->src[b->marks[i].row];
    return true;
}
