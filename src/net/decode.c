/* Decoders from the link layer to TCP/UDP/ICMP. Every read is bounded by the captured
 * length; a header that does not fit, or a field that contradicts the others, becomes an
 * anomaly event named as Suricata names its decoder events ("ipv4.trunc_pkt") and the
 * packet stops there. Frames cut short by the capture's snap length are not anomalies: they
 * are decoded as far as they go.
 *
 *   Ethernet  dst(6) src(6) type(2) [802.1Q/802.1ad tag(4)]... payload
 *   IPv4      ver/ihl tos len(2) id(2) flags/off(2) ttl proto sum(2) src(4) dst(4) opts
 *   IPv6      ver/tc/flow(4) plen(2) nh hlim src(16) dst(16) ext headers... */
#include <string.h>

#include "net_int.h"

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void yj_net_anomaly(struct yj_net *n, const char *type, const char *event,
                    const struct yj_net_packet *p)
{
    n->st.anomalies++;
    if (!yj_net_wants(n, YJ_EVENT_ANOMALY))
        return;
    char src[48] = "", dst[48] = "";
    struct yj_event ev = {.type = YJ_EVENT_ANOMALY};
    ev.ts = n->now_us / 1000000;
    ev.ts_usec = (uint32_t)(n->now_us % 1000000);
    if (p && p->src.family) {
        yj_net_addr_str(&p->src, src, sizeof src);
        yj_net_addr_str(&p->dst, dst, sizeof dst);
        ev.src_ip = src;
        ev.dest_ip = dst;
        if (p->proto == 6 || p->proto == 17) {
            ev.src_port = p->sport;
            ev.dest_port = p->dport;
        }
        ev.proto = yj_net_proto_name(p->proto);
    }
    ev.u.anomaly.type = type;
    ev.u.anomaly.event = event;
    ev.u.anomaly.packet = n->pktno;
    n->h.on_event(n->h.ctx, &ev);
}

static void bad(struct yj_net *n, const char *event, const struct yj_net_packet *p)
{
    n->st.invalid++;
    yj_net_anomaly(n, "decode", event, p);
}

/* ---- transport ---- */

static void decode_tcp(struct yj_net *n, struct yj_net_packet *p, const uint8_t *d,
                       size_t len, size_t declared)
{
    n->st.tcp++;
    if (len < 20) {
        if (!n->snapped || declared < 20)
            bad(n, "tcp.pkt_too_small", p);
        return;
    }
    size_t hl = (size_t)(d[12] >> 4) * 4;
    p->sport = rd16(d);
    p->dport = rd16(d + 2);
    p->seq = rd32(d + 4);
    p->ack = rd32(d + 8);
    p->tcp_flags = d[13];
    p->window = rd16(d + 14);
    if (hl < 20) {
        bad(n, "tcp.hlen_too_small", p);
        return;
    }
    if (hl > len) {
        if (!n->snapped || hl > declared)
            bad(n, "tcp.invalid_optlen", p);
        return;
    }
    /* Options: kind 0 ends, 1 pads, others carry a length >= 2 that must fit. */
    for (size_t i = 20; i < hl;) {
        uint8_t kind = d[i];
        if (kind == 0)
            break;
        if (kind == 1) {
            i++;
            continue;
        }
        if (i + 1 >= hl || d[i + 1] < 2 || i + d[i + 1] > hl) {
            bad(n, "tcp.opt_invalid_len", p);
            return;
        }
        i += d[i + 1];
    }
    p->payload = d + hl;
    p->payload_len = len - hl;
    yj_net_flow_packet(n, p);
    if (p->flow)
        yj_net_stream_packet(n, (struct flow_ent *)p->flow, p, declared - hl);
}

static void decode_udp(struct yj_net *n, struct yj_net_packet *p, const uint8_t *d,
                       size_t len, size_t declared)
{
    n->st.udp++;
    if (len < 8) {
        if (!n->snapped || declared < 8)
            bad(n, "udp.pkt_too_small", p);
        return;
    }
    p->sport = rd16(d);
    p->dport = rd16(d + 2);
    size_t ul = rd16(d + 4);
    if (ul < 8 || ul > declared) {
        bad(n, "udp.hlen_invalid", p);
        return;
    }
    p->payload = d + 8;
    p->payload_len = (ul < len ? ul : len) - 8;
    yj_net_flow_packet(n, p);
}

static void decode_icmp(struct yj_net *n, struct yj_net_packet *p, const uint8_t *d,
                        size_t len, bool v6)
{
    if (v6)
        n->st.icmpv6++;
    else
        n->st.icmpv4++;
    if (len < 4) {
        bad(n, v6 ? "icmpv6.pkt_too_small" : "icmpv4.pkt_too_small", p);
        return;
    }
    p->sport = d[0];
    p->dport = d[1];
    bool echo = v6 ? (d[0] == 128 || d[0] == 129) : (d[0] == 8 || d[0] == 0);
    if (echo && len >= 8)
        p->icmp_id = rd16(d + 4);
    p->payload = d + (len >= 8 ? 8 : 4);
    p->payload_len = len - (len >= 8 ? 8 : 4);
    yj_net_flow_packet(n, p);
}

static void decode_l4(struct yj_net *n, struct yj_net_packet *p, const uint8_t *d, size_t len,
                      size_t declared)
{
    switch (p->proto) {
    case 6: decode_tcp(n, p, d, len, declared); break;
    case 17: decode_udp(n, p, d, len, declared); break;
    case 1: decode_icmp(n, p, d, len, false); break;
    case 58: decode_icmp(n, p, d, len, true); break;
    default:
        n->st.other_l4++;
        p->payload = d;
        p->payload_len = len;
        yj_net_flow_packet(n, p);
        break;
    }
}

/* ---- IPv4 ---- */

static bool ipv4_options(const uint8_t *o, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (o[i] == 0)
            return true; /* end of list */
        if (o[i] == 1) {
            i++;
            continue;
        }
        if (i + 1 >= n || o[i + 1] < 2 || i + o[i + 1] > n)
            return false;
        i += o[i + 1];
    }
    return true;
}

static void decode_ipv4(struct yj_net *n, struct yj_net_packet *p, const uint8_t *d, size_t len)
{
    n->st.ipv4++;
    if (len < 20) {
        if (!n->snapped)
            bad(n, "ipv4.pkt_too_small", p);
        return;
    }
    if (d[0] >> 4 != 4) {
        bad(n, "ipv4.wrong_ip_version", p);
        return;
    }
    size_t hl = (size_t)(d[0] & 15) * 4;
    size_t tot = rd16(d + 2);
    p->ipver = 4;
    p->proto = d[9];
    p->ttl = d[8];
    p->src.family = p->dst.family = 4;
    memcpy(p->src.a, d + 12, 4);
    memcpy(p->dst.a, d + 16, 4);
    if (hl < 20) {
        bad(n, "ipv4.hlen_too_small", p);
        return;
    }
    if (tot < hl) {
        bad(n, "ipv4.iplen_smaller_than_hlen", p);
        return;
    }
    if (hl > len) {
        bad(n, "ipv4.pkt_too_small", p);
        return;
    }
    if (tot > len && !n->snapped) {
        bad(n, "ipv4.trunc_pkt", p);
        return;
    }
    if (hl > 20 && !ipv4_options(d + 20, hl - 20)) {
        bad(n, "ipv4.opt_invalid_len", p);
        return;
    }
    size_t avail = (tot < len ? tot : len); /* trims Ethernet padding */
    p->l3 = d;
    p->l3_len = avail;
    uint16_t fo = rd16(d + 6);
    bool more = fo & 0x2000;
    uint32_t off = (uint32_t)(fo & 0x1fff) * 8;
    if (more || off) {
        n->st.frag4++;
        if (avail < tot) {
            bad(n, "ipv4.trunc_pkt", p); /* a fragment cut by the snap length is unusable */
            return;
        }
        yj_net_defrag4(n, d, hl, d + hl, tot - hl, off, more, p);
        return;
    }
    decode_l4(n, p, d + hl, avail - hl, tot - hl);
}

/* ---- IPv6 ---- */

static void decode_ipv6(struct yj_net *n, struct yj_net_packet *p, const uint8_t *d, size_t len)
{
    n->st.ipv6++;
    if (len < 40) {
        if (!n->snapped)
            bad(n, "ipv6.pkt_too_small", p);
        return;
    }
    if (d[0] >> 4 != 6) {
        bad(n, "ipv6.wrong_ip_version", p);
        return;
    }
    size_t plen = rd16(d + 4);
    p->ipver = 6;
    p->ttl = d[7];
    p->src.family = p->dst.family = 6;
    memcpy(p->src.a, d + 8, 16);
    memcpy(p->dst.a, d + 24, 16);
    p->proto = d[6];
    if (40 + plen > len && !n->snapped) {
        bad(n, "ipv6.trunc_pkt", p);
        return;
    }
    size_t avail = 40 + plen < len ? 40 + plen : len;
    p->l3 = d;
    p->l3_len = avail;
    /* Walk the extension header chain: hop-by-hop (0), routing (43), fragment (44),
     * destination options (60), AH (51). ESP (50) and no-next-header (59) end it. */
    size_t off = 40;
    uint8_t nh = d[6];
    bool seen_frag = false, seen_hbh = false;
    for (unsigned count = 0;; count++) {
        if (count > 16) {
            bad(n, "ipv6.exthdr_too_many", p);
            return;
        }
        if (nh == 0 || nh == 43 || nh == 60 || nh == 51) {
            if (nh == 0 && (seen_hbh || off != 40)) {
                bad(n, "ipv6.hopopts_not_first", p);
                return;
            }
            seen_hbh = seen_hbh || nh == 0;
            if (off + 2 > avail) {
                bad(n, "ipv6.trunc_exthdr", p);
                return;
            }
            size_t hl = nh == 51 ? ((size_t)d[off + 1] + 2) * 4 : ((size_t)d[off + 1] + 1) * 8;
            if (off + hl > avail) {
                bad(n, "ipv6.trunc_exthdr", p);
                return;
            }
            nh = d[off];
            off += hl;
            continue;
        }
        if (nh == 44) {
            if (off + 8 > avail) {
                bad(n, "ipv6.trunc_exthdr", p);
                return;
            }
            if (seen_frag) {
                bad(n, "ipv6.exthdr_dupl_fh", p);
                return;
            }
            seen_frag = true;
            uint16_t fo = rd16(d + off + 2);
            uint32_t foff = (uint32_t)(fo >> 3) * 8;
            bool more = fo & 1;
            uint32_t id = rd32(d + off + 4);
            uint8_t inner = d[off];
            off += 8;
            if (!more && foff == 0) {
                /* An atomic fragment (RFC 6946): the datagram is whole. */
                nh = inner;
                continue;
            }
            n->st.frag6++;
            if (avail < 40 + plen) {
                bad(n, "ipv6.trunc_pkt", p);
                return;
            }
            yj_net_defrag6(n, d, inner, d + off, avail - off, foff, more, id, p);
            return;
        }
        break;
    }
    p->proto = nh;
    decode_l4(n, p, d + off, avail - off, 40 + plen - off);
}

void yj_net_decode_ip(struct yj_net *n, const uint8_t *d, size_t len, bool reassembled,
                      uint64_t frame_bytes)
{
    struct yj_net_packet p;
    memset(&p, 0, offsetof(struct yj_net_packet, src));
    memset(&p.src, 0, sizeof p - offsetof(struct yj_net_packet, src));
    p.num = n->pktno;
    p.ts_us = n->now_us;
    p.caplen = n->caplen;
    p.wirelen = (uint32_t)frame_bytes;
    p.nvlan = n->nvlan;
    p.vlan[0] = n->vlan[0];
    p.vlan[1] = n->vlan[1];
    p.reassembled = reassembled;
    if (len < 1) {
        if (!n->snapped)
            bad(n, "ipraw.invalid_ip_version", &p);
        return;
    }
    if (d[0] >> 4 == 4)
        decode_ipv4(n, &p, d, len);
    else if (d[0] >> 4 == 6)
        decode_ipv6(n, &p, d, len);
    else
        bad(n, "ipraw.invalid_ip_version", &p);
}

/* ---- link layer ---- */

static void decode_arp(struct yj_net *n, const uint8_t *d, size_t len)
{
    n->st.arp++;
    /* htype(2) ptype(2) hlen plen op(2) sha spa tha tpa */
    if (len < 28) {
        bad(n, "arp.pkt_too_small", NULL);
        return;
    }
    if (rd16(d) != 1 || rd16(d + 2) != 0x0800 || d[4] != 6 || d[5] != 4)
        return; /* not Ethernet/IPv4: nothing we look at */
    struct yj_net_arp a;
    a.num = n->pktno;
    a.ts_us = n->now_us;
    a.op = rd16(d + 6);
    memcpy(a.sha, d + 8, 6);
    memcpy(a.spa, d + 14, 4);
    memcpy(a.tha, d + 18, 6);
    memcpy(a.tpa, d + 24, 4);
    a.vlan = n->nvlan ? n->vlan[n->nvlan - 1] : 0;
    if (n->h.on_arp)
        n->h.on_arp(n->h.ctx, &a);
}

/* An ethertype and what follows it; VLAN tags recurse at most twice (QinQ). */
static void decode_ethertype(struct yj_net *n, uint16_t type, const uint8_t *d, size_t len)
{
    while (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
        n->st.vlan++;
        if (n->nvlan == 2) {
            bad(n, "vlan.too_many_layers", NULL);
            return;
        }
        if (len < 4) {
            bad(n, "vlan.header_too_small", NULL);
            return;
        }
        if (n->nvlan == 1)
            n->st.vlan_qinq++;
        n->vlan[n->nvlan++] = rd16(d) & 0x0fff;
        type = rd16(d + 2);
        d += 4;
        len -= 4;
    }
    switch (type) {
    case 0x0800:
    case 0x86dd: yj_net_decode_ip(n, d, len, false, n->wirelen); break;
    case 0x0806: decode_arp(n, d, len); break;
    default: n->st.other_l3++; break;
    }
}

void yj_net_feed(struct yj_net *n, int linktype, int64_t ts_us, const uint8_t *d,
                 uint32_t caplen, uint32_t wirelen)
{
    n->pktno++;
    n->st.pkts++;
    if (wirelen < caplen)
        wirelen = caplen;
    n->st.bytes += wirelen;
    if (!n->st.first_us)
        n->st.first_us = ts_us;
    if (ts_us > n->now_us)
        n->now_us = ts_us;
    n->st.last_us = n->now_us;
    n->caplen = caplen;
    n->wirelen = wirelen;
    n->snapped = caplen < wirelen;
    n->nvlan = 0;
    n->vlan[0] = n->vlan[1] = 0;
    if (n->now_us - n->last_sweep_us >= 1000000) {
        n->last_sweep_us = n->now_us;
        yj_net_flow_expire(n);
        yj_net_defrag_expire(n);
    }
    size_t len = caplen;
    switch (linktype) {
    case YJ_NET_DLT_EN10MB:
        n->st.ethernet++;
        if (len < 14) {
            bad(n, "ethernet.pkt_too_small", NULL);
            return;
        }
        decode_ethertype(n, rd16(d + 12), d + 14, len - 14);
        return;
    case YJ_NET_DLT_LINUX_SLL:
        if (len < 16) {
            bad(n, "sll.pkt_too_small", NULL);
            return;
        }
        decode_ethertype(n, rd16(d + 14), d + 16, len - 16);
        return;
    case YJ_NET_DLT_LINUX_SLL2:
        if (len < 20) {
            bad(n, "sll2.pkt_too_small", NULL);
            return;
        }
        decode_ethertype(n, rd16(d), d + 20, len - 20);
        return;
    case YJ_NET_DLT_RAW:
    case 14:
    case YJ_NET_LINKTYPE_RAW:
    case YJ_NET_DLT_IPV4:
    case YJ_NET_DLT_IPV6: yj_net_decode_ip(n, d, len, false, wirelen); return;
    case YJ_NET_DLT_NULL:
    case YJ_NET_DLT_LOOP: {
        if (len < 4) {
            bad(n, "null.pkt_too_small", NULL);
            return;
        }
        /* The address family, in the capturing host's byte order (NULL) or big-endian
         * (LOOP): AF_INET is 2 everywhere; AF_INET6 is 10, 24, 28 or 30. */
        uint32_t be = rd32(d), le = (uint32_t)d[0] | (uint32_t)d[1] << 8 |
                                    (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
        uint32_t fam = linktype == YJ_NET_DLT_LOOP ? be : (be < 256 ? be : le);
        if (fam == 2 || fam == 10 || fam == 24 || fam == 28 || fam == 30)
            yj_net_decode_ip(n, d + 4, len - 4, false, wirelen);
        else
            n->st.other_l3++;
        return;
    }
    default: n->st.unsupported_link++; return;
    }
}
