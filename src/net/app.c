/* The application layer: which parser (proto/) for which flow, the dns, tls, http and ssh
 * events, and the records handed to the detectors (sensor_on_dns/tls/http/cred).
 *
 *   UDP payload (app_packet) ──▶ DNS on port 53/5353 ──▶ dns event(s), sensor_on_dns
 *   TCP stream (app_stream)  ──▶ first bytes + ports pick one kind per flow:
 *       TLS record header (either side)  → client + server hello → tls event, sensor_on_tls
 *       "SSH-" (either side), port 22    → both banners          → ssh event
 *       HTTP request line                → request/response heads → http event per request,
 *                                          sensor_on_http, log-ins → sensor_on_cred
 *       port 53/5353                     → DNS over TCP messages → dns events
 *       port 21/23/25/110/143/587        → yj_cred_scan over both sides → sensor_on_cred
 *       anything else                    → both directions stopped at once
 *
 * Per-flow state is struct app_flow inside the flow's 192-byte app area. Parsers that need
 * the accumulated prefix read it from a buffer slot: a fixed pool of APP_SLOTS slots allocated
 * by app_new, one per busy flow, released as soon as the flow's parsers are done (and at flow
 * end). When every slot is taken, a new flow is skipped and counted in `drops`. Once a flow is
 * done, both stream directions are stopped (yj_net_stream_stop) so the engine stops
 * delivering. Passwords never leave proto/: a cred record only says one was sent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensor_int.h"

#define APP_SLOTS 128
#define APP_CAP_TS (YJ_HTTP_HEAD_MAX + YJ_HTTP_BODY_SCAN) /* toserver bytes in a slot */
#define APP_CAP_TC (YJ_HTTP_HEAD_MAX + 1024)              /* toclient bytes in a slot */
#define APP_CRED_CAP 4096   /* a cleartext log-in is looked for in the first 4 KiB per side */
#define APP_DNS_TCP_MAX 64  /* DNS-over-TCP messages per flow */
#define APP_HTTP_MAX_TX 64  /* HTTP requests per flow */

enum app_kind { K_NONE, K_DNS, K_TLS, K_HTTP, K_SSH, K_CRED, K_OFF };

/* The per-flow state, in sensor_flow.app. */
struct app_flow {
    uint8_t kind;      /* enum app_kind */
    uint8_t hint;      /* enum yj_cred_proto the port suggests */
    uint8_t done;      /* bit per direction: no more parsing on it */
    uint8_t got;       /* bit per direction: TLS hello / SSH banner parsed */
    uint8_t pending;   /* HTTP: a request parsed, waiting for its response */
    uint8_t resp_lost; /* HTTP: responses can no longer be followed */
    uint16_t slot;     /* 1-based slot index, 0 = none */
    uint16_t ntx;      /* HTTP transactions or DNS messages so far */
    uint8_t head_req;  /* HTTP: the pending request is a HEAD (its response has no body) */
    uint8_t pad;
    uint32_t len[2];   /* bytes held in the slot per direction */
    uint32_t skip[2];  /* HTTP/DNS: bytes still to pass over (bodies) before buffering */
    uint32_t lost[2];  /* bytes that came after a full buffer and were not kept */
    uint32_t req_len;  /* HTTP: the pending request's length (head + body) */
};

_Static_assert(sizeof(struct app_flow) <= SENSOR_APP_EXT, "app state must fit the app area");

struct app {
    struct yj_sensor *s;
    struct yj_net *net;
    uint8_t *mem;                   /* APP_SLOTS * (APP_CAP_TS + APP_CAP_TC) */
    uint16_t free_slots[APP_SLOTS]; /* stack of free 1-based slot numbers */
    size_t nfree;
    uint64_t drops;                 /* flows skipped because every slot was busy */
    /* Scratch for one record at a time (never per packet allocation). */
    struct yj_dns dns;
    struct yj_tls_hello hello[2];
    struct yj_ssh_banner ssh[2];
    struct yj_http_req req;
    struct yj_http_resp resp;
    struct yj_cred cred;
    struct yj_event_dns_rr rrs[YJ_DNS_MAX_ANSWERS + YJ_DNS_MAX_AUTHORITIES];
    char rrtypes[YJ_DNS_MAX_ANSWERS + YJ_DNS_MAX_AUTHORITIES + 1][8];
};

struct app *app_new(struct yj_sensor *s)
{
    struct app *a = yj_xcalloc(1, sizeof *a);
    a->s = s;
    a->net = yj_sensor_engine(s);
    a->mem = yj_xmalloc((size_t)APP_SLOTS * (APP_CAP_TS + APP_CAP_TC));
    for (size_t i = 0; i < APP_SLOTS; i++)
        a->free_slots[i] = (uint16_t)(APP_SLOTS - i);
    a->nfree = APP_SLOTS;
    return a;
}

void app_free(struct app *a)
{
    if (!a)
        return;
    free(a->mem);
    free(a);
}

static struct app_flow *af(const struct yj_net_flow *f)
{
    return (struct app_flow *)(void *)sensor_flow(f)->app;
}

static uint8_t *slot_buf(struct app *a, const struct app_flow *st, int dir)
{
    uint8_t *base = a->mem + (size_t)(st->slot - 1) * (APP_CAP_TS + APP_CAP_TC);
    return dir == YJ_NET_TOSERVER ? base : base + APP_CAP_TS;
}

static uint32_t slot_cap(const struct app_flow *st, int dir)
{
    if (st->kind == K_CRED)
        return APP_CRED_CAP;
    return dir == YJ_NET_TOSERVER ? APP_CAP_TS : APP_CAP_TC;
}

static void slot_release(struct app *a, struct app_flow *st)
{
    if (st->slot) {
        a->free_slots[a->nfree++] = st->slot;
        st->slot = 0;
    }
    st->len[0] = st->len[1] = 0;
}

/* Drops the first n bytes of a direction's stream from its buffer (bytes not held yet are
 * passed over as they come). False when bytes past a full buffer were lost before the end of
 * those n: what follows cannot be found. */
static bool consume(struct app *a, struct app_flow *st, int dir, uint32_t n)
{
    uint8_t *b = slot_buf(a, st, dir);
    if (n < st->len[dir]) {
        memmove(b, b + n, st->len[dir] - n);
        st->len[dir] -= n;
        return st->lost[dir] == 0;
    }
    n -= st->len[dir];
    st->len[dir] = 0;
    if (n < st->lost[dir])
        return false;
    st->skip[dir] += n - st->lost[dir];
    st->lost[dir] = 0;
    return true;
}

/* ---- Event fields common to every network event ------------------------------------------ */

struct net_head {
    char src[64], dst[64], cid[40];
};

static void head_flow(struct yj_event *ev, struct net_head *h, struct yj_net_flow *f,
                      int64_t ts_us)
{
    yj_net_addr_str(&f->src, h->src, sizeof h->src);
    yj_net_addr_str(&f->dst, h->dst, sizeof h->dst);
    snprintf(h->cid, sizeof h->cid, "%s", yj_net_flow_community_id(f));
    int64_t sec = ts_us / 1000000 - (ts_us % 1000000 < 0);
    ev->ts = sec;
    ev->ts_usec = (uint32_t)(ts_us - sec * 1000000);
    ev->src_ip = h->src;
    ev->dest_ip = h->dst;
    ev->src_port = f->sport;
    ev->dest_port = f->dport;
    ev->proto = yj_net_proto_name(f->proto);
    ev->flow_id = f->flow_id;
    ev->community_id = h->cid;
}

/* A packet without a flow (the table refused it): addresses from the packet, the client first
 * (a DNS answer goes from server to client). */
static void head_packet(struct yj_event *ev, struct net_head *h, const struct yj_net_packet *p,
                        bool reverse)
{
    const struct yj_net_addr *sa = reverse ? &p->dst : &p->src, *da = reverse ? &p->src : &p->dst;
    uint16_t sp = reverse ? p->dport : p->sport, dp = reverse ? p->sport : p->dport;
    yj_net_addr_str(sa, h->src, sizeof h->src);
    yj_net_addr_str(da, h->dst, sizeof h->dst);
    yj_net_community_id(sa, da, p->proto, sp, dp, h->cid, sizeof h->cid);
    int64_t sec = p->ts_us / 1000000 - (p->ts_us % 1000000 < 0);
    ev->ts = sec;
    ev->ts_usec = (uint32_t)(p->ts_us - sec * 1000000);
    ev->src_ip = h->src;
    ev->dest_ip = h->dst;
    ev->src_port = sp;
    ev->dest_port = dp;
    ev->proto = yj_net_proto_name(p->proto);
    ev->community_id = h->cid;
}

static uint32_t clamp32(uint64_t v) { return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v; }

static bool events_on(const struct app *a) { return sensor_opts(a->s)->app_events; }

/* ---- DNS ------------------------------------------------------------------------------------ */

static const char *rrtype_text(char buf[8], unsigned t)
{
    const char *n = yj_dns_rrtype_name(t);
    if (n)
        return n;
    snprintf(buf, 8, "%u", t & 0xffffu);
    return buf;
}

static void dns_rrs(struct app *a, size_t at, const struct yj_dns_rr *rr, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct yj_event_dns_rr *o = &a->rrs[at + i];
        o->rrname = rr[i].rrname.text;
        o->rrtype = rrtype_text(a->rrtypes[at + i], rr[i].rrtype);
        o->ttl = rr[i].ttl;
        o->rdata = rr[i].rdata;
    }
}

/* Emits the dns event(s) of a->dns (a fills the head) and hands it to the detectors. */
static void dns_record(struct app *a, struct yj_event *ev, const struct yj_net_flow *f,
                       int64_t ts_us)
{
    const struct yj_dns *m = &a->dns;
    if (events_on(a)) {
        ev->type = YJ_EVENT_DNS;
        struct yj_event_dns *d = &ev->u.dns;
        memset(d, 0, sizeof *d);
        d->answer = m->qr;
        d->id = m->id;
        d->opcode = m->opcode;
        char qtype[8], flags[8], rcode[8];
        if (!m->qr) {
            for (size_t i = 0; i < m->n_queries || i == 0; i++) {
                if (m->n_queries) {
                    d->rrname = m->queries[i].rrname.text;
                    d->rrtype = rrtype_text(qtype, m->queries[i].rrtype);
                }
                sensor_emit(a->s, ev);
            }
        } else {
            if (m->n_queries) {
                d->rrname = m->queries[0].rrname.text;
                d->rrtype = rrtype_text(qtype, m->queries[0].rrtype);
            }
            snprintf(flags, sizeof flags, "%04x", m->flags);
            d->flags = flags;
            d->qr = m->qr, d->aa = m->aa, d->tc = m->tc, d->rd = m->rd, d->ra = m->ra;
            d->z = m->z, d->ad = m->ad, d->cd = m->cd;
            const char *rn = yj_dns_rcode_name(m->rcode);
            if (!rn) {
                snprintf(rcode, sizeof rcode, "%u", m->rcode);
                rn = rcode;
            }
            d->rcode = rn;
            dns_rrs(a, 0, m->answers, m->n_answers);
            dns_rrs(a, m->n_answers, m->authorities, m->n_authorities);
            d->answers = a->rrs;
            d->n_answers = m->n_answers;
            d->authorities = a->rrs + m->n_answers;
            d->n_authorities = m->n_authorities;
            sensor_emit(a->s, ev);
        }
    }
    sensor_on_dns(a->s, f, ts_us, m);
}

static bool dns_port(uint16_t port) { return port == 53 || port == 5353; }

void app_packet(struct app *a, const struct yj_net_packet *p)
{
    if (p->proto != 17 || !p->payload_len || !(dns_port(p->sport) || dns_port(p->dport)))
        return;
    if (yj_dns_parse(p->payload, p->payload_len, &a->dns) != YJ_PROTO_DONE)
        return;
    struct yj_event ev = {0};
    struct net_head h;
    if (p->flow)
        head_flow(&ev, &h, p->flow, p->ts_us);
    else
        head_packet(&ev, &h, p, a->dns.qr);
    dns_record(a, &ev, p->flow, p->ts_us);
}

/* ---- Finishing a flow's parsers ----------------------------------------------------------- */

static void stop_all(struct app *a, struct yj_net_flow *f, struct app_flow *st)
{
    if (!(st->done & 1))
        yj_net_stream_stop(a->net, f, YJ_NET_TOSERVER);
    if (!(st->done & 2))
        yj_net_stream_stop(a->net, f, YJ_NET_TOCLIENT);
    st->done = 3;
    st->kind = K_OFF;
    slot_release(a, st);
}

static void tls_finish(struct app *a, struct yj_net_flow *f, struct app_flow *st)
{
    if (!events_on(a))
        return;
    bool c = (st->got & 1) && yj_tls_parse_hello(slot_buf(a, st, 0), st->len[0], &a->hello[0]) ==
                                  YJ_PROTO_DONE && a->hello[0].type == YJ_TLS_CLIENT_HELLO;
    bool s = (st->got & 2) && yj_tls_parse_hello(slot_buf(a, st, 1), st->len[1], &a->hello[1]) ==
                                  YJ_PROTO_DONE && a->hello[1].type == YJ_TLS_SERVER_HELLO;
    if (!c && !s)
        return;
    const struct yj_tls_hello *ch = &a->hello[0], *sh = &a->hello[1];
    struct yj_event ev = {.type = YJ_EVENT_TLS};
    struct net_head h;
    head_flow(&ev, &h, f, f->last_us);
    struct yj_event_tls *t = &ev.u.tls;
    char cv[24], sv[24];
    if (c) {
        t->sni = ch->has_sni ? ch->sni : NULL;
        t->ja3_hash = ch->ja3_hash;
        t->ja3_string = ch->ja3;
        t->ja4 = ch->ja4;
        t->has_client = true;
        t->client_version = yj_tls_version_name(
            ch->supported_version ? ch->supported_version : ch->version, cv, sizeof cv);
        t->ciphers = ch->ciphers, t->n_ciphers = ch->n_ciphers;
        t->client_exts = ch->exts, t->n_client_exts = ch->n_exts;
        t->sig_algs = ch->sig_algs, t->n_sig_algs = ch->n_sig_algs;
    }
    if (s) {
        t->version = yj_tls_version_name(yj_tls_negotiated(sh), sv, sizeof sv);
        t->ja3s_hash = sh->ja3_hash;
        t->ja3s_string = sh->ja3;
        t->has_server = true;
        t->server_version = t->version;
        t->server_cipher = sh->n_ciphers ? sh->ciphers[0] : 0;
        t->server_exts = sh->exts, t->n_server_exts = sh->n_exts;
    }
    sensor_emit(a->s, &ev);
}

static void ssh_finish(struct app *a, struct yj_net_flow *f, struct app_flow *st)
{
    struct yj_event_ssh_side side[2];
    bool ok[2] = {false, false};
    for (int d = 0; d < 2; d++) {
        ok[d] = (st->got & (1u << d)) &&
                yj_ssh_parse_banner(slot_buf(a, st, d), st->len[d], &a->ssh[d]) == YJ_PROTO_DONE;
        side[d].proto_version = a->ssh[d].proto_version;
        side[d].software_version = a->ssh[d].software_version;
    }
    if ((!ok[0] && !ok[1]) || !events_on(a))
        return;
    struct yj_event ev = {.type = YJ_EVENT_SSH};
    struct net_head h;
    head_flow(&ev, &h, f, f->last_us);
    ev.u.ssh.client = ok[0] ? &side[0] : NULL;
    ev.u.ssh.server = ok[1] ? &side[1] : NULL;
    sensor_emit(a->s, &ev);
}

/* ---- HTTP ------------------------------------------------------------------------------------ */

/* Emits the http event of the request at the start of the toserver buffer, with the response
 * in a->resp when resp is true. */
static void http_event(struct app *a, struct yj_net_flow *f, struct app_flow *st, bool resp)
{
    if (!events_on(a))
        return;
    size_t used = 0;
    if (yj_http_parse_request(slot_buf(a, st, 0), st->len[0], &a->req, &used) != YJ_PROTO_DONE)
        return;
    const struct yj_http_req *r = &a->req;
    struct yj_event ev = {.type = YJ_EVENT_HTTP};
    struct net_head h;
    head_flow(&ev, &h, f, f->last_us);
    struct yj_event_http *o = &ev.u.http;
    struct yj_event_http_net x = {0};
    ev.http_net = &x;
    o->hostname = r->hostname;
    o->url = r->url;
    o->http_method = r->http_method;
    o->protocol = r->protocol;
    o->http_user_agent = r->http_user_agent;
    o->http_refer = r->http_refer;
    x.http_port = r->port;
    x.http_content_type = r->http_content_type;
    if (resp) {
        o->status = a->resp.status;
        o->length = a->resp.has_content_length ? a->resp.content_length : 0;
        if (a->resp.http_content_type[0])
            x.http_content_type = a->resp.http_content_type;
        x.redirect = a->resp.location;
    }
    sensor_emit(a->s, &ev);
}

/* Closes the pending transaction: its event, then the request leaves the buffer. False when
 * the next request cannot be found. */
static bool http_close_tx(struct app *a, struct yj_net_flow *f, struct app_flow *st, bool resp)
{
    http_event(a, f, st, resp);
    st->pending = 0;
    st->ntx++;
    return consume(a, st, 0, st->req_len);
}

/* Runs requests and responses as far as the buffers allow. */
static void http_run(struct app *a, struct yj_net_flow *f, struct app_flow *st)
{
    for (;;) {
        if (st->ntx >= APP_HTTP_MAX_TX)
            break;
        if (!st->pending) {
            if (st->skip[0])
                return;
            size_t used = 0;
            enum yj_proto_status r =
                yj_http_parse_request(slot_buf(a, st, 0), st->len[0], &a->req, &used);
            if (r == YJ_PROTO_MORE && !(st->done & 1) && st->len[0] < APP_CAP_TS)
                return;
            if (r != YJ_PROTO_DONE) {
                stop_all(a, f, st);
                return;
            }
            sensor_on_http(a->s, f, f->last_us, &a->req);
            if (yj_cred_scan(slot_buf(a, st, 0), used < st->len[0] ? used : st->len[0], NULL, 0,
                             YJ_CRED_HTTP, &a->cred) == YJ_PROTO_DONE)
                sensor_on_cred(a->s, f, f->last_us, &a->cred);
            st->pending = 1;
            st->req_len = clamp32(used);
            st->head_req = strcmp(a->req.http_method, "HEAD") == 0;
        }
        /* the response */
        if (st->resp_lost || st->skip[1]) {
            if (st->resp_lost || (st->done & 2)) {
                if (!http_close_tx(a, f, st, false))
                    break;
                continue;
            }
            return;
        }
        enum yj_proto_status r = yj_http_parse_response(slot_buf(a, st, 1), st->len[1], &a->resp);
        if (r == YJ_PROTO_MORE && !(st->done & 2) && st->len[1] < APP_CAP_TC)
            return;
        if (r != YJ_PROTO_DONE) {
            st->resp_lost = 1;
            if (!(st->done & 2))
                yj_net_stream_stop(a->net, f, YJ_NET_TOCLIENT);
            st->done |= 2;
            if (!http_close_tx(a, f, st, false))
                break;
            continue;
        }
        unsigned code = a->resp.status;
        uint64_t body = a->resp.has_content_length ? a->resp.content_length : 0;
        if (code >= 100 && code < 200) {
            if (!consume(a, st, 1, clamp32(a->resp.head_len)))
                st->resp_lost = 1;
            continue;
        }
        bool bodyless = code == 204 || code == 304 || st->head_req;
        if (!a->resp.has_content_length && !bodyless)
            st->resp_lost = 1; /* chunked or until close: the next response cannot be found */
        bool next_req = http_close_tx(a, f, st, true);
        if (!consume(a, st, 1, clamp32(a->resp.head_len + (bodyless ? 0 : body))))
            st->resp_lost = 1;
        if (!next_req)
            break;
        if (st->resp_lost && !(st->done & 2)) {
            yj_net_stream_stop(a->net, f, YJ_NET_TOCLIENT);
            st->done |= 2;
        }
    }
    stop_all(a, f, st);
}

/* ---- DNS over TCP -------------------------------------------------------------------------- */

static void dns_tcp_run(struct app *a, struct yj_net_flow *f, struct app_flow *st, int dir)
{
    while (st->len[dir] && !st->skip[dir]) {
        if (st->ntx >= APP_DNS_TCP_MAX) {
            stop_all(a, f, st);
            return;
        }
        size_t used = 0;
        enum yj_proto_status r = yj_dns_parse_tcp(slot_buf(a, st, dir), st->len[dir], &a->dns,
                                                  &used);
        if (r == YJ_PROTO_MORE && st->len[dir] < slot_cap(st, dir))
            return;
        if (r == YJ_PROTO_DONE) {
            struct yj_event ev = {0};
            struct net_head h;
            head_flow(&ev, &h, f, f->last_us);
            dns_record(a, &ev, f, f->last_us);
        }
        if ((r != YJ_PROTO_DONE && r != YJ_PROTO_BAD) || used == 0) {
            /* not DNS, or a message larger than the buffer: this side is done */
            yj_net_stream_stop(a->net, f, (enum yj_net_dir)dir);
            st->done |= (uint8_t)(1u << dir);
            st->len[dir] = 0;
            if (st->done == 3)
                stop_all(a, f, st);
            return;
        }
        st->ntx++;
        consume(a, st, dir, clamp32(used));
    }
}

/* ---- Choosing the parser -------------------------------------------------------------------- */

static bool http_request_line(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n && i < 20 && ((p[i] >= 'A' && p[i] <= 'Z') || p[i] == '-' || p[i] == '_'))
        i++;
    return i > 0 && i < n && p[i] == ' ';
}

static enum yj_cred_proto port_hint(uint16_t port)
{
    switch (port) {
    case 21: return YJ_CRED_FTP;
    case 23: return YJ_CRED_TELNET;
    case 25:
    case 587: return YJ_CRED_SMTP;
    case 110: return YJ_CRED_POP3;
    case 143: return YJ_CRED_IMAP;
    default: return YJ_CRED_UNKNOWN;
    }
}

static enum app_kind classify(const struct yj_net_flow *f, enum yj_net_dir dir, const uint8_t *p,
                              size_t n, uint8_t *hint)
{
    if (n >= 3 && p[0] == 0x16 && p[1] == 3 && p[2] <= 4)
        return K_TLS;
    /* port 22 too: a server may send other lines before its banner */
    if ((n >= 4 && memcmp(p, "SSH-", 4) == 0) || f->dport == 22)
        return K_SSH;
    enum yj_cred_proto h = port_hint(f->dport);
    if (h != YJ_CRED_UNKNOWN) { /* before HTTP: "USER x" looks like a request line */
        *hint = (uint8_t)h;
        return K_CRED;
    }
    if (dns_port(f->dport))
        return K_DNS;
    if (dir == YJ_NET_TOSERVER && http_request_line(p, n))
        return K_HTTP;
    return K_OFF;
}

/* Ends what a two-sided kind (TLS, SSH) waits for, once both sides are done. */
static void pair_check(struct app *a, struct yj_net_flow *f, struct app_flow *st)
{
    if (st->done != 3)
        return;
    if (st->kind == K_TLS)
        tls_finish(a, f, st);
    else if (st->kind == K_SSH)
        ssh_finish(a, f, st);
    stop_all(a, f, st);
}

static void side_done(struct app *a, struct yj_net_flow *f, struct app_flow *st, int dir)
{
    if (!(st->done & (1u << dir)))
        yj_net_stream_stop(a->net, f, (enum yj_net_dir)dir);
    st->done |= (uint8_t)(1u << dir);
}

static void pair_run(struct app *a, struct yj_net_flow *f, struct app_flow *st, int dir)
{
    enum yj_proto_status r;
    const uint8_t *b = slot_buf(a, st, dir);
    if (st->kind == K_TLS) {
        r = yj_tls_parse_hello(b, st->len[dir], &a->hello[dir]);
        if (r == YJ_PROTO_DONE &&
            a->hello[dir].type != (dir == 0 ? YJ_TLS_CLIENT_HELLO : YJ_TLS_SERVER_HELLO))
            r = YJ_PROTO_NOT;
    } else {
        r = yj_ssh_parse_banner(b, st->len[dir], &a->ssh[dir]);
    }
    if (r == YJ_PROTO_MORE && st->len[dir] < slot_cap(st, dir))
        return;
    if (r == YJ_PROTO_DONE) {
        st->got |= (uint8_t)(1u << dir);
        if (st->kind == K_TLS) /* detectors get each hello at once; the event waits for both */
            sensor_on_tls(a->s, f, f->last_us, &a->hello[dir]);
    }
    side_done(a, f, st, dir);
    pair_check(a, f, st);
}

static void cred_run(struct app *a, struct yj_net_flow *f, struct app_flow *st)
{
    enum yj_proto_status r = yj_cred_scan(slot_buf(a, st, 0), st->len[0], slot_buf(a, st, 1),
                                          st->len[1], (enum yj_cred_proto)st->hint, &a->cred);
    if (r == YJ_PROTO_DONE)
        sensor_on_cred(a->s, f, f->last_us, &a->cred);
    if (r != YJ_PROTO_MORE || st->len[0] >= APP_CRED_CAP || st->len[1] >= APP_CRED_CAP ||
        st->done)
        stop_all(a, f, st);
}

/* Appends what fits of data to the direction's buffer (after any bytes to skip). */
static void append(struct app *a, struct app_flow *st, int dir, const uint8_t *data, size_t len)
{
    if (st->skip[dir]) {
        size_t k = len < st->skip[dir] ? len : st->skip[dir];
        st->skip[dir] -= (uint32_t)k;
        data += k;
        len -= k;
    }
    uint32_t room = slot_cap(st, dir) - st->len[dir];
    size_t k = len < room ? len : room;
    if (k)
        memcpy(slot_buf(a, st, dir) + st->len[dir], data, k);
    st->len[dir] += (uint32_t)k;
    st->lost[dir] = clamp32((uint64_t)st->lost[dir] + (len - k));
}

void app_stream(struct app *a, struct yj_net_flow *f, enum yj_net_dir dir, const uint8_t *data,
                size_t len)
{
    struct app_flow *st = af(f);
    int d = dir == YJ_NET_TOCLIENT ? 1 : 0;
    if (st->kind == K_OFF || (st->done & (1u << d)))
        return;
    if (st->kind == K_NONE) {
        if (!data) {
            stop_all(a, f, st);
            return;
        }
        st->kind = (uint8_t)classify(f, dir, data, len, &st->hint);
        if (st->kind == K_OFF) {
            stop_all(a, f, st);
            return;
        }
        if (!a->nfree) {
            a->drops++;
            stop_all(a, f, st);
            return;
        }
        st->slot = a->free_slots[--a->nfree];
    }
    if (!data) { /* a gap: this side can no longer be parsed from its start */
        if (st->kind == K_HTTP || st->kind == K_DNS || st->kind == K_CRED) {
            if (st->kind == K_HTTP && st->pending)
                http_close_tx(a, f, st, false);
            stop_all(a, f, st);
            return;
        }
        side_done(a, f, st, d);
        pair_check(a, f, st);
        return;
    }
    append(a, st, d, data, len);
    switch ((enum app_kind)st->kind) {
    case K_TLS:
    case K_SSH: pair_run(a, f, st, d); break;
    case K_HTTP: http_run(a, f, st); break;
    case K_DNS: dns_tcp_run(a, f, st, d); break;
    case K_CRED: cred_run(a, f, st); break;
    case K_NONE:
    case K_OFF: break;
    }
}

void app_flow_end(struct app *a, struct yj_net_flow *f)
{
    struct app_flow *st = af(f);
    if (!st->slot)
        return;
    if (st->kind == K_TLS)
        tls_finish(a, f, st);
    else if (st->kind == K_SSH)
        ssh_finish(a, f, st);
    else if (st->kind == K_HTTP) {
        st->done = 3;
        http_run(a, f, st);
        if (st->slot && st->pending)
            http_close_tx(a, f, st, false);
    }
    st->kind = K_OFF;
    slot_release(a, st);
}
