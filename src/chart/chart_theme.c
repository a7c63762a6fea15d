/*
 * chart_theme.c — a chart's theme and series colours.
 *
 * Takes a validated chart_spec (theme_id enum, typed `colors`); gives its
 * theme (colours, title alignment) and the colour of each series as
 * chart_rgb.  Guarantees: reads only typed values — no input string is
 * parsed again after validation.
 */
#include "chart/chart_build.h"
#include "chart/chart.h"

#include <string.h>

#define HEX(v) {((v) >> 16 & 255) / 255.0, ((v) >> 8 & 255) / 255.0, ((v) & 255) / 255.0}

/* Default: Okabe–Ito hues (safe for the common colour-vision deficiencies),
 * ordered so that neighbouring series differ in lightness: CIE L* 35, 71,
 * 58, 89, 54, 70, 61, 53 — the first three stay apart in greyscale. */
static const theme theme_default = {
    .palette = {HEX(0x0B5394), HEX(0xE69F00), HEX(0x009E73), HEX(0xF0E442),
                HEX(0xD55E00), HEX(0x56B4E9), HEX(0xCC79A7), HEX(0x7F7F7F)},
    .npal = 8,
    .track = HEX(0xD3E1EF), .actual = HEX(0x0B5394), .warn = HEX(0xD55E00),
    .accent = HEX(0xD55E00),      /* L* 54 against series 1's 35: apart in greyscale too */
    .target = HEX(0x333333), .ref = HEX(0x444444),
    .title = HEX(0x1A1A1A), .text = HEX(0x333333), .muted = HEX(0x666666),
    .grid = HEX(0xDDDDDD), .baseline = HEX(0x595959),
    .center_title = false,
};

/* "official": the red / blue / grey of government documents. */
static const theme theme_official = {
    .palette = {HEX(0xC00000), HEX(0x8FB4DB), HEX(0x404040), HEX(0xF4B6B6),
                HEX(0x1F4E79), HEX(0xA6A6A6), HEX(0xE06666), HEX(0xD9D9D9)},
    .npal = 8,
    .track = HEX(0xDCE6F1), .actual = HEX(0x1F4E79), .warn = HEX(0xC00000),
    .accent = HEX(0x1F4E79),      /* dark blue beside the red of series 1 */
    .target = HEX(0x262626), .ref = HEX(0xC00000),
    .title = HEX(0x000000), .text = HEX(0x262626), .muted = HEX(0x595959),
    .grid = HEX(0xD9D9D9), .baseline = HEX(0x404040),
    .center_title = true,
};

chart_rgb chart_bar_color(const build *b, size_t row, size_t j, double v)
{
    const chart_spec *s = b->spec;
    if (v < 0 && s->negative.given)
        return (chart_rgb){s->negative.rgb.r, s->negative.rgb.g, s->negative.rgb.b};
    if (b->k == 1 && !b->completion)
        for (size_t i = 0; i < s->nhighlight; i++)
            if (strcmp(s->highlight[i], b->cat[row]) == 0)
                return b->th->accent;
    return b->scol[j];
}

const theme *chart_theme_of(const chart_spec *spec)
{
    return spec->theme_id == THEME_OFFICIAL ? &theme_official : &theme_default;
}

void chart_series_colors(const chart_spec *spec, const theme *th, size_t k, bool completion,
                         chart_rgb *out)
{
    for (size_t j = 0; j < k; j++) {
        out[j] = th->palette[j % (size_t)th->npal];
        if (j >= (size_t)th->npal) {     /* series 9-16: lighter tints of 1-8 */
            chart_rgb *c = &out[j];
            c->r += (1 - c->r) * 0.5;
            c->g += (1 - c->g) * 0.5;
            c->b += (1 - c->b) * 0.5;
        }
    }
    if (completion && k >= 2) {
        out[0] = th->track;
        out[1] = th->actual;
    }
    for (size_t j = 0; j < k; j++)
        if (spec->colors && spec->colors[j].given)
            out[j] = (chart_rgb){spec->colors[j].rgb.r, spec->colors[j].rgb.g,
                                 spec->colors[j].rgb.b};
}

double chart_luminance(chart_rgb c)
{
    return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
}

/* Up and down in the Chinese convention, red and green.  Default: the
 * Okabe–Ito vermilion (the theme's warn) and bluish green (its palette's
 * third), the red–green pair that stays apart for the common colour-vision
 * deficiencies.  Official: the red of its first series and of its warnings,
 * and a dark green of the same weight (the palette has none); unchanged
 * values in the theme's muted grey. */
void chart_theme_change_rgb(chart_theme id, int direction, double rgb[3])
{
    const theme *th = id == THEME_OFFICIAL ? &theme_official : &theme_default;
    static const chart_rgb official_down = HEX(0x00753A);
    chart_rgb c = direction > 0 ? th->warn
                  : direction < 0 ? (id == THEME_OFFICIAL ? official_down : th->palette[2])
                                  : th->muted;
    rgb[0] = c.r;
    rgb[1] = c.g;
    rgb[2] = c.b;
}
