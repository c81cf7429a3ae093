/* Port scans seen in firewall logs, per source address:
 *
 *   port scan   packets from one source dropped on >= scan_ports distinct destination ports
 *               (TCP and UDP ports told apart) within scan_window
 *
 * The window starts at a source's first counted drop and restarts when one falls outside
 * it. The distinct ports of the window are kept (at most YJ_HOST_PORTS, the cap of the
 * threshold). Once raised, later drops from the source within the window add to the alert
 * and push the window on, so one scan is one alert; a source that comes back after a quiet
 * window raises a new one. The sources' table (table_size entries) is allocated with the
 * first drop. */
#include <stdlib.h>
#include <string.h>

#include "detect_int.h"

struct drop_entry {
    char ip[YJ_HOST_IP_MAX];
    tick start;
    uint32_t drops; /* counted drops in the window */
    uint8_t nports;
    uint16_t ports[YJ_HOST_PORTS]; /* the distinct ports of the window */
    uint64_t other;                /* bit k: ports[k] was not TCP (UDP, SCTP, ...) */
    int32_t alert;  /* index into alerts + 1, 0 none */
    int64_t until;
};

static const char *drop_key(void *ctx, size_t i)
{
    return ((struct yj_host_detect *)ctx)->drop[i].ip;
}

void yj_hd_drop_free(struct yj_host_detect *d)
{
    free(d->dt.slot);
    free(d->drop);
    d->dt.slot = NULL;
    d->drop = NULL;
}

void yj_hd_drop(struct yj_host_detect *d, int64_t ts, const struct yj_drop *p, size_t *out,
                size_t *nout)
{
    const struct yj_host_config *c = &d->cfg;
    if (!p->drop || !p->dpt || !p->src[0])
        return;
    if (!d->drop) {
        yj_hd_table_init(&d->dt, c->table_size);
        d->drop = yj_xcalloc(c->table_size, sizeof *d->drop);
    }
    bool fresh;
    size_t i = yj_hd_lookup(&d->dt, p->src, yj_hd_hash(p->src), drop_key, d, &fresh);
    if (i == (size_t)-1) {
        d->stats.sources_dropped++;
        return;
    }
    struct drop_entry *e = &d->drop[i];
    if (fresh) {
        memcpy(e->ip, p->src, strlen(p->src) + 1);
        e->start = tk(ts);
    }
    if (e->alert && ts <= e->until) {
        struct yj_host_alert *a = &d->alerts[e->alert - 1];
        if (ts >= a->last - (int64_t)c->scan_window) { /* else: files out of order */
            a->count++;
            if (ts > a->last)
                a->last = ts;
            e->until = ts + c->scan_window;
            return;
        }
    }
    int64_t since = (int64_t)tk(ts) - (int64_t)e->start;
    if (since > (int64_t)c->scan_window || since < -(int64_t)c->scan_window) {
        e->start = tk(ts);
        e->drops = 0;
        e->nports = 0;
    }
    uint16_t port = (uint16_t)p->dpt;
    uint64_t tcp = strcmp(p->proto, "TCP") == 0;
    e->drops++;
    bool seen = false;
    for (unsigned k = 0; k < e->nports && !seen; k++)
        seen = e->ports[k] == port && ((e->other >> k) & 1) != tcp;
    if (!seen && e->nports < YJ_HOST_PORTS) {
        e->other = (e->other & ~(1ull << e->nports)) | (uint64_t)!tcp << e->nports;
        e->ports[e->nports++] = port;
    }
    if (seen || e->nports < c->scan_ports)
        return;
    e->alert = yj_hd_raise(d, YJ_HOST_SIG_PORT_SCAN, e->ip, "", e->drops, e->start, ts);
    e->until = ts + c->scan_window;
    if (e->alert)
        out[(*nout)++] = (size_t)e->alert - 1;
}
