/*
 * cli.h: the subcommands. Each takes argc/argv starting at its own name and
 * returns the process exit status: 0 success, 1 problems in the input
 * (diagnostics printed), 2 wrong usage.
 */
#ifndef PK_CLI_CLI_H
#define PK_CLI_CLI_H

#define PK_VERSION "0.1.0"

int pk_cli_build(int argc, char **argv);
int pk_cli_check(int argc, char **argv);
int pk_cli_review(int argc, char **argv);
int pk_cli_tmpl(int argc, char **argv);

#endif
