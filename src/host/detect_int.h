/* Private to the detectors (detect_auth.c, detect_web.c): the detector's state, its
 * fixed-capacity tables and the alert list they share. */
#ifndef YJ_HOST_DETECT_INT_H
#define YJ_HOST_DETECT_INT_H

#include "host_int.h"

#define MAX_ALERTS 10000u

/* Times inside the tables are 32-bit Unix seconds (clamped to 1970..2106), which halves the
 * entries and keeps the hot part of one in few cache lines; alerts keep full times. */
typedef uint32_t tick;

static inline tick tk(int64_t ts)
{
    return ts < 0 ? 0 : ts > (int64_t)UINT32_MAX ? UINT32_MAX : (tick)ts;
}

struct peer {
    uint32_t h;
    tick t;
};

struct src_entry {
    char ip[YJ_HOST_IP_MAX];
    uint8_t nfail, head; /* ring of failure times: head is the next slot */
    tick fail[YJ_HOST_RING];
    struct peer users[YJ_HOST_SET];
    /* index into alerts + 1 (0 none) and end of its window, for the signatures of a source
     * (brute force, spraying, compromise; indexed by signature, which are the first rows) */
    int32_t alert[YJ_HOST_SIG_COMPROMISE + 1];
    int64_t until[YJ_HOST_SIG_COMPROMISE + 1];
};

struct user_entry {
    char user[YJ_HOST_USER_MAX + 1];
    bool sudo_seen; /* a successful sudo of this user was fed (sits in padding) */
    struct peer srcs[YJ_HOST_SET];
    int32_t alert;
    int64_t until;
};

struct web_entry;
struct drop_entry;

struct table {
    uint32_t *slot; /* entry index + 1, 0 empty */
    size_t nslot, n, cap;
};

struct yj_host_detect {
    struct yj_host_config cfg;
    struct table st, ut;
    struct src_entry *src;
    struct user_entry *usr;
    struct yj_host_alert *alerts;
    size_t nalerts, capalerts;
    struct yj_host_detect_stats stats;
    bool started; /* t0 is the time of the first event fed */
    int64_t t0;
    struct table wt;        /* web sources (detect_web.c), allocated with the first request */
    struct web_entry *web;
    struct table dt;        /* firewall sources (detect_drop.c), allocated with the first drop */
    struct drop_entry *drop;
};

/* A 32-bit hash of a key, never 0. */
uint32_t yj_hd_hash(const char *s);
/* Allocates t's index for cap entries. */
void yj_hd_table_init(struct table *t, size_t cap);
/* The index of key's entry, inserting it when absent (fresh); SIZE_MAX when the table is
 * full. h is yj_hd_hash(key); keyat(ctx, i) gives the key of entry i. */
size_t yj_hd_lookup(struct table *t, const char *key, uint32_t h,
                    const char *(*keyat)(void *, size_t), void *ctx, bool *fresh);
/* A new alert; its index + 1, or 0 when the list is full (counted as dropped). */
int32_t yj_hd_raise(struct yj_host_detect *d, enum yj_host_sig sig, const char *ip,
                    const char *user, uint64_t count, int64_t first, int64_t last);
/* Web requests (detect_web.c): the alerts raised go to out (indexes into alerts). */
void yj_hd_web(struct yj_host_detect *d, const struct yj_http *h, size_t *out, size_t *nout);
void yj_hd_web_free(struct yj_host_detect *d);
/* Firewall drops (detect_drop.c), as yj_hd_web. */
void yj_hd_drop(struct yj_host_detect *d, int64_t ts, const struct yj_drop *p, size_t *out,
                size_t *nout);
void yj_hd_drop_free(struct yj_host_detect *d);

#endif
