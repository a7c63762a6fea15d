/*
 * test_validate.c — stage 2, JSON tree → model (src/validate/validate.c, model.c).
 *
 * The minimal document and its defaults, the sample brief, unit
 * conversions (mm → pt), every chart_spec field, and for every class of
 * error the exact diagnostic: file:line:column, JSON path and message.
 * Documents are written with ' for " to stay readable; see J().
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "brief.h"
#include "util/diag.h"
#include "input/json.h"
#include "model/model.h"
#include "validate/validate.h"

#define SAMPLE "data/cangzhou-2020.json"

/* ---- allocation failures ---- */

/* The program's own malloc, calloc and realloc (glibc lets a program
 * replace them, and its strdup and friends call the replacement): when
 * fail_at >= 0, allocation number fail_at (counting from 0 since arming)
 * fails, once.  Not under AddressSanitizer, which owns these symbols. */
#if defined(__SANITIZE_ADDRESS__)
#define CAN_FAIL_ALLOCATIONS 0
#else
#define CAN_FAIL_ALLOCATIONS 1
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
static long fail_at = -1, allocations;

static bool allocation_ok(void)
{
    if (fail_at < 0)
        return true;
    return allocations++ != fail_at;
}

/* Default visibility: the build hides symbols, and libc and cJSON must
 * bind to these to have their allocations fail too. */
#define EXPORTED __attribute__((visibility("default")))
EXPORTED void *malloc(size_t n) { return allocation_ok() ? __libc_malloc(n) : NULL; }
EXPORTED void *calloc(size_t n, size_t size) { return allocation_ok() ? __libc_calloc(n, size) : NULL; }
EXPORTED void *realloc(void *p, size_t n) { return allocation_ok() ? __libc_realloc(p, n) : NULL; }
#endif

/* ---- helpers ---- */

/* The document with every ' turned into " (write \' as `); the tests
 * never need a literal apostrophe. */
static char *J(const char *s)
{
    char *d = strdup(s);
    assert_non_null(d);
    for (char *p = d; *p; p++)
        if (*p == '\'')
            *p = '"';
        else if (*p == '`')
            *p = '\'';
    return d;
}

static brief_doc *load(const char *doc, brief_diag *d)
{
    char *text = J(doc);
    brief_doc *r = brief_doc_load_buffer(text, strlen(text), "t.json", d);
    free(text);
    return r;
}

/* All diagnostics, formatted, one per line. */
static char *messages(const brief_diag *d)
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

static brief_doc *expect_valid(const char *doc)
{
    brief_diag *d = brief_diag_new();
    brief_doc *r = load(doc, d);
    char *m = messages(d);
    if (!r || brief_diag_count(d) != 0)
        fail_msg("document rejected:\n%s", m);
    free(m);
    brief_diag_free(d);
    return r;
}

static void expect_errors(const char *doc, const char *expected)
{
    brief_diag *d = brief_diag_new();
    brief_doc *r = load(doc, d);
    char *m = messages(d);
    if (strcmp(m, expected) != 0) {
        fprintf(stderr, "document: %s\nexpected:\n%s\ngot:\n%s\n", doc, expected, m);
        fail();
    }
    assert_null(r);
    assert_int_equal(brief_diag_status(d), BRIEF_E_DATA);
    for (size_t i = 0; i < brief_diag_count(d); i++)
        assert_string_equal(brief_diag_get(d, i)->file, "t.json");
    free(m);
    brief_diag_free(d);
}

typedef struct error_case {
    const char *doc;
    const char *expected;
} error_case;

static void run_cases(const error_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++)
        expect_errors(cases[i].doc, cases[i].expected);
}

#define RUN(cases) run_cases(cases, sizeof cases / sizeof cases[0])

#define MINIMAL "{'brief': 1, 'body': [{'type': 'title', 'text': '标题'}]}"

static void assert_pt(double got, double mm)
{
    assert_true(fabs(got - mm * 72.0 / 25.4) < 1e-9);
}

/* ---- valid documents ---- */

static void minimal_document_gets_defaults(void **state)
{
    (void)state;
    brief_doc *doc = expect_valid(MINIMAL);
    assert_string_equal(doc->file, "t.json");
    assert_string_equal(doc->base_dir, ".");
    assert_int_equal(doc->format_version, 1);
    assert_string_equal(doc->meta.title, "标题");   /* from the first title block */
    assert_string_equal(doc->meta.author, "");
    assert_string_equal(doc->meta.subject, "");
    assert_string_equal(doc->meta.keywords, "");
    assert_string_equal(doc->meta.lang, "zh-CN");
    assert_pt(doc->page.width_pt, 210);
    assert_pt(doc->page.height_pt, 297);
    assert_pt(doc->page.margin_pt[0], 25);
    assert_pt(doc->page.margin_pt[1], 20);
    assert_pt(doc->page.margin_pt[2], 25);
    assert_pt(doc->page.margin_pt[3], 20);
    assert_string_equal(doc->page.header, "");
    assert_string_equal(doc->page.footer, "第 {page} 页 共 {pages} 页");
    assert_int_equal(doc->style.body_font, FACE_SERIF);
    assert_int_equal(doc->style.heading_font, FACE_SANS);
    assert_true(doc->style.font_size_pt == 10.5);
    assert_true(doc->style.line_height == 1.7);
    assert_true(doc->style.cjk_latin_space_em == 0.25);
    assert_true(doc->style.normalize_punctuation);
    assert_true(doc->style.grid);
    assert_int_equal(doc->ndatasets, 0);
    assert_int_equal(doc->nblocks, 1);
    const block *b = &doc->blocks[0];
    assert_int_equal(b->type, BLOCK_TITLE);
    assert_string_equal(b->json_path, "body[0]");
    assert_string_equal(b->text, "标题");
    assert_string_equal(b->caption, "");
    assert_null(b->image);
    assert_null(b->image_resolved);
    assert_null(b->chart);
    assert_int_equal(brief_doc_chart_count(doc), 0);
    assert_null(brief_doc_chart_id(doc, 0));
    brief_doc_free(doc);
}

static void no_title_block_means_empty_title(void **state)
{
    (void)state;
    brief_doc *doc = expect_valid("{'brief': 1, 'body': [{'type': 'paragraph', 'text': '正文'}, "
                                  "{'type': 'page_break'}, {'type': 'title', 'text': '后标题'}]}");
    assert_string_equal(doc->meta.title, "后标题");
    brief_doc_free(doc);
    doc = expect_valid("{'brief': 1, 'body': [{'type': 'paragraph', 'text': '正文'}]}");
    assert_string_equal(doc->meta.title, "");
    brief_doc_free(doc);
    /* an explicit title wins, even an empty one */
    doc = expect_valid("{'brief': 1, 'meta': {'title': ''}, 'body': [{'type': 'title', 'text': 'T'}]}");
    assert_string_equal(doc->meta.title, "");
    brief_doc_free(doc);
}

static void sample_brief_validates(void **state)
{
    (void)state;
    if (access(SAMPLE, R_OK) != 0)
        skip();   /* run from the repository root */
    brief_diag *d = brief_diag_new();
    brief_doc *doc = brief_doc_load_file(SAMPLE, d);
    char *m = messages(d);
    if (!doc || brief_diag_count(d))
        fail_msg("%s:\n%s", SAMPLE, m);
    free(m);
    brief_diag_free(d);
    assert_string_equal(doc->base_dir, "data");
    assert_string_equal(doc->meta.title, "沧州经济开发区2020年发展简报");
    assert_string_equal(doc->meta.keywords,
                        "沧州经济开发区, 重点项目, 招商引资, 营商环境, 新旧动能转换, 2020年");
    assert_string_equal(doc->page.header, "沧州经济开发区 · 发展简报 · 2020年第4期");
    /* One dataset for the key projects' chart, table and sentences. */
    assert_int_equal(doc->ndatasets, 7);
    /* The lead quotes its figures through references, bound at loading. */
    const char *lead = NULL;
    for (size_t i = 0; i < doc->nblocks; i++)
        if (doc->blocks[i].type == BLOCK_LEAD)
            lead = doc->blocks[i].text;
    assert_non_null(lead);
    assert_non_null(strstr(lead, "累计完成投资9.89亿元，相当于年度计划的116.35%"));
    assert_non_null(strstr(lead, "新签约项目67个、协议投资111.1亿元"));
    assert_null(strchr(lead, '{'));
    /* the bulletin blocks of the sample */
    assert_int_equal(doc->blocks[0].type, BLOCK_MASTHEAD);
    assert_string_equal(doc->blocks[0].masthead->title, "开发区发展简报");
    const table_spec *tab = NULL;
    for (size_t i = 0; i < doc->nblocks; i++)
        if (doc->blocks[i].table)
            tab = doc->blocks[i].table;
    assert_non_null(tab);
    assert_int_equal(tab->number, 1);
    assert_int_equal(tab->ncols, 5);
    assert_int_equal(tab->ngroups, 1);
    assert_int_equal(tab->groups[0].first, 3);
    assert_int_equal(tab->groups[0].count, 2);
    assert_string_equal(tab->total, "合计");
    /* counts and amounts are summed, the share of the plan is not */
    assert_true(tab->cols[1].summed && tab->cols[2].summed && tab->cols[3].summed);
    assert_false(tab->cols[0].summed || tab->cols[4].summed);
    assert_string_equal(tab->cols[4].unit, "%");
    assert_string_equal(doc->datasets[0].name, "key_projects");
    assert_string_equal(doc->datasets[0].json_path, "data.key_projects");
    assert_int_equal(doc->datasets[0].ncols, 6);   /* 类别, 项目数, 年度计划, 已完成, 占年度计划, 较计划 */
    assert_int_equal(doc->datasets[0].nrows, 2);
    assert_int_equal(dataset_cell(&doc->datasets[0], 0, 0)->kind, CELL_TEXT);
    assert_string_equal(dataset_cell(&doc->datasets[0], 0, 0)->text, "省重点项目（截至9月）");
    assert_true(dataset_cell(&doc->datasets[0], 0, 3)->number == 9.89);
    assert_string_equal(doc->datasets[0].units[3], "亿元");
    assert_int_equal(doc->datasets[0].decimals[2], 2);

    static const char *const ids[] = {"signed-investment", "key-projects", "sectors",
                                      "industry-mix", "services", "financing", "gdp-trend"};
    assert_int_equal(brief_doc_chart_count(doc), 7);
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(brief_doc_chart_id(doc, i), ids[i]);
    const chart_spec *kp = doc->charts[1];
    assert_int_equal(kp->kind, CHART_COMPLETION);
    assert_int_equal(kp->orientation, ORIENT_HORIZONTAL);
    assert_ptr_equal(kp->data, &doc->datasets[0]);
    assert_null(kp->inline_data);
    assert_int_equal(kp->category_col, 0);
    assert_int_equal(kp->nvalues, 2);
    assert_int_equal(kp->value_cols[0], 2);   /* 年度计划 */
    assert_int_equal(kp->value_cols[1], 3);   /* 已完成 */
    assert_string_equal(kp->unit, "亿元");
    assert_true(kp->threshold == 0.9);
    const chart_spec *sec = doc->charts[2];
    assert_int_equal(sec->kind, CHART_BAR);
    assert_int_equal(sec->orientation, ORIENT_HORIZONTAL);
    assert_int_equal(sec->sort, SORT_DESCENDING);
    assert_pt(sec->width_pt, 120);
    assert_pt(sec->height_pt, 70);
    assert_int_equal(doc->charts[0]->orientation, ORIENT_VERTICAL);
    assert_true(doc->charts[0]->width_pt == 0);
    /* bars with a line on a second axis; a donut with its total */
    const chart_spec *gdp = doc->charts[6];
    assert_int_equal(gdp->kind, CHART_BAR);
    assert_int_equal(gdp->nvalues, 1);
    assert_int_equal(gdp->nlines, 1);
    assert_int_equal(gdp->line_cols[0], 2);
    assert_null(gdp->line_unit);
    const chart_spec *mix = doc->charts[3];
    assert_int_equal(mix->kind, CHART_PIE);
    assert_true(mix->donut && mix->hole_total);
    assert_int_equal(mix->nvalues, 1);
    assert_true(mix->other_below == 0);
    for (size_t i = 0; i < doc->nblocks; i++)
        if (doc->blocks[i].type == BLOCK_FIGURE)
            assert_null(doc->blocks[i].image);
    brief_doc_free(doc);
}

static void page_sizes_and_margins_convert_to_points(void **state)
{
    (void)state;
    brief_doc *doc = expect_valid("{'brief': 1, 'page': {'size': [100, 150], 'margin': 10}, "
                                  "'body': [{'type': 'page_break'}]}");
    assert_pt(doc->page.width_pt, 100);
    assert_pt(doc->page.height_pt, 150);
    for (int i = 0; i < 4; i++)
        assert_pt(doc->page.margin_pt[i], 10);
    brief_doc_free(doc);

    doc = expect_valid("{'brief': 1, 'page': {'size': 'a5', 'orientation': 'landscape', "
                       "'margin': [12, 15.5]}, 'body': [{'type': 'page_break'}]}");
    assert_pt(doc->page.width_pt, 210);
    assert_pt(doc->page.height_pt, 148);
    assert_pt(doc->page.margin_pt[0], 12);
    assert_pt(doc->page.margin_pt[1], 15.5);
    assert_pt(doc->page.margin_pt[2], 12);
    assert_pt(doc->page.margin_pt[3], 15.5);
    brief_doc_free(doc);

    /* [w, h] is taken as written, unless an orientation is given */
    doc = expect_valid("{'brief': 1, 'page': {'size': [300, 200]}, 'body': [{'type': 'page_break'}]}");
    assert_pt(doc->page.width_pt, 300);
    brief_doc_free(doc);
    doc = expect_valid("{'brief': 1, 'page': {'size': [300, 200], 'orientation': 'portrait'}, "
                       "'body': [{'type': 'page_break'}]}");
    assert_pt(doc->page.width_pt, 200);
    assert_pt(doc->page.height_pt, 300);
    brief_doc_free(doc);

    static const struct { const char *name; double w, h; } papers[] = {
        {"A3", 297, 420}, {"A4", 210, 297}, {"B5", 176, 250}, {"LETTER", 215.9, 279.4},
        {"legal", 215.9, 355.6},
    };
    for (size_t i = 0; i < sizeof papers / sizeof papers[0]; i++) {
        char text[200];
        snprintf(text, sizeof text, "{'brief': 1, 'page': {'size': '%s'}, 'body': [{'type': 'page_break'}]}",
                 papers[i].name);
        doc = expect_valid(text);
        assert_pt(doc->page.width_pt, papers[i].w);
        assert_pt(doc->page.height_pt, papers[i].h);
        brief_doc_free(doc);
    }
    /* a text area of exactly 40 × 40 mm is enough */
    doc = expect_valid("{'brief': 1, 'page': {'size': [50, 50], 'margin': 5}, 'body': [{'type': 'page_break'}]}");
    brief_doc_free(doc);
}

static void style_meta_and_templates(void **state)
{
    (void)state;
    brief_doc *doc = expect_valid(
        "{'brief': 1,"
        " 'meta': {'title': '简报', 'author': '研究组', 'subject': '主题', 'keywords': ['a', '', 'b'], 'lang': 'en-US'},"
        " 'page': {'header': '{title} {{第4期}}', 'footer': '{page}/{pages}'},"
        " 'style': {'body_font': 'sans', 'heading_font': 'serif', 'font_size': 12, 'line_height': 1.5,"
        "           'cjk_latin_space': 0, 'normalize_punctuation': false, 'grid': false},"
        " 'body': [{'type': 'title', 'text': '另一个'}]}");
    assert_string_equal(doc->meta.title, "简报");
    assert_string_equal(doc->meta.author, "研究组");
    assert_string_equal(doc->meta.subject, "主题");
    assert_string_equal(doc->meta.keywords, "a, b");
    assert_string_equal(doc->meta.lang, "en-US");
    assert_string_equal(doc->page.header, "{title} {{第4期}}");
    assert_int_equal(doc->style.body_font, FACE_SANS);
    assert_int_equal(doc->style.heading_font, FACE_SERIF);
    assert_true(doc->style.font_size_pt == 12);
    assert_true(doc->style.line_height == 1.5);
    assert_true(doc->style.cjk_latin_space_em == 0);
    assert_false(doc->style.normalize_punctuation);
    assert_false(doc->style.grid);
    char *s = doc_expand_template(doc->page.header, 3, 9, doc->meta.title);
    assert_string_equal(s, "简报 {第4期}");
    free(s);
    s = doc_expand_template("第 {page} 页 共 {pages} 页 }}{{", 3, 12, NULL);
    assert_string_equal(s, "第 3 页 共 12 页 }{");
    free(s);
    brief_doc_free(doc);
}

static void blocks_fill_the_model(void **state)
{
    (void)state;
    brief_doc *doc = expect_valid(
        "{'brief': 1, 'body': ["
        " {'type': 'byline', 'text': 'b'}, {'type': 'lead', 'text': 'l'},"
        " {'type': 'heading', 'text': 'h'}, {'type': 'heading', 'level': 3, 'text': 'h3'},"
        " {'type': 'figure', 'image': 'photos/ix35.png', 'caption': '图', 'width': 80},"
        " {'type': 'figure', 'image': '/abs/ix35.png'},"
        " {'type': 'paragraph', 'text': 'p'}, {'type': 'page_break'}]}");
    assert_int_equal(doc->nblocks, 8);
    assert_int_equal(doc->blocks[0].type, BLOCK_BYLINE);
    assert_int_equal(doc->blocks[1].type, BLOCK_LEAD);
    assert_int_equal(doc->blocks[2].level, 1);
    assert_int_equal(doc->blocks[3].level, 3);
    const block *f = &doc->blocks[4];
    assert_int_equal(f->type, BLOCK_FIGURE);
    assert_string_equal(f->image, "photos/ix35.png");
    assert_string_equal(f->image_resolved, "photos/ix35.png");
    assert_string_equal(f->caption, "图");
    assert_pt(f->width_pt, 80);
    assert_string_equal(f->text, "");
    assert_string_equal(doc->blocks[5].image_resolved, "/abs/ix35.png");
    assert_true(doc->blocks[5].width_pt == 0);
    assert_int_equal(doc->blocks[7].type, BLOCK_PAGE_BREAK);
    assert_string_equal(doc->blocks[7].json_path, "body[7]");
    brief_doc_free(doc);

    /* relative images start from the input's directory */
    brief_diag *d = brief_diag_new();
    char *text = J("{'brief': 1, 'body': [{'type': 'figure', 'image': 'photos/a.png'}]}");
    doc = brief_doc_load_buffer(text, strlen(text), "some/dir/brief.json", d);
    assert_non_null(doc);
    assert_string_equal(doc->base_dir, "some/dir");
    assert_string_equal(doc->blocks[0].image_resolved, "some/dir/photos/a.png");
    brief_doc_free(doc);
    doc = brief_doc_load_buffer(text, strlen(text), NULL, d);
    assert_non_null(doc);
    assert_string_equal(doc->file, "<input>");
    assert_string_equal(doc->base_dir, ".");
    brief_doc_free(doc);
    free(text);
    brief_diag_free(d);
}

/* Runs in the fields the page draws: each keeps its plain text, value runs
 * become text, a numbered caption gets 图N as a first run, and a running
 * line's text runs stay templates while its value runs are escaped text. */
static void rich_fields_fill_the_model(void **state)
{
    (void)state;
    brief_doc *doc = expect_valid(
        "{'brief': 1, 'style': {'numbering': true},"
        " 'data': {'d': {'columns': ['k', 'v'], 'rows': [['a', 1.5]], 'units': {'v': '亿元'}}},"
        " 'page': {'header': [{'text': '第{page}页', 'bold': true}, {'value': 'd.v[a]'}]},"
        " 'body': ["
        " {'type': 'figure', 'caption': ['图注', {'note': '注'}, {'text': '链', 'link': 'https://e.org/'}]},"
        " {'type': 'table', 'data': 'd', 'title': [{'text': '表题', 'bold': true}], 'note': ['源', {'value': 'd.v[a]'}]},"
        " {'type': 'list', 'items': ['一', ['二', {'note': '注二'}]]},"
        " {'type': 'kpi', 'items': [{'label': [{'text': '甲', 'bold': true}], 'value': 1}, {'label': '乙', 'value': 2}]},"
        " {'type': 'masthead', 'title': ['简', {'text': '报', 'bold': true}]}]}");
    const block *f = &doc->blocks[0];
    assert_string_equal(f->caption, "图1 图注链");
    assert_non_null(f->caption_rich);
    assert_int_equal(f->caption_rich->nruns, 4);
    assert_string_equal(f->caption_rich->runs[0].text, "图1 ");
    assert_int_equal(f->caption_rich->runs[2].kind, RUN_NOTE);
    assert_string_equal(f->caption_rich->runs[3].link, "https://e.org/");
    const table_spec *t = doc->blocks[1].table;
    assert_string_equal(t->title, "表题");
    assert_true(t->title_rich->runs[0].bold);
    assert_string_equal(t->note, "源1.5亿元");
    assert_int_equal(t->note_rich->runs[1].kind, RUN_TEXT);
    const list_spec *l = doc->blocks[2].list;
    assert_non_null(l->items_rich);
    assert_null(l->items_rich[0]);
    assert_string_equal(l->items[1], "二");
    assert_int_equal(l->items_rich[1]->runs[1].kind, RUN_NOTE);
    assert_string_equal(doc->blocks[3].kpi->items[0].label, "甲");
    assert_non_null(doc->blocks[3].kpi->items[0].label_rich);
    assert_null(doc->blocks[3].kpi->items[1].label_rich);
    assert_string_equal(doc->blocks[4].masthead->title, "简报");
    assert_string_equal(doc->page.header, "第{page}页1.5亿元");
    assert_string_equal(doc->page.header_rich->runs[0].text, "第{page}页");
    char *s = doc_expand_template(doc->page.header_rich->runs[0].text, 2, 3, "");
    assert_string_equal(s, "第2页");
    free(s);
    brief_doc_free(doc);
}

#define SECTORS "'data': {'sectors': {'columns': ['产业', '投资额', '项目数', '备注'], " \
                "'rows': [['新材料', 21.7, 3, 'a'], ['生物医药', 12.3, null, 'b'], [2020, null, 1, 'c']]}}"

static void chart_specs_are_complete(void **state)
{
    (void)state;
    brief_doc *doc = expect_valid(
        "{'brief': 1, " SECTORS ", 'body': ["
        " {'type': 'chart', 'id': 'a', 'kind': 'bar', 'data': 'sectors'},"
        " {'type': 'chart', 'id': 'b_2', 'kind': 'bar', 'data': 'sectors', 'category': '备注',"
        "  'values': ['项目数', '投资额'], 'orientation': 'horizontal', 'stacked': 'percent',"
        "  'sort': 'ascending', 'unit': '亿元', 'title': 'T', 'subtitle': 'S', 'note': 'N',"
        "  'width': 100, 'height': 60.5, 'legend': 'bottom', 'theme': 'official',"
        "  'colors': ['#ABC'], 'number_format': 'thousands', 'decimals': 2,"
        "  'reference': [{'value': 15, 'label': '平均'}, {'value': -1e15}]},"
        " {'type': 'chart', 'id': 'C-3', 'kind': 'completion', 'category': 'k',"
        "  'data': {'columns': ['k', 'plan', 'done'], 'rows': [['x', 0, 1], ['y', null, null]]},"
        "  'plan': 'plan', 'actual': 'done', 'threshold': 1.2,"
        "  'colors': ['#112233', '#445566']}"
        "]}");
    assert_int_equal(brief_doc_chart_count(doc), 3);
    const chart_spec *a = doc->charts[0];
    assert_ptr_equal(a, doc->blocks[0].chart);
    assert_string_equal(a->id, "a");
    assert_string_equal(a->json_path, "body[0]");
    assert_int_equal(a->orientation, ORIENT_VERTICAL);
    assert_int_equal(a->category_col, 0);
    assert_int_equal(a->nvalues, 2);   /* default: the other columns holding numbers */
    assert_int_equal(a->value_cols[0], 1);
    assert_int_equal(a->value_cols[1], 2);
    assert_null(a->colors);
    assert_int_equal(a->theme_id, THEME_DEFAULT);
    assert_int_equal(a->font, FACE_SANS);   /* the headings' face */
    assert_int_equal(a->stacked, STACK_NONE);
    assert_int_equal(a->sort, SORT_NONE);
    assert_int_equal(a->legend, LEGEND_AUTO);
    assert_int_equal(a->number_format, NUMBER_PLAIN);
    assert_int_equal(a->decimals, -1);
    assert_string_equal(a->unit, "");
    assert_string_equal(a->title, "");
    assert_string_equal(a->subtitle, "");
    assert_string_equal(a->note, "");
    assert_true(a->width_pt == 0 && a->height_pt == 0);
    assert_int_equal(a->nrefs, 0);

    const chart_spec *b = doc->charts[1];
    assert_int_equal(b->category_col, 3);
    assert_int_equal(b->nvalues, 2);
    assert_int_equal(b->value_cols[0], 2);
    assert_int_equal(b->value_cols[1], 1);
    assert_int_equal(b->orientation, ORIENT_HORIZONTAL);
    assert_int_equal(b->stacked, STACK_PERCENT);
    assert_int_equal(b->sort, SORT_ASCENDING);
    assert_string_equal(b->unit, "亿元");
    assert_string_equal(b->title, "T");
    assert_string_equal(b->subtitle, "S");
    assert_string_equal(b->note, "N");
    assert_pt(b->width_pt, 100);
    assert_pt(b->height_pt, 60.5);
    assert_int_equal(b->legend, LEGEND_BOTTOM);
    assert_int_equal(b->theme_id, THEME_OFFICIAL);
    assert_non_null(b->colors);
    assert_true(b->colors[0].given && !b->colors[1].given);
    assert_true(b->colors[0].rgb.r == 0xaa / 255.0 && b->colors[0].rgb.g == 0xbb / 255.0 &&
                b->colors[0].rgb.b == 0xcc / 255.0);
    assert_int_equal(b->number_format, NUMBER_THOUSANDS);
    assert_int_equal(b->decimals, 2);
    assert_int_equal(b->nrefs, 2);
    assert_true(b->refs[0].value == 15);
    assert_string_equal(b->refs[0].label, "平均");
    assert_true(b->refs[1].value == -1e15);
    assert_string_equal(b->refs[1].label, "");

    const chart_spec *c = doc->charts[2];
    assert_int_equal(c->kind, CHART_COMPLETION);
    assert_int_equal(c->orientation, ORIENT_HORIZONTAL);
    assert_non_null(c->inline_data);
    assert_ptr_equal(c->data, c->inline_data);
    assert_string_equal(c->inline_data->name, "");
    assert_string_equal(c->inline_data->json_path, "body[2].data");
    assert_int_equal(c->nvalues, 2);
    assert_int_equal(c->value_cols[0], 1);
    assert_int_equal(c->value_cols[1], 2);
    assert_true(c->threshold == 1.2);
    assert_true(c->colors[1].given && c->colors[1].rgb.g == 0x55 / 255.0);
    assert_int_equal(dataset_cell(c->data, 1, 1)->kind, CELL_NULL);
    brief_doc_free(doc);
}

/* ---- errors ---- */

static void version_and_top_level_errors(void **state)
{
    (void)state;
    static const error_case cases[] = {
        {"[1]", "t.json:1:1: expected a JSON object at the top level, got an array"},
        {"{'brief': 2, 'body': 7, 'x': 1}",
         "t.json:1:11: brief: unsupported format version 2 (this brief reads version 1)"},
        {"{'brief': 1, 'body': [{'type': 'page_break'}], 'x': 1}",
         "t.json:1:48: x: unknown key \"x\" (expected one of: brief, meta, page, style, data, vars, body)"},
        {"{'brief': 1.5, 'body': []}", "t.json:1:11: brief: unsupported format version 1.5 (this brief reads version 1)"},
        {"{'brief': '1', 'body': [{'type': 'page_break'}]}",
         "t.json:1:11: brief: expected a number, got a string \"1\" (write the number without quotes)"},
        {"{'body': [{'type': 'page_break'}]}",
         "t.json:1:1: missing required key \"brief\" (expected \"brief\": 1, the format version)"},
        {"{'brif': 1, 'body': [{'type': 'page_break'}]}",
         "t.json:1:2: brif: unknown key \"brif\" (did you mean \"brief\"?)"},
        {"{'brief': 1}", "t.json:1:1: missing required key \"body\" (expected an array of blocks)"},
        {"{'brief': 1, 'body': {}}", "t.json:1:22: body: expected an array of blocks, got an object"},
        {"{'brief': 1, 'body': []}", "t.json:1:22: body: empty body (expected at least one block)"},
        {"{'brief': 1, 'title': 'x', 'Body': [{'type': 'page_break'}]}",
         "t.json:1:14: title: unknown key \"title\" at the top level (it belongs in \"meta\")\n"
         "t.json:1:28: Body: unknown key \"Body\" (did you mean \"body\"?)"},
    };
    RUN(cases);
}

static void block_errors(void **state)
{
    (void)state;
    static const error_case cases[] = {
        {"{'brief': 1, 'body': [\n  {'type': 'title', 'text': '标题'},\n  {'type': 'lead', 'text': 2020}\n]}",
         "t.json:3:28: body[1].text: expected a string or an array of runs, got a number"},
        {"{'brief': 1, 'body': ['text']}",
         "t.json:1:23: body[0]: expected a block (an object with \"type\"), got a string \"text\""},
        {"{'brief': 1, 'body': [{'text': 'x'}]}",
         "t.json:1:23: body[0]: missing required key \"type\" (expected one of: title, byline, lead, "
         "heading, paragraph, figure, chart, page_break, table, kpi, list, masthead)"},
        {"{'brief': 1, 'body': [{'typ': 'title', 'text': 'x'}]}",
         "t.json:1:24: body[0].typ: unknown key \"typ\" (did you mean \"type\"?)"},
        {"{'brief': 1, 'body': [{'type': 'Paragraph', 'text': 'x'}]}",
         "t.json:1:32: body[0].type: unknown block type \"Paragraph\" (did you mean \"paragraph\"?)"},
        {"{'brief': 1, 'body': [{'type': 7}]}",
         "t.json:1:32: body[0].type: expected one of \"title\", \"byline\", \"lead\", \"heading\", "
         "\"paragraph\", \"figure\", \"chart\", \"page_break\", \"table\", \"kpi\", \"list\", "
         "\"masthead\", got a number"},
        {"{'brief': 1, 'body': [{'type': 'title', 'txt': 'x'}]}",
         "t.json:1:41: body[0].txt: unknown key \"txt\" (did you mean \"text\"?)"},
        {"{'brief': 1, 'body': [{'type': 'title'}]}",
         "t.json:1:23: body[0]: missing required key \"text\" (a title block needs text)"},
        {"{'brief': 1, 'body': [{'type': 'title', 'text': ''}]}",
         "t.json:1:49: body[0].text: empty string (expected at least one character)"},
        {"{'brief': 1, 'body': [{'type': 'paragraph', 'text': 'x', 'caption': 'c', 'foo': 1}]}",
         "t.json:1:58: body[0].caption: unknown key \"caption\" for a paragraph block (only figure blocks have it)\n"
         "t.json:1:74: body[0].foo: unknown key \"foo\" (expected one of: type, text)"},
        {"{'brief': 1, 'body': [{'type': 'page_break', 'text': 'x'}]}",
         "t.json:1:46: body[0].text: unknown key \"text\" for a page_break block (only title, byline, "
         "lead, heading and paragraph blocks have it)"},
        {"{'brief': 1, 'body': [{'type': 'heading', 'level': 0, 'text': 'h'}, "
         "{'type': 'heading', 'level': 2.5, 'text': 'h'}, {'type': 'heading', 'level': '2', 'text': 'h'}]}",
         "t.json:1:52: body[0].level: 0 is out of range (expected 1 to 3)\n"
         "t.json:1:98: body[1].level: expected an integer, got 2.5\n"
         "t.json:1:146: body[2].level: expected an integer, got a string \"2\" (write the number without quotes)"},
        {"{'brief': 1, 'body': [{'type': 'figure', 'image': 'http://x/a.png', 'width': 1001}, "
         "{'type': 'figure', 'image': 'a\\\\b.png', 'caption': 5}]}",
         "t.json:1:51: body[0].image: images must be local files, got a URL (expected a path relative to the brief)\n"
         "t.json:1:78: body[0].width: 1001 is out of range (expected 10 to 1000 mm)\n"
         "t.json:1:113: body[1].image: image path uses backslashes (write \"a/b.png\")\n"
         "t.json:1:136: body[1].caption: expected a string or an array of runs, got a number"},
    };
    RUN(cases);
}

static void long_text_and_many_blocks(void **state)
{
    (void)state;
    strbuf s = {0};
    sb_puts(&s, "{'brief': 1, 'body': [{'type': 'paragraph', 'text': '");
    for (int i = 0; i < 100001; i++)
        sb_puts(&s, "x");
    sb_puts(&s, "'}]}");
    expect_errors(s.s, "t.json:1:53: body[0].text: text is too long: 100001 bytes (at most 100000)");
    sb_truncate(&s, 0);
    sb_puts(&s, "{'brief': 1, 'body': [");
    for (int i = 0; i < 10001; i++)
        sb_puts(&s, i ? ", {'type': 'page_break'}" : "{'type': 'page_break'}");
    sb_puts(&s, "]}");
    expect_errors(s.s, "t.json:1:22: body: 10001 blocks (at most 10000)");
    sb_free(&s);
}

static void page_and_style_errors(void **state)
{
    (void)state;
    static const error_case cases[] = {
        {"{'brief': 1, 'page': {'size': 'A6'}, 'body': [{'type': 'page_break'}]}",
         "t.json:1:31: page.size: unknown page size \"A6\" (expected \"A3\", \"A4\", \"A5\", \"B5\", "
         "\"Letter\", \"Legal\" or [width, height] in mm)"},
        {"{'brief': 1, 'page': {'size': 'Leter'}, 'body': [{'type': 'page_break'}]}",
         "t.json:1:31: page.size: unknown page size \"Leter\" (did you mean \"Letter\"?)"},
        {"{'brief': 1, 'page': {'size': [40, 2001]}, 'body': [{'type': 'page_break'}]}",
         "t.json:1:32: page.size[0]: 40 is out of range (expected 50 to 2000 mm)\n"
         "t.json:1:36: page.size[1]: 2001 is out of range (expected 50 to 2000 mm)"},
        {"{'brief': 1, 'page': {'size': [210]}, 'body': [{'type': 'page_break'}]}",
         "t.json:1:31: page.size: expected [width, height] in mm, got an array of 1 values"},
        {"{'brief': 1, 'page': {'size': 4}, 'body': [{'type': 'page_break'}]}",
         "t.json:1:31: page.size: expected a page size such as \"A4\" or [width, height] in mm, got a number"},
        {"{'brief': 1, 'page': {'margin': [1, 2, 3]}, 'body': [{'type': 'page_break'}]}",
         "t.json:1:33: page.margin: expected 1, 2 or 4 margins, got 3 ([top, right, bottom, left] "
         "or [vertical, horizontal] in mm)"},
        {"{'brief': 1, 'page': {'margin': [10, -1, 10, 201]}, 'body': [{'type': 'page_break'}]}",
         "t.json:1:38: page.margin[1]: -1 is out of range (expected 0 to 200 mm)\n"
         "t.json:1:46: page.margin[3]: 201 is out of range (expected 0 to 200 mm)"},
        {"{'brief': 1, 'page': {'margin': '20mm'}, 'body': [{'type': 'page_break'}]}",
         "t.json:1:33: page.margin: expected a margin in mm or an array of 2 or 4 margins, got a string \"20mm\""},
        {"{'brief': 1, 'page': {'size': 'A5', 'margin': [100, 60]}, 'body': [{'type': 'page_break'}]}",
         "t.json:1:47: page.margin: margins leave only 28 × 10 mm for text on the A5 page (148 × 210 mm) "
         "(expected at least 40 × 40 mm)"},
        {"{'brief': 1, 'page': {'size': [60, 100], 'orientation': 'landscape'}, 'body': [{'type': 'page_break'}]}",
         "t.json:1:31: page.size: margins leave only 60 × 10 mm for text on the 100 × 60 mm page "
         "(expected at least 40 × 40 mm)"},
        {"{'brief': 1, 'page': {'orientation': 'landscap', 'footr': ''}, 'body': [{'type': 'page_break'}]}",
         "t.json:1:38: page.orientation: unknown orientation \"landscap\" (did you mean \"landscape\"?)\n"
         "t.json:1:50: page.footr: unknown key \"footr\" (did you mean \"footer\"?)"},
        {"{'brief': 1, 'page': {'header': '{Title} {x', 'footer': '第 {pg} 页 } {{ok}} {}'}, 'body': [{'type': 'page_break'}]}",
         /* One error per field, at the placeholder inside the string. */
         "t.json:1:34: page.header: unknown placeholder \"{Title}\" (did you mean {title}? expected {page}, {pages} or {title}, "
         "or a reference such as {DATASET.COLUMN[ROW]}, {sum(DATASET.COLUMN)} or {var.NAME}; write {{ and }} for literal braces)\n"
         "t.json:1:60: page.footer: unknown placeholder \"{pg}\" (did you mean {page}? expected {page}, {pages} or {title}, "
         "or a reference such as {DATASET.COLUMN[ROW]}, {sum(DATASET.COLUMN)} or {var.NAME}; write {{ and }} for literal braces)"},
        {"{'brief': 1, 'page': 'A4', 'style': [], 'body': [{'type': 'page_break'}]}",
         "t.json:1:22: page: expected an object, got a string \"A4\"\n"
         "t.json:1:37: style: expected an object, got an array"},
        {"{'brief': 1, 'style': {'font_size': 5.9, 'line_height': 3.01, 'cjk_latin_space': 0.6, 'grid': 1,"
         " 'body_font': 'Sans', 'heading_font': 'kai', 'normalize_punctuation': 'yes'}, 'body': [{'type': 'page_break'}]}",
         "t.json:1:37: style.font_size: 5.9 is out of range (expected 6 to 24 pt)\n"
         "t.json:1:57: style.line_height: 3.01 is out of range (expected 1 to 3)\n"
         "t.json:1:82: style.cjk_latin_space: 0.6 is out of range (expected 0 to 0.5 em)\n"
         "t.json:1:95: style.grid: expected true or false, got a number\n"
         "t.json:1:111: style.body_font: unknown font \"Sans\" (did you mean \"sans\"?)\n"
         "t.json:1:135: style.heading_font: unknown font \"kai\" (expected \"serif\" or \"sans\")\n"
         "t.json:1:167: style.normalize_punctuation: expected true or false, got a string \"yes\""},
        {"{'brief': 1, 'style': {'font_size': '10.5pt', 'line_height': '1.7'}, 'body': [{'type': 'page_break'}]}",
         "t.json:1:37: style.font_size: expected a number, got a string \"10.5pt\" (numbers must not carry units; write 10.5)\n"
         "t.json:1:62: style.line_height: expected a number, got a string \"1.7\" (write the number without quotes)"},
        {"{'brief': 1, 'style': {'font_size': 1e999}, 'body': [{'type': 'page_break'}]}",
         "t.json:1:37: style.font_size: number is too large (expected 6 to 24 pt)"},
    };
    RUN(cases);
}

static void meta_errors(void **state)
{
    (void)state;
    static const error_case cases[] = {
        {"{'brief': 1, 'meta': {'title': 1, 'autor': 'x', 'keywords': ['a', 2], 'lang': 'zh_CN'}, "
         "'body': [{'type': 'page_break'}]}",
         "t.json:1:32: meta.title: expected a string, got a number\n"
         "t.json:1:35: meta.autor: unknown key \"autor\" (did you mean \"author\"?)\n"
         "t.json:1:67: meta.keywords[1]: expected a string, got a number\n"
         "t.json:1:79: meta.lang: invalid language tag \"zh_CN\" (did you mean \"zh-CN\"?)"},
        {"{'brief': 1, 'meta': {'keywords': '招商', 'lang': 'chinese'}, 'body': [{'type': 'page_break'}]}",
         "t.json:1:35: meta.keywords: expected an array of strings, got a string \"招商\" (write [\"招商\"])\n"
         "t.json:1:49: meta.lang: invalid language tag \"chinese\" (expected a tag such as \"zh-CN\" or \"en\")"},
    };
    RUN(cases);
}

#define KP "'data': {'key_projects': {'columns': ['类别', '年度计划', '已完成'],\n" \
           " 'rows': [['省重点项目（截至9月）', 8.50, 9.89], ['市重点项目（截至10月）', 10.79, 10.73]]}}"

static void data_errors(void **state)
{
    (void)state;
    static const error_case cases[] = {
        {"{'brief': 1, 'data': [], 'body': [{'type': 'page_break'}]}",
         "t.json:1:22: data: expected an object of named datasets, got an array"},
        {"{'brief': 1, 'data': {'': {'columns': ['a'], 'rows': []}, 'x': 1}, 'body': [{'type': 'page_break'}]}",
         "t.json:1:23: data[\"\"]: empty dataset name (expected a name such as \"sectors\")\n"
         "t.json:1:64: data.x: expected a dataset (an object with \"columns\" and \"rows\", or with \"csv\"), got a number"},
        {"{'brief': 1, 'data': {'d': {'colums': ['a'], 'row': []}}, 'body': [{'type': 'page_break'}]}",
         "t.json:1:29: data.d.colums: unknown key \"colums\" (did you mean \"columns\"?)\n"
         "t.json:1:46: data.d.row: unknown key \"row\" (did you mean \"rows\"?)"},
        {"{'brief': 1, 'data': {'d': {}}, 'body': [{'type': 'page_break'}]}",
         "t.json:1:28: data.d: missing required key \"columns\" (expected an array of column names)\n"
         "t.json:1:28: data.d: missing required key \"rows\" (expected an array of rows)"},
        {"{'brief': 1, 'data': {'d': {'columns': [], 'rows': 3}}, 'body': [{'type': 'page_break'}]}",
         "t.json:1:40: data.d.columns: no columns (expected 1 to 64 column names)\n"
         "t.json:1:52: data.d.rows: expected an array of rows, got a number"},
        {"{'brief': 1, 'data': {'d': {'columns': ['a', 'b', 'a', '', 3], 'rows': []}}, 'body': [{'type': 'page_break'}]}",
         "t.json:1:51: data.d.columns[2]: duplicate column \"a\" (first at columns[0])\n"
         "t.json:1:56: data.d.columns[3]: empty string (expected at least one character)\n"
         "t.json:1:60: data.d.columns[4]: expected a string, got a number"},
        {"{'brief': 1, " KP ", 'body': [{'type': 'page_break'}]}",
         ""},
        {"{'brief': 1, 'data': {'key_projects': {'columns': ['类别', '年度计划', '已完成'],\n"
         "  'rows': [['省重点项目', 8.5, 9.89],\n            ['市重点项目', 10.73], 'x', [true, {}, [], 1e16]]}}, "
         "'body': [{'type': 'page_break'}]}",
         "t.json:3:13: data.key_projects.rows[1]: row has 2 cells, expected 3 (one per column: 类别, 年度计划, 已完成)\n"
         "t.json:3:31: data.key_projects.rows[2]: expected a row (an array of cells), got a string \"x\"\n"
         "t.json:3:36: data.key_projects.rows[3]: row has 4 cells, expected 3 (one per column: 类别, 年度计划, 已完成)\n"
         "t.json:3:37: data.key_projects.rows[3][0]: expected a number, a string or null, got true\n"
         "t.json:3:43: data.key_projects.rows[3][1]: expected a number, a string or null, got an object\n"
         "t.json:3:47: data.key_projects.rows[3][2]: expected a number, a string or null, got an array\n"
         "t.json:3:51: data.key_projects.rows[3][3]: 1e+16 is out of range (expected -1e+15 to 1e+15)"},
    };
    /* the KP dataset alone is valid: drop that case from the table run */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (!*cases[i].expected) {
            brief_doc_free(expect_valid(cases[i].doc));
            continue;
        }
        expect_errors(cases[i].doc, cases[i].expected);
    }
}

static void dataset_size_limits(void **state)
{
    (void)state;
    strbuf s = {0};
    sb_puts(&s, "{'brief': 1, 'data': {'d': {'columns': [");
    for (int i = 0; i < 65; i++)
        sb_printf(&s, "%s'c%d'", i ? ", " : "", i);
    sb_puts(&s, "], 'rows': []}}, 'body': [{'type': 'page_break'}]}");
    expect_errors(s.s, "t.json:1:40: data.d.columns: 65 columns (at most 64)");
    sb_truncate(&s, 0);
    sb_puts(&s, "{'brief': 1, 'data': {'d': {'columns': ['a'], 'rows': [");
    for (int i = 0; i < 10001; i++)
        sb_printf(&s, "%s[%d]", i ? ", " : "", i);
    sb_puts(&s, "]}}, 'body': [{'type': 'page_break'}]}");
    expect_errors(s.s, "t.json:1:55: data.d.rows: 10001 rows (at most 10000)");
    sb_free(&s);
}

static void chart_errors(void **state)
{
    (void)state;
    static const error_case cases[] = {
        {"{'brief': 1, " KP ",\n'body': [{'type': 'chart', 'data': 'key_projects'}]}",
         "t.json:3:10: body[0]: missing required key \"id\" (expected a unique name such as \"sectors\")\n"
         "t.json:3:10: body[0]: missing required key \"kind\" (expected \"bar\", \"completion\", \"line\" "
         "or \"pie\")"},
        {"{'brief': 1, " KP ",\n'body': [{'type': 'chart', 'id': 'a b', 'kind': 'bars', 'data': 'key_projects'},\n"
         " {'type': 'chart', 'id': 'kp', 'kind': 'completion', 'data': 'key_project', 'plan': '年度计划', 'actual': '已完成'},\n"
         " {'type': 'chart', 'id': 'kp', 'kind': 'completion', 'data': 'key_projects', 'plan': '年度计划', 'actual': '已完成'},\n"
         " {'type': 'chart', 'id': 'kp2', 'kind': 'completion', 'data': 'key_projects', 'plan': '计划', 'actul': '已完成'}]}",
         "t.json:3:34: body[0].id: invalid chart id \"a b\" (expected 1 to 64 letters, digits, '-' or '_')\n"
         "t.json:3:49: body[0].kind: unknown chart kind \"bars\" (did you mean \"bar\"?)\n"
         "t.json:4:62: body[1].data: dataset \"key_project\" not found (did you mean \"key_projects\"? datasets: key_projects)\n"
         "t.json:5:26: body[2].id: duplicate chart id \"kp\" (first used at body[1])\n"
         "t.json:6:87: body[3].plan: column \"计划\" not found in dataset \"key_projects\" (did you mean \"年度计划\"? "
         "columns: 类别, 年度计划, 已完成)\n"
         "t.json:6:93: body[3].actul: unknown key \"actul\" (did you mean \"actual\"?)"},
        {"{'brief': 1, 'body': [{'type': 'chart', 'id': 'x', 'kind': 'bar', 'data': 'nothing'}]}",
         "t.json:1:75: body[0].data: dataset \"nothing\" not found (no datasets are defined; add it under \"data\")"},
        {"{'brief': 1, 'body': [{'type': 'chart', 'id': 'x', 'kind': 'bar', 'data': ['a']}]}",
         "t.json:1:75: body[0].data: expected a dataset name or an object with \"columns\" and \"rows\", got an array"},
        {"{'brief': 1, " KP ",\n'body': [{'type': 'chart', 'id': 'x', 'kind': 'bar', 'data': 'key_projects', "
         "'plan': '年度计划', 'threshold': 0.5, 'values': []}]}",
         "t.json:3:78: body[0].plan: \"plan\" is only for completion charts (this chart is a bar chart)\n"
         "t.json:3:94: body[0].threshold: \"threshold\" is only for completion charts (this chart is a bar chart)\n"
         "t.json:3:122: body[0].values: no value columns (expected 1 to 12 column names)"},
        {"{'brief': 1, " KP ",\n'body': [{'type': 'chart', 'id': 'x', 'kind': 'bar', 'data': 'key_projects', "
         "'category': '已完成', 'values': ['类别', '已完成', '类别', 2]}]}",
         "t.json:3:114: body[0].values[1]: column \"已完成\" is the category (expected a column of numbers)\n"
         "t.json:3:121: body[0].values[2]: column \"类别\" is listed twice (first at values[0])\n"
         "t.json:3:127: body[0].values[3]: expected a column name, got a number"},
        {"{'brief': 1, " KP ",\n'body': [{'type': 'chart', 'id': 'x', 'kind': 'completion', 'data': 'key_projects', "
         "'category': 'x', 'values': ['已完成']}]}",
         "t.json:3:10: body[0]: missing required key \"plan\" (the column with the planned amounts)\n"
         "t.json:3:10: body[0]: missing required key \"actual\" (the column with the completed amounts)\n"
         "t.json:3:97: body[0].category: column \"x\" not found in dataset \"key_projects\" (columns: 类别, 年度计划, 已完成)\n"
         "t.json:3:102: body[0].values: \"values\" is only for bar, line and pie charts (this chart is a completion chart)"},
        {"{'brief': 1, 'body': [{'type': 'chart', 'id': 'x', 'kind': 'completion',\n"
         " 'data': {'columns': ['类别', '计划', '完成'], 'rows': [['甲', -1, '9.89亿'], [null, 2, -3], [3, '4', null]]}}]}",
         "t.json:1:23: body[0]: missing required key \"plan\" (the column with the planned amounts)\n"
         "t.json:1:23: body[0]: missing required key \"actual\" (the column with the completed amounts)"},
        {"{'brief': 1, 'body': [{'type': 'chart', 'id': 'x', 'kind': 'completion', 'plan': '计划', 'actual': '完成',\n"
         " 'data': {'columns': ['类别', '计划', '完成'], 'rows': [['甲', -1, '9.89亿'], [null, 2, -3], [3, '4', null]]}}]}",
         "t.json:2:57: body[0].data.rows[0][1]: negative planned amount -1 (a completion chart needs amounts of 0 or more)\n"
         "t.json:2:61: body[0].data.rows[0][2]: expected a number, got the string \"9.89亿\" "
         "(a value must be a JSON number; write the unit in \"unit\")\n"
         "t.json:2:72: body[0].data.rows[1][0]: expected a category name (a string or a number), got null\n"
         "t.json:2:81: body[0].data.rows[1][2]: negative completed amount -3 (a completion chart needs amounts of 0 or more)\n"
         "t.json:2:90: body[0].data.rows[2][1]: expected a number, got the string \"4\" (write the number without quotes)"},
        {"{'brief': 1, 'data': {'t': {'columns': ['a', 'b'], 'rows': [['x', 'y']]}, 'e': {'columns': ['a', 'b'], 'rows': []}},\n"
         "'body': [{'type': 'chart', 'id': 'x', 'kind': 'bar', 'data': 't'}, {'type': 'chart', 'id': 'y', 'kind': 'bar', 'data': 'e', 'values': ['b']}]}",
         "t.json:2:10: body[0]: no column of numbers to chart (expected \"values\": [column names])\n"
         "t.json:2:120: body[1].data: chart has no categories (the dataset has no rows)"},
        {"{'brief': 1, 'body': [{'type': 'chart', 'id': 'x', 'kind': 'bar', 'data': {'columns': ['a', 'b'], 'rows': [['x', 1]]},\n"
         " 'colors': ['#12345', 'red'], 'stacked': 'percnt', 'sort': 'desc', 'legend': 'left', 'theme': 'dark',\n"
         " 'number_format': 'wan', 'decimals': 1.5, 'width': 19, 'height': 1001, 'reference': [{'label': 'x'}, 3]}]}",
         "t.json:2:12: body[0].colors: 2 colors for 1 series (expected at most one per series)\n"
         "t.json:2:42: body[0].stacked: unknown stacking \"percnt\" (did you mean \"percent\"?)\n"
         "t.json:2:60: body[0].sort: unknown sort order \"desc\" (did you mean \"descending\"?)\n"
         "t.json:2:78: body[0].legend: unknown legend position \"left\" (expected \"auto\", \"top\", \"bottom\", \"right\" or \"none\")\n"
         "t.json:2:95: body[0].theme: unknown theme \"dark\" (expected \"default\" or \"official\")\n"
         "t.json:3:19: body[0].number_format: unknown number format \"wan\" (expected \"plain\", \"thousands\" or \"chinese\")\n"
         "t.json:3:38: body[0].decimals: expected an integer, got 1.5\n"
         "t.json:3:52: body[0].width: 19 is out of range (expected 20 to 1000 mm)\n"
         "t.json:3:66: body[0].height: 1001 is out of range (expected 20 to 1000 mm)\n"
         "t.json:3:86: body[0].reference[0]: missing required key \"value\" (the line's value in data units)\n"
         "t.json:3:102: body[0].reference[1]: expected a reference line ({\"value\": number, \"label\": text}), got a number"},
        {"{'brief': 1, 'body': [{'type': 'chart', 'id': 'x', 'kind': 'bar', 'data': {'columns': ['a', 'b'], 'rows': [['x', 1]]},\n"
         " 'colors': ['#12345', 'red']}]}",
         "t.json:2:12: body[0].colors: 2 colors for 1 series (expected at most one per series)"},
        {"{'brief': 1, 'body': [{'type': 'chart', 'id': 'x', 'kind': 'bar', 'data': {'columns': ['a', 'b', 'c'], 'rows': [['x', 1, 2]]},\n"
         " 'colors': ['#12345', 'red', 7]}]}",
         "t.json:2:12: body[0].colors: 3 colors for 2 series (expected at most one per series)"},
        {"{'brief': 1, 'body': [{'type': 'chart', 'id': 'x', 'kind': 'bar', 'data': {'columns': ['a', 'b', 'c'], 'rows': [['x', 1, 2]]},\n"
         " 'colors': ['#12345', 'red']}]}",
         "t.json:2:13: body[0].colors[0]: invalid color \"#12345\" (expected \"#rrggbb\" or \"#rgb\")\n"
         "t.json:2:23: body[0].colors[1]: invalid color \"red\" (expected \"#rrggbb\" or \"#rgb\")"},
    };
    RUN(cases);
}

static void categories_limit(void **state)
{
    (void)state;
    strbuf s = {0};
    sb_puts(&s, "{'brief': 1, 'data': {'many': {'columns': ['类别', '值'], 'rows': [");
    for (int i = 0; i < 51; i++)
        sb_printf(&s, "%s['类别%d', %d]", i ? ", " : "", i, i);
    sb_puts(&s, "]}}, 'body': [{'type': 'chart', 'id': 'many', 'kind': 'bar', 'data': 'many'}]}");
    size_t col = strlen(s.s) - strlen("'many'}]}") + 1;
    char expected[200];
    /* the column counts characters: 类别 is one column per hanzi */
    size_t hanzi_bytes = 51 * 2 * 2 + 2 * 2 + 1 * 2;   /* 类别 x51, 类别+值 header: 2 extra bytes each */
    snprintf(expected, sizeof expected, "t.json:1:%zu: body[0].data: chart has 51 categories (at most 50)",
             col - hanzi_bytes);
    expect_errors(s.s, expected);
    sb_free(&s);
}

static void strings_in_value_columns_are_reported_once(void **state)
{
    (void)state;
    expect_errors("{'brief': 1, 'data': {'d': {'columns': ['a', 'v'], 'rows': [['x', '1亿'], ['y', 2]]}},\n"
                  "'body': [{'type': 'chart', 'id': 'one', 'kind': 'bar', 'data': 'd'},\n"
                  "         {'type': 'chart', 'id': 'two', 'kind': 'bar', 'data': 'd', 'values': ['v']}]}",
                  "t.json:1:67: data.d.rows[0][1]: expected a number, got the string \"1亿\" "
                  "(a value must be a JSON number; write the unit in \"unit\")");
}

static void errors_come_in_text_order_and_stop_at_the_cap(void **state)
{
    (void)state;
    /* check order would be brief, meta, page, …; the text order wins */
    expect_errors("{'body': [{'type': 'title', 'text': 1}], 'style': {'grid': 0}, 'meta': {'title': 2}, 'brief': 1}",
                  "t.json:1:37: body[0].text: expected a string or an array of runs, got a number\n"
                  "t.json:1:60: style.grid: expected true or false, got a number\n"
                  "t.json:1:82: meta.title: expected a string, got a number");
    strbuf s = {0};
    sb_puts(&s, "{'brief': 1, 'body': [");
    for (int i = 0; i < 60; i++)
        sb_printf(&s, "%s{'type': 'paragraph', 'txt': 'p'}", i ? ", " : "");
    sb_puts(&s, "]}");
    brief_diag *d = brief_diag_new();
    assert_null(load(s.s, d));
    assert_int_equal(brief_diag_count(d), DIAG_MAX_ERRORS);
    assert_int_equal(brief_diag_error_count(d), 60);
    const brief_error *last = brief_diag_get(d, DIAG_MAX_ERRORS - 1);
    assert_string_equal(last->path, "body[49].txt");
    assert_string_equal(last->message, "unknown key \"txt\" (did you mean \"text\"?)");
    brief_diag_free(d);
    sb_free(&s);
}

static void suggestions(void **state)
{
    (void)state;
    static const char *const keys[] = {"type", "text", "level"};
    static const char *const kinds[] = {"bar", "completion"};
    static const char *const ph[] = {"page", "pages", "title"};
    static const char *const cols[] = {"产业", "投资额"};
    static const char *const root[] = {"brief", "meta", "page", "style", "data", "body"};
    static const char *const sizes[] = {"A3", "A4", "A5", "B5", "Letter", "Legal"};
    assert_string_equal(suggest_name("txt", keys, 3), "text");
    assert_string_equal(suggest_name("Text", keys, 3), "text");
    assert_string_equal(suggest_name("levle", keys, 3), "level");
    assert_null(suggest_name("foo", keys, 3));
    assert_null(suggest_name("", keys, 3));
    assert_string_equal(suggest_name("bars", kinds, 2), "bar");
    assert_string_equal(suggest_name("complete", kinds, 2), "completion");
    assert_null(suggest_name("pie", kinds, 2));
    assert_string_equal(suggest_name("pg", ph, 3), "page");
    assert_string_equal(suggest_name("Pages", ph, 3), "pages");
    assert_null(suggest_name("total", ph, 3));
    assert_string_equal(suggest_name("投资", cols, 2), "投资额");
    assert_string_equal(suggest_name("metadata", root, 6), "meta");
    assert_null(suggest_name("A6", sizes, 6));
    assert_string_equal(suggest_name("Leter", sizes, 6), "Letter");
    static const char *const ids[] = {"gdp", "m", "sec"};
    assert_string_equal(suggest_name("mm", ids, 3), "m");
    assert_string_equal(suggest_name("gddp", ids, 3), "gdp");
    assert_null(suggest_name("mn", ids, 3));
}

/* ---- runs ---- */

#define RUNS_DATA "'data': {'monthly': {'columns': ['月份', '工业增加值'],"                \
    " 'rows': [['10月', 40], ['11月', 45.1]], 'units': {'工业增加值': '亿元'}}}"
#define RUNS_CHARTS "{'type': 'chart', 'id': 'gdp', 'kind': 'bar', 'data': 'monthly'},"   \
    " {'type': 'chart', 'id': 'm', 'kind': 'bar', 'data': 'monthly'},"                    \
    " {'type': 'chart', 'id': 'sec', 'kind': 'bar', 'data': 'monthly'},"                  \
    " {'type': 'table', 'id': 't1', 'title': '月度', 'data': 'monthly'}"

/* A value or ref run prints what the same reference as a placeholder
 * prints (unit, decimals, table and chart numbers), and a placeholder in
 * a run's text is bound like one in a plain string. */
static void runs_print_as_placeholders_do(void **state)
{
    (void)state;
    brief_doc *d = expect_valid(
        "{'brief': 1, 'style': {'numbering': true}, " RUNS_DATA ", 'body': ["
        " {'type': 'paragraph', 'text': [{'value': 'monthly.工业增加值[11月]'}, '；',"
        "  {'value': 'sum(monthly.工业增加值)'}, '；', {'ref': 't1'}, '；', {'ref': 'm'}, '；',"
        "  {'text': '{monthly.工业增加值[11月]}', 'bold': true}]},"
        " {'type': 'paragraph', 'text': '{monthly.工业增加值[11月]}；{sum(monthly.工业增加值)}；"
        "{ref:t1}；{ref:m}；{monthly.工业增加值[11月]}'},"
        RUNS_CHARTS "]}");
    assert_string_equal(d->blocks[1].text, "45.1亿元；85.1亿元；表1；图2；45.1亿元");
    assert_string_equal(d->blocks[0].text, d->blocks[1].text);
    const rich_text *rt = d->blocks[0].rich;
    assert_non_null(rt);
    assert_int_equal(rt->nruns, 9);
    for (size_t i = 0; i < rt->nruns; i++)
        assert_int_equal(rt->runs[i].kind, RUN_TEXT);
    assert_string_equal(rt->runs[0].text, "45.1亿元");
    assert_string_equal(rt->runs[4].text, "表1");
    assert_string_equal(rt->runs[8].text, "45.1亿元");
    assert_true(rt->runs[8].bold);
    brief_doc_free(d);
}

static void run_reference_errors(void **state)
{
    (void)state;
    const error_case cases[] = {
        {"{'brief': 1, 'style': {'numbering': true}, " RUNS_DATA ", 'body': ["
         "{'type': 'paragraph', 'text': [{'ref': 'mm'}]},\n" RUNS_CHARTS "]}",
         "t.json:1:208: body[0].text[0].ref: unknown chart or table id \"mm\" (did you mean m? "
         "ids: gdp, m, sec, t1)"},
    };
    RUN(cases);
}

/* ---- images ---- */

static char dir[64];

static int make_dir(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/brief-test-validate-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void touch(const char *rel)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fclose(f);
}

static void images_resolve_inside_allowed_directories(void **state)
{
    (void)state;
    char path[256], sub[256], other[256];
    snprintf(sub, sizeof sub, "%s/brief", dir);
    snprintf(other, sizeof other, "%s/shared", dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    assert_int_equal(mkdir(other, 0755), 0);
    touch("brief/a.png");
    touch("shared/b.png");
    snprintf(path, sizeof path, "%s/brief/link.png", dir);
    assert_int_equal(symlink("../shared/b.png", path), 0);
    snprintf(path, sizeof path, "%s/brief/brief.json", dir);
    char *text = J("{'brief': 1, 'body': [{'type': 'figure', 'image': 'a.png'},\n"
                   " {'type': 'figure', 'image': '../shared/b.png'}, {'type': 'figure', 'image': 'link.png'},\n"
                   " {'type': 'figure', 'image': 'missing.png'}, {'type': 'figure', 'caption': 'no image'}]}");
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    free(text);

    brief_diag *d = brief_diag_new();
    brief_doc *doc = brief_doc_load_file(path, d);
    assert_non_null(doc);
    char *real = NULL;
    assert_int_equal(doc_resolve_image(doc, &doc->blocks[0], &real, d), BRIEF_OK);
    assert_non_null(strstr(real, "/brief/a.png"));
    free(real);
    assert_int_equal(doc_resolve_image(doc, &doc->blocks[4], &real, d), BRIEF_OK);
    assert_null(real);
    assert_int_equal(brief_diag_count(d), 0);

    assert_int_equal(doc_resolve_image(doc, &doc->blocks[1], &real, d), BRIEF_E_DATA);
    assert_null(real);
    assert_int_equal(doc_resolve_image(doc, &doc->blocks[2], &real, d), BRIEF_E_DATA);
    assert_int_equal(doc_resolve_image(doc, &doc->blocks[3], &real, d), BRIEF_E_NOINPUT);
    char line[1024], want[1024];
    brief_error_format(brief_diag_get(d, 0), line, sizeof line);
    snprintf(want, sizeof want, "%s:2:30: body[1].image: image \"../shared/b.png\" is outside the brief's "
             "directory (images must be under %s/brief or a directory given with --allow-path)", path, dir);
    assert_string_equal(line, want);
    brief_error_format(brief_diag_get(d, 2), line, sizeof line);
    snprintf(want, sizeof want, "%s:3:30: body[3].image: image \"missing.png\" not found "
             "(looked for %s/brief/missing.png)", path, dir);
    assert_string_equal(line, want);

    brief_doc_allow_path(doc, other);
    assert_int_equal(doc_resolve_image(doc, &doc->blocks[1], &real, d), BRIEF_OK);
    free(real);
    assert_int_equal(doc_resolve_image(doc, &doc->blocks[2], &real, d), BRIEF_OK);
    assert_non_null(strstr(real, "/shared/b.png"));
    free(real);
    brief_doc_free(doc);
    brief_diag_free(d);
}

/* ---- loading ---- */

static void load_errors(void **state)
{
    (void)state;
    brief_diag *d = brief_diag_new();
    static const char dummy[1];
    assert_null(brief_doc_load_buffer(dummy, JSON_MAX_INPUT + 1, "big.json", d));
    char line[256];
    brief_error_format(brief_diag_get(d, 0), line, sizeof line);
    assert_string_equal(line, "big.json: input is larger than the 16 MiB limit");
    brief_diag_free(d);

    d = brief_diag_new();
    assert_null(brief_doc_load_file("/nonexistent/brief.json", d));
    brief_error_format(brief_diag_get(d, 0), line, sizeof line);
    assert_string_equal(line, "/nonexistent/brief.json: cannot open: No such file or directory (expected a readable JSON file)");
    assert_int_equal(brief_diag_status(d), BRIEF_E_NOINPUT);
    brief_diag_free(d);

    /* syntax errors stop before validation */
    expect_errors("{'brief': 1, 'body': [{'type': 'title', 'text': 'x'},]}",
                  "t.json:1:53: trailing comma before ']' (expected a value)");
    expect_errors("\xEF\xBB\xBF{'brief': 1, 'body': [{'type': 'title', 'text': 2}]}",
                  "t.json:1:49: body[0].text: expected a string or an array of runs, got a number");
    brief_doc_free(NULL);
    assert_int_equal(brief_doc_chart_count(NULL), 0);
}

/* A brief of 60 KB whose references repeat a 60,000-byte cell: one field
 * quoting it twice is over the field's 100,000 bytes, 300 fields quoting it
 * once are over the document's 16 MiB — both refused before anything is
 * built, with the sizes the expansion would have. */
static void expanded_text_is_bounded(void **state)
{
    (void)state;
    for (int doc_case = 0; doc_case < 2; doc_case++) {
        strbuf j = {0};
        sb_puts(&j, "{\"brief\": 1, \"data\": {\"d\": {\"columns\": [\"k\", \"t\"], \"rows\": [[\"x\", \"");
        for (int i = 0; i < 60000; i++)
            sb_puts(&j, "a");
        sb_puts(&j, "\"]]}}, \"body\": [");
        int n = doc_case ? 300 : 1;
        for (int i = 0; i < n; i++)
            sb_printf(&j, "%s{\"type\": \"paragraph\", \"text\": \"%s\"}", i ? ", " : "",
                      doc_case ? "{d.t[x]}" : "{d.t[x]}{d.t[x]}");
        sb_puts(&j, "]}");
        assert_false(j.failed);
        brief_diag *d = brief_diag_new();
        brief_doc *r = brief_doc_load_buffer(j.s, j.len, "t.json", d);
        char *m = messages(d);
        assert_null(r);
        const char *want = doc_case ? "the expanded text of the brief is over 16 MiB"
                                    : "the text expands to 120000 bytes (at most 100000";
        if (!strstr(m, want))
            fail_msg("expected \"%s\" in:\n%.400s", want, m);
        free(m);
        brief_diag_free(d);
        sb_free(&j);
    }
}

/* Every allocation of loading a brief (reading, positions, validation of
 * every part) fails in turn: each run either loads the document (a failure
 * the code may survive, such as the duplicate-key table not growing) or
 * returns NULL with an "out of memory while …" error, status 71 — never a
 * crash, never another error. */
static void out_of_memory_stops_and_is_reported(void **state)
{
    (void)state;
#if CAN_FAIL_ALLOCATIONS
    char *text = J("{'brief': 1, 'meta': {'title': 'T', 'keywords': ['a', 'b'], 'lang': 'zh-CN'},"
                   " 'page': {'size': 'A4', 'margin': [20, 15], 'header': '{title} {var.m} {d.a[y]}'},"
                   " 'style': {'body_font': 'sans', 'numbering': true},"
                   " 'data': {'d': {'columns': ['k', 'a', 'b'], 'rows': [['x', 1, 2], ['y', 3, null]],"
                   "   'units': {'a': '亿元'}, 'decimals': {'b': 1}}},"
                   " 'vars': {'m': '11', 'n': 5},"
                   " 'body': [{'type': 'title', 'text': '标题'}, {'type': 'heading', 'level': 2, 'text': 'h'},"
                   "  {'type': 'figure', 'image': 'img/a.png', 'caption': 'c'},"
                   "  {'type': 'chart', 'id': 'c1', 'kind': 'bar', 'data': 'd', 'values': ['a', 'b'],"
                   "   'colors': ['#123', '#456789'], 'theme': 'official',"
                   "   'reference': [{'value': 2, 'label': 'avg'}]},"
                   "  {'type': 'chart', 'id': 'c2', 'kind': 'completion', 'category': 'k',"
                   "   'plan': 'p', 'actual': 'q', 'data': {'columns': ['k', 'p', 'q'], 'rows': [['x', 1, 2]]}},"
                   "  {'type': 'paragraph', 'text': '正文{d.a[x]}，{sum(d.b)}，{ratio(d.a[x], d.a[y])}，"
                   "{share(d.a[y]):2}，{var.m}，{ref:c1}，{{}}'}]}");
    size_t len = strlen(text);
    long total = 0;
    for (long n = 0;; n++) {
        brief_diag *d = brief_diag_new();
        assert_non_null(d);
        allocations = 0;
        fail_at = n;
        brief_doc *doc = brief_doc_load_buffer(text, len, "t.json", d);
        bool failed = allocations > n;
        fail_at = -1;
        if (!failed) {   /* every allocation passed: the document is whole */
            assert_non_null(doc);
            assert_int_equal(brief_diag_count(d), 0);
            total = n;
            brief_doc_free(doc);
            brief_diag_free(d);
            break;
        }
        if (!doc) {
            const brief_error *e = brief_diag_get(d, brief_diag_count(d) - 1);
            if (!e || brief_diag_status(d) != BRIEF_E_OSERR ||
                strncmp(e->message, "out of memory while ", 20) != 0)
                fail_msg("allocation %ld failing gave status %d, \"%s\"", n,
                         (int)brief_diag_status(d), e ? e->message : "(no message)");
        }
        brief_doc_free(doc);
        brief_diag_free(d);
    }
    assert_true(total > 50);   /* the loop did reach into validation */
    free(text);
#else
    skip();
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(minimal_document_gets_defaults),
        cmocka_unit_test(no_title_block_means_empty_title),
        cmocka_unit_test(sample_brief_validates),
        cmocka_unit_test(page_sizes_and_margins_convert_to_points),
        cmocka_unit_test(style_meta_and_templates),
        cmocka_unit_test(blocks_fill_the_model),
        cmocka_unit_test(rich_fields_fill_the_model),
        cmocka_unit_test(chart_specs_are_complete),
        cmocka_unit_test(version_and_top_level_errors),
        cmocka_unit_test(block_errors),
        cmocka_unit_test(long_text_and_many_blocks),
        cmocka_unit_test(page_and_style_errors),
        cmocka_unit_test(meta_errors),
        cmocka_unit_test(data_errors),
        cmocka_unit_test(dataset_size_limits),
        cmocka_unit_test(chart_errors),
        cmocka_unit_test(categories_limit),
        cmocka_unit_test(strings_in_value_columns_are_reported_once),
        cmocka_unit_test(errors_come_in_text_order_and_stop_at_the_cap),
        cmocka_unit_test(suggestions),
        cmocka_unit_test(runs_print_as_placeholders_do),
        cmocka_unit_test(run_reference_errors),
        cmocka_unit_test_setup_teardown(images_resolve_inside_allowed_directories, make_dir, remove_dir),
        cmocka_unit_test(load_errors),
        cmocka_unit_test(expanded_text_is_bounded),
        cmocka_unit_test(out_of_memory_stops_and_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
