/*
 * chart_legend.c — the legend.
 *
 * Takes the series (names, colours) and a width; gives a block of swatch +
 * name items laid out in rows (or one column on the right) with its size,
 * then emits it at the origin a driver hands it.  Guarantees: every
 * series name is shown whole, wrapped rather than cut.
 */
#include "chart/chart_build.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void legend_free(legend *lg)
{
    for (size_t i = 0; i < lg->n; i++)
        tbox_clear(&lg->tb[i]);
    lg->n = 0;
}

static void legend_item(build *b, legend *lg, const char *name, chart_rgb color, double maxw)
{
    lg->color[lg->n] = color;
    text_wrap_label(b, &lg->tb[lg->n], name, CHART_LABEL_PT, false, maxw, PANGO_ALIGN_LEFT, true);
    lg->n++;
}

/* The items: plan, actual and the warning colour of a completion chart;
 * else one per series when there are several. */
static void legend_items(build *b, legend *lg, double maxw, bool column)
{
    if (b->completion) {
        for (int j = 0; j < 2; j++)
            legend_item(b, lg, b->sname[j], b->scol[j], fmax(20, maxw - SWATCH - 3));
        if (b->any_warn) {
            char pct[64], buf[128];
            numfmt_percent_ex(pct, sizeof pct, b->threshold,
                              numfmt_decimals_of(b->threshold * 100.0, 2), &b->vf);
            snprintf(buf, sizeof buf, "完成率低于%s", pct);
            legend_item(b, lg, buf, b->th->warn, fmax(20, maxw - SWATCH - 3));
        }
    } else if (b->k > 1) {
        for (size_t j = 0; j < b->k && j < MAX_GROUP; j++)
            legend_item(b, lg, b->sname[j], b->scol[j],
                        fmax(20, fmin(maxw, column ? maxw : b->W * 0.6) - SWATCH - 3));
    }
}

/* Measures and arranges the legend for a block at most maxw wide. */
void legend_make(build *b, legend *lg, double maxw, bool column)
{
    legend_free(lg);
    memset(lg, 0, sizeof *lg);
    lg->right = column;
    if (b->spec->legend == LEGEND_NONE)
        return;
    legend_items(b, lg, maxw, column);
    if (!lg->n)
        return;
    double x = 0, y = 0, rowh = 0, w = 0;
    for (size_t i = 0; i < lg->n; i++) {
        double iw = SWATCH + 3 + lg->tb[i].w;
        if (column) {
            lg->x[i] = 0;
            lg->y[i] = y;
            y += lg->tb[i].h + 2;
            w = fmax(w, iw);
            continue;
        }
        if (x > 0 && x + iw > maxw) {
            x = 0;
            y += rowh + 2;
            rowh = 0;
        }
        lg->x[i] = x;
        lg->y[i] = y;
        x += iw + 12;
        rowh = fmax(rowh, lg->tb[i].h);
        w = fmax(w, x - 12);
    }
    lg->w = w;
    lg->h = column ? y - 2 : y + rowh;
}

void legend_emit(build *b, legend *lg, double x0, double y0)
{
    for (size_t i = 0; i < lg->n; i++) {
        double x = x0 + lg->x[i], y = y0 + lg->y[i];
        double first_line = lg->tb[i].h / (lg->tb[i].lines > 0 ? lg->tb[i].lines : 1);
        double sy = y + (first_line - SWATCH) / 2;
        add_shape(b, CHART_SHAPE_RECT, CHART_ROLE_SWATCH, CHART_LAYER_LEGEND, x, sy, x + SWATCH,
                  sy + SWATCH, lg->color[i]);
        chart_text *t = add_text(b, CHART_TEXT_LEGEND, (int)i, &lg->tb[i], x + SWATCH + 3, y,
                                 false, b->th->text);
        t->series = (int)i;
    }
}

/* The legend's place: as asked, except that a legend on the right of a
 * chart narrower than 70 mm would leave no room for the plot. */
legend_pos legend_position(build *b)
{
    legend_pos lp = b->spec->legend;
    bool has = b->completion || b->k > 1;
    if (lp == LEGEND_RIGHT && has && b->W < MM_TO_PT(70)) {
        if (!strstr(b->warn->str, "legend moved"))
            warnf(b, "legend moved from the right to the top: %.0f mm leave no room beside the plot",
                  b->W * 25.4 / 72);
        return LEGEND_TOP;
    }
    return lp;
}
