/*
 * csv.h — reading a CSV file into a typed dataset (stage 1 for CSV data).
 *
 * Takes the bytes of a CSV file (RFC 4180: comma separated, fields quoted
 * with '"', '""' a quote inside quotes, line breaks inside quotes kept) in
 * UTF-8 (with or without a byte order mark) or GB18030 (what Excel writes on
 * a Chinese Windows).  Gives a `dataset` (model.h) whose first row of the
 * file named the columns, plus per column the unit and decimals the file
 * itself implies.  Guarantees, when it returns BRIEF_OK: every string is
 * valid UTF-8 without control characters other than tab and line feed,
 * every number is finite and within ±CSV_MAX_VALUE, every row has exactly
 * one cell per column, column names are non-empty and distinct, and the
 * limits below were checked while reading (a file over a limit costs no
 * more than reading up to the limit).  Every error names
 * `file.csv:LINE:COLUMN` (columns counted in characters, as an editor shows
 * them, whatever the file's encoding).
 *
 * Cells (see docs/format.md, "CSV datasets"):
 *   - `1,234.5`, `-3`, `0.5`, `1.5e3` are numbers (',' groups three digits);
 *   - `12.3%` is the number 12.3 and makes the column's unit "%";
 *   - an empty cell, `-`, `—`, `——`, `…`, `……` (quoted or not) is null;
 *   - anything else is text.  Unquoted cells lose surrounding spaces/tabs.
 * Columns: the first column (the categories) is always text, as written.
 * Another column is numeric when at least half of its non-null cells are
 * numbers; then every non-null cell must be a number (a stray word in a
 * column of figures is an error at that cell) and either all or none of
 * them must carry '%'.  A column where text is the majority is a text
 * column and keeps number-like cells as written.  Blank lines and rows
 * whose cells are all empty (Excel writes ",,," for a blank sheet row) are
 * skipped.
 */
#ifndef BRIEF_CSV_H
#define BRIEF_CSV_H

#include <stddef.h>
#include "brief.h"
#include "model/model.h"

#define CSV_MAX_BYTES      ((size_t)16 << 20)   /* the file, as stored */
#define CSV_MAX_ROWS       10000                /* data rows, the header not counted */
#define CSV_MAX_COLUMNS    64
#define CSV_MAX_CELL_BYTES 100000               /* one cell (or name) in UTF-8 */
#define CSV_MAX_VALUE      1e15                 /* largest magnitude of a number */

typedef enum csv_encoding { CSV_UTF8 = 0, CSV_UTF8_BOM, CSV_GB18030 } csv_encoding;

typedef struct csv_column {
    char *unit;        /* "%" when the column's numbers carry '%', else "" */
    int decimals;      /* most digits after the point in the column as
                          written ("9.80" counts 2); -1 for a text column */
    int line, column;  /* where the header names it */
} csv_column;

typedef struct csv_table {
    dataset data;          /* name and json_path are "" (the caller sets them) */
    csv_column *cols;      /* data.ncols entries */
    int *row_lines;        /* data.nrows entries: the line each row starts on */
    csv_encoding encoding; /* what the file was written in */
} csv_table;

/* Parses bytes[0..len) (need not be NUL-terminated); `name` is the file
 * name shown in messages.  On BRIEF_OK *out holds the table (free it with
 * csv_table_clear); otherwise *out is zeroed and every problem found (up
 * to the diag cap) is in diag: BRIEF_E_DATA for the file's content,
 * BRIEF_E_OSERR (reported with diag_oom) when memory ran out. */
brief_status csv_parse(const char *bytes, size_t len, const char *name, csv_table *out,
                       brief_diag *diag);

/* Reads the file at `path` (a regular file of at most CSV_MAX_BYTES; the
 * size is checked before reading and again while reading, and FIFOs or
 * devices are refused without blocking) and parses it.  `name` is what
 * messages call the file (NULL: path).  BRIEF_E_NOINPUT when it cannot be
 * opened or read. */
brief_status csv_read_file(const char *path, const char *name, csv_table *out, brief_diag *diag);

/* Frees everything the table owns and zeroes it. */
void csv_table_clear(csv_table *t);

/* The name of an encoding for messages: "UTF-8", "UTF-8 with BOM", "GB18030". */
const char *csv_encoding_name(csv_encoding e);

#endif /* BRIEF_CSV_H */
