/*
 * text_prep.c — character classes and the normalisation of source text.
 *
 * Takes UTF-8 from the document; gives the text as it will be set and
 * copied out of the PDF.  Guarantees: the only changes are whitespace
 * (runs of tab/newline/space become one space; none at either end) and,
 * when asked, ASCII , : ; ? ! ( ) in Chinese context made full width, with
 * the ASCII spaces that typed habit put beside them dropped.  Latin
 * contexts (10:30, 3.5, (1), "Beijing, China") are left alone.
 */
#include "text/text_internal.h"

#include <string.h>

tx_class tx_char_class(gunichar c)
{
    if (c < 0x80) {
        if (c == ' ' || c == '\n')
            return TX_SPACE;
        if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
            return TX_ALNUM;
        switch (c) {
        case '(': case '[': case '{': return TX_OPEN;
        case ')': case ']': case '}': return TX_CLOSE;
        case ',': case '.': case ';': case ':': case '?': case '!': return TX_STOP;
        case '%': return TX_POSTFIX;
        default: return TX_OTHER;
        }
    }
    switch (c) {
    /* opening brackets and quotes */
    case 0xFF08: case 0xFF3B: case 0xFF5B: case 0xFF5F: case 0xFF62:
    case 0x3008: case 0x300A: case 0x300C: case 0x300E: case 0x3010:
    case 0x3014: case 0x3016: case 0x3018: case 0x301A: case 0x301D:
    case 0x2018: case 0x201C: case 0x201A: case 0x201E: case 0x00AB: case 0x2039:
    case 0xFE59: case 0xFE5B: case 0xFE5D:
        return TX_OPEN;
    /* closing brackets and quotes */
    case 0xFF09: case 0xFF3D: case 0xFF5D: case 0xFF60: case 0xFF63:
    case 0x3009: case 0x300B: case 0x300D: case 0x300F: case 0x3011:
    case 0x3015: case 0x3017: case 0x3019: case 0x301B: case 0x301E: case 0x301F:
    case 0x2019: case 0x201D: case 0x00BB: case 0x203A:
    case 0xFE5A: case 0xFE5C: case 0xFE5E:
        return TX_CLOSE;
    /* stops, commas, colons */
    case 0xFF0C: case 0x3002: case 0x3001: case 0xFF1B: case 0xFF1A: case 0xFF1F:
    case 0xFF01: case 0xFF0E: case 0xFF61: case 0xFF64:
    case 0x203C: case 0x2047: case 0x2048: case 0x2049:
    case 0xFE50: case 0xFE51: case 0xFE52: case 0xFE54: case 0xFE55: case 0xFE56: case 0xFE57:
        return TX_STOP;
    case 0x00B7: case 0x30FB: case 0x2027: case 0xFF65:
        return TX_MIDDOT;
    case 0x2026: case 0x2025:
        return TX_ELLIPSIS;
    case 0x2014: case 0x2015: case 0x2E3A: case 0x2E3B:
        return TX_DASH;
    case 0xFF05: case 0x2030: case 0x2031: case 0x2103: case 0x2109: case 0x00B0:
    case 0x2032: case 0x2033: case 0xFE6A:
        return TX_POSTFIX;
    case 0x3000:
        return TX_IDSPACE;
    default:
        break;
    }
    if ((c >= 0x200B && c <= 0x200F) || (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF ||
        c == 0x00AD || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF))
        return TX_FORMAT;
    if ((c >= 0x2E80 && c <= 0x2FDF) || c == 0x3005 || c == 0x3006 || c == 0x3007 ||
        (c >= 0x3021 && c <= 0x3029) || (c >= 0x3038 && c <= 0x303B) ||
        (c >= 0x3041 && c <= 0x30FF && c != 0x30FB) || (c >= 0x3105 && c <= 0x312F) ||
        (c >= 0x3131 && c <= 0x318F) || (c >= 0x31A0 && c <= 0x31BF) ||
        (c >= 0x31F0 && c <= 0x31FF) || (c >= 0x3200 && c <= 0x33FF) ||
        (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
        (c >= 0xA960 && c <= 0xA97F) || (c >= 0xAC00 && c <= 0xD7AF) ||
        (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF10 && c <= 0xFF19) ||
        (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A) ||
        (c >= 0xFF66 && c <= 0xFF9F) || (c >= 0x20000 && c <= 0x3FFFF))
        return TX_HAN;
    if (g_unichar_isalnum(c))
        return TX_ALNUM;
    if (g_unichar_isspace(c))
        return TX_OTHER;   /* NBSP, thin spaces …: no break, natural width */
    return TX_OTHER;
}

bool tx_char_wide(gunichar c)
{
    switch (tx_char_class(c)) {
    case TX_HAN: case TX_IDSPACE: case TX_ELLIPSIS: case TX_DASH:
        return true;
    case TX_SPACE: case TX_FORMAT: case TX_ALNUM:
        return false;
    default:
        return (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xF900 && c <= 0xFAFF) ||
               (c >= 0xFE10 && c <= 0xFE1F) || (c >= 0xFE30 && c <= 0xFE6F) ||
               (c >= 0xFF00 && c <= 0xFFEF) || c >= 0x20000;
    }
}

bool tx_no_line_start(gunichar c)
{
    switch (tx_char_class(c)) {
    case TX_CLOSE: case TX_STOP: case TX_MIDDOT: case TX_ELLIPSIS: case TX_POSTFIX:
        return true;
    default:
        return false;
    }
}

bool tx_no_line_end(gunichar c)
{
    return tx_char_class(c) == TX_OPEN;
}

/* ---- normalisation ---- */

/* Chinese context for the punctuation rule: Han and CJK punctuation. */
static bool norm_cjk(gunichar c)
{
    tx_class k = tx_char_class(c);
    if (k == TX_HAN || k == TX_IDSPACE)
        return true;
    return (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF0F) ||
           (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
           (c >= 0xFF5B && c <= 0xFF65);
}

/* Marks used in both scripts: look through them to decide the context. */
static bool ambiguous(gunichar c)
{
    return c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 || c == 0x2026 ||
           c == 0x2014 || c == 0x00B7 || c == '"' || c == '\'';
}

static bool is_ws(gunichar c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
           c == 0x85 || c == 0x2028 || c == 0x2029;
}

/* Is src[i] a line break?  \r\n counts once (at its \n). */
static bool is_line_break(const gunichar *src, long n, long i)
{
    gunichar c = src[i];
    if (c == '\r')
        return !(i + 1 < n && src[i + 1] == '\n');
    return c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029;
}

static gunichar full_width_of(gunichar c)
{
    switch (c) {
    case ',': return 0xFF0C;
    case ':': return 0xFF1A;
    case ';': return 0xFF1B;
    case '?': return 0xFF1F;
    case '!': return 0xFF01;
    case '(': return 0xFF08;
    case ')': return 0xFF09;
    default: return c;
    }
}

/* Does position i (in u[0..n)) sit in Chinese context on the left / right? */
static bool cjk_left(const gunichar *u, long n, long i)
{
    (void)n;
    long j = i - 1;
    if (j < 0)
        return false;
    if (norm_cjk(u[j]))
        return true;
    for (int k = 0; k < 3 && j >= 0 && ambiguous(u[j]); k++)
        j--;
    return j >= 0 && j < i - 1 && norm_cjk(u[j]);
}

static bool cjk_right(const gunichar *u, long n, long i)
{
    long j = i + 1;
    if (j >= n)
        return false;
    if (norm_cjk(u[j]))
        return true;
    /* "Go!”他": a Latin letter on the left keeps the mark Latin. */
    if (i > 0 && tx_char_class(u[i - 1]) == TX_ALNUM)
        return false;
    for (int k = 0; k < 3 && j < n && ambiguous(u[j]); k++)
        j++;
    return j < n && j > i + 1 && norm_cjk(u[j]);
}

static bool has_cjk(const gunichar *u, long from, long to)
{
    for (long k = from; k < to; k++)
        if (norm_cjk(u[k]))
            return true;
    return false;
}

/* utf8 as code points (repaired when invalid); *n: how many. */
static gunichar *valid_ucs4(const char *utf8, glong *n)
{
    char *valid = NULL;
    if (!g_utf8_validate(utf8, -1, NULL))
        utf8 = valid = g_utf8_make_valid(utf8, -1);
    gunichar *src = g_utf8_to_ucs4_fast(utf8, -1, n);
    g_free(valid);
    return src;
}

/* 1. Whitespace: runs become one space, or their line breaks; none at the
 * ends.  A \n is the author's forced line break, never a space.  Writes
 * src[0, n0) into u, gives its length. */
static long collapse_whitespace(const gunichar *src, long n0, gunichar *u)
{
    long n = 0;
    for (long i = 0; i < n0; i++) {
        gunichar c = src[i];
        if (c == 0)
            continue;
        if (!is_ws(c)) {
            u[n++] = c;
            continue;
        }
        long breaks = 0, j = i;
        for (; j < n0 && (is_ws(src[j]) || src[j] == 0); j++)
            if (is_line_break(src, n0, j))
                breaks++;
        i = j - 1;
        if (n == 0)
            continue;
        if (breaks == 0) {
            if (u[n - 1] != ' ')
                u[n++] = ' ';
            continue;
        }
        if (u[n - 1] == ' ')
            n--;
        if (j < n0)
            for (long k = 0; k < breaks; k++)
                u[n++] = '\n';
    }
    while (n > 0 && (u[n - 1] == ' ' || u[n - 1] == '\n'))
        n--;
    return n;
}

/* Parentheses: a matched pair follows its content (conv when it holds
 * CJK); paired: part of a matched pair. */
static void mark_paired_parens(const gunichar *u, long n, bool *conv, bool *paired)
{
    long *stack = g_new(long, n);
    long sp = 0;
    for (long i = 0; i < n; i++) {
        if (u[i] == '(') {
            stack[sp++] = i;
        } else if (u[i] == ')' && sp > 0) {
            long o = stack[--sp];
            paired[o] = paired[i] = true;
            if (has_cjk(u, o + 1, i))
                conv[o] = conv[i] = true;
        }
    }
    g_free(stack);
}

/* , : ; ? ! and unpaired ( ) touching CJK. */
static void mark_single_marks(const gunichar *u, long n, bool *conv, const bool *paired)
{
    for (long i = 0; i < n; i++) {
        gunichar c = u[i];
        if (c == ',' || c == ':' || c == ';' || c == '?' || c == '!' ||
            ((c == '(' || c == ')') && !paired[i])) {
            if (cjk_left(u, n, i) || cjk_right(u, n, i))
                conv[i] = true;
        }
    }
}

/* 2. ASCII marks touching Chinese become full width (decided on the
 * original characters, then applied, so "，," chains are stable);
 * 3. the ASCII spaces typed beside converted marks go.  Gives the new
 * length of u. */
static long full_width_marks(gunichar *u, long n)
{
    bool *conv = g_new0(bool, n);
    bool *paired = g_new0(bool, n);
    mark_paired_parens(u, n, conv, paired);
    mark_single_marks(u, n, conv, paired);
    long m = 0;
    for (long i = 0; i < n; i++) {
        if (u[i] == ' ' &&
            ((i > 0 && conv[i - 1]) || (i + 1 < n && conv[i + 1])))
            continue;
        u[m] = conv[i] ? full_width_of(u[i]) : u[i];
        m++;
    }
    g_free(conv);
    g_free(paired);
    return m;
}

char *tx_normalize(const char *utf8, bool punct)
{
    glong n0 = 0;
    gunichar *src = valid_ucs4(utf8 ? utf8 : "", &n0);
    gunichar *u = g_new(gunichar, n0 + 1);
    long n = collapse_whitespace(src, n0, u);
    g_free(src);
    if (punct && n > 0)
        n = full_width_marks(u, n);
    char *out = g_ucs4_to_utf8(u, n, NULL, NULL, NULL);
    g_free(u);
    return out ? out : g_strdup("");
}
