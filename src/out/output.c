/*
 * output.c — atomic file output (see output.h).
 *
 * Takes a target path; gives a FILE that cairo's stream surfaces write to;
 * guarantees the target is replaced only by a complete, flushed file.
 */
#define _GNU_SOURCE
#include "out/output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cairo-pdf.h>

#include "util/diag.h"

/* Creates a new hidden file beside the target, like mkstemp but with mode
 * 0666 so that the kernel applies the umask itself: reading the umask
 * means setting it, which races with other threads of the caller. */
static int create_temp(char *temp, size_t prefix_len)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned char r[6];
        if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            unsigned long long x = (unsigned long long)ts.tv_nsec * 2654435761u ^ (unsigned long long)getpid() ^ (unsigned long long)attempt << 32;
            for (size_t i = 0; i < sizeof r; i++, x >>= 8)
                r[i] = (unsigned char)x;
        }
        for (size_t i = 0; i < sizeof r; i++)
            temp[prefix_len + i] = alphabet[r[i] % (sizeof alphabet - 1)];
        int fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* Writes a whole buffer to standard output ("-") or a non-regular file
 * (a device or pipe); 0 or an errno value. */
static int write_out(const char *target, const char *data, size_t len)
{
    bool to_stdout = strcmp(target, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(target, "wb");
    if (!f)
        return errno;
    int err = 0;
    if (len && fwrite(data, 1, len, f) != len)
        err = errno ? errno : EIO;
    if (fflush(f) != 0 && !err)
        err = errno ? errno : EIO;
    if (!to_stdout && fclose(f) != 0 && !err)
        err = errno ? errno : EIO;
    return err;
}

brief_status atomic_open(atomic_file *af, const char *target, brief_diag *diag)
{
    memset(af, 0, sizeof *af);
    struct stat st;
    bool exists = stat(target, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        diag_error(diag, BRIEF_E_CANTCREAT, target, "is a directory (expected an output file name)");
        return BRIEF_E_CANTCREAT;
    }
    if (strcmp(target, "-") == 0 || (exists && !S_ISREG(st.st_mode))) {
        /* Standard output, a pipe or a device cannot be renamed into place
         * (and must not be replaced by a file): hold the output in memory
         * and write it only when it is complete. */
        af->fp = open_memstream(&af->mem, &af->mem_len);
        af->target = strdup(target);
        return (af->fp && af->target) ? BRIEF_OK : BRIEF_E_OSERR;
    }
    char *dir = dir_of(target);
    const char *base = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
    size_t n = strlen(dir) + strlen(base) + 32;
    af->target = strdup(target);
    af->temp = malloc(n);
    if (!dir || !af->target || !af->temp) {
        free(dir);
        atomic_abort(af);
        diag_error(diag, BRIEF_E_OSERR, target, "out of memory");
        return BRIEF_E_OSERR;
    }
    /* A hidden name beside the target: same file system, so rename is
     * atomic, and a glob for *.pdf never picks up a half-written file. */
    int prefix = snprintf(af->temp, n, "%s/.%s.XXXXXX", dir, base) - 6;
    free(dir);
    int fd = create_temp(af->temp, (size_t)prefix);
    if (fd < 0) {
        int err = errno;
        char *d = dir_of(target);
        diag_error(diag, BRIEF_E_CANTCREAT, target, "cannot create output in %s: %s",
                   d ? d : ".", strerror(err));
        free(d);
        free(af->temp);
        af->temp = NULL;
        atomic_abort(af);
        return BRIEF_E_CANTCREAT;
    }
    /* A file replaced keeps its permissions (chmod 600 stays 600).  A
     * symbolic link at the target is replaced itself, as rename does, and
     * the file it pointed to is left alone: the new file then has the
     * default mode, like any new file. */
    struct stat old;
    if (lstat(target, &old) == 0 && S_ISREG(old.st_mode))
        fchmod(fd, old.st_mode & 07777);
    af->fp = fdopen(fd, "wb");
    if (!af->fp) {
        close(fd);
        atomic_abort(af);
        diag_error(diag, BRIEF_E_OSERR, target, "out of memory");
        return BRIEF_E_OSERR;
    }
    return BRIEF_OK;
}

cairo_status_t atomic_write(void *closure, const unsigned char *data, unsigned int len)
{
    atomic_file *af = closure;
    if (af->failed)
        return CAIRO_STATUS_WRITE_ERROR;
    if (len && fwrite(data, 1, len, af->fp) != len) {
        af->failed = true;
        af->saved_errno = errno ? errno : EIO;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

brief_status atomic_commit(atomic_file *af, brief_diag *diag)
{
    if (!af->fp)
        return BRIEF_E_SOFTWARE;
    int err = 0;
    if (af->failed)
        err = af->saved_errno;
    if (fflush(af->fp) != 0 && !err)
        err = errno ? errno : EIO;
    if (!af->temp) {            /* held in memory: write it out whole */
        if (fclose(af->fp) != 0 && !err)
            err = errno ? errno : ENOMEM;
        af->fp = NULL;
        if (!err)
            err = write_out(af->target, af->mem, af->mem_len);
        if (err)
            diag_error(diag, BRIEF_E_IO, af->target, "cannot write%s: %s",
                       strcmp(af->target, "-") ? "" : " to standard output", strerror(err));
        free(af->mem);
        af->mem = NULL;
        free(af->target);
        af->target = NULL;
        return err ? BRIEF_E_IO : BRIEF_OK;
    }
    if (!err && fsync(fileno(af->fp)) != 0 && errno != EINVAL)
        err = errno;
    if (fclose(af->fp) != 0 && !err)
        err = errno ? errno : EIO;
    af->fp = NULL;
    if (!err && rename(af->temp, af->target) != 0)
        err = errno;
    if (err) {
        diag_error(diag, BRIEF_E_IO, af->target, "cannot write: %s", strerror(err));
        atomic_abort(af);
        return BRIEF_E_IO;
    }
    free(af->temp);
    af->temp = NULL;
    free(af->target);
    af->target = NULL;
    return BRIEF_OK;
}

void atomic_abort(atomic_file *af)
{
    if (af->fp)
        fclose(af->fp);
    af->fp = NULL;
    free(af->mem);
    af->mem = NULL;
    if (af->temp) {
        unlink(af->temp);
        free(af->temp);
        af->temp = NULL;
    }
    free(af->target);
    af->target = NULL;
}

brief_format format_from_path(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/'))
        return BRIEF_FORMAT_AUTO;
    if (strcasecmp(dot, ".pdf") == 0)
        return BRIEF_FORMAT_PDF;
    if (strcasecmp(dot, ".svg") == 0)
        return BRIEF_FORMAT_SVG;
    if (strcasecmp(dot, ".png") == 0)
        return BRIEF_FORMAT_PNG;
    return BRIEF_FORMAT_AUTO;
}

static void pdf_date(char *buf, size_t size)
{
    time_t t = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (!errno && !*end && v >= 0)
            t = (time_t)v;
    }
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void output_pdf_stamp(cairo_surface_t *pdf, const char *title)
{
    if (title && *title)
        cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATOR, "brief " BRIEF_VERSION);
    char date[64];
    pdf_date(date, sizeof date);
    cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATE_DATE, date);
    cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_MOD_DATE, date);
}
