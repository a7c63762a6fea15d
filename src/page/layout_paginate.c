/*
 * layout_paginate.c — the set blocks distributed over pages (stage 3).
 *
 * Takes a doc_layout whose blocks are set (layout.c); gives its pages of
 * placed items, each page's footnotes, and its running header and footer.
 * Guarantees: paragraphs split only between lines and never leave fewer
 * than two lines at either side of a page break; a footnote stands on the
 * page of its mark; tables split between rows, lists between items;
 * headings stay with at least two lines of what follows (or the whole
 * chart or figure that follows); charts, figures, titles and the lead box
 * are never split.  Reading order: a chart or figure that does not fit the
 * rest of a page floats to the top of the next while the text of its own
 * section fills the page, but never past the next heading (of any level)
 * or page break; with "place": "here" it does not float at all.  At most
 * LAYOUT_MAX_PAGES pages; a running text the margin cannot hold is refused.
 */
#define _GNU_SOURCE
#include "page/layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "text/engine.h"
#include "page/table.h"
#include "page/bulletin.h"
#include "page/layout_cost.h"
#include "page/layout_internal.h"
#include "page/rich.h"

#define MIN_SPLIT_LINES 2         /* widow and orphan limit */
#define MAX_FLOATS 4

/* Rows (table) or items (list) of a block that splits between them. */
static size_t row_count(const block_layout *bl)
{
    return bl->table ? bl->table->nrows : bl->box ? bl->box->nitems : 0;
}

static double part_height(const block_layout *bl, size_t first, size_t n)
{
    return bl->table ? table_part_height(bl->table, first, n) : list_part_height(bl->box, first, n);
}

/* ---- pagination ---- */

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

/* The notes whose marks are in lines [from, from+n) of bl (rows or items
 * of a table or list; unit 0 of another block of several texts). */
static void marks_in(const block_layout *bl, int from, int n, int *k0, int *k1)
{
    *k0 = *k1 = 0;
    for (int k = 0; k < bl->nnotes; k++) {
        int line;
        double x;
        if (bl->note_src)
            line = bl->note_src[k].unit;
        else if (!text_block_mark(bl->text, k, &line, &x))
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
    return layout_lines_for(h, dl->pitch_pt);
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
        const block_layout *fl = &dl->blocks[c->floats[k]];
        /* the notes of the floats set above are already at the foot */
        if (c->line + fl->lines + note_lines_with(dl, c->page, fl, 0, 1) - c->page->note_lines >
                page_limit(dl, c) && c->line > 0) {
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
    bl->lines = layout_lines_for(bl->box_h_pt, dl->pitch_pt) + caption;
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
        /* the caption's footnotes take their lines at the foot first */
        int notes = note_lines_with(dl, c->page, bl, 0, 1) - c->page->note_lines;
        int room = page_limit(dl, c) - c->line - bl->space_before - notes;
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

/* 1 when the table ends with a total row, else 0. */
static size_t total_rows(const block_layout *bl)
{
    const char *total = bl->blk->table ? bl->blk->table->total : NULL;
    return total && *total ? 1 : 0;
}

/* Rows a table's first part must hold, or it moves whole: all of a short
 * table that fits a page (TABLE_MIN_SPLIT_ROWS data rows). */
static size_t table_min_first(const doc_layout *dl, const block_layout *bl)
{
    size_t rows = row_count(bl);
    double page = dl->lines_per_page * dl->pitch_pt;
    if (rows - total_rows(bl) < TABLE_MIN_SPLIT_ROWS && part_height(bl, 0, rows) <= page)
        return rows;
    return TABLE_MIN_FIRST_ROWS;
}

/* Rows a table's last part must hold: its total row is not one of them. */
static size_t table_min_last(const block_layout *bl)
{
    return TABLE_MIN_LAST_ROWS + total_rows(bl);
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
        size_t n = row_count(bl), k = bl->blk->type == BLOCK_TABLE ? table_min_first(dl, bl) : 1;
        int need = layout_lines_for(part_height(bl, 0, n < k ? n : k), dl->pitch_pt);
        return need < dl->lines_per_page ? need : dl->lines_per_page;
    }
    return bl->lines;
}

/* The block heading i keeps with: the next one, past floats too tall to
 * share a page with it (they float on); nblocks when none. */
static size_t kept_block(const doc_layout *dl, size_t i)
{
    int need = dl->blocks[i].lines;
    size_t j = i + 1;
    while (j < dl->doc->nblocks && is_float(dl->blocks[j].blk) && !dl->blocks[j].blk->place_here &&
           need + dl->blocks[j].space_before + dl->blocks[j].lines > dl->lines_per_page)
        j++;
    return j;
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
    size_t j = kept_block(dl, i);
    if (j < dl->doc->nblocks)
        need += dl->blocks[j].space_before + keep_lines(dl, j);
    if (need > dl->lines_per_page)
        need = dl->lines_per_page;
    return need;
}

/* Extra note lines on the cursor's page that the start of block j brings
 * (what min_start_lines counts: a paragraph's first lines, a table's
 * first row, a float or heading whole). */
static int start_note_lines(const doc_layout *dl, const cursor *c, size_t j)
{
    const block_layout *b = &dl->blocks[j];
    if (b->nnotes == 0)
        return 0;
    int n = b->blk->type == BLOCK_PARAGRAPH ? min_start_lines(dl, j)
            : b->note_src ? 1 : b->text ? text_block_line_count(b->text) : 1;
    return note_lines_with(dl, c->page, b, 0, n) - c->page->note_lines;
}

/* Extra note lines what heading i keeps with brings (keep_lines's blocks,
 * or with past_floats the paragraph after the floats): the heading stays
 * with them only if their footnotes fit under them too. */
static int kept_note_lines(const doc_layout *dl, const cursor *c, size_t i, bool past_floats)
{
    size_t j = i + 1, n = dl->doc->nblocks;
    if (past_floats)
        while (j < n && is_float(dl->blocks[j].blk))
            j++;
    else
        j = kept_block(dl, i);
    if (j >= n)
        return 0;
    int notes = start_note_lines(dl, c, j);
    if (dl->blocks[j].blk->type == BLOCK_HEADING)
        notes += kept_note_lines(dl, c, j, false);
    return notes;
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
            room = 1;             /* cannot happen: notes_fit refused such notes */
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
 * least TABLE_MIN_FIRST_ROWS rows, and a short table all of them (else it
 * moves whole to the next page); the last holds at least
 * TABLE_MIN_LAST_ROWS data rows besides the total; a row never splits. */
static bool place_rows(doc_layout *dl, cursor *c, block_layout *bl, brief_diag *diag)
{
    bool table = bl->blk->type == BLOCK_TABLE;
    size_t total = row_count(bl), done = 0;
    size_t min_first = table ? table_min_first(dl, bl) : 1, min_last = table ? table_min_last(bl) : 1;
    while (done < total) {
        double room = (page_limit(dl, c) - c->line) * dl->pitch_pt;
        size_t left = total - done, take = rows_fitting(bl, done, room);
        /* the notes of the rows or items taken share their page */
        while (take > 0 && bl->note_src &&
               c->line + layout_lines_for(part_height(bl, done, take), dl->pitch_pt) +
                       note_lines_with(dl, c->page, bl, (int)done, (int)take) -
                       c->page->note_lines > page_limit(dl, c))
            take--;
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
            int lines = layout_lines_for(part_height(bl, done, take), dl->pitch_pt);
            it->h_pt = lines * dl->pitch_pt;
            it->continued = done > 0;
            done += take;
            it->continues = done < total;
            c->line += lines;
            if (!add_notes(dl, c->page, bl, it->first_line, it->nlines))
                return false;
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
        if (it && !add_notes(dl, c->page, bl, 0, 1))
            return false;
    } else if (bl->box) {
        place(dl, c, bl, ITEM_BOX, 0, 0, bl->lines, &it);
        if (it && !add_notes(dl, c->page, bl, 0, 1))
            return false;
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
    if (bl->nnotes == 0 || bl->blk->type == BLOCK_PARAGRAPH || bl->blk->type == BLOCK_TABLE ||
        bl->blk->type == BLOCK_LIST)
        return 0;   /* they split, and take their notes part by part */
    return note_lines_with(dl, c->page, bl, 0, bl->note_src ? 1 : text_block_line_count(bl->text)) -
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
    int kept_notes = b->type == BLOCK_HEADING ? kept_note_lines(dl, c, i, false) : 0;
    if (b->type == BLOCK_HEADING && c->line > 0 &&
        c->line + bl->space_before + need + kept_notes > page_limit(dl, c)) {
        /* No room for the heading and the float after it: the float may
         * float on while the heading keeps with the text that follows. */
        int alt = keep_past_floats(dl, i), alt_notes = kept_note_lines(dl, c, i, true);
        if (alt > 0 && c->line + bl->space_before + alt + alt_notes <= page_limit(dl, c)) {
            need = alt;
            kept_notes = alt_notes;
        }
    }
    while (c->line > 0 && c->line + bl->space_before + need + kept_notes +
                              unsplit_note_lines(dl, c, bl) > page_limit(dl, c)) {
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

/* A line and the notes of its marks (a table's row or a list's item and
 * its notes; a heading, lead, title, figure or key figures: the block and
 * all its notes) must fit one page, for a note is never split over pages
 * and never overprints the text: else the brief is refused at the note,
 * with the room there is. */
static bool notes_fit(const doc_layout *dl, const block_layout *bl, brief_diag *diag)
{
    bool rows = bl->note_src && (bl->table || bl->blk->type == BLOCK_LIST);
    bool unsplit = bl->blk->type != BLOCK_PARAGRAPH && !rows;
    int nlines = bl->note_src ? 1 : text_block_line_count(bl->text);
    const char *what = unsplit ? "block" : !rows ? "line" : bl->table ? "row" : "item";
    page_layout empty = {0};
    for (int k = 0; k < bl->nnotes;) {
        int line, k0, k1;
        double x;
        if (bl->note_src) {
            line = bl->note_src[k].unit;
        } else if (!text_block_mark(bl->text, k, &line, &x)) {
            k++;
            continue;
        }
        int from = unsplit ? 0 : line, n = unsplit ? nlines : 1;
        marks_in(bl, from, n, &k0, &k1);
        int notes = note_lines_with(dl, &empty, bl, from, n);
        int text = unsplit ? bl->lines
                   : rows  ? layout_lines_for(part_height(bl, (size_t)line, 1), dl->pitch_pt)
                           : 1;
        if (text + notes > dl->lines_per_page) {
            doc_error_at(dl->doc, diag, BRIEF_E_DATA, bl->blk->at,
                         layout_note_path(bl, k1 > k ? k1 - 1 : k),
                         "the footnote%s of this %s take%s %d lines at the foot of the page, "
                         "but a page has room for %d beside the %s (a note is not split over "
                         "pages; expected a shorter note)",
                         k1 - k0 > 1 ? "s" : "", what, k1 - k0 > 1 ? "" : "s", notes,
                         dl->lines_per_page - text, what);
            return false;
        }
        k = k1 > k ? k1 : k + 1;
    }
    return true;
}

bool layout_paginate(doc_layout *dl, brief_diag *diag)
{
    for (size_t i = 0; i < dl->doc->nblocks; i++)
        if (dl->blocks[i].nnotes > 0 && !notes_fit(dl, &dl->blocks[i], diag))
            return false;
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

/* A running line given as runs, for page i: each run's template
 * expanded (bold and links kept; validation refused notes there). */
static text_block *running_runs(doc_layout *dl, const text_style *st, const rich_text *rt,
                                size_t i)
{
    rich_text page = {rt->nruns, calloc(rt->nruns ? rt->nruns : 1, sizeof(rich_run))};
    bool ok = page.runs != NULL;
    for (size_t k = 0; ok && k < rt->nruns; k++) {
        page.runs[k] = rt->runs[k];
        page.runs[k].text = doc_expand_template(rt->runs[k].text ? rt->runs[k].text : "",
                                                (int)i + 1, (int)dl->npages, dl->doc->meta.title);
        ok = page.runs[k].text != NULL;
    }
    text_block *tb = ok ? page_text_new(dl->ctx, st, "", &page, NULL, 0, dl->measure_pt) : NULL;
    for (size_t k = 0; page.runs && k < rt->nruns; k++)
        free(page.runs[k].text);
    free(page.runs);
    return tb;
}

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
    const rich_text *rt = header ? doc->page.header_rich : doc->page.footer_rich;
    text_block *tb = rt ? running_runs(dl, &st, rt, i)
                        : text_block_new(dl->ctx, &st, text, dl->measure_pt);
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

bool layout_set_running_texts(doc_layout *dl, brief_diag *diag)
{
    dl->rule_y_pt = dl->text_y_pt - 0.5 * dl->pitch_pt;
    for (size_t i = 0; i < dl->npages; i++)
        if (!set_running_text(dl, i, true, diag) || !set_running_text(dl, i, false, diag))
            return false;
    return true;
}
