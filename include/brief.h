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
 * a location (file, line:column and JSON path).
 */
#ifndef BRIEF_H
#define BRIEF_H

#include <stddef.h>
#include <cairo.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BRIEF_VERSION "0.1.0"
#define BRIEF_FORMAT_VERSION 1

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

/* A list of diagnostics collected by one operation. */
typedef struct brief_diag brief_diag;

brief_diag *brief_diag_new(void);
void brief_diag_free(brief_diag *d);
size_t brief_diag_count(const brief_diag *d);
size_t brief_diag_error_count(const brief_diag *d);
/* Entry i (0-based), or NULL when out of range. */
const brief_error *brief_diag_get(const brief_diag *d, size_t i);
/* The status of the first error, BRIEF_OK when there is none. */
brief_status brief_diag_status(const brief_diag *d);
/* Formats entry e as "file:line:column: path: message" (parts that are
 * unknown are left out) into buf; returns the length it needed. */
size_t brief_error_format(const brief_error *e, char *buf, size_t size);

/* ---- engine: fonts and font maps, shared by every brief it renders ---- */

typedef struct brief_engine brief_engine;

typedef struct brief_engine_options {
    const char *font_dir;   /* bundled fonts; NULL: $BRIEF_FONT_DIR, then the
                               installed/compiled-in directory */
    const char *cache_dir;  /* fontconfig cache; NULL: $XDG_CACHE_HOME/brief,
                               ~/.cache/brief, then a temporary directory */
    int system_fallback;    /* 1 (default): use system fonts for characters
                               outside the bundled fonts; 0: never */
} brief_engine_options;

/* options may be NULL for the defaults. */
brief_engine *brief_engine_new(const brief_engine_options *options, brief_diag *diag);
void brief_engine_free(brief_engine *engine);

/* ---- document model ---- */

typedef struct brief_doc brief_doc;

/* Parses and validates; NULL when any error was found (all of them, up to a
 * cap, are in diag).  `name` is the file name used in messages and the base
 * for relative image paths (NULL or "-": the current directory). */
brief_doc *brief_doc_load_file(const char *path, brief_diag *diag);
brief_doc *brief_doc_load_buffer(const char *data, size_t len, const char *name,
                                 brief_diag *diag);
void brief_doc_free(brief_doc *doc);

/* Directories outside the input's own from which images may be read. */
void brief_doc_allow_path(brief_doc *doc, const char *dir);

/* ---- rendering the whole brief ---- */

typedef struct brief_render_options {
    int strict;             /* 1: a character no font covers is an error */
} brief_render_options;

/* Writes the PDF to `out_path` through a temporary file in the same
 * directory that is renamed into place: on failure the target is untouched.
 * "-" writes to standard output.  options may be NULL. */
brief_status brief_render_pdf(brief_engine *engine, const brief_doc *doc,
                              const char *out_path,
                              const brief_render_options *options, brief_diag *diag);

/* Writes the PDF through a callback (cairo's write function). */
brief_status brief_render_pdf_stream(brief_engine *engine, const brief_doc *doc,
                                     cairo_write_func_t write, void *closure,
                                     const brief_render_options *options,
                                     brief_diag *diag);

/* ---- charts ---- */

typedef struct brief_chart brief_chart;

/* Number of chart blocks in the document, and the id of chart i. */
size_t brief_doc_chart_count(const brief_doc *doc);
const char *brief_doc_chart_id(const brief_doc *doc, size_t i);

/* A chart of the document, ready to measure and draw; NULL if no chart has
 * that id.  The chart keeps a reference to engine and doc: free it first. */
brief_chart *brief_chart_new(brief_engine *engine, const brief_doc *doc,
                             const char *id, brief_diag *diag);
void brief_chart_free(brief_chart *chart);

/* The size the chart asks for (pt): the block's width/height when given,
 * otherwise its natural size for the available width. */
void brief_chart_measure(const brief_chart *chart, double avail_width_pt,
                         double *width_pt, double *height_pt);

/* Paints the chart into the box (0,0)-(width,height) of the caller's cairo
 * context, in its current user space.  The context's state is preserved. */
brief_status brief_chart_draw(const brief_chart *chart, cairo_t *cr,
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

/* Exports one chart as a standalone file (atomic write, as for the PDF). */
brief_status brief_chart_export(const brief_chart *chart, const char *out_path,
                                const brief_export_options *options,
                                brief_diag *diag);

#ifdef __cplusplus
}
#endif
#endif /* BRIEF_H */
