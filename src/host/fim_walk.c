/* File integrity: the walker. Records every entry below a root — type, size, mode, owner,
 * mtime, symlink target and the SHA-256 of regular files — without following symlinks and
 * without leaving the root's file system.
 *
 * The walk is iterative: a stack of open directories (at most YJ_FIM_DEPTH), each read with
 * readdir and its entries looked at relative to its descriptor (fstatat, openat, readlinkat
 * with O_NOFOLLOW), so a path swapped for a symlink half-way cannot redirect us. Files are
 * read through one buffer owned by the scan and hashed with OpenSSL (SHA-NI where the CPU
 * has it: four times libsodium's portable code on /usr). A file that cannot be opened or
 * that disappears is recorded with its status; nothing but the entry limit stops the walk. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/hash.h"
#include "host.h"

#define READ_BUF (256u * 1024u)

void yj_fim_scan_init(struct yj_fim_scan *s)
{
    *s = (struct yj_fim_scan){0};
    yj_arena_init(&s->arena);
}

void yj_fim_scan_fini(struct yj_fim_scan *s)
{
    free(s->v);
    free(s->skip);
    free(s->buf);
    yj_arena_fini(&s->arena);
    *s = (struct yj_fim_scan){0};
}

const char *yj_fim_type_name(enum yj_fim_type t)
{
    switch (t) {
    case YJ_FIM_FILE: return "file";
    case YJ_FIM_DIR: return "dir";
    case YJ_FIM_SYMLINK: return "symlink";
    case YJ_FIM_OTHER: return "other";
    }
    return "other";
}

const char *yj_fim_reason_name(enum yj_fim_reason r)
{
    switch (r) {
    case YJ_FIM_SKIP_UNREADABLE: return "unreadable";
    case YJ_FIM_SKIP_VANISHED: return "vanished";
    case YJ_FIM_SKIP_OTHER_FS: return "other_fs";
    case YJ_FIM_SKIP_TOO_DEEP: return "too_deep";
    case YJ_FIM_SKIP_TOO_LONG: return "too_long";
    }
    return "unreadable";
}

static void add_skip(struct yj_fim_scan *s, const char *path, enum yj_fim_reason r, int error)
{
    s->skips++;
    if (s->nskip >= YJ_FIM_SKIPS)
        return;
    if (!s->skip)
        s->skip = yj_xcalloc(YJ_FIM_SKIPS, sizeof *s->skip);
    s->skip[s->nskip++] = (struct yj_fim_skip){yj_arena_strdup(&s->arena, path), (uint8_t)r,
                                               error};
}

static struct yj_fim_entry *add_entry(struct yj_fim_scan *s, const char *path)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->v = yj_xrealloc(s->v, s->cap * sizeof *s->v);
    }
    struct yj_fim_entry *e = &s->v[s->n++];
    *e = (struct yj_fim_entry){.path = yj_arena_strdup(&s->arena, path)};
    return e;
}

static enum yj_fim_type type_of(mode_t m)
{
    if (S_ISREG(m))
        return YJ_FIM_FILE;
    if (S_ISDIR(m))
        return YJ_FIM_DIR;
    if (S_ISLNK(m))
        return YJ_FIM_SYMLINK;
    return YJ_FIM_OTHER;
}

static enum yj_fim_type type_of_dirent(unsigned char t)
{
    switch (t) {
    case DT_REG: return YJ_FIM_FILE;
    case DT_DIR: return YJ_FIM_DIR;
    case DT_LNK: return YJ_FIM_SYMLINK;
    default: return YJ_FIM_OTHER;
    }
}

static void fill_meta(struct yj_fim_entry *e, const struct stat *st)
{
    e->type = (uint8_t)type_of(st->st_mode);
    e->meta = true;
    e->size = (uint64_t)st->st_size;
    e->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
    e->mode = (uint32_t)(st->st_mode & 07777);
    e->uid = (uint32_t)st->st_uid;
    e->gid = (uint32_t)st->st_gid;
}

/* Marks e as not looked at for reason err (ENOENT: it vanished). */
static void mark(struct yj_fim_scan *s, struct yj_fim_entry *e, int err)
{
    bool gone = err == ENOENT || err == ENOTDIR || err == ELOOP;
    e->status = gone ? YJ_FIM_VANISHED : YJ_FIM_UNREADABLE;
    add_skip(s, e->path, gone ? YJ_FIM_SKIP_VANISHED : YJ_FIM_SKIP_UNREADABLE, err);
}

#ifdef YJ_TEST_HOOKS
/* Test builds only: YOJIN_FIM_TEST_VANISH names a file that is deleted after it has been
 * listed and stat'ed and before it is opened, to make "vanished during the scan"
 * deterministic. */
static void test_vanish(int dirfd, const char *name, const char *path)
{
    const char *v = getenv("YOJIN_FIM_TEST_VANISH");
    if (v && strcmp(v, path) == 0)
        (void)unlinkat(dirfd, name, 0);
}
#else
static void test_vanish(int dirfd, const char *name, const char *path)
{
    (void)dirfd;
    (void)name;
    (void)path;
}
#endif

/* Opens name (relative to dirfd) read-only without following a symlink, without blocking on
 * a FIFO swapped in, and without updating the access time where the kernel lets us. */
static int open_file(int dirfd, const char *name)
{
    int flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
    int fd = openat(dirfd, name, flags | O_NOATIME);
    if (fd < 0 && errno == EPERM)
        fd = openat(dirfd, name, flags);
    return fd;
}

/* Hashes the regular file name in dirfd into e; metadata comes from the open descriptor,
 * so it belongs to the content that was read. */
static void hash_file(struct yj_fim_scan *s, EVP_MD_CTX *md, int dirfd, const char *name,
                      struct yj_fim_entry *e)
{
    test_vanish(dirfd, name, e->path);
    int fd = open_file(dirfd, name);
    if (fd < 0) {
        mark(s, e, errno);
        return;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        /* Replaced by something else between the listing and the open. */
        int err = errno;
        close(fd);
        mark(s, e, err ? err : ENOENT);
        return;
    }
    fill_meta(e, &st);
    if (st.st_size > 0)
        (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    if (!s->buf)
        s->buf = yj_xmalloc(READ_BUF);
    if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
        yj_oom();
    for (;;) {
        ssize_t r = read(fd, s->buf, READ_BUF);
        if (r == 0)
            break;
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int err = errno;
            close(fd);
            e->status = YJ_FIM_UNREADABLE;
            add_skip(s, e->path, YJ_FIM_SKIP_UNREADABLE, err);
            return;
        }
        EVP_DigestUpdate(md, s->buf, (size_t)r);
        s->bytes_hashed += (uint64_t)r;
    }
    close(fd);
    unsigned len = 0;
    EVP_DigestFinal_ex(md, e->sha, &len);
    e->hashed = len == YJ_SHA256_LEN;
}

/* Looks at one entry, name in the directory dirfd, whose full path is path. Returns an
 * open directory descriptor when the caller should enter it, else -1. */
static int visit(struct yj_fim_scan *s, EVP_MD_CTX *md, int dirfd, const char *name,
                 const char *path, unsigned char dtype, dev_t dev, bool can_descend)
{
    struct yj_fim_entry *e = add_entry(s, path);
    e->type = (uint8_t)type_of_dirent(dtype);
    struct stat st;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        mark(s, e, errno);
        return -1;
    }
    fill_meta(e, &st);
    switch (e->type) {
    case YJ_FIM_FILE: hash_file(s, md, dirfd, name, e); return -1;
    case YJ_FIM_SYMLINK: {
        char t[YJ_FIM_PATH_MAX];
        ssize_t n = readlinkat(dirfd, name, t, sizeof t - 1);
        if (n < 0) {
            mark(s, e, errno == EINVAL ? ENOENT : errno);
            return -1;
        }
        e->target = yj_arena_strndup(&s->arena, t, (size_t)n);
        return -1;
    }
    case YJ_FIM_DIR: break;
    default: return -1;
    }
    if (st.st_dev != dev) {
        add_skip(s, path, YJ_FIM_SKIP_OTHER_FS, 0);
        return -1;
    }
    if (!can_descend) {
        add_skip(s, path, YJ_FIM_SKIP_TOO_DEEP, 0);
        return -1;
    }
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        mark(s, e, errno);
        return -1;
    }
    return fd;
}

struct frame {
    DIR *d;
    size_t len; /* of the directory's path in the path buffer */
};

enum yj_err yj_fim_scan_root(struct yj_fim_scan *s, const char *root, struct yj_diag *d)
{
    size_t rlen = strlen(root);
    if (rlen == 0 || rlen >= YJ_FIM_PATH_MAX || root[0] != '/') {
        add_skip(s, root, YJ_FIM_SKIP_TOO_LONG, 0);
        return YJ_ERR_OK;
    }
    struct stat rst;
    if (lstat(root, &rst) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return YJ_ERR_OK; /* an absent root: nothing to record */
        struct yj_fim_entry *e = add_entry(s, root);
        mark(s, e, errno);
        return YJ_ERR_OK;
    }
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md)
        yj_oom();
    char *path = yj_xmalloc(YJ_FIM_PATH_MAX);
    memcpy(path, root, rlen + 1);
    struct frame stack[YJ_FIM_DEPTH];
    size_t depth = 0;
    enum yj_err err = YJ_ERR_OK;

    /* The root itself, looked at from its parent like any other entry. */
    char *slash = strrchr(path, '/');
    char parent[YJ_FIM_PATH_MAX];
    size_t plen = slash == path ? 1 : (size_t)(slash - path);
    memcpy(parent, path, plen);
    parent[plen] = '\0';
    const char *base = slash[1] ? slash + 1 : "/";
    int pfd = open(parent, O_PATH | O_DIRECTORY | O_CLOEXEC);
    int fd = -1;
    if (pfd < 0) {
        struct yj_fim_entry *e = add_entry(s, root);
        fill_meta(e, &rst);
        mark(s, e, errno);
    } else {
        unsigned char dt = S_ISDIR(rst.st_mode) ? DT_DIR : S_ISLNK(rst.st_mode) ? DT_LNK
                           : S_ISREG(rst.st_mode)  ? DT_REG
                                                   : DT_UNKNOWN;
        fd = strcmp(base, "/") == 0 ? open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                                    : visit(s, md, pfd, base, path, dt, rst.st_dev, true);
        if (strcmp(base, "/") == 0) {
            struct yj_fim_entry *e = add_entry(s, "/");
            fill_meta(e, &rst);
        }
        close(pfd);
    }
    if (fd >= 0) {
        DIR *dir = fdopendir(fd);
        if (!dir)
            close(fd);
        else
            stack[depth++] = (struct frame){dir, rlen == 1 ? 0 : rlen};
    }

    while (depth > 0) {
        struct frame *f = &stack[depth - 1];
        errno = 0;
        struct dirent *de = readdir(f->d);
        if (!de) {
            if (errno) {
                path[f->len] = '\0';
                add_skip(s, f->len ? path : "/", YJ_FIM_SKIP_UNREADABLE, errno);
            }
            closedir(f->d);
            depth--;
            continue;
        }
        const char *name = de->d_name;
        if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
            continue;
        size_t nlen = strlen(name);
        if (f->len + 1 + nlen >= YJ_FIM_PATH_MAX) {
            path[f->len] = '\0';
            add_skip(s, path, YJ_FIM_SKIP_TOO_LONG, 0);
            continue;
        }
        if (s->n >= YJ_FIM_ENTRIES) {
            err = yj_diag_fail(d, YJ_ERR_LIMIT, root, 0, yj_t("fim.limit"),
                               (unsigned long long)YJ_FIM_ENTRIES);
            break;
        }
        path[f->len] = '/';
        memcpy(path + f->len + 1, name, nlen + 1);
        int sub = visit(s, md, dirfd(f->d), name, path, de->d_type, rst.st_dev,
                        depth < YJ_FIM_DEPTH);
        if (sub >= 0) {
            DIR *dir = fdopendir(sub);
            if (!dir) {
                close(sub);
                continue;
            }
            stack[depth++] = (struct frame){dir, f->len + 1 + nlen};
        }
    }
    while (depth > 0)
        closedir(stack[--depth].d);
    free(path);
    EVP_MD_CTX_free(md);
    return err;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct yj_fim_entry *)a)->path, ((const struct yj_fim_entry *)b)->path);
}

void yj_fim_scan_sort(struct yj_fim_scan *s)
{
    if (s->n > 1)
        qsort(s->v, s->n, sizeof *s->v, by_path);
}
