/*
 * chart_svg.c — writes a chart_layout as SVG (stage 5 for charts, SVG only).
 *
 * Takes a finished layout; gives a standalone SVG document in a GString.
 * Like chart_paint.c it measures and decides nothing: shapes, text
 * positions and line breaks all come from the layout, in the same
 * drawing order.  Glyphs are drawn as outlines (one <symbol> per glyph and
 * size, placed with <use>), so the chart looks the same without the fonts;
 * each text line is also written as invisible <text> so the labels can be
 * found, selected and read aloud; a link of a text given as runs is an
 * invisible rectangle in <a> over its letters.  Numbers are written with at most three
 * decimals (1/1000 pt) by integer arithmetic.
 *
 * Every id (glyph symbols, halo groups) starts with a prefix unique to the
 * export — the chart id and a hash of the document, or one given — so any
 * number of exported charts can be inlined into one HTML page without one
 * chart's <use> picking up another's glyphs.  The writer marks where the
 * prefix goes (ID_MARK, a byte XML cannot carry, so no text holds it) and
 * the document is hashed and the marks replaced at the end.
 *
 * Why not cairo's SVG surface: cairo 1.16 prints every outline coordinate
 * with printf("%f") after replaying the whole drawing twice, which made an
 * exported chart cost several times its layout, and its text cannot be
 * selected.
 */
#include "chart/chart_internal.h"
#include "util/glyph_key.h"

#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

/* Where the id prefix goes; put_escaped drops it from any text. */
#define ID_MARK "\x01"
#define ID_PREFIX_MAX 48

typedef struct svg_writer {
    GString *defs;                 /* <symbol>s */
    GString *body;
    GHashTable *symbols;           /* glyph_key* -> symbol number (+1) */
    GHashTable *fonts;             /* cairo_scaled_font_t* -> font number (+1) */
    cairo_surface_t *scratch;      /* outlines are traced on a recording surface */
    cairo_t *cr;
    unsigned nsymbols, nfonts, ngroups;
} svg_writer;

/* ---- numbers ---- */

/* v with at most three decimals, no trailing zeros, no "-0"; built in a
 * local buffer and appended once (outlines are thousands of numbers). */
static void put_num(GString *s, double v)
{
    if (!isfinite(v))
        v = 0;
    long long m = llround(v * 1000.0);
    char buf[32];
    char *end = buf + sizeof buf, *p = end;
    bool neg = m < 0;
    if (neg)
        m = -m;
    int frac = (int)(m % 1000);
    long long whole = m / 1000;
    if (frac) {
        int digits = 3;
        while (frac % 10 == 0) {
            frac /= 10;
            digits--;
        }
        for (int i = 0; i < digits; i++, frac /= 10)
            *--p = (char)('0' + frac % 10);
        *--p = '.';
    }
    do {
        *--p = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole > 0);
    if (neg)
        *--p = '-';
    g_string_append_len(s, p, end - p);
}

static void put_attr_num(GString *s, const char *name, double v)
{
    g_string_append_c(s, ' ');
    g_string_append(s, name);
    g_string_append(s, "=\"");
    put_num(s, v);
    g_string_append_c(s, '"');
}

static void put_color(GString *s, chart_rgb c)
{
    int r = (int)lround(fmin(fmax(c.r, 0), 1) * 255);
    int g = (int)lround(fmin(fmax(c.g, 0), 1) * 255);
    int b = (int)lround(fmin(fmax(c.b, 0), 1) * 255);
    g_string_append_printf(s, "#%02x%02x%02x", r, g, b);
}

/* Text as XML character data: markup escaped, and the characters XML 1.0
 * cannot carry at all (controls other than tab and line ends, U+FFFE/FFFF)
 * left out — a label may hold them, escaped, in its JSON. */
static void put_escaped(GString *s, const char *text, gssize len)
{
    const char *end = len < 0 ? text + strlen(text) : text + len;
    for (const char *p = text; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        switch (c) {
        case '&': g_string_append(s, "&amp;"); continue;
        case '<': g_string_append(s, "&lt;"); continue;
        case '>': g_string_append(s, "&gt;"); continue;
        case '"': g_string_append(s, "&quot;"); continue;
        default: break;
        }
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF)
            continue;
        g_string_append_len(s, p, g_utf8_next_char(p) - p);
    }
}

/* ---- glyph outlines ---- */

static void put_outline(GString *s, const cairo_path_t *path)
{
    for (int i = 0; i < path->num_data; i += path->data[i].header.length) {
        const cairo_path_data_t *d = &path->data[i];
        char op = 0;
        int points = 0;
        switch (d->header.type) {
        case CAIRO_PATH_MOVE_TO: op = 'M'; points = 1; break;
        case CAIRO_PATH_LINE_TO: op = 'L'; points = 1; break;
        case CAIRO_PATH_CURVE_TO: op = 'C'; points = 3; break;
        case CAIRO_PATH_CLOSE_PATH: op = 'Z'; points = 0; break;
        }
        if (!op)
            continue;
        if (s->len > 0 && s->str[s->len - 1] != '"')
            g_string_append_c(s, ' ');
        g_string_append_c(s, op);
        for (int p = 1; p <= points; p++) {
            g_string_append_c(s, ' ');
            put_num(s, d[p].point.x);
            g_string_append_c(s, ' ');
            put_num(s, d[p].point.y);
        }
    }
}

/* Number of the font's symbols group ("glyphF-G"), allotted on first use. */
static unsigned font_number(svg_writer *w, cairo_scaled_font_t *font)
{
    gpointer v = g_hash_table_lookup(w->fonts, font);
    if (v)
        return GPOINTER_TO_UINT(v) - 1;
    unsigned n = w->nfonts++;
    g_hash_table_insert(w->fonts, cairo_scaled_font_reference(font), GUINT_TO_POINTER(n + 1));
    return n;
}

/* The symbol id of a glyph, its outline written to defs on first use. */
static unsigned glyph_symbol(svg_writer *w, cairo_scaled_font_t *font, PangoGlyph glyph,
                             unsigned *font_no)
{
    *font_no = font_number(w, font);
    glyph_key probe = {font, glyph};
    gpointer v = g_hash_table_lookup(w->symbols, &probe);
    if (v)
        return GPOINTER_TO_UINT(v) - 1;
    unsigned n = w->nsymbols++;
    glyph_key *k = g_new(glyph_key, 1);
    *k = probe;
    g_hash_table_insert(w->symbols, k, GUINT_TO_POINTER(n + 1));

    cairo_set_scaled_font(w->cr, font);
    cairo_glyph_t g = {.index = glyph, .x = 0, .y = 0};
    cairo_new_path(w->cr);
    cairo_glyph_path(w->cr, &g, 1);
    cairo_path_t *path = cairo_copy_path(w->cr);
    cairo_new_path(w->cr);
    g_string_append_printf(w->defs, "<symbol overflow=\"visible\" id=\"" ID_MARK "glyph%u-%u\">\n<path d=\"",
                           *font_no, n);
    if (path && path->status == CAIRO_STATUS_SUCCESS)
        put_outline(w->defs, path);
    g_string_append(w->defs, "\"/>\n</symbol>\n");
    cairo_path_destroy(path);
    return n;
}

/* ---- text ---- */

/* <use> elements for one laid-out line, the way pango_cairo_show_layout
 * places its glyphs (x, baseline in layout coordinates, Pango units). */
static void put_line_glyphs(svg_writer *w, GString *out, PangoLayoutLine *line, double x0,
                            double y0)
{
    double x_off = 0;
    for (GSList *r = line->runs; r; r = r->next) {
        PangoGlyphItem *run = r->data;
        PangoFont *font = run->item->analysis.font;
        cairo_scaled_font_t *sf =
            PANGO_IS_CAIRO_FONT(font) ? pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font))
                                      : NULL;
        int x_position = 0;
        for (int i = 0; i < run->glyphs->num_glyphs; i++) {
            const PangoGlyphInfo *gi = &run->glyphs->glyphs[i];
            double cx = x0 + x_off + (double)(x_position + gi->geometry.x_offset) / PANGO_SCALE;
            double cy = y0 + (double)gi->geometry.y_offset / PANGO_SCALE;
            x_position += gi->geometry.width;
            if (!sf || gi->glyph == PANGO_GLYPH_EMPTY || (gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG))
                continue;
            unsigned f, n = glyph_symbol(w, sf, gi->glyph, &f);
            g_string_append_printf(out, "<use xlink:href=\"#" ID_MARK "glyph%u-%u\"", f, n);
            put_attr_num(out, "x", cx);
            put_attr_num(out, "y", cy);
            g_string_append(out, "/>\n");
        }
        x_off += (double)x_position / PANGO_SCALE;
    }
}

/* The same line as invisible text, stretched over the drawn glyphs. */
static void put_line_text(GString *out, const char *text, const PangoLayoutLine *line,
                          double x0, double y0, double width, double size)
{
    if (line->length <= 0 || width <= 0)
        return;
    g_string_append(out, "<text");
    put_attr_num(out, "x", x0);
    put_attr_num(out, "y", y0);
    put_attr_num(out, "font-size", size);
    put_attr_num(out, "textLength", width);
    g_string_append(out, " lengthAdjust=\"spacingAndGlyphs\">");
    put_escaped(out, text + line->start_index, line->length);
    g_string_append(out, "</text>\n");
}

/* A link of a text given as runs: over the part of each line it covers,
 * an invisible rectangle inside <a>, so the SVG's link is clickable where
 * its letters are (the letters themselves are <use>d outlines). */
static void put_links(GString *out, const chart_text *t, double ox, double oy)
{
    for (size_t k = 0; k < t->nlinks; k++) {
        const chart_link *l = &t->links[k];
        g_string_append(out, "<a xlink:href=\"");
        put_escaped(out, l->uri, -1);
        g_string_append(out, "\">\n");
        PangoLayoutIter *it = pango_layout_get_iter(t->layout);
        do {
            PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
            int from = MAX(l->start, line->start_index);
            int to = MIN(l->end, line->start_index + line->length);
            if (from >= to)
                continue;
            PangoRectangle logical;
            pango_layout_iter_get_line_extents(it, NULL, &logical);
            int *ranges = NULL, n = 0;
            pango_layout_line_get_x_ranges(line, from, to, &ranges, &n);
            for (int i = 0; i < n; i++) {
                g_string_append(out, "<rect");
                put_attr_num(out, "x", ox + ranges[2 * i] / (double)PANGO_SCALE);
                put_attr_num(out, "y", oy + logical.y / (double)PANGO_SCALE);
                put_attr_num(out, "width", (ranges[2 * i + 1] - ranges[2 * i]) / (double)PANGO_SCALE);
                put_attr_num(out, "height", logical.height / (double)PANGO_SCALE);
                g_string_append(out, " fill-opacity=\"0\"/>\n");
            }
            g_free(ranges);
        } while (pango_layout_iter_next_line(it));
        pango_layout_iter_free(it);
        g_string_append(out, "</a>\n");
    }
}

static void put_text(svg_writer *w, const chart_text *t)
{
    /* Upright text is written in chart coordinates; rotated text in a group
     * turned the way chart_paint.c turns the cairo context. */
    double ox = t->x0 - t->lx, oy = t->y0 - t->ly;
    bool group = t->rotated || t->scale != 1;
    if (t->boxed) {     /* as chart_paint.c: a white rounded box under the label */
        double m = CHART_LABEL_BOX_PAD_PT;
        g_string_append(w->body, "<rect");
        put_attr_num(w->body, "x", t->x0 - m);
        put_attr_num(w->body, "y", t->y0 - m);
        put_attr_num(w->body, "width", t->x1 - t->x0 + 2 * m);
        put_attr_num(w->body, "height", t->y1 - t->y0 + 2 * m);
        put_attr_num(w->body, "rx", CHART_LABEL_BOX_RADIUS_PT);
        g_string_append(w->body, " fill=\"#ffffff\"/>\n");
    }
    if (group) {
        g_string_append(w->body, "<g transform=\"translate(");
        put_num(w->body, t->x0);
        g_string_append_c(w->body, ' ');
        put_num(w->body, t->rotated ? t->y1 : t->y0);
        g_string_append(w->body, t->rotated ? ") rotate(-90)" : ")");
        if (t->scale != 1) {
            g_string_append(w->body, " scale(");
            put_num(w->body, t->scale);
            g_string_append_c(w->body, ')');
        }
        g_string_append(w->body, "\">\n");
        ox = -t->lx;
        oy = -t->ly;
    }

    /* the glyphs are listed once and written twice when a halo goes under */
    GString *uses = g_string_new(NULL), *words = g_string_new(NULL);
    const char *text = pango_layout_get_text(t->layout);
    PangoLayoutIter *it = pango_layout_get_iter(t->layout);
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        double x = ox + logical.x / (double)PANGO_SCALE;
        double y = oy + pango_layout_iter_get_baseline(it) / (double)PANGO_SCALE;
        put_line_glyphs(w, uses, line, x, y);
        put_line_text(words, text, line, x, y, logical.width / (double)PANGO_SCALE,
                      t->size_pt / t->scale);
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);

    if (t->halo && !t->boxed) {
        /* the glyphs go into defs once and are used twice: a white
         * outline under the letters where a line crosses them */
        unsigned id = w->ngroups++;
        g_string_append_printf(w->defs, "<g id=\"" ID_MARK "text%u\">\n", id);
        g_string_append_len(w->defs, uses->str, (gssize)uses->len);
        g_string_append(w->defs, "</g>\n");
        g_string_append_printf(w->body,
                               "<use xlink:href=\"#" ID_MARK "text%u\" fill=\"none\" "
                               "stroke=\"#ffffff\" stroke-width=\"2\" stroke-linejoin=\"round\"/>\n"
                               "<use xlink:href=\"#" ID_MARK "text%u\" fill=\"",
                               id, id);
        put_color(w->body, t->color);
        g_string_append(w->body, "\"/>\n");
    } else {
        g_string_append(w->body, "<g fill=\"");
        put_color(w->body, t->color);
        g_string_append(w->body, "\">\n");
        g_string_append_len(w->body, uses->str, (gssize)uses->len);
        g_string_append(w->body, "</g>\n");
    }
    if (words->len > 0) {
        g_string_append(w->body, "<g fill-opacity=\"0\" font-family=\"sans-serif\">\n");
        g_string_append_len(w->body, words->str, (gssize)words->len);
        g_string_append(w->body, "</g>\n");
    }
    put_links(w->body, t, ox, oy);
    if (group)
        g_string_append(w->body, "</g>\n");
    g_string_free(uses, TRUE);
    g_string_free(words, TRUE);
}

/* ---- shapes ---- */

/* The point at angle a (clockwise from twelve o'clock) and radius r. */
static void put_polar(GString *b, const chart_shape *s, double r, double a)
{
    put_num(b, s->x0 + r * sin(a));
    g_string_append_c(b, ' ');
    put_num(b, s->y0 - r * cos(a));
}

/* An arc of radius r from the current point (at angle a0) to angle a1, in
 * two halves, so that a whole ring needs no special case. */
static void put_arc(GString *b, const chart_shape *s, double r, double a0, double a1)
{
    double mid = (a0 + a1) / 2;
    int sweep = a1 > a0 ? 1 : 0;
    for (int half = 0; half < 2; half++) {
        g_string_append(b, " A ");
        put_num(b, r);
        g_string_append_c(b, ' ');
        put_num(b, r);
        g_string_append_printf(b, " 0 0 %d ", sweep);
        put_polar(b, s, r, half ? a1 : mid);
    }
}

/* A line marker or a pie slice: filled, edged in white. */
static void put_round(GString *b, const chart_shape *s)
{
    if (s->kind == CHART_SHAPE_CIRCLE) {
        g_string_append(b, "<circle");
        put_attr_num(b, "cx", s->x0);
        put_attr_num(b, "cy", s->y0);
        put_attr_num(b, "r", s->r1);
    } else {
        g_string_append(b, "<path d=\"M ");
        put_polar(b, s, s->r1, s->a0);
        put_arc(b, s, s->r1, s->a0, s->a1);
        g_string_append(b, " L ");
        if (s->r0 > 0) {
            put_polar(b, s, s->r0, s->a1);
            put_arc(b, s, s->r0, s->a1, s->a0);
        } else {
            put_num(b, s->x0);
            g_string_append_c(b, ' ');
            put_num(b, s->y0);
        }
        g_string_append(b, " Z\"");
    }
    g_string_append(b, " fill=\"");
    put_color(b, s->color);
    g_string_append_c(b, '"');
    if (s->width > 0) {
        g_string_append(b, " stroke=\"#ffffff\" stroke-linejoin=\"round\"");
        put_attr_num(b, "stroke-width", s->width);
    }
    g_string_append(b, "/>\n");
}

static void put_shape(svg_writer *w, const chart_shape *s)
{
    GString *b = w->body;
    if (s->kind == CHART_SHAPE_CIRCLE || s->kind == CHART_SHAPE_SECTOR) {
        put_round(b, s);
        return;
    }
    if (s->kind == CHART_SHAPE_RECT) {
        g_string_append(b, "<rect");
        put_attr_num(b, "x", s->x0);
        put_attr_num(b, "y", s->y0);
        put_attr_num(b, "width", s->x1 - s->x0);
        put_attr_num(b, "height", s->y1 - s->y0);
        g_string_append(b, " fill=\"");
        put_color(b, s->color);
        g_string_append(b, "\"/>\n");
        return;
    }
    g_string_append(b, "<path d=\"M ");
    put_num(b, s->x0);
    g_string_append_c(b, ' ');
    put_num(b, s->y0);
    g_string_append(b, " L ");
    put_num(b, s->x1);
    g_string_append_c(b, ' ');
    put_num(b, s->y1);
    g_string_append(b, "\" fill=\"none\" stroke=\"");
    put_color(b, s->color);
    g_string_append_c(b, '"');
    put_attr_num(b, "stroke-width", s->width);
    if (s->round)
        g_string_append(b, " stroke-linecap=\"round\"");
    if (s->dash > 0) {
        g_string_append(b, " stroke-dasharray=\"");
        put_num(b, s->dash);
        g_string_append_c(b, ' ');
        put_num(b, s->dash * 0.75);
        g_string_append_c(b, '"');
    }
    g_string_append(b, "/>\n");
}

/* ---- ids ---- */

/* s as the start of an XML id: ASCII letters, digits, '-', '_' and '.'
 * (a run of anything else becomes one '_'), starting with a letter or '_',
 * at most ID_PREFIX_MAX bytes. */
static void put_id_part(GString *out, const char *s)
{
    size_t start = out->len;
    bool gap = false;
    for (const char *p = s ? s : ""; *p && out->len - start < ID_PREFIX_MAX; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
        if (!ok) {
            gap = true;
            continue;
        }
        if (gap && out->len > start)
            g_string_append_c(out, '_');
        gap = false;
        if (out->len == start && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'))
            g_string_append_c(out, 'c');
        g_string_append_c(out, c);
    }
}

/* FNV-1a, 64 bits: a stable hash of the document (with the marks). */
static guint64 doc_hash(const GString *s)
{
    guint64 h = 1469598103934665603ull;
    for (gsize i = 0; i < s->len; i++) {
        h ^= (unsigned char)s->str[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* The document with every ID_MARK replaced by the prefix: id_prefix when
 * given, else the chart id (or "chart") and 8 hex digits of the hash. */
static GString *put_ids(const GString *doc, const char *chart_id, const char *id_prefix)
{
    GString *prefix = g_string_new(NULL);
    if (id_prefix && *id_prefix) {
        put_id_part(prefix, id_prefix);
        if (prefix->len && prefix->str[prefix->len - 1] != '-' && prefix->str[prefix->len - 1] != '_')
            g_string_append_c(prefix, '-');
    } else {
        put_id_part(prefix, chart_id && *chart_id ? chart_id : "chart");
        if (prefix->len == 0)
            g_string_append(prefix, "chart");
        g_string_append_printf(prefix, "-%08x-", (unsigned)(doc_hash(doc) >> 32));
    }
    GString *out = g_string_sized_new(doc->len + 4096);
    const char *p = doc->str, *end = doc->str + doc->len;
    for (const char *m; (m = memchr(p, ID_MARK[0], (size_t)(end - p))); p = m + 1) {
        g_string_append_len(out, p, m - p);
        g_string_append_len(out, prefix->str, (gssize)prefix->len);
    }
    g_string_append_len(out, p, end - p);
    g_string_free(prefix, TRUE);
    return out;
}

/* ---- document ---- */

GString *chart_layout_svg(const chart_layout *cl, double width_pt, double height_pt,
                          bool background, const char *title)
{
    return chart_layout_svg_ids(cl, width_pt, height_pt, background, title, NULL, NULL, 0);
}

static void svg_writer_open(svg_writer *w)
{
    *w = (svg_writer){
        .defs = g_string_new(NULL),
        .body = g_string_new(NULL),
        .symbols = g_hash_table_new_full(glyph_key_hash, glyph_key_equal, g_free, NULL),
        .fonts = g_hash_table_new_full(g_direct_hash, g_direct_equal,
                                       (GDestroyNotify)cairo_scaled_font_destroy, NULL),
        .scratch = cairo_recording_surface_create(CAIRO_CONTENT_ALPHA, NULL),
    };
    w->cr = cairo_create(w->scratch);
}

/* Frees the writer; gives the status its Cairo context ended with. */
static cairo_status_t svg_writer_close(svg_writer *w)
{
    cairo_status_t st = cairo_status(w->cr);
    cairo_destroy(w->cr);
    cairo_surface_destroy(w->scratch);
    g_hash_table_destroy(w->symbols);
    g_hash_table_destroy(w->fonts);
    g_string_free(w->defs, TRUE);
    g_string_free(w->body, TRUE);
    return st;
}

/* The background, then the shapes layer by layer, then the texts. */
static void put_layout(svg_writer *w, const chart_layout *cl, double width_pt, double height_pt,
                       bool background)
{
    if (background) {
        g_string_append(w->body, "<rect");
        put_attr_num(w->body, "width", width_pt);
        put_attr_num(w->body, "height", height_pt);
        g_string_append(w->body, " fill=\"#ffffff\"/>\n");
    }
    for (int layer = 0; layer < CHART_LAYER_COUNT; layer++)
        for (size_t i = 0; i < cl->nshapes; i++)
            if (cl->shapes[i].layer == layer)
                put_shape(w, &cl->shapes[i]);
    for (size_t i = 0; i < cl->ntexts; i++)
        put_text(w, &cl->texts[i]);
}

static void put_svg_open(GString *out, double width_pt, double height_pt, const char *title)
{
    g_string_append(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                         "xmlns:xlink=\"http://www.w3.org/1999/xlink\"");
    g_string_append(out, " width=\"");
    put_num(out, width_pt);
    g_string_append(out, "pt\" height=\"");
    put_num(out, height_pt);
    g_string_append(out, "pt\" viewBox=\"0 0 ");
    put_num(out, width_pt);
    g_string_append_c(out, ' ');
    put_num(out, height_pt);
    g_string_append(out, "\" version=\"1.1\">\n");
    if (title && *title) {
        g_string_append(out, "<title>");
        put_escaped(out, title, -1);
        g_string_append(out, "</title>\n");
    }
}

/* The defs, then the body moved in by the padding; the background covers
 * the padding too: it is the body's first element. */
static void put_defs_and_body(GString *out, const svg_writer *w, bool background, double pad_pt)
{
    g_string_append(out, "<defs>\n");
    g_string_append_len(out, w->defs->str, (gssize)w->defs->len);
    g_string_append(out, "</defs>\n");
    size_t bg_len = 0;
    if (background)
        bg_len = (size_t)(strchr(w->body->str, '\n') - w->body->str) + 1;
    g_string_append_len(out, w->body->str, (gssize)bg_len);
    if (pad_pt > 0) {
        g_string_append(out, "<g transform=\"translate(");
        put_num(out, pad_pt);
        g_string_append_c(out, ' ');
        put_num(out, pad_pt);
        g_string_append(out, ")\">\n");
    }
    g_string_append_len(out, w->body->str + bg_len, (gssize)(w->body->len - bg_len));
    if (pad_pt > 0)
        g_string_append(out, "</g>\n");
    g_string_append(out, "</svg>\n");
}

GString *chart_layout_svg_ids(const chart_layout *cl, double width_pt, double height_pt,
                              bool background, const char *title, const char *chart_id,
                              const char *id_prefix, double pad_pt)
{
    if (!cl)
        return NULL;
    svg_writer w;
    svg_writer_open(&w);
    put_layout(&w, cl, width_pt, height_pt, background);
    GString *out = g_string_sized_new(w.defs->len + w.body->len + 512);
    put_svg_open(out, width_pt, height_pt, title);
    put_defs_and_body(out, &w, background, pad_pt);
    if (svg_writer_close(&w) != CAIRO_STATUS_SUCCESS) {
        g_string_free(out, TRUE);
        return NULL;
    }
    GString *doc = put_ids(out, chart_id, id_prefix);
    g_string_free(out, TRUE);
    return doc;
}
