/*
 * csv_reader.h — what the passes of the CSV reader share; private to
 * src/input/csv*.c (the stage's interface is csv.h).
 *
 * csv.c          the entry points: csv_parse runs the passes in order,
 *                csv_read_file reads a file within CSV_MAX_BYTES
 * csv_decode.c   pass 1, bytes → UTF-8 text (BOM, UTF-8 check, GB18030)
 * csv_split.c    pass 2, text → raw cells with their positions (RFC 4180)
 * csv_columns.c  pass 3, raw cells → the typed csv_table
 *
 * Each pass returns false when it failed: an error is in r->diag, or
 * r->oom is set (csv_parse then reports it once with diag_oom).
 */
#ifndef BRIEF_CSV_READER_H
#define BRIEF_CSV_READER_H

#include <stdbool.h>
#include <stddef.h>
#include "input/csv.h"
#include "input/json.h"
#include "util/diag.h"

typedef struct raw_cell {
    size_t off, len;       /* into the cell text buffer (NUL after each cell) */
    int line, col;         /* where the cell starts */
    bool quoted;
} raw_cell;

typedef struct reader {
    const char *name;
    brief_diag *diag;
    bool oom;
    /* decoded text */
    char *text;
    size_t len;
    csv_encoding encoding;
    /* split cells */
    strbuf cells_text;
    raw_cell *cells;
    size_t ncells, cap;
    size_t ncols, nrows;
    int *row_lines;
    size_t row_cap;
} reader;

/* An error at line:col of the file (0:0 for the whole file). */
void csv_fail_at(reader *r, int line, int col, const char *fmt, ...) BRIEF_PRINTF(4, 5);

/* Pass 1: bytes[0..len) → r->text, r->len, r->encoding. */
bool csv_decode(reader *r, const char *bytes, size_t len);
/* Pass 2: r->text → r->cells (header first), r->ncols, r->nrows, r->row_lines. */
bool csv_split(reader *r);
/* Pass 3: the header names are non-empty and distinct ... */
bool csv_check_names(reader *r);
/* ... and the columns typed into *t (which then owns r->row_lines). */
bool csv_build(reader *r, csv_table *t);

/* The blanks an unquoted cell loses at either end. */
static inline bool is_blank(char ch) { return ch == ' ' || ch == '\t'; }

#endif
