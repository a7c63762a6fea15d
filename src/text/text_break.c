/*
 * text_break.c — line decisions for Chinese text.
 *
 * Takes the clusters of one paragraph with their natural advances and the
 * compressible blank of every full-width mark; gives the lines and the
 * position of every cluster.  Guarantees (clreq):
 *  - kinsoku: no break before ，。、；：？！）」』”’》… · % etc., none after
 *    （「『“‘《 etc., none inside —— or ……; such breaks are taken only
 *    inside a run of marks longer than most of a line;
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
#define COST_LONG_WORD 2500    /* a break inside a URL or a very long word */
#define COST_EMERGENCY 1e6     /* a break inside an ordinary word */
#define COST_BEFORE_PAREN 5000 /* v2.0|(beta): inside a word, before a bracket */
#define COST_FORBIDDEN 1e9     /* a kinsoku break */
#define COST_OVERFULL 1e10     /* worse than a kinsoku break */
#define COST_SPACE_HOLE 2.5e4  /* step B': spaces up to SPACE_MORE_EM in a line with
                                  hanzi gaps after all (a hole), rather than a loose line */
#define COST_RANGE 1.8e4       /* a break inside 1—9月, 2019—2020年, 3～5 (GB/T 15835) */
#define COST_NUMBER 1e4        /* a break between a number and the unit after it: both
                                  avoided by any re-break within the spacing limits, but
                                  not at the price of a lone last character or a hole */
#define MAX_LINE_CLUSTERS 4000 /* bounds the work for absurd measures */

enum { STRETCH_NONE = 0, STRETCH_CJK = 1, STRETCH_SPACE = 2 };

/* A cluster set on the CJK grid: by its character or by its glyph (“” are
 * full width in Chinese fonts but not by code point). */
static bool wide_first(const tx_cluster *c)
{
    return tx_char_wide(c->first) || c->blank > 0;
}

static bool wide_last(const tx_cluster *c)
{
    return tx_char_wide(c->last) || c->blank > 0;
}

/* Character classes of the first and last character of each cluster,
 * looked up once. */
typedef struct cls {
    uint8_t kf, kl;    /* tx_class */
    bool wf, wl;       /* wide_first / wide_last */
} cls;

static bool no_start(uint8_t k)
{
    return k == TX_CLOSE || k == TX_STOP || k == TX_MIDDOT || k == TX_ELLIPSIS || k == TX_POSTFIX;
}

static bool is_digit(gunichar c)
{
    return c >= '0' && c <= '9';
}

/* Marks that join two numbers into a range: 1—9月, 2019—2020年, 3～5. */
static bool is_range_mark(gunichar c)
{
    return c == 0x2014 || c == 0x2015 || c == 0x2013 || c == 0xFF5E || c == 0x301C || c == '~';
}

/* Units, dates and measure words that follow a number (the first hanzi of
 * 万元, 亿元, 个百分点 …).  % ‰ ℃ never start a line anyway. */
static bool is_unit_han(gunichar c)
{
    static const char units[] = "年月日号时分秒个项家人名位户次元角万亿千百倍岁座条台辆吨米里亩斤克度"
                                "份件套栋所批期届季天周点例张本股层成公平立升瓦伏赫";
    for (const char *p = units; *p; p = g_utf8_next_char(p))
        if (g_utf8_get_char(p) == c)
            return true;
    return false;
}

/* A break in the slot after cluster i splits a range: 1—|9月, 3|～5. */
static bool splits_range(const tx_cluster *c, int n, int i)
{
    const tx_cluster *a = &c[i], *b = &c[i + 1];
    if (is_digit(a->last) && is_range_mark(b->first) && b->first == b->last && i + 2 < n &&
        is_digit(c[i + 2].first))
        return true;
    return is_range_mark(a->first) && a->first == a->last && i > 0 && is_digit(c[i - 1].last) &&
           is_digit(b->first);
}

/* … or a number from the unit, 年/月/日 or % written right after it. */
static bool splits_number(const tx_cluster *c, int i)
{
    const tx_cluster *a = &c[i], *b = &c[i + 1];
    if ((a->flags & TXF_SPACE) && i > 0)
        a = &c[i - 1];   /* 10 月: across a typed space */
    return is_digit(a->last) && is_unit_han(b->first);
}

/* … or a date written in digits: 2020年|11月, 11月|3日 (held less firmly). */
static bool splits_date(const tx_cluster *c, int i)
{
    const tx_cluster *a = &c[i], *b = &c[i + 1];
    return (a->first == 0x5E74 || a->first == 0x6708) && a->first == a->last && i > 0 &&
           is_digit(c[i - 1].last) && is_digit(b->first);
}

void tx_prepare(tx_cluster *c, int n, const tx_params *p)
{
    double em = p->em;
    cls *q = g_new(cls, n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        q[i].kf = (uint8_t)tx_char_class(c[i].first);
        q[i].kl = c[i].last == c[i].first ? q[i].kf : (uint8_t)tx_char_class(c[i].last);
        q[i].wf = wide_first(&c[i]);
        q[i].wl = c[i].last == c[i].first ? q[i].wf : wide_last(&c[i]);
    }
    for (int i = 0; i < n; i++) {
        tx_class k = (tx_class)q[i].kf;
        if (k == TX_HAN || k == TX_ALNUM || k == TX_OTHER)
            c[i].flags |= TXF_CONTENT;
        else
            c[i].flags &= (uint8_t)~TXF_CONTENT;
    }
    /* space widths: between two CJK characters an en space, between Han
     * and Latin the Han–Latin space, elsewhere the font's own. */
    for (int i = 0; i < n; i++) {
        if (!(c[i].flags & TXF_SPACE) || i == 0 || i == n - 1)
            continue;
        uint8_t a = q[i - 1].kl, b = q[i + 1].kf;
        if (q[i - 1].wl && q[i + 1].wf)
            c[i].adv = 0.5 * em;
        else if (p->cjk_latin > 0 && ((a == TX_HAN && b == TX_ALNUM) || (a == TX_ALNUM && b == TX_HAN)))
            c[i].adv = p->cjk_latin;
    }
    /* words: runs of clusters that are neither CJK nor spaces; a break
     * inside a long one (a URL) is cheap, inside a short one a last resort */
    double long_word = 8 * em;
    int w0 = 0;
    double ww = 0;
    for (int i = 0; i <= n; i++) {
        bool in_word = i < n && !(c[i].flags & (TXF_SPACE | TXF_NEWLINE)) && !q[i].wf && !q[i].wl;
        if (in_word) {
            if (ww == 0)
                w0 = i;
            ww += c[i].adv;
            c[i].line = 0;
            continue;
        }
        if (ww > long_word)
            for (int k = w0; k < i; k++)
                c[k].line = 1;   /* scratch: inside a long word */
        ww = 0;
    }
    for (int i = 0; i < n; i++) {
        tx_cluster *a = &c[i];
        int long_word_here = a->line;
        a->glue = 0;
        a->pair = 0;
        a->stretch = STRETCH_NONE;
        a->penalty = 0;
        a->brk = TX_BRK_OK;
        a->line = 0;
        if (i == n - 1)
            break;
        tx_cluster *b = &c[i + 1];
        gunichar la = a->last, fb = b->first;
        bool wa = q[i].wl, wb = q[i + 1].wf;
        uint8_t ka = q[i].kl, kb = q[i + 1].kf;
        /* Han–Latin glue */
        if (!(a->flags & TXF_SPACE) && !(b->flags & TXF_SPACE) &&
            ((ka == TX_HAN && kb == TX_ALNUM) || (ka == TX_ALNUM && kb == TX_HAN)))
            a->glue = p->cjk_latin;
        /* pair compression (clreq 3.1.6): the blank between two marks goes */
        if (a->blank > 0 && b->blank > 0) {
            if (a->side == TX_SIDE_RIGHT)
                a->pair = 1;
            else if (b->side == TX_SIDE_LEFT)
                a->pair = 2;
        }
        /* break opportunity */
        if (a->flags & TXF_NEWLINE) {
            a->brk = TX_BRK_OK;   /* the forced break itself: tx_break takes it */
            continue;
        }
        if ((b->flags & (TXF_SPACE | TXF_NEWLINE)) || no_start(kb) || ka == TX_OPEN ||
            (ka == TX_DASH && kb == TX_DASH) || (a->flags & TXF_NOBREAK)) {
            a->brk = TX_BRK_FORBIDDEN;
            a->penalty = COST_FORBIDDEN;
        } else if ((a->flags & (TXF_SPACE | TXF_ZWSP)) || wa || wb || (b->flags & TXF_UAX14)) {
            a->brk = TX_BRK_OK;
            /* mild preferences: keep 2020年 and 中南高科·沧州 together */
            if (a->glue > 0)
                a->penalty = 8;
            if (ka == TX_MIDDOT)
                a->penalty = 40;
            /* pdftotext joins a line ending in a hyphen with the next one
             * and drops the hyphen: break after one only as a last resort */
            if (la == '-' || la == 0x2010)
                a->penalty = COST_EMERGENCY;
            else if (splits_range(c, n, i))
                a->penalty = COST_RANGE;
            else if (splits_number(c, i))
                a->penalty = COST_NUMBER;
            else if (splits_date(c, i))
                a->penalty = COST_NUMBER / 2;
        } else if (b->flags & TXF_CURSOR) {
            a->brk = TX_BRK_EMERGENCY;
            a->penalty = long_word_here ? COST_LONG_WORD : COST_EMERGENCY;
            if (!long_word_here && (fb == '(' || fb == '[') && ka == TX_ALNUM)
                a->penalty = COST_BEFORE_PAREN;
        } else {
            a->brk = TX_BRK_FORBIDDEN;
            a->penalty = COST_FORBIDDEN;
        }
        if (a->brk == TX_BRK_OK && ka != TX_MIDDOT && kb != TX_MIDDOT) {
            if (a->flags & TXF_SPACE)
                a->stretch = STRETCH_SPACE;
            else if (wa || wb)
                a->stretch = STRETCH_CJK;
        }
    }
    g_free(q);
}

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

int tx_break(tx_cluster *c, int n, const tx_params *p, tx_line **lines_out)
{
    *lines_out = NULL;
    if (n <= 0)
        return 0;
    double em = p->em;
    prefix pf;
    pf.adv = g_new(double, n + 1);
    pf.slot = g_new(double, n + 1);
    pf.shr = g_new(double, n + 1);
    pf.shr_int = g_new(double, n + 1);
    pf.gcjk = g_new(int, n + 1);
    pf.gspace = g_new(int, n + 1);
    pf.tgaps = g_new(int, n + 1);
    pf.content = g_new(int, n + 1);
    pf.adv[0] = pf.slot[0] = pf.shr[0] = 0;
    pf.gcjk[0] = pf.gspace[0] = pf.tgaps[0] = pf.content[0] = 0;
    for (int i = 0; i < n; i++) {
        pf.shr_int[i] = shrinkable(c, i) ? c[i].blank : 0;
        pf.adv[i + 1] = pf.adv[i] + c[i].adv;
        pf.slot[i + 1] = pf.slot[i] + (i < n - 1 ? c[i].glue - pair_amount(c, i) : 0);
        pf.shr[i + 1] = pf.shr[i] + pf.shr_int[i];
        bool in = i < n - 1;
        pf.gcjk[i + 1] = pf.gcjk[i] + (in && c[i].stretch == STRETCH_CJK);
        pf.gspace[i + 1] = pf.gspace[i] + (in && c[i].stretch == STRETCH_SPACE);
        pf.tgaps[i + 1] =
            pf.tgaps[i] + (in && c[i].stretch == STRETCH_CJK && c[i].glue == 0 ? 1 : 0);
        pf.content[i + 1] = pf.content[i] + ((c[i].flags & TXF_CONTENT) ? 1 : 0);
    }
    /* vis[e]: end of the visible clusters of a line ending before e */
    int *vis = g_new(int, n + 1);
    vis[0] = 0;
    for (int e = 1; e <= n; e++)
        vis[e] = (c[e - 1].flags & (TXF_SPACE | TXF_NEWLINE)) ? vis[e - 1] : e;
    for (int e = 1; e <= n; e++)
        if (vis[e] == 0)
            vis[e] = e;   /* a paragraph of spaces: keep them visible */
    /* Forced breaks (\n): a line ending after one is a last line; no line
     * runs across one, so lo[e] is the earliest start of a line ending at e. */
    bool *forced = g_new0(bool, n + 1);
    int *lo = g_new0(int, n + 1);
    bool any_forced = false;
    for (int e = 1, after_nl = 0; e <= n; e++) {
        lo[e] = after_nl;
        if (c[e - 1].flags & TXF_NEWLINE) {
            forced[e] = any_forced = true;
            after_nl = e;
        }
        if (vis[e] < lo[e])
            vis[e] = lo[e];   /* an empty line between two forced breaks */
    }

    /* A slot where kinsoku forbids a break is a candidate only inside a
     * run of clusters with no other break that is longer than most of a
     * line (a chain of marks): then a kinsoku break beats an overfull line. */
    bool *cand = g_new(bool, n + 1);
    double run = 0;
    cand[0] = cand[n] = true;
    for (int e = 1; e < n; e++) {
        bool forbidden = c[e - 1].brk == TX_BRK_FORBIDDEN;
        run = forbidden ? run + c[e - 1].adv : 0;
        cand[e] = !forbidden || run > 0.8 * p->measure || forced[e];
    }

    double *best = g_new(double, n + 1);
    int *from = g_new(int, n + 1);
    best[0] = 0;
    from[0] = -1;
    /* the whole paragraph fits on one line (headings, captions): done */
    line_metrics whole;
    measure_line(c, &pf, 0, vis[n], &whole);
    bool one_line = !any_forced && whole.width <= p->measure - p->indent + EPS;
    if (one_line) {
        for (int e = 1; e < n; e++)
            best[e] = INFINITY;
        best[n] = 0;
        from[n] = 0;
    }
    int total_content = pf.content[n];
    bool justify = p->align == TEXT_JUSTIFY;
    int hint = 0;
    for (int e = 1; e <= n && !one_line; e++) {
        best[e] = INFINITY;
        from[e] = e - 1;
        if (!cand[e])
            continue;
        bool last = e == n || forced[e];
        double brk_pen = last ? 0 : c[e - 1].penalty;
        /* Lines too short to be filled within the limits are evaluated only
         * when no line ending here can be (they cost COST_LOOSE or more). */
        bool within = false, skipped = false;
        /* Pass 0 starts at the shortest line that is not loose: found from
         * the previous end (lines only get wider as e grows). */
        int start = e - 1;
        if (justify && !last) {
            int s0 = hint - 3 > lo[e] ? hint - 3 : lo[e];
            if (s0 > e - 1)
                s0 = e - 1;
            if (!is_loose(c, &pf, p, s0, vis[e]))
                while (s0 + 1 < e && !is_loose(c, &pf, p, s0 + 1, vis[e]))
                    s0++;
            start = s0;
            hint = s0;
        }
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 1 && (within || !skipped))
                break;
            bool reached = false;
            for (int s = pass == 0 ? start : e - 1; s >= lo[e] && e - s <= MAX_LINE_CLUSTERS; s--) {
                if (best[s] == INFINITY)
                    continue;
                double measure = p->measure - (s == 0 ? p->indent : 0);
                line_metrics m;
                measure_line(c, &pf, s, vis[e], &m);
                bool loose = justify && !last && loose_metrics(&m, measure, em);
                if (loose != (pass == 1)) {
                    skipped = skipped || loose;
                    if (!loose)
                        reached = true;
                    /* still stop once lines are far too wide */
                    if (m.width - m.shrink - m.tgaps * TRACK_MAX_EM * em > measure + 2 * em &&
                        reached)
                        break;
                    continue;
                }
                bool overfull;
                double cost = line_cost(&m, measure, em, last, p->align, &overfull);
                if (overfull && reached)
                    break;   /* longer lines only get wider */
                reached = true;
                if (cost < COST_LOOSE)
                    within = true;
                if (e == n && total_content >= 2 && pf.content[e] - pf.content[s] < 2)
                    cost += COST_LONE;
                double total = best[s] + cost + brk_pen;
                if (total < best[e]) {
                    best[e] = total;
                    from[e] = s;
                }
                /* lines this far over the measure cannot be pushed in */
                if (m.width - m.shrink - m.tgaps * TRACK_MAX_EM * em > measure + 2 * em)
                    break;
            }
        }
    }
    /* back-track */
    int nl = 0;
    for (int e = n; e > 0; e = from[e])
        nl++;
    tx_line *lines = g_new0(tx_line, nl);
    int k = nl;
    for (int e = n; e > 0; e = from[e]) {
        k--;
        lines[k].c0 = from[e];
        lines[k].c1 = e;
        lines[k].vis1 = vis[e];
        lines[k].last = e == n || forced[e];
    }

    /* ---- positions ---- */
    for (int li = 0; li < nl; li++) {
        tx_line *L = &lines[li];
        int s = L->c0, v = L->vis1, e = L->c1;
        double measure = p->measure - (s == 0 ? p->indent : 0);
        double left = s == 0 ? p->indent : 0;
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
        double width = 0, shrink = 0;
        int g_cjk = 0, g_space = 0, tgaps = 0;
        for (int i = s; i < v; i++) {
            width += c[i].adv - c[i].comp + (i < j ? c[i].glue : 0);
            if (i < j) {
                g_cjk += c[i].stretch == STRETCH_CJK;
                g_space += c[i].stretch == STRETCH_SPACE;
                tgaps += c[i].stretch == STRETCH_CJK && c[i].glue == 0;
            }
            if (c[i].comp == 0 && shrinkable(c, i) &&
                !(i > s && c[i].side == TX_SIDE_LEFT && c[i - 1].comp > 0 &&
                  c[i - 1].side == TX_SIDE_RIGHT))
                shrink += c[i].blank;
        }
        double slack = measure - width;
        spread sp = {0, 0, 0, 0, 0};
        double tighten = 0;       /* per CJK gap without glue, negative */
        if (slack < -EPS) {
            double need = -slack;
            double f = shrink > 0 ? fmin(1.0, need / shrink) : 0;
            if (f > 0)
                for (int i = s; i < v; i++)
                    if (c[i].comp == 0 && shrinkable(c, i) &&
                        !(i > s && c[i].side == TX_SIDE_LEFT && c[i - 1].comp > 0 &&
                          c[i - 1].side == TX_SIDE_RIGHT))
                        c[i].comp = f * c[i].blank;
            double rest = need - f * shrink;
            width -= f * shrink;
            if (rest > EPS && tgaps > 0) {
                tighten = -rest / tgaps;
                width -= rest;
            }
        } else if (p->align == TEXT_JUSTIFY && !L->last) {
            if (plan_stretch(slack, g_cjk, g_cjk - tgaps, g_space, v - s - 1, p->em, &sp))
                width = measure;
        }
        if (p->align == TEXT_CENTER)
            left += (measure - width) / 2;
        double x = left;
        for (int i = s; i < e; i++) {
            c[i].x = x;
            double w;
            if (i >= v) {
                w = 0;   /* trailing space */
            } else {
                w = c[i].adv - c[i].comp;
                if (i < j) {
                    w += c[i].glue + sp.d;
                    if (c[i].stretch == STRETCH_CJK)
                        w += sp.a + (c[i].glue > 0 ? sp.b : tighten);
                    else if (c[i].stretch == STRETCH_SPACE)
                        w += sp.a + sp.b;   /* (b also in Latin lines) */
                    else
                        w += sp.c;
                }
            }
            c[i].width = w;
            x += w;
        }
        L->x = left;
        L->width = v > s ? c[j].x + c[j].width - left : 0;
    }

    g_free(pf.adv);
    g_free(pf.slot);
    g_free(pf.shr);
    g_free(pf.shr_int);
    g_free(pf.gcjk);
    g_free(pf.gspace);
    g_free(pf.tgaps);
    g_free(pf.content);
    g_free(vis);
    g_free(best);
    g_free(from);
    g_free(cand);
    g_free(forced);
    g_free(lo);
    *lines_out = lines;
    return nl;
}
