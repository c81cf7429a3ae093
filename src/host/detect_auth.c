/* Detectors of log-in attacks and account changes (the web ones are in detect_web.c; the
 * state they share is in detect_int.h), over auth records with a remote address:
 *
 *   brute force     one source, >= bf_failures failed attempts within bf_window
 *   spraying        one source, >= spray_users distinct accounts within spray_window
 *   distributed     one account, >= dist_sources distinct sources within dist_window
 *   compromise      a success from a source with >= comp_failures failures in the
 *                   comp_window before it
 *
 * Memory is bounded and allocated once: two fixed-capacity tables (sources, accounts) of
 * table_size entries each, an open-addressing index of twice that many slots pointing into
 * dense entry arrays that fill in order (so pages are touched only as entries are used).
 * When a table is full, new keys are dropped and counted. Each entry keeps the last
 * YJ_HOST_RING failure times and the last YJ_HOST_SET distinct peers, which is why the
 * thresholds are capped at those sizes.
 *
 * An alert is raised once per (signature, source or account); further matching attempts
 * within its window are added to it (count, last) and push the window on, so one attack
 * is one alert however long it lasts.
 *
 * Account changes (local, no address):
 *
 *   new account     a user or group created                    one alert per name
 *   admin group     a user added to sudo, wheel, adm, admin, root  per (user, group)
 *   password        a password or its expiry changed           per account
 *   first sudo      a user's first successful sudo, later than sudo_learn after the
 *                   first event fed (users who used sudo in that first stretch are known)
 *
 * The first three gather repeats within acct_window into one alert (useradd writes
 * "new user" and "new group" for one account: one alert, count 2). The first-sudo mark
 * lives in the accounts table, so it shares its capacity. */
#include <stdlib.h>
#include <string.h>

#include "detect_int.h"

/* A 32-bit hash of a key, 8 bytes per step (a multiply-xorshift mix; keys are short and
 * this runs several times per log line). Never 0, which marks an empty peer slot. */
uint32_t yj_hd_hash(const char *s)
{
    size_t n = strlen(s);
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n, w;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    uint32_t r = (uint32_t)h;
    return r ? r : 1;
}

void yj_hd_table_init(struct table *t, size_t cap)
{
    t->cap = cap;
    t->nslot = 1;
    while (t->nslot < cap * 2)
        t->nslot <<= 1;
    t->slot = yj_xcalloc(t->nslot, sizeof *t->slot);
    t->n = 0;
}

/* The index of key's entry, inserting it when absent; SIZE_MAX when the table is full.
 * h is yj_hd_hash(key); keyat(i) gives the key of entry i. */
size_t yj_hd_lookup(struct table *t, const char *key, uint32_t h,
                    const char *(*keyat)(void *, size_t), void *ctx, bool *fresh)
{
    size_t mask = t->nslot - 1;
    *fresh = false;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint32_t s = t->slot[i];
        if (!s) {
            if (t->n >= t->cap)
                return (size_t)-1;
            t->slot[i] = (uint32_t)(++t->n);
            *fresh = true;
            return t->n - 1;
        }
        if (strcmp(keyat(ctx, s - 1), key) == 0)
            return s - 1;
    }
}

static const char *src_key(void *ctx, size_t i)
{
    return ((struct yj_host_detect *)ctx)->src[i].ip;
}

static const char *user_key(void *ctx, size_t i)
{
    return ((struct yj_host_detect *)ctx)->usr[i].user;
}

struct yj_host_detect *yj_host_detect_new(const struct yj_host_config *c)
{
    struct yj_host_detect *d = yj_xcalloc(1, sizeof *d);
    d->cfg = *c;
    yj_hd_table_init(&d->st, c->table_size);
    yj_hd_table_init(&d->ut, c->table_size);
    d->src = yj_xcalloc(c->table_size, sizeof *d->src);
    d->usr = yj_xcalloc(c->table_size, sizeof *d->usr);
    return d;
}

void yj_host_detect_free(struct yj_host_detect *d)
{
    if (!d)
        return;
    free(d->st.slot);
    free(d->ut.slot);
    free(d->src);
    free(d->usr);
    free(d->alerts);
    yj_hd_web_free(d);
    yj_hd_drop_free(d);
    free(d);
}

/* True when t lies within window of ts, on either side: logs are nearly in time order,
 * but not exactly, and a file given out of order (auth.log before auth.log.1) must not make
 * every old entry look recent. */
static bool within(int64_t ts, tick t, unsigned window)
{
    int64_t d = (int64_t)tk(ts) - (int64_t)t;
    return d <= (int64_t)window && d >= -(int64_t)window;
}

/* Failures of e within window before ts, and the oldest of them. */
static unsigned fails_within(const struct src_entry *e, int64_t ts, unsigned window,
                             int64_t *oldest)
{
    unsigned n = 0;
    for (unsigned k = 0; k < e->nfail; k++) {
        tick t = e->fail[((unsigned)e->head + YJ_HOST_RING - 1 - k) % YJ_HOST_RING];
        if (!within(ts, t, window))
            break;
        n++;
        *oldest = t;
    }
    return n;
}

/* Records peer h at ts in set (replacing the oldest when it is full); returns how many
 * peers were seen within window of ts, this one included. Branch-light: it runs twice for
 * every failed attempt. */
static unsigned peers_within(struct peer set[YJ_HOST_SET], uint32_t h, int64_t ts,
                             unsigned window)
{
    tick now = tk(ts), lim = now > window ? now - window : 0;
    tick top = now < UINT32_MAX - window ? now + window : UINT32_MAX;
    size_t slot = YJ_HOST_SET, empty = YJ_HOST_SET, old = 0;
    unsigned n = 0;
    for (size_t i = 0; i < YJ_HOST_SET; i++) {
        uint32_t hi = set[i].h;
        n += (unsigned)(hi != 0 && hi != h && set[i].t >= lim && set[i].t <= top);
        if (hi == h)
            slot = i;
        if (!hi && empty == YJ_HOST_SET)
            empty = i;
        if (set[i].t < set[old].t)
            old = i;
    }
    if (slot == YJ_HOST_SET) {
        slot = empty != YJ_HOST_SET ? empty : old;
        if (slot == old && empty == YJ_HOST_SET && set[old].t >= lim && set[old].t <= top)
            n--; /* the oldest peer makes room */
    }
    set[slot].h = h;
    set[slot].t = now;
    return n + 1;
}

/* The oldest time in set within window of ts (ts itself when none is older). */
static int64_t peers_oldest(const struct peer set[YJ_HOST_SET], int64_t ts, unsigned window)
{
    int64_t oldest = ts;
    for (size_t i = 0; i < YJ_HOST_SET; i++)
        if (set[i].h && within(ts, set[i].t, window) && set[i].t < oldest)
            oldest = set[i].t;
    return oldest;
}

/* A new alert; index + 1, or 0 when the list is full. */
int32_t yj_hd_raise(struct yj_host_detect *d, enum yj_host_sig sig, const char *ip,
                    const char *user, uint64_t count, int64_t first, int64_t last)
{
    if (d->nalerts >= MAX_ALERTS) {
        d->stats.alerts_dropped++;
        return 0;
    }
    if (d->nalerts == d->capalerts) {
        d->capalerts = d->capalerts ? d->capalerts * 2 : 16;
        d->alerts = yj_xrealloc(d->alerts, d->capalerts * sizeof *d->alerts);
    }
    struct yj_host_alert *a = &d->alerts[d->nalerts++];
    memset(a, 0, sizeof *a);
    a->sig = sig;
    memcpy(a->ip, ip, strlen(ip) + 1);
    memcpy(a->user, user, strlen(user) + 1);
    a->group[0] = '\0';
    a->count = count;
    a->first = first;
    a->last = last;
    return (int32_t)d->nalerts;
}

/* Adds one attempt to an alert still in its window; true when there was one. */
static bool extend(struct yj_host_detect *d, int32_t idx, int64_t *until, int64_t ts,
                   unsigned window, const char *user)
{
    if (!idx || ts > *until)
        return false;
    struct yj_host_alert *a = &d->alerts[idx - 1];
    if (ts < a->last - (int64_t)window)
        return false; /* long before it: time went backwards (files out of order) */
    a->count++;
    if (ts > a->last)
        a->last = ts;
    if (user)
        memcpy(a->user, user, strlen(user) + 1);
    *until = ts + window;
    return true;
}

static void failure(struct yj_host_detect *d, int64_t ts, const struct yj_auth *a,
                    size_t *out, size_t *nout)
{
    const struct yj_host_config *c = &d->cfg;
    bool fresh;
    uint32_t hip = yj_hd_hash(a->ip), huser = yj_hd_hash(a->user);
    size_t si = yj_hd_lookup(&d->st, a->ip, hip, src_key, d, &fresh);
    if (si == (size_t)-1) {
        d->stats.sources_dropped++;
    } else {
        struct src_entry *e = &d->src[si];
        if (fresh)
            memcpy(e->ip, a->ip, strlen(a->ip) + 1);
        e->fail[e->head] = tk(ts);
        e->head = (uint8_t)((e->head + 1) % YJ_HOST_RING);
        if (e->nfail < YJ_HOST_RING)
            e->nfail++;
        int64_t oldest = ts;
        enum yj_host_sig s = YJ_HOST_SIG_BRUTE_FORCE;
        if (!extend(d, e->alert[s], &e->until[s], ts, c->bf_window, a->user)) {
            unsigned n = fails_within(e, ts, c->bf_window, &oldest);
            if (n >= c->bf_failures) {
                e->alert[s] = yj_hd_raise(d, s, a->ip, a->user, n, oldest, ts);
                e->until[s] = ts + c->bf_window;
                if (e->alert[s])
                    out[(*nout)++] = (size_t)e->alert[s] - 1;
            }
        }
        s = YJ_HOST_SIG_PASSWORD_SPRAY;
        unsigned users = peers_within(e->users, huser, ts, c->spray_window);
        if (!extend(d, e->alert[s], &e->until[s], ts, c->spray_window, a->user) &&
            users >= c->spray_users) {
            int64_t first = peers_oldest(e->users, ts, c->spray_window);
            unsigned n = fails_within(e, ts, c->spray_window, &oldest);
            e->alert[s] = yj_hd_raise(d, s, a->ip, a->user, n, oldest < first ? oldest : first,
                                      ts);
            e->until[s] = ts + c->spray_window;
            if (e->alert[s])
                out[(*nout)++] = (size_t)e->alert[s] - 1;
        }
    }
    size_t ui = yj_hd_lookup(&d->ut, a->user, huser, user_key, d, &fresh);
    if (ui == (size_t)-1) {
        d->stats.users_dropped++;
        return;
    }
    struct user_entry *u = &d->usr[ui];
    if (fresh)
        memcpy(u->user, a->user, strlen(a->user) + 1);
    unsigned srcs = peers_within(u->srcs, hip, ts, c->dist_window);
    if (!extend(d, u->alert, &u->until, ts, c->dist_window, NULL) &&
        srcs >= c->dist_sources) {
        u->alert = yj_hd_raise(d, YJ_HOST_SIG_DISTRIBUTED, "", a->user, srcs,
                               peers_oldest(u->srcs, ts, c->dist_window), ts);
        u->until = ts + c->dist_window;
        if (u->alert)
            out[(*nout)++] = (size_t)u->alert - 1;
    }
}

static void success(struct yj_host_detect *d, int64_t ts, const struct yj_auth *a,
                    size_t *out, size_t *nout)
{
    const struct yj_host_config *c = &d->cfg;
    bool fresh;
    size_t si = yj_hd_lookup(&d->st, a->ip, yj_hd_hash(a->ip), src_key, d, &fresh);
    if (si == (size_t)-1) {
        d->stats.sources_dropped++;
        return;
    }
    struct src_entry *e = &d->src[si];
    if (fresh) {
        memcpy(e->ip, a->ip, strlen(a->ip) + 1);
        return;
    }
    enum yj_host_sig s = YJ_HOST_SIG_COMPROMISE;
    if (e->alert[s] && ts <= e->until[s] &&
        ts >= d->alerts[e->alert[s] - 1].last - (int64_t)c->comp_window) {
        struct yj_host_alert *al = &d->alerts[e->alert[s] - 1];
        if (ts > al->last)
            al->last = ts;
        return;
    }
    int64_t oldest = ts;
    unsigned n = fails_within(e, ts, c->comp_window, &oldest);
    if (n >= c->comp_failures) {
        e->alert[s] = yj_hd_raise(d, s, a->ip, a->user, n, oldest, ts);
        e->until[s] = ts + c->comp_window;
        if (e->alert[s])
            out[(*nout)++] = (size_t)e->alert[s] - 1;
    }
}

static void start(struct yj_host_detect *d, int64_t ts)
{
    if (!d->started) {
        d->started = true;
        d->t0 = ts;
    }
}

/* A user's first successful sudo after the learning stretch. */
static void first_sudo(struct yj_host_detect *d, int64_t ts, const char *user, size_t *out,
                       size_t *nout)
{
    bool fresh;
    size_t ui = yj_hd_lookup(&d->ut, user, yj_hd_hash(user), user_key, d, &fresh);
    if (ui == (size_t)-1) {
        d->stats.users_dropped++;
        return;
    }
    struct user_entry *u = &d->usr[ui];
    if (fresh)
        memcpy(u->user, user, strlen(user) + 1);
    if (u->sudo_seen)
        return;
    u->sudo_seen = true;
    if (ts <= d->t0 + (int64_t)d->cfg.sudo_learn)
        return;
    int32_t idx = yj_hd_raise(d, YJ_HOST_SIG_FIRST_SUDO, "", user, 1, ts, ts);
    if (idx)
        out[(*nout)++] = (size_t)idx - 1;
}

size_t yj_host_detect_account(struct yj_host_detect *d, int64_t ts, const struct yj_account *a,
                              const struct yj_host_alert **raised, size_t max)
{
    enum yj_host_sig sig;
    start(d, ts);
    switch (a->action) {
    case YJ_ACCT_USER_ADDED:
    case YJ_ACCT_GROUP_ADDED: sig = YJ_HOST_SIG_ACCOUNT_NEW; break;
    case YJ_ACCT_MEMBER_ADDED:
        if (!a->admin)
            return 0; /* ordinary groups: an event only */
        sig = YJ_HOST_SIG_ADMIN_GROUP;
        break;
    case YJ_ACCT_PASSWORD:
    case YJ_ACCT_EXPIRY: sig = YJ_HOST_SIG_PASSWORD_CHANGE; break;
    default: return 0;
    }
    int64_t w = (int64_t)d->cfg.acct_window;
    /* Account changes are rare: the newest matching alert is found by a backward walk. */
    for (size_t i = d->nalerts; i-- > 0;) {
        struct yj_host_alert *al = &d->alerts[i];
        if (al->sig != sig || strcmp(al->user, a->user) != 0 || strcmp(al->group, a->group) != 0)
            continue;
        if (ts >= al->first - w && ts <= al->last + w) {
            al->count++;
            if (ts > al->last)
                al->last = ts;
            return 0;
        }
        break;
    }
    int32_t idx = yj_hd_raise(d, sig, "", a->user, 1, ts, ts);
    if (!idx || !max)
        return 0;
    memcpy(d->alerts[idx - 1].group, a->group, strlen(a->group) + 1);
    raised[0] = &d->alerts[idx - 1];
    return 1;
}

size_t yj_host_detect_http(struct yj_host_detect *d, const struct yj_http *h,
                           const struct yj_host_alert **raised, size_t max)
{
    size_t idx[YJ_HOST_SIG__COUNT], n = 0, k = 0;
    start(d, h->ts);
    yj_hd_web(d, h, idx, &n);
    for (size_t i = 0; i < n && k < max; i++)
        raised[k++] = &d->alerts[idx[i]];
    return k;
}

size_t yj_host_detect_drop(struct yj_host_detect *d, int64_t ts, const struct yj_drop *p,
                           const struct yj_host_alert **raised, size_t max)
{
    size_t idx[YJ_HOST_SIG__COUNT], n = 0, k = 0;
    start(d, ts);
    yj_hd_drop(d, ts, p, idx, &n);
    for (size_t i = 0; i < n && k < max; i++)
        raised[k++] = &d->alerts[idx[i]];
    return k;
}

size_t yj_host_detect_feed(struct yj_host_detect *d, int64_t ts, const struct yj_auth *a,
                           const struct yj_host_alert **raised, size_t max)
{
    size_t idx[YJ_HOST_SIG__COUNT], n = 0;
    start(d, ts);
    if (a->success && a->service && strcmp(a->service, "sudo") == 0)
        first_sudo(d, ts, a->user, idx, &n);
    if (!a->ip[0] || (!a->success && !a->attempt))
        goto done; /* local (sudo, su) and follow-up lines: no network detector */
    if (a->success)
        success(d, ts, a, idx, &n);
    else
        failure(d, ts, a, idx, &n);
done:;
    size_t k = 0;
    for (size_t i = 0; i < n && k < max; i++)
        raised[k++] = &d->alerts[idx[i]];
    return k;
}

const struct yj_host_alert *yj_host_detect_alerts(const struct yj_host_detect *d, size_t *n)
{
    *n = d->nalerts;
    return d->alerts;
}

struct yj_host_detect_stats yj_host_detect_stats(const struct yj_host_detect *d)
{
    return d->stats;
}
