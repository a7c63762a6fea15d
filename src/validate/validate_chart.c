/*
 * validate_chart.c — a chart block: its id, kind, options, colours and
 * reference lines (its data: validate_chart_data.c).
 *
 * Takes {"type": "chart", ...}; gives a chart_spec with every option as an
 * enum, number or colour.  Guarantees: ids are unique and well formed;
 * colours are "#rgb" or "#rrggbb" and stored as RGB only; the theme is a
 * chart_theme (no later stage reads the strings again); keys of another kind of chart are explained; the options of
 * line charts, lines over bars and pies (issue #14) are read with the
 * rules between them (lines need vertical unstacked bars, a total needs a
 * donut).  The title, subtitle, note and reference labels may be runs
 * (bold, link, value, ref), never a footnote: a chart has no foot of page.
 */
#define _POSIX_C_SOURCE 200809L
#include "validate/validate_internal.h"

#include <stdlib.h>
#include <string.h>

const char *const CHART_KEYS[] = {
    "type", "id", "kind", "data", "category", "sort", "unit",
    "title", "subtitle", "note", "width", "height", "theme",
    "number_format", "decimals", "place", "rounding", "minus", "alt", NULL,
};
/* The keys of each kind (a key may belong to several), in chart_kind order. */
const char *const BAR_KEYS[] = {"values", "stacked", "orientation", "reference", "legend",
                                "colors", "lines", "line_unit", "highlight",
                                "negative_color", NULL};
const char *const COMPLETION_KEYS[] = {"plan", "actual", "threshold", "orientation",
                                       "reference", "legend", "colors", NULL};
const char *const LINE_KEYS[] = {"values", "labels", "reference", "legend", "colors", NULL};
const char *const PIE_KEYS[] = {"values", "donut", "total", "other_below", NULL};
const char *const *const KIND_KEYS[CHART_KINDS_COUNT] = {BAR_KEYS, COMPLETION_KEYS, LINE_KEYS,
                                                         PIE_KEYS};
const char *const KIND_NAMES[CHART_KINDS_COUNT] = {"bar", "completion", "line", "pie"};
const char *const REFERENCE_KEYS[] = {"value", "label", NULL};

static const char *const LABEL_MODES[] = {"auto", "all", "last", "none"};   /* chart_labels order */
static const char *const ORIENTATIONS[] = {"vertical", "horizontal"};
static const char *const SORTS[] = {"none", "ascending", "descending"};
static const char *const LEGENDS[] = {"auto", "top", "bottom", "right", "none"};
static const char *const THEMES[] = {"default", "official"};   /* in chart_theme order */
static const char *const ROUNDINGS[] = {"half-away", "half-even"};   /* chart_spec.rounding */
static const char *const MINUSES[] = {"sign", "hyphen"};
static const char *const NUMBER_FORMATS[] = {"plain", "thousands", "chinese"};

/* ------------------------------------------------------------------ */
/* id                                                                  */

static bool valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64)
        return false;
    for (; *s; s++)
        if (!v_is_alnum(*s) && *s != '-' && *s != '_')
            return false;
    return true;
}

/* The block before this one that has chart id s, or NULL. */
static const block *earlier_chart(const vctx *v, const char *s)
{
    size_t k;
    return v_names_find(&v->charts_by_id, s, &k) ? &v->doc->blocks[k] : NULL;
}

static verdict check_id(vctx *v, chart_ctx *cc, const char *s)
{
    strbuf q = {0};
    json_quote(&q, s, strlen(s));
    if (q.failed) {
        sb_free(&q);
        return V_STOP;
    }
    const block *o = NULL;
    verdict r;
    if (!valid_id(s))
        r = v_fail(v, "invalid chart id %s (expected 1 to 64 letters, digits, '-' or '_')", q.s);
    else if ((o = earlier_chart(v, s)) != NULL)
        r = v_fail(v, "duplicate chart id %s (first used at %s)", q.s, o->json_path);
    else if ((r = v_replace(&cc->c->id, s)) == V_FINE)
        r = v_names_add(&v->charts_by_id, cc->c->id, cc->index);
    sb_free(&q);
    return r;
}

static verdict read_chart_id(vctx *v, chart_ctx *cc)
{
    const cJSON *id = v_get(cc->j, "id");
    if (!id)
        return v_require(v, cc->j, "id", cc->allowed,
                       "missing required key \"id\" (expected a unique name such as \"sectors\")");
    size_t mark;
    PASS(v_enter_key(v, "id", &mark));
    const char *s;
    verdict r = v_string_value(v, id, true, &s);
    if (s)
        r = check_id(v, cc, s);
    v_leave(v, mark);
    return r;
}

/* ------------------------------------------------------------------ */
/* colours                                                             */

static int hex_digit(char h)
{
    return h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h - 'A' + 10;
}

/* "#rgb" or "#rrggbb" (any case) → RGB and canonical "#rrggbb". */
static bool parse_color(const char *s, brief_rgb *rgb, char hex[8])
{
    size_t n = strlen(s);
    if (s[0] != '#' || (n != 4 && n != 7))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!strchr("0123456789abcdefABCDEF", s[i]))
            return false;
    hex[0] = '#';
    for (size_t i = 0; i < 6; i++) {
        char h = n == 7 ? s[1 + i] : s[1 + i / 2];
        hex[1 + i] = (char)(h >= 'A' && h <= 'F' ? h + 32 : h);
    }
    hex[7] = '\0';
    double ch[3];
    for (int i = 0; i < 3; i++)
        ch[i] = (hex_digit(hex[1 + 2 * i]) * 16 + hex_digit(hex[2 + 2 * i])) / 255.0;
    *rgb = (brief_rgb){ch[0], ch[1], ch[2]};
    return true;
}

/* With the path at colors[i]. */
static verdict read_color(vctx *v, const cJSON *e, chart_spec *c, size_t i)
{
    char hex[8];
    brief_rgb rgb;
    if (!cJSON_IsString(e))
        return v_wrong_type(v, "a color such as \"#c00000\"", e);
    if (!parse_color(e->valuestring, &rgb, hex)) {
        strbuf q = {0};
        json_quote(&q, e->valuestring, strlen(e->valuestring));
        verdict r = q.failed ? V_STOP
                  : v_fail(v, "invalid color %s (expected \"#rrggbb\" or \"#rgb\")", q.s);
        sb_free(&q);
        return r;
    }
    if (c->colors)
        c->colors[i] = (chart_color){true, rgb};
    return V_FINE;
}

static verdict color_list(vctx *v, chart_ctx *cc, const cJSON *j)
{
    chart_spec *c = cc->c;
    if (cc->columns_ok) {   /* else only checked: the series are unknown */
        NEED(c->colors = v_alloc(c->nvalues + c->nlines, sizeof *c->colors));
    }
    size_t i = 0;
    for (const cJSON *e = j->child; e; e = e->next, i++) {
        size_t m;
        PASS(v_enter_index(v, i, &m));
        verdict r = read_color(v, e, c, i);
        v_leave(v, m);
        PASS(r);
    }
    return V_FINE;
}

static verdict read_colors(vctx *v, chart_ctx *cc)
{
    chart_spec *c = cc->c;
    const cJSON *j = v_get(cc->j, "colors");
    if (!j)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, "colors", &mark));
    verdict r;
    int n = cJSON_IsArray(j) ? cJSON_GetArraySize(j) : -1;
    if (n < 0)
        r = v_wrong_type(v, "an array of colors such as \"#c00000\"", j);
    else if (n > MAX_SERIES)
        r = v_fail(v, "%d colors (at most %d)", n, MAX_SERIES);
    else if (cc->columns_ok && (size_t)n > c->nvalues + c->nlines)
        r = v_fail(v, "%d colors for %zu series (expected at most one per series)", n,
                   c->nvalues + c->nlines);
    else
        r = color_list(v, cc, j);
    v_leave(v, mark);
    return r;
}

/* "negative_color": one colour for the bars below zero. */
static verdict read_negative_color(vctx *v, chart_ctx *cc)
{
    const cJSON *j = v_get(cc->j, "negative_color");
    if (!j)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, "negative_color", &mark));
    char hex[8];
    brief_rgb rgb;
    verdict r = V_FINE;
    if (!cJSON_IsString(j)) {
        r = v_wrong_type(v, "a color such as \"#c00000\"", j);
    } else if (!parse_color(j->valuestring, &rgb, hex)) {
        strbuf q = {0};
        json_quote(&q, j->valuestring, strlen(j->valuestring));
        r = q.failed ? V_STOP
                     : v_fail(v, "invalid color %s (expected \"#rrggbb\" or \"#rgb\")", q.s);
        sb_free(&q);
    } else {
        cc->c->negative = (chart_color){true, rgb};
    }
    v_leave(v, mark);
    return r;
}

/* "highlight": category labels (strings) drawn in the theme's accent
 * colour; whether each names a category is checked with the data
 * (v_check_highlight). */
static verdict read_highlight(vctx *v, chart_ctx *cc)
{
    const cJSON *j = v_get(cc->j, "highlight");
    if (!j)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, "highlight", &mark));
    verdict r = V_FINE;
    int n = cJSON_IsArray(j) ? cJSON_GetArraySize(j) : -1;
    if (n < 0) {
        r = v_wrong_type(v, "an array of category labels such as [\"汽车类\"]", j);
    } else if (n > 0) {
        chart_spec *c = cc->c;
        NEED(c->highlight = v_alloc((size_t)n, sizeof *c->highlight));
        size_t i = 0;
        for (const cJSON *e = j->child; e && r == V_FINE; e = e->next, i++) {
            size_t m;
            PASS(v_enter_index(v, i, &m));
            if (!cJSON_IsString(e))
                r = v_wrong_type(v, "a category label (text)", e);
            else if (!(c->highlight[c->nhighlight] = v_dup(e->valuestring)))
                r = V_STOP;
            else
                c->nhighlight++;
            v_leave(v, m);
        }
    }
    v_leave(v, mark);
    return r;
}

/* ------------------------------------------------------------------ */
/* texts the chart draws itself                                        */

/* A chart sets its texts inside its own box, which has no foot of page to
 * carry a footnote: a note run is refused where it stands. */
static verdict refuse_notes(vctx *v, const rich_text *rt)
{
    verdict res = V_FINE;
    for (size_t i = 0; rt && i < rt->nruns && res != V_STOP; i++) {
        const rich_run *r = &rt->runs[i];
        if (r->kind != RUN_NOTE)
            continue;
        strbuf p = {0};
        sb_puts(&p, r->json_path ? r->json_path : "");
        json_path_key(&p, "note");
        verdict f = p.failed ? V_STOP
                  : v_fail_at(v, p.s, "a note in a chart's text is not supported (a chart "
                                      "draws its texts in its own box, which has no foot of page; "
                                      "write it into the chart's \"note\", or put the note in the "
                                      "text that cites the chart)");
        sb_free(&p);
        res = f == V_STOP ? V_STOP : V_WRONG;
    }
    return res;
}

/* A text the chart draws (title, subtitle, note, a reference line's
 * label): a string, which may be empty, or an array of runs without notes
 * (docs/format.md, "Rich text"); *text gets the plain text, *rich the runs. */
static verdict read_chart_text(vctx *v, const cJSON *obj, const char *key, char **text,
                               rich_text **rich)
{
    const cJSON *j = v_get(obj, key);
    if (!j || cJSON_IsString(j))
        return v_read_string(v, obj, key, text);
    size_t mark;
    PASS(v_enter_key(v, key, &mark));
    verdict r = v_read_text_field(v, j, text, rich);
    if (r == V_FINE)
        r = refuse_notes(v, *rich);
    if (r == V_WRONG) {           /* drawn as plain text, or not at all */
        rich_text_free(*rich);
        *rich = NULL;
    }
    v_leave(v, mark);
    return r;
}

/* ------------------------------------------------------------------ */
/* options                                                             */

/* With the path at reference[i]. */
static verdict read_reference(vctx *v, const cJSON *e, chart_reference *ref)
{
    NEED(ref->label = v_dup(""));
    verdict r = v_expect_object(v, e, "a reference line ({\"value\": number, \"label\": text})");
    if (r != V_FINE)
        return r;
    PASS(v_check_keys(v, e, REFERENCE_KEYS, NULL, NULL));
    if (!v_get(e, "value"))
        PASS(v_require(v, e, "value", REFERENCE_KEYS,
                     "missing required key \"value\" (the line's value in data units)"));
    PASS(v_read_number(v, e, "value", -MAX_VALUE, MAX_VALUE, "", &ref->value));
    return read_chart_text(v, e, "label", &ref->label, &ref->label_rich);
}

static verdict reference_list(vctx *v, chart_spec *c, const cJSON *j, int n)
{
    NEED(c->refs = v_alloc((size_t)n, sizeof(chart_reference)));
    c->nrefs = (size_t)n;
    size_t i = 0;
    for (const cJSON *e = j->child; e; e = e->next, i++) {
        size_t m;
        PASS(v_enter_index(v, i, &m));
        verdict r = read_reference(v, e, &c->refs[i]);
        v_leave(v, m);
        PASS(r);
    }
    return V_FINE;
}

static verdict read_references(vctx *v, chart_ctx *cc)
{
    const cJSON *j = v_get(cc->j, "reference");
    if (!j)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, "reference", &mark));
    verdict r;
    int n = cJSON_IsArray(j) ? cJSON_GetArraySize(j) : -1;
    if (n < 0)
        r = v_wrong_type(v, "an array of reference lines ({\"value\": number, \"label\": text})", j);
    else if (n > MAX_REFERENCES)
        r = v_fail(v, "%d reference lines (at most %d)", n, MAX_REFERENCES);
    else
        r = reference_list(v, cc->c, j, n);
    v_leave(v, mark);
    return r;
}

static verdict stacking(vctx *v, chart_ctx *cc, const cJSON *j)
{
    static const char *const WORDS[] = {"percent"};
    if (cJSON_IsBool(j)) {
        cc->c->stacked = cJSON_IsTrue(j) ? STACK_NORMAL : STACK_NONE;
    } else if (cJSON_IsString(j) && strcmp(j->valuestring, "percent") == 0) {
        cc->c->stacked = STACK_PERCENT;
    } else if (cJSON_IsString(j) && suggest_name(j->valuestring, WORDS, 1)) {
        strbuf q = {0};
        json_quote(&q, j->valuestring, strlen(j->valuestring));
        verdict r = q.failed ? V_STOP : v_fail(v, "unknown stacking %s (did you mean \"percent\"?)", q.s);
        sb_free(&q);
        return r;
    } else {
        return v_wrong_type(v, "true, false or \"percent\"", j);
    }
    return V_FINE;
}

static verdict read_stacked(vctx *v, chart_ctx *cc)
{
    const cJSON *j = v_get(cc->j, "stacked");
    if (!j)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, "stacked", &mark));
    verdict r = stacking(v, cc, j);
    v_leave(v, mark);
    return r;
}

/* The options whose names map to enums. */
static verdict read_chart_enums(vctx *v, chart_ctx *cc)
{
    chart_spec *c = cc->c;
    const cJSON *j = cc->j;
    int i;
    /* keys of another kind were reported by the key check: not read again */
    if (v_listed("orientation", cc->allowed)) {
        PASS(v_read_enum(v, j, "orientation", ORIENTATIONS, COUNT(ORIENTATIONS), "orientation",
                       c->kind == CHART_COMPLETION ? ORIENT_HORIZONTAL : ORIENT_VERTICAL, &i));
        if (i >= 0)
            c->orientation = (chart_orientation)i;
    }
    PASS(v_read_enum(v, j, "sort", SORTS, COUNT(SORTS), "sort order", SORT_NONE, &i));
    if (i >= 0)
        c->sort = (chart_sort)i;
    if (v_listed("legend", cc->allowed)) {
        PASS(v_read_enum(v, j, "legend", LEGENDS, COUNT(LEGENDS), "legend position", LEGEND_AUTO,
                         &i));
        if (i >= 0)
            c->legend = (legend_pos)i;
    }
    PASS(v_read_enum(v, j, "number_format", NUMBER_FORMATS, COUNT(NUMBER_FORMATS),
                   "number format", NUMBER_PLAIN, &i));
    if (i >= 0)
        c->number_format = (number_style)i;
    PASS(v_read_enum(v, j, "rounding", ROUNDINGS, COUNT(ROUNDINGS), "rounding", 0, &i));
    if (i >= 0)
        c->rounding = i;
    PASS(v_read_enum(v, j, "minus", MINUSES, COUNT(MINUSES), "minus sign", 0, &i));
    if (i >= 0)
        c->minus_hyphen = i == 1;
    PASS(v_read_enum(v, j, "theme", THEMES, COUNT(THEMES), "theme", -2, &i));
    if (i >= 0)
        c->theme_id = i == 1 ? THEME_OFFICIAL : THEME_DEFAULT;
    return V_FINE;
}

/* A rule between two keys, reported at the first. */
static verdict key_rule(vctx *v, const char *key, const char *msg)
{
    size_t mark;
    PASS(v_enter_key(v, key, &mark));
    verdict r = v_fail(v, "%s", msg);
    v_leave(v, mark);
    return r;
}

/* Lines over bars: the right axis's columns need vertical, unstacked bars. */
static verdict read_line_options(vctx *v, chart_ctx *cc)
{
    chart_spec *c = cc->c;
    const cJSON *j = cc->j;
    if (v_get(j, "line_unit")) {
        NEED(c->line_unit = v_dup(""));
        PASS(v_read_string(v, j, "line_unit", &c->line_unit));
        if (!v_get(j, "lines"))
            PASS(key_rule(v, "line_unit", "\"line_unit\" without \"lines\" (expected \"lines\": "
                          "[column names] for the right axis it names)"));
    }
    if (!v_get(j, "lines"))
        return V_FINE;
    if (c->stacked != STACK_NONE)
        return key_rule(v, "lines", "lines over stacked bars are not drawn (expected "
                        "\"stacked\": false with \"lines\")");
    if (c->orientation != ORIENT_VERTICAL)
        return key_rule(v, "lines", "lines need vertical bars (expected \"orientation\": "
                        "\"vertical\" with \"lines\")");
    return V_FINE;
}

static verdict read_pie_options(vctx *v, chart_ctx *cc)
{
    chart_spec *c = cc->c;
    const cJSON *j = cc->j;
    PASS(v_read_bool(v, j, "donut", &c->donut));
    c->hole_total = c->donut;
    PASS(v_read_bool(v, j, "total", &c->hole_total));
    if (c->hole_total && !c->donut)
        PASS(key_rule(v, "total", "the total goes in a donut's hole (expected \"donut\": true "
                      "with \"total\")"));
    return v_read_number(v, j, "other_below", 0, 0.5, "", &c->other_below);
}

/* The options of lines over bars, line charts and pies. */
static verdict read_kind_options(vctx *v, chart_ctx *cc)
{
    int i;
    if (cc->kind == CHART_BAR)
        return read_line_options(v, cc);
    if (cc->kind == CHART_LINE) {
        PASS(v_read_enum(v, cc->j, "labels", LABEL_MODES, COUNT(LABEL_MODES), "label choice",
                         LABELS_AUTO, &i));
        if (i >= 0)
            cc->c->labels = (chart_labels)i;
        return V_FINE;
    }
    return cc->kind == CHART_PIE ? read_pie_options(v, cc) : V_FINE;
}

static verdict read_chart_options(vctx *v, chart_ctx *cc)
{
    chart_spec *c = cc->c;
    const cJSON *j = cc->j;
    PASS(read_chart_enums(v, cc));
    PASS(v_read_int(v, j, "decimals", 0, 6, &c->decimals));
    PASS(v_read_string(v, j, "unit", &c->unit));
    PASS(read_chart_text(v, j, "title", &c->title, &c->title_rich));
    PASS(read_chart_text(v, j, "subtitle", &c->subtitle, &c->subtitle_rich));
    PASS(read_chart_text(v, j, "note", &c->note, &c->note_rich));
    PASS(v_read_mm(v, j, "width", 20, 1000, &c->width_pt));
    PASS(v_read_mm(v, j, "height", 20, 1000, &c->height_pt));
    if (cc->kind == CHART_COMPLETION)
        PASS(v_read_number(v, j, "threshold", 0, 2, "", &c->threshold));
    if (cc->kind == CHART_BAR) {
        PASS(read_stacked(v, cc));
        PASS(read_highlight(v, cc));
        PASS(read_negative_color(v, cc));
    }
    if (v_listed("reference", cc->allowed))
        PASS(read_references(v, cc));
    return read_kind_options(v, cc);
}

/* ------------------------------------------------------------------ */
/* the block                                                           */

/* CHART_KEYS plus the keys of the chart's kind (of every kind when
 * unknown), each once. */
static void chart_keys(int kind, const char **out)
{
    size_t n = 0;
    for (size_t i = 0; CHART_KEYS[i]; i++)
        out[n++] = CHART_KEYS[i];
    for (int k = 0; k < CHART_KINDS_COUNT; k++)
        for (size_t i = 0; (kind < 0 || kind == k) && KIND_KEYS[k][i]; i++) {
            out[n] = NULL;
            if (!v_listed(KIND_KEYS[k][i], out))
                out[n++] = KIND_KEYS[k][i];
        }
    out[n] = NULL;
}

static verdict chart_defaults(vctx *v, chart_spec *c)
{
    NEED(c->json_path = v_dup(v_here(v)));
    NEED(c->id = v_dup(""));
    NEED(c->unit = v_dup(""));
    NEED(c->title = v_dup(""));
    NEED(c->subtitle = v_dup(""));
    NEED(c->note = v_dup(""));
    c->theme_id = THEME_DEFAULT;
    c->threshold = 0.9;
    c->decimals = -1;
    return V_FINE;
}

static verdict read_kind(vctx *v, chart_ctx *cc)
{
    const char *const *allowed = cc->allowed;
    if (!v_get(cc->j, "kind"))
        PASS(v_require(v, cc->j, "kind", allowed,
                     "missing required key \"kind\" (expected \"bar\", \"completion\", \"line\" "
                     "or \"pie\")"));
    else
        PASS(v_read_enum(v, cc->j, "kind", KIND_NAMES, CHART_KINDS_COUNT, "chart kind", -1,
                       &cc->kind));
    chart_spec *c = cc->c;
    c->kind = cc->kind >= 0 ? (chart_kind)cc->kind : CHART_BAR;
    c->orientation = c->kind == CHART_COMPLETION ? ORIENT_HORIZONTAL : ORIENT_VERTICAL;
    return V_FINE;
}

static verdict chart_data(vctx *v, chart_ctx *cc)
{
    bool usable;
    PASS(v_read_chart_data(v, cc, &usable));
    if (!usable || cc->kind < 0)
        return V_FINE;
    PASS(v_read_chart_columns(v, cc, &cc->columns_ok));
    return cc->columns_ok ? v_check_chart_cells(v, cc) : V_FINE;
}

static bool is_category(const chart_spec *c, const char *label)
{
    const dataset *d = c->data;
    for (size_t r = 0; d && r < d->nrows; r++) {
        const cell *e = dataset_cell(d, r, c->category_col);
        if (e->kind == CELL_TEXT && e->text && strcmp(e->text, label) == 0)
            return true;
    }
    return false;
}

/* Every "highlight" entry names a category of the chart's data. */
static verdict check_highlight(vctx *v, chart_ctx *cc)
{
    chart_spec *c = cc->c;
    if (!c->nhighlight || !cc->columns_ok || !c->data || c->category_col == SIZE_MAX)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, "highlight", &mark));
    verdict r = V_FINE;
    for (size_t i = 0; i < c->nhighlight && r != V_STOP; i++) {
        if (is_category(c, c->highlight[i]))
            continue;
        size_t m;
        PASS(v_enter_index(v, i, &m));
        strbuf q = {0};
        json_quote(&q, c->highlight[i], strlen(c->highlight[i]));
        r = q.failed ? V_STOP
                     : v_fail(v, "%s is not a category of this chart (expected one of the "
                                 "labels in its category column)", q.s);
        sb_free(&q);
        v_leave(v, m);
    }
    v_leave(v, mark);
    return r;
}

/* Said once in the dataset, used by every chart of it: the unit of the
 * (first) value column — the actual one of a completion chart — unless the
 * chart gives "unit", each value column's decimals unless the chart gives
 * "decimals", and the dataset's rounding unless the chart gives one. */
static verdict dataset_defaults(vctx *v, chart_ctx *cc)
{
    (void)v;
    chart_spec *c = cc->c;
    const dataset *d = c->data;
    if (!cc->columns_ok || !d || !c->value_cols || !c->nvalues)
        return V_FINE;
    size_t main_col = c->value_cols[c->kind == CHART_COMPLETION && c->nvalues > 1 ? 1 : 0];
    if (!v_get(cc->j, "unit") && d->units && d->units[main_col])
        PASS(v_replace(&c->unit, d->units[main_col]));
    if (!v_get(cc->j, "decimals") && d->decimals) {
        NEED(c->series_decimals = v_alloc(c->nvalues, sizeof *c->series_decimals));
        for (size_t i = 0; i < c->nvalues; i++)
            c->series_decimals[i] = d->decimals[c->value_cols[i]];
    }
    if (!v_get(cc->j, "rounding") && d->rounding >= 0)
        c->rounding = d->rounding;
    return V_FINE;
}

static verdict chart_block(vctx *v, chart_ctx *cc)
{
    const char *allowed[COUNT(CHART_KEYS) + COUNT(BAR_KEYS) + COUNT(COMPLETION_KEYS) +
                        COUNT(LINE_KEYS) + COUNT(PIE_KEYS)];
    chart_keys(-1, allowed);
    cc->allowed = allowed;
    PASS(read_chart_id(v, cc));
    PASS(read_kind(v, cc));
    chart_keys(cc->kind, allowed);
    block_context bctx = {BLOCK_CHART, cc->kind};
    PASS(v_check_keys(v, cc->j, allowed, v_block_misplaced, &bctx));
    PASS(read_chart_options(v, cc));
    PASS(chart_data(v, cc));
    PASS(dataset_defaults(v, cc));
    PASS(check_highlight(v, cc));
    return v_listed("colors", cc->allowed) ? read_colors(v, cc) : V_FINE;
}

verdict validate_chart(vctx *v, const cJSON *j, block *b, size_t index)
{
    chart_spec *c = v_alloc(1, sizeof *c);
    NEED(c);
    b->chart = c;
    PASS(chart_defaults(v, c));
    chart_ctx cc = {.c = c, .j = j, .index = index, .kind = -1};
    verdict r = chart_block(v, &cc);
    free(cc.inline_state.checked);
    return r;
}
