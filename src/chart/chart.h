/*
 * chart.h — chart layout and painting (stage 3b/4 for charts).
 *
 * Takes a validated chart_spec and a box; gives a chart_layout in which all
 * text is measured with the same Pango fonts that draw it and every label
 * has its final position; painting only draws what the layout decided.
 * Guarantees: no category or value label dropped, clipped or overlapping;
 * anything the layout had to give up (shrink, rotate, grow) is reported as
 * a warning.
 */
#ifndef BRIEF_CHART_H
#define BRIEF_CHART_H

#include <cairo.h>
#include "brief.h"
#include "model/model.h"

typedef struct chart_layout chart_layout;

/* The size a chart wants when its block gives none, for a given measure. */
void chart_natural_size(const chart_spec *spec, double avail_width_pt,
                        double *width_pt, double *height_pt);

/* Measures and places everything for a box of width x height pt; for a
 * chart of the document's PDF (its context has the PDF's font options).
 * NULL when out of memory (not reported: the caller reports it). */
chart_layout *chart_layout_new(brief_engine *engine, const chart_spec *spec,
                               double width_pt, double height_pt, const char *file,
                               brief_diag *diag);
void chart_layout_free(chart_layout *cl);
/* The height actually used: the given height exactly, else what the
 * chart needs. */
double chart_layout_height(const chart_layout *cl);
/* Paints with the chart's top-left corner at the current origin. */
void chart_layout_paint(const chart_layout *cl, cairo_t *cr);

/* The colour of a change (direction 1 up, -1 down, 0 none) in a theme,
 * for key figures beside the charts: the Chinese convention, red up and
 * green down, in the theme's own red and green (chart_theme.c).  rgb in
 * 0..1. */
void chart_theme_change_rgb(chart_theme theme, int direction, double rgb[3]);

#endif
