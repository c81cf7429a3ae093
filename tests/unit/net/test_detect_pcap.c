/* The record-fed detectors on real captures, with the proto/ parsers standing in for the
 * application layer: every UDP/53 payload through yj_dns_parse into sensor_on_dns, every
 * client stream chunk through yj_http_parse_request into sensor_on_http. Shows that the
 * shipped thresholds flag dnscat2 and dns2tcp and a DVWA log-in form, and stay quiet on
 * ordinary DNS, independently of the application layer's choices (the end-to-end cases
 * through `yojin pcap` are tests/cases/net/detect-*). */
#include <stdlib.h>
#include <string.h>

#include "ut.h"

#include "net/sensor_int.h"

struct run {
    struct yj_sensor *s;
    unsigned alerts, sig;
    char src[48], summary[640], user[64];
};

static void on_ev(void *ctx, const struct yj_event *ev)
{
    struct run *r = ctx;
    if (ev->type != YJ_EVENT_ALERT)
        return;
    if (!r->alerts++) {
        r->sig = ev->u.alert.signature_id;
        snprintf(r->src, sizeof r->src, "%s", ev->src_ip);
        snprintf(r->summary, sizeof r->summary, "%s", ev->u.alert.summary);
        snprintf(r->user, sizeof r->user, "%s", ev->u.alert.user ? ev->u.alert.user : "");
    }
}

static void on_packet(void *ctx, const struct yj_net_packet *p)
{
    struct run *r = ctx;
    struct yj_dns m;
    if (p->proto == 17 && (p->sport == 53 || p->dport == 53) && p->flow &&
        yj_dns_parse(p->payload, p->payload_len, &m) == YJ_PROTO_DONE)
        sensor_on_dns(r->s, p->flow, p->ts_us, &m);
}

static void on_stream(void *ctx, struct yj_net_flow *f, enum yj_net_dir dir, const uint8_t *data,
                      size_t len)
{
    struct run *r = ctx;
    static struct yj_http_req q;
    if (dir == YJ_NET_TOSERVER && data &&
        yj_http_parse_request(data, len, &q, NULL) == YJ_PROTO_DONE)
        sensor_on_http(r->s, f, f->last_us, &q);
}

/* Runs the capture shared/data/pcap/rel; r gets the alerts. */
static void run(const char *rel, struct run *r)
{
    memset(r, 0, sizeof *r);
    struct yj_sensor_opts o;
    yj_sensor_opts_default(&o);
    o.lang = YJ_LANG_EN;
    o.ndpi = false;
    struct yj_diag d;
    yj_diag_init(&d);
    assert_int_equal(yj_sensor_new(&r->s, &o, on_ev, r, &d), YJ_ERR_OK);
    struct yj_net_config c;
    yj_net_config_default(&c);
    c.ext_size = (uint32_t)sizeof(struct sensor_flow);
    struct yj_net_hooks h = {.ctx = r, .on_packet = on_packet, .on_stream = on_stream};
    struct yj_net *n = yj_net_new(&c, &h);
    char rel2[256];
    snprintf(rel2, sizeof rel2, "../shared/data/pcap/%s", rel);
    char *path = ut_src_path(rel2);
    struct yj_net_source *src;
    assert_int_equal(yj_net_source_open_file(path, NULL, &src, &d), YJ_ERR_OK);
    bool done = false;
    while (!done)
        assert_int_equal(yj_net_source_dispatch(src, n, 0, &done, &d), YJ_ERR_OK);
    yj_net_flush(n);
    yj_net_source_close(src);
    yj_net_free(n);
    yj_sensor_free(r->s);
    yj_diag_fini(&d);
    free(path);
}

static void dnscat2(void **state)
{
    (void)state;
    struct run r;
    run("dns-tunnel/dnscat2.pcap", &r);
    assert_int_equal(r.alerts, 1);
    assert_int_equal(r.sig, 3005);
    assert_string_equal(r.src, "192.168.1.17");
    assert_non_null(strstr(r.summary, "biillpi.com"));
}

static void dns2tcp(void **state)
{
    (void)state;
    struct run r;
    run("dns-tunnel/dns2tcp.pcap", &r);
    assert_int_equal(r.alerts, 1);
    assert_int_equal(r.sig, 3005);
    assert_non_null(strstr(r.summary, "hsc.fr"));
}

static void ordinary_dns(void **state)
{
    (void)state;
    struct run r;
    run("chrissanders/dns.pcap", &r);
    assert_int_equal(r.alerts, 0);
    run("chrissanders/dns_isp_hijack.pcapng", &r);
    assert_int_equal(r.alerts, 0);
    run("chrissanders/http_post.pcapng", &r);
    assert_int_equal(r.alerts, 0);
}

static void dvwa_login(void **state)
{
    (void)state;
    struct run r;
    run("chrissanders/http_dvwa_clearlogin.pcapng", &r);
    assert_int_equal(r.alerts, 1);
    assert_int_equal(r.sig, 3004);
    assert_string_equal(r.src, "10.2.2.101");
    assert_string_equal(r.user, "admin");
    assert_non_null(strstr(r.summary, "HTTP form"));
    assert_null(strstr(r.summary, "password=")); /* the value never shows */
}

int main(void)
{
    ut_i18n_real();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dnscat2),
        cmocka_unit_test(dns2tcp),
        cmocka_unit_test(ordinary_dns),
        cmocka_unit_test(dvwa_login),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
