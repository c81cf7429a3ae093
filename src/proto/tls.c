/* TLS: the record layer and the first handshake message of a direction, a ClientHello or a
 * ServerHello, reassembled across records and segments into a bounded stack buffer.
 *
 *   record:    type(1)=22 version(2) length(2) fragment
 *   handshake: msg_type(1) length(3) body
 *   ClientHello body: version(2) random(32) session_id<0..32> cipher_suites<2..2^16-2>
 *                     compression_methods<1..2^8-1> extensions<0..2^16-1>
 *   ServerHello body: version(2) random(32) session_id<0..32> cipher_suite(2)
 *                     compression_method(1) extensions<0..2^16-1>
 *
 * The fingerprints (JA3, JA3S, JA4) are computed in tls_fp.c from the parsed lists. */
#include <stdio.h>
#include <string.h>

#include "proto.h"
#include "proto_int.h"

#define REC_MAX (16384 + 2048) /* the largest TLSCiphertext fragment (RFC 8446 5.2) */

/* What the fingerprints need from the message itself while it is in the buffer. */
struct hello_ctx {
    const uint8_t *alpn0; /* the first ALPN value, raw */
    size_t alpn0_len;
};

bool yj_tls_is_grease(uint16_t v)
{
    return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

uint16_t yj_tls_negotiated(const struct yj_tls_hello *h)
{
    return h->supported_version ? h->supported_version : h->version;
}

const char *yj_tls_version_name(uint16_t v, char *buf, size_t cap)
{
    const char *s = NULL;
    switch (v) {
    case 0x0000: s = "UNDETERMINED"; break;
    case 0x0002: s = "SSLv2"; break;
    case 0x0300: s = "SSLv3"; break;
    case 0x0301: s = "TLSv1"; break;
    case 0x0302: s = "TLS 1.1"; break;
    case 0x0303: s = "TLS 1.2"; break;
    case 0x0304: s = "TLS 1.3"; break;
    default: break;
    }
    if (s)
        snprintf(buf, cap, "%s", s);
    else if ((v >> 8) == 0x7f)
        snprintf(buf, cap, "TLS 1.3 draft-%u", v & 0xffu);
    else
        snprintf(buf, cap, "0x%04x", v);
    return buf;
}

static void put16(uint16_t *arr, uint16_t *n, size_t cap, uint16_t v, bool *trunc)
{
    if (*n < cap)
        arr[(*n)++] = v;
    else
        *trunc = true;
}

static bool ext_sni(struct rd *e, struct yj_tls_hello *h)
{
    struct rd list = rd_sub(e, rd_u16(e));
    while (!list.bad && list.off < list.n) {
        uint8_t type = rd_u8(&list);
        struct rd name = rd_sub(&list, rd_u16(&list));
        if (list.bad)
            return false;
        if (type == 0 && !h->sni[0]) {
            struct tb t;
            tb_init(&t, h->sni, sizeof h->sni);
            tb_escape(&t, name.p, name.n, -1);
            h->sni_trunc = t.trunc;
        }
    }
    return !list.bad && !e->bad;
}

static bool ext_list16(struct rd *e, uint16_t *arr, uint16_t *n, size_t cap, bool *trunc)
{
    size_t len = rd_u16(e);
    if (len % 2)
        return false;
    struct rd l = rd_sub(e, len);
    while (!l.bad && l.off < l.n)
        put16(arr, n, cap, rd_u16(&l), trunc);
    return !l.bad && !e->bad;
}

static bool ext_alpn(struct rd *e, struct yj_tls_hello *h, struct hello_ctx *cx)
{
    struct rd l = rd_sub(e, rd_u16(e));
    while (!l.bad && l.off < l.n) {
        struct rd a = rd_sub(&l, rd_u8(&l));
        if (l.bad)
            return false;
        if (h->n_alpn < YJ_TLS_MAX_ALPN) {
            struct tb t;
            tb_init(&t, h->alpn[h->n_alpn], YJ_TLS_ALPN_LEN);
            tb_escape(&t, a.p, a.n, -1);
            if (h->n_alpn == 0) {
                cx->alpn0 = a.p;
                cx->alpn0_len = a.n;
            }
            h->n_alpn++;
        } else {
            h->lists_trunc = true;
        }
    }
    return !l.bad && !e->bad;
}

static bool extensions(struct rd *r, struct yj_tls_hello *h, struct hello_ctx *cx)
{
    if (r->off == r->n)
        return true; /* no extensions block at all (allowed before TLS 1.3) */
    struct rd all = rd_sub(r, rd_u16(r));
    if (r->bad || r->off != r->n)
        return false;
    while (all.off < all.n) {
        uint16_t type = rd_u16(&all);
        struct rd e = rd_sub(&all, rd_u16(&all));
        if (all.bad)
            return false;
        put16(h->exts, &h->n_exts, YJ_TLS_MAX_EXTS, type, &h->lists_trunc);
        bool ok = true;
        switch (type) {
        case 0:
            h->has_sni = true;
            if (h->type == YJ_TLS_CLIENT_HELLO)
                ok = ext_sni(&e, h);
            break;
        case 10:
            ok = ext_list16(&e, h->groups, &h->n_groups, YJ_TLS_MAX_LIST, &h->lists_trunc);
            break;
        case 11: {
            struct rd l = rd_sub(&e, rd_u8(&e));
            while (!l.bad && l.off < l.n) {
                uint8_t v = rd_u8(&l);
                if (h->n_point_formats < sizeof h->point_formats)
                    h->point_formats[h->n_point_formats++] = v;
                else
                    h->lists_trunc = true;
            }
            ok = !l.bad && !e.bad;
            break;
        }
        case 13:
            ok = ext_list16(&e, h->sig_algs, &h->n_sig_algs, YJ_TLS_MAX_LIST,
                            &h->lists_trunc);
            break;
        case 16:
            ok = ext_alpn(&e, h, cx);
            break;
        case 43:
            if (h->type == YJ_TLS_SERVER_HELLO) {
                uint16_t v = rd_u16(&e);
                ok = !e.bad;
                put16(h->versions, &h->n_versions, YJ_TLS_MAX_LIST, v, &h->lists_trunc);
                h->supported_version = v;
            } else {
                struct rd l = rd_sub(&e, rd_u8(&e));
                ok = !l.bad && l.n % 2 == 0;
                while (ok && l.off < l.n) {
                    uint16_t v = rd_u16(&l);
                    put16(h->versions, &h->n_versions, YJ_TLS_MAX_LIST, v, &h->lists_trunc);
                    if (!yj_tls_is_grease(v) && v > h->supported_version)
                        h->supported_version = v;
                }
            }
            break;
        default:
            break;
        }
        if (!ok)
            return false;
    }
    return true;
}

static void reset(struct yj_tls_hello *h)
{
    /* Only the counters and first bytes: the arrays are read up to their counts. */
    h->supported_version = 0;
    h->n_ciphers = h->n_exts = h->n_groups = h->n_sig_algs = h->n_versions = 0;
    h->n_compression = h->n_point_formats = h->n_alpn = 0;
    h->lists_trunc = h->has_sni = h->sni_trunc = false;
    h->sni[0] = h->ja3[0] = h->ja3_hash[0] = h->ja4[0] = '\0';
}

static bool hello(struct rd *r, struct yj_tls_hello *h, struct hello_ctx *cx)
{
    h->version = rd_u16(r);
    rd_sub(r, 32);
    uint8_t sid = rd_u8(r);
    if (sid > 32)
        return false;
    rd_sub(r, sid);
    if (h->type == YJ_TLS_CLIENT_HELLO) {
        size_t len = rd_u16(r);
        if (len % 2 || len == 0)
            return false;
        struct rd c = rd_sub(r, len);
        while (!c.bad && c.off < c.n)
            put16(h->ciphers, &h->n_ciphers, YJ_TLS_MAX_CIPHERS, rd_u16(&c), &h->lists_trunc);
        struct rd m = rd_sub(r, rd_u8(r));
        if (m.n == 0)
            return false;
        while (!m.bad && m.off < m.n) {
            uint8_t v = rd_u8(&m);
            if (h->n_compression < sizeof h->compression)
                h->compression[h->n_compression++] = v;
            else
                h->lists_trunc = true;
        }
    } else {
        h->ciphers[0] = rd_u16(r);
        h->n_ciphers = 1;
        h->compression[0] = rd_u8(r);
        h->n_compression = 1;
    }
    if (r->bad)
        return false;
    return extensions(r, h, cx);
}

enum yj_proto_status yj_tls_parse_hello(const uint8_t *p, size_t n, struct yj_tls_hello *out)
{
    uint8_t hs[4 + YJ_TLS_HS_MAX];
    size_t have = 0, need = 0, off = 0;
    if (n >= 1 && p[0] != 22)
        return YJ_PROTO_NOT;
    if (n >= 3 && (p[1] != 3 || p[2] > 4))
        return YJ_PROTO_NOT;
    for (;;) {
        if (have >= 4) {
            if (hs[0] != YJ_TLS_CLIENT_HELLO && hs[0] != YJ_TLS_SERVER_HELLO)
                return YJ_PROTO_NOT;
            size_t mlen = (size_t)hs[1] << 16 | (size_t)hs[2] << 8 | hs[3];
            if (mlen > YJ_TLS_HS_MAX)
                return YJ_PROTO_BAD;
            need = 4 + mlen;
            if (have >= need)
                break;
        }
        if (off >= n || n - off < 5)
            return YJ_PROTO_MORE;
        size_t len = (size_t)(p[off + 3] << 8 | p[off + 4]);
        if (p[off] != 22 || p[off + 1] != 3 || p[off + 2] > 4 || len == 0 || len > REC_MAX)
            return YJ_PROTO_BAD;
        if (off == 0)
            out->record_version = (uint16_t)(p[1] << 8 | p[2]);
        size_t avail = n - off - 5 < len ? n - off - 5 : len;
        size_t take = avail < sizeof hs - have ? avail : sizeof hs - have;
        memcpy(hs + have, p + off + 5, take);
        have += take;
        off = avail < len ? n : off + 5 + len;
    }
    out->type = (enum yj_tls_hello_type)hs[0];
    reset(out);
    struct hello_ctx cx = {NULL, 0};
    struct rd r = {hs + 4, need - 4, 0, false};
    if (!hello(&r, out, &cx))
        return YJ_PROTO_BAD;
    tls_fingerprint(out, cx.alpn0, cx.alpn0_len);
    return YJ_PROTO_DONE;
}
