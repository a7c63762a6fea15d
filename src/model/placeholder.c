/*
 * placeholder.c — what the placeholder stages share: error messages,
 * expansion of a parsed field, the document's budget and positions inside
 * a JSON string (see placeholder.h for the syntax and the guarantees).
 *
 * Parsing is placeholder_parse.c, evaluation placeholder_eval.c, the ready
 * resolver over arrays placeholder_table.c.  Expansion computes the exact
 * length first (numbers formatted into a small stack buffer) so a field
 * over its limit costs nothing to refuse.
 */
#define _POSIX_C_SOURCE 200809L
#include "model/placeholder_internal.h"
#include "input/json.h"
#include "util/numfmt.h"
#include "validate/validate.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* errors                                                              */

/* Copies s into the message, cut (with "…") at a character boundary. */
static void ph_set_message(ph_error *e, const char *s)
{
    size_t n = strlen(s), room = sizeof e->message - 1;
    if (n <= room) {
        memcpy(e->message, s, n + 1);
        return;
    }
    n = room - strlen("…");
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    memcpy(e->message, s, n);
    strcpy(e->message + n, "…");
}

/* s with control characters (C0, DEL, C1) written as \uXXXX and invalid
 * UTF-8 as U+FFFD: names come from the user, and a message must not carry
 * terminal escapes.  NULL if out of memory. */
static char *ph_printable(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n * 6 + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n;) {
        const unsigned char *u = (const unsigned char *)s + i;
        size_t k = utf8_sequence_length(u, n - i);
        unsigned cp = k == 1 ? u[0] : k == 2 ? ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu) : 0x100;
        if (k == 0) {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
            continue;
        }
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
            o += sprintf(o, "\\u%04X", cp);
        else {
            memcpy(o, u, k);
            o += k;
        }
        i += k;
    }
    *o = '\0';
    return out;
}

bool ph_fail(ph_error *e, size_t off, size_t len, const char *fmt, ...)
{
    memset(e, 0, sizeof *e);
    e->off = off;
    e->len = len;
    va_list ap;
    va_start(ap, fmt);
    char small[2];
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(small, sizeof small, fmt, aq);
    va_end(aq);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    char *shown = NULL;
    if (s) {
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        shown = ph_printable(s);
        free(s);
    }
    if (shown) {
        ph_set_message(e, shown);
        free(shown);
    } else {
        e->oom = true;
        ph_set_message(e, "out of memory while reporting a placeholder error");
    }
    va_end(ap);
    return false;
}

bool ph_fail_oom(ph_error *e, const char *what)
{
    memset(e, 0, sizeof *e);
    e->oom = true;
    snprintf(e->message, sizeof e->message, "out of memory while %s", what);
    return false;
}

/* Appends " (did you mean X? KIND: a, b, c)" or " (no KIND are defined)". */
void ph_suggest(strbuf *m, const char *got, const char *const *names, size_t n,
                const char *kind, const char *open, const char *close)
{
    if (n == 0) {
        sb_printf(m, " (no %s are defined)", kind);
        return;
    }
    const char *s = got ? suggest_name(got, names, n) : NULL;
    sb_puts(m, " (");
    if (s)
        sb_printf(m, "did you mean %s%s%s? ", open, s, close);
    sb_printf(m, "%s: ", kind);
    for (size_t i = 0; i < n && i < MAX_LISTED; i++)
        sb_printf(m, "%s%s", i ? ", " : "", names[i]);
    if (n > MAX_LISTED)
        sb_printf(m, ", … (%zu in all)", n);
    sb_puts(m, ")");
}

bool ph_fail_with(ph_error *e, size_t off, size_t len, strbuf *m)
{
    if (m->failed || !m->s) {
        sb_free(m);
        return ph_fail_oom(e, "reporting a placeholder error");
    }
    ph_fail(e, off, len, "%s", m->s);
    sb_free(m);
    return false;
}

void ph_quoted(strbuf *m, const char *s)
{
    json_quote(m, s, strlen(s));
}

/* ------------------------------------------------------------------ */
/* expansion                                                           */

size_t ph_format_plain(void *ctx, char *buf, size_t size, const ph_value *v)
{
    (void)ctx;
    numfmt f = {.style = NUMBER_PLAIN, .decimals = v->decimals, .trim = v->trim, .unit = v->unit};
    return numfmt_format(buf, size, v->number, &f);
}

static size_t add_sat(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

/* The text of part i into buf (NULL: only measured); its length. */
static bool render_part(const ph_part *p, const ph_resolver *r, ph_format_fn fmt, void *fctx,
                        char *buf, size_t size, size_t *n, ph_error *e)
{
    ph_value v;
    if (!ph_eval(p, r, &v, e))
        return false;
    if (v.is_text) {
        *n = strlen(v.text);
        if (buf && *n < size)
            memcpy(buf, v.text, *n + 1);
        return true;
    }
    char small[128];
    *n = (fmt ? fmt : ph_format_plain)(fctx, buf ? buf : small, buf ? size : sizeof small, &v);
    return true;
}

bool ph_expanded_length(const ph_list *l, const ph_resolver *r, ph_format_fn fmt, void *fctx,
                        size_t *len, ph_error *err)
{
    memset(err, 0, sizeof *err);
    size_t total = 0;
    for (size_t i = 0; i < l->n; i++) {
        size_t n;
        if (!render_part(&l->parts[i], r, fmt, fctx, NULL, 0, &n, err))
            return false;
        total = add_sat(total, n);
    }
    *len = total;
    return true;
}

char *ph_expand(const ph_list *l, const ph_resolver *r, ph_format_fn fmt, void *fctx,
                size_t limit, ph_error *err)
{
    size_t len;
    if (!ph_expanded_length(l, r, fmt, fctx, &len, err))
        return NULL;
    if (len > limit) {
        ph_fail(err, 0, 0, "the text expands to %zu bytes (at most %zu; shorten it or the values "
             "it quotes)", len, limit);
        err->too_long = true;
        return NULL;
    }
    char *out = malloc(len + 1);
    if (!out) {
        ph_fail_oom(err, "expanding placeholders");
        return NULL;
    }
    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; i < l->n; i++) {
        size_t n;
        /* The values are those just measured: the resolver's data do not
         * change in between, so each part fits the room counted for it. */
        if (!render_part(&l->parts[i], r, fmt, fctx, out + at, len + 1 - at, &n, err) ||
            at + n > len) {
            free(out);
            if (!err->message[0])
                ph_fail(err, l->parts[i].off, 0, "placeholder changed value while being expanded");
            return NULL;
        }
        at += n;
    }
    out[at] = '\0';
    return out;
}

bool ph_budget_take(ph_budget *b, size_t bytes, size_t times)
{
    if (times && bytes > (PH_MAX_DOC_BYTES - b->used) / times)
        return false;
    b->used += bytes * times;
    return true;
}

/* ------------------------------------------------------------------ */
/* positions                                                           */

static unsigned hex4(const char *s)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v = v * 16 + (unsigned)(c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 0);
    }
    return v;
}

void ph_json_position(const char *json, size_t json_len, size_t quote_off, size_t off,
                      int *line, int *column)
{
    size_t i = quote_off + 1, decoded = 0;
    while (i < json_len && decoded < off && json[i] != '"') {
        if (json[i] != '\\') {
            i++;
            decoded++;
            continue;
        }
        if (i + 1 < json_len && json[i + 1] == 'u' && i + 6 <= json_len) {
            unsigned cp = hex4(json + i + 2);
            size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
            i += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= json_len && json[i] == '\\' &&
                json[i + 1] == 'u') {
                i += 6;   /* a surrogate pair: one 4-byte character */
                n = 4;
            }
            decoded += n;
        } else {
            i += 2;
            decoded++;
        }
    }
    json_line_column(json, json_len, i, line, column);
}
