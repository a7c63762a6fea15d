/*
 * output.h — writing a file so that a failure never leaves it half-written.
 *
 * An atomic_file writes to a temporary file in the target's directory;
 * atomic_commit flushes it to disk and renames it over the target, and
 * atomic_abort removes it.  Until commit the old target is untouched; after
 * a crash at any moment either the old or the new file is there, whole.
 * The target "-" (standard output) and existing non-regular files (devices,
 * pipes) are never replaced: the output is held in memory and written to
 * them in one piece at commit.  A regular file replaced keeps its mode; a
 * new file gets 0666 less the umask.  A symbolic link at the target path is
 * itself replaced by the new file (the file it pointed to is untouched), so
 * an output path never writes through a link planted there.  The process
 * umask is never changed (safe in threaded callers).
 */
#ifndef BRIEF_OUTPUT_H
#define BRIEF_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include <cairo.h>
#include "brief.h"

typedef struct atomic_file {
    char *target;        /* final path */
    char *temp;          /* temporary path; NULL: held in memory (mem) */
    char *mem;           /* the output held until commit */
    size_t mem_len;
    FILE *fp;
    bool failed;         /* a write failed (disk full …) */
    int saved_errno;
} atomic_file;

/* Opens the temporary file; BRIEF_E_CANTCREAT with a message on failure. */
brief_status atomic_open(atomic_file *af, const char *target, brief_diag *diag);
/* cairo_write_func_t that writes into an atomic_file (closure). */
cairo_status_t atomic_write(void *closure, const unsigned char *data, unsigned int len);
/* Flushes, fsyncs and renames; on failure removes the temporary file. */
brief_status atomic_commit(atomic_file *af, brief_diag *diag);
/* Removes the temporary file; safe to call twice or after commit. */
void atomic_abort(atomic_file *af);

/* Stamps a PDF surface with what every brief PDF carries: the title (when
 * given), creator "brief VERSION", and creation and modification dates —
 * SOURCE_DATE_EPOCH when it is set (so the same input gives the same
 * bytes), else now. */
void output_pdf_stamp(cairo_surface_t *pdf, const char *title);

/* Format by extension: ".pdf" ".svg" ".png" (case-insensitive). */
brief_format format_from_path(const char *path);

#endif
