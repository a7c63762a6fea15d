/*
 * typo_check — checks the Chinese typography rules (issue #3) on laid-out
 * lines, over a corpus of paragraphs at many measures.
 *
 *   typo_check [options] [FILE.txt ...]       (default: every .txt in tests/typo)
 *     --sample FILE.json   also check the text fields of a brief
 *     --only-sample        check the sample only
 *     --pango              the baseline: plain Pango justification of the
 *                          source text (to measure what the engine fixes)
 *     --pdf FILE.pdf       also render every body check into FILE.pdf and
 *                          compare `pdftotext` with the set text
 *     --demo FILE.pdf      write a few paragraphs at three measures (look at
 *                          it: pdftoppm -r 200 -png FILE.pdf demo)
 *     --bench N            time N rounds: plain Pango vs the engine
 *     --fuzz N             N random paragraphs (fixed seed): no crash, the
 *                          lines cover the text, lines of two or more
 *                          clusters are flush (run it under ASan)
 *     --fonts DIR          bundled fonts (default: fonts)
 *     -v                   print every fault
 *
 * A check is one paragraph in one style at one measure; it passes when no
 * rule is broken.  Prints counts per rule, then "N passed, M failed", and
 * exits 1 on any fault.  The rules are checked from the outside, through
 * text_block_line() and the positions of the clusters (text_internal.h),
 * with character sets of this file, not of the engine.
 */
#define _POSIX_C_SOURCE 200809L
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo-pdf.h>
#include <cjson/cJSON.h>
#include <pango/pangocairo.h>

#include "brief.h"
#include "text/engine.h"
#include "text/text.h"
#include "text/text_internal.h"

/* cairo 1.16 leaks 768 bytes when it finishes a PDF surface (plain Pango
 * drawing does too): not ours; keep LeakSanitizer quiet about it only. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libcairo.so.2\n";
}

/* ---- the rules' character sets (issue #3 and clreq), independent of text_prep.c ---- */

static const char *const NO_START =
    "，。、；：？！）」』”’》〉】〕〗〙〛］｝…‥·・‧%％‰℃,.;:?!)]}";
static const char *const NO_END = "（「『“‘《〈【〔〖〘〚［｛([{";
static const char *const CLOSING_MARKS = "，。、；：？！）」』”’》〉】〕〗〙〛］｝";
static const char *const OPENING_MARKS = "（「『“‘《〈【〔〖〘〚［｛";

static bool in_set(const char *set, gunichar c)
{
    for (const char *p = set; *p; p = g_utf8_next_char(p))
        if (g_utf8_get_char(p) == c)
            return true;
    return false;
}

static bool is_han(gunichar c)
{
    return g_unichar_get_script(c) == G_UNICODE_SCRIPT_HAN && g_unichar_isalpha(c);
}

static bool is_latin_alnum(gunichar c)
{
    return c < 0x2000 && g_unichar_isalnum(c);
}

static bool is_cjk_punct(gunichar c)
{
    return (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF0F) ||
           (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
           (c >= 0xFF5B && c <= 0xFF65);
}

/* ---- a laid-out paragraph, from either engine ---- */

typedef struct vclus {
    int start, end, line;
    double x, adv, natural, comp;
} vclus;

typedef struct vline {
    int start, len, c0, c1;   /* clusters [c0, c1) */
    double x, width;
    bool last;
} vline;

typedef struct view {
    char *text;
    int text_len;
    vline *lines;
    int nlines;
    vclus *cl;
    int ncl;
    double em, measure, indent, pitch;
    double height;            /* reported height of all lines */
    text_align align;
    double cjk_latin;
    bool normalize;
    int unknown;
    bool is_brief;
} view;

static void view_free(view *v)
{
    g_free(v->text);
    g_free(v->lines);
    g_free(v->cl);
    memset(v, 0, sizeof *v);
}

static void link_lines(view *v)
{
    for (int i = 0; i < v->nlines; i++)
        v->lines[i].c0 = v->lines[i].c1 = -1;
    for (int k = 0; k < v->ncl; k++) {
        vline *L = &v->lines[v->cl[k].line];
        if (L->c0 < 0)
            L->c0 = k;
        L->c1 = k + 1;
    }
    for (int i = 0; i < v->nlines; i++)
        if (v->lines[i].c0 < 0)
            v->lines[i].c0 = v->lines[i].c1 = 0;
}

static void view_from_block(view *v, const text_block *tb, const text_style *st)
{
    memset(v, 0, sizeof *v);
    v->is_brief = true;
    v->text = g_strdup(text_block_text(tb));
    v->text_len = (int)strlen(v->text);
    v->nlines = text_block_line_count(tb);
    v->lines = g_new0(vline, v->nlines + 1);
    for (int i = 0; i < v->nlines; i++) {
        text_line_info li;
        text_block_line(tb, i, &li);
        v->lines[i] = (vline){li.start, li.length, 0, 0, li.x_pt, li.width_pt, li.last};
    }
    v->ncl = text_block_cluster_count(tb);
    v->cl = g_new0(vclus, v->ncl + 1);
    for (int k = 0; k < v->ncl; k++) {
        text_cluster_info ci;
        text_block_cluster(tb, k, &ci);
        v->cl[k] = (vclus){ci.start, ci.end, ci.line, ci.x, ci.advance, ci.natural, ci.compressed};
    }
    link_lines(v);
    v->em = st->size_pt;
    v->measure = text_block_measure(tb);
    v->indent = st->indent_em * st->size_pt;
    v->pitch = st->pitch_pt;
    v->height = text_block_height(tb, 0, v->nlines);
    v->align = st->align;
    v->cjk_latin = st->cjk_latin_space_em * st->size_pt;
    v->normalize = st->normalize_punctuation;
    v->unknown = text_block_unknown_glyphs(tb);
}

static PangoLayout *pango_plain(PangoContext *ctx, const text_style *st, const char *text,
                                double width)
{
    PangoLayout *l = pango_layout_new(ctx);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, st->family);
    pango_font_description_set_absolute_size(fd, st->size_pt * PANGO_SCALE);
    pango_font_description_set_weight(fd, st->weight);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(l, text, -1);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE) + 1);
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
        pango_layout_set_justify(l, st->align == TEXT_JUSTIFY);
        if (st->align == TEXT_CENTER)
            pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
        pango_layout_set_indent(l, (int)(st->indent_em * st->size_pt * PANGO_SCALE));
    }
    return l;
}

/* The baseline: plain Pango (justify, indent) on the source text. */
static void view_from_pango(view *v, PangoContext *ctx, const text_style *st, const char *src,
                            double width)
{
    memset(v, 0, sizeof *v);
    v->text = g_strdup(src);
    v->text_len = (int)strlen(src);
    PangoLayout *nat = pango_plain(ctx, st, src, -1);
    double *natural = g_new0(double, v->text_len + 1);
    {
        PangoLayoutIter *it = pango_layout_get_iter(nat);
        do {
            PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
            if (!run)
                continue;
            for (int g = 0; g < run->glyphs->num_glyphs; g++)
                natural[run->item->offset + run->glyphs->log_clusters[g]] +=
                    run->glyphs->glyphs[g].geometry.width / (double)PANGO_SCALE;
        } while (pango_layout_iter_next_run(it));
        pango_layout_iter_free(it);
    }
    g_object_unref(nat);
    PangoLayout *l = pango_plain(ctx, st, src, width);
    v->nlines = pango_layout_get_line_count(l);
    v->lines = g_new0(vline, v->nlines + 1);
    v->cl = g_new0(vclus, v->text_len + 1);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    int li = 0;
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        PangoRectangle lr;
        pango_layout_iter_get_line_extents(it, NULL, &lr);
        v->lines[li].start = line->start_index;
        v->lines[li].len = line->length;
        v->lines[li].last = li == v->nlines - 1;
        double x = lr.x / (double)PANGO_SCALE;
        for (GSList *r = line->runs; r; r = r->next) {
            PangoGlyphItem *gi = r->data;
            for (int g = 0; g < gi->glyphs->num_glyphs; g++) {
                int cb = gi->item->offset + gi->glyphs->log_clusters[g];
                double w = gi->glyphs->glyphs[g].geometry.width / (double)PANGO_SCALE;
                if (v->ncl > 0 && v->cl[v->ncl - 1].start == cb) {
                    v->cl[v->ncl - 1].adv += w;
                } else {
                    v->cl[v->ncl++] = (vclus){cb, cb, li, x, w, natural[cb], 0};
                }
                x += w;
            }
        }
        li++;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    for (int k = 0; k < v->ncl; k++)
        v->cl[k].end = k + 1 < v->ncl ? v->cl[k + 1].start : v->text_len;
    link_lines(v);
    for (int i = 0; i < v->nlines; i++) {
        vline *L = &v->lines[i];
        int j = L->c1 - 1;
        while (j >= L->c0 && v->text[v->cl[j].start] == ' ')
            j--;
        L->x = L->c1 > L->c0 ? v->cl[L->c0].x : 0;
        /* Pango's logical width: its justification also widens the last
         * glyph's advance (the ink then ends up to one gap short) */
        L->width = j >= L->c0 ? v->cl[j].x + v->cl[j].adv - L->x : 0;
    }
    v->unknown = pango_layout_get_unknown_glyphs_count(l);
    g_object_unref(l);
    g_free(natural);
    v->em = st->size_pt;
    v->measure = width;
    v->indent = st->indent_em * st->size_pt;
    v->pitch = st->pitch_pt;
    v->height = v->nlines * st->pitch_pt;
    v->align = st->align;
    v->cjk_latin = st->cjk_latin_space_em * st->size_pt;
    v->normalize = st->normalize_punctuation;
}

/* ---- the checks ---- */

enum {
    R_KINSOKU_START, R_KINSOKU_END, R_SPLIT, R_RAGGED, R_SPACE_HOLE, R_EDGE_GAP,
    R_HAN_LATIN, R_COPY_GAP, R_PAIR, R_LINE_EDGE_MARK, R_CRAMPED, R_DASH, R_INDENT, R_LONE,
    R_PITCH, R_COVERAGE, R_MIXED_HOLE, R_COUNT
};
static const char *const rule_name[R_COUNT] = {
    "1 kinsoku: forbidden line start",
    "1 kinsoku: forbidden line end",
    "6 —— or …… split",
    "2 ragged (not flush to 0.1 pt)",
    "2 slack in one ASCII space",
    "4 space at a line edge",
    "4 Han-Latin gap missing",
    "4 gap > 0.1 em (copies as a space)",
    "3 mark pair not compressed",
    "3 line-edge mark not half width",
    "5 cramped ASCII punctuation",
    "6 —— not 2 em",
    "7 indent wrong (incl. opening quote)",
    "8 lone last character",
    "9 height != lines x pitch",
    "11 lines do not cover the text",
    "4 hole >= 0.55 em in a mixed line",
};

typedef struct stats {
    long faults[R_COUNT];
    long yielded[R_COUNT];   /* soft faults in paragraphs marked "#! conflict" */
    long checks, failed;
    long lines, pairs_compressed, han_latin_gaps, edge_halves, loose_lines, pushed_in;
    long unknown;
    long number_splits;      /* lines ending inside a number range or before its unit */
    double max_gap_em;
} stats;

static bool verbose;
static bool soft_ok;   /* the paragraph being checked is a marked conflict */

/* Rules that can conflict with each other in contrived text: the last line
 * may keep one character, or a line may stay loose, when nothing else
 * satisfies the hard rules (kinsoku, flush, compression …). */
static bool soft_rule(int rule)
{
    return rule == R_LONE || rule == R_COPY_GAP || rule == R_MIXED_HOLE;
}

static bool is_digit(gunichar c)
{
    return c >= '0' && c <= '9';
}

/* What may follow a number as its unit (GB/T 15835 keeps them together). */
static bool is_unit(gunichar c)
{
    static const char units[] = "年月日号时分秒个项家人名位户次元万亿千百倍岁座条台辆吨米里亩度份件套天周点例%％";
    return in_set(units, c);
}

/* Marks that join two numbers into a range: 1—9月, 2019—2020年, 3～5, 3~5, 3–5. */
static bool is_range_mark(gunichar c)
{
    return c == 0x2014 || c == 0x2015 || c == 0x2013 || c == 0xFF5E || c == 0x301C || c == '~';
}

static gunichar char_at(const view *v, int byte)
{
    return g_utf8_get_char(v->text + byte);
}

static gunichar last_char(const view *v, const vclus *c)
{
    const char *p = g_utf8_find_prev_char(v->text + c->start, v->text + c->end);
    return p ? g_utf8_get_char(p) : char_at(v, c->start);
}

static bool is_space_cluster(const view *v, const vclus *c)
{
    return v->text[c->start] == ' ';   /* a space, maybe with a format character */
}

/* visible clusters of a line: [c0, vis) */
static int visible_end(const view *v, const vline *L)
{
    int j = L->c1;
    while (j > L->c0 && is_space_cluster(v, &v->cl[j - 1]))
        j--;
    return j;
}

static void fault(stats *s, int *bad, int rule, const char *label, const view *v, int line,
                  const char *what)
{
    if (soft_ok && soft_rule(rule)) {
        s->yielded[rule]++;
        return;
    }
    s->faults[rule]++;
    (*bad)++;
    if (verbose) {
        const vline *L = line >= 0 && line < v->nlines ? &v->lines[line] : NULL;
        fprintf(stderr, "%s: %s: %s", label, rule_name[rule], what);
        if (L)
            fprintf(stderr, " [line %d: |%.*s|]", line, L->len, v->text + L->start);
        fputc('\n', stderr);
    }
}

static int count_content(const view *v, int c0, int c1)
{
    int n = 0;
    for (int k = c0; k < c1; k++) {
        gunichar c = char_at(v, v->cl[k].start);
        if (is_han(c) || g_unichar_isalnum(c))
            n++;
    }
    return n;
}

/* Returns the number of faults of one paragraph layout. */
static int check_view(const view *v, stats *s, const char *label)
{
    int bad = 0;
    double em = v->em, tol = 0.1;
    char buf[160];
    s->lines += v->nlines;
    s->unknown += v->unknown;
    /* 11: the lines cover the text, in order */
    int pos = 0;
    for (int i = 0; i < v->nlines; i++) {
        if (v->lines[i].start != pos) {
            fault(s, &bad, R_COVERAGE, label, v, i, "gap or overlap before the line");
            break;
        }
        pos = v->lines[i].start + v->lines[i].len;
    }
    if (pos != v->text_len && v->nlines > 0)
        fault(s, &bad, R_COVERAGE, label, v, v->nlines - 1, "text not covered");
    /* 9 */
    if (v->is_brief && fabs(v->height - v->nlines * v->pitch) > 1e-6)
        fault(s, &bad, R_PITCH, label, v, -1, "height");

    for (int i = 0; i < v->nlines; i++) {
        const vline *L = &v->lines[i];
        int vis = visible_end(v, L);
        if (vis <= L->c0)
            continue;
        const vclus *first = &v->cl[L->c0], *lastc = &v->cl[vis - 1];
        gunichar fc = char_at(v, first->start), lc = last_char(v, lastc);
        /* 1 */
        if (i > 0 && in_set(NO_START, fc)) {
            snprintf(buf, sizeof buf, "starts with %s", v->text + first->start);
            buf[strlen("starts with ") + (first->end - first->start)] = '\0';
            fault(s, &bad, R_KINSOKU_START, label, v, i, buf);
        }
        if (!L->last && in_set(NO_END, lc))
            fault(s, &bad, R_KINSOKU_END, label, v, i, "ends with an opening mark");
        /* 6: —— and …… are never split */
        if (!L->last && i + 1 < v->nlines) {
            const vline *N = &v->lines[i + 1];
            gunichar nc = char_at(v, N->start);
            if ((lc == 0x2014 && nc == 0x2014) || (lc == 0x2026 && nc == 0x2026))
                fault(s, &bad, R_SPLIT, label, v, i, "split pair");
        }
        /* 2: flush */
        double right = L->x + L->width;
        if (v->align == TEXT_JUSTIFY && !L->last) {
            if (fabs(right - v->measure) > tol) {
                snprintf(buf, sizeof buf, "ends at %.3f pt of %.3f", right, v->measure);
                fault(s, &bad, R_RAGGED, label, v, i, buf);
            }
        } else if (right > v->measure + tol) {
            snprintf(buf, sizeof buf, "overfull: ends at %.3f pt of %.3f", right, v->measure);
            fault(s, &bad, R_RAGGED, label, v, i, buf);
        }
        if (v->align == TEXT_JUSTIFY && i > 0 && fabs(L->x) > tol)
            fault(s, &bad, R_RAGGED, label, v, i, "does not start at the left edge");
        /* 7: indent, visually (an opening mark's blank half does not count) */
        if (i == 0 && v->align == TEXT_JUSTIFY) {
            double ink = first->x;
            if (in_set(OPENING_MARKS, fc) && first->natural > 0.9 * em)
                ink += 0.5 * em - first->comp;
            if (fabs(ink - v->indent) > tol) {
                snprintf(buf, sizeof buf, "text starts at %.2f em, indent is %.2f em", ink / em,
                         v->indent / em);
                fault(s, &bad, R_INDENT, label, v, i, buf);
            }
        }
        /* 4: nothing after the last glyph (no Han–Latin space at the edge) */
        double ink_end = lastc->x + lastc->natural - lastc->comp;
        if (v->is_brief && fabs(right - ink_end) > 0.01)
            fault(s, &bad, R_EDGE_GAP, label, v, i, "space after the last glyph");
        /* 3: what clreq and the line-edge rule ask of each full-width mark */
        int nvis = vis - L->c0;
        char *want = g_new0(char, nvis + 1);
        for (int k = L->c0; k < vis; k++) {
            const vclus *a = &v->cl[k];
            gunichar ac = last_char(v, a);
            bool full = a->natural > 0.9 * em && a->end - a->start == 3;
            if (!full)
                continue;
            if (k == L->c0 && in_set(OPENING_MARKS, ac) && i > 0)
                want[k - L->c0] = 'E';
            if (k == vis - 1 && in_set(CLOSING_MARKS, ac))
                want[k - L->c0] = 'E';
            if (k + 1 < vis) {
                const vclus *b = &v->cl[k + 1];
                gunichar bc = char_at(v, b->start);
                if (b->natural > 0.9 * em && b->end - b->start == 3) {
                    if (in_set(CLOSING_MARKS, ac) &&
                        (in_set(CLOSING_MARKS, bc) || in_set(OPENING_MARKS, bc)))
                        want[k - L->c0] = 'P';
                    else if (in_set(OPENING_MARKS, ac) && in_set(OPENING_MARKS, bc))
                        want[k + 1 - L->c0] = 'P';
                }
            }
        }
        double max_han_gap = 0, max_space_gap = 0, max_cjk_gap = 0, widest_gap = 0;
        char gapbuf[160] = "";
        int cjk_slots = 0;
        bool pushed = false;
        for (int k = L->c0; k < vis; k++) {
            const vclus *a = &v->cl[k];
            char w = want[k - L->c0];
            if (w && a->comp < 0.45 * em) {
                snprintf(buf, sizeof buf, "%.*s not compressed", a->end - a->start,
                         v->text + a->start);
                fault(s, &bad, w == 'P' ? R_PAIR : R_LINE_EDGE_MARK, label, v, i, buf);
            } else if (w == 'P') {
                s->pairs_compressed++;
            } else if (w == 'E' && k == vis - 1) {
                s->edge_halves++;
            }
            if (!w && a->comp > 0.01)
                pushed = true;
            if (k + 1 >= vis)
                break;
            const vclus *b = &v->cl[k + 1];
            gunichar ac = last_char(v, a), bc = char_at(v, b->start);
            double extra = (b->x - a->x) - (a->natural - a->comp);
            if (is_han(ac) && is_han(bc) && extra > max_han_gap)
                max_han_gap = extra;
            if (is_space_cluster(v, a) && extra > max_space_gap)
                max_space_gap = extra;
            bool wide_a = is_han(ac) || is_cjk_punct(ac) || (ac >= 0x2014 && ac <= 0x2026 && a->natural > 0.9 * em);
            bool wide_b = is_han(bc) || is_cjk_punct(bc) || (bc >= 0x2014 && bc <= 0x2026 && b->natural > 0.9 * em);
            if ((wide_a || wide_b) && !is_space_cluster(v, a) && !is_space_cluster(v, b)) {
                double e2 = extra;
                if ((is_han(ac) && is_latin_alnum(bc)) || (is_latin_alnum(ac) && is_han(bc)))
                    e2 -= v->cjk_latin;
                cjk_slots++;
                if (e2 > max_cjk_gap)
                    max_cjk_gap = e2;
            }
            /* 4: a gap wider than 0.1 em between glyphs copies out as a space */
            bool han_latin =
                (is_han(ac) && is_latin_alnum(bc)) || (is_latin_alnum(ac) && is_han(bc));
            if (!han_latin && !is_space_cluster(v, a) && !is_space_cluster(v, b) &&
                extra > 0.0995 * em) {
                if (extra > widest_gap) {
                    widest_gap = extra;
                    snprintf(gapbuf, sizeof gapbuf, "%.3f em between %.*s and %.*s", extra / em,
                             a->end - a->start, v->text + a->start, b->end - b->start,
                             v->text + b->start);
                }
            }
            /* 4: Han–Latin */
            if (v->cjk_latin > 0 &&
                ((is_han(ac) && is_latin_alnum(bc)) || (is_latin_alnum(ac) && is_han(bc)))) {
                if (extra < v->cjk_latin - 0.01) {
                    snprintf(buf, sizeof buf, "%.3f em between %.*s and %.*s", extra / em,
                             a->end - a->start, v->text + a->start, b->end - b->start,
                             v->text + b->start);
                    fault(s, &bad, R_HAN_LATIN, label, v, i, buf);
                } else {
                    s->han_latin_gaps++;
                }
            }
        }
        g_free(want);
        if (widest_gap > 0)
            fault(s, &bad, R_COPY_GAP, label, v, i, gapbuf);
        if (pushed)
            s->pushed_in++;
        if (max_han_gap > 0.0995 * em)
            s->loose_lines++;
        if (max_han_gap / em > s->max_gap_em)
            s->max_gap_em = max_han_gap / em;
        if (verbose && max_han_gap > 0.3 * em) {
            snprintf(buf, sizeof buf, "loose: %.2f em between Han characters", max_han_gap / em);
            fprintf(stderr, "%s: (note) %s [line %d: |%.*s|]\n", label, buf, i, L->len,
                    v->text + L->start);
        }
        /* 4: in a justified line with hanzi gaps and Latin, no white between two glyphs (a word
         * space or a Han–Latin space with what justification added) of 0.55 em or more:
         * the hanzi gaps share the stretch (issue #11) */
        if (v->align == TEXT_JUSTIFY && !L->last) {
            /* mixed: Latin letters or digits, and a gap between two hanzi to share the
             * stretch */
            bool han = false, latin = false;
            for (int k = L->c0; k < vis; k++) {
                gunichar c = char_at(v, v->cl[k].start), d = last_char(v, &v->cl[k]);
                latin = latin || is_latin_alnum(c);
                if (k + 1 < vis) {
                    gunichar e = char_at(v, v->cl[k + 1].start);
                    han = han || (is_han(d) && is_han(e));
                }
            }
            double prev_end = -1;
            for (int k = L->c0; k < vis && han && latin; k++) {
                const vclus *a = &v->cl[k];
                if (is_space_cluster(v, a))
                    continue;
                double lead = a->x;   /* the left blank of an opening mark is not white */
                if (prev_end >= 0 && lead - prev_end >= 0.55 * em) {
                    snprintf(buf, sizeof buf, "%.2f em of white before %.*s", (lead - prev_end) / em,
                             a->end - a->start, v->text + a->start);
                    fault(s, &bad, R_MIXED_HOLE, label, v, i, buf);
                    break;
                }
                prev_end = a->x + a->natural - a->comp;
            }
        }
        /* 12 (counted, not a fault: only where the line has room): a line does not end
         * inside a number's range or between a number and the unit, 年/月/日 or %
         * written right after it (GB/T 15835) */
        if (!L->last && i + 1 < v->nlines) {
            const vline *N = &v->lines[i + 1];
            gunichar nc = char_at(v, N->start);
            gunichar pc = vis - 2 >= L->c0 ? last_char(v, &v->cl[vis - 2]) : 0;
            gunichar nn = N->start + 1 < v->text_len ? g_utf8_get_char(g_utf8_next_char(v->text + N->start)) : 0;
            if ((is_digit(lc) && is_unit(nc)) || (is_digit(lc) && is_range_mark(nc) && is_digit(nn)) ||
                (is_range_mark(lc) && is_digit(pc) && is_digit(nc))) {
                s->number_splits++;
                if (verbose)
                    fprintf(stderr, "%s: (note) number split from its unit or range [line %d: |%.*s|]\n",
                            label, i, L->len, v->text + L->start);
            }
        }
        /* avoidable: the gaps beside CJK characters could have taken more */
        if (v->align == TEXT_JUSTIFY && !L->last && cjk_slots > 0 && max_space_gap > 0.3 * em &&
            max_cjk_gap < 0.09 * em)
            fault(s, &bad, R_SPACE_HOLE, label, v, i, "a space takes the slack");
    }
    /* 6: every —— is exactly 2 em */
    for (int k = 0; k < v->ncl; k++) {
        const vclus *a = &v->cl[k];
        if (char_at(v, a->start) != 0x2014)
            continue;
        if (k > 0 && last_char(v, &v->cl[k - 1]) == 0x2014)
            continue;   /* counted from the first dash */
        double w = a->natural;
        int m = k + 1;
        int dashes = g_utf8_strlen(v->text + a->start, a->end - a->start);
        while (m < v->ncl && char_at(v, v->cl[m].start) == 0x2014 && dashes < 2) {
            w += v->cl[m].natural;
            dashes += g_utf8_strlen(v->text + v->cl[m].start, v->cl[m].end - v->cl[m].start);
            m++;
        }
        if (dashes == 2 && fabs(w - 2 * em) > 0.01) {
            snprintf(buf, sizeof buf, "—— is %.3f em", w / em);
            fault(s, &bad, R_DASH, label, v, a->line, buf);
        }
    }
    /* 5: ASCII punctuation against Chinese */
    if (v->normalize) {
        glong n = 0;
        gunichar *u = g_utf8_to_ucs4_fast(v->text, -1, &n);
        for (glong k = 0; k < n; k++) {
            gunichar c = u[k];
            bool cramped = false;
            if (c == ',' || c == ':' || c == ';' || c == '?' || c == '!') {
                gunichar l = k > 0 ? u[k - 1] : 0, r = k + 1 < n ? u[k + 1] : 0;
                cramped = is_han(l) || is_han(r) || is_cjk_punct(l) || is_cjk_punct(r);
            } else if (c == '(') {
                for (glong m = k + 1; m < n && u[m] != ')' && u[m] != '('; m++)
                    if (is_han(u[m]))
                        cramped = true;
            }
            if (cramped) {
                snprintf(buf, sizeof buf, "ASCII %c at character %ld", (char)c, k);
                fault(s, &bad, R_CRAMPED, label, v, -1, buf);
            }
        }
        g_free(u);
    }
    /* 8: no lone character on the last line */
    if (v->nlines >= 2) {
        const vline *L = &v->lines[v->nlines - 1];
        if (count_content(v, L->c0, L->c1) < 2 && count_content(v, 0, v->ncl) >= 2)
            fault(s, &bad, R_LONE, label, v, v->nlines - 1, "one character on the last line");
    }
    s->checks++;
    if (bad)
        s->failed++;
    return bad;
}

/* ---- corpus ---- */

typedef struct para {
    char *text;
    char *where;     /* file:line */
    int kind;        /* 0 body, 1 heading, 2 title/centred, 3 lead, 4 small centred */
    bool conflict;   /* marked "#! conflict": the soft rules may yield */
} para;

typedef struct corpus {
    para *p;
    int n, cap;
} corpus;

static void add_para(corpus *c, const char *text, const char *where, int kind, bool conflict)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->p = g_renew(para, c->p, c->cap);
    }
    c->p[c->n++] = (para){g_strdup(text), g_strdup(where), kind, conflict};
}

static void load_txt(corpus *c, const char *path)
{
    char *data = NULL;
    if (!g_file_get_contents(path, &data, NULL, NULL)) {
        fprintf(stderr, "typo_check: cannot read %s\n", path);
        exit(2);
    }
    GString *cur = g_string_new(NULL);
    int lineno = 0, start = 0;
    bool conflict = false;
    char **lines = g_strsplit(data, "\n", -1);
    for (char **l = lines;; l++) {
        lineno++;
        bool end = *l == NULL;
        char *s = end ? NULL : g_strstrip(*l);
        if (end || *s == '\0') {
            if (cur->len) {
                char where[512];
                snprintf(where, sizeof where, "%s:%d", path, start);
                add_para(c, cur->str, where, 0, conflict);
                g_string_truncate(cur, 0);
                conflict = false;
            }
            if (end)
                break;
            continue;
        }
        if (*s == '#') {
            if (!strncmp(s, "#! conflict", 11))
                conflict = true;
            continue;
        }
        if (!cur->len)
            start = lineno;
        else
            g_string_append_c(cur, ' ');
        g_string_append(cur, s);
    }
    g_strfreev(lines);
    g_string_free(cur, TRUE);
    g_free(data);
}

static void load_sample(corpus *c, const char *path)
{
    char *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &data, &len, NULL)) {
        fprintf(stderr, "typo_check: cannot read %s\n", path);
        exit(2);
    }
    cJSON *root = cJSON_ParseWithLength(data, len);
    cJSON *body = cJSON_GetObjectItem(root, "body");
    int i = 0;
    cJSON *b;
    cJSON_ArrayForEach(b, body)
    {
        const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(b, "type"));
        const char *text = cJSON_GetStringValue(cJSON_GetObjectItem(b, "text"));
        const char *cap = cJSON_GetStringValue(cJSON_GetObjectItem(b, "caption"));
        char where[512];
        snprintf(where, sizeof where, "%s:body[%d]", path, i++);
        if (!type)
            continue;
        if (text && !strcmp(type, "paragraph"))
            add_para(c, text, where, 0, false);
        else if (text && !strcmp(type, "heading"))
            add_para(c, text, where, 1, false);
        else if (text && !strcmp(type, "title"))
            add_para(c, text, where, 2, false);
        else if (text && !strcmp(type, "lead"))
            add_para(c, text, where, 3, false);
        else if (text && !strcmp(type, "byline"))
            add_para(c, text, where, 4, false);
        if (cap && *cap)
            add_para(c, cap, where, 4, false);
    }
    cJSON_Delete(root);
    g_free(data);
}

/* ---- styles and measures ---- */

#define BODY 10.5

static text_style style_of(int kind)
{
    text_style st = {
        .family = FAMILY_SERIF, .size_pt = BODY, .weight = 400, .pitch_pt = BODY * 1.7,
        .indent_em = 2, .align = TEXT_JUSTIFY, .cjk_latin_space_em = 0.25,
        .normalize_punctuation = true, .rgb = {0, 0, 0},
    };
    switch (kind) {
    case 1:
        st.family = FAMILY_SANS;
        st.weight = 700;
        st.size_pt = 14;
        st.pitch_pt = 2 * BODY * 1.7;
        st.indent_em = 0;
        st.align = TEXT_LEFT;
        break;
    case 2:
        st.family = FAMILY_SANS;
        st.weight = 700;
        st.size_pt = 21;
        st.pitch_pt = 21 * 1.35;
        st.indent_em = 0;
        st.align = TEXT_CENTER;
        break;
    case 4:
        st.family = FAMILY_SANS;
        st.size_pt = 9;
        st.pitch_pt = BODY * 1.7;
        st.indent_em = 0;
        st.align = TEXT_CENTER;
        break;
    default:
        break;
    }
    return st;
}

/* Body measures in em: every whole em from 10 to 46, and some off-grid ones. */
static int body_widths(double *w)
{
    int n = 0;
    for (int e = 10; e <= 46; e++)
        w[n++] = e;
    w[n++] = 12.5;
    w[n++] = 23.3;
    w[n++] = 31.7;
    w[n++] = 44.95;
    return n;
}

/* ---- PDF output ---- */

typedef struct pdf_out {
    cairo_surface_t *surf;
    cairo_t *cr;
    double y, page_h;
    GString *expect;      /* the set text, paragraph by paragraph */
} pdf_out;

static void pdf_para(pdf_out *po, const text_block *tb, double width, bool guides)
{
    int n = text_block_line_count(tb);
    double h = text_block_height(tb, 0, n);
    if (po->y + h > po->page_h - 36) {
        cairo_show_page(po->cr);
        po->y = 36;
    }
    if (guides) {
        cairo_save(po->cr);
        cairo_set_source_rgb(po->cr, 0.3, 0.6, 1.0);
        cairo_set_line_width(po->cr, 0.3);
        cairo_move_to(po->cr, 36, po->y);
        cairo_line_to(po->cr, 36, po->y + h);
        cairo_move_to(po->cr, 36 + width, po->y);
        cairo_line_to(po->cr, 36 + width, po->y + h);
        cairo_stroke(po->cr);
        cairo_restore(po->cr);
    }
    text_block_draw(tb, po->cr, 0, n, 36, po->y);
    po->y += h + 8;
    g_string_append(po->expect, text_block_text(tb));
    g_string_append_c(po->expect, '\n');
}

static char *strip_ws(const char *s)
{
    GString *g = g_string_new(NULL);
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (!g_unichar_isspace(c) && c != 0x0C)
            g_string_append_unichar(g, c);
    }
    return g_string_free(g, FALSE);
}

/* pdftotext must give back the set text: same characters, and no space
 * between two Han characters that the text does not have.  -raw reads the
 * text in drawing order: its layout analysis takes a line such as
 * "研究组　　2020年" (2 em of ideographic space) for two columns and moves
 * "2020年" after the next line, which says nothing about the PDF's text. */
static int pdf_compare(const char *pdf, const char *expect)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "pdftotext -raw -enc UTF-8 '%s' -", pdf);
    FILE *fp = popen(cmd, "r");
    if (!fp) {
        fprintf(stderr, "typo_check: cannot run pdftotext\n");
        return 1;
    }
    GString *got = g_string_new(NULL);
    char buf[65536];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, fp)) > 0)
        g_string_append_len(got, buf, k);
    int rc = pclose(fp);
    if (rc != 0) {
        fprintf(stderr, "typo_check: pdftotext failed\n");
        g_string_free(got, TRUE);
        return 1;
    }
    int faults = 0;
    char *a = strip_ws(got->str), *b = strip_ws(expect);
    if (strcmp(a, b) != 0) {
        faults++;
        size_t i = 0;
        while (a[i] && a[i] == b[i])
            i++;
        while (i > 0 && (a[i] & 0xC0) == 0x80)
            i--;
        fprintf(stderr, "pdftotext differs at byte %zu:\n  pdf:  %.60s\n  text: %.60s\n", i,
                a + i, b + i);
    }
    /* Han, space, Han where the text has no such space */
    glong n = 0;
    gunichar *u = g_utf8_to_ucs4_fast(got->str, -1, &n);
    int spurious = 0;
    for (glong i = 1; i + 1 < n; i++) {
        if (u[i] != ' ' || !is_han(u[i - 1]) || !is_han(u[i + 1]))
            continue;
        char probe[16];
        int m = g_unichar_to_utf8(u[i - 1], probe);
        probe[m++] = ' ';
        m += g_unichar_to_utf8(u[i + 1], probe + m);
        probe[m] = '\0';
        if (!strstr(expect, probe)) {
            if (spurious < 5)
                fprintf(stderr, "pdftotext: spurious space in \"%s\"\n", probe);
            spurious++;
        }
    }
    g_free(u);
    printf("pdftotext: %s, %d spurious spaces between Han characters\n",
           strcmp(a, b) == 0 ? "text identical (whitespace aside)" : "TEXT DIFFERS", spurious);
    g_free(a);
    g_free(b);
    g_string_free(got, TRUE);
    return faults + spurious;
}

static pdf_out *pdf_open(const char *path)
{
    pdf_out *po = g_new0(pdf_out, 1);
    po->page_h = 842;
    po->surf = cairo_pdf_surface_create(path, 595, po->page_h);
    po->cr = cairo_create(po->surf);
    po->y = 36;
    po->expect = g_string_new(NULL);
    return po;
}

static int pdf_close(pdf_out *po, const char *path, bool compare)
{
    cairo_destroy(po->cr);
    cairo_surface_finish(po->surf);
    int bad = cairo_surface_status(po->surf) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(po->surf);
    if (bad)
        fprintf(stderr, "typo_check: cairo error writing %s\n", path);
    if (compare)
        bad += pdf_compare(path, po->expect->str);
    g_string_free(po->expect, TRUE);
    g_free(po);
    return bad;
}

/* ---- main ---- */

static void print_padded(const char *s, int width)
{
    int n = (int)g_utf8_strlen(s, -1);
    printf("  %s%*s", s, width - 2 - n > 0 ? width - 2 - n : 1, "");
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Random paragraphs from an alphabet of every class the engine knows, and
 * some it should merely survive (combining marks, emoji, Arabic, format
 * characters).  Checks only what holds for any text. */
static int fuzz(PangoContext *ctx, int n)
{
    static const char *const pieces[] = {
        "开", "发", "区", "项", "目", "，", "。", "、", "；", "：", "？", "！", "（", "）",
        "“", "”", "‘", "’", "《", "》", "【", "】", "……", "——", "·", "%", " ", "  ",
        "2020", "ix35", "Apollo", "3.5", "10:30", ",", ":", "(", ")", "!", "?", "-",
        "https://example.com/a/b", "supercalifragilistic", "　", "\u200b", "\u2060",
        "e\xcc\x81", "\xf0\x9f\x98\x80", "\xd8\xb9\xd8\xb1\xd8\xa8", "\t", "\n",
        "\xef\xbf\xbd", "喆", "𠮷", "々", "〇", "～", "—", "…", "'", "\"",
    };
    const int np = sizeof pieces / sizeof pieces[0];
    guint32 seed = 12345;
    int bad = 0;
    for (int k = 0; k < n; k++) {
        GString *g = g_string_new(NULL);
        seed = seed * 1103515245u + 12345u;
        int len = (int)(seed >> 16) % 60;
        for (int i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            g_string_append(g, pieces[(seed >> 16) % np]);
        }
        seed = seed * 1103515245u + 12345u;
        text_style st = style_of((int)(seed >> 16) % 3);
        st.normalize_punctuation = (seed >> 20) & 1;
        double width = (6 + (seed >> 8) % 40) * st.size_pt;
        text_block *tb = text_block_new(ctx, &st, g->str, width);
        view v;
        view_from_block(&v, tb, &st);
        int pos = 0;
        for (int i = 0; i < v.nlines; i++) {
            const vline *L = &v.lines[i];
            if (L->start != pos) {
                bad++;
                if (verbose)
                    fprintf(stderr, "fuzz %d: line %d does not follow: |%s|\n", k, i, v.text);
            }
            pos = L->start + L->len;
            int nvis = visible_end(&v, L) - L->c0;
            if (st.align == TEXT_JUSTIFY && !L->last && nvis > 1 &&
                fabs(L->x + L->width - v.measure) > 0.1) {
                bad++;
                if (verbose)
                    fprintf(stderr, "fuzz %d: line %d ends at %.2f of %.2f: |%.*s| in |%s|\n", k,
                            i, L->x + L->width, v.measure, L->len, v.text + L->start, v.text);
            }
        }
        if (v.nlines > 0 && pos != v.text_len)
            bad++;
        cairo_surface_t *s = cairo_pdf_surface_create_for_stream(NULL, NULL, 595, 842);
        cairo_t *cr = cairo_create(s);
        text_block_draw(tb, cr, 0, text_block_line_count(tb), 10, 10);
        cairo_destroy(cr);
        cairo_surface_destroy(s);
        view_free(&v);
        text_block_free(tb);
        g_string_free(g, TRUE);
    }
    printf("fuzz: %d paragraphs, %d faults\n", n, bad);
    return bad;
}

static void bench(PangoContext *ctx, const corpus *c, int rounds)
{
    double widths[64];
    int nw = body_widths(widths);
    /* render to a PDF that is thrown away: layout + drawing, both engines;
     * the first two passes only warm the glyph caches */
    for (int pass = 0; pass < 4; pass++) {
        int engine = pass % 2;
        bool warm = pass < 2;
        double t0 = now(), t_layout = 0;
        long n = 0;
        for (int r = 0; r < (warm ? 1 : rounds); r++) {
            cairo_surface_t *s = cairo_pdf_surface_create_for_stream(NULL, NULL, 595, 842);
            cairo_t *cr = cairo_create(s);
            for (int i = 0; i < c->n; i++) {
                text_style st = style_of(c->p[i].kind);
                for (int w = 0; w < nw; w += 6) {
                    double width = widths[w] * BODY;
                    double t1 = now();
                    if (engine == 0) {
                        PangoLayout *l = pango_plain(ctx, &st, c->p[i].text, width);
                        pango_layout_get_line_count(l);
                        t_layout += now() - t1;
                        cairo_move_to(cr, 36, 36);
                        pango_cairo_show_layout(cr, l);
                        g_object_unref(l);
                    } else {
                        text_block *tb = text_block_new(ctx, &st, c->p[i].text, width);
                        t_layout += now() - t1;
                        text_block_draw(tb, cr, 0, text_block_line_count(tb), 36, 36);
                        text_block_free(tb);
                    }
                    n++;
                }
                if (i % 20 == 19)
                    cairo_show_page(cr);
            }
            cairo_destroy(cr);
            cairo_surface_finish(s);
            cairo_surface_destroy(s);
        }
        double t = now() - t0;
        if (warm)
            continue;
        printf("bench %-14s %6ld paragraphs: layout %7.1f us each, layout+draw+PDF %7.1f us each\n",
               engine == 0 ? "plain Pango" : "brief text", n, t_layout / n * 1e6, t / n * 1e6);
    }
}

int main(int argc, char **argv)
{
    const char *sample = NULL, *pdf = NULL, *demo = NULL, *font_dir = "fonts";
    bool use_pango = false, only_sample = false;
    int bench_rounds = 0, fuzz_n = 0;
    corpus c = {0};
    GPtrArray *files = g_ptr_array_new();
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--sample") && i + 1 < argc)
            sample = argv[++i];
        else if (!strcmp(argv[i], "--only-sample"))
            only_sample = true;
        else if (!strcmp(argv[i], "--pango"))
            use_pango = true;
        else if (!strcmp(argv[i], "--pdf") && i + 1 < argc)
            pdf = argv[++i];
        else if (!strcmp(argv[i], "--demo") && i + 1 < argc)
            demo = argv[++i];
        else if (!strcmp(argv[i], "--bench") && i + 1 < argc)
            bench_rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--fuzz") && i + 1 < argc)
            fuzz_n = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--fonts") && i + 1 < argc)
            font_dir = argv[++i];
        else if (!strcmp(argv[i], "-v"))
            verbose = true;
        else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: typo_check [--sample F.json] [--only-sample] [--pango] "
                            "[--pdf F.pdf] [--demo F.pdf] [--bench N] [--fonts DIR] [-v] "
                            "[FILE.txt ...]\n");
            return 2;
        } else
            g_ptr_array_add(files, argv[i]);
    }
    if (!only_sample) {
        if (files->len == 0) {
            glob_t g;
            if (glob("tests/typo/*.txt", 0, NULL, &g) == 0) {
                for (size_t i = 0; i < g.gl_pathc; i++)
                    load_txt(&c, g.gl_pathv[i]);
                globfree(&g);
            }
        }
        for (guint i = 0; i < files->len; i++)
            load_txt(&c, files->pdata[i]);
    }
    if (sample)
        load_sample(&c, sample);
    if (c.n == 0) {
        fprintf(stderr, "typo_check: no paragraphs (run from the project root)\n");
        return 2;
    }
    brief_diag *diag = brief_diag_new();
    brief_engine *engine =
        brief_engine_new(&(brief_engine_options){.font_dir = font_dir, .system_fallback = 1}, diag);
    if (!engine) {
        fprintf(stderr, "typo_check: no engine (fonts in %s?)\n", font_dir);
        return 2;
    }
    PangoContext *ctx = engine_context(engine);

    if (fuzz_n > 0) {
        int bad = fuzz(ctx, fuzz_n);
        g_object_unref(ctx);
        brief_engine_free(engine);
        brief_diag_free(diag);
        printf("%d passed, %d failed\n", bad ? 0 : 1, bad ? 1 : 0);
        return bad ? 1 : 0;
    }
    if (bench_rounds > 0) {
        bench(ctx, &c, bench_rounds);
        g_object_unref(ctx);
        brief_engine_free(engine);
        brief_diag_free(diag);
        return 0;
    }

    int bad_pdf = 0;
    if (demo) {
        /* a few paragraphs at three measures, with the measure drawn */
        pdf_out *po = pdf_open(demo);
        const double dw[] = {12, 21, 31};
        for (int w = 0; w < 3; w++) {
            for (int i = 0; i < c.n && i < 400; i++) {
                if (i % 3 != 0 && c.n > 30)
                    continue;
                text_style st = style_of(c.p[i].kind);
                text_block *tb = text_block_new(ctx, &st, c.p[i].text, dw[w] * BODY);
                pdf_para(po, tb, dw[w] * BODY, true);
                text_block_free(tb);
            }
            cairo_show_page(po->cr);
            po->y = 36;
        }
        bad_pdf += pdf_close(po, demo, true);
        printf("demo written to %s\n", demo);
    }

    stats s = {0};
    pdf_out *po = pdf ? pdf_open(pdf) : NULL;
    double widths[64];
    int nw = body_widths(widths);
    double t_engine = 0;
    for (int i = 0; i < c.n; i++) {
        text_style st = style_of(c.p[i].kind);
        soft_ok = c.p[i].conflict;
        for (int w = 0; w < nw; w++) {
            double width = widths[w] * BODY;
            if (c.p[i].kind == 3)
                width -= 2 * BODY;
            if (width < 8 * st.size_pt)
                continue;
            char label[600];
            snprintf(label, sizeof label, "%s @%.2fem", c.p[i].where, widths[w]);
            view v;
            if (use_pango) {
                view_from_pango(&v, ctx, &st, c.p[i].text, width);
                check_view(&v, &s, label);
            } else {
                double t0 = now();
                text_block *tb = text_block_new(ctx, &st, c.p[i].text, width);
                t_engine += now() - t0;
                view_from_block(&v, tb, &st);
                check_view(&v, &s, label);
                if (po && c.p[i].kind == 0 && !c.p[i].conflict)
                    pdf_para(po, tb, width, false);
                text_block_free(tb);
            }
            view_free(&v);
            /* the same paragraph as a left-aligned heading and centred */
            if (c.p[i].kind == 0 && w % 6 == 0) {
                for (int k = 1; k <= 2; k++) {
                    text_style hs = style_of(k);
                    double hw = width;
                    if (hw < 6 * hs.size_pt)
                        continue;
                    snprintf(label, sizeof label, "%s @%.2fem as %s", c.p[i].where, widths[w],
                             k == 1 ? "heading" : "title");
                    if (use_pango) {
                        view_from_pango(&v, ctx, &hs, c.p[i].text, hw);
                    } else {
                        text_block *tb = text_block_new(ctx, &hs, c.p[i].text, hw);
                        view_from_block(&v, tb, &hs);
                        text_block_free(tb);
                    }
                    check_view(&v, &s, label);
                    view_free(&v);
                }
            }
        }
    }
    if (po)
        bad_pdf += pdf_close(po, pdf, true);

    printf("%s on %d paragraphs, %ld lines, measures 10-46 em\n",
           use_pango ? "plain Pango (baseline)" : "brief text engine", c.n, s.lines);
    for (int r = 0; r < R_COUNT; r++) {
        print_padded(rule_name[r], 46);
        printf("%6ld", s.faults[r]);
        if (s.yielded[r])
            printf("   (+%ld in paragraphs marked as rule conflicts)", s.yielded[r]);
        printf("\n");
    }
    printf("  %-44s%6ld\n", "(compressed mark pairs)", s.pairs_compressed);
    printf("  %-44s%6ld\n", "(line-end marks set half width)", s.edge_halves);
    printf("  %-44s%6ld\n", "(Han-Latin gaps set)", s.han_latin_gaps);
    printf("  %-44s%6ld\n", "(lines pushed in)", s.pushed_in);
    printf("  %-44s%6ld (max %.3f em)\n", "(lines with a Han gap >= 0.1 em)", s.loose_lines,
           s.max_gap_em);
    printf("  %-44s%6ld\n", "(number split from its unit or range)", s.number_splits);
    printf("  %-44s%6ld\n", "(glyphs missing from every font)", s.unknown);
    if (!use_pango && s.checks)
        printf("  engine time: %.1f us per paragraph layout\n", t_engine / s.checks * 1e6);
    printf("%ld passed, %ld failed\n", s.checks - s.failed, s.failed + (bad_pdf ? 1 : 0));
    g_object_unref(ctx);
    brief_engine_free(engine);
    brief_diag_free(diag);
    for (int i = 0; i < c.n; i++) {
        g_free(c.p[i].text);
        g_free(c.p[i].where);
    }
    g_free(c.p);
    g_ptr_array_free(files, TRUE);
    return (s.failed || bad_pdf) ? 1 : 0;
}
