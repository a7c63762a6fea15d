/*
 * csv_split.c — pass 2 of the CSV reader (see csv_reader.h): text →
 * records of raw cells.
 *
 * Takes r->text; gives r->cells (each cell's text NUL-terminated in
 * r->cells_text, with its line:column and whether it was quoted), the
 * header first, then r->nrows rows of exactly r->ncols cells, and the line
 * each row starts on.  Guarantees: RFC 4180 (quotes, "" inside quotes,
 * line breaks inside quotes kept); blank lines and all-empty rows
 * skipped; CSV_MAX_ROWS, CSV_MAX_COLUMNS and CSV_MAX_CELL_BYTES checked as
 * each cell is read, so a file over a limit costs no more than reading up
 * to it; a row with too few or too many cells is an error naming the
 * header's columns.
 */
#define _POSIX_C_SOURCE 200809L
#include "input/csv_reader.h"
#include "util/diag.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* splitting into records and cells                                    */

typedef struct cursor {
    size_t i;
    int line, col;
} cursor;

static bool at_line_end(const reader *r, const cursor *c)
{
    return c->i < r->len && (r->text[c->i] == '\n' || r->text[c->i] == '\r');
}

static void skip_line_end(const reader *r, cursor *c)
{
    if (r->text[c->i] == '\r' && c->i + 1 < r->len && r->text[c->i + 1] == '\n')
        c->i++;
    c->i++;
    c->line++;
    c->col = 1;
}

/* Advances over one character, appending its bytes to the cell text. */
static void take_char(reader *r, cursor *c)
{
    size_t k = 1;
    while (c->i + k < r->len && ((unsigned char)r->text[c->i + k] & 0xC0) == 0x80)
        k++;
    sb_append(&r->cells_text, r->text + c->i, k);
    c->i += k;
    c->col++;
}

static bool push_cell(reader *r, const raw_cell *cell)
{
    if (r->ncells == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        raw_cell *p = realloc(r->cells, cap * sizeof *p);
        if (!p) {
            r->oom = true;
            return false;
        }
        r->cells = p;
        r->cap = cap;
    }
    r->cells[r->ncells++] = *cell;
    return true;
}


/* Reads a quoted cell from the opening quote; false after an error. */
static bool read_quoted(reader *r, cursor *c, const raw_cell *start)
{
    c->i++;
    c->col++;
    for (;;) {
        if (c->i >= r->len) {
            csv_fail_at(r, start->line, start->col, "quoted cell never closed: the file ends "
                    "inside it (a quote inside a quoted cell is written \"\")");
            return false;
        }
        char ch = r->text[c->i];
        if (ch == '"') {
            if (c->i + 1 < r->len && r->text[c->i + 1] == '"') {
                sb_append(&r->cells_text, "\"", 1);
                c->i += 2;
                c->col += 2;
                continue;
            }
            c->i++;
            c->col++;
            break;
        }
        if (ch == '\n' || ch == '\r') {
            sb_append(&r->cells_text, "\n", 1);
            skip_line_end(r, c);
        } else {
            take_char(r, c);
        }
        if (r->cells_text.len - start->off > CSV_MAX_CELL_BYTES) {
            csv_fail_at(r, start->line, start->col, "cell longer than %d bytes (at most %d)",
                    CSV_MAX_CELL_BYTES, CSV_MAX_CELL_BYTES);
            return false;
        }
    }
    while (c->i < r->len && is_blank(r->text[c->i])) {
        c->i++;
        c->col++;
    }
    if (c->i < r->len && r->text[c->i] != ',' && !at_line_end(r, c)) {
        csv_fail_at(r, c->line, c->col, "unexpected text after the closing quote of the cell that "
                "starts at column %d (expected a comma or the end of the line; a quote inside "
                "a quoted cell is written \"\")", start->col);
        return false;
    }
    return true;
}

static bool read_unquoted(reader *r, cursor *c, raw_cell *cell)
{
    while (c->i < r->len && r->text[c->i] != ',' && !at_line_end(r, c)) {
        take_char(r, c);
        if (r->cells_text.len - cell->off > CSV_MAX_CELL_BYTES) {
            csv_fail_at(r, cell->line, cell->col, "cell longer than %d bytes (at most %d)",
                    CSV_MAX_CELL_BYTES, CSV_MAX_CELL_BYTES);
            return false;
        }
    }
    /* Surrounding spaces of unquoted cells are layout, not content. */
    const char *s = r->cells_text.s ? r->cells_text.s + cell->off : "";
    size_t n = r->cells_text.len - cell->off, lead = 0;
    while (lead < n && is_blank(s[lead]))
        lead++;
    while (n > lead && is_blank(s[n - 1]))
        n--;
    if (lead && r->cells_text.s)
        memmove(r->cells_text.s + cell->off, s + lead, n - lead);
    sb_truncate(&r->cells_text, cell->off + n - lead);
    return true;
}

static bool row_is_empty(const reader *r, size_t first)
{
    for (size_t k = first; k < r->ncells; k++)
        if (r->cells[k].len || r->cells[k].quoted)
            return false;
    return true;
}

static void list_header(strbuf *b, const reader *r)
{
    for (size_t k = 0; k < r->ncols && k < 8; k++) {
        if (k)
            sb_puts(b, ", ");
        sb_puts(b, r->cells_text.s ? r->cells_text.s + r->cells[k].off : "");
    }
    if (r->ncols > 8)
        sb_puts(b, ", …");
}

static bool count_row(reader *r, size_t first, int line, const cursor *end)
{
    size_t n = r->ncells - first;
    if (n < r->ncols) {
        strbuf cols = {0};
        list_header(&cols, r);
        csv_fail_at(r, end->line, end->col, "row has %zu cell%s, expected %zu (one per column: %s)",
                n, n == 1 ? "" : "s", r->ncols, cols.s ? cols.s : "");
        sb_free(&cols);
        return false;
    }
    if (r->nrows == CSV_MAX_ROWS) {
        csv_fail_at(r, line, 1, "more than %d rows (at most %d data rows after the header)",
                CSV_MAX_ROWS, CSV_MAX_ROWS);
        return false;
    }
    if (r->nrows == r->row_cap) {
        size_t cap = r->row_cap ? r->row_cap * 2 : 64;
        int *p = realloc(r->row_lines, cap * sizeof *p);
        if (!p) {
            r->oom = true;
            return false;
        }
        r->row_lines = p;
        r->row_cap = cap;
    }
    r->row_lines[r->nrows++] = line;
    return true;
}

/* Cell number n (0-based) of the record being read has just started. */
static bool cell_fits(reader *r, size_t n, const raw_cell *cell)
{
    if (r->ncols == 0 && n >= CSV_MAX_COLUMNS) {
        csv_fail_at(r, cell->line, cell->col, "more than %d columns (at most %d)", CSV_MAX_COLUMNS,
                CSV_MAX_COLUMNS);
        return false;
    }
    if (r->ncols && n >= r->ncols) {
        strbuf cols = {0};
        list_header(&cols, r);
        csv_fail_at(r, cell->line, cell->col, "row has more than %zu cells, expected %zu (one per "
                "column: %s; a cell with a comma in it, such as \"1,234\", must be in double "
                "quotes)", r->ncols, r->ncols, cols.s ? cols.s : "");
        sb_free(&cols);
        return false;
    }
    return true;
}

/* One record; *done when the text is exhausted. */
static bool read_record(reader *r, cursor *c, bool *done)
{
    size_t first = r->ncells;
    int line = c->line;
    for (size_t n = 0;; n++) {
        raw_cell cell = {r->cells_text.len, 0, c->line, c->col, false};
        if (!cell_fits(r, n, &cell))
            return false;
        cell.quoted = c->i < r->len && r->text[c->i] == '"';
        if (!(cell.quoted ? read_quoted(r, c, &cell) : read_unquoted(r, c, &cell)))
            return false;
        cell.len = r->cells_text.len - cell.off;
        sb_append(&r->cells_text, "", 1);   /* the NUL after each cell */
        if (r->cells_text.failed) {
            r->oom = true;
            return false;
        }
        if (!push_cell(r, &cell))
            return false;
        if (c->i < r->len && r->text[c->i] == ',') {
            c->i++;
            c->col++;
            continue;
        }
        break;
    }
    cursor end = *c;
    if (c->i < r->len)
        skip_line_end(r, c);
    *done = c->i >= r->len;
    if (row_is_empty(r, first)) {
        r->ncells = first;   /* blank line or ",,,": skipped */
        return true;
    }
    if (r->ncols == 0) {
        r->ncols = r->ncells;
        return true;
    }
    return count_row(r, first, line, &end);
}

bool csv_split(reader *r)
{
    cursor c = {0, 1, 1};
    sb_puts(&r->cells_text, "");
    bool done = r->len == 0;
    while (!done)
        if (!read_record(r, &c, &done))
            return false;
    if (r->ncols == 0) {
        csv_fail_at(r, 1, 1, "the file has no header row (expected column names on the first line, "
                "such as 指标,绝对值,增速(%%))");
        return false;
    }
    return true;
}
