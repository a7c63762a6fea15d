/*
 * pdf_tags.c — the incremental update that completes cairo 1.16's tagged
 * PDF (see pdf_tags.h): /MarkInfo, /Lang, a /Document element, /Alt.
 *
 * Reads only what cairo writes: a classic xref table, objects without
 * streams for the catalog and the structure elements, dictionaries of
 * names, numbers, references, arrays and nested dictionaries.  Anything
 * else is refused (an error, never a silently wrong file).
 */
#include "out/pdf_tags.h"

#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pdf_bytes_append(pdf_bytes *b, const void *data, size_t len)
{
    if (b->oom)
        return;
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + len + 1)
            cap *= 2;
        unsigned char *p = realloc(b->data, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = 0;
}

static void append_str(pdf_bytes *b, const char *s) { pdf_bytes_append(b, s, strlen(s)); }

static void append_fmt(pdf_bytes *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void append_fmt(pdf_bytes *b, const char *fmt, ...)
{
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0)
        pdf_bytes_append(b, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

void pdf_bytes_free(pdf_bytes *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

/* ---- reading ---- */

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

static bool is_ws(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0; }
static bool is_delim(char c) { return strchr("()<>[]{}/%", c) != NULL; }

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && is_ws(*p))
        p++;
    return p;
}

/* End of the value starting at p (after white space), NULL if malformed.
 * "N G R" counts as one value. */
static const char *value_end(const char *p, const char *end)
{
    p = skip_ws(p, end);
    if (p >= end)
        return NULL;
    if (p + 1 < end && p[0] == '<' && p[1] == '<') {
        int depth = 0;
        while (p < end) {
            if (p + 1 < end && p[0] == '<' && p[1] == '<') {
                depth++;
                p += 2;
            } else if (p + 1 < end && p[0] == '>' && p[1] == '>') {
                depth--;
                p += 2;
                if (depth == 0)
                    return p;
            } else if (*p == '(' || *p == '[' || (*p == '<')) {
                const char *q = value_end(p, end);
                if (!q)
                    return NULL;
                p = q;
            } else {
                p++;
            }
        }
        return NULL;
    }
    if (*p == '[') {
        p++;
        for (;;) {
            p = skip_ws(p, end);
            if (p >= end)
                return NULL;
            if (*p == ']')
                return p + 1;
            const char *q = value_end(p, end);
            if (!q)
                return NULL;
            p = q;
        }
    }
    if (*p == '(') {
        int depth = 0;
        for (; p < end; p++) {
            if (*p == '\\')
                p++;
            else if (*p == '(')
                depth++;
            else if (*p == ')' && --depth == 0)
                return p + 1;
        }
        return NULL;
    }
    if (*p == '<') {
        const char *q = memchr(p, '>', (size_t)(end - p));
        return q ? q + 1 : NULL;
    }
    if (*p == '/') {
        p++;
        while (p < end && !is_ws(*p) && !is_delim(*p))
            p++;
        return p;
    }
    /* a number, true/false/null, or a reference "N G R" */
    const char *q = p;
    while (q < end && !is_ws(*q) && !is_delim(*q))
        q++;
    if (q == p)
        return NULL;
    const char *r = skip_ws(q, end), *r2 = r;
    while (r2 < end && *r2 >= '0' && *r2 <= '9')
        r2++;
    if (r2 > r) {
        const char *r3 = skip_ws(r2, end);
        if (r3 < end && *r3 == 'R' && (r3 + 1 >= end || is_ws(r3[1]) || is_delim(r3[1])))
            return r3 + 1;
    }
    return q;
}

/* The value of key in the dictionary [d, dend) (which starts with "<<"),
 * top level only. */
static bool dict_get(const char *d, const char *dend, const char *key, const char **v,
                     const char **vend)
{
    const char *p = skip_ws(d, dend);
    if (p + 2 > dend || p[0] != '<' || p[1] != '<')
        return false;
    p += 2;
    size_t klen = strlen(key);
    for (;;) {
        p = skip_ws(p, dend);
        if (p >= dend || *p != '/')
            return false;
        const char *kend = value_end(p, dend);
        if (!kend)
            return false;
        const char *ve = value_end(kend, dend);
        if (!ve)
            return false;
        if ((size_t)(kend - p) == klen && memcmp(p, key, klen) == 0) {
            *v = skip_ws(kend, dend);
            *vend = ve;
            return true;
        }
        p = ve;
    }
}

/* "N 0 R" at p: N, else -1. */
static int ref_at(const char *p, const char *end)
{
    p = skip_ws(p, end);
    const char *q = value_end(p, end);
    if (!q || q <= p || *(q - 1) != 'R')
        return -1;
    long n = strtol(p, NULL, 10);
    return n > 0 && n < 100000000 ? (int)n : -1;
}

/* The dictionary of object n: [*d, *dend). */
static bool object_dict(const pdf_file *f, int n, const char **d, const char **dend)
{
    if (n <= 0 || (size_t)n >= f->nobjs || !f->offsets[n])
        return false;
    const char *end = f->s + f->len;
    const char *p = f->s + f->offsets[n];
    const char *o = strstr(p, " obj");
    if (!o || o > p + 32)
        return false;
    p = skip_ws(o + 4, end);
    const char *q = value_end(p, end);
    if (!q || p[0] != '<')
        return false;
    *d = p;
    *dend = q;
    return true;
}

static bool read_xref(pdf_file *f, char *err, size_t errsz)
{
    const char *end = f->s + f->len;
    const char *sx = NULL;
    for (const char *p = end - 9; p >= f->s && p > end - 64; p--)
        if (memcmp(p, "startxref", 9) == 0) {
            sx = p;
            break;
        }
    if (!sx) {
        snprintf(err, errsz, "no startxref");
        return false;
    }
    f->xref_at = (size_t)strtoul(sx + 9, NULL, 10);
    if (f->xref_at >= f->len || strncmp(f->s + f->xref_at, "xref", 4) != 0) {
        snprintf(err, errsz, "no classic xref table");
        return false;
    }
    const char *p = f->s + f->xref_at + 4;
    for (;;) {
        p = skip_ws(p, end);
        if (p < end && strncmp(p, "trailer", 7) == 0)
            break;
        char *q;
        unsigned long first = strtoul(p, &q, 10), count = strtoul(q, &q, 10);
        if (q == p || first + count > 10000000) {
            snprintf(err, errsz, "malformed xref table");
            return false;
        }
        if (first + count > f->nobjs) {
            size_t *o = realloc(f->offsets, (first + count) * sizeof *o);
            if (!o) {
                snprintf(err, errsz, "out of memory");
                return false;
            }
            memset(o + f->nobjs, 0, (first + count - f->nobjs) * sizeof *o);
            f->offsets = o;
            f->nobjs = first + count;
        }
        p = skip_ws(q, end);
        for (unsigned long k = 0; k < count; k++, p += 20) {
            if (p + 20 > end) {
                snprintf(err, errsz, "short xref table");
                return false;
            }
            if (p[17] == 'n')
                f->offsets[first + k] = (size_t)strtoul(p, NULL, 10);
        }
    }
    const char *t = skip_ws(p + 7, end), *tend = value_end(t, end);
    const char *v, *vend;
    if (!tend || !dict_get(t, tend, "/Root", &v, &vend) || (f->root = ref_at(v, vend)) < 0) {
        snprintf(err, errsz, "no /Root in the trailer");
        return false;
    }
    f->info = dict_get(t, tend, "/Info", &v, &vend) ? ref_at(v, vend) : 0;
    if (dict_get(t, tend, "/ID", &v, &vend)) {
        f->id = v;
        f->id_len = (size_t)(vend - v);
    }
    return true;
}

/* ---- edits ---- */

typedef struct obj_edit {
    int obj;
    pdf_bytes set;         /* "/Key value\n" pairs that replace or add */
} obj_edit;

typedef struct edits {
    obj_edit *e;
    size_t n, cap;
    size_t *slot;          /* by object number: 1 + its edit's index, 0: none */
    size_t nobjs;          /* entries of slot (the file's object count) */
    bool oom;
    bool bad;              /* an edit of an object the file does not have */
} edits;

/* Every structure element gets an edit: found by object number, not by a
 * search, so that a brief of thousands of paragraphs stays linear. */
static obj_edit *edit_for(edits *ed, int obj)
{
    if (obj <= 0 || (size_t)obj >= ed->nobjs) {
        ed->bad = true;
        return NULL;
    }
    if (ed->slot[obj])
        return &ed->e[ed->slot[obj] - 1];
    if (ed->n == ed->cap) {
        size_t cap = ed->cap ? ed->cap * 2 : 16;
        obj_edit *p = realloc(ed->e, cap * sizeof *p);
        if (!p) {
            ed->oom = true;
            return NULL;
        }
        ed->e = p;
        ed->cap = cap;
    }
    obj_edit *x = &ed->e[ed->n++];
    ed->slot[obj] = ed->n;
    memset(x, 0, sizeof *x);
    x->obj = obj;
    return x;
}

static void edit_set(edits *ed, int obj, const char *key, const char *value)
{
    obj_edit *x = edit_for(ed, obj);
    if (!x)
        return;
    append_str(&x->set, key);
    append_str(&x->set, " ");
    append_str(&x->set, value);
    append_str(&x->set, "\n");
    if (x->set.oom)
        ed->oom = true;
}

/* Does the edit replace key? */
static bool edit_has(const obj_edit *x, const char *k, size_t klen)
{
    const char *p = (const char *)x->set.data;
    if (!p)
        return false;
    for (const char *line = p; *line;) {
        const char *sp = strchr(line, ' ');
        if (sp && (size_t)(sp - line) == klen && memcmp(line, k, klen) == 0)
            return true;
        const char *nl = strchr(line, '\n');
        if (!nl)
            break;
        line = nl + 1;
    }
    return false;
}

/* Writes object x->obj: its old entries less the replaced ones, then the
 * edit's entries. */
static bool write_object(pdf_bytes *out, const pdf_file *f, const obj_edit *x)
{
    const char *d, *dend;
    if (!object_dict(f, x->obj, &d, &dend))
        return false;
    append_fmt(out, "%d 0 obj\n<<", x->obj);
    const char *p = d + 2;
    for (;;) {
        p = skip_ws(p, dend);
        if (p >= dend || *p != '/')
            break;
        const char *kend = value_end(p, dend), *ve = kend ? value_end(kend, dend) : NULL;
        if (!ve)
            return false;
        if (!edit_has(x, p, (size_t)(kend - p))) {
            append_str(out, " ");
            pdf_bytes_append(out, p, (size_t)(kend - p));
            append_str(out, " ");
            const char *v = skip_ws(kend, dend);
            pdf_bytes_append(out, v, (size_t)(ve - v));
            append_str(out, "\n  ");
        }
        p = ve;
    }
    const char *s = (const char *)x->set.data;
    while (s && *s) {
        const char *nl = strchr(s, '\n');
        append_str(out, " ");
        pdf_bytes_append(out, s, (size_t)(nl - s));
        append_str(out, "\n  ");
        s = nl + 1;
    }
    append_str(out, ">>\nendobj\n");
    return true;
}

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
    const char *const *alts;
    size_t nalts, figures;
    int depth;
    bool bad;
} walk;

/* Appends r to the growing list *kids (false when out of memory). */
static bool push_kid(int **kids, size_t *n, size_t *cap, int r)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        int *p = realloc(*kids, c * sizeof *p);
        if (!p)
            return false;
        *kids = p;
        *cap = c;
    }
    (*kids)[(*n)++] = r;
    return true;
}

/* The element refs in a /K value (not the OBJR and MCR dictionaries), in
 * a malloc'd array of *n (as many as the value holds: the page limit
 * bounds the elements, not this reader).  NULL only when out of memory. */
static int *kids_of(const char *v, const char *vend, size_t *n)
{
    size_t cap = 0;
    int *kids = NULL;
    *n = 0;
    if (!push_kid(&kids, n, &cap, 0))
        return NULL;
    *n = 0;
    v = skip_ws(v, vend);
    if (v < vend && *v != '[') {
        int r = ref_at(v, vend);
        if (r > 0)
            kids[(*n)++] = r;
        return kids;
    }
    const char *p = v + 1;
    while (p < vend) {
        p = skip_ws(p, vend);
        if (p >= vend || *p == ']')
            break;
        const char *q = value_end(p, vend);
        if (!q)
            break;
        if (*p >= '0' && *p <= '9' && *(q - 1) == 'R' && !push_kid(&kids, n, &cap, ref_at(p, q))) {
            free(kids);
            return NULL;
        }
        p = q;
    }
    return kids;
}

static void visit(walk *w, int obj)
{
    const char *d, *dend, *v, *vend;
    if (w->depth > 64 || !object_dict(w->f, obj, &d, &dend)) {
        w->bad = true;
        return;
    }
    if (dict_get(d, dend, "/S", &v, &vend) && vend - v == 7 && memcmp(v, "/Figure", 7) == 0) {
        if (w->figures < w->nalts) {
            char *alt = text_string(w->alts[w->figures]);
            if (!alt)
                w->ed->oom = true;
            else
                edit_set(w->ed, obj, "/Alt", alt);
            free(alt);
        }
        w->figures++;
    }
    if (!dict_get(d, dend, "/K", &v, &vend))
        return;
    size_t n;
    int *kids = kids_of(v, vend, &n);
    if (!kids) {
        w->ed->oom = true;
        return;
    }
    w->depth++;
    for (size_t i = 0; i < n && !w->bad; i++)
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

static bool add_document(const pdf_file *f, edits *ed, walk *w, int struct_root, int doc_obj,
                         const size_t *order, size_t norder, pdf_bytes *doc_dict, char *err,
                         size_t errsz)
{
    const char *d, *dend, *v, *vend;
    if (!object_dict(f, struct_root, &d, &dend) || !dict_get(d, dend, "/K", &v, &vend)) {
        snprintf(err, errsz, "the structure tree is empty");
        return false;
    }
    size_t n;
    int *kids = kids_of(v, vend, &n);
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
    append_fmt(doc_dict, "%d 0 obj\n<< /Type /StructElem\n   /S /Document\n   /P %d 0 R\n   /K [",
               doc_obj, struct_root);
    for (size_t i = 0; i < n; i++)
        append_fmt(doc_dict, " %d 0 R", ko[i].obj);
    append_str(doc_dict, " ]\n>>\nendobj\n");
    edit_set(ed, struct_root, "/K", ref);
    for (size_t i = 0; i < n; i++) {
        if (ko[i].obj <= 0)
            continue;
        edit_set(ed, ko[i].obj, "/P", ref);
        visit(w, ko[i].obj);
    }
    free(ko);
    free(kids);
    return true;
}

static int cmp_edit(const void *a, const void *b)
{
    const obj_edit *x = a, *y = b;
    return (x->obj > y->obj) - (x->obj < y->obj);
}

static bool write_update(pdf_bytes *b, const pdf_file *f, edits *ed, const pdf_bytes *doc_dict,
                         int doc_obj)
{
    pdf_bytes out = {0};
    size_t base = b->len;
    qsort(ed->e, ed->n, sizeof *ed->e, cmp_edit);
    size_t *at = calloc(ed->n + 1, sizeof *at);
    if (!at)
        return false;
    for (size_t i = 0; i < ed->n; i++) {
        at[i] = base + out.len;
        if (!write_object(&out, f, &ed->e[i])) {
            free(at);
            pdf_bytes_free(&out);
            return false;
        }
    }
    at[ed->n] = base + out.len;
    pdf_bytes_append(&out, doc_dict->data, doc_dict->len);
    size_t xref = base + out.len;
    append_str(&out, "xref\n");
    /* one subsection per run of consecutive object numbers; the new
     * Document object is the last number */
    size_t i = 0;
    while (i <= ed->n) {
        size_t j = i + 1;
        int first = i < ed->n ? ed->e[i].obj : doc_obj;
        while (j <= ed->n && (j < ed->n ? ed->e[j].obj : doc_obj) == first + (int)(j - i))
            j++;
        append_fmt(&out, "%d %zu\n", first, j - i);
        for (size_t k = i; k < j; k++)
            append_fmt(&out, "%010zu 00000 n \n", at[k]);
        i = j;
    }
    append_fmt(&out, "trailer\n<< /Size %d\n   /Root %d 0 R\n", doc_obj + 1, f->root);
    if (f->info > 0)
        append_fmt(&out, "   /Info %d 0 R\n", f->info);
    if (f->id) {
        append_str(&out, "   /ID ");
        pdf_bytes_append(&out, f->id, f->id_len);
        append_str(&out, "\n");
    }
    append_fmt(&out, "   /Prev %zu\n>>\nstartxref\n%zu\n%%%%EOF\n", f->xref_at, xref);
    free(at);
    bool ok = !out.oom;
    if (ok)
        pdf_bytes_append(b, out.data, out.len);
    pdf_bytes_free(&out);
    return ok && !b->oom;
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
    pdf_bytes doc_dict = {0};
    bool ok = false;
    const char *d, *dend, *v, *vend;
    if (!b->data || b->len < 64 || !read_xref(&f, err, errsz))
        goto out;
    if (!object_dict(&f, f.root, &d, &dend) || !dict_get(d, dend, "/StructTreeRoot", &v, &vend)) {
        snprintf(err, errsz, "the catalog has no structure tree");
        goto out;
    }
    int struct_root = ref_at(v, vend);
    int doc_obj = (int)f.nobjs;
    ed.nobjs = f.nobjs;
    if (!(ed.slot = calloc(f.nobjs, sizeof *ed.slot))) {
        b->oom = true;
        snprintf(err, errsz, "out of memory");
        goto out;
    }
    walk w = {.f = &f, .ed = &ed, .alts = alts, .nalts = nalts};
    if (!add_document(&f, &ed, &w, struct_root, doc_obj, order, norder, &doc_dict, err, errsz))
        goto out;
    if (w.bad || ed.bad) {
        snprintf(err, errsz, "unexpected structure element");
        goto out;
    }
    if (w.figures != nalts) {
        snprintf(err, errsz, "%zu figures tagged, %zu alternative texts", w.figures, nalts);
        goto out;
    }
    edit_set(&ed, f.root, "/MarkInfo", "<< /Marked true >>");
    if (lang && *lang) {
        char *l = name_string(lang);
        if (!l)
            ed.oom = true;
        else
            edit_set(&ed, f.root, "/Lang", l);
        free(l);
    }
    if (ed.oom || doc_dict.oom) {
        b->oom = true;
        snprintf(err, errsz, "out of memory");
        goto out;
    }
    ok = write_update(b, &f, &ed, &doc_dict, doc_obj);
    if (!ok)
        snprintf(err, errsz, b->oom ? "out of memory" : "cannot rewrite an object");
out:
    for (size_t i = 0; i < ed.n; i++)
        pdf_bytes_free(&ed.e[i].set);
    free(ed.e);
    free(ed.slot);
    pdf_bytes_free(&doc_dict);
    free(f.offsets);
    return ok;
}
