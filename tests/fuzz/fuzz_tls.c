/* Fuzz target: the first TLS handshake message of a stream (yj_tls_parse_hello), on the
 * whole input and on a prefix of it (a stream that has not all arrived yet). Accepted
 * hellos have counts within the arrays and well-formed fingerprints. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "proto/proto.h"

static void check(const struct yj_tls_hello *h)
{
    if (h->n_ciphers > YJ_TLS_MAX_CIPHERS || h->n_exts > YJ_TLS_MAX_EXTS ||
        h->n_groups > YJ_TLS_MAX_LIST || h->n_sig_algs > YJ_TLS_MAX_LIST ||
        h->n_versions > YJ_TLS_MAX_LIST || h->n_alpn > YJ_TLS_MAX_ALPN)
        abort();
    if (strnlen(h->sni, sizeof h->sni) >= sizeof h->sni ||
        strnlen(h->ja3, sizeof h->ja3) >= sizeof h->ja3 || strlen(h->ja3_hash) != 32)
        abort();
    if (h->type == YJ_TLS_CLIENT_HELLO &&
        (strlen(h->ja4) != 36 || h->ja4[0] != 't' || h->ja4[10] != '_' || h->ja4[23] != '_'))
        abort();
    for (unsigned i = 0; i < h->n_alpn; i++)
        if (strnlen(h->alpn[i], YJ_TLS_ALPN_LEN) >= YJ_TLS_ALPN_LEN)
            abort();
    char vb[24];
    if (strlen(yj_tls_version_name(yj_tls_negotiated(h), vb, sizeof vb)) >= sizeof vb)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct yj_tls_hello h;
    enum yj_proto_status whole = yj_tls_parse_hello(data, size, &h);
    if (whole == YJ_PROTO_DONE)
        check(&h);
    /* A prefix never says more than the whole: DONE only if the whole is DONE too. */
    size_t k = size / 2;
    enum yj_proto_status part = yj_tls_parse_hello(data, k, &h);
    if (part == YJ_PROTO_DONE) {
        check(&h);
        if (whole != YJ_PROTO_DONE)
            abort();
    }
    return 0;
}
