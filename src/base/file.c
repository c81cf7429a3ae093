/* File helpers. Errors name the path and the system's reason, translated once here. */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"

#ifndef YJ_SHARE_DIR
#define YJ_SHARE_DIR "data"
#endif
#ifndef YJ_VERSION
#define YJ_VERSION "0"
#endif

enum yj_err yj_file_read(const char *path, size_t max, char **out, size_t *len,
                         struct yj_diag *d)
{
    *out = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return yj_diag_fail(d, YJ_ERR_IO, path, 0, yj_t("file.open"), strerror(errno));
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return yj_diag_fail(d, YJ_ERR_IO, path, 0, "%s", yj_t("file.is_dir"));
    }
    size_t cap = 4096, n = 0;
    char *p = yj_xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > max + 1) {
                free(p);
                close(fd);
                return yj_diag_fail(d, YJ_ERR_LIMIT, path, 0, yj_t("file.too_big"), max);
            }
            cap *= 2;
            p = yj_xrealloc(p, cap);
        }
        ssize_t r = read(fd, p + n, cap - n - 1);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(p);
            close(fd);
            return yj_diag_fail(d, YJ_ERR_IO, path, 0, yj_t("file.read"), strerror(e));
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    if (n > max) {
        free(p);
        return yj_diag_fail(d, YJ_ERR_LIMIT, path, 0, yj_t("file.too_big"), max);
    }
    p[n] = '\0';
    *out = p;
    *len = n;
    return YJ_ERR_OK;
}

enum yj_err yj_file_write_atomic(const char *path, const void *p, size_t n, mode_t mode,
                                 struct yj_diag *d)
{
    size_t plen = strlen(path);
    char *tmp = yj_xmalloc(plen + 16);
    snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return yj_diag_fail(d, YJ_ERR_IO, path, 0, yj_t("file.write"), strerror(e));
    }
    const char *c = p;
    size_t left = n;
    int e = 0;
    while (left > 0) {
        ssize_t w = write(fd, c, left);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            e = errno;
            break;
        }
        c += w;
        left -= (size_t)w;
    }
    if (!e && fchmod(fd, mode) != 0)
        e = errno;
    if (!e && fsync(fd) != 0)
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    if (!e && rename(tmp, path) != 0)
        e = errno;
    if (e) {
        unlink(tmp);
        free(tmp);
        return yj_diag_fail(d, YJ_ERR_IO, path, 0, yj_t("file.write"), strerror(e));
    }
    free(tmp);
    return YJ_ERR_OK;
}

char *yj_config_file(const char *data_dir)
{
    char *path = NULL;
    if (asprintf(&path, "%s/yojin.yaml", data_dir) < 0)
        yj_oom();
    struct stat st;
    if (stat(path, &st) != 0) {
        free(path);
        return NULL;
    }
    return path;
}

enum yj_err yj_chown_in(const char *dir, const char *const *names, size_t n, uid_t uid,
                        gid_t gid, struct yj_diag *d)
{
    for (size_t i = 0; i <= n; i++) {
        char *p = NULL;
        if (asprintf(&p, "%s%s%s", dir, i ? "/" : "", i ? names[i - 1] : "") < 0)
            yj_oom();
        if (lchown(p, uid, gid) != 0 && errno != ENOENT) {
            int e = errno;
            yj_diag_add(d, p, 0, yj_t("file.chown"), strerror(e));
            free(p);
            return YJ_ERR_IO;
        }
        free(p);
    }
    return YJ_ERR_OK;
}

enum yj_err yj_mkdir_p(const char *path, mode_t mode, struct yj_diag *d)
{
    if (!path[0])
        return yj_diag_fail(d, YJ_ERR_INVALID, path, 0, yj_t("file.mkdir"), strerror(ENOENT));
    char *p = yj_xstrdup(path);
    enum yj_err err = YJ_ERR_OK;
    for (char *s = p + 1;; s++) {
        char c = *s;
        if (c != '/' && c != '\0')
            continue;
        *s = '\0';
        if (mkdir(p, mode) != 0 && errno != EEXIST) {
            err = yj_diag_fail(d, YJ_ERR_IO, p, 0, yj_t("file.mkdir"), strerror(errno));
            break;
        }
        *s = c;
        if (c == '\0')
            break;
    }
    struct stat st;
    if (err == YJ_ERR_OK && (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)))
        err = yj_diag_fail(d, YJ_ERR_IO, path, 0, yj_t("file.mkdir"), strerror(ENOTDIR));
    free(p);
    return err;
}

const char *yj_share_dir(void)
{
    const char *e = getenv("YOJIN_SHARE");
    return e && *e ? e : YJ_SHARE_DIR;
}

char *yj_share_path(const char *rel)
{
    char *p = NULL;
    if (asprintf(&p, "%s/%s", yj_share_dir(), rel) < 0)
        yj_oom();
    return p;
}

const char *yj_version(void)
{
    return YJ_VERSION;
}
