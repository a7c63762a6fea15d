/*
 * json_scan.h — inside the strict JSON tokenizer (json_scan.c: tokens,
 * json_structure.c: objects, arrays and duplicate keys).  Not for other
 * stages: they see json.h.
 */
#ifndef BRIEF_JSON_SCAN_H
#define BRIEF_JSON_SCAN_H

#include "input/json.h"
#include "util/diag.h"
#include "util/utf8.h"

#include <stdint.h>

/* Where each value of the text starts, in document order (the order of a
 * pre-order walk of the cJSON tree): its first character and, for a member
 * of an object, the opening quote of its key (else the value again). */
typedef struct json_value_at {
    uint32_t key, value;   /* byte offsets (the input is at most JSON_MAX_INPUT) */
} json_value_at;
_Static_assert(JSON_MAX_INPUT < UINT32_MAX, "offsets of the input fit in 32 bits");

typedef struct json_offsets {
    json_value_at *at;
    size_t n, cap;
    bool failed;           /* out of memory: the list is incomplete */
} json_offsets;

/* Keys of the objects that are open, for finding duplicates: an open-
 * addressing table whose entries are removed when their object closes.
 * Entries are only ever removed newest-first, so linear probing never loses
 * a chain and needs no tombstones. */
typedef struct key_entry {
    size_t off;        /* offset of the key's opening quote; SIZE_MAX = empty */
    size_t len;        /* bytes between the quotes */
    uint32_t hash;
    uint32_t object;   /* which object the key belongs to */
    bool escaped;      /* the raw key contains a backslash */
} key_entry;

typedef struct key_table {
    key_entry *slots;
    size_t cap;
    key_entry *live;   /* insertion order, for removal and rehashing */
    size_t nlive, live_cap;
} key_table;

typedef struct scanner {
    const char *s;
    size_t len, pos;
    const char *name;
    brief_diag *diag;
    size_t problems;
    bool stop;
    key_table keys;
    uint32_t objects;      /* serial numbers for objects */
    strbuf tmp1, tmp2;     /* for decoding escaped keys */
    struct json_offsets *rec;  /* where values start, or NULL */
    size_t key_at;         /* the key of the member whose value comes next; SIZE_MAX: none */
} scanner;

typedef struct span {
    size_t start, end;     /* the characters between the quotes */
    bool escaped;
} span;

typedef struct lookalike {
    uint32_t cp;
    const char *name;
    char ascii;       /* what was probably meant; ' ' for white space */
} lookalike;

void sc_problem(scanner *sc, size_t offset, const char *fmt, ...) BRIEF_PRINTF(3, 4);

/* A problem after which the structure is unknown: scanning ends. */
#define FATAL(sc, ...) (sc_problem((sc), __VA_ARGS__), (sc)->stop = true, false)

static inline bool sc_is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

unsigned char sc_peek(const scanner *sc);
uint32_t sc_code_point_at(const scanner *sc, size_t i, size_t *n);
const lookalike *sc_find_lookalike(uint32_t cp);
void sc_describe_char(strbuf *b, const scanner *sc, size_t i);
bool sc_unexpected(scanner *sc, size_t at, const char *expected);
size_t sc_end_of_text(const scanner *sc);
void sc_format_position(strbuf *b, const scanner *sc, size_t offset);
void sc_skip_space(scanner *sc);
bool sc_is_word_byte(const scanner *sc, size_t i);
size_t sc_word_end(const scanner *sc, size_t i);
bool sc_starts_value(const scanner *sc, size_t i);
bool sc_string(scanner *sc, span *sp);
bool sc_misquoted(scanner *sc, bool is_key);
bool sc_is_misquote(uint32_t cp);
bool sc_number(scanner *sc);
bool sc_word(scanner *sc);

/* Decodes the inside of a JSON string (between the quotes) into out;
 * anything the scanner complains about decodes to U+FFFD (json_text.c). */
void json_unescape(const char *raw, size_t n, strbuf *out);
/* 0..15 for a hex digit, else -1 (json_text.c). */
int json_hex_value(unsigned char c);
/* The 16-bit value of \uXXXX at s (s[0] == '\\'), or -1 (json_text.c). */
long json_u_escape(const char *s, size_t avail);

/* One step of a JSON path: a key (decoded) or an index. */
typedef struct path_step {
    bool is_index;
    size_t index;
    strbuf key;
} path_step;

/* Reads the step at *p (json_text.c); false at the end of the path or when
 * malformed. */
bool json_path_next(const char **p, path_step *st);

/* Checks text[0..len) strictly (json_structure.c); returns the number of
 * problems reported.  With rec non-NULL and no problems, *rec holds the
 * offsets of every value in document order (see json_positions.c). */
size_t json_strict_scan(const char *text, size_t len, const char *name, brief_diag *diag,
                        json_offsets *rec);

/* The positions of root's values from the scan's offsets (json_positions.c):
 * one pass over the text for line:column, one walk of the tree.  Frees
 * rec->at; NULL when out of memory. */
json_positions *json_positions_new(const cJSON *root, const char *text, size_t len,
                                   json_offsets *rec);

#endif /* BRIEF_JSON_SCAN_H */
