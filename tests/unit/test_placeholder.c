/*
 * test_placeholder.c — values in text (src/model/placeholder.c).
 *
 * Parsing of every form with the byte offsets of each name, "{{" "}}",
 * escapes and balanced brackets in names, format overrides; errors with
 * their offsets and suggestions; evaluation against a small resolver
 * (cells, sum/count/max/min/share/ratio, variables, ids, builtins, unit
 * magnitudes); the expanded length computed before building, its limit,
 * and positions inside JSON strings with escapes.
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

#include "model/model.h"
#include "model/placeholder.h"
#include "input/json.h"

/* ---- a resolver over two datasets ---- */

static char *S(const char *s) { return strdup(s); }

static dataset key_projects, sectors;
static const ph_column_format KP_FORMATS[] = {{"", -1}, {"亿元", 2}, {"亿元", 2}, {"万元", 0}};

static void fill(dataset *d, const char *name, size_t ncols, const char *const *cols, size_t nrows,
                 const char *const *cats, const double *vals)
{
    d->name = S(name);
    d->json_path = S("data");
    d->ncols = ncols;
    d->columns = calloc(ncols, sizeof *d->columns);
    for (size_t c = 0; c < ncols; c++)
        d->columns[c] = S(cols[c]);
    d->nrows = nrows;
    d->cells = calloc(nrows * ncols, sizeof *d->cells);
    for (size_t r = 0; r < nrows; r++) {
        d->cells[r * ncols].kind = CELL_TEXT;
        d->cells[r * ncols].text = S(cats[r]);
        for (size_t c = 1; c < ncols; c++) {
            double v = vals[r * (ncols - 1) + c - 1];
            d->cells[r * ncols + c].kind = isnan(v) ? CELL_NULL : CELL_NUMBER;
            d->cells[r * ncols + c].number = isnan(v) ? 0 : v;
        }
    }
}

static int setup(void **state)
{
    (void)state;
    static const char *const kp_cols[] = {"项目", "计划", "已完成", "投资(万元)"};
    static const char *const kp_rows[] = {"省重点项目（截至9月）", "市重点项目", "备用"};
    static const double kp_vals[] = {8.5, 9.89, 98900, 20, 18.2, 12345, NAN, NAN, NAN};
    fill(&key_projects, "key_projects", 4, kp_cols, 3, kp_rows, kp_vals);
    static const char *const s_cols[] = {"行业", "增加值", "备注"};
    static const char *const s_rows[] = {"工业", "建筑业", "服务业"};
    static const double s_vals[] = {120.5, 0, 30.25, 0, 249.25, 0};
    fill(&sectors, "sectors", 3, s_cols, 3, s_rows, s_vals);
    /* a text column */
    for (size_t r = 0; r < 3; r++) {
        cell *c = &sectors.cells[r * 3 + 2];
        c->kind = CELL_TEXT;
        c->text = S(r == 1 ? "新开工" : "续建");
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    dataset_clear(&key_projects);
    dataset_clear(&sectors);
    return 0;
}

static const dataset *r_dataset(void *ctx, const char *name, const ph_column_format **f)
{
    (void)ctx;
    if (strcmp(name, "key_projects") == 0) {
        *f = KP_FORMATS;
        return &key_projects;
    }
    if (strcmp(name, "sectors") == 0)
        return &sectors;
    return NULL;
}

static const char *r_var(void *ctx, const char *name)
{
    (void)ctx;
    return strcmp(name, "month") == 0 ? "10" : strcmp(name, "city") == 0 ? "沧州" : NULL;
}

static const char *r_ref(void *ctx, const char *id)
{
    (void)ctx;
    return strcmp(id, "invest") == 0 ? "图2" : NULL;
}

static const char *r_builtin(void *ctx, const char *name)
{
    (void)ctx;
    return strcmp(name, "page") == 0 ? "3" : strcmp(name, "pages") == 0 ? "12"
         : strcmp(name, "title") == 0 ? "沧州市经济运行简报" : NULL;
}

static const char *const *r_names(void *ctx, ph_names_kind k, size_t *n)
{
    (void)ctx;
    static const char *const DS[] = {"key_projects", "sectors"};
    static const char *const VARS[] = {"month", "city"};
    static const char *const REFS[] = {"invest"};
    switch (k) {
    case PH_NAMES_DATASETS: *n = 2; return DS;
    case PH_NAMES_VARS: *n = 2; return VARS;
    default: *n = 1; return REFS;
    }
}

static const ph_resolver R = {NULL, r_dataset, r_var, r_ref, r_builtin, r_names, NULL};
static const char *const RUNNING[] = {"page", "pages", "title"};

/* ---- helpers ---- */

static void parse_ok(const char *s, ph_list *l)
{
    ph_error e;
    if (!ph_parse(s, RUNNING, 3, l, &e))
        fail_msg("%s: refused at %zu: %s", s, e.off, e.message);
}

/* The parse error of s, which must be at byte `off`. */
static void parse_bad(const char *s, size_t off, const char *message)
{
    ph_list l;
    ph_error e;
    if (ph_parse(s, RUNNING, 3, &l, &e))
        fail_msg("%s: accepted", s);
    assert_null(l.parts);
    if (strcmp(e.message, message) != 0)
        fail_msg("%s:\n got      %s\n expected %s", s, e.message, message);
    if (e.off != off)
        fail_msg("%s: error at %zu, expected %zu (%s)", s, e.off, off, e.message);
}

/* Expands s (must succeed) and compares. */
static void expands(const char *s, const char *want)
{
    ph_list l;
    parse_ok(s, &l);
    ph_error e;
    size_t len;
    if (!ph_expanded_length(&l, &R, NULL, NULL, &len, &e))
        fail_msg("%s: %s", s, e.message);
    char *got = ph_expand(&l, &R, NULL, NULL, PH_MAX_FIELD_BYTES, &e);
    if (!got)
        fail_msg("%s: %s", s, e.message);
    if (strcmp(got, want) != 0)
        fail_msg("%s: got \"%s\", expected \"%s\"", s, got, want);
    assert_int_equal(len, strlen(got));   /* measured exactly, before building */
    free(got);
    ph_list_clear(&l);
}

/* Evaluation of s fails with message at byte off. */
static void eval_bad(const char *s, size_t off, const char *message)
{
    ph_list l;
    parse_ok(s, &l);
    ph_error e;
    assert_false(ph_check(&l, &R, &e));
    char *got = ph_expand(&l, &R, NULL, NULL, PH_MAX_FIELD_BYTES, &e);
    assert_null(got);
    if (strcmp(e.message, message) != 0)
        fail_msg("%s:\n got      %s\n expected %s", s, e.message, message);
    if (e.off != off)
        fail_msg("%s: error at %zu, expected %zu", s, e.off, off);
    ph_list_clear(&l);
}

/* ---- parsing ---- */

static void test_literal_and_braces(void **state)
{
    (void)state;
    ph_list l;
    parse_ok("完成投资9.89亿元", &l);
    assert_int_equal(l.n, 1);
    assert_false(l.has_refs);
    assert_string_equal(l.parts[0].text, "完成投资9.89亿元");
    ph_list_clear(&l);
    parse_ok("a{{b}}c{{{page}}}", &l);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.parts[0].text, "a{b}c{");
    assert_int_equal(l.parts[1].kind, PH_BUILTIN);
    assert_int_equal(l.parts[1].off, 9);
    assert_int_equal(l.parts[1].len, 6);
    assert_string_equal(l.parts[2].text, "}");
    assert_int_equal(l.parts[2].off, 15);
    ph_list_clear(&l);
    parse_ok("", &l);
    assert_int_equal(l.n, 0);
    ph_list_clear(&l);
}

static void test_cell(void **state)
{
    (void)state;
    ph_list l;
    const char *s = "完成{key_projects.已完成[省重点项目（截至9月）]}亿元";
    parse_ok(s, &l);
    assert_int_equal(l.n, 3);
    const ph_part *p = &l.parts[1];
    assert_int_equal(p->kind, PH_CELL);
    assert_string_equal(p->a.dataset.s, "key_projects");
    assert_string_equal(p->a.column.s, "已完成");
    assert_string_equal(p->a.row.s, "省重点项目（截至9月）");
    assert_int_equal(p->off, strlen("完成"));
    assert_int_equal(p->a.dataset.off, strlen("完成{"));
    assert_int_equal(p->a.column.off, strlen("完成{key_projects."));
    assert_int_equal(p->a.row.off, strlen("完成{key_projects.已完成["));
    assert_int_equal(p->decimals, -1);
    assert_null(p->unit);
    ph_list_clear(&l);
}

static void test_functions(void **state)
{
    (void)state;
    ph_list l;
    parse_ok("{sum(ds.col)}{count (ds)}{count(ds.col)}{max(ds.col)}{min( ds . col )}"
             "{share(ds.col[r])}{ratio(ds.a[r], sum(ds.b))}", &l);
    assert_int_equal(l.n, 7);
    static const ph_kind kinds[] = {PH_SUM, PH_COUNT, PH_COUNT, PH_MAX, PH_MIN, PH_SHARE, PH_RATIO};
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(l.parts[i].kind, kinds[i]);
    assert_null(l.parts[1].a.column.s);
    assert_string_equal(l.parts[2].a.column.s, "col");
    assert_string_equal(l.parts[4].a.dataset.s, "ds");   /* spaces around names dropped */
    assert_string_equal(l.parts[4].a.column.s, "col");
    assert_int_equal(l.parts[5].a.kind, PH_CELL);
    assert_string_equal(l.parts[5].a.row.s, "r");
    const ph_part *ratio = &l.parts[6];
    assert_int_equal(ratio->a.kind, PH_CELL);
    assert_int_equal(ratio->b.kind, PH_SUM);
    assert_string_equal(ratio->b.column.s, "b");
    ph_list_clear(&l);
}

static void test_var_ref_builtin(void **state)
{
    (void)state;
    ph_list l;
    parse_ok("{var.month}月{ref:invest}{title}第{page}页", &l);
    assert_int_equal(l.parts[0].kind, PH_VAR);
    assert_string_equal(l.parts[0].name.s, "month");
    assert_int_equal(l.parts[0].name.off, 5);
    assert_int_equal(l.parts[2].kind, PH_REF);
    assert_string_equal(l.parts[2].name.s, "invest");
    assert_int_equal(l.parts[3].kind, PH_BUILTIN);
    assert_string_equal(l.parts[3].name.s, "title");
    ph_list_clear(&l);
    /* outside the header and footer there are no builtins */
    ph_error e;
    assert_false(ph_parse("{page}", NULL, 0, &l, &e));
    assert_string_equal(e.message, "unknown placeholder \"{page}\" (expected a reference such as "
                        "{DATASET.COLUMN[ROW]}, {sum(DATASET.COLUMN)} or {var.NAME}; write {{ and "
                        "}} for literal braces)");
}

static void test_formats(void **state)
{
    (void)state;
    ph_list l;
    parse_ok("{ds.c[r]:1}{ds.c[r]:亿元}{ds.c[r]:1:亿元}{sum(ds.c):万元:0}", &l);
    assert_int_equal(l.parts[0].decimals, 1);
    assert_null(l.parts[0].unit);
    assert_int_equal(l.parts[0].format_off, 8);
    assert_int_equal(l.parts[1].decimals, -1);
    assert_string_equal(l.parts[1].unit, "亿元");
    assert_int_equal(l.parts[2].decimals, 1);
    assert_string_equal(l.parts[2].unit, "亿元");
    assert_int_equal(l.parts[3].decimals, 0);
    assert_string_equal(l.parts[3].unit, "万元");
    ph_list_clear(&l);
    parse_bad("{ds.c[r]:7}", 9, "7 decimals (expected 0 to 6)");
    parse_bad("{ds.c[r]:}", 8, "empty format after \":\" (expected decimals such as :1, a unit "
              "such as :亿元, or both: :1:亿元)");
    parse_bad("{ds.c[r]:1:2}", 11, "decimals given twice in one format");
    parse_bad("{ds.c[r]:亿元:万元}", 16, "unit given twice in one format");
    parse_bad("{var.month:1}", 10, "a format applies only to numbers, and {var.month} is text");
}

static void test_escapes_and_brackets_in_names(void **state)
{
    (void)state;
    ph_list l;
    parse_ok("{a\\.b.c\\:d[r\\]x]}", &l);
    assert_string_equal(l.parts[0].a.dataset.s, "a.b");
    assert_string_equal(l.parts[0].a.column.s, "c:d");
    assert_string_equal(l.parts[0].a.row.s, "r]x");
    ph_list_clear(&l);
    /* balanced brackets and parentheses need no escape; dots after the
     * first belong to the column; Chinese punctuation is plain text */
    parse_ok("{sum(ds.投资(亿元))}{ds.增速.%[省重点项目[截至9月]]}{ratio(ds.a\\,b[x], ds.c[y、z])}",
             &l);
    assert_string_equal(l.parts[0].a.column.s, "投资(亿元)");
    assert_string_equal(l.parts[1].a.column.s, "增速.%");
    assert_string_equal(l.parts[1].a.row.s, "省重点项目[截至9月]");
    assert_string_equal(l.parts[2].a.column.s, "a,b");
    assert_string_equal(l.parts[2].b.row.s, "y、z");
    ph_list_clear(&l);
    parse_bad("{ds.c[\\x]}", 6, "\"\\\" before a character that needs no escape (a backslash "
              "makes the next ASCII punctuation character part of a name, such as \\. \\: \\, \\] "
              "or \\\\; in JSON write it \\\\)");
}

static void test_syntax_errors(void **state)
{
    (void)state;
    parse_bad("ab}c", 2, "single \"}\" (write \"}}\" for a literal brace)");
    parse_bad("ab{c", 2, "unclosed \"{\" (write \"{{\" for a literal brace)");
    parse_bad("x{a{b}", 1, "unclosed \"{\" (write \"{{\" for a literal brace)");
    parse_bad("x{}", 1, "empty placeholder \"{}\" (write {{}} for literal braces)");
    parse_bad("页{pg}", 3, "unknown placeholder \"{pg}\" (did you mean {page}? expected {page}, "
              "{pages} or {title}, or a reference such as {DATASET.COLUMN[ROW]}, "
              "{sum(DATASET.COLUMN)} or {var.NAME}; write {{ and }} for literal braces)");
    parse_bad("{summ(ds.c)}", 1, "unknown function \"summ\" (did you mean sum? expected sum, "
              "count, max, min, share or ratio)");
    parse_bad("{ds.c}", 1, "\"ds.c\" names a column, not a cell (expected ds.c[ROW] with the "
              "row's category, or a function such as {sum(ds.c)})");
    parse_bad("{sum(ds.c[r])}", 9, "sum() takes a column, not a cell (write sum(ds.c))");
    parse_bad("{ds.c[r]x}", 8, "unexpected text after \"]\" (the row's brackets end the reference)");
    parse_bad("{ds.c[r}", 5, "unclosed \"[\" (a row is written [ROW]; write \\[ for a bracket "
              "in a name)");
    parse_bad("{.c[r]}", 1, "empty dataset name");
    parse_bad("{ds.[r]}", 4, "empty column name");
    parse_bad("{ds.c[ ]}", 7, "empty row name");
    parse_bad("{ratio(ds.a[x])}", 1, "ratio() takes two values, A and B, separated by a comma "
              "(write \\, for a comma in a name)");
    parse_bad("{ratio(ds.a[x], ds.b[y], ds.c[z])}", 23, "ratio() takes two values, not more "
              "(write \\, for a comma in a name)");
    parse_bad("{ratio(share(ds.a[x]), ds.b[y])}", 7, "ratio() takes cells or sum, count, max or "
              "min of a column, not share()");
    parse_bad("{share(ds.a)}", 7, "\"ds.a\" names a column, not a cell (expected ds.a[ROW] with "
              "the row's category, or a function such as {sum(ds.a)})");
    parse_bad("{ref:}", 5, "empty chart or table id name");
    parse_bad("{ds[x]}", 1, "expected DATASET.COLUMN[ROW] (a dataset name, a dot and a column "
              "name, then the row's category in brackets), got \"ds[x]\"");
    parse_bad("{sum(ds)}", 5, "expected DATASET.COLUMN (a dataset name, a dot and a column "
              "name), got \"ds\"");
    /* names reach messages without terminal escapes */
    parse_bad("{ds.c\x1b[2J}", 6, "unclosed \"[\" (a row is written [ROW]; write \\[ for a "
              "bracket in a name)");
    parse_bad("{sum(ds.c\x1b]0;x\x07[r])}", 15, "sum() takes a column, not a cell (write "
              "sum(ds.c\\u001B]0;x\\u0007))");
    parse_bad("{var.}", 5, "empty variable name");
}

/* ---- evaluation ---- */

static void test_eval_cells(void **state)
{
    (void)state;
    expands("完成投资{key_projects.已完成[省重点项目（截至9月）]}", "完成投资9.89亿元");
    expands("{key_projects.计划[市重点项目]}", "20.00亿元");   /* the column's 2 decimals */
    expands("{key_projects.计划[市重点项目]:0}", "20亿元");
    /* decimals from the data: those of the column's most precise number */
    expands("{sectors.增加值[工业]}", "120.5");   /* a cell reads as written, as its table cell */
    expands("{sectors.备注[建筑业]}", "新开工");   /* a text cell is text */
    expands("{{{var.city}}}", "{沧州}");
}

static void test_eval_functions(void **state)
{
    (void)state;
    expands("{sum(sectors.增加值)}", "400.00");   /* 400 with the column's 2 decimals */
    expands("{count(sectors)}个行业", "3个行业");
    expands("{count(key_projects.计划)}", "2");   /* the null cell is not counted */
    expands("{max(sectors.增加值)}/{min(sectors.增加值)}", "249.25/30.25");
    expands("{share(sectors.增加值[工业])}", "30.1%");
    expands("完成率{ratio(key_projects.已完成[省重点项目（截至9月）], key_projects.计划[省重点项目（截至9月）])}",
            "完成率116.35%");
    expands("{ratio(sum(key_projects.已完成), sum(key_projects.计划)):1}", "98.6%");
}

static void test_eval_magnitudes(void **state)
{
    (void)state;
    /* 98900 万元 with 0 decimals written as 亿元: as many decimals as the
     * shift needs, trailing zeros dropped */
    expands("{key_projects.投资(万元)[省重点项目（截至9月）]:亿元}", "9.89亿元");
    expands("{key_projects.投资(万元)[市重点项目]:亿元}", "1.2345亿元");
    expands("{key_projects.投资(万元)[市重点项目]:亿元:1}", "1.2亿元");
    expands("{key_projects.已完成[市重点项目]:万元}", "182000万元");
    eval_bad("{key_projects.已完成[市重点项目]:项}", 40, "cannot write a value in \"亿元\" as "
             "\"项\" (a format's unit changes only the 万/亿 magnitude, such as 万元 → 亿元)");
}

static void test_eval_builtins(void **state)
{
    (void)state;
    /* the header and footer templates of today, unchanged */
    expands("第 {page} 页 共 {pages} 页", "第 3 页 共 12 页");
    expands("{title}", "沧州市经济运行简报");
    expands("{var.month}月 {ref:invest}", "10月 图2");
}

static void test_eval_errors(void **state)
{
    (void)state;
    eval_bad("完成{key_project.已完成[市重点项目]}", 7, "unknown dataset \"key_project\" (did you "
             "mean key_projects? datasets: key_projects, sectors)");
    eval_bad("{key_projects.已完成量[市重点项目]}", 14, "unknown column \"已完成量\" in dataset "
             "\"key_projects\" (did you mean 已完成? columns: 项目, 计划, 已完成, 投资(万元))");
    /* ASCII parentheses typed for the full-width ones */
    eval_bad("{key_projects.已完成[省重点项目(截至9月)]}", 24, "no row \"省重点项目(截至9月)\" in dataset "
             "\"key_projects\" (rows are found by their first column, 项目) (did you mean "
             "省重点项目（截至9月）? rows: 省重点项目（截至9月）, 市重点项目, 备用)");
    eval_bad("{var.mouth}", 5, "unknown variable \"mouth\" (did you mean var.month? variables: "
             "month, city)");
    eval_bad("{ref:invset}", 5, "unknown chart or table id \"invset\" (did you mean ref:invest? "
             "ids: invest)");
    eval_bad("{sum(sectors.备注)}", 13, "sum() needs numbers, but column \"备注\" holds text "
             "(row 1: \"续建\")");
    eval_bad("{sum(sectors.行业)}", 13, "sum() needs numbers, but column \"行业\" holds text "
             "(row 1: \"工业\")");
    eval_bad("{ratio(key_projects.计划[备用], key_projects.计划[市重点项目])}", 7, "the cell "
             "key_projects.计划[备用] is empty, and a number is needed here");
    eval_bad("{ratio(key_projects.计划[市重点项目], sectors.增加值[工业])}", 45, "ratio() of "
             "values in different units (A is in \"亿元\", B in \"\"; only 万/亿 magnitudes of one "
             "unit convert)");
    eval_bad("{sectors.备注[工业]:1}", 23, "a format applies only to numbers, and the cell "
             "sectors.备注[工业] is text");
    /* a builtin the resolver cannot give here */
    ph_list l;
    ph_error e;
    const ph_resolver none = {0};
    parse_ok("x{page}", &l);
    assert_false(ph_check(&l, &none, &e));
    assert_string_equal(e.message, "{page} has no value in this field");
    assert_int_equal(e.off, 1);
    ph_list_clear(&l);
    parse_ok("{var.m}{ref:x}{ds.c[r]}", &l);
    assert_false(ph_eval(&l.parts[0], &none, &(ph_value){0}, &e));
    assert_string_equal(e.message, "unknown variable \"m\" (no variables are defined; add "
                        "\"vars\": {\"m\": \"…\"} or --var m=VALUE)");
    assert_false(ph_eval(&l.parts[2], &none, &(ph_value){0}, &e));
    assert_string_equal(e.message, "unknown dataset \"ds\" (no datasets are defined)");
    ph_list_clear(&l);
}

static void test_duplicate_rows(void **state)
{
    (void)state;
    cell *spare = &key_projects.cells[2 * 4];   /* row 3, "备用" */
    free(spare->text);
    spare->text = S("市重点项目");
    eval_bad("{key_projects.计划[市重点项目]}", 21, "rows 2 and 3 of dataset \"key_projects\" are "
             "both called \"市重点项目\" (a row reference needs a unique category)");
    free(spare->text);
    spare->text = S("备用");
}

/* ---- bounds and positions ---- */

static const char *big_title;
static const char *r_big_builtin(void *ctx, const char *name)
{
    (void)ctx;
    return strcmp(name, "title") == 0 ? big_title : NULL;
}

static void test_expanded_limit_big_title(void **state)
{
    (void)state;
    char *big = malloc(33000 * 3 + 1);
    for (size_t i = 0; i < 33000; i++)
        memcpy(big + 3 * i, "字", 3);
    big[33000 * 3] = '\0';
    big_title = big;
    ph_resolver r = R;
    r.builtin = r_big_builtin;
    ph_list l;
    parse_ok("《{title}》{title}", &l);
    ph_error e;
    size_t len;
    assert_true(ph_expanded_length(&l, &r, NULL, NULL, &len, &e));
    assert_int_equal(len, 6 + 2 * 99000);
    assert_null(ph_expand(&l, &r, NULL, NULL, PH_MAX_FIELD_BYTES, &e));
    assert_true(e.too_long);
    assert_string_equal(e.message, "the text expands to 198006 bytes (at most 100000; shorten it "
                        "or the values it quotes)");
    /* the header case: one line, per page */
    char *once = ph_expand(&l, &r, NULL, NULL, 2 * PH_MAX_FIELD_BYTES, &e);
    assert_non_null(once);
    assert_int_equal(strlen(once), len);
    free(once);
    ph_list_clear(&l);
    free(big);

    /* the document budget: 300 pages of a 99,000-byte header fit 16 MiB
     * no more; 100 pages do */
    ph_budget b = {0};
    assert_true(ph_budget_take(&b, 99000, 100));
    assert_false(ph_budget_take(&b, 99000, 300));
    assert_int_equal(b.used, 9900000);
    assert_false(ph_budget_take(&b, SIZE_MAX, 2));   /* no overflow */
    assert_true(ph_budget_take(&b, PH_MAX_DOC_BYTES - 9900000, 1));
    assert_false(ph_budget_take(&b, 1, 1));
}

static void test_json_position(void **state)
{
    (void)state;
    /* the field's value starts after the quote at offset 9; "\n" and
     * "\u4e2d" are escapes, 中 decodes to 3 bytes */
    const char *json = "{\"text\": \"a\\nb\\u4e2d\\ud83d\\ude00{x}\"}";
    /* decoded: a \n b 中 😀 { → '{' at decoded byte 1+1+1+3+4 = 10 */
    int line, col;
    ph_json_position(json, strlen(json), 9, 10, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 33);   /* the '{' in the file */
    assert_int_equal(json[32], '{');
    ph_json_position(json, strlen(json), 9, 0, &line, &col);
    assert_int_equal(col, 11);   /* 'a' */
    const char *two = "{\"t\":\n  \"第{page}\"}";
    ph_json_position(two, strlen(two), 8, 3, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 5);    /* 2 spaces, the quote, 第, then '{' */
}


/* ---- the table resolver ---- */

static void test_table_resolver(void **state)
{
    (void)state;
    dataset both[2] = {key_projects, sectors};   /* shallow copies: not cleared here */
    const ph_column_format *formats[2] = {KP_FORMATS, NULL};
    static const char *const vn[] = {"month", "city"}, *const vv[] = {"10", "沧州"};
    static const char *const ri[] = {"invest"}, *const rl[] = {"图2"};
    static const char *const bn[] = {"page", "pages", "title"}, *const bv[] = {"3", "12", "简报"};
    ph_table t = {both, 2, formats, vn, vv, 2, ri, rl, 1, bn, bv, 3, NULL};
    ph_resolver r;
    assert_true(ph_table_resolver(&t, &r));
    ph_list l;
    parse_ok("{key_projects.已完成[省重点项目（截至9月）]}|{sum(sectors.增加值)}|{var.city}|"
             "{ref:invest}|{page}/{pages}|{ratio(key_projects.已完成[市重点项目], "
             "key_projects.计划[市重点项目])}", &l);
    ph_error e;
    char *x = ph_expand(&l, &r, NULL, NULL, PH_MAX_FIELD_BYTES, &e);
    assert_non_null(x);
    assert_string_equal(x, "9.89亿元|400.00|沧州|图2|3/12|91.00%");
    free(x);
    ph_list_clear(&l);
    parse_ok("{key_projekts.计划[市重点项目]}{key_projects.计划[市重点]}", &l);
    assert_false(ph_eval(&l.parts[0], &r, &(ph_value){0}, &e));
    assert_string_equal(e.message, "unknown dataset \"key_projekts\" (did you mean key_projects? "
                        "datasets: key_projects, sectors)");
    assert_false(ph_eval(&l.parts[1], &r, &(ph_value){0}, &e));
    assert_string_equal(e.message, "no row \"市重点\" in dataset \"key_projects\" (rows are found "
                        "by their first column, 项目) (did you mean 市重点项目? rows: "
                        "省重点项目（截至9月）, 市重点项目, 备用)");
    ph_list_clear(&l);
    ph_table_clear(&t);
    ph_table_clear(&t);   /* twice is harmless */
}

/* The footer of today through the table resolver: the page changes per
 * page without building the resolver again. */
static void test_table_resolver_pages(void **state)
{
    (void)state;
    static const char *const bn[] = {"page", "pages", "title"};
    char page[16];
    const char *bv[] = {page, "3", "简报"};
    ph_table t = {.builtin_names = bn, .builtin_values = bv, .nbuiltins = 3};
    ph_resolver r;
    assert_true(ph_table_resolver(&t, &r));
    ph_list l;
    parse_ok("{title} 第 {page} 页 共 {pages} 页", &l);
    for (int i = 1; i <= 3; i++) {
        snprintf(page, sizeof page, "%d", i);
        ph_error e;
        char *x = ph_expand(&l, &r, NULL, NULL, PH_MAX_RUNNING_BYTES, &e);
        char want[64];
        snprintf(want, sizeof want, "简报 第 %d 页 共 3 页", i);
        assert_string_equal(x, want);
        free(x);
    }
    ph_list_clear(&l);
    ph_table_clear(&t);
}

/* 10,000 rows and 2,000 references to the last ones: found through the
 * row index, and two rows with one category are still refused. */
static void test_table_resolver_large(void **state)
{
    (void)state;
    enum { ROWS = 10000, REFS = 2000 };
    static const char *const cols[] = {"地区", "值"};
    const char **cats = malloc(ROWS * sizeof *cats);
    double *vals = malloc(ROWS * sizeof *vals);
    char (*names)[16] = malloc(ROWS * sizeof *names);
    for (size_t i = 0; i < ROWS; i++) {
        snprintf(names[i], sizeof names[i], "区%zu", i);
        cats[i] = names[i];
        vals[i] = (double)i;
    }
    dataset d = {0};
    fill(&d, "big", 2, cols, ROWS, cats, vals);
    ph_table t = {.datasets = &d, .ndatasets = 1};
    ph_resolver r;
    assert_true(ph_table_resolver(&t, &r));
    strbuf text = {0};
    for (size_t k = 0; k < REFS; k++)
        sb_printf(&text, "{big.值[区%zu]},", ROWS - 1 - k);
    ph_list l;
    parse_ok(text.s, &l);
    ph_error e;
    char *x = ph_expand(&l, &r, NULL, NULL, PH_MAX_FIELD_BYTES, &e);
    assert_non_null(x);
    assert_memory_equal(x, "9999,9998,9997,", 15);
    free(x);
    ph_list_clear(&l);
    /* a duplicate category, found by the index */
    free(d.cells[2 * 5].text);
    d.cells[2 * 5].text = strdup("区77");
    assert_true(ph_table_resolver(&t, &r));   /* the data changed: index again */
    parse_ok("{big.值[区77]}", &l);
    assert_false(ph_check(&l, &r, &e));
    assert_string_equal(e.message, "rows 6 and 78 of dataset \"big\" are both called \"区77\" (a "
                        "row reference needs a unique category)");
    ph_list_clear(&l);
    ph_table_clear(&t);
    sb_free(&text);
    dataset_clear(&d);
    free(cats);
    free(vals);
    free(names);
}

/* ---- robustness ---- */

static bool valid_utf8(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t k = utf8_sequence_length((const unsigned char *)s + i, n - i);
        if (k == 0)
            return false;
        i += k;
    }
    return true;
}

/* 20,000 strings of syntax fragments: no crash (the sanitizer builds
 * check memory), errors inside the text with whole-UTF-8 messages, and
 * accepted parts that tile the field exactly. */
static void test_random_fields(void **state)
{
    (void)state;
    static const char *const BITS[] = {
        "{", "}", "{{", "}}", "[", "]", "(", ")", ".", ",", ":", "\\", "\\.", " ", "a", "中",
        "1", "%", "sum(", "ratio(", "share(", "count(", "var.", "ref:", "page", "title",
        "key_projects.", "已完成", "[市重点项目]", "sectors.增加值", ":亿元", ":2", "\\]",
    };
    unsigned seed = 12345;
    char buf[512];
    for (int t = 0; t < 20000; t++) {
        size_t len = 0;
        seed = seed * 1103515245u + 12345u;
        int nbits = (int)(seed >> 16) % 12;
        for (int i = 0; i < nbits; i++) {
            seed = seed * 1103515245u + 12345u;
            const char *b = BITS[(seed >> 16) % (sizeof BITS / sizeof *BITS)];
            memcpy(buf + len, b, strlen(b));
            len += strlen(b);
        }
        buf[len] = '\0';
        ph_list l;
        ph_error e;
        if (!ph_parse(buf, RUNNING, 3, &l, &e)) {
            assert_true(e.off <= len);
            assert_true(e.message[0] != '\0');
            assert_true(valid_utf8(e.message));
            continue;
        }
        size_t at = 0;
        for (size_t k = 0; k < l.n; k++) {
            assert_int_equal(l.parts[k].off, at);
            at += l.parts[k].len;
        }
        assert_int_equal(at, len);
        char *x = ph_expand(&l, &R, NULL, NULL, PH_MAX_FIELD_BYTES, &e);
        if (x) {
            size_t m;
            assert_true(ph_expanded_length(&l, &R, NULL, NULL, &m, &e));
            assert_int_equal(strlen(x), m);
        } else {
            assert_true(e.off <= len);
            assert_true(valid_utf8(e.message));
        }
        free(x);
        ph_list_clear(&l);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literal_and_braces),
        cmocka_unit_test(test_cell),
        cmocka_unit_test(test_functions),
        cmocka_unit_test(test_var_ref_builtin),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_escapes_and_brackets_in_names),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_eval_cells),
        cmocka_unit_test(test_eval_functions),
        cmocka_unit_test(test_eval_magnitudes),
        cmocka_unit_test(test_eval_builtins),
        cmocka_unit_test(test_eval_errors),
        cmocka_unit_test(test_duplicate_rows),
        cmocka_unit_test(test_expanded_limit_big_title),
        cmocka_unit_test(test_json_position),
        cmocka_unit_test(test_table_resolver),
        cmocka_unit_test(test_table_resolver_pages),
        cmocka_unit_test(test_table_resolver_large),
        cmocka_unit_test(test_random_fields),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
