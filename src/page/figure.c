/*
 * figure.c — figure images (see figure.h).
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
#include "page/figure.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jpeglib.h>
#include <png.h>
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
    GHashTable *by_path;          /* resolved path → its item's surface */
    cairo_surface_t **given;      /* a reference to every surface given out */
    size_t ngiven, given_cap;
    cached_image *items;
    size_t count, cap;
    unsigned long long pixels;    /* pixels of every figure shown so far */
    bool refused;                 /* the brief's images are over the budget */
};

/* The size a stand-in surface stands for (see jpeg_stand_in). */
static const cairo_user_data_key_t natural_size_key;

typedef struct natural_size {
    double w, h;
} natural_size;

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
    const natural_size *n = cairo_surface_get_user_data(image, &natural_size_key);
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
    if (!cairo_surface_get_user_data(image, &natural_size_key))
        figure_image_size(image, &sw, &sh);
    cairo_save(cr);
    cairo_scale(cr, w_pt / sw, h_pt / sh);
    cairo_set_source_surface(cr, image, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_restore(cr);
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

/* ---- PNG ---- */

static const unsigned char PNG_MAGIC[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

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
static cairo_surface_t *decode_png(const unsigned char *data, size_t len, const figure_cache *cache,
                                   load_error *e)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&img, data, len)) {
        set_error(e, png_out_of_memory(img.message) ? BRIEF_E_OSERR : BRIEF_E_DATA,
                  "is a damaged PNG file (%s)", img.message);
        return NULL;
    }
    if (!within_budget(cache, img.width, img.height, e)) {
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
        set_error(e, BRIEF_E_OSERR, "out of memory");
        return NULL;
    }
    unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    cairo_surface_flush(s);
    if (!png_image_finish_read(&img, NULL, px, stride, NULL)) {
        set_error(e, png_out_of_memory(img.message) ? BRIEF_E_OSERR : BRIEF_E_DATA,
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
        if (cairo_surface_set_user_data(s, &natural_size_key, size, free) == CAIRO_STATUS_SUCCESS) {
            size = NULL;
            if (cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, copy, len, free, copy) ==
                CAIRO_STATUS_SUCCESS)
                return s;
        }
    }
    free(size);
    free(copy);
    cairo_surface_destroy(s);
    set_error(e, BRIEF_E_OSERR, "out of memory");
    return NULL;
}

/* Only the size, when the budget of the whole brief is planned. */
typedef struct image_dims {
    double w, h;
} image_dims;

static cairo_surface_t *decode_jpeg(const unsigned char *data, size_t len, const figure_cache *cache,
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
            set_error(e, BRIEF_E_OSERR, "out of memory");
        else if (e->code == BRIEF_OK)
            set_error(e, BRIEF_E_DATA, "is a damaged or truncated JPEG file (%s)", fail.msg);
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
    if (!within_budget(cache, d.image_width, d.image_height, e))
        longjmp(fail.back, 1);
    if (d.num_components != 1 && d.num_components != 3 && d.num_components != 4) {
        snprintf(fail.msg, sizeof fail.msg, "%d colour components", d.num_components);
        longjmp(fail.back, 1);
    }
    if (d.arith_code) {
        set_error(e, BRIEF_E_DATA, "is an arithmetic-coded JPEG (PDF readers need Huffman coding)");
        longjmp(fail.back, 1);
    }
    /* Validation only: no colour conversion, the fastest inverse DCT. */
    d.out_color_space = d.jpeg_color_space;
    d.dct_method = JDCT_IFAST;
    d.do_fancy_upsampling = FALSE;
    jpeg_start_decompress(&d);
    if (!(row = malloc((size_t)d.output_width * (size_t)d.output_components))) {
        set_error(e, BRIEF_E_OSERR, "out of memory");
        longjmp(fail.back, 1);
    }
    jpeg_decode_all(&d, row);
    jpeg_finish_decompress(&d);
    double w = d.image_width, h = d.image_height;
    jpeg_destroy_decompress(&d);
    free(row);
    return jpeg_stand_in(data, len, w, h, e);
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

/* Elements inside elements, references included: bounds the recursion
 * below (libxml2 itself refuses XML nested more than 256 deep). */
#define SVG_MAX_DEPTH 300

typedef struct svg_cost {
    xmlHashTablePtr ids;          /* id → element */
    unsigned long long limit;
    int depth;
    bool cycle, too_deep;
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
    if (c->depth >= SVG_MAX_DEPTH) {
        c->too_deep = true;
        return c->limit + 1;
    }
    c->depth++;
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
    c->depth--;
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
static void init_libxml(void)
{
    xmlInitParser();
}

static bool svg_within_cost(const unsigned char *data, size_t len, load_error *e)
{
    /* libxml2 2.9 sets up its globals on first use, which threads must not race to do. */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_libxml);
    xmlDocPtr doc = xmlReadMemory((const char *)data, (int)len, NULL, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        set_error(e, BRIEF_E_DATA, "is a damaged SVG file (not well-formed XML)");
        return false;
    }
    svg_cost c = {xmlHashCreate(64), SVG_MAX_DRAWN, 0, false, false};
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
    if (c.too_deep) {
        set_error(e, BRIEF_E_DATA, "is an SVG file whose elements and references nest more than "
                  "%d deep", SVG_MAX_DEPTH);
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
    else if (within_budget(cache, SVG_DRAW_SIDE, SVG_DRAW_SIDE, e))
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
        return decode_jpeg(data, len, cache, e, NULL);
    if (looks_like_svg(data, len))
        return decode_svg(data, len, cache, e);
    set_error(e, BRIEF_E_DATA, "is not a PNG, JPEG or SVG image");
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
static bool header_size(const char *path, image_dims *dims)
{
    load_error e = {BRIEF_OK, ""};
    size_t len = 0;
    unsigned char *data = read_image_file(path, &len, &e);
    if (!data)
        return false;
    bool ok = true;
    if (len >= 33 && memcmp(data, PNG_MAGIC, 8) == 0 && memcmp(data + 12, "IHDR", 4) == 0) {
        dims->w = (double)be32(data + 16);
        dims->h = (double)be32(data + 20);
    } else if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
        dims->w = dims->h = 0;
        decode_jpeg(data, len, NULL, &e, dims);
        ok = e.code == BRIEF_OK;
    } else if (looks_like_svg(data, len)) {
        dims->w = dims->h = SVG_DRAW_SIDE;
    } else {
        ok = false;
    }
    free(data);
    return ok;
}

/* Adds up the pixels of every figure of the brief before the first one is
 * decoded, so that a brief over the budget is refused having decoded
 * nothing.  Figures whose file is unusable or over the per-image limits
 * are skipped here: their own load reports them. */
static bool plan_budget(const brief_doc *doc, figure_cache *cache, brief_diag *diag)
{
    /* resolved path → its image_dims (0 × 0: unusable), each file read once */
    GHashTable *sizes = g_hash_table_new_full(g_str_hash, g_str_equal, free, free);
    unsigned long long total = 0;
    bool ok = true;
    for (size_t i = 0; ok && i < doc->nblocks; i++) {
        const block *b = &doc->blocks[i];
        char *real = NULL;
        if (b->type != BLOCK_FIGURE || !b->image ||
            doc_resolve_image(doc, b, &real, NULL) != BRIEF_OK || !real)
            continue;
        image_dims *dims = g_hash_table_lookup(sizes, real);
        if (dims) {
            free(real);
        } else {
            dims = calloc(1, sizeof *dims);
            load_error e = {BRIEF_OK, ""};
            figure_cache none = {0};
            if (dims && !(header_size(real, dims) && within_budget(&none, dims->w, dims->h, &e)))
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
        }
    }
    g_hash_table_destroy(sizes);
    return ok;
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
    } else if (cairo_surface_get_user_data(s, &natural_size_key)) {
        const natural_size *n = cairo_surface_get_user_data(s, &natural_size_key);
        const unsigned char *jpeg = NULL;
        unsigned long len = 0;
        cairo_surface_get_mime_data(s, CAIRO_MIME_TYPE_JPEG, &jpeg, &len);
        natural_size *size = malloc(sizeof *size);
        w = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
        if (size)
            *size = *n;
        if (!size || cairo_surface_set_user_data(w, &natural_size_key, size, free) != CAIRO_STATUS_SUCCESS) {
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
    unsigned char *data = read_image_file(path, &len, e);
    if (!data)
        return NULL;
    cairo_surface_t *s = decode(data, len, cache, e);
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
        cairo_surface_t *again = within_budget(*cache, w, h, &e) ? another_use(s) : NULL;
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
