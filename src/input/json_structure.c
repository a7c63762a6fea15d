/*
 * json_structure.c — pass 3 of reading, the structure: objects, arrays,
 * separators, duplicate keys, and where each value starts.
 *
 * Takes the prescanned text; gives the number of problems reported (with
 * the enclosing bracket named, e.g. "expected ',' or '}' to close the
 * object at 3:1") and, when asked, the offset of every value and key in
 * document order, which json_positions.c turns into line:column once.
 * Guarantees: linear time (duplicate keys through a hash table of the keys
 * of the open objects), no recursion deeper than JSON_MAX_DEPTH.
 */
#define _POSIX_C_SOURCE 200809L
#include "input/json_scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t hash_bytes(const char *s, size_t n, uint32_t seed)
{
    uint32_t h = 2166136261u ^ seed;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h ? h : 1;
}

/* The key's characters after unescaping (into tmp when it has escapes). */
static const char *key_text(scanner *sc, const key_entry *k, strbuf *tmp, size_t *n)
{
    const char *raw = sc->s + k->off + 1;
    if (!k->escaped) {
        *n = k->len;
        return raw;
    }
    sb_truncate(tmp, 0);
    json_unescape(raw, k->len, tmp);
    *n = tmp->s ? tmp->len : 0;
    return tmp->s ? tmp->s : "";
}

static bool same_key(scanner *sc, const key_entry *a, const key_entry *b)
{
    size_t na, nb;
    const char *ta = key_text(sc, a, &sc->tmp1, &na);
    const char *tb = key_text(sc, b, &sc->tmp2, &nb);
    return na == nb && memcmp(ta, tb, na) == 0;
}

static void table_put(key_table *t, const key_entry *e)
{
    size_t mask = t->cap - 1;
    for (size_t i = e->hash & mask;; i = (i + 1) & mask)
        if (t->slots[i].off == SIZE_MAX) {
            t->slots[i] = *e;
            return;
        }
}

static bool table_grow(key_table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 64;
    key_entry *slots = malloc(cap * sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < cap; i++)
        slots[i].off = SIZE_MAX;
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    for (size_t i = 0; i < t->nlive; i++)
        table_put(t, &t->live[i]);
    return true;
}

static bool live_push(key_table *t, const key_entry *e)
{
    if (t->nlive == t->live_cap) {
        size_t cap = t->live_cap ? t->live_cap * 2 : 64;
        key_entry *live = realloc(t->live, cap * sizeof *live);
        if (!live)
            return false;
        t->live = live;
        t->live_cap = cap;
    }
    t->live[t->nlive++] = *e;
    return true;
}

/* Records a key of object `object`; returns the earlier entry with the same
 * key, or NULL. */
static const key_entry *key_add(scanner *sc, uint32_t object, const span *sp)
{
    key_table *t = &sc->keys;
    key_entry e = {sp->start - 1, sp->end - sp->start, 0, object, sp->escaped};
    size_t n;
    const char *text = key_text(sc, &e, &sc->tmp1, &n);
    e.hash = hash_bytes(text, n, object * 2654435761u);
    if ((t->nlive + 1) * 2 > t->cap && !table_grow(t))
        return NULL;   /* out of memory: duplicates go unnoticed, nothing worse */
    size_t mask = t->cap - 1;
    for (size_t i = e.hash & mask; t->slots[i].off != SIZE_MAX; i = (i + 1) & mask) {
        const key_entry *o = &t->slots[i];
        if (o->hash == e.hash && o->object == object && same_key(sc, o, &e))
            return o;
    }
    if (live_push(t, &e))
        table_put(t, &e);
    return NULL;
}

/* Newest first: then every chain that led to an entry is still intact
 * when it is removed (older entries never probed past newer ones). */
static void keys_release(key_table *t, size_t mark)
{
    size_t mask = t->cap - 1;
    for (size_t k = t->nlive; k-- > mark;) {
        const key_entry *e = &t->live[k];
        for (size_t i = e->hash & mask; t->slots[i].off != SIZE_MAX; i = (i + 1) & mask)
            if (t->slots[i].off == e->off) {
                t->slots[i].off = SIZE_MAX;
                break;
            }
    }
    t->nlive = mark;
}

static void check_duplicate(scanner *sc, uint32_t object, const span *sp)
{
    const key_entry *first = key_add(sc, object, sp);
    if (!first)
        return;
    strbuf m = {0};
    strbuf k = {0};
    size_t n;
    key_entry e = {sp->start - 1, sp->end - sp->start, 0, object, sp->escaped};
    const char *text = key_text(sc, &e, &sc->tmp1, &n);
    json_quote(&k, text, n);
    sb_printf(&m, "duplicate key %s (first at ", k.s ? k.s : "");
    sc_format_position(&m, sc, first->off);
    sb_puts(&m, ")");
    sc_problem(sc, sp->start - 1, "%s", m.s ? m.s : "duplicate key");
    sb_free(&m);
    sb_free(&k);
}

/* --- where values start --- */

/* Called once per value, before its children: document order.  After a
 * problem the list is useless (the tree is refused), so it stops growing. */
static void note_value(scanner *sc)
{
    json_offsets *r = sc->rec;
    size_t key = sc->key_at != SIZE_MAX ? sc->key_at : sc->pos;
    sc->key_at = SIZE_MAX;
    if (!r || r->failed || sc->problems > 0)
        return;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 256;
        json_value_at *at = realloc(r->at, cap * sizeof *at);
        if (!at) {
            r->failed = true;
            return;
        }
        r->at = at;
        r->cap = cap;
    }
    r->at[r->n++] = (json_value_at){(uint32_t)key, (uint32_t)sc->pos};
}

/* --- containers --- */

static bool scan_value(scanner *sc, int depth);

static bool end_of_input(scanner *sc, const char *expected, char open, size_t open_at)
{
    strbuf m = {0};
    sb_printf(&m, "unexpected end of input (expected %s", expected);
    if (open) {
        sb_printf(&m, " to close the %s at ", open == '{' ? "object" : "array");
        sc_format_position(&m, sc, open_at);
    }
    sb_puts(&m, ")");
    sc_problem(sc, sc_end_of_text(sc), "%s", m.s ? m.s : "unexpected end of input");
    sb_free(&m);
    sc->stop = true;
    return false;
}

static bool mismatched_close(scanner *sc, char open, size_t open_at)
{
    strbuf m = {0};
    sb_printf(&m, "'%c' does not match '%c' at ", sc_peek(sc), open);
    sc_format_position(&m, sc, open_at);
    sb_printf(&m, " (expected '%c')", open == '{' ? '}' : ']');
    sc_problem(sc, sc->pos, "%s", m.s ? m.s : "mismatched bracket");
    sb_free(&m);
    sc->stop = true;
    return false;
}

/* After a member or element: ',' (true, more follow), the closing bracket
 * (true, *done set), or a diagnosed mistake. */
static bool scan_separator(scanner *sc, char open, size_t open_at, bool *done)
{
    char close = open == '{' ? '}' : ']';
    const char *expected = open == '{' ? "',' or '}'" : "',' or ']'";
    sc_skip_space(sc);
    if (sc->stop)
        return false;
    unsigned char c = sc_peek(sc);
    size_t n;
    uint32_t cp = sc_code_point_at(sc, sc->pos, &n);
    const lookalike *l = c >= 0x80 ? sc_find_lookalike(cp) : NULL;
    *done = false;
    if (c == close) {
        sc->pos++;
        *done = true;
        return true;
    }
    if (c == ',' || (l && l->ascii == ',')) {
        size_t comma = sc->pos;
        if (c != ',') {
            sc_problem(sc, comma, "%s U+%04X \"%.*s\" is not JSON punctuation (expected ',')",
                    l->name, (unsigned)cp, (int)n, sc->s + comma);
        }
        sc->pos += c == ',' ? 1 : n;
        sc_skip_space(sc);
        if (sc_peek(sc) == (unsigned char)close) {
            sc_problem(sc, comma, "trailing comma before '%c' (expected %s)", close,
                    open == '{' ? "a key in double quotes" : "a value");
            sc->pos++;
            *done = true;
        }
        return !sc->stop;
    }
    if (sc->pos >= sc->len)
        return end_of_input(sc, expected, open, open_at);
    if (c == '}' || c == ']')
        return mismatched_close(sc, open, open_at);
    if (open == '{' ? c == '"' : sc_starts_value(sc, sc->pos)) {
        sc_problem(sc, sc->pos, "missing ',' between %s (expected %s)",
                open == '{' ? "members" : "elements", expected);
        return !sc->stop;
    }
    return sc_unexpected(sc, sc->pos, expected);
}

static bool scan_key(scanner *sc, uint32_t object)
{
    unsigned char c = sc_peek(sc);
    size_t n;
    uint32_t cp = sc_code_point_at(sc, sc->pos, &n);
    if (c == '"') {
        span sp;
        if (!sc_string(sc, &sp))
            return false;
        check_duplicate(sc, object, &sp);
        return !sc->stop;
    }
    if (sc_is_misquote(cp))
        return sc_misquoted(sc, true);
    if (sc->pos >= sc->len)
        return end_of_input(sc, "a key in double quotes", 0, 0);
    if (c != '-' && c != '.' && !sc_is_digit(c) && sc_is_word_byte(sc, sc->pos)) {
        size_t end = sc_word_end(sc, sc->pos);
        strbuf q = {0};
        json_quote(&q, sc->s + sc->pos, end - sc->pos);
        sc_problem(sc, sc->pos, "object keys must be strings in double quotes (write %s)",
                q.s ? q.s : "");
        sb_free(&q);
        sc->pos = end;
        return !sc->stop;
    }
    return sc_unexpected(sc, sc->pos, "a key in double quotes");
}

static bool scan_colon(scanner *sc)
{
    sc_skip_space(sc);
    if (sc->stop)
        return false;
    size_t n;
    uint32_t cp = sc_code_point_at(sc, sc->pos, &n);
    const lookalike *l = cp >= 0x80 ? sc_find_lookalike(cp) : NULL;
    if (cp == ':') {
        sc->pos++;
        return true;
    }
    if (l && l->ascii == ':') {
        sc_problem(sc, sc->pos, "%s U+%04X \"%.*s\" is not JSON punctuation (expected ':')",
                l->name, (unsigned)cp, (int)n, sc->s + sc->pos);
        sc->pos += n;
        return !sc->stop;
    }
    if (cp == '=') {
        sc_problem(sc, sc->pos, "'=' cannot separate a key from its value (expected ':')");
        sc->pos++;
        return !sc->stop;
    }
    if (sc->pos >= sc->len)
        return end_of_input(sc, "':'", 0, 0);
    return sc_unexpected(sc, sc->pos, "':' after the key");
}

static bool scan_object(scanner *sc, int depth)
{
    size_t open = sc->pos++;
    uint32_t object = ++sc->objects;
    size_t mark = sc->keys.nlive;
    bool ok = true, done = false;
    sc_skip_space(sc);
    if (sc_peek(sc) == '}') {
        sc->pos++;
        return !sc->stop;
    }
    while (ok && !done) {
        sc_skip_space(sc);
        if (sc->stop)
            break;
        if (sc->pos >= sc->len) {
            ok = end_of_input(sc, "a key in double quotes", '{', open);
            break;
        }
        sc->key_at = sc->pos;
        ok = scan_key(sc, object) && scan_colon(sc);
        if (!ok)
            break;
        sc_skip_space(sc);
        ok = !sc->stop && scan_value(sc, depth) && scan_separator(sc, '{', open, &done);
    }
    keys_release(&sc->keys, mark);
    return ok && !sc->stop;
}

static bool scan_array(scanner *sc, int depth)
{
    size_t open = sc->pos++;
    bool ok = true, done = false;
    sc_skip_space(sc);
    if (sc_peek(sc) == ']') {
        sc->pos++;
        return !sc->stop;
    }
    while (ok && !done) {
        sc_skip_space(sc);
        ok = !sc->stop && scan_value(sc, depth) && scan_separator(sc, '[', open, &done);
    }
    return ok && !sc->stop;
}

static bool scan_value(scanner *sc, int depth)
{
    unsigned char c = sc_peek(sc);
    size_t n;
    uint32_t cp = sc_code_point_at(sc, sc->pos, &n);
    if (sc->pos >= sc->len)
        return end_of_input(sc, "a value", 0, 0);
    note_value(sc);
    if (c == '{' || c == '[') {
        if (depth >= JSON_MAX_DEPTH)   /* the prescan makes this unreachable */
            return FATAL(sc, sc->pos, "nesting is too deep (at most 64 levels of arrays and objects)");
        return c == '{' ? scan_object(sc, depth + 1) : scan_array(sc, depth + 1);
    }
    if (c == '"')
        return sc_string(sc, NULL);
    if (c == '-' || c == '+' || c == '.' || sc_is_digit(c))
        return sc_number(sc);
    if (sc_is_misquote(cp))
        return sc_misquoted(sc, false);
    if (c == ',')
        return sc_unexpected(sc, sc->pos, "a value");
    if (sc_is_word_byte(sc, sc->pos))
        return sc_word(sc);
    return sc_unexpected(sc, sc->pos, "a value");
}

static void scan_document(scanner *sc)
{
    sc_skip_space(sc);
    if (sc->pos >= sc->len) {
        if (!sc->stop)
            sc_problem(sc, SIZE_MAX, "empty input (expected a JSON object)");
        return;
    }
    if (!scan_value(sc, 0))
        return;
    sc_skip_space(sc);
    if (sc->pos < sc->len && !sc->stop) {
        strbuf d = {0};
        sc_describe_char(&d, sc, sc->pos);
        sc_problem(sc, sc->pos, "unexpected %s after the end of the JSON document "
                "(expected the end of the input)", d.s ? d.s : "text");
        sb_free(&d);
    }
}

size_t json_strict_scan(const char *text, size_t len, const char *name, brief_diag *diag,
                        json_offsets *rec)
{
    scanner sc = {.s = text, .len = len, .name = name, .diag = diag, .rec = rec,
                  .key_at = SIZE_MAX};
    scan_document(&sc);
    free(sc.keys.slots);
    free(sc.keys.live);
    sb_free(&sc.tmp1);
    sb_free(&sc.tmp2);
    return sc.problems;
}
