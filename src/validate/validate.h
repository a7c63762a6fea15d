/* validate.h — stage 2: a checked cJSON tree → the model (see validate.c). */
#ifndef BRIEF_VALIDATE_H
#define BRIEF_VALIDATE_H

#include <stdbool.h>
#include <cJSON.h>
#include "model/model.h"
#include "input/json.h"

/* Fills doc from root.  doc must come zeroed with file and base_dir set
 * (they name the input in messages and anchor relative image paths); pos
 * gives the positions of root's values (NULL: errors carry no line:column);
 * text[0..len) is the JSON the tree was read from (NULL: errors inside a
 * string are placed at the string).  False when anything is wrong; every error
 * (up to the diag cap) is in diag and doc holds partial results that only
 * brief_doc_free may touch. */
bool validate_document(brief_doc *doc, const cJSON *root, const json_positions *pos,
                       const char *text, size_t len, brief_diag *diag);

/* The name in names[0..n) that `got` most probably meant, or NULL: equal
 * ignoring ASCII case, a few edits away (about one per three characters,
 * counted in code points), a character typed twice ("mm" for "m"), an
 * abbreviation ("pg" for "page"), a part
 * ("计划" for "年度计划") or an extension ("metadata" for "meta"). */
const char *suggest_name(const char *got, const char *const *names, size_t n);

#endif
