/* glyphcheck: render random Chinese documents to PDF with Pango/Cairo, one
 * PDF per (document, face), for a check of the embedded font subsets.
 *
 * cairo 1.16's CFF subsetter can silently break glyphs of a CFF font (the
 * glyph is drawn empty, while pdftotext still returns the character).  This
 * program only writes the PDFs; tests/glyphcheck/run.sh checks them with
 * mutool and pdftotext.
 *
 *   glyphcheck [options] FONTSDIR
 *     -n N      number of documents (default 40)
 *     -s SEED   seed of the generator (default 1)
 *     -f DESC   Pango font description of a face to test; repeatable
 *               (default: the four Brief faces)
 *     -c FILE   code point list, one U+XXXX (or XXXX) per line, '#' comments
 *               (default: the code points every tested face covers)
 *     -m MIN    shortest document in characters (default 5)
 *     -M MAX    longest document in characters (default 1500)
 *     -o DIR    output directory (default: a new directory under $TMPDIR)
 *     -t FILE   render the UTF-8 text of FILE (one document) instead of
 *               random documents
 *     -e        one document per code point of the set, holding just that
 *               character (a glyph alone in its font subset), instead of
 *               random documents
 *
 * Of N random documents, document 1 is always 他们表示，如今 (known_case).
 * Only the fonts in FONTSDIR are visible: a private FcConfig is made current
 * before the Pango font map is created.  For every PDF it writes FILE.pdf,
 * FILE.txt (the text) and FILE.info (pages, glyphs, unknown glyphs, runs set
 * in another face than the one asked for), and prints the PDF's path.
 *
 *   glyphcheck --strip  <IN >OUT
 *     copies UTF-8 text, one character per line, leaving out white space,
 *     control, format and other default-ignorable characters (used to
 *     compare with pdftotext).
 */
#define _POSIX_C_SOURCE 200809L

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN 72.0
#define FONT_SIZE 10.5

static const char *const default_faces[] = {
    "Brief Serif SC", "Brief Serif SC Bold", "Brief Sans SC", "Brief Sans SC Bold",
};

/* Frequent characters: Unihan kFrequency 1 and 2 (Unicode 15.0) that are in the
 * bundled fonts, 470 characters.  Drawn more often, so that short documents look
 * like text (a glyph lost by a subsetter is usually one of a short document). */
static const char common_han[] =
    "一三上下不专且世业东两个中为主久义之乎乐也书买了事二五些交人什今从他代以们件任份"
    "会传似但位住何作你使便保信修候做像元兄先光入全八公六共关兴其再写军凤凰出分则利到"
    "制前力办功加务动化北区十华单南卡即原去参又及友反发取受变口另叫可台号吃各合同名向"
    "吗否吧告员呢呵命和品哈哪啊啦喔喜器四回因国图在地场型城基士声处备外多大天太央失头"
    "奇女她好如始子字学孩它安完定实室家容对将小少就山工差己已市师希带帮常平年应度建开"
    "式引弟张当形影很後得心必快念怎思性怪总您情想意感成我或战所手才打找把投报拿持指换"
    "掉接提支收改放政故教数整文料新方於无日时明星是更曾最月有朋服望期未本权李来板林果"
    "标校样格案档梦次欢歌正此死每比民水求法活流海清湾满点然爱片版物特独王玩现班球理生"
    "用由电男画界留白的目直相看真眼知研破社神科程究空立站章竹笑第等算管类系级组经结给"
    "统美老考者而耶联能脑自至般色花若英著虽行表被装西要见观视觉解言计认讨让议讯记讲许"
    "论设识诉试话该语说请读课谁谢象费资赛走起超跟路身车转较边过运近还这进远连迷选通速"
    "造道那部都重量金钱错长门问间队阿陈除难需非面音题风飞马验高龙";

/* Common Chinese punctuation, drawn more often than the rest. */
static const char common_punct[] =
    "，。、；：？！“”‘’（）《》〈〉「」『』【】—…·－～％";

/* Document 1 of a random run: the text in which cairo 1.16 lost 如 (U+5982)
 * of the system Noto Sans CJK SC (Regular).  Alone or in a short document
 * that glyph is embedded broken; in a long one it survives. */
static const char known_case[] = "他们表示，如今";

/* Characters a renderer inserts although the fonts may not map them. */
static const gunichar specials[] = {0x0020, 0x00A0, 0x2002, 0x2005, 0x200B, 0x2060, 0x3000};

static const char *const features[] = {"fwid", "hwid", "pwid", "palt", "halt"};

/* ---------------------------------------------------------------- PRNG */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static unsigned rng_below(unsigned n) /* 0 .. n-1 */
{
    return (unsigned)(rng_next() % n);
}

/* ---------------------------------------------------------------- helpers */

static void die(const char *fmt, const char *arg)
{
    fprintf(stderr, "glyphcheck: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    exit(2);
}

/* Default_Ignorable_Code_Point characters that are not of category Cf
 * (those are caught by the type): shapers hide them. */
static gboolean other_ignorable(gunichar c)
{
    return c == 0x034F || c == 0x115F || c == 0x1160 || c == 0x17B4 || c == 0x17B5 || (c >= 0x180B && c <= 0x180F) ||
           c == 0x3164 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFFA0 || (c >= 0xE0000 && c <= 0xE0FFF);
}

/* Characters that leave no visible mark: not drawn in documents, left out of
 * the pdftotext comparison. */
static gboolean skipped_char(gunichar c)
{
    if (other_ignorable(c))
        return TRUE;
    switch (g_unichar_type(c)) {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SPACE_SEPARATOR:
        return TRUE;
    default:
        return g_unichar_isspace(c) || c == 0x00AD; /* soft hyphen is Cf, kept explicit */
    }
}

static int strip_mode(void)
{
    GString *in = g_string_new(NULL);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
        g_string_append_len(in, buf, (gssize)n);
    const char *p = in->str, *end = in->str + in->len;
    while (p < end) {
        gunichar c = g_utf8_get_char_validated(p, end - p);
        if (c == (gunichar)-1 || c == (gunichar)-2) { /* invalid byte: show it */
            printf("<invalid %02x>\n", (unsigned char)*p);
            p++;
            continue;
        }
        if (!skipped_char(c)) {
            char u[8];
            int len = g_unichar_to_utf8(c, u);
            u[len] = 0;
            printf("%s\n", u);
        }
        p = g_utf8_next_char(p);
    }
    g_string_free(in, TRUE);
    return ferror(stdout) ? 1 : 0;
}

static char *xml_escape(const char *s)
{
    GString *o = g_string_new(NULL);
    for (; *s; s++) {
        switch (*s) {
        case '&': g_string_append(o, "&amp;"); break;
        case '<': g_string_append(o, "&lt;"); break;
        case '>': g_string_append(o, "&gt;"); break;
        default: g_string_append_c(o, *s);
        }
    }
    return g_string_free(o, FALSE);
}

/* A private fontconfig configuration that knows only FONTSDIR. */
static void use_private_fontconfig(const char *fontsdir, const char *cachedir)
{
    FcConfig *cfg = FcConfigCreate();
    char *esc = xml_escape(cachedir);
    char *xml = g_strdup_printf("<?xml version=\"1.0\"?>\n<fontconfig><cachedir>%s</cachedir></fontconfig>\n", esc);
    if (!cfg || !FcConfigParseAndLoadFromMemory(cfg, (const FcChar8 *)xml, FcTrue))
        die("cannot set up fontconfig (%s)", cachedir);
    if (!FcConfigAppFontAddDir(cfg, (const FcChar8 *)fontsdir))
        die("fontconfig cannot add the font directory %s", fontsdir);
    if (!FcConfigSetCurrent(cfg))
        die("cannot make the fontconfig configuration current (%s)", fontsdir);
    FcConfigDestroy(cfg); /* FcConfigSetCurrent holds a reference */
    g_free(xml);
    g_free(esc);
}

/* The charset fontconfig reports for the best match of a Pango description. */
static FcCharSet *face_charset(const PangoFontDescription *desc, char **file)
{
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)pango_font_description_get_family(desc));
    FcPatternAddInteger(pat, FC_WEIGHT, FcWeightFromOpenType((int)pango_font_description_get_weight(desc)));
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *m = FcFontMatch(NULL, pat, &res);
    FcCharSet *cs = NULL, *copy = NULL;
    FcChar8 *fn = NULL;
    if (m && FcPatternGetCharSet(m, FC_CHARSET, 0, &cs) == FcResultMatch)
        copy = FcCharSetCopy(cs);
    if (m && FcPatternGetString(m, FC_FILE, 0, &fn) == FcResultMatch)
        *file = g_strdup((const char *)fn);
    if (m)
        FcPatternDestroy(m);
    FcPatternDestroy(pat);
    return copy;
}

static GArray *charset_to_array(FcCharSet *cs)
{
    GArray *a = g_array_new(FALSE, FALSE, sizeof(gunichar));
    FcChar32 map[FC_CHARSET_MAP_SIZE], next;
    for (FcChar32 base = FcCharSetFirstPage(cs, map, &next); base != FC_CHARSET_DONE;
         base = FcCharSetNextPage(cs, map, &next)) {
        for (int i = 0; i < FC_CHARSET_MAP_SIZE; i++)
            for (int b = 0; b < 32; b++)
                if (map[i] & (1u << b)) {
                    gunichar c = base + (FcChar32)(i * 32 + b);
                    g_array_append_val(a, c);
                }
    }
    return a;
}

static GArray *read_charlist(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot read %s", path);
    GArray *a = g_array_new(FALSE, FALSE, sizeof(gunichar));
    char line[256];
    while (fgets(line, sizeof line, f)) {
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\n' || *p == 0)
            continue;
        if ((p[0] == 'U' || p[0] == 'u') && p[1] == '+')
            p += 2;
        char *end;
        unsigned long v = strtoul(p, &end, 16);
        if (end == p || v > 0x10FFFF)
            die("bad line in code point list: %s", line);
        gunichar c = (gunichar)v;
        g_array_append_val(a, c);
    }
    fclose(f);
    return a;
}

/* ---------------------------------------------------------------- text */

typedef struct {
    GArray *common, *han, *punct, *alnum, *other;
} Pools;

static void add_listed(GArray *to, const char *list, GHashTable *have)
{
    for (const char *s = list; *s; s = g_utf8_next_char(s)) {
        gunichar c = g_utf8_get_char(s);
        if (g_hash_table_contains(have, GUINT_TO_POINTER(c)))
            g_array_append_val(to, c);
    }
}

static void make_pools(GArray *chars, Pools *p)
{
    p->common = g_array_new(FALSE, FALSE, sizeof(gunichar));
    p->han = g_array_new(FALSE, FALSE, sizeof(gunichar));
    p->punct = g_array_new(FALSE, FALSE, sizeof(gunichar));
    p->alnum = g_array_new(FALSE, FALSE, sizeof(gunichar));
    p->other = g_array_new(FALSE, FALSE, sizeof(gunichar));
    GHashTable *have = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (guint i = 0; i < chars->len; i++)
        g_hash_table_add(have, GUINT_TO_POINTER(g_array_index(chars, gunichar, i)));
    add_listed(p->common, common_han, have);
    add_listed(p->punct, common_punct, have);
    for (guint i = 0; i < chars->len; i++) {
        gunichar c = g_array_index(chars, gunichar, i);
        if (skipped_char(c))
            continue;
        if (g_unichar_get_script(c) == G_UNICODE_SCRIPT_HAN && g_unichar_isalpha(c))
            g_array_append_val(p->han, c);
        else if (c < 0x80 && g_ascii_isalnum((char)c))
            g_array_append_val(p->alnum, c);
        else
            g_array_append_val(p->other, c);
    }
    g_hash_table_destroy(have);
    if (!p->common->len || !p->han->len || !p->punct->len || !p->alnum->len || !p->other->len)
        die("%s", "the code point set lacks Han characters, punctuation, ASCII letters or symbols");
}

static gunichar pick(GArray *a)
{
    return g_array_index(a, gunichar, rng_below(a->len));
}

/* A document of exactly n characters (newlines included): 40 % frequent Han
 * characters, 30 % any Han character of the set, 12 % common punctuation, 8 %
 * Latin words and numbers, 6 % other characters of the set (symbols, kana,
 * Greek, Cyrillic, full-width forms ...), 3.5 % spaces and the invisible or
 * space characters a renderer inserts (U+2002 U+2005 U+200B U+2060 ...). */
static char *make_text(const Pools *p, unsigned n)
{
    GString *s = g_string_new(NULL);
    unsigned i = 0;
    while (i < n) {
        unsigned r = rng_below(1000);
        if (r < 400) {
            g_string_append_unichar(s, pick(p->common));
            i++;
        } else if (r < 700) {
            g_string_append_unichar(s, pick(p->han));
            i++;
        } else if (r < 820) {
            g_string_append_unichar(s, pick(p->punct));
            i++;
        } else if (r < 900) { /* a Latin word or number */
            unsigned len = 1 + rng_below(12);
            for (unsigned k = 0; k < len && i < n; k++, i++)
                g_string_append_unichar(s, pick(p->alnum));
        } else if (r < 960) {
            g_string_append_unichar(s, pick(p->other));
            i++;
        } else if (r < 995) {
            g_string_append_unichar(s, specials[rng_below(G_N_ELEMENTS(specials))]);
            i++;
        } else if (i > 0 && i + 1 < n) {
            g_string_append_c(s, '\n');
            i++;
        }
    }
    return g_string_free(s, FALSE);
}

/* ---------------------------------------------------------------- render */

typedef struct {
    int pages, glyphs, unknown, foreign_runs;
    char foreign[200];
} Stats;

static char *slug(const PangoFontDescription *d)
{
    GString *o = g_string_new(NULL);
    for (const char *s = pango_font_description_get_family(d); *s; s++)
        if (g_ascii_isalnum(*s))
            g_string_append_c(o, *s);
    int w = (int)pango_font_description_get_weight(d);
    if (w == PANGO_WEIGHT_NORMAL)
        g_string_append(o, "-Regular");
    else if (w == PANGO_WEIGHT_BOLD)
        g_string_append(o, "-Bold");
    else
        g_string_append_printf(o, "-W%d", w);
    return g_string_free(o, FALSE);
}

static void check_runs(PangoLayout *layout, const PangoFontDescription *want, Stats *st)
{
    PangoLayoutIter *it = pango_layout_get_iter(layout);
    do {
        PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
        if (!run)
            continue;
        st->glyphs += run->glyphs->num_glyphs;
        PangoFontDescription *got = pango_font_describe(run->item->analysis.font);
        if (g_ascii_strcasecmp(pango_font_description_get_family(got), pango_font_description_get_family(want)) ||
            pango_font_description_get_weight(got) != pango_font_description_get_weight(want)) {
            if (!st->foreign_runs) {
                char *s = pango_font_description_to_string(got);
                g_strlcpy(st->foreign, s, sizeof st->foreign);
                g_free(s);
            }
            st->foreign_runs++;
        }
        pango_font_description_free(got);
    } while (pango_layout_iter_next_run(it));
    pango_layout_iter_free(it);
}

static void add_features(PangoAttrList *attrs, const char *text)
{
    glong nchars = g_utf8_strlen(text, -1);
    unsigned spans = rng_below(6);
    for (unsigned k = 0; k < spans && nchars > 1; k++) {
        glong a = (glong)rng_below((unsigned)nchars), b = a + 1 + (glong)rng_below(40);
        if (b > nchars)
            b = nchars;
        PangoAttribute *at = pango_attr_font_features_new(features[rng_below(G_N_ELEMENTS(features))]);
        at->start_index = (guint)(g_utf8_offset_to_pointer(text, a) - text);
        at->end_index = (guint)(g_utf8_offset_to_pointer(text, b) - text);
        pango_attr_list_insert(attrs, at);
    }
}

static int render(PangoContext *ctx, const PangoFontDescription *desc, const char *text, const char *pdf,
                  PangoAttrList *attrs, Stats *st)
{
    cairo_surface_t *surf = cairo_pdf_surface_create(pdf, PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(surf);
    pango_cairo_update_context(cr, ctx);
    PangoLayout *layout = pango_layout_new(ctx);
    pango_layout_set_font_description(layout, desc);
    pango_layout_set_width(layout, (int)((PAGE_W - 2 * MARGIN) * PANGO_SCALE) + 1);
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_justify(layout, TRUE);
    pango_layout_set_text(layout, text, -1);
    pango_layout_set_attributes(layout, attrs);

    memset(st, 0, sizeof *st);
    st->unknown = pango_layout_get_unknown_glyphs_count(layout);
    check_runs(layout, desc, st);

    double body = PAGE_H - 2 * MARGIN, page_top = 0;
    st->pages = 1;
    PangoLayoutIter *it = pango_layout_get_iter(layout);
    do {
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        double top = (double)logical.y / PANGO_SCALE, bottom = (double)(logical.y + logical.height) / PANGO_SCALE;
        if (bottom - page_top > body && top > page_top) {
            cairo_show_page(cr);
            page_top = top;
            st->pages++;
        }
        double baseline = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
        cairo_move_to(cr, MARGIN + (double)logical.x / PANGO_SCALE, MARGIN + baseline - page_top);
        pango_cairo_show_layout_line(cr, pango_layout_iter_get_line_readonly(it));
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(layout);
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    cairo_status_t status = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    if (status != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "glyphcheck: %s: cairo: %s\n", pdf, cairo_status_to_string(status));
        return -1;
    }
    return 0;
}

static void write_file(const char *path, const char *data)
{
    GError *err = NULL;
    if (!g_file_set_contents(path, data, -1, &err))
        die("%s", err->message);
}

/* ---------------------------------------------------------------- main */

static unsigned parse_uint(const char *s, const char *what)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || end == s || v > 100000000ul)
        die("bad %s", what);
    return (unsigned)v;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: glyphcheck [-n DOCS] [-s SEED] [-f FACE]... [-c CHARLIST] [-m MIN] [-M MAX] [-o DIR]\n"
            "                  [-t TEXTFILE | -e] FONTSDIR\n"
            "       glyphcheck --strip <IN >OUT\n");
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "--strip"))
        return strip_mode();

    unsigned docs = 40, minlen = 5, maxlen = 1500;
    uint64_t seed = 1;
    const char *charlist = NULL, *outdir = NULL, *fontsdir = NULL, *textfile = NULL;
    gboolean each = FALSE;
    GPtrArray *faces = g_ptr_array_new();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-e")) {
            each = TRUE;
        } else if (a[0] == '-' && a[1] && !a[2] && i + 1 < argc) {
            const char *v = argv[++i];
            switch (a[1]) {
            case 'n': docs = parse_uint(v, "-n"); break;
            case 's': seed = parse_uint(v, "-s"); break;
            case 'f': g_ptr_array_add(faces, (gpointer)v); break;
            case 'c': charlist = v; break;
            case 'm': minlen = parse_uint(v, "-m"); break;
            case 'M': maxlen = parse_uint(v, "-M"); break;
            case 'o': outdir = v; break;
            case 't': textfile = v; break;
            default: usage();
            }
        } else if (a[0] != '-' && !fontsdir) {
            fontsdir = a;
        } else {
            usage();
        }
    }
    if (!fontsdir || minlen < 1 || maxlen < minlen)
        usage();
    if (!faces->len)
        for (size_t k = 0; k < G_N_ELEMENTS(default_faces); k++)
            g_ptr_array_add(faces, (gpointer)default_faces[k]);

    char *dir;
    if (outdir) {
        if (g_mkdir_with_parents(outdir, 0755))
            die("cannot create %s", outdir);
        dir = g_strdup(outdir);
    } else {
        dir = g_build_filename(g_get_tmp_dir(), "glyphcheck.XXXXXX", NULL);
        if (!mkdtemp(dir))
            die("cannot create a directory in %s", g_get_tmp_dir());
    }
    char *cachedir = g_build_filename(dir, "fc-cache", NULL);
    use_private_fontconfig(fontsdir, cachedir);

    /* The font map is created after the private configuration is current. */
    PangoFontMap *fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    if (!fm)
        die("%s", "no FreeType font map");
    PangoContext *ctx = pango_font_map_create_context(fm);
    pango_context_set_round_glyph_positions(ctx, FALSE);
    pango_cairo_context_set_resolution(ctx, 72);
    pango_context_set_language(ctx, pango_language_from_string("zh-cn"));

    GPtrArray *descs = g_ptr_array_new();
    FcCharSet *common = NULL;
    for (guint k = 0; k < faces->len; k++) {
        PangoFontDescription *d = pango_font_description_from_string(g_ptr_array_index(faces, k));
        pango_font_description_set_size(d, (gint)(FONT_SIZE * PANGO_SCALE));
        char *file = NULL;
        FcCharSet *cs = face_charset(d, &file);
        PangoFont *f = pango_font_map_load_font(fm, ctx, d);
        PangoFontDescription *got = f ? pango_font_describe(f) : NULL;
        if (!cs || !got || g_ascii_strcasecmp(pango_font_description_get_family(got), pango_font_description_get_family(d)) ||
            pango_font_description_get_weight(got) != pango_font_description_get_weight(d))
            die("face \"%s\" is not in the font directory", (const char *)g_ptr_array_index(faces, k));
        fprintf(stderr, "glyphcheck: face \"%s\" = %s (%d code points)\n", (const char *)g_ptr_array_index(faces, k),
                file, (int)FcCharSetCount(cs));
        if (!common) {
            common = cs;
        } else {
            FcCharSet *x = FcCharSetIntersect(common, cs);
            FcCharSetDestroy(common);
            FcCharSetDestroy(cs);
            common = x;
        }
        pango_font_description_free(got);
        g_object_unref(f);
        g_free(file);
        g_ptr_array_add(descs, d);
    }
    GArray *chars = charlist ? read_charlist(charlist) : charset_to_array(common);
    FcCharSetDestroy(common);
    Pools pools;
    make_pools(chars, &pools);

    char *fixed = NULL;
    if (textfile) {
        GError *err = NULL;
        if (!g_file_get_contents(textfile, &fixed, NULL, &err) || !g_utf8_validate(fixed, -1, NULL))
            die("cannot read UTF-8 text from %s", textfile);
        docs = 1;
    }
    GArray *singles = NULL;
    if (each) {
        singles = g_array_new(FALSE, FALSE, sizeof(gunichar));
        for (guint i = 0; i < chars->len; i++) {
            gunichar c = g_array_index(chars, gunichar, i);
            if (!skipped_char(c))
                g_array_append_val(singles, c);
        }
        docs = singles->len;
    }
    fprintf(stderr, "glyphcheck: %u code points (%u Han), %u documents x %u faces, seed %llu, into %s\n", chars->len,
            pools.han->len, docs, faces->len, (unsigned long long)seed, dir);
    rng_state = seed;
    int failures = 0;
    for (unsigned doc = 1; doc <= docs; doc++) {
        /* Sizes min + (max - min) * u^3, u uniform in [0, 1): short documents
         * are frequent (for 5-1500: 31 % under 50 characters, median 190),
         * as a glyph that a subsetter breaks is mostly lost in a short one. */
        double u = (double)rng_below(1u << 30) / (double)(1u << 30);
        unsigned n = minlen + (unsigned)((double)(maxlen - minlen) * u * u * u + 0.5);
        char *text;
        if (singles) {
            text = g_malloc0(8);
            g_unichar_to_utf8(g_array_index(singles, gunichar, doc - 1), text);
        } else {
            text = fixed ? g_strdup(fixed) : make_text(&pools, n);
        }
        if (!fixed && !singles && doc == 1) {
            g_free(text);
            text = g_strdup(known_case);
        }
        if (fixed || singles || doc == 1)
            n = (unsigned)g_utf8_strlen(text, -1);
        PangoAttrList *attrs = pango_attr_list_new();
        pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
        add_features(attrs, text);
        for (guint k = 0; k < descs->len; k++) {
            const PangoFontDescription *d = g_ptr_array_index(descs, k);
            char *s = slug(d);
            char *base = singles ? g_strdup_printf("%s/U+%04X-%s", dir, g_array_index(singles, gunichar, doc - 1), s)
                                 : g_strdup_printf("%s/doc%03u-%s", dir, doc, s);
            char *pdf = g_strconcat(base, ".pdf", NULL), *txt = g_strconcat(base, ".txt", NULL),
                 *info = g_strconcat(base, ".info", NULL);
            Stats st;
            if (render(ctx, d, text, pdf, attrs, &st))
                failures++;
            write_file(txt, text);
            char *facestr = pango_font_description_to_string(d);
            char *inf = g_strdup_printf("face=%s\nchars=%u\npages=%d\nglyphs=%d\nunknown_glyphs=%d\n"
                                        "foreign_runs=%d\nforeign_face=%s\n",
                                        facestr, n, st.pages, st.glyphs, st.unknown, st.foreign_runs, st.foreign);
            write_file(info, inf);
            printf("%s\n", pdf);
            fflush(stdout);
            g_free(inf);
            g_free(facestr);
            g_free(pdf);
            g_free(txt);
            g_free(info);
            g_free(base);
            g_free(s);
        }
        pango_attr_list_unref(attrs);
        g_free(text);
    }
    for (guint k = 0; k < descs->len; k++)
        pango_font_description_free(g_ptr_array_index(descs, k));
    g_ptr_array_free(descs, TRUE);
    g_ptr_array_free(faces, TRUE);
    g_array_free(chars, TRUE);
    g_array_free(pools.common, TRUE);
    g_array_free(pools.han, TRUE);
    g_array_free(pools.punct, TRUE);
    g_array_free(pools.alnum, TRUE);
    g_array_free(pools.other, TRUE);
    g_free(fixed);
    if (singles)
        g_array_free(singles, TRUE);
    g_object_unref(ctx);
    g_object_unref(fm);
    g_free(cachedir);
    g_free(dir);
    return failures ? 1 : 0;
}
