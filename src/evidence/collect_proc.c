/* Processes: every process in /proc with its parent, owner, state, start time, command line
 * and executable, and the SHA-256 of the executable as the kernel maps it (/proc/<pid>/exe,
 * which still opens when the file was deleted or replaced on disk; "deleted" is noted).
 *
 * processes/processes.tsv:
 *   pid ppid uid euid state started_utc comm exe exe_sha256 exe_note cmdline
 * exe_note: "" (hashed), kernel (a kernel thread has none), deleted (hashed anyway),
 * not_root / denied (another user's process), vanished, too_big, error.
 *
 * Reading another user's /proc/<pid>/exe needs root: those are counted as one skip, not
 * an error. A process that ends during the scan is counted as vanished. Executables are
 * hashed once per (device, inode, size, mtime), so fifty shells cost one hash. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/hash.h"
#include "evidence_int.h"

#define PF_KTHREAD_FLAG 0x00200000UL

static bool parse_ull(struct yj_str s, unsigned long long *out)
{
    if (s.n == 0 || s.n > 20)
        return false;
    unsigned long long v = 0;
    for (size_t i = 0; i < s.n; i++) {
        if (s.p[i] < '0' || s.p[i] > '9')
            return false;
        unsigned d = (unsigned)(s.p[i] - '0');
        if (v > (~0ULL - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/*  pid (comm) S ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
 *  cutime cstime priority nice threads itrealvalue starttime …
 * comm may hold spaces and parentheses: it ends at the last ')'. */
bool yj_ev_parse_pstat(struct yj_str s, struct yj_ev_pstat *out)
{
    memset(out, 0, sizeof *out);
    const char *open = memchr(s.p, '(', s.n);
    const char *close = NULL;
    for (size_t i = s.n; i > 0; i--) {
        if (s.p[i - 1] == ')') {
            close = s.p + i - 1;
            break;
        }
    }
    if (!open || !close || close < open)
        return false;
    size_t cn = (size_t)(close - open - 1);
    if (cn >= sizeof out->comm)
        cn = sizeof out->comm - 1;
    memcpy(out->comm, open + 1, cn);
    out->comm[cn] = '\0';
    struct yj_str cur = {close + 1, s.n - (size_t)(close + 1 - s.p)}, w;
    for (int field = 3; field <= 22; field++) {
        if (!yj_str_next_word(&cur, &w))
            return false;
        unsigned long long v = 0;
        switch (field) {
        case 3:
            if (w.n != 1)
                return false;
            out->state = w.p[0];
            break;
        case 4: {
            long ppid;
            if (!yj_str_to_long(w, &ppid) || ppid < 0)
                return false;
            out->ppid = ppid;
            break;
        }
        case 9:
            if (!parse_ull(w, &v))
                return false;
            out->flags = (unsigned long)v;
            break;
        case 22:
            if (!parse_ull(w, &v))
                return false;
            out->starttime = v;
            break;
        default: break;
        }
    }
    return true;
}

struct exe_hash {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    char hex[YJ_SHA256_HEX];
    const char *note; /* "" or too_big/error */
};

struct scan {
    struct yj_ev *c;
    struct exe_hash *cache;
    size_t n_cache, cap_cache;
    long ticks;
};

static int read_small(const char *path, size_t max, struct yj_buf *b)
{
    uint64_t off;
    bool trunc;
    return yj_ev_read(path, max, false, 1, b, &off, &trunc);
}

/* The uid and euid from /proc/<pid>/status ("Uid:\treal\teffective\tsaved\tfs"). */
static bool status_uids(const char *pid, long *uid, long *euid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%s/status", pid);
    struct yj_buf b;
    yj_buf_init(&b, 64 << 10);
    bool ok = false;
    if (read_small(path, 32 << 10, &b) == 0) {
        struct yj_str cur = {yj_buf_cstr(&b), b.len}, line, w;
        while (yj_str_next_line(&cur, &line)) {
            if (line.n < 4 || memcmp(line.p, "Uid:", 4) != 0)
                continue;
            struct yj_str rest = {line.p + 4, line.n - 4};
            ok = yj_str_next_word(&rest, &w) && yj_str_to_long(w, uid) &&
                 yj_str_next_word(&rest, &w) && yj_str_to_long(w, euid);
            break;
        }
    }
    yj_buf_fini(&b);
    return ok;
}

static void hash_exe(struct scan *s, const char *pid, const char *exe, char hex[YJ_SHA256_HEX],
                     const char **note)
{
    struct yj_ev *c = s->c;
    char path[64];
    snprintf(path, sizeof path, "/proc/%s/exe", pid);
    int fd = yj_ev_open(path, 0);
    if (fd < 0) {
        int e = errno;
        *note = e == ENOENT || e == ESRCH ? "vanished" : c->root ? "denied" : "not_root";
        return;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        *note = "error";
        return;
    }
    for (size_t i = 0; i < s->n_cache; i++) {
        struct exe_hash *h = &s->cache[i];
        if (h->dev == st.st_dev && h->ino == st.st_ino && h->size == st.st_size &&
            h->mtime.tv_sec == st.st_mtim.tv_sec && h->mtime.tv_nsec == st.st_mtim.tv_nsec) {
            close(fd);
            memcpy(hex, h->hex, YJ_SHA256_HEX);
            *note = h->note;
            return;
        }
    }
    uint8_t sum[YJ_SHA256_LEN];
    enum yj_err err = yj_sha256_fd(fd, exe, YJ_EV_EXE_MAX, sum, NULL, NULL);
    close(fd);
    struct exe_hash h = {.dev = st.st_dev, .ino = st.st_ino, .size = st.st_size,
                         .mtime = st.st_mtim, .note = ""};
    if (err == YJ_ERR_OK) {
        yj_sha256_hex(sum, h.hex);
    } else {
        h.note = err == YJ_ERR_LIMIT ? "too_big" : "error";
        yj_ev_skip(c, YJ_EV_AREA_PROCESSES, exe,
                   err == YJ_ERR_LIMIT ? YJ_EV_WHY_TOO_BIG : YJ_EV_WHY_ERROR, NULL);
    }
    if (s->n_cache == s->cap_cache) {
        s->cap_cache = s->cap_cache ? s->cap_cache * 2 : 64;
        s->cache = yj_xrealloc(s->cache, s->cap_cache * sizeof *s->cache);
    }
    s->cache[s->n_cache++] = h;
    memcpy(hex, h.hex, YJ_SHA256_HEX);
    *note = h.note;
}

static void one(struct scan *s, const char *pid, struct yj_buf *out)
{
    struct yj_ev *c = s->c;
    char path[64];
    snprintf(path, sizeof path, "/proc/%s/stat", pid);
    struct yj_buf b;
    yj_buf_init(&b, 8192);
    int e = read_small(path, 4096, &b);
    struct yj_ev_pstat ps;
    if (e) {
        yj_buf_fini(&b);
        yj_ev_skip(c, YJ_EV_AREA_PROCESSES, NULL,
                   e == ENOENT || e == ESRCH ? YJ_EV_WHY_VANISHED : yj_ev_why_errno(c, e), NULL);
        return;
    }
    if (!yj_ev_parse_pstat((struct yj_str){yj_buf_cstr(&b), b.len}, &ps)) {
        yj_buf_fini(&b);
        yj_ev_skip(c, YJ_EV_AREA_PROCESSES, path, YJ_EV_WHY_MALFORMED, NULL);
        return;
    }
    yj_buf_fini(&b);
    long uid = -1, euid = -1;
    status_uids(pid, &uid, &euid);

    char exe[4096] = "";
    char hex[YJ_SHA256_HEX] = "";
    const char *note = "";
    snprintf(path, sizeof path, "/proc/%s/exe", pid);
    ssize_t ln = readlink(path, exe, sizeof exe - 1);
    if (ln >= 0) {
        exe[ln] = '\0';
        static const char del[] = " (deleted)";
        size_t n = (size_t)ln;
        bool deleted = n > sizeof del - 1 && strcmp(exe + n - (sizeof del - 1), del) == 0;
        hash_exe(s, pid, exe, hex, &note);
        if (deleted && !note[0]) {
            note = "deleted";
            c->r->counts.exe_deleted++;
        }
    } else if (ps.flags & PF_KTHREAD_FLAG) {
        note = "kernel";
    } else if (errno == EACCES || errno == EPERM) {
        note = c->root ? "denied" : "not_root";
    } else {
        note = errno == ENOENT || errno == ESRCH ? "vanished" : "error";
    }
    if (hex[0])
        c->r->counts.exe_hashed++;
    else if (strcmp(note, "not_root") == 0)
        yj_ev_skip(c, YJ_EV_AREA_PROCESSES, NULL, YJ_EV_WHY_EXE_NOT_ROOT, NULL);
    else if (strcmp(note, "denied") == 0)
        yj_ev_skip(c, YJ_EV_AREA_PROCESSES, NULL, YJ_EV_WHY_EXE_DENIED, NULL);

    struct yj_buf cmd;
    yj_buf_init(&cmd, YJ_EV_CMDLINE_MAX + 2);
    snprintf(path, sizeof path, "/proc/%s/cmdline", pid);
    if (read_small(path, YJ_EV_CMDLINE_MAX, &cmd) == 0) {
        while (cmd.len && cmd.p[cmd.len - 1] == '\0')
            cmd.len--;
        for (size_t i = 0; i < cmd.len; i++)
            if (cmd.p[i] == '\0')
                cmd.p[i] = ' ';
    }

    yj_buf_printf(out, "%s\t%ld\t%ld\t%ld\t%c\t", pid, ps.ppid, uid, euid,
                  isprint((unsigned char)ps.state) ? ps.state : '?');
    if (c->boot > 0 && s->ticks > 0)
        yj_ev_time_utc(out, (int64_t)(c->boot + (double)ps.starttime / (double)s->ticks));
    else
        yj_buf_addc(out, '-');
    yj_buf_addc(out, '\t');
    yj_ev_tsv_s(out, ps.comm);
    yj_buf_addc(out, '\t');
    yj_ev_tsv_s(out, exe);
    yj_buf_printf(out, "\t%s\t%s\t", hex[0] ? hex : "-", note[0] ? note : "-");
    yj_ev_tsv(out, cmd.p ? cmd.p : "", cmd.len);
    yj_buf_addc(out, '\n');
    yj_buf_fini(&cmd);
    c->r->counts.processes++;
}

static int by_number(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

void yj_ev_collect_proc(struct yj_ev *c)
{
    DIR *dp = opendir("/proc");
    if (!dp) {
        yj_ev_skip(c, YJ_EV_AREA_PROCESSES, "/proc", yj_ev_why_errno(c, errno), NULL);
        return;
    }
    long *pids = yj_xmalloc(YJ_EV_MAX_PROCS * sizeof *pids);
    size_t n = 0;
    bool over = false;
    struct dirent *de;
    while ((de = readdir(dp)) != NULL) {
        long pid;
        if (!yj_str_to_long(yj_str_c(de->d_name), &pid) || pid <= 0)
            continue;
        if (n == YJ_EV_MAX_PROCS) {
            over = true;
            continue;
        }
        pids[n++] = pid;
    }
    closedir(dp);
    if (n > 1)
        qsort(pids, n, sizeof *pids, by_number);
    if (over)
        yj_ev_skip(c, YJ_EV_AREA_PROCESSES, "/proc", YJ_EV_WHY_LIMIT, NULL);

    struct scan s = {.c = c, .ticks = sysconf(_SC_CLK_TCK)};
    struct yj_buf out;
    yj_buf_init(&out, YJ_EV_TABLE_MAX);
    yj_buf_adds(&out, "pid\tppid\tuid\teuid\tstate\tstarted_utc\tcomm\texe\texe_sha256\texe_note"
                      "\tcmdline\n");
    for (size_t i = 0; i < n; i++) {
        char pid[24];
        snprintf(pid, sizeof pid, "%ld", pids[i]);
        one(&s, pid, &out);
    }
    yj_ev_add(c, YJ_EV_AREA_PROCESSES, "processes/processes.tsv", "/proc", &out, false, 0);
    yj_buf_fini(&out);
    free(s.cache);
    free(pids);
}
