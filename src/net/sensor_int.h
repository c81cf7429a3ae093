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
    char app_name[22];              /* "tls", "dns", "ssh", ... ("" while unknown) */
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

struct ndpi;
/* NULL when nDPI is off or cannot start (the sensor works without it). */
struct ndpi *ndpi_new(struct yj_sensor *s);
void ndpi_free(struct ndpi *n);
void ndpi_packet(struct ndpi *n, const struct yj_net_packet *p);
void ndpi_flow_end(struct ndpi *n, struct yj_net_flow *f);

#endif
