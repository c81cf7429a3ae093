/* Port scans (YJ-NET-3001 vertical, 3002 horizontal): per source, the distinct (machine,
 * port) pairs it probed within the window. A probe is a connection attempt that went
 * nowhere, so ordinary traffic never counts:
 *
 *   TCP  the server refused (RST) before any data     -> SYN probe
 *        the client reset an answered handshake        -> SYN probe (half-open, no ACK sent)
 *             before any data                          -> connect probe (it had ACKed)
 *        no answer at all by the flow's end            -> SYN probe
 *        opened and closed without a byte of data      -> connect probe
 *   UDP  "port unreachable" came back, or no answer by the flow's end -> UDP probe
 *
 * Many ports of one machine is a vertical scan, one port on many machines a horizontal
 * one; whichever comes first is the one alert for that source in the window. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensor_int.h"

#define SCAN_PROBES 128 /* distinct probes kept per source (thresholds are at most 100) */

enum { K_SYN = 1, K_CONNECT = 2, K_UDP = 4 };

struct probe {
    uint32_t host; /* hash of the destination address */
    uint16_t port;
    uint8_t proto;
};

struct src {
    struct nd_slot sl;
    struct yj_net_addr key;
    struct nd_win w; /* w.n: probes kept in p */
    uint8_t kinds;
    struct probe p[SCAN_PROBES];
};

static void *scan_new(struct yj_sensor *s)
{
    return nd_det_new(s, sizeof(struct src), sizeof(struct yj_net_addr));
}

static const char *kind_name(uint8_t kinds)
{
    if (kinds & K_CONNECT)
        return "TCP connect";
    if (kinds & K_SYN)
        return kinds & K_UDP ? "TCP SYN+UDP" : "TCP SYN";
    return "UDP";
}

static void probe(struct nd_det *sc, int64_t ts, const struct yj_net_addr *src,
                  const struct yj_net_addr *dst, uint16_t port, uint8_t proto, uint8_t kind)
{
    if (nd_addr_group(dst) || nd_addr_group(src))
        return;
    int64_t win = (int64_t)sc->c->scan_window * 1000000;
    bool fresh;
    struct src *e = nd_table_get(&sc->t, src, ts, ts - win, &fresh);
    if (!e)
        return;
    if (nd_win_roll(&e->w, fresh, ts, win))
        e->kinds = 0;
    struct probe pr = {nd_hash(dst, sizeof *dst), port, proto};
    unsigned same_host = 1, same_port = 1;
    for (unsigned i = 0; i < e->w.n; i++) {
        if (e->p[i].host == pr.host && e->p[i].port == port && e->p[i].proto == proto)
            return; /* probed before in this window */
        same_host += e->p[i].host == pr.host;
        same_port += e->p[i].port == port && e->p[i].proto == proto;
    }
    if (e->w.n == SCAN_PROBES) {
        sc->over++;
        return;
    }
    e->p[e->w.n++] = pr;
    e->kinds |= kind;
    if (e->w.alerted)
        return;
    bool vertical = same_host >= sc->c->scan_ports;
    if (!vertical && same_port < sc->c->scan_hosts)
        return;
    e->w.alerted = true;
    char s[64], d[64], detail[64];
    yj_net_addr_str(src, s, sizeof s);
    yj_net_addr_str(dst, d, sizeof d);
    if (vertical)
        snprintf(detail, sizeof detail, "%u ports (%s)", same_host, kind_name(e->kinds));
    else
        snprintf(detail, sizeof detail, "%s port %u (%s)", proto == 17 ? "UDP" : "TCP", port,
                 kind_name(e->kinds));
    struct nd_alert a = {
        .sig = vertical ? ND_SIG_SCAN_PORTS : ND_SIG_SCAN_HOSTS,
        .ts_us = ts,
        .src_ip = s,
        .dest_ip = vertical ? d : NULL,
        .dest_port = vertical ? 0 : port,
        .proto = proto,
        .detail = detail,
        .count = vertical ? same_host : same_port,
    };
    nd_raise(sc->s, &a);
}

enum { FIN = 0x01, SYN = 0x02, RST = 0x04, ACK = 0x10 };

/* ICMP "port unreachable" (type 3 code 3) quotes the IPv4 header and the first 8 bytes of
 * the UDP datagram it refuses: the prober is the quoted source. */
static void unreachable(struct nd_det *sc, const struct yj_net_packet *p)
{
    const uint8_t *q = p->payload;
    if (p->ipver != 4 || p->proto != 1 || p->sport != 3 || p->dport != 3 || p->payload_len < 28 ||
        (q[0] >> 4) != 4 || q[9] != 17)
        return;
    size_t hl = (size_t)(q[0] & 15) * 4;
    if (hl < 20 || p->payload_len < hl + 4)
        return;
    struct yj_net_addr src = {.family = 4}, dst = {.family = 4};
    memcpy(src.a, q + 12, 4);
    memcpy(dst.a, q + 16, 4);
    probe(sc, p->ts_us, &src, &dst, (uint16_t)(q[hl + 2] << 8 | q[hl + 3]), 17, K_UDP);
}

static void scan_packet(void *state, const struct yj_net_packet *p)
{
    struct nd_det *sc = state;
    struct yj_net_flow *f = p->flow;
    struct nd_flow *fl = nd_flow(f);
    nd_flow_account(p); /* first of the detector rows: keeps nd_flow's counts for all */
    if (p->proto == 1) {
        unreachable(sc, p);
        return;
    }
    if (!fl || p->proto != 6 || (fl->seen & ND_FLOW_PROBE) || !(f->tcp_flags[0] & SYN) ||
        fl->cli_payload || fl->srv_payload || !(p->tcp_flags & RST))
        return;
    if (p->dir == YJ_NET_TOCLIENT && !(f->tcp_flags[1] & SYN)) {
        fl->seen |= ND_FLOW_PROBE; /* refused */
        probe(sc, p->ts_us, &f->src, &f->dst, f->dport, 6, K_SYN);
    } else if (p->dir == YJ_NET_TOSERVER && (f->tcp_flags[1] & (SYN | ACK)) == (SYN | ACK)) {
        fl->seen |= ND_FLOW_PROBE; /* answered, then dropped by the client */
        probe(sc, p->ts_us, &f->src, &f->dst, f->dport, 6,
              (f->tcp_flags[0] & ACK) ? K_CONNECT : K_SYN);
    }
}

static void scan_flow_end(void *state, const struct yj_net_flow *f)
{
    struct nd_det *sc = state;
    struct nd_flow *fl = nd_flow(f);
    if (!fl || (fl->seen & ND_FLOW_PROBE))
        return;
    if (f->proto == 17 && f->pkts[1] == 0)
        probe(sc, f->start_us, &f->src, &f->dst, f->dport, 17, K_UDP);
    if (f->proto != 6 || fl->cli_payload || fl->srv_payload)
        return;
    if ((f->tcp_flags[0] & SYN) && !(f->tcp_flags[0] & RST) && f->pkts[1] == 0)
        probe(sc, f->start_us, &f->src, &f->dst, f->dport, 6, K_SYN);
    else if ((f->tcp_flags[0] & (SYN | ACK | FIN)) == (SYN | ACK | FIN) && (f->tcp_flags[1] & SYN))
        probe(sc, f->start_us, &f->src, &f->dst, f->dport, 6, K_CONNECT);
}

const struct nd_ops nd_scan = {
    .name = "scan",
    .new = scan_new,
    .free = nd_det_free,
    .packet = scan_packet,
    .flow_end = scan_flow_end,
};
