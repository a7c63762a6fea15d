/*
 * blocks.c — freeing the bulletin blocks' model and the small rules they
 * share between validation and layout (list markers, which columns are
 * rates).  Pure: no I/O.
 */
#include "model/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void table_spec_free(table_spec *t)
{
    if (!t)
        return;
    free(t->id);
    if (t->inline_data) {
        dataset_clear(t->inline_data);
        free(t->inline_data);
    }
    for (size_t i = 0; t->cols && i < t->ncols; i++)
        free(t->cols[i].unit);
    free(t->cols);
    for (size_t i = 0; t->groups && i < t->ngroups; i++)
        free(t->groups[i].label);
    free(t->groups);
    free(t->title);
    free(t->note);
    rich_text_free(t->title_rich);
    rich_text_free(t->note_rich);
    free(t->total);
    free(t);
}

void kpi_spec_free(kpi_spec *k)
{
    if (!k)
        return;
    for (size_t i = 0; k->items && i < k->nitems; i++) {
        free(k->items[i].label);
        rich_text_free(k->items[i].label_rich);
        free(k->items[i].value_ref);
        free(k->items[i].change_ref);
        free(k->items[i].unit);
        free(k->items[i].change_unit);
        free(k->items[i].change_label);
    }
    free(k->items);
    free(k);
}

void list_spec_free(list_spec *l)
{
    if (!l)
        return;
    for (size_t i = 0; l->items && i < l->nitems; i++)
        free(l->items[i]);
    for (size_t i = 0; l->items_rich && i < l->nitems; i++)
        rich_text_free(l->items_rich[i]);
    free(l->items_rich);
    free(l->items);
    free(l);
}

void masthead_spec_free(masthead_spec *m)
{
    if (!m)
        return;
    free(m->title);
    rich_text_free(m->title_rich);
    rich_text_free(m->issue_rich);
    rich_text_free(m->org_rich);
    rich_text_free(m->date_rich);
    rich_text_free(m->mark_rich);
    free(m->issue);
    free(m->org);
    free(m->date);
    free(m->mark);
    free(m);
}

/* 一 … 九十九: the Chinese ordinal of n (1..99). */
static void chinese_number(size_t n, char *buf, size_t size)
{
    static const char *const D[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (n < 10)
        snprintf(buf, size, "%s", D[n]);
    else if (n < 20)
        snprintf(buf, size, "十%s", D[n % 10]);
    else if (n < 100)
        snprintf(buf, size, "%s十%s", D[n / 10], D[n % 10]);
    else
        snprintf(buf, size, "%zu", n);
}

char *list_marker(list_style style, size_t i, char *buf, size_t size)
{
    size_t n = i + 1;
    char zh[32];
    switch (style) {
    case LIST_PAREN:
        snprintf(buf, size, "(%zu)", n);
        break;
    case LIST_CIRCLED:
        if (n <= 20) {
            /* U+2460 ① … U+2473 ⑳ */
            unsigned cp = 0x2460 + (unsigned)(n - 1);
            snprintf(buf, size, "%c%c%c", (char)(0xE0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3F)),
                     (char)(0x80 | (cp & 0x3F)));
        } else {
            snprintf(buf, size, "(%zu)", n);
        }
        break;
    case LIST_CHINESE:
        chinese_number(n, zh, sizeof zh);
        snprintf(buf, size, "%s、", zh);
        break;
    case LIST_BULLET:
        snprintf(buf, size, "•");
        break;
    default:
        snprintf(buf, size, "%zu.", n);
        break;
    }
    return buf;
}

bool table_column_is_rate(const char *name, const char *unit)
{
    static const char *const UNIT_MARKS[] = {"%", "‰", "％"};
    static const char *const NAME_MARKS[] = {"%", "％", "‰", "率", "增长", "增速", "比重", "占", "同比", "环比"};
    for (size_t i = 0; unit && i < sizeof UNIT_MARKS / sizeof *UNIT_MARKS; i++)
        if (strstr(unit, UNIT_MARKS[i]))
            return true;
    for (size_t i = 0; name && i < sizeof NAME_MARKS / sizeof *NAME_MARKS; i++)
        if (strstr(name, NAME_MARKS[i]))
            return true;
    return false;
}
