/* The archive writer: a pax tar, gzip-compressed by libarchive, written through our own
 * callback into a temporary file beside the target. The callback hashes every byte it
 * writes, so the archive's SHA-256 is known when it is closed without reading it back.
 *
 * Entries are regular files, mode 0400, owned by 0:0, all stamped with the collection's
 * start time; no directory entries (extraction creates the folders). Each entry's SHA-256
 * goes into the manifest, which is written last and lists every other entry. The file is
 * renamed to its final name only when complete, and never over an existing file, so a
 * half-written or replaced archive cannot pass for evidence. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/i18n.h"
#include "evidence_int.h"

#define MANIFEST_NAME "manifest.sha256"

static la_ssize_t on_write(struct archive *a, void *ctx, const void *buf, size_t n)
{
    struct yj_ev_writer *w = ctx;
    const char *p = buf;
    size_t left = n;
    while (left > 0) {
        ssize_t k = write(w->fd, p, left);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            w->io_errno = errno;
            archive_set_error(a, errno, "%s", strerror(errno));
            return -1;
        }
        p += k;
        left -= (size_t)k;
    }
    yj_sha256_update(&w->whole, buf, n);
    w->written += n;
    return (la_ssize_t)n;
}

static enum yj_err fail(struct yj_ev_writer *w, struct yj_diag *d)
{
    const char *why = w->io_errno ? strerror(w->io_errno)
                      : w->a && archive_error_string(w->a) ? archive_error_string(w->a)
                                                           : "?";
    return yj_diag_fail(d, YJ_ERR_IO, w->final, 0, yj_t("evidence.write"), why);
}

enum yj_err yj_ev_writer_open(struct yj_ev_writer *w, const char *path, const char *top,
                              int64_t mtime, struct yj_diag *d)
{
    memset(w, 0, sizeof *w);
    w->fd = -1;
    w->final = yj_xstrdup(path);
    w->top = yj_xstrdup(top);
    w->mtime = mtime;
    yj_buf_init(&w->manifest, YJ_MANIFEST_MAX_BYTES);
    yj_sha256_init(&w->whole);
    size_t n = strlen(path) + 16;
    w->tmp = yj_xmalloc(n);
    snprintf(w->tmp, n, "%s.tmpXXXXXX", path);
    w->fd = mkostemp(w->tmp, O_CLOEXEC);
    if (w->fd < 0) {
        int e = errno;
        free(w->tmp);
        w->tmp = NULL;
        return yj_diag_fail(d, YJ_ERR_IO, path, 0, yj_t("evidence.write"), strerror(e));
    }
    struct stat st;
    if (fchmod(w->fd, 0600) != 0 || fstat(w->fd, &st) != 0) {
        w->io_errno = errno;
        return fail(w, d);
    }
    w->dev = st.st_dev;
    w->ino = st.st_ino;
    w->a = archive_write_new();
    if (!w->a)
        yj_oom();
    if (archive_write_add_filter_gzip(w->a) != ARCHIVE_OK ||
        archive_write_set_format_pax_restricted(w->a) != ARCHIVE_OK ||
        archive_write_set_bytes_in_last_block(w->a, 1) != ARCHIVE_OK ||
        archive_write_open2(w->a, w, NULL, on_write, NULL, NULL) != ARCHIVE_OK)
        return fail(w, d);
    return YJ_ERR_OK;
}

static enum yj_err put(struct yj_ev_writer *w, const char *name, const void *p, size_t n,
                       struct yj_diag *d)
{
    size_t len = strlen(w->top) + 1 + strlen(name) + 1;
    char *full = yj_xmalloc(len);
    snprintf(full, len, "%s/%s", w->top, name);
    struct archive_entry *e = archive_entry_new();
    if (!e)
        yj_oom();
    archive_entry_copy_pathname(e, full);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0400);
    archive_entry_set_size(e, (la_int64_t)n);
    archive_entry_set_mtime(e, (time_t)w->mtime, 0);
    archive_entry_set_uid(e, 0);
    archive_entry_set_gid(e, 0);
    enum yj_err err = YJ_ERR_OK;
    int rc = archive_write_header(w->a, e);
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
        err = fail(w, d);
        goto out;
    }
    const char *c = p;
    size_t left = n;
    while (left > 0) {
        la_ssize_t k = archive_write_data(w->a, c, left);
        if (k <= 0) {
            err = fail(w, d);
            goto out;
        }
        c += k;
        left -= (size_t)k;
    }
out:
    archive_entry_free(e);
    free(full);
    return err;
}

enum yj_err yj_ev_writer_add(struct yj_ev_writer *w, const char *name, const void *p, size_t n,
                             char hex[YJ_SHA256_HEX], struct yj_diag *d)
{
    if (!yj_ev_name_ok(name, strlen(name)) || strcmp(name, MANIFEST_NAME) == 0)
        return yj_diag_fail(d, YJ_ERR_INVALID, name, 0, "%s", yj_t("evidence.bad_name"));
    enum yj_err err = put(w, name, p, n, d);
    if (err)
        return err;
    uint8_t sum[YJ_SHA256_LEN];
    yj_sha256(p, n, sum);
    yj_sha256_hex(sum, hex);
    yj_buf_printf(&w->manifest, "%s  %s\n", hex, name);
    if (yj_buf_err(&w->manifest))
        return yj_diag_fail(d, YJ_ERR_LIMIT, MANIFEST_NAME, 0, yj_t("evidence.manifest.too_big"),
                            YJ_MANIFEST_MAX_BYTES);
    return YJ_ERR_OK;
}

/* Renames without replacing: renameat2(RENAME_NOREPLACE), or link+unlink where the file
 * system does not have it. */
static int rename_noreplace(const char *from, const char *to)
{
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return errno;
    if (link(from, to) != 0)
        return errno;
    unlink(from);
    return 0;
}

static void sync_dir(const char *path)
{
    char *copy = yj_xstrdup(path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(copy);
}

enum yj_err yj_ev_writer_finish(struct yj_ev_writer *w, char hex[YJ_SHA256_HEX], uint64_t *size,
                                struct yj_diag *d)
{
    enum yj_err err = put(w, MANIFEST_NAME, w->manifest.p ? w->manifest.p : "",
                          w->manifest.len, d);
    if (err)
        goto out;
    if (archive_write_close(w->a) != ARCHIVE_OK) {
        err = fail(w, d);
        goto out;
    }
    archive_write_free(w->a);
    w->a = NULL;
    if (fsync(w->fd) != 0 || close(w->fd) != 0) {
        w->fd = -1;
        w->io_errno = errno;
        err = fail(w, d);
        goto out;
    }
    w->fd = -1;
    int e = rename_noreplace(w->tmp, w->final);
    if (e) {
        if (e == EEXIST)
            err = yj_diag_fail(d, YJ_ERR_EXISTS, w->final, 0, "%s", yj_t("evidence.exists"));
        else
            err = yj_diag_fail(d, YJ_ERR_IO, w->final, 0, yj_t("evidence.write"), strerror(e));
        goto out;
    }
    free(w->tmp);
    w->tmp = NULL;
    sync_dir(w->final);
    uint8_t sum[YJ_SHA256_LEN];
    yj_sha256_final(&w->whole, sum);
    yj_sha256_hex(sum, hex);
    *size = w->written;
out:
    yj_ev_writer_abort(w);
    return err;
}

void yj_ev_writer_abort(struct yj_ev_writer *w)
{
    if (w->a) {
        /* Not archive_write_fail(): that skips the filters' close, and zlib's state with it.
         * Closing writes the end of the archive into the temporary file, removed below. */
        archive_write_free(w->a);
        w->a = NULL;
    }
    if (w->fd >= 0) {
        close(w->fd);
        w->fd = -1;
    }
    if (w->tmp) {
        unlink(w->tmp);
        free(w->tmp);
        w->tmp = NULL;
    }
    free(w->final);
    w->final = NULL;
    free(w->top);
    w->top = NULL;
    yj_buf_fini(&w->manifest);
}
