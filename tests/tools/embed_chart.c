/*
 * embed_chart.c — example: embed a chart of a brief in your own drawing.
 *
 * usage: embed_chart BRIEF.json CHART-ID OUT.png
 *
 * The program owns the cairo surface (an A5-landscape "dashboard" page at
 * 2x) and draws its own frame and heading; libbrief only measures the
 * chart for the space the program offers and paints it into a sub-box:
 *
 *   brief_doc_load_file  →  brief_engine_new  →  brief_chart_new
 *   brief_chart_preferred_width(chart, box width)  →  w
 *   brief_chart_height_for_width(chart, w)  →  h it needs at that width
 *   cairo_translate to the box  →  brief_chart_draw_ex(chart, cr, w, h)
 *
 * The chart draws in vector form at the current origin and leaves the
 * context's state as it found it.  Exit status 0 on success.
 */
#include <stdio.h>
#include <stdlib.h>

#include <cairo.h>

#include "brief.h"

static int report(brief_diag *d)
{
    char line[2048];
    for (size_t i = 0; i < brief_diag_count(d); i++) {
        brief_error_format(brief_diag_get(d, i), line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
    return (int)brief_diag_status(d);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: embed_chart BRIEF.json CHART-ID OUT.png\n");
        return 64;
    }
    brief_diag *diag = brief_diag_new();
    brief_doc *doc = brief_doc_load_file(argv[1], diag);
    brief_engine *engine = doc ? brief_engine_new(NULL, diag) : NULL;
    brief_chart *chart = engine ? brief_chart_new(engine, doc, argv[2], diag) : NULL;
    if (!chart) {
        int rc = report(diag);
        brief_engine_free(engine);
        brief_doc_free(doc);
        brief_diag_free(diag);
        return rc ? rc : 70;
    }

    /* Our page: 210 x 148 mm in pt, drawn at 2 px per pt. */
    const double page_w = 595.28, page_h = 419.53, scale = 2.0;
    cairo_surface_t *surface = cairo_image_surface_create(
        CAIRO_FORMAT_ARGB32, (int)(page_w * scale), (int)(page_h * scale));
    cairo_t *cr = cairo_create(surface);
    cairo_scale(cr, scale, scale);
    cairo_set_source_rgb(cr, 0.96, 0.97, 0.98);
    cairo_paint(cr);

    /* Our own drawing: a header band and a card for the chart. */
    cairo_set_source_rgb(cr, 0.07, 0.24, 0.42);
    cairo_rectangle(cr, 0, 0, page_w, 36);
    cairo_fill(cr);

    const double card_x = 40, card_y = 56, pad = 14;
    const double card_w = page_w - 2 * card_x;
    const double box_w = card_w - 2 * pad;

    /* Measuring is separate from drawing: ask what the chart needs. */
    double w = 0, h = 0;
    if (brief_chart_preferred_width(chart, box_w, &w, diag) != BRIEF_OK ||
        brief_chart_height_for_width(chart, w, &h, diag) != BRIEF_OK) {
        int rc = report(diag);
        brief_chart_free(chart);
        brief_engine_free(engine);
        brief_doc_free(doc);
        brief_diag_free(diag);
        return rc;
    }
    double max_h = page_h - card_y - 2 * pad - 20;
    if (h > max_h)
        h = max_h;           /* the chart is then scaled down to fit */

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, card_x, card_y, card_w, h + 2 * pad);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.8, 0.82, 0.85);
    cairo_set_line_width(cr, 0.75);
    cairo_rectangle(cr, card_x, card_y, card_w, h + 2 * pad);
    cairo_stroke(cr);

    /* Paint the chart into the sub-box. */
    cairo_save(cr);
    cairo_translate(cr, card_x + pad, card_y + pad);
    brief_rect used;
    brief_status st = brief_chart_draw_ex(chart, cr, w, h, NULL, &used, diag);
    cairo_restore(cr);

    /* Our drawing continues with our own state intact: an accent rule
     * under the card, in the colour and line width we set before. */
    cairo_set_source_rgb(cr, 0.07, 0.24, 0.42);
    cairo_set_line_width(cr, 2);
    cairo_move_to(cr, card_x, card_y + h + 2 * pad + 6);
    cairo_line_to(cr, card_x + 120, card_y + h + 2 * pad + 6);
    cairo_stroke(cr);

    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    if (st == BRIEF_OK && cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_write_to_png(surface, argv[3]);
    cairo_surface_destroy(surface);

    int rc = report(diag);
    if (st != BRIEF_OK)
        rc = st;
    else if (cs != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "embed_chart: %s: %s\n", argv[3], cairo_status_to_string(cs));
        rc = 74;
    } else if (brief_diag_error_count(diag) == 0) {
        rc = 0;
        printf("%s: chart '%s' drawn in a %.0f x %.0f pt box (%.0f x %.0f used)\n", argv[3],
               argv[2], w, h, used.width, used.height);
    }
    brief_chart_free(chart);
    brief_engine_free(engine);
    brief_doc_free(doc);
    brief_diag_free(diag);
    return rc;
}
