/*
 * test_text.c — the text engine: normalisation, kinsoku, compression,
 * Han–Latin spacing, flush justification, indent, no lone character,
 * pitch.  Lines are inspected through text_block_line() and the cluster
 * positions of text_internal.h.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "brief.h"
#include "text/engine.h"
#include "text/text.h"
#include "text/text_internal.h"

/* cairo 1.16 leaks 768 bytes when it finishes a PDF surface (plain Pango
 * drawing does too): not ours; keep LeakSanitizer quiet about it only. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libcairo.so.2\n";
}

#define EM 10.5

static brief_engine *engine;
static PangoContext *ctx;

static int setup(void **state)
{
    (void)state;
    engine = brief_engine_new(&(brief_engine_options){.font_dir = "fonts", .system_fallback = 1},
                              NULL);
    if (!engine)
        return -1;
    ctx = engine_context(engine);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    g_object_unref(ctx);
    brief_engine_free(engine);
    return 0;
}

static text_style body(void)
{
    return (text_style){
        .family = FAMILY_SERIF, .size_pt = EM, .weight = 400, .pitch_pt = EM * 1.7,
        .indent_em = 2, .align = TEXT_JUSTIFY, .cjk_latin_space_em = 0.25,
        .normalize_punctuation = true,
    };
}

static text_block *set(const char *s, double width_em, double indent_em)
{
    text_style st = body();
    st.indent_em = indent_em;
    text_block *tb = text_block_new(ctx, &st, s, width_em * EM);
    assert_non_null(tb);
    return tb;
}

/* The characters of line i (a copy). */
static char *line_text(const text_block *tb, int i)
{
    text_line_info li;
    assert_true(text_block_line(tb, i, &li));
    return g_strndup(text_block_text(tb) + li.start, li.length);
}

/* Index of the cluster that starts at byte b (-1 if none). */
static int cluster_at(const text_block *tb, int b)
{
    for (int k = 0; k < text_block_cluster_count(tb); k++) {
        text_cluster_info ci;
        text_block_cluster(tb, k, &ci);
        if (ci.start == b)
            return k;
    }
    return -1;
}

static int cluster_of(const text_block *tb, const char *needle)
{
    const char *t = text_block_text(tb);
    const char *p = strstr(t, needle);
    assert_non_null(p);
    return cluster_at(tb, (int)(p - t));
}

static text_cluster_info cinfo(const text_block *tb, int k)
{
    text_cluster_info ci;
    assert_true(text_block_cluster(tb, k, &ci));
    return ci;
}

/* ---- normalisation ---- */

static void check_norm(const char *in, bool on, const char *want)
{
    char *got = tx_normalize(in, on);
    if (strcmp(got, want) != 0)
        fail_msg("normalise \"%s\": got \"%s\", want \"%s\"", in, got, want);
    g_free(got);
}

static void test_normalise_chinese_context(void **state)
{
    (void)state;
    check_norm("以新发展理念为引领,在危机中育先机", true, "以新发展理念为引领，在危机中育先机");
    check_norm("时间:上午", true, "时间：上午");
    check_norm("为什么?因为;所以!", true, "为什么？因为；所以！");
    check_norm("北京, 上海", true, "北京，上海");          /* typed space dropped */
    check_norm("ix35,全区", true, "ix35，全区");           /* touches Han on the right */
    check_norm("(见下图)", true, "（见下图）");
    check_norm("《暂行办法(修订版)》", true, "《暂行办法（修订版）》");
    check_norm("开发区 (含园区) 的", true, "开发区（含园区）的");
    check_norm("“危”与“机”,在", true, "“危”与“机”，在");   /* through a curly quote */
}

static void test_normalise_latin_context(void **state)
{
    (void)state;
    check_norm("10:30", true, "10:30");
    check_norm("会议于10:30开始", true, "会议于10:30开始");
    check_norm("增长3.5个百分点", true, "增长3.5个百分点");
    check_norm("(1)项目建设清单;(2)项目包联清单", true, "(1)项目建设清单；(2)项目包联清单");
    check_norm("地址是Beijing, China", true, "地址是Beijing, China");
    check_norm("Beijing, China", true, "Beijing, China");
    check_norm("合计1,234,567.89元", true, "合计1,234,567.89元");
    check_norm("版本v2.0(beta)", true, "版本v2.0(beta)");
    check_norm("“Go!”他说", true, "“Go!”他说");
    check_norm("Hello, world!", true, "Hello, world!");
}

static void test_normalise_off_and_whitespace(void **state)
{
    (void)state;
    check_norm("引领,在(修订版)", false, "引领,在(修订版)");
    check_norm("  第一\t段 \t落  两个   空格 ", false, "第一 段 落 两个 空格");
    /* a line break is a forced break, never a space; none at the ends */
    check_norm("\n 第一 \n段\r\n\r\n落\u2028两 \n", false, "第一\n段\n\n落\n两");
    check_norm("", true, "");
    check_norm("\n\n", true, "");
    /* invalid UTF-8 is repaired, not passed on */
    char *got = tx_normalize("ab\xff" "c", true);
    assert_true(g_utf8_validate(got, -1, NULL));
    g_free(got);
}

/* ---- kinsoku ---- */

static const char *const NO_START = "，。、；：？！）」』”’》〉】〕…·%";
static const char *const NO_END = "（「『“‘《〈【〔";

static bool in_set(const char *set, gunichar c)
{
    for (const char *p = set; *p; p = g_utf8_next_char(p))
        if (g_utf8_get_char(p) == c)
            return true;
    return false;
}

static void assert_kinsoku(const text_block *tb)
{
    int n = text_block_line_count(tb);
    for (int i = 0; i < n; i++) {
        char *s = line_text(tb, i);
        g_strchomp(s);
        if (*s) {
            gunichar first = g_utf8_get_char(s);
            gunichar last = g_utf8_get_char(g_utf8_find_prev_char(s, s + strlen(s)));
            if (i > 0 && in_set(NO_START, first))
                fail_msg("line %d starts with a forbidden mark: |%s|", i, s);
            if (i < n - 1 && in_set(NO_END, last))
                fail_msg("line %d ends with an opening mark: |%s|", i, s);
        }
        g_free(s);
    }
}

static void test_kinsoku_crafted(void **state)
{
    (void)state;
    /* each case puts a forbidden mark exactly where a 10-em line would break */
    const char *cases[] = {
        "一二三四五六七八九十，一二三四五六七八九十。",
        "一二三四五六七八九十。”一二三四五六七八九十。",
        "一二三四五六七八九（一二三四五六七八九十）。",
        "一二三四五六七八九“一二三四五六七八九十”。",
        "一二三四五六七八九十……一二三四五六七八九十。",
        "一二三四五六七中南高科·沧州产业新城一期交付。",
        "一二三四五六七八九十%一二三四五六七八九十。",
        "一二三四五六七八九《一二三》四五六七八九十。",
        "一二三四五六七八九十）」』”’》〉】〕、再来。",
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        for (double w = 8; w <= 14; w += 1) {
            text_block *tb = set(cases[k], w, 0);
            assert_kinsoku(tb);
            text_block_free(tb);
        }
    }
}

static void test_curly_quote_does_not_drag(void **state)
{
    (void)state;
    /* Pango keeps 的“ together; we may break before “ */
    text_block *tb = set("一二三四五六七八九的“数据”很好看。", 10, 0);
    char *l0 = line_text(tb, 0);
    assert_string_equal(l0, "一二三四五六七八九的");
    g_free(l0);
    text_block_free(tb);
}

static void test_dash_and_ellipsis(void **state)
{
    (void)state;
    for (double w = 8; w <= 14; w += 0.5) {
        text_block *tb = set("一二三四五六七八九——十一二三四五六七八……九十。", w, 0);
        int n = text_block_line_count(tb);
        for (int i = 0; i + 1 < n; i++) {
            char *a = line_text(tb, i), *b = line_text(tb, i + 1);
            assert_false(g_str_has_suffix(a, "—") && g_str_has_prefix(b, "—"));
            assert_false(g_str_has_prefix(b, "…"));
            g_free(a);
            g_free(b);
        }
        /* —— is exactly 2 em */
        int k = cluster_of(tb, "——");
        text_cluster_info ci = cinfo(tb, k);
        double dash = ci.natural;
        if (ci.end - ci.start == 3)
            dash += cinfo(tb, k + 1).natural;
        assert_float_equal(dash, 2 * EM, 0.01);
        text_block_free(tb);
    }
}

/* ---- compression ---- */

static void test_pair_compression(void **state)
{
    (void)state;
    text_block *tb = set("他说：“好。”然后（“不”）走了，“《报告》”。", 40, 0);
    /* 。” : the full stop gives up its blank, the pair takes 1.5 em */
    text_cluster_info a = cinfo(tb, cluster_of(tb, "。”")), b = cinfo(tb, cluster_of(tb, "。”") + 1);
    assert_float_equal(a.compressed, 0.5 * EM, 0.01);
    assert_float_equal(b.x + b.natural - a.x, 1.5 * EM, 0.15 * EM);
    /* ：“ : the colon gives up its blank */
    assert_float_equal(cinfo(tb, cluster_of(tb, "：“")).compressed, 0.5 * EM, 0.01);
    /* （“ : two opening marks, the second gives up its blank */
    int k = cluster_of(tb, "（“");
    assert_float_equal(cinfo(tb, k).compressed, 0, 0.01);
    assert_float_equal(cinfo(tb, k + 1).compressed, 0.5 * EM, 0.01);
    /* ”） and ）走 */
    assert_float_equal(cinfo(tb, cluster_of(tb, "”）")).compressed, 0.5 * EM, 0.01);
    /* ，“《 : comma, then the second opening mark */
    k = cluster_of(tb, "，“《");
    assert_float_equal(cinfo(tb, k).compressed, 0.5 * EM, 0.01);
    assert_float_equal(cinfo(tb, k + 1).compressed, 0, 0.01);
    assert_float_equal(cinfo(tb, k + 2).compressed, 0.5 * EM, 0.01);
    /* the paragraph's last mark is at a line end: half width */
    k = text_block_cluster_count(tb) - 1;
    assert_float_equal(cinfo(tb, k).compressed, 0.5 * EM, 0.01);
    text_block_free(tb);
}

static void test_line_edge_marks_half_width(void **state)
{
    (void)state;
    for (double w = 9; w <= 16; w += 1) {
        text_block *tb = set("开发区（含园区）签约项目67个，协议投资111.1亿元，《报告》显示，"
                             "“招大引强”的导向已在签约结构中得到体现。",
                             w, 2);
        for (int k = 0; k < text_block_cluster_count(tb); k++) {
            text_cluster_info ci = cinfo(tb, k);
            text_line_info li;
            text_block_line(tb, ci.line, &li);
            gunichar c = g_utf8_get_char(text_block_text(tb) + ci.start);
            bool at_start = ci.start == li.start, at_end = false;
            if (k + 1 == text_block_cluster_count(tb) || cinfo(tb, k + 1).line != ci.line)
                at_end = true;
            if (ci.natural < 0.9 * EM)
                continue;
            if (at_start && ci.line > 0 && in_set(NO_END, c))
                assert_float_equal(ci.compressed, 0.5 * EM, 0.01);
            if (at_end && in_set("，。、；：？！）」』”’》〉】〕", c))
                assert_float_equal(ci.compressed, 0.5 * EM, 0.01);
        }
        text_block_free(tb);
    }
}

/* ---- justification ---- */

static void assert_flush(const text_block *tb, double width_em, double indent_em)
{
    int n = text_block_line_count(tb);
    for (int i = 0; i < n; i++) {
        text_line_info li;
        text_block_line(tb, i, &li);
        double x0 = i == 0 ? indent_em * EM : 0;
        assert_float_equal(li.x_pt, x0, 0.1);
        if (!li.last)
            assert_float_equal(li.x_pt + li.width_pt, width_em * EM, 0.1);
        else
            assert_true(li.x_pt + li.width_pt <= width_em * EM + 0.1);
    }
}

static const char *const SEED =
    "学习是不断进步的法宝。近年来,沧州经济开发区坚持把学习贯穿工作始终,坚定不移贯彻党中央"
    "决策部署和省委、市委工作要求,将全区各项工作与“严细深实快”主题教育相结合,确保政治站位"
    "不偏差。截至目前,共召开中心组学习18次,编辑《领导参阅》(微信版)170余期,《重要文件汇编》"
    "6期,第一时间学习掌握最新的政治、经济、社会动态。";

static void test_flush(void **state)
{
    (void)state;
    for (double w = 10; w <= 46; w += 1) {
        text_block *tb = set(SEED, w, 2);
        assert_flush(tb, w, 2);
        assert_kinsoku(tb);
        text_block_free(tb);
    }
    /* off the character grid too */
    text_block *tb = set(SEED, 23.37, 2);
    assert_flush(tb, 23.37, 2);
    text_block_free(tb);
}

static void test_slack_not_in_one_space(void **state)
{
    (void)state;
    /* Pango puts a line's whole slack into the only ASCII space */
    const char *s = "出台《加强产业塑造 加快动能转换促进经济高质量发展暂行办法（修订版）》，"
                    "明确了招商引资奖励政策。";
    for (double w = 12; w <= 30; w += 1) {
        text_block *tb = set(s, w, 2);
        int k = cluster_of(tb, " ");
        text_cluster_info sp = cinfo(tb, k);
        text_line_info li;
        text_block_line(tb, sp.line, &li);
        if (!li.last && sp.start != li.start + li.length - 1)
            assert_true(sp.advance - sp.natural <= 0.1 * EM + 0.01);
        text_block_free(tb);
    }
}

/* ---- Han–Latin ---- */

static void test_han_latin_space(void **state)
{
    (void)state;
    text_block *tb = set("2020年百度Apollo与北京现代ix35合作。", 40, 0);
    int k = cluster_of(tb, "0年");
    assert_float_equal(cinfo(tb, k).glue, 0.25 * EM, 0.001);
    assert_float_equal(cinfo(tb, k + 1).x - cinfo(tb, k).x - cinfo(tb, k).natural, 0.25 * EM,
                       0.001);
    assert_float_equal(cinfo(tb, cluster_of(tb, "度A")).glue, 0.25 * EM, 0.001);
    assert_float_equal(cinfo(tb, cluster_of(tb, "o与")).glue, 0.25 * EM, 0.001);
    assert_float_equal(cinfo(tb, cluster_of(tb, "5合")).glue, 0.25 * EM, 0.001);
    /* no space between digits, nor inside ix35 */
    assert_float_equal(cinfo(tb, cluster_of(tb, "x35")).glue, 0, 0.001);
    text_block_free(tb);

    /* style.cjk_latin_space = 0 disables it */
    text_style st = body();
    st.cjk_latin_space_em = 0;
    tb = text_block_new(ctx, &st, "2020年百度Apollo", 40 * EM);
    assert_float_equal(cinfo(tb, cluster_of(tb, "0年")).glue, 0, 0.001);
    text_block_free(tb);
}

static void test_han_latin_never_at_edge(void **state)
{
    (void)state;
    const char *s = "开发区2020年签约项目67个，百度Apollo与北京现代ix35合作，完成率99.44%。";
    for (double w = 8; w <= 20; w += 0.5) {
        text_block *tb = set(s, w, 0);
        for (int i = 0; i < text_block_line_count(tb); i++) {
            text_line_info li;
            text_block_line(tb, i, &li);
            /* the line's advance ends where its last glyph ends */
            int last = -1;
            for (int k = 0; k < text_block_cluster_count(tb); k++)
                if (cinfo(tb, k).line == i)
                    last = k;
            text_cluster_info ci = cinfo(tb, last);
            assert_float_equal(ci.glue, 0, 1e-9);
            assert_float_equal(li.x_pt + li.width_pt, ci.x + ci.natural - ci.compressed, 0.01);
        }
        text_block_free(tb);
    }
}

/* ---- indent ---- */

static void test_indent_with_opening_quote(void **state)
{
    (void)state;
    text_block *plain = set("抓项目就是抓发展，抓大项目就是抓跨越式发展。", 20, 2);
    text_block *quoted = set("“抓项目就是抓发展，抓大项目就是抓跨越式发展。”他说。", 20, 2);
    text_line_info a, b;
    text_block_line(plain, 0, &a);
    text_block_line(quoted, 0, &b);
    assert_float_equal(a.x_pt, 2 * EM, 0.01);
    assert_float_equal(b.x_pt, 2 * EM, 0.01);
    /* the quote's blank half is gone: its ink starts where 抓's would */
    text_cluster_info q = cinfo(quoted, 0);
    assert_float_equal(q.compressed, 0.5 * EM, 0.01);
    assert_float_equal(cinfo(quoted, 1).x, 2.5 * EM, 0.01);
    text_block_free(plain);
    text_block_free(quoted);
}

/* ---- no lone character ---- */

static int content_chars(const char *s)
{
    int n = 0;
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_isalnum(c))
            n++;
    }
    return n;
}

static void test_no_lone_character(void **state)
{
    (void)state;
    /* 21 characters and a full stop at 10 em: greedy breaking leaves 展。 */
    const char *cases[] = {
        "开发区今年签约项目结构明显改善，投资额持续扩大并稳步发展。",
        "开发区今年签约项目结构明显改善投资额持续扩大稳步发展。",
        "从结果看项目建设总体进度良好各项指标均达到或超过预期目标。",
        "握推进招商引资、项目建设。",
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        for (double w = 10; w <= 30; w += 1) {
            text_block *tb = set(cases[k], w, 2);
            int n = text_block_line_count(tb);
            if (n > 1) {
                char *last = line_text(tb, n - 1);
                if (content_chars(last) < 2)
                    fail_msg("lone character at %.0f em: |%s|", w, last);
                g_free(last);
            }
            assert_flush(tb, w, 2);
            text_block_free(tb);
        }
    }
}

/* ---- forced breaks, numbers, holes (issue #11) ---- */

static void test_forced_line_break(void **state)
{
    (void)state;
    const text_align aligns[] = {TEXT_JUSTIFY, TEXT_LEFT, TEXT_CENTER};
    for (size_t a = 0; a < 3; a++) {
        text_style st = body();
        st.align = aligns[a];
        text_block *tb = text_block_new(ctx, &st, "第一行\n第二行比较长，长到要在十个字宽的行里折行才行。", 10 * EM);
        assert_true(text_block_line_count(tb) >= 3);
        char *l0 = line_text(tb, 0);
        assert_string_equal(l0, "第一行\n");
        g_free(l0);
        text_line_info li;
        assert_true(text_block_line(tb, 0, &li));
        assert_true(li.last);   /* not justified */
        assert_true(text_block_line(tb, 1, &li));
        if (aligns[a] != TEXT_CENTER)
            assert_true(li.x_pt < 0.01);   /* a new line, not a new paragraph: no indent */
        text_block_free(tb);
    }
    /* two breaks: an empty line; a paragraph that fits one line still breaks */
    text_block *tb = set("甲\n\n乙", 30, 0);
    assert_int_equal(text_block_line_count(tb), 3);
    text_block_free(tb);
}

static bool is_digit_char(gunichar c)
{
    return c >= '0' && c <= '9';
}

/* GB/T 15835: a range (1—9月, 2019—2020年, 3～5) is never split; a number
 * stays with the unit written after it where the line has room: over 32
 * measures of a paragraph dense with dates, at most two such breaks (where
 * keeping it would cost a line tightened hard). */
static void test_numbers_kept_together(void **state)
{
    (void)state;
    const char *text = "今年1—9月，全区规模以上工业增加值同比增长6.8%，比1—8月提高0.4个百分点；"
                       "项目计划于2019—2020年分两期建设，一期工程已于2020年10月3日开工，"
                       "总投资约3～5亿元，活动出现在10月3日、11月15日和12月20日三个时间点。";
    int unit_splits = 0;
    for (double w = 15; w <= 46; w += 1) {
        text_block *tb = set(text, w, 2);
        const char *t = text_block_text(tb);
        for (int i = 0; i + 1 < text_block_line_count(tb); i++) {
            text_line_info li;
            text_block_line(tb, i, &li);
            const char *end = t + li.start + li.length;
            gunichar last = g_utf8_get_char(g_utf8_prev_char(end)), next = g_utf8_get_char(end);
            bool range = last == 0x2014 || last == 0xFF5E || next == 0x2014 || next == 0xFF5E;
            if (is_digit_char(last) && !range && next != 0xFF0C && next != 0x3001)
                unit_splits++;
            if (range && (is_digit_char(last) || is_digit_char(next)))
                fail_msg("range split at %.0f em after line %d: |%.*s|", w, i, li.length,
                         t + li.start);
        }
        text_block_free(tb);
    }
    if (unit_splits > 2)
        fail_msg("%d numbers split from their unit", unit_splits);
}

static void test_mixed_line_no_hole(void **state)
{
    (void)state;
    const char *text = "--dump-po-strings 等价于 -D，但是输出是 GNU gettext po（可移植对象）文件格式。"
                       "在 Linux 和 macOS 上可以用 msgfmt 把它编译成 mo 文件，再由 gettext 在运行时读取。";
    for (double w = 15; w <= 46; w += 1) {
        text_block *tb = set(text, w, 2);
        int n = text_block_cluster_count(tb);
        for (int k = 1; k < n; k++) {
            text_cluster_info a = cinfo(tb, k - 1), b = cinfo(tb, k);
            if (a.line != b.line || text_block_text(tb)[b.start] == ' ')
                continue;
            /* white from the end of the last glyph before b */
            int p = k - 1;
            while (p > 0 && text_block_text(tb)[cinfo(tb, p).start] == ' ')
                p--;
            text_cluster_info g = cinfo(tb, p);
            double white = b.x - (g.x + g.natural - g.compressed);
            if (g.line == b.line && white > 0.55 * EM)
                fail_msg("%.2f em of white at %.0f em before byte %d", white / EM, w, b.start);
        }
        text_block_free(tb);
    }
}

/* ---- grid and block ---- */

static void test_pitch_and_empty(void **state)
{
    (void)state;
    text_block *tb = set(SEED, 20, 2);
    int n = text_block_line_count(tb);
    assert_true(n > 3);
    assert_float_equal(text_block_height(tb, 0, n), n * EM * 1.7, 1e-9);
    assert_float_equal(text_block_height(tb, 1, 2), 2 * EM * 1.7, 1e-9);
    /* the lines cover the text exactly, in order */
    int pos = 0;
    for (int i = 0; i < n; i++) {
        text_line_info li;
        text_block_line(tb, i, &li);
        assert_int_equal(li.start, pos);
        pos += li.length;
        assert_int_equal(li.last, i == n - 1);
    }
    assert_int_equal(pos, (int)strlen(text_block_text(tb)));
    assert_int_equal(text_block_unknown_glyphs(tb), 0);
    text_block_free(tb);

    /* no width: one line as wide as the text */
    tb = set("2020年百度Apollo与北京现代ix35合作。", 0, 2);
    assert_int_equal(text_block_line_count(tb), 1);
    text_block_free(tb);

    tb = set("", 20, 2);
    assert_int_equal(text_block_line_count(tb), 0);
    assert_float_equal(text_block_height(tb, 0, 1), 0, 0);
    assert_string_equal(text_block_text(tb), "");
    text_block_free(tb);
    text_block_free(NULL);
}

static void test_centred_and_left(void **state)
{
    (void)state;
    const char *s = "（一）以学习型组织应对变局，对标先进与找准差距：“三个一”招商工作体系";
    for (int align = TEXT_LEFT; align <= TEXT_CENTER; align++) {
        text_style st = body();
        st.family = FAMILY_SANS;
        st.weight = 700;
        st.size_pt = 14;
        st.indent_em = 0;
        st.align = (text_align)align;
        for (double w = 100; w <= 400; w += 25) {
            text_block *tb = text_block_new(ctx, &st, s, w);
            assert_kinsoku(tb);
            for (int i = 0; i < text_block_line_count(tb); i++) {
                text_line_info li;
                text_block_line(tb, i, &li);
                assert_true(li.x_pt + li.width_pt <= w + 0.1);
                if (align == TEXT_CENTER)
                    assert_float_equal(li.x_pt, (w - li.width_pt) / 2, 0.01);
                else
                    assert_float_equal(li.x_pt, 0, 0.01);
            }
            text_block_free(tb);
        }
    }
}

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int len)
{
    (void)data;
    *(size_t *)closure += len;
    return CAIRO_STATUS_SUCCESS;
}

/* ---- rich text ---- */

/* A URL in a link breaks only after / . - ? & (over many measures), the
 * markers are gone from the text, and a footnote mark never starts a line. */
static void test_link_breaks_and_marks(void **state)
{
    (void)state;
    const char *url = "https://www.example.gov.cn/zwgk/tjxx/2020-11/statistical-bulletin.html?id=42&lang=zh";
    char *marked = g_strdup_printf("全文见" TEXT_MARK_LINK_ON "%s" TEXT_MARK_LINK_OFF
                                   "，数据截至十月" TEXT_NOTE_MARK "。" TEXT_MARK_BOLD_ON
                                   "一是" TEXT_MARK_BOLD_OFF "重点项目推进有力。", url);
    const char *links[] = {url};
    int breaks_in_url = 0;
    for (double w = 6; w <= 30; w += 0.5) {
        text_style st = body();
        text_block *tb = text_block_new_rich(ctx, &st, marked, links, 1, 0.6, w * EM);
        assert_non_null(tb);
        const char *t = text_block_text(tb);
        assert_null(strstr(t, TEXT_MARK_LINK_ON));
        assert_null(strstr(t, TEXT_MARK_BOLD_ON));
        const char *u = strstr(t, url);
        assert_non_null(u);
        int u0 = (int)(u - t), u1 = u0 + (int)strlen(url);
        for (int i = 0; i + 1 < text_block_line_count(tb); i++) {
            text_line_info li;
            assert_true(text_block_line(tb, i, &li));
            int end = li.start + li.length;
            if (end > u0 && end < u1) {
                breaks_in_url++;
                if (!strchr("/.-?&", t[end - 1]))
                    fail_msg("measure %.1f em: the URL breaks after '%c'", w, t[end - 1]);
            }
            assert_true(text_block_line(tb, i + 1, &li));
            if (strncmp(t + li.start, TEXT_NOTE_MARK, 3) == 0)
                fail_msg("measure %.1f em: a line starts with the note mark", w);
        }
        assert_int_equal(text_block_mark_count(tb), 1);
        text_block_free(tb);
    }
    assert_true(breaks_in_url > 10);   /* the URL was broken, and checked */
    g_free(marked);
}

static void test_draw_smoke(void **state)
{
    (void)state;
    size_t bytes = 0;
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(discard, &bytes, 595, 842);
    cairo_t *cr = cairo_create(s);
    text_block *tb = set(SEED, 30, 2);
    text_block_draw(tb, cr, 0, text_block_line_count(tb), 50, 50);
    text_block_draw(tb, cr, 2, 100, 50, 300);   /* clamped */
    text_block_draw(tb, cr, -1, 0, 50, 300);
    text_block_free(tb);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    assert_true(bytes > 1000);
    cairo_surface_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_link_breaks_and_marks),
        cmocka_unit_test(test_normalise_chinese_context),
        cmocka_unit_test(test_normalise_latin_context),
        cmocka_unit_test(test_normalise_off_and_whitespace),
        cmocka_unit_test(test_kinsoku_crafted),
        cmocka_unit_test(test_curly_quote_does_not_drag),
        cmocka_unit_test(test_dash_and_ellipsis),
        cmocka_unit_test(test_pair_compression),
        cmocka_unit_test(test_line_edge_marks_half_width),
        cmocka_unit_test(test_flush),
        cmocka_unit_test(test_slack_not_in_one_space),
        cmocka_unit_test(test_han_latin_space),
        cmocka_unit_test(test_han_latin_never_at_edge),
        cmocka_unit_test(test_indent_with_opening_quote),
        cmocka_unit_test(test_no_lone_character),
        cmocka_unit_test(test_forced_line_break),
        cmocka_unit_test(test_numbers_kept_together),
        cmocka_unit_test(test_mixed_line_no_hole),
        cmocka_unit_test(test_pitch_and_empty),
        cmocka_unit_test(test_centred_and_left),
        cmocka_unit_test(test_draw_smoke),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
