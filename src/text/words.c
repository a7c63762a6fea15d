/*
 * words.c — allowed line breaks of a label (see words.h).
 *
 * Takes a UTF-8 label; gives break offsets.  ICU's word iterator for "zh"
 * proposes boundaries (its dictionary splits finely: 机器|人, 针|纺织|品);
 * the refinements below only ever remove boundaries, in this order:
 * prohibitions (kinsoku, Latin and number runs, number + unit, short
 * brackets), then the lone-character rule, which sees the pieces the
 * others left.  Character classes and the kinsoku sets are the text
 * engine's (text_prep.c), so labels and paragraphs obey the same rules.
 */
#include "text/words.h"
#include "text/text_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

/* ---- the ICU iterator, opened once ---- */

/* a pthread mutex, not G_LOCK: GMutex is a bare futex that thread checkers
 * (helgrind) cannot see, so every guarded access would read as a race */
static pthread_mutex_t words_icu = PTHREAD_MUTEX_INITIALIZER;
static UBreakIterator *icu_words;   /* guarded by words_icu */
static double icu_open_ms;

/* The cached iterator (NULL if ICU cannot open it); caller holds the lock. */
static UBreakIterator *word_iterator(void)
{
    static bool tried;
    if (!tried) {
        tried = true;
        gint64 t0 = g_get_monotonic_time();
        UErrorCode st = U_ZERO_ERROR;
        icu_words = ubrk_open(UBRK_WORD, "zh", NULL, 0, &st);
        /* ICU loads its Chinese dictionary at the first Han text it
         * segments: do that here, so the whole first-use cost is in one
         * place (and measured) */
        static const UChar warm[] = {0x4E2D, 0x6587, 0};   /* 中文 */
        if (U_SUCCESS(st))
            ubrk_setText(icu_words, warm, 2, &st);
        if (U_SUCCESS(st))
            ubrk_next(icu_words);
        if (U_FAILURE(st)) {
            if (icu_words)
                ubrk_close(icu_words);
            icu_words = NULL;
        }
        icu_open_ms = (double)(g_get_monotonic_time() - t0) / 1000.0;
    }
    return icu_words;
}

double words_icu_open_ms(void)
{
    pthread_mutex_lock(&words_icu);
    double ms = icu_open_ms;
    pthread_mutex_unlock(&words_icu);
    return ms;
}

/* ---- the label as characters ---- */

typedef struct label {
    int n;                /* characters */
    gunichar *c;          /* n characters */
    int *at;              /* n + 1 byte offsets (at[n] is the length) */
    bool *brk;            /* brk[i]: a line may start at character i (1..n-1) */
    uint8_t *k;           /* tx_class of each character */
} label;

static void label_free(label *l)
{
    free(l->c);
    free(l->at);
    free(l->brk);
    free(l->k);
}

static bool label_read(const char *utf8, int len, label *l)
{
    memset(l, 0, sizeof *l);
    long n = g_utf8_strlen(utf8, len);
    size_t m = (size_t)n + 1;
    l->c = malloc(m * sizeof *l->c);
    l->at = malloc(m * sizeof *l->at);
    l->brk = calloc(m, sizeof *l->brk);
    l->k = malloc(m);
    if (!l->c || !l->at || !l->brk || !l->k) {
        label_free(l);
        return false;
    }
    const char *p = utf8;
    for (long i = 0; i < n; i++, p = g_utf8_next_char(p)) {
        l->at[i] = (int)(p - utf8);
        l->c[i] = g_utf8_get_char(p);
        l->k[i] = (uint8_t)tx_char_class(l->c[i]);
    }
    l->at[n] = (int)(p - utf8);
    l->n = (int)n;
    return true;
}

/* ICU's word boundaries into l->brk.  False when ICU is unavailable. */
static bool icu_boundaries(const char *utf8, label *l)
{
    pthread_mutex_lock(&words_icu);
    UBreakIterator *bi = word_iterator();
    if (!bi) {
        pthread_mutex_unlock(&words_icu);
        return false;
    }
    UErrorCode st = U_ZERO_ERROR;
    UText ut = UTEXT_INITIALIZER;
    utext_openUTF8(&ut, utf8, l->at[l->n], &st);
    ubrk_setUText(bi, &ut, &st);
    bool ok = U_SUCCESS(st);
    int i = 0;
    for (int32_t b = ubrk_first(bi); ok && b != UBRK_DONE; b = ubrk_next(bi)) {
        while (i < l->n && l->at[i] < b)
            i++;
        if (i > 0 && i < l->n && l->at[i] == b)
            l->brk[i] = true;
    }
    /* forget the label: the iterator must not point at the caller's text */
    UText empty = UTEXT_INITIALIZER;
    UErrorCode st2 = U_ZERO_ERROR;
    utext_openUTF8(&empty, "", 0, &st2);
    ubrk_setUText(bi, &empty, &st2);
    utext_close(&empty);
    utext_close(&ut);
    pthread_mutex_unlock(&words_icu);
    return ok;
}

/* ---- terms ICU's dictionary splits wrongly ---- */

/* Words of statistics bulletins that ICU's Chinese dictionary does not
 * know and cuts in the wrong place (居民人|均可|支配, 汽车零|部件,
 * 专精|特新小|巨人) or leaves joined to a neighbour (同比增速).  Each is
 * kept whole with a boundary at each end; the prohibitions and the
 * lone-character rule below still apply to those ends.  Longest first. */
static const char *const TERMS[] = {
    "前三季度", "专精特新", "零部件", "可支配", "小巨人", "百分点",
    "人均", "增速", "增幅", "回落", "规上",
};

static bool term_at(const char *utf8, const label *l, int i, int *end)
{
    for (size_t t = 0; t < sizeof TERMS / sizeof *TERMS; t++) {
        size_t len = strlen(TERMS[t]);
        if ((size_t)(l->at[l->n] - l->at[i]) < len || memcmp(utf8 + l->at[i], TERMS[t], len) != 0)
            continue;
        int j = i;
        while (j < l->n && l->at[j] < l->at[i] + (int)len)
            j++;
        if (l->at[j] == l->at[i] + (int)len) {
            *end = j;
            return true;
        }
    }
    return false;
}

static void apply_terms(const char *utf8, label *l)
{
    for (int i = 0, end; i < l->n;) {
        if (!term_at(utf8, l, i, &end)) {
            i++;
            continue;
        }
        for (int j = i + 1; j < end; j++)
            l->brk[j] = false;
        l->brk[i] = i > 0;
        l->brk[end] = end < l->n;
        i = end;
    }
}

/* ---- refinements ---- */

static bool is_digit(gunichar c)
{
    return g_unichar_isdigit(c);
}

/* Joins Latin or digit runs across it: AS/RS, AGV/AMR, 3.5, 1,234, 1—9, R&D. */
static bool is_connector(gunichar c)
{
    switch (c) {
    case '/': case '-': case '.': case ',': case '&': case '+': case '_': case '\'':
    case ':': case '~': case 0x2019: case 0x2010: case 0x2011: case 0x2013: case 0x2014:
    case 0xFF5E: case 0x00B7:
        return true;
    default:
        return false;
    }
}

/* Does the Latin/number run ending at character i start with a digit? */
static bool run_is_number(const label *l, int i)
{
    while (i > 0 && (l->k[i - 1] == TX_ALNUM || is_connector(l->c[i - 1])))
        i--;
    while (i < l->n && is_connector(l->c[i]))
        i++;
    return i < l->n && is_digit(l->c[i]);
}

/* Characters that count for the lone-character rule: not punctuation,
 * spaces or format characters. */
static bool is_content(uint8_t k)
{
    return k == TX_HAN || k == TX_ALNUM || k == TX_OTHER;
}

/* A pair (a, b) that the clreq rules or the word rules never separate. */
static bool never_between(const label *l, int i)
{
    gunichar a = l->c[i - 1], b = l->c[i];
    uint8_t ka = l->k[i - 1], kb = l->k[i];
    if (tx_no_line_start(b) || tx_no_line_end(a))
        return true;
    if ((ka == TX_DASH && kb == TX_DASH) || kb == TX_SPACE)
        return true;
    if (kb == TX_FORMAT || (ka == TX_FORMAT && a != 0x200B))
        return true;
    /* Latin words and numbers, with connectors between two of their
     * characters */
    if (ka == TX_ALNUM && kb == TX_ALNUM)
        return true;
    if (is_connector(b) && ka == TX_ALNUM && i + 1 < l->n && l->k[i + 1] == TX_ALNUM)
        return true;
    if (is_connector(a) && kb == TX_ALNUM && i >= 2 && l->k[i - 2] == TX_ALNUM)
        return true;
    /* a number and its unit: 20公斤, 1—9月, 2020年 (but PM2.5|年均) */
    if (is_digit(a) && kb == TX_HAN && run_is_number(l, i - 1))
        return true;
    return false;
}

static void apply_prohibitions(label *l)
{
    for (int i = 1; i < l->n; i++)
        if (l->brk[i] && never_between(l, i))
            l->brk[i] = false;
}

/* Short bracketed terms stay whole: （AS/RS）, （负载…）. */
static void keep_short_brackets(label *l)
{
    for (int i = 0; i < l->n; i++) {
        if (l->k[i] != TX_OPEN)
            continue;
        int depth = 0, j = i;
        for (; j < l->n; j++) {
            if (l->k[j] == TX_OPEN)
                depth++;
            else if (l->k[j] == TX_CLOSE && --depth == 0)
                break;
        }
        if (j >= l->n)
            continue;          /* unmatched: no group */
        if (j - i - 1 <= WORDS_SHORT_BRACKET)
            for (int m = i + 1; m <= j; m++)
                l->brk[m] = false;
    }
}

/* End of the piece that starts at character i. */
static int piece_end(const label *l, int i)
{
    int j = i + 1;
    while (j < l->n && !l->brk[j])
        j++;
    return j;
}

static int content_chars(const label *l, int from, int to)
{
    int count = 0;
    for (int i = from; i < to; i++)
        count += is_content(l->k[i]);
    return count;
}

/* Lone characters that ICU's dictionary leaves alone although they belong
 * to the word before (suffixes: 珠宝|类, 零售|业, 贷款余|额) or to the word
 * after (prefixes: 全|社会, 本|外币, 每|万人). */
static const char SUFFIXES[] = "类业率量额值数者性化型式等们和及与或";
static const char PREFIXES[] = "全本总副非超各每第首用";

static bool in_set(const char *set, gunichar c)
{
    return g_utf8_strchr(set, -1, c) != NULL;
}

typedef struct piece {
    int start, end;     /* characters */
    int content;        /* characters counting for the lone-character rule */
} piece;

static piece piece_at(const label *l, int i)
{
    piece p = {i, piece_end(l, i), 0};
    p.content = content_chars(l, p.start, p.end);
    return p;
}

/* The lone character of piece p (its one content character). */
static gunichar lone_char(const label *l, piece p)
{
    for (int i = p.start; i < p.end; i++)
        if (is_content(l->k[i]))
            return l->c[i];
    return 0;
}

/* Should the lone piece p join the piece after it (rather than the one
 * before, starting at prev)? */
static bool joins_next(const label *l, int prev, piece p)
{
    if (p.end >= l->n)
        return false;
    if (prev < 0)
        return true;
    uint8_t before = l->k[p.start - 1];
    if (before == TX_STOP || before == TX_CLOSE || before == TX_SPACE)
        return true;
    gunichar c = lone_char(l, p);
    if (in_set(SUFFIXES, c))
        return false;
    if (in_set(PREFIXES, c))
        return true;
    return false;
}

/* A lone Han character that is not a suffix (which joins the word before
 * it whatever follows). */
static bool is_lone_han(const label *l, piece p)
{
    return p.content == 1 && tx_is_han(lone_char(l, p)) && !in_set(SUFFIXES, lone_char(l, p));
}

/* Runs of lone Han characters (where the dictionary knew no word) become
 * one word: two make a word (人|均, 码|垛, 鞋|帽), and longer runs
 * (互|联|网|宽|带) stay whole rather than be cut at a guess.  Suffixes end
 * a run (纺织|品|类: 品 alone joins 纺织). */
static void join_lone_runs(label *l)
{
    for (int i = 0; i < l->n;) {
        piece p = piece_at(l, i);
        int end = p.end, count = 0;
        for (piece q = p; is_lone_han(l, q); q = piece_at(l, q.end)) {
            end = q.end;
            count++;
            if (q.end >= l->n || l->k[q.end - 1] == TX_STOP || l->k[q.end - 1] == TX_CLOSE)
                break;
        }
        if (count >= 2)
            for (int m = p.start + 1; m < end; m++)
                l->brk[m] = false;
        i = count >= 2 ? end : p.end;
    }
}

/* No piece of one character: each joins a neighbour (see joins_next;
 * by default the word before it, as conjunctions do: 电器和|音像). */
static void join_lone_characters(label *l)
{
    int prev = -1;           /* start of the previous piece */
    for (int i = 0; i < l->n;) {
        piece p = piece_at(l, i);
        if (p.content >= 2) {
            prev = i;
            i = p.end;
            continue;
        }
        if (joins_next(l, prev, p)) {
            l->brk[p.end] = false;     /* join the next piece, look again */
            continue;
        }
        if (prev >= 0) {
            l->brk[i] = false;         /* join the previous piece */
            i = prev;
            continue;
        }
        break;                         /* the whole label is one piece */
    }
}

/* The breaks of one line (no '\n') of len bytes at utf8, as offsets from
 * base, into pos[*count...]; false when out of memory or without ICU. */
static bool line_breaks(const char *utf8, int len, int base, int *pos, int max, int *count)
{
    label l;
    if (!label_read(utf8, len, &l))
        return false;
    if (l.n < 2) {
        label_free(&l);
        return true;
    }
    if (!icu_boundaries(utf8, &l)) {
        label_free(&l);
        return false;
    }
    apply_terms(utf8, &l);
    apply_prohibitions(&l);
    keep_short_brackets(&l);
    join_lone_runs(&l);
    join_lone_characters(&l);
    for (int i = 1; i < l.n; i++)
        if (l.brk[i]) {
            if (*count < max)
                pos[*count] = base + l.at[i];
            (*count)++;
        }
    label_free(&l);
    return true;
}

int words_label_breaks(const char *utf8, int *pos, int max)
{
    if (!utf8 || strlen(utf8) > WORDS_MAX_BYTES || !g_utf8_validate(utf8, -1, NULL))
        return 0;
    /* a '\n' written in the label ends a line: each line is broken on its
     * own (so no piece spans it and none is left a lone character), and
     * the start of the next line is a break too */
    int count = 0;
    const char *line = utf8;
    for (;;) {
        const char *nl = strchr(line, '\n');
        int len = nl ? (int)(nl - line) : (int)strlen(line);
        if (!line_breaks(line, len, (int)(line - utf8), pos, max, &count))
            return -1;
        if (!nl)
            break;
        line = nl + 1;
        if (*line) {
            if (count < max)
                pos[count] = (int)(line - utf8);
            count++;
        }
    }
    return count;
}

bool words_label_attrs(const char *utf8, int offset, PangoAttrList *attrs)
{
    size_t len = utf8 ? strlen(utf8) : 0;
    int *pos = malloc((len + 1) * sizeof *pos);
    if (!pos)
        return false;
    int n = words_label_breaks(utf8, pos, (int)len + 1);
    if (n < 0) {
        free(pos);
        return false;
    }
    int from = 0;
    for (int i = 0; i <= n; i++) {
        int to = i < n ? pos[i] : (int)len;
        PangoAttribute *a = pango_attr_allow_breaks_new(FALSE);
        a->start_index = (guint)(offset + from);
        a->end_index = (guint)(offset + to);
        pango_attr_list_insert(attrs, a);
        from = to;
    }
    free(pos);
    return true;
}
