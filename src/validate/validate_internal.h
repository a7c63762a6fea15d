/*
 * validate_internal.h — what the validator's files share (not for other
 * stages: they see validate.h).
 *
 * The files, in the order the document is checked: validate.c (the root,
 * meta, page, style), validate_data.c (datasets), validate_blocks.c (body
 * blocks), validate_chart.c and validate_chart_data.c (chart blocks);
 * under them validate_values.c (typed members), validate_report.c (paths,
 * errors, memory) and validate_suggest.c ("did you mean").
 *
 * Out of memory (docs/architecture.md): every checking function returns a
 * verdict.  V_STOP means an allocation failed; the caller returns V_STOP at
 * once, without touching what it was building, up to validate_document,
 * which reports it with diag_oom().  V_WRONG means the value was reported
 * and validation goes on, so one run shows every mistake.
 */
#ifndef BRIEF_VALIDATE_INTERNAL_H
#define BRIEF_VALIDATE_INTERNAL_H

#include "validate/validate.h"
#include "input/json.h"
#include "util/diag.h"

#include <stdbool.h>
#include <stdint.h>

#define MAX_TEXT_BYTES 100000
#define MAX_BLOCKS 10000
#define MAX_ROWS 10000
#define MAX_COLUMNS 64
#define MAX_CATEGORIES 50
#define MAX_SERIES 12
#define MAX_CHARTS 200         /* per brief: ~1 ms each to lay out and paint */
#define MAX_BARS 10000         /* per brief, categories × series: ~0.05 ms each */
#define MAX_VALUE 1e15
#define MAX_PATH_BYTES 4096
#define MIN_TEXT_AREA_MM 40.0

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef enum verdict {
    V_STOP = -1,   /* out of memory: stop checking */
    V_WRONG = 0,   /* reported; go on */
    V_FINE = 1
} verdict;

/* Returns V_STOP from the calling function when x is V_STOP. */
#define PASS(x) do { if ((x) == V_STOP) return V_STOP; } while (0)
/* The same for an allocation that gave NULL. */
#define NEED(p) do { if (!(p)) return V_STOP; } while (0)

/* What the chart checks need to know about each dataset of the document. */
typedef struct dataset_state {
    bool usable;           /* columns are valid names: charts can use it */
    bool bad_cells;        /* some cell was reported (and stored as null) */
    unsigned char *checked;/* per column: CHECKED_* already done by a chart */
} dataset_state;

enum { CHECKED_VALUE = 1, CHECKED_CATEGORY = 2, CHECKED_NEGATIVE = 4 };

/* An error waiting to be sorted into the order of the text. */
typedef struct pending_error {
    char *path;
    char message[1024];
    src_pos at;
    size_t seq;
} pending_error;

/* Names to indices, hashed (validate_names.c); the names are not copied. */
typedef struct name_slot {
    const char *name;      /* NULL: free */
    size_t value;
} name_slot;
typedef struct name_index {
    name_slot *slots;
    size_t n, cap;         /* cap: a power of two, at least 2 n */
} name_index;

verdict v_names_add(name_index *ix, const char *name, size_t value);
bool v_names_find(const name_index *ix, const char *name, size_t *value);
void v_names_free(name_index *ix);

typedef struct vctx {
    brief_doc *doc;
    brief_diag *diag;
    const cJSON *root;
    const json_positions *pos;
    strbuf path;           /* JSON path of the value being checked */
    size_t errors;
    dataset_state *states; /* parallel to doc->datasets */
    name_index datasets_by_name;  /* built at the first chart's lookup */
    bool datasets_indexed;
    name_index charts_by_id;      /* chart ids so far -> their block */
    bool title_given;      /* meta.title was set: no default from the body */
    pending_error pending[DIAG_MAX_ERRORS];
    size_t npending;
    size_t other_errors;   /* reported straight to diag (a CSV file's own) */
    const char *text;      /* the JSON text (NULL: unknown), for positions inside strings */
    size_t text_len;
    size_t *line_starts;   /* byte offset of each line, built at the first use */
    size_t nlines;
    struct binder *binder; /* validate_text.c, between the body and the running lines */
} vctx;

/* ---- validate_report.c: paths, errors, memory ---- */

/* enter_* return a mark for v_leave(); false (in *ok) when out of memory. */
verdict v_enter_key(vctx *v, const char *key, size_t *mark);
verdict v_enter_index(vctx *v, size_t i, size_t *mark);
void v_leave(vctx *v, size_t mark);
const char *v_here(const vctx *v);

/* Errors at the current path's value (fail), its key (fail_key) or at
 * another path (fail_at).  V_WRONG once stored, V_STOP out of memory. */
verdict v_fail(vctx *v, const char *fmt, ...) BRIEF_PRINTF(2, 3);
verdict v_fail_key(vctx *v, const char *fmt, ...) BRIEF_PRINTF(2, 3);
verdict v_fail_at(vctx *v, const char *path, const char *fmt, ...) BRIEF_PRINTF(3, 4);
/* An error at a position found otherwise (inside a string). */
verdict v_fail_pos(vctx *v, const char *path, src_pos at, const char *fmt, ...) BRIEF_PRINTF(4, 5);
/* v_fail(v, "%s", m) for a message built in m, which it frees. */
verdict v_fail_built(vctx *v, strbuf *m);
/* True once the error list is full: further errors are only counted. */
bool v_muted(vctx *v);
/* Puts the stored errors into diag in the order of the text. */
void v_flush_errors(vctx *v);

char *v_dup(const char *s);
void *v_alloc(size_t n, size_t size);
/* Replaces *slot with a copy of s. */
verdict v_replace(char **slot, const char *s);

void v_list_names(strbuf *b, const char *const *names, size_t n, bool quoted, const char *last_sep);
size_t v_null_terminated_count(const char *const *names);
size_t v_number_prefix(const char *s);
void v_fmt_number(char *buf, size_t size, double x);
verdict v_wrong_type(vctx *v, const char *expected, const cJSON *j);

/* ---- validate_values.c: members of objects ---- */

const cJSON *v_get(const cJSON *obj, const char *key);
bool v_listed(const char *key, const char *const *names);
int v_strcasecmp_ascii(const char *a, const char *b);
bool v_is_alpha(char c);
bool v_is_alnum(char c);

verdict v_number_in(vctx *v, const cJSON *j, double lo, double hi, const char *unit, double *out);
verdict v_integer_in(vctx *v, const cJSON *j, int lo, int hi, int *out);
/* *out: the string, or NULL when it was wrong. */
verdict v_string_value(vctx *v, const cJSON *j, bool nonempty, const char **out);
/* *index: of j's value in names[0..n), or -1 when it was wrong. */
verdict v_enum_value(vctx *v, const cJSON *j, const char *const *names, size_t n,
                   const char *what, bool ignore_case, const char *also, int *index);
verdict v_expect_object(vctx *v, const cJSON *j, const char *expected);

/* Explains a key that is valid elsewhere ("only heading blocks have it");
 * leaves `why` empty when it does not know the key either. */
typedef void (*misplaced_fn)(const char *key, const void *ctx, strbuf *why);
verdict v_unknown_key(vctx *v, const char *key, const char *const *allowed,
                    misplaced_fn misplaced, const void *ctx);
verdict v_check_keys(vctx *v, const cJSON *obj, const char *const *allowed,
                   misplaced_fn misplaced, const void *ctx);
bool v_misspelled(const cJSON *obj, const char *key, const char *const *allowed);
/* "missing required key" unless obj has a misspelling of it. */
verdict v_require(vctx *v, const cJSON *obj, const char *key, const char *const *allowed,
                const char *fmt, ...) BRIEF_PRINTF(5, 6);

/* Optional members: absent leaves *out at its default, and so does a value
 * that is wrong (after reporting it). */
verdict v_read_string(vctx *v, const cJSON *obj, const char *key, char **out);
verdict v_read_number(vctx *v, const cJSON *obj, const char *key, double lo, double hi,
                    const char *unit, double *out);
verdict v_read_mm(vctx *v, const cJSON *obj, const char *key, double lo, double hi, double *pt);
verdict v_read_int(vctx *v, const cJSON *obj, const char *key, int lo, int hi, int *out);
verdict v_read_bool(vctx *v, const cJSON *obj, const char *key, bool *out);
/* *index: dflt when absent, -1 when wrong. */
verdict v_read_enum(vctx *v, const cJSON *obj, const char *key, const char *const *names,
                  size_t n, const char *what, int dflt, int *index);

/* ---- the parts of the document ---- */

extern const char *const META_KEYS[], *const PAGE_KEYS[], *const STYLE_KEYS[];
extern const char *const ROOT_KEYS[], *const DATASET_KEYS[], *const REFERENCE_KEYS[];
extern const char *const TEXT_KEYS[], *const HEADING_KEYS[], *const FIGURE_KEYS[];
extern const char *const BREAK_KEYS[], *const CHART_KEYS[], *const BAR_KEYS[];
extern const char *const COMPLETION_KEYS[], *const LINE_KEYS[], *const PIE_KEYS[];
extern const char *const TABLE_KEYS[], *const GROUP_KEYS[], *const KPI_KEYS[];
extern const char *const KPI_ITEM_KEYS[], *const LIST_KEYS[], *const MASTHEAD_KEYS[];
/* Each kind's keys and name, in chart_kind order. */
#define CHART_KINDS_COUNT 4
extern const char *const *const KIND_KEYS[CHART_KINDS_COUNT];
extern const char *const KIND_NAMES[CHART_KINDS_COUNT];
/* Block type names, in block_type order. */
extern const char *const BLOCK_TYPES[BLOCK_MASTHEAD + 1];
/* The keys a block of type t may have (charts: without BAR_KEYS and
 * COMPLETION_KEYS, which depend on the kind). */
const char *const *v_block_keys(block_type t);

verdict validate_data(vctx *v, const cJSON *data);
/* validate_sources.c: {"csv": FILE} datasets, per-column units and
 * decimals, --data replacements, "vars" and --var. */
verdict v_read_csv_dataset(vctx *v, const cJSON *j, dataset *ds, bool *usable);
/* validate_data.c: a dataset's "units" or "decimals" (key), over what ds has. */
verdict v_column_options(vctx *v, const cJSON *obj, dataset *ds, const char *key);
verdict v_replace_datasets(vctx *v);
verdict validate_vars(vctx *v, const cJSON *vars);
verdict v_command_line_vars(vctx *v);
/* validate_text.c: placeholders in every text field, once every block is known. */
verdict v_bind_text(vctx *v);
/* Then the header and footer (after the default title is known). */
verdict v_bind_running(vctx *v);
void v_bind_done(vctx *v);
/* With the path at the dataset: *usable when charts can use it. */
verdict validate_dataset(vctx *v, const cJSON *j, dataset *ds, bool *bad_cells, bool *usable);
void v_list_columns(strbuf *b, const dataset *ds);

verdict validate_body(vctx *v, const cJSON *body);

/* The keys of a run object (all kinds together). */
extern const char *const RUN_KEYS[];
/* validate_runs.c: a text field, a string or an array of runs (with the
 * path at the field); *text gets the plain text, *rich the runs or NULL. */
verdict v_read_text_field(vctx *v, const cJSON *t, char **text, rich_text **rich);
/* The optional text member `key` of obj (absent: *text and *rich stay;
 * "" allowed); a note refused with "a note cannot stand in NO_NOTE" when
 * no_note is not NULL. */
verdict v_read_text_member(vctx *v, const cJSON *obj, const char *key, const char *no_note,
                           char **text, rich_text **rich);
/* The text at the current path (an array's item): a non-empty string or runs. */
verdict v_read_text_item(vctx *v, const cJSON *t, const char *no_note, char **text,
                         rich_text **rich);
/* The running header or footer (obj's member key) given as runs: no note,
 * no link ("… cannot stand in PLACE"). */
verdict v_read_running_runs(vctx *v, const cJSON *obj, const char *key, const char *place,
                            char **text, rich_text **rich);
/* The plain text of runs (notes left out); NULL when out of memory. */
char *v_runs_plain(const rich_text *rt);
void v_block_misplaced(const char *key, const void *ctx, strbuf *why);
typedef struct block_context {
    block_type type;
    int kind;          /* charts: chart_kind, -1 unknown */
} block_context;

verdict validate_chart(vctx *v, const cJSON *j, block *b, size_t index);

/* What the checks of one chart block share. */
typedef struct chart_ctx {
    chart_spec *c;
    const cJSON *j;
    size_t index;               /* in body */
    int kind;                   /* chart_kind, -1 when unknown */
    dataset_state *state;       /* of a named dataset, else &inline_state */
    dataset_state inline_state;
    bool columns_ok;            /* category and value columns resolved */
    const char *const *allowed; /* its keys, for spotting misspellings */
} chart_ctx;

/* validate_chart_data.c: the chart's data, columns and cells. */
verdict v_read_chart_data(vctx *v, chart_ctx *cc, bool *usable);
/* The column of cc->c->data that j names (reported when none). */
verdict v_find_column(vctx *v, const chart_ctx *cc, const cJSON *j, size_t *col);

/* validate_bulletin.c: table, kpi, list and masthead blocks. */
verdict validate_table(vctx *v, const cJSON *j, block *b, size_t index);
verdict validate_kpi(vctx *v, const cJSON *j, block *b);
verdict validate_list(vctx *v, const cJSON *j, block *b);
verdict validate_masthead(vctx *v, const cJSON *j, block *b);
void v_number_tables(vctx *v);
verdict v_read_chart_columns(vctx *v, chart_ctx *cc, bool *ok);
verdict v_check_chart_cells(vctx *v, chart_ctx *cc);

#endif /* BRIEF_VALIDATE_INTERNAL_H */
