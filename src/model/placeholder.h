/*
 * placeholder.h — the `{…}` placeholders of text fields: parse, evaluate,
 * expand, and bound the expanded length before building it.
 *
 * Takes a field's text (valid UTF-8, as the JSON reader decoded it).
 * Gives a list of parts — literal text and references — each with the byte
 * offset where it starts in the field, so that every error can be placed
 * at line:column inside the string (ph_json_position).  Evaluation goes
 * through a resolver the caller supplies (datasets, variables, figure
 * numbers, {page}); the result is a value plus the unit and decimals to
 * print it with, which the one number formatter (util/numfmt) turns into
 * text.  The syntax (docs/format.md, "Values in text"):
 *
 *   {DATASET.COLUMN[ROW]}         a cell; ROW is the category (first column)
 *   {sum(DATASET.COLUMN)}         sum of the column's numbers (nulls skipped)
 *   {max(…)} {min(…)}             largest / smallest number of the column
 *   {count(DATASET)}              rows; {count(DATASET.COLUMN)}: non-null cells
 *   {share(DATASET.COLUMN[ROW])}  the cell as a % of its column's sum (1 decimal)
 *   {ratio(A, B)}                 A / B as a % (2 decimals); A, B cells or
 *                                 sum/max/min/count of a column
 *   {var.NAME}                    a variable ("vars", --var NAME=VALUE)
 *   {ref:ID}                      the number of a chart or table: 图2, 表1
 *   {page} {pages} {title}        the builtins a field allows (header, footer)
 *   {{  }}                        literal braces
 * A number may end with a format: `:1` (decimals, 0..6), `:亿元` (the same
 * value in another 万/亿 magnitude of its unit), or both in either order
 * (`:1:亿元`).  In names, `\` takes the next ASCII punctuation character
 * literally (`\.` `\:` `\,` `\[` `\]` `\(` `\)` `\{` `\}` `\\`); balanced
 * (…) and […] inside a name need no escape, nor do Chinese （）【】、，.
 */
#ifndef BRIEF_PLACEHOLDER_H
#define BRIEF_PLACEHOLDER_H

#include <stdbool.h>
#include <stddef.h>
#include "model/model.h"

/* Expanded text, checked before it is built (ph_expanded_length): one field
 * at most PH_MAX_FIELD_BYTES (the limit of any string); a header or footer
 * at most PH_MAX_RUNNING_BYTES per page (it is one line, repeated on every
 * page); the whole document — every field once, header and footer once per
 * page — at most PH_MAX_DOC_BYTES (the limit of the input itself, so
 * references never let a brief cost more than the largest literal one). */
#define PH_MAX_FIELD_BYTES   100000
#define PH_MAX_RUNNING_BYTES 1000
#define PH_MAX_DOC_BYTES     ((size_t)16 << 20)

#define PH_MAX_UNIT_BYTES    32      /* a unit in a format override */
#define PH_MAX_PARTS         10000   /* parts of one field */

typedef enum ph_kind {
    PH_LITERAL = 0,  /* text; "{{" and "}}" already unescaped */
    PH_BUILTIN,      /* {page}, {pages}, {title}: name in `name` */
    PH_CELL,         /* {DATASET.COLUMN[ROW]} */
    PH_SUM, PH_COUNT, PH_MAX, PH_MIN, PH_SHARE, PH_RATIO,
    PH_VAR,          /* {var.NAME} */
    PH_REF           /* {ref:ID} */
} ph_kind;

/* A name as written, escapes removed, with the offset of its first byte. */
typedef struct ph_name {
    char *s;         /* NULL when absent */
    size_t off;
} ph_name;

/* A value reference: a cell, or sum/count/max/min of a column. */
typedef struct ph_arg {
    ph_kind kind;    /* PH_CELL, PH_SUM, PH_COUNT, PH_MAX, PH_MIN */
    size_t off;      /* where the reference starts */
    ph_name dataset, column, row;   /* column absent for count(DATASET);
                                       row present only for cells */
} ph_arg;

typedef struct ph_part {
    ph_kind kind;
    size_t off, len;       /* bytes of the field this part covers ("{…}" whole) */
    char *text;            /* PH_LITERAL: the text */
    ph_name name;          /* PH_BUILTIN, PH_VAR, PH_REF */
    ph_arg a, b;           /* PH_CELL, PH_SUM … PH_SHARE: a; PH_RATIO: a and b */
    int decimals;          /* format override, -1: none */
    char *unit;            /* format override, NULL: none */
    size_t format_off;     /* the ':' of the override */
} ph_part;

typedef struct ph_list {
    ph_part *parts;
    size_t n;
    bool has_refs;         /* anything but literals: the field needs expanding */
} ph_list;

/* What went wrong, and where: byte offset in the field and length of the
 * offending part (a name, an argument, a format). */
typedef struct ph_error {
    size_t off, len;
    bool oom;              /* out of memory; message says while doing what */
    bool too_long;         /* expansion over the limit (ph_expand) */
    char message[1024];    /* complete UTF-8, with suggestions */
} ph_error;

/* Parses text into parts.  builtins[0..nbuiltins) are the bare names the
 * field allows ({page}, {pages}, {title} in the header and footer; none
 * elsewhere).  False with *err filled (and *out empty) on a syntax error or
 * an unknown function or builtin; references to data are checked only when
 * evaluated (ph_check), because datasets may be replaced later (--data). */
bool ph_parse(const char *text, const char *const *builtins, size_t nbuiltins, ph_list *out,
              ph_error *err);
void ph_list_clear(ph_list *l);

/* ---- evaluating ---- */

/* A column's unit ("" for none; "%" for a percentage) and decimals (-1:
 * as many as the column's numbers need, at most 6). */
typedef struct ph_column_format {
    const char *unit;
    int decimals;
} ph_column_format;

typedef enum ph_names_kind { PH_NAMES_DATASETS, PH_NAMES_VARS, PH_NAMES_REFS } ph_names_kind;

/* How a field finds what it names.  Any callback may be NULL (then nothing
 * of that kind exists).  Strings returned must live as long as the result
 * of the evaluation is used. */
typedef struct ph_resolver {
    void *ctx;
    /* The dataset called name, or NULL; *formats gets its column formats
     * (d->ncols entries) or NULL for "no unit, decimals from the data". */
    const dataset *(*dataset)(void *ctx, const char *name, const ph_column_format **formats);
    const char *(*var)(void *ctx, const char *name);         /* value or NULL */
    const char *(*ref)(void *ctx, const char *id);           /* "图2" or NULL */
    const char *(*builtin)(void *ctx, const char *name);     /* "3" or NULL */
    /* Every name of a kind, for "did you mean"; NULL/0 when none. */
    const char *const *(*names)(void *ctx, ph_names_kind kind, size_t *count);
    /* The row of d whose category (first column) is `category`, SIZE_MAX
     * if none; *again gets a second such row or SIZE_MAX.  NULL: a linear
     * scan (fine for a few references; the table resolver indexes). */
    size_t (*row)(void *ctx, const dataset *d, const char *category, size_t *again);
} ph_resolver;

/* As many decimals as the column's most precise number needs (at most 6):
 * what a column without declared decimals prints with.  Linear in the
 * rows: compute it once per column and pass it in ph_column_format. */
int ph_column_decimals(const dataset *d, size_t col);

/* ---- a ready resolver over plain arrays ---- */

/* Fill the inputs, then ph_table_resolver gives a resolver over them whose
 * lookups are binary searches (datasets, variables, ids, rows), so a
 * document with many references and large datasets costs O(n log n).  The
 * arrays are not copied and must outlive the resolver; after changing
 * names or datasets (a dataset replaced with --data), call
 * ph_table_resolver again.  The values of variables, ids and builtins are
 * read at each lookup, so a footer's "page" value may change per page. */
typedef struct ph_table {
    const dataset *datasets;                  /* brief_doc.datasets */
    size_t ndatasets;
    const ph_column_format *const *formats;   /* per dataset (ncols entries) or NULL */
    const char *const *var_names, *const *var_values;
    size_t nvars;
    const char *const *ref_ids, *const *ref_labels;   /* "invest" → "图2" */
    size_t nrefs;
    const char *const *builtin_names, *const *builtin_values;   /* "page" → "3" */
    size_t nbuiltins;
    struct ph_table_index *index;             /* built by ph_table_resolver */
} ph_table;

/* False when out of memory (nothing to free then). */
bool ph_table_resolver(ph_table *t, ph_resolver *out);
void ph_table_clear(ph_table *t);

typedef struct ph_value {
    bool is_text;
    const char *text;      /* is_text: printed as is */
    double number;         /* in `unit` */
    const char *unit;      /* "" for none; points into the resolver's data or the part */
    int decimals;          /* 0..6 */
    bool trim;             /* drop trailing zeros of the fraction (a magnitude
                              change without decimals given: 98900万元 → 9.89亿元) */
} ph_value;

/* Evaluates one part (not PH_LITERAL).  False with *err placed at the
 * offending name and suggestions for unknown datasets, columns, rows,
 * variables and ids; also for null or text cells where a number is needed,
 * a zero divisor, units that do not convert. */
bool ph_eval(const ph_part *p, const ph_resolver *r, ph_value *out, ph_error *err);

/* Evaluates every reference of the list: the check `brief check` makes.
 * Reports the first error only. */
bool ph_check(const ph_list *l, const ph_resolver *r, ph_error *err);

/* Writes a number value as text (like snprintf: returns the length it
 * needs).  ctx is the caller's; NULL format function: ph_format_plain. */
typedef size_t (*ph_format_fn)(void *ctx, char *buf, size_t size, const ph_value *v);

/* The default: numfmt_format in the plain style with the value's unit,
 * decimals and trim. */
size_t ph_format_plain(void *ctx, char *buf, size_t size, const ph_value *v);

/* The exact length in bytes of the expansion, computed without building
 * it (numbers are formatted into a small stack buffer one at a time). */
bool ph_expanded_length(const ph_list *l, const ph_resolver *r, ph_format_fn fmt, void *fctx,
                        size_t *len, ph_error *err);

/* The expansion as a new string (the caller frees it), or NULL with *err:
 * an evaluation error, err->too_long when the expansion would exceed
 * `limit` bytes (checked before anything is built), err->oom. */
char *ph_expand(const ph_list *l, const ph_resolver *r, ph_format_fn fmt, void *fctx,
                size_t limit, ph_error *err);

/* Accumulates expanded lengths over a document against PH_MAX_DOC_BYTES;
 * `times` is how often the text is laid out (pages, for a header). */
typedef struct ph_budget {
    size_t used;
} ph_budget;
bool ph_budget_take(ph_budget *b, size_t bytes, size_t times);

/* ---- positions ---- */

/* Line and column (1-based, in characters) of byte `off` of a string's
 * decoded value, given the JSON text and the offset of the string's
 * opening quote in it: walks the escapes (\n, \uXXXX, surrogate pairs)
 * so that the column is where the character is in the file. */
void ph_json_position(const char *json, size_t json_len, size_t quote_off, size_t off,
                      int *line, int *column);

#endif /* BRIEF_PLACEHOLDER_H */
