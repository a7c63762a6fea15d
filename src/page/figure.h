/*
 * figure.h — loading the image of a figure block (part of stage 3).
 *
 * Takes a figure block; gives a cairo surface ready to paint (an image
 * surface for PNG and JPEG, a recording surface of vectors for SVG), or NULL
 * with an error naming the block.  Guarantees:
 *  - only regular files inside the input's directory (or a directory allowed
 *    with brief_doc_allow_path) are opened, and opening never blocks (a FIFO
 *    or a device is refused before and after the open);
 *  - every cost is bounded before the work: file size, then the pixel size
 *    read from the header, per image and per brief (FIGURE_MAX_*);
 *  - each file is decoded once per render however many figures use it (the
 *    figure_cache, keyed by resolved path);
 *  - what is embedded was fully decoded first: a damaged or truncated PNG or
 *    JPEG is refused, and a JPEG reaches the PDF as its original bytes.
 */
#ifndef BRIEF_FIGURE_H
#define BRIEF_FIGURE_H

#include <cairo.h>
#include "brief.h"
#include "model/model.h"

#define FIGURE_MAX_BYTES (32u << 20)          /* PNG or JPEG file */
#define FIGURE_MAX_SVG_BYTES (1u << 20)       /* SVG file */
#define FIGURE_MAX_SIDE 10000                 /* pixels per side */
#define FIGURE_MAX_IMAGE_PIXELS 40000000ull   /* one image, width × height */
#define FIGURE_MAX_BRIEF_PIXELS 100000000ull  /* all figures of a brief, each counted */

/* The images of one render, each decoded once. */
typedef struct figure_cache figure_cache;

/* Gives a new reference (release with cairo_surface_destroy) to the image of
 * figure block b, creating *cache on first use; NULL with an error in diag. */
cairo_surface_t *figure_load_image(const brief_doc *doc, const block *b, figure_cache **cache,
                                   brief_diag *diag);
/* The cache holds a reference to every surface it gave out.  Freed before
 * the PDF surface is finished, the images would be copied whole by cairo
 * (its recording keeps copy-on-write snapshots of them), and a failed copy
 * crashes cairo 1.16: a renderer keeps the cache until the PDF is done. */
void figure_cache_free(figure_cache *cache);

/* The natural size of a surface figure_load_image gave, in its own units
 * (pixels for PNG and JPEG, CSS pixels for SVG). */
void figure_image_size(cairo_surface_t *image, double *w, double *h);
/* Paints the image into the box (0, 0, w_pt, h_pt) of cr. */
void figure_paint(cairo_surface_t *image, cairo_t *cr, double w_pt, double h_pt);

#endif
