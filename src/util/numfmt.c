/*
 * numfmt.c — number formatting and nice ticks (see numfmt.h).
 *
 * Everything goes through numfmt_fixed, which prints with "%.*f" and then
 * rewrites the result itself (sign, '.', grouping), so the output never
 * depends on the process locale.
 */
#include "util/numfmt.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int clamp_decimals(int d)
{
    return d < 0 ? 0 : d > NUMFMT_MAX_DECIMALS ? NUMFMT_MAX_DECIMALS : d;
}

/* Appends s to buf[*len] within size, always counting. */
static void put(char *buf, size_t size, size_t *len, const char *s, size_t n)
{
    if (*len < size) {
        size_t room = size - *len - 1;
        memcpy(buf + *len, s, n < room ? n : room);
    }
    *len += n;
    if (size)
        buf[*len < size ? *len : size - 1] = '\0';
}

static double pow10i(int e)
{
    double p = 1.0;
    for (int i = 0; i < (e < 0 ? -e : e); i++)
        p *= 10.0;
    return p;
}

size_t numfmt_fixed(char *buf, size_t size, double v, int decimals, bool thousands)
{
    decimals = clamp_decimals(decimals);
    if (size)
        buf[0] = '\0';
    size_t len = 0;
    if (!isfinite(v)) {
        put(buf, size, &len, "—", strlen("—"));
        return len;
    }
    char tmp[400];
    int n = snprintf(tmp, sizeof tmp, "%.*f", decimals, fabs(v));
    if (n < 0 || n >= (int)sizeof tmp) {
        /* Beyond 1e390: cannot happen for finite doubles, but be safe. */
        snprintf(tmp, sizeof tmp, "%.6g", fabs(v));
        n = (int)strlen(tmp);
    }
    /* Integer digits, then whatever the locale wrote as decimal point, then
     * fraction digits. */
    size_t intlen = 0;
    while (tmp[intlen] >= '0' && tmp[intlen] <= '9')
        intlen++;
    const char *frac = tmp + intlen;
    while (*frac && !(*frac >= '0' && *frac <= '9'))
        frac++;
    bool zero = true;
    for (const char *p = tmp; *p; p++)
        if (*p >= '1' && *p <= '9')
            zero = false;
    if (v < 0 && !zero)
        put(buf, size, &len, "-", 1);
    for (size_t i = 0; i < intlen; i++) {
        put(buf, size, &len, tmp + i, 1);
        size_t left = intlen - i - 1;
        if (thousands && left > 0 && left % 3 == 0)
            put(buf, size, &len, ",", 1);
    }
    if (decimals > 0 && *frac) {
        put(buf, size, &len, ".", 1);
        put(buf, size, &len, frac, strlen(frac));
    }
    return len;
}

int numfmt_decimals_of(double v, int max)
{
    if (!isfinite(v))
        return 0;
    max = clamp_decimals(max);
    double a = fabs(v);
    for (int d = 0; d < max; d++) {
        double x = a * pow10i(d);
        if (fabs(x - nearbyint(x)) <= 1e-9 * (x > 1.0 ? x : 1.0))
            return d;
    }
    return max;
}

double numfmt_unit_prefix(const char *unit, const char **rest)
{
    static const struct { const char *p; double m; } prefixes[] = {
        {"万亿", 1e12}, {"亿", 1e8}, {"万", 1e4},
    };
    const char *u = unit ? unit : "";
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = strlen(prefixes[i].p);
        if (strncmp(u, prefixes[i].p, n) == 0) {
            if (rest)
                *rest = u + n;
            return prefixes[i].m;
        }
    }
    if (rest)
        *rest = u;
    return 1.0;
}

static bool is_percent_unit(const char *unit)
{
    return unit && (strcmp(unit, "%") == 0 || strcmp(unit, "％") == 0);
}

/* Chooses the magnitude for an absolute amount (in base units). */
static double magnitude_for(double abs_base, const char **name)
{
    if (abs_base >= 1e12) { *name = "万亿"; return 1e12; }
    if (abs_base >= 1e8) { *name = "亿"; return 1e8; }
    if (abs_base >= 1e4) { *name = "万"; return 1e4; }
    *name = "";
    return 1.0;
}

double numfmt_chinese_scaled(double v, const char *unit)
{
    if (is_percent_unit(unit))
        return v;
    const char *rest;
    double p = numfmt_unit_prefix(unit, &rest);
    const char *name;
    double m = magnitude_for(fabs(v) * p, &name);
    return v * p / m;
}

/* Removes trailing zeros (and a bare '.') from a number in buf. */
static size_t trim_zeros(char *buf)
{
    size_t n = strlen(buf);
    if (!strchr(buf, '.'))
        return n;
    while (n > 0 && buf[n - 1] == '0')
        buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.')
        buf[--n] = '\0';
    return n;
}

size_t numfmt_format(char *buf, size_t size, double v, const numfmt *f)
{
    char num[450];
    const char *unit = (f->unit && *f->unit) ? f->unit : "";
    const char *mag_name = "";
    const char *rest = unit;
    bool thousands = f->style == NUMBER_THOUSANDS;
    if (f->style == NUMBER_CHINESE && !is_percent_unit(unit) && isfinite(v)) {
        double p = numfmt_unit_prefix(unit, &rest);
        double base = v * p;
        double m = magnitude_for(fabs(base), &mag_name);
        double scaled = base / m;
        /* Rounding may reach the next magnitude: 9999.96万 -> 1.00亿. */
        double q = pow10i(clamp_decimals(f->decimals));
        if (m < 1e12 && nearbyint(fabs(scaled) * q) / q >= 1e4) {
            m *= 1e4;
            magnitude_for(m, &mag_name);
            scaled = base / m;
        }
        numfmt_fixed(num, sizeof num, scaled, f->decimals, false);
    } else {
        numfmt_fixed(num, sizeof num, v, f->decimals, thousands);
        mag_name = "";
        rest = unit;
    }
    if (f->trim)
        trim_zeros(num);
    if (strcmp(num, "-0") == 0)
        strcpy(num, "0");
    size_t len = 0;
    if (size)
        buf[0] = '\0';
    put(buf, size, &len, num, strlen(num));
    put(buf, size, &len, mag_name, strlen(mag_name));
    put(buf, size, &len, rest, strlen(rest));
    return len;
}

double numfmt_axis_magnitude(double max_abs, const char *unit, char *unit_out, size_t size)
{
    const char *u = unit ? unit : "";
    if (is_percent_unit(u) || !isfinite(max_abs)) {
        snprintf(unit_out, size, "%s", u);
        return 1.0;
    }
    const char *rest;
    double p = numfmt_unit_prefix(u, &rest);
    const char *name;
    double m = max_abs > 0 ? magnitude_for(max_abs * p, &name) : (name = NULL, p);
    if (!name) {            /* all zero: keep the unit as written */
        snprintf(unit_out, size, "%s", u);
        return 1.0;
    }
    snprintf(unit_out, size, "%s%s", name, rest);
    return m / p;
}

size_t numfmt_percent(char *buf, size_t size, double ratio, int decimals)
{
    if (!isfinite(ratio)) {
        snprintf(buf, size, "—");
        return strlen("—");
    }
    size_t len = numfmt_fixed(buf, size, ratio * 100.0, decimals, false);
    size_t total = len;
    put(buf, size, &total, "%", 1);
    return total;
}

static double round_to(double x, int d)
{
    double q = pow10i(d);
    return nearbyint(x * q) / q;
}

int numfmt_percent_decimals(double ratio, int decimals, double threshold)
{
    int d = decimals < 0 ? 0 : decimals;
    int max = NUMFMT_MAX_DECIMALS - 2;
    if (!isfinite(ratio))
        return d > max ? max : d;
    for (; d < max; d++) {
        double x = round_to(ratio * 100.0, d);
        bool ok = (ratio < 1.0) == (x < 100.0) && (ratio > 1.0) == (x > 100.0);
        if (threshold > 0) {
            double t = round_to(threshold * 100.0, d);
            ok = ok && (ratio < threshold) == (x < t);
        }
        if (ok)
            return d;
    }
    return max;
}

/* ---- ticks ---- */

double tick_value(const tick_set *t, int i)
{
    double k = (double)(t->first + i) * t->mant;
    return t->exp10 >= 0 ? k * pow10i(t->exp10) : k / pow10i(-t->exp10);
}

bool nice_ticks(double vmin, double vmax, int max_intervals, tick_set *t)
{
    memset(t, 0, sizeof *t);
    if (!isfinite(vmin) || !isfinite(vmax))
        return false;
    if (vmin > vmax) {
        double s = vmin;
        vmin = vmax;
        vmax = s;
    }
    double lo = vmin < 0 ? vmin : 0, hi = vmax > 0 ? vmax : 0;
    if (lo == hi)
        hi = 1.0;
    if (max_intervals < 1)
        max_intervals = 1;
    if (max_intervals > TICKS_MAX - 1)
        max_intervals = TICKS_MAX - 1;
    double range = hi - lo;
    if (!isfinite(range))
        return false;
    static const int mants[] = {1, 2, 5};
    int e = (int)floor(log10(range / max_intervals)) - 1;
    for (int guard = 0; guard < 64; guard++, e++) {
        for (int mi = 0; mi < 3; mi++) {
            double p = pow10i(e);
            double step = e >= 0 ? mants[mi] * p : mants[mi] / p;
            if (!(step > 0) || !isfinite(step))
                continue;
            double k0 = floor(lo / step + 1e-9), k1 = ceil(hi / step - 1e-9);
            if (k1 <= k0)
                k1 = k0 + 1;
            if (k1 - k0 <= max_intervals) {
                t->step = step;
                t->mant = mants[mi];
                t->exp10 = e;
                t->first = (long long)k0;
                t->count = (int)(k1 - k0) + 1;
                t->decimals = e < 0 ? -e : 0;
                t->lo = tick_value(t, 0);
                t->hi = tick_value(t, t->count - 1);
                return true;
            }
        }
    }
    return false;
}
