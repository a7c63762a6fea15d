/*
 * text_internal.h — the pieces of the text engine (text.c, text_prep.c,
 * text_break.c) and what the typography tests look at.
 *
 * Pipeline of text_block_new:
 *   text_prep.c   normalise the source (whitespace, ASCII punctuation in
 *                 Chinese context) and classify characters;
 *   text.c        shape the paragraph once with Pango (one unwrapped line),
 *                 measure each cluster and the compressible blank of every
 *                 full-width mark (the font's `halt` feature);
 *   text_opportunities.c  break opportunities, Han–Latin glue,
 *                 punctuation pair compression;
 *   text_break.c  a total-fit (Knuth–Plass style) choice
 *                 of line breaks with line-edge half-width marks, push-in,
 *                 push-out and the no-lone-character rule; finally the
 *                 position of every cluster;
 *   text_draw.c   draw each line's glyphs at those positions.
 * Nothing is inserted into the text: the glyphs drawn are exactly the
 * characters of text_block_text(), positioned by us.
 */
#ifndef BRIEF_TEXT_INTERNAL_H
#define BRIEF_TEXT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include <pango/pango.h>
#include "text/text.h"

/* ---- characters (text_prep.c) ---- */

typedef enum tx_class {
    TX_OTHER = 0,   /* symbols and Latin punctuation not listed below */
    TX_ALNUM,       /* letters and digits of alphabetic scripts */
    TX_HAN,         /* ideographs, kana, hangul, bopomofo, full-width letters */
    TX_IDSPACE,     /* U+3000 ideographic space */
    TX_SPACE,       /* U+0020 (the only breaking space after normalisation), \n */
    TX_OPEN,        /* opening brackets and quotes: never at a line end */
    TX_CLOSE,       /* closing brackets and quotes: never at a line start */
    TX_STOP,        /* ，。、；：？！ and , . ; : ? ! : never at a line start */
    TX_MIDDOT,      /* · ・ ‧ : never at a line start */
    TX_ELLIPSIS,    /* … ‥ : never split, never at a line start */
    TX_DASH,        /* — ― : a pair is never split */
    TX_POSTFIX,     /* % ‰ ℃ ° ′ ″ : never at a line start */
    TX_FORMAT       /* zero-width format characters */
} tx_class;

tx_class tx_char_class(gunichar c);
/* A character set on the CJK grid (ideographs, CJK punctuation, full-width
 * forms, dashes and ellipses): breaks and stretch are allowed beside it. */
bool tx_char_wide(gunichar c);
/* Kinsoku: c may not begin / may not end a line. */
bool tx_no_line_start(gunichar c);
bool tx_no_line_end(gunichar c);
/* Han (incl. kana, hangul) for the Han–Latin spacing and the lone-character rule. */
static inline bool tx_is_han(gunichar c) { return tx_char_class(c) == TX_HAN; }
/* Latin letter or digit for the Han–Latin spacing. */
static inline bool tx_is_alnum(gunichar c) { return tx_char_class(c) == TX_ALNUM; }

/* Normalised copy of utf8 (g_free it): whitespace runs (tab, space …)
 * become one space; a run holding line breaks (\n, \r\n, \r, U+2028,
 * U+2029, U+0085) becomes that many \n, each a forced line break;
 * leading/trailing whitespace and line breaks go; with `punct`, ASCII
 * , : ; ? ! ( ) touching CJK become ，：；？！（）(see docs/typography.md).
 * Invalid UTF-8 is repaired. */
char *tx_normalize(const char *utf8, bool punct);

/* ---- clusters and lines (text_break.c) ---- */

enum { TX_SIDE_NONE = 0, TX_SIDE_LEFT, TX_SIDE_RIGHT, TX_SIDE_BOTH };
enum { TX_BRK_OK = 0, TX_BRK_EMERGENCY, TX_BRK_FORBIDDEN };

/* Cluster flags */
#define TXF_SPACE 0x01        /* collapsible at a line end (U+0020) */
#define TXF_CONTENT 0x02      /* counts for the lone-character rule */
#define TXF_NOBREAK 0x04      /* a WORD JOINER (or similar) ends it */
#define TXF_ZWSP 0x08         /* a ZERO WIDTH SPACE ends it: break allowed */
#define TXF_UAX14 0x10        /* Pango (UAX #14) allows a break before it */
#define TXF_CURSOR 0x20       /* a grapheme boundary precedes it */
#define TXF_NEWLINE 0x40      /* a forced line break (\n in the source) */

typedef struct tx_cluster {
    int start, end;            /* bytes in the normalised text */
    int g0, ng;                /* glyphs in the paragraph's glyph array */
    gunichar first, last;      /* first and last character (format chars skipped) */
    uint8_t flags;
    uint8_t side;              /* where its compressible blank is */
    /* the slot after this cluster (between it and the next one) */
    uint8_t brk;               /* TX_BRK_* */
    uint8_t stretch;           /* justification may widen this slot */
    uint8_t pair;              /* 0 none, 1 pair compresses this, 2 the next */
    double adv;                /* natural advance (pt) */
    double blank;              /* compressible blank (pt) */
    double glue;               /* fixed space in the slot (Han–Latin), pt */
    double penalty;            /* cost of a break in the slot */
    /* results */
    int line;
    double comp;               /* compression applied (pt) */
    double x;                  /* advance-box left edge from the block's left */
    double width;              /* final advance incl. the slot's space */
} tx_cluster;

typedef struct tx_line {
    int c0, c1;                /* clusters [c0, c1) incl. trailing spaces */
    int vis1;                  /* end of the visible clusters (no trailing spaces) */
    double x, width;           /* first glyph's left edge, advance width */
    bool last;
} tx_line;

typedef struct tx_params {
    double em;                 /* font size, pt */
    double measure;            /* pt */
    double indent;             /* first-line indent, pt */
    double cjk_latin;          /* Han–Latin space, pt */
    text_align align;
} tx_params;

/* What justification may widen in a slot (tx_cluster.stretch). */
enum { STRETCH_NONE = 0, STRETCH_CJK = 1, STRETCH_SPACE = 2 };

/* Costs of a break in a slot (tx_cluster.penalty), set by tx_prepare on
 * the scale of tx_break's line costs (a loose line 3e4, a lone last
 * character 2e4, an overfull line 1e10). */
#define COST_LONG_WORD 2500    /* a break inside a URL or a very long word */
#define COST_EMERGENCY 1e6     /* a break inside an ordinary word */
#define COST_BEFORE_PAREN 5000 /* v2.0|(beta): inside a word, before a bracket */
#define COST_FORBIDDEN 1e9     /* a kinsoku break */
#define COST_RANGE 1.8e4       /* a break inside 1—9月, 2019—2020年, 3～5 (GB/T 15835) */
#define COST_NUMBER 1e4        /* a break between a number and the unit after it: both
                                  avoided by any re-break within the spacing limits, but
                                  not at the price of a lone last character or a hole */

/* Fills brk/stretch/pair/glue/penalty of every slot and the space widths. (text_opportunities.c) */
void tx_prepare(tx_cluster *c, int n, const tx_params *p);
/* Width of the whole paragraph on one line (after tx_prepare). */
double tx_natural_width(const tx_cluster *c, int n);
/* Chooses the breaks and positions every cluster.  Returns the number of
 * lines written to *lines (g_free it), 0 for an empty paragraph. */
int tx_break(tx_cluster *c, int n, const tx_params *p, tx_line **lines);

/* ---- inspection for tests (text.c) ---- */

typedef struct text_cluster_info {
    int start, end;            /* bytes in text_block_text() */
    int line;
    double x;                  /* advance-box left edge from the block's left */
    double advance;            /* final advance, including spacing after it */
    double natural;            /* the font's advance */
    double compressed;         /* amount removed by punctuation compression */
    double glue;               /* Han–Latin space after it (0 at a line end) */
    int side;                  /* TX_SIDE_* of its blank */
} text_cluster_info;

int text_block_cluster_count(const text_block *tb);
bool text_block_cluster(const text_block *tb, int i, text_cluster_info *out);
double text_block_measure(const text_block *tb);
double text_block_em(const text_block *tb);

/* ---- the block (text.c builds it, text_draw.c draws it) ---- */

typedef struct tx_glyph {
    PangoGlyphInfo info;     /* geometry.width is the final advance */
    int cluster_byte;        /* byte offset of its Pango cluster in the text */
    int cluster_end;         /* end of that cluster */
    int run;                 /* index into tb->items */
    int seq;                 /* logical order inside the run */
    double x;                /* left edge of its advance, from the block's left */
} tx_glyph;

struct text_block {
    char *text;
    int text_len;
    text_style style;
    char *family;
    double measure;
    double pitch;
    double baseline;         /* from the top of a line's pitch */
    PangoItem **items;       /* one per shaped run (owns a font reference) */
    int nitems;
    tx_glyph *glyphs;
    int nglyphs;
    tx_cluster *clusters;
    int nclusters;
    tx_line *lines;
    int nlines;
    int unknown;
    /* rich text (text_block_new_rich) */
    char **links;            /* URIs */
    int nlinks;
    int *link_at;            /* per byte of text: link index, -1 none; NULL: no links */
    int *bold;               /* byte ranges [bold[2i], bold[2i+1]) */
    int nbold;
    int *marks;              /* byte offsets of the note marks */
    int nmarks;
    double mark_w;           /* pt */
};

/* The link byte b of the text belongs to, -1 for none. */
static inline int tx_link_of(const text_block *tb, int byte)
{
    return tb->link_at ? tb->link_at[byte] : -1;
}

#endif
