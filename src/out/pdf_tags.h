/*
 * pdf_tags.h — what cairo 1.16's tagged PDF lacks, added after it finished.
 *
 * Takes the complete PDF cairo wrote (structure elements from
 * cairo_tag_begin, classic xref table); writes it again with a few
 * objects rewritten:
 *   - the catalog gets /MarkInfo << /Marked true >> (without it readers,
 *     pdfinfo included, treat the file as untagged) and /Lang;
 *   - a /Document element is put between the structure tree root and
 *     cairo's top-level elements (painting opens no Document tag: the
 *     running header and footer are Private elements beside the body's,
 *     and become artifacts);
 *   - every /Figure element, in pre-order (= body order), gets its /Alt;
 *   - the parts of a block cut by page breaks (top-level elements sharing
 *     an even key) become one element;
 *   - "Private" elements (page furniture) become artifacts
 *     (pdf_artifacts.h).
 * Every other object is copied byte for byte, in its place; the replaced
 * ones are not kept (an incremental update would keep each page's old
 * content stream).  The result is a pure function of cairo's bytes and the
 * inputs, so the output stays byte-stable under SOURCE_DATE_EPOCH.
 */
#ifndef BRIEF_PDF_TAGS_H
#define BRIEF_PDF_TAGS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct pdf_bytes {
    unsigned char *data;
    size_t len, cap;
    bool oom;              /* an append failed */
} pdf_bytes;

/* Appends len bytes (sets oom on failure). */
void pdf_bytes_append(pdf_bytes *b, const void *data, size_t len);
void pdf_bytes_free(pdf_bytes *b);

/* Replaces b with the completed file.  alts[0..nalts) are UTF-8, one per /Figure in
 * body order.  order[0..norder) gives for each of cairo's top-level
 * elements (in the order they were opened) its place in the body: the
 * Document element lists them sorted by it (stable), so floats go back
 * between the paragraphs they were written between.  False with a message in err (the file is then as it was,
 * except that b->oom may be set) when the file is not what cairo writes,
 * the figure count differs from nalts, or memory runs out (b->oom). */
bool pdf_tags_finish(pdf_bytes *b, const char *lang, const char *const *alts, size_t nalts,
                     const size_t *order, size_t norder, char *err, size_t errsz);

#endif
