/* Decoders: the ARP hook, 802.1Q/QinQ tags, the IPv6 extension header chain, frames cut by
 * the snap length (not anomalies) and bounds at header edges (anomalies, never reads past
 * the frame: each frame here is a heap copy of exactly its length, so ASan catches one). */
#include <stdlib.h>

#include "ut.h"

#include "pkt.h"

static struct yj_net_arp last_arp;
static unsigned arps;

static void on_arp(void *ctx, const struct yj_net_arp *a)
{
    (void)ctx;
    last_arp = *a;
    arps++;
}

static void feed_exact(struct yj_net *n, int link, const uint8_t *b, size_t len, size_t wire)
{
    uint8_t *copy = malloc(len ? len : 1);
    memcpy(copy, b, len);
    yj_net_feed(n, link, 0, copy, (uint32_t)len, (uint32_t)wire);
    free(copy);
}

static void arp_hook(void **state)
{
    (void)state;
    struct rec r;
    struct yj_net *n = engine_with(&r, on_arp, NULL);
    const uint8_t frame[] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x01, 0x81, 0x00, 0x00, 0x05,
        0x08, 0x06,                                   /* VLAN 5, ARP */
        0, 1, 0x08, 0, 6, 4, 0, 2,                    /* Ethernet/IPv4, reply */
        0x02, 0, 0, 0, 0, 0x01, 192, 168, 1, 1,       /* sender */
        0x02, 0, 0, 0, 0, 0x02, 192, 168, 1, 20};     /* target */
    arps = 0;
    feed_exact(n, YJ_NET_DLT_EN10MB, frame, sizeof frame, sizeof frame);
    assert_int_equal(arps, 1);
    assert_int_equal(last_arp.op, 2);
    assert_int_equal(last_arp.vlan, 5);
    assert_memory_equal(last_arp.spa, ((uint8_t[]){192, 168, 1, 1}), 4);
    assert_memory_equal(last_arp.tha, ((uint8_t[]){2, 0, 0, 0, 0, 2}), 6);
    /* one byte short: an anomaly, no hook */
    feed_exact(n, YJ_NET_DLT_EN10MB, frame, sizeof frame - 1, sizeof frame - 1);
    assert_int_equal(arps, 1);
    assert_string_equal(r.last_anomaly, "arp.pkt_too_small");
    yj_net_free(n);
}

static void ipv6_extension_chain(void **state)
{
    (void)state;
    struct rec r;
    struct yj_net *n = engine(&r, NULL);
    uint8_t p[128] = {0x60, 0, 0, 0, 0, 0, 0 /* hop-by-hop */, 64};
    p[8] = 0xfd;
    p[23] = 1;
    p[24] = 0xfd;
    p[39] = 2;
    uint8_t ext[16] = {60, 0, 1, 4, 0, 0, 0, 0,  /* HBH -> dest opts, PadN */
                       6, 0, 1, 4, 0, 0, 0, 0};  /* dest opts -> TCP */
    memcpy(p + 40, ext, 16);
    size_t l4 = tcp(p + 56, 1111, 22, 0x02, 7, NULL, 0);
    p[5] = (uint8_t)(16 + l4);
    feed_exact(n, YJ_NET_LINKTYPE_RAW, p, 56 + l4, 56 + l4);
    assert_int_equal(r.packets, 1);
    assert_int_equal(r.last_proto, 6);
    assert_int_equal(r.anomalies, 0);
    /* the same chain cut inside the destination options */
    p[5] = 12;
    feed_exact(n, YJ_NET_LINKTYPE_RAW, p, 52, 52);
    assert_string_equal(r.last_anomaly, "ipv6.trunc_exthdr");
    /* hop-by-hop after another header is refused */
    p[5] = (uint8_t)(16 + l4);
    p[48] = 0;
    feed_exact(n, YJ_NET_LINKTYPE_RAW, p, 56 + l4, 56 + l4);
    assert_string_equal(r.last_anomaly, "ipv6.hopopts_not_first");
    yj_net_free(n);
}

static void snapped_frames_are_not_anomalies(void **state)
{
    (void)state;
    struct rec r;
    struct yj_net *n = engine(&r, NULL);
    uint8_t l4[64], pkt[128];
    size_t l = tcp(l4, 1000, 80, 0x18, 1, "0123456789", 10);
    size_t len = ip4(pkt, 1, 2, 6, 1, 0, l4, l);
    /* every cut of the frame by a snap length: never an anomaly */
    for (size_t cut = 0; cut < len; cut++)
        feed_exact(n, YJ_NET_LINKTYPE_RAW, pkt, cut, len);
    assert_int_equal(r.anomalies, 0);
    /* the same cuts with the wire length equal to the cut: each one malformed */
    for (size_t cut = 1; cut < 40; cut++)
        feed_exact(n, YJ_NET_LINKTYPE_RAW, pkt, cut, cut);
    assert_int_equal(r.anomalies, 39);
    yj_net_free(n);
}

static void every_prefix_of_every_layer(void **state)
{
    (void)state;
    struct rec r;
    struct yj_net *n = engine(&r, NULL);
    /* Ethernet + 2 VLAN tags + IPv4 + UDP: every prefix decodes without reading past it */
    uint8_t f[128] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x88, 0xa8, 0, 1, 0x81, 0, 0, 2,
                      0x08, 0};
    uint8_t l4[32];
    size_t l = udp(l4, 53, 5353, "abc", 3);
    size_t len = 22 + ip4(f + 22, 1, 2, 17, 1, 0, l4, l);
    for (size_t cut = 0; cut <= len; cut++)
        feed_exact(n, YJ_NET_DLT_EN10MB, f, cut, cut);
    struct yj_net_stats st;
    yj_net_get_stats(n, &st);
    assert_int_equal(st.vlan_qinq, len + 1 - 22); /* both tags whole from 22 bytes on */
    assert_int_equal(r.packets, 1); /* only the whole frame */
    yj_net_free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arp_hook),
        cmocka_unit_test(ipv6_extension_chain),
        cmocka_unit_test(snapped_frames_are_not_anomalies),
        cmocka_unit_test(every_prefix_of_every_layer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
