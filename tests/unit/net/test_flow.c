/* The flow table (cap, eviction, refusal, timeouts, direction, close), Community ID, the
 * per-flow extension area and in-order TCP stream delivery. */
#include "ut.h"

#include "pkt.h"

static void community_id(void **state)
{
    (void)state;
    struct yj_net_addr a = {4, {128, 232, 110, 120}}, b = {4, {66, 35, 250, 204}};
    char out[32];
    /* the specification's TCP example, and the same flow seen from the other side */
    yj_net_community_id(&a, &b, 6, 34855, 80, out, sizeof out);
    assert_string_equal(out, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
    yj_net_community_id(&b, &a, 6, 80, 34855, out, sizeof out);
    assert_string_equal(out, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
    /* an echo request and its reply share one ID */
    char req[32], rep[32];
    yj_net_community_id(&a, &b, 1, 8, 0, req, sizeof req);
    yj_net_community_id(&b, &a, 1, 0, 0, rep, sizeof rep);
    assert_string_equal(req, rep);
    /* IPv6: the longest input hashed (40 bytes), value from Python's hashlib */
    struct yj_net_addr c6 = {6, {0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
    struct yj_net_addr s6 = {6, {0x20, 0x01, 0x0d, 0xb8, [15] = 2}};
    yj_net_community_id(&c6, &s6, 17, 5353, 53, out, sizeof out);
    assert_string_equal(out, "1:sEzqFsMvqwEs2PgSeOAwGpzkZJo=");
}

static char cid_seen[32];

static void cid_packet(void *ctx, const struct yj_net_packet *p)
{
    (void)ctx;
    snprintf(cid_seen, sizeof cid_seen, "%s", yj_net_flow_community_id(p->flow));
}

static void community_id_of_a_live_flow(void **state)
{
    (void)state;
    struct yj_net_config c;
    yj_net_config_default(&c);
    struct yj_net_hooks h = {.on_packet = cid_packet};
    struct yj_net *n = yj_net_new(&c, &h);
    seg(n, 0, 2, 80, 1, 34855, 0x12, 1, NULL); /* seen from the server's side first */
    struct yj_net_addr a = {4, {10, 0, 0, 1}}, b = {4, {10, 0, 0, 2}};
    char want[32];
    yj_net_community_id(&a, &b, 6, 34855, 80, want, sizeof want);
    assert_string_equal(cid_seen, want);
    yj_net_free(n);
}

static void cap_evicts_unanswered(void **state)
{
    (void)state;
    struct rec r;
    struct yj_net_config c;
    yj_net_config_default(&c);
    c.max_flows = 4;
    struct yj_net *n = engine(&r, &c);
    for (uint16_t p = 0; p < 10; p++)
        seg(n, p, 1, (uint16_t)(40000 + p), 2, 80, 0x02, 1, NULL);
    struct yj_net_stats st;
    yj_net_get_stats(n, &st);
    assert_int_equal(st.flows, 10);
    assert_int_equal(st.flows_evicted, 6);
    assert_int_equal(st.flows_active, 4);
    assert_int_equal(r.flows, 6);
    assert_string_equal(r.last_reason, "forced");
    yj_net_flush(n);
    assert_int_equal(r.flows, 10);
    assert_string_equal(r.last_reason, "shutdown");
    yj_net_free(n);
}

static void handshake(struct yj_net *n, int64_t t, uint16_t cport)
{
    seg(n, t, 1, cport, 2, 80, 0x02, 100, NULL);
    seg_ack(n, t, 2, 80, 1, cport, 0x12, 500, 101, NULL);
    seg(n, t, 1, cport, 2, 80, 0x10, 101, NULL);
}

static void cap_refuses_when_all_established(void **state)
{
    (void)state;
    struct rec r;
    struct yj_net_config c;
    yj_net_config_default(&c);
    c.max_flows = 2;
    struct yj_net *n = engine(&r, &c);
    handshake(n, 0, 1000);
    handshake(n, 1, 1001);
    seg(n, 2, 1, 1002, 2, 80, 0x02, 1, NULL);
    assert_false(r.last_had_flow);
    struct yj_net_stats st;
    yj_net_get_stats(n, &st);
    assert_int_equal(st.flows_refused, 1);
    assert_int_equal(st.flow_pkts_untracked, 1);
    assert_int_equal(st.flows_evicted, 0);
    assert_int_equal(st.flows_active, 2);
    assert_int_equal(r.flows, 0);
    yj_net_free(n);
}

static void timeouts(void **state)
{
    (void)state;
    struct rec r;
    struct yj_net *n = engine(&r, NULL);
    uint8_t l4[64], pkt[128];
    size_t l = udp(l4, 5000, 53, "q", 1);
    feed(n, 0, pkt, ip4(pkt, 1, 2, 17, 1, 0, l4, l));
    /* UDP, one side only: 30 s */
    yj_net_tick(n, 30 * SEC);
    assert_int_equal(r.flows, 0);
    yj_net_tick(n, 31 * SEC + 1);
    assert_int_equal(r.flows, 1);
    assert_string_equal(r.last_reason, "timeout");
    assert_string_equal(r.last_state, "new");
    /* a closed TCP flow lingers 10 s for late packets, then is reported as closed */
    handshake(n, 40 * SEC, 2000);
    seg(n, 41 * SEC, 1, 2000, 2, 80, 0x11, 101, NULL);
    seg(n, 41 * SEC, 2, 80, 1, 2000, 0x11, 501, NULL);
    seg(n, 41 * SEC, 1, 2000, 2, 80, 0x10, 102, NULL);
    yj_net_tick(n, 50 * SEC);
    assert_int_equal(r.flows, 1);
    yj_net_tick(n, 52 * SEC);
    assert_int_equal(r.flows, 2);
    assert_string_equal(r.last_state, "closed");
    assert_int_equal(r.last_pkts[0], 4);
    assert_int_equal(r.last_pkts[1], 2);
    yj_net_free(n);
}

static void direction(void **state)
{
    (void)state;
    struct rec r;
    struct yj_net *n = engine(&r, NULL);
    /* picked up at the SYN/ACK: the receiver (10.0.0.1:3000) initiated */
    seg(n, 0, 2, 80, 1, 3000, 0x12, 500, NULL);
    assert_int_equal(r.last_dir, YJ_NET_TOCLIENT);
    seg(n, 0, 1, 3000, 2, 80, 0x10, 101, NULL);
    assert_int_equal(r.last_dir, YJ_NET_TOSERVER);
    yj_net_flush(n);
    assert_int_equal(r.last_pkts[0], 1);
    assert_int_equal(r.last_pkts[1], 1);
    yj_net_free(n);
}

static void synack_with_wrong_ack(void **state)
{
    (void)state;
    struct rec r;
    struct yj_net *n = engine(&r, NULL);
    seg(n, 0, 1, 7000, 2, 80, 0x02, 100, NULL);
    seg_ack(n, 0, 2, 80, 1, 7000, 0x12, 500, 99, NULL); /* acknowledges 99, not 101 */
    assert_int_equal(r.anomalies, 1);
    assert_string_equal(r.last_anomaly, "stream.3whs_synack_with_wrong_ack");
    /* the right answer completes the handshake */
    seg_ack(n, 0, 2, 80, 1, 7000, 0x12, 500, 101, NULL);
    seg(n, 0, 1, 7000, 2, 80, 0x10, 101, NULL);
    yj_net_flush(n);
    assert_string_equal(r.last_state, "established");
    assert_int_equal(r.anomalies, 1);
    yj_net_free(n);
}

static void event_mask(void **state)
{
    (void)state;
    struct rec r;
    memset(&r, 0, sizeof r);
    struct yj_net_config c;
    yj_net_config_default(&c);
    struct yj_net_hooks h = {.ctx = &r, .on_event = rec_event,
                             .event_mask = 1u << YJ_EVENT_ANOMALY};
    struct yj_net *n = yj_net_new(&c, &h);
    handshake(n, 0, 9000);
    seg_ack(n, 0, 1, 9001, 2, 80, 0x02, 1, 0, NULL);
    seg_ack(n, 0, 2, 80, 1, 9001, 0x12, 1, 5, NULL); /* wrong ack: an anomaly */
    yj_net_flush(n);
    yj_net_emit_stats(n);
    assert_int_equal(r.flows, 0); /* flow events were not wanted */
    assert_int_equal(r.anomalies, 1);
    yj_net_free(n);
}

static void extension_area(void **state)
{
    (void)state;
    struct rec r;
    struct yj_net_config c;
    yj_net_config_default(&c);
    c.ext_size = 16;
    struct yj_net *n = engine(&r, &c);
    handshake(n, 0, 4000);
    yj_net_flush(n);
    assert_int_equal(r.flow_ends, 1);
    assert_int_equal(r.ext_seen, 3); /* written by the packet hook at the third packet */
    yj_net_free(n);
}

static void stream_in_order(void **state)
{
    (void)state;
    struct rec r;
    struct yj_net *n = engine(&r, NULL);
    handshake(n, 0, 5000);
    seg(n, 1, 1, 5000, 2, 80, 0x18, 106, "WORLD"); /* ahead: waits */
    assert_int_equal(r.slen[0], 0);
    seg(n, 1, 1, 5000, 2, 80, 0x18, 101, "HELLO");
    seg(n, 1, 1, 5000, 2, 80, 0x18, 101, "HELLO"); /* retransmission */
    seg(n, 1, 1, 5000, 2, 80, 0x18, 104, "LOWOR"); /* overlapping: only new bytes count */
    seg(n, 1, 1, 5000, 2, 80, 0x18, 111, "!");
    seg(n, 1, 2, 80, 1, 5000, 0x18, 501, "OK");
    assert_string_equal(r.stream[0], "HELLOWORLD!");
    assert_string_equal(r.stream[1], "OK");
    assert_int_equal(r.gaps, 0);
    yj_net_free(n);
}

static struct yj_net *stop_engine;

static void stop_after_first(void *ctx, struct yj_net_flow *f, enum yj_net_dir dir,
                             const uint8_t *data, size_t len)
{
    rec_stream(ctx, f, dir, data, len);
    yj_net_stream_stop(stop_engine, f, dir);
}

static void stream_stop_from_hook(void **state)
{
    (void)state;
    struct rec r;
    struct yj_net *n = engine_with(&r, NULL, stop_after_first);
    stop_engine = n;
    handshake(n, 0, 8000);
    seg(n, 1, 1, 8000, 2, 80, 0x18, 106, "WORLD"); /* waits in the pool */
    seg(n, 1, 1, 8000, 2, 80, 0x18, 101, "HELLO"); /* delivered, then the hook stops */
    seg(n, 1, 1, 8000, 2, 80, 0x18, 111, "MORE");
    assert_string_equal(r.stream[0], "HELLO");
    yj_net_flush(n);
    assert_string_equal(r.stream[0], "HELLO");
    assert_int_equal(r.gaps, 0);
    yj_net_free(n);
}

static void stream_depth_and_gaps(void **state)
{
    (void)state;
    struct rec r;
    struct yj_net_config c;
    yj_net_config_default(&c);
    c.stream_depth = 13;
    c.stream_ooo_flow = 1;
    struct yj_net *n = engine(&r, &c);
    handshake(n, 0, 6000);
    seg(n, 1, 1, 6000, 2, 80, 0x18, 111, "BBBBB"); /* waits (hole 101..110) */
    seg(n, 1, 1, 6000, 2, 80, 0x18, 121, "CC");    /* cannot wait: the hole is given up */
    assert_int_equal(r.gaps, 1);
    assert_string_equal(r.stream[0], "BBB"); /* 10 gap bytes + 3 data bytes = depth 13 */
    struct yj_net_stats st;
    yj_net_get_stats(n, &st);
    assert_int_equal(st.stream_depth_reached, 1);
    assert_int_equal(st.stream_ooo_dropped, 1);
    /* the end of the flow delivers what still waits */
    handshake(n, 2, 6001);
    seg(n, 3, 1, 6001, 2, 80, 0x18, 103, "ZZ");
    yj_net_flush(n);
    assert_int_equal(r.gaps, 2);
    yj_net_free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(community_id),
        cmocka_unit_test(community_id_of_a_live_flow),
        cmocka_unit_test(cap_evicts_unanswered),
        cmocka_unit_test(cap_refuses_when_all_established),
        cmocka_unit_test(timeouts),
        cmocka_unit_test(direction),
        cmocka_unit_test(synack_with_wrong_ack),
        cmocka_unit_test(event_mask),
        cmocka_unit_test(extension_area),
        cmocka_unit_test(stream_in_order),
        cmocka_unit_test(stream_depth_and_gaps),
        cmocka_unit_test(stream_stop_from_hook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
