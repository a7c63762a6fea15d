/* cli.h — the subcommands of the brief command-line tool. */
#ifndef BRIEF_CLI_H
#define BRIEF_CLI_H

#include "brief.h"

/* Each takes the arguments after the subcommand name (argv[0] is the
 * subcommand) and returns the process exit status (sysexits values). */
int cmd_render(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_chart(int argc, char **argv);

/* Prints every diagnostic of d to stderr, one per line; returns the exit
 * status it implies. */
int cli_report(const brief_diag *d);
/* An engine with the default options; reports failures itself. */
brief_engine *cli_engine(void);

#endif
