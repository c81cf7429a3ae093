/* The sensor's insides: the engine (net_int.h) plus what sits above it — the application
 * layer (app.c: which parser for which flow, dns/tls/http/ssh events), application
 * identification (ndpi.c) and the detectors (detect_*.c), each a row of detectors.def.
 *
 *   engine hooks ──▶ sensor.c ──▶ app.c ──▶ proto/ parsers ──▶ sensor_on_dns/tls/http/ssh/cred
 *                        │           ndpi.c ─────────────────▶ sensor_on_app
 *                        └──────────────────────────────────▶ every detector's packet/arp/flow_end
 *   sensor_on_* hand each record to every detector that takes it; detectors raise alerts
 *   through nd_raise, which builds the alert event (texts in every language) and emits it.
 *
 * Per-flow memory is the engine's extension area, laid out as struct sensor_flow: one fixed
 * part for each layer, so layers never step on each other. */
#ifndef YJ_NET_SENSOR_INT_H
#define YJ_NET_SENSOR_INT_H

#include "base/i18n.h"
#include "ioc/ioc.h"
#include "net.h"
#include "proto/proto.h"

/* ---- Signatures (signatures.def) ------------------------------------------------------- */

enum nd_sig {
#define YJ_NET_SIG(name, id, code, category, severity, playbook, n, s, a) ND_SIG_##name,
#include "signatures.def"
#undef YJ_NET_SIG
    ND_SIG__COUNT
};

struct nd_sig_info {
    unsigned id;
    const char *code, *category;
    int severity;
    const char *playbook, *name_id, *summary_id, *advice_id;
};

const struct nd_sig_info *nd_sig_info(enum nd_sig s);

/* ---- Per-flow memory ------------------------------------------------------------------- */

#define SENSOR_APP_EXT 192 /* app.c's state for one flow */
#define SENSOR_DET_EXT 64  /* the detectors' state for one flow */

struct sensor_flow {
    _Alignas(8) uint8_t app[SENSOR_APP_EXT];
    void *ndpi;                     /* ndpi.c: its per-flow state, NULL when none */
    uint16_t app_proto;             /* ndpi.c: nDPI's protocol id once known, else 0 */
    uint8_t app_kind;               /* ndpi.c: enum appid_kind once known */
    uint8_t app_done;               /* ndpi.c: identification finished (known or given up) */
    char app_name[20];              /* "tls", "dns", "ssh", ... ("" while unknown) */
    _Alignas(8) uint8_t det[SENSOR_DET_EXT];
};

static inline struct sensor_flow *sensor_flow(const struct yj_net_flow *f)
{
    return (struct sensor_flow *)f->ext;
}

/* ---- Alerts ------------------------------------------------------------------------------- */

/* What one alert is about. Strings are copied into the event while nd_raise runs. The
 * summary's printf arguments are always (src, detail, dest), all strings: a text uses the
 * first one, two or three of them. */
struct nd_alert {
    enum nd_sig sig;
    int64_t ts_us;
    const struct yj_net_flow *flow; /* the flow concerned, or NULL */
    const char *src_ip, *dest_ip;   /* NULL: taken from flow */
    uint16_t src_port, dest_port;
    uint8_t proto;
    const char *detail;             /* "22 ports", "evil.example", ... (language-neutral) */
    const char *user;               /* an account name seen (cleartext log-ins), or NULL */
    uint64_t count;
};

struct yj_sensor;
void nd_raise(struct yj_sensor *s, const struct nd_alert *a);

/* ---- Detectors (detectors.def) ------------------------------------------------------------ */

/* One detector family. Every hook may be NULL. state comes from new (NULL allowed). */
struct nd_ops {
    const char *name;
    void *(*new)(struct yj_sensor *s);
    void (*free)(void *state);
    void (*packet)(void *state, const struct yj_net_packet *p);
    void (*arp)(void *state, const struct yj_net_arp *a);
    void (*flow_end)(void *state, const struct yj_net_flow *f);
    void (*dns)(void *state, const struct yj_net_flow *f, int64_t ts_us, const struct yj_dns *m);
    void (*tls)(void *state, const struct yj_net_flow *f, int64_t ts_us,
                const struct yj_tls_hello *h);
    void (*http)(void *state, const struct yj_net_flow *f, int64_t ts_us,
                 const struct yj_http_req *r);
    void (*cred)(void *state, const struct yj_net_flow *f, int64_t ts_us,
                 const struct yj_cred *c);
    void (*app)(void *state, const struct yj_net_flow *f, int64_t ts_us);
    void (*tick)(void *state, int64_t now_us);
};

#define ND(name) extern const struct nd_ops nd_##name;
#include "detectors.def"
#undef ND

/* The sensor's lookups for detectors. */
enum yj_lang sensor_lang(const struct yj_sensor *s);
const struct yj_sensor_opts *sensor_opts(const struct yj_sensor *s);
/* The indicator set for this packet's time (NULL when no lists are loaded). Valid until
 * the hook returns. */
const struct yj_ioc_set *sensor_ioc(struct yj_sensor *s);
/* Emits a non-alert event (dns, tls, http, ssh, ...). */
void sensor_emit(struct yj_sensor *s, const struct yj_event *ev);

/* "Once per key per window": a bounded table of recent keys (recent.c) that detectors use to
 * raise one alert per (host, what) per hour. Old keys make room for new ones. */
struct nd_recent;
struct nd_recent *nd_recent_new(size_t slots);
void nd_recent_free(struct nd_recent *r);
/* True when key was not seen within window_us before ts_us (it is recorded then). */
bool nd_recent_first(struct nd_recent *r, uint64_t key, int64_t ts_us, int64_t window_us);
/* FNV-1a over a string, chained from h (start with ND_HASH_STR_INIT). */
#define ND_HASH_STR_INIT 0xcbf29ce484222325ull
uint64_t nd_hash_str(uint64_t h, const char *s);

/* ---- Records from the application layer, to every detector -------------------------------- */

void sensor_on_dns(struct yj_sensor *s, const struct yj_net_flow *f, int64_t ts_us,
                   const struct yj_dns *m);
void sensor_on_tls(struct yj_sensor *s, const struct yj_net_flow *f, int64_t ts_us,
                   const struct yj_tls_hello *h);
void sensor_on_http(struct yj_sensor *s, const struct yj_net_flow *f, int64_t ts_us,
                    const struct yj_http_req *r);
void sensor_on_cred(struct yj_sensor *s, const struct yj_net_flow *f, int64_t ts_us,
                    const struct yj_cred *c);
void sensor_on_app(struct yj_sensor *s, const struct yj_net_flow *f, int64_t ts_us);

/* ---- The application layer (app.c) and nDPI (ndpi.c) -------------------------------------- */

struct app;
struct app *app_new(struct yj_sensor *s);
void app_free(struct app *a);
void app_packet(struct app *a, const struct yj_net_packet *p);
void app_stream(struct app *a, struct yj_net_flow *f, enum yj_net_dir dir, const uint8_t *data,
                size_t len);
void app_flow_end(struct app *a, struct yj_net_flow *f);

/* What kind of application nDPI found, for the apps detector (app_kind). */
enum appid_kind { APPID_OTHER, APPID_REMOTE, APPID_TOR, APPID_P2P, APPID_MINING };

struct appid;
/* nDPI (libndpi's own names start with ndpi_, so ours are appid_). NULL when nDPI is off or
 * cannot start (the sensor works without it). */
struct appid *appid_new(struct yj_sensor *s);
void appid_free(struct appid *n);
void appid_packet(struct appid *n, const struct yj_net_packet *p);
void appid_flow_end(struct appid *n, struct yj_net_flow *f);

/* ---- Detector thresholds (data/net/detect.yaml, detect_conf.c) ---------------------------- */

/* Windows are seconds of packet time; table_size caps every detector's table (sources,
 * pairs, domains, addresses); beyond it entries are dropped and counted. */
struct nd_conf {
    unsigned scan_ports, scan_hosts, scan_window;
    unsigned bf_conns, bf_window, bf_short;
    unsigned dns_names, dns_label, dns_window;
    double dns_entropy;
    unsigned beacon_count, beacon_interval, beacon_jitter;
    unsigned arp_window, arp_replies;
    unsigned cleartext_window;
    unsigned dga_names, dga_window;
    unsigned table_size;
};

void nd_conf_default(struct nd_conf *c);
/* Reads path over c (keys left out keep their value); bad values: file:line in d. */
enum yj_err nd_conf_load(struct nd_conf *c, const char *path, struct yj_diag *d) YJ_MUST;
/* The sensor's thresholds (valid for its life). */
const struct nd_conf *sensor_conf(const struct yj_sensor *s);

/* ---- Detectors' shared tools (detect_util.c) ------------------------------------------------ */

/* A fixed table of n slots, each `size` bytes that start with struct nd_slot and then the
 * key (keylen bytes). Allocated once at start; a slot not used within a detector's window
 * is reused for a new key, and when none is free the key is dropped and counted. */
struct nd_slot {
    int64_t last_us; /* 0: empty */
};

struct nd_table {
    uint8_t *slots;
    size_t n, size, keylen;
    uint64_t dropped;
};

void nd_table_init(struct nd_table *t, size_t n, size_t size, size_t keylen);
void nd_table_fini(struct nd_table *t);
/* The slot of key at time now_us: found, or a new one zeroed but for its key (*fresh set)
 * in an empty slot or one last used before stale_us; NULL when the table is full there. */
void *nd_table_get(struct nd_table *t, const void *key, int64_t now_us, int64_t stale_us,
                   bool *fresh);

/* The state most detector families start from: the sensor, its thresholds and one table
 * of entries (size bytes, key after struct nd_slot; size 0: no table). */
struct nd_det {
    struct yj_sensor *s;
    const struct nd_conf *c;
    struct nd_table t;
    uint64_t over; /* what a full entry could not keep */
};

struct nd_det *nd_det_new(struct yj_sensor *s, size_t size, size_t keylen);
void nd_det_free(void *state);

/* A count within a window, for one table entry. */
struct nd_win {
    int64_t start_us;
    uint32_t n;
    bool alerted;
};

/* Opens a new window at ts when the entry is fresh or its window (win_us) is over; returns
 * true then (the caller clears what it keeps per window). */
bool nd_win_roll(struct nd_win *w, bool fresh, int64_t ts, int64_t win_us);
/* Counts one more; true once per window, when the count reaches threshold. */
bool nd_win_hit(struct nd_win *w, unsigned threshold);
/* Adds key to a set of nbits hash bits; true when its bit was not set yet. */
bool nd_bits_add(uint8_t *bits, size_t nbits, const void *key, size_t n);

uint32_t nd_hash(const void *p, size_t n);
/* Multicast, broadcast (255.255.255.255 or x.x.x.255) or unspecified: not one machine. */
bool nd_addr_group(const struct yj_net_addr *a);
/* Offset in name[0..n) where its registered domain starts ("example.co.jp" of
 * "a.b.example.co.jp"); 0 when the name is no longer than a registered domain. */
size_t nd_registered(const char *name, size_t n);
/* Shannon entropy of s[0..n) in bits per character. */
double nd_entropy(const char *s, size_t n);

/* Per-flow memory of the detectors (struct sensor_flow.det): one part per family. */
struct nd_flow {
    uint32_t cli_payload, srv_payload; /* TCP/UDP payload bytes seen per direction */
    uint8_t seen;                      /* ND_FLOW_* bits */
    uint8_t smb;                       /* detect_smb.c: SMB_* bits */
    uint16_t beats;                    /* detect_beacon.c: regular client bursts in a row */
    uint32_t beat_ms;                  /* their average interval */
    int64_t burst_us, data_us;         /* start of the client's last burst, its last data */
};

_Static_assert(sizeof(struct nd_flow) <= SENSOR_DET_EXT, "nd_flow must fit in sensor_flow.det");

enum { ND_FLOW_START = 1, ND_FLOW_PROBE = 2, ND_FLOW_CRED = 4, ND_FLOW_BEAT = 8 };

static inline struct nd_flow *nd_flow(const struct yj_net_flow *f)
{
    return f && f->ext ? (struct nd_flow *)sensor_flow(f)->det : NULL;
}

/* Adds p's payload to its flow's nd_flow counts (called once per packet, by nd_scan). */
void nd_flow_account(const struct yj_net_packet *p);

#endif
