/*
 * test_numfmt.c — nice ticks and number formatting (src/util/numfmt.c).
 *
 * Ticks: 1-2-5 steps for ranges from 0.001 to 1e12, negatives, all-zero,
 * single values; zero always a tick; the domain covers the data; no more
 * intervals than asked; tick values exact in decimal.  Formats: plain,
 * thousands, Chinese magnitudes (万/亿/万亿, folding the unit's prefix),
 * fixed decimals, no "-0", percentages with the data's precision and the
 * guards around 100 % and the threshold.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/numfmt.h"

static void check_ticks(double lo, double hi, int max_int)
{
    tick_set t;
    assert_true(nice_ticks(lo, hi, max_int, &t));
    char what[128];
    snprintf(what, sizeof what, "[%g, %g] max %d", lo, hi, max_int);
    /* 1-2-5 step */
    assert_true(t.mant == 1 || t.mant == 2 || t.mant == 5);
    double p = pow(10, t.exp10);
    assert_true(fabs(t.step - t.mant * p) <= 1e-12 * t.step);
    /* covers the data and zero, no more intervals than asked */
    assert_true(t.count >= 2);
    assert_true(t.count - 1 <= (max_int < 1 ? 1 : max_int));
    assert_true(t.lo <= fmin(lo, 0) + 1e-9 * fabs(t.step));
    assert_true(t.hi >= fmax(hi, 0) - 1e-9 * fabs(t.step));
    bool zero = false;
    for (int i = 0; i < t.count; i++) {
        double v = tick_value(&t, i);
        zero |= v == 0;
        if (i > 0)
            assert_true(fabs(v - tick_value(&t, i - 1) - t.step) <= 1e-9 * t.step);
        /* each tick prints exactly with t.decimals */
        char buf[128];
        numfmt_fixed(buf, sizeof buf, v, t.decimals, false);
        assert_true(fabs(strtod(buf, NULL) - v) <= 1e-9 * fmax(1, fabs(v)));
    }
    assert_true(zero);
    /* not wasteful: the domain is less than two steps wider than needed */
    double need = fmax(hi, 0) - fmin(lo, 0);
    if (need > 0)
        assert_true(t.hi - t.lo < need + 2 * t.step + 1e-9);
    (void)what;
}

static void test_ticks_ranges(void **state)
{
    (void)state;
    static const double highs[] = {0.001, 0.0025, 0.0093, 0.05, 0.3, 0.7, 1, 1.5, 3.7, 9.89,
                                   10, 10.79, 32.4, 47, 99.44, 100, 116.35, 985, 1000, 1234,
                                   45000, 1.2e6, 8e9, 3.5e11, 1e12, 9.99e14};
    for (size_t i = 0; i < sizeof highs / sizeof highs[0]; i++)
        for (int m = 1; m <= 10; m++) {
            check_ticks(0, highs[i], m);
            check_ticks(-highs[i], 0, m);
            check_ticks(-highs[i] / 3, highs[i], m);
            check_ticks(highs[i] / 2, highs[i], m);   /* bars start at zero anyway */
        }
}

static void test_ticks_examples(void **state)
{
    (void)state;
    tick_set t;
    assert_true(nice_ticks(0, 32.4, 6, &t));
    assert_int_equal(t.count, 5);            /* 0 10 20 30 40 */
    assert_true(t.step == 10 && t.hi == 40);
    assert_true(nice_ticks(0, 985, 6, &t));
    assert_true(t.step == 200 && t.hi == 1000);
    assert_true(nice_ticks(-12.6, 5.2, 6, &t));
    assert_true(t.step == 5 && t.lo == -15 && t.hi == 10);
    assert_true(nice_ticks(0, 0.0093, 5, &t));
    assert_true(fabs(t.step - 0.002) < 1e-15 && t.decimals == 3);
    assert_true(fabs(tick_value(&t, 3) - 0.006) < 1e-18);
    assert_true(nice_ticks(0, 1e12, 5, &t));
    assert_true(t.step == 2e11 && t.hi == 1e12 && t.decimals == 0);
    assert_true(nice_ticks(0, 100, 5, &t));
    assert_true(t.step == 20 && t.hi == 100);
}

static void test_ticks_degenerate(void **state)
{
    (void)state;
    tick_set t;
    assert_true(nice_ticks(0, 0, 5, &t));          /* all zero */
    assert_true(t.lo == 0 && t.hi == 1 && t.count >= 2);
    assert_true(nice_ticks(7, 7, 5, &t));          /* single value */
    assert_true(t.lo == 0 && t.hi >= 7);
    assert_true(nice_ticks(-3, -3, 5, &t));
    assert_true(t.lo <= -3 && t.hi == 0);
    assert_true(nice_ticks(5, 1, 4, &t));          /* reversed */
    assert_true(t.hi >= 5);
    assert_true(nice_ticks(0, 10, 0, &t));         /* clamped to one interval */
    assert_int_equal(t.count, 2);
    assert_false(nice_ticks(0, INFINITY, 5, &t));
    assert_false(nice_ticks(NAN, 1, 5, &t));
}

#define FMT(expect, v, style, dec, unit)                                      \
    do {                                                                      \
        numfmt f = {(style), (dec), false, (unit)};                           \
        char buf[128];                                                        \
        numfmt_format(buf, sizeof buf, (v), &f);                              \
        assert_string_equal(buf, (expect));                                   \
    } while (0)

static void test_format_plain_thousands(void **state)
{
    (void)state;
    FMT("9.89亿元", 9.89, NUMBER_PLAIN, 2, "亿元");
    FMT("190项", 190, NUMBER_PLAIN, 0, "项");
    FMT("45.5%", 45.5, NUMBER_PLAIN, 1, "%");
    FMT("1234.5", 1234.5, NUMBER_PLAIN, 1, "");
    FMT("1,234.5", 1234.5, NUMBER_THOUSANDS, 1, "");
    FMT("1,000,000,000,000元", 1e12, NUMBER_THOUSANDS, 0, "元");
    FMT("-1,234,567", -1234567, NUMBER_THOUSANDS, 0, NULL);
    FMT("999", 999, NUMBER_THOUSANDS, 0, "");
    FMT("0.001", 0.001, NUMBER_PLAIN, 3, "");
    FMT("0.0010", 0.001, NUMBER_PLAIN, 4, "");
    FMT("21.70亿元", 21.7, NUMBER_PLAIN, 2, "亿元");   /* fixed decimals */
    FMT("0", -0.0001, NUMBER_PLAIN, 0, "");             /* never "-0" */
    FMT("0.0", -0.01, NUMBER_PLAIN, 1, "");
    FMT("-3.1%", -3.1, NUMBER_PLAIN, 1, "%");
    FMT("1.24", 1.235001, NUMBER_PLAIN, 2, "");
}

static void test_format_chinese(void **state)
{
    (void)state;
    FMT("12.3万", 123000, NUMBER_CHINESE, 1, "");
    FMT("1.5亿", 150000000, NUMBER_CHINESE, 1, "");
    FMT("12.3万元", 123000, NUMBER_CHINESE, 1, "元");
    FMT("1.5亿元", 15000, NUMBER_CHINESE, 1, "万元");     /* 1.5万万元 */
    FMT("536万元", 0.0536, NUMBER_CHINESE, 0, "亿元");    /* below the unit's prefix */
    FMT("9.89亿元", 9.89, NUMBER_CHINESE, 2, "亿元");
    FMT("1万亿元", 1e12, NUMBER_CHINESE, 0, "元");
    FMT("3500亿元", 3.5e11, NUMBER_CHINESE, 0, "元");
    FMT("9999元", 9999, NUMBER_CHINESE, 0, "元");
    FMT("1亿元", 99999999, NUMBER_CHINESE, 0, "元");      /* rounding reaches 亿 */
    FMT("-2.5万人", -25000, NUMBER_CHINESE, 1, "人");
    FMT("45.5%", 45.5, NUMBER_CHINESE, 1, "%");           /* percent untouched */
    numfmt f = {NUMBER_CHINESE, 2, true, "元"};
    char buf[64];
    numfmt_format(buf, sizeof buf, 45000, &f);
    assert_string_equal(buf, "4.5万元");                   /* trimmed */
    assert_true(fabs(numfmt_chinese_scaled(123000, "元") - 12.3) < 1e-12);
    assert_true(fabs(numfmt_chinese_scaled(0.0536, "亿元") - 536) < 1e-9);
}

static void test_unit_prefix_axis(void **state)
{
    (void)state;
    const char *rest;
    assert_true(numfmt_unit_prefix("亿元", &rest) == 1e8 && !strcmp(rest, "元"));
    assert_true(numfmt_unit_prefix("万亿元", &rest) == 1e12 && !strcmp(rest, "元"));
    assert_true(numfmt_unit_prefix("万元", &rest) == 1e4 && !strcmp(rest, "元"));
    assert_true(numfmt_unit_prefix("项", &rest) == 1 && !strcmp(rest, "项"));
    assert_true(numfmt_unit_prefix(NULL, &rest) == 1 && !strcmp(rest, ""));
    char u[32];
    assert_true(numfmt_axis_magnitude(1e12, "元", u, sizeof u) == 1e12 && !strcmp(u, "万亿元"));
    assert_true(numfmt_axis_magnitude(2e8, "元", u, sizeof u) == 1e8 && !strcmp(u, "亿元"));
    assert_true(numfmt_axis_magnitude(150000, "万元", u, sizeof u) == 1e4 && !strcmp(u, "亿元"));
    assert_true(fabs(numfmt_axis_magnitude(0.06, "亿元", u, sizeof u) - 1e-4) < 1e-18 &&
                !strcmp(u, "万元"));
    assert_true(numfmt_axis_magnitude(50, "项", u, sizeof u) == 1 && !strcmp(u, "项"));
    assert_true(numfmt_axis_magnitude(0, "亿元", u, sizeof u) == 1 && !strcmp(u, "亿元"));
    assert_true(numfmt_axis_magnitude(120, "%", u, sizeof u) == 1 && !strcmp(u, "%"));
}

static void test_decimals_of(void **state)
{
    (void)state;
    assert_int_equal(numfmt_decimals_of(9.89, 6), 2);
    assert_int_equal(numfmt_decimals_of(8.5, 6), 1);
    assert_int_equal(numfmt_decimals_of(190, 6), 0);
    assert_int_equal(numfmt_decimals_of(0.001, 6), 3);
    assert_int_equal(numfmt_decimals_of(0.0536, 6), 4);
    assert_int_equal(numfmt_decimals_of(116.35, 6), 2);
    assert_int_equal(numfmt_decimals_of(0.1 + 0.2, 6), 1);
    assert_int_equal(numfmt_decimals_of(1e12, 6), 0);
    assert_int_equal(numfmt_decimals_of(1.0 / 3, 4), 4);  /* capped */
    assert_int_equal(numfmt_decimals_of(-2.25, 6), 2);
}

static void test_percent(void **state)
{
    (void)state;
    char buf[64];
    numfmt_percent(buf, sizeof buf, 9.89 / 8.5, 2);
    assert_string_equal(buf, "116.35%");
    numfmt_percent(buf, sizeof buf, 10.73 / 10.79, 2);
    assert_string_equal(buf, "99.44%");
    numfmt_percent(buf, sizeof buf, 1, 0);
    assert_string_equal(buf, "100%");
    numfmt_percent(buf, sizeof buf, NAN, 2);
    assert_string_equal(buf, "—");
    /* never reads 100 % below the plan, nor the threshold below it */
    assert_int_equal(numfmt_percent_decimals(0.99996, 0, 0.9), 3);
    numfmt_percent(buf, sizeof buf, 0.99996, numfmt_percent_decimals(0.99996, 0, 0.9));
    assert_string_equal(buf, "99.996%");
    assert_int_equal(numfmt_percent_decimals(1.00004, 1, 0), 3);
    assert_int_equal(numfmt_percent_decimals(0.89999, 0, 0.9), 3);
    assert_int_equal(numfmt_percent_decimals(1.1635, 2, 0.9), 2);
    assert_int_equal(numfmt_percent_decimals(1.0, 0, 0.9), 0);
    assert_int_equal(numfmt_percent_decimals(0.9, 0, 0.9), 0);
}

static void test_fixed_edge(void **state)
{
    (void)state;
    char buf[8];
    size_t n = numfmt_fixed(buf, sizeof buf, 123456789.5, 1, true);
    assert_int_equal(n, strlen("123,456,789.5"));     /* length needed */
    assert_int_equal(strlen(buf), 7);                 /* truncated, terminated */
    char big[512];
    numfmt_fixed(big, sizeof big, 1e300, 2, false);
    assert_int_equal(strlen(big), 304);
    numfmt_fixed(big, sizeof big, INFINITY, 2, false);
    assert_string_equal(big, "—");
    /* a locale with a decimal comma must not leak into the output */
    if (setlocale(LC_NUMERIC, "de_DE.UTF-8") || setlocale(LC_NUMERIC, "fr_FR.UTF-8")) {
        numfmt_fixed(big, sizeof big, 1234.5, 1, true);
        assert_string_equal(big, "1,234.5");
        setlocale(LC_NUMERIC, "C");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ticks_ranges),
        cmocka_unit_test(test_ticks_examples),
        cmocka_unit_test(test_ticks_degenerate),
        cmocka_unit_test(test_format_plain_thousands),
        cmocka_unit_test(test_format_chinese),
        cmocka_unit_test(test_unit_prefix_axis),
        cmocka_unit_test(test_decimals_of),
        cmocka_unit_test(test_percent),
        cmocka_unit_test(test_fixed_edge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
