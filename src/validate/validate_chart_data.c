/*
 * validate_chart_data.c — what a chart block says about its data: the
 * dataset (by name or inline), the category and value columns, and the
 * cells those columns hold.
 *
 * Takes a chart block whose kind is known; gives the chart's dataset and
 * column indexes.  Guarantees: every column a chart names exists and is not
 * the category; value cells are numbers (or null), category cells are not
 * null, completion amounts are not negative — each column checked once per
 * role however many charts use it.
 */
#define _POSIX_C_SOURCE 200809L
#include "validate/validate_internal.h"
#include "util/numfmt.h"

#include <stdlib.h>
#include <string.h>

/* "dataset "x" not found (did you mean "y"? datasets: a, b, …)" */
static verdict dataset_not_found(vctx *v, const char *name)
{
    brief_doc *d = v->doc;
    strbuf m = {0};
    sb_puts(&m, "dataset ");
    json_quote(&m, name, strlen(name));
    sb_puts(&m, " not found (");
    if (d->ndatasets == 0) {
        sb_puts(&m, "no datasets are defined; add it under \"data\")");
        return v_fail_built(v, &m);
    }
    const char **names = malloc(d->ndatasets * sizeof *names);
    if (!names) {
        sb_free(&m);
        return V_STOP;
    }
    size_t n = 0;
    for (size_t i = 0; i < d->ndatasets; i++)
        if (d->datasets[i].name)
            names[n++] = d->datasets[i].name;
    const char *s = suggest_name(name, names, n);
    if (s) {
        sb_puts(&m, "did you mean ");
        json_quote(&m, s, strlen(s));
        sb_puts(&m, "? ");
    }
    sb_puts(&m, "datasets: ");
    v_list_names(&m, names, n > 10 ? 10 : n, false, ", ");
    sb_puts(&m, n > 10 ? ", …)" : ")");
    free(names);
    return v_fail_built(v, &m);
}

static verdict find_dataset(vctx *v, chart_ctx *cc, const char *name, bool *usable)
{
    brief_doc *d = v->doc;
    if (!v->datasets_indexed) {
        for (size_t i = 0; i < d->ndatasets; i++)
            PASS(v_names_add(&v->datasets_by_name, d->datasets[i].name, i));
        v->datasets_indexed = true;
    }
    size_t i;
    if (v_names_find(&v->datasets_by_name, name, &i)) {
        cc->c->data = &d->datasets[i];
        cc->state = &v->states[i];
        *usable = v->states[i].usable;
        return V_FINE;
    }
    if (v_muted(v))
        return V_WRONG;
    return dataset_not_found(v, name);
}

static verdict inline_dataset(vctx *v, chart_ctx *cc, const cJSON *d, bool *usable)
{
    dataset *ds = v_alloc(1, sizeof *ds);
    NEED(ds);
    cc->c->inline_data = ds;
    cc->c->data = ds;
    NEED(ds->name = v_dup(""));
    NEED(ds->json_path = v_dup(v_here(v)));
    return validate_dataset(v, d, ds, &cc->inline_state.bad_cells, usable);
}

verdict v_read_chart_data(vctx *v, chart_ctx *cc, bool *usable)
{
    const cJSON *d = v_get(cc->j, "data");
    *usable = false;
    if (!d)
        return v_require(v, cc->j, "data", cc->allowed,
                       "missing required key \"data\" (expected a dataset name or an object "
                       "with \"columns\" and \"rows\")");
    size_t mark;
    PASS(v_enter_key(v, "data", &mark));
    verdict r;
    cc->state = &cc->inline_state;
    if (cJSON_IsString(d))
        r = find_dataset(v, cc, d->valuestring, usable);
    else if (cJSON_IsObject(d))
        r = inline_dataset(v, cc, d, usable);
    else
        r = v_wrong_type(v, "a dataset name or an object with \"columns\" and \"rows\"", d);
    v_leave(v, mark);
    return r;
}

static verdict column_not_found(vctx *v, const dataset *ds, const char *name)
{
    strbuf m = {0};
    sb_puts(&m, "column ");
    json_quote(&m, name, strlen(name));
    if (ds->name && *ds->name) {
        sb_puts(&m, " not found in dataset ");
        json_quote(&m, ds->name, strlen(ds->name));
    } else {
        sb_puts(&m, " not found in the chart's data");
    }
    sb_puts(&m, " (");
    const char *s = suggest_name(name, (const char *const *)ds->columns, ds->ncols);
    if (s) {
        sb_puts(&m, "did you mean ");
        json_quote(&m, s, strlen(s));
        sb_puts(&m, "? ");
    }
    sb_puts(&m, "columns: ");
    v_list_columns(&m, ds);
    sb_puts(&m, ")");
    return v_fail_built(v, &m);
}

verdict v_find_column(vctx *v, const chart_ctx *cc, const cJSON *j, size_t *col)
{
    if (!cJSON_IsString(j)) {
        PASS(v_wrong_type(v, "a column name", j));
        return V_WRONG;
    }
    const dataset *ds = cc->c->data;
    for (size_t i = 0; i < ds->ncols; i++)
        if (strcmp(ds->columns[i], j->valuestring) == 0) {
            *col = i;
            return V_FINE;
        }
    if (v_muted(v))
        return V_WRONG;
    return column_not_found(v, ds, j->valuestring);
}

/* V_WRONG (after reporting) when col, found, is the category column. */
static verdict not_the_category(vctx *v, const chart_ctx *cc, size_t col, verdict found)
{
    if (found != V_FINE || col != cc->c->category_col)
        return found;
    const char *name = cc->c->data->columns[col];
    strbuf q = {0};
    json_quote(&q, name, strlen(name));
    verdict r = q.failed ? V_STOP
              : v_fail(v, "column %s is the category (expected a column of numbers)", q.s);
    sb_free(&q);
    return r;
}

/* A member naming one column; the path is at the member while checking.
 * Without `what` the member is optional (absent: V_FINE). */
static verdict read_column(vctx *v, const chart_ctx *cc, const char *key, const char *what,
                           bool value, size_t *col)
{
    const cJSON *j = v_get(cc->j, key);
    if (!j) {
        if (!what)
            return V_FINE;
        PASS(v_require(v, cc->j, key, cc->allowed, "missing required key \"%s\" (%s)", key, what));
        return V_WRONG;
    }
    size_t mark;
    PASS(v_enter_key(v, key, &mark));
    verdict r = v_find_column(v, cc, j, col);
    if (value)
        r = not_the_category(v, cc, *col, r);
    v_leave(v, mark);
    return r;
}

static bool has_number(const dataset *ds, size_t col)
{
    for (size_t r = 0; r < ds->nrows; r++)
        if (dataset_cell(ds, r, col)->kind == CELL_NUMBER)
            return true;
    return false;
}

static bool is_line_col(const chart_spec *c, size_t col)
{
    for (size_t i = 0; i < c->nlines; i++)
        if (c->line_cols[i] == col)
            return true;
    return false;
}

/* A column the default "values" takes: numbers, not the category, not a
 * line's. */
static bool default_value_col(const chart_spec *c, size_t col)
{
    return col != c->category_col && has_number(c->data, col) && !is_line_col(c, col);
}

/* Without "values": every other column that holds a number (a pie: the
 * one such column). */
static verdict default_values(vctx *v, chart_ctx *cc)
{
    chart_spec *c = cc->c;
    const dataset *ds = c->data;
    size_t n = 0;
    for (size_t col = 0; col < ds->ncols; col++)
        n += default_value_col(c, col);
    if (n == 0)
        return v_fail(v, "no column of numbers to chart (expected \"values\": [column names])");
    if (n > MAX_SERIES)
        return v_fail(v, "%zu columns of numbers (a chart shows at most %d; choose them with \"values\")",
                    n, MAX_SERIES);
    if (c->kind == CHART_PIE && n > 1)
        return v_fail(v, "%zu columns of numbers (a pie shows one; choose it with \"values\": "
                      "[column])", n);
    NEED(c->value_cols = v_alloc(n, sizeof(size_t)));
    for (size_t col = 0; col < ds->ncols; col++)
        if (default_value_col(c, col))
            c->value_cols[c->nvalues++] = col;
    return V_FINE;
}

/* found, or a report when column col of e already stands at cols[k < i]
 * of the list `key`. */
static verdict not_listed_before(vctx *v, const cJSON *e, const size_t *cols, size_t i,
                                 size_t col, const char *key, verdict found)
{
    for (size_t k = 0; found == V_FINE && k < i; k++)
        if (cols[k] == col) {
            strbuf q = {0};
            json_quote(&q, e->valuestring, strlen(e->valuestring));
            found = q.failed ? V_STOP
                  : v_fail(v, "column %s is listed twice (first at %s[%zu])", q.s, key, k);
            sb_free(&q);
        }
    return found;
}

/* With the path at values[i]: its column, reported when listed twice. */
static verdict value_column(vctx *v, chart_ctx *cc, const cJSON *e, size_t i, size_t *col)
{
    chart_spec *c = cc->c;
    verdict found = v_find_column(v, cc, e, col);
    found = not_the_category(v, cc, *col, found);
    found = not_listed_before(v, e, c->value_cols, i, *col, "values", found);
    if (found == V_FINE && is_line_col(c, *col)) {
        strbuf q = {0};
        json_quote(&q, e->valuestring, strlen(e->valuestring));
        found = q.failed ? V_STOP
              : v_fail(v, "column %s is drawn as a line (listed in \"lines\"); a column is either "
                       "a bar or a line", q.s);
        sb_free(&q);
    }
    return found;
}

/* With the path at lines[i]: its column, reported when listed twice. */
static verdict line_column(vctx *v, chart_ctx *cc, const cJSON *e, size_t i, size_t *col)
{
    verdict found = v_find_column(v, cc, e, col);
    found = not_the_category(v, cc, *col, found);
    return not_listed_before(v, e, cc->c->line_cols, i, *col, "lines", found);
}

typedef verdict (*column_reader)(vctx *v, chart_ctx *cc, const cJSON *e, size_t i, size_t *col);

/* The n columns named by array j, each read by `one` with the path at its
 * index, into *cols (allocated here); *count is set only when all are. */
static verdict column_list(vctx *v, chart_ctx *cc, const cJSON *j, int n, column_reader one,
                           size_t **cols, size_t *count)
{
    NEED(*cols = v_alloc((size_t)n, sizeof(size_t)));
    verdict all = V_FINE;
    size_t i = 0;
    for (const cJSON *e = j->child; e; e = e->next, i++) {
        size_t m, col = 0;
        PASS(v_enter_index(v, i, &m));
        verdict r = one(v, cc, e, i, &col);
        v_leave(v, m);
        PASS(r);
        if (r != V_FINE)
            all = V_WRONG;
        (*cols)[i] = col;
    }
    if (all == V_FINE)
        *count = (size_t)n;
    return all;
}

static verdict read_values(vctx *v, chart_ctx *cc)
{
    const cJSON *j = v_get(cc->j, "values");
    if (!j)
        return default_values(v, cc);
    size_t mark;
    PASS(v_enter_key(v, "values", &mark));
    verdict r;
    int n = cJSON_IsArray(j) ? cJSON_GetArraySize(j) : -1;
    if (n < 0)
        r = v_wrong_type(v, "an array of column names", j);
    else if (n == 0)
        r = v_fail(v, "no value columns (expected 1 to %d column names)", MAX_SERIES);
    else if (n > MAX_SERIES)
        r = v_fail(v, "%d value columns (at most %d)", n, MAX_SERIES);
    else if (cc->kind == CHART_PIE && n > 1)
        r = v_fail(v, "%d value columns (a pie shows the shares of one column)", n);
    else
        r = column_list(v, cc, j, n, value_column, &cc->c->value_cols, &cc->c->nvalues);
    v_leave(v, mark);
    return r;
}

static verdict completion_columns(vctx *v, chart_ctx *cc, bool category_ok, bool *ok)
{
    chart_spec *c = cc->c;
    size_t plan = 0, actual = 0;
    verdict p = read_column(v, cc, "plan", "the column with the planned amounts", true, &plan);
    PASS(p);
    verdict a = read_column(v, cc, "actual", "the column with the completed amounts", true, &actual);
    PASS(a);
    if (!category_ok || p != V_FINE || a != V_FINE)
        return V_FINE;
    NEED(c->value_cols = v_alloc(2, sizeof(size_t)));
    c->value_cols[0] = plan;
    c->value_cols[1] = actual;
    c->nvalues = 2;
    *ok = true;
    return V_FINE;
}

/* "lines": a bar chart's columns drawn as lines on a right axis (1 to 4). */
static verdict read_lines(vctx *v, chart_ctx *cc)
{
    const cJSON *j = v_get(cc->j, "lines");
    if (!j)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, "lines", &mark));
    verdict r;
    int n = cJSON_IsArray(j) ? cJSON_GetArraySize(j) : -1;
    if (n < 0)
        r = v_wrong_type(v, "an array of column names", j);
    else if (n == 0)
        r = v_fail(v, "no line columns (expected 1 to 4 column names, or leave \"lines\" out)");
    else if (n > 4)
        r = v_fail(v, "%d line columns (at most 4)", n);
    else
        r = column_list(v, cc, j, n, line_column, &cc->c->line_cols, &cc->c->nlines);
    v_leave(v, mark);
    return r;
}

verdict v_read_chart_columns(vctx *v, chart_ctx *cc, bool *ok)
{
    chart_spec *c = cc->c;
    *ok = false;
    verdict category = read_column(v, cc, "category", NULL, false, &c->category_col);
    PASS(category);
    bool category_ok = category == V_FINE;   /* absent: the first column */
    if (!category_ok)
        c->category_col = SIZE_MAX;   /* matches no column: the other checks go on */
    if (cc->kind == CHART_COMPLETION)
        return completion_columns(v, cc, category_ok, ok);
    verdict lines = V_FINE;
    if (cc->kind == CHART_BAR)
        PASS(lines = read_lines(v, cc));
    if (!category_ok && !v_get(cc->j, "values"))
        return V_FINE;
    verdict values = read_values(v, cc);
    PASS(values);
    *ok = values == V_FINE && lines == V_FINE && category_ok;
    return V_FINE;
}

/* ------------------------------------------------------------------ */
/* cells                                                               */

static verdict cell_path(strbuf *p, const dataset *ds, size_t r, size_t col)
{
    sb_truncate(p, 0);
    sb_puts(p, ds->json_path);
    json_path_key(p, "rows");
    json_path_index(p, r);
    json_path_index(p, col);
    return p->failed ? V_STOP : V_FINE;
}

/* Each column is checked once per role, however many charts use it. */
static bool first_check(dataset_state *st, size_t col, unsigned char what)
{
    bool first = !(st->checked[col] & what);
    st->checked[col] |= what;
    return first;
}

static verdict check_category_cells(vctx *v, const chart_ctx *cc, strbuf *path)
{
    const dataset *ds = cc->c->data;
    size_t col = cc->c->category_col;
    if (cc->state->bad_cells || !first_check(cc->state, col, CHECKED_CATEGORY))
        return V_FINE;   /* a reported cell reads as null: do not report it twice */
    for (size_t r = 0; r < ds->nrows; r++)
        if (dataset_cell(ds, r, col)->kind == CELL_NULL) {
            PASS(cell_path(path, ds, r, col));
            PASS(v_fail_at(v, path->s, "expected a category name (a string or a number), got null"));
        }
    return V_FINE;
}

static verdict text_in_value_column(vctx *v, const dataset *ds, size_t r, size_t col, strbuf *path)
{
    const char *text = dataset_cell(ds, r, col)->text;
    size_t n = v_number_prefix(text);
    strbuf q = {0};
    json_quote(&q, text, strlen(text));
    verdict res = q.failed ? V_STOP : cell_path(path, ds, r, col);
    if (res != V_STOP)
        res = v_fail_at(v, path->s, "expected a number, got the string %s (%s)", q.s,
                      n > 0 && text[n] == '\0' ? "write the number without quotes"
                          : "a value must be a JSON number; write the unit in \"unit\"");
    sb_free(&q);
    return res;
}

static verdict check_value_cells(vctx *v, const chart_ctx *cc, size_t col, strbuf *path)
{
    const dataset *ds = cc->c->data;
    if (!first_check(cc->state, col, CHECKED_VALUE))
        return V_FINE;
    for (size_t r = 0; r < ds->nrows; r++)
        if (dataset_cell(ds, r, col)->kind == CELL_TEXT)
            PASS(text_in_value_column(v, ds, r, col, path));
    return V_FINE;
}

/* Completion: a plan of 0 or null is shown as "—"; negatives make no sense. */
static verdict check_amount_cells(vctx *v, const chart_ctx *cc, size_t k, strbuf *path)
{
    const dataset *ds = cc->c->data;
    size_t col = cc->c->value_cols[k];
    if (!first_check(cc->state, col, CHECKED_NEGATIVE))
        return V_FINE;
    for (size_t r = 0; r < ds->nrows; r++) {
        const cell *x = dataset_cell(ds, r, col);
        if (x->kind != CELL_NUMBER || x->number >= 0)
            continue;
        char a[40];
        v_fmt_number(a, sizeof a, x->number);
        PASS(cell_path(path, ds, r, col));
        PASS(v_fail_at(v, path->s, "negative %s amount %s (a completion chart needs amounts "
                     "of 0 or more)", k == 0 ? "planned" : "completed", a));
    }
    return V_FINE;
}

/* Pie: every value is a share of the whole, so none may be negative or
 * missing. */
static verdict check_share_cell(vctx *v, const dataset *ds, size_t r, size_t col, strbuf *path)
{
    const cell *x = dataset_cell(ds, r, col);
    if (x->kind == CELL_NULL) {
        PASS(cell_path(path, ds, r, col));
        return v_fail_at(v, path->s, "expected a number of 0 or more, got null (a pie slice "
                         "needs its value; leave the row out or write 0)");
    }
    if (x->kind == CELL_NUMBER && x->number < 0) {
        char a[40];
        v_fmt_number(a, sizeof a, x->number);
        PASS(cell_path(path, ds, r, col));
        return v_fail_at(v, path->s, "negative value %s in a pie (a share must be 0 or more; "
                         "chart changes as a bar or line chart)", a);
    }
    return V_FINE;
}

static verdict check_share_cells(vctx *v, const chart_ctx *cc, strbuf *path)
{
    const dataset *ds = cc->c->data;
    for (size_t r = 0; r < ds->nrows; r++)
        PASS(check_share_cell(v, ds, r, cc->c->value_cols[0], path));
    return V_FINE;
}

/* Completion: the ratio prints as a percentage, which must fit the 15
 * digits a number can show (numfmt_exact); 1e15 planned 1e-10 would be a
 * 27-digit percentage.  Checked per chart: the ratio pairs two columns. */
static verdict check_ratio_cells(vctx *v, const chart_ctx *cc, strbuf *path)
{
    const dataset *ds = cc->c->data;
    size_t plan_col = cc->c->value_cols[0], act_col = cc->c->value_cols[1];
    for (size_t r = 0; r < ds->nrows; r++) {
        const cell *p = dataset_cell(ds, r, plan_col), *a = dataset_cell(ds, r, act_col);
        if (p->kind != CELL_NUMBER || a->kind != CELL_NUMBER || !(p->number > 0) ||
            a->number < 0 || numfmt_exact(a->number / p->number * 100))
            continue;
        char pa[40], aa[40];
        v_fmt_number(pa, sizeof pa, p->number);
        v_fmt_number(aa, sizeof aa, a->number);
        PASS(cell_path(path, ds, r, act_col));
        PASS(v_fail_at(v, path->s, "completion ratio %s / %s is too large to print as a percentage "
                       "(at most 15 digits: the completed amount at most 10^13 times the plan)",
                       aa, pa));
    }
    return V_FINE;
}

static verdict check_category_count(vctx *v, const dataset *ds)
{
    size_t mark;
    PASS(v_enter_key(v, "data", &mark));
    verdict r = V_FINE;
    if (ds->nrows == 0)
        r = v_fail(v, "chart has no categories (the dataset has no rows)");
    else if (ds->nrows > MAX_CATEGORIES)
        r = v_fail(v, "chart has %zu categories (at most %d)", ds->nrows, MAX_CATEGORIES);
    v_leave(v, mark);
    return r;
}

static verdict check_cells(vctx *v, chart_ctx *cc, strbuf *path)
{
    chart_spec *c = cc->c;
    PASS(check_category_cells(v, cc, path));
    for (size_t k = 0; k < c->nvalues; k++)
        PASS(check_value_cells(v, cc, c->value_cols[k], path));
    for (size_t k = 0; k < c->nlines; k++)
        PASS(check_value_cells(v, cc, c->line_cols[k], path));
    if (c->kind == CHART_PIE)
        PASS(check_share_cells(v, cc, path));
    if (c->kind == CHART_COMPLETION)
        for (size_t k = 0; k < 2; k++)
            PASS(check_amount_cells(v, cc, k, path));
    if (cc->c->kind == CHART_COMPLETION)
        PASS(check_ratio_cells(v, cc, path));
    return V_FINE;
}

verdict v_check_chart_cells(vctx *v, chart_ctx *cc)
{
    const dataset *ds = cc->c->data;
    PASS(check_category_count(v, ds));
    if (!cc->state->checked)
        NEED(cc->state->checked = v_alloc(ds->ncols, 1));
    strbuf path = {0};
    verdict r = check_cells(v, cc, &path);
    sb_free(&path);
    return r;
}
