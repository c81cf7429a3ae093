/* Stored alerts: reading (list, one, counts) and their life after recording (status,
 * incident link, pruning). */
#include <string.h>

#include "alert.h"
#include "base/str.h"

#define ALERT_COLS                                                                             \
    "id, first_ts, last_ts, signature_id, code, category, severity, src_ip, dest_ip, user, "  \
    "count, name_ja, name_en, summary_ja, summary_en, advice_ja, advice_en, playbook, "       \
    "origin, status, changed_by, changed_ts, note, incident_id, eve, subject"

static const char *dup(struct yj_arena *a, const char *s)
{
    return yj_arena_strdup(a, s ? s : "");
}

static void row(struct yj_stmt *s, struct yj_arena *a, struct yj_alert *x)
{
    memset(x, 0, sizeof *x);
    x->id = yj_col_int(s, 0);
    x->first_ts = yj_col_int(s, 1);
    x->last_ts = yj_col_int(s, 2);
    x->signature_id = (unsigned)yj_col_int(s, 3);
    x->code = dup(a, yj_col_text(s, 4));
    x->category = dup(a, yj_col_text(s, 5));
    x->severity = (int)yj_col_int(s, 6);
    x->src_ip = dup(a, yj_col_text(s, 7));
    x->dest_ip = dup(a, yj_col_text(s, 8));
    x->user = dup(a, yj_col_text(s, 9));
    x->count = yj_col_int(s, 10);
    x->name.v[YJ_LANG_JA] = dup(a, yj_col_text(s, 11));
    x->name.v[YJ_LANG_EN] = dup(a, yj_col_text(s, 12));
    x->summary.v[YJ_LANG_JA] = dup(a, yj_col_text(s, 13));
    x->summary.v[YJ_LANG_EN] = dup(a, yj_col_text(s, 14));
    x->advice.v[YJ_LANG_JA] = dup(a, yj_col_text(s, 15));
    x->advice.v[YJ_LANG_EN] = dup(a, yj_col_text(s, 16));
    x->playbook = dup(a, yj_col_text(s, 17));
    x->origin = dup(a, yj_col_text(s, 18));
    int st = yj_alert_status_parse(yj_col_text(s, 19));
    x->status = st >= 0 ? (enum yj_alert_status)st : YJ_ALERT_OPEN;
    x->changed_by = dup(a, yj_col_text(s, 20));
    x->changed_ts = yj_col_int(s, 21);
    x->note = dup(a, yj_col_text(s, 22));
    x->incident_id = yj_col_int(s, 23);
    x->eve = dup(a, yj_col_text(s, 24));
    x->subject = dup(a, yj_col_text(s, 25));
}

void yj_alert_filter_init(struct yj_alert_filter *f)
{
    *f = (struct yj_alert_filter){.status = -1, .limit = YJ_ALERT_LIST_MAX};
}

/* The WHERE clause every list statement shares: ?1 status ('' all), ?2 severity (0 all),
 * ?3 since. */
#define FILTER_WHERE " WHERE (?1 = '' OR status = ?1) AND (?2 = 0 OR severity = ?2) AND last_ts >= ?3"

static enum yj_err bind_filter(struct yj_stmt *s, const struct yj_alert_filter *f)
{
    const char *status = f->status >= 0 && f->status < YJ_ALERT__NSTATUS
                             ? yj_alert_status_code((enum yj_alert_status)f->status)
                             : "";
    enum yj_err err;
    if ((err = yj_stmt_text(s, 1, status)) || (err = yj_stmt_int(s, 2, f->severity)))
        return err;
    return yj_stmt_int(s, 3, f->since);
}

static enum yj_err count_matching(struct yj_store *st, const struct yj_alert_filter *f,
                                  int64_t *total)
{
    struct yj_stmt *s;
    enum yj_err err = yj_stmt_prepare(st, "SELECT count(*) FROM alert" FILTER_WHERE, &s);
    if (err)
        return err;
    bool r = false;
    if (!(err = bind_filter(s, f)) && !(err = yj_stmt_step(s, &r)))
        *total = r ? yj_col_int(s, 0) : 0;
    yj_stmt_free(s);
    return err;
}

enum yj_err yj_alert_list(struct yj_store *st, const struct yj_alert_filter *f,
                          struct yj_arena *a, struct yj_alert **out, size_t *n, int64_t *total)
{
    *out = NULL;
    *n = 0;
    size_t limit = f->limit == 0 || f->limit > YJ_ALERT_LIST_MAX ? YJ_ALERT_LIST_MAX : f->limit;
    size_t offset = f->offset > (size_t)INT32_MAX ? (size_t)INT32_MAX : f->offset;
    enum yj_err err;
    if (total && (err = count_matching(st, f, total)))
        return err;
    struct yj_stmt *s;
    if ((err = yj_stmt_prepare(st,
                               "SELECT " ALERT_COLS " FROM alert" FILTER_WHERE
                               " ORDER BY last_ts DESC, id DESC LIMIT ?4 OFFSET ?5",
                               &s)))
        return err;
    struct yj_alert *v = yj_arena_alloc(a, limit * sizeof *v);
    size_t k = 0;
    bool r = false;
    if (!(err = bind_filter(s, f)) && !(err = yj_stmt_int(s, 4, (int64_t)limit)) &&
        !(err = yj_stmt_int(s, 5, (int64_t)offset)))
        while (k < limit && !(err = yj_stmt_step(s, &r)) && r)
            row(s, a, &v[k++]);
    yj_stmt_free(s);
    if (!err) {
        *out = v;
        *n = k;
    }
    return err;
}

enum yj_err yj_alert_get(struct yj_store *st, int64_t id, struct yj_arena *a,
                         struct yj_alert *out, bool *found)
{
    *found = false;
    struct yj_stmt *s;
    enum yj_err err = yj_stmt_prepare(st, "SELECT " ALERT_COLS " FROM alert WHERE id = ?1", &s);
    if (err)
        return err;
    bool r = false;
    if (!(err = yj_stmt_int(s, 1, id)) && !(err = yj_stmt_step(s, &r)) && r) {
        row(s, a, out);
        *found = true;
    }
    yj_stmt_free(s);
    return err;
}

enum yj_err yj_alert_set_status(struct yj_store *st, int64_t id, enum yj_alert_status status,
                                const char *who, const char *note, int64_t now,
                                struct yj_diag *d)
{
    if ((unsigned)status >= YJ_ALERT__NSTATUS)
        return YJ_ERR_INVALID;
    if (who && strlen(who) > YJ_ALERT_WHO_MAX)
        return yj_diag_fail(d, YJ_ERR_LIMIT, NULL, 0, yj_t("alert.too_long"), "who",
                            (size_t)YJ_ALERT_WHO_MAX);
    if (note && strlen(note) > YJ_ALERT_NOTE_MAX)
        return yj_diag_fail(d, YJ_ERR_LIMIT, NULL, 0, yj_t("alert.too_long"), "note",
                            (size_t)YJ_ALERT_NOTE_MAX);
    if ((who && !yj_str_is_text(yj_str_c(who))) || (note && !yj_str_is_text_nl(yj_str_c(note))))
        return yj_diag_fail(d, YJ_ERR_INVALID, NULL, 0, yj_t("alert.not_text"),
                            who && !yj_str_is_text(yj_str_c(who)) ? "who" : "note");
    struct yj_stmt *s;
    enum yj_err err = yj_stmt_prepare(st,
                                      "UPDATE alert SET status = ?2, changed_by = ?3,"
                                      " changed_ts = ?4, note = coalesce(?5, note) WHERE id = ?1",
                                      &s);
    if (err)
        return err;
    if (!(err = yj_stmt_int(s, 1, id)) && !(err = yj_stmt_text(s, 2, yj_alert_status_code(status))) &&
        !(err = yj_stmt_text(s, 3, who ? who : "")) && !(err = yj_stmt_int(s, 4, now)) &&
        !(err = yj_stmt_text(s, 5, note)) && !(err = yj_stmt_run(s)) &&
        yj_store_changes(st) == 0)
        err = YJ_ERR_NOTFOUND;
    yj_stmt_free(s);
    return err;
}

enum yj_err yj_alert_set_incident(struct yj_store *st, int64_t id, int64_t incident_id)
{
    struct yj_stmt *s;
    enum yj_err err =
        yj_stmt_prepare(st, "UPDATE alert SET incident_id = ?2 WHERE id = ?1", &s);
    if (err)
        return err;
    if (!(err = yj_stmt_int(s, 1, id)) && !(err = yj_stmt_int(s, 2, incident_id)) &&
        !(err = yj_stmt_run(s)) && yj_store_changes(st) == 0)
        err = YJ_ERR_NOTFOUND;
    yj_stmt_free(s);
    return err;
}

enum yj_err yj_alert_count_open(struct yj_store *st, struct yj_alert_counts *out)
{
    memset(out, 0, sizeof *out);
    struct yj_stmt *s;
    enum yj_err err = yj_stmt_prepare(st,
                                      "SELECT severity, count(*) FROM alert"
                                      " WHERE status = 'open' GROUP BY severity",
                                      &s);
    if (err)
        return err;
    bool r = false;
    while (!(err = yj_stmt_step(s, &r)) && r) {
        int64_t sev = yj_col_int(s, 0), c = yj_col_int(s, 1);
        out->by_severity[sev >= 1 && sev <= 3 ? sev : 0] += c;
        out->open += c;
    }
    yj_stmt_free(s);
    return err;
}

enum yj_err yj_alert_prune(struct yj_store *st, int64_t now, unsigned days, int64_t *removed)
{
    struct yj_stmt *s;
    enum yj_err err = yj_stmt_prepare(st,
                                      "DELETE FROM alert WHERE status = 'closed'"
                                      " AND changed_ts < ?1",
                                      &s);
    if (err)
        return err;
    if (!(err = yj_stmt_int(s, 1, now - (int64_t)days * 86400)) && !(err = yj_stmt_run(s)) &&
        removed)
        *removed = yj_store_changes(st);
    yj_stmt_free(s);
    return err;
}
