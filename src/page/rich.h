/*
 * rich.h — a text field set for the page, plain or given as runs (part of
 * stages 3 and 4).
 *
 * Takes a field's plain text and, when it was given as runs, its
 * rich_text (docs/format.md, "Rich text"); gives one text_block, whose
 * bold runs are set in the family's bold, whose links are clickable
 * (cairo link tags, drawn by the text engine) and whose footnotes leave a
 * gap for their mark.  Every text brief draws outside the charts goes
 * through here, so a run prints alike in a paragraph, a caption, a table
 * note, a list item, a key figure, the masthead or the running lines.
 * Painting the marks is the caller's (their numbers are per page): a
 * mark_painter, when given, is called after each text is drawn.
 */
#ifndef BRIEF_PAGE_RICH_H
#define BRIEF_PAGE_RICH_H

#include <cairo.h>
#include <glib.h>
#include "model/model.h"
#include "text/text.h"

/* The room a footnote mark takes in the text, in ems of the body size
 * (whatever the size of the text it stands in: the mark is one size). */
#define NOTE_MARK_ROOM_EM 0.62

/* The runs as one marked string for text_block_new_rich; the links in
 * order; the notes' own runs, in the order of their marks. */
typedef struct marked_text {
    GString *s;
    const char **links;
    int nlinks;
    const rich_text **notes;
    int nnotes;
} marked_text;

/* Fills m (prefix, when not NULL, first, as plain text); false when out of
 * memory.  marked_clear frees what it holds, also after a failure. */
bool marked_runs(const rich_text *rt, const char *prefix, marked_text *m);
void marked_clear(marked_text *m);

/* The field set at width_pt (0: one line as wide as the text): rt when
 * not NULL, else plain.  mark_room_pt: the room of a footnote mark.  NULL
 * when out of memory. */
text_block *page_text_new(PangoContext *ctx, const text_style *st, const char *plain,
                          const rich_text *rt, const char *prefix, double mark_room_pt,
                          double width_pt);

/* Draws the footnote marks of tb, drawn with its top-left at (x, y). */
typedef struct mark_painter mark_painter;
struct mark_painter {
    void (*paint)(const mark_painter *mp, const text_block *tb, cairo_t *cr, double x_pt,
                  double y_pt);
};

/* text_block_draw of every line of tb, then its marks (mp may be NULL). */
void page_text_draw(const text_block *tb, const mark_painter *mp, cairo_t *cr, double x_pt,
                    double y_pt);

#endif
