/*
 * test_schema.c — data/brief.schema.json says what the validator accepts.
 *
 * For every kind of object (the root, meta, page, style, a dataset, each
 * block type, a chart's reference line) the keys the schema lists must be
 * exactly the keys in the validator's tables (validate_internal.h), and the
 * block types, the chart kinds and the keys each kind of chart refuses
 * (those of the other kinds) must agree too.  A
 * key added on one side only fails here, naming the key and the object.
 *
 *   BRIEF_SCHEMA   the schema to check (default data/brief.schema.json)
 */
#define _POSIX_C_SOURCE 200809L
/* Before cmocka.h, whose v_fail() macro would rewrite the validator's fail. */
#include "validate/validate_internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static cJSON *schema;

static int load_schema(void **state)
{
    (void)state;
    const char *path = getenv("BRIEF_SCHEMA") ? getenv("BRIEF_SCHEMA") : "data/brief.schema.json";
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    schema = cJSON_Parse(buf);
    return schema ? 0 : -1;
}

static int free_schema(void **state)
{
    (void)state;
    cJSON_Delete(schema);
    return 0;
}

/* schema at a path of object keys, e.g. at("properties", "meta", NULL). */
static const cJSON *at(const cJSON *j, ...)
{
    va_list ap;
    va_start(ap, j);
    for (const char *k; j && (k = va_arg(ap, const char *)) != NULL;)
        j = cJSON_GetObjectItemCaseSensitive(j, k);
    va_end(ap);
    return j;
}

/* Union of up to three NULL-terminated key tables. */
static size_t gather(const char *const *a, const char *const *b, const char *const *c,
                     const char **out, size_t max)
{
    size_t n = 0;
    const char *const *t[3] = {a, b, c};
    for (int i = 0; i < 3; i++)
        for (size_t k = 0; t[i] && t[i][k]; k++)
            if (n < max)
                out[n++] = t[i][k];
    return n;
}

/* The members of `props` (a schema "properties" object) must be keys[0..n)
 * and nothing else. */
static void same_keys(const char *what, const cJSON *props, const char *const *keys, size_t n)
{
    if (!cJSON_IsObject(props))
        fail_msg("%s: the schema has no properties object", what);
    int bad = 0;
    for (const cJSON *p = props->child; p; p = p->next) {
        bool known = false;
        for (size_t i = 0; i < n; i++)
            known |= strcmp(p->string, keys[i]) == 0;
        if (!known) {
            print_error("%s: the schema has \"%s\", the validator refuses it\n", what, p->string);
            bad++;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (!cJSON_GetObjectItemCaseSensitive(props, keys[i])) {
            print_error("%s: the validator accepts \"%s\", the schema lacks it\n", what, keys[i]);
            bad++;
        }
    if (bad)
        fail_msg("%s: %d key(s) differ between the schema and the validator", what, bad);
}

static void same_table(const char *what, const cJSON *props, const char *const *keys)
{
    const char *all[64];
    same_keys(what, props, all, gather(keys, NULL, NULL, all, 64));
}

static void sections_match(void **state)
{
    (void)state;
    same_table("the root", at(schema, "properties", NULL), ROOT_KEYS);
    same_table("meta", at(schema, "properties", "meta", "properties", NULL), META_KEYS);
    same_table("page", at(schema, "properties", "page", "properties", NULL), PAGE_KEYS);
    same_table("style", at(schema, "properties", "style", "properties", NULL), STYLE_KEYS);
    same_table("a dataset", at(schema, "$defs", "dataset", "properties", NULL), DATASET_KEYS);
}

/* The schema's block alternative whose "type" is the constant name. */
static const cJSON *block_schema(const char *name)
{
    const cJSON *one = at(schema, "$defs", "block", "oneOf", NULL);
    for (const cJSON *b = one ? one->child : NULL; b; b = b->next) {
        const cJSON *c = at(b, "properties", "type", "const", NULL);
        if (cJSON_IsString(c) && strcmp(c->valuestring, name) == 0)
            return b;
    }
    return NULL;
}

/* Every key a chart may have: the common ones and those of each kind. */
static size_t chart_keys(const char **out, size_t max)
{
    size_t n = gather(CHART_KEYS, NULL, NULL, out, max);
    for (int k = 0; k < CHART_KINDS_COUNT; k++)
        n += gather(KIND_KEYS[k], NULL, NULL, out + n, max - n);
    return n;
}

static void blocks_match(void **state)
{
    (void)state;
    const cJSON *one = at(schema, "$defs", "block", "oneOf", NULL);
    assert_int_equal(cJSON_GetArraySize(one), (int)COUNT(BLOCK_TYPES));
    for (int t = 0; t < (int)COUNT(BLOCK_TYPES); t++) {
        const cJSON *b = block_schema(BLOCK_TYPES[t]);
        if (!b)
            fail_msg("the schema has no \"%s\" block", BLOCK_TYPES[t]);
        char what[64];
        snprintf(what, sizeof what, "a %s block", BLOCK_TYPES[t]);
        const char *all[64];
        size_t n = t == BLOCK_CHART ? chart_keys(all, 64)
                                    : gather(v_block_keys((block_type)t), NULL, NULL, all, 64);
        same_keys(what, at(b, "properties", NULL), all, n);
    }
}

/* The objects inside table and kpi blocks: a group, a key figure. */
static void bulletin_parts_match(void **state)
{
    (void)state;
    const cJSON *table = block_schema("table"), *kpi = block_schema("kpi");
    assert_non_null(table);
    assert_non_null(kpi);
    same_table("a table group", at(table, "properties", "groups", "items", "properties", NULL),
               GROUP_KEYS);
    same_table("a key figure", at(kpi, "properties", "items", "items", "properties", NULL),
               KPI_ITEM_KEYS);
}

/* The schema's rule for one kind: allOf[i] is {"if": kind == name, "then":
 * {"properties": {KEY: false …}}}, forbidding the keys of the other kinds
 * that this kind does not have. */
static const cJSON *kind_rule(const cJSON *chart, const char *name)
{
    const cJSON *all = at(chart, "allOf", NULL);
    for (const cJSON *r = all ? all->child : NULL; r; r = r->next) {
        const cJSON *c = at(r, "if", "properties", "kind", "const", NULL);
        if (cJSON_IsString(c) && strcmp(c->valuestring, name) == 0)
            return at(r, "then", "properties", NULL);
    }
    return NULL;
}

/* Each kind forbids exactly the keys other kinds have and it has not; a
 * reference line has its own keys. */
static void chart_parts_match(void **state)
{
    (void)state;
    const cJSON *chart = block_schema("chart");
    assert_non_null(chart);
    const cJSON *kinds = at(chart, "properties", "kind", "enum", NULL);
    assert_int_equal(cJSON_GetArraySize(kinds), CHART_KINDS_COUNT);
    for (int k = 0; k < CHART_KINDS_COUNT; k++) {
        assert_string_equal(cJSON_GetArrayItem(kinds, k)->valuestring, KIND_NAMES[k]);
        const char *forbidden[64];
        size_t n = 0;
        for (int o = 0; o < CHART_KINDS_COUNT; o++)
            for (size_t i = 0; o != k && KIND_KEYS[o][i]; i++)
                if (!v_listed(KIND_KEYS[o][i], KIND_KEYS[k]) && n < 64)
                    forbidden[n++] = KIND_KEYS[o][i];
        char what[96];
        snprintf(what, sizeof what, "the keys a %s chart refuses", KIND_NAMES[k]);
        same_keys(what, kind_rule(chart, KIND_NAMES[k]), forbidden, n);
    }
    same_table("a reference line",
               at(chart, "properties", "reference", "items", "properties", NULL), REFERENCE_KEYS);
}

/* A run object: the union of the keys of the schema's run alternatives. */
static void runs_match(void **state)
{
    (void)state;
    const cJSON *one = at(schema, "$defs", "run", "oneOf", NULL);
    assert_non_null(one);
    cJSON *all = cJSON_CreateObject();
    for (const cJSON *alt = one->child; alt; alt = alt->next) {
        const cJSON *props = at(alt, "properties", NULL);
        for (const cJSON *p = props ? props->child : NULL; p; p = p->next)
            if (!cJSON_GetObjectItemCaseSensitive(all, p->string))
                cJSON_AddNullToObject(all, p->string);
    }
    same_table("a run", all, RUN_KEYS);
    cJSON_Delete(all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sections_match),
        cmocka_unit_test(blocks_match),
        cmocka_unit_test(bulletin_parts_match),
        cmocka_unit_test(chart_parts_match),
        cmocka_unit_test(runs_match),
    };
    return cmocka_run_group_tests(tests, load_schema, free_schema);
}
