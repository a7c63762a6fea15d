/*
 * chart_data.c — a chart's data as the layout reads it.
 *
 * Takes the spec's dataset; gives the rows in display order (sorted as
 * asked), their category labels, values and nulls, the series names and
 * colours, the number format of the value labels and the extent the value
 * axis must cover.  Guarantees: a null is never a zero (it is counted and
 * named for the warning); every value label is formatted whole, whatever
 * the length of the unit; false (with nothing kept) when out of memory.
 */
#include "chart/chart_build.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUTO_MAX_DEC 4

typedef struct sort_item {
    double key;
    bool null;
    size_t row;
    int dir;
} sort_item;

static int sort_cmp(const void *a, const void *b)
{
    const sort_item *x = a, *y = b;
    if (x->null != y->null)
        return x->null ? 1 : -1;           /* nulls last */
    if (!x->null && x->key != y->key)
        return (x->key < y->key ? -1 : 1) * x->dir;
    return x->row < y->row ? -1 : x->row > y->row;   /* stable */
}

static char *cell_label(const cell *c)
{
    if (c->kind == CELL_TEXT)
        return chart_strdup_printf("%s", c->text ? c->text : "");
    if (c->kind == CELL_NUMBER) {
        char buf[64];
        numfmt_fixed(buf, sizeof buf, c->number, numfmt_decimals_of(c->number, 4), false);
        return chart_strdup_printf("%s", buf);
    }
    return chart_strdup_printf("%s", "—");
}

/* The key a row sorts by: its value, its stack total or its completion
 * ratio; null when it has none. */
static sort_item sort_key(const build *b, size_t r)
{
    const chart_spec *s = b->spec;
    const dataset *d = s->data;
    double key = 0;
    bool null = true;
    if (b->completion) {
        const cell *p = dataset_cell(d, r, s->value_cols[0]);
        const cell *a = dataset_cell(d, r, s->value_cols[1]);
        if (a->kind == CELL_NUMBER) {
            null = false;
            key = (p->kind == CELL_NUMBER && p->number > 0) ? a->number / p->number : -INFINITY;
        }
    } else if (b->stacked) {
        for (size_t j = 0; j < b->k; j++) {
            const cell *c = dataset_cell(d, r, s->value_cols[j]);
            if (c->kind == CELL_NUMBER) {
                key += c->number;
                null = false;
            }
        }
    } else {
        const cell *c = dataset_cell(d, r, s->value_cols[0]);
        if (c->kind == CELL_NUMBER) {
            key = c->number;
            null = false;
        }
    }
    return (sort_item){.key = key, .null = null, .row = r,
                       .dir = s->sort == SORT_DESCENDING ? -1 : 1};
}

/* Counts a null and names the first six for the warning. */
static void note_null(build *b, size_t i, size_t j)
{
    const chart_spec *s = b->spec;
    b->nnull++;
    if (b->nnull <= 6) {
        if (b->nulls->len)
            g_string_append(b->nulls, ", ");
        if (b->k > 1)
            g_string_append_printf(b->nulls, "'%s'/'%s'", b->cat[i],
                                   s->data->columns[s->value_cols[j]]);
        else
            g_string_append_printf(b->nulls, "'%s'", b->cat[i]);
    } else if (b->nnull == 7) {
        g_string_append(b->nulls, ", …");
    }
}

/* Copies source row r to display row i. */
static bool copy_row(build *b, size_t i, size_t r)
{
    const chart_spec *s = b->spec;
    const dataset *d = s->data;
    size_t k = b->k;
    b->src[i] = (int)r;
    b->cat[i] = cell_label(dataset_cell(d, r, s->category_col));
    if (!b->cat[i])
        return false;
    for (size_t j = 0; j < k; j++) {
        const cell *c = dataset_cell(d, r, s->value_cols[j]);
        bool isnull = c->kind != CELL_NUMBER || !isfinite(c->number);
        b->nul[i * k + j] = isnull;
        b->val[i * k + j] = isnull ? 0 : c->number;
        /* completion: a missing plan is shown as "—" in the ratio, not as a gap */
        if (isnull && !(b->completion && j == 0))
            note_null(b, i, j);
    }
    return true;
}

static void chart_kind_of(build *b)
{
    const chart_spec *s = b->spec;
    b->completion = s->kind == CHART_COMPLETION;
    b->k = b->completion ? 2 : s->nvalues;
    if (b->k == 0)
        b->k = 1;
    b->n = s->data ? s->data->nrows : 0;
    /* one series stacked is a plain bar; in percent every bar is 100 % */
    b->percent = !b->completion && s->stacked == STACK_PERCENT;
    b->stacked = !b->completion && ((s->stacked == STACK_NORMAL && b->k > 1) || b->percent);
    b->grouped = !b->completion && !b->stacked && b->k > 1;
    b->threshold = s->threshold;
}

bool resolve_data(build *b)
{
    const chart_spec *s = b->spec;
    const dataset *d = s->data;
    chart_kind_of(b);
    size_t n = b->n, k = b->k;
    b->cat = calloc(n + 1, sizeof *b->cat);
    b->src = calloc(n + 1, sizeof *b->src);
    b->val = calloc(n * k + 1, sizeof *b->val);
    b->nul = calloc(n * k + 1, sizeof *b->nul);
    b->sname = calloc(k, sizeof *b->sname);
    b->scol = calloc(k, sizeof *b->scol);
    sort_item *items = calloc(n + 1, sizeof *items);
    if (!b->cat || !b->src || !b->val || !b->nul || !b->sname || !b->scol || !items) {
        free(items);
        return false;
    }
    for (size_t r = 0; r < n; r++)
        items[r] = sort_key(b, r);
    if (s->sort != SORT_NONE)
        qsort(items, n, sizeof *items, sort_cmp);
    for (size_t i = 0; i < n; i++)
        if (!copy_row(b, i, items[i].row)) {
            free(items);
            return false;
        }
    free(items);
    for (size_t j = 0; j < k; j++)
        b->sname[j] = (d && s->value_cols) ? d->columns[s->value_cols[j]] : "";
    chart_series_colors(s, b->th, k, b->completion, b->scol);
    return true;
}

void free_data(build *b)
{
    if (b->cat)
        for (size_t i = 0; i < b->n; i++)
            free(b->cat[i]);
    free(b->cat);
    free(b->src);
    free(b->val);
    free(b->nul);
    free(b->sname);
    free(b->scol);
}

/* Share of series j in row for percent stacks (of the sum of |values|). */
double share(const build *b, size_t row, size_t j)
{
    double sum = 0;
    for (size_t i = 0; i < b->k; i++)
        if (!N(b, row, i))
            sum += fabs(V(b, row, i));
    return sum > 0 ? V(b, row, j) / sum * 100.0 : 0;
}

static bool is_percent_unit(const char *u)
{
    return u && (strcmp(u, "%") == 0 || strcmp(u, "％") == 0);
}

/* Decimals v has in the data, as it will be printed (after 万/亿). */
static int value_decimals(const build *b, double v)
{
    const chart_spec *s = b->spec;
    if (s->number_format == NUMBER_CHINESE && !is_percent_unit(s->unit))
        return numfmt_decimals_of(numfmt_chinese_scaled(v, s->unit), 3);
    return numfmt_decimals_of(v, AUTO_MAX_DEC);
}

/* The value labels' least decimals: as asked, else the number most values
 * have, so 16.0 stands beside 12.5 (fmt_value adds more where a value's
 * own data has more: 0.0536 beside 3.5). */
static int least_decimals(build *b)
{
    const chart_spec *s = b->spec;
    if (b->percent)
        return s->decimals >= 0 ? s->decimals : 0;
    if (s->decimals >= 0)
        return s->decimals;
    b->auto_dec = true;
    int dec = 0;
    int count[AUTO_MAX_DEC + 1] = {0};
    for (size_t i = 0; i < b->n * b->k; i++)
        if (!b->nul[i])
            count[value_decimals(b, b->val[i])]++;
    for (int d = 0; d <= AUTO_MAX_DEC; d++)
        if (count[d] >= count[dec])
            dec = d;
    return dec;
}

/* Percent decimals for completion: the data's precision (make_marks adds
 * decimals to a ratio that would otherwise print as 100 % or as the
 * threshold it misses). */
static int completion_decimals(const build *b)
{
    const chart_spec *s = b->spec;
    int pd = s->decimals >= 0 ? s->decimals : 0;
    if (s->decimals < 0)
        for (size_t i = 0; i < b->n * 2; i++)
            if (!b->nul[i]) {
                int d = numfmt_decimals_of(b->val[i], 2);
                pd = d > pd ? d : pd;
            }
    return pd;
}

/* The extent the value axis covers: bars (stacked: their totals each way)
 * and reference lines, always including zero. */
static void data_extent(build *b)
{
    const chart_spec *s = b->spec;
    double lo = 0, hi = 0;
    for (size_t r = 0; r < b->n; r++) {
        if (b->stacked) {
            double pos = 0, neg = 0;
            for (size_t j = 0; j < b->k; j++) {
                if (N(b, r, j))
                    continue;
                double v = b->percent ? share(b, r, j) : V(b, r, j);
                if (v >= 0) pos += v; else neg += v;
            }
            hi = fmax(hi, pos);
            lo = fmin(lo, neg);
        } else {
            for (size_t j = 0; j < b->k; j++)
                if (!N(b, r, j)) {
                    hi = fmax(hi, V(b, r, j));
                    lo = fmin(lo, V(b, r, j));
                }
        }
    }
    if (b->percent)
        hi = fmin(hi, 100.0);
    for (size_t i = 0; i < s->nrefs; i++) {
        hi = fmax(hi, s->refs[i].value);
        lo = fmin(lo, s->refs[i].value);
    }
    b->dmin = lo;
    b->dmax = hi;
}

/* Number formats and the data extent. */
void resolve_numbers(build *b)
{
    const chart_spec *s = b->spec;
    b->vf.style = b->percent ? NUMBER_PLAIN : s->number_format;
    b->vf.unit = b->percent ? "%" : s->unit ? s->unit : "";
    b->vf.trim = false;
    b->vf.decimals = least_decimals(b);
    if (b->completion)
        b->pct_dec = completion_decimals(b);
    data_extent(b);
}

char *fmt_value(const build *b, double v, bool with_unit)
{
    numfmt f = b->vf;
    if (b->auto_dec) {
        int own = value_decimals(b, v);
        f.decimals = own > f.decimals ? own : f.decimals;
    }
    /* Without the unit a Chinese magnitude would change the meaning. */
    if (!with_unit && !is_percent_unit(f.unit) && f.style != NUMBER_CHINESE)
        f.unit = "";
    char buf[128];
    size_t len = numfmt_format(buf, sizeof buf, v, &f);
    char *s = malloc(len + 1);
    if (!s)
        return NULL;
    if (len < sizeof buf)
        memcpy(s, buf, len + 1);
    else
        numfmt_format(s, len + 1, v, &f);
    return s;
}
