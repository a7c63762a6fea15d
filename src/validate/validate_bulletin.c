/*
 * validate_bulletin.c — the bulletin blocks of "body": table, kpi, list and
 * masthead (model/blocks.h).
 *
 * Takes the block's object (its type already read); gives its spec.
 * Guarantees what blocks.h promises: a table's columns exist in its data
 * and are named once, its groups name adjacent columns of the table, each
 * in one group; a summed column holds numbers or null only (rates and
 * shares are not summed unless total_columns says so); a kpi has 2 to 4
 * items, a list 1 to 200; a masthead has a title.  Every error names the
 * place and what was expected.  Out of memory: V_STOP, as everywhere.
 */
#define _POSIX_C_SOURCE 200809L
#include "validate/validate_internal.h"

#include <stdint.h>

#include <stdlib.h>
#include <string.h>

#include "model/placeholder.h"

#define TABLE_MAX_DECIMALS 6

const char *const TABLE_KEYS[] = {
    "type", "id", "data", "columns", "title", "note", "decimals", "units", "rounding", "minus", "total",
    "total_columns", "groups", "style", NULL,
};
const char *const GROUP_KEYS[] = {"label", "columns", NULL};
const char *const KPI_KEYS[] = {"type", "items", "theme", NULL};
const char *const KPI_ITEM_KEYS[] = {
    "label", "value", "unit", "decimals", "change", "change_unit", "change_label", NULL,
};
const char *const LIST_KEYS[] = {"type", "style", "items", NULL};
const char *const MASTHEAD_KEYS[] = {"type", "title", "issue", "org", "date", "mark", NULL};

static const char *const TABLE_STYLES[] = {"three-line", "grid"};
/* the words charts take (validate_chart.c): tables print numbers the same way */
static const char *const THEMES[] = {"default", "official"};   /* chart_theme order */
static const char *const ROUNDINGS[] = {"half-away", "half-even"};
static const char *const MINUSES[] = {"sign", "hyphen"};
static const char *const LIST_STYLES[] = {"decimal", "paren", "circled", "chinese", "bullet"};

/* ---- tables: columns ---- */

/* Index in the table's columns of the dataset column `name`, or -1. */
static long table_index_of(const table_spec *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->data->columns[t->cols[i].col], name) == 0)
            return (long)i;
    return -1;
}

/* A name of one of the table's columns, with the path at it; *index -1
 * when it is not one (reported). */
static verdict table_column_ref(vctx *v, const table_spec *t, const char *name, const char *what,
                                long *index)
{
    *index = table_index_of(t, name);
    if (*index >= 0 || v_muted(v))
        return *index >= 0 ? V_FINE : V_WRONG;
    const char **names = v_alloc(t->ncols ? t->ncols : 1, sizeof *names);
    NEED(names);
    for (size_t k = 0; k < t->ncols; k++)
        names[k] = t->data->columns[t->cols[k].col];
    strbuf m = {0};
    sb_puts(&m, "column ");
    json_quote(&m, name, strlen(name));
    sb_printf(&m, " is not a column of the table (%s", what);
    const char *s = suggest_name(name, names, t->ncols);
    if (s) {
        sb_puts(&m, "; did you mean ");
        json_quote(&m, s, strlen(s));
        sb_puts(&m, "?");
    }
    sb_puts(&m, "; its columns: ");
    v_list_names(&m, names, t->ncols, false, ", ");
    sb_puts(&m, ")");
    free(names);
    return v_fail_built(v, &m);
}

/* All numbers or null, and at least one number; else *text_row is the
 * first row with text (when there is one). */
static bool column_all_numbers(const dataset *ds, size_t col, size_t *text_row)
{
    bool any = false;
    for (size_t r = 0; r < ds->nrows; r++) {
        const cell *k = dataset_cell(ds, r, col);
        if (k->kind == CELL_TEXT) {
            if (text_row)
                *text_row = r;
            return false;
        }
        any |= k->kind == CELL_NUMBER;
    }
    return any;
}

static bool column_has_number(const dataset *ds, size_t col)
{
    for (size_t r = 0; r < ds->nrows; r++)
        if (dataset_cell(ds, r, col)->kind == CELL_NUMBER)
            return true;
    return false;
}

/* With the path at columns[i]: adds the column, or reports it. */
static verdict add_named_column(vctx *v, chart_ctx *cc, table_spec *t, const cJSON *e)
{
    size_t col;
    verdict r = v_find_column(v, cc, e, &col);
    if (r != V_FINE)
        return r;
    for (size_t k = 0; k < t->ncols; k++)
        if (t->cols[k].col == col)
            return v_fail(v, "column \"%s\" named twice (first at columns[%zu]; expected each "
                          "column once)", t->data->columns[col], k);
    t->cols[t->ncols++].col = col;
    return V_FINE;
}

static verdict read_table_columns(vctx *v, const cJSON *j, table_spec *t)
{
    const dataset *ds = t->data;
    const cJSON *cols = v_get(j, "columns");
    size_t mark;
    if (cols && !cJSON_IsArray(cols)) {
        PASS(v_enter_key(v, "columns", &mark));
        verdict r = v_wrong_type(v, "an array of column names", cols);
        v_leave(v, mark);
        return r == V_STOP ? V_STOP : V_WRONG;
    }
    size_t n = cols ? (size_t)cJSON_GetArraySize(cols) : ds->ncols;
    if (n == 0 || n > TABLE_MAX_COLUMNS) {
        PASS(v_enter_key(v, "columns", &mark));
        verdict r = v_fail(v, "%zu columns (expected 1 to %d; split a wider table in two)", n,
                           TABLE_MAX_COLUMNS);
        v_leave(v, mark);
        return r;
    }
    NEED(t->cols = v_alloc(n, sizeof *t->cols));
    if (!cols) {
        for (size_t i = 0; i < n; i++)
            t->cols[i].col = i;
        t->ncols = n;
    } else {
        chart_spec tmp = {.data = ds};
        chart_ctx cc = {.c = &tmp, .j = j, .allowed = TABLE_KEYS};
        PASS(v_enter_key(v, "columns", &mark));
        size_t i = 0;
        for (const cJSON *e = cols->child; e; e = e->next, i++) {
            size_t m;
            verdict r = v_enter_index(v, i, &m);
            if (r != V_STOP) {
                r = add_named_column(v, &cc, t, e);
                v_leave(v, m);
            }
            if (r == V_STOP) {
                v_leave(v, mark);
                return V_STOP;
            }
        }
        v_leave(v, mark);
    }
    /* the dataset's column metadata is the default; the table's keys override it */
    for (size_t i = 0; i < t->ncols; i++) {
        size_t col = t->cols[i].col;
        NEED(t->cols[i].unit = v_dup(ds->units && ds->units[col] ? ds->units[col] : ""));
        t->cols[i].decimals = ds->decimals ? ds->decimals[col] : -1;
        t->cols[i].numeric = column_all_numbers(ds, t->cols[i].col, NULL);
    }
    return V_FINE;
}

/* ---- tables: decimals and units ---- */

static verdict read_decimals_member(vctx *v, table_spec *t, const cJSON *e)
{
    long i;
    PASS(table_column_ref(v, t, e->string, "\"decimals\" names table columns", &i));
    int k = -1;
    if (i >= 0) {
        PASS(v_integer_in(v, e, 0, TABLE_MAX_DECIMALS, &k));
        if (k >= 0)
            t->cols[i].decimals = k;
    }
    return V_FINE;
}

static verdict read_unit_member(vctx *v, table_spec *t, const cJSON *e)
{
    long i;
    PASS(table_column_ref(v, t, e->string, "\"units\" names table columns", &i));
    const char *s = NULL;
    if (i >= 0)
        PASS(v_string_value(v, e, false, &s));
    return s ? v_replace(&t->cols[i].unit, s) : V_FINE;
}

typedef verdict (*member_fn)(vctx *v, table_spec *t, const cJSON *e);

/* Each member of the object at key, with the path at it. */
static verdict each_member(vctx *v, const cJSON *obj, const char *key, table_spec *t, member_fn fn)
{
    size_t mark;
    PASS(v_enter_key(v, key, &mark));
    verdict r = V_FINE;
    for (const cJSON *e = obj->child; e && r != V_STOP; e = e->next) {
        size_t m;
        r = v_enter_key(v, e->string, &m);
        if (r != V_STOP) {
            r = fn(v, t, e);
            v_leave(v, m);
        }
    }
    v_leave(v, mark);
    return r;
}

/* "decimals": 1 (every number column) or {"column": 1}; "units": {"column": "亿元"}. */
static verdict read_table_formats(vctx *v, const cJSON *j, table_spec *t)
{
    const cJSON *d = v_get(j, "decimals");
    size_t mark;
    if (d && cJSON_IsObject(d)) {
        PASS(each_member(v, d, "decimals", t, read_decimals_member));
    } else if (d) {
        PASS(v_enter_key(v, "decimals", &mark));
        int k = -1;
        verdict r = cJSON_IsNumber(d)
                        ? v_integer_in(v, d, 0, TABLE_MAX_DECIMALS, &k)
                        : v_wrong_type(v, "a number of decimals or an object {\"column\": decimals}", d);
        v_leave(v, mark);
        PASS(r);
        for (size_t i = 0; k >= 0 && i < t->ncols; i++)
            t->cols[i].decimals = k;
    }
    int i = -1;
    PASS(v_read_enum(v, j, "rounding", ROUNDINGS, 2, "rounding", -1, &i));
    t->rounding = i >= 0 ? i : t->data->rounding >= 0 ? t->data->rounding : 0;
    PASS(v_read_enum(v, j, "minus", MINUSES, 2, "minus sign", 0, &i));
    t->minus_hyphen = i == 1;
    const cJSON *u = v_get(j, "units");
    if (u && cJSON_IsObject(u))
        return each_member(v, u, "units", t, read_unit_member);
    if (u) {
        PASS(v_enter_key(v, "units", &mark));
        verdict r = v_wrong_type(v, "an object {\"column\": \"unit\"}", u);
        v_leave(v, mark);
        return r;
    }
    return V_FINE;
}

/* ---- tables: groups ---- */

typedef struct group_walk {
    table_spec *t;
    long *owner;        /* per table column: its group, or -1 */
    long group, first, prev;
    size_t count;
    bool ok;
} group_walk;

/* With the path at groups[g].columns[k]: the column e names. */
static verdict group_column(vctx *v, group_walk *w, const cJSON *e)
{
    if (!cJSON_IsString(e)) {
        w->ok = false;
        return v_wrong_type(v, "a column name", e);
    }
    long i;
    PASS(table_column_ref(v, w->t, e->valuestring, "a group names columns of the table", &i));
    verdict r = V_FINE;
    if (i < 0)
        r = V_WRONG;
    else if (w->owner[i] == w->group)
        r = v_fail(v, "column \"%s\" named twice in the group (expected each column once)",
                   e->valuestring);
    else if (w->owner[i] >= 0)
        r = v_fail(v, "column \"%s\" is already in groups[%ld] (expected a column in one group only)",
                   e->valuestring, w->owner[i]);
    else if (w->prev >= 0 && i != w->prev + 1)
        r = v_fail(v, "column \"%s\" does not follow \"%s\" in the table's columns (expected the "
                   "columns of a group side by side and in table order: reorder \"columns\" or "
                   "the group)", e->valuestring, w->t->data->columns[w->t->cols[w->prev].col]);
    PASS(r);
    w->ok &= r == V_FINE;
    if (i >= 0 && w->owner[i] < 0)
        w->owner[i] = w->group;
    if (w->first < 0)
        w->first = i;
    if (i >= 0)
        w->prev = i;
    w->count++;
    return r;
}

static verdict group_columns(vctx *v, group_walk *w, const cJSON *cols)
{
    size_t mark, k = 0;
    PASS(v_enter_key(v, "columns", &mark));
    verdict r = V_FINE;
    for (const cJSON *e = cols->child; e && r != V_STOP; e = e->next, k++) {
        size_t m;
        r = v_enter_index(v, k, &m);
        if (r != V_STOP) {
            r = group_column(v, w, e);
            v_leave(v, m);
        }
    }
    v_leave(v, mark);
    return r;
}

/* With the path at groups[g]. */
static verdict read_table_group(vctx *v, const cJSON *g, group_walk *w, table_group *out)
{
    NEED(out->label = v_dup(""));
    verdict r = v_expect_object(v, g, "a group {\"label\": …, \"columns\": […]}");
    if (r != V_FINE)
        return r;
    PASS(v_check_keys(v, g, GROUP_KEYS, NULL, NULL));
    if (!v_get(g, "label"))
        PASS(v_require(v, g, "label", GROUP_KEYS,
                       "missing required key \"label\" (the text over the group's columns, e.g. "
                       "\"1—10月\")"));
    PASS(v_read_string(v, g, "label", &out->label));
    const cJSON *cols = v_get(g, "columns");
    if (!cols)
        return v_require(v, g, "columns", GROUP_KEYS,
                         "missing required key \"columns\" (the table columns under the group)");
    if (!cJSON_IsArray(cols) || cJSON_GetArraySize(cols) < 1) {
        size_t mark;
        PASS(v_enter_key(v, "columns", &mark));
        r = v_wrong_type(v, "an array of at least one column name", cols);
        v_leave(v, mark);
        return r;
    }
    w->first = w->prev = -1;
    w->count = 0;
    w->ok = true;
    PASS(group_columns(v, w, cols));
    if (w->ok && w->first >= 0) {
        out->first = (size_t)w->first;
        out->count = w->count;
    }
    return V_FINE;
}

static verdict read_table_groups(vctx *v, const cJSON *j, table_spec *t)
{
    const cJSON *g = v_get(j, "groups");
    if (!g)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, "groups", &mark));
    verdict r = V_FINE;
    int n = cJSON_IsArray(g) ? cJSON_GetArraySize(g) : -1;
    long *owner = NULL;
    if (n < 0) {
        r = v_wrong_type(v, "an array of groups {\"label\", \"columns\"}", g);
    } else if (n > 0) {
        owner = v_alloc(t->ncols, sizeof *owner);
        t->groups = owner ? v_alloc((size_t)n, sizeof *t->groups) : NULL;
        if (!t->groups)
            r = V_STOP;
    }
    if (r == V_FINE && n > 0) {
        for (size_t i = 0; i < t->ncols; i++)
            owner[i] = -1;
        t->ngroups = (size_t)n;
        group_walk w = {.t = t, .owner = owner};
        size_t i = 0;
        for (const cJSON *e = g->child; e && r != V_STOP; e = e->next, i++) {
            size_t m;
            w.group = (long)i;
            r = v_enter_index(v, i, &m);
            if (r != V_STOP) {
                r = read_table_group(v, e, &w, &t->groups[i]);
                v_leave(v, m);
            }
        }
    }
    free(owner);
    v_leave(v, mark);
    return r;
}

/* ---- tables: the total row ---- */

/* With the path at total_columns[k]. */
static verdict total_column(vctx *v, table_spec *t, const cJSON *e)
{
    if (!cJSON_IsString(e))
        return v_wrong_type(v, "a column name", e);
    long i;
    PASS(table_column_ref(v, t, e->valuestring, "\"total_columns\" names table columns to sum", &i));
    if (i < 0)
        return V_WRONG;
    const dataset *ds = t->data;
    size_t col = t->cols[i].col, row = SIZE_MAX;
    if (column_all_numbers(ds, col, &row)) {
        t->cols[i].summed = true;
        return V_FINE;
    }
    if (row == SIZE_MAX)   /* no rows, or nulls only: no text row to show */
        return v_fail(v, "column \"%s\" cannot be summed: it holds no numbers (expected numbers "
                      "or null in every row, at least one a number)", e->valuestring);
    const cell *k = dataset_cell(ds, row, col);
    return v_fail(v, "column \"%s\" cannot be summed: it holds text (%s.rows[%zu][%zu] is \"%s\"; "
                  "expected numbers or null in every row)", e->valuestring, ds->json_path, row, col,
                  k->kind == CELL_TEXT ? k->text : "");
}

static verdict read_total_columns(vctx *v, const cJSON *tc, table_spec *t)
{
    size_t mark, k = 0;
    PASS(v_enter_key(v, "total_columns", &mark));
    verdict r = V_FINE;
    if (!cJSON_IsArray(tc))
        r = v_wrong_type(v, "an array of column names", tc);
    for (const cJSON *e = cJSON_IsArray(tc) ? tc->child : NULL; e && r != V_STOP; e = e->next, k++) {
        size_t m;
        r = v_enter_index(v, k, &m);
        if (r != V_STOP) {
            r = total_column(v, t, e);
            v_leave(v, m);
        }
    }
    v_leave(v, mark);
    return r;
}

/* Without total_columns: every number column that is not a rate or share. */
static verdict default_total_columns(vctx *v, table_spec *t)
{
    const dataset *ds = t->data;
    bool any = false;
    size_t mark;
    for (size_t i = 0; i < t->ncols; i++) {
        size_t col = t->cols[i].col, row = 0;
        if (table_column_is_rate(ds->columns[col], t->cols[i].unit))
            continue;
        if (column_all_numbers(ds, col, &row)) {
            t->cols[i].summed = any = true;
        } else if (column_has_number(ds, col)) {
            PASS(v_enter_key(v, "total", &mark));
            verdict r = v_fail(v, "the total would sum column \"%s\", which holds text (%s.rows[%zu][%zu] "
                               "is \"%s\"; expected numbers or null, or \"total_columns\" naming the "
                               "columns to sum)", ds->columns[col], ds->json_path, row, col,
                               dataset_cell(ds, row, col)->text);
            v_leave(v, mark);
            PASS(r);
        }
    }
    if (any || v_muted(v))
        return V_FINE;
    PASS(v_enter_key(v, "total", &mark));
    verdict r = v_fail(v, "the table has no amount column to total (rates and shares are never "
                       "summed; expected \"total_columns\" naming the columns to sum, or no \"total\")");
    v_leave(v, mark);
    return r;
}

static verdict read_table_total(vctx *v, const cJSON *j, table_spec *t)
{
    PASS(v_read_string(v, j, "total", &t->total));
    const cJSON *tc = v_get(j, "total_columns");
    if (tc && !*t->total) {
        size_t mark;
        PASS(v_enter_key(v, "total_columns", &mark));
        verdict r = v_fail(v, "\"total_columns\" without \"total\" (expected a \"total\" label such "
                           "as \"合计\")");
        v_leave(v, mark);
        return r;
    }
    if (!*t->total)
        return V_FINE;
    return tc ? read_total_columns(v, tc, t) : default_total_columns(v, t);
}

/* ---- tables: id, the whole block ---- */

static bool valid_table_id(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64)
        return false;
    for (; *s; s++)
        if (!v_is_alnum(*s) && *s != '-' && *s != '_')
            return false;
    return true;
}

/* Table ids share the names of chart ids: one id names one block. */
static verdict read_table_id(vctx *v, const cJSON *j, table_spec *t, size_t index)
{
    PASS(v_read_string(v, j, "id", &t->id));
    if (!*t->id)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, "id", &mark));
    verdict r = V_FINE;
    if (!valid_table_id(t->id))
        r = v_fail(v, "invalid table id \"%s\" (expected 1 to 64 letters, digits, '-' or '_')", t->id);
    for (size_t k = 0; r == V_FINE && k < index; k++) {
        const block *o = &v->doc->blocks[k];
        const char *id = o->chart ? o->chart->id : o->table ? o->table->id : NULL;
        if (id && strcmp(id, t->id) == 0)
            r = v_fail(v, "duplicate id \"%s\" (first used at %s; expected an id no other chart or "
                       "table has)", t->id, o->json_path ? o->json_path : "");
    }
    v_leave(v, mark);
    return r;
}

static verdict read_table_data(vctx *v, const cJSON *j, table_spec *t, bool *usable)
{
    chart_spec tmp = {0};
    chart_ctx cc = {.c = &tmp, .j = j, .allowed = TABLE_KEYS};
    verdict r = v_read_chart_data(v, &cc, usable);
    t->inline_data = tmp.inline_data;
    t->data = tmp.data;
    free(cc.inline_state.checked);
    PASS(r);
    if (!*usable || !t->data)
        return V_WRONG;
    if (t->data->nrows <= TABLE_MAX_ROWS)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, "data", &mark));
    r = v_fail(v, "%zu rows (a table holds at most %d)", t->data->nrows, TABLE_MAX_ROWS);
    v_leave(v, mark);
    *usable = false;
    return r;
}

verdict validate_table(vctx *v, const cJSON *j, block *b, size_t index)
{
    table_spec *t;
    NEED(t = b->table = v_alloc(1, sizeof *t));
    NEED(t->id = v_dup(""));
    NEED(t->title = v_dup(""));
    NEED(t->note = v_dup(""));
    NEED(t->total = v_dup(""));
    PASS(read_table_id(v, j, t, index));
    PASS(v_read_text_member(v, j, "title", NULL, &t->title, &t->title_rich));
    PASS(v_read_text_member(v, j, "note", NULL, &t->note, &t->note_rich));
    int style;
    PASS(v_read_enum(v, j, "style", TABLE_STYLES, COUNT(TABLE_STYLES), "table style", 0, &style));
    t->style = style == 1 ? TABLE_GRID : TABLE_THREE_LINE;
    bool usable;
    verdict r = read_table_data(v, j, t, &usable);
    if (r != V_FINE)
        return r;
    r = read_table_columns(v, j, t);
    if (r != V_FINE || t->ncols == 0)
        return r;
    PASS(read_table_formats(v, j, t));
    PASS(read_table_groups(v, j, t));
    return read_table_total(v, j, t);
}

/* ---- kpi and list items ---- */

/* The "items" array: *n its length when 1 ≤ min ≤ n ≤ max, else -1 (reported). */
static verdict read_items(vctx *v, const cJSON *j, int min, int max, const char *what,
                          const char *const *allowed, const char *more, int *n)
{
    *n = -1;
    const cJSON *items = v_get(j, "items");
    if (!items)
        return v_require(v, j, "items", allowed, "missing required key \"items\" (expected an array "
                         "of %s)", what);
    size_t mark;
    PASS(v_enter_key(v, "items", &mark));
    int k = cJSON_IsArray(items) ? cJSON_GetArraySize(items) : -1;
    verdict r = V_FINE;
    if (k < 0)
        r = v_wrong_type(v, "an array of items", items);
    else if (k < min)
        r = v_fail(v, "%d items (expected %s)", k, what);
    else if (k > max)
        r = v_fail(v, "%d items (expected %s; %s)", k, what, more);
    else
        *n = k;
    v_leave(v, mark);
    return r;
}

/* With the path at items[i]. */
/* A string with a '{': a data reference ("{sum(signed.项目数)}"); any other
 * string is a number written wrong ("8%") and is reported as such. */
static bool is_reference(const cJSON *j)
{
    return cJSON_IsString(j) && strchr(j->valuestring, '{');
}

/* "main.1—10月[地区生产总值]" without its braces: say how to write it.
 * With the path at items[i]. */
static verdict fail_unbraced_reference(vctx *v, const char *s)
{
    size_t mark;
    verdict r = v_enter_key(v, "value", &mark);
    if (r == V_STOP)
        return r;
    r = v_fail(v, "expected a number or one reference in braces, such as \"{%s}\"", s);
    v_leave(v, mark);
    return r;
}

static verdict read_kpi_item(vctx *v, const cJSON *e, kpi_item *it)
{
    NEED(it->label = v_dup(""));
    NEED(it->unit = v_dup(""));
    NEED(it->change_unit = v_dup("%"));
    NEED(it->change_label = v_dup(""));
    it->decimals = -1;
    verdict r = v_expect_object(v, e, "a key figure {\"label\", \"value\", …}");
    if (r != V_FINE)
        return r;
    PASS(v_check_keys(v, e, KPI_ITEM_KEYS, NULL, NULL));
    if (!v_get(e, "label"))
        PASS(v_require(v, e, "label", KPI_ITEM_KEYS,
                       "missing required key \"label\" (what the figure is, e.g. \"签约项目\")"));
    if (!v_get(e, "value"))
        PASS(v_require(v, e, "value", KPI_ITEM_KEYS,
                       "missing required key \"value\" (the figure, a number such as 67)"));
    PASS(v_read_text_member(v, e, "label", NULL, &it->label, &it->label_rich));
    const cJSON *val = v_get(e, "value");
    if (is_reference(val))   /* bound with the text (validate_text.c) */
        PASS(v_read_string(v, e, "value", &it->value_ref));
    else if (cJSON_IsString(val) && strchr(val->valuestring, '['))
        PASS(fail_unbraced_reference(v, val->valuestring));
    else
        PASS(v_read_number(v, e, "value", -MAX_VALUE, MAX_VALUE, "", &it->value));
    PASS(v_read_string(v, e, "unit", &it->unit));
    PASS(v_read_int(v, e, "decimals", 0, TABLE_MAX_DECIMALS, &it->decimals));
    if (is_reference(v_get(e, "change"))) {   /* as "value" */
        PASS(v_read_string(v, e, "change", &it->change_ref));
        it->has_change = it->change_ref != NULL;
    } else if (v_get(e, "change")) {
        r = v_read_number(v, e, "change", -MAX_VALUE, MAX_VALUE, "", &it->change);
        PASS(r);
        it->has_change = r == V_FINE;
    }
    PASS(v_read_string(v, e, "change_unit", &it->change_unit));
    return v_read_string(v, e, "change_label", &it->change_label);
}

/* Reads items[i] of a kpi or list block, with the path at it. */
typedef verdict (*item_reader)(vctx *v, const cJSON *e, size_t i, void *spec);

/* Every entry of the block's "items" (already checked to be an array),
 * each read with the path at its index; the worst verdict. */
static verdict each_item(vctx *v, const cJSON *j, item_reader one, void *spec)
{
    size_t mark, i = 0;
    PASS(v_enter_key(v, "items", &mark));
    verdict all = V_FINE;
    for (const cJSON *e = v_get(j, "items")->child; e && all != V_STOP; e = e->next, i++) {
        size_t m;
        verdict r = v_enter_index(v, i, &m);
        if (r != V_STOP) {
            r = one(v, e, i, spec);
            v_leave(v, m);
        }
        if (r != V_FINE)
            all = r == V_STOP || all == V_STOP ? V_STOP : V_WRONG;
    }
    v_leave(v, mark);
    return all;
}

static verdict kpi_item_at(vctx *v, const cJSON *e, size_t i, void *spec)
{
    return read_kpi_item(v, e, &((kpi_spec *)spec)->items[i]);
}

/* A list item: a string, or runs (the list's items_rich made on the first). */
static verdict list_item_at(vctx *v, const cJSON *e, size_t i, void *spec)
{
    list_spec *l = spec;
    if (!(l->items[i] = v_dup("")))
        return V_STOP;
    if (!cJSON_IsArray(e))
        return v_read_text_item(v, e, NULL, &l->items[i], &(rich_text *){NULL});
    if (!l->items_rich && !(l->items_rich = v_alloc(l->nitems, sizeof *l->items_rich)))
        return V_STOP;
    return v_read_text_item(v, e, NULL, &l->items[i], &l->items_rich[i]);
}

verdict validate_kpi(vctx *v, const cJSON *j, block *b)
{
    kpi_spec *k;
    NEED(k = b->kpi = v_alloc(1, sizeof *k));
    int n, theme;
    /* no document-wide theme: a kpi's is its own, the default unless named */
    PASS(v_read_enum(v, j, "theme", THEMES, COUNT(THEMES), "theme", 0, &theme));
    k->theme = theme == 1 ? 1 : 0;
    PASS(read_items(v, j, KPI_MIN_ITEMS, KPI_MAX_ITEMS, "2 to 4 key figures", KPI_KEYS,
                    "put the others in a second \"kpi\" block", &n));
    if (n < 0)
        return V_WRONG;
    NEED(k->items = v_alloc((size_t)n, sizeof *k->items));
    k->nitems = (size_t)n;
    return each_item(v, j, kpi_item_at, k);
}

verdict validate_list(vctx *v, const cJSON *j, block *b)
{
    list_spec *l;
    NEED(l = b->list = v_alloc(1, sizeof *l));
    int style;
    PASS(v_read_enum(v, j, "style", LIST_STYLES, COUNT(LIST_STYLES), "list style", 0, &style));
    l->style = style < 0 ? LIST_DECIMAL : (list_style)style;
    int n;
    PASS(read_items(v, j, 1, LIST_MAX_ITEMS, "1 to 200 texts", LIST_KEYS, "split the list", &n));
    if (n < 0)
        return V_WRONG;
    NEED(l->items = v_alloc((size_t)n, sizeof *l->items));
    l->nitems = (size_t)n;
    /* items left NULL after running out of memory are freed as NULL */
    return each_item(v, j, list_item_at, l);
}

verdict validate_masthead(vctx *v, const cJSON *j, block *b)
{
    masthead_spec *m;
    NEED(m = b->masthead = v_alloc(1, sizeof *m));
    NEED(m->title = v_dup(""));
    NEED(m->issue = v_dup(""));
    NEED(m->org = v_dup(""));
    NEED(m->date = v_dup(""));
    NEED(m->mark = v_dup(""));
    if (!v_get(j, "title"))
        PASS(v_require(v, j, "title", MASTHEAD_KEYS,
                       "missing required key \"title\" (the name of the brief, e.g. \"经济运行简报\")"));
    /* a masthead stands above the text: no foot of the page to take a note */
    static const char *const no_note = "the masthead";
    PASS(v_read_text_member(v, j, "title", no_note, &m->title, &m->title_rich));
    PASS(v_read_text_member(v, j, "issue", no_note, &m->issue, &m->issue_rich));
    PASS(v_read_text_member(v, j, "org", no_note, &m->org, &m->org_rich));
    PASS(v_read_text_member(v, j, "date", no_note, &m->date, &m->date_rich));
    return v_read_text_member(v, j, "mark", no_note, &m->mark, &m->mark_rich);
}

/* Tables with a title are numbered 表1, 表2 … in document order. */
void v_number_tables(vctx *v)
{
    int n = 0;
    for (size_t i = 0; i < v->doc->nblocks; i++) {
        table_spec *t = v->doc->blocks[i].table;
        if (t && t->title && *t->title)
            t->number = ++n;
    }
}
