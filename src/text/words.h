/*
 * words.h — where a label may break between lines (category, legend and
 * note texts of charts; table cells later).
 *
 * Takes a UTF-8 label; gives the byte offsets where a line may end.  The
 * candidates are the word boundaries of ICU's dictionary-based break
 * iterator for Chinese, refined so that
 *  - Latin words and numbers stay whole, with their inner connectors
 *    (AS/RS, AGV/AMR, SaaS, 3.5, 1—9, 1,234);
 *  - a number stays with the unit or measure word after it (20公斤, 1—9月,
 *    2020年); a date may break after its year (2019年|1—2月) in a
 *    narrow slot, where keeping it whole would make it overlap its
 *    neighbours;
 *  - a few bulletin terms ICU's dictionary cuts wrongly stay whole, with a
 *    boundary at each end (人均, 可支配, 零部件, 专精特新: words.c TERMS);
 *  - a bracketed term of at most WORDS_SHORT_BRACKET characters stays whole
 *    (（AS/RS）);
 *  - the clreq line-start and line-end prohibitions of the text engine
 *    hold (tx_no_line_start / tx_no_line_end, ——, ……);
 *  - no piece between two allowed breaks holds a single character, so no
 *    line of a label can be one character alone: a lone character joins the
 *    previous word (电器和, 器材类, 机器人) or, at the start of the label or
 *    after a stop, the next one (六轴, 鞋帽、).
 * A '\n' written in the label ends a line: each line is broken on its own
 * and the start of the next one is reported as a break.  A word longer
 * than the room is the caller's last resort (a break inside it), as before.
 *
 * ICU's data and the break iterator are opened once per process, on first
 * use, and kept (they are shared, read-only, by every engine); calls are
 * serialised by a lock.
 */
#ifndef BRIEF_WORDS_H
#define BRIEF_WORDS_H

#include <stdbool.h>
#include <pango/pango.h>

/* Bracketed terms of at most this many characters are never broken. */
#define WORDS_SHORT_BRACKET 6

/* Writes the allowed break offsets of utf8 (bytes, ascending, each strictly
 * between 0 and strlen(utf8), each the start of the next line) into pos,
 * at most max of them, and returns how many there are (which may exceed
 * max, like snprintf).  Returns -1 when memory runs out or ICU cannot be
 * opened (the caller reports it; nothing was written).  Invalid UTF-8 and
 * texts of more than WORDS_MAX_BYTES bytes give no breaks (0). */
#define WORDS_MAX_BYTES 65536
int words_label_breaks(const char *utf8, int *pos, int max);

/* For Pango layouts of the label: adds to attrs an allow-breaks=FALSE
 * attribute over every piece between two allowed breaks, so that a layout
 * wrapped with PANGO_WRAP_WORD breaks only there (leave the attributes out
 * of the last-resort PANGO_WRAP_WORD_CHAR pass).  offset is added to every
 * index (the label's position in the layout's text).  Returns false, with
 * attrs unchanged, when words_label_breaks fails. */
bool words_label_attrs(const char *utf8, int offset, PangoAttrList *attrs);

/* Milliseconds the first call spent opening ICU's data and iterator (0
 * before the first call): for the benchmark. */
double words_icu_open_ms(void);

#endif
