/*
 * json_read.c — stage 1 of the pipeline: bytes → a checked cJSON tree and
 * the positions of its values (see json.h).
 *
 * Takes a file or a buffer; gives a cJSON tree of strict RFC 8259 JSON, or
 * diagnostics with line:column.  Three passes, all linear:
 *
 *  1. prescan (here): strict UTF-8, no NUL, nesting <= JSON_MAX_DEPTH.  It
 *     runs before cJSON so that 100,000 nested brackets cost one loop, not
 *     cJSON's recursion, and so that cJSON only ever sees valid UTF-8.
 *  2. cJSON builds the tree: the one tree builder.
 *  3. the strict scan (json_scan.c, json_structure.c) judges the text that
 *     cJSON is too lenient about and notes where each value starts;
 *     json_positions.c turns that into line:column per tree node, once.
 *
 * Positions: the text handed to json_parse starts after any BOM, so line 1
 * column 1 is the first character the user sees; columns count characters
 * (UTF-8 sequences), a tab counts as one.  Nothing after loading reads the
 * text again: callers free it once json_parse returns.
 */
#define _POSIX_C_SOURCE 200809L
#include "input/json_scan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* reading                                                             */

static brief_status read_all(int fd, size_t hint, char **data, size_t *len,
                             const char *name, brief_diag *diag)
{
    size_t cap = (hint > 0 && hint <= JSON_MAX_INPUT ? hint : 65536) + 1;
    size_t n = 0;
    char *buf = malloc(cap);
    if (!buf)
        goto oom;
    for (;;) {
        if (n + 1 == cap) {
            /* One byte past the limit is enough to know it is too big. */
            if (n > JSON_MAX_INPUT)
                break;
            size_t ncap = cap * 2 > JSON_MAX_INPUT + 2 ? JSON_MAX_INPUT + 2 : cap * 2;
            char *nb = realloc(buf, ncap);
            if (!nb)
                goto oom;
            buf = nb;
            cap = ncap;
        }
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            diag_error(diag, BRIEF_E_NOINPUT, name, "cannot read: %s", strerror(errno));
            free(buf);
            return BRIEF_E_NOINPUT;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    if (n > JSON_MAX_INPUT) {
        diag_error(diag, BRIEF_E_DATA, name, "input is larger than the 16 MiB limit");
        free(buf);
        return BRIEF_E_DATA;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return BRIEF_OK;
oom:
    free(buf);
    diag_oom(diag, name, "reading the input");
    return BRIEF_E_OSERR;
}

brief_status json_read_file(const char *path, char **data, size_t *len, brief_diag *diag)
{
    *data = NULL;
    *len = 0;
    bool is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        diag_error(diag, BRIEF_E_NOINPUT, path, "cannot open: %s (expected a readable JSON file)", strerror(errno));
        return BRIEF_E_NOINPUT;
    }
    struct stat st;
    brief_status status;
    if (fstat(fd, &st) != 0) {
        diag_error(diag, BRIEF_E_NOINPUT, path, "cannot open: %s (expected a readable JSON file)", strerror(errno));
        status = BRIEF_E_NOINPUT;
    } else if (S_ISDIR(st.st_mode)) {
        diag_error(diag, BRIEF_E_NOINPUT, path, "is a directory (expected a JSON file)");
        status = BRIEF_E_NOINPUT;
    } else if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > JSON_MAX_INPUT) {
        diag_error(diag, BRIEF_E_DATA, path, "input is larger than the 16 MiB limit");
        status = BRIEF_E_DATA;
    } else {
        size_t hint = S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
        status = read_all(fd, hint, data, len, path, diag);
    }
    if (!is_stdin)
        close(fd);
    return status;
}

size_t json_bom_length(const char *data, size_t len)
{
    return (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
}

/* ------------------------------------------------------------------ */
/* positions                                                           */

void json_line_column(const char *text, size_t len, size_t offset, int *line, int *column)
{
    if (offset > len)
        offset = len;
    size_t lines = 1, start = 0;
    const char *p = text, *end = text + offset;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        lines++;
        p++;
        start = (size_t)(p - text);
    }
    size_t chars = 0;
    for (size_t i = start; i < offset; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            chars++;
    *line = lines > INT32_MAX ? INT32_MAX : (int)lines;
    *column = chars + 1 > INT32_MAX ? INT32_MAX : (int)(chars + 1);
}

static bool gbk_pair(const unsigned char *s)
{
    return s[0] >= 0xA1 && s[0] <= 0xF7 && s[1] >= 0xA1 && s[1] <= 0xFE;
}

/* Two hanzi in a row as GB2312 encodes them: the most likely reason a
 * Chinese brief is not UTF-8 (one pair alone is too often something else). */
static bool looks_like_gbk(const unsigned char *s, size_t len)
{
    return len >= 4 && gbk_pair(s) && gbk_pair(s + 2);
}

static void utf8_message(strbuf *m, const unsigned char *s, size_t len, utf8_problem why)
{
    sb_printf(m, "invalid UTF-8 byte 0x%02X ", s[0]);
    switch (why) {
    case UTF8_STRAY_CONTINUATION:
        sb_puts(m, "(a continuation byte cannot start a character)");
        break;
    case UTF8_OVERLONG:
        sb_puts(m, "(overlong encoding; a character must use its shortest form)");
        break;
    case UTF8_SURROGATE:
        sb_puts(m, "(encodes a UTF-16 surrogate U+D800..U+DFFF, which is not a character)");
        break;
    case UTF8_TOO_LARGE:
        sb_puts(m, "(encodes a code point above U+10FFFF)");
        break;
    case UTF8_NEVER_VALID:
        sb_puts(m, "(this byte never occurs in UTF-8)");
        break;
    default:
        sb_puts(m, "(expected a continuation byte)");
        break;
    }
    /* GBK lead bytes are often UTF-8 continuation bytes, so the hint goes
     * with any reason except a genuine UTF-8 prefix cut short. */
    if (m->s && looks_like_gbk(s, len) && !(why == UTF8_TRUNCATED && utf8_is_continuation(s[1]))) {
        sb_truncate(m, m->len - 1);   /* reopen the parenthesis */
        sb_puts(m, "; is the file GBK-encoded? save it as UTF-8)");
    }
}

/* ------------------------------------------------------------------ */
/* reporting with positions                                            */

static void report_at(brief_diag *diag, const char *name, const char *text, size_t len,
                      size_t offset, const char *msg)
{
    int line, col;
    json_line_column(text, len, offset, &line, &col);
    diag_add(diag, BRIEF_ERROR, BRIEF_E_DATA, name, line, col, NULL, "%s", msg);
}

/* ------------------------------------------------------------------ */
/* pass 1: encoding, NUL and depth                                     */

static bool prescan(const char *text, size_t len, const char *name, brief_diag *diag)
{
    const unsigned char *s = (const unsigned char *)text;
    if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
        report_at(diag, name, text, len, 0,
                  "input is UTF-16 (expected UTF-8; save the file as UTF-8)");
        return false;
    }
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        if (c == 0) {
            bool utf16 = len >= 2 && ((s[0] == 0) != (s[1] == 0));
            report_at(diag, name, text, len, i,
                      utf16 ? "NUL byte in input (JSON text cannot contain NUL; "
                              "is the file UTF-16? save it as UTF-8)"
                            : "NUL byte in input (JSON text cannot contain NUL)");
            return false;
        }
        if (c >= 0x80) {
            utf8_problem why;
            size_t n = utf8_check(s + i, len - i, &why);
            if (n == 0) {
                strbuf m = {0};
                utf8_message(&m, s + i, len - i, why);
                report_at(diag, name, text, len, i, m.s ? m.s : "invalid UTF-8");
                sb_free(&m);
                return false;
            }
            i += n;
            continue;
        }
        if (in_string) {
            if (c == '\\' && i + 1 < len && s[i + 1] < 0x80 && s[i + 1] != 0)
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > JSON_MAX_DEPTH) {
                report_at(diag, name, text, len, i,
                          "nesting is too deep (at most 64 levels of arrays and objects)");
                return false;
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
        i++;
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* the three passes                                                    */

cJSON *json_parse_with_positions(const char *text, size_t len, const char *name,
                                 brief_diag *diag, json_positions **pos)
{
    if (pos)
        *pos = NULL;
    if (!prescan(text, len, name, diag))
        return NULL;
    /* len + 1: with require_null_terminated cJSON wants to see the NUL. */
    cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, NULL, 1);
    json_offsets rec = {0};
    if (json_strict_scan(text, len, name, diag, pos ? &rec : NULL) > 0) {
        free(rec.at);
        cJSON_Delete(root);
        return NULL;
    }
    if (!root) {
        /* Valid JSON that cJSON refused: it ran out of memory. */
        free(rec.at);
        diag_oom(diag, name, "parsing the JSON text");
        return NULL;
    }
    if (pos && !(*pos = json_positions_new(root, text, len, &rec))) {
        cJSON_Delete(root);
        diag_oom(diag, name, "noting where the JSON values are");
        return NULL;
    }
    return root;
}

cJSON *json_parse(const char *text, size_t len, const char *name, brief_diag *diag)
{
    return json_parse_with_positions(text, len, name, diag, NULL);
}
