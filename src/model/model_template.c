/*
 * model_template.c — expanding the header and footer templates.
 *
 * Takes a template validated at load ({page}, {pages}, {title}, "{{" and
 * "}}" only) and the page numbers; gives the text to set.  Guarantees: no
 * other placeholder can reach here, so expansion never fails but for
 * memory (NULL).
 */
#include "model/model.h"
#include "util/strbuf.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* header and footer                                                   */

char *doc_expand_template(const char *tpl, int page, int pages, const char *title)
{
    strbuf out = {0};
    sb_puts(&out, "");
    for (const char *p = tpl ? tpl : ""; *p;) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            sb_append(&out, p, 1);
            p += 2;
        } else if (strncmp(p, "{page}", 6) == 0) {
            sb_printf(&out, "%d", page);
            p += 6;
        } else if (strncmp(p, "{pages}", 7) == 0) {
            sb_printf(&out, "%d", pages);
            p += 7;
        } else if (strncmp(p, "{title}", 7) == 0) {
            sb_puts(&out, title ? title : "");
            p += 7;
        } else {
            sb_append(&out, p++, 1);
        }
    }
    if (out.failed) {
        sb_free(&out);
        return NULL;
    }
    return out.s;
}
