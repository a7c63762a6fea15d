/*
 * render.c — the PDF surface (stage 5): brief_render_pdf and friends.
 *
 * Takes a validated document; lays it out, paints every page onto a cairo
 * PDF surface and adds what only a PDF has: metadata, the outline built
 * from the headings, page labels.  Guarantees that a failure anywhere —
 * layout, a full disk, a cairo error — leaves the target file untouched,
 * and that with SOURCE_DATE_EPOCH set the bytes are identical run to run.
 */
#define _GNU_SOURCE
#include <cairo-pdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "util/diag.h"
#include "page/layout.h"
#include "text/engine.h"
#include "out/output.h"
#include "out/pdf_tags.h"

#define MAX_OUTLINE_DEPTH 3

static void set_metadata(cairo_surface_t *s, const brief_doc *doc)
{
    const doc_meta *m = &doc->meta;
    output_pdf_stamp(s, m->title);
    if (m->author && *m->author)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, m->author);
    if (m->subject && *m->subject)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, m->subject);
    if (m->keywords && *m->keywords)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_KEYWORDS, m->keywords);
}

/* Outline entries for the headings on page i; parents[] holds the id of
 * the latest entry at each level so deeper headings nest under it. */
static void add_outline(cairo_surface_t *s, const doc_layout *dl, size_t i,
                        int parents[MAX_OUTLINE_DEPTH + 1])
{
    const page_layout *pg = &dl->pages[i];
    for (size_t k = 0; k < pg->nitems; k++) {
        const block *b = pg->items[k].bl->blk;
        if (b->type != BLOCK_HEADING || pg->items[k].continued)
            continue;
        int level = b->level < 1 ? 1 : b->level > MAX_OUTLINE_DEPTH ? MAX_OUTLINE_DEPTH : b->level;
        char dest[96];
        snprintf(dest, sizeof dest, "page=%zu pos=[%.2f %.2f]", i + 1, pg->items[k].x_pt,
                 pg->items[k].y_pt);
        int parent = parents[level - 1];
        int id = cairo_pdf_surface_add_outline(s, parent, b->text, dest, 0);
        parents[level] = id;
        for (int l = level + 1; l <= MAX_OUTLINE_DEPTH; l++)
            parents[l] = id;
    }
}

static brief_status surface_status(cairo_surface_t *s, const char *file, brief_diag *diag,
                                   brief_status on_error)
{
    cairo_status_t st = cairo_surface_status(s);
    if (st == CAIRO_STATUS_SUCCESS)
        return BRIEF_OK;
    if (st == CAIRO_STATUS_WRITE_ERROR)
        return BRIEF_E_IO;    /* the writer reports the reason itself */
    if (st == CAIRO_STATUS_NO_MEMORY) {
        diag_oom(diag, file, "writing the PDF");
        return BRIEF_E_OSERR;
    }
    diag_error(diag, on_error, file, "cannot produce the PDF: %s", cairo_status_to_string(st));
    return on_error;
}

static cairo_status_t collect(void *closure, const unsigned char *data, unsigned int len)
{
    pdf_bytes *b = closure;
    pdf_bytes_append(b, data, len);
    return b->oom ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

/* Puts the top-level elements back in body order (a float painted on a
 * later page than the text after it) and their alternative texts. */
static bool alts_in_body_order(const brief_doc *doc, char ***alts, size_t *n)
{
    *n = 0;
    *alts = calloc(doc->nblocks + 1, sizeof **alts);
    if (!*alts)
        return false;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const block *b = &doc->blocks[i];
        if (b->type != BLOCK_CHART && b->type != BLOCK_FIGURE)
            continue;
        if (!((*alts)[(*n)++] = block_alt_text(b)))
            return false;
    }
    return true;
}

static void free_alts(char **alts, size_t n)
{
    for (size_t i = 0; alts && i < n; i++)
        free(alts[i]);
    free(alts);
}

/* The tagged PDF cairo wrote, completed (pdf_tags.h). */
static brief_status finish_tags(const brief_doc *doc, const paint_tags *tags, pdf_bytes *pdf,
                                brief_diag *diag)
{
    char **alts = NULL;
    size_t nalts = 0;
    if (tags->oom || !alts_in_body_order(doc, &alts, &nalts)) {
        free_alts(alts, nalts);
        diag_oom(diag, doc->file, "tagging the PDF");
        return BRIEF_E_OSERR;
    }
    char err[160] = "";
    bool ok = pdf_tags_finish(pdf, doc->meta.lang, (const char *const *)alts, nalts,
                              tags->order, tags->norder, err, sizeof err);
    free_alts(alts, nalts);
    if (ok)
        return BRIEF_OK;
    if (pdf->oom) {
        diag_oom(diag, doc->file, "tagging the PDF");
        return BRIEF_E_OSERR;
    }
    diag_error(diag, BRIEF_E_SOFTWARE, doc->file, "cannot complete the PDF's structure: %s", err);
    return BRIEF_E_SOFTWARE;
}

static brief_status render_stream(brief_engine *engine, const brief_doc *doc,
                                  cairo_write_func_t write, void *closure,
                                  const brief_render_options *options, brief_diag *diag)
{
    doc_layout *dl = doc_layout_new(engine, doc, options, diag);
    if (!dl) {
        brief_status st = brief_diag_status(diag);
        return st != BRIEF_OK ? st : BRIEF_E_SOFTWARE;
    }
    /* The PDF is held in memory: the structure is completed by a rewrite
     * appended to cairo's bytes before anything is written. */
    pdf_bytes pdf = {0};
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(collect, &pdf, doc->page.width_pt,
                                                             doc->page.height_pt);
    set_metadata(s, doc);
    cairo_t *cr = cairo_create(s);
    int parents[MAX_OUTLINE_DEPTH + 1] = {CAIRO_PDF_OUTLINE_ROOT, CAIRO_PDF_OUTLINE_ROOT,
                                          CAIRO_PDF_OUTLINE_ROOT, CAIRO_PDF_OUTLINE_ROOT};
    paint_tags tags = {0};
    for (size_t i = 0; i < dl->npages; i++) {
        paint_page_tagged(dl, i, cr, &tags);
        add_outline(s, dl, i, parents);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    /* The pages are recorded (cairo keeps its own copies of the glyphs and
     * references to the fonts): the layout can go, and its pages back to
     * the system, before the fonts are subset, which is when memory peaks
     * (cairo copies each face's whole CFF table). */
    figure_cache *figures = figure_cache_take(dl);
    doc_layout_free(dl);
#ifdef __GLIBC__
    malloc_trim(0);
#endif
    cairo_surface_finish(s);
    brief_status st = pdf.oom ? BRIEF_OK : surface_status(s, doc->file, diag, BRIEF_E_SOFTWARE);
    cairo_surface_destroy(s);
    figure_cache_free(figures);
    if (pdf.oom) {
        diag_oom(diag, doc->file, "holding the PDF");
        st = BRIEF_E_OSERR;
    }
    if (st == BRIEF_OK)
        st = finish_tags(doc, &tags, &pdf, diag);
    paint_tags_clear(&tags);
    if (st == BRIEF_OK && write(closure, pdf.data, (unsigned int)pdf.len) != CAIRO_STATUS_SUCCESS)
        st = BRIEF_E_IO;
    pdf_bytes_free(&pdf);
    return st;
}

/* The engine is held for the whole render: an engine shared by threads
 * serialises its renders (engine.h). */
brief_status brief_render_pdf_stream(brief_engine *engine, const brief_doc *doc,
                                     cairo_write_func_t write, void *closure,
                                     const brief_render_options *options, brief_diag *diag)
{
    if (!engine || !doc) {
        diag_error(diag, BRIEF_E_USAGE, NULL, "brief_render_pdf: an engine and a document are required");
        return BRIEF_E_USAGE;
    }
    engine_begin(engine);
    brief_status st = render_stream(engine, doc, write, closure, options, diag);
    engine_end(engine);
    return st;
}

brief_status brief_doc_check_layout(brief_engine *engine, const brief_doc *doc,
                                    const brief_render_options *options, brief_diag *diag)
{
    if (!engine || !doc) {
        diag_error(diag, BRIEF_E_USAGE, NULL,
                   "brief_doc_check_layout: an engine and a document are required");
        return BRIEF_E_USAGE;
    }
    engine_begin(engine);
    doc_layout *dl = doc_layout_new(engine, doc, options, diag);
    brief_status st = BRIEF_OK;
    if (!dl)
        st = brief_diag_status(diag) != BRIEF_OK ? brief_diag_status(diag) : BRIEF_E_SOFTWARE;
    doc_layout_free(dl);
    engine_end(engine);
    return st;
}

static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return a && b && stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

brief_status brief_render_pdf(brief_engine *engine, const brief_doc *doc, const char *out_path,
                              const brief_render_options *options, brief_diag *diag)
{
    if (strcmp(out_path, "-") != 0 && same_file(out_path, doc->file)) {
        diag_error(diag, BRIEF_E_CANTCREAT, out_path,
                   "the output would overwrite the input (choose another -o)");
        return BRIEF_E_CANTCREAT;
    }
    atomic_file af;
    brief_status st = atomic_open(&af, out_path, diag);
    if (st != BRIEF_OK)
        return st;
    st = brief_render_pdf_stream(engine, doc, atomic_write, &af, options, diag);
    if (st == BRIEF_E_IO && af.failed) {
        diag_error(diag, BRIEF_E_IO, out_path, "cannot write: %s", strerror(af.saved_errno));
        atomic_abort(&af);
        return BRIEF_E_IO;
    }
    if (st != BRIEF_OK) {
        atomic_abort(&af);
        return st;
    }
    return atomic_commit(&af, diag);
}
