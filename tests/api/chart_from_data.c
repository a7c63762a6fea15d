/*
 * chart_from_data.c — example: a chart from C arrays, drawn into a PDF the
 * program owns, sized by measuring.
 *
 * usage: chart_from_data OUT.pdf
 *
 *   brief_engine_new  →  brief_chart_new_from_data (categories, series)
 *   brief_chart_preferred_width / brief_chart_height_for_width
 *   brief_chart_draw_ex (reports the rectangle it used)
 *
 * No JSON is written: the data are copied from the arrays, and an error
 * names the field of brief_chart_data it is about.  Exit status: 0, or the
 * brief_status of the first error.
 */
#include <math.h>
#include <stdio.h>

#include <cairo.h>
#include <cairo-pdf.h>

#include "brief.h"

static int report(brief_diag *d)
{
    char line[1024];
    for (size_t i = 0; i < brief_diag_count(d); i++) {
        brief_error_format(brief_diag_get(d, i), line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
    return (int)brief_diag_status(d);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: chart_from_data OUT.pdf\n");
        return 64;
    }
    static const char *const districts[] = {"运河区", "新华区", "开发区", "高新区"};
    static const double plan[] = {12.5, 9.8, 15.2, 7.4};
    static const double actual[] = {13.1, 8.9, 16.0, NAN};   /* NAN: not yet reported */
    const brief_series series[] = {
        {.name = "计划", .values = plan, .color = "#7f8c8d"},
        {.name = "完成", .values = actual, .color = "#c0392b"},
    };
    brief_chart_data data = {
        .size = sizeof data,
        .id = "districts",
        .orientation = BRIEF_HORIZONTAL,
        .category_name = "区域",
        .ncategories = 4, .categories = districts,
        .nseries = 2, .series = series,
        .title = "各区投资完成情况", .unit = "亿元",
    };

    brief_diag *diag = brief_diag_new();
    brief_engine_options options = {0};          /* {0}: every default */
    brief_engine *engine = brief_engine_new(&options, diag);
    brief_chart *chart = engine ? brief_chart_new_from_data(engine, &data, diag) : NULL;
    int rc = report(diag);
    brief_diag_clear(diag);                      /* warnings shown; start afresh */
    if (!chart) {
        brief_engine_free(engine);
        brief_diag_free(diag);
        return rc ? rc : 70;
    }

    /* Our page: A5, 40 pt margins; the chart gets what it asks for. */
    const double page_w = 420, page_h = 595, margin = 40;
    double w = 0, h = 0;
    if (brief_chart_preferred_width(chart, page_w - 2 * margin, &w, diag) == BRIEF_OK)
        brief_chart_height_for_width(chart, w, &h, diag);
    cairo_surface_t *surface = cairo_pdf_surface_create(argv[1], page_w, page_h);
    cairo_t *cr = cairo_create(surface);
    cairo_translate(cr, margin, margin);
    brief_rect used = {0};
    brief_chart_draw_ex(chart, cr, w, h, NULL, &used, diag);
    printf("chart %.1f x %.1f pt at (%.1f, %.1f)\n", used.width, used.height, used.x, used.y);
    cairo_destroy(cr);
    cairo_surface_destroy(surface);

    rc = report(diag);
    brief_chart_free(chart);
    brief_engine_free(engine);
    brief_diag_free(diag);
    return rc;
}
