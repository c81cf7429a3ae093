/* DNS messages (RFC 1035): header, questions, answer and authority records, over UDP or
 * TCP (2-byte length prefix). Names are decompressed with three guards: each pointer must
 * point before the previous pointer's target (so a chain can never revisit a byte: no
 * loops), at most 127 pointers per name, and the uncompressed name may not exceed 255
 * bytes. Additional records are counted but not read.
 *
 *   header:  id(2) flags(2) qdcount(2) ancount(2) nscount(2) arcount(2)
 *   flags:   QR(1) OPCODE(4) AA TC RD RA Z AD CD RCODE(4)
 *   record:  name type(2) class(2) ttl(4) rdlength(2) rdata
 */
#include <arpa/inet.h>
#include <string.h>

#include "proto.h"
#include "proto_int.h"

#define DNS_MAX_HOPS 127

/* Decodes the name at *off of msg[0..n). On success *off is past the name's bytes where it
 * starts (a pointer ends it there), and nm is filled. */
static bool dns_name(const uint8_t *msg, size_t n, size_t *off, struct yj_dns_name *nm)
{
    struct tb t;
    tb_init(&t, nm->text, sizeof nm->text);
    nm->labels = 0;
    nm->longest = 0;
    size_t pos = *off, wire = 1;
    size_t limit = pos;
    bool jumped = false;
    unsigned hops = 0;
    for (;;) {
        if (pos >= n)
            return false;
        uint8_t len = msg[pos];
        if ((len & 0xc0) == 0xc0) {
            if (pos + 1 >= n || ++hops > DNS_MAX_HOPS)
                return false;
            size_t target = (size_t)(len & 0x3f) << 8 | msg[pos + 1];
            if (target >= limit)
                return false;
            if (!jumped)
                *off = pos + 2;
            jumped = true;
            limit = target;
            pos = target;
            continue;
        }
        if (len & 0xc0)
            return false; /* 0x40 and 0x80 label types are obsolete or unassigned */
        if (len == 0) {
            if (!jumped)
                *off = pos + 1;
            break;
        }
        wire += 1u + len;
        if (wire > 255 || len > n - pos - 1)
            return false;
        if (nm->labels)
            tb_putc(&t, '.');
        tb_escape(&t, msg + pos + 1, len, '.');
        if (nm->labels < 255)
            nm->labels++;
        if (len > nm->longest)
            nm->longest = len;
        pos += 1u + len;
    }
    nm->trunc = t.trunc;
    nm->wire_len = (uint16_t)wire;
    return true;
}

/* A name inside rdata: decoded against the whole message but must not run past end. */
static bool rdata_name(const uint8_t *msg, size_t end, size_t *off, char *out, size_t cap,
                       bool *trunc)
{
    struct yj_dns_name nm;
    if (!dns_name(msg, end, off, &nm))
        return false;
    struct tb t;
    tb_init(&t, out, cap);
    tb_puts(&t, nm.text);
    if (t.trunc || nm.trunc)
        *trunc = true;
    return true;
}

static bool rdata(const uint8_t *msg, size_t n, size_t at, struct yj_dns_rr *rr)
{
    size_t end = at + rr->rdlength, off = at;
    struct rd r = {msg, end, at, false};
    rr->rdata[0] = '\0';
    rr->rdata_trunc = false;
    switch (rr->rrtype) {
    case YJ_DNS_A:
    case YJ_DNS_AAAA: {
        size_t want = rr->rrtype == YJ_DNS_A ? 4 : 16;
        if (rr->rdlength != want)
            return false;
        if (rr->rrtype == YJ_DNS_A) { /* by hand: inet_ntop is slow for the common case */
            struct tb t;
            tb_init(&t, rr->rdata, sizeof rr->rdata);
            for (int i = 0; i < 4; i++) {
                if (i)
                    tb_putc(&t, '.');
                tb_putu(&t, msg[at + (size_t)i]);
            }
        } else {
            inet_ntop(AF_INET6, msg + at, rr->rdata, sizeof rr->rdata);
        }
        return true;
    }
    case YJ_DNS_CNAME:
    case YJ_DNS_NS:
    case YJ_DNS_PTR:
        return rdata_name(msg, end, &off, rr->rdata, sizeof rr->rdata, &rr->rdata_trunc) &&
               off == end;
    case YJ_DNS_MX:
        rr->u.mx_preference = rd_u16(&r);
        off = r.off;
        return !r.bad &&
               rdata_name(msg, end, &off, rr->rdata, sizeof rr->rdata, &rr->rdata_trunc) &&
               off == end;
    case YJ_DNS_SRV:
        rr->u.srv.priority = rd_u16(&r);
        rr->u.srv.weight = rd_u16(&r);
        rr->u.srv.port = rd_u16(&r);
        off = r.off;
        return !r.bad &&
               rdata_name(msg, end, &off, rr->rdata, sizeof rr->rdata, &rr->rdata_trunc) &&
               off == end;
    case YJ_DNS_SOA: {
        bool t2 = false;
        if (!rdata_name(msg, end, &off, rr->rdata, sizeof rr->rdata, &rr->rdata_trunc) ||
            !rdata_name(msg, end, &off, rr->u.soa.rname, sizeof rr->u.soa.rname, &t2))
            return false;
        r.off = off;
        rr->u.soa.serial = rd_u32(&r);
        rr->u.soa.refresh = rd_u32(&r);
        rr->u.soa.retry = rd_u32(&r);
        rr->u.soa.expire = rd_u32(&r);
        rr->u.soa.minimum = rd_u32(&r);
        return !r.bad && r.off == end;
    }
    case YJ_DNS_TXT: {
        struct tb t;
        tb_init(&t, rr->rdata, sizeof rr->rdata);
        bool first = true;
        while (r.off < end) {
            uint8_t len = rd_u8(&r);
            struct rd s = rd_sub(&r, len);
            if (r.bad)
                return false;
            if (!first)
                tb_putc(&t, ' ');
            tb_escape(&t, s.p, s.n, -1);
            first = false;
        }
        rr->rdata_trunc = t.trunc;
        return true;
    }
    default:
        (void)n;
        return true; /* NULL and the rest: type and length only */
    }
}

static bool record(const uint8_t *p, size_t n, size_t *off, struct yj_dns_rr *rr)
{
    if (!dns_name(p, n, off, &rr->rrname))
        return false;
    struct rd r = {p, n, *off, false};
    rr->rrtype = rd_u16(&r);
    rr->rrclass = rd_u16(&r);
    rr->ttl = rd_u32(&r);
    rr->rdlength = rd_u16(&r);
    if (r.bad || !rd_has(&r, rr->rdlength))
        return false;
    if (!rdata(p, n, r.off, rr))
        return false;
    *off = r.off + rr->rdlength;
    return true;
}

/* Skips a record we have no room for, still checking it is well-formed. */
static bool skip_record(const uint8_t *p, size_t n, size_t *off)
{
    struct yj_dns_rr rr;
    return record(p, n, off, &rr);
}

static bool question(const uint8_t *p, size_t n, size_t *off, struct yj_dns_query *q)
{
    if (!dns_name(p, n, off, &q->rrname) || n - *off < 4)
        return false;
    q->rrtype = (uint16_t)(p[*off] << 8 | p[*off + 1]);
    q->rrclass = (uint16_t)(p[*off + 2] << 8 | p[*off + 3]);
    *off += 4;
    return true;
}

/* Reads count records into rr[0..cap), checking (and dropping) those past cap. */
static bool section(const uint8_t *p, size_t n, size_t *off, unsigned count,
                    struct yj_dns_rr *rr, size_t cap, uint8_t *filled, bool *truncated)
{
    for (unsigned i = 0; i < count; i++) {
        if (*filled < cap) {
            if (!record(p, n, off, &rr[(*filled)++]))
                return false;
        } else {
            *truncated = true;
            if (!skip_record(p, n, off))
                return false;
        }
    }
    return true;
}

enum yj_proto_status yj_dns_parse(const uint8_t *p, size_t n, struct yj_dns *out)
{
    struct rd r = {p, n, 0, false};
    out->id = rd_u16(&r);
    out->flags = rd_u16(&r);
    out->qdcount = rd_u16(&r);
    out->ancount = rd_u16(&r);
    out->nscount = rd_u16(&r);
    out->arcount = rd_u16(&r);
    out->n_queries = out->n_answers = out->n_authorities = 0;
    out->truncated = false;
    if (r.bad)
        return YJ_PROTO_BAD;
    uint16_t f = out->flags;
    out->qr = f >> 15 & 1;
    out->opcode = (uint8_t)(f >> 11 & 15);
    out->aa = f >> 10 & 1;
    out->tc = f >> 9 & 1;
    out->rd = f >> 8 & 1;
    out->ra = f >> 7 & 1;
    out->z = f >> 6 & 1;
    out->ad = f >> 5 & 1;
    out->cd = f >> 4 & 1;
    out->rcode = (uint8_t)(f & 15);

    size_t off = 12;
    for (unsigned i = 0; i < out->qdcount; i++) {
        bool ok;
        if (out->n_queries < YJ_DNS_MAX_QUERIES) {
            ok = question(p, n, &off, &out->queries[out->n_queries++]);
        } else {
            struct yj_dns_query spare;
            out->truncated = true;
            ok = question(p, n, &off, &spare);
        }
        if (!ok)
            return YJ_PROTO_BAD;
    }
    if (!section(p, n, &off, out->ancount, out->answers, YJ_DNS_MAX_ANSWERS, &out->n_answers,
                 &out->truncated) ||
        !section(p, n, &off, out->nscount, out->authorities, YJ_DNS_MAX_AUTHORITIES,
                 &out->n_authorities, &out->truncated))
        return YJ_PROTO_BAD;
    return YJ_PROTO_DONE;
}

enum yj_proto_status yj_dns_parse_tcp(const uint8_t *p, size_t n, struct yj_dns *out,
                                      size_t *used)
{
    if (n < 2)
        return YJ_PROTO_MORE;
    size_t len = (size_t)(p[0] << 8 | p[1]);
    if (len < 12) {
        *used = 2 + len;
        return YJ_PROTO_BAD;
    }
    if (n - 2 < len)
        return YJ_PROTO_MORE;
    *used = 2 + len;
    return yj_dns_parse(p + 2, len, out);
}

const char *yj_dns_rcode_name(unsigned rcode)
{
    static const char *const names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
                                        "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET",
                                        "NXRRSET", "NOTAUTH", "NOTZONE"};
    return rcode < sizeof names / sizeof names[0] ? names[rcode] : NULL;
}

const char *yj_dns_rrtype_name(unsigned t)
{
    static const struct {
        uint16_t t;
        const char *name;
    } names[] = {{1, "A"},       {2, "NS"},     {5, "CNAME"},   {6, "SOA"},    {10, "NULL"},
                 {12, "PTR"},    {13, "HINFO"}, {15, "MX"},     {16, "TXT"},   {28, "AAAA"},
                 {33, "SRV"},    {35, "NAPTR"}, {39, "DNAME"},  {41, "OPT"},   {43, "DS"},
                 {46, "RRSIG"},  {47, "NSEC"},  {48, "DNSKEY"}, {50, "NSEC3"}, {52, "TLSA"},
                 {64, "SVCB"},   {65, "HTTPS"}, {99, "SPF"},    {252, "AXFR"}, {255, "ANY"},
                 {257, "CAA"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].t == t)
            return names[i].name;
    return NULL;
}
