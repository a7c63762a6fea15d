/*
 * json_scan.c — pass 3 of reading, the tokens: white space, strings,
 * numbers, words, and the messages that describe what was found where.
 *
 * Takes the text json_parse already prescanned (valid UTF-8, no NUL,
 * bounded depth).  Gives a problem report per mistake, with line:column
 * and what was expected; recovers from local mistakes so one run reports
 * several.  Objects, arrays and duplicate keys are in json_structure.c.
 *
 * Why a second grammar beside cJSON: cJSON accepts things JSON forbids
 * (leading zeros, "1.", raw control characters in strings, "\u12G4",
 * "\u0000", form feeds between tokens, duplicate keys, numbers cJSON
 * truncates at 63 characters) and, when it fails, offers only an error
 * pointer that is sometimes one token late and never says what was
 * expected.  cJSON stays the one tree builder; this pass only judges the
 * text and notes where each value starts (json_positions.c).
 */
#define _POSIX_C_SOURCE 200809L
#include "input/json_scan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sc_problem(scanner *sc, size_t offset, const char *fmt, ...)
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

static unsigned char peek_at(const scanner *sc, size_t i)
{
    return i < sc->len ? (unsigned char)sc->s[i] : 0;
}
unsigned char sc_peek(const scanner *sc) { return peek_at(sc, sc->pos); }

uint32_t sc_code_point_at(const scanner *sc, size_t i, size_t *n)
{
    if (i >= sc->len) {
        *n = 1;
        return 0;
    }
    return utf8_next((const unsigned char *)sc->s + i, sc->len - i, n);
}

/* Characters that Chinese input methods produce where JSON wants ASCII. */

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

const lookalike *sc_find_lookalike(uint32_t cp)
{
    for (size_t i = 0; i < sizeof LOOKALIKES / sizeof LOOKALIKES[0]; i++)
        if (LOOKALIKES[i].cp == cp)
            return &LOOKALIKES[i];
    return NULL;
}

/* What the character at `i` is, for "unexpected X" messages. */
void sc_describe_char(strbuf *b, const scanner *sc, size_t i)
{
    size_t n;
    uint32_t cp = sc_code_point_at(sc, i, &n);
    if (cp >= 0x20 && cp < 0x7F) {
        sb_printf(b, "'%c'", (int)cp);
    } else if (cp < 0x80) {
        sb_printf(b, "control character U+%04X", (unsigned)cp);
    } else {
        const lookalike *l = sc_find_lookalike(cp);
        sb_printf(b, "%s U+%04X \"", l ? l->name : "character", (unsigned)cp);
        sb_append(b, sc->s + i, n);
        sb_puts(b, "\"");
    }
}

bool sc_unexpected(scanner *sc, size_t at, const char *expected)
{
    strbuf d = {0};
    sc_describe_char(&d, sc, at);
    sc_problem(sc, at, "unexpected %s (expected %s)", d.s ? d.s : "character", expected);
    sb_free(&d);
    sc->stop = true;
    return false;
}

/* Offset just after the last token, where "unexpected end" is shown. */
size_t sc_end_of_text(const scanner *sc)
{
    size_t p = sc->len;
    while (p > 0 && strchr(" \t\r\n", sc->s[p - 1]))
        p--;
    return p;
}

void sc_format_position(strbuf *b, const scanner *sc, size_t offset)
{
    int line, col;
    json_line_column(sc->s, sc->len, offset, &line, &col);
    sb_printf(b, "%d:%d", line, col);
}

static bool is_space_lookalike(uint32_t cp)
{
    const lookalike *l = sc_find_lookalike(cp);
    return l && l->ascii == ' ';
}

static void skip_comment(scanner *sc)
{
    sc_problem(sc, sc->pos, "comments are not allowed in JSON");
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

void sc_skip_space(scanner *sc)
{
    while (!sc->stop && sc->pos < sc->len) {
        unsigned char c = sc_peek(sc);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            sc->pos++;
        } else if (c == '/' && (peek_at(sc, sc->pos + 1) == '/' || peek_at(sc, sc->pos + 1) == '*')) {
            skip_comment(sc);
        } else if (c < 0x20) {
            sc_problem(sc, sc->pos, "control character U+%04X between values "
                    "(expected spaces, tabs or line breaks)", c);
            sc->pos++;
        } else if (c >= 0x80) {
            size_t n;
            uint32_t cp = sc_code_point_at(sc, sc->pos, &n);
            if (!is_space_lookalike(cp))
                return;
            sc_problem(sc, sc->pos, "%s U+%04X is not JSON white space (expected ASCII spaces)",
                    sc_find_lookalike(cp)->name, (unsigned)cp);
            sc->pos += n;
        } else {
            return;
        }
    }
}

bool sc_is_word_byte(const scanner *sc, size_t i)
{
    unsigned char c = peek_at(sc, i);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        c == '_' || c == '$' || c == '-' || c == '.')
        return true;
    if (c < 0x80)
        return false;
    size_t n;
    uint32_t cp = sc_code_point_at(sc, i, &n);
    return !sc_find_lookalike(cp) && !(cp >= 0x2000 && cp <= 0x206F) &&
           !(cp >= 0x3000 && cp <= 0x303F) && !(cp >= 0xFF00 && cp <= 0xFF0F) &&
           !(cp >= 0xFF1A && cp <= 0xFF20);
}

size_t sc_word_end(const scanner *sc, size_t i)
{
    while (i < sc->len && sc_is_word_byte(sc, i)) {
        size_t n;
        sc_code_point_at(sc, i, &n);
        i += n;
    }
    return i;
}

bool sc_starts_value(const scanner *sc, size_t i)
{
    unsigned char c = peek_at(sc, i);
    return c == '{' || c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') ||
           c == 't' || c == 'f' || c == 'n';
}

/* --- strings --- */


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
            sc_code_point_at(sc, at + 1, &n);
            sb_puts(&d, "\\");
            if (e >= 0x80)
                sb_append(&d, sc->s + at + 1, n);
        }
        sc_problem(sc, at, "invalid escape \"%s\" in a string "
                "(expected \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)", d.s ? d.s : "\\");
        sb_free(&d);
        size_t n = 1;
        if (e)
            sc_code_point_at(sc, at + 1, &n);
        sc->pos += 1 + (e ? n : 0);
        return;
    }
    long u = json_u_escape(sc->s + at, sc->len - at);
    if (u < 0) {
        size_t k = 2;
        while (k < 6 && at + k < sc->len && json_hex_value(peek_at(sc, at + k)) >= 0)
            k++;
        strbuf d = {0};
        size_t n = 0;
        if (at + k < sc->len && peek_at(sc, at + k) != '"')
            sc_code_point_at(sc, at + k, &n);
        sb_append(&d, sc->s + at, k + n);
        sc_problem(sc, at, "invalid escape \"%s\" (expected 4 hex digits after \\u)",
                d.s ? d.s : "\\u");
        sb_free(&d);
        sc->pos += k;
        return;
    }
    sc->pos += 6;
    if (u >= 0xD800 && u <= 0xDBFF) {
        long lo = sc_peek(sc) == '\\' ? json_u_escape(sc->s + sc->pos, sc->len - sc->pos) : -1;
        if (lo >= 0xDC00 && lo <= 0xDFFF)
            sc->pos += 6;
        else
            sc_problem(sc, at, "\\u%04lX is an unpaired surrogate "
                    "(expected a low surrogate \\uDC00..\\uDFFF after it)", u);
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
        sc_problem(sc, at, "\\u%04lX is an unpaired surrogate "
                "(a low surrogate must follow a high surrogate \\uD800..\\uDBFF)", u);
    } else if (u == 0) {
        sc_problem(sc, at, "\\u0000 is not allowed in a string (text cannot contain NUL)");
    }
}

static void string_control(scanner *sc, unsigned char c, bool unterminated)
{
    if ((c == '\n' || c == '\r') && unterminated)
        ;   /* the end of input will be reported: that is the real problem */
    else if (c == '\n' || c == '\r')
        sc_problem(sc, sc->pos, "line break inside a string (write \\n, or close the string with '\"')");
    else if (c == '\t')
        sc_problem(sc, sc->pos, "tab character inside a string (write \\t)");
    else
        sc_problem(sc, sc->pos, "control character U+%04X inside a string (write \\u%04X)", c, c);
    sc->pos++;
}

bool sc_string(scanner *sc, span *sp)
{
    size_t open = sc->pos++;
    span local = {sc->pos, 0, false};
    int unterminated = -1;   /* found out at the first raw line break */
    while (!sc->stop) {
        if (sc->pos >= sc->len) {
            strbuf m = {0};
            sb_puts(&m, "unexpected end of input inside a string (expected '\"' to close the string at ");
            sc_format_position(&m, sc, open);
            sb_puts(&m, ")");
            sc_problem(sc, sc_end_of_text(sc), "%s", m.s ? m.s : "unexpected end of input");
            sb_free(&m);
            sc->stop = true;
            return false;
        }
        unsigned char c = sc_peek(sc);
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
bool sc_misquoted(scanner *sc, bool is_key)
{
    size_t open = sc->pos, n;
    uint32_t cp = sc_code_point_at(sc, open, &n);
    if (cp == '\'')
        sc_problem(sc, open, is_key ? "object keys must be strings in double quotes"
                                 : "strings must use double quotes");
    else
        sc_problem(sc, open, "%s U+%04X \"%.*s\" cannot quote a string "
                "(strings must use straight double quotes \")",
                sc_find_lookalike(cp)->name, (unsigned)cp, (int)n, sc->s + open);
    for (size_t i = open + n; i < sc->len && sc->s[i] != '\n';) {
        size_t k;
        uint32_t c = sc_code_point_at(sc, i, &k);
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

bool sc_is_misquote(uint32_t cp)
{
    const lookalike *l = sc_find_lookalike(cp);
    return cp == '\'' || (l && l->ascii == '"');
}

/* --- numbers and bare words --- */


static size_t digits_end(const scanner *sc, size_t i)
{
    while (sc_is_digit(peek_at(sc, i)))
        i++;
    return i;
}

static size_t number_chars_end(const scanner *sc, size_t i)
{
    unsigned char c;
    while ((c = peek_at(sc, i)) && (sc_is_digit(c) || strchr(".eE+-", c)))
        i++;
    return i;
}

bool sc_number(scanner *sc)
{
    size_t start = sc->pos, p = start;
    const char *bad = NULL;
    if (peek_at(sc, p) == '-' && strncmp(sc->s + p + 1, "Infinity", 8) == 0) {
        sc_problem(sc, start, "-Infinity is not a JSON number (numbers must be finite)");
        sc->pos = p + 9;
        return !sc->stop;
    }
    if (peek_at(sc, p) == '+') {
        bad = "JSON numbers cannot start with '+'";
    } else {
        if (peek_at(sc, p) == '-')
            p++;
        if (peek_at(sc, p) == '0' && sc_is_digit(peek_at(sc, p + 1)))
            bad = "JSON numbers cannot have leading zeros";
        else if (peek_at(sc, p) == '.')
            bad = "expected a digit before the decimal point";
        else if (!sc_is_digit(peek_at(sc, p)))
            bad = "expected a digit after '-'";
        p = digits_end(sc, p);
        if (!bad && peek_at(sc, p) == '.') {
            if (!sc_is_digit(peek_at(sc, p + 1)))
                bad = "expected a digit after the decimal point";
            p = digits_end(sc, p + 1);
        }
        if (!bad && (peek_at(sc, p) == 'e' || peek_at(sc, p) == 'E')) {
            p++;
            if (peek_at(sc, p) == '+' || peek_at(sc, p) == '-')
                p++;
            if (!sc_is_digit(peek_at(sc, p)))
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
        sc_problem(sc, start, "invalid number %s (%s)", q.s ? q.s : "", bad);
        sb_free(&q);
        sc->pos = end;
        return !sc->stop;
    }
    if ((end - start == 1 || (end - start == 2 && sc->s[start] == '-')) &&
        (peek_at(sc, end) == 'x' || peek_at(sc, end) == 'X')) {
        size_t e = end + 1;
        while (json_hex_value(peek_at(sc, e)) >= 0)
            e++;
        sc_problem(sc, start, "hexadecimal number \"%.*s\" (JSON numbers are decimal)",
                (int)(e - start), sc->s + start);
        sc->pos = e;
        return !sc->stop;
    }
    if (end - start > 63)
        sc_problem(sc, start, "number with %zu characters is too long (at most 63)", end - start);
    sc->pos = end;
    if (sc_is_word_byte(sc, end) || peek_at(sc, end) == '%') {
        size_t w = sc_word_end(sc, end);
        while (peek_at(sc, w) == '%')
            w = sc_word_end(sc, w + 1);
        strbuf q = {0};
        json_quote(&q, sc->s + end, w - end);
        sc_problem(sc, start, "number %.*s followed by %s (a number cannot carry a unit; "
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

bool sc_word(scanner *sc)
{
    size_t start = sc->pos, end = sc_word_end(sc, start);
    if (end == start)
        end = start + 1;
    const char *w = sc->s + start;
    size_t n = end - start;
    sc->pos = end;
    if (word_is(w, n, "true") || word_is(w, n, "false") || word_is(w, n, "null"))
        return true;
    static const char *const LITERALS[] = {"true", "false", "null"};
    if (word_is_nocase(w, n, "nan")) {
        sc_problem(sc, start, "NaN is not a JSON number (use null for a missing value)");
    } else if (word_is_nocase(w, n, "infinity") || word_is_nocase(w, n, "inf")) {
        sc_problem(sc, start, "Infinity is not a JSON number (numbers must be finite)");
    } else if (word_is_nocase(w, n, "none") || word_is_nocase(w, n, "nil") ||
               word_is_nocase(w, n, "undefined") || word_is_nocase(w, n, "null")) {
        sc_problem(sc, start, "%.*s is not a JSON value (write null)", (int)n, w);
    } else {
        for (int i = 0; i < 3; i++) {
            size_t ln = strlen(LITERALS[i]);
            bool prefix = n < ln && strncmp(w, LITERALS[i], n) == 0;
            if (word_is_nocase(w, n, LITERALS[i]) || prefix) {
                sc_problem(sc, start, "%.*s is not a JSON value (write %s)", (int)n, w, LITERALS[i]);
                return !sc->stop;
            }
        }
        strbuf q = {0};
        json_quote(&q, w, n);
        sc_problem(sc, start, "unquoted text %s (strings must use double quotes)", q.s ? q.s : "");
        sb_free(&q);
    }
    return !sc->stop;
}

/* --- duplicate keys --- */
