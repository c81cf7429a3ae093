/* The engine's insides, shared by decode.c, defrag.c, flow.c, stream.c and engine.c.
 *
 * Memory layout, all allocated in yj_net_new and never grown:
 *   flows[max_flows]        flow entries; free ones on a free list, used ones on the LRU
 *                           list of their timeout class
 *   buckets[nbuckets]       hash chains of flow indexes (nbuckets = power of two >= 2*max)
 *   ext[max_flows*ext_size] the extension areas
 *   frags[frag_trackers]    reassembly trackers, each with a 64 KiB data area and a bitmap
 *   segs[stream_segments]   out-of-order TCP segments (SEG_DATA bytes each) */
#ifndef YJ_NET_NET_INT_H
#define YJ_NET_NET_INT_H

#include "net.h"

#define NIL UINT32_MAX
#define SEG_DATA 2048u
#define FRAG_ROOM 64u       /* header room before a tracker's payload */
#define FRAG_MAX 65535u     /* largest reassembled payload */

struct flow_key {
    uint8_t a[16], b[16]; /* the lower (address, port) endpoint first */
    uint16_t pa, pb;
    uint16_t vlan;
    uint8_t proto, family;
};

/* One direction of a TCP stream. */
struct stream_dir {
    uint32_t next_seq;  /* next byte to deliver */
    uint32_t delivered; /* bytes handed to on_stream (gaps included) */
    uint32_t ooo;       /* first queued segment (sorted by seq), NIL when none */
    uint16_t nooo;
    bool seq_known, done, fin;
};

/* Flows wait in one LRU list per timeout class, so each list is in expiry order. */
enum flow_class { CLS_TCP_NEW, CLS_TCP_EST, CLS_TCP_CLOSED, CLS_UDP_NEW, CLS_UDP_EST, CLS_OTHER,
                  FLOW_CLASSES };

enum tcp_st { TCP_NONE, TCP_SYN_SENT, TCP_SYN_RECV, TCP_EST, TCP_FIN, TCP_CLOSED };

struct flow_ent {
    struct yj_net_flow pub;
    struct flow_key key;
    uint32_t hash;
    uint32_t hnext, prev, next; /* hash chain; LRU (or free list through next) */
    uint8_t tcp_st;
    uint8_t cls; /* enum flow_class: the LRU list it is on */
    bool in_use;
    struct stream_dir sd[2];
};

struct seg {
    uint32_t seq, len, next;
    uint8_t data[SEG_DATA];
};

struct frag_tracker {
    bool in_use, dead, have_first, have_last;
    uint8_t family, proto; /* proto: IPv4 protocol, or IPv6 next header after the fragment */
    uint8_t src[16], dst[16];
    uint32_t id;
    int64_t first_us;
    uint32_t total;    /* payload length, known once the last fragment came */
    uint32_t received; /* distinct payload bytes */
    uint32_t max_end;  /* the furthest byte held */
    uint64_t frame_bytes;
    uint16_t vlan;
    uint8_t hdr[60];   /* the first fragment's IPv4 header or IPv6 fixed header */
    uint8_t hdr_len;
    uint8_t *buf;      /* FRAG_ROOM + FRAG_MAX */
    uint8_t *have;     /* FRAG_MAX bits */
};

struct yj_net {
    struct yj_net_config c;
    struct yj_net_hooks h;
    struct yj_net_stats st;
    int64_t now_us, last_sweep_us;
    uint64_t pktno;
    /* the frame being decoded */
    uint32_t caplen, wirelen;
    bool snapped; /* caplen < wirelen: capture truncation, not a malformed packet */
    uint16_t vlan[2];
    uint8_t nvlan;
    bool in_reasm; /* decoding a reassembled datagram: fragments inside are refused */
    /* flows */
    struct flow_ent *flows;
    uint32_t *buckets;
    uint32_t nbuckets, free_head;
    uint32_t lru_head[FLOW_CLASSES], lru_tail[FLOW_CLASSES];
    int64_t class_to_us[FLOW_CLASSES]; /* each class's timeout */
    uint8_t *ext;
    /* fragments */
    struct frag_tracker *frags;
    uint8_t *frag_mem;
    /* out-of-order segments */
    struct seg *segs;
    uint32_t seg_free;
};

/* Whether on_event wants events of type t. */
static inline bool yj_net_wants(const struct yj_net *n, enum yj_event_type t)
{
    return n->h.on_event && (!n->h.event_mask || (n->h.event_mask & (1u << t)));
}

/* decode.c */
void yj_net_anomaly(struct yj_net *n, const char *type, const char *event,
                    const struct yj_net_packet *p);
void yj_net_decode_ip(struct yj_net *n, const uint8_t *d, size_t len, bool reassembled,
                      uint64_t frame_bytes);

/* defrag.c: takes one fragment; decodes the datagram when it completes. */
void yj_net_defrag4(struct yj_net *n, const uint8_t *ip, size_t ihl, const uint8_t *data,
                    size_t len, uint32_t off, bool more, const struct yj_net_packet *p);
void yj_net_defrag6(struct yj_net *n, const uint8_t *ip6, uint8_t nh, const uint8_t *data,
                    size_t len, uint32_t off, bool more, uint32_t id,
                    const struct yj_net_packet *p);
void yj_net_defrag_expire(struct yj_net *n);

/* flow.c */
void yj_net_flow_packet(struct yj_net *n, struct yj_net_packet *p);
void yj_net_flow_expire(struct yj_net *n);
void yj_net_flow_end(struct yj_net *n, struct flow_ent *f, const char *reason);

/* stream.c */
void yj_net_stream_packet(struct yj_net *n, struct flow_ent *f, const struct yj_net_packet *p,
                          size_t seg_len);
void yj_net_stream_flush(struct yj_net *n, struct flow_ent *f);

#endif
