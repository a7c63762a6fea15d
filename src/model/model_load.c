/*
 * model_load.c — loading a brief: stages 1 and 2 end to end.
 *
 * Takes a file name or a buffer; gives a validated brief_doc (json_read.c
 * reads and checks the text and notes where each value is, validate/ fills
 * the model) or NULL with every problem in the diag list.  Guarantees: the
 * JSON text and the cJSON tree are freed before the document is returned
 * (the text lives through validation only, so that an error in a
 * placeholder can be placed at its line:column inside the string, escapes
 * counted); every position a later stage reports was recorded into the
 * model while validating, so nothing after loading reads the text again.
 */
#define _XOPEN_SOURCE 700
#include "model/model.h"
#include "input/json.h"
#include "validate/validate.h"
#include "util/diag.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* loading                                                             */

/* The directory relative image paths start from: that of the input. */
static char *directory_of(const char *name)
{
    if (!name || strcmp(name, "-") == 0)
        return strdup(".");
    const char *slash = strrchr(name, '/');
    if (!slash)
        return strdup(".");
    if (slash == name)
        return strdup("/");
    return strndup(name, (size_t)(slash - name));
}

/* Takes ownership of text (NUL-terminated at len, BOM included if any). */
static brief_doc *load_text(char *text, size_t len, const char *name,
                            const brief_load_options *opt, brief_diag *diag)
{
    size_t bom = json_bom_length(text, len);
    if (bom) {
        memmove(text, text + bom, len - bom + 1);
        len -= bom;
    }
    brief_doc *doc = calloc(1, sizeof *doc);
    if (!doc || !(doc->file = strdup(name)) || !(doc->base_dir = directory_of(name))) {
        diag_oom(diag, name, "loading the brief");
        free(text);
        brief_doc_free(doc);
        return NULL;
    }
    for (size_t i = 0; opt && i < opt->nallow_paths; i++) {
        size_t before = doc->nallowed;
        brief_doc_allow_path(doc, opt->allow_paths[i]);
        if (doc->nallowed == before) {
            diag_oom(diag, name, "loading the brief");
            free(text);
            brief_doc_free(doc);
            return NULL;
        }
    }
    doc->load = opt;
    json_positions *pos = NULL;
    cJSON *root = json_parse_with_positions(text, len, name, diag, &pos);
    bool ok = root && validate_document(doc, root, pos, text, len, diag);
    free(text);   /* from here on, positions are in the model: the text is gone */
    doc->load = NULL;
    cJSON_Delete(root);
    json_positions_free(pos);
    if (!ok) {
        brief_doc_free(doc);
        return NULL;
    }
    return doc;
}

brief_doc *brief_doc_load_file(const char *path, brief_diag *diag)
{
    return brief_doc_load_file_with(path, NULL, diag);
}

brief_doc *brief_doc_load_file_with(const char *path, const brief_load_options *opt,
                                    brief_diag *diag)
{
    char *text;
    size_t len;
    if (!path) {
        diag_error(diag, BRIEF_E_USAGE, "", "no input file given");
        return NULL;
    }
    if (json_read_file(path, &text, &len, diag) != BRIEF_OK)
        return NULL;
    return load_text(text, len, path, opt, diag);
}

brief_doc *brief_doc_load_buffer(const char *data, size_t len, const char *name, brief_diag *diag)
{
    const char *file = name ? name : "<input>";
    if (len > JSON_MAX_INPUT) {
        diag_error(diag, BRIEF_E_DATA, file, "input is larger than the 16 MiB limit");
        return NULL;
    }
    char *text = malloc(len + 1);
    if (!text) {
        diag_oom(diag, file, "loading the brief");
        return NULL;
    }
    if (len)
        memcpy(text, data, len);
    text[len] = '\0';
    brief_doc *doc = load_text(text, len, file, NULL, diag);
    if (doc && !name) {
        /* No name: relative images come from the current directory. */
        free(doc->base_dir);
        doc->base_dir = strdup(".");
        if (!doc->base_dir) {
            brief_doc_free(doc);
            diag_oom(diag, file, "loading the brief");
            return NULL;
        }
    }
    return doc;
}

