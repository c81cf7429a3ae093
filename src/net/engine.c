/* The engine: configuration defaults, the one allocation of every table, counters and the
 * stats event. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "net_int.h"

void yj_net_config_default(struct yj_net_config *c)
{
    memset(c, 0, sizeof *c);
    c->max_flows = 65536;
    c->frag_trackers = 64;
    c->stream_depth = 65536;
    c->stream_segments = 4096;
    c->stream_ooo_flow = 32;
    c->to_tcp_new = 60;
    c->to_tcp_est = 600;
    c->to_tcp_closed = 10;
    c->to_udp_new = 30;
    c->to_udp_est = 300;
    c->to_other = 30;
    c->to_frag = 60;
}

struct yj_net *yj_net_new(const struct yj_net_config *c, const struct yj_net_hooks *h)
{
    struct yj_net *n = yj_xcalloc(1, sizeof *n);
    n->c = *c;
    if (n->c.max_flows < 1)
        n->c.max_flows = 1;
    if (n->c.max_flows > (1u << 26))
        n->c.max_flows = 1u << 26;
    if (h)
        n->h = *h;
    n->nbuckets = 1;
    while (n->nbuckets < 2 * n->c.max_flows)
        n->nbuckets <<= 1;
    n->flows = yj_xcalloc(n->c.max_flows, sizeof *n->flows);
    n->buckets = yj_xmalloc(n->nbuckets * sizeof *n->buckets);
    memset(n->buckets, 0xff, n->nbuckets * sizeof *n->buckets);
    if (n->c.ext_size)
        n->ext = yj_xcalloc(n->c.max_flows, n->c.ext_size);
    for (size_t i = 0; i < n->c.max_flows; i++) {
        n->flows[i].next = i + 1 < n->c.max_flows ? (uint32_t)(i + 1) : NIL;
        n->flows[i].prev = NIL;
        n->flows[i].pub.ext = n->ext ? n->ext + i * n->c.ext_size : NULL;
    }
    n->free_head = 0;
    const uint32_t to[FLOW_CLASSES] = {c->to_tcp_new, c->to_tcp_est, c->to_tcp_closed,
                                       c->to_udp_new, c->to_udp_est, c->to_other};
    for (int k = 0; k < FLOW_CLASSES; k++) {
        n->lru_head[k] = n->lru_tail[k] = NIL;
        n->class_to_us[k] = (int64_t)to[k] * 1000000;
    }
    size_t per = FRAG_ROOM + FRAG_MAX + FRAG_MAX / 8 + 1;
    if (n->c.frag_trackers) {
        n->frags = yj_xcalloc(n->c.frag_trackers, sizeof *n->frags);
        n->frag_mem = yj_xcalloc(n->c.frag_trackers, per);
        for (size_t i = 0; i < n->c.frag_trackers; i++) {
            n->frags[i].buf = n->frag_mem + i * per;
            n->frags[i].have = n->frags[i].buf + FRAG_ROOM + FRAG_MAX;
        }
    }
    n->seg_free = NIL;
    if (n->c.stream_segments) {
        if (n->c.stream_segments > (1u << 24))
            n->c.stream_segments = 1u << 24;
        n->segs = yj_xmalloc(n->c.stream_segments * sizeof *n->segs);
        for (size_t i = n->c.stream_segments; i-- > 0;) {
            n->segs[i].next = n->seg_free;
            n->seg_free = (uint32_t)i;
        }
    }
    return n;
}

void yj_net_free(struct yj_net *n)
{
    if (!n)
        return;
    free(n->flows);
    free(n->buckets);
    free(n->ext);
    free(n->frags);
    free(n->frag_mem);
    free(n->segs);
    free(n);
}

void yj_net_get_stats(const struct yj_net *n, struct yj_net_stats *out)
{
    *out = n->st;
}

void yj_net_addr_str(const struct yj_net_addr *a, char *out, size_t n)
{
    if (!n)
        return;
    out[0] = 0;
    if (a->family == 4 && n >= 16) {
        yj_ip4_str(a->a, out); /* inet_ntop goes through sprintf, once per flow event */
    } else if (a->family == 4) {
        inet_ntop(AF_INET, a->a, out, (socklen_t)n);
    } else if (a->family == 6) {
        inet_ntop(AF_INET6, a->a, out, (socklen_t)n);
    }
}

void yj_net_emit_stats(struct yj_net *n)
{
    if (!yj_net_wants(n, YJ_EVENT_STATS))
        return;
    const struct yj_net_stats *s = &n->st;
    const struct yj_event_stat rows[] = {
        {"decoder", "pkts", s->pkts},
        {"decoder", "bytes", s->bytes},
        {"decoder", "invalid", s->invalid},
        {"decoder", "ethernet", s->ethernet},
        {"decoder", "vlan", s->vlan},
        {"decoder", "vlan_qinq", s->vlan_qinq},
        {"decoder", "arp", s->arp},
        {"decoder", "ipv4", s->ipv4},
        {"decoder", "ipv6", s->ipv6},
        {"decoder", "tcp", s->tcp},
        {"decoder", "udp", s->udp},
        {"decoder", "icmpv4", s->icmpv4},
        {"decoder", "icmpv6", s->icmpv6},
        {"decoder", "other_l3", s->other_l3},
        {"decoder", "other_l4", s->other_l4},
        {"decoder", "unsupported_link", s->unsupported_link},
        {"decoder", "anomalies", s->anomalies},
        {"flow", "total", s->flows},
        {"flow", "tcp", s->flows_tcp},
        {"flow", "udp", s->flows_udp},
        {"flow", "icmp", s->flows_icmp},
        {"flow", "other", s->flows_other},
        {"flow", "active", s->flows_active},
        {"flow", "timeout", s->flows_timeout},
        {"flow", "shutdown", s->flows_shutdown},
        {"flow", "evicted", s->flows_evicted},
        {"flow", "memcap", s->flows_refused},
        {"flow", "pkts_untracked", s->flow_pkts_untracked},
        {"defrag.ipv4", "fragments", s->frag4},
        {"defrag.ipv4", "reassembled", s->reasm4},
        {"defrag.ipv6", "fragments", s->frag6},
        {"defrag.ipv6", "reassembled", s->reasm6},
        {"defrag", "overlaps", s->frag_overlap},
        {"defrag", "invalid", s->frag_invalid},
        {"defrag", "timeouts", s->frag_timeout},
        {"defrag", "max_trackers_reached", s->frag_trackers_full},
        {"tcp", "stream_depth_reached", s->stream_depth_reached},
        {"tcp", "reassembly_gap", s->stream_gaps},
        {"tcp", "ooo_queued", s->stream_ooo_queued},
        {"tcp", "ooo_dropped", s->stream_ooo_dropped},
    };
    struct yj_event ev = {.type = YJ_EVENT_STATS};
    ev.ts = n->now_us / 1000000;
    ev.ts_usec = (uint32_t)(n->now_us % 1000000);
    ev.u.stats.uptime = (uint64_t)((s->last_us - s->first_us) / 1000000);
    ev.u.stats.v = rows;
    ev.u.stats.n = sizeof rows / sizeof rows[0];
    n->h.on_event(n->h.ctx, &ev);
}
