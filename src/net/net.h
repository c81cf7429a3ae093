/* The network sensor's core: packet sources (pcap/pcapng files and live interfaces through
 * libpcap, one code path), decoders (Ethernet, 802.1Q/QinQ, ARP, IPv4, IPv6, TCP, UDP,
 * ICMPv4/v6), IPv4/IPv6 fragment reassembly, a fixed-capacity flow table and in-order TCP
 * stream delivery, with hooks for the application-layer parsers and detectors above it.
 *
 * Ownership: a yj_net engine owns every flow, packet view and buffer it hands to hooks; they
 * are valid only during the hook call (a flow until its on_flow_end). yj_net_new returns an
 * engine the caller frees with yj_net_free; yj_net_source_open_* return a source the caller
 * closes with yj_net_source_close.
 *
 * Memory is fixed at yj_net_new from the config: nothing on the packet path allocates.
 *
 * Hook contract (all optional, all called synchronously on the capture thread):
 *   on_packet   every decoded IPv4/IPv6 packet (after reassembly: fragments are not passed,
 *               the reassembled datagram is), with its flow (NULL when the table refused it)
 *               and direction. UDP and ICMP payloads reach later layers here.
 *   on_arp      every well-formed ARP packet: opcode, sender and target MAC and IPv4.
 *   on_stream   TCP payload per direction, in sequence order, without duplicates, from the
 *               first payload byte up to config.stream_depth bytes per direction. data ==
 *               NULL means len bytes are missing (a gap the capture never filled) and
 *               delivery goes on after them. Out-of-order segments wait in a bounded pool.
 *   on_flow_end a flow is about to be reported and forgotten (before its flow event): the
 *               last chance to use and release what the extension area refers to.
 *   on_event    every flow, anomaly and stats event, ready for an EVE sink.
 * A hook may read the flow and write its extension area (yj_net_flow.ext, config.ext_size
 * bytes, zeroed when the flow starts); it must not keep pointers past the call. */
#ifndef YJ_NET_NET_H
#define YJ_NET_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/i18n.h"
#include "event/event.h"

/* Link-layer types we decode (DLT_* / LINKTYPE_* values from pcap). */
enum {
    YJ_NET_DLT_NULL = 0,
    YJ_NET_DLT_EN10MB = 1,
    YJ_NET_DLT_RAW = 12, /* Linux/BSD DLT_RAW as seen in files: 12 or 14, also 101 */
    YJ_NET_DLT_LOOP = 108,
    YJ_NET_LINKTYPE_RAW = 101,
    YJ_NET_DLT_LINUX_SLL = 113,
    YJ_NET_DLT_IPV4 = 228,
    YJ_NET_DLT_IPV6 = 229,
    YJ_NET_DLT_LINUX_SLL2 = 276,
};

struct yj_net_config {
    size_t max_flows;          /* flow table capacity (default 65536) */
    uint32_t ext_size;         /* bytes of per-flow extension area (default 0) */
    size_t frag_trackers;      /* datagrams reassembled at once (default 64) */
    uint32_t stream_depth;     /* TCP bytes delivered per direction (default 65536) */
    size_t stream_segments;    /* out-of-order segment slots, all flows (default 4096) */
    uint32_t stream_ooo_flow;  /* out-of-order segments held per direction (default 32) */
    /* Timeouts in seconds of packet time (live: of the clock). */
    uint32_t to_tcp_new, to_tcp_est, to_tcp_closed, to_udp_new, to_udp_est, to_other,
        to_frag;
};

/* An IPv4 (family 4, first four bytes) or IPv6 (family 6) address. */
struct yj_net_addr {
    uint8_t family;
    uint8_t a[16];
};

enum yj_net_dir { YJ_NET_TOSERVER = 0, YJ_NET_TOCLIENT = 1 };

/* A flow as hooks see it. Fields are read-only for hooks except ext. */
struct yj_net_flow {
    struct yj_net_addr src, dst; /* initiator (toserver direction) first */
    uint16_t sport, dport;       /* ICMP: type and code of the first packet */
    uint8_t proto;               /* IP protocol number */
    uint8_t state;               /* enum yj_net_flow_state */
    uint8_t tcp_flags[2];        /* per direction, all flags seen */
    bool alerted;                /* set by detectors: written in the flow event */
    uint64_t pkts[2], bytes[2];
    int64_t start_us, last_us;
    uint64_t flow_id;
    char community_id[32];
    void *ext; /* config.ext_size bytes for later layers, or NULL when ext_size is 0 */
};

enum yj_net_flow_state { YJ_NET_FLOW_NEW, YJ_NET_FLOW_EST, YJ_NET_FLOW_CLOSED };

/* One decoded IP packet. Pointers point into the capture buffer (or the reassembly buffer). */
struct yj_net_packet {
    uint64_t num;              /* 1-based packet number in the input */
    int64_t ts_us;             /* capture time, Unix microseconds */
    uint32_t caplen, wirelen;  /* of the frame */
    uint16_t vlan[2];
    uint8_t nvlan;
    uint8_t ipver;             /* 4 or 6 */
    uint8_t proto;             /* IP protocol number of the transport header */
    uint8_t ttl;               /* TTL / hop limit */
    bool reassembled;          /* a datagram rebuilt from fragments */
    struct yj_net_addr src, dst;
    uint16_t sport, dport;     /* TCP/UDP ports; ICMP: type and code */
    uint8_t tcp_flags;         /* FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 URG 0x20 */
    uint32_t seq, ack;
    uint16_t window;
    uint16_t icmp_id;          /* ICMP echo identifier, 0 otherwise */
    const uint8_t *l3;         /* the IP header */
    size_t l3_len;
    const uint8_t *payload;    /* after the TCP/UDP/ICMP header */
    size_t payload_len;
    struct yj_net_flow *flow;  /* NULL when the flow table refused the flow */
    enum yj_net_dir dir;
};

/* One ARP packet (Ethernet/IPv4 only). */
struct yj_net_arp {
    uint64_t num;
    int64_t ts_us;
    uint16_t op; /* 1 request, 2 reply */
    uint8_t sha[6], tha[6];
    uint8_t spa[4], tpa[4];
    uint16_t vlan;
};

struct yj_net_hooks {
    void *ctx;
    void (*on_event)(void *ctx, const struct yj_event *ev);
    /* The events on_event wants, as bits (1u << YJ_EVENT_FLOW | ...); 0 means all. Events
     * nobody wants are not built (a flow event costs address formatting and a SHA-1). */
    unsigned event_mask;
    void (*on_packet)(void *ctx, const struct yj_net_packet *p);
    void (*on_arp)(void *ctx, const struct yj_net_arp *a);
    void (*on_stream)(void *ctx, struct yj_net_flow *f, enum yj_net_dir dir,
                      const uint8_t *data, size_t len);
    void (*on_flow_end)(void *ctx, struct yj_net_flow *f);
};

/* Counters: what was seen, and what was dropped at a cap. */
struct yj_net_stats {
    uint64_t pkts, bytes, invalid, ethernet, vlan, vlan_qinq, arp, ipv4, ipv6, tcp, udp,
        icmpv4, icmpv6, other_l3, other_l4, unsupported_link, anomalies;
    uint64_t flows, flows_tcp, flows_udp, flows_icmp, flows_other, flows_active,
        flows_timeout, flows_evicted, flows_refused, flows_shutdown, flow_pkts_untracked;
    uint64_t frag4, frag6, reasm4, reasm6, frag_overlap, frag_timeout, frag_trackers_full,
        frag_invalid;
    uint64_t stream_depth_reached, stream_gaps, stream_ooo_queued, stream_ooo_dropped;
    int64_t first_us, last_us;
};

struct yj_net;

/* Fills c with the defaults documented in docs/net.md. */
void yj_net_config_default(struct yj_net_config *c);
/* A new engine; hooks may be NULL. Aborts on out of memory (the table is allocated here). */
struct yj_net *yj_net_new(const struct yj_net_config *c, const struct yj_net_hooks *h);
void yj_net_free(struct yj_net *n);

/* Decodes one frame of the given link type. */
void yj_net_feed(struct yj_net *n, int linktype, int64_t ts_us, const uint8_t *data,
                 uint32_t caplen, uint32_t wirelen);
/* Advances time without a packet (live capture when the line is quiet): expires flows. */
void yj_net_tick(struct yj_net *n, int64_t now_us);
/* End of input: reports every flow still open (reason "shutdown"). */
void yj_net_flush(struct yj_net *n);
void yj_net_get_stats(const struct yj_net *n, struct yj_net_stats *out);
/* Hands a stats event with every counter to on_event. */
void yj_net_emit_stats(struct yj_net *n);

/* The flow's Community ID ("1:..."), computed on first use and kept in f->community_id. */
const char *yj_net_flow_community_id(struct yj_net_flow *f);
/* Stops stream delivery of one direction of f (a parser has seen what it needs): no more
 * on_stream calls for it, and its waiting segments are released. May be called from a hook. */
void yj_net_stream_stop(struct yj_net *n, struct yj_net_flow *f, enum yj_net_dir dir);

/* "TCP", "UDP", "ICMP", "IPv6-ICMP", or NULL for another protocol number. */
const char *yj_net_proto_name(uint8_t proto);
/* Text form of an address into out (at least 46 bytes). */
void yj_net_addr_str(const struct yj_net_addr *a, char *out, size_t n);
/* Community ID v1 (seed 0) of a 5-tuple, "1:" + base64 of SHA-1, into out (>= 32 bytes). */
void yj_net_community_id(const struct yj_net_addr *src, const struct yj_net_addr *dst,
                         uint8_t proto, uint16_t sport, uint16_t dport, char *out, size_t n);

/* ---- packet sources ---- */

struct yj_net_source;

struct yj_net_live_opts {
    int snaplen;      /* default 262144 */
    bool promisc;     /* default true */
    int buffer_size;  /* kernel buffer bytes, default 32 MiB */
    int timeout_ms;   /* the longest a packet waits in the kernel buffer, default 100 */
};

/* Opens a pcap or pcapng file. bpf may be NULL. Errors name the file. */
enum yj_err yj_net_source_open_file(const char *path, const char *bpf,
                                    struct yj_net_source **out, struct yj_diag *d) YJ_MUST;
/* Opens a live capture on iface (opts may be NULL for the defaults). */
enum yj_err yj_net_source_open_live(const char *iface, const char *bpf,
                                    const struct yj_net_live_opts *opts,
                                    struct yj_net_source **out, struct yj_diag *d) YJ_MUST;
void yj_net_source_close(struct yj_net_source *s);
/* A descriptor to poll for readability (live), or -1 (files). */
int yj_net_source_fd(const struct yj_net_source *s);
/* Feeds up to max packets (0: all that are ready; for files up to 4096) into n. Returns
 * YJ_ERR_OK with *done set at the end of a file, YJ_ERR_PARSE for a truncated or damaged
 * file (the message names the file and the packet number), YJ_ERR_IO for capture errors. */
enum yj_err yj_net_source_dispatch(struct yj_net_source *s, struct yj_net *n, int max,
                                   bool *done, struct yj_diag *d) YJ_MUST;
/* Packets read from the source so far, and (live) what the kernel dropped. */
uint64_t yj_net_source_packets(const struct yj_net_source *s);
uint64_t yj_net_source_kernel_drops(const struct yj_net_source *s);

/* ---- The sensor: the engine with application layers and detectors above it ----------------
 *
 * What `yojin pcap` and `yojin watch` run: decoded packets go to the application layer
 * (DNS, TLS, HTTP, SSH, cleartext log-ins through proto/), nDPI's identification and every
 * detector; flows, anomalies, stats, application events and alerts come out through emit.
 * Alerts carry their words in every language (event.h, yj_event_alert.text). */

struct yj_ioc_holder;

struct yj_sensor_opts {
    enum yj_lang lang;            /* the language of alert texts in EVE */
    struct yj_net_config net;     /* the engine (ext_size is set by the sensor) */
    const char *thresholds;       /* data/net/detect.yaml to use instead of the shipped one */
    struct yj_ioc_holder *ioc;    /* threat lists (borrowed), or NULL */
    bool ndpi;                    /* application identification with nDPI (default on) */
    bool app_events;              /* emit dns, tls, http and ssh events (default on) */
    unsigned event_mask;          /* engine events wanted (yj_net_hooks.event_mask; 0 all) */
};

struct yj_sensor;

void yj_sensor_opts_default(struct yj_sensor_opts *o);
/* A sensor; thresholds are loaded and checked here (bad file: file:line in d). */
enum yj_err yj_sensor_new(struct yj_sensor **out, const struct yj_sensor_opts *o,
                          void (*emit)(void *ctx, const struct yj_event *ev), void *ctx,
                          struct yj_diag *d) YJ_MUST;
void yj_sensor_free(struct yj_sensor *s);
/* The engine to feed (yj_net_source_dispatch, yj_net_feed). */
struct yj_net *yj_sensor_engine(struct yj_sensor *s);
/* Quiet-line timekeeping (live): expires flows, runs the detectors' timers. */
void yj_sensor_tick(struct yj_sensor *s, int64_t now_us);
/* End of input: reports open flows, runs the detectors' last checks, emits stats. */
void yj_sensor_finish(struct yj_sensor *s);
/* Alerts raised so far. */
uint64_t yj_sensor_alerts(const struct yj_sensor *s);

#endif
