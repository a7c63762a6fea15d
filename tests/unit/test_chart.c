/*
 * test_chart.c — layout invariants of charts, through the internal API.
 *
 * For a stress set of specs (long labels, 1/30/50 categories, grouped with
 * long series names, stacks, negatives, nulls, tiny and huge values,
 * completion with plan 0, references, legends, themes) at widths from 40 to
 * 170 mm, automatic and fixed heights, checks what chart.h promises:
 *   - every category label is there, whole (its text is the category);
 *   - every text box lies inside the chart box, at least 2.5 pt from its
 *     edge (labels never touch the edge of an exported image);
 *   - no two text boxes overlap, and no text sits on a bar it does not
 *     belong to (value labels inside their own bar are allowed);
 *   - a given height is the chart's height exactly (a drawing that needs
 *     more is scaled to it, and says so), and warnings say when
 *     the layout had to shrink, rotate, grow or turn the chart.
 * BRIEF_CHART_DUMP=DIR also writes every case as a PNG for eyeballing.
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

#include <unistd.h>

#include <cairo.h>
#include <cairo-pdf.h>

#include "brief.h"
#include "chart/chart.h"
#include "chart/chart_internal.h"
#include "chart_fixtures.h"
#include "chart_checks.h"

static brief_engine *engine;

#define NCASES 40
static fx_chart *cases[NCASES];
static size_t ncases;

static fx_chart *add(fx_chart *f)
{
    if (ncases < NCASES)
        cases[ncases++] = f;
    return f;
}

/* Title, subtitle, note and reference labels given as runs, most of
 * them bold, one a link (test_rich_text).  Han characters are as wide in
 * bold, Latin letters and digits wider: the bold runs hold both. */
#define RICH_LINK "https://example.org/stats"
#define RICH_REF_LABEL "目标 Target"
static void rich_fixture(fx_chart *f)
{
    chart_spec *s = &f->spec;
    static const char *const title[] = {"主导产业", "投资规模 Top 5（加粗）"};
    static const bool title_b[] = {false, true};
    s->title_rich = fx_runs(&s->title, 2, title, title_b, NULL);
    static const char *const sub[] = {"单位：亿元，", "Bold subtitle 2020"};
    static const bool sub_b[] = {false, true};
    s->subtitle_rich = fx_runs(&s->subtitle, 2, sub, sub_b, NULL);
    static const char *const note[] = {
        "资料来源：", "市统计局", " Statistics Bureau 2020–2021 annual data, 说明：本图为示意数据，",
        "不代表实际投资额。"};
    static const bool note_b[] = {false, true, true, false};
    static const char *const note_l[] = {NULL, RICH_LINK, NULL, NULL};
    s->note_rich = fx_runs(&s->note, 4, note, note_b, note_l);
    for (size_t i = 0; i < s->nrefs; i++) {
        static const char *const label[] = {RICH_REF_LABEL};
        static const bool bold[] = {true};
        s->refs[i].label_rich = fx_runs(&s->refs[i].label, 1, label, bold, NULL);
    }
}

static void build_cases(void)
{
    static const char *const sectors[] = {"新材料", "生物医药", "航空航天", "新能源与智能网联汽车",
                                          "汽车及零部件"};
    static const double sec_v[] = {21.7, 12.3, 9.5, 17.6, 32.4};
    static const char *const one[] = {"投资额"};
    fx_chart *f = add(fx_new("sectors", CHART_BAR, ORIENT_HORIZONTAL, 5, 1, sectors, sec_v, one));
    f->spec.sort = SORT_DESCENDING;
    fx_set(&f->spec.unit, "亿元");
    fx_set(&f->spec.title, "主导产业投资规模分布（示意）");
    fx_set(&f->spec.note, "说明：本图为示意数据，非统计数据，仅用于说明版式与产业布局思路，不代表实际投资额。");

    f = add(fx_new("sectors-v", CHART_BAR, ORIENT_VERTICAL, 5, 1, sectors, sec_v, one));
    fx_set(&f->spec.unit, "亿元");
    fx_set(&f->spec.title, "主导产业投资规模分布");

    static const char *const kp[] = {"省重点项目（截至9月）", "市重点项目（截至10月）"};
    static const double kp_v[] = {8.5, 9.89, 10.79, 10.73};
    static const char *const planact[] = {"年度计划", "已完成"};
    f = add(fx_new("completion", CHART_COMPLETION, ORIENT_HORIZONTAL, 2, 2, kp, kp_v, planact));
    fx_set(&f->spec.unit, "亿元");
    fx_set(&f->spec.title, "2020年省、市重点项目投资完成情况");
    fx_set(&f->spec.note, "数据来源：沧州经济开发区公开资料。");

    static const char *const cp[] = {"甲项目", "乙项目（计划为零）", "丙项目（缺完成数）",
                                     "丁项目严重滞后", "戊项目大幅超额完成"};
    static const double cp_v[] = {100, 95.5, 0, 3.2, 80, FX_NULL, 120, 60, 50, 81};
    f = add(fx_new("completion-edge", CHART_COMPLETION, ORIENT_HORIZONTAL, 5, 2, cp, cp_v, planact));
    fx_set(&f->spec.unit, "万元");
    fx_set(&f->spec.title, "完成情况（含计划为零与缺失）");

    f = add(fx_new("completion-v", CHART_COMPLETION, ORIENT_VERTICAL, 5, 2, cp, cp_v, planact));
    fx_set(&f->spec.unit, "万元");

    static const char *const longl[] = {
        "特种作业操作资格证（按人次计）", "食品经营许可", "市场主体登记（含个体工商户）",
        "建设工程规划许可证核发", "不动产登记", "企业投资项目备案",
        "Apollo智能网联示范运营许可", "其他"};
    static const double longl_v[] = {190, 183, 985, 47, 322, 66, 3, 12};
    static const char *const cnt[] = {"办理量"};
    f = add(fx_new("long-v", CHART_BAR, ORIENT_VERTICAL, 8, 1, longl, longl_v, cnt));
    fx_set(&f->spec.unit, "项");
    fx_set(&f->spec.title, "政务服务主要事项办理量（统计至2020年9月21日）");
    f = add(fx_new("long-h", CHART_BAR, ORIENT_HORIZONTAL, 8, 1, longl, longl_v, cnt));
    fx_set(&f->spec.unit, "项");
    f->spec.sort = SORT_ASCENDING;

    double v30[50 * 3];
    for (int i = 0; i < 50 * 3; i++)
        v30[i] = 5 + fmod(i * 37.3, 95.0);
    f = add(fx_new("cats30-v", CHART_BAR, ORIENT_VERTICAL, 30, 1, fx_names("开发区", 30), v30, one));
    fx_set(&f->spec.title, "30个类别");
    f = add(fx_new("cats50-v", CHART_BAR, ORIENT_VERTICAL, 50, 1, fx_names("第", 50), v30, one));
    fx_set(&f->spec.title, "50个类别（竖向）");
    f = add(fx_new("cats50-h", CHART_BAR, ORIENT_HORIZONTAL, 50, 1, fx_names("区县", 50), v30, one));
    f = add(fx_new("months-v", CHART_BAR, ORIENT_VERTICAL, 12, 1, fx_names("月份", 12), v30, one));
    static const char *const two[] = {"投资", "产值"};
    static const double m2[] = {12.5, 16.2, 8.1, 10.5, 9.3, 12.1, 15.2, 19.8, 11.0, 14.3, 7.7, 10.0,
                                10.2, 13.3, 13.3, 17.3, 9.9, 12.9, 12.0, 15.6, 14.4, 18.7, 16.1, 20.9};
    f = add(fx_new("months2-v", CHART_BAR, ORIENT_VERTICAL, 12, 2, fx_names("月份", 12), m2, two));

    static const char *const grp_cats[] = {"2018年", "2019年", "2020年", "2021年（预计）"};
    static const double grp_v[] = {12.5, 30.1, 8.8, 14.2, 35.6, 9.9, 16.0, 41.3, 7.5, 18.9, 47.0, 6.6};
    static const char *const grp_series[] = {"规模以上工业增加值（当年价格）",
                                             "固定资产投资（不含农户）", "社会消费品零售总额"};
    f = add(fx_new("grouped-v", CHART_BAR, ORIENT_VERTICAL, 4, 3, grp_cats, grp_v, grp_series));
    fx_set(&f->spec.unit, "亿元");
    fx_set(&f->spec.title, "主要经济指标");
    f = add(fx_new("grouped-h", CHART_BAR, ORIENT_HORIZONTAL, 4, 3, grp_cats, grp_v, grp_series));
    fx_set(&f->spec.unit, "亿元");
    f->spec.legend = LEGEND_BOTTOM;
    f = add(fx_new("grouped-right", CHART_BAR, ORIENT_VERTICAL, 4, 3, grp_cats, grp_v, grp_series));
    f->spec.legend = LEGEND_RIGHT;
    f->spec.theme_id = THEME_OFFICIAL;
    fx_set(&f->spec.title, "主要经济指标（官方配色）");

    f = add(fx_new("stacked-v", CHART_BAR, ORIENT_VERTICAL, 4, 3, grp_cats, grp_v, grp_series));
    f->spec.stacked = STACK_NORMAL;
    fx_set(&f->spec.unit, "亿元");
    f = add(fx_new("percent-h", CHART_BAR, ORIENT_HORIZONTAL, 4, 3, grp_cats, grp_v, grp_series));
    f->spec.stacked = STACK_PERCENT;

    static const char *const neg_c[] = {"工业", "建筑业", "批发零售", "住宿餐饮", "交通运输", "金融业"};
    static const double neg_v[] = {5.2, -3.1, 1.4, -12.6, 0.8, 2.9};
    static const char *const growth[] = {"增速"};
    f = add(fx_new("negative-v", CHART_BAR, ORIENT_VERTICAL, 6, 1, neg_c, neg_v, growth));
    fx_set(&f->spec.unit, "%");
    fx_set(&f->spec.title, "各行业增加值增速");
    f = add(fx_new("negative-h", CHART_BAR, ORIENT_HORIZONTAL, 6, 1, neg_c, neg_v, growth));
    fx_set(&f->spec.unit, "%");
    f->spec.sort = SORT_DESCENDING;

    static const double null_v[] = {5.2, FX_NULL, 1.4, FX_NULL, 0, 2.9};
    f = add(fx_new("nulls-v", CHART_BAR, ORIENT_VERTICAL, 6, 1, neg_c, null_v, growth));
    fx_set(&f->spec.unit, "%");

    static const double tiny_v[] = {0.001, 0.004, 0.0025, 0.009, 0.0011, 0.003};
    f = add(fx_new("tiny-h", CHART_BAR, ORIENT_HORIZONTAL, 6, 1, neg_c, tiny_v, one));
    static const double huge_v[] = {1e12, 3.5e11, 8e9, 1.2e6, 45000, 0.001};
    f = add(fx_new("huge-plain-h", CHART_BAR, ORIENT_HORIZONTAL, 6, 1, neg_c, huge_v, one));
    fx_set(&f->spec.unit, "元");
    f = add(fx_new("huge-thousands-v", CHART_BAR, ORIENT_VERTICAL, 6, 1, neg_c, huge_v, one));
    f->spec.number_format = NUMBER_THOUSANDS;
    fx_set(&f->spec.unit, "元");
    f = add(fx_new("huge-chinese-v", CHART_BAR, ORIENT_VERTICAL, 6, 1, neg_c, huge_v, one));
    f->spec.number_format = NUMBER_CHINESE;
    fx_set(&f->spec.unit, "元");

    static const double ref_v[] = {10, 10.4};
    static const char *const ref_l[] = {"目标", "上年"};
    f = add(fx_new("refs-v", CHART_BAR, ORIENT_VERTICAL, 5, 1, sectors, sec_v, one));
    fx_refs(f, 2, ref_v, ref_l);
    fx_set(&f->spec.unit, "亿元");
    f = add(fx_new("refs-h", CHART_BAR, ORIENT_HORIZONTAL, 5, 1, sectors, sec_v, one));
    fx_refs(f, 2, ref_v, ref_l);
    fx_set(&f->spec.unit, "亿元");

    static const char *const brk[] = {"新能源\n智能网联汽车", "生物\u200b医药\u200b研发", "单",
                                      "InternationalBusinessMachinesCorporation"};
    static const double brk_v[] = {3, 4, 5, 6};
    f = add(fx_new("breaks-v", CHART_BAR, ORIENT_VERTICAL, 4, 1, brk, brk_v, one));
    f = add(fx_new("breaks-h", CHART_BAR, ORIENT_HORIZONTAL, 4, 1, brk, brk_v, one));

    static const char *const single[] = {"唯一类别"};
    static const double single_v[] = {42};
    f = add(fx_new("single-v", CHART_BAR, ORIENT_VERTICAL, 1, 1, single, single_v, one));
    static const double zero_v[] = {0, 0, 0};
    f = add(fx_new("zeros-v", CHART_BAR, ORIENT_VERTICAL, 3, 1, sectors, zero_v, one));
    f = add(fx_new("empty", CHART_BAR, ORIENT_VERTICAL, 0, 1, sectors, zero_v, one));
    fx_set(&f->spec.title, "空数据");

    /* texts given as runs: bold runs are wider, and must be measured so */
    f = add(fx_new("rich-v", CHART_BAR, ORIENT_VERTICAL, 5, 1, sectors, sec_v, one));
    fx_refs(f, 2, ref_v, ref_l);
    fx_set(&f->spec.unit, "亿元");
    rich_fixture(f);
    f = add(fx_new("rich-h", CHART_BAR, ORIENT_HORIZONTAL, 5, 1, sectors, sec_v, one));
    fx_refs(f, 2, ref_v, ref_l);
    fx_set(&f->spec.unit, "亿元");
    rich_fixture(f);
}

static void free_cases(void)
{
    for (size_t i = 0; i < ncases; i++)
        fx_free(cases[i]);
    ncases = 0;
}

static int setup(void **state)
{
    (void)state;
    brief_diag *d = brief_diag_new();
    engine = brief_engine_new(NULL, d);
    brief_diag_free(d);
    if (!engine)
        return -1;
    build_cases();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free_cases();
    brief_engine_free(engine);
    return 0;
}

static bool inside(double x0, double y0, double x1, double y1, double X0, double Y0, double X1,
                   double Y1, double eps)
{
    return x0 >= X0 - eps && y0 >= Y0 - eps && x1 <= X1 + eps && y1 <= Y1 + eps;
}

/* The blank margin every text keeps from the chart box's edge, pt. */
#define EDGE_PT 2.5

/* Checks one layout; returns the number of failures (printed). */
static int check_layout(const fx_chart *f, const chart_layout *cl, double W, double H, bool fixed,
                        const char *tag)
{
    int fails = 0;
    double CH = chart_layout_height(cl);
    if (fixed && fabs(CH - H) > 0.01)
        FAIL("height %.2f, not the given %.2f", CH, H);
    if (!(CH > 0))
        FAIL("height %.2f", CH);
    size_t nt = chart_layout_text_count(cl), ns = chart_layout_shape_count(cl);
    for (size_t i = 0; i < nt; i++) {
        const chart_text *t = chart_layout_text(cl, i);
        if (!inside(t->x0, t->y0, t->x1, t->y1, 0, 0, W, CH, 0.01))
            FAIL("%s '%s' [%.2f %.2f %.2f %.2f] outside the chart %.2f x %.2f", role_name(t->role),
                 t->text, t->x0, t->y0, t->x1, t->y1, W, CH);
        /* labels never touch the edge of an exported image or a page */
        else if (!inside(t->x0, t->y0, t->x1, t->y1, EDGE_PT, EDGE_PT, W - EDGE_PT, CH - EDGE_PT,
                         0.01))
            FAIL("%s '%s' [%.2f %.2f %.2f %.2f] within %.1f pt of the edge of %.2f x %.2f",
                 role_name(t->role), t->text, t->x0, t->y0, t->x1, t->y1, EDGE_PT, W, CH);
        /* a chart scaled into a given height keeps its sizes before the scale */
        if (t->size_pt / t->scale < CHART_MIN_PT - 0.01)
            FAIL("%s '%s' at %.1f pt", role_name(t->role), t->text, t->size_pt / t->scale);
        for (size_t j = i + 1; j < nt; j++) {
            const chart_text *u = chart_layout_text(cl, j);
            if (boxes_overlap(t->x0, t->y0, t->x1, t->y1, u->x0, u->y0, u->x1, u->y1, 0.01))
                FAIL("%s '%s' overlaps %s '%s'", role_name(t->role), t->text, role_name(u->role),
                     u->text);
        }
        for (size_t j = 0; j < ns; j++) {
            const chart_shape *s = chart_layout_shape(cl, j);
            if (s->kind != CHART_SHAPE_RECT || (s->role != CHART_ROLE_BAR && s->role != CHART_ROLE_TRACK))
                continue;
            if (!boxes_overlap(t->x0, t->y0, t->x1, t->y1, s->x0, s->y0, s->x1, s->y1, 0.01))
                continue;
            bool own_inside = t->role == CHART_TEXT_VALUE && s->index == t->index &&
                              s->role == CHART_ROLE_BAR &&
                              inside(t->x0, t->y0, t->x1, t->y1, s->x0, s->y0, s->x1, s->y1, 0.01);
            if (!own_inside)
                FAIL("%s '%s' lies on a bar of row %d", role_name(t->role), t->text, s->index);
        }
    }
    /* every category label present, whole, exactly once */
    const dataset *d = f->spec.data;
    for (size_t r = 0; r < d->nrows; r++) {
        const char *want = dataset_cell(d, r, f->spec.category_col)->text;
        int seen = 0;
        for (size_t i = 0; i < nt; i++) {
            const chart_text *t = chart_layout_text(cl, i);
            if (t->role == CHART_TEXT_CATEGORY && t->index == (int)r) {
                seen++;
                if (strcmp(t->text, want) != 0)
                    FAIL("category %zu reads '%s', not '%s'", r, t->text, want);
            }
        }
        if (seen != 1)
            FAIL("category '%s' drawn %d times", want, seen);
    }
    /* series names in the legend when there are several */
    if (f->spec.kind == CHART_BAR && f->spec.nvalues > 1 && f->spec.legend != LEGEND_NONE) {
        for (size_t j = 0; j < f->spec.nvalues; j++) {
            const char *want = d->columns[f->spec.value_cols[j]];
            bool found = false;
            for (size_t i = 0; i < nt; i++) {
                const chart_text *t = chart_layout_text(cl, i);
                found |= t->role == CHART_TEXT_LEGEND && strcmp(t->text, want) == 0;
            }
            if (!found)
                FAIL("series '%s' missing from the legend", want);
        }
    }
    if (*f->spec.title) {
        bool found = false;
        for (size_t i = 0; i < nt; i++) {
            const chart_text *t = chart_layout_text(cl, i);
            found |= t->role == CHART_TEXT_TITLE && strcmp(t->text, f->spec.title) == 0;
        }
        if (!found)
            FAIL("title missing");
    }
    fails += labels_crossed(cl, tag);
    for (size_t j = 0; j < ns; j++) {
        const chart_shape *s = chart_layout_shape(cl, j);
        if (s->kind == CHART_SHAPE_LINE && s->width / cl->scale < 0.25)
            FAIL("line of %.2f pt (thinner than a print hairline)", s->width);
        if (!inside(fmin(s->x0, s->x1), fmin(s->y0, s->y1), fmax(s->x0, s->x1),
                    fmax(s->y0, s->y1), 0, 0, W, CH, 0.01))
            FAIL("shape %zu (role %d) [%.2f %.2f %.2f %.2f] outside the chart %.2f x %.2f", j,
                 s->role, s->x0, s->y0, s->x1, s->y1, W, CH);
    }
    return fails;
}

static void test_stress_invariants(void **state)
{
    (void)state;
    static const double widths_mm[] = {40, 50, 60, 90, 120, 170};
    static const double heights_mm[] = {0, 45, 70};
    int fails = 0, runs = 0;
    for (size_t c = 0; c < ncases; c++) {
        for (size_t wi = 0; wi < sizeof widths_mm / sizeof widths_mm[0]; wi++) {
            for (size_t hi = 0; hi < sizeof heights_mm / sizeof heights_mm[0]; hi++) {
                double W = MM_TO_PT(widths_mm[wi]);
                double H = MM_TO_PT(heights_mm[hi]);
                bool fixed = H > 0;
                if (!fixed)
                    chart_natural_size(&cases[c]->spec, W, NULL, &H);
                brief_diag *d = brief_diag_new();
                chart_layout *cl = chart_layout_build(engine, &cases[c]->spec, W, H, fixed, "t", d);
                assert_non_null(cl);
                assert_int_equal(brief_diag_error_count(d), 0);
                char tag[160];
                snprintf(tag, sizeof tag, "%s@%gx%gmm", cases[c]->name, widths_mm[wi],
                         heights_mm[hi]);
                fails += check_layout(cases[c], cl, W, H, fixed, tag);
                runs++;
                if (hi == 0 && (wi == 0 || wi == 4))
                    dump_png(cl, tag, W);
                chart_layout_free(cl);
                brief_diag_free(d);
            }
        }
    }
    print_message("%d layouts checked, %d failures\n", runs, fails);
    assert_int_equal(fails, 0);
}

/* Charts nobody wrote by hand: random kinds, options, labels and values
 * (fixed seed, so a failure reproduces), all checked for the invariants. */
static unsigned long rng_state = 20201117;

static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)((rng_state >> 33) % (n ? n : 1));
}

static void random_label(char *buf, size_t size)
{
    static const char *const parts[] = {
        "开发区", "新材料", "生物医药", "航空航天", "智能网联", "汽车", "零部件", "项目",
        "（截至9月）", "2020年", "第", "12", "季度", "Apollo", "ix35", " ", "、", "，",
        "“十四五”", "《规划》", "R&D", "International", "Center", "\n", "\u200b", "总额",
        "规模以上工业", "增加值", "—", "·", "100%", "1.5亿", "京津冀协同发展", "示范区"};
    size_t n = 1 + rnd(6), len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *p = parts[rnd(sizeof parts / sizeof parts[0])];
        if ((i == 0 || i == n - 1) && (p[0] == ' ' || p[0] == '\n'))
            p = "类";
        size_t l = strlen(p);
        if (len + l + 1 >= size)
            break;
        memcpy(buf + len, p, l + 1);
        len += l;
    }
}

static double random_value(int style)
{
    switch (style) {
    case 0: return rnd(1000) / 10.0;                         /* 0..99.9 */
    case 1: return (double)rnd(2000) - 1000;                 /* negatives */
    case 2: return pow(10, (double)rnd(16) - 3) * (1 + rnd(9));  /* 0.001..1e13 */
    case 3: return rnd(5) == 0 ? NAN : rnd(100) / 4.0;       /* nulls */
    default: return rnd(3) == 0 ? 0 : 0.001 * (1 + rnd(9));  /* tiny and zero */
    }
}

static void test_random_charts(void **state)
{
    (void)state;
    int fails = 0, runs = 0;
    /* BRIEF_CHART_RANDOM=N and BRIEF_CHART_SEED=S for longer runs */
    int count = getenv("BRIEF_CHART_RANDOM") ? atoi(getenv("BRIEF_CHART_RANDOM")) : 400;
    if (getenv("BRIEF_CHART_SEED"))
        rng_state = strtoul(getenv("BRIEF_CHART_SEED"), NULL, 10);
    for (int iter = 0; iter < count; iter++) {
        bool completion = rnd(4) == 0;
        size_t n = 1 + (rnd(3) == 0 ? rnd(50) : rnd(12));
        size_t k = completion ? 2 : 1 + (rnd(2) ? 0 : rnd(5));
        static char labels[50][200];
        static const char *cats[50];
        for (size_t i = 0; i < n; i++) {
            random_label(labels[i], sizeof labels[i]);
            cats[i] = labels[i];
        }
        static char snames[6][200];
        const char *series[6];
        for (size_t j = 0; j < k; j++) {
            random_label(snames[j], sizeof snames[j]);
            size_t l = strlen(snames[j]);          /* distinct: a digit after */
            snames[j][l] = (char)('0' + j);
            snames[j][l + 1] = '\0';
            series[j] = snames[j];
        }
        double vals[50 * 6];
        int style = (int)rnd(5);
        for (size_t i = 0; i < n * k; i++) {
            vals[i] = random_value(style);
            if (completion && !isnan(vals[i]))
                vals[i] = fabs(vals[i]);
        }
        char name[32];
        snprintf(name, sizeof name, "random-%d", iter);
        fx_chart *f = fx_new(name, completion ? CHART_COMPLETION : CHART_BAR,
                             rnd(2) ? ORIENT_VERTICAL : ORIENT_HORIZONTAL, n, k, cats, vals, series);
        f->spec.sort = (chart_sort)rnd(3);
        f->spec.stacked = completion ? STACK_NONE : (chart_stack)rnd(3);
        f->spec.legend = (legend_pos)rnd(5);
        f->spec.number_format = (number_style)rnd(3);
        f->spec.decimals = rnd(3) ? -1 : (int)rnd(4);
        static const char *const units[] = {"", "亿元", "万元", "%", "项", "元"};
        fx_set(&f->spec.unit, units[rnd(6)]);
        if (rnd(2))
            f->spec.theme_id = THEME_OFFICIAL;
        char buf[200];
        if (rnd(4)) {
            random_label(buf, sizeof buf);
            fx_set(&f->spec.title, buf);
        }
        if (rnd(3) == 0) {
            random_label(buf, sizeof buf);
            fx_set(&f->spec.subtitle, buf);
        }
        if (rnd(2)) {
            random_label(buf, sizeof buf);
            fx_set(&f->spec.note, buf);
        }
        if (rnd(4) == 0) {
            double rv[3] = {random_value(style), random_value(0), random_value(1)};
            static const char *const rl[3] = {"目标", "", "上年平均水平"};
            for (int i = 0; i < 3; i++)
                if (isnan(rv[i]))
                    rv[i] = 1;
            fx_refs(f, 1 + rnd(3), rv, rl);
        }
        double W = MM_TO_PT(40 + rnd(131));
        double H = rnd(2) ? 0 : MM_TO_PT(25 + rnd(100));
        bool fixed = H > 0;
        if (!fixed)
            chart_natural_size(&f->spec, W, NULL, &H);
        brief_diag *d = brief_diag_new();
        chart_layout *cl = chart_layout_build(engine, &f->spec, W, H, fixed, "t", d);
        assert_non_null(cl);
        assert_int_equal(brief_diag_error_count(d), 0);
        char tag[96];
        snprintf(tag, sizeof tag, "%s@%.0fx%.0fpt", name, W, fixed ? H : 0);
        int fl = check_layout(f, cl, W, H, fixed, tag);
        if (fl)
            print_error("  %s: kind %d orient %d->%d n %zu k %zu stacked %d legend %d refs %zu "
                        "format %d unit '%s' plot [%.1f %.1f %.1f %.1f]\n",
                        tag, f->spec.kind, f->spec.orientation, cl->orientation, n, k,
                        f->spec.stacked, f->spec.legend, f->spec.nrefs, f->spec.number_format,
                        f->spec.unit, cl->plot_x0, cl->plot_y0, cl->plot_x1, cl->plot_y1);
        if (fl && getenv("BRIEF_CHART_DUMP"))
            dump_png(cl, tag, W);
        fails += fl;
        runs++;
        chart_layout_free(cl);
        brief_diag_free(d);
        fx_free(f);
    }
    print_message("%d random charts checked, %d failures\n", runs, fails);
    assert_int_equal(fails, 0);
}

/* Warnings say what was done, at the chart's JSON path. */
static bool has_warning(brief_diag *d, const char *needle)
{
    for (size_t i = 0; i < brief_diag_count(d); i++) {
        const brief_error *e = brief_diag_get(d, i);
        if (e->severity == BRIEF_WARNING && strstr(e->message, needle) &&
            strcmp(e->path, "body[0]") == 0)
            return true;
    }
    return false;
}

static fx_chart *find_case(const char *name)
{
    for (size_t i = 0; i < ncases; i++)
        if (strcmp(cases[i]->name, name) == 0)
            return cases[i];
    return NULL;
}

static void test_warnings(void **state)
{
    (void)state;
    brief_diag *d = brief_diag_new();
    chart_layout *cl = chart_layout_build(engine, &find_case("nulls-v")->spec, MM_TO_PT(120),
                                          MM_TO_PT(70), true, "t", d);
    assert_true(has_warning(d, "null values shown as gaps"));
    /* a null is a "—" label, never a zero-length bar */
    int dashes = 0;
    for (size_t i = 0; i < chart_layout_text_count(cl); i++) {
        const chart_text *t = chart_layout_text(cl, i);
        if (t->role == CHART_TEXT_VALUE && strcmp(t->text, "—") == 0)
            dashes++;
    }
    assert_int_equal(dashes, 2);
    for (size_t i = 0; i < chart_layout_shape_count(cl); i++) {
        const chart_shape *s = chart_layout_shape(cl, i);
        assert_false(s->role == CHART_ROLE_BAR && (s->index == 1 || s->index == 3));
    }
    chart_layout_free(cl);
    brief_diag_free(d);

    d = brief_diag_new();
    cl = chart_layout_build(engine, &find_case("cats50-v")->spec, MM_TO_PT(120), MM_TO_PT(70),
                            true, "t", d);
    /* 50 labels in 70 mm: drawn scaled into exactly that height, and one
     * warning with the height that holds them at full size */
    assert_true(has_warning(d, "cannot hold"));
    assert_true(has_warning(d, "give at least"));
    assert_true(fabs(chart_layout_height(cl) - MM_TO_PT(70)) < 0.01);
    chart_layout_free(cl);
    brief_diag_free(d);

    /* grouped bars never turn their numbers: 12 months of two series in an
     * A5 column leave their value labels out, with a warning */
    d = brief_diag_new();
    cl = chart_layout_build(engine, &find_case("months2-v")->spec, MM_TO_PT(106), 0, true, "t", d);
    assert_non_null(cl);
    assert_true(has_warning(d, "value labels left out"));
    for (size_t i = 0; i < chart_layout_text_count(cl); i++) {
        const chart_text *t = chart_layout_text(cl, i);
        assert_false(t->role == CHART_TEXT_VALUE && t->rotated);
    }
    chart_layout_free(cl);
    brief_diag_free(d);

    d = brief_diag_new();
    cl = chart_layout_build(engine, &find_case("cats30-v")->spec, MM_TO_PT(170), MM_TO_PT(80),
                            true, "t", d);
    assert_true(has_warning(d, "shrunk") || has_warning(d, "rotated"));
    chart_layout_free(cl);
    brief_diag_free(d);

    /* automatic height: growing is not worth a warning */
    d = brief_diag_new();
    cl = chart_layout_build(engine, &find_case("cats50-h")->spec, MM_TO_PT(120), 100, false, "t", d);
    assert_false(has_warning(d, "grown"));
    assert_true(chart_layout_height(cl) > 50 * 10);
    chart_layout_free(cl);
    brief_diag_free(d);
}

static const chart_text *find_text(const chart_layout *cl, chart_text_role role, const char *s)
{
    for (size_t i = 0; i < chart_layout_text_count(cl); i++) {
        const chart_text *t = chart_layout_text(cl, i);
        if (t->role == role && strcmp(t->text, s) == 0)
            return t;
    }
    return NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* A whole user string in a chart text: valid UTF-8 in both the recorded
 * text and the PangoLayout that draws it. */
static void assert_whole_utf8(const chart_text *t)
{
    assert_true(g_utf8_validate(t->text, -1, NULL));
    assert_true(g_utf8_validate(pango_layout_get_text(t->layout), -1, NULL));
}

/* User strings longer than any fixed buffer come out whole: a 76-byte unit
 * (one ASCII letter, so a cut at 63 bytes falls inside a character) in the
 * axis title and the reference value, a 600-byte reference label. */
static void test_long_user_text(void **state)
{
    (void)state;
    static const char *const cats[] = {"新材料", "生物医药", "航空航天"};
    static const double vals[] = {21.7, 12.3, 9.5};
    static const char *const one[] = {"投资额"};
    GString *unit = g_string_new("x");
    while (unit->len < 76)
        g_string_append(unit, "亿");   /* "亿" after "x" is no magnitude prefix */
    GString *label = g_string_new(NULL);
    while (label->len < 600)
        g_string_append(label, "目标");
    assert_int_equal(unit->len, 76);
    assert_int_equal(label->len, 600);
    for (int o = 0; o < 2; o++) {
        fx_chart *f = fx_new("long-text", CHART_BAR, o ? ORIENT_VERTICAL : ORIENT_HORIZONTAL, 3, 1,
                             cats, vals, one);
        fx_set(&f->spec.unit, unit->str);
        double ref_v = 15;
        const char *ref_l = label->str;
        fx_refs(f, 1, &ref_v, &ref_l);
        brief_diag *d = brief_diag_new();
        chart_layout *cl = chart_layout_build(engine, &f->spec, MM_TO_PT(170), 0, false, "t", d);
        assert_non_null(cl);
        bool saw_ref = false, saw_axis = false;
        for (size_t i = 0; i < chart_layout_text_count(cl); i++) {
            const chart_text *t = chart_layout_text(cl, i);
            assert_whole_utf8(t);
            if (t->role == CHART_TEXT_REFERENCE) {
                saw_ref = true;
                /* "<label> 15.0<unit>" */
                assert_int_equal(strncmp(t->text, label->str, label->len), 0);
                assert_int_equal(t->text[label->len], ' ');
                assert_true(ends_with(t->text, unit->str));
                char *end;
                assert_true(strtod(t->text + label->len + 1, &end) == 15.0);
                assert_string_equal(end, unit->str);
            }
            if (t->role == CHART_TEXT_AXIS_TITLE) {
                saw_axis = true;
                assert_non_null(strstr(t->text, unit->str));
            }
        }
        assert_true(saw_ref);
        assert_true(saw_axis);
        chart_layout_free(cl);
        brief_diag_free(d);
        fx_free(f);
    }
    g_string_free(unit, TRUE);
    g_string_free(label, TRUE);
}

static void test_completion(void **state)
{
    (void)state;
    brief_diag *d = brief_diag_new();
    chart_layout *cl = chart_layout_build(engine, &find_case("completion")->spec, MM_TO_PT(160),
                                          0, false, "t", d);
    assert_non_null(find_text(cl, CHART_TEXT_VALUE, "9.89亿元 · 116.35%"));
    assert_non_null(find_text(cl, CHART_TEXT_VALUE, "10.73亿元 · 99.44%"));
    /* 100 % marks at the plan ends, the over-achieving bar beyond its track */
    int targets = 0;
    const chart_shape *track0 = NULL, *bar0 = NULL;
    for (size_t i = 0; i < chart_layout_shape_count(cl); i++) {
        const chart_shape *s = chart_layout_shape(cl, i);
        targets += s->role == CHART_ROLE_TARGET;
        if (s->index == 0 && s->role == CHART_ROLE_TRACK)
            track0 = s;
        if (s->index == 0 && s->role == CHART_ROLE_BAR)
            bar0 = s;
    }
    assert_int_equal(targets, 2);
    assert_non_null(track0);
    assert_non_null(bar0);
    assert_true(bar0->x1 > track0->x1 + 5);
    chart_layout_free(cl);
    brief_diag_free(d);

    d = brief_diag_new();
    cl = chart_layout_build(engine, &find_case("completion-edge")->spec, MM_TO_PT(160), 0, false,
                            "t", d);
    assert_non_null(find_text(cl, CHART_TEXT_VALUE, "3.2万元 · —"));     /* plan 0 */
    assert_non_null(find_text(cl, CHART_TEXT_VALUE, "—"));               /* actual null */
    assert_non_null(find_text(cl, CHART_TEXT_LEGEND, "完成率低于90%"));
    /* one series, one number of decimals: 60.0 beside 95.5 */
    const chart_text *late = find_text(cl, CHART_TEXT_VALUE, "60.0万元 · 50.0%");
    assert_non_null(late);
    chart_layout_free(cl);
    brief_diag_free(d);
}

/* True when some text of the role reads s. */
static bool has_text(const chart_layout *cl, chart_text_role role, const char *s)
{
    return find_text(cl, role, s) != NULL;
}

/* True when no text of the chart contains s. */
static bool no_text_has(const chart_layout *cl, const char *s)
{
    for (size_t i = 0; i < chart_layout_text_count(cl); i++)
        if (strstr(chart_layout_text(cl, i)->text, s))
            return false;
    return true;
}

/* Every number goes through the one formatter: Excel ROUND on the decimal
 * value, one number of decimals per series, one magnitude per chart, a true
 * minus; "rounding": "half-even" and "minus": "hyphen" as asked. */
static void test_numbers(void **state)
{
    (void)state;
    static const char *const cats[] = {"甲", "乙", "丙", "丁"};
    static const char *const one[] = {"金额"};
    static const double v1[] = {10.85, 3.65, 5.95, -2.45};
    for (int o = 0; o < 2; o++) {
        fx_chart *f = fx_new("round", CHART_BAR, o ? ORIENT_VERTICAL : ORIENT_HORIZONTAL, 4, 1,
                             cats, v1, one);
        f->spec.decimals = 1;
        brief_diag *d = brief_diag_new();
        chart_layout *cl = chart_layout_build(engine, &f->spec, MM_TO_PT(160), 0, false, "t", d);
        assert_true(has_text(cl, CHART_TEXT_VALUE, "10.9"));
        assert_true(has_text(cl, CHART_TEXT_VALUE, "3.7"));
        assert_true(has_text(cl, CHART_TEXT_VALUE, "6.0"));
        assert_true(has_text(cl, CHART_TEXT_VALUE, "\u22122.5"));   /* true minus */
        assert_true(has_text(cl, CHART_TEXT_TICK, "\u22125"));
        chart_layout_free(cl);
        f->spec.rounding = 1;        /* half-even: GB/T 8170 */
        f->spec.minus_hyphen = true;
        cl = chart_layout_build(engine, &f->spec, MM_TO_PT(160), 0, false, "t", d);
        assert_true(has_text(cl, CHART_TEXT_VALUE, "10.8"));
        assert_true(has_text(cl, CHART_TEXT_VALUE, "3.6"));
        assert_true(has_text(cl, CHART_TEXT_VALUE, "-2.4"));
        assert_true(has_text(cl, CHART_TEXT_TICK, "-5"));
        assert_true(no_text_has(cl, "\u2212"));
        chart_layout_free(cl);
        brief_diag_free(d);
        fx_free(f);
    }

    /* one series, one number of decimals, the fewest that show each value */
    static const double v2[] = {28.6, 10.85, 3, 12};
    fx_chart *f = fx_new("series-dec", CHART_BAR, ORIENT_HORIZONTAL, 4, 1, cats, v2, one);
    fx_set(&f->spec.unit, "亿元");
    brief_diag *d = brief_diag_new();
    chart_layout *cl = chart_layout_build(engine, &f->spec, MM_TO_PT(160), 0, false, "t", d);
    assert_true(has_text(cl, CHART_TEXT_VALUE, "28.60亿元"));
    assert_true(has_text(cl, CHART_TEXT_VALUE, "10.85亿元"));
    assert_true(has_text(cl, CHART_TEXT_VALUE, "3.00亿元"));
    chart_layout_free(cl);
    fx_free(f);

    /* the Chinese style: data in 万元, one magnitude (亿元) for labels and
     * axis, never 万元 beside 亿元, never three decimals unless asked */
    static const char *const two[] = {"一季度", "二季度"};
    static const double v3[] = {9420, 18650, 1253980, 388600, 5000, 7000, 3000, 2000};
    f = fx_new("magnitude", CHART_BAR, ORIENT_HORIZONTAL, 4, 2, cats, v3, two);
    fx_set(&f->spec.unit, "万元");
    f->spec.number_format = NUMBER_CHINESE;
    f->spec.stacked = STACK_NORMAL;
    cl = chart_layout_build(engine, &f->spec, MM_TO_PT(160), 0, false, "t", d);
    assert_true(no_text_has(cl, "万元"));
    assert_true(has_text(cl, CHART_TEXT_VALUE, "2.81亿元"));     /* 9420 + 18650 万元 */
    assert_true(has_text(cl, CHART_TEXT_VALUE, "125.40亿元"));   /* 125.398: at most 2 decimals */
    assert_true(has_text(cl, CHART_TEXT_VALUE, "0.50亿元"));     /* not 5000万元 */
    assert_true(has_text(cl, CHART_TEXT_AXIS_TITLE, "单位：亿元"));
    assert_true(has_text(cl, CHART_TEXT_VALUE, "164.26亿元"));   /* the stack total */
    for (size_t i = 0; i < chart_layout_text_count(cl); i++) {
        const chart_text *t = chart_layout_text(cl, i);
        const char *dot = strchr(t->text, '.');
        if (t->role == CHART_TEXT_VALUE && dot)
            assert_true(strspn(dot + 1, "0123456789") <= 2);
    }
    chart_layout_free(cl);
    brief_diag_free(d);
    fx_free(f);
}

/* ---- labels break between words ---- */

#define NBREAK_LABELS 80

typedef struct marked_label {
    char text[256];          /* the label without the marks */
    bool allowed[256];       /* allowed[i]: a line may start at byte i */
} marked_label;

/* The hand-marked labels of tests/unit/data/label_breaks.txt (known misses,
 * '~', left out); returns how many. */
static size_t read_marked_labels(marked_label *out, size_t max)
{
    FILE *fp = fopen("tests/unit/data/label_breaks.txt", "r");
    assert_non_null(fp);
    char line[512];
    size_t n = 0;
    while (n < max && fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#' || line[0] == '~')
            continue;
        marked_label *m = &out[n];
        memset(m, 0, sizeof *m);
        size_t k = 0;
        for (const char *p = line; *p && k + 1 < sizeof m->text; p++) {
            if (*p == '|')
                m->allowed[k] = true;
            else
                m->text[k++] = *p;
        }
        n++;
    }
    fclose(fp);
    return n;
}

/* Every line of a category label starts at a marked break (or after a
 * '\n'), and no line is a single character. */
static void assert_breaks_between_words(const chart_text *t, const marked_label *m)
{
    const char *text = pango_layout_get_text(t->layout);
    assert_string_equal(text, m->text);
    for (GSList *l = pango_layout_get_lines_readonly(t->layout); l; l = l->next) {
        PangoLayoutLine *line = l->data;
        if (line->start_index > 0 && !line->is_paragraph_start && !m->allowed[line->start_index]) {
            fprintf(stderr, "label '%s' broken at byte %d\n", m->text, line->start_index);
            fail();
        }
        int chars = (int)g_utf8_strlen(text + line->start_index, line->length);
        if (chars == 1 && strlen(m->text) > 4) {
            fprintf(stderr, "label '%s': a line of one character\n", m->text);
            fail();
        }
    }
}

/* The 54 hand-marked labels as the categories of horizontal and vertical
 * charts at several widths: wrapped only at their marked breaks. */
static void test_label_breaks(void **state)
{
    (void)state;
    static marked_label labels[NBREAK_LABELS];
    size_t n = read_marked_labels(labels, NBREAK_LABELS);
    assert_true(n >= 40);
    const char *cats[NBREAK_LABELS];
    double vals[NBREAK_LABELS];
    for (size_t i = 0; i < n; i++) {
        cats[i] = labels[i].text;
        vals[i] = (double)(i % 7) + 1;
    }
    static const char *const one[] = {"数值"};
    static const double widths_mm[] = {60, 90, 120, 170};
    size_t checked = 0, wrapped = 0;
    for (int o = 0; o < 2; o++)
        for (size_t w = 0; w < sizeof widths_mm / sizeof *widths_mm; w++) {
            /* vertical: six labels a chart, so they stay upright */
            size_t per = o ? 6 : n;
            for (size_t first = 0; first < n; first += per) {
                size_t cnt = first + per > n ? n - first : per;
                fx_chart *f = fx_new("breaks", CHART_BAR, o ? ORIENT_VERTICAL : ORIENT_HORIZONTAL,
                                     cnt, 1, cats + first, vals + first, one);
                brief_diag *d = brief_diag_new();
                chart_layout *cl = chart_layout_build(engine, &f->spec, MM_TO_PT(widths_mm[w]), 0,
                                                      false, "t", d);
                assert_non_null(cl);
                for (size_t i = 0; i < chart_layout_text_count(cl); i++) {
                    const chart_text *t = chart_layout_text(cl, i);
                    if (t->role != CHART_TEXT_CATEGORY)
                        continue;
                    const marked_label *m = &labels[first + (size_t)t->index];
                    if (has_warning(d, "cut") || t->size_pt < CHART_SMALL_PT)
                        continue;   /* a word longer than the room: the last resort */
                    assert_breaks_between_words(t, m);
                    checked++;
                    wrapped += pango_layout_get_line_count(t->layout) > 1;
                }
                chart_layout_free(cl);
                brief_diag_free(d);
                fx_free(f);
            }
        }
    fprintf(stderr, "label breaks: %zu labels checked, %zu wrapped\n", checked, wrapped);
    assert_true(wrapped > 40);
}

/* Same spec and same box, same drawing: the chart laid out for the brief's
 * PDF (chart_layout_new, the PDF context) and for an export
 * (chart_layout_build) hold the same texts, lines and boxes. */
static void test_brief_matches_export(void **state)
{
    (void)state;
    static const double widths_mm[] = {80, 160};
    size_t compared = 0;
    for (size_t c = 0; c < NCASES && cases[c]; c++)
        for (size_t w = 0; w < 2; w++) {
            const chart_spec *spec = &cases[c]->spec;
            double W = MM_TO_PT(widths_mm[w]), H = 0;
            chart_natural_size(spec, W, NULL, &H);
            brief_diag *d1 = brief_diag_new(), *d2 = brief_diag_new();
            chart_layout *a = chart_layout_new(engine, spec, W, H, "t", d1);
            chart_layout *b = chart_layout_build(engine, spec, W, H, spec->height_pt > 0, "t", d2);
            assert_non_null(a);
            assert_non_null(b);
            assert_true(fabs(chart_layout_height(a) - chart_layout_height(b)) < 1e-6);
            assert_int_equal(chart_layout_text_count(a), chart_layout_text_count(b));
            assert_int_equal(chart_layout_shape_count(a), chart_layout_shape_count(b));
            for (size_t i = 0; i < chart_layout_text_count(a); i++) {
                const chart_text *x = chart_layout_text(a, i), *y = chart_layout_text(b, i);
                assert_string_equal(x->text, y->text);
                assert_string_equal(pango_layout_get_text(x->layout),
                                    pango_layout_get_text(y->layout));
                assert_int_equal(pango_layout_get_line_count(x->layout),
                                 pango_layout_get_line_count(y->layout));
                assert_true(fabs(x->x0 - y->x0) < 1e-6 && fabs(x->y0 - y->y0) < 1e-6 &&
                            fabs(x->x1 - y->x1) < 1e-6 && fabs(x->y1 - y->y1) < 1e-6);
            }
            for (size_t i = 0; i < chart_layout_shape_count(a); i++) {
                const chart_shape *x = chart_layout_shape(a, i), *y = chart_layout_shape(b, i);
                assert_true(fabs(x->x0 - y->x0) < 1e-6 && fabs(x->y0 - y->y0) < 1e-6 &&
                            fabs(x->x1 - y->x1) < 1e-6 && fabs(x->y1 - y->y1) < 1e-6);
            }
            chart_layout_free(a);
            chart_layout_free(b);
            brief_diag_free(d1);
            brief_diag_free(d2);
            compared++;
        }
    fprintf(stderr, "%zu layouts compared between the brief and the export\n", compared);
}

/* Painting draws only what the layout holds, and leaves the context as it
 * found it. */
static void test_paint_state(void **state)
{
    (void)state;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 400, 300);
    cairo_t *cr = cairo_create(s);
    cairo_translate(cr, 10, 20);
    cairo_set_source_rgb(cr, 0.2, 0.4, 0.6);
    cairo_set_line_width(cr, 3.5);
    chart_layout *cl = chart_layout_build(engine, &find_case("grouped-v")->spec, 380, 260, true,
                                          "t", NULL);
    chart_layout_paint(cl, cr);
    assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    double x = 0, y = 0;
    cairo_user_to_device(cr, &x, &y);
    assert_true(fabs(x - 10) < 1e-9 && fabs(y - 20) < 1e-9);
    assert_true(fabs(cairo_get_line_width(cr) - 3.5) < 1e-9);
    double r, g, b, a;
    cairo_pattern_get_rgba(cairo_get_source(cr), &r, &g, &b, &a);
    assert_true(fabs(r - 0.2) < 1e-9 && fabs(b - 0.6) < 1e-9);
    assert_false(cairo_has_current_point(cr));
    chart_layout_free(cl);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

/* The public API: brief_chart_new / measure / draw / export. */
static const char api_doc[] =
    "{\"brief\": 1, \"body\": [{\"type\": \"chart\", \"id\": \"s\", \"kind\": \"bar\","
    " \"orientation\": \"horizontal\", \"title\": \"产业\", \"unit\": \"亿元\","
    " \"data\": {\"columns\": [\"产业\", \"投资额\"], \"rows\": [[\"新材料\", 21.7],"
    " [\"生物医药\", 12.3], [\"航空航天\", 9.5], [\"新能源与智能网联汽车\", 17.6]]},"
    " \"category\": \"产业\", \"values\": [\"投资额\"]}]}";

/* A document of one bar chart with the options opts (a JSON fragment). */
static brief_doc *one_chart(const char *opts, brief_diag *d)
{
    char buf[1024];
    int n = snprintf(buf, sizeof buf,
                     "{\"brief\": 1, \"body\": [{\"type\": \"chart\", \"id\": \"h\", \"kind\": \"bar\","
                     " \"data\": {\"columns\": [\"类\", \"增速\"], \"rows\": [[\"汽车类\", 10.85],"
                     " [\"家电类\", -2.45], [\"金银珠宝类\", 3.65]]}, \"category\": \"类\","
                     " \"values\": [\"增速\"]%s}]}", opts);
    return brief_doc_load_buffer(buf, (size_t)n, "opts.json", d);
}

static bool has_error(brief_diag *d, const char *needle)
{
    for (size_t i = 0; i < brief_diag_count(d); i++)
        if (brief_diag_get(d, i)->severity == BRIEF_ERROR &&
            strstr(brief_diag_get(d, i)->message, needle))
            return true;
    return false;
}

/* "rounding", "minus", "highlight" and "negative_color" from the JSON to
 * the drawing; bad values refused where they are written. */
static void test_chart_options(void **state)
{
    (void)state;
    brief_diag *d = brief_diag_new();
    brief_doc *doc = one_chart(", \"rounding\": \"half-even\", \"minus\": \"hyphen\","
                               " \"decimals\": 1, \"highlight\": [\"汽车类\"],"
                               " \"negative_color\": \"#0a0\"", d);
    assert_non_null(doc);
    const chart_spec *spec = doc->charts[0];
    assert_int_equal(spec->rounding, 1);
    assert_true(spec->minus_hyphen);
    chart_layout *cl = chart_layout_build(engine, spec, MM_TO_PT(120), 0, false, "t", d);
    assert_true(has_text(cl, CHART_TEXT_VALUE, "10.8"));
    assert_true(has_text(cl, CHART_TEXT_VALUE, "-2.4"));
    int accent = 0, green = 0, plain = 0;
    for (size_t i = 0; i < chart_layout_shape_count(cl); i++) {
        const chart_shape *s = chart_layout_shape(cl, i);
        if (s->role != CHART_ROLE_BAR)
            continue;
        if (s->index == 0 && fabs(s->color.r - 0xD5 / 255.0) < 1e-6)
            accent++;
        else if (s->index == 1 && s->color.g > 0.6 && s->color.r < 0.01)
            green++;
        else if (s->index == 2 && fabs(s->color.r - 0x0B / 255.0) < 1e-6)
            plain++;
    }
    assert_int_equal(accent + green + plain, 3);
    chart_layout_free(cl);
    brief_doc_free(doc);
    brief_diag_free(d);

    /* said once in the dataset: the unit, decimals and rounding of its columns */
    static const char ds_doc[] =
        "{\"brief\": 1, \"data\": {\"t\": {\"columns\": [\"类\", \"金额\"],"
        " \"rows\": [[\"甲\", 10.85], [\"乙\", 3]], \"units\": {\"金额\": \"亿元\"},"
        " \"decimals\": {\"金额\": 1}, \"rounding\": \"half-even\"}},"
        " \"body\": [{\"type\": \"chart\", \"id\": \"a\", \"kind\": \"bar\", \"data\": \"t\","
        " \"category\": \"类\", \"values\": [\"金额\"]},"
        " {\"type\": \"chart\", \"id\": \"b\", \"kind\": \"bar\", \"data\": \"t\","
        " \"category\": \"类\", \"values\": [\"金额\"], \"unit\": \"万元\", \"decimals\": 2,"
        " \"rounding\": \"half-away\"}]}";
    d = brief_diag_new();
    doc = brief_doc_load_buffer(ds_doc, sizeof ds_doc - 1, "ds.json", d);
    assert_non_null(doc);
    cl = chart_layout_build(engine, doc->charts[0], MM_TO_PT(120), 0, false, "t", d);
    assert_true(has_text(cl, CHART_TEXT_VALUE, "10.8亿元"));    /* half-even, 1 decimal */
    assert_true(has_text(cl, CHART_TEXT_VALUE, "3.0亿元"));
    chart_layout_free(cl);
    cl = chart_layout_build(engine, doc->charts[1], MM_TO_PT(120), 0, false, "t", d);
    assert_true(has_text(cl, CHART_TEXT_VALUE, "10.85万元"));   /* the chart's own say */
    chart_layout_free(cl);
    brief_doc_free(doc);
    brief_diag_free(d);

    static const char *const bad[][2] = {
        {", \"rounding\": \"bankers\"", "rounding"},
        {", \"minus\": \"dash\"", "minus"},
        {", \"highlight\": [\"汽车\"]", "not a category"},
        {", \"highlight\": \"汽车类\"", "array"},
        {", \"negative_color\": \"red\"", "invalid color"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        d = brief_diag_new();
        doc = one_chart(bad[i][0], d);
        if (!has_error(d, bad[i][1]))
            fprintf(stderr, "%s: no error with '%s'\n", bad[i][0], bad[i][1]);
        assert_null(doc);
        assert_true(has_error(d, bad[i][1]));
        brief_diag_free(d);
    }
}

static bool file_exists(const char *p)
{
    FILE *f = fopen(p, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

static void test_api(void **state)
{
    (void)state;
    brief_diag *d = brief_diag_new();
    brief_doc *doc = brief_doc_load_buffer(api_doc, sizeof api_doc - 1, "api.json", d);
    assert_non_null(doc);
    assert_int_equal(brief_doc_chart_count(doc), 1);
    assert_null(brief_chart_new(engine, doc, "nope", d));
    assert_int_equal(brief_diag_status(d), BRIEF_E_USAGE);
    brief_diag_free(d);

    d = brief_diag_new();
    brief_chart *c = brief_chart_new(engine, doc, "s", d);
    assert_non_null(c);
    double w = 0, h = 0;
    brief_chart_measure(c, 300, &w, &h);
    assert_true(fabs(w - 300) < 1e-9 && h > 60 && h < 300);
    /* by default the brief's text width: A4 with the default margins, on
     * the grid of whole body characters (layout.c), as the brief draws it */
    double tw = 0;
    brief_chart_measure(c, 0, &tw, NULL);
    double size = doc->style.font_size_pt;
    double avail = doc->page.width_pt - doc->page.margin_pt[1] - doc->page.margin_pt[3];
    assert_true(fabs(tw - floor(avail / size + 1e-6) * size) < 1e-9);

    /* drawing into the measured box: no warning; into a short one: scaled */
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 400, 400);
    cairo_t *cr = cairo_create(s);
    assert_int_equal(brief_chart_draw(c, cr, w, h, d), BRIEF_OK);
    assert_int_equal(brief_diag_count(d), 0);
    assert_int_equal(brief_chart_draw(c, cr, w, h / 2, d), BRIEF_OK);
    bool scaled = false;
    for (size_t i = 0; i < brief_diag_count(d); i++)
        scaled |= strstr(brief_diag_get(d, i)->message, "cannot hold") != NULL;
    assert_true(scaled);
    assert_int_equal(brief_diag_error_count(d), 0);
    assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    assert_int_equal(brief_chart_draw(c, cr, 0, h, d), BRIEF_E_USAGE);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    brief_diag_free(d);

    /* export: each format, by extension or option; bad names refused */
    char dir[] = "/tmp/brief-chart-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    static const char *const names[] = {"a.pdf", "a.svg", "a.png", "a.PNG"};
    for (size_t i = 0; i < 4; i++) {
        char p[256];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        d = brief_diag_new();
        assert_int_equal(brief_chart_export(c, p, NULL, d), BRIEF_OK);
        assert_true(file_exists(p));
        remove(p);
        brief_diag_free(d);
    }
    char p[256];
    snprintf(p, sizeof p, "%s/a.gif", dir);
    d = brief_diag_new();
    assert_int_equal(brief_chart_export(c, p, NULL, d), BRIEF_E_USAGE);
    assert_false(file_exists(p));
    brief_export_options opt = {.format = BRIEF_FORMAT_PNG, .width_mm = 50, .height_mm = 30,
                                .dpi = 72, .transparent = 1};
    assert_int_equal(brief_chart_export(c, p, &opt, d), BRIEF_OK);
    cairo_surface_t *png = cairo_image_surface_create_from_png(p);
    assert_int_equal(cairo_surface_status(png), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(png), (int)ceil(MM_TO_PT(50) - 1e-9));
    assert_true(cairo_image_surface_get_height(png) >= (int)MM_TO_PT(30));
    cairo_surface_flush(png);
    /* transparent: the top-right corner pixel has alpha 0 */
    const unsigned char *px = cairo_image_surface_get_data(png);
    int stride = cairo_image_surface_get_stride(png);
    int last = cairo_image_surface_get_width(png) - 1;
    assert_int_equal(px[stride * 0 + 4 * last + 3], 0);
    cairo_surface_destroy(png);
    remove(p);
    opt.dpi = 2400;
    opt.width_mm = 1000;
    opt.height_mm = 1000;
    assert_int_equal(brief_chart_export(c, p, &opt, d), BRIEF_E_DATA);    /* too many pixels: a limit */
    snprintf(p, sizeof p, "%s/missing/a.svg", dir);
    assert_int_equal(brief_chart_export(c, p, NULL, d), BRIEF_E_CANTCREAT);
    brief_diag_free(d);
    assert_int_equal(rmdir(dir), 0);   /* no temporary file left behind */

    brief_chart_free(c);
    brief_doc_free(doc);
}

static cairo_status_t append_bytes(void *closure, const unsigned char *data, unsigned int n)
{
    GString *s = closure;
    g_string_append_len(s, (const char *)data, n);
    return CAIRO_STATUS_SUCCESS;
}

/* The logical widths of a layout's lines added up, pt. */
static double lines_width(PangoLayout *pl)
{
    double w = 0;
    for (int i = 0; i < pango_layout_get_line_count(pl); i++) {
        PangoRectangle log;
        pango_layout_line_get_extents(pango_layout_get_line_readonly(pl, i), NULL, &log);
        w += log.width / (double)PANGO_SCALE;
    }
    return w;
}

static const chart_text *text_of_role(const chart_layout *cl, chart_text_role role)
{
    for (size_t i = 0; i < chart_layout_text_count(cl); i++)
        if (chart_layout_text(cl, i)->role == role)
            return chart_layout_text(cl, i);
    return NULL;
}

/* Runs in a chart's texts (issue #17): the bold runs are measured bold
 * (the same note all in the regular face is narrower or shorter), the
 * texts read as their runs together, and the link is a link annotation
 * in a PDF.  (The invariants of the rich cases: test_stress_invariants.) */
static void test_rich_text(void **state)
{
    (void)state;
    static const char *const sectors[] = {"新材料", "生物医药", "航空航天", "新能源与智能网联汽车",
                                          "汽车及零部件"};
    static const double sec_v[] = {21.7, 12.3, 9.5, 17.6, 32.4};
    static const char *const one[] = {"投资额"};
    static const double ref_v[] = {10};
    static const char *const ref_l[] = {RICH_REF_LABEL};
    fx_chart *rich = fx_new("rich", CHART_BAR, ORIENT_VERTICAL, 5, 1, sectors, sec_v, one);
    fx_chart *plain = fx_new("plain", CHART_BAR, ORIENT_VERTICAL, 5, 1, sectors, sec_v, one);
    fx_refs(rich, 1, ref_v, ref_l);
    fx_refs(plain, 1, ref_v, ref_l);
    rich_fixture(rich);
    fx_set(&plain->spec.subtitle, rich->spec.subtitle);
    fx_set(&plain->spec.note, rich->spec.note);
    double W = MM_TO_PT(60), H = 0;
    chart_natural_size(&rich->spec, W, NULL, &H);
    brief_diag *d = brief_diag_new();
    chart_layout *a = chart_layout_build(engine, &rich->spec, W, H, false, "t", d);
    chart_layout *b = chart_layout_build(engine, &plain->spec, W, H, false, "t", d);
    assert_non_null(a);
    assert_non_null(b);
    const chart_text *na = text_of_role(a, CHART_TEXT_NOTE), *nb = text_of_role(b, CHART_TEXT_NOTE);
    const chart_text *sa = text_of_role(a, CHART_TEXT_SUBTITLE);
    const chart_text *sb = text_of_role(b, CHART_TEXT_SUBTITLE);
    const chart_text *ra = text_of_role(a, CHART_TEXT_REFERENCE);
    const chart_text *rb = text_of_role(b, CHART_TEXT_REFERENCE);
    assert_non_null(na);
    assert_non_null(nb);
    assert_string_equal(na->text, rich->spec.note);
    assert_string_equal(text_of_role(a, CHART_TEXT_TITLE)->text, rich->spec.title);
    /* bold is wider: its lines, end to end, are longer */
    double wa = lines_width(na->layout), wb = lines_width(nb->layout);
    print_message("note: %d lines, %.1f pt of text (bold runs); %d lines, %.1f pt (regular)\n",
                  pango_layout_get_line_count(na->layout), wa,
                  pango_layout_get_line_count(nb->layout), wb);
    assert_true(wa > wb + 1);
    assert_true(na->x1 - na->x0 <= W + 0.01);
    print_message("subtitle: %.1f pt wide (bold run), %.1f pt (regular)\n", sa->x1 - sa->x0,
                  sb->x1 - sb->x0);
    assert_true(sa->x1 - sa->x0 > sb->x1 - sb->x0 + 1);
    assert_true(ra->x1 - ra->x0 > rb->x1 - rb->x0 + 0.5);
    /* the link covers 市统计局 in the note */
    assert_int_equal(na->nlinks, 1);
    assert_int_equal(na->links[0].start, (int)strlen("资料来源："));
    assert_int_equal(na->links[0].end, (int)strlen("资料来源：市统计局"));
    assert_string_equal(na->links[0].uri, RICH_LINK);
    assert_int_equal(nb->nlinks, 0);
    assert_int_equal(check_layout(rich, a, W, H, false, "rich@60mm"), 0);
    /* painted into a PDF: one link annotation to it, over the note's first line */
    GString *pdf = g_string_new(NULL);
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(append_bytes, pdf, W,
                                                                chart_layout_height(a));
    cairo_t *cr = cairo_create(surf);
    chart_layout_paint(a, cr);
    assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    cairo_surface_destroy(surf);
    const char *uri = "/URI (" RICH_LINK ")";
    const char *at = memmem(pdf->str, pdf->len, uri, strlen(uri));
    assert_non_null(at);
    assert_null(memmem(at + 1, pdf->len - (size_t)(at + 1 - pdf->str), uri, strlen(uri)));
    const char *rect = memmem(pdf->str, pdf->len, "/Rect [", 7);
    assert_non_null(rect);
    double x0, y0, x1, y1;
    assert_int_equal(sscanf(rect + 7, "%lf %lf %lf %lf", &x0, &y0, &x1, &y1), 4);
    double Hc = chart_layout_height(a), size = na->size_pt;
    print_message("link rect [%.1f %.1f %.1f %.1f]; note box [%.1f %.1f %.1f %.1f]\n", x0,
                  Hc - y1, x1, Hc - y0, na->x0, na->y0, na->x1, na->y1);
    /* four characters after five, on the note's first line (y up in the PDF) */
    assert_true(fabs(x0 - (na->x0 + 5 * size)) < 1 && fabs(x1 - x0 - 4 * size) < 1.5);
    assert_true(Hc - y1 >= na->y0 - 1 && Hc - y0 <= na->y0 + size * 1.6);
    g_string_free(pdf, TRUE);
    chart_layout_free(a);
    chart_layout_free(b);
    brief_diag_free(d);
    fx_free(rich);
    fx_free(plain);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stress_invariants),
        cmocka_unit_test(test_random_charts),
        cmocka_unit_test(test_warnings),
        cmocka_unit_test(test_completion),
        cmocka_unit_test(test_long_user_text),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_label_breaks),
        cmocka_unit_test(test_brief_matches_export),
        cmocka_unit_test(test_chart_options),
        cmocka_unit_test(test_paint_state),
        cmocka_unit_test(test_api),
        cmocka_unit_test(test_rich_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
