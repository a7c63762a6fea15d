/*
 * blocks.h — the validated model of the bulletin blocks: table, kpi tiles,
 * list and masthead (issue #15).
 *
 * Filled by the validator (validate.c, "bulletin blocks"), read by layout
 * (src/page/table.c, src/page/bulletin.c).  Guarantees once a document
 * loaded: every column index is inside its dataset, groups name adjacent,
 * distinct columns, a summed column holds only numbers or nulls, a kpi has
 * 2..KPI_MAX_ITEMS items, a list at least one, every string non-NULL.
 */
#ifndef BRIEF_BLOCKS_H
#define BRIEF_BLOCKS_H

#include <stdbool.h>
#include <stddef.h>

struct dataset;
struct rich_text;   /* model.h: a text given as runs */

#define KPI_MIN_ITEMS 2
#define KPI_MAX_ITEMS 4
#define LIST_MAX_ITEMS 200
#define TABLE_MAX_COLUMNS 16
#define TABLE_MAX_ROWS 2000

typedef enum table_style { TABLE_THREE_LINE = 0, TABLE_GRID } table_style;

typedef struct table_column {
    size_t col;              /* index in the dataset */
    char *unit;              /* "亿元", "%"; "" none: printed in the header */
    int decimals;            /* given on the table or the dataset's column; -1: each
                                cell as written (its own fewest decimals, ≤ 2) */
    bool numeric;            /* holds numbers (and nulls) only */
    bool summed;             /* the total row prints its sum */
} table_column;

typedef struct table_group {
    char *label;             /* "1—10月" */
    size_t first, count;     /* table columns [first, first+count) */
} table_group;

typedef struct table_spec {
    char *id;                /* may be "" */
    const struct dataset *data;    /* points into brief_doc.datasets or inline_data */
    struct dataset *inline_data;   /* owned */
    size_t ncols;
    table_column *cols;
    size_t ngroups;
    table_group *groups;
    char *title, *note;      /* may be "" */
    struct rich_text *title_rich, *note_rich;   /* given as runs (title, note then hold
                                                   their plain text), or NULL */
    char *total;             /* label of the total row; "" none */
    table_style style;
    int rounding;            /* 0: half away from zero, 1: half even (table, else dataset) */
    bool minus_hyphen;       /* "minus": "hyphen": ASCII '-' instead of U+2212 */
    int number;              /* 表N when > 0 (tables with a title are numbered) */
} table_spec;

typedef struct kpi_item {
    char *label, *unit;      /* unit may be "" */
    struct rich_text *label_rich;   /* label given as runs, or NULL */
    double value;
    char *value_ref;         /* "{DATASET.COLUMN[ROW]}" the value was given as,
                                or NULL; bound to `value` at validation */
    int decimals;            /* -1: as written (≤ 2) */
    bool has_change;
    double change;
    char *change_ref;        /* the same for "change" */
    char *change_unit;       /* default "%" */
    char *change_label;      /* "同比"; may be "" */
} kpi_item;

typedef struct kpi_spec {
    int theme;               /* chart_theme of the arrows' red and green: 0 default, 1 official */
    size_t nitems;
    kpi_item *items;
} kpi_spec;

typedef enum list_style {
    LIST_DECIMAL = 0, LIST_PAREN, LIST_CIRCLED, LIST_CHINESE, LIST_BULLET
} list_style;

typedef struct list_spec {
    list_style style;
    size_t nitems;
    char **items;
    struct rich_text **items_rich;   /* nitems entries, NULL where an item is a string;
                                        or NULL when none is given as runs */
} list_spec;

typedef struct masthead_spec {
    char *title;             /* 经济运行简报 */
    char *issue, *org, *date, *mark;   /* each may be "" */
    /* the same given as runs (no notes), or NULL */
    struct rich_text *title_rich, *issue_rich, *org_rich, *date_rich, *mark_rich;
} masthead_spec;

void table_spec_free(table_spec *t);
void kpi_spec_free(kpi_spec *k);
void list_spec_free(list_spec *l);
void masthead_spec_free(masthead_spec *m);

/* The marker of item i (0-based) of a list: "1.", "(1)", "①", "一、", "•".
 * Writes at most size bytes; returns buf. */
char *list_marker(list_style style, size_t i, char *buf, size_t size);

/* A column that holds rates or shares (unit % or ‰, or a name with 率, 增长,
 * 增速, 比重, 占, %): its total stays blank unless named in total_columns. */
bool table_column_is_rate(const char *name, const char *unit);

#endif
