/*
 * diag.c — the diagnostics list behind brief_diag.
 *
 * Takes reports from every stage; gives them back in report order and
 * formats them as "file:line:column: path: message".  Guarantees bounded
 * memory (DIAG_MAX_ERRORS stored errors) and never fails: when memory runs
 * out the entry is dropped but still counted.
 */
#define _POSIX_C_SOURCE 200809L
#include "util/diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct brief_diag {
    brief_error *items;
    size_t count, cap;
    size_t errors;        /* all errors reported, stored or not */
    size_t stored_errors;
};

brief_diag *brief_diag_new(void)
{
    return calloc(1, sizeof(brief_diag));
}

static void free_entry(brief_error *e)
{
    free((char *)e->file);
    free((char *)e->path);
    free((char *)e->message);
}

void brief_diag_free(brief_diag *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->count; i++)
        free_entry(&d->items[i]);
    free(d->items);
    free(d);
}

void brief_diag_clear(brief_diag *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->count; i++)
        free_entry(&d->items[i]);
    d->count = d->errors = d->stored_errors = 0;
}

size_t brief_diag_count(const brief_diag *d) { return d ? d->count : 0; }

size_t brief_diag_error_count(const brief_diag *d) { return d ? d->errors : 0; }

size_t diag_errors_total(const brief_diag *d) { return d ? d->errors : 0; }

const brief_error *brief_diag_get(const brief_diag *d, size_t i)
{
    return (d && i < d->count) ? &d->items[i] : NULL;
}

brief_status brief_diag_status(const brief_diag *d)
{
    if (!d)
        return BRIEF_OK;
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].severity == BRIEF_ERROR)
            return d->items[i].code;
    return d->errors ? BRIEF_E_SOFTWARE : BRIEF_OK;
}

static char *dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

void diag_vadd(brief_diag *d, brief_severity sev, brief_status code,
               const char *file, int line, int column, const char *path,
               const char *fmt, va_list ap)
{
    if (!d)
        return;
    if (sev == BRIEF_ERROR) {
        d->errors++;
        if (d->stored_errors >= DIAG_MAX_ERRORS)
            return;
    } else if (d->count >= 4 * DIAG_MAX_ERRORS) {
        return;
    }
    if (d->count == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 8;
        brief_error *items = realloc(d->items, cap * sizeof *items);
        if (!items)
            return;
        d->items = items;
        d->cap = cap;
    }
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    brief_error e = {
        .code = code, .severity = sev, .line = line, .column = column,
        .file = dup_or_empty(file), .path = dup_or_empty(path), .message = strdup(msg),
    };
    if (!e.file || !e.path || !e.message) {
        free_entry(&e);
        return;
    }
    d->items[d->count++] = e;
    if (sev == BRIEF_ERROR)
        d->stored_errors++;
}

void diag_add(brief_diag *d, brief_severity sev, brief_status code,
              const char *file, int line, int column, const char *path,
              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(d, sev, code, file, line, column, path, fmt, ap);
    va_end(ap);
}

void diag_error(brief_diag *d, brief_status code, const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(d, BRIEF_ERROR, code, file, 0, 0, NULL, fmt, ap);
    va_end(ap);
}

void diag_warning(brief_diag *d, const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(d, BRIEF_WARNING, BRIEF_OK, file, 0, 0, NULL, fmt, ap);
    va_end(ap);
}

size_t brief_error_format(const brief_error *e, char *buf, size_t size)
{
    char loc[512] = "";
    size_t n = 0;
    if (e->file && *e->file) {
        if (e->line > 0 && e->column > 0)
            n = (size_t)snprintf(loc, sizeof loc, "%s:%d:%d: ", e->file, e->line, e->column);
        else if (e->line > 0)
            n = (size_t)snprintf(loc, sizeof loc, "%s:%d: ", e->file, e->line);
        else
            n = (size_t)snprintf(loc, sizeof loc, "%s: ", e->file);
    }
    if (n >= sizeof loc)
        loc[sizeof loc - 1] = '\0';
    int r = snprintf(buf, size, "%s%s%s%s%s", loc,
                     (e->path && *e->path) ? e->path : "",
                     (e->path && *e->path) ? ": " : "",
                     e->severity == BRIEF_WARNING ? "warning: " : "",
                     e->message ? e->message : "");
    return r < 0 ? 0 : (size_t)r;
}

void diag_oom(brief_diag *d, const char *file, const char *what)
{
    diag_add(d, BRIEF_ERROR, BRIEF_E_OSERR, file, 0, 0, NULL, "out of memory while %s",
             what ? what : "working");
}
