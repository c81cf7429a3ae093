/* The event model and its EVE JSON lines form (Suricata's eve.json, so Elastic, Wazuh and
 * Graylog read it): every monitor fills a struct yj_event and a sink renders or stores it.
 *
 * An event owns nothing: its strings point into the producer's storage (a parser's record,
 * the signature table, the catalogs) and are valid only during the call that hands it over.
 * Sinks copy what they keep. */
#ifndef YJ_EVENT_EVENT_H
#define YJ_EVENT_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/i18n.h"

enum yj_event_type { YJ_EVENT_AUTH, YJ_EVENT_ALERT, YJ_EVENT_FIM, YJ_EVENT_ACCOUNT,
                     YJ_EVENT_HTTP, YJ_EVENT_FLOW, YJ_EVENT_ANOMALY, YJ_EVENT_STATS,
                     YJ_EVENT_DNS, YJ_EVENT_TLS, YJ_EVENT_SSH,
                     YJ_EVENT_DROP };

/* A log-in attempt seen in a log: the "auth" object. */
struct yj_event_auth {
    const char *service; /* "sshd", "sudo", "su" */
    const char *user;    /* "" when the line names none */
    const char *outcome; /* "success" or "failure" */
    const char *method;  /* "password", "publickey", ...; NULL when unknown */
};

/* A local account changed, as a log tells: the "account" object. */
struct yj_event_account {
    const char *service; /* "useradd", "groupadd", "usermod", "gpasswd", "passwd", "chage" */
    const char *action;  /* "user-added", "group-added", "member-added", "password-changed",
                          * "expiry-changed" */
    const char *user;    /* the account (the group, for group-added) */
    const char *group;   /* member-added: the group; NULL otherwise */
};

/* A web request from an access log: the "http" object (Suricata's field names). Empty
 * strings are left out. */
struct yj_event_http {
    const char *hostname; /* the virtual host, when the log names it */
    const char *url;
    const char *http_method;
    const char *protocol;
    unsigned status;
    uint64_t length;
    const char *http_user_agent, *http_refer;
};

/* What network HTTP adds (yj_event.http_net): status and length are written only with a
 * response (status != 0), the fields below only when set. */
struct yj_event_http_net {
    unsigned http_port;
    const char *http_content_type;
    const char *redirect;
};

/* One DNS resource record of an answer: the "answers"/"authorities" array entries. */
struct yj_event_dns_rr {
    const char *rrname;
    const char *rrtype; /* "A", "CNAME", ... or the number as text */
    uint32_t ttl;
    const char *rdata;  /* NULL or "": left out */
};

/* A DNS message: Suricata's "dns" object, version 2 (one query event per question, one
 * answer event per response with its records). */
struct yj_event_dns {
    bool answer;          /* "type": "answer" (else "query") */
    unsigned id;
    const char *rrname, *rrtype; /* the (first) question; NULL: left out */
    unsigned opcode;
    /* answer only: */
    const char *flags;    /* 4 hex digits */
    bool qr, aa, tc, rd, ra, z, ad, cd;
    const char *rcode;    /* "NOERROR", "NXDOMAIN", or the number as text */
    const struct yj_event_dns_rr *answers, *authorities;
    size_t n_answers, n_authorities;
};

/* A TLS handshake: Suricata's "tls" object (client and server hello of one flow). Strings
 * that are NULL or "" are left out. */
struct yj_event_tls {
    const char *sni, *version, *subject, *issuerdn;
    const char *ja3_hash, *ja3_string, *ja3s_hash, *ja3s_string, *ja4;
    bool has_client, has_server;
    /* client_handshake: version, ciphers, exts, sig_algs */
    const char *client_version;
    const uint16_t *ciphers, *client_exts, *sig_algs;
    size_t n_ciphers, n_client_exts, n_sig_algs;
    /* server_handshake: version, cipher, exts */
    const char *server_version;
    unsigned server_cipher;
    const uint16_t *server_exts;
    size_t n_server_exts;
};

/* SSH identification lines: Suricata's "ssh" object. NULL side: left out. */
struct yj_event_ssh_side {
    const char *proto_version, *software_version;
};
struct yj_event_ssh {
    const struct yj_event_ssh_side *client, *server;
};

/* A file that changed, or could not be looked at, since the baseline: the "fim" object. */
struct yj_event_fim {
    const char *path;
    const char *change;         /* "added", "removed", "modified", "unreadable", "vanished" */
    const char *type;           /* "file", "dir", "symlink", "other"; NULL when unknown */
    const char *const *fields;  /* what changed: "content", "size", "mode", ... */
    size_t nfields;
};

/* An alert's words in every language, for sinks that keep alerts for people of either
 * language (the store behind the console). Indexed by enum yj_lang. */
struct yj_event_alert_text {
    const char *name[YJ_LANG__COUNT], *summary[YJ_LANG__COUNT], *advice[YJ_LANG__COUNT];
};

/* A detection: the "alert" object and yojin's plain-language "yojin" object. */
struct yj_event_alert {
    unsigned signature_id;
    const char *signature;
    int severity; /* 1 critical, 2 high, 3 medium */
    const char *category;
    const char *user; /* the account concerned, or NULL */
    uint64_t count;   /* matching attempts so far */
    const char *summary, *advice, *playbook;
    const struct yj_event_fim *fim; /* the file change behind the alert, or NULL */
    const struct yj_event_alert_text *text; /* every language, or NULL (EVE ignores it) */
    const char *code; /* the stable id people quote: "YJ-HOST-2001"; NULL when none */
};

/* A network flow that ended: Suricata's "flow" object. Times are Unix microseconds.
 * "toserver" is the direction of the flow's initiator (src_ip/src_port of the event). */
struct yj_event_flow {
    uint64_t pkts_toserver, pkts_toclient, bytes_toserver, bytes_toclient;
    int64_t start_us, end_us;
    const char *state;  /* "new", "established", "closed" */
    const char *reason; /* "timeout", "forced" (evicted at the cap), "shutdown" (end of input) */
    bool alerted;
    /* TCP only (tcp_seen): the "tcp" object, flags as two hex digits as Suricata writes them. */
    bool tcp_seen;
    uint8_t tcp_flags, tcp_flags_ts, tcp_flags_tc;
    const char *tcp_state; /* "syn_sent", "established", "closed", ... */
    const char *app_proto; /* the application protocol found ("tls", "http"), or NULL;
                            * written at the top level as Suricata does */
};

/* Malformed or unexpected traffic: Suricata's "anomaly" object. */
struct yj_event_anomaly {
    const char *type;  /* "decode", "stream", "defrag" */
    const char *event; /* "ipv4.trunc_pkt", "tcp.hlen_too_small", ... */
    const char *layer; /* "proto_detect" style layer name, or NULL */
    uint64_t packet;   /* the packet's number in the input (1-based), 0 when none */
};

/* A packet a firewall dropped, as its kernel log line tells (iptables/nftables LOG, UFW,
 * firewalld): Suricata's event_type "drop", with addresses, ports and proto in the event and
 * a small "drop" object. Empty strings and zeros are left out. */
struct yj_event_drop {
    const char *prefix; /* the rule's log prefix ("UFW BLOCK", "FINAL_REJECT"), or "" */
    const char *in, *out; /* interfaces */
    unsigned len, ttl;
    uint8_t tcp_flags; /* fin 0x01, syn 0x02, rst 0x04, psh 0x08, ack 0x10, urg 0x20 */
};

/* Named counters: the "stats" object as nested groups, e.g. {"decoder":{"pkts":10}}. */
struct yj_event_stat {
    const char *group; /* "decoder", "flow", "defrag", "tcp"; may contain one '.' for a
                        * nested group ("defrag.ipv4") */
    const char *name;
    uint64_t value;
};
struct yj_event_stats {
    uint64_t uptime; /* seconds of input covered */
    const struct yj_event_stat *v; /* grouped: rows of one group are adjacent */
    size_t n;
};

struct yj_event {
    enum yj_event_type type;
    int64_t ts;             /* Unix seconds, UTC */
    const char *src_ip;     /* NULL or "" when the event has no source address */
    unsigned src_port;      /* 0 when unknown */
    const char *log_file;   /* NULL when the event does not come from a log */
    uint64_t log_line;
    /* Network events (flow, anomaly, stats; others may fill them too): left out when unset. */
    const char *dest_ip;
    unsigned dest_port;
    const char *proto;        /* "TCP", "UDP", "ICMP", "IPv6-ICMP", or a number */
    uint64_t flow_id;         /* 0 = none */
    const char *community_id; /* Community ID v1 ("1:..."), or NULL */
    uint32_t ts_usec;         /* microseconds of ts; written for flow, anomaly, stats, dns,
                               * tls, ssh and network http (http_net set) */
    const struct yj_event_http_net *http_net; /* http from the network sensor, else NULL */
    union {
        struct yj_event_auth auth;
        struct yj_event_alert alert;
        struct yj_event_fim fim;
        struct yj_event_account account;
        struct yj_event_http http;
        struct yj_event_flow flow;
        struct yj_event_anomaly anomaly;
        struct yj_event_stats stats;
        struct yj_event_dns dns;
        struct yj_event_tls tls;
        struct yj_event_ssh ssh;
        struct yj_event_drop drop;
    } u;
};

/* "auth", "alert", "fim", "account", "http", "flow", "anomaly", "stats", "dns", "tls",
 * "ssh", "drop". */
const char *yj_event_type_name(enum yj_event_type t);
/* Appends ev as one EVE JSON object and a newline to b (errors stay sticky in b). */
void yj_eve_write(struct yj_buf *b, const struct yj_event *ev);

#endif
