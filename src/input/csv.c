/*
 * csv.c — CSV bytes → a typed dataset (see csv.h for what it takes, gives
 * and guarantees).
 *
 * Three passes, each bounded by the limits of csv.h before it does work:
 * decode (BOM, UTF-8 check, GB18030 through iconv, everything else refused
 * with a hint), split (RFC 4180 records into raw cells with their
 * positions; limits on rows, columns and cell length checked as each cell
 * is read), type (names, then each column numeric or text).  Positions are
 * counted on the decoded text, in characters, so they match what an editor
 * shows for the original file in either encoding.
 */
#define _POSIX_C_SOURCE 200809L
#include "input/csv.h"
#include "input/json.h"
#include "util/diag.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SAVE_AS_HINT "save it from Excel as \"CSV UTF-8 (逗号分隔)(*.csv)\", or as UTF-8 " \
                     "in a text editor"

typedef struct raw_cell {
    size_t off, len;       /* into the cell text buffer (NUL after each cell) */
    int line, col;         /* where the cell starts */
    bool quoted;
} raw_cell;

typedef struct reader {
    const char *name;
    brief_diag *diag;
    bool oom;
    /* decoded text */
    char *text;
    size_t len;
    csv_encoding encoding;
    /* split cells */
    strbuf cells_text;
    raw_cell *cells;
    size_t ncells, cap;
    size_t ncols, nrows;
    int *row_lines;
    size_t row_cap;
} reader;

static void fail_at(reader *r, int line, int col, const char *fmt, ...) BRIEF_PRINTF(4, 5);
static void fail_at(reader *r, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(r->diag, BRIEF_ERROR, BRIEF_E_DATA, r->name, line, col, NULL, fmt, ap);
    va_end(ap);
}

const char *csv_encoding_name(csv_encoding e)
{
    switch (e) {
    case CSV_UTF8_BOM: return "UTF-8 with BOM";
    case CSV_GB18030: return "GB18030";
    default: return "UTF-8";
    }
}

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
    fail_at(r, 1, 1, "the file is in %s; brief reads CSV in UTF-8 or GB18030 (%s)", what,
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
            fail_at(r, line, col, "control character U+%04X in the file (expected text; "
                    "is this a CSV file?)", b == 0xC2 ? c1 : b);
            return true;
        }
    }
    return false;
}

static bool decode(reader *r, const char *bytes, size_t len)
{
    const unsigned char *b = (const unsigned char *)bytes;
    if (refuse_wide_encodings(r, b, len))
        return false;
    const char *nul = memchr(bytes, '\0', len);
    if (nul) {
        int line, col;
        locate(bytes, (size_t)(nul - bytes), &line, &col);
        fail_at(r, line, col, "zero byte in the file: it is not UTF-8 or GB18030 text (%s)",
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
        fail_at(r, line, col, "byte 0x%02X is not valid UTF-8%s (%s)", b[bom + bad],
                bom ? " although the file starts with a UTF-8 byte order mark"
                    : ", and the file is not GB18030 either",
                SAVE_AS_HINT);
        return false;
    }
    return ok && !refuse_controls(r);
}

/* ------------------------------------------------------------------ */
/* splitting into records and cells                                    */

typedef struct cursor {
    size_t i;
    int line, col;
} cursor;

static bool at_line_end(const reader *r, const cursor *c)
{
    return c->i < r->len && (r->text[c->i] == '\n' || r->text[c->i] == '\r');
}

static void skip_line_end(const reader *r, cursor *c)
{
    if (r->text[c->i] == '\r' && c->i + 1 < r->len && r->text[c->i + 1] == '\n')
        c->i++;
    c->i++;
    c->line++;
    c->col = 1;
}

/* Advances over one character, appending its bytes to the cell text. */
static void take_char(reader *r, cursor *c)
{
    size_t k = 1;
    while (c->i + k < r->len && ((unsigned char)r->text[c->i + k] & 0xC0) == 0x80)
        k++;
    sb_append(&r->cells_text, r->text + c->i, k);
    c->i += k;
    c->col++;
}

static bool push_cell(reader *r, const raw_cell *cell)
{
    if (r->ncells == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        raw_cell *p = realloc(r->cells, cap * sizeof *p);
        if (!p) {
            r->oom = true;
            return false;
        }
        r->cells = p;
        r->cap = cap;
    }
    r->cells[r->ncells++] = *cell;
    return true;
}

static bool is_blank(char ch) { return ch == ' ' || ch == '\t'; }

/* Reads a quoted cell from the opening quote; false after an error. */
static bool read_quoted(reader *r, cursor *c, const raw_cell *start)
{
    c->i++;
    c->col++;
    for (;;) {
        if (c->i >= r->len) {
            fail_at(r, start->line, start->col, "quoted cell never closed: the file ends "
                    "inside it (a quote inside a quoted cell is written \"\")");
            return false;
        }
        char ch = r->text[c->i];
        if (ch == '"') {
            if (c->i + 1 < r->len && r->text[c->i + 1] == '"') {
                sb_append(&r->cells_text, "\"", 1);
                c->i += 2;
                c->col += 2;
                continue;
            }
            c->i++;
            c->col++;
            break;
        }
        if (ch == '\n' || ch == '\r') {
            sb_append(&r->cells_text, "\n", 1);
            skip_line_end(r, c);
        } else {
            take_char(r, c);
        }
        if (r->cells_text.len - start->off > CSV_MAX_CELL_BYTES) {
            fail_at(r, start->line, start->col, "cell longer than %d bytes (at most %d)",
                    CSV_MAX_CELL_BYTES, CSV_MAX_CELL_BYTES);
            return false;
        }
    }
    while (c->i < r->len && is_blank(r->text[c->i])) {
        c->i++;
        c->col++;
    }
    if (c->i < r->len && r->text[c->i] != ',' && !at_line_end(r, c)) {
        fail_at(r, c->line, c->col, "unexpected text after the closing quote of the cell that "
                "starts at column %d (expected a comma or the end of the line; a quote inside "
                "a quoted cell is written \"\")", start->col);
        return false;
    }
    return true;
}

static bool read_unquoted(reader *r, cursor *c, raw_cell *cell)
{
    while (c->i < r->len && r->text[c->i] != ',' && !at_line_end(r, c)) {
        take_char(r, c);
        if (r->cells_text.len - cell->off > CSV_MAX_CELL_BYTES) {
            fail_at(r, cell->line, cell->col, "cell longer than %d bytes (at most %d)",
                    CSV_MAX_CELL_BYTES, CSV_MAX_CELL_BYTES);
            return false;
        }
    }
    /* Surrounding spaces of unquoted cells are layout, not content. */
    const char *s = r->cells_text.s ? r->cells_text.s + cell->off : "";
    size_t n = r->cells_text.len - cell->off, lead = 0;
    while (lead < n && is_blank(s[lead]))
        lead++;
    while (n > lead && is_blank(s[n - 1]))
        n--;
    if (lead && r->cells_text.s)
        memmove(r->cells_text.s + cell->off, s + lead, n - lead);
    sb_truncate(&r->cells_text, cell->off + n - lead);
    return true;
}

static bool row_is_empty(const reader *r, size_t first)
{
    for (size_t k = first; k < r->ncells; k++)
        if (r->cells[k].len || r->cells[k].quoted)
            return false;
    return true;
}

static void list_header(strbuf *b, const reader *r)
{
    for (size_t k = 0; k < r->ncols && k < 8; k++) {
        if (k)
            sb_puts(b, ", ");
        sb_puts(b, r->cells_text.s ? r->cells_text.s + r->cells[k].off : "");
    }
    if (r->ncols > 8)
        sb_puts(b, ", …");
}

static bool count_row(reader *r, size_t first, int line, const cursor *end)
{
    size_t n = r->ncells - first;
    if (n < r->ncols) {
        strbuf cols = {0};
        list_header(&cols, r);
        fail_at(r, end->line, end->col, "row has %zu cell%s, expected %zu (one per column: %s)",
                n, n == 1 ? "" : "s", r->ncols, cols.s ? cols.s : "");
        sb_free(&cols);
        return false;
    }
    if (r->nrows == CSV_MAX_ROWS) {
        fail_at(r, line, 1, "more than %d rows (at most %d data rows after the header)",
                CSV_MAX_ROWS, CSV_MAX_ROWS);
        return false;
    }
    if (r->nrows == r->row_cap) {
        size_t cap = r->row_cap ? r->row_cap * 2 : 64;
        int *p = realloc(r->row_lines, cap * sizeof *p);
        if (!p) {
            r->oom = true;
            return false;
        }
        r->row_lines = p;
        r->row_cap = cap;
    }
    r->row_lines[r->nrows++] = line;
    return true;
}

/* Cell number n (0-based) of the record being read has just started. */
static bool cell_fits(reader *r, size_t n, const raw_cell *cell)
{
    if (r->ncols == 0 && n >= CSV_MAX_COLUMNS) {
        fail_at(r, cell->line, cell->col, "more than %d columns (at most %d)", CSV_MAX_COLUMNS,
                CSV_MAX_COLUMNS);
        return false;
    }
    if (r->ncols && n >= r->ncols) {
        strbuf cols = {0};
        list_header(&cols, r);
        fail_at(r, cell->line, cell->col, "row has more than %zu cells, expected %zu (one per "
                "column: %s; a cell with a comma in it, such as \"1,234\", must be in double "
                "quotes)", r->ncols, r->ncols, cols.s ? cols.s : "");
        sb_free(&cols);
        return false;
    }
    return true;
}

/* One record; *done when the text is exhausted. */
static bool read_record(reader *r, cursor *c, bool *done)
{
    size_t first = r->ncells;
    int line = c->line;
    for (size_t n = 0;; n++) {
        raw_cell cell = {r->cells_text.len, 0, c->line, c->col, false};
        if (!cell_fits(r, n, &cell))
            return false;
        cell.quoted = c->i < r->len && r->text[c->i] == '"';
        if (!(cell.quoted ? read_quoted(r, c, &cell) : read_unquoted(r, c, &cell)))
            return false;
        cell.len = r->cells_text.len - cell.off;
        sb_append(&r->cells_text, "", 1);   /* the NUL after each cell */
        if (r->cells_text.failed) {
            r->oom = true;
            return false;
        }
        if (!push_cell(r, &cell))
            return false;
        if (c->i < r->len && r->text[c->i] == ',') {
            c->i++;
            c->col++;
            continue;
        }
        break;
    }
    cursor end = *c;
    if (c->i < r->len)
        skip_line_end(r, c);
    *done = c->i >= r->len;
    if (row_is_empty(r, first)) {
        r->ncells = first;   /* blank line or ",,,": skipped */
        return true;
    }
    if (r->ncols == 0) {
        r->ncols = r->ncells;
        return true;
    }
    return count_row(r, first, line, &end);
}

static bool split(reader *r)
{
    cursor c = {0, 1, 1};
    sb_puts(&r->cells_text, "");
    bool done = r->len == 0;
    while (!done)
        if (!read_record(r, &c, &done))
            return false;
    if (r->ncols == 0) {
        fail_at(r, 1, 1, "the file has no header row (expected column names on the first line, "
                "such as 指标,绝对值,增速(%%))");
        return false;
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* typing                                                              */

static const char *cell_text(const reader *r, const raw_cell *c)
{
    return r->cells_text.s + c->off;
}

static const raw_cell *at(const reader *r, size_t row, size_t col)
{
    return &r->cells[(row + 1) * r->ncols + col];   /* row 0 is the header */
}

/* s[0..n) without surrounding spaces and tabs. */
static const char *trimmed(const char *s, size_t *n)
{
    while (*n && is_blank(*s)) {
        s++;
        (*n)--;
    }
    while (*n && is_blank(s[*n - 1]))
        (*n)--;
    return s;
}

static bool is_null_marker(const char *s, size_t n)
{
    static const char *const MARKERS[] = {"-", "—", "——", "…", "……"};
    s = trimmed(s, &n);
    if (n == 0)
        return true;
    for (size_t i = 0; i < sizeof MARKERS / sizeof *MARKERS; i++)
        if (strlen(MARKERS[i]) == n && memcmp(s, MARKERS[i], n) == 0)
            return true;
    return false;
}

typedef enum cell_class { CLASS_NULL, CLASS_NUMBER, CLASS_PERCENT, CLASS_TEXT } cell_class;

#define MAX_NUMBER_DIGITS 40

static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

/* Integer digits, with ',' between groups of three or no ',' at all. */
static bool scan_integer(const char **p, const char *end, char *digits, size_t *nd)
{
    const char *s = *p;
    size_t group = 0;
    bool grouped = false;
    while (s < end && (is_digit(*s) || *s == ',')) {
        if (*s == ',') {
            if (group == 0 || (grouped ? group != 3 : group > 3))
                return false;
            grouped = true;
            group = 0;
        } else {
            if (*nd == MAX_NUMBER_DIGITS)
                return false;
            digits[(*nd)++] = *s;
            group++;
        }
        s++;
    }
    if (group == 0 || (grouped && group != 3))
        return false;
    *p = s;
    return true;
}

/* `[+-]digits[.digits][e[+-]digits][%]` with optional thousands grouping;
 * value, whether it had '%', digits after the point as written. */
static bool parse_number(const char *s, size_t n, double *value, bool *percent, int *decimals)
{
    s = trimmed(s, &n);
    const char *p = s, *end = s + n;
    char buf[MAX_NUMBER_DIGITS + 16];
    size_t nd = 0;
    bool negative = p < end && *p == '-';
    if (p < end && (*p == '-' || *p == '+'))
        p++;
    if (!scan_integer(&p, end, buf + 1, &nd))
        return false;
    int frac = 0;
    if (p < end && *p == '.') {
        p++;
        if (p == end || !is_digit(*p))
            return false;
        while (p < end && is_digit(*p)) {
            if (nd == MAX_NUMBER_DIGITS)
                return false;
            buf[1 + nd++] = *p++;
            frac++;
        }
    }
    long exp = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        bool eneg = p < end && *p == '-';
        if (p < end && (*p == '-' || *p == '+'))
            p++;
        if (p == end || !is_digit(*p))
            return false;
        while (p < end && is_digit(*p) && exp < 1000)
            exp = exp * 10 + (*p++ - '0');
        if (p < end && is_digit(*p))
            return false;
        exp = eneg ? -exp : exp;
    }
    *percent = p < end && *p == '%';
    if (*percent)
        p++;
    if (p != end)
        return false;
    /* "DIGITSeEXP" has no decimal point, so strtod's locale cannot matter. */
    buf[0] = negative ? '-' : '+';
    snprintf(buf + 1 + nd, sizeof buf - 1 - nd, "e%ld", exp - frac);
    *value = strtod(buf, NULL);
    long d = frac - exp;
    *decimals = d < 0 ? 0 : d > 6 ? 6 : (int)d;
    return true;
}

static cell_class classify(const reader *r, const raw_cell *c, double *v, int *decimals)
{
    const char *s = cell_text(r, c);
    if (is_null_marker(s, c->len))
        return CLASS_NULL;
    bool percent;
    if (parse_number(s, c->len, v, &percent, decimals))
        return percent ? CLASS_PERCENT : CLASS_NUMBER;
    return CLASS_TEXT;
}

static void quote_cell(strbuf *b, const reader *r, const raw_cell *c)
{
    json_quote(b, cell_text(r, c), c->len);
}

static bool check_names(reader *r)
{
    bool ok = true;
    if (r->ncols == 1) {
        const char *s = cell_text(r, &r->cells[0]);
        const char *sep = strchr(s, '\t') ? "tabs" : strchr(s, ';') ? "semicolons" : NULL;
        if (sep) {
            fail_at(r, 1, 1, "the header is one column whose name contains %s: cells must be "
                    "separated by commas (save as \"CSV UTF-8 (逗号分隔)\")", sep);
            return false;
        }
    }
    for (size_t k = 0; k < r->ncols; k++) {
        raw_cell *c = &r->cells[k];
        size_t n = c->len;
        const char *s = trimmed(cell_text(r, c), &n);
        if (s != cell_text(r, c) || n != c->len) {
            memmove(r->cells_text.s + c->off, s, n);
            r->cells_text.s[c->off + n] = '\0';
            c->len = n;
        }
        if (n == 0) {
            fail_at(r, c->line, c->col, "column %zu has no name (the first row names the "
                    "columns)", k + 1);
            ok = false;
            continue;
        }
        for (size_t j = 0; j < k; j++)
            if (r->cells[j].len == n && memcmp(cell_text(r, &r->cells[j]), cell_text(r, c), n) == 0) {
                strbuf q = {0};
                quote_cell(&q, r, c);
                fail_at(r, c->line, c->col, "duplicate column name %s (first at line %d, "
                        "column %d)", q.s ? q.s : "", r->cells[j].line, r->cells[j].col);
                sb_free(&q);
                ok = false;
                break;
            }
    }
    return ok;
}

typedef struct column_census {
    size_t numbers, texts;
    const raw_cell *first_text, *first_number, *first_plain, *first_percent, *out_of_range;
    int decimals;
} column_census;

static void take_census(const reader *r, size_t col, column_census *cs)
{
    memset(cs, 0, sizeof *cs);
    for (size_t row = 0; row < r->nrows; row++) {
        const raw_cell *c = at(r, row, col);
        double v;
        int d;
        cell_class k = classify(r, c, &v, &d);
        if (k == CLASS_TEXT) {
            cs->texts++;
            if (!cs->first_text)
                cs->first_text = c;
        } else if (k != CLASS_NULL) {
            cs->numbers++;
            if (!cs->first_number)
                cs->first_number = c;
            if (k == CLASS_PERCENT && !cs->first_percent)
                cs->first_percent = c;
            if (k == CLASS_NUMBER && !cs->first_plain)
                cs->first_plain = c;
            if (!(fabs(v) <= CSV_MAX_VALUE) && !cs->out_of_range)
                cs->out_of_range = c;
            if (d > cs->decimals)
                cs->decimals = d;
        }
    }
}

static const char *column_name(const reader *r, size_t col)
{
    return cell_text(r, &r->cells[col]);
}

/* Reports why a column that is mostly numbers cannot be read; true if it can. */
static bool numeric_column_ok(reader *r, size_t col, const column_census *cs)
{
    strbuf m = {0};
    const raw_cell *bad = NULL;
    if (cs->texts) {
        bad = cs->first_text;
        sb_puts(&m, "text ");
        quote_cell(&m, r, bad);
        sb_puts(&m, " in column ");
        json_quote(&m, column_name(r, col), strlen(column_name(r, col)));
        sb_printf(&m, ", whose other cells are numbers (expected a number such as 1,234.5 or "
                  "12.3%%, or empty, -, — or … for no value)");
    } else if (cs->first_percent && cs->first_plain) {
        bool percent_first = cs->first_percent < cs->first_plain;
        bad = percent_first ? cs->first_plain : cs->first_percent;
        quote_cell(&m, r, bad);
        sb_printf(&m, " %s, but the column's first number (line %d) %s (write %% after every "
                  "number of column ", percent_first ? "has no %" : "has %",
                  cs->first_number->line, percent_first ? "has one" : "has none");
        json_quote(&m, column_name(r, col), strlen(column_name(r, col)));
        sb_puts(&m, " or after none)");
    } else if (cs->out_of_range) {
        bad = cs->out_of_range;
        sb_puts(&m, "number ");
        quote_cell(&m, r, bad);
        sb_puts(&m, " out of range (expected at most 10^15 in magnitude)");
    }
    if (bad)
        fail_at(r, bad->line, bad->col, "%s", m.s ? m.s : "bad cell");
    if (m.failed)
        r->oom = true;
    sb_free(&m);
    return bad == NULL;
}

static bool store_text(reader *r, cell *out, const raw_cell *c)
{
    if (is_null_marker(cell_text(r, c), c->len))
        return true;
    out->kind = CELL_TEXT;
    out->text = strdup(cell_text(r, c));
    if (!out->text)
        r->oom = true;
    return out->text != NULL;
}

static bool fill_column(reader *r, csv_table *t, size_t col)
{
    dataset *d = &t->data;
    csv_column *info = &t->cols[col];
    info->line = r->cells[col].line;
    info->column = r->cells[col].col;
    info->decimals = -1;
    column_census cs;
    if (col > 0)
        take_census(r, col, &cs);
    bool numeric = col > 0 && cs.numbers > 0 && cs.numbers >= cs.texts;
    if (numeric && !numeric_column_ok(r, col, &cs))
        return false;
    info->unit = strdup(numeric && cs.first_percent ? "%" : "");
    if (!info->unit) {
        r->oom = true;
        return false;
    }
    if (numeric)
        info->decimals = cs.decimals;
    for (size_t row = 0; row < r->nrows; row++) {
        cell *out = &d->cells[row * d->ncols + col];
        const raw_cell *c = at(r, row, col);
        double v;
        int dec;
        if (!numeric) {
            if (!store_text(r, out, c))
                return false;
        } else if (classify(r, c, &v, &dec) != CLASS_NULL) {
            out->kind = CELL_NUMBER;
            out->number = v;
        }
    }
    return true;
}

static bool build(reader *r, csv_table *t)
{
    dataset *d = &t->data;
    d->name = strdup("");
    d->json_path = strdup("");
    d->columns = calloc(r->ncols, sizeof *d->columns);
    d->cells = calloc(r->nrows * r->ncols + 1, sizeof *d->cells);
    t->cols = calloc(r->ncols, sizeof *t->cols);
    if (!d->name || !d->json_path || !d->columns || !d->cells || !t->cols) {
        r->oom = true;
        return false;
    }
    d->ncols = r->ncols;
    d->nrows = r->nrows;
    for (size_t k = 0; k < r->ncols; k++)
        if (!(d->columns[k] = strdup(column_name(r, k)))) {
            r->oom = true;
            return false;
        }
    bool ok = true;
    for (size_t k = 0; k < r->ncols && !r->oom; k++)
        ok &= fill_column(r, t, k);
    t->row_lines = r->row_lines;
    r->row_lines = NULL;
    t->encoding = r->encoding;
    return ok && !r->oom;
}

/* ------------------------------------------------------------------ */
/* entry points                                                        */

void csv_table_clear(csv_table *t)
{
    if (!t)
        return;
    for (size_t k = 0; t->cols && k < t->data.ncols; k++)
        free(t->cols[k].unit);
    free(t->cols);
    free(t->row_lines);
    dataset_clear(&t->data);
    memset(t, 0, sizeof *t);
}

brief_status csv_parse(const char *bytes, size_t len, const char *name, csv_table *out,
                       brief_diag *diag)
{
    memset(out, 0, sizeof *out);
    reader r = {.name = name ? name : "<csv>", .diag = diag};
    bool ok;
    if (len > CSV_MAX_BYTES) {
        fail_at(&r, 0, 0, "CSV file is larger than the %zu MiB limit", CSV_MAX_BYTES >> 20);
        ok = false;
    } else {
        ok = decode(&r, bytes ? bytes : "", len) && split(&r) && check_names(&r) &&
             build(&r, out);
    }
    if (r.cells_text.failed)
        r.oom = true;
    free(r.text);
    sb_free(&r.cells_text);
    free(r.cells);
    free(r.row_lines);
    if (ok)
        return BRIEF_OK;
    csv_table_clear(out);
    if (r.oom) {
        diag_oom(diag, r.name, "reading the CSV file");
        return BRIEF_E_OSERR;
    }
    return BRIEF_E_DATA;
}

/* The whole regular file, never more than CSV_MAX_BYTES + 1 bytes. */
static brief_status read_all(int fd, const char *name, char **data, size_t *len, brief_diag *diag)
{
    struct stat st;
    if (fstat(fd, &st) != 0) {
        diag_add(diag, BRIEF_ERROR, BRIEF_E_NOINPUT, name, 0, 0, NULL, "cannot read: %s",
                 strerror(errno));
        return BRIEF_E_NOINPUT;
    }
    if (!S_ISREG(st.st_mode)) {
        diag_add(diag, BRIEF_ERROR, BRIEF_E_NOINPUT, name, 0, 0, NULL,
                 "cannot read: %s (expected a regular CSV file)",
                 S_ISDIR(st.st_mode) ? "it is a directory" : "it is not a regular file");
        return BRIEF_E_NOINPUT;
    }
    if ((uintmax_t)st.st_size > CSV_MAX_BYTES) {
        diag_add(diag, BRIEF_ERROR, BRIEF_E_DATA, name, 0, 0, NULL,
                 "CSV file is larger than the %zu MiB limit", CSV_MAX_BYTES >> 20);
        return BRIEF_E_DATA;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        diag_oom(diag, name, "reading the CSV file");
        return BRIEF_E_OSERR;
    }
    for (;;) {
        if (n == cap) {
            if (cap > CSV_MAX_BYTES)
                break;   /* grew while we read: refused below */
            size_t grown = cap * 2 > CSV_MAX_BYTES + 1 ? CSV_MAX_BYTES + 1 : cap * 2;
            char *p = realloc(buf, grown + 1);
            if (!p) {
                free(buf);
                diag_oom(diag, name, "reading the CSV file");
                return BRIEF_E_OSERR;
            }
            buf = p;
            cap = grown;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            diag_add(diag, BRIEF_ERROR, BRIEF_E_NOINPUT, name, 0, 0, NULL, "cannot read: %s",
                     strerror(errno));
            free(buf);
            return BRIEF_E_NOINPUT;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    if (n > CSV_MAX_BYTES) {
        free(buf);
        diag_add(diag, BRIEF_ERROR, BRIEF_E_DATA, name, 0, 0, NULL,
                 "CSV file is larger than the %zu MiB limit", CSV_MAX_BYTES >> 20);
        return BRIEF_E_DATA;
    }
    *data = buf;
    *len = n;
    return BRIEF_OK;
}

brief_status csv_read_file(const char *path, const char *name, csv_table *out, brief_diag *diag)
{
    memset(out, 0, sizeof *out);
    const char *shown = name ? name : path ? path : "<csv>";
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused
     * by read_all as not a regular file. */
    int fd = path ? open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) : -1;
    if (fd < 0) {
        diag_add(diag, BRIEF_ERROR, BRIEF_E_NOINPUT, shown, 0, 0, NULL,
                 "cannot open: %s (expected a readable CSV file)",
                 path ? strerror(errno) : "no file name");
        return BRIEF_E_NOINPUT;
    }
    char *data = NULL;
    size_t len = 0;
    brief_status st = read_all(fd, shown, &data, &len, diag);
    close(fd);
    if (st != BRIEF_OK)
        return st;
    st = csv_parse(data, len, shown, out, diag);
    free(data);
    return st;
}
