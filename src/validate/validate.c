/*
 * validate.c — stage 2: a checked cJSON tree → the document model.
 *
 * Takes the tree json_parse gave (strict JSON, no duplicate keys) and the
 * text it came from.  Gives a filled brief_doc (model.h) with every default
 * applied and every length in points, or diagnostics.  Guarantees what
 * model.h promises: later stages never re-check the input.
 *
 * Format v1 is strict: unknown keys, wrong types and out-of-range numbers are
 * errors, each reported with the JSON path and line:column of the offending
 * value, a suggestion for near misses, and what was expected.  Validation
 * goes on after an error so that one run reports all of them.  cJSON keeps
 * no positions, so errors hold their JSON path until the end; then (errors
 * are rare) json_locate finds each in the text and they are reported in
 * the order of the text.
 *
 * Sections are checked in dependency order — brief, meta, page, style,
 * data, body — because charts refer to datasets.
 */
#define _POSIX_C_SOURCE 200809L
#include "validate/validate.h"
#include "input/json.h"
#include "util/diag.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TEXT_BYTES 100000
#define MAX_BLOCKS 10000
#define MAX_ROWS 10000
#define MAX_COLUMNS 64
#define MAX_CATEGORIES 50
#define MAX_SERIES 12
#define MAX_VALUE 1e15
#define MAX_PATH_BYTES 4096
#define MIN_TEXT_AREA_MM 40.0

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* What the chart checks need to know about each dataset of the document. */
typedef struct dataset_state {
    bool usable;           /* columns are valid names: charts can use it */
    bool bad_cells;        /* some cell was reported (and stored as null) */
    unsigned char *checked;/* per column: CHECKED_* already done by a chart */
} dataset_state;

enum { CHECKED_VALUE = 1, CHECKED_CATEGORY = 2, CHECKED_NEGATIVE = 4 };

/* An error waiting to be located and sorted (see flush_errors). */
typedef struct pending_error {
    char *path;
    char *message;
    json_target target;
    size_t offset;
    size_t seq;
} pending_error;

typedef struct vctx {
    brief_doc *doc;
    brief_diag *diag;
    strbuf path;           /* JSON path of the value being checked */
    size_t errors;
    bool oom;
    dataset_state *states; /* parallel to doc->datasets */
    bool title_given;      /* meta.title was set: no default from the body */
    pending_error pending[DIAG_MAX_ERRORS];
    size_t npending;
} vctx;

/* ------------------------------------------------------------------ */
/* paths and reports                                                   */

static size_t enter_key(vctx *v, const char *key)
{
    size_t mark = v->path.len;
    json_path_key(&v->path, key);
    return mark;
}

static size_t enter_index(vctx *v, size_t i)
{
    size_t mark = v->path.len;
    json_path_index(&v->path, i);
    return mark;
}

static void leave(vctx *v, size_t mark) { sb_truncate(&v->path, mark); }

static const char *here(const vctx *v) { return v->path.s ? v->path.s : ""; }

/* Errors are kept until the end so that they come out in the order of the
 * text, as a compiler's would, rather than in the order of the checks. */
static void report(vctx *v, const char *path, json_target target, const char *fmt, va_list ap)
{
    v->errors++;
    if (v->npending == DIAG_MAX_ERRORS)
        return;   /* counted in flush_errors, never shown: not worth locating */
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    pending_error *e = &v->pending[v->npending];
    e->path = strdup(path);
    e->message = strdup(msg);
    if (!e->path || !e->message) {
        free(e->path);
        free(e->message);
        v->oom = true;
        return;
    }
    e->target = target;
    e->seq = v->npending++;
}

static int by_position(const void *a, const void *b)
{
    const pending_error *x = a, *y = b;
    if (x->offset != y->offset)
        return x->offset < y->offset ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void flush_errors(vctx *v)
{
    const brief_doc *d = v->doc;
    for (size_t i = 0; i < v->npending; i++)
        json_locate(d->source, d->source_len, v->pending[i].path, v->pending[i].target,
                    &v->pending[i].offset);
    qsort(v->pending, v->npending, sizeof v->pending[0], by_position);
    for (size_t i = 0; i < v->npending; i++) {
        pending_error *e = &v->pending[i];
        int line, col;
        json_line_column(d->source, d->source_len, e->offset, &line, &col);
        diag_add(v->diag, BRIEF_ERROR, BRIEF_E_DATA, d->file, line, col, e->path, "%s", e->message);
        free(e->path);
        free(e->message);
    }
    /* The list stores DIAG_MAX_ERRORS errors but counts them all. */
    for (size_t i = v->npending; i < v->errors; i++)
        diag_add(v->diag, BRIEF_ERROR, BRIEF_E_DATA, d->file, 0, 0, NULL, "further error");
    v->npending = 0;
}

/* True once the list is full: further errors are only counted, so callers
 * skip composing messages (suggestions cost an edit distance per name). */
static bool muted(vctx *v)
{
    if (v->npending < DIAG_MAX_ERRORS)
        return false;
    v->errors++;
    return true;
}

static void fail(vctx *v, const char *fmt, ...) BRIEF_PRINTF(2, 3);
static void fail_key(vctx *v, const char *fmt, ...) BRIEF_PRINTF(2, 3);
static void fail_at(vctx *v, const char *path, const char *fmt, ...) BRIEF_PRINTF(3, 4);

/* At the value the current path names. */
static void fail(vctx *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(v, here(v), JSON_AT_VALUE, fmt, ap);
    va_end(ap);
}

/* At the key of the member the current path names. */
static void fail_key(vctx *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(v, here(v), JSON_AT_KEY, fmt, ap);
    va_end(ap);
}

static void fail_at(vctx *v, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(v, path, JSON_AT_VALUE, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------------ */
/* memory                                                              */

static char *dup(vctx *v, const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        v->oom = true;
    return d;
}

static void *alloc(vctx *v, size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        v->oom = true;
    return p;
}

static void replace(vctx *v, char **slot, const char *s)
{
    char *d = dup(v, s);
    if (d) {
        free(*slot);
        *slot = d;
    }
}

/* ------------------------------------------------------------------ */
/* did you mean                                                        */

#define MAX_SUGGEST_CHARS 64

static uint32_t lower_ascii(uint32_t c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Case-insensitive for ASCII letters only, whatever the locale. */
static int strcasecmp_ascii(const char *a, const char *b)
{
    for (;; a++, b++) {
        uint32_t x = lower_ascii((unsigned char)*a), y = lower_ascii((unsigned char)*b);
        if (x != y || !x)
            return (int)x - (int)y;
    }
}

/* Decodes (valid) UTF-8 into lower-cased code points; SIZE_MAX if longer
 * than max. */
static size_t code_points(const char *s, uint32_t *out, size_t max)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (n == max)
            return SIZE_MAX;
        size_t k = utf8_sequence_length(p, strlen((const char *)p));
        if (k == 0)
            k = 1;
        uint32_t c = k == 1 ? p[0]
                   : k == 2 ? ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F)
                   : k == 3 ? ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F)
                            : ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
                              ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
        out[n++] = lower_ascii(c);
        p += k;
    }
    return n;
}

/* Edit distance counting a swap of neighbours as one edit. */
static size_t edit_distance(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    static const size_t W = MAX_SUGGEST_CHARS + 1;
    size_t d[(MAX_SUGGEST_CHARS + 1) * (MAX_SUGGEST_CHARS + 1)];
    for (size_t i = 0; i <= n; i++)
        d[i * W] = i;
    for (size_t j = 0; j <= m; j++)
        d[j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t best = d[(i - 1) * W + j] + 1;
            if (d[i * W + j - 1] + 1 < best)
                best = d[i * W + j - 1] + 1;
            if (d[(i - 1) * W + j - 1] + cost < best)
                best = d[(i - 1) * W + j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[(i - 2) * W + j - 2] + 1 < best)
                best = d[(i - 2) * W + j - 2] + 1;
            d[i * W + j] = best;
        }
    return d[n * W + m];
}

/* Same first character, the rest in order. */
static bool abbreviates(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    if (n < 2 || n >= m || a[0] != b[0])
        return false;
    size_t i = 0;
    for (size_t j = 0; j < m && i < n; j++)
        if (a[i] == b[j])
            i++;
    return i == n;
}

/* Whether b[0..m) occurs in a[0..n): "计划" in "年度计划", "meta" in "metadata". */
static bool contains(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    if (m < 2 || m >= n)
        return false;
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(a + i, b, m * sizeof *a) == 0)
            return true;
    return false;
}

const char *suggest_name(const char *got, const char *const *names, size_t count)
{
    uint32_t a[MAX_SUGGEST_CHARS], b[MAX_SUGGEST_CHARS];
    size_t n = code_points(got, a, MAX_SUGGEST_CHARS);
    if (n == SIZE_MAX || n == 0)
        return NULL;
    const char *best = NULL, *abbrev = NULL;
    size_t best_d = SIZE_MAX;
    for (size_t i = 0; i < count; i++) {
        size_t m = code_points(names[i], b, MAX_SUGGEST_CHARS);
        if (m == SIZE_MAX)
            continue;
        size_t longest = n > m ? n : m, shortest = n < m ? n : m;
        /* the length difference bounds the distance from below */
        size_t d = longest - shortest <= longest / 3 ? edit_distance(a, n, b, m) : SIZE_MAX;
        if (d == 0)
            return names[i];   /* equal but for case */
        if (d <= longest / 3 && d < best_d) {
            best = names[i];
            best_d = d;
        }
        if (!abbrev && (abbreviates(a, n, b, m) || contains(b, m, a, n) ||
                        (m >= 3 && contains(a, n, b, m))))
            abbrev = names[i];
    }
    return best ? best : abbrev;
}

/* ------------------------------------------------------------------ */
/* describing values                                                   */

static size_t null_terminated_count(const char *const *names)
{
    size_t n = 0;
    while (names[n])
        n++;
    return n;
}

/* `"a", "b" or "c"` (quoted) or `a, b, c` (plain, for key lists). */
static void list_names(strbuf *b, const char *const *names, size_t n, bool quoted, const char *last_sep)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            sb_puts(b, i + 1 == n ? last_sep : ", ");
        if (quoted)
            json_quote(b, names[i], strlen(names[i]));
        else
            sb_puts(b, names[i]);
    }
}

static void describe(strbuf *b, const cJSON *j)
{
    if (cJSON_IsString(j)) {
        sb_puts(b, "a string ");
        json_quote(b, j->valuestring, strlen(j->valuestring));
    } else if (cJSON_IsNumber(j)) {
        sb_puts(b, "a number");
    } else if (cJSON_IsTrue(j)) {
        sb_puts(b, "true");
    } else if (cJSON_IsFalse(j)) {
        sb_puts(b, "false");
    } else if (cJSON_IsNull(j)) {
        sb_puts(b, "null");
    } else if (cJSON_IsArray(j)) {
        sb_puts(b, "an array");
    } else {
        sb_puts(b, "an object");
    }
}

/* Length of the JSON number at the start of s, 0 if there is none. */
static size_t number_prefix(const char *s)
{
    const char *p = s;
    if (*p == '-')
        p++;
    if (*p < '0' || *p > '9')
        return 0;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.' && p[1] >= '0' && p[1] <= '9')
        for (p++; *p >= '0' && *p <= '9'; p++) {}
    return (size_t)(p - s);
}

static void type_hint(strbuf *b, const char *expected, const cJSON *j)
{
    if (!cJSON_IsString(j))
        return;
    const char *s = j->valuestring;
    if (strncmp(expected, "a number", 8) == 0 || strncmp(expected, "an integer", 10) == 0) {
        size_t n = number_prefix(s);
        if (n > 0 && s[n] == '\0')
            sb_puts(b, " (write the number without quotes)");
        else if (n > 0)
            sb_printf(b, " (numbers must not carry units; write %.*s)", (int)n, s);
    } else if (strcmp(expected, "true or false") == 0) {
        if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)
            sb_puts(b, " (write it without quotes)");
    } else if (strncmp(expected, "an array", 8) == 0) {
        sb_puts(b, " (write [");
        json_quote(b, s, strlen(s));
        sb_puts(b, "])");
    }
}

static void wrong_type(vctx *v, const char *expected, const cJSON *j)
{
    strbuf got = {0};
    describe(&got, j);
    type_hint(&got, expected, j);
    fail(v, "expected %s, got %s", expected, got.s ? got.s : "something else");
    sb_free(&got);
}

static void fmt_number(char *buf, size_t size, double x)
{
    snprintf(buf, size, "%.15g", x);
}

/* ------------------------------------------------------------------ */
/* scalar values                                                       */

static bool number_in(vctx *v, const cJSON *j, double lo, double hi, const char *unit, double *out)
{
    if (!cJSON_IsNumber(j)) {
        wrong_type(v, "a number", j);
        return false;
    }
    double x = j->valuedouble;
    char a[40], b[40], c[40];
    fmt_number(b, sizeof b, lo);
    fmt_number(c, sizeof c, hi);
    if (!isfinite(x)) {
        fail(v, "number is too large (expected %s to %s%s)", b, c, unit);
        return false;
    }
    if (x < lo || x > hi) {
        fmt_number(a, sizeof a, x);
        fail(v, "%s is out of range (expected %s to %s%s)", a, b, c, unit);
        return false;
    }
    *out = x;
    return true;
}

static bool integer_in(vctx *v, const cJSON *j, int lo, int hi, int *out)
{
    if (!cJSON_IsNumber(j)) {
        wrong_type(v, "an integer", j);
        return false;
    }
    double x = j->valuedouble;
    char a[40];
    fmt_number(a, sizeof a, x);
    if (!isfinite(x) || x != floor(x)) {
        fail(v, "expected an integer, got %s", isfinite(x) ? a : "a number too large");
        return false;
    }
    if (x < lo || x > hi) {
        fail(v, "%s is out of range (expected %d to %d)", a, lo, hi);
        return false;
    }
    *out = (int)x;
    return true;
}

static const char *string_value(vctx *v, const cJSON *j, bool nonempty)
{
    if (!cJSON_IsString(j)) {
        wrong_type(v, "a string", j);
        return NULL;
    }
    size_t n = strlen(j->valuestring);
    if (n > MAX_TEXT_BYTES) {
        fail(v, "text is too long: %zu bytes (at most %d)", n, MAX_TEXT_BYTES);
        return NULL;
    }
    if (nonempty && n == 0) {
        fail(v, "empty string (expected at least one character)");
        return NULL;
    }
    return j->valuestring;
}

/* Index of j's value in names[0..n), or -1 after reporting. */
static int enum_value(vctx *v, const cJSON *j, const char *const *names, size_t n,
                      const char *what, bool ignore_case, const char *also)
{
    if (!cJSON_IsString(j)) {
        strbuf e = {0};
        sb_puts(&e, n == 2 ? "" : "one of ");
        list_names(&e, names, n, true, n == 2 ? " or " : ", ");
        wrong_type(v, e.s ? e.s : "a string", j);
        sb_free(&e);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        bool same = ignore_case ? strcasecmp_ascii(j->valuestring, names[i]) == 0
                                : strcmp(j->valuestring, names[i]) == 0;
        if (same)
            return (int)i;
    }
    if (muted(v))
        return -1;
    strbuf m = {0};
    sb_printf(&m, "unknown %s ", what);
    json_quote(&m, j->valuestring, strlen(j->valuestring));
    const char *s = suggest_name(j->valuestring, names, n);
    if (s) {
        sb_puts(&m, " (did you mean ");
        json_quote(&m, s, strlen(s));
        sb_puts(&m, "?)");
    } else {
        sb_puts(&m, " (expected ");
        list_names(&m, names, n, true, also ? ", " : " or ");
        if (also)
            sb_printf(&m, " or %s", also);
        sb_puts(&m, ")");
    }
    fail(v, "%s", m.s ? m.s : "unknown value");
    sb_free(&m);
    return -1;
}

/* ------------------------------------------------------------------ */
/* objects and their members                                           */

static const cJSON *get(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static bool expect_object(vctx *v, const cJSON *j, const char *expected)
{
    if (cJSON_IsObject(j))
        return true;
    wrong_type(v, expected ? expected : "an object", j);
    return false;
}

static bool listed(const char *key, const char *const *names)
{
    for (size_t i = 0; names[i]; i++)
        if (strcmp(key, names[i]) == 0)
            return true;
    return false;
}

/* Explains a key that is valid elsewhere ("only heading blocks have it");
 * leaves `why` empty when it does not know the key either. */
typedef void (*misplaced_fn)(const char *key, const void *ctx, strbuf *why);

static void unknown_key(vctx *v, const char *key, const char *const *allowed,
                        misplaced_fn misplaced, const void *ctx)
{
    if (muted(v))
        return;
    strbuf m = {0};
    const char *s = suggest_name(key, allowed, null_terminated_count(allowed));
    if (misplaced && !s)
        misplaced(key, ctx, &m);
    if (m.len == 0) {
        sb_puts(&m, "unknown key ");
        json_quote(&m, key, strlen(key));
        if (s) {
            sb_puts(&m, " (did you mean ");
            json_quote(&m, s, strlen(s));
            sb_puts(&m, "?)");
        } else {
            sb_puts(&m, " (expected one of: ");
            list_names(&m, allowed, null_terminated_count(allowed), false, ", ");
            sb_puts(&m, ")");
        }
    }
    fail_key(v, "%s", m.s ? m.s : "unknown key");
    sb_free(&m);
}

static void check_keys(vctx *v, const cJSON *obj, const char *const *allowed,
                       misplaced_fn misplaced, const void *ctx)
{
    for (const cJSON *c = obj->child; c; c = c->next) {
        if (listed(c->string, allowed))
            continue;
        size_t mark = enter_key(v, c->string);
        unknown_key(v, c->string, allowed, misplaced, ctx);
        leave(v, mark);
    }
}

/* Whether obj has an unknown key that is a misspelling of `key`: then a
 * "missing required key" error would only repeat the unknown-key error. */
static bool misspelled(const cJSON *obj, const char *key, const char *const *allowed)
{
    size_t n = null_terminated_count(allowed);
    for (const cJSON *c = obj->child; c; c = c->next) {
        const char *s = listed(c->string, allowed) ? NULL : suggest_name(c->string, allowed, n);
        if (s && strcmp(s, key) == 0)
            return true;
    }
    return false;
}

/* Optional members: absent leaves *out at its default, and so does a value
 * that is wrong (after reporting it). */

static void read_string(vctx *v, const cJSON *obj, const char *key, char **out)
{
    const cJSON *j = get(obj, key);
    if (!j)
        return;
    size_t mark = enter_key(v, key);
    const char *s = string_value(v, j, false);
    if (s)
        replace(v, out, s);
    leave(v, mark);
}

static bool read_number(vctx *v, const cJSON *obj, const char *key, double lo, double hi,
                        const char *unit, double *out)
{
    const cJSON *j = get(obj, key);
    if (!j)
        return true;
    size_t mark = enter_key(v, key);
    bool ok = number_in(v, j, lo, hi, unit, out);
    leave(v, mark);
    return ok;
}

static void read_mm(vctx *v, const cJSON *obj, const char *key, double lo, double hi, double *pt)
{
    double mm = 0;
    if (get(obj, key) && read_number(v, obj, key, lo, hi, " mm", &mm))
        *pt = MM_TO_PT(mm);
}

static void read_int(vctx *v, const cJSON *obj, const char *key, int lo, int hi, int *out)
{
    const cJSON *j = get(obj, key);
    if (!j)
        return;
    size_t mark = enter_key(v, key);
    integer_in(v, j, lo, hi, out);
    leave(v, mark);
}

static void read_bool(vctx *v, const cJSON *obj, const char *key, bool *out)
{
    const cJSON *j = get(obj, key);
    if (!j)
        return;
    size_t mark = enter_key(v, key);
    if (cJSON_IsBool(j))
        *out = cJSON_IsTrue(j);
    else
        wrong_type(v, "true or false", j);
    leave(v, mark);
}

/* Index of the member's value in names, dflt when absent, -1 when wrong. */
static int read_enum(vctx *v, const cJSON *obj, const char *key, const char *const *names,
                     size_t n, const char *what, int dflt)
{
    const cJSON *j = get(obj, key);
    if (!j)
        return dflt;
    size_t mark = enter_key(v, key);
    int i = enum_value(v, j, names, n, what, false, NULL);
    leave(v, mark);
    return i;
}

/* ------------------------------------------------------------------ */
/* defaults                                                            */

static void set_defaults(vctx *v)
{
    brief_doc *d = v->doc;
    d->format_version = BRIEF_FORMAT_VERSION;
    d->meta.title = dup(v, "");
    d->meta.author = dup(v, "");
    d->meta.subject = dup(v, "");
    d->meta.keywords = dup(v, "");
    d->meta.lang = dup(v, "zh-CN");
    d->page.width_pt = MM_TO_PT(210);
    d->page.height_pt = MM_TO_PT(297);
    static const double margin_mm[4] = {25, 20, 25, 20};
    for (int i = 0; i < 4; i++)
        d->page.margin_pt[i] = MM_TO_PT(margin_mm[i]);
    d->page.header = dup(v, "");
    d->page.footer = dup(v, "第 {page} 页 共 {pages} 页");
    d->style.body_font = dup(v, "serif");
    d->style.heading_font = dup(v, "sans");
    d->style.font_size_pt = 10.5;
    d->style.line_height = 1.7;
    d->style.cjk_latin_space_em = 0.25;
    d->style.normalize_punctuation = true;
    d->style.grid = true;
}

/* ------------------------------------------------------------------ */
/* meta                                                                */

static const char *const META_KEYS[] = {"title", "author", "subject", "keywords", "lang", NULL};

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }

/* [A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*: the shape of the BCP 47 tags a PDF
 * /Lang needs, without the registry. */
static bool valid_lang(const char *s)
{
    size_t n = 0;
    while (is_alpha(s[n]))
        n++;
    if (n < 2 || n > 3)
        return false;
    s += n;
    while (*s == '-') {
        s++;
        for (n = 0; is_alnum(s[n]); n++) {}
        if (n < 2 || n > 8)
            return false;
        s += n;
    }
    return *s == '\0';
}

static void read_lang(vctx *v, const cJSON *meta)
{
    const cJSON *j = get(meta, "lang");
    if (!j)
        return;
    size_t mark = enter_key(v, "lang");
    const char *s = string_value(v, j, false);
    if (s && valid_lang(s)) {
        replace(v, &v->doc->meta.lang, s);
    } else if (s) {
        strbuf m = {0}, fixed = {0};
        sb_puts(&m, "invalid language tag ");
        json_quote(&m, s, strlen(s));
        sb_puts(&fixed, s);
        for (size_t i = 0; fixed.s && i < fixed.len; i++)
            if (fixed.s[i] == '_')
                fixed.s[i] = '-';
        if (fixed.s && strcmp(fixed.s, s) != 0 && valid_lang(fixed.s)) {
            sb_puts(&m, " (did you mean ");
            json_quote(&m, fixed.s, fixed.len);
            sb_puts(&m, "?)");
        } else {
            sb_puts(&m, " (expected a tag such as \"zh-CN\" or \"en\")");
        }
        fail(v, "%s", m.s ? m.s : "invalid language tag");
        sb_free(&m);
        sb_free(&fixed);
    }
    leave(v, mark);
}

static void read_keywords(vctx *v, const cJSON *meta)
{
    const cJSON *j = get(meta, "keywords");
    if (!j)
        return;
    size_t mark = enter_key(v, "keywords");
    if (!cJSON_IsArray(j)) {
        wrong_type(v, "an array of strings", j);
    } else {
        strbuf joined = {0};
        size_t i = 0;
        for (const cJSON *e = j->child; e; e = e->next, i++) {
            size_t m = enter_index(v, i);
            const char *s = string_value(v, e, false);
            if (s && *s) {
                if (joined.len)
                    sb_puts(&joined, ", ");
                sb_puts(&joined, s);
            }
            leave(v, m);
        }
        if (joined.failed)
            v->oom = true;
        replace(v, &v->doc->meta.keywords, joined.s ? joined.s : "");
        sb_free(&joined);
    }
    leave(v, mark);
}

/* True when meta gives the title itself (else it comes from the body). */
static bool validate_meta(vctx *v, const cJSON *meta)
{
    if (!expect_object(v, meta, NULL))
        return false;
    check_keys(v, meta, META_KEYS, NULL, NULL);
    doc_meta *m = &v->doc->meta;
    read_string(v, meta, "title", &m->title);
    read_string(v, meta, "author", &m->author);
    read_string(v, meta, "subject", &m->subject);
    read_keywords(v, meta);
    read_lang(v, meta);
    return get(meta, "title") != NULL;
}

/* ------------------------------------------------------------------ */
/* page                                                                */

static const char *const PAGE_KEYS[] = {"size", "orientation", "margin", "header", "footer", NULL};
static const char *const ORIENTATIONS_PAGE[] = {"portrait", "landscape"};
static const char *const PLACEHOLDERS[] = {"page", "pages", "title"};

typedef struct paper {
    const char *name;
    double w, h;     /* mm, portrait */
} paper;

static const paper PAPERS[] = {
    {"A3", 297, 420}, {"A4", 210, 297}, {"A5", 148, 210}, {"B5", 176, 250},
    {"Letter", 215.9, 279.4}, {"Legal", 215.9, 355.6},
};

typedef struct page_size {
    double w, h;          /* mm */
    const char *name;     /* NULL for [w, h] */
    bool ok;
} page_size;

static void read_size(vctx *v, const cJSON *page, page_size *ps)
{
    const cJSON *j = get(page, "size");
    if (!j)
        return;
    size_t mark = enter_key(v, "size");
    const char *names[COUNT(PAPERS)];
    for (size_t i = 0; i < COUNT(PAPERS); i++)
        names[i] = PAPERS[i].name;
    if (cJSON_IsString(j)) {
        int i = enum_value(v, j, names, COUNT(PAPERS), "page size", true, "[width, height] in mm");
        if (i >= 0) {
            ps->w = PAPERS[i].w;
            ps->h = PAPERS[i].h;
            ps->name = PAPERS[i].name;
        }
        ps->ok = i >= 0;
    } else if (cJSON_IsArray(j) && cJSON_GetArraySize(j) == 2) {
        double mm[2] = {0, 0};
        size_t i = 0;
        for (const cJSON *e = j->child; e; e = e->next, i++) {
            size_t m = enter_index(v, i);
            ps->ok &= number_in(v, e, 50, 2000, " mm", &mm[i]);
            leave(v, m);
        }
        ps->w = mm[0];
        ps->h = mm[1];
        ps->name = NULL;
    } else if (cJSON_IsArray(j)) {
        fail(v, "expected [width, height] in mm, got an array of %d values", cJSON_GetArraySize(j));
        ps->ok = false;
    } else {
        wrong_type(v, "a page size such as \"A4\" or [width, height] in mm", j);
        ps->ok = false;
    }
    leave(v, mark);
}

/* margin: one number (all sides), [vertical, horizontal] or
 * [top, right, bottom, left], in mm. */
static bool read_margin(vctx *v, const cJSON *page, double mm[4])
{
    const cJSON *j = get(page, "margin");
    if (!j)
        return true;
    size_t mark = enter_key(v, "margin");
    bool ok = true;
    double x[4];
    if (cJSON_IsNumber(j)) {
        ok = number_in(v, j, 0, 200, " mm", &x[0]);
        x[1] = x[2] = x[3] = x[0];
    } else if (cJSON_IsArray(j) && (cJSON_GetArraySize(j) == 4 || cJSON_GetArraySize(j) == 2)) {
        size_t i = 0;
        for (const cJSON *e = j->child; e; e = e->next, i++) {
            size_t m = enter_index(v, i);
            ok &= number_in(v, e, 0, 200, " mm", &x[i]);
            leave(v, m);
        }
        if (i == 2) {
            x[2] = x[0];
            x[3] = x[1];
        }
    } else if (cJSON_IsArray(j)) {
        fail(v, "expected 1, 2 or 4 margins, got %d ([top, right, bottom, left] or "
             "[vertical, horizontal] in mm)", cJSON_GetArraySize(j));
        ok = false;
    } else {
        wrong_type(v, "a margin in mm or an array of 2 or 4 margins", j);
        ok = false;
    }
    if (ok)
        memcpy(mm, x, sizeof x);
    leave(v, mark);
    return ok;
}

/* Placeholders in header and footer: {page}, {pages}, {title}; "{{" and
 * "}}" stand for braces. */
static void check_template(vctx *v, const char *s)
{
    for (const char *p = s; *p;) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            p += 2;
        } else if (*p == '}') {
            fail(v, "single \"}\" (write \"}}\" for a literal brace)");
            p++;
        } else if (*p == '{') {
            const char *close = strchr(p + 1, '}'), *open = strchr(p + 1, '{');
            if (!close || (open && open < close)) {
                fail(v, "unclosed \"{\" (write \"{{\" for a literal brace)");
                p++;
                continue;
            }
            size_t n = (size_t)(close - p - 1);
            bool known = false;
            for (size_t i = 0; i < COUNT(PLACEHOLDERS); i++)
                known |= strlen(PLACEHOLDERS[i]) == n && strncmp(p + 1, PLACEHOLDERS[i], n) == 0;
            if (!known) {
                char *name = strndup(p + 1, n);
                const char *s2 = name ? suggest_name(name, PLACEHOLDERS, COUNT(PLACEHOLDERS)) : NULL;
                strbuf m = {0};
                sb_puts(&m, "unknown placeholder ");
                json_quote(&m, p, n + 2);
                sb_puts(&m, " (");
                if (s2)
                    sb_printf(&m, "did you mean {%s}? ", s2);
                sb_puts(&m, "expected {page}, {pages} or {title})");
                fail(v, "%s", m.s ? m.s : "unknown placeholder");
                sb_free(&m);
                free(name);
            }
            p = close + 1;
        } else {
            p++;
        }
    }
}

static void read_template(vctx *v, const cJSON *page, const char *key, char **out)
{
    const cJSON *j = get(page, key);
    if (!j)
        return;
    size_t mark = enter_key(v, key);
    const char *s = string_value(v, j, false);
    if (s) {
        size_t before = v->errors;
        check_template(v, s);
        if (v->errors == before)
            replace(v, out, s);
    }
    leave(v, mark);
}

static void check_text_area(vctx *v, const cJSON *page, const page_size *ps, const double mm[4])
{
    double tw = ps->w - mm[1] - mm[3], th = ps->h - mm[0] - mm[2];
    if (tw >= MIN_TEXT_AREA_MM && th >= MIN_TEXT_AREA_MM)
        return;
    size_t mark = enter_key(v, get(page, "margin") ? "margin" : "size");
    strbuf m = {0};
    sb_printf(&m, "margins leave only %g × %g mm for text on ", tw > 0 ? tw : 0, th > 0 ? th : 0);
    if (ps->name)
        sb_printf(&m, "the %s page (%g × %g mm)", ps->name, ps->w, ps->h);
    else
        sb_printf(&m, "the %g × %g mm page", ps->w, ps->h);
    sb_printf(&m, " (expected at least %g × %g mm)", MIN_TEXT_AREA_MM, MIN_TEXT_AREA_MM);
    fail(v, "%s", m.s ? m.s : "margins too large");
    sb_free(&m);
    leave(v, mark);
}

static void validate_page(vctx *v, const cJSON *page)
{
    if (!expect_object(v, page, NULL))
        return;
    check_keys(v, page, PAGE_KEYS, NULL, NULL);
    doc_page *pg = &v->doc->page;
    page_size ps = {210, 297, "A4", true};
    double mm[4] = {25, 20, 25, 20};
    read_size(v, page, &ps);
    int orient = read_enum(v, page, "orientation", ORIENTATIONS_PAGE, 2, "orientation", -2);
    /* Named sizes are portrait unless told otherwise; [w, h] is taken as
     * written unless an orientation is given. */
    bool portrait = orient == 0 || (orient == -2 && ps.name);
    bool landscape = orient == 1;
    if ((portrait && ps.w > ps.h) || (landscape && ps.w < ps.h)) {
        double t = ps.w;
        ps.w = ps.h;
        ps.h = t;
    }
    bool margin_ok = read_margin(v, page, mm);
    read_template(v, page, "header", &pg->header);
    read_template(v, page, "footer", &pg->footer);
    if (ps.ok && margin_ok && orient != -1)
        check_text_area(v, page, &ps, mm);
    pg->width_pt = MM_TO_PT(ps.w);
    pg->height_pt = MM_TO_PT(ps.h);
    for (int i = 0; i < 4; i++)
        pg->margin_pt[i] = MM_TO_PT(mm[i]);
}

/* ------------------------------------------------------------------ */
/* style                                                               */

static const char *const STYLE_KEYS[] = {
    "body_font", "heading_font", "font_size", "line_height", "cjk_latin_space",
    "normalize_punctuation", "grid", NULL,
};
static const char *const FONTS[] = {"serif", "sans"};

static void read_font(vctx *v, const cJSON *style, const char *key, char **out)
{
    int i = read_enum(v, style, key, FONTS, COUNT(FONTS), "font", -2);
    if (i >= 0)
        replace(v, out, FONTS[i]);
}

static void validate_style(vctx *v, const cJSON *style)
{
    if (!expect_object(v, style, NULL))
        return;
    check_keys(v, style, STYLE_KEYS, NULL, NULL);
    doc_style *st = &v->doc->style;
    read_font(v, style, "body_font", &st->body_font);
    read_font(v, style, "heading_font", &st->heading_font);
    read_number(v, style, "font_size", 6, 24, " pt", &st->font_size_pt);
    read_number(v, style, "line_height", 1.0, 3.0, "", &st->line_height);
    read_number(v, style, "cjk_latin_space", 0, 0.5, " em", &st->cjk_latin_space_em);
    read_bool(v, style, "normalize_punctuation", &st->normalize_punctuation);
    read_bool(v, style, "grid", &st->grid);
}

/* ------------------------------------------------------------------ */
/* datasets                                                            */

static const char *const DATASET_KEYS[] = {"columns", "rows", NULL};

static void list_columns(strbuf *b, const dataset *ds)
{
    for (size_t i = 0; i < ds->ncols; i++) {
        if (i > 0)
            sb_puts(b, ", ");
        sb_puts(b, ds->columns[i] ? ds->columns[i] : "");
    }
}

static bool validate_columns(vctx *v, const cJSON *obj, dataset *ds)
{
    const cJSON *j = get(obj, "columns");
    if (!j) {
        if (!misspelled(obj, "columns", DATASET_KEYS))
            fail(v, "missing required key \"columns\" (expected an array of column names)");
        return false;
    }
    size_t mark = enter_key(v, "columns");
    bool ok = false;
    int n = cJSON_IsArray(j) ? cJSON_GetArraySize(j) : -1;
    if (n < 0)
        wrong_type(v, "an array of column names", j);
    else if (n == 0)
        fail(v, "no columns (expected 1 to %d column names)", MAX_COLUMNS);
    else if (n > MAX_COLUMNS)
        fail(v, "%d columns (at most %d)", n, MAX_COLUMNS);
    else if ((ds->columns = alloc(v, (size_t)n, sizeof(char *))) != NULL) {
        ds->ncols = (size_t)n;
        ok = true;
        size_t i = 0;
        for (const cJSON *e = j->child; e; e = e->next, i++) {
            size_t m = enter_index(v, i);
            const char *s = string_value(v, e, true);
            for (size_t k = 0; s && k < i; k++)
                if (strcmp(ds->columns[k], s) == 0) {
                    strbuf q = {0};
                    json_quote(&q, s, strlen(s));
                    fail(v, "duplicate column %s (first at columns[%zu])", q.s ? q.s : "", k);
                    sb_free(&q);
                    s = NULL;
                }
            ok &= s != NULL;
            ds->columns[i] = dup(v, s ? s : "");
            leave(v, m);
        }
    }
    leave(v, mark);
    return ok && !v->oom;
}

/* Stores the cell in *out (NULL: only check it).  Cells of the wrong type
 * are stored as CELL_NULL after reporting; *bad notes that. */
static void validate_cell(vctx *v, const cJSON *j, cell *out, bool *bad)
{
    cell c = {CELL_NULL, 0, NULL};
    if (cJSON_IsNumber(j)) {
        double x;
        if (number_in(v, j, -MAX_VALUE, MAX_VALUE, "", &x)) {
            c.kind = CELL_NUMBER;
            c.number = x;
        } else {
            *bad = true;
        }
    } else if (cJSON_IsString(j)) {
        const char *s = string_value(v, j, false);
        if (s && out) {
            c.kind = CELL_TEXT;
            c.text = dup(v, s);
        }
        *bad |= s == NULL;
    } else if (!cJSON_IsNull(j)) {
        wrong_type(v, "a number, a string or null", j);
        *bad = true;
    }
    if (out)
        *out = c;
}

static void validate_row(vctx *v, const cJSON *row, dataset *ds, size_t r, bool usable, bool *bad)
{
    if (!cJSON_IsArray(row)) {
        wrong_type(v, "a row (an array of cells)", row);
        *bad = true;
        return;
    }
    size_t n = (size_t)cJSON_GetArraySize(row);
    if (usable && n != ds->ncols) {
        strbuf cols = {0};
        list_columns(&cols, ds);
        fail(v, "row has %zu cell%s, expected %zu (one per column: %s)", n, n == 1 ? "" : "s",
             ds->ncols, cols.s ? cols.s : "");
        sb_free(&cols);
        *bad = true;
    }
    size_t c = 0;
    for (const cJSON *e = row->child; e; e = e->next, c++) {
        size_t m = enter_index(v, c);
        cell *out = usable && ds->cells && c < ds->ncols ? &ds->cells[r * ds->ncols + c] : NULL;
        validate_cell(v, e, out, bad);
        leave(v, m);
    }
}

static void validate_rows(vctx *v, const cJSON *obj, dataset *ds, bool usable, bool *bad)
{
    const cJSON *j = get(obj, "rows");
    if (!j) {
        if (!misspelled(obj, "rows", DATASET_KEYS))
            fail(v, "missing required key \"rows\" (expected an array of rows)");
        return;
    }
    size_t mark = enter_key(v, "rows");
    int n = cJSON_IsArray(j) ? cJSON_GetArraySize(j) : -1;
    if (n < 0) {
        wrong_type(v, "an array of rows", j);
    } else if (n > MAX_ROWS) {
        fail(v, "%d rows (at most %d)", n, MAX_ROWS);
    } else {
        if (usable && n > 0 && (ds->cells = alloc(v, (size_t)n * ds->ncols, sizeof(cell))))
            ds->nrows = (size_t)n;
        size_t r = 0;
        for (const cJSON *e = j->child; e; e = e->next, r++) {
            size_t m = enter_index(v, r);
            validate_row(v, e, ds, r, usable && ds->cells, bad);
            leave(v, m);
        }
    }
    leave(v, mark);
}

/* With the path at the dataset: true when charts can use it. */
static bool validate_dataset(vctx *v, const cJSON *j, dataset *ds, bool *bad_cells)
{
    if (!expect_object(v, j, "a dataset (an object with \"columns\" and \"rows\")"))
        return false;
    check_keys(v, j, DATASET_KEYS, NULL, NULL);
    bool usable = validate_columns(v, j, ds);
    validate_rows(v, j, ds, usable, bad_cells);
    return usable;
}

static void validate_data(vctx *v, const cJSON *data)
{
    if (!expect_object(v, data, "an object of named datasets"))
        return;
    brief_doc *d = v->doc;
    size_t n = (size_t)cJSON_GetArraySize(data);
    d->datasets = alloc(v, n, sizeof(dataset));
    v->states = alloc(v, n, sizeof(dataset_state));
    if (!d->datasets || !v->states)
        return;
    d->ndatasets = n;
    size_t i = 0;
    for (const cJSON *e = data->child; e; e = e->next, i++) {
        dataset *ds = &d->datasets[i];
        size_t mark = enter_key(v, e->string);
        ds->name = dup(v, e->string);
        ds->json_path = dup(v, here(v));
        if (!*e->string)
            fail_key(v, "empty dataset name (expected a name such as \"sectors\")");
        v->states[i].usable = validate_dataset(v, e, ds, &v->states[i].bad_cells);
        leave(v, mark);
    }
}

/* ------------------------------------------------------------------ */
/* blocks                                                              */

static const char *const BLOCK_TYPES[] = {
    "title", "byline", "lead", "heading", "paragraph", "figure", "chart", "page_break",
};
static const char *const TEXT_KEYS[] = {"type", "text", NULL};
static const char *const HEADING_KEYS[] = {"type", "level", "text", NULL};
static const char *const FIGURE_KEYS[] = {"type", "image", "caption", "width", "place", NULL};
static const char *const PLACES[] = {"float", "here"};
static const char *const BREAK_KEYS[] = {"type", NULL};
static const char *const CHART_KEYS[] = {
    "type", "id", "kind", "orientation", "data", "category", "sort", "reference", "unit",
    "title", "subtitle", "note", "width", "height", "legend", "theme", "colors",
    "number_format", "decimals", "place", NULL,
};
static const char *const BAR_KEYS[] = {"values", "stacked", NULL};
static const char *const COMPLETION_KEYS[] = {"plan", "actual", "threshold", NULL};

static const char *const *keys_of(block_type t)
{
    switch (t) {
    case BLOCK_HEADING: return HEADING_KEYS;
    case BLOCK_FIGURE: return FIGURE_KEYS;
    case BLOCK_CHART: return CHART_KEYS;
    case BLOCK_PAGE_BREAK: return BREAK_KEYS;
    default: return TEXT_KEYS;
    }
}

typedef struct block_context {
    block_type type;
    int kind;          /* charts: chart_kind, -1 unknown */
} block_context;

static void block_misplaced(const char *key, const void *ctx, strbuf *why)
{
    const block_context *bc = ctx;
    if (bc->type == BLOCK_CHART && bc->kind >= 0) {
        bool bar_only = listed(key, BAR_KEYS), completion_only = listed(key, COMPLETION_KEYS);
        if (bar_only || completion_only) {
            json_quote(why, key, strlen(key));
            sb_printf(why, " is only for %s charts (this chart is a %s chart)",
                      bar_only ? "bar" : "completion", bc->kind == CHART_BAR ? "bar" : "completion");
            return;
        }
    }
    const char *owners[COUNT(BLOCK_TYPES)];
    size_t n = 0;
    for (size_t t = 0; t < COUNT(BLOCK_TYPES); t++) {
        bool has = listed(key, keys_of((block_type)t)) ||
                   (t == BLOCK_CHART && (listed(key, BAR_KEYS) || listed(key, COMPLETION_KEYS)));
        if (t != bc->type && has)
            owners[n++] = BLOCK_TYPES[t];
    }
    if (n == 0)
        return;
    sb_puts(why, "unknown key ");
    json_quote(why, key, strlen(key));
    sb_printf(why, " for a %s block (only ", BLOCK_TYPES[bc->type]);
    list_names(why, owners, n, false, " and ");
    sb_puts(why, " blocks have it)");
}

static void read_block_text(vctx *v, const cJSON *j, block *b)
{
    const cJSON *t = get(j, "text");
    if (!t) {
        if (!misspelled(j, "text", keys_of(b->type)))
            fail(v, "missing required key \"text\" (a %s block needs text)", BLOCK_TYPES[b->type]);
        return;
    }
    size_t mark = enter_key(v, "text");
    const char *s = string_value(v, t, true);
    if (s)
        replace(v, &b->text, s);
    leave(v, mark);
}

/* The image path as written is kept; whether it stays inside the allowed
 * directories, exists and is a PNG or JPEG is decided when rendering
 * (doc_resolve_image), because brief_doc_allow_path comes after loading.
 * Here only what is wrong whatever the directories: not a local path. */
static void read_image(vctx *v, const cJSON *j, block *b)
{
    const cJSON *img = get(j, "image");
    if (!img)
        return;
    size_t mark = enter_key(v, "image");
    const char *s = string_value(v, img, true);
    if (s && strlen(s) > MAX_PATH_BYTES) {
        fail(v, "image path is too long (at most %d bytes)", MAX_PATH_BYTES);
    } else if (s && (strstr(s, "://") || strncmp(s, "data:", 5) == 0)) {
        fail(v, "images must be local files, got a URL (expected a path relative to the brief)");
    } else if (s && strchr(s, '\\')) {
        strbuf fixed = {0};
        sb_puts(&fixed, s);
        for (size_t i = 0; fixed.s && i < fixed.len; i++)
            if (fixed.s[i] == '\\')
                fixed.s[i] = '/';
        strbuf q = {0};
        json_quote(&q, fixed.s ? fixed.s : "", fixed.len);
        fail(v, "image path uses backslashes (write %s)", q.s ? q.s : "");
        sb_free(&q);
        sb_free(&fixed);
    } else if (s) {
        const char *base = v->doc->base_dir ? v->doc->base_dir : ".";
        strbuf resolved = {0};
        if (s[0] != '/' && strcmp(base, ".") != 0) {
            sb_puts(&resolved, base);
            if (resolved.len && resolved.s[resolved.len - 1] != '/')
                sb_puts(&resolved, "/");
        }
        sb_puts(&resolved, s);
        b->image = dup(v, s);
        b->image_resolved = resolved.s && !resolved.failed ? resolved.s : dup(v, s);
        if (b->image_resolved != resolved.s)
            sb_free(&resolved);
    }
    leave(v, mark);
}

/* ------------------------------------------------------------------ */
/* charts                                                              */

static const char *const CHART_KINDS[] = {"bar", "completion"};
static const char *const ORIENTATIONS[] = {"vertical", "horizontal"};
static const char *const SORTS[] = {"none", "ascending", "descending"};
static const char *const LEGENDS[] = {"auto", "top", "bottom", "right", "none"};
static const char *const THEMES[] = {"default", "official"};
static const char *const NUMBER_FORMATS[] = {"plain", "thousands", "chinese"};
static const char *const REFERENCE_KEYS[] = {"value", "label", NULL};

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

static bool valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64)
        return false;
    for (; *s; s++)
        if (!is_alnum(*s) && *s != '-' && *s != '_')
            return false;
    return true;
}

static void read_chart_id(vctx *v, chart_ctx *cc)
{
    const cJSON *id = get(cc->j, "id");
    if (!id) {
        if (!misspelled(cc->j, "id", cc->allowed))
            fail(v, "missing required key \"id\" (expected a unique name such as \"sectors\")");
        return;
    }
    size_t mark = enter_key(v, "id");
    const char *s = string_value(v, id, true);
    strbuf q = {0};
    if (s)
        json_quote(&q, s, strlen(s));
    if (s && !valid_id(s)) {
        fail(v, "invalid chart id %s (expected 1 to 64 letters, digits, '-' or '_')", q.s ? q.s : "");
    } else if (s) {
        for (size_t k = 0; k < cc->index; k++) {
            const block *o = &v->doc->blocks[k];
            if (o->chart && o->chart->id && strcmp(o->chart->id, s) == 0) {
                fail(v, "duplicate chart id %s (first used at %s)", q.s ? q.s : "",
                     o->json_path ? o->json_path : "");
                s = NULL;
                break;
            }
        }
        if (s)
            replace(v, &cc->c->id, s);
    }
    sb_free(&q);
    leave(v, mark);
}

static bool find_dataset(vctx *v, chart_ctx *cc, const char *name)
{
    brief_doc *d = v->doc;
    for (size_t i = 0; i < d->ndatasets; i++)
        if (d->datasets[i].name && strcmp(d->datasets[i].name, name) == 0) {
            cc->c->data = &d->datasets[i];
            cc->state = &v->states[i];
            return v->states[i].usable;
        }
    if (muted(v))
        return false;
    strbuf m = {0};
    sb_puts(&m, "dataset ");
    json_quote(&m, name, strlen(name));
    sb_puts(&m, " not found (");
    if (d->ndatasets == 0) {
        sb_puts(&m, "no datasets are defined; add it under \"data\")");
    } else {
        const char **names = malloc(d->ndatasets * sizeof *names);
        size_t n = 0;
        for (size_t i = 0; names && i < d->ndatasets; i++)
            if (d->datasets[i].name)
                names[n++] = d->datasets[i].name;
        const char *s = names ? suggest_name(name, names, n) : NULL;
        if (s) {
            sb_puts(&m, "did you mean ");
            json_quote(&m, s, strlen(s));
            sb_puts(&m, "? ");
        }
        sb_puts(&m, "datasets: ");
        list_names(&m, names ? names : (const char *[]){""}, n > 10 ? 10 : n, false, ", ");
        sb_puts(&m, n > 10 ? ", …)" : ")");
        free(names);
    }
    fail(v, "%s", m.s ? m.s : "dataset not found");
    sb_free(&m);
    return false;
}

static bool read_chart_data(vctx *v, chart_ctx *cc)
{
    const cJSON *d = get(cc->j, "data");
    if (!d) {
        if (!misspelled(cc->j, "data", cc->allowed))
            fail(v, "missing required key \"data\" (expected a dataset name or an object "
             "with \"columns\" and \"rows\")");
        return false;
    }
    size_t mark = enter_key(v, "data");
    bool usable = false;
    cc->state = &cc->inline_state;
    if (cJSON_IsString(d)) {
        usable = find_dataset(v, cc, d->valuestring);
    } else if (cJSON_IsObject(d)) {
        dataset *ds = alloc(v, 1, sizeof *ds);
        if (ds) {
            cc->c->inline_data = ds;
            cc->c->data = ds;
            ds->name = dup(v, "");
            ds->json_path = dup(v, here(v));
            usable = validate_dataset(v, d, ds, &cc->inline_state.bad_cells);
        }
    } else {
        wrong_type(v, "a dataset name or an object with \"columns\" and \"rows\"", d);
    }
    leave(v, mark);
    return usable;
}

static bool find_column(vctx *v, const chart_ctx *cc, const cJSON *j, size_t *col)
{
    if (!cJSON_IsString(j)) {
        wrong_type(v, "a column name", j);
        return false;
    }
    const dataset *ds = cc->c->data;
    for (size_t i = 0; i < ds->ncols; i++)
        if (strcmp(ds->columns[i], j->valuestring) == 0) {
            *col = i;
            return true;
        }
    if (muted(v))
        return false;
    strbuf m = {0};
    sb_puts(&m, "column ");
    json_quote(&m, j->valuestring, strlen(j->valuestring));
    if (ds->name && *ds->name) {
        sb_puts(&m, " not found in dataset ");
        json_quote(&m, ds->name, strlen(ds->name));
    } else {
        sb_puts(&m, " not found in the chart's data");
    }
    sb_puts(&m, " (");
    const char *s = suggest_name(j->valuestring, (const char *const *)ds->columns, ds->ncols);
    if (s) {
        sb_puts(&m, "did you mean ");
        json_quote(&m, s, strlen(s));
        sb_puts(&m, "? ");
    }
    sb_puts(&m, "columns: ");
    list_columns(&m, ds);
    sb_puts(&m, ")");
    fail(v, "%s", m.s ? m.s : "column not found");
    sb_free(&m);
    return false;
}

static void not_the_category(vctx *v, const chart_ctx *cc, size_t col, bool *ok)
{
    if (!*ok || col != cc->c->category_col)
        return;
    const char *name = cc->c->data->columns[col];
    strbuf q = {0};
    json_quote(&q, name, strlen(name));
    fail(v, "column %s is the category (expected a column of numbers)", q.s ? q.s : "");
    sb_free(&q);
    *ok = false;
}

/* A member naming one column; the path is at the member while checking. */
static bool read_column(vctx *v, const chart_ctx *cc, const char *key, const char *what,
                        bool value, size_t *col)
{
    const cJSON *j = get(cc->j, key);
    if (!j) {
        if (what && !misspelled(cc->j, key, cc->allowed))
            fail(v, "missing required key \"%s\" (%s)", key, what);
        return what == NULL;
    }
    size_t mark = enter_key(v, key);
    bool ok = find_column(v, cc, j, col);
    if (value)
        not_the_category(v, cc, *col, &ok);
    leave(v, mark);
    return ok;
}

static bool has_number(const dataset *ds, size_t col)
{
    for (size_t r = 0; r < ds->nrows; r++)
        if (dataset_cell(ds, r, col)->kind == CELL_NUMBER)
            return true;
    return false;
}

/* Without "values": every other column that holds a number. */
static bool default_values(vctx *v, chart_ctx *cc)
{
    chart_spec *c = cc->c;
    const dataset *ds = c->data;
    size_t n = 0;
    for (size_t col = 0; col < ds->ncols; col++)
        n += col != c->category_col && has_number(ds, col);
    if (n == 0) {
        fail(v, "no column of numbers to chart (expected \"values\": [column names])");
        return false;
    }
    if (n > MAX_SERIES) {
        fail(v, "%zu columns of numbers (a chart shows at most %d; choose them with \"values\")",
             n, MAX_SERIES);
        return false;
    }
    if (!(c->value_cols = alloc(v, n, sizeof(size_t))))
        return false;
    for (size_t col = 0; col < ds->ncols; col++)
        if (col != c->category_col && has_number(ds, col))
            c->value_cols[c->nvalues++] = col;
    return true;
}

static bool read_values(vctx *v, chart_ctx *cc)
{
    chart_spec *c = cc->c;
    const cJSON *j = get(cc->j, "values");
    if (!j)
        return default_values(v, cc);
    size_t mark = enter_key(v, "values");
    bool ok = false;
    int n = cJSON_IsArray(j) ? cJSON_GetArraySize(j) : -1;
    if (n < 0) {
        wrong_type(v, "an array of column names", j);
    } else if (n == 0) {
        fail(v, "no value columns (expected 1 to %d column names)", MAX_SERIES);
    } else if (n > MAX_SERIES) {
        fail(v, "%d value columns (at most %d)", n, MAX_SERIES);
    } else if ((c->value_cols = alloc(v, (size_t)n, sizeof(size_t))) != NULL) {
        ok = true;
        size_t i = 0;
        for (const cJSON *e = j->child; e; e = e->next, i++) {
            size_t m = enter_index(v, i), col = 0;
            bool found = find_column(v, cc, e, &col);
            not_the_category(v, cc, col, &found);
            for (size_t k = 0; found && k < i; k++)
                if (c->value_cols[k] == col) {
                    strbuf q = {0};
                    json_quote(&q, e->valuestring, strlen(e->valuestring));
                    fail(v, "column %s is listed twice (first at values[%zu])", q.s ? q.s : "", k);
                    sb_free(&q);
                    found = false;
                }
            ok &= found;
            c->value_cols[i] = col;
            leave(v, m);
        }
        if (ok)
            c->nvalues = (size_t)n;
    }
    leave(v, mark);
    return ok;
}

static bool read_chart_columns(vctx *v, chart_ctx *cc)
{
    chart_spec *c = cc->c;
    bool category_ok = read_column(v, cc, "category", NULL, false, &c->category_col);
    if (!category_ok)
        c->category_col = SIZE_MAX;   /* matches no column: the other checks go on */
    if (cc->kind == CHART_BAR)
        return (category_ok || get(cc->j, "values")) && read_values(v, cc) && category_ok;
    size_t plan = 0, actual = 0;
    bool plan_ok = read_column(v, cc, "plan", "the column with the planned amounts", true, &plan);
    bool actual_ok = read_column(v, cc, "actual", "the column with the completed amounts", true, &actual);
    if (!category_ok || !plan_ok || !actual_ok || !(c->value_cols = alloc(v, 2, sizeof(size_t))))
        return false;
    c->value_cols[0] = plan;
    c->value_cols[1] = actual;
    c->nvalues = 2;
    return true;
}

static void cell_path(strbuf *p, const dataset *ds, size_t r, size_t col)
{
    sb_truncate(p, 0);
    sb_puts(p, ds->json_path);
    json_path_key(p, "rows");
    json_path_index(p, r);
    json_path_index(p, col);
}

/* Each column is checked once per role, however many charts use it. */
static bool first_check(dataset_state *st, size_t col, unsigned char what)
{
    bool first = !(st->checked[col] & what);
    st->checked[col] |= what;
    return first;
}

static void check_category_cells(vctx *v, const chart_ctx *cc, strbuf *path)
{
    const dataset *ds = cc->c->data;
    size_t col = cc->c->category_col;
    if (cc->state->bad_cells || !first_check(cc->state, col, CHECKED_CATEGORY))
        return;   /* a reported cell reads as null: do not report it twice */
    for (size_t r = 0; r < ds->nrows; r++)
        if (dataset_cell(ds, r, col)->kind == CELL_NULL) {
            cell_path(path, ds, r, col);
            fail_at(v, path->s ? path->s : "", "expected a category name (a string or a number), got null");
        }
}

static void check_value_cells(vctx *v, const chart_ctx *cc, size_t col, strbuf *path)
{
    const dataset *ds = cc->c->data;
    if (!first_check(cc->state, col, CHECKED_VALUE))
        return;
    for (size_t r = 0; r < ds->nrows; r++) {
        const cell *x = dataset_cell(ds, r, col);
        if (x->kind != CELL_TEXT)
            continue;
        size_t n = number_prefix(x->text);
        strbuf q = {0};
        json_quote(&q, x->text, strlen(x->text));
        cell_path(path, ds, r, col);
        fail_at(v, path->s ? path->s : "", "expected a number, got the string %s (%s)", q.s ? q.s : "",
                n > 0 && x->text[n] == '\0' ? "write the number without quotes"
                                            : "a value must be a JSON number; write the unit in \"unit\"");
        sb_free(&q);
    }
}

/* Completion: a plan of 0 or null is shown as "—"; negatives make no sense. */
static void check_amount_cells(vctx *v, const chart_ctx *cc, size_t k, strbuf *path)
{
    const dataset *ds = cc->c->data;
    size_t col = cc->c->value_cols[k];
    if (!first_check(cc->state, col, CHECKED_NEGATIVE))
        return;
    for (size_t r = 0; r < ds->nrows; r++) {
        const cell *x = dataset_cell(ds, r, col);
        if (x->kind != CELL_NUMBER || x->number >= 0)
            continue;
        char a[40];
        fmt_number(a, sizeof a, x->number);
        cell_path(path, ds, r, col);
        fail_at(v, path->s ? path->s : "", "negative %s amount %s (a completion chart needs amounts "
                "of 0 or more)", k == 0 ? "planned" : "completed", a);
    }
}

static void check_chart_cells(vctx *v, chart_ctx *cc)
{
    chart_spec *c = cc->c;
    const dataset *ds = c->data;
    size_t mark = enter_key(v, "data");
    if (ds->nrows == 0)
        fail(v, "chart has no categories (the dataset has no rows)");
    else if (ds->nrows > MAX_CATEGORIES)
        fail(v, "chart has %zu categories (at most %d)", ds->nrows, MAX_CATEGORIES);
    leave(v, mark);
    if (!cc->state->checked && !(cc->state->checked = alloc(v, ds->ncols, 1)))
        return;
    strbuf path = {0};
    check_category_cells(v, cc, &path);
    for (size_t k = 0; k < c->nvalues; k++)
        check_value_cells(v, cc, c->value_cols[k], &path);
    if (c->kind == CHART_COMPLETION)
        for (size_t k = 0; k < 2; k++)
            check_amount_cells(v, cc, k, &path);
    sb_free(&path);
}

static bool parse_color(const char *s, char out[8])
{
    size_t n = strlen(s);
    if (s[0] != '#' || (n != 4 && n != 7))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!strchr("0123456789abcdefABCDEF", s[i]))
            return false;
    out[0] = '#';
    for (size_t i = 0; i < 6; i++) {
        char h = n == 7 ? s[1 + i] : s[1 + i / 2];
        out[1 + i] = (char)(h >= 'A' && h <= 'F' ? h + 32 : h);
    }
    out[7] = '\0';
    return true;
}

static void read_colors(vctx *v, chart_ctx *cc)
{
    chart_spec *c = cc->c;
    const cJSON *j = get(cc->j, "colors");
    if (!j)
        return;
    size_t mark = enter_key(v, "colors");
    int n = cJSON_IsArray(j) ? cJSON_GetArraySize(j) : -1;
    if (n < 0) {
        wrong_type(v, "an array of colors such as \"#c00000\"", j);
    } else if (n > MAX_SERIES) {
        fail(v, "%d colors (at most %d)", n, MAX_SERIES);
    } else if (cc->columns_ok && (size_t)n > c->nvalues) {
        fail(v, "%d colors for %zu series (expected at most one per series)", n, c->nvalues);
    } else {
        char **colors = cc->columns_ok ? alloc(v, c->nvalues, sizeof(char *)) : NULL;
        size_t i = 0;
        for (const cJSON *e = j->child; e; e = e->next, i++) {
            size_t m = enter_index(v, i);
            char hex[8];
            if (!cJSON_IsString(e)) {
                wrong_type(v, "a color such as \"#c00000\"", e);
            } else if (!parse_color(e->valuestring, hex)) {
                strbuf q = {0};
                json_quote(&q, e->valuestring, strlen(e->valuestring));
                fail(v, "invalid color %s (expected \"#rrggbb\" or \"#rgb\")", q.s ? q.s : "");
                sb_free(&q);
            } else if (colors) {
                colors[i] = dup(v, hex);
            }
            leave(v, m);
        }
        c->series_colors = colors;
    }
    leave(v, mark);
}

static void read_references(vctx *v, chart_ctx *cc)
{
    chart_spec *c = cc->c;
    const cJSON *j = get(cc->j, "reference");
    if (!j)
        return;
    size_t mark = enter_key(v, "reference");
    int n = cJSON_IsArray(j) ? cJSON_GetArraySize(j) : -1;
    if (n < 0) {
        wrong_type(v, "an array of reference lines ({\"value\": number, \"label\": text})", j);
    } else if (n > MAX_REFERENCES) {
        fail(v, "%d reference lines (at most %d)", n, MAX_REFERENCES);
    } else if ((c->refs = alloc(v, (size_t)n, sizeof(chart_reference))) != NULL) {
        c->nrefs = (size_t)n;
        size_t i = 0;
        for (const cJSON *e = j->child; e; e = e->next, i++) {
            size_t m = enter_index(v, i);
            chart_reference *ref = &c->refs[i];
            ref->label = dup(v, "");
            if (expect_object(v, e, "a reference line ({\"value\": number, \"label\": text})")) {
                check_keys(v, e, REFERENCE_KEYS, NULL, NULL);
                if (!get(e, "value") && !misspelled(e, "value", REFERENCE_KEYS))
                    fail(v, "missing required key \"value\" (the line's value in data units)");
                read_number(v, e, "value", -MAX_VALUE, MAX_VALUE, "", &ref->value);
                read_string(v, e, "label", &ref->label);
            }
            leave(v, m);
        }
    }
    leave(v, mark);
}

static void read_stacked(vctx *v, chart_ctx *cc)
{
    const cJSON *j = get(cc->j, "stacked");
    if (!j)
        return;
    size_t mark = enter_key(v, "stacked");
    static const char *const WORDS[] = {"percent"};
    if (cJSON_IsBool(j)) {
        cc->c->stacked = cJSON_IsTrue(j) ? STACK_NORMAL : STACK_NONE;
    } else if (cJSON_IsString(j) && strcmp(j->valuestring, "percent") == 0) {
        cc->c->stacked = STACK_PERCENT;
    } else if (cJSON_IsString(j) && suggest_name(j->valuestring, WORDS, 1)) {
        strbuf q = {0};
        json_quote(&q, j->valuestring, strlen(j->valuestring));
        fail(v, "unknown stacking %s (did you mean \"percent\"?)", q.s ? q.s : "");
        sb_free(&q);
    } else {
        wrong_type(v, "true, false or \"percent\"", j);
    }
    leave(v, mark);
}

/* CHART_KEYS plus the keys of the chart's kind (of both when unknown). */
static void chart_keys(int kind, const char **out)
{
    size_t n = 0;
    for (size_t i = 0; CHART_KEYS[i]; i++)
        out[n++] = CHART_KEYS[i];
    for (size_t i = 0; kind != CHART_COMPLETION && BAR_KEYS[i]; i++)
        out[n++] = BAR_KEYS[i];
    for (size_t i = 0; kind != CHART_BAR && COMPLETION_KEYS[i]; i++)
        out[n++] = COMPLETION_KEYS[i];
    out[n] = NULL;
}

static void read_chart_options(vctx *v, chart_ctx *cc)
{
    chart_spec *c = cc->c;
    const cJSON *j = cc->j;
    int i = read_enum(v, j, "orientation", ORIENTATIONS, COUNT(ORIENTATIONS), "orientation",
                      c->kind == CHART_COMPLETION ? ORIENT_HORIZONTAL : ORIENT_VERTICAL);
    if (i >= 0)
        c->orientation = (chart_orientation)i;
    if ((i = read_enum(v, j, "sort", SORTS, COUNT(SORTS), "sort order", SORT_NONE)) >= 0)
        c->sort = (chart_sort)i;
    if ((i = read_enum(v, j, "legend", LEGENDS, COUNT(LEGENDS), "legend position", LEGEND_AUTO)) >= 0)
        c->legend = (legend_pos)i;
    if ((i = read_enum(v, j, "number_format", NUMBER_FORMATS, COUNT(NUMBER_FORMATS),
                       "number format", NUMBER_PLAIN)) >= 0)
        c->number_format = (number_style)i;
    if ((i = read_enum(v, j, "theme", THEMES, COUNT(THEMES), "theme", -2)) >= 0)
        replace(v, &c->theme, THEMES[i]);
    read_int(v, j, "decimals", 0, 6, &c->decimals);
    read_string(v, j, "unit", &c->unit);
    read_string(v, j, "title", &c->title);
    read_string(v, j, "subtitle", &c->subtitle);
    read_string(v, j, "note", &c->note);
    read_mm(v, j, "width", 20, 1000, &c->width_pt);
    read_mm(v, j, "height", 20, 1000, &c->height_pt);
    if (cc->kind == CHART_COMPLETION)
        read_number(v, j, "threshold", 0, 2, "", &c->threshold);
    if (cc->kind == CHART_BAR)
        read_stacked(v, cc);
    read_references(v, cc);
}

static void validate_chart(vctx *v, const cJSON *j, block *b, size_t index)
{
    chart_spec *c = alloc(v, 1, sizeof *c);
    if (!c)
        return;
    b->chart = c;
    c->json_path = dup(v, here(v));
    c->id = dup(v, "");
    c->unit = dup(v, "");
    c->title = dup(v, "");
    c->subtitle = dup(v, "");
    c->note = dup(v, "");
    c->theme = dup(v, "default");
    c->threshold = 0.9;
    c->decimals = -1;
    chart_ctx cc = {.c = c, .j = j, .index = index, .kind = -1};
    const char *allowed[COUNT(CHART_KEYS) + COUNT(BAR_KEYS) + COUNT(COMPLETION_KEYS)];
    chart_keys(-1, allowed);
    cc.allowed = allowed;
    read_chart_id(v, &cc);
    if (!get(j, "kind") && !misspelled(j, "kind", allowed))
        fail(v, "missing required key \"kind\" (expected \"bar\" or \"completion\")");
    else if (get(j, "kind"))
        cc.kind = read_enum(v, j, "kind", CHART_KINDS, COUNT(CHART_KINDS), "chart kind", -1);
    c->kind = cc.kind == CHART_COMPLETION ? CHART_COMPLETION : CHART_BAR;
    c->orientation = c->kind == CHART_COMPLETION ? ORIENT_HORIZONTAL : ORIENT_VERTICAL;
    chart_keys(cc.kind, allowed);
    block_context bctx = {BLOCK_CHART, cc.kind};
    check_keys(v, j, allowed, block_misplaced, &bctx);
    read_chart_options(v, &cc);
    if (read_chart_data(v, &cc) && cc.kind >= 0) {
        cc.columns_ok = read_chart_columns(v, &cc);
        if (cc.columns_ok)
            check_chart_cells(v, &cc);
    }
    read_colors(v, &cc);
    free(cc.inline_state.checked);
}

/* ------------------------------------------------------------------ */
/* body                                                                */

static void validate_block(vctx *v, const cJSON *j, block *b, size_t index)
{
    b->json_path = dup(v, here(v));
    b->text = dup(v, "");
    b->caption = dup(v, "");
    b->level = 1;
    if (!expect_object(v, j, "a block (an object with \"type\")"))
        return;
    const cJSON *t = get(j, "type");
    static const char *const TYPE_ONLY[] = {"type", NULL};
    if (!t && misspelled(j, "type", TYPE_ONLY)) {
        for (const cJSON *c = j->child; c; c = c->next)   /* "typ": did you mean "type"? */
            if (suggest_name(c->string, TYPE_ONLY, 1)) {
                size_t mark = enter_key(v, c->string);
                unknown_key(v, c->string, TYPE_ONLY, NULL, NULL);
                leave(v, mark);
            }
        return;
    }
    if (!t) {
        strbuf m = {0};
        list_names(&m, BLOCK_TYPES, COUNT(BLOCK_TYPES), false, ", ");
        fail(v, "missing required key \"type\" (expected one of: %s)", m.s ? m.s : "");
        sb_free(&m);
        return;
    }
    int type = read_enum(v, j, "type", BLOCK_TYPES, COUNT(BLOCK_TYPES), "block type", -1);
    if (type < 0)
        return;   /* its other keys cannot be judged */
    b->type = (block_type)type;
    if (b->type != BLOCK_CHART) {
        block_context bctx = {b->type, -1};
        check_keys(v, j, keys_of(b->type), block_misplaced, &bctx);
    }
    switch (b->type) {
    case BLOCK_HEADING:
        read_int(v, j, "level", 1, 3, &b->level);
        read_block_text(v, j, b);
        break;
    case BLOCK_FIGURE:
        read_image(v, j, b);
        read_string(v, j, "caption", &b->caption);
        read_mm(v, j, "width", 10, 1000, &b->width_pt);
        break;
    case BLOCK_CHART:
        validate_chart(v, j, b, index);
        break;
    case BLOCK_PAGE_BREAK:
        break;
    default:
        read_block_text(v, j, b);
        break;
    }
    if (b->type == BLOCK_FIGURE || b->type == BLOCK_CHART)
        b->place_here = read_enum(v, j, "place", PLACES, COUNT(PLACES), "placement", 0) == 1;
}

static void collect_charts(vctx *v)
{
    brief_doc *d = v->doc;
    size_t n = 0;
    for (size_t i = 0; i < d->nblocks; i++)
        n += d->blocks[i].chart != NULL;
    if (!(d->charts = alloc(v, n, sizeof(chart_spec *))))
        return;
    for (size_t i = 0; i < d->nblocks; i++)
        if (d->blocks[i].chart) {
            /* Charts share the headings' family: a brief set in one family
             * embeds one family's faces. */
            d->blocks[i].chart->face = d->style.heading_font;
            d->charts[d->ncharts++] = d->blocks[i].chart;
        }
}

static void validate_body(vctx *v, const cJSON *body)
{
    int n = cJSON_IsArray(body) ? cJSON_GetArraySize(body) : -1;
    if (n < 0) {
        wrong_type(v, "an array of blocks", body);
        return;
    }
    if (n == 0) {
        fail(v, "empty body (expected at least one block)");
        return;
    }
    if (n > MAX_BLOCKS) {
        fail(v, "%d blocks (at most %d)", n, MAX_BLOCKS);
        return;
    }
    brief_doc *d = v->doc;
    if (!(d->blocks = alloc(v, (size_t)n, sizeof(block))))
        return;
    d->nblocks = (size_t)n;
    size_t i = 0;
    for (const cJSON *e = body->child; e; e = e->next, i++) {
        size_t mark = enter_index(v, i);
        validate_block(v, e, &d->blocks[i], i);
        leave(v, mark);
    }
    collect_charts(v);
}

/* ------------------------------------------------------------------ */
/* the document                                                        */

static const char *const ROOT_KEYS[] = {"brief", "meta", "page", "style", "data", "body", NULL};

/* "footer" at the top level: it belongs in "page". */
static void root_misplaced(const char *key, const void *ctx, strbuf *why)
{
    (void)ctx;
    static const struct {
        const char *section;
        const char *const *keys;
    } SECTIONS[] = {{"meta", META_KEYS}, {"page", PAGE_KEYS}, {"style", STYLE_KEYS}};
    for (size_t i = 0; i < COUNT(SECTIONS); i++)
        if (listed(key, SECTIONS[i].keys)) {
            sb_puts(why, "unknown key ");
            json_quote(why, key, strlen(key));
            sb_printf(why, " at the top level (it belongs in \"%s\")", SECTIONS[i].section);
            return;
        }
}

/* False when the version is one this code cannot read: checking the rest
 * against v1 rules would only produce noise. */
static bool check_version(vctx *v, const cJSON *root)
{
    const cJSON *j = get(root, "brief");
    if (!j) {
        if (!misspelled(root, "brief", ROOT_KEYS))
            fail(v, "missing required key \"brief\" (expected \"brief\": 1, the format version)");
        return true;
    }
    size_t mark = enter_key(v, "brief");
    bool ok = true;
    if (!cJSON_IsNumber(j)) {
        wrong_type(v, "a number", j);
    } else if (j->valuedouble != BRIEF_FORMAT_VERSION) {
        char a[40];
        fmt_number(a, sizeof a, j->valuedouble);
        fail(v, "unsupported format version %s (this brief reads version %d)", a, BRIEF_FORMAT_VERSION);
        ok = false;
    }
    leave(v, mark);
    return ok;
}

/* Runs check(v, member) with the path at root.key, if the member exists. */
static void section(vctx *v, const cJSON *root, const char *key,
                    void (*check)(vctx *, const cJSON *))
{
    const cJSON *j = get(root, key);
    if (!j)
        return;
    size_t mark = enter_key(v, key);
    check(v, j);
    leave(v, mark);
}

static void check_meta(vctx *v, const cJSON *j) { v->title_given = validate_meta(v, j); }

static void default_title(vctx *v)
{
    brief_doc *d = v->doc;
    for (size_t i = 0; i < d->nblocks; i++)
        if (d->blocks[i].type == BLOCK_TITLE && d->blocks[i].text) {
            replace(v, &d->meta.title, d->blocks[i].text);
            return;
        }
}

static void validate_root(vctx *v, const cJSON *root)
{
    if (!cJSON_IsObject(root)) {
        wrong_type(v, "a JSON object at the top level", root);
        return;
    }
    if (!check_version(v, root))
        return;
    check_keys(v, root, ROOT_KEYS, root_misplaced, NULL);
    section(v, root, "meta", check_meta);
    section(v, root, "page", validate_page);
    section(v, root, "style", validate_style);
    section(v, root, "data", validate_data);
    if (!get(root, "body") && !misspelled(root, "body", ROOT_KEYS))
        fail(v, "missing required key \"body\" (expected an array of blocks)");
    section(v, root, "body", validate_body);
    if (!v->title_given)
        default_title(v);
}

bool validate_document(brief_doc *doc, const cJSON *root, brief_diag *diag)
{
    vctx *v = calloc(1, sizeof *v);
    if (!v) {
        diag_error(diag, BRIEF_E_OSERR, doc->file, "out of memory while checking the brief");
        return false;
    }
    v->doc = doc;
    v->diag = diag;
    set_defaults(v);
    validate_root(v, root);
    flush_errors(v);
    for (size_t i = 0; v->states && i < doc->ndatasets; i++)
        free(v->states[i].checked);
    free(v->states);
    sb_free(&v->path);
    if (v->oom)
        diag_error(diag, BRIEF_E_OSERR, doc->file, "out of memory while checking the brief");
    bool ok = v->errors == 0 && !v->oom;
    free(v);
    return ok;
}
