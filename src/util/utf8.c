/*
 * utf8.c — UTF-8 checking, decoding and encoding (see utf8.h).
 *
 * The JSON reader, the validator's name suggestions and the message quoter
 * all decode through utf8_next; Pango-side code uses GLib's decoder on text
 * this file has already checked.
 */
#include "util/utf8.h"

/* Unicode Table 3-7 (well-formed UTF-8 byte sequences), with the reason a
 * sequence is not one of them. */
size_t utf8_check(const unsigned char *s, size_t len, utf8_problem *why)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;   /* allowed range of the 2nd byte */
    *why = UTF8_OK;
    if (c < 0x80)
        return 1;
    if (c < 0xC2) {
        *why = c < 0xC0 ? UTF8_STRAY_CONTINUATION : UTF8_OVERLONG;
        return 0;
    }
    if (c < 0xE0) {
        need = 2;
    } else if (c < 0xF0) {
        need = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c < 0xF5) {
        need = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        *why = UTF8_NEVER_VALID;
        return 0;
    }
    for (size_t i = 1; i < need; i++) {
        if (i >= len || !utf8_is_continuation(s[i])) {
            *why = UTF8_TRUNCATED;
            return 0;
        }
    }
    if (s[1] < lo) {
        *why = UTF8_OVERLONG;
        return 0;
    }
    if (s[1] > hi) {
        *why = c == 0xED ? UTF8_SURROGATE : UTF8_TOO_LARGE;
        return 0;
    }
    return need;
}

size_t utf8_sequence_length(const unsigned char *s, size_t len)
{
    utf8_problem why;
    return len ? utf8_check(s, len, &why) : 0;
}

static uint32_t decode(const unsigned char *s, size_t n)
{
    switch (n) {
    case 1: return s[0];
    case 2: return ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    case 3: return ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    default:
        return ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
               ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    }
}

uint32_t utf8_next(const unsigned char *s, size_t len, size_t *n)
{
    *n = utf8_sequence_length(s, len);
    if (*n == 0) {
        *n = len ? 1 : 0;
        return len ? s[0] : 0;
    }
    return decode(s, *n);
}

void utf8_encode(strbuf *b, uint32_t cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp; n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6)); u[1] = (char)(0x80 | (cp & 0x3F)); n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12)); u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18)); u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
    }
    sb_append(b, u, n);
}
