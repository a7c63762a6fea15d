/*
 * csv.c — CSV bytes → a typed dataset (see csv.h for what it takes, gives
 * and guarantees): the entry points; the passes are csv_decode.c,
 * csv_split.c and csv_columns.c (see csv_reader.h).
 *
 * Three passes, each bounded by the limits of csv.h before it does work:
 * decode (BOM, UTF-8 check, GB18030 through iconv, everything else refused
 * with a hint), split (RFC 4180 records into raw cells with their
 * positions; limits on rows, columns and cell length checked as each cell
 * is read), type (names, then each column numeric or text).  Positions are
 * counted on the decoded text, in characters, so they match what an editor
 * shows for the original file in either encoding.
 */
#define _POSIX_C_SOURCE 200809L
#include "input/csv_reader.h"
#include "util/diag.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void csv_fail_at(reader *r, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(r->diag, BRIEF_ERROR, BRIEF_E_DATA, r->name, line, col, NULL, fmt, ap);
    va_end(ap);
}

const char *csv_encoding_name(csv_encoding e)
{
    switch (e) {
    case CSV_UTF8_BOM: return "UTF-8 with BOM";
    case CSV_GB18030: return "GB18030";
    default: return "UTF-8";
    }
}

/* ------------------------------------------------------------------ */
/* entry points                                                        */

void csv_table_clear(csv_table *t)
{
    if (!t)
        return;
    for (size_t k = 0; t->cols && k < t->data.ncols; k++)
        free(t->cols[k].unit);
    free(t->cols);
    free(t->row_lines);
    dataset_clear(&t->data);
    memset(t, 0, sizeof *t);
}

brief_status csv_parse(const char *bytes, size_t len, const char *name, csv_table *out,
                       brief_diag *diag)
{
    memset(out, 0, sizeof *out);
    reader r = {.name = name ? name : "<csv>", .diag = diag};
    bool ok;
    if (len > CSV_MAX_BYTES) {
        csv_fail_at(&r, 0, 0, "CSV file is larger than the %zu MiB limit", CSV_MAX_BYTES >> 20);
        ok = false;
    } else {
        ok = csv_decode(&r, bytes ? bytes : "", len) && csv_split(&r) && csv_check_names(&r) &&
             csv_build(&r, out);
    }
    if (r.cells_text.failed)
        r.oom = true;
    free(r.text);
    sb_free(&r.cells_text);
    free(r.cells);
    free(r.row_lines);
    if (ok)
        return BRIEF_OK;
    csv_table_clear(out);
    if (r.oom) {
        diag_oom(diag, r.name, "reading the CSV file");
        return BRIEF_E_OSERR;
    }
    return BRIEF_E_DATA;
}

/* The whole regular file, never more than CSV_MAX_BYTES + 1 bytes. */
static brief_status read_all(int fd, const char *name, char **data, size_t *len, brief_diag *diag)
{
    struct stat st;
    if (fstat(fd, &st) != 0) {
        diag_add(diag, BRIEF_ERROR, BRIEF_E_NOINPUT, name, 0, 0, NULL, "cannot read: %s",
                 strerror(errno));
        return BRIEF_E_NOINPUT;
    }
    if (!S_ISREG(st.st_mode)) {
        diag_add(diag, BRIEF_ERROR, BRIEF_E_NOINPUT, name, 0, 0, NULL,
                 "cannot read: %s (expected a regular CSV file)",
                 S_ISDIR(st.st_mode) ? "it is a directory" : "it is not a regular file");
        return BRIEF_E_NOINPUT;
    }
    if ((uintmax_t)st.st_size > CSV_MAX_BYTES) {
        diag_add(diag, BRIEF_ERROR, BRIEF_E_DATA, name, 0, 0, NULL,
                 "CSV file is larger than the %zu MiB limit", CSV_MAX_BYTES >> 20);
        return BRIEF_E_DATA;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        diag_oom(diag, name, "reading the CSV file");
        return BRIEF_E_OSERR;
    }
    for (;;) {
        if (n == cap) {
            if (cap > CSV_MAX_BYTES)
                break;   /* grew while we read: refused below */
            size_t grown = cap * 2 > CSV_MAX_BYTES + 1 ? CSV_MAX_BYTES + 1 : cap * 2;
            char *p = realloc(buf, grown + 1);
            if (!p) {
                free(buf);
                diag_oom(diag, name, "reading the CSV file");
                return BRIEF_E_OSERR;
            }
            buf = p;
            cap = grown;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            diag_add(diag, BRIEF_ERROR, BRIEF_E_NOINPUT, name, 0, 0, NULL, "cannot read: %s",
                     strerror(errno));
            free(buf);
            return BRIEF_E_NOINPUT;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    if (n > CSV_MAX_BYTES) {
        free(buf);
        diag_add(diag, BRIEF_ERROR, BRIEF_E_DATA, name, 0, 0, NULL,
                 "CSV file is larger than the %zu MiB limit", CSV_MAX_BYTES >> 20);
        return BRIEF_E_DATA;
    }
    *data = buf;
    *len = n;
    return BRIEF_OK;
}

brief_status csv_read_file(const char *path, const char *name, csv_table *out, brief_diag *diag)
{
    memset(out, 0, sizeof *out);
    const char *shown = name ? name : path ? path : "<csv>";
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused
     * by read_all as not a regular file. */
    int fd = path ? open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) : -1;
    if (fd < 0) {
        diag_add(diag, BRIEF_ERROR, BRIEF_E_NOINPUT, shown, 0, 0, NULL,
                 "cannot open: %s (expected a readable CSV file)",
                 path ? strerror(errno) : "no file name");
        return BRIEF_E_NOINPUT;
    }
    char *data = NULL;
    size_t len = 0;
    brief_status st = read_all(fd, shown, &data, &len, diag);
    close(fd);
    if (st != BRIEF_OK)
        return st;
    st = csv_parse(data, len, shown, out, diag);
    free(data);
    return st;
}
