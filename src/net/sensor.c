/* The sensor: the engine's hooks fanned out to the application layer, nDPI and every
 * detector (sensor_int.h), and alerts turned into events with their words in every
 * language. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/file.h"
#include "net_int.h"
#include "sensor_int.h"

static const struct nd_sig_info sigs[ND_SIG__COUNT + 1] = {
#define YJ_NET_SIG(name, id, code, category, severity, playbook, n, s, a)                    \
    {id, code, category, severity, playbook, n, s, a},
#include "signatures.def"
#undef YJ_NET_SIG
    {0, NULL, NULL, 0, NULL, NULL, NULL, NULL},
};

const struct nd_sig_info *nd_sig_info(enum nd_sig s) { return &sigs[s]; }

static const struct nd_ops *const families[] = {
#define ND(name) &nd_##name,
#include "detectors.def"
#undef ND
    NULL,
};

#define NFAM (sizeof families / sizeof families[0] - 1)

struct yj_sensor {
    struct yj_sensor_opts o;
    void (*emit)(void *ctx, const struct yj_event *ev);
    void *ctx;
    struct yj_net *net;
    struct app *app;
    struct appid *ndpi;
    void *state[NFAM + 1];
    struct yj_ioc_reader *ioc_reader;
    const struct yj_ioc_set *ioc; /* entered for the current hook, else NULL */
    uint64_t alerts;
    char ending_app[20]; /* app_name of the flow whose flow event comes next */
    uint64_t ending_id;
    struct nd_conf conf; /* detector thresholds (detect_conf.c) */
};

enum yj_lang sensor_lang(const struct yj_sensor *s) { return s->o.lang; }
const struct yj_sensor_opts *sensor_opts(const struct yj_sensor *s) { return &s->o; }
struct yj_net *yj_sensor_engine(struct yj_sensor *s) { return s->net; }
uint64_t yj_sensor_alerts(const struct yj_sensor *s) { return s->alerts; }
const struct nd_conf *sensor_conf(const struct yj_sensor *s) { return &s->conf; }

void sensor_emit(struct yj_sensor *s, const struct yj_event *ev)
{
    if (s->emit)
        s->emit(s->ctx, ev);
}

const struct yj_ioc_set *sensor_ioc(struct yj_sensor *s)
{
    if (!s->ioc_reader)
        return NULL;
    if (!s->ioc)
        s->ioc = yj_ioc_enter(s->ioc_reader);
    return s->ioc;
}

/* Leaves the indicator set entered during a hook, so a reload can free the old one. */
static void ioc_done(struct yj_sensor *s)
{
    if (s->ioc) {
        yj_ioc_leave(s->ioc_reader);
        s->ioc = NULL;
    }
}

/* ---- Alerts ------------------------------------------------------------------------------- */

void nd_raise(struct yj_sensor *s, const struct nd_alert *a)
{
    const struct nd_sig_info *si = nd_sig_info(a->sig);
    char src[64] = "", dst[64] = "";
    const struct yj_net_flow *f = a->flow;
    if (a->src_ip)
        snprintf(src, sizeof src, "%s", a->src_ip);
    else if (f)
        yj_net_addr_str(&f->src, src, sizeof src);
    if (a->dest_ip)
        snprintf(dst, sizeof dst, "%s", a->dest_ip);
    else if (f)
        yj_net_addr_str(&f->dst, dst, sizeof dst);
    const char *detail = a->detail ? a->detail : "";
    char sum[YJ_LANG__COUNT][640];
    struct yj_event_alert_text text;
    for (int l = 0; l < YJ_LANG__COUNT; l++) {
        enum yj_lang lang = (enum yj_lang)l;
        snprintf(sum[l], sizeof sum[l], yj_tl(lang, si->summary_id), src, detail, dst);
        text.name[l] = yj_tl(lang, si->name_id);
        text.summary[l] = sum[l];
        text.advice[l] = yj_tl(lang, si->advice_id);
    }
    uint8_t proto = a->proto ? a->proto : f ? f->proto : 0;
    struct yj_event ev = {
        .type = YJ_EVENT_ALERT,
        .ts = a->ts_us / 1000000,
        .ts_usec = (uint32_t)(a->ts_us % 1000000),
        .src_ip = src,
        .src_port = a->src_port ? a->src_port : f ? f->sport : 0,
        .dest_ip = dst[0] ? dst : NULL,
        .dest_port = a->dest_port ? a->dest_port : f ? f->dport : 0,
        .proto = yj_net_proto_name(proto),
        .flow_id = f ? f->flow_id : 0,
        .community_id = f ? yj_net_flow_community_id((struct yj_net_flow *)f) : NULL,
        .u.alert = {
            .signature_id = si->id,
            .signature = text.name[s->o.lang],
            .severity = si->severity,
            .category = si->category,
            .user = a->user,
            .count = a->count,
            .summary = sum[s->o.lang],
            .advice = text.advice[s->o.lang],
            .playbook = si->playbook,
            .text = &text,
            .code = si->code,
        },
    };
    if (f)
        ((struct yj_net_flow *)f)->alerted = true;
    s->alerts++;
    sensor_emit(s, &ev);
}

/* ---- Fan-out ------------------------------------------------------------------------------ */

#define EACH(hook, ...)                                                                      \
    do {                                                                                     \
        for (size_t i_ = 0; families[i_]; i_++)                                              \
            if (families[i_]->hook)                                                          \
                families[i_]->hook(s->state[i_], __VA_ARGS__);                               \
    } while (0)

void sensor_on_dns(struct yj_sensor *s, const struct yj_net_flow *f, int64_t ts_us,
                   const struct yj_dns *m)
{
    EACH(dns, f, ts_us, m);
}

void sensor_on_tls(struct yj_sensor *s, const struct yj_net_flow *f, int64_t ts_us,
                   const struct yj_tls_hello *h)
{
    EACH(tls, f, ts_us, h);
}

void sensor_on_http(struct yj_sensor *s, const struct yj_net_flow *f, int64_t ts_us,
                    const struct yj_http_req *r)
{
    EACH(http, f, ts_us, r);
}

void sensor_on_cred(struct yj_sensor *s, const struct yj_net_flow *f, int64_t ts_us,
                    const struct yj_cred *c)
{
    EACH(cred, f, ts_us, c);
}

void sensor_on_app(struct yj_sensor *s, const struct yj_net_flow *f, int64_t ts_us)
{
    EACH(app, f, ts_us);
}

/* ---- Engine hooks ------------------------------------------------------------------------- */

static void on_event(void *ctx, const struct yj_event *ev)
{
    struct yj_sensor *s = ctx;
    if (ev->type == YJ_EVENT_FLOW && s->ending_id == ev->flow_id && s->ending_app[0]) {
        struct yj_event e = *ev;
        e.u.flow.app_proto = s->ending_app;
        s->ending_id = 0;
        sensor_emit(s, &e);
        return;
    }
    sensor_emit(s, ev);
}

static void on_packet(void *ctx, const struct yj_net_packet *p)
{
    struct yj_sensor *s = ctx;
    if (s->ndpi && p->flow)
        appid_packet(s->ndpi, p);
    if (s->app)
        app_packet(s->app, p);
    EACH(packet, p);
    ioc_done(s);
}

static void on_arp(void *ctx, const struct yj_net_arp *a)
{
    struct yj_sensor *s = ctx;
    EACH(arp, a);
    ioc_done(s);
}

static void on_stream(void *ctx, struct yj_net_flow *f, enum yj_net_dir dir, const uint8_t *data,
                      size_t len)
{
    struct yj_sensor *s = ctx;
    if (s->app)
        app_stream(s->app, f, dir, data, len);
    ioc_done(s);
}

static void on_flow_end(void *ctx, struct yj_net_flow *f)
{
    struct yj_sensor *s = ctx;
    if (s->app)
        app_flow_end(s->app, f);
    if (s->ndpi)
        appid_flow_end(s->ndpi, f);
    EACH(flow_end, f);
    /* The engine emits the flow event right after this hook: it gets the flow's app_proto. */
    const struct sensor_flow *sf = sensor_flow(f);
    memcpy(s->ending_app, sf->app_name, sizeof s->ending_app);
    s->ending_id = f->flow_id;
    ioc_done(s);
}

/* ---- Life ----------------------------------------------------------------------------------- */

void yj_sensor_opts_default(struct yj_sensor_opts *o)
{
    memset(o, 0, sizeof *o);
    o->lang = YJ_LANG_JA;
    yj_net_config_default(&o->net);
    o->ndpi = true;
    o->app_events = true;
}

enum yj_err yj_sensor_new(struct yj_sensor **out, const struct yj_sensor_opts *o,
                          void (*emit)(void *ctx, const struct yj_event *ev), void *ctx,
                          struct yj_diag *d)
{
    struct yj_sensor *s = yj_xcalloc(1, sizeof *s);
    /* Thresholds first: a bad file stops the sensor before anything starts. */
    nd_conf_default(&s->conf);
    char *shipped = o->thresholds ? NULL : yj_share_path("net/detect.yaml");
    enum yj_err err = nd_conf_load(&s->conf, o->thresholds ? o->thresholds : shipped, d);
    free(shipped);
    if (err) {
        free(s);
        return err;
    }
    s->o = *o;
    s->emit = emit;
    s->ctx = ctx;
    s->o.net.ext_size = (uint32_t)sizeof(struct sensor_flow);
    if (o->ioc)
        s->ioc_reader = yj_ioc_reader_add(o->ioc);
    struct yj_net_hooks h = {
        .ctx = s, .on_event = on_event, .event_mask = o->event_mask,
        .on_packet = on_packet, .on_arp = on_arp,
        .on_stream = on_stream, .on_flow_end = on_flow_end,
    };
    s->net = yj_net_new(&s->o.net, &h);
    s->app = app_new(s);
    s->ndpi = o->ndpi ? appid_new(s) : NULL;
    for (size_t i = 0; families[i]; i++)
        s->state[i] = families[i]->new ? families[i]->new(s) : NULL;
    *out = s;
    return YJ_ERR_OK;
}

void yj_sensor_tick(struct yj_sensor *s, int64_t now_us)
{
    yj_net_tick(s->net, now_us);
    EACH(tick, now_us);
    ioc_done(s);
}

void yj_sensor_finish(struct yj_sensor *s)
{
    yj_net_flush(s->net);
    int64_t last = s->net->st.last_us;
    EACH(tick, last);
    ioc_done(s);
    yj_net_emit_stats(s->net);
}

void yj_sensor_free(struct yj_sensor *s)
{
    if (!s)
        return;
    for (size_t i = 0; families[i]; i++)
        if (families[i]->free)
            families[i]->free(s->state[i]);
    appid_free(s->ndpi);
    app_free(s->app);
    yj_net_free(s->net);
    free(s);
}
