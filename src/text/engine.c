/*
 * engine.c — brief_engine: a private fontconfig with the bundled faces.
 *
 * Takes the bundled font directory and a cache directory; gives Pango
 * contexts for measuring and drawing.  The private FcConfig is built from
 * a two-line configuration in memory (no system conf files are parsed) and
 * handed to the engine's own font map with pango_fc_font_map_set_config;
 * it is never made current, so the host's fontconfig view is untouched and
 * fontconfig's own start-up (≈ 30 M instructions) never runs.  Characters
 * the bundled faces lack are set from a second font map that also sees the
 * system font directories; it is built only for documents that need it.
 */
#define _GNU_SOURCE
#include "text/engine.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

#include "util/diag.h"

#ifndef BRIEF_FONTDIR
#define BRIEF_FONTDIR "/usr/local/share/brief/fonts"
#endif

static const char *const system_font_dirs[] = {
    "/usr/share/fonts", "/usr/local/share/fonts", NULL,
};

const char *brief_version(void)
{
    return BRIEF_VERSION;
}

static int skip_result = -1;

static void set_empty_current_config(void)
{
    FcConfig *cfg = FcConfigCreate();
    if (cfg && FcConfigSetCurrent(cfg)) {
        FcConfigDestroy(cfg);   /* fontconfig keeps its own reference */
        skip_result = 0;
    } else if (cfg) {
        FcConfigDestroy(cfg);
    }
}

int brief_fontconfig_skip_system(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, set_empty_current_config);
    return skip_result;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool dir_has_fonts(const char *dir)
{
    char probe[PATH_MAX];
    snprintf(probe, sizeof probe, "%s/%s", dir, "BriefSerifSC-Regular.otf");
    return access(probe, R_OK) == 0;
}

/* Looks for the fonts under base + each of rel[]; the real path or NULL. */
static char *font_dir_under(const char *base)
{
    static const char *const rel[] = {"/../share/brief/fonts", "/../fonts", "/../../fonts"};
    for (size_t i = 0; base && i < sizeof rel / sizeof rel[0]; i++) {
        char cand[PATH_MAX];
        if (snprintf(cand, sizeof cand, "%s%s", base, rel[i]) >= (int)sizeof cand)
            continue;
        char *real = realpath(cand, NULL);
        if (real && dir_has_fonts(real))
            return real;
        free(real);
    }
    return NULL;
}

/* The directory of the file (library or executable) that holds this code:
 * an installed libbrief.so finds PREFIX/share/brief/fonts wherever it was
 * installed, whatever PREFIX it was built with. */
static bool dir_of_this_code(char *out, size_t size)
{
    Dl_info info;
    char *real = NULL;
    if (dladdr((void *)&brief_engine_new, &info) && info.dli_fname && info.dli_fname[0] == '/')
        real = realpath(info.dli_fname, NULL);
    if (!real) {
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n <= 0)
            return false;
        exe[n] = '\0';
        real = strdup(exe);
    }
    char *slash = real ? strrchr(real, '/') : NULL;
    bool ok = slash && (size_t)(slash - real) < size;
    if (ok) {
        *slash = '\0';
        snprintf(out, size, "%s", real);
    }
    free(real);
    return ok;
}

/* dir made absolute: fontconfig refuses a font file given by a relative
 * path (BRIEF_FONT_DIR=fonts read as "missing, empty or broken"). */
static char *absolute_dir(const char *dir)
{
    char *real = realpath(dir, NULL);
    return real ? real : strdup(dir);
}

/* Candidate font directories, in order: option, $BRIEF_FONT_DIR, beside
 * the library (installed: ../share/brief/fonts; build tree: ../fonts), the
 * directory fixed at build time, then beside the running executable. */
static char *find_font_dir(const char *option, brief_diag *diag)
{
    if (option)
        return dir_has_fonts(option) ? absolute_dir(option) : NULL;
    const char *env = getenv("BRIEF_FONT_DIR");
    if (env && *env) {
        if (dir_has_fonts(env))
            return absolute_dir(env);
        diag_warning(diag, NULL, "BRIEF_FONT_DIR=%s holds no brief fonts; looking elsewhere", env);
    }
    char here[PATH_MAX];
    char *found = dir_of_this_code(here, sizeof here) ? font_dir_under(here) : NULL;
    if (found)
        return found;
    if (dir_has_fonts(BRIEF_FONTDIR))
        return strdup(BRIEF_FONTDIR);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    return font_dir_under(exe);
}

static bool mkdir_p(const char *path)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp)
        return false;
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
                return false;
            *p = '/';
        }
    }
    return (mkdir(tmp, 0755) == 0 || errno == EEXIST) && access(tmp, W_OK) == 0;
}

/* A writable fontconfig cache directory: without one, fontconfig rescans
 * every font on every run and prints errors. */
static char *find_cache_dir(const char *option, bool *is_temp)
{
    char buf[PATH_MAX];
    *is_temp = false;
    if (option && mkdir_p(option))
        return strdup(option);
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg && snprintf(buf, sizeof buf, "%s/brief", xdg) < (int)sizeof buf && mkdir_p(buf))
        return strdup(buf);
    if (home && *home && snprintf(buf, sizeof buf, "%s/.cache/brief", home) < (int)sizeof buf &&
        mkdir_p(buf))
        return strdup(buf);
    const char *tmp = getenv("TMPDIR");
    snprintf(buf, sizeof buf, "%s/brief-fc-XXXXXX", (tmp && *tmp) ? tmp : "/tmp");
    if (mkdtemp(buf)) {
        *is_temp = true;
        return strdup(buf);
    }
    return NULL;
}

static char *xml_escape(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += (*p == '&' || *p == '<' || *p == '>') ? 5 : 1;
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *p = s; *p; p++) {
        if (*p == '&') { memcpy(o, "&amp;", 5); o += 5; }
        else if (*p == '<') { memcpy(o, "&lt;", 4); o += 4; }
        else if (*p == '>') { memcpy(o, "&gt;", 4); o += 4; }
        else *o++ = *p;
    }
    *o = '\0';
    return out;
}

/* The font files of dir one by one: unlike FcConfigAppFontAddDir this
 * never writes (or complains about) a cache. */
static void add_font_files(FcConfig *cfg, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        size_t n = strlen(ent->d_name);
        if (n < 5 || (strcmp(ent->d_name + n - 4, ".otf") != 0 &&
                      strcmp(ent->d_name + n - 4, ".ttf") != 0))
            continue;
        char p[PATH_MAX];
        if (snprintf(p, sizeof p, "%s/%s", dir, ent->d_name) < (int)sizeof p)
            FcConfigAppFontAddFile(cfg, (const FcChar8 *)p);
    }
    closedir(d);
}

/* A configuration built from memory only: fontconfig's system conf files
 * are never parsed (that is most of its start-up cost).  Without a cache
 * directory of our own the bundled fonts are scanned afresh each time. */
static FcConfig *new_config(const char *cache_dir, const char *font_dir, bool with_system)
{
    FcConfig *cfg = FcConfigCreate();
    if (!cfg)
        return NULL;
    char xml[PATH_MAX * 6 + 256];
    if (cache_dir) {
        char *esc = xml_escape(cache_dir);
        if (!esc) {
            FcConfigDestroy(cfg);
            return NULL;
        }
        snprintf(xml, sizeof xml,
                 "<?xml version=\"1.0\"?>\n<fontconfig><cachedir>%s</cachedir></fontconfig>", esc);
        free(esc);
    } else {
        /* Only read: the system's caches, when valid, spare rescanning
         * the system fonts of the fallback map. */
        snprintf(xml, sizeof xml, "<?xml version=\"1.0\"?>\n<fontconfig>"
                 "<cachedir>/var/cache/fontconfig</cachedir></fontconfig>");
    }
    if (!FcConfigParseAndLoadFromMemory(cfg, (const FcChar8 *)xml, FcFalse)) {
        FcConfigDestroy(cfg);
        return NULL;
    }
    if (font_dir && cache_dir)
        FcConfigAppFontAddDir(cfg, (const FcChar8 *)font_dir);
    else if (font_dir)
        add_font_files(cfg, font_dir);
    if (with_system)
        for (size_t i = 0; system_font_dirs[i]; i++)
            if (is_dir(system_font_dirs[i]))
                FcConfigAppFontAddDir(cfg, (const FcChar8 *)system_font_dirs[i]);
    return cfg;
}

/* True when fontconfig loaded dir/file (a truncated or empty font file is
 * silently skipped by FcConfigAppFontAddDir). */
static bool face_loaded(FcConfig *cfg, const char *dir, const char *file)
{
    char want[PATH_MAX];
    snprintf(want, sizeof want, "%s/%s", dir, file);
    FcFontSet *set = FcConfigGetFonts(cfg, FcSetApplication);
    for (int i = 0; set && i < set->nfont; i++) {
        FcChar8 *got = NULL;
        if (FcPatternGetString(set->fonts[i], FC_FILE, 0, &got) == FcResultMatch &&
            strcmp((const char *)got, want) == 0)
            return true;
    }
    return false;
}

/* Warns about every bundled file that did not load; sets which styles
 * must come from system faces instead. */
static void check_bundled_faces(brief_engine *e, brief_diag *diag)
{
    static const struct { const char *file; bool serif; } faces[] = {
        {"BriefSerifSC-Regular.otf", true}, {"BriefSerifSC-Bold.otf", true},
        {"BriefSansSC-Regular.otf", false}, {"BriefSansSC-Bold.otf", false},
    };
    for (size_t i = 0; i < sizeof faces / sizeof faces[0]; i++) {
        if (face_loaded(e->config, e->font_dir, faces[i].file))
            continue;
        *(faces[i].serif ? &e->serif_broken : &e->sans_broken) = true;
        diag_warning(diag, NULL,
                     "bundled font %s/%s is missing, empty or broken; %s text uses system "
                     "Simplified Chinese fonts instead (reinstall the fonts)",
                     e->font_dir, faces[i].file, faces[i].serif ? "serif" : "sans");
    }
}

static FcCharSet *bundled_coverage(FcConfig *cfg)
{
    FcCharSet *all = FcCharSetCreate();
    FcFontSet *set = FcConfigGetFonts(cfg, FcSetApplication);
    for (int i = 0; set && i < set->nfont; i++) {
        FcCharSet *cs = NULL;
        if (FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &cs) == FcResultMatch)
            FcCharSetMerge(all, cs, NULL);
    }
    return all;
}

static void set_metric_options(PangoContext *ctx)
{
    /* Unhinted, unrounded metrics: what a PDF needs, and the same on every
     * surface, so a layout measured once draws identically anywhere. */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    pango_cairo_context_set_resolution(ctx, 72.0);
    pango_context_set_round_glyph_positions(ctx, FALSE);
    pango_context_set_language(ctx, pango_language_from_string("zh-cn"));
}

/* The caller's options over the defaults: a struct from an older header
 * (smaller size) leaves the newer fields at their defaults. */
static brief_engine_options read_options(const brief_engine_options *options)
{
    brief_engine_options o;
    memset(&o, 0, sizeof o);
    if (options) {
        size_t n = options->size && options->size < sizeof o ? options->size : sizeof o;
        memcpy(&o, options, n);
    }
    return o;
}

/* A font map of its own for cfg: PangoCairo's FreeType map, told to use
 * cfg before any font is asked for, so the process's current fontconfig
 * configuration is never loaded. */
static PangoFontMap *new_font_map(FcConfig *cfg)
{
    PangoFontMap *map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    if (map)
        pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(map), cfg);
    return map;
}

static brief_engine *engine_fail(brief_engine *e, brief_diag *diag, const char *message)
{
    diag_error(diag, BRIEF_E_CONFIG, NULL, "%s", message);
    brief_engine_free(e);
    return NULL;
}

brief_engine *brief_engine_new(const brief_engine_options *options, brief_diag *diag)
{
    brief_engine_options o = read_options(options);
    if (o.system_fallback < BRIEF_FALLBACK_DEFAULT || o.system_fallback > BRIEF_FALLBACK_NONE) {
        diag_error(diag, BRIEF_E_USAGE, NULL,
                   "brief_engine_options.system_fallback is %d (expected BRIEF_FALLBACK_DEFAULT, "
                   "BRIEF_FALLBACK_SYSTEM or BRIEF_FALLBACK_NONE)", o.system_fallback);
        return NULL;
    }
    brief_engine *e = calloc(1, sizeof *e);
    if (!e) {
        diag_oom(diag, NULL, "creating the engine");
        return NULL;
    }
    pthread_mutex_init(&e->lock, NULL);
    e->system_fallback = o.system_fallback != BRIEF_FALLBACK_NONE;
    e->font_dir = find_font_dir(o.font_dir, diag);
    if (!e->font_dir) {
        if (o.font_dir || !e->system_fallback) {
            diag_error(diag, BRIEF_E_CONFIG, NULL,
                       "no brief fonts in %s (expected BriefSerifSC-Regular.otf and friends)",
                       o.font_dir ? o.font_dir : "the font directory");
            brief_engine_free(e);
            return NULL;
        }
        diag_warning(diag, NULL, "bundled fonts not found (set BRIEF_FONT_DIR); using system fonts");
    }
    if (!o.no_cache) {
        e->cache_dir = find_cache_dir(o.cache_dir, &e->cache_is_temp);
        if (!e->cache_dir)
            return engine_fail(e, diag, "no writable directory for the font cache "
                                        "(give cache_dir, or set no_cache)");
    }
    e->config = new_config(e->cache_dir, e->font_dir, e->font_dir == NULL);
    if (!e->config)
        return engine_fail(e, diag, "cannot set up fontconfig");
    if (e->font_dir) {
        check_bundled_faces(e, diag);
        if ((e->serif_broken || e->sans_broken) && o.strict_fonts)
            return engine_fail(e, diag, "a bundled font is broken (strict_fonts)");
        if ((e->serif_broken || e->sans_broken) && !e->system_fallback)
            return engine_fail(e, diag, "a bundled font is broken and system fonts are off "
                                        "(BRIEF_FALLBACK_NONE)");
        if (e->serif_broken || e->sans_broken) {
            /* The missing style comes from system SC faces named in
             * engine_family(), so this map must see them too. */
            FcConfigDestroy(e->config);
            e->config = new_config(e->cache_dir, e->font_dir, true);
            if (!e->config)
                return engine_fail(e, diag, "cannot set up fontconfig");
        }
    }
    e->coverage = bundled_coverage(e->config);
    if (!e->font_dir && (!e->coverage || !FcCharSetHasChar(e->coverage, 0x4E2D))) {
        /* Neither the bundled faces nor a system font with hanzi: every
         * character would print as a box, so refuse rather than render. */
        return engine_fail(e, diag,
                           "no font for Chinese text: the bundled fonts are missing and no system font "
                           "has hanzi (expected BRIEF_FONT_DIR naming a directory with "
                           "BriefSerifSC-Regular.otf)");
    }
    e->fontmap = new_font_map(e->config);
    if (!e->fontmap)
        return engine_fail(e, diag, "cannot create a FreeType font map");
    return e;
}

static void remove_cache_dir(const char *dir)
{
    /* The temporary cache holds only fontconfig's flat cache files. */
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *ent;
        while ((ent = readdir(d)) != NULL) {
            if (ent->d_name[0] == '.')
                continue;
            char p[PATH_MAX];
            if (snprintf(p, sizeof p, "%s/%s", dir, ent->d_name) < (int)sizeof p)
                unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

void brief_engine_free(brief_engine *e)
{
    if (!e)
        return;
    if (e->pdf_options)
        cairo_font_options_destroy(e->pdf_options);
    /* Pango 1.50 keeps a font map's FcConfig reference past the map's
     * release (a leak per engine): hand it back explicitly first. */
    if (e->fallback_map) {
        pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(e->fallback_map), NULL);
        g_object_unref(e->fallback_map);
    }
    if (e->fontmap) {
        pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(e->fontmap), NULL);
        g_object_unref(e->fontmap);
    }
    if (e->fallback_config)
        FcConfigDestroy(e->fallback_config);
    if (e->coverage)
        FcCharSetDestroy(e->coverage);
    /* The font maps hold their own references to the configs. */
    if (e->config)
        FcConfigDestroy(e->config);
    if (e->cache_is_temp && e->cache_dir)
        remove_cache_dir(e->cache_dir);
    free(e->cache_dir);
    free(e->font_dir);
    pthread_mutex_destroy(&e->lock);
    free(e);
}

void engine_begin(brief_engine *e)
{
    pthread_mutex_lock(&e->lock);
    e->use_fallback = false;
}

void engine_end(brief_engine *e)
{
    e->use_fallback = false;
    pthread_mutex_unlock(&e->lock);
}

/* The font map that also sees system fonts, built on first use. */
static PangoFontMap *fallback_map(brief_engine *e)
{
    if (e->fallback_map || !e->system_fallback || !e->font_dir)
        return e->fallback_map;
    e->fallback_config = new_config(e->cache_dir, e->font_dir, true);
    if (!e->fallback_config)
        return NULL;
    e->fallback_map = new_font_map(e->fallback_config);
    return e->fallback_map;
}

PangoContext *engine_context(brief_engine *e)
{
    PangoFontMap *map = (e->use_fallback && fallback_map(e)) ? fallback_map(e) : e->fontmap;
    PangoContext *ctx = pango_font_map_create_context(map);
    set_metric_options(ctx);
    return ctx;
}

/* cairo merges the surface's font options into the context's when drawing;
 * a PDF surface sets a private one (glyph positions not rounded) that a
 * context cannot set, so without this cairo makes a second scaled font per
 * face and size at drawing time and decodes every glyph's metrics again
 * (≈ 13 % of a render).  Hinting stays off either way: metrics are equal. */
PangoContext *engine_pdf_context(brief_engine *e)
{
    PangoContext *ctx = engine_context(e);
    if (!ctx)
        return NULL;
    if (!e->pdf_options) {
        cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(NULL, NULL, 1, 1);
        cairo_font_options_t *fo = cairo_font_options_create();
        cairo_surface_get_font_options(pdf, fo);
        cairo_surface_destroy(pdf);
        const cairo_font_options_t *ours = pango_cairo_context_get_font_options(ctx);
        if (ours)
            cairo_font_options_merge(fo, ours);
        if (cairo_font_options_status(fo) == CAIRO_STATUS_SUCCESS)
            e->pdf_options = fo;
        else
            cairo_font_options_destroy(fo);
    }
    if (e->pdf_options)
        pango_cairo_context_set_font_options(ctx, e->pdf_options);
    return ctx;
}

void engine_use_fallback(brief_engine *e, bool on)
{
    e->use_fallback = on && e->system_fallback;
}

const char *engine_family(const brief_engine *e, const char *face)
{
    return engine_face_family(e, face && strcmp(face, "sans") == 0 ? FACE_SANS : FACE_SERIF);
}

const char *engine_face_family(const brief_engine *e, font_face face)
{
    bool sans = face == FACE_SANS;
    if (e && !e->font_dir)   /* system fonts only: ask for Simplified Chinese faces by name */
        return sans ? FAMILY_SANS ",Noto Sans CJK SC,Source Han Sans SC,WenQuanYi Zen Hei"
                    : FAMILY_SERIF ",Noto Serif CJK SC,Source Han Serif SC,Noto Sans CJK SC";
    /* A broken bundled style: leave its family out (its other weight would
     * stand in for every weight) and name the system SC faces, or
     * fontconfig picks a Japanese cut, or a math font for Latin. */
    if (e && sans && e->sans_broken)
        return "Noto Sans CJK SC,Source Han Sans SC,WenQuanYi Zen Hei," FAMILY_SERIF;
    if (e && !sans && e->serif_broken)
        return "Noto Serif CJK SC,Source Han Serif SC,Noto Sans CJK SC," FAMILY_SANS;
    return sans ? FAMILY_SANS : FAMILY_SERIF;
}

bool engine_covers(const brief_engine *e, const char *utf8)
{
    if (!e->coverage)
        return false;
    const char *p = utf8;
    while (*p) {
        gunichar c = g_utf8_get_char(p);
        if (c >= 0x20 && !FcCharSetHasChar(e->coverage, c) && !engine_is_format_char(c))
            return false;
        p = g_utf8_next_char(p);
    }
    return true;
}

bool engine_is_format_char(gunichar c)
{
    /* Zero-width and format characters are never drawn, so need no glyph. */
    return (c >= 0x200B && c <= 0x200F) || (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF ||
           c == 0x00AD || (c >= 0xFE00 && c <= 0xFE0F);
}

/* Unicode block names for the warning about characters no font has. */
static const char *block_name(gunichar c)
{
    static const struct { gunichar lo, hi; const char *name; } blocks[] = {
        {0x0000, 0x024F, "Latin"}, {0x0370, 0x03FF, "Greek"}, {0x0400, 0x04FF, "Cyrillic"},
        {0x2000, 0x206F, "General Punctuation"}, {0x2E80, 0x2FDF, "CJK Radicals"},
        {0x3000, 0x303F, "CJK Symbols and Punctuation"}, {0x3040, 0x30FF, "Kana"},
        {0x3400, 0x4DBF, "CJK Extension A"}, {0x4E00, 0x9FFF, "CJK Unified Ideographs"},
        {0xAC00, 0xD7AF, "Hangul"}, {0xE000, 0xF8FF, "Private Use Area"},
        {0xF900, 0xFAFF, "CJK Compatibility Ideographs"}, {0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms"},
        {0x1F000, 0x1FAFF, "Emoji and Symbols"}, {0x20000, 0x2A6DF, "CJK Extension B"},
        {0x2A700, 0x3134F, "CJK Extensions C-G"},
    };
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
        if (c >= blocks[i].lo && c <= blocks[i].hi)
            return blocks[i].name;
    return "other";
}

static bool any_font_has(brief_engine *e, gunichar c)
{
    if (e->coverage && FcCharSetHasChar(e->coverage, c))
        return true;
    if (!e->system_fallback || !fallback_map(e))
        return false;
    FcFontSet *set = FcConfigGetFonts(e->fallback_config, FcSetApplication);
    for (int i = 0; set && i < set->nfont; i++) {
        FcCharSet *cs = NULL;
        if (FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &cs) == FcResultMatch &&
            FcCharSetHasChar(cs, c))
            return true;
    }
    return false;
}

size_t engine_describe_missing(brief_engine *e, const char *utf8, char *out, size_t size)
{
    size_t n = 0, count = 0;
    out[0] = '\0';
    for (const char *p = utf8; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c < 0x20 || engine_is_format_char(c) || any_font_has(e, c))
            continue;
        if (++count > 8)
            continue;
        char ch[8] = {0};
        g_unichar_to_utf8(c, ch);
        int w = snprintf(out + n, size - n, "%s\"%s\" (U+%04X, %s)", n ? ", " : "", ch,
                         (unsigned)c, block_name(c));
        if (w < 0 || (size_t)w >= size - n)
            break;
        n += (size_t)w;
    }
    if (count == 0)
        snprintf(out, size, "some characters");
    else if (count > 8 && n + 16 < size)
        snprintf(out + n, size - n, " and %zu more", count - 8);
    return count;
}
