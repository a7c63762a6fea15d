/*
 * cmd_chart.c — `brief chart`: export one chart or all charts of a brief
 * as SVG, PNG or PDF.
 *
 * Takes the arguments after "chart"; gives the sysexits status.  The work
 * is brief_chart_export's; this file parses options and names files
 * (DIR/ID.EXT with --all).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"

static const char chart_usage[] =
    "usage: brief chart IN.json --id ID -o OUT.svg|OUT.png|OUT.pdf [options]\n"
    "       brief chart IN.json --all -d DIR [--format svg|png|pdf] [options]\n"
    "options:\n"
    "  --id ID             the chart to export (its \"id\")\n"
    "  --all               every chart, one file per chart named ID.EXT\n"
    "  -o, --output FILE   output file ('-' for standard output, with --format)\n"
    "  -d, --dir DIR       output directory (with --all, or instead of -o)\n"
    "  --format F          svg, png or pdf (default: from -o's extension; pdf for -d)\n"
    "  --width MM          width in mm (default: the chart's \"width\", else the page's text width)\n"
    "  --height MM         height in mm (default: the chart's \"height\", else what it needs)\n"
    "  --dpi N             PNG resolution (default 150)\n"
    "  --transparent       no white background (same as --background transparent)\n"
    "  --background B      white (default) or transparent\n"
    "  --id-prefix P       SVG: start every id with P (with --all: P, then the chart id);\n"
    "                      default: the chart id and a hash, unique to each export\n"
    "  --padding MM        blank margin on every side, within the width (default 0)\n"
    "  --no-title          leave out title, subtitle and note (the document has a caption)\n"
    "  -q, --quiet         print errors only\n";

static const char *const ext_of[] = {"pdf", "pdf", "svg", "png"};

static bool parse_format(const char *s, brief_format *f)
{
    if (!strcasecmp(s, "pdf")) *f = BRIEF_FORMAT_PDF;
    else if (!strcasecmp(s, "svg")) *f = BRIEF_FORMAT_SVG;
    else if (!strcasecmp(s, "png")) *f = BRIEF_FORMAT_PNG;
    else return false;
    return true;
}

static bool parse_number(const char *opt, const char *s, double lo, double hi, const char *unit,
                         double *out)
{
    char *end = NULL;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end != '\0' || errno || !isfinite(x) || x < lo || x > hi) {
        cli_error("brief chart: %s %s: expected a number from %g to %g%s", opt, s, lo, hi, unit);
        return false;
    }
    *out = x;
    return true;
}

static int export_one(brief_engine *engine, const brief_doc *doc, const char *in, const char *id,
                      const char *out, const brief_export_options *opt, int quiet)
{
    if (cli_same_file(in, out)) {
        cli_error("%s: the output would overwrite the input (choose another -o or -d)", out);
        return BRIEF_E_CANTCREAT;
    }
    brief_diag *d = brief_diag_new();
    int rc = 0;
    brief_chart *c = brief_chart_new(engine, doc, id, d);
    if (c && brief_chart_export(c, out, opt, d) == BRIEF_OK && !quiet && strcmp(out, "-") != 0)
        cli_say("%s", out);
    rc = cli_report(d, quiet);
    if (!rc && !c)
        rc = BRIEF_E_USAGE;
    brief_chart_free(c);
    brief_diag_free(d);
    return rc;
}

static char *join_path(const char *dir, const char *id, const char *ext)
{
    size_t n = strlen(dir) + strlen(id) + strlen(ext) + 3;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s%s.%s", dir, (*dir && dir[strlen(dir) - 1] == '/') ? "" : "/", id, ext);
    return p;
}

/* What the command line asks for. */
typedef struct chart_args {
    const char *in, *id, *out, *dir;
    int all, quiet;
    brief_export_options opt;
} chart_args;

enum { O_ID = 256, O_ALL, O_FORMAT, O_WIDTH, O_HEIGHT, O_DPI, O_TRANSPARENT, O_BACKGROUND,
       O_ID_PREFIX, O_PADDING, O_NO_TITLE };

static const struct option chart_opts[] = {
    {"id", required_argument, 0, O_ID},
    {"all", no_argument, 0, O_ALL},
    {"output", required_argument, 0, 'o'},
    {"dir", required_argument, 0, 'd'},
    {"format", required_argument, 0, O_FORMAT},
    {"width", required_argument, 0, O_WIDTH},
    {"height", required_argument, 0, O_HEIGHT},
    {"dpi", required_argument, 0, O_DPI},
    {"transparent", no_argument, 0, O_TRANSPARENT},
    {"background", required_argument, 0, O_BACKGROUND},
    {"id-prefix", required_argument, 0, O_ID_PREFIX},
    {"padding", required_argument, 0, O_PADDING},
    {"no-title", no_argument, 0, O_NO_TITLE},
    {"quiet", no_argument, 0, 'q'},
    {"help", no_argument, 0, 'h'},
    {0, 0, 0, 0},
};

static bool parse_background(const char *s, int *transparent)
{
    if (!strcmp(s, "transparent"))
        *transparent = 1;
    else if (!strcmp(s, "white"))
        *transparent = 0;
    else {
        cli_error("brief chart: --background %s: expected white or transparent", s);
        return false;
    }
    return true;
}

/* One option that sets an export option; false after reporting a bad value. */
static bool parse_export_option(int c, const char *arg, brief_export_options *opt)
{
    switch (c) {
    case O_FORMAT:
        if (!parse_format(arg, &opt->format)) {
            cli_error("brief chart: --format %s: expected svg, png or pdf", arg);
            return false;
        }
        return true;
    case O_WIDTH: return parse_number("--width", arg, 20, 1000, " mm", &opt->width_mm);
    case O_HEIGHT: return parse_number("--height", arg, 20, 1000, " mm", &opt->height_mm);
    case O_DPI: return parse_number("--dpi", arg, 10, 2400, "", &opt->dpi);
    case O_TRANSPARENT: opt->transparent = 1; return true;
    case O_BACKGROUND: return parse_background(arg, &opt->transparent);
    case O_ID_PREFIX: opt->id_prefix = arg; return true;
    case O_PADDING: return parse_number("--padding", arg, 0, 50, " mm", &opt->padding_mm);
    case O_NO_TITLE: opt->no_title = 1; return true;
    default: return true;
    }
}

/* The options into a; -1 to go on, else the status to exit with (0 after --help). */
static int parse_chart_options(int argc, char **argv, chart_args *a)
{
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:d:qh", chart_opts, NULL)) != -1) {
        switch (c) {
        case O_ID: a->id = optarg; break;
        case O_ALL: a->all = 1; break;
        case 'o': a->out = optarg; break;
        case 'd': a->dir = optarg; break;
        case 'q': a->quiet = 1; break;
        case 'h': fputs(chart_usage, stdout); return 0;
        case O_FORMAT: case O_WIDTH: case O_HEIGHT: case O_DPI: case O_TRANSPARENT:
        case O_BACKGROUND: case O_ID_PREFIX: case O_PADDING: case O_NO_TITLE:
            if (!parse_export_option(c, optarg, &a->opt))
                return BRIEF_E_USAGE;
            break;
        default: fputs(chart_usage, stderr); return BRIEF_E_USAGE;
        }
    }
    return -1;
}

/* What is wrong with the combination of arguments, or NULL. */
static const char *usage_problem(int argc, const chart_args *a)
{
    if (argc - optind != 1)
        return argc - optind < 1 ? "no input file" : "one input file at a time";
    if (a->all && a->id)
        return "--id and --all exclude each other";
    if (!a->all && !a->id)
        return "which chart? give --id ID or --all";
    if (a->all && !a->dir)
        return "--all writes one file per chart: give the directory with -d DIR";
    if (a->all && a->out)
        return "--all writes one file per chart: use -d DIR, not -o";
    if (!a->all && !a->out && !a->dir)
        return "no output: give -o FILE or -d DIR";
    if (a->out && a->dir)
        return "-o and -d exclude each other";
    if (a->out && !strcmp(a->out, "-") && a->opt.format == BRIEF_FORMAT_AUTO)
        return "writing to standard output needs --format";
    return NULL;
}

/* With --all, PREFIX then the chart id: one prefix for all would give
 * every file the same ids.  *prefix is NULL when no prefix was given. */
static bool chart_id_prefix(const char *given, const char *cid, char **prefix)
{
    *prefix = NULL;
    if (!given)
        return true;
    size_t pl = strlen(given);
    const char *sep = pl && strchr("-_", given[pl - 1]) ? "" : "-";
    if (asprintf(prefix, "%s%s%s-", given, sep, cid) < 0) {
        *prefix = NULL;
        return false;
    }
    return true;
}

/* --all: every chart into DIR/ID.EXT; the first failure's status. */
static int export_all(brief_engine *engine, const brief_doc *doc, const chart_args *a,
                      const char *ext)
{
    int rc = 0;
    size_t n = brief_doc_chart_count(doc);
    if (n == 0 && !a->quiet)
        cli_error("%s: warning: the brief has no charts", a->in);
    for (size_t i = 0; i < n; i++) {
        const char *cid = brief_doc_chart_id(doc, i);
        char *path = join_path(a->dir, cid, ext);
        brief_export_options one = a->opt;
        char *prefix;
        bool have_prefix = chart_id_prefix(a->opt.id_prefix, cid, &prefix);
        one.id_prefix = prefix;
        int r = path && have_prefix ? export_one(engine, doc, a->in, cid, path, &one, a->quiet)
                                    : BRIEF_E_OSERR;
        if (r && !rc)
            rc = r;
        free(prefix);
        free(path);
    }
    return rc;
}

/* --id: the one chart into -o FILE or DIR/ID.EXT. */
static int export_by_id(brief_engine *engine, const brief_doc *doc, const chart_args *a,
                        const char *ext)
{
    if (!a->dir)
        return export_one(engine, doc, a->in, a->id, a->out, &a->opt, a->quiet);
    char *path = join_path(a->dir, a->id, ext);
    int rc = path ? export_one(engine, doc, a->in, a->id, path, &a->opt, a->quiet) : BRIEF_E_OSERR;
    free(path);
    return rc;
}

/* Loads the brief and exports what a asks for. */
static int run_chart(const chart_args *a)
{
    brief_diag *d = brief_diag_new();
    brief_doc *doc = brief_doc_load_file(a->in, d);
    int rc = cli_report(d, a->quiet);
    brief_diag_free(d);
    if (!doc)
        return rc ? rc : BRIEF_E_DATA;
    brief_engine *engine = cli_engine(false);
    if (!engine) {
        brief_doc_free(doc);
        return BRIEF_E_CONFIG;
    }
    brief_format f = a->opt.format == BRIEF_FORMAT_AUTO ? BRIEF_FORMAT_PDF : a->opt.format;
    const char *ext = ext_of[f];
    rc = a->all ? export_all(engine, doc, a, ext) : export_by_id(engine, doc, a, ext);
    brief_engine_free(engine);
    brief_doc_free(doc);
    return rc;
}

int cmd_chart(int argc, char **argv)
{
    chart_args a = {0};
    int rc = parse_chart_options(argc, argv, &a);
    if (rc >= 0)
        return rc;
    const char *problem = usage_problem(argc, &a);
    if (problem) {
        fprintf(stderr, "brief chart: %s\n%s", problem, chart_usage);
        return BRIEF_E_USAGE;
    }
    if (a.dir && !cli_make_dir(a.dir))
        return BRIEF_E_CANTCREAT;
    a.in = argv[optind];
    return run_chart(&a);
}
