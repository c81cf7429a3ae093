/* `yojin watch`: start-up, the epoll loop and shutdown (see watch.h for the phases). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "alert/alert.h"
#include "base/buf.h"
#include "base/date.h"
#include "base/file.h"
#include "base/i18n.h"
#include "notify/notify.h"
#include "watch_int.h"

static const struct yj_migration migrations[] = {
    /* Where each followed source stopped: a file's device, inode, offset and line number,
     * or the journal's cursor. */
    {1, "CREATE TABLE watch_pos(source TEXT PRIMARY KEY, dev INTEGER, ino INTEGER, "
        "off INTEGER, line INTEGER, cursor TEXT, updated_at INTEGER NOT NULL)"},
};

const struct yj_schema yj_watch_schema = {"watch", migrations,
                                          sizeof migrations / sizeof migrations[0]};

/* Logs a Debian or Red Hat server writes, followed when they exist. */
static const char *const default_logs[] = {
    "/var/log/auth.log",           "/var/log/secure",
    "/var/log/nginx/access.log",   "/var/log/apache2/access.log",
    "/var/log/apache2/other_vhosts_access.log", "/var/log/httpd/access_log",
    "/var/log/mail.log",           "/var/log/maillog",
    "/var/log/nginx/error.log",    "/var/log/apache2/error.log",
    "/var/log/httpd/error_log",    "/var/log/ufw.log",
};

static bool exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

static enum yj_err open_store(const char *dir, struct yj_store **out, struct yj_diag *d)
{
    const struct yj_schema schemas[] = {yj_watch_schema, yj_alert_schema, yj_notify_schema};
    return yj_store_open(out, dir, schemas, sizeof schemas / sizeof schemas[0], d);
}

struct run {
    const struct yj_watch_opts *o;
    struct watch_config cfg;
    struct yj_host_config hcfg;
    struct yj_host_detect *det;
    struct yj_host_scan scan;
    struct watch_sink sink;
    struct follow_set fol;
    struct journal *jr;
    struct yj_fsmon *fs; /* live file monitoring, ransomware behaviour, persistence */
    struct watch_net *net; /* live network capture, or NULL */
    struct yj_store *store;
    const char *logs[YJ_WATCH_MAX_LOGS];
    size_t nlogs;
    int ep, tfd, sfd;
    char sources[512]; /* what is watched (describe), for stderr and the dashboard */
    int64_t started;
};

enum { TAG_FOLLOW = 1, TAG_JOURNAL, TAG_TIMER, TAG_SIGNAL, TAG_FSMON, TAG_NET = 0x100 };

static enum yj_err add_fd(struct run *r, int fd, uint64_t tag, struct yj_diag *d)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = tag};
    if (epoll_ctl(r->ep, EPOLL_CTL_ADD, fd, &ev) != 0)
        return yj_diag_fail(d, YJ_ERR_IO, NULL, 0, "epoll: %s", strerror(errno));
    return YJ_ERR_OK;
}

/* Which logs: the command line's, else the configuration's, else the defaults that exist. */
static void choose_logs(struct run *r)
{
    const struct yj_watch_opts *o = r->o;
    if (o->nlogs) {
        for (size_t i = 0; i < o->nlogs; i++)
            r->logs[r->nlogs++] = o->logs[i];
    } else if (r->cfg.logs_given) {
        for (size_t i = 0; i < r->cfg.nlogs; i++)
            r->logs[r->nlogs++] = r->cfg.logs[i];
    } else {
        for (size_t i = 0; i < sizeof default_logs / sizeof default_logs[0]; i++)
            if (exists(default_logs[i]))
                r->logs[r->nlogs++] = default_logs[i];
        /* Firewall drops: UFW writes them to ufw.log and kern.log both; kern.log only
         * when there is no ufw.log, so no drop counts twice. */
        if (!exists("/var/log/ufw.log") && exists("/var/log/kern.log"))
            r->logs[r->nlogs++] = "/var/log/kern.log";
    }
}

static bool want_journal(const struct run *r)
{
    const struct yj_watch_opts *o = r->o;
    if (o->njournal_files)
        return true;
    enum yj_watch_journal m = o->journal_set ? o->journal : r->cfg.journal;
    if (m != YJ_JOURNAL_AUTO)
        return m == YJ_JOURNAL_ON;
    /* auto: the journal when log-ins are not written to a file (Debian 12 without rsyslog)
     * and this machine keeps a journal; never both, or every line would count twice. */
    if (o->nlogs)
        return false;
    for (size_t i = 0; i < r->nlogs; i++)
        if (!strcmp(r->logs[i], "/var/log/auth.log") || !strcmp(r->logs[i], "/var/log/secure"))
            return false;
    return exists("/var/log/journal") || exists("/run/log/journal");
}

/* The file monitor (host/fsmon.c): the data folders of the command line, else of the
 * configuration, and the default system paths. Opened here, as root, so that fanotify can
 * name the processes that write; its descriptors stay usable after the drop. */
static enum yj_err open_fsmon(struct run *r, struct yj_diag *d)
{
    const struct yj_watch_opts *o = r->o;
    struct yj_fsmon_opts fo = {
        .data_dirs = o->ndirs ? o->dirs : r->cfg.dirs,
        .ndata = o->ndirs ? o->ndirs : r->cfg.ndirs,
        .stop_process = r->cfg.stop_process,
        .cfg = &r->hcfg,
        .lang = o->lang,
    };
    enum yj_err err = yj_fsmon_open(&r->fs, &fo, d);
    for (size_t i = 0; !err && yj_fsmon_fd(r->fs, i) >= 0; i++)
        err = add_fd(r, yj_fsmon_fd(r->fs, i), TAG_FSMON, d);
    return err;
}

static enum yj_err start(struct run *r, struct yj_diag *d)
{
    const struct yj_watch_opts *o = r->o;
    enum yj_err err;
    if ((err = watch_config_load(&r->cfg, o->config, o->data_dir, d)))
        return err;
    yj_host_config_default(&r->hcfg);
    char *shipped = r->cfg.thresholds ? NULL : yj_share_path("host/detect.yaml");
    err = yj_host_config_load(&r->hcfg, r->cfg.thresholds ? r->cfg.thresholds : shipped, d);
    free(shipped);
    if (err)
        return err;
    r->det = yj_host_detect_new(&r->hcfg);
    yj_host_scan_init(&r->scan, r->det, o->lang);
    r->scan.emit = watch_emit;
    r->scan.ctx = &r->sink;
    if ((err = yj_mkdir_p(o->data_dir, 0700, d)))
        return err;
    /* The store as the starting user for the saved positions; it is opened again after
     * the drop, as the user who keeps it. */
    struct yj_store *st;
    if ((err = open_store(o->data_dir, &st, d)))
        return err;
    choose_logs(r);
    err = follow_open(&r->fol, r->logs, r->nlogs, st, o->from_start, o->nlogs > 0, stderr, d);
    r->fol.scan = &r->scan;
    if (!err && want_journal(r))
        err = journal_open(&r->jr, o->journal_files, o->njournal_files, st, o->from_start,
                           &r->scan, d);
    yj_store_close(st);
    if (err)
        return err;
    if ((err = watch_sink_open(&r->sink, o, &r->cfg, d)))
        return err;

    r->ep = epoll_create1(EPOLL_CLOEXEC);
    sigset_t sig;
    sigemptyset(&sig);
    sigaddset(&sig, SIGTERM);
    sigaddset(&sig, SIGINT);
    sigaddset(&sig, SIGHUP);
    sigprocmask(SIG_BLOCK, &sig, NULL);
    signal(SIGPIPE, SIG_IGN);
    r->sfd = signalfd(-1, &sig, SFD_CLOEXEC | SFD_NONBLOCK);
    r->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    struct itimerspec its = {{1, 0}, {1, 0}};
    if (r->ep < 0 || r->sfd < 0 || r->tfd < 0 || timerfd_settime(r->tfd, 0, &its, NULL) != 0)
        return yj_diag_fail(d, YJ_ERR_IO, NULL, 0, "epoll: %s", strerror(errno));
    if ((err = add_fd(r, r->sfd, TAG_SIGNAL, d)) || (err = add_fd(r, r->tfd, TAG_TIMER, d)))
        return err;
    if (r->fol.ifd >= 0 && (err = add_fd(r, r->fol.ifd, TAG_FOLLOW, d)))
        return err;
    if (r->jr && (err = add_fd(r, journal_fd(r->jr), TAG_JOURNAL, d)))
        return err;
    if ((err = open_fsmon(r, d)))
        return err;
    /* Captures open as root; their descriptors keep working as the service user. */
    if ((err = watch_net_open(&r->net, o, &r->cfg, &r->sink, r->ep, TAG_NET, d)))
        return err;

    bool dropped;
    if ((err = watch_drop(o->user ? o->user : r->cfg.user, o->data_dir, r->cfg.stop_process,
                          &dropped, d)))
        return err;
    if ((err = watch_seccomp(d)))
        return err;
    if ((err = open_store(dropped ? "." : o->data_dir, &r->store, d)))
        return err;
    watch_sink_store(&r->sink, r->store);
    return YJ_ERR_OK;
}

/* What is watched, in the heartbeat's form (alert/alert.h, yj_monitor_status.sources):
 * one "kind" or "kind:value" a line, words left to the reader's language. */
static void describe(struct run *r)
{
    struct yj_buf b;
    yj_buf_init(&b, sizeof r->sources - 1);
    for (size_t i = 0; i < r->nlogs; i++)
        yj_buf_printf(&b, "log:%s\n", r->logs[i]);
    if (r->jr)
        yj_buf_adds(&b, "journal\n");
    const struct yj_watch_opts *o = r->o;
    size_t nd = o->ndirs ? o->ndirs : r->cfg.ndirs;
    for (size_t i = 0; i < nd; i++)
        yj_buf_printf(&b, "dir:%s\n", o->ndirs ? o->dirs[i] : r->cfg.dirs[i]);
    if (r->fs)
        yj_buf_adds(&b, "files\n");
    for (size_t i = 0; i < watch_net_count(r->net); i++)
        yj_buf_printf(&b, "net:%s\n", watch_net_name(r->net, i));
    snprintf(r->sources, sizeof r->sources, "%.*s", (int)b.len, b.p ? b.p : "");
    yj_buf_fini(&b);
}

static void save(struct run *r)
{
    follow_save(&r->fol, r->store);
    journal_save(r->jr, r->store);
    watch_sink_flush(&r->sink);
    watch_sink_beat(&r->sink, r->sources, r->started, false, false);
}

static void loop(struct run *r)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* What arrived between opening and now. */
    follow_read(&r->fol);
    if (r->jr)
        journal_read(r->jr);
    watch_sink_flush(&r->sink);
    for (bool stop = false; !stop;) {
        struct epoll_event evs[16];
        int n = epoll_wait(r->ep, evs, 16, -1);
        if (n < 0 && errno != EINTR)
            break;
        for (int i = 0; i < n; i++) {
            if (evs[i].data.u64 >= TAG_NET) {
                watch_net_read(r->net, (size_t)(evs[i].data.u64 - TAG_NET));
                continue;
            }
            switch (evs[i].data.u64) {
            case TAG_FOLLOW: follow_read(&r->fol); break;
            case TAG_JOURNAL: journal_read(r->jr); break;
            case TAG_FSMON: yj_fsmon_read(r->fs, (int64_t)time(NULL), watch_emit, &r->sink); break;
            case TAG_TIMER: {
                uint64_t ticks;
                if (read(r->tfd, &ticks, sizeof ticks) < 0) {
                    /* nothing: the tick runs anyway */
                }
                follow_tick(&r->fol);
                yj_fsmon_tick(r->fs, (int64_t)time(NULL), watch_emit, &r->sink);
                watch_net_tick(r->net);
                if (r->jr)
                    journal_read(r->jr);
                save(r);
                struct timespec t;
                clock_gettime(CLOCK_MONOTONIC, &t);
                double el = (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
                if (r->o->seconds > 0 && el >= r->o->seconds)
                    stop = true;
                break;
            }
            case TAG_SIGNAL: {
                struct signalfd_siginfo si;
                while (read(r->sfd, &si, sizeof si) == (ssize_t)sizeof si) {
                    if (si.ssi_signo == SIGHUP) {
                        watch_sink_reopen(&r->sink);
                        watch_net_reload(r->net);
                    } else
                        stop = true;
                }
                break;
            }
            }
        }
        watch_sink_flush(&r->sink);
    }
    /* The last lines before stopping. */
    follow_read(&r->fol);
    watch_net_close(r->net); /* open flows are reported before the sink closes */
    r->net = NULL;
    save(r);
}

static void finish(struct run *r)
{
    uint64_t lines = 0;
    for (size_t i = 0; i < r->fol.n; i++)
        lines += r->fol.v[i].st.lines;
    fprintf(stderr, yj_tl(r->o->lang, "watch.summary"), (unsigned long long)lines,
            (unsigned long long)journal_entries(r->jr), (unsigned long long)r->sink.events,
            (unsigned long long)r->sink.alerts, (unsigned long long)r->sink.sent);
    fputc('\n', stderr);
}

enum yj_err yj_watch_run(const struct yj_watch_opts *opts, struct yj_diag *d)
{
    struct run r;
    memset(&r, 0, sizeof r);
    r.o = opts;
    r.ep = r.tfd = r.sfd = -1;
    r.fol.ifd = -1;
    enum yj_err err = start(&r, d);
    if (!err) {
        fprintf(stderr, yj_tl(opts->lang, "watch.started"), (unsigned long long)r.nlogs,
                r.jr ? yj_tl(opts->lang, "watch.journal_on") : "");
        fputc('\n', stderr);
        describe(&r);
        struct yj_buf words;
        yj_buf_init(&words, (size_t)1 << 16);
        yj_monitor_sources_text(r.sources, opts->lang, &words);
        fprintf(stderr, "  %s\n", words.p ? words.p : "");
        yj_buf_fini(&words);
        r.started = yj_now();
        watch_sink_beat(&r.sink, r.sources, r.started, false, true);
        loop(&r);
        watch_sink_beat(&r.sink, r.sources, r.started, true, true);
        finish(&r);
    }
    follow_close(&r.fol);
    journal_close(r.jr);
    watch_net_close(r.net);
    yj_fsmon_close(r.fs);
    watch_sink_close(&r.sink);
    if (r.store)
        yj_store_close(r.store);
    yj_host_scan_fini(&r.scan);
    if (r.det)
        yj_host_detect_free(r.det);
    watch_config_fini(&r.cfg);
    if (r.ep >= 0)
        close(r.ep);
    if (r.tfd >= 0)
        close(r.tfd);
    if (r.sfd >= 0)
        close(r.sfd);
    return err;
}
