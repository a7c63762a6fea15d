/*
 * model.h — the validated document model (stage 2 of the pipeline).
 *
 * Takes: nothing; it is the data structure that the reader (src/input) and
 * the validator (src/validate) fill and every later stage reads.
 * Guarantees, once brief_doc_load_* returned it: every string is valid
 * UTF-8 and non-NULL, every number is finite and inside the documented
 * ranges, every chart names existing columns of an existing dataset, every
 * length is converted to points, every name the format fixes (fonts,
 * themes, kinds, orientations …) is an enum and every colour RGB.  Blocks
 * carry the line:column they came from; the JSON text itself is not kept.
 * Later stages never re-check the input.
 */
#ifndef BRIEF_MODEL_H
#define BRIEF_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include "brief.h"
#include "util/srcpos.h"
#include "model/blocks.h"

#define MM_TO_PT(mm) ((mm) * 72.0 / 25.4)

/* ---- typed values (strings in the JSON, decided once at validation) ---- */

typedef enum font_face { FACE_SERIF = 0, FACE_SANS } font_face;
typedef enum chart_theme { THEME_DEFAULT = 0, THEME_OFFICIAL } chart_theme;

/* A colour, each channel 0..1 (from "#rrggbb" or "#rgb"). */
typedef struct brief_rgb {
    double r, g, b;
} brief_rgb;

/* One series' colour: given in the brief, or the theme's palette. */
typedef struct chart_color {
    bool given;
    brief_rgb rgb;
} chart_color;

/* The style name of a face as the text engine knows it ("serif", "sans"). */
const char *font_face_name(font_face face);

/* ---- datasets ---- */

typedef enum cell_kind { CELL_NULL = 0, CELL_NUMBER, CELL_TEXT } cell_kind;

typedef struct cell {
    cell_kind kind;
    double number;
    char *text;            /* CELL_TEXT only */
} cell;

typedef struct dataset {
    char *name;            /* key under "data", or "" for an inline dataset */
    char *json_path;       /* "data.key_projects" or "body[4].data" */
    size_t ncols;
    char **columns;
    size_t nrows;
    cell *cells;           /* row-major: cells[row * ncols + col] */
    char **units;          /* ncols entries (NULL: none given) or NULL: "units" */
    int *decimals;         /* ncols entries (-1: none given) or NULL: "decimals" */
    int rounding;          /* -1: not given; else as chart_spec.rounding */
} dataset;

static inline const cell *dataset_cell(const dataset *d, size_t row, size_t col)
{
    return &d->cells[row * d->ncols + col];
}

/* ---- charts ---- */

typedef enum chart_kind { CHART_BAR = 0, CHART_COMPLETION, CHART_LINE, CHART_PIE } chart_kind;
/* Value labels of a line chart: all when they fit apart, else the last point's. */
typedef enum chart_labels { LABELS_AUTO = 0, LABELS_ALL, LABELS_LAST, LABELS_NONE } chart_labels;
typedef enum chart_orientation { ORIENT_VERTICAL = 0, ORIENT_HORIZONTAL } chart_orientation;
typedef enum chart_sort { SORT_NONE = 0, SORT_ASCENDING, SORT_DESCENDING } chart_sort;
typedef enum chart_stack { STACK_NONE = 0, STACK_NORMAL, STACK_PERCENT } chart_stack;
typedef enum legend_pos { LEGEND_AUTO = 0, LEGEND_TOP, LEGEND_BOTTOM, LEGEND_RIGHT, LEGEND_NONE } legend_pos;
typedef enum number_style {
    NUMBER_PLAIN = 0,      /* 1234.5 */
    NUMBER_THOUSANDS,      /* 1,234.5 */
    NUMBER_CHINESE         /* 12.3万, 1.5亿 */
} number_style;

#define MAX_REFERENCES 10  /* reference lines per chart (validate.c refuses more) */

struct rich_text;

typedef struct chart_reference {
    double value;          /* in data units */
    char *label;           /* may be "" */
    struct rich_text *label_rich;  /* the label given as runs, or NULL */
} chart_reference;

typedef struct chart_spec {
    char *id;
    char *json_path;           /* "body[7]" */
    chart_kind kind;
    chart_orientation orientation;
    const dataset *data;       /* points into brief_doc.datasets or inline_data */
    dataset *inline_data;      /* owned when the block had {"columns","rows"} */
    size_t category_col;
    size_t nvalues;            /* bar: value columns; completion: 2 (plan, actual) */
    size_t *value_cols;        /* completion: value_cols[0]=plan, [1]=actual */
    chart_color *colors;       /* nvalues entries, or NULL: all from the palette */
    chart_sort sort;
    chart_stack stacked;
    double threshold;          /* completion: ratio under which the bar is flagged */
    size_t nrefs;
    chart_reference *refs;
    char *unit;                /* "亿元", may be "" */
    char *title, *subtitle, *note;  /* may be ""; as plain text when given as runs */
    /* title, subtitle and note given as runs (bold, link, value, ref; never a
     * note), or NULL; the plain fields above then hold their text */
    struct rich_text *title_rich, *subtitle_rich, *note_rich;
    chart_theme theme_id;
    font_face font;            /* the document's heading_font, which the chart is set in */
    legend_pos legend;
    number_style number_format;
    int decimals;              /* -1: from the data */
    int rounding;              /* 0: half away from zero (Excel ROUND), 1: half even */
    bool minus_hyphen;         /* "minus": "hyphen": ASCII '-' instead of U+2212 */
    int *series_decimals;      /* nvalues entries (-1: from the data) or NULL: each
                               value column's "decimals" in its dataset */
    char **highlight;          /* bar: category labels drawn in the theme's accent */
    size_t nhighlight;
    chart_color negative;      /* bar: colour of bars below zero (given or not) */
    double width_pt, height_pt;     /* 0: automatic */
    /* line and pie charts, and lines over bars (issue #14) */
    size_t nlines;             /* bar: columns drawn as lines on a right value axis */
    size_t *line_cols;         /* nlines column indices, or NULL */
    char *line_unit;           /* the right axis's unit; NULL: from the line column's name */
    chart_labels labels;       /* line (and the lines over bars): which points are labelled */
    bool donut;                /* pie: a ring */
    bool hole_total;           /* donut: the total printed in the hole */
    double other_below;        /* pie: slices under this share merge into 其他; 0: none */
} chart_spec;

/* ---- rich text ---- */

/* One run of a text given as an array of runs (docs/format.md, "Rich
 * text").  value/ref runs are evaluated at load time into `text`. */
typedef enum run_kind {
    RUN_TEXT = 0, RUN_NOTE,
    RUN_VALUE, RUN_REF     /* only while loading: text holds the expression */
} run_kind;

typedef struct rich_run {
    run_kind kind;
    char *json_path;       /* "body[3].text[2]" */
    char *text;            /* RUN_TEXT: never empty */
    bool bold;
    char *link;            /* URI (http, https, mailto) or NULL */
    struct rich_text *note;    /* RUN_NOTE: the note's own runs (no notes inside) */
} rich_run;

typedef struct rich_text {
    size_t nruns;
    rich_run *runs;
} rich_text;

void rich_text_free(rich_text *r);

/* ---- body blocks ---- */

typedef enum block_type {
    BLOCK_TITLE = 0, BLOCK_BYLINE, BLOCK_LEAD, BLOCK_HEADING, BLOCK_PARAGRAPH,
    BLOCK_FIGURE, BLOCK_CHART, BLOCK_PAGE_BREAK,
    BLOCK_TABLE, BLOCK_KPI, BLOCK_LIST, BLOCK_MASTHEAD   /* model/blocks.h */
} block_type;

typedef struct block {
    block_type type;
    char *json_path;       /* "body[3]" */
    src_pos at;            /* where the block's object starts in the input */
    src_pos image_at;      /* figure: where the "image" value is */
    char *text;            /* title, byline, lead, heading, paragraph; else "" */
    int level;             /* heading: 1..3 */
    char *image;           /* figure: path as written, or NULL */
    char *image_resolved;  /* figure: absolute/relative-to-cwd path, or NULL */
    char *caption;         /* figure (and chart caption if ever): may be "" */
    rich_text *caption_rich;   /* caption given as runs (caption then holds their
                                  plain text); or NULL */
    chart_spec *chart;     /* BLOCK_CHART */
    double width_pt;       /* figure: requested width, 0 = automatic */
    bool place_here;       /* figure, chart: "place": "here", never moved */
    table_spec *table;     /* BLOCK_TABLE */
    kpi_spec *kpi;         /* BLOCK_KPI */
    list_spec *list;       /* BLOCK_LIST */
    masthead_spec *masthead;   /* BLOCK_MASTHEAD */
    char *alt;             /* figure, chart: "alt", the PDF's alternative text; or NULL */
    rich_text *rich;       /* text given as runs (text then holds their plain
                              text, for outlines and messages); or NULL */
} block;

/* ---- document ---- */

typedef struct doc_meta {
    char *title, *author, *subject, *keywords /* joined with ", " */, *lang;
} doc_meta;

typedef struct doc_page {
    double width_pt, height_pt;
    double margin_pt[4];   /* top, right, bottom, left */
    char *header;          /* may be "" */
    char *footer;          /* template with {page} and {pages}; may be "" */
    src_pos header_at, footer_at;  /* where they are in the input (or what holds them) */
    rich_text *header_rich, *footer_rich;  /* given as runs (no notes), each run's text
                                              a template like header; or NULL */
} doc_page;

typedef struct doc_style {
    font_face body_font;
    font_face heading_font;
    double font_size_pt;   /* body size, 6..24 */
    double line_height;    /* baseline pitch / font size, 1.0..3.0 */
    double cjk_latin_space_em;   /* 0.25 default; 0 disables */
    bool normalize_punctuation;  /* default true */
    bool grid;                   /* snap text width to whole characters, default true */
    bool numbering;              /* charts numbered 图1, 图2 … in their titles */
} doc_style;

struct brief_doc {
    char *file;            /* as given, "-" for stdin */
    char *base_dir;        /* directory of the input, for relative images */
    char **allowed_dirs;   /* extra directories images may come from */
    size_t nallowed;
    int format_version;
    doc_meta meta;
    doc_page page;
    doc_style style;
    size_t ndatasets;
    dataset *datasets;
    size_t nblocks;
    block *blocks;
    size_t ncharts;
    chart_spec **charts;   /* the chart blocks' specs, in document order */
    size_t nvars;
    char **var_names, **var_values;   /* "vars", after --var */
    const brief_load_options *load;   /* while loading only: --data, --var */
};

/* Frees everything a dataset owns (not the struct itself). */
void dataset_clear(dataset *d);
void chart_spec_free(chart_spec *c);

/* Reports an error about the value at json_path, found at `at` (the
 * positions were recorded at loading: the document keeps no JSON text). */
void doc_error_at(const brief_doc *doc, brief_diag *diag, brief_status code, src_pos at,
                  const char *json_path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* The file a figure's image names, checked at render time (the allowed
 * directories may be added after loading): *path gets a malloc'd canonical
 * path (NULL for a figure without image).  Refuses paths that resolve, after
 * symlinks and "..", outside the input's directory and the directories
 * given to brief_doc_allow_path (BRIEF_E_DATA), and missing files
 * (BRIEF_E_NOINPUT).  Whether the file is a PNG or JPEG is the caller's
 * business. */
brief_status doc_resolve_image(const brief_doc *doc, const block *b, char **path,
                               brief_diag *diag);

/* A path as written in the brief, relative to the brief's directory
 * (absolute paths kept); NULL if out of memory. */
char *doc_path_under_base(const brief_doc *doc, const char *s);

/* Whether brief may read `resolved` (a doc_path_under_base result): its
 * canonical path, after symlinks and "..", must lie under the brief's
 * directory or an allowed one.  DOC_PATH_OK gives *real (malloc'd); the
 * others set *err to the errno of realpath where there was one. */
typedef enum doc_path_verdict {
    DOC_PATH_OK = 0, DOC_PATH_MISSING, DOC_PATH_UNREADABLE, DOC_PATH_OUTSIDE, DOC_PATH_OOM
} doc_path_verdict;
doc_path_verdict doc_confine_path(const brief_doc *doc, const char *resolved, char **real,
                                  int *err);

/* Expands a header/footer template (at load its data references were
 * replaced by their values: only {page}, {pages} and {title} remain; "{{"
 * and "}}" are literal braces), through the one placeholder expander.
 * NULL if out of memory. */
char *doc_expand_template(const char *tpl, int page, int pages, const char *title);

#endif /* BRIEF_MODEL_H */
