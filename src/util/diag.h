/*
 * diag.h — collecting diagnostics (errors and warnings) with locations.
 *
 * Every stage reports through these functions; the list owns copies of all
 * strings, so callers may pass temporaries.  After DIAG_MAX_ERRORS errors
 * further errors are counted but not stored, so a hostile input cannot make
 * the list grow without bound.
 */
#ifndef BRIEF_DIAG_H
#define BRIEF_DIAG_H

#include <stdarg.h>
#include "brief.h"

#define DIAG_MAX_ERRORS 50

#if defined(__GNUC__)
#define BRIEF_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define BRIEF_PRINTF(a, b)
#endif

/* Adds an entry.  d may be NULL (the report is dropped).  file/path may be
 * NULL; line/column 0 when unknown. */
void diag_add(brief_diag *d, brief_severity sev, brief_status code,
              const char *file, int line, int column, const char *path,
              const char *fmt, ...) BRIEF_PRINTF(8, 9);
void diag_vadd(brief_diag *d, brief_severity sev, brief_status code,
               const char *file, int line, int column, const char *path,
               const char *fmt, va_list ap);

/* Shorthands for the common cases. */
void diag_error(brief_diag *d, brief_status code, const char *file,
                const char *fmt, ...) BRIEF_PRINTF(4, 5);
void diag_warning(brief_diag *d, const char *file, const char *fmt, ...) BRIEF_PRINTF(3, 4);

/* The one out-of-memory report (docs/architecture.md, "Out of memory"):
 * an error with code BRIEF_E_OSERR (exit 71) saying "out of memory while
 * WHAT".  The call itself allocates nothing beyond the entry, and if even
 * that fails the error is still counted and the status stays 71. */
void diag_oom(brief_diag *d, const char *file, const char *what);

/* Copies n bytes of in to out (size bytes, always terminated) so that it
 * can be printed anywhere: control characters (C0, DEL, C1), line and
 * paragraph separators and bidi controls become \u001B-style escapes,
 * bytes that are not UTF-8 become \xFF, and if it does not fit it is cut
 * between characters and ends in "…".  Returns the bytes written.  Every
 * diagnostic's file, path and message pass through it when stored. */
size_t diag_escape(char *out, size_t size, const char *in, size_t n);

/* Number of errors reported, including those beyond the cap. */
size_t diag_errors_total(const brief_diag *d);

#endif
