/* Fuzz target: DNS messages over UDP (yj_dns_parse) and TCP (yj_dns_parse_tcp). Accepted
 * messages have counts within the arrays and names and rdata that are C strings within
 * their buffers, no longer than the 255-byte wire limit allows. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "proto/proto.h"

static void name_ok(const struct yj_dns_name *nm)
{
    if (strnlen(nm->text, sizeof nm->text) >= sizeof nm->text || nm->wire_len > 255 ||
        nm->longest > 63)
        abort();
}

static void rr_ok(const struct yj_dns_rr *rr)
{
    name_ok(&rr->rrname);
    if (strnlen(rr->rdata, sizeof rr->rdata) >= sizeof rr->rdata)
        abort();
}

static void check(const struct yj_dns *d)
{
    if (d->n_queries > YJ_DNS_MAX_QUERIES || d->n_queries > d->qdcount ||
        d->n_answers > YJ_DNS_MAX_ANSWERS || d->n_answers > d->ancount ||
        d->n_authorities > YJ_DNS_MAX_AUTHORITIES || d->n_authorities > d->nscount)
        abort();
    for (unsigned i = 0; i < d->n_queries; i++)
        name_ok(&d->queries[i].rrname);
    for (unsigned i = 0; i < d->n_answers; i++)
        rr_ok(&d->answers[i]);
    for (unsigned i = 0; i < d->n_authorities; i++)
        rr_ok(&d->authorities[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct yj_dns d;
    if (yj_dns_parse(data, size, &d) == YJ_PROTO_DONE)
        check(&d);
    size_t used = 0;
    enum yj_proto_status st = yj_dns_parse_tcp(data, size, &d, &used);
    if (st == YJ_PROTO_DONE) {
        check(&d);
        if (used > size)
            abort();
    }
    return 0;
}
