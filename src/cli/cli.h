/* The command-line front end: one function per command (commands.def), shared helpers for
 * options, the store, the question bank and printing diagnostics.
 *
 * Commands return a process exit status: 0 success, 1 failure, 2 bad usage or bad input. */
#ifndef YJ_CLI_CLI_H
#define YJ_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "assess/assess.h"
#include "base/buf.h"
#include "base/err.h"
#include "store/store.h"

enum { YJ_EXIT_OK = 0, YJ_EXIT_FAIL = 1, YJ_EXIT_USAGE = 2 };

struct yj_cli {
    const char *data_dir; /* --data, $YOJIN_DATA, or the default */
    enum yj_lang lang;
    FILE *out, *err;
};

struct yj_command {
    const char *name;
    int (*fn)(struct yj_cli *cli, int argc, char **argv);
};

#define YJ_CMD(name, fn) int fn(struct yj_cli *cli, int argc, char **argv);
#include "commands.def"
#undef YJ_CMD

extern const struct yj_command yj_commands[];
const struct yj_command *yj_command_find(const char *name);

/* Prints every message of d to cli->err as "yojin: file:line: message". */
void yj_cli_diag(struct yj_cli *cli, const struct yj_diag *d);
/* Prints one message from the catalog (printf-style) to cli->err with the "yojin: " prefix. */
void yj_cli_error(struct yj_cli *cli, const char *fmt, ...) YJ_PRINTF(2, 3);
/* Prints the usage of a command and returns YJ_EXIT_USAGE (to stderr) or 0 (to stdout). */
int yj_cli_usage(struct yj_cli *cli, const char *cmd, bool ok);
/* One alert in a text summary (logscan, fim check, pcap): "[severity] CODE name", the
 * summary, when (a line already worded, or NULL), what to do and the response steps. */
void yj_cli_print_alert(FILE *o, int severity, const char *code, const char *name,
                        const char *summary, const char *when, const char *advice,
                        const char *playbook);
/* The exit status for an error code. */
int yj_cli_status(enum yj_err err);

/* Opens the store with every module's schema; prints problems. */
enum yj_err yj_cli_store(struct yj_cli *cli, struct yj_store **out) YJ_MUST;
/* Loads the bank from path, or the shipped one when path is NULL; prints problems. */
enum yj_err yj_cli_bank(struct yj_cli *cli, const char *path, struct yj_bank *b) YJ_MUST;
/* Loads data/respond (desks, playbooks, duties); prints problems. */
struct yj_respond_data;
enum yj_err yj_cli_respond(struct yj_cli *cli, struct yj_respond_data *r) YJ_MUST;
/* Prints j's buffer to stdout and frees it (the end of every --json). */
struct yj_json;
void yj_cli_print_json(struct yj_cli *cli, struct yj_buf *b);
/* The user name for records: $USER, else the login name, else "-". */
const char *yj_cli_user(void);
/* Writes buf to path ("-" for stdout). */
enum yj_err yj_cli_write(struct yj_cli *cli, const char *path, const char *p, size_t n) YJ_MUST;

/* Sends the detector's alerts through the notify: channels of <data>/yojin.yaml (cmd_notify.c)
 * and prints how many were sent to out; sending errors name the URL. Returns an exit status. */
struct yj_host_detect;
int yj_cli_notify_host(struct yj_cli *cli, const struct yj_host_detect *det, FILE *out);
/* The same for the alerts of a file integrity check made at ts. */
struct yj_fim_alerts;
int yj_cli_notify_fim(struct yj_cli *cli, const struct yj_fim_alerts *al, int64_t ts, FILE *out);

/* Records the detector's alerts in the store of the data directory (origin "logscan") and
 * prints how many were new and how many updated to out (store_alerts.c). Returns an exit
 * status. */
int yj_cli_store_host(struct yj_cli *cli, const struct yj_host_detect *det, FILE *out);
/* The same for the alerts of a file integrity check made at ts (origin "fim"). */
int yj_cli_store_fim(struct yj_cli *cli, const struct yj_fim_alerts *al, int64_t ts, FILE *out);

/* The result of a diagnosis in plain text. */
struct yj_report_input;
void yj_cli_print_result(struct yj_cli *cli, const struct yj_report_input *in);
/* Runs the interactive diagnosis on the terminal. */
int yj_cli_diagnose_tty(struct yj_cli *cli, struct yj_store *s, const struct yj_bank *b,
                        const char *respondent, const char *department, bool fresh);

#endif
