/*
 * validate_data.c — the datasets under "data" (and inline chart data).
 *
 * Takes {"columns": [...], "rows": [[...], ...]}; gives a dataset with
 * unique non-empty column names and a cell per column per row (numbers,
 * strings or nulls).  Guarantees: a cell of the wrong type is reported and
 * stored as null (the dataset state notes it, so charts do not report it
 * again); a dataset whose columns are wrong is kept but marked unusable.
 */
#define _POSIX_C_SOURCE 200809L
#include "validate/validate_internal.h"

#include <stdlib.h>
#include <string.h>

const char *const DATASET_KEYS[] = {"columns", "rows", "csv", "units", "decimals", "rounding", NULL};
static const char *const ROUNDINGS[] = {"half-away", "half-even"};

void v_list_columns(strbuf *b, const dataset *ds)
{
    for (size_t i = 0; i < ds->ncols; i++) {
        if (i > 0)
            sb_puts(b, ", ");
        sb_puts(b, ds->columns[i]);
    }
}

/* With the path at columns[i]: the name, or "" after reporting it. */
static verdict column_name(vctx *v, const cJSON *e, const dataset *ds, size_t i, bool *ok)
{
    const char *s;
    PASS(v_string_value(v, e, true, &s));
    for (size_t k = 0; s && k < i; k++)
        if (strcmp(ds->columns[k], s) == 0) {
            strbuf q = {0};
            json_quote(&q, s, strlen(s));
            if (q.failed) {
                sb_free(&q);
                return V_STOP;
            }
            verdict r = v_fail(v, "duplicate column %s (first at columns[%zu])", q.s, k);
            sb_free(&q);
            PASS(r);
            s = NULL;
        }
    *ok &= s != NULL;
    NEED(ds->columns[i] = v_dup(s ? s : ""));
    return V_FINE;
}

static verdict column_names(vctx *v, const cJSON *j, dataset *ds, int n, bool *ok)
{
    NEED(ds->columns = v_alloc((size_t)n, sizeof(char *)));
    ds->ncols = (size_t)n;
    *ok = true;
    size_t i = 0;
    for (const cJSON *e = j->child; e; e = e->next, i++) {
        size_t m;
        PASS(v_enter_index(v, i, &m));
        verdict r = column_name(v, e, ds, i, ok);
        v_leave(v, m);
        PASS(r);
    }
    return V_FINE;
}

static verdict validate_columns(vctx *v, const cJSON *obj, dataset *ds, bool *ok)
{
    const cJSON *j = v_get(obj, "columns");
    *ok = false;
    if (!j)
        return v_require(v, obj, "columns", DATASET_KEYS,
                       "missing required key \"columns\" (expected an array of column names)");
    size_t mark;
    PASS(v_enter_key(v, "columns", &mark));
    verdict r;
    int n = cJSON_IsArray(j) ? cJSON_GetArraySize(j) : -1;
    if (n < 0)
        r = v_wrong_type(v, "an array of column names", j);
    else if (n == 0)
        r = v_fail(v, "no columns (expected 1 to %d column names)", MAX_COLUMNS);
    else if (n > MAX_COLUMNS)
        r = v_fail(v, "%d columns (at most %d)", n, MAX_COLUMNS);
    else
        r = column_names(v, j, ds, n, ok);
    v_leave(v, mark);
    return r;
}

/* Stores the cell in *out (NULL: only check it).  Cells of the wrong type
 * are stored as CELL_NULL after reporting; *bad notes that. */
static verdict validate_cell(vctx *v, const cJSON *j, cell *out, bool *bad)
{
    cell c = {CELL_NULL, 0, NULL};
    if (cJSON_IsNumber(j)) {
        double x;
        verdict r = v_number_in(v, j, -MAX_VALUE, MAX_VALUE, "", &x);
        PASS(r);
        if (r == V_FINE) {
            c.kind = CELL_NUMBER;
            c.number = x;
        } else {
            *bad = true;
        }
    } else if (cJSON_IsString(j)) {
        const char *s;
        PASS(v_string_value(v, j, false, &s));
        if (s && out) {
            c.kind = CELL_TEXT;
            NEED(c.text = v_dup(s));
        }
        *bad |= s == NULL;
    } else if (!cJSON_IsNull(j)) {
        PASS(v_wrong_type(v, "a number, a string or null", j));
        *bad = true;
    }
    if (out)
        *out = c;
    return V_FINE;
}

static verdict row_length(vctx *v, const dataset *ds, size_t n)
{
    strbuf cols = {0};
    v_list_columns(&cols, ds);
    if (cols.failed) {
        sb_free(&cols);
        return V_STOP;
    }
    verdict r = v_fail(v, "row has %zu cell%s, expected %zu (one per column: %s)", n,
                     n == 1 ? "" : "s", ds->ncols, cols.s ? cols.s : "");
    sb_free(&cols);
    return r;
}

static verdict validate_row(vctx *v, const cJSON *row, dataset *ds, size_t r, bool usable, bool *bad)
{
    if (!cJSON_IsArray(row)) {
        *bad = true;
        return v_wrong_type(v, "a row (an array of cells)", row);
    }
    size_t n = (size_t)cJSON_GetArraySize(row);
    if (usable && n != ds->ncols) {
        PASS(row_length(v, ds, n));
        *bad = true;
    }
    size_t c = 0;
    for (const cJSON *e = row->child; e; e = e->next, c++) {
        size_t m;
        PASS(v_enter_index(v, c, &m));
        cell *out = usable && ds->cells && c < ds->ncols ? &ds->cells[r * ds->ncols + c] : NULL;
        verdict res = validate_cell(v, e, out, bad);
        v_leave(v, m);
        PASS(res);
    }
    return V_FINE;
}

static verdict row_list(vctx *v, const cJSON *j, dataset *ds, int n, bool usable, bool *bad)
{
    if (usable && n > 0) {
        NEED(ds->cells = v_alloc((size_t)n * ds->ncols, sizeof(cell)));
        ds->nrows = (size_t)n;
    }
    size_t r = 0;
    for (const cJSON *e = j->child; e; e = e->next, r++) {
        size_t m;
        PASS(v_enter_index(v, r, &m));
        verdict res = validate_row(v, e, ds, r, usable && ds->cells, bad);
        v_leave(v, m);
        PASS(res);
    }
    return V_FINE;
}

static verdict validate_rows(vctx *v, const cJSON *obj, dataset *ds, bool usable, bool *bad)
{
    const cJSON *j = v_get(obj, "rows");
    if (!j)
        return v_require(v, obj, "rows", DATASET_KEYS,
                       "missing required key \"rows\" (expected an array of rows)");
    size_t mark;
    PASS(v_enter_key(v, "rows", &mark));
    verdict r;
    int n = cJSON_IsArray(j) ? cJSON_GetArraySize(j) : -1;
    if (n < 0)
        r = v_wrong_type(v, "an array of rows", j);
    else if (n > MAX_ROWS)
        r = v_fail(v, "%d rows (at most %d)", n, MAX_ROWS);
    else
        r = row_list(v, j, ds, n, usable, bad);
    v_leave(v, mark);
    return r;
}

/* The column named key, or -1 (reported at key). */
static long column_named(vctx *v, const dataset *ds, const char *key, verdict *r)
{
    for (size_t c = 0; c < ds->ncols; c++)
        if (strcmp(ds->columns[c], key) == 0)
            return (long)c;
    strbuf q = {0};
    json_quote(&q, key, strlen(key));
    *r = q.failed ? V_STOP : v_fail_key(v, "no column %s in this dataset", q.s);
    sb_free(&q);
    return -1;
}

/* One entry of "units" or "decimals" (the path at it). */
static verdict column_option(vctx *v, const cJSON *e, dataset *ds, bool units)
{
    verdict r = V_FINE;
    long c = column_named(v, ds, e->string, &r);
    if (c < 0)
        return r;
    if (units) {
        if (!cJSON_IsString(e))
            return v_wrong_type(v, "a unit such as \"亿元\"", e);
        free(ds->units[c]);
        NEED(ds->units[c] = v_dup(e->valuestring));
        return V_FINE;
    }
    return v_integer_in(v, e, 0, 6, &ds->decimals[c]);
}

/* "units": {"列": "亿元"} and "decimals": {"列": 1}: what a chart of that
 * column, and a reference to it in text, prints unless it says otherwise
 * (over what a CSV file implied, if the dataset came from one). */
verdict v_column_options(vctx *v, const cJSON *obj, dataset *ds, const char *key)
{
    const cJSON *j = v_get(obj, key);
    if (!j)
        return V_FINE;
    bool units = strcmp(key, "units") == 0;
    size_t mark;
    PASS(v_enter_key(v, key, &mark));
    verdict r = V_FINE;
    if (!cJSON_IsObject(j)) {
        r = v_wrong_type(v, units ? "an object of units by column ({\"金额\": \"亿元\"})"
                                  : "an object of decimals by column ({\"金额\": 1})", j);
    } else {
        if (units && !ds->units)
            NEED(ds->units = v_alloc(ds->ncols, sizeof *ds->units));
        else if (!units && !ds->decimals) {
            NEED(ds->decimals = v_alloc(ds->ncols, sizeof *ds->decimals));
            for (size_t c = 0; c < ds->ncols; c++)
                ds->decimals[c] = -1;
        }
        for (const cJSON *e = j->child; e && r != V_STOP; e = e->next) {
            size_t m;
            PASS(v_enter_key(v, e->string, &m));
            verdict er = column_option(v, e, ds, units);
            v_leave(v, m);
            if (er != V_FINE)
                r = er;
        }
    }
    v_leave(v, mark);
    return r;
}

verdict validate_dataset(vctx *v, const cJSON *j, dataset *ds, bool *bad_cells, bool *usable)
{
    *usable = false;
    verdict r = v_expect_object(v, j, "a dataset (an object with \"columns\" and \"rows\", or "
                                      "with \"csv\")");
    if (r != V_FINE)
        return r;
    PASS(v_check_keys(v, j, DATASET_KEYS, NULL, NULL));
    bool csv = v_get(j, "csv") != NULL;
    if (csv && (v_get(j, "columns") || v_get(j, "rows"))) {
        size_t mark;
        PASS(v_enter_key(v, "csv", &mark));
        r = v_fail_key(v, "a dataset with \"csv\" takes its columns and rows from the file "
                          "(remove \"columns\" and \"rows\", or \"csv\")");
        v_leave(v, mark);
        return r;
    }
    PASS(csv ? v_read_csv_dataset(v, j, ds, usable) : validate_columns(v, j, ds, usable));
    ds->rounding = -1;
    int i;
    PASS(v_read_enum(v, j, "rounding", ROUNDINGS, 2, "rounding", -1, &i));
    ds->rounding = i;
    if (*usable) {
        PASS(v_column_options(v, j, ds, "units"));
        PASS(v_column_options(v, j, ds, "decimals"));
    }
    return csv ? V_FINE : validate_rows(v, j, ds, *usable, bad_cells);
}

verdict validate_data(vctx *v, const cJSON *data)
{
    verdict r = v_expect_object(v, data, "an object of named datasets");
    if (r != V_FINE)
        return r;
    brief_doc *d = v->doc;
    size_t n = (size_t)cJSON_GetArraySize(data);
    NEED(d->datasets = v_alloc(n, sizeof(dataset)));
    NEED(v->states = v_alloc(n, sizeof(dataset_state)));
    d->ndatasets = n;
    size_t i = 0;
    for (const cJSON *e = data->child; e; e = e->next, i++) {
        dataset *ds = &d->datasets[i];
        size_t mark;
        PASS(v_enter_key(v, e->string, &mark));
        r = (ds->name = v_dup(e->string)) && (ds->json_path = v_dup(v_here(v))) ? V_FINE : V_STOP;
        if (r != V_STOP && !*e->string)
            r = v_fail_key(v, "empty dataset name (expected a name such as \"sectors\")");
        else if (r != V_STOP && strcmp(e->string, "var") == 0)
            r = v_fail_key(v, "a dataset may not be called \"var\" ({var.NAME} in text names a "
                              "variable; rename the dataset)");
        if (r != V_STOP)
            r = validate_dataset(v, e, ds, &v->states[i].bad_cells, &v->states[i].usable);
        v_leave(v, mark);
        PASS(r);
    }
    return V_FINE;
}
