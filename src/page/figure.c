/*
 * figure.c — figure images (see figure.h).
 *
 * PNG is decoded by cairo.  JPEG is not decoded at all: its size is read
 * from the frame header and the file is attached as CAIRO_MIME_TYPE_JPEG,
 * which cairo's PDF surface embeds unchanged (DCTDecode), so no JPEG
 * library is needed and the photo is not recompressed.
 */
#define _GNU_SOURCE
#include "page/figure.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/diag.h"

static unsigned char *read_whole(const char *path, size_t *len, int *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *err = errno;
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
        (unsigned long long)st.st_size > FIGURE_MAX_BYTES) {
        *err = S_ISREG(st.st_mode) ? EFBIG : EISDIR;
        fclose(f);
        return NULL;
    }
    unsigned char *buf = malloc((size_t)st.st_size + 1);
    size_t n = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    if (!buf || n != (size_t)st.st_size) {
        free(buf);
        *err = EIO;
        return NULL;
    }
    *len = n;
    return buf;
}

/* Width and height from the first SOFn marker of a JPEG, 0 if none. */
static bool jpeg_size(const unsigned char *d, size_t len, int *w, int *h)
{
    size_t i = 2;
    while (i + 9 < len) {
        if (d[i] != 0xFF)
            return false;
        unsigned char m = d[i + 1];
        if (m == 0xFF) {
            i++;
            continue;
        }
        size_t seglen = ((size_t)d[i + 2] << 8) | d[i + 3];
        bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
        if (sof) {
            *h = (d[i + 5] << 8) | d[i + 6];
            *w = (d[i + 7] << 8) | d[i + 8];
            return *w > 0 && *h > 0;
        }
        if (seglen < 2)
            return false;
        i += 2 + seglen;
    }
    return false;
}

typedef struct png_reader {
    const unsigned char *data;
    size_t len, pos;
} png_reader;

static cairo_status_t read_png_bytes(void *closure, unsigned char *out, unsigned int n)
{
    png_reader *r = closure;
    if (r->len - r->pos < n)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(out, r->data + r->pos, n);
    r->pos += n;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *decode(const unsigned char *data, size_t len, const char **why)
{
    static const unsigned char png_magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (len >= 8 && memcmp(data, png_magic, 8) == 0) {
        /* Refuse huge canvases before cairo allocates them. */
        unsigned long w = len >= 24 ? ((unsigned long)data[16] << 24 | (unsigned long)data[17] << 16 |
                                       (unsigned long)data[18] << 8 | data[19]) : 0;
        unsigned long h = len >= 24 ? ((unsigned long)data[20] << 24 | (unsigned long)data[21] << 16 |
                                       (unsigned long)data[22] << 8 | data[23]) : 0;
        if (w == 0 || h == 0 || w > FIGURE_MAX_PIXELS || h > FIGURE_MAX_PIXELS) {
            *why = "has no usable size (at most 10000 × 10000 pixels)";
            return NULL;
        }
        png_reader r = {data, len, 0};
        cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_png_bytes, &r);
        if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
            cairo_surface_destroy(s);
            *why = "is a damaged PNG file";
            return NULL;
        }
        return s;
    }
    if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
        int w = 0, h = 0;
        if (!jpeg_size(data, len, &w, &h) || w > FIGURE_MAX_PIXELS || h > FIGURE_MAX_PIXELS) {
            *why = "is a damaged JPEG file (no frame header)";
            return NULL;
        }
        /* A 1×1 stand-in scaled by the painter would lose the size, so the
         * surface has the JPEG's own size; its pixels are never used in a
         * PDF because the mime data replaces them. */
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
        unsigned char *copy = malloc(len);
        if (!copy || cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
            free(copy);
            cairo_surface_destroy(s);
            *why = "is too large to load";
            return NULL;
        }
        memcpy(copy, data, len);
        cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, copy, len, free, copy);
        return s;
    }
    *why = "is not a PNG or JPEG image";
    return NULL;
}

cairo_surface_t *figure_load_image(const brief_doc *doc, const block *b, brief_diag *diag)
{
    char loc[512];
    snprintf(loc, sizeof loc, "%s.image", b->json_path);
    char *real = NULL;
    if (doc_resolve_image(doc, b, &real, diag) != BRIEF_OK || !real)
        return NULL;
    size_t len = 0;
    int err = 0;
    unsigned char *data = read_whole(real, &len, &err);
    free(real);
    if (!data) {
        doc_error(doc, diag, err == EFBIG ? BRIEF_E_DATA : BRIEF_E_NOINPUT, loc,
                  "cannot read image \"%s\": %s", b->image,
                  err == EFBIG ? "larger than the 32 MiB limit" : strerror(err));
        return NULL;
    }
    const char *why = NULL;
    cairo_surface_t *s = decode(data, len, &why);
    free(data);
    if (!s)
        doc_error(doc, diag, BRIEF_E_DATA, loc, "image \"%s\" %s (expected a PNG or JPEG file)",
                  b->image, why);
    return s;
}
