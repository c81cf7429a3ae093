/* Following log files as they grow, like `tail -F`, through one fixed buffer per file:
 *
 *   appended lines   inotify IN_MODIFY on the file wakes the loop; every complete line goes
 *                    to the host scanner (same parsers and detectors as `yojin logscan`)
 *   rotation         the path names a new file (logrotate's create, or a file that appears
 *                    later): the old file is read to its end, then the new one from its start
 *   truncation       the file is shorter than what was read (copytruncate): read from 0
 *
 * inotify watches the file and its folder so rotation is noticed at once; the tick checks
 * the same things once a second, so nothing depends on inotify alone (watch limits,
 * network file systems). Positions (device, inode, offset) are saved in the store, so a
 * restarted watch resumes where it stopped instead of reading everything again or
 * skipping what arrived while it was down. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/i18n.h"
#include "watch_int.h"

/* ---- Positions in the store -------------------------------------------------------------- */

static bool load_pos(struct yj_store *st, const char *path, int64_t *dev, int64_t *ino,
                     int64_t *off, int64_t *line)
{
    struct yj_stmt *q;
    bool row = false;
    if (!st || yj_stmt_prepare(st, "SELECT dev, ino, off, line FROM watch_pos WHERE source = ?1",
                               &q))
        return false;
    if (!yj_stmt_text(q, 1, path) && !yj_stmt_step(q, &row) && row) {
        *dev = yj_col_int(q, 0);
        *ino = yj_col_int(q, 1);
        *off = yj_col_int(q, 2);
        *line = yj_col_int(q, 3);
    }
    yj_stmt_free(q);
    return row;
}

void follow_save(struct follow_set *fs, struct yj_store *st)
{
    bool any = false;
    for (size_t i = 0; i < fs->n; i++)
        any |= fs->v[i].dirty && fs->v[i].fd >= 0;
    if (!st || !any || yj_store_begin(st))
        return;
    struct yj_stmt *q;
    if (yj_stmt_prepare(st,
                        "INSERT INTO watch_pos(source, dev, ino, off, line, updated_at) "
                        "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(source) DO UPDATE SET "
                        "dev = ?2, ino = ?3, off = ?4, line = ?5, updated_at = ?6",
                        &q)) {
        yj_store_rollback(st);
        return;
    }
    bool ok = true;
    for (size_t i = 0; i < fs->n && ok; i++) {
        struct follower *f = &fs->v[i];
        if (!f->dirty || f->fd < 0)
            continue;
        /* The saved offset is the start of the partial line still in the buffer. */
        ok = !yj_stmt_text(q, 1, f->path) && !yj_stmt_int(q, 2, (int64_t)f->dev) &&
             !yj_stmt_int(q, 3, (int64_t)f->ino) &&
             !yj_stmt_int(q, 4, (int64_t)f->off - (int64_t)f->len) &&
             !yj_stmt_int(q, 5, (int64_t)f->lineno) && !yj_stmt_int(q, 6, (int64_t)time(NULL)) &&
             !yj_stmt_run(q) && !yj_stmt_reset(q);
        if (ok)
            f->dirty = false;
    }
    yj_stmt_free(q);
    if (!ok || yj_store_commit(st))
        yj_store_rollback(st);
}

/* ---- Reading ------------------------------------------------------------------------------ */

static void line(struct follow_set *fs, struct follower *f, const char *p, size_t n)
{
    struct yj_host_clock clk = {0, (int64_t)time(NULL)};
    yj_host_scan_line(fs->scan, &clk, (struct yj_str){p, n}, f->path, ++f->lineno, &f->st);
}

/* Keeps the last bytes of what was read (buf[0..len) ends at the current offset) and the
 * file's mtime. */
static void remember_tail(struct follower *f, const char *buf, size_t len)
{
    size_t k = len < sizeof f->tail ? len : sizeof f->tail;
    if (k < sizeof f->tail && f->ntail) {
        /* Too little new data: keep older bytes in front. */
        size_t keep = f->ntail + k > sizeof f->tail ? sizeof f->tail - k : f->ntail;
        memmove(f->tail, f->tail + f->ntail - keep, keep);
        memcpy(f->tail + keep, buf + len - k, k);
        f->ntail = keep + k;
    } else {
        memcpy(f->tail, buf + len - k, k);
        f->ntail = k;
    }
    struct stat st;
    if (fstat(f->fd, &st) == 0)
        f->mtime = st.st_mtim;
}

/* Was the file emptied and written again since it was read (copytruncate)? Shorter than
 * what was read, or as long but changed (mtime moved, and the bytes before the offset are
 * not the ones read). */
static bool rewritten(struct follower *f)
{
    struct stat st;
    if (fstat(f->fd, &st) != 0)
        return false;
    if (st.st_size < f->off)
        return true;
    if (st.st_size != f->off || !f->ntail ||
        (st.st_mtim.tv_sec == f->mtime.tv_sec && st.st_mtim.tv_nsec == f->mtime.tv_nsec))
        return false;
    char now[sizeof f->tail];
    ssize_t got = pread(f->fd, now, f->ntail, f->off - (off_t)f->ntail);
    f->mtime = st.st_mtim;
    return got != (ssize_t)f->ntail || memcmp(now, f->tail, f->ntail) != 0;
}

/* Reads f to its current end, handing out complete lines. */
static void drain(struct follow_set *fs, struct follower *f)
{
    if (f->fd < 0)
        return;
    for (;;) {
        ssize_t got = read(f->fd, f->buf + f->len, WATCH_READ_BUF - f->len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return;
        f->off += got;
        f->dirty = true;
        size_t len = f->len + (size_t)got, start = 0;
        remember_tail(f, f->buf, len);
        const char *nl;
        while ((nl = memchr(f->buf + start, '\n', len - start)) != NULL) {
            size_t end = (size_t)(nl - f->buf);
            if (f->skipping)
                f->skipping = false;
            else if (end - start >= YJ_HOST_LINE_MAX) {
                f->st.lines++;
                f->st.toolong++;
                f->st.skipped++;
                f->lineno++;
            } else
                line(fs, f, f->buf + start, end - start);
            start = end + 1;
        }
        len -= start;
        if (len >= YJ_HOST_LINE_MAX) {
            /* A line without end: count it once and skip to its newline. */
            if (!f->skipping) {
                f->st.lines++;
                f->st.toolong++;
                f->st.skipped++;
                f->lineno++;
            }
            f->skipping = true;
            len = 0;
        } else if (start && len) {
            memmove(f->buf, f->buf + start, len);
        }
        f->len = len;
    }
}

void follow_read(struct follow_set *fs)
{
    /* Empty the inotify queue; which file woke us matters little: reading a file that has
     * nothing new costs one read(). */
    char ev[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    if (fs->ifd >= 0)
        while (read(fs->ifd, ev, sizeof ev) > 0) {
        }
    for (size_t i = 0; i < fs->n; i++)
        drain(fs, &fs->v[i]);
}

/* ---- Opening, rotation, truncation -------------------------------------------------------- */

static void watch_file(struct follow_set *fs, struct follower *f)
{
    if (fs->ifd < 0)
        return;
    if (f->wd >= 0)
        inotify_rm_watch(fs->ifd, f->wd);
    f->wd = inotify_add_watch(fs->ifd, f->path, IN_MODIFY | IN_MOVE_SELF | IN_DELETE_SELF |
                                                   IN_ATTRIB);
}

/* Opens the file now at f->path, positioned at off (clamped to its size). */
static bool open_at(struct follow_set *fs, struct follower *f, off_t off, uint64_t lineno)
{
    int fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        if (e != ENOENT && !f->warned) {
            fprintf(fs->err, "yojin: %s: %s\n", f->path, strerror(e));
            f->warned = true;
        }
        errno = e;
        return false;
    }
    if (off > st.st_size) {
        off = 0;
        lineno = 0;
    }
    if (lseek(fd, off, SEEK_SET) < 0) {
        off = 0;
        lineno = 0;
    }
    f->fd = fd;
    f->dev = st.st_dev;
    f->ino = st.st_ino;
    f->off = off;
    f->lineno = lineno;
    f->len = 0;
    f->skipping = false;
    f->warned = false;
    f->dirty = true;
    f->ntail = 0;
    f->mtime = st.st_mtim;
    watch_file(fs, f);
    return true;
}

void follow_tick(struct follow_set *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        struct follower *f = &fs->v[i];
        struct stat now;
        if (f->fd < 0) {
            /* Not there at start (or gone): a file that appears is read from its start. */
            if (open_at(fs, f, 0, 0))
                drain(fs, f);
            continue;
        }
        drain(fs, f);
        if (rewritten(f)) {
            /* Truncated in place: start again from the top. */
            lseek(f->fd, 0, SEEK_SET);
            f->off = 0;
            f->len = 0;
            f->ntail = 0;
            f->lineno = 0;
            f->skipping = false;
            f->dirty = true;
            drain(fs, f);
        }
        if (stat(f->path, &now) != 0)
            continue; /* moved away, nothing new yet: keep reading the old file */
        if (now.st_dev != f->dev || now.st_ino != f->ino) {
            /* Rotated: finish the old file, then the new one from its start. A last line
             * without newline in the old file is complete now. */
            drain(fs, f);
            if (f->len && !f->skipping)
                line(fs, f, f->buf, f->len);
            close(f->fd);
            f->fd = -1;
            if (open_at(fs, f, 0, 0))
                drain(fs, f);
        }
    }
}

enum yj_err follow_open(struct follow_set *fs, const char *const *paths, size_t n,
                        struct yj_store *st, bool from_start, bool required, FILE *err,
                        struct yj_diag *d)
{
    fs->v = yj_xcalloc(n ? n : 1, sizeof *fs->v);
    fs->n = n;
    fs->err = err;
    fs->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    for (size_t i = 0; i < n; i++) {
        struct follower *f = &fs->v[i];
        f->path = yj_xstrdup(paths[i]);
        f->fd = -1;
        f->wd = -1;
        f->buf = yj_xmalloc(WATCH_READ_BUF);
        int64_t dev = 0, ino = 0, off = 0, lineno = 0;
        struct stat sb;
        bool exists = stat(f->path, &sb) == 0;
        if (exists && !S_ISREG(sb.st_mode) && !S_ISFIFO(sb.st_mode))
            return yj_diag_fail(d, YJ_ERR_INVALID, f->path, 0, "%s", yj_t("watch.not_file"));
        if (!exists) {
            /* Followed once it appears; its folder is watched so that is prompt. */
            if (fs->ifd >= 0) {
                char *dir = yj_xstrdup(f->path);
                inotify_add_watch(fs->ifd, dirname(dir), IN_CREATE | IN_MOVED_TO);
                free(dir);
            }
            continue;
        }
        off_t at = sb.st_size;
        uint64_t lno = 0;
        if (from_start) {
            at = 0;
        } else if (load_pos(st, f->path, &dev, &ino, &off, &lineno)) {
            /* Same file as last time: resume; another file: it replaced the old one while
             * we were stopped, so all of it is new. */
            bool same = (dev_t)dev == sb.st_dev && (ino_t)ino == sb.st_ino;
            at = same && off <= sb.st_size ? (off_t)off : 0;
            lno = same && off <= sb.st_size ? (uint64_t)lineno : 0;
        }
        if (!open_at(fs, f, at, lno)) {
            if (required)
                return yj_diag_fail(d, YJ_ERR_IO, f->path, 0, "%s", strerror(errno));
            continue;
        }
        if (fs->ifd >= 0) {
            char *dir = yj_xstrdup(f->path);
            inotify_add_watch(fs->ifd, dirname(dir), IN_CREATE | IN_MOVED_TO);
            free(dir);
        }
    }
    return YJ_ERR_OK;
}

void follow_close(struct follow_set *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        if (fs->v[i].fd >= 0)
            close(fs->v[i].fd);
        free(fs->v[i].path);
        free(fs->v[i].buf);
    }
    free(fs->v);
    if (fs->ifd >= 0)
        close(fs->ifd);
    memset(fs, 0, sizeof *fs);
    fs->ifd = -1;
}
