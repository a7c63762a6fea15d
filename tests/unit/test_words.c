/*
 * test_words.c — allowed line breaks of labels (src/text/words.c).
 *
 * Against tests/unit/data/label_breaks.txt (real category labels with every
 * acceptable break marked by hand): every break proposed is a marked one,
 * no piece between two breaks is a single character, and most marked
 * breaks are found (recall printed).  Then each rule on its own: kinsoku,
 * Latin words and numbers, numbers with units, short brackets, lone
 * characters; edge cases; ICU opened once (first-use cost printed); Pango
 * layouts with words_label_attrs break only there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pango/pangocairo.h>

#include "text/text_internal.h"
#include "text/words.h"

#define DATA "tests/unit/data/label_breaks.txt"

/* The label as breaks: "金银|珠宝类". */
static void show(const char *text, const int *pos, int n, char *out, size_t size)
{
    size_t o = 0;
    int prev = 0, len = (int)strlen(text);
    for (int i = 0; i <= n && o < size; i++) {
        int end = i < n ? pos[i] : len;
        o += (size_t)snprintf(out + o, size - o, "%.*s%s", end - prev, text + prev,
                              i < n ? "|" : "");
        prev = end;
    }
}

static int content_chars(const char *s, int from, int to)
{
    int n = 0;
    for (const char *p = s + from; p < s + to; p = g_utf8_next_char(p)) {
        tx_class k = tx_char_class(g_utf8_get_char(p));
        n += k == TX_HAN || k == TX_ALNUM || k == TX_OTHER;
    }
    return n;
}

static bool has_lone_piece(const char *text, const int *pos, int n)
{
    int prev = 0, len = (int)strlen(text);
    for (int i = 0; i <= n; i++) {
        int end = i < n ? pos[i] : len;
        if (content_chars(text, prev, end) < 2)
            return true;
        prev = end;
    }
    return false;
}

static void test_hand_marked_labels(void **state)
{
    (void)state;
    FILE *f = fopen(DATA, "r");
    assert_non_null(f);
    char line[1024];
    int labels = 0, marked = 0, found = 0, proposed = 0, known_misses = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        /* "~": a known miss of ICU's dictionary, reported, not failed */
        bool known = line[0] == '~';
        const char *src = known ? line + 1 : line;
        char text[1024];
        int want[256], nwant = 0, t = 0;
        for (const char *p = src; *p; p++) {
            if (*p == '|')
                want[nwant++] = t;
            else
                text[t++] = *p;
        }
        text[t] = '\0';
        int pos[256];
        int n = words_label_breaks(text, pos, 256);
        assert_true(n >= 0 && n < 256);
        char got[2048];
        show(text, pos, n, got, sizeof got);
        bool wrong = has_lone_piece(text, pos, n);
        for (int i = 0; i < n; i++) {
            bool ok = false;
            for (int j = 0; j < nwant; j++)
                ok |= want[j] == pos[i];
            wrong |= !ok;
            found += ok;
        }
        if (known) {
            known_misses++;
            printf("known miss: %s (marked %s)\n", got, src);
            assert_true(wrong);   /* fixed? then drop the '~' */
        } else if (wrong) {
            fail_msg("%s: breaks %s", src, got);
        }
        labels++;
        marked += nwant;
        proposed += n;
    }
    fclose(f);
    printf("%d labels, %d breaks marked, %d proposed, %d of them marked (recall %.0f %%), "
           "%d known misses\n",
           labels, marked, proposed, found, 100.0 * found / marked, known_misses);
    assert_true(labels >= 40);
    assert_true(known_misses <= 2);
    assert_true(found >= marked * 7 / 10);
}

/* words_label_breaks as a string with '|'. */
static void breaks_of(const char *text, char *out, size_t size)
{
    int pos[256];
    int n = words_label_breaks(text, pos, 256);
    assert_true(n >= 0);
    show(text, pos, n, out, size);
}

#define BREAKS(expect, text)                                                  \
    do {                                                                      \
        char got_[1024];                                                      \
        breaks_of((text), got_, sizeof got_);                                 \
        assert_string_equal(got_, (expect));                                  \
    } while (0)

static void test_rules(void **state)
{
    (void)state;
    /* kinsoku: none before 、）%, none after （ */
    BREAKS("服装、|鞋帽、|针纺织品类", "服装、鞋帽、针纺织品类");
    BREAKS("增长率|（百分比）", "增长率（百分比）");
    BREAKS("同比|增长5%", "同比增长5%");
    /* Latin words and numbers whole, with their connectors */
    BREAKS("AGV/AMR|移动|机器人", "AGV/AMR移动机器人");
    BREAKS("设备|远程|运维|SaaS|平台", "设备远程运维SaaS平台");
    BREAKS("R&D|经费|投入|强度", "R&D经费投入强度");
    /* a number with its unit */
    BREAKS("六轴|通用|工业|机器人|（负载|20公斤|以下）", "六轴通用工业机器人（负载20公斤以下）");
    BREAKS("1—9月|规模|以上|工业|增加值", "1—9月规模以上工业增加值");
    BREAKS("2020年|社会|消费品|零售|总额", "2020年社会消费品零售总额");
    /* a short bracket whole, a long one broken between words */
    BREAKS("自动化|立体|仓库|（AS/RS）", "自动化立体仓库（AS/RS）");
    /* lone characters: suffix, conjunction, prefix, first */
    BREAKS("金银|珠宝类", "金银珠宝类");
    BREAKS("家用|电器和|音像|器材类", "家用电器和音像器材类");
    BREAKS("1—11月|全社会|用电量", "1—11月全社会用电量");
    BREAKS("重载|搬运及|码垛|机器人|（负载…）", "重载搬运及码垛机器人（负载…）");
    /* a '\n' written in the label: each line on its own, no lone 人 */
    BREAKS("重载|搬运及|码垛|机器人\n|（负载|500公斤|以上）", "重载搬运及码垛机器人\n（负载500公斤以上）");
    BREAKS("重载|搬运及|码垛|机器\n|人（负载…）", "重载搬运及码垛机器\n人（负载…）");
}

static void test_edges(void **state)
{
    (void)state;
    int pos[8];
    assert_int_equal(words_label_breaks("", pos, 8), 0);
    assert_int_equal(words_label_breaks(NULL, pos, 8), 0);
    assert_int_equal(words_label_breaks("国", pos, 8), 0);
    assert_int_equal(words_label_breaks("国家", pos, 8), 0);       /* never 国|家 */
    assert_int_equal(words_label_breaks("\xff\xfe国家统计局", pos, 8), 0);
    assert_int_equal(words_label_breaks("Revenue", pos, 8), 0);
    /* count like snprintf; only max written */
    int few[1] = {-7};
    int n = words_label_breaks("城镇调查失业率", few, 0);
    assert_true(n >= 1);
    assert_int_equal(few[0], -7);
    n = words_label_breaks("社会消费品零售总额", few, 1);
    assert_true(n >= 2);
    assert_int_equal(few[0], (int)strlen("社会"));
    /* long input is bounded */
    size_t big = (WORDS_MAX_BYTES / 3 + 1) * 3;   /* whole characters, over the limit */
    char *s = malloc(big + 1);
    assert_non_null(s);
    for (size_t i = 0; i < big; i += 3)
        memcpy(s + i, "国", 3);
    s[big] = '\0';
    assert_int_equal(words_label_breaks(s, pos, 8), 0);
    free(s);
}

static double now_ms(void)
{
    return (double)g_get_monotonic_time() / 1000.0;
}

/* ICU is opened once: the first-use cost is paid by whichever test comes
 * first, later calls are cheap.  Prints both. */
static void test_icu_once(void **state)
{
    (void)state;
    int pos[64];
    words_label_breaks("金银珠宝类", pos, 64);
    double open_ms = words_icu_open_ms();
    assert_true(open_ms > 0);
    double t0 = now_ms();
    int calls = 2000;
    for (int i = 0; i < calls; i++)
        words_label_breaks("六轴通用工业机器人（负载20公斤以下）", pos, 64);
    double per = (now_ms() - t0) / calls;
    printf("ICU first use (open + Chinese dictionary): %.2f ms; then %.1f us per label\n",
           open_ms, per * 1000);
    assert_true(words_icu_open_ms() == open_ms);   /* not opened again */
    assert_true(per < 1.0);
}

/* A Pango layout with the attributes breaks only at allowed breaks. */
static void test_pango_attrs(void **state)
{
    (void)state;
    static const char *labels[] = {
        "金银珠宝类", "服装、鞋帽、针纺织品类", "家用电器和音像器材类",
        "六轴通用工业机器人（负载20公斤以下）", "AGV/AMR移动机器人", "设备远程运维SaaS平台",
    };
    PangoFontMap *fm = pango_cairo_font_map_new();
    PangoContext *ctx = pango_font_map_create_context(fm);
    for (size_t li = 0; li < sizeof labels / sizeof labels[0]; li++) {
        const char *text = labels[li];
        int pos[64];
        int n = words_label_breaks(text, pos, 64);
        for (int width_em = 2; width_em <= 8; width_em++) {
            PangoLayout *pl = pango_layout_new(ctx);
            PangoFontDescription *fd = pango_font_description_from_string("sans 10");
            pango_layout_set_font_description(pl, fd);
            pango_font_description_free(fd);
            pango_layout_set_text(pl, text, -1);
            PangoAttrList *al = pango_attr_list_new();
            assert_true(words_label_attrs(text, 0, al));
            pango_layout_set_attributes(pl, al);
            pango_attr_list_unref(al);
            pango_layout_set_wrap(pl, PANGO_WRAP_WORD);
            pango_layout_set_width(pl, width_em * 10 * PANGO_SCALE);
            for (GSList *l = pango_layout_get_lines_readonly(pl); l; l = l->next) {
                int start = ((PangoLayoutLine *)l->data)->start_index;
                bool ok = start == 0;
                for (int i = 0; i < n; i++)
                    ok |= pos[i] == start;
                if (!ok)
                    fail_msg("%s at %d em: a line starts at byte %d", text, width_em, start);
            }
            g_object_unref(pl);
        }
    }
    g_object_unref(ctx);
    g_object_unref(fm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_icu_once),
        cmocka_unit_test(test_hand_marked_labels),
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_pango_attrs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
