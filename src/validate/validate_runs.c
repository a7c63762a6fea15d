/*
 * validate_runs.c — rich text: a text field given as an array of runs
 * (docs/format.md, "Rich text").
 *
 * Takes the value of a text field; gives the field's plain text (for
 * outlines, metadata and messages) and, for an array, its rich_text: runs
 * of text (bold, link), footnotes (runs of their own, never another note),
 * and value/ref runs, which v_resolve_runs turns into text once every chart
 * id is known, through the placeholder evaluator (model/placeholder.c) and
 * the one number formatter.  Guarantees: every run is non-empty; a link is
 * http(s) or mailto and has no white space, quote or backslash; every error
 * names the run's path (body[3].text[2].link) and its place in the text.
 */
#define _POSIX_C_SOURCE 200809L
#include "validate/validate_internal.h"
#include "model/placeholder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_RUNS 2000

const char *const RUN_KEYS[] = {"text", "bold", "link", "note", "value", "ref", NULL};
static const char *const RUN_CONTENT[] = {"text", "note", "value", "ref"};

static bool link_allowed(const char *s)
{
    static const char *const schemes[] = {"https://", "http://", "mailto:"};
    bool scheme = false;
    for (size_t i = 0; i < COUNT(schemes) && !scheme; i++) {
        size_t n = strlen(schemes[i]);
        scheme = strncasecmp(s, schemes[i], n) == 0 && s[n];
    }
    if (!scheme)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || *p == '\'' || *p == '\\' || *p == '"')
            return false;
    return true;
}

static verdict read_runs(vctx *v, const cJSON *arr, bool in_note, rich_text **out);

static verdict read_run_link(vctx *v, const cJSON *j, rich_run *r)
{
    const cJSON *l = v_get(j, "link");
    if (!l)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, "link", &mark));
    const char *s;
    verdict res = v_string_value(v, l, true, &s);
    if (s && r->kind != RUN_TEXT) {
        res = v_fail_key(v, "\"link\" goes with \"text\" (a link needs the text it is set on)");
    } else if (s && !link_allowed(s)) {
        strbuf q = {0};
        json_quote(&q, s, strlen(s));
        res = q.failed ? V_STOP
                       : v_fail(v, "link %s is not a web or mail address (expected \"https://…\", "
                                   "\"http://…\" or \"mailto:…\", without spaces or quotes)", q.s);
        sb_free(&q);
    } else if (s) {
        res = v_replace(&r->link, s);
    }
    v_leave(v, mark);
    return res;
}

static verdict read_run_bold(vctx *v, const cJSON *j, rich_run *r)
{
    const cJSON *b = v_get(j, "bold");
    if (!b)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, "bold", &mark));
    verdict res = V_FINE;
    if (!cJSON_IsBool(b))
        res = v_wrong_type(v, "true or false", b);
    else if (r->kind == RUN_NOTE)
        res = v_fail_key(v, "\"bold\" goes with \"text\", \"value\" or \"ref\" (not with a note)");
    else
        r->bold = cJSON_IsTrue(b);
    v_leave(v, mark);
    return res;
}

/* A note given as a string: one run. */
static verdict note_of_string(vctx *v, const char *s, rich_text **out)
{
    rich_text *rt = v_alloc(1, sizeof *rt);
    NEED(rt);
    *out = rt;
    NEED(rt->runs = v_alloc(1, sizeof(rich_run)));
    rt->nruns = 1;
    NEED(rt->runs[0].json_path = v_dup(v_here(v)));
    NEED(rt->runs[0].text = v_dup(s));
    return V_FINE;
}

/* The content key of a run object (text, note, value or ref). */
static verdict run_content(vctx *v, const cJSON *j, rich_run *r, const char *content, bool in_note)
{
    const cJSON *c = v_get(j, content);
    size_t mark;
    PASS(v_enter_key(v, content, &mark));
    verdict res = V_FINE;
    if (strcmp(content, "note") == 0) {
        r->kind = RUN_NOTE;
        if (in_note) {
            res = v_fail(v, "a note inside a note (a footnote cannot have its own footnote; "
                            "write it into the note's text)");
        } else if (cJSON_IsArray(c)) {
            res = read_runs(v, c, true, &r->note);
        } else {
            const char *s;
            res = v_string_value(v, c, true, &s);
            if (s)
                res = note_of_string(v, s, &r->note);
        }
    } else {
        r->kind = strcmp(content, "value") == 0 ? RUN_VALUE
                  : strcmp(content, "ref") == 0 ? RUN_REF : RUN_TEXT;
        const char *s;
        res = v_string_value(v, c, true, &s);
        if (res != V_STOP && !(r->text = v_dup(s ? s : "")))
            res = V_STOP;
    }
    v_leave(v, mark);
    return res;
}

/* One run: a string, or an object with exactly one of text/note/value/ref. */
static verdict read_run(vctx *v, const cJSON *j, rich_run *r, bool in_note)
{
    NEED(r->json_path = v_dup(v_here(v)));
    if (cJSON_IsString(j)) {
        const char *s;
        verdict res = v_string_value(v, j, true, &s);
        NEED(r->text = v_dup(s ? s : ""));
        return res;
    }
    verdict res = v_expect_object(v, j, "a string or a run object such as {\"text\": \"…\", \"bold\": true}");
    if (res != V_FINE)
        return res;
    PASS(v_check_keys(v, j, RUN_KEYS, NULL, NULL));
    const char *content = NULL;
    for (size_t i = 0; i < COUNT(RUN_CONTENT); i++) {
        if (!v_get(j, RUN_CONTENT[i]))
            continue;
        if (content)
            return v_fail(v, "a run has one of \"text\", \"note\", \"value\" or \"ref\" (this one "
                             "has \"%s\" and \"%s\"; split it into two runs)", content, RUN_CONTENT[i]);
        content = RUN_CONTENT[i];
    }
    if (!content) {
        if (v_misspelled(j, "text", RUN_KEYS))
            return V_WRONG;
        return v_fail(v, "empty run (expected \"text\", \"note\", \"value\" or \"ref\")");
    }
    PASS(run_content(v, j, r, content, in_note));
    PASS(read_run_bold(v, j, r));
    return read_run_link(v, j, r);
}

static verdict read_runs(vctx *v, const cJSON *arr, bool in_note, rich_text **out)
{
    int n = cJSON_GetArraySize(arr);
    if (n == 0)
        return v_fail(v, "empty array of runs (expected at least one string or run)");
    if (n > MAX_RUNS)
        return v_fail(v, "%d runs (at most %d)", n, MAX_RUNS);
    rich_text *rt = v_alloc(1, sizeof *rt);
    NEED(rt);
    *out = rt;                    /* owned by the caller from here on */
    NEED(rt->runs = v_alloc((size_t)n, sizeof(rich_run)));
    rt->nruns = (size_t)n;
    size_t i = 0;
    for (const cJSON *e = arr->child; e; e = e->next, i++) {
        size_t mark;
        PASS(v_enter_index(v, i, &mark));
        verdict res = read_run(v, e, &rt->runs[i], in_note);
        v_leave(v, mark);
        PASS(res);
    }
    return V_FINE;
}

/* The plain text of runs (notes left out); NULL when out of memory. */
static char *runs_plain(const rich_text *rt)
{
    strbuf b = {0};
    sb_puts(&b, "");
    for (size_t i = 0; i < rt->nruns; i++)
        if (rt->runs[i].kind != RUN_NOTE && rt->runs[i].text)
            sb_puts(&b, rt->runs[i].text);
    if (b.failed || !b.s) {
        sb_free(&b);
        return NULL;
    }
    return b.s;
}

verdict v_read_text_field(vctx *v, const cJSON *t, char **text, rich_text **rich)
{
    if (cJSON_IsString(t)) {
        const char *s;
        verdict r = v_string_value(v, t, true, &s);
        if (s)
            r = v_replace(text, s);
        return r;
    }
    if (!cJSON_IsArray(t))
        return v_wrong_type(v, "a string or an array of runs", t);
    rich_text_free(*rich);
    *rich = NULL;
    PASS(read_runs(v, t, false, rich));
    if (!*rich)
        return V_WRONG;
    char *plain = runs_plain(*rich);
    NEED(plain);
    free(*text);
    *text = plain;
    return V_FINE;
}

/* ---- value and ref runs, once every chart id is known ---- */

typedef struct run_refs {
    ph_table table;
    ph_resolver r;
    const char **ids, **labels;
    char (*label_buf)[24];
    bool ready;
} run_refs;

/* Chart ids (sorted, for the resolver's binary search) and their numbers
 * 图1, 图2 … in body order. */
static bool run_refs_init(const brief_doc *d, run_refs *rr)
{
    size_t n = d->ncharts;
    rr->ids = calloc(n + 1, sizeof *rr->ids);
    rr->labels = calloc(n + 1, sizeof *rr->labels);
    rr->label_buf = calloc(n + 1, sizeof *rr->label_buf);
    if (!rr->ids || !rr->labels || !rr->label_buf)
        return false;
    for (size_t i = 0; i < n; i++) {
        snprintf(rr->label_buf[i], sizeof rr->label_buf[i], "图%zu", i + 1);
        const char *id = d->charts[i]->id ? d->charts[i]->id : "";
        size_t k = i;
        while (k > 0 && strcmp(rr->ids[k - 1], id) > 0) {
            rr->ids[k] = rr->ids[k - 1];
            rr->labels[k] = rr->labels[k - 1];
            k--;
        }
        rr->ids[k] = id;
        rr->labels[k] = rr->label_buf[i];
    }
    rr->table.datasets = d->datasets;
    rr->table.ndatasets = d->ndatasets;
    rr->table.ref_ids = rr->ids;
    rr->table.ref_labels = rr->labels;
    rr->table.nrefs = n;
    rr->ready = ph_table_resolver(&rr->table, &rr->r);
    return rr->ready;
}

static void run_refs_clear(run_refs *rr)
{
    if (rr->ready)
        ph_table_clear(&rr->table);
    free(rr->ids);
    free(rr->labels);
    free(rr->label_buf);
}

/* Replaces a value or ref run's expression by its text. */
static verdict resolve_run(vctx *v, const run_refs *rr, rich_run *r)
{
    strbuf path = {0}, src = {0};
    sb_puts(&path, r->json_path ? r->json_path : "");
    json_path_key(&path, r->kind == RUN_VALUE ? "value" : "ref");
    sb_puts(&src, r->kind == RUN_VALUE ? "{" : "{ref:");
    sb_puts(&src, r->text);
    sb_puts(&src, "}");
    ph_list l = {0};
    ph_error err = {0};
    ph_value val;
    char buf[256];
    verdict res = V_FINE;
    if (path.failed || src.failed) {
        res = V_STOP;
    } else if (!ph_parse(src.s, NULL, 0, &l, &err) || l.n != 1 || l.parts[0].kind == PH_LITERAL) {
        res = err.oom ? V_STOP
                      : v_fail_at(v, path.s, "%s", err.message[0] ? err.message
                                  : "expected one reference such as \"sectors.投资[工业]\"");
    } else if (r->kind == RUN_VALUE && l.parts[0].kind == PH_REF) {
        res = v_fail_at(v, path.s, "a value run names data (write {\"ref\": \"ID\"} for a chart's number)");
    } else if (!ph_eval(&l.parts[0], &rr->r, &val, &err)) {
        res = err.oom ? V_STOP : v_fail_at(v, path.s, "%s", err.message);
    } else {
        if (val.is_text)
            snprintf(buf, sizeof buf, "%s", val.text);
        else
            ph_format_plain(NULL, buf, sizeof buf, &val);
        res = v_replace(&r->text, buf);
        r->kind = RUN_TEXT;
    }
    ph_list_clear(&l);
    sb_free(&src);
    sb_free(&path);
    return res;
}

static verdict resolve_runs_of(vctx *v, run_refs *rr, rich_text *rt)
{
    for (size_t i = 0; rt && i < rt->nruns; i++) {
        rich_run *r = &rt->runs[i];
        if (r->kind == RUN_NOTE)
            PASS(resolve_runs_of(v, rr, r->note));
        if (r->kind != RUN_VALUE && r->kind != RUN_REF)
            continue;
        if (!rr->ready && !run_refs_init(v->doc, rr))
            return V_STOP;
        PASS(resolve_run(v, rr, r));
    }
    return V_FINE;
}

verdict v_resolve_runs(vctx *v)
{
    brief_doc *d = v->doc;
    run_refs rr = {0};
    verdict res = V_FINE;
    for (size_t i = 0; i < d->nblocks && res != V_STOP; i++) {
        block *b = &d->blocks[i];
        if (!b->rich)
            continue;
        res = resolve_runs_of(v, &rr, b->rich);
        char *plain = res != V_STOP ? runs_plain(b->rich) : NULL;
        if (res != V_STOP && !plain)
            res = V_STOP;
        if (plain) {
            free(b->text);
            b->text = plain;
        }
    }
    run_refs_clear(&rr);
    return res;
}
