/*
 * json.c — stage 1: reading and checking the JSON text (see json.h).
 *
 * Takes bytes; gives a cJSON tree of text that is strict RFC 8259 JSON, or
 * diagnostics with line:column.  Three passes, all linear:
 *
 *  1. prescan: strict UTF-8, no NUL, nesting ≤ JSON_MAX_DEPTH.  It runs
 *     before cJSON so that 100,000 nested brackets cost one loop, not
 *     cJSON's recursion, and so that cJSON only ever sees valid UTF-8.
 *  2. cJSON builds the tree.
 *  3. scan: a strict tokenizer re-reads the text.  cJSON accepts things
 *     JSON forbids (leading zeros, "1.", raw control characters in strings,
 *     "\u12G4", "\u0000", form feeds between tokens, duplicate keys, numbers
 *     cJSON truncates at 63 characters) and, when it fails, offers only an
 *     error pointer that is sometimes one token late and never says what was
 *     expected.  The tokenizer knows the enclosing brackets, so it can say
 *     "trailing comma before ']'" or "expected ',' or '}' to close the
 *     object at 3:1"; it recovers from local mistakes so one run can report
 *     several of them.
 *
 * Positions: the text handed to json_parse starts after any BOM, so line 1
 * column 1 is the first character the user sees; columns count characters
 * (UTF-8 sequences), a tab counts as one.
 */
#define _POSIX_C_SOURCE 200809L
#include "input/json.h"
#include "util/diag.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* strbuf                                                              */

static bool sb_reserve(strbuf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s) {
        b->failed = true;
        return false;
    }
    b->s = s;
    b->cap = cap;
    return true;
}

void sb_append(strbuf *b, const char *s, size_t n)
{
    if (!sb_reserve(b, n))
        return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sb_puts(strbuf *b, const char *s) { sb_append(b, s, strlen(s)); }

void sb_printf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !sb_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void sb_truncate(strbuf *b, size_t len)
{
    if (b->s && len <= b->len) {
        b->len = len;
        b->s[len] = '\0';
    }
}

void sb_free(strbuf *b)
{
    free(b->s);
    *b = (strbuf){0};
}

/* ------------------------------------------------------------------ */
/* reading                                                             */

static brief_status read_all(int fd, size_t hint, char **data, size_t *len,
                             const char *name, brief_diag *diag)
{
    size_t cap = (hint > 0 && hint <= JSON_MAX_INPUT ? hint : 65536) + 1;
    size_t n = 0;
    char *buf = malloc(cap);
    if (!buf)
        goto oom;
    for (;;) {
        if (n + 1 == cap) {
            /* One byte past the limit is enough to know it is too big. */
            if (n > JSON_MAX_INPUT)
                break;
            size_t ncap = cap * 2 > JSON_MAX_INPUT + 2 ? JSON_MAX_INPUT + 2 : cap * 2;
            char *nb = realloc(buf, ncap);
            if (!nb)
                goto oom;
            buf = nb;
            cap = ncap;
        }
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            diag_error(diag, BRIEF_E_NOINPUT, name, "cannot read: %s", strerror(errno));
            free(buf);
            return BRIEF_E_NOINPUT;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    if (n > JSON_MAX_INPUT) {
        diag_error(diag, BRIEF_E_DATA, name, "input is larger than the 16 MiB limit");
        free(buf);
        return BRIEF_E_DATA;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return BRIEF_OK;
oom:
    free(buf);
    diag_error(diag, BRIEF_E_OSERR, name, "out of memory reading the input");
    return BRIEF_E_OSERR;
}

brief_status json_read_file(const char *path, char **data, size_t *len, brief_diag *diag)
{
    *data = NULL;
    *len = 0;
    bool is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        diag_error(diag, BRIEF_E_NOINPUT, path, "cannot open: %s (expected a readable JSON file)", strerror(errno));
        return BRIEF_E_NOINPUT;
    }
    struct stat st;
    brief_status status;
    if (fstat(fd, &st) != 0) {
        diag_error(diag, BRIEF_E_NOINPUT, path, "cannot open: %s (expected a readable JSON file)", strerror(errno));
        status = BRIEF_E_NOINPUT;
    } else if (S_ISDIR(st.st_mode)) {
        diag_error(diag, BRIEF_E_NOINPUT, path, "is a directory (expected a JSON file)");
        status = BRIEF_E_NOINPUT;
    } else if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > JSON_MAX_INPUT) {
        diag_error(diag, BRIEF_E_DATA, path, "input is larger than the 16 MiB limit");
        status = BRIEF_E_DATA;
    } else {
        size_t hint = S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
        status = read_all(fd, hint, data, len, path, diag);
    }
    if (!is_stdin)
        close(fd);
    return status;
}

size_t json_bom_length(const char *data, size_t len)
{
    return (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
}

/* ------------------------------------------------------------------ */
/* positions                                                           */

void json_line_column(const char *text, size_t len, size_t offset, int *line, int *column)
{
    if (offset > len)
        offset = len;
    size_t lines = 1, start = 0;
    const char *p = text, *end = text + offset;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        lines++;
        p++;
        start = (size_t)(p - text);
    }
    size_t chars = 0;
    for (size_t i = start; i < offset; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            chars++;
    *line = lines > INT32_MAX ? INT32_MAX : (int)lines;
    *column = chars + 1 > INT32_MAX ? INT32_MAX : (int)(chars + 1);
}

/* ------------------------------------------------------------------ */
/* UTF-8                                                               */

typedef enum utf8_problem {
    UTF8_OK = 0,
    UTF8_STRAY_CONTINUATION,
    UTF8_OVERLONG,
    UTF8_SURROGATE,
    UTF8_TOO_LARGE,
    UTF8_NEVER_VALID,
    UTF8_TRUNCATED
} utf8_problem;

static bool is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

/* Unicode Table 3-7 (well-formed UTF-8 byte sequences), with the reason a
 * sequence is not one of them. */
static size_t utf8_check(const unsigned char *s, size_t len, utf8_problem *why)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;   /* allowed range of the 2nd byte */
    *why = UTF8_OK;
    if (c < 0x80)
        return 1;
    if (c < 0xC2) {
        *why = c < 0xC0 ? UTF8_STRAY_CONTINUATION : UTF8_OVERLONG;
        return 0;
    }
    if (c < 0xE0) {
        need = 2;
    } else if (c < 0xF0) {
        need = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c < 0xF5) {
        need = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        *why = UTF8_NEVER_VALID;
        return 0;
    }
    for (size_t i = 1; i < need; i++) {
        if (i >= len || !is_cont(s[i])) {
            *why = UTF8_TRUNCATED;
            return 0;
        }
    }
    if (s[1] < lo) {
        *why = UTF8_OVERLONG;
        return 0;
    }
    if (s[1] > hi) {
        *why = c == 0xED ? UTF8_SURROGATE : UTF8_TOO_LARGE;
        return 0;
    }
    return need;
}

size_t utf8_sequence_length(const unsigned char *s, size_t len)
{
    utf8_problem why;
    return len ? utf8_check(s, len, &why) : 0;
}

static uint32_t utf8_decode(const unsigned char *s, size_t n)
{
    switch (n) {
    case 1: return s[0];
    case 2: return ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    case 3: return ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    default:
        return ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
               ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    }
}

static void utf8_encode(strbuf *b, uint32_t cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp; n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6)); u[1] = (char)(0x80 | (cp & 0x3F)); n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12)); u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18)); u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
    }
    sb_append(b, u, n);
}

static bool gbk_pair(const unsigned char *s)
{
    return s[0] >= 0xA1 && s[0] <= 0xF7 && s[1] >= 0xA1 && s[1] <= 0xFE;
}

/* Two hanzi in a row as GB2312 encodes them: the most likely reason a
 * Chinese brief is not UTF-8 (one pair alone is too often something else). */
static bool looks_like_gbk(const unsigned char *s, size_t len)
{
    return len >= 4 && gbk_pair(s) && gbk_pair(s + 2);
}

static void utf8_message(strbuf *m, const unsigned char *s, size_t len, utf8_problem why)
{
    sb_printf(m, "invalid UTF-8 byte 0x%02X ", s[0]);
    switch (why) {
    case UTF8_STRAY_CONTINUATION:
        sb_puts(m, "(a continuation byte cannot start a character)");
        break;
    case UTF8_OVERLONG:
        sb_puts(m, "(overlong encoding; a character must use its shortest form)");
        break;
    case UTF8_SURROGATE:
        sb_puts(m, "(encodes a UTF-16 surrogate U+D800..U+DFFF, which is not a character)");
        break;
    case UTF8_TOO_LARGE:
        sb_puts(m, "(encodes a code point above U+10FFFF)");
        break;
    case UTF8_NEVER_VALID:
        sb_puts(m, "(this byte never occurs in UTF-8)");
        break;
    default:
        sb_puts(m, "(expected a continuation byte)");
        break;
    }
    /* GBK lead bytes are often UTF-8 continuation bytes, so the hint goes
     * with any reason except a genuine UTF-8 prefix cut short. */
    if (m->s && looks_like_gbk(s, len) && !(why == UTF8_TRUNCATED && is_cont(s[1]))) {
        sb_truncate(m, m->len - 1);   /* reopen the parenthesis */
        sb_puts(m, "; is the file GBK-encoded? save it as UTF-8)");
    }
}

/* ------------------------------------------------------------------ */
/* reporting with positions                                            */

static void report_at(brief_diag *diag, const char *name, const char *text, size_t len,
                      size_t offset, const char *msg)
{
    int line, col;
    json_line_column(text, len, offset, &line, &col);
    diag_add(diag, BRIEF_ERROR, BRIEF_E_DATA, name, line, col, NULL, "%s", msg);
}

/* ------------------------------------------------------------------ */
/* pass 1: encoding, NUL and depth                                     */

static bool prescan(const char *text, size_t len, const char *name, brief_diag *diag)
{
    const unsigned char *s = (const unsigned char *)text;
    if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
        report_at(diag, name, text, len, 0,
                  "input is UTF-16 (expected UTF-8; save the file as UTF-8)");
        return false;
    }
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        if (c == 0) {
            bool utf16 = len >= 2 && ((s[0] == 0) != (s[1] == 0));
            report_at(diag, name, text, len, i,
                      utf16 ? "NUL byte in input (JSON text cannot contain NUL; "
                              "is the file UTF-16? save it as UTF-8)"
                            : "NUL byte in input (JSON text cannot contain NUL)");
            return false;
        }
        if (c >= 0x80) {
            utf8_problem why;
            size_t n = utf8_check(s + i, len - i, &why);
            if (n == 0) {
                strbuf m = {0};
                utf8_message(&m, s + i, len - i, why);
                report_at(diag, name, text, len, i, m.s ? m.s : "invalid UTF-8");
                sb_free(&m);
                return false;
            }
            i += n;
            continue;
        }
        if (in_string) {
            if (c == '\\' && i + 1 < len && s[i + 1] < 0x80 && s[i + 1] != 0)
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > JSON_MAX_DEPTH) {
                report_at(diag, name, text, len, i,
                          "nesting is too deep (at most 64 levels of arrays and objects)");
                return false;
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
        i++;
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* unescaping and quoting                                              */

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The 16-bit value of \uXXXX at s (s[0] == '\\'), or -1. */
static long u_escape(const char *s, size_t avail)
{
    if (avail < 6 || s[1] != 'u')
        return -1;
    long v = 0;
    for (int i = 2; i < 6; i++) {
        int h = hex_value((unsigned char)s[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Decodes the inside of a JSON string (between the quotes).  Anything the
 * scanner already complained about decodes to U+FFFD. */
static void unescape(const char *raw, size_t n, strbuf *out)
{
    for (size_t i = 0; i < n;) {
        if (raw[i] != '\\') {
            size_t j = i;
            while (j < n && raw[j] != '\\')
                j++;
            sb_append(out, raw + i, j - i);
            i = j;
            continue;
        }
        if (i + 1 >= n) {
            i++;
            continue;
        }
        char e = raw[i + 1];
        const char *simple = strchr("\"\\/bfnrt", e);
        if (e && simple) {
            static const char map[] = "\"\\/\b\f\n\r\t";
            sb_append(out, &map[simple - "\"\\/bfnrt"], 1);
            i += 2;
            continue;
        }
        long u = u_escape(raw + i, n - i);
        if (u < 0) {
            utf8_encode(out, 0xFFFD);
            i += 2;
            continue;
        }
        i += 6;
        uint32_t cp = (uint32_t)u;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            long lo = i < n && raw[i] == '\\' ? u_escape(raw + i, n - i) : -1;
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
                i += 6;
            } else {
                cp = 0xFFFD;
            }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        }
        utf8_encode(out, cp);
    }
}

/* "text" as it can be shown in a message: at most 40 characters, with
 * quotes, backslashes and control characters escaped. */
void json_quote(strbuf *b, const char *s, size_t n)
{
    sb_puts(b, "\"");
    size_t chars = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (chars == 40) {
            sb_puts(b, "…");
            break;
        }
        chars++;
        if (c == '"' || c == '\\') {
            sb_printf(b, "\\%c", c);
            i++;
        } else if (c < 0x20 || c == 0x7F) {
            sb_printf(b, "\\u%04X", c);
            i++;
        } else {
            size_t k = c < 0x80 ? 1 : utf8_sequence_length((const unsigned char *)s + i, n - i);
            if (k == 0)
                k = 1;
            sb_append(b, s + i, k);
            i += k;
        }
    }
    sb_puts(b, "\"");
}

/* ------------------------------------------------------------------ */
/* pass 3: the strict tokenizer                                        */

/* Keys of the objects that are open, for finding duplicates: an open-
 * addressing table whose entries are removed when their object closes.
 * Entries are only ever removed newest-first, so linear probing never loses
 * a chain and needs no tombstones. */
typedef struct key_entry {
    size_t off;        /* offset of the key's opening quote; SIZE_MAX = empty */
    size_t len;        /* bytes between the quotes */
    uint32_t hash;
    uint32_t object;   /* which object the key belongs to */
    bool escaped;      /* the raw key contains a backslash */
} key_entry;

typedef struct key_table {
    key_entry *slots;
    size_t cap;
    key_entry *live;   /* insertion order, for removal and rehashing */
    size_t nlive, live_cap;
} key_table;

typedef struct scanner {
    const char *s;
    size_t len, pos;
    const char *name;
    brief_diag *diag;
    size_t problems;
    bool stop;
    key_table keys;
    uint32_t objects;      /* serial numbers for objects */
    strbuf tmp1, tmp2;     /* for decoding escaped keys */
} scanner;

static void problem(scanner *sc, size_t offset, const char *fmt, ...) BRIEF_PRINTF(3, 4);

static void problem(scanner *sc, size_t offset, const char *fmt, ...)
{
    if (sc->stop)
        return;
    va_list ap;
    va_start(ap, fmt);
    int line = 0, col = 0;
    if (offset != SIZE_MAX)
        json_line_column(sc->s, sc->len, offset, &line, &col);
    diag_vadd(sc->diag, BRIEF_ERROR, BRIEF_E_DATA, sc->name, line, col, NULL, fmt, ap);
    va_end(ap);
    if (++sc->problems >= DIAG_MAX_ERRORS)
        sc->stop = true;
}

/* A problem after which the structure is unknown: scanning ends. */
#define FATAL(sc, ...) (problem((sc), __VA_ARGS__), (sc)->stop = true, false)

static unsigned char peek_at(const scanner *sc, size_t i)
{
    return i < sc->len ? (unsigned char)sc->s[i] : 0;
}
static unsigned char peek(const scanner *sc) { return peek_at(sc, sc->pos); }

static uint32_t code_point_at(const scanner *sc, size_t i, size_t *n)
{
    const unsigned char *u = (const unsigned char *)sc->s + i;
    *n = i < sc->len ? utf8_sequence_length(u, sc->len - i) : 0;
    if (*n == 0) {
        *n = 1;
        return i < sc->len ? u[0] : 0;
    }
    return utf8_decode(u, *n);
}

/* Characters that Chinese input methods produce where JSON wants ASCII. */
typedef struct lookalike {
    uint32_t cp;
    const char *name;
    char ascii;       /* what was probably meant; ' ' for white space */
} lookalike;

static const lookalike LOOKALIKES[] = {
    {0x00A0, "no-break space", ' '},     {0x2002, "en space", ' '},
    {0x2003, "em space", ' '},           {0x200B, "zero-width space", ' '},
    {0x3000, "ideographic space", ' '},  {0xFEFF, "byte order mark", ' '},
    {0xFF0C, "full-width comma", ','},   {0x3001, "ideographic comma", ','},
    {0xFF1A, "full-width colon", ':'},   {0x201C, "curly quote", '"'},
    {0x201D, "curly quote", '"'},        {0x2018, "curly quote", '"'},
    {0x2019, "curly quote", '"'},        {0xFF02, "full-width quote", '"'},
    {0xFF5B, "full-width brace", '{'},   {0xFF5D, "full-width brace", '}'},
    {0xFF3B, "full-width bracket", '['}, {0xFF3D, "full-width bracket", ']'},
    {0x3010, "lenticular bracket", '['}, {0x3011, "lenticular bracket", ']'},
};

static const lookalike *find_lookalike(uint32_t cp)
{
    for (size_t i = 0; i < sizeof LOOKALIKES / sizeof LOOKALIKES[0]; i++)
        if (LOOKALIKES[i].cp == cp)
            return &LOOKALIKES[i];
    return NULL;
}

/* What the character at `i` is, for "unexpected X" messages. */
static void describe_char(strbuf *b, const scanner *sc, size_t i)
{
    size_t n;
    uint32_t cp = code_point_at(sc, i, &n);
    if (cp >= 0x20 && cp < 0x7F) {
        sb_printf(b, "'%c'", (int)cp);
    } else if (cp < 0x80) {
        sb_printf(b, "control character U+%04X", (unsigned)cp);
    } else {
        const lookalike *l = find_lookalike(cp);
        sb_printf(b, "%s U+%04X \"", l ? l->name : "character", (unsigned)cp);
        sb_append(b, sc->s + i, n);
        sb_puts(b, "\"");
    }
}

static bool unexpected(scanner *sc, size_t at, const char *expected)
{
    strbuf d = {0};
    describe_char(&d, sc, at);
    problem(sc, at, "unexpected %s (expected %s)", d.s ? d.s : "character", expected);
    sb_free(&d);
    sc->stop = true;
    return false;
}

/* Offset just after the last token, where "unexpected end" is shown. */
static size_t end_of_text(const scanner *sc)
{
    size_t p = sc->len;
    while (p > 0 && strchr(" \t\r\n", sc->s[p - 1]))
        p--;
    return p;
}

static void format_position(strbuf *b, const scanner *sc, size_t offset)
{
    int line, col;
    json_line_column(sc->s, sc->len, offset, &line, &col);
    sb_printf(b, "%d:%d", line, col);
}

static bool is_space_lookalike(uint32_t cp)
{
    const lookalike *l = find_lookalike(cp);
    return l && l->ascii == ' ';
}

static void skip_comment(scanner *sc)
{
    problem(sc, sc->pos, "comments are not allowed in JSON");
    if (peek_at(sc, sc->pos + 1) == '/') {
        while (sc->pos < sc->len && sc->s[sc->pos] != '\n')
            sc->pos++;
        return;
    }
    const char *end = NULL;
    for (size_t i = sc->pos + 2; i + 1 < sc->len; i++)
        if (sc->s[i] == '*' && sc->s[i + 1] == '/') {
            end = sc->s + i + 2;
            break;
        }
    sc->pos = end ? (size_t)(end - sc->s) : sc->len;
}

static void skip_space(scanner *sc)
{
    while (!sc->stop && sc->pos < sc->len) {
        unsigned char c = peek(sc);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            sc->pos++;
        } else if (c == '/' && (peek_at(sc, sc->pos + 1) == '/' || peek_at(sc, sc->pos + 1) == '*')) {
            skip_comment(sc);
        } else if (c < 0x20) {
            problem(sc, sc->pos, "control character U+%04X between values "
                    "(expected spaces, tabs or line breaks)", c);
            sc->pos++;
        } else if (c >= 0x80) {
            size_t n;
            uint32_t cp = code_point_at(sc, sc->pos, &n);
            if (!is_space_lookalike(cp))
                return;
            problem(sc, sc->pos, "%s U+%04X is not JSON white space (expected ASCII spaces)",
                    find_lookalike(cp)->name, (unsigned)cp);
            sc->pos += n;
        } else {
            return;
        }
    }
}

static bool is_word_byte(const scanner *sc, size_t i)
{
    unsigned char c = peek_at(sc, i);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        c == '_' || c == '$' || c == '-' || c == '.')
        return true;
    if (c < 0x80)
        return false;
    size_t n;
    uint32_t cp = code_point_at(sc, i, &n);
    return !find_lookalike(cp) && !(cp >= 0x2000 && cp <= 0x206F) &&
           !(cp >= 0x3000 && cp <= 0x303F) && !(cp >= 0xFF00 && cp <= 0xFF0F) &&
           !(cp >= 0xFF1A && cp <= 0xFF20);
}

static size_t word_end(const scanner *sc, size_t i)
{
    while (i < sc->len && is_word_byte(sc, i)) {
        size_t n;
        code_point_at(sc, i, &n);
        i += n;
    }
    return i;
}

static bool starts_value(const scanner *sc, size_t i)
{
    unsigned char c = peek_at(sc, i);
    return c == '{' || c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') ||
           c == 't' || c == 'f' || c == 'n';
}

/* --- strings --- */

typedef struct span {
    size_t start, end;     /* the characters between the quotes */
    bool escaped;
} span;

static void string_escape(scanner *sc, bool *escaped)
{
    size_t at = sc->pos;
    unsigned char e = peek_at(sc, at + 1);
    *escaped = true;
    if (e && strchr("\"\\/bfnrt", e)) {
        sc->pos += 2;
        return;
    }
    if (e != 'u') {
        strbuf d = {0};
        if (e >= 0x20 && e < 0x7F) {
            sb_printf(&d, "\\%c", e);
        } else {
            size_t n;
            code_point_at(sc, at + 1, &n);
            sb_puts(&d, "\\");
            if (e >= 0x80)
                sb_append(&d, sc->s + at + 1, n);
        }
        problem(sc, at, "invalid escape \"%s\" in a string "
                "(expected \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)", d.s ? d.s : "\\");
        sb_free(&d);
        size_t n = 1;
        if (e)
            code_point_at(sc, at + 1, &n);
        sc->pos += 1 + (e ? n : 0);
        return;
    }
    long u = u_escape(sc->s + at, sc->len - at);
    if (u < 0) {
        size_t k = 2;
        while (k < 6 && at + k < sc->len && hex_value(peek_at(sc, at + k)) >= 0)
            k++;
        strbuf d = {0};
        size_t n = 0;
        if (at + k < sc->len && peek_at(sc, at + k) != '"')
            code_point_at(sc, at + k, &n);
        sb_append(&d, sc->s + at, k + n);
        problem(sc, at, "invalid escape \"%s\" (expected 4 hex digits after \\u)",
                d.s ? d.s : "\\u");
        sb_free(&d);
        sc->pos += k;
        return;
    }
    sc->pos += 6;
    if (u >= 0xD800 && u <= 0xDBFF) {
        long lo = peek(sc) == '\\' ? u_escape(sc->s + sc->pos, sc->len - sc->pos) : -1;
        if (lo >= 0xDC00 && lo <= 0xDFFF)
            sc->pos += 6;
        else
            problem(sc, at, "\\u%04lX is an unpaired surrogate "
                    "(expected a low surrogate \\uDC00..\\uDFFF after it)", u);
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
        problem(sc, at, "\\u%04lX is an unpaired surrogate "
                "(a low surrogate must follow a high surrogate \\uD800..\\uDBFF)", u);
    } else if (u == 0) {
        problem(sc, at, "\\u0000 is not allowed in a string (text cannot contain NUL)");
    }
}

static void string_control(scanner *sc, unsigned char c, bool unterminated)
{
    if ((c == '\n' || c == '\r') && unterminated)
        ;   /* the end of input will be reported: that is the real problem */
    else if (c == '\n' || c == '\r')
        problem(sc, sc->pos, "line break inside a string (write \\n, or close the string with '\"')");
    else if (c == '\t')
        problem(sc, sc->pos, "tab character inside a string (write \\t)");
    else
        problem(sc, sc->pos, "control character U+%04X inside a string (write \\u%04X)", c, c);
    sc->pos++;
}

static bool scan_string(scanner *sc, span *sp)
{
    size_t open = sc->pos++;
    span local = {sc->pos, 0, false};
    int unterminated = -1;   /* found out at the first raw line break */
    while (!sc->stop) {
        if (sc->pos >= sc->len) {
            strbuf m = {0};
            sb_puts(&m, "unexpected end of input inside a string (expected '\"' to close the string at ");
            format_position(&m, sc, open);
            sb_puts(&m, ")");
            problem(sc, end_of_text(sc), "%s", m.s ? m.s : "unexpected end of input");
            sb_free(&m);
            sc->stop = true;
            return false;
        }
        unsigned char c = peek(sc);
        if (c == '"')
            break;
        if (c == '\\')
            string_escape(sc, &local.escaped);
        else if (c < 0x20) {
            if (unterminated < 0)
                unterminated = !memchr(sc->s + sc->pos, '"', sc->len - sc->pos);
            string_control(sc, c, unterminated);
        }
        else
            sc->pos++;
    }
    local.end = sc->pos++;
    if (sp)
        *sp = local;
    return !sc->stop;
}

/* 'text' or “text”: reported, then skipped when it closes on the same line. */
static bool scan_misquoted(scanner *sc, bool is_key)
{
    size_t open = sc->pos, n;
    uint32_t cp = code_point_at(sc, open, &n);
    if (cp == '\'')
        problem(sc, open, is_key ? "object keys must be strings in double quotes"
                                 : "strings must use double quotes");
    else
        problem(sc, open, "%s U+%04X \"%.*s\" cannot quote a string "
                "(strings must use straight double quotes \")",
                find_lookalike(cp)->name, (unsigned)cp, (int)n, sc->s + open);
    for (size_t i = open + n; i < sc->len && sc->s[i] != '\n';) {
        size_t k;
        uint32_t c = code_point_at(sc, i, &k);
        if (c == '\\') {
            i += 2;
            continue;
        }
        if ((cp == '\'' && c == '\'') ||
            (cp != '\'' && (c == 0x201C || c == 0x201D || c == 0xFF02 || c == '"'))) {
            sc->pos = i + k;
            return !sc->stop;
        }
        i += k;
    }
    sc->stop = true;
    return false;
}

static bool is_misquote(uint32_t cp)
{
    const lookalike *l = find_lookalike(cp);
    return cp == '\'' || (l && l->ascii == '"');
}

/* --- numbers and bare words --- */

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static size_t digits_end(const scanner *sc, size_t i)
{
    while (is_digit(peek_at(sc, i)))
        i++;
    return i;
}

static size_t number_chars_end(const scanner *sc, size_t i)
{
    unsigned char c;
    while ((c = peek_at(sc, i)) && (is_digit(c) || strchr(".eE+-", c)))
        i++;
    return i;
}

static bool scan_number(scanner *sc)
{
    size_t start = sc->pos, p = start;
    const char *bad = NULL;
    if (peek_at(sc, p) == '-' && strncmp(sc->s + p + 1, "Infinity", 8) == 0) {
        problem(sc, start, "-Infinity is not a JSON number (numbers must be finite)");
        sc->pos = p + 9;
        return !sc->stop;
    }
    if (peek_at(sc, p) == '+') {
        bad = "JSON numbers cannot start with '+'";
    } else {
        if (peek_at(sc, p) == '-')
            p++;
        if (peek_at(sc, p) == '0' && is_digit(peek_at(sc, p + 1)))
            bad = "JSON numbers cannot have leading zeros";
        else if (peek_at(sc, p) == '.')
            bad = "expected a digit before the decimal point";
        else if (!is_digit(peek_at(sc, p)))
            bad = "expected a digit after '-'";
        p = digits_end(sc, p);
        if (!bad && peek_at(sc, p) == '.') {
            if (!is_digit(peek_at(sc, p + 1)))
                bad = "expected a digit after the decimal point";
            p = digits_end(sc, p + 1);
        }
        if (!bad && (peek_at(sc, p) == 'e' || peek_at(sc, p) == 'E')) {
            p++;
            if (peek_at(sc, p) == '+' || peek_at(sc, p) == '-')
                p++;
            if (!is_digit(peek_at(sc, p)))
                bad = "expected a digit in the exponent";
            p = digits_end(sc, p);
        }
    }
    size_t end = number_chars_end(sc, p);
    if (!bad && end != p)
        bad = "expected digits with at most one '.' and one exponent";
    if (bad) {
        strbuf q = {0};
        json_quote(&q, sc->s + start, end - start);
        problem(sc, start, "invalid number %s (%s)", q.s ? q.s : "", bad);
        sb_free(&q);
        sc->pos = end;
        return !sc->stop;
    }
    if ((end - start == 1 || (end - start == 2 && sc->s[start] == '-')) &&
        (peek_at(sc, end) == 'x' || peek_at(sc, end) == 'X')) {
        size_t e = end + 1;
        while (hex_value(peek_at(sc, e)) >= 0)
            e++;
        problem(sc, start, "hexadecimal number \"%.*s\" (JSON numbers are decimal)",
                (int)(e - start), sc->s + start);
        sc->pos = e;
        return !sc->stop;
    }
    if (end - start > 63)
        problem(sc, start, "number with %zu characters is too long (at most 63)", end - start);
    sc->pos = end;
    if (is_word_byte(sc, end) || peek_at(sc, end) == '%') {
        size_t w = word_end(sc, end);
        while (peek_at(sc, w) == '%')
            w = word_end(sc, w + 1);
        strbuf q = {0};
        json_quote(&q, sc->s + end, w - end);
        problem(sc, start, "number %.*s followed by %s (a number cannot carry a unit; "
                "write the unit as text elsewhere, e.g. in \"unit\")",
                (int)(end - start), sc->s + start, q.s ? q.s : "");
        sb_free(&q);
        sc->pos = w;
    }
    return !sc->stop;
}

static bool word_is(const char *w, size_t n, const char *lit)
{
    return strlen(lit) == n && strncmp(w, lit, n) == 0;
}

static bool word_is_nocase(const char *w, size_t n, const char *lit)
{
    if (strlen(lit) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char a = w[i], b = lit[i];
        if (a >= 'A' && a <= 'Z') a = (char)(a - 'A' + 'a');
        if (a != b)
            return false;
    }
    return true;
}

static bool scan_word(scanner *sc)
{
    size_t start = sc->pos, end = word_end(sc, start);
    if (end == start)
        end = start + 1;
    const char *w = sc->s + start;
    size_t n = end - start;
    sc->pos = end;
    if (word_is(w, n, "true") || word_is(w, n, "false") || word_is(w, n, "null"))
        return true;
    static const char *const LITERALS[] = {"true", "false", "null"};
    if (word_is_nocase(w, n, "nan")) {
        problem(sc, start, "NaN is not a JSON number (use null for a missing value)");
    } else if (word_is_nocase(w, n, "infinity") || word_is_nocase(w, n, "inf")) {
        problem(sc, start, "Infinity is not a JSON number (numbers must be finite)");
    } else if (word_is_nocase(w, n, "none") || word_is_nocase(w, n, "nil") ||
               word_is_nocase(w, n, "undefined") || word_is_nocase(w, n, "null")) {
        problem(sc, start, "%.*s is not a JSON value (write null)", (int)n, w);
    } else {
        for (int i = 0; i < 3; i++) {
            size_t ln = strlen(LITERALS[i]);
            bool prefix = n < ln && strncmp(w, LITERALS[i], n) == 0;
            if (word_is_nocase(w, n, LITERALS[i]) || prefix) {
                problem(sc, start, "%.*s is not a JSON value (write %s)", (int)n, w, LITERALS[i]);
                return !sc->stop;
            }
        }
        strbuf q = {0};
        json_quote(&q, w, n);
        problem(sc, start, "unquoted text %s (strings must use double quotes)", q.s ? q.s : "");
        sb_free(&q);
    }
    return !sc->stop;
}

/* --- duplicate keys --- */

static uint32_t hash_bytes(const char *s, size_t n, uint32_t seed)
{
    uint32_t h = 2166136261u ^ seed;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h ? h : 1;
}

/* The key's characters after unescaping (into tmp when it has escapes). */
static const char *key_text(scanner *sc, const key_entry *k, strbuf *tmp, size_t *n)
{
    const char *raw = sc->s + k->off + 1;
    if (!k->escaped) {
        *n = k->len;
        return raw;
    }
    sb_truncate(tmp, 0);
    unescape(raw, k->len, tmp);
    *n = tmp->s ? tmp->len : 0;
    return tmp->s ? tmp->s : "";
}

static bool same_key(scanner *sc, const key_entry *a, const key_entry *b)
{
    size_t na, nb;
    const char *ta = key_text(sc, a, &sc->tmp1, &na);
    const char *tb = key_text(sc, b, &sc->tmp2, &nb);
    return na == nb && memcmp(ta, tb, na) == 0;
}

static void table_put(key_table *t, const key_entry *e)
{
    size_t mask = t->cap - 1;
    for (size_t i = e->hash & mask;; i = (i + 1) & mask)
        if (t->slots[i].off == SIZE_MAX) {
            t->slots[i] = *e;
            return;
        }
}

static bool table_grow(key_table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 64;
    key_entry *slots = malloc(cap * sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < cap; i++)
        slots[i].off = SIZE_MAX;
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    for (size_t i = 0; i < t->nlive; i++)
        table_put(t, &t->live[i]);
    return true;
}

static bool live_push(key_table *t, const key_entry *e)
{
    if (t->nlive == t->live_cap) {
        size_t cap = t->live_cap ? t->live_cap * 2 : 64;
        key_entry *live = realloc(t->live, cap * sizeof *live);
        if (!live)
            return false;
        t->live = live;
        t->live_cap = cap;
    }
    t->live[t->nlive++] = *e;
    return true;
}

/* Records a key of object `object`; returns the earlier entry with the same
 * key, or NULL. */
static const key_entry *key_add(scanner *sc, uint32_t object, const span *sp)
{
    key_table *t = &sc->keys;
    key_entry e = {sp->start - 1, sp->end - sp->start, 0, object, sp->escaped};
    size_t n;
    const char *text = key_text(sc, &e, &sc->tmp1, &n);
    e.hash = hash_bytes(text, n, object * 2654435761u);
    if ((t->nlive + 1) * 2 > t->cap && !table_grow(t))
        return NULL;   /* out of memory: duplicates go unnoticed, nothing worse */
    size_t mask = t->cap - 1;
    for (size_t i = e.hash & mask; t->slots[i].off != SIZE_MAX; i = (i + 1) & mask) {
        const key_entry *o = &t->slots[i];
        if (o->hash == e.hash && o->object == object && same_key(sc, o, &e))
            return o;
    }
    if (live_push(t, &e))
        table_put(t, &e);
    return NULL;
}

/* Newest first: then every chain that led to an entry is still intact
 * when it is removed (older entries never probed past newer ones). */
static void keys_release(key_table *t, size_t mark)
{
    size_t mask = t->cap - 1;
    for (size_t k = t->nlive; k-- > mark;) {
        const key_entry *e = &t->live[k];
        for (size_t i = e->hash & mask; t->slots[i].off != SIZE_MAX; i = (i + 1) & mask)
            if (t->slots[i].off == e->off) {
                t->slots[i].off = SIZE_MAX;
                break;
            }
    }
    t->nlive = mark;
}

static void check_duplicate(scanner *sc, uint32_t object, const span *sp)
{
    const key_entry *first = key_add(sc, object, sp);
    if (!first)
        return;
    strbuf m = {0};
    strbuf k = {0};
    size_t n;
    key_entry e = {sp->start - 1, sp->end - sp->start, 0, object, sp->escaped};
    const char *text = key_text(sc, &e, &sc->tmp1, &n);
    json_quote(&k, text, n);
    sb_printf(&m, "duplicate key %s (first at ", k.s ? k.s : "");
    format_position(&m, sc, first->off);
    sb_puts(&m, ")");
    problem(sc, sp->start - 1, "%s", m.s ? m.s : "duplicate key");
    sb_free(&m);
    sb_free(&k);
}

/* --- containers --- */

static bool scan_value(scanner *sc, int depth);

static bool end_of_input(scanner *sc, const char *expected, char open, size_t open_at)
{
    strbuf m = {0};
    sb_printf(&m, "unexpected end of input (expected %s", expected);
    if (open) {
        sb_printf(&m, " to close the %s at ", open == '{' ? "object" : "array");
        format_position(&m, sc, open_at);
    }
    sb_puts(&m, ")");
    problem(sc, end_of_text(sc), "%s", m.s ? m.s : "unexpected end of input");
    sb_free(&m);
    sc->stop = true;
    return false;
}

static bool mismatched_close(scanner *sc, char open, size_t open_at)
{
    strbuf m = {0};
    sb_printf(&m, "'%c' does not match '%c' at ", peek(sc), open);
    format_position(&m, sc, open_at);
    sb_printf(&m, " (expected '%c')", open == '{' ? '}' : ']');
    problem(sc, sc->pos, "%s", m.s ? m.s : "mismatched bracket");
    sb_free(&m);
    sc->stop = true;
    return false;
}

/* After a member or element: ',' (true, more follow), the closing bracket
 * (true, *done set), or a diagnosed mistake. */
static bool scan_separator(scanner *sc, char open, size_t open_at, bool *done)
{
    char close = open == '{' ? '}' : ']';
    const char *expected = open == '{' ? "',' or '}'" : "',' or ']'";
    skip_space(sc);
    if (sc->stop)
        return false;
    unsigned char c = peek(sc);
    size_t n;
    uint32_t cp = code_point_at(sc, sc->pos, &n);
    const lookalike *l = c >= 0x80 ? find_lookalike(cp) : NULL;
    *done = false;
    if (c == close) {
        sc->pos++;
        *done = true;
        return true;
    }
    if (c == ',' || (l && l->ascii == ',')) {
        size_t comma = sc->pos;
        if (c != ',') {
            problem(sc, comma, "%s U+%04X \"%.*s\" is not JSON punctuation (expected ',')",
                    l->name, (unsigned)cp, (int)n, sc->s + comma);
        }
        sc->pos += c == ',' ? 1 : n;
        skip_space(sc);
        if (peek(sc) == (unsigned char)close) {
            problem(sc, comma, "trailing comma before '%c' (expected %s)", close,
                    open == '{' ? "a key in double quotes" : "a value");
            sc->pos++;
            *done = true;
        }
        return !sc->stop;
    }
    if (sc->pos >= sc->len)
        return end_of_input(sc, expected, open, open_at);
    if (c == '}' || c == ']')
        return mismatched_close(sc, open, open_at);
    if (open == '{' ? c == '"' : starts_value(sc, sc->pos)) {
        problem(sc, sc->pos, "missing ',' between %s (expected %s)",
                open == '{' ? "members" : "elements", expected);
        return !sc->stop;
    }
    return unexpected(sc, sc->pos, expected);
}

static bool scan_key(scanner *sc, uint32_t object)
{
    unsigned char c = peek(sc);
    size_t n;
    uint32_t cp = code_point_at(sc, sc->pos, &n);
    if (c == '"') {
        span sp;
        if (!scan_string(sc, &sp))
            return false;
        check_duplicate(sc, object, &sp);
        return !sc->stop;
    }
    if (is_misquote(cp))
        return scan_misquoted(sc, true);
    if (sc->pos >= sc->len)
        return end_of_input(sc, "a key in double quotes", 0, 0);
    if (c != '-' && c != '.' && !is_digit(c) && is_word_byte(sc, sc->pos)) {
        size_t end = word_end(sc, sc->pos);
        strbuf q = {0};
        json_quote(&q, sc->s + sc->pos, end - sc->pos);
        problem(sc, sc->pos, "object keys must be strings in double quotes (write %s)",
                q.s ? q.s : "");
        sb_free(&q);
        sc->pos = end;
        return !sc->stop;
    }
    return unexpected(sc, sc->pos, "a key in double quotes");
}

static bool scan_colon(scanner *sc)
{
    skip_space(sc);
    if (sc->stop)
        return false;
    size_t n;
    uint32_t cp = code_point_at(sc, sc->pos, &n);
    const lookalike *l = cp >= 0x80 ? find_lookalike(cp) : NULL;
    if (cp == ':') {
        sc->pos++;
        return true;
    }
    if (l && l->ascii == ':') {
        problem(sc, sc->pos, "%s U+%04X \"%.*s\" is not JSON punctuation (expected ':')",
                l->name, (unsigned)cp, (int)n, sc->s + sc->pos);
        sc->pos += n;
        return !sc->stop;
    }
    if (cp == '=') {
        problem(sc, sc->pos, "'=' cannot separate a key from its value (expected ':')");
        sc->pos++;
        return !sc->stop;
    }
    if (sc->pos >= sc->len)
        return end_of_input(sc, "':'", 0, 0);
    return unexpected(sc, sc->pos, "':' after the key");
}

static bool scan_object(scanner *sc, int depth)
{
    size_t open = sc->pos++;
    uint32_t object = ++sc->objects;
    size_t mark = sc->keys.nlive;
    bool ok = true, done = false;
    skip_space(sc);
    if (peek(sc) == '}') {
        sc->pos++;
        return !sc->stop;
    }
    while (ok && !done) {
        skip_space(sc);
        if (sc->stop)
            break;
        if (sc->pos >= sc->len) {
            ok = end_of_input(sc, "a key in double quotes", '{', open);
            break;
        }
        ok = scan_key(sc, object) && scan_colon(sc);
        if (!ok)
            break;
        skip_space(sc);
        ok = !sc->stop && scan_value(sc, depth) && scan_separator(sc, '{', open, &done);
    }
    keys_release(&sc->keys, mark);
    return ok && !sc->stop;
}

static bool scan_array(scanner *sc, int depth)
{
    size_t open = sc->pos++;
    bool ok = true, done = false;
    skip_space(sc);
    if (peek(sc) == ']') {
        sc->pos++;
        return !sc->stop;
    }
    while (ok && !done) {
        skip_space(sc);
        ok = !sc->stop && scan_value(sc, depth) && scan_separator(sc, '[', open, &done);
    }
    return ok && !sc->stop;
}

static bool scan_value(scanner *sc, int depth)
{
    unsigned char c = peek(sc);
    size_t n;
    uint32_t cp = code_point_at(sc, sc->pos, &n);
    if (sc->pos >= sc->len)
        return end_of_input(sc, "a value", 0, 0);
    if (c == '{' || c == '[') {
        if (depth >= JSON_MAX_DEPTH)   /* the prescan makes this unreachable */
            return FATAL(sc, sc->pos, "nesting is too deep (at most 64 levels of arrays and objects)");
        return c == '{' ? scan_object(sc, depth + 1) : scan_array(sc, depth + 1);
    }
    if (c == '"')
        return scan_string(sc, NULL);
    if (c == '-' || c == '+' || c == '.' || is_digit(c))
        return scan_number(sc);
    if (is_misquote(cp))
        return scan_misquoted(sc, false);
    if (c == ',')
        return unexpected(sc, sc->pos, "a value");
    if (is_word_byte(sc, sc->pos))
        return scan_word(sc);
    return unexpected(sc, sc->pos, "a value");
}

static void scan_document(scanner *sc)
{
    skip_space(sc);
    if (sc->pos >= sc->len) {
        if (!sc->stop)
            problem(sc, SIZE_MAX, "empty input (expected a JSON object)");
        return;
    }
    if (!scan_value(sc, 0))
        return;
    skip_space(sc);
    if (sc->pos < sc->len && !sc->stop) {
        strbuf d = {0};
        describe_char(&d, sc, sc->pos);
        problem(sc, sc->pos, "unexpected %s after the end of the JSON document "
                "(expected the end of the input)", d.s ? d.s : "text");
        sb_free(&d);
    }
}

static size_t strict_scan(const char *text, size_t len, const char *name, brief_diag *diag)
{
    scanner sc = {.s = text, .len = len, .name = name, .diag = diag};
    scan_document(&sc);
    free(sc.keys.slots);
    free(sc.keys.live);
    sb_free(&sc.tmp1);
    sb_free(&sc.tmp2);
    return sc.problems;
}

cJSON *json_parse(const char *text, size_t len, const char *name, brief_diag *diag)
{
    if (!prescan(text, len, name, diag))
        return NULL;
    /* len + 1: with require_null_terminated cJSON wants to see the NUL. */
    cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, NULL, 1);
    if (strict_scan(text, len, name, diag) > 0) {
        cJSON_Delete(root);
        return NULL;
    }
    if (!root) {
        /* Valid JSON that cJSON refused: it ran out of memory. */
        diag_error(diag, BRIEF_E_OSERR, name, "out of memory while parsing the JSON text");
        return NULL;
    }
    return root;
}

/* ------------------------------------------------------------------ */
/* paths                                                               */

static bool plain_key(const char *key)
{
    if (!*key)
        return false;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        if (!(*p >= 0x80 || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return false;
    return true;
}

void json_path_key(strbuf *path, const char *key)
{
    if (plain_key(key)) {
        if (path->len > 0)
            sb_puts(path, ".");
        sb_puts(path, key);
        return;
    }
    sb_puts(path, "[\"");
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        if (*p == '"' || *p == '\\')
            sb_printf(path, "\\%c", *p);
        else if (*p < 0x20)
            sb_printf(path, "\\u%04X", *p);
        else
            sb_append(path, (const char *)p, 1);
    }
    sb_puts(path, "\"]");
}

void json_path_index(strbuf *path, size_t index)
{
    sb_printf(path, "[%zu]", index);
}

/* One step of a path: a key (decoded) or an index. */
typedef struct path_step {
    bool is_index;
    size_t index;
    strbuf key;
} path_step;

/* Reads the step at *p; false at the end of the path or when malformed. */
static bool next_step(const char **p, path_step *st)
{
    const char *s = *p;
    sb_truncate(&st->key, 0);
    st->is_index = false;
    if (!*s)
        return false;
    if (*s == '[' && s[1] == '"') {
        s += 2;
        while (*s && *s != '"') {
            if (*s == '\\' && s[1] == 'u') {
                long u = u_escape(s, strlen(s));
                if (u < 0)
                    return false;
                utf8_encode(&st->key, (uint32_t)u);
                s += 6;
            } else {
                if (*s == '\\' && s[1])
                    s++;
                sb_append(&st->key, s++, 1);
            }
        }
        if (s[0] != '"' || s[1] != ']')
            return false;
        *p = s + 2;
        if (!st->key.s)
            sb_puts(&st->key, "");
        return !st->key.failed;
    }
    if (*s == '[') {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(s + 1, &end, 10);
        if (end == s + 1 || *end != ']' || errno)
            return false;
        st->is_index = true;
        st->index = (size_t)v;
        *p = end + 1;
        return true;
    }
    if (*s == '.')
        s++;
    size_t n = strcspn(s, ".[");
    if (n == 0)
        return false;
    sb_append(&st->key, s, n);
    *p = s + n;
    return !st->key.failed;
}

static size_t skip_ws(const char *t, size_t len, size_t i)
{
    while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
        i++;
    return i;
}

/* Offset just past the string that opens at i.  memchr, because long
 * Chinese paragraphs are most of a brief's bytes. */
static size_t skip_string(const char *t, size_t len, size_t i)
{
    for (i++; i < len;) {
        const char *q = memchr(t + i, '"', len - i);
        if (!q)
            return len;
        size_t k = (size_t)(q - t), backslashes = 0;
        while (k - backslashes > i && t[k - backslashes - 1] == '\\')
            backslashes++;
        if (backslashes % 2 == 0)
            return k + 1;
        i = k + 1;
    }
    return len;
}

static size_t skip_value(const char *t, size_t len, size_t i)
{
    if (i >= len)
        return len;
    if (t[i] == '"')
        return skip_string(t, len, i);
    if (t[i] == '{' || t[i] == '[') {
        int depth = 0;
        while (i < len) {
            char c = t[i];
            if (c == '"') {
                i = skip_string(t, len, i);
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            else if ((c == '}' || c == ']') && --depth == 0)
                return i + 1;
            i++;
        }
        return len;
    }
    while (i < len && !strchr(",]} \t\r\n", t[i]))
        i++;
    return i;
}

static bool key_matches(const char *t, size_t start, size_t end, const strbuf *want, strbuf *tmp)
{
    const char *raw = t + start + 1;
    size_t n = end - start - 2;
    const char *w = want->s ? want->s : "";
    if (!memchr(raw, '\\', n))
        return n == want->len && memcmp(raw, w, n) == 0;
    sb_truncate(tmp, 0);
    unescape(raw, n, tmp);
    return tmp->s && tmp->len == want->len && memcmp(tmp->s, w, want->len) == 0;
}

/* Moves *pos from the '{' of an object to the value of member `want`;
 * *key_at gets its key.  False when there is no such member. */
static bool enter_member(const char *t, size_t len, size_t *pos, const strbuf *want,
                         size_t *key_at, strbuf *tmp)
{
    size_t i = skip_ws(t, len, *pos + 1);
    while (i < len && t[i] == '"') {
        size_t kstart = i, kend = skip_string(t, len, i);
        i = skip_ws(t, len, kend);
        i = skip_ws(t, len, i + 1);          /* the ':' */
        if (key_matches(t, kstart, kend, want, tmp)) {
            *key_at = kstart;
            *pos = i;
            return true;
        }
        i = skip_ws(t, len, skip_value(t, len, i));
        if (i < len && t[i] == ',')
            i = skip_ws(t, len, i + 1);
    }
    return false;
}

static bool enter_element(const char *t, size_t len, size_t *pos, size_t index)
{
    size_t i = skip_ws(t, len, *pos + 1);
    for (size_t k = 0; i < len && t[i] != ']'; k++) {
        if (k == index) {
            *pos = i;
            return true;
        }
        i = skip_ws(t, len, skip_value(t, len, i));
        if (i < len && t[i] == ',')
            i = skip_ws(t, len, i + 1);
    }
    return false;
}

bool json_locate(const char *text, size_t len, const char *path, json_target target,
                 size_t *offset)
{
    size_t pos = skip_ws(text, len, 0), key_at = SIZE_MAX;
    path_step st = {0};
    strbuf tmp = {0};
    const char *p = path ? path : "";
    bool found = true;
    while (*p) {
        if (!next_step(&p, &st)) {
            found = false;
            break;
        }
        size_t next = pos;
        if (st.is_index) {
            found = pos < len && text[pos] == '[' && enter_element(text, len, &next, st.index);
            key_at = SIZE_MAX;
        } else {
            found = pos < len && text[pos] == '{' &&
                    enter_member(text, len, &next, &st.key, &key_at, &tmp);
        }
        if (!found)
            break;
        pos = next;
    }
    sb_free(&st.key);
    sb_free(&tmp);
    *offset = (found && target == JSON_AT_KEY && key_at != SIZE_MAX) ? key_at : pos;
    if (*offset > len)
        *offset = len;
    return found;
}
