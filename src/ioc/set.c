/* The built set: one hash table of exact keys and one sorted cut of the address line for
 * ranges, and the lookups on them. Lookups never allocate and never write to the set, so
 * any number of threads may share one set.
 *
 * Ranges: listed CIDRs are either nested or disjoint, so one sweep over them sorted by
 * (start, widest first) with a stack of open ranges cuts the 128-bit address line into
 * segments, each labelled with the innermost (most specific) range covering it. A lookup is
 * one binary search over the segment starts. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ioc_int.h"

/* Zeroed memory for the big lookup tables, on huge pages where the kernel lets a program
 * ask (transparent huge pages in "madvise" mode): a random probe into tens of megabytes
 * then misses the TLB far less often. */
static void *table_alloc(size_t n)
{
    const size_t huge = (size_t)2 << 20;
    if (n < 2 * huge)
        return yj_xcalloc(1, n);
    void *p = NULL;
    size_t sz = (n + huge - 1) & ~(huge - 1);
    if (posix_memalign(&p, huge, sz) != 0)
        yj_oom();
    (void)madvise(p, sz, MADV_HUGEPAGE); /* a hint: refused is fine */
    memset(p, 0, n);
    return p;
}

static inline uint32_t probe(const struct yj_ioc_set *s, uint64_t h)
{
    uint64_t i = h & s->mask;
    for (;;) {
        const struct ioc_slot *x = &s->slots[i];
        if (x->key == h)
            return x->e;
        if (!x->key)
            return IOC_NONE;
        i = (i + 1) & s->mask;
    }
}

static inline uint64_t bloom_bits(uint64_t h)
{
    return (1ULL << (h >> 58)) | (1ULL << ((h >> 52) & 63));
}

/* probe behind the filter: the hot path */
static inline uint32_t fprobe(const struct yj_ioc_set *s, uint64_t h)
{
    uint64_t m = bloom_bits(h);
    if ((s->bloom[(h >> 20) & s->bmask] & m) != m)
        return IOC_NONE;
    return probe(s, h);
}

static void fill(const struct yj_ioc_set *s, uint32_t e, struct yj_ioc_hit *hit)
{
    if (!hit)
        return;
    const struct ioc_ent *x = &s->st.ents[e];
    const struct ioc_list *l = &s->st.lists[x->list];
    *hit = (struct yj_ioc_hit){
        .kind = (enum yj_ioc_kind)x->kind,
        .indicator = s->st.str + x->text,
        .category = s->st.str + x->cat,
        .list = s->st.str + l->name,
        .file = s->st.str + l->file,
        .line = x->line,
    };
}

static int cmp_range(const void *a, const void *b)
{
    const struct ioc_range *x = a, *y = b;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    if (x->hi != y->hi)
        return x->hi > y->hi ? -1 : 1; /* widest first */
    return x->e < y->e ? -1 : x->e > y->e;
}

struct segs {
    yj_u128 *lo;
    uint32_t *e;
    size_t n, cap;
};

static void emit(struct segs *g, yj_u128 lo, uint32_t e)
{
    if (g->n && g->e[g->n - 1] == e)
        return;
    if (g->n && g->lo[g->n - 1] == lo) {
        g->e[g->n - 1] = e;
        if (g->n > 1 && g->e[g->n - 2] == e)
            g->n--;
        return;
    }
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 64;
        g->lo = yj_xrealloc(g->lo, g->cap * sizeof *g->lo);
        g->e = yj_xrealloc(g->e, g->cap * sizeof *g->e);
    }
    g->lo[g->n] = lo;
    g->e[g->n++] = e;
}

/* Cuts the line into segments labelled with the innermost range; r is in cmp_range order. */
static void sweep(const struct ioc_range *r, size_t n, struct segs *g)
{
    if (!n)
        return;
    const struct ioc_range **stack = yj_xmalloc(n * sizeof *stack);
    size_t top = 0;
    emit(g, 0, IOC_NONE);
    for (size_t i = 0; i < n; i++) {
        while (top && stack[top - 1]->hi < r[i].lo) {
            const struct ioc_range *t = stack[--top];
            /* after t ends, the enclosing range (or nothing) continues */
            emit(g, t->hi + 1, top ? stack[top - 1]->e : IOC_NONE);
        }
        if (top && stack[top - 1]->lo == r[i].lo && stack[top - 1]->hi == r[i].hi)
            continue; /* the same range again: the first listing stays the answer */
        emit(g, r[i].lo, r[i].e);
        stack[top++] = &r[i];
    }
    while (top) {
        const struct ioc_range *t = stack[--top];
        if (t->hi == ~(yj_u128)0)
            break;
        emit(g, t->hi + 1, top ? stack[top - 1]->e : IOC_NONE);
    }
    free(stack);
}

#define V4_BASE ((yj_u128)0xffff << 32)

/* Sorts a by key, stably (equal keys keep their order, which is the order of listing):
 * an LSD radix sort over the bytes of the key below 1 << bits, one counting pass for all
 * digits, a pass skipped where every key has the same digit. */
static void sort_v4(struct ioc_v4 *a, size_t n, unsigned bits)
{
    if (n < 2)
        return;
    enum { DIGITS = 6 };
    unsigned nd = (bits + 7) / 8;
    size_t(*cnt)[256] = yj_xcalloc(DIGITS, sizeof *cnt);
    for (size_t i = 0; i < n; i++)
        for (unsigned d = 0; d < nd; d++)
            cnt[d][(a[i].key >> (8 * d)) & 0xff]++;
    struct ioc_v4 *tmp = yj_xmalloc(n * sizeof *tmp), *src = a, *dst = tmp;
    for (unsigned d = 0; d < nd; d++) {
        size_t sum = 0;
        bool skip = false;
        for (unsigned v = 0; v < 256; v++) {
            size_t c = cnt[d][v];
            if (c == n)
                skip = true;
            cnt[d][v] = sum;
            sum += c;
        }
        if (skip)
            continue;
        for (size_t i = 0; i < n; i++)
            dst[cnt[d][(src[i].key >> (8 * d)) & 0xff]++] = src[i];
        struct ioc_v4 *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
    free(tmp);
    free(cnt);
}

/* idx[b] = first i with key(i) >> shift >= b, for b in 0..65536; NULL for short arrays,
 * which a plain binary search covers as fast (and small sets stay small) */
static uint32_t *index16(size_t n, const void *keys, bool wide)
{
    if (n < 1024)
        return NULL;
    uint32_t *idx = yj_xmalloc(65537 * sizeof *idx);
    size_t i = 0;
    for (uint32_t b = 0; b <= 65536; b++) {
        while (i < n && (wide ? ((const uint64_t *)keys)[i] >> 32
                              : ((const uint32_t *)keys)[i] >> 16) < b)
            i++;
        idx[b] = (uint32_t)i;
    }
    return idx;
}

static void build_addrs(struct yj_ioc_set *s)
{
    struct ioc_store *st = &s->st;
    /* IPv6 and all ranges */
    struct segs g = {0};
    if (st->nranges)
        qsort(st->ranges, st->nranges, sizeof *st->ranges, cmp_range);
    sweep(st->ranges, st->nranges, &g);
    s->seg_lo = g.lo;
    s->seg_e = g.e;
    s->nseg = g.n;
    /* IPv4: v4 ranges and exact v4 addresses on the 32-bit line */
    /* (ranges nest: one either lies inside ::ffff:0:0/96, holds all of it, or misses it) */
    const yj_u128 v4_end = V4_BASE | 0xffffffffu;
    struct ioc_range *r = yj_xmalloc((st->nv4 + st->nranges + 1) * sizeof *r);
    size_t k = 0;
    for (size_t i = 0; i < st->nranges; i++) {
        const struct ioc_range *x = &st->ranges[i];
        if (x->lo >= V4_BASE && x->hi <= v4_end)
            r[k++] = (struct ioc_range){x->lo - V4_BASE, x->hi - V4_BASE, x->e};
        else if (x->lo <= V4_BASE && x->hi >= v4_end)
            r[k++] = (struct ioc_range){0, 0xffffffffu, x->e};
    }
    /* the exact addresses (most of them) radix sorted, merged with the sorted ranges: the
     * order of cmp_range that sweep needs */
    if (k)
        qsort(r, k, sizeof *r, cmp_range);
    sort_v4(st->v4, st->nv4, 32);
    memmove(r + st->nv4, r, k * sizeof *r);
    size_t ri = st->nv4, j = 0, o = 0, end = st->nv4 + k;
    while (j < st->nv4) {
        struct ioc_range x = {st->v4[j].key, st->v4[j].key, st->v4[j].e};
        if (ri < end && cmp_range(&r[ri], &x) < 0)
            r[o++] = r[ri++];
        else {
            r[o++] = x;
            j++;
        }
    }
    k = end;
    struct segs g4 = {0};
    sweep(r, k, &g4);
    free(r);
    if (!g4.n)
        emit(&g4, 0, IOC_NONE);
    s->s4_lo = yj_xmalloc(g4.n * sizeof *s->s4_lo);
    s->s4_e = yj_xmalloc(g4.n * sizeof *s->s4_e);
    for (size_t i = 0; i < g4.n; i++) {
        if (g4.lo[i] > 0xffffffffu)
            break; /* the end of a range reaching 255.255.255.255 */
        s->s4_lo[s->ns4] = (uint32_t)g4.lo[i];
        s->s4_e[s->ns4++] = g4.e[i];
    }
    free(g4.lo);
    free(g4.e);
    s->idx4 = index16(s->ns4, s->s4_lo, false);
    /* IPv4 with a port: sorted, the first listing of each kept */
    sort_v4(st->p4, st->np4, 48);
    s->p4_key = yj_xmalloc((st->np4 ? st->np4 : 1) * sizeof *s->p4_key);
    s->p4_e = yj_xmalloc((st->np4 ? st->np4 : 1) * sizeof *s->p4_e);
    for (size_t i = 0; i < st->np4; i++) {
        if (s->np4 && s->p4_key[s->np4 - 1] == st->p4[i].key)
            continue;
        s->p4_key[s->np4] = st->p4[i].key;
        s->p4_e[s->np4++] = st->p4[i].e;
    }
    s->pidx4 = index16(s->np4, s->p4_key, true);
    free(st->v4);
    free(st->p4);
    st->v4 = st->p4 = NULL;
    st->nv4 = st->np4 = st->capv4 = st->capp4 = 0;
}

struct yj_ioc_set *yj_ioc_builder_build(struct yj_ioc_builder *b)
{
    struct yj_ioc_set *s = yj_xcalloc(1, sizeof *s);
    s->st = b->st;
    free(b);
    size_t n = s->st.nents, cap = 16;
    while (cap < n + n / 2)
        cap *= 2;
    s->slots = table_alloc(cap * sizeof *s->slots);
    s->mask = cap - 1;
    size_t words = 64;
    while (words * 64 < n * 16)
        words *= 2;
    s->bloom = table_alloc(words * sizeof *s->bloom);
    s->bmask = words - 1;
    /* backwards, inserting at the head of each chain: chains end up in file order */
    enum { AHEAD = 16 }; /* the slot and filter word of a later key are fetched meanwhile */
    for (size_t k = n; k-- > 0;) {
        if (k >= AHEAD) {
            uint64_t ha = s->st.hashes[k - AHEAD];
            __builtin_prefetch(&s->slots[ha & s->mask], 1);
            __builtin_prefetch(&s->bloom[(ha >> 20) & s->bmask], 1);
        }
        uint64_t h = s->st.hashes[k];
        if (!h)
            continue;
        uint64_t i = h & s->mask;
        while (s->slots[i].key && s->slots[i].key != h)
            i = (i + 1) & s->mask;
        if (s->slots[i].key)
            s->st.ents[k].next = s->slots[i].e;
        s->slots[i].key = h;
        s->slots[i].e = (uint32_t)k;
        s->bloom[(h >> 20) & s->bmask] |= bloom_bits(h);
    }
    free(s->st.hashes);
    s->st.hashes = NULL;
    free(s->st.catkeys);
    free(s->st.catvals);
    s->st.catkeys = NULL;
    s->st.catvals = NULL;
    s->st.catcap = 0;
    build_addrs(s);
    return s;
}

void yj_ioc_set_free(struct yj_ioc_set *s)
{
    if (!s)
        return;
    ioc_store_fini(&s->st);
    free(s->slots);
    free(s->bloom);
    free(s->seg_lo);
    free(s->seg_e);
    free(s->s4_lo);
    free(s->s4_e);
    free(s->idx4);
    free(s->p4_key);
    free(s->p4_e);
    free(s->pidx4);
    free(s);
}

size_t yj_ioc_set_count(const struct yj_ioc_set *s) { return s->st.nents; }
size_t yj_ioc_set_lists(const struct yj_ioc_set *s) { return s->st.nlists; }

size_t yj_ioc_set_bytes(const struct yj_ioc_set *s)
{
    return s->st.capents * sizeof *s->st.ents + s->st.capstr +
           s->st.caplists * sizeof *s->st.lists + s->st.capranges * sizeof *s->st.ranges +
           (s->mask + 1) * sizeof *s->slots + (s->bmask + 1) * sizeof *s->bloom +
           s->nseg * (sizeof *s->seg_lo + sizeof *s->seg_e) +
           s->ns4 * (sizeof *s->s4_lo + sizeof *s->s4_e) +
           s->np4 * (sizeof *s->p4_key + sizeof *s->p4_e) +
           ((s->idx4 ? 65537u : 0u) + (s->pidx4 ? 65537u : 0u)) * sizeof *s->idx4;
}

/* ---- lookups ---- */

static uint32_t seg_find(const struct yj_ioc_set *s, yj_u128 a)
{
    if (!s->nseg)
        return IOC_NONE;
    /* the last segment starting at or before a (segment 0 starts at 0) */
    size_t lo = 0, hi = s->nseg;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (s->seg_lo[mid] <= a)
            lo = mid;
        else
            hi = mid;
    }
    return s->seg_e[lo];
}

static uint32_t find4(const struct yj_ioc_set *s, uint32_t a, uint16_t port)
{
    uint32_t b = a >> 16;
    /* the last segment starting at or before a: in this bucket, or the one before it */
    size_t lo = 0, hi = s->ns4;
    if (s->idx4) {
        lo = s->idx4[b] ? s->idx4[b] - 1 : 0;
        hi = s->idx4[b + 1];
    }
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (s->s4_lo[mid] <= a)
            lo = mid;
        else
            hi = mid;
    }
    uint32_t e = s->s4_e[lo];
    if (e != IOC_NONE || !port || !s->np4)
        return e;
    uint64_t key = (uint64_t)a << 16 | port;
    size_t end = s->np4;
    lo = 0;
    if (s->pidx4) {
        lo = s->pidx4[b];
        end = s->pidx4[b + 1];
    }
    hi = end;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->p4_key[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < end && s->p4_key[lo] == key ? s->p4_e[lo] : IOC_NONE;
}

static bool is_v4(const uint8_t a[16])
{
    static const uint8_t pre[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return memcmp(a, pre, 12) == 0;
}

bool yj_ioc_match_ip(const struct yj_ioc_set *s, const uint8_t addr[16], uint16_t port,
                     struct yj_ioc_hit *hit)
{
    uint32_t e;
    if (is_v4(addr)) {
        e = find4(s, (uint32_t)addr[12] << 24 | (uint32_t)addr[13] << 16 |
                         (uint32_t)addr[14] << 8 | addr[15],
                  port);
    } else {
        e = fprobe(s, ioc_hash_addr(addr, 0));
        if (e == IOC_NONE && port)
            e = fprobe(s, ioc_hash_addr(addr, port));
        if (e == IOC_NONE)
            e = seg_find(s, ioc_u128(addr));
    }
    if (e == IOC_NONE)
        return false;
    fill(s, e, hit);
    return true;
}

bool yj_ioc_match_ip4(const struct yj_ioc_set *s, uint32_t addr, uint16_t port,
                      struct yj_ioc_hit *hit)
{
    uint32_t e = find4(s, addr, port);
    if (e == IOC_NONE)
        return false;
    fill(s, e, hit);
    return true;
}

bool yj_ioc_match_domain(const struct yj_ioc_set *s, const char *name, size_t n,
                         struct yj_ioc_hit *hit)
{
    if (n && name[n - 1] == '.')
        n--;
    /* walk from the end: at every label start the hash of that suffix is complete; the
     * last (longest) match found is the most specific */
    uint64_t h = IOC_FNV_OFF;
    uint32_t found = IOC_NONE;
    bool dot = false;
    while (n) {
        unsigned char c = (unsigned char)name[--n];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        if (c == '.') {
            if (dot) {
                uint32_t e = fprobe(s, ioc_fin(h, TAG_DOMAIN));
                if (e != IOC_NONE)
                    found = e;
            }
            dot = true; /* listed names have two labels at least: skip the TLD alone */
        }
        h = ioc_step(h, c);
    }
    if (dot) {
        uint32_t e = fprobe(s, ioc_fin(h, TAG_DOMAIN));
        if (e != IOC_NONE)
            found = e;
    }
    if (found == IOC_NONE)
        return false;
    fill(s, found, hit);
    return true;
}

#define BOUNDS_MAX 64

/* Probes the prefixes of key[from..n) that end at n or before a '/' or '?' (from on), the
 * longest first. key[0..from) is hashed as the start of every prefix. */
static uint32_t url_probe(const struct yj_ioc_set *s, const char *key, size_t n, size_t from,
                          size_t start)
{
    uint64_t st[BOUNDS_MAX];
    size_t nb = 0;
    uint64_t h = IOC_FNV_OFF;
    for (size_t i = start; i < n; i++) {
        char c = key[i];
        if (i >= from && i > start && (c == '/' || c == '?') && nb < BOUNDS_MAX)
            st[nb++] = h;
        h = ioc_step(h, (unsigned char)c);
    }
    uint32_t e = fprobe(s, ioc_fin(h, TAG_URL));
    while (e == IOC_NONE && nb)
        e = fprobe(s, ioc_fin(st[--nb], TAG_URL));
    return e;
}

static uint32_t url_lookup(const struct yj_ioc_set *s, const char *key, size_t n, size_t host_n)
{
    uint32_t e = IOC_NONE;
    if (host_n)
        e = url_probe(s, key, n, host_n, 0);
    if (e == IOC_NONE && n > host_n)
        e = url_probe(s, key, n, host_n, host_n);
    return e;
}

bool yj_ioc_match_url(const struct yj_ioc_set *s, const char *url, size_t n,
                      struct yj_ioc_hit *hit)
{
    char key[IOC_TEXT_MAX + 64];
    size_t kn, host_n;
    if (n > IOC_TEXT_MAX)
        n = IOC_TEXT_MAX; /* the start still finds listed prefixes */
    if (!ioc_url_norm((struct yj_str){url, n}, key, sizeof key, &kn, &host_n))
        return false;
    uint32_t e = url_lookup(s, key, kn, host_n);
    if (e == IOC_NONE)
        return false;
    fill(s, e, hit);
    return true;
}

bool yj_ioc_match_http(const struct yj_ioc_set *s, const char *host, size_t hn, const char *uri,
                       size_t un, struct yj_ioc_hit *hit)
{
    if (un >= 7 && (memcmp(uri, "http://", 7) == 0 || (un >= 8 && !memcmp(uri, "https://", 8))))
        return yj_ioc_match_url(s, uri, un, hit);
    char buf[IOC_TEXT_MAX + 1];
    if (hn > 255)
        return false;
    memcpy(buf, host, hn);
    size_t k = hn;
    if (!un || uri[0] != '/')
        buf[k++] = '/';
    size_t take = un < sizeof buf - k ? un : sizeof buf - k;
    memcpy(buf + k, uri, take);
    return yj_ioc_match_url(s, buf, k + take, hit);
}

/* ---- explain ---- */

struct expl {
    const struct yj_ioc_set *s;
    struct yj_ioc_hit *out;
    size_t max, total;
};

static void add_hit(struct expl *x, uint32_t e)
{
    for (size_t i = 0; i < x->total && i < x->max; i++)
        if (x->out[i].indicator == x->s->st.str + x->s->st.ents[e].text &&
            x->out[i].line == x->s->st.ents[e].line)
            return;
    if (x->total < x->max)
        fill(x->s, e, &x->out[x->total]);
    x->total++;
}

static void add_chain(struct expl *x, uint32_t e)
{
    for (; e != IOC_NONE; e = x->s->st.ents[e].next)
        add_hit(x, e);
}

static void explain_ip(struct expl *x, const uint8_t a[16], uint16_t port)
{
    const struct yj_ioc_set *s = x->s;
    add_chain(x, probe(s, ioc_hash_addr(a, 0)));
    if (port) {
        add_chain(x, probe(s, ioc_hash_addr(a, port)));
    } else {
        /* any port: the listings of this address with a port (a scan; commands only) */
        for (size_t i = 0; i < s->st.nents; i++) {
            if (s->st.ents[i].kind != YJ_IOC_IPPORT)
                continue;
            struct ioc_value v;
            const char *why;
            const char *t = s->st.str + s->st.ents[i].text;
            if (ioc_value_parse(yj_str_c(t), &v, &why) && memcmp(v.addr, a, 16) == 0)
                add_hit(x, (uint32_t)i);
        }
    }
    /* URLs listed as the bare address ("http://1.2.3.4") */
    char t[64];
    ioc_addr_text(a, t, sizeof t);
    if (memchr(t, ':', strlen(t)) == NULL)
        add_chain(x, probe(s, ioc_hash_url(t, strlen(t))));
    yj_u128 u = ioc_u128(a);
    for (size_t i = 0; i < s->st.nranges; i++)
        if (s->st.ranges[i].lo <= u && u <= s->st.ranges[i].hi)
            add_hit(x, s->st.ranges[i].e);
}

static void explain_domain(struct expl *x, const char *name, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || name[i - 1] == '.') {
            const char *p = name + i;
            size_t k = n - i;
            if (memchr(p, '.', k)) {
                add_chain(x, probe(x->s, ioc_hash_domain(p, k)));
                /* URLs listed as the bare host ("http://evil.com") */
                if (i == 0)
                    add_chain(x, probe(x->s, ioc_hash_url(p, k)));
            }
        }
    }
}

static void explain_url(struct expl *x, const char *key, size_t n, size_t host_n)
{
    /* every boundary prefix, with the host and without */
    for (int pass = 0; pass < 2; pass++) {
        size_t start = pass ? host_n : 0;
        if (pass == 0 && !host_n)
            continue;
        for (size_t i = start + 1; i <= n; i++)
            if (i == n || ((key[i] == '/' || key[i] == '?') && i >= host_n))
                add_chain(x, probe(x->s, ioc_hash_url(key + start, i - start)));
    }
}

enum yj_err yj_ioc_explain(const struct yj_ioc_set *s, const char *value,
                           enum yj_ioc_value *kind, struct yj_ioc_hit *out, size_t max,
                           size_t *total)
{
    struct expl x = {s, out, max, 0};
    struct ioc_value v;
    const char *why;
    *total = 0;
    if (!ioc_value_parse(yj_str_c(value), &v, &why))
        return YJ_ERR_INVALID;
    switch (v.kind) {
    case YJ_IOC_IP:
    case YJ_IOC_IPPORT:
        *kind = YJ_IOC_VAL_IP;
        explain_ip(&x, v.addr, v.kind == YJ_IOC_IPPORT ? v.port : 0);
        break;
    case YJ_IOC_CIDR: {
        *kind = YJ_IOC_VAL_CIDR;
        yj_u128 lo = ioc_u128(v.addr);
        yj_u128 hi = lo | (v.prefix ? (((yj_u128)1 << (128 - v.prefix)) - 1) : ~(yj_u128)0);
        for (size_t i = 0; i < s->st.nranges; i++)
            if (s->st.ranges[i].lo <= hi && lo <= s->st.ranges[i].hi)
                add_hit(&x, s->st.ranges[i].e);
        /* single addresses inside it are not searched: ranges only */
        break;
    }
    case YJ_IOC_DOMAIN:
        *kind = YJ_IOC_VAL_DOMAIN;
        explain_domain(&x, v.text, v.n);
        break;
    case YJ_IOC_URL:
    case YJ_IOC_PATH: {
        *kind = YJ_IOC_VAL_URL;
        explain_url(&x, v.text, v.n, v.host_n);
        /* and the host itself */
        struct ioc_value h;
        char host[300];
        size_t hn = v.host_n < sizeof host - 1 ? v.host_n : sizeof host - 1;
        memcpy(host, v.text, hn);
        host[hn] = 0;
        if (hn && ioc_value_parse(yj_str_c(host), &h, &why)) {
            if (h.kind == YJ_IOC_DOMAIN)
                explain_domain(&x, h.text, h.n);
            else if (h.kind == YJ_IOC_IP || h.kind == YJ_IOC_IPPORT)
                explain_ip(&x, h.addr, h.kind == YJ_IOC_IPPORT ? h.port : 0);
        } else if (hn) {
            /* domain:port */
            char *colon = strrchr(host, ':');
            if (colon && ioc_value_parse((struct yj_str){host, (size_t)(colon - host)}, &h,
                                         &why) &&
                h.kind == YJ_IOC_DOMAIN)
                explain_domain(&x, h.text, h.n);
        }
        break;
    }
    default:
        return YJ_ERR_INVALID;
    }
    *total = x.total;
    return YJ_ERR_OK;
}

const char *yj_ioc_kind_name(enum yj_ioc_kind k)
{
    static const char *const names[YJ_IOC_KIND__COUNT] = {"ip", "cidr", "ip-port",
                                                          "domain", "url", "path"};
    return (unsigned)k < YJ_IOC_KIND__COUNT ? names[k] : "?";
}
