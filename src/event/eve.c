/* EVE JSON lines: one object per event, on base/buf.h's JSON writer.
 *
 *   {"timestamp":"2026-11-20T01:00:00Z","event_type":"auth","src_ip":"203.0.113.5",
 *    "src_port":50022,"auth":{...},"log":{"file":"auth.log","line":12}}
 *
 * Fields that do not apply are left out rather than written as null, as Suricata does. */
#include "event.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/date.h"

const char *yj_event_type_name(enum yj_event_type t)
{
    switch (t) {
    case YJ_EVENT_AUTH: return "auth";
    case YJ_EVENT_ALERT: return "alert";
    case YJ_EVENT_FIM: return "fim";
    case YJ_EVENT_ACCOUNT: return "account";
    case YJ_EVENT_HTTP: return "http";
    case YJ_EVENT_FLOW: return "flow";
    case YJ_EVENT_ANOMALY: return "anomaly";
    case YJ_EVENT_STATS: return "stats";
    case YJ_EVENT_DNS: return "dns";
    case YJ_EVENT_TLS: return "tls";
    case YJ_EVENT_SSH: return "ssh";
    case YJ_EVENT_DROP: return "drop";
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

static void write_http(struct yj_json *j, const struct yj_event_http *h,
                       const struct yj_event_http_net *n)
{
    kopt(j, "hostname", h->hostname);
    yj_json_kstr(j, "url", h->url ? h->url : "");
    kopt(j, "http_method", h->http_method);
    kopt(j, "protocol", h->protocol);
    if (!n || h->status) {
        yj_json_kint(j, "status", h->status);
        yj_json_kint(j, "length", (int64_t)h->length);
    }
    kopt(j, "http_user_agent", h->http_user_agent);
    kopt(j, "http_refer", h->http_refer);
    if (!n)
        return;
    if (n->http_port)
        yj_json_kint(j, "http_port", n->http_port);
    kopt(j, "http_content_type", n->http_content_type);
    kopt(j, "redirect", n->redirect);
}

static void write_dns_rrs(struct yj_json *j, const char *key, const struct yj_event_dns_rr *rr,
                          size_t n)
{
    if (!n)
        return;
    yj_json_key(j, key);
    yj_json_arr(j);
    for (size_t i = 0; i < n; i++) {
        yj_json_obj(j);
        yj_json_kstr(j, "rrname", rr[i].rrname ? rr[i].rrname : "");
        yj_json_kstr(j, "rrtype", rr[i].rrtype ? rr[i].rrtype : "");
        yj_json_kint(j, "ttl", rr[i].ttl);
        kopt(j, "rdata", rr[i].rdata);
        yj_json_end_obj(j);
    }
    yj_json_end_arr(j);
}

static void write_dns(struct yj_json *j, const struct yj_event_dns *d)
{
    if (d->answer)
        yj_json_kint(j, "version", 2);
    yj_json_kstr(j, "type", d->answer ? "answer" : "query");
    yj_json_kint(j, "id", d->id);
    if (d->answer) {
        kopt(j, "flags", d->flags);
        yj_json_kbool(j, "qr", d->qr);
        static const char *const names[] = {"aa", "tc", "rd", "ra", "z", "ad", "cd"};
        const bool set[] = {d->aa, d->tc, d->rd, d->ra, d->z, d->ad, d->cd};
        for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
            if (set[i])
                yj_json_kbool(j, names[i], true); /* only the flags that are set */
    }
    if (d->rrname)
        yj_json_kstr(j, "rrname", d->rrname);
    kopt(j, "rrtype", d->rrtype);
    yj_json_kint(j, "opcode", d->opcode);
    if (d->answer) {
        kopt(j, "rcode", d->rcode);
        write_dns_rrs(j, "answers", d->answers, d->n_answers);
        write_dns_rrs(j, "authorities", d->authorities, d->n_authorities);
    }
}

static void kints16(struct yj_json *j, const char *key, const uint16_t *v, size_t n)
{
    yj_json_key(j, key);
    yj_json_arr(j);
    for (size_t i = 0; i < n; i++)
        yj_json_int(j, v[i]);
    yj_json_end_arr(j);
}

static void write_ja3(struct yj_json *j, const char *key, const char *hash, const char *str)
{
    if (!hash || !hash[0])
        return;
    yj_json_key(j, key);
    yj_json_obj(j);
    yj_json_kstr(j, "hash", hash);
    yj_json_kstr(j, "string", str ? str : "");
    yj_json_end_obj(j);
}

static void write_tls(struct yj_json *j, const struct yj_event_tls *t)
{
    kopt(j, "subject", t->subject);
    kopt(j, "issuerdn", t->issuerdn);
    kopt(j, "sni", t->sni);
    kopt(j, "version", t->version);
    write_ja3(j, "ja3", t->ja3_hash, t->ja3_string);
    write_ja3(j, "ja3s", t->ja3s_hash, t->ja3s_string);
    kopt(j, "ja4", t->ja4);
    if (t->has_client) {
        yj_json_key(j, "client_handshake");
        yj_json_obj(j);
        kopt(j, "version", t->client_version);
        kints16(j, "ciphers", t->ciphers, t->n_ciphers);
        kints16(j, "exts", t->client_exts, t->n_client_exts);
        kints16(j, "sig_algs", t->sig_algs, t->n_sig_algs);
        yj_json_end_obj(j);
    }
    if (t->has_server) {
        yj_json_key(j, "server_handshake");
        yj_json_obj(j);
        kopt(j, "version", t->server_version);
        yj_json_kint(j, "cipher", t->server_cipher);
        kints16(j, "exts", t->server_exts, t->n_server_exts);
        yj_json_end_obj(j);
    }
}

static void write_ssh_side(struct yj_json *j, const char *key, const struct yj_event_ssh_side *s)
{
    if (!s)
        return;
    yj_json_key(j, key);
    yj_json_obj(j);
    yj_json_kstr(j, "proto_version", s->proto_version ? s->proto_version : "");
    yj_json_kstr(j, "software_version", s->software_version ? s->software_version : "");
    yj_json_end_obj(j);
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

/* Suricata's sub-second form: "2026-11-20T01:00:00.123456+0000". */
#define TS_US_LEN 96
static void digits(char *p, unsigned v, int n)
{
    while (n-- > 0) {
        p[n] = (char)('0' + v % 10);
        v /= 10;
    }
}

/* "2017-06-19T10:00:00.123456+0000". Events come thousands a second, mostly within the same
 * second: the date and time part is kept from the last call (one per thread), only the
 * microseconds are written each time; no printf. */
static void time_us(int64_t sec, uint32_t usec, char out[TS_US_LEN])
{
    static _Thread_local int64_t last_sec = INT64_MIN;
    static _Thread_local char last[20]; /* "YYYY-MM-DDTHH:MM:SS" */
    if (sec != last_sec) {
        time_t t = (time_t)sec;
        struct tm tm;
        if (!gmtime_r(&t, &tm))
            memset(&tm, 0, sizeof tm);
        digits(last, (unsigned)(tm.tm_year + 1900) % 10000u, 4);
        last[4] = '-';
        digits(last + 5, (unsigned)tm.tm_mon + 1, 2);
        last[7] = '-';
        digits(last + 8, (unsigned)tm.tm_mday, 2);
        last[10] = 'T';
        digits(last + 11, (unsigned)tm.tm_hour, 2);
        last[13] = ':';
        digits(last + 14, (unsigned)tm.tm_min, 2);
        last[16] = ':';
        digits(last + 17, (unsigned)tm.tm_sec, 2);
        last_sec = sec;
    }
    memcpy(out, last, 19);
    out[19] = '.';
    digits(out + 20, usec % 1000000u, 6);
    memcpy(out + 26, "+0000", 6);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b < 0);
}

static void kus(struct yj_json *j, const char *key, int64_t us)
{
    char ts[TS_US_LEN];
    int64_t s = floor_div(us, 1000000);
    time_us(s, (uint32_t)(us - s * 1000000), ts);
    yj_json_kstr(j, key, ts);
}

static void khex8(struct yj_json *j, const char *key, uint8_t v)
{
    char h[3];
    snprintf(h, sizeof h, "%02x", v);
    yj_json_kstr(j, key, h);
}

static void write_flow(struct yj_json *j, const struct yj_event_flow *f)
{
    yj_json_kint(j, "pkts_toserver", (int64_t)f->pkts_toserver);
    yj_json_kint(j, "pkts_toclient", (int64_t)f->pkts_toclient);
    yj_json_kint(j, "bytes_toserver", (int64_t)f->bytes_toserver);
    yj_json_kint(j, "bytes_toclient", (int64_t)f->bytes_toclient);
    kus(j, "start", f->start_us);
    kus(j, "end", f->end_us);
    yj_json_kint(j, "age", floor_div(f->end_us, 1000000) - floor_div(f->start_us, 1000000));
    yj_json_kstr(j, "state", f->state);
    yj_json_kstr(j, "reason", f->reason);
    yj_json_kbool(j, "alerted", f->alerted);
}

static void write_tcp(struct yj_json *j, const struct yj_event_flow *f)
{
    static const char *const names[] = {"fin", "syn", "rst", "psh", "ack", "urg", "ecn", "cwr"};
    khex8(j, "tcp_flags", f->tcp_flags);
    khex8(j, "tcp_flags_ts", f->tcp_flags_ts);
    khex8(j, "tcp_flags_tc", f->tcp_flags_tc);
    for (unsigned i = 0; i < 8; i++)
        if (f->tcp_flags & (1u << i))
            yj_json_kbool(j, names[i], true);
    if (f->tcp_state)
        yj_json_kstr(j, "state", f->tcp_state);
}

static void write_anomaly(struct yj_json *j, const struct yj_event_anomaly *a)
{
    yj_json_kstr(j, "type", a->type);
    yj_json_kstr(j, "event", a->event);
    if (a->layer)
        yj_json_kstr(j, "layer", a->layer);
    if (a->packet)
        yj_json_kint(j, "packet", (int64_t)a->packet);
}

/* Rows are grouped; "a.b" opens a nested object "b" inside "a". */
static void write_stats(struct yj_json *j, const struct yj_event_stats *st)
{
    yj_json_kint(j, "uptime", (int64_t)st->uptime);
    char cur[64] = "";
    int depth = 0;
    for (size_t i = 0; i < st->n; i++) {
        const struct yj_event_stat *r = &st->v[i];
        if (strcmp(cur, r->group) != 0) {
            const char *dot = strchr(r->group, '.');
            size_t top = dot ? (size_t)(dot - r->group) : strlen(r->group);
            bool same_top = depth > 0 && strncmp(cur, r->group, top) == 0 &&
                            (cur[top] == '.' || cur[top] == 0);
            if (depth == 2) {
                yj_json_end_obj(j);
                depth = 1;
            }
            if (depth == 1 && !same_top) {
                yj_json_end_obj(j);
                depth = 0;
            }
            if (depth == 0) {
                char name[64];
                snprintf(name, sizeof name, "%.*s", (int)top, r->group);
                yj_json_key(j, name);
                yj_json_obj(j);
                depth = 1;
            }
            if (dot) {
                yj_json_key(j, dot + 1);
                yj_json_obj(j);
                depth = 2;
            }
            snprintf(cur, sizeof cur, "%s", r->group);
        }
        yj_json_kint(j, r->name, (int64_t)r->value);
    }
    while (depth-- > 0)
        yj_json_end_obj(j);
}

static void write_drop(struct yj_json *j, const struct yj_event_drop *d)
{
    static const char *const names[] = {"fin", "syn", "rst", "psh", "ack", "urg"};
    if (d->prefix && d->prefix[0])
        yj_json_kstr(j, "prefix", d->prefix);
    if (d->in && d->in[0])
        yj_json_kstr(j, "in", d->in);
    if (d->out && d->out[0])
        yj_json_kstr(j, "out", d->out);
    if (d->len)
        yj_json_kint(j, "len", d->len);
    if (d->ttl)
        yj_json_kint(j, "ttl", d->ttl);
    for (unsigned i = 0; i < 6; i++)
        if (d->tcp_flags & (1u << i))
            yj_json_kbool(j, names[i], true);
}

static bool is_net(const struct yj_event *ev)
{
    enum yj_event_type t = ev->type;
    return t == YJ_EVENT_FLOW || t == YJ_EVENT_ANOMALY || t == YJ_EVENT_STATS ||
           t == YJ_EVENT_DNS || t == YJ_EVENT_TLS || t == YJ_EVENT_SSH ||
           (t == YJ_EVENT_HTTP && ev->http_net);
}

void yj_eve_write(struct yj_buf *b, const struct yj_event *ev)
{
    struct yj_json j;
    yj_json_init(&j, b, false);
    yj_json_obj(&j);
    if (is_net(ev)) {
        char ts[TS_US_LEN];
        time_us(ev->ts, ev->ts_usec, ts);
        yj_json_kstr(&j, "timestamp", ts);
    } else {
        char ts[YJ_ISO_LEN];
        yj_time_iso(ev->ts, ts);
        yj_json_kstr(&j, "timestamp", ts);
    }
    if (ev->flow_id)
        yj_json_kint(&j, "flow_id", (int64_t)ev->flow_id);
    yj_json_kstr(&j, "event_type", yj_event_type_name(ev->type));
    if (ev->src_ip && ev->src_ip[0])
        yj_json_kstr(&j, "src_ip", ev->src_ip);
    if (ev->src_port)
        yj_json_kint(&j, "src_port", ev->src_port);
    if (ev->dest_ip && ev->dest_ip[0])
        yj_json_kstr(&j, "dest_ip", ev->dest_ip);
    if (ev->dest_port)
        yj_json_kint(&j, "dest_port", ev->dest_port);
    if (ev->proto && ev->proto[0])
        yj_json_kstr(&j, "proto", ev->proto);
    if (ev->community_id && ev->community_id[0])
        yj_json_kstr(&j, "community_id", ev->community_id);
    if (ev->type == YJ_EVENT_FLOW && ev->u.flow.app_proto && ev->u.flow.app_proto[0])
        yj_json_kstr(&j, "app_proto", ev->u.flow.app_proto);
    yj_json_key(&j, yj_event_type_name(ev->type));
    yj_json_obj(&j);
    if (ev->type == YJ_EVENT_FLOW)
        write_flow(&j, &ev->u.flow);
    else if (ev->type == YJ_EVENT_ANOMALY)
        write_anomaly(&j, &ev->u.anomaly);
    else if (ev->type == YJ_EVENT_STATS)
        write_stats(&j, &ev->u.stats);
    else if (ev->type == YJ_EVENT_AUTH)
        write_auth(&j, &ev->u.auth);
    else if (ev->type == YJ_EVENT_FIM)
        write_fim(&j, &ev->u.fim);
    else if (ev->type == YJ_EVENT_ACCOUNT)
        write_account(&j, &ev->u.account);
    else if (ev->type == YJ_EVENT_HTTP)
        write_http(&j, &ev->u.http, ev->http_net);
    else if (ev->type == YJ_EVENT_DNS)
        write_dns(&j, &ev->u.dns);
    else if (ev->type == YJ_EVENT_TLS)
        write_tls(&j, &ev->u.tls);
    else if (ev->type == YJ_EVENT_SSH) {
        write_ssh_side(&j, "client", ev->u.ssh.client);
        write_ssh_side(&j, "server", ev->u.ssh.server);
    } else if (ev->type == YJ_EVENT_DROP)
        write_drop(&j, &ev->u.drop);
    else
        write_alert(&j, &ev->u.alert);
    yj_json_end_obj(&j);
    if (ev->type == YJ_EVENT_FLOW && ev->u.flow.tcp_seen) {
        yj_json_key(&j, "tcp");
        yj_json_obj(&j);
        write_tcp(&j, &ev->u.flow);
        yj_json_end_obj(&j);
    }
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
