/*
 * chart_line_labels.c — the value labels of line charts and of bars with
 * lines, and their reference labels.
 *
 * Takes the plan of chart_line.c with its plot, axes, bars and lines in
 * place; gives each label a box, or none.  Guarantees: a placed label
 * lies inside the plot, keeps GAP_TEXT from every other placed label and
 * reference label, and no line or marker, reference line or zero line
 * runs through it; a bar label a
 * line crosses moves inside the top of its bar when it fits there; a line
 * label tries the places next to its point first, clear of the bars, then
 * over them (drawn on a white box), before farther ones.  "auto" labels every
 * point when all find a place, else each line's last point; a label that
 * finds no place is left out with a warning, never drawn over another.
 */
#include "chart/chart_line.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* A box that no value label may touch. */
static void add_obstacle(lplan *p, double x0, double y0, double x1, double y1)
{
    if (p->nobst < sizeof p->obst / sizeof p->obst[0])
        p->obst[p->nobst++] = (kbox){x0, y0, x1, y1};
}

/* True when a line or a marker of any series comes within `gap` pt of box q. */
static bool lines_within(const lplan *p, const kbox *q, double gap)
{
    const axis_k *a = p->combo ? &p->R : &p->L;
    for (size_t j = 0; j < p->nl; j++)
        for (size_t r = 0; r < p->n; r++) {
            if (LN(p, r, j))
                continue;
            double x = XC(p, r), y = Y(p, a, LV(p, r, j));
            kbox m = {x - MARKER_R, y - MARKER_R, x + MARKER_R, y + MARKER_R};
            if (box_overlaps(q, &m, gap))
                return true;
            if (r + 1 < p->n && !LN(p, r + 1, j) &&
                segment_hits_box(x, y, XC(p, r + 1), Y(p, a, LV(p, r + 1, j)), q, gap))
                return true;
        }
    return false;
}

/* True when a line or a marker of any series passes through box q. */
bool crossed_by_lines(const lplan *p, const kbox *q)
{
    return lines_within(p, q, 0.8);
}

/* The box of bar (r, j), zero height for a null. */
static kbox bar_box(const build *b, const lplan *p, size_t r, size_t j)
{
    double bw = fmin(p->slot * 0.6, MAX_BAR_V) / (double)(p->nb ? p->nb : 1);
    double bx = XC(p, r) - bw * p->nb / 2 + bw * j;
    double v = N(b, r, j) ? 0 : V(b, r, j);
    double ya = Y(p, &p->L, v), yz = Y(p, &p->L, 0);
    return (kbox){bx, fmin(ya, yz), bx + bw, fmax(ya, yz)};
}

bool over_a_bar(const build *b, const lplan *p, const kbox *q)
{
    for (size_t r = 0; r < p->n && p->combo; r++)
        for (size_t j = 0; j < p->nb; j++) {
            kbox bar = bar_box(b, p, r, j);
            if (bar.y1 > bar.y0 && box_overlaps(q, &bar, 0))
                return true;
        }
    return false;
}

/* True when box q is free for a line's label: inside the plot, apart from
 * placed labels and obstacles, and crossed by no line or marker (it may
 * lie over a bar: it is then drawn on a white box). */
static bool box_free(const build *b, const lplan *p, const kbox *q)
{
    (void)b;
    if (q->x0 < p->x0 - 0.01 || q->x1 > p->x1 + 0.01 || q->y0 < p->y0 - 0.01 ||
        q->y1 > p->y1 + 0.01)
        return false;
    size_t ns = nseries(p);
    for (size_t i = 0; i < p->n * ns; i++)
        if (p->vset[i] && box_overlaps(q, &p->vbox[i], GAP_TEXT))
            return false;
    for (size_t i = 0; i < p->nobst; i++)
        if (box_overlaps(q, &p->obst[i], GAP_TEXT))
            return false;
    return !crossed_by_lines(p, q);
}

/* Tries the places around a point (above, below, right, left, the
 * diagonals, then farther above and below) for label i; true when one is
 * free. */
static bool place_point_label(const build *b, lplan *p, size_t i, double x, double y, bool up)
{
    tbox *t = &p->vtb[i];
    double w = t->w, h = t->h, g = MARKER_R + 1.2;
    double cand[][2] = {
        {x - w / 2, y - g - h}, {x - w / 2, y + g}, {x + g + 0.5, y - h / 2},
        {x - g - 0.5 - w, y - h / 2}, {x + 1, y - g - h}, {x - w - 1, y - g - h},
        {x + 1, y + g}, {x - w - 1, y + g},
    };
    size_t nc = sizeof cand / sizeof cand[0];
    /* nearest first; at each distance clear of the bars, then over them
     * (drawn on a white box) */
    for (int far = 0; far < 6; far++)
    for (int pass = 0; pass < 2; pass++) {
        for (size_t c = 0; c < nc; c++) {
            size_t cc = c;
            if (!up && c < 2)
                cc = 1 - c;       /* a low point: below first */
            double cx = cand[cc][0], cy = cand[cc][1];
            if (far > 0) {
                if (cc > 1)
                    continue;
                cy += (cc == 0 ? -1 : 1) * far * (h * 0.6);
            }
            /* kept inside the plot's width: moved along, still by its point */
            cx = fmax(p->x0, fmin(cx, p->x1 - w));
            kbox q = {cx, cy, cx + w, cy + h};
            if (box_free(b, p, &q) && (pass == 1 || !over_a_bar(b, p, &q))) {
                p->vbox[i] = q;
                p->vset[i] = true;
                return true;
            }
        }
    }
    return false;
}

/* Bars' labels, above (below for negatives) each bar, at 7 pt then 6 pt;
 * false (none drawn) when they do not fit their bars' width. */
bool place_bar_labels(build *b, lplan *p)
{
    size_t ns = nseries(p);
    double bw = fmin(p->slot * 0.6, MAX_BAR_V) / (double)(p->nb ? p->nb : 1);
    for (int si = 0; si < 2; si++) {
        double size = si ? CHART_MIN_PT : CHART_SMALL_PT;
        bool ok = true;
        for (size_t r = 0; r < p->n && ok; r++)
            for (size_t j = 0; j < p->nb && ok; j++) {
                size_t i = r * ns + j;
                tbox_clear(&p->vtb[i]);
                p->vset[i] = false;
                char *txt = N(b, r, j) ? chart_strdup_printf("%s", "—") : fmt_value(b, V(b, r, j), (int)j, false);
                if (!txt)
                    return false;
                text_plain(b, &p->vtb[i], txt, size, false, PANGO_ALIGN_CENTER);
                free(txt);
                double w = p->vtb[i].w, h = p->vtb[i].h;
                double cx = XC(p, r) - bw * p->nb / 2 + bw * (j + 0.5);
                double v = N(b, r, j) ? 0 : V(b, r, j);
                double ya = Y(p, &p->L, v);
                double y = v >= 0 ? ya - 1.5 - h : ya + 1.5;
                kbox q = {cx - w / 2, y, cx + w / 2, y + h};
                if (w > bw + (p->nb > 1 ? 1.5 : p->slot - bw - 2) || q.y0 < p->y0 - 0.01 ||
                    q.y1 > p->y1 + 0.01) {
                    ok = false;
                    break;
                }
                for (size_t k = 0; k < i && ok; k++)
                    if (p->vset[k] && box_overlaps(&q, &p->vbox[k], 0.8))
                        ok = false;
                kbox bar = bar_box(b, p, r, j);
                p->vinside[i] = false;
                if (crossed_by_lines(p, &q) && w + 2 <= bar.x1 - bar.x0 &&
                    h + 2 * GAP_INSIDE <= bar.y1 - bar.y0) {
                    /* a line runs through the label above the bar: inside its top */
                    double yi = v >= 0 ? bar.y0 + GAP_INSIDE : bar.y1 - GAP_INSIDE - h;
                    kbox in = {q.x0, yi, q.x1, yi + h};
                    if (!crossed_by_lines(p, &in)) {
                        q = in;
                        p->vinside[i] = true;
                    }
                }
                /* still on a line or a marker: lifted (dropped, under a
                 * negative bar) clear of it while the plot holds it */
                for (int step = 1; step <= 8 && !p->vinside[i] && lines_within(p, &q, GAP_TEXT);
                     step++) {
                    double dy = (v >= 0 ? -1 : 1) * h * 0.25;
                    kbox m = {q.x0, q.y0 + dy, q.x1, q.y1 + dy};
                    if (m.y0 < p->y0 - 0.01 || m.y1 > p->y1 + 0.01)
                        break;
                    q = m;
                }
                p->vbox[i] = q;
                p->vset[i] = true;
            }
        if (ok)
            return true;
    }
    for (size_t i = 0; i < p->n * ns; i++) {
        tbox_clear(&p->vtb[i]);
        p->vset[i] = false;
    }
    warnf(b, "bar value labels do not fit over %zu bars in %.0f mm; left out (the axis gives "
          "the values)", p->n, b->W * 25.4 / 72);
    return true;
}

/* The text of line label (r, j): its value, with the unit when the axis
 * title does not give it. */
static char *line_label_text(const build *b, const lplan *p, size_t r, size_t j)
{
    double v = LV(p, r, j);
    if (!p->combo)
        return fmt_value(b, v, (int)j, false);
    numfmt f = b->vf;
    f.style = NUMBER_PLAIN;
    f.unit = "";
    int dec = 0;
    for (size_t i = 0; i < p->n; i++)
        if (!LN(p, i, j)) {
            int d = numfmt_decimals_of(LV(p, i, j), 2);
            dec = d > dec ? d : dec;
        }
    f.decimals = b->spec->decimals >= 0 ? b->spec->decimals : dec;
    char buf[96];
    numfmt_format(buf, sizeof buf, v, &f);
    return chart_strdup_printf("%s", buf);
}

/* Measures line label (r, j) and finds it a place; false when none. */
static int try_line_label(build *b, lplan *p, size_t r, size_t j)
{
    size_t ns = nseries(p), i = r * ns + p->nb + j;
    tbox_clear(&p->vtb[i]);
    p->vset[i] = false;
    if (LN(p, r, j))
        return 1;
    char *txt = line_label_text(b, p, r, j);
    if (!txt)
        return -1;
    text_plain(b, &p->vtb[i], txt, CHART_SMALL_PT, false, PANGO_ALIGN_CENTER);
    free(txt);
    const axis_k *a = p->combo ? &p->R : &p->L;
    double y = Y(p, a, LV(p, r, j));
    /* above unless the neighbours make it a valley */
    bool up = true;
    double v = LV(p, r, j);
    bool lower_prev = r > 0 && !LN(p, r - 1, j) && LV(p, r - 1, j) > v;
    bool lower_next = r + 1 < p->n && !LN(p, r + 1, j) && LV(p, r + 1, j) > v;
    if (lower_prev && lower_next)
        up = false;
    /* several lines: the upper one labels above, the lower below */
    for (size_t k = 0; k < p->nl; k++)
        if (k != j && !LN(p, r, k) && LV(p, r, k) > v)
            up = false;
    if (place_point_label(b, p, i, XC(p, r), y, up))
        return 1;
    tbox_clear(&p->vtb[i]);
    return 0;
}

static void clear_line_labels(lplan *p)
{
    size_t ns = nseries(p);
    for (size_t r = 0; r < p->n; r++)
        for (size_t j = 0; j < p->nl; j++) {
            tbox_clear(&p->vtb[r * ns + p->nb + j]);
            p->vset[r * ns + p->nb + j] = false;
        }
}

/* Every point's label, or (auto) each line's last one when they do not
 * all fit; false when out of memory. */
bool place_line_labels(build *b, lplan *p)
{
    chart_labels mode = b->spec->labels;
    if (mode == LABELS_NONE)
        return true;
    if (mode == LABELS_AUTO || mode == LABELS_ALL) {
        bool all = true;
        /* auto stops at the first label without a place: the last points
         * are labelled instead, and the rest need not be measured */
        for (size_t j = 0; j < p->nl && (all || mode == LABELS_ALL); j++)
            for (size_t r = 0; r < p->n && (all || mode == LABELS_ALL); r++) {
                int ok = try_line_label(b, p, r, j);
                if (ok < 0)
                    return false;
                if (!ok)
                    all = false;
            }
        if (all)
            return true;
        if (mode == LABELS_ALL) {
            warnf(b, "value labels of every point do not fit apart; those without room are "
                  "left out");
            return true;
        }
        clear_line_labels(p);
    }
    size_t missing = 0;
    for (size_t j = 0; j < p->nl; j++) {
        size_t r = p->n;
        while (r > 0 && LN(p, r - 1, j))
            r--;
        if (r == 0)
            continue;
        int ok = try_line_label(b, p, r - 1, j);
        if (ok < 0)
            return false;
        missing += ok == 0;
    }
    if (missing)
        warnf(b, "%zu last-point value label%s found no room apart from the other labels and "
              "lines; left out", missing, missing > 1 ? "s" : "");
    return true;
}

/* ---- references ---- */

/* True when a gridline or the zero line of the left axis runs through q. */
static bool crossed_by_grid(const lplan *p, const kbox *q)
{
    for (int i = 0; i < p->L.t.count; i++) {
        double y = Y(p, &p->L, tick_value(&p->L.t, i));
        if (y > q->y0 - 0.3 && y < q->y1 + 0.3)
            return true;
    }
    return false;
}

/* The dark zero line and the reference lines run across the whole plot:
 * no value label may sit on them (a label on the zero line reads as
 * struck through). */
static void add_rule_obstacles(build *b, lplan *p)
{
    const chart_spec *s = b->spec;
    if (p->L.t.lo <= 0 && p->L.t.hi >= 0) {
        double y = Y(p, &p->L, 0);
        add_obstacle(p, p->x0, y - 0.3, p->x1, y + 0.3);
    }
    for (size_t i = 0; i < s->nrefs && i < MAX_REFERENCES; i++) {
        double y = Y(p, &p->L, s->refs[i].value);
        add_obstacle(p, p->x0, y - 0.3, p->x1, y + 0.3);
    }
}

/* Reference labels at the right end of their lines, above them (below
 * when the one above is taken); they, the reference lines and the zero
 * line become obstacles for value labels. */
void place_refs(build *b, lplan *p)
{
    const chart_spec *s = b->spec;
    add_rule_obstacles(b, p);
    for (size_t i = 0; i < s->nrefs && i < MAX_REFERENCES; i++) {
        tbox *t = &p->ref_tb[i];
        double y = Y(p, &p->L, s->refs[i].value);
        if (!*s->refs[i].label) {
            p->ref_box[i] = (kbox){p->x1 - 1, y, p->x1, y};
            continue;
        }
        double w = t->w, h = t->h;
        kbox above = {p->x1 - w, y - h - 1, p->x1, y - 1}, below = {p->x1 - w, y + 1, p->x1, y + 1 + h};
        bool clash = above.y0 < p->y0;
        for (size_t k = 0; k < i; k++)
            if (box_overlaps(&above, &p->ref_box[k], GAP_TEXT))
                clash = true;
        /* a gridline through the label: below, when no gridline runs
         * there and it stays in the plot */
        if (!clash && crossed_by_grid(p, &above) && !crossed_by_grid(p, &below) &&
            below.y1 <= p->y1)
            clash = true;
        kbox q = clash ? below : above;
        p->ref_box[i] = q;
        add_obstacle(p, q.x0, q.y0, q.x1, q.y1);
    }
}

