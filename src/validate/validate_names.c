/*
 * validate_names.c — names looked up by hash while validating (dataset
 * names, chart ids).
 *
 * Takes names that outlive the index (they belong to the document); gives
 * the index of the first entry with a name in constant expected time, so
 * checking a brief costs time linear in its size however many charts name
 * however many datasets (a linear search per chart was quadratic: 10,000
 * charts over 150,000 datasets took 17 s).  Allocations are checked: a
 * failure is V_STOP, as everywhere in the validator.
 */
#include "validate/validate_internal.h"

#include <stdlib.h>
#include <string.h>

static uint64_t name_hash(const char *s)
{
    uint64_t h = 14695981039346656037u;   /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static verdict grow(name_index *ix)
{
    size_t cap = ix->cap ? ix->cap * 2 : 64;
    name_slot *slots = v_alloc(cap, sizeof *slots);
    NEED(slots);
    for (size_t i = 0; i < ix->cap; i++) {
        if (!ix->slots[i].name)
            continue;
        size_t k = name_hash(ix->slots[i].name) & (cap - 1);
        while (slots[k].name)
            k = (k + 1) & (cap - 1);
        slots[k] = ix->slots[i];
    }
    free(ix->slots);
    ix->slots = slots;
    ix->cap = cap;
    return V_FINE;
}

verdict v_names_add(name_index *ix, const char *name, size_t value)
{
    if (!name)
        return V_FINE;
    if (2 * (ix->n + 1) > ix->cap)
        PASS(grow(ix));
    size_t k = name_hash(name) & (ix->cap - 1);
    for (; ix->slots[k].name; k = (k + 1) & (ix->cap - 1))
        if (strcmp(ix->slots[k].name, name) == 0)
            return V_FINE;             /* the first one stays */
    ix->slots[k].name = name;
    ix->slots[k].value = value;
    ix->n++;
    return V_FINE;
}

bool v_names_find(const name_index *ix, const char *name, size_t *value)
{
    if (!ix->cap || !name)
        return false;
    for (size_t k = name_hash(name) & (ix->cap - 1); ix->slots[k].name; k = (k + 1) & (ix->cap - 1))
        if (strcmp(ix->slots[k].name, name) == 0) {
            *value = ix->slots[k].value;
            return true;
        }
    return false;
}

void v_names_free(name_index *ix)
{
    free(ix->slots);
    *ix = (name_index){0};
}
