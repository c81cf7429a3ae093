/* The parts of `yojin watch`: the loop (loop.c), the sink every event goes through
 * (sink.c), followers of log files (follow.c) and of the journal (journal.c), the
 * configuration (config.c) and the privilege drop (secure.c). */
#ifndef YJ_WATCH_WATCH_INT_H
#define YJ_WATCH_WATCH_INT_H

#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "base/buf.h"
#include "event/event.h"
#include "host/host.h"
#include "notify/notify.h"
#include "store/store.h"
#include "watch.h"

extern const struct yj_schema yj_watch_schema;

/* ---- Configuration (config.c): the watch: section of yojin.yaml ------------------------ */

struct watch_config {
    const char *logs[YJ_WATCH_MAX_LOGS];
    size_t nlogs;
    bool logs_given;                 /* the section names logs (replacing the defaults) */
    const char *dirs[YJ_WATCH_MAX_DIRS];
    size_t ndirs;
    enum yj_watch_journal journal;
    const char *user;
    uint64_t eve_max_bytes;          /* rotate eve.json beyond this size */
    unsigned eve_keep;               /* rotated files kept: eve.json.1 .. .N */
    bool stop_process;               /* ransomware: stop the process that encrypts */
    const char *thresholds;          /* detect.yaml to use instead of the shipped one */
    const char *ifaces[YJ_WATCH_MAX_IFACES]; /* interfaces captured live */
    size_t nifaces;
    const char *bpf;                 /* their capture filter, or NULL */
    struct yj_yaml_doc doc;
    bool loaded;
};

/* Reads path (NULL: <data_dir>/yojin.yaml when it exists). */
enum yj_err watch_config_load(struct watch_config *c, const char *path, const char *data_dir,
                              struct yj_diag *d) YJ_MUST;
void watch_config_fini(struct watch_config *c);

/* ---- The sink (sink.c) ------------------------------------------------------------------ */

#define WATCH_KEEP_DAYS 365 /* closed alerts are kept this long, then pruned */

struct watch_sink {
    enum yj_lang lang;
    FILE *eve;               /* NULL: no eve output */
    char *eve_path;          /* NULL for standard output */
    uint64_t eve_size, eve_max;
    unsigned eve_keep;
    struct yj_buf b;
    struct yj_store *store;  /* borrowed; alerts go here */
    struct yj_notify_config ncfg;
    bool notify;             /* a channel is configured */
    struct yj_notify_gate gate;
    uint64_t events, alerts, sent, notify_failed, write_failed;
    int64_t last_beat, last_prune;
    uint64_t beat_failed;
};

enum yj_err watch_sink_open(struct watch_sink *s, const struct yj_watch_opts *o,
                            const struct watch_config *c, struct yj_diag *d) YJ_MUST;
/* Takes the store once it is open (after the privilege drop). */
void watch_sink_store(struct watch_sink *s, struct yj_store *st);
void watch_sink_close(struct watch_sink *s);
/* The yj_host_emit_fn of every monitor. */
void watch_emit(void *sink, const struct yj_event *ev);
/* Pushes buffered output to the eve file (end of each loop turn). */
void watch_sink_flush(struct watch_sink *s);
/* The heartbeat in the store (alert/alert.h, yj_monitor_beat): what is watched, since
 * when, counts; stopped at a clean stop. At most every 10 s unless forced. */
void watch_sink_beat(struct watch_sink *s, const char *sources, int64_t started, bool stopped,
                     bool force);
/* SIGHUP: reopen the eve file (after an outside rotation). */
void watch_sink_reopen(struct watch_sink *s);

/* ---- Followers -------------------------------------------------------------------------- */

#define WATCH_READ_BUF ((size_t)64 * 1024)

struct follower {
    char *path;
    int fd;                  /* -1 while the file does not exist */
    dev_t dev;
    ino_t ino;
    off_t off;               /* bytes consumed from fd */
    uint64_t lineno;
    int wd;                  /* inotify watch of the file, -1 when none */
    char *buf;
    size_t len;              /* partial line kept in buf */
    bool skipping;           /* inside a line longer than YJ_HOST_LINE_MAX */
    bool warned;             /* "cannot open" said once */
    bool dirty;              /* position changed since it was saved */
    char tail[64];           /* the last bytes read, to tell a file rewritten in place */
    size_t ntail;
    struct timespec mtime;   /* the file's mtime when it was last read */
    struct yj_host_file_stats st;
};

struct follow_set {
    struct follower *v;
    size_t n;
    int ifd;                 /* inotify for all files and their folders */
    struct yj_host_scan *scan;
    FILE *err;
};

/* Opens every path (missing ones are watched for); positions come from the store (resume),
 * else the end of the file, or its start with from_start. required: a path that exists
 * but cannot be opened is an error (named on the command line) rather than a warning. */
enum yj_err follow_open(struct follow_set *fs, const char *const *paths, size_t n,
                        struct yj_store *st, bool from_start, bool required, FILE *err,
                        struct yj_diag *d) YJ_MUST;
/* Reads what is new in every file (inotify said so, or the tick asks). */
void follow_read(struct follow_set *fs);
/* Once a second: rotation (a new file at the path), truncation, files that appear. */
void follow_tick(struct follow_set *fs);
/* Saves every changed position in the store (one transaction). */
void follow_save(struct follow_set *fs, struct yj_store *st);
void follow_close(struct follow_set *fs);

struct journal;
/* Opens the local system journal, or files when nfiles > 0. NULL with *available false
 * when there is no journal on this machine (not an error in auto mode). */
enum yj_err journal_open(struct journal **out, const char *const *files, size_t nfiles,
                         struct yj_store *st, bool from_start, struct yj_host_scan *scan,
                         struct yj_diag *d) YJ_MUST;
int journal_fd(const struct journal *j);
void journal_read(struct journal *j);
void journal_save(struct journal *j, struct yj_store *st);
void journal_close(struct journal *j);
uint64_t journal_entries(const struct journal *j);

/* ---- The network sensor on live interfaces (net.c) ---------------------------------------- */

struct watch_net;
/* Opens the interfaces (the command line's, else the configuration's; none: *out NULL),
 * loads the threat lists (configured lists and downloaded feeds) and starts the sensor.
 * Runs as root, before the privilege drop. Adds each capture descriptor to ep with tag
 * base + its index. */
enum yj_err watch_net_open(struct watch_net **out, const struct yj_watch_opts *o,
                           const struct watch_config *c, struct watch_sink *sink, int ep,
                           uint64_t base, struct yj_diag *d) YJ_MUST;
/* Packets are ready on capture i. */
void watch_net_read(struct watch_net *w, size_t i);
/* Once a second: flow timeouts, detector timers, threat lists changed by yojin ioc update. */
void watch_net_tick(struct watch_net *w);
/* SIGHUP: reload the threat lists on a background thread (capture goes on). */
void watch_net_reload(struct watch_net *w);
/* Reports open flows, stops the sensor, closes the captures. */
void watch_net_close(struct watch_net *w);
size_t watch_net_count(const struct watch_net *w);
/* The name of capture i ("eth0"), NULL past the end. */
const char *watch_net_name(const struct watch_net *w, size_t i);

/* ---- Privileges (secure.c) -------------------------------------------------------------- */

/* Root only (else nothing to do): chown the data directory and database to the user,
 * chdir into it, become the user keeping CAP_DAC_READ_SEARCH (logs that rotate stay
 * readable) and, with keep_kill, CAP_KILL; then no new privileges and the seccomp filter.
 * *dropped tells whether the user changed. */
enum yj_err watch_drop(const char *user, const char *data_dir, bool keep_kill, bool *dropped,
                       struct yj_diag *d) YJ_MUST;
/* The seccomp filter alone (also used when not started as root). */
enum yj_err watch_seccomp(struct yj_diag *d) YJ_MUST;

#endif
