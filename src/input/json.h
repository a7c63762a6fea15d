/*
 * json.h — stage 1 of the pipeline: bytes → a checked cJSON tree.
 *
 * Takes a file (or a buffer) that claims to be a JSON brief.  Gives a cJSON
 * tree, or diagnostics with file:line:column for everything wrong with the
 * text itself.  Guarantees, when it returns a tree: the text is at most
 * JSON_MAX_INPUT bytes of strict UTF-8 without NUL, nested at most
 * JSON_MAX_DEPTH deep, RFC 8259 JSON (no trailing commas, comments, leading
 * zeros, raw control characters in strings or lone surrogates), no string
 * contains U+0000 and no object repeats a key.  Afterwards, json_locate
 * turns a JSON path back into a position in the same text, so that later
 * stages can point at the value they complain about.
 */
#ifndef BRIEF_JSON_H
#define BRIEF_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <cJSON.h>
#include "brief.h"

#define JSON_MAX_INPUT ((size_t)16 << 20)
#define JSON_MAX_DEPTH 64

/* A growable NUL-terminated string.  After an allocation failure `failed`
 * is set and further appends are ignored, so callers check once at the end. */
typedef struct strbuf {
    char *s;
    size_t len, cap;
    bool failed;
} strbuf;

void sb_append(strbuf *b, const char *s, size_t n);
void sb_puts(strbuf *b, const char *s);
void sb_printf(strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void sb_truncate(strbuf *b, size_t len);
void sb_free(strbuf *b);

/* Reads all of `path` ("-": standard input) into a NUL-terminated buffer
 * the caller frees.  Refuses directories and inputs over JSON_MAX_INPUT. */
brief_status json_read_file(const char *path, char **data, size_t *len,
                            brief_diag *diag);

/* Length of a UTF-8 byte order mark at the start of the text (0 or 3). */
size_t json_bom_length(const char *data, size_t len);

/* Checks and parses text[0..len) (text[len] must be '\0'; a BOM must have
 * been skipped already, so that offsets match what the user sees).  `name`
 * is the file name for messages.  NULL when anything is wrong; every
 * problem found (up to the diag cap) is in diag. */
cJSON *json_parse(const char *text, size_t len, const char *name, brief_diag *diag);

/* ---- paths and positions ---- */

/* Appends ".key" (or `["key"]` when the key is not a plain name) or "[i]"
 * to a JSON path such as `data.key_projects.rows[3]`. */
void json_path_key(strbuf *path, const char *key);
void json_path_index(strbuf *path, size_t index);

typedef enum json_target {
    JSON_AT_VALUE,   /* the first character of the value */
    JSON_AT_KEY      /* the opening quote of its key (arrays: the value) */
} json_target;

/* Finds the value at `path` in valid JSON text.  Returns true when the whole
 * path exists; otherwise false with *offset at the deepest value reached, so
 * a caller always has somewhere sensible to point.  Linear in the text. */
bool json_locate(const char *text, size_t len, const char *path,
                 json_target target, size_t *offset);

/* 1-based line and column of a byte offset; columns count characters. */
void json_line_column(const char *text, size_t len, size_t offset,
                      int *line, int *column);

/* Appends s[0..n) in double quotes for a message: at most 40 characters
 * (then "…"), with quotes, backslashes and control characters escaped. */
void json_quote(strbuf *b, const char *s, size_t n);

/* Length of the valid UTF-8 sequence at s[0..len), 0 if invalid. */
size_t utf8_sequence_length(const unsigned char *s, size_t len);

#endif /* BRIEF_JSON_H */
