/* The gate's state in the store, so that a restarted `yojin watch`, or the next run of a
 * `yojin logscan --notify` from cron, does not send the same alert again nor start a fresh
 * hourly allowance:
 *
 *   notify_sent(key, at)                            the keys sent, newest YJ_NOTIFY_KEYS_MAX
 *   notify_window(id = 1, start, sent, held, announced)   the current rate window
 *
 * Saving merges the keys (the later time wins) so two processes that share a data directory
 * lose no key; the window row is the saver's. Keys older than the window are dropped on
 * both sides. */
#include <string.h>

#include "notify.h"

static const struct yj_migration migrations[] = {
    {1, "CREATE TABLE notify_sent("
        "  key TEXT PRIMARY KEY,"
        "  at INTEGER NOT NULL);"
        "CREATE TABLE notify_window("
        "  id INTEGER PRIMARY KEY CHECK (id = 1),"
        "  start INTEGER,"
        "  sent INTEGER NOT NULL,"
        "  held INTEGER NOT NULL,"
        "  announced INTEGER NOT NULL);"},
};

const struct yj_schema yj_notify_schema = {"notify", migrations,
                                           sizeof migrations / sizeof migrations[0]};

static uint64_t u64(int64_t v)
{
    return v > 0 ? (uint64_t)v : 0;
}

static int64_t i64(uint64_t v)
{
    return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

static enum yj_err load_keys(struct yj_notify_gate *g, struct yj_store *st, int64_t now)
{
    struct yj_stmt *s;
    enum yj_err err = yj_stmt_prepare(st,
                                      "SELECT key, at FROM notify_sent WHERE at > ?1"
                                      " AND length(key) <= ?2 ORDER BY at DESC LIMIT ?3",
                                      &s);
    if (err)
        return err;
    bool row = false;
    if (!(err = yj_stmt_int(s, 1, now - YJ_NOTIFY_WINDOW)) &&
        !(err = yj_stmt_int(s, 2, YJ_NOTIFY_KEY_MAX)) &&
        !(err = yj_stmt_int(s, 3, YJ_NOTIFY_KEYS_MAX)))
        while (!(err = yj_stmt_step(s, &row)) && row) {
            const char *key = yj_col_text(s, 0);
            if (key)
                yj_notify_gate_remember(g, key, yj_col_int(s, 1));
        }
    yj_stmt_free(s);
    return err;
}

static enum yj_err load_window(struct yj_notify_gate *g, struct yj_store *st)
{
    struct yj_stmt *s;
    enum yj_err err = yj_stmt_prepare(
        st, "SELECT start, sent, held, announced FROM notify_window WHERE id = 1", &s);
    if (err)
        return err;
    bool row = false;
    if (!(err = yj_stmt_step(s, &row)) && row) {
        g->window_start = yj_col_null(s, 0) ? INT64_MIN : yj_col_int(s, 0);
        int64_t sent = yj_col_int(s, 1);
        g->sent = sent < 0 ? 0 : sent > UINT32_MAX ? UINT32_MAX : (unsigned)sent;
        g->held = u64(yj_col_int(s, 2));
        g->announced = u64(yj_col_int(s, 3));
    }
    yj_stmt_free(s);
    return err;
}

enum yj_err yj_notify_gate_load(struct yj_notify_gate *g, struct yj_store *st, int64_t now)
{
    enum yj_err err = yj_store_begin_read(st);
    if (err)
        return err;
    if (!(err = load_keys(g, st, now)) && !(err = load_window(g, st)))
        err = yj_store_commit(st);
    if (err)
        yj_store_rollback(st);
    return err;
}

static enum yj_err run1(struct yj_store *st, const char *sql, int64_t a, int64_t b)
{
    struct yj_stmt *s;
    enum yj_err err = yj_stmt_prepare(st, sql, &s);
    if (err)
        return err;
    if (!(err = yj_stmt_int(s, 1, a)) && !(err = yj_stmt_int(s, 2, b)))
        err = yj_stmt_run(s);
    yj_stmt_free(s);
    return err;
}

static enum yj_err save(const struct yj_notify_gate *g, struct yj_store *st, int64_t now)
{
    struct yj_stmt *s;
    enum yj_err err = yj_stmt_prepare(st,
                                      "INSERT INTO notify_sent(key, at) VALUES(?1, ?2)"
                                      " ON CONFLICT(key) DO UPDATE SET at = max(at, excluded.at)",
                                      &s);
    if (err)
        return err;
    for (size_t i = 0; !err && i < g->n; i++) {
        const struct yj_notify_seen *k = &g->v[i];
        if (now - k->at >= YJ_NOTIFY_WINDOW || strlen(k->key) > YJ_NOTIFY_KEY_MAX)
            continue;
        if (!(err = yj_stmt_reset(s)) && !(err = yj_stmt_text(s, 1, k->key)) &&
            !(err = yj_stmt_int(s, 2, k->at)))
            err = yj_stmt_run(s);
    }
    yj_stmt_free(s);
    if (err ||
        (err = run1(st,
                    "DELETE FROM notify_sent WHERE at <= ?1 OR key NOT IN"
                    " (SELECT key FROM notify_sent ORDER BY at DESC LIMIT ?2)",
                    now - YJ_NOTIFY_WINDOW, YJ_NOTIFY_KEYS_MAX)))
        return err;
    if ((err = yj_stmt_prepare(st,
                               "INSERT OR REPLACE INTO notify_window(id, start, sent, held,"
                               " announced) VALUES(1, ?1, ?2, ?3, ?4)",
                               &s)))
        return err;
    if (!(err = g->window_start == INT64_MIN ? yj_stmt_null(s, 1)
                                             : yj_stmt_int(s, 1, g->window_start)) &&
        !(err = yj_stmt_int(s, 2, g->sent)) && !(err = yj_stmt_int(s, 3, i64(g->held))) &&
        !(err = yj_stmt_int(s, 4, i64(g->announced))))
        err = yj_stmt_run(s);
    yj_stmt_free(s);
    return err;
}

enum yj_err yj_notify_gate_save(const struct yj_notify_gate *g, struct yj_store *st,
                                int64_t now)
{
    enum yj_err err = yj_store_begin(st);
    if (err)
        return err;
    if (!(err = save(g, st, now)))
        err = yj_store_commit(st);
    if (err)
        yj_store_rollback(st);
    return err;
}
