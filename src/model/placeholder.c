/*
 * placeholder.c — parsing, evaluating and expanding `{…}` in text fields
 * (see placeholder.h for the syntax and the guarantees).
 *
 * Parsing is one left-to-right pass over the field; a placeholder ends at
 * the first unescaped '}', and inside it names are cut at the syntax
 * characters that stand at nesting depth 0 — so balanced (…) and […] stay
 * part of a name ("完成投资(亿元)") and only unbalanced ones need a '\'.
 * Every part and name keeps its byte offset in the field, which is all an
 * error needs to be placed at line:column (ph_json_position).
 */
#define _POSIX_C_SOURCE 200809L
#include "model/placeholder.h"
#include "input/json.h"
#include "util/numfmt.h"
#include "validate/validate.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE SIZE_MAX
#define MAX_LISTED 8   /* names listed in a message before "…" */

/* ------------------------------------------------------------------ */
/* errors                                                              */

/* Copies s into the message, cut (with "…") at a character boundary. */
static void set_message(ph_error *e, const char *s)
{
    size_t n = strlen(s), room = sizeof e->message - 1;
    if (n <= room) {
        memcpy(e->message, s, n + 1);
        return;
    }
    n = room - strlen("…");
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    memcpy(e->message, s, n);
    strcpy(e->message + n, "…");
}

/* s with control characters (C0, DEL, C1) written as \uXXXX and invalid
 * UTF-8 as U+FFFD: names come from the user, and a message must not carry
 * terminal escapes.  NULL if out of memory. */
static char *printable(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n * 6 + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n;) {
        const unsigned char *u = (const unsigned char *)s + i;
        size_t k = utf8_sequence_length(u, n - i);
        unsigned cp = k == 1 ? u[0] : k == 2 ? ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu) : 0x100;
        if (k == 0) {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
            continue;
        }
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
            o += sprintf(o, "\\u%04X", cp);
        else {
            memcpy(o, u, k);
            o += k;
        }
        i += k;
    }
    *o = '\0';
    return out;
}

static bool fail(ph_error *e, size_t off, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool fail(ph_error *e, size_t off, size_t len, const char *fmt, ...)
{
    memset(e, 0, sizeof *e);
    e->off = off;
    e->len = len;
    va_list ap;
    va_start(ap, fmt);
    char small[2];
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(small, sizeof small, fmt, aq);
    va_end(aq);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    char *shown = NULL;
    if (s) {
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        shown = printable(s);
        free(s);
    }
    if (shown) {
        set_message(e, shown);
        free(shown);
    } else {
        e->oom = true;
        set_message(e, "out of memory while reporting a placeholder error");
    }
    va_end(ap);
    return false;
}

static bool fail_oom(ph_error *e, const char *what)
{
    memset(e, 0, sizeof *e);
    e->oom = true;
    snprintf(e->message, sizeof e->message, "out of memory while %s", what);
    return false;
}

/* Appends " (did you mean X? KIND: a, b, c)" or " (no KIND are defined)". */
static void suggest(strbuf *m, const char *got, const char *const *names, size_t n,
                    const char *kind, const char *open, const char *close)
{
    if (n == 0) {
        sb_printf(m, " (no %s are defined)", kind);
        return;
    }
    const char *s = got ? suggest_name(got, names, n) : NULL;
    sb_puts(m, " (");
    if (s)
        sb_printf(m, "did you mean %s%s%s? ", open, s, close);
    sb_printf(m, "%s: ", kind);
    for (size_t i = 0; i < n && i < MAX_LISTED; i++)
        sb_printf(m, "%s%s", i ? ", " : "", names[i]);
    if (n > MAX_LISTED)
        sb_printf(m, ", … (%zu in all)", n);
    sb_puts(m, ")");
}

static bool fail_with(ph_error *e, size_t off, size_t len, strbuf *m)
{
    if (m->failed || !m->s) {
        sb_free(m);
        return fail_oom(e, "reporting a placeholder error");
    }
    fail(e, off, len, "%s", m->s);
    sb_free(m);
    return false;
}

static void quoted(strbuf *m, const char *s)
{
    json_quote(m, s, strlen(s));
}

/* ------------------------------------------------------------------ */
/* scanning                                                            */

typedef struct parser {
    const char *s;
    ph_error *err;
    const char *const *builtins;
    size_t nbuiltins;
} parser;

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

static bool is_punct(char c)
{
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

static void trim(const char *s, size_t *a, size_t *b)
{
    while (*a < *b && is_space(s[*a]))
        (*a)++;
    /* a space after a backslash is escaped, not trailing */
    while (*b > *a && is_space(s[*b - 1]) && !(*b - 1 > *a && s[*b - 2] == '\\'))
        (*b)--;
}

/* The first unescaped c in s[a..b) outside (…) and […], or NONE. */
static size_t find_top(const char *s, size_t a, size_t b, char c)
{
    int depth = 0;
    for (size_t i = a; i < b; i++) {
        char ch = s[i];
        if (ch == '\\') {
            i++;
            continue;
        }
        if (ch == c && depth == 0)
            return i;
        if (ch == '(' || ch == '[')
            depth++;
        else if ((ch == ')' || ch == ']') && depth > 0)
            depth--;
    }
    return NONE;
}

/* The bracket closing the one at s[open] ('(' or '['), counting nesting
 * of the same kind, before b; NONE if unclosed. */
static size_t matching(const char *s, size_t open, size_t b)
{
    char o = s[open], c = o == '(' ? ')' : ']';
    int depth = 0;
    for (size_t i = open; i < b; i++) {
        if (s[i] == '\\') {
            i++;
            continue;
        }
        if (s[i] == o)
            depth++;
        else if (s[i] == c && --depth == 0)
            return i;
    }
    return NONE;
}

/* A name from s[a..b): surrounding spaces dropped, escapes removed. */
static bool take_name(parser *p, size_t a, size_t b, const char *what, ph_name *out)
{
    trim(p->s, &a, &b);
    if (a == b)
        return fail(p->err, a, 0, "empty %s name", what);
    char *n = malloc(b - a + 1);
    if (!n)
        return fail_oom(p->err, "reading a placeholder");
    size_t k = 0;
    for (size_t i = a; i < b; i++) {
        if (p->s[i] == '\\') {
            if (i + 1 >= b || !is_punct(p->s[i + 1])) {
                free(n);
                return fail(p->err, i, 1, "\"\\\" before a character that needs no escape "
                            "(a backslash makes the next ASCII punctuation character part of a "
                            "name, such as \\. \\: \\, \\] or \\\\; in JSON write it \\\\)");
            }
            i++;
        }
        n[k++] = p->s[i];
    }
    n[k] = '\0';
    out->s = n;
    out->off = a;
    return true;
}

static void name_clear(ph_name *n)
{
    free(n->s);
    n->s = NULL;
}

static void arg_clear(ph_arg *a)
{
    name_clear(&a->dataset);
    name_clear(&a->column);
    name_clear(&a->row);
}

static void part_clear(ph_part *p)
{
    free(p->text);
    free(p->unit);
    name_clear(&p->name);
    arg_clear(&p->a);
    arg_clear(&p->b);
}

void ph_list_clear(ph_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; l->parts && i < l->n; i++)
        part_clear(&l->parts[i]);
    free(l->parts);
    memset(l, 0, sizeof *l);
}

/* ------------------------------------------------------------------ */
/* references                                                          */

typedef enum row_rule { ROW_REQUIRED, ROW_FORBIDDEN, COLUMN_OPTIONAL } row_rule;

static const char *const FUNCTIONS[] = {"sum", "count", "max", "min", "share", "ratio"};
static const ph_kind FUNCTION_KINDS[] = {PH_SUM, PH_COUNT, PH_MAX, PH_MIN, PH_SHARE, PH_RATIO};
#define NFUNCTIONS (sizeof FUNCTIONS / sizeof *FUNCTIONS)

static const char *function_name(ph_kind k)
{
    for (size_t i = 0; i < NFUNCTIONS; i++)
        if (FUNCTION_KINDS[i] == k)
            return FUNCTIONS[i];
    return "";
}

/* DATASET.COLUMN[ROW] (or what rule allows) in s[a..b). */
static bool parse_ref(parser *p, size_t a, size_t b, row_rule rule, const char *fn, ph_arg *out)
{
    trim(p->s, &a, &b);
    out->off = a;
    size_t dot = find_top(p->s, a, b, '.');
    if (dot == NONE) {
        if (rule == COLUMN_OPTIONAL)
            return take_name(p, a, b, "dataset", &out->dataset);
        return fail(p->err, a, b - a, "expected DATASET.COLUMN%s (a dataset name, a dot and "
                    "a column name%s), got \"%.*s\"", rule == ROW_REQUIRED ? "[ROW]" : "",
                    rule == ROW_REQUIRED ? ", then the row's category in brackets" : "",
                    (int)(b - a), p->s + a);
    }
    if (!take_name(p, a, dot, "dataset", &out->dataset))
        return false;
    size_t open = find_top(p->s, dot + 1, b, '[');
    size_t col_end = open == NONE ? b : open;
    if (!take_name(p, dot + 1, col_end, "column", &out->column))
        return false;
    if (open != NONE) {
        size_t close = matching(p->s, open, b);
        if (close == NONE)
            return fail(p->err, open, b - open, "unclosed \"[\" (a row is written [ROW]; "
                        "write \\[ for a bracket in a name)");
        if (close != b - 1)
            return fail(p->err, close + 1, b - close - 1, "unexpected text after \"]\" "
                        "(the row's brackets end the reference)");
        if (!take_name(p, open + 1, close, "row", &out->row))
            return false;
    }
    if (rule == ROW_REQUIRED && !out->row.s)
        return fail(p->err, a, b - a, "\"%.*s\" names a column, not a cell (expected "
                    "%.*s[ROW] with the row's category, or a function such as "
                    "{sum(%.*s)})", (int)(b - a), p->s + a, (int)(b - a), p->s + a,
                    (int)(b - a), p->s + a);
    if (rule != ROW_REQUIRED && out->row.s)
        return fail(p->err, open, b - open, "%s() takes a column, not a cell (write "
                    "%s(%.*s))", fn, fn, (int)(open - a), p->s + a);
    return true;
}

/* If s[a..b) is NAME(…) (spaces allowed before '(') with NAME lower-case
 * ASCII and ')' last: the position of '(', *name_end the end of NAME and
 * *known the function's kind (PH_LITERAL if unknown). */
static size_t call_open(const char *s, size_t a, size_t b, size_t *name_end, ph_kind *known)
{
    size_t k = a;
    while (k < b && ((s[k] >= 'a' && s[k] <= 'z') || s[k] == '_'))
        k++;
    size_t open = k;
    while (open < b && s[open] == ' ')
        open++;
    if (k == a || open >= b || s[open] != '(' || matching(s, open, b) != b - 1)
        return NONE;
    *name_end = k;
    *known = PH_LITERAL;
    for (size_t i = 0; i < NFUNCTIONS; i++)
        if (strlen(FUNCTIONS[i]) == k - a && strncmp(s + a, FUNCTIONS[i], k - a) == 0)
            *known = FUNCTION_KINDS[i];
    return open;
}

static bool unknown_function(parser *p, size_t a, size_t k)
{
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(k - a), p->s + a);
    const char *s = suggest_name(name, FUNCTIONS, NFUNCTIONS);
    char hint[96] = "";
    if (s)
        snprintf(hint, sizeof hint, "did you mean %s? ", s);
    return fail(p->err, a, k - a, "unknown function \"%s\" (%sexpected sum, count, max, min, "
                "share or ratio)", name, hint);
}

/* A value for ratio(): a cell or sum/count/max/min(…). */
static bool parse_value(parser *p, size_t a, size_t b, ph_arg *out)
{
    trim(p->s, &a, &b);
    ph_kind k;
    size_t name_end, open = call_open(p->s, a, b, &name_end, &k);
    if (open == NONE) {
        out->kind = PH_CELL;
        return parse_ref(p, a, b, ROW_REQUIRED, "", out);
    }
    if (k == PH_LITERAL)
        return unknown_function(p, a, name_end);
    if (k == PH_SHARE || k == PH_RATIO)
        return fail(p->err, a, name_end - a, "ratio() takes cells or sum, count, max or min of "
                    "a column, not %s()", function_name(k));
    out->kind = k;
    row_rule rule = k == PH_COUNT ? COLUMN_OPTIONAL : ROW_FORBIDDEN;
    if (!parse_ref(p, open + 1, b - 1, rule, function_name(k), out))
        return false;
    out->off = a;
    return true;
}

static bool parse_call(parser *p, ph_part *part, ph_kind k, size_t a, size_t open, size_t b)
{
    part->kind = k;
    size_t x = open + 1, y = b - 1;
    const char *fn = function_name(k);
    switch (k) {
    case PH_SUM: case PH_MAX: case PH_MIN:
        part->a.kind = k;
        if (!parse_ref(p, x, y, ROW_FORBIDDEN, fn, &part->a))
            return false;
        break;
    case PH_COUNT:
        part->a.kind = k;
        if (!parse_ref(p, x, y, COLUMN_OPTIONAL, fn, &part->a))
            return false;
        break;
    case PH_SHARE:
        part->a.kind = PH_CELL;
        if (!parse_ref(p, x, y, ROW_REQUIRED, fn, &part->a))
            return false;
        break;
    default: {   /* PH_RATIO */
        size_t comma = find_top(p->s, x, y, ',');
        if (comma == NONE)
            return fail(p->err, a, b - a, "ratio() takes two values, A and B, separated by a "
                        "comma (write \\, for a comma in a name)");
        if (find_top(p->s, comma + 1, y, ',') != NONE)
            return fail(p->err, find_top(p->s, comma + 1, y, ','), 1, "ratio() takes two "
                        "values, not more (write \\, for a comma in a name)");
        if (!parse_value(p, x, comma, &part->a) || !parse_value(p, comma + 1, y, &part->b))
            return false;
    }
    }
    return true;
}

static bool is_builtin(const parser *p, const char *name)
{
    for (size_t i = 0; i < p->nbuiltins; i++)
        if (strcmp(p->builtins[i], name) == 0)
            return true;
    return false;
}

static bool parse_bare(parser *p, ph_part *part, size_t a, size_t b)
{
    if (!take_name(p, a, b, "placeholder", &part->name))
        return false;
    if (is_builtin(p, part->name.s)) {
        part->kind = PH_BUILTIN;
        return true;
    }
    strbuf m = {0};
    sb_puts(&m, "unknown placeholder ");
    json_quote(&m, p->s + part->off, part->len);
    sb_puts(&m, " (");
    const char *s = p->nbuiltins ? suggest_name(part->name.s, p->builtins, p->nbuiltins) : NULL;
    if (s)
        sb_printf(&m, "did you mean {%s}? ", s);
    sb_puts(&m, "expected ");
    for (size_t i = 0; i < p->nbuiltins; i++)
        sb_printf(&m, "{%s}%s", p->builtins[i], i + 2 < p->nbuiltins ? ", "
                  : i + 2 == p->nbuiltins ? " or " : ", ");
    sb_puts(&m, p->nbuiltins ? "or " : "");
    sb_puts(&m, "a reference such as {DATASET.COLUMN[ROW]}, {sum(DATASET.COLUMN)} or "
                "{var.NAME}; write {{ and }} for literal braces)");
    return fail_with(p->err, part->off, part->len, &m);
}

/* The expression of a placeholder, s[a..b), without its format. */
static bool parse_expr(parser *p, ph_part *part, size_t a, size_t b)
{
    trim(p->s, &a, &b);
    ph_kind k;
    size_t name_end, open = call_open(p->s, a, b, &name_end, &k);
    if (open != NONE) {
        if (k == PH_LITERAL)
            return unknown_function(p, a, name_end);
        return parse_call(p, part, k, a, open, b);
    }
    if (b - a >= 4 && strncmp(p->s + a, "var.", 4) == 0) {
        part->kind = PH_VAR;
        return take_name(p, a + 4, b, "variable", &part->name);
    }
    if (find_top(p->s, a, b, '.') == NONE && find_top(p->s, a, b, '[') == NONE)
        return parse_bare(p, part, a, b);
    part->kind = PH_CELL;
    part->a.kind = PH_CELL;
    return parse_ref(p, a, b, ROW_REQUIRED, "", &part->a);
}

/* ":1", ":亿元", ":1:亿元", ":亿元:1" in s[a..b) (a just after the ':'). */
static bool parse_format(parser *p, ph_part *part, size_t a, size_t b)
{
    while (a <= b) {
        size_t end = a;
        while (end < b && p->s[end] != ':')
            end++;
        size_t x = a, y = end;
        trim(p->s, &x, &y);
        if (x == y)
            return fail(p->err, a - 1, end - a + 1, "empty format after \":\" (expected "
                        "decimals such as :1, a unit such as :亿元, or both: :1:亿元)");
        size_t digits = x;
        while (digits < y && p->s[digits] >= '0' && p->s[digits] <= '9')
            digits++;
        if (digits == y) {
            if (part->decimals >= 0)
                return fail(p->err, x, y - x, "decimals given twice in one format");
            if (y - x > 1 || p->s[x] > '6')
                return fail(p->err, x, y - x, "%.*s decimals (expected 0 to 6)", (int)(y - x),
                            p->s + x);
            part->decimals = p->s[x] - '0';
        } else {
            if (part->unit)
                return fail(p->err, x, y - x, "unit given twice in one format");
            if (y - x > PH_MAX_UNIT_BYTES)
                return fail(p->err, x, y - x, "unit longer than %d bytes", PH_MAX_UNIT_BYTES);
            if (!(part->unit = strndup(p->s + x, y - x)))
                return fail_oom(p->err, "reading a placeholder");
        }
        a = end + 1;
    }
    return true;
}

static bool parse_placeholder(parser *p, ph_part *part, size_t open, size_t close)
{
    size_t a = open + 1, b = close;
    part->kind = PH_CELL;
    part->off = open;
    part->len = close + 1 - open;
    part->decimals = -1;
    trim(p->s, &a, &b);
    if (a == b)
        return fail(p->err, open, 2, "empty placeholder \"{}\" (write {{}} for literal braces)");
    if (b - a >= 4 && strncmp(p->s + a, "ref:", 4) == 0) {
        part->kind = PH_REF;
        return take_name(p, a + 4, b, "chart or table id", &part->name);
    }
    size_t colon = find_top(p->s, a, b, ':');
    if (!parse_expr(p, part, a, colon == NONE ? b : colon))
        return false;
    if (colon == NONE)
        return true;
    part->format_off = colon;
    if (part->kind == PH_VAR || part->kind == PH_BUILTIN)
        return fail(p->err, colon, b - colon, "a format applies only to numbers, and {%.*s} is "
                    "text", (int)(colon - a), p->s + a);
    return parse_format(p, part, colon + 1, b);
}

/* ------------------------------------------------------------------ */
/* the field                                                           */

static bool add_part(ph_list *l, size_t *cap, const ph_part *p, ph_error *err)
{
    if (l->n == PH_MAX_PARTS)
        return fail(err, p->off, p->len, "more than %d placeholders and texts in one field",
                    PH_MAX_PARTS);
    if (l->n == *cap) {
        size_t c = *cap ? *cap * 2 : 4;
        ph_part *np = realloc(l->parts, c * sizeof *np);
        if (!np)
            return fail_oom(err, "reading placeholders");
        l->parts = np;
        *cap = c;
    }
    l->parts[l->n++] = *p;
    l->has_refs |= p->kind != PH_LITERAL;
    return true;
}

static bool flush_literal(ph_list *l, size_t *cap, strbuf *lit, size_t off, ph_error *err)
{
    if (lit->len == 0)
        return true;
    if (lit->failed)
        return fail_oom(err, "reading placeholders");
    ph_part p = {.kind = PH_LITERAL, .off = off, .len = 0, .decimals = -1, .text = lit->s};
    *lit = (strbuf){0};
    if (!add_part(l, cap, &p, err)) {
        free(p.text);
        return false;
    }
    return true;
}

/* The '}' closing the placeholder opened at s[open]; NONE when a '{'
 * comes first or the text ends. */
static size_t closing_brace(const char *s, size_t open)
{
    for (size_t i = open + 1; s[i]; i++) {
        if (s[i] == '\\' && s[i + 1]) {
            i++;
            continue;
        }
        if (s[i] == '{')
            return NONE;
        if (s[i] == '}')
            return i;
    }
    return NONE;
}

bool ph_parse(const char *text, const char *const *builtins, size_t nbuiltins, ph_list *out,
              ph_error *err)
{
    memset(out, 0, sizeof *out);
    memset(err, 0, sizeof *err);
    parser p = {text ? text : "", err, builtins, nbuiltins};
    const char *s = p.s;
    strbuf lit = {0};
    size_t cap = 0, lit_off = 0;
    bool ok = true;
    for (size_t i = 0; ok && s[i];) {
        if ((s[i] == '{' && s[i + 1] == '{') || (s[i] == '}' && s[i + 1] == '}')) {
            if (lit.len == 0)
                lit_off = i;
            sb_append(&lit, s + i, 1);
            i += 2;
        } else if (s[i] == '}') {
            ok = fail(err, i, 1, "single \"}\" (write \"}}\" for a literal brace)");
        } else if (s[i] == '{') {
            size_t close = closing_brace(s, i);
            if (close == NONE) {
                ok = fail(err, i, 1, "unclosed \"{\" (write \"{{\" for a literal brace)");
                break;
            }
            ok = flush_literal(out, &cap, &lit, lit_off, err);
            ph_part part = {0};
            ok = ok && parse_placeholder(&p, &part, i, close) && add_part(out, &cap, &part, err);
            if (!ok)
                part_clear(&part);
            i = close + 1;
        } else {
            if (lit.len == 0)
                lit_off = i;
            sb_append(&lit, s + i, 1);
            i++;
        }
    }
    ok = ok && flush_literal(out, &cap, &lit, lit_off, err);
    /* literal parts span up to the next part */
    for (size_t k = 0; ok && k < out->n; k++)
        if (out->parts[k].kind == PH_LITERAL)
            out->parts[k].len = (k + 1 < out->n ? out->parts[k + 1].off : strlen(s)) -
                                out->parts[k].off;
    sb_free(&lit);
    if (!ok)
        ph_list_clear(out);
    return ok;
}

/* ------------------------------------------------------------------ */
/* evaluation                                                          */

static const char *const *names_of(const ph_resolver *r, ph_names_kind k, size_t *n)
{
    *n = 0;
    const char *const *v = r->names ? r->names(r->ctx, k, n) : NULL;
    if (!v)
        *n = 0;
    return v;
}

typedef struct column_ref {
    const dataset *ds;
    const ph_column_format *formats;
    size_t col;            /* NONE for count(DATASET) */
} column_ref;

static bool find_dataset(const ph_resolver *r, const ph_name *n, column_ref *c, ph_error *e)
{
    c->formats = NULL;
    c->ds = r->dataset ? r->dataset(r->ctx, n->s, &c->formats) : NULL;
    if (c->ds)
        return true;
    size_t count;
    const char *const *names = names_of(r, PH_NAMES_DATASETS, &count);
    strbuf m = {0};
    sb_puts(&m, "unknown dataset ");
    quoted(&m, n->s);
    suggest(&m, n->s, names, count, "datasets", "", "");
    return fail_with(e, n->off, strlen(n->s), &m);
}

static bool find_column(const ph_name *n, column_ref *c, ph_error *e)
{
    for (size_t i = 0; i < c->ds->ncols; i++)
        if (strcmp(c->ds->columns[i], n->s) == 0) {
            c->col = i;
            return true;
        }
    strbuf m = {0};
    sb_puts(&m, "unknown column ");
    quoted(&m, n->s);
    sb_puts(&m, " in dataset ");
    quoted(&m, c->ds->name ? c->ds->name : "");
    suggest(&m, n->s, (const char *const *)c->ds->columns, c->ds->ncols, "columns", "", "");
    return fail_with(e, n->off, strlen(n->s), &m);
}

/* The category of row i as text ("" for null); numbers as %.15g. */
static const char *category(const dataset *d, size_t row, char *buf, size_t size)
{
    const cell *x = dataset_cell(d, row, 0);
    if (x->kind == CELL_TEXT)
        return x->text;
    if (x->kind == CELL_NUMBER) {
        snprintf(buf, size, "%.15g", x->number);
        return buf;
    }
    return "";
}

static bool unknown_row(const ph_name *n, const column_ref *c, ph_error *e)
{
    size_t k = 0;
    const char **cats = malloc((c->ds->nrows ? c->ds->nrows : 1) * sizeof *cats);
    if (!cats)
        return fail_oom(e, "looking for a row");
    for (size_t i = 0; i < c->ds->nrows; i++)
        if (dataset_cell(c->ds, i, 0)->kind == CELL_TEXT)
            cats[k++] = dataset_cell(c->ds, i, 0)->text;
    strbuf m = {0};
    sb_puts(&m, "no row ");
    quoted(&m, n->s);
    sb_puts(&m, " in dataset ");
    quoted(&m, c->ds->name ? c->ds->name : "");
    sb_printf(&m, " (rows are found by their first column, %s)", c->ds->columns[0]);
    suggest(&m, n->s, cats, k, "rows", "", "");
    free(cats);
    return fail_with(e, n->off, strlen(n->s), &m);
}

static size_t scan_rows(const dataset *d, const char *name, size_t *again)
{
    size_t found = NONE;
    *again = NONE;
    for (size_t i = 0; i < d->nrows; i++) {
        char buf[32];
        if (strcmp(category(d, i, buf, sizeof buf), name) != 0)
            continue;
        if (found != NONE) {
            *again = i;
            break;
        }
        found = i;
    }
    return found;
}

static bool find_row(const ph_resolver *r, const ph_name *n, const column_ref *c, size_t *row,
                     ph_error *e)
{
    size_t again;
    size_t found = r->row ? r->row(r->ctx, c->ds, n->s, &again) : scan_rows(c->ds, n->s, &again);
    if (found == NONE)
        return unknown_row(n, c, e);
    if (again != NONE)
        return fail(e, n->off, strlen(n->s), "rows %zu and %zu of dataset \"%s\" are both "
                    "called \"%s\" (a row reference needs a unique category)",
                    (found < again ? found : again) + 1, (found < again ? again : found) + 1,
                    c->ds->name ? c->ds->name : "", n->s);
    *row = found;
    return true;
}

int ph_column_decimals(const dataset *d, size_t col)
{
    int decimals = 0;
    for (size_t i = 0; d && col < d->ncols && i < d->nrows; i++) {
        const cell *x = dataset_cell(d, i, col);
        if (x->kind == CELL_NUMBER) {
            int k = numfmt_decimals_of(x->number, NUMFMT_MAX_DECIMALS);
            decimals = k > decimals ? k : decimals;
        }
    }
    return decimals;
}

static void column_format(const column_ref *c, const char **unit, int *decimals)
{
    const ph_column_format *f = c->formats ? &c->formats[c->col] : NULL;
    *unit = f && f->unit ? f->unit : "";
    *decimals = f ? f->decimals : -1;
    if (*decimals < 0)
        *decimals = ph_column_decimals(c->ds, c->col);
}

static void cell_label(strbuf *m, const ph_arg *a)
{
    sb_printf(m, "%s.%s[%s]", a->dataset.s, a->column.s, a->row.s);
}

static bool eval_cell(const ph_arg *a, const ph_resolver *r, bool text_ok, ph_value *v, ph_error *e)
{
    column_ref c = {0};
    size_t row = 0;
    if (!find_dataset(r, &a->dataset, &c, e) || !find_column(&a->column, &c, e) ||
        !find_row(r, &a->row, &c, &row, e))
        return false;
    const cell *x = dataset_cell(c.ds, row, c.col);
    column_format(&c, &v->unit, &v->decimals);
    if (x->kind == CELL_NUMBER) {
        v->number = x->number;
        return true;
    }
    if (x->kind == CELL_TEXT && text_ok) {
        v->is_text = true;
        v->text = x->text;
        return true;
    }
    strbuf m = {0};
    sb_puts(&m, "the cell ");
    cell_label(&m, a);
    sb_puts(&m, x->kind == CELL_TEXT ? " is text, " : " is empty, ");
    sb_puts(&m, "and a number is needed here");
    return fail_with(e, a->off, 0, &m);
}

static bool eval_column(const ph_arg *a, const ph_resolver *r, ph_value *v, ph_error *e)
{
    column_ref c = {.col = NONE};
    if (!find_dataset(r, &a->dataset, &c, e))
        return false;
    if (a->column.s && !find_column(&a->column, &c, e))
        return false;
    if (a->kind == PH_COUNT) {
        size_t n = 0;
        for (size_t i = 0; i < c.ds->nrows; i++)
            n += c.col == NONE || dataset_cell(c.ds, i, c.col)->kind != CELL_NULL;
        v->number = (double)n;
        v->unit = "";
        v->decimals = 0;
        return true;
    }
    size_t numbers = 0;
    double acc = a->kind == PH_SUM ? 0 : NAN;
    for (size_t i = 0; i < c.ds->nrows; i++) {
        const cell *x = dataset_cell(c.ds, i, c.col);
        if (x->kind == CELL_TEXT) {
            strbuf m = {0};
            sb_printf(&m, "%s() needs numbers, but column ", function_name(a->kind));
            quoted(&m, a->column.s);
            sb_printf(&m, " holds text (row %zu: ", i + 1);
            quoted(&m, x->text);
            sb_puts(&m, ")");
            return fail_with(e, a->column.off, strlen(a->column.s), &m);
        }
        if (x->kind != CELL_NUMBER)
            continue;
        numbers++;
        if (a->kind == PH_SUM)
            acc += x->number;
        else if (isnan(acc) || (a->kind == PH_MAX ? x->number > acc : x->number < acc))
            acc = x->number;
    }
    if (numbers == 0)
        return fail(e, a->column.off, strlen(a->column.s), "%s() of column \"%s\": the column "
                    "has no numbers", function_name(a->kind), a->column.s);
    v->number = acc;
    column_format(&c, &v->unit, &v->decimals);
    return true;
}

static bool eval_arg(const ph_arg *a, const ph_resolver *r, bool text_ok, ph_value *v, ph_error *e)
{
    memset(v, 0, sizeof *v);
    v->unit = "";
    return a->kind == PH_CELL ? eval_cell(a, r, text_ok, v, e) : eval_column(a, r, v, e);
}

/* x in unit `from` re-expressed in unit `to`; false if they differ in more
 * than a 万/亿 magnitude. */
static bool convert(double x, const char *from, const char *to, double *out, int *shift)
{
    const char *rf, *rt;
    double mf = numfmt_unit_prefix(from, &rf), mt = numfmt_unit_prefix(to, &rt);
    if (strcmp(rf, rt) != 0)
        return false;
    *out = x * mf / mt;
    *shift = (int)lround(log10(mt / mf));
    return true;
}

static bool eval_share(const ph_part *p, const ph_resolver *r, ph_value *v, ph_error *e)
{
    ph_value cellv, sum;
    ph_arg col = p->a;
    col.kind = PH_SUM;
    if (!eval_arg(&p->a, r, false, &cellv, e) || !eval_arg(&col, r, false, &sum, e))
        return false;
    if (sum.number == 0)
        return fail(e, p->a.off, 0, "share() of a column whose sum is 0");
    memset(v, 0, sizeof *v);
    v->number = cellv.number / sum.number * 100;
    v->unit = "%";
    v->decimals = 1;
    return true;
}

static bool eval_ratio(const ph_part *p, const ph_resolver *r, ph_value *v, ph_error *e)
{
    ph_value a, b;
    if (!eval_arg(&p->a, r, false, &a, e) || !eval_arg(&p->b, r, false, &b, e))
        return false;
    double bb;
    int shift;
    if (!convert(b.number, b.unit, a.unit, &bb, &shift))
        return fail(e, p->b.off, 0, "ratio() of values in different units (A is in \"%s\", B in "
                    "\"%s\"; only 万/亿 magnitudes of one unit convert)", a.unit, b.unit);
    if (bb == 0)
        return fail(e, p->b.off, 0, "ratio() with B = 0 (division by zero)");
    memset(v, 0, sizeof *v);
    v->number = a.number / bb * 100;
    v->unit = "%";
    v->decimals = 2;
    return true;
}

static bool eval_text(const ph_part *p, const ph_resolver *r, ph_value *v, ph_error *e)
{
    memset(v, 0, sizeof *v);
    v->is_text = true;
    v->unit = "";
    const char *name = p->name.s;
    if (p->kind == PH_BUILTIN) {
        v->text = r->builtin ? r->builtin(r->ctx, name) : NULL;
        if (!v->text)
            return fail(e, p->off, p->len, "{%s} has no value in this field", name);
        return true;
    }
    bool var = p->kind == PH_VAR;
    v->text = var ? (r->var ? r->var(r->ctx, name) : NULL) : (r->ref ? r->ref(r->ctx, name) : NULL);
    if (v->text)
        return true;
    size_t count;
    const char *const *names = names_of(r, var ? PH_NAMES_VARS : PH_NAMES_REFS, &count);
    strbuf m = {0};
    sb_puts(&m, var ? "unknown variable " : "unknown chart or table id ");
    quoted(&m, name);
    if (var && count == 0)
        sb_printf(&m, " (no variables are defined; add \"vars\": {\"%s\": \"…\"} or "
                  "--var %s=VALUE)", name, name);
    else if (!var && count == 0)
        sb_puts(&m, " (no chart or table has an \"id\", or numbering is off: set \"style\": "
                    "{\"numbering\": true})");
    else
        suggest(&m, name, names, count, var ? "variables" : "ids", var ? "var." : "ref:", "");
    return fail_with(e, p->name.off, strlen(name), &m);
}

/* The format override: another magnitude of the unit, decimals. */
static bool apply_format(const ph_part *p, ph_value *v, ph_error *e)
{
    if (p->unit) {
        double x;
        int shift;
        if (!convert(v->number, v->unit, p->unit, &x, &shift))
            return fail(e, p->format_off, p->len - (p->format_off - p->off) - 1, "cannot write a "
                        "value in \"%s\" as \"%s\" (a format's unit changes only the 万/亿 "
                        "magnitude, such as 万元 → 亿元)", v->unit, p->unit);
        v->number = x;
        v->unit = p->unit;
        int d = v->decimals + shift;
        v->decimals = d < 0 ? 0 : d > NUMFMT_MAX_DECIMALS ? NUMFMT_MAX_DECIMALS : d;
        v->trim = shift > 0;
    }
    if (p->decimals >= 0) {
        v->decimals = p->decimals;
        v->trim = false;
    }
    return true;
}

bool ph_eval(const ph_part *p, const ph_resolver *r, ph_value *v, ph_error *e)
{
    memset(e, 0, sizeof *e);
    bool ok;
    switch (p->kind) {
    case PH_LITERAL:
        memset(v, 0, sizeof *v);
        v->is_text = true;
        v->text = p->text;
        v->unit = "";
        return true;
    case PH_BUILTIN: case PH_VAR: case PH_REF:
        return eval_text(p, r, v, e);
    case PH_SHARE:
        ok = eval_share(p, r, v, e);
        break;
    case PH_RATIO:
        ok = eval_ratio(p, r, v, e);
        break;
    default:
        ok = eval_arg(&p->a, r, p->kind == PH_CELL, v, e);
        if (ok && v->is_text && (p->unit || p->decimals >= 0))
            return fail(e, p->format_off, 1, "a format applies only to numbers, and the cell "
                        "%s.%s[%s] is text", p->a.dataset.s, p->a.column.s, p->a.row.s);
    }
    return ok && (v->is_text || apply_format(p, v, e));
}

bool ph_check(const ph_list *l, const ph_resolver *r, ph_error *err)
{
    ph_value v;
    for (size_t i = 0; i < l->n; i++)
        if (!ph_eval(&l->parts[i], r, &v, err))
            return false;
    return true;
}

/* ------------------------------------------------------------------ */
/* expansion                                                           */

size_t ph_format_plain(void *ctx, char *buf, size_t size, const ph_value *v)
{
    (void)ctx;
    numfmt f = {.style = NUMBER_PLAIN, .decimals = v->decimals, .trim = v->trim, .unit = v->unit};
    return numfmt_format(buf, size, v->number, &f);
}

static size_t add_sat(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

/* The text of part i into buf (NULL: only measured); its length. */
static bool render_part(const ph_part *p, const ph_resolver *r, ph_format_fn fmt, void *fctx,
                        char *buf, size_t size, size_t *n, ph_error *e)
{
    ph_value v;
    if (!ph_eval(p, r, &v, e))
        return false;
    if (v.is_text) {
        *n = strlen(v.text);
        if (buf && *n < size)
            memcpy(buf, v.text, *n + 1);
        return true;
    }
    char small[128];
    *n = (fmt ? fmt : ph_format_plain)(fctx, buf ? buf : small, buf ? size : sizeof small, &v);
    return true;
}

bool ph_expanded_length(const ph_list *l, const ph_resolver *r, ph_format_fn fmt, void *fctx,
                        size_t *len, ph_error *err)
{
    memset(err, 0, sizeof *err);
    size_t total = 0;
    for (size_t i = 0; i < l->n; i++) {
        size_t n;
        if (!render_part(&l->parts[i], r, fmt, fctx, NULL, 0, &n, err))
            return false;
        total = add_sat(total, n);
    }
    *len = total;
    return true;
}

char *ph_expand(const ph_list *l, const ph_resolver *r, ph_format_fn fmt, void *fctx,
                size_t limit, ph_error *err)
{
    size_t len;
    if (!ph_expanded_length(l, r, fmt, fctx, &len, err))
        return NULL;
    if (len > limit) {
        fail(err, 0, 0, "the text expands to %zu bytes (at most %zu; shorten it or the values "
             "it quotes)", len, limit);
        err->too_long = true;
        return NULL;
    }
    char *out = malloc(len + 1);
    if (!out) {
        fail_oom(err, "expanding placeholders");
        return NULL;
    }
    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; i < l->n; i++) {
        size_t n;
        /* The values are those just measured: the resolver's data do not
         * change in between, so each part fits the room counted for it. */
        if (!render_part(&l->parts[i], r, fmt, fctx, out + at, len + 1 - at, &n, err) ||
            at + n > len) {
            free(out);
            if (!err->message[0])
                fail(err, l->parts[i].off, 0, "placeholder changed value while being expanded");
            return NULL;
        }
        at += n;
    }
    out[at] = '\0';
    return out;
}

bool ph_budget_take(ph_budget *b, size_t bytes, size_t times)
{
    if (times && bytes > (PH_MAX_DOC_BYTES - b->used) / times)
        return false;
    b->used += bytes * times;
    return true;
}

/* ------------------------------------------------------------------ */
/* positions                                                           */

static unsigned hex4(const char *s)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v = v * 16 + (unsigned)(c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 0);
    }
    return v;
}

void ph_json_position(const char *json, size_t json_len, size_t quote_off, size_t off,
                      int *line, int *column)
{
    size_t i = quote_off + 1, decoded = 0;
    while (i < json_len && decoded < off && json[i] != '"') {
        if (json[i] != '\\') {
            i++;
            decoded++;
            continue;
        }
        if (i + 1 < json_len && json[i + 1] == 'u' && i + 6 <= json_len) {
            unsigned cp = hex4(json + i + 2);
            size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
            i += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= json_len && json[i] == '\\' &&
                json[i + 1] == 'u') {
                i += 6;   /* a surrogate pair: one 4-byte character */
                n = 4;
            }
            decoded += n;
        } else {
            i += 2;
            decoded++;
        }
    }
    json_line_column(json, json_len, i, line, column);
}

/* ------------------------------------------------------------------ */
/* the table resolver                                                  */

typedef struct entry {
    const char *name;
    size_t i;
} entry;

typedef struct sorted {
    entry *e;
    size_t n;
    bool built, unusable;   /* rows: built on first use; unusable: not all text */
} sorted;

struct ph_table_index {
    const char **dataset_names;   /* in document order, for suggestions */
    sorted datasets, vars, refs, builtins;
    sorted *rows;                 /* per dataset */
    ph_column_format **formats;   /* per dataset, decimals filled in, built on first use */
};

static int by_name(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

static bool sort_names(sorted *s, const char *const *names, size_t n)
{
    s->n = n;
    s->e = malloc((n ? n : 1) * sizeof *s->e);
    if (!s->e)
        return false;
    for (size_t i = 0; i < n; i++)
        s->e[i] = (entry){names[i] ? names[i] : "", i};
    qsort(s->e, n, sizeof *s->e, by_name);
    s->built = true;
    return true;
}

/* The first entry called name, or NONE; *again the next one so called. */
static size_t lookup(const sorted *s, const char *name, size_t *again)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(s->e[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *again = NONE;
    if (lo == s->n || strcmp(s->e[lo].name, name) != 0)
        return NONE;
    if (lo + 1 < s->n && strcmp(s->e[lo + 1].name, name) == 0)
        *again = s->e[lo + 1].i;
    return s->e[lo].i;
}

/* The formats of dataset i with every "decimals from the data" worked out
 * once, so that a reference costs no pass over its column; the given
 * formats if that cannot be had. */
static const ph_column_format *formats_of(ph_table *t, size_t i)
{
    const ph_column_format *given = t->formats ? t->formats[i] : NULL;
    ph_column_format **cache = &t->index->formats[i];
    if (*cache)
        return *cache;
    const dataset *d = &t->datasets[i];
    ph_column_format *f = malloc((d->ncols ? d->ncols : 1) * sizeof *f);
    if (!f)
        return given;
    for (size_t c = 0; c < d->ncols; c++) {
        f[c].unit = given && given[c].unit ? given[c].unit : "";
        f[c].decimals = given && given[c].decimals >= 0 ? given[c].decimals
                                                         : ph_column_decimals(d, c);
    }
    *cache = f;
    return f;
}

static const dataset *t_dataset(void *ctx, const char *name, const ph_column_format **f)
{
    ph_table *t = ctx;
    size_t again, i = lookup(&t->index->datasets, name, &again);
    if (i == NONE)
        return NULL;
    *f = formats_of(t, i);
    return &t->datasets[i];
}

static const char *t_value(const sorted *s, const char *const *values, const char *name)
{
    size_t again, i = lookup(s, name, &again);
    return i == NONE ? NULL : values[i];
}

static const char *t_var(void *ctx, const char *name)
{
    ph_table *t = ctx;
    return t_value(&t->index->vars, t->var_values, name);
}

static const char *t_ref(void *ctx, const char *id)
{
    ph_table *t = ctx;
    return t_value(&t->index->refs, t->ref_labels, id);
}

static const char *t_builtin(void *ctx, const char *name)
{
    ph_table *t = ctx;
    return t_value(&t->index->builtins, t->builtin_values, name);
}

static const char *const *t_names(void *ctx, ph_names_kind k, size_t *n)
{
    ph_table *t = ctx;
    switch (k) {
    case PH_NAMES_DATASETS: *n = t->ndatasets; return t->index->dataset_names;
    case PH_NAMES_VARS: *n = t->nvars; return t->var_names;
    default: *n = t->nrefs; return t->ref_ids;
    }
}

/* The rows of d sorted by category, built on first use; false when some
 * category is not text or memory ran out (then rows are scanned). */
static bool row_index(sorted *s, const dataset *d)
{
    if (s->built)
        return true;
    if (s->unusable)
        return false;
    const char **cats = malloc((d->nrows ? d->nrows : 1) * sizeof *cats);
    for (size_t i = 0; cats && i < d->nrows; i++) {
        const cell *x = dataset_cell(d, i, 0);
        if (x->kind != CELL_TEXT) {
            free(cats);
            cats = NULL;
            break;
        }
        cats[i] = x->text;
    }
    bool ok = cats && sort_names(s, cats, d->nrows);
    free(cats);
    s->unusable = !ok;
    return ok;
}

static size_t t_row(void *ctx, const dataset *d, const char *category, size_t *again)
{
    ph_table *t = ctx;
    size_t k = (size_t)(d - t->datasets);
    if (k < t->ndatasets && d->ncols > 0 && row_index(&t->index->rows[k], d))
        return lookup(&t->index->rows[k], category, again);
    return scan_rows(d, category, again);
}

void ph_table_clear(ph_table *t)
{
    struct ph_table_index *x = t ? t->index : NULL;
    if (!x)
        return;
    free(x->dataset_names);
    free(x->datasets.e);
    free(x->vars.e);
    free(x->refs.e);
    free(x->builtins.e);
    for (size_t i = 0; x->rows && i < t->ndatasets; i++)
        free(x->rows[i].e);
    free(x->rows);
    for (size_t i = 0; x->formats && i < t->ndatasets; i++)
        free(x->formats[i]);
    free(x->formats);
    free(x);
    t->index = NULL;
}

bool ph_table_resolver(ph_table *t, ph_resolver *out)
{
    ph_table_clear(t);
    struct ph_table_index *x = calloc(1, sizeof *x);
    t->index = x;
    bool ok = x && (x->dataset_names = malloc((t->ndatasets ? t->ndatasets : 1) *
                                               sizeof *x->dataset_names)) &&
              (x->rows = calloc(t->ndatasets ? t->ndatasets : 1, sizeof *x->rows)) &&
              (x->formats = calloc(t->ndatasets ? t->ndatasets : 1, sizeof *x->formats));
    for (size_t i = 0; ok && i < t->ndatasets; i++)
        x->dataset_names[i] = t->datasets[i].name ? t->datasets[i].name : "";
    ok = ok && sort_names(&x->datasets, x->dataset_names, t->ndatasets) &&
         sort_names(&x->vars, t->var_names, t->nvars) &&
         sort_names(&x->refs, t->ref_ids, t->nrefs) &&
         sort_names(&x->builtins, t->builtin_names, t->nbuiltins);
    if (!ok) {
        ph_table_clear(t);
        return false;
    }
    *out = (ph_resolver){t, t_dataset, t_var, t_ref, t_builtin, t_names, t_row};
    return true;
}
