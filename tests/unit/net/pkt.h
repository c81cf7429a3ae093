/* Raw IPv4/IPv6 packets for the net unit tests, fed with LINKTYPE_RAW, and a recorder of
 * what the engine's hooks saw. */
#ifndef YJ_TEST_NET_PKT_H
#define YJ_TEST_NET_PKT_H

#include <string.h>

#include "net/net.h"

#define SEC 1000000LL

struct rec {
    unsigned packets, reassembled, flows, anomalies, flow_ends;
    char last_anomaly[48];
    char last_reason[16], last_state[16];
    uint64_t last_pkts[2];
    size_t last_payload;
    uint8_t last_proto;
    bool last_had_flow;
    enum yj_net_dir last_dir;
    char stream[2][256];
    size_t slen[2];
    unsigned gaps;
    uint32_t ext_seen;
};

static inline void rec_event(void *ctx, const struct yj_event *ev)
{
    struct rec *r = ctx;
    if (ev->type == YJ_EVENT_FLOW) {
        r->flows++;
        snprintf(r->last_reason, sizeof r->last_reason, "%s", ev->u.flow.reason);
        snprintf(r->last_state, sizeof r->last_state, "%s", ev->u.flow.state);
        r->last_pkts[0] = ev->u.flow.pkts_toserver;
        r->last_pkts[1] = ev->u.flow.pkts_toclient;
    } else if (ev->type == YJ_EVENT_ANOMALY) {
        r->anomalies++;
        snprintf(r->last_anomaly, sizeof r->last_anomaly, "%s", ev->u.anomaly.event);
    }
}

static inline void rec_packet(void *ctx, const struct yj_net_packet *p)
{
    struct rec *r = ctx;
    r->packets++;
    r->reassembled += p->reassembled;
    r->last_payload = p->payload_len;
    r->last_proto = p->proto;
    r->last_had_flow = p->flow != NULL;
    r->last_dir = p->dir;
    if (p->flow && p->flow->ext)
        memcpy(p->flow->ext, &r->packets, sizeof r->packets);
}

static inline void rec_stream(void *ctx, struct yj_net_flow *f, enum yj_net_dir dir,
                              const uint8_t *data, size_t len)
{
    (void)f;
    struct rec *r = ctx;
    if (!data) {
        r->gaps++;
        return;
    }
    size_t room = sizeof r->stream[0] - 1 - r->slen[dir];
    size_t k = len < room ? len : room;
    memcpy(r->stream[dir] + r->slen[dir], data, k);
    r->slen[dir] += k;
}

static inline void rec_flow_end(void *ctx, struct yj_net_flow *f)
{
    struct rec *r = ctx;
    r->flow_ends++;
    if (f->ext)
        memcpy(&r->ext_seen, f->ext, sizeof r->ext_seen);
}

/* An engine with the default config and the recorder's hooks, with on_arp and on_stream
 * replaced when given. */
static inline struct yj_net *engine_with(struct rec *r,
                                         void (*arp)(void *, const struct yj_net_arp *),
                                         void (*stream)(void *, struct yj_net_flow *,
                                                        enum yj_net_dir, const uint8_t *,
                                                        size_t))
{
    memset(r, 0, sizeof *r);
    struct yj_net_config c;
    yj_net_config_default(&c);
    struct yj_net_hooks h = {r, rec_event, 0, rec_packet, arp, stream ? stream : rec_stream,
                             rec_flow_end};
    return yj_net_new(&c, &h);
}

static inline struct yj_net *engine(struct rec *r, const struct yj_net_config *c)
{
    if (!c)
        return engine_with(r, NULL, NULL);
    memset(r, 0, sizeof *r);
    struct yj_net_hooks h = {r, rec_event, 0, rec_packet, NULL, rec_stream, rec_flow_end};
    return yj_net_new(c, &h);
}

/* IPv4 header at b (20 bytes) + payload; returns the length. frag: flags|offset/8. */
static inline size_t ip4(uint8_t *b, uint8_t src, uint8_t dst, uint8_t proto, uint16_t id,
                         uint16_t frag, const void *payload, size_t len)
{
    size_t tot = 20 + len;
    uint8_t h[20] = {0x45, 0, (uint8_t)(tot >> 8), (uint8_t)tot, (uint8_t)(id >> 8),
                     (uint8_t)id, (uint8_t)(frag >> 8), (uint8_t)frag, 64, proto, 0, 0,
                     10, 0, 0, src, 10, 0, 0, dst};
    memcpy(b, h, 20);
    memcpy(b + 20, payload, len);
    return tot;
}

static inline size_t udp(uint8_t *b, uint16_t sp, uint16_t dp, const void *data, size_t len)
{
    size_t l = 8 + len;
    uint8_t h[8] = {(uint8_t)(sp >> 8), (uint8_t)sp, (uint8_t)(dp >> 8), (uint8_t)dp,
                    (uint8_t)(l >> 8), (uint8_t)l, 0, 0};
    memcpy(b, h, 8);
    memcpy(b + 8, data, len);
    return l;
}

static inline size_t tcp_ack(uint8_t *b, uint16_t sp, uint16_t dp, uint8_t flags,
                             uint32_t seq, uint32_t ack, const void *data, size_t len)
{
    uint8_t h[20] = {(uint8_t)(sp >> 8), (uint8_t)sp, (uint8_t)(dp >> 8), (uint8_t)dp,
                     (uint8_t)(seq >> 24), (uint8_t)(seq >> 16), (uint8_t)(seq >> 8),
                     (uint8_t)seq, (uint8_t)(ack >> 24), (uint8_t)(ack >> 16),
                     (uint8_t)(ack >> 8), (uint8_t)ack, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0};
    memcpy(b, h, 20);
    if (len)
        memcpy(b + 20, data, len);
    return 20 + len;
}

static inline void feed(struct yj_net *n, int64_t t, const uint8_t *b, size_t len)
{
    yj_net_feed(n, YJ_NET_LINKTYPE_RAW, t, b, (uint32_t)len, (uint32_t)len);
}

static inline size_t tcp(uint8_t *b, uint16_t sp, uint16_t dp, uint8_t flags, uint32_t seq,
                         const void *data, size_t len)
{
    return tcp_ack(b, sp, dp, flags, seq, 0, data, len);
}

/* A TCP segment between 10.0.0.a:pa and 10.0.0.b:pb. */
static inline void seg_ack(struct yj_net *n, int64_t t, uint8_t a, uint16_t pa, uint8_t b,
                           uint16_t pb, uint8_t flags, uint32_t seq, uint32_t ack,
                           const char *data)
{
    uint8_t l4[600], pkt[700];
    size_t dl = data ? strlen(data) : 0;
    size_t l = tcp_ack(l4, pa, pb, flags, seq, ack, data, dl);
    feed(n, t, pkt, ip4(pkt, a, b, 6, 1, 0, l4, l));
}

static inline void seg(struct yj_net *n, int64_t t, uint8_t a, uint16_t pa, uint8_t b,
                       uint16_t pb, uint8_t flags, uint32_t seq, const char *data)
{
    seg_ack(n, t, a, pa, b, pb, flags, seq, 0, data);
}

#endif
