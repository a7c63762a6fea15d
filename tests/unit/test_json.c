/*
 * test_json.c — stage 1, the JSON reader (src/input/json.c).
 *
 * Strict UTF-8 (every malformed class, with the position of the bad byte),
 * NUL, the BOM, the depth limit (64 fine, 65 refused, 100,000 refused in
 * linear time), positions (columns in characters), json_locate on paths,
 * file reading (missing, directory, over 16 MiB, stdin), and the message for
 * every kind of syntax error, including the cases cJSON itself accepts.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "brief.h"
#include "util/diag.h"
#include "input/json.h"

/* ---- helpers ---- */

/* Parses text[0..len) as json_parse's callers do (BOM skipped) and returns
 * the diagnostics formatted one per line, "" when the text was accepted. */
static char *parse_messages(const char *text, size_t len, bool *accepted)
{
    char *buf = malloc(len + 1);
    assert_non_null(buf);
    memcpy(buf, text, len);
    buf[len] = '\0';
    size_t bom = json_bom_length(buf, len);
    brief_diag *d = brief_diag_new();
    cJSON *root = json_parse(buf + bom, len - bom, "t.json", d);
    if (accepted)
        *accepted = root != NULL;
    strbuf out = {0};
    sb_puts(&out, "");
    for (size_t i = 0; i < brief_diag_count(d); i++) {
        char line[2048];
        brief_error_format(brief_diag_get(d, i), line, sizeof line);
        sb_printf(&out, "%s%s", i ? "\n" : "", line);
    }
    if (root)
        assert_int_equal(brief_diag_count(d), 0);
    else
        assert_int_equal(brief_diag_status(d), BRIEF_E_DATA);
    cJSON_Delete(root);
    brief_diag_free(d);
    free(buf);
    return out.s;
}

static void expect_error(const char *text, const char *expected)
{
    bool ok;
    char *got = parse_messages(text, strlen(text), &ok);
    if (strcmp(got, expected) != 0)
        fail_msg("input:    %s\nexpected: %s\ngot:      %s", text, expected, got);
    assert_false(ok);
    free(got);
}

static void expect_error_n(const char *text, size_t len, const char *expected)
{
    bool ok;
    char *got = parse_messages(text, len, &ok);
    if (strcmp(got, expected) != 0)
        fail_msg("expected: %s\ngot:      %s", expected, got);
    assert_false(ok);
    free(got);
}

static void expect_ok(const char *text)
{
    bool ok;
    char *got = parse_messages(text, strlen(text), &ok);
    if (!ok)
        fail_msg("input %s rejected: %s", text, got);
    free(got);
}

/* ---- UTF-8 ---- */

static void utf8_valid_forms_are_accepted(void **state)
{
    (void)state;
    expect_ok("[\"A \xC2\xA9 \xE4\xB8\xAD \xEF\xBF\xBF \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF\"]");
    expect_ok("[\"\xED\x9F\xBF \xEE\x80\x80\"]");   /* U+D7FF and U+E000 around the gap */
}

static void utf8_truncated_sequence(void **state)
{
    (void)state;
    expect_error("{\"a\": \"Caf\xC3(s\"}",
                 "t.json:1:11: invalid UTF-8 byte 0xC3 (expected a continuation byte)");
    expect_error("[\"\xE4\xB8\"]", "t.json:1:3: invalid UTF-8 byte 0xE4 (expected a continuation byte)");
    expect_error_n("[\"\xF0\x9F\x98", 6, "t.json:1:3: invalid UTF-8 byte 0xF0 (expected a continuation byte)");
}

static void utf8_overlong_forms(void **state)
{
    (void)state;
    const char *msg = "(overlong encoding; a character must use its shortest form)";
    char expected[256];
    snprintf(expected, sizeof expected, "t.json:1:3: invalid UTF-8 byte 0xC0 %s", msg);
    expect_error("[\"\xC0\xAF\"]", expected);
    snprintf(expected, sizeof expected, "t.json:1:3: invalid UTF-8 byte 0xC1 %s", msg);
    expect_error("[\"\xC1\xBF\"]", expected);
    snprintf(expected, sizeof expected, "t.json:1:3: invalid UTF-8 byte 0xE0 %s", msg);
    expect_error("[\"\xE0\x80\xAF\"]", expected);
    snprintf(expected, sizeof expected, "t.json:1:3: invalid UTF-8 byte 0xF0 %s", msg);
    expect_error("[\"\xF0\x80\x80\xAF\"]", expected);
}

static void utf8_surrogates_and_range(void **state)
{
    (void)state;
    expect_error("[\"\xED\xA0\x80\"]", "t.json:1:3: invalid UTF-8 byte 0xED (encodes a UTF-16 "
                 "surrogate U+D800..U+DFFF, which is not a character)");
    expect_error("[\"\xED\xBF\xBF\"]", "t.json:1:3: invalid UTF-8 byte 0xED (encodes a UTF-16 "
                 "surrogate U+D800..U+DFFF, which is not a character)");
    expect_error("[\"\xF4\x90\x80\x80\"]",
                 "t.json:1:3: invalid UTF-8 byte 0xF4 (encodes a code point above U+10FFFF)");
    expect_error("[\"\xF5\x80\x80\x80\"]",
                 "t.json:1:3: invalid UTF-8 byte 0xF5 (this byte never occurs in UTF-8)");
    expect_error("[\"\xFF\"]", "t.json:1:3: invalid UTF-8 byte 0xFF (this byte never occurs in UTF-8)");
    expect_error("[\"\x80\"]",
                 "t.json:1:3: invalid UTF-8 byte 0x80 (a continuation byte cannot start a character)");
}

static void utf8_error_outside_strings_and_columns(void **state)
{
    (void)state;
    /* The column counts characters: 中文 are two columns, not six bytes. */
    expect_error("{\"中文\": 1,\n \"b\": \xC3}",
                 "t.json:2:7: invalid UTF-8 byte 0xC3 (expected a continuation byte)");
}

static void gbk_text_gets_a_hint(void **state)
{
    (void)state;
    expect_error("[\"\xB2\xD7\xD6\xDD\"]", "t.json:1:3: invalid UTF-8 byte 0xB2 (a continuation "
                 "byte cannot start a character; is the file GBK-encoded? save it as UTF-8)");
}

static void utf16_is_recognised(void **state)
{
    (void)state;
    expect_error_n("\xFF\xFE{\0}\0", 6, "t.json:1:1: input is UTF-16 (expected UTF-8; save the file as UTF-8)");
    expect_error_n("{\0}\0", 4, "t.json:1:2: NUL byte in input (JSON text cannot contain NUL; "
                   "is the file UTF-16? save it as UTF-8)");
}

static void nul_byte_is_refused(void **state)
{
    (void)state;
    expect_error_n("{\"a\":\n \"x\0y\"}", 13, "t.json:2:4: NUL byte in input (JSON text cannot contain NUL)");
}

static void bom_is_skipped(void **state)
{
    (void)state;
    assert_int_equal(json_bom_length("\xEF\xBB\xBF{}", 5), 3);
    assert_int_equal(json_bom_length("{}", 2), 0);
    assert_int_equal(json_bom_length("\xEF\xBB", 2), 0);
    expect_ok("\xEF\xBB\xBF{\"a\": 1}");
    /* Columns start after the BOM: the user's editor does not show it. */
    expect_error("\xEF\xBB\xBF{\"a\": 01}",
                 "t.json:1:7: invalid number \"01\" (JSON numbers cannot have leading zeros)");
    /* A second BOM is not white space. */
    expect_error("\xEF\xBB\xBF\xEF\xBB\xBF{}",
                 "t.json:1:1: byte order mark U+FEFF is not JSON white space (expected ASCII spaces)");
}

/* ---- depth ---- */

static char *nested(size_t depth, bool close)
{
    char *s = malloc(2 * depth + 2);
    assert_non_null(s);
    size_t n = 0;
    for (size_t i = 0; i < depth; i++)
        s[n++] = '[';
    for (size_t i = 0; close && i < depth; i++)
        s[n++] = ']';
    s[n] = '\0';
    return s;
}

static void depth_64_is_accepted(void **state)
{
    (void)state;
    char *s = nested(64, true);
    expect_ok(s);
    free(s);
}

static void depth_65_is_refused_at_the_bracket(void **state)
{
    (void)state;
    char *s = nested(65, true);
    expect_error(s, "t.json:1:65: nesting is too deep (at most 64 levels of arrays and objects)");
    free(s);
    /* Brackets inside strings do not count. */
    expect_ok("[\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"]");
}

static void depth_100000_is_refused_quickly(void **state)
{
    (void)state;
    char *s = nested(100000, false);
    clock_t t0 = clock();
    expect_error(s, "t.json:1:65: nesting is too deep (at most 64 levels of arrays and objects)");
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_true(secs < 0.5);
    free(s);
}

/* ---- positions and paths ---- */

static void line_column_counts_characters(void **state)
{
    (void)state;
    const char *t = "{\n\t\"标题\": \"沧州\",\r\n  \"x\": 1}";
    int line, col;
    json_line_column(t, strlen(t), 0, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 1);
    const char *p = strstr(t, "\"沧州\"");
    json_line_column(t, strlen(t), (size_t)(p - t), &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 8);   /* after tab, quote, two hanzi, quote, colon, space */
    p = strstr(t, "\"x\"");
    json_line_column(t, strlen(t), (size_t)(p - t), &line, &col);
    assert_int_equal(line, 3);
    assert_int_equal(col, 3);
}

static const char LOCATE_DOC[] =
    "{\n"
    "  \"meta\": {\"title\": \"简报\", \"a.b\": [1, 2]},\n"
    "  \"data\": {\"key_projects\": {\"columns\": [\"类别\", \"计划\", \"完成\"],\n"
    "    \"rows\": [[\"甲\", 1, 2], [\"乙\", 3, 4], [\"丙\", {\"x\": \"]}\"}, 5], [\"丁\", 7, 8.5]]}},\n"
    "  \"\\u0062ody\": [{}, {\"type\": \"chart\", \"values\": [\"计划\", \"完成\"]}]\n"
    "}\n";

/* Positions come from the table made while reading; the text is copied and
 * freed before locating, so nothing can read it afterwards. */
static void locate_at(const char *path, json_target target, bool found, int line, int col)
{
    char *text = strdup(LOCATE_DOC);
    assert_non_null(text);
    brief_diag *d = brief_diag_new();
    json_positions *pos = NULL;
    cJSON *root = json_parse_with_positions(text, strlen(text), "t.json", d, &pos);
    free(text);
    assert_non_null(root);
    assert_non_null(pos);
    src_pos at;
    bool f = json_locate(pos, root, path, target, &at);
    int l = at.line, c = at.column;
    cJSON_Delete(root);
    json_positions_free(pos);
    brief_diag_free(d);
    if (f != found || l != line || c != col)
        fail_msg("%s: got %s %d:%d, expected %s %d:%d", path, f ? "found" : "missing", l, c,
                 found ? "found" : "missing", line, col);
}

static void locate_finds_values_and_keys(void **state)
{
    (void)state;
    locate_at("", JSON_AT_VALUE, true, 1, 1);
    locate_at("meta", JSON_AT_VALUE, true, 2, 11);
    locate_at("meta.title", JSON_AT_VALUE, true, 2, 21);
    locate_at("meta.title", JSON_AT_KEY, true, 2, 12);
    locate_at("meta[\"a.b\"][1]", JSON_AT_VALUE, true, 2, 38);
    locate_at("data.key_projects.rows[3][2]", JSON_AT_VALUE, true, 4, 72);
    locate_at("data.key_projects.rows[2][1]", JSON_AT_VALUE, true, 4, 46);
    locate_at("data.key_projects.rows[2][2]", JSON_AT_VALUE, true, 4, 59);
    locate_at("data.key_projects.columns[1]", JSON_AT_VALUE, true, 3, 47);
    /* The key is written with an escape; the path names it decoded. */
    locate_at("body[1].values[1]", JSON_AT_VALUE, true, 5, 56);
    locate_at("body[1]", JSON_AT_KEY, true, 5, 21);   /* elements have no key */
    locate_at("body", JSON_AT_KEY, true, 5, 3);
}

static void locate_falls_back_to_deepest(void **state)
{
    (void)state;
    locate_at("meta.author", JSON_AT_VALUE, false, 2, 11);
    locate_at("data.key_projects.rows[9][0]", JSON_AT_VALUE, false, 4, 13);
    locate_at("meta.title.x", JSON_AT_VALUE, false, 2, 21);
    locate_at("meta[", JSON_AT_VALUE, false, 2, 11);   /* malformed path */
}

static void path_keys_are_quoted_when_needed(void **state)
{
    (void)state;
    strbuf p = {0};
    json_path_key(&p, "data");
    json_path_key(&p, "key_projects");
    json_path_key(&p, "rows");
    json_path_index(&p, 3);
    json_path_index(&p, 2);
    assert_string_equal(p.s, "data.key_projects.rows[3][2]");
    sb_truncate(&p, 0);
    json_path_key(&p, "data");
    json_path_key(&p, "产业 2020");
    json_path_key(&p, "a\"b");
    json_path_key(&p, "沧州-key_1");
    assert_string_equal(p.s, "data[\"产业 2020\"][\"a\\\"b\"].沧州-key_1");
    sb_free(&p);
    /* and json_locate reads them back */
    const char *t = "{\"data\": {\"产业 2020\": {\"a\\\"b\": {\"沧州-key_1\": 7}}}}";
    brief_diag *d = brief_diag_new();
    json_positions *pos = NULL;
    cJSON *root = json_parse_with_positions(t, strlen(t), "t.json", d, &pos);
    assert_non_null(root);
    src_pos at;
    assert_true(json_locate(pos, root, "data[\"产业 2020\"][\"a\\\"b\"].沧州-key_1", JSON_AT_VALUE, &at));
    int line, col;
    json_line_column(t, strlen(t), (size_t)(strchr(t, '7') - t), &line, &col);
    assert_int_equal(at.line, line);
    assert_int_equal(at.column, col);
    cJSON_Delete(root);
    json_positions_free(pos);
    brief_diag_free(d);
}

/* ---- syntax errors ---- */

static void cjson_is_lax_where_we_are_strict(void **state)
{
    (void)state;
    /* What cJSON 1.7 accepts although RFC 8259 does not: each needs its
     * own check, so keep these in sync with the comment in json.c. */
    static const char *const lax[] = {
        "[01]", "[1.]", "[-.5]", "[\"a\tb\"]", "[\"\\u0000\"]", "[\"\\u12G4\"]",
        "[1\f]", "{\"a\": 1, \"a\": 2}",
    };
    for (size_t i = 0; i < sizeof lax / sizeof lax[0]; i++) {
        cJSON *j = cJSON_Parse(lax[i]);
        if (!j)
            fail_msg("cJSON now rejects %s: update json.c's comment", lax[i]);
        cJSON_Delete(j);
        bool ok;
        char *m = parse_messages(lax[i], strlen(lax[i]), &ok);
        if (ok)
            fail_msg("%s accepted", lax[i]);
        free(m);
    }
}

typedef struct syntax_case {
    const char *input;
    const char *message;
} syntax_case;

static void syntax_errors_are_classified(void **state)
{
    (void)state;
    static const syntax_case cases[] = {
        {"", "t.json: empty input (expected a JSON object)"},
        {" \n\t ", "t.json: empty input (expected a JSON object)"},
        {"[1, 2,]", "t.json:1:6: trailing comma before ']' (expected a value)"},
        {"{\"a\": 1,\n}", "t.json:1:8: trailing comma before '}' (expected a key in double quotes)"},
        {"{\"a\": 1 // note\n}", "t.json:1:9: comments are not allowed in JSON"},
        {"/* c */ {}", "t.json:1:1: comments are not allowed in JSON"},
        {"['a']", "t.json:1:2: strings must use double quotes"},
        {"{'a': 1}", "t.json:1:2: object keys must be strings in double quotes"},
        {"{a: 1}", "t.json:1:2: object keys must be strings in double quotes (write \"a\")"},
        {"[NaN]", "t.json:1:2: NaN is not a JSON number (use null for a missing value)"},
        {"[Infinity]", "t.json:1:2: Infinity is not a JSON number (numbers must be finite)"},
        {"[-Infinity]", "t.json:1:2: -Infinity is not a JSON number (numbers must be finite)"},
        {"[True]", "t.json:1:2: True is not a JSON value (write true)"},
        {"[tru]", "t.json:1:2: tru is not a JSON value (write true)"},
        {"[None]", "t.json:1:2: None is not a JSON value (write null)"},
        {"[abc]", "t.json:1:2: unquoted text \"abc\" (strings must use double quotes)"},
        {"{\"a\": 1", "t.json:1:8: unexpected end of input (expected ',' or '}' to close the object at 1:1)"},
        {"{\"a\": [1,\n 2\n\n", "t.json:2:3: unexpected end of input (expected ',' or ']' to close the array at 1:7)"},
        {"{\"a\"", "t.json:1:5: unexpected end of input (expected ':')"},
        {"{\"a\":", "t.json:1:6: unexpected end of input (expected a value)"},
        {"{", "t.json:1:2: unexpected end of input (expected a key in double quotes to close the object at 1:1)"},
        {"[\"abc", "t.json:1:6: unexpected end of input inside a string (expected '\"' to close the string at 1:2)"},
        {"[\"\\uD800\"]", "t.json:1:3: \\uD800 is an unpaired surrogate (expected a low surrogate \\uDC00..\\uDFFF after it)"},
        {"[\"\\ud83d\\u0041\"]", "t.json:1:3: \\uD83D is an unpaired surrogate (expected a low surrogate \\uDC00..\\uDFFF after it)"},
        {"[\"\\uDC00\"]", "t.json:1:3: \\uDC00 is an unpaired surrogate (a low surrogate must follow a high surrogate \\uD800..\\uDBFF)"},
        {"[\"\\x41\"]", "t.json:1:3: invalid escape \"\\x\" in a string (expected \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)"},
        {"[\"\\u12G4\"]", "t.json:1:3: invalid escape \"\\u12G\" (expected 4 hex digits after \\u)"},
        {"[\"\\u0000\"]", "t.json:1:3: \\u0000 is not allowed in a string (text cannot contain NUL)"},
        {"[\"a\tb\"]", "t.json:1:4: tab character inside a string (write \\t)"},
        {"[\"a\nb\"]", "t.json:1:4: line break inside a string (write \\n, or close the string with '\"')"},
        {"[\"a\x01\"]", "t.json:1:4: control character U+0001 inside a string (write \\u0001)"},
        {"{} x", "t.json:1:4: unexpected 'x' after the end of the JSON document (expected the end of the input)"},
        {"{}}", "t.json:1:3: unexpected '}' after the end of the JSON document (expected the end of the input)"},
        {"{}{}", "t.json:1:3: unexpected '{' after the end of the JSON document (expected the end of the input)"},
        {"[01]", "t.json:1:2: invalid number \"01\" (JSON numbers cannot have leading zeros)"},
        {"[-007]", "t.json:1:2: invalid number \"-007\" (JSON numbers cannot have leading zeros)"},
        {"[1.]", "t.json:1:2: invalid number \"1.\" (expected a digit after the decimal point)"},
        {"[.5]", "t.json:1:2: invalid number \".5\" (expected a digit before the decimal point)"},
        {"[-.5]", "t.json:1:2: invalid number \"-.5\" (expected a digit before the decimal point)"},
        {"[+1]", "t.json:1:2: invalid number \"+1\" (JSON numbers cannot start with '+')"},
        {"[1e]", "t.json:1:2: invalid number \"1e\" (expected a digit in the exponent)"},
        {"[-]", "t.json:1:2: invalid number \"-\" (expected a digit after '-')"},
        {"[1.5.5]", "t.json:1:2: invalid number \"1.5.5\" (expected digits with at most one '.' and one exponent)"},
        {"[0x1F]", "t.json:1:2: hexadecimal number \"0x1F\" (JSON numbers are decimal)"},
        {"[9.89亿]", "t.json:1:2: number 9.89 followed by \"亿\" (a number cannot carry a unit; write the unit as text elsewhere, e.g. in \"unit\")"},
        {"[12%]", "t.json:1:2: number 12 followed by \"%\" (a number cannot carry a unit; write the unit as text elsewhere, e.g. in \"unit\")"},
        {"[1\f]", "t.json:1:3: control character U+000C between values (expected spaces, tabs or line breaks)"},
        {"[1 2]", "t.json:1:4: missing ',' between elements (expected ',' or ']')"},
        {"{\"a\": 1 \"b\": 2}", "t.json:1:9: missing ',' between members (expected ',' or '}')"},
        {"{\"a\" 1}", "t.json:1:6: unexpected '1' (expected ':' after the key)"},
        {"{\"a\" = 1}", "t.json:1:6: '=' cannot separate a key from its value (expected ':')"},
        {"[1}", "t.json:1:3: '}' does not match '[' at 1:1 (expected ']')"},
        {"{\"a\": 1]", "t.json:1:8: ']' does not match '{' at 1:1 (expected '}')"},
        {"[1,,2]", "t.json:1:4: unexpected ',' (expected a value)"},
        {"{\"a\": }", "t.json:1:7: unexpected '}' (expected a value)"},
        {"{1: 2}", "t.json:1:2: unexpected '1' (expected a key in double quotes)"},
        {"[#]", "t.json:1:2: unexpected '#' (expected a value)"},
        {"[产业]", "t.json:1:2: unquoted text \"产业\" (strings must use double quotes)"},
        {"{\"a\"：1}", "t.json:1:5: full-width colon U+FF1A \"：\" is not JSON punctuation (expected ':')"},
        {"[1，2]", "t.json:1:3: full-width comma U+FF0C \"，\" is not JSON punctuation (expected ',')"},
        {"[“a”]", "t.json:1:2: curly quote U+201C \"“\" cannot quote a string (strings must use straight double quotes \")"},
        {"[1,\xE3\x80\x80" "2]", "t.json:1:4: ideographic space U+3000 is not JSON white space (expected ASCII spaces)"},
        {"{\"a\": 1, \"b\": 2, \"a\": 3}", "t.json:1:18: duplicate key \"a\" (first at 1:2)"},
        {"{\"a\": 1, \"\\u0061\": 2}", "t.json:1:10: duplicate key \"a\" (first at 1:2)"},
        {"[0.0000000000000000000000000000000000000000000000000000000000000001]",
         "t.json:1:2: number with 66 characters is too long (at most 63)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_error(cases[i].input, cases[i].message);
}

static void several_problems_in_one_pass(void **state)
{
    (void)state;
    expect_error("{\n  // one\n  \"a\": [1, 2,],\n  /* two */ \"b\": 01\n}",
                 "t.json:2:3: comments are not allowed in JSON\n"
                 "t.json:3:13: trailing comma before ']' (expected a value)\n"
                 "t.json:4:3: comments are not allowed in JSON\n"
                 "t.json:4:18: invalid number \"01\" (JSON numbers cannot have leading zeros)");
}

static void duplicates_are_per_object(void **state)
{
    (void)state;
    expect_ok("{\"a\": {\"a\": {\"a\": 1}}, \"b\": [{\"a\": 1}, {\"a\": 2}], \"c\": {\"b\": 1}}");
    /* Many small objects: removing their keys must leave the table usable
     * (a regression: keys removed oldest-first leaked and filled it). */
    strbuf many = {0};
    sb_puts(&many, "[");
    for (int i = 0; i < 20000; i++)
        sb_printf(&many, "%s{\"type\": 1, \"text\": 2, \"k%d\": 3, \"z\": 4}", i ? ", " : "", i);
    sb_puts(&many, "]");
    expect_ok(many.s);
    sb_free(&many);
    /* Many keys: the table grows and still finds the late duplicate. */
    strbuf s = {0};
    sb_puts(&s, "{");
    for (int i = 0; i < 5000; i++)
        sb_printf(&s, "\"k%d\": {\"k%d\": 1}, ", i, i);
    sb_puts(&s, "\"k4999\": 0}");
    bool ok;
    char *m = parse_messages(s.s, s.len, &ok);
    assert_false(ok);
    assert_non_null(strstr(m, "duplicate key \"k4999\" (first at 1:"));
    free(m);
    sb_free(&s);
}

static void syntax_errors_stop_at_the_cap(void **state)
{
    (void)state;
    strbuf s = {0};
    sb_puts(&s, "[");
    for (int i = 0; i < 80; i++)
        sb_puts(&s, "01, ");
    sb_puts(&s, "1]");
    brief_diag *d = brief_diag_new();
    assert_null(json_parse(s.s, s.len, "t.json", d));
    assert_int_equal(brief_diag_count(d), DIAG_MAX_ERRORS);
    brief_diag_free(d);
    sb_free(&s);
}

static void valid_documents_parse(void **state)
{
    (void)state;
    expect_ok("{}");
    expect_ok(" \r\n\t{\"a\": [1, -0, 0.5, 1e10, 1E-3, -1.5e+3, true, false, null, \"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u4e2d\\uD83D\\uDE00\"]}\r\n");
    expect_ok("[]");
    expect_ok("\"top-level scalars are the validator's business\"");
}

/* ---- reading files ---- */

static char tmpdir[64];

static int make_tmpdir(void **state)
{
    (void)state;
    strcpy(tmpdir, "/tmp/brief-test-json-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *read_message(const char *path, brief_status want_status)
{
    static char line[1024];
    char *data = NULL;
    size_t len = 0;
    brief_diag *d = brief_diag_new();
    brief_status st = json_read_file(path, &data, &len, d);
    assert_int_equal(st, want_status);
    line[0] = '\0';
    if (brief_diag_count(d))
        brief_error_format(brief_diag_get(d, 0), line, sizeof line);
    if (st == BRIEF_OK) {
        assert_non_null(data);
        assert_int_equal(data[len], '\0');
    } else {
        assert_null(data);
        assert_int_equal(brief_diag_status(d), want_status);
    }
    free(data);
    brief_diag_free(d);
    return line;
}

static void read_file_errors(void **state)
{
    (void)state;
    char path[128], expected[256];
    snprintf(path, sizeof path, "%s/missing.json", tmpdir);
    snprintf(expected, sizeof expected, "%s: cannot open: No such file or directory (expected a readable JSON file)", path);
    assert_string_equal(read_message(path, BRIEF_E_NOINPUT), expected);
    snprintf(expected, sizeof expected, "%s: is a directory (expected a JSON file)", tmpdir);
    assert_string_equal(read_message(tmpdir, BRIEF_E_NOINPUT), expected);

    snprintf(path, sizeof path, "%s/big.json", tmpdir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)JSON_MAX_INPUT + 1), 0);
    close(fd);
    snprintf(expected, sizeof expected, "%s: input is larger than the 16 MiB limit", path);
    assert_string_equal(read_message(path, BRIEF_E_DATA), expected);
    /* exactly at the limit is fine */
    fd = open(path, O_WRONLY | O_TRUNC);
    assert_int_equal(ftruncate(fd, (off_t)JSON_MAX_INPUT), 0);
    close(fd);
    assert_string_equal(read_message(path, BRIEF_OK), "");
}

static void read_file_from_stdin(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/in.json", tmpdir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"brief\": 1}", f);
    fclose(f);
    int saved = dup(STDIN_FILENO);
    int fd = open(path, O_RDONLY);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, STDIN_FILENO);
    close(fd);
    char *data = NULL;
    size_t len = 0;
    brief_diag *d = brief_diag_new();
    assert_int_equal(json_read_file("-", &data, &len, d), BRIEF_OK);
    dup2(saved, STDIN_FILENO);
    close(saved);
    assert_int_equal(len, 12);
    assert_string_equal(data, "{\"brief\": 1}");
    free(data);
    brief_diag_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_valid_forms_are_accepted),
        cmocka_unit_test(utf8_truncated_sequence),
        cmocka_unit_test(utf8_overlong_forms),
        cmocka_unit_test(utf8_surrogates_and_range),
        cmocka_unit_test(utf8_error_outside_strings_and_columns),
        cmocka_unit_test(gbk_text_gets_a_hint),
        cmocka_unit_test(utf16_is_recognised),
        cmocka_unit_test(nul_byte_is_refused),
        cmocka_unit_test(bom_is_skipped),
        cmocka_unit_test(depth_64_is_accepted),
        cmocka_unit_test(depth_65_is_refused_at_the_bracket),
        cmocka_unit_test(depth_100000_is_refused_quickly),
        cmocka_unit_test(line_column_counts_characters),
        cmocka_unit_test(locate_finds_values_and_keys),
        cmocka_unit_test(locate_falls_back_to_deepest),
        cmocka_unit_test(path_keys_are_quoted_when_needed),
        cmocka_unit_test(cjson_is_lax_where_we_are_strict),
        cmocka_unit_test(syntax_errors_are_classified),
        cmocka_unit_test(several_problems_in_one_pass),
        cmocka_unit_test(duplicates_are_per_object),
        cmocka_unit_test(syntax_errors_stop_at_the_cap),
        cmocka_unit_test(valid_documents_parse),
        cmocka_unit_test_setup_teardown(read_file_errors, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(read_file_from_stdin, make_tmpdir, remove_tmpdir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
