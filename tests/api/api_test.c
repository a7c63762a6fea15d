/*
 * api_test.c — the public API as a host uses it, against libbrief.so.
 *
 * usage: api_test BRIEF.json
 *
 * Checks: {0} options are the defaults and bad options an error; the
 * runtime version; clearing a diag list; measuring (the height for a width
 * draws without scaling or shrinking; invalid sizes are errors); drawing
 * options and the rectangle reported; charts from C arrays with errors
 * naming the caller's fields; brief_chart_new leaves the shared engine's
 * font choice alone.  Prints "N passed, M failed".
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "brief.h"
#include "text/engine.h"   /* only to look at use_fallback */

static int passed, failed;

static void check(int ok, const char *what)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    ok ? passed++ : failed++;
}

static int has_path(const brief_diag *d, const char *path)
{
    for (size_t i = 0; i < brief_diag_count(d); i++)
        if (strcmp(brief_diag_get(d, i)->path, path) == 0)
            return 1;
    return 0;
}

static int has_message(const brief_diag *d, const char *part)
{
    for (size_t i = 0; i < brief_diag_count(d); i++)
        if (strstr(brief_diag_get(d, i)->message, part))
            return 1;
    return 0;
}

static void test_options(void)
{
    brief_diag *d = brief_diag_new();
    brief_engine_options zero = {0};
    brief_engine *e = brief_engine_new(&zero, d);
    check(e != NULL && brief_diag_error_count(d) == 0, "options {0}: an engine with every default");
    brief_engine_free(e);
    brief_engine_options old = {.size = offsetof(brief_engine_options, no_cache),
                                .system_fallback = BRIEF_FALLBACK_SYSTEM};
    e = brief_engine_new(&old, d);
    check(e != NULL, "options of an older, smaller size are read");
    brief_engine_free(e);
    brief_engine_options bad = {.system_fallback = 7};
    e = brief_engine_new(&bad, d);
    check(e == NULL && brief_diag_status(d) == BRIEF_E_USAGE &&
              has_message(d, "system_fallback"), "options: system_fallback = 7 is an error");
    brief_engine_free(e);
    brief_diag_clear(d);
    const char *broken = getenv("API_TEST_BROKEN_FONTS");   /* run.sh: an empty serif file */
    if (broken) {
        brief_engine_options lax = {.font_dir = broken};
        e = brief_engine_new(&lax, d);
        check(e && brief_diag_error_count(d) == 0 && has_message(d, "BriefSerifSC-Regular.otf"),
              "a broken bundled font: a warning naming the file");
        brief_engine_free(e);
        brief_diag_clear(d);
        brief_engine_options strict = {.font_dir = broken, .strict_fonts = 1};
        e = brief_engine_new(&strict, d);
        check(!e && brief_diag_status(d) == BRIEF_E_CONFIG, "... an error with strict_fonts");
        brief_engine_free(e);
    }
    check(strcmp(brief_version(), BRIEF_VERSION) == 0, "brief_version() is BRIEF_VERSION");
    brief_diag_clear(d);
    check(brief_diag_count(d) == 0 && brief_diag_error_count(d) == 0 &&
              brief_diag_status(d) == BRIEF_OK, "brief_diag_clear empties the list");
    brief_diag_clear(NULL);
    brief_diag_free(d);
}

/* Height for width, then a draw of exactly that size: no scaling, no
 * shrunk labels, the whole box used. */
static void test_measure_chart(brief_chart *c, const char *id, double avail)
{
    char what[160];
    brief_diag *d = brief_diag_new();
    double w = 0, h = 0;
    brief_status st = brief_chart_preferred_width(c, avail, &w, d);
    snprintf(what, sizeof what, "%s: preferred width %.0f within %.0f pt", id, w, avail);
    check(st == BRIEF_OK && w >= 72 && w <= avail, what);
    st = brief_chart_height_for_width(c, w, &h, d);
    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
    cairo_t *cr = cairo_create(s);
    brief_rect used = {-1, -1, -1, -1};
    brief_status dst = brief_chart_draw_ex(c, cr, w, h, NULL, &used, d);
    snprintf(what, sizeof what, "%s: drawn at %.0f x %.1f pt (its height for that width) unscaled",
             id, w, h);
    check(st == BRIEF_OK && dst == BRIEF_OK && h > 0 && !has_message(d, "scaled") &&
              !has_message(d, "shrunk") && !has_message(d, "grown") && used.x == 0 &&
              used.y == 0 && used.width == w && fabs(used.height - h) < 1e-9, what);
    for (size_t i = 0; i < brief_diag_count(d); i++) {
        char line[512];
        brief_error_format(brief_diag_get(d, i), line, sizeof line);
        printf("     %s\n", line);
    }
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    brief_diag_free(d);
}

static void test_measure(brief_engine *e, brief_doc *doc)
{
    for (size_t i = 0; i < brief_doc_chart_count(doc); i++) {
        const char *id = brief_doc_chart_id(doc, i);
        brief_chart *c = brief_chart_new(e, doc, id, NULL);
        const double avail[] = {200, 340, 481.9};
        for (size_t k = 0; c && k < sizeof avail / sizeof avail[0]; k++)
            test_measure_chart(c, id, avail[k]);
        brief_chart_free(c);
    }
    brief_chart *c = brief_chart_new(e, doc, "services", NULL);
    double w1 = 0, w2 = 0, h1 = 0, h2 = 0;
    brief_chart_preferred_width(c, 200, &w1, NULL);
    brief_chart_preferred_width(c, 400, &w2, NULL);
    check(w1 == 200 && w2 == 400, "services (no width given): preferred width follows the space");
    brief_chart_height_for_width(c, 150, &h1, NULL);
    brief_chart_height_for_width(c, 480, &h2, NULL);
    check(h1 > h2, "services: narrower means taller (labels wrap)");
    const double invalid[] = {0, -5, NAN, INFINITY, 1e9, 10};
    for (size_t k = 0; k < sizeof invalid / sizeof invalid[0]; k++) {
        brief_diag *d = brief_diag_new();
        double out = -1;
        char what[120];
        snprintf(what, sizeof what, "width %g: an error in the diag list, nothing written",
                 invalid[k]);
        brief_status a = brief_chart_height_for_width(c, invalid[k], &out, d);
        brief_status b = brief_chart_preferred_width(c, invalid[k], &out, d);
        check(a == BRIEF_E_USAGE && b == BRIEF_E_USAGE && out == -1 &&
                  brief_diag_error_count(d) == 2, what);
        brief_diag_free(d);
    }
    brief_diag *d = brief_diag_new();
    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
    cairo_t *cr = cairo_create(s);
    check(brief_chart_draw(c, cr, NAN, 100, d) == BRIEF_E_USAGE &&
              brief_chart_draw(c, cr, 300, -1, d) == BRIEF_E_USAGE && brief_diag_error_count(d) == 2,
          "draw: NaN or negative box is an error");
    double h = 0;
    brief_chart_height_for_width(c, 300, &h, NULL);
    brief_rect used;
    brief_draw_options natural = {.stretch = BRIEF_STRETCH_NATURAL, .align_y = BRIEF_ALIGN_END};
    brief_chart_draw_ex(c, cr, 300, h + 100, &natural, &used, d);
    check(used.x == 0 && fabs(used.y - 100) < 1e-9 && used.width == 300 &&
              fabs(used.height - h) < 1e-9, "draw natural, aligned to the end: the rectangle used");
    brief_diag_clear(d);
    brief_draw_options start = {.align_x = BRIEF_ALIGN_START};
    brief_chart_draw_ex(c, cr, 300, h / 2, &start, &used, d);
    /* the chart is laid out for the box's proportions and drawn scaled
     * into it, filling it; one warning gives the height it needs */
    check(used.x == 0 && used.y == 0 && fabs(used.height - h / 2) < 0.01 &&
              fabs(used.width - 300) < 0.01 && has_message(d, "cannot hold") &&
              has_message(d, "give at least"),
          "draw into a short box: scaled, the rectangle says where");
    double mw = 0, mh = 0;
    brief_chart_measure(c, 400, &mw, &mh);
    check(mw == 400 && mh > 0, "brief_chart_measure still answers");
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    brief_diag_free(d);
    brief_chart_free(c);
}

static brief_chart *from_data(brief_engine *e, const brief_chart_data *data, brief_diag *d)
{
    brief_diag_clear(d);
    return brief_chart_new_from_data(e, data, d);
}

static void test_from_data(brief_engine *e)
{
    const char *cats[] = {"甲", "乙", "丙"};
    double v[] = {1, 2, 3}, bad[] = {1, INFINITY, 3};
    brief_series one = {.name = "数量", .values = v};
    brief_chart_data data = {.ncategories = 3, .categories = cats, .nseries = 1, .series = &one,
                             .title = "测试"};
    brief_diag *d = brief_diag_new();
    brief_chart *c = from_data(e, &data, d);
    check(c && brief_diag_count(d) == 0, "from data: {0} plus categories and a series");
    double h = 0;
    check(brief_chart_height_for_width(c, 300, &h, d) == BRIEF_OK && h > 50,
          "from data: measured like any chart");
    brief_chart_free(c);

    brief_series infinite = {.name = "数量", .values = bad};
    data.series = &infinite;
    c = from_data(e, &data, d);
    check(!c && has_path(d, "series[0].values[1]"), "from data: an infinite value names series[0].values[1]");
    brief_chart_free(c);

    const char *nullcat[] = {"甲", NULL, "丙"};
    data.series = &one;
    data.categories = nullcat;
    c = from_data(e, &data, d);
    check(!c && has_path(d, "categories[1]"), "from data: a NULL category names categories[1]");
    data.categories = cats;

    brief_series two[] = {{.name = "数量", .values = v}, {.name = "数量", .values = v}};
    data.series = two;
    data.nseries = 2;
    c = from_data(e, &data, d);
    check(!c && (has_path(d, "series[1].name") || has_path(d, "series[0].name")) &&
              brief_diag_get(d, 0)->file[0] == '\0' && brief_diag_get(d, 0)->line == 0,
          "from data: a repeated series name names series[1].name, no file or line");
    for (size_t i = 0; i < brief_diag_count(d); i++)
        printf("     %s: %s\n", brief_diag_get(d, i)->path, brief_diag_get(d, i)->message);

    data.kind = BRIEF_CHART_COMPLETION;
    data.nseries = 1;
    c = from_data(e, &data, d);
    check(!c && has_path(d, "nseries"), "from data: a completion chart needs 2 series");

    /* line and pie charts from C arrays, drawn on a caller's cairo_t */
    data.kind = BRIEF_CHART_LINE;
    data.series = two;
    two[1].name = "金额";
    data.nseries = 2;
    c = from_data(e, &data, d);
    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
    cairo_t *cr = cairo_create(s);
    check(c && brief_diag_count(d) == 0 && brief_chart_draw(c, cr, 300, 200, d) == BRIEF_OK,
          "from data: a line chart of two series, drawn");
    brief_chart_free(c);
    data.kind = BRIEF_CHART_PIE;
    data.nseries = 1;
    c = from_data(e, &data, d);
    check(c && brief_chart_draw(c, cr, 300, 200, d) == BRIEF_OK, "from data: a pie, drawn");
    brief_chart_free(c);
    double neg[] = {1, -2, 3};
    brief_series shares = {.name = "数量", .values = neg};
    data.series = &shares;
    c = from_data(e, &data, d);
    check(!c && has_path(d, "series[0].values[1]"), "from data: a negative share names series[0].values[1]");
    data.nseries = 2;
    data.series = two;
    c = from_data(e, &data, d);
    check(!c && has_path(d, "nseries"), "from data: a pie takes 1 series");
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    brief_diag_free(d);
}

/* A chart with a character outside the bundled faces must not switch the
 * shared engine to system fonts for everything after it. */
static void test_fallback_not_sticky(brief_engine *e, brief_doc *doc)
{
    const char *cats[] = {"ᚠᚢ", "乙"};   /* Runic: in no bundled face */
    double v[] = {1, 2};
    brief_series one = {.name = "数量", .values = v};
    brief_chart_data data = {.ncategories = 2, .categories = cats, .nseries = 1, .series = &one};
    brief_chart *c = brief_chart_new_from_data(e, &data, NULL);
    check(c && !e->use_fallback, "brief_chart_new (uncovered text) leaves the engine's fonts alone");
    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
    cairo_t *cr = cairo_create(s);
    brief_chart_draw(c, cr, 300, 200, NULL);
    check(!e->use_fallback, "... and so does drawing it");
    brief_chart *plain = brief_chart_new(e, doc, "sectors", NULL);
    check(plain && !e->use_fallback, "the next chart uses the bundled fonts");
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    brief_chart_free(plain);
    brief_chart_free(c);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: api_test BRIEF.json\n");
        return 64;
    }
    if (getenv("API_TEST_NO_CACHE")) {
        /* run.sh checks that nothing was written under $HOME. */
        brief_engine_options o = {.no_cache = 1};
        brief_diag *d = brief_diag_new();
        brief_doc *doc = brief_doc_load_file(argv[1], d);
        brief_engine *e = brief_engine_new(&o, d);
        brief_chart *c = e && doc ? brief_chart_new(e, doc, "sectors", d) : NULL;
        double h = 0;
        int ok = c && brief_chart_height_for_width(c, 300, &h, d) == BRIEF_OK && h > 0 &&
                 brief_diag_count(d) == 0;
        brief_chart_free(c);
        brief_engine_free(e);
        brief_doc_free(doc);
        brief_diag_free(d);
        return ok ? 0 : 1;
    }
    test_options();
    brief_diag *d = brief_diag_new();
    brief_doc *doc = brief_doc_load_file(argv[1], d);
    brief_engine *e = brief_engine_new(NULL, d);
    if (!doc || !e) {
        printf("FAIL setup\n");
        return 1;
    }
    test_measure(e, doc);
    test_from_data(e);
    test_fallback_not_sticky(e, doc);
    brief_engine_free(e);
    brief_doc_free(doc);
    brief_diag_free(d);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
