/* Inside the ioc module: the value normaliser, the key hashes and the set's layout.
 *
 *   set
 *   ├── ents[]      one per listed indicator: kind, list, line, category and text offsets
 *   ├── str         one arena of NUL-terminated strings (indicators, categories, names)
 *   ├── keys/vals   open-addressing table: 64-bit key hash -> first entry (ents[].next
 *   │               chains the same indicator from other lists or lines)
 *   └── seg_lo/seg_e  the address line cut into segments, each with the most specific
 *                   listed range covering it (UINT32_MAX: none); binary-searched
 *
 * Exact indicators (addresses, address+port, domains, URLs, paths) live in the hash table;
 * only ranges wider than one address live in the segments. */
#ifndef YJ_IOC_IOC_INT_H
#define YJ_IOC_IOC_INT_H

#include "ioc.h"

#include "base/str.h"

typedef unsigned __int128 yj_u128;

#define IOC_NONE UINT32_MAX
#define IOC_TEXT_MAX 2048 /* longest indicator kept (URLs) */
#define IOC_LINE_MAX 65536 /* longer lines are bad lines */

/* Key hashes: FNV-1a steps, finished by a 64-bit mixer with a per-kind tag so that kinds
 * never share a key. Domains hash from their last byte backwards, so that the hash of every
 * parent domain falls out of one pass over a name. */
#define IOC_FNV_OFF 0xcbf29ce484222325ULL
#define IOC_FNV_PRIME 0x100000001b3ULL
static inline uint64_t ioc_step(uint64_t h, unsigned char c) { return (h ^ c) * IOC_FNV_PRIME; }
static inline uint64_t ioc_fin(uint64_t h, unsigned tag)
{
    h ^= (uint64_t)tag * 0x9e3779b97f4a7c15ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h ? h : 1; /* 0 marks an empty slot */
}
enum { TAG_ADDR = 1, TAG_ADDRPORT, TAG_DOMAIN, TAG_URL };

uint64_t ioc_hash_addr(const uint8_t a[16], uint16_t port);
/* n bytes of an already lowercased name. */
uint64_t ioc_hash_domain(const char *p, size_t n);
uint64_t ioc_hash_url(const char *p, size_t n);

/* A value as read from a list or a command line, classified and normalised. */
struct ioc_value {
    enum yj_ioc_kind kind;
    uint8_t addr[16]; /* IP, CIDR (network address), IPPORT */
    unsigned prefix;  /* CIDR: bits of the 128-bit (v4-mapped) address */
    uint16_t port;    /* IPPORT */
    bool v4;
    uint64_t hash;    /* DOMAIN: its key hash (ioc_hash_domain of text), found while parsing */
    char text[IOC_TEXT_MAX + 64]; /* normalised form, NUL-terminated */
    size_t n;
    size_t host_n;    /* URL: bytes of text that are host[:port] (0 for PATH) */
};

/* Parses one indicator; on failure returns false and *why names the catalog id of the
 * problem ("ioc.bad_value", "ioc.too_long", ...). */
bool ioc_value_parse(struct yj_str s, struct ioc_value *v, const char **why);
/* Strict dotted-quad IPv4 / IPv6 (no brackets). */
bool ioc_parse_ip(struct yj_str s, uint8_t out[16], bool *v4);
/* Lowercased, trailing dot dropped, "*." dropped; false when not a valid domain name. */
bool ioc_domain_norm(struct yj_str s, char *out, size_t cap, size_t *n);
/* Normalises a URL into out ("host[:port]/path?query"); host_n gets the host's length. */
bool ioc_url_norm(struct yj_str s, char *out, size_t cap, size_t *n, size_t *host_n);
/* Text of an address ("1.2.3.4", "2001:db8::1"). */
void ioc_addr_text(const uint8_t a[16], char *out, size_t cap);

struct ioc_ent {
    uint32_t text;  /* offset in str */
    uint32_t cat;   /* offset in str ("" at 0) */
    uint32_t line;
    uint32_t next;  /* next entry with the same key, IOC_NONE at the end */
    uint16_t list;
    uint8_t kind;
    uint8_t pad;
};

struct ioc_list {
    uint32_t name, file; /* offsets in str */
};

struct ioc_range {
    yj_u128 lo, hi;
    uint32_t e;
};

/* The growing parts, shared by builder and set. */
struct ioc_store {
    struct ioc_ent *ents;
    uint64_t *hashes; /* per entry while building; 0 for ranges */
    size_t nents, capents;
    char *str;
    size_t nstr, capstr;
    struct ioc_list *lists;
    size_t nlists, caplists;
    struct ioc_range *ranges;
    size_t nranges, capranges;
    struct ioc_v4 { uint64_t key; uint32_t e; } *v4, *p4; /* exact v4 (key = address), */
    size_t nv4, capv4, np4, capp4;                           /* v4 with port (addr<<16|port) */
    /* category interning: hash -> offset */
    uint64_t *catkeys;
    uint32_t *catvals;
    size_t catcap, ncat;
    uint32_t lastcat; /* the category interned last (lists come grouped by category), 0 */
};

struct yj_ioc_builder {
    struct ioc_store st;
};

/* One hash table slot: the full 64-bit key hash and the first entry (one cache line
 * access per probe). */
struct ioc_slot {
    uint64_t key; /* 0: empty */
    uint32_t e;
    uint32_t pad;
};

struct yj_ioc_set {
    struct ioc_store st;
    struct ioc_slot *slots;
    uint64_t mask;   /* table size - 1 */
    /* a two-bits-per-key filter over the table's keys, small enough to stay in cache, so
     * that most names that are not listed never touch the table */
    uint64_t *bloom;
    uint64_t bmask;  /* words - 1 */
    /* IPv6 (and every range): segments of the 128-bit line */
    yj_u128 *seg_lo;
    uint32_t *seg_e;
    size_t nseg;
    /* IPv4, exact addresses and ranges merged: segments of the 32-bit line with a first
     * level index on the top 16 bits (idx4[b]: first segment starting at or after b<<16) */
    uint32_t *s4_lo, *s4_e;
    size_t ns4;
    uint32_t *idx4;  /* 65537 */
    /* IPv4 with a port: sorted (address << 16 | port), same kind of index */
    uint64_t *p4_key;
    uint32_t *p4_e;
    size_t np4;
    uint32_t *pidx4; /* 65537 */
};

uint32_t ioc_str_add(struct ioc_store *st, const char *p, size_t n);
uint32_t ioc_cat_intern(struct ioc_store *st, const char *p, size_t n);
/* Adds an entry for v in list (index) at line with category offset cat. */
void ioc_add_value(struct ioc_store *st, const struct ioc_value *v, uint16_t list, uint32_t line,
                   uint32_t cat);
void ioc_store_fini(struct ioc_store *st);

static inline yj_u128 ioc_u128(const uint8_t a[16])
{
    yj_u128 x = 0;
    for (int i = 0; i < 16; i++)
        x = (x << 8) | a[i];
    return x;
}

#endif
