/* The monitors' heartbeat: one row per monitor in monitor_status (alert.c's migration 3). */
#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "base/i18n.h"

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

void yj_monitor_sources_text(const char *sources, enum yj_lang lang, struct yj_buf *out)
{
    static const struct {
        const char *kind, *id;
    } kinds[] = {{"log", "alert.src.logs"},   {"journal", "alert.src.journal"},
                 {"dir", "alert.src.dirs"},   {"files", "alert.src.files"},
                 {"net", "alert.src.net"}};
    const char *sep = "";
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t kl = strlen(kinds[k].kind), values = 0;
        bool seen = false;
        for (const char *l = sources; *l;) {
            const char *e = strchr(l, '\n');
            size_t n = e ? (size_t)(e - l) : strlen(l);
            if (n >= kl && strncmp(l, kinds[k].kind, kl) == 0 && (n == kl || l[kl] == ':')) {
                if (!seen)
                    yj_buf_printf(out, "%s%s", sep, yj_tl(lang, kinds[k].id));
                seen = true;
                if (n > kl + 1) {
                    yj_buf_adds(out, values++ ? ", " : ": ");
                    yj_buf_add(out, l + kl + 1, n - kl - 1);
                }
            }
            l += e ? n + 1 : n;
        }
        if (seen)
            sep = "; ";
    }
}
