/*
 * layout_fonts.c — font coverage of the brief's texts (stage 3).
 *
 * Takes a doc_layout (before its blocks are set, or after); gives whether
 * the engine's fallback font is needed, and the warnings (errors with
 * --strict) for characters no font has.
 * Guarantees: every text brief draws is looked at — blocks, captions,
 * footnotes, tables, kpi tiles, lists, masthead, charts, running header
 * and footer — and each block or running text with a missing character is
 * reported once, at its file, line:column and JSON path.
 */
#define _GNU_SOURCE
#include "page/layout.h"

#include <string.h>

#include "util/diag.h"
#include "text/engine.h"
#include "page/table.h"
#include "page/bulletin.h"
#include "page/layout_internal.h"

/* ---- fonts: coverage and missing glyphs ---- */

/* Every text a chart draws from the brief (its numbers are digits), one
 * per line; NULL when out of memory. */
static GString *chart_texts(const chart_spec *c)
{
    GString *g = g_string_new(NULL);
    const char *texts[] = {c->title, c->subtitle, c->note, c->unit};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (texts[i])
            g_string_append_printf(g, "%s\n", texts[i]);
    const dataset *d = c->data;
    for (size_t col = 0; col < d->ncols; col++)
        g_string_append_printf(g, "%s\n", d->columns[col]);
    for (size_t r = 0; r < d->nrows; r++) {
        const cell *k = dataset_cell(d, r, c->category_col);
        if (k->kind == CELL_TEXT)
            g_string_append_printf(g, "%s\n", k->text);
    }
    for (size_t i = 0; i < c->nrefs; i++)
        if (c->refs[i].label)
            g_string_append_printf(g, "%s\n", c->refs[i].label);
    return g;
}

static bool chart_covered(const brief_engine *e, const chart_spec *c)
{
    GString *g = chart_texts(c);
    bool covered = engine_covers(e, g->str);
    g_string_free(g, TRUE);
    return covered;
}

/* The running header's or footer's text as far as fonts go: the template
 * and the title it may show (page numbers are digits). */
static GString *running_text(const brief_doc *doc, const char *tpl)
{
    GString *g = g_string_new(tpl ? tpl : "");
    if (tpl && strstr(tpl, "{title}") && doc->meta.title)
        g_string_append_printf(g, "\n%s", doc->meta.title);
    return g;
}

static bool all_covered(const brief_engine *e, const char *const *texts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (texts[i] && !engine_covers(e, texts[i]))
            return false;
    return true;
}

/* The texts of a table, kpi, list or masthead. */
static bool bulletin_covered(const brief_engine *e, const block *b)
{
    if (b->table) {
        const table_spec *t = b->table;
        const char *texts[] = {t->title, t->note, t->total};
        if (!all_covered(e, texts, 3))
            return false;
        for (size_t g = 0; g < t->ngroups; g++)
            if (!engine_covers(e, t->groups[g].label))
                return false;
        for (size_t c = 0; c < t->ncols; c++) {
            size_t col = t->cols[c].col;
            if (!engine_covers(e, t->data->columns[col]) || !engine_covers(e, t->cols[c].unit))
                return false;
            for (size_t r = 0; r < t->data->nrows; r++) {
                const cell *k = dataset_cell(t->data, r, col);
                if (k->kind == CELL_TEXT && !engine_covers(e, k->text))
                    return false;
            }
        }
    }
    for (size_t i = 0; b->kpi && i < b->kpi->nitems; i++) {
        const kpi_item *it = &b->kpi->items[i];
        const char *texts[] = {it->label, it->unit, it->change_unit, it->change_label};
        if (!all_covered(e, texts, 4))
            return false;
    }
    if (b->list && !all_covered(e, (const char *const *)b->list->items, b->list->nitems))
        return false;
    if (b->masthead) {
        const masthead_spec *m = b->masthead;
        const char *texts[] = {m->title, m->issue, m->org, m->date, m->mark};
        return all_covered(e, texts, 5);
    }
    return true;
}

/* The notes' text (the block's text holds only the runs outside them). */
static bool notes_covered(const brief_engine *e, const rich_text *rt)
{
    for (size_t i = 0; rt && i < rt->nruns; i++) {
        const rich_run *r = &rt->runs[i];
        if (r->kind == RUN_NOTE ? !notes_covered(e, r->note)
                                : (r->text && !engine_covers(e, r->text)))
            return false;
    }
    return true;
}

/* The notes of the block's other fields given as runs (their plain text
 * is checked with the block's). */
static bool field_notes_covered(const brief_engine *e, const block *b)
{
    if (!notes_covered(e, b->caption_rich))
        return false;
    if (b->table && (!notes_covered(e, b->table->title_rich) || !notes_covered(e, b->table->note_rich)))
        return false;
    for (size_t i = 0; b->list && b->list->items_rich && i < b->list->nitems; i++)
        if (!notes_covered(e, b->list->items_rich[i]))
            return false;
    for (size_t i = 0; b->kpi && i < b->kpi->nitems; i++)
        if (!notes_covered(e, b->kpi->items[i].label_rich))
            return false;
    return true;
}

bool layout_doc_needs_fallback(const doc_layout *dl)
{
    const brief_doc *doc = dl->doc;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const block *b = &doc->blocks[i];
        if ((b->text && !engine_covers(dl->engine, b->text)) ||
            (b->caption && !engine_covers(dl->engine, b->caption)))
            return true;
        if (b->chart && !chart_covered(dl->engine, b->chart))
            return true;
        if (!bulletin_covered(dl->engine, b))
            return true;
        if ((b->rich && !notes_covered(dl->engine, b->rich)) || !field_notes_covered(dl->engine, b))
            return true;
    }
    for (int k = 0; k < 2; k++) {
        GString *g = running_text(doc, k ? doc->page.footer : doc->page.header);
        bool covered = engine_covers(dl->engine, g->str);
        g_string_free(g, TRUE);
        if (!covered)
            return true;
    }
    return false;
}

/* Reports the characters of `text` no font has, at json_path: a warning,
 * or with --strict an error; false when that refuses the brief. */
static bool report_missing_in(const doc_layout *dl, const char *text, src_pos at,
                              const char *json_path, const brief_render_options *opt,
                              brief_diag *diag)
{
    char list[256];
    if (engine_describe_missing(dl->engine, text, list, sizeof list) == 0)
        return true;
    bool strict = opt && opt->strict;
    diag_add(diag, strict ? BRIEF_ERROR : BRIEF_WARNING, strict ? BRIEF_E_DATA : BRIEF_OK,
             dl->doc->file, at.line, at.column, json_path,
             "no font has %s; %s", list, strict ? "refusing to render (--strict)"
                                                : "it prints as a box");
    return !strict;
}

/* Every text brief draws: blocks, footnotes, captions, charts, header and
 * footer. */
bool layout_report_missing_glyphs(const doc_layout *dl, const brief_render_options *opt,
                                  brief_diag *diag)
{
    bool ok = true;
    const brief_doc *doc = dl->doc;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const block_layout *bl = &dl->blocks[i];
        const text_block *tb = bl->text && text_block_unknown_glyphs(bl->text) > 0 ? bl->text
                               : bl->table ? table_first_missing(bl->table)
                               : bl->box ? box_first_missing(bl->box) : NULL;
        for (int k = 0; !tb && k < bl->nnotes; k++)   /* footnotes, of any of its fields */
            if (text_block_unknown_glyphs(bl->notes[k]) > 0)
                tb = bl->notes[k];
        if (tb)
            ok = report_missing_in(dl, text_block_text(tb), bl->blk->at, bl->blk->json_path,
                                   opt, diag) && ok;
        /* footnotes: each at its note run's path */
        for (int k = 0; k < bl->nnotes; k++)
            if (text_block_unknown_glyphs(bl->notes[k]) > 0)
                ok = report_missing_in(dl, text_block_text(bl->notes[k]), bl->blk->at,
                                       layout_note_path(bl, k), opt, diag) && ok;
        const chart_spec *c = bl->blk->chart;
        if (bl->blk->type == BLOCK_CHART && c && !chart_covered(dl->engine, c)) {
            GString *g = chart_texts(c);
            ok = report_missing_in(dl, g->str, bl->blk->at, bl->blk->json_path, opt, diag) && ok;
            g_string_free(g, TRUE);
        }
    }
    for (int k = 0; k < 2; k++) {
        const char *tpl = k ? doc->page.footer : doc->page.header;
        GString *g = running_text(doc, tpl);
        if (!engine_covers(dl->engine, g->str))
            ok = report_missing_in(dl, g->str, k ? doc->page.footer_at : doc->page.header_at,
                                   k ? "page.footer" : "page.header", opt, diag) && ok;
        g_string_free(g, TRUE);
    }
    return ok;
}
