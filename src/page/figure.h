/*
 * figure.h — loading the image of a figure block (part of stage 3).
 *
 * Takes a figure block; gives a cairo image surface ready to paint, or NULL
 * with an error naming the block.  Guarantees that only files inside the
 * input's directory (or a directory allowed with brief_doc_allow_path) are
 * read, and that a JPEG reaches the PDF as the original bytes.
 */
#ifndef BRIEF_FIGURE_H
#define BRIEF_FIGURE_H

#include <cairo.h>
#include "brief.h"
#include "model/model.h"

#define FIGURE_MAX_BYTES (32u << 20)
#define FIGURE_MAX_PIXELS 10000

cairo_surface_t *figure_load_image(const brief_doc *doc, const block *b, brief_diag *diag);

#endif
