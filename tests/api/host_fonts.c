/*
 * host_fonts.c — a host's fontconfig view before, during and after an
 * engine's life must be the same.
 *
 * usage: host_fonts BRIEF.json CHART-ID
 *
 * Prints the host's font list (FcFontList on the current configuration)
 * and what "DejaVu Serif" and "sans-serif" match, before an engine exists,
 * while one draws a chart, and after it is freed; compares them and that
 * the current FcConfig is the same object throughout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <fontconfig/fontconfig.h>

#include "brief.h"

/* The host's view as one string: every font's file, then two matches. */
static char *host_view(FcConfig **current)
{
    *current = FcConfigGetCurrent();
    FcPattern *all = FcPatternCreate();
    FcObjectSet *os = FcObjectSetBuild(FC_FILE, FC_FAMILY, NULL);
    FcFontSet *set = FcFontList(NULL, all, os);
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    len += (size_t)snprintf(out, cap, "fonts: %d\n", set ? set->nfont : -1);
    for (int i = 0; set && i < set->nfont && len + 600 < cap; i++) {
        FcChar8 *f = NULL;
        FcPatternGetString(set->fonts[i], FC_FILE, 0, &f);
        len += (size_t)snprintf(out + len, cap - len, "%s\n", f ? (char *)f : "?");
    }
    const char *asks[] = {"DejaVu Serif", "sans-serif"};
    for (size_t k = 0; k < 2; k++) {
        FcPattern *p = FcNameParse((const FcChar8 *)asks[k]);
        FcConfigSubstitute(NULL, p, FcMatchPattern);
        FcDefaultSubstitute(p);
        FcResult r;
        FcPattern *m = FcFontMatch(NULL, p, &r);
        FcChar8 *f = NULL;
        if (m)
            FcPatternGetString(m, FC_FILE, 0, &f);
        len += (size_t)snprintf(out + len, cap - len, "%s -> %s\n", asks[k], f ? (char *)f : "none");
        if (m)
            FcPatternDestroy(m);
        FcPatternDestroy(p);
    }
    if (set)
        FcFontSetDestroy(set);
    FcObjectSetDestroy(os);
    FcPatternDestroy(all);
    return out;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 64;
    FcConfig *c0, *c1, *c2;
    char *before = host_view(&c0);
    fputs(before, stdout);

    brief_diag *d = brief_diag_new();
    brief_doc *doc = brief_doc_load_file(argv[1], d);
    brief_engine *e = doc ? brief_engine_new(NULL, d) : NULL;
    brief_chart *chart = e ? brief_chart_new(e, doc, argv[2], d) : NULL;
    if (!chart) {
        printf("FAIL setup\n");
        return 1;
    }
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 400, 300);
    cairo_t *cr = cairo_create(s);
    brief_status st = brief_chart_draw(chart, cr, 400, 300, d);
    char *during = host_view(&c1);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    brief_chart_free(chart);
    brief_engine_free(e);
    brief_doc_free(doc);
    brief_diag_free(d);
    char *after = host_view(&c2);

    int pass = 0, fail = 0;
#define CHECK(ok, what) (printf("%s %s\n", (ok) ? "ok  " : "FAIL", what), (ok) ? pass++ : fail++)
    CHECK(st == BRIEF_OK, "the engine drew the chart");
    CHECK(strcmp(before, during) == 0, "host font list and matches unchanged while an engine works");
    CHECK(strcmp(before, after) == 0, "host font list and matches unchanged after the engine is freed");
    CHECK(c0 == c1 && c1 == c2, "the current FcConfig is the host's throughout");
    if (strcmp(before, after) != 0)
        printf("--- after:\n%s", after);
    free(before);
    free(during);
    free(after);
    printf("%d passed, %d failed\n", pass, fail);
    return fail != 0;
}
