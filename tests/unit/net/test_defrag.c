/* IPv4 and IPv6 fragment reassembly: orders, duplicates, conflicting overlaps, limits,
 * timeouts and the tracker cap. */
#include "ut.h"

#include "pkt.h"

/* A UDP datagram of 8 + 40 bytes split into fragments of `sizes` (multiples of 8). */
static uint8_t dgram[48];

static void make_dgram(void)
{
    char data[40];
    for (int i = 0; i < 40; i++)
        data[i] = (char)('a' + i % 26);
    udp(dgram, 5000, 53, data, sizeof data);
}

/* A fragment at off carrying data. */
static void frag4_data(struct yj_net *n, int64_t t, uint16_t id, size_t off, const uint8_t *data,
                       size_t len, bool more)
{
    uint8_t pkt[128];
    uint16_t fo = (uint16_t)((more ? 0x2000 : 0) | (off / 8));
    feed(n, t, pkt, ip4(pkt, 1, 2, 17, id, fo, data, len));
}

/* A fragment at off carrying src's bytes from off. */
static void frag4(struct yj_net *n, int64_t t, uint16_t id, size_t off, size_t len, bool more,
                  const uint8_t *src)
{
    frag4_data(n, t, id, off, src + off, len, more);
}

static void in_order(void **state)
{
    (void)state;
    struct rec r;
    struct yj_net *n = engine(&r, NULL);
    make_dgram();
    frag4(n, 0, 7, 0, 16, true, dgram);
    frag4(n, 1, 7, 16, 16, true, dgram);
    assert_int_equal(r.packets, 0);
    frag4(n, 2, 7, 32, 16, false, dgram);
    assert_int_equal(r.reassembled, 1);
    assert_int_equal(r.last_proto, 17);
    assert_int_equal(r.last_payload, 40);
    struct yj_net_stats st;
    yj_net_get_stats(n, &st);
    assert_int_equal(st.frag4, 3);
    assert_int_equal(st.reasm4, 1);
    assert_int_equal(r.anomalies, 0);
    yj_net_free(n);
}

static void reverse_order_and_duplicates(void **state)
{
    (void)state;
    struct rec r;
    struct yj_net *n = engine(&r, NULL);
    make_dgram();
    frag4(n, 0, 8, 32, 16, false, dgram);
    frag4(n, 1, 8, 16, 16, true, dgram);
    frag4(n, 2, 8, 16, 16, true, dgram); /* the same bytes again: accepted */
    frag4(n, 3, 8, 8, 16, true, dgram);  /* overlaps with equal bytes: accepted */
    frag4(n, 4, 8, 0, 8, true, dgram);
    assert_int_equal(r.reassembled, 1);
    assert_int_equal(r.last_payload, 40);
    assert_int_equal(r.anomalies, 0);
    yj_net_free(n);
}

static void conflicting_overlap(void **state)
{
    (void)state;
    struct rec r;
    struct yj_net *n = engine(&r, NULL);
    make_dgram();
    uint8_t other[48];
    memcpy(other, dgram, sizeof other);
    other[20] ^= 0xff;
    frag4(n, 0, 9, 0, 24, true, dgram);
    frag4(n, 1, 9, 16, 16, true, other); /* byte 20 differs */
    assert_int_equal(r.anomalies, 1);
    assert_string_equal(r.last_anomaly, "ipv4.frag_overlap");
    frag4(n, 2, 9, 32, 16, false, dgram); /* swallowed: the datagram was dropped */
    assert_int_equal(r.reassembled, 0);
    struct yj_net_stats st;
    yj_net_get_stats(n, &st);
    assert_int_equal(st.frag_overlap, 1);
    yj_net_free(n);
}

static void too_large_and_bad_length(void **state)
{
    (void)state;
    struct rec r;
    struct yj_net *n = engine(&r, NULL);
    make_dgram();
    frag4_data(n, 0, 10, 65528, dgram, 16, false); /* ends past 65535 */
    assert_string_equal(r.last_anomaly, "ipv4.frag_pkt_too_large");
    frag4(n, 1, 11, 0, 12, true, dgram); /* a middle fragment of 12 bytes */
    assert_string_equal(r.last_anomaly, "ipv4.frag_invalid_length");
    frag4(n, 2, 12, 0, 24, true, dgram);
    frag4(n, 3, 12, 8, 8, false, dgram); /* the end falls before bytes already held */
    assert_string_equal(r.last_anomaly, "ipv4.frag_invalid_length");
    assert_int_equal(r.reassembled, 0);
    yj_net_free(n);
}

static void timeout(void **state)
{
    (void)state;
    struct rec r;
    struct yj_net *n = engine(&r, NULL);
    make_dgram();
    frag4(n, 0, 13, 0, 16, true, dgram);
    frag4(n, 61 * SEC, 13, 16, 16, true, dgram); /* the tracker expired first */
    frag4(n, 61 * SEC + 1, 13, 32, 16, false, dgram);
    assert_int_equal(r.reassembled, 0);
    struct yj_net_stats st;
    yj_net_get_stats(n, &st);
    assert_int_equal(st.frag_timeout, 1);
    yj_net_free(n);
}

static void tracker_cap(void **state)
{
    (void)state;
    struct rec r;
    struct yj_net_config c;
    yj_net_config_default(&c);
    c.frag_trackers = 2;
    struct yj_net *n = engine(&r, &c);
    make_dgram();
    frag4(n, 0, 20, 0, 16, true, dgram);
    frag4(n, 1, 21, 0, 16, true, dgram);
    frag4(n, 2, 22, 0, 16, true, dgram); /* no tracker left */
    struct yj_net_stats st;
    yj_net_get_stats(n, &st);
    assert_int_equal(st.frag_trackers_full, 1);
    /* the first two still complete */
    frag4(n, 3, 20, 16, 32, false, dgram);
    frag4(n, 4, 21, 16, 32, false, dgram);
    assert_int_equal(r.reassembled, 2);
    yj_net_free(n);
}

static void frag6(struct yj_net *n, int64_t t, uint32_t id, size_t off, size_t len, bool more,
                  const uint8_t *src)
{
    uint8_t pkt[160] = {0x60, 0, 0, 0, 0, 0, 44, 64};
    size_t plen = 8 + len;
    pkt[4] = (uint8_t)(plen >> 8);
    pkt[5] = (uint8_t)plen;
    pkt[8] = 0xfd;
    pkt[23] = 1;
    pkt[24] = 0xfd;
    pkt[39] = 2;
    uint16_t fo = (uint16_t)((off / 8) << 3 | (more ? 1 : 0));
    uint8_t fh[8] = {17, 0, (uint8_t)(fo >> 8), (uint8_t)fo, (uint8_t)(id >> 24),
                     (uint8_t)(id >> 16), (uint8_t)(id >> 8), (uint8_t)id};
    memcpy(pkt + 40, fh, 8);
    memcpy(pkt + 48, src + off, len);
    feed(n, t, pkt, 48 + len);
}

static void ipv6(void **state)
{
    (void)state;
    struct rec r;
    struct yj_net *n = engine(&r, NULL);
    make_dgram();
    frag6(n, 0, 0x12345, 24, 24, false, dgram);
    frag6(n, 1, 0x12345, 0, 24, true, dgram);
    assert_int_equal(r.reassembled, 1);
    assert_int_equal(r.last_proto, 17);
    assert_int_equal(r.last_payload, 40);
    uint8_t other[48];
    memcpy(other, dgram, sizeof other);
    other[30] ^= 1;
    frag6(n, 2, 0x777, 0, 32, true, dgram);
    frag6(n, 3, 0x777, 24, 24, false, other);
    assert_string_equal(r.last_anomaly, "ipv6.frag_overlap");
    assert_int_equal(r.reassembled, 1);
    yj_net_free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(in_order),
        cmocka_unit_test(reverse_order_and_duplicates),
        cmocka_unit_test(conflicting_overlap),
        cmocka_unit_test(too_large_and_bad_length),
        cmocka_unit_test(timeout),
        cmocka_unit_test(tracker_cap),
        cmocka_unit_test(ipv6),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
