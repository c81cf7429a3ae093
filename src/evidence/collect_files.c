/* Recently changed files in the places attackers write to: system configuration and program
 * folders, temporary folders, home folders, cron spools and systemd unit folders.
 *
 * A file is listed when its modification time (mtime) or its status-change time (ctime) is
 * within the last `days` days: mtime can be set back with `touch`, ctime cannot, so a file
 * planted with an old mtime still shows. Folders are walked breadth first (shallow files
 * first when a cap is reached), never through symbolic links, never onto another file
 * system, at most YJ_EV_FILES_DEPTH levels deep and YJ_EV_FILES_VISIT entries per root.
 * Regular files are hashed while the hash budget lasts. Folders and files are opened with
 * O_NOATIME where the kernel allows, so the scan does not change access times it can avoid.
 *
 * files/recent.tsv:
 *   changed mtime_utc ctime_utc size mode uid gid type sha256 note path target
 * changed: m, c or mc (which times fall in the window); type: f (file), l (symbolic link,
 * target given), p, s, b, c; note: why sha256 is missing (too_big, budget, not_root, …). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/i18n.h"
#include "evidence_int.h"

static const char *const default_roots[] = {
    "/etc",          "/usr/bin",        "/usr/sbin",
    "/usr/local/bin", "/usr/local/sbin", "/bin",
    "/sbin",         "/usr/lib/systemd/system", "/lib/systemd/system",
    "/usr/local/lib/systemd/system", "/run/systemd/system", "/var/spool/cron",
    "/tmp",          "/var/tmp",        "/dev/shm",
    "/root",         "/home",           NULL,
};

struct walk {
    struct yj_ev *c;
    int64_t cutoff;
    struct yj_buf out;
    size_t listed;
    uint64_t hashed;
    bool full;
    /* the current root */
    const char *root;
    dev_t dev;
    size_t visited;
    bool root_full, root_deep;
};

struct qent {
    char *path;
    int depth;
};

struct queue {
    struct qent *v;
    size_t head, n, cap;
};

static void push(struct queue *q, char *path, int depth)
{
    if (q->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 64;
        q->v = yj_xrealloc(q->v, q->cap * sizeof *q->v);
    }
    q->v[q->n++] = (struct qent){path, depth};
}

static char type_char(mode_t m)
{
    if (S_ISREG(m))
        return 'f';
    if (S_ISLNK(m))
        return 'l';
    if (S_ISFIFO(m))
        return 'p';
    if (S_ISSOCK(m))
        return 's';
    if (S_ISBLK(m))
        return 'b';
    if (S_ISCHR(m))
        return 'c';
    return '?';
}

/* Hashes a regular file found as name in dirfd; "" in note when hex is filled. */
static void hash_entry(struct walk *w, int dirfd, const char *name, const struct stat *st,
                       char hex[YJ_SHA256_HEX], const char **note)
{
    if ((uint64_t)st->st_size > YJ_EV_HASH_FILE_MAX) {
        *note = "too_big";
        return;
    }
    if (w->hashed + (uint64_t)st->st_size > YJ_EV_HASH_BUDGET) {
        *note = "budget";
        return;
    }
    int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW;
    int fd = openat(dirfd, name, flags | O_NOATIME);
    if (fd < 0 && errno == EPERM)
        fd = openat(dirfd, name, flags);
    if (fd < 0) {
        int e = errno;
        *note = e == ENOENT ? "vanished"
                : e == EACCES || e == EPERM ? (w->c->root ? "denied" : "not_root")
                                            : "error";
        return;
    }
    struct stat now;
    uint8_t sum[YJ_SHA256_LEN];
    if (fstat(fd, &now) != 0 || now.st_ino != st->st_ino || now.st_dev != st->st_dev) {
        *note = "vanished"; /* replaced between the listing and the open */
    } else {
        uint64_t size = 0;
        enum yj_err err = yj_sha256_fd(fd, name, YJ_EV_HASH_FILE_MAX, sum, &size, NULL);
        w->hashed += size;
        if (err == YJ_ERR_OK) {
            yj_sha256_hex(sum, hex);
            *note = "";
        } else {
            *note = err == YJ_ERR_LIMIT ? "too_big" : "error";
        }
    }
    close(fd);
}

static void list(struct walk *w, int dirfd, const char *name, const char *path,
                 const struct stat *st, bool m, bool c)
{
    char hex[YJ_SHA256_HEX] = "";
    const char *note = "";
    char target[PATH_MAX] = "";
    if (S_ISREG(st->st_mode)) {
        hash_entry(w, dirfd, name, st, hex, &note);
    } else if (S_ISLNK(st->st_mode)) {
        ssize_t n = readlinkat(dirfd, name, target, sizeof target - 1);
        target[n > 0 ? n : 0] = '\0';
    }
    struct yj_buf *b = &w->out;
    yj_buf_printf(b, "%s%s\t", m ? "m" : "", c ? "c" : "");
    yj_ev_time_utc(b, (int64_t)st->st_mtim.tv_sec);
    yj_buf_addc(b, '\t');
    yj_ev_time_utc(b, (int64_t)st->st_ctim.tv_sec);
    yj_buf_printf(b, "\t%lld\t%04o\t%lu\t%lu\t%c\t%s\t%s\t", (long long)st->st_size,
                  (unsigned)(st->st_mode & 07777), (unsigned long)st->st_uid,
                  (unsigned long)st->st_gid, type_char(st->st_mode), hex[0] ? hex : "-",
                  note[0] ? note : "-");
    yj_ev_tsv_s(b, path);
    yj_buf_addc(b, '\t');
    yj_ev_tsv_s(b, target);
    yj_buf_addc(b, '\n');
    w->listed++;
    w->c->r->counts.recent_files++;
}

static void skip(struct walk *w, enum yj_ev_why why)
{
    yj_ev_skip(w->c, YJ_EV_AREA_FILES, w->root, why, NULL);
}

/* Reads one folder: lists its recent entries, queues its subfolders. */
static void folder(struct walk *w, struct queue *q, const char *dir, int depth)
{
    int fd = yj_ev_open(dir, O_DIRECTORY | O_NOFOLLOW);
    if (fd < 0) {
        skip(w, errno == ENOENT ? YJ_EV_WHY_VANISHED : yj_ev_why_errno(w->c, errno));
        return;
    }
    DIR *dp = fdopendir(fd);
    if (!dp) {
        close(fd);
        skip(w, YJ_EV_WHY_ERROR);
        return;
    }
    struct dirent *de;
    while (!w->full && (de = readdir(dp)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (++w->visited > YJ_EV_FILES_VISIT) {
            if (!w->root_full) {
                char detail[128];
                snprintf(detail, sizeof detail, yj_t("evidence.visit_limit"), YJ_EV_FILES_VISIT);
                yj_ev_skip(w->c, YJ_EV_AREA_FILES, w->root, YJ_EV_WHY_LIMIT, detail);
            }
            w->root_full = true;
            break;
        }
        w->c->r->counts.files_visited++;
        struct stat st;
        if (fstatat(dirfd(dp), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            skip(w, errno == ENOENT ? YJ_EV_WHY_VANISHED : yj_ev_why_errno(w->c, errno));
            continue;
        }
        char *path = NULL;
        if (asprintf(&path, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
                     de->d_name) < 0)
            yj_oom();
        if (S_ISDIR(st.st_mode)) {
            if (st.st_dev != w->dev) {
                free(path); /* another file system mounted here */
            } else if (depth + 1 > YJ_EV_FILES_DEPTH) {
                if (!w->root_deep) {
                    char detail[128];
                    snprintf(detail, sizeof detail, yj_t("evidence.depth_limit"),
                             YJ_EV_FILES_DEPTH);
                    yj_ev_skip(w->c, YJ_EV_AREA_FILES, w->root, YJ_EV_WHY_LIMIT, detail);
                }
                w->root_deep = true;
                free(path);
            } else {
                push(q, path, depth + 1);
            }
            continue;
        }
        bool m = (int64_t)st.st_mtim.tv_sec >= w->cutoff;
        bool c = (int64_t)st.st_ctim.tv_sec >= w->cutoff;
        bool ours = st.st_dev == w->c->w.dev && st.st_ino == w->c->w.ino;
        if ((m || c) && !ours) {
            if (w->listed >= YJ_EV_FILES_MAX) {
                w->full = true;
                yj_ev_skip(w->c, YJ_EV_AREA_FILES, NULL, YJ_EV_WHY_LIMIT, NULL);
            } else {
                list(w, dirfd(dp), de->d_name, path, &st, m, c);
            }
        }
        free(path);
    }
    closedir(dp);
}

static void walk_root(struct walk *w, const char *root)
{
    struct stat st;
    if (lstat(root, &st) != 0 || !S_ISDIR(st.st_mode))
        return;
    w->root = root;
    w->dev = st.st_dev;
    w->visited = 0;
    w->root_full = false;
    w->root_deep = false;
    struct queue q = {0};
    push(&q, yj_xstrdup(root), 0);
    while (q.head < q.n) {
        struct qent e = q.v[q.head++];
        if (!w->full && !w->root_full)
            folder(w, &q, e.path, e.depth);
        free(e.path);
    }
    free(q.v);
}

/* True when a is b or lies inside b, comparing whole components. */
static bool inside(const char *a, const char *b)
{
    size_t n = strlen(b);
    if (strncmp(a, b, n) != 0)
        return false;
    return a[n] == '\0' || a[n] == '/' || (n == 1 && b[0] == '/');
}

void yj_ev_collect_files(struct yj_ev *c)
{
    const char *const *roots = c->o->roots ? c->o->roots : default_roots;
    /* Resolve each root once (/bin is /usr/bin on merged systems) and drop those inside
     * another root, so that nothing is walked twice. */
    size_t n = 0;
    while (roots[n])
        n++;
    char **real = yj_xcalloc(n ? n : 1, sizeof *real);
    for (size_t i = 0; i < n; i++) {
        real[i] = realpath(roots[i], NULL);
        if (!real[i] && errno != ENOENT && errno != ENOTDIR)
            yj_ev_skip(c, YJ_EV_AREA_FILES, roots[i], yj_ev_why_errno(c, errno), NULL);
    }
    struct walk w = {.c = c, .cutoff = c->now - (int64_t)c->r->days * 86400};
    yj_buf_init(&w.out, YJ_EV_TABLE_MAX);
    yj_buf_adds(&w.out, "changed\tmtime_utc\tctime_utc\tsize\tmode\tuid\tgid\ttype\tsha256\tnote"
                        "\tpath\ttarget\n");
    for (size_t i = 0; i < n && !w.full; i++) {
        if (!real[i])
            continue;
        bool dup = false;
        for (size_t k = 0; k < n && !dup; k++) {
            if (k == i || !real[k])
                continue;
            /* inside another root, or the same folder listed earlier */
            if (inside(real[i], real[k]) && (strcmp(real[i], real[k]) != 0 || k < i))
                dup = true;
        }
        if (!dup)
            walk_root(&w, real[i]);
    }
    char src[64];
    snprintf(src, sizeof src, "mtime/ctime within %d days", c->r->days);
    yj_ev_add(c, YJ_EV_AREA_FILES, "files/recent.tsv", src, &w.out, w.full, 0);
    yj_buf_fini(&w.out);
    for (size_t i = 0; i < n; i++)
        free(real[i]);
    free(real);
}
