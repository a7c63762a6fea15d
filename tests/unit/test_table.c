/*
 * test_table.c — tables, kpi tiles, lists and the masthead as layout sets
 * them: every cell's text inside its cell, columns within the measure,
 * numbers aligned on the point, text cells broken between words, type
 * shrunk before a table is refused, and the page breaks (rows whole, at
 * least three rows first, 续表 parts repeating the header).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "brief.h"
#include "model/model.h"
#include "page/bulletin.h"
#include "page/layout.h"
#include "page/table.h"
#include "text/text_internal.h"
#include "text/words.h"

#define EPS 0.01

static brief_engine *engine;

static int setup(void **state)
{
    (void)state;
    engine = brief_engine_new(&(brief_engine_options){.font_dir = "fonts"}, NULL);
    return engine ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    brief_engine_free(engine);
    return 0;
}

/* Loads and lays out `json`; the layout keeps the doc (freed by done()). */
static doc_layout *lay_out(const char *json, brief_diag *d)
{
    brief_doc *doc = brief_doc_load_buffer(json, strlen(json), "t.json", d);
    if (!doc)
        return NULL;
    doc_layout *dl = doc_layout_new(engine, doc, NULL, d);
    if (!dl)
        brief_doc_free(doc);
    return dl;
}

static void done(doc_layout *dl)
{
    if (!dl)
        return;
    brief_doc *doc = (brief_doc *)dl->doc;
    doc_layout_free(dl);
    brief_doc_free(doc);
}

static char *messages(brief_diag *d)
{
    static char buf[4096];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < brief_diag_count(d) && len < sizeof buf - 1; i++) {
        len += brief_error_format(brief_diag_get(d, i), buf + len, sizeof buf - len);
        if (len < sizeof buf - 1)
            buf[len++] = '\n';
        buf[len < sizeof buf ? len : sizeof buf - 1] = '\0';
    }
    return buf;
}

static double block_width(const text_block *tb)
{
    double w = 0;
    text_line_info li;
    for (int i = 0; i < text_block_line_count(tb); i++)
        if (text_block_line(tb, i, &li))
            w = fmax(w, li.x_pt + li.width_pt);
    return w;
}

/* Every cell's text lies inside its cell, every row holds its cells. */
static void assert_cells_inside(const table_layout *tl, double measure)
{
    assert_true(tl->width_pt <= measure + EPS);
    for (size_t r = 0; r < tl->nrows; r++)
        for (size_t c = 0; c < tl->ncols; c++) {
            const table_cell *tc = &tl->cells[r * tl->ncols + c];
            if (!tc->tb)
                continue;
            double w = block_width(tc->tb);
            if (tc->x_pt < -EPS || tc->x_pt + w > tl->col_w_pt[c] + EPS)
                fail_msg("row %zu column %zu \"%s\": text at %.2f..%.2f, cell 0..%.2f", r, c,
                         text_block_text(tc->tb), tc->x_pt, tc->x_pt + w, tl->col_w_pt[c]);
            double h = text_block_height(tc->tb, 0, text_block_line_count(tc->tb));
            assert_true(h <= tl->row_h_pt[r] + EPS);
        }
    for (size_t c = 0; c < tl->ncols; c++) {
        const table_cell *tc = &tl->head[c];
        assert_true(tc->x_pt >= -EPS);
        assert_true(tc->x_pt + block_width(tc->tb) <= tl->col_w_pt[c] + EPS);
    }
}

static const block_layout *first_of(const doc_layout *dl, block_type t)
{
    for (size_t i = 0; i < dl->doc->nblocks; i++)
        if (dl->doc->blocks[i].type == t)
            return &dl->blocks[i];
    return NULL;
}

static void sample_tables_fit(void **state)
{
    (void)state;
    const char *files[] = {"data/cangzhou-2020.json", "data/monthly-bulletin.json",
                           "tests/render/docs/blocks.json"};
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        brief_diag *d = brief_diag_new();
        brief_doc *doc = brief_doc_load_file(files[f], d);
        if (!doc)
            fail_msg("%s: %s", files[f], messages(d));
        doc_layout *dl = doc_layout_new(engine, doc, NULL, d);
        assert_non_null(dl);
        size_t tables = 0;
        for (size_t i = 0; i < doc->nblocks; i++)
            if (dl->blocks[i].table) {
                assert_cells_inside(dl->blocks[i].table, dl->measure_pt);
                tables++;
            }
        assert_true(tables > 0);
        done(dl);
        brief_diag_free(d);
    }
}

static const char *WIDE_FMT =
    "{\"brief\": 1, \"page\": {\"size\": \"%s\"}, \"body\": [{\"type\": \"table\", \"data\": "
    "{\"columns\": [\"地区\", \"规模以上工业增加值\", \"固定资产投资\", \"社会消费品零售总额\", "
    "\"一般公共预算收入\", \"金融机构存款余额\", \"金融机构贷款余额\", \"居民人均可支配收入\", "
    "\"城镇调查失业率\", \"进出口总额\", \"实际使用外资\", \"全社会用电量\"], "
    "\"rows\": [[\"江州市\", 1234.56, 2345.67, 3456.78, 456.78, 12345.67, 23456.78, 45678.9, 5.1, "
    "987.65, 12.34, 345.67]]}}]}";

/* Too wide for A5: smaller type first, then refused with the width needed. */
static void too_wide_shrinks_then_refuses(void **state)
{
    (void)state;
    char json[2048];
    snprintf(json, sizeof json, WIDE_FMT, "A3");
    brief_diag *d = brief_diag_new();
    doc_layout *dl = lay_out(json, d);
    if (!dl)
        fail_msg("%s", messages(d));
    const block_layout *bl = first_of(dl, BLOCK_TABLE);
    assert_true(bl->table->size_pt == 9.0);   /* fits at the table size on A3 */
    done(dl);
    brief_diag_free(d);

    snprintf(json, sizeof json, WIDE_FMT, "A4");
    d = brief_diag_new();
    dl = lay_out(json, d);
    if (!dl)
        fail_msg("%s", messages(d));
    bl = first_of(dl, BLOCK_TABLE);
    assert_true(bl->table->size_pt < 9.0 && bl->table->size_pt >= TABLE_MIN_SIZE_PT);
    assert_cells_inside(bl->table, dl->measure_pt);
    done(dl);
    brief_diag_free(d);

    snprintf(json, sizeof json, WIDE_FMT, "A5");
    d = brief_diag_new();
    dl = lay_out(json, d);
    assert_null(dl);
    const char *m = messages(d);
    if (!strstr(m, "t.json:1:") || !strstr(m, "body[0]: the table needs ") || !strstr(m, " mm at 7.5 pt"))
        fail_msg("%s", m);
    brief_diag_free(d);
}

/* A text cell in a narrow column breaks only between words. */
static void text_cells_break_between_words(void **state)
{
    (void)state;
    const char *json =
        "{\"brief\": 1, \"page\": {\"size\": \"A5\"}, \"body\": [{\"type\": \"table\", \"data\": "
        "{\"columns\": [\"指标\", \"一\", \"二\", \"三\", \"四\", \"五\"], \"rows\": ["
        "[\"规模以上工业企业营业收入利润率\", 1234567.5, 2345678.5, 3456789.5, 4567890.5, 5678901.5],"
        "[\"社会消费品零售总额\", 1, 2, 3, 4, 5]]}}]}";
    brief_diag *d = brief_diag_new();
    doc_layout *dl = lay_out(json, d);
    if (!dl)
        fail_msg("%s", messages(d));
    const table_layout *tl = first_of(dl, BLOCK_TABLE)->table;
    assert_cells_inside(tl, dl->measure_pt);
    for (size_t r = 0; r < tl->nrows; r++) {
        const text_block *tb = tl->cells[r * tl->ncols].tb;
        assert_true(text_block_line_count(tb) > 1);
        const char *s = text_block_text(tb);
        int pos[64];
        int n = words_label_breaks(s, pos, 64);
        assert_true(n > 0);
        for (int i = 1; i < text_block_line_count(tb); i++) {
            text_line_info li;
            assert_true(text_block_line(tb, i, &li));
            bool allowed = false;
            for (int k = 0; k < n && k < 64; k++)
                allowed |= pos[k] == li.start;
            if (!allowed)
                fail_msg("line %d of \"%s\" starts at byte %d, inside a word", i, s, li.start);
        }
    }
    done(dl);
    brief_diag_free(d);
}

/* The points of a column share one x; null is a dash. */
static void numbers_align_on_the_point(void **state)
{
    (void)state;
    const char *json =
        "{\"brief\": 1, \"body\": [{\"type\": \"table\", \"data\": {\"columns\": [\"a\", \"b\"], "
        "\"rows\": [[\"x\", 1.5], [\"y\", -111.25], [\"z\", null], [\"w\", 7]]}, \"total\": \"合计\"}]}";
    brief_diag *d = brief_diag_new();
    doc_layout *dl = lay_out(json, d);
    if (!dl)
        fail_msg("%s", messages(d));
    const table_layout *tl = first_of(dl, BLOCK_TABLE)->table;
    assert_int_equal(tl->nrows, 5);
    /* each number as written, with the charts' true minus */
    assert_string_equal(table_cell_text(tl, 0, 1), "1.5");
    assert_string_equal(table_cell_text(tl, 1, 1), "\u2212" "111.25");
    assert_string_equal(table_cell_text(tl, 2, 1), "—");
    assert_string_equal(table_cell_text(tl, 3, 1), "7");
    assert_string_equal(table_cell_text(tl, 4, 1), "\u2212" "102.75");   /* the total */
    assert_string_equal(table_cell_text(tl, 4, 0), "合计");
    double dot = -1;
    for (size_t r = 0; r < tl->nrows; r++) {
        if (r == 2)
            continue;
        /* an integer's point stands after its last digit */
        const text_block *tb = tl->cells[r * 2 + 1].tb;
        const char *s = text_block_text(tb);
        const char *p = strchr(s, '.');
        double px = block_width(tb);
        text_cluster_info ci = {0};
        for (int k = 0; p && k < text_block_cluster_count(tb); k++)
            if (text_block_cluster(tb, k, &ci) && ci.start == (int)(p - s)) {
                px = ci.x;
                break;
            }
        double x = tl->cells[r * 2 + 1].x_pt + px;
        if (dot < 0)
            dot = x;
        assert_true(fabs(x - dot) < 0.01);
    }
    done(dl);
    brief_diag_free(d);
}

/* In a table of main indicators each row has its own unit: 42350 元 must
 * not read 42350.0 because 2680.5 亿元 stands above it.  A column's
 * decimals given on the table, or on the dataset, hold for every cell;
 * the dataset's units reach the header; rounding and minus as charts. */
static void each_number_as_written(void **state)
{
    (void)state;
    const char *json =
        "{\"brief\": 1, \"data\": {\"m\": {\"columns\": [\"指标\", \"值\", \"增长\"], "
        "\"units\": {\"增长\": \"%\"}, \"decimals\": {\"增长\": 1}, \"rounding\": \"half-even\", "
        "\"rows\": [[\"GDP\", 2680.5, 5], [\"收入\", 42350, -3.25], [\"比\", 0.125, 10.85]]}}, "
        "\"body\": [{\"type\": \"table\", \"data\": \"m\"}, "
        "{\"type\": \"table\", \"data\": \"m\", \"decimals\": {\"值\": 1}, \"units\": {\"增长\": \"个百分点\"}, "
        "\"rounding\": \"half-away\", \"minus\": \"hyphen\"}]}";
    brief_diag *d = brief_diag_new();
    doc_layout *dl = lay_out(json, d);
    if (!dl)
        fail_msg("%s", messages(d));
    const table_layout *tl = first_of(dl, BLOCK_TABLE)->table;
    assert_string_equal(table_cell_text(tl, 0, 1), "2680.5");
    assert_string_equal(table_cell_text(tl, 1, 1), "42350");
    assert_string_equal(table_cell_text(tl, 2, 1), "0.12");      /* at most 2, half even */
    assert_string_equal(table_cell_text(tl, 0, 2), "5.0");       /* the dataset's decimals */
    assert_string_equal(table_cell_text(tl, 1, 2), "\u2212" "3.2");
    assert_string_equal(table_cell_text(tl, 2, 2), "10.8");
    assert_string_equal(text_block_text(tl->head[2].tb), "增长（%）");
    const table_layout *t2 = NULL;
    for (size_t i = 0; i < dl->doc->nblocks; i++)
        if (dl->doc->blocks[i].type == BLOCK_TABLE && dl->blocks[i].table != tl)
            t2 = dl->blocks[i].table;
    assert_non_null(t2);
    assert_string_equal(table_cell_text(t2, 1, 1), "42350.0");   /* the table's decimals */
    assert_string_equal(table_cell_text(t2, 1, 2), "-3.3");      /* its rounding and minus */
    assert_string_equal(text_block_text(t2->head[2].tb), "增长（个百分点）");
    done(dl);
    brief_diag_free(d);
}

/* A long table splits between rows: every row once, in order, header
 * height in each part, ≥ 3 rows on the first page, ≥ 2 on the last. */
static void long_table_splits_between_rows(void **state)
{
    (void)state;
    char json[16384];
    size_t len = (size_t)snprintf(json, sizeof json,
        "{\"brief\": 1, \"page\": {\"size\": \"A5\"}, \"body\": ["
        "{\"type\": \"paragraph\", \"text\": \"正文。\"},"
        "{\"type\": \"table\", \"title\": \"长表\", \"data\": {\"columns\": [\"项目\", \"数值\"], \"rows\": [");
    for (int r = 0; r < 70; r++)
        len += (size_t)snprintf(json + len, sizeof json - len, "%s[\"第%d项\", %d.5]", r ? "," : "", r, r);
    snprintf(json + len, sizeof json - len, "]}}]}");
    brief_diag *d = brief_diag_new();
    doc_layout *dl = lay_out(json, d);
    if (!dl)
        fail_msg("%s", messages(d));
    int next = 0, parts = 0;
    for (size_t p = 0; p < dl->npages; p++)
        for (size_t k = 0; k < dl->pages[p].nitems; k++) {
            const placed_item *it = &dl->pages[p].items[k];
            if (it->kind != ITEM_TABLE)
                continue;
            assert_int_equal(it->first_line, next);
            assert_int_equal(it->continued, next > 0);
            next += it->nlines;
            parts++;
            assert_true(it->y_pt + it->h_pt <= dl->text_y_pt + dl->lines_per_page * dl->pitch_pt + EPS);
            if (parts == 1)
                assert_true(it->nlines >= TABLE_MIN_FIRST_ROWS);
            if (!it->continues)
                assert_true(it->nlines >= TABLE_MIN_LAST_ROWS);
        }
    assert_int_equal(next, 70);
    assert_true(parts >= 2);
    done(dl);
    brief_diag_free(d);
}

/* Fewer than three rows fit under the text: the table moves whole. */
static void short_room_moves_the_table(void **state)
{
    (void)state;
    char json[16384];
    size_t len = (size_t)snprintf(json, sizeof json,
        "{\"brief\": 1, \"page\": {\"size\": \"A5\"}, \"body\": [");
    /* fill the page with text, leaving a little room */
    len += (size_t)snprintf(json + len, sizeof json - len, "{\"type\": \"paragraph\", \"text\": \"");
    for (int i = 0; i < 560; i++)
        len += (size_t)snprintf(json + len, sizeof json - len, "字");
    len += (size_t)snprintf(json + len, sizeof json - len,
        "\"}, {\"type\": \"table\", \"data\": {\"columns\": [\"项目\", \"数值\"], \"rows\": ["
        "[\"a\", 1], [\"b\", 2], [\"c\", 3], [\"d\", 4]]}}]}");
    brief_diag *d = brief_diag_new();
    doc_layout *dl = lay_out(json, d);
    if (!dl)
        fail_msg("%s", messages(d));
    for (size_t p = 0; p < dl->npages; p++)
        for (size_t k = 0; k < dl->pages[p].nitems; k++) {
            const placed_item *it = &dl->pages[p].items[k];
            if (it->kind == ITEM_TABLE) {
                assert_int_equal(it->first_line, 0);
                assert_int_equal(it->nlines, 4);   /* whole */
            }
        }
    done(dl);
    brief_diag_free(d);
}

/* The change reads with its sign in the text (▲ up, ▼ down: what pdftotext
 * and screen readers give), in the theme's red up and green down; a value
 * has the charts' true minus. */
static void kpi_change_reads_with_its_sign(void **state)
{
    (void)state;
    const char *items =
        "[{\"label\": \"a\", \"value\": -2.5, \"change\": 5.6, \"change_label\": \"同比\"},"
        " {\"label\": \"b\", \"value\": 4.3, \"change\": -0.6, \"change_unit\": \"个百分点\"},"
        " {\"label\": \"c\", \"value\": 1, \"change\": 0.01}]";
    char json[1024];
    snprintf(json, sizeof json, "{\"brief\": 1, \"body\": [{\"type\": \"kpi\", \"items\": %s},"
             " {\"type\": \"kpi\", \"theme\": \"official\", \"items\": %s}]}", items, items);
    brief_diag *d = brief_diag_new();
    doc_layout *dl = lay_out(json, d);
    if (!dl)
        fail_msg("%s", messages(d));
    const box_layout *k = first_of(dl, BLOCK_KPI)->box, *o = NULL;
    for (size_t i = 0; i < dl->doc->nblocks; i++)
        if (dl->doc->blocks[i].type == BLOCK_KPI && dl->blocks[i].box != k)
            o = dl->blocks[i].box;
    assert_non_null(o);
    assert_string_equal(text_block_text(k->tiles[0].value), "\u2212" "2.5");
    assert_string_equal(text_block_text(k->tiles[0].change), "▲5.6%");
    assert_string_equal(text_block_text(k->tiles[1].change), "▼0.6个百分点");
    assert_string_equal(text_block_text(k->tiles[2].change), "▲0.01%");
    /* default: Okabe–Ito vermilion up, bluish green down */
    double up[3], down[3];
    chart_theme_change_rgb(THEME_DEFAULT, 1, up);
    chart_theme_change_rgb(THEME_DEFAULT, -1, down);
    assert_true(fabs(k->tiles[0].rgb[0] - 0xD5 / 255.0) < 1e-9 && fabs(up[0] - k->tiles[0].rgb[0]) < 1e-9);
    assert_true(fabs(k->tiles[1].rgb[1] - 0x9E / 255.0) < 1e-9 && fabs(down[1] - k->tiles[1].rgb[1]) < 1e-9);
    /* official: its red (C00000) up, a dark green down; red and green, never swapped */
    assert_true(fabs(o->tiles[0].rgb[0] - 0xC0 / 255.0) < 1e-9 && o->tiles[0].rgb[1] == 0);
    assert_true(o->tiles[1].rgb[1] > o->tiles[1].rgb[0] + 0.3);
    for (int i = 0; i < 2; i++) {
        const box_layout *b = i ? o : k;
        assert_true(b->tiles[0].rgb[0] > b->tiles[0].rgb[1] + 0.3);   /* up is red */
        assert_true(b->tiles[1].rgb[1] > b->tiles[1].rgb[0] + 0.3);   /* down is green */
    }
    done(dl);
    brief_diag_free(d);
}

/* A figure may come from a dataset: the expression of a value run (or its
 * placeholder form in braces), evaluated by the placeholder evaluator; it
 * reads as written (as in the table it came from: 2680.5, not the column's
 * 2680.50); the item's own unit wins over the reference's. */
static void kpi_value_from_a_dataset(void **state)
{
    (void)state;
    const char *json =
        "{\"brief\": 1, \"data\": {\"m\": {\"columns\": [\"指标\", \"值\"], \"units\": {\"值\": \"亿元\"},"
        " \"rows\": [[\"GDP\", 2680.5], [\"收入\", 42350.25]]}}, \"body\": [{\"type\": \"kpi\", \"items\": ["
        "{\"label\": \"a\", \"value\": \"{m.值[GDP]}\"},"
        " {\"label\": \"b\", \"value\": \"{m.值[收入]}\", \"unit\": \"元\", \"decimals\": 0}]}]}";
    brief_diag *d = brief_diag_new();
    doc_layout *dl = lay_out(json, d);
    if (!dl)
        fail_msg("%s", messages(d));
    const box_layout *k = first_of(dl, BLOCK_KPI)->box;
    assert_string_equal(text_block_text(k->tiles[0].value), "2680.5");
    assert_string_equal(text_block_text(k->tiles[0].unit), "亿元");
    assert_string_equal(text_block_text(k->tiles[1].value), "42350");
    assert_string_equal(text_block_text(k->tiles[1].unit), "元");
    done(dl);
    brief_diag_free(d);
}

/* Tiles wrap to balanced rows; list text hangs right of the markers. */
static void kpi_and_list(void **state)
{
    (void)state;
    const char *json =
        "{\"brief\": 1, \"page\": {\"size\": \"A5\"}, \"body\": ["
        "{\"type\": \"kpi\", \"items\": [{\"label\": \"签约项目数量合计\", \"value\": 67, \"unit\": \"个\","
        " \"change\": 12.5, \"change_label\": \"同比\"}, {\"label\": \"签约项目总投资\", \"value\": 111.1,"
        " \"unit\": \"亿元\", \"change\": -3.25}, {\"label\": \"亿元以上项目\", \"value\": 14},"
        " {\"label\": \"入驻企业\", \"value\": 37, \"unit\": \"家\"}]},"
        "{\"type\": \"list\", \"style\": \"paren\", \"items\": [\"一\", \"二\", \"三\", \"四\", \"五\","
        " \"六\", \"七\", \"八\", \"九\", \"十\"]}]}";
    brief_diag *d = brief_diag_new();
    doc_layout *dl = lay_out(json, d);
    if (!dl)
        fail_msg("%s", messages(d));
    const box_layout *k = first_of(dl, BLOCK_KPI)->box;
    assert_int_equal(k->ntiles, 4);
    /* A5 holds two tiles a row at this size: 2 + 2, not 3 + 1 */
    assert_true(k->tiles[1].y_pt == 0 && k->tiles[2].y_pt > 0 && k->tiles[3].y_pt == k->tiles[2].y_pt);
    for (size_t i = 0; i < 4; i++)
        assert_true(k->tiles[i].x_pt + k->tile_w_pt <= k->w_pt + EPS);
    assert_int_equal(k->tiles[0].direction, 1);
    assert_int_equal(k->tiles[1].direction, -1);
    assert_int_equal(k->tiles[2].direction, 0);
    const box_layout *l = first_of(dl, BLOCK_LIST)->box;
    assert_string_equal(text_block_text(l->markers[9]), "(10)");
    for (size_t i = 0; i < l->nitems; i++)
        assert_true(block_width(l->markers[i]) < l->indent_pt);
    done(dl);
    brief_diag_free(d);
}

/* A character no font has, in a table cell or a list item: a warning at the block. */
static void missing_glyphs_reported(void **state)
{
    (void)state;
    const char *json =
        "{\"brief\": 1, \"body\": [{\"type\": \"table\", \"data\": {\"columns\": [\"名\", \"值\"], "
        "\"rows\": [[\"罕见字\xf0\xaa\x9a\xa5\", 1]]}}, {\"type\": \"list\", \"items\": [\"罕\xf0\xaa\x9a\xa5\"]}]}";
    brief_diag *d = brief_diag_new();
    doc_layout *dl = lay_out(json, d);
    assert_non_null(dl);
    const char *m = messages(d);
    if (!strstr(m, "body[0]: warning: no font has \"\xf0\xaa\x9a\xa5\"") ||
        !strstr(m, "body[1]: warning: no font has"))
        fail_msg("%s", m);
    done(dl);
    brief_diag_free(d);
}

static void list_markers(void **state)
{
    (void)state;
    char buf[32];
    assert_string_equal(list_marker(LIST_DECIMAL, 0, buf, sizeof buf), "1.");
    assert_string_equal(list_marker(LIST_PAREN, 11, buf, sizeof buf), "(12)");
    assert_string_equal(list_marker(LIST_CIRCLED, 1, buf, sizeof buf), "②");
    assert_string_equal(list_marker(LIST_CIRCLED, 19, buf, sizeof buf), "⑳");
    assert_string_equal(list_marker(LIST_CHINESE, 0, buf, sizeof buf), "一、");
    assert_string_equal(list_marker(LIST_CHINESE, 9, buf, sizeof buf), "十、");
    assert_string_equal(list_marker(LIST_CHINESE, 10, buf, sizeof buf), "十一、");
    assert_string_equal(list_marker(LIST_CHINESE, 21, buf, sizeof buf), "二十二、");
    assert_string_equal(list_marker(LIST_BULLET, 3, buf, sizeof buf), "•");
    assert_true(table_column_is_rate("同比增长", ""));
    assert_true(table_column_is_rate("完成", "%"));
    assert_false(table_column_is_rate("绝对值", "亿元"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sample_tables_fit),
        cmocka_unit_test(too_wide_shrinks_then_refuses),
        cmocka_unit_test(text_cells_break_between_words),
        cmocka_unit_test(numbers_align_on_the_point),
        cmocka_unit_test(each_number_as_written),
        cmocka_unit_test(long_table_splits_between_rows),
        cmocka_unit_test(short_room_moves_the_table),
        cmocka_unit_test(kpi_and_list),
        cmocka_unit_test(kpi_change_reads_with_its_sign),
        cmocka_unit_test(kpi_value_from_a_dataset),
        cmocka_unit_test(missing_glyphs_reported),
        cmocka_unit_test(list_markers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
