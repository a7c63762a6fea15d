/*
 * chart_layout.c — chart layout (stage 3b): the entry points, the build
 * state, and the opening both orientation drivers share.
 *
 * Takes a validated chart_spec and a box; gives a chart_layout (see
 * chart_internal.h) in which every text is a PangoLayout measured with the
 * engine's family — the same fonts that draw it — and every shape and
 * label has its final position.  Guarantees: every category label is drawn
 * whole (wrapped between words, then shrunk down to CHART_MIN_PT for width,
 * then rotated, and if it still cannot fit the chart turns horizontal, with
 * a warning); a given height is the box's height exactly (a chart that
 * needs more is drawn scaled into it, with one warning naming the height it
 * needs); no two texts overlap, no line crosses a value or reference label,
 * and every text lies inside the chart's box; bars start
 * at zero; null values are gaps marked "—" and a note, never zeros.  When
 * memory runs out the layout returns NULL and reports nothing: the caller
 * owns the diagnostics and reports it with diag_oom().
 *
 * Internally the plot is built in abstract coordinates: u along the value
 * axis (growing with the value) and a band position across it (the
 * category slot), so the same code places vertical and horizontal charts.
 * The steps live in the files chart_build.h lists.
 */
#include "chart/chart_build.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "text/engine.h"

/* ---- warnings ---- */

void warnf(build *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_string_append_vprintf(b->warn, fmt, ap);
    va_end(ap);
    g_string_append_c(b->warn, '\n');
}

void flush_warnings(build *b)
{
    char *s = b->warn->str;
    while (*s) {
        char *nl = strchr(s, '\n');
        if (nl)
            *nl = '\0';
        diag_add(b->diag, BRIEF_WARNING, BRIEF_OK, b->file, 0, 0, b->spec->json_path,
                 "chart '%s': %s", b->spec->id ? b->spec->id : "", s);
        if (!nl)
            break;
        s = nl + 1;
    }
    g_string_truncate(b->warn, 0);
}

/* ---- the opening both orientations share ---- */

/* Measures what surrounds the plot, whatever the orientation: title block
 * and notes, the legend and where it goes, the reference labels, and the
 * first ticks (at most 6 intervals); false when out of memory. */
bool attempt_open(build *b, attempt *at)
{
    memset(at, 0, sizeof *at);
    double W = b->W;
    frame_make(b, &at->fr);
    at->lp = legend_position(b);
    at->lg_right = at->lp == LEGEND_RIGHT;
    legend_make(b, &at->lg, at->lg_right ? W * 0.3 : W, at->lg_right);
    bool has_lg = at->lg.n > 0;
    at->lg_w = (at->lg_right && has_lg) ? at->lg.w + GAP_SECTION : 0;
    at->lg_top = (!at->lg_right && at->lp != LEGEND_BOTTOM && has_lg) ? at->lg.h + GAP_SECTION
                                                                       : 0;
    at->lg_bot = (at->lp == LEGEND_BOTTOM && has_lg) ? at->lg.h + GAP_SECTION : 0;
    at->top = at->fr.top_h + at->lg_top;
    at->bottom = at->fr.notes_h + at->lg_bot;
    return refs_make(b, &at->rf) && ticks_make(b, &at->tk, 6);
}

void attempt_free(build *b, attempt *at)
{
    frame_free(&at->fr);
    legend_free(&at->lg);
    ticks_free(&at->tk);
    cats_free(b, &at->cats);
    refs_free(&at->rf);
}

/* Records the plot box and what the labels became, then emits the frame
 * (title, notes) and the legend around it: the first emission of both
 * orientations. */
void emit_frame_and_legend(build *b, attempt *at, const plotbox *p, double H, bool rotated,
                           bool value_labels)
{
    double W = b->W;
    b->cl->height = H;
    b->cl->plot_x0 = p->x0;
    b->cl->plot_x1 = p->x1;
    b->cl->plot_y0 = p->y0;
    b->cl->plot_y1 = p->y1;
    b->cl->orientation = p->vertical ? ORIENT_VERTICAL : ORIENT_HORIZONTAL;
    b->cl->label_pt = at->cats.size;
    b->cl->labels_rotated = rotated;
    b->cl->value_labels = value_labels;

    frame_emit(b, &at->fr, H);
    if (!at->lg.n)
        return;
    if (at->lp == LEGEND_RIGHT)
        legend_emit(b, &at->lg, W - at->lg.w, p->y0);
    else if (at->lp == LEGEND_BOTTOM)
        legend_emit(b, &at->lg, 0, H - at->fr.notes_h - at->lg.h);
    else
        legend_emit(b, &at->lg, b->th->center_title ? (W - at->lg.w) / 2 : 0, at->fr.top_h);
}

/* ---- the build ---- */

static void build_free(build *b)
{
    clear_marks(b);
    free(b->marks);
    free(b->labs);
    free(b->cat_tb);
    free_data(b);
    if (b->warn)
        g_string_free(b->warn, TRUE);
    if (b->nulls)
        g_string_free(b->nulls, TRUE);
}

/* Allocates, with their bounds, every array the layout fills: marks and
 * labels (at most k + 3 and k + 2 a row), category boxes, and the display
 * list (frame, legend, references, categories, values, ticks, axis title;
 * gridlines, marks, baseline, reference lines, swatches). */
static bool build_reserve(build *b)
{
    size_t n = b->n, k = b->k;
    b->capmarks = n * (k + 3) + 1;
    b->caplabs = n * (k + 2) + 1;
    b->marks = calloc(b->capmarks, sizeof *b->marks);
    b->labs = calloc(b->caplabs + 1, sizeof *b->labs);   /* + a spare, see add_lab */
    b->cat_tb = calloc(n + 1, sizeof *b->cat_tb);
    if (!b->marks || !b->labs || !b->cat_tb)
        return false;
    size_t ntexts = 5 + MAX_LEGEND + MAX_REFERENCES + n + b->caplabs + TICKS_MAX + 2;
    size_t nshapes = TICKS_MAX + b->capmarks + 1 + MAX_REFERENCES + MAX_LEGEND;
    kinds_reserve(b, &ntexts, &nshapes);
    return chart_list_reserve(b->cl, ntexts, nshapes);
}

/* The build state for a box of width x height pt; false when out of
 * memory (build_free releases what was made). */
static bool build_init(build *b, chart_layout *cl, brief_engine *engine, const chart_spec *spec,
                       double width_pt, double height_pt, bool fixed_height)
{
    memset(b, 0, sizeof *b);
    b->cl = cl;
    b->spec = spec;
    b->th = chart_theme_of(spec);
    b->family = engine_family(engine, font_face_name(spec->font));
    /* Everything is laid out inside an inset of CHART_INSET, so no label
     * touches the edge of an exported image, and no glyph sits on the
     * edge of an exported page (text extractors drop characters whose
     * origin falls on the page boundary). */
    b->W = width_pt - 2 * CHART_INSET;
    b->H = (height_pt > 0 ? height_pt : 200) - 2 * CHART_INSET;
    b->fixed_h = fixed_height && height_pt > 0;
    b->warn = g_string_new(NULL);
    b->nulls = g_string_new(NULL);
    if (!resolve_data(b))
        return false;
    if (!resolve_numbers(b))
        return false;
    return build_reserve(b);
}

/* Lays out rows (vertical when asked and it fits, else horizontal) or the
 * empty chart. */
static bool build_run(build *b)
{
    /* completion flags need the marks once before the legend is made */
    if (b->completion) {
        if (!make_marks(b, 20, false))
            return false;
        clear_marks(b);
    }
    if (b->n == 0) {
        layout_empty(b);
        return true;
    }
    if (chart_is_line_or_pie(b->spec))
        return layout_kinds(b) == CHART_FIT_OK;
    chart_fit fit = CHART_FIT_NO;
    if (b->spec->orientation == ORIENT_VERTICAL && !b->horizontal_only) {
        fit = layout_vertical(b);
        if (fit != CHART_FIT_OK) {
            reset_layout(b->cl);
            clear_marks(b);
        }
    }
    if (fit == CHART_FIT_NO)
        fit = layout_horizontal(b);
    return fit == CHART_FIT_OK;
}

/* One layout at width_pt x height_pt into *cl (the build state kept in b
 * for the caller's warnings); false when out of memory, with b freed and
 * *cl NULL. */
static bool build_once(build *b, chart_layout **out, brief_engine *engine,
                       const chart_spec *spec, double width_pt, double height_pt,
                       bool fixed_height, const char *file, brief_diag *diag, bool pdf,
                       bool horizontal_only)
{
    *out = NULL;
    chart_layout *cl = calloc(1, sizeof *cl);
    if (!cl) {
        memset(b, 0, sizeof *b);
        return false;
    }
    cl->ctx = pdf ? engine_pdf_context(engine) : engine_context(engine);
    cl->width = width_pt;
    cl->scale = 1;
    bool ok = build_init(b, cl, engine, spec, width_pt, height_pt, fixed_height);
    b->file = file;
    b->diag = diag;
    b->horizontal_only = horizontal_only;
    if (ok)
        ok = build_run(b) && !b->oom;
    if (!ok) {
        build_free(b);
        chart_layout_free(cl);
        return false;
    }
    *out = cl;
    return true;
}

/* The scale that brings the layout's content (inside the inset) into
 * width_pt x height_pt. */
static double scale_into(const build *b, double width_pt, double height_pt)
{
    double sh = (height_pt - 2 * CHART_INSET) / b->cl->height;
    double sw = (width_pt - 2 * CHART_INSET) / b->W;
    return fmin(1, fmin(sh, sw));
}

/* A given height is the height of the chart's box, exactly.  When the
 * drawing needs more (every label whole, at its size, and a plot of at
 * least 60 pt), the chart is laid out again in a larger box of the same
 * proportions and drawn scaled down into the given one, so it still fills
 * the width; one warning gives the smallest height that holds it at full
 * size.  (Labels are never shrunk for height, nor the box grown.) */
static chart_layout *build_layout(brief_engine *engine, const chart_spec *spec, double width_pt,
                                  double height_pt, bool fixed_height, const char *file,
                                  brief_diag *diag, bool pdf)
{
    if (width_pt < 72)
        width_pt = 72;        /* one inch: below that nothing is legible */
    build b;
    chart_layout *cl;
    if (!build_once(&b, &cl, engine, spec, width_pt, height_pt, fixed_height, file, diag, pdf,
                    false))
        return NULL;
    /* the larger box keeps what the given one chose (horizontal bars stay) */
    bool horizontal = cl->orientation == ORIENT_HORIZONTAL;
    double need = cl->height + 2 * CHART_INSET, s = 1;
    for (int i = 0; i < 3 && b.fixed_h && cl->height > b.H + 0.05; i++) {
        s *= fmax(0.05, b.H / cl->height);
        build_free(&b);
        chart_layout_free(cl);
        if (!build_once(&b, &cl, engine, spec, width_pt / s, height_pt / s, fixed_height, file,
                        diag, pdf, horizontal))
            return NULL;
    }
    double f = b.fixed_h ? scale_into(&b, width_pt, height_pt) : 1;
    if (b.fixed_h && f < 0.999) {
        warnf(&b, "a height of %.1f mm cannot hold this chart at full size (%zu categor%s): "
              "drawn at %.0f %%; give at least %.1f mm", height_pt * 25.4 / 72, b.n,
              b.n == 1 ? "y" : "ies", f * 100, ceil(need * 25.4 / 72 * 10) / 10);
        chart_list_scale(cl, f);
    }
    if (b.fixed_h)
        cl->height = height_pt - 2 * CHART_INSET;
    cl->width = width_pt;
    chart_list_offset(cl, CHART_INSET);
    cl->height += 2 * CHART_INSET;
    mark_halos(cl);
    if (b.nnull)
        warnf(&b, "%zu null value%s shown as %s (—), not as zero: %s", b.nnull,
              b.nnull > 1 ? "s" : "", b.nnull > 1 ? "gaps" : "a gap", b.nulls->str);
    flush_warnings(&b);
    build_free(&b);
    return cl;
}

chart_layout *chart_layout_build(brief_engine *engine, const chart_spec *spec, double width_pt,
                                 double height_pt, bool fixed_height, const char *file,
                                 brief_diag *diag)
{
    return build_layout(engine, spec, width_pt, height_pt, fixed_height, file, diag, false);
}

chart_layout *chart_layout_new(brief_engine *engine, const chart_spec *spec, double width_pt,
                               double height_pt, const char *file, brief_diag *diag)
{
    return build_layout(engine, spec, width_pt, height_pt, spec->height_pt > 0, file, diag, true);
}

void chart_natural_size(const chart_spec *spec, double avail_width_pt, double *width_pt,
                        double *height_pt)
{
    double W = spec->width_pt > 0 ? spec->width_pt : avail_width_pt;
    if (spec->width_pt <= 0 && spec->kind == CHART_BAR && spec->orientation == ORIENT_VERTICAL) {
        /* A few vertical bars spread over the whole measure look empty:
         * give each bar slot about 1 cm, never less than 60 % of it. */
        size_t slots = (spec->data ? spec->data->nrows : 1) * (spec->nvalues ? spec->nvalues : 1);
        double want = fmax(0.6 * avail_width_pt, 90 + 30.0 * (double)slots);
        W = fmin(W, want);
    }
    if (W < 72)
        W = 72;
    double H = spec->height_pt;
    if (H <= 0) {
        size_t n = spec->data ? spec->data->nrows : 0;
        size_t k = spec->kind == CHART_COMPLETION ? 1 : spec->nvalues;
        bool grouped = spec->kind == CHART_BAR && spec->stacked == STACK_NONE && k > 1;
        double top = (spec->title && *spec->title ? 20 : 0) +
                     (spec->subtitle && *spec->subtitle ? 13 : 0) + (grouped ? 16 : 0) +
                     (spec->kind == CHART_COMPLETION ? 16 : 0);
        double note = spec->note && *spec->note ? 10 + 10 * (strlen(spec->note) * 2.3 / W) : 0;
        if (spec->kind == CHART_COMPLETION || spec->orientation == ORIENT_HORIZONTAL) {
            double row = spec->kind == CHART_COMPLETION ? 26 : grouped ? fmax(22, k * 11.0 + 8) : 20;
            H = top + 12 + n * row + 26 + note;
        } else {
            H = top + 12 + fmin(fmax(W * 0.34, 110), 180) + 30 + note;
        }
    }
    if (width_pt)
        *width_pt = W;
    if (height_pt)
        *height_pt = H;
}
