/*
 * model.c — the document model's types: owning and freeing a brief_doc,
 * the queries the public API offers on it, and error reports that point
 * into the input.
 *
 * Takes nothing from the input itself: loading is model_load.c, image
 * paths model_image.c, header/footer templates model_template.c.
 * Guarantees: brief_doc_free frees whatever a partial load left (every
 * pointer NULL or owned).
 */
#define _POSIX_C_SOURCE 200809L
#include "model/model.h"
#include "util/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *font_face_name(font_face face)
{
    return face == FACE_SANS ? "sans" : "serif";
}

/* ------------------------------------------------------------------ */
/* freeing                                                             */

void dataset_clear(dataset *d)
{
    if (!d)
        return;
    free(d->name);
    free(d->json_path);
    for (size_t i = 0; d->columns && i < d->ncols; i++)
        free(d->columns[i]);
    free(d->columns);
    for (size_t i = 0; d->cells && i < d->nrows * d->ncols; i++)
        if (d->cells[i].kind == CELL_TEXT)
            free(d->cells[i].text);
    free(d->cells);
    for (size_t i = 0; d->units && i < d->ncols; i++)
        free(d->units[i]);
    free(d->units);
    free(d->decimals);
    memset(d, 0, sizeof *d);
}

void chart_spec_free(chart_spec *c)
{
    if (!c)
        return;
    free(c->id);
    free(c->json_path);
    if (c->inline_data) {
        dataset_clear(c->inline_data);
        free(c->inline_data);
    }
    free(c->value_cols);
    free(c->colors);
    free(c->series_decimals);
    for (size_t i = 0; c->highlight && i < c->nhighlight; i++)
        free(c->highlight[i]);
    free(c->highlight);
    for (size_t i = 0; c->refs && i < c->nrefs; i++) {
        free(c->refs[i].label);
        rich_text_free(c->refs[i].label_rich);
    }
    free(c->refs);
    free(c->unit);
    free(c->title);
    free(c->subtitle);
    free(c->note);
    rich_text_free(c->title_rich);
    rich_text_free(c->subtitle_rich);
    rich_text_free(c->note_rich);
    free(c->line_cols);
    free(c->line_unit);
    free(c);
}

void rich_text_free(rich_text *r)
{
    if (!r)
        return;
    for (size_t i = 0; r->runs && i < r->nruns; i++) {
        free(r->runs[i].text);
        free(r->runs[i].json_path);
        free(r->runs[i].link);
        rich_text_free(r->runs[i].note);
    }
    free(r->runs);
    free(r);
}

static void block_clear(block *b)
{
    free(b->alt);
    rich_text_free(b->rich);
    free(b->json_path);
    free(b->text);
    free(b->image);
    free(b->image_resolved);
    free(b->caption);
    rich_text_free(b->caption_rich);
    chart_spec_free(b->chart);
    table_spec_free(b->table);
    kpi_spec_free(b->kpi);
    list_spec_free(b->list);
    masthead_spec_free(b->masthead);
}

void brief_doc_free(brief_doc *doc)
{
    if (!doc)
        return;
    free(doc->file);
    free(doc->base_dir);
    for (size_t i = 0; i < doc->nallowed; i++)
        free(doc->allowed_dirs[i]);
    free(doc->allowed_dirs);
    free(doc->meta.title);
    free(doc->meta.author);
    free(doc->meta.subject);
    free(doc->meta.keywords);
    free(doc->meta.lang);
    free(doc->page.header);
    free(doc->page.footer);
    rich_text_free(doc->page.header_rich);
    rich_text_free(doc->page.footer_rich);
    for (size_t i = 0; doc->datasets && i < doc->ndatasets; i++)
        dataset_clear(&doc->datasets[i]);
    free(doc->datasets);
    for (size_t i = 0; doc->blocks && i < doc->nblocks; i++)
        block_clear(&doc->blocks[i]);
    free(doc->blocks);
    free(doc->charts);
    for (size_t i = 0; i < doc->nvars; i++) {
        free(doc->var_names[i]);
        free(doc->var_values[i]);
    }
    free(doc->var_names);
    free(doc->var_values);
    free(doc);
}

/* ------------------------------------------------------------------ */
/* queries                                                             */

void brief_doc_allow_path(brief_doc *doc, const char *dir)
{
    if (!doc || !dir)
        return;
    char *copy = strdup(dir);
    char **dirs = copy ? realloc(doc->allowed_dirs, (doc->nallowed + 1) * sizeof *dirs) : NULL;
    if (!dirs) {
        free(copy);   /* out of memory: the directory stays forbidden, the safe side */
        return;
    }
    dirs[doc->nallowed++] = copy;
    doc->allowed_dirs = dirs;
}

size_t brief_doc_chart_count(const brief_doc *doc)
{
    return doc ? doc->ncharts : 0;
}

const char *brief_doc_chart_id(const brief_doc *doc, size_t i)
{
    return doc && i < doc->ncharts ? doc->charts[i]->id : NULL;
}

void doc_error_at(const brief_doc *doc, brief_diag *diag, brief_status code, src_pos at,
                  const char *json_path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(diag, BRIEF_ERROR, code, doc ? doc->file : NULL, at.line, at.column, json_path,
              fmt, ap);
    va_end(ap);
}
