/*
 * json_positions.c — where each value of a parsed tree is, computed once.
 *
 * Takes the offsets the strict scan noted (every value's first character
 * and its key's opening quote, in document order) and the cJSON tree built
 * from the same text.  Gives a table from tree node to line:column.
 * Guarantees: the text is read once, front to back, to turn offsets into
 * positions; afterwards nothing here (or anywhere later) needs the text,
 * so the loader frees it.  cJSON keeps no positions and has no spare field,
 * hence a side table, found by node address through a hash (a sort of a
 * large tree's nodes would cost more than the rest of this file).
 *
 * Why the two lists line up: the scan notes a value before its children and
 * cJSON links children in text order, so the scan's list is the tree in
 * pre-order.  Duplicate keys, the one thing that could make them differ
 * (cJSON would keep both), are refused by the scan.
 */
#include "input/json_scan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct node_pos {
    const cJSON *node;
    src_pos key, value;
} node_pos;

struct json_positions {
    node_pos *at;          /* in document order */
    size_t n;
    uint32_t *slot;        /* open addressing: index into at + 1; 0 = empty */
    size_t mask;           /* slot count - 1 (a power of two, at least 2n) */
};

static size_t slot_of(const json_positions *pos, const cJSON *node)
{
    uint64_t h = (uint64_t)(uintptr_t)node * 0x9E3779B97F4A7C15u;
    return (size_t)(h >> 32) & pos->mask;
}

static bool index_nodes(json_positions *pos)
{
    size_t cap = 16;
    while (cap < 2 * pos->n)
        cap *= 2;
    if (!(pos->slot = calloc(cap, sizeof *pos->slot)))
        return false;
    pos->mask = cap - 1;
    for (size_t k = 0; k < pos->n; k++) {
        size_t i = slot_of(pos, pos->at[k].node);
        while (pos->slot[i])
            i = (i + 1) & pos->mask;
        pos->slot[i] = (uint32_t)(k + 1);
    }
    return true;
}

/* Turns offsets into line:column going forward through the text; the
 * offsets it is given never decrease (key <= value <= next key). */
typedef struct text_cursor {
    const char *text;
    size_t len, off;
    size_t line, chars;    /* chars: characters since the line's start */
} text_cursor;

static src_pos cursor_advance(text_cursor *c, size_t to)
{
    if (to > c->len)
        to = c->len;
    for (; c->off < to; c->off++) {
        unsigned char b = (unsigned char)c->text[c->off];
        if (b == '\n') {
            c->line++;
            c->chars = 0;
        } else if (!utf8_is_continuation(b)) {
            c->chars++;
        }
    }
    src_pos p = {
        c->line > INT32_MAX ? INT32_MAX : (int)c->line,
        c->chars + 1 > INT32_MAX ? INT32_MAX : (int)(c->chars + 1),
    };
    return p;
}

typedef struct tree_walk {
    const json_offsets *rec;
    size_t next;           /* index into rec->at */
    text_cursor cur;
    node_pos *out;
    size_t n;
} tree_walk;

/* Pre-order, like the scan.  Depth is bounded by JSON_MAX_DEPTH. */
static bool walk(tree_walk *w, const cJSON *node)
{
    if (w->next == w->rec->n)
        return false;
    const json_value_at *a = &w->rec->at[w->next++];
    node_pos *p = &w->out[w->n++];
    p->node = node;
    p->key = cursor_advance(&w->cur, a->key);
    p->value = cursor_advance(&w->cur, a->value);
    for (const cJSON *c = node->child; c; c = c->next)
        if (!walk(w, c))
            return false;
    return true;
}

json_positions *json_positions_new(const cJSON *root, const char *text, size_t len,
                                   json_offsets *rec)
{
    json_positions *pos = NULL;
    if (rec->failed)
        goto out;
    pos = calloc(1, sizeof *pos);
    if (!pos || !(pos->at = malloc((rec->n ? rec->n : 1) * sizeof *pos->at))) {
        free(pos);
        pos = NULL;
        goto out;
    }
    tree_walk w = {.rec = rec, .cur = {.text = text, .len = len, .line = 1}, .out = pos->at};
    /* Cannot fail for a tree built from the text the scan accepted; if it
     * ever did, positions would be wrong, so keep none rather than guess. */
    if (walk(&w, root) && w.next == rec->n)
        pos->n = w.n;
    if (!index_nodes(pos)) {
        json_positions_free(pos);
        pos = NULL;
    }
out:
    free(rec->at);
    *rec = (json_offsets){0};
    return pos;
}

void json_positions_free(json_positions *pos)
{
    if (pos) {
        free(pos->at);
        free(pos->slot);
    }
    free(pos);
}

src_pos json_position_of(const json_positions *pos, const cJSON *node, json_target target)
{
    src_pos none = {0, 0};
    if (!pos || !node)
        return none;
    for (size_t i = slot_of(pos, node); pos->slot[i]; i = (i + 1) & pos->mask) {
        const node_pos *p = &pos->at[pos->slot[i] - 1];
        if (p->node == node)
            return target == JSON_AT_KEY ? p->key : p->value;
    }
    return none;
}

/* The member of obj named key (keys are unique: the scan refused
 * duplicates). */
static const cJSON *member(const cJSON *obj, const strbuf *key)
{
    const char *want = key->s ? key->s : "";
    for (const cJSON *c = obj->child; c; c = c->next)
        if (c->string && strcmp(c->string, want) == 0)
            return c;
    return NULL;
}

static const cJSON *element(const cJSON *arr, size_t index)
{
    const cJSON *c = arr->child;
    for (size_t i = 0; c && i < index; i++)
        c = c->next;
    return c;
}

bool json_locate(const json_positions *pos, const cJSON *root, const char *path,
                 json_target target, src_pos *at)
{
    const cJSON *node = root;
    path_step st = {0};
    const char *p = path ? path : "";
    bool found = true, last_was_key = false;
    while (node && *p) {
        const cJSON *next = NULL;
        if (!json_path_next(&p, &st))
            next = NULL;
        else if (st.is_index)
            next = cJSON_IsArray(node) ? element(node, st.index) : NULL;
        else
            next = cJSON_IsObject(node) ? member(node, &st.key) : NULL;
        if (!next) {
            found = false;
            break;
        }
        last_was_key = !st.is_index;
        node = next;
    }
    sb_free(&st.key);
    *at = json_position_of(pos, node, found && target == JSON_AT_KEY && last_was_key
                                          ? JSON_AT_KEY : JSON_AT_VALUE);
    return found;
}
