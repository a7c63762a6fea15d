/*
 * brief.h — the one public header of libbrief.
 *
 * libbrief turns a JSON brief (statistics + Chinese text) into a print-ready
 * PDF, and exports or draws the brief's charts.  The pipeline is one-way:
 *
 *   JSON file ──brief_doc_load──▶ brief_doc (validated model)
 *             ──brief_render_pdf──▶ layout ▶ painting ▶ PDF (atomic write)
 *   brief_doc ──brief_chart_new──▶ brief_chart ─measure / draw / export─▶
 *
 * Conventions: every handle is opaque, every constructor `brief_X_new` or
 * `brief_X_load` has exactly one destructor `brief_X_free` (NULL is a no-op),
 * lengths are in PostScript points (pt, 1/72 in) unless a name says mm.
 * Functions that can fail return NULL / a non-zero brief_status and describe
 * the failure in a brief_diag list, whose entries carry a code, a message and
 * a location (file, line:column and JSON path).  Every `brief_diag *diag`
 * parameter may be NULL: the reports are then dropped (the return value
 * still says whether the call failed).
 *
 * Ownership, per function below: "returns a new X" means the caller owns
 * it and frees it with brief_X_free; "borrowed" means the pointer stays
 * owned by the object it came from and is valid while that object lives
 * and is not changed; arguments are borrowed for the call only unless a
 * function says it keeps them.
 *
 * Threads: the library has no global state of its own.  Any number of
 * engines may be used in parallel threads, one call at a time each.  One
 * engine shared by threads is safe: every call that takes an engine (or a
 * chart made from it) holds the engine's lock, so such calls are
 * serialised, not parallel — create one engine per thread for parallel
 * work.  A brief_doc is read-only after loading and may be shared; a
 * brief_diag must not be written by two threads at once.
 *
 * Fonts: an engine loads the bundled fonts into its own fontconfig
 * configuration, used only by its own Pango font map; it never reads or
 * replaces the process's current fontconfig configuration, so a host's own
 * fonts and font choices are unaffected before, during and after.
 *
 * Only brief_* symbols are exported from the shared library.
 */
#ifndef BRIEF_H
#define BRIEF_H

#include <stddef.h>
#include <cairo.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks the public API: the library is built with -fvisibility=hidden, so
 * only what carries BRIEF_API is exported from libbrief.so. */
#if defined(__GNUC__) && defined(BRIEF_BUILDING)
#define BRIEF_API __attribute__((visibility("default")))
#else
#define BRIEF_API
#endif

#define BRIEF_VERSION "0.1.0"
#define BRIEF_FORMAT_VERSION 1

/* The version of the library actually loaded (BRIEF_VERSION is the one
 * compiled against).  Returns a static string (not to be freed). */
BRIEF_API const char *brief_version(void);

/* Status codes.  The non-zero values are the sysexits(3) numbers the CLI
 * exits with, so a script can tell a bad input from a full disk. */
typedef enum brief_status {
    BRIEF_OK = 0,
    BRIEF_E_USAGE = 64,      /* wrong arguments or options */
    BRIEF_E_DATA = 65,       /* input is malformed or violates the format */
    BRIEF_E_NOINPUT = 66,    /* input (or an image it names) missing/unreadable */
    BRIEF_E_SOFTWARE = 70,   /* internal error (a bug) */
    BRIEF_E_OSERR = 71,      /* out of memory, resource exhausted */
    BRIEF_E_CANTCREAT = 73,  /* output cannot be created */
    BRIEF_E_IO = 74,         /* error while reading or writing */
    BRIEF_E_CONFIG = 78      /* fonts or fontconfig unusable */
} brief_status;

typedef enum brief_severity { BRIEF_ERROR = 0, BRIEF_WARNING = 1 } brief_severity;

/* One diagnostic.  A plain value: the strings are owned by the list it came
 * from.  line/column are 1-based, 0 when unknown; path is "" when unknown. */
typedef struct brief_error {
    brief_status code;
    brief_severity severity;
    const char *file;     /* input file name, "-" for stdin, "" if none */
    int line;
    int column;
    const char *path;     /* JSON path, e.g. "body[3].values[2]" */
    const char *message;  /* what is wrong (what was expected) */
} brief_error;

/* A list of diagnostics collected by one or more operations.  Not
 * thread-safe: one list per thread. */
typedef struct brief_diag brief_diag;

/* Returns a new, empty list (NULL when out of memory). */
BRIEF_API brief_diag *brief_diag_new(void);
/* Frees d and every entry's strings; NULL is a no-op. */
BRIEF_API void brief_diag_free(brief_diag *d);
/* Removes every entry (pointers from brief_diag_get become invalid); the
 * list can then collect the next operation's reports.  NULL is a no-op. */
BRIEF_API void brief_diag_clear(brief_diag *d);
/* Entries (errors and warnings), and errors only; 0 for NULL. */
BRIEF_API size_t brief_diag_count(const brief_diag *d);
BRIEF_API size_t brief_diag_error_count(const brief_diag *d);
/* Entry i (0-based), or NULL when out of range.  Borrowed: valid until d
 * is cleared or freed. */
BRIEF_API const brief_error *brief_diag_get(const brief_diag *d, size_t i);
/* The status of the first error, BRIEF_OK when there is none. */
BRIEF_API brief_status brief_diag_status(const brief_diag *d);
/* Formats entry e as "file:line:column: path: message" into buf (parts
 * that are unknown are left out); a warning's message starts with
 * "warning: ".  Always NUL-terminates when size > 0; returns the length
 * it needed (as snprintf), so a result >= size means it was cut. */
BRIEF_API size_t brief_error_format(const brief_error *e, char *buf, size_t size);

/* ---- engine: fonts and font maps, shared by every brief it renders ---- */

typedef struct brief_engine brief_engine;

/* brief_engine_options.system_fallback */
enum {
    BRIEF_FALLBACK_DEFAULT = 0,  /* = BRIEF_FALLBACK_SYSTEM */
    BRIEF_FALLBACK_SYSTEM = 1,   /* system fonts for characters the bundled fonts lack */
    BRIEF_FALLBACK_NONE = 2      /* never use system fonts */
};

/* All-zero options ({0}, or NULL) mean every default.  The struct can grow
 * at its end: a caller sets size = sizeof(brief_engine_options) (or leaves
 * it 0, meaning the fields of this version), and fields beyond a smaller
 * size keep their defaults. */
typedef struct brief_engine_options {
    size_t size;            /* 0 or sizeof(brief_engine_options) */
    const char *font_dir;   /* bundled fonts; NULL: $BRIEF_FONT_DIR, then beside
                               the library (PREFIX/share/brief/fonts when
                               installed), then the directory fixed at build time */
    const char *cache_dir;  /* fontconfig cache of the bundled fonts' metadata;
                               NULL: $XDG_CACHE_HOME/brief, else ~/.cache/brief
                               (created when missing: by default the engine
                               writes there), else a temporary directory
                               removed by brief_engine_free */
    int system_fallback;    /* BRIEF_FALLBACK_DEFAULT (0), _SYSTEM or _NONE */
    int no_cache;           /* 1: write no font cache anywhere (the fonts are
                               scanned at every brief_engine_new: ≈ 19 M
                               instructions, ≈ 5 ms more) */
    int strict_fonts;       /* 1: a missing or broken bundled font file is an
                               error (BRIEF_E_CONFIG), not a warning */
} brief_engine_options;

/* Returns a new engine: the bundled fonts in a private font map, shared by
 * every brief and chart it renders.  options may be NULL (the defaults);
 * it is read during the call only.  NULL on failure (BRIEF_E_CONFIG: no
 * usable fonts; BRIEF_E_USAGE: bad options).  A missing or broken bundled
 * font file is a warning in diag, and system Simplified Chinese faces
 * stand in for that style (an error with strict_fonts or
 * BRIEF_FALLBACK_NONE). */
BRIEF_API brief_engine *brief_engine_new(const brief_engine_options *options, brief_diag *diag);
/* For a program whose only fontconfig user is libbrief (the brief tool is
 * one): makes the process-wide fontconfig configuration an empty one, once,
 * so that Pango's start-up (which calls FcInit) does not load the system
 * configuration: ≈ 24 M instructions, ≈ 6 ms per process.  Engines are not
 * affected (their fonts are their own).  Call it before any thread uses
 * fontconfig, and never from a program that draws its own text with
 * system fonts: such a program would then find none.  Returns 0, or -1
 * when fontconfig is out of memory (nothing changed). */
BRIEF_API int brief_fontconfig_skip_system(void);

/* Frees the engine, its font maps and configurations.  Free every chart
 * made from it first.  NULL is a no-op. */
BRIEF_API void brief_engine_free(brief_engine *engine);

/* ---- document model ---- */

typedef struct brief_doc brief_doc;

/* Parses and validates the file at path ("-": standard input); returns a
 * new document, or NULL when any error was found (all of them, up to a
 * cap, are in diag). */
BRIEF_API brief_doc *brief_doc_load_file(const char *path, brief_diag *diag);
/* The same for len bytes at data (copied; data is not kept).  `name` is
 * the file name used in messages and the base for relative image paths
 * (NULL or "-": the current directory). */
BRIEF_API brief_doc *brief_doc_load_buffer(const char *data, size_t len, const char *name,
                                           brief_diag *diag);
/* Frees the document; free the charts made from it first.  NULL: no-op. */
BRIEF_API void brief_doc_free(brief_doc *doc);

/* What a re-issue changes before the brief is validated: directories data
 * and images may also come from, datasets replaced by files (NAME=FILE, a
 * CSV or a JSON dataset; relative to the current directory) and variables
 * (NAME=VALUE).  The arrays are read during loading only. */
typedef struct brief_load_options {
    const char *const *allow_paths;
    size_t nallow_paths;
    const char *const *data_names, *const *data_files;
    size_t ndata;
    const char *const *var_names, *const *var_values;
    size_t nvars;
} brief_load_options;

/* brief_doc_load_file with options (NULL: none). */
BRIEF_API brief_doc *brief_doc_load_file_with(const char *path, const brief_load_options *opt,
                                              brief_diag *diag);

/* Directories outside the input's own from which images may be read
 * (dir is copied). */
BRIEF_API void brief_doc_allow_path(brief_doc *doc, const char *dir);

/* ---- rendering the whole brief ---- */

typedef struct brief_render_options {
    int strict;             /* 1: a character no font covers is an error */
} brief_render_options;

/* Writes the PDF to `out_path` through a temporary file in the same
 * directory that is renamed into place: on failure the target is untouched.
 * "-" writes to standard output.  options may be NULL.  engine and doc are
 * used during the call only (the engine's lock is held meanwhile). */
BRIEF_API brief_status brief_render_pdf(brief_engine *engine, const brief_doc *doc,
                                        const char *out_path,
                                        const brief_render_options *options, brief_diag *diag);

/* Writes the PDF through a callback (cairo's write function), called with
 * closure during this call only. */
BRIEF_API brief_status brief_render_pdf_stream(brief_engine *engine, const brief_doc *doc,
                                               cairo_write_func_t write, void *closure,
                                               const brief_render_options *options,
                                               brief_diag *diag);

/* Lays the brief out without drawing it and reports what rendering would
 * refuse (a table too wide for the text even at 7.5 pt, a running header
 * the margin cannot hold, a block taller than a page …).  `brief check`
 * runs it after validation.  options may be NULL. */
BRIEF_API brief_status brief_doc_check_layout(brief_engine *engine, const brief_doc *doc,
                                              const brief_render_options *options,
                                              brief_diag *diag);

/* ---- charts ---- */

typedef struct brief_chart brief_chart;

/* Number of chart blocks in the document, and the id of chart i
 * (borrowed from doc; NULL when i is out of range). */
BRIEF_API size_t brief_doc_chart_count(const brief_doc *doc);
BRIEF_API const char *brief_doc_chart_id(const brief_doc *doc, size_t i);

/* Returns a new chart of the document, ready to measure and draw; NULL if
 * no chart has that id.  The chart keeps (borrows) engine and doc: free
 * the chart before either. */
BRIEF_API brief_chart *brief_chart_new(brief_engine *engine, const brief_doc *doc,
                                       const char *id, brief_diag *diag);
/* Frees the chart (not its engine or document).  NULL is a no-op. */
BRIEF_API void brief_chart_free(brief_chart *chart);

/* ---- charts from memory: C arrays, no JSON ---- */

typedef enum brief_chart_kind {
    BRIEF_CHART_BAR = 0,         /* one bar per category and series */
    BRIEF_CHART_COMPLETION,      /* plan vs actual: series[0] plan, series[1] actual */
    BRIEF_CHART_LINE,            /* one line per series over the categories */
    BRIEF_CHART_PIE              /* the shares of series[0] (values >= 0, no NAN) */
} brief_chart_kind;

typedef enum brief_orientation {
    BRIEF_VERTICAL = 0,          /* bars grow upwards */
    BRIEF_HORIZONTAL             /* bars grow rightwards (long category names) */
} brief_orientation;

typedef enum brief_sort { BRIEF_SORT_NONE = 0, BRIEF_SORT_ASCENDING, BRIEF_SORT_DESCENDING } brief_sort;

/* One value series: ncategories numbers (NAN: no value, drawn as a gap). */
typedef struct brief_series {
    const char *name;            /* legend and value column name; required */
    const double *values;        /* ncategories entries */
    const char *color;           /* "#rrggbb" or NULL: the theme's palette */
} brief_series;

/* A chart's data and options.  {0} plus categories and series is a valid
 * vertical bar chart; strings are UTF-8 and NULL means none.  The struct
 * can grow at its end (size as for brief_engine_options). */
typedef struct brief_chart_data {
    size_t size;                 /* 0 or sizeof(brief_chart_data) */
    const char *id;              /* used in messages; NULL: "chart" */
    brief_chart_kind kind;
    brief_orientation orientation;
    brief_sort sort;
    int stacked;                 /* bar: 1 stacks the series */
    const char *category_name;   /* heading of the categories; NULL: "类别" */
    size_t ncategories;
    const char *const *categories;
    size_t nseries;
    const brief_series *series;
    const char *title, *subtitle, *note, *unit;
    const char *face;            /* "sans" (NULL) or "serif" */
    double width_pt, height_pt;  /* 0: automatic */
} brief_chart_data;

/* Returns a new chart from C arrays; everything is copied, nothing is kept
 * but engine (borrowed: free the chart first).  NULL on bad data: each
 * error's path names the caller's field, e.g. "series[1].values[3]". */
BRIEF_API brief_chart *brief_chart_new_from_data(brief_engine *engine,
                                                 const brief_chart_data *data,
                                                 brief_diag *diag);

/* ---- measuring and drawing ---- */

/* The width (pt) the chart prefers within avail_width_pt: the block's
 * "width" when it gives one, else a width suited to its data (vertical
 * bar charts with few bars ask for less); never more than avail, never
 * less than 72 pt.  avail must be finite and >= 72 pt (else an error in
 * diag, BRIEF_E_USAGE). */
BRIEF_API brief_status brief_chart_preferred_width(const brief_chart *chart, double avail_width_pt,
                                                   double *width_pt, brief_diag *diag);

/* The height (pt) the chart needs when drawn width_pt wide: drawing into a
 * box of exactly width_pt x *height_pt lays it out without shrinking or
 * scaling.  The block's own "height" counts when it is enough.  width_pt
 * must be finite, 72..14400 pt (else BRIEF_E_USAGE in diag). */
BRIEF_API brief_status brief_chart_height_for_width(const brief_chart *chart, double width_pt,
                                                    double *height_pt, brief_diag *diag);

/* The size the chart asks for (pt): the block's width/height when given,
 * otherwise its natural size for the available width (<= 0: the page's
 * text width).  Kept for old callers; prefer the two functions above. */
BRIEF_API void brief_chart_measure(const brief_chart *chart, double avail_width_pt,
                                   double *width_pt, double *height_pt);

typedef enum brief_align { BRIEF_ALIGN_CENTER = 0, BRIEF_ALIGN_START, BRIEF_ALIGN_END } brief_align;

typedef enum brief_stretch {
    BRIEF_STRETCH_FILL = 0,      /* laid out to the box's width and height */
    BRIEF_STRETCH_NATURAL        /* the box's width, its own height for it,
                                    placed by align_y when the box is taller */
} brief_stretch;

typedef struct brief_draw_options {
    size_t size;                 /* 0 or sizeof(brief_draw_options) */
    brief_stretch stretch;
    brief_align align_x, align_y;   /* where a chart smaller than the box goes */
} brief_draw_options;

/* A rectangle in the caller's user space (pt). */
typedef struct brief_rect { double x, y, width, height; } brief_rect;

/* Paints the chart into the box (0,0)-(width,height) of the caller's cairo
 * context, in its current user space; the context's state is preserved.
 * When the box is too short for the chart's labels the whole chart is
 * scaled down to fit (a warning in diag).  options may be NULL ({0}).
 * used (may be NULL) receives the rectangle actually painted.  The box
 * must be finite, 1 to 14400 pt each way (else BRIEF_E_USAGE in diag). */
BRIEF_API brief_status brief_chart_draw_ex(const brief_chart *chart, cairo_t *cr,
                                           double width_pt, double height_pt,
                                           const brief_draw_options *options, brief_rect *used,
                                           brief_diag *diag);
/* brief_chart_draw_ex with the default options. */
BRIEF_API brief_status brief_chart_draw(const brief_chart *chart, cairo_t *cr,
                                        double width_pt, double height_pt, brief_diag *diag);

typedef enum brief_format {
    BRIEF_FORMAT_AUTO = 0,   /* from the file name's extension */
    BRIEF_FORMAT_PDF,
    BRIEF_FORMAT_SVG,
    BRIEF_FORMAT_PNG
} brief_format;

typedef struct brief_export_options {
    brief_format format;
    double width_mm, height_mm;   /* 0: the chart's own size */
    double dpi;                   /* PNG only; 0: 150 */
    int transparent;              /* 1: no white background */
    const char *id_prefix;        /* SVG only: the start of every id in the file
                                     ("fig3-"); NULL: the chart id and a hash of
                                     the document, so exports never share ids */
    double padding_mm;            /* blank margin on every side, 0..50 mm, within
                                     width_mm (the chart is laid out narrower) */
    int no_title;                 /* 1: title, subtitle and note left out, for a
                                     document that writes its own caption */
} brief_export_options;

/* Exports one chart as a standalone file (atomic write, as for the PDF).
 * options may be NULL. */
BRIEF_API brief_status brief_chart_export(const brief_chart *chart, const char *out_path,
                                          const brief_export_options *options,
                                          brief_diag *diag);

#ifdef __cplusplus
}
#endif
#endif /* BRIEF_H */
