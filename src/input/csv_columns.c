/*
 * csv_columns.c — pass 3 of the CSV reader (see csv_reader.h): raw cells
 * → typed columns.
 *
 * Takes the split cells; gives the csv_table (names, cells, each column's
 * unit and decimals).  Guarantees: column names non-empty and distinct;
 * the first column is text as written; another column is numeric when at
 * least half its non-null cells are numbers, and then every non-null cell
 * is a finite number within ±CSV_MAX_VALUE and all or none carry '%'
 * (a stray word is an error at its cell); null markers (empty, -, —, …)
 * become null cells.  The rules are csv.h's.
 */
#define _POSIX_C_SOURCE 200809L
#include "input/csv_reader.h"
#include "util/diag.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* typing                                                              */

static const char *cell_text(const reader *r, const raw_cell *c)
{
    return r->cells_text.s + c->off;
}

static const raw_cell *at(const reader *r, size_t row, size_t col)
{
    return &r->cells[(row + 1) * r->ncols + col];   /* row 0 is the header */
}

/* s[0..n) without surrounding spaces and tabs. */
static const char *trimmed(const char *s, size_t *n)
{
    while (*n && is_blank(*s)) {
        s++;
        (*n)--;
    }
    while (*n && is_blank(s[*n - 1]))
        (*n)--;
    return s;
}

static bool is_null_marker(const char *s, size_t n)
{
    static const char *const MARKERS[] = {"-", "—", "——", "…", "……"};
    s = trimmed(s, &n);
    if (n == 0)
        return true;
    for (size_t i = 0; i < sizeof MARKERS / sizeof *MARKERS; i++)
        if (strlen(MARKERS[i]) == n && memcmp(s, MARKERS[i], n) == 0)
            return true;
    return false;
}

typedef enum cell_class { CLASS_NULL, CLASS_NUMBER, CLASS_PERCENT, CLASS_TEXT } cell_class;

#define MAX_NUMBER_DIGITS 40

static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

/* Integer digits, with ',' between groups of three or no ',' at all. */
static bool scan_integer(const char **p, const char *end, char *digits, size_t *nd)
{
    const char *s = *p;
    size_t group = 0;
    bool grouped = false;
    while (s < end && (is_digit(*s) || *s == ',')) {
        if (*s == ',') {
            if (group == 0 || (grouped ? group != 3 : group > 3))
                return false;
            grouped = true;
            group = 0;
        } else {
            if (*nd == MAX_NUMBER_DIGITS)
                return false;
            digits[(*nd)++] = *s;
            group++;
        }
        s++;
    }
    if (group == 0 || (grouped && group != 3))
        return false;
    *p = s;
    return true;
}

/* `[+-]digits[.digits][e[+-]digits][%]` with optional thousands grouping;
 * value, whether it had '%', digits after the point as written. */
static bool parse_number(const char *s, size_t n, double *value, bool *percent, int *decimals)
{
    s = trimmed(s, &n);
    const char *p = s, *end = s + n;
    char buf[MAX_NUMBER_DIGITS + 16];
    size_t nd = 0;
    bool negative = p < end && *p == '-';
    if (p < end && (*p == '-' || *p == '+'))
        p++;
    if (!scan_integer(&p, end, buf + 1, &nd))
        return false;
    int frac = 0;
    if (p < end && *p == '.') {
        p++;
        if (p == end || !is_digit(*p))
            return false;
        while (p < end && is_digit(*p)) {
            if (nd == MAX_NUMBER_DIGITS)
                return false;
            buf[1 + nd++] = *p++;
            frac++;
        }
    }
    long exp = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        bool eneg = p < end && *p == '-';
        if (p < end && (*p == '-' || *p == '+'))
            p++;
        if (p == end || !is_digit(*p))
            return false;
        while (p < end && is_digit(*p) && exp < 1000)
            exp = exp * 10 + (*p++ - '0');
        if (p < end && is_digit(*p))
            return false;
        exp = eneg ? -exp : exp;
    }
    *percent = p < end && *p == '%';
    if (*percent)
        p++;
    if (p != end)
        return false;
    /* "DIGITSeEXP" has no decimal point, so strtod's locale cannot matter. */
    buf[0] = negative ? '-' : '+';
    snprintf(buf + 1 + nd, sizeof buf - 1 - nd, "e%ld", exp - frac);
    *value = strtod(buf, NULL);
    long d = frac - exp;
    *decimals = d < 0 ? 0 : d > 6 ? 6 : (int)d;
    return true;
}

static cell_class classify(const reader *r, const raw_cell *c, double *v, int *decimals)
{
    const char *s = cell_text(r, c);
    if (is_null_marker(s, c->len))
        return CLASS_NULL;
    bool percent;
    if (parse_number(s, c->len, v, &percent, decimals))
        return percent ? CLASS_PERCENT : CLASS_NUMBER;
    return CLASS_TEXT;
}

static void quote_cell(strbuf *b, const reader *r, const raw_cell *c)
{
    json_quote(b, cell_text(r, c), c->len);
}

bool csv_check_names(reader *r)
{
    bool ok = true;
    if (r->ncols == 1) {
        const char *s = cell_text(r, &r->cells[0]);
        const char *sep = strchr(s, '\t') ? "tabs" : strchr(s, ';') ? "semicolons" : NULL;
        if (sep) {
            csv_fail_at(r, 1, 1, "the header is one column whose name contains %s: cells must be "
                    "separated by commas (save as \"CSV UTF-8 (逗号分隔)\")", sep);
            return false;
        }
    }
    for (size_t k = 0; k < r->ncols; k++) {
        raw_cell *c = &r->cells[k];
        size_t n = c->len;
        const char *s = trimmed(cell_text(r, c), &n);
        if (s != cell_text(r, c) || n != c->len) {
            memmove(r->cells_text.s + c->off, s, n);
            r->cells_text.s[c->off + n] = '\0';
            c->len = n;
        }
        if (n == 0) {
            csv_fail_at(r, c->line, c->col, "column %zu has no name (the first row names the "
                    "columns)", k + 1);
            ok = false;
            continue;
        }
        for (size_t j = 0; j < k; j++)
            if (r->cells[j].len == n && memcmp(cell_text(r, &r->cells[j]), cell_text(r, c), n) == 0) {
                strbuf q = {0};
                quote_cell(&q, r, c);
                csv_fail_at(r, c->line, c->col, "duplicate column name %s (first at line %d, "
                        "column %d)", q.s ? q.s : "", r->cells[j].line, r->cells[j].col);
                sb_free(&q);
                ok = false;
                break;
            }
    }
    return ok;
}

typedef struct column_census {
    size_t numbers, texts;
    const raw_cell *first_text, *first_number, *first_plain, *first_percent, *out_of_range;
    int decimals;
} column_census;

static void take_census(const reader *r, size_t col, column_census *cs)
{
    memset(cs, 0, sizeof *cs);
    for (size_t row = 0; row < r->nrows; row++) {
        const raw_cell *c = at(r, row, col);
        double v;
        int d;
        cell_class k = classify(r, c, &v, &d);
        if (k == CLASS_TEXT) {
            cs->texts++;
            if (!cs->first_text)
                cs->first_text = c;
        } else if (k != CLASS_NULL) {
            cs->numbers++;
            if (!cs->first_number)
                cs->first_number = c;
            if (k == CLASS_PERCENT && !cs->first_percent)
                cs->first_percent = c;
            if (k == CLASS_NUMBER && !cs->first_plain)
                cs->first_plain = c;
            if (!(fabs(v) <= CSV_MAX_VALUE) && !cs->out_of_range)
                cs->out_of_range = c;
            if (d > cs->decimals)
                cs->decimals = d;
        }
    }
}

static const char *column_name(const reader *r, size_t col)
{
    return cell_text(r, &r->cells[col]);
}

/* Reports why a column that is mostly numbers cannot be read; true if it can. */
static bool numeric_column_ok(reader *r, size_t col, const column_census *cs)
{
    strbuf m = {0};
    const raw_cell *bad = NULL;
    if (cs->texts) {
        bad = cs->first_text;
        sb_puts(&m, "text ");
        quote_cell(&m, r, bad);
        sb_puts(&m, " in column ");
        json_quote(&m, column_name(r, col), strlen(column_name(r, col)));
        sb_printf(&m, ", whose other cells are numbers (expected a number such as 1,234.5 or "
                  "12.3%%, or empty, -, — or … for no value)");
    } else if (cs->first_percent && cs->first_plain) {
        bool percent_first = cs->first_percent < cs->first_plain;
        bad = percent_first ? cs->first_plain : cs->first_percent;
        quote_cell(&m, r, bad);
        sb_printf(&m, " %s, but the column's first number (line %d) %s (write %% after every "
                  "number of column ", percent_first ? "has no %" : "has %",
                  cs->first_number->line, percent_first ? "has one" : "has none");
        json_quote(&m, column_name(r, col), strlen(column_name(r, col)));
        sb_puts(&m, " or after none)");
    } else if (cs->out_of_range) {
        bad = cs->out_of_range;
        sb_puts(&m, "number ");
        quote_cell(&m, r, bad);
        sb_puts(&m, " out of range (expected at most 10^15 in magnitude)");
    }
    if (bad)
        csv_fail_at(r, bad->line, bad->col, "%s", m.s ? m.s : "bad cell");
    if (m.failed)
        r->oom = true;
    sb_free(&m);
    return bad == NULL;
}

static bool store_text(reader *r, cell *out, const raw_cell *c)
{
    if (is_null_marker(cell_text(r, c), c->len))
        return true;
    out->kind = CELL_TEXT;
    out->text = strdup(cell_text(r, c));
    if (!out->text)
        r->oom = true;
    return out->text != NULL;
}

static bool fill_column(reader *r, csv_table *t, size_t col)
{
    dataset *d = &t->data;
    csv_column *info = &t->cols[col];
    info->line = r->cells[col].line;
    info->column = r->cells[col].col;
    info->decimals = -1;
    column_census cs;
    if (col > 0)
        take_census(r, col, &cs);
    bool numeric = col > 0 && cs.numbers > 0 && cs.numbers >= cs.texts;
    if (numeric && !numeric_column_ok(r, col, &cs))
        return false;
    info->unit = strdup(numeric && cs.first_percent ? "%" : "");
    if (!info->unit) {
        r->oom = true;
        return false;
    }
    if (numeric)
        info->decimals = cs.decimals;
    for (size_t row = 0; row < r->nrows; row++) {
        cell *out = &d->cells[row * d->ncols + col];
        const raw_cell *c = at(r, row, col);
        double v;
        int dec;
        if (!numeric) {
            if (!store_text(r, out, c))
                return false;
        } else if (classify(r, c, &v, &dec) != CLASS_NULL) {
            out->kind = CELL_NUMBER;
            out->number = v;
        }
    }
    return true;
}

bool csv_build(reader *r, csv_table *t)
{
    dataset *d = &t->data;
    d->name = strdup("");
    d->json_path = strdup("");
    d->columns = calloc(r->ncols, sizeof *d->columns);
    d->cells = calloc(r->nrows * r->ncols + 1, sizeof *d->cells);
    t->cols = calloc(r->ncols, sizeof *t->cols);
    if (!d->name || !d->json_path || !d->columns || !d->cells || !t->cols) {
        r->oom = true;
        return false;
    }
    d->ncols = r->ncols;
    d->nrows = r->nrows;
    for (size_t k = 0; k < r->ncols; k++)
        if (!(d->columns[k] = strdup(column_name(r, k)))) {
            r->oom = true;
            return false;
        }
    bool ok = true;
    for (size_t k = 0; k < r->ncols && !r->oom; k++)
        ok &= fill_column(r, t, k);
    t->row_lines = r->row_lines;
    r->row_lines = NULL;
    t->encoding = r->encoding;
    return ok && !r->oom;
}
