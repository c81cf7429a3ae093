/* EVE JSON lines: one object per event, on base/buf.h's JSON writer.
 *
 *   {"timestamp":"2026-11-20T01:00:00Z","event_type":"auth","src_ip":"203.0.113.5",
 *    "src_port":50022,"auth":{...},"log":{"file":"auth.log","line":12}}
 *
 * Fields that do not apply are left out rather than written as null, as Suricata does. */
#include "event.h"

#include "base/date.h"

const char *yj_event_type_name(enum yj_event_type t)
{
    switch (t) {
    case YJ_EVENT_AUTH: return "auth";
    case YJ_EVENT_ALERT: return "alert";
    case YJ_EVENT_FIM: return "fim";
    case YJ_EVENT_ACCOUNT: return "account";
    case YJ_EVENT_HTTP: return "http";
    }
    return "unknown";
}

static void write_auth(struct yj_json *j, const struct yj_event_auth *a)
{
    yj_json_kstr(j, "service", a->service);
    yj_json_kstr(j, "user", a->user ? a->user : "");
    yj_json_kstr(j, "outcome", a->outcome);
    if (a->method && a->method[0])
        yj_json_kstr(j, "method", a->method);
}

static void write_account(struct yj_json *j, const struct yj_event_account *a)
{
    yj_json_kstr(j, "service", a->service);
    yj_json_kstr(j, "action", a->action);
    yj_json_kstr(j, "user", a->user ? a->user : "");
    if (a->group && a->group[0])
        yj_json_kstr(j, "group", a->group);
}

static void kopt(struct yj_json *j, const char *key, const char *s)
{
    if (s && s[0])
        yj_json_kstr(j, key, s);
}

static void write_http(struct yj_json *j, const struct yj_event_http *h)
{
    kopt(j, "hostname", h->hostname);
    yj_json_kstr(j, "url", h->url ? h->url : "");
    kopt(j, "http_method", h->http_method);
    kopt(j, "protocol", h->protocol);
    yj_json_kint(j, "status", h->status);
    yj_json_kint(j, "length", (int64_t)h->length);
    kopt(j, "http_user_agent", h->http_user_agent);
    kopt(j, "http_refer", h->http_refer);
}

static void write_alert(struct yj_json *j, const struct yj_event_alert *a)
{
    yj_json_kint(j, "signature_id", a->signature_id);
    yj_json_kstr(j, "signature", a->signature);
    yj_json_kint(j, "severity", a->severity);
    yj_json_kstr(j, "category", a->category);
    if (a->user && a->user[0])
        yj_json_kstr(j, "user", a->user);
    yj_json_kint(j, "count", (int64_t)a->count);
}

static void write_fim(struct yj_json *j, const struct yj_event_fim *f)
{
    yj_json_kstr(j, "path", f->path);
    yj_json_kstr(j, "change", f->change);
    if (f->type)
        yj_json_kstr(j, "type", f->type);
    if (f->nfields) {
        yj_json_key(j, "fields");
        yj_json_arr(j);
        for (size_t i = 0; i < f->nfields; i++)
            yj_json_str(j, f->fields[i]);
        yj_json_end_arr(j);
    }
}

void yj_eve_write(struct yj_buf *b, const struct yj_event *ev)
{
    struct yj_json j;
    char ts[YJ_ISO_LEN];
    yj_time_iso(ev->ts, ts);
    yj_json_init(&j, b, false);
    yj_json_obj(&j);
    yj_json_kstr(&j, "timestamp", ts);
    yj_json_kstr(&j, "event_type", yj_event_type_name(ev->type));
    if (ev->src_ip && ev->src_ip[0])
        yj_json_kstr(&j, "src_ip", ev->src_ip);
    if (ev->src_port)
        yj_json_kint(&j, "src_port", ev->src_port);
    yj_json_key(&j, yj_event_type_name(ev->type));
    yj_json_obj(&j);
    if (ev->type == YJ_EVENT_AUTH)
        write_auth(&j, &ev->u.auth);
    else if (ev->type == YJ_EVENT_FIM)
        write_fim(&j, &ev->u.fim);
    else if (ev->type == YJ_EVENT_ACCOUNT)
        write_account(&j, &ev->u.account);
    else if (ev->type == YJ_EVENT_HTTP)
        write_http(&j, &ev->u.http);
    else
        write_alert(&j, &ev->u.alert);
    yj_json_end_obj(&j);
    if (ev->type == YJ_EVENT_ALERT) {
        yj_json_key(&j, "yojin");
        yj_json_obj(&j);
        yj_json_kstr(&j, "summary", ev->u.alert.summary);
        yj_json_kstr(&j, "advice", ev->u.alert.advice);
        yj_json_kstr(&j, "playbook", ev->u.alert.playbook);
        yj_json_end_obj(&j);
        if (ev->u.alert.fim) {
            yj_json_key(&j, "fim");
            yj_json_obj(&j);
            write_fim(&j, ev->u.alert.fim);
            yj_json_end_obj(&j);
        }
    }
    if (ev->log_file) {
        yj_json_key(&j, "log");
        yj_json_obj(&j);
        yj_json_kstr(&j, "file", ev->log_file);
        yj_json_kint(&j, "line", (int64_t)ev->log_line);
        yj_json_end_obj(&j);
    }
    yj_json_end_obj(&j);
    yj_buf_addc(b, '\n');
}
