/* SQLite behind a small API: open with WAL and foreign keys, per-module migrations in one
 * transaction, prepared statements. SQLite result codes are translated here, once. */
#include "store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/file.h"
#include "base/i18n.h"

struct yj_stmt {
    struct yj_store *s;
    sqlite3_stmt *st;
    int slot; /* index in the store's cache, -1 when not cached */
};

/* Prepared statements are kept per connection and reused by SQL text: preparing costs more
 * than running most of yojin's queries. A statement in use is never handed out twice. */
#define STMT_CACHE 64
struct cached {
    char *sql;
    uint64_t hash; /* of sql, to skip most string compares */
    struct yj_stmt stmt;
    bool in_use;
};

static uint64_t sql_hash(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

struct yj_store {
    sqlite3 *db;
    char *path;
    char errmsg[512];
    struct cached cache[STMT_CACHE];
    int ncached;
};

static enum yj_err db_err(struct yj_store *s, int rc)
{
    snprintf(s->errmsg, sizeof s->errmsg, "%s (%s)", sqlite3_errmsg(s->db), sqlite3_errstr(rc));
    if (rc == SQLITE_NOMEM)
        yj_oom();
    if (rc == SQLITE_CONSTRAINT)
        return YJ_ERR_EXISTS;
    if (rc == SQLITE_TOOBIG)
        return YJ_ERR_LIMIT;
    return YJ_ERR_DB;
}

const char *yj_store_errmsg(struct yj_store *s)
{
    return s ? s->errmsg : "";
}

static enum yj_err exec(struct yj_store *s, const char *sql)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? YJ_ERR_OK : db_err(s, rc);
}

enum yj_err yj_store_begin(struct yj_store *s) { return exec(s, "BEGIN IMMEDIATE"); }
enum yj_err yj_store_begin_read(struct yj_store *s) { return exec(s, "BEGIN DEFERRED"); }
enum yj_err yj_store_commit(struct yj_store *s) { return exec(s, "COMMIT"); }

void yj_store_rollback(struct yj_store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int64_t yj_store_last_id(struct yj_store *s)
{
    return sqlite3_last_insert_rowid(s->db);
}

int64_t yj_store_changes(struct yj_store *s)
{
    return (int64_t)sqlite3_changes(s->db);
}

enum yj_err yj_stmt_prepare(struct yj_store *s, const char *sql, struct yj_stmt **out)
{
    uint64_t h = sql_hash(sql);
    for (int i = 0; i < s->ncached; i++) {
        struct cached *c = &s->cache[i];
        if (!c->in_use && c->hash == h && strcmp(c->sql, sql) == 0) {
            c->in_use = true;
            *out = &c->stmt;
            return YJ_ERR_OK;
        }
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        *out = NULL;
        return db_err(s, rc);
    }
    if (s->ncached < STMT_CACHE) {
        struct cached *c = &s->cache[s->ncached];
        c->sql = yj_xstrdup(sql);
        c->hash = h;
        c->stmt = (struct yj_stmt){s, st, s->ncached};
        c->in_use = true;
        s->ncached++;
        *out = &c->stmt;
        return YJ_ERR_OK;
    }
    struct yj_stmt *y = yj_xmalloc(sizeof *y);
    *y = (struct yj_stmt){s, st, -1};
    *out = y;
    return YJ_ERR_OK;
}

void yj_stmt_free(struct yj_stmt *st)
{
    if (!st)
        return;
    if (st->slot < 0) {
        sqlite3_finalize(st->st);
        free(st);
        return;
    }
    /* Back to the cache, clean: no row in progress, no parameter left bound. */
    sqlite3_reset(st->st);
    sqlite3_clear_bindings(st->st);
    st->s->cache[st->slot].in_use = false;
}

static enum yj_err bind_rc(struct yj_stmt *st, int rc)
{
    return rc == SQLITE_OK ? YJ_ERR_OK : db_err(st->s, rc);
}

enum yj_err yj_stmt_text(struct yj_stmt *st, int i, const char *v)
{
    if (!v)
        return bind_rc(st, sqlite3_bind_null(st->st, i));
    return bind_rc(st, sqlite3_bind_text(st->st, i, v, -1, SQLITE_TRANSIENT));
}

enum yj_err yj_stmt_int(struct yj_stmt *st, int i, int64_t v)
{
    return bind_rc(st, sqlite3_bind_int64(st->st, i, (sqlite3_int64)v));
}

enum yj_err yj_stmt_null(struct yj_stmt *st, int i)
{
    return bind_rc(st, sqlite3_bind_null(st->st, i));
}

enum yj_err yj_stmt_step(struct yj_stmt *st, bool *row)
{
    int rc = sqlite3_step(st->st);
    *row = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return YJ_ERR_OK;
    return db_err(st->s, rc);
}

enum yj_err yj_stmt_run(struct yj_stmt *st)
{
    bool row = true;
    enum yj_err err = YJ_ERR_OK;
    while (row && err == YJ_ERR_OK)
        err = yj_stmt_step(st, &row);
    return err;
}

enum yj_err yj_stmt_reset(struct yj_stmt *st)
{
    sqlite3_reset(st->st);
    return bind_rc(st, sqlite3_clear_bindings(st->st));
}

int64_t yj_col_int(struct yj_stmt *st, int i)
{
    return (int64_t)sqlite3_column_int64(st->st, i);
}

const char *yj_col_text(struct yj_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st->st, i);
}

bool yj_col_null(struct yj_stmt *st, int i)
{
    return sqlite3_column_type(st->st, i) == SQLITE_NULL;
}

enum yj_err yj_store_version(struct yj_store *s, const char *module, int *out)
{
    struct yj_stmt *st;
    enum yj_err err = yj_stmt_prepare(s, "SELECT version FROM yj_schema WHERE module = ?1", &st);
    if (err)
        return err;
    bool row = false;
    *out = 0;
    if ((err = yj_stmt_text(st, 1, module)) == YJ_ERR_OK &&
        (err = yj_stmt_step(st, &row)) == YJ_ERR_OK && row)
        *out = (int)yj_col_int(st, 0);
    yj_stmt_free(st);
    return err;
}

/* Applies the pending migrations of one module inside the caller's transaction. */
static enum yj_err migrate_one(struct yj_store *s, const struct yj_schema *sc, struct yj_diag *d)
{
    int have = 0;
    enum yj_err err = yj_store_version(s, sc->module, &have);
    if (err)
        return err;
    if (have > (int)sc->n)
        return yj_diag_fail(d, YJ_ERR_STATE, s->path, 0, yj_t("store.too_new"), sc->module,
                            have, (int)sc->n);
    for (size_t i = (size_t)have; i < sc->n; i++) {
        const struct yj_migration *m = &sc->v[i];
        if (m->version != (int)i + 1)
            return yj_diag_fail(d, YJ_ERR_STATE, s->path, 0, yj_t("store.bad_migration"),
                                sc->module, m->version);
        if ((err = exec(s, m->sql)) != YJ_ERR_OK)
            return yj_diag_fail(d, err, s->path, 0, yj_t("store.migration_failed"), sc->module,
                                m->version, s->errmsg);
    }
    if ((size_t)have == sc->n)
        return YJ_ERR_OK;
    struct yj_stmt *st;
    if ((err = yj_stmt_prepare(s,
                               "INSERT INTO yj_schema(module, version, applied_at) "
                               "VALUES(?1, ?2, ?3) ON CONFLICT(module) DO UPDATE SET "
                               "version = excluded.version, applied_at = excluded.applied_at",
                               &st)))
        return err;
    char now[YJ_ISO_LEN];
    yj_time_iso(yj_now(), now);
    if (!(err = yj_stmt_text(st, 1, sc->module)) && !(err = yj_stmt_int(st, 2, (int64_t)sc->n)) &&
        !(err = yj_stmt_text(st, 3, now)))
        err = yj_stmt_run(st);
    yj_stmt_free(st);
    return err;
}

/* A VFS that leaves relative paths relative. SQLite's unix VFS turns "./yojin.db" into an
 * absolute path, which a service that dropped privileges inside its data directory may not
 * be allowed to walk (the parent can be closed to it, like /root for a checkout's ./var).
 * Everything else is the default VFS. */
static sqlite3_vfs cwd_vfs;
static sqlite3_vfs *base_vfs;
static pthread_once_t cwd_once = PTHREAD_ONCE_INIT;

static int cwd_full_pathname(sqlite3_vfs *v, const char *path, int n, char *out)
{
    (void)v;
    if (path[0] != '/') {
        size_t len = strlen(path);
        if (len + 1 > (size_t)n)
            return SQLITE_CANTOPEN;
        memcpy(out, path, len + 1);
        return SQLITE_OK;
    }
    return base_vfs->xFullPathname(base_vfs, path, n, out);
}

/* Process-wide settings, before SQLite initialises: no global memory statistics (they take
 * a global mutex on every allocation, which all the console's threads would share). */
static pthread_once_t config_once = PTHREAD_ONCE_INIT;

static void configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static void cwd_vfs_register(void)
{
    base_vfs = sqlite3_vfs_find(NULL);
    if (!base_vfs)
        return;
    cwd_vfs = *base_vfs;
    cwd_vfs.zName = "yojin-cwd";
    cwd_vfs.pNext = NULL;
    cwd_vfs.xFullPathname = cwd_full_pathname;
    sqlite3_vfs_register(&cwd_vfs, 0);
}

enum yj_err yj_store_open(struct yj_store **out, const char *dir, const struct yj_schema *schemas,
                          size_t nschemas, struct yj_diag *d)
{
    *out = NULL;
    enum yj_err err = yj_mkdir_p(dir, 0700, d);
    if (err)
        return err;
    struct yj_store *s = yj_xcalloc(1, sizeof *s);
    if (asprintf(&s->path, "%s/%s", dir, YJ_DB_FILE) < 0)
        yj_oom();
    pthread_once(&config_once, configure);
    const char *vfs = NULL;
    if (dir[0] != '/') {
        pthread_once(&cwd_once, cwd_vfs_register);
        vfs = base_vfs ? cwd_vfs.zName : NULL;
    }
    int rc = sqlite3_open_v2(s->path, &s->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW |
                                 SQLITE_OPEN_NOMUTEX,
                             vfs);
    if (rc != SQLITE_OK) {
        err = yj_diag_fail(d, YJ_ERR_DB, s->path, 0, yj_t("store.open"),
                           s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 0);
    sqlite3_busy_timeout(s->db, 5000);
    /* journal_mode returns a row; run it through exec, which discards rows. */
    if ((err = exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                       "PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF")) ||
        (err = exec(s, "CREATE TABLE IF NOT EXISTS yj_schema(module TEXT PRIMARY KEY, "
                       "version INTEGER NOT NULL, applied_at TEXT NOT NULL)"))) {
        yj_diag_add(d, s->path, 0, yj_t("store.open"), s->errmsg);
        goto fail;
    }
    if ((err = yj_store_begin(s))) {
        yj_diag_add(d, s->path, 0, yj_t("store.open"), s->errmsg);
        goto fail;
    }
    for (size_t i = 0; i < nschemas && !err; i++)
        err = migrate_one(s, &schemas[i], d);
    if (!err && (err = yj_store_commit(s)))
        yj_diag_add(d, s->path, 0, yj_t("store.open"), s->errmsg);
    if (err) {
        yj_store_rollback(s);
        goto fail;
    }
    *out = s;
    return YJ_ERR_OK;
fail:
    yj_store_close(s);
    return err;
}

void yj_store_close(struct yj_store *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->ncached; i++) {
        sqlite3_finalize(s->cache[i].stmt.st);
        free(s->cache[i].sql);
    }
    sqlite3_close_v2(s->db);
    free(s->path);
    free(s);
}
