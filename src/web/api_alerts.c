/* /api/v1/alerts: the stored alerts for scripts and a provider's systems.
 *
 *   GET  /api/v1/alerts?status=open|acknowledged|closed|all&severity=1..3&since=ISO
 *                      &limit=N&offset=N              {"total": N, "alerts": [...]}
 *   GET  /api/v1/alerts/<id>                          one alert
 *   POST /api/v1/alerts/<id>/status  {"status": "acknowledged"|"closed"|"open",
 *                                     "note": "..."}  the alert after the change
 *
 * The alert object is yj_alert_json's. Who changed a status is the token's name. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "alert/alert.h"
#include "base/date.h"
#include "web_int.h"

static bool query_long(struct yj_req *rq, const char *name, long lo, long hi, long *out)
{
    const char *v = yj_form(rq, name);
    if (!v || !*v)
        return true;
    return yj_str_to_long(yj_str_c(v), out) && *out >= lo && *out <= hi;
}

void api_alerts(struct yj_req *rq, struct yj_resp *rs)
{
    struct yj_alert_filter f;
    yj_alert_filter_init(&f);
    const char *status = yj_form(rq, "status");
    if (status && *status && strcmp(status, "all") != 0 &&
        (f.status = yj_alert_status_parse(status)) < 0)
        return yj_api_error(rs, 400, yj_w(rq, "alert.api.bad_status"));
    long sev = 0, limit = 100, offset = 0;
    if (!query_long(rq, "severity", 1, 3, &sev) ||
        !query_long(rq, "limit", 1, YJ_ALERT_LIST_MAX, &limit) ||
        !query_long(rq, "offset", 0, 100000000, &offset))
        return yj_api_error(rs, 400, yj_w(rq, "alert.api.bad_query"));
    const char *since = yj_form(rq, "since");
    if (since && *since && !yj_time_parse_iso(since, &f.since))
        return yj_api_error(rs, 400, yj_w(rq, "alert.api.bad_since"));
    f.severity = (int)sev;
    f.limit = (size_t)limit;
    f.offset = (size_t)offset;
    struct yj_arena arena;
    yj_arena_init(&arena);
    struct yj_alert *v;
    size_t n;
    int64_t total;
    if (yj_alert_list(rq->store, &f, &arena, &v, &n, &total)) {
        yj_arena_fini(&arena);
        return yj_web_db_error(rq, rs);
    }
    struct yj_json j;
    yj_api_begin(rs, &j, 200);
    yj_json_obj(&j);
    yj_json_kint(&j, "total", total);
    yj_json_key(&j, "alerts");
    yj_json_arr(&j);
    for (size_t i = 0; i < n; i++)
        yj_alert_json(&v[i], &j);
    yj_json_end_arr(&j);
    yj_json_end_obj(&j);
    yj_arena_fini(&arena);
}

/* "<id>" or "<id>/<tail>" after the prefix: the id (0 when malformed), *rest what follows. */
static int64_t id_in_path(const char *path, const char **rest)
{
    static const char prefix[] = "/api/v1/alerts/";
    *rest = "";
    if (strncmp(path, prefix, sizeof prefix - 1) != 0)
        return 0;
    const char *p = path + sizeof prefix - 1, *slash = strchr(p, '/');
    size_t n = slash ? (size_t)(slash - p) : strlen(p);
    long id;
    if (n == 0 || n > 18 || !yj_str_to_long((struct yj_str){p, n}, &id) || id <= 0)
        return 0;
    *rest = slash ? slash : "";
    return id;
}

static void one(struct yj_req *rq, struct yj_resp *rs, int64_t id, unsigned status)
{
    struct yj_arena arena;
    struct yj_alert x;
    if (!web_alert_load(rq, rs, id, &arena, &x))
        return;
    struct yj_json j;
    yj_api_begin(rs, &j, status);
    yj_alert_json(&x, &j);
    yj_arena_fini(&arena);
}

void api_alert(struct yj_req *rq, struct yj_resp *rs)
{
    const char *rest;
    int64_t id = id_in_path(rq->path, &rest);
    if (!id || *rest)
        return yj_api_error(rs, 404, yj_w(rq, "alert.web.not_found"));
    one(rq, rs, id, 200);
}

void api_alert_status(struct yj_req *rq, struct yj_resp *rs)
{
    const char *rest;
    int64_t id = id_in_path(rq->path, &rest);
    if (!id || strcmp(rest, "/status") != 0)
        return yj_api_error(rs, 404, yj_w(rq, "web.not_found"));
    const char *ct = rq->content_type ? rq->content_type : "";
    if (strncmp(ct, "application/json", 16) != 0)
        return yj_api_error(rs, 400, yj_w(rq, "web.api_need_json"));
    json_error_t jerr;
    json_t *root = json_loadb(rq->body.p ? rq->body.p : "", rq->body.len,
                              JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        char m[384];
        snprintf(m, sizeof m, "%s: line %d column %d: %s", yj_w(rq, "web.api_bad_json"),
                 jerr.line, jerr.column, jerr.text);
        return yj_api_error(rs, 400, m);
    }
    const char *status = json_string_value(json_object_get(root, "status"));
    json_t *jnote = json_object_get(root, "note");
    const char *note = json_string_value(jnote);
    int s = status ? web_alert_action(status) : -1;
    if (!json_is_object(root) || s < 0 || (jnote && !json_is_null(jnote) && !note)) {
        json_decref(root);
        return yj_api_error(rs, 400, yj_w(rq, "alert.api.bad_status"));
    }
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_alert_set_status(rq->store, id, (enum yj_alert_status)s, rq->user.name,
                                          note, yj_now(), &d);
    json_decref(root);
    if (err == YJ_ERR_LIMIT || err == YJ_ERR_INVALID) {
        yj_api_error(rs, 400, d.n ? d.v[0].msg : yj_w(rq, "alert.web.bad_note"));
        yj_diag_fini(&d);
        return;
    }
    yj_diag_fini(&d);
    if (err == YJ_ERR_NOTFOUND)
        return yj_api_error(rs, 404, yj_w(rq, "alert.web.not_found"));
    if (err)
        return yj_web_db_error(rq, rs);
    one(rq, rs, id, 200);
}
