/* Applications a small office should know about, from nDPI's identification (ndpi.c):
 * remote-access tools (TeamViewer, AnyDesk, VNC, RDP, ...), Tor, peer-to-peer file sharing
 * and cryptocurrency mining pools. One alert per (client address, kind) per hour. */
#include <stdio.h>
#include <stdlib.h>

#include "sensor_int.h"

#define HOUR_US (3600 * (int64_t)1000000)

struct apps {
    struct yj_sensor *s;
    struct nd_recent *seen;
};

static void *apps_new(struct yj_sensor *s)
{
    struct apps *a = yj_xcalloc(1, sizeof *a);
    a->s = s;
    a->seen = nd_recent_new(4096);
    return a;
}

static void apps_free(void *state)
{
    struct apps *a = state;
    if (!a)
        return;
    nd_recent_free(a->seen);
    free(a);
}

static void apps_app(void *state, const struct yj_net_flow *f, int64_t ts_us)
{
    struct apps *a = state;
    const struct sensor_flow *sf = sensor_flow(f);
    enum nd_sig sig;
    switch ((enum appid_kind)sf->app_kind) {
    case APPID_REMOTE: sig = ND_SIG_APP_REMOTE; break;
    case APPID_TOR: sig = ND_SIG_APP_TOR; break;
    case APPID_P2P: sig = ND_SIG_APP_P2P; break;
    case APPID_MINING: sig = ND_SIG_APP_MINING; break;
    default: return;
    }
    char src[48];
    yj_net_addr_str(&f->src, src, sizeof src);
    uint64_t key = nd_hash_str(nd_hash_str(ND_HASH_STR_INIT + (uint64_t)sig, src), "apps");
    if (!nd_recent_first(a->seen, key, ts_us, HOUR_US))
        return;
    struct nd_alert al = {.sig = sig, .ts_us = ts_us, .flow = f, .detail = sf->app_name};
    nd_raise(a->s, &al);
}

const struct nd_ops nd_apps = {
    .name = "apps",
    .new = apps_new,
    .free = apps_free,
    .app = apps_app,
};
