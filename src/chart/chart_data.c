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
    free(b->sdec);
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

/* Whether the chart prints in one 万/亿 magnitude (the Chinese style on
 * amounts; never on percentages). */
static bool uses_magnitude(const build *b)
{
    return b->vf.style == NUMBER_CHINESE && !b->percent && !is_percent_unit(b->vf.unit);
}

/* The chart's one magnitude, from the extent the axis covers (bars, stack
 * totals, reference lines): value labels and ticks share it, so 万元 never
 * stands beside 亿元. */
static void chart_magnitude(build *b)
{
    const chart_spec *s = b->spec;
    double ext[2] = {b->dmin, b->dmax};
    if (uses_magnitude(b)) {
        int dec = s->decimals >= 0 ? s->decimals : NUMFMT_AUTO_MAX_DECIMALS;
        numfmt_choose_magnitude(ext, NULL, 2, b->vf.unit, dec, &b->mag);
    } else {
        b->mag.divisor = 1;   /* and the unit is vf.unit, whatever its length */
        b->mag.unit[0] = '\0';
    }
}

const char *chart_unit(const build *b)
{
    return uses_magnitude(b) ? b->mag.unit : b->vf.unit ? b->vf.unit : "";
}

/* Decimals of series j: as asked, else the fewest that print every value
 * of the series exactly as written (at most NUMFMT_AUTO_MAX_DECIMALS), so
 * 28.60 stands beside 10.85; col and skip are scratch arrays of n. */
static int series_decimals(const build *b, size_t j, double *col, bool *skip)
{
    const chart_spec *s = b->spec;
    if (s->decimals >= 0)
        return s->decimals;
    if (s->series_decimals && j < s->nvalues && s->series_decimals[j] >= 0)
        return s->series_decimals[j];     /* the dataset's "decimals" for the column */
    for (size_t i = 0; i < b->n; i++) {
        col[i] = V(b, i, j);
        skip[i] = N(b, i, j);
    }
    return numfmt_series_decimals(col, skip, b->n, b->mag.divisor, NUMFMT_AUTO_MAX_DECIMALS);
}

/* Decimals of the series (sdec) and of stack totals (tot_dec: a sum of
 * values written with d decimals has at most d); percent stacks print
 * shares, 0 decimals unless asked.  False when out of memory. */
static bool label_decimals(build *b)
{
    const chart_spec *s = b->spec;
    b->tot_dec = 0;
    if (b->percent) {
        for (size_t j = 0; j < b->k; j++)
            b->sdec[j] = s->decimals >= 0 ? s->decimals : 0;
        b->tot_dec = b->sdec[0];
        return true;
    }
    double *col = malloc((b->n + 1) * sizeof *col);
    bool *skip = malloc((b->n + 1) * sizeof *skip);
    if (!col || !skip) {
        free(col);
        free(skip);
        return false;
    }
    for (size_t j = 0; j < b->k; j++) {
        b->sdec[j] = series_decimals(b, j, col, skip);
        b->tot_dec = b->sdec[j] > b->tot_dec ? b->sdec[j] : b->tot_dec;
    }
    free(col);
    free(skip);
    return true;
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

/* Number formats (rounding and minus from the spec), the data extent, the
 * chart's magnitude and the decimals of each series; false when out of
 * memory. */
bool resolve_numbers(build *b)
{
    const chart_spec *s = b->spec;
    b->vf = (numfmt)NUMFMT_DEFAULTS;
    b->vf.style = b->percent ? NUMBER_PLAIN : s->number_format;
    b->vf.unit = b->percent ? "%" : s->unit ? s->unit : "";
    b->vf.rounding = s->rounding == 1 ? NUMFMT_HALF_EVEN : NUMFMT_HALF_AWAY;
    b->vf.minus = s->minus_hyphen ? NUMFMT_MINUS_HYPHEN : NUMFMT_MINUS_SIGN;
    if (b->completion)
        b->pct_dec = completion_decimals(b);
    data_extent(b);
    chart_magnitude(b);
    b->sdec = calloc(b->k + 1, sizeof *b->sdec);
    if (!b->sdec || !label_decimals(b))
        return false;
    b->vf.decimals = b->sdec[0];
    return true;
}

/* The decimals of a value label of series (-1: a stack total or a
 * completion's actual; -2: a reference line). */
static int decimals_for(const build *b, double v, int series)
{
    if (series >= 0 && (size_t)series < b->k)
        return b->sdec[series];
    if (series == -1)
        return b->completion ? b->sdec[1] : b->tot_dec;
    if (b->spec->decimals >= 0)
        return b->spec->decimals;
    /* a reference reads like the bars it is compared with (目标 15.0 beside
     * 12.3), with more decimals only where its own value needs them */
    int own = numfmt_series_decimals(&v, NULL, 1, b->mag.divisor, NUMFMT_AUTO_MAX_DECIMALS);
    int bars = b->stacked ? b->tot_dec : b->completion ? b->sdec[1] : b->sdec[0];
    return own > bars ? own : bars;
}

size_t chart_number(const build *b, char *buf, size_t size, double v, int decimals,
                    bool with_unit)
{
    numfmt f = b->vf;
    f.decimals = decimals;
    if (uses_magnitude(b))   /* the magnitude is part of the number: always written */
        return numfmt_format_magnitude(buf, size, v, &f, &b->mag, true);
    size_t len = numfmt_round(buf, size, v, decimals, f.style == NUMBER_THOUSANDS, f.rounding,
                              f.minus);
    const char *unit = f.unit ? f.unit : "";
    if (with_unit || is_percent_unit(unit)) {
        size_t ul = strlen(unit);
        if (len + ul < size)
            memcpy(buf + len, unit, ul + 1);
        len += ul;
    }
    return len;
}

char *fmt_value(const build *b, double v, int series, bool with_unit)
{
    int dec = decimals_for(b, v, series);
    char buf[128];
    size_t len = chart_number(b, buf, sizeof buf, v, dec, with_unit);
    char *s = malloc(len + 1);
    if (!s)
        return NULL;
    if (len < sizeof buf)
        memcpy(s, buf, len + 1);
    else
        chart_number(b, s, len + 1, v, dec, with_unit);
    return s;
}
