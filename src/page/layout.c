/*
 * layout.c — from document model to pages (stage 3).
 *
 * Takes a validated brief_doc; gives a doc_layout: every block set or
 * measured once, then distributed over pages in whole grid lines.
 * Guarantees: paragraphs split only between lines and never leave fewer
 * than two lines at either side of a page break; headings stay with at
 * least two lines of what follows (or the whole chart or figure that
 * follows); charts, figures, titles and the lead box are never split.
 * Reading order: a chart or figure that does not fit the rest of a page
 * floats to the top of the next while the text of its own section fills
 * the page, but never past the next heading (of any level) or page break;
 * with "place": "here" it does not float at all.  The page count is
 * bounded (LAYOUT_MAX_PAGES) before any block is set, from a lower bound
 * of each block's lines that costs no shaping (layout_cost.c), and again
 * after each block is set, so a brief past the limit stops the moment it
 * is certain to be; so is the memory the layout needs.  (Charts, the
 * costliest blocks to set, are bounded in number and bars by validation.)
 */
#define _GNU_SOURCE
#include "page/layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "text/engine.h"
#include "page/figure.h"
#include "page/table.h"
#include "page/bulletin.h"
#include "page/layout_cost.h"

#define MIN_SPLIT_LINES 2         /* widow and orphan limit */

/* Sizes as multiples of the body size.  Few distinct sizes: glyphs are
 * decoded once per (glyph, size), the main cost of a render. */
#define TITLE_SCALE 2.0
#define H1_SCALE 1.333
#define SMALL_SCALE 0.857         /* byline, captions, header, footer */

static double round_half(double pt) { return floor(pt * 2 + 0.5) / 2; }

static text_style make_style(const brief_doc *doc, const char *family, double size,
                             int weight, double pitch, double indent, text_align align)
{
    text_style st = {
        .family = family, .size_pt = size, .weight = weight, .pitch_pt = pitch,
        .indent_em = indent, .align = align,
        .cjk_latin_space_em = doc->style.cjk_latin_space_em,
        .normalize_punctuation = doc->style.normalize_punctuation,
        .rgb = {0.08, 0.08, 0.08},
    };
    return st;
}

/* The column: page width less margins, snapped down to whole characters of
 * the body size and centred, so every full line holds a whole number of
 * Han characters and the text block stays on the page's axis. */
static void set_column(doc_layout *dl)
{
    const brief_doc *doc = dl->doc;
    double size = doc->style.font_size_pt;
    double avail = doc->page.width_pt - doc->page.margin_pt[1] - doc->page.margin_pt[3];
    dl->measure_pt = avail;
    dl->text_x_pt = doc->page.margin_pt[3];
    if (doc->style.grid) {
        double chars = floor(avail / size + 1e-6);
        dl->measure_pt = chars * size;
        dl->text_x_pt += (avail - dl->measure_pt) / 2;
    }
    dl->pitch_pt = size * doc->style.line_height;
    double avail_h = doc->page.height_pt - doc->page.margin_pt[0] - doc->page.margin_pt[2];
    dl->lines_per_page = (int)floor(avail_h / dl->pitch_pt + 1e-6);
    if (dl->lines_per_page < 1)
        dl->lines_per_page = 1;
    dl->text_y_pt = doc->page.margin_pt[0];
}

static int lines_for(double height_pt, double pitch_pt)
{
    return (int)ceil(height_pt / pitch_pt - 1e-6);
}

/* Style, measure and spacing of each text block type. */
text_style layout_style_for(const doc_layout *dl, const block *b, double *measure)
{
    const brief_doc *doc = dl->doc;
    const char *body_family = engine_face_family(dl->engine, doc->style.body_font);
    const char *head_family = engine_face_family(dl->engine, doc->style.heading_font);
    double s = doc->style.font_size_pt, p = dl->pitch_pt;
    *measure = dl->measure_pt;
    switch (b->type) {
    case BLOCK_TITLE: {
        double size = round_half(s * TITLE_SCALE);
        return make_style(doc, head_family, size, 700, size * 1.35, 0, TEXT_CENTER);
    }
    case BLOCK_BYLINE:
        return make_style(doc, head_family, round_half(s * SMALL_SCALE), 400, p, 0, TEXT_CENTER);
    case BLOCK_LEAD:
        /* One em of padding inside the shaded box on each side. */
        *measure = dl->measure_pt - 2 * s;
        return make_style(doc, body_family, s, 400, p, 2, TEXT_JUSTIFY);
    case BLOCK_HEADING:
        if (b->level == 1)
            return make_style(doc, head_family, round_half(s * H1_SCALE), 700, p, 0, TEXT_LEFT);
        return make_style(doc, head_family, s, 700, p, 0, TEXT_LEFT);
    default:
        return make_style(doc, body_family, s, 400, p, 2, TEXT_JUSTIFY);
    }
}

static int space_before(const block *b, const block *prev)
{
    switch (b->type) {
    case BLOCK_HEADING:
        if (prev && prev->type == BLOCK_HEADING)
            return 0;
        return 1;
    case BLOCK_LEAD:
    case BLOCK_CHART:
    case BLOCK_FIGURE:
    case BLOCK_TABLE:
    case BLOCK_KPI:
        return 1;
    case BLOCK_LIST:
        return (prev && prev->type != BLOCK_PARAGRAPH && prev->type != BLOCK_HEADING) ? 1 : 0;
    case BLOCK_PARAGRAPH:
        return (prev && (prev->type == BLOCK_CHART || prev->type == BLOCK_FIGURE ||
                         prev->type == BLOCK_LEAD || prev->type == BLOCK_BYLINE ||
                         prev->type == BLOCK_TITLE || prev->type == BLOCK_TABLE ||
                         prev->type == BLOCK_KPI || prev->type == BLOCK_LIST)) ? 1 : 0;
    default:
        return 0;
    }
}

/* ---- rich text and footnotes ---- */

#define NOTE_MARK_EM 0.6          /* superscript mark size, of the body size */
#define NOTE_MARK_ROOM_EM 0.62    /* room the text leaves for it */

/* The runs as one marked string for text_block_new_rich; the links in
 * order; the notes' own runs.  False when out of memory. */
typedef struct marked_text {
    GString *s;
    const char **links;
    int nlinks;
    const rich_text **notes;
    int nnotes;
} marked_text;

static void marked_clear(marked_text *m)
{
    if (m->s)
        g_string_free(m->s, TRUE);
    g_free(m->links);
    g_free(m->notes);
}

static void mark_runs(const rich_text *rt, marked_text *m)
{
    m->s = g_string_new("");
    m->links = g_new0(const char *, rt->nruns + 1);
    m->notes = g_new0(const rich_text *, rt->nruns + 1);
    for (size_t i = 0; i < rt->nruns; i++) {
        const rich_run *r = &rt->runs[i];
        if (r->kind == RUN_NOTE) {
            g_string_append(m->s, TEXT_NOTE_MARK);
            m->notes[m->nnotes++] = r->note;
            continue;
        }
        if (r->link) {
            g_string_append(m->s, TEXT_MARK_LINK_ON);
            m->links[m->nlinks++] = r->link;
        }
        if (r->bold)
            g_string_append(m->s, TEXT_MARK_BOLD_ON);
        g_string_append(m->s, r->text ? r->text : "");
        if (r->bold)
            g_string_append(m->s, TEXT_MARK_BOLD_OFF);
        if (r->link)
            g_string_append(m->s, TEXT_MARK_LINK_OFF);
    }
}

static text_block *rich_block(doc_layout *dl, const text_style *st, const rich_text *rt,
                              double measure, marked_text *m)
{
    mark_runs(rt, m);
    return text_block_new_rich(dl->ctx, st, m->s->str, m->links, m->nlinks, NOTE_MARK_ROOM_EM,
                               measure);
}

static bool set_notes(doc_layout *dl, block_layout *bl, const marked_text *m)
{
    if (m->nnotes == 0)
        return true;
    bl->notes = calloc((size_t)m->nnotes, sizeof *bl->notes);
    if (!bl->notes)
        return false;
    bl->nnotes = m->nnotes;
    double measure = dl->measure_pt - dl->note_indent_pt;
    for (int k = 0; k < m->nnotes; k++) {
        marked_text nm = {0};
        bl->notes[k] = rich_block(dl, &dl->note, m->notes[k], measure, &nm);
        marked_clear(&nm);
        if (!bl->notes[k])
            return false;
    }
    return true;
}

static bool set_text_block(doc_layout *dl, block_layout *bl, brief_diag *diag)
{
    double measure;
    text_style st = layout_style_for(dl, bl->blk, &measure);
    if (bl->blk->rich) {
        marked_text m = {0};
        bl->text = rich_block(dl, &st, bl->blk->rich, measure, &m);
        bool ok = bl->text && set_notes(dl, bl, &m);
        marked_clear(&m);
        if (!ok) {
            diag_oom(diag, dl->doc->file, "setting footnotes");
            return false;
        }
    } else {
        bl->text = text_block_new(dl->ctx, &st, bl->blk->text, measure);
    }
    if (!bl->text) {
        diag_add(diag, BRIEF_ERROR, BRIEF_E_OSERR, dl->doc->file, 0, 0, bl->blk->json_path,
                 "cannot lay out the text (out of memory)");
        return false;
    }
    int n = text_block_line_count(bl->text);
    bl->lines = lines_for(text_block_height(bl->text, 0, n), dl->pitch_pt);
    if (bl->blk->type == BLOCK_LEAD)
        bl->lines += 1;            /* half a line of padding above and below */
    return true;
}

/* A chart's box is the text width (or its own "width", if narrower) and
 * its own "height" exactly, or the chart's natural height for that width:
 * the chart in the brief is the chart `brief chart` exports at that size. */
static bool set_chart_block(doc_layout *dl, block_layout *bl, brief_diag *diag)
{
    const chart_spec *spec = bl->blk->chart;
    double w = spec->width_pt > 0 ? fmin(spec->width_pt, dl->measure_pt) : dl->measure_pt;
    double h = spec->height_pt;
    if (!(h > 0))
        chart_natural_size(spec, dl->measure_pt, NULL, &h);
    double max_h = (dl->lines_per_page - 1) * dl->pitch_pt;
    if (h > max_h)
        h = max_h;
    bl->chart = chart_layout_new(dl->engine, spec, w, h, dl->doc->file, diag);
    if (!bl->chart) {
        diag_oom(diag, dl->doc->file, "laying out a chart");
        return false;
    }
    bl->box_w_pt = w;
    bl->box_h_pt = chart_layout_height(bl->chart);
    bl->lines = lines_for(bl->box_h_pt, dl->pitch_pt);
    return true;
}

static bool set_figure_block(doc_layout *dl, block_layout *bl, brief_diag *diag)
{
    const block *b = bl->blk;
    /* A placeholder stands for a photo: a modest 3:2-ish box. */
    double w = b->width_pt > 0 ? fmin(b->width_pt, dl->measure_pt) : dl->measure_pt * 0.5;
    double h = w * 0.6;
    if (b->image) {
        bl->image = figure_load_image(dl->doc, b, &dl->figures, diag);
        if (!bl->image)
            return false;
        double iw = 0, ih = 0;
        figure_image_size(bl->image, &iw, &ih);
        h = w * ih / iw;
    }
    double max_h = (dl->lines_per_page - 3) * dl->pitch_pt;
    if (h > max_h) {
        w *= max_h / h;
        h = max_h;
    }
    bl->box_w_pt = w;
    bl->box_h_pt = h;
    int caption_lines = 0;
    if (b->caption && *b->caption) {
        text_style st = make_style(dl->doc, engine_face_family(dl->engine, dl->doc->style.heading_font),
                                   round_half(dl->doc->style.font_size_pt * SMALL_SCALE), 400,
                                   dl->pitch_pt, 0, TEXT_CENTER);
        bl->text = text_block_new(dl->ctx, &st, b->caption, dl->measure_pt);
        if (!bl->text)
            return false;
        caption_lines = text_block_line_count(bl->text);
    }
    bl->lines = lines_for(h, dl->pitch_pt) + caption_lines;
    return true;
}

/* ---- tables, kpi tiles, lists, masthead (page/table.c, page/bulletin.c) ---- */

/* Rows (table) or items (list) of a block that splits between them. */
static size_t row_count(const block_layout *bl)
{
    return bl->table ? bl->table->nrows : bl->box ? bl->box->nitems : 0;
}

static double part_height(const block_layout *bl, size_t first, size_t n)
{
    return bl->table ? table_part_height(bl->table, first, n) : list_part_height(bl->box, first, n);
}

static bool set_table_block(doc_layout *dl, block_layout *bl, brief_diag *diag)
{
    const brief_doc *doc = dl->doc;
    table_fonts f = {
        .body_family = engine_face_family(dl->engine, doc->style.body_font),
        .head_family = engine_face_family(dl->engine, doc->style.heading_font),
        .body_size_pt = doc->style.font_size_pt,
        .cjk_latin_space_em = doc->style.cjk_latin_space_em,
        .normalize_punctuation = doc->style.normalize_punctuation,
    };
    bl->table = table_layout_new(dl->ctx, &f, bl->blk->table, dl->measure_pt, doc, bl->blk,
                                 diag);
    if (!bl->table)
        return false;
    bl->box_w_pt = bl->table->width_pt;
    bl->box_h_pt = table_part_height(bl->table, 0, bl->table->nrows);
    bl->lines = lines_for(bl->box_h_pt, dl->pitch_pt);
    return true;
}

static bool set_box_block(doc_layout *dl, block_layout *bl, brief_diag *diag)
{
    const brief_doc *doc = dl->doc;
    bulletin_fonts f = {
        .body_family = engine_face_family(dl->engine, doc->style.body_font),
        .head_family = engine_face_family(dl->engine, doc->style.heading_font),
        .body_size_pt = doc->style.font_size_pt, .pitch_pt = dl->pitch_pt,
        .cjk_latin_space_em = doc->style.cjk_latin_space_em,
        .normalize_punctuation = doc->style.normalize_punctuation,
    };
    bl->box = box_layout_new(dl->ctx, &f, bl->blk, dl->measure_pt);
    if (!bl->box) {
        diag_oom(diag, doc->file, "setting a block");
        return false;
    }
    bl->box_w_pt = bl->box->w_pt;
    bl->box_h_pt = bl->box->h_pt;
    bl->lines = lines_for(bl->box_h_pt, dl->pitch_pt);
    if (bl->lines > dl->lines_per_page && bl->blk->type != BLOCK_LIST) {
        doc_error_at(doc, diag, BRIEF_E_DATA, bl->blk->at, bl->blk->json_path,
                  "the block needs %d lines but a page holds %d (expected fewer items or "
                  "shorter texts)", bl->lines, dl->lines_per_page);
        return false;
    }
    return true;
}

static bool set_block(doc_layout *dl, size_t i, brief_diag *diag)
{
    block_layout *bl = &dl->blocks[i];
    bl->blk = &dl->doc->blocks[i];
    bl->space_before = space_before(bl->blk, i ? &dl->doc->blocks[i - 1] : NULL);
    switch (bl->blk->type) {
    case BLOCK_CHART:
        return set_chart_block(dl, bl, diag);
    case BLOCK_FIGURE:
        return set_figure_block(dl, bl, diag);
    case BLOCK_PAGE_BREAK:
        return true;
    case BLOCK_TABLE:
        return set_table_block(dl, bl, diag);
    case BLOCK_KPI:
    case BLOCK_LIST:
    case BLOCK_MASTHEAD:
        return set_box_block(dl, bl, diag);
    default:
        return set_text_block(dl, bl, diag);
    }
}

/* Sets every block, stopping as soon as the blocks set so far and the
 * lower bounds of the rest need more pages than the limit. */
static bool set_blocks(doc_layout *dl, brief_diag *diag)
{
    page_bound pb;
    if (!page_bound_init(dl, &pb, diag) || page_bound_exceeded(dl, &pb, diag) ||
        !layout_memory_within_limit(dl, diag)) {
        page_bound_free(&pb);
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < dl->doc->nblocks && ok; i++) {
        ok = set_block(dl, i, diag);
        if (!ok || dl->blocks[i].blk->type == BLOCK_PAGE_BREAK)
            continue;
        int lines = dl->blocks[i].lines;
        if (dl->blocks[i].blk->type != BLOCK_PARAGRAPH && lines > dl->lines_per_page)
            lines = dl->lines_per_page;
        if (lines > pb.lines[i])
            page_bound_set(&pb, i, lines);
        ok = !page_bound_exceeded(dl, &pb, diag);
    }
    page_bound_free(&pb);
    return ok;
}

/* ---- pagination ---- */

#define MAX_FLOATS 4

/* Charts and figures that did not fit the rest of a page wait here and go
 * to the top of the next one, while the text after them fills the page. */
typedef struct cursor {
    page_layout *page;
    int line;                 /* next free grid line on the page */
    size_t floats[MAX_FLOATS];
    size_t nfloats;
} cursor;

static page_layout *new_page(doc_layout *dl, brief_diag *diag)
{
    if (dl->npages >= LAYOUT_MAX_PAGES) {
        diag_error(diag, BRIEF_E_DATA, dl->doc->file,
                   "the brief needs more than %d pages (expected at most %d; split it into several briefs)",
                   LAYOUT_MAX_PAGES, LAYOUT_MAX_PAGES);
        return NULL;
    }
    if (dl->npages == dl->pages_cap) {
        size_t cap = dl->pages_cap ? dl->pages_cap * 2 : 8;
        page_layout *p = realloc(dl->pages, cap * sizeof *p);
        if (!p)
            return NULL;
        dl->pages = p;
        dl->pages_cap = cap;
    }
    page_layout *pg = &dl->pages[dl->npages++];
    memset(pg, 0, sizeof *pg);
    return pg;
}

static placed_item *add_item(page_layout *pg)
{
    if (pg->nitems == pg->cap) {
        size_t cap = pg->cap ? pg->cap * 2 : 16;
        placed_item *it = realloc(pg->items, cap * sizeof *it);
        if (!it)
            return NULL;
        pg->items = it;
        pg->cap = cap;
    }
    placed_item *it = &pg->items[pg->nitems++];
    memset(it, 0, sizeof *it);
    return it;
}

static bool place_unsplit(doc_layout *dl, cursor *c, size_t i);

/* The notes whose marks are in lines [from, from+n) of bl. */
static void marks_in(const block_layout *bl, int from, int n, int *k0, int *k1)
{
    *k0 = *k1 = 0;
    for (int k = 0; k < bl->nnotes; k++) {
        int line;
        double x;
        if (!text_block_mark(bl->text, k, &line, &x))
            continue;
        if (line < from)
            *k0 = *k1 = k + 1;
        else if (line < from + n)
            *k1 = k + 1;
    }
}

/* Space above the notes: the short rule and half a note line under it. */
static double note_head_pt(const doc_layout *dl) { return dl->note.pitch_pt; }

/* Grid lines the page's note area takes if the marks in lines
 * [from, from+n) of bl joined it. */
static int note_lines_with(const doc_layout *dl, const page_layout *pg, const block_layout *bl,
                           int from, int n)
{
    int k0 = 0, k1 = 0;
    if (bl && bl->nnotes > 0)
        marks_in(bl, from, n, &k0, &k1);
    if (pg->nnotes == 0 && k1 == k0)
        return 0;
    double h = note_head_pt(dl);
    for (size_t i = 0; i < pg->nnotes; i++) {
        const text_block *t = pg->notes[i].bl->notes[pg->notes[i].k];
        h += text_block_height(t, 0, text_block_line_count(t));
    }
    for (int k = k0; k < k1; k++)
        h += text_block_height(bl->notes[k], 0, text_block_line_count(bl->notes[k]));
    return lines_for(h, dl->pitch_pt);
}

static bool add_notes(const doc_layout *dl, page_layout *pg, const block_layout *bl, int from,
                      int n)
{
    if (bl->nnotes == 0)
        return true;
    int lines = note_lines_with(dl, pg, bl, from, n);
    int k0, k1;
    marks_in(bl, from, n, &k0, &k1);
    for (int k = k0; k < k1; k++) {
        if (pg->nnotes == pg->notes_cap) {
            size_t cap = pg->notes_cap ? pg->notes_cap * 2 : 8;
            page_note *p = realloc(pg->notes, cap * sizeof *p);
            if (!p)
                return false;
            pg->notes = p;
            pg->notes_cap = cap;
        }
        pg->notes[pg->nnotes++] = (page_note){bl, k};
    }
    pg->note_lines = lines;
    return true;
}

/* The last grid line the text may use on the cursor's page, above its notes. */
static int page_limit(const doc_layout *dl, const cursor *c)
{
    return dl->lines_per_page - c->page->note_lines;
}

static bool next_page(doc_layout *dl, cursor *c, brief_diag *diag)
{
    c->page = new_page(dl, diag);
    c->line = 0;
    if (!c->page)
        return false;
    size_t n = c->nfloats;
    c->nfloats = 0;
    for (size_t k = 0; k < n; k++) {
        if (c->line > 0)
            c->line += dl->blocks[c->floats[k]].space_before;
        if (c->line + dl->blocks[c->floats[k]].lines > dl->lines_per_page && c->line > 0) {
            /* The rest wait for the page after. */
            memmove(c->floats, c->floats + k, (n - k) * sizeof c->floats[0]);
            c->nfloats = n - k;
            return true;
        }
        if (!place_unsplit(dl, c, c->floats[k]))
            return false;
    }
    /* The text that follows was written for before the floats: a line of
     * space keeps it off their lower edge. */
    if (n > 0 && c->nfloats == 0 && c->line < dl->lines_per_page)
        c->line += 1;
    return true;
}

/* A figure waiting at the end of its section may shrink, to no less than
 * FIGURE_MIN_SCALE of its height (and width: the image keeps its shape),
 * to fit the rest of the page rather than leave it blank.  Charts keep
 * their height: it is the author's, exactly. */
#define FIGURE_MIN_SCALE 0.75

static bool shrink_figure_to(doc_layout *dl, block_layout *bl, int lines)
{
    int caption = bl->text ? text_block_line_count(bl->text) : 0;
    double h = (lines - caption) * dl->pitch_pt;
    if (bl->blk->type != BLOCK_FIGURE || h < FIGURE_MIN_SCALE * bl->box_h_pt || h <= 0)
        return false;
    if (h < bl->box_h_pt) {
        bl->box_w_pt *= h / bl->box_h_pt;
        bl->box_h_pt = h;
    }
    bl->lines = lines_for(bl->box_h_pt, dl->pitch_pt) + caption;
    return bl->lines <= lines;
}

/* Floats go before a page break, a heading or the end of the document:
 * a float stays in its own section (docs/format.md, "Reading order").
 * The first may take the rest of this page if it is a figure that can
 * shrink enough; otherwise the rest of the page stays blank. */
static bool flush_floats(doc_layout *dl, cursor *c, brief_diag *diag)
{
    if (c->nfloats > 0 && c->line > 0) {
        block_layout *bl = &dl->blocks[c->floats[0]];
        int room = page_limit(dl, c) - c->line - bl->space_before;
        if (room < bl->lines && shrink_figure_to(dl, bl, room)) {
            c->line += bl->space_before;
            if (!place_unsplit(dl, c, c->floats[0]))
                return false;
            memmove(c->floats, c->floats + 1, (c->nfloats - 1) * sizeof c->floats[0]);
            c->nfloats--;
        }
    }
    while (c->nfloats > 0)
        if (!next_page(dl, c, diag))
            return false;
    return true;
}

static bool is_float(const block *b)
{
    return b->type == BLOCK_CHART || b->type == BLOCK_FIGURE;
}

/* Grid lines the start of block i needs on the page it begins on: all of
 * an unsplittable block, the first lines of a paragraph. */
static int min_start_lines(const doc_layout *dl, size_t i)
{
    if (i >= dl->doc->nblocks)
        return 0;
    const block_layout *bl = &dl->blocks[i];
    /* a paragraph too short to leave two lines on each side is unsplit */
    if (bl->blk->type == BLOCK_PARAGRAPH)
        return bl->lines < 2 * MIN_SPLIT_LINES ? bl->lines : MIN_SPLIT_LINES;
    if (bl->blk->type == BLOCK_PAGE_BREAK)
        return 0;
    if (bl->blk->type == BLOCK_TABLE || bl->blk->type == BLOCK_LIST) {
        size_t n = row_count(bl), k = bl->blk->type == BLOCK_TABLE ? TABLE_MIN_FIRST_ROWS : 1;
        int need = lines_for(part_height(bl, 0, n < k ? n : k), dl->pitch_pt);
        return need < dl->lines_per_page ? need : dl->lines_per_page;
    }
    return bl->lines;
}

static int keep_lines(const doc_layout *dl, size_t i)
{
    const block_layout *bl = &dl->blocks[i];
    if (bl->blk->type != BLOCK_HEADING)
        return min_start_lines(dl, i);
    /* A heading keeps with what follows: its own lines and the start of
     * the next block (recursively through stacked headings).  A float too
     * tall to share a page with the heading floats on; the heading then
     * keeps with the text after it. */
    int need = bl->lines;
    size_t j = i + 1;
    while (j < dl->doc->nblocks && is_float(dl->blocks[j].blk) && !dl->blocks[j].blk->place_here &&
           need + dl->blocks[j].space_before + dl->blocks[j].lines > dl->lines_per_page)
        j++;
    if (j < dl->doc->nblocks)
        need += dl->blocks[j].space_before + keep_lines(dl, j);
    if (need > dl->lines_per_page)
        need = dl->lines_per_page;
    return need;
}

static void place(doc_layout *dl, cursor *c, block_layout *bl, item_kind kind,
                  int first, int nlines, int grid_lines, placed_item **out)
{
    placed_item *it = add_item(c->page);
    *out = it;
    if (!it)
        return;
    it->kind = kind;
    it->bl = bl;
    it->first_line = first;
    it->nlines = nlines;
    it->x_pt = dl->text_x_pt;
    it->y_pt = dl->text_y_pt + c->line * dl->pitch_pt;
    it->w_pt = dl->measure_pt;
    it->h_pt = grid_lines * dl->pitch_pt;
    c->line += grid_lines;
}

static bool place_paragraph(doc_layout *dl, cursor *c, block_layout *bl, brief_diag *diag)
{
    int total = text_block_line_count(bl->text), done = 0;
    while (done < total) {
        int left = total - done, room = page_limit(dl, c) - c->line, take = left;
        /* a mark and its note share a page: fewer lines if the notes of
         * these lines do not fit under them */
        while (room > 0 && bl->nnotes > 0 &&
               c->line + room + note_lines_with(dl, c->page, bl, done, room < left ? room : left) -
                       c->page->note_lines > page_limit(dl, c))
            room--;
        if (room < 1 && c->line == 0)
            room = 1;             /* a note taller than a page: still progress */
        if (left > room) {
            take = room;
            if (left - take < MIN_SPLIT_LINES)
                take = left - MIN_SPLIT_LINES;       /* no widow */
            if (take < MIN_SPLIT_LINES && c->line > 0)
                take = 0;                             /* no orphan */
            if (take <= 0 && c->line == 0)
                take = room < left ? room : left;     /* a page cannot hold more */
        }
        if (take > 0) {
            placed_item *it;
            place(dl, c, bl, ITEM_TEXT, done, take, take, &it);
            if (!it || !add_notes(dl, c->page, bl, done, take))
                return false;
            it->continued = done > 0;
            done += take;
            it->continues = done < total;
        }
        if (done < total && !next_page(dl, c, diag))
            return false;
    }
    return true;
}

/* How many rows from `first` a part of at most room_pt holds. */
static size_t rows_fitting(const block_layout *bl, size_t first, double room_pt)
{
    size_t n = 0, total = row_count(bl);
    while (first + n < total && part_height(bl, first, n + 1) <= room_pt + 1e-6)
        n++;
    return n;
}

/* A table splits between rows, a list between items; each part on a new
 * page repeats the table's header under 续表.  The first part holds at
 * least TABLE_MIN_FIRST_ROWS rows (else the table moves whole to the next
 * page) and the last at least TABLE_MIN_LAST_ROWS; a row never splits. */
static bool place_rows(doc_layout *dl, cursor *c, block_layout *bl, brief_diag *diag)
{
    bool table = bl->blk->type == BLOCK_TABLE;
    size_t total = row_count(bl), done = 0;
    size_t min_first = table ? TABLE_MIN_FIRST_ROWS : 1, min_last = table ? TABLE_MIN_LAST_ROWS : 1;
    while (done < total) {
        double room = (dl->lines_per_page - c->line) * dl->pitch_pt;
        size_t left = total - done, take = rows_fitting(bl, done, room);
        if (take < left) {
            if (left - take < min_last)
                take = left > min_last ? left - min_last : 0;
            if (take < (left < min_first ? left : min_first) && c->line > 0)
                take = 0;                      /* moves whole to the next page */
            if (take == 0 && c->line == 0)     /* a page cannot hold more */
                take = fmax(1, rows_fitting(bl, done, room));
        }
        if (take > 0) {
            placed_item *it = add_item(c->page);
            if (!it)
                return false;
            it->kind = table ? ITEM_TABLE : ITEM_BOX;
            it->bl = bl;
            it->first_line = (int)done;
            it->nlines = (int)take;
            it->x_pt = dl->text_x_pt;
            it->y_pt = dl->text_y_pt + c->line * dl->pitch_pt;
            it->w_pt = dl->measure_pt;
            int lines = lines_for(part_height(bl, done, take), dl->pitch_pt);
            it->h_pt = lines * dl->pitch_pt;
            it->continued = done > 0;
            done += take;
            it->continues = done < total;
            c->line += lines;
        }
        if (done < total && !next_page(dl, c, diag))
            return false;
    }
    return true;
}

/* Places an unsplittable block (chart, figure, title, heading, lead …)
 * at the cursor, with the space that follows charts and figures. */
static bool place_unsplit(doc_layout *dl, cursor *c, size_t i)
{
    block_layout *bl = &dl->blocks[i];
    const block *b = bl->blk;
    placed_item *it;
    if (is_float(b)) {
        place(dl, c, bl, b->type == BLOCK_CHART ? ITEM_CHART : ITEM_FIGURE, 0,
              bl->text ? text_block_line_count(bl->text) : 0, bl->lines, &it);
        if (it) {
            it->x_pt = dl->text_x_pt + (dl->measure_pt - bl->box_w_pt) / 2;
            it->w_pt = bl->box_w_pt;
        }
    } else if (bl->box) {
        place(dl, c, bl, ITEM_BOX, 0, 0, bl->lines, &it);
    } else {
        place(dl, c, bl, ITEM_TEXT, 0, text_block_line_count(bl->text), bl->lines, &it);
        if (it && !add_notes(dl, c->page, bl, 0, text_block_line_count(bl->text)))
            return false;
    }
    if (!it)
        return false;
    /* Space below the title, dropped at the foot of a page.  Space around
     * charts and figures in the flow comes from the next block's
     * space_before. */
    if (b->type == BLOCK_TITLE && c->line < dl->lines_per_page)
        c->line += 1;
    return true;
}

/* Lines heading i needs if the floats right after it float on: its own
 * and the start of the paragraph after them; 0 when that is not a
 * paragraph of its section, a float must stay ("here") or too many wait. */
static int keep_past_floats(const doc_layout *dl, size_t i)
{
    size_t j = i + 1, n = dl->doc->nblocks;
    while (j < n && is_float(dl->blocks[j].blk) && !dl->blocks[j].blk->place_here)
        j++;
    if (j == i + 1 || j - i - 1 > MAX_FLOATS || j >= n || dl->blocks[j].blk->type != BLOCK_PARAGRAPH)
        return 0;
    return dl->blocks[i].lines + dl->blocks[j].space_before + min_start_lines(dl, j);
}

/* Extra note lines an unsplit text block (heading, lead …) brings. */
static int unsplit_note_lines(const doc_layout *dl, const cursor *c, const block_layout *bl)
{
    if (bl->nnotes == 0 || bl->blk->type == BLOCK_PARAGRAPH)
        return 0;
    return note_lines_with(dl, c->page, bl, 0, text_block_line_count(bl->text)) -
           c->page->note_lines;
}

static bool place_block(doc_layout *dl, cursor *c, size_t i, brief_diag *diag)
{
    block_layout *bl = &dl->blocks[i];
    const block *b = bl->blk;
    if (b->type == BLOCK_PAGE_BREAK)
        return flush_floats(dl, c, diag) && (c->line == 0 || next_page(dl, c, diag));
    /* A new section: the floats of the last one go first.  A float placed
     * "here" moves past nothing, floats before it included. */
    if ((b->type == BLOCK_HEADING || (is_float(b) && b->place_here)) && !flush_floats(dl, c, diag))
        return false;
    /* Charts and figures keep their order among themselves. */
    if (is_float(b) && c->nfloats > 0) {
        if (c->nfloats < MAX_FLOATS) {
            c->floats[c->nfloats++] = i;
            return true;
        }
        if (!flush_floats(dl, c, diag))
            return false;
    }
    /* A new page may start with floats, so check the room again after it. */
    int need = keep_lines(dl, i);
    if (b->type == BLOCK_HEADING && c->line > 0 &&
        c->line + bl->space_before + need > page_limit(dl, c)) {
        /* No room for the heading and the float after it: the float may
         * float on while the heading keeps with the text that follows. */
        int alt = keep_past_floats(dl, i);
        if (alt > 0 && c->line + bl->space_before + alt <= page_limit(dl, c))
            need = alt;
    }
    while (c->line > 0 && c->line + bl->space_before + need + unsplit_note_lines(dl, c, bl) >
                              page_limit(dl, c)) {
        if (is_float(b) && !b->place_here && c->nfloats < MAX_FLOATS) {
            c->floats[c->nfloats++] = i;
            return true;
        }
        if (!next_page(dl, c, diag))
            return false;
    }
    if (c->line > 0)
        c->line += bl->space_before;
    if (b->type == BLOCK_PARAGRAPH)
        return place_paragraph(dl, c, bl, diag);
    if (b->type == BLOCK_TABLE || b->type == BLOCK_LIST)
        return place_rows(dl, c, bl, diag);
    return place_unsplit(dl, c, i);
}

static bool paginate(doc_layout *dl, brief_diag *diag)
{
    cursor c = {0};
    if (!next_page(dl, &c, diag))
        return false;
    for (size_t i = 0; i < dl->doc->nblocks; i++)
        if (!place_block(dl, &c, i, diag))
            return false;
    if (!flush_floats(dl, &c, diag))
        return false;
    /* A trailing page break must not leave an empty last page. */
    if (dl->npages > 1 && dl->pages[dl->npages - 1].nitems == 0) {
        free(dl->pages[dl->npages - 1].items);
        dl->npages--;
    }
    return true;
}

/* ---- running header and footer ---- */

/* Sets the header or footer of page i, wrapped at the measure (a template
 * longer than a line, or with \n, takes several lines: text is never cut).
 * The header stands on the hairline above the text, the footer sits in the
 * bottom margin; if the margin cannot hold the lines, the brief is refused
 * with the lines needed and the room there is. */
static bool set_running_text(doc_layout *dl, size_t i, bool header, brief_diag *diag)
{
    const brief_doc *doc = dl->doc;
    const char *tpl = header ? doc->page.header : doc->page.footer;
    page_layout *pg = &dl->pages[i];
    if (!tpl || !*tpl)
        return true;
    char *text = doc_expand_template(tpl, (int)i + 1, (int)dl->npages, doc->meta.title);
    if (!text)
        return false;
    if (!*text) {
        free(text);
        return true;
    }
    text_style st = dl->header;
    st.align = header ? TEXT_LEFT : TEXT_CENTER;
    text_block *tb = text_block_new(dl->ctx, &st, text, dl->measure_pt);
    free(text);
    if (!tb)
        return false;
    double line_h = st.pitch_pt;
    int n = text_block_line_count(tb);
    double need = n * line_h, room;
    if (header) {
        pg->header = tb;
        pg->header_y_pt = dl->rule_y_pt - 1.5 - need;
        room = dl->rule_y_pt - 1.5;
    } else {
        pg->footer = tb;
        double bottom = doc->page.height_pt - doc->page.margin_pt[2];
        pg->footer_y_pt = bottom + (doc->page.margin_pt[2] - need) * 0.45;
        room = doc->page.margin_pt[2];
    }
    if (need <= room + 1e-6)
        return true;
    int fits = (int)floor(room / line_h + 1e-6);
    doc_error_at(doc, diag, BRIEF_E_DATA, header ? doc->page.header_at : doc->page.footer_at,
              header ? "page.header" : "page.footer",
              "the running %s needs %d lines of %.0f mm on page %zu, but the %s margin holds %d "
              "(expected a shorter %s or a %s margin of at least %.0f mm)",
              header ? "header" : "footer", n, dl->measure_pt * 25.4 / 72, i + 1,
              header ? "top" : "bottom", fits, header ? "header" : "footer",
              header ? "top" : "bottom",
              ceil((header ? need + 1.5 + 0.5 * dl->pitch_pt : need) * 25.4 / 72));
    return false;
}

static bool set_running_texts(doc_layout *dl, brief_diag *diag)
{
    dl->rule_y_pt = dl->text_y_pt - 0.5 * dl->pitch_pt;
    for (size_t i = 0; i < dl->npages; i++)
        if (!set_running_text(dl, i, true, diag) || !set_running_text(dl, i, false, diag))
            return false;
    return true;
}

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

static bool doc_needs_fallback(const doc_layout *dl)
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
        if (b->rich && !notes_covered(dl->engine, b->rich))
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

/* Every text brief draws: blocks, captions, charts, header and footer. */
static bool report_missing_glyphs(const doc_layout *dl, const brief_render_options *opt,
                                  brief_diag *diag)
{
    bool ok = true;
    const brief_doc *doc = dl->doc;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const block_layout *bl = &dl->blocks[i];
        const text_block *tb = bl->text && text_block_unknown_glyphs(bl->text) > 0 ? bl->text
                               : bl->table ? table_first_missing(bl->table)
                               : bl->box ? box_first_missing(bl->box) : NULL;
        if (tb)
            ok = report_missing_in(dl, text_block_text(tb), bl->blk->at, bl->blk->json_path,
                                   opt, diag) && ok;
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

/* The circled number n: ①–⑳, ㉑–㉟, ㊱–㊿, then (n). */
static void circled(int n, char *buf, size_t size)
{
    gunichar c = n <= 20 ? 0x2460 + (gunichar)(n - 1)
                 : n <= 35 ? 0x3251 + (gunichar)(n - 21)
                 : n <= 50 ? 0x32B1 + (gunichar)(n - 36) : 0;
    if (c) {
        int len = g_unichar_to_utf8(c, buf);
        buf[len] = 0;
    } else {
        snprintf(buf, size, "(%d)", n);
    }
}

/* Sets the numbers the pages need, once: marks and note labels. */
static bool set_note_labels(doc_layout *dl, brief_diag *diag)
{
    int most = 0;
    for (size_t i = 0; i < dl->npages; i++)
        if ((int)dl->pages[i].nnotes > most)
            most = (int)dl->pages[i].nnotes;
    if (most == 0)
        return true;
    dl->marks = calloc((size_t)most, sizeof *dl->marks);
    dl->labels = calloc((size_t)most, sizeof *dl->labels);
    if (!dl->marks || !dl->labels) {
        diag_oom(diag, dl->doc->file, "numbering footnotes");
        return false;
    }
    dl->nlabels = most;
    text_style mark = dl->body;
    mark.size_pt = round_half(dl->body.size_pt * NOTE_MARK_EM);
    mark.indent_em = 0;
    mark.align = TEXT_LEFT;
    text_style label = dl->note;
    label.align = TEXT_LEFT;
    for (int n = 1; n <= most; n++) {
        char num[16];
        circled(n, num, sizeof num);
        dl->marks[n - 1] = text_block_new(dl->ctx, &mark, num, 0);
        dl->labels[n - 1] = text_block_new(dl->ctx, &label, num, 0);
        if (!dl->marks[n - 1] || !dl->labels[n - 1]) {
            diag_oom(diag, dl->doc->file, "numbering footnotes");
            return false;
        }
    }
    return true;
}

doc_layout *doc_layout_new(brief_engine *engine, const brief_doc *doc,
                           const brief_render_options *opt, brief_diag *diag)
{
    doc_layout *dl = calloc(1, sizeof *dl);
    if (!dl)
        return NULL;
    dl->doc = doc;
    dl->engine = engine;
    set_column(dl);
    engine_use_fallback(engine, doc_needs_fallback(dl));
    dl->ctx = engine_pdf_context(engine);   /* the layout is drawn into a PDF */
    dl->blocks = calloc(doc->nblocks ? doc->nblocks : 1, sizeof *dl->blocks);
    if (!dl->ctx || !dl->blocks) {
        doc_layout_free(dl);
        return NULL;
    }
    double small = round_half(doc->style.font_size_pt * SMALL_SCALE);
    dl->header = make_style(doc, engine_face_family(engine, doc->style.heading_font), small, 400,
                            small * 1.4, 0, TEXT_LEFT);
    dl->body = make_style(doc, engine_face_family(engine, doc->style.body_font),
                          doc->style.font_size_pt, 400, dl->pitch_pt, 2, TEXT_JUSTIFY);
    dl->note = make_style(doc, engine_face_family(engine, doc->style.body_font), small, 400,
                          round_half(small * 1.45), 0, TEXT_JUSTIFY);
    dl->note_indent_pt = 1.5 * small;
    bool ok = set_blocks(dl, diag);
    ok = ok && report_missing_glyphs(dl, opt, diag) && paginate(dl, diag) &&
         set_running_texts(dl, diag) && set_note_labels(dl, diag);
    if (!ok) {
        doc_layout_free(dl);
        return NULL;
    }
    return dl;
}

void doc_layout_free(doc_layout *dl)
{
    if (!dl)
        return;
    for (int n = 0; n < dl->nlabels; n++) {
        text_block_free(dl->marks ? dl->marks[n] : NULL);
        text_block_free(dl->labels ? dl->labels[n] : NULL);
    }
    free(dl->marks);
    free(dl->labels);
    for (size_t i = 0; dl->blocks && i < dl->doc->nblocks; i++) {
        for (int k = 0; k < dl->blocks[i].nnotes; k++)
            text_block_free(dl->blocks[i].notes[k]);
        free(dl->blocks[i].notes);
        text_block_free(dl->blocks[i].text);
        chart_layout_free(dl->blocks[i].chart);
        table_layout_free(dl->blocks[i].table);
        box_layout_free(dl->blocks[i].box);
        if (dl->blocks[i].image)
            cairo_surface_destroy(dl->blocks[i].image);
    }
    figure_cache_free(dl->figures);
    for (size_t i = 0; i < dl->npages; i++) {
        free(dl->pages[i].items);
        free(dl->pages[i].notes);
        text_block_free(dl->pages[i].header);
        text_block_free(dl->pages[i].footer);
    }
    free(dl->pages);
    free(dl->blocks);
    if (dl->ctx)
        g_object_unref(dl->ctx);
    free(dl);
}
