/* Incidents in the store: what happened, the timeline (when, who, what), the desks contacted,
 * the legal duties with their dates and whether they are done. Every change is one
 * transaction.
 *
 *   incident(id, type, title, status, discovered, sector, personal_data, malicious, people,
 *            ongoing, data_involved, cause, actions, prevention, created_at, closed_at)
 *   incident_event(id, incident_id, at, who, kind, what)
 *   incident_duty(incident_id, duty, due_from, due_by, promptly, done_at)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "respond.h"

static const struct yj_migration migrations[] = {
    {1, "CREATE TABLE incident("
        "  id INTEGER PRIMARY KEY,"
        "  type TEXT NOT NULL,"
        "  title TEXT NOT NULL DEFAULT '',"
        "  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),"
        "  discovered TEXT NOT NULL,"
        "  sector TEXT NOT NULL,"
        "  personal_data TEXT NOT NULL,"
        "  malicious INTEGER NOT NULL,"
        "  people INTEGER,"
        "  ongoing INTEGER NOT NULL,"
        "  data_involved TEXT NOT NULL DEFAULT '',"
        "  cause TEXT NOT NULL DEFAULT '',"
        "  actions TEXT NOT NULL DEFAULT '',"
        "  prevention TEXT NOT NULL DEFAULT '',"
        "  created_at TEXT NOT NULL,"
        "  closed_at TEXT);"
        "CREATE TABLE incident_event("
        "  id INTEGER PRIMARY KEY,"
        "  incident_id INTEGER NOT NULL REFERENCES incident(id) ON DELETE CASCADE,"
        "  at TEXT NOT NULL,"
        "  who TEXT NOT NULL,"
        "  kind TEXT NOT NULL CHECK (kind IN ('note', 'contact', 'duty', 'status')),"
        "  what TEXT NOT NULL);"
        "CREATE INDEX incident_event_by ON incident_event(incident_id, at);"
        "CREATE TABLE incident_duty("
        "  incident_id INTEGER NOT NULL REFERENCES incident(id) ON DELETE CASCADE,"
        "  duty TEXT NOT NULL,"
        "  due_from TEXT,"
        "  due_by TEXT,"
        "  promptly INTEGER NOT NULL,"
        "  done_at TEXT,"
        "  PRIMARY KEY (incident_id, duty));"},
};

const struct yj_schema yj_respond_schema = {"respond", migrations,
                                            sizeof migrations / sizeof migrations[0]};

static const char *const kinds[] = {"note", "contact", "duty", "status"};

enum yj_err yj_incident_check_text(const char *what, const char *s, size_t max,
                                   struct yj_diag *d)
{
    if (!s)
        return YJ_ERR_OK;
    if (strlen(s) > max)
        return yj_diag_fail(d, YJ_ERR_LIMIT, NULL, 0, yj_t("incident.too_long"), what, max);
    if (!yj_str_is_text_nl(yj_str_c(s)))
        return yj_diag_fail(d, YJ_ERR_INVALID, NULL, 0, yj_t("incident.not_text"), what);
    return YJ_ERR_OK;
}

static enum yj_err add_event(struct yj_store *s, int64_t id, enum yj_event_kind kind,
                             const char *at, const char *who, const char *what)
{
    char now[YJ_ISO_LEN];
    yj_time_iso(yj_now(), now);
    struct yj_stmt *st;
    enum yj_err err = yj_stmt_prepare(s,
                                      "INSERT INTO incident_event(incident_id, at, who, kind, what)"
                                      " SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS"
                                      " (SELECT 1 FROM incident WHERE id = ?1)",
                                      &st);
    if (err)
        return err;
    if (!(err = yj_stmt_int(st, 1, id)) && !(err = yj_stmt_text(st, 2, at ? at : now)) &&
        !(err = yj_stmt_text(st, 3, who ? who : "")) &&
        !(err = yj_stmt_text(st, 4, kinds[kind])) && !(err = yj_stmt_text(st, 5, what)))
        err = yj_stmt_run(st);
    yj_stmt_free(st);
    return err;
}

/* Runs fn inside one write transaction. */
#define IN_TRANSACTION(s, body)                                                                \
    do {                                                                                       \
        enum yj_err err_ = yj_store_begin(s);                                                  \
        if (err_)                                                                              \
            return err_;                                                                       \
        err_ = (body);                                                                         \
        if (!err_)                                                                             \
            err_ = yj_store_commit(s);                                                         \
        if (err_)                                                                              \
            yj_store_rollback(s);                                                              \
        return err_;                                                                           \
    } while (0)

static enum yj_err create(struct yj_store *s, const struct yj_case *k, const char *title,
                          const char *who, const struct yj_advice *a, int64_t *id)
{
    char now[YJ_ISO_LEN], day[YJ_DATE_LEN];
    yj_time_iso(yj_now(), now);
    yj_date_fmt(k->discovered, day);
    struct yj_stmt *st;
    enum yj_err err = yj_stmt_prepare(
        s,
        "INSERT INTO incident(type, title, status, discovered, sector, personal_data, malicious,"
        " people, ongoing, created_at) VALUES(?1, ?2, 'open', ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        &st);
    if (err)
        return err;
    if (!(err = yj_stmt_text(st, 1, yj_itype_code(k->type))) &&
        !(err = yj_stmt_text(st, 2, title ? title : "")) && !(err = yj_stmt_text(st, 3, day)) &&
        !(err = yj_stmt_text(st, 4, yj_sector_code(k->sector))) &&
        !(err = yj_stmt_text(st, 5, yj_pd_code(k->personal_data))) &&
        !(err = yj_stmt_int(st, 6, k->malicious)) &&
        !(err = k->people >= 0 ? yj_stmt_int(st, 7, k->people) : yj_stmt_null(st, 7)) &&
        !(err = yj_stmt_int(st, 8, k->ongoing)) && !(err = yj_stmt_text(st, 9, now)))
        err = yj_stmt_run(st);
    yj_stmt_free(st);
    if (err)
        return err;
    *id = yj_store_last_id(s);
    if ((err = yj_stmt_prepare(s,
                               "INSERT INTO incident_duty(incident_id, duty, due_from, due_by,"
                               " promptly) VALUES(?1, ?2, ?3, ?4, ?5)",
                               &st)))
        return err;
    for (size_t i = 0; !err && i < a->nduties; i++) {
        const struct yj_duty *du = &a->duties[i];
        char from[YJ_DATE_LEN], by[YJ_DATE_LEN];
        yj_date_fmt(du->due_from, from);
        yj_date_fmt(du->due_by, by);
        if (!(err = yj_stmt_reset(st)) && !(err = yj_stmt_int(st, 1, *id)) &&
            !(err = yj_stmt_text(st, 2, du->rule->id)) &&
            !(err = yj_stmt_text(st, 3, du->has_from ? from : NULL)) &&
            !(err = yj_stmt_text(st, 4, du->has_by ? by : NULL)) &&
            !(err = yj_stmt_int(st, 5, du->rule->promptly)))
            err = yj_stmt_run(st);
    }
    yj_stmt_free(st);
    if (!err)
        err = add_event(s, *id, YJ_EV_STATUS, now, who, yj_t("incident.opened"));
    return err;
}

enum yj_err yj_incident_create(struct yj_store *s, const struct yj_case *k, const char *title,
                               const char *who, const struct yj_advice *a, int64_t *id)
{
    IN_TRANSACTION(s, create(s, k, title, who, a, id));
}

#define INCIDENT_COLS "id, type, title, status, discovered, sector, personal_data, malicious, " \
                      "people, ongoing, data_involved, cause, actions, prevention, created_at, "  \
                      "closed_at"

static const char *dup(struct yj_arena *a, const char *s)
{
    return s ? yj_arena_strdup(a, s) : NULL;
}

static void row(struct yj_stmt *st, struct yj_arena *a, struct yj_incident *x)
{
    memset(x, 0, sizeof *x);
    x->id = yj_col_int(st, 0);
    int t = yj_itype_parse(yj_col_text(st, 1));
    x->c.type = t >= 0 ? (enum yj_itype)t : YJ_IT_malware;
    x->title = dup(a, yj_col_text(st, 2));
    x->status = dup(a, yj_col_text(st, 3));
    const char *day = yj_col_text(st, 4);
    if (!day || !yj_date_parse(day, &x->c.discovered))
        x->c.discovered = (struct yj_date){1970, 1, 1};
    int sec = yj_sector_parse(yj_col_text(st, 5));
    x->c.sector = sec >= 0 ? (enum yj_sector)sec : YJ_SECTOR_OTHER;
    int pd = yj_pd_parse(yj_col_text(st, 6));
    x->c.personal_data = pd >= 0 ? (enum yj_pd)pd : YJ_PD_NONE;
    x->c.malicious = yj_col_int(st, 7) != 0;
    x->c.people = yj_col_null(st, 8) ? -1 : (long)yj_col_int(st, 8);
    x->c.ongoing = yj_col_int(st, 9) != 0;
    x->data_involved = dup(a, yj_col_text(st, 10));
    x->cause = dup(a, yj_col_text(st, 11));
    x->actions = dup(a, yj_col_text(st, 12));
    x->prevention = dup(a, yj_col_text(st, 13));
    x->created_at = dup(a, yj_col_text(st, 14));
    x->closed_at = dup(a, yj_col_text(st, 15));
}

enum yj_err yj_incident_pending(struct yj_store *s, struct yj_pending *out)
{
    memset(out, 0, sizeof *out);
    struct yj_stmt *st;
    enum yj_err err = yj_stmt_prepare(s, "SELECT count(*) FROM incident WHERE status = 'open'",
                                      &st);
    if (err)
        return err;
    bool more = false;
    if (!(err = yj_stmt_step(st, &more)) && more)
        out->open = yj_col_int(st, 0);
    yj_stmt_free(st);
    if (err || !out->open)
        return err;
    if ((err = yj_stmt_prepare(s,
                               "SELECT d.incident_id, d.duty, d.due_by FROM incident_duty d"
                               " JOIN incident i ON i.id = d.incident_id WHERE i.status = 'open'"
                               " AND d.done_at IS NULL ORDER BY coalesce(d.due_by, ''), i.id"
                               " LIMIT 1",
                               &st)))
        return err;
    if (!(err = yj_stmt_step(st, &more)) && more) {
        out->has_next = true;
        out->incident = yj_col_int(st, 0);
        const char *duty = yj_col_text(st, 1), *by = yj_col_text(st, 2);
        snprintf(out->duty, sizeof out->duty, "%s", duty ? duty : "");
        snprintf(out->due_by, sizeof out->due_by, "%s", by ? by : "");
    }
    yj_stmt_free(st);
    return err;
}

enum yj_err yj_incident_list(struct yj_store *s, struct yj_arena *arena,
                             struct yj_incident **out, size_t *n)
{
    struct yj_stmt *st;
    *out = NULL;
    *n = 0;
    enum yj_err err = yj_stmt_prepare(
        s, "SELECT " INCIDENT_COLS " FROM incident ORDER BY discovered DESC, id DESC", &st);
    if (err)
        return err;
    size_t cap = 0;
    bool more;
    struct yj_incident *v = NULL;
    while (!(err = yj_stmt_step(st, &more)) && more) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct yj_incident *nv = yj_arena_alloc(arena, ncap * sizeof *nv);
            if (*n)
                memcpy(nv, v, *n * sizeof *nv);
            v = nv;
            cap = ncap;
        }
        row(st, arena, &v[(*n)++]);
    }
    yj_stmt_free(st);
    *out = v;
    return err;
}

enum yj_err yj_incident_get(struct yj_store *s, int64_t id, struct yj_arena *a,
                            struct yj_incident *out, bool *found)
{
    struct yj_stmt *st;
    *found = false;
    enum yj_err err = yj_stmt_prepare(s, "SELECT " INCIDENT_COLS " FROM incident WHERE id = ?1",
                                      &st);
    if (err)
        return err;
    bool more = false;
    if (!(err = yj_stmt_int(st, 1, id)) && !(err = yj_stmt_step(st, &more)) && more) {
        row(st, a, out);
        *found = true;
    }
    yj_stmt_free(st);
    if (err || !*found)
        return err;
    /* Timeline, oldest first. */
    if ((err = yj_stmt_prepare(s,
                               "SELECT id, at, who, kind, what FROM incident_event"
                               " WHERE incident_id = ?1 ORDER BY at, id",
                               &st)))
        return err;
    size_t cap = 0;
    if (!(err = yj_stmt_int(st, 1, id))) {
        while (!(err = yj_stmt_step(st, &more)) && more) {
            if (out->nevents == cap) {
                size_t ncap = cap ? cap * 2 : 16;
                struct yj_incident_event *nv = yj_arena_alloc(a, ncap * sizeof *nv);
                if (out->nevents)
                    memcpy(nv, out->events, out->nevents * sizeof *nv);
                out->events = nv;
                cap = ncap;
            }
            struct yj_incident_event *e = &out->events[out->nevents++];
            e->id = yj_col_int(st, 0);
            e->at = dup(a, yj_col_text(st, 1));
            e->who = dup(a, yj_col_text(st, 2));
            const char *k = yj_col_text(st, 3);
            e->kind = YJ_EV_NOTE;
            for (int i = 0; k && i < 4; i++)
                if (strcmp(k, kinds[i]) == 0)
                    e->kind = (enum yj_event_kind)i;
            e->what = dup(a, yj_col_text(st, 4));
        }
    }
    yj_stmt_free(st);
    if (err)
        return err;
    if ((err = yj_stmt_prepare(s,
                               "SELECT duty, due_from, due_by, promptly, done_at FROM"
                               " incident_duty WHERE incident_id = ?1 ORDER BY rowid",
                               &st)))
        return err;
    cap = 0;
    if (!(err = yj_stmt_int(st, 1, id))) {
        while (!(err = yj_stmt_step(st, &more)) && more) {
            if (out->nduties == cap) {
                size_t ncap = cap ? cap * 2 : 8;
                struct yj_incident_duty *nv = yj_arena_alloc(a, ncap * sizeof *nv);
                if (out->nduties)
                    memcpy(nv, out->duties, out->nduties * sizeof *nv);
                out->duties = nv;
                cap = ncap;
            }
            struct yj_incident_duty *du = &out->duties[out->nduties++];
            du->duty = dup(a, yj_col_text(st, 0));
            du->due_from = dup(a, yj_col_text(st, 1));
            du->due_by = dup(a, yj_col_text(st, 2));
            du->promptly = yj_col_int(st, 3) != 0;
            du->done_at = dup(a, yj_col_text(st, 4));
        }
    }
    yj_stmt_free(st);
    return err;
}

static enum yj_err must_exist(struct yj_store *s, int64_t id)
{
    struct yj_stmt *st;
    enum yj_err err = yj_stmt_prepare(s, "SELECT 1 FROM incident WHERE id = ?1", &st);
    if (err)
        return err;
    bool more = false;
    if (!(err = yj_stmt_int(st, 1, id)) && !(err = yj_stmt_step(st, &more)) && !more)
        err = YJ_ERR_NOTFOUND;
    yj_stmt_free(st);
    return err;
}

static enum yj_err log_event(struct yj_store *s, int64_t id, enum yj_event_kind kind,
                             const char *at, const char *who, const char *what)
{
    enum yj_err err = must_exist(s, id);
    return err ? err : add_event(s, id, kind, at, who, what);
}

enum yj_err yj_incident_log(struct yj_store *s, int64_t id, enum yj_event_kind kind,
                            const char *at, const char *who, const char *what)
{
    IN_TRANSACTION(s, log_event(s, id, kind, at, who, what));
}

static enum yj_err duty_done(struct yj_store *s, int64_t id, const char *duty, const char *who,
                             const char *what)
{
    char now[YJ_ISO_LEN];
    yj_time_iso(yj_now(), now);
    struct yj_stmt *st;
    enum yj_err err = yj_stmt_prepare(s,
                                      "UPDATE incident_duty SET done_at = ?3 WHERE"
                                      " incident_id = ?1 AND duty = ?2",
                                      &st);
    if (err)
        return err;
    if (!(err = yj_stmt_int(st, 1, id)) && !(err = yj_stmt_text(st, 2, duty)) &&
        !(err = yj_stmt_text(st, 3, now)))
        err = yj_stmt_run(st);
    yj_stmt_free(st);
    if (err)
        return err;
    if (yj_store_changes(s) == 0)
        return YJ_ERR_NOTFOUND;
    return add_event(s, id, YJ_EV_DUTY, now, who, what);
}

enum yj_err yj_incident_duty_done(struct yj_store *s, int64_t id, const char *duty,
                                  const char *who, const char *what)
{
    IN_TRANSACTION(s, duty_done(s, id, duty, who, what));
}

static enum yj_err update(struct yj_store *s, int64_t id, const struct yj_incident_fields *f)
{
    enum yj_err err = must_exist(s, id);
    if (err)
        return err;
    struct yj_stmt *st;
    if ((err = yj_stmt_prepare(s,
                               "UPDATE incident SET title = coalesce(?2, title),"
                               " data_involved = coalesce(?3, data_involved),"
                               " cause = coalesce(?4, cause), actions = coalesce(?5, actions),"
                               " prevention = coalesce(?6, prevention) WHERE id = ?1",
                               &st)))
        return err;
    if (!(err = yj_stmt_int(st, 1, id)) && !(err = yj_stmt_text(st, 2, f->title)) &&
        !(err = yj_stmt_text(st, 3, f->data_involved)) && !(err = yj_stmt_text(st, 4, f->cause)) &&
        !(err = yj_stmt_text(st, 5, f->actions)) && !(err = yj_stmt_text(st, 6, f->prevention)))
        err = yj_stmt_run(st);
    yj_stmt_free(st);
    return err;
}

enum yj_err yj_incident_update(struct yj_store *s, int64_t id, const struct yj_incident_fields *f)
{
    IN_TRANSACTION(s, update(s, id, f));
}

static enum yj_err set_status(struct yj_store *s, int64_t id, bool open, const char *who,
                              const char *what)
{
    enum yj_err err = must_exist(s, id);
    if (err)
        return err;
    char now[YJ_ISO_LEN];
    yj_time_iso(yj_now(), now);
    struct yj_stmt *st;
    if ((err = yj_stmt_prepare(s, "UPDATE incident SET status = ?2, closed_at = ?3 WHERE id = ?1",
                               &st)))
        return err;
    if (!(err = yj_stmt_int(st, 1, id)) && !(err = yj_stmt_text(st, 2, open ? "open" : "closed")) &&
        !(err = yj_stmt_text(st, 3, open ? NULL : now)))
        err = yj_stmt_run(st);
    yj_stmt_free(st);
    return err ? err : add_event(s, id, YJ_EV_STATUS, now, who, what);
}

enum yj_err yj_incident_set_status(struct yj_store *s, int64_t id, bool open, const char *who,
                                   const char *what)
{
    IN_TRANSACTION(s, set_status(s, id, open, who, what));
}
