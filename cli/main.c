/*
 * main.c — the brief command-line tool: argument handling and reporting.
 *
 * Takes argv; gives the exit status of sysexits(3) (docs/format.md lists
 * them).  All the work is done by libbrief; this file only parses options,
 * names output files and prints diagnostics, one per line, as
 * "file:line:column: json.path: message".
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
    "usage: brief render IN.json [-o OUT.pdf] [--strict] [--allow-path DIR]\n"
    "       brief render -d OUTDIR IN.json...\n"
    "       brief check IN.json...\n"
    "       brief chart IN.json (--id ID -o OUT.svg|.png|.pdf | --all -d DIR) [options]\n"
    "       brief --help | --version\n";

static const char help_text[] =
    "brief turns a JSON brief (statistics and Chinese text) into a print-ready PDF.\n"
    "\n"
    "Commands:\n"
    "  render IN.json      lay out and write the PDF (default: IN.pdf beside the input;\n"
    "                      '-' reads standard input / writes standard output)\n"
    "    -o, --output FILE   where to write the PDF\n"
    "    -d, --dir DIR       write each input's PDF into DIR (several inputs)\n"
    "    --strict            a character that no font has is an error, not a warning\n"
    "    --allow-path DIR    figures may also read images from DIR\n"
    "    -q, --quiet         print errors only\n"
    "  check IN.json...    validate only; prints every problem found\n"
    "  chart IN.json       export charts as SVG, PNG or PDF (brief chart --help)\n"
    "\n"
    "Exit status: 0 success, 64 usage, 65 bad input data, 66 input missing,\n"
    "70 internal error, 71 out of memory, 73 cannot create output, 74 I/O error,\n"
    "78 fonts unusable.  See brief(1) and docs/format.md.\n";

int cli_report(const brief_diag *d)
{
    char line[4096];
    for (size_t i = 0; i < brief_diag_count(d); i++) {
        brief_error_format(brief_diag_get(d, i), line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
    size_t total = brief_diag_error_count(d), shown = 0;
    for (size_t i = 0; i < brief_diag_count(d); i++)
        shown += brief_diag_get(d, i)->severity == BRIEF_ERROR;
    if (total > shown)
        fprintf(stderr, "brief: %zu more errors not shown\n", total - shown);
    return (int)brief_diag_status(d);
}

brief_engine *cli_engine(void)
{
    brief_diag *d = brief_diag_new();
    brief_engine *e = brief_engine_new(NULL, d);
    cli_report(d);
    brief_diag_free(d);
    return e;
}

/* IN.json -> IN.pdf beside it (in DIR when given). */
static char *default_output(const char *in, const char *dir)
{
    const char *base = strrchr(in, '/') ? strrchr(in, '/') + 1 : in;
    size_t stem = strlen(dir ? base : in);
    const char *src = dir ? base : in;
    const char *dot = strrchr(src, '.');
    if (dot && strcmp(dot, ".json") == 0)
        stem = (size_t)(dot - src);
    size_t n = (dir ? strlen(dir) + 1 : 0) + stem + 5;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s%s%.*s.pdf", dir ? dir : "", dir ? "/" : "", (int)stem, src);
    return out;
}

typedef struct render_args {
    const char *output, *dir;
    char **allow;
    size_t nallow;
    brief_render_options opt;
    int quiet;
} render_args;

static int render_one(brief_engine *engine, const char *in, const render_args *a)
{
    brief_diag *d = brief_diag_new();
    int rc = 0;
    brief_doc *doc = brief_doc_load_file(in, d);
    char *out = NULL;
    if (doc) {
        for (size_t i = 0; i < a->nallow; i++)
            brief_doc_allow_path(doc, a->allow[i]);
        out = a->output ? strdup(a->output)
                        : strcmp(in, "-") == 0 ? strdup("-") : default_output(in, a->dir);
        if (!out)
            rc = BRIEF_E_OSERR;
        else if (brief_render_pdf(engine, doc, out, &a->opt, d) == BRIEF_OK && !a->quiet &&
                 strcmp(out, "-") != 0)
            printf("%s\n", out);
    }
    int st = cli_report(d);
    if (!rc)
        rc = st;
    free(out);
    brief_doc_free(doc);
    brief_diag_free(d);
    return rc;
}

int cmd_render(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'}, {"dir", required_argument, 0, 'd'},
        {"strict", no_argument, 0, 's'},       {"allow-path", required_argument, 0, 'a'},
        {"quiet", no_argument, 0, 'q'},        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    render_args a = {0};
    a.allow = calloc((size_t)argc, sizeof *a.allow);
    int c, rc = 0;
    while (a.allow && (c = getopt_long(argc, argv, "o:d:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': a.output = optarg; break;
        case 'd': a.dir = optarg; break;
        case 's': a.opt.strict = 1; break;
        case 'a': a.allow[a.nallow++] = optarg; break;
        case 'q': a.quiet = 1; break;
        case 'h': fputs(usage_text, stdout); free(a.allow); return 0;
        default: fputs(usage_text, stderr); free(a.allow); return BRIEF_E_USAGE;
        }
    }
    int n = argc - optind;
    if (!a.allow || n < 1 || (n > 1 && a.output) || (a.output && a.dir)) {
        fprintf(stderr, "brief render: %s\n%s",
                n < 1 ? "no input file" : "-o takes one input; use -d DIR for several", usage_text);
        free(a.allow);
        return BRIEF_E_USAGE;
    }
    struct stat st;
    if (a.dir && (stat(a.dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
        fprintf(stderr, "%s: not a directory (expected an existing output directory for -d)\n", a.dir);
        free(a.allow);
        return BRIEF_E_CANTCREAT;
    }
    brief_engine *engine = cli_engine();
    if (!engine) {
        free(a.allow);
        return BRIEF_E_CONFIG;
    }
    for (int i = optind; i < argc; i++) {
        int r = render_one(engine, argv[i], &a);
        if (r && !rc)
            rc = r;
    }
    brief_engine_free(engine);
    free(a.allow);
    return rc;
}

int cmd_check(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "brief check: no input file\n%s", usage_text);
        return BRIEF_E_USAGE;
    }
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        brief_diag *d = brief_diag_new();
        brief_doc *doc = brief_doc_load_file(argv[i], d);
        int r = cli_report(d);
        if (r && !rc)
            rc = r;
        brief_doc_free(doc);
        brief_diag_free(d);
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return BRIEF_E_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage_text, stdout);
        fputs("\n", stdout);
        fputs(help_text, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("brief %s (document format %d)\n", BRIEF_VERSION, BRIEF_FORMAT_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "render"))
        return cmd_render(argc - 1, argv + 1);
    if (!strcmp(cmd, "check"))
        return cmd_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "chart"))
        return cmd_chart(argc - 1, argv + 1);
    fprintf(stderr, "brief: unknown command \"%s\" (expected render, check or chart)\n%s", cmd,
            usage_text);
    return BRIEF_E_USAGE;
}
