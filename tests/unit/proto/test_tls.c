/* TLS hellos: JA3, JA3S and JA4 of real ClientHellos and ServerHellos from the shared
 * captures (expected JA4 and server_handshake values from their suricata-verify test.yaml),
 * GREASE, the ALPN rules of JA4, reassembly across records and every truncation. */
#include <stdlib.h>
#include <string.h>

#include "hex.h"
#include "proto/proto.h"
#include "ut.h"

/* ../shared/data/pcap/suricata-verify/ja4-tls/input.pcap: the ClientHello record,
 * 192.168.56.1:49365 -> 192.168.56.101:443. test.yaml: tls.ja4 t12i1810s1_27d4652c4487_
 * 06a4338d0495. */
static const char JA4_TLS_CH[] =
    "16030100af010000ab0303942d1fef575d770207c29dbe2401ccf05dcde1d2a5869c4a3eee38db551ad9bc00"
    "0024c02bc02f009ec00ac009c013c014c007c011003300320039009c002f0035000a000500040100005eff01"
    "000100000a00080006001700180019000b00020100002300003374000000100014001208737064792f332e31"
    "08687474702f312e317550000000050005010000000000120000000d0012001004010501020104030503020"
    "304020202";
/* ../shared/data/pcap/suricata-verify/ja4-sv-handshake/input.pcap: ClientHello
 * (172.16.1.117:34140 -> 172.16.1.130:4433, SNI "dogfish") and ServerHello. test.yaml:
 * server_handshake version "TLS 1.2", cipher 49200, exts [65281,11,35,23]. */
static const char SV_CH[] =
    "16030100cd010000c9030302a9f7d86c1972a0f1e8408ec5852c3a10a6a114781ccbcdccd7ef21a796de6000"
    "0038c02cc030009fcca9cca8ccaac02bc02f009ec024c028006bc023c0270067c00ac0140039c009c0130033"
    "009d009c003d003c0035002f00ff010000680000000c000a000007646f6766697368000b000403000102000a"
    "000c000a001d0017001e00190018002300000016000000170000000d0030002e040305030603080708080809"
    "080a080b080408050806040105010601030302030301020103020202040205020602";
static const char SV_SH[] =
    "16030300410200003d03036fc423565fc896271f5edb40813dc85b562a50ec02cc85fc24f66579655ad8e200"
    "c030000015ff01000100000b0004030001020023000000170000";
/* JA4_TLS_CH with a GREASE cipher (0x1a1a) first, a GREASE extension (0x2a2a) first and a
 * supported_versions extension {0x3a3a, TLS 1.3, TLS 1.2} last. */
static const char GREASED_CH[] =
    "16030100c0010000bc0303942d1fef575d770207c29dbe2401ccf05dcde1d2a5869c4a3eee38db551ad9bc00"
    "00261a1ac02bc02f009ec00ac009c013c014c007c011003300320039009c002f0035000a0005000401000"
    "06d2a2a0000ff01000100000a00080006001700180019000b0002010000230000337400000010001400120873"
    "7064792f332e3108687474702f312e317550000000050005010000000000120000000d001200100401050102"
    "0104030503020304020202002b0007063a3a03040303";

static enum yj_proto_status parse_hex(const char *hex, struct yj_tls_hello *h)
{
    size_t n;
    uint8_t *p = hex_bytes(hex, &n);
    enum yj_proto_status st = yj_tls_parse_hello(p, n, h);
    free(p);
    return st;
}

static void ja4_tls_client_hello(void **state)
{
    (void)state;
    static struct yj_tls_hello h;
    assert_int_equal(parse_hex(JA4_TLS_CH, &h), YJ_PROTO_DONE);
    assert_int_equal(h.type, YJ_TLS_CLIENT_HELLO);
    assert_int_equal(h.record_version, 0x0301);
    assert_int_equal(h.version, 0x0303);
    assert_string_equal(h.ja4, "t12i1810s1_27d4652c4487_06a4338d0495");
    assert_string_equal(h.ja3, "771,49195-49199-158-49162-49161-49171-49172-49159-49169-51-50-"
                               "57-156-47-53-10-5-4,65281-10-11-35-13172-16-30032-5-18-13,"
                               "23-24-25,0");
    assert_string_equal(h.ja3_hash, "308b0bd904abbef5e0034a1ff7a78920");
    assert_false(h.has_sni);
    assert_int_equal(h.n_alpn, 2);
    assert_string_equal(h.alpn[0], "spdy/3.1");
    assert_string_equal(h.alpn[1], "http/1.1");
    assert_int_equal(h.n_ciphers, 18);
    assert_int_equal(h.n_exts, 10);
    assert_int_equal(h.n_sig_algs, 8);
    assert_int_equal(h.sig_algs[0], 0x0401);
    assert_int_equal(h.n_groups, 3);
    assert_int_equal(h.n_compression, 1);
    assert_false(h.lists_trunc);
}

static void sv_handshake(void **state)
{
    (void)state;
    static struct yj_tls_hello h;
    char vb[24];
    assert_int_equal(parse_hex(SV_CH, &h), YJ_PROTO_DONE);
    assert_true(h.has_sni);
    assert_string_equal(h.sni, "dogfish");
    /* 28 suites (the renegotiation SCSV 0x00ff counts), 7 extensions, no ALPN. */
    assert_memory_equal(h.ja4, "t12d280700_", 11);
    assert_string_equal(h.ja3_hash, "871a754af286dfb70c1b53c6887c62e0");
    assert_int_equal(h.n_point_formats, 3);

    assert_int_equal(parse_hex(SV_SH, &h), YJ_PROTO_DONE);
    assert_int_equal(h.type, YJ_TLS_SERVER_HELLO);
    assert_string_equal(yj_tls_version_name(yj_tls_negotiated(&h), vb, sizeof vb), "TLS 1.2");
    assert_int_equal(h.n_ciphers, 1);
    assert_int_equal(h.ciphers[0], 49200);
    assert_int_equal(h.n_exts, 4);
    const uint16_t exts[] = {65281, 11, 35, 23};
    for (int i = 0; i < 4; i++)
        assert_int_equal(h.exts[i], exts[i]);
    assert_string_equal(h.ja3, "771,49200,65281-11-35-23");
    assert_string_equal(h.ja3_hash, "ec74a5c51106f0419184d0dd08fb05bc");
    assert_string_equal(h.ja4, "");
}

static void grease_and_tls13(void **state)
{
    (void)state;
    static struct yj_tls_hello h;
    char vb[24];
    assert_int_equal(parse_hex(GREASED_CH, &h), YJ_PROTO_DONE);
    assert_true(yj_tls_is_grease(0x0a0a) && yj_tls_is_grease(0xfafa));
    assert_false(yj_tls_is_grease(0x0a1a) || yj_tls_is_grease(0x1301));
    /* The wire lists keep GREASE; the fingerprints drop it. */
    assert_int_equal(h.ciphers[0], 0x1a1a);
    assert_int_equal(h.n_ciphers, 19);
    assert_int_equal(h.supported_version, 0x0304);
    assert_string_equal(yj_tls_version_name(h.supported_version, vb, sizeof vb), "TLS 1.3");
    assert_string_equal(h.ja4, "t13i1811s1_27d4652c4487_3c4c606f6968");
    assert_string_equal(h.ja3_hash, "58c101cab024bf3480830f448848b5f2");
    assert_null(strstr(h.ja3, "6682"));  /* 0x1a1a */
    assert_null(strstr(h.ja3, "10794")); /* 0x2a2a */
}

/* A minimal ClientHello: one suite (0x1301), no SNI, an ALPN extension holding `alpn` (len
 * bytes; none when len is 0 and alpn NULL). */
static size_t mini_hello(uint8_t *b, const uint8_t *alpn, size_t len)
{
    size_t n = 0;
    uint8_t body[256];
    body[n++] = 3;
    body[n++] = 3;
    memset(body + n, 0, 32);
    n += 32;
    body[n++] = 0;
    const uint8_t rest[] = {0, 2, 0x13, 0x01, 1, 0};
    memcpy(body + n, rest, sizeof rest);
    n += sizeof rest;
    size_t ext = alpn ? 4 + 2 + 1 + len : 0;
    body[n++] = (uint8_t)(ext >> 8);
    body[n++] = (uint8_t)ext;
    if (alpn) {
        const uint8_t h[] = {0, 16, 0, (uint8_t)(3 + len), 0, (uint8_t)(1 + len),
                             (uint8_t)len};
        memcpy(body + n, h, sizeof h);
        n += sizeof h;
        memcpy(body + n, alpn, len);
        n += len;
    }
    const uint8_t rec[] = {22, 3, 1, (uint8_t)((n + 4) >> 8), (uint8_t)(n + 4), 1, 0,
                           (uint8_t)(n >> 8), (uint8_t)n};
    memcpy(b, rec, sizeof rec);
    memcpy(b + sizeof rec, body, n);
    return sizeof rec + n;
}

static void ja4_alpn_rules(void **state)
{
    (void)state;
    static struct yj_tls_hello h;
    static const struct {
        const char *alpn;
        size_t len;
        const char *want;
    } cases[] = {
        {"h2", 2, "h2"},         {"http/1.1", 8, "h1"},        {"x", 1, "xx"},
        {"\xab", 1, "ab"},       {"\xab\xcd", 2, "ad"},        {"\x30\xab", 2, "3b"},
        {"\x30\x31\xab\xcd", 4, "3d"}, {"\x30\xab\xcd\x31", 4, "01"},
    };
    uint8_t b[300];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = mini_hello(b, (const uint8_t *)cases[i].alpn, cases[i].len);
        assert_int_equal(yj_tls_parse_hello(b, n, &h), YJ_PROTO_DONE);
        assert_memory_equal(h.ja4 + 8, cases[i].want, 2);
        assert_memory_equal(h.ja4, "t12i0101", 8);
    }
    /* No ALPN at all: "00", and no extensions left: the last part is all zeros. The cipher
     * part is sha256("1301") cut to 12 digits. */
    size_t n = mini_hello(b, NULL, 0);
    assert_int_equal(yj_tls_parse_hello(b, n, &h), YJ_PROTO_DONE);
    assert_string_equal(h.ja4, "t12i010000_0f2cb44170f4_000000000000");
    /* An empty first ALPN value: "00". */
    n = mini_hello(b, (const uint8_t *)"", 0);
    assert_int_equal(yj_tls_parse_hello(b, n, &h), YJ_PROTO_DONE);
    assert_memory_equal(h.ja4, "t12i010100_", 11);
}

static void reassembly_across_records(void **state)
{
    (void)state;
    static struct yj_tls_hello h;
    size_t n;
    uint8_t *p = hex_bytes(JA4_TLS_CH, &n);
    /* Split the handshake message into records of 3, 50 and the rest. */
    const uint8_t *hs = p + 5;
    size_t hn = n - 5, cuts[] = {3, 50, hn - 53};
    uint8_t *b = malloc(hn + 15);
    size_t o = 0, at = 0;
    for (int i = 0; i < 3; i++) {
        const uint8_t rh[] = {22, 3, 1, (uint8_t)(cuts[i] >> 8), (uint8_t)cuts[i]};
        memcpy(b + o, rh, 5);
        memcpy(b + o + 5, hs + at, cuts[i]);
        o += 5 + cuts[i];
        at += cuts[i];
    }
    for (size_t k = 0; k < o; k++) {
        uint8_t *c = prefix_copy(b, k);
        assert_int_equal(yj_tls_parse_hello(c, k, &h), YJ_PROTO_MORE);
        free(c);
    }
    assert_int_equal(yj_tls_parse_hello(b, o, &h), YJ_PROTO_DONE);
    assert_string_equal(h.ja4, "t12i1810s1_27d4652c4487_06a4338d0495");
    free(b);
    free(p);
}

static void every_prefix_is_more(void **state)
{
    (void)state;
    static struct yj_tls_hello h;
    const char *all[] = {JA4_TLS_CH, SV_CH, SV_SH, GREASED_CH};
    for (size_t m = 0; m < sizeof all / sizeof all[0]; m++) {
        size_t n;
        uint8_t *p = hex_bytes(all[m], &n);
        for (size_t k = 0; k < n; k++) {
            uint8_t *c = prefix_copy(p, k);
            assert_int_equal(yj_tls_parse_hello(c, k, &h), YJ_PROTO_MORE);
            free(c);
        }
        free(p);
    }
}

static void not_tls_and_malformed(void **state)
{
    (void)state;
    static struct yj_tls_hello h;
    assert_int_equal(yj_tls_parse_hello((const uint8_t *)"GET / HTTP/1.1\r\n", 16, &h),
                     YJ_PROTO_NOT);
    assert_int_equal(parse_hex("1703030010", &h), YJ_PROTO_NOT);     /* application data */
    assert_int_equal(parse_hex("160200", &h), YJ_PROTO_NOT);         /* not version 3.x */
    assert_int_equal(parse_hex("1603010000", &h), YJ_PROTO_BAD);     /* empty record */
    assert_int_equal(parse_hex("16030100040b000000", &h), YJ_PROTO_NOT); /* a Certificate */
    assert_int_equal(parse_hex("1603010004 01ffffff", &h), YJ_PROTO_BAD); /* too large */
    /* A hello whose session id says 33 bytes. */
    assert_int_equal(parse_hex("1603010027 01000023 0303"
                               "0000000000000000000000000000000000000000000000000000000000000000"
                               "21", &h), YJ_PROTO_BAD);
    /* An extension that runs past the extensions block. */
    uint8_t b[300];
    size_t n = mini_hello(b, (const uint8_t *)"h2", 2);
    b[n - 4] = 9; /* the ALPN list length */
    assert_int_equal(yj_tls_parse_hello(b, n, &h), YJ_PROTO_BAD);
    /* A record of another type after the first. */
    assert_int_equal(parse_hex("1603010002 0100 1503010002 0000", &h), YJ_PROTO_BAD);
}

static void version_names(void **state)
{
    (void)state;
    char b[24];
    assert_string_equal(yj_tls_version_name(0x0301, b, sizeof b), "TLSv1");
    assert_string_equal(yj_tls_version_name(0x0302, b, sizeof b), "TLS 1.1");
    assert_string_equal(yj_tls_version_name(0x0300, b, sizeof b), "SSLv3");
    assert_string_equal(yj_tls_version_name(0x7f1c, b, sizeof b), "TLS 1.3 draft-28");
    assert_string_equal(yj_tls_version_name(0x1234, b, sizeof b), "0x1234");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ja4_tls_client_hello), cmocka_unit_test(sv_handshake),
        cmocka_unit_test(grease_and_tls13),     cmocka_unit_test(ja4_alpn_rules),
        cmocka_unit_test(reassembly_across_records), cmocka_unit_test(every_prefix_is_more),
        cmocka_unit_test(not_tls_and_malformed), cmocka_unit_test(version_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
