/*
 * chart_fixtures.h — chart_spec/dataset fixtures built directly in C for the
 * chart unit tests (no JSON parser involved).  Header-only, test use only.
 */
#ifndef BRIEF_TEST_CHART_FIXTURES_H
#define BRIEF_TEST_CHART_FIXTURES_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

#define FX_NULL NAN   /* a null cell */

typedef struct fx_chart {
    chart_spec spec;
    dataset ds;
    char name[96];
} fx_chart;

static char *fx_strdup(const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    char *d = malloc(n);
    memcpy(d, s ? s : "", n);
    return d;
}

/* A chart over `nrows` rows: cats[i], vals[i * nvals + j] (FX_NULL for
 * null), value column names in series[]. */
static fx_chart *fx_new(const char *name, chart_kind kind, chart_orientation o, size_t nrows,
                        size_t nvals, const char *const *cats, const double *vals,
                        const char *const *series)
{
    fx_chart *f = calloc(1, sizeof *f);
    snprintf(f->name, sizeof f->name, "%s", name);
    dataset *d = &f->ds;
    d->name = fx_strdup("fx");
    d->json_path = fx_strdup("data.fx");
    d->ncols = 1 + nvals;
    d->columns = calloc(d->ncols, sizeof *d->columns);
    d->columns[0] = fx_strdup("类别");
    for (size_t j = 0; j < nvals; j++)
        d->columns[1 + j] = fx_strdup(series[j]);
    d->nrows = nrows;
    d->cells = calloc(nrows * d->ncols + 1, sizeof *d->cells);
    for (size_t r = 0; r < nrows; r++) {
        cell *c = &d->cells[r * d->ncols];
        c->kind = CELL_TEXT;
        c->text = fx_strdup(cats[r]);
        for (size_t j = 0; j < nvals; j++) {
            double v = vals[r * nvals + j];
            c[1 + j].kind = isnan(v) ? CELL_NULL : CELL_NUMBER;
            c[1 + j].number = isnan(v) ? 0 : v;
        }
    }
    chart_spec *s = &f->spec;
    s->id = fx_strdup(name);
    s->json_path = fx_strdup("body[0]");
    s->kind = kind;
    s->orientation = o;
    s->data = d;
    s->category_col = 0;
    s->nvalues = nvals;
    s->value_cols = calloc(nvals, sizeof *s->value_cols);
    for (size_t j = 0; j < nvals; j++)
        s->value_cols[j] = 1 + j;
    s->threshold = 0.9;
    s->unit = fx_strdup("");
    s->title = fx_strdup("");
    s->subtitle = fx_strdup("");
    s->note = fx_strdup("");
    s->theme_id = THEME_DEFAULT;
    s->font = FACE_SANS;
    s->decimals = -1;
    return f;
}

static void fx_set(char **field, const char *v)
{
    free(*field);
    *field = fx_strdup(v);
}

static void fx_refs(fx_chart *f, size_t n, const double *vals, const char *const *labels)
{
    f->spec.nrefs = n;
    f->spec.refs = calloc(n, sizeof *f->spec.refs);
    for (size_t i = 0; i < n; i++) {
        f->spec.refs[i].value = vals[i];
        f->spec.refs[i].label = fx_strdup(labels[i]);
    }
}

/* A text given as n runs: texts[i], bold when bold[i], a link when
 * links[i] (links may be NULL); *plain gets their text, as the validator
 * leaves it. */
static inline rich_text *fx_runs(char **plain, size_t n, const char *const *texts, const bool *bold,
                          const char *const *links)
{
    rich_text *rt = calloc(1, sizeof *rt);
    rt->nruns = n;
    rt->runs = calloc(n, sizeof *rt->runs);
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(texts[i]);
    char *s = calloc(1, len);
    for (size_t i = 0; i < n; i++) {
        rt->runs[i].kind = RUN_TEXT;
        rt->runs[i].text = fx_strdup(texts[i]);
        rt->runs[i].bold = bold[i];
        rt->runs[i].link = links && links[i] ? fx_strdup(links[i]) : NULL;
        strcat(s, texts[i]);
    }
    free(*plain);
    *plain = s;
    return rt;
}

static void fx_free(fx_chart *f)
{
    if (!f)
        return;
    dataset *d = &f->ds;
    for (size_t j = 0; j < d->ncols; j++)
        free(d->columns[j]);
    free(d->columns);
    for (size_t r = 0; r < d->nrows; r++)
        free(d->cells[r * d->ncols].text);
    free(d->cells);
    free(d->name);
    free(d->json_path);
    chart_spec *s = &f->spec;
    free(s->id);
    free(s->json_path);
    free(s->value_cols);
    free(s->line_cols);
    free(s->line_unit);
    free(s->colors);
    for (size_t i = 0; i < s->nrefs; i++) {
        free(s->refs[i].label);
        rich_text_free(s->refs[i].label_rich);
    }
    free(s->refs);
    free(s->unit);
    free(s->title);
    free(s->subtitle);
    free(s->note);
    rich_text_free(s->title_rich);
    rich_text_free(s->subtitle_rich);
    rich_text_free(s->note_rich);
    free(f);
}

/* Category names "prefix1", "prefix2" … for n rows (static storage). */
static const char *const *fx_names(const char *prefix, size_t n)
{
    static char buf[64][48];
    static const char *ptr[64];
    for (size_t i = 0; i < n && i < 64; i++) {
        snprintf(buf[i], sizeof buf[i], "%s%zu", prefix, i + 1);
        ptr[i] = buf[i];
    }
    return ptr;
}

#endif
