/* Generated domain names (YJ-NET-3010): malware that computes its meeting places from the
 * date asks for many made-up names, and most do not exist. Per asking machine, the
 * "no such domain" (NXDOMAIN) answers within the window for different names whose
 * registered label looks generated: 8 characters or more, at least 3 bits per character,
 * and either a run of 4 consonants or letters mixed with digits ("xkqjzpwlv.com",
 * "a3f9k2m8q.net"). Words, brand names and single-label look-ups (Chrome's start-up probes
 * for NXDOMAIN hijacking have no dot) do not count. Distinct names are counted through a
 * 1024-bit hash set per machine (collisions only undercount); one alert per machine per
 * window, naming the last such domain. */
#include <stdio.h>
#include <string.h>

#include "sensor_int.h"

#define NAME_BITS 1024

struct asker {
    struct nd_slot sl;
    struct yj_net_addr key;
    struct nd_win w;
    uint8_t bits[NAME_BITS / 8];
};

static void *dga_new(struct yj_sensor *s)
{
    return nd_det_new(s, sizeof(struct asker), sizeof(struct yj_net_addr));
}

static bool generated(const char *l, size_t n)
{
    if (n < 8 || nd_entropy(l, n) < 3.0)
        return false;
    unsigned run = 0, longest = 0, digits = 0, letters = 0;
    for (size_t i = 0; i < n; i++) {
        char c = (char)(l[i] >= 'A' && l[i] <= 'Z' ? l[i] + 32 : l[i]);
        bool letter = c >= 'a' && c <= 'z', digit = c >= '0' && c <= '9';
        if (!letter && !digit)
            return false; /* hyphenated names are people's */
        digits += digit;
        letters += letter;
        run = letter && !strchr("aeiouy", c) ? run + 1 : 0;
        longest = run > longest ? run : longest;
    }
    return longest >= 4 || (digits >= 2 && letters >= 2);
}

static void dga_dns(void *state, const struct yj_net_flow *f, int64_t ts, const struct yj_dns *m)
{
    struct nd_det *d = state;
    if (!m->qr || m->rcode != 3 || !m->n_queries)
        return;
    const char *name = m->queries[0].rrname.text;
    size_t n = strlen(name);
    while (n && name[n - 1] == '.')
        n--;
    size_t reg = nd_registered(name, n);
    if (reg == 0 && !memchr(name, '.', n))
        return; /* one label: not a domain on the internet (0: the name is the domain) */
    const char *dot = memchr(name + reg, '.', n - reg);
    if (!dot || !generated(name + reg, (size_t)(dot - (name + reg))))
        return;
    int64_t win = (int64_t)d->c->dga_window * 1000000;
    bool fresh;
    struct asker *e = nd_table_get(&d->t, &f->src, ts, ts - win, &fresh);
    if (!e)
        return;
    if (nd_win_roll(&e->w, fresh, ts, win))
        memset(e->bits, 0, sizeof e->bits);
    if (!nd_bits_add(e->bits, NAME_BITS, name + reg, n - reg) ||
        !nd_win_hit(&e->w, d->c->dga_names))
        return;
    char detail[128];
    snprintf(detail, sizeof detail, "%.*s", (int)(n - reg), name + reg);
    struct nd_alert a = {
        .sig = ND_SIG_DGA,
        .ts_us = ts,
        .flow = f,
        .detail = detail,
        .count = e->w.n,
    };
    nd_raise(d->s, &a);
}

const struct nd_ops nd_dga = {
    .name = "dga",
    .new = dga_new,
    .free = nd_det_free,
    .dns = dga_dns,
};
