/* DNS tunnels (YJ-NET-3005): data carried in the names asked under one registered domain.
 * A question counts when its subdomain part looks like data — a label of at least `label`
 * characters, or at least `entropy` bits per character over 16 characters or more — or
 * when it is a TXT or NULL question (the answer types tunnels use to bring data back). An
 * alert when one domain gets `names` different such names within the window (one per
 * domain per window). Names are counted as distinct through a 4096-bit set of hashes per
 * domain: collisions can only undercount.
 *
 * The registered domain is the last two labels, or three under a two-letter country code
 * whose second level is a generic one (co.jp, ne.jp, com.au, ...): no public-suffix list,
 * which is enough to group a tunnel's names. Reverse lookups (.arpa) are not looked at. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sensor_int.h"

#define DOMAIN_LEN 80
#define NAME_BITS 4096

struct domain {
    struct nd_slot sl;
    char key[DOMAIN_LEN];
    struct nd_win w;
    uint8_t bits[NAME_BITS / 8];
};

static void *dt_new(struct yj_sensor *s)
{
    return nd_det_new(s, sizeof(struct domain), DOMAIN_LEN);
}

static void query(struct nd_det *d, const struct yj_net_flow *f, int64_t ts,
                  const struct yj_dns_query *q)
{
    const char *name = q->rrname.text;
    size_t n = strlen(name);
    while (n && name[n - 1] == '.')
        n--;
    if (n < 6 || (n >= 5 && !strncasecmp(name + n - 5, ".arpa", 5)))
        return;
    size_t reg = nd_registered(name, n);
    if (reg < 2 || n - reg >= DOMAIN_LEN)
        return;
    size_t sub = reg - 1; /* the subdomain part, without its last dot */
    char data[256];
    size_t dn = 0, label = 0, longest = 0; /* longest label of the subdomain part */
    for (size_t i = 0; i < sub; i++) {
        label = name[i] == '.' ? 0 : label + 1;
        longest = label > longest ? label : longest;
        if (name[i] != '.' && dn < sizeof data)
            data[dn++] = name[i];
    }
    bool odd = q->rrtype == 16 || q->rrtype == 10 || longest >= d->c->dns_label ||
               (dn >= 16 && nd_entropy(data, dn) >= d->c->dns_entropy);
    if (!odd)
        return;
    char key[DOMAIN_LEN] = {0};
    for (size_t i = 0; i < n - reg; i++) {
        char c = name[reg + i];
        key[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    int64_t win = (int64_t)d->c->dns_window * 1000000;
    bool fresh;
    struct domain *e = nd_table_get(&d->t, key, ts, ts - win, &fresh);
    if (!e)
        return;
    if (nd_win_roll(&e->w, fresh, ts, win))
        memset(e->bits, 0, sizeof e->bits);
    if (!nd_bits_add(e->bits, NAME_BITS, name, sub) || !nd_win_hit(&e->w, d->c->dns_names))
        return;
    struct nd_alert a = {
        .sig = ND_SIG_DNS_TUNNEL,
        .ts_us = ts,
        .flow = f,
        .detail = e->key,
        .count = e->w.n,
    };
    nd_raise(d->s, &a);
}

static void dt_dns(void *state, const struct yj_net_flow *f, int64_t ts, const struct yj_dns *m)
{
    if (m->qr)
        return;
    for (unsigned i = 0; i < m->n_queries; i++)
        query(state, f, ts, &m->queries[i]);
}

const struct nd_ops nd_dnstunnel = {
    .name = "dnstunnel",
    .new = dt_new,
    .free = nd_det_free,
    .dns = dt_dns,
};
