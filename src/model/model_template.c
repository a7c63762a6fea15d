/*
 * model_template.c — expanding the header and footer templates.
 *
 * Takes a template that validation reduced to {page}, {pages}, {title},
 * "{{" and "}}" (its data references already replaced by their values,
 * its length at 2000 pages already checked) and the page numbers; gives
 * the text to set, through the one placeholder expander.  Guarantees: no
 * other placeholder can reach here, so expansion never fails but for
 * memory (NULL).
 */
#include "model/model.h"
#include "model/placeholder.h"

#include <stdio.h>
#include <stdlib.h>

char *doc_expand_template(const char *tpl, int page, int pages, const char *title)
{
    static const char *const names[] = {"page", "pages", "title"};
    char p[16], n[16];
    snprintf(p, sizeof p, "%d", page);
    snprintf(n, sizeof n, "%d", pages);
    const char *values[] = {p, n, title ? title : ""};
    ph_list l;
    ph_error e;
    if (!ph_parse(tpl ? tpl : "", names, 3, &l, &e))
        return NULL;
    ph_table t = {.builtin_names = names, .builtin_values = values, .nbuiltins = 3};
    ph_resolver r;
    char *out = NULL;
    if (ph_table_resolver(&t, &r))
        out = ph_expand(&l, &r, NULL, NULL, PH_MAX_FIELD_BYTES, &e);
    ph_table_clear(&t);
    ph_list_clear(&l);
    return out;
}
