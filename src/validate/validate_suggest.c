/*
 * validate_suggest.c — "did you mean": the name a misspelt one most
 * probably meant.
 *
 * Takes a name as written and the names allowed there; gives one of them or
 * NULL (see suggest_name in validate.h).  Guarantees: bounded cost, at most
 * MAX_SUGGEST_CHARS² steps per candidate and MAX_SUGGEST_STEPS per name
 * (past that the best so far is the suggestion), whatever the input: a
 * brief of 150,000 datasets and 10,000 unknown names costs at most the
 * 50 reported errors × MAX_SUGGEST_STEPS.
 */
#include "validate/validate_internal.h"

#include <string.h>

#define MAX_SUGGEST_CHARS 64
#define MAX_SUGGEST_STEPS 1000000   /* about 2 ms */

static uint32_t lower_ascii(uint32_t c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Case-insensitive for ASCII letters only, whatever the locale. */
int v_strcasecmp_ascii(const char *a, const char *b)
{
    for (;; a++, b++) {
        uint32_t x = lower_ascii((unsigned char)*a), y = lower_ascii((unsigned char)*b);
        if (x != y || !x)
            return (int)x - (int)y;
    }
}

/* Decodes (valid) UTF-8 into lower-cased code points; SIZE_MAX if longer
 * than max. */
static size_t code_points(const char *s, uint32_t *out, size_t max)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (n == max)
            return SIZE_MAX;
        size_t k;
        uint32_t c = utf8_next(p, strlen((const char *)p), &k);
        out[n++] = lower_ascii(c);
        p += k;
    }
    return n;
}

/* Edit distance counting a swap of neighbours as one edit. */
static size_t edit_distance(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    static const size_t W = MAX_SUGGEST_CHARS + 1;
    size_t d[(MAX_SUGGEST_CHARS + 1) * (MAX_SUGGEST_CHARS + 1)];
    for (size_t i = 0; i <= n; i++)
        d[i * W] = i;
    for (size_t j = 0; j <= m; j++)
        d[j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t best = d[(i - 1) * W + j] + 1;
            if (d[i * W + j - 1] + 1 < best)
                best = d[i * W + j - 1] + 1;
            if (d[(i - 1) * W + j - 1] + cost < best)
                best = d[(i - 1) * W + j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[(i - 2) * W + j - 2] + 1 < best)
                best = d[(i - 2) * W + j - 2] + 1;
            d[i * W + j] = best;
        }
    return d[n * W + m];
}

/* Same first character, the rest in order. */
static bool abbreviates(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    if (n < 2 || n >= m || a[0] != b[0])
        return false;
    size_t i = 0;
    for (size_t j = 0; j < m && i < n; j++)
        if (a[i] == b[j])
            i++;
    return i == n;
}

/* Whether b[0..m) occurs in a[0..n): "计划" in "年度计划", "meta" in "metadata". */
static bool contains(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    if (m < 2 || m >= n)
        return false;
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(a + i, b, m * sizeof *a) == 0)
            return true;
    return false;
}

/* a[0..n) is b[0..m) with one character typed twice ("mm" for "m"): the
 * one slip short names are too short for the edit-distance rule to catch. */
static bool stutters(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    if (n != m + 1)
        return false;
    size_t i = 0;
    while (i < m && a[i] == b[i])
        i++;
    return i > 0 && a[i] == a[i - 1] && memcmp(a + i + 1, b + i, (m - i) * sizeof *a) == 0;
}

const char *suggest_name(const char *got, const char *const *names, size_t count)
{
    uint32_t a[MAX_SUGGEST_CHARS], b[MAX_SUGGEST_CHARS];
    size_t n = code_points(got, a, MAX_SUGGEST_CHARS);
    if (n == SIZE_MAX || n == 0)
        return NULL;
    const char *best = NULL, *abbrev = NULL;
    size_t best_d = SIZE_MAX, steps = 0;
    for (size_t i = 0; i < count && steps < MAX_SUGGEST_STEPS; i++) {
        size_t m = code_points(names[i], b, MAX_SUGGEST_CHARS);
        if (m == SIZE_MAX)
            continue;
        size_t longest = n > m ? n : m, shortest = n < m ? n : m;
        /* the length difference bounds the distance from below */
        size_t d = SIZE_MAX;
        if (longest - shortest <= longest / 3) {
            d = edit_distance(a, n, b, m);
            steps += n * m;
        }
        steps += m;
        if (d == 0)
            return names[i];   /* equal but for case */
        if (d <= longest / 3 && d < best_d) {
            best = names[i];
            best_d = d;
        }
        if (!abbrev && (stutters(a, n, b, m) || abbreviates(a, n, b, m) || contains(b, m, a, n) ||
                        (m >= 3 && contains(a, n, b, m))))
            abbrev = names[i];
    }
    return best ? best : abbrev;
}

