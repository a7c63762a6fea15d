/*
 * rich.c — a text field set for the page, plain or given as runs: see
 * rich.h.  Only turns runs into the text engine's markers; breaking,
 * faces and link tags are the text engine's (src/text).
 */
#include "page/rich.h"

#include <string.h>

void marked_clear(marked_text *m)
{
    if (m->s)
        g_string_free(m->s, TRUE);
    g_free(m->links);
    g_free(m->notes);
    memset(m, 0, sizeof *m);
}

bool marked_runs(const rich_text *rt, const char *prefix, marked_text *m)
{
    m->s = g_string_new(prefix ? prefix : "");
    m->links = g_new0(const char *, rt->nruns + 1);
    m->notes = g_new0(const rich_text *, rt->nruns + 1);
    for (size_t i = 0; i < rt->nruns; i++) {
        const rich_run *r = &rt->runs[i];
        if (r->kind == RUN_NOTE) {
            g_string_append(m->s, TEXT_NOTE_MARK);
            m->notes[m->nnotes++] = r->note;
            continue;
        }
        if (r->link) {
            g_string_append(m->s, TEXT_MARK_LINK_ON);
            m->links[m->nlinks++] = r->link;
        }
        if (r->bold)
            g_string_append(m->s, TEXT_MARK_BOLD_ON);
        g_string_append(m->s, r->text ? r->text : "");
        if (r->bold)
            g_string_append(m->s, TEXT_MARK_BOLD_OFF);
        if (r->link)
            g_string_append(m->s, TEXT_MARK_LINK_OFF);
    }
    return true;   /* GLib aborts rather than return NULL: nothing to check */
}

text_block *page_text_new(PangoContext *ctx, const text_style *st, const char *plain,
                          const rich_text *rt, const char *prefix, double mark_room_pt,
                          double width_pt)
{
    if (!rt) {
        if (!prefix)
            return text_block_new(ctx, st, plain, width_pt);
        char *s = g_strconcat(prefix, plain, NULL);
        text_block *tb = text_block_new(ctx, st, s, width_pt);
        g_free(s);
        return tb;
    }
    marked_text m = {0};
    text_block *tb = NULL;
    if (marked_runs(rt, prefix, &m))
        tb = text_block_new_rich(ctx, st, m.s->str, m.links, m.nlinks,
                                 st->size_pt > 0 ? mark_room_pt / st->size_pt : 0, width_pt);
    marked_clear(&m);
    return tb;
}

void page_text_draw(const text_block *tb, const mark_painter *mp, cairo_t *cr, double x_pt,
                    double y_pt)
{
    if (!tb)
        return;
    text_block_draw(tb, cr, 0, text_block_line_count(tb), x_pt, y_pt);
    if (mp && text_block_mark_count(tb) > 0)
        mp->paint(mp, tb, cr, x_pt, y_pt);
}
