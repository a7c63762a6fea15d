/*
 * bulletin.c — key-figure tiles (kpi), lists and the 简报 masthead:
 * setting (stage 3) and painting (stage 4).
 *
 * Takes a validated block; gives a box_layout with every text set by the
 * text engine and every position fixed, then draws it.  Conventions
 * (docs/format.md): red means up and green down (Chinese economic
 * graphics), in the kpi's chart theme's red and green, and the ▲/▼ is text
 * so that a copy of the page keeps the sign; the masthead follows the 简报 and GB/T 9704 look: the name
 * large in red and centred, the issue under it, the compiling unit left
 * and the date right on one line above a full-width red rule.
 */
#include "page/bulletin.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/chart.h"
#include "util/numfmt.h"

#define EMBOX_ASCENT 0.88          /* as text.c: the baseline within a line box */
#define TILE_GAP_EM 0.8            /* between tiles */
#define TILE_PAD_EM 0.7            /* inside a tile */
#define MASTHEAD_RULE_PT 1.5
#define KPI_ACCENT_PT 2.0
#define CHANGE_GAP_PT 4.0          /* between 同比 and its change */

static const double INK_RGB[3] = {0.08, 0.08, 0.08};
static const double MUTED_RGB[3] = {0.33, 0.35, 0.38};
static const double ACCENT_RED[3] = {0.80, 0.05, 0.05};   /* masthead, tile tops */
static const double TILE_FILL[3] = {0.955, 0.96, 0.965};

static double round_half(double pt) { return floor(pt * 2 + 0.5) / 2; }

/* The room of a footnote mark (page/rich.h): one size whatever the text's. */
static double mark_room(const bulletin_fonts *f) { return NOTE_MARK_ROOM_EM * f->body_size_pt; }

static text_style style(const bulletin_fonts *f, bool head, double size, int weight,
                        text_align align, const double rgb[3])
{
    text_style st = {
        .family = head ? f->head_family : f->body_family, .size_pt = size, .weight = weight,
        .pitch_pt = size * 1.4, .align = align, .cjk_latin_space_em = f->cjk_latin_space_em,
        .normalize_punctuation = f->normalize_punctuation,
        .rgb = {rgb[0], rgb[1], rgb[2]},
    };
    return st;
}

static double width_of(const text_block *tb)
{
    double w = 0;
    text_line_info li;
    for (int i = 0; tb && i < text_block_line_count(tb); i++)
        if (text_block_line(tb, i, &li))
            w = fmax(w, li.x_pt + li.width_pt);
    return w;
}

static double height_of(const text_block *tb)
{
    return tb ? text_block_height(tb, 0, text_block_line_count(tb)) : 0;
}

/* ---- kpi ---- */

static bool set_tile(PangoContext *ctx, const bulletin_fonts *f, const kpi_item *it,
                     int theme, kpi_tile *t, double label_w)
{
    double small = round_half(f->body_size_pt * 0.857), big = round_half(f->body_size_pt * 2);
    text_style ls = style(f, true, small, 400, TEXT_LEFT, MUTED_RGB);
    ls.word_breaks = true;
    t->label = page_text_new(ctx, &ls, it->label, it->label_rich, NULL, mark_room(f), label_w);
    char buf[96];
    int dec = it->decimals >= 0 ? it->decimals : numfmt_decimals_of(it->value, 2);
    numfmt_round(buf, sizeof buf, it->value, dec, false, NUMFMT_HALF_AWAY, NUMFMT_MINUS_SIGN);
    text_style vs = style(f, true, big, 700, TEXT_LEFT, INK_RGB);
    vs.cjk_latin_space_em = 0;
    vs.pitch_pt = big * 1.2;
    t->value = text_block_new(ctx, &vs, buf, 0);
    if (!t->label || !t->value)
        return false;
    if (*it->unit) {
        text_style us = style(f, true, small, 400, TEXT_LEFT, INK_RGB);
        if (!(t->unit = text_block_new(ctx, &us, it->unit, 0)))
            return false;
    }
    if (it->has_change) {
        double shown;
        int cdec = numfmt_decimals_of(fabs(it->change), 2);
        if (cdec < 1)
            cdec = 1;
        shown = numfmt_rounded(it->change, cdec, NUMFMT_HALF_AWAY);
        t->direction = shown > 0 ? 1 : shown < 0 ? -1 : 0;
        char num[64];
        /* the arrow carries the sign, and is text: pdftotext and a screen
         * reader read "▲5.6%", "▼0.6个百分点" */
        numfmt_round(num, sizeof num, fabs(it->change), cdec, false, NUMFMT_HALF_AWAY,
                     NUMFMT_MINUS_SIGN);
        snprintf(buf, sizeof buf, "%s%s%s", t->direction > 0 ? "▲" : t->direction < 0 ? "▼" : "",
                 num, it->change_unit);
        chart_theme_change_rgb(theme == 1 ? THEME_OFFICIAL : THEME_DEFAULT, t->direction, t->rgb);
        text_style cs = style(f, true, small, 400, TEXT_LEFT, t->rgb);
        cs.cjk_latin_space_em = 0;
        if (!(t->change = text_block_new(ctx, &cs, buf, 0)))
            return false;
        if (*it->change_label) {
            text_style ls2 = style(f, true, small, 400, TEXT_LEFT, MUTED_RGB);
            if (!(t->change_label = text_block_new(ctx, &ls2, it->change_label, 0)))
                return false;
        }
    }
    return true;
}

/* The change line: its label, a gap, the arrow, a gap, the number. */
static double change_width(const kpi_tile *t)
{
    if (!t->change)
        return 0;
    double w = width_of(t->change);
    if (t->change_label)
        w += width_of(t->change_label) + CHANGE_GAP_PT;
    return w;
}

static double tile_content_width(const kpi_tile *t)
{
    double w = width_of(t->label);
    w = fmax(w, width_of(t->value) + (t->unit ? 2 + width_of(t->unit) : 0));
    return fmax(w, change_width(t));
}

static void free_tile(kpi_tile *t)
{
    text_block_free(t->label);
    text_block_free(t->value);
    text_block_free(t->unit);
    text_block_free(t->change);
    text_block_free(t->change_label);
    memset(t, 0, sizeof *t);
}

static bool set_kpi(box_layout *bx, PangoContext *ctx, const bulletin_fonts *f,
                    const kpi_spec *k, double measure)
{
    double em = f->body_size_pt, gap = TILE_GAP_EM * em, pad = TILE_PAD_EM * em;
    bx->ntiles = k->nitems;
    bx->pad_pt = pad;
    if (!(bx->tiles = calloc(k->nitems, sizeof *bx->tiles)))
        return false;
    double need = 0;
    for (size_t i = 0; i < k->nitems; i++) {
        if (!set_tile(ctx, f, &k->items[i], k->theme, &bx->tiles[i], 0))
            return false;
        need = fmax(need, tile_content_width(&bx->tiles[i]) + 2 * pad);
    }
    /* As many tiles a row as fit at their content width; the rest wrap. */
    size_t per_row = k->nitems;
    while (per_row > 1 && per_row * need + (per_row - 1) * gap > measure)
        per_row--;
    size_t rows = (k->nitems + per_row - 1) / per_row;
    per_row = (k->nitems + rows - 1) / rows;   /* balanced rows: 4 tiles as 2 + 2 */
    bx->tile_w_pt = (measure - (per_row - 1) * gap) / per_row;
    double inner = bx->tile_w_pt - 2 * pad;
    double h = 0;
    for (size_t i = 0; i < k->nitems; i++) {
        kpi_tile *t = &bx->tiles[i];
        if (width_of(t->label) > inner) {   /* a long label wraps inside its tile */
            free_tile(t);
            if (!set_tile(ctx, f, &k->items[i], k->theme, t, inner))
                return false;
        }
        double th = height_of(t->label) + height_of(t->value) + height_of(t->change);
        h = fmax(h, th + 2 * pad);
    }
    bx->tile_h_pt = h;
    for (size_t i = 0; i < k->nitems; i++) {
        bx->tiles[i].x_pt = (i % per_row) * (bx->tile_w_pt + gap);
        bx->tiles[i].y_pt = (i / per_row) * (h + gap);
    }
    bx->w_pt = measure;
    bx->h_pt = rows * h + (rows - 1) * gap;
    return true;
}

/* The label, a gap, then the change with its ▲ or ▼ in the theme's red
 * or green. */
static void paint_change(const kpi_tile *t, cairo_t *cr, double x, double y)
{
    if (t->change_label) {
        text_block_draw(t->change_label, cr, 0, 1, x, y);
        x += width_of(t->change_label) + CHANGE_GAP_PT;
    }
    text_block_draw(t->change, cr, 0, 1, x, y);
}

/* In a box whose texts hold a link, each text is drawn in a Span of its
 * own (text_tag_span_begin says why). */
static void draw_all(cairo_t *cr, bool spans, const text_block *tb, double x, double y)
{
    text_tag_span_begin(cr, spans);
    text_block_draw(tb, cr, 0, text_block_line_count(tb), x, y);
    text_tag_span_end(cr, spans);
}

static bool tiles_have_links(const box_layout *bx)
{
    for (size_t i = 0; i < bx->ntiles; i++)
        if (text_block_has_links(bx->tiles[i].label))
            return true;
    return false;
}

static bool masthead_has_links(const box_layout *bx)
{
    const text_block *t[] = {bx->mark, bx->title, bx->issue, bx->org, bx->date};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        if (text_block_has_links(t[i]))
            return true;
    return false;
}

static void paint_tile(const box_layout *bx, const kpi_tile *t, cairo_t *cr, double x, double y,
                       const mark_painter *mp, bool spans)
{
    double pad = bx->pad_pt;
    cairo_set_source_rgb(cr, TILE_FILL[0], TILE_FILL[1], TILE_FILL[2]);
    cairo_rectangle(cr, x, y, bx->tile_w_pt, bx->tile_h_pt);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, ACCENT_RED[0], ACCENT_RED[1], ACCENT_RED[2]);
    cairo_rectangle(cr, x, y, bx->tile_w_pt, KPI_ACCENT_PT);
    cairo_fill(cr);
    double cy = y + pad;
    text_tag_span_begin(cr, spans);
    page_text_draw(t->label, mp, cr, x + pad, cy);
    text_tag_span_end(cr, spans);
    cy += height_of(t->label);
    draw_all(cr, spans, t->value, x + pad, cy);
    if (t->unit) {
        /* the unit stands on the figure's baseline */
        double vh = height_of(t->value), vem = vh / 1.2;
        double vbase = (vh - vem) / 2 + EMBOX_ASCENT * vem;
        double uh = text_block_height(t->unit, 0, 1), uem = uh / 1.4;
        double ubase = (uh - uem) / 2 + EMBOX_ASCENT * uem;
        draw_all(cr, spans, t->unit, x + pad + width_of(t->value) + 2, cy + vbase - ubase);
    }
    cy += height_of(t->value);
    if (t->change) {
        text_tag_span_begin(cr, spans);
        paint_change(t, cr, x + pad, cy);
        text_tag_span_end(cr, spans);
    }
}

/* ---- list ---- */

static bool set_list(box_layout *bx, PangoContext *ctx, const bulletin_fonts *f,
                     const list_spec *l, double measure)
{
    bx->nitems = l->nitems;
    bx->markers = calloc(l->nitems, sizeof *bx->markers);
    bx->items = calloc(l->nitems, sizeof *bx->items);
    if (!bx->markers || !bx->items)
        return false;
    text_style ms = style(f, false, f->body_size_pt, 400, TEXT_LEFT, INK_RGB);
    ms.pitch_pt = f->pitch_pt;
    double mw = 0;
    for (size_t i = 0; i < l->nitems; i++) {
        char buf[32];
        list_marker(l->style, i, buf, sizeof buf);
        if (!(bx->markers[i] = text_block_new(ctx, &ms, buf, 0)))
            return false;
        mw = fmax(mw, width_of(bx->markers[i]));
    }
    /* Markers ending in 、 carry their own space; others get a quarter em. */
    bx->indent_pt = ceil((mw + (l->style == LIST_CHINESE ? 0 : 0.3 * f->body_size_pt)) * 2) / 2;
    text_style is = style(f, false, f->body_size_pt, 400, TEXT_JUSTIFY, INK_RGB);
    is.pitch_pt = f->pitch_pt;
    for (size_t i = 0; i < l->nitems; i++)
        if (!(bx->items[i] = page_text_new(ctx, &is, l->items[i],
                                           l->items_rich ? l->items_rich[i] : NULL, NULL,
                                           mark_room(f), measure - bx->indent_pt)))
            return false;
    bx->w_pt = measure;
    bx->h_pt = list_part_height(bx, 0, l->nitems);
    return true;
}

double list_part_height(const box_layout *bx, size_t first, size_t n)
{
    double h = 0;
    for (size_t i = first; i < first + n && i < bx->nitems; i++)
        h += height_of(bx->items[i]);
    return h;
}

/* ---- masthead ---- */

static bool set_masthead(box_layout *bx, PangoContext *ctx, const bulletin_fonts *f,
                         const masthead_spec *m, double measure)
{
    double s = f->body_size_pt;
    double y = 0;
    if (*m->mark) {
        text_style st = style(f, true, s, 700, TEXT_LEFT, INK_RGB);
        if (!(bx->mark = page_text_new(ctx, &st, m->mark, m->mark_rich, NULL, 0, measure)))
            return false;
        y += height_of(bx->mark) + 0.5 * s;
    }
    text_style ts = style(f, true, round_half(s * 2.667), 700, TEXT_CENTER, ACCENT_RED);
    ts.pitch_pt = ts.size_pt * 1.3;
    ts.cjk_latin_space_em = 0;
    if (!(bx->title = page_text_new(ctx, &ts, m->title, m->title_rich, NULL, 0, measure)))
        return false;
    bx->title_y_pt = y;
    y += height_of(bx->title) + 0.3 * s;
    if (*m->issue) {
        text_style st = style(f, true, s, 400, TEXT_CENTER, INK_RGB);
        if (!(bx->issue = page_text_new(ctx, &st, m->issue, m->issue_rich, NULL, 0, measure)))
            return false;
        bx->issue_y_pt = y;
        y += height_of(bx->issue) + 0.5 * s;
    }
    text_style ls = style(f, true, s, 400, TEXT_LEFT, INK_RGB);
    if (*m->org && !(bx->org = page_text_new(ctx, &ls, m->org, m->org_rich, NULL, 0, measure / 2)))
        return false;
    if (*m->date && !(bx->date = page_text_new(ctx, &ls, m->date, m->date_rich, NULL, 0, 0)))
        return false;
    bx->line_y_pt = y;
    y += fmax(height_of(bx->org), height_of(bx->date)) + 0.2 * s;
    bx->rule_y_pt = y + MASTHEAD_RULE_PT / 2;
    y += MASTHEAD_RULE_PT + 0.5 * s;
    bx->w_pt = measure;
    bx->h_pt = y;
    return true;
}

box_layout *box_layout_new(PangoContext *ctx, const bulletin_fonts *f, const block *b,
                           double measure)
{
    box_layout *bx = calloc(1, sizeof *bx);
    if (!bx)
        return NULL;
    bx->type = b->type;
    bool ok = false;
    if (b->type == BLOCK_KPI)
        ok = set_kpi(bx, ctx, f, b->kpi, measure);
    else if (b->type == BLOCK_LIST)
        ok = set_list(bx, ctx, f, b->list, measure);
    else if (b->type == BLOCK_MASTHEAD)
        ok = set_masthead(bx, ctx, f, b->masthead, measure);
    if (!ok) {
        box_layout_free(bx);
        return NULL;
    }
    return bx;
}

void box_layout_free(box_layout *bx)
{
    if (!bx)
        return;
    for (size_t i = 0; bx->tiles && i < bx->ntiles; i++)
        free_tile(&bx->tiles[i]);
    free(bx->tiles);
    for (size_t i = 0; i < bx->nitems; i++) {
        if (bx->markers)
            text_block_free(bx->markers[i]);
        if (bx->items)
            text_block_free(bx->items[i]);
    }
    free(bx->markers);
    free(bx->items);
    text_block_free(bx->mark);
    text_block_free(bx->title);
    text_block_free(bx->issue);
    text_block_free(bx->org);
    text_block_free(bx->date);
    free(bx);
}

static bool lacks(const text_block *tb)
{
    return tb && text_block_unknown_glyphs(tb) > 0;
}

const text_block *box_first_missing(const box_layout *bx)
{
    for (size_t i = 0; i < bx->ntiles; i++) {
        const kpi_tile *t = &bx->tiles[i];
        const text_block *tiles[] = {t->label, t->value, t->unit, t->change, t->change_label};
        for (size_t k = 0; k < 5; k++)
            if (lacks(tiles[k]))
                return tiles[k];
    }
    for (size_t i = 0; i < bx->nitems; i++)
        if (lacks(bx->items[i]))
            return bx->items[i];
    const text_block *head[] = {bx->mark, bx->title, bx->issue, bx->org, bx->date};
    for (size_t k = 0; k < 5; k++)
        if (lacks(head[k]))
            return head[k];
    return NULL;
}

void box_paint(const box_layout *bx, cairo_t *cr, double x, double y, size_t first, size_t n,
               bool tags, const mark_painter *mp)
{
    cairo_save(cr);
    if (bx->type == BLOCK_KPI) {
        bool spans = tags && tiles_have_links(bx);
        for (size_t i = 0; i < bx->ntiles; i++)
            paint_tile(bx, &bx->tiles[i], cr, x + bx->tiles[i].x_pt, y + bx->tiles[i].y_pt, mp,
                       spans);
    } else if (bx->type == BLOCK_LIST) {
        for (size_t i = first; i < first + n && i < bx->nitems; i++) {
            /* tagged PDF: LI > Lbl (the marker), LBody (the item) */
            if (tags) {
                cairo_tag_begin(cr, "LI", "");
                cairo_tag_begin(cr, "Lbl", "");
            }
            text_block_draw(bx->markers[i], cr, 0, 1, x, y);
            if (tags) {
                cairo_tag_end(cr, "Lbl");
                cairo_tag_begin(cr, "LBody", "");
            }
            page_text_draw(bx->items[i], mp, cr, x + bx->indent_pt, y);
            if (tags) {
                cairo_tag_end(cr, "LBody");
                cairo_tag_end(cr, "LI");
            }
            y += height_of(bx->items[i]);
        }
    } else if (bx->type == BLOCK_MASTHEAD) {
        bool spans = tags && masthead_has_links(bx);
        if (bx->mark)
            draw_all(cr, spans, bx->mark, x, y);
        draw_all(cr, spans, bx->title, x, y + bx->title_y_pt);
        if (bx->issue)
            draw_all(cr, spans, bx->issue, x, y + bx->issue_y_pt);
        if (bx->org)
            draw_all(cr, spans, bx->org, x, y + bx->line_y_pt);
        if (bx->date)
            draw_all(cr, spans, bx->date, x + bx->w_pt - width_of(bx->date), y + bx->line_y_pt);
        cairo_set_source_rgb(cr, ACCENT_RED[0], ACCENT_RED[1], ACCENT_RED[2]);
        cairo_set_line_width(cr, MASTHEAD_RULE_PT);
        cairo_move_to(cr, x, y + bx->rule_y_pt);
        cairo_line_to(cr, x + bx->w_pt, y + bx->rule_y_pt);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}
