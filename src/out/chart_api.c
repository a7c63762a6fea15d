/*
 * chart_api.c — the public chart API: brief_chart_new / new_from_data /
 * free / preferred_width / height_for_width / measure / draw.
 *
 * Takes a loaded document (or C arrays) and an engine; gives charts that a
 * program can measure and paint into its own cairo context (or export as
 * a standalone PDF, SVG or PNG: chart_export.c).  Guarantees: a box of the
 * measured size is drawn without shrinking; every call holds the engine
 * (engine_begin) and sets its system-font fallback for this chart only.
 */
#define _POSIX_C_SOURCE 200809L
#include "chart/chart_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <pango/pangocairo.h>

#include "util/diag.h"
#include "text/engine.h"
#include "out/output.h"

#include "out/chart_private.h"

#define CHART_MAX_PT 14400.0   /* 5080 mm, as for export */

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

static const chart_spec *find_chart(const brief_doc *doc, const char *id)
{
    for (size_t i = 0; i < doc->nblocks; i++)
        if (doc->blocks[i].type == BLOCK_CHART && doc->blocks[i].chart &&
            doc->blocks[i].chart->id && strcmp(doc->blocks[i].chart->id, id) == 0)
            return doc->blocks[i].chart;
    return NULL;
}

static void report_unknown_id(const brief_doc *doc, const char *id, brief_diag *diag)
{
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
}

static brief_chart *chart_make(brief_engine *engine, const brief_doc *doc, const chart_spec *spec,
                               brief_diag *diag)
{
    brief_chart *c = calloc(1, sizeof *c);
    if (!c) {
        diag_oom(diag, NULL, "creating a chart");
        return NULL;
    }
    c->engine = engine;
    c->doc = doc;
    c->spec = spec;
    const doc_page *pg = &doc->page;
    c->avail_w = pg->width_pt - pg->margin_pt[1] - pg->margin_pt[3];
    /* the brief's text width (layout.c): whole characters when on the grid,
     * so the export is the chart the brief draws */
    double size = doc->style.font_size_pt;
    if (doc->style.grid && size > 0 && c->avail_w > size)
        c->avail_w = floor(c->avail_w / size + 1e-6) * size;
    if (!(c->avail_w > 72))
        c->avail_w = MM_TO_PT(170);
    /* Decided per chart and applied per call: the engine itself is not
     * switched to system fonts for the charts and briefs after this one. */
    c->needs_fallback = !chart_covered(engine, spec);
    return c;
}

brief_chart *brief_chart_new(brief_engine *engine, const brief_doc *doc, const char *id,
                             brief_diag *diag)
{
    if (!engine || !doc || !id) {
        diag_error(diag, BRIEF_E_USAGE, NULL, "brief_chart_new: engine, document and id are required");
        return NULL;
    }
    const chart_spec *spec = find_chart(doc, id);
    if (!spec) {
        report_unknown_id(doc, id, diag);
        return NULL;
    }
    return chart_make(engine, doc, spec, diag);
}

void brief_chart_free(brief_chart *chart)
{
    if (!chart)
        return;
    brief_doc_free(chart->owned_doc);
    free(chart);
}

/* ---- charts from C arrays ---- */

static const char *const KIND_NAMES[] = {"bar", "completion", "line", "pie"};
static const char *const SORT_NAMES[] = {"none", "ascending", "descending"};

/* Copies the caller's struct over zeros: an older, smaller struct leaves
 * the newer fields at their defaults. */
static brief_chart_data read_data(const brief_chart_data *data)
{
    brief_chart_data d;
    memset(&d, 0, sizeof d);
    size_t n = data->size && data->size < sizeof d ? data->size : sizeof d;
    memcpy(&d, data, n);
    return d;
}

static bool data_error(brief_diag *diag, const char *field, const char *fmt, const char *detail)
{
    diag_add(diag, BRIEF_ERROR, BRIEF_E_USAGE, NULL, 0, 0, field, fmt, detail);
    return false;
}

/* The checks the JSON validator cannot word in the caller's terms. */
static bool check_data(const brief_chart_data *d, brief_diag *diag)
{
    bool ok = true;
    char f[64];
    if ((unsigned)d->kind > BRIEF_CHART_PIE)
        ok = data_error(diag, "kind", "%s", "unknown chart kind (expected BRIEF_CHART_BAR, _COMPLETION, _LINE or _PIE)");
    if ((unsigned)d->orientation > BRIEF_HORIZONTAL)
        ok = data_error(diag, "orientation", "%s", "unknown orientation (expected BRIEF_VERTICAL or BRIEF_HORIZONTAL)");
    if ((unsigned)d->sort > BRIEF_SORT_DESCENDING)
        ok = data_error(diag, "sort", "%s", "unknown sort order (expected BRIEF_SORT_NONE, _ASCENDING or _DESCENDING)");
    if (d->face && strcmp(d->face, "sans") != 0 && strcmp(d->face, "serif") != 0)
        ok = data_error(diag, "face", "unknown face \"%s\" (expected \"sans\" or \"serif\")", d->face);
    if (!isfinite(d->width_pt) || d->width_pt < 0)
        ok = data_error(diag, "width_pt", "%s", "must be 0 (automatic) or a positive finite size in pt");
    if (!isfinite(d->height_pt) || d->height_pt < 0)
        ok = data_error(diag, "height_pt", "%s", "must be 0 (automatic) or a positive finite size in pt");
    if (d->ncategories && !d->categories)
        ok = data_error(diag, "categories", "%s", "is NULL but ncategories is not 0");
    for (size_t i = 0; d->categories && i < d->ncategories; i++) {
        snprintf(f, sizeof f, "categories[%zu]", i);
        if (!d->categories[i])
            ok = data_error(diag, f, "%s", "is NULL (expected a category name)");
    }
    if (d->nseries == 0 || !d->series)
        ok = data_error(diag, "series", "%s", "no series (expected nseries >= 1 and a series array)");
    if (d->kind == BRIEF_CHART_COMPLETION && d->nseries != 2)
        ok = data_error(diag, "nseries", "%s", "a completion chart takes 2 series: plan, then actual");
    if (d->kind == BRIEF_CHART_PIE && d->nseries != 1)
        ok = data_error(diag, "nseries", "%s", "a pie takes 1 series: the shares");
    size_t ncolors = 0;
    for (size_t k = 0; d->series && k < d->nseries; k++)
        ncolors += d->series[k].color != NULL;
    for (size_t k = 0; d->series && k < d->nseries; k++) {
        const brief_series *s = &d->series[k];
        snprintf(f, sizeof f, "series[%zu].color", k);
        if (ncolors && !s->color)
            ok = data_error(diag, f, "%s", "is NULL while another series gives a colour "
                                           "(give every series a colour, or none)");
        snprintf(f, sizeof f, "series[%zu].name", k);
        if (!s->name)
            ok = data_error(diag, f, "%s", "is NULL (expected the series' name)");
        snprintf(f, sizeof f, "series[%zu].values", k);
        if (!s->values && d->ncategories) {
            ok = data_error(diag, f, "%s", "is NULL (expected ncategories numbers)");
            continue;
        }
        for (size_t i = 0; i < d->ncategories; i++) {
            if (!isinf(s->values[i]))
                continue;
            snprintf(f, sizeof f, "series[%zu].values[%zu]", k, i);
            ok = data_error(diag, f, "%s", "is infinite (expected a finite number, or NAN for no value)");
        }
    }
    return ok;
}

static void add_opt_string(cJSON *o, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(o, key, value);
}

static cJSON *data_rows(const brief_chart_data *d)
{
    cJSON *rows = cJSON_CreateArray();
    for (size_t i = 0; rows && i < d->ncategories; i++) {
        cJSON *row = cJSON_CreateArray();
        cJSON_AddItemToArray(rows, row);
        cJSON_AddItemToArray(row, cJSON_CreateString(d->categories[i]));
        for (size_t k = 0; k < d->nseries; k++) {
            double v = d->series[k].values[i];
            cJSON_AddItemToArray(row, isnan(v) ? cJSON_CreateNull() : cJSON_CreateNumber(v));
        }
    }
    return rows;
}

/* A one-chart brief in cJSON's tree; the loader checks it like any brief
 * (one validator, one model), and data_path() rewords its paths. */
static cJSON *data_document(const brief_chart_data *d)
{
    const char *cat = d->category_name ? d->category_name : "类别";
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "brief", 1);
    cJSON *style = cJSON_AddObjectToObject(root, "style");
    cJSON_AddStringToObject(style, "heading_font", d->face ? d->face : "sans");
    cJSON *c = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "body"), c);
    cJSON_AddStringToObject(c, "type", "chart");
    cJSON_AddStringToObject(c, "id", d->id ? d->id : "chart");
    cJSON_AddStringToObject(c, "kind", KIND_NAMES[d->kind]);
    if (d->kind == BRIEF_CHART_BAR) {
        cJSON_AddStringToObject(c, "orientation", d->orientation ? "horizontal" : "vertical");
        if (d->stacked)
            cJSON_AddTrueToObject(c, "stacked");
    }
    cJSON *data = cJSON_AddObjectToObject(c, "data");
    cJSON *cols = cJSON_AddArrayToObject(data, "columns");
    cJSON_AddItemToArray(cols, cJSON_CreateString(cat));
    cJSON *values = d->kind != BRIEF_CHART_COMPLETION ? cJSON_AddArrayToObject(c, "values") : NULL;
    bool colored = false;
    for (size_t k = 0; k < d->nseries; k++) {
        cJSON_AddItemToArray(cols, cJSON_CreateString(d->series[k].name));
        if (values)
            cJSON_AddItemToArray(values, cJSON_CreateString(d->series[k].name));
        colored |= d->series[k].color != NULL;
    }
    cJSON_AddItemToObject(data, "rows", data_rows(d));
    if (d->kind == BRIEF_CHART_COMPLETION) {
        cJSON_AddStringToObject(c, "plan", d->series[0].name);
        cJSON_AddStringToObject(c, "actual", d->series[1].name);
    }
    cJSON_AddStringToObject(c, "category", cat);
    if (d->sort)
        cJSON_AddStringToObject(c, "sort", SORT_NAMES[d->sort]);
    if (colored && (d->kind == BRIEF_CHART_BAR || d->kind == BRIEF_CHART_LINE)) {
        cJSON *colors = cJSON_AddArrayToObject(c, "colors");
        for (size_t k = 0; k < d->nseries; k++)
            cJSON_AddItemToArray(colors, cJSON_CreateString(d->series[k].color));
    }
    add_opt_string(c, "title", d->title);
    add_opt_string(c, "subtitle", d->subtitle);
    add_opt_string(c, "note", d->note);
    add_opt_string(c, "unit", d->unit);
    if (d->width_pt > 0)
        cJSON_AddNumberToObject(c, "width", d->width_pt * 25.4 / 72);
    if (d->height_pt > 0)
        cJSON_AddNumberToObject(c, "height", d->height_pt * 25.4 / 72);
    return root;
}

/* A path into the generated brief, in the caller's field names:
 * body[0].data.rows[3][2] → series[1].values[3]. */
static void data_path(const char *in, char *out, size_t size)
{
    static const char *const prefix = "body[0]";
    size_t i = 0, k = 0;
    if (!in || strncmp(in, "style.heading_font", 18) == 0) {
        snprintf(out, size, "%s", in ? "face" : "");
        return;
    }
    if (strncmp(in, prefix, strlen(prefix)) != 0) {
        snprintf(out, size, "%s", in);
        return;
    }
    const char *p = in + strlen(prefix);
    if (*p == '.')
        p++;
    if (sscanf(p, "data.rows[%zu][%zu]", &i, &k) == 2)
        snprintf(out, size, k ? "series[%zu].values[%zu]" : "categories[%zu]", k ? k - 1 : i, i);
    else if (sscanf(p, "data.rows[%zu]", &i) == 1)
        snprintf(out, size, "categories[%zu]", i);
    else if (sscanf(p, "data.columns[%zu]", &k) == 1)
        snprintf(out, size, k ? "series[%zu].name" : "category_name", k - 1);
    else if (sscanf(p, "values[%zu]", &k) == 1)
        snprintf(out, size, "series[%zu].name", k);
    else if (sscanf(p, "colors[%zu]", &k) == 1)
        snprintf(out, size, "series[%zu].color", k);
    else if (strcmp(p, "plan") == 0 || strcmp(p, "actual") == 0)
        snprintf(out, size, "series[%d].name", strcmp(p, "actual") == 0);
    else if (strcmp(p, "category") == 0)
        snprintf(out, size, "category_name");
    else if (strcmp(p, "width") == 0 || strcmp(p, "height") == 0)
        snprintf(out, size, "%s_pt", p);
    else
        snprintf(out, size, "%s", p);
}

/* The loader's reports, re-addressed to the caller's fields (no file or
 * line: there is no text). */
static void copy_reports(const brief_diag *from, brief_diag *to)
{
    for (size_t i = 0; i < brief_diag_count(from); i++) {
        const brief_error *e = brief_diag_get(from, i);
        char path[128];
        data_path(e->path, path, sizeof path);
        diag_add(to, e->severity, e->code, NULL, 0, 0, path, "%s", e->message);
    }
}

brief_chart *brief_chart_new_from_data(brief_engine *engine, const brief_chart_data *data,
                                       brief_diag *diag)
{
    if (!engine || !data) {
        diag_error(diag, BRIEF_E_USAGE, NULL, "brief_chart_new_from_data: an engine and data are required");
        return NULL;
    }
    brief_chart_data d = read_data(data);
    if (!check_data(&d, diag))
        return NULL;
    cJSON *root = data_document(&d);
    char *text = root ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!text) {
        diag_oom(diag, NULL, "building the chart's data");
        return NULL;
    }
    brief_diag *own = brief_diag_new();
    brief_doc *doc = own ? brief_doc_load_buffer(text, strlen(text), "<data>", own) : NULL;
    cJSON_free(text);
    if (!own) {
        diag_oom(diag, NULL, "building the chart's data");
        return NULL;
    }
    copy_reports(own, diag);
    brief_diag_free(own);
    if (!doc)
        return NULL;
    brief_chart *c = doc->nblocks == 1 && doc->blocks[0].chart
                         ? chart_make(engine, doc, doc->blocks[0].chart, diag) : NULL;
    if (!c) {
        brief_doc_free(doc);
        return NULL;
    }
    c->owned_doc = doc;
    /* Later warnings (at drawing) carry no file name or JSON path: the
     * caller wrote neither. */
    doc->file[0] = '\0';
    doc->blocks[0].chart->json_path[0] = '\0';
    return c;
}

/* ---- measuring ---- */

static bool check_size(double v, double lo, const char *what, const char *fn, brief_diag *diag)
{
    if (isfinite(v) && v >= lo && v <= CHART_MAX_PT)
        return true;
    diag_error(diag, BRIEF_E_USAGE, NULL, "%s: %s %g pt is not a size (expected %g to %g pt)", fn,
               what, v, lo, CHART_MAX_PT);
    return false;
}

/* Layout under the engine's lock, with this chart's font choice. */
static chart_layout *build_locked(const brief_chart *c, const chart_spec *spec, double w, double h,
                                  bool fixed, const char *file, brief_diag *diag)
{
    engine_begin(c->engine);
    engine_use_fallback(c->engine, c->needs_fallback);
    chart_layout *cl = chart_layout_build(c->engine, spec, w, h, fixed, file, diag);
    engine_end(c->engine);
    return cl;
}

/* The height the chart takes at exactly width w: the block's height when
 * it is enough, else what its labels need; -1 when out of memory. */
static double needed_height(const brief_chart *c, double w)
{
    chart_spec at = *c->spec;     /* shallow: only width_pt differs */
    at.width_pt = w;
    double h = 0;
    chart_natural_size(&at, w, NULL, &h);
    chart_layout *cl = build_locked(c, &at, w, h, at.height_pt > 0, NULL, NULL);
    if (!cl)
        return -1;
    h = chart_layout_height(cl);
    chart_layout_free(cl);
    return h;
}

brief_status brief_chart_preferred_width(const brief_chart *chart, double avail_width_pt,
                                         double *width_pt, brief_diag *diag)
{
    if (!chart || !width_pt) {
        diag_error(diag, BRIEF_E_USAGE, NULL, "brief_chart_preferred_width: a chart and a result pointer are required");
        return BRIEF_E_USAGE;
    }
    if (!check_size(avail_width_pt, CHART_MIN_W_PT, "available width", "brief_chart_preferred_width", diag))
        return BRIEF_E_USAGE;
    double w = avail_width_pt;
    chart_natural_size(chart->spec, avail_width_pt, &w, NULL);
    *width_pt = fmax(CHART_MIN_W_PT, fmin(w, avail_width_pt));
    return BRIEF_OK;
}

brief_status brief_chart_height_for_width(const brief_chart *chart, double width_pt,
                                          double *height_pt, brief_diag *diag)
{
    if (!chart || !height_pt) {
        diag_error(diag, BRIEF_E_USAGE, NULL, "brief_chart_height_for_width: a chart and a result pointer are required");
        return BRIEF_E_USAGE;
    }
    if (!check_size(width_pt, CHART_MIN_W_PT, "width", "brief_chart_height_for_width", diag))
        return BRIEF_E_USAGE;
    double h = needed_height(chart, width_pt);
    if (h < 0) {
        diag_oom(diag, NULL, "measuring a chart");
        return BRIEF_E_OSERR;
    }
    *height_pt = h;
    return BRIEF_OK;
}

void brief_chart_measure(const brief_chart *chart, double avail_width_pt, double *width_pt,
                         double *height_pt)
{
    double w = 0, h = 0;
    if (chart) {
        double avail = isfinite(avail_width_pt) && avail_width_pt > 0 ? avail_width_pt
                                                                      : chart->avail_w;
        chart_natural_size(chart->spec, avail, &w, &h);
        h = needed_height(chart, w);
        if (h < 0)
            w = h = 0;
    }
    if (width_pt) *width_pt = w;
    if (height_pt) *height_pt = h;
}

/* ---- drawing ---- */

static double align_offset(brief_align a, double room)
{
    return a == BRIEF_ALIGN_START ? 0 : a == BRIEF_ALIGN_END ? room : room / 2;
}

static brief_draw_options read_draw_options(const brief_draw_options *options)
{
    brief_draw_options o;
    memset(&o, 0, sizeof o);
    if (options) {
        size_t n = options->size && options->size < sizeof o ? options->size : sizeof o;
        memcpy(&o, options, n);
    }
    return o;
}

brief_status brief_chart_draw_ex(const brief_chart *chart, cairo_t *cr, double width_pt,
                                 double height_pt, const brief_draw_options *options,
                                 brief_rect *used, brief_diag *diag)
{
    if (!chart || !cr) {
        diag_error(diag, BRIEF_E_USAGE, NULL, "brief_chart_draw: a chart and a cairo context are required");
        return BRIEF_E_USAGE;
    }
    if (!check_size(width_pt, 1, "box width", "brief_chart_draw", diag) ||
        !check_size(height_pt, 1, "box height", "brief_chart_draw", diag))
        return BRIEF_E_USAGE;
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        diag_error(diag, BRIEF_E_USAGE, NULL, "brief_chart_draw: the cairo context is in an error state: %s",
                   cairo_status_to_string(cairo_status(cr)));
        return BRIEF_E_USAGE;
    }
    brief_draw_options o = read_draw_options(options);
    double lay_h = height_pt;
    if (o.stretch == BRIEF_STRETCH_NATURAL) {
        double nat = needed_height(chart, fmax(width_pt, CHART_MIN_W_PT));
        if (nat < 0) {
            diag_oom(diag, NULL, "measuring a chart");
            return BRIEF_E_OSERR;
        }
        lay_h = fmin(nat, height_pt);
    }
    chart_layout *cl = build_locked(chart, chart->spec, width_pt, lay_h, true,
                                    doc_file(chart->doc), diag);
    if (!cl) {
        diag_oom(diag, doc_file(chart->doc), "laying out the chart");
        return BRIEF_E_OSERR;
    }
    double need = chart_layout_height(cl);
    double s = need > height_pt + 0.5 ? height_pt / need : 1;
    if (s < 1)
        /* The box is too short for every label: scale the whole chart
         * down rather than clip it or paint outside the box. */
        diag_add(diag, BRIEF_WARNING, BRIEF_OK, doc_file(chart->doc), 0, 0,
                 chart->spec->json_path,
                 "chart '%s' needs %.1f mm of height; scaled to %.0f %% to fit the %.1f mm box",
                 chart->spec->id, need * 25.4 / 72, s * 100, height_pt * 25.4 / 72);
    brief_rect r = {.width = width_pt * s, .height = fmin(need * s, height_pt)};
    r.x = align_offset(o.align_x, width_pt - r.width);
    r.y = align_offset(o.align_y, height_pt - r.height);
    engine_begin(chart->engine);
    engine_use_fallback(chart->engine, chart->needs_fallback);
    cairo_save(cr);
    cairo_translate(cr, r.x, r.y);
    cairo_scale(cr, s, s);
    chart_layout_paint(cl, cr);
    cairo_restore(cr);
    engine_end(chart->engine);
    chart_layout_free(cl);
    if (used)
        *used = r;
    return BRIEF_OK;
}

brief_status brief_chart_draw(const brief_chart *chart, cairo_t *cr, double width_pt,
                              double height_pt, brief_diag *diag)
{
    return brief_chart_draw_ex(chart, cr, width_pt, height_pt, NULL, NULL, diag);
}
