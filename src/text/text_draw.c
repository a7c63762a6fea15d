/*
 * text_draw.c — drawing a text block's lines (text.c set them).
 *
 * Takes a laid-out text_block and a cairo_t; draws the glyphs of lines
 * [first, first+n) at the positions text_break.c chose, passing the text
 * with every glyph run (so a PDF's text is exactly text_block_text()).
 * Rich text: the glyphs of a link are drawn inside a cairo link tag (one
 * per line: the annotation covers what is drawn inside it); a footnote
 * mark's room is left empty for the painter, which draws the page's
 * number there.
 */
#include "text/text.h"
#include "text/text_internal.h"

#include <pango/pangocairo.h>

/* ---- drawing: one outline decode per glyph ---- */

/* cairo's FreeType back-end decodes a glyph at the em size for unhinted
 * metrics, again at the drawing size for the outline a PDF asks for, and a
 * third time at the em size for the embedded subset's widths.  A scaled
 * font with hinted metrics (hinting itself stays off) gets metrics and
 * outline from one decode when both are asked for together, so body text is
 * drawn with such a twin of the measuring font, and each glyph's outline is
 * requested before the PDF back-end asks: two decodes per glyph instead of
 * three.  Positions are ours either way and the PDF takes
 * its glyph widths from the subset, so the output is byte for byte the
 * same. */
#define TWIN_KEY "brief-text-drawing-twin"
#define SEEN_GLYPHS 65536

static cairo_scaled_font_t *drawing_twin(PangoFont *font)
{
    cairo_scaled_font_t *twin = g_object_get_data(G_OBJECT(font), TWIN_KEY);
    if (twin)
        return twin;
    cairo_scaled_font_t *sf = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font));
    if (!sf || cairo_scaled_font_status(sf) != CAIRO_STATUS_SUCCESS)
        return NULL;
    cairo_matrix_t font_matrix, ctm;
    cairo_scaled_font_get_font_matrix(sf, &font_matrix);
    cairo_scaled_font_get_ctm(sf, &ctm);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_scaled_font_get_font_options(sf, fo);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_ON);
    twin = cairo_scaled_font_create(cairo_scaled_font_get_font_face(sf), &font_matrix, &ctm, fo);
    cairo_font_options_destroy(fo);
    if (cairo_scaled_font_status(twin) != CAIRO_STATUS_SUCCESS) {
        cairo_scaled_font_destroy(twin);
        return NULL;
    }
    g_object_set_data_full(G_OBJECT(font), TWIN_KEY, twin,
                           (GDestroyNotify)cairo_scaled_font_destroy);
    return twin;
}

/* Glyph ids of a twin whose outline has been requested; it lives with the
 * twin, whose glyph cache holds the outlines. */
static const cairo_user_data_key_t seen_key;

static guint8 *outlines_seen(cairo_scaled_font_t *twin)
{
    guint8 *seen = cairo_scaled_font_get_user_data(twin, &seen_key);
    if (!seen) {
        seen = g_malloc0(SEEN_GLYPHS / 8);
        if (cairo_scaled_font_set_user_data(twin, &seen_key, seen, g_free) !=
            CAIRO_STATUS_SUCCESS) {
            g_free(seen);
            return NULL;
        }
    }
    return seen;
}

/* Asks for the outlines of the glyphs new to this twin (cr has it set). */
static void request_outlines(cairo_t *cr, guint8 *seen, const cairo_glyph_t *glyphs, int n)
{
    cairo_glyph_t fresh[64];
    int k = 0;
    for (int i = 0; i < n; i++) {
        unsigned long g = glyphs[i].index;
        if (g >= SEEN_GLYPHS || (seen[g / 8] & (1u << (g % 8))))
            continue;
        seen[g / 8] |= (guint8)(1u << (g % 8));
        fresh[k++] = (cairo_glyph_t){.index = g};
        if (k == (int)G_N_ELEMENTS(fresh)) {
            cairo_glyph_path(cr, fresh, k);
            k = 0;
        }
    }
    if (k > 0)
        cairo_glyph_path(cr, fresh, k);
    cairo_new_path(cr);
}

/* Draws a left-to-right run of ordinary glyphs the way
 * pango_cairo_show_glyph_item would (same positions, same clusters), with
 * the drawing twin.  False when the run needs Pango (empty or unknown
 * glyphs, right-to-left, no twin). */
static bool show_run_twin(const text_block *tb, cairo_t *cr, const PangoItem *src, int g0, int g1,
                          int start, int end, double x, double y)
{
    if ((src->analysis.level & 1) != 0 || !PANGO_IS_CAIRO_FONT(src->analysis.font))
        return false;
    int n = g1 - g0;
    for (int g = g0; g < g1; g++) {
        PangoGlyph id = tb->glyphs[g].info.glyph;
        if (id == PANGO_GLYPH_EMPTY || (id & PANGO_GLYPH_UNKNOWN_FLAG))
            return false;
    }
    cairo_scaled_font_t *twin = drawing_twin(src->analysis.font);
    if (!twin)
        return false;
    cairo_glyph_t stack_glyphs[256];
    cairo_text_cluster_t stack_clusters[256];
    cairo_glyph_t *glyphs = n <= 256 ? stack_glyphs : g_new(cairo_glyph_t, n);
    cairo_text_cluster_t *clusters = n <= 256 ? stack_clusters : g_new(cairo_text_cluster_t, n);
    int nc = 0, x_position = 0;
    for (int i = 0; i < n; i++) {
        const tx_glyph *t = &tb->glyphs[g0 + i];
        glyphs[i].index = t->info.glyph;
        glyphs[i].x = x + (double)(x_position + t->info.geometry.x_offset) / PANGO_SCALE;
        glyphs[i].y = t->info.geometry.y_offset == 0
                          ? y : y + (double)t->info.geometry.y_offset / PANGO_SCALE;
        x_position += t->info.geometry.width;
        /* a cluster's bytes run to where the next cluster starts, which
         * shape() recorded as cluster_end */
        if (i > 0 && t->cluster_byte == tb->glyphs[g0 + i - 1].cluster_byte)
            clusters[nc - 1].num_glyphs++;
        else
            clusters[nc++] = (cairo_text_cluster_t){
                .num_bytes = t->cluster_end - t->cluster_byte, .num_glyphs = 1};
    }
    cairo_save(cr);
    cairo_set_scaled_font(cr, twin);
    guint8 *seen = cairo_get_scaled_font(cr) == twin ? outlines_seen(twin) : NULL;
    if (seen)
        request_outlines(cr, seen, glyphs, n);
    cairo_show_text_glyphs(cr, tb->text + start, end - start, glyphs, n, clusters, nc, 0);
    cairo_restore(cr);
    if (glyphs != stack_glyphs)
        g_free(glyphs);
    if (clusters != stack_clusters)
        g_free(clusters);
    return true;
}

/* Draws glyphs [g0, g1), all of one run and in logical order, with the
 * left edge of the first at x. */
static void draw_run(const text_block *tb, cairo_t *cr, int g0, int g1, double x, double y)
{
    const PangoItem *src = tb->items[tb->glyphs[g0].run];
    int n = g1 - g0;
    int start = tb->glyphs[g0].cluster_byte, end = start;
    for (int g = g0; g < g1; g++) {
        if (tb->glyphs[g].cluster_byte < start)
            start = tb->glyphs[g].cluster_byte;
        if (tb->glyphs[g].cluster_end > end)
            end = tb->glyphs[g].cluster_end;
    }
    /* Pango starts from cairo's current point, which is fixed-point: go
     * through it too so every position comes out the same. */
    cairo_move_to(cr, x, y);
    double px, py;
    cairo_get_current_point(cr, &px, &py);
    if (show_run_twin(tb, cr, src, g0, g1, start, end, px, py))
        return;
    PangoItem *item = pango_item_copy((PangoItem *)src);
    item->offset = start;
    item->length = end - start;
    item->num_chars = (int)g_utf8_strlen(tb->text + start, end - start);
    PangoGlyphString *gs = pango_glyph_string_new();
    pango_glyph_string_set_size(gs, n);
    bool rtl = (src->analysis.level & 1) != 0;
    for (int i = 0; i < n; i++) {
        const tx_glyph *t = &tb->glyphs[rtl ? g1 - 1 - i : g0 + i];
        gs->glyphs[i] = t->info;
        gs->log_clusters[i] = t->cluster_byte - start;
    }
    PangoGlyphItem gi = {item, gs, 0, 0, 0};
    cairo_move_to(cr, x, y);
    pango_cairo_show_glyph_item(cr, tb->text, &gi);
    pango_glyph_string_free(gs);
    pango_item_free(item);
}

static bool is_mark_glyph(const text_block *tb, int g)
{
    return tb->nmarks > 0 && tb->glyphs[g].info.glyph == PANGO_GLYPH_EMPTY &&
           g_utf8_get_char(tb->text + tb->glyphs[g].cluster_byte) == 0xFFFC;
}

void text_tag_link_begin(cairo_t *cr, const char *uri)
{
    GString *a = g_string_new("uri='");
    for (const char *p = uri; *p; p++) {
        if (*p == '\'' || *p == '\\')
            g_string_append_c(a, '\\');
        g_string_append_c(a, *p);
    }
    g_string_append_c(a, '\'');
    cairo_tag_begin(cr, CAIRO_TAG_LINK, a->str);
    g_string_free(a, TRUE);
}

void text_tag_span_begin(cairo_t *cr, bool on)
{
    if (on)
        cairo_tag_begin(cr, "Span", "");
}

void text_tag_span_end(cairo_t *cr, bool on)
{
    if (on)
        cairo_tag_end(cr, "Span");
}

void text_block_draw(const text_block *tb, cairo_t *cr, int first, int n, double x_pt,
                     double y_pt)
{
    if (!tb || !cr || n <= 0)
        return;
    if (first < 0)
        first = 0;
    if (first + n > tb->nlines)
        n = tb->nlines - first;
    cairo_save(cr);
    cairo_set_source_rgb(cr, tb->style.rgb[0], tb->style.rgb[1], tb->style.rgb[2]);
    bool span = false;        /* in a text with links, the text outside them is in Spans */
    for (int li = first; li < first + n; li++) {
        const tx_line *L = &tb->lines[li];
        double by = y_pt + (li - first) * tb->pitch + tb->baseline;
        if (L->vis1 <= L->c0)
            continue;
        const tx_cluster *c0 = &tb->clusters[L->c0], *c1 = &tb->clusters[L->vis1 - 1];
        int g = c0->g0, gend = c1->g0 + c1->ng;
        /* segments: consecutive glyphs of one run whose clusters follow
         * each other in the text */
        int open_link = -1;
        while (g < gend) {
            int h = g + 1;
            int link = tx_link_of(tb, tb->glyphs[g].cluster_byte);
            bool mark = is_mark_glyph(tb, g);
            while (h < gend && tb->glyphs[h].run == tb->glyphs[g].run &&
                   tb->glyphs[h].cluster_byte >= tb->glyphs[h - 1].cluster_byte &&
                   tb->glyphs[h].cluster_byte <= tb->glyphs[h - 1].cluster_end &&
                   tx_link_of(tb, tb->glyphs[h].cluster_byte) == link && !mark &&
                   !is_mark_glyph(tb, h))
                h++;
            if (link != open_link) {
                if (open_link >= 0)
                    cairo_tag_end(cr, CAIRO_TAG_LINK);
                if (link >= 0 && span) {
                    text_tag_span_end(cr, true);
                    span = false;
                }
                if (link >= 0)   /* one link tag per line: the annotation covers it */
                    text_tag_link_begin(cr, tb->links[link]);
                open_link = link;
            }
            /* cairo 1.16 marks content only for an element without child
             * elements: once a Link is nested in it, the element's own text
             * would belong to no element (a screen reader following the
             * structure skips it).  So, in a text with links, the text
             * outside them goes in Spans. */
            if (link < 0 && tb->nlinks > 0 && !span && !mark) {
                text_tag_span_begin(cr, true);
                span = true;
            }
            if (!mark)
                draw_run(tb, cr, g, h, x_pt + tb->glyphs[g].x, by);
            g = h;
        }
        if (open_link >= 0)
            cairo_tag_end(cr, CAIRO_TAG_LINK);
    }
    text_tag_span_end(cr, span);
    cairo_restore(cr);
}

void text_block_draw_beside(const text_block *host, const text_block *piece, cairo_t *cr,
                            double x_pt, double y_pt)
{
    bool span = text_block_has_links(host);
    text_tag_span_begin(cr, span);
    text_block_draw(piece, cr, 0, 1, x_pt, y_pt);
    text_tag_span_end(cr, span);
}

bool text_block_has_links(const text_block *tb)
{
    return tb && tb->nlinks > 0;
}
