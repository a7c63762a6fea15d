/*
 * paint.c — drawing one laid-out page onto a cairo_t (stage 4).
 *
 * Takes a doc_layout and a page index; draws the running header and
 * footer (set and wrapped by layout.c), the text lines, charts, figures and
 * the lead's box.  It measures and decides nothing: every position and
 * every line comes from layout.c, so the same layout paints identically on
 * any surface.
 */
#include "page/layout.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/engine.h"
#include "page/table.h"
#include "page/bulletin.h"
#include "page/rich.h"

/* Colours of the page furniture (RGB 0..1). */
static const double RULE_RGB[3] = {0.55, 0.58, 0.62};
static const double LEAD_FILL_RGB[3] = {0.945, 0.953, 0.965};
static const double LEAD_BAR_RGB[3] = {0.122, 0.267, 0.459};
static const double PLACEHOLDER_FILL_RGB[3] = {0.93, 0.94, 0.95};
static const double PLACEHOLDER_LINE_RGB[3] = {0.72, 0.75, 0.79};

#define HAIRLINE_PT 0.4

static void set_rgb(cairo_t *cr, const double rgb[3])
{
    cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
}

static void paint_header_footer(const doc_layout *dl, size_t i, cairo_t *cr)
{
    const page_layout *pg = &dl->pages[i];
    if (pg->header) {
        text_block_draw(pg->header, cr, 0, text_block_line_count(pg->header), dl->text_x_pt,
                        pg->header_y_pt);
        cairo_save(cr);
        set_rgb(cr, RULE_RGB);
        cairo_set_line_width(cr, HAIRLINE_PT);
        cairo_move_to(cr, dl->text_x_pt, dl->rule_y_pt);
        cairo_line_to(cr, dl->text_x_pt + dl->measure_pt, dl->rule_y_pt);
        cairo_stroke(cr);
        cairo_restore(cr);
    }
    if (pg->footer)
        text_block_draw(pg->footer, cr, 0, text_block_line_count(pg->footer), dl->text_x_pt,
                        pg->footer_y_pt);
}

static void paint_lead_box(const doc_layout *dl, const placed_item *it, cairo_t *cr)
{
    (void)dl;
    cairo_save(cr);
    set_rgb(cr, LEAD_FILL_RGB);
    cairo_rectangle(cr, it->x_pt, it->y_pt, it->w_pt, it->h_pt);
    cairo_fill(cr);
    set_rgb(cr, LEAD_BAR_RGB);
    cairo_rectangle(cr, it->x_pt, it->y_pt, 2.0, it->h_pt);
    cairo_fill(cr);
    cairo_restore(cr);
}

/* The page-local number (1-based) of note k of bl, 0 if not on the page. */
static int note_number(const page_layout *pg, const block_layout *bl, int k)
{
    for (size_t i = 0; i < pg->nnotes; i++)
        if (pg->notes[i].bl == bl && pg->notes[i].k == k)
            return (int)i + 1;
    return 0;
}

/* Superscript circled numbers in the gaps the text left for them. */
static void paint_marks(const doc_layout *dl, const page_layout *pg, const placed_item *it,
                        cairo_t *cr, double x, double y)
{
    const block_layout *bl = it->bl;
    double em = dl->body.size_pt;
    for (int k = 0; k < bl->nnotes; k++) {
        int line, n = note_number(pg, bl, k);
        double mx;
        if (n < 1 || n > dl->nlabels || !text_block_mark(bl->text, k, &line, &mx) ||
            line < it->first_line || line >= it->first_line + it->nlines)
            continue;
        double top = y + (line - it->first_line) * dl->pitch_pt;
        /* the mark's em box starts a little above the text's: its baseline
         * stands about 0.35 em above the line's */
        text_block_draw_beside(bl->text, dl->marks[layout_mark_face(dl, bl, k) * dl->nlabels + n - 1],
                               cr, x + mx, top - 0.2 * em);
    }
}

/* The marks of the notes of a block of several texts (note_source):
 * each where its text left a gap, the mark's em box top level with the
 * text's as in the body (paint_marks). */
typedef struct block_marks {
    mark_painter base;
    const doc_layout *dl;
    const page_layout *pg;
    const block_layout *bl;
} block_marks;

static void paint_source_marks(const mark_painter *mp, const text_block *tb, cairo_t *cr,
                               double x, double y)
{
    const block_marks *bm = (const block_marks *)mp;
    const doc_layout *dl = bm->dl;
    const block_layout *bl = bm->bl;
    for (int k = 0; bl->note_src && k < bl->nnotes; k++) {
        int line, n = note_number(bm->pg, bl, k);
        double mx;
        if (bl->note_src[k].tb != tb || n < 1 || n > dl->nlabels ||
            !text_block_mark(tb, bl->note_src[k].mark, &line, &mx))
            continue;
        const text_block *m = dl->marks[layout_mark_face(dl, bl, k) * dl->nlabels + n - 1];
        double pitch = text_block_height(tb, 0, 1), em = text_block_size(tb);
        double em_top = y + line * pitch + (pitch - em) / 2;
        double mpitch = text_block_height(m, 0, 1), mem = text_block_size(m);
        text_block_draw_beside(tb, m, cr, x + mx, em_top - (mpitch - mem) / 2);
    }
}

static block_marks marks_of(const doc_layout *dl, const page_layout *pg, const block_layout *bl)
{
    return (block_marks){{paint_source_marks}, dl, pg, bl};
}

/* The notes at the foot of the page, under a short rule: the last note
 * ends on the last grid line. */
static void paint_notes(const doc_layout *dl, const page_layout *pg, cairo_t *cr, paint_tags *tags)
{
    if (pg->nnotes == 0)
        return;
    double h = 0;
    for (size_t i = 0; i < pg->nnotes; i++) {
        const text_block *t = pg->notes[i].bl->notes[pg->notes[i].k];
        h += text_block_height(t, 0, text_block_line_count(t));
    }
    double bottom = dl->text_y_pt + dl->lines_per_page * dl->pitch_pt;
    double y = bottom - h;
    cairo_save(cr);
    set_rgb(cr, RULE_RGB);
    cairo_set_line_width(cr, HAIRLINE_PT);
    double rule_y = y - 0.5 * dl->note.pitch_pt;
    cairo_move_to(cr, dl->text_x_pt, rule_y);
    cairo_line_to(cr, dl->text_x_pt + dl->measure_pt / 4, rule_y);
    cairo_stroke(cr);
    cairo_restore(cr);
    for (size_t i = 0; i < pg->nnotes; i++) {
        const block_layout *bl = pg->notes[i].bl;
        const text_block *t = bl->notes[pg->notes[i].k];
        int n = text_block_line_count(t);
        paint_tag_begin(tags, cr, "Note", 2 * (size_t)(bl - dl->blocks) + 1);
        if ((int)i < dl->nlabels)
            text_block_draw_beside(t, dl->labels[i], cr, dl->text_x_pt, y);
        text_block_draw(t, cr, 0, n, dl->text_x_pt + dl->note_indent_pt, y);
        paint_tag_end(tags, cr, "Note");
        y += text_block_height(t, 0, n);
    }
}

static void paint_text_item(const doc_layout *dl, const page_layout *pg, const placed_item *it,
                            cairo_t *cr)
{
    const block_layout *bl = it->bl;
    double x = it->x_pt, y = it->y_pt;
    double used = text_block_height(bl->text, it->first_line, it->nlines);
    if (bl->blk->type == BLOCK_LEAD) {
        paint_lead_box(dl, it, cr);
        x += dl->doc->style.font_size_pt;
        y += (it->h_pt - used) / 2;
    } else if (bl->blk->type == BLOCK_TITLE) {
        y += (it->h_pt - used) / 2;   /* centred in its whole grid lines */
    }
    text_block_draw(bl->text, cr, it->first_line, it->nlines, x, y);
    if (bl->nnotes > 0)
        paint_marks(dl, pg, it, cr, x, y);
}

static void paint_image(const block_layout *bl, cairo_t *cr, double x, double y)
{
    cairo_save(cr);
    cairo_rectangle(cr, x, y, bl->box_w_pt, bl->box_h_pt);
    cairo_clip(cr);
    cairo_translate(cr, x, y);
    figure_paint(bl->image, cr, bl->box_w_pt, bl->box_h_pt);
    cairo_restore(cr);
}

static void paint_placeholder(const block_layout *bl, cairo_t *cr, double x, double y)
{
    double w = bl->box_w_pt, h = bl->box_h_pt;
    cairo_save(cr);
    set_rgb(cr, PLACEHOLDER_FILL_RGB);
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill_preserve(cr);
    set_rgb(cr, PLACEHOLDER_LINE_RGB);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
    /* A simple landscape pictogram: the box reads as "picture goes here". */
    double s = (w < h ? w : h) * 0.18, cx = x + w / 2, cy = y + h / 2;
    cairo_set_line_width(cr, 1.0);
    cairo_rectangle(cr, cx - s, cy - 0.7 * s, 2 * s, 1.4 * s);
    cairo_stroke(cr);
    cairo_move_to(cr, cx - 0.8 * s, cy + 0.5 * s);
    cairo_line_to(cr, cx - 0.2 * s, cy - 0.2 * s);
    cairo_line_to(cr, cx + 0.2 * s, cy + 0.2 * s);
    cairo_line_to(cr, cx + 0.45 * s, cy);
    cairo_line_to(cr, cx + 0.8 * s, cy + 0.5 * s);
    cairo_stroke(cr);
    cairo_arc(cr, cx + 0.45 * s, cy - 0.35 * s, 0.13 * s, 0, 6.2832);
    cairo_fill(cr);
    cairo_restore(cr);
}

static void paint_figure_item(const doc_layout *dl, const page_layout *pg, const placed_item *it,
                              cairo_t *cr, paint_tags *tags)
{
    block_marks bm = marks_of(dl, pg, it->bl);
    const block_layout *bl = it->bl;
    if (bl->image)
        paint_image(bl, cr, it->x_pt, it->y_pt);
    else
        paint_placeholder(bl, cr, it->x_pt, it->y_pt);
    if (bl->text) {
        int box_lines = it->bl->lines - text_block_line_count(bl->text);
        paint_tag_begin(tags, cr, "Caption", SIZE_MAX);
        page_text_draw(bl->text, &bm.base, cr, dl->text_x_pt, it->y_pt + box_lines * dl->pitch_pt);
        paint_tag_end(tags, cr, "Caption");
    }
}

/* ---- structure tags ---- */

void paint_tag_begin(paint_tags *tags, cairo_t *cr, const char *name, size_t body_index)
{
    if (!tags)
        return;
    if (tags->depth == 0) {
        if (tags->norder == tags->cap) {
            size_t cap = tags->cap ? tags->cap * 2 : 64;
            size_t *o = realloc(tags->order, cap * sizeof *o);
            if (!o) {
                tags->oom = true;
                return;
            }
            tags->order = o;
            tags->cap = cap;
        }
        tags->order[tags->norder++] = body_index;
    }
    tags->depth++;
    cairo_tag_begin(cr, name, "");
}

void paint_tag_end(paint_tags *tags, cairo_t *cr, const char *name)
{
    if (!tags)
        return;
    tags->depth--;
    cairo_tag_end(cr, name);
}

void paint_tags_clear(paint_tags *tags)
{
    free(tags->order);
    memset(tags, 0, sizeof *tags);
}

static const char *text_tag(const block *b)
{
    static const char *const H[] = {"H1", "H2", "H3"};
    switch (b->type) {
    case BLOCK_TITLE:
        return "H";     /* the document's title: a heading above the numbered levels */
    case BLOCK_HEADING:
        return H[b->level < 1 ? 0 : b->level > 3 ? 2 : b->level - 1];
    default:
        return "P";
    }
}

/* Lists are L; key figures and the masthead are a division of their own. */
static const char *box_tag(const block *b)
{
    return b->type == BLOCK_LIST ? "L" : "Div";
}

/* The sort key of a block's element: notes (2 i + 1) follow their block. */
static size_t body_index(const doc_layout *dl, const placed_item *it)
{
    return 2 * (size_t)(it->bl - dl->blocks);
}

/* The element of a block's items. */
static const char *block_tag(const block_layout *bl)
{
    if (bl->chart || bl->blk->type == BLOCK_FIGURE)
        return "Figure";
    return bl->table ? "Table" : bl->box ? box_tag(bl->blk) : text_tag(bl->blk);
}

static void paint_item_content(const doc_layout *dl, const page_layout *pg, const placed_item *it,
                               cairo_t *cr, paint_tags *tags)
{
    block_marks marks = marks_of(dl, pg, it->bl);
    switch (it->kind) {
    case ITEM_TEXT:
        paint_text_item(dl, pg, it, cr);
        break;
    case ITEM_FIGURE:
        paint_figure_item(dl, pg, it, cr, tags);
        break;
    case ITEM_TABLE:
        table_paint_part(it->bl->table, cr, it->x_pt, it->y_pt, (size_t)it->first_line,
                         (size_t)it->nlines, tags != NULL, &marks.base);
        break;
    case ITEM_BOX:
        box_paint(it->bl->box, cr, it->x_pt, it->y_pt, (size_t)it->first_line,
                  (size_t)it->nlines, tags != NULL, &marks.base);
        break;
    case ITEM_CHART:
        cairo_save(cr);
        cairo_translate(cr, it->x_pt, it->y_pt);
        chart_layout_paint(it->bl->chart, cr);
        cairo_restore(cr);
        break;
    }
}

/* One element per item: a paragraph, table or list cut by a page break is
 * one element per page, all with the block's key, and the PDF step merges
 * them into one (pdf_tags.h), so that nothing painted between the parts —
 * running header and footer, notes, a float — can land inside it. */
static void paint_item(const doc_layout *dl, const page_layout *pg, const placed_item *it,
                       cairo_t *cr, paint_tags *tags)
{
    const char *tag = block_tag(it->bl);
    paint_tag_begin(tags, cr, tag, body_index(dl, it));
    paint_item_content(dl, pg, it, cr, tags);
    paint_tag_end(tags, cr, tag);
}

void paint_page_tagged(const doc_layout *dl, size_t i, cairo_t *cr, paint_tags *tags)
{
    const page_layout *pg = &dl->pages[i];
    /* Page furniture: cairo 1.16 refuses an Artifact tag, so the running
     * texts are a Private element, which the PDF step makes an artifact
     * (pdf_artifacts.h); its key, SIZE_MAX, is never merged. */
    paint_tag_begin(tags, cr, "Private", SIZE_MAX);
    paint_header_footer(dl, i, cr);
    paint_tag_end(tags, cr, "Private");
    /* The PDF step sorts the notes after their paragraph. */
    paint_notes(dl, pg, cr, tags);
    for (size_t k = 0; k < pg->nitems; k++)
        paint_item(dl, pg, &pg->items[k], cr, tags);
}

void paint_page(const doc_layout *dl, size_t i, cairo_t *cr)
{
    paint_page_tagged(dl, i, cr, NULL);
}
