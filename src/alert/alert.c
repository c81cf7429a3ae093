/* Stored alerts: the table, recording with de-duplication, and status changes.
 *
 *   alert(id, first_ts, last_ts, signature_id, code, category, severity, src_ip, dest_ip,
 *         user, count, name_ja, name_en, summary_ja, summary_en, advice_ja, advice_en,
 *         playbook, origin, status, changed_by, changed_ts, note, incident_id, eve,
 *         subject)                                   subject: from migration 2
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
    /* File alerts are told apart by their file. */
    {2, "ALTER TABLE alert ADD COLUMN subject TEXT NOT NULL DEFAULT '';"
        "DROP INDEX alert_dedup;"
        "CREATE INDEX alert_dedup"
        "  ON alert(signature_id, src_ip, user, subject, status, last_ts);"},
    /* The monitors' heartbeat (status.c): one row per monitor, for the dashboard. */
    {3, "CREATE TABLE monitor_status("
        "  name TEXT PRIMARY KEY,"
        "  started_ts INTEGER NOT NULL,"
        "  heartbeat_ts INTEGER NOT NULL,"
        "  pid INTEGER NOT NULL DEFAULT 0,"
        "  sources TEXT NOT NULL DEFAULT '',"
        "  events INTEGER NOT NULL DEFAULT 0,"
        "  alerts INTEGER NOT NULL DEFAULT 0,"
        "  stopped INTEGER NOT NULL DEFAULT 0)"},
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
    in->ev = ev;
    in->signature_id = a->signature_id;
    in->code = a->code;
    in->category = a->category;
    in->severity = a->severity;
    in->src_ip = ev->src_ip;
    in->dest_ip = ev->dest_ip;
    in->user = a->user;
    if (a->fim && !(a->category && strcmp(a->category, "file-change") == 0))
        in->subject = a->fim->path;
    in->count = a->count;
    in->playbook = a->playbook;
    in->origin = origin;
    for (int l = 0; l < YJ_LANG__COUNT; l++) {
        in->name.v[l] = a->text && a->text->name[l] ? a->text->name[l] : a->signature;
        in->summary.v[l] = a->text && a->text->summary[l] ? a->text->summary[l] : a->summary;
        in->advice.v[l] = a->text && a->text->advice[l] ? a->text->advice[l] : a->advice;
    }
}

/* ---- outside text ------------------------------------------------------------------------ */

static bool char_ok(const char *p, size_t n, bool nl)
{
    struct yj_str v = {p, n};
    return nl ? yj_str_is_text_nl(v) : yj_str_is_text(v);
}

/* s as stored: control characters (but tabs, and line breaks where nl) and bytes that are not
 * well-formed UTF-8 become U+FFFD, and the text is cut at max bytes on a character boundary.
 * Account names, file names and the summaries that quote them come from outside: an alert
 * is kept readable, never refused for them (a cron file named with a stray byte must not
 * slip past the console). The copy, when one is needed, is in a. */
static const char *clean(struct yj_arena *a, const char *s, size_t max, bool nl)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    if (n <= max && char_ok(s, n, nl))
        return s;
    static const char fffd[] = "\xEF\xBF\xBD";
    char *out = yj_arena_alloc(a, max + 1);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80                ? 1
                     : (c & 0xE0) == 0xC0    ? 2
                     : (c & 0xF0) == 0xE0    ? 3
                     : (c & 0xF8) == 0xF0    ? 4
                                             : 1;
        bool ok = len <= n - i && char_ok(s + i, len, nl);
        size_t k = ok ? len : sizeof fffd - 1;
        if (o + k > max)
            break;
        memcpy(out + o, ok ? s + i : fffd, k);
        o += k;
        i += ok ? len : 1;
    }
    out[o] = '\0';
    return out;
}

/* in with every text cleaned (strings in a); the EVE line, being JSON, is kept whole or
 * dropped. */
static void clean_in(struct yj_alert_in *in, struct yj_arena *a)
{
    in->code = clean(a, in->code, 64, false);
    in->category = clean(a, in->category, 64, false);
    in->src_ip = clean(a, in->src_ip, 64, false);
    in->dest_ip = clean(a, in->dest_ip, 64, false);
    in->user = clean(a, in->user, 256, false);
    in->subject = clean(a, in->subject, YJ_ALERT_FIELD_MAX, false);
    in->playbook = clean(a, in->playbook, 64, false);
    in->origin = clean(a, in->origin, 32, false);
    for (int l = 0; l < YJ_LANG__COUNT; l++) {
        in->name.v[l] = clean(a, in->name.v[l], YJ_ALERT_FIELD_MAX, true);
        in->summary.v[l] = clean(a, in->summary.v[l], YJ_ALERT_FIELD_MAX, true);
        in->advice.v[l] = clean(a, in->advice.v[l], YJ_ALERT_FIELD_MAX, true);
    }
    if (in->eve && (strlen(in->eve) > YJ_ALERT_EVE_MAX || !char_ok(in->eve, strlen(in->eve), true)))
        in->eve = NULL;
}

/* ---- recording ---------------------------------------------------------------------------- */

/* The open alert this sighting belongs to, or 0. */
static enum yj_err find_open(struct yj_store *st, const struct yj_alert_in *in, int64_t *id)
{
    struct yj_stmt *s;
    *id = 0;
    enum yj_err err = yj_stmt_prepare(st,
                                      "SELECT id FROM alert WHERE signature_id = ?1"
                                      " AND src_ip = ?2 AND user = ?3 AND subject = ?6"
                                      " AND status = 'open'"
                                      " AND last_ts BETWEEN ?4 - ?5 AND ?4 + ?5"
                                      " ORDER BY last_ts DESC, id DESC LIMIT 1",
                                      &s);
    if (err)
        return err;
    bool row = false;
    if (!(err = yj_stmt_int(s, 1, in->signature_id)) && !(err = yj_stmt_text(s, 2, nz(in->src_ip))) &&
        !(err = yj_stmt_text(s, 3, nz(in->user))) && !(err = yj_stmt_int(s, 4, in->ts)) &&
        !(err = yj_stmt_int(s, 5, YJ_ALERT_DEDUP_WINDOW)) &&
        !(err = yj_stmt_text(s, 6, nz(in->subject))) && !(err = yj_stmt_step(s, &row)) &&
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
    int64_t first = in->first_ts > 0 && in->first_ts < in->ts ? in->first_ts : in->ts;
    if ((err = yj_stmt_text(s, 19, nz(in->eve))) || (err = yj_stmt_text(s, 20, nz(in->subject))))
        return err;
    return yj_stmt_int(s, 21, first);
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
            " first_ts = min(first_ts, ?21), count = max(count, ?10),"
            " severity = min(severity, ?6),"
            " name_ja = CASE WHEN ?2 >= last_ts THEN ?11 ELSE name_ja END,"
            " name_en = CASE WHEN ?2 >= last_ts THEN ?12 ELSE name_en END,"
            " summary_ja = CASE WHEN ?2 >= last_ts THEN ?13 ELSE summary_ja END,"
            " summary_en = CASE WHEN ?2 >= last_ts THEN ?14 ELSE summary_en END,"
            " advice_ja = CASE WHEN ?2 >= last_ts THEN ?15 ELSE advice_ja END,"
            " advice_en = CASE WHEN ?2 >= last_ts THEN ?16 ELSE advice_en END,"
            " eve = CASE WHEN ?2 >= last_ts THEN ?19 ELSE eve END,"
            " subject = ?20, last_ts = max(last_ts, ?2)"
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
                          " summary_ja, summary_en, advice_ja, advice_en, playbook, origin, eve,"
                          " subject) VALUES(?21, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
                          " ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
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

/* The EVE line of in->ev into b, when in has no line of its own ("" when it is too long). */
static const char *render_eve(const struct yj_alert_in *in, struct yj_buf *b)
{
    if (in->eve || !in->ev)
        return in->eve;
    yj_eve_write(b, in->ev);
    if (yj_buf_err(b))
        return NULL;
    if (b->len && b->p[b->len - 1] == '\n')
        b->p[--b->len] = '\0';
    return yj_buf_cstr(b);
}

enum yj_err yj_alert_put(struct yj_store *st, const struct yj_alert_in *in, int64_t *id,
                         bool *is_new, struct yj_diag *d)
{
    if (in->severity < 1 || in->severity > 3)
        return yj_diag_fail(d, YJ_ERR_INVALID, NULL, 0, yj_t("alert.bad_severity"),
                            in->severity);
    int64_t id_ = 0;
    bool new_ = false;
    struct yj_buf b;
    yj_buf_init(&b, YJ_ALERT_EVE_MAX + 1);
    struct yj_arena a;
    yj_arena_init(&a);
    struct yj_alert_in v = *in;
    v.eve = render_eve(in, &b);
    clean_in(&v, &a);
    enum yj_err err = yj_store_begin(st);
    if (!err) {
        err = put(st, &v, &id_, &new_);
        if (!err)
            err = yj_store_commit(st);
        if (err)
            yj_store_rollback(st);
    }
    if (err)
        yj_diag_add(d, NULL, 0, "%s", yj_store_errmsg(st));
    yj_arena_fini(&a);
    yj_buf_fini(&b);
    if (err)
        return err;
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
    return yj_alert_put(st, &in, id, is_new, d);
}
