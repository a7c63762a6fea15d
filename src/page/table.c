/*
 * table.c — setting and painting a table block (the 三线表 of Chinese
 * statistical publications, or a grid).
 *
 * Takes a table_spec (model/blocks.h), a measure and the fonts; gives a
 * table_layout (page/table.h): every cell set once by the text engine
 * (word breaks of words.c, the clreq rules), column widths from content
 * the way a browser's automatic table layout does (min-content and
 * max-content widths, the room between them shared in proportion), numbers
 * printed by numfmt and aligned on their decimal point, rows measured.
 * A table too wide for the measure is set again in smaller type, half a
 * point at a time down to TABLE_MIN_SIZE_PT; past that it is refused with
 * the width it needs.  Painting draws the parts layout.c chose and decides
 * nothing.
 */
#include "page/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text_internal.h"
#include "text/words.h"
#include "util/diag.h"
#include "util/numfmt.h"

#define HEAVY_RULE_PT 1.0          /* top and bottom of a 三线表 */
#define LIGHT_RULE_PT 0.5          /* under the header, under group labels, grid lines */
#define SIZE_STEP_PT 0.5
#define TITLE_GAP_EM 0.4           /* between the title and the top rule */
#define NOTE_GAP_EM 0.35           /* between the bottom rule and the note */
#define CELL_PITCH 1.4             /* baseline pitch of cell text / type size */
#define NULL_MARK "—"              /* a missing value (docs/format.md) */

static const double INK_RGB[3] = {0.08, 0.08, 0.08};

static text_style cell_style(const table_fonts *f, double size, bool head, text_align align)
{
    text_style st = {
        .family = head ? f->head_family : f->body_family,
        .size_pt = size, .weight = 400, .pitch_pt = size * CELL_PITCH,
        .indent_em = 0, .align = align,
        .cjk_latin_space_em = f->cjk_latin_space_em,
        .normalize_punctuation = f->normalize_punctuation,
        .rgb = {INK_RGB[0], INK_RGB[1], INK_RGB[2]},
        .word_breaks = true,
    };
    return st;
}

/* ---- measuring a text: max-content and min-content widths ---- */

static double line_width(const text_block *tb, int i)
{
    text_line_info li;
    return text_block_line(tb, i, &li) ? li.x_pt + li.width_pt : 0;
}

static double natural_width(const text_block *tb)
{
    double w = 0;
    for (int i = 0; i < text_block_line_count(tb); i++)
        w = fmax(w, line_width(tb, i));
    return w;
}

/* The widest piece between two allowed word breaks of a text set on one
 * line (forced \n breaks aside): the narrowest the column may become
 * without breaking inside a word. */
static double min_content_width(const text_block *tb)
{
    const char *s = text_block_text(tb);
    int len = (int)strlen(s), nc = text_block_cluster_count(tb);
    if (nc == 0)
        return 0;
    int *pos = malloc((size_t)(len + 1) * sizeof *pos);
    if (!pos)
        return natural_width(tb);
    int nb = words_label_breaks(s, pos, len + 1);
    if (nb < 0)
        nb = 0;
    double best = 0, cur = 0;
    int b = 0;
    for (int k = 0; k < nc; k++) {
        text_cluster_info ci;
        text_block_cluster(tb, k, &ci);
        while (b < nb && pos[b] <= ci.start) {
            if (pos[b] == ci.start) {
                best = fmax(best, cur);
                cur = 0;
            }
            b++;
        }
        if (k > 0) {
            text_cluster_info prev;
            text_block_cluster(tb, k - 1, &prev);
            if (prev.line != ci.line) {
                best = fmax(best, cur);
                cur = 0;
            }
        }
        bool space = ci.end - ci.start == 1 && s[ci.start] == ' ';
        cur += space ? 0 : ci.natural + ci.glue;
    }
    free(pos);
    return fmax(best, cur);
}

/* x of the decimal point of a number set on one line (its width if it has
 * none): the number is placed so that this x is the column's. */
static double point_x(const text_block *tb)
{
    const char *s = text_block_text(tb);
    const char *dot = strchr(s, '.');
    if (!dot)
        return natural_width(tb);
    int at = (int)(dot - s);
    for (int k = 0; k < text_block_cluster_count(tb); k++) {
        text_cluster_info ci;
        if (text_block_cluster(tb, k, &ci) && ci.start == at)
            return ci.x;
    }
    return natural_width(tb);
}

/* ---- the cells ---- */

static char *header_label(const dataset *d, const table_column *c)
{
    const char *name = d->columns[c->col];
    size_t n = strlen(name) + strlen(c->unit) + 8;
    char *s = malloc(n);
    if (!s)
        return NULL;
    if (*c->unit)
        snprintf(s, n, "%s（%s）", name, c->unit);
    else
        snprintf(s, n, "%s", name);
    return s;
}

/* A cell's decimals: the column's when given (on the table or the
 * dataset), else the cell's own as written — in a table of main indicators
 * each row is a different quantity (元, 亿元, %), and 42350 元 must not
 * read 42350.0 because a growth rate above it has a decimal. */
static int cell_decimals(const table_column *c, double v)
{
    if (c->decimals >= 0)
        return c->decimals;
    return numfmt_series_decimals(&v, NULL, 1, 1, NUMFMT_AUTO_MAX_DECIMALS);
}

static bool set_number(PangoContext *ctx, const table_fonts *f, double size, table_cell *tc,
                       const table_spec *t, double v, int decimals)
{
    char buf[64];
    /* the minus and the rounding charts print (their value format's) */
    numfmt_round(buf, sizeof buf, v, decimals, false,
                 t->rounding == 1 ? NUMFMT_HALF_EVEN : NUMFMT_HALF_AWAY,
                 t->minus_hyphen ? NUMFMT_MINUS_HYPHEN : NUMFMT_MINUS_SIGN);
    text_style st = cell_style(f, size, false, TEXT_LEFT);
    st.cjk_latin_space_em = 0;
    tc->tb = text_block_new(ctx, &st, buf, 0);
    tc->number = true;
    return tc->tb != NULL;
}

static bool set_text(PangoContext *ctx, const table_fonts *f, double size, table_cell *tc,
                     const char *s, bool head, text_align align)
{
    text_style st = cell_style(f, size, head, align);
    tc->tb = text_block_new(ctx, &st, s, 0);
    return tc->tb != NULL;
}

/* The sum of a column and its decimals: the column's, else the most any
 * of its cells is written with. */
static double sum_column(const dataset *d, const table_column *c, int *dec)
{
    double s = 0;
    *dec = c->decimals > 0 ? c->decimals : 0;
    for (size_t r = 0; r < d->nrows; r++) {
        const cell *k = dataset_cell(d, r, c->col);
        if (k->kind == CELL_NUMBER) {
            s += k->number;
            int own = cell_decimals(c, k->number);
            *dec = own > *dec ? own : *dec;
        }
    }
    return s;
}

static bool set_body(table_layout *tl, PangoContext *ctx, const table_fonts *f)
{
    const table_spec *t = tl->spec;
    const dataset *d = t->data;
    bool total = t->total && *t->total;
    for (size_t r = 0; r < d->nrows; r++)
        for (size_t c = 0; c < tl->ncols; c++) {
            table_cell *tc = &tl->cells[r * tl->ncols + c];
            const cell *k = dataset_cell(d, r, t->cols[c].col);
            bool ok = true;
            if (k->kind == CELL_NUMBER)
                ok = set_number(ctx, f, tl->size_pt, tc, t, k->number,
                                cell_decimals(&t->cols[c], k->number));
            else if (k->kind == CELL_TEXT)
                ok = set_text(ctx, f, tl->size_pt, tc, k->text, false, TEXT_LEFT);
            else {
                ok = set_text(ctx, f, tl->size_pt, tc, NULL_MARK, false, TEXT_LEFT);
                tc->number = t->cols[c].numeric;
            }
            if (!ok)
                return false;
        }
    if (!total)
        return true;
    size_t r = d->nrows;
    bool labelled = false;
    for (size_t c = 0; c < tl->ncols; c++) {
        table_cell *tc = &tl->cells[r * tl->ncols + c];
        bool ok = true;
        int dec;
        if (t->cols[c].summed) {
            double sum = sum_column(d, &t->cols[c], &dec);
            ok = set_number(ctx, f, tl->size_pt, tc, t, sum, dec);
        }
        else if (!labelled) {
            ok = set_text(ctx, f, tl->size_pt, tc, t->total, false, TEXT_LEFT);
            labelled = true;
        }
        if (!ok)
            return false;
    }
    return true;
}

static bool set_header(table_layout *tl, PangoContext *ctx, const table_fonts *f)
{
    const table_spec *t = tl->spec;
    for (size_t c = 0; c < tl->ncols; c++) {
        char *s = header_label(t->data, &t->cols[c]);
        if (!s)
            return false;
        bool ok = set_text(ctx, f, tl->size_pt, &tl->head[c], s, true, TEXT_CENTER);
        free(s);
        if (!ok)
            return false;
    }
    for (size_t g = 0; g < t->ngroups; g++)
        if (!set_text(ctx, f, tl->size_pt, &tl->group_head[g], t->groups[g].label, true,
                      TEXT_CENTER))
            return false;
    return true;
}

/* ---- column widths ---- */

typedef struct widths {
    double *min, *max;
} widths;

static void cell_widths(const table_cell *tc, double *mn, double *mx)
{
    if (!tc->tb)
        return;
    double nat = natural_width(tc->tb);
    *mx = fmax(*mx, nat);
    *mn = fmax(*mn, tc->number ? nat : min_content_width(tc->tb));
}

/* Numbers: the widest integer part plus the widest fraction, so that the
 * points align and the widest number still fits. */
static double number_width(const table_layout *tl, size_t c, double *int_w)
{
    double iw = 0, fw = 0;
    for (size_t r = 0; r < tl->nrows; r++) {
        const table_cell *tc = &tl->cells[r * tl->ncols + c];
        if (!tc->tb || !tc->number || strcmp(text_block_text(tc->tb), NULL_MARK) == 0)
            continue;
        double px = point_x(tc->tb);
        iw = fmax(iw, px);
        fw = fmax(fw, natural_width(tc->tb) - px);
    }
    *int_w = iw;
    return iw + fw;
}

static void content_widths(const table_layout *tl, widths *w)
{
    const table_spec *t = tl->spec;
    for (size_t c = 0; c < tl->ncols; c++) {
        double mn = 0, mx = 0;
        cell_widths(&tl->head[c], &mn, &mx);
        for (size_t r = 0; r < tl->nrows; r++) {
            const table_cell *tc = &tl->cells[r * tl->ncols + c];
            if (tc->number) {
                double iw, nw = number_width(tl, c, &iw);
                mn = fmax(mn, nw);
                mx = fmax(mx, nw);
                if (tc->tb)
                    mn = fmax(mn, natural_width(tc->tb));
            } else {
                cell_widths(tc, &mn, &mx);
            }
        }
        w->min[c] = mn + 2 * tl->pad_pt;
        w->max[c] = fmax(mx, mn) + 2 * tl->pad_pt;
    }
    /* A group label needs its span. */
    for (size_t g = 0; g < t->ngroups; g++) {
        double gmn = 0, gmx = 0;
        cell_widths(&tl->group_head[g], &gmn, &gmx);
        gmn += 2 * tl->pad_pt;
        gmx += 2 * tl->pad_pt;
        double smn = 0, smx = 0;
        size_t a = t->groups[g].first, n = t->groups[g].count;
        for (size_t c = a; c < a + n; c++) {
            smn += w->min[c];
            smx += w->max[c];
        }
        for (size_t c = a; c < a + n; c++) {
            if (gmn > smn)
                w->min[c] += (gmn - smn) / n;
            if (gmx > smx)
                w->max[c] += (gmx - smx) / n;
            w->max[c] = fmax(w->max[c], w->min[c]);
        }
    }
}

/* The table takes the whole measure: each column gets its min-content
 * width and the rest is shared in proportion to what more it could use
 * (max - min), then, when every column is at its max, in proportion to
 * its max. */
static void distribute(table_layout *tl, const widths *w, double measure)
{
    double smn = 0, smx = 0;
    for (size_t c = 0; c < tl->ncols; c++) {
        smn += w->min[c];
        smx += w->max[c];
    }
    double x = 0;
    for (size_t c = 0; c < tl->ncols; c++) {
        double cw;
        if (smx <= measure)
            cw = w->max[c] + (measure - smx) * w->max[c] / smx;
        else
            cw = w->min[c] + (w->max[c] - w->min[c]) * (measure - smn) / (smx - smn);
        tl->col_x_pt[c] = x;
        tl->col_w_pt[c] = cw;
        x += cw;
    }
    tl->width_pt = x;
}

/* ---- rows and placement inside cells ---- */

static bool wrap_cells(table_layout *tl, PangoContext *ctx, const table_fonts *f)
{
    size_t nhead = tl->ncols + tl->spec->ngroups;
    size_t total = tl->nrows * tl->ncols + nhead;
    for (size_t i = 0; i < total; i++) {
        table_cell *tc;
        double inner;
        bool head = i >= tl->nrows * tl->ncols;
        if (!head) {
            tc = &tl->cells[i];
            inner = tl->col_w_pt[i % tl->ncols] - 2 * tl->pad_pt;
        } else if (i - tl->nrows * tl->ncols < tl->ncols) {
            size_t c = i - tl->nrows * tl->ncols;
            tc = &tl->head[c];
            inner = tl->col_w_pt[c] - 2 * tl->pad_pt;
        } else {
            const table_group *g = &tl->spec->groups[i - tl->nrows * tl->ncols - tl->ncols];
            tc = &tl->group_head[i - tl->nrows * tl->ncols - tl->ncols];
            inner = -2 * tl->pad_pt;
            for (size_t c = g->first; c < g->first + g->count; c++)
                inner += tl->col_w_pt[c];
        }
        if (!tc->tb || tc->number)
            continue;
        text_style st = cell_style(f, tl->size_pt, head, head ? TEXT_CENTER : TEXT_LEFT);
        if (head || natural_width(tc->tb) > inner + 0.01) {
            text_block *nb = text_block_new(ctx, &st, text_block_text(tc->tb), inner);
            if (!nb)
                return false;
            text_block_free(tc->tb);
            tc->tb = nb;
        }
        tc->x_pt = tl->pad_pt;
    }
    return true;
}

static void place_numbers(table_layout *tl)
{
    for (size_t c = 0; c < tl->ncols; c++) {
        double iw = 0, nw = number_width(tl, c, &iw);
        /* right-aligned block of numbers, points at one x */
        tl->dot_x_pt[c] = tl->col_w_pt[c] - tl->pad_pt - (nw - iw);
        for (size_t r = 0; r < tl->nrows; r++) {
            table_cell *tc = &tl->cells[r * tl->ncols + c];
            if (!tc->tb || !tc->number)
                continue;
            if (strcmp(text_block_text(tc->tb), NULL_MARK) == 0)
                tc->x_pt = (tl->col_w_pt[c] - natural_width(tc->tb)) / 2;
            else
                tc->x_pt = tl->dot_x_pt[c] - point_x(tc->tb);
        }
    }
}

static double cell_height(const table_cell *tc)
{
    return tc->tb ? text_block_height(tc->tb, 0, text_block_line_count(tc->tb)) : 0;
}

static void measure_rows(table_layout *tl)
{
    double pitch = tl->size_pt * CELL_PITCH;
    for (size_t r = 0; r < tl->nrows; r++) {
        double h = pitch;
        for (size_t c = 0; c < tl->ncols; c++)
            h = fmax(h, cell_height(&tl->cells[r * tl->ncols + c]));
        tl->row_h_pt[r] = h + 2 * tl->vpad_pt;
    }
    const table_spec *t = tl->spec;
    double gh = 0, lower = pitch, span = pitch;
    for (size_t g = 0; g < t->ngroups; g++)
        gh = fmax(gh, cell_height(&tl->group_head[g]));
    for (size_t c = 0; c < tl->ncols; c++) {
        bool grouped = false;
        for (size_t g = 0; g < t->ngroups; g++)
            grouped |= c >= t->groups[g].first && c < t->groups[g].first + t->groups[g].count;
        if (grouped || t->ngroups == 0)
            lower = fmax(lower, cell_height(&tl->head[c]));
        else
            span = fmax(span, cell_height(&tl->head[c]));
    }
    tl->group_h_pt = t->ngroups ? gh + 2 * tl->vpad_pt : 0;
    tl->head_h_pt = fmax(tl->group_h_pt + lower + 2 * tl->vpad_pt, span + 2 * tl->vpad_pt);
}

/* ---- the whole table ---- */

static void free_cells(table_cell *cells, size_t n)
{
    for (size_t i = 0; cells && i < n; i++)
        text_block_free(cells[i].tb);
}

static void clear_cells(table_layout *tl)
{
    free_cells(tl->cells, tl->nrows * tl->ncols);
    free_cells(tl->head, tl->ncols);
    free_cells(tl->group_head, tl->spec->ngroups);
    memset(tl->cells, 0, tl->nrows * tl->ncols * sizeof *tl->cells);
    memset(tl->head, 0, tl->ncols * sizeof *tl->head);
    if (tl->group_head)
        memset(tl->group_head, 0, tl->spec->ngroups * sizeof *tl->group_head);
}

void table_layout_free(table_layout *tl)
{
    if (!tl)
        return;
    clear_cells(tl);
    free(tl->cells);
    free(tl->head);
    free(tl->group_head);
    free(tl->col_x_pt);
    free(tl->col_w_pt);
    free(tl->dot_x_pt);
    free(tl->row_h_pt);
    text_block_free(tl->title);
    text_block_free(tl->cont_title);
    text_block_free(tl->note);
    free(tl);
}

static bool alloc_arrays(table_layout *tl)
{
    size_t nc = tl->ncols, cells = tl->nrows * nc;
    tl->cells = calloc(cells ? cells : 1, sizeof *tl->cells);
    tl->head = calloc(nc, sizeof *tl->head);
    tl->group_head = calloc(tl->spec->ngroups ? tl->spec->ngroups : 1, sizeof *tl->group_head);
    tl->col_x_pt = calloc(nc, sizeof(double));
    tl->col_w_pt = calloc(nc, sizeof(double));
    tl->dot_x_pt = calloc(nc, sizeof(double));
    tl->row_h_pt = calloc(tl->nrows ? tl->nrows : 1, sizeof(double));
    return tl->cells && tl->head && tl->group_head && tl->col_x_pt && tl->col_w_pt &&
           tl->dot_x_pt && tl->row_h_pt;
}

static bool set_titles(table_layout *tl, PangoContext *ctx, const table_fonts *f, double measure)
{
    const table_spec *t = tl->spec;
    text_style st = cell_style(f, f->body_size_pt, true, TEXT_CENTER);
    st.weight = 700;
    st.pitch_pt = f->body_size_pt * 1.5;
    char buf[64];
    double room = NOTE_MARK_ROOM_EM * f->body_size_pt;
    if (t->title && (*t->title || t->title_rich)) {
        char num[32] = "";
        if (t->number > 0)
            snprintf(num, sizeof num, "表%d\u3000", t->number);
        if (!(tl->title = page_text_new(ctx, &st, t->title, t->title_rich, num, room, measure)))
            return false;
    }
    if (t->number > 0)
        snprintf(buf, sizeof buf, "续表%d", t->number);
    else
        snprintf(buf, sizeof buf, "续表");
    if (!(tl->cont_title = text_block_new(ctx, &st, buf, measure)))
        return false;
    if (t->note && (*t->note || t->note_rich)) {
        text_style ns = cell_style(f, tl->size_pt, false, TEXT_JUSTIFY);
        ns.word_breaks = false;
        if (!(tl->note = page_text_new(ctx, &ns, t->note, t->note_rich, NULL, room, measure)))
            return false;
    }
    return true;
}

static bool set_at_size(table_layout *tl, PangoContext *ctx, const table_fonts *f,
                        double measure, double *needed)
{
    tl->pad_pt = 0.5 * tl->size_pt;
    tl->vpad_pt = 0.25 * tl->size_pt;
    if (!set_body(tl, ctx, f) || !set_header(tl, ctx, f))
        return false;
    widths w = {calloc(tl->ncols, sizeof(double)), calloc(tl->ncols, sizeof(double))};
    if (!w.min || !w.max) {
        free(w.min);
        free(w.max);
        return false;
    }
    content_widths(tl, &w);
    double smn = 0;
    for (size_t c = 0; c < tl->ncols; c++)
        smn += w.min[c];
    *needed = smn;
    if (smn <= measure + 0.01)
        distribute(tl, &w, measure);
    free(w.min);
    free(w.max);
    return true;
}

table_layout *table_layout_new(PangoContext *ctx, const table_fonts *f, const table_spec *t,
                               double measure, const brief_doc *doc, const block *blk,
                               brief_diag *diag)
{
    table_layout *tl = calloc(1, sizeof *tl);
    if (!tl)
        return NULL;
    tl->spec = t;
    tl->ncols = t->ncols;
    tl->nrows = t->data->nrows + (t->total && *t->total ? 1 : 0);
    if (!alloc_arrays(tl))
        goto oom;
    /* A table is set a step smaller than the body, like captions. */
    double size = floor(f->body_size_pt * 0.857 * 2 + 0.5) / 2, needed = 0;
    for (;; size -= SIZE_STEP_PT) {
        if (size < TABLE_MIN_SIZE_PT)
            size = TABLE_MIN_SIZE_PT;
        tl->size_pt = size;
        if (!set_at_size(tl, ctx, f, measure, &needed))
            goto oom;
        if (needed <= measure + 0.01)
            break;
        if (size <= TABLE_MIN_SIZE_PT) {
            doc_error_at(doc, diag, BRIEF_E_DATA, blk->at, blk->json_path,
                      "the table needs %.0f mm at %.1f pt but the text width is %.0f mm "
                      "(expected fewer columns, shorter column names or words, or a wider "
                      "page or narrower margins)",
                      ceil(needed * 25.4 / 72), TABLE_MIN_SIZE_PT, floor(measure * 25.4 / 72));
            table_layout_free(tl);
            return NULL;
        }
        clear_cells(tl);
    }
    if (!wrap_cells(tl, ctx, f) || !set_titles(tl, ctx, f, measure))
        goto oom;
    place_numbers(tl);
    measure_rows(tl);
    return tl;
oom:
    diag_oom(diag, doc->file, "setting a table");
    table_layout_free(tl);
    return NULL;
}

/* ---- parts ---- */

static double title_height(const table_layout *tl, size_t first)
{
    const text_block *tb = first == 0 ? tl->title : tl->cont_title;
    if (!tb)
        return 0;
    return text_block_height(tb, 0, text_block_line_count(tb)) + TITLE_GAP_EM * tl->size_pt;
}

static double note_height(const table_layout *tl)
{
    if (!tl->note)
        return 0;
    return NOTE_GAP_EM * tl->size_pt + text_block_height(tl->note, 0, text_block_line_count(tl->note));
}

double table_part_height(const table_layout *tl, size_t first, size_t n)
{
    double h = title_height(tl, first) + HEAVY_RULE_PT + tl->head_h_pt + LIGHT_RULE_PT +
               HEAVY_RULE_PT;
    for (size_t r = first; r < first + n && r < tl->nrows; r++)
        h += tl->row_h_pt[r];
    if (first + n >= tl->nrows)
        h += note_height(tl);
    return h;
}

const char *table_cell_text(const table_layout *tl, size_t r, size_t c)
{
    if (!tl || r >= tl->nrows || c >= tl->ncols || !tl->cells[r * tl->ncols + c].tb)
        return NULL;
    return text_block_text(tl->cells[r * tl->ncols + c].tb);
}

static const text_block *missing_in(const table_cell *cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cells[i].tb && text_block_unknown_glyphs(cells[i].tb) > 0)
            return cells[i].tb;
    return NULL;
}

const text_block *table_first_missing(const table_layout *tl)
{
    const text_block *tb = missing_in(tl->head, tl->ncols);
    if (!tb)
        tb = missing_in(tl->group_head, tl->spec->ngroups);
    if (!tb)
        tb = missing_in(tl->cells, tl->nrows * tl->ncols);
    const text_block *own[] = {tl->title, tl->note};
    for (size_t i = 0; !tb && i < 2; i++)
        if (own[i] && text_block_unknown_glyphs(own[i]) > 0)
            tb = own[i];
    return tb;
}

/* ---- painting ---- */

static void hrule(cairo_t *cr, double x0, double x1, double y, double w)
{
    cairo_set_line_width(cr, w);
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1, y);
    cairo_stroke(cr);
}

static void vrule(cairo_t *cr, double x, double y0, double y1)
{
    cairo_set_line_width(cr, LIGHT_RULE_PT);
    cairo_move_to(cr, x, y0);
    cairo_line_to(cr, x, y1);
    cairo_stroke(cr);
}

/* A structure element of the tagged PDF (paint.h), when tags is set. */
static void tag_begin(cairo_t *cr, bool tags, const char *name)
{
    if (tags)
        cairo_tag_begin(cr, name, "");
}

static void tag_end(cairo_t *cr, bool tags, const char *name)
{
    if (tags)
        cairo_tag_end(cr, name);
}

/* Draws a cell's text centred vertically in the box (x, y, w, h), as the
 * element `tag` (TH, TD) when tagging. */
static void draw_cell_tagged(const table_cell *tc, cairo_t *cr, double x, double y, double h,
                             const char *tag)
{
    tag_begin(cr, tag != NULL, tag);
    if (tc->tb) {
        double th = cell_height(tc);
        text_block_draw(tc->tb, cr, 0, text_block_line_count(tc->tb), x + tc->x_pt,
                        y + (h - th) / 2);
    }
    tag_end(cr, tag != NULL, tag);
}


/* The group column c belongs to, or -1. */
static long group_of(const table_spec *t, size_t c)
{
    for (size_t g = 0; g < t->ngroups; g++)
        if (c >= t->groups[g].first && c < t->groups[g].first + t->groups[g].count)
            return (long)g;
    return -1;
}

static bool in_group(const table_spec *t, size_t c) { return group_of(t, c) >= 0; }

static void paint_header(const table_layout *tl, cairo_t *cr, double x, double y, bool tags)
{
    const char *th = tags ? "TH" : NULL;
    const table_spec *t = tl->spec;
    double lower_y = y + tl->group_h_pt, lower_h = tl->head_h_pt - tl->group_h_pt;
    for (size_t g = 0; g < t->ngroups; g++) {
        const table_group *gr = &t->groups[g];
        double gx = x + tl->col_x_pt[gr->first];
        double gx1 = x + tl->col_x_pt[gr->first + gr->count - 1] + tl->col_w_pt[gr->first + gr->count - 1];
        draw_cell_tagged(&tl->group_head[g], cr, gx, y, tl->group_h_pt, th);
        /* the light rule under a group label spans its columns, set in a little */
        hrule(cr, gx + 0.3 * tl->pad_pt, gx1 - 0.3 * tl->pad_pt, lower_y, LIGHT_RULE_PT);
        if (t->style == TABLE_GRID) {
            vrule(cr, gx, y, lower_y);
            vrule(cr, gx1, y, lower_y);
        }
    }
    for (size_t c = 0; c < tl->ncols; c++) {
        double cx = x + tl->col_x_pt[c];
        if (in_group(t, c))
            draw_cell_tagged(&tl->head[c], cr, cx, lower_y, lower_h, th);
        else
            draw_cell_tagged(&tl->head[c], cr, cx, y, tl->head_h_pt, th);
    }
}

void table_paint_part(const table_layout *tl, cairo_t *cr, double x, double y, size_t first,
                      size_t n, bool tags, const mark_painter *mp)
{
    const table_spec *t = tl->spec;
    bool grid = t->style == TABLE_GRID;
    double x1 = x + tl->width_pt;
    cairo_save(cr);
    cairo_set_source_rgb(cr, INK_RGB[0], INK_RGB[1], INK_RGB[2]);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    const text_block *title = first == 0 ? tl->title : tl->cont_title;
    /* On a continuation page the 续表 line and the repeated header are page
     * furniture: a "Private" element, made an artifact in the PDF
     * (pdf_artifacts.h), so the table's one element holds its header once. */
    const char *head_tag = first == 0 ? "TR" : "Private";
    if (title) {
        tag_begin(cr, tags, first == 0 ? "Caption" : "Private");
        page_text_draw(title, mp, cr, x, y);
        tag_end(cr, tags, first == 0 ? "Caption" : "Private");
        y += title_height(tl, first);
    }
    double top = y;
    double heavy = grid ? LIGHT_RULE_PT : HEAVY_RULE_PT;
    hrule(cr, x, x1, y + HEAVY_RULE_PT / 2, heavy);
    y += HEAVY_RULE_PT;
    tag_begin(cr, tags, head_tag);
    paint_header(tl, cr, x, y, tags && first == 0);
    tag_end(cr, tags, head_tag);
    y += tl->head_h_pt;
    hrule(cr, x, x1, y + LIGHT_RULE_PT / 2, LIGHT_RULE_PT);
    y += LIGHT_RULE_PT;
    size_t end = first + n < tl->nrows ? first + n : tl->nrows;
    for (size_t r = first; r < end; r++) {
        tag_begin(cr, tags, "TR");
        for (size_t c = 0; c < tl->ncols; c++)
            draw_cell_tagged(&tl->cells[r * tl->ncols + c], cr, x + tl->col_x_pt[c], y,
                             tl->row_h_pt[r], tags ? "TD" : NULL);
        tag_end(cr, tags, "TR");
        y += tl->row_h_pt[r];
        if (grid && r + 1 < end)
            hrule(cr, x, x1, y, LIGHT_RULE_PT);
    }
    hrule(cr, x, x1, y + HEAVY_RULE_PT / 2, heavy);
    if (grid) {
        for (size_t c = 0; c <= tl->ncols; c++) {
            double cx = x + (c < tl->ncols ? tl->col_x_pt[c] : tl->width_pt);
            bool inner_group_edge = c > 0 && c < tl->ncols && in_group(t, c) &&
                                    group_of(t, c) == group_of(t, c - 1);
            vrule(cr, cx, inner_group_edge ? top + HEAVY_RULE_PT + tl->group_h_pt : top,
                  y + HEAVY_RULE_PT);
        }
    }
    y += HEAVY_RULE_PT;
    if (end >= tl->nrows && tl->note) {
        /* in a P of its own: cairo 1.16 marks only elements without
         * children, so text drawn in the Table itself would belong to none */
        tag_begin(cr, tags, "P");
        page_text_draw(tl->note, mp, cr, x, y + NOTE_GAP_EM * tl->size_pt);
        tag_end(cr, tags, "P");
    }
    cairo_restore(cr);
}
