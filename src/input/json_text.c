/*
 * json_text.c — JSON text in messages and paths: unescaping, quoting a
 * value for a message, and the JSON paths (`body[3].text`) that name a
 * value in every error.
 *
 * Takes strings; gives strings.  Guarantees: json_path_key and
 * json_path_next are inverses (any key, quotes and control characters
 * included, survives the round trip).
 */
#define _POSIX_C_SOURCE 200809L
#include "input/json_scan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* unescaping and quoting                                              */

int json_hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

long json_u_escape(const char *s, size_t avail)
{
    if (avail < 6 || s[1] != 'u')
        return -1;
    long v = 0;
    for (int i = 2; i < 6; i++) {
        int h = json_hex_value((unsigned char)s[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

void json_unescape(const char *raw, size_t n, strbuf *out)
{
    for (size_t i = 0; i < n;) {
        if (raw[i] != '\\') {
            size_t j = i;
            while (j < n && raw[j] != '\\')
                j++;
            sb_append(out, raw + i, j - i);
            i = j;
            continue;
        }
        if (i + 1 >= n) {
            i++;
            continue;
        }
        char e = raw[i + 1];
        const char *simple = strchr("\"\\/bfnrt", e);
        if (e && simple) {
            static const char map[] = "\"\\/\b\f\n\r\t";
            sb_append(out, &map[simple - "\"\\/bfnrt"], 1);
            i += 2;
            continue;
        }
        long u = json_u_escape(raw + i, n - i);
        if (u < 0) {
            utf8_encode(out, 0xFFFD);
            i += 2;
            continue;
        }
        i += 6;
        uint32_t cp = (uint32_t)u;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            long lo = i < n && raw[i] == '\\' ? json_u_escape(raw + i, n - i) : -1;
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
                i += 6;
            } else {
                cp = 0xFFFD;
            }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        }
        utf8_encode(out, cp);
    }
}

/* "text" as it can be shown in a message: at most 40 characters, with
 * quotes, backslashes and control characters escaped. */
void json_quote(strbuf *b, const char *s, size_t n)
{
    sb_puts(b, "\"");
    size_t chars = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (chars == 40) {
            sb_puts(b, "…");
            break;
        }
        chars++;
        if (c == '"' || c == '\\') {
            sb_printf(b, "\\%c", c);
            i++;
        } else if (c < 0x20 || c == 0x7F) {
            sb_printf(b, "\\u%04X", c);
            i++;
        } else {
            size_t k = c < 0x80 ? 1 : utf8_sequence_length((const unsigned char *)s + i, n - i);
            if (k == 0)
                k = 1;
            sb_append(b, s + i, k);
            i += k;
        }
    }
    sb_puts(b, "\"");
}

/* ------------------------------------------------------------------ */
/* pass 3: the strict tokenizer                                        */

/* ------------------------------------------------------------------ */
/* paths                                                               */

static bool plain_key(const char *key)
{
    if (!*key)
        return false;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        if (!(*p >= 0x80 || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return false;
    return true;
}

void json_path_key(strbuf *path, const char *key)
{
    if (plain_key(key)) {
        if (path->len > 0)
            sb_puts(path, ".");
        sb_puts(path, key);
        return;
    }
    sb_puts(path, "[\"");
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        if (*p == '"' || *p == '\\')
            sb_printf(path, "\\%c", *p);
        else if (*p < 0x20)
            sb_printf(path, "\\u%04X", *p);
        else
            sb_append(path, (const char *)p, 1);
    }
    sb_puts(path, "\"]");
}

void json_path_index(strbuf *path, size_t index)
{
    sb_printf(path, "[%zu]", index);
}

bool json_path_next(const char **p, path_step *st)
{
    const char *s = *p;
    sb_truncate(&st->key, 0);
    st->is_index = false;
    if (!*s)
        return false;
    if (*s == '[' && s[1] == '"') {
        s += 2;
        while (*s && *s != '"') {
            if (*s == '\\' && s[1] == 'u') {
                long u = json_u_escape(s, strlen(s));
                if (u < 0)
                    return false;
                utf8_encode(&st->key, (uint32_t)u);
                s += 6;
            } else {
                if (*s == '\\' && s[1])
                    s++;
                sb_append(&st->key, s++, 1);
            }
        }
        if (s[0] != '"' || s[1] != ']')
            return false;
        *p = s + 2;
        if (!st->key.s)
            sb_puts(&st->key, "");
        return !st->key.failed;
    }
    if (*s == '[') {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(s + 1, &end, 10);
        if (end == s + 1 || *end != ']' || errno)
            return false;
        st->is_index = true;
        st->index = (size_t)v;
        *p = end + 1;
        return true;
    }
    if (*s == '.')
        s++;
    size_t n = strcspn(s, ".[");
    if (n == 0)
        return false;
    sb_append(&st->key, s, n);
    *p = s + n;
    return !st->key.failed;
}

