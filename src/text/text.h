/*
 * text.h — setting one block of Chinese text (stage 3a: text flow).
 *
 * Takes a UTF-8 string, a style and a measure; gives the laid-out lines,
 * which pagination may split anywhere between lines and painting draws.
 * Guarantees (clreq, see docs/typography.md): no forbidden character at a
 * line start or end, justified lines flush to the measure, compressed
 * punctuation, ¼-em Han–Latin spacing, no lone character on a last line,
 * and a fixed baseline pitch, so every line occupies exactly pitch_pt.
 */
#ifndef BRIEF_TEXT_H
#define BRIEF_TEXT_H

#include <stdbool.h>
#include <cairo.h>
#include <pango/pango.h>

typedef enum text_align { TEXT_JUSTIFY = 0, TEXT_LEFT, TEXT_CENTER } text_align;

typedef struct text_style {
    const char *family;          /* Pango family list, e.g. "Brief Serif SC" */
    double size_pt;
    int weight;                  /* PangoWeight, 400 regular, 700 bold */
    double pitch_pt;             /* baseline-to-baseline distance */
    double indent_em;            /* first-line indent (2 for body paragraphs) */
    text_align align;
    double cjk_latin_space_em;   /* gap between Han and Latin/digits; 0: none */
    bool normalize_punctuation;  /* ASCII ,:;()?! touching CJK -> full width */
    double rgb[3];               /* text colour, 0..1 */
    bool word_breaks;            /* break only at words.c's word boundaries (table
                                    cells); other breaks become a last resort */
} text_style;

typedef struct text_block text_block;

/* Lays out `utf8` at `width_pt`.  ctx must come from engine_context(). */
text_block *text_block_new(PangoContext *ctx, const text_style *style,
                           const char *utf8, double width_pt);

/* Rich text: markers in the text (never printed) say what a span is.
 * TEXT_MARK_BOLD_ON … TEXT_MARK_BOLD_OFF: the family's bold face;
 * TEXT_MARK_LINK_ON … TEXT_MARK_LINK_OFF: the k-th link (k counts the
 * LINK_ON markers from 0) points to links[k], drawn inside a cairo link
 * tag, and breaks only after / . - ? & (never elsewhere inside it);
 * TEXT_NOTE_MARK: a footnote mark — a gap of note_mark_em that never
 * starts a line; the painter draws the mark there (text_block_mark). */
#define TEXT_MARK_BOLD_ON  "\xee\x80\x80"   /* U+E000 */
#define TEXT_MARK_BOLD_OFF "\xee\x80\x81"   /* U+E001 */
#define TEXT_MARK_LINK_ON  "\xee\x80\x82"   /* U+E002 */
#define TEXT_MARK_LINK_OFF "\xee\x80\x83"   /* U+E003 */
#define TEXT_NOTE_MARK     "\xef\xbf\xbc"   /* U+FFFC, stays in the text */
text_block *text_block_new_rich(PangoContext *ctx, const text_style *style, const char *marked,
                                const char *const *links, int nlinks, double note_mark_em,
                                double width_pt);

/* Footnote marks of the block, in text order: line and left edge (from the
 * block's left) of mark k. */
int text_block_mark_count(const text_block *tb);
bool text_block_mark(const text_block *tb, int k, int *line, double *x_pt);
void text_block_free(text_block *tb);

int text_block_line_count(const text_block *tb);
/* The type size the block is set in (its style's size_pt). */
double text_block_size(const text_block *tb);
/* Height of lines [first, first+n): n * pitch. */
double text_block_height(const text_block *tb, int first, int n);
/* Draws lines [first, first+n) with the top of line `first` at (x, y). */
void text_block_draw(const text_block *tb, cairo_t *cr, int first, int n,
                     double x_pt, double y_pt);
/* cairo tags every painter shares.  A Link to uri (quotes and
 * backslashes escaped for cairo's attribute syntax). */
void text_tag_link_begin(cairo_t *cr, const char *uri);
/* A Span, when `on`: cairo 1.16 marks the content only of structure
 * elements without children, so in an element where a Link is nested,
 * the text outside the link is drawn in Spans or it belongs to none. */
void text_tag_span_begin(cairo_t *cr, bool on);
void text_tag_span_end(cairo_t *cr, bool on);

/* Does the text hold a link (a run with "link")? */
bool text_block_has_links(const text_block *tb);

/* Draws the first line of piece (a note mark, a note's number) beside the
 * text host, at (x_pt, y_pt): in a Span when host has links, since cairo
 * 1.16 marks the content only of elements without children, and host's
 * element has its Links (see text_block_draw). */
void text_block_draw_beside(const text_block *host, const text_block *piece, cairo_t *cr,
                            double x_pt, double y_pt);

/* For tests and diagnostics: what line i holds. */
typedef struct text_line_info {
    int start, length;        /* byte range in text_block_text() */
    double x_pt;              /* left edge of the first glyph, from the block's left */
    double width_pt;          /* advance width of the line's glyphs */
    bool last;                /* last line of the paragraph */
} text_line_info;
bool text_block_line(const text_block *tb, int i, text_line_info *out);
/* The text as set, after punctuation normalisation (no inserted marks). */
const char *text_block_text(const text_block *tb);
/* Glyphs no font had (each one prints as a box). */
int text_block_unknown_glyphs(const text_block *tb);

#endif
