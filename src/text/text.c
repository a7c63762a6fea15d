/*
 * text.c — text blocks: shaping with Pango, our own line decisions
 * (text_break.c); drawing is text_draw.c's.
 *
 * Takes a UTF-8 paragraph, a style and a measure; gives lines whose every
 * glyph position we chose.  The paragraph is shaped once as one unwrapped
 * Pango line (so ligatures, kerning and font fallback are Pango's); the
 * breaker then sees clusters with natural advances.  Compression uses the
 * font's own half-width metrics (`halt`), probed once per glyph and cached
 * on the PangoContext.  Rich text (text_block_new_rich): span markers are
 * taken out of the text after normalisation and become bold ranges (shaped
 * with the family's bold face), link ranges (which break only after
 * / . - ? &) and note marks (an empty glyph of the mark's width that never
 * starts a line).
 */
#include "text/text.h"
#include "text/text_internal.h"
#include "text/words.h"
#include "util/glyph_key.h"

#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

#define HALT_CACHE_KEY "brief-text-halt-cache"
/* Ideographic em box of the CJK faces: 0.88 em above the baseline. */
#define EMBOX_ASCENT 0.88

/* ---- rich text markers ---- */

static bool is_marker(gunichar c) { return c >= 0xE000 && c <= 0xE003; }

/* Removes the span markers from tb->text, recording bold ranges, the link
 * of every byte and the note marks. */
static void strip_markers(text_block *tb)
{
    const char *src = tb->text;
    int n = tb->text_len;
    char *out = g_malloc(n + 1);
    int *link_at = tb->nlinks > 0 ? g_new(int, n + 1) : NULL;
    tb->bold = g_new(int, n + 2);
    tb->marks = g_new(int, n + 1);
    int o = 0, link = -1, nextlink = 0, bold_from = -1;
    for (const char *p = src; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        int len = (int)(g_utf8_next_char(p) - p);
        if (is_marker(c)) {
            if (c == 0xE000 && bold_from < 0)
                bold_from = o;
            else if (c == 0xE001 && bold_from >= 0) {
                if (o > bold_from) {
                    tb->bold[tb->nbold * 2] = bold_from;
                    tb->bold[tb->nbold * 2 + 1] = o;
                    tb->nbold++;
                }
                bold_from = -1;
            } else if (c == 0xE002)
                link = nextlink < tb->nlinks ? nextlink++ : -1;
            else if (c == 0xE003)
                link = -1;
            continue;
        }
        if (c == 0xFFFC)
            tb->marks[tb->nmarks++] = o;
        for (int k = 0; k < len; k++) {
            if (link_at)
                link_at[o] = link;
            out[o++] = p[k];
        }
    }
    if (bold_from >= 0 && o > bold_from) {
        tb->bold[tb->nbold * 2] = bold_from;
        tb->bold[tb->nbold * 2 + 1] = o;
        tb->nbold++;
    }
    out[o] = 0;
    if (link_at)
        link_at[o] = -1;
    g_free(tb->text);
    tb->text = out;
    tb->text_len = o;
    tb->link_at = link_at;
}


/* URLs break only after / . - ? & ; a mark never starts a line. */
static void rich_breaks(text_block *tb)
{
    for (int k = 0; k + 1 < tb->nclusters; k++) {
        tx_cluster *a = &tb->clusters[k], *b = &tb->clusters[k + 1];
        if (g_utf8_get_char(tb->text + b->start) == 0xFFFC) {
            a->brk = TX_BRK_FORBIDDEN;
            a->penalty = 1e9;
            continue;
        }
        int la = tx_link_of(tb, a->start), lb = tx_link_of(tb, b->start);
        if (la < 0 || la != lb)
            continue;
        if (a->last < 0x80 && strchr("/.-?&", (int)a->last)) {
            a->brk = TX_BRK_OK;
            a->penalty = 0;
        } else {
            a->brk = TX_BRK_FORBIDDEN;
            a->penalty = 1e9;
        }
    }
}

/* ---- half-width metrics of full-width marks, cached per context ---- */

typedef struct halt_val {
    int width, x_offset;     /* Pango units, with `halt` */
} halt_val;

/* keys are glyph_key with a referenced PangoFont */
static void halt_key_free(gpointer k)
{
    glyph_key *h = k;
    g_object_unref((gpointer)h->font);
    g_free(h);
}

static GHashTable *halt_cache(PangoContext *ctx)
{
    GHashTable *t = g_object_get_data(G_OBJECT(ctx), HALT_CACHE_KEY);
    if (!t) {
        t = g_hash_table_new_full(glyph_key_hash, glyph_key_equal, halt_key_free, g_free);
        g_object_set_data_full(G_OBJECT(ctx), HALT_CACHE_KEY, t,
                               (GDestroyNotify)g_hash_table_destroy);
    }
    return t;
}

/* Shapes one mark with `halt` (and `fwid` when the run used it). */
static halt_val probe_halt(PangoContext *ctx, const PangoItem *item, const char *s, int len,
                           PangoGlyph glyph, const PangoGlyphInfo *natural, bool fwid)
{
    GHashTable *cache = halt_cache(ctx);
    glyph_key key = {item->analysis.font, glyph};
    halt_val *hit = g_hash_table_lookup(cache, &key);
    if (hit)
        return *hit;
    halt_val val = {natural->geometry.width, natural->geometry.x_offset};
    PangoAnalysis an = item->analysis;
    PangoAttribute *feat = pango_attr_font_features_new(fwid ? "fwid,halt" : "halt");
    GSList one = {feat, NULL};
    an.extra_attrs = &one;
    PangoGlyphString *gs = pango_glyph_string_new();
    pango_shape_with_flags(s, len, s, len, &an, gs, PANGO_SHAPE_NONE);
    if (gs->num_glyphs == 1 && gs->glyphs[0].glyph == glyph) {
        val.width = gs->glyphs[0].geometry.width;
        val.x_offset = gs->glyphs[0].geometry.x_offset;
    }
    pango_glyph_string_free(gs);
    pango_attribute_destroy(feat);
    glyph_key *k = g_new(glyph_key, 1);
    k->font = g_object_ref(item->analysis.font);
    k->glyph = glyph;
    halt_val *v = g_new(halt_val, 1);
    *v = val;
    g_hash_table_insert(cache, k, v);
    return val;
}

/* ---- building ---- */

static bool wants_fwid(const gunichar *u, long n, long i)
{
    tx_class k = tx_char_class(u[i]);
    if (k == TX_DASH && (u[i] == 0x2014 || u[i] == 0x2015)) {
        /* a Chinese dash: doubled, or beside CJK */
        bool prev_dash = i > 0 && tx_char_class(u[i - 1]) == TX_DASH;
        bool next_dash = i + 1 < n && tx_char_class(u[i + 1]) == TX_DASH;
        return prev_dash || next_dash || (i > 0 && tx_char_wide(u[i - 1])) ||
               (i + 1 < n && tx_char_wide(u[i + 1]));
    }
    /* 中南高科·沧州: the Chinese interpunct, full width between Han */
    if (u[i] == 0x00B7)
        return i > 0 && i + 1 < n && tx_is_han(u[i - 1]) && tx_is_han(u[i + 1]);
    return false;
}

/* Font features: fwid on Chinese dashes and interpuncts.  Returns a bitmap
 * (per byte offset) of the characters that got it. */
static PangoAttrList *feature_attrs(const char *text, int len, guint8 *fwid_at)
{
    glong n = 0;
    gunichar *u = g_utf8_to_ucs4_fast(text, len, &n);
    PangoAttrList *al = pango_attr_list_new();
    const char *p = text;
    int run_start = -1, run_end = -1;
    for (long i = 0; i < n; i++) {
        int b = (int)(p - text);
        const char *q = g_utf8_next_char(p);
        if (wants_fwid(u, n, i)) {
            fwid_at[b] = 1;
            if (run_start >= 0 && run_end == b) {
                run_end = (int)(q - text);
            } else {
                if (run_start >= 0) {
                    PangoAttribute *a = pango_attr_font_features_new("fwid");
                    a->start_index = (guint)run_start;
                    a->end_index = (guint)run_end;
                    pango_attr_list_insert(al, a);
                }
                run_start = b;
                run_end = (int)(q - text);
            }
        }
        p = q;
    }
    if (run_start >= 0) {
        PangoAttribute *a = pango_attr_font_features_new("fwid");
        a->start_index = (guint)run_start;
        a->end_index = (guint)run_end;
        pango_attr_list_insert(al, a);
    }
    g_free(u);
    return al;
}

static int cmp_glyph(const void *a, const void *b)
{
    const tx_glyph *x = a, *y = b;
    if (x->cluster_byte != y->cluster_byte)
        return x->cluster_byte < y->cluster_byte ? -1 : 1;
    if (x->run != y->run)
        return x->run < y->run ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static gunichar first_visible(const char *s, const char *end)
{
    gunichar first = g_utf8_get_char(s);
    for (const char *p = s; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (tx_char_class(c) != TX_FORMAT)
            return c;
    }
    return first;
}

static gunichar last_visible(const char *s, const char *end)
{
    gunichar last = 0;
    gunichar any = g_utf8_get_char(s);
    for (const char *p = s; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (tx_char_class(c) != TX_FORMAT)
            last = c;
        any = c;
    }
    return last ? last : any;
}

/* Itemizes and shapes the whole text as one unwrapped run of items.  No
 * PangoLayout: a layout would also measure every glyph's ink (a full
 * outline decode per glyph and size) that the line breaker never uses. */
static GList *shape_items(text_block *tb, PangoContext *ctx, PangoAttrList *al)
{
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, tb->family);
    pango_font_description_set_absolute_size(fd, tb->style.size_pt * PANGO_SCALE);
    pango_font_description_set_weight(fd, tb->style.weight > 0 ? tb->style.weight : 400);
    pango_attr_list_insert_before(al, pango_attr_font_desc_new(fd));
    pango_font_description_free(fd);
    /* Chinese paragraphs run left to right; embedded right-to-left runs
     * still get their bidi level from the itemizer. */
    return pango_itemize_with_base_dir(ctx, PANGO_DIRECTION_LTR, tb->text, 0, tb->text_len, al,
                                       NULL);
}

static void add_bold_spans(const text_block *tb, PangoAttrList *al)
{
    for (int i = 0; i < tb->nbold; i++) {
        PangoAttribute *a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
        a->start_index = (guint)tb->bold[2 * i];
        a->end_index = (guint)tb->bold[2 * i + 1];
        pango_attr_list_insert(al, a);
    }
}

/* Shapes every item (kept in tb->items); gives their glyph strings and
 * *nglyphs, the glyphs of all of them. */
static PangoGlyphString **shape_runs(text_block *tb, PangoContext *ctx, PangoAttrList *al,
                                     int *nglyphs)
{
    GList *items = shape_items(tb, ctx, al);
    tb->nitems = (int)g_list_length(items);
    tb->items = g_new0(PangoItem *, tb->nitems > 0 ? tb->nitems : 1);
    PangoGlyphString **shaped = g_new0(PangoGlyphString *, tb->nitems > 0 ? tb->nitems : 1);
    int cap = 0, ri = 0;
    for (GList *l = items; l; l = l->next, ri++) {
        PangoItem *it = l->data;
        tb->items[ri] = it;
        shaped[ri] = pango_glyph_string_new();
        pango_shape_with_flags(tb->text + it->offset, it->length, tb->text, tb->text_len,
                               &it->analysis, shaped[ri], PANGO_SHAPE_NONE);
        cap += shaped[ri]->num_glyphs;
    }
    g_list_free(items);
    *nglyphs = cap;
    return shaped;
}

/* A forced break draws nothing (Pango gives it a hex box); a note mark
 * takes its room, drawn by the painter; a glyph the fonts lack is
 * counted. */
static void adjust_special_glyph(text_block *tb, tx_glyph *t)
{
    if (tb->text[t->cluster_byte] == '\n') {
        t->info.glyph = PANGO_GLYPH_EMPTY;
        t->info.geometry.width = 0;
    } else if (tb->nmarks > 0 && g_utf8_get_char(tb->text + t->cluster_byte) == 0xFFFC) {
        t->info.glyph = PANGO_GLYPH_EMPTY;
        t->info.geometry.width = (int)lround(tb->mark_w * PANGO_SCALE);
        t->info.geometry.x_offset = 0;
    } else if (t->info.glyph & PANGO_GLYPH_UNKNOWN_FLAG) {
        tb->unknown++;
    }
}

/* Copies the glyphs of every run into tb->glyphs (frees the runs). */
static void collect_glyphs(text_block *tb, PangoGlyphString **shaped, int cap)
{
    tb->glyphs = g_new0(tx_glyph, cap > 0 ? cap : 1);
    for (int ri = 0; ri < tb->nitems; ri++) {
        const PangoItem *it = tb->items[ri];
        const PangoGlyphString *gs = shaped[ri];
        int ng = gs->num_glyphs;
        bool rtl = (it->analysis.level & 1) != 0;
        for (int g = 0; g < ng; g++) {
            tx_glyph *t = &tb->glyphs[tb->nglyphs++];
            t->info = gs->glyphs[g];
            t->cluster_byte = it->offset + gs->log_clusters[g];
            t->run = ri;
            t->seq = rtl ? ng - 1 - g : g;   /* right-to-left runs are shaped visually */
            adjust_special_glyph(tb, t);
        }
        pango_glyph_string_free(shaped[ri]);
    }
    g_free(shaped);
}

/* Logical order (right-to-left runs come reversed). */
static void sort_glyphs_logically(text_block *tb)
{
    if (tb->nglyphs <= 1)
        return;
    bool sorted = true;
    for (int i = 1; i < tb->nglyphs && sorted; i++)
        sorted = cmp_glyph(&tb->glyphs[i - 1], &tb->glyphs[i]) <= 0;
    if (!sorted)
        qsort(tb->glyphs, tb->nglyphs, sizeof *tb->glyphs, cmp_glyph);
}

/* Where each glyph's Pango cluster ends. */
static void find_cluster_ends(text_block *tb)
{
    for (int g = tb->nglyphs - 1, next = tb->text_len; g >= 0; g--) {
        tx_glyph *t = &tb->glyphs[g];
        if (g + 1 < tb->nglyphs && tb->glyphs[g + 1].cluster_byte > t->cluster_byte)
            next = tb->glyphs[g + 1].cluster_byte;
        const PangoItem *it = tb->items[t->run];
        int item_end = it->offset + it->length;
        t->cluster_end = next < item_end ? next : item_end;
        if (t->cluster_end <= t->cluster_byte)
            t->cluster_end = item_end > t->cluster_byte ? item_end : t->cluster_byte + 1;
    }
}

/* The last character of text [start, end) (c0 for an empty one). */
static gunichar last_char(const char *start, const char *end, gunichar c0)
{
    const char *lastp = g_utf8_find_prev_char(start, end);
    return lastp ? g_utf8_get_char(lastp) : c0;
}

/* Zero-width format characters join the cluster before them (p): a WORD
 * JOINER forbids the break after it, a ZERO WIDTH SPACE allows it. */
static void join_format_chars(const text_block *tb, tx_cluster *p, int start, int end, int ng,
                              double adv, gunichar c0)
{
    gunichar cl = last_char(tb->text + start, tb->text + end, c0);
    if (cl == 0x2060 || cl == 0xFEFF)
        p->flags |= TXF_NOBREAK;
    else if (cl == 0x200B)
        p->flags = (uint8_t)((p->flags & ~TXF_NOBREAK) | TXF_ZWSP);
    p->end = end;
    p->ng += ng;
    p->adv += adv / PANGO_SCALE;
}

static void start_cluster(const text_block *tb, tx_cluster *c, int start, int end, int g0,
                          int ng, double adv, gunichar c0)
{
    c->start = start;
    c->end = end;
    c->g0 = g0;
    c->ng = ng;
    c->adv = adv / PANGO_SCALE;
    c->first = first_visible(tb->text + start, tb->text + end);
    c->last = last_visible(tb->text + start, tb->text + end);
    if (end - start == 1 && tb->text[start] == ' ')
        c->flags |= TXF_SPACE;
    else if (tb->text[start] == '\n')
        c->flags |= TXF_NEWLINE;
    gunichar cl = last_char(tb->text + start, tb->text + end, c0);
    if (cl == 0x2060 || cl == 0xFEFF)
        c->flags |= TXF_NOBREAK;
    else if (cl == 0x200B)
        c->flags |= TXF_ZWSP;
}

/* Groups the glyphs into clusters: the glyphs of one Pango cluster, with
 * the format characters after it. */
static void build_clusters(text_block *tb)
{
    tb->clusters = g_new0(tx_cluster, tb->nglyphs > 0 ? tb->nglyphs : 1);
    int nc = 0;
    for (int g = 0; g < tb->nglyphs;) {
        int start = tb->glyphs[g].cluster_byte;
        int h = g;
        double adv = 0;
        while (h < tb->nglyphs && tb->glyphs[h].cluster_byte == start) {
            adv += tb->glyphs[h].info.geometry.width;
            h++;
        }
        int end = h < tb->nglyphs ? tb->glyphs[h].cluster_byte : tb->text_len;
        gunichar c0 = g_utf8_get_char(tb->text + start);
        if (nc > 0 && tx_char_class(c0) == TX_FORMAT)
            join_format_chars(tb, &tb->clusters[nc - 1], start, end, h - g, adv, c0);
        else
            start_cluster(tb, &tb->clusters[nc++], start, end, g, h - g, adv, c0);
        g = h;
    }
    tb->nclusters = nc;
}

/* Break opportunities of Pango (UAX #14) and grapheme boundaries. */
static void mark_pango_breaks(text_block *tb, PangoContext *ctx)
{
    int nattrs = (int)g_utf8_strlen(tb->text, tb->text_len) + 1;
    PangoLogAttr *la = g_new0(PangoLogAttr, nattrs);
    pango_get_log_attrs(tb->text, tb->text_len, -1, pango_context_get_language(ctx), la, nattrs);
    const char *p = tb->text;
    int ci = 0;
    for (int k = 0; k < tb->nclusters; k++) {
        const char *target = tb->text + tb->clusters[k].start;
        while (p < target) {
            p = g_utf8_next_char(p);
            ci++;
        }
        if (ci < nattrs) {
            if (la[ci].is_line_break)
                tb->clusters[k].flags |= TXF_UAX14;
            if (la[ci].is_cursor_position)
                tb->clusters[k].flags |= TXF_CURSOR;
        }
    }
    g_free(la);
}

/* The compressible blank of a full-width mark and on which side it is
 * (the font's `halt` width against the full one); none for other
 * clusters. */
static void find_mark_blank(text_block *tb, PangoContext *ctx, tx_cluster *c,
                            const guint8 *fwid_at)
{
    double em = tb->style.size_pt;
    tx_class cls = tx_char_class(c->first);
    if (cls != TX_OPEN && cls != TX_CLOSE && cls != TX_STOP && cls != TX_MIDDOT)
        return;
    if (c->ng != 1 || c->adv < 0.9 * em)
        return;
    tx_glyph *g = &tb->glyphs[c->g0];
    if (g->info.glyph & PANGO_GLYPH_UNKNOWN_FLAG)
        return;
    const PangoItem *item = tb->items[g->run];
    int len = (int)(g_utf8_next_char(tb->text + c->start) - (tb->text + c->start));
    halt_val hv = probe_halt(ctx, item, tb->text + c->start, len, g->info.glyph, &g->info,
                             fwid_at[c->start] != 0);
    double blank = (g->info.geometry.width - hv.width) / (double)PANGO_SCALE;
    if (blank < 0.2 * em)
        return;
    double off = (g->info.geometry.x_offset - hv.x_offset) / (double)PANGO_SCALE;
    c->blank = blank;
    if (off > 0.75 * blank)
        c->side = TX_SIDE_LEFT;
    else if (off > 0.25 * blank)
        c->side = TX_SIDE_BOTH;
    else
        c->side = TX_SIDE_RIGHT;
}

/* Shapes the text, fills tb->items / glyphs / clusters. */
static void shape(text_block *tb, PangoContext *ctx)
{
    guint8 *fwid_at = g_new0(guint8, tb->text_len + 1);
    PangoAttrList *al = feature_attrs(tb->text, tb->text_len, fwid_at);
    add_bold_spans(tb, al);
    int cap;
    PangoGlyphString **shaped = shape_runs(tb, ctx, al, &cap);
    pango_attr_list_unref(al);
    collect_glyphs(tb, shaped, cap);
    sort_glyphs_logically(tb);
    find_cluster_ends(tb);
    build_clusters(tb);
    mark_pango_breaks(tb, ctx);
    for (int k = 0; k < tb->nclusters; k++)
        find_mark_blank(tb, ctx, &tb->clusters[k], fwid_at);
    g_free(fwid_at);
}

/* Final glyph advances and offsets from the cluster positions, rounded
 * to Pango units without accumulating error. */
static void place_glyphs(text_block *tb)
{
    for (int k = 0; k < tb->nclusters; k++) {
        tx_cluster *c = &tb->clusters[k];
        if (c->ng == 0)
            continue;
        long x0 = lround(c->x * PANGO_SCALE);
        long x1 = lround((c->x + c->width) * PANGO_SCALE);
        long used = 0;
        for (int g = c->g0; g < c->g0 + c->ng - 1; g++)
            used += tb->glyphs[g].info.geometry.width;
        tx_glyph *lastg = &tb->glyphs[c->g0 + c->ng - 1];
        lastg->info.geometry.width = (int)(x1 - x0 - used);
        long gx = x0;
        for (int g = c->g0; g < c->g0 + c->ng; g++) {
            tb->glyphs[g].x = gx / (double)PANGO_SCALE;
            gx += tb->glyphs[g].info.geometry.width;
        }
        int shift = 0;
        if (c->comp > 0) {
            if (c->side == TX_SIDE_LEFT)
                shift = (int)lround(-c->comp * PANGO_SCALE);
            else if (c->side == TX_SIDE_BOTH)
                shift = (int)lround(-c->comp * PANGO_SCALE / 2);
        }
        tb->glyphs[c->g0].info.geometry.x_offset += shift;
    }
}

/* Table cells wrap between words (words.c: ICU words refined for numbers,
 * units and short brackets), like chart labels: a break the clreq rules
 * allow inside a word is kept only as a last resort. */
static void restrict_to_words(text_block *tb)
{
    int *pos = g_new(int, tb->text_len + 1);
    guint8 *ok = g_new0(guint8, tb->text_len + 1);
    int n = words_label_breaks(tb->text, pos, tb->text_len + 1);
    for (int i = 0; i < n && i <= tb->text_len; i++)
        if (pos[i] >= 0 && pos[i] <= tb->text_len)
            ok[pos[i]] = 1;
    for (int k = 0; n >= 0 && k + 1 < tb->nclusters; k++) {
        tx_cluster *c = &tb->clusters[k];
        if (c->brk == TX_BRK_OK && !(c->flags & TXF_NEWLINE) && !ok[c->end]) {
            c->brk = TX_BRK_EMERGENCY;
            c->penalty = 1e6;   /* text_break.c's COST_EMERGENCY */
        }
    }
    g_free(ok);
    g_free(pos);
}

static text_block *block_new(PangoContext *ctx, const text_style *style, const char *utf8,
                             const char *const *links, int nlinks, double mark_em,
                             double width_pt)
{
    if (!ctx || !style)
        return NULL;
    text_block *tb = g_new0(text_block, 1);
    if (links && nlinks > 0) {
        tb->links = g_new0(char *, nlinks);
        for (int i = 0; i < nlinks; i++)
            tb->links[i] = g_strdup(links[i]);
        tb->nlinks = nlinks;
    }
    tb->style = *style;
    if (!(tb->style.size_pt > 0))
        tb->style.size_pt = 10.5;
    tb->family = g_strdup(style->family && *style->family ? style->family : "Brief Serif SC");
    tb->style.family = tb->family;
    double em = tb->style.size_pt;
    tb->pitch = style->pitch_pt > 0 ? style->pitch_pt : 1.5 * em;
    tb->baseline = (tb->pitch - em) / 2 + EMBOX_ASCENT * em;
    tb->text = tx_normalize(utf8, style->normalize_punctuation);
    tb->text_len = (int)strlen(tb->text);
    tb->mark_w = mark_em * em;
    if (mark_em > 0 || links)
        strip_markers(tb);
    if (tb->text_len == 0) {
        tb->measure = width_pt > 0 ? width_pt : 0;
        return tb;
    }
    shape(tb, ctx);

    tx_params p = {
        .em = em,
        .indent = (style->indent_em > 0 ? style->indent_em : 0) * em,
        .cjk_latin = (style->cjk_latin_space_em > 0 ? style->cjk_latin_space_em : 0) * em,
        .align = style->align,
    };
    /* no width: one line as wide as the text */
    p.measure = width_pt > 0 ? width_pt : 1e6;
    tx_prepare(tb->clusters, tb->nclusters, &p);
    if (style->word_breaks)
        restrict_to_words(tb);
    if (tb->link_at || tb->nmarks > 0)
        rich_breaks(tb);
    if (!(width_pt > 0))
        p.measure = tx_natural_width(tb->clusters, tb->nclusters) + p.indent;
    if (p.indent > p.measure - em)
        p.indent = fmax(0, p.measure - em);
    tb->measure = p.measure;
    tb->nlines = tx_break(tb->clusters, tb->nclusters, &p, &tb->lines);
    place_glyphs(tb);
    return tb;
}

text_block *text_block_new(PangoContext *ctx, const text_style *style, const char *utf8,
                           double width_pt)
{
    return block_new(ctx, style, utf8, NULL, 0, 0, width_pt);
}

text_block *text_block_new_rich(PangoContext *ctx, const text_style *style, const char *marked,
                                const char *const *links, int nlinks, double note_mark_em,
                                double width_pt)
{
    static const char *const none[1] = {NULL};
    return block_new(ctx, style, marked, links ? links : none, links ? nlinks : 0,
                     note_mark_em > 0 ? note_mark_em : 0.5, width_pt);
}

int text_block_mark_count(const text_block *tb)
{
    return tb ? tb->nmarks : 0;
}

static int cluster_at(const text_block *tb, int byte)
{
    int lo = 0, hi = tb->nclusters - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (tb->clusters[mid].start <= byte)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

bool text_block_mark(const text_block *tb, int k, int *line, double *x_pt)
{
    if (!tb || k < 0 || k >= tb->nmarks || tb->nclusters == 0)
        return false;
    const tx_cluster *c = &tb->clusters[cluster_at(tb, tb->marks[k])];
    *line = c->line;
    *x_pt = c->x;
    return true;
}

void text_block_free(text_block *tb)
{
    if (!tb)
        return;
    for (int i = 0; i < tb->nitems; i++)
        if (tb->items[i])
            pango_item_free(tb->items[i]);
    g_free(tb->items);
    g_free(tb->glyphs);
    g_free(tb->clusters);
    g_free(tb->lines);
    g_free(tb->text);
    g_free(tb->family);
    for (int i = 0; i < tb->nlinks; i++)
        g_free(tb->links[i]);
    g_free(tb->links);
    g_free(tb->link_at);
    g_free(tb->bold);
    g_free(tb->marks);
    g_free(tb);
}

int text_block_line_count(const text_block *tb)
{
    return tb ? tb->nlines : 0;
}

double text_block_size(const text_block *tb)
{
    return tb ? tb->style.size_pt : 0;
}

double text_block_height(const text_block *tb, int first, int n)
{
    if (!tb || n <= 0)
        return 0;
    if (first < 0)
        first = 0;
    if (first + n > tb->nlines)
        n = tb->nlines - first;
    return n > 0 ? n * tb->pitch : 0;
}

bool text_block_line(const text_block *tb, int i, text_line_info *out)
{
    if (!tb || i < 0 || i >= tb->nlines || !out)
        return false;
    const tx_line *L = &tb->lines[i];
    out->start = tb->clusters[L->c0].start;
    out->length = tb->clusters[L->c1 - 1].end - out->start;
    out->x_pt = L->x;
    out->width_pt = L->width;
    out->last = L->last;
    return true;
}

const char *text_block_text(const text_block *tb)
{
    return tb ? tb->text : "";
}

int text_block_unknown_glyphs(const text_block *tb)
{
    return tb ? tb->unknown : 0;
}

/* ---- inspection ---- */

int text_block_cluster_count(const text_block *tb)
{
    return tb ? tb->nclusters : 0;
}

bool text_block_cluster(const text_block *tb, int i, text_cluster_info *out)
{
    if (!tb || i < 0 || i >= tb->nclusters || !out)
        return false;
    const tx_cluster *c = &tb->clusters[i];
    const tx_line *L = &tb->lines[c->line];
    out->start = c->start;
    out->end = c->end;
    out->line = c->line;
    out->x = c->x;
    out->advance = c->width;
    out->natural = c->adv;
    out->compressed = c->comp;
    out->glue = (i + 1 < L->vis1) ? c->glue : 0;
    out->side = c->side;
    return true;
}

double text_block_measure(const text_block *tb)
{
    return tb ? tb->measure : 0;
}

double text_block_em(const text_block *tb)
{
    return tb ? tb->style.size_pt : 0;
}
