/*
 * chart_line.c — lines over categories ("kind": "line"), and bars with
 * lines on a second value axis at the right (a bar chart with "lines").
 *
 * Takes the build state (rows in display order, chart_data.c); gives the
 * whole display list: title block, legend (bars as squares, lines as a
 * stroke with its marker), axis titles, ticks at the left (and at the
 * right for lines over bars), gridlines, bars, reference lines, each
 * series as segments with markers, category labels and value labels
 * (placed by chart_line_labels.c).
 *
 * Guarantees: a null is a gap in its line (no segment to or from it, no
 * marker) and counted for the chart's note; a line chart's axis starts at
 * zero unless every value is far from it (more than half the largest
 * magnitude away), and then a break mark on the axis and a note say so;
 * the two axes of bars with lines have the same number of intervals below
 * and above zero, so their zero lines and gridlines coincide; every value
 * label lies inside the plot, apart from every other label, marker, bar
 * and reference label and not crossed by a line — labels that cannot all
 * be placed fall back to each line's last point ("labels": "auto"), and a
 * label that finds no place is left out with a warning, never drawn over
 * another.
 */
#include "chart/chart_line.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- data ---- */

static bool is_pct(const char *u)
{
    return u && (strcmp(u, "%") == 0 || strcmp(u, "％") == 0);
}

/* The unit in a column name's last brackets: "增长(%)", "增速（%）" → "%". */
static void unit_of_name(const char *name, char *out, size_t size)
{
    out[0] = '\0';
    const char *open = NULL, *p = name;
    const char *close = NULL;
    while ((p = strpbrk(p, "(（")) != NULL) {
        open = p;
        p += (*p == '(') ? 1 : 3;
    }
    if (!open)
        return;
    const char *in = open + ((*open == '(') ? 1 : 3);
    close = strstr(in, ")");
    const char *close2 = strstr(in, "）");
    if (!close || (close2 && close2 < close))
        close = close2;
    if (!close || close == in)
        return;
    snprintf(out, size, "%.*s", (int)(close - in), in);
}

/* Lines over bars read their columns here (in the display order of the
 * rows); a line chart's lines are the build's value columns. */
static bool line_data(build *b, lplan *p)
{
    const chart_spec *s = b->spec;
    p->n = b->n;
    if (!p->combo) {
        p->nb = 0;
        p->nl = b->k;
        p->lval = b->val;
        p->lnul = b->nul;
        return true;
    }
    p->nb = b->k;
    p->nl = s->nlines;
    p->own_val = calloc(p->n * p->nl + 1, sizeof *p->own_val);
    p->own_nul = calloc(p->n * p->nl + 1, sizeof *p->own_nul);
    if (!p->own_val || !p->own_nul)
        return false;
    for (size_t i = 0; i < p->n; i++)
        for (size_t j = 0; j < p->nl; j++) {
            const cell *c = dataset_cell(s->data, (size_t)b->src[i], s->line_cols[j]);
            bool nul = c->kind != CELL_NUMBER || !isfinite(c->number);
            p->own_nul[i * p->nl + j] = nul;
            p->own_val[i * p->nl + j] = nul ? 0 : c->number;
            if (nul) {
                b->nnull++;
                if (b->nnull <= 6)
                    g_string_append_printf(b->nulls, "%s'%s'/'%s'", b->nulls->len ? ", " : "",
                                           b->cat[i], s->data->columns[s->line_cols[j]]);
                else if (b->nnull == 7)
                    g_string_append(b->nulls, ", …");
            }
        }
    p->lval = p->own_val;
    p->lnul = p->own_nul;
    return true;
}

/* ---- axes ---- */

static void axis_free(axis_k *a)
{
    for (int i = 0; i < TICKS_MAX; i++)
        tbox_clear(&a->tb[i]);
}

/* Measures the tick labels of a, with the magnitude of the Chinese style
 * when chinese (its unit then carries 万/亿). */
static void axis_labels(build *b, axis_k *a, const char *unit, bool chinese)
{
    axis_free(a);
    a->maxw = a->h = 0;
    double maxabs = fmax(fabs(a->t.lo), fabs(a->t.hi));
    a->divisor = 1;
    if (chinese && !is_pct(unit))
        a->divisor = numfmt_axis_magnitude(maxabs, unit, a->unit, sizeof a->unit);
    else
        snprintf(a->unit, sizeof a->unit, "%s", unit);
    tick_labels(b, &a->t, a->divisor, a->tb, &a->maxw, &a->h);
}

/* Intervals of t below and above zero (t holds zero). */
static void zero_split(const tick_set *t, int *below, int *above)
{
    *below = (int)(-t->first);
    *above = t->count - 1 - *below;
}

/* Extends t to `below` intervals under zero and `above` over it. */
static void zero_extend(tick_set *t, int below, int above)
{
    t->first = -below;
    t->count = below + above + 1;
    t->lo = tick_value(t, 0);
    t->hi = tick_value(t, t->count - 1);
}

/* The value axes: a line chart's from the lines and references (zero left
 * out when every value is far from it); bars with lines: the bars' (and
 * references') at the left, the lines' at the right, both from zero with
 * as many intervals each side of it. */
static void choose_axes(build *b, lplan *p, int max_int)
{
    const chart_spec *s = b->spec;
    double llo = INFINITY, lhi = -INFINITY;
    for (size_t i = 0; i < p->n; i++)
        for (size_t j = 0; j < p->nl; j++)
            if (!LN(p, i, j)) {
                llo = fmin(llo, LV(p, i, j));
                lhi = fmax(lhi, LV(p, i, j));
            }
    if (!p->combo) {
        for (size_t i = 0; i < s->nrefs; i++) {
            llo = fmin(llo, s->refs[i].value);
            lhi = fmax(lhi, s->refs[i].value);
        }
        if (!isfinite(llo))
            llo = lhi = 0;
        bool far = (llo > 0 && llo > lhi / 2) || (lhi < 0 && lhi < llo / 2);
        p->L.from_zero = !far;
        chart_range_ticks(llo, lhi, max_int, !far, &p->L.t);
        return;
    }
    if (!isfinite(llo))
        llo = lhi = 0;
    p->L.from_zero = p->R.from_zero = true;
    nice_ticks(b->dmin, b->dmax, max_int, &p->L.t);
    nice_ticks(llo, lhi, max_int, &p->R.t);
    int lb, la, rb, ra;
    zero_split(&p->L.t, &lb, &la);
    zero_split(&p->R.t, &rb, &ra);
    int below = lb > rb ? lb : rb, above = la > ra ? la : ra;
    zero_extend(&p->L.t, below, above);
    zero_extend(&p->R.t, below, above);
}

/* ---- axis titles ---- */

/* "名称（单位）", the name alone when it already holds the unit, or
 * "单位：…" for several series. */
static char *axis_title_text(const char *name, const char *unit)
{
    if (unit && *unit && name && *name && !strstr(name, unit))
        return chart_strdup_printf("%s（%s）", name, unit);
    if (name && *name)
        return chart_strdup_printf("%s", name);
    if (unit && *unit)
        return chart_strdup_printf("单位：%s", unit);
    return chart_strdup_printf("%s", "");
}

static bool axis_titles(build *b, lplan *p)
{
    const chart_spec *s = b->spec;
    tbox_clear(&p->title_l);
    tbox_clear(&p->title_r);
    const char *lname = NULL;
    if (p->combo ? p->nb == 1 : p->nl == 1)
        lname = b->sname[0];
    char *tl = axis_title_text(lname, p->L.unit);
    char *tr = NULL;
    if (p->combo)
        tr = axis_title_text(p->nl == 1 ? s->data->columns[s->line_cols[0]] : NULL, p->R.unit);
    if (!tl || (p->combo && !tr)) {
        free(tl);
        free(tr);
        return false;
    }
    double half = p->combo ? b->W / 2 - 4 : b->W;
    if (*tl)
        text_wrap(b, &p->title_l, tl, CHART_SMALL_PT, false, half, PANGO_ALIGN_LEFT, false, true);
    if (tr && *tr)
        text_wrap(b, &p->title_r, tr, CHART_SMALL_PT, false, half, PANGO_ALIGN_RIGHT, false, true);
    free(tl);
    free(tr);
    p->title_h = fmax(p->title_l.pl ? p->title_l.h : 0, p->title_r.pl ? p->title_r.h : 0);
    return true;
}

/* ---- legend ---- */

/* Every series, bars first; a line chart of one series has none. */
static void make_legend(build *b, lplan *p, double maxw)
{
    const chart_spec *s = b->spec;
    size_t total = p->nb + (p->combo ? p->nl : 0);
    size_t k = b->k;
    const char **names = b->sname;
    chart_rgb *cols = b->scol;
    const char *all_names[MAX_LEGEND];
    chart_rgb all_cols[MAX_LEGEND];
    if (p->combo) {
        chart_rgb pal[MAX_LEGEND];
        chart_series_colors(s, b->th, total < MAX_LEGEND ? total : MAX_LEGEND, false, pal);
        for (size_t j = 0; j < total && j < MAX_LEGEND; j++) {
            bool line = j >= p->nb;
            all_names[j] = line ? s->data->columns[s->line_cols[j - p->nb]] : b->sname[j];
            all_cols[j] = line ? pal[j] : b->scol[j];
            p->is_line[j] = line;
        }
        b->k = total;
        b->sname = all_names;
        b->scol = all_cols;
    } else {
        for (size_t j = 0; j < MAX_LEGEND; j++)
            p->is_line[j] = true;
    }
    legend_make(b, &p->lg, maxw, false);
    if (p->lg.n && s->legend == LEGEND_RIGHT)
        warnf(b, "legend drawn above the plot: a chart of lines keeps its width for the points "
              "(and the right axis)");
    b->k = k;
    b->sname = names;
    b->scol = cols;
}

static chart_rgb line_color(const build *b, const lplan *p, size_t j)
{
    return p->combo ? p->lg.n > p->nb + j ? p->lg.color[p->nb + j]
                                          : b->th->palette[(p->nb + j) % 8]
                    : b->scol[j];
}

/* ---- category labels ---- */

/* Plot bottom to the category labels: clear of the lowest tick label,
 * which is centred on the axis. */
static double cat_gap(const lplan *p)
{
    return fmax(GAP_AXIS, p->L.h / 2 + 1);
}

/* Category labels under the points: on one row, wrapped to two lines and
 * shrunk to 7 pt; then on two or three staggered rows (each label has two
 * or three slots' width, as monthly figures print "1月 3月 5月 …" over
 * "2月 4月 …"); then rotated. */
static bool category_labels(build *b, lplan *p)
{
    static const double sizes[] = {CHART_LABEL_PT, CHART_SMALL_PT};
    p->rotated = false;
    for (int st = 1; st <= 4; st++) {
        double aw = st * p->slot - 3;
        p->stagger = st;
        for (int si = 0; si < 2; si++)
            if (aw > 4 && cats_wrap(b, &p->cats, sizes[si], aw, PANGO_ALIGN_CENTER, 2, false)) {
                p->row_h = p->cats.maxh + 1;
                p->cats.maxh = p->row_h * st - 1;
                return true;
            }
    }
    p->stagger = 1;
    double aw = p->slot - 2;
    double lh = line_height(b, CHART_SMALL_PT);
    int max_lines = (int)floor((aw + 0.01) / lh);
    if (max_lines < 1)
        max_lines = 1;
    bool ok = cats_wrap(b, &p->cats, CHART_SMALL_PT, fmax(60, b->W * 0.25), PANGO_ALIGN_RIGHT,
                        max_lines, false);
    p->rotated = true;
    double mw = p->cats.maxw;
    p->cats.maxw = p->cats.maxh;
    p->cats.maxh = mw;
    p->cats.rotated = true;
    if (!ok || lh > aw + 0.01)
        warnf(b, "category labels of %zu points need more than %.0f mm: drawn rotated at %.0f pt "
              "and may touch", p->n, b->W * 25.4 / 72, CHART_SMALL_PT);
    return true;
}

/* ---- the plan ---- */

static void plan_free(build *b, lplan *p)
{
    frame_free(&p->fr);
    legend_free(&p->lg);
    axis_free(&p->L);
    axis_free(&p->R);
    cats_free(b, &p->cats);
    tbox_clear(&p->title_l);
    tbox_clear(&p->title_r);
    for (size_t i = 0; p->vtb && i < p->n * nseries(p); i++)
        tbox_clear(&p->vtb[i]);
    for (size_t i = 0; i < MAX_REFERENCES; i++)
        tbox_clear(&p->ref_tb[i]);
    free(p->vtb);
    free(p->vbox);
    free(p->vset);
    free(p->vinside);
    free(p->own_val);
    free(p->own_nul);
}

/* Plot box, axes and category labels for at most max_int intervals. */
static bool plan_plot(build *b, lplan *p, int max_int)
{
    const chart_spec *s = b->spec;
    choose_axes(b, p, max_int);
    const char *lunit = s->unit ? s->unit : "";
    char runit[160] = "";
    if (p->combo) {
        if (s->line_unit)
            snprintf(runit, sizeof runit, "%s", s->line_unit);
        else
            unit_of_name(s->data->columns[s->line_cols[0]], runit, sizeof runit);
    }
    axis_labels(b, &p->L, lunit, b->vf.style == NUMBER_CHINESE);
    if (p->combo)
        axis_labels(b, &p->R, runit, false);
    if (!axis_titles(b, p))
        return false;
    double lg_top = p->lg.n ? p->lg.h + GAP_SECTION : 0;
    if (s->legend == LEGEND_BOTTOM)
        lg_top = 0;
    p->y0 = p->fr.top_h + lg_top + (p->title_h > 0 ? p->title_h + 2 : 0) + p->L.h / 2;
    p->x0 = p->L.maxw + GAP_AXIS;
    p->x1 = b->W - (p->combo ? p->R.maxw + GAP_AXIS : 2);
    double slot = (p->x1 - p->x0) / (double)(p->n ? p->n : 1);
    /* the labels depend on the slot only: fewer ticks often keep it */
    if (slot != p->slot || !p->cats_done) {
        p->slot = slot;
        if (!category_labels(b, p))
            return false;
        p->cats_done = true;
    }
    double bottom = p->fr.notes_h + (s->legend == LEGEND_BOTTOM && p->lg.n ? p->lg.h + GAP_SECTION
                                                                           : 0);
    double band = p->cats.maxh + cat_gap(p);
    double pref = fmin(fmax(b->W * 0.34, 110), 180);
    if (b->fixed_h && b->H - bottom - band - p->y0 >= 60) {
        p->y1 = b->H - bottom - band;
        p->H = b->H;
    } else {
        if (b->fixed_h)
            warnf(b, "chart grown to keep the plot readable");
        p->y1 = p->y0 + (b->fixed_h ? 60 : pref);
        p->H = p->y1 + band + bottom;
    }
    p->padB = s->labels == LABELS_NONE && !p->combo ? MARKER_R + 1
                                                    : line_height(b, CHART_SMALL_PT) + MARKER_R + 2;
    return true;
}

/* True when neighbouring ticks crowd their labels. */
static bool ticks_crowd(const lplan *p)
{
    double pitch = (p->y1 - p->y0 - p->padB) / (double)(p->L.t.count - 1);
    return pitch < p->L.h + 3;
}

/* ---- emission ---- */

/* Where a gridline at y ends on the right: short of any reference label
 * it would run through (place_refs puts one over a gridline only when
 * both sides of its line are crossed). */
static double grid_end(const build *b, const lplan *p, double y)
{
    double x1 = p->x1;
    for (size_t i = 0; i < b->spec->nrefs && i < MAX_REFERENCES; i++) {
        const kbox *q = &p->ref_box[i];
        if (q->x1 > q->x0 && y > q->y0 - 0.3 && y < q->y1 + 0.3)
            x1 = fmin(x1, q->x0 - GAP_TEXT);
    }
    return fmax(p->x0, x1);
}

static void emit_axes(build *b, lplan *p)
{
    for (int i = 0; i < p->L.t.count; i++) {
        double y = Y(p, &p->L, tick_value(&p->L.t, i));
        bool zero = tick_value(&p->L.t, i) == 0 || (i == 0 && !p->L.from_zero);
        double x1 = zero ? p->x1 : grid_end(b, p, y);
        chart_shape *g = add_shape(b, CHART_SHAPE_LINE, zero ? CHART_ROLE_BASELINE : CHART_ROLE_GRID,
                                   zero ? CHART_LAYER_AXIS : CHART_LAYER_GRID, p->x0, y, x1, y,
                                   zero ? b->th->baseline : b->th->grid);
        g->width = zero ? 0.6 : CHART_HAIRLINE;
        tbox *t = &p->L.tb[i];
        add_text(b, CHART_TEXT_TICK, i, t, p->x0 - GAP_AXIS - t->w, y - t->h / 2, false,
                 b->th->muted);
        if (p->combo) {
            double yr = Y(p, &p->R, tick_value(&p->R.t, i));
            tbox *tr = &p->R.tb[i];
            add_text(b, CHART_TEXT_TICK, TICKS_MAX + i, tr, p->x1 + GAP_AXIS, yr - tr->h / 2,
                     false, b->th->muted);
        }
    }
    if (!p->L.from_zero) {
        /* the break mark: two short slanted strokes across the foot of the
         * axis, the sign that the scale does not start at zero */
        for (int k = 0; k < 2; k++) {
            double x = p->x0 + 3 + k * 2.5;
            chart_shape *m = add_shape(b, CHART_SHAPE_LINE, CHART_ROLE_BREAK, CHART_LAYER_MARK,
                                       x - 1.5, p->y1 + 2.5, x + 1.5, p->y1 - 2.5,
                                       b->th->baseline);
            m->width = 0.6;
        }
    }
    if (p->title_l.pl)
        add_text(b, CHART_TEXT_AXIS_TITLE, -1, &p->title_l, 0, p->y0 - p->L.h / 2 - 2 - p->title_l.h,
                 false, b->th->muted);
    if (p->title_r.pl)
        add_text(b, CHART_TEXT_AXIS_TITLE, -1, &p->title_r, b->W - p->title_r.w,
                 p->y0 - p->L.h / 2 - 2 - p->title_r.h, false, b->th->muted);
}

static void emit_bars(build *b, lplan *p)
{
    double bw = fmin(p->slot * 0.6, MAX_BAR_V) / (double)(p->nb ? p->nb : 1);
    for (size_t r = 0; r < p->n; r++)
        for (size_t j = 0; j < p->nb; j++) {
            if (N(b, r, j))
                continue;
            double bx = XC(p, r) - bw * p->nb / 2 + bw * j;
            double ya = Y(p, &p->L, V(b, r, j)), yz = Y(p, &p->L, 0);
            if (fabs(ya - yz) < 0.5 && V(b, r, j) != 0)
                ya = yz + (V(b, r, j) > 0 ? -0.5 : 0.5);
            chart_shape *s = add_shape(b, CHART_SHAPE_RECT, CHART_ROLE_BAR, CHART_LAYER_BAR, bx,
                                       ya, bx + bw - (p->nb > 1 ? 0.6 : 0), yz, b->scol[j]);
            s->index = b->src[r];
        }
}

static void emit_lines(build *b, lplan *p)
{
    const axis_k *a = p->combo ? &p->R : &p->L;
    for (size_t j = 0; j < p->nl; j++) {
        chart_rgb c = line_color(b, p, j);
        for (size_t r = 0; r + 1 < p->n; r++) {
            if (LN(p, r, j) || LN(p, r + 1, j))
                continue;
            chart_shape *s = add_shape(b, CHART_SHAPE_LINE, CHART_ROLE_SERIES, CHART_LAYER_MARK,
                                       XC(p, r), Y(p, a, LV(p, r, j)), XC(p, r + 1),
                                       Y(p, a, LV(p, r + 1, j)), c);
            s->width = LINE_W;
            s->round = true;
            s->index = b->src[r];
        }
    }
    for (size_t j = 0; j < p->nl; j++) {
        chart_rgb c = line_color(b, p, j);
        for (size_t r = 0; r < p->n; r++) {
            if (LN(p, r, j))
                continue;
            double x = XC(p, r), y = Y(p, a, LV(p, r, j));
            chart_shape *m = add_shape(b, CHART_SHAPE_CIRCLE, CHART_ROLE_MARKER, CHART_LAYER_MARK,
                                       x, y, x, y, c);
            m->r1 = MARKER_R;
            m->width = 0.6;
            m->index = b->src[r];
        }
    }
}

static void emit_refs(build *b, lplan *p)
{
    const chart_spec *s = b->spec;
    for (size_t i = 0; i < s->nrefs && i < MAX_REFERENCES; i++) {
        double y = Y(p, &p->L, s->refs[i].value);
        chart_shape *l = add_shape(b, CHART_SHAPE_LINE, CHART_ROLE_REFERENCE, CHART_LAYER_MARK,
                                   p->x0, y, p->x1, y, b->th->ref);
        l->width = 0.6;
        l->dash = 3;
        if (p->ref_tb[i].pl)
            add_text(b, CHART_TEXT_REFERENCE, (int)i, &p->ref_tb[i], p->ref_box[i].x0,
                     p->ref_box[i].y0, false, b->th->ref);
    }
}

/* A series colour dark enough for 7 pt text on white. */
static chart_rgb text_tone(chart_rgb c)
{
    double k = chart_luminance(c) > 0.45 ? 0.6 : 1.0;
    return (chart_rgb){c.r * k, c.g * k, c.b * k};
}

static void emit_labels(build *b, lplan *p)
{
    size_t ns = nseries(p);
    for (size_t r = 0; r < p->n; r++)
        for (size_t j = 0; j < ns; j++) {
            size_t i = r * ns + j;
            if (!p->vset[i] || !p->vtb[i].pl)
                continue;
            bool line = j >= p->nb;
            chart_rgb c = line ? text_tone(line_color(b, p, j - p->nb)) : b->th->text;
            if (p->vinside[i])
                c = chart_luminance(b->scol[j]) < 0.5 ? (chart_rgb){1, 1, 1} : b->th->text;
            /* a line's label that has to sit on a bar gets a white box: a
             * halo in the line's colour over the bar's reads blotchy */
            bool boxed = line && over_a_bar(b, p, &p->vbox[i]);
            bool halo = !line && !p->vinside[i] && crossed_by_lines(p, &p->vbox[i]);
            chart_text *t = add_text(b, CHART_TEXT_VALUE, b->src[r], &p->vtb[i], p->vbox[i].x0,
                                     p->vbox[i].y0, false, c);
            t->series = (int)j;
            t->halo = halo;
            t->boxed = boxed;
        }
    for (size_t r = 0; r < p->n; r++) {
        tbox *tb = &p->cats.tb[r];
        double bw = p->rotated ? tb->h : tb->w;
        double y = p->y1 + cat_gap(p) + (p->stagger > 1 ? (double)(r % (size_t)p->stagger) * p->row_h : 0);
        if (p->stagger > 1 && r % (size_t)p->stagger) {
            /* a tick from the axis down to a label on a lower row */
            chart_shape *t = add_shape(b, CHART_SHAPE_LINE, CHART_ROLE_GRID, CHART_LAYER_AXIS,
                                       XC(p, r), p->y1 + 1, XC(p, r), y - 0.5, b->th->grid);
            t->width = CHART_HAIRLINE;
        }
        double x = fmax(0, fmin(XC(p, r) - bw / 2, b->W - bw));
        add_text(b, CHART_TEXT_CATEGORY, b->src[r], tb, x, y, p->rotated, b->th->text);
    }
}

static void emit_all(build *b, lplan *p)
{
    chart_layout *cl = b->cl;
    cl->height = p->H;
    cl->plot_x0 = p->x0;
    cl->plot_x1 = p->x1;
    cl->plot_y0 = p->y0;
    cl->plot_y1 = p->y1;
    cl->orientation = ORIENT_VERTICAL;
    cl->label_pt = p->cats.size;
    cl->labels_rotated = p->rotated;
    cl->value_labels = b->spec->labels != LABELS_NONE;
    frame_emit(b, &p->fr, p->H);
    if (p->lg.n) {
        double ly = b->spec->legend == LEGEND_BOTTOM ? p->H - p->fr.notes_h - p->lg.h
                                                     : p->fr.top_h;
        legend_emit_kinds(b, &p->lg, p->is_line,
                          b->th->center_title ? (b->W - p->lg.w) / 2 : 0, ly);
    }
    emit_axes(b, p);
    emit_bars(b, p);
    emit_refs(b, p);
    emit_lines(b, p);
    emit_labels(b, p);
}

chart_fit layout_lines(build *b)
{
    lplan p;
    memset(&p, 0, sizeof p);
    p.combo = b->spec->kind == CHART_BAR;
    chart_fit fit = CHART_FIT_OOM;
    if (!line_data(b, &p))
        goto out;
    size_t ns = nseries(&p);
    p.vtb = calloc(p.n * ns + 1, sizeof *p.vtb);
    p.vbox = calloc(p.n * ns + 1, sizeof *p.vbox);
    p.vset = calloc(p.n * ns + 1, sizeof *p.vset);
    p.vinside = calloc(p.n * ns + 1, sizeof *p.vinside);
    if (!p.vtb || !p.vbox || !p.vset || !p.vinside)
        goto out;
    frame_make(b, &p.fr);
    make_legend(b, &p, b->W);
    int max_int = MAX_INT;
    for (int guard = 0; guard < 6; guard++) {
        if (!plan_plot(b, &p, max_int))
            goto out;
        if (!ticks_crowd(&p) || max_int <= 2)
            break;
        max_int -= 2;
    }
    /* the note on an axis not starting at zero changes the frame's height */
    if (!p.L.from_zero && !b->axis_note) {
        b->axis_note = "注：纵轴不从零开始（见轴底折断号）。";
        frame_free(&p.fr);
        frame_make(b, &p.fr);
        if (!plan_plot(b, &p, max_int))
            goto out;
    }
    for (size_t i = 0; i < b->spec->nrefs && i < MAX_REFERENCES; i++)
        if (*b->spec->refs[i].label)
            text_plain_rich(b, &p.ref_tb[i], b->spec->refs[i].label_rich,
                            b->spec->refs[i].label, CHART_SMALL_PT, false, PANGO_ALIGN_LEFT);
    place_refs(b, &p);
    if (p.combo && !place_bar_labels(b, &p))
        goto out;
    if (!place_line_labels(b, &p))
        goto out;
    emit_all(b, &p);
    fit = CHART_FIT_OK;
out:
    plan_free(b, &p);
    return fit;
}
