/*
 * validate_blocks.c — the blocks of "body": title, byline, lead, heading,
 * paragraph, figure, chart (validate_chart.c), page_break, and the bulletin
 * blocks table, kpi, list and masthead (validate_bulletin.c).
 *
 * Takes the body array; gives one block per element with its type, text,
 * level, image path and, for every block, where it is in the input (so that
 * later stages can point at it without the text).  Guarantees: a block of
 * unknown type is reported and kept as an empty title-less block that
 * produces nothing; keys of other block types are explained ("only figure
 * blocks have it").
 */
#define _POSIX_C_SOURCE 200809L
#include "validate/validate_internal.h"

#include <stdlib.h>
#include <string.h>

const char *const BLOCK_TYPES[BLOCK_MASTHEAD + 1] = {
    "title", "byline", "lead", "heading", "paragraph", "figure", "chart", "page_break",
    "table", "kpi", "list", "masthead",
};
const char *const TEXT_KEYS[] = {"type", "text", NULL};
const char *const HEADING_KEYS[] = {"type", "level", "text", NULL};
const char *const FIGURE_KEYS[] = {"type", "image", "caption", "width", "place", "alt", NULL};
static const char *const PLACES[] = {"float", "here"};
const char *const BREAK_KEYS[] = {"type", NULL};

const char *const *v_block_keys(block_type t)
{
    switch (t) {
    case BLOCK_HEADING: return HEADING_KEYS;
    case BLOCK_FIGURE: return FIGURE_KEYS;
    case BLOCK_CHART: return CHART_KEYS;
    case BLOCK_PAGE_BREAK: return BREAK_KEYS;
    case BLOCK_TABLE: return TABLE_KEYS;
    case BLOCK_KPI: return KPI_KEYS;
    case BLOCK_LIST: return LIST_KEYS;
    case BLOCK_MASTHEAD: return MASTHEAD_KEYS;
    default: return TEXT_KEYS;
    }
}

/* A key some kind of chart has (but not every chart). */
static bool kind_key(const char *key)
{
    for (int k = 0; k < CHART_KINDS_COUNT; k++)
        if (v_listed(key, KIND_KEYS[k]))
            return true;
    return false;
}

void v_block_misplaced(const char *key, const void *ctx, strbuf *why)
{
    const block_context *bc = ctx;
    if (bc->type == BLOCK_CHART && bc->kind >= 0 && kind_key(key)) {
        const char *owners[CHART_KINDS_COUNT];
        size_t n = 0;
        for (int k = 0; k < CHART_KINDS_COUNT; k++)
            if (v_listed(key, KIND_KEYS[k]))
                owners[n++] = KIND_NAMES[k];
        json_quote(why, key, strlen(key));
        sb_puts(why, " is only for ");
        v_list_names(why, owners, n, false, " and ");
        sb_printf(why, " charts (this chart is a %s chart)", KIND_NAMES[bc->kind]);
        return;
    }
    const char *owners[COUNT(BLOCK_TYPES)];
    size_t n = 0;
    for (size_t t = 0; t < COUNT(BLOCK_TYPES); t++) {
        bool has = v_listed(key, v_block_keys((block_type)t)) ||
                   (t == BLOCK_CHART && kind_key(key));
        if (t != bc->type && has)
            owners[n++] = BLOCK_TYPES[t];
    }
    if (n == 0)
        return;
    sb_puts(why, "unknown key ");
    json_quote(why, key, strlen(key));
    sb_printf(why, " for a %s block (only ", BLOCK_TYPES[bc->type]);
    v_list_names(why, owners, n, false, " and ");
    sb_puts(why, " blocks have it)");
}

static verdict read_block_text(vctx *v, const cJSON *j, block *b)
{
    const cJSON *t = v_get(j, "text");
    if (!t)
        return v_require(v, j, "text", v_block_keys(b->type),
                       "missing required key \"text\" (a %s block needs text)", BLOCK_TYPES[b->type]);
    size_t mark;
    PASS(v_enter_key(v, "text", &mark));
    verdict r = v_read_text_field(v, t, &b->text, &b->rich);
    v_leave(v, mark);
    return r;
}

/* `s` with every `from` replaced by `to`, quoted for a message, into q. */
static verdict quoted_with(strbuf *q, const char *s, char from, char to)
{
    strbuf fixed = {0};
    sb_puts(&fixed, s);
    for (size_t i = 0; !fixed.failed && i < fixed.len; i++)
        if (fixed.s[i] == from)
            fixed.s[i] = to;
    if (!fixed.failed)
        json_quote(q, fixed.s, fixed.len);
    verdict r = fixed.failed || q->failed ? V_STOP : V_FINE;
    sb_free(&fixed);
    return r;
}

/* The image path as written is kept; whether it stays inside the allowed
 * directories, exists and is a PNG or JPEG is decided when rendering
 * (doc_resolve_image), because brief_doc_allow_path comes after loading.
 * Here only what is wrong whatever the directories: not a local path. */
static verdict image_path(vctx *v, const char *s, block *b)
{
    if (strlen(s) > MAX_PATH_BYTES)
        return v_fail(v, "image path is too long (at most %d bytes)", MAX_PATH_BYTES);
    if (strstr(s, "://") || strncmp(s, "data:", 5) == 0)
        return v_fail(v, "images must be local files, got a URL (expected a path relative to the brief)");
    if (strchr(s, '\\')) {
        strbuf q = {0};
        verdict r = quoted_with(&q, s, '\\', '/');
        if (r != V_STOP)
            r = v_fail(v, "image path uses backslashes (write %s)", q.s);
        sb_free(&q);
        return r;
    }
    NEED(b->image = v_dup(s));
    NEED(b->image_resolved = doc_path_under_base(v->doc, s));
    return V_FINE;
}

static verdict read_image(vctx *v, const cJSON *j, block *b)
{
    const cJSON *img = v_get(j, "image");
    if (!img)
        return V_FINE;
    b->image_at = json_position_of(v->pos, img, JSON_AT_VALUE);
    size_t mark;
    PASS(v_enter_key(v, "image", &mark));
    const char *s;
    verdict r = v_string_value(v, img, true, &s);
    if (s)
        r = image_path(v, s, b);
    v_leave(v, mark);
    return r;
}

/* A missing "type": "typ" is probably it; else list the types. */
static verdict missing_type(vctx *v, const cJSON *j)
{
    static const char *const TYPE_ONLY[] = {"type", NULL};
    if (v_misspelled(j, "type", TYPE_ONLY)) {
        for (const cJSON *c = j->child; c; c = c->next)   /* "typ": did you mean "type"? */
            if (suggest_name(c->string, TYPE_ONLY, 1)) {
                size_t mark;
                PASS(v_enter_key(v, c->string, &mark));
                verdict r = v_unknown_key(v, c->string, TYPE_ONLY, NULL, NULL);
                v_leave(v, mark);
                PASS(r);
            }
        return V_WRONG;
    }
    strbuf m = {0};
    v_list_names(&m, BLOCK_TYPES, COUNT(BLOCK_TYPES), false, ", ");
    verdict r = m.failed ? V_STOP : v_fail(v, "missing required key \"type\" (expected one of: %s)", m.s);
    sb_free(&m);
    return r;
}

static verdict block_contents(vctx *v, const cJSON *j, block *b, size_t index)
{
    if (b->type != BLOCK_CHART) {
        block_context bctx = {b->type, -1};
        PASS(v_check_keys(v, j, v_block_keys(b->type), v_block_misplaced, &bctx));
    }
    switch (b->type) {
    case BLOCK_HEADING:
        PASS(v_read_int(v, j, "level", 1, 3, &b->level));
        return read_block_text(v, j, b);
    case BLOCK_FIGURE:
        PASS(read_image(v, j, b));
        PASS(v_read_text_member(v, j, "caption", NULL, &b->caption, &b->caption_rich));
        return v_read_mm(v, j, "width", 10, 1000, &b->width_pt);
    case BLOCK_CHART:
        return validate_chart(v, j, b, index);
    case BLOCK_PAGE_BREAK:
        return V_FINE;
    case BLOCK_TABLE:
        return validate_table(v, j, b, index);
    case BLOCK_KPI:
        return validate_kpi(v, j, b);
    case BLOCK_LIST:
        return validate_list(v, j, b);
    case BLOCK_MASTHEAD:
        return validate_masthead(v, j, b);
    default:
        return read_block_text(v, j, b);
    }
}

static verdict validate_block(vctx *v, const cJSON *j, block *b, size_t index)
{
    b->at = json_position_of(v->pos, j, JSON_AT_VALUE);
    NEED(b->json_path = v_dup(v_here(v)));
    NEED(b->text = v_dup(""));
    NEED(b->caption = v_dup(""));
    b->level = 1;
    verdict r = v_expect_object(v, j, "a block (an object with \"type\")");
    if (r != V_FINE)
        return r;
    if (!v_get(j, "type"))
        return missing_type(v, j);
    int type;
    PASS(v_read_enum(v, j, "type", BLOCK_TYPES, COUNT(BLOCK_TYPES), "block type", -1, &type));
    if (type < 0)
        return V_WRONG;   /* its other keys cannot be judged */
    b->type = (block_type)type;
    PASS(block_contents(v, j, b, index));
    if (b->type == BLOCK_FIGURE || b->type == BLOCK_CHART) {
        int place;
        PASS(v_read_enum(v, j, "place", PLACES, COUNT(PLACES), "placement", 0, &place));
        b->place_here = place == 1;
        PASS(v_read_string(v, j, "alt", &b->alt));
    }
    return V_FINE;
}

static verdict collect_charts(vctx *v)
{
    brief_doc *d = v->doc;
    size_t n = 0;
    for (size_t i = 0; i < d->nblocks; i++)
        n += d->blocks[i].chart != NULL;
    NEED(d->charts = v_alloc(n, sizeof(chart_spec *)));
    for (size_t i = 0; i < d->nblocks; i++)
        if (d->blocks[i].chart) {
            /* Charts share the headings' family: a brief set in one family
             * embeds one family's faces. */
            chart_spec *c = d->blocks[i].chart;
            c->font = d->style.heading_font;
            d->charts[d->ncharts++] = c;
        }
    return V_FINE;
}

/* Charts are the costliest blocks to lay out: their number and bars
 * (categories × series) are bounded, so the worst brief inside the limits
 * renders in about a second (docs/format.md, "Limits").  The error names
 * the first chart past the limit. */
static verdict check_chart_costs(vctx *v)
{
    const brief_doc *d = v->doc;
    size_t charts = 0, bars = 0;
    for (size_t i = 0; i < d->nblocks; i++) {
        const chart_spec *c = d->blocks[i].chart;
        if (!c)
            continue;
        charts++;
        bars += (c->data ? c->data->nrows : 0) * (c->nvalues + c->nlines ? c->nvalues + c->nlines : 1);
        if (charts > MAX_CHARTS)
            return v_fail_at(v, d->blocks[i].json_path, "the brief has more than %d charts "
                             "(at most %d per brief; split it into several briefs)",
                             MAX_CHARTS, MAX_CHARTS);
        if (bars > MAX_BARS)
            return v_fail_at(v, d->blocks[i].json_path, "the brief's charts have more than %d bars "
                             "(categories × series, at most %d per brief; split it into several briefs)",
                             MAX_BARS, MAX_BARS);
    }
    return V_FINE;
}

verdict validate_body(vctx *v, const cJSON *body)
{
    int n = cJSON_IsArray(body) ? cJSON_GetArraySize(body) : -1;
    if (n < 0)
        return v_wrong_type(v, "an array of blocks", body);
    if (n == 0)
        return v_fail(v, "empty body (expected at least one block)");
    if (n > MAX_BLOCKS)
        return v_fail(v, "%d blocks (at most %d)", n, MAX_BLOCKS);
    brief_doc *d = v->doc;
    NEED(d->blocks = v_alloc((size_t)n, sizeof(block)));
    d->nblocks = (size_t)n;
    size_t i = 0;
    for (const cJSON *e = body->child; e; e = e->next, i++) {
        size_t mark;
        PASS(v_enter_index(v, i, &mark));
        verdict r = validate_block(v, e, &d->blocks[i], i);
        v_leave(v, mark);
        PASS(r);
    }
    v_number_tables(v);
    PASS(collect_charts(v));
    return check_chart_costs(v);
}
