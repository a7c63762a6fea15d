/*
 * pdf_artifacts.h — page furniture taken out of the structure tree and
 * marked as artifacts, in the rewrite of pdf_tags.h.
 *
 * cairo 1.16 refuses an "Artifact" tag (the surface goes into an error
 * state), so painting wraps what is not content — the running header and
 * footer, the 续表 line and header row a table repeats on a continuation
 * page — in a "Private" element (paint.c, table.c).  This step turns each
 * Private element into an artifact: in the page's content stream its
 * "/Private << /MCID n >> BDC" becomes "/Artifact << /Type /Pagination >>
 * BDC" (the stream inflated, edited and deflated again with zlib's fixed
 * settings, so the bytes stay reproducible), its slot in the page's
 * parent-tree array becomes null, and it leaves its parent's /K.  Whatever
 * is not what cairo writes (a page with several content streams, a filter
 * other than Flate, a parent tree with /Kids) is refused.
 *
 * The same rewriting of parent-tree arrays serves the merging of a split
 * block (pdf_tags.c): each part of a paragraph, table or list cut by a
 * page break is painted as an element of its own, and the update makes
 * them one.
 */
#ifndef BRIEF_PDF_ARTIFACTS_H
#define BRIEF_PDF_ARTIFACTS_H

#include "out/pdf_edit.h"

typedef struct art_page {
    int page;                  /* page object */
    bool content;              /* it holds Private content (else only merged parts) */
} art_page;

typedef struct artifacts {
    unsigned char *marked;     /* by object number: 1 for a Private element */
    int *into;                 /* by object number: the element a part was merged into */
    size_t nobjs;
    art_page *pages;           /* pages to rewrite (repeats allowed) */
    size_t npages, cap;
    bool oom, bad;
} artifacts;

bool artifacts_init(artifacts *a, const pdf_file *f);
void artifacts_free(artifacts *a);
/* Is obj a Private element? */
bool artifact_is(const pdf_file *f, int obj);
/* Records the Private element obj (its pages too). */
void artifact_add(artifacts *a, const pdf_file *f, int obj);
/* Records that element obj, a later part of a split paragraph, table or
 * list, was merged into element into: its marked content's slots in the
 * parent tree are given to into. */
void artifact_merged(artifacts *a, const pdf_file *f, int obj, int into);
/* Element obj, whose /K is [v, vend), loses its Private kids (recorded). */
void artifacts_drop_kids(artifacts *a, const pdf_file *f, edits *ed, int obj, const char *v,
                         const char *vend);
/* Rewrites the content streams and parent-tree arrays of the recorded
 * pages.  False with a message in err (ed->oom when out of memory). */
bool artifacts_finish(artifacts *a, const pdf_file *f, edits *ed, int struct_root, char *err,
                      size_t errsz);

#endif
