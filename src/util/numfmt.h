/*
 * numfmt.h — number formatting and nice axis ticks for charts.
 *
 * Pure functions: no allocation, no locale dependence (the decimal point is
 * always '.'), no global state.  Takes finite doubles; gives the strings a
 * chart prints ("9.89亿元", "1,234.5", "12.3万", "116.35%") and tick sets
 * on 1-2-5 steps that always include zero.
 */
#ifndef BRIEF_NUMFMT_H
#define BRIEF_NUMFMT_H

#include <stdbool.h>
#include <stddef.h>
#include "model/model.h"

#define NUMFMT_MAX_DECIMALS 6

typedef struct numfmt {
    number_style style;   /* plain, thousands separators, or 万/亿 magnitudes */
    int decimals;         /* digits after the point, 0..NUMFMT_MAX_DECIMALS */
    bool trim;            /* drop trailing zeros of the fraction (used with 万/亿) */
    const char *unit;     /* suffix, e.g. "亿元", "%", "项"; NULL or "" for none */
} numfmt;

/* Writes v with exactly `decimals` digits after '.', optionally grouping the
 * integer part by thousands.  Never writes "-0".  Returns the length the
 * full string needs (like snprintf); buf is always terminated if size > 0. */
size_t numfmt_fixed(char *buf, size_t size, double v, int decimals, bool thousands);

/* Formats v in the style of f, unit appended.  With NUMBER_CHINESE the unit's
 * own magnitude prefix (万, 亿, 万亿) is folded in and the value re-expressed
 * with the largest fitting one: 0.0536 亿元 -> "536万元", 15000 万元 ->
 * "1.5亿元", 123000 元 -> "12.3万元". */
size_t numfmt_format(char *buf, size_t size, double v, const numfmt *f);

/* The number of decimals needed to write v exactly (shortest form),
 * at most max: 9.89 -> 2, 8.5 -> 1, 190 -> 0, 0.001 -> 3. */
int numfmt_decimals_of(double v, int max);

/* Chinese magnitudes.  Splits a unit into its magnitude prefix and the rest
 * ("亿元" -> 1e8 and "元"; "万亿元" -> 1e12 and "元"; "项" -> 1 and "项");
 * returns the multiplier and points *rest into unit. */
double numfmt_unit_prefix(const char *unit, const char **rest);

/* For an axis in the Chinese style whose largest absolute tick is max_abs
 * (in data units): the divisor to apply to data values and the axis unit
 * ("亿元" …) written into unit_out.  Plain units give divisor 1. */
double numfmt_axis_magnitude(double max_abs, const char *unit, char *unit_out,
                             size_t size);

/* The value v (in data units) as the Chinese style would scale it, i.e. the
 * number printed before 万/亿; used to choose decimals. */
double numfmt_chinese_scaled(double v, const char *unit);

/* A ratio as a percentage with `decimals` digits: 1.16353 -> "116.35%". */
size_t numfmt_percent(char *buf, size_t size, double ratio, int decimals);

/* The smallest d >= decimals (at most NUMFMT_MAX_DECIMALS-2) at which the
 * printed percentage of ratio stays on the same side of 100 % and of
 * threshold (if > 0) as the ratio itself, so 0.9996 never reads "100%". */
int numfmt_percent_decimals(double ratio, int decimals, double threshold);

/* ---- ticks ---- */

#define TICKS_MAX 64

typedef struct tick_set {
    double lo, hi;        /* the axis domain: first and last tick */
    double step;          /* 1, 2 or 5 times a power of ten */
    int count;            /* number of ticks, lo..hi inclusive (>= 2) */
    int decimals;         /* decimals that print every tick exactly */
    long long first;      /* lo = first * step */
    int mant, exp10;      /* step = mant * 10^exp10, mant in {1, 2, 5} */
} tick_set;

/* Nice ticks for data spanning [vmin, vmax], always including zero (bars
 * start at zero), with at most max_intervals intervals (clamped to 1..
 * TICKS_MAX-1).  All-zero data gives 0..1.  Returns false only for
 * non-finite input. */
bool nice_ticks(double vmin, double vmax, int max_intervals, tick_set *t);
/* Tick i (0-based), computed without accumulated error. */
double tick_value(const tick_set *t, int i);

#endif
