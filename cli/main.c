/*
 * main.c — the brief command-line tool: argument handling and reporting.
 *
 * Takes argv; gives the exit status of sysexits(3) (docs/format.md lists
 * them).  All the work is done by libbrief; this file only parses options,
 * names output files and prints diagnostics, one per line, as
 * "file:line:column: json.path: message".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdatomic.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "util/diag.h"

static const char usage_text[] =
    "usage: brief render IN.json [-o OUT.pdf] [--strict] [--allow-path DIR]\n"
    "                    [--data NAME=FILE] [--var NAME=VALUE]\n"
    "       brief render -d OUTDIR [-j N] IN.json...\n"
    "       brief check [-q] [--data NAME=FILE] [--var NAME=VALUE] IN.json...\n"
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
    "    -j, --jobs N        N worker processes for several inputs (default 1)\n"
    "    --strict            a character that no font has (in any text), or a broken\n"
    "                        bundled font, is an error, not a warning\n"
    "    --allow-path DIR    images and CSV files may also come from DIR\n"
    "    --data NAME=FILE    replace dataset NAME with FILE (.csv, or .json holding one\n"
    "                        dataset): re-issue a brief with new figures\n"
    "    --var NAME=VALUE    set variable NAME ({var.NAME} in text) to VALUE\n"
    "    -q, --quiet         print errors only (and warnings about the installation)\n"
    "  check IN.json...    validate and lay out (no output); prints every problem found\n"
    "                      (-q: errors only; --data, --var and --allow-path as for render)\n"
    "  chart IN.json       export charts as SVG, PNG or PDF (brief chart --help)\n"
    "\n"
    "Exit status: 0 success, 64 usage, 65 bad input data, 66 input missing,\n"
    "70 internal error, 71 out of memory, 73 cannot create output, 74 I/O error,\n"
    "78 fonts unusable.  See brief(1) and docs/format.md.\n";

int cli_report(const brief_diag *d, int quiet)
{
    char line[4096];
    for (size_t i = 0; i < brief_diag_count(d); i++) {
        const brief_error *e = brief_diag_get(d, i);
        if (quiet && e->severity != BRIEF_ERROR)
            continue;
        /* Stored diagnostics are escaped already (diag.c); the formatter
         * cuts an overlong line between characters. */
        brief_error_format(e, line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
    size_t total = brief_diag_error_count(d), shown = 0;
    for (size_t i = 0; i < brief_diag_count(d); i++)
        shown += brief_diag_get(d, i)->severity == BRIEF_ERROR;
    if (total > shown)
        fprintf(stderr, "brief: %zu more errors not shown\n", total - shown);
    return (int)brief_diag_status(d);
}

static void print_escaped(FILE *f, const char *fmt, va_list ap)
{
    char raw[4096], line[4096];
    int r = vsnprintf(raw, sizeof raw, fmt, ap);
    size_t n = r < 0 ? 0 : (size_t)r < sizeof raw ? (size_t)r : sizeof raw - 1;
    diag_escape(line, sizeof line, raw, n);
    fprintf(f, "%s\n", line);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_escaped(stderr, fmt, ap);
    va_end(ap);
}

void cli_say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_escaped(stdout, fmt, ap);
    va_end(ap);
}

bool cli_make_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return true;
        cli_error("%s: not a directory (expected an output directory for -d)", dir);
        return false;
    }
    char *p = strdup(dir);
    if (!p) {
        cli_error("brief: out of memory while creating %s", dir);
        return false;
    }
    /* Each missing component in turn, as mkdir -p. */
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char keep = *s;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            cli_error("%s: cannot create directory %s: %s", dir, p, strerror(errno));
            free(p);
            return false;
        }
        if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
            cli_error("%s: cannot create directory: %s is not a directory", dir, p);
            free(p);
            return false;
        }
        if (keep == '\0')
            break;
        *s = keep;
    }
    free(p);
    return true;
}

bool cli_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return a && b && strcmp(a, "-") != 0 && strcmp(b, "-") != 0 && stat(a, &sa) == 0 &&
           stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

brief_engine *cli_engine(bool strict_fonts)
{
    brief_diag *d = brief_diag_new();
    /* The tool draws text only through its engines: no need for the
     * system fontconfig set-up that Pango would otherwise load. */
    brief_fontconfig_skip_system();
    brief_engine_options o = {.strict_fonts = strict_fonts};
    brief_engine *e = brief_engine_new(&o, d);
    /* Shown even with -q: a warning here (missing or broken fonts) is about
     * the installation and changes every brief's output. */
    cli_report(d, 0);
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

/* --allow-path, --data and --var, for render and check alike. */
typedef struct load_args {
    const char **allow, **data_names, **data_files, **var_names, **var_values;
    brief_load_options opt;
} load_args;

static bool load_args_init(load_args *l, int argc)
{
    memset(l, 0, sizeof *l);
    size_t n = (size_t)argc + 1;
    l->allow = calloc(n, sizeof *l->allow);
    l->data_names = calloc(n, sizeof *l->data_names);
    l->data_files = calloc(n, sizeof *l->data_files);
    l->var_names = calloc(n, sizeof *l->var_names);
    l->var_values = calloc(n, sizeof *l->var_values);
    l->opt.allow_paths = l->allow;
    l->opt.data_names = l->data_names;
    l->opt.data_files = l->data_files;
    l->opt.var_names = l->var_names;
    l->opt.var_values = l->var_values;
    return l->allow && l->data_names && l->data_files && l->var_names && l->var_values;
}

static void load_args_free(load_args *l)
{
    free(l->allow);
    free(l->data_names);
    free(l->data_files);
    free(l->var_names);
    free(l->var_values);
}

/* NAME=VALUE split at the first '=' (argv is ours to cut). */
static bool split_assignment(const char *cmd, const char *opt, char *arg, const char **name,
                             const char **value)
{
    char *eq = strchr(arg, '=');
    if (!eq || eq == arg) {
        cli_error("brief %s: --%s %s: expected NAME=%s", cmd, opt, arg,
                  strcmp(opt, "data") == 0 ? "FILE" : "VALUE");
        return false;
    }
    *eq = '\0';
    *name = arg;
    *value = eq + 1;
    return true;
}

/* Handles option c of the shared ones; false with a message when wrong. */
static bool load_arg(load_args *l, const char *cmd, int c, char *arg)
{
    switch (c) {
    case 'a':
        l->allow[l->opt.nallow_paths++] = arg;
        return true;
    case 'D':
        return split_assignment(cmd, "data", arg, &l->data_names[l->opt.ndata],
                                &l->data_files[l->opt.ndata]) && ++l->opt.ndata;
    default:
        return split_assignment(cmd, "var", arg, &l->var_names[l->opt.nvars],
                                &l->var_values[l->opt.nvars]) && ++l->opt.nvars;
    }
}

typedef struct render_args {
    const char *output, *dir;
    load_args load;
    brief_render_options opt;
    int quiet;
    int jobs;        /* worker processes (-j) */
    int progress;    /* several inputs and stderr is a terminal: "[n/N] file" */
} render_args;

/* Erases the progress line so that a diagnostic starts on a clean line. */
static void progress_clear(const render_args *a)
{
    if (a->progress)
        fputs("\r\033[K", stderr);
}

static void progress_show(const render_args *a, int done, int total, const char *file)
{
    if (a->progress) {
        char name[1024];
        diag_escape(name, sizeof name, file, strlen(file));
        fprintf(stderr, "\r\033[K[%d/%d] %s", done, total, name);
        fflush(stderr);
    }
}

static int render_one(brief_engine *engine, const char *in, const render_args *a)
{
    brief_diag *d = brief_diag_new();
    int rc = 0;
    brief_doc *doc = brief_doc_load_file_with(in, &a->load.opt, d);
    char *out = NULL;
    if (doc) {
        out = a->output ? strdup(a->output)
                        : strcmp(in, "-") == 0 ? strdup("-") : default_output(in, a->dir);
        if (!out)
            rc = BRIEF_E_OSERR;
        else if (brief_render_pdf(engine, doc, out, &a->opt, d) == BRIEF_OK && !a->quiet &&
                 !a->progress && strcmp(out, "-") != 0)
            cli_say("%s", out);
    }
    if (brief_diag_count(d) > 0)
        progress_clear(a);
    int st = cli_report(d, a->quiet);
    if (!rc)
        rc = st;
    free(out);
    brief_doc_free(doc);
    brief_diag_free(d);
    return rc;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The status of the first input (in argument order) that failed. */
static int first_failure(const int *rcs, int n, int *nfailed)
{
    int rc = 0;
    *nfailed = 0;
    for (int i = 0; i < n; i++) {
        if (rcs[i] && !rc)
            rc = rcs[i];
        *nfailed += rcs[i] != 0;
    }
    return rc;
}

/* Every input in this process, one engine for all. */
static int render_sequential(char **in, int n, const render_args *a, int *rcs)
{
    brief_engine *engine = cli_engine(a->opt.strict);
    if (!engine)
        return BRIEF_E_CONFIG;
    for (int i = 0; i < n; i++) {
        progress_show(a, i + 1, n, in[i]);
        rcs[i] = render_one(engine, in[i], a);
    }
    brief_engine_free(engine);
    return 0;
}

/* Shared between the workers: the next input to take. */
typedef struct work_queue {
    atomic_int next;
} work_queue;

/* One worker: its own engine (fonts and font maps are loaded once per
 * worker), takes inputs from the queue and reports "index status" records
 * on fd; each record is one write of less than PIPE_BUF, so atomic. */
static void worker(work_queue *q, char **in, int n, const render_args *a, int fd)
{
    brief_engine *engine = cli_engine(a->opt.strict);
    int i;
    while ((i = atomic_fetch_add(&q->next, 1)) < n) {
        int rec[2] = {i, engine ? render_one(engine, in[i], a) : BRIEF_E_CONFIG};
        fflush(NULL);
        if (write(fd, rec, sizeof rec) != (ssize_t)sizeof rec)
            break;
    }
    brief_engine_free(engine);
    fflush(NULL);
}

/* -j N: N forked workers, each with its own engine (Pango and fontconfig
 * objects are not shared between threads or processes). */
static int render_parallel(char **in, int n, const render_args *a, int *rcs)
{
    int fds[2];
    work_queue *q = mmap(NULL, sizeof *q, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (q == MAP_FAILED || pipe(fds) != 0) {
        perror("brief render");
        return BRIEF_E_OSERR;
    }
    atomic_init(&q->next, 0);
    fflush(NULL);
    int started = 0;
    for (int w = 0; w < a->jobs; w++) {
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            worker(q, in, n, a, fds[1]);
            _exit(0);
        }
        started += pid > 0;
    }
    close(fds[1]);
    int rec[2], done = 0;
    for (int i = 0; i < n; i++)
        rcs[i] = BRIEF_E_SOFTWARE;     /* until a worker reports it */
    while (started > 0 && read(fds[0], rec, sizeof rec) == (ssize_t)sizeof rec) {
        if (rec[0] >= 0 && rec[0] < n) {
            rcs[rec[0]] = rec[1];
            progress_show(a, ++done, n, in[rec[0]]);
        }
    }
    close(fds[0]);
    while (wait(NULL) > 0 || errno == EINTR)
        ;
    munmap(q, sizeof *q);
    if (started == 0) {
        perror("brief render: fork");
        return BRIEF_E_OSERR;
    }
    return 0;
}

static void summary(const render_args *a, int n, int nfailed, double seconds)
{
    progress_clear(a);
    if (n > 1 && !a->quiet)
        fprintf(stderr, "rendered %d briefs in %.2f s (%.0f ms each), %d failed\n", n - nfailed,
                seconds, seconds * 1e3 / n, nfailed);
}

/* Where an output lands, for comparing two of them: the real directory
 * and the file name (the file need not exist yet). */
static char *landing_place(const char *out)
{
    char *d = strdup(out), *b = strdup(out);
    char *real = d && b ? realpath(dirname(d), NULL) : NULL;
    char *key = NULL;
    const char *base = b ? basename(b) : "";
    if (real && asprintf(&key, "%s/%s", real, base) < 0)
        key = NULL;
    if (!real && d && b)
        key = strdup(out);
    free(real);
    free(d);
    free(b);
    return key;
}

typedef struct landing {
    char *key;
    int input;
} landing;

static int by_key(const void *a, const void *b)
{
    const landing *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : x->input - y->input;
}

/* Two inputs that would write the same file: the second would silently
 * replace the first (in any order with -j), so the batch is refused. */
static int refuse_shared_outputs(char **in, int n, const render_args *a)
{
    landing *l = calloc((size_t)n, sizeof *l);
    int m = 0, rc = 0;
    for (int i = 0; l && i < n && !rc; i++) {
        if (strcmp(in[i], "-") == 0)
            continue;
        char *out = default_output(in[i], a->dir);
        l[m].key = out ? landing_place(out) : NULL;
        l[m].input = i;
        if (!l[m++].key)
            rc = BRIEF_E_OSERR;
        free(out);
    }
    if (!l || rc) {
        cli_error("brief render: out of memory while naming the outputs");
        rc = BRIEF_E_OSERR;
    } else {
        qsort(l, (size_t)m, sizeof *l, by_key);
        for (int i = 1; i < m; i++)
            if (strcmp(l[i - 1].key, l[i].key) == 0) {
                char *out = default_output(in[l[i].input], a->dir);
                cli_error("brief render: %s and %s would both be written to %s (rename one, or "
                          "render them into different directories)", in[l[i - 1].input],
                          in[l[i].input], out ? out : l[i].key);
                free(out);
                rc = BRIEF_E_USAGE;
            }
    }
    for (int i = 0; l && i < m; i++)
        free(l[i].key);
    free(l);
    return rc;
}

static int render_all(char **in, int n, render_args *a)
{
    if (n > 1) {
        int rc = refuse_shared_outputs(in, n, a);
        if (rc)
            return rc;
    }
    int *rcs = calloc((size_t)n, sizeof *rcs);
    if (!rcs)
        return BRIEF_E_OSERR;
    a->progress = n > 1 && isatty(STDERR_FILENO);
    if (a->jobs > n)
        a->jobs = n;
    double t0 = now_s();
    int rc = a->jobs > 1 ? render_parallel(in, n, a, rcs) : render_sequential(in, n, a, rcs);
    int nfailed = 0;
    if (!rc) {
        rc = first_failure(rcs, n, &nfailed);
        summary(a, n, nfailed, now_s() - t0);
    }
    free(rcs);
    return rc;
}

/* Parses "-j N"; 0 when N is not a number from 1 to 256. */
static int parse_jobs(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    return (*s && !*end && v >= 1 && v <= 256) ? (int)v : 0;
}

int cmd_render(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'}, {"dir", required_argument, 0, 'd'},
        {"strict", no_argument, 0, 's'},       {"allow-path", required_argument, 0, 'a'},
        {"quiet", no_argument, 0, 'q'},        {"help", no_argument, 0, 'h'},
        {"jobs", required_argument, 0, 'j'},   {"data", required_argument, 0, 'D'},
        {"var", required_argument, 0, 'V'},    {0, 0, 0, 0},
    };
    render_args a = {.jobs = 1};
    bool ok = load_args_init(&a.load, argc);
    int c;
    while (ok && (c = getopt_long(argc, argv, "o:d:j:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': a.output = optarg; break;
        case 'd': a.dir = optarg; break;
        case 's': a.opt.strict = 1; break;
        case 'a': case 'D': case 'V':
            if (!load_arg(&a.load, "render", c, optarg)) {
                load_args_free(&a.load);
                return BRIEF_E_USAGE;
            }
            break;
        case 'q': a.quiet = 1; break;
        case 'j':
            if ((a.jobs = parse_jobs(optarg)) == 0) {
                cli_error("brief render: -j %s: expected a number of workers from 1 to 256", optarg);
                load_args_free(&a.load);
                return BRIEF_E_USAGE;
            }
            break;
        case 'h': fputs(usage_text, stdout); load_args_free(&a.load); return 0;
        default: fputs(usage_text, stderr); load_args_free(&a.load); return BRIEF_E_USAGE;
        }
    }
    if (!ok) {
        cli_error("brief render: out of memory while reading the options");
        load_args_free(&a.load);
        return BRIEF_E_OSERR;
    }
    int n = argc - optind;
    if (n < 1 || (n > 1 && a.output) || (a.output && a.dir)) {
        fprintf(stderr, "brief render: %s\n%s",
                n < 1 ? "no input file" : "-o takes one input; use -d DIR for several", usage_text);
        load_args_free(&a.load);
        return BRIEF_E_USAGE;
    }
    if (a.dir && !cli_make_dir(a.dir)) {
        load_args_free(&a.load);
        return BRIEF_E_CANTCREAT;
    }
    int rc = render_all(argv + optind, n, &a);
    load_args_free(&a.load);
    return rc;
}

int cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, 0, 'h'},         {"quiet", no_argument, 0, 'q'},
        {"data", required_argument, 0, 'D'},   {"var", required_argument, 0, 'V'},
        {"allow-path", required_argument, 0, 'a'}, {0, 0, 0, 0},
    };
    int quiet = 0, c;
    load_args l;
    if (!load_args_init(&l, argc)) {
        load_args_free(&l);
        cli_error("brief check: out of memory while reading the options");
        return BRIEF_E_OSERR;
    }
    while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        switch (c) {
        case 'q': quiet = 1; break;
        case 'a': case 'D': case 'V':
            if (!load_arg(&l, "check", c, optarg)) {
                load_args_free(&l);
                return BRIEF_E_USAGE;
            }
            break;
        case 'h': fputs(usage_text, stdout); load_args_free(&l); return 0;
        default: fputs(usage_text, stderr); load_args_free(&l); return BRIEF_E_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "brief check: no input file\n%s", usage_text);
        load_args_free(&l);
        return BRIEF_E_USAGE;
    }
    int rc = 0;
    brief_engine *engine = NULL;
    for (int i = optind; i < argc; i++) {
        brief_diag *d = brief_diag_new();
        brief_doc *doc = brief_doc_load_file_with(argv[i], &l.opt, d);
        /* A valid brief is laid out too (fonts, no drawing): what render
         * would refuse — a table too wide even at 7.5 pt — is found here. */
        if (doc && !engine)
            engine = cli_engine(false);
        if (doc && engine)
            brief_doc_check_layout(engine, doc, NULL, d);
        int r = cli_report(d, quiet);
        if (doc && !engine && !r)
            r = BRIEF_E_CONFIG;
        if (r && !rc)
            rc = r;
        brief_doc_free(doc);
        brief_diag_free(d);
    }
    brief_engine_free(engine);
    load_args_free(&l);
    return rc;
}

/* cairo copies each embedded font's whole CFF table (about 3 MB) into a
 * fresh buffer.  Served by mmap, every copy faults in 700 new pages and is
 * unmapped again; from the heap, the second face and every later brief of a
 * batch reuse pages already mapped. */
static void keep_large_buffers(void)
{
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
}

int main(int argc, char **argv)
{
    keep_large_buffers();
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
    cli_error("brief: unknown command \"%s\" (expected render, check or chart)", cmd);
    fputs(usage_text, stderr);
    return BRIEF_E_USAGE;
}
