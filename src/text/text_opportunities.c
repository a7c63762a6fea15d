/*
 * text_opportunities.c — what each slot between two clusters allows.
 *
 * Takes the clusters of one paragraph with their characters, natural
 * advances and compressible blanks; gives every slot its break
 * opportunity and penalty, its Han–Latin glue, its pair compression and
 * what justification may stretch, and sets the width of word spaces.
 * Guarantees (clreq): no break before ，。、；：？！）」』”’》… · % etc.,
 * none after （「『“‘《 etc., none inside —— or …… (kinsoku: such slots
 * cost COST_FORBIDDEN, which tx_break pays only inside a run of marks
 * longer than most of a line); breaks inside a number range, between a
 * number and its unit, inside a word or after a hyphen cost more than a
 * re-break within the spacing limits.
 */
#include "text/text_internal.h"

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

/* Character classes of the first and last character of every cluster. */
static cls *classify_ends(const tx_cluster *c, int n)
{
    cls *q = g_new(cls, n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        q[i].kf = (uint8_t)tx_char_class(c[i].first);
        q[i].kl = c[i].last == c[i].first ? q[i].kf : (uint8_t)tx_char_class(c[i].last);
        q[i].wf = wide_first(&c[i]);
        q[i].wl = c[i].last == c[i].first ? q[i].wf : wide_last(&c[i]);
    }
    return q;
}

/* What counts for the lone-character rule. */
static void mark_content(tx_cluster *c, int n, const cls *q)
{
    for (int i = 0; i < n; i++) {
        tx_class k = (tx_class)q[i].kf;
        if (k == TX_HAN || k == TX_ALNUM || k == TX_OTHER)
            c[i].flags |= TXF_CONTENT;
        else
            c[i].flags &= (uint8_t)~TXF_CONTENT;
    }
}

/* Space widths: between two CJK characters an en space, between Han and
 * Latin the Han–Latin space, elsewhere the font's own. */
static void set_space_widths(tx_cluster *c, int n, const cls *q, const tx_params *p)
{
    for (int i = 0; i < n; i++) {
        if (!(c[i].flags & TXF_SPACE) || i == 0 || i == n - 1)
            continue;
        uint8_t a = q[i - 1].kl, b = q[i + 1].kf;
        if (q[i - 1].wl && q[i + 1].wf)
            c[i].adv = 0.5 * p->em;
        else if (p->cjk_latin > 0 && ((a == TX_HAN && b == TX_ALNUM) || (a == TX_ALNUM && b == TX_HAN)))
            c[i].adv = p->cjk_latin;
    }
}

/* Words: runs of clusters that are neither CJK nor spaces.  Sets the
 * scratch field `line` to 1 inside a word wider than long_word (a URL),
 * where a break is cheap, else 0. */
static void mark_long_words(tx_cluster *c, int n, const cls *q, double long_word)
{
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
                c[k].line = 1;
        ww = 0;
    }
}

/* Han–Latin glue and pair compression (clreq 3.1.6: the blank between
 * two marks goes) of the slot after a. */
static void set_glue_and_pair(tx_cluster *a, const tx_cluster *b, uint8_t ka, uint8_t kb,
                              const tx_params *p)
{
    if (!(a->flags & TXF_SPACE) && !(b->flags & TXF_SPACE) &&
        ((ka == TX_HAN && kb == TX_ALNUM) || (ka == TX_ALNUM && kb == TX_HAN)))
        a->glue = p->cjk_latin;
    if (a->blank > 0 && b->blank > 0) {
        if (a->side == TX_SIDE_RIGHT)
            a->pair = 1;
        else if (b->side == TX_SIDE_LEFT)
            a->pair = 2;
    }
}

/* A break allowed after cluster i, with mild preferences: keep 2020年
 * and 中南高科·沧州 together.  pdftotext joins a line ending in a hyphen
 * with the next one and drops the hyphen: break after one only as a last
 * resort. */
static void price_allowed_break(tx_cluster *c, int n, int i, uint8_t ka)
{
    tx_cluster *a = &c[i];
    gunichar la = a->last;
    a->brk = TX_BRK_OK;
    if (a->glue > 0)
        a->penalty = 8;
    if (ka == TX_MIDDOT)
        a->penalty = 40;
    if (la == '-' || la == 0x2010)
        a->penalty = COST_EMERGENCY;
    else if (splits_range(c, n, i))
        a->penalty = COST_RANGE;
    else if (splits_number(c, i))
        a->penalty = COST_NUMBER;
    else if (splits_date(c, i))
        a->penalty = COST_NUMBER / 2;
}

/* The break opportunity of the slot after cluster i (not a \n). */
static void set_break(tx_cluster *c, int n, int i, const cls *q, bool long_word_here)
{
    tx_cluster *a = &c[i];
    const tx_cluster *b = &c[i + 1];
    bool wa = q[i].wl, wb = q[i + 1].wf;
    uint8_t ka = q[i].kl, kb = q[i + 1].kf;
    if ((b->flags & (TXF_SPACE | TXF_NEWLINE)) || no_start(kb) || ka == TX_OPEN ||
        (ka == TX_DASH && kb == TX_DASH) || (a->flags & TXF_NOBREAK)) {
        a->brk = TX_BRK_FORBIDDEN;
        a->penalty = COST_FORBIDDEN;
    } else if ((a->flags & (TXF_SPACE | TXF_ZWSP)) || wa || wb || (b->flags & TXF_UAX14)) {
        price_allowed_break(c, n, i, ka);
    } else if (b->flags & TXF_CURSOR) {
        a->brk = TX_BRK_EMERGENCY;
        a->penalty = long_word_here ? COST_LONG_WORD : COST_EMERGENCY;
        if (!long_word_here && (b->first == '(' || b->first == '[') && ka == TX_ALNUM)
            a->penalty = COST_BEFORE_PAREN;
    } else {
        a->brk = TX_BRK_FORBIDDEN;
        a->penalty = COST_FORBIDDEN;
    }
}

/* Glue, pair compression, break and stretch of the slot after cluster i
 * (the last cluster's slot stays empty). */
static void prepare_slot(tx_cluster *c, int n, int i, const cls *q, const tx_params *p)
{
    tx_cluster *a = &c[i];
    bool long_word_here = a->line;
    a->glue = 0;
    a->pair = 0;
    a->stretch = STRETCH_NONE;
    a->penalty = 0;
    a->brk = TX_BRK_OK;
    a->line = 0;
    if (i == n - 1)
        return;
    set_glue_and_pair(a, &c[i + 1], q[i].kl, q[i + 1].kf, p);
    if (a->flags & TXF_NEWLINE)
        return;   /* the forced break itself: tx_break takes it */
    set_break(c, n, i, q, long_word_here);
    if (a->brk == TX_BRK_OK && q[i].kl != TX_MIDDOT && q[i + 1].kf != TX_MIDDOT) {
        if (a->flags & TXF_SPACE)
            a->stretch = STRETCH_SPACE;
        else if (q[i].wl || q[i + 1].wf)
            a->stretch = STRETCH_CJK;
    }
}

void tx_prepare(tx_cluster *c, int n, const tx_params *p)
{
    cls *q = classify_ends(c, n);
    mark_content(c, n, q);
    set_space_widths(c, n, q, p);
    mark_long_words(c, n, q, 8 * p->em);
    for (int i = 0; i < n; i++)
        prepare_slot(c, n, i, q, p);
    g_free(q);
}
