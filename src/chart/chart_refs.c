/*
 * chart_refs.c — reference lines and their labels.
 *
 * Takes the spec's reference lines (at most MAX_REFERENCES, as validated);
 * gives each label measured ("label value", the value formatted like the
 * bars'), then places the labels in the strip a driver reserved: in rows
 * above a horizontal chart's plot, or stacked right of a vertical chart's
 * plot, each as near its line as the others allow; then emits lines and
 * labels.  Guarantees: labels are whole (sized to their text) and never
 * overlap one another; false when out of memory.
 */
#include "chart/chart_build.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void refs_free(refs *r)
{
    for (size_t i = 0; i < r->n; i++)
        tbox_clear(&r->tb[i]);
    r->n = 0;
}

/* r->order: the lines by value, ascending (dir 1) or descending (dir -1);
 * equal values keep their order. */
static void refs_sort(const build *b, refs *r, int dir)
{
    const chart_reference *ref = b->spec->refs;
    for (size_t i = 0; i < r->n; i++)
        r->order[i] = i;
    for (size_t i = 1; i < r->n; i++)
        for (size_t j = i; j > 0 && dir * ref[r->order[j]].value < dir * ref[r->order[j - 1]].value;
             j--) {
            size_t t = r->order[j];
            r->order[j] = r->order[j - 1];
            r->order[j - 1] = t;
        }
}

bool refs_make(build *b, refs *r)
{
    refs_free(r);
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < b->spec->nrefs && i < MAX_REFERENCES; i++) {
        const chart_reference *ref = &b->spec->refs[i];
        char *num = fmt_value(b, ref->value, -2, true);
        if (!num)
            return false;
        char *txt = (ref->label && *ref->label) ? chart_strdup_printf("%s %s", ref->label, num)
                                                : num;
        if (txt != num)
            free(num);
        if (!txt)
            return false;
        text_wrap_label_rich(b, &r->tb[r->n], ref->label_rich, txt, CHART_SMALL_PT, false,
                             fmax(40, b->W * 0.3), PANGO_ALIGN_LEFT, true);
        free(txt);
        r->rowh = fmax(r->rowh, r->tb[r->n].h);
        r->n++;
    }
    return true;
}

/* True when label i may take row `row` at x, given the labels placed
 * before it (placed[0..np)): it keeps 4 pt from the labels of its row, no
 * line from a label above runs through it, and its own line (down from
 * it to the plot) runs through no label below. */
static bool row_free(const refs *r, const size_t *placed, size_t np, size_t i, int row, double x,
                     const double *line_x, bool lines_too)
{
    double w = r->tb[i].w;
    for (size_t k = 0; k < np; k++) {
        size_t j = placed[k];
        double xj = r->pos[j], wj = r->tb[j].w;
        if (r->row[j] == row && x < xj + wj + 4 && xj < x + w + 4)
            return false;
        if (!lines_too)
            continue;
        if (r->row[j] < row && line_x[j] > x - GAP_TEXT && line_x[j] < x + w + GAP_TEXT)
            return false;
        if (r->row[j] > row && line_x[i] > xj - GAP_TEXT && line_x[i] < xj + wj + GAP_TEXT)
            return false;
    }
    return true;
}

/* Horizontal chart: each label centred over its line, kept inside the
 * chart, in the first row (from the top) where no label or line crosses
 * it (row_free).  Returns the strip's height (0 without lines). */
double refs_place_rows(build *b, refs *r, const vaxis *a, double plot_x0, double avail_w)
{
    if (!r->n)
        return 0;
    int nrows = 1;
    refs_sort(b, r, 1);
    double line_x[MAX_REFERENCES];
    size_t placed[MAX_REFERENCES], np = 0;
    for (size_t i = 0; i < r->n; i++)
        line_x[i] = plot_x0 + U(a, b->spec->refs[i].value);
    for (size_t oi = 0; oi < r->n; oi++) {
        size_t i = r->order[oi];
        /* centred over its line, else beside it (lines close together) */
        double w = r->tb[i].w;
        double cand[5 + 2 * MAX_REFERENCES] = {line_x[i] - w / 2, line_x[i] + GAP_TEXT + 0.5,
                                               line_x[i] - GAP_TEXT - 0.5 - w, 0, avail_w - w};
        int nc = 5;
        for (size_t j = 0; j < r->n; j++)    /* beside the other lines */
            if (j != i) {
                cand[nc++] = line_x[j] + GAP_TEXT + 0.5;
                cand[nc++] = line_x[j] - GAP_TEXT - 0.5 - w;
            }
        int row = -1;
        double x = 0;
        for (int rr = 0; rr < MAX_REFERENCES && row < 0; rr++)
            for (int c = 0; c < nc && row < 0; c++) {
                x = fmax(0, fmin(cand[c], avail_w - w));
                if (row_free(r, placed, np, i, rr, x, line_x, true))
                    row = rr;
            }
        if (row < 0) {      /* no place clear of lines: clear of labels, centred */
            x = fmax(0, fmin(cand[0], avail_w - w));
            row = 0;
            while (row < MAX_REFERENCES - 1 && !row_free(r, placed, np, i, row, x, line_x, false))
                row++;
        }
        r->row[i] = row;
        r->pos[i] = x;
        placed[np++] = i;
        if (row + 1 > nrows)
            nrows = row + 1;
    }
    return nrows * (r->rowh + 1) + 2;
}

/* Vertical chart: labels right of the plot, each beside its line as far as
 * they keep apart: pushed down from the top (lo), then up from the bottom
 * limit.  Returns the chart height, grown if they cannot all fit in H. */
double refs_place_stack(build *b, refs *r, const vaxis *a, double plot_y1, double lo,
                        double bottom, double H)
{
    if (!r->n)
        return H;
    refs_sort(b, r, -1);     /* top (largest) first */
    double need = 0;
    for (size_t oi = 0; oi < r->n; oi++)
        need += r->tb[r->order[oi]].h + GAP_TEXT;
    H = fmax(H, lo + need + bottom);
    double hi = H - bottom;
    double prev_end = lo - GAP_TEXT;
    for (size_t oi = 0; oi < r->n; oi++) {
        size_t i = r->order[oi];
        double y = plot_y1 - U(a, b->spec->refs[i].value);
        r->pos[i] = fmax(y - r->tb[i].h / 2, prev_end + GAP_TEXT);
        prev_end = r->pos[i] + r->tb[i].h;
    }
    double next_top = hi + GAP_TEXT;
    for (size_t oi = r->n; oi-- > 0;) {
        size_t i = r->order[oi];
        r->pos[i] = fmin(r->pos[i], next_top - GAP_TEXT - r->tb[i].h);
        next_top = r->pos[i];
    }
    return H;
}

static void ref_line(build *b, double x0, double y0, double x1, double y1)
{
    chart_shape *s = add_shape(b, CHART_SHAPE_LINE, CHART_ROLE_REFERENCE, CHART_LAYER_MARK, x0, y0,
                               x1, y1, b->th->ref);
    s->width = 0.6;
    s->dash = 2.5;
}

/* Horizontal chart: a line down through the plot from under its label. */
void refs_emit_h(build *b, refs *r, const vaxis *a, double plot_x0, double top, double plot_y1)
{
    for (size_t i = 0; i < r->n; i++) {
        double x = plot_x0 + U(a, b->spec->refs[i].value);
        double ly = top + r->row[i] * (r->rowh + 1);
        ref_line(b, x, ly + r->rowh, x, plot_y1);
        add_text(b, CHART_TEXT_REFERENCE, (int)i, &r->tb[i], r->pos[i], ly, false, b->th->ref);
    }
}

/* Vertical chart: a line across the plot, its label in the right strip. */
void refs_emit_v(build *b, refs *r, const vaxis *a, const plotbox *p)
{
    for (size_t oi = 0; oi < r->n; oi++) {
        size_t i = r->order[oi];
        double y = p->y1 - U(a, b->spec->refs[i].value);
        ref_line(b, p->x0, y, p->x1 + 2, y);
        add_text(b, CHART_TEXT_REFERENCE, (int)i, &r->tb[i], p->x1 + 3, r->pos[i], false,
                 b->th->ref);
    }
}
