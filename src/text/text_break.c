/*
 * text_break.c — line decisions for Chinese text.
 *
 * Takes the clusters of one paragraph with their natural advances, the
 * compressible blank of every full-width mark and what each slot allows
 * (tx_prepare, text_opportunities.c); gives the lines and the position of
 * every cluster.  Guarantees (clreq):
 *  - kinsoku: a forbidden break is taken only inside a run of marks
 *    longer than most of a line;
 *  - adjacent full-width marks are compressed (。” and ）、 take 1.5 em);
 *    an opening bracket at a line start and a closing mark at a line end
 *    are set half width — always, so lines stay flush to the measure;
 *  - ¼ em (style) between Han and Latin letters or digits, never at a
 *    line edge;
 *  - justified lines are flush (see "Justification" below);
 *  - the paragraph's last line holds at least two characters whenever a
 *    re-break within the spacing limits allows (no lone character);
 * by a total-fit choice of breaks (dynamic programming over all break
 * opportunities, O(n * chars per line)).
 */
#include "text/text_internal.h"

#include <math.h>
#include <string.h>

#define EPS 1e-6
/* Justification.  pdftotext (poppler) copies any gap wider than 0.1 em
 * between two glyphs as a space, so no gap between glyphs may grow by more
 * than that; word spaces and Han–Latin spaces copy out as spaces anyway
 * and may grow more.  The slack is spread in steps:
 *   A. every gap beside a CJK character and every word space, equally, up
 *      to GAP_MAX each (0.098 em: under poppler's 0.1 em);
 *   B. word spaces and Han–Latin spaces, up to 0.1 em more each when the
 *      line has gaps between hanzi (no gap grows by more than 0.3 em: a
 *      hole in a mixed line), else 0.5 em;
 *   C. the remaining gaps (before a closing mark, after an opening one,
 *      inside Latin words and numbers), up to GAP_MAX each;
 *   B'. in a line with hanzi gaps, word and Han–Latin spaces up to 0.5 em
 *      more after all (a hole, which the breaker avoids at a high cost);
 *   D. beyond the limits, every gap equally (a loose line: the breaker
 *      avoids it at almost any cost; it may copy out with spaces); in a
 *      Latin line the word spaces alone, as Latin justification does.
 * A shortfall is taken from the blanks of mid-line marks (push-in), then
 * from the gaps beside CJK characters (0.05 em each, as a last resort
 * 0.1 em); Han–Latin spaces never shrink. */
#define GAP_MAX_EM 0.098
#define SPACE_MORE_EM 0.5      /* step B in a line without hanzi gaps to share */
#define SPACE_MORE_MIXED_EM 0.1  /* step B in a line with them: with step A and
                                    the step C of the slot before a space, white
                                    grows by at most 0.296 em (issue #11: 0.3 em) */
#define TRACK_EM 0.05          /* negative spacing per gap, first step */
#define TRACK_MAX_EM 0.1       /* tightest negative spacing per gap */
#define COST_LETTERSPACE 500   /* step C */
#define COST_LOOSE 3e4         /* step D */
#define COST_RAGGED 1e6        /* a one-cluster line that cannot be flush */
#define COST_LONE 2e4          /* a last line with one character: avoided by any
                                  re-break within the limits, not beyond */
#define COST_OVERFULL 1e10     /* worse than a kinsoku break */
#define COST_SPACE_HOLE 2.5e4  /* step B': spaces up to SPACE_MORE_EM in a line with
                                  hanzi gaps after all (a hole), rather than a loose line */
#define MAX_LINE_CLUSTERS 4000 /* bounds the work for absurd measures */

/* How the slack of a justified line is spread (pt per gap). */
typedef struct spread {
    double a;        /* step A: CJK gaps and word spaces */
    double b;        /* step B: word spaces and Han–Latin spaces */
    double c;        /* step C: the other gaps */
    double d;        /* step D: every gap */
    double cost;
} spread;

/* g_cjk: gaps beside CJK characters (g_glue of them Han–Latin); g_space:
 * word spaces; slots: every gap of the line. */
static inline double min2(double a, double b)
{
    return a < b ? a : b;
}

static bool plan_stretch(double slack, int g_cjk, int g_glue, int g_space, int slots, double em,
                         spread *sp)
{
    int g_a = g_cjk + g_space, g_b = g_space + g_glue;
    memset(sp, 0, sizeof *sp);
    if (slack <= 1e-4)
        return true;
    if (slots <= 0)
        return false;
    /* hanzi gaps to share the stretch: spaces grow less */
    bool mixed = g_cjk - g_glue > 0;
    double rest = slack, lim = GAP_MAX_EM * em;
    double more = (mixed ? SPACE_MORE_MIXED_EM : SPACE_MORE_EM) * em;
    if (g_a > 0) {
        sp->a = min2(rest / g_a, lim);
        rest -= sp->a * g_a;
        double r = sp->a / lim;
        sp->cost += 100 * r * r;
    }
    if (rest > 1e-6 && g_b > 0) {
        sp->b = min2(rest / g_b, more);
        rest -= sp->b * g_b;
        double r = sp->b / more;
        sp->cost += 100 + 400 * r * r;
    }
    int g_c = slots - g_a;
    if (rest > 1e-6 && g_c > 0) {
        sp->c = min2(rest / g_c, lim);
        rest -= sp->c * g_c;
        sp->cost += COST_LETTERSPACE + 2000 * sp->c / lim;
    }
    if (rest > 1e-6 && mixed && g_b > 0) {
        /* B': a hole after all, rather than gaps between hanzi that copy
         * out as spaces */
        double extra = min2(rest / g_b, (SPACE_MORE_EM - SPACE_MORE_MIXED_EM) * em);
        sp->b += extra;
        rest -= extra * g_b;
        sp->cost += COST_SPACE_HOLE + 1e4 * extra / em;
    }
    if (rest > 1e-6) {
        if (g_cjk == 0 && g_space > 0) {
            /* a Latin line: the word spaces take it, as in Latin text */
            sp->b += rest / g_space;
            sp->cost += COST_LOOSE / 10 + 1e4 * rest / g_space / em;
        } else {
            sp->d = rest / slots;
            sp->cost += COST_LOOSE + 1e5 * sp->d / em;
        }
    }
    return true;
}

/* ---- the total-fit breaker ---- */

/* May cluster i give up its blank to push a line in?  Not when a pair
 * already took it, nor when it is an opening mark right after a closing
 * mark whose blank went: both glyphs would start at the same point, and
 * pdftotext takes such a pair for duplicated text. */
static bool shrinkable(const tx_cluster *c, int i)
{
    if (c[i].blank <= 0 || c[i].side == TX_SIDE_NONE)
        return false;
    if (c[i].pair == 1 || (i > 0 && c[i - 1].pair == 2))
        return false;
    if (c[i].side == TX_SIDE_LEFT && i > 0 && c[i - 1].pair == 1)
        return false;
    return true;
}

typedef struct prefix {
    double *adv;    /* sum of advances */
    double *slot;   /* sum over slots of glue - pair compression */
    double *shr;    /* sum of blanks not taken by a pair (interior view) */
    int *gcjk;      /* CJK gaps */
    int *gspace;    /* word spaces */
    int *tgaps;     /* CJK gaps without Han–Latin glue (may tighten) */
    int *content;   /* content clusters */
    double *shr_int;
} prefix;

static double pair_amount(const tx_cluster *c, int i)
{
    if (c[i].pair == 1)
        return c[i].blank;
    if (c[i].pair == 2)
        return c[i + 1].blank;
    return 0;
}

typedef struct line_metrics {
    double width;    /* natural width with pair and edge compression */
    double shrink;   /* blanks of mid-line marks still available */
    int gcjk, gspace;  /* CJK gaps, word spaces */
    int tgaps;         /* CJK gaps that may tighten */
    int nvis;        /* visible clusters */
} line_metrics;

/* Line of clusters [s, v) (v: end of visible clusters). */
static void measure_line(const tx_cluster *c, const prefix *pf, int s, int v, line_metrics *m)
{
    m->nvis = v - s;
    if (v <= s) {
        m->width = m->shrink = 0;
        m->gcjk = m->gspace = m->tgaps = 0;
        return;
    }
    int j = v - 1;
    m->width = pf->adv[v] - pf->adv[s] + pf->slot[j] - pf->slot[s];
    m->shrink = pf->shr[v] - pf->shr[s];
    if (c[s].side == TX_SIDE_LEFT) {
        m->width -= c[s].blank;
        m->shrink -= pf->shr_int[s];
    }
    if (c[j].side == TX_SIDE_RIGHT) {
        m->width -= c[j].blank;
        m->shrink -= pf->shr_int[j];
    }
    if (m->shrink < 0)
        m->shrink = 0;
    m->gcjk = pf->gcjk[j] - pf->gcjk[s];
    m->gspace = pf->gspace[j] - pf->gspace[s];
    m->tgaps = pf->tgaps[j] - pf->tgaps[s];
}

static double line_cost(const line_metrics *m, double measure, double em, bool last,
                        text_align align, bool *overfull)
{
    double slack = measure - m->width;
    *overfull = false;
    if (slack >= -EPS) {
        if (last)
            return 0;
        if (align != TEXT_JUSTIFY)
            return 2.0 * (slack / em) * (slack / em);
        spread sp;
        if (!plan_stretch(slack, m->gcjk, m->gcjk - m->tgaps, m->gspace, m->nvis - 1, em, &sp))
            return COST_RAGGED;
        return sp.cost;
    }
    double need = -slack;
    if (need <= m->shrink + EPS) {
        double f = need / m->shrink;
        return 15 + 60 * f * f;
    }
    double rest = need - m->shrink;
    double track = m->tgaps * TRACK_MAX_EM * em;
    if (rest <= track + EPS) {
        double t = rest / m->tgaps / em;
        double cost = (m->shrink > 0 ? 75 : 0) + 150 + 600 * fmin(t / TRACK_EM, 1);
        if (t > TRACK_EM)
            cost += 2000 + 10000 * (t - TRACK_EM) / (TRACK_MAX_EM - TRACK_EM);
        return cost;
    }
    *overfull = true;
    return COST_OVERFULL + 1000 * (rest - track) / em;
}

double tx_natural_width(const tx_cluster *c, int n)
{
    int v = n;
    while (v > 0 && (c[v - 1].flags & TXF_SPACE))
        v--;
    if (v == 0)
        return 0;
    double w = 0;
    for (int i = 0; i < v; i++) {
        w += c[i].adv;
        if (i + 1 < v)
            w += c[i].glue - pair_amount(c, i);
    }
    if (c[0].side == TX_SIDE_LEFT)
        w -= c[0].blank;
    if (c[v - 1].side == TX_SIDE_RIGHT)
        w -= c[v - 1].blank;
    return w;
}

/* A line that cannot be filled within the limits (loose). */
static bool loose_metrics(const line_metrics *m, double measure, double em)
{
    int glue = m->gcjk - m->tgaps;
    double cap = em * (GAP_MAX_EM * (m->nvis - 1) + SPACE_MORE_EM * (m->gspace + glue) + 1.0);
    return m->width + cap < measure;
}

static bool is_loose(const tx_cluster *c, const prefix *pf, const tx_params *p, int s, int v)
{
    line_metrics m;
    measure_line(c, pf, s, v, &m);
    return loose_metrics(&m, p->measure - (s == 0 ? p->indent : 0), p->em);
}

static void prefix_build(const tx_cluster *c, int n, prefix *pf)
{
    pf->adv = g_new(double, n + 1);
    pf->slot = g_new(double, n + 1);
    pf->shr = g_new(double, n + 1);
    pf->shr_int = g_new(double, n + 1);
    pf->gcjk = g_new(int, n + 1);
    pf->gspace = g_new(int, n + 1);
    pf->tgaps = g_new(int, n + 1);
    pf->content = g_new(int, n + 1);
    pf->adv[0] = pf->slot[0] = pf->shr[0] = 0;
    pf->gcjk[0] = pf->gspace[0] = pf->tgaps[0] = pf->content[0] = 0;
    for (int i = 0; i < n; i++) {
        pf->shr_int[i] = shrinkable(c, i) ? c[i].blank : 0;
        pf->adv[i + 1] = pf->adv[i] + c[i].adv;
        pf->slot[i + 1] = pf->slot[i] + (i < n - 1 ? c[i].glue - pair_amount(c, i) : 0);
        pf->shr[i + 1] = pf->shr[i] + pf->shr_int[i];
        bool in = i < n - 1;
        pf->gcjk[i + 1] = pf->gcjk[i] + (in && c[i].stretch == STRETCH_CJK);
        pf->gspace[i + 1] = pf->gspace[i] + (in && c[i].stretch == STRETCH_SPACE);
        pf->tgaps[i + 1] =
            pf->tgaps[i] + (in && c[i].stretch == STRETCH_CJK && c[i].glue == 0 ? 1 : 0);
        pf->content[i + 1] = pf->content[i] + ((c[i].flags & TXF_CONTENT) ? 1 : 0);
    }
}

static void prefix_free(prefix *pf)
{
    g_free(pf->adv);
    g_free(pf->slot);
    g_free(pf->shr);
    g_free(pf->shr_int);
    g_free(pf->gcjk);
    g_free(pf->gspace);
    g_free(pf->tgaps);
    g_free(pf->content);
}

/* What the search reads about one paragraph, per line end e (0..n). */
typedef struct break_tables {
    const tx_cluster *c;
    int n;
    const tx_params *p;
    prefix pf;
    int *vis;        /* end of the visible clusters of a line ending before e */
    bool *forced;    /* a \n ends the line: it is a last line */
    int *lo;         /* earliest start of a line ending at e (no line crosses a \n) */
    bool *cand;      /* a break may fall at e */
    bool any_forced;
    double *best;    /* cost of the best lines up to e */
    int *from;       /* start of the last of those lines */
} break_tables;

static int *visible_ends(const tx_cluster *c, int n)
{
    int *vis = g_new(int, n + 1);
    vis[0] = 0;
    for (int e = 1; e <= n; e++)
        vis[e] = (c[e - 1].flags & (TXF_SPACE | TXF_NEWLINE)) ? vis[e - 1] : e;
    for (int e = 1; e <= n; e++)
        if (vis[e] == 0)
            vis[e] = e;   /* a paragraph of spaces: keep them visible */
    return vis;
}

/* Forced breaks (\n): a line ending after one is a last line; no line
 * runs across one, so lo[e] is the earliest start of a line ending at e. */
static void find_forced_breaks(break_tables *t)
{
    int n = t->n;
    t->forced = g_new0(bool, n + 1);
    t->lo = g_new0(int, n + 1);
    t->any_forced = false;
    for (int e = 1, after_nl = 0; e <= n; e++) {
        t->lo[e] = after_nl;
        if (t->c[e - 1].flags & TXF_NEWLINE) {
            t->forced[e] = t->any_forced = true;
            after_nl = e;
        }
        if (t->vis[e] < t->lo[e])
            t->vis[e] = t->lo[e];   /* an empty line between two forced breaks */
    }
}

/* A slot where kinsoku forbids a break is a candidate only inside a
 * run of clusters with no other break that is longer than most of a
 * line (a chain of marks): then a kinsoku break beats an overfull line. */
static bool *break_candidates(const tx_cluster *c, int n, double measure, const bool *forced)
{
    bool *cand = g_new(bool, n + 1);
    double run = 0;
    cand[0] = cand[n] = true;
    for (int e = 1; e < n; e++) {
        bool forbidden = c[e - 1].brk == TX_BRK_FORBIDDEN;
        run = forbidden ? run + c[e - 1].adv : 0;
        cand[e] = !forbidden || run > 0.8 * measure || forced[e];
    }
    return cand;
}

static void break_tables_init(break_tables *t, const tx_cluster *c, int n, const tx_params *p)
{
    t->c = c;
    t->n = n;
    t->p = p;
    prefix_build(c, n, &t->pf);
    t->vis = visible_ends(c, n);
    find_forced_breaks(t);
    t->cand = break_candidates(c, n, p->measure, t->forced);
    t->best = g_new(double, n + 1);
    t->from = g_new(int, n + 1);
}

static void break_tables_free(break_tables *t)
{
    prefix_free(&t->pf);
    g_free(t->vis);
    g_free(t->best);
    g_free(t->from);
    g_free(t->cand);
    g_free(t->forced);
    g_free(t->lo);
}

/* Lines this far over the measure cannot be pushed in, and longer ones
 * only get wider. */
static bool far_too_wide(const line_metrics *m, double measure, double em)
{
    return m->width - m->shrink - m->tgaps * TRACK_MAX_EM * em > measure + 2 * em;
}

/* The shortest line ending at e that is not loose, found from the
 * previous end's (lines only get wider as e grows). */
static int shortest_tight_start(const break_tables *t, int e, int hint)
{
    int s0 = hint - 3 > t->lo[e] ? hint - 3 : t->lo[e];
    if (s0 > e - 1)
        s0 = e - 1;
    if (!is_loose(t->c, &t->pf, t->p, s0, t->vis[e]))
        while (s0 + 1 < e && !is_loose(t->c, &t->pf, t->p, s0 + 1, t->vis[e]))
            s0++;
    return s0;
}

/* One pass over the starts of lines ending at e, from `start` down: pass 0
 * weighs the lines within the spacing limits, pass 1 the loose ones.
 * *within: a line within the limits was found; *skipped: a loose one was
 * passed over. */
static void weigh_line_starts(break_tables *t, int e, int start, int pass, bool *within,
                              bool *skipped)
{
    const tx_params *p = t->p;
    double em = p->em;
    bool last = e == t->n || t->forced[e];
    double brk_pen = last ? 0 : t->c[e - 1].penalty;
    bool justify = p->align == TEXT_JUSTIFY;
    bool reached = false;
    for (int s = start; s >= t->lo[e] && e - s <= MAX_LINE_CLUSTERS; s--) {
        if (t->best[s] == INFINITY)
            continue;
        double measure = p->measure - (s == 0 ? p->indent : 0);
        line_metrics m;
        measure_line(t->c, &t->pf, s, t->vis[e], &m);
        bool loose = justify && !last && loose_metrics(&m, measure, em);
        if (loose != (pass == 1)) {
            *skipped = *skipped || loose;
            if (!loose)
                reached = true;
            if (far_too_wide(&m, measure, em) && reached)
                break;
            continue;
        }
        bool overfull;
        double cost = line_cost(&m, measure, em, last, p->align, &overfull);
        if (overfull && reached)
            break;
        reached = true;
        if (cost < COST_LOOSE)
            *within = true;
        if (e == t->n && t->pf.content[t->n] >= 2 && t->pf.content[e] - t->pf.content[s] < 2)
            cost += COST_LONE;
        double total = t->best[s] + cost + brk_pen;
        if (total < t->best[e]) {
            t->best[e] = total;
            t->from[e] = s;
        }
        if (far_too_wide(&m, measure, em))
            break;
    }
}

/* best[e], from[e]: the best line ending at e.  Lines too short to be
 * filled within the limits are weighed only when no line ending here can
 * be (they cost COST_LOOSE or more). */
static void best_line_to(break_tables *t, int e, int *hint)
{
    t->best[e] = INFINITY;
    t->from[e] = e - 1;
    if (!t->cand[e])
        return;
    bool last = e == t->n || t->forced[e];
    int start = e - 1;
    if (t->p->align == TEXT_JUSTIFY && !last) {
        start = shortest_tight_start(t, e, *hint);
        *hint = start;
    }
    bool within = false, skipped = false;
    weigh_line_starts(t, e, start, 0, &within, &skipped);
    if (!within && skipped)
        weigh_line_starts(t, e, e - 1, 1, &within, &skipped);
}

static void choose_breaks(break_tables *t)
{
    int n = t->n;
    t->best[0] = 0;
    t->from[0] = -1;
    /* the whole paragraph fits on one line (headings, captions): done */
    line_metrics whole;
    measure_line(t->c, &t->pf, 0, t->vis[n], &whole);
    if (!t->any_forced && whole.width <= t->p->measure - t->p->indent + EPS) {
        for (int e = 1; e < n; e++)
            t->best[e] = INFINITY;
        t->best[n] = 0;
        t->from[n] = 0;
        return;
    }
    int hint = 0;
    for (int e = 1; e <= n; e++)
        best_line_to(t, e, &hint);
}

static tx_line *lines_from_breaks(const break_tables *t, int *nl_out)
{
    int n = t->n, nl = 0;
    for (int e = n; e > 0; e = t->from[e])
        nl++;
    tx_line *lines = g_new0(tx_line, nl);
    int k = nl;
    for (int e = n; e > 0; e = t->from[e]) {
        k--;
        lines[k].c0 = t->from[e];
        lines[k].c1 = e;
        lines[k].vis1 = t->vis[e];
        lines[k].last = e == n || t->forced[e];
    }
    *nl_out = nl;
    return lines;
}

/* ---- positions ---- */

/* The gaps and blanks of one set line [s, v). */
typedef struct line_fill {
    double width, shrink;       /* pt */
    int g_cjk, g_space, tgaps;
} line_fill;

/* Pair compression inside line li [s, e) (visible up to v), and the half
 * width of an opening mark at its start and a closing one at its end. */
static void compress_line_marks(tx_cluster *c, int s, int v, int e, int li)
{
    for (int i = s; i < e; i++) {
        c[i].comp = 0;
        c[i].line = li;
    }
    int j = v - 1;
    for (int i = s; i < j; i++) {
        if (c[i].pair == 1)
            c[i].comp = c[i].blank;
        else if (c[i].pair == 2)
            c[i + 1].comp = c[i + 1].blank;
    }
    if (v > s && c[s].side == TX_SIDE_LEFT)
        c[s].comp = c[s].blank;
    if (v > s && c[j].side == TX_SIDE_RIGHT)
        c[j].comp = c[j].blank;
}

/* May mark i of the line starting at s give up its blank now? */
static bool may_push_in(const tx_cluster *c, int s, int i)
{
    return c[i].comp == 0 && shrinkable(c, i) &&
           !(i > s && c[i].side == TX_SIDE_LEFT && c[i - 1].comp > 0 &&
             c[i - 1].side == TX_SIDE_RIGHT);
}

static void fill_of_line(const tx_cluster *c, int s, int v, line_fill *f)
{
    int j = v - 1;
    f->width = f->shrink = 0;
    f->g_cjk = f->g_space = f->tgaps = 0;
    for (int i = s; i < v; i++) {
        f->width += c[i].adv - c[i].comp + (i < j ? c[i].glue : 0);
        if (i < j) {
            f->g_cjk += c[i].stretch == STRETCH_CJK;
            f->g_space += c[i].stretch == STRETCH_SPACE;
            f->tgaps += c[i].stretch == STRETCH_CJK && c[i].glue == 0;
        }
        if (may_push_in(c, s, i))
            f->shrink += c[i].blank;
    }
}

/* Takes `need` pt out of line [s, v): the blanks of its mid-line marks
 * first, then the CJK gaps (*tighten per gap, negative).  Gives the
 * line's new width. */
static double push_in_line(tx_cluster *c, int s, int v, double need, const line_fill *f,
                           double *tighten)
{
    double width = f->width, shrink = f->shrink;
    double fr = shrink > 0 ? fmin(1.0, need / shrink) : 0;
    if (fr > 0)
        for (int i = s; i < v; i++)
            if (may_push_in(c, s, i))
                c[i].comp = fr * c[i].blank;
    double rest = need - fr * shrink;
    width -= fr * shrink;
    if (rest > EPS && f->tgaps > 0) {
        *tighten = -rest / f->tgaps;
        width -= rest;
    }
    return width;
}

/* x and width of every cluster of line [s, e) from x = left. */
static void place_clusters(tx_cluster *c, int s, int v, int e, double left, const spread *sp,
                           double tighten)
{
    int j = v - 1;
    double x = left;
    for (int i = s; i < e; i++) {
        c[i].x = x;
        double w;
        if (i >= v) {
            w = 0;   /* trailing space */
        } else {
            w = c[i].adv - c[i].comp;
            if (i < j) {
                w += c[i].glue + sp->d;
                if (c[i].stretch == STRETCH_CJK)
                    w += sp->a + (c[i].glue > 0 ? sp->b : tighten);
                else if (c[i].stretch == STRETCH_SPACE)
                    w += sp->a + sp->b;   /* (b also in Latin lines) */
                else
                    w += sp->c;
            }
        }
        c[i].width = w;
        x += w;
    }
}

static void position_line(tx_cluster *c, const tx_params *p, tx_line *L, int li)
{
    int s = L->c0, v = L->vis1, e = L->c1;
    double measure = p->measure - (s == 0 ? p->indent : 0);
    double left = s == 0 ? p->indent : 0;
    compress_line_marks(c, s, v, e, li);
    line_fill f;
    fill_of_line(c, s, v, &f);
    double width = f.width;
    double slack = measure - width;
    spread sp = {0, 0, 0, 0, 0};
    double tighten = 0;   /* per CJK gap without glue, negative */
    if (slack < -EPS) {
        width = push_in_line(c, s, v, -slack, &f, &tighten);
    } else if (p->align == TEXT_JUSTIFY && !L->last) {
        if (plan_stretch(slack, f.g_cjk, f.g_cjk - f.tgaps, f.g_space, v - s - 1, p->em, &sp))
            width = measure;
    }
    if (p->align == TEXT_CENTER)
        left += (measure - width) / 2;
    place_clusters(c, s, v, e, left, &sp, tighten);
    L->x = left;
    L->width = v > s ? c[v - 1].x + c[v - 1].width - left : 0;
}

int tx_break(tx_cluster *c, int n, const tx_params *p, tx_line **lines_out)
{
    *lines_out = NULL;
    if (n <= 0)
        return 0;
    break_tables t;
    break_tables_init(&t, c, n, p);
    choose_breaks(&t);
    int nl;
    tx_line *lines = lines_from_breaks(&t, &nl);
    for (int li = 0; li < nl; li++)
        position_line(c, p, &lines[li], li);
    break_tables_free(&t);
    *lines_out = lines;
    return nl;
}
