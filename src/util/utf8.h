/*
 * utf8.h — the one UTF-8 decoder and encoder of brief.
 *
 * Takes bytes; gives code points, sequence lengths and, for invalid input,
 * why it is invalid (Unicode Table 3-7).  Guarantees: utf8_check accepts
 * exactly the well-formed sequences; utf8_next never reads past `len` and
 * always advances, so loops over untrusted text terminate.
 */
#ifndef BRIEF_UTF8_H
#define BRIEF_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util/strbuf.h"

typedef enum utf8_problem {
    UTF8_OK = 0,
    UTF8_STRAY_CONTINUATION,
    UTF8_OVERLONG,
    UTF8_SURROGATE,
    UTF8_TOO_LARGE,
    UTF8_NEVER_VALID,
    UTF8_TRUNCATED
} utf8_problem;

static inline bool utf8_is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/* Length of the well-formed sequence at s[0..len), or 0 with *why set. */
size_t utf8_check(const unsigned char *s, size_t len, utf8_problem *why);

/* Length of the valid UTF-8 sequence at s[0..len), 0 if invalid. */
size_t utf8_sequence_length(const unsigned char *s, size_t len);

/* The code point at s[0..len) and, in *n, the bytes it takes.  An invalid
 * sequence reads as its first byte with *n = 1; an empty one as 0, n = 0. */
uint32_t utf8_next(const unsigned char *s, size_t len, size_t *n);

/* Appends the UTF-8 form of cp (a scalar value) to b. */
void utf8_encode(strbuf *b, uint32_t cp);

#endif /* BRIEF_UTF8_H */
