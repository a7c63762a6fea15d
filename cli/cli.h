/* cli.h — the subcommands of the brief command-line tool. */
#ifndef BRIEF_CLI_H
#define BRIEF_CLI_H

#include <stdbool.h>
#include "brief.h"

/* Each takes the arguments after the subcommand name (argv[0] is the
 * subcommand) and returns the process exit status (sysexits values). */
int cmd_render(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_chart(int argc, char **argv);

/* Prints the diagnostics of d to stderr, one per line (only the errors when
 * quiet); returns the exit status it implies. */
int cli_report(const brief_diag *d, int quiet);
/* Prints one line to stderr (to stdout: cli_say) with every character that
 * could act on a terminal escaped, as diagnostics are (diag_escape). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Creates DIR and its missing parents (as mkdir -p); false with a message
 * naming what failed. */
bool cli_make_dir(const char *dir);
/* True when a and b name the same existing file (device and inode). */
bool cli_same_file(const char *a, const char *b);
/* An engine with the default options (with strict_fonts: a broken bundled
 * font is an error, for render --strict); reports failures itself. */
brief_engine *cli_engine(bool strict_fonts);

#endif
