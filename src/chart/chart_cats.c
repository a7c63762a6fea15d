/*
 * chart_cats.c — category labels.
 *
 * Takes the rows' labels, a size and a measure; gives every label wrapped
 * (balanced, numbers kept with their Han neighbours) and the largest box.
 * The drivers try sizes, measures and rotation with it until the labels
 * fit.  Guarantees: a label is never cut; cats_wrap says whether every
 * word fit and no label has more lines than allowed.
 */
#include "chart/chart_build.h"

#include <math.h>
#include <string.h>

void cats_free(build *b, catlabels *c)
{
    if (c->tb)
        for (size_t i = 0; i < b->n; i++)
            tbox_clear(&c->tb[i]);
    memset(c, 0, sizeof *c);
}

/* All labels at size, wrapped at maxw; true when every word fit and (if
 * max_lines > 0) no label has more lines. */
bool cats_wrap(build *b, catlabels *c, double size, double maxw, PangoAlignment al,
               int max_lines, bool char_break)
{
    cats_free(b, c);
    c->tb = b->cat_tb;     /* room for n labels, made in build_init */
    c->size = size;
    c->rotated = false;
    bool ok = true;
    for (size_t i = 0; i < b->n; i++) {
        text_wrap_ex(b, &c->tb[i], b->cat[i], size, false, maxw, al, true, char_break, true);
        if (!c->tb[i].ok || (max_lines > 0 && c->tb[i].lines > max_lines))
            ok = false;
        c->maxw = fmax(c->maxw, c->tb[i].w);
        c->maxh = fmax(c->maxh, c->tb[i].h);
    }
    return ok;
}
