/*
 * chart_checks.h — checks of a chart layout shared by the chart unit tests
 * (test_chart.c, test_kinds.c): role names, the PNG dump for looking at a
 * failing case, and "nothing crosses a label".  Header-only, test use only;
 * include after cmocka.h and chart/chart_internal.h.
 */
#ifndef BRIEF_TEST_CHART_CHECKS_H
#define BRIEF_TEST_CHART_CHECKS_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* One failed check inside a checker that counts `fails` and names its
 * case `tag`: printed, counted, and the checker goes on. */
#define FAIL(...)                                                                      \
    do {                                                                               \
        fails++;                                                                       \
        print_error("%s: ", tag);                                                      \
        print_error(__VA_ARGS__);                                                      \
        print_error("\n");                                                             \
    } while (0)

static const char *role_name(chart_text_role r)
{
    static const char *const names[] = {"title", "subtitle", "legend", "category", "value",
                                        "tick", "axis-title", "reference", "note", "empty"};
    return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "?";
}

/* With BRIEF_CHART_DUMP=DIR, the layout as DIR/NAME.png at 150 dpi. */
static void dump_png(const chart_layout *cl, const char *name, double w)
{
    const char *dir = getenv("BRIEF_CHART_DUMP");
    if (!dir || !*dir)
        return;
    double s = 150.0 / 72;
    double h = chart_layout_height(cl);
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)ceil(w * s),
                                                       (int)ceil(h * s));
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, s, s);
    chart_layout_paint(cl, cr);
    cairo_destroy(cr);
    char path[512];
    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    cairo_surface_write_to_png(surf, path);
    cairo_surface_destroy(surf);
}

static bool boxes_overlap(double ax0, double ay0, double ax1, double ay1, double bx0, double by0,
                          double bx1, double by1, double eps)
{
    return ax0 < bx1 - eps && bx0 < ax1 - eps && ay0 < by1 - eps && by0 < ay1 - eps;
}

/* Nothing crosses a label: no reference line or zero line runs through a
 * value or reference label, no line at all through a reference label.
 * Returns the number of crossings, each printed after `tag`. */
static int labels_crossed(const chart_layout *cl, const char *tag)
{
    int fails = 0;
    for (size_t i = 0; i < chart_layout_text_count(cl); i++) {
        const chart_text *t = chart_layout_text(cl, i);
        if (t->role != CHART_TEXT_VALUE && t->role != CHART_TEXT_REFERENCE)
            continue;
        for (size_t j = 0; j < chart_layout_shape_count(cl); j++) {
            const chart_shape *s = chart_layout_shape(cl, j);
            if (s->kind != CHART_SHAPE_LINE ||
                !(s->role == CHART_ROLE_REFERENCE || s->role == CHART_ROLE_BASELINE ||
                  (t->role == CHART_TEXT_REFERENCE && s->role == CHART_ROLE_GRID)))
                continue;
            /* the line's width across it; its ends are where it starts */
            double hx = s->x0 == s->x1 ? s->width / 2 : 0, hy = s->y0 == s->y1 ? s->width / 2 : 0;
            if (boxes_overlap(t->x0, t->y0, t->x1, t->y1, fmin(s->x0, s->x1) - hx,
                              fmin(s->y0, s->y1) - hy, fmax(s->x0, s->x1) + hx,
                              fmax(s->y0, s->y1) + hy, 0.01)) {
                print_error("%s: %s '%s' crossed by a %s line\n", tag, role_name(t->role), t->text,
                            s->role == CHART_ROLE_REFERENCE ? "reference"
                            : s->role == CHART_ROLE_BASELINE ? "zero" : "grid");
                fails++;
            }
        }
    }
    return fails;
}

#endif
