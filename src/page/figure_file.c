/*
 * figure_file.c — reading an image file, and the pixel limits (part of
 * figure loading; see figure_load.h).
 *
 * Takes a resolved path; gives its bytes, or a load_error.  Guarantees:
 * only a regular file is read (checked by stat before an open that cannot
 * block, and by fstat after it), of at most FIGURE_MAX_BYTES; an image
 * passes figure_within_budget only when its pixel size fits
 * FIGURE_MAX_SIDE, FIGURE_MAX_IMAGE_PIXELS and what is left of
 * FIGURE_MAX_BRIEF_PIXELS.
 */
#define _GNU_SOURCE
#include "page/figure_load.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void figure_set_error(load_error *e, brief_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->why, sizeof e->why, fmt, ap);
    va_end(ap);
    e->code = code;
}

static const char *file_kind(mode_t m)
{
    if (S_ISDIR(m))
        return "directory";
    if (S_ISCHR(m))
        return "character device";
    if (S_ISBLK(m))
        return "block device";
    if (S_ISFIFO(m))
        return "FIFO";
    if (S_ISSOCK(m))
        return "socket";
    return "special file";
}

static bool regular_file(const struct stat *st, load_error *e)
{
    if (S_ISREG(st->st_mode))
        return true;
    figure_set_error(e, BRIEF_E_NOINPUT, "cannot be read: not a regular file (%s)", file_kind(st->st_mode));
    return false;
}

static unsigned char *read_all(int fd, size_t len, load_error *e)
{
    unsigned char *buf = malloc(len + 1);
    if (!buf) {
        figure_set_error(e, BRIEF_E_OSERR, "out of memory");
        return NULL;
    }
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            figure_set_error(e, BRIEF_E_NOINPUT, "cannot be read: %s",
                      n < 0 ? strerror(errno) : "the file shrank while it was read");
            free(buf);
            return NULL;
        }
        got += (size_t)n;
    }
    buf[len] = '\0';
    return buf;
}

/* The file type is checked before the open (a FIFO would block it) and
 * again after it (the path may have been swapped in between); O_NONBLOCK
 * keeps even a swapped-in FIFO from blocking the open. */
unsigned char *figure_read_file(const char *path, size_t *len, load_error *e)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        figure_set_error(e, BRIEF_E_NOINPUT, "cannot be read: %s", strerror(errno));
        return NULL;
    }
    if (!regular_file(&st, e))
        return NULL;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        figure_set_error(e, BRIEF_E_NOINPUT, "cannot be read: %s", strerror(errno));
        return NULL;
    }
    unsigned char *data = NULL;
    if (fstat(fd, &st) != 0)
        figure_set_error(e, BRIEF_E_NOINPUT, "cannot be read: %s", strerror(errno));
    else if (!regular_file(&st, e))
        ;
    else if ((unsigned long long)st.st_size > FIGURE_MAX_BYTES)
        figure_set_error(e, BRIEF_E_DATA, "is larger than the 32 MiB limit for image files");
    else if ((data = read_all(fd, (size_t)st.st_size, e)) != NULL)
        *len = (size_t)st.st_size;
    close(fd);
    return data;
}

/* ---- the pixel budget ---- */

bool figure_within_budget(const figure_cache *cache, double w, double h, load_error *e)
{
    if (!(w >= 1 && h >= 1)) {
        figure_set_error(e, BRIEF_E_DATA, "has no usable size");
        return false;
    }
    if (w > FIGURE_MAX_SIDE || h > FIGURE_MAX_SIDE) {
        figure_set_error(e, BRIEF_E_DATA, "is %.0f × %.0f pixels (at most %d pixels per side)", w, h,
                  FIGURE_MAX_SIDE);
        return false;
    }
    unsigned long long px = (unsigned long long)ceil(w) * (unsigned long long)ceil(h);
    if (px > FIGURE_MAX_IMAGE_PIXELS) {
        figure_set_error(e, BRIEF_E_DATA, "is %.0f × %.0f = %llu pixels (at most %llu million per image)",
                  w, h, px, FIGURE_MAX_IMAGE_PIXELS / 1000000);
        return false;
    }
    if (cache->pixels + px > FIGURE_MAX_BRIEF_PIXELS) {
        figure_set_error(e, BRIEF_E_DATA, "would bring the brief's images to %llu pixels "
                  "(at most %llu million pixels per brief, counted once per figure)",
                  cache->pixels + px, FIGURE_MAX_BRIEF_PIXELS / 1000000);
        return false;
    }
    return true;
}
