/*
 * chart_pie.c — pies and donuts ("kind": "pie", "donut": true): the shares
 * of one value column.
 *
 * Takes the build state (rows in data order or sorted, chart_data.c);
 * gives the display list: the title block, the slices clockwise from
 * twelve o'clock, a label "类别 12.3%" beside each slice in a column at the
 * left or right of the pie, joined to its slice by a leader line, and for
 * a donut the total in its hole.
 *
 * Guarantees: the printed percentages add up to exactly 100 (largest
 * remainder, chart_largest_remainder); slices under "other_below" are one
 * slice 其他 (when at least two are); every slice has exactly one label,
 * and labels in a column are pushed apart so that none overlaps another,
 * however thin the slices — when a column cannot hold its labels at 8 pt
 * they are set at 7 pt, and then the chart grows (with a warning).
 */
#include "chart/chart_build.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ELBOW 6.0          /* slice edge to the leader's bend, pt */
#define COLUMN 12.0        /* slice edge to the label column, pt */
#define LABEL_GAP 1.0      /* between two labels of a column, pt */

typedef struct slice {
    int src;               /* source row, -1 for 其他 */
    const char *name;
    double value;
    long long pct;         /* in units of 10^-dec percent */
    double a0, a1, mid;    /* radians clockwise from twelve o'clock */
    bool right;
    chart_rgb color;
    tbox tb;
    double ly;             /* label top, pt */
} slice;

typedef struct pplan {
    size_t ns;
    slice *s;
    frame fr;
    int dec;
    double cx, cy, R, r0;
    double top, bottom;    /* the band the labels and the pie use, pt */
    double H;
    double size;           /* label size, pt */
    tbox hole;
} pplan;

static void plan_free(pplan *p)
{
    frame_free(&p->fr);
    for (size_t i = 0; p->s && i < p->ns; i++)
        tbox_clear(&p->s[i].tb);
    free(p->s);
    tbox_clear(&p->hole);
}

/* The slices: a row each, those under other_below merged into 其他 at the
 * end; shares rounded to add up to 100. */
static bool make_slices(build *b, pplan *p)
{
    const chart_spec *s = b->spec;
    size_t n = b->n;
    p->s = calloc(n + 1, sizeof *p->s);
    double *v = calloc(n + 1, sizeof *v);
    long long *u = calloc(n + 1, sizeof *u);
    if (!p->s || !v || !u) {
        free(v);
        free(u);
        return false;
    }
    double total = 0;
    for (size_t r = 0; r < n; r++)
        total += N(b, r, 0) || V(b, r, 0) < 0 ? 0 : V(b, r, 0);
    size_t small = 0;
    for (size_t r = 0; r < n; r++) {
        double x = N(b, r, 0) || V(b, r, 0) < 0 ? 0 : V(b, r, 0);
        if (total > 0 && x / total < s->other_below)
            small++;
    }
    bool merge = small >= 2;
    double other = 0;
    size_t ns = 0;
    for (size_t r = 0; r < n; r++) {
        double x = N(b, r, 0) || V(b, r, 0) < 0 ? 0 : V(b, r, 0);
        if (merge && total > 0 && x / total < s->other_below) {
            other += x;
            continue;
        }
        p->s[ns].src = b->src[r];
        p->s[ns].name = b->cat[r];
        p->s[ns].value = x;
        ns++;
    }
    if (merge) {
        p->s[ns].src = -1;
        p->s[ns].name = "其他";
        p->s[ns].value = other;
        ns++;
    }
    p->ns = ns;
    p->dec = s->decimals >= 0 ? s->decimals : 1;
    for (size_t i = 0; i < ns; i++)
        v[i] = p->s[i].value;
    chart_largest_remainder(v, ns, p->dec, u);
    double a = 0;
    for (size_t i = 0; i < ns; i++) {
        p->s[i].pct = u[i];
        p->s[i].a0 = a;
        a += total > 0 ? v[i] / total * 2 * G_PI : 0;
        p->s[i].a1 = i + 1 == ns ? 2 * G_PI : a;
        p->s[i].mid = (p->s[i].a0 + p->s[i].a1) / 2;
        p->s[i].right = p->s[i].mid < G_PI;
    }
    free(v);
    free(u);
    /* colours: the palette in slice order, 其他 grey */
    chart_rgb *pal = calloc(ns + 1, sizeof *pal);
    if (!pal)
        return false;
    chart_series_colors(s, b->th, ns, false, pal);   /* a pie has no "colors" */
    for (size_t i = 0; i < ns; i++)
        p->s[i].color = pal[i];
    free(pal);
    if (merge)
        p->s[ns - 1].color = (chart_rgb){0.70, 0.70, 0.70};
    if (merge)
        warnf(b, "%zu slices under %g %% merged into 其他", small, s->other_below * 100);
    return true;
}

/* "类别 12.3%" for every slice at size, wrapped to maxw. */
static bool slice_labels(build *b, pplan *p, double size, double maxw)
{
    for (size_t i = 0; i < p->ns; i++) {
        char pct[64];
        long long unit = 1;
        for (int d = 0; d < p->dec; d++)
            unit *= 10;
        numfmt_percent(pct, sizeof pct, (double)p->s[i].pct / (double)unit / 100.0, p->dec);
        char *t = chart_strdup_printf("%s %s", p->s[i].name, pct);
        if (!t)
            return false;
        tbox_clear(&p->s[i].tb);
        text_wrap(b, &p->s[i].tb, t, size, false, maxw,
                  p->s[i].right ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT, false, true);
        free(t);
    }
    return true;
}

/* Pushes the labels of one side apart within [top, bottom]; true when
 * they fit. */
static bool stack_side(pplan *p, bool right)
{
    size_t idx[256], m = 0;
    for (size_t i = 0; i < p->ns && m < 256; i++)
        if (p->s[i].right == right)
            idx[m++] = i;
    /* by the height of their anchor (the right column runs top to bottom
     * with the angle, the left one bottom to top) */
    for (size_t i = 1; i < m; i++)
        for (size_t j = i; j > 0; j--) {
            double ya = -cos(p->s[idx[j - 1]].mid), yb = -cos(p->s[idx[j]].mid);
            if (ya <= yb)
                break;
            size_t t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    double need = 0;
    for (size_t i = 0; i < m; i++) {
        slice *s = &p->s[idx[i]];
        need += s->tb.h + (i ? LABEL_GAP : 0);
        s->ly = p->cy - (p->R + ELBOW) * cos(s->mid) - s->tb.h / 2;
    }
    if (need > p->bottom - p->top + 0.01)
        return false;
    for (size_t i = 0; i < m; i++) {
        slice *s = &p->s[idx[i]];
        double lo = i ? p->s[idx[i - 1]].ly + p->s[idx[i - 1]].tb.h + LABEL_GAP : p->top;
        s->ly = fmax(s->ly, lo);
    }
    for (size_t i = m; i-- > 0;) {
        slice *s = &p->s[idx[i]];
        double hi = i + 1 < m ? p->s[idx[i + 1]].ly - LABEL_GAP : p->bottom;
        s->ly = fmin(s->ly, hi - s->tb.h);
    }
    return true;
}

/* Radius and centre for the band [top, top + h]: as large as the labels'
 * columns leave. */
static void geometry(build *b, pplan *p, double h)
{
    double wl = 0, wr = 0;
    for (size_t i = 0; i < p->ns; i++) {
        if (p->s[i].right)
            wr = fmax(wr, p->s[i].tb.w);
        else
            wl = fmax(wl, p->s[i].tb.w);
    }
    double side = fmax(wl, wr);   /* symmetric: the pie stays centred */
    double R = fmin(h / 2 - 4, (b->W - 2 * (side + COLUMN + 2)) / 2);
    p->R = fmax(R, 20);
    p->r0 = b->spec->donut ? p->R * 0.55 : 0;
    p->cx = b->W / 2;
    p->cy = p->top + h / 2;
    p->bottom = p->top + h;
}

static bool hole_total(build *b, pplan *p)
{
    if (!b->spec->donut || !b->spec->hole_total)
        return true;
    double total = 0;
    for (size_t i = 0; i < p->ns; i++)
        total += p->s[i].value;
    char *v = fmt_value(b, total, 0, true);
    if (!v)
        return false;
    char *t = chart_strdup_printf("合计\n%s", v);
    free(v);
    if (!t)
        return false;
    for (int si = 0; si < 2; si++) {
        tbox_clear(&p->hole);
        text_wrap(b, &p->hole, t, si ? CHART_SMALL_PT : CHART_LABEL_PT, si == 0, 1e4,
                  PANGO_ALIGN_CENTER, false, false);
        /* inside the hole: the box's corners within the inner circle */
        if (hypot(p->hole.w / 2, p->hole.h / 2) <= p->r0 - 2)
            break;
        if (si == 1) {
            tbox_clear(&p->hole);
            warnf(b, "the total does not fit the donut's hole; left out");
        }
    }
    free(t);
    return true;
}

/* True when the segment comes closer than r to the centre (cx, cy). */
static bool segment_meets_circle(double x0, double y0, double x1, double y1, double cx,
                                 double cy, double r)
{
    double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((cx - x0) * dx + (cy - y0) * dy) / len2 : 0;
    t = fmax(0, fmin(1, t));
    return hypot(x0 + t * dx - cx, y0 + t * dy - cy) < r;
}

static void emit_pie(build *b, pplan *p)
{
    chart_layout *cl = b->cl;
    cl->height = p->H;
    cl->plot_x0 = p->cx - p->R;
    cl->plot_x1 = p->cx + p->R;
    cl->plot_y0 = p->cy - p->R;
    cl->plot_y1 = p->cy + p->R;
    cl->label_pt = p->size;
    cl->value_labels = true;
    frame_emit(b, &p->fr, p->H);
    for (size_t i = 0; i < p->ns; i++) {
        slice *s = &p->s[i];
        if (s->a1 - s->a0 <= 0)
            continue;
        chart_shape *sh = add_shape(b, CHART_SHAPE_SECTOR, CHART_ROLE_SLICE, CHART_LAYER_BAR,
                                    p->cx, p->cy, p->cx, p->cy, s->color);
        sh->r0 = p->r0;
        sh->r1 = p->R;
        sh->a0 = s->a0;
        sh->a1 = s->a1;
        sh->width = p->ns > 1 ? 0.8 : 0;
        sh->index = s->src;
    }
    int routed[2] = {0, 0};
    for (size_t i = 0; i < p->ns; i++) {
        slice *s = &p->s[i];
        double sx = p->cx + p->R * sin(s->mid), sy = p->cy - p->R * cos(s->mid);
        double ex = p->cx + (p->R + ELBOW) * sin(s->mid), ey = p->cy - (p->R + ELBOW) * cos(s->mid);
        double colx = s->right ? p->cx + p->R + COLUMN : p->cx - p->R - COLUMN;
        double ly = s->ly + s->tb.h / ((s->tb.lines > 0 ? s->tb.lines : 1) * 2.0);
        double tx = colx + (s->right ? -1.5 : 1.5);
        double pts[4][2] = {{sx, sy}, {ex, ey}, {tx, ly}, {0, 0}};
        int npts = 3;
        if (segment_meets_circle(ex, ey, tx, ly, p->cx, p->cy, p->R + 1)) {
            /* a label pushed far from its slice: out sideways first, then
             * along the pie's side, so that the leader never crosses a
             * slice; each such leader on its own track */
            int side = s->right ? 1 : 0;
            double off = ELBOW + fmin(routed[side]++ * 1.2, COLUMN - ELBOW - 2.5);
            double vx = s->right ? p->cx + p->R + off : p->cx - p->R - off;
            pts[2][0] = vx;
            pts[2][1] = ey;
            pts[3][0] = tx;
            pts[3][1] = ly;
            npts = 4;
        }
        for (int k = 0; k + 1 < npts; k++) {
            chart_shape *l = add_shape(b, CHART_SHAPE_LINE, CHART_ROLE_LEADER, CHART_LAYER_MARK,
                                       pts[k][0], pts[k][1], pts[k + 1][0], pts[k + 1][1],
                                       b->th->muted);
            l->width = 0.5;
            l->round = true;
            l->index = s->src;
        }
        double x = s->right ? colx : colx - s->tb.w;
        add_text(b, CHART_TEXT_CATEGORY, s->src, &s->tb, x, s->ly, false, b->th->text);
    }
    if (p->hole.pl)
        add_text(b, CHART_TEXT_VALUE, -1, &p->hole, p->cx - p->hole.w / 2, p->cy - p->hole.h / 2,
                 false, b->th->title);
}

chart_fit layout_pie(build *b)
{
    pplan p;
    memset(&p, 0, sizeof p);
    chart_fit fit = CHART_FIT_OOM;
    frame_make(b, &p.fr);
    if (!make_slices(b, &p))
        goto out;
    p.top = p.fr.top_h + 2;
    double avail = (b->fixed_h ? b->H : 0) - p.fr.notes_h - 2 - p.top;
    double pref = fmin(fmax(b->W * 0.40, 120), 200);
    double h = b->fixed_h ? avail : pref;
    double maxw = fmax(40, b->W * 0.30);
    bool fits = false;
    static const double sizes[] = {CHART_LABEL_PT, CHART_SMALL_PT};
    for (int si = 0; si < 2 && !fits; si++) {
        p.size = sizes[si];
        if (!slice_labels(b, &p, p.size, maxw))
            goto out;
        geometry(b, &p, h);
        fits = h >= 60 && stack_side(&p, true) && stack_side(&p, false);
    }
    /* grow until both columns hold their labels */
    for (int guard = 0; !fits && guard < 40; guard++) {
        h = fmax(h, 60) + 12;
        geometry(b, &p, h);
        fits = stack_side(&p, true) && stack_side(&p, false);
        if (fits)
            warnf(b, "chart %s to %.0f mm so that the labels of %zu slices keep apart",
                  b->fixed_h ? "grown" : "sized", (h + p.top + p.fr.notes_h) * 25.4 / 72, p.ns);
    }
    p.H = p.bottom + 2 + p.fr.notes_h;
    if (b->fixed_h && p.H < b->H)
        p.H = b->H;
    if (!hole_total(b, &p))
        goto out;
    emit_pie(b, &p);
    fit = CHART_FIT_OK;
out:
    plan_free(&p);
    return fit;
}
