/*
 * validate_runs.c — rich text: a text field given as an array of runs
 * (docs/format.md, "Rich text").
 *
 * Takes the value of a text field; gives the field's plain text (for
 * outlines, metadata and messages) and, for an array, its rich_text: runs
 * of text (bold, link), footnotes (runs of their own, never another note),
 * and value/ref runs, which validate_text.c turns into text once every
 * dataset and id is known, through the same resolver and formatting as a
 * {…} placeholder (so a run and a placeholder print alike).  Guarantees: every run is non-empty; a link is
 * http(s) or mailto and has no white space, quote or backslash; every error
 * names the run's path (body[3].text[2].link) and its place in the text.
 */
#define _POSIX_C_SOURCE 200809L
#include "validate/validate_internal.h"

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

/* What the runs being read may not hold: a note where no_note is set —
 * IN_NOTE (they are a note's own runs) or the name of the place, as in
 * "the running header" — and a link where no_link names the place. */
static const char IN_NOTE[] = "a note";
typedef struct run_rules {
    const char *no_note, *no_link;
} run_rules;

static verdict read_runs(vctx *v, const cJSON *arr, run_rules rules, rich_text **out);

static verdict read_run_link(vctx *v, const cJSON *j, rich_run *r, const char *no_link)
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
    } else if (s && no_link) {
        res = v_fail_key(v, "a link cannot stand in %s (it is page furniture, outside the "
                            "document's structure; expected text, bold, value or ref runs)", no_link);
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
static verdict run_content(vctx *v, const cJSON *j, rich_run *r, const char *content,
                           run_rules rules)
{
    const cJSON *c = v_get(j, content);
    size_t mark;
    PASS(v_enter_key(v, content, &mark));
    verdict res = V_FINE;
    if (strcmp(content, "note") == 0) {
        r->kind = RUN_NOTE;
        const char *no_note = rules.no_note;
        if (no_note == IN_NOTE) {
            res = v_fail(v, "a note inside a note (a footnote cannot have its own footnote; "
                            "write it into the note's text)");
        } else if (no_note) {
            res = v_fail(v, "a note cannot stand in %s (expected text, bold, %svalue or ref "
                            "runs)", no_note, rules.no_link ? "" : "link, ");
        } else if (cJSON_IsArray(c)) {
            res = read_runs(v, c, (run_rules){IN_NOTE, rules.no_link}, &r->note);
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
static verdict read_run(vctx *v, const cJSON *j, rich_run *r, run_rules rules)
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
    PASS(run_content(v, j, r, content, rules));
    PASS(read_run_bold(v, j, r));
    return read_run_link(v, j, r, rules.no_link);
}

static verdict read_runs(vctx *v, const cJSON *arr, run_rules rules, rich_text **out)
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
        verdict res = read_run(v, e, &rt->runs[i], rules);
        v_leave(v, mark);
        PASS(res);
    }
    return V_FINE;
}

/* The plain text of runs (notes left out); NULL when out of memory. */
char *v_runs_plain(const rich_text *rt)
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

/* A string (empty only when allow_empty) or runs, notes refused where
 * no_note names the place. */
static verdict read_text_value(vctx *v, const cJSON *t, bool allow_empty, run_rules rules,
                               char **text, rich_text **rich)
{
    if (cJSON_IsString(t)) {
        const char *s;
        verdict r = v_string_value(v, t, !allow_empty, &s);
        if (s)
            r = v_replace(text, s);
        return r;
    }
    if (!cJSON_IsArray(t))
        return v_wrong_type(v, "a string or an array of runs", t);
    rich_text_free(*rich);
    *rich = NULL;
    PASS(read_runs(v, t, rules, rich));
    if (!*rich)
        return V_WRONG;
    char *plain = v_runs_plain(*rich);
    NEED(plain);
    free(*text);
    *text = plain;
    return V_FINE;
}

verdict v_read_text_field(vctx *v, const cJSON *t, char **text, rich_text **rich)
{
    return read_text_value(v, t, false, (run_rules){NULL, NULL}, text, rich);
}

verdict v_read_text_member(vctx *v, const cJSON *obj, const char *key, const char *no_note,
                           char **text, rich_text **rich)
{
    const cJSON *t = v_get(obj, key);
    if (!t)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, key, &mark));
    verdict r = read_text_value(v, t, true, (run_rules){no_note, NULL}, text, rich);
    v_leave(v, mark);
    return r;
}

verdict v_read_text_item(vctx *v, const cJSON *t, const char *no_note, char **text,
                         rich_text **rich)
{
    return read_text_value(v, t, false, (run_rules){no_note, NULL}, text, rich);
}

verdict v_read_running_runs(vctx *v, const cJSON *obj, const char *key, const char *place,
                            char **text, rich_text **rich)
{
    size_t mark;
    PASS(v_enter_key(v, key, &mark));
    verdict r = read_text_value(v, v_get(obj, key), true, (run_rules){place, place}, text, rich);
    v_leave(v, mark);
    return r;
}
