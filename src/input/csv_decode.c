/*
 * csv_decode.c — pass 1 of the CSV reader (see csv_reader.h): the file's
 * bytes → UTF-8 text.
 *
 * Takes the bytes as stored; gives r->text (UTF-8, BOM removed, NUL
 * after it) and r->encoding.  Guarantees: UTF-8 (with or without a byte
 * order mark) is copied as is, anything else that is valid GB18030 is
 * converted through iconv; UTF-16/32, zero bytes, invalid bytes and
 * control characters other than tab and line breaks are refused at their
 * line:column (in characters, as an editor shows the original file) with
 * a hint on how to save the file as UTF-8.
 */
#define _POSIX_C_SOURCE 200809L
#include "input/csv_reader.h"
#include "util/diag.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SAVE_AS_HINT "save it from Excel as \"CSV UTF-8 (逗号分隔)(*.csv)\", or as UTF-8 " \
                     "in a text editor"

/* ------------------------------------------------------------------ */
/* positions                                                           */

/* 1-based line and column (in characters) of text[off]; "\r\n", "\n" and
 * a lone "\r" each end a line.  Bytes that are not UTF-8 lead bytes count
 * as characters only when they cannot be continuation bytes of a valid
 * sequence, so the column stays right up to the first invalid byte. */
static void locate(const char *text, size_t off, int *line, int *col)
{
    long l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        unsigned char b = (unsigned char)text[i];
        if (b == '\n' || (b == '\r' && text[i + 1] != '\n')) {
            l++;
            c = 1;
        } else if (b != '\r' && (b & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l > INT32_MAX ? INT32_MAX : (int)l;
    *col = c > INT32_MAX ? INT32_MAX : (int)c;
}

/* ------------------------------------------------------------------ */
/* decoding                                                            */

/* Offset of the first byte that does not start a valid UTF-8 sequence, or
 * len when all of it is valid. */
static size_t first_invalid_utf8(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = utf8_sequence_length((const unsigned char *)s + i, len - i);
        if (k == 0)
            return i;
        i += k;
    }
    return len;
}

/* UTF-16 without a byte order mark: text whose ASCII characters (commas,
 * digits, line ends) leave zero bytes all at odd offsets (little-endian)
 * or all at even ones (big-endian).  Only the first 64 KiB are looked at. */
static const char *utf16_without_bom(const unsigned char *b, size_t len)
{
    size_t zeros[2] = {0, 0}, n = len < 65536 ? len : 65536;
    for (size_t i = 0; i < n; i++)
        if (b[i] == 0)
            zeros[i & 1]++;
    bool many = zeros[0] + zeros[1] >= 4 && (zeros[0] + zeros[1]) * 16 >= n;
    if (many && zeros[1] && !zeros[0])
        return "UTF-16 (little-endian, without a byte order mark: every other byte is zero)";
    if (many && zeros[0] && !zeros[1])
        return "UTF-16 (big-endian, without a byte order mark: every other byte is zero)";
    return NULL;
}

static bool refuse_wide_encodings(reader *r, const unsigned char *b, size_t len)
{
    const char *what = NULL;
    if (len >= 4 && b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0)
        what = "UTF-32 (little-endian, with a byte order mark)";
    else if (len >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF)
        what = "UTF-32 (big-endian, with a byte order mark)";
    else if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE)
        what = "UTF-16 (little-endian, with a byte order mark; Excel's \"Unicode text\")";
    else if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF)
        what = "UTF-16 (big-endian, with a byte order mark)";
    else
        what = utf16_without_bom(b, len);
    if (!what)
        return false;
    csv_fail_at(r, 1, 1, "the file is in %s; brief reads CSV in UTF-8 or GB18030 (%s)", what,
            SAVE_AS_HINT);
    return true;
}

/* GB18030 → UTF-8 with iconv; false (nothing reported) when the bytes are
 * not valid GB18030. */
static bool from_gb18030(reader *r, const char *bytes, size_t len)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return false;
    /* Two GB18030 bytes become at most three UTF-8 bytes, four stay four. */
    size_t cap = len + len / 2 + 4;
    char *out = malloc(cap + 1);
    if (!out) {
        r->oom = true;
        iconv_close(cd);
        return false;
    }
    char *in = (char *)bytes, *o = out;
    size_t inleft = len, outleft = cap;
    size_t rc = iconv(cd, &in, &inleft, &o, &outleft);
    iconv_close(cd);
    if (rc == (size_t)-1 || inleft != 0) {
        free(out);
        return false;
    }
    *o = '\0';
    r->text = out;
    r->len = (size_t)(o - out);
    r->encoding = CSV_GB18030;
    return true;
}

static bool copy_text(reader *r, const char *s, size_t n)
{
    r->text = malloc(n + 1);
    if (!r->text) {
        r->oom = true;
        return false;
    }
    memcpy(r->text, s, n);
    r->text[n] = '\0';
    r->len = n;
    return true;
}

/* Control characters other than tab, CR and LF (C0 and C1, which a
 * terminal may obey when a message quotes them) have no place in a table. */
static bool refuse_controls(reader *r)
{
    for (size_t i = 0; i < r->len; i++) {
        unsigned char b = (unsigned char)r->text[i];
        unsigned c1 = b == 0xC2 && i + 1 < r->len ? (unsigned char)r->text[i + 1] : 0;
        if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || (c1 >= 0x80 && c1 <= 0x9F)) {
            int line, col;
            locate(r->text, i, &line, &col);
            csv_fail_at(r, line, col, "control character U+%04X in the file (expected text; "
                    "is this a CSV file?)", b == 0xC2 ? c1 : b);
            return true;
        }
    }
    return false;
}

bool csv_decode(reader *r, const char *bytes, size_t len)
{
    const unsigned char *b = (const unsigned char *)bytes;
    if (refuse_wide_encodings(r, b, len))
        return false;
    const char *nul = memchr(bytes, '\0', len);
    if (nul) {
        int line, col;
        locate(bytes, (size_t)(nul - bytes), &line, &col);
        csv_fail_at(r, line, col, "zero byte in the file: it is not UTF-8 or GB18030 text (%s)",
                SAVE_AS_HINT);
        return false;
    }
    size_t bom = len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0;
    size_t bad = first_invalid_utf8(bytes + bom, len - bom);
    bool ok;
    if (bad == len - bom) {
        r->encoding = bom ? CSV_UTF8_BOM : CSV_UTF8;
        ok = copy_text(r, bytes + bom, len - bom);
    } else if (!bom && from_gb18030(r, bytes, len)) {
        ok = true;
    } else {
        if (r->oom)
            return false;
        int line, col;
        locate(bytes + bom, bad, &line, &col);
        csv_fail_at(r, line, col, "byte 0x%02X is not valid UTF-8%s (%s)", b[bom + bad],
                bom ? " although the file starts with a UTF-8 byte order mark"
                    : ", and the file is not GB18030 either",
                SAVE_AS_HINT);
        return false;
    }
    return ok && !refuse_controls(r);
}
