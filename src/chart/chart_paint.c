/*
 * chart_paint.c — draws a chart_layout (stage 4 for charts).
 *
 * Takes a finished layout and a cairo context; draws the display list with
 * the chart's top-left corner at the current origin, in vector form (text
 * stays text in a PDF).  Measures nothing and decides nothing: every
 * position, size and line break was fixed by the layout.  The caller's
 * cairo state is saved and restored.  The links of a text given as runs
 * become link tags (clickable in a PDF; nothing on other surfaces).
 */
#include "chart/chart_internal.h"
#include "text/text.h"

#include <math.h>
#include <pango/pangocairo.h>

static void set_rgb(cairo_t *cr, chart_rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/* A slice or marker: filled, then edged in white (`width` 0: no edge).
 * The angles of the display list run clockwise from twelve o'clock;
 * cairo's from three o'clock, also clockwise with y down. */
static void paint_round(cairo_t *cr, const chart_shape *s)
{
    cairo_new_path(cr);
    if (s->kind == CHART_SHAPE_CIRCLE) {
        cairo_arc(cr, s->x0, s->y0, s->r1, 0, 2 * G_PI);
    } else {
        double a0 = s->a0 - G_PI / 2, a1 = s->a1 - G_PI / 2;
        cairo_arc(cr, s->x0, s->y0, s->r1, a0, a1);
        if (s->r0 > 0)
            cairo_arc_negative(cr, s->x0, s->y0, s->r0, a1, a0);
        else
            cairo_line_to(cr, s->x0, s->y0);
        cairo_close_path(cr);
    }
    set_rgb(cr, s->color);
    if (s->width <= 0) {
        cairo_fill(cr);
        return;
    }
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_line_width(cr, s->width);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
}

static void paint_shape(cairo_t *cr, const chart_shape *s)
{
    if (s->kind == CHART_SHAPE_CIRCLE || s->kind == CHART_SHAPE_SECTOR) {
        paint_round(cr, s);
        return;
    }
    set_rgb(cr, s->color);
    if (s->kind == CHART_SHAPE_RECT) {
        cairo_rectangle(cr, s->x0, s->y0, s->x1 - s->x0, s->y1 - s->y0);
        cairo_fill(cr);
        return;
    }
    cairo_set_line_width(cr, s->width);
    if (s->dash > 0) {
        double d[2] = {s->dash, s->dash * 0.75};
        cairo_set_dash(cr, d, 2, 0);
    } else {
        cairo_set_dash(cr, NULL, 0, 0);
    }
    cairo_set_line_cap(cr, s->round ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT);
    cairo_move_to(cr, s->x0, s->y0);
    cairo_line_to(cr, s->x1, s->y1);
    cairo_stroke(cr);
}

/* A rounded rectangle path from (x0, y0) to (x1, y1), corners of radius r. */
static void rounded_rect(cairo_t *cr, double x0, double y0, double x1, double y1, double r)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, x1 - r, y0 + r, r, -G_PI / 2, 0);
    cairo_arc(cr, x1 - r, y1 - r, r, 0, G_PI / 2);
    cairo_arc(cr, x0 + r, y1 - r, r, G_PI / 2, G_PI);
    cairo_arc(cr, x0 + r, y0 + r, r, G_PI, 3 * G_PI / 2);
    cairo_close_path(cr);
}

/* The link (index into t->links) byte b of the text is in, -1 none. */
static int link_at(const chart_text *t, int b)
{
    for (size_t i = 0; i < t->nlinks; i++)
        if (b >= t->links[i].start && b < t->links[i].end)
            return (int)i;
    return -1;
}

/* The first link boundary after the start of run g and before its end
 * that is also the start of a cluster (so the run can be split there),
 * as an offset into the run; 0 when none. */
static int next_boundary(const chart_text *t, const PangoGlyphItem *g)
{
    int start = g->item->offset, end = start + g->item->length;
    int first = link_at(t, start);
    for (int gi = 0; gi < g->glyphs->num_glyphs; gi++) {
        int b = start + g->glyphs->log_clusters[gi];
        if (b > start && b < end && link_at(t, b) != first)
            return b - start;
    }
    return 0;
}

static void show_piece(cairo_t *cr, const chart_text *t, const char *text, PangoGlyphItem *g,
                       double x, double y)
{
    int link = link_at(t, g->item->offset);
    /* the text outside the links in Spans: the Figure holds Links */
    text_tag_span_begin(cr, link < 0);
    if (link >= 0)
        text_tag_link_begin(cr, t->links[link].uri);
    cairo_move_to(cr, x, y);
    pango_cairo_show_glyph_item(cr, text, g);
    if (link >= 0)
        cairo_tag_end(cr, CAIRO_TAG_LINK);
    text_tag_span_end(cr, link < 0);
}

/* A text with links, run by run (split where a link begins or ends), each
 * link's glyphs inside a link tag: in a PDF the annotation covers exactly
 * what the tag encloses, on every line the link reaches.  Left-to-right
 * runs only are split (a right-to-left run is drawn whole). */
static void show_with_links(cairo_t *cr, const chart_text *t, double ox, double oy)
{
    const char *text = pango_layout_get_text(t->layout);
    PangoLayoutIter *it = pango_layout_get_iter(t->layout);
    do {
        PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
        if (!run)
            continue;
        PangoRectangle log;
        pango_layout_iter_get_run_extents(it, NULL, &log);
        double x = ox + log.x / (double)PANGO_SCALE;
        double y = oy + pango_layout_iter_get_baseline(it) / (double)PANGO_SCALE;
        PangoGlyphItem *rest = pango_glyph_item_copy(run);
        int cut;
        while (rest->item->analysis.level % 2 == 0 && (cut = next_boundary(t, rest)) > 0) {
            PangoGlyphItem *piece = pango_glyph_item_split(rest, text, cut);
            show_piece(cr, t, text, piece, x, y);
            x += pango_glyph_string_get_width(piece->glyphs) / (double)PANGO_SCALE;
            pango_glyph_item_free(piece);
        }
        show_piece(cr, t, text, rest, x, y);
        pango_glyph_item_free(rest);
    } while (pango_layout_iter_next_run(it));
    pango_layout_iter_free(it);
}

static void paint_text(cairo_t *cr, const chart_text *t, bool knockout, bool spans)
{
    if (t->boxed) {
        double m = CHART_LABEL_BOX_PAD_PT;
        rounded_rect(cr, t->x0 - m, t->y0 - m, t->x1 + m, t->y1 + m, CHART_LABEL_BOX_RADIUS_PT);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill(cr);
    }
    cairo_save(cr);
    if (t->rotated) {
        /* Local x runs up the page, local y to the right. */
        cairo_translate(cr, t->x0, t->y1);
        cairo_rotate(cr, -G_PI / 2);
    } else {
        cairo_translate(cr, t->x0, t->y0);
    }
    if (t->scale != 1)
        cairo_scale(cr, t->scale, t->scale);
    cairo_move_to(cr, -t->lx, -t->ly);
    if (t->halo && !t->boxed) {
        pango_cairo_layout_path(cr, t->layout);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, 2.0);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        /* on a transparent background a white halo would show as a white
         * fringe: the halo clears the gridline under the letters instead */
        if (knockout)
            cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
        cairo_stroke(cr);
        cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
        cairo_move_to(cr, -t->lx, -t->ly);
    }
    set_rgb(cr, t->color);
    if (t->nlinks > 0) {
        show_with_links(cr, t, -t->lx, -t->ly);
    } else {
        text_tag_span_begin(cr, spans);
        pango_cairo_show_layout(cr, t->layout);
        text_tag_span_end(cr, spans);
    }
    cairo_restore(cr);
}

void chart_layout_paint(const chart_layout *cl, cairo_t *cr)
{
    if (!cl || !cr)
        return;
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    for (int layer = 0; layer < CHART_LAYER_COUNT; layer++)
        for (size_t i = 0; i < cl->nshapes; i++)
            if (cl->shapes[i].layer == layer)
                paint_shape(cr, &cl->shapes[i]);
    cairo_set_dash(cr, NULL, 0, 0);
    bool spans = false;
    for (size_t i = 0; i < cl->ntexts; i++)
        spans |= cl->texts[i].nlinks > 0;
    for (size_t i = 0; i < cl->ntexts; i++)
        paint_text(cr, &cl->texts[i], cl->knockout_halos, spans);
    cairo_new_path(cr);     /* the path is not part of the saved state */
    cairo_restore(cr);
}
