/*
 * png_diff.c — compares a rendered PNG with its golden reference.
 *
 * usage: png_diff REFERENCE.png NEW.png [--max-bad FRACTION] [--level N]
 *
 * Reads both with cairo's PNG reader.  They match when the sizes are equal
 * and at most FRACTION (default 0.002, i.e. 0.2 %) of the pixels differ by
 * more than N (default 64) in some channel — room for antialiasing noise
 * from another FreeType or pixman, none for a label that moved, vanished or
 * changed colour.  Exit status 0 when they match, 1 when not (with the
 * numbers on stderr), 2 on usage or read errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

static cairo_surface_t *load(const char *path)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "png_diff: %s: %s\n", path, cairo_status_to_string(cairo_surface_status(s)));
        cairo_surface_destroy(s);
        return NULL;
    }
    /* Compare in one format: draw onto ARGB32 over white. */
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    cairo_surface_t *c = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t *cr = cairo_create(c);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_surface(cr, s, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    cairo_surface_flush(c);
    return c;
}

int main(int argc, char **argv)
{
    double max_bad = 0.002;
    int level = 64;
    const char *paths[2] = {NULL, NULL};
    int np = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--max-bad") && i + 1 < argc)
            max_bad = atof(argv[++i]);
        else if (!strcmp(argv[i], "--level") && i + 1 < argc)
            level = atoi(argv[++i]);
        else if (np < 2)
            paths[np++] = argv[i];
        else
            np = 3;
    }
    if (np != 2) {
        fprintf(stderr, "usage: png_diff REFERENCE.png NEW.png [--max-bad FRACTION] [--level N]\n");
        return 2;
    }
    cairo_surface_t *a = load(paths[0]), *b = load(paths[1]);
    if (!a || !b) {
        if (a) cairo_surface_destroy(a);
        if (b) cairo_surface_destroy(b);
        return 2;
    }
    int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
    int rc = 0;
    if (w != cairo_image_surface_get_width(b) || h != cairo_image_surface_get_height(b)) {
        fprintf(stderr, "size %dx%d, reference %dx%d\n", cairo_image_surface_get_width(b),
                cairo_image_surface_get_height(b), w, h);
        rc = 1;
    } else {
        const unsigned char *pa = cairo_image_surface_get_data(a), *pb = cairo_image_surface_get_data(b);
        int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b);
        long bad = 0;
        double sum = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int worst = 0;
                for (int ch = 0; ch < 4; ch++) {
                    int d = abs(pa[y * sa + 4 * x + ch] - pb[y * sb + 4 * x + ch]);
                    worst = d > worst ? d : worst;
                    sum += d;
                }
                bad += worst > level;
            }
        }
        double frac = (double)bad / ((double)w * h);
        if (frac > max_bad) {
            fprintf(stderr, "%ld of %d pixels differ (%.3f %%, at most %.3f %% allowed), mean difference %.3f\n",
                    bad, w * h, frac * 100, max_bad * 100, sum / ((double)w * h * 4));
            rc = 1;
        }
    }
    cairo_surface_destroy(a);
    cairo_surface_destroy(b);
    return rc;
}
