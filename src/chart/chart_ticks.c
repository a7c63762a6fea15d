/*
 * chart_ticks.c — the value axis's ticks, unit and title.
 *
 * Takes the data extent and the most intervals wanted; gives nice ticks,
 * their measured labels (scaled by 万/亿 in the Chinese style, every
 * label with the same decimals) and the axis unit and title that go with
 * them.  Guarantees: the unit is the user's whole, whatever its length;
 * false when out of memory.
 */
#include "chart/chart_build.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ticks_free(ticks *tk)
{
    for (int i = 0; i < TICKS_MAX; i++)
        tbox_clear(&tk->tb[i]);
    free(tk->unit);
    tk->unit = NULL;
}

/* The axis unit: the spec's, with the chart's one magnitude (万/亿 in the
 * Chinese style, the same the value labels use); sets tk->divisor. */
static bool axis_unit(build *b, ticks *tk)
{
    const char *unit = b->percent ? "%" : chart_unit(b);
    tk->unit = chart_strdup_printf("%s", unit);
    tk->divisor = b->percent ? 1.0 : b->mag.divisor;
    return tk->unit != NULL;
}

bool ticks_make(build *b, ticks *tk, int max_int)
{
    ticks_free(tk);
    memset(tk, 0, sizeof *tk);
    nice_ticks(b->dmin, b->dmax, max_int, &tk->t);
    if (!axis_unit(b, tk))
        return false;
    tick_labels(b, &tk->t, tk->divisor, tk->tb, &tk->maxw, &tk->h);
    return true;
}

/* The labels of ticks t (value / divisor), all with the decimals the
 * finest needs and the chart's number format (thousands, rounding, minus:
 * the value labels' own, so −1 on the axis reads as −1.2% beside it);
 * *maxw and *h grow to the widest and tallest.  Every value axis's. */
void tick_labels(build *b, const tick_set *t, double divisor, tbox *tb, double *maxw, double *h)
{
    int dec = 0;
    for (int i = 0; i < t->count; i++) {
        int d = numfmt_decimals_of(tick_value(t, i) / divisor, NUMFMT_MAX_DECIMALS);
        dec = d > dec ? d : dec;
    }
    for (int i = 0; i < t->count && i < TICKS_MAX; i++) {
        char buf[96];
        numfmt_round(buf, sizeof buf, tick_value(t, i) / divisor, dec,
                     b->vf.style == NUMBER_THOUSANDS, b->vf.rounding, b->vf.minus);
        text_plain(b, &tb[i], buf, CHART_SMALL_PT, false, PANGO_ALIGN_LEFT);
        *maxw = fmax(*maxw, tb[i].w);
        *h = fmax(*h, tb[i].h);
    }
}

/* Left edge of tick label i under a horizontal value axis: centred on its
 * tick, kept inside the chart. */
double tick_left(const ticks *tk, const vaxis *a, double plot_x0, double avail_w, int i)
{
    double w = tk->tb[i].w;
    double x = plot_x0 + U(a, tick_value(&a->t, i)) - w / 2;
    return fmax(0, fmin(x, avail_w - w));
}

/* The axis title: "投资额（亿元）", "单位：亿元", "占比（%）" …; *title
 * NULL when there is none; false when out of memory. */
static bool axis_title(build *b, const char *unit, char **title)
{
    const char *name = (!b->completion && b->k == 1 && b->sname[0]) ? b->sname[0] : NULL;
    if (b->percent)
        *title = chart_strdup_printf("%s", "占比（%）");
    else if (unit && *unit && name && *name)
        *title = chart_strdup_printf("%s（%s）", name, unit);
    else if (unit && *unit)
        *title = chart_strdup_printf("单位：%s", unit);
    else if (name && *name)
        *title = chart_strdup_printf("%s", name);
    else
        return (*title = NULL), true;
    return *title != NULL;
}

/* Measures the axis title (an empty tbox when there is none). */
static bool axis_title_box(build *b, const ticks *tk, double maxw, tbox *tb)
{
    memset(tb, 0, sizeof *tb);
    char *title;
    if (!axis_title(b, tk->unit, &title))
        return false;
    if (title)
        text_wrap(b, tb, title, CHART_SMALL_PT, false, maxw, PANGO_ALIGN_LEFT, false, true);
    free(title);
    return true;
}

bool axis_title_height(build *b, const ticks *tk, double maxw, double *h)
{
    tbox tb;
    if (!axis_title_box(b, tk, maxw, &tb))
        return false;
    *h = tb.pl ? tb.h : 0;
    tbox_clear(&tb);
    return true;
}

bool emit_axis_title(build *b, const ticks *tk, double x, double y, bool right_align,
                     double maxw)
{
    tbox tb;
    if (!axis_title_box(b, tk, maxw, &tb))
        return false;
    if (!tb.pl)
        return true;
    if (right_align)
        x -= tb.w;
    if (x < 0)
        x = 0;
    add_text(b, CHART_TEXT_AXIS_TITLE, -1, &tb, x, y, false, b->th->muted);
    return true;
}
