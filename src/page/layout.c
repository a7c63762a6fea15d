/*
 * layout.c — from document model to pages (stage 3): the entry.
 *
 * Takes a validated brief_doc; gives a doc_layout: the column and styles,
 * then every block set or measured once (text, charts, figures, tables,
 * kpi tiles, lists, masthead), then the pages (layout_paginate.c), their
 * running header and footer, and the footnote numbers.  Fonts are checked
 * first (layout_fonts.c): a fallback font only when the brief's own lack a
 * character, each missing character reported once.
 * Guarantees: every block is set once, into whole grid lines of the body
 * pitch.  The page count is bounded (LAYOUT_MAX_PAGES) before any block is
 * set, from a lower bound of each block's lines that costs no shaping
 * (layout_cost.c), and again after each block is set, so a brief past the
 * limit stops the moment it is certain to be; so is the memory the layout
 * needs.  (Charts, the costliest blocks to set, are bounded in number and
 * bars by validation.)
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
#include "page/layout_internal.h"
#include "page/rich.h"

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

int layout_lines_for(double height_pt, double pitch_pt)
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

static double mark_room_pt(const doc_layout *dl)
{
    return NOTE_MARK_ROOM_EM * dl->doc->style.font_size_pt;
}

static text_block *rich_block(doc_layout *dl, const text_style *st, const rich_text *rt,
                              double measure, marked_text *m)
{
    marked_runs(rt, NULL, m);
    return text_block_new_rich(dl->ctx, st, m->s->str, m->links, m->nlinks,
                               mark_room_pt(dl) / st->size_pt, measure);
}

const char *layout_note_path(const block_layout *bl, int k)
{
    const block *b = bl->blk;
    if (bl->note_src)
        return bl->note_src[k].json_path;
    for (size_t i = 0; b->rich && i < b->rich->nruns; i++)
        if (b->rich->runs[i].kind == RUN_NOTE && k-- == 0)
            return b->rich->runs[i].json_path;
    return b->json_path;
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
    bl->lines = layout_lines_for(text_block_height(bl->text, 0, n), dl->pitch_pt);
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
    bl->lines = layout_lines_for(bl->box_h_pt, dl->pitch_pt);
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
    if (b->caption && (*b->caption || b->caption_rich)) {
        text_style st = make_style(dl->doc, engine_face_family(dl->engine, dl->doc->style.heading_font),
                                   round_half(dl->doc->style.font_size_pt * SMALL_SCALE), 400,
                                   dl->pitch_pt, 0, TEXT_CENTER);
        bl->text = page_text_new(dl->ctx, &st, b->caption, b->caption_rich, NULL,
                                 mark_room_pt(dl), dl->measure_pt);
        if (!bl->text)
            return false;
        caption_lines = text_block_line_count(bl->text);
    }
    bl->lines = layout_lines_for(h, dl->pitch_pt) + caption_lines;
    return true;
}

/* ---- tables, kpi tiles, lists, masthead (page/table.c, page/bulletin.c) ---- */

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
    bl->lines = layout_lines_for(bl->box_h_pt, dl->pitch_pt);
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
    bl->lines = layout_lines_for(bl->box_h_pt, dl->pitch_pt);
    if (bl->lines > dl->lines_per_page && bl->blk->type != BLOCK_LIST) {
        doc_error_at(doc, diag, BRIEF_E_DATA, bl->blk->at, bl->blk->json_path,
                  "the block needs %d lines but a page holds %d (expected fewer items or "
                  "shorter texts)", bl->lines, dl->lines_per_page);
        return false;
    }
    return true;
}

/* The footnotes of one text of a block of several texts: note k of rt
 * has the k-th mark of tb, shown with row or item `unit`. */
static bool add_note_source(doc_layout *dl, block_layout *bl, const text_block *tb,
                            const rich_text *rt, int unit, int face)
{
    if (!tb || !rt)
        return true;
    double measure = dl->measure_pt - dl->note_indent_pt;
    int mark = 0;
    for (size_t i = 0; i < rt->nruns; i++) {
        if (rt->runs[i].kind != RUN_NOTE)
            continue;
        text_block **notes = realloc(bl->notes, (size_t)(bl->nnotes + 1) * sizeof *notes);
        if (notes)
            bl->notes = notes;
        note_source *src = realloc(bl->note_src, (size_t)(bl->nnotes + 1) * sizeof *src);
        if (src)
            bl->note_src = src;
        if (!notes || !src)
            return false;
        marked_text nm = {0};
        text_block *t = rich_block(dl, &dl->note, rt->runs[i].note, measure, &nm);
        marked_clear(&nm);
        if (!t)
            return false;
        bl->notes[bl->nnotes] = t;
        bool bold_run = i > 0 && rt->runs[i - 1].kind != RUN_NOTE && rt->runs[i - 1].bold;
        bl->note_src[bl->nnotes++] =
            (note_source){tb, mark++, unit, rt->runs[i].json_path, face | (bold_run ? 1 : 0)};
    }
    return true;
}

/* The footnotes of a figure's caption, a table's title and note, list
 * items and key figures' labels, in reading order. */
static bool set_source_notes(doc_layout *dl, block_layout *bl, brief_diag *diag)
{
    const block *b = bl->blk;
    bool ok = true;
    /* the faces of the texts: captions and key-figure labels in the
     * heading family, a table's title in its bold, a table's note and list
     * items in the body's regular face */
    int head = strcmp(engine_face_family(dl->engine, dl->doc->style.heading_font),
                      engine_face_family(dl->engine, dl->doc->style.body_font)) != 0 ? 2 : 0;
    if (b->type == BLOCK_FIGURE) {
        ok = add_note_source(dl, bl, bl->text, b->caption_rich, 0, head);
    } else if (b->type == BLOCK_TABLE && bl->table) {
        int last = bl->table->nrows ? (int)bl->table->nrows - 1 : 0;
        ok = add_note_source(dl, bl, bl->table->title, b->table->title_rich, 0, head + 1) &&
             add_note_source(dl, bl, bl->table->note, b->table->note_rich, last, 0);
    } else if (b->type == BLOCK_LIST && bl->box && b->list->items_rich) {
        for (size_t k = 0; ok && k < bl->box->nitems; k++)
            ok = add_note_source(dl, bl, bl->box->items[k], b->list->items_rich[k], (int)k, 0);
    } else if (b->type == BLOCK_KPI && bl->box) {
        for (size_t k = 0; ok && k < bl->box->ntiles; k++)
            ok = add_note_source(dl, bl, bl->box->tiles[k].label, b->kpi->items[k].label_rich, 0,
                                 head);
    }
    if (!ok)
        diag_oom(diag, dl->doc->file, "setting footnotes");
    return ok;
}

static bool set_one_block(doc_layout *dl, size_t i, brief_diag *diag);

static bool set_block(doc_layout *dl, size_t i, brief_diag *diag)
{
    return set_one_block(dl, i, diag) && set_source_notes(dl, &dl->blocks[i], diag);
}

static bool set_one_block(doc_layout *dl, size_t i, brief_diag *diag)
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
        page_estimate_exceeded(dl, &pb, diag) || !layout_memory_within_limit(dl, diag)) {
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

int layout_mark_face(const doc_layout *dl, const block_layout *bl, int k)
{
    if (bl->note_src)
        return bl->note_src[k].face;
    double measure;
    text_style st = layout_style_for(dl, bl->blk, &measure);
    bool bold = st.weight >= 700;
    const rich_text *rt = bl->blk->rich;
    for (size_t i = 0; rt && i < rt->nruns; i++)
        if (rt->runs[i].kind == RUN_NOTE && k-- == 0) {
            bold = bold || (i > 0 && rt->runs[i - 1].kind != RUN_NOTE && rt->runs[i - 1].bold);
            break;
        }
    bool head = strcmp(st.family, engine_face_family(dl->engine, dl->doc->style.body_font)) != 0;
    return 2 * head + bold;
}

/* Sets the numbers the pages need, once: marks (in every face) and note
 * labels. */
static bool set_note_labels(doc_layout *dl, brief_diag *diag)
{
    int most = 0;
    for (size_t i = 0; i < dl->npages; i++)
        if ((int)dl->pages[i].nnotes > most)
            most = (int)dl->pages[i].nnotes;
    if (most == 0)
        return true;
    dl->marks = calloc((size_t)most * MARK_FACES, sizeof *dl->marks);
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
    const char *families[2] = {engine_face_family(dl->engine, dl->doc->style.body_font),
                               engine_face_family(dl->engine, dl->doc->style.heading_font)};
    for (int n = 1; n <= most; n++) {
        char num[16];
        circled(n, num, sizeof num);
        dl->labels[n - 1] = text_block_new(dl->ctx, &label, num, 0);
        bool ok = dl->labels[n - 1] != NULL;
        for (int f = 0; f < MARK_FACES && ok; f++) {
            mark.family = families[f / 2];
            mark.weight = f % 2 ? 700 : 400;
            ok = (dl->marks[f * most + n - 1] = text_block_new(dl->ctx, &mark, num, 0)) != NULL;
        }
        if (!ok) {
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
    engine_use_fallback(engine, layout_doc_needs_fallback(dl));
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
    ok = ok && layout_report_missing_glyphs(dl, opt, diag) && layout_paginate(dl, diag) &&
         layout_set_running_texts(dl, diag) && set_note_labels(dl, diag);
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
    for (int n = 0; n < dl->nlabels; n++)
        text_block_free(dl->labels ? dl->labels[n] : NULL);
    for (int n = 0; n < MARK_FACES * dl->nlabels; n++)
        text_block_free(dl->marks ? dl->marks[n] : NULL);
    free(dl->marks);
    free(dl->labels);
    for (size_t i = 0; dl->blocks && i < dl->doc->nblocks; i++) {
        for (int k = 0; k < dl->blocks[i].nnotes; k++)
            text_block_free(dl->blocks[i].notes[k]);
        free(dl->blocks[i].notes);
        free(dl->blocks[i].note_src);
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
