/*
 * pdf_artifacts.c — Private elements turned into artifacts (pdf_artifacts.h).
 *
 * Takes cairo's PDF (read through pdf_edit.h), the Private elements the
 * structure walk meets and the parts of split elements it merges; gives
 * the edits of the update: each page holding Private content gets a new
 * content stream in which that content is an /Artifact, and each page
 * holding either a parent-tree array without the Private elements and with
 * a merged part's marked content given to the element it was merged into.  Guarantees: every
 * Private marked-content sequence of those pages is rewritten (none is
 * left for a reader to take for structure), and the output depends only
 * on the input bytes (zlib at a fixed level).
 */
#define _GNU_SOURCE    /* memmem */
#include "out/pdf_artifacts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define PRIVATE_BDC "/Private << /MCID "
#define ARTIFACT_BDC "/Artifact << /Type /Pagination >> BDC"

bool artifacts_init(artifacts *a, const pdf_file *f)
{
    memset(a, 0, sizeof *a);
    a->nobjs = f->nobjs;
    a->marked = calloc(f->nobjs + 1, 1);
    a->into = calloc(f->nobjs + 1, sizeof *a->into);
    return a->marked && a->into;
}

void artifacts_free(artifacts *a)
{
    free(a->marked);
    free(a->into);
    free(a->pages);
    memset(a, 0, sizeof *a);
}

bool artifact_is(const pdf_file *f, int obj)
{
    const char *d, *dend, *v, *vend;
    return pdf_object_dict(f, obj, &d, &dend) && pdf_dict_get(d, dend, "/S", &v, &vend) &&
           vend - v == 8 && memcmp(v, "/Private", 8) == 0;
}

static void add_page(artifacts *a, int page, bool content)
{
    if (page <= 0) {
        a->bad = true;
        return;
    }
    if (a->npages == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        art_page *p = realloc(a->pages, cap * sizeof *p);
        if (!p) {
            a->oom = true;
            return;
        }
        a->pages = p;
        a->cap = cap;
    }
    a->pages[a->npages++] = (art_page){page, content};
}

/* The /Pg of an MCR dictionary at [p, q). */
static void add_mcr_page(artifacts *a, const char *p, const char *q, bool content)
{
    const char *v, *vend;
    if (q - p >= 2 && p[0] == '<' && p[1] == '<' && pdf_dict_get(p, q, "/Pg", &v, &vend))
        add_page(a, pdf_ref_at(v, vend), content);
}

/* The pages of element obj's content: its /Pg (for plain MCIDs), each
 * MCR's.  False when obj is not an element of the file. */
static bool add_pages_of(artifacts *a, const pdf_file *f, int obj, bool content)
{
    const char *d, *dend, *v, *vend;
    if (obj <= 0 || (size_t)obj >= a->nobjs || !pdf_object_dict(f, obj, &d, &dend)) {
        a->bad = true;
        return false;
    }
    if (pdf_dict_get(d, dend, "/Pg", &v, &vend))
        add_page(a, pdf_ref_at(v, vend), content);
    if (!pdf_dict_get(d, dend, "/K", &v, &vend))
        return true;
    if (*v != '[') {
        add_mcr_page(a, v, vend, content);
        return true;
    }
    for (const char *p = pdf_skip_ws(v + 1, vend); p < vend && *p != ']';) {
        const char *q = pdf_value_end(p, vend);
        if (!q)
            break;
        add_mcr_page(a, p, q, content);
        p = pdf_skip_ws(q, vend);
    }
    return true;
}

void artifact_add(artifacts *a, const pdf_file *f, int obj)
{
    if (add_pages_of(a, f, obj, true))
        a->marked[obj] = 1;
}

void artifact_merged(artifacts *a, const pdf_file *f, int obj, int into)
{
    if (add_pages_of(a, f, obj, false))
        a->into[obj] = into;
}

void artifacts_drop_kids(artifacts *a, const pdf_file *f, edits *ed, int obj, const char *v,
                         const char *vend)
{
    pdf_bytes k = {0};
    pdf_append_str(&k, "[");
    const char *p = *v == '[' ? v + 1 : v, *end = *v == '[' ? vend - 1 : vend;
    while ((p = pdf_skip_ws(p, end)) < end) {
        const char *q = pdf_value_end(p, end);
        if (!q) {
            a->bad = true;
            break;
        }
        int r = *(q - 1) == 'R' ? pdf_ref_at(p, q) : -1;
        if (r > 0 && artifact_is(f, r)) {
            artifact_add(a, f, r);
        } else {
            pdf_append_str(&k, " ");
            pdf_bytes_append(&k, p, (size_t)(q - p));
        }
        p = q;
    }
    pdf_append_str(&k, " ]");
    if (k.oom)
        ed->oom = true;
    else
        pdf_edit_set(ed, obj, "/K", (const char *)k.data);
    pdf_bytes_free(&k);
}

/* ---- content streams ---- */

static bool inflate_all(const unsigned char *in, size_t len, pdf_bytes *out)
{
    z_stream z = {0};
    if (inflateInit(&z) != Z_OK)
        return false;
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)len;
    unsigned char buf[16384];
    int st;
    do {
        z.next_out = buf;
        z.avail_out = sizeof buf;
        st = inflate(&z, Z_NO_FLUSH);
        if (st != Z_OK && st != Z_STREAM_END)
            break;
        pdf_bytes_append(out, buf, sizeof buf - z.avail_out);
    } while (st != Z_STREAM_END && !out->oom);
    inflateEnd(&z);
    return st == Z_STREAM_END && !out->oom;
}

/* The content with every Private sequence opened as an artifact; the
 * number rewritten in *n. */
static void rewrite_bdc(const pdf_bytes *in, pdf_bytes *out, size_t *n)
{
    const char *p = (const char *)in->data, *end = p + in->len;
    size_t plen = strlen(PRIVATE_BDC);
    *n = 0;
    for (;;) {
        const char *m = memmem(p, (size_t)(end - p), PRIVATE_BDC, plen);
        const char *bdc = m ? memmem(m, (size_t)(end - m), ">> BDC", 6) : NULL;
        if (!bdc || bdc - m > 40) {
            pdf_bytes_append(out, p, (size_t)(end - p));
            return;
        }
        pdf_bytes_append(out, p, (size_t)(m - p));
        pdf_append_str(out, ARTIFACT_BDC);
        p = bdc + 6;
        (*n)++;
    }
}

/* Page object page's content stream, object *obj, rewritten into whole.
 * False with err set; *oom when memory ran out. */
static bool rewrite_content(const pdf_file *f, int page, pdf_bytes *whole, int *obj, bool *oom,
                            char *err, size_t errsz)
{
    const char *d, *dend, *v, *vend;
    const unsigned char *data;
    size_t len, n = 0;
    if (!pdf_object_dict(f, page, &d, &dend) || !pdf_dict_get(d, dend, "/Contents", &v, &vend) ||
        (*obj = pdf_ref_at(v, vend)) <= 0 || !pdf_object_stream(f, *obj, &d, &dend, &data, &len) ||
        !pdf_dict_get(d, dend, "/Filter", &v, &vend) || vend - v != 12 ||
        memcmp(v, "/FlateDecode", 12) != 0) {
        snprintf(err, errsz, "a page's content is not one Flate stream (page %d)", page);
        return false;
    }
    pdf_bytes plain = {0}, edited = {0};
    unsigned char *z = NULL;
    uLong zlen = 0;
    bool inflated = inflate_all(data, len, &plain);
    if (inflated) {
        rewrite_bdc(&plain, &edited, &n);
        zlen = compressBound((uLong)edited.len);
        z = edited.oom ? NULL : malloc(zlen);
    }
    *oom = plain.oom || edited.oom || (inflated && !z);
    bool ok = false;
    if (*oom)
        snprintf(err, errsz, "out of memory");
    else if (!inflated || compress2(z, &zlen, edited.data, (uLong)edited.len,
                                    Z_BEST_SPEED) != Z_OK)
        snprintf(err, errsz, "cannot recode a page's content");
    else if (n == 0)
        snprintf(err, errsz, "an artifact's content is not on its page");
    else
        ok = true;
    if (ok) {
        pdf_append_fmt(whole, "<< /Length %lu /Filter /FlateDecode >>\nstream\n",
                       (unsigned long)zlen);
        pdf_bytes_append(whole, z, zlen);
        pdf_append_str(whole, "\nendstream");
        if (whole->oom) {
            *oom = true;
            snprintf(err, errsz, "out of memory");
            ok = false;
        }
    }
    free(z);
    pdf_bytes_free(&plain);
    pdf_bytes_free(&edited);
    return ok;
}

/* ---- the parent tree ---- */

/* The parent-tree array (an object) of the page with StructParents key. */
static int parent_array(const pdf_file *f, int struct_root, long key)
{
    const char *d, *dend, *v, *vend;
    if (!pdf_object_dict(f, struct_root, &d, &dend) ||
        !pdf_dict_get(d, dend, "/ParentTree", &v, &vend) ||
        !pdf_object_dict(f, pdf_ref_at(v, vend), &d, &dend) ||
        !pdf_dict_get(d, dend, "/Nums", &v, &vend) || *v != '[')
        return -1;
    for (const char *p = pdf_skip_ws(v + 1, vend); p < vend && *p != ']';) {
        const char *q = pdf_value_end(p, vend);
        const char *r = q ? pdf_value_end(q, vend) : NULL;
        if (!r)
            return -1;
        if (strtol(p, NULL, 10) == key)
            return pdf_ref_at(q, r);
        p = pdf_skip_ws(r, vend);
    }
    return -1;
}

/* The parent-tree array of page with null for each Private element. */
static bool rewrite_parents(const artifacts *a, const pdf_file *f, int struct_root, int page,
                            pdf_bytes *whole, int *obj)
{
    const char *d, *dend, *v, *vend;
    if (!pdf_object_dict(f, page, &d, &dend) ||
        !pdf_dict_get(d, dend, "/StructParents", &v, &vend) ||
        (*obj = parent_array(f, struct_root, strtol(v, NULL, 10))) <= 0 ||
        !pdf_object_value(f, *obj, &v, &vend) || *v != '[')
        return false;
    pdf_append_str(whole, "[");
    for (const char *p = pdf_skip_ws(v + 1, vend); p < vend && *p != ']';) {
        const char *q = pdf_value_end(p, vend);
        if (!q)
            return false;
        int r = *(q - 1) == 'R' ? pdf_ref_at(p, q) : -1;
        pdf_append_str(whole, " ");
        if (r > 0 && (size_t)r < a->nobjs && a->marked[r])
            pdf_append_str(whole, "null");
        else if (r > 0 && (size_t)r < a->nobjs && a->into[r] > 0)
            pdf_append_fmt(whole, "%d 0 R", a->into[r]);
        else
            pdf_bytes_append(whole, p, (size_t)(q - p));
        p = pdf_skip_ws(q, vend);
    }
    pdf_append_str(whole, " ]");
    return true;
}

static int cmp_page(const void *x, const void *y)
{
    int a = ((const art_page *)x)->page, b = ((const art_page *)y)->page;
    return (a > b) - (a < b);
}

/* The page's parent-tree array, and its content stream when it holds
 * artifacts (content). */
static bool rewrite_page(const artifacts *a, const pdf_file *f, edits *ed, int struct_root,
                         int page, bool with_content, char *err, size_t errsz)
{
    pdf_bytes content = {0}, parents = {0};
    int cobj = 0, pobj = 0;
    bool oom = false;
    bool ok = !with_content || rewrite_content(f, page, &content, &cobj, &oom, err, errsz);
    if (ok && !rewrite_parents(a, f, struct_root, page, &parents, &pobj)) {
        oom = parents.oom;
        snprintf(err, errsz, "a page's parent tree is not cairo's");
        ok = false;
    }
    oom = oom || parents.oom;
    obj_edit *p = ok && !oom ? pdf_edit_for(ed, pobj) : NULL;
    obj_edit *c = p && with_content ? pdf_edit_for(ed, cobj) : NULL;
    if (p && (!with_content || c)) {
        p = pdf_edit_for(ed, pobj);   /* again: the edits may have moved */
        pdf_bytes_free(&p->whole);
        p->whole = parents;
        if (c) {
            pdf_bytes_free(&c->whole);
            c->whole = content;
        }
        return true;
    }
    if (oom || ed->oom) {
        ed->oom = true;
        snprintf(err, errsz, "out of memory");
    } else if (ok) {
        snprintf(err, errsz, "an artifact's page is not in the file");
    }
    pdf_bytes_free(&content);
    pdf_bytes_free(&parents);
    return false;
}

bool artifacts_finish(artifacts *a, const pdf_file *f, edits *ed, int struct_root, char *err,
                      size_t errsz)
{
    if (a->oom) {
        ed->oom = true;
        snprintf(err, errsz, "out of memory");
        return false;
    }
    if (a->bad) {
        snprintf(err, errsz, "an artifact element is not cairo's");
        return false;
    }
    qsort(a->pages, a->npages, sizeof *a->pages, cmp_page);
    for (size_t i = 0, j; i < a->npages; i = j) {
        bool content = false;
        for (j = i; j < a->npages && a->pages[j].page == a->pages[i].page; j++)
            content = content || a->pages[j].content;
        if (!rewrite_page(a, f, ed, struct_root, a->pages[i].page, content, err, errsz))
            return false;
    }
    return true;
}
