/*
 * json.h — stage 1 of the pipeline: bytes → a checked cJSON tree.
 *
 * Takes a file (or a buffer) that claims to be a JSON brief.  Gives a cJSON
 * tree, or diagnostics with file:line:column for everything wrong with the
 * text itself.  Guarantees, when it returns a tree: the text is at most
 * JSON_MAX_INPUT bytes of strict UTF-8 without NUL, nested at most
 * JSON_MAX_DEPTH deep, RFC 8259 JSON (no trailing commas, comments, leading
 * zeros, raw control characters in strings or lone surrogates), no string
 * contains U+0000 and no object repeats a key.  With the tree comes a
 * table of where each of its values is (line:column, computed once while
 * reading), so that the validator can point at any value without the text:
 * the text can be freed as soon as json_parse returns.
 */
#ifndef BRIEF_JSON_H
#define BRIEF_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <cJSON.h>
#include "brief.h"
#include "util/srcpos.h"
#include "util/strbuf.h"
#include "util/utf8.h"

#define JSON_MAX_INPUT ((size_t)16 << 20)
#define JSON_MAX_DEPTH 64

/* Reads all of `path` ("-": standard input) into a NUL-terminated buffer
 * the caller frees.  Refuses directories and inputs over JSON_MAX_INPUT. */
brief_status json_read_file(const char *path, char **data, size_t *len,
                            brief_diag *diag);

/* Length of a UTF-8 byte order mark at the start of the text (0 or 3). */
size_t json_bom_length(const char *data, size_t len);

/* Where the values of one parsed tree are (see json_positions.c). */
typedef struct json_positions json_positions;

/* Checks and parses text[0..len) (text[len] must be '\0'; a BOM must have
 * been skipped already, so that positions match what the user sees).
 * `name` is the file name for messages.  NULL when anything is wrong; every
 * problem found (up to the diag cap) is in diag.  With pos non-NULL, *pos
 * gets the positions of the tree's values (free with json_positions_free);
 * neither the tree nor the table refers to the text afterwards. */
cJSON *json_parse_with_positions(const char *text, size_t len, const char *name,
                                 brief_diag *diag, json_positions **pos);
cJSON *json_parse(const char *text, size_t len, const char *name, brief_diag *diag);

void json_positions_free(json_positions *pos);

/* ---- paths and positions ---- */

/* Appends ".key" (or `["key"]` when the key is not a plain name) or "[i]"
 * to a JSON path such as `data.key_projects.rows[3]`. */
void json_path_key(strbuf *path, const char *key);
void json_path_index(strbuf *path, size_t index);

typedef enum json_target {
    JSON_AT_VALUE,   /* the first character of the value */
    JSON_AT_KEY      /* the opening quote of its key (arrays: the value) */
} json_target;

/* Where node (a value of the tree the table came with) is: its first
 * character, or with JSON_AT_KEY the opening quote of its key (array
 * elements and the root: the value).  {0, 0} for a node not in the table. */
src_pos json_position_of(const json_positions *pos, const cJSON *node, json_target target);

/* Follows `path` from root through the tree (not the text) and gives the
 * position of the value it names.  Returns true when the whole path exists;
 * otherwise false with *at at the deepest value reached, so a caller always
 * has somewhere sensible to point. */
bool json_locate(const json_positions *pos, const cJSON *root, const char *path,
                 json_target target, src_pos *at);

/* 1-based line and column of a byte offset; columns count characters. */
void json_line_column(const char *text, size_t len, size_t offset,
                      int *line, int *column);

/* Appends s[0..n) in double quotes for a message: at most 40 characters
 * (then "…"), with quotes, backslashes and control characters escaped. */
void json_quote(strbuf *b, const char *s, size_t n);

#endif /* BRIEF_JSON_H */
