/*
 * figure_svg.c — SVG figures (part of figure loading; see figure_load.h).
 *
 * Takes a file's bytes; gives a recording surface of the drawing (so it
 * reaches the PDF as vectors).  Guarantees, checked before librsvg sees
 * the file: at most FIGURE_MAX_SVG_BYTES; no embedded raster image and no
 * XML entity (their cost cannot be known beforehand); well-formed XML
 * (libxml2, no network) that draws at most SVG_MAX_DRAWN elements with
 * every <use> and url(#…) reference expanded, nesting at most
 * SVG_MAX_DEPTH deep; a size (width and height, or a viewBox).  librsvg
 * is given no base file, so it loads no other file or URL.
 */
#define _GNU_SOURCE
#include "page/figure_load.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librsvg/rsvg.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/hash.h>

/* Elements librsvg would draw, each <use> and url(#…) counted as a copy of
 * what it names: about 15 µs and 3 KB each in librsvg and the PDF writer. */
#define SVG_MAX_DRAWN 20000

/* Pixels inside an SVG (an embedded <image> or <feImage>, or markup hidden
 * in an entity) would be decoded by librsvg with no size known beforehand,
 * so such files are refused.  Element names cannot be written with
 * character references, so a plain search finds them all. */
static const char *svg_forbidden(const unsigned char *data, size_t len)
{
    static const char *const names[] = {"<image", ":image", "<feImage", ":feImage", "<!ENTITY"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (memmem(data, len, names[i], strlen(names[i])))
            return names[i][1] == '!' ? "declares XML entities" : "embeds a raster image";
    return NULL;
}

/* ---- SVG cost: drawn elements with every reference expanded ---- */

/* Elements inside elements, references included: bounds the recursion
 * below (libxml2 itself refuses XML nested more than 256 deep). */
#define SVG_MAX_DEPTH 300

typedef struct svg_cost {
    xmlHashTablePtr ids;          /* id → element */
    unsigned long long limit;
    int depth;
    bool cycle, too_deep;
} svg_cost;

static unsigned long long svg_drawn(svg_cost *c, xmlNodePtr n);

/* What one reference ("#id", "url(#id)") in an attribute value costs. */
static unsigned long long svg_ref_cost(svg_cost *c, const xmlChar *v)
{
    const char *hash = strchr((const char *)v, '#');
    if (!hash)
        return 0;
    char id[256];
    size_t k = 0;
    for (const char *p = hash + 1; *p && *p != ')' && *p != '\'' && *p != '"' && *p != ' ' &&
         k + 1 < sizeof id; p++)
        id[k++] = *p;
    id[k] = '\0';
    xmlNodePtr target = xmlHashLookup(c->ids, (const xmlChar *)id);
    return target ? svg_drawn(c, target) : 0;
}

static unsigned long long svg_drawn(svg_cost *c, xmlNodePtr n)
{
    /* _private: 0 not seen, 1 being counted (a cycle if met again), else count + 2 */
    uintptr_t memo = (uintptr_t)n->_private;
    if (memo == 1) {
        c->cycle = true;
        return c->limit + 1;
    }
    if (memo)
        return memo - 2;
    if (c->depth >= SVG_MAX_DEPTH) {
        c->too_deep = true;
        return c->limit + 1;
    }
    c->depth++;
    n->_private = (void *)(uintptr_t)1;
    unsigned long long total = 1;
    for (xmlAttrPtr a = n->properties; a && total <= c->limit; a = a->next) {
        xmlChar *v = a->children ? xmlNodeGetContent((xmlNodePtr)a) : NULL;
        if (v && strchr((const char *)v, '#') && strcmp((const char *)a->name, "id") != 0)
            total += svg_ref_cost(c, v);
        xmlFree(v);
    }
    for (xmlNodePtr k = n->children; k && total <= c->limit; k = k->next)
        if (k->type == XML_ELEMENT_NODE)
            total += svg_drawn(c, k);
    if (total > c->limit)
        total = c->limit + 1;
    n->_private = (void *)(uintptr_t)(total + 2);
    c->depth--;
    return total;
}

static void svg_collect_ids(xmlHashTablePtr ids, xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *id = xmlGetProp(n, (const xmlChar *)"id");
        if (id)
            xmlHashAddEntry(ids, id, n);   /* the first one wins, as in librsvg */
        xmlFree(id);
        svg_collect_ids(ids, n->children);
    }
}

/* Refuses an SVG whose drawing would exceed SVG_MAX_DRAWN elements once
 * every <use>, pattern, gradient, filter, clip and mask reference is
 * expanded (a few hundred nested <use> elements can name billions). */
static void init_libxml(void)
{
    xmlInitParser();
}

static bool svg_within_cost(const unsigned char *data, size_t len, load_error *e)
{
    /* libxml2 2.9 sets up its globals on first use, which threads must not race to do. */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_libxml);
    xmlDocPtr doc = xmlReadMemory((const char *)data, (int)len, NULL, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        figure_set_error(e, BRIEF_E_DATA, "is a damaged SVG file (not well-formed XML)");
        return false;
    }
    svg_cost c = {xmlHashCreate(64), SVG_MAX_DRAWN, 0, false, false};
    unsigned long long n = 0;
    if (c.ids) {
        svg_collect_ids(c.ids, xmlDocGetRootElement(doc));
        n = svg_drawn(&c, xmlDocGetRootElement(doc));
        xmlHashFree(c.ids, NULL);
    }
    xmlFreeDoc(doc);
    if (!c.ids) {
        figure_set_error(e, BRIEF_E_OSERR, "out of memory");
        return false;
    }
    if (c.too_deep) {
        figure_set_error(e, BRIEF_E_DATA, "is an SVG file whose elements and references nest more than "
                  "%d deep", SVG_MAX_DEPTH);
        return false;
    }
    if (c.cycle || n > SVG_MAX_DRAWN) {
        figure_set_error(e, BRIEF_E_DATA, "is an SVG file that draws more than %d elements once its "
                  "references are expanded%s", SVG_MAX_DRAWN, c.cycle ? " (a reference cycle)" : "");
        return false;
    }
    return true;
}

bool figure_looks_like_svg(const unsigned char *data, size_t len)
{
    size_t i = 0;
    if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    return i < len && data[i] == '<' && memmem(data, len, "<svg", 4);
}

static bool svg_natural_size(RsvgHandle *h, double *w, double *ht)
{
    if (rsvg_handle_get_intrinsic_size_in_pixels(h, w, ht) && *w > 0 && *ht > 0)
        return true;
    gboolean has_vb = FALSE;
    RsvgRectangle vb = {0, 0, 0, 0};
    rsvg_handle_get_intrinsic_dimensions(h, NULL, NULL, NULL, NULL, &has_vb, &vb);
    *w = vb.width;
    *ht = vb.height;
    return has_vb && vb.width > 0 && vb.height > 0;
}

static cairo_surface_t *draw_svg(RsvgHandle *h, double w, double ht, load_error *e)
{
    double k = SVG_DRAW_SIDE / fmax(w, ht);
    cairo_rectangle_t box = {0, 0, w * k, ht * k};
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &box);
    cairo_t *cr = cairo_create(rec);
    RsvgRectangle vp = {0, 0, box.width, box.height};
    GError *err = NULL;
    bool ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS && rsvg_handle_render_document(h, cr, &vp, &err);
    cairo_destroy(cr);
    if (ok && cairo_surface_status(rec) == CAIRO_STATUS_SUCCESS)
        return rec;
    cairo_status_t st = cairo_surface_status(rec);
    cairo_surface_destroy(rec);
    if (st == CAIRO_STATUS_NO_MEMORY)
        figure_set_error(e, BRIEF_E_OSERR, "out of memory");
    else
        figure_set_error(e, BRIEF_E_DATA, "is an SVG file librsvg cannot draw (%s)",
                  err ? err->message : cairo_status_to_string(st));
    if (err)
        g_error_free(err);
    return NULL;
}

cairo_surface_t *figure_decode_svg(const unsigned char *data, size_t len, const figure_cache *cache,
                                   load_error *e)
{
    if (len > FIGURE_MAX_SVG_BYTES) {
        figure_set_error(e, BRIEF_E_DATA, "is larger than the 1 MiB limit for SVG files");
        return NULL;
    }
    const char *forbidden = svg_forbidden(data, len);
    if (forbidden) {
        figure_set_error(e, BRIEF_E_DATA, "is an SVG file that %s (not supported: its cost cannot be "
                  "bounded before drawing)", forbidden);
        return NULL;
    }
    if (!svg_within_cost(data, len, e))
        return NULL;
    /* No base file: librsvg then loads no other file or URL the SVG names. */
    GError *err = NULL;
    RsvgHandle *h = rsvg_handle_new_from_data(data, len, &err);
    if (!h) {
        figure_set_error(e, BRIEF_E_DATA, "is a damaged SVG file (%s)", err ? err->message : "unreadable");
        if (err)
            g_error_free(err);
        return NULL;
    }
    rsvg_handle_set_dpi(h, 96);
    double w = 0, ht = 0;
    cairo_surface_t *s = NULL;
    if (!svg_natural_size(h, &w, &ht))
        figure_set_error(e, BRIEF_E_DATA, "is an SVG file without a size (give the <svg> element "
                  "width and height, or a viewBox)");
    else if (figure_within_budget(cache, SVG_DRAW_SIDE, SVG_DRAW_SIDE, e))
        s = draw_svg(h, w, ht, e);
    g_object_unref(h);
    return s;
}
