/* The monitors' heartbeat: one row per monitor in monitor_status (alert.c's migration 3). */
#include <stdio.h>
#include <string.h>

#include "alert.h"

enum yj_err yj_monitor_beat(struct yj_store *st, const struct yj_monitor_status *m)
{
    struct yj_stmt *q;
    enum yj_err err = yj_stmt_prepare(
        st,
        "INSERT INTO monitor_status(name, started_ts, heartbeat_ts, pid, sources, events, "
        "alerts, stopped) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(name) DO UPDATE "
        "SET started_ts = ?2, heartbeat_ts = ?3, pid = ?4, sources = ?5, events = ?6, "
        "alerts = ?7, stopped = ?8",
        &q);
    if (err)
        return err;
    if (!(err = yj_stmt_text(q, 1, m->name)) && !(err = yj_stmt_int(q, 2, m->started)) &&
        !(err = yj_stmt_int(q, 3, m->heartbeat)) && !(err = yj_stmt_int(q, 4, m->pid)) &&
        !(err = yj_stmt_text(q, 5, m->sources)) && !(err = yj_stmt_int(q, 6, m->events)) &&
        !(err = yj_stmt_int(q, 7, m->alerts)) && !(err = yj_stmt_int(q, 8, m->stopped)))
        err = yj_stmt_run(q);
    yj_stmt_free(q);
    return err;
}

enum yj_err yj_monitor_get(struct yj_store *st, const char *name, struct yj_monitor_status *m,
                           bool *found)
{
    struct yj_stmt *q;
    *found = false;
    memset(m, 0, sizeof *m);
    enum yj_err err = yj_stmt_prepare(st,
                                      "SELECT started_ts, heartbeat_ts, pid, sources, events, "
                                      "alerts, stopped FROM monitor_status WHERE name = ?1",
                                      &q);
    if (err)
        return err;
    bool row = false;
    if (!(err = yj_stmt_text(q, 1, name)) && !(err = yj_stmt_step(q, &row)) && row) {
        snprintf(m->name, sizeof m->name, "%s", name);
        m->started = yj_col_int(q, 0);
        m->heartbeat = yj_col_int(q, 1);
        m->pid = yj_col_int(q, 2);
        const char *src = yj_col_text(q, 3);
        snprintf(m->sources, sizeof m->sources, "%s", src ? src : "");
        m->events = yj_col_int(q, 4);
        m->alerts = yj_col_int(q, 5);
        m->stopped = yj_col_int(q, 6) != 0;
        *found = true;
    }
    yj_stmt_free(q);
    return err;
}
