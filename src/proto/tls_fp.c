/* TLS fingerprints from a parsed hello.
 *
 * JA3  (client): "version,ciphers,extensions,groups,point_formats", decimal values joined
 *      by '-', GREASE left out; MD5 of that string.
 * JA3S (server): "version,cipher,extensions"; MD5 likewise.
 * JA4  (client, FoxIO): t<ver><d|i><nn ciphers><nn exts><alpn>_<sha256/12 of the sorted
 *      ciphers>_<sha256/12 of the sorted extensions without SNI and ALPN, then '_' and the
 *      signature algorithms in their original order>. GREASE is ignored everywhere. The
 *      version is the highest supported_versions entry, else the hello's version. */
#define OPENSSL_SUPPRESS_DEPRECATED /* MD5(): one-shot on the stack, no EVP allocation */
#include <openssl/md5.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "proto.h"
#include "proto_int.h"

_Static_assert(YJ_TLS_JA3_LEN > 6 * (YJ_TLS_MAX_CIPHERS + 2 * YJ_TLS_MAX_LIST) +
                                    4 * 16 + 16,
               "the JA3 string always fits");

static const char hexd[] = "0123456789abcdef";

static void put_list16(struct tb *t, const uint16_t *v, size_t n)
{
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        if (yj_tls_is_grease(v[i]))
            continue;
        if (!first)
            tb_putc(t, '-');
        tb_putu(t, v[i]);
        first = false;
    }
}

static void md5_hex(const char *s, size_t n, char out[33])
{
    unsigned char d[MD5_DIGEST_LENGTH];
    MD5((const unsigned char *)s, n, d);
    for (size_t i = 0; i < sizeof d; i++) {
        out[2 * i] = hexd[d[i] >> 4];
        out[2 * i + 1] = hexd[d[i] & 15];
    }
    out[32] = '\0';
}

static void ja3(struct yj_tls_hello *h)
{
    struct tb t;
    tb_init(&t, h->ja3, sizeof h->ja3);
    tb_putu(&t, h->version);
    tb_putc(&t, ',');
    put_list16(&t, h->ciphers, h->n_ciphers);
    tb_putc(&t, ',');
    put_list16(&t, h->exts, h->n_exts);
    if (h->type == YJ_TLS_CLIENT_HELLO) {
        tb_putc(&t, ',');
        put_list16(&t, h->groups, h->n_groups);
        tb_putc(&t, ',');
        for (size_t i = 0; i < h->n_point_formats; i++) {
            if (i)
                tb_putc(&t, '-');
            tb_putu(&t, h->point_formats[i]);
        }
    }
    md5_hex(t.p, t.n, h->ja3_hash);
}

static int cmp16(const void *a, const void *b)
{
    return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/* Copies the non-GREASE values of v (minus skip0/skip1 when skip is set) into out. */
static size_t filter(const uint16_t *v, size_t n, uint16_t *out, bool skip)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (yj_tls_is_grease(v[i]) || (skip && (v[i] == 0x0000 || v[i] == 0x0010)))
            continue;
        out[k++] = v[i];
    }
    return k;
}

static void hex4(struct yj_sha256 *s, uint16_t v, bool comma)
{
    char b[5] = {',', hexd[v >> 12], hexd[v >> 8 & 15], hexd[v >> 4 & 15], hexd[v & 15]};
    yj_sha256_update(s, comma ? b : b + 1, comma ? 5 : 4);
}

static void trunc12(struct yj_sha256 *s, char *out)
{
    uint8_t d[YJ_SHA256_LEN];
    char hx[YJ_SHA256_HEX];
    yj_sha256_final(s, d);
    yj_sha256_hex(d, hx);
    memcpy(out, hx, 12);
}

/* 12 hex digits of sha256("v0,v1,...[_t0,t1,...]") (tail: GREASE left out, "_" only when
 * some remain), or "000000000000" for an empty list v. */
static void hash_list(const uint16_t *v, size_t n, const uint16_t *tail, size_t tn, char *out)
{
    if (n == 0) {
        memset(out, '0', 12);
        return;
    }
    struct yj_sha256 s;
    yj_sha256_init(&s);
    for (size_t i = 0; i < n; i++)
        hex4(&s, v[i], i > 0);
    bool first = true;
    for (size_t i = 0; i < tn; i++) {
        if (yj_tls_is_grease(tail[i]))
            continue;
        if (first)
            yj_sha256_update(&s, "_", 1);
        hex4(&s, tail[i], !first);
        first = false;
    }
    trunc12(&s, out);
}

static void ja4(struct yj_tls_hello *h, const uint8_t *alpn, size_t alen)
{
    uint16_t v = h->supported_version ? h->supported_version : h->version;
    const char *ver;
    switch (v) {
    case 0x0304: ver = "13"; break;
    case 0x0303: ver = "12"; break;
    case 0x0302: ver = "11"; break;
    case 0x0301: ver = "10"; break;
    case 0x0300: ver = "s3"; break;
    case 0x0002: ver = "s2"; break;
    case 0xfeff: ver = "d1"; break;
    case 0xfefd: ver = "d2"; break;
    case 0xfefc: ver = "d3"; break;
    default: ver = "00"; break;
    }
    uint16_t c[YJ_TLS_MAX_CIPHERS], e[YJ_TLS_MAX_EXTS];
    size_t nc = filter(h->ciphers, h->n_ciphers, c, false);
    size_t ne_all = filter(h->exts, h->n_exts, e, false);
    size_t ne = filter(h->exts, h->n_exts, e, true);
    char *o = h->ja4;
    o[0] = 't';
    o[1] = ver[0];
    o[2] = ver[1];
    o[3] = h->has_sni ? 'd' : 'i';
    size_t k = nc > 99 ? 99 : nc;
    o[4] = (char)('0' + k / 10);
    o[5] = (char)('0' + k % 10);
    k = ne_all > 99 ? 99 : ne_all;
    o[6] = (char)('0' + k / 10);
    o[7] = (char)('0' + k % 10);
    if (!alpn || alen == 0) {
        o[8] = o[9] = '0';
    } else {
        uint8_t f = alpn[0], l = alpn[alen - 1];
        bool an = (f >= '0' && f <= '9') || ((f | 0x20) >= 'a' && (f | 0x20) <= 'z');
        bool al = (l >= '0' && l <= '9') || ((l | 0x20) >= 'a' && (l | 0x20) <= 'z');
        if (an && al) {
            o[8] = (char)f;
            o[9] = (char)l;
        } else {
            o[8] = hexd[f >> 4];
            o[9] = hexd[l & 15];
        }
    }
    o[10] = '_';
    qsort(c, nc, sizeof c[0], cmp16);
    hash_list(c, nc, NULL, 0, o + 11);
    o[23] = '_';
    qsort(e, ne, sizeof e[0], cmp16);
    hash_list(e, ne, h->sig_algs, h->n_sig_algs, o + 24);
    o[36] = '\0';
}

void tls_fingerprint(struct yj_tls_hello *h, const uint8_t *alpn0, size_t alpn0_len)
{
    ja3(h);
    if (h->type == YJ_TLS_CLIENT_HELLO)
        ja4(h, alpn0, alpn0_len);
}
