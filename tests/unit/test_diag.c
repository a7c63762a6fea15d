/*
 * test_diag.c — diagnostics stored inert (src/util/diag.c).
 *
 * diag_escape: C0 and C1 controls, DEL, line separators and bidi controls
 * become \u escapes, invalid UTF-8 bytes \x escapes, text passes unchanged,
 * and a cut falls between characters and ends in "…".  diag_add stores the
 * file, path and message escaped; brief_error_format cuts at a character
 * boundary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/diag.h"

static const char *esc(const char *in, size_t size)
{
    static char out[4096];
    diag_escape(out, size, in, strlen(in));
    return out;
}

static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int k = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 0;
        if (!k)
            return false;
        for (int i = 1; i < k; i++)
            if ((p[i] & 0xC0) != 0x80)
                return false;
        p += k;
    }
    return true;
}

static void test_controls(void **state)
{
    (void)state;
    assert_string_equal(esc("a\033]0;t\007b", 100), "a\\u001B]0;t\\u0007b");
    assert_string_equal(esc("line\nforged: ok", 100), "line\\u000Aforged: ok");
    assert_string_equal(esc("del\x7f", 100), "del\\u007F");
    assert_string_equal(esc("c1\xc2\x9b" "31m", 100), "c1\\u009B31m");              /* CSI */
    assert_string_equal(esc("bidi\xe2\x80\xae" "x", 100), "bidi\\u202Ex");           /* RLO */
    assert_string_equal(esc("sep\xe2\x80\xa8", 100), "sep\\u2028");
}

static void test_text_unchanged(void **state)
{
    (void)state;
    assert_string_equal(esc("沧州市 2020 年 \"引号\" \\ 𪚥", 100), "沧州市 2020 年 \"引号\" \\ 𪚥");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    assert_string_equal(esc("a\xff" "b", 100), "a\\xFFb");
    assert_string_equal(esc("\xe4\xb8", 100), "\\xE4\\xB8");                 /* cut sequence */
    assert_string_equal(esc("\xc0\xaf", 100), "\\xC0\\xAF");                 /* overlong '/' */
    assert_string_equal(esc("\xed\xa0\x80", 100), "\\xED\\xA0\\x80");        /* surrogate */
}

static void test_cut_between_characters(void **state)
{
    (void)state;
    char in[400] = "";
    for (int i = 0; i < 100; i++)
        strcat(in, "中");
    for (size_t size = 4; size < 40; size++) {
        const char *out = esc(in, size);
        assert_true(strlen(out) < size);
        assert_true(valid_utf8(out));
        size_t n = strlen(out);
        assert_true(n >= 3 && strcmp(out + n - 3, "…") == 0);
    }
    assert_string_equal(esc("abc", 4), "abc");     /* fits exactly: no ellipsis */
}

static void test_stored_escaped(void **state)
{
    (void)state;
    brief_diag *d = brief_diag_new();
    diag_add(d, BRIEF_WARNING, BRIEF_OK, "in\033[2J.json", 1, 2, "body[0]", "label \"%s\"", "x\033]0;t\007");
    const brief_error *e = brief_diag_get(d, 0);
    assert_non_null(e);
    assert_string_equal(e->file, "in\\u001B[2J.json");
    assert_string_equal(e->message, "label \"x\\u001B]0;t\\u0007\"");
    char line[64];
    brief_error_format(e, line, 30);
    assert_true(valid_utf8(line));
    /* A long message: stored cut, valid, ending in the ellipsis. */
    char big[6000] = "";
    for (int i = 0; i < 1900; i++)
        strcat(big, "字");
    diag_add(d, BRIEF_ERROR, BRIEF_E_DATA, "f", 0, 0, NULL, "%s", big);
    e = brief_diag_get(d, 1);
    assert_true(strlen(e->message) < 2048);
    assert_true(valid_utf8(e->message));
    assert_string_equal(e->message + strlen(e->message) - 3, "…");
    char cut[100];
    for (size_t size = 1; size < sizeof cut; size++) {
        brief_error_format(e, cut, size);
        assert_true(valid_utf8(cut));
    }
    brief_diag_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_controls),
        cmocka_unit_test(test_text_unchanged),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_cut_between_characters),
        cmocka_unit_test(test_stored_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
