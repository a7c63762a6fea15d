/*
 * chart_export.c — brief_chart_export: one chart as a standalone PDF, SVG
 * or PNG file.
 *
 * Takes a chart from chart_api.c and export options; gives the file.
 * Guarantees: options and sizes are checked, and PNG pixel counts bounded,
 * before anything is allocated or drawn; the file is written through
 * atomic_open/atomic_commit, so a failure never leaves a half-written file;
 * a PNG carries its resolution (pHYs).
 */
#define _POSIX_C_SOURCE 200809L
#include "out/chart_private.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "util/diag.h"
#include "text/engine.h"
#include "out/output.h"

#define PNG_MAX_PIXELS 20000   /* per side; cairo's limit is 32767 */
/* In all, checked before the image is allocated: 4 bytes a pixel, so
 * 160 MB and about 2 s at the limit (docs/charts.md). */
#define PNG_MAX_AREA 40000000.0

/* ---- PNG resolution: a pHYs chunk after IHDR (cairo writes none) ---- */

#define PNG_IHDR_END 33        /* signature (8) + IHDR chunk (4 + 4 + 13 + 4) */

typedef struct png_stream {
    atomic_file *af;
    double dpi;
    size_t seen;               /* bytes of cairo's PNG passed on */
} png_stream;

/* CRC-32 of PNG chunks (ISO 3309, as in the PNG specification's sample). */
static uint32_t png_crc(const unsigned char *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
    return c ^ 0xffffffffu;
}

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* pHYs: pixels per metre on both axes, unit metre, so a word processor
 * places a 150-dpi export at its size in mm. */
static cairo_status_t write_phys(png_stream *ps)
{
    unsigned char c[21];
    uint32_t ppm = (uint32_t)(ps->dpi / 0.0254 + 0.5);
    put_be32(c, 9);
    memcpy(c + 4, "pHYs", 4);
    put_be32(c + 8, ppm);
    put_be32(c + 12, ppm);
    c[16] = 1;
    put_be32(c + 17, png_crc(c + 4, 13));
    return atomic_write(ps->af, c, sizeof c);
}

static cairo_status_t png_write(void *closure, const unsigned char *data, unsigned int len)
{
    png_stream *ps = closure;
    size_t before = ps->seen;
    ps->seen += len;
    if (before >= PNG_IHDR_END || ps->seen < PNG_IHDR_END)
        return atomic_write(ps->af, data, len);
    unsigned int head = (unsigned int)(PNG_IHDR_END - before);
    cairo_status_t st = atomic_write(ps->af, data, head);
    if (st == CAIRO_STATUS_SUCCESS)
        st = write_phys(ps);
    if (st == CAIRO_STATUS_SUCCESS && len > head)
        st = atomic_write(ps->af, data + head, len - head);
    return st;
}

static const char *format_name(brief_format f)
{
    return f == BRIEF_FORMAT_PDF ? "PDF" : f == BRIEF_FORMAT_SVG ? "SVG" : "PNG";
}

/* SVG goes through our own writer (chart_svg.c); takes over cl and af. */
static brief_status export_svg(chart_layout *cl, double W, double H, double pad,
                               const brief_export_options *options, const chart_spec *spec,
                               atomic_file *af, const char *out_path, brief_diag *diag)
{
    GString *svg = chart_layout_svg_ids(cl, W, H, !options->transparent, spec->title, spec->id,
                                        options->id_prefix, pad);
    chart_layout_free(cl);
    if (!svg) {
        atomic_abort(af);
        diag_error(diag, BRIEF_E_SOFTWARE, out_path, "cannot write the SVG: out of memory");
        return BRIEF_E_SOFTWARE;
    }
    atomic_write(af, (const unsigned char *)svg->str, (unsigned int)svg->len);
    g_string_free(svg, TRUE);
    return atomic_commit(af, diag);
}

/* An export's checked settings: what to draw, in which format, at what
 * size.  w_pt and h_pt are inside the padding until the chart is laid out,
 * then the whole page. */
typedef struct export_plan {
    chart_spec bare;           /* spec without titles, for no_title */
    const chart_spec *spec;    /* the spec laid out: the chart's, or &bare */
    brief_format fmt;
    double pad_pt, w_pt, h_pt;
    bool fixed;                /* h_pt given (option or spec), not natural */
    double dpi;                /* PNG pixels per inch */
    double px_w, px_h;         /* PNG size in pixels */
} export_plan;

/* --no-title: the chart without the texts a host document's caption
 * replaces (the file's metadata keeps the title) */
static void plan_spec(export_plan *p, const chart_spec *spec, bool no_title)
{
    p->spec = spec;
    if (no_title) {
        p->bare = *spec;
        p->bare.title = p->bare.subtitle = p->bare.note = NULL;
        p->spec = &p->bare;
    }
}

static brief_status check_export_options(const brief_export_options *options,
                                         const char *out_path, brief_format *fmt,
                                         brief_diag *diag)
{
    *fmt = options->format != BRIEF_FORMAT_AUTO ? options->format : format_from_path(out_path);
    if (*fmt == BRIEF_FORMAT_AUTO) {
        diag_error(diag, BRIEF_E_USAGE, out_path,
                   "cannot tell the format from the file name (expected .pdf, .svg or .png, or give a format)");
        return BRIEF_E_USAGE;
    }
    if (options->width_mm < 0 || options->height_mm < 0 || options->dpi < 0 ||
        !isfinite(options->width_mm) || !isfinite(options->height_mm) || !isfinite(options->dpi)) {
        diag_error(diag, BRIEF_E_USAGE, NULL, "chart export: width, height and dpi must be positive");
        return BRIEF_E_USAGE;
    }
    if (!(options->padding_mm >= 0 && options->padding_mm <= 50)) {
        diag_error(diag, BRIEF_E_USAGE, NULL, "chart export: padding must be 0 to 50 mm");
        return BRIEF_E_USAGE;
    }
    return BRIEF_OK;
}

/* The size to lay the chart out in: the options', else the spec's, else
 * the page's text width and the height the chart needs. */
static brief_status plan_layout_size(export_plan *p, const brief_chart *chart,
                                     const brief_export_options *options, brief_diag *diag)
{
    const chart_spec *spec = p->spec;
    double pad = p->pad_pt = MM_TO_PT(options->padding_mm);
    double W = options->width_mm > 0 ? MM_TO_PT(options->width_mm)
               : spec->width_pt > 0  ? fmin(spec->width_pt, chart->avail_w)
                                     : chart->avail_w;
    /* A width under one inch (20 to 25.4 mm is valid) is drawn one inch
     * wide, as the brief draws it (chart_layout_new). */
    if (W < CHART_MIN_W_PT)
        W = CHART_MIN_W_PT;
    double H = options->height_mm > 0 ? MM_TO_PT(options->height_mm) : spec->height_pt;
    bool fixed = H > 0;
    /* the padding is inside the size: the chart is laid out in what is left */
    W -= 2 * pad;
    if (fixed)
        H -= 2 * pad;
    if (!fixed)
        chart_natural_size(spec, W, NULL, &H);
    p->w_pt = W;
    p->h_pt = H;
    p->fixed = fixed;
    if (W < 72 || W > 14400 || H > 14400 || (fixed && H < 1)) {
        diag_error(diag, BRIEF_E_USAGE, NULL,
                   "chart export: size %.0f x %.0f mm%s is outside 25.4..5080 mm", W * 25.4 / 72,
                   H * 25.4 / 72, pad > 0 ? " (inside the padding)" : "");
        return BRIEF_E_USAGE;
    }
    return BRIEF_OK;
}

/* The page size from the laid-out chart, and for PNG its pixel count,
 * bounded before the image is allocated. */
static brief_status plan_page_size(export_plan *p, const chart_layout *cl, const char *out_path,
                                   brief_diag *diag)
{
    p->h_pt = chart_layout_height(cl) + 2 * p->pad_pt;
    p->w_pt += 2 * p->pad_pt;
    double px_w = ceil(p->w_pt * p->dpi / 72 - 1e-9), px_h = ceil(p->h_pt * p->dpi / 72 - 1e-9);
    p->px_w = px_w;
    p->px_h = px_h;
    /* A limit, like every limit of the format: exit 65, though --dpi is
     * what the user lowers (the chart's size at that dpi is what is too
     * large). */
    if (p->fmt == BRIEF_FORMAT_PNG && (px_w > PNG_MAX_PIXELS || px_h > PNG_MAX_PIXELS || px_w < 1)) {
        diag_error(diag, BRIEF_E_DATA, out_path,
                   "PNG of %.0f x %.0f pixels is too large (at most %d per side): lower --dpi",
                   px_w, px_h, PNG_MAX_PIXELS);
        return BRIEF_E_DATA;
    }
    if (p->fmt == BRIEF_FORMAT_PNG && px_w * px_h > PNG_MAX_AREA) {
        diag_error(diag, BRIEF_E_DATA, out_path,
                   "PNG of %.0f x %.0f = %.0f pixels is too large (at most %.0f million): lower --dpi",
                   px_w, px_h, px_w * px_h, PNG_MAX_AREA / 1e6);
        return BRIEF_E_DATA;
    }
    return BRIEF_OK;
}

/* A PDF surface writing into af (stamped with the title), or a PNG image. */
static cairo_surface_t *create_export_surface(const export_plan *p, atomic_file *af,
                                              const char *title)
{
    if (p->fmt == BRIEF_FORMAT_PDF) {
        cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(atomic_write, af, p->w_pt,
                                                                    p->h_pt);
        if (cairo_surface_status(surf) == CAIRO_STATUS_SUCCESS)
            output_pdf_stamp(surf, title);
        return surf;
    }
    return cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)p->px_w, (int)p->px_h);
}

/* Background, padding and the chart onto surf, in pt. */
static cairo_status_t paint_export(cairo_surface_t *surf, chart_layout *cl, const export_plan *p,
                                   bool transparent)
{
    cairo_t *cr = cairo_create(surf);
    if (p->fmt == BRIEF_FORMAT_PNG)
        cairo_scale(cr, p->dpi / 72, p->dpi / 72);
    if (!transparent) {
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_rectangle(cr, 0, 0, p->w_pt, p->h_pt);
        cairo_fill(cr);
    }
    cairo_translate(cr, p->pad_pt, p->pad_pt);
    cl->knockout_halos = transparent && p->fmt == BRIEF_FORMAT_PNG;
    chart_layout_paint(cl, cr);
    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    return cs;
}

/* PDF and PNG go through cairo; takes over cl and af. */
static brief_status export_cairo(chart_layout *cl, const export_plan *p,
                                 const brief_export_options *options, const char *title,
                                 atomic_file *af, const char *out_path, brief_diag *diag)
{
    cairo_surface_t *surf = create_export_surface(p, af, title);
    cairo_status_t cs = paint_export(surf, cl, p, options->transparent);
    if (cs == CAIRO_STATUS_SUCCESS && p->fmt == BRIEF_FORMAT_PNG) {
        cairo_surface_flush(surf);
        png_stream ps = {.af = af, .dpi = p->dpi};
        cs = cairo_surface_write_to_png_stream(surf, png_write, &ps);
    }
    cairo_surface_finish(surf);
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    chart_layout_free(cl);
    if (cs != CAIRO_STATUS_SUCCESS) {
        if (af->failed) {
            /* the stream failed: atomic_commit reports the errno */
            return atomic_commit(af, diag);
        }
        atomic_abort(af);
        diag_error(diag, BRIEF_E_SOFTWARE, out_path, "cannot draw the %s: %s",
                   format_name(p->fmt), cairo_status_to_string(cs));
        return BRIEF_E_SOFTWARE;
    }
    return atomic_commit(af, diag);
}

static brief_status export_locked(const brief_chart *chart, const char *out_path,
                                  const brief_export_options *options, brief_diag *diag)
{
    brief_export_options defaults = {0};
    if (!options)
        options = &defaults;
    if (!chart || !out_path) {
        diag_error(diag, BRIEF_E_USAGE, NULL, "brief_chart_export: a chart and an output path are required");
        return BRIEF_E_USAGE;
    }
    export_plan p;
    plan_spec(&p, chart->spec, options->no_title);
    brief_status st = check_export_options(options, out_path, &p.fmt, diag);
    if (st == BRIEF_OK)
        st = plan_layout_size(&p, chart, options, diag);
    if (st != BRIEF_OK)
        return st;
    p.dpi = options->dpi > 0 ? options->dpi : 150;
    chart_layout *cl = chart_layout_build(chart->engine, p.spec, p.w_pt, p.h_pt, p.fixed,
                                          doc_file(chart->doc), diag);
    if (!cl) {
        diag_oom(diag, doc_file(chart->doc), "laying out the chart");
        return BRIEF_E_OSERR;
    }
    atomic_file af;
    st = plan_page_size(&p, cl, out_path, diag);
    if (st == BRIEF_OK)
        st = atomic_open(&af, out_path, diag);
    if (st != BRIEF_OK) {
        chart_layout_free(cl);
        return st;
    }
    if (p.fmt == BRIEF_FORMAT_SVG)
        return export_svg(cl, p.w_pt, p.h_pt, p.pad_pt, options, chart->spec, &af, out_path, diag);
    return export_cairo(cl, &p, options, chart->spec->title, &af, out_path, diag);
}

brief_status brief_chart_export(const brief_chart *chart, const char *out_path,
                                const brief_export_options *options, brief_diag *diag)
{
    if (!chart || !out_path) {
        diag_error(diag, BRIEF_E_USAGE, NULL, "brief_chart_export: a chart and an output path are required");
        return BRIEF_E_USAGE;
    }
    engine_begin(chart->engine);
    engine_use_fallback(chart->engine, chart->needs_fallback);
    brief_status st = export_locked(chart, out_path, options, diag);
    engine_end(chart->engine);
    return st;
}
