/*
 * validate_sources.c — where a brief's data comes from besides its own
 * JSON: CSV files, datasets replaced on the command line (--data NAME=FILE) and variables ("vars", --var NAME=VALUE).
 * A CSV column's unit ("%") and decimals (as written) are the dataset's
 * own "units" and "decimals" unless the brief gives others.
 *
 * Takes a dataset object with "csv" (a path confined like an image's:
 * relative to the brief, under its directory or an --allow-path one) and
 * the load options.  Gives datasets in the same form as inline ones (model.h), so that charts and
 * text references never know where a dataset came from.  Guarantees: a
 * CSV file's own errors are reported at file.csv:LINE:COLUMN by the CSV
 * reader and counted here; a dataset replaced with --data is checked like
 * the one it replaces, before any chart or text uses it.
 */
#define _POSIX_C_SOURCE 200809L
#include "validate/validate_internal.h"
#include "input/csv.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* CSV files                                                           */

/* Moves the table's data and column formats into ds (keeping its name). */
static verdict take_table(csv_table *t, dataset *ds)
{
    size_t n = t->data.ncols;
    char **units = v_alloc(n, sizeof *units);
    int *decimals = v_alloc(n, sizeof *decimals);
    if (!units || !decimals) {
        free(units);
        free(decimals);
        csv_table_clear(t);
        return V_STOP;
    }
    for (size_t i = 0; i < n; i++) {
        if (t->cols[i].unit && *t->cols[i].unit)   /* "%": given by the file */
            units[i] = t->cols[i].unit;
        else
            free(t->cols[i].unit);
        t->cols[i].unit = NULL;   /* csv_table_clear below sees ncols 0 */
        decimals[i] = t->cols[i].decimals;   /* as written: "9.80" counts 2 */
    }
    ds->ncols = t->data.ncols;
    ds->columns = t->data.columns;
    ds->nrows = t->data.nrows;
    ds->cells = t->data.cells;
    ds->units = units;
    ds->decimals = decimals;
    ds->rounding = -1;
    t->data.columns = NULL;
    t->data.cells = NULL;
    t->data.ncols = t->data.nrows = 0;
    csv_table_clear(t);
    return V_FINE;
}

/* Reads the file at `path` (already allowed) into ds.  *usable false when
 * the file was wrong (its errors are in diag). */
static verdict read_csv(vctx *v, const char *path, const char *shown, dataset *ds, bool *usable)
{
    csv_table t;
    brief_status st = csv_read_file(path, shown, &t, v->diag);
    if (st == BRIEF_E_OSERR)
        return V_STOP;
    if (st != BRIEF_OK) {
        v->other_errors++;
        *usable = false;
        return V_WRONG;
    }
    PASS(take_table(&t, ds));
    *usable = true;
    return V_FINE;
}

verdict v_read_csv_dataset(vctx *v, const cJSON *j, dataset *ds, bool *usable)
{
    *usable = false;
    size_t mark;
    PASS(v_enter_key(v, "csv", &mark));
    const char *s;
    verdict r = v_string_value(v, v_get(j, "csv"), true, &s);
    if (s) {
        char *resolved = doc_path_under_base(v->doc, s), *real = NULL;
        int err = 0;
        doc_path_verdict pv = resolved ? doc_confine_path(v->doc, resolved, &real, &err) : DOC_PATH_OOM;
        if (pv == DOC_PATH_OOM)
            r = V_STOP;
        else if (pv == DOC_PATH_MISSING)
            r = v_fail(v, "CSV file \"%s\" not found (looked for %s)", s, resolved);
        else if (pv == DOC_PATH_UNREADABLE)
            r = v_fail(v, "cannot open CSV file %s: %s", resolved, strerror(err));
        else if (pv == DOC_PATH_OUTSIDE)
            r = v_fail(v, "CSV file \"%s\" is outside the brief's directory (data must be under %s "
                          "or a directory given with --allow-path)", s,
                       v->doc->base_dir ? v->doc->base_dir : ".");
        else
            r = read_csv(v, real, resolved, ds, usable);
        free(real);
        free(resolved);
    }
    v_leave(v, mark);
    return r;
}

/* ------------------------------------------------------------------ */
/* --data NAME=FILE                                                    */

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && v_strcasecmp_ascii(s + n - m, tail) == 0;
}

/* A JSON file holding one dataset object, checked as if it stood in the
 * brief (errors name that file). */
static verdict read_json_dataset(vctx *v, const char *file, dataset *ds, bool *usable)
{
    *usable = false;
    char *text;
    size_t len;
    brief_status st = json_read_file(file, &text, &len, v->diag);
    if (st == BRIEF_E_OSERR)
        return V_STOP;
    if (st != BRIEF_OK) {
        v->other_errors++;
        return V_WRONG;
    }
    size_t bom = json_bom_length(text, len);
    json_positions *pos = NULL;
    cJSON *root = json_parse_with_positions(text + bom, len - bom, file, v->diag, &pos);
    free(text);
    if (!root) {
        v->other_errors++;
        json_positions_free(pos);
        return V_WRONG;
    }
    brief_doc sub_doc = {0};
    sub_doc.file = (char *)file;
    sub_doc.base_dir = (char *)".";
    vctx *sub = calloc(1, sizeof *sub);
    verdict r = V_STOP;
    if (sub) {
        sub->doc = &sub_doc;
        sub->diag = v->diag;
        sub->root = root;
        sub->pos = pos;
        bool bad = false;
        r = validate_dataset(sub, root, ds, &bad, usable);
        v_flush_errors(sub);
        if (sub->errors || sub->other_errors) {
            v->other_errors += sub->errors + sub->other_errors;
            *usable = false;
        }
        sb_free(&sub->path);
        free(sub);
    }
    cJSON_Delete(root);
    json_positions_free(pos);
    return r == V_STOP ? V_STOP : V_FINE;
}

static verdict brief_formats(vctx *v, const cJSON *given, const char *name, dataset *ds)
{
    static const char *const ROUNDINGS[] = {"half-away", "half-even"};
    size_t mark, inner;
    PASS(v_enter_key(v, "data", &mark));
    verdict e = v_enter_key(v, name, &inner);
    int i = -1;
    if (e != V_STOP && v_get(given, "rounding"))
        e = v_read_enum(v, given, "rounding", ROUNDINGS, 2, "rounding", -1, &i);
    if (e != V_STOP && v_get(given, "rounding"))
        ds->rounding = i;
    if (e != V_STOP)
        e = v_column_options(v, given, ds, "units");
    if (e != V_STOP)
        e = v_column_options(v, given, ds, "decimals");
    v_leave(v, mark);
    return e == V_STOP ? V_STOP : V_FINE;
}

static verdict replace_one(vctx *v, const char *name, const char *file)
{
    brief_doc *d = v->doc;
    size_t i = 0;
    while (i < d->ndatasets && strcmp(d->datasets[i].name, name) != 0)
        i++;
    if (i == d->ndatasets) {
        const char *names[64];
        size_t n = 0;
        for (size_t k = 0; k < d->ndatasets && n < 64; k++)
            names[n++] = d->datasets[k].name;
        const char *s = suggest_name(name, names, n);
        diag_add(v->diag, BRIEF_ERROR, BRIEF_E_USAGE, file, 0, 0, NULL,
                 "--data %s=%s: the brief has no dataset \"%s\"%s%s%s", name, file, name,
                 s ? " (did you mean \"" : "", s ? s : "", s ? "\"?)" : "");
        v->other_errors++;
        return V_WRONG;
    }
    dataset *ds = &d->datasets[i];
    char *keep_name = ds->name, *keep_path = ds->json_path;
    ds->name = ds->json_path = NULL;
    dataset_clear(ds);
    ds->name = keep_name;
    ds->json_path = keep_path;
    bool usable = false;
    verdict r = ends_with(file, ".json") ? read_json_dataset(v, file, ds, &usable)
                                         : read_csv(v, file, file, ds, &usable);
    /* The brief's "units", "decimals" and "rounding" still apply: a new
     * month's file carries figures, not how the brief prints them. */
    const cJSON *given = v_get(v_get(v->root, "data"), name);
    if (r != V_STOP && usable && given)
        PASS(brief_formats(v, given, name, ds));
    if (v->states) {
        v->states[i].usable = usable;
        v->states[i].bad_cells = false;
    }
    return r == V_STOP ? V_STOP : V_FINE;
}

verdict v_replace_datasets(vctx *v)
{
    const brief_load_options *o = v->doc->load;
    for (size_t i = 0; o && i < o->ndata; i++)
        PASS(replace_one(v, o->data_names[i], o->data_files[i]));
    return V_FINE;
}

/* ------------------------------------------------------------------ */
/* variables                                                           */

static verdict add_var(brief_doc *d, const char *name, const char *value)
{
    for (size_t i = 0; i < d->nvars; i++)
        if (strcmp(d->var_names[i], name) == 0)
            return v_replace(&d->var_values[i], value);
    char **n = realloc(d->var_names, (d->nvars + 1) * sizeof *n);
    NEED(n);
    d->var_names = n;
    char **val = realloc(d->var_values, (d->nvars + 1) * sizeof *val);
    NEED(val);
    d->var_values = val;
    char *a = v_dup(name), *b = v_dup(value);
    if (!a || !b) {
        free(a);
        free(b);
        return V_STOP;
    }
    d->var_names[d->nvars] = a;
    d->var_values[d->nvars++] = b;
    return V_FINE;
}

static verdict one_var(vctx *v, const cJSON *e)
{
    if (cJSON_IsNumber(e)) {
        char buf[40];
        v_fmt_number(buf, sizeof buf, e->valuedouble);
        return add_var(v->doc, e->string, buf);
    }
    const char *s;
    PASS(v_string_value(v, e, false, &s));
    return s ? add_var(v->doc, e->string, s) : V_FINE;
}

verdict validate_vars(vctx *v, const cJSON *vars)
{
    verdict r = v_expect_object(v, vars, "an object of variables (\"month\": \"10\")");
    if (r != V_FINE)
        return r;
    for (const cJSON *e = vars->child; e; e = e->next) {
        size_t mark;
        PASS(v_enter_key(v, e->string, &mark));
        r = *e->string ? one_var(v, e) : v_fail_key(v, "empty variable name");
        v_leave(v, mark);
        PASS(r);
    }
    return V_FINE;
}

/* --var NAME=VALUE, after "vars": the command line wins. */
verdict v_command_line_vars(vctx *v)
{
    const brief_load_options *o = v->doc->load;
    for (size_t i = 0; o && i < o->nvars; i++)
        PASS(add_var(v->doc, o->var_names[i], o->var_values[i]));
    return V_FINE;
}
