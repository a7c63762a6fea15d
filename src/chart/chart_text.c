/*
 * chart_text.c — measuring chart text.
 *
 * Takes a string, a size and a measure; gives a tbox: a PangoLayout set in
 * the chart's family on the chart's context (the one that will draw it),
 * wrapped as asked, with its logical size.  Guarantees: a label reads
 * exactly as written (no inserted hyphen) and breaks only between words
 * (words_label_attrs: 金银/珠宝类, AS/RS and 20公斤 whole, no line of one
 * character), cutting a word only as the last resort; a '\n' written in it
 * is a forced break; tbox.ok says whether every word fit the measure.
 * A text given as runs is measured with its bold runs in the bold face.
 */
#include "chart/chart_build.h"
#include "text/words.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void chart_links_free(chart_link *links, size_t n)
{
    for (size_t i = 0; links && i < n; i++)
        g_free(links[i].uri);
    g_free(links);
}

void tbox_clear(tbox *t)
{
    if (t->pl)
        g_object_unref(t->pl);
    g_free(t->text);
    chart_links_free(t->links, t->nlinks);
    memset(t, 0, sizeof *t);
}

char *chart_strdup_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

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

/* The runs of rt over the start of the layout's text: bold runs in the
 * bold face (so the text is measured as drawn), links recorded in t.
 * Runs that are not the start of the text (never, as validated) are left
 * plain. */
static void apply_runs(tbox *t, const rich_text *rt, const char *text)
{
    size_t off = 0, nlinks = 0;
    for (size_t i = 0; i < rt->nruns; i++) {
        const rich_run *r = &rt->runs[i];
        size_t n = r->kind == RUN_TEXT && r->text ? strlen(r->text) : 0;
        if (n && strncmp(text + off, r->text, n) != 0)
            return;
        off += n;
        nlinks += n && r->link;
    }
    PangoAttrList *al = pango_layout_get_attributes(t->pl);
    PangoAttrList *copy = al ? pango_attr_list_copy(al) : pango_attr_list_new();
    t->links = nlinks ? g_new0(chart_link, nlinks) : NULL;
    off = 0;
    for (size_t i = 0; i < rt->nruns; i++) {
        const rich_run *r = &rt->runs[i];
        size_t n = r->kind == RUN_TEXT && r->text ? strlen(r->text) : 0;
        if (n && r->bold) {
            PangoAttribute *a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
            a->start_index = (guint)off;
            a->end_index = (guint)(off + n);
            pango_attr_list_insert(copy, a);
        }
        if (n && r->link)
            t->links[t->nlinks++] = (chart_link){(int)off, (int)(off + n), g_strdup(r->link)};
        off += n;
    }
    pango_layout_set_attributes(t->pl, copy);
    pango_attr_list_unref(copy);
}

/* A single-line (or explicitly broken) text, no wrapping. */
void text_plain(build *b, tbox *t, const char *text, double size, bool bold,
                PangoAlignment align)
{
    text_plain_rich(b, t, NULL, text, size, bold, align);
}

void text_plain_rich(build *b, tbox *t, const rich_text *rt, const char *text, double size,
                     bool bold, PangoAlignment align)
{
    memset(t, 0, sizeof *t);
    t->pl = new_layout(b, text, size, bold);
    if (rt)
        apply_runs(t, rt, text);
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

/* For labels: breaks only between words (words_label_attrs: ICU's
 * dictionary words refined, numbers kept with their units, short brackets
 * whole, no one-character piece); false when that could not be computed
 * (out of memory), with the layout left as it was. */
static bool allow_word_breaks_only(PangoLayout *pl, const char *text)
{
    PangoAttrList *al = pango_layout_get_attributes(pl);
    PangoAttrList *copy = al ? pango_attr_list_copy(al) : pango_attr_list_new();
    if (!words_label_attrs(text, 0, copy)) {
        pango_attr_list_unref(copy);
        return false;
    }
    pango_layout_set_attributes(pl, copy);
    pango_attr_list_unref(copy);
    return true;
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

/* True when text, without a forced break, is no wider than maxw (pt). */
static bool fits_one_line(PangoLayout *pl, const char *text, double maxw)
{
    if (strchr(text, '\n'))
        return false;
    PangoRectangle log;
    pango_layout_get_extents(pl, NULL, &log);
    return log.width / (double)PANGO_SCALE <= fmax(maxw, 1) + 0.01;
}

/* Narrows the measure as far as the line count n allows, so the lines are
 * about equally long. */
static void balance_lines(tbox *t, double maxw, int n)
{
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
}

/* Narrows the measure only far enough that the last line holds at least
 * three characters. */
static void avoid_short_last_line(tbox *t, double maxw, int n, double size)
{
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

/* Wraps text at maxw (pt).  balance: then narrows the measure as far as the
 * line count allows, so two lines are about equally long; otherwise only
 * far enough that the last line holds at least three characters.
 * char_break: cut words that do not fit (the last resort); otherwise t->ok
 * reports whether every word fit.  label: break only between words (see
 * allow_word_breaks_only; not in the char_break pass, which is the last
 * resort). */
static void wrap_runs(build *b, tbox *t, const rich_text *rt, const char *text, double size,
                      bool bold, double maxw, PangoAlignment align, bool balance,
                      bool char_break, bool label)
{
    memset(t, 0, sizeof *t);
    t->pl = new_layout(b, text, size, bold);
    if (rt)
        apply_runs(t, rt, text);
    /* word breaks matter only where the label wraps: one that fits on a
     * line as written never opens ICU (its data costs about 1 ms a
     * process, bench/RESULTS.md) */
    if (label && !char_break && !fits_one_line(t->pl, text, maxw) &&
        !allow_word_breaks_only(t->pl, text))
        b->oom = true;
    t->text = g_strdup(text);
    t->size = size;
    pango_layout_set_alignment(t->pl, align);
    pango_layout_set_wrap(t->pl, char_break ? PANGO_WRAP_WORD_CHAR : PANGO_WRAP_WORD);
    if (maxw < 1)
        maxw = 1;
    int n = lines_at(t->pl, maxw);
    measure(t);
    t->ok = (char_break || !word_broken(t->pl)) && t->w <= maxw + 0.01;
    if (balance && n > 1 && t->ok)
        balance_lines(t, maxw, n);
    else if (n > 1 && t->ok && last_line_chars(t->pl) < 3)
        avoid_short_last_line(t, maxw, n, size);
}

void text_wrap_ex(build *b, tbox *t, const char *text, double size, bool bold, double maxw,
                  PangoAlignment align, bool balance, bool char_break, bool label)
{
    wrap_runs(b, t, NULL, text, size, bold, maxw, align, balance, char_break, label);
}

void text_wrap_label_rich(build *b, tbox *t, const rich_text *rt, const char *text, double size,
                          bool bold, double maxw, PangoAlignment align, bool balance)
{
    wrap_runs(b, t, rt, text, size, bold, maxw, align, balance, false, true);
    if (t->ok)
        return;
    tbox_clear(t);
    wrap_runs(b, t, rt, text, size, bold, maxw, align, balance, true, false);
}

void text_wrap_label(build *b, tbox *t, const char *text, double size, bool bold, double maxw,
                     PangoAlignment align, bool balance)
{
    text_wrap_label_rich(b, t, NULL, text, size, bold, maxw, align, balance);
}

void text_wrap_rich(build *b, tbox *t, const rich_text *rt, const char *text, double size,
                    bool bold, double maxw, PangoAlignment align, bool balance, bool char_break)
{
    wrap_runs(b, t, rt, text, size, bold, maxw, align, balance, char_break, false);
}

void text_wrap(build *b, tbox *t, const char *text, double size, bool bold, double maxw,
               PangoAlignment align, bool balance, bool char_break)
{
    text_wrap_rich(b, t, NULL, text, size, bold, maxw, align, balance, char_break);
}

double line_height(build *b, double size)
{
    tbox t;
    text_plain(b, &t, "国", size, false, PANGO_ALIGN_LEFT);
    double h = t.h;
    tbox_clear(&t);
    return h;
}
