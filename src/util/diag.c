/*
 * diag.c — the diagnostics list behind brief_diag.
 *
 * Takes reports from every stage; gives them back in report order and
 * formats them as "file:line:column: path: message".  Guarantees bounded
 * memory (DIAG_MAX_ERRORS stored errors) and never fails: when memory runs
 * out the entry is dropped but still counted.  Every stored string is
 * escaped (diag_escape): a file name, JSON path or message quoting the
 * input cannot carry terminal escapes or invalid UTF-8 to whoever prints it,
 * and long ones are cut between characters.
 */
#define _POSIX_C_SOURCE 200809L
#include "util/diag.h"

#include <stdbool.h>
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

/* ---- escaping: what reaches a terminal or a log is inert ---- */

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid
 * (overlong forms, surrogates and values past U+10FFFF included). */
static size_t utf8_len(const unsigned char *s, size_t n, unsigned long *cp)
{
    size_t k = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
             : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
    if (k == 0 || k > n)
        return 0;
    unsigned long c = k == 1 ? s[0] : s[0] & (0x7F >> k);
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3F);
    }
    static const unsigned long min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < min[k] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return k;
}

/* Characters that move the cursor, change the terminal or reorder a line:
 * C0 and C1 controls, DEL, line and paragraph separators, bidi controls. */
static bool inert(unsigned long c)
{
    return !(c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 ||
             (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069));
}

/* The escaped form of the character at in (n bytes left): its length in
 * piece, and in *used the input bytes it stands for. */
static size_t escape_one(const char *in, size_t n, char piece[16], size_t *used)
{
    unsigned long c = 0;
    size_t k = utf8_len((const unsigned char *)in, n, &c);
    if (k == 0) {
        *used = 1;
        return (size_t)snprintf(piece, 16, "\\x%02X", (unsigned char)in[0]);
    }
    *used = k;
    if (!inert(c))
        return (size_t)snprintf(piece, 16, "\\u%04lX", c);
    memcpy(piece, in, k);
    return k;
}

size_t diag_escape(char *out, size_t size, const char *in, size_t n)
{
    static const char more[] = "…";
    if (size == 0)
        return 0;
    char piece[16];
    size_t used, total = 0;
    for (size_t i = 0; in && i < n; i += used)
        total += escape_one(in + i, n - i, piece, &used);
    /* All of it when it fits, else whole characters and the ellipsis. */
    size_t room = total < size ? size - 1 : size - 1 >= sizeof more - 1 ? size - sizeof more : 0;
    size_t o = 0;
    for (size_t i = 0; in && i < n; i += used) {
        size_t len = escape_one(in + i, n - i, piece, &used);
        if (o + len > room)
            break;
        memcpy(out + o, piece, len);
        o += len;
    }
    if (total >= size && o + sizeof more <= size) {
        memcpy(out + o, more, sizeof more - 1);
        o += sizeof more - 1;
    }
    out[o] = '\0';
    return o;
}

#define DIAG_MAX_FIELD 1024     /* bytes of an escaped file name or JSON path */
#define DIAG_MAX_MESSAGE 2048   /* bytes of an escaped message */

static char *escaped_copy(const char *s, size_t cap)
{
    char buf[DIAG_MAX_MESSAGE];
    diag_escape(buf, cap < sizeof buf ? cap : sizeof buf, s ? s : "", s ? strlen(s) : 0);
    return strdup(buf);
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
    char msg[DIAG_MAX_MESSAGE * 2];
    int r = vsnprintf(msg, sizeof msg, fmt, ap);
    /* A message vsnprintf cut is longer than text can hold escaped, so
     * diag_escape cuts it again, between characters, and marks it "…". */
    size_t len = r < 0 ? 0 : (size_t)r < sizeof msg ? (size_t)r : sizeof msg - 1;
    char text[DIAG_MAX_MESSAGE];
    diag_escape(text, sizeof text, msg, len);
    brief_error e = {
        .code = code, .severity = sev, .line = line, .column = column,
        .file = escaped_copy(file, DIAG_MAX_FIELD), .path = escaped_copy(path, DIAG_MAX_FIELD),
        .message = strdup(text),
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
    if (r < 0)
        return 0;
    if ((size_t)r >= size && size > 0) {
        /* snprintf kept size - 1 bytes; drop a character it cut short. */
        size_t end = size - 1, lead = end;
        while (lead > 0 && ((unsigned char)buf[lead - 1] & 0xC0) == 0x80)
            lead--;
        if (lead > 0) {
            unsigned char b = (unsigned char)buf[lead - 1];
            size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            if (end - (lead - 1) < need)
                end = lead - 1;
        }
        buf[end] = '\0';
    }
    return (size_t)r;
}

void diag_oom(brief_diag *d, const char *file, const char *what)
{
    diag_add(d, BRIEF_ERROR, BRIEF_E_OSERR, file, 0, 0, NULL, "out of memory while %s",
             what ? what : "working");
}
