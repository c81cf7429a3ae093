/* IPv4 and IPv6 fragment reassembly in a fixed set of trackers (config.frag_trackers), each
 * with a 64 KiB data area and a bitmap of the bytes it holds, allocated once.
 *
 * Policy (docs/net.md):
 *   - A datagram is keyed by family, addresses, identification (and protocol for IPv4,
 *     VLAN for both). It completes when the last fragment (MF=0) fixed its length and every
 *     byte before it has arrived; it is then decoded as one packet.
 *   - Overlaps: a byte that arrives again with the same value is accepted (retransmission);
 *     a byte that arrives with a different value is a conflicting overlap — the
 *     "ipv4.frag_overlap"/"ipv6.frag_overlap" anomaly, and the datagram is dropped: its
 *     later fragments are swallowed until the tracker times out. No policy (first or last
 *     wins) is applied, so no reader of the traffic can be shown a different datagram than
 *     the host it was meant for.
 *   - A datagram longer than 65535 bytes, a middle fragment whose length is not a multiple
 *     of eight, or data past the end fixed by the last fragment is dropped with an anomaly.
 *   - Trackers time out config.to_frag seconds after their first fragment. When all are
 *     busy the fragment is dropped and counted (frag_trackers_full).
 * The reassembled IPv6 datagram is rebuilt as the fixed header followed by the fragmentable
 * part; extension headers before the fragment header are not kept. */
#include <string.h>

#include "net_int.h"

static void release(struct frag_tracker *t)
{
    t->in_use = false;
    memset(t->have, 0, FRAG_MAX / 8 + 1);
}

static struct frag_tracker *find(struct yj_net *n, uint8_t family, const uint8_t *src,
                                 const uint8_t *dst, uint32_t id, uint8_t proto)
{
    size_t alen = family == 4 ? 4 : 16;
    uint16_t vlan = n->nvlan ? n->vlan[n->nvlan - 1] : 0;
    struct frag_tracker *free_t = NULL;
    for (size_t i = 0; i < n->c.frag_trackers; i++) {
        struct frag_tracker *t = &n->frags[i];
        if (!t->in_use) {
            if (!free_t)
                free_t = t;
            continue;
        }
        if (t->family == family && t->id == id && t->vlan == vlan &&
            (family == 6 || t->proto == proto) && memcmp(t->src, src, alen) == 0 &&
            memcmp(t->dst, dst, alen) == 0)
            return t;
    }
    if (!free_t) {
        n->st.frag_trackers_full++;
        return NULL;
    }
    struct frag_tracker *t = free_t;
    t->in_use = true;
    t->dead = t->have_first = t->have_last = false;
    t->family = family;
    t->proto = proto;
    memcpy(t->src, src, alen);
    memcpy(t->dst, dst, alen);
    t->id = id;
    t->vlan = vlan;
    t->first_us = n->now_us;
    t->total = t->received = t->max_end = 0;
    t->frame_bytes = 0;
    t->hdr_len = 0;
    return t;
}

static void fail(struct yj_net *n, struct frag_tracker *t, const char *event,
                 const struct yj_net_packet *p)
{
    t->dead = true;
    n->st.frag_invalid++;
    yj_net_anomaly(n, "decode", event, p);
}

static bool bit(const uint8_t *m, uint32_t i)
{
    return m[i >> 3] & (1u << (i & 7));
}

/* Adds data at off; returns false when the datagram was dropped. */
static bool add(struct yj_net *n, struct frag_tracker *t, const uint8_t *data, size_t len,
                uint32_t off, bool more, const struct yj_net_packet *p)
{
    bool v4 = t->family == 4;
    if ((size_t)off + len > FRAG_MAX) {
        fail(n, t, v4 ? "ipv4.frag_pkt_too_large" : "ipv6.frag_pkt_too_large", p);
        return false;
    }
    uint32_t end = off + (uint32_t)len;
    if (more && len % 8) {
        fail(n, t, v4 ? "ipv4.frag_invalid_length" : "ipv6.frag_invalid_length", p);
        return false;
    }
    if (!more) {
        if (t->have_last && t->total != end) {
            n->st.frag_overlap++;
            fail(n, t, v4 ? "ipv4.frag_overlap" : "ipv6.frag_overlap", p);
            return false;
        }
        t->have_last = true;
        t->total = end;
        /* Bytes already held past the end contradict it. */
        if (t->max_end > end) {
            fail(n, t, v4 ? "ipv4.frag_invalid_length" : "ipv6.frag_invalid_length", p);
            return false;
        }
    } else if (t->have_last && end > t->total) {
        fail(n, t, v4 ? "ipv4.frag_invalid_length" : "ipv6.frag_invalid_length", p);
        return false;
    }
    uint8_t *buf = t->buf + FRAG_ROOM;
    for (uint32_t i = 0; i < len; i++) {
        uint32_t pos = off + i;
        if (bit(t->have, pos) && buf[pos] != data[i]) {
            n->st.frag_overlap++;
            fail(n, t, v4 ? "ipv4.frag_overlap" : "ipv6.frag_overlap", p);
            return false;
        }
    }
    for (uint32_t i = 0; i < len; i++) {
        uint32_t pos = off + i;
        if (!bit(t->have, pos)) {
            t->have[pos >> 3] = (uint8_t)(t->have[pos >> 3] | (1u << (pos & 7)));
            buf[pos] = data[i];
            t->received++;
        }
    }
    t->frame_bytes += p->wirelen;
    if (end > t->max_end)
        t->max_end = end;
    return true;
}

static void complete(struct yj_net *n, struct frag_tracker *t)
{
    uint8_t *payload = t->buf + FRAG_ROOM;
    uint8_t *h = payload - t->hdr_len;
    memcpy(h, t->hdr, t->hdr_len);
    uint32_t tot;
    if (t->family == 4) {
        tot = t->hdr_len + t->total;
        h[2] = (uint8_t)(tot >> 8);
        h[3] = (uint8_t)tot;
        h[6] &= 0x40; /* keep DF, clear MF and the offset */
        h[7] = 0;
        n->st.reasm4++;
    } else {
        tot = 40 + t->total;
        h[4] = (uint8_t)(t->total >> 8);
        h[5] = (uint8_t)t->total;
        h[6] = t->proto;
        n->st.reasm6++;
    }
    uint64_t fb = t->frame_bytes;
    t->dead = true; /* swallows duplicates while the datagram is decoded */
    n->in_reasm = true;
    yj_net_decode_ip(n, h, tot, true, fb);
    n->in_reasm = false;
    release(t);
}

/* Adds a fragment; the one at offset 0 gives the header (hl bytes of ip) and the protocol. */
static void take(struct yj_net *n, struct frag_tracker *t, const uint8_t *data, size_t len,
                 uint32_t off, bool more, const struct yj_net_packet *p, const uint8_t *ip,
                 size_t hl, uint8_t proto)
{
    if (!add(n, t, data, len, off, more, p))
        return;
    if (off == 0 && !t->have_first) {
        t->have_first = true;
        t->hdr_len = (uint8_t)hl;
        memcpy(t->hdr, ip, hl);
        t->proto = proto;
    }
    if (t->have_first && t->have_last && t->received == t->total)
        complete(n, t);
}

static bool nested(struct yj_net *n, const struct yj_net_packet *p, bool v4)
{
    if (!n->in_reasm)
        return false;
    n->st.frag_invalid++;
    yj_net_anomaly(n, "decode", v4 ? "ipv4.frag_nested" : "ipv6.frag_nested", p);
    return true;
}

void yj_net_defrag4(struct yj_net *n, const uint8_t *ip, size_t ihl, const uint8_t *data,
                    size_t len, uint32_t off, bool more, const struct yj_net_packet *p)
{
    if (nested(n, p, true))
        return;
    if ((size_t)off + len + ihl > 65535) {
        /* header and data would not fit an IPv4 total length */
        n->st.frag_invalid++;
        yj_net_anomaly(n, "decode", "ipv4.frag_pkt_too_large", p);
        return;
    }
    struct frag_tracker *t = find(n, 4, ip + 12, ip + 16, (uint32_t)(ip[4] << 8 | ip[5]), ip[9]);
    if (!t || t->dead)
        return;
    take(n, t, data, len, off, more, p, ip, ihl, ip[9]);
}

void yj_net_defrag6(struct yj_net *n, const uint8_t *ip6, uint8_t nh, const uint8_t *data,
                    size_t len, uint32_t off, bool more, uint32_t id,
                    const struct yj_net_packet *p)
{
    if (nested(n, p, false))
        return;
    struct frag_tracker *t = find(n, 6, ip6 + 8, ip6 + 24, id, 0);
    if (!t || t->dead)
        return;
    take(n, t, data, len, off, more, p, ip6, 40, nh);
}

void yj_net_defrag_expire(struct yj_net *n)
{
    int64_t limit = (int64_t)n->c.to_frag * 1000000;
    for (size_t i = 0; i < n->c.frag_trackers; i++) {
        struct frag_tracker *t = &n->frags[i];
        if (t->in_use && n->now_us - t->first_us > limit) {
            if (!t->dead)
                n->st.frag_timeout++;
            release(t);
        }
    }
}
