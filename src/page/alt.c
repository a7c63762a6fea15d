/*
 * alt.c — the alternative text of a chart or figure (the PDF's /Alt).
 *
 * Takes a chart or figure block; gives one sentence a screen reader says
 * in place of the picture: the author's "alt" if any; for a figure its
 * caption; for a chart its title and where its values peak and bottom out,
 * every number printed by the one formatter (util/numfmt) with the
 * chart's unit.
 */
#define _GNU_SOURCE
#include "page/layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/numfmt.h"

static int decimals_for(const chart_spec *c, double v)
{
    return c->decimals >= 0 ? c->decimals : numfmt_decimals_of(v, 2);
}

static const char *category(const dataset *d, size_t row, size_t col)
{
    const cell *k = dataset_cell(d, row, col);
    return k->kind == CELL_TEXT && k->text ? k->text : "";
}

/* The value a chart shows for row r: the first series, or a completion's
 * actual / plan; false when the cell is empty. */
static bool row_value(const chart_spec *c, size_t r, double *v)
{
    const dataset *d = c->data;
    const cell *a = dataset_cell(d, r, c->value_cols[c->kind == CHART_COMPLETION ? 1 : 0]);
    if (a->kind != CELL_NUMBER)
        return false;
    if (c->kind != CHART_COMPLETION) {
        *v = a->number;
        return true;
    }
    const cell *p = dataset_cell(d, r, c->value_cols[0]);
    if (p->kind != CELL_NUMBER || p->number == 0)
        return false;
    *v = a->number / p->number;
    return true;
}

static void format_value(const chart_spec *c, double v, char *buf, size_t size)
{
    if (c->kind == CHART_COMPLETION) {
        numfmt_percent(buf, size, v, 1);
        return;
    }
    size_t n = numfmt_fixed(buf, size, v, decimals_for(c, v), c->number_format == NUMBER_THOUSANDS);
    if (n < size && c->unit && *c->unit)
        snprintf(buf + n, size - n, "%s", c->unit);
}

static char *chart_alt(const chart_spec *c)
{
    const dataset *d = c->data;
    size_t hi = SIZE_MAX, lo = SIZE_MAX;
    double vhi = 0, vlo = 0;
    for (size_t r = 0; d && c->nvalues > 0 && r < d->nrows; r++) {
        double v;
        if (!row_value(c, r, &v))
            continue;
        if (hi == SIZE_MAX || v > vhi)
            hi = r, vhi = v;
        if (lo == SIZE_MAX || v < vlo)
            lo = r, vlo = v;
    }
    const char *title = c->title && *c->title ? c->title : "图表";
    char *out = NULL;
    int n;
    if (hi == SIZE_MAX) {
        n = asprintf(&out, "%s。", title);
    } else {
        char a[64], b[64];
        format_value(c, vhi, a, sizeof a);
        format_value(c, vlo, b, sizeof b);
        const char *what = c->kind == CHART_COMPLETION ? "完成率" : "";
        if (hi == lo)
            n = asprintf(&out, "%s：%s%s为%s。", title, category(d, hi, c->category_col), what, a);
        else
            n = asprintf(&out, "%s：%s最高的是%s（%s），最低的是%s（%s）。", title,
                         *what ? what : "数值", category(d, hi, c->category_col), a,
                         category(d, lo, c->category_col), b);
    }
    return n < 0 ? NULL : out;
}

char *block_alt_text(const block *b)
{
    if (b->alt && *b->alt)
        return strdup(b->alt);
    if (b->type == BLOCK_CHART && b->chart)
        return chart_alt(b->chart);
    if (b->caption && *b->caption)
        return strdup(b->caption);
    return strdup("图片");
}
