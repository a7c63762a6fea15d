/*
 * layout_internal.h — what the files of the layout stage share among
 * themselves (layout.c, layout_paginate.c, layout_fonts.c); nothing else
 * includes it.  The stage's interface is page/layout.h.
 */
#ifndef BRIEF_LAYOUT_INTERNAL_H
#define BRIEF_LAYOUT_INTERNAL_H

#include <stdbool.h>
#include "page/layout.h"

/* Whole grid lines of pitch_pt that height_pt takes (layout.c). */
int layout_lines_for(double height_pt, double pitch_pt);

/* Distributes the set blocks over pages, in whole grid lines; false
 * (reported, or out of memory) when the brief cannot be paginated
 * (layout_paginate.c). */
bool layout_paginate(doc_layout *dl, brief_diag *diag);
/* The JSON path of note k of bl (its note run). */
const char *layout_note_path(const block_layout *bl, int k);
/* Sets every page's running header and footer, once the page count is
 * known; false when a margin cannot hold them (layout_paginate.c). */
bool layout_set_running_texts(doc_layout *dl, brief_diag *diag);

/* True when some text brief draws needs a font past the brief's own
 * (layout_fonts.c). */
bool layout_doc_needs_fallback(const doc_layout *dl);
/* Reports every text with characters no font has; false when --strict
 * refuses the brief for it (layout_fonts.c). */
bool layout_report_missing_glyphs(const doc_layout *dl, const brief_render_options *opt,
                                  brief_diag *diag);

#endif
