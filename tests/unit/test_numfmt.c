/*
 * test_numfmt.c — nice ticks and number formatting (src/util/numfmt.c).
 *
 * Ticks: 1-2-5 steps for ranges from 0.001 to 1e12, negatives, all-zero,
 * single values; zero always a tick; the domain covers the data; no more
 * intervals than asked; tick values exact in decimal.  Formats: plain,
 * thousands, Chinese magnitudes (万/亿/万亿, folding the unit's prefix),
 * fixed decimals, no "-0", percentages with the data's precision and the
 * guards around 100 % and the threshold.  Decimal rounding on the value
 * as written (Excel ROUND and GB/T 8170 half-even) on every x.x5 from 0.05
 * to 99.95; at most 15 significant digits; one decimals per series, one
 * magnitude per chart; the true minus.
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

#define FMT(expect, v, style_, dec_, unit_)                                   \
    do {                                                                      \
        numfmt f = {.style = (style_), .decimals = (dec_), .unit = (unit_)};  \
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
    numfmt f = {.style = NUMBER_CHINESE, .decimals = 2, .trim = true, .unit = "元"};
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
    assert_int_equal(strlen(big), 301);   /* 15 significant digits, then zeros */
    assert_true(strncmp(big, "1000000000000000000", 19) == 0);
    numfmt_fixed(big, sizeof big, INFINITY, 2, false);
    assert_string_equal(big, "—");
    /* a locale with a decimal comma must not leak into the output */
    if (setlocale(LC_NUMERIC, "de_DE.UTF-8") || setlocale(LC_NUMERIC, "fr_FR.UTF-8")) {
        numfmt_fixed(big, sizeof big, 1234.5, 1, true);
        assert_string_equal(big, "1,234.5");
        setlocale(LC_NUMERIC, "C");
    }
}


/* The values of the issue, both rules, both signs. */
static void test_round_issue_values(void **state)
{
    (void)state;
    static const struct { double v; int d; const char *away, *even; } cases[] = {
        {10.85, 1, "10.9", "10.8"},
        {3.65, 1, "3.7", "3.6"},
        {5.95, 1, "6.0", "6.0"},
        {76.25, 1, "76.3", "76.2"},
        {-2.45, 1, "-2.5", "-2.4"},
        {10.75, 1, "10.8", "10.8"},
        {2.675, 2, "2.68", "2.68"},
        {1.005, 2, "1.01", "1.00"},
        {0.125, 2, "0.13", "0.12"},
        {0.5, 0, "1", "0"},
        {1.5, 0, "2", "2"},
        {2.5, 0, "3", "2"},
        {-0.5, 0, "-1", "0"},
        {9.995, 2, "10.00", "10.00"},
        {1234.5, 0, "1235", "1234"},
        {0.045, 1, "0.0", "0.0"},
        {0.05, 1, "0.1", "0.0"},
        {10.850000001, 1, "10.9", "10.9"},   /* beyond half: up in both */
    };
    char buf[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        numfmt_round(buf, sizeof buf, cases[i].v, cases[i].d, false, NUMFMT_HALF_AWAY,
                     NUMFMT_MINUS_HYPHEN);
        if (strcmp(buf, cases[i].away))
            fail_msg("away %.17g: %s, expected %s", cases[i].v, buf, cases[i].away);
        numfmt_round(buf, sizeof buf, cases[i].v, cases[i].d, false, NUMFMT_HALF_EVEN,
                     NUMFMT_MINUS_HYPHEN);
        if (strcmp(buf, cases[i].even))
            fail_msg("even %.17g: %s, expected %s", cases[i].v, buf, cases[i].even);
    }
    /* numfmt_fixed is half away; the value of what is printed */
    numfmt_fixed(buf, sizeof buf, 10.85, 1, false);
    assert_string_equal(buf, "10.9");
    assert_true(numfmt_rounded(10.85, 1, NUMFMT_HALF_AWAY) == 10.9);
    assert_true(numfmt_rounded(-2.45, 1, NUMFMT_HALF_AWAY) == -2.5);
    assert_true(numfmt_rounded(10.85, 1, NUMFMT_HALF_EVEN) == 10.8);
    /* through numfmt_format and the per-format rounding */
    numfmt f = {.style = NUMBER_PLAIN, .decimals = 1, .unit = "%"};
    numfmt_format(buf, sizeof buf, 76.25, &f);
    assert_string_equal(buf, "76.3%");
    f.rounding = NUMFMT_HALF_EVEN;
    numfmt_format(buf, sizeof buf, 76.25, &f);
    assert_string_equal(buf, "76.2%");
    numfmt c = {.style = NUMBER_CHINESE, .decimals = 1, .unit = "元"};
    numfmt_format(buf, sizeof buf, 108500, &c);
    assert_string_equal(buf, "10.9万元");
}

/* Every x.x5 from 0.05 to 99.95, positive and negative, both rules: the
 * expected digit is computed in integers from the written value. */
static void test_round_every_x_x5(void **state)
{
    (void)state;
    int checked = 0;
    for (int k = 0; k < 1000; k++) {   /* value = k/10 + 0.05 */
        char src[32];
        snprintf(src, sizeof src, "%d.%d5", k / 10, k % 10);
        double v = strtod(src, NULL);
        for (int even = 0; even < 2; even++) {
            int tenths = k + ((even && k % 2 == 0) ? 0 : 1);
            char want[32], got[32], wantneg[40], gotneg[40];
            snprintf(want, sizeof want, "%d.%d", tenths / 10, tenths % 10);
            snprintf(wantneg, sizeof wantneg, "-%s", want);
            numfmt_rounding r = even ? NUMFMT_HALF_EVEN : NUMFMT_HALF_AWAY;
            numfmt_round(got, sizeof got, v, 1, false, r, NUMFMT_MINUS_HYPHEN);
            numfmt_round(gotneg, sizeof gotneg, -v, 1, false, r, NUMFMT_MINUS_HYPHEN);
            if (strcmp(got, want) || strcmp(gotneg, strcmp(want, "0.0") ? wantneg : "0.0"))
                fail_msg("%s (%s): %s / %s, expected %s", src, even ? "half-even" : "half-away",
                         got, gotneg, want);
            checked++;
        }
    }
    assert_int_equal(checked, 2000);
}

/* Nothing past the 15th significant digit: issue #13 item 12. */
static void test_significant_digits_bounded(void **state)
{
    (void)state;
    char buf[512];
    numfmt f = {.style = NUMBER_CHINESE, .decimals = 6, .unit = "亿元"};
    numfmt_format(buf, sizeof buf, 1e15, &f);
    assert_string_equal(buf, "100000000000.000万亿元");
    numfmt_percent(buf, sizeof buf, 1e15 / 1e-10, 2);
    /* 1e27 %: 28 digits, all but the first zero; no fraction */
    assert_string_equal(buf, "1000000000000000000000000000%");
    numfmt_fixed(buf, sizeof buf, 123456789012.3456, 6, false);
    assert_string_equal(buf, "123456789012.346");
    numfmt_fixed(buf, sizeof buf, 0.1 + 0.2, 6, false);
    assert_string_equal(buf, "0.300000");
    numfmt_fixed(buf, sizeof buf, 1234567890123456789.0, 0, true);
    assert_string_equal(buf, "1,234,567,890,123,460,000");
    assert_true(numfmt_exact(999999999999999.0));
    assert_false(numfmt_exact(1e15));
    assert_false(numfmt_exact(NAN));
    /* every printed digit string has at most 15 significant digits */
    for (double v = 1e-6; v < 1e300; v *= 7.3) {
        for (int d = 0; d <= NUMFMT_MAX_DECIMALS; d++) {
            numfmt_fixed(buf, sizeof buf, v * 1.2345678901234567, d, false);
            int sig = 0, seen = 0, trailing_zeros = 0;
            for (const char *p = buf; *p; p++) {
                if (*p < '0' || *p > '9')
                    continue;
                seen |= *p != '0';
                if (seen) {
                    sig++;
                    trailing_zeros = *p == '0' ? trailing_zeros + 1 : 0;
                }
            }
            if (sig - trailing_zeros > NUMFMT_SIG_DIGITS)
                fail_msg("%.17g at %d: %s", v, d, buf);
        }
    }
}

static void test_minus_sign(void **state)
{
    (void)state;
    char buf[64];
    numfmt f = NUMFMT_DEFAULTS;
    f.decimals = 1;
    f.unit = "%";
    numfmt_format(buf, sizeof buf, -2.45, &f);
    assert_string_equal(buf, "\xe2\x88\x92" "2.5%");
    numfmt_format(buf, sizeof buf, -0.01, &f);
    assert_string_equal(buf, "0.0%");                  /* no minus on zero */
    f.minus = NUMFMT_MINUS_HYPHEN;
    numfmt_format(buf, sizeof buf, -2.45, &f);
    assert_string_equal(buf, "-2.5%");
    numfmt g = NUMFMT_DEFAULTS;
    numfmt_percent_ex(buf, sizeof buf, -0.0245, 1, &g);
    assert_string_equal(buf, "\xe2\x88\x92" "2.5%");
    numfmt_percent(buf, sizeof buf, -0.0245, 1);         /* legacy: hyphen */
    assert_string_equal(buf, "-2.5%");
    g.style = NUMBER_CHINESE;
    g.unit = "元";
    numfmt_format(buf, sizeof buf, -25000, &g);
    assert_string_equal(buf, "\xe2\x88\x92" "3万元");   /* -2.5万, half away */
}

static void test_series_decimals(void **state)
{
    (void)state;
    const double a[] = {9.5, 12, 3.25};
    assert_int_equal(numfmt_series_decimals(a, NULL, 3, 1, 2), 2);
    const double b[] = {28.6, 10.85};
    assert_int_equal(numfmt_series_decimals(b, NULL, 2, 1, 2), 2);   /* 28.60 beside 10.85 */
    const double c[] = {24, 100};
    assert_int_equal(numfmt_series_decimals(c, NULL, 2, 1, 2), 0);   /* not 24.00% */
    const double d[] = {125398, 38860};                              /* 万元 in 亿 */
    assert_int_equal(numfmt_series_decimals(d, NULL, 2, 1e4, 2), 2);  /* never 3 */
    assert_int_equal(numfmt_series_decimals(d, NULL, 2, 1e4, 4), 4);  /* unless asked */
    const double e[] = {0.0536, 3.5};                                 /* 亿元 in 万 */
    assert_int_equal(numfmt_series_decimals(e, NULL, 2, 1e-4, 2), 0);
    const double g[] = {1.5, 2.123, NAN};
    const bool skip[] = {false, true, false};
    assert_int_equal(numfmt_series_decimals(g, skip, 3, 1, 2), 1);
    assert_int_equal(numfmt_series_decimals(g, NULL, 0, 1, 2), 0);
    const double h[] = {0.1 + 0.2, 1.1 * 3};
    assert_int_equal(numfmt_series_decimals(h, NULL, 2, 1, 2), 1);
}

static void test_chart_magnitude(void **state)
{
    (void)state;
    numfmt_magnitude m;
    char buf[64];
    numfmt f = NUMFMT_DEFAULTS;
    f.decimals = 2;
    /* the stacked chart of the issue: 9420万元 beside 1.865亿元 -> all 亿元 */
    const double s[] = {9420, 18650};   /* 万元 */
    numfmt_choose_magnitude(s, NULL, 2, "万元", 2, &m);
    assert_string_equal(m.unit, "亿元");
    assert_true(m.divisor == 1e4);
    numfmt_format_magnitude(buf, sizeof buf, 9420, &f, &m, true);
    assert_string_equal(buf, "0.94亿元");
    numfmt_format_magnitude(buf, sizeof buf, 18650, &f, &m, true);
    assert_string_equal(buf, "1.87亿元");
    numfmt_format_magnitude(buf, sizeof buf, 18650, &f, &m, false);
    assert_string_equal(buf, "1.87");
    /* below 1亿: 万元 throughout */
    const double t[] = {0.0536, 0.35};  /* 亿元 */
    numfmt_choose_magnitude(t, NULL, 2, "亿元", 0, &m);
    assert_string_equal(m.unit, "万元");
    f.decimals = 0;
    numfmt_format_magnitude(buf, sizeof buf, 0.0536, &f, &m, true);
    assert_string_equal(buf, "536万元");
    /* rounding reaches the next magnitude */
    const double r[] = {9999.996};      /* 万元 */
    numfmt_choose_magnitude(r, NULL, 1, "万元", 2, &m);
    assert_string_equal(m.unit, "亿元");
    numfmt_choose_magnitude(r, NULL, 1, "万元", 3, &m);
    assert_string_equal(m.unit, "万元");
    /* percentages, zeros, small amounts: the unit as written */
    const double p[] = {45.5, 120000};
    numfmt_choose_magnitude(p, NULL, 2, "%", 1, &m);
    assert_string_equal(m.unit, "%");
    assert_true(m.divisor == 1);
    const double z[] = {0, 0};
    numfmt_choose_magnitude(z, NULL, 2, "亿元", 1, &m);
    assert_string_equal(m.unit, "亿元");
    const double y[] = {9999, 12};
    numfmt_choose_magnitude(y, NULL, 2, "元", 0, &m);
    assert_string_equal(m.unit, "元");
    /* skipped entries do not choose */
    const double q[] = {5e8, 3e4};
    const bool skip[] = {true, false};
    numfmt_choose_magnitude(q, skip, 2, "元", 1, &m);
    assert_string_equal(m.unit, "万元");
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
        cmocka_unit_test(test_round_issue_values),
        cmocka_unit_test(test_round_every_x_x5),
        cmocka_unit_test(test_significant_digits_bounded),
        cmocka_unit_test(test_minus_sign),
        cmocka_unit_test(test_series_decimals),
        cmocka_unit_test(test_chart_magnitude),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
