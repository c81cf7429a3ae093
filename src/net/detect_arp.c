/* ARP spoofing (YJ-NET-3007), from ARP packets alone:
 *   - an IPv4 address answered for by a new hardware address while the old one was heard
 *     for it within the window (two machines claim one address: one of them lies);
 *   - one hardware address claiming two IPv4 addresses within the window, one of them
 *     through a reply nobody asked for (the usual poisoning: "the router is at my card");
 *   - `replies` replies for one address within the window that nobody asked for (not
 *     gratuitous ones, whose sender and target are the same): a poisoning tool repeating
 *     its lie so that it sticks.
 * One alert per address per window. Probes (sender 0.0.0.0) are not claims. Requests
 * seen recently are kept in a small ring to tell asked-for replies from unasked ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensor_int.h"

#define ASKED 64 /* recent requests remembered */
#define ASKED_US (5 * 1000000LL)

struct ip {
    struct nd_slot sl;
    uint8_t key[4];
    uint8_t mac[6];
    int64_t mac_us, alert_us;
    int64_t unasked_us; /* start of the window of unasked replies */
    uint32_t unasked;
};

struct mac {
    struct nd_slot sl;
    uint8_t key[6];
    uint8_t ip[4];
    bool unasked; /* the claim of ip came in an unasked reply */
    int64_t ip_us, alert_us;
};

struct ask {
    uint8_t who[4], what[4];
    int64_t ts;
};

struct arp {
    struct yj_sensor *s;
    const struct nd_conf *c;
    struct nd_table ips, macs;
    struct ask asked[ASKED];
    unsigned next;
};

static void *arp_new(struct yj_sensor *s)
{
    struct arp *a = yj_xcalloc(1, sizeof *a);
    a->s = s;
    a->c = sensor_conf(s);
    nd_table_init(&a->ips, a->c->table_size, sizeof(struct ip), 4);
    nd_table_init(&a->macs, a->c->table_size, sizeof(struct mac), 6);
    return a;
}

static void arp_free(void *state)
{
    struct arp *a = state;
    if (a) {
        nd_table_fini(&a->ips);
        nd_table_fini(&a->macs);
    }
    free(a);
}

static bool was_asked(const struct arp *a, const struct yj_net_arp *r)
{
    for (unsigned i = 0; i < ASKED; i++)
        if (a->asked[i].ts && r->ts_us - a->asked[i].ts <= ASKED_US &&
            !memcmp(a->asked[i].who, r->tpa, 4) && !memcmp(a->asked[i].what, r->spa, 4))
            return true;
    return false;
}

/* The alert about address ip (the one impersonated). */
static void arp_alert(struct arp *a, const struct yj_net_arp *r, const uint8_t *ip4,
                      const char *detail)
{
    char ip[16];
    snprintf(ip, sizeof ip, "%u.%u.%u.%u", ip4[0], ip4[1], ip4[2], ip4[3]);
    struct nd_alert al = {
        .sig = ND_SIG_ARP_SPOOF, .ts_us = r->ts_us, .src_ip = ip, .detail = detail, .count = 1};
    nd_raise(a->s, &al);
}

static void fmt_mac(const uint8_t *m, char *out, size_t n)
{
    snprintf(out, n, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void arp_arp(void *state, const struct yj_net_arp *r)
{
    struct arp *a = state;
    static const uint8_t zero[6], bcast[6] = {255, 255, 255, 255, 255, 255};
    if (r->op == 1) {
        struct ask *k = &a->asked[a->next++ % ASKED];
        memcpy(k->who, r->spa, 4);
        memcpy(k->what, r->tpa, 4);
        k->ts = r->ts_us ? r->ts_us : 1;
    }
    if (!memcmp(r->spa, zero, 4) || !memcmp(r->sha, zero, 6) || !memcmp(r->sha, bcast, 6))
        return;
    int64_t ts = r->ts_us, win = (int64_t)a->c->arp_window * 1000000;
    char detail[96], m1[18], m2[18];
    bool fresh;
    bool said = false; /* one alert per ARP packet */
    struct ip *e = nd_table_get(&a->ips, r->spa, ts, ts - win, &fresh);
    if (e && !fresh && memcmp(e->mac, r->sha, 6)) {
        if (ts - e->mac_us <= win && (!e->alert_us || ts - e->alert_us > win)) {
            said = true;
            e->alert_us = ts;
            fmt_mac(e->mac, m1, sizeof m1);
            fmt_mac(r->sha, m2, sizeof m2);
            snprintf(detail, sizeof detail, "%s and %s", m1, m2);
            arp_alert(a, r, r->spa, detail);
        }
    }
    bool unasked = r->op == 2 && memcmp(r->spa, r->tpa, 4) && !was_asked(a, r);
    if (e && unasked) {
        if (!e->unasked || ts - e->unasked_us > win) {
            e->unasked_us = ts;
            e->unasked = 0;
        }
        if (++e->unasked >= a->c->arp_replies && !said &&
            (!e->alert_us || ts - e->alert_us > win)) {
            said = true;
            e->alert_us = ts;
            fmt_mac(r->sha, m1, sizeof m1);
            snprintf(detail, sizeof detail, "%u unasked replies from %s", e->unasked, m1);
            arp_alert(a, r, r->spa, detail);
        }
    }
    if (e) {
        memcpy(e->mac, r->sha, 6);
        e->mac_us = ts;
    }
    struct mac *m = nd_table_get(&a->macs, r->sha, ts, ts - win, &fresh);
    if (!m)
        return;
    if (!said && !fresh && memcmp(m->ip, r->spa, 4) && ts - m->ip_us <= win &&
        (m->unasked || unasked) && (!m->alert_us || ts - m->alert_us > win)) {
        m->alert_us = ts;
        /* the address claimed through the unasked reply is the one impersonated */
        const uint8_t *fake = m->unasked ? m->ip : r->spa, *own = m->unasked ? r->spa : m->ip;
        fmt_mac(r->sha, m1, sizeof m1);
        snprintf(detail, sizeof detail, "%s, which is also %u.%u.%u.%u", m1, own[0], own[1], own[2],
                 own[3]);
        arp_alert(a, r, fake, detail);
    }
    if (fresh || memcmp(m->ip, r->spa, 4))
        m->unasked = unasked;
    else
        m->unasked |= unasked;
    memcpy(m->ip, r->spa, 4);
    m->ip_us = ts;
}

const struct nd_ops nd_arp = {
    .name = "arp",
    .new = arp_new,
    .free = arp_free,
    .arp = arp_arp,
};
