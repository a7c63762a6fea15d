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

int cmd_chart(int argc, char **argv)
{
    enum { O_ID = 256, O_ALL, O_FORMAT, O_WIDTH, O_HEIGHT, O_DPI, O_TRANSPARENT, O_BACKGROUND,
           O_ID_PREFIX, O_PADDING, O_NO_TITLE };
    static const struct option opts[] = {
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
    const char *id = NULL, *out = NULL, *dir = NULL;
    int all = 0, quiet = 0, c;
    brief_export_options opt = {0};
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:d:qh", opts, NULL)) != -1) {
        switch (c) {
        case O_ID: id = optarg; break;
        case O_ALL: all = 1; break;
        case 'o': out = optarg; break;
        case 'd': dir = optarg; break;
        case 'q': quiet = 1; break;
        case O_FORMAT:
            if (!parse_format(optarg, &opt.format)) {
                cli_error("brief chart: --format %s: expected svg, png or pdf", optarg);
                return BRIEF_E_USAGE;
            }
            break;
        case O_WIDTH:
            if (!parse_number("--width", optarg, 20, 1000, " mm", &opt.width_mm))
                return BRIEF_E_USAGE;
            break;
        case O_HEIGHT:
            if (!parse_number("--height", optarg, 20, 1000, " mm", &opt.height_mm))
                return BRIEF_E_USAGE;
            break;
        case O_DPI:
            if (!parse_number("--dpi", optarg, 10, 2400, "", &opt.dpi))
                return BRIEF_E_USAGE;
            break;
        case O_TRANSPARENT: opt.transparent = 1; break;
        case O_BACKGROUND:
            if (!strcmp(optarg, "transparent"))
                opt.transparent = 1;
            else if (!strcmp(optarg, "white"))
                opt.transparent = 0;
            else {
                cli_error("brief chart: --background %s: expected white or transparent", optarg);
                return BRIEF_E_USAGE;
            }
            break;
        case O_ID_PREFIX: opt.id_prefix = optarg; break;
        case O_PADDING:
            if (!parse_number("--padding", optarg, 0, 50, " mm", &opt.padding_mm))
                return BRIEF_E_USAGE;
            break;
        case O_NO_TITLE: opt.no_title = 1; break;
        case 'h': fputs(chart_usage, stdout); return 0;
        default: fputs(chart_usage, stderr); return BRIEF_E_USAGE;
        }
    }
    const char *problem = NULL;
    if (argc - optind != 1)
        problem = argc - optind < 1 ? "no input file" : "one input file at a time";
    else if (all && id)
        problem = "--id and --all exclude each other";
    else if (!all && !id)
        problem = "which chart? give --id ID or --all";
    else if (all && !dir)
        problem = "--all writes one file per chart: give the directory with -d DIR";
    else if (all && out)
        problem = "--all writes one file per chart: use -d DIR, not -o";
    else if (!all && !out && !dir)
        problem = "no output: give -o FILE or -d DIR";
    else if (out && dir)
        problem = "-o and -d exclude each other";
    else if (out && !strcmp(out, "-") && opt.format == BRIEF_FORMAT_AUTO)
        problem = "writing to standard output needs --format";
    if (problem) {
        fprintf(stderr, "brief chart: %s\n%s", problem, chart_usage);
        return BRIEF_E_USAGE;
    }
    if (dir && !cli_make_dir(dir))
        return BRIEF_E_CANTCREAT;
    const char *in = argv[optind];
    brief_diag *d = brief_diag_new();
    brief_doc *doc = brief_doc_load_file(in, d);
    int rc = cli_report(d, quiet);
    brief_diag_free(d);
    if (!doc)
        return rc ? rc : BRIEF_E_DATA;
    brief_engine *engine = cli_engine(false);
    if (!engine) {
        brief_doc_free(doc);
        return BRIEF_E_CONFIG;
    }
    rc = 0;
    const char *ext = ext_of[opt.format == BRIEF_FORMAT_AUTO ? BRIEF_FORMAT_PDF : opt.format];
    if (all) {
        size_t n = brief_doc_chart_count(doc);
        if (n == 0 && !quiet)
            cli_error("%s: warning: the brief has no charts", in);
        for (size_t i = 0; i < n; i++) {
            const char *cid = brief_doc_chart_id(doc, i);
            char *path = join_path(dir, cid, ext);
            /* one prefix for all would give every file the same ids */
            brief_export_options one = opt;
            char *prefix = NULL;
            size_t pl = opt.id_prefix ? strlen(opt.id_prefix) : 0;
            const char *sep = pl && strchr("-_", opt.id_prefix[pl - 1]) ? "" : "-";
            if (opt.id_prefix && asprintf(&prefix, "%s%s%s-", opt.id_prefix, sep, cid) < 0)
                prefix = NULL;
            one.id_prefix = prefix;
            int r = path && (prefix || !opt.id_prefix) ? export_one(engine, doc, in, cid, path, &one, quiet)
                                                       : BRIEF_E_OSERR;
            if (r && !rc)
                rc = r;
            free(prefix);
            free(path);
        }
    } else if (dir) {
        char *path = join_path(dir, id, ext);
        rc = path ? export_one(engine, doc, in, id, path, &opt, quiet) : BRIEF_E_OSERR;
        free(path);
    } else {
        rc = export_one(engine, doc, in, id, out, &opt, quiet);
    }
    brief_engine_free(engine);
    brief_doc_free(doc);
    return rc;
}
