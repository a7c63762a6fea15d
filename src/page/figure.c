/*
 * figure.c — figure images (see figure.h).
 *
 * Cost model, checked in this order before any pixel is decoded:
 *   1. the file is a regular file (stat before open, fstat after an open
 *      that cannot block) of at most FIGURE_MAX_BYTES (SVG: _SVG_BYTES);
 *   2. the pixel size read from the header (PNG IHDR, JPEG frame header via
 *      libjpeg, SVG intrinsic size via librsvg) is at most FIGURE_MAX_SIDE
 *      per side and FIGURE_MAX_IMAGE_PIXELS, and with the images already
 *      loaded at most FIGURE_MAX_BRIEF_PIXELS;
 *   3. only then the image is decoded, once per resolved path and render.
 *
 * PNG is decoded by cairo (libpng).  JPEG is decoded by libjpeg with every
 * warning treated as an error, so a truncated or damaged file is refused
 * rather than embedded; the decoded pixels back the surface and the original
 * bytes are attached as CAIRO_MIME_TYPE_JPEG, which cairo's PDF surface
 * embeds unchanged (DCTDecode, no recompression).  SVG is drawn by librsvg
 * into a recording surface, so it reaches the PDF as vectors.
 */
#define _GNU_SOURCE
#include "page/figure.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jpeglib.h>
#include <jerror.h>
#include <librsvg/rsvg.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/hash.h>

#include "util/diag.h"

/* A progressive JPEG re-reads every coefficient per scan; real files have
 * about ten scans, hostile ones thousands (libjpeg-turbo's advice). */
#define JPEG_MAX_SCANS 100
/* An SVG is drawn into a box whose longer side is this many units: librsvg
 * rasterises filter effects at that size, so it is what the SVG may cost. */
#define SVG_DRAW_SIDE 1500.0
/* Elements librsvg would draw, each <use> and url(#…) counted as a copy of
 * what it names: about 15 µs and 3 KB each in librsvg and the PDF writer. */
#define SVG_MAX_DRAWN 20000

typedef struct cached_image {
    char *path;                   /* resolved (realpath) */
    cairo_surface_t *surface;     /* the cache's own reference */
} cached_image;

struct figure_cache {
    cached_image *items;
    size_t count, cap;
    unsigned long long pixels;    /* pixels of every figure shown so far */
};

void figure_cache_free(figure_cache *cache)
{
    if (!cache)
        return;
    for (size_t i = 0; i < cache->count; i++) {
        free(cache->items[i].path);
        cairo_surface_destroy(cache->items[i].surface);
    }
    free(cache->items);
    free(cache);
}

void figure_image_size(cairo_surface_t *image, double *w, double *h)
{
    cairo_rectangle_t r = {0, 0, 0, 0};
    if (cairo_surface_get_type(image) == CAIRO_SURFACE_TYPE_RECORDING) {
        cairo_recording_surface_get_extents(image, &r);
    } else {
        r.width = cairo_image_surface_get_width(image);
        r.height = cairo_image_surface_get_height(image);
    }
    *w = r.width > 0 ? r.width : 1;
    *h = r.height > 0 ? r.height : 1;
}

/* ---- reading the file ---- */

/* What went wrong, for the one error figure_load_image reports. */
typedef struct load_error {
    brief_status code;            /* BRIEF_OK: nothing went wrong */
    char why[320];                /* completes "image \"x\" …" */
} load_error;

static void set_error(load_error *e, brief_status code, const char *fmt, ...) BRIEF_PRINTF(3, 4);
static void set_error(load_error *e, brief_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->why, sizeof e->why, fmt, ap);
    va_end(ap);
    e->code = code;
}

static const char *file_kind(mode_t m)
{
    if (S_ISDIR(m))
        return "directory";
    if (S_ISCHR(m))
        return "character device";
    if (S_ISBLK(m))
        return "block device";
    if (S_ISFIFO(m))
        return "FIFO";
    if (S_ISSOCK(m))
        return "socket";
    return "special file";
}

static bool regular_file(const struct stat *st, load_error *e)
{
    if (S_ISREG(st->st_mode))
        return true;
    set_error(e, BRIEF_E_NOINPUT, "cannot be read: not a regular file (%s)", file_kind(st->st_mode));
    return false;
}

static unsigned char *read_all(int fd, size_t len, load_error *e)
{
    unsigned char *buf = malloc(len + 1);
    if (!buf) {
        set_error(e, BRIEF_E_OSERR, "out of memory");
        return NULL;
    }
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            set_error(e, BRIEF_E_NOINPUT, "cannot be read: %s",
                      n < 0 ? strerror(errno) : "the file shrank while it was read");
            free(buf);
            return NULL;
        }
        got += (size_t)n;
    }
    buf[len] = '\0';
    return buf;
}

/* The file type is checked before the open (a FIFO would block it) and
 * again after it (the path may have been swapped in between); O_NONBLOCK
 * keeps even a swapped-in FIFO from blocking the open. */
static unsigned char *read_image_file(const char *path, size_t *len, load_error *e)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        set_error(e, BRIEF_E_NOINPUT, "cannot be read: %s", strerror(errno));
        return NULL;
    }
    if (!regular_file(&st, e))
        return NULL;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        set_error(e, BRIEF_E_NOINPUT, "cannot be read: %s", strerror(errno));
        return NULL;
    }
    unsigned char *data = NULL;
    if (fstat(fd, &st) != 0)
        set_error(e, BRIEF_E_NOINPUT, "cannot be read: %s", strerror(errno));
    else if (!regular_file(&st, e))
        ;
    else if ((unsigned long long)st.st_size > FIGURE_MAX_BYTES)
        set_error(e, BRIEF_E_DATA, "is larger than the 32 MiB limit for image files");
    else if ((data = read_all(fd, (size_t)st.st_size, e)) != NULL)
        *len = (size_t)st.st_size;
    close(fd);
    return data;
}

/* ---- the pixel budget ---- */

static bool within_budget(const figure_cache *cache, double w, double h, load_error *e)
{
    if (!(w >= 1 && h >= 1)) {
        set_error(e, BRIEF_E_DATA, "has no usable size");
        return false;
    }
    if (w > FIGURE_MAX_SIDE || h > FIGURE_MAX_SIDE) {
        set_error(e, BRIEF_E_DATA, "is %.0f × %.0f pixels (at most %d pixels per side)", w, h,
                  FIGURE_MAX_SIDE);
        return false;
    }
    unsigned long long px = (unsigned long long)ceil(w) * (unsigned long long)ceil(h);
    if (px > FIGURE_MAX_IMAGE_PIXELS) {
        set_error(e, BRIEF_E_DATA, "is %.0f × %.0f = %llu pixels (at most %llu million per image)",
                  w, h, px, FIGURE_MAX_IMAGE_PIXELS / 1000000);
        return false;
    }
    if (cache->pixels + px > FIGURE_MAX_BRIEF_PIXELS) {
        set_error(e, BRIEF_E_DATA, "would bring the brief's images to %llu pixels "
                  "(at most %llu million pixels per brief, counted once per figure)",
                  cache->pixels + px, FIGURE_MAX_BRIEF_PIXELS / 1000000);
        return false;
    }
    return true;
}

static cairo_surface_t *new_pixels(int w, int h, load_error *e)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS)
        return s;
    cairo_surface_destroy(s);
    set_error(e, BRIEF_E_OSERR, "out of memory");
    return NULL;
}

/* ---- PNG ---- */

static const unsigned char PNG_MAGIC[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

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

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static cairo_surface_t *decode_png(const unsigned char *data, size_t len, const figure_cache *cache,
                                   load_error *e)
{
    /* The first chunk must be IHDR: its size is what cairo will allocate. */
    if (len < 33 || memcmp(data + 12, "IHDR", 4) != 0) {
        set_error(e, BRIEF_E_DATA, "is a damaged PNG file (no IHDR header)");
        return NULL;
    }
    if (!within_budget(cache, (double)be32(data + 16), (double)be32(data + 20), e))
        return NULL;
    png_reader r = {data, len, 0};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_png_bytes, &r);
    cairo_status_t st = cairo_surface_status(s);
    if (st == CAIRO_STATUS_SUCCESS)
        return s;
    cairo_surface_destroy(s);
    if (st == CAIRO_STATUS_NO_MEMORY)
        set_error(e, BRIEF_E_OSERR, "out of memory");
    else
        set_error(e, BRIEF_E_DATA, "is a damaged or truncated PNG file");
    return NULL;
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

/* One decoded row of the output colour space to cairo's RGB24. */
static void cmyk_row_to_rgb(const JSAMPLE *in, uint32_t *out, int w, bool adobe_inverted)
{
    for (int x = 0; x < w; x++, in += 4) {
        unsigned c = in[0], m = in[1], y = in[2], k = in[3];
        if (!adobe_inverted) {
            c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k;
        }
        out[x] = (uint32_t)(c * k / 255) << 16 | (uint32_t)(m * k / 255) << 8 | (y * k / 255);
    }
}

static bool jpeg_decode_rows(struct jpeg_decompress_struct *d, cairo_surface_t *s, JSAMPLE *row)
{
    unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    bool cmyk = d->out_color_space == JCS_CMYK;
    while (d->output_scanline < d->output_height) {
        unsigned y = d->output_scanline;
        JSAMPROW dst = cmyk ? row : (JSAMPROW)(px + (size_t)y * (size_t)stride);
        if (jpeg_read_scanlines(d, &dst, 1) != 1)
            return false;
        if (cmyk)
            cmyk_row_to_rgb(row, (uint32_t *)(px + (size_t)y * (size_t)stride),
                            (int)d->output_width, d->saw_Adobe_marker);
    }
    cairo_surface_mark_dirty(s);
    return true;
}

static cairo_surface_t *decode_jpeg(const unsigned char *data, size_t len, const figure_cache *cache,
                                    load_error *e)
{
    struct jpeg_decompress_struct d;
    jpeg_fail fail;
    memset(&fail, 0, sizeof fail);
    struct jpeg_progress_mgr progress = {.progress_monitor = jpeg_count_scans};
    cairo_surface_t *volatile s = NULL;
    JSAMPLE *volatile row = NULL;
    d.err = jpeg_std_error(&fail.mgr);
    fail.mgr.error_exit = jpeg_error_exit;
    fail.mgr.emit_message = jpeg_emit_message;
    if (setjmp(fail.back)) {
        if (fail.oom)
            set_error(e, BRIEF_E_OSERR, "out of memory");
        else if (e->code == BRIEF_OK)
            set_error(e, BRIEF_E_DATA, "is a damaged or truncated JPEG file (%s)", fail.msg);
        jpeg_destroy_decompress(&d);
        free(row);
        if (s)
            cairo_surface_destroy(s);
        return NULL;
    }
    jpeg_create_decompress(&d);
    d.progress = &progress;
    jpeg_mem_src(&d, data, (unsigned long)len);
    jpeg_read_header(&d, TRUE);
    if (!within_budget(cache, d.image_width, d.image_height, e))
        longjmp(fail.back, 1);
    bool cmyk = d.jpeg_color_space == JCS_CMYK || d.jpeg_color_space == JCS_YCCK;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    d.out_color_space = cmyk ? JCS_CMYK : JCS_EXT_XRGB;
#else
    d.out_color_space = cmyk ? JCS_CMYK : JCS_EXT_BGRX;
#endif
    if (!(s = new_pixels((int)d.image_width, (int)d.image_height, e)))
        longjmp(fail.back, 1);
    if (cmyk && !(row = malloc((size_t)d.image_width * 4))) {
        set_error(e, BRIEF_E_OSERR, "out of memory");
        longjmp(fail.back, 1);
    }
    jpeg_start_decompress(&d);
    if (!jpeg_decode_rows(&d, s, row)) {
        snprintf(fail.msg, sizeof fail.msg, "rows missing");
        longjmp(fail.back, 1);
    }
    jpeg_finish_decompress(&d);
    jpeg_destroy_decompress(&d);
    free(row);
    unsigned char *copy = malloc(len);
    if (!copy) {
        cairo_surface_destroy(s);
        set_error(e, BRIEF_E_OSERR, "out of memory");
        return NULL;
    }
    memcpy(copy, data, len);
    if (cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, copy, len, free, copy) !=
        CAIRO_STATUS_SUCCESS) {
        free(copy);
        cairo_surface_destroy(s);
        set_error(e, BRIEF_E_OSERR, "out of memory");
        return NULL;
    }
    return s;
}

/* ---- SVG ---- */

/* Pixels inside an SVG (an embedded <image> or <feImage>, or markup hidden
 * in an entity) would be decoded by librsvg with no size known beforehand,
 * so such files are refused.  Element names cannot be written with
 * character references, so a plain search finds them all. */
static const char *svg_forbidden(const unsigned char *data, size_t len)
{
    static const char *const names[] = {"<image", ":image", "<feImage", ":feImage", "<!ENTITY"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (memmem(data, len, names[i], strlen(names[i])))
            return names[i][1] == '!' ? "declares XML entities" : "embeds a raster image";
    return NULL;
}

/* ---- SVG cost: drawn elements with every reference expanded ---- */

typedef struct svg_cost {
    xmlHashTablePtr ids;          /* id → element */
    unsigned long long limit;
    bool cycle;
} svg_cost;

static unsigned long long svg_drawn(svg_cost *c, xmlNodePtr n);

/* What one reference ("#id", "url(#id)") in an attribute value costs. */
static unsigned long long svg_ref_cost(svg_cost *c, const xmlChar *v)
{
    const char *hash = strchr((const char *)v, '#');
    if (!hash)
        return 0;
    char id[256];
    size_t k = 0;
    for (const char *p = hash + 1; *p && *p != ')' && *p != '\'' && *p != '"' && *p != ' ' &&
         k + 1 < sizeof id; p++)
        id[k++] = *p;
    id[k] = '\0';
    xmlNodePtr target = xmlHashLookup(c->ids, (const xmlChar *)id);
    return target ? svg_drawn(c, target) : 0;
}

static unsigned long long svg_drawn(svg_cost *c, xmlNodePtr n)
{
    /* _private: 0 not seen, 1 being counted (a cycle if met again), else count + 2 */
    uintptr_t memo = (uintptr_t)n->_private;
    if (memo == 1) {
        c->cycle = true;
        return c->limit + 1;
    }
    if (memo)
        return memo - 2;
    n->_private = (void *)(uintptr_t)1;
    unsigned long long total = 1;
    for (xmlAttrPtr a = n->properties; a && total <= c->limit; a = a->next) {
        xmlChar *v = a->children ? xmlNodeGetContent((xmlNodePtr)a) : NULL;
        if (v && strchr((const char *)v, '#') && strcmp((const char *)a->name, "id") != 0)
            total += svg_ref_cost(c, v);
        xmlFree(v);
    }
    for (xmlNodePtr k = n->children; k && total <= c->limit; k = k->next)
        if (k->type == XML_ELEMENT_NODE)
            total += svg_drawn(c, k);
    if (total > c->limit)
        total = c->limit + 1;
    n->_private = (void *)(uintptr_t)(total + 2);
    return total;
}

static void svg_collect_ids(xmlHashTablePtr ids, xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *id = xmlGetProp(n, (const xmlChar *)"id");
        if (id)
            xmlHashAddEntry(ids, id, n);   /* the first one wins, as in librsvg */
        xmlFree(id);
        svg_collect_ids(ids, n->children);
    }
}

/* Refuses an SVG whose drawing would exceed SVG_MAX_DRAWN elements once
 * every <use>, pattern, gradient, filter, clip and mask reference is
 * expanded (a few hundred nested <use> elements can name billions). */
static bool svg_within_cost(const unsigned char *data, size_t len, load_error *e)
{
    xmlDocPtr doc = xmlReadMemory((const char *)data, (int)len, NULL, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        set_error(e, BRIEF_E_DATA, "is a damaged SVG file (not well-formed XML)");
        return false;
    }
    svg_cost c = {xmlHashCreate(64), SVG_MAX_DRAWN, false};
    unsigned long long n = 0;
    if (c.ids) {
        svg_collect_ids(c.ids, xmlDocGetRootElement(doc));
        n = svg_drawn(&c, xmlDocGetRootElement(doc));
        xmlHashFree(c.ids, NULL);
    }
    xmlFreeDoc(doc);
    if (!c.ids) {
        set_error(e, BRIEF_E_OSERR, "out of memory");
        return false;
    }
    if (c.cycle || n > SVG_MAX_DRAWN) {
        set_error(e, BRIEF_E_DATA, "is an SVG file that draws more than %d elements once its "
                  "references are expanded%s", SVG_MAX_DRAWN, c.cycle ? " (a reference cycle)" : "");
        return false;
    }
    return true;
}

static bool looks_like_svg(const unsigned char *data, size_t len)
{
    size_t i = 0;
    if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    return i < len && data[i] == '<' && memmem(data, len, "<svg", 4);
}

static bool svg_natural_size(RsvgHandle *h, double *w, double *ht)
{
    if (rsvg_handle_get_intrinsic_size_in_pixels(h, w, ht) && *w > 0 && *ht > 0)
        return true;
    gboolean has_vb = FALSE;
    RsvgRectangle vb = {0, 0, 0, 0};
    rsvg_handle_get_intrinsic_dimensions(h, NULL, NULL, NULL, NULL, &has_vb, &vb);
    *w = vb.width;
    *ht = vb.height;
    return has_vb && vb.width > 0 && vb.height > 0;
}

static cairo_surface_t *draw_svg(RsvgHandle *h, double w, double ht, load_error *e)
{
    double k = SVG_DRAW_SIDE / fmax(w, ht);
    cairo_rectangle_t box = {0, 0, w * k, ht * k};
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &box);
    cairo_t *cr = cairo_create(rec);
    RsvgRectangle vp = {0, 0, box.width, box.height};
    GError *err = NULL;
    bool ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS && rsvg_handle_render_document(h, cr, &vp, &err);
    cairo_destroy(cr);
    if (ok && cairo_surface_status(rec) == CAIRO_STATUS_SUCCESS)
        return rec;
    cairo_status_t st = cairo_surface_status(rec);
    cairo_surface_destroy(rec);
    if (st == CAIRO_STATUS_NO_MEMORY)
        set_error(e, BRIEF_E_OSERR, "out of memory");
    else
        set_error(e, BRIEF_E_DATA, "is an SVG file librsvg cannot draw (%s)",
                  err ? err->message : cairo_status_to_string(st));
    if (err)
        g_error_free(err);
    return NULL;
}

static cairo_surface_t *decode_svg(const unsigned char *data, size_t len, const figure_cache *cache,
                                   load_error *e)
{
    if (len > FIGURE_MAX_SVG_BYTES) {
        set_error(e, BRIEF_E_DATA, "is larger than the 1 MiB limit for SVG files");
        return NULL;
    }
    const char *forbidden = svg_forbidden(data, len);
    if (forbidden) {
        set_error(e, BRIEF_E_DATA, "is an SVG file that %s (not supported: its cost cannot be "
                  "bounded before drawing)", forbidden);
        return NULL;
    }
    if (!svg_within_cost(data, len, e))
        return NULL;
    /* No base file: librsvg then loads no other file or URL the SVG names. */
    GError *err = NULL;
    RsvgHandle *h = rsvg_handle_new_from_data(data, len, &err);
    if (!h) {
        set_error(e, BRIEF_E_DATA, "is a damaged SVG file (%s)", err ? err->message : "unreadable");
        if (err)
            g_error_free(err);
        return NULL;
    }
    rsvg_handle_set_dpi(h, 96);
    double w = 0, ht = 0;
    cairo_surface_t *s = NULL;
    if (!svg_natural_size(h, &w, &ht))
        set_error(e, BRIEF_E_DATA, "is an SVG file without a size (give the <svg> element "
                  "width and height, or a viewBox)");
    else if (within_budget(cache, fmin(SVG_DRAW_SIDE, SVG_DRAW_SIDE * w / fmax(w, ht)),
                           fmin(SVG_DRAW_SIDE, SVG_DRAW_SIDE * ht / fmax(w, ht)), e))
        s = draw_svg(h, w, ht, e);
    g_object_unref(h);
    return s;
}

/* ---- the cache ---- */

static cairo_surface_t *decode(const unsigned char *data, size_t len, const figure_cache *cache,
                               load_error *e)
{
    if (len >= 8 && memcmp(data, PNG_MAGIC, 8) == 0)
        return decode_png(data, len, cache, e);
    if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        return decode_jpeg(data, len, cache, e);
    if (looks_like_svg(data, len))
        return decode_svg(data, len, cache, e);
    set_error(e, BRIEF_E_DATA, "is not a PNG, JPEG or SVG image");
    return NULL;
}

static unsigned long long surface_pixels(cairo_surface_t *s)
{
    double w = 0, h = 0;
    figure_image_size(s, &w, &h);
    return (unsigned long long)ceil(w) * (unsigned long long)ceil(h);
}

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
    cache->items[cache->count++] = (cached_image){path, s};
    cache->pixels += surface_pixels(s);
    return true;
}

static cairo_surface_t *cache_find(const figure_cache *cache, const char *path)
{
    for (size_t i = 0; i < cache->count; i++)
        if (strcmp(cache->items[i].path, path) == 0)
            return cache->items[i].surface;
    return NULL;
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
        const unsigned char *jpeg = NULL;
        unsigned long len = 0;
        cairo_surface_get_mime_data(s, CAIRO_MIME_TYPE_JPEG, &jpeg, &len);
        if (jpeg && cairo_surface_status(w) == CAIRO_STATUS_SUCCESS &&
            cairo_surface_set_mime_data(w, CAIRO_MIME_TYPE_JPEG, jpeg, len, release_surface,
                                        cairo_surface_reference(s)) != CAIRO_STATUS_SUCCESS)
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
    unsigned char *data = read_image_file(path, &len, e);
    if (!data)
        return NULL;
    cairo_surface_t *s = decode(data, len, cache, e);
    free(data);
    return s;
}

cairo_surface_t *figure_load_image(const brief_doc *doc, const block *b, figure_cache **cache,
                                   brief_diag *diag)
{
    char loc[512];
    snprintf(loc, sizeof loc, "%s.image", b->json_path);
    if (!*cache && !(*cache = calloc(1, sizeof **cache))) {
        diag_oom(diag, doc->file, "loading a figure image");
        return NULL;
    }
    char *real = NULL;
    if (doc_resolve_image(doc, b, &real, diag) != BRIEF_OK || !real)
        return NULL;
    load_error e = {BRIEF_OK, ""};
    cairo_surface_t *s = cache_find(*cache, real);
    if (s) {
        free(real);
        double w = 0, h = 0;
        figure_image_size(s, &w, &h);
        cairo_surface_t *again = within_budget(*cache, w, h, &e) ? another_use(s) : NULL;
        if (again)
            (*cache)->pixels += surface_pixels(again);
        else if (e.code == BRIEF_OK)
            diag_oom(diag, doc->file, "loading a figure image");
        else
            doc_error(doc, diag, e.code, loc, "image \"%s\" %s", b->image, e.why);
        return again;
    }
    s = load_new(real, *cache, &e);
    if (s && !cache_add(*cache, real, s)) {
        cairo_surface_destroy(s);
        s = NULL;
        e.code = BRIEF_E_OSERR;
    }
    if (s)
        return cairo_surface_reference(s);
    free(real);
    if (e.code == BRIEF_E_OSERR)
        diag_oom(diag, doc->file, "loading a figure image");
    else
        doc_error(doc, diag, e.code, loc, "image \"%s\" %s (expected a PNG, JPEG or SVG file)",
                  b->image, e.why);
    return NULL;
}
