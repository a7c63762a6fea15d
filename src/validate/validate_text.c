/*
 * validate_text.c — the `{…}` placeholders of every text field, bound to
 * the data once every dataset, variable and chart is known; value and ref
 * runs of rich text (validate_runs.c) too, read as the placeholder each
 * stands for, so a run and a placeholder print alike.
 *
 * Takes the model as the other validator files left it (datasets already
 * replaced by --data, variables after --var, chart ids checked) and the
 * JSON text, still there during validation.  Gives each field's text with
 * its references replaced by their values (model/placeholder.h: one
 * resolver over the document, the one number formatter), chart titles and
 * figure captions prefixed 图N when "style": {"numbering": true}, and the
 * header and footer reduced to templates with only {page}, {pages} and
 * {title} left, for the layout to fill in per page.  Guarantees: an
 * unknown dataset, column, row, function, variable or id is an error at
 * the placeholder's line:column inside the string (escapes counted), with
 * suggestions; every expansion is bounded before it is built, per field
 * (PH_MAX_FIELD_BYTES), per running line (PH_MAX_RUNNING_BYTES at 2000
 * pages) and for the whole document (PH_MAX_DOC_BYTES).
 */
#define _POSIX_C_SOURCE 200809L
#include "validate/validate_internal.h"
#include "model/placeholder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUNNING_PAGES 2000   /* layout's page limit: a running line is set that often */

typedef struct binder {
    vctx *v;
    ph_table table;
    ph_resolver r;
    ph_column_format **formats;   /* per dataset, or NULL entries */
    const char **ref_ids, **ref_labels;
    char **labels;                /* owned: "图1" … */
    size_t nrefs;
    ph_budget budget;
    bool evaluate;                /* false when the data itself was wrong */
    const char *builtin_values[3];
} binder;

static const char *const BUILTINS[] = {"page", "pages", "title"};

/* ------------------------------------------------------------------ */
/* positions inside strings                                            */

static bool build_line_starts(vctx *v)
{
    size_t n = 1;
    for (size_t i = 0; i < v->text_len; i++)
        n += v->text[i] == '\n';
    if (!(v->line_starts = malloc(n * sizeof *v->line_starts)))
        return false;
    v->nlines = 0;
    v->line_starts[v->nlines++] = 0;
    for (size_t i = 0; i < v->text_len; i++)
        if (v->text[i] == '\n')
            v->line_starts[v->nlines++] = i + 1;
    return true;
}

/* Where byte `off` of the string at `path` is in the file: the string's
 * opening quote is found from its recorded line:column, then the escapes
 * between are walked (ph_json_position).  The string's own position when
 * the text is not at hand. */
static verdict position_in_string(vctx *v, const char *path, size_t off, src_pos *at)
{
    src_pos q = {0, 0};
    json_locate(v->pos, v->root, path, JSON_AT_VALUE, &q);
    *at = q;
    if (!v->text || q.line < 1)
        return V_FINE;
    if (!v->line_starts && !build_line_starts(v))
        return V_STOP;
    if ((size_t)q.line > v->nlines)
        return V_FINE;
    /* Columns count characters: walk q.column - 1 of them from the line start. */
    size_t b = v->line_starts[q.line - 1];
    for (int c = 1; c < q.column && b < v->text_len;) {
        b++;
        while (b < v->text_len && ((unsigned char)v->text[b] & 0xC0) == 0x80)
            b++;
        c++;
    }
    if (b >= v->text_len || v->text[b] != '"')
        return V_FINE;
    ph_json_position(v->text, v->text_len, b, off, &at->line, &at->column);
    return V_FINE;
}

static verdict fail_in_string(vctx *v, const char *path, const ph_error *e)
{
    if (e->oom)
        return V_STOP;
    src_pos at;
    PASS(position_in_string(v, path, e->off, &at));
    return v_fail_pos(v, path, at, "%s", e->message);
}

/* ------------------------------------------------------------------ */
/* the resolver                                                        */

static verdict column_formats(binder *b)
{
    brief_doc *d = b->v->doc;
    NEED(b->formats = v_alloc(d->ndatasets, sizeof *b->formats));
    for (size_t i = 0; i < d->ndatasets; i++) {
        const dataset *ds = &d->datasets[i];
        if (!ds->units && !ds->decimals)
            continue;
        NEED(b->formats[i] = v_alloc(ds->ncols, sizeof **b->formats));
        for (size_t c = 0; c < ds->ncols; c++) {
            b->formats[i][c].unit = ds->units && ds->units[c] ? ds->units[c] : "";
            b->formats[i][c].decimals = ds->decimals ? ds->decimals[c] : -1;
        }
    }
    return V_FINE;
}

/* The ids {ref:…} may name: tables with a title (numbered 表N by the
 * tables' own rule, validate_bulletin.c) always; charts, numbered 图1, 图2 …
 * with the figures in document order, when "numbering" is on.  labels[i]
 * is block i's label. */
static verdict number_blocks(binder *b)
{
    brief_doc *d = b->v->doc;
    NEED(b->ref_ids = v_alloc(d->nblocks, sizeof *b->ref_ids));
    NEED(b->ref_labels = v_alloc(d->nblocks, sizeof *b->ref_labels));
    NEED(b->labels = v_alloc(d->nblocks, sizeof *b->labels));
    size_t n = 0;
    bool numbering = d->style.numbering;
    for (size_t i = 0; i < d->nblocks; i++) {
        const block *bl = &d->blocks[i];
        char buf[32];
        const char *id = NULL;
        if (bl->type == BLOCK_TABLE && bl->table && bl->table->number > 0) {
            snprintf(buf, sizeof buf, "表%d", bl->table->number);
            id = bl->table->id;
        } else if (bl->type == BLOCK_CHART || bl->type == BLOCK_FIGURE) {
            snprintf(buf, sizeof buf, "图%zu", ++n);
            id = bl->type == BLOCK_CHART && bl->chart && numbering ? bl->chart->id : NULL;
        } else {
            continue;
        }
        NEED(b->labels[i] = v_dup(buf));
        if (id && *id) {
            b->ref_ids[b->nrefs] = id;
            b->ref_labels[b->nrefs++] = b->labels[i];
        }
    }
    return V_FINE;
}

static verdict binder_init(binder *b, vctx *v)
{
    memset(b, 0, sizeof *b);
    b->v = v;
    brief_doc *d = v->doc;
    PASS(column_formats(b));
    PASS(number_blocks(b));
    b->evaluate = v->other_errors == 0;
    for (size_t i = 0; v->states && i < d->ndatasets; i++)
        b->evaluate &= v->states[i].usable && !v->states[i].bad_cells;
    ph_table *t = &b->table;
    t->datasets = d->datasets;
    t->ndatasets = d->ndatasets;
    t->formats = (const ph_column_format *const *)b->formats;
    t->var_names = (const char *const *)d->var_names;
    t->var_values = (const char *const *)d->var_values;
    t->nvars = d->nvars;
    t->ref_ids = b->ref_ids;
    t->ref_labels = b->ref_labels;
    t->nrefs = b->nrefs;
    b->builtin_values[0] = "2000";
    b->builtin_values[1] = "2000";
    b->builtin_values[2] = "";
    t->builtin_names = BUILTINS;
    t->builtin_values = b->builtin_values;
    t->nbuiltins = COUNT(BUILTINS);
    return ph_table_resolver(t, &b->r) ? V_FINE : V_STOP;
}

static void binder_clear(binder *b)
{
    ph_table_clear(&b->table);
    for (size_t i = 0; b->formats && i < b->v->doc->ndatasets; i++)
        free(b->formats[i]);
    free(b->formats);
    for (size_t i = 0; b->labels && i < b->v->doc->nblocks; i++)
        free(b->labels[i]);
    free(b->labels);
    free(b->ref_ids);
    free(b->ref_labels);
}

/* ------------------------------------------------------------------ */
/* one field                                                           */

static bool is_chart_id(const brief_doc *d, const char *id)
{
    for (size_t i = 0; id && i < d->ncharts; i++)
        if (d->charts[i]->id && strcmp(d->charts[i]->id, id) == 0)
            return true;
    return false;
}

/* {ref:CHART} without numbering: the number would appear nowhere. */
static bool ref_without_numbering(const binder *b, const ph_list *l, ph_error *e)
{
    if (b->v->doc->style.numbering)
        return false;
    for (size_t i = 0; i < l->n; i++)
        if (l->parts[i].kind == PH_REF && is_chart_id(b->v->doc, l->parts[i].name.s)) {
            memset(e, 0, sizeof *e);
            e->off = l->parts[i].off;
            e->len = l->parts[i].len;
            snprintf(e->message, sizeof e->message,
                     "{ref:%s} needs numbered charts (add \"style\": {\"numbering\": true})",
                     l->parts[i].name.s ? l->parts[i].name.s : "");
            return true;
        }
    return false;
}

/* The error of a field whose source began with `skip` bytes not in the
 * JSON string (the "{" or "{ref:" a value or ref run is read as). */
static verdict fail_in_source(vctx *v, const char *path, ph_error *e, size_t skip)
{
    e->off = e->off > skip ? e->off - skip : 0;
    /* A ref run names the id alone: suggest "m", not "ref:m". */
    static const char said[] = "did you mean ref:";
    char *s = skip == strlen("{ref:") ? strstr(e->message, said) : NULL;
    if (s) {
        char *id = s + strlen(said);
        memmove(id - strlen("ref:"), id, strlen(id) + 1);
    }
    return fail_in_string(v, path, e);
}

/* A value run is one reference to data, a ref run one {ref:ID}: what else
 * its source parsed into. */
static const char *run_shape_error(run_kind kind, const ph_list *l)
{
    if (kind == RUN_TEXT)
        return NULL;
    if (l->n != 1 || l->parts[0].kind == PH_LITERAL)
        return kind == RUN_VALUE ? "expected one reference such as \"sectors.投资[工业]\""
                                 : "expected the id of a chart or table such as \"t1\"";
    if (kind == RUN_VALUE && l->parts[0].kind == PH_REF)
        return "a value run names data (write {\"ref\": \"ID\"} for a chart's or table's number)";
    return NULL;
}

/* Binds `src`, the text of the field at `path` (for a value or ref run,
 * its expression wrapped as the placeholder it stands for, `skip` bytes
 * ahead of the string): *slot gets the expansion. */
static verdict bind_source(binder *b, const char *path, const char *src, size_t skip,
                           run_kind kind, char **slot)
{
    if (!strchr(src, '{') && !strchr(src, '}')) {   /* as written: only counted */
        if (!ph_budget_take(&b->budget, strlen(src), 1))
            return v_fail_at(b->v, path, "the expanded text of the brief is over %zu MiB "
                                         "(references repeat too much data)", PH_MAX_DOC_BYTES >> 20);
        return V_FINE;
    }
    ph_list l;
    ph_error e;
    if (!ph_parse(src, NULL, 0, &l, &e))
        return fail_in_source(b->v, path, &e, skip);
    verdict r = V_FINE;
    const char *shape = run_shape_error(kind, &l);
    if (shape) {
        r = v_fail_at(b->v, path, "%s", shape);
    } else if (ref_without_numbering(b, &l, &e)) {
        r = fail_in_source(b->v, path, &e, skip);
    } else if (b->evaluate) {
        char *x = ph_expand(&l, &b->r, NULL, NULL, PH_MAX_FIELD_BYTES, &e);
        if (!x) {
            r = fail_in_source(b->v, path, &e, skip);
        } else if (!ph_budget_take(&b->budget, strlen(x), 1)) {
            free(x);
            r = v_fail_at(b->v, path, "the expanded text of the brief is over %zu MiB "
                                      "(references repeat too much data)", PH_MAX_DOC_BYTES >> 20);
        } else {
            free(*slot);
            *slot = x;
        }
    } else if (!ph_check(&l, &b->r, &e) && !e.oom) {
        r = V_FINE;   /* the data was wrong: its own errors say why */
    }
    ph_list_clear(&l);
    return r;
}

/* Binds the field at `path` whose text is *slot: replaced by the expansion. */
static verdict bind_field(binder *b, const char *path, char **slot)
{
    return *slot ? bind_source(b, path, *slot, 0, RUN_TEXT, slot) : V_FINE;
}

/* ------------------------------------------------------------------ */
/* runs (validate_runs.c): the same binding as a placeholder           */

/* Where a run's string is: "body[3].text[2].value" for a run object, the
 * run itself for a run given as a string. */
static verdict run_string_path(binder *b, const rich_run *r, strbuf *p)
{
    sb_puts(p, r->json_path ? r->json_path : "");
    size_t bare = p->len;
    json_path_key(p, r->kind == RUN_VALUE ? "value" : r->kind == RUN_REF ? "ref" : "text");
    src_pos q;
    if (!p->failed && r->kind == RUN_TEXT
        && !json_locate(b->v->pos, b->v->root, p->s, JSON_AT_VALUE, &q))
        p->s[p->len = bare] = '\0';
    return p->failed ? V_STOP : V_FINE;
}

/* A value run is read as {EXPR}, a ref run as {ref:ID}, a text run as the
 * field text it is: after binding, every run is text. */
static verdict bind_run(binder *b, rich_run *r)
{
    static const char *const open[] = {[RUN_VALUE] = "{", [RUN_REF] = "{ref:"};
    strbuf path = {0}, src = {0};
    verdict res = run_string_path(b, r, &path);
    const char *pre = r->kind == RUN_VALUE || r->kind == RUN_REF ? open[r->kind] : "";
    sb_puts(&src, pre);
    sb_puts(&src, r->text ? r->text : "");
    if (*pre)
        sb_puts(&src, "}");
    if (res == V_FINE && src.failed)
        res = V_STOP;
    if (res == V_FINE) {
        char *x = NULL;
        res = bind_source(b, path.s, src.s, strlen(pre), r->kind, &x);
        if (x) {
            free(r->text);
            r->text = x;
            r->kind = RUN_TEXT;
        }
    }
    sb_free(&src);
    sb_free(&path);
    return res;
}

static verdict bind_runs_of(binder *b, rich_text *rt)
{
    for (size_t i = 0; rt && i < rt->nruns; i++) {
        rich_run *r = &rt->runs[i];
        PASS(r->kind == RUN_NOTE ? bind_runs_of(b, r->note) : bind_run(b, r));
    }
    return V_FINE;
}

static verdict bind_at(binder *b, const char *block_path, const char *key, char **slot);

/* Runs, then the field's plain text again from what they became. */
static verdict bind_rich(binder *b, rich_text *rt, char **plain_slot)
{
    PASS(bind_runs_of(b, rt));
    char *plain = v_runs_plain(rt);
    NEED(plain);
    free(*plain_slot);
    *plain_slot = plain;
    return V_FINE;
}

/* A text field that may have been given as runs. */
static verdict bind_text_at(binder *b, const char *block_path, const char *key, char **slot,
                            rich_text *rt)
{
    return rt ? bind_rich(b, rt, slot) : bind_at(b, block_path, key, slot);
}

static verdict bind_at(binder *b, const char *block_path, const char *key, char **slot)
{
    strbuf p = {0};
    sb_puts(&p, block_path);
    json_path_key(&p, key);
    if (p.failed) {
        sb_free(&p);
        return V_STOP;
    }
    verdict r = bind_field(b, p.s, slot);
    sb_free(&p);
    return r;
}

/* body[i].items[k], or with key body[i].items[k].key (a key figure's label). */
static verdict bind_item(binder *b, const char *block_path, size_t k, const char *key,
                         char **slot)
{
    strbuf p = {0};
    sb_puts(&p, block_path);
    json_path_key(&p, "items");
    json_path_index(&p, k);
    if (key)
        json_path_key(&p, key);
    verdict r = p.failed ? V_STOP : bind_field(b, p.s, slot);
    sb_free(&p);
    return r;
}

/* A key figure's "value" or "change" given as one reference: its number
 * (and for the value, the unit and decimals the reference prints with
 * unless the item gives them). */
static verdict bind_kpi_number(binder *b, const char *block_path, size_t k, kpi_item *it,
                               bool change)
{
    const char *ref = change ? it->change_ref : it->value_ref;
    if (!ref)
        return V_FINE;
    strbuf p = {0};
    sb_puts(&p, block_path);
    json_path_key(&p, "items");
    json_path_index(&p, k);
    json_path_key(&p, change ? "change" : "value");
    if (p.failed) {
        sb_free(&p);
        return V_STOP;
    }
    ph_list l;
    ph_error e;
    verdict r = V_FINE;
    if (!ph_parse(ref, NULL, 0, &l, &e)) {
        r = fail_in_string(b->v, p.s, &e);
        sb_free(&p);
        return r;
    }
    const ph_part *q = l.n == 1 ? &l.parts[0] : NULL;
    ph_value val;
    if (!q || q->kind == PH_LITERAL || q->kind == PH_REF || q->kind == PH_VAR) {
        r = v_fail_at(b->v, p.s, "expected a number or one reference to a number such as "
                                 "\"{DATASET.COLUMN[ROW]}\" or \"{sum(DATASET.COLUMN)}\"");
    } else if (!b->evaluate) {
        r = V_FINE;
    } else if (!ph_eval(q, &b->r, &val, &e)) {
        r = fail_in_string(b->v, p.s, &e);
    } else if (val.is_text) {
        r = v_fail_at(b->v, p.s, "the reference gives text, and a key figure is a number");
    } else if (change) {
        it->change = val.number;
    } else {
        it->value = val.number;
        if (it->decimals < 0)
            it->decimals = val.decimals;
        if (!*it->unit && val.unit && *val.unit)
            r = v_replace(&it->unit, val.unit);
    }
    ph_list_clear(&l);
    sb_free(&p);
    return r;
}

/* "图2 " before a numbered title. */
static verdict prefix(char **slot, const char *label)
{
    size_t n = strlen(label) + 1 + strlen(*slot ? *slot : "") + 1;
    char *s = malloc(n);
    NEED(s);
    snprintf(s, n, "%s%s%s", label, *slot && **slot ? " " : "", *slot ? *slot : "");
    free(*slot);
    *slot = s;
    return V_FINE;
}

/* A chart's text given as runs: each run bound alone, then the plain
 * text again from what they became (runs that came to nothing are
 * dropped: the chart draws the plain text, empty). */
static verdict bind_chart_runs(binder *b, rich_text **rt, char **plain)
{
    PASS(bind_runs_of(b, *rt));
    char *s = v_runs_plain(*rt);
    NEED(s);
    free(*plain);
    *plain = s;
    if (!*s) {
        rich_text_free(*rt);
        *rt = NULL;
    }
    return V_FINE;
}

/* "图2 " as the first run of a numbered title given as runs. */
static verdict prefix_runs(rich_text *rt, const char *label, const char *path)
{
    rich_run *runs = realloc(rt->runs, (rt->nruns + 1) * sizeof *runs);
    NEED(runs);
    rt->runs = runs;
    memmove(&runs[1], &runs[0], rt->nruns * sizeof *runs);
    rt->nruns++;
    memset(&runs[0], 0, sizeof *runs);
    runs[0].kind = RUN_TEXT;
    NEED(runs[0].json_path = v_dup(path));
    size_t n = strlen(label) + 2;
    NEED(runs[0].text = malloc(n));
    snprintf(runs[0].text, n, "%s ", label);
    return V_FINE;
}

/* Title, subtitle, note; a reference line's label only when given as runs
 * (a label string is printed as written). */
static verdict bind_chart(binder *b, const char *jp, chart_spec *c, const char *label)
{
    if (c->title_rich)
        PASS(bind_chart_runs(b, &c->title_rich, &c->title));
    else
        PASS(bind_at(b, jp, "title", &c->title));
    if (c->subtitle_rich)
        PASS(bind_chart_runs(b, &c->subtitle_rich, &c->subtitle));
    else
        PASS(bind_at(b, jp, "subtitle", &c->subtitle));
    if (c->note_rich)
        PASS(bind_chart_runs(b, &c->note_rich, &c->note));
    else
        PASS(bind_at(b, jp, "note", &c->note));
    for (size_t k = 0; c->refs && k < c->nrefs; k++)
        if (c->refs[k].label_rich)
            PASS(bind_chart_runs(b, &c->refs[k].label_rich, &c->refs[k].label));
    if (!b->v->doc->style.numbering || !label)
        return V_FINE;
    if (c->title_rich)
        PASS(prefix_runs(c->title_rich, label, jp));
    return prefix(&c->title, label);
}

/* "图2 " as the first run of a numbered caption given as runs; its path
 * is the caption's (it stands for no run of the input). */
static verdict prefix_caption_runs(block *bl, const char *label)
{
    strbuf p = {0};
    sb_puts(&p, bl->json_path ? bl->json_path : "");
    json_path_key(&p, "caption");
    verdict r = p.failed ? V_STOP : prefix_runs(bl->caption_rich, label, p.s);
    sb_free(&p);
    return r;
}

static verdict bind_block(binder *b, size_t i)
{
    block *bl = &b->v->doc->blocks[i];
    const char *jp = bl->json_path ? bl->json_path : "";
    switch (bl->type) {
    case BLOCK_TITLE: case BLOCK_BYLINE: case BLOCK_LEAD: case BLOCK_HEADING: case BLOCK_PARAGRAPH:
        /* Text given as runs (validate_runs.c): each run bound alone. */
        return bind_text_at(b, jp, "text", &bl->text, bl->rich);
    case BLOCK_FIGURE:
        PASS(bind_text_at(b, jp, "caption", &bl->caption, bl->caption_rich));
        if (b->v->doc->style.numbering && b->labels[i]) {
            PASS(prefix(&bl->caption, b->labels[i]));
            if (bl->caption_rich)
                PASS(prefix_caption_runs(bl, b->labels[i]));
        }
        return V_FINE;
    case BLOCK_CHART:
        return bl->chart ? bind_chart(b, jp, bl->chart, b->labels[i]) : V_FINE;
    case BLOCK_TABLE:
        if (!bl->table)
            return V_FINE;
        PASS(bind_text_at(b, jp, "title", &bl->table->title, bl->table->title_rich));
        return bind_text_at(b, jp, "note", &bl->table->note, bl->table->note_rich);
    case BLOCK_LIST:
        for (size_t k = 0; bl->list && k < bl->list->nitems; k++) {
            rich_text *rt = bl->list->items_rich ? bl->list->items_rich[k] : NULL;
            PASS(rt ? bind_rich(b, rt, &bl->list->items[k])
                    : bind_item(b, jp, k, NULL, &bl->list->items[k]));
        }
        return V_FINE;
    case BLOCK_KPI:
        for (size_t k = 0; bl->kpi && k < bl->kpi->nitems; k++) {
            kpi_item *it = &bl->kpi->items[k];
            PASS(it->label_rich ? bind_rich(b, it->label_rich, &it->label)
                                : bind_item(b, jp, k, "label", &it->label));
            PASS(bind_kpi_number(b, jp, k, &bl->kpi->items[k], false));
            PASS(bind_kpi_number(b, jp, k, &bl->kpi->items[k], true));
        }
        return V_FINE;
    case BLOCK_MASTHEAD:
        if (!bl->masthead)
            return V_FINE;
    {
        masthead_spec *m = bl->masthead;
        PASS(bind_text_at(b, jp, "title", &m->title, m->title_rich));
        PASS(bind_text_at(b, jp, "issue", &m->issue, m->issue_rich));
        PASS(bind_text_at(b, jp, "org", &m->org, m->org_rich));
        PASS(bind_text_at(b, jp, "date", &m->date, m->date_rich));
        return bind_text_at(b, jp, "mark", &m->mark, m->mark_rich);
    }
    default:
        return V_FINE;
    }
}

/* ------------------------------------------------------------------ */
/* header and footer                                                   */

static void put_escaped(strbuf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '{' || s[i] == '}')
            sb_append(out, &s[i], 1);
        sb_append(out, &s[i], 1);
    }
}

/* The template with every reference but {page}, {pages}, {title} replaced
 * by its value (literal braces escaped again). */
static verdict running_template(binder *b, const ph_list *l, char **out, ph_error *e)
{
    strbuf t = {0};
    sb_puts(&t, "");
    for (size_t i = 0; i < l->n; i++) {
        const ph_part *p = &l->parts[i];
        if (p->kind == PH_LITERAL) {
            put_escaped(&t, p->text, strlen(p->text));
        } else if (p->kind == PH_BUILTIN) {
            sb_printf(&t, "{%s}", p->name.s);
        } else {
            ph_value val;
            if (!ph_eval(p, &b->r, &val, e)) {
                sb_free(&t);
                return e->oom ? V_STOP : V_WRONG;
            }
            if (val.is_text) {
                put_escaped(&t, val.text, strlen(val.text));
            } else {
                char num[128];
                size_t n = ph_format_plain(NULL, num, sizeof num, &val);
                put_escaped(&t, num, n < sizeof num ? n : sizeof num - 1);
            }
        }
    }
    if (t.failed) {
        sb_free(&t);
        return V_STOP;
    }
    *out = t.s;
    return V_FINE;
}

static verdict bind_running(binder *b, const char *path, char **slot)
{
    if (!*slot || !**slot)
        return V_FINE;
    ph_list l;
    ph_error e;
    if (!ph_parse(*slot, BUILTINS, COUNT(BUILTINS), &l, &e))
        return fail_in_string(b->v, path, &e);
    verdict r = V_FINE;
    char *tpl = NULL;
    size_t len = 0;
    if (ref_without_numbering(b, &l, &e)) {
        r = fail_in_string(b->v, path, &e);
    } else if (!b->evaluate) {
        r = V_FINE;
    } else if ((r = running_template(b, &l, &tpl, &e)) == V_WRONG) {
        r = fail_in_string(b->v, path, &e);
    } else if (r == V_FINE) {
        b->builtin_values[2] = b->v->doc->meta.title ? b->v->doc->meta.title : "";
        if (!ph_expanded_length(&l, &b->r, NULL, NULL, &len, &e))
            r = e.oom ? V_STOP : fail_in_string(b->v, path, &e);
        else if (len > PH_MAX_RUNNING_BYTES)
            r = v_fail_at(b->v, path, "this line is %zu bytes once expanded (at %d pages; at most "
                                      "%d: it is set on every page)", len, RUNNING_PAGES,
                          PH_MAX_RUNNING_BYTES);
        else if (!ph_budget_take(&b->budget, len, RUNNING_PAGES))
            r = v_fail_at(b->v, path, "the expanded text of the brief is over %zu MiB",
                          PH_MAX_DOC_BYTES >> 20);
        if (r == V_FINE) {
            free(*slot);
            *slot = tpl;
            tpl = NULL;
        }
    }
    free(tpl);
    ph_list_clear(&l);
    return r;
}

/* ------------------------------------------------------------------ */

verdict v_bind_text(vctx *v)
{
    binder *b = calloc(1, sizeof *b);
    NEED(b);
    verdict r = binder_init(b, v);
    for (size_t i = 0; r != V_STOP && i < v->doc->nblocks; i++)
        r = bind_block(b, i);
    /* Kept for the running lines, which need the title (it may come from
     * the body's title block, once that is bound). */
    v->binder = b;
    return r == V_STOP ? V_STOP : V_FINE;
}

void v_bind_done(vctx *v)
{
    if (v->binder) {
        binder_clear(v->binder);
        free(v->binder);
        v->binder = NULL;
    }
}

/* A running line given as runs: text runs stay templates; value and ref
 * runs become their text, escaped as template text; the line's template
 * is then the runs' texts joined. */
static verdict bind_running_runs(binder *b, rich_text *rt, char **line)
{
    for (size_t i = 0; i < rt->nruns; i++) {
        rich_run *r = &rt->runs[i];
        strbuf path = {0};
        PASS(run_string_path(b, r, &path));
        verdict res = V_FINE;
        if (r->kind == RUN_TEXT) {
            res = bind_running(b, path.s, &r->text);
        } else {
            res = bind_run(b, r);
            if (res == V_FINE && r->kind == RUN_TEXT) {
                strbuf t = {0};
                sb_puts(&t, "");
                put_escaped(&t, r->text, strlen(r->text));
                if (t.failed) {
                    res = V_STOP;
                } else {
                    free(r->text);
                    r->text = t.s;
                }
            }
        }
        sb_free(&path);
        PASS(res);
    }
    char *plain = v_runs_plain(rt);
    NEED(plain);
    free(*line);
    *line = plain;
    return V_FINE;
}

static verdict bind_running_line(binder *b, const char *path, char **line, rich_text *rt)
{
    return rt ? bind_running_runs(b, rt, line) : bind_running(b, path, line);
}

verdict v_bind_running(vctx *v)
{
    binder *b = v->binder;
    if (!b)
        return V_FINE;
    verdict r = bind_running_line(b, "page.header", &v->doc->page.header, v->doc->page.header_rich);
    if (r != V_STOP)
        r = bind_running_line(b, "page.footer", &v->doc->page.footer, v->doc->page.footer_rich);
    v_bind_done(v);
    return r == V_STOP ? V_STOP : V_FINE;
}
