/*
 * threads.c — engines in parallel threads, and one engine shared.
 *
 * usage: threads BRIEF.json CHART-ID [THREADS [ROUNDS]]
 *
 * Each of THREADS threads makes its own engine and chart and draws ROUNDS
 * times; then THREADS threads share one engine and one chart.  Every
 * drawing must be pixel-identical to the first.  Run under helgrind or
 * TSan by tests/api/run.sh.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "brief.h"

#define MAX_THREADS 16

static const char *doc_path, *chart_id;
static brief_doc *doc;            /* read-only after loading: shared */
static brief_chart *shared_chart;
static int rounds = 2;

/* FNV-1a over the pixels of one drawing; 0 when drawing failed. */
static uint64_t draw_hash(brief_chart *c)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 300, 220);
    cairo_t *cr = cairo_create(s);
    brief_status st = brief_chart_draw(c, cr, 300, 220, NULL);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    const unsigned char *p = cairo_image_surface_get_data(s);
    size_t n = (size_t)cairo_image_surface_get_stride(s) * 220;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    cairo_surface_destroy(s);
    return st == BRIEF_OK ? h : 0;
}

typedef struct { uint64_t hash[8]; } result;

static void *own_engine(void *arg)
{
    result *r = arg;
    brief_engine *e = brief_engine_new(NULL, NULL);
    brief_chart *c = e ? brief_chart_new(e, doc, chart_id, NULL) : NULL;
    for (int i = 0; c && i < rounds; i++)
        r->hash[i] = draw_hash(c);
    brief_chart_free(c);
    brief_engine_free(e);
    return NULL;
}

static void *shared_engine(void *arg)
{
    result *r = arg;
    for (int i = 0; i < rounds; i++)
        r->hash[i] = draw_hash(shared_chart);
    return NULL;
}

static int run(void *(*fn)(void *), int n, result *res)
{
    pthread_t t[MAX_THREADS];
    memset(res, 0, sizeof(result) * (size_t)n);
    for (int i = 0; i < n; i++)
        if (pthread_create(&t[i], NULL, fn, &res[i]) != 0)
            return 0;
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < n; i++)
        for (int k = 0; k < rounds; k++)
            if (res[i].hash[k] == 0 || res[i].hash[k] != res[0].hash[0])
                return 0;
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return 64;
    doc_path = argv[1];
    chart_id = argv[2];
    int n = argc > 3 ? atoi(argv[3]) : 4;
    rounds = argc > 4 ? atoi(argv[4]) : 2;
    if (n < 1 || n > MAX_THREADS || rounds < 1 || rounds > 8)
        return 64;
    doc = brief_doc_load_file(doc_path, NULL);
    if (!doc)
        return 66;
    result res[MAX_THREADS];
    int pass = 0, fail = 0;
    int ok = run(own_engine, n, res);
    uint64_t res_own0 = res[0].hash[0];
    printf("%s %d threads, an engine each: %d drawings identical\n", ok ? "ok  " : "FAIL", n, n * rounds);
    ok ? pass++ : fail++;

    brief_engine *e = brief_engine_new(NULL, NULL);
    shared_chart = e ? brief_chart_new(e, doc, chart_id, NULL) : NULL;
    /* Cold: the threads fill the engine's caches together. */
    ok = shared_chart && run(shared_engine, n, res) && res[0].hash[0] == res_own0;
    printf("%s %d threads sharing one engine and chart: serialised, %d drawings identical\n",
           ok ? "ok  " : "FAIL", n, n * rounds);
    ok ? pass++ : fail++;
    brief_chart_free(shared_chart);
    brief_engine_free(e);
    brief_doc_free(doc);
    printf("%d passed, %d failed\n", pass, fail);
    return fail != 0;
}
