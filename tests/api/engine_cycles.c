/*
 * engine_cycles.c — engines made and freed in turn leak nothing.
 *
 * usage: engine_cycles BRIEF.json CHART-ID [N]
 *
 * N times (default 8): a new engine, a chart drawn with it, everything
 * freed.  tests/api/run.sh runs it under valgrind and fails on any block
 * definitely lost (each engine after the first used to leak an FcConfig).
 */
#include <stdio.h>
#include <stdlib.h>

#include <cairo.h>

#include "brief.h"

int main(int argc, char **argv)
{
    if (argc < 3)
        return 64;
    int n = argc > 3 ? atoi(argv[3]) : 8;
    brief_doc *doc = brief_doc_load_file(argv[1], NULL);
    if (!doc)
        return 66;
    int drawn = 0;
    for (int i = 0; i < n; i++) {
        brief_engine *e = brief_engine_new(NULL, NULL);
        brief_chart *c = e ? brief_chart_new(e, doc, argv[2], NULL) : NULL;
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 300, 200);
        cairo_t *cr = cairo_create(s);
        drawn += c && brief_chart_draw(c, cr, 300, 200, NULL) == BRIEF_OK;
        cairo_destroy(cr);
        cairo_surface_destroy(s);
        brief_chart_free(c);
        brief_engine_free(e);
    }
    brief_doc_free(doc);
    cairo_debug_reset_static_data();
    printf("%d of %d engines drew\n", drawn, n);
    return drawn == n ? 0 : 1;
}
