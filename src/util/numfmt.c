/*
 * numfmt.c — number formatting and nice ticks (see numfmt.h).
 *
 * Every printed number goes through round_digits: the double is read as
 * its 15 significant decimal digits ("%.14e", whose digits do not depend on
 * the locale), and that digit string is rounded in decimal.  The output is
 * assembled here (sign, '.', grouping), so it never depends on the process
 * locale either.
 */
#include "util/numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MINUS_SIGN "\xe2\x88\x92"   /* U+2212 */
/* Digits of round(|v| * 10^decimals) for any finite double: 309 integer
 * digits, the decimals, a carry. */
#define DIGITS_MAX 330

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

/* |v| as written: v = 0.d[0]d[1]…d[14] × 10^point, d[0] != '0' unless zero. */
typedef struct dec15 {
    char d[NUMFMT_SIG_DIGITS];
    int point;
    bool zero;
} dec15;

static void read_dec15(double v, dec15 *x)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.*e", NUMFMT_SIG_DIGITS - 1, fabs(v));
    int n = 0;
    const char *p = tmp;
    /* digits up to the exponent; whatever the locale wrote as the point
     * is skipped */
    for (; *p && *p != 'e' && *p != 'E'; p++)
        if (*p >= '0' && *p <= '9' && n < NUMFMT_SIG_DIGITS)
            x->d[n++] = *p;
    while (n < NUMFMT_SIG_DIGITS)
        x->d[n++] = '0';
    x->point = (*p ? (int)strtol(p + 1, NULL, 10) : 0) + 1;
    x->zero = x->d[0] == '0';
    if (x->zero)
        x->point = 1;
}

/* Decimals after capping at NUMFMT_SIG_DIGITS significant digits. */
static int sig_capped(const dec15 *x, int decimals)
{
    int room = NUMFMT_SIG_DIGITS - x->point;
    if (!x->zero && decimals > room)
        decimals = room > 0 ? room : 0;
    return decimals;
}

/* Writes the digits of round(|v| * 10^decimals) into out (no leading
 * zeros; "0" for zero) and returns how many. */
static int round_digits(const dec15 *x, int decimals, numfmt_rounding r, char *out)
{
    int keep = x->point + decimals;
    if (x->zero || keep < 0) {
        out[0] = '0';
        return 1;
    }
    int n = 0;
    for (int i = 0; i < keep && n < DIGITS_MAX - 2; i++)
        out[n++] = i < NUMFMT_SIG_DIGITS ? x->d[i] : '0';
    int next = keep < NUMFMT_SIG_DIGITS ? x->d[keep] - '0' : 0;
    bool rest = false;
    for (int i = keep + 1; i < NUMFMT_SIG_DIGITS; i++)
        rest |= x->d[i] != '0';
    bool odd = n > 0 && (out[n - 1] - '0') % 2 == 1;
    bool up = r == NUMFMT_HALF_EVEN ? next > 5 || (next == 5 && (rest || odd)) : next >= 5;
    if (up) {
        int i = n - 1;
        for (; i >= 0 && out[i] == '9'; i--)
            out[i] = '0';
        if (i >= 0) {
            out[i]++;
        } else {
            memmove(out + 1, out, (size_t)n);
            out[0] = '1';
            n++;
        }
    }
    if (n == 0)
        out[n++] = '0';
    return n;
}

static bool all_zero(const char *digits, int n)
{
    for (int i = 0; i < n; i++)
        if (digits[i] != '0')
            return false;
    return true;
}

size_t numfmt_round(char *buf, size_t size, double v, int decimals, bool thousands,
                    numfmt_rounding rounding, numfmt_minus minus)
{
    decimals = clamp_decimals(decimals);
    if (size)
        buf[0] = '\0';
    size_t len = 0;
    if (!isfinite(v)) {
        put(buf, size, &len, "—", strlen("—"));
        return len;
    }
    dec15 x;
    read_dec15(v, &x);
    decimals = sig_capped(&x, decimals);
    char dig[DIGITS_MAX];
    int n = round_digits(&x, decimals, rounding, dig);
    /* left-pad so there is at least one integer digit */
    if (n < decimals + 1) {
        int pad = decimals + 1 - n;
        memmove(dig + pad, dig, (size_t)n);
        memset(dig, '0', (size_t)pad);
        n += pad;
    }
    if (v < 0 && !all_zero(dig, n)) {
        if (minus == NUMFMT_MINUS_SIGN)
            put(buf, size, &len, MINUS_SIGN, strlen(MINUS_SIGN));
        else
            put(buf, size, &len, "-", 1);
    }
    int intlen = n - decimals;
    for (int i = 0; i < intlen; i++) {
        put(buf, size, &len, dig + i, 1);
        int left = intlen - i - 1;
        if (thousands && left > 0 && left % 3 == 0)
            put(buf, size, &len, ",", 1);
    }
    if (decimals > 0) {
        put(buf, size, &len, ".", 1);
        put(buf, size, &len, dig + intlen, (size_t)decimals);
    }
    return len;
}

size_t numfmt_fixed(char *buf, size_t size, double v, int decimals, bool thousands)
{
    return numfmt_round(buf, size, v, decimals, thousands, NUMFMT_HALF_AWAY, NUMFMT_MINUS_HYPHEN);
}

double numfmt_rounded(double v, int decimals, numfmt_rounding rounding)
{
    if (!isfinite(v))
        return v;
    decimals = clamp_decimals(decimals);
    dec15 x;
    read_dec15(v, &x);
    decimals = sig_capped(&x, decimals);
    char s[DIGITS_MAX + 16];
    int n = round_digits(&x, decimals, rounding, s);
    /* digits and an exponent only: strtod reads that the same in every
     * locale */
    snprintf(s + n, sizeof s - (size_t)n, "e-%d", decimals);
    double r = strtod(s, NULL);
    return v < 0 ? -r : r;
}

bool numfmt_exact(double v)
{
    return isfinite(v) && fabs(v) < 1e15;
}

int numfmt_decimals_of(double v, int max)
{
    if (!isfinite(v))
        return 0;
    max = clamp_decimals(max);
    dec15 x;
    read_dec15(v, &x);
    int last = NUMFMT_SIG_DIGITS - 1;
    while (last > 0 && x.d[last] == '0')
        last--;
    int d = last + 1 - x.point;
    return d < 0 ? 0 : d > max ? max : d;
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
        if (m < 1e12 && fabs(numfmt_rounded(scaled, f->decimals, f->rounding)) >= 1e4) {
            m *= 1e4;
            magnitude_for(m, &mag_name);
            scaled = base / m;
        }
        numfmt_round(num, sizeof num, scaled, f->decimals, false, f->rounding, f->minus);
    } else {
        numfmt_round(num, sizeof num, v, f->decimals, thousands, f->rounding, f->minus);
        mag_name = "";
        rest = unit;
    }
    if (f->trim)
        trim_zeros(num);
    if (strcmp(num, "-0") == 0 || strcmp(num, MINUS_SIGN "0") == 0)
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

size_t numfmt_percent_ex(char *buf, size_t size, double ratio, int decimals, const numfmt *f)
{
    if (!isfinite(ratio)) {
        snprintf(buf, size, "—");
        return strlen("—");
    }
    size_t len = numfmt_round(buf, size, ratio * 100.0, decimals, false, f->rounding, f->minus);
    put(buf, size, &len, "%", 1);
    return len;
}

size_t numfmt_percent(char *buf, size_t size, double ratio, int decimals)
{
    numfmt f = {0};
    return numfmt_percent_ex(buf, size, ratio, decimals, &f);
}

static double round_to(double x, int d)
{
    return numfmt_rounded(x, d, NUMFMT_HALF_AWAY);
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

/* ---- one decimals and one magnitude per series or chart ---- */

/* v / divisor, dividing by an exact integer where possible so that values
 * stay as written (0.0536 亿元 in 万元 is 536, not 536.0000000000001). */
static double scale_by(double v, double divisor)
{
    if (divisor > 0 && divisor < 1)
        return v * nearbyint(1.0 / divisor);
    return divisor > 0 ? v / divisor : v;
}

int numfmt_series_decimals(const double *v, const bool *skip, size_t n, double divisor, int max)
{
    max = clamp_decimals(max);
    int d = 0;
    for (size_t i = 0; i < n && d < max; i++) {
        if ((skip && skip[i]) || !isfinite(v[i]))
            continue;
        int own = numfmt_decimals_of(scale_by(v[i], divisor), max);
        d = own > d ? own : d;
    }
    return d;
}

void numfmt_choose_magnitude(const double *v, const bool *skip, size_t n, const char *unit,
                             int decimals, numfmt_magnitude *m)
{
    const char *u = unit ? unit : "";
    double max_abs = 0;
    for (size_t i = 0; i < n; i++)
        if (!(skip && skip[i]) && isfinite(v[i]))
            max_abs = fmax(max_abs, fabs(v[i]));
    m->divisor = numfmt_axis_magnitude(max_abs, u, m->unit, sizeof m->unit);
    /* rounding may reach the next magnitude: 9999.996万 at 2 decimals */
    const char *rest;
    double p = numfmt_unit_prefix(m->unit, &rest);
    if (max_abs > 0 && p >= 1e4 && p < 1e12 &&
        numfmt_rounded(scale_by(max_abs, m->divisor), decimals, NUMFMT_HALF_AWAY) >= 1e4) {
        char up[sizeof m->unit];
        double d = numfmt_axis_magnitude(max_abs * 10, u, up, sizeof up);
        if (d > m->divisor) {
            m->divisor = d;
            memcpy(m->unit, up, sizeof up);
        }
    }
}

size_t numfmt_format_magnitude(char *buf, size_t size, double v, const numfmt *f,
                               const numfmt_magnitude *m, bool with_unit)
{
    char num[DIGITS_MAX + 16];
    numfmt_round(num, sizeof num, scale_by(v, m->divisor), f->decimals, false, f->rounding,
                 f->minus);
    if (f->trim)
        trim_zeros(num);
    size_t len = 0;
    if (size)
        buf[0] = '\0';
    put(buf, size, &len, num, strlen(num));
    if (with_unit)
        put(buf, size, &len, m->unit, strlen(m->unit));
    return len;
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
