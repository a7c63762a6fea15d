/*
 * validate.c — stage 2: a checked cJSON tree → the document model.
 *
 * Takes the tree json_read.c gave (strict JSON, no duplicate keys) and the
 * positions of its values.  Gives a filled brief_doc (model.h) with every
 * default applied, every length in points and every name turned into its
 * enum, colour or number, or diagnostics.  Guarantees what model.h
 * promises: later stages never re-check the input.
 *
 * Format v1 is strict: unknown keys, wrong types and out-of-range numbers are
 * errors, each reported with the JSON path and line:column of the offending
 * value, a suggestion for near misses, and what was expected.  Validation
 * goes on after an error so that one run reports all of them; errors are
 * reported in the order of the text (validate_report.c).
 *
 * Sections are checked in dependency order — brief, meta, page, style,
 * data, body — because charts refer to datasets.  This file holds the
 * root, meta, page and style; see validate_internal.h for the others.
 */
#define _POSIX_C_SOURCE 200809L
#include "validate/validate_internal.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* defaults                                                            */

static verdict set_defaults(brief_doc *d)
{
    d->format_version = BRIEF_FORMAT_VERSION;
    NEED(d->meta.title = v_dup(""));
    NEED(d->meta.author = v_dup(""));
    NEED(d->meta.subject = v_dup(""));
    NEED(d->meta.keywords = v_dup(""));
    NEED(d->meta.lang = v_dup("zh-CN"));
    d->page.width_pt = MM_TO_PT(210);
    d->page.height_pt = MM_TO_PT(297);
    static const double margin_mm[4] = {25, 20, 25, 20};
    for (int i = 0; i < 4; i++)
        d->page.margin_pt[i] = MM_TO_PT(margin_mm[i]);
    NEED(d->page.header = v_dup(""));
    NEED(d->page.footer = v_dup("第 {page} 页 共 {pages} 页"));
    d->style.body_font = FACE_SERIF;
    d->style.heading_font = FACE_SANS;
    d->style.font_size_pt = 10.5;
    d->style.line_height = 1.7;
    d->style.cjk_latin_space_em = 0.25;
    d->style.normalize_punctuation = true;
    d->style.grid = true;
    return V_FINE;
}

/* ------------------------------------------------------------------ */
/* meta                                                                */

const char *const META_KEYS[] = {"title", "author", "subject", "keywords", "lang", NULL};

/* [A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*: the shape of the BCP 47 tags a PDF
 * /Lang needs, without the registry. */
static bool valid_lang(const char *s)
{
    size_t n = 0;
    while (v_is_alpha(s[n]))
        n++;
    if (n < 2 || n > 3)
        return false;
    s += n;
    while (*s == '-') {
        s++;
        for (n = 0; v_is_alnum(s[n]); n++) {}
        if (n < 2 || n > 8)
            return false;
        s += n;
    }
    return *s == '\0';
}

static verdict invalid_lang(vctx *v, const char *s)
{
    strbuf m = {0}, fixed = {0};
    sb_puts(&m, "invalid language tag ");
    json_quote(&m, s, strlen(s));
    sb_puts(&fixed, s);
    for (size_t i = 0; !fixed.failed && i < fixed.len; i++)
        if (fixed.s[i] == '_')
            fixed.s[i] = '-';
    if (!fixed.failed && strcmp(fixed.s, s) != 0 && valid_lang(fixed.s)) {
        sb_puts(&m, " (did you mean ");
        json_quote(&m, fixed.s, fixed.len);
        sb_puts(&m, "?)");
    } else {
        sb_puts(&m, " (expected a tag such as \"zh-CN\" or \"en\")");
    }
    verdict r = fixed.failed ? V_STOP : V_WRONG;
    sb_free(&fixed);
    if (r == V_STOP) {
        sb_free(&m);
        return V_STOP;
    }
    return v_fail_built(v, &m);
}

static verdict read_lang(vctx *v, const cJSON *meta)
{
    const cJSON *j = v_get(meta, "lang");
    if (!j)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, "lang", &mark));
    const char *s;
    verdict r = v_string_value(v, j, false, &s);
    if (s && valid_lang(s))
        r = v_replace(&v->doc->meta.lang, s);
    else if (s)
        r = invalid_lang(v, s);
    v_leave(v, mark);
    return r;
}

static verdict join_keywords(vctx *v, const cJSON *j, strbuf *joined)
{
    size_t i = 0;
    for (const cJSON *e = j->child; e; e = e->next, i++) {
        size_t m;
        PASS(v_enter_index(v, i, &m));
        const char *s;
        verdict r = v_string_value(v, e, false, &s);
        if (s && *s) {
            if (joined->len)
                sb_puts(joined, ", ");
            sb_puts(joined, s);
        }
        v_leave(v, m);
        PASS(r);
    }
    return joined->failed ? V_STOP : V_FINE;
}

static verdict read_keywords(vctx *v, const cJSON *meta)
{
    const cJSON *j = v_get(meta, "keywords");
    if (!j)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, "keywords", &mark));
    verdict r;
    if (!cJSON_IsArray(j)) {
        r = v_wrong_type(v, "an array of strings", j);
    } else {
        strbuf joined = {0};
        r = join_keywords(v, j, &joined);
        if (r != V_STOP)
            r = v_replace(&v->doc->meta.keywords, joined.s ? joined.s : "");
        sb_free(&joined);
    }
    v_leave(v, mark);
    return r;
}

static verdict validate_meta(vctx *v, const cJSON *meta)
{
    verdict r = v_expect_object(v, meta, NULL);
    if (r != V_FINE)
        return r;
    PASS(v_check_keys(v, meta, META_KEYS, NULL, NULL));
    doc_meta *m = &v->doc->meta;
    PASS(v_read_string(v, meta, "title", &m->title));
    PASS(v_read_string(v, meta, "author", &m->author));
    PASS(v_read_string(v, meta, "subject", &m->subject));
    PASS(read_keywords(v, meta));
    PASS(read_lang(v, meta));
    /* meta gives the title itself, else it comes from the body */
    v->title_given = v_get(meta, "title") != NULL;
    return V_FINE;
}

/* ------------------------------------------------------------------ */
/* page                                                                */

const char *const PAGE_KEYS[] = {"size", "orientation", "margin", "header", "footer", NULL};
static const char *const ORIENTATIONS_PAGE[] = {"portrait", "landscape"};

typedef struct paper {
    const char *name;
    double w, h;     /* mm, portrait */
} paper;

static const paper PAPERS[] = {
    {"A3", 297, 420}, {"A4", 210, 297}, {"A5", 148, 210}, {"B5", 176, 250},
    {"Letter", 215.9, 279.4}, {"Legal", 215.9, 355.6},
};

typedef struct page_size {
    double w, h;          /* mm */
    const char *name;     /* NULL for [w, h] */
    bool ok;
} page_size;

static verdict read_named_size(vctx *v, const cJSON *j, page_size *ps)
{
    const char *names[COUNT(PAPERS)];
    for (size_t i = 0; i < COUNT(PAPERS); i++)
        names[i] = PAPERS[i].name;
    int i;
    PASS(v_enum_value(v, j, names, COUNT(PAPERS), "page size", true, "[width, height] in mm", &i));
    if (i >= 0) {
        ps->w = PAPERS[i].w;
        ps->h = PAPERS[i].h;
        ps->name = PAPERS[i].name;
    }
    ps->ok = i >= 0;
    return V_FINE;
}

static verdict read_size_pair(vctx *v, const cJSON *j, page_size *ps)
{
    double mm[2] = {0, 0};
    size_t i = 0;
    for (const cJSON *e = j->child; e; e = e->next, i++) {
        size_t m;
        PASS(v_enter_index(v, i, &m));
        verdict r = v_number_in(v, e, 50, 2000, " mm", &mm[i]);
        v_leave(v, m);
        PASS(r);
        ps->ok &= r == V_FINE;
    }
    ps->w = mm[0];
    ps->h = mm[1];
    ps->name = NULL;
    return V_FINE;
}

static verdict read_size(vctx *v, const cJSON *page, page_size *ps)
{
    const cJSON *j = v_get(page, "size");
    if (!j)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, "size", &mark));
    verdict r;
    if (cJSON_IsString(j)) {
        r = read_named_size(v, j, ps);
    } else if (cJSON_IsArray(j) && cJSON_GetArraySize(j) == 2) {
        r = read_size_pair(v, j, ps);
    } else if (cJSON_IsArray(j)) {
        r = v_fail(v, "expected [width, height] in mm, got an array of %d values", cJSON_GetArraySize(j));
        ps->ok = false;
    } else {
        r = v_wrong_type(v, "a page size such as \"A4\" or [width, height] in mm", j);
        ps->ok = false;
    }
    v_leave(v, mark);
    return r;
}

static verdict margin_list(vctx *v, const cJSON *j, double x[4], bool *ok)
{
    size_t i = 0;
    for (const cJSON *e = j->child; e; e = e->next, i++) {
        size_t m;
        PASS(v_enter_index(v, i, &m));
        verdict r = v_number_in(v, e, 0, 200, " mm", &x[i]);
        v_leave(v, m);
        PASS(r);
        *ok &= r == V_FINE;
    }
    if (i == 2) {
        x[2] = x[0];
        x[3] = x[1];
    }
    return V_FINE;
}

/* margin: one number (all sides), [vertical, horizontal] or
 * [top, right, bottom, left], in mm.  *ok: false when it was wrong. */
static verdict read_margin(vctx *v, const cJSON *page, double mm[4], bool *ok)
{
    const cJSON *j = v_get(page, "margin");
    *ok = true;
    if (!j)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, "margin", &mark));
    verdict r = V_FINE;
    double x[4];
    if (cJSON_IsNumber(j)) {
        r = v_number_in(v, j, 0, 200, " mm", &x[0]);
        *ok = r == V_FINE;
        x[1] = x[2] = x[3] = x[0];
    } else if (cJSON_IsArray(j) && (cJSON_GetArraySize(j) == 4 || cJSON_GetArraySize(j) == 2)) {
        r = margin_list(v, j, x, ok);
    } else if (cJSON_IsArray(j)) {
        r = v_fail(v, "expected 1, 2 or 4 margins, got %d ([top, right, bottom, left] or "
                 "[vertical, horizontal] in mm)", cJSON_GetArraySize(j));
        *ok = false;
    } else {
        r = v_wrong_type(v, "a margin in mm or an array of 2 or 4 margins", j);
        *ok = false;
    }
    if (*ok)
        memcpy(mm, x, sizeof x);
    v_leave(v, mark);
    return r;
}

/* The text as given: its placeholders are checked with every other text
 * field's, once the data is known (validate_text.c). */
static verdict read_template(vctx *v, const cJSON *page, const char *key, char **out,
                             rich_text **rich)
{
    const cJSON *j = v_get(page, key);
    if (!j)
        return V_FINE;
    /* Runs: each run's text is a template.  A note would repeat on every
     * page; a link would stand outside the tagged structure. */
    if (cJSON_IsArray(j))
        return v_read_running_runs(v, page, key, strcmp(key, "header") == 0
                                   ? "the running header" : "the running footer", out, rich);
    size_t mark;
    PASS(v_enter_key(v, key, &mark));
    const char *s;
    verdict r = v_string_value(v, j, false, &s);
    if (s)
        r = v_replace(out, s);
    v_leave(v, mark);
    return r;
}

static verdict check_text_area(vctx *v, const cJSON *page, const page_size *ps, const double mm[4])
{
    double tw = ps->w - mm[1] - mm[3], th = ps->h - mm[0] - mm[2];
    if (tw >= MIN_TEXT_AREA_MM && th >= MIN_TEXT_AREA_MM)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, v_get(page, "margin") ? "margin" : "size", &mark));
    strbuf m = {0};
    sb_printf(&m, "margins leave only %g × %g mm for text on ", tw > 0 ? tw : 0, th > 0 ? th : 0);
    if (ps->name)
        sb_printf(&m, "the %s page (%g × %g mm)", ps->name, ps->w, ps->h);
    else
        sb_printf(&m, "the %g × %g mm page", ps->w, ps->h);
    sb_printf(&m, " (expected at least %g × %g mm)", MIN_TEXT_AREA_MM, MIN_TEXT_AREA_MM);
    verdict r = v_fail_built(v, &m);
    v_leave(v, mark);
    return r;
}

/* Named sizes are portrait unless told otherwise; [w, h] is taken as
 * written unless an orientation is given. */
static void orient(page_size *ps, int orientation)
{
    bool portrait = orientation == 0 || (orientation == -2 && ps->name);
    bool landscape = orientation == 1;
    if ((portrait && ps->w > ps->h) || (landscape && ps->w < ps->h)) {
        double t = ps->w;
        ps->w = ps->h;
        ps->h = t;
    }
}

static verdict validate_page(vctx *v, const cJSON *page)
{
    verdict r = v_expect_object(v, page, NULL);
    if (r != V_FINE)
        return r;
    PASS(v_check_keys(v, page, PAGE_KEYS, NULL, NULL));
    doc_page *pg = &v->doc->page;
    page_size ps = {210, 297, "A4", true};
    double mm[4] = {25, 20, 25, 20};
    PASS(read_size(v, page, &ps));
    int orientation;
    PASS(v_read_enum(v, page, "orientation", ORIENTATIONS_PAGE, 2, "orientation", -2, &orientation));
    orient(&ps, orientation);
    bool margin_ok;
    PASS(read_margin(v, page, mm, &margin_ok));
    PASS(read_template(v, page, "header", &pg->header, &pg->header_rich));
    PASS(read_template(v, page, "footer", &pg->footer, &pg->footer_rich));
    if (ps.ok && margin_ok && orientation != -1)
        PASS(check_text_area(v, page, &ps, mm));
    pg->width_pt = MM_TO_PT(ps.w);
    pg->height_pt = MM_TO_PT(ps.h);
    for (int i = 0; i < 4; i++)
        pg->margin_pt[i] = MM_TO_PT(mm[i]);
    return V_FINE;
}

/* ------------------------------------------------------------------ */
/* style                                                               */

const char *const STYLE_KEYS[] = {
    "body_font", "heading_font", "font_size", "line_height", "cjk_latin_space",
    "normalize_punctuation", "grid", "numbering", NULL,
};
static const char *const FONTS[] = {"serif", "sans"};   /* in font_face order */

static verdict read_font(vctx *v, const cJSON *style, const char *key, font_face *out)
{
    int i;
    PASS(v_read_enum(v, style, key, FONTS, COUNT(FONTS), "font", -2, &i));
    if (i >= 0)
        *out = i == 1 ? FACE_SANS : FACE_SERIF;
    return V_FINE;
}

static verdict validate_style(vctx *v, const cJSON *style)
{
    verdict r = v_expect_object(v, style, NULL);
    if (r != V_FINE)
        return r;
    PASS(v_check_keys(v, style, STYLE_KEYS, NULL, NULL));
    doc_style *st = &v->doc->style;
    PASS(read_font(v, style, "body_font", &st->body_font));
    PASS(read_font(v, style, "heading_font", &st->heading_font));
    PASS(v_read_number(v, style, "font_size", 6, 24, " pt", &st->font_size_pt));
    PASS(v_read_number(v, style, "line_height", 1.0, 3.0, "", &st->line_height));
    PASS(v_read_number(v, style, "cjk_latin_space", 0, 0.5, " em", &st->cjk_latin_space_em));
    PASS(v_read_bool(v, style, "normalize_punctuation", &st->normalize_punctuation));
    PASS(v_read_bool(v, style, "grid", &st->grid));
    PASS(v_read_bool(v, style, "numbering", &st->numbering));
    return V_FINE;
}

/* ------------------------------------------------------------------ */
/* the document                                                        */

const char *const ROOT_KEYS[] = {"brief", "meta", "page", "style", "data", "vars", "body", NULL};

/* "footer" at the top level: it belongs in "page". */
static void root_misplaced(const char *key, const void *ctx, strbuf *why)
{
    (void)ctx;
    static const struct {
        const char *section;
        const char *const *keys;
    } SECTIONS[] = {{"meta", META_KEYS}, {"page", PAGE_KEYS}, {"style", STYLE_KEYS}};
    for (size_t i = 0; i < COUNT(SECTIONS); i++)
        if (v_listed(key, SECTIONS[i].keys)) {
            sb_puts(why, "unknown key ");
            json_quote(why, key, strlen(key));
            sb_printf(why, " at the top level (it belongs in \"%s\")", SECTIONS[i].section);
            return;
        }
}

/* V_WRONG when the version is one this code cannot read: checking the rest
 * against v1 rules would only produce noise. */
static verdict check_version(vctx *v, const cJSON *root)
{
    const cJSON *j = v_get(root, "brief");
    if (!j) {
        PASS(v_require(v, root, "brief", ROOT_KEYS,
                     "missing required key \"brief\" (expected \"brief\": 1, the format version)"));
        return V_FINE;
    }
    size_t mark;
    PASS(v_enter_key(v, "brief", &mark));
    verdict r = V_FINE;
    if (!cJSON_IsNumber(j)) {
        r = v_wrong_type(v, "a number", j) == V_STOP ? V_STOP : V_FINE;
    } else if (j->valuedouble != BRIEF_FORMAT_VERSION) {
        char a[40];
        v_fmt_number(a, sizeof a, j->valuedouble);
        r = v_fail(v, "unsupported format version %s (this brief reads version %d)", a,
                 BRIEF_FORMAT_VERSION);
    }
    v_leave(v, mark);
    return r;
}

/* Runs check(v, member) with the path at root.key, if the member exists. */
static verdict section(vctx *v, const cJSON *root, const char *key,
                       verdict (*check)(vctx *, const cJSON *))
{
    const cJSON *j = v_get(root, key);
    if (!j)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, key, &mark));
    verdict r = check(v, j);
    v_leave(v, mark);
    return r;
}

static verdict default_title(vctx *v)
{
    brief_doc *d = v->doc;
    for (size_t i = 0; i < d->nblocks; i++)
        if (d->blocks[i].type == BLOCK_TITLE && d->blocks[i].text)
            return v_replace(&d->meta.title, d->blocks[i].text);
    return V_FINE;
}

static verdict validate_root(vctx *v, const cJSON *root)
{
    if (!cJSON_IsObject(root))
        return v_wrong_type(v, "a JSON object at the top level", root);
    verdict r = check_version(v, root);
    if (r != V_FINE)
        return r;
    PASS(v_check_keys(v, root, ROOT_KEYS, root_misplaced, NULL));
    PASS(section(v, root, "meta", validate_meta));
    PASS(section(v, root, "page", validate_page));
    PASS(section(v, root, "style", validate_style));
    PASS(section(v, root, "data", validate_data));
    PASS(v_replace_datasets(v));
    PASS(section(v, root, "vars", validate_vars));
    PASS(v_command_line_vars(v));
    if (!v_get(root, "body"))
        PASS(v_require(v, root, "body", ROOT_KEYS,
                     "missing required key \"body\" (expected an array of blocks)"));
    PASS(section(v, root, "body", validate_body));
    PASS(v_bind_text(v));
    if (!v->title_given)
        PASS(default_title(v));
    return v_bind_running(v);
}

bool validate_document(brief_doc *doc, const cJSON *root, const json_positions *pos,
                       const char *text, size_t len, brief_diag *diag)
{
    vctx *v = calloc(1, sizeof *v);
    if (!v) {
        diag_oom(diag, doc->file, "checking the brief");
        return false;
    }
    v->doc = doc;
    v->diag = diag;
    v->root = root;
    v->pos = pos;
    v->text = text;
    v->text_len = len;
    verdict r = set_defaults(doc);
    if (r != V_STOP)
        r = validate_root(v, root);
    /* The running texts are set (and can fail) at layout time. */
    json_locate(pos, root, "page.header", JSON_AT_VALUE, &doc->page.header_at);
    json_locate(pos, root, "page.footer", JSON_AT_VALUE, &doc->page.footer_at);
    v_flush_errors(v);
    for (size_t i = 0; v->states && i < doc->ndatasets; i++)
        free(v->states[i].checked);
    free(v->states);
    free(v->line_starts);
    v_bind_done(v);
    v_names_free(&v->datasets_by_name);
    v_names_free(&v->charts_by_id);
    sb_free(&v->path);
    if (r == V_STOP)
        diag_oom(diag, doc->file, "checking the brief");
    bool ok = v->errors == 0 && v->other_errors == 0 && r != V_STOP;
    free(v);
    return ok;
}
