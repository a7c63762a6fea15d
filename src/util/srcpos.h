/*
 * srcpos.h — a position in the input as the user sees it.
 *
 * Line and column are 1-based; columns count characters (UTF-8 sequences,
 * a tab is one) from the first character after any BOM.  {0, 0} means
 * "no position" and prints as none.
 */
#ifndef BRIEF_SRCPOS_H
#define BRIEF_SRCPOS_H

typedef struct src_pos {
    int line, column;
} src_pos;

#endif /* BRIEF_SRCPOS_H */
