/*
 * placeholder_parse.c — a text field into parts: literal text and `{…}`
 * references (see placeholder.h for the syntax).
 *
 * Parsing is one left-to-right pass over the field; a placeholder ends at
 * the first unescaped '}', and inside it names are cut at the syntax
 * characters that stand at nesting depth 0 — so balanced (…) and […] stay
 * part of a name ("完成投资(亿元)") and only unbalanced ones need a '\\'.
 * Every part and name keeps its byte offset in the field, which is all an
 * error needs to be placed at line:column (ph_json_position).
 */
#define _POSIX_C_SOURCE 200809L
#include "model/placeholder_internal.h"
#include "input/json.h"
#include "util/numfmt.h"
#include "validate/validate.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        return ph_fail(p->err, a, 0, "empty %s name", what);
    char *n = malloc(b - a + 1);
    if (!n)
        return ph_fail_oom(p->err, "reading a placeholder");
    size_t k = 0;
    for (size_t i = a; i < b; i++) {
        if (p->s[i] == '\\') {
            if (i + 1 >= b || !is_punct(p->s[i + 1])) {
                free(n);
                return ph_fail(p->err, i, 1, "\"\\\" before a character that needs no escape "
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

const char *ph_function_name(ph_kind k)
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
        return ph_fail(p->err, a, b - a, "expected DATASET.COLUMN%s (a dataset name, a dot and "
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
            return ph_fail(p->err, open, b - open, "unclosed \"[\" (a row is written [ROW]; "
                        "write \\[ for a bracket in a name)");
        if (close != b - 1)
            return ph_fail(p->err, close + 1, b - close - 1, "unexpected text after \"]\" "
                        "(the row's brackets end the reference)");
        if (!take_name(p, open + 1, close, "row", &out->row))
            return false;
    }
    if (rule == ROW_REQUIRED && !out->row.s)
        return ph_fail(p->err, a, b - a, "\"%.*s\" names a column, not a cell (expected "
                    "%.*s[ROW] with the row's category, or a function such as "
                    "{sum(%.*s)})", (int)(b - a), p->s + a, (int)(b - a), p->s + a,
                    (int)(b - a), p->s + a);
    if (rule != ROW_REQUIRED && out->row.s)
        return ph_fail(p->err, open, b - open, "%s() takes a column, not a cell (write "
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
    return ph_fail(p->err, a, k - a, "unknown function \"%s\" (%sexpected sum, count, max, min, "
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
        return ph_fail(p->err, a, name_end - a, "ratio() takes cells or sum, count, max or min of "
                    "a column, not %s()", ph_function_name(k));
    out->kind = k;
    row_rule rule = k == PH_COUNT ? COLUMN_OPTIONAL : ROW_FORBIDDEN;
    if (!parse_ref(p, open + 1, b - 1, rule, ph_function_name(k), out))
        return false;
    out->off = a;
    return true;
}

static bool parse_call(parser *p, ph_part *part, ph_kind k, size_t a, size_t open, size_t b)
{
    part->kind = k;
    size_t x = open + 1, y = b - 1;
    const char *fn = ph_function_name(k);
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
            return ph_fail(p->err, a, b - a, "ratio() takes two values, A and B, separated by a "
                        "comma (write \\, for a comma in a name)");
        if (find_top(p->s, comma + 1, y, ',') != NONE)
            return ph_fail(p->err, find_top(p->s, comma + 1, y, ','), 1, "ratio() takes two "
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
    return ph_fail_with(p->err, part->off, part->len, &m);
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
            return ph_fail(p->err, a - 1, end - a + 1, "empty format after \":\" (expected "
                        "decimals such as :1, a unit such as :亿元, or both: :1:亿元)");
        size_t digits = x;
        while (digits < y && p->s[digits] >= '0' && p->s[digits] <= '9')
            digits++;
        if (digits == y) {
            if (part->decimals >= 0)
                return ph_fail(p->err, x, y - x, "decimals given twice in one format");
            if (y - x > 1 || p->s[x] > '6')
                return ph_fail(p->err, x, y - x, "%.*s decimals (expected 0 to 6)", (int)(y - x),
                            p->s + x);
            part->decimals = p->s[x] - '0';
        } else {
            if (part->unit)
                return ph_fail(p->err, x, y - x, "unit given twice in one format");
            if (y - x > PH_MAX_UNIT_BYTES)
                return ph_fail(p->err, x, y - x, "unit longer than %d bytes", PH_MAX_UNIT_BYTES);
            if (!(part->unit = strndup(p->s + x, y - x)))
                return ph_fail_oom(p->err, "reading a placeholder");
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
        return ph_fail(p->err, open, 2, "empty placeholder \"{}\" (write {{}} for literal braces)");
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
        return ph_fail(p->err, colon, b - colon, "a format applies only to numbers, and {%.*s} is "
                    "text", (int)(colon - a), p->s + a);
    return parse_format(p, part, colon + 1, b);
}

/* ------------------------------------------------------------------ */
/* the field                                                           */

static bool add_part(ph_list *l, size_t *cap, const ph_part *p, ph_error *err)
{
    if (l->n == PH_MAX_PARTS)
        return ph_fail(err, p->off, p->len, "more than %d placeholders and texts in one field",
                    PH_MAX_PARTS);
    if (l->n == *cap) {
        size_t c = *cap ? *cap * 2 : 4;
        ph_part *np = realloc(l->parts, c * sizeof *np);
        if (!np)
            return ph_fail_oom(err, "reading placeholders");
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
        return ph_fail_oom(err, "reading placeholders");
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
            ok = ph_fail(err, i, 1, "single \"}\" (write \"}}\" for a literal brace)");
        } else if (s[i] == '{') {
            size_t close = closing_brace(s, i);
            if (close == NONE) {
                ok = ph_fail(err, i, 1, "unclosed \"{\" (write \"{{\" for a literal brace)");
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
