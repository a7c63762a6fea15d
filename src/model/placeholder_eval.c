/*
 * placeholder_eval.c — one reference to its value: finds the dataset,
 * column and row through the resolver, computes sum/count/max/min/share/
 * ratio, applies the format override.
 *
 * Gives a ph_value (number, unit, decimals) for the one number formatter,
 * or an error placed at the offending name, with suggestions.  Guarantees:
 * nothing is printed here; a text cell where a number is needed, a zero
 * divisor, units that do not convert are errors, never NaN.
 */
#define _POSIX_C_SOURCE 200809L
#include "model/placeholder_internal.h"
#include "input/json.h"
#include "util/numfmt.h"
#include "validate/validate.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* evaluation                                                          */

static const char *const *names_of(const ph_resolver *r, ph_names_kind k, size_t *n)
{
    *n = 0;
    const char *const *v = r->names ? r->names(r->ctx, k, n) : NULL;
    if (!v)
        *n = 0;
    return v;
}

typedef struct column_ref {
    const dataset *ds;
    const ph_column_format *formats;
    size_t col;            /* NONE for count(DATASET) */
} column_ref;

static bool find_dataset(const ph_resolver *r, const ph_name *n, column_ref *c, ph_error *e)
{
    c->formats = NULL;
    c->ds = r->dataset ? r->dataset(r->ctx, n->s, &c->formats) : NULL;
    if (c->ds)
        return true;
    size_t count;
    const char *const *names = names_of(r, PH_NAMES_DATASETS, &count);
    strbuf m = {0};
    sb_puts(&m, "unknown dataset ");
    ph_quoted(&m, n->s);
    ph_suggest(&m, n->s, names, count, "datasets", "", "");
    return ph_fail_with(e, n->off, strlen(n->s), &m);
}

static bool find_column(const ph_name *n, column_ref *c, ph_error *e)
{
    for (size_t i = 0; i < c->ds->ncols; i++)
        if (strcmp(c->ds->columns[i], n->s) == 0) {
            c->col = i;
            return true;
        }
    strbuf m = {0};
    sb_puts(&m, "unknown column ");
    ph_quoted(&m, n->s);
    sb_puts(&m, " in dataset ");
    ph_quoted(&m, c->ds->name ? c->ds->name : "");
    ph_suggest(&m, n->s, (const char *const *)c->ds->columns, c->ds->ncols, "columns", "", "");
    return ph_fail_with(e, n->off, strlen(n->s), &m);
}

/* The category of row i as text ("" for null); numbers as %.15g. */
static const char *category(const dataset *d, size_t row, char *buf, size_t size)
{
    const cell *x = dataset_cell(d, row, 0);
    if (x->kind == CELL_TEXT)
        return x->text;
    if (x->kind == CELL_NUMBER) {
        snprintf(buf, size, "%.15g", x->number);
        return buf;
    }
    return "";
}

static bool unknown_row(const ph_name *n, const column_ref *c, ph_error *e)
{
    size_t k = 0;
    const char **cats = malloc((c->ds->nrows ? c->ds->nrows : 1) * sizeof *cats);
    if (!cats)
        return ph_fail_oom(e, "looking for a row");
    for (size_t i = 0; i < c->ds->nrows; i++)
        if (dataset_cell(c->ds, i, 0)->kind == CELL_TEXT)
            cats[k++] = dataset_cell(c->ds, i, 0)->text;
    strbuf m = {0};
    sb_puts(&m, "no row ");
    ph_quoted(&m, n->s);
    sb_puts(&m, " in dataset ");
    ph_quoted(&m, c->ds->name ? c->ds->name : "");
    sb_printf(&m, " (rows are found by their first column, %s)", c->ds->columns[0]);
    ph_suggest(&m, n->s, cats, k, "rows", "", "");
    free(cats);
    return ph_fail_with(e, n->off, strlen(n->s), &m);
}

size_t ph_scan_rows(const dataset *d, const char *name, size_t *again)
{
    size_t found = NONE;
    *again = NONE;
    for (size_t i = 0; i < d->nrows; i++) {
        char buf[32];
        if (strcmp(category(d, i, buf, sizeof buf), name) != 0)
            continue;
        if (found != NONE) {
            *again = i;
            break;
        }
        found = i;
    }
    return found;
}

static bool find_row(const ph_resolver *r, const ph_name *n, const column_ref *c, size_t *row,
                     ph_error *e)
{
    size_t again;
    size_t found = r->row ? r->row(r->ctx, c->ds, n->s, &again) : ph_scan_rows(c->ds, n->s, &again);
    if (found == NONE)
        return unknown_row(n, c, e);
    if (again != NONE)
        return ph_fail(e, n->off, strlen(n->s), "rows %zu and %zu of dataset \"%s\" are both "
                    "called \"%s\" (a row reference needs a unique category)",
                    (found < again ? found : again) + 1, (found < again ? again : found) + 1,
                    c->ds->name ? c->ds->name : "", n->s);
    *row = found;
    return true;
}

int ph_column_decimals(const dataset *d, size_t col)
{
    int decimals = 0;
    for (size_t i = 0; d && col < d->ncols && i < d->nrows; i++) {
        const cell *x = dataset_cell(d, i, col);
        if (x->kind == CELL_NUMBER) {
            int k = numfmt_decimals_of(x->number, NUMFMT_MAX_DECIMALS);
            decimals = k > decimals ? k : decimals;
        }
    }
    return decimals;
}

static bool declared_decimals(const column_ref *c)
{
    return c->formats && c->formats[c->col].decimals >= 0;
}

static void column_format(const column_ref *c, const char **unit, int *decimals)
{
    const ph_column_format *f = c->formats ? &c->formats[c->col] : NULL;
    *unit = f && f->unit ? f->unit : "";
    *decimals = f ? f->decimals : -1;
    if (*decimals < 0)
        *decimals = ph_column_decimals(c->ds, c->col);
}

static void cell_label(strbuf *m, const ph_arg *a)
{
    sb_printf(m, "%s.%s[%s]", a->dataset.s, a->column.s, a->row.s);
}

static bool eval_cell(const ph_arg *a, const ph_resolver *r, bool text_ok, ph_value *v, ph_error *e)
{
    column_ref c = {0};
    size_t row = 0;
    if (!find_dataset(r, &a->dataset, &c, e) || !find_column(&a->column, &c, e) ||
        !find_row(r, &a->row, &c, &row, e))
        return false;
    const cell *x = dataset_cell(c.ds, row, c.col);
    column_format(&c, &v->unit, &v->decimals);
    if (x->kind == CELL_NUMBER) {
        v->number = x->number;
        /* One cell reads exactly as its table cell does (src/page/table.c):
         * the declared decimals, else the fewest that show it as written. */
        if (!declared_decimals(&c))
            v->decimals = numfmt_series_decimals(&x->number, NULL, 1, 1, NUMFMT_AUTO_MAX_DECIMALS);
        return true;
    }
    if (x->kind == CELL_TEXT && text_ok) {
        v->is_text = true;
        v->text = x->text;
        return true;
    }
    strbuf m = {0};
    sb_puts(&m, "the cell ");
    cell_label(&m, a);
    sb_puts(&m, x->kind == CELL_TEXT ? " is text, " : " is empty, ");
    sb_puts(&m, "and a number is needed here");
    return ph_fail_with(e, a->off, 0, &m);
}

static bool eval_column(const ph_arg *a, const ph_resolver *r, ph_value *v, ph_error *e)
{
    column_ref c = {.col = NONE};
    if (!find_dataset(r, &a->dataset, &c, e))
        return false;
    if (a->column.s && !find_column(&a->column, &c, e))
        return false;
    if (a->kind == PH_COUNT) {
        size_t n = 0;
        for (size_t i = 0; i < c.ds->nrows; i++)
            n += c.col == NONE || dataset_cell(c.ds, i, c.col)->kind != CELL_NULL;
        v->number = (double)n;
        v->unit = "";
        v->decimals = 0;
        return true;
    }
    size_t numbers = 0;
    double acc = a->kind == PH_SUM ? 0 : NAN;
    for (size_t i = 0; i < c.ds->nrows; i++) {
        const cell *x = dataset_cell(c.ds, i, c.col);
        if (x->kind == CELL_TEXT) {
            strbuf m = {0};
            sb_printf(&m, "%s() needs numbers, but column ", ph_function_name(a->kind));
            ph_quoted(&m, a->column.s);
            sb_printf(&m, " holds text (row %zu: ", i + 1);
            ph_quoted(&m, x->text);
            sb_puts(&m, ")");
            return ph_fail_with(e, a->column.off, strlen(a->column.s), &m);
        }
        if (x->kind != CELL_NUMBER)
            continue;
        numbers++;
        if (a->kind == PH_SUM)
            acc += x->number;
        else if (isnan(acc) || (a->kind == PH_MAX ? x->number > acc : x->number < acc))
            acc = x->number;
    }
    if (numbers == 0)
        return ph_fail(e, a->column.off, strlen(a->column.s), "%s() of column \"%s\": the column "
                    "has no numbers", ph_function_name(a->kind), a->column.s);
    v->number = acc;
    column_format(&c, &v->unit, &v->decimals);
    return true;
}

static bool eval_arg(const ph_arg *a, const ph_resolver *r, bool text_ok, ph_value *v, ph_error *e)
{
    memset(v, 0, sizeof *v);
    v->unit = "";
    return a->kind == PH_CELL ? eval_cell(a, r, text_ok, v, e) : eval_column(a, r, v, e);
}

/* x in unit `from` re-expressed in unit `to`; false if they differ in more
 * than a 万/亿 magnitude. */
static bool convert(double x, const char *from, const char *to, double *out, int *shift)
{
    const char *rf, *rt;
    double mf = numfmt_unit_prefix(from, &rf), mt = numfmt_unit_prefix(to, &rt);
    if (strcmp(rf, rt) != 0)
        return false;
    *out = x * mf / mt;
    *shift = (int)lround(log10(mt / mf));
    return true;
}

static bool eval_share(const ph_part *p, const ph_resolver *r, ph_value *v, ph_error *e)
{
    ph_value cellv, sum;
    ph_arg col = p->a;
    col.kind = PH_SUM;
    if (!eval_arg(&p->a, r, false, &cellv, e) || !eval_arg(&col, r, false, &sum, e))
        return false;
    if (sum.number == 0)
        return ph_fail(e, p->a.off, 0, "share() of a column whose sum is 0");
    memset(v, 0, sizeof *v);
    v->number = cellv.number / sum.number * 100;
    v->unit = "%";
    v->decimals = 1;
    return true;
}

static bool eval_ratio(const ph_part *p, const ph_resolver *r, ph_value *v, ph_error *e)
{
    ph_value a, b;
    if (!eval_arg(&p->a, r, false, &a, e) || !eval_arg(&p->b, r, false, &b, e))
        return false;
    double bb;
    int shift;
    if (!convert(b.number, b.unit, a.unit, &bb, &shift))
        return ph_fail(e, p->b.off, 0, "ratio() of values in different units (A is in \"%s\", B in "
                    "\"%s\"; only 万/亿 magnitudes of one unit convert)", a.unit, b.unit);
    if (bb == 0)
        return ph_fail(e, p->b.off, 0, "ratio() with B = 0 (division by zero)");
    memset(v, 0, sizeof *v);
    v->number = a.number / bb * 100;
    v->unit = "%";
    v->decimals = 2;
    return true;
}

static bool eval_text(const ph_part *p, const ph_resolver *r, ph_value *v, ph_error *e)
{
    memset(v, 0, sizeof *v);
    v->is_text = true;
    v->unit = "";
    const char *name = p->name.s;
    if (p->kind == PH_BUILTIN) {
        v->text = r->builtin ? r->builtin(r->ctx, name) : NULL;
        if (!v->text)
            return ph_fail(e, p->off, p->len, "{%s} has no value in this field", name);
        return true;
    }
    bool var = p->kind == PH_VAR;
    v->text = var ? (r->var ? r->var(r->ctx, name) : NULL) : (r->ref ? r->ref(r->ctx, name) : NULL);
    if (v->text)
        return true;
    size_t count;
    const char *const *names = names_of(r, var ? PH_NAMES_VARS : PH_NAMES_REFS, &count);
    strbuf m = {0};
    sb_puts(&m, var ? "unknown variable " : "unknown chart or table id ");
    ph_quoted(&m, name);
    if (var && count == 0)
        sb_printf(&m, " (no variables are defined; add \"vars\": {\"%s\": \"…\"} or "
                  "--var %s=VALUE)", name, name);
    else if (!var && count == 0)
        sb_puts(&m, " (no chart or table has an \"id\", or numbering is off: set \"style\": "
                    "{\"numbering\": true})");
    else
        ph_suggest(&m, name, names, count, var ? "variables" : "ids", var ? "var." : "ref:", "");
    return ph_fail_with(e, p->name.off, strlen(name), &m);
}

/* The format override: another magnitude of the unit, decimals. */
static bool apply_format(const ph_part *p, ph_value *v, ph_error *e)
{
    if (p->unit) {
        double x;
        int shift;
        if (!convert(v->number, v->unit, p->unit, &x, &shift))
            return ph_fail(e, p->format_off, p->len - (p->format_off - p->off) - 1, "cannot write a "
                        "value in \"%s\" as \"%s\" (a format's unit changes only the 万/亿 "
                        "magnitude, such as 万元 → 亿元)", v->unit, p->unit);
        v->number = x;
        v->unit = p->unit;
        int d = v->decimals + shift;
        v->decimals = d < 0 ? 0 : d > NUMFMT_MAX_DECIMALS ? NUMFMT_MAX_DECIMALS : d;
        v->trim = shift > 0;
    }
    if (p->decimals >= 0) {
        v->decimals = p->decimals;
        v->trim = false;
    }
    return true;
}

bool ph_eval(const ph_part *p, const ph_resolver *r, ph_value *v, ph_error *e)
{
    memset(e, 0, sizeof *e);
    bool ok;
    switch (p->kind) {
    case PH_LITERAL:
        memset(v, 0, sizeof *v);
        v->is_text = true;
        v->text = p->text;
        v->unit = "";
        return true;
    case PH_BUILTIN: case PH_VAR: case PH_REF:
        return eval_text(p, r, v, e);
    case PH_SHARE:
        ok = eval_share(p, r, v, e);
        break;
    case PH_RATIO:
        ok = eval_ratio(p, r, v, e);
        break;
    default:
        ok = eval_arg(&p->a, r, p->kind == PH_CELL, v, e);
        if (ok && v->is_text && (p->unit || p->decimals >= 0))
            return ph_fail(e, p->format_off, 1, "a format applies only to numbers, and the cell "
                        "%s.%s[%s] is text", p->a.dataset.s, p->a.column.s, p->a.row.s);
    }
    return ok && (v->is_text || apply_format(p, v, e));
}

bool ph_check(const ph_list *l, const ph_resolver *r, ph_error *err)
{
    ph_value v;
    for (size_t i = 0; i < l->n; i++)
        if (!ph_eval(&l->parts[i], r, &v, err))
            return false;
    return true;
}
