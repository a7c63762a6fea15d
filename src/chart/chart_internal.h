/*
 * chart_internal.h — what a chart_layout holds, shared by the layout
 * (chart_layout.c and the steps chart_build.h lists, which decide
 * everything), chart_paint.c and chart_svg.c (which only draw it),
 * chart_api.c and the tests.
 *
 * A chart_layout is a display list in chart coordinates (pt, origin at the
 * chart's top-left corner, y down): shapes (rectangles and lines, each on a
 * paint layer) and texts (a PangoLayout already measured and wrapped, with
 * its final box).  Nothing in it is measured again when painting.
 */
#ifndef BRIEF_CHART_INTERNAL_H
#define BRIEF_CHART_INTERNAL_H

#include <stdbool.h>
#include <pango/pango.h>
#include "chart/chart.h"

typedef struct chart_rgb {
    double r, g, b;
} chart_rgb;

/* Fonts: few distinct sizes, because glyph decoding per (glyph, size) is
 * the main cost of rendering. */
#define CHART_TITLE_PT 10.5     /* bold */
#define CHART_LABEL_PT 8.0      /* category labels, legend, subtitle */
#define CHART_SMALL_PT 7.0      /* value labels, ticks, axis title, note */
#define CHART_MIN_PT 6.0        /* smallest size a label may shrink to */
#define CHART_HAIRLINE 0.3      /* thinnest line drawn (print needs >= 0.25) */
#define CHART_DEFAULT_THRESHOLD 0.9
/* Blank margin inside the chart's box, pt: no label's ink comes near the
 * edge of an exported image or of its place on the page. */
#define CHART_INSET 2.5

typedef enum chart_text_role {
    CHART_TEXT_TITLE = 0,
    CHART_TEXT_SUBTITLE,
    CHART_TEXT_LEGEND,
    CHART_TEXT_CATEGORY,
    CHART_TEXT_VALUE,
    CHART_TEXT_TICK,
    CHART_TEXT_AXIS_TITLE,
    CHART_TEXT_REFERENCE,
    CHART_TEXT_NOTE,
    CHART_TEXT_EMPTY         /* "无数据" for a chart without rows */
} chart_text_role;

/* The white box under a line's value label that has to sit on a bar: its
 * margin around the text's logical box and its corner radius, pt (the
 * margin stays under GAP_TEXT, so boxes do not touch other labels). */
#define CHART_LABEL_BOX_PAD_PT 1.0
#define CHART_LABEL_BOX_RADIUS_PT 1.5

/* A link of a text given as runs: bytes [start, end) of chart_text.text
 * are drawn inside a PDF link tag to uri. */
typedef struct chart_link {
    int start, end;
    char *uri;
} chart_link;

typedef struct chart_text {
    chart_text_role role;
    int index;               /* source row (category/value), series (legend), else -1 */
    int series;              /* value labels: series index, else -1 */
    char *text;              /* the string as laid out (may hold '\n') */
    PangoLayout *layout;
    double x0, y0, x1, y1;   /* axis-aligned logical box in chart coordinates */
    double lx, ly;           /* the layout's logical rectangle offset (pt) */
    bool rotated;            /* 90° counter-clockwise: reads bottom to top */
    bool halo;               /* a line crosses it: paint a background halo */
    bool boxed;              /* a line's value label over a bar: painted on a solid
                                white rounded box (CHART_LABEL_BOX_*), no halo */
    double size_pt;          /* as drawn (the layout's size times scale) */
    double scale;            /* the layout is drawn at this scale (1, or < 1 when a
                                given height cannot hold it at full size) */
    chart_rgb color;
    chart_link *links;       /* nlinks links of its text (g_new), or NULL */
    size_t nlinks;
} chart_text;

/* RECT and LINE as their corners; CIRCLE: centre (x0, y0), radius r1, a
 * white outline `width` wide (a line marker); SECTOR: centre (x0, y0),
 * radii r0 (0 for a pie) to r1, angles a0..a1 (radians clockwise from
 * twelve o'clock), a white edge `width` wide between slices. */
typedef enum chart_shape_kind {
    CHART_SHAPE_RECT = 0, CHART_SHAPE_LINE, CHART_SHAPE_CIRCLE, CHART_SHAPE_SECTOR
} chart_shape_kind;

/* Paint order (lowest first). */
enum {
    CHART_LAYER_GRID = 0,
    CHART_LAYER_TRACK,
    CHART_LAYER_BAR,
    CHART_LAYER_AXIS,
    CHART_LAYER_MARK,
    CHART_LAYER_LEGEND,
    CHART_LAYER_COUNT
};

typedef enum chart_shape_role {
    CHART_ROLE_GRID = 0, CHART_ROLE_BASELINE, CHART_ROLE_BAR, CHART_ROLE_TRACK,
    CHART_ROLE_TARGET, CHART_ROLE_REFERENCE, CHART_ROLE_SWATCH,
    CHART_ROLE_SERIES,       /* a segment of a series' line (index: its row) */
    CHART_ROLE_MARKER,       /* a point of a line (index: its row) */
    CHART_ROLE_SLICE,        /* a pie or donut slice (index: its row, -1 for 其他) */
    CHART_ROLE_LEADER,       /* a pie label's leader line */
    CHART_ROLE_BREAK         /* the axis break mark of an axis not starting at zero */
} chart_shape_role;

typedef struct chart_shape {
    chart_shape_kind kind;
    chart_shape_role role;
    int layer;
    int index;               /* source row for bars and tracks, else -1 */
    double x0, y0, x1, y1;   /* rectangle corners (x0<=x1, y0<=y1) or line ends */
    double width;            /* line width */
    double dash;             /* dash length, 0 for solid */
    bool round;              /* LINE: round caps (the segments of a series join smoothly) */
    double r0, r1, a0, a1;   /* CIRCLE and SECTOR, see chart_shape_kind */
    chart_rgb color;
} chart_shape;

struct chart_layout {
    PangoContext *ctx;
    double width, height;
    double plot_x0, plot_y0, plot_x1, plot_y1;
    chart_orientation orientation;   /* as drawn: may differ from the spec */
    double label_pt;                 /* final size of the category labels, as drawn */
    double scale;                    /* 1, or the scale a given height imposed */
    bool knockout_halos;             /* halos clear what is under them (a transparent
                                        image) instead of painting it white */
    bool labels_rotated;
    bool value_labels;               /* false when they had to be left out */
    chart_text *texts;
    size_t ntexts, cap_texts;
    chart_shape *shapes;
    size_t nshapes, cap_shapes;
};

/* Builds a layout.  fixed_height: the height was asked for and is the
 * layout's height exactly (a drawing that needs more is scaled into it,
 * with a warning).  NULL when out of memory,
 * with nothing reported: the caller reports it with diag_oom(). */
chart_layout *chart_layout_build(brief_engine *engine, const chart_spec *spec,
                                 double width_pt, double height_pt, bool fixed_height,
                                 const char *file, brief_diag *diag);

/* Debug/test access to what the layout decided. */
size_t chart_layout_text_count(const chart_layout *cl);
const chart_text *chart_layout_text(const chart_layout *cl, size_t i);
size_t chart_layout_shape_count(const chart_layout *cl);
const chart_shape *chart_layout_shape(const chart_layout *cl, size_t i);

/* The layout as a standalone SVG document (chart_svg.c); NULL when out of
 * memory.  background: a white rectangle under everything. */
GString *chart_layout_svg(const chart_layout *cl, double width_pt, double height_pt,
                          bool background, const char *title);
/* The same with its ids prefixed by id_prefix (letters, digits, - _ .;
 * other characters become '_'), or when that is NULL or empty by chart_id
 * (or "chart") and a hash of the document: "c3-1a2b3c4d-glyph0-0"; the
 * drawing moved right and down by pad_pt (a blank margin within the size). */
GString *chart_layout_svg_ids(const chart_layout *cl, double width_pt, double height_pt,
                              bool background, const char *title, const char *chart_id,
                              const char *id_prefix, double pad_pt);

#endif
