/*
 * validate_values.c — one typed value, and the members of an object.
 *
 * Takes a cJSON value and what it should be (a number in a range, an
 * integer, a string, one of some names, an object with some keys); gives
 * the typed value or an error saying what was expected, with a hint when
 * the mistake is a common one (a number in quotes, a unit after a number, a
 * near-miss name).  Guarantees: a wrong value leaves the output as it was.
 */
#define _POSIX_C_SOURCE 200809L
#include "validate/validate_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool v_is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool v_is_alnum(char c) { return v_is_alpha(c) || (c >= '0' && c <= '9'); }

/* ------------------------------------------------------------------ */
/* scalar values                                                       */

verdict v_number_in(vctx *v, const cJSON *j, double lo, double hi, const char *unit, double *out)
{
    if (!cJSON_IsNumber(j)) {
        PASS(v_wrong_type(v, "a number", j));
        return V_WRONG;
    }
    double x = j->valuedouble;
    if (isfinite(x) && x >= lo && x <= hi) {
        *out = x;
        return V_FINE;
    }
    /* Formatted only now: a dataset can hold 640,000 numbers. */
    char a[40], b[40], c[40];
    v_fmt_number(b, sizeof b, lo);
    v_fmt_number(c, sizeof c, hi);
    if (!isfinite(x))
        return v_fail(v, "number is too large (expected %s to %s%s)", b, c, unit);
    v_fmt_number(a, sizeof a, x);
    return v_fail(v, "%s is out of range (expected %s to %s%s)", a, b, c, unit);
}

verdict v_integer_in(vctx *v, const cJSON *j, int lo, int hi, int *out)
{
    if (!cJSON_IsNumber(j)) {
        PASS(v_wrong_type(v, "an integer", j));
        return V_WRONG;
    }
    double x = j->valuedouble;
    char a[40];
    v_fmt_number(a, sizeof a, x);
    if (!isfinite(x) || x != floor(x))
        return v_fail(v, "expected an integer, got %s", isfinite(x) ? a : "a number too large");
    if (x < lo || x > hi)
        return v_fail(v, "%s is out of range (expected %d to %d)", a, lo, hi);
    *out = (int)x;
    return V_FINE;
}

verdict v_string_value(vctx *v, const cJSON *j, bool nonempty, const char **out)
{
    *out = NULL;
    if (!cJSON_IsString(j)) {
        PASS(v_wrong_type(v, "a string", j));
        return V_WRONG;
    }
    size_t n = strlen(j->valuestring);
    if (n > MAX_TEXT_BYTES)
        return v_fail(v, "text is too long: %zu bytes (at most %d)", n, MAX_TEXT_BYTES);
    if (nonempty && n == 0)
        return v_fail(v, "empty string (expected at least one character)");
    *out = j->valuestring;
    return V_FINE;
}

static verdict not_a_name(vctx *v, const cJSON *j, const char *const *names, size_t n)
{
    strbuf e = {0};
    sb_puts(&e, n == 2 ? "" : "one of ");
    v_list_names(&e, names, n, true, n == 2 ? " or " : ", ");
    verdict r = e.failed ? V_STOP : v_wrong_type(v, e.s, j);
    sb_free(&e);
    PASS(r);
    return V_WRONG;
}

static verdict unknown_name(vctx *v, const cJSON *j, const char *const *names, size_t n,
                            const char *what, const char *also)
{
    strbuf m = {0};
    sb_printf(&m, "unknown %s ", what);
    json_quote(&m, j->valuestring, strlen(j->valuestring));
    const char *s = suggest_name(j->valuestring, names, n);
    if (s) {
        sb_puts(&m, " (did you mean ");
        json_quote(&m, s, strlen(s));
        sb_puts(&m, "?)");
    } else {
        sb_puts(&m, " (expected ");
        v_list_names(&m, names, n, true, also ? ", " : " or ");
        if (also)
            sb_printf(&m, " or %s", also);
        sb_puts(&m, ")");
    }
    return v_fail_built(v, &m);
}

verdict v_enum_value(vctx *v, const cJSON *j, const char *const *names, size_t n,
                   const char *what, bool ignore_case, const char *also, int *index)
{
    *index = -1;
    if (!cJSON_IsString(j))
        return not_a_name(v, j, names, n);
    for (size_t i = 0; i < n; i++) {
        bool same = ignore_case ? v_strcasecmp_ascii(j->valuestring, names[i]) == 0
                                : strcmp(j->valuestring, names[i]) == 0;
        if (same) {
            *index = (int)i;
            return V_FINE;
        }
    }
    if (v_muted(v))
        return V_WRONG;
    return unknown_name(v, j, names, n, what, also);
}

/* ------------------------------------------------------------------ */
/* objects and their members                                           */

const cJSON *v_get(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

verdict v_expect_object(vctx *v, const cJSON *j, const char *expected)
{
    if (cJSON_IsObject(j))
        return V_FINE;
    PASS(v_wrong_type(v, expected ? expected : "an object", j));
    return V_WRONG;
}

bool v_listed(const char *key, const char *const *names)
{
    for (size_t i = 0; names[i]; i++)
        if (strcmp(key, names[i]) == 0)
            return true;
    return false;
}

verdict v_unknown_key(vctx *v, const char *key, const char *const *allowed,
                    misplaced_fn misplaced, const void *ctx)
{
    if (v_muted(v))
        return V_WRONG;
    strbuf m = {0};
    const char *s = suggest_name(key, allowed, v_null_terminated_count(allowed));
    if (misplaced && !s)
        misplaced(key, ctx, &m);
    if (m.len == 0 && !m.failed) {
        sb_puts(&m, "unknown key ");
        json_quote(&m, key, strlen(key));
        if (s) {
            sb_puts(&m, " (did you mean ");
            json_quote(&m, s, strlen(s));
            sb_puts(&m, "?)");
        } else {
            sb_puts(&m, " (expected one of: ");
            v_list_names(&m, allowed, v_null_terminated_count(allowed), false, ", ");
            sb_puts(&m, ")");
        }
    }
    verdict r = m.failed ? V_STOP : v_fail_key(v, "%s", m.s);
    sb_free(&m);
    return r;
}

verdict v_check_keys(vctx *v, const cJSON *obj, const char *const *allowed,
                   misplaced_fn misplaced, const void *ctx)
{
    for (const cJSON *c = obj->child; c; c = c->next) {
        if (v_listed(c->string, allowed))
            continue;
        size_t mark;
        PASS(v_enter_key(v, c->string, &mark));
        verdict r = v_unknown_key(v, c->string, allowed, misplaced, ctx);
        v_leave(v, mark);
        PASS(r);
    }
    return V_FINE;
}

/* Whether obj has an unknown key that is a misspelling of `key`: then a
 * "missing required key" error would only repeat the unknown-key error. */
bool v_misspelled(const cJSON *obj, const char *key, const char *const *allowed)
{
    size_t n = v_null_terminated_count(allowed);
    for (const cJSON *c = obj->child; c; c = c->next) {
        const char *s = v_listed(c->string, allowed) ? NULL : suggest_name(c->string, allowed, n);
        if (s && strcmp(s, key) == 0)
            return true;
    }
    return false;
}

verdict v_require(vctx *v, const cJSON *obj, const char *key, const char *const *allowed,
                const char *fmt, ...)
{
    if (v_misspelled(obj, key, allowed))
        return V_WRONG;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return v_fail(v, "%s", msg);
}

/* ------------------------------------------------------------------ */
/* optional members                                                    */

verdict v_read_string(vctx *v, const cJSON *obj, const char *key, char **out)
{
    const cJSON *j = v_get(obj, key);
    if (!j)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, key, &mark));
    const char *s;
    verdict r = v_string_value(v, j, false, &s);
    if (s)
        r = v_replace(out, s);
    v_leave(v, mark);
    return r;
}

verdict v_read_number(vctx *v, const cJSON *obj, const char *key, double lo, double hi,
                    const char *unit, double *out)
{
    const cJSON *j = v_get(obj, key);
    if (!j)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, key, &mark));
    verdict r = v_number_in(v, j, lo, hi, unit, out);
    v_leave(v, mark);
    return r;
}

verdict v_read_mm(vctx *v, const cJSON *obj, const char *key, double lo, double hi, double *pt)
{
    double mm = 0;
    if (!v_get(obj, key))
        return V_FINE;
    verdict r = v_read_number(v, obj, key, lo, hi, " mm", &mm);
    if (r == V_FINE)
        *pt = MM_TO_PT(mm);
    return r;
}

verdict v_read_int(vctx *v, const cJSON *obj, const char *key, int lo, int hi, int *out)
{
    const cJSON *j = v_get(obj, key);
    if (!j)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, key, &mark));
    verdict r = v_integer_in(v, j, lo, hi, out);
    v_leave(v, mark);
    return r;
}

verdict v_read_bool(vctx *v, const cJSON *obj, const char *key, bool *out)
{
    const cJSON *j = v_get(obj, key);
    if (!j)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, key, &mark));
    verdict r = V_FINE;
    if (cJSON_IsBool(j))
        *out = cJSON_IsTrue(j);
    else
        r = v_wrong_type(v, "true or false", j);
    v_leave(v, mark);
    return r;
}

verdict v_read_enum(vctx *v, const cJSON *obj, const char *key, const char *const *names,
                  size_t n, const char *what, int dflt, int *index)
{
    const cJSON *j = v_get(obj, key);
    *index = dflt;
    if (!j)
        return V_FINE;
    size_t mark;
    PASS(v_enter_key(v, key, &mark));
    verdict r = v_enum_value(v, j, names, n, what, false, NULL, index);
    v_leave(v, mark);
    return r;
}
