/* DNS: real messages from the shared captures, header flags, rdata of each type, name
 * compression guards, TCP framing and truncation at every byte. */
#include <stdlib.h>
#include <string.h>

#include "hex.h"
#include "proto/proto.h"
#include "ut.h"

/* ../shared/data/pcap/chrissanders/dns.pcap, first response (4.2.2.1 -> 172.16.16.154). */
static const char ESPN[] =
    "b10b8180000100020000000003777777046573706e03636f6d0000010001c00c00050001000000e1001405"
    "7265646972046573706e03676e7302676fc015c02a00010001000000df00044447d49e";
/* ../shared/data/pcap/suricata-verify/dns-reversed-udp-1/input.pcap: CNAME, A, A. */
static const char SURI[] =
    "8d3281a00001000300000000037777770c73757269636174612d696473036f72670000010001c00c0005"
    "000100000dd800120c73757269636174612d696473036f726700c03200010001000000f40004c0004e18"
    "c03200010001000000f40004c0004e19";
/* ../shared/data/pcap/suricata-verify/dns-opcode/dns-notify.pcap: NOTIFY with an SOA. */
static const char NOTIFY[] =
    "9668240000010001000000000a626f72747a6d6579657202343200000600010a626f72747a6d6579657202"
    "34320000060001000151800043036e73330a626f72747a6d65796572036f7267000a686f73746d61737465"
    "720a626f72747a6d65796572036f72670077fd59d200001c2000000e1000093a800000a8c0";
/* ../shared/data/pcap/dns-tunnel/dnscat2.pcap: a TXT answer of a tunnel. */
static const char DNSCAT_TXT[] =
    "179d818000010001000000002262633434303162386433363130316133306431636131303030393930346537"
    "626639076269696c6c706903636f6d0000100001c00c001000010000003c0023223438306530316238643330"
    "3430363535643233653035666666666435396537343136";
/* The same capture: an MX answer. */
static const char DNSCAT_MX[] =
    "21c8818000010001000000002231343739303162386433646639636334366335396436303030373862333331"
    "366365076269696c6c706903636f6d00000f0001c00c000f00010000003c0032000a22363131383031623864"
    "33636532333138653335316438666666666435396537343136076269696c6c706903636f6d00";

static enum yj_proto_status parse_hex(const char *hex, struct yj_dns *d)
{
    size_t n;
    uint8_t *p = hex_bytes(hex, &n);
    enum yj_proto_status st = yj_dns_parse(p, n, d);
    free(p);
    return st;
}

static void answer_cname_a(void **state)
{
    (void)state;
    static struct yj_dns d;
    assert_int_equal(parse_hex(ESPN, &d), YJ_PROTO_DONE);
    assert_int_equal(d.id, 0xb10b);
    assert_int_equal(d.flags, 0x8180);
    assert_true(d.qr && d.rd && d.ra);
    assert_false(d.aa || d.tc || d.z || d.ad || d.cd);
    assert_int_equal(d.opcode, 0);
    assert_string_equal(yj_dns_rcode_name(d.rcode), "NOERROR");
    assert_int_equal(d.n_queries, 1);
    assert_string_equal(d.queries[0].rrname.text, "www.espn.com");
    assert_int_equal(d.queries[0].rrname.labels, 3);
    assert_int_equal(d.queries[0].rrname.longest, 4);
    assert_int_equal(d.queries[0].rrtype, YJ_DNS_A);
    assert_int_equal(d.n_answers, 2);
    assert_string_equal(d.answers[0].rrname.text, "www.espn.com");
    assert_string_equal(yj_dns_rrtype_name(d.answers[0].rrtype), "CNAME");
    assert_int_equal(d.answers[0].ttl, 225);
    assert_string_equal(d.answers[0].rdata, "redir.espn.gns.go.com");
    assert_string_equal(d.answers[1].rrname.text, "redir.espn.gns.go.com");
    assert_string_equal(d.answers[1].rdata, "68.71.212.158");
    assert_false(d.truncated);
}

static void answer_suricata_verify(void **state)
{
    (void)state;
    static struct yj_dns d;
    assert_int_equal(parse_hex(SURI, &d), YJ_PROTO_DONE);
    assert_true(d.qr && d.ad);
    assert_int_equal(d.n_answers, 3);
    assert_string_equal(yj_dns_rrtype_name(d.answers[0].rrtype), "CNAME");
    assert_string_equal(yj_dns_rrtype_name(d.answers[1].rrtype), "A");
    assert_string_equal(yj_dns_rrtype_name(d.answers[2].rrtype), "A");
    assert_string_equal(d.answers[0].rdata, "suricata-ids.org");
    assert_string_equal(d.answers[2].rdata, "192.0.78.25");
}

static void notify_soa(void **state)
{
    (void)state;
    static struct yj_dns d;
    assert_int_equal(parse_hex(NOTIFY, &d), YJ_PROTO_DONE);
    assert_int_equal(d.opcode, 4);
    assert_true(d.aa);
    assert_false(d.qr);
    assert_string_equal(d.queries[0].rrname.text, "bortzmeyer.42");
    assert_int_equal(d.queries[0].rrtype, YJ_DNS_SOA);
    assert_int_equal(d.n_answers, 1);
    const struct yj_dns_rr *rr = &d.answers[0];
    assert_string_equal(rr->rdata, "ns3.bortzmeyer.org");
    assert_string_equal(rr->u.soa.rname, "hostmaster.bortzmeyer.org");
    assert_int_equal(rr->u.soa.serial, 0x77fd59d2);
    assert_int_equal(rr->u.soa.refresh, 7200);
    assert_int_equal(rr->u.soa.retry, 3600);
    assert_int_equal(rr->u.soa.expire, 604800);
    assert_int_equal(rr->u.soa.minimum, 43200);
}

static void tunnel_txt_mx(void **state)
{
    (void)state;
    static struct yj_dns d;
    assert_int_equal(parse_hex(DNSCAT_TXT, &d), YJ_PROTO_DONE);
    assert_int_equal(d.queries[0].rrtype, YJ_DNS_TXT);
    assert_int_equal(d.queries[0].rrname.labels, 3);
    assert_int_equal(d.queries[0].rrname.longest, 34);
    assert_string_equal(d.answers[0].rdata, "480e01b8d3040655d23e05ffffd59e7416");
    assert_int_equal(parse_hex(DNSCAT_MX, &d), YJ_PROTO_DONE);
    assert_int_equal(d.answers[0].rrtype, YJ_DNS_MX);
    assert_int_equal(d.answers[0].u.mx_preference, 10);
    assert_string_equal(d.answers[0].rdata, "611801b8d3ce2318e351d8ffffd59e7416.biillpi.com");
}

static void srv_aaaa_null_nxdomain(void **state)
{
    (void)state;
    static struct yj_dns d;
    /* Response, NXDOMAIN, one question _x._tcp.a, answers: SRV, AAAA, NULL(3 bytes), and
     * an unknown type 99. */
    const char *m = "1234 8183 0001 0004 0000 0000"
                    "025f78 045f746370 0161 00 0021 0001"
                    "c00c 0021 0001 00000064 0008 0001 0002 0035 c014"
                    "c014 001c 0001 00000064 0010 20010db8000000000000000000000001"
                    "c014 000a 0001 00000000 0003 010203"
                    "c014 ff00 0001 00000000 0002 6869";
    assert_int_equal(parse_hex(m, &d), YJ_PROTO_DONE);
    assert_string_equal(yj_dns_rcode_name(d.rcode), "NXDOMAIN");
    assert_string_equal(d.queries[0].rrname.text, "_x._tcp.a");
    assert_int_equal(d.answers[0].u.srv.priority, 1);
    assert_int_equal(d.answers[0].u.srv.weight, 2);
    assert_int_equal(d.answers[0].u.srv.port, 53);
    assert_string_equal(d.answers[0].rdata, "a");
    assert_string_equal(d.answers[1].rdata, "2001:db8::1");
    assert_string_equal(yj_dns_rrtype_name(d.answers[2].rrtype), "NULL");
    assert_int_equal(d.answers[2].rdlength, 3);
    assert_string_equal(d.answers[2].rdata, "");
    assert_null(yj_dns_rrtype_name(0xff00));
    assert_int_equal(d.answers[3].rdlength, 2);
    assert_null(yj_dns_rcode_name(12));
}

static void names_escaped_and_root(void **state)
{
    (void)state;
    static struct yj_dns d;
    /* A label holding '.', a NUL and a backslash; then a root-name question. */
    assert_int_equal(parse_hex("0001 0100 0002 0000 0000 0000 03612e00 015c 00 0001 0001"
                               "00 0002 0001", &d),
                     YJ_PROTO_DONE);
    assert_string_equal(d.queries[0].rrname.text, "a\\x2e\\x00.\\x5c");
    assert_int_equal(d.queries[0].rrname.labels, 2);
    assert_string_equal(d.queries[1].rrname.text, "");
    assert_int_equal(d.queries[1].rrname.labels, 0);
}

static void compression_guards(void **state)
{
    (void)state;
    static struct yj_dns d;
    /* A pointer to itself. */
    assert_int_equal(parse_hex("0001 0100 0001 0000 0000 0000 c00c 0001 0001", &d),
                     YJ_PROTO_BAD);
    /* A pointer forward. */
    assert_int_equal(parse_hex("0001 0100 0001 0000 0000 0000 c00e 0001 0001 00", &d),
                     YJ_PROTO_BAD);
    /* A loop through a label: 12: "a" then pointer back to 12. */
    assert_int_equal(parse_hex("0001 0100 0001 0000 0000 0000 0161 c00c 0001 0001", &d),
                     YJ_PROTO_BAD);
    /* Two names pointing at each other (the answer's name points at the question's, whose
     * tail points forward at the answer). */
    assert_int_equal(parse_hex("0001 8100 0001 0001 0000 0000 0161 c01a 0001 0001"
                               "c00c 0001 0001 00000000 0004 01020304", &d),
                     YJ_PROTO_BAD);
    /* Reserved label types 0x40 and 0x80. */
    assert_int_equal(parse_hex("0001 0100 0001 0000 0000 0000 4161 00 0001 0001", &d),
                     YJ_PROTO_BAD);
    /* A valid backward chain of two pointers. */
    assert_int_equal(parse_hex("0001 8100 0001 0002 0000 0000 0162 0161 00 0001 0001"
                               "c00e 0005 0001 00000000 0002 c00c"
                               "c021 0001 0001 00000000 0004 01020304", &d),
                     YJ_PROTO_DONE);
    assert_string_equal(d.answers[0].rdata, "b.a");
    assert_string_equal(d.answers[1].rrname.text, "b.a");
}

static void name_length_limit(void **state)
{
    (void)state;
    static struct yj_dns d;
    /* 4 labels of 63 bytes + root = 257 bytes on the wire: too long. 3 labels + one of 61
     * = 255: the limit, accepted. */
    char big[2048] = "0001 0100 0001 0000 0000 0000";
    for (int l = 0; l < 4; l++) {
        strcat(big, " 3f");
        for (int i = 0; i < 63; i++)
            strcat(big, "61");
    }
    strcat(big, " 00 0001 0001");
    assert_int_equal(parse_hex(big, &d), YJ_PROTO_BAD);
    strcpy(big, "0001 0100 0001 0000 0000 0000");
    for (int l = 0; l < 4; l++) {
        int k = l < 3 ? 63 : 61;
        strcat(big, l < 3 ? " 3f" : " 3d");
        for (int i = 0; i < k; i++)
            strcat(big, "61");
    }
    strcat(big, " 00 0001 0001");
    assert_int_equal(parse_hex(big, &d), YJ_PROTO_DONE);
    assert_int_equal(d.queries[0].rrname.wire_len, 255);
    assert_int_equal(strlen(d.queries[0].rrname.text), 253);
    assert_int_equal(d.queries[0].rrname.longest, 63);
}

static void bad_rdata(void **state)
{
    (void)state;
    static struct yj_dns d;
    /* An A record with 3 bytes; a CNAME whose name runs past its rdlength. */
    assert_int_equal(parse_hex("0001 8100 0000 0001 0000 0000 00 0001 0001 00000000 0003 010203",
                               &d), YJ_PROTO_BAD);
    assert_int_equal(parse_hex("0001 8100 0000 0001 0000 0000 00 0005 0001 00000000 0001 0161 00",
                               &d), YJ_PROTO_BAD);
    assert_int_equal(yj_dns_parse(NULL, 0, &d), YJ_PROTO_BAD);
}

static void many_records(void **state)
{
    (void)state;
    static struct yj_dns d;
    char m[4096] = "0001 8100 0000 0014 0000 0000";
    for (int i = 0; i < 20; i++)
        strcat(m, " 00 0001 0001 00000001 0004 0a000001");
    assert_int_equal(parse_hex(m, &d), YJ_PROTO_DONE);
    assert_int_equal(d.ancount, 20);
    assert_int_equal(d.n_answers, YJ_DNS_MAX_ANSWERS);
    assert_true(d.truncated);
}

static void every_prefix(void **state)
{
    (void)state;
    static struct yj_dns d;
    const char *all[] = {ESPN, SURI, NOTIFY, DNSCAT_TXT, DNSCAT_MX};
    for (size_t m = 0; m < sizeof all / sizeof all[0]; m++) {
        size_t n;
        uint8_t *p = hex_bytes(all[m], &n);
        for (size_t k = 0; k < n; k++) {
            uint8_t *c = prefix_copy(p, k);
            assert_int_equal(yj_dns_parse(c, k, &d), YJ_PROTO_BAD);
            free(c);
        }
        /* Over TCP: MORE for every prefix, DONE for the whole. */
        uint8_t *t = malloc(n + 2);
        t[0] = (uint8_t)(n >> 8);
        t[1] = (uint8_t)n;
        memcpy(t + 2, p, n);
        for (size_t k = 0; k < n + 2; k++) {
            uint8_t *c = prefix_copy(t, k);
            size_t used = 0;
            assert_int_equal(yj_dns_parse_tcp(c, k, &d, &used), YJ_PROTO_MORE);
            free(c);
        }
        size_t used = 0;
        assert_int_equal(yj_dns_parse_tcp(t, n + 2, &d, &used), YJ_PROTO_DONE);
        assert_int_equal(used, n + 2);
        free(t);
        free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(answer_cname_a),       cmocka_unit_test(answer_suricata_verify),
        cmocka_unit_test(notify_soa),           cmocka_unit_test(tunnel_txt_mx),
        cmocka_unit_test(srv_aaaa_null_nxdomain), cmocka_unit_test(names_escaped_and_root),
        cmocka_unit_test(compression_guards),   cmocka_unit_test(name_length_limit),
        cmocka_unit_test(bad_rdata),            cmocka_unit_test(many_records),
        cmocka_unit_test(every_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
