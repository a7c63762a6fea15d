/*
 * fuzz_render.c — libFuzzer target over the whole path: bytes → parse and
 * validate → layout → paint → PDF in memory, then every chart drawn and
 * exported as SVG.
 *
 * A cost oracle makes an expensive input a finding like a crash: one that
 * takes more than 2 s or raises the peak resident memory by more than
 * 200 MB aborts with a message saying which (docs/format.md promises every
 * limit is checked long before that).  BRIEF_FUZZ_MAX_S and
 * BRIEF_FUZZ_MAX_MB change the bounds.
 *
 * Built with -fsanitize=fuzzer (make fuzz) it is a libFuzzer target; built
 * without, its main() replays the files and directories given on the
 * command line, so every corpus entry and every crash kept under
 * tests/fuzz/ is a regression test: make fuzz-replay replays the corpus,
 * tests/fuzz/crashes and the crashes a make fuzz run left in
 * build-fuzz/crashes under ASan + UBSan, and the test suite
 * (tests/fuzz/run.sh) replays those kept here, tests/bad and data/.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "brief.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

static brief_engine *engine;

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int len)
{
    (void)data;
    *(size_t *)closure += len;
    return CAIRO_STATUS_SUCCESS;
}

static void draw_charts(const brief_doc *doc)
{
    for (size_t i = 0; i < brief_doc_chart_count(doc); i++) {
        brief_diag *d = brief_diag_new();
        brief_chart *c = brief_chart_new(engine, doc, brief_doc_chart_id(doc, i), d);
        if (c) {
            double w = 0, h = 0;
            brief_chart_measure(c, 400, &w, &h);
            cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
            cairo_t *cr = cairo_create(s);
            brief_chart_draw(c, cr, w, h, d);
            cairo_destroy(cr);
            cairo_surface_destroy(s);
            /* and through the SVG writer (a device: held in memory) */
            brief_export_options svg = {.format = BRIEF_FORMAT_SVG};
            brief_chart_export(c, "/dev/null", &svg, d);
        }
        brief_chart_free(c);
        brief_diag_free(d);
    }
}

/* ---- the cost oracle ---- */

static double bound(const char *env, double fallback)
{
    const char *v = getenv(env);
    double x = v && *v ? atof(v) : 0;
    return x > 0 ? x : fallback;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double resident_mb(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return (double)resident * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0);
}

static double peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;   /* KB on Linux */
}

typedef struct cost {
    double t0, rss0;
} cost;

static cost cost_start(void)
{
    return (cost){now_s(), resident_mb()};
}

/* The peak is a high-water mark: the input that first lifts it more than
 * the bound above where this input started is the one reported. */
static void cost_check(cost c, size_t size)
{
    double secs = now_s() - c.t0, grew = peak_mb() - c.rss0;
    /* Replays in the AddressSanitizer test build run several times slower. */
    double max_s = bound("BRIEF_FUZZ_MAX_S", 2.0) * (SANITIZED ? 5 : 1);
    double max_mb = bound("BRIEF_FUZZ_MAX_MB", 200.0) * (SANITIZED ? 2 : 1);
    if (secs > max_s || grew > max_mb) {
        fprintf(stderr, "fuzz_render: cost oracle: a %zu-byte input took %.2f s and raised the "
                "peak memory by %.0f MB (bounds: %g s, %g MB)\n", size, secs, grew, max_s,
                max_mb);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (!engine) {
        engine = brief_engine_new(NULL, NULL);
        if (!engine)
            abort();
    }
    cost c = cost_start();
    brief_diag *d = brief_diag_new();
    brief_doc *doc = brief_doc_load_buffer((const char *)data, size, "fuzz.json", d);
    if (doc) {
        size_t bytes = 0;
        brief_render_pdf_stream(engine, doc, discard, &bytes, NULL, d);
        draw_charts(doc);
    } else if (brief_diag_error_count(d) == 0) {
        abort();    /* a refused document must say why */
    }
    brief_doc_free(doc);
    brief_diag_free(d);
    cost_check(c, size);
    return 0;
}

#ifndef BRIEF_LIBFUZZER
static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 1;
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        fclose(f);
        return 1;
    }
    unsigned char *buf = malloc((size_t)st.st_size + 1);
    size_t n = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    if (!buf)
        return 1;
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 0;
}

static int replay(const char *path, size_t *count)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 1;
    if (!S_ISDIR(st.st_mode)) {
        ++*count;
        return replay_file(path);
    }
    DIR *dir = opendir(path);
    if (!dir)
        return 1;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char child[4096];
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        rc |= replay(child, count);
    }
    closedir(dir);
    return rc;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    int rc = 0;
    for (int i = 1; i < argc; i++)
        rc |= replay(argv[i], &count);
    brief_engine_free(engine);
    /* Reaching here means no input crashed, hung or tripped a sanitizer. */
    printf("%zu passed, %d failed\n", count, rc ? 1 : 0);
    return rc;
}
#endif
