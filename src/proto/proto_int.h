/* What the parsers of src/proto share: a bounds-checked reader over bytes, bounded text
 * copies, base64 and percent decoding into caller buffers. Private to src/proto. */
#ifndef YJ_PROTO_INT_H
#define YJ_PROTO_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A cursor over bytes: every read checks the bound and sets bad instead of overreading. */
struct rd {
    const uint8_t *p;
    size_t n, off;
    bool bad;
};

static inline bool rd_has(const struct rd *r, size_t k)
{
    return !r->bad && r->n - r->off >= k;
}

static inline uint8_t rd_u8(struct rd *r)
{
    if (!rd_has(r, 1)) {
        r->bad = true;
        return 0;
    }
    return r->p[r->off++];
}

static inline uint16_t rd_u16(struct rd *r)
{
    if (!rd_has(r, 2)) {
        r->bad = true;
        return 0;
    }
    uint16_t v = (uint16_t)(r->p[r->off] << 8 | r->p[r->off + 1]);
    r->off += 2;
    return v;
}

static inline uint32_t rd_u32(struct rd *r)
{
    uint32_t hi = rd_u16(r);
    return hi << 16 | rd_u16(r);
}

/* A sub-reader over the next k bytes (marked bad, and r too, when they are not there). */
static inline struct rd rd_sub(struct rd *r, size_t k)
{
    struct rd s = {r->p, 0, 0, true};
    if (!rd_has(r, k)) {
        r->bad = true;
        return s;
    }
    s.p = r->p + r->off;
    s.n = k;
    s.bad = false;
    r->off += k;
    return s;
}

/* Bounded text output: appends stop at cap-1 and set trunc; out is always NUL-terminated. */
struct tb {
    char *p;
    size_t cap, n;
    bool trunc;
};

void tb_init(struct tb *t, char *buf, size_t cap);
void tb_putc(struct tb *t, char c);
void tb_puts(struct tb *t, const char *s);
void tb_putn(struct tb *t, const char *s, size_t n);
void tb_putu(struct tb *t, unsigned long v);
/* Printable ASCII as is, other bytes (and the byte `also`, -1 for none) as \xNN. */
void tb_escape(struct tb *t, const uint8_t *s, size_t n, int also);

/* Copies n bytes into buf (cap >= 1), NUL-terminated, each control or non-ASCII byte
 * replaced by '?'; returns true when the copy was cut. */
bool copy_clean(char *buf, size_t cap, const uint8_t *s, size_t n);

/* Decodes base64 (standard alphabet, '=' padding, no whitespace) into out; returns the
 * decoded length, or -1 when s is not base64 or out is too small. */
long b64_decode(const uint8_t *s, size_t n, uint8_t *out, size_t cap);
/* Decodes form-urlencoding ('+' is a space, %XX) into out (truncating at cap); returns the
 * decoded length. */
size_t pct_decode(const uint8_t *s, size_t n, uint8_t *out, size_t cap);

/* ASCII case-insensitive: does s[0..n) start with the NUL-terminated word w? */
bool starts_ci(const uint8_t *s, size_t n, const char *w);
bool eq_ci(const uint8_t *s, size_t n, const char *w);
bool contains_ci(const uint8_t *s, size_t n, const char *w);

/* Finds the next line in p[*off..n): sets *ls and *ll to it (without CR LF or LF) and advances
 * *off past its end. False when no complete line (ending in LF) is left. */
bool next_line(const uint8_t *p, size_t n, size_t *off, const uint8_t **ls, size_t *ll);

struct yj_tls_hello;
/* Fills ja3/ja3_hash (JA3 or JA3S) and, for a ClientHello, ja4 (tls_fp.c). alpn0 is the
 * first ALPN value as sent (NULL when there is none). */
void tls_fingerprint(struct yj_tls_hello *h, const uint8_t *alpn0, size_t alpn0_len);

/* Wipes a buffer that held a secret (not optimised away). */
void wipe(void *p, size_t n);

#endif
