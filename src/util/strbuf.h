/*
 * strbuf.h — a growable NUL-terminated string for building messages and
 * paths.
 *
 * Takes appends; gives one malloc'd string.  Guarantees: after an
 * allocation failure `failed` is set, the text so far stays valid and
 * further appends are ignored, so a caller checks once at the end (and
 * must: a failed buffer is a truncated one).
 */
#ifndef BRIEF_STRBUF_H
#define BRIEF_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct strbuf {
    char *s;
    size_t len, cap;
    bool failed;
} strbuf;

void sb_append(strbuf *b, const char *s, size_t n);
void sb_puts(strbuf *b, const char *s);
void sb_printf(strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void sb_truncate(strbuf *b, size_t len);
void sb_free(strbuf *b);

#endif /* BRIEF_STRBUF_H */
