/*
 * placeholder_table.c — the ready resolver over plain arrays (ph_table):
 * datasets, variables, ids and builtins sorted once, rows indexed on
 * first use, so that lookups are binary searches and a document with many
 * references and large datasets costs O(n log n).
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
/* the table resolver                                                  */

typedef struct entry {
    const char *name;
    size_t i;
} entry;

typedef struct sorted {
    entry *e;
    size_t n;
    bool built, unusable;   /* rows: built on first use; unusable: not all text */
} sorted;

struct ph_table_index {
    const char **dataset_names;   /* in document order, for suggestions */
    sorted datasets, vars, refs, builtins;
    sorted *rows;                 /* per dataset */
    ph_column_format **formats;   /* per dataset, decimals filled in, built on first use */
};

static int by_name(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

static bool sort_names(sorted *s, const char *const *names, size_t n)
{
    s->n = n;
    s->e = malloc((n ? n : 1) * sizeof *s->e);
    if (!s->e)
        return false;
    for (size_t i = 0; i < n; i++)
        s->e[i] = (entry){names[i] ? names[i] : "", i};
    qsort(s->e, n, sizeof *s->e, by_name);
    s->built = true;
    return true;
}

/* The first entry called name, or NONE; *again the next one so called. */
static size_t lookup(const sorted *s, const char *name, size_t *again)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(s->e[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *again = NONE;
    if (lo == s->n || strcmp(s->e[lo].name, name) != 0)
        return NONE;
    if (lo + 1 < s->n && strcmp(s->e[lo + 1].name, name) == 0)
        *again = s->e[lo + 1].i;
    return s->e[lo].i;
}

/* The formats of dataset i with every "decimals from the data" worked out
 * once, so that a reference costs no pass over its column; the given
 * formats if that cannot be had. */
static const ph_column_format *formats_of(ph_table *t, size_t i)
{
    const ph_column_format *given = t->formats ? t->formats[i] : NULL;
    ph_column_format **cache = &t->index->formats[i];
    if (*cache)
        return *cache;
    const dataset *d = &t->datasets[i];
    ph_column_format *f = malloc((d->ncols ? d->ncols : 1) * sizeof *f);
    if (!f)
        return given;
    for (size_t c = 0; c < d->ncols; c++) {
        f[c].unit = given && given[c].unit ? given[c].unit : "";
        /* -1 (not declared) is kept: a cell then reads as written and an
         * aggregate with the column's most decimals (column_format) */
        f[c].decimals = given && given[c].decimals >= 0 ? given[c].decimals : -1;
    }
    *cache = f;
    return f;
}

static const dataset *t_dataset(void *ctx, const char *name, const ph_column_format **f)
{
    ph_table *t = ctx;
    size_t again, i = lookup(&t->index->datasets, name, &again);
    if (i == NONE)
        return NULL;
    *f = formats_of(t, i);
    return &t->datasets[i];
}

static const char *t_value(const sorted *s, const char *const *values, const char *name)
{
    size_t again, i = lookup(s, name, &again);
    return i == NONE ? NULL : values[i];
}

static const char *t_var(void *ctx, const char *name)
{
    ph_table *t = ctx;
    return t_value(&t->index->vars, t->var_values, name);
}

static const char *t_ref(void *ctx, const char *id)
{
    ph_table *t = ctx;
    return t_value(&t->index->refs, t->ref_labels, id);
}

static const char *t_builtin(void *ctx, const char *name)
{
    ph_table *t = ctx;
    return t_value(&t->index->builtins, t->builtin_values, name);
}

static const char *const *t_names(void *ctx, ph_names_kind k, size_t *n)
{
    ph_table *t = ctx;
    switch (k) {
    case PH_NAMES_DATASETS: *n = t->ndatasets; return t->index->dataset_names;
    case PH_NAMES_VARS: *n = t->nvars; return t->var_names;
    default: *n = t->nrefs; return t->ref_ids;
    }
}

/* The rows of d sorted by category, built on first use; false when some
 * category is not text or memory ran out (then rows are scanned). */
static bool row_index(sorted *s, const dataset *d)
{
    if (s->built)
        return true;
    if (s->unusable)
        return false;
    const char **cats = malloc((d->nrows ? d->nrows : 1) * sizeof *cats);
    for (size_t i = 0; cats && i < d->nrows; i++) {
        const cell *x = dataset_cell(d, i, 0);
        if (x->kind != CELL_TEXT) {
            free(cats);
            cats = NULL;
            break;
        }
        cats[i] = x->text;
    }
    bool ok = cats && sort_names(s, cats, d->nrows);
    free(cats);
    s->unusable = !ok;
    return ok;
}

static size_t t_row(void *ctx, const dataset *d, const char *category, size_t *again)
{
    ph_table *t = ctx;
    size_t k = (size_t)(d - t->datasets);
    if (k < t->ndatasets && d->ncols > 0 && row_index(&t->index->rows[k], d))
        return lookup(&t->index->rows[k], category, again);
    return ph_scan_rows(d, category, again);
}

void ph_table_clear(ph_table *t)
{
    struct ph_table_index *x = t ? t->index : NULL;
    if (!x)
        return;
    free(x->dataset_names);
    free(x->datasets.e);
    free(x->vars.e);
    free(x->refs.e);
    free(x->builtins.e);
    for (size_t i = 0; x->rows && i < t->ndatasets; i++)
        free(x->rows[i].e);
    free(x->rows);
    for (size_t i = 0; x->formats && i < t->ndatasets; i++)
        free(x->formats[i]);
    free(x->formats);
    free(x);
    t->index = NULL;
}

bool ph_table_resolver(ph_table *t, ph_resolver *out)
{
    ph_table_clear(t);
    struct ph_table_index *x = calloc(1, sizeof *x);
    t->index = x;
    bool ok = x && (x->dataset_names = malloc((t->ndatasets ? t->ndatasets : 1) *
                                               sizeof *x->dataset_names)) &&
              (x->rows = calloc(t->ndatasets ? t->ndatasets : 1, sizeof *x->rows)) &&
              (x->formats = calloc(t->ndatasets ? t->ndatasets : 1, sizeof *x->formats));
    for (size_t i = 0; ok && i < t->ndatasets; i++)
        x->dataset_names[i] = t->datasets[i].name ? t->datasets[i].name : "";
    ok = ok && sort_names(&x->datasets, x->dataset_names, t->ndatasets) &&
         sort_names(&x->vars, t->var_names, t->nvars) &&
         sort_names(&x->refs, t->ref_ids, t->nrefs) &&
         sort_names(&x->builtins, t->builtin_names, t->nbuiltins);
    if (!ok) {
        ph_table_clear(t);
        return false;
    }
    *out = (ph_resolver){t, t_dataset, t_var, t_ref, t_builtin, t_names, t_row};
    return true;
}
