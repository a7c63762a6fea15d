/*
 * figure_raster.c — PNG and JPEG decoding (part of figure loading; see
 * figure_load.h).
 *
 * Takes a file's bytes; gives a cairo image surface (PNG) or a 1 × 1
 * stand-in carrying the original JPEG bytes (CAIRO_MIME_TYPE_JPEG, which
 * cairo's PDF surface embeds unchanged).  Guarantees: the size is read
 * from the header and checked against the budget before any pixel is
 * decoded; the whole file is decoded first, every libjpeg warning being an
 * error, so a damaged or truncated file is refused rather than embedded;
 * a JPEG has at most JPEG_MAX_SCANS progressive scans; running out of
 * memory is told apart from damage.
 */
#define _GNU_SOURCE
#include "page/figure_load.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>
#include <jerror.h>

/* A progressive JPEG re-reads every coefficient per scan; real files have
 * about ten scans, hostile ones thousands (libjpeg-turbo's advice). */
#define JPEG_MAX_SCANS 100

/* ---- PNG ---- */

/* cairo's ARGB32 is premultiplied; libpng gives straight alpha. */
static void premultiply(unsigned char *px, int w, int h, int stride)
{
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)(px + (size_t)y * (size_t)stride);
        for (int x = 0; x < w; x++) {
            uint32_t p = row[x], a = p >> 24;
            if (a == 255)
                continue;
            uint32_t r = ((p >> 16) & 0xFF) * a / 255, g = ((p >> 8) & 0xFF) * a / 255,
                     b = (p & 0xFF) * a / 255;
            row[x] = a << 24 | r << 16 | g << 8 | b;
        }
    }
}

/* libpng's messages for its own allocation failures. */
static bool png_out_of_memory(const char *message)
{
    return strstr(message, "memory") || strstr(message, "Memory");
}

/* libpng (its simplified API) decodes straight into the cairo surface, so
 * the pixels are held once; a damaged or truncated file is an error, and
 * running out of memory is told apart from damage (cairo's own PNG reader
 * reports every libpng error as "out of memory"). */
cairo_surface_t *figure_decode_png(const unsigned char *data, size_t len, const figure_cache *cache,
                                   load_error *e)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&img, data, len)) {
        figure_set_error(e, png_out_of_memory(img.message) ? BRIEF_E_OSERR : BRIEF_E_DATA,
                  "is a damaged PNG file (%s)", img.message);
        return NULL;
    }
    if (!figure_within_budget(cache, img.width, img.height, e)) {
        png_image_free(&img);
        return NULL;
    }
    bool alpha = img.format & PNG_FORMAT_FLAG_ALPHA;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    img.format = PNG_FORMAT_ARGB;
#else
    img.format = PNG_FORMAT_BGRA;
#endif
    cairo_surface_t *s = cairo_image_surface_create(alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24,
                                                    (int)img.width, (int)img.height);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        png_image_free(&img);
        cairo_surface_destroy(s);
        figure_set_error(e, BRIEF_E_OSERR, "out of memory");
        return NULL;
    }
    unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    cairo_surface_flush(s);
    if (!png_image_finish_read(&img, NULL, px, stride, NULL)) {
        figure_set_error(e, png_out_of_memory(img.message) ? BRIEF_E_OSERR : BRIEF_E_DATA,
                  "is a damaged or truncated PNG file (%s)", img.message);
        png_image_free(&img);
        cairo_surface_destroy(s);
        return NULL;
    }
    if (alpha)
        premultiply(px, (int)img.width, (int)img.height, stride);
    cairo_surface_mark_dirty(s);
    return s;
}

/* ---- JPEG ---- */

typedef struct jpeg_fail {
    struct jpeg_error_mgr mgr;
    jmp_buf back;
    char msg[JMSG_LENGTH_MAX];
    bool oom;
} jpeg_fail;

static void jpeg_error_exit(j_common_ptr c)
{
    jpeg_fail *f = (jpeg_fail *)c->err;
    if (!f->msg[0])
        f->mgr.format_message(c, f->msg);
    f->oom = f->mgr.msg_code == JERR_OUT_OF_MEMORY;
    longjmp(f->back, 1);
}

/* A warning means libjpeg papered over damage (a truncated file gets a fake
 * end marker and grey rows): refuse it like an error. */
static void jpeg_emit_message(j_common_ptr c, int level)
{
    if (level < 0)
        c->err->error_exit(c);
}

static void jpeg_count_scans(j_common_ptr c)
{
    j_decompress_ptr d = (j_decompress_ptr)c;
    jpeg_fail *f = (jpeg_fail *)c->err;
    if (c->is_decompressor && d->input_scan_number > JPEG_MAX_SCANS) {
        snprintf(f->msg, sizeof f->msg, "more than %d progressive scans", JPEG_MAX_SCANS);
        longjmp(f->back, 1);
    }
}

/* Every row is decoded, into one row's buffer: that is what finds a
 * truncated or damaged file; the pixels themselves are not kept. */
static void jpeg_decode_all(struct jpeg_decompress_struct *d, JSAMPLE *row)
{
    while (d->output_scanline < d->output_height) {
        JSAMPROW r = row;
        jpeg_read_scanlines(d, &r, 1);
    }
}

/* A JPEG reaches the PDF as its own bytes (DCTDecode), never as pixels, so
 * the surface is a 1 × 1 stand-in carrying the file as mime data and its
 * true size as user data: cairo draws the JPEG into the stand-in's unit
 * square, which the painter scales to the figure's box. */
static cairo_surface_t *jpeg_stand_in(const unsigned char *data, size_t len, double w, double h,
                                      load_error *e)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    unsigned char *copy = malloc(len);
    natural_size *size = malloc(sizeof *size);
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS && copy && size) {
        memcpy(copy, data, len);
        *size = (natural_size){w, h};
        if (cairo_surface_set_user_data(s, &figure_natural_size_key, size, free) == CAIRO_STATUS_SUCCESS) {
            size = NULL;
            if (cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, copy, len, free, copy) ==
                CAIRO_STATUS_SUCCESS)
                return s;
        }
    }
    free(size);
    free(copy);
    cairo_surface_destroy(s);
    figure_set_error(e, BRIEF_E_OSERR, "out of memory");
    return NULL;
}

cairo_surface_t *figure_decode_jpeg(const unsigned char *data, size_t len, const figure_cache *cache,
                                    load_error *e, image_dims *header_only)
{
    struct jpeg_decompress_struct d;
    jpeg_fail fail;
    memset(&fail, 0, sizeof fail);
    struct jpeg_progress_mgr progress = {.progress_monitor = jpeg_count_scans};
    JSAMPLE *volatile row = NULL;
    d.err = jpeg_std_error(&fail.mgr);
    fail.mgr.error_exit = jpeg_error_exit;
    fail.mgr.emit_message = jpeg_emit_message;
    if (setjmp(fail.back)) {
        if (fail.oom)
            figure_set_error(e, BRIEF_E_OSERR, "out of memory");
        else if (e->code == BRIEF_OK)
            figure_set_error(e, BRIEF_E_DATA, "is a damaged or truncated JPEG file (%s)", fail.msg);
        jpeg_destroy_decompress(&d);
        free(row);
        return NULL;
    }
    jpeg_create_decompress(&d);
    d.progress = &progress;
    jpeg_mem_src(&d, data, (unsigned long)len);
    jpeg_read_header(&d, TRUE);
    if (header_only) {
        header_only->w = d.image_width;
        header_only->h = d.image_height;
        jpeg_destroy_decompress(&d);
        return NULL;
    }
    if (!figure_within_budget(cache, d.image_width, d.image_height, e))
        longjmp(fail.back, 1);
    if (d.num_components != 1 && d.num_components != 3 && d.num_components != 4) {
        snprintf(fail.msg, sizeof fail.msg, "%d colour components", d.num_components);
        longjmp(fail.back, 1);
    }
    if (d.arith_code) {
        figure_set_error(e, BRIEF_E_DATA, "is an arithmetic-coded JPEG (PDF readers need Huffman coding)");
        longjmp(fail.back, 1);
    }
    /* Validation only: no colour conversion, the fastest inverse DCT. */
    d.out_color_space = d.jpeg_color_space;
    d.dct_method = JDCT_IFAST;
    d.do_fancy_upsampling = FALSE;
    jpeg_start_decompress(&d);
    if (!(row = malloc((size_t)d.output_width * (size_t)d.output_components))) {
        figure_set_error(e, BRIEF_E_OSERR, "out of memory");
        longjmp(fail.back, 1);
    }
    jpeg_decode_all(&d, row);
    jpeg_finish_decompress(&d);
    double w = d.image_width, h = d.image_height;
    jpeg_destroy_decompress(&d);
    free(row);
    return jpeg_stand_in(data, len, w, h, e);
}
