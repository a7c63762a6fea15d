/*
 * pdf_edit.h — reading the PDF cairo 1.16 writes and rewriting some of its
 * objects, for the rewrite that completes its structure
 * (pdf_tags.h).  Internal to src/out.
 */
#ifndef BRIEF_PDF_EDIT_H
#define BRIEF_PDF_EDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "out/pdf_tags.h"

void pdf_append_str(pdf_bytes *b, const char *s);
void pdf_append_fmt(pdf_bytes *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The file as cairo wrote it, indexed by its xref table. */
typedef struct pdf_file {
    const char *s;
    size_t len;
    size_t *offsets;       /* by object number; 0: free */
    size_t nobjs;
    size_t xref_at;
    int root, info;        /* object numbers; info 0: none */
    const char *id;        /* the trailer's /ID value, or NULL */
    size_t id_len;
} pdf_file;

/* False with a message in err unless the file ends in a classic xref
 * table and trailer with a /Root. */
bool pdf_read_xref(pdf_file *f, char *err, size_t errsz);

/* Values: p at (or before white space before) a value; [p, end) the text
 * that holds it.  pdf_value_end is NULL when the value is malformed; "N G
 * R" counts as one value. */
const char *pdf_skip_ws(const char *p, const char *end);
const char *pdf_value_end(const char *p, const char *end);
/* The value of key ("/K") in the dictionary [d, dend), top level only. */
bool pdf_dict_get(const char *d, const char *dend, const char *key, const char **v,
                  const char **vend);
/* "N 0 R" at p: N, else -1. */
int pdf_ref_at(const char *p, const char *end);
/* The value of object n: [*v, *vend); its dictionary (false if it has
 * none); a stream's dictionary and its (still encoded) data. */
bool pdf_object_value(const pdf_file *f, int n, const char **v, const char **vend);
bool pdf_object_dict(const pdf_file *f, int n, const char **d, const char **dend);
bool pdf_object_stream(const pdf_file *f, int n, const char **d, const char **dend,
                       const unsigned char **data, size_t *len);
/* The element refs in a /K value (not the OBJR and MCR dictionaries), in a
 * malloc'd array of *n; NULL only when out of memory. */
int *pdf_kids_of(const char *v, const char *vend, size_t *n);

/* ---- the objects an update rewrites ---- */

typedef struct obj_edit {
    int obj;
    pdf_bytes set;         /* "/Key value\n" pairs that replace or add */
    pdf_bytes whole;       /* else, when not empty: the object's new value */
} obj_edit;

typedef struct edits {
    obj_edit *e;
    size_t n, cap;
    size_t *slot;          /* by object number: 1 + its edit's index, 0: none */
    size_t nobjs;          /* entries of slot (the file's object count) */
    bool oom;
    bool bad;              /* an edit of an object the file does not have */
} edits;

/* The edit of object obj (made on first use); NULL when out of memory or
 * obj is not in the file (ed->oom, ed->bad). */
obj_edit *pdf_edit_for(edits *ed, int obj);
/* Object obj gets key (replaced or added) with value. */
void pdf_edit_set(edits *ed, int obj, const char *key, const char *value);
/* Writes object x->obj as the update has it. */
bool pdf_write_object(pdf_bytes *out, const pdf_file *f, const obj_edit *x);

#endif
