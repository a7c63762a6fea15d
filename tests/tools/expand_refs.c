/*
 * expand_refs — writes a brief with every `{…}` reference replaced by the
 * text brief sets for it, so that the checkers that compare a PDF with its
 * JSON (tests/render/check_pdf.py, check_tables.py, tests/typo) compare
 * with what was set, not with the references.
 *
 * usage: expand_refs IN.json > OUT.json
 * Loads IN.json with the library (the binding is the library's own, not a
 * second implementation), then puts each block's bound text back into the
 * JSON tree at the same place: text, caption, chart and table title,
 * subtitle and note, list items, key-figure labels and values, masthead
 * fields, and the running header and footer (as templates: {page} stays).
 * Exit 0, or 1 with the diagnostics when the brief does not load.
 */
#include "model/model.h"
#include "model/blocks.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_string(cJSON *obj, const char *key, const char *value)
{
    if (obj && value && cJSON_GetObjectItemCaseSensitive(obj, key))
        cJSON_ReplaceItemInObjectCaseSensitive(obj, key, cJSON_CreateString(value));
}

/* Value and ref runs, evaluated at loading, back into the array of runs
 * as the text they became (found by the index their JSON path ends with). */
static void put_runs(cJSON *arr, const rich_text *rt)
{
    for (size_t i = 0; rt && cJSON_IsArray(arr) && i < rt->nruns; i++) {
        const rich_run *r = &rt->runs[i];
        const char *br = r->json_path ? strrchr(r->json_path, '[') : NULL;
        if (r->kind == RUN_NOTE) {
            cJSON *e = br ? cJSON_GetArrayItem(arr, atoi(br + 1)) : NULL;
            put_runs(cJSON_GetObjectItemCaseSensitive(e, "note"), r->note);
            continue;
        }
        /* a run of the input is FIELD[k]; a run brief added (the 图N of a
         * numbered title or caption) has its field's or block's path */
        if (!br || !r->text || r->json_path[strlen(r->json_path) - 1] != ']' ||
            !strchr(r->json_path, '.'))
            continue;
        int k = atoi(br + 1);
        cJSON *e = cJSON_GetArrayItem(arr, k);
        if (cJSON_IsObject(e) && (cJSON_GetObjectItemCaseSensitive(e, "value") ||
                                  cJSON_GetObjectItemCaseSensitive(e, "ref")))
            cJSON_ReplaceItemInArray(arr, k, cJSON_CreateString(r->text));
    }
}

/* A text field: its runs when it was given as runs, else its string. */
static void put_text(cJSON *obj, const char *key, const char *plain, const rich_text *rt)
{
    if (rt)
        put_runs(cJSON_GetObjectItemCaseSensitive(obj, key), rt);
    else
        set_string(obj, key, plain);
}

static void put_block(cJSON *j, const block *b)
{
    if (b->rich) {
        put_runs(cJSON_GetObjectItemCaseSensitive(j, "text"), b->rich);
        return;
    }
    switch (b->type) {
    case BLOCK_TITLE: case BLOCK_BYLINE: case BLOCK_LEAD: case BLOCK_HEADING: case BLOCK_PARAGRAPH:
        set_string(j, "text", b->text);
        break;
    case BLOCK_FIGURE:
        put_text(j, "caption", b->caption, b->caption_rich);
        break;
    case BLOCK_CHART:
        if (b->chart) {
            set_string(j, "title", b->chart->title);
            set_string(j, "subtitle", b->chart->subtitle);
            set_string(j, "note", b->chart->note);
        }
        break;
    case BLOCK_TABLE:
        if (b->table) {
            put_text(j, "title", b->table->title, b->table->title_rich);
            put_text(j, "note", b->table->note, b->table->note_rich);
        }
        break;
    case BLOCK_LIST: {
        cJSON *items = cJSON_GetObjectItemCaseSensitive(j, "items");
        for (size_t k = 0; b->list && k < b->list->nitems; k++) {
            if (b->list->items_rich && b->list->items_rich[k])
                put_runs(cJSON_GetArrayItem(items, (int)k), b->list->items_rich[k]);
            else
                cJSON_ReplaceItemInArray(items, (int)k, cJSON_CreateString(b->list->items[k]));
        }
        break;
    }
    case BLOCK_KPI: {
        cJSON *items = cJSON_GetObjectItemCaseSensitive(j, "items");
        for (size_t k = 0; b->kpi && k < b->kpi->nitems; k++) {
            cJSON *it = cJSON_GetArrayItem(items, (int)k);
            const kpi_item *ki = &b->kpi->items[k];
            put_text(it, "label", ki->label, ki->label_rich);
            if (ki->change_ref)
                cJSON_ReplaceItemInObjectCaseSensitive(it, "change", cJSON_CreateNumber(ki->change));
            if (ki->value_ref) {
                cJSON_ReplaceItemInObjectCaseSensitive(it, "value", cJSON_CreateNumber(ki->value));
                if (!cJSON_GetObjectItemCaseSensitive(it, "unit"))
                    cJSON_AddStringToObject(it, "unit", ki->unit);
            }
        }
        break;
    }
    case BLOCK_MASTHEAD:
        if (b->masthead) {
            const masthead_spec *m = b->masthead;
            put_text(j, "title", m->title, m->title_rich);
            put_text(j, "issue", m->issue, m->issue_rich);
            put_text(j, "org", m->org, m->org_rich);
            put_text(j, "date", m->date, m->date_rich);
            put_text(j, "mark", m->mark, m->mark_rich);
        }
        break;
    default:
        break;
    }
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = '\0';
    fclose(f);
    return s;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: expand_refs IN.json > OUT.json\n");
        return 2;
    }
    brief_diag *d = brief_diag_new();
    brief_doc *doc = brief_doc_load_file(argv[1], d);
    if (!doc) {
        char line[4096];
        for (size_t i = 0; i < brief_diag_count(d); i++) {
            brief_error_format(brief_diag_get(d, i), line, sizeof line);
            fprintf(stderr, "%s\n", line);
        }
        brief_diag_free(d);
        return 1;
    }
    char *text = slurp(argv[1]);
    const char *start = text;
    if (start && (unsigned char)start[0] == 0xEF)
        start += 3;   /* a UTF-8 byte order mark */
    cJSON *root = start ? cJSON_Parse(start) : NULL;
    if (!root) {
        fprintf(stderr, "expand_refs: cannot read %s\n", argv[1]);
        return 1;
    }
    cJSON *body = cJSON_GetObjectItemCaseSensitive(root, "body");
    for (size_t i = 0; i < doc->nblocks; i++)
        put_block(cJSON_GetArrayItem(body, (int)i), &doc->blocks[i]);
    cJSON *page = cJSON_GetObjectItemCaseSensitive(root, "page");
    put_text(page, "header", doc->page.header, doc->page.header_rich);
    put_text(page, "footer", doc->page.footer, doc->page.footer_rich);
    char *out = cJSON_Print(root);
    if (out)
        printf("%s\n", out);
    free(out);
    cJSON_Delete(root);
    free(text);
    brief_doc_free(doc);
    brief_diag_free(d);
    return 0;
}
