/*
 * chart_paint.c — draws a chart_layout (stage 4 for charts).
 *
 * Takes a finished layout and a cairo context; draws the display list with
 * the chart's top-left corner at the current origin, in vector form (text
 * stays text in a PDF).  Measures nothing and decides nothing: every
 * position, size and line break was fixed by the layout.  The caller's
 * cairo state is saved and restored.
 */
#include "chart/chart_internal.h"

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

static void paint_text(cairo_t *cr, const chart_text *t, bool knockout)
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
    pango_cairo_show_layout(cr, t->layout);
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
    for (size_t i = 0; i < cl->ntexts; i++)
        paint_text(cr, &cl->texts[i], cl->knockout_halos);
    cairo_new_path(cr);     /* the path is not part of the saved state */
    cairo_restore(cr);
}
