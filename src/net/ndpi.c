/* Application identification with nDPI: one detection module per sensor, and nDPI's per-flow
 * state from a fixed pool, so only a bounded number of flows are under identification at
 * once (nDPI's flow state is large: never one per flow-table slot). A flow takes a slot at
 * its first packet with a free slot, feeds nDPI until nDPI decides or APPID_MAX_PKTS packets
 * have gone by, then gives the slot back. The result lands in the flow's sensor_flow
 * (app_proto, app_name, app_kind) and goes to the detectors through sensor_on_app. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ndpi_api.h>

#include "sensor_int.h"

#define APPID_SLOTS 4096   /* flows under identification at once */
#define APPID_MAX_PKTS 16  /* packets (both directions) before giving up */

struct appid {
    struct yj_sensor *s;
    struct ndpi_detection_module_struct *mod;
    struct ndpi_flow_struct *pool; /* APPID_SLOTS states */
    uint32_t *free_slots;          /* stack of free slot numbers */
    uint32_t nfree;
    uint64_t no_slot;              /* flows that found the pool full */
};

struct appid *appid_new(struct yj_sensor *s)
{
    struct ndpi_detection_module_struct *mod = ndpi_init_detection_module(ndpi_no_prefs);
    if (!mod)
        return NULL;
    NDPI_PROTOCOL_BITMASK all;
    NDPI_BITMASK_SET_ALL(all);
    ndpi_set_protocol_detection_bitmask2(mod, &all);
    ndpi_finalize_initialization(mod);
    struct appid *n = yj_xcalloc(1, sizeof *n);
    n->s = s;
    n->mod = mod;
    n->pool = yj_xcalloc(APPID_SLOTS, SIZEOF_FLOW_STRUCT);
    n->free_slots = yj_xcalloc(APPID_SLOTS, sizeof *n->free_slots);
    for (uint32_t i = 0; i < APPID_SLOTS; i++)
        n->free_slots[i] = APPID_SLOTS - 1 - i;
    n->nfree = APPID_SLOTS;
    return n;
}

void appid_free(struct appid *n)
{
    if (!n)
        return;
    for (uint32_t i = 0; i < APPID_SLOTS; i++)
        ndpi_free_flow_data(&n->pool[i]);
    free(n->pool);
    free(n->free_slots);
    ndpi_exit_detection_module(n->mod);
    free(n);
}

static bool is_any(uint16_t a, uint16_t b, const uint16_t *ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a == ids[i] || b == ids[i])
            return true;
    return false;
}

/* A private, loopback or link-local address (the office's own network). */
static bool is_local(const struct yj_net_addr *a)
{
    const uint8_t *b = a->a;
    if (a->family == 4)
        return b[0] == 10 || b[0] == 127 || (b[0] == 172 && (b[1] & 0xf0) == 16) ||
               (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254) ||
               (b[0] == 100 && (b[1] & 0xc0) == 64);
    static const uint8_t loop6[16] = {[15] = 1};
    return (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) ||
           memcmp(b, loop6, 16) == 0;
}

/* Remote-access tools, Tor, P2P and mining pools, from nDPI's protocol and category. SSH and
 * Telnet are left to the other detectors (an administrator's everyday tools); RDP, VNC and
 * the rest of nDPI's remote-access category count only when they cross the internet
 * (inside the office they are administration). */
static enum appid_kind kind_of(ndpi_protocol p, const struct yj_net_flow *f)
{
    static const uint16_t remote[] = {NDPI_PROTOCOL_TEAMVIEWER, NDPI_PROTOCOL_ANYDESK};
    static const uint16_t remote_wan[] = {NDPI_PROTOCOL_VNC, NDPI_PROTOCOL_RDP};
    static const uint16_t p2p[] = {NDPI_PROTOCOL_BITTORRENT, NDPI_PROTOCOL_EDONKEY,
                                   NDPI_PROTOCOL_GNUTELLA, NDPI_PROTOCOL_DIRECTCONNECT,
                                   NDPI_PROTOCOL_FASTTRACK, NDPI_PROTOCOL_OPENFT,
                                   NDPI_PROTOCOL_APPLEJUICE, NDPI_PROTOCOL_THUNDER};
    uint16_t a = p.master_protocol, b = p.app_protocol;
    if (a == NDPI_PROTOCOL_TOR || b == NDPI_PROTOCOL_TOR)
        return APPID_TOR;
    if (a == NDPI_PROTOCOL_MINING || b == NDPI_PROTOCOL_MINING ||
        (int)p.category == (int)CUSTOM_CATEGORY_MINING)
        return APPID_MINING;
    if (is_any(a, b, remote, sizeof remote / sizeof remote[0]))
        return APPID_REMOTE;
    if (is_any(a, b, remote_wan, sizeof remote_wan / sizeof remote_wan[0]))
        return is_local(&f->src) && is_local(&f->dst) ? APPID_OTHER : APPID_REMOTE;
    if (is_any(a, b, p2p, sizeof p2p / sizeof p2p[0]))
        return APPID_P2P;
    if (p.category == NDPI_PROTOCOL_CATEGORY_REMOTE_ACCESS && a != NDPI_PROTOCOL_SSH &&
        b != NDPI_PROTOCOL_SSH && a != NDPI_PROTOCOL_TELNET && b != NDPI_PROTOCOL_TELNET &&
        !(is_local(&f->src) && is_local(&f->dst)))
        return APPID_REMOTE;
    return APPID_OTHER;
}

static void release(struct appid *n, struct sensor_flow *sf)
{
    struct ndpi_flow_struct *fs = sf->ndpi;
    if (!fs)
        return;
    ndpi_free_flow_data(fs);
    memset(fs, 0, SIZEOF_FLOW_STRUCT);
    n->free_slots[n->nfree++] = (uint32_t)(fs - n->pool);
    sf->ndpi = NULL;
}

/* Records nDPI's answer on the flow (known: true when nDPI identified it). */
static void decide(struct appid *n, struct yj_net_flow *f, struct sensor_flow *sf, ndpi_protocol p,
                   int64_t ts_us)
{
    sf->app_done = 1;
    release(n, sf);
    uint16_t id = p.master_protocol != NDPI_PROTOCOL_UNKNOWN ? p.master_protocol : p.app_protocol;
    if (id == NDPI_PROTOCOL_UNKNOWN)
        return;
    sf->app_proto = id;
    sf->app_kind = (uint8_t)kind_of(p, f);
    const char *name = ndpi_get_proto_name(n->mod, id);
    size_t i = 0;
    for (; name && name[i] && i + 1 < sizeof sf->app_name; i++)
        sf->app_name[i] = (char)tolower((unsigned char)name[i]);
    sf->app_name[i] = '\0';
    sensor_on_app(n->s, f, ts_us);
}

void appid_packet(struct appid *n, const struct yj_net_packet *p)
{
    struct yj_net_flow *f = p->flow;
    struct sensor_flow *sf = sensor_flow(f);
    if (sf->app_done)
        return;
    uint64_t seen = f->pkts[0] + f->pkts[1];
    /* Packets without payload (handshakes, bare ACKs, a scan's SYN and RST) tell nDPI
     * nothing it needs and cost a lookup each: a flow takes a slot at its first payload. */
    if (!sf->ndpi && !p->payload_len) {
        if (seen >= APPID_MAX_PKTS)
            sf->app_done = 1;
        return;
    }
    if (!sf->ndpi) {
        if (!n->nfree) {
            n->no_slot++;
            if (seen >= APPID_MAX_PKTS)
                sf->app_done = 1;
            return;
        }
        sf->ndpi = &n->pool[n->free_slots[--n->nfree]];
    }
    size_t len = p->l3_len > 65535 ? 65535 : p->l3_len;
    ndpi_protocol r = ndpi_detection_process_packet(n->mod, sf->ndpi, p->l3,
                                                    (unsigned short)len,
                                                    (uint64_t)(p->ts_us / 1000));
    if (r.app_protocol != NDPI_PROTOCOL_UNKNOWN || r.master_protocol != NDPI_PROTOCOL_UNKNOWN) {
        decide(n, f, sf, r, p->ts_us);
    } else if (seen >= APPID_MAX_PKTS) {
        uint8_t guessed = 0;
        r = ndpi_detection_giveup(n->mod, sf->ndpi, 0, &guessed);
        decide(n, f, sf, r, p->ts_us);
    }
}

void appid_flow_end(struct appid *n, struct yj_net_flow *f)
{
    struct sensor_flow *sf = sensor_flow(f);
    if (!sf->ndpi)
        return;
    uint8_t guessed = 0;
    ndpi_protocol r = ndpi_detection_giveup(n->mod, sf->ndpi, 0, &guessed);
    decide(n, f, sf, r, f->last_us);
}
