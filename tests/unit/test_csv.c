/*
 * test_csv.c — the CSV reader (src/input/csv.c).
 *
 * Quoting (commas, doubled quotes and line breaks inside quotes), numbers
 * with thousands separators, percent columns, null markers, the BOM,
 * GB18030 and UTF-16 files (tests/unit/data, made with
 * `iconv -f UTF-8 -t GB18030|UTF-16|UTF-16LE` from the same four lines),
 * errors placed at file:line:column (columns in characters), ragged rows,
 * duplicate names, mixed columns and every limit.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "brief.h"
#include "input/csv.h"
#include "input/json.h"
#include "util/diag.h"

#define DATA_DIR "tests/unit/data/"

/* ---- helpers ---- */

static char *messages(brief_diag *d)
{
    strbuf out = {0};
    sb_puts(&out, "");
    for (size_t i = 0; i < brief_diag_count(d); i++) {
        char line[2048];
        brief_error_format(brief_diag_get(d, i), line, sizeof line);
        sb_printf(&out, "%s%s", i ? "\n" : "", line);
    }
    return out.s;
}

/* Parses text (NUL-terminated) that must be accepted. */
static void parse_ok(const char *text, csv_table *t)
{
    brief_diag *d = brief_diag_new();
    brief_status st = csv_parse(text, strlen(text), "t.csv", t, d);
    char *m = messages(d);
    if (st != BRIEF_OK)
        fail_msg("refused: %s", m);
    assert_int_equal(brief_diag_count(d), 0);
    free(m);
    brief_diag_free(d);
}

/* Parses bytes that must be refused; returns the messages. */
static char *parse_bad_n(const char *bytes, size_t len)
{
    brief_diag *d = brief_diag_new();
    csv_table t;
    brief_status st = csv_parse(bytes, len, "t.csv", &t, d);
    assert_int_equal(st, BRIEF_E_DATA);
    assert_int_equal(brief_diag_status(d), BRIEF_E_DATA);
    assert_null(t.data.cells);   /* zeroed on failure */
    char *m = messages(d);
    brief_diag_free(d);
    return m;
}

static char *parse_bad(const char *text) { return parse_bad_n(text, strlen(text)); }

static void assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("expected \"%s\" in:\n%s", needle, hay);
}

static const cell *at(const csv_table *t, size_t row, size_t col)
{
    return dataset_cell(&t->data, row, col);
}

static void assert_number(const csv_table *t, size_t row, size_t col, double v)
{
    const cell *c = at(t, row, col);
    assert_int_equal(c->kind, CELL_NUMBER);
    if (c->number != v)
        fail_msg("row %zu col %zu: %.17g, expected %.17g", row, col, c->number, v);
}

static void assert_text(const csv_table *t, size_t row, size_t col, const char *s)
{
    const cell *c = at(t, row, col);
    assert_int_equal(c->kind, CELL_TEXT);
    assert_string_equal(c->text, s);
}

/* ---- quoting ---- */

static void test_quoting(void **state)
{
    (void)state;
    csv_table t;
    parse_ok("名称,说明\n"
             "\"a,b\",\"他说\"\"好\"\"\"\n"
             "\"两行\r\n文字\",plain \"inner\" quote\n", &t);
    assert_int_equal(t.data.ncols, 2);
    assert_int_equal(t.data.nrows, 2);
    assert_string_equal(t.data.columns[0], "名称");
    assert_text(&t, 0, 0, "a,b");
    assert_text(&t, 0, 1, "他说\"好\"");
    assert_text(&t, 1, 0, "两行\n文字");   /* CRLF inside quotes becomes \n */
    assert_text(&t, 1, 1, "plain \"inner\" quote");
    assert_int_equal(t.row_lines[0], 2);
    assert_int_equal(t.row_lines[1], 3);
    assert_int_equal(t.encoding, CSV_UTF8);
    csv_table_clear(&t);
}

static void test_line_endings_and_blank_rows(void **state)
{
    (void)state;
    csv_table t;
    /* CRLF, lone CR, no final newline; blank lines and ",," rows skipped */
    parse_ok("\n指标,值\r\nA,1\r\n\r\n,\rB,2\n,\nC,3", &t);
    assert_int_equal(t.data.nrows, 3);
    assert_text(&t, 2, 0, "C");
    assert_number(&t, 2, 1, 3);
    assert_int_equal(t.row_lines[0], 3);
    assert_int_equal(t.row_lines[1], 6);
    assert_int_equal(t.row_lines[2], 8);
    csv_table_clear(&t);
}

static void test_unclosed_quote(void **state)
{
    (void)state;
    char *m = parse_bad("a,b\n1,\"open\n2,3\n");
    assert_string_equal(m, "t.csv:2:3: quoted cell never closed: the file ends inside it "
                           "(a quote inside a quoted cell is written \"\")");
    free(m);
    m = parse_bad("a,b\n\"x\"y,1\n");
    assert_contains(m, "t.csv:2:4: unexpected text after the closing quote");
    free(m);
}

/* ---- numbers, percent, nulls ---- */

static void test_numbers(void **state)
{
    (void)state;
    csv_table t;
    parse_ok("指标,值\n"
             "a,\"1,234.5\"\n"
             "b,-3\n"
             "c, 0.25 \n"
             "d,\"1,234,567\"\n"
             "e,1.5e3\n"
             "f,+7\n", &t);
    assert_number(&t, 0, 1, 1234.5);
    assert_number(&t, 1, 1, -3);
    assert_number(&t, 2, 1, 0.25);
    assert_number(&t, 3, 1, 1234567);
    assert_number(&t, 4, 1, 1500);
    assert_number(&t, 5, 1, 7);
    assert_string_equal(t.cols[1].unit, "");
    assert_int_equal(t.cols[1].decimals, 2);
    assert_int_equal(t.cols[0].decimals, -1);   /* categories are text */
    csv_table_clear(&t);
}

static void test_categories_stay_text(void **state)
{
    (void)state;
    csv_table t;
    parse_ok("年份,值\n2019,1\n2020,2\n", &t);
    assert_text(&t, 0, 0, "2019");
    assert_text(&t, 1, 0, "2020");
    csv_table_clear(&t);
}

static void test_percent(void **state)
{
    (void)state;
    csv_table t;
    parse_ok("指标,增速,完成率\na,12.3%,116.35%\nb,-4.5%,—\n", &t);
    assert_number(&t, 0, 1, 12.3);
    assert_number(&t, 1, 1, -4.5);
    assert_number(&t, 0, 2, 116.35);
    assert_string_equal(t.cols[1].unit, "%");
    assert_int_equal(t.cols[1].decimals, 1);
    assert_int_equal(t.cols[2].decimals, 2);
    csv_table_clear(&t);
    char *m = parse_bad("指标,增速\na,12.3%\nb,4.5\n");
    assert_string_equal(m, "t.csv:3:3: \"4.5\" has no %, but the column's first number "
                           "(line 2) has one (write % after every number of column \"增速\" "
                           "or after none)");
    free(m);
}

static void test_nulls(void **state)
{
    (void)state;
    csv_table t;
    parse_ok("指标,值,备注\na,,-\nb,-,x\nc,—,\nd,…,\ne,\"——\",……\nf,1,\n", &t);
    for (size_t r = 0; r < 5; r++)
        assert_int_equal(at(&t, r, 1)->kind, CELL_NULL);
    assert_int_equal(at(&t, 0, 2)->kind, CELL_NULL);
    assert_int_equal(at(&t, 4, 2)->kind, CELL_NULL);
    assert_text(&t, 1, 2, "x");
    assert_number(&t, 5, 1, 1);
    csv_table_clear(&t);
}

static void test_bad_numbers_are_text(void **state)
{
    (void)state;
    csv_table t;
    /* "1,23" wrongly grouped, "1." no digits after the point, "5 %" has
     * a space, "12,345.6.7" two points: all text in a text column */
    parse_ok("指标,备注\na,\"1,23\"\nb,1.\nc,5 %\nd,12.3.4\ne,说明\n", &t);
    assert_text(&t, 0, 1, "1,23");
    assert_text(&t, 1, 1, "1.");
    assert_text(&t, 2, 1, "5 %");
    assert_int_equal(t.cols[1].decimals, -1);
    csv_table_clear(&t);
}

static void test_mixed_column(void **state)
{
    (void)state;
    /* a column of figures with one stray word: an error at that cell */
    char *m = parse_bad("指标,绝对值\n甲,1\n乙,\"2,000\"\n丙,n/a\n丁,4\n");
    assert_string_equal(m, "t.csv:4:3: text \"n/a\" in column \"绝对值\", whose other cells "
                           "are numbers (expected a number such as 1,234.5 or 12.3%, or empty, "
                           "-, — or … for no value)");
    free(m);
    /* mostly text: a text column, number-like cells kept as written */
    csv_table t;
    parse_ok("指标,说明\n甲,新开工\n乙,\"1,000\"\n丙,续建\n", &t);
    assert_text(&t, 1, 1, "1,000");
    csv_table_clear(&t);
}

static void test_out_of_range(void **state)
{
    (void)state;
    char *m = parse_bad("a,b\nx,1e16\n");
    assert_string_equal(m, "t.csv:2:3: number \"1e16\" out of range (expected at most 10^15 in "
                           "magnitude)");
    free(m);
}

/* ---- encodings ---- */

static void test_bom(void **state)
{
    (void)state;
    csv_table t;
    parse_ok("\xEF\xBB\xBF指标,值\n甲,1\n", &t);
    assert_string_equal(t.data.columns[0], "指标");
    assert_int_equal(t.encoding, CSV_UTF8_BOM);
    csv_table_clear(&t);
    /* a BOM then bytes that are not UTF-8: no GB18030 guess */
    char *m = parse_bad("\xEF\xBB\xBF" "a,b\nx,\xB1\xEA\n");
    assert_string_equal(m, "t.csv:2:3: byte 0xB1 is not valid UTF-8 although the file starts "
                           "with a UTF-8 byte order mark (save it from Excel as \"CSV UTF-8 "
                           "(逗号分隔)(*.csv)\", or as UTF-8 in a text editor)");
    free(m);
}

static void test_gb18030_file(void **state)
{
    (void)state;
    brief_diag *d = brief_diag_new();
    csv_table t;
    brief_status st = csv_read_file(DATA_DIR "indicators-gb18030.csv", "indicators.csv", &t, d);
    char *m = messages(d);
    if (st != BRIEF_OK)
        fail_msg("%s", m);
    free(m);
    assert_int_equal(t.encoding, CSV_GB18030);
    assert_int_equal(t.data.ncols, 3);
    assert_string_equal(t.data.columns[1], "绝对值");
    assert_text(&t, 0, 0, "地区生产总值（亿元）");
    assert_number(&t, 0, 1, 3533.4);
    assert_number(&t, 2, 1, 9.89);
    assert_number(&t, 2, 2, 16.35);
    assert_int_equal(at(&t, 1, 2)->kind, CELL_NULL);
    assert_text(&t, 2, 0, "省重点项目（截至9月）");
    assert_string_equal(t.cols[2].unit, "%");
    csv_table_clear(&t);
    brief_diag_free(d);
}

static void test_gb18030_positions_in_characters(void **state)
{
    (void)state;
    /* "甲乙,x" in GB18030 is invalid UTF-8; the error after two hanzi is
     * quote at column 7 of line 2 (characters, not bytes). */
    char *m = parse_bad("\xD6\xB8\xB1\xEA,\xD6\xB5\n\xBC\xD7\xD2\xD2,\"x\"y\n");
    assert_string_equal(m, "t.csv:2:7: unexpected text after the closing quote of the cell "
                           "that starts at column 4 (expected a comma or the end of the line; "
                           "a quote inside a quoted cell is written \"\")");
    free(m);
}

static void test_utf16_refused(void **state)
{
    (void)state;
    brief_diag *d = brief_diag_new();
    csv_table t;
    brief_status st = csv_read_file(DATA_DIR "indicators-utf16.csv", "ind.csv", &t, d);
    assert_int_equal(st, BRIEF_E_DATA);
    char *m = messages(d);
    assert_string_equal(m, "ind.csv:1:1: the file is in UTF-16 (little-endian, with a byte "
                           "order mark; Excel's \"Unicode text\"); brief reads CSV in UTF-8 or "
                           "GB18030 (save it from Excel as \"CSV UTF-8 (逗号分隔)(*.csv)\", or "
                           "as UTF-8 in a text editor)");
    free(m);
    brief_diag_free(d);

    d = brief_diag_new();
    st = csv_read_file(DATA_DIR "indicators-utf16le-nobom.csv", "ind.csv", &t, d);
    assert_int_equal(st, BRIEF_E_DATA);
    m = messages(d);
    assert_contains(m, "UTF-16 (little-endian, without a byte order mark");
    assert_contains(m, "CSV UTF-8");
    free(m);
    brief_diag_free(d);
}

static void test_other_encodings_refused(void **state)
{
    (void)state;
    /* Latin-1 "café": é (0xE9) before a comma is neither UTF-8 nor GB18030 */
    char *m = parse_bad("name,v\ncaf\xE9,1\n");
    assert_string_equal(m, "t.csv:2:4: byte 0xE9 is not valid UTF-8, and the file is not "
                           "GB18030 either (save it from Excel as \"CSV UTF-8 (逗号分隔)(*.csv)\", "
                           "or as UTF-8 in a text editor)");
    free(m);
    m = parse_bad_n("a,b\nx\0,1\n", 9);
    assert_contains(m, "t.csv:2:2: zero byte in the file");
    free(m);
    m = parse_bad("a,b\nx\x01,1\n");
    assert_contains(m, "t.csv:2:2: control character U+0001");
    free(m);
    m = parse_bad("a,b\n中\xC2\x9B" "2J,1\n");   /* C1 CSI */
    assert_contains(m, "t.csv:2:2: control character U+009B");
    free(m);
}

/* ---- structure ---- */

static void test_ragged_rows(void **state)
{
    (void)state;
    char *m = parse_bad("指标,绝对值,增速\n甲,1,2\n乙,3\n丙,4,5\n");
    assert_string_equal(m, "t.csv:3:4: row has 2 cells, expected 3 (one per column: 指标, 绝对值, "
                           "增速)");
    free(m);
    m = parse_bad("指标,绝对值\n甲,1\n乙,3,4\n");
    assert_string_equal(m, "t.csv:3:5: row has more than 2 cells, expected 2 (one per column: "
                           "指标, 绝对值; a cell with a comma in it, such as \"1,234\", must be "
                           "in double quotes)");
    free(m);
}

static void test_names(void **state)
{
    (void)state;
    char *m = parse_bad("指标,值, 值 \n甲,1,2\n");
    assert_string_equal(m, "t.csv:1:6: duplicate column name \"值\" (first at line 1, column 4)");
    free(m);
    m = parse_bad("指标,,x\n甲,1,2\n");
    assert_string_equal(m, "t.csv:1:4: column 2 has no name (the first row names the columns)");
    free(m);
    m = parse_bad("指标\t值\n甲\t1\n");
    assert_contains(m, "t.csv:1:1: the header is one column whose name contains tabs");
    free(m);
    m = parse_bad("");
    assert_contains(m, "t.csv:1:1: the file has no header row");
    free(m);
    csv_table t;
    parse_ok("指标,值\n", &t);   /* a header alone: no rows */
    assert_int_equal(t.data.nrows, 0);
    csv_table_clear(&t);
}

/* ---- limits ---- */

static void test_limit_columns(void **state)
{
    (void)state;
    strbuf b = {0};
    for (int i = 0; i < CSV_MAX_COLUMNS; i++)
        sb_printf(&b, "%sc%d", i ? "," : "", i);
    sb_puts(&b, "\n");
    csv_table t;
    parse_ok(b.s, &t);
    assert_int_equal(t.data.ncols, CSV_MAX_COLUMNS);
    csv_table_clear(&t);
    sb_truncate(&b, b.len - 1);
    sb_puts(&b, ",c64,c65\n");
    char *m = parse_bad(b.s);
    assert_contains(m, "more than 64 columns (at most 64)");
    assert_contains(m, "t.csv:1:");
    free(m);
    sb_free(&b);
}

static void test_limit_rows(void **state)
{
    (void)state;
    strbuf b = {0};
    sb_puts(&b, "k,v\n");
    for (int i = 0; i < CSV_MAX_ROWS; i++)
        sb_printf(&b, "r%d,%d\n", i, i);
    csv_table t;
    parse_ok(b.s, &t);
    assert_int_equal(t.data.nrows, CSV_MAX_ROWS);
    csv_table_clear(&t);
    sb_puts(&b, "last,1\n");
    char *m = parse_bad(b.s);
    assert_string_equal(m, "t.csv:10002:1: more than 10000 rows (at most 10000 data rows after "
                           "the header)");
    free(m);
    sb_free(&b);
}

static void test_limit_cell(void **state)
{
    (void)state;
    size_t n = CSV_MAX_CELL_BYTES + 10;
    char *s = malloc(n + 32);
    strcpy(s, "a,b\nx,\"");
    memset(s + 7, 'y', n);
    strcpy(s + 7 + n, "\"\n");
    char *m = parse_bad(s);
    assert_string_equal(m, "t.csv:2:3: cell longer than 100000 bytes (at most 100000)");
    free(m);
    /* exactly the limit is fine */
    strcpy(s + 7 + CSV_MAX_CELL_BYTES, "\"\n");
    csv_table t;
    parse_ok(s, &t);
    assert_int_equal(strlen(at(&t, 0, 1)->text), CSV_MAX_CELL_BYTES);
    csv_table_clear(&t);
    free(s);
}

static void test_limit_file(void **state)
{
    (void)state;
    brief_diag *d = brief_diag_new();
    csv_table t;
    /* the size is checked before the bytes are looked at */
    assert_int_equal(csv_parse("", CSV_MAX_BYTES + 1, "big.csv", &t, d), BRIEF_E_DATA);
    char *m = messages(d);
    assert_string_equal(m, "big.csv: CSV file is larger than the 16 MiB limit");
    free(m);
    brief_diag_free(d);

    char path[] = "/tmp/brief-csv-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)CSV_MAX_BYTES + 1), 0);
    close(fd);
    d = brief_diag_new();
    assert_int_equal(csv_read_file(path, "big.csv", &t, d), BRIEF_E_DATA);
    m = messages(d);
    assert_string_equal(m, "big.csv: CSV file is larger than the 16 MiB limit");
    free(m);
    brief_diag_free(d);
    unlink(path);
}

static void test_files_refused(void **state)
{
    (void)state;
    brief_diag *d = brief_diag_new();
    csv_table t;
    assert_int_equal(csv_read_file("tests/unit/data", "data", &t, d), BRIEF_E_NOINPUT);
    assert_int_equal(csv_read_file("/nonexistent/x.csv", NULL, &t, d), BRIEF_E_NOINPUT);
    char fifo[] = "/tmp/brief-fifo-XXXXXX";
    int fd = mkstemp(fifo);
    close(fd);
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(csv_read_file(fifo, "fifo.csv", &t, d), BRIEF_E_NOINPUT);   /* no hang */
    unlink(fifo);
    char *m = messages(d);
    assert_string_equal(m, "data: cannot read: it is a directory (expected a regular CSV file)\n"
                           "/nonexistent/x.csv: cannot open: No such file or directory (expected "
                           "a readable CSV file)\n"
                           "fifo.csv: cannot read: it is not a regular file (expected a regular "
                           "CSV file)");
    free(m);
    brief_diag_free(d);
}


/* ---- robustness ---- */

static bool valid_utf8(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t k = utf8_sequence_length((const unsigned char *)s + i, n - i);
        if (k == 0)
            return false;
        i += k;
    }
    return true;
}

/* 20,000 files of CSV fragments, some in GB18030 bytes: no crash (the
 * sanitizer builds check memory), every error placed on a line and column
 * of the file, and accepted tables rectangular with valid UTF-8 text. */
static void test_random_files(void **state)
{
    (void)state;
    static const char *const BITS[] = {
        "\"", ",", "\n", "\r\n", "\r", "a", "1", "1,234", ".5", "%", "-", "—", " ", "中",
        "\xD6\xB8", "\xFF", "\xEF\xBB\xBF", "\"\"", "12.3%", "e5", "\t",
    };
    unsigned seed = 4242;
    char buf[1024];
    for (int t = 0; t < 20000; t++) {
        size_t len = 0;
        seed = seed * 1103515245u + 12345u;
        int nbits = (int)(seed >> 16) % 40;
        for (int i = 0; i < nbits; i++) {
            seed = seed * 1103515245u + 12345u;
            const char *b = BITS[(seed >> 16) % (sizeof BITS / sizeof *BITS)];
            memcpy(buf + len, b, strlen(b));
            len += strlen(b);
        }
        brief_diag *d = brief_diag_new();
        csv_table tb;
        brief_status st = csv_parse(buf, len, "r.csv", &tb, d);
        if (st == BRIEF_OK) {
            assert_true(tb.data.ncols >= 1);
            for (size_t k = 0; k < tb.data.nrows * tb.data.ncols; k++)
                if (tb.data.cells[k].kind == CELL_TEXT)
                    assert_true(valid_utf8(tb.data.cells[k].text));
            for (size_t k = 0; k < tb.data.ncols; k++)
                assert_true(valid_utf8(tb.data.columns[k]));
            csv_table_clear(&tb);
        } else {
            assert_int_equal(st, BRIEF_E_DATA);
            const brief_error *e = brief_diag_get(d, 0);
            assert_true(e->line >= 1 && e->column >= 1);
            assert_true(valid_utf8(e->message));
        }
        brief_diag_free(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_line_endings_and_blank_rows),
        cmocka_unit_test(test_unclosed_quote),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_categories_stay_text),
        cmocka_unit_test(test_percent),
        cmocka_unit_test(test_nulls),
        cmocka_unit_test(test_bad_numbers_are_text),
        cmocka_unit_test(test_mixed_column),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_gb18030_file),
        cmocka_unit_test(test_gb18030_positions_in_characters),
        cmocka_unit_test(test_utf16_refused),
        cmocka_unit_test(test_other_encodings_refused),
        cmocka_unit_test(test_ragged_rows),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_limit_columns),
        cmocka_unit_test(test_limit_rows),
        cmocka_unit_test(test_limit_cell),
        cmocka_unit_test(test_limit_file),
        cmocka_unit_test(test_files_refused),
        cmocka_unit_test(test_random_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
