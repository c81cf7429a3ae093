/* Stored alerts: the table, recording with de-duplication, and status changes.
 *
 *   alert(id, first_ts, last_ts, signature_id, code, category, severity, src_ip, dest_ip,
 *         user, count, name_ja, name_en, summary_ja, summary_en, advice_ja, advice_en,
 *         playbook, origin, status, changed_by, changed_ts, note, incident_id, eve)
 *
 * Times are Unix seconds so the de-duplication window and the list filters are integer
 * comparisons. Absent addresses and accounts are stored as '' (not NULL) so that "same
 * source and account" is a plain equality the index can serve. */
#include <string.h>

#include "alert.h"
#include "base/buf.h"
#include "base/str.h"

static const struct yj_migration migrations[] = {
    {1, "CREATE TABLE alert("
        "  id INTEGER PRIMARY KEY,"
        "  first_ts INTEGER NOT NULL,"
        "  last_ts INTEGER NOT NULL,"
        "  signature_id INTEGER NOT NULL,"
        "  code TEXT NOT NULL DEFAULT '',"
        "  category TEXT NOT NULL DEFAULT '',"
        "  severity INTEGER NOT NULL,"
        "  src_ip TEXT NOT NULL DEFAULT '',"
        "  dest_ip TEXT NOT NULL DEFAULT '',"
        "  user TEXT NOT NULL DEFAULT '',"
        "  count INTEGER NOT NULL DEFAULT 1,"
        "  name_ja TEXT NOT NULL DEFAULT '',"
        "  name_en TEXT NOT NULL DEFAULT '',"
        "  summary_ja TEXT NOT NULL DEFAULT '',"
        "  summary_en TEXT NOT NULL DEFAULT '',"
        "  advice_ja TEXT NOT NULL DEFAULT '',"
        "  advice_en TEXT NOT NULL DEFAULT '',"
        "  playbook TEXT NOT NULL DEFAULT '',"
        "  origin TEXT NOT NULL DEFAULT '',"
        "  status TEXT NOT NULL DEFAULT 'open'"
        "    CHECK (status IN ('open', 'acknowledged', 'closed')),"
        "  changed_by TEXT NOT NULL DEFAULT '',"
        "  changed_ts INTEGER NOT NULL DEFAULT 0,"
        "  note TEXT NOT NULL DEFAULT '',"
        "  incident_id INTEGER NOT NULL DEFAULT 0,"
        "  eve TEXT NOT NULL DEFAULT '');"
        "CREATE INDEX alert_dedup ON alert(signature_id, src_ip, user, status, last_ts);"
        "CREATE INDEX alert_recent ON alert(status, last_ts);"},
};

const struct yj_schema yj_alert_schema = {"alert", migrations,
                                          sizeof migrations / sizeof migrations[0]};

static const char *const status_codes[YJ_ALERT__NSTATUS] = {"open", "acknowledged", "closed"};

const char *yj_alert_status_code(enum yj_alert_status s)
{
    return (unsigned)s < YJ_ALERT__NSTATUS ? status_codes[s] : "open";
}

int yj_alert_status_parse(const char *s)
{
    for (int i = 0; s && i < YJ_ALERT__NSTATUS; i++)
        if (strcmp(s, status_codes[i]) == 0)
            return i;
    return -1;
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

void yj_alert_in_from_event(struct yj_alert_in *in, const struct yj_event *ev,
                            const char *origin)
{
    const struct yj_event_alert *a = &ev->u.alert;
    memset(in, 0, sizeof *in);
    in->ts = ev->ts;
    in->signature_id = a->signature_id;
    in->code = a->code;
    in->category = a->category;
    in->severity = a->severity;
    in->src_ip = ev->src_ip;
    in->user = a->user;
    in->count = a->count;
    in->playbook = a->playbook;
    in->origin = origin;
    for (int l = 0; l < YJ_LANG__COUNT; l++) {
        in->name.v[l] = a->text && a->text->name[l] ? a->text->name[l] : a->signature;
        in->summary.v[l] = a->text && a->text->summary[l] ? a->text->summary[l] : a->summary;
        in->advice.v[l] = a->text && a->text->advice[l] ? a->text->advice[l] : a->advice;
    }
}

/* ---- checks ------------------------------------------------------------------------------- */

static enum yj_err check_field(const char *what, const char *s, size_t max, bool nl,
                               struct yj_diag *d)
{
    if (!s)
        return YJ_ERR_OK;
    if (strlen(s) > max)
        return yj_diag_fail(d, YJ_ERR_LIMIT, NULL, 0, yj_t("alert.too_long"), what, max);
    struct yj_str v = yj_str_c(s);
    if (!(nl ? yj_str_is_text_nl(v) : yj_str_is_text(v)))
        return yj_diag_fail(d, YJ_ERR_INVALID, NULL, 0, yj_t("alert.not_text"), what);
    return YJ_ERR_OK;
}

static enum yj_err check_in(const struct yj_alert_in *in, struct yj_diag *d)
{
    const struct {
        const char *what, *s;
        size_t max;
    } f[] = {
        {"code", in->code, 64},        {"category", in->category, 64},
        {"src_ip", in->src_ip, 64},    {"dest_ip", in->dest_ip, 64},
        {"user", in->user, 256},       {"playbook", in->playbook, 64},
        {"origin", in->origin, 32},    {"eve", in->eve, YJ_ALERT_EVE_MAX},
    };
    enum yj_err err = YJ_ERR_OK;
    for (size_t i = 0; !err && i < sizeof f / sizeof f[0]; i++)
        err = check_field(f[i].what, f[i].s, f[i].max, true, d);
    for (int l = 0; !err && l < YJ_LANG__COUNT; l++)
        if (!(err = check_field("name", in->name.v[l], YJ_ALERT_FIELD_MAX, true, d)) &&
            !(err = check_field("summary", in->summary.v[l], YJ_ALERT_FIELD_MAX, true, d)))
            err = check_field("advice", in->advice.v[l], YJ_ALERT_FIELD_MAX, true, d);
    if (!err && (in->severity < 1 || in->severity > 3))
        err = yj_diag_fail(d, YJ_ERR_INVALID, NULL, 0, yj_t("alert.bad_severity"),
                           in->severity);
    return err;
}

/* ---- recording ---------------------------------------------------------------------------- */

/* The open alert this sighting belongs to, or 0. */
static enum yj_err find_open(struct yj_store *st, const struct yj_alert_in *in, int64_t *id)
{
    struct yj_stmt *s;
    *id = 0;
    enum yj_err err = yj_stmt_prepare(st,
                                      "SELECT id FROM alert WHERE signature_id = ?1"
                                      " AND src_ip = ?2 AND user = ?3 AND status = 'open'"
                                      " AND last_ts BETWEEN ?4 - ?5 AND ?4 + ?5"
                                      " ORDER BY last_ts DESC, id DESC LIMIT 1",
                                      &s);
    if (err)
        return err;
    bool row = false;
    if (!(err = yj_stmt_int(s, 1, in->signature_id)) && !(err = yj_stmt_text(s, 2, nz(in->src_ip))) &&
        !(err = yj_stmt_text(s, 3, nz(in->user))) && !(err = yj_stmt_int(s, 4, in->ts)) &&
        !(err = yj_stmt_int(s, 5, YJ_ALERT_DEDUP_WINDOW)) && !(err = yj_stmt_step(s, &row)) &&
        row)
        *id = yj_col_int(s, 0);
    yj_stmt_free(s);
    return err;
}

static int64_t count_of(const struct yj_alert_in *in)
{
    if (in->count == 0)
        return 1;
    return in->count > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)in->count;
}

/* Binds the fields both statements share, numbered as in the INSERT below from 2 on. */
static enum yj_err bind_words(struct yj_stmt *s, const struct yj_alert_in *in)
{
    enum yj_err err;
    if ((err = yj_stmt_int(s, 2, in->ts)) || (err = yj_stmt_int(s, 3, in->signature_id)) ||
        (err = yj_stmt_text(s, 4, nz(in->code))) || (err = yj_stmt_text(s, 5, nz(in->category))) ||
        (err = yj_stmt_int(s, 6, in->severity)) || (err = yj_stmt_text(s, 7, nz(in->src_ip))) ||
        (err = yj_stmt_text(s, 8, nz(in->dest_ip))) || (err = yj_stmt_text(s, 9, nz(in->user))) ||
        (err = yj_stmt_int(s, 10, count_of(in))) ||
        (err = yj_stmt_text(s, 11, nz(in->name.v[YJ_LANG_JA]))) ||
        (err = yj_stmt_text(s, 12, nz(in->name.v[YJ_LANG_EN]))) ||
        (err = yj_stmt_text(s, 13, nz(in->summary.v[YJ_LANG_JA]))) ||
        (err = yj_stmt_text(s, 14, nz(in->summary.v[YJ_LANG_EN]))) ||
        (err = yj_stmt_text(s, 15, nz(in->advice.v[YJ_LANG_JA]))) ||
        (err = yj_stmt_text(s, 16, nz(in->advice.v[YJ_LANG_EN]))) ||
        (err = yj_stmt_text(s, 17, nz(in->playbook))) || (err = yj_stmt_text(s, 18, nz(in->origin))))
        return err;
    return yj_stmt_text(s, 19, nz(in->eve));
}

static enum yj_err put(struct yj_store *st, const struct yj_alert_in *in, int64_t *id,
                       bool *is_new)
{
    int64_t found;
    enum yj_err err = find_open(st, in, &found);
    if (err)
        return err;
    struct yj_stmt *s;
    if (found) {
        /* The newer sighting's words win (its summary has the latest numbers); the first
         * sighting and who looked at it stay. */
        err = yj_stmt_prepare(
            st,
            "UPDATE alert SET"
            " first_ts = min(first_ts, ?2), count = max(count, ?10),"
            " severity = min(severity, ?6),"
            " name_ja = CASE WHEN ?2 >= last_ts THEN ?11 ELSE name_ja END,"
            " name_en = CASE WHEN ?2 >= last_ts THEN ?12 ELSE name_en END,"
            " summary_ja = CASE WHEN ?2 >= last_ts THEN ?13 ELSE summary_ja END,"
            " summary_en = CASE WHEN ?2 >= last_ts THEN ?14 ELSE summary_en END,"
            " advice_ja = CASE WHEN ?2 >= last_ts THEN ?15 ELSE advice_ja END,"
            " advice_en = CASE WHEN ?2 >= last_ts THEN ?16 ELSE advice_en END,"
            " eve = CASE WHEN ?2 >= last_ts THEN ?19 ELSE eve END,"
            " last_ts = max(last_ts, ?2)"
            " WHERE id = ?1",
            &s);
        if (err)
            return err;
        if (!(err = yj_stmt_int(s, 1, found)) && !(err = bind_words(s, in)))
            err = yj_stmt_run(s);
        yj_stmt_free(s);
        *id = found;
        *is_new = false;
        return err;
    }
    err = yj_stmt_prepare(st,
                          "INSERT INTO alert(first_ts, last_ts, signature_id, code, category,"
                          " severity, src_ip, dest_ip, user, count, name_ja, name_en,"
                          " summary_ja, summary_en, advice_ja, advice_en, playbook, origin, eve)"
                          " VALUES(?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                          " ?15, ?16, ?17, ?18, ?19)",
                          &s);
    if (err)
        return err;
    /* ?1 is unused here (SQLite accepts a gap); bind_words numbers from 2 for both. */
    if (!(err = bind_words(s, in)))
        err = yj_stmt_run(s);
    yj_stmt_free(s);
    if (!err) {
        *id = yj_store_last_id(st);
        *is_new = true;
    }
    return err;
}

enum yj_err yj_alert_put(struct yj_store *st, const struct yj_alert_in *in, int64_t *id,
                         bool *is_new, struct yj_diag *d)
{
    int64_t id_ = 0;
    bool new_ = false;
    enum yj_err err = check_in(in, d);
    if (err)
        return err;
    if ((err = yj_store_begin(st)))
        return err;
    err = put(st, in, &id_, &new_);
    if (!err)
        err = yj_store_commit(st);
    if (err) {
        yj_store_rollback(st);
        yj_diag_add(d, NULL, 0, "%s", yj_store_errmsg(st));
        return err;
    }
    if (id)
        *id = id_;
    if (is_new)
        *is_new = new_;
    return YJ_ERR_OK;
}

enum yj_err yj_alert_record(struct yj_store *st, const struct yj_event *ev, const char *origin,
                            int64_t *id, bool *is_new, struct yj_diag *d)
{
    if (ev->type != YJ_EVENT_ALERT)
        return yj_diag_fail(d, YJ_ERR_INVALID, NULL, 0, yj_t("alert.not_alert"),
                            yj_event_type_name(ev->type));
    struct yj_alert_in in;
    yj_alert_in_from_event(&in, ev, origin);
    struct yj_buf b;
    yj_buf_init(&b, YJ_ALERT_EVE_MAX + 1);
    yj_eve_write(&b, ev);
    enum yj_err err = yj_buf_err(&b);
    if (err) {
        yj_buf_fini(&b);
        return yj_diag_fail(d, err, NULL, 0, yj_t("alert.too_long"), "eve",
                            (size_t)YJ_ALERT_EVE_MAX);
    }
    if (b.len && b.p[b.len - 1] == '\n')
        b.p[--b.len] = '\0';
    in.eve = yj_buf_cstr(&b);
    err = yj_alert_put(st, &in, id, is_new, d);
    yj_buf_fini(&b);
    return err;
}
