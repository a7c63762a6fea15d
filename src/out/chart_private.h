/*
 * chart_private.h — what chart_api.c (the chart API) and chart_export.c
 * (its file exports) share: the brief_chart handle and its size floor.
 * Private to src/out.
 */
#ifndef BRIEF_OUT_CHART_PRIVATE_H
#define BRIEF_OUT_CHART_PRIVATE_H

#include <stdbool.h>

#include "chart/chart_internal.h"

#define CHART_MIN_W_PT 72.0    /* chart_natural_size's floor */

struct brief_chart {
    brief_engine *engine;
    const brief_doc *doc;
    brief_doc *owned_doc;      /* brief_chart_new_from_data: the chart's own */
    const chart_spec *spec;
    double avail_w;            /* the page's text width: the default chart width */
    bool needs_fallback;       /* a string outside the bundled faces */
};

static inline const char *doc_file(const brief_doc *doc)
{
    return (doc && doc->file) ? doc->file : "";
}

#endif
