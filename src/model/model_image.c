/*
 * model_image.c — the file a figure's image (or a CSV dataset) names, and
 * whether brief may read it.
 *
 * Takes a figure block and the directories images may come from (the
 * input's, and those given to brief_doc_allow_path after loading: hence at
 * render time, not at validation).  Gives a canonical path or an error at
 * the image's recorded position.  Guarantees: no path that resolves, after
 * symlinks and "..", outside those directories is ever opened.
 */
#define _XOPEN_SOURCE 700
#include "model/model.h"
#include "input/json.h"
#include "util/diag.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static bool is_inside(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/')
        return true;
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* Whether the canonical path real lies in dir (false if dir is missing). */
static bool inside_dir(const char *real, const char *dir)
{
    char *rdir = realpath(dir, NULL);
    bool inside = rdir && is_inside(real, rdir);
    free(rdir);
    return inside;
}

char *doc_path_under_base(const brief_doc *doc, const char *s)
{
    const char *base = doc->base_dir ? doc->base_dir : ".";
    strbuf resolved = {0};
    if (s[0] != '/' && strcmp(base, ".") != 0) {
        sb_puts(&resolved, base);
        if (resolved.len && resolved.s[resolved.len - 1] != '/')
            sb_puts(&resolved, "/");
    }
    sb_puts(&resolved, s);
    if (resolved.failed) {
        sb_free(&resolved);
        return NULL;
    }
    return resolved.s;
}

doc_path_verdict doc_confine_path(const brief_doc *doc, const char *resolved, char **real,
                                  int *err)
{
    *real = NULL;
    *err = 0;
    char *r = realpath(resolved, NULL);
    if (!r) {
        *err = errno;
        return *err == ENOMEM ? DOC_PATH_OOM
               : *err == ENOENT || *err == ENOTDIR ? DOC_PATH_MISSING : DOC_PATH_UNREADABLE;
    }
    bool allowed = inside_dir(r, doc->base_dir ? doc->base_dir : ".");
    for (size_t i = 0; !allowed && i < doc->nallowed; i++)
        allowed = inside_dir(r, doc->allowed_dirs[i]);
    if (!allowed) {
        free(r);
        return DOC_PATH_OUTSIDE;
    }
    *real = r;
    return DOC_PATH_OK;
}

brief_status doc_resolve_image(const brief_doc *doc, const block *b, char **path, brief_diag *diag)
{
    *path = NULL;
    if (!b || b->type != BLOCK_FIGURE || !b->image_resolved)
        return BRIEF_OK;
    strbuf where = {0};
    sb_puts(&where, b->json_path ? b->json_path : "");
    json_path_key(&where, "image");
    const char *jp = where.s ? where.s : "";
    char *real;
    int err;
    doc_path_verdict pv = doc_confine_path(doc, b->image_resolved, &real, &err);
    brief_status st = BRIEF_OK;
    if (pv == DOC_PATH_MISSING) {
        doc_error_at(doc, diag, BRIEF_E_NOINPUT, b->image_at, jp, "image \"%s\" not found (looked for %s)",
                  b->image, b->image_resolved);
        st = BRIEF_E_NOINPUT;
    } else if (pv == DOC_PATH_UNREADABLE || pv == DOC_PATH_OOM) {
        doc_error_at(doc, diag, BRIEF_E_NOINPUT, b->image_at, jp, "cannot open image %s: %s",
                  b->image_resolved, strerror(err));
        st = BRIEF_E_NOINPUT;
    } else if (pv == DOC_PATH_OUTSIDE) {
        doc_error_at(doc, diag, BRIEF_E_DATA, b->image_at, jp, "image \"%s\" is outside the brief's directory "
                  "(images must be under %s or a directory given with --allow-path)", b->image,
                  doc->base_dir ? doc->base_dir : ".");
        st = BRIEF_E_DATA;
    }
    sb_free(&where);
    *path = real;
    return st;
}
