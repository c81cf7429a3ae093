/* Tools the detectors share: a fixed-capacity table with reuse of stale slots (no
 * allocation after start), a hash, address classes and character entropy. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sensor_int.h"

#define PROBES 16 /* slots looked at for one key */

void nd_table_init(struct nd_table *t, size_t n, size_t size, size_t keylen)
{
    t->n = n;
    t->size = (size + 7) & ~(size_t)7;
    t->keylen = keylen;
    t->dropped = 0;
    t->slots = yj_xcalloc(n, t->size);
}

void nd_table_fini(struct nd_table *t)
{
    free(t->slots);
    t->slots = NULL;
}

struct nd_det *nd_det_new(struct yj_sensor *s, size_t size, size_t keylen)
{
    struct nd_det *d = yj_xcalloc(1, sizeof *d);
    d->s = s;
    d->c = sensor_conf(s);
    if (size)
        nd_table_init(&d->t, d->c->table_size, size, keylen);
    return d;
}

void nd_det_free(void *state)
{
    struct nd_det *d = state;
    if (d)
        nd_table_fini(&d->t);
    free(d);
}

uint32_t nd_hash(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

void *nd_table_get(struct nd_table *t, const void *key, int64_t now_us, int64_t stale_us,
                   bool *fresh)
{
    size_t at = nd_hash(key, t->keylen) % t->n;
    uint8_t *reuse = NULL;
    *fresh = false;
    for (size_t i = 0, j = at; i < PROBES && i < t->n; i++, j = j + 1 < t->n ? j + 1 : 0) {
        uint8_t *e = t->slots + j * t->size; /* slot (at + i) % n, without a division */
        struct nd_slot *sl = (struct nd_slot *)e;
        if (sl->last_us == 0) {
            if (!reuse)
                reuse = e;
            break; /* keys are never removed, so nothing lies beyond an empty slot */
        }
        if (!memcmp(e + sizeof *sl, key, t->keylen)) {
            sl->last_us = now_us ? now_us : 1;
            return e;
        }
        if (!reuse && sl->last_us < stale_us)
            reuse = e;
    }
    if (!reuse) {
        t->dropped++;
        return NULL;
    }
    memset(reuse, 0, t->size);
    ((struct nd_slot *)reuse)->last_us = now_us ? now_us : 1;
    memcpy(reuse + sizeof(struct nd_slot), key, t->keylen);
    *fresh = true;
    return reuse;
}

bool nd_addr_group(const struct yj_net_addr *a)
{
    if (a->family == 4)
        return a->a[0] >= 224 || a->a[3] == 255 || !(a->a[0] | a->a[1] | a->a[2] | a->a[3]);
    return a->a[0] == 0xff;
}

double nd_entropy(const char *s, size_t n)
{
    unsigned count[256] = {0};
    for (size_t i = 0; i < n; i++)
        count[(uint8_t)s[i]]++;
    double h = 0;
    for (size_t c = 0; c < 256 && n; c++)
        if (count[c]) {
            double q = (double)count[c] / (double)n;
            h -= q * log2(q);
        }
    return h;
}

void nd_flow_account(const struct yj_net_packet *p)
{
    struct nd_flow *fl = nd_flow(p->flow);
    if (!fl || !p->payload_len)
        return;
    uint32_t *n = p->dir == YJ_NET_TOSERVER ? &fl->cli_payload : &fl->srv_payload;
    *n = p->payload_len > UINT32_MAX - *n ? UINT32_MAX : *n + (uint32_t)p->payload_len;
}

/* Registered domains without a public-suffix list: the last two labels, or three under a
 * two-letter country code whose second level is a generic one (co.jp, ne.jp, com.au). */
static bool generic_sld(const char *p, size_t n)
{
    static const char *const sld[] = {"co", "ne", "or",  "ac",  "go",  "ad",  "ed",
                                      "gr", "lg", "com", "net", "org", "gov", "edu"};
    for (size_t i = 0; i < sizeof sld / sizeof sld[0]; i++)
        if (strlen(sld[i]) == n && !strncasecmp(p, sld[i], n))
            return true;
    return false;
}

size_t nd_registered(const char *name, size_t n)
{
    size_t dots[3] = {0}, nd = 0; /* positions after the last three dots */
    for (size_t i = n; i-- > 0 && nd < 3;)
        if (name[i] == '.')
            dots[nd++] = i + 1;
    if (nd < 1)
        return 0;
    size_t tld = n - dots[0];
    size_t want = 2;
    if (tld == 2 && nd >= 2 && generic_sld(name + dots[1], dots[0] - 1 - dots[1]))
        want = 3;
    return nd >= want ? dots[want - 1] : 0;
}

bool nd_win_roll(struct nd_win *w, bool fresh, int64_t ts, int64_t win_us)
{
    if (!fresh && ts - w->start_us <= win_us)
        return false;
    *w = (struct nd_win){.start_us = ts};
    return true;
}

bool nd_win_hit(struct nd_win *w, unsigned threshold)
{
    if (++w->n < threshold || w->alerted)
        return false;
    w->alerted = true;
    return true;
}

bool nd_bits_add(uint8_t *bits, size_t nbits, const void *key, size_t n)
{
    uint32_t h = nd_hash(key, n) % (uint32_t)nbits;
    if (bits[h / 8] & (1u << (h % 8)))
        return false;
    bits[h / 8] |= (uint8_t)(1u << (h % 8));
    return true;
}
