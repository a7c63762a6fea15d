/*
 * layout_cost.c — what a brief's layout will cost, bounded before the work
 * (stage 3, for layout.c).
 *
 * Takes a doc_layout whose column is set and no block laid out; gives,
 * with nothing shaped and no chart built, a lower bound of the pages the
 * brief needs, which layout.c refines as it sets each block
 * (page_bound_set), an estimate of them that errs high, and the address
 * space the layout will map.  Guarantees: the bound never exceeds the
 * pages pagination will make, so the layout stops exactly when the limit
 * is certain to be passed; the estimate refuses a brief past the page
 * limit before Pango is called for it (it may refuse one a few per cent
 * inside); a brief that cannot fit the process's address-space limit is
 * refused before Pango and cairo are called (docs/format.md, "Limits").
 */
#define _GNU_SOURCE
#include "page/layout_cost.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "util/diag.h"

/* ---- pages ---- */

static long pages_of(long lines, int lpp) { return (lines + lpp - 1) / lpp; }

/* The em of text a line must give each character, at least: an ideograph
 * tightens by at most TRACK_MAX_EM (0.1 em), a full-width mark may be
 * compressed to half an em; Latin, digits and spaces are counted as
 * nothing (they may be narrow). */
static double text_min_em(const char *s)
{
    double em = 0;
    for (const char *p = s; p && *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_iswide(c))
            em += g_unichar_ispunct(c) ? 0.5 : 0.85;
    }
    return em;
}

/* ---- the estimate: text at its natural width, erring high ---- */

/* A text's width at its font's natural advances, in em, and its Latin
 * words: an ideograph is one em (the bundled CJK faces are monospaced), a
 * full-width mark one em, or half when it follows another (clreq's pair
 * compression); Latin letters and digits are counted a little wide. */
typedef struct text_em {
    double em;                 /* the whole text on one line */
    double word_em;            /* its Latin words, summed */
    long words;
    int forced;                /* forced breaks (\n) */
} text_em;

static double narrow_em(gunichar c)
{
    if (c == ' ')
        return 0.3;
    if (g_unichar_isupper(c))
        return 0.7;
    return 0.56;
}

static text_em text_natural_em(const char *s)
{
    text_em t = {0};
    bool after_mark = false, in_word = false;
    for (const char *p = s; p && *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        bool wide = g_unichar_iswide(c), mark = wide && g_unichar_ispunct(c);
        double w = c == '\n' ? 0 : wide ? (mark && after_mark ? 0.5 : 1.0) : narrow_em(c);
        t.em += w;
        t.forced += c == '\n';
        bool word = !wide && g_unichar_isalnum(c);
        if (word)
            t.word_em += w;
        t.words += word && !in_word;
        in_word = word;
        after_mark = mark;
    }
    return t;
}

/* Lines a text of `size_pt` set in `measure_pt` takes, erring high: each
 * line is filled to one em less than the measure, and less again by a
 * Latin word (a justified line ends where a word would not fit). */
static double text_est_lines(const char *s, double size_pt, double measure_pt, double indent_em)
{
    text_em t = text_natural_em(s);
    double line_em = measure_pt / size_pt;
    double loss = 0.5 + (t.words ? t.word_em / (double)t.words : 0);
    double fill = fmax(line_em - loss, line_em / 2);
    return ceil((t.em + indent_em) / fill) + t.forced;
}

/* Grid lines block b takes by the estimate; charts, figures and boxes as
 * the lower bound counts them (set_blocks refines them). */
static double block_est_lines(const doc_layout *dl, const block *b, int min_lines)
{
    double measure;
    switch (b->type) {
    case BLOCK_TITLE:
    case BLOCK_BYLINE:
    case BLOCK_LEAD:
    case BLOCK_HEADING:
    case BLOCK_PARAGRAPH: {
        text_style st = layout_style_for(dl, b, &measure);
        if (measure <= 0 || st.size_pt <= 0)
            return min_lines;
        double lines = text_est_lines(b->text, st.size_pt, measure, st.indent_em);
        return fmax(min_lines, ceil(lines * st.pitch_pt / dl->pitch_pt - 1e-9));
    }
    case BLOCK_TABLE:
        return b->table && b->table->data ? (double)b->table->data->nrows + 2 : min_lines;
    case BLOCK_LIST:
        return b->list ? (double)b->list->nitems : min_lines;
    default:
        return min_lines;
    }
}

/* Lines block b takes at least, with no text shaped and no chart built.
 * An unsplit block takes at most a page (a taller one overflows it). */
static int block_min_lines(const doc_layout *dl, const block *b)
{
    int lines = 1;
    switch (b->type) {
    case BLOCK_PAGE_BREAK:
        return 0;
    case BLOCK_CHART: {
        double h = b->chart->height_pt;
        if (h > 0)
            lines = (int)ceil(fmin(h, (dl->lines_per_page - 1) * dl->pitch_pt) / dl->pitch_pt - 1e-6);
        break;
    }
    case BLOCK_FIGURE:
        break;
    case BLOCK_TABLE:
    case BLOCK_KPI:
    case BLOCK_LIST:
    case BLOCK_MASTHEAD:
        return 0;              /* counted once set (set_blocks) */
    default: {
        double measure;
        text_style st = layout_style_for(dl, b, &measure);
        if (measure > 0) {
            double text_lines = floor(text_min_em(b->text) * st.size_pt / measure);
            lines = (int)fmax(1, floor(text_lines * st.pitch_pt / dl->pitch_pt));
        }
        break;
    }
    }
    if (b->type != BLOCK_PARAGRAPH && lines > dl->lines_per_page)
        lines = dl->lines_per_page;
    return lines;
}

void page_bound_set(page_bound *pb, size_t i, int lines)
{
    long *seg = &pb->seg_lines[pb->segment[i]];
    pb->pages -= pages_of(*seg, pb->lpp);
    *seg += lines - pb->lines[i];
    pb->lines[i] = lines;
    pb->pages += pages_of(*seg, pb->lpp);
}

void page_bound_free(page_bound *pb)
{
    free(pb->segment);
    free(pb->seg_lines);
    free(pb->lines);
}

/* The estimate errs high (each line filled to an em, or a word, short of
 * the measure), so a brief it puts past the limit needs more pages than
 * the limit or very nearly: it is refused before any text is shaped,
 * where laying it out would take seconds and hundreds of MB only to be
 * refused at the end. */
bool page_estimate_exceeded(const doc_layout *dl, const page_bound *pb, brief_diag *diag)
{
    if (pb->est_pages <= LAYOUT_MAX_PAGES)
        return false;
    diag_error(diag, BRIEF_E_DATA, dl->doc->file,
               "the brief needs more than %d pages: about %.0f by the estimate made before "
               "layout (expected at most %d; split it into several briefs)",
               LAYOUT_MAX_PAGES, pb->est_pages, LAYOUT_MAX_PAGES);
    return true;
}

bool page_bound_exceeded(const doc_layout *dl, const page_bound *pb, brief_diag *diag)
{
    if (pb->pages <= LAYOUT_MAX_PAGES)
        return false;
    diag_error(diag, BRIEF_E_DATA, dl->doc->file,
               "the brief needs more than %d pages (expected at most %d; split it into several briefs)",
               LAYOUT_MAX_PAGES, LAYOUT_MAX_PAGES);
    return true;
}

bool page_bound_init(const doc_layout *dl, page_bound *pb, brief_diag *diag)
{
    size_t n = dl->doc->nblocks;
    *pb = (page_bound){.lpp = dl->lines_per_page};   /* freeable whatever happens */
    pb->segment = calloc(n ? n : 1, sizeof *pb->segment);
    pb->seg_lines = calloc(n + 1, sizeof *pb->seg_lines);
    pb->lines = calloc(n ? n : 1, sizeof *pb->lines);
    if (!pb->segment || !pb->seg_lines || !pb->lines) {
        diag_oom(diag, dl->doc->file, "laying out the brief");
        return false;
    }
    size_t seg = 0;
    double seg_est = 0;
    for (size_t i = 0; i < n; i++) {
        const block *b = &dl->doc->blocks[i];
        if (b->type == BLOCK_PAGE_BREAK) {
            seg++;
            pb->est_pages += ceil(seg_est / fmax(1, pb->lpp - 1));
            seg_est = 0;
        }
        pb->segment[i] = seg;
        int min_lines = block_min_lines(dl, b);
        page_bound_set(pb, i, min_lines);
        seg_est += block_est_lines(dl, b, min_lines);
    }
    pb->est_pages += ceil(seg_est / fmax(1, pb->lpp - 1));
    return true;
}

/* ---- memory ---- */

/* Address space that laying out and painting a brief maps, measured with
 * ulimit -v (tests/faults/costs.sh): 10 MB of Chinese text (3.5 million
 * characters, 2,000 pages) fails under 430 MB more and fits in 525 MB;
 * 1.2 MB of English in 190 MB; about 160 KB per chart.  Per character
 * and per chart, rounded up, plus what any brief maps: the fonts (mapped,
 * and copied when the PDF subsets them) and the stacks of Pango's threads
 * (with less than about 50 MB left, creating one fails and GLib aborts).
 * The figures' pixels are budgeted when they are decoded (figure.c).
 * Over-estimating refuses a brief that would just fit a tight limit;
 * under-estimating lets Pango abort, which is worse. */
#define MEM_PER_CHAR 170
#define MEM_PER_CHART (256 * 1024)
#define MEM_BASE (64 * 1024 * 1024)

static double text_chars(const char *s)
{
    return s ? (double)g_utf8_strlen(s, -1) : 0;
}

/* The characters of a text's footnotes, which its plain text leaves out
 * (each is laid out again at the foot of its page), plus the per-byte link
 * map a text with runs keeps (about a character's worth per 4 bytes). */
static double rich_chars(const rich_text *rt, const char *plain)
{
    if (!rt)
        return 0;
    double chars = plain ? (double)strlen(plain) / 4 : 0;
    for (size_t i = 0; i < rt->nruns; i++) {
        const rich_run *r = &rt->runs[i];
        if (r->kind == RUN_NOTE && r->note)
            for (size_t j = 0; j < r->note->nruns; j++)
                chars += text_chars(r->note->runs[j].text);
    }
    return chars;
}

/* A table's cells as characters (a number as 16). */
static double table_chars(const table_spec *t)
{
    double chars = text_chars(t->title) + text_chars(t->note) +
                   rich_chars(t->title_rich, t->title) + rich_chars(t->note_rich, t->note);
    for (size_t c = 0; c < t->ncols; c++)
        for (size_t r = 0; r < t->data->nrows; r++) {
            const cell *k = dataset_cell(t->data, r, t->cols[c].col);
            chars += k->kind == CELL_TEXT ? text_chars(k->text) : 16;
        }
    return chars;
}

/* A list's and a row of key figures' texts as characters. */
static double box_chars(const block *b)
{
    double chars = 0;
    for (size_t i = 0; b->list && i < b->list->nitems; i++)
        chars += text_chars(b->list->items[i]) +
                 (b->list->items_rich ? rich_chars(b->list->items_rich[i], b->list->items[i]) : 0);
    for (size_t i = 0; b->kpi && i < b->kpi->nitems; i++)
        chars += text_chars(b->kpi->items[i].label) + 16 +
                 rich_chars(b->kpi->items[i].label_rich, b->kpi->items[i].label);
    return chars;
}

static double memory_needed(const doc_layout *dl)
{
    const brief_doc *doc = dl->doc;
    double chars = 0, charts = 0;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const block *b = &doc->blocks[i];
        chars += text_chars(b->text) + text_chars(b->caption) + rich_chars(b->rich, b->text) +
                 rich_chars(b->caption_rich, b->caption) + box_chars(b);
        if (b->type == BLOCK_TABLE && b->table)
            chars += table_chars(b->table);
        charts += b->type == BLOCK_CHART;
    }
    return MEM_BASE + chars * MEM_PER_CHAR + charts * MEM_PER_CHART;
}

/* Address space this process may still map: the limit (ulimit -v) less
 * what it maps now; -1 when there is no limit or it cannot be known. */
static double address_space_left(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return -1;
    double used = 0;
#ifdef __linux__
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (f && fscanf(f, "%lu", &pages) == 1)
        used = (double)pages * (double)sysconf(_SC_PAGESIZE);
    if (f)
        fclose(f);
#endif
    return (double)rl.rlim_cur - used;
}

/* Pango, cairo and GLib abort when an allocation fails: a brief that
 * cannot fit the address space the process is allowed is refused before
 * they are called, as out of memory (exit 71). */
bool layout_memory_within_limit(const doc_layout *dl, brief_diag *diag)
{
    double left = address_space_left(), need = memory_needed(dl);
    if (left < 0 || need <= left)
        return true;
    char what[160];
    snprintf(what, sizeof what,
             "laying out the brief (it needs about %.0f MB; the process may map %.0f MB more)",
             need / 1048576, fmax(left, 0) / 1048576);
    diag_oom(diag, dl->doc->file, what);
    return false;
}
