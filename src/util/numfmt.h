/*
 * numfmt.h — the one number formatter (every number brief prints) and nice
 * axis ticks for charts.
 *
 * Pure functions: no allocation, no locale dependence (the decimal point is
 * always '.'), no global state.  Takes finite doubles; gives the strings a
 * chart prints ("9.89亿元", "1,234.5", "12.3万", "116.35%") and tick sets
 * on 1-2-5 steps that always include zero.
 *
 * Rounding is decimal, on the value as written in the data: a double is
 * first read as its 15 significant decimal digits (what "%.15g" shows, and
 * what Excel and WPS compute with), then that digit string is rounded —
 * half away from zero by default (Excel/WPS ROUND: 10.85 -> 10.9, 3.65 ->
 * 3.7, -2.45 -> -2.5), or half to even (GB/T 8170 修约: 10.85 -> 10.8,
 * 10.75 -> 10.8).  Binary rounding ("%.1f" of 10.85 is "10.8") never
 * reaches the output.
 *
 * Nothing past the 15th significant digit is ever printed as a digit other
 * than 0: decimals are cut so that integer digits + decimals <= 15
 * (1e11 with 6 decimals prints "100000000000.000"), and integer digits past
 * the 15th are zeros.  Magnitudes of 1e15 and beyond therefore cannot be
 * shown as written; numfmt_exact() says so, for validation to refuse them.
 */
#ifndef BRIEF_NUMFMT_H
#define BRIEF_NUMFMT_H

#include <stdbool.h>
#include <stddef.h>
#include "model/model.h"

#define NUMFMT_MAX_DECIMALS 6
/* Significant decimal digits a double carries reliably (DBL_DIG). */
#define NUMFMT_SIG_DIGITS 15
/* Default cap of the decimals chosen from the data (never three unless asked). */
#define NUMFMT_AUTO_MAX_DECIMALS 2

typedef enum numfmt_rounding {
    NUMFMT_HALF_AWAY = 0, /* half away from zero: Excel/WPS ROUND (the default) */
    NUMFMT_HALF_EVEN      /* half to even: GB/T 8170 修约 ("rounding": "half-even") */
} numfmt_rounding;

typedef enum numfmt_minus {
    NUMFMT_MINUS_HYPHEN = 0, /* ASCII '-' (zero value: what existing callers print) */
    NUMFMT_MINUS_SIGN        /* U+2212 MINUS SIGN, the chart default for changes */
} numfmt_minus;

typedef struct numfmt {
    number_style style;   /* plain, thousands separators, or 万/亿 magnitudes */
    int decimals;         /* digits after the point, 0..NUMFMT_MAX_DECIMALS */
    bool trim;            /* drop trailing zeros of the fraction (used with 万/亿) */
    const char *unit;     /* suffix, e.g. "亿元", "%", "项"; NULL or "" for none */
    numfmt_rounding rounding;
    numfmt_minus minus;
} numfmt;

/* The defaults of a chart number: plain, no decimals, half away from zero,
 * a true minus.  (A zeroed numfmt differs only in printing '-'.) */
#define NUMFMT_DEFAULTS { NUMBER_PLAIN, 0, false, NULL, NUMFMT_HALF_AWAY, NUMFMT_MINUS_SIGN }

/* Writes v with exactly `decimals` digits after '.' (rounded half away from
 * zero, see above), optionally grouping the integer part by thousands.
 * Never writes "-0".  Returns the length the full string needs (like
 * snprintf); buf is always terminated if size > 0. */
size_t numfmt_fixed(char *buf, size_t size, double v, int decimals, bool thousands);

/* numfmt_fixed with the rounding rule and the minus sign chosen. */
size_t numfmt_round(char *buf, size_t size, double v, int decimals, bool thousands,
                    numfmt_rounding rounding, numfmt_minus minus);

/* The value numfmt_round prints, as a double (10.85, 1 -> 10.9): for
 * comparisons made on what the reader sees. */
double numfmt_rounded(double v, int decimals, numfmt_rounding rounding);

/* True when v prints exactly as written: finite and |v| < 1e15 (at most
 * NUMFMT_SIG_DIGITS integer digits).  Validation refuses the rest. */
bool numfmt_exact(double v);

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
/* The same with f's rounding and minus (f's style, unit and decimals are
 * not used): a change of -0.0245 at 1 decimal -> "−2.5%". */
size_t numfmt_percent_ex(char *buf, size_t size, double ratio, int decimals, const numfmt *f);

/* ---- one decimals and one magnitude per series or chart ---- */

/* The fewest decimals (0..max) that print every v[i] / divisor exactly as
 * written (9.5, 12, 3.25 -> 2; max 2 turns 12.5398 into 2).  Entries with
 * skip[i] (skip may be NULL) and non-finite ones are left out; divisor is
 * a numfmt_magnitude's (1 for none).  max is clamped to 0..
 * NUMFMT_MAX_DECIMALS; the default for data is NUMFMT_AUTO_MAX_DECIMALS. */
int numfmt_series_decimals(const double *v, const bool *skip, size_t n, double divisor, int max);

/* The Chinese style's one magnitude for a chart: data value / divisor is
 * the number printed, unit (e.g. "亿元") follows it. */
typedef struct numfmt_magnitude {
    double divisor;
    char unit[48];
} numfmt_magnitude;

/* Chooses the magnitude from the range of v (skip as above): the largest
 * of 万亿/亿/万 that the largest |v[i]|, rounded to `decimals` in that
 * magnitude, reaches ("9999.996万" at 2 decimals is 1.00亿); none (the unit
 * as written, divisor 1) for percentages, all-zero data and amounts below
 * 1万.  The unit's own prefix is folded in: values in 万元 reaching 1亿 give
 * divisor 1e4 and "亿元". */
void numfmt_choose_magnitude(const double *v, const bool *skip, size_t n, const char *unit,
                             int decimals, numfmt_magnitude *m);

/* v / m->divisor with f's decimals, trim, rounding and minus, followed by
 * m->unit when with_unit ("1.87亿元", "0.94亿元"; never 万元 beside 亿元).
 * f's style and unit are not used. */
size_t numfmt_format_magnitude(char *buf, size_t size, double v, const numfmt *f,
                               const numfmt_magnitude *m, bool with_unit);

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
