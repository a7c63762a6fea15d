/*
 * pdf_edit.c — reading the PDF cairo 1.16 writes, and the objects an
 * completion of its structure rewrites (pdf_edit.h).
 *
 * Reads only what cairo writes: a classic xref table, dictionaries of
 * names, numbers, references, arrays and nested dictionaries, streams
 * with a /Length.  Anything else is refused (an error, never a silently
 * wrong file).
 */
#define _GNU_SOURCE    /* memmem */
#include "out/pdf_edit.h"

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

void pdf_append_str(pdf_bytes *b, const char *s) { pdf_bytes_append(b, s, strlen(s)); }

void pdf_append_fmt(pdf_bytes *b, const char *fmt, ...)
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


static bool is_ws(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0; }
static bool is_delim(char c) { return strchr("()<>[]{}/%", c) != NULL; }

const char *pdf_skip_ws(const char *p, const char *end)
{
    for (;;) {
        while (p < end && is_ws(*p))
            p++;
        if (p >= end || *p != '%')
            return p;
        /* a comment (cairo writes "/Type /Page % 2") runs to the line's end */
        while (p < end && *p != '\n' && *p != '\r')
            p++;
    }
}

/* End of the value starting at p (after white space), NULL if malformed.
 * "N G R" counts as one value. */
const char *pdf_value_end(const char *p, const char *end)
{
    p = pdf_skip_ws(p, end);
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
                const char *q = pdf_value_end(p, end);
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
            p = pdf_skip_ws(p, end);
            if (p >= end)
                return NULL;
            if (*p == ']')
                return p + 1;
            const char *q = pdf_value_end(p, end);
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
    const char *r = pdf_skip_ws(q, end), *r2 = r;
    while (r2 < end && *r2 >= '0' && *r2 <= '9')
        r2++;
    if (r2 > r) {
        const char *r3 = pdf_skip_ws(r2, end);
        if (r3 < end && *r3 == 'R' && (r3 + 1 >= end || is_ws(r3[1]) || is_delim(r3[1])))
            return r3 + 1;
    }
    return q;
}

/* The value of key in the dictionary [d, dend) (which starts with "<<"),
 * top level only. */
bool pdf_dict_get(const char *d, const char *dend, const char *key, const char **v,
                     const char **vend)
{
    const char *p = pdf_skip_ws(d, dend);
    if (p + 2 > dend || p[0] != '<' || p[1] != '<')
        return false;
    p += 2;
    size_t klen = strlen(key);
    for (;;) {
        p = pdf_skip_ws(p, dend);
        if (p >= dend || *p != '/')
            return false;
        const char *kend = pdf_value_end(p, dend);
        if (!kend)
            return false;
        const char *ve = pdf_value_end(kend, dend);
        if (!ve)
            return false;
        if ((size_t)(kend - p) == klen && memcmp(p, key, klen) == 0) {
            *v = pdf_skip_ws(kend, dend);
            *vend = ve;
            return true;
        }
        p = ve;
    }
}

/* "N 0 R" at p: N, else -1. */
int pdf_ref_at(const char *p, const char *end)
{
    p = pdf_skip_ws(p, end);
    const char *q = pdf_value_end(p, end);
    if (!q || q <= p || *(q - 1) != 'R')
        return -1;
    long n = strtol(p, NULL, 10);
    return n > 0 && n < 100000000 ? (int)n : -1;
}

bool pdf_object_value(const pdf_file *f, int n, const char **v, const char **vend)
{
    if (n <= 0 || (size_t)n >= f->nobjs || !f->offsets[n])
        return false;
    const char *end = f->s + f->len;
    const char *p = f->s + f->offsets[n];
    const char *o = memmem(p, (size_t)(end - p) < 32 ? (size_t)(end - p) : 32, " obj", 4);
    if (!o)
        return false;
    p = pdf_skip_ws(o + 4, end);
    const char *q = pdf_value_end(p, end);
    if (!q)
        return false;
    *v = p;
    *vend = q;
    return true;
}

bool pdf_object_dict(const pdf_file *f, int n, const char **d, const char **dend)
{
    return pdf_object_value(f, n, d, dend) && **d == '<';
}

bool pdf_object_stream(const pdf_file *f, int n, const char **d, const char **dend,
                       const unsigned char **data, size_t *len)
{
    const char *end = f->s + f->len, *v, *vend;
    if (!pdf_object_dict(f, n, d, dend) || !pdf_dict_get(*d, *dend, "/Length", &v, &vend))
        return false;
    int r = pdf_ref_at(v, vend);
    if (r > 0 && !pdf_object_value(f, r, &v, &vend))
        return false;
    char *e;
    unsigned long l = strtoul(v, &e, 10);
    const char *p = pdf_skip_ws(*dend, end);
    if (e == v || (size_t)(end - p) < 7 || memcmp(p, "stream", 6) != 0)
        return false;
    p += 6;
    p += p[0] == '\r' && p[1] == '\n' ? 2 : p[0] == '\n' ? 1 : 0;
    if (l > (size_t)(end - p))
        return false;
    *data = (const unsigned char *)p;
    *len = l;
    return true;
}

bool pdf_read_xref(pdf_file *f, char *err, size_t errsz)
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
        p = pdf_skip_ws(p, end);
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
        p = pdf_skip_ws(q, end);
        for (unsigned long k = 0; k < count; k++, p += 20) {
            if (p + 20 > end) {
                snprintf(err, errsz, "short xref table");
                return false;
            }
            if (p[17] == 'n')
                f->offsets[first + k] = (size_t)strtoul(p, NULL, 10);
        }
    }
    const char *t = pdf_skip_ws(p + 7, end), *tend = pdf_value_end(t, end);
    const char *v, *vend;
    if (!tend || !pdf_dict_get(t, tend, "/Root", &v, &vend) || (f->root = pdf_ref_at(v, vend)) < 0) {
        snprintf(err, errsz, "no /Root in the trailer");
        return false;
    }
    f->info = pdf_dict_get(t, tend, "/Info", &v, &vend) ? pdf_ref_at(v, vend) : 0;
    if (pdf_dict_get(t, tend, "/ID", &v, &vend)) {
        f->id = v;
        f->id_len = (size_t)(vend - v);
    }
    return true;
}

/* ---- edits ---- */



/* Every structure element gets an edit: found by object number, not by a
 * search, so that a brief of thousands of paragraphs stays linear. */
obj_edit *pdf_edit_for(edits *ed, int obj)
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

void pdf_edit_set(edits *ed, int obj, const char *key, const char *value)
{
    obj_edit *x = pdf_edit_for(ed, obj);
    if (!x)
        return;
    pdf_append_str(&x->set, key);
    pdf_append_str(&x->set, " ");
    pdf_append_str(&x->set, value);
    pdf_append_str(&x->set, "\n");
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
bool pdf_write_object(pdf_bytes *out, const pdf_file *f, const obj_edit *x)
{
    if (x->whole.len > 0) {
        pdf_append_fmt(out, "%d 0 obj\n", x->obj);
        pdf_bytes_append(out, x->whole.data, x->whole.len);
        pdf_append_str(out, "\nendobj\n");
        return true;
    }
    const char *d, *dend;
    if (!pdf_object_dict(f, x->obj, &d, &dend))
        return false;
    pdf_append_fmt(out, "%d 0 obj\n<<", x->obj);
    const char *p = d + 2;
    for (;;) {
        p = pdf_skip_ws(p, dend);
        if (p >= dend || *p != '/')
            break;
        const char *kend = pdf_value_end(p, dend), *ve = kend ? pdf_value_end(kend, dend) : NULL;
        if (!ve)
            return false;
        if (!edit_has(x, p, (size_t)(kend - p))) {
            pdf_append_str(out, " ");
            pdf_bytes_append(out, p, (size_t)(kend - p));
            pdf_append_str(out, " ");
            const char *v = pdf_skip_ws(kend, dend);
            pdf_bytes_append(out, v, (size_t)(ve - v));
            pdf_append_str(out, "\n  ");
        }
        p = ve;
    }
    const char *s = (const char *)x->set.data;
    while (s && *s) {
        const char *nl = strchr(s, '\n');
        pdf_append_str(out, " ");
        pdf_bytes_append(out, s, (size_t)(nl - s));
        pdf_append_str(out, "\n  ");
        s = nl + 1;
    }
    pdf_append_str(out, ">>\nendobj\n");
    return true;
}

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
int *pdf_kids_of(const char *v, const char *vend, size_t *n)
{
    size_t cap = 0;
    int *kids = NULL;
    *n = 0;
    if (!push_kid(&kids, n, &cap, 0))
        return NULL;
    *n = 0;
    v = pdf_skip_ws(v, vend);
    if (v < vend && *v != '[') {
        int r = pdf_ref_at(v, vend);
        if (r > 0)
            kids[(*n)++] = r;
        return kids;
    }
    const char *p = v + 1;
    while (p < vend) {
        p = pdf_skip_ws(p, vend);
        if (p >= vend || *p == ']')
            break;
        const char *q = pdf_value_end(p, vend);
        if (!q)
            break;
        if (*p >= '0' && *p <= '9' && *(q - 1) == 'R' && !push_kid(&kids, n, &cap, pdf_ref_at(p, q))) {
            free(kids);
            return NULL;
        }
        p = q;
    }
    return kids;
}
