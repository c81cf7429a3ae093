/* A bounded "seen lately" table: 4-way buckets keyed by a 64-bit hash, the oldest entry of a
 * full bucket gives way. No allocation after nd_recent_new. */
#include <stdlib.h>

#include "sensor_int.h"

#define WAYS 4

struct slot {
    uint64_t key;
    int64_t ts_us;
};

struct nd_recent {
    struct slot *v;
    size_t mask; /* buckets - 1 */
};

struct nd_recent *nd_recent_new(size_t slots)
{
    size_t b = 1;
    while (b * WAYS < slots)
        b <<= 1;
    struct nd_recent *r = yj_xcalloc(1, sizeof *r);
    r->v = yj_xcalloc(b * WAYS, sizeof *r->v);
    r->mask = b - 1;
    return r;
}

void nd_recent_free(struct nd_recent *r)
{
    if (!r)
        return;
    free(r->v);
    free(r);
}

uint64_t nd_hash_str(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ull;
    }
    h ^= 0xff; /* a separator, so ("ab","c") and ("a","bc") differ */
    return h * 0x100000001b3ull;
}

bool nd_recent_first(struct nd_recent *r, uint64_t key, int64_t ts_us, int64_t window_us)
{
    key |= 1; /* 0 marks an empty slot */
    struct slot *b = &r->v[((key >> 17) & r->mask) * WAYS], *old = b;
    for (int i = 0; i < WAYS; i++) {
        if (b[i].key == key) {
            if (ts_us - b[i].ts_us < window_us && ts_us >= b[i].ts_us)
                return false;
            b[i].ts_us = ts_us;
            return true;
        }
        if (!b[i].key || b[i].ts_us < old->ts_us)
            old = &b[i];
        if (!b[i].key)
            break;
    }
    old->key = key;
    old->ts_us = ts_us;
    return true;
}
