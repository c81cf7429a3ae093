/* `yojin watch`: the monitors as one long-running process. A front end that composes the
 * engines (host/ today) with the sinks (eve.json, the store, notifications) around one epoll
 * loop:
 *
 *   start (root)   read configuration, open every log file, the journal, the eve file and
 *                  the store; hand the data directory to the service user
 *   drop           become the service user, keeping only the capabilities the monitors
 *                  still need (reading logs that rotate, ...), no new privileges, a seccomp
 *                  filter against what a monitor never does (exec, ptrace, mount, ...)
 *   loop           followers (files: rotation, truncation; journal), once a second: checks
 *                  for rotated files and detector windows; SIGTERM/SIGINT end it, SIGHUP
 *                  reopens the eve file
 *
 * Every event goes through one sink (sink.c): EVE JSON lines to eve.json (rotated by size),
 * alerts into the store for the console and through the notification gate, whose state is
 * kept in the store across restarts. */
#ifndef YJ_WATCH_WATCH_H
#define YJ_WATCH_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/i18n.h"

#define YJ_WATCH_MAX_LOGS 64
#define YJ_WATCH_MAX_DIRS 64
#define YJ_WATCH_MAX_IFACES 8

enum yj_watch_journal { YJ_JOURNAL_AUTO, YJ_JOURNAL_ON, YJ_JOURNAL_OFF };

/* What to watch. Command-line values (lists non-empty) replace the configuration's. */
struct yj_watch_opts {
    const char *data_dir;
    const char *config;      /* NULL: <data_dir>/yojin.yaml when it exists */
    enum yj_lang lang;
    const char *logs[YJ_WATCH_MAX_LOGS];
    size_t nlogs;
    const char *dirs[YJ_WATCH_MAX_DIRS]; /* data folders watched for ransomware behaviour */
    size_t ndirs;
    const char *journal_files[8];        /* read these journal files instead of the system's */
    size_t njournal_files;
    enum yj_watch_journal journal;
    bool journal_set;                    /* --journal/--no-journal given */
    const char *eve;                     /* NULL: <data_dir>/eve.json; "-": standard output */
    const char *user;                    /* NULL: "yojin" (or the configuration's) */
    bool from_start;                     /* read logs from their start (default: the end,
                                          * or where the last run stopped) */
    double seconds;                      /* > 0: stop after this long (tests, trials) */
    const char *ifaces[YJ_WATCH_MAX_IFACES]; /* network interfaces captured live */
    size_t nifaces;
    const char *bpf;                     /* capture filter (NULL: the configuration's) */
};

/* Runs until SIGTERM/SIGINT (or opts->seconds). Problems at start (bad configuration, a log
 * that cannot be opened when named on the command line, ...) return an error with d filled;
 * problems while running (a rotated file that cannot be reopened, a notification that
 * fails) are reported on stderr and the watch goes on. */
enum yj_err yj_watch_run(const struct yj_watch_opts *opts, struct yj_diag *d) YJ_MUST;

#endif
