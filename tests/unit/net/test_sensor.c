/* The sensor's application and indicator detectors fed directly (sensor_int.h), without
 * captures: threat-list hits on DNS names and answers, TLS server names and HTTP requests
 * raise one alert per (indicator, host) per hour, naming list and reason; nDPI's kinds of
 * application raise one alert per (client, kind) per hour; the bounded "seen lately" table. */
#include "ut.h"

#include <string.h>

#include "base/i18n.h"
#include "net/sensor_int.h"

struct got {
    unsigned ids[32];
    char summary[32][640];
    size_t n;
};

static void on_event(void *ctx, const struct yj_event *ev)
{
    struct got *g = ctx;
    if (ev->type == YJ_EVENT_ALERT && g->n < 32) {
        g->ids[g->n] = ev->u.alert.signature_id;
        snprintf(g->summary[g->n], sizeof g->summary[0], "%s", ev->u.alert.summary);
        g->n++;
    }
}

struct rig {
    struct got got;
    struct yj_ioc_holder *ioc;
    struct yj_sensor *s;
    struct sensor_flow ext;
    struct yj_net_flow flow;
};

static void rig_start(struct rig *r, const char *list)
{
    memset(r, 0, sizeof *r);
    struct yj_ioc_builder *b = yj_ioc_builder_new();
    struct yj_diag d;
    yj_diag_init(&d);
    assert_int_equal(yj_ioc_builder_add_mem(b, "test-list", "test.tsv", YJ_IOC_FMT_MALTRAIL,
                                            list, strlen(list), NULL, &d),
                     YJ_ERR_OK);
    r->ioc = yj_ioc_holder_new(yj_ioc_builder_build(b));
    struct yj_sensor_opts o;
    yj_sensor_opts_default(&o);
    o.lang = YJ_LANG_EN;
    o.ioc = r->ioc;
    o.ndpi = false;
    assert_int_equal(yj_sensor_new(&r->s, &o, on_event, &r->got, &d), YJ_ERR_OK);
    yj_diag_fini(&d);
    r->flow.src = (struct yj_net_addr){4, {192, 168, 1, 20}};
    r->flow.dst = (struct yj_net_addr){4, {192, 168, 1, 1}};
    r->flow.sport = 40000;
    r->flow.dport = 53;
    r->flow.proto = 17;
    r->flow.ext = &r->ext;
}

static void rig_stop(struct rig *r)
{
    yj_sensor_tick(r->s, 0); /* leaves the indicator set */
    yj_sensor_free(r->s);
    yj_ioc_holder_free(r->ioc);
}

static const char *const LIST = "evil.example\tdemo-family (malware)\n"
                                "198.51.100.7\tc2 (malware)\n"
                                "/gate.php\tpanel (malware)\n";

static void dns_names_and_answers(void **state)
{
    (void)state;
    struct rig r;
    rig_start(&r, LIST);
    struct yj_dns m;
    memset(&m, 0, sizeof m);
    m.n_queries = 1;
    snprintf(m.queries[0].rrname.text, YJ_DNS_NAME_LEN, "%s", "www.EVIL.example");
    int64_t t = 1700000000LL * 1000000;
    sensor_on_dns(r.s, &r.flow, t, &m);
    sensor_on_dns(r.s, &r.flow, t + 1000000, &m); /* the same hour: no second alert */
    assert_int_equal(r.got.n, 1);
    assert_int_equal(r.got.ids[0], 3202);
    assert_non_null(strstr(r.got.summary[0], "192.168.1.20"));
    assert_non_null(strstr(r.got.summary[0], "evil.example [test-list: demo-family"));
    /* a name that only ends like a listed one is not listed */
    snprintf(m.queries[0].rrname.text, YJ_DNS_NAME_LEN, "%s", "notevil.example");
    sensor_on_dns(r.s, &r.flow, t, &m);
    assert_int_equal(r.got.n, 1);
    /* an answer's address */
    m.qr = true;
    m.n_answers = 1;
    m.answers[0].rrtype = YJ_DNS_A;
    snprintf(m.answers[0].rdata, sizeof m.answers[0].rdata, "%s", "198.51.100.7");
    sensor_on_dns(r.s, &r.flow, t, &m);
    assert_int_equal(r.got.n, 2);
    assert_int_equal(r.got.ids[1], 3202);
    assert_non_null(strstr(r.got.summary[1], "198.51.100.7 [test-list: c2"));
    /* an hour later the same lookup is reported again */
    m.n_answers = 0;
    snprintf(m.queries[0].rrname.text, YJ_DNS_NAME_LEN, "%s", "evil.example");
    sensor_on_dns(r.s, &r.flow, t + 3601LL * 1000000, &m);
    assert_int_equal(r.got.n, 3);
    rig_stop(&r);
}

static void tls_and_http(void **state)
{
    (void)state;
    struct rig r;
    rig_start(&r, LIST);
    r.flow.proto = 6;
    r.flow.dport = 443;
    static struct yj_tls_hello h;
    memset(&h, 0, sizeof h);
    h.type = YJ_TLS_CLIENT_HELLO;
    h.has_sni = true;
    snprintf(h.sni, sizeof h.sni, "%s", "cdn.evil.example");
    sensor_on_tls(r.s, &r.flow, 1, &h);
    h.type = YJ_TLS_SERVER_HELLO; /* only the client's hello is looked at */
    sensor_on_tls(r.s, &r.flow, 2, &h);
    assert_int_equal(r.got.n, 1);
    assert_int_equal(r.got.ids[0], 3203);
    static struct yj_http_req q;
    memset(&q, 0, sizeof q);
    snprintf(q.hostname, sizeof q.hostname, "%s", "shop.example");
    snprintf(q.url, sizeof q.url, "%s", "/gate.php?id=1");
    sensor_on_http(r.s, &r.flow, 3, &q);
    assert_int_equal(r.got.n, 2);
    assert_int_equal(r.got.ids[1], 3204);
    assert_non_null(strstr(r.got.summary[1], "/gate.php"));
    snprintf(q.url, sizeof q.url, "%s", "/index.html");
    sensor_on_http(r.s, &r.flow, 4, &q);
    assert_int_equal(r.got.n, 2);
    rig_stop(&r);
}

static void application_kinds(void **state)
{
    (void)state;
    struct rig r;
    rig_start(&r, "");
    static const struct {
        enum appid_kind kind;
        unsigned id;
    } want[] = {{APPID_REMOTE, 3101}, {APPID_TOR, 3102}, {APPID_P2P, 3103}, {APPID_MINING, 3104}};
    for (size_t i = 0; i < 4; i++) {
        r.ext.app_kind = (uint8_t)want[i].kind;
        snprintf(r.ext.app_name, sizeof r.ext.app_name, "%s", "x");
        sensor_on_app(r.s, &r.flow, 10);
    }
    assert_int_equal(r.got.n, 4);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(r.got.ids[i], want[i].id);
    /* the same client and kind within the hour: nothing; another client: an alert */
    sensor_on_app(r.s, &r.flow, 20);
    assert_int_equal(r.got.n, 4);
    r.flow.src.a[3] = 21;
    sensor_on_app(r.s, &r.flow, 20);
    assert_int_equal(r.got.n, 5);
    /* an application of no interest */
    r.ext.app_kind = APPID_OTHER;
    r.flow.src.a[3] = 22;
    sensor_on_app(r.s, &r.flow, 30);
    assert_int_equal(r.got.n, 5);
    rig_stop(&r);
}

static void recent_table(void **state)
{
    (void)state;
    struct nd_recent *t = nd_recent_new(8);
    int64_t h = 3600LL * 1000000;
    assert_true(nd_recent_first(t, 42, 0, h));
    assert_false(nd_recent_first(t, 42, 10, h));
    assert_true(nd_recent_first(t, 42, h + 10, h));
    /* many more keys than slots: the table stays bounded and keeps answering */
    for (uint64_t k = 100; k < 10000; k++)
        assert_true(nd_recent_first(t, k * 0x9e3779b97f4a7c15ull, 5, h));
    uint64_t ab = nd_hash_str(ND_HASH_STR_INIT, "ab");
    assert_int_not_equal(ab, nd_hash_str(nd_hash_str(ND_HASH_STR_INIT, "a"), "b"));
    nd_recent_free(t);
}

int main(void)
{
    ut_i18n_real();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dns_names_and_answers),
        cmocka_unit_test(tls_and_http),
        cmocka_unit_test(application_kinds),
        cmocka_unit_test(recent_table),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    yj_i18n_fini();
    return rc;
}
