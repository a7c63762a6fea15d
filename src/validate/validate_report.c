/*
 * validate_report.c — the validator's paths, error list and allocations.
 *
 * Takes errors as they are found, with the JSON path of the value they are
 * about; gives them to the diag list in the order of the text, as a
 * compiler would, with line:column from the positions json_read.c recorded
 * (a walk of the tree along the path: the text itself is gone).
 * Guarantees: at most DIAG_MAX_ERRORS errors are composed and stored, the
 * rest only counted; every allocation is checked and reported as V_STOP.
 */
#define _POSIX_C_SOURCE 200809L
#include "validate/validate_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* paths                                                               */

verdict v_enter_key(vctx *v, const char *key, size_t *mark)
{
    *mark = v->path.len;
    json_path_key(&v->path, key);
    return v->path.failed ? V_STOP : V_FINE;
}

verdict v_enter_index(vctx *v, size_t i, size_t *mark)
{
    *mark = v->path.len;
    json_path_index(&v->path, i);
    return v->path.failed ? V_STOP : V_FINE;
}

void v_leave(vctx *v, size_t mark) { sb_truncate(&v->path, mark); }

const char *v_here(const vctx *v) { return v->path.s ? v->path.s : ""; }

/* ------------------------------------------------------------------ */
/* errors                                                              */

static verdict report(vctx *v, const char *path, json_target target, const char *fmt, va_list ap)
{
    v->errors++;
    if (v->npending == DIAG_MAX_ERRORS)
        return V_WRONG;   /* counted in flush_errors, never shown: not worth locating */
    pending_error *e = &v->pending[v->npending];
    if (!(e->path = strdup(path)))
        return V_STOP;
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    json_locate(v->pos, v->root, path, target, &e->at);
    e->seq = v->npending++;
    return V_WRONG;
}

verdict v_fail_pos(vctx *v, const char *path, src_pos at, const char *fmt, ...)
{
    v->errors++;
    if (v->npending == DIAG_MAX_ERRORS)
        return V_WRONG;
    pending_error *e = &v->pending[v->npending];
    if (!(e->path = strdup(path)))
        return V_STOP;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    e->at = at;
    e->seq = v->npending++;
    return V_WRONG;
}

static int by_position(const void *a, const void *b)
{
    const pending_error *x = a, *y = b;
    if (x->at.line != y->at.line)
        return x->at.line < y->at.line ? -1 : 1;
    if (x->at.column != y->at.column)
        return x->at.column < y->at.column ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void v_flush_errors(vctx *v)
{
    const brief_doc *d = v->doc;
    qsort(v->pending, v->npending, sizeof v->pending[0], by_position);
    for (size_t i = 0; i < v->npending; i++) {
        pending_error *e = &v->pending[i];
        diag_add(v->diag, BRIEF_ERROR, BRIEF_E_DATA, d->file, e->at.line, e->at.column, e->path,
                 "%s", e->message);
        free(e->path);
    }
    /* The list stores DIAG_MAX_ERRORS errors but counts them all. */
    for (size_t i = v->npending; i < v->errors; i++)
        diag_add(v->diag, BRIEF_ERROR, BRIEF_E_DATA, d->file, 0, 0, NULL, "further error");
    v->npending = 0;
}

bool v_muted(vctx *v)
{
    if (v->npending < DIAG_MAX_ERRORS)
        return false;
    v->errors++;
    return true;
}

verdict v_fail(vctx *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verdict r = report(v, v_here(v), JSON_AT_VALUE, fmt, ap);
    va_end(ap);
    return r;
}

verdict v_fail_key(vctx *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verdict r = report(v, v_here(v), JSON_AT_KEY, fmt, ap);
    va_end(ap);
    return r;
}

verdict v_fail_at(vctx *v, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verdict r = report(v, path, JSON_AT_VALUE, fmt, ap);
    va_end(ap);
    return r;
}

verdict v_fail_built(vctx *v, strbuf *m)
{
    verdict r = m->failed || !m->s ? V_STOP : v_fail(v, "%s", m->s);
    sb_free(m);
    return r;
}

/* ------------------------------------------------------------------ */
/* memory                                                              */

char *v_dup(const char *s)
{
    return strdup(s ? s : "");
}

void *v_alloc(size_t n, size_t size)
{
    return calloc(n ? n : 1, size);
}

verdict v_replace(char **slot, const char *s)
{
    char *d = v_dup(s);
    NEED(d);
    free(*slot);
    *slot = d;
    return V_FINE;
}

/* ------------------------------------------------------------------ */
/* describing values                                                   */

size_t v_null_terminated_count(const char *const *names)
{
    size_t n = 0;
    while (names[n])
        n++;
    return n;
}

/* `"a", "b" or "c"` (quoted) or `a, b, c` (plain, for key lists). */
void v_list_names(strbuf *b, const char *const *names, size_t n, bool quoted, const char *last_sep)
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
size_t v_number_prefix(const char *s)
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
        size_t n = v_number_prefix(s);
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

verdict v_wrong_type(vctx *v, const char *expected, const cJSON *j)
{
    strbuf got = {0};
    describe(&got, j);
    type_hint(&got, expected, j);
    verdict r = got.failed ? V_STOP : v_fail(v, "expected %s, got %s", expected, got.s);
    sb_free(&got);
    return r;
}

void v_fmt_number(char *buf, size_t size, double x)
{
    snprintf(buf, size, "%.15g", x);
}
