/*
 * placeholder_internal.h — what the placeholder files share (not for other
 * stages: they see placeholder.h).
 *
 * placeholder.c: errors, expansion, the document budget, positions;
 * placeholder_parse.c: text → parts; placeholder_eval.c: a part → a value
 * through a resolver; placeholder_table.c: the ready resolver over arrays.
 */
#ifndef BRIEF_PLACEHOLDER_INTERNAL_H
#define BRIEF_PLACEHOLDER_INTERNAL_H

#include "model/placeholder.h"
#include "util/strbuf.h"

#include <stdint.h>

#define NONE SIZE_MAX
#define MAX_LISTED 8   /* names listed in a message before "…" */

/* Fills *e with the message fmt (control characters escaped), placed at
 * off, len.  Always false, so that a check can `return ph_fail(…)`. */
bool ph_fail(ph_error *e, size_t off, size_t len, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
bool ph_fail_oom(ph_error *e, const char *what);
/* Appends " (did you mean X? KIND: a, b, c)" or " (no KIND are defined)". */
void ph_suggest(strbuf *m, const char *got, const char *const *names, size_t n,
                const char *kind, const char *open, const char *close);
/* ph_fail with the message built in m, which it frees. */
bool ph_fail_with(ph_error *e, size_t off, size_t len, strbuf *m);
/* s as a JSON string. */
void ph_quoted(strbuf *m, const char *s);

/* The name of a function kind: "sum" for PH_SUM. */
const char *ph_function_name(ph_kind k);

/* The row of d whose category is `name` by a linear scan, NONE if none;
 * *again a second such row or NONE (resolvers without a row index). */
size_t ph_scan_rows(const dataset *d, const char *name, size_t *again);

#endif /* BRIEF_PLACEHOLDER_INTERNAL_H */
