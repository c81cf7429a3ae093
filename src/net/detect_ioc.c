/* Indicators from the loaded threat lists (sensor_ioc): the addresses of every flow (at its
 * first packet, with the port), DNS query names and the addresses in DNS answers, TLS server
 * names and HTTP hosts and URLs. One alert per (indicator, local host) per hour; the alert
 * names the indicator, the list and the list's reason. Lookups never allocate. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensor_int.h"

#define HOUR_US (3600 * (int64_t)1000000)

struct iocd {
    struct yj_sensor *s;
    struct nd_recent *seen;
};

static void *ioc_new(struct yj_sensor *s)
{
    if (!sensor_opts(s)->ioc)
        return NULL; /* no lists: every hook below sees NULL and returns */
    struct iocd *d = yj_xcalloc(1, sizeof *d);
    d->s = s;
    d->seen = nd_recent_new(8192);
    return d;
}

static void ioc_free(void *state)
{
    struct iocd *d = state;
    if (!d)
        return;
    nd_recent_free(d->seen);
    free(d);
}

/* Raises sig for hit once per (indicator, host) per hour. host is the local side (the one
 * that talked to the listed thing); peer the other side, or NULL. */
static void raise_hit(struct iocd *d, enum nd_sig sig, const struct yj_net_flow *f,
                      int64_t ts_us, const char *host, const char *peer,
                      const struct yj_ioc_hit *h)
{
    uint64_t key = nd_hash_str(nd_hash_str(ND_HASH_STR_INIT, h->indicator), host);
    if (!nd_recent_first(d->seen, key, ts_us, HOUR_US))
        return;
    char detail[512];
    snprintf(detail, sizeof detail, "%s [%s: %s]", h->indicator, h->list ? h->list : "",
             h->category && h->category[0] ? h->category : "-");
    struct nd_alert a = {.sig = sig, .ts_us = ts_us, .flow = f, .src_ip = host,
                         .dest_ip = peer, .detail = detail};
    nd_raise(d->s, &a);
}

static bool match_addr(const struct yj_ioc_set *set, const struct yj_net_addr *a, uint16_t port,
                       struct yj_ioc_hit *h)
{
    if (a->family == 4) {
        uint32_t v = (uint32_t)a->a[0] << 24 | (uint32_t)a->a[1] << 16 |
                     (uint32_t)a->a[2] << 8 | a->a[3];
        return yj_ioc_match_ip4(set, v, port, h);
    }
    return yj_ioc_match_ip(set, a->a, port, h);
}

static void ioc_packet(void *state, const struct yj_net_packet *p)
{
    struct iocd *d = state;
    /* A flow's addresses are looked up at its first packet; packets without a flow each. */
    if (!d || (p->flow && p->flow->pkts[0] + p->flow->pkts[1] != 1))
        return;
    const struct yj_ioc_set *set = sensor_ioc(d->s);
    if (!set)
        return;
    bool ports = p->proto == 6 || p->proto == 17;
    struct yj_ioc_hit h;
    char src[48], dst[48];
    if (match_addr(set, &p->dst, ports ? p->dport : 0, &h)) {
        yj_net_addr_str(&p->src, src, sizeof src);
        yj_net_addr_str(&p->dst, dst, sizeof dst);
        raise_hit(d, ND_SIG_IOC_IP, p->flow, p->ts_us, src, dst, &h);
    }
    if (match_addr(set, &p->src, ports ? p->sport : 0, &h)) {
        yj_net_addr_str(&p->src, src, sizeof src);
        yj_net_addr_str(&p->dst, dst, sizeof dst);
        raise_hit(d, ND_SIG_IOC_IP, p->flow, p->ts_us, dst, src, &h);
    }
}

/* The client of f: who asked the question or opened the connection. */
static void client_of(const struct yj_net_flow *f, char *out, size_t n)
{
    yj_net_addr_str(&f->src, out, n);
}

static void ioc_dns(void *state, const struct yj_net_flow *f, int64_t ts_us,
                    const struct yj_dns *m)
{
    struct iocd *d = state;
    const struct yj_ioc_set *set = d ? sensor_ioc(d->s) : NULL;
    if (!set)
        return;
    char host[48];
    client_of(f, host, sizeof host);
    struct yj_ioc_hit h;
    for (unsigned i = 0; i < m->n_queries; i++) {
        const struct yj_dns_name *q = &m->queries[i].rrname;
        if (q->text[0] && yj_ioc_match_domain(set, q->text, strlen(q->text), &h))
            raise_hit(d, ND_SIG_IOC_DNS, f, ts_us, host, NULL, &h);
    }
    for (unsigned i = 0; i < m->n_answers; i++) {
        const struct yj_dns_rr *rr = &m->answers[i];
        uint8_t a16[16] = {0};
        if (rr->rrtype == YJ_DNS_A) {
            a16[10] = a16[11] = 0xff;
            if (inet_pton(AF_INET, rr->rdata, a16 + 12) != 1)
                continue;
        } else if (rr->rrtype != YJ_DNS_AAAA || inet_pton(AF_INET6, rr->rdata, a16) != 1) {
            continue;
        }
        if (yj_ioc_match_ip(set, a16, 0, &h))
            raise_hit(d, ND_SIG_IOC_DNS, f, ts_us, host, NULL, &h);
    }
}

static void ioc_tls(void *state, const struct yj_net_flow *f, int64_t ts_us,
                    const struct yj_tls_hello *t)
{
    struct iocd *d = state;
    const struct yj_ioc_set *set = d ? sensor_ioc(d->s) : NULL;
    if (!set || t->type != YJ_TLS_CLIENT_HELLO || !t->has_sni || !t->sni[0])
        return;
    struct yj_ioc_hit h;
    if (yj_ioc_match_domain(set, t->sni, strlen(t->sni), &h)) {
        char host[48];
        client_of(f, host, sizeof host);
        raise_hit(d, ND_SIG_IOC_TLS, f, ts_us, host, NULL, &h);
    }
}

static void ioc_http(void *state, const struct yj_net_flow *f, int64_t ts_us,
                     const struct yj_http_req *r)
{
    struct iocd *d = state;
    const struct yj_ioc_set *set = d ? sensor_ioc(d->s) : NULL;
    if (!set)
        return;
    struct yj_ioc_hit h;
    if (yj_ioc_match_http(set, r->hostname, strlen(r->hostname), r->url, strlen(r->url), &h)) {
        char host[48];
        client_of(f, host, sizeof host);
        raise_hit(d, ND_SIG_IOC_HTTP, f, ts_us, host, NULL, &h);
    }
}

const struct nd_ops nd_ioc = {
    .name = "ioc",
    .new = ioc_new,
    .free = ioc_free,
    .packet = ioc_packet,
    .dns = ioc_dns,
    .tls = ioc_tls,
    .http = ioc_http,
};
