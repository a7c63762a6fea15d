/*
 * model.c — loading and owning a brief_doc (stages 1–2 end to end).
 *
 * Takes a file name or a buffer; gives a validated brief_doc (json.c reads
 * and checks the text, validate.c fills the model) or NULL with every
 * problem in the diag list.  The document keeps its JSON text so that later
 * stages can point at the value they complain about (doc_locate,
 * doc_error), and resolves figure images only when asked (doc_resolve_image),
 * because the directories images may come from are added after loading.
 */
#define _XOPEN_SOURCE 700
#include "model/model.h"
#include "input/json.h"
#include "validate/validate.h"
#include "util/diag.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    for (size_t i = 0; c->series_colors && i < c->nvalues; i++)
        free(c->series_colors[i]);
    free(c->series_colors);
    for (size_t i = 0; c->refs && i < c->nrefs; i++)
        free(c->refs[i].label);
    free(c->refs);
    free(c->unit);
    free(c->title);
    free(c->subtitle);
    free(c->note);
    free(c->theme);
    free(c);
}

static void block_clear(block *b)
{
    free(b->json_path);
    free(b->text);
    free(b->image);
    free(b->image_resolved);
    free(b->caption);
    chart_spec_free(b->chart);
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
    free(doc->style.body_font);
    free(doc->style.heading_font);
    for (size_t i = 0; doc->datasets && i < doc->ndatasets; i++)
        dataset_clear(&doc->datasets[i]);
    free(doc->datasets);
    for (size_t i = 0; doc->blocks && i < doc->nblocks; i++)
        block_clear(&doc->blocks[i]);
    free(doc->blocks);
    free(doc->charts);
    free(doc->source);
    free(doc);
}

/* ------------------------------------------------------------------ */
/* loading                                                             */

/* The directory relative image paths start from: that of the input. */
static char *directory_of(const char *name)
{
    if (!name || strcmp(name, "-") == 0)
        return strdup(".");
    const char *slash = strrchr(name, '/');
    if (!slash)
        return strdup(".");
    if (slash == name)
        return strdup("/");
    return strndup(name, (size_t)(slash - name));
}

/* Takes ownership of text (NUL-terminated at len, BOM included if any). */
static brief_doc *load_text(char *text, size_t len, const char *name, brief_diag *diag)
{
    size_t bom = json_bom_length(text, len);
    if (bom) {
        memmove(text, text + bom, len - bom + 1);
        len -= bom;
    }
    brief_doc *doc = calloc(1, sizeof *doc);
    if (!doc || !(doc->file = strdup(name)) || !(doc->base_dir = directory_of(name))) {
        diag_error(diag, BRIEF_E_OSERR, name, "out of memory loading the brief");
        free(text);
        brief_doc_free(doc);
        return NULL;
    }
    doc->source = text;
    doc->source_len = len;
    cJSON *root = json_parse(text, len, name, diag);
    bool ok = root && validate_document(doc, root, diag);
    cJSON_Delete(root);
    if (!ok) {
        brief_doc_free(doc);
        return NULL;
    }
    return doc;
}

brief_doc *brief_doc_load_file(const char *path, brief_diag *diag)
{
    char *text;
    size_t len;
    if (!path) {
        diag_error(diag, BRIEF_E_USAGE, "", "no input file given");
        return NULL;
    }
    if (json_read_file(path, &text, &len, diag) != BRIEF_OK)
        return NULL;
    return load_text(text, len, path, diag);
}

brief_doc *brief_doc_load_buffer(const char *data, size_t len, const char *name, brief_diag *diag)
{
    const char *file = name ? name : "<input>";
    if (len > JSON_MAX_INPUT) {
        diag_error(diag, BRIEF_E_DATA, file, "input is larger than the 16 MiB limit");
        return NULL;
    }
    char *text = malloc(len + 1);
    if (!text) {
        diag_error(diag, BRIEF_E_OSERR, file, "out of memory loading the brief");
        return NULL;
    }
    if (len)
        memcpy(text, data, len);
    text[len] = '\0';
    brief_doc *doc = load_text(text, len, file, diag);
    if (doc && !name) {
        /* No name: relative images come from the current directory. */
        free(doc->base_dir);
        doc->base_dir = strdup(".");
        if (!doc->base_dir) {
            brief_doc_free(doc);
            diag_error(diag, BRIEF_E_OSERR, file, "out of memory loading the brief");
            return NULL;
        }
    }
    return doc;
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

void doc_locate(const brief_doc *doc, const char *json_path, int *line, int *column)
{
    *line = *column = 0;
    if (!doc || !doc->source || !json_path)
        return;
    size_t off;
    json_locate(doc->source, doc->source_len, json_path, JSON_AT_VALUE, &off);
    json_line_column(doc->source, doc->source_len, off, line, column);
}

void doc_error(const brief_doc *doc, brief_diag *diag, brief_status code,
               const char *json_path, const char *fmt, ...)
{
    int line = 0, col = 0;
    if (diag_errors_total(diag) < DIAG_MAX_ERRORS)
        doc_locate(doc, json_path, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(diag, BRIEF_ERROR, code, doc ? doc->file : NULL, line, col, json_path, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------------ */
/* images                                                              */

static bool is_inside(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/')
        return true;
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* Whether the canonical path real lies in dir (false if dir is missing). */
static bool inside_dir(const char *real, const char *dir)
{
    char *rdir = realpath(dir, NULL);
    bool inside = rdir && is_inside(real, rdir);
    free(rdir);
    return inside;
}

brief_status doc_resolve_image(const brief_doc *doc, const block *b, char **path, brief_diag *diag)
{
    *path = NULL;
    if (!b || b->type != BLOCK_FIGURE || !b->image_resolved)
        return BRIEF_OK;
    strbuf where = {0};
    sb_puts(&where, b->json_path ? b->json_path : "");
    json_path_key(&where, "image");
    const char *at = where.s ? where.s : "";
    char *real = realpath(b->image_resolved, NULL);
    if (!real) {
        int err = errno;
        if (err == ENOENT || err == ENOTDIR)
            doc_error(doc, diag, BRIEF_E_NOINPUT, at, "image \"%s\" not found (looked for %s)",
                      b->image, b->image_resolved);
        else
            doc_error(doc, diag, BRIEF_E_NOINPUT, at, "cannot open image %s: %s",
                      b->image_resolved, strerror(err));
        sb_free(&where);
        return BRIEF_E_NOINPUT;
    }
    bool allowed = inside_dir(real, doc->base_dir ? doc->base_dir : ".");
    for (size_t i = 0; !allowed && i < doc->nallowed; i++)
        allowed = inside_dir(real, doc->allowed_dirs[i]);
    if (!allowed) {
        doc_error(doc, diag, BRIEF_E_DATA, at, "image \"%s\" is outside the brief's directory "
                  "(images must be under %s or a directory given with --allow-path)", b->image,
                  doc->base_dir ? doc->base_dir : ".");
        free(real);
        sb_free(&where);
        return BRIEF_E_DATA;
    }
    sb_free(&where);
    *path = real;
    return BRIEF_OK;
}

/* ------------------------------------------------------------------ */
/* header and footer                                                   */

char *doc_expand_template(const char *tpl, int page, int pages, const char *title)
{
    strbuf out = {0};
    sb_puts(&out, "");
    for (const char *p = tpl ? tpl : ""; *p;) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            sb_append(&out, p, 1);
            p += 2;
        } else if (strncmp(p, "{page}", 6) == 0) {
            sb_printf(&out, "%d", page);
            p += 6;
        } else if (strncmp(p, "{pages}", 7) == 0) {
            sb_printf(&out, "%d", pages);
            p += 7;
        } else if (strncmp(p, "{title}", 7) == 0) {
            sb_puts(&out, title ? title : "");
            p += 7;
        } else {
            sb_append(&out, p++, 1);
        }
    }
    if (out.failed) {
        sb_free(&out);
        return NULL;
    }
    return out.s;
}
