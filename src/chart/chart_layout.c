/*
 * chart_layout.c — chart layout (stage 3b): every measurement and decision.
 *
 * Takes a validated chart_spec and a box; gives a chart_layout (see
 * chart_internal.h) in which every text is a PangoLayout measured with the
 * engine's sans family — the same fonts that draw it — and every shape and
 * label has its final position.  Guarantees: every category label is drawn
 * whole (wrapped, then shrunk down to CHART_MIN_PT, then rotated, and if it
 * still cannot fit the chart grows or turns horizontal, with a warning); no
 * two texts overlap and every text lies inside the chart's box; bars start
 * at zero; null values are gaps marked "—" and a note, never zeros.
 *
 * Internally the plot is built in abstract coordinates: u along the value
 * axis (growing with the value) and a band position across it (the
 * category slot), so the same code places vertical and horizontal charts.
 */
#include "chart/chart_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "util/diag.h"
#include "text/fonts.h"
#include "util/numfmt.h"

/* ---- geometry constants (pt) ---- */
#define GAP_TEXT 1.5          /* least space between two texts */
#define GAP_VALUE 2.5         /* bar end to value label */
#define GAP_INSIDE 2.0        /* value label inside a bar: padding */
#define GAP_SECTION 6.0       /* between title block, plot and notes */
#define GAP_AXIS 4.0          /* plot edge to tick or category labels */
#define SWATCH 7.0            /* legend swatch */
#define MAX_BAR_H 20.0        /* thickest bar in a horizontal chart */
#define MAX_BAR_V 48.0        /* widest bar in a vertical chart */
#define MAX_SUBBAR 18.0       /* thickest bar of a group */
#define MAX_TRACK 16.0        /* completion track */
#define MAX_LABEL_LINES 3     /* horizontal category labels under vertical bars */

/* ---- themes ---- */

typedef struct theme {
    chart_rgb palette[8];
    int npal;
    chart_rgb track, actual, warn, target, ref;
    chart_rgb title, text, muted, grid, baseline;
    bool center_title;
} theme;

#define HEX(v) {((v) >> 16 & 255) / 255.0, ((v) >> 8 & 255) / 255.0, ((v) & 255) / 255.0}

/* Default: Okabe–Ito hues (safe for the common colour-vision deficiencies),
 * ordered so that neighbouring series differ in lightness: CIE L* 35, 71,
 * 58, 89, 54, 70, 61, 53 — the first three stay apart in greyscale. */
static const theme theme_default = {
    .palette = {HEX(0x0B5394), HEX(0xE69F00), HEX(0x009E73), HEX(0xF0E442),
                HEX(0xD55E00), HEX(0x56B4E9), HEX(0xCC79A7), HEX(0x7F7F7F)},
    .npal = 8,
    .track = HEX(0xD3E1EF), .actual = HEX(0x0B5394), .warn = HEX(0xD55E00),
    .target = HEX(0x333333), .ref = HEX(0x444444),
    .title = HEX(0x1A1A1A), .text = HEX(0x333333), .muted = HEX(0x666666),
    .grid = HEX(0xDDDDDD), .baseline = HEX(0x595959),
    .center_title = false,
};

/* "official": the red / blue / grey of government documents. */
static const theme theme_official = {
    .palette = {HEX(0xC00000), HEX(0x8FB4DB), HEX(0x404040), HEX(0xF4B6B6),
                HEX(0x1F4E79), HEX(0xA6A6A6), HEX(0xE06666), HEX(0xD9D9D9)},
    .npal = 8,
    .track = HEX(0xDCE6F1), .actual = HEX(0x1F4E79), .warn = HEX(0xC00000),
    .target = HEX(0x262626), .ref = HEX(0xC00000),
    .title = HEX(0x000000), .text = HEX(0x262626), .muted = HEX(0x595959),
    .grid = HEX(0xD9D9D9), .baseline = HEX(0x404040),
    .center_title = true,
};

bool chart_parse_color(const char *s, chart_rgb *out)
{
    if (!s || s[0] != '#')
        return false;
    size_t n = strlen(s + 1);
    unsigned v[6];
    if (n != 6 && n != 3)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[1 + i];
        if (c >= '0' && c <= '9') v[i] = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v[i] = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v[i] = (unsigned)(c - 'A' + 10);
        else return false;
    }
    if (n == 3) {
        out->r = v[0] * 17 / 255.0;
        out->g = v[1] * 17 / 255.0;
        out->b = v[2] * 17 / 255.0;
    } else {
        out->r = (v[0] * 16 + v[1]) / 255.0;
        out->g = (v[2] * 16 + v[3]) / 255.0;
        out->b = (v[4] * 16 + v[5]) / 255.0;
    }
    return true;
}

static double luminance(chart_rgb c)
{
    return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
}

/* ---- measured text ---- */

typedef struct tbox {
    PangoLayout *pl;      /* NULL: empty */
    char *text;
    double w, h;          /* logical size, unrotated */
    double lx, ly;        /* logical rectangle offset */
    int lines;
    bool ok;              /* no word broken, no line wider than asked */
    double size;
} tbox;

static void tbox_clear(tbox *t)
{
    if (t->pl)
        g_object_unref(t->pl);
    g_free(t->text);
    memset(t, 0, sizeof *t);
}

/* ---- the build state ---- */

typedef struct vlab {          /* a value label, before placement */
    int row;                   /* display row */
    int series;                /* -1: completion / stack total / null mark */
    double anchor, base;       /* value where it attaches, where its bar starts */
    int dir;                   /* +1: beyond anchor in +value direction; -1 */
    double c0, c1;             /* cross band it may use, pt within the slot */
    double t0, t1;             /* its bar's thickness, pt within the slot */
    bool can_inside, inside_only;
    chart_rgb bar;
    char *variant[3];          /* texts to try, best first; NULL-terminated */
    /* chosen */
    tbox tb;
    int place;                 /* 0 none, 1 outside, 2 inside */
    bool rotated;
} vlab;

typedef struct vmark {         /* a bar, track or target mark */
    int row, src;
    chart_shape_role role;
    double v0, v1;             /* value extent (target: v0 == v1) */
    double c0, c1;             /* thickness, pt within the slot */
    chart_rgb color;
} vmark;

typedef struct build {
    chart_layout *cl;
    const chart_spec *spec;
    const theme *th;
    const char *family, *file;
    brief_diag *diag;
    double W, H;
    bool fixed_h;
    /* data, in display order */
    size_t n, k;
    char **cat;
    int *src;
    double *val;
    bool *nul;
    chart_rgb *scol;
    const char **sname;
    bool completion, stacked, percent, grouped;
    double threshold;
    numfmt vf;                 /* value labels */
    bool auto_dec;             /* decimals from the data (vf.decimals is the least) */
    int pct_dec;
    double dmin, dmax;         /* data extent incl. stacks and references */
    size_t nnull;
    GString *nulls;            /* "类别/系列" list for the warning */
    bool ratio_dash, any_warn;
    /* marks and labels of the current attempt */
    vmark *marks;
    size_t nmarks, capmarks;
    vlab *labs;
    size_t nlabs, caplabs;
    /* warnings, emitted when the attempt succeeds */
    GString *warn;
} build;

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        abort();
    return q;
}

/* ---- display list ---- */

static chart_text *add_text(build *b, chart_text_role role, int index, tbox *tb,
                            double x0, double y0, bool rotated, chart_rgb color)
{
    chart_layout *cl = b->cl;
    if (cl->ntexts == cl->cap_texts) {
        cl->cap_texts = cl->cap_texts ? 2 * cl->cap_texts : 32;
        cl->texts = xrealloc(cl->texts, cl->cap_texts * sizeof *cl->texts);
    }
    chart_text *t = &cl->texts[cl->ntexts++];
    memset(t, 0, sizeof *t);
    t->role = role;
    t->index = index;
    t->series = -1;
    t->layout = tb->pl;
    t->text = tb->text;
    tb->pl = NULL;
    tb->text = NULL;
    t->lx = tb->lx;
    t->ly = tb->ly;
    t->rotated = rotated;
    t->size_pt = tb->size;
    t->x0 = x0;
    t->y0 = y0;
    t->x1 = x0 + (rotated ? tb->h : tb->w);
    t->y1 = y0 + (rotated ? tb->w : tb->h);
    t->color = color;
    tbox_clear(tb);
    return t;
}

static chart_shape *add_shape(build *b, chart_shape_kind kind, chart_shape_role role, int layer,
                              double x0, double y0, double x1, double y1, chart_rgb color)
{
    chart_layout *cl = b->cl;
    if (cl->nshapes == cl->cap_shapes) {
        cl->cap_shapes = cl->cap_shapes ? 2 * cl->cap_shapes : 64;
        cl->shapes = xrealloc(cl->shapes, cl->cap_shapes * sizeof *cl->shapes);
    }
    chart_shape *s = &cl->shapes[cl->nshapes++];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->role = role;
    s->layer = layer;
    s->index = -1;
    if (kind == CHART_SHAPE_RECT) {
        s->x0 = fmin(x0, x1);
        s->x1 = fmax(x0, x1);
        s->y0 = fmin(y0, y1);
        s->y1 = fmax(y0, y1);
    } else {
        s->x0 = x0;
        s->y0 = y0;
        s->x1 = x1;
        s->y1 = y1;
    }
    s->color = color;
    s->width = CHART_HAIRLINE;
    return s;
}

static void reset_layout(chart_layout *cl)
{
    for (size_t i = 0; i < cl->ntexts; i++) {
        if (cl->texts[i].layout)
            g_object_unref(cl->texts[i].layout);
        g_free(cl->texts[i].text);
    }
    cl->ntexts = 0;
    cl->nshapes = 0;
}

/* ---- text measurement ---- */

static void measure(tbox *t)
{
    PangoRectangle ink, log;
    pango_layout_get_extents(t->pl, &ink, &log);
    t->w = log.width / (double)PANGO_SCALE;
    t->h = log.height / (double)PANGO_SCALE;
    t->lx = log.x / (double)PANGO_SCALE;
    t->ly = log.y / (double)PANGO_SCALE;
    t->lines = pango_layout_get_line_count(t->pl);
}

/* True when a line starts where the text has no break opportunity, i.e.
 * Pango had to cut a word because it did not fit. */
static bool word_broken(PangoLayout *pl)
{
    int nattrs = 0;
    const PangoLogAttr *attrs = pango_layout_get_log_attrs_readonly(pl, &nattrs);
    const char *text = pango_layout_get_text(pl);
    GSList *lines = pango_layout_get_lines_readonly(pl);
    for (GSList *l = lines ? lines->next : NULL; l; l = l->next) {
        PangoLayoutLine *line = l->data;
        if (line->is_paragraph_start)
            continue;
        long off = g_utf8_pointer_to_offset(text, text + line->start_index);
        if (off >= 0 && off < nattrs && !attrs[off].is_line_break)
            return true;
    }
    return false;
}

static PangoLayout *new_layout(build *b, const char *text, double size, bool bold)
{
    PangoLayout *pl = pango_layout_new(b->cl->ctx);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, b->family);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(pl, fd);
    pango_font_description_free(fd);
    /* A word cut as a last resort gets no inserted hyphen: the label must
     * read exactly as written. */
    PangoAttrList *al = pango_attr_list_new();
    pango_attr_list_insert(al, pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_attributes(pl, al);
    pango_attr_list_unref(al);
    pango_layout_set_text(pl, text, -1);
    return pl;
}

/* A single-line (or explicitly broken) text, no wrapping. */
static void text_plain(build *b, tbox *t, const char *text, double size, bool bold,
                       PangoAlignment align)
{
    memset(t, 0, sizeof *t);
    t->pl = new_layout(b, text, size, bold);
    pango_layout_set_alignment(t->pl, align);
    t->text = g_strdup(text);
    t->size = size;
    measure(t);
    t->ok = true;
}

static int lines_at(PangoLayout *pl, double w)
{
    pango_layout_set_width(pl, (int)ceil(w * PANGO_SCALE));
    return pango_layout_get_line_count(pl);
}

static bool is_han(gunichar c)
{
    return g_unichar_get_script(c) == G_UNICODE_SCRIPT_HAN;
}

static bool is_alnum_latin(gunichar c)
{
    return c < 0x250 && g_unichar_isalnum(c);
}

/* For labels: a WORD JOINER between Han and a digit or Latin letter, so
 * "开发区10" or "2021年" never break between the number and its word
 * (Pango allows that break in running text). */
static char *glue_labels(const char *s)
{
    GString *g = g_string_sized_new(strlen(s) + 16);
    gunichar prev = 0;
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (prev && ((is_han(prev) && is_alnum_latin(c)) || (is_alnum_latin(prev) && is_han(c))))
            g_string_append_unichar(g, 0x2060);
        g_string_append_unichar(g, c);
        prev = c;
    }
    return g_string_free(g, FALSE);
}

static int last_line_chars(PangoLayout *pl)
{
    const char *text = pango_layout_get_text(pl);
    GSList *lines = pango_layout_get_lines_readonly(pl);
    PangoLayoutLine *last = g_slist_last(lines) ? g_slist_last(lines)->data : NULL;
    if (!last)
        return 0;
    return (int)g_utf8_strlen(text + last->start_index, last->length);
}

/* Wraps text at maxw (pt).  balance: then narrows the measure as far as the
 * line count allows, so two lines are about equally long; otherwise only
 * far enough that the last line holds at least three characters.
 * char_break: cut words that do not fit (the last resort); otherwise t->ok
 * reports whether every word fit.  label: keep numbers with their Han
 * neighbours. */
static void text_wrap_ex(build *b, tbox *t, const char *text, double size, bool bold,
                         double maxw, PangoAlignment align, bool balance, bool char_break,
                         bool label)
{
    memset(t, 0, sizeof *t);
    char *set = label ? glue_labels(text) : g_strdup(text);
    t->pl = new_layout(b, set, size, bold);
    g_free(set);
    t->text = g_strdup(text);
    t->size = size;
    pango_layout_set_alignment(t->pl, align);
    pango_layout_set_wrap(t->pl, char_break ? PANGO_WRAP_WORD_CHAR : PANGO_WRAP_WORD);
    if (maxw < 1)
        maxw = 1;
    int n = lines_at(t->pl, maxw);
    measure(t);
    t->ok = (char_break || !word_broken(t->pl)) && t->w <= maxw + 0.01;
    if (balance && n > 1 && t->ok) {
        double lo = maxw / n * 0.5, hi = maxw;
        for (int i = 0; i < 12 && hi - lo > 0.25; i++) {
            double mid = (lo + hi) / 2;
            int m = lines_at(t->pl, mid);
            measure(t);
            if (m == n && !word_broken(t->pl) && t->w <= mid + 0.01)
                hi = mid;
            else
                lo = mid;
        }
        lines_at(t->pl, hi);
        measure(t);
    } else if (n > 1 && t->ok && last_line_chars(t->pl) < 3) {
        double w = maxw;
        for (int i = 0; i < 8 && last_line_chars(t->pl) < 3; i++) {
            w -= size * 0.5;
            if (lines_at(t->pl, w) != n || word_broken(t->pl)) {
                w += size * 0.5;
                break;
            }
        }
        lines_at(t->pl, w);
        measure(t);
    }
}

static void text_wrap(build *b, tbox *t, const char *text, double size, bool bold, double maxw,
                      PangoAlignment align, bool balance, bool char_break)
{
    text_wrap_ex(b, t, text, size, bold, maxw, align, balance, char_break, false);
}

static double line_height(build *b, double size)
{
    tbox t;
    text_plain(b, &t, "国", size, false, PANGO_ALIGN_LEFT);
    double h = t.h;
    tbox_clear(&t);
    return h;
}

/* ---- warnings ---- */

static void warnf(build *b, const char *fmt, ...) BRIEF_PRINTF(2, 3);
static void warnf(build *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[768];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    g_string_append(b->warn, msg);
    g_string_append_c(b->warn, '\n');
}

static void flush_warnings(build *b)
{
    char *s = b->warn->str;
    while (*s) {
        char *nl = strchr(s, '\n');
        if (nl)
            *nl = '\0';
        diag_add(b->diag, BRIEF_WARNING, BRIEF_OK, b->file, 0, 0, b->spec->json_path,
                 "chart '%s': %s", b->spec->id ? b->spec->id : "", s);
        if (!nl)
            break;
        s = nl + 1;
    }
    g_string_truncate(b->warn, 0);
}

/* ---- data ---- */

typedef struct sort_item {
    double key;
    bool null;
    size_t row;
    int dir;
} sort_item;

static int sort_cmp(const void *a, const void *b)
{
    const sort_item *x = a, *y = b;
    if (x->null != y->null)
        return x->null ? 1 : -1;           /* nulls last */
    if (!x->null && x->key != y->key)
        return (x->key < y->key ? -1 : 1) * x->dir;
    return x->row < y->row ? -1 : x->row > y->row;   /* stable */
}

static char *cell_label(const cell *c)
{
    if (c->kind == CELL_TEXT)
        return g_strdup(c->text ? c->text : "");
    if (c->kind == CELL_NUMBER) {
        char buf[64];
        numfmt_fixed(buf, sizeof buf, c->number, numfmt_decimals_of(c->number, 4), false);
        return g_strdup(buf);
    }
    return g_strdup("—");
}

static void resolve_data(build *b)
{
    const chart_spec *s = b->spec;
    const dataset *d = s->data;
    b->completion = s->kind == CHART_COMPLETION;
    b->k = b->completion ? 2 : s->nvalues;
    if (b->k == 0)
        b->k = 1;
    b->n = d ? d->nrows : 0;
    /* one series stacked is a plain bar; in percent every bar is 100 % */
    b->percent = !b->completion && s->stacked == STACK_PERCENT;
    b->stacked = !b->completion && ((s->stacked == STACK_NORMAL && b->k > 1) || b->percent);
    b->grouped = !b->completion && !b->stacked && b->k > 1;
    b->threshold = s->threshold;
    size_t n = b->n, k = b->k;
    b->cat = calloc(n + 1, sizeof *b->cat);
    b->src = calloc(n + 1, sizeof *b->src);
    b->val = calloc(n * k + 1, sizeof *b->val);
    b->nul = calloc(n * k + 1, sizeof *b->nul);
    b->sname = calloc(k, sizeof *b->sname);
    b->scol = calloc(k, sizeof *b->scol);
    if (!b->cat || !b->src || !b->val || !b->nul || !b->sname || !b->scol)
        abort();
    sort_item *items = calloc(n + 1, sizeof *items);
    for (size_t r = 0; r < n; r++) {
        double key = 0;
        bool null = true;
        if (b->completion) {
            const cell *p = dataset_cell(d, r, s->value_cols[0]);
            const cell *a = dataset_cell(d, r, s->value_cols[1]);
            if (a->kind == CELL_NUMBER) {
                null = false;
                key = (p->kind == CELL_NUMBER && p->number > 0) ? a->number / p->number : -INFINITY;
            }
        } else if (b->stacked) {
            for (size_t j = 0; j < k; j++) {
                const cell *c = dataset_cell(d, r, s->value_cols[j]);
                if (c->kind == CELL_NUMBER) {
                    key += c->number;
                    null = false;
                }
            }
        } else {
            const cell *c = dataset_cell(d, r, s->value_cols[0]);
            if (c->kind == CELL_NUMBER) {
                key = c->number;
                null = false;
            }
        }
        items[r] = (sort_item){.key = key, .null = null, .row = r,
                               .dir = s->sort == SORT_DESCENDING ? -1 : 1};
    }
    if (s->sort != SORT_NONE)
        qsort(items, n, sizeof *items, sort_cmp);
    for (size_t i = 0; i < n; i++) {
        size_t r = items[i].row;
        b->src[i] = (int)r;
        b->cat[i] = cell_label(dataset_cell(d, r, s->category_col));
        for (size_t j = 0; j < k; j++) {
            const cell *c = dataset_cell(d, r, s->value_cols[j]);
            bool isnull = c->kind != CELL_NUMBER || !isfinite(c->number);
            b->nul[i * k + j] = isnull;
            b->val[i * k + j] = isnull ? 0 : c->number;
            /* completion: a missing plan is shown as "—" in the ratio, not as a gap */
            if (isnull && !(b->completion && j == 0)) {
                b->nnull++;
                if (b->nnull <= 6) {
                    if (b->nulls->len)
                        g_string_append(b->nulls, ", ");
                    if (k > 1)
                        g_string_append_printf(b->nulls, "'%s'/'%s'", b->cat[i],
                                               d->columns[s->value_cols[j]]);
                    else
                        g_string_append_printf(b->nulls, "'%s'", b->cat[i]);
                } else if (b->nnull == 7) {
                    g_string_append(b->nulls, ", …");
                }
            }
        }
    }
    free(items);
    for (size_t j = 0; j < k; j++) {
        b->sname[j] = (d && s->value_cols) ? d->columns[s->value_cols[j]] : "";
        b->scol[j] = b->th->palette[j % (size_t)b->th->npal];
        if (j >= (size_t)b->th->npal) {     /* series 9-16: lighter tints of 1-8 */
            chart_rgb *c = &b->scol[j];
            c->r += (1 - c->r) * 0.5;
            c->g += (1 - c->g) * 0.5;
            c->b += (1 - c->b) * 0.5;
        }
        if (s->series_colors && s->series_colors[j])
            chart_parse_color(s->series_colors[j], &b->scol[j]);
    }
    if (b->completion) {
        b->scol[0] = b->th->track;
        b->scol[1] = b->th->actual;
        if (s->series_colors && s->series_colors[1])
            chart_parse_color(s->series_colors[1], &b->scol[1]);
        if (s->series_colors && s->series_colors[0])
            chart_parse_color(s->series_colors[0], &b->scol[0]);
    }
}

static double V(const build *b, size_t row, size_t j) { return b->val[row * b->k + j]; }
static bool N(const build *b, size_t row, size_t j) { return b->nul[row * b->k + j]; }

/* Share of series j in row for percent stacks (of the sum of |values|). */
static double share(const build *b, size_t row, size_t j)
{
    double sum = 0;
    for (size_t i = 0; i < b->k; i++)
        if (!N(b, row, i))
            sum += fabs(V(b, row, i));
    return sum > 0 ? V(b, row, j) / sum * 100.0 : 0;
}

static bool is_percent_unit(const char *u)
{
    return u && (strcmp(u, "%") == 0 || strcmp(u, "％") == 0);
}

#define AUTO_MAX_DEC 4

/* Decimals v has in the data, as it will be printed (after 万/亿). */
static int value_decimals(const build *b, double v)
{
    const chart_spec *s = b->spec;
    if (s->number_format == NUMBER_CHINESE && !is_percent_unit(s->unit))
        return numfmt_decimals_of(numfmt_chinese_scaled(v, s->unit), 3);
    return numfmt_decimals_of(v, AUTO_MAX_DEC);
}

/* Number formats and the data extent. */
static void resolve_numbers(build *b)
{
    const chart_spec *s = b->spec;
    b->vf.style = s->number_format;
    b->vf.unit = s->unit ? s->unit : "";
    b->vf.trim = false;
    int dec = 0;
    if (b->percent) {
        dec = s->decimals >= 0 ? s->decimals : 0;
        b->vf.style = NUMBER_PLAIN;
        b->vf.unit = "%";
    } else if (s->decimals >= 0) {
        dec = s->decimals;
    } else {
        /* From the data: every number gets at least the decimals most
         * values have (so 16.0 stands beside 12.5) and more where its own
         * data has more (0.0536 beside 3.5); see fmt_value. */
        b->auto_dec = true;
        int count[AUTO_MAX_DEC + 1] = {0};
        for (size_t i = 0; i < b->n * b->k; i++)
            if (!b->nul[i])
                count[value_decimals(b, b->val[i])]++;
        for (int d = 0; d <= AUTO_MAX_DEC; d++)
            if (count[d] >= count[dec])
                dec = d;
    }
    b->vf.decimals = dec;

    /* percent decimals for completion: the data's precision (make_marks
     * adds decimals to a ratio that would otherwise print as 100 % or as
     * the threshold it misses) */
    if (b->completion) {
        int pd = s->decimals >= 0 ? s->decimals : 0;
        if (s->decimals < 0)
            for (size_t i = 0; i < b->n * 2; i++)
                if (!b->nul[i]) {
                    int d = numfmt_decimals_of(b->val[i], 2);
                    pd = d > pd ? d : pd;
                }
        b->pct_dec = pd;
    }

    double lo = 0, hi = 0;
    for (size_t r = 0; r < b->n; r++) {
        if (b->stacked) {
            double pos = 0, neg = 0;
            for (size_t j = 0; j < b->k; j++) {
                if (N(b, r, j))
                    continue;
                double v = b->percent ? share(b, r, j) : V(b, r, j);
                if (v >= 0) pos += v; else neg += v;
            }
            hi = fmax(hi, pos);
            lo = fmin(lo, neg);
        } else {
            for (size_t j = 0; j < b->k; j++)
                if (!N(b, r, j)) {
                    hi = fmax(hi, V(b, r, j));
                    lo = fmin(lo, V(b, r, j));
                }
        }
    }
    if (b->percent)
        hi = fmin(hi, 100.0);
    for (size_t i = 0; i < s->nrefs; i++) {
        hi = fmax(hi, s->refs[i].value);
        lo = fmin(lo, s->refs[i].value);
    }
    b->dmin = lo;
    b->dmax = hi;
}

static void fmt_value(const build *b, char *buf, size_t size, double v, bool with_unit)
{
    numfmt f = b->vf;
    if (b->auto_dec) {
        int own = value_decimals(b, v);
        f.decimals = own > f.decimals ? own : f.decimals;
    }
    if (!with_unit && !is_percent_unit(f.unit)) {
        /* Without the unit a Chinese magnitude would change the meaning. */
        if (f.style == NUMBER_CHINESE) {
            numfmt_format(buf, size, v, &f);
            return;
        }
        f.unit = "";
    }
    numfmt_format(buf, size, v, &f);
}

/* ---- value labels and marks (abstract coordinates) ---- */

typedef struct bandgeo {
    double slot;
    double t0[64], t1[64];   /* per series: bar thickness range */
    double c0[64], c1[64];   /* per series: label cross band */
    double mark0, mark1;     /* completion: target mark extent */
} bandgeo;

static size_t series_slots(const build *b)
{
    return b->grouped ? (b->k < 64 ? b->k : 64) : 1;
}

static void band_geometry(const build *b, double slot, bool vertical, bandgeo *g)
{
    memset(g, 0, sizeof *g);
    g->slot = slot;
    if (b->completion) {
        double t = fmin(slot * 0.56, MAX_TRACK);
        double mid = slot / 2;
        g->t0[0] = mid - t / 2;
        g->t1[0] = mid + t / 2;
        g->t0[1] = mid - t * 0.25;
        g->t1[1] = mid + t * 0.25;
        g->mark0 = mid - t * 0.66;
        g->mark1 = mid + t * 0.66;
        g->c0[0] = g->c0[1] = 0;
        g->c1[0] = g->c1[1] = slot;
        return;
    }
    if (b->grouped) {
        size_t k = series_slots(b);
        double G = fmin(slot * 0.84, k * MAX_SUBBAR);
        double p = G / k;
        double th = p - fmax(fmin(p * 0.14, 2.0), 0.3);
        for (size_t j = 0; j < k; j++) {
            double s0 = (slot - G) / 2 + j * p;
            g->c0[j] = s0;
            g->c1[j] = s0 + p;
            g->t0[j] = s0 + (p - th) / 2;
            g->t1[j] = g->t0[j] + th;
        }
        return;
    }
    double t = fmin(slot * 0.62, vertical ? MAX_BAR_V : MAX_BAR_H);
    for (size_t j = 0; j < b->k && j < 64; j++) {
        g->t0[j] = (slot - t) / 2;
        g->t1[j] = g->t0[j] + t;
        g->c0[j] = 0;
        g->c1[j] = slot;
    }
}

static void add_mark(build *b, int row, chart_shape_role role, double v0, double v1,
                     double c0, double c1, chart_rgb color)
{
    if (b->nmarks == b->capmarks) {
        b->capmarks = b->capmarks ? 2 * b->capmarks : 64;
        b->marks = xrealloc(b->marks, b->capmarks * sizeof *b->marks);
    }
    b->marks[b->nmarks++] = (vmark){.row = row, .src = b->src[row], .role = role,
                                    .v0 = v0, .v1 = v1, .c0 = c0, .c1 = c1, .color = color};
}

static vlab *add_lab(build *b, int row, int series, double anchor, double base, int dir,
                     double c0, double c1, double t0, double t1, chart_rgb bar)
{
    if (b->nlabs == b->caplabs) {
        b->caplabs = b->caplabs ? 2 * b->caplabs : 64;
        b->labs = xrealloc(b->labs, b->caplabs * sizeof *b->labs);
    }
    vlab *l = &b->labs[b->nlabs++];
    memset(l, 0, sizeof *l);
    *l = (vlab){.row = row, .series = series, .anchor = anchor, .base = base, .dir = dir,
                .c0 = c0, .c1 = c1, .t0 = t0, .t1 = t1, .bar = bar, .can_inside = true};
    return l;
}

static void clear_marks(build *b)
{
    for (size_t i = 0; i < b->nlabs; i++) {
        for (int v = 0; v < 3; v++)
            g_free(b->labs[i].variant[v]);
        tbox_clear(&b->labs[i].tb);
    }
    b->nlabs = 0;
    b->nmarks = 0;
}

/* Builds the marks and value-label candidates for a slot size. */
static void make_marks(build *b, double slot, bool vertical)
{
    clear_marks(b);
    bandgeo g;
    band_geometry(b, slot, vertical, &g);
    char num[128], txt[256];
    for (size_t r = 0; r < b->n; r++) {
        int row = (int)r;
        if (b->completion) {
            bool pn = N(b, r, 0), an = N(b, r, 1);
            double plan = V(b, r, 0), act = V(b, r, 1);
            double ratio = (!pn && !an && plan > 0) ? act / plan : NAN;
            bool flagged = isfinite(ratio) && b->threshold > 0 && ratio < b->threshold;
            if (flagged)
                b->any_warn = true;
            if (!pn)
                add_mark(b, row, CHART_ROLE_TRACK, 0, plan, g.t0[0], g.t1[0], b->scol[0]);
            if (!an)
                add_mark(b, row, CHART_ROLE_BAR, 0, act, g.t0[1], g.t1[1],
                         flagged ? b->th->warn : b->scol[1]);
            if (!pn && plan > 0)
                add_mark(b, row, CHART_ROLE_TARGET, plan, plan, g.mark0, g.mark1, b->th->target);
            char pct[64];
            if (isfinite(ratio))   /* more decimals only where 100 % or the threshold needs them */
                numfmt_percent(pct, sizeof pct, ratio,
                               numfmt_percent_decimals(ratio, b->pct_dec, b->threshold));
            else {
                snprintf(pct, sizeof pct, "—");
                b->ratio_dash = true;
            }
            double end = fmax(pn ? 0 : plan, an ? 0 : act);
            double endneg = fmin(pn ? 0 : plan, an ? 0 : act);
            int dir = (end <= 0 && endneg < 0) ? -1 : 1;
            vlab *l = add_lab(b, row, -1, dir > 0 ? end : endneg, 0, dir, 0, slot,
                              g.t0[0], g.t1[0], b->scol[1]);
            l->can_inside = false;
            if (an) {
                l->variant[0] = g_strdup("—");
            } else {
                fmt_value(b, num, sizeof num, act, true);
                snprintf(txt, sizeof txt, "%s · %s", num, pct);
                l->variant[0] = g_strdup(txt);
                snprintf(txt, sizeof txt, "%s\n%s", num, pct);
                l->variant[1] = g_strdup(txt);
            }
            continue;
        }
        if (b->stacked) {
            double pos = 0, neg = 0;
            bool any = false;
            for (size_t j = 0; j < b->k; j++) {
                if (N(b, r, j))
                    continue;
                any = true;
                double v = b->percent ? share(b, r, j) : V(b, r, j);
                double v0 = v >= 0 ? pos : neg, v1 = v0 + v;
                if (v >= 0) pos = v1; else neg = v1;
                add_mark(b, row, CHART_ROLE_BAR, v0, v1, g.t0[0], g.t1[0], b->scol[j]);
                if (v == 0)
                    continue;
                vlab *l = add_lab(b, row, (int)j, v1, v0, v >= 0 ? 1 : -1, g.t0[0], g.t1[0],
                                  g.t0[0], g.t1[0], b->scol[j]);
                l->inside_only = true;
                fmt_value(b, num, sizeof num, v, false);
                l->variant[0] = g_strdup(num);
            }
            if (!any) {
                vlab *l = add_lab(b, row, -1, 0, 0, 1, 0, slot, g.t0[0], g.t1[0], b->scol[0]);
                l->can_inside = false;
                l->variant[0] = g_strdup("—");
            } else if (!b->percent) {
                double total = 0;
                for (size_t j = 0; j < b->k; j++)
                    if (!N(b, r, j))
                        total += V(b, r, j);
                int dir = total >= 0 ? 1 : -1;
                vlab *l = add_lab(b, row, -1, dir > 0 ? pos : neg, 0, dir, 0, slot,
                                  g.t0[0], g.t1[0], b->scol[0]);
                l->can_inside = false;
                fmt_value(b, num, sizeof num, total, true);
                l->variant[0] = g_strdup(num);
                fmt_value(b, num, sizeof num, total, false);
                if (strcmp(num, l->variant[0]) != 0)
                    l->variant[1] = g_strdup(num);
            }
            continue;
        }
        for (size_t j = 0; j < b->k; j++) {
            size_t gj = b->grouped ? (j < 64 ? j : 63) : 0;
            if (N(b, r, j)) {
                vlab *l = add_lab(b, row, (int)j, 0, 0, 1, g.c0[gj], g.c1[gj], g.t0[gj],
                                  g.t1[gj], b->scol[j]);
                l->can_inside = false;
                l->variant[0] = g_strdup("—");
                continue;
            }
            double v = V(b, r, j);
            add_mark(b, row, CHART_ROLE_BAR, 0, v, g.t0[gj], g.t1[gj], b->scol[j]);
            vlab *l = add_lab(b, row, (int)j, v, 0, v >= 0 ? 1 : -1, g.c0[gj], g.c1[gj],
                              g.t0[gj], g.t1[gj], b->scol[j]);
            bool unit_on_labels = !b->grouped;
            fmt_value(b, num, sizeof num, v, unit_on_labels);
            l->variant[0] = g_strdup(num);
            fmt_value(b, num, sizeof num, v, false);
            if (strcmp(num, l->variant[0]) != 0)
                l->variant[1] = g_strdup(num);
        }
    }
    for (size_t i = 0; i < b->nmarks; i++)
        b->marks[i].src = b->src[b->marks[i].row];
}

/* ---- value axis mapping ---- */

typedef struct vaxis {
    tick_set t;
    double lo, hi;         /* domain */
    double len;            /* u length of the plot */
    double padA, padB;     /* room below lo / above hi for labels */
} vaxis;

static double U(const vaxis *a, double v)
{
    double span = a->hi - a->lo;
    return a->padA + (v - a->lo) / span * (a->len - a->padA - a->padB);
}

/* Value label extents along u (len) and across (cross). */
static void lab_extent(const vlab *l, bool vertical, double *len, double *cross)
{
    if (!vertical) {               /* u is x */
        *len = l->tb.w;
        *cross = l->tb.h;
    } else if (l->rotated) {
        *len = l->tb.w;
        *cross = l->tb.h;
    } else {                       /* u is -y */
        *len = l->tb.h;
        *cross = l->tb.w;
    }
}

/* Places every value label (outside, inside, or nowhere for stack
 * segments), enlarging the pads until each fits.  allow_inside: a label
 * that finds no room beyond its bar may go inside it when the bar is long
 * enough.  False when the labels would take more than max_pad of the axis
 * or cannot sit beside their bar without touching a neighbour. */
static bool fit_values(build *b, vaxis *a, bool vertical, bool allow_inside, double max_pad)
{
    a->padA = a->padB = 0;
    for (int iter = 0; iter < 40; iter++) {
        double needA = 0, needB = 0;
        for (size_t i = 0; i < b->nlabs; i++) {
            vlab *l = &b->labs[i];
            if (!l->tb.pl) {
                l->place = 0;
                continue;
            }
            double len, cross;
            lab_extent(l, vertical, &len, &cross);
            double ua = U(a, l->anchor), ub = U(a, l->base);
            double barlen = fabs(ua - ub);
            bool in_fits = len + 2 * GAP_INSIDE <= barlen && cross + 1.0 <= l->t1 - l->t0;
            if (l->inside_only) {
                l->place = in_fits ? 2 : 0;
                continue;
            }
            bool may_inside = allow_inside && l->can_inside && in_fits;
            double end = l->dir > 0 ? ua + GAP_VALUE + len : ua - GAP_VALUE - len;
            if (cross > l->c1 - l->c0 + 0.01) {
                /* Cannot be outside without touching a neighbour. */
                if (may_inside) {
                    l->place = 2;
                    continue;
                }
                return false;
            }
            if (l->dir > 0 && end <= a->len + 1e-6)
                l->place = 1;
            else if (l->dir < 0 && end >= -1e-6)
                l->place = 1;
            else if (may_inside)
                l->place = 2;
            else if (l->dir > 0)
                needB = fmax(needB, end - a->len);
            else
                needA = fmax(needA, -end);
        }
        if (needA <= 0 && needB <= 0)
            return true;
        a->padA += needA + 0.05;
        a->padB += needB + 0.05;
        if (a->padA + a->padB > max_pad * a->len)
            return false;
    }
    return false;
}

/* ---- legend ---- */

typedef struct legend {
    size_t n;
    tbox tb[66];
    chart_rgb color[66];
    double w, h;           /* block size */
    double x[66], y[66];   /* item origins within the block */
    bool right;
} legend;

static void legend_free(legend *lg)
{
    for (size_t i = 0; i < lg->n; i++)
        tbox_clear(&lg->tb[i]);
    lg->n = 0;
}

/* Measures and arranges the legend for a block at most maxw wide. */
static void legend_make(build *b, legend *lg, double maxw, bool column)
{
    legend_free(lg);
    memset(lg, 0, sizeof *lg);
    lg->right = column;
    const chart_spec *s = b->spec;
    if (s->legend == LEGEND_NONE)
        return;
    char buf[256];
    if (b->completion) {
        const char *names[2] = {b->sname[0], b->sname[1]};
        for (int j = 0; j < 2; j++) {
            lg->color[lg->n] = b->scol[j];
            text_wrap(b, &lg->tb[lg->n], names[j], CHART_LABEL_PT, false,
                      fmax(20, maxw - SWATCH - 3), PANGO_ALIGN_LEFT, true, true);
            lg->n++;
        }
        if (b->any_warn) {
            char pct[64];
            numfmt_percent(pct, sizeof pct, b->threshold,
                           numfmt_decimals_of(b->threshold * 100.0, 2));
            snprintf(buf, sizeof buf, "完成率低于%s", pct);
            lg->color[lg->n] = b->th->warn;
            text_wrap(b, &lg->tb[lg->n], buf, CHART_LABEL_PT, false, fmax(20, maxw - SWATCH - 3),
                      PANGO_ALIGN_LEFT, true, true);
            lg->n++;
        }
    } else if (b->k > 1) {
        for (size_t j = 0; j < b->k && j < 64; j++) {
            lg->color[lg->n] = b->scol[j];
            text_wrap(b, &lg->tb[lg->n], b->sname[j], CHART_LABEL_PT, false,
                      fmax(20, fmin(maxw, column ? maxw : b->W * 0.6) - SWATCH - 3),
                      PANGO_ALIGN_LEFT, true, true);
            lg->n++;
        }
    }
    if (!lg->n)
        return;
    double x = 0, y = 0, rowh = 0, w = 0;
    for (size_t i = 0; i < lg->n; i++) {
        double iw = SWATCH + 3 + lg->tb[i].w;
        if (column) {
            lg->x[i] = 0;
            lg->y[i] = y;
            y += lg->tb[i].h + 2;
            w = fmax(w, iw);
            continue;
        }
        if (x > 0 && x + iw > maxw) {
            x = 0;
            y += rowh + 2;
            rowh = 0;
        }
        lg->x[i] = x;
        lg->y[i] = y;
        x += iw + 12;
        rowh = fmax(rowh, lg->tb[i].h);
        w = fmax(w, x - 12);
    }
    lg->w = w;
    lg->h = column ? y - 2 : y + rowh;
}

static void legend_emit(build *b, legend *lg, double x0, double y0)
{
    for (size_t i = 0; i < lg->n; i++) {
        double x = x0 + lg->x[i], y = y0 + lg->y[i];
        double first_line = lg->tb[i].h / (lg->tb[i].lines > 0 ? lg->tb[i].lines : 1);
        double sy = y + (first_line - SWATCH) / 2;
        add_shape(b, CHART_SHAPE_RECT, CHART_ROLE_SWATCH, CHART_LAYER_LEGEND, x, sy, x + SWATCH,
                  sy + SWATCH, lg->color[i]);
        chart_text *t = add_text(b, CHART_TEXT_LEGEND, (int)i, &lg->tb[i], x + SWATCH + 3, y,
                                 false, b->th->text);
        t->series = (int)i;
    }
}

/* ---- title block and notes ---- */

typedef struct frame {
    tbox title, subtitle;
    tbox notes[3];
    size_t nnotes;
    double top_h;          /* title + subtitle (+ gap) */
    double notes_h;        /* notes (+ gap), 0 if none */
} frame;

static void frame_make(build *b, frame *f)
{
    memset(f, 0, sizeof *f);
    const chart_spec *s = b->spec;
    PangoAlignment al = b->th->center_title ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT;
    double y = 0;
    if (s->title && *s->title) {
        text_wrap(b, &f->title, s->title, CHART_TITLE_PT, true, b->W, al, true, true);
        y += f->title.h;
    }
    if (s->subtitle && *s->subtitle) {
        text_wrap(b, &f->subtitle, s->subtitle, CHART_LABEL_PT, false, b->W, al, true, true);
        y += f->subtitle.h;
    }
    f->top_h = y > 0 ? y + GAP_SECTION : 0;
    const char *notes[3] = {NULL, NULL, NULL};
    char extra[2][256];
    size_t nn = 0;
    if (s->note && *s->note)
        notes[nn++] = s->note;
    if (b->nnull > 0) {
        snprintf(extra[0], sizeof extra[0], "注：“—”表示数据缺失，图中留空，不作零值处理。");
        notes[nn++] = extra[0];
    }
    if (b->ratio_dash) {
        snprintf(extra[1], sizeof extra[1], "注：计划为零或缺失时，完成率以“—”表示。");
        notes[nn++] = extra[1];
    }
    double h = 0;
    for (size_t i = 0; i < nn; i++) {
        text_wrap(b, &f->notes[i], notes[i], CHART_SMALL_PT, false, b->W, PANGO_ALIGN_LEFT, false,
                  true);
        h += f->notes[i].h + (i ? 1 : 0);
    }
    f->nnotes = nn;
    f->notes_h = h > 0 ? h + GAP_SECTION : 0;
}

static void frame_free(frame *f)
{
    tbox_clear(&f->title);
    tbox_clear(&f->subtitle);
    for (size_t i = 0; i < 3; i++)
        tbox_clear(&f->notes[i]);
}

/* Emits the title block at the top and the notes at the bottom (H final).
 * The tboxes are consumed, so a frame is emitted once. */
static void frame_emit(build *b, frame *f, double H)
{
    double y = 0;
    bool center = b->th->center_title;
    if (f->title.pl) {
        double x = center ? (b->W - f->title.w) / 2 : 0;
        double h = f->title.h;
        add_text(b, CHART_TEXT_TITLE, -1, &f->title, x, y, false, b->th->title);
        y += h;
    }
    if (f->subtitle.pl) {
        double x = center ? (b->W - f->subtitle.w) / 2 : 0;
        add_text(b, CHART_TEXT_SUBTITLE, -1, &f->subtitle, x, y, false, b->th->muted);
    }
    y = H - f->notes_h + (f->notes_h > 0 ? GAP_SECTION : 0);
    for (size_t i = 0; i < f->nnotes; i++) {
        double h = f->notes[i].h;
        add_text(b, CHART_TEXT_NOTE, -1, &f->notes[i], 0, y, false, b->th->muted);
        y += h + 1;
    }
}

/* ---- ticks ---- */

typedef struct ticks {
    tick_set t;
    tbox tb[TICKS_MAX];
    double divisor;        /* data value / divisor = printed tick */
    double maxw, h;
    bool hide[TICKS_MAX];  /* labels left out where they cannot keep apart */
} ticks;

static void ticks_free(ticks *tk)
{
    for (int i = 0; i < TICKS_MAX; i++)
        tbox_clear(&tk->tb[i]);
}

/* The axis title: "投资额（亿元）", "亿元", "占比（%）" … (NULL if none). */
static char *axis_title(build *b, const char *unit)
{
    const char *name = (!b->completion && b->k == 1 && b->sname[0]) ? b->sname[0] : NULL;
    if (b->percent)
        return g_strdup("占比（%）");
    if (unit && *unit) {
        if (name && *name)
            return g_strdup_printf("%s（%s）", name, unit);
        return g_strdup_printf("单位：%s", unit);
    }
    return (name && *name) ? g_strdup(name) : NULL;
}

static void ticks_make(build *b, ticks *tk, int max_int, char *unit_out, size_t unit_size)
{
    ticks_free(tk);
    memset(tk, 0, sizeof *tk);
    nice_ticks(b->dmin, b->dmax, max_int, &tk->t);
    double maxabs = fmax(fabs(tk->t.lo), fabs(tk->t.hi));
    const char *unit = b->percent ? "%" : (b->spec->unit ? b->spec->unit : "");
    tk->divisor = 1.0;
    if (b->vf.style == NUMBER_CHINESE && !b->percent)
        tk->divisor = numfmt_axis_magnitude(maxabs, unit, unit_out, unit_size);
    else
        snprintf(unit_out, unit_size, "%s", unit);
    int dec = 0;
    for (int i = 0; i < tk->t.count; i++) {
        int d = numfmt_decimals_of(tick_value(&tk->t, i) / tk->divisor, NUMFMT_MAX_DECIMALS);
        dec = d > dec ? d : dec;
    }
    for (int i = 0; i < tk->t.count && i < TICKS_MAX; i++) {
        char buf[96];
        numfmt_fixed(buf, sizeof buf, tick_value(&tk->t, i) / tk->divisor, dec,
                     b->vf.style == NUMBER_THOUSANDS);
        text_plain(b, &tk->tb[i], buf, CHART_SMALL_PT, false, PANGO_ALIGN_LEFT);
        tk->maxw = fmax(tk->maxw, tk->tb[i].w);
        tk->h = fmax(tk->h, tk->tb[i].h);
    }
}

/* ---- category labels ---- */

typedef struct catlabels {
    tbox *tb;              /* n */
    double size;
    bool rotated;
    double maxw, maxh;     /* box extents as drawn (rotated: swapped) */
    bool char_broken;
} catlabels;

static void cats_free(build *b, catlabels *c)
{
    if (c->tb)
        for (size_t i = 0; i < b->n; i++)
            tbox_clear(&c->tb[i]);
    free(c->tb);
    memset(c, 0, sizeof *c);
}

static void cats_alloc(build *b, catlabels *c)
{
    cats_free(b, c);
    c->tb = calloc(b->n + 1, sizeof *c->tb);
    if (!c->tb)
        abort();
}

/* All labels at size, wrapped at maxw; true when every word fit and (if
 * max_lines > 0) no label has more lines. */
static bool cats_wrap(build *b, catlabels *c, double size, double maxw, PangoAlignment al,
                      int max_lines, bool char_break)
{
    cats_alloc(b, c);
    c->size = size;
    c->rotated = false;
    bool ok = true;
    for (size_t i = 0; i < b->n; i++) {
        text_wrap_ex(b, &c->tb[i], b->cat[i], size, false, maxw, al, true, char_break, true);
        if (!c->tb[i].ok || (max_lines > 0 && c->tb[i].lines > max_lines))
            ok = false;
        c->maxw = fmax(c->maxw, c->tb[i].w);
        c->maxh = fmax(c->maxh, c->tb[i].h);
    }
    return ok;
}

/* ---- emission helpers ---- */

typedef struct plotbox {
    bool vertical;
    double x0, y0, x1, y1;   /* plot area */
    double slot;
} plotbox;

/* Chart coordinates of the abstract point (u, band position c within row). */
static void to_xy(const plotbox *p, double u, int row, double c, double *x, double *y)
{
    double t = row * p->slot + c;
    if (p->vertical) {
        *x = p->x0 + t;
        *y = p->y1 - u;
    } else {
        *x = p->x0 + u;
        *y = p->y0 + t;
    }
}

static void emit_marks(build *b, const plotbox *p, const vaxis *a)
{
    /* gridlines and baseline */
    for (int i = 0; i < a->t.count; i++) {
        double v = tick_value(&a->t, i);
        if (v == 0)
            continue;
        double u = U(a, v), x0, y0, x1, y1;
        to_xy(p, u, 0, 0, &x0, &y0);
        to_xy(p, u, (int)b->n, 0, &x1, &y1);
        add_shape(b, CHART_SHAPE_LINE, CHART_ROLE_GRID, CHART_LAYER_GRID, x0, y0, x1, y1,
                  b->th->grid);
    }
    for (size_t i = 0; i < b->nmarks; i++) {
        const vmark *m = &b->marks[i];
        double x0, y0, x1, y1;
        if (m->role == CHART_ROLE_TARGET) {
            to_xy(p, U(a, m->v0), m->row, m->c0, &x0, &y0);
            to_xy(p, U(a, m->v0), m->row, m->c1, &x1, &y1);
            chart_shape *s = add_shape(b, CHART_SHAPE_LINE, m->role, CHART_LAYER_MARK, x0, y0, x1,
                                       y1, m->color);
            s->width = 0.9;
            s->index = m->src;
            continue;
        }
        double u0 = U(a, m->v0), u1 = U(a, m->v1);
        /* a non-zero value never vanishes: at least a hairline */
        if (m->v1 != m->v0 && fabs(u1 - u0) < 0.5)
            u1 = u0 + (m->v1 > m->v0 ? 0.5 : -0.5);
        to_xy(p, u0, m->row, m->c0, &x0, &y0);
        to_xy(p, u1, m->row, m->c1, &x1, &y1);
        chart_shape *s = add_shape(b, CHART_SHAPE_RECT, m->role,
                                   m->role == CHART_ROLE_TRACK ? CHART_LAYER_TRACK : CHART_LAYER_BAR,
                                   x0, y0, x1, y1, m->color);
        s->index = m->src;
    }
    double x0, y0, x1, y1;
    to_xy(p, U(a, 0), 0, 0, &x0, &y0);
    to_xy(p, U(a, 0), (int)b->n, 0, &x1, &y1);
    chart_shape *s = add_shape(b, CHART_SHAPE_LINE, CHART_ROLE_BASELINE, CHART_LAYER_AXIS, x0, y0,
                               x1, y1, b->th->baseline);
    s->width = 0.6;
}

static void emit_values(build *b, const plotbox *p, const vaxis *a)
{
    for (size_t i = 0; i < b->nlabs; i++) {
        vlab *l = &b->labs[i];
        if (!l->place || !l->tb.pl)
            continue;
        double len, cross;
        lab_extent(l, p->vertical, &len, &cross);
        double ua = U(a, l->anchor);
        double u0;   /* low-u edge of the label */
        if (l->place == 1)
            u0 = l->dir > 0 ? ua + GAP_VALUE : ua - GAP_VALUE - len;
        else if (l->inside_only)
            u0 = (ua + U(a, l->base)) / 2 - len / 2;
        else
            u0 = l->dir > 0 ? ua - GAP_INSIDE - len : ua + GAP_INSIDE;
        double cmid = (l->t0 + l->t1) / 2;
        if (l->place == 1 && (l->c0 > 0 || l->c1 < p->slot))
            cmid = (l->c0 + l->c1) / 2;
        double c0 = cmid - cross / 2;
        double x, y;
        if (p->vertical) {
            to_xy(p, u0 + len, l->row, c0, &x, &y);   /* top-left */
        } else {
            to_xy(p, u0, l->row, c0, &x, &y);
        }
        chart_rgb color = b->th->text;
        if (l->place == 2)
            color = luminance(l->bar) < 0.45 ? (chart_rgb){1, 1, 1} : (chart_rgb){0.1, 0.1, 0.1};
        if (b->completion && l->row >= 0) {
            size_t r = (size_t)l->row;
            if (!N(b, r, 0) && !N(b, r, 1) && V(b, r, 0) > 0 && b->threshold > 0 &&
                V(b, r, 1) / V(b, r, 0) < b->threshold)
                color = b->th->warn;
        }
        chart_text *t = add_text(b, CHART_TEXT_VALUE, b->src[l->row], &l->tb, x, y,
                                 l->rotated, color);
        t->series = l->series;
    }
}

/* Halo for texts crossed by a grid or reference line. */
static void mark_halos(chart_layout *cl)
{
    for (size_t i = 0; i < cl->ntexts; i++) {
        chart_text *t = &cl->texts[i];
        if (t->role != CHART_TEXT_VALUE && t->role != CHART_TEXT_REFERENCE)
            continue;
        bool in_bar = false;
        for (size_t j = 0; j < cl->nshapes && !in_bar; j++) {
            const chart_shape *s = &cl->shapes[j];
            in_bar = s->kind == CHART_SHAPE_RECT && s->role == CHART_ROLE_BAR &&
                     t->x0 >= s->x0 && t->x1 <= s->x1 && t->y0 >= s->y0 && t->y1 <= s->y1;
        }
        if (in_bar)
            continue;
        for (size_t j = 0; j < cl->nshapes; j++) {
            const chart_shape *s = &cl->shapes[j];
            if (s->kind != CHART_SHAPE_LINE ||
                (s->role != CHART_ROLE_GRID && s->role != CHART_ROLE_REFERENCE))
                continue;
            double lx0 = fmin(s->x0, s->x1), lx1 = fmax(s->x0, s->x1);
            double ly0 = fmin(s->y0, s->y1), ly1 = fmax(s->y0, s->y1);
            if (lx1 >= t->x0 && lx0 <= t->x1 && ly1 >= t->y0 && ly0 <= t->y1) {
                t->halo = true;
                break;
            }
        }
    }
}

/* Reference lines; labels go into the strip outside the plot that the
 * orientation's layout reserved (above the plot or to its right). */
typedef struct refs {
    size_t n;
    tbox tb[32];
    double pos[32];        /* label offset across the strip (rows / y) */
    double strip;          /* strip size: height (horizontal) or width (vertical) */
} refs;

static void refs_free(refs *r)
{
    for (size_t i = 0; i < r->n; i++)
        tbox_clear(&r->tb[i]);
    r->n = 0;
}

static void refs_make(build *b, refs *r)
{
    refs_free(r);
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < b->spec->nrefs && i < 32; i++) {
        const chart_reference *ref = &b->spec->refs[i];
        char num[128], txt[512];
        fmt_value(b, num, sizeof num, ref->value, true);
        if (ref->label && *ref->label)
            snprintf(txt, sizeof txt, "%s %s", ref->label, num);
        else
            snprintf(txt, sizeof txt, "%s", num);
        text_wrap(b, &r->tb[r->n], txt, CHART_SMALL_PT, false, fmax(40, b->W * 0.3),
                  PANGO_ALIGN_LEFT, true, true);
        r->n++;
    }
}

/* ---- the two orientations ---- */

typedef struct attempt {
    frame fr;
    legend lg;
    ticks tk;
    catlabels cats;
    refs rf;
    char unit[64];
} attempt;

/* Records the plot box and what the labels became, then emits the frame
 * (title, notes, axis) and the legend around it: the last step of both
 * orientations. */
static void emit_frame_and_legend(build *b, attempt *at, const plotbox *p, double W, double H,
                                  legend_pos lp, bool rotated, bool value_labels)
{
    b->cl->height = H;
    b->cl->plot_x0 = p->x0;
    b->cl->plot_x1 = p->x1;
    b->cl->plot_y0 = p->y0;
    b->cl->plot_y1 = p->y1;
    b->cl->orientation = p->vertical ? ORIENT_VERTICAL : ORIENT_HORIZONTAL;
    b->cl->label_pt = at->cats.size;
    b->cl->labels_rotated = rotated;
    b->cl->value_labels = value_labels;

    frame_emit(b, &at->fr, H);
    if (!at->lg.n)
        return;
    if (lp == LEGEND_RIGHT)
        legend_emit(b, &at->lg, W - at->lg.w, p->y0);
    else if (lp == LEGEND_BOTTOM)
        legend_emit(b, &at->lg, 0, H - at->fr.notes_h - at->lg.h);
    else
        legend_emit(b, &at->lg, b->th->center_title ? (W - at->lg.w) / 2 : 0, at->fr.top_h);
}

static void attempt_free(build *b, attempt *at)
{
    frame_free(&at->fr);
    legend_free(&at->lg);
    ticks_free(&at->tk);
    cats_free(b, &at->cats);
    refs_free(&at->rf);
}

/* Tries value-label variants until they fit; false if none do. */
static bool place_values(build *b, vaxis *a, bool vertical, bool allow_rotate)
{
    static const double sizes[] = {CHART_SMALL_PT, CHART_MIN_PT};
    for (int rot = 0; rot <= (allow_rotate ? 1 : 0); rot++)
        for (int si = 0; si < 2; si++)
            for (int var = 0; var < 2; var++) {
                bool any_variant = false;
                for (size_t i = 0; i < b->nlabs; i++) {
                    vlab *l = &b->labs[i];
                    const char *txt = l->variant[var] ? l->variant[var] : l->variant[0];
                    if (l->variant[var])
                        any_variant = true;
                    tbox_clear(&l->tb);
                    if (!txt)
                        continue;
                    /* multi-line variants are only for unrotated labels */
                    if (rot && strchr(txt, '\n'))
                        txt = l->variant[0];
                    text_plain(b, &l->tb, txt, sizes[si], false,
                               vertical && !rot ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
                    l->rotated = rot != 0;
                }
                if (var > 0 && !any_variant)
                    continue;
                /* outside the bars if that costs little room, else let
                 * long bars take their label inside */
                if (fit_values(b, a, vertical, false, 0.15) ||
                    fit_values(b, a, vertical, true, 0.45))
                    return true;
            }
    for (size_t i = 0; i < b->nlabs; i++) {
        tbox_clear(&b->labs[i].tb);
        b->labs[i].place = 0;
    }
    a->padA = a->padB = 0;
    return false;
}

static void emit_axis_title(build *b, attempt *at, double x, double y, bool right_align,
                            double maxw)
{
    char *title = axis_title(b, at->unit);
    if (!title)
        return;
    tbox tb;
    text_wrap(b, &tb, title, CHART_SMALL_PT, false, maxw, PANGO_ALIGN_LEFT, false, true);
    if (right_align)
        x -= tb.w;
    if (x < 0)
        x = 0;
    add_text(b, CHART_TEXT_AXIS_TITLE, -1, &tb, x, y, false, b->th->muted);
    g_free(title);
}

static double axis_title_height(build *b, attempt *at, double maxw)
{
    char *title = axis_title(b, at->unit);
    if (!title)
        return 0;
    tbox tb;
    text_wrap(b, &tb, title, CHART_SMALL_PT, false, maxw, PANGO_ALIGN_LEFT, false, true);
    double h = tb.h;
    tbox_clear(&tb);
    g_free(title);
    return h;
}

/* Left edge of tick label i under a horizontal value axis: centred on its
 * tick, kept inside the chart. */
static double tick_left(const ticks *tk, const vaxis *a, double plot_x0, double avail_w, int i)
{
    double w = tk->tb[i].w;
    double x = plot_x0 + U(a, tick_value(&a->t, i)) - w / 2;
    return fmax(0, fmin(x, avail_w - w));
}

/* The legend's place: as asked, except that a legend on the right of a
 * chart narrower than 70 mm would leave no room for the plot. */
static legend_pos legend_position(build *b)
{
    legend_pos lp = b->spec->legend;
    bool has = b->completion || b->k > 1;
    if (lp == LEGEND_RIGHT && has && b->W < MM_TO_PT(70)) {
        if (!strstr(b->warn->str, "legend moved"))
            warnf(b, "legend moved from the right to the top: %.0f mm leave no room beside the plot",
                  b->W * 25.4 / 72);
        return LEGEND_TOP;
    }
    return lp;
}

/* Horizontal bars: categories down the left, values along x.  Always
 * succeeds; the chart grows in height as far as needed. */
static void layout_horizontal(build *b)
{
    attempt at;
    memset(&at, 0, sizeof at);
    double W = b->W;
    frame_make(b, &at.fr);
    legend_pos lp = legend_position(b);
    bool lg_right = lp == LEGEND_RIGHT;
    legend_make(b, &at.lg, lg_right ? W * 0.3 : W, lg_right);
    double lg_w = (lg_right && at.lg.n) ? at.lg.w + GAP_SECTION : 0;
    double lg_top = (!lg_right && lp != LEGEND_BOTTOM && at.lg.n) ? at.lg.h + GAP_SECTION : 0;
    double lg_bot = (lp == LEGEND_BOTTOM && at.lg.n) ? at.lg.h + GAP_SECTION : 0;
    refs_make(b, &at.rf);
    double lh_small = line_height(b, CHART_SMALL_PT);
    double ref_strip = at.rf.n ? lh_small + 2 : 0;   /* first row; grows with dodging */

    double avail_w = W - lg_w;
    double cw_max = avail_w * (avail_w < 220 ? 0.42 : 0.34);
    /* Category label size: 8 pt unless the fixed height needs smaller. */
    static const double sizes[] = {CHART_LABEL_PT, CHART_SMALL_PT, CHART_MIN_PT};
    double top = at.fr.top_h + lg_top;
    double bottom = at.fr.notes_h + lg_bot;
    char unit_tmp[64];
    snprintf(at.unit, sizeof at.unit, "%s", b->spec->unit ? b->spec->unit : "");
    ticks_make(b, &at.tk, 6, unit_tmp, sizeof unit_tmp);
    snprintf(at.unit, sizeof at.unit, "%s", unit_tmp);
    double axis_h = at.tk.h + 2 + axis_title_height(b, &at, avail_w) + 1;
    double vl_h = line_height(b, CHART_SMALL_PT);
    size_t ks = series_slots(b);
    double slot = 0;
    int chosen = -1;
    for (int si = 0; si < 3; si++) {
        bool ok = cats_wrap(b, &at.cats, sizes[si], cw_max, PANGO_ALIGN_RIGHT, 0, false);
        if (!ok) {
            /* a word longer than the column: widen it before shrinking */
            ok = cats_wrap(b, &at.cats, sizes[si], avail_w * 0.55, PANGO_ALIGN_RIGHT, 0, false);
        }
        if (!ok)
            continue;
        double need = fmax(at.cats.maxh + 3, b->grouped ? ks * (vl_h + 0.5) / 0.84 : vl_h + 3);
        if (b->completion)
            need = fmax(need, vl_h + 6);
        double avail_h = b->H - top - bottom - ref_strip - axis_h - GAP_AXIS;
        if (!b->fixed_h || b->n * need <= avail_h + 0.01 || si == 2) {
            chosen = si;
            slot = need;
            break;
        }
    }
    if (chosen < 0) {
        cats_wrap(b, &at.cats, CHART_LABEL_PT, cw_max, PANGO_ALIGN_RIGHT, 0, true);
        warnf(b, "a category label has a word wider than the chart allows even at %.0f pt; "
              "it was broken inside the word", CHART_MIN_PT);
        chosen = 0;
        slot = fmax(at.cats.maxh + 3, b->grouped ? ks * (vl_h + 0.5) / 0.84 : vl_h + 3);
    }
    if (at.cats.size < CHART_LABEL_PT)
        warnf(b, "category labels shrunk to %.0f pt to fit the height", at.cats.size);

    /* Rows: what the labels need, and at least a comfortable pitch. */
    double pref = b->completion ? 26 : b->grouped ? fmax(22, ks * 11.0 + 8) : b->n > 12 ? 16 : 20;
    double avail_h = b->H - top - bottom - ref_strip - axis_h - GAP_AXIS;
    if (b->fixed_h)
        slot = fmax(slot, avail_h / (double)b->n);
    else
        slot = fmax(slot, pref);

    /* Horizontal extent of the plot, value labels and ticks. */
    double plot_x0 = at.cats.maxw + 6;
    vaxis a;
    memset(&a, 0, sizeof a);
    bool have_values = true;
    int max_int = 6;
    double plot_x1 = avail_w;
    for (int guard = 0; guard < 8; guard++) {
        ticks_make(b, &at.tk, max_int, unit_tmp, sizeof unit_tmp);
        double wl = at.tk.tb[0].w, wr = at.tk.tb[at.tk.t.count - 1].w;
        double px0 = fmax(plot_x0, wl / 2);
        plot_x1 = avail_w - fmax(wr / 2, 2);
        a.t = at.tk.t;
        a.lo = at.tk.t.lo;
        a.hi = at.tk.t.hi;
        a.len = plot_x1 - px0;
        plot_x0 = px0;
        make_marks(b, slot, false);
        have_values = place_values(b, &a, false, false);
        if (!have_values)
            a.padA = a.padB = 0;
        /* tick labels must keep apart */
        bool clash = false;
        for (int i = 1; i < at.tk.t.count; i++)
            if (tick_left(&at.tk, &a, plot_x0, avail_w, i) <
                tick_left(&at.tk, &a, plot_x0, avail_w, i - 1) + at.tk.tb[i - 1].w + 6)
                clash = true;
        if (!clash || max_int <= 1)
            break;
        max_int = at.tk.t.count - 2 > 1 ? at.tk.t.count - 2 : 1;
    }
    /* Still too close (a plot narrower than two labels): keep the labels
     * from the largest value down that keep apart; gridlines stay. */
    double kept_left = 1e300;
    for (int i = at.tk.t.count - 1; i >= 0; i--) {
        double x = tick_left(&at.tk, &a, plot_x0, avail_w, i);
        at.tk.hide[i] = x + at.tk.tb[i].w + 4 > kept_left;
        if (!at.tk.hide[i])
            kept_left = x;
    }
    snprintf(at.unit, sizeof at.unit, "%s", unit_tmp);
    /* the final ticks may have changed the unit (万/亿) and so the title */
    axis_h = at.tk.h + 2 + axis_title_height(b, &at, avail_w) + 1;
    if (!have_values)
        warnf(b, "value labels left out: no room for them at this width (%.0f mm)", W * 25.4 / 72);

    /* Reference label rows (dodging), above the plot. */
    double ref_rows_end[32] = {0};
    int ref_row[32] = {0};
    int nrows_ref = at.rf.n ? 1 : 0;
    if (at.rf.n) {
        size_t order[32];
        for (size_t i = 0; i < at.rf.n; i++)
            order[i] = i;
        for (size_t i = 1; i < at.rf.n; i++)     /* by position */
            for (size_t j = i; j > 0 && b->spec->refs[order[j]].value < b->spec->refs[order[j - 1]].value; j--) {
                size_t t = order[j];
                order[j] = order[j - 1];
                order[j - 1] = t;
            }
        for (int r = 0; r < 32; r++)
            ref_rows_end[r] = -1e9;
        for (size_t oi = 0; oi < at.rf.n; oi++) {
            size_t i = order[oi];
            double x = plot_x0 + U(&a, b->spec->refs[i].value) - at.rf.tb[i].w / 2;
            x = fmax(0, fmin(x, avail_w - at.rf.tb[i].w));
            int r = 0;
            while (r < 31 && x < ref_rows_end[r] + 4)
                r++;
            ref_row[i] = r;
            ref_rows_end[r] = x + at.rf.tb[i].w;
            at.rf.pos[i] = x;
            if (r + 1 > nrows_ref)
                nrows_ref = r + 1;
        }
        double rowh = 0;
        for (size_t i = 0; i < at.rf.n; i++)
            rowh = fmax(rowh, at.rf.tb[i].h);
        ref_strip = nrows_ref * (rowh + 1) + 2;
    }

    double plot_y0 = top + ref_strip;
    double plot_y1 = plot_y0 + slot * b->n;
    double H = plot_y1 + GAP_AXIS + axis_h + bottom;
    if (lg_right && at.lg.n)
        H = fmax(H, plot_y0 + at.lg.h + bottom);
    if (b->fixed_h) {
        if (H > b->H + 0.5)
            warnf(b, "chart grown from %.1f mm to %.1f mm to fit %zu category labels",
                  b->H * 25.4 / 72, H * 25.4 / 72, b->n);
        H = fmax(H, b->H);
    }
    plotbox p = {.vertical = false, .x0 = plot_x0, .y0 = plot_y0, .x1 = plot_x1, .y1 = plot_y1,
                 .slot = slot};
    emit_frame_and_legend(b, &at, &p, W, H, lp, false, have_values);
    emit_marks(b, &p, &a);
    /* references */
    double ref_rowh = 0;
    for (size_t i = 0; i < at.rf.n; i++)
        ref_rowh = fmax(ref_rowh, at.rf.tb[i].h);
    for (size_t i = 0; i < at.rf.n; i++) {
        double x = plot_x0 + U(&a, b->spec->refs[i].value);
        double rowh = ref_rowh;
        double ly = top + ref_row[i] * (rowh + 1);
        chart_shape *s = add_shape(b, CHART_SHAPE_LINE, CHART_ROLE_REFERENCE, CHART_LAYER_MARK, x,
                                   ly + rowh, x, plot_y1, b->th->ref);
        s->width = 0.6;
        s->dash = 2.5;
        add_text(b, CHART_TEXT_REFERENCE, (int)i, &at.rf.tb[i], at.rf.pos[i], ly, false, b->th->ref);
    }
    /* categories */
    for (size_t r = 0; r < b->n; r++) {
        tbox *tb = &at.cats.tb[r];
        double x = plot_x0 - 6 - tb->w;
        double y = plot_y0 + r * slot + (slot - tb->h) / 2;
        add_text(b, CHART_TEXT_CATEGORY, b->src[r], tb, fmax(0, x), y, false, b->th->text);
    }
    emit_values(b, &p, &a);
    /* ticks and axis title */
    double ty = plot_y1 + 2;
    for (int i = 0; i < at.tk.t.count; i++) {
        if (at.tk.hide[i])
            continue;
        double x = tick_left(&at.tk, &a, plot_x0, avail_w, i);
        add_text(b, CHART_TEXT_TICK, i, &at.tk.tb[i], x, ty, false, b->th->muted);
    }
    emit_axis_title(b, &at, plot_x1 + fmax(at.tk.tb[0].w, 0) * 0, ty + at.tk.h + 1, true, avail_w);
    attempt_free(b, &at);
}

/* Vertical bars: categories along x under the plot.  False when the
 * categories or the value labels cannot fit the width even rotated and at
 * the minimum size; the caller then draws horizontal bars. */
static bool layout_vertical(build *b)
{
    attempt at;
    memset(&at, 0, sizeof at);
    double W = b->W;
    frame_make(b, &at.fr);
    legend_pos lp = legend_position(b);
    bool lg_right = lp == LEGEND_RIGHT;
    legend_make(b, &at.lg, lg_right ? W * 0.3 : W, lg_right);
    double lg_w = (lg_right && at.lg.n) ? at.lg.w + GAP_SECTION : 0;
    double lg_top = (!lg_right && lp != LEGEND_BOTTOM && at.lg.n) ? at.lg.h + GAP_SECTION : 0;
    double lg_bot = (lp == LEGEND_BOTTOM && at.lg.n) ? at.lg.h + GAP_SECTION : 0;
    refs_make(b, &at.rf);
    double ref_w = 0;
    for (size_t i = 0; i < at.rf.n; i++)
        ref_w = fmax(ref_w, at.rf.tb[i].w + 3);
    double top = at.fr.top_h + lg_top;
    double bottom = at.fr.notes_h + lg_bot;
    char unit_tmp[64];
    ticks_make(b, &at.tk, 6, unit_tmp, sizeof unit_tmp);
    snprintf(at.unit, sizeof at.unit, "%s", unit_tmp);
    double title_h = axis_title_height(b, &at, W);
    double plot_y0 = top + (title_h > 0 ? title_h + 2 : 0) + at.tk.h / 2;

    double avail_w = W - lg_w - ref_w;
    double plot_h_pref = fmin(fmax(W * 0.34, 110), 180);
    int max_int = 6;
    double plot_x0 = 0, plot_x1 = avail_w, slot = 0, plot_y1 = 0, H = b->H;
    bool rotated = false;
    vaxis a;
    memset(&a, 0, sizeof a);
    bool ok = false;
    static const double sizes[] = {CHART_LABEL_PT, CHART_SMALL_PT, CHART_MIN_PT};
    for (int guard = 0; guard < 6; guard++) {
        ticks_make(b, &at.tk, max_int, unit_tmp, sizeof unit_tmp);
        snprintf(at.unit, sizeof at.unit, "%s", unit_tmp);
        title_h = axis_title_height(b, &at, W);     /* the unit may have changed */
        plot_y0 = top + (title_h > 0 ? title_h + 2 : 0) + at.tk.h / 2;
        plot_x0 = at.tk.maxw + GAP_AXIS;
        plot_x1 = avail_w - 1;
        slot = (plot_x1 - plot_x0) / (double)b->n;
        /* category labels: wrap, shrink, rotate */
        double aw = slot - 3;
        bool cats_ok = false;
        rotated = false;
        for (int si = 0; si < 3 && !cats_ok; si++)
            cats_ok = aw > 4 && cats_wrap(b, &at.cats, sizes[si], aw, PANGO_ALIGN_CENTER,
                                          MAX_LABEL_LINES, false);
        if (!cats_ok) {
            /* rotated: one line, or wrapped to at most 40 % of the height */
            double max_len = b->fixed_h ? fmax(60, b->H * 0.4) : fmax(100, W * 0.25);
            for (int si = 0; si < 3 && !cats_ok; si++) {
                double lh = line_height(b, sizes[si]);
                if (lh > aw + 0.01)
                    continue;
                int max_lines = (int)floor((aw + 0.01) / lh);
                cats_ok = cats_wrap(b, &at.cats, sizes[si], max_len, PANGO_ALIGN_RIGHT, max_lines,
                                    false);
            }
            if (cats_ok) {
                rotated = true;
                double mw = at.cats.maxw;
                at.cats.maxw = at.cats.maxh;
                at.cats.maxh = mw;
                at.cats.rotated = true;
            }
        }
        if (!cats_ok) {
            attempt_free(b, &at);
            warnf(b, "category labels do not fit under %zu vertical bars in %.0f mm, even wrapped, "
                  "at %.0f pt or rotated; drawn as horizontal bars",
                  b->n, W * 25.4 / 72, CHART_MIN_PT);
            return false;
        }
        double band = at.cats.maxh + GAP_AXIS;
        plot_y1 = (b->fixed_h ? b->H : 0) - bottom - band;
        double plot_h = plot_y1 - plot_y0;
        double min_h = fmax(60, b->n > 0 ? 40 : 40);
        if (!b->fixed_h) {
            plot_h = plot_h_pref;
            plot_y1 = plot_y0 + plot_h;
            H = plot_y1 + band + bottom;
        } else if (plot_h < min_h) {
            plot_h = min_h;
            plot_y1 = plot_y0 + plot_h;
            H = plot_y1 + band + bottom;
        } else {
            H = b->H;
        }
        a.t = at.tk.t;
        a.lo = at.tk.t.lo;
        a.hi = at.tk.t.hi;
        a.len = plot_h;
        make_marks(b, slot, true);
        if (!place_values(b, &a, true, !b->completion)) {
            attempt_free(b, &at);
            warnf(b, "value labels do not fit over %zu bars in %.0f mm; drawn as horizontal bars",
                  b->n, W * 25.4 / 72);
            return false;
        }
        /* ticks at least a label height apart */
        bool clash = false;
        for (int i = 1; i < at.tk.t.count; i++)
            if (U(&a, tick_value(&a.t, i)) - U(&a, tick_value(&a.t, i - 1)) < at.tk.h + 3)
                clash = true;
        if (clash && max_int > 1) {
            max_int = at.tk.t.count - 2 > 1 ? at.tk.t.count - 2 : 1;
            continue;
        }
        ok = true;
        break;
    }
    if (!ok) {
        attempt_free(b, &at);
        return false;
    }
    snprintf(at.unit, sizeof at.unit, "%s", unit_tmp);
    if (lg_right && at.lg.n)
        H = fmax(H, plot_y0 + at.lg.h + bottom);
    /* Reference labels right of the plot, each beside its line as far as
     * they keep apart: pushed down from the top, then up from the bottom
     * limit; the chart grows if they cannot all fit. */
    size_t ref_order[32];
    double ref_y[32];
    if (at.rf.n) {
        for (size_t i = 0; i < at.rf.n; i++)
            ref_order[i] = i;
        for (size_t i = 1; i < at.rf.n; i++)     /* top (largest) first */
            for (size_t j = i; j > 0 && b->spec->refs[ref_order[j]].value >
                                          b->spec->refs[ref_order[j - 1]].value; j--) {
                size_t t = ref_order[j];
                ref_order[j] = ref_order[j - 1];
                ref_order[j - 1] = t;
            }
        double lo = plot_y0 - at.tk.h / 2, need = 0;
        for (size_t oi = 0; oi < at.rf.n; oi++)
            need += at.rf.tb[ref_order[oi]].h + GAP_TEXT;
        H = fmax(H, lo + need + bottom);
        double hi = H - bottom;
        double prev_end = lo - GAP_TEXT;
        for (size_t oi = 0; oi < at.rf.n; oi++) {
            size_t i = ref_order[oi];
            double y = plot_y1 - U(&a, b->spec->refs[i].value);
            ref_y[oi] = fmax(y - at.rf.tb[i].h / 2, prev_end + GAP_TEXT);
            prev_end = ref_y[oi] + at.rf.tb[i].h;
        }
        double next_top = hi + GAP_TEXT;
        for (size_t oi = at.rf.n; oi-- > 0;) {
            size_t i = ref_order[oi];
            ref_y[oi] = fmin(ref_y[oi], next_top - GAP_TEXT - at.rf.tb[i].h);
            next_top = ref_y[oi];
        }
    }
    if (at.cats.size < CHART_LABEL_PT)
        warnf(b, "category labels shrunk to %.0f pt to fit %zu categories across %.0f mm",
              at.cats.size, b->n, W * 25.4 / 72);
    if (rotated)
        warnf(b, "category labels rotated to fit %zu categories across %.0f mm", b->n,
              W * 25.4 / 72);
    if (b->fixed_h && H > b->H + 0.5)
        warnf(b, "chart grown from %.1f mm to %.1f mm to keep the plot readable", b->H * 25.4 / 72,
              H * 25.4 / 72);

    plotbox p = {.vertical = true, .x0 = plot_x0, .y0 = plot_y0, .x1 = plot_x1, .y1 = plot_y1,
                 .slot = slot};
    emit_frame_and_legend(b, &at, &p, W, H, lp, rotated, true);
    emit_axis_title(b, &at, 0, top, false, W);
    emit_marks(b, &p, &a);
    /* references: line across the plot, label in the right strip */
    for (size_t oi = 0; oi < at.rf.n; oi++) {
        size_t i = ref_order[oi];
        double y = plot_y1 - U(&a, b->spec->refs[i].value);
        chart_shape *s = add_shape(b, CHART_SHAPE_LINE, CHART_ROLE_REFERENCE, CHART_LAYER_MARK,
                                   plot_x0, y, plot_x1 + 2, y, b->th->ref);
        s->width = 0.6;
        s->dash = 2.5;
        add_text(b, CHART_TEXT_REFERENCE, (int)i, &at.rf.tb[i], plot_x1 + 3, ref_y[oi], false,
                 b->th->ref);
    }
    /* categories under the plot */
    for (size_t r = 0; r < b->n; r++) {
        tbox *tb = &at.cats.tb[r];
        double cx = plot_x0 + (r + 0.5) * slot;
        double bw = rotated ? tb->h : tb->w;
        add_text(b, CHART_TEXT_CATEGORY, b->src[r], tb, cx - bw / 2, plot_y1 + GAP_AXIS, rotated,
                 b->th->text);
    }
    emit_values(b, &p, &a);
    for (int i = 0; i < at.tk.t.count; i++) {
        tbox *tb = &at.tk.tb[i];
        double y = plot_y1 - U(&a, tick_value(&a.t, i)) - tb->h / 2;
        add_text(b, CHART_TEXT_TICK, i, tb, plot_x0 - GAP_AXIS - tb->w, y, false, b->th->muted);
    }
    attempt_free(b, &at);
    return true;
}

static void layout_empty(build *b)
{
    frame fr;
    frame_make(b, &fr);
    double H = b->fixed_h ? b->H : fr.top_h + 60 + fr.notes_h;
    b->cl->height = H;
    frame_emit(b, &fr, H);
    tbox tb;
    text_plain(b, &tb, "无数据", CHART_LABEL_PT, false, PANGO_ALIGN_CENTER);
    double y = fr.top_h + (H - fr.top_h - fr.notes_h - tb.h) / 2;
    add_text(b, CHART_TEXT_EMPTY, -1, &tb, (b->W - tb.w) / 2, y, false, b->th->muted);
    frame_free(&fr);
}

/* ---- public entry points ---- */

/* pdf: the chart is drawn only into a PDF (engine_pdf_context). */
static chart_layout *build_layout(brief_engine *engine, const chart_spec *spec, double width_pt,
                                  double height_pt, bool fixed_height, const char *file,
                                  brief_diag *diag, bool pdf)
{
    chart_layout *cl = calloc(1, sizeof *cl);
    if (!cl) {
        diag_error(diag, BRIEF_E_OSERR, file, "out of memory");
        return NULL;
    }
    cl->ctx = pdf ? engine_pdf_context(engine) : engine_context(engine);
    if (width_pt < 72)
        width_pt = 72;        /* one inch: below that nothing is legible */
    cl->width = width_pt;
    build b;
    memset(&b, 0, sizeof b);
    b.cl = cl;
    b.spec = spec;
    b.th = (spec->theme && strcmp(spec->theme, "official") == 0) ? &theme_official : &theme_default;
    b.family = engine_family(engine, spec->face ? spec->face : "sans");
    b.file = file;
    b.diag = diag;
    /* Everything is laid out inside a small inset, so no glyph sits on the
     * edge of an exported page (text extractors drop characters whose
     * origin falls on the page boundary). */
    b.W = width_pt - 2 * CHART_INSET;
    b.H = (height_pt > 0 ? height_pt : 200) - 2 * CHART_INSET;
    b.fixed_h = fixed_height && height_pt > 0;
    b.warn = g_string_new(NULL);
    b.nulls = g_string_new(NULL);
    resolve_data(&b);
    resolve_numbers(&b);
    /* completion flags need the marks once before the legend is made */
    if (b.completion) {
        make_marks(&b, 20, false);
        clear_marks(&b);
    }
    if (b.n == 0) {
        layout_empty(&b);
    } else {
        bool done = false;
        if (spec->orientation == ORIENT_VERTICAL) {
            done = layout_vertical(&b);
            if (!done) {
                reset_layout(cl);
                clear_marks(&b);
            }
        }
        if (!done)
            layout_horizontal(&b);
    }
    for (size_t i = 0; i < cl->ntexts; i++) {
        chart_text *t = &cl->texts[i];
        t->x0 += CHART_INSET;
        t->x1 += CHART_INSET;
        t->y0 += CHART_INSET;
        t->y1 += CHART_INSET;
    }
    for (size_t i = 0; i < cl->nshapes; i++) {
        chart_shape *sh = &cl->shapes[i];
        sh->x0 += CHART_INSET;
        sh->x1 += CHART_INSET;
        sh->y0 += CHART_INSET;
        sh->y1 += CHART_INSET;
    }
    cl->plot_x0 += CHART_INSET;
    cl->plot_x1 += CHART_INSET;
    cl->plot_y0 += CHART_INSET;
    cl->plot_y1 += CHART_INSET;
    cl->height += 2 * CHART_INSET;
    mark_halos(cl);
    if (b.nnull)
        warnf(&b, "%zu null value%s shown as %s (—), not as zero: %s", b.nnull,
              b.nnull > 1 ? "s" : "", b.nnull > 1 ? "gaps" : "a gap", b.nulls->str);
    flush_warnings(&b);
    clear_marks(&b);
    free(b.marks);
    free(b.labs);
    for (size_t i = 0; i < b.n; i++)
        g_free(b.cat[i]);
    free(b.cat);
    free(b.src);
    free(b.val);
    free(b.nul);
    free(b.sname);
    free(b.scol);
    g_string_free(b.warn, TRUE);
    g_string_free(b.nulls, TRUE);
    return cl;
}

chart_layout *chart_layout_build(brief_engine *engine, const chart_spec *spec, double width_pt,
                                 double height_pt, bool fixed_height, const char *file,
                                 brief_diag *diag)
{
    return build_layout(engine, spec, width_pt, height_pt, fixed_height, file, diag, false);
}

chart_layout *chart_layout_new(brief_engine *engine, const chart_spec *spec, double width_pt,
                               double height_pt, const char *file, brief_diag *diag)
{
    return build_layout(engine, spec, width_pt, height_pt, spec->height_pt > 0, file, diag, true);
}

void chart_layout_free(chart_layout *cl)
{
    if (!cl)
        return;
    reset_layout(cl);
    free(cl->texts);
    free(cl->shapes);
    if (cl->ctx)
        g_object_unref(cl->ctx);
    free(cl);
}

double chart_layout_height(const chart_layout *cl)
{
    return cl ? cl->height : 0;
}

void chart_natural_size(const chart_spec *spec, double avail_width_pt, double *width_pt,
                        double *height_pt)
{
    double W = spec->width_pt > 0 ? spec->width_pt : avail_width_pt;
    if (spec->width_pt <= 0 && spec->kind == CHART_BAR && spec->orientation == ORIENT_VERTICAL) {
        /* A few vertical bars spread over the whole measure look empty:
         * give each bar slot about 1 cm, never less than 60 % of it. */
        size_t slots = (spec->data ? spec->data->nrows : 1) * (spec->nvalues ? spec->nvalues : 1);
        double want = fmax(0.6 * avail_width_pt, 90 + 30.0 * (double)slots);
        W = fmin(W, want);
    }
    if (W < 72)
        W = 72;
    double H = spec->height_pt;
    if (H <= 0) {
        size_t n = spec->data ? spec->data->nrows : 0;
        size_t k = spec->kind == CHART_COMPLETION ? 1 : spec->nvalues;
        bool grouped = spec->kind == CHART_BAR && spec->stacked == STACK_NONE && k > 1;
        double top = (spec->title && *spec->title ? 20 : 0) +
                     (spec->subtitle && *spec->subtitle ? 13 : 0) + (grouped ? 16 : 0) +
                     (spec->kind == CHART_COMPLETION ? 16 : 0);
        double note = spec->note && *spec->note ? 10 + 10 * (strlen(spec->note) * 2.3 / W) : 0;
        if (spec->kind == CHART_COMPLETION || spec->orientation == ORIENT_HORIZONTAL) {
            double row = spec->kind == CHART_COMPLETION ? 26 : grouped ? fmax(22, k * 11.0 + 8) : 20;
            H = top + 12 + n * row + 26 + note;
        } else {
            H = top + 12 + fmin(fmax(W * 0.34, 110), 180) + 30 + note;
        }
    }
    if (width_pt)
        *width_pt = W;
    if (height_pt)
        *height_pt = H;
}

size_t chart_layout_text_count(const chart_layout *cl)
{
    return cl ? cl->ntexts : 0;
}

const chart_text *chart_layout_text(const chart_layout *cl, size_t i)
{
    return (cl && i < cl->ntexts) ? &cl->texts[i] : NULL;
}

size_t chart_layout_shape_count(const chart_layout *cl)
{
    return cl ? cl->nshapes : 0;
}

const chart_shape *chart_layout_shape(const chart_layout *cl, size_t i)
{
    return (cl && i < cl->nshapes) ? &cl->shapes[i] : NULL;
}
