/* Beaconing (YJ-NET-3006): one machine opening new connections to the same address and
 * port on a timer. Per (source, destination, port, protocol) the start times of the last
 * BEACON_KEEP connections are kept; starts closer than `interval` seconds to the previous
 * one belong to the same burst and are not added. When `count` starts are there, their
 * intervals must average at least `interval` seconds with a standard deviation of at most
 * `jitter` percent of the average. One alert per pair while it stays in the table.
 * The same test runs inside one long connection: the client's bursts of data (data after
 * at least interval/2 seconds of its silence) at regular intervals, `count` in a row, are
 * a heartbeat (a remote-control program keeping its line to its owner open); one alert
 * per connection.
 * DNS, NTP, NetBIOS, mDNS and SSDP run on timers by design and are never counted. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "sensor_int.h"

#define BEACON_KEEP 32 /* count is at most 32 */

struct pair {
    struct nd_slot sl;
    struct {
        struct yj_net_addr src, dst;
        uint16_t port;
        uint8_t proto;
    } key;
    int64_t start[BEACON_KEEP]; /* a ring, next at n % BEACON_KEEP */
    uint32_t n;
    bool alerted;
};

static void *bc_new(struct yj_sensor *s)
{
    return nd_det_new(s, sizeof(struct pair), sizeof(((struct pair *)0)->key));
}

static bool timer_port(uint16_t p)
{
    return p == 53 || p == 123 || p == 137 || p == 138 || p == 5353 || p == 1900 || p == 67 ||
           p == 68 || p == 5355;
}

/* Whether the last k starts of e tick like a timer; *mean gets their average interval. */
static bool regular(const struct pair *e, unsigned k, const struct nd_conf *c, double *mean)
{
    double sum = 0, sq = 0;
    for (unsigned i = 1; i < k; i++) {
        uint32_t a = e->n - k + i - 1, b = a + 1;
        double d = (double)(e->start[b % BEACON_KEEP] - e->start[a % BEACON_KEEP]) / 1e6;
        sum += d;
        sq += d * d;
    }
    double m = sum / (k - 1), var = sq / (k - 1) - m * m;
    *mean = m;
    return m >= c->beacon_interval && sqrt(var > 0 ? var : 0) * 100.0 <= c->beacon_jitter * m;
}

static void beacon_alert(struct nd_det *b, const struct yj_net_flow *f, int64_t ts, double mean,
                         unsigned times, const char *how)
{
    char detail[64];
    snprintf(detail, sizeof detail, "every %.0f s, %u times%s", mean, times, how);
    struct nd_alert a = {
        .sig = ND_SIG_BEACON,
        .ts_us = ts,
        .flow = f,
        .detail = detail,
        .count = times,
    };
    nd_raise(b->s, &a);
}

/* The client's bursts of data inside one connection. */
static void heartbeat(struct nd_det *b, const struct yj_net_packet *p, struct nd_flow *fl)
{
    int64_t ts = p->ts_us, iv_min = (int64_t)b->c->beacon_interval * 1000000;
    bool burst = !fl->data_us || ts - fl->data_us >= iv_min / 2;
    fl->data_us = ts;
    if (!burst || (fl->seen & ND_FLOW_BEAT))
        return;
    int64_t iv = fl->burst_us ? ts - fl->burst_us : 0;
    fl->burst_us = ts;
    double ms = (double)iv / 1000.0;
    if (iv < iv_min || !fl->beats ||
        fabs(ms - fl->beat_ms) * 100.0 > b->c->beacon_jitter * (double)fl->beat_ms) {
        fl->beats = iv >= iv_min ? 1 : 0; /* a new run starts with this interval */
        fl->beat_ms = (uint32_t)ms;
        return;
    }
    fl->beat_ms = (uint32_t)(((double)fl->beat_ms * fl->beats + ms) / (fl->beats + 1));
    fl->beats++;
    if (fl->beats + 1u < b->c->beacon_count)
        return;
    fl->seen |= ND_FLOW_BEAT;
    beacon_alert(b, p->flow, ts, fl->beat_ms / 1000.0, fl->beats + 1U, " in one connection");
}

static void bc_packet(void *state, const struct yj_net_packet *p)
{
    struct nd_det *b = state;
    struct yj_net_flow *f = p->flow;
    struct nd_flow *fl = nd_flow(f);
    if (!fl || (f->proto != 6 && f->proto != 17) || timer_port(f->dport) || timer_port(f->sport) ||
        nd_addr_group(&f->dst))
        return;
    if (p->dir == YJ_NET_TOSERVER && p->payload_len && f->proto == 6)
        heartbeat(b, p, fl);
    if (fl->seen & ND_FLOW_START)
        return;
    fl->seen |= ND_FLOW_START;
    if (f->proto == 6 && !(f->tcp_flags[0] & 0x02))
        return;
    struct pair k = {0};
    k.key.src = f->src;
    k.key.dst = f->dst;
    k.key.port = f->dport;
    k.key.proto = f->proto;
    int64_t ts = f->start_us;
    int64_t keep = (int64_t)b->c->beacon_interval * 1000000 * 64;
    bool fresh;
    struct pair *e = nd_table_get(&b->t, &k.key, ts, ts - keep, &fresh);
    if (!e || e->alerted)
        return;
    if (e->n && ts - e->start[(e->n - 1) % BEACON_KEEP] < (int64_t)b->c->beacon_interval * 1000000)
        return; /* the same burst */
    e->start[e->n % BEACON_KEEP] = ts;
    e->n++;
    double mean;
    unsigned k_ = b->c->beacon_count;
    if (e->n < k_ || !regular(e, k_, b->c, &mean))
        return;
    e->alerted = true;
    beacon_alert(b, f, ts, mean, k_, "");
}

const struct nd_ops nd_beacon = {
    .name = "beacon",
    .new = bc_new,
    .free = nd_det_free,
    .packet = bc_packet,
};
