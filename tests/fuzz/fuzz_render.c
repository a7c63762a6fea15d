/*
 * fuzz_render.c — libFuzzer target over the whole path: bytes → parse and
 * validate → layout → paint → PDF in memory, then every chart drawn and
 * exported as SVG.
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
#include <sys/stat.h>

#include "brief.h"

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

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (!engine) {
        engine = brief_engine_new(NULL, NULL);
        if (!engine)
            abort();
    }
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
