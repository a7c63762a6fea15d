/*
 * figure.c — figure images (see figure.h): the cache, the brief's pixel
 * plan and figure_load_image; the work is in figure_file.c (reading and
 * limits), figure_raster.c (PNG, JPEG) and figure_svg.c (see figure_load.h).
 *
 * Cost model, checked in this order before any pixel is decoded:
 *   1. the file is a regular file (stat before open, fstat after an open
 *      that cannot block) of at most FIGURE_MAX_BYTES (SVG: _SVG_BYTES);
 *   2. the pixel size read from the header (PNG IHDR, JPEG frame header via
 *      libjpeg) is at most FIGURE_MAX_SIDE per side and
 *      FIGURE_MAX_IMAGE_PIXELS; an SVG is at most FIGURE_MAX_SVG_BYTES and
 *      SVG_MAX_DRAWN elements with its references expanded (libxml2);
 *   3. before the first image is decoded, the sizes of all figures of the
 *      brief (each counted once per figure, an SVG as SVG_DRAW_SIDE²) add
 *      up to at most FIGURE_MAX_BRIEF_PIXELS (plan_budget);
 *   4. only then an image is decoded, once per resolved path and render.
 *
 * PNG is decoded by libpng.  JPEG is decoded by libjpeg, row by
 * row into one row's buffer, with every warning treated as an error, so a
 * truncated or damaged file is refused rather than embedded; the original
 * bytes are then attached as CAIRO_MIME_TYPE_JPEG to a 1 × 1 stand-in,
 * which cairo's PDF surface embeds unchanged (DCTDecode, no recompression)
 * and without ever holding the JPEG's pixels.  SVG is drawn by librsvg
 * into a recording surface, so it reaches the PDF as vectors.
 */
#define _GNU_SOURCE
#include "page/figure_load.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"

const cairo_user_data_key_t figure_natural_size_key;

void figure_cache_free(figure_cache *cache)
{
    if (!cache)
        return;
    for (size_t i = 0; i < cache->count; i++) {
        free(cache->items[i].path);
        cairo_surface_destroy(cache->items[i].surface);
    }
    for (size_t i = 0; i < cache->ngiven; i++)
        cairo_surface_destroy(cache->given[i]);
    free(cache->given);
    if (cache->by_path)
        g_hash_table_destroy(cache->by_path);
    free(cache->items);
    free(cache);
}

void figure_image_size(cairo_surface_t *image, double *w, double *h)
{
    cairo_rectangle_t r = {0, 0, 0, 0};
    const natural_size *n = cairo_surface_get_user_data(image, &figure_natural_size_key);
    if (n) {
        r.width = n->w;
        r.height = n->h;
    } else if (cairo_surface_get_type(image) == CAIRO_SURFACE_TYPE_RECORDING) {
        cairo_recording_surface_get_extents(image, &r);
    } else {
        r.width = cairo_image_surface_get_width(image);
        r.height = cairo_image_surface_get_height(image);
    }
    *w = r.width > 0 ? r.width : 1;
    *h = r.height > 0 ? r.height : 1;
}

void figure_paint(cairo_surface_t *image, cairo_t *cr, double w_pt, double h_pt)
{
    /* The surface's own units: a JPEG stand-in is 1 × 1 whatever it shows. */
    double sw = 1, sh = 1;
    if (!cairo_surface_get_user_data(image, &figure_natural_size_key))
        figure_image_size(image, &sw, &sh);
    cairo_save(cr);
    cairo_scale(cr, w_pt / sw, h_pt / sh);
    cairo_set_source_surface(cr, image, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_restore(cr);
}

static const unsigned char PNG_MAGIC[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/* ---- the kind of file, by its first bytes ---- */

static cairo_surface_t *figure_decode(const unsigned char *data, size_t len, const figure_cache *cache,
                               load_error *e)
{
    if (len >= 8 && memcmp(data, PNG_MAGIC, 8) == 0)
        return figure_decode_png(data, len, cache, e);
    if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        return figure_decode_jpeg(data, len, cache, e, NULL);
    if (figure_looks_like_svg(data, len))
        return figure_decode_svg(data, len, cache, e);
    figure_set_error(e, BRIEF_E_DATA, "is not a PNG, JPEG or SVG image");
    return NULL;
}

/* What a figure costs against the brief's budget: its pixels; an SVG its
 * whole drawing box, where librsvg may rasterise filter effects. */
static unsigned long long surface_pixels(cairo_surface_t *s)
{
    if (cairo_surface_get_type(s) == CAIRO_SURFACE_TYPE_RECORDING)
        return (unsigned long long)(SVG_DRAW_SIDE * SVG_DRAW_SIDE);
    double w = 0, h = 0;
    figure_image_size(s, &w, &h);
    return (unsigned long long)ceil(w) * (unsigned long long)ceil(h);
}

/* ---- the plan: every figure's size from its header, before any decoding ---- */

/* The size of the image in a file, from its header only; false when the
 * file is unusable (figure_load_image reports why, when it gets there). */
static bool figure_header_size(const char *path, image_dims *dims)
{
    load_error e = {BRIEF_OK, ""};
    size_t len = 0;
    unsigned char *data = figure_read_file(path, &len, &e);
    if (!data)
        return false;
    bool ok = true;
    if (len >= 33 && memcmp(data, PNG_MAGIC, 8) == 0 && memcmp(data + 12, "IHDR", 4) == 0) {
        dims->w = (double)be32(data + 16);
        dims->h = (double)be32(data + 20);
    } else if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
        dims->w = dims->h = 0;
        figure_decode_jpeg(data, len, NULL, &e, dims);
        ok = e.code == BRIEF_OK;
    } else if (figure_looks_like_svg(data, len)) {
        dims->w = dims->h = SVG_DRAW_SIDE;
    } else {
        ok = false;
    }
    free(data);
    return ok;
}

/* Adds up the pixels of every figure of the brief before the first one is
 * decoded, so that a brief over the budget is refused having decoded
 * nothing.  Every figure whose path cannot be used is reported here, all
 * of them; files over the per-image limits are skipped: their own load
 * reports them. */
static bool plan_budget(const brief_doc *doc, figure_cache *cache, brief_diag *diag)
{
    /* resolved path → its image_dims (0 × 0: unusable), each file read once */
    GHashTable *sizes = g_hash_table_new_full(g_str_hash, g_str_equal, free, free);
    unsigned long long total = 0;
    bool ok = true;
    bool over = false;   /* the budget is passed: nothing more to add up */
    for (size_t i = 0; !over && i < doc->nblocks; i++) {
        const block *b = &doc->blocks[i];
        char *real = NULL;
        if (b->type != BLOCK_FIGURE || !b->image)
            continue;
        /* every unusable path is reported now, not only the first one the
         * layout would reach */
        if (doc_resolve_image(doc, b, &real, diag) != BRIEF_OK || !real) {
            cache->refused = true;
            ok = false;
            free(real);
            continue;
        }
        image_dims *dims = g_hash_table_lookup(sizes, real);
        if (dims) {
            free(real);
        } else {
            dims = calloc(1, sizeof *dims);
            load_error e = {BRIEF_OK, ""};
            figure_cache none = {0};
            if (dims && !(figure_header_size(real, dims) && figure_within_budget(&none, dims->w, dims->h, &e)))
                dims->w = dims->h = 0;
            if (!dims) {
                free(real);
                continue;
            }
            g_hash_table_insert(sizes, real, dims);
        }
        total += (unsigned long long)ceil(dims->w) * (unsigned long long)ceil(dims->h);
        if (total > FIGURE_MAX_BRIEF_PIXELS) {
            char loc[512];
            snprintf(loc, sizeof loc, "%s.image", b->json_path);
            doc_error_at(doc, diag, BRIEF_E_DATA, b->image_at, loc, "image \"%s\" would bring the brief's images "
                      "to %llu pixels (at most %llu million pixels per brief, counted once per "
                      "figure; nothing was decoded)", b->image, total,
                      FIGURE_MAX_BRIEF_PIXELS / 1000000);
            cache->refused = true;
            ok = false;
            over = true;
        }
    }
    g_hash_table_destroy(sizes);
    return ok;
}

/* ---- the cache ---- */

static bool cache_add(figure_cache *cache, char *path, cairo_surface_t *s)
{
    if (cache->count == cache->cap) {
        size_t cap = cache->cap ? 2 * cache->cap : 4;
        cached_image *items = realloc(cache->items, cap * sizeof *items);
        if (!items)
            return false;
        cache->items = items;
        cache->cap = cap;
    }
    if (!cache->by_path && !(cache->by_path = g_hash_table_new(g_str_hash, g_str_equal)))
        return false;
    g_hash_table_insert(cache->by_path, path, s);
    cache->items[cache->count++] = (cached_image){path, s};
    cache->pixels += surface_pixels(s);
    return true;
}

static cairo_surface_t *cache_find(const figure_cache *cache, const char *path)
{
    return cache->by_path ? g_hash_table_lookup(cache->by_path, path) : NULL;
}

static void release_surface(void *s) { cairo_surface_destroy(s); }

/* A second figure showing the same file gets its own surface sharing the
 * decoded pixels (or drawing the same recording): cairo 1.16 writes a page
 * resource dictionary with a duplicated key when one surface is painted
 * twice on a page, which qpdf --check reports.  The PDF then carries one
 * copy of the image per figure; nothing is decoded again. */
static cairo_surface_t *another_use(cairo_surface_t *s)
{
    static const cairo_user_data_key_t keep_alive;
    cairo_surface_t *w;
    if (cairo_surface_get_type(s) == CAIRO_SURFACE_TYPE_RECORDING) {
        cairo_rectangle_t r;
        cairo_recording_surface_get_extents(s, &r);
        w = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &r);
        cairo_t *cr = cairo_create(w);
        cairo_set_source_surface(cr, s, 0, 0);
        cairo_paint(cr);
        cairo_destroy(cr);
    } else if (cairo_surface_get_user_data(s, &figure_natural_size_key)) {
        const natural_size *n = cairo_surface_get_user_data(s, &figure_natural_size_key);
        const unsigned char *jpeg = NULL;
        unsigned long len = 0;
        cairo_surface_get_mime_data(s, CAIRO_MIME_TYPE_JPEG, &jpeg, &len);
        natural_size *size = malloc(sizeof *size);
        w = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
        if (size)
            *size = *n;
        if (!size || cairo_surface_set_user_data(w, &figure_natural_size_key, size, free) != CAIRO_STATUS_SUCCESS) {
            free(size);
            cairo_surface_destroy(w);
            return NULL;
        }
        if (cairo_surface_set_mime_data(w, CAIRO_MIME_TYPE_JPEG, jpeg, len, release_surface,
                                        cairo_surface_reference(s)) != CAIRO_STATUS_SUCCESS) {
            cairo_surface_destroy(s);
            cairo_surface_destroy(w);
            return NULL;
        }
    } else {
        w = cairo_image_surface_create_for_data(cairo_image_surface_get_data(s),
                                                cairo_image_surface_get_format(s),
                                                cairo_image_surface_get_width(s),
                                                cairo_image_surface_get_height(s),
                                                cairo_image_surface_get_stride(s));
        if (cairo_surface_status(w) == CAIRO_STATUS_SUCCESS &&
            cairo_surface_set_user_data(w, &keep_alive, cairo_surface_reference(s),
                                        release_surface) != CAIRO_STATUS_SUCCESS)
            cairo_surface_destroy(s);
    }
    if (cairo_surface_status(w) == CAIRO_STATUS_SUCCESS)
        return w;
    cairo_surface_destroy(w);
    return NULL;
}

static cairo_surface_t *load_new(const char *path, figure_cache *cache, load_error *e)
{
    size_t len = 0;
    unsigned char *data = figure_read_file(path, &len, e);
    if (!data)
        return NULL;
    cairo_surface_t *s = figure_decode(data, len, cache, e);
    free(data);
    return s;
}

/* Gives s to the caller (its reference) and keeps one more in the cache;
 * NULL (s released) when the cache cannot grow. */
static cairo_surface_t *give(figure_cache *cache, cairo_surface_t *s)
{
    if (cache->ngiven == cache->given_cap) {
        size_t cap = cache->given_cap ? 2 * cache->given_cap : 8;
        cairo_surface_t **g = realloc(cache->given, cap * sizeof *g);
        if (!g) {
            cairo_surface_destroy(s);
            return NULL;
        }
        cache->given = g;
        cache->given_cap = cap;
    }
    cache->given[cache->ngiven++] = cairo_surface_reference(s);
    return s;
}

cairo_surface_t *figure_load_image(const brief_doc *doc, const block *b, figure_cache **cache,
                                   brief_diag *diag)
{
    char loc[512];
    snprintf(loc, sizeof loc, "%s.image", b->json_path);
    if (!*cache) {
        if (!(*cache = calloc(1, sizeof **cache))) {
            diag_oom(diag, doc->file, "loading a figure image");
            return NULL;
        }
        if (!plan_budget(doc, *cache, diag))
            return NULL;
    }
    if ((*cache)->refused)
        return NULL;
    char *real = NULL;
    if (doc_resolve_image(doc, b, &real, diag) != BRIEF_OK || !real)
        return NULL;
    load_error e = {BRIEF_OK, ""};
    cairo_surface_t *s = cache_find(*cache, real);
    if (s) {
        free(real);
        double w = 0, h = 0;
        figure_image_size(s, &w, &h);
        cairo_surface_t *again = figure_within_budget(*cache, w, h, &e) ? another_use(s) : NULL;
        if (again && (again = give(*cache, again)))
            (*cache)->pixels += surface_pixels(again);
        else if (e.code == BRIEF_OK)
            diag_oom(diag, doc->file, "loading a figure image");
        else
            doc_error_at(doc, diag, e.code, b->image_at, loc, "image \"%s\" %s", b->image, e.why);
        return again;
    }
    s = load_new(real, *cache, &e);
    if (s && cache_add(*cache, real, s)) {   /* the cache owns real and s now */
        if (give(*cache, cairo_surface_reference(s)))
            return s;
        diag_oom(diag, doc->file, "loading a figure image");
        return NULL;
    }
    if (s) {
        cairo_surface_destroy(s);
        e.code = BRIEF_E_OSERR;
    }
    free(real);
    if (e.code == BRIEF_E_OSERR)
        diag_oom(diag, doc->file, "loading a figure image");
    else
        doc_error_at(doc, diag, e.code, b->image_at, loc, "image \"%s\" %s (expected a PNG, JPEG or SVG file)",
                  b->image, e.why);
    return NULL;
}
