/*
 * figure_load.h — what the parts of figure loading share; private to
 * src/page/figure*.c (the stage's interface is figure.h).
 *
 * figure.c        the cache, the brief's pixel plan, figure_load_image
 * figure_file.c   reading a file safely; the per-image and per-brief limits
 * figure_raster.c PNG (libpng) and JPEG (libjpeg) decoding
 * figure_svg.c    the SVG cost walk (libxml2) and drawing (librsvg)
 *
 * Every decoder takes the file's bytes and the cache (for the budget),
 * gives a surface or NULL with a load_error saying why, and checks the
 * pixel size against figure_within_budget before decoding any pixel.
 */
#ifndef BRIEF_FIGURE_LOAD_H
#define BRIEF_FIGURE_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>
#include <cairo.h>
#include "page/figure.h"
#include "util/diag.h"

/* An SVG is drawn into a box whose longer side is this many units: librsvg
 * rasterises filter effects at that size, so it is what the SVG may cost. */
#define SVG_DRAW_SIDE 1500.0

typedef struct cached_image {
    char *path;                   /* resolved (realpath) */
    cairo_surface_t *surface;     /* the cache's own reference */
} cached_image;

struct figure_cache {
    GHashTable *by_path;          /* resolved path → its item's surface */
    cairo_surface_t **given;      /* a reference to every surface given out */
    size_t ngiven, given_cap;
    cached_image *items;
    size_t count, cap;
    unsigned long long pixels;    /* pixels of every figure shown so far */
    bool refused;                 /* the brief's images are over the budget */
};


typedef struct natural_size {
    double w, h;
} natural_size;

/* The size a stand-in surface stands for (see jpeg_stand_in): set on a
 * JPEG's 1 × 1 stand-in, read by figure_image_size and figure_paint. */
extern const cairo_user_data_key_t figure_natural_size_key;

/* What went wrong, for the one error figure_load_image reports. */
typedef struct load_error {
    brief_status code;            /* BRIEF_OK: nothing went wrong */
    char why[320];                /* completes "image \"x\" …" */
} load_error;

/* Only the size, when the budget of the whole brief is planned. */
typedef struct image_dims {
    double w, h;
} image_dims;

void figure_set_error(load_error *e, brief_status code, const char *fmt, ...) BRIEF_PRINTF(3, 4);
/* The bytes of a regular file of at most FIGURE_MAX_BYTES, NUL-terminated. */
unsigned char *figure_read_file(const char *path, size_t *len, load_error *e);
/* w × h pixels fit the per-image limits and what is left of the brief's. */
bool figure_within_budget(const figure_cache *cache, double w, double h, load_error *e);

cairo_surface_t *figure_decode_png(const unsigned char *data, size_t len, const figure_cache *cache,
                                   load_error *e);
/* With header_only, only fills it with the size from the frame header. */
cairo_surface_t *figure_decode_jpeg(const unsigned char *data, size_t len, const figure_cache *cache,
                                    load_error *e, image_dims *header_only);
bool figure_looks_like_svg(const unsigned char *data, size_t len);
cairo_surface_t *figure_decode_svg(const unsigned char *data, size_t len, const figure_cache *cache,
                                   load_error *e);

#endif
