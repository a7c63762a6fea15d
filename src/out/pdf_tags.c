/*
 * pdf_tags.c — the rewrite that completes cairo 1.16's tagged
 * PDF (see pdf_tags.h): /MarkInfo, /Lang, a /Document element, /Alt,
 * artifacts (pdf_artifacts.c).  The file is read and objects rewritten
 * through pdf_edit.h, which refuses anything cairo does not write.
 */
#include "out/pdf_tags.h"

#include "out/pdf_artifacts.h"
#include "out/pdf_edit.h"

#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A PDF text string for UTF-8 s: <FEFF…> in UTF-16BE. */
static char *text_string(const char *s)
{
    glong n = 0;
    gunichar2 *u = g_utf8_to_utf16(s, -1, NULL, &n, NULL);
    if (!u)
        return NULL;
    char *out = malloc((size_t)n * 4 + 8);
    if (out) {
        char *p = out;
        p += sprintf(p, "<FEFF");
        for (glong i = 0; i < n; i++)
            p += sprintf(p, "%04X", (unsigned)u[i]);
        strcpy(p, ">");
    }
    g_free(u);
    return out;
}

/* ---- the structure tree ---- */

typedef struct walk {
    const pdf_file *f;
    edits *ed;
    artifacts *art;        /* Private elements met (pdf_artifacts.h) */
    const char *const *alts;
    size_t nalts, figures;
    int depth;
    bool bad;
} walk;

static bool push_int(int **list, size_t *n, size_t *cap, int v)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        int *p = realloc(*list, c * sizeof *p);
        if (!p)
            return false;
        *list = p;
        *cap = c;
    }
    (*list)[(*n)++] = v;
    return true;
}

static void visit(walk *w, int obj)
{
    const char *d, *dend, *v, *vend;
    if (w->depth > 64 || !pdf_object_dict(w->f, obj, &d, &dend)) {
        w->bad = true;
        return;
    }
    if (pdf_dict_get(d, dend, "/S", &v, &vend) && vend - v == 7 && memcmp(v, "/Figure", 7) == 0) {
        if (w->figures < w->nalts) {
            char *alt = text_string(w->alts[w->figures]);
            if (!alt)
                w->ed->oom = true;
            else
                pdf_edit_set(w->ed, obj, "/Alt", alt);
            free(alt);
        }
        w->figures++;
    }
    if (!pdf_dict_get(d, dend, "/K", &v, &vend))
        return;
    size_t n;
    int *kids = pdf_kids_of(v, vend, &n);
    if (!kids) {
        w->ed->oom = true;
        return;
    }
    bool furniture = false;
    for (size_t i = 0; i < n && !furniture; i++)
        furniture = artifact_is(w->f, kids[i]);
    if (furniture)
        artifacts_drop_kids(w->art, w->f, w->ed, obj, v, vend);
    w->depth++;
    for (size_t i = 0; i < n && !w->bad; i++)
        if (!furniture || !artifact_is(w->f, kids[i]))
            visit(w, kids[i]);
    w->depth--;
    free(kids);
}

typedef struct kid_order {
    int obj;
    size_t key, seq;
} kid_order;

static int cmp_kid(const void *a, const void *b)
{
    const kid_order *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Appends the kids of part obj of a split element to k: its plain MCIDs
 * as MCR dictionaries (the part's page goes with them), its elements (not
 * Private ones, which become artifacts) to visit; for a later part, its
 * elements get parent ref and its content's slots in the parent tree go to
 * first. */
static void merge_kids(walk *w, int obj, int first, const char *ref, pdf_bytes *k, int **visit_list,
                       size_t *nvisit, size_t *cap)
{
    const char *d, *dend, *v, *vend, *pg = NULL, *pgend = NULL;
    if (!pdf_object_dict(w->f, obj, &d, &dend)) {
        w->bad = true;
        return;
    }
    if (obj != first)
        artifact_merged(w->art, w->f, obj, first);
    pdf_dict_get(d, dend, "/Pg", &pg, &pgend);
    if (!pdf_dict_get(d, dend, "/K", &v, &vend))
        return;
    const char *p = *v == '[' ? v + 1 : v, *end = *v == '[' ? vend - 1 : vend;
    while ((p = pdf_skip_ws(p, end)) < end) {
        const char *q = pdf_value_end(p, end);
        if (!q) {
            w->bad = true;
            return;
        }
        int r = *(q - 1) == 'R' ? pdf_ref_at(p, q) : -1;
        if (r > 0 && artifact_is(w->f, r)) {
            artifact_add(w->art, w->f, r);
        } else if (*p >= '0' && *p <= '9' && r <= 0) {
            if (!pg) {
                w->bad = true;
                return;
            }
            pdf_append_str(k, " << /Type /MCR /Pg ");
            pdf_bytes_append(k, pg, (size_t)(pgend - pg));
            pdf_append_str(k, " /MCID ");
            pdf_bytes_append(k, p, (size_t)(q - p));
            pdf_append_str(k, " >>");
        } else {
            pdf_append_str(k, " ");
            pdf_bytes_append(k, p, (size_t)(q - p));
            if (r > 0) {
                if (obj != first)
                    pdf_edit_set(w->ed, r, "/P", ref);
                if (!push_int(visit_list, nvisit, cap, r))
                    w->ed->oom = true;
            }
        }
        p = q;
    }
}

/* The parts ko[0..n) of one block (a paragraph, table or list cut by page
 * breaks, painted as one element per page) made one element: the first,
 * holding every part's kids in order. */
static void merge_parts(walk *w, const kid_order *ko, size_t n)
{
    char ref[32];
    snprintf(ref, sizeof ref, "%d 0 R", ko[0].obj);
    pdf_bytes k = {0};
    int *list = NULL;
    size_t nlist = 0, cap = 0;
    pdf_append_str(&k, "[");
    for (size_t i = 0; i < n && !w->bad; i++)
        merge_kids(w, ko[i].obj, ko[0].obj, ref, &k, &list, &nlist, &cap);
    pdf_append_str(&k, " ]");
    if (k.oom)
        w->ed->oom = true;
    else
        pdf_edit_set(w->ed, ko[0].obj, "/K", (const char *)k.data);
    w->depth++;
    for (size_t i = 0; i < nlist && !w->bad; i++)
        visit(w, list[i]);
    w->depth--;
    pdf_bytes_free(&k);
    free(list);
}

/* Elements that are parts of one block share its key, an even one (notes,
 * 2 i + 1, are separate elements; Private ones, SIZE_MAX, are artifacts). */
static size_t parts_of(const kid_order *ko, size_t n)
{
    size_t j = 1;
    while (j < n && ko[0].key % 2 == 0 && ko[j].key == ko[0].key)
        j++;
    return j;
}

static bool add_document(const pdf_file *f, edits *ed, walk *w, int struct_root, int doc_obj,
                         const size_t *order, size_t norder, pdf_bytes *doc_dict, char *err,
                         size_t errsz)
{
    const char *d, *dend, *v, *vend;
    if (!pdf_object_dict(f, struct_root, &d, &dend) || !pdf_dict_get(d, dend, "/K", &v, &vend)) {
        snprintf(err, errsz, "the structure tree is empty");
        return false;
    }
    size_t n;
    int *kids = pdf_kids_of(v, vend, &n);
    if (!kids) {
        ed->oom = true;
        return false;
    }
    kid_order *ko = calloc(n + 1, sizeof *ko);
    if (!ko || n != norder) {
        if (ko)
            snprintf(err, errsz, "%zu top-level elements, %zu recorded", n, norder);
        else
            ed->oom = true;
        free(ko);
        free(kids);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        ko[i] = (kid_order){kids[i], order[i], i};
    qsort(ko, n, sizeof *ko, cmp_kid);
    char ref[32];
    snprintf(ref, sizeof ref, "%d 0 R", doc_obj);
    pdf_append_fmt(doc_dict, "%d 0 obj\n<< /Type /StructElem\n   /S /Document\n   /P %d 0 R\n   /K [",
               doc_obj, struct_root);
    pdf_edit_set(ed, struct_root, "/K", ref);
    for (size_t i = 0, m; i < n && !w->bad; i += m) {
        m = parts_of(ko + i, n - i);
        if (ko[i].obj <= 0) {
            w->bad = true;
        } else if (artifact_is(f, ko[i].obj)) {
            artifact_add(w->art, f, ko[i].obj);
        } else {
            pdf_append_fmt(doc_dict, " %d 0 R", ko[i].obj);
            pdf_edit_set(ed, ko[i].obj, "/P", ref);
            if (m > 1)
                merge_parts(w, ko + i, m);
            else
                visit(w, ko[i].obj);
        }
    }
    pdf_append_str(doc_dict, " ]\n>>\nendobj\n");
    free(ko);
    free(kids);
    return true;
}

static int cmp_edit(const void *a, const void *b)
{
    const obj_edit *x = a, *y = b;
    return (x->obj > y->obj) - (x->obj < y->obj);
}

/* An object of the file and where it starts. */
typedef struct placed_obj {
    size_t offset;
    int obj;
} placed_obj;

static int cmp_offset(const void *a, const void *b)
{
    size_t x = ((const placed_obj *)a)->offset, y = ((const placed_obj *)b)->offset;
    return (x > y) - (x < y);
}

/* Copies the objects of the file in their order, each edited one as the
 * edit has it, then the Document object, a new xref table and trailer.
 * Each object spans from its offset to the next one's (the last to the
 * xref table), so stream data is copied without being parsed. */
static bool write_objects(pdf_bytes *out, const pdf_file *f, const edits *ed, size_t *at)
{
    placed_obj *objs = malloc((f->nobjs + 1) * sizeof *objs);
    if (!objs) {
        out->oom = true;
        return false;
    }
    size_t m = 0;
    for (size_t n = 1; n < f->nobjs; n++)
        if (f->offsets[n])
            objs[m++] = (placed_obj){f->offsets[n], (int)n};
    qsort(objs, m, sizeof *objs, cmp_offset);
    bool ok = m > 0 && objs[0].offset < f->len;
    if (ok)
        pdf_bytes_append(out, f->s, objs[0].offset);   /* %PDF-1.x and its comment */
    for (size_t k = 0; k < m && ok; k++) {
        int n = objs[k].obj;
        size_t start = objs[k].offset, end = k + 1 < m ? objs[k + 1].offset : f->xref_at;
        at[n] = out->len;
        if (end < start || end > f->len)
            ok = false;
        else if (ed->slot[n])
            ok = pdf_write_object(out, f, &ed->e[ed->slot[n] - 1]);
        else
            pdf_bytes_append(out, f->s + start, end - start);
    }
    free(objs);
    return ok;
}

/* Writes the file again with the edits in place (not as an incremental
 * update: the replaced objects, page contents among them, are not kept). */
static bool write_file(pdf_bytes *b, const pdf_file *f, edits *ed, const pdf_bytes *doc_dict,
                       int doc_obj)
{
    pdf_bytes out = {0};
    qsort(ed->e, ed->n, sizeof *ed->e, cmp_edit);
    for (size_t i = 0; i < ed->n; i++)
        ed->slot[ed->e[i].obj] = i + 1;
    size_t *at = calloc((size_t)doc_obj + 1, sizeof *at);
    bool ok = at && write_objects(&out, f, ed, at);
    if (ok) {
        at[doc_obj] = out.len;
        pdf_bytes_append(&out, doc_dict->data, doc_dict->len);
        size_t xref = out.len;
        pdf_append_fmt(&out, "xref\n0 %d\n0000000000 65535 f \n", doc_obj + 1);
        for (int n = 1; n <= doc_obj; n++)
            pdf_append_fmt(&out, at[n] ? "%010zu 00000 n \n" : "%010zu 00000 f \n", at[n]);
        pdf_append_fmt(&out, "trailer\n<< /Size %d\n   /Root %d 0 R\n", doc_obj + 1, f->root);
        if (f->info > 0)
            pdf_append_fmt(&out, "   /Info %d 0 R\n", f->info);
        if (f->id) {
            pdf_append_str(&out, "   /ID ");
            pdf_bytes_append(&out, f->id, f->id_len);
            pdf_append_str(&out, "\n");
        }
        pdf_append_fmt(&out, ">>\nstartxref\n%zu\n%%%%EOF\n", xref);
    }
    free(at);
    if (!ok || out.oom) {
        b->oom = b->oom || out.oom || !at;   /* else: an object is not cairo's */
        pdf_bytes_free(&out);
        return false;
    }
    pdf_bytes_free(b);
    *b = out;
    return true;
}

static char *name_string(const char *lang)
{
    /* a PDF literal string; the validator allows only letters, digits, '-' */
    size_t n = strlen(lang);
    char *s = malloc(n * 4 + 3);
    if (!s)
        return NULL;
    char *p = s;
    *p++ = '(';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)lang[i];
        if (c == '(' || c == ')' || c == '\\' || c < 0x20 || c > 0x7e)
            p += sprintf(p, "\\%03o", c);
        else
            *p++ = (char)c;
    }
    *p++ = ')';
    *p = 0;
    return s;
}

bool pdf_tags_finish(pdf_bytes *b, const char *lang, const char *const *alts, size_t nalts,
                     const size_t *order, size_t norder, char *err, size_t errsz)
{
    pdf_file f = {.s = (const char *)b->data, .len = b->len};
    edits ed = {0};
    artifacts art = {0};
    pdf_bytes doc_dict = {0};
    bool ok = false;
    const char *d, *dend, *v, *vend;
    if (!b->data || b->len < 64 || !pdf_read_xref(&f, err, errsz))
        goto out;
    if (!pdf_object_dict(&f, f.root, &d, &dend) || !pdf_dict_get(d, dend, "/StructTreeRoot", &v, &vend)) {
        snprintf(err, errsz, "the catalog has no structure tree");
        goto out;
    }
    int struct_root = pdf_ref_at(v, vend);
    int doc_obj = (int)f.nobjs;
    ed.nobjs = f.nobjs;
    if (!(ed.slot = calloc(f.nobjs, sizeof *ed.slot))) {
        b->oom = true;
        snprintf(err, errsz, "out of memory");
        goto out;
    }
    if (!artifacts_init(&art, &f)) {
        b->oom = true;
        snprintf(err, errsz, "out of memory");
        goto out;
    }
    walk w = {.f = &f, .ed = &ed, .art = &art, .alts = alts, .nalts = nalts};
    if (!add_document(&f, &ed, &w, struct_root, doc_obj, order, norder, &doc_dict, err, errsz))
        goto out;
    if (!w.bad && !ed.bad && !artifacts_finish(&art, &f, &ed, struct_root, err, errsz)) {
        if (ed.oom)
            b->oom = true;
        goto out;
    }
    if (w.bad || ed.bad) {
        snprintf(err, errsz, "unexpected structure element");
        goto out;
    }
    if (w.figures != nalts) {
        snprintf(err, errsz, "%zu figures tagged, %zu alternative texts", w.figures, nalts);
        goto out;
    }
    pdf_edit_set(&ed, f.root, "/MarkInfo", "<< /Marked true >>");
    if (lang && *lang) {
        char *l = name_string(lang);
        if (!l)
            ed.oom = true;
        else
            pdf_edit_set(&ed, f.root, "/Lang", l);
        free(l);
    }
    if (ed.oom || doc_dict.oom) {
        b->oom = true;
        snprintf(err, errsz, "out of memory");
        goto out;
    }
    ok = write_file(b, &f, &ed, &doc_dict, doc_obj);
    if (!ok)
        snprintf(err, errsz, b->oom ? "out of memory" : "cannot rewrite an object");
out:
    for (size_t i = 0; i < ed.n; i++) {
        pdf_bytes_free(&ed.e[i].set);
        pdf_bytes_free(&ed.e[i].whole);
    }
    artifacts_free(&art);
    free(ed.e);
    free(ed.slot);
    pdf_bytes_free(&doc_dict);
    free(f.offsets);
    return ok;
}
