/* File integrity: the baseline in the store and the roots it covers.
 *
 *   fim_root   one row per root path given to `yojin fim init` (or the default set)
 *   fim_entry  one row per entry below it: (root_id, path) is the key, so a root's rows
 *              come back in path order from the primary key, ready for the merge
 *
 * A new baseline replaces the rows of the same roots (and of older roots below them) in one
 * transaction; roots not named keep theirs. Digests are stored as lowercase hex. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/date.h"
#include "base/hash.h"
#include "host.h"

static const struct yj_migration migrations[] = {
    {1, "CREATE TABLE fim_root(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, "
        "created_at TEXT NOT NULL, entries INTEGER NOT NULL);"
        "CREATE TABLE fim_entry(root_id INTEGER NOT NULL REFERENCES fim_root(id) "
        "ON DELETE CASCADE, path TEXT NOT NULL, type INTEGER NOT NULL, "
        "status INTEGER NOT NULL, size INTEGER, mode INTEGER, uid INTEGER, gid INTEGER, "
        "mtime_ns INTEGER, target TEXT, sha256 TEXT, PRIMARY KEY(root_id, path)) "
        "WITHOUT ROWID"},
};

const struct yj_schema yj_host_schema = {"host", migrations,
                                         sizeof migrations / sizeof migrations[0]};

/* ---- Roots -------------------------------------------------------------------------------- */

static const char *const default_roots[] = {
    "/etc", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin",
    "/etc/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system",
    "/root/.ssh", "/home/*/.ssh", "/etc/crontab", "/etc/cron.*", "/var/spool/cron",
};

/* Is b inside a (or equal to it)? */
static bool within(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n == 1 && a[0] == '/')
        return true;
    return strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '/');
}

size_t yj_fim_normalize_roots(struct yj_arena *a, const char **roots, size_t n)
{
    char cwd[YJ_FIM_PATH_MAX];
    bool have_cwd = getcwd(cwd, sizeof cwd) != NULL;
    for (size_t i = 0; i < n; i++) {
        const char *r = roots[i];
        char *p;
        if (r[0] != '/' && have_cwd) {
            size_t len = strlen(cwd) + 1 + strlen(r) + 1;
            p = yj_arena_alloc(a, len);
            snprintf(p, len, "%s/%s", strcmp(cwd, "/") ? cwd : "", r);
        } else {
            p = yj_arena_strdup(a, r);
        }
        /* "//x/./y/" -> "/x/y"; ".." is kept as written (it is resolved by the kernel). */
        char *w = p;
        for (const char *q = p; *q;) {
            if (*q == '/' && (q[1] == '/' || (q[1] == '.' && (q[2] == '/' || !q[2])))) {
                q += q[1] == '/' ? 1 : 2;
                continue;
            }
            *w++ = *q++;
        }
        while (w > p + 1 && w[-1] == '/')
            w--;
        if (w == p)
            *w++ = '/';
        *w = '\0';
        roots[i] = p;
    }
    /* Drop duplicates, roots inside another root and directories seen twice (merged /usr:
     * /lib/systemd/system is /usr/lib/systemd/system). */
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        bool drop = false;
        struct stat si;
        /* lstat: a root that is itself a symlink is recorded as one, never followed. */
        bool dir_i = lstat(roots[i], &si) == 0 && S_ISDIR(si.st_mode);
        for (size_t j = 0; j < n && !drop; j++) {
            if (i == j)
                continue;
            bool same = strcmp(roots[i], roots[j]) == 0;
            if (same ? j < i : within(roots[j], roots[i]))
                drop = true;
            struct stat sj;
            if (!drop && dir_i && j < i && lstat(roots[j], &sj) == 0 && S_ISDIR(sj.st_mode) &&
                sj.st_dev == si.st_dev && sj.st_ino == si.st_ino)
                drop = true;
        }
        if (!drop)
            roots[out++] = roots[i];
    }
    return out;
}

size_t yj_fim_default_roots(struct yj_arena *a, const char ***out)
{
    size_t n = 0, cap = 64;
    const char **v = yj_arena_alloc(a, cap * sizeof *v);
    for (size_t i = 0; i < sizeof default_roots / sizeof default_roots[0]; i++) {
        const char *r = default_roots[i];
        if (!strchr(r, '*')) {
            if (n < cap)
                v[n++] = r;
            continue;
        }
        glob_t g;
        if (glob(r, GLOB_NOSORT, NULL, &g) == 0) {
            for (size_t k = 0; k < g.gl_pathc && n < cap; k++)
                v[n++] = yj_arena_strdup(a, g.gl_pathv[k]);
        }
        globfree(&g);
    }
    *out = v;
    return yj_fim_normalize_roots(a, v, n);
}

/* ---- Saving ------------------------------------------------------------------------------- */

static enum yj_err save_root(struct yj_store *st, const char *root, const struct yj_fim_scan *s,
                             const char *now)
{
    struct yj_stmt *q = NULL;
    enum yj_err err;
    /* This root and older roots below it give way to the new baseline. */
    if ((err = yj_stmt_prepare(st, "DELETE FROM fim_root WHERE path = ?1 OR "
                                   "(substr(path, 1, length(?2)) = ?2)",
                               &q)))
        return err;
    char *below = NULL;
    if (asprintf(&below, "%s/", strcmp(root, "/") ? root : "") < 0)
        yj_oom();
    if (!(err = yj_stmt_text(q, 1, root)) && !(err = yj_stmt_text(q, 2, below)))
        err = yj_stmt_run(q);
    free(below);
    yj_stmt_free(q);
    if (err)
        return err;
    uint64_t kept = 0;
    for (size_t i = 0; i < s->n; i++)
        kept += s->v[i].status != YJ_FIM_VANISHED;
    if ((err = yj_stmt_prepare(st, "INSERT INTO fim_root(path, created_at, entries) "
                                   "VALUES(?1, ?2, ?3)",
                               &q)))
        return err;
    if (!(err = yj_stmt_text(q, 1, root)) && !(err = yj_stmt_text(q, 2, now)) &&
        !(err = yj_stmt_int(q, 3, (int64_t)kept)))
        err = yj_stmt_run(q);
    yj_stmt_free(q);
    if (err)
        return err;
    int64_t id = yj_store_last_id(st);
    if ((err = yj_stmt_prepare(st, "INSERT OR REPLACE INTO fim_entry(root_id, path, type, "
                                   "status, size, mode, uid, gid, mtime_ns, target, sha256) "
                                   "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                               &q)))
        return err;
    for (size_t i = 0; i < s->n && !err; i++) {
        const struct yj_fim_entry *e = &s->v[i];
        if (e->status == YJ_FIM_VANISHED)
            continue;
        char hex[YJ_SHA256_HEX];
        if (e->hashed)
            yj_sha256_hex(e->sha, hex);
        if ((err = yj_stmt_reset(q)) || (err = yj_stmt_int(q, 1, id)) ||
            (err = yj_stmt_text(q, 2, e->path)) || (err = yj_stmt_int(q, 3, e->type)) ||
            (err = yj_stmt_int(q, 4, e->status)))
            break;
        if (e->meta) {
            if ((err = yj_stmt_int(q, 5, (int64_t)e->size)) ||
                (err = yj_stmt_int(q, 6, e->mode)) || (err = yj_stmt_int(q, 7, e->uid)) ||
                (err = yj_stmt_int(q, 8, e->gid)) || (err = yj_stmt_int(q, 9, e->mtime_ns)))
                break;
        }
        if ((err = yj_stmt_text(q, 10, e->target)) ||
            (err = yj_stmt_text(q, 11, e->hashed ? hex : NULL)))
            break;
        err = yj_stmt_run(q);
    }
    yj_stmt_free(q);
    return err;
}

enum yj_err yj_fim_baseline_save(struct yj_store *st, const char *const *roots,
                                 const struct yj_fim_scan *scans, size_t n, struct yj_diag *d)
{
    char now[YJ_ISO_LEN];
    yj_time_iso(yj_now(), now);
    enum yj_err err = yj_store_begin(st);
    for (size_t i = 0; i < n && !err; i++)
        err = save_root(st, roots[i], &scans[i], now);
    if (!err)
        err = yj_store_commit(st);
    if (err) {
        yj_diag_add(d, NULL, 0, yj_t("fim.store"), yj_store_errmsg(st));
        yj_store_rollback(st);
    }
    return err;
}

/* ---- Loading ------------------------------------------------------------------------------ */

enum yj_err yj_fim_baseline_roots(struct yj_store *st, struct yj_arena *a, const char ***out,
                                  size_t *n)
{
    struct yj_stmt *q;
    enum yj_err err = yj_stmt_prepare(st, "SELECT path FROM fim_root ORDER BY path", &q);
    *out = NULL;
    *n = 0;
    if (err)
        return err;
    size_t cap = 0;
    const char **v = NULL;
    bool row = true;
    while (!(err = yj_stmt_step(q, &row)) && row) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            const char **nv = yj_arena_alloc(a, ncap * sizeof *nv);
            if (*n)
                memcpy(nv, v, *n * sizeof *v);
            v = nv;
            cap = ncap;
        }
        v[(*n)++] = yj_arena_strdup(a, yj_col_text(q, 0));
    }
    yj_stmt_free(q);
    *out = v;
    return err;
}

enum yj_err yj_fim_baseline_load(struct yj_store *st, const char *root, struct yj_fim_scan *s)
{
    struct yj_stmt *q;
    enum yj_err err = yj_stmt_prepare(
        st,
        "SELECT e.path, e.type, e.status, e.size, e.mode, e.uid, e.gid, e.mtime_ns, e.target, "
        "e.sha256 FROM fim_entry e JOIN fim_root r ON r.id = e.root_id WHERE r.path = ?1 "
        "ORDER BY e.path",
        &q);
    if (err)
        return err;
    if ((err = yj_stmt_text(q, 1, root))) {
        yj_stmt_free(q);
        return err;
    }
    bool row = true;
    while (!(err = yj_stmt_step(q, &row)) && row) {
        if (s->n == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 1024;
            s->v = yj_xrealloc(s->v, s->cap * sizeof *s->v);
        }
        struct yj_fim_entry *e = &s->v[s->n++];
        *e = (struct yj_fim_entry){
            .path = yj_arena_strdup(&s->arena, yj_col_text(q, 0)),
            .type = (uint8_t)yj_col_int(q, 1),
            .status = (uint8_t)yj_col_int(q, 2),
            .meta = !yj_col_null(q, 3),
            .size = (uint64_t)yj_col_int(q, 3),
            .mode = (uint32_t)yj_col_int(q, 4),
            .uid = (uint32_t)yj_col_int(q, 5),
            .gid = (uint32_t)yj_col_int(q, 6),
            .mtime_ns = yj_col_int(q, 7),
        };
        const char *t = yj_col_text(q, 8);
        if (t)
            e->target = yj_arena_strdup(&s->arena, t);
        const char *h = yj_col_text(q, 9);
        if (h)
            e->hashed = yj_sha256_from_hex(h, strlen(h), e->sha);
    }
    yj_stmt_free(q);
    return err;
}
