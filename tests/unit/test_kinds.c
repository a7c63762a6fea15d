/*
 * test_kinds.c — line charts, bars with lines on a second axis, pies and
 * donuts (issue #14), through the internal API, and the pure functions
 * they rest on (largest-remainder shares, ticks that need not hold zero).
 *
 * For each chart at several widths, automatic and fixed heights, checks:
 * every text inside the chart box, no two texts overlapping, every
 * category (pie: every slice) labelled exactly once and whole, no label
 * under 7 pt, the printed pie percentages adding up to 100.0, nulls as
 * gaps (no segment or marker), both axes' zero lines at the same height,
 * the break mark when the axis does not start at zero, and that the SVG
 * export holds the new shapes.  BRIEF_CHART_DUMP=DIR writes PNGs.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "brief.h"
#include "chart/chart.h"
#include "chart/chart_build.h"
#include "chart/chart_internal.h"
#include "chart_fixtures.h"
#include "chart_checks.h"

static brief_engine *engine;

/* ---- pure functions ---- */

static void test_largest_remainder_sums_to_100(void **state)
{
    (void)state;
    /* three equal thirds: 33.3 + 33.3 + 33.4 */
    double v[] = {1, 1, 1};
    long long u[3];
    chart_largest_remainder(v, 3, 1, u);
    assert_int_equal(u[0] + u[1] + u[2], 1000);
    assert_true(u[0] == 333 || u[0] == 334);
    /* 12 slices, 5 of them thin: still exactly 100.0 */
    double w[] = {30.2, 21.7, 12.3, 9.5, 7.6, 6.1, 4.8, 1.9, 1.7, 1.5, 1.2, 0.9};
    long long x[12];
    chart_largest_remainder(w, 12, 1, x);
    long long s = 0;
    for (int i = 0; i < 12; i++)
        s += x[i];
    assert_int_equal(s, 1000);
    /* the remainders decide: 2/7 = 28.571…, 5/7 = 71.428… → 28.6 + 71.4 */
    double y[] = {2, 5};
    long long z[2];
    chart_largest_remainder(y, 2, 1, z);
    assert_int_equal(z[0], 286);
    assert_int_equal(z[1], 714);
    /* a case where rounding each share alone gives 100.1: 3 × 1/3 at 0
     * decimals gives 33+33+34, each rounded alone would be 33+33+33 */
    chart_largest_remainder(v, 3, 0, u);
    assert_int_equal(u[0] + u[1] + u[2], 100);
    /* zeros stay zero, an all-zero input gives zeros */
    double q[] = {0, 4, 0};
    chart_largest_remainder(q, 3, 1, u);
    assert_int_equal(u[0], 0);
    assert_int_equal(u[1], 1000);
    double zero[] = {0, 0};
    chart_largest_remainder(zero, 2, 1, u);
    assert_int_equal(u[0] + u[1], 0);
}

static void test_range_ticks(void **state)
{
    (void)state;
    tick_set t;
    /* far from zero: 95.3 .. 108.6 gives ticks around the data, not from 0 */
    assert_true(chart_range_ticks(95.3, 108.6, 6, false, &t));
    assert_true(t.lo > 0 && t.lo <= 95.3 && t.hi >= 108.6);
    assert_true(t.count - 1 <= 6);
    /* with zero asked for, zero is a tick */
    assert_true(chart_range_ticks(95.3, 108.6, 6, true, &t));
    assert_true(t.lo == 0);
    /* all negative, far from zero */
    assert_true(chart_range_ticks(-48, -31, 5, false, &t));
    assert_true(t.hi < 0 && t.hi >= -31 && t.lo <= -48 && t.count - 1 <= 5);
    /* one value */
    assert_true(chart_range_ticks(7, 7, 5, false, &t));
    assert_true(t.lo < 7 && t.hi > 7);
}

/* ---- charts ---- */

static bool overlap(const chart_text *a, const chart_text *b)
{
    return a->x0 < b->x1 - 0.01 && b->x0 < a->x1 - 0.01 && a->y0 < b->y1 - 0.01 &&
           b->y0 < a->y1 - 0.01;
}

/* The invariants every chart of this file keeps; failures printed. */
/* min_pt: 7 pt at a free height; a fixed height is the box exactly, and a
 * chart that needs more is scaled into it (never under CHART_MIN_PT). */
static int check(const fx_chart *f, const chart_layout *cl, double W, double min_pt,
                 const char *tag)
{
    int fails = 0;
    double H = chart_layout_height(cl);
    size_t nt = chart_layout_text_count(cl);
    for (size_t i = 0; i < nt; i++) {
        const chart_text *t = chart_layout_text(cl, i);
        if (t->x0 < -0.01 || t->y0 < -0.01 || t->x1 > W + 0.01 || t->y1 > H + 0.01)
            FAIL("%s '%s' outside the chart", role_name(t->role), t->text);
        if (t->size_pt < min_pt - 0.01)
            FAIL("%s '%s' at %.1f pt (under %.0f pt)", role_name(t->role), t->text, t->size_pt,
                 min_pt);
        for (size_t j = i + 1; j < nt; j++) {
            const chart_text *u = chart_layout_text(cl, j);
            if (overlap(t, u))
                FAIL("%s '%s' overlaps %s '%s'", role_name(t->role), t->text, role_name(u->role),
                     u->text);
        }
    }
    /* no value label touches a line's marker; a bar's label keeps 1 pt
     * from it (lifted clear of a point sitting on its bar) */
    for (size_t i = 0; i < nt; i++) {
        const chart_text *t = chart_layout_text(cl, i);
        if (t->role != CHART_TEXT_VALUE)
            continue;
        bool bar = f->spec.kind == CHART_BAR && t->series < (int)f->spec.nvalues;
        double g = bar ? 1.0 : 0.5;
        for (size_t k = 0; k < cl->nshapes; k++) {
            const chart_shape *m = &cl->shapes[k];
            if (m->kind == CHART_SHAPE_CIRCLE &&
                boxes_overlap(t->x0, t->y0, t->x1, t->y1, m->x0 - m->r1 - g, m->y0 - m->r1 - g,
                              m->x0 + m->r1 + g, m->y0 + m->r1 + g, 0))
                FAIL("value label '%s' touches the marker at (%.1f, %.1f)", t->text, m->x0,
                     m->y0);
        }
    }
    fails += labels_crossed(cl, tag);
    const dataset *d = f->spec.data;
    for (size_t r = 0; r < d->nrows; r++) {
        const char *want = dataset_cell(d, r, 0)->text;
        int seen = 0;
        for (size_t i = 0; i < nt; i++) {
            const chart_text *t = chart_layout_text(cl, i);
            if (t->role == CHART_TEXT_CATEGORY && t->index == (int)r) {
                seen++;
                if (strncmp(t->text, want, strlen(want)) != 0)
                    FAIL("category %zu reads '%s', not '%s'", r, t->text, want);
            }
        }
        bool merged = f->spec.kind == CHART_PIE && f->spec.other_below > 0 && seen == 0;
        if (seen != 1 && !merged)
            FAIL("category '%s' labelled %d times", want, seen);
    }
    return fails;
}

/* Sum of the pie labels' percentages, in tenths. */
static long pie_sum(const chart_layout *cl)
{
    long sum = 0;
    for (size_t i = 0; i < chart_layout_text_count(cl); i++) {
        const chart_text *t = chart_layout_text(cl, i);
        if (t->role != CHART_TEXT_CATEGORY)
            continue;
        const char *sp = strrchr(t->text, ' ');
        if (!sp)
            sp = strrchr(t->text, '\n');
        assert_non_null(sp);
        double v = strtod(sp + 1, NULL);
        sum += lround(v * 10);
    }
    return sum;
}


static fx_chart *monthly(void)
{
    static const char *const cats[] = {
        "2019年1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月",
        "2020年1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"};
    /* unique category names: the checker finds each row's label */
    static char names[24][32];
    static const char *ptr[24];
    for (int i = 0; i < 24; i++) {
        snprintf(names[i], sizeof names[i], "%s", cats[i]);
        ptr[i] = names[i];
    }
    double v[48];
    for (int i = 0; i < 24; i++) {
        v[2 * i] = 5.5 + 2.5 * sin(i / 3.0) + (i == 13 ? -9.8 : 0);
        v[2 * i + 1] = 3.1 + 1.8 * cos(i / 4.0);
    }
    v[2 * 14 + 1] = FX_NULL;   /* a gap */
    static const char *const series[] = {"规模以上工业增加值", "固定资产投资"};
    fx_chart *f = fx_new("monthly", CHART_LINE, ORIENT_VERTICAL, 24, 2, ptr, v, series);
    fx_set(&f->spec.unit, "%");
    fx_set(&f->spec.title, "2019—2020年各月累计增速");
    return f;
}

static fx_chart *far_line(void)
{
    static const char *const years[] = {"2016年", "2017年", "2018年", "2019年", "2020年"};
    static const double v[] = {101.2, 103.5, 104.1, 106.8, 108.6};
    static const char *const s[] = {"居民消费价格指数"};
    fx_chart *f = fx_new("far", CHART_LINE, ORIENT_VERTICAL, 5, 1, years, v, s);
    fx_set(&f->spec.title, "居民消费价格指数（上年=100）");
    double refs[] = {105};
    const char *labels[] = {"调控目标"};
    fx_refs(f, 1, refs, labels);
    return f;
}

static fx_chart *combo(bool negative)
{
    static const char *const years[] = {"2016年", "2017年", "2018年", "2019年", "2020年"};
    double v[] = {186.4, 7.9, 203.1, 9.0, 221.5, 9.1, 240.2, 8.4, negative ? 231.0 : 252.7,
                  negative ? -3.8 : 5.2};
    static const char *const s[] = {"地区生产总值", "增长(%)"};
    fx_chart *f = fx_new(negative ? "combo-neg" : "combo", CHART_BAR, ORIENT_VERTICAL, 5, 2,
                         years, v, s);
    f->spec.nvalues = 1;
    f->spec.nlines = 1;
    f->spec.line_cols = calloc(1, sizeof *f->spec.line_cols);
    f->spec.line_cols[0] = 2;
    fx_set(&f->spec.unit, "亿元");
    fx_set(&f->spec.title, "2016—2020年地区生产总值及其增长速度");
    return f;
}

static fx_chart *pie(bool donut)
{
    static const char *const cats[] = {"装备制造", "石油化工", "生物医药", "新材料", "汽车及零部件",
                                       "现代物流", "电子信息", "食品加工", "纺织服装", "建材",
                                       "文化旅游", "其他服务业"};
    static const double v[] = {30.2, 21.7, 12.3, 9.5, 7.6, 6.1, 4.8, 1.9, 1.7, 1.5, 1.2, 0.9};
    static const char *const s[] = {"增加值"};
    fx_chart *f = fx_new(donut ? "donut" : "pie12", CHART_PIE, ORIENT_VERTICAL, 12, 1, cats, v, s);
    fx_set(&f->spec.unit, "亿元");
    fx_set(&f->spec.title, donut ? "2020年分行业增加值构成" : "分行业增加值占比");
    f->spec.donut = donut;
    f->spec.hole_total = donut;
    return f;
}

static int run(fx_chart *f, const char *name)
{
    static const double widths[] = {MM_TO_PT(160), MM_TO_PT(120), MM_TO_PT(90)};
    int fails = 0;
    for (int wi = 0; wi < 3; wi++)
        for (int fixed = 0; fixed < 2; fixed++) {
            double W = widths[wi], H = fixed ? MM_TO_PT(70) : 0;
            brief_diag *d = brief_diag_new();
            chart_layout *cl = chart_layout_build(engine, &f->spec, W, H, fixed, "t.json", d);
            assert_non_null(cl);
            char tag[128];
            snprintf(tag, sizeof tag, "%s-%dmm%s", name, (int)lround(W * 25.4 / 72),
                     fixed ? "-fixed" : "");
            fails += check(f, cl, W, fixed ? CHART_MIN_PT : CHART_SMALL_PT, tag);
            if (f->spec.kind == CHART_PIE && f->spec.other_below == 0) {
                long s = pie_sum(cl);
                if (s != 1000) {
                    fails++;
                    print_error("%s: percentages add up to %ld tenths\n", tag, s);
                }
            }
            dump_png(cl, tag, W);
            chart_layout_free(cl);
            brief_diag_free(d);
        }
    return fails;
}

static void test_line_monthly(void **state)
{
    (void)state;
    fx_chart *f = monthly();
    assert_int_equal(run(f, "monthly"), 0);
    /* the null is a gap: no segment from or to row 14 of series 2, and the
     * note says so */
    chart_layout *cl = chart_layout_build(engine, &f->spec, MM_TO_PT(160), 0, false, "t", NULL);
    size_t markers = 0, segs = 0;
    bool note = false;
    for (size_t i = 0; i < chart_layout_shape_count(cl); i++) {
        const chart_shape *s = chart_layout_shape(cl, i);
        markers += s->role == CHART_ROLE_MARKER;
        segs += s->role == CHART_ROLE_SERIES;
    }
    for (size_t i = 0; i < chart_layout_text_count(cl); i++)
        note |= strstr(chart_layout_text(cl, i)->text, "数据缺失") != NULL;
    assert_int_equal(markers, 47);
    assert_int_equal(segs, 46 - 2);
    assert_true(note);
    chart_layout_free(cl);
    fx_free(f);
}

static void test_line_labels_modes(void **state)
{
    (void)state;
    fx_chart *f = far_line();
    assert_int_equal(run(f, "far"), 0);
    chart_labels modes[] = {LABELS_ALL, LABELS_LAST, LABELS_NONE};
    size_t want[] = {5, 1, 0};
    for (int m = 0; m < 3; m++) {
        f->spec.labels = modes[m];
        chart_layout *cl = chart_layout_build(engine, &f->spec, MM_TO_PT(140), 0, false, "t", NULL);
        size_t values = 0, breaks = 0;
        for (size_t i = 0; i < chart_layout_text_count(cl); i++)
            values += chart_layout_text(cl, i)->role == CHART_TEXT_VALUE;
        for (size_t i = 0; i < chart_layout_shape_count(cl); i++)
            breaks += chart_layout_shape(cl, i)->role == CHART_ROLE_BREAK;
        assert_int_equal(values, want[m]);
        assert_true(breaks > 0);     /* the axis does not start at zero */
        chart_layout_free(cl);
    }
    fx_free(f);
}

/* y of the baseline (the zero line) and of the right axis's "0" tick. */
/* Cangzhou's GDP and growth: the 2019 point sits on its bar's label. */
static fx_chart *combo_gdp(void)
{
    static const char *const years[] = {"2016年", "2017年", "2018年", "2019年", "2020年"};
    double v[] = {142.6, 8.7, 158.3, 9.6, 171.9, 8.1, 186.4, 7.5, 192.8, 3.2};
    static const char *const s[] = {"地区生产总值", "比上年增长(%)"};
    fx_chart *f = fx_new("combo-gdp", CHART_BAR, ORIENT_VERTICAL, 5, 2, years, v, s);
    f->spec.nvalues = 1;
    f->spec.nlines = 1;
    f->spec.line_cols = calloc(1, sizeof *f->spec.line_cols);
    f->spec.line_cols[0] = 2;
    fx_set(&f->spec.unit, "亿元");
    return f;
}

static void test_combo_labels_clear_of_markers(void **state)
{
    (void)state;
    fx_chart *f = combo_gdp();
    assert_int_equal(run(f, "combo-gdp"), 0);
    fx_free(f);
}

static void test_combo_zero_lines(void **state)
{
    (void)state;
    for (int neg = 0; neg < 2; neg++) {
        fx_chart *f = combo(neg);
        assert_int_equal(run(f, neg ? "combo-neg" : "combo"), 0);
        chart_layout *cl = chart_layout_build(engine, &f->spec, MM_TO_PT(150), 0, false, "t", NULL);
        double zl = NAN, zr = NAN;
        size_t lines = 0;
        for (size_t i = 0; i < chart_layout_text_count(cl); i++) {
            const chart_text *t = chart_layout_text(cl, i);
            if (t->role == CHART_TEXT_TICK && strcmp(t->text, "0") == 0) {
                if (t->index < TICKS_MAX)
                    zl = (t->y0 + t->y1) / 2;
                else
                    zr = (t->y0 + t->y1) / 2;
            }
            lines += t->role == CHART_TEXT_LEGEND;
        }
        assert_false(isnan(zl));
        assert_false(isnan(zr));
        assert_true(fabs(zl - zr) < 0.01);
        assert_int_equal(lines, 2);   /* bars and line both in the legend */
        chart_layout_free(cl);
        fx_free(f);
    }
}

static void test_pie_and_donut(void **state)
{
    (void)state;
    fx_chart *f = pie(false);
    assert_int_equal(run(f, "pie12"), 0);
    f->spec.other_below = 0.02;
    assert_int_equal(run(f, "pie-other"), 0);
    chart_layout *cl = chart_layout_build(engine, &f->spec, MM_TO_PT(150), 0, false, "t", NULL);
    size_t slices = 0;
    bool other = false;
    for (size_t i = 0; i < chart_layout_shape_count(cl); i++)
        slices += chart_layout_shape(cl, i)->role == CHART_ROLE_SLICE;
    for (size_t i = 0; i < chart_layout_text_count(cl); i++)
        other |= strncmp(chart_layout_text(cl, i)->text, "其他 ", 7) == 0;
    assert_int_equal(slices, 8);   /* 7 above 2 % and 其他 */
    assert_true(other);
    assert_int_equal(pie_sum(cl), 1000);
    chart_layout_free(cl);
    fx_free(f);

    f = pie(true);
    assert_int_equal(run(f, "donut"), 0);
    cl = chart_layout_build(engine, &f->spec, MM_TO_PT(150), 0, false, "t", NULL);
    bool total = false;
    for (size_t i = 0; i < chart_layout_text_count(cl); i++)
        total |= strstr(chart_layout_text(cl, i)->text, "合计") != NULL;
    assert_true(total);
    GString *svg = chart_layout_svg(cl, MM_TO_PT(150), chart_layout_height(cl), true, "d");
    assert_non_null(svg);
    assert_non_null(strstr(svg->str, " A "));   /* the slices' arcs */
    g_string_free(svg, TRUE);
    chart_layout_free(cl);
    fx_free(f);
}

static int setup(void **state)
{
    (void)state;
    (void)fx_names;
    brief_diag *d = brief_diag_new();
    engine = brief_engine_new(NULL, d);
    brief_diag_free(d);
    return engine ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    brief_engine_free(engine);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_largest_remainder_sums_to_100),
        cmocka_unit_test(test_range_ticks),
        cmocka_unit_test(test_line_monthly),
        cmocka_unit_test(test_line_labels_modes),
        cmocka_unit_test(test_combo_zero_lines),
        cmocka_unit_test(test_combo_labels_clear_of_markers),
        cmocka_unit_test(test_pie_and_donut),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
