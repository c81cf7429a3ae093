/* Live file monitoring for yojin watch: inotify on every folder below the roots, and
 * fanotify (when permitted) to learn which process wrote a file.
 *
 * Both descriptors are opened in yj_fsmon_open, while the caller is still root; the loop
 * then drops privileges and polls them. inotify tells what happened to names (created,
 * deleted, moved, written and closed, attributes changed) and which new folders to watch;
 * fanotify marks on the same folders of the data roots add, for files written and closed,
 * the writer's pid and an open descriptor to sample the new content from. In a folder that
 * fanotify marks, it alone reports writes (so each write is seen once, with its process);
 * elsewhere inotify's do. Folder (inode) marks rather than one mount mark: only our
 * folders' events reach us, and a group created as root may still add them after the
 * privilege drop (CAP_DAC_READ_SEARCH lets it look the folder up).
 *
 * Every change under a root becomes a "fim" event; yj_fim_classify turns changes to
 * persistence places and new set-user-ID files into alerts; changes under data folders go to
 * the ransomware detector (ransom.c), whose bursts become one critical alert, optionally
 * after stopping (SIGSTOP) the process behind them. Lost events (the kernel's queue
 * overflowed) and folders that could not be watched (the inotify watch limit) are alerts
 * too, since live monitoring is incomplete until the next `yojin fim check`. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"
#include "host.h"

#define IN_MASK                                                                              \
    (IN_CREATE | IN_DELETE | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB |      \
     IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)
#define DEPTH 32      /* folders deeper below a root are not watched */
#define CREATED 256   /* files created and not yet closed, to tell "added" from "modified" */
#define PROCS 64      /* writers remembered, to name them after they exit */
#define RECENT 128    /* persistence alerts: one per path within REPEAT seconds */
#define REPEAT 300
#define GAP_REPEAT 60 /* lost-events and watch-limit alerts at most once a minute */
#define BUF 65536

struct root {
    char *path;
    size_t len;
    bool data;       /* ransomware watch */
    bool alerts_only; /* only changes that raise an alert are reported here: new
                       * set-user-ID files in /tmp, start-up files in homes (not every
                       * shell history written) */
    int depth;       /* folders below it that are watched */
    unsigned ridx;   /* index among the data roots */
};

struct watch {
    char *path; /* NULL: free slot */
    unsigned root;
    int depth;
    bool fan;   /* fanotify reports writes of this folder's files */
};

struct proc {
    int pid, ppid;
    char comm[32];
    char exe[256];
};

struct yj_fsmon {
    int ino, fan;
    struct root *roots;
    size_t nroots, ndata;
    struct watch *w; /* indexed by inotify watch descriptor */
    size_t nw;
    uint64_t created[CREATED];
    struct proc procs[PROCS];
    size_t nextproc;
    struct {
        uint64_t hash;
        int64_t ts;
    } recent[RECENT];
    bool stop;
    bool no_detect; /* changes reported now are moves or attributes, not writes: not for
                     * the detector */
    enum yj_lang lang;
    struct yj_host_config cfg;
    struct yj_ransom_rules rules;
    struct yj_ransom *det;
    struct yj_fsmon_stats st;
    /* Gaps to report: folders not watched since the last report (first one named). */
    uint64_t limit_pending;
    char limit_path[512];
    int64_t limit_at, overflow_at;
    bool overflow_pending;
    unsigned char sample[YJ_RANSOM_SAMPLE];
    char path[YJ_FIM_PATH_MAX];
    _Alignas(8) char buf[BUF];
};

/* ---- Roots and watches ---------------------------------------------------------------- */

struct def_path {
    const char *path;
    int depth;
    bool alerts_only;
};

/* The default system paths: persistence places, account files and where set-user-ID
 * programs get dropped (alerts only there, and in homes themselves). Homes are added per
 * user below. */
static const struct def_path defaults[] = {
    {"/etc", 0, false},
    {"/etc/cron.d", 0, false},
    {"/etc/cron.hourly", 0, false},
    {"/etc/cron.daily", 0, false},
    {"/etc/cron.weekly", 0, false},
    {"/etc/cron.monthly", 0, false},
    {"/var/spool/cron", 2, false},
    {"/etc/systemd/system", 3, false},
    {"/etc/systemd/user", 2, false},
    {"/usr/local/lib/systemd/system", 1, false},
    {"/etc/profile.d", 0, false},
    {"/etc/sudoers.d", 0, false},
    {"/etc/xdg/autostart", 0, false},
    {"/etc/init.d", 0, false},
    {"/etc/ssh", 0, false},
    {"/root", 0, true},
    {"/root/.ssh", 0, false},
    {"/root/.config/autostart", 0, false},
    {"/root/.config/systemd/user", 1, false},
    {"/usr/local/bin", 0, true},
    {"/usr/local/sbin", 0, true},
    {"/tmp", 0, true},
    {"/var/tmp", 0, true},
    {"/dev/shm", 0, true},
};

static uint64_t hash_path(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h | 1;
}

static void add_root(struct yj_fsmon *m, const char *path, bool data, int depth, bool alerts_only)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    m->roots = yj_xrealloc(m->roots, (m->nroots + 1) * sizeof *m->roots);
    struct root *r = &m->roots[m->nroots++];
    *r = (struct root){.len = len, .data = data, .alerts_only = alerts_only, .depth = depth};
    r->path = yj_xmalloc(len + 1);
    memcpy(r->path, path, len);
    r->path[len] = '\0';
    if (data)
        r->ridx = (unsigned)m->ndata++;
}

#ifdef YJ_TEST_HOOKS
/* Test builds only: YOJIN_FSMON_TEST_WATCHES=N makes watches past the N-th fail as if the
 * per-user watch limit had been reached, so that the alert can be tested without changing
 * the machine-wide sysctl. */
static bool test_limit(const struct yj_fsmon *m)
{
    const char *v = getenv("YOJIN_FSMON_TEST_WATCHES");
    return v && *v && m->st.watches >= strtoull(v, NULL, 10);
}
#else
static bool test_limit(const struct yj_fsmon *m)
{
    (void)m;
    return false;
}
#endif

/* What a folder that appeared while watching already holds is reported as added (the files
 * were written before its watch existed). */
struct found {
    int64_t now;
    yj_host_emit_fn emit;
    void *ctx;
    bool moved; /* the folder was moved here: its files were not rewritten */
};

static void change(struct yj_fsmon *m, int64_t now, size_t root, const char *path,
                   enum yj_fim_change_kind kind, unsigned fields, enum yj_ransom_op op, int fd,
                   int pid, yj_host_emit_fn emit, void *ctx);

/* Watches dir (not following a symlink) and, depth levels down, the folders below it. New
 * watches on an inode already watched (overlapping roots, a folder moved within a tree)
 * take the new path. Failures are counted and the first one kept for the alert; ENOSPC is
 * the per-user watch limit (fs.inotify.max_user_watches). */
static void watch_tree(struct yj_fsmon *m, const char *dir, unsigned root, int depth,
                       const struct found *f)
{
    struct {
        char *path;
        int depth;
    } *stack = NULL;
    size_t n = 0, cap = 0;
    char *first = yj_xstrdup(dir);
    stack = yj_xrealloc(stack, (cap = 16) * sizeof *stack);
    stack[n].path = first;
    stack[n++].depth = depth;
    while (n) {
        char *p = stack[--n].path;
        int dep = stack[n].depth;
        int wd = test_limit(m) ? (errno = ENOSPC, -1) : inotify_add_watch(m->ino, p, IN_MASK);
        if (wd < 0) {
            /* Out of watches is an alert; a folder this user may not read is only counted
             * (homes of others after the privilege drop), one that is gone is nothing. */
            if (errno == ENOSPC || errno == ENOMEM) {
                m->st.watch_failed++;
                if (!m->limit_pending++)
                    snprintf(m->limit_path, sizeof m->limit_path, "%s", p);
            } else if (errno != ENOENT && errno != ENOTDIR) {
                m->st.watch_denied++;
            }
            free(p);
            continue;
        }
        if ((size_t)wd >= m->nw) {
            size_t nn = (size_t)wd * 2 + 16;
            m->w = yj_xrealloc(m->w, nn * sizeof *m->w);
            memset(m->w + m->nw, 0, (nn - m->nw) * sizeof *m->w);
            m->nw = nn;
        }
        struct watch *w = &m->w[wd];
        if (!w->path)
            m->st.watches++;
        free(w->path);
        bool fan = m->fan >= 0 && m->roots[root].data &&
                   fanotify_mark(m->fan, FAN_MARK_ADD | FAN_MARK_ONLYDIR,
                                 FAN_CLOSE_WRITE | FAN_EVENT_ON_CHILD, AT_FDCWD, p) == 0;
        *w = (struct watch){p, root, dep, fan};
        if (dep <= 0 && !f)
            continue;
        DIR *dh = opendir(p);
        if (!dh)
            continue;
        for (struct dirent *de; (de = readdir(dh)) != NULL;) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            char sub[YJ_FIM_PATH_MAX];
            if (snprintf(sub, sizeof sub, "%s/%s", p, de->d_name) >= (int)sizeof sub)
                continue;
            struct stat sb;
            bool isdir = de->d_type == DT_DIR ||
                         (de->d_type == DT_UNKNOWN && lstat(sub, &sb) == 0 &&
                          S_ISDIR(sb.st_mode));
            if (f && !isdir) {
                m->no_detect = f->moved;
                change(m, f->now, root, sub, YJ_FIM_ADDED, 0, YJ_RANSOM_CREATE, -1, 0,
                       f->emit, f->ctx);
                m->no_detect = false;
            }
            if (!isdir || dep <= 0)
                continue;
            if (n == cap)
                stack = yj_xrealloc(stack, (cap *= 2) * sizeof *stack);
            stack[n].path = yj_xstrdup(sub);
            stack[n++].depth = dep - 1;
        }
        closedir(dh);
    }
    free(stack);
}

/* The root a path from fanotify belongs to: the longest root that contains it. */
static int root_of(const struct yj_fsmon *m, const char *path)
{
    int best = -1;
    size_t blen = 0;
    for (size_t i = 0; i < m->nroots; i++) {
        const struct root *r = &m->roots[i];
        if (strncmp(path, r->path, r->len) == 0 && (path[r->len] == '/' || r->len == 1) &&
            r->len >= blen) {
            /* Within the watched depth: count the slashes below the root. */
            int d = 0;
            for (const char *p = path + r->len + 1; *p; p++)
                d += *p == '/';
            if (d > r->depth)
                continue;
            best = (int)i;
            blen = r->len;
        }
    }
    return best;
}

/* ---- Processes -------------------------------------------------------------------------- */

/* Reads pid's parent, command name and program into p; false when it has gone. */
static bool proc_read(int pid, struct proc *p)
{
    char path[64], buf[512];
    *p = (struct proc){.pid = pid};
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    /* "pid (comm) S ppid ...": comm may hold spaces and parentheses. */
    char *open_p = strchr(buf, '('), *close_p = strrchr(buf, ')');
    if (!open_p || !close_p || close_p < open_p)
        return false;
    size_t cl = (size_t)(close_p - open_p - 1);
    if (cl >= sizeof p->comm)
        cl = sizeof p->comm - 1;
    memcpy(p->comm, open_p + 1, cl);
    for (size_t i = 0; i < cl; i++)
        if ((unsigned char)p->comm[i] < 0x20)
            p->comm[i] = '?';
    char state;
    int ppid;
    if (sscanf(close_p + 1, " %c %d", &state, &ppid) == 2)
        p->ppid = ppid;
    snprintf(path, sizeof path, "/proc/%d/exe", pid);
    ssize_t e = readlink(path, p->exe, sizeof p->exe - 1);
    p->exe[e > 0 ? e : 0] = '\0';
    return true;
}

static const struct proc *proc_find(const struct yj_fsmon *m, int pid)
{
    for (size_t i = 0; i < PROCS; i++)
        if (m->procs[i].pid == pid)
            return &m->procs[i];
    return NULL;
}

/* Remembers the writer pid (while it still runs: many writers are short-lived). */
static const struct proc *proc_note(struct yj_fsmon *m, int pid)
{
    const struct proc *known = proc_find(m, pid);
    if (known)
        return known;
    struct proc *p = &m->procs[m->nextproc];
    if (!proc_read(pid, p)) {
        p->pid = 0;
        return NULL;
    }
    m->nextproc = (m->nextproc + 1) % PROCS;
    if (p->ppid > 0 && !proc_find(m, p->ppid)) {
        struct proc *q = &m->procs[m->nextproc];
        if (proc_read(p->ppid, q))
            m->nextproc = (m->nextproc + 1) % PROCS;
        else
            q->pid = 0;
    }
    return p;
}

/* ---- Events ------------------------------------------------------------------------------ */

static void emit_text(struct yj_fsmon *m, struct yj_event *ev, enum yj_host_sig sig,
                      char sum[YJ_LANG__COUNT][1024], yj_host_emit_fn emit, void *ctx)
{
    const struct yj_host_sig_info *si = yj_host_sig_info(sig);
    struct yj_event_alert_text text;
    for (int l = 0; l < YJ_LANG__COUNT; l++) {
        text.name[l] = yj_tl((enum yj_lang)l, si->name_id);
        text.summary[l] = sum[l];
        text.advice[l] = yj_tl((enum yj_lang)l, si->advice_id);
    }
    ev->type = YJ_EVENT_ALERT;
    ev->u.alert.signature_id = si->id;
    ev->u.alert.signature = text.name[m->lang];
    ev->u.alert.severity = si->severity;
    ev->u.alert.category = si->category;
    ev->u.alert.summary = sum[m->lang];
    ev->u.alert.advice = text.advice[m->lang];
    ev->u.alert.playbook = si->playbook;
    ev->u.alert.text = &text;
    m->st.alerts++;
    if (emit)
        emit(ctx, ev);
}

static void gaps(struct yj_fsmon *m, int64_t now, yj_host_emit_fn emit, void *ctx)
{
    char sum[YJ_LANG__COUNT][1024];
    if (m->overflow_pending && now - m->overflow_at >= GAP_REPEAT) {
        m->overflow_pending = false;
        m->overflow_at = now;
        for (int l = 0; l < YJ_LANG__COUNT; l++)
            snprintf(sum[l], sizeof sum[l], "%s",
                     yj_tl((enum yj_lang)l, "sig.fsmon_overflow.summary"));
        struct yj_event ev = {.ts = now};
        ev.u.alert.count = m->st.overflows;
        emit_text(m, &ev, YJ_HOST_SIG_FSMON_OVERFLOW, sum, emit, ctx);
    }
    if (m->limit_pending && now - m->limit_at >= GAP_REPEAT) {
        for (int l = 0; l < YJ_LANG__COUNT; l++)
            snprintf(sum[l], sizeof sum[l], yj_tl((enum yj_lang)l, "sig.fsmon_limit.summary"),
                     (unsigned long long)m->limit_pending, m->limit_path);
        struct yj_event ev = {.ts = now};
        ev.u.alert.count = m->limit_pending;
        m->limit_pending = 0;
        m->limit_at = now;
        emit_text(m, &ev, YJ_HOST_SIG_FSMON_LIMIT, sum, emit, ctx);
    }
}

/* Stops pid when asked to and allowed: never init, never ourselves or our parent. Returns
 * 1 stopped, 0 not tried, -errno failed. */
static int stop_pid(const struct yj_fsmon *m, int pid)
{
    if (!m->stop || pid <= 1 || pid == (int)getpid() || pid == (int)getppid())
        return 0;
    return kill(pid, SIGSTOP) == 0 ? 1 : -errno;
}

/* Appends a formatted sentence (after a space) to s, cutting it at n. */
static void YJ_PRINTF(3, 4) append(char *s, size_t n, const char *fmt, ...)
{
    size_t used = strlen(s);
    if (used + 2 >= n)
        return;
    s[used++] = ' ';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s + used, n - used, fmt, ap);
    va_end(ap);
}

static void ransom_alert(struct yj_fsmon *m, const struct yj_ransom_burst *b, int64_t now,
                         yj_host_emit_fn emit, void *ctx)
{
    const struct root *r = NULL;
    for (size_t i = 0; i < m->nroots; i++)
        if (m->roots[i].data && m->roots[i].ridx == b->root)
            r = &m->roots[i];
    const struct proc *p = b->pid > 0 ? proc_find(m, b->pid) : NULL;
    struct proc live;
    if (b->pid > 0 && !p && proc_read(b->pid, &live))
        p = &live;
    int stopped = b->pid > 0 ? stop_pid(m, b->pid) : 0;
    if (stopped > 0)
        m->st.stopped++;
    char sum[YJ_LANG__COUNT][1024];
    for (int l = 0; l < YJ_LANG__COUNT; l++) {
        enum yj_lang lang = (enum yj_lang)l;
        char who[512];
        if (b->pid > 0)
            snprintf(who, sizeof who, "%d %s (%s)%s", b->pid, p ? p->comm : "?",
                     p && p->exe[0] ? p->exe : "?",
                     b->parent ? yj_tl(lang, "fsmon.parent") : "");
        else
            snprintf(who, sizeof who, "%s", yj_tl(lang, "fsmon.proc_unknown"));
        int k = snprintf(sum[l], sizeof sum[l], yj_tl(lang, "sig.ransomware.summary"),
                         r ? r->path : "?", (unsigned long long)b->files, m->cfg.ransom_window,
                         b->example, who);
        (void)k;
        if (b->note[0])
            append(sum[l], sizeof sum[l], yj_tl(lang, "fsmon.note"), b->note);
        if (stopped > 0)
            append(sum[l], sizeof sum[l], yj_tl(lang, "fsmon.stopped"), b->pid);
        else if (stopped < 0)
            append(sum[l], sizeof sum[l], yj_tl(lang, "fsmon.stop_failed"), b->pid,
                   strerror(-stopped));
    }
    struct yj_event ev = {.ts = now};
    ev.u.alert.count = b->files;
    emit_text(m, &ev, YJ_HOST_SIG_RANSOMWARE, sum, emit, ctx);
}

/* A persistence or account alert for path, at most once per REPEAT seconds each. */
static bool recent(struct yj_fsmon *m, const char *path, int64_t now)
{
    uint64_t h = hash_path(path);
    size_t slot = h % RECENT;
    if (m->recent[slot].hash == h && now - m->recent[slot].ts < REPEAT)
        return true;
    m->recent[slot].hash = h;
    m->recent[slot].ts = now;
    return false;
}

/* The entropy of the first bytes of fd (or of path when fd < 0); negative when unknown. */
static double sample(struct yj_fsmon *m, int fd, const char *path)
{
    int own = -1;
    if (fd < 0) {
        own = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOATIME);
        if (own < 0 && errno == EPERM)
            own = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (own < 0)
            return -1;
        fd = own;
    }
    struct stat sb;
    ssize_t n = -1;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode))
        n = pread(fd, m->sample, sizeof m->sample, 0);
    if (own >= 0)
        close(own);
    return n >= YJ_RANSOM_SAMPLE_MIN ? yj_entropy(m->sample, (size_t)n) : -1;
}

static bool take_created(struct yj_fsmon *m, uint64_t h)
{
    for (size_t i = 0; i < CREATED; i++)
        if (m->created[i] == h) {
            m->created[i] = 0;
            return true;
        }
    return false;
}

/* One change of path under root: the fim event, a persistence alert, the detector. */
static void change(struct yj_fsmon *m, int64_t now, size_t root, const char *path,
                   enum yj_fim_change_kind kind, unsigned fields, enum yj_ransom_op op, int fd,
                   int pid, yj_host_emit_fn emit, void *ctx)
{
    const struct root *r = &m->roots[root];
    struct yj_fim_entry e = {.path = path, .type = YJ_FIM_FILE};
    struct stat sb;
    if (kind != YJ_FIM_REMOVED) {
        int rc = fd >= 0 ? fstat(fd, &sb) : lstat(path, &sb);
        if (rc != 0)
            return; /* gone already: its removal follows */
        e.meta = true;
        e.mode = (uint32_t)(sb.st_mode & 07777);
        e.uid = sb.st_uid;
        e.gid = sb.st_gid;
        e.size = (uint64_t)sb.st_size;
        e.type = S_ISREG(sb.st_mode)   ? YJ_FIM_FILE
                 : S_ISDIR(sb.st_mode) ? YJ_FIM_DIR
                 : S_ISLNK(sb.st_mode) ? YJ_FIM_SYMLINK
                                       : YJ_FIM_OTHER;
    }
    struct yj_fim_change ch = {kind, fields, kind == YJ_FIM_REMOVED ? &e : NULL,
                               kind == YJ_FIM_REMOVED ? NULL : &e};
    enum yj_host_sig sig = yj_fim_classify(&ch);
    if (r->alerts_only && (sig == YJ_HOST_SIG_FIM_CHANGE || sig == YJ_HOST_SIG__COUNT))
        return;
    const char *names[YJ_FIM_NFIELDS];
    struct yj_event fev;
    yj_fim_change_event(&ch, now, names, &fev);
    m->st.fim++;
    if (emit)
        emit(ctx, &fev);
    if (sig != YJ_HOST_SIG_FIM_CHANGE && sig != YJ_HOST_SIG__COUNT && !recent(m, path, now)) {
        struct yj_fim_alert a = {sig, path, kind, fields, 1};
        char sum[YJ_LANG__COUNT][1024];
        for (int l = 0; l < YJ_LANG__COUNT; l++)
            yj_fim_alert_summary(&a, (enum yj_lang)l, sum[l], sizeof sum[l]);
        struct yj_event ev = {.ts = now};
        ev.u.alert.count = 1;
        ev.u.alert.fim = &fev.u.fim;
        emit_text(m, &ev, sig, sum, emit, ctx);
    }
    if (!r->data || m->no_detect || (kind != YJ_FIM_REMOVED && e.type != YJ_FIM_FILE))
        return;
    const struct proc *p = pid > 0 ? proc_note(m, pid) : NULL;
    struct yj_ransom_obs o = {
        .ts = now, .root = r->ridx, .path = path, .op = op, .pid = pid,
        .ppid = p ? p->ppid : 0,
        .entropy = op == YJ_RANSOM_DELETE ? -1 : sample(m, fd, path),
    };
    const struct yj_ransom_burst *b = yj_ransom_feed(m->det, &o);
    if (b)
        ransom_alert(m, b, now, emit, ctx);
}

static void read_inotify(struct yj_fsmon *m, int64_t now, yj_host_emit_fn emit, void *ctx)
{
    for (;;) {
        ssize_t n = read(m->ino, m->buf, sizeof m->buf);
        if (n <= 0)
            return;
        for (char *p = m->buf; p < m->buf + n;) {
            const struct inotify_event *ie = (const struct inotify_event *)(void *)p;
            p += sizeof *ie + ie->len;
            m->st.events++;
            if (ie->mask & IN_Q_OVERFLOW) {
                m->st.overflows++;
                m->overflow_pending = true;
                continue;
            }
            if (ie->wd < 0 || (size_t)ie->wd >= m->nw || !m->w[ie->wd].path)
                continue;
            struct watch *w = &m->w[ie->wd];
            if (ie->mask & IN_IGNORED) {
                free(w->path);
                w->path = NULL;
                m->st.watches--;
                continue;
            }
            if (!ie->len)
                continue;
            if (snprintf(m->path, sizeof m->path, "%s/%s", w->path, ie->name) >=
                (int)sizeof m->path)
                continue;
            size_t root = w->root;
            int depth = w->depth;
            bool fan = w->fan; /* w moves when watch_tree grows the table */
            uint32_t mk = ie->mask;
            if ((mk & IN_ISDIR) && (mk & (IN_CREATE | IN_MOVED_TO))) {
                change(m, now, root, m->path, YJ_FIM_ADDED, 0, YJ_RANSOM_CREATE, -1, 0, emit,
                       ctx);
                if (depth > 0) {
                    struct found f = {now, emit, ctx, (mk & IN_MOVED_TO) != 0};
                    watch_tree(m, m->path, (unsigned)root, depth - 1, &f);
                }
                continue;
            }
            uint64_t h = hash_path(m->path);
            if ((mk & IN_CREATE) && !(mk & IN_ISDIR) && fan) {
                /* fanotify's close-write may have been read already: report it now. */
                change(m, now, root, m->path, YJ_FIM_ADDED, 0, YJ_RANSOM_CREATE, -1, 0, emit,
                       ctx);
                continue;
            }
            if ((mk & IN_CREATE) && !(mk & IN_ISDIR)) {
                m->created[h % CREATED] = h;
                /* Links and special files never get a close-write. */
                struct stat sb;
                if (lstat(m->path, &sb) == 0 && !S_ISREG(sb.st_mode))
                    take_created(m, h);
                else
                    continue;
            }
            if (mk & IN_CLOSE_WRITE) {
                bool added = take_created(m, h);
                if (fan)
                    continue; /* fanotify reports it, with the writer */
                change(m, now, root, m->path, added ? YJ_FIM_ADDED : YJ_FIM_MODIFIED,
                       added ? 0 : YJ_FIM_F_CONTENT | YJ_FIM_F_SIZE | YJ_FIM_F_MTIME,
                       YJ_RANSOM_WRITE, -1, 0, emit, ctx);
            } else if (mk & (IN_CREATE | IN_MOVED_TO)) {
                change(m, now, root, m->path, YJ_FIM_ADDED, 0,
                       (mk & IN_MOVED_TO) ? YJ_RANSOM_RENAME : YJ_RANSOM_CREATE, -1, 0, emit,
                       ctx);
            } else if (mk & (IN_DELETE | IN_MOVED_FROM)) {
                take_created(m, h);
                change(m, now, root, m->path, YJ_FIM_REMOVED, 0, YJ_RANSOM_DELETE, -1, 0, emit,
                       ctx);
            } else if (mk & IN_ATTRIB) {
                /* Mode, owner or times: for file integrity, not for the detector (a chmod -R
                 * over a share rewrites nothing). */
                m->no_detect = true;
                change(m, now, root, m->path, YJ_FIM_MODIFIED, YJ_FIM_F_MODE | YJ_FIM_F_OWNER,
                       YJ_RANSOM_WRITE, -1, 0, emit, ctx);
                m->no_detect = false;
            }
        }
    }
}

static void read_fanotify(struct yj_fsmon *m, int64_t now, yj_host_emit_fn emit, void *ctx)
{
    for (;;) {
        ssize_t n = read(m->fan, m->buf, sizeof m->buf);
        if (n <= 0)
            return;
        const struct fanotify_event_metadata *md = (const void *)m->buf;
        for (; FAN_EVENT_OK(md, n); md = FAN_EVENT_NEXT(md, n)) {
            if (md->vers != FANOTIFY_METADATA_VERSION)
                return;
            m->st.events++;
            if (md->mask & FAN_Q_OVERFLOW) {
                m->st.overflows++;
                m->overflow_pending = true;
            }
            if (md->fd < 0)
                continue;
            char link[64];
            snprintf(link, sizeof link, "/proc/self/fd/%d", md->fd);
            ssize_t k = readlink(link, m->path, sizeof m->path - 1);
            int root = -1;
            if (k > 0 && md->pid != getpid()) {
                m->path[k] = '\0';
                root = root_of(m, m->path);
            }
            if (root >= 0 && m->roots[root].data)
                change(m, now, (size_t)root, m->path, YJ_FIM_MODIFIED,
                       YJ_FIM_F_CONTENT | YJ_FIM_F_SIZE | YJ_FIM_F_MTIME, YJ_RANSOM_WRITE,
                       md->fd, md->pid, emit, ctx);
            close(md->fd);
        }
    }
}

/* ---- Life cycle -------------------------------------------------------------------------- */

static void default_paths(struct yj_fsmon *m)
{
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        add_root(m, defaults[i].path, false, defaults[i].depth, defaults[i].alerts_only);
    DIR *dh = opendir("/home");
    if (!dh)
        return;
    static const char *const sub[] = {"", "/.ssh", "/.config/autostart",
                                      "/.config/systemd/user"};
    for (struct dirent *de; (de = readdir(dh)) != NULL;) {
        if (de->d_name[0] == '.')
            continue;
        for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++) {
            char p[YJ_FIM_PATH_MAX];
            snprintf(p, sizeof p, "/home/%s%s", de->d_name, sub[i]);
            add_root(m, p, false, i == 3 ? 1 : 0, i == 0);
        }
    }
    closedir(dh);
}

enum yj_err yj_fsmon_open(struct yj_fsmon **out, const struct yj_fsmon_opts *o,
                          struct yj_diag *d)
{
    *out = NULL;
    struct yj_fsmon *m = yj_xcalloc(1, sizeof *m);
    m->ino = m->fan = -1;
    m->stop = o->stop_process;
    m->lang = o->lang;
    if (o->cfg)
        m->cfg = *o->cfg;
    else
        yj_host_config_default(&m->cfg);
    yj_ransom_rules_init(&m->rules);
    char *shipped = o->rules_path ? NULL : yj_share_path("host/ransomware.yaml");
    enum yj_err err = yj_ransom_rules_load(&m->rules, o->rules_path ? o->rules_path : shipped, d);
    free(shipped);
    if (err) {
        yj_fsmon_close(m);
        return err;
    }
    m->ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (m->ino < 0) {
        yj_diag_add(d, NULL, 0, yj_t("fsmon.inotify"), strerror(errno));
        yj_fsmon_close(m);
        return YJ_ERR_IO;
    }
    /* A data folder that is not there is an error: watching nothing would look like
     * watching a quiet folder. */
    for (size_t i = 0; i < o->ndata; i++) {
        struct stat sb;
        if (stat(o->data_dirs[i], &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            yj_diag_add(d, NULL, 0, yj_t("fsmon.no_dir"), o->data_dirs[i]);
            yj_fsmon_close(m);
            return YJ_ERR_NOTFOUND;
        }
        add_root(m, o->data_dirs[i], true, DEPTH, false);
    }
    if (o->nsystem)
        for (size_t i = 0; i < o->nsystem; i++)
            add_root(m, o->system_paths[i], false, DEPTH, false);
    else
        default_paths(m);
    m->det = yj_ransom_new(&m->cfg, &m->rules, m->ndata);
    /* Without CAP_SYS_ADMIN this fails (EPERM) and inotify works alone. */
    if (!o->no_fanotify && m->ndata)
        m->fan = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
                               O_RDONLY | O_LARGEFILE | O_CLOEXEC | O_NOATIME);
    for (size_t i = 0; i < m->nroots; i++)
        watch_tree(m, m->roots[i].path, (unsigned)i, m->roots[i].depth, NULL);
    bool marked = false;
    for (size_t i = 0; i < m->nw; i++)
        marked = marked || (m->w[i].path && m->w[i].fan);
    if (m->fan >= 0 && !marked) {
        close(m->fan);
        m->fan = -1;
    }
    m->st.fanotify = m->fan >= 0;
    *out = m;
    return YJ_ERR_OK;
}

int yj_fsmon_fd(const struct yj_fsmon *m, size_t i)
{
    if (i == 0)
        return m->ino;
    if (i == 1)
        return m->fan;
    return -1;
}

void yj_fsmon_read(struct yj_fsmon *m, int64_t now, yj_host_emit_fn emit, void *ctx)
{
    /* inotify first: a file's creation is queued there before fanotify's close-write. */
    read_inotify(m, now, emit, ctx);
    if (m->fan >= 0)
        read_fanotify(m, now, emit, ctx);
    gaps(m, now, emit, ctx);
}

void yj_fsmon_tick(struct yj_fsmon *m, int64_t now, yj_host_emit_fn emit, void *ctx)
{
    yj_ransom_tick(m->det, now);
    gaps(m, now, emit, ctx);
}

struct yj_fsmon_stats yj_fsmon_stats(const struct yj_fsmon *m)
{
    return m->st;
}

void yj_fsmon_close(struct yj_fsmon *m)
{
    if (!m)
        return;
    if (m->ino >= 0)
        close(m->ino);
    if (m->fan >= 0)
        close(m->fan);
    for (size_t i = 0; i < m->nw; i++)
        free(m->w[i].path);
    free(m->w);
    for (size_t i = 0; i < m->nroots; i++)
        free(m->roots[i].path);
    free(m->roots);
    yj_ransom_free(m->det);
    yj_ransom_rules_fini(&m->rules);
    free(m);
}
