/*
 * chart_api.c — the public chart API: brief_chart_new / free / measure /
 * draw / export.
 *
 * Takes a loaded document and an engine; gives charts that a program can
 * measure and paint into its own cairo context, or export as a standalone
 * PDF, SVG or PNG.  Export writes through atomic_open/atomic_commit, so a
 * failure never leaves a half-written file behind.
 */
#define _POSIX_C_SOURCE 200809L
#include "chart/chart_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "util/diag.h"
#include "text/engine.h"
#include "text/fonts.h"
#include "out/output.h"

#define PNG_MAX_PIXELS 20000   /* per side; cairo's limit is 32767 */

struct brief_chart {
    brief_engine *engine;
    const brief_doc *doc;
    const chart_spec *spec;
    double avail_w;            /* the page's text width: the default chart width */
};

static const char *doc_file(const brief_doc *doc)
{
    return (doc && doc->file) ? doc->file : "";
}

/* True when a bundled face covers every string the chart prints. */
static bool chart_covered(const brief_engine *e, const chart_spec *s)
{
    const char *strs[] = {s->title, s->subtitle, s->note, s->unit};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        if (strs[i] && !engine_covers(e, strs[i]))
            return false;
    const dataset *d = s->data;
    if (d) {
        for (size_t r = 0; r < d->nrows; r++) {
            const cell *c = dataset_cell(d, r, s->category_col);
            if (c->kind == CELL_TEXT && c->text && !engine_covers(e, c->text))
                return false;
        }
        for (size_t j = 0; j < s->nvalues; j++)
            if (!engine_covers(e, d->columns[s->value_cols[j]]))
                return false;
    }
    for (size_t i = 0; i < s->nrefs; i++)
        if (s->refs[i].label && !engine_covers(e, s->refs[i].label))
            return false;
    return true;
}

brief_chart *brief_chart_new(brief_engine *engine, const brief_doc *doc, const char *id,
                             brief_diag *diag)
{
    if (!engine || !doc || !id) {
        diag_error(diag, BRIEF_E_USAGE, NULL, "brief_chart_new: engine, document and id are required");
        return NULL;
    }
    const chart_spec *spec = NULL;
    for (size_t i = 0; i < doc->nblocks && !spec; i++)
        if (doc->blocks[i].type == BLOCK_CHART && doc->blocks[i].chart &&
            doc->blocks[i].chart->id && strcmp(doc->blocks[i].chart->id, id) == 0)
            spec = doc->blocks[i].chart;
    if (!spec) {
        char ids[512] = "";
        size_t len = 0;
        for (size_t i = 0; i < doc->nblocks; i++) {
            if (doc->blocks[i].type != BLOCK_CHART || !doc->blocks[i].chart)
                continue;
            int n = snprintf(ids + len, sizeof ids - len, "%s%s", len ? ", " : "",
                             doc->blocks[i].chart->id ? doc->blocks[i].chart->id : "");
            if (n < 0 || (size_t)n >= sizeof ids - len)
                break;
            len += (size_t)n;
        }
        diag_error(diag, BRIEF_E_USAGE, doc_file(doc), "no chart with id '%s' (charts: %s)", id,
                   len ? ids : "none");
        return NULL;
    }
    brief_chart *c = calloc(1, sizeof *c);
    if (!c) {
        diag_error(diag, BRIEF_E_OSERR, NULL, "out of memory");
        return NULL;
    }
    c->engine = engine;
    c->doc = doc;
    c->spec = spec;
    const doc_page *pg = &doc->page;
    c->avail_w = pg->width_pt - pg->margin_pt[1] - pg->margin_pt[3];
    if (!(c->avail_w > 72))
        c->avail_w = MM_TO_PT(170);
    if (!chart_covered(engine, spec))
        engine_use_fallback(engine, true);
    return c;
}

void brief_chart_free(brief_chart *chart)
{
    free(chart);
}

void brief_chart_measure(const brief_chart *chart, double avail_width_pt, double *width_pt,
                         double *height_pt)
{
    if (!chart) {
        if (width_pt) *width_pt = 0;
        if (height_pt) *height_pt = 0;
        return;
    }
    double avail = avail_width_pt > 0 ? avail_width_pt : chart->avail_w;
    double w, h;
    chart_natural_size(chart->spec, avail, &w, &h);
    chart_layout *cl = chart_layout_build(chart->engine, chart->spec, w, h,
                                          chart->spec->height_pt > 0, NULL, NULL);
    if (cl)
        h = chart_layout_height(cl);
    chart_layout_free(cl);
    if (width_pt) *width_pt = w;
    if (height_pt) *height_pt = h;
}

brief_status brief_chart_draw(const brief_chart *chart, cairo_t *cr, double width_pt,
                              double height_pt, brief_diag *diag)
{
    if (!chart || !cr || !(width_pt > 0) || !(height_pt > 0)) {
        diag_error(diag, BRIEF_E_USAGE, NULL, "brief_chart_draw: a chart, a cairo context and a box are required");
        return BRIEF_E_USAGE;
    }
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        diag_error(diag, BRIEF_E_USAGE, NULL, "brief_chart_draw: the cairo context is in an error state: %s",
                   cairo_status_to_string(cairo_status(cr)));
        return BRIEF_E_USAGE;
    }
    chart_layout *cl = chart_layout_build(chart->engine, chart->spec, width_pt, height_pt, true,
                                          doc_file(chart->doc), diag);
    if (!cl) {
        diag_oom(diag, doc_file(chart->doc), "laying out the chart");
        return BRIEF_E_OSERR;
    }
    double need = chart_layout_height(cl);
    cairo_save(cr);
    if (need > height_pt + 0.5) {
        /* The box is too short for every label: scale the whole chart
         * down rather than clip it or paint outside the box. */
        double s = height_pt / need;
        diag_add(diag, BRIEF_WARNING, BRIEF_OK, doc_file(chart->doc), 0, 0,
                 chart->spec->json_path,
                 "chart '%s' needs %.1f mm of height; scaled to %.0f %% to fit the %.1f mm box",
                 chart->spec->id, need * 25.4 / 72, s * 100, height_pt * 25.4 / 72);
        cairo_translate(cr, (width_pt - width_pt * s) / 2, 0);
        cairo_scale(cr, s, s);
    }
    chart_layout_paint(cl, cr);
    cairo_restore(cr);
    chart_layout_free(cl);
    return BRIEF_OK;
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

brief_status brief_chart_export(const brief_chart *chart, const char *out_path,
                                const brief_export_options *options, brief_diag *diag)
{
    brief_export_options defaults = {0};
    if (!options)
        options = &defaults;
    if (!chart || !out_path) {
        diag_error(diag, BRIEF_E_USAGE, NULL, "brief_chart_export: a chart and an output path are required");
        return BRIEF_E_USAGE;
    }
    const chart_spec *spec = chart->spec;
    /* --no-title: the chart without the texts a host document's caption
     * replaces (the file's metadata keeps the title) */
    chart_spec bare;
    if (options->no_title) {
        bare = *spec;
        bare.title = bare.subtitle = bare.note = NULL;
        spec = &bare;
    }
    brief_format fmt = options->format != BRIEF_FORMAT_AUTO ? options->format
                                                            : format_from_path(out_path);
    if (fmt == BRIEF_FORMAT_AUTO) {
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
    double pad = MM_TO_PT(options->padding_mm);
    double W = options->width_mm > 0 ? MM_TO_PT(options->width_mm)
               : spec->width_pt > 0  ? spec->width_pt
                                     : chart->avail_w;
    double H = options->height_mm > 0 ? MM_TO_PT(options->height_mm) : spec->height_pt;
    bool fixed = H > 0;
    /* the padding is inside the size: the chart is laid out in what is left */
    W -= 2 * pad;
    if (fixed)
        H -= 2 * pad;
    if (!fixed)
        chart_natural_size(spec, W, NULL, &H);
    if (W < 72 || W > 14400 || H > 14400 || (fixed && H < 1)) {
        diag_error(diag, BRIEF_E_USAGE, NULL,
                   "chart export: size %.0f x %.0f mm%s is outside 25.4..5080 mm", W * 25.4 / 72,
                   H * 25.4 / 72, pad > 0 ? " (inside the padding)" : "");
        return BRIEF_E_USAGE;
    }
    double dpi = options->dpi > 0 ? options->dpi : 150;
    chart_layout *cl = chart_layout_build(chart->engine, spec, W, H, fixed, doc_file(chart->doc),
                                          diag);
    if (!cl) {
        diag_oom(diag, doc_file(chart->doc), "laying out the chart");
        return BRIEF_E_OSERR;
    }
    H = chart_layout_height(cl) + 2 * pad;
    W += 2 * pad;
    double px_w = ceil(W * dpi / 72 - 1e-9), px_h = ceil(H * dpi / 72 - 1e-9);
    if (fmt == BRIEF_FORMAT_PNG && (px_w > PNG_MAX_PIXELS || px_h > PNG_MAX_PIXELS || px_w < 1)) {
        diag_error(diag, BRIEF_E_USAGE, out_path,
                   "PNG of %.0f x %.0f pixels is too large (at most %d per side): lower --dpi",
                   px_w, px_h, PNG_MAX_PIXELS);
        chart_layout_free(cl);
        return BRIEF_E_USAGE;
    }

    atomic_file af;
    brief_status st = atomic_open(&af, out_path, diag);
    if (st != BRIEF_OK) {
        chart_layout_free(cl);
        return st;
    }
    if (fmt == BRIEF_FORMAT_SVG)
        return export_svg(cl, W, H, pad, options, chart->spec, &af, out_path, diag);
    cairo_surface_t *surf = NULL;
    switch (fmt) {
    case BRIEF_FORMAT_PDF:
        surf = cairo_pdf_surface_create_for_stream(atomic_write, &af, W, H);
        if (cairo_surface_status(surf) == CAIRO_STATUS_SUCCESS)
            output_pdf_stamp(surf, chart->spec->title);
        break;
    default:
        surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)px_w, (int)px_h);
        break;
    }
    cairo_t *cr = cairo_create(surf);
    if (fmt == BRIEF_FORMAT_PNG)
        cairo_scale(cr, dpi / 72, dpi / 72);
    if (!options->transparent) {
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_rectangle(cr, 0, 0, W, H);
        cairo_fill(cr);
    }
    cairo_translate(cr, pad, pad);
    chart_layout_paint(cl, cr);
    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    if (cs == CAIRO_STATUS_SUCCESS && fmt == BRIEF_FORMAT_PNG) {
        cairo_surface_flush(surf);
        cs = cairo_surface_write_to_png_stream(surf, atomic_write, &af);
    }
    cairo_surface_finish(surf);
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    chart_layout_free(cl);
    if (cs != CAIRO_STATUS_SUCCESS) {
        if (af.failed) {
            /* the stream failed: atomic_commit reports the errno */
            return atomic_commit(&af, diag);
        }
        atomic_abort(&af);
        diag_error(diag, BRIEF_E_SOFTWARE, out_path, "cannot draw the %s: %s", format_name(fmt),
                   cairo_status_to_string(cs));
        return BRIEF_E_SOFTWARE;
    }
    return atomic_commit(&af, diag);
}
