/* The sensor's detector families with synthetic inputs: raw packets through the engine
 * (scan, brute force, beaconing, ARP, SMB) and records handed to sensor_on_* as the
 * application layer would (cleartext log-ins, DNS). Thresholds at their boundary, windows,
 * one alert per source, table caps, and the thresholds file's checks. */
#include <stdlib.h>

#include "ut.h"

#include "net/sensor_int.h"
#include "pkt.h"

/* ---- a sensor that records its alerts ---- */

#define MAX_ALERTS 16

struct got {
    unsigned n;
    unsigned sig[MAX_ALERTS];
    char src[MAX_ALERTS][48], dst[MAX_ALERTS][48], user[MAX_ALERTS][64];
    char summary[MAX_ALERTS][640];
    uint64_t count[MAX_ALERTS];
};

static void on_ev(void *ctx, const struct yj_event *ev)
{
    struct got *g = ctx;
    if (ev->type != YJ_EVENT_ALERT || g->n == MAX_ALERTS)
        return;
    unsigned i = g->n++;
    g->sig[i] = ev->u.alert.signature_id;
    snprintf(g->src[i], sizeof g->src[i], "%s", ev->src_ip ? ev->src_ip : "");
    snprintf(g->dst[i], sizeof g->dst[i], "%s", ev->dest_ip ? ev->dest_ip : "");
    snprintf(g->user[i], sizeof g->user[i], "%s", ev->u.alert.user ? ev->u.alert.user : "");
    snprintf(g->summary[i], sizeof g->summary[i], "%s", ev->u.alert.summary);
    g->count[i] = ev->u.alert.count;
}

/* A sensor with the shipped thresholds, or those of the YAML text conf. */
static struct yj_sensor *sensor(struct got *g, const char *conf)
{
    memset(g, 0, sizeof *g);
    struct yj_sensor_opts o;
    yj_sensor_opts_default(&o);
    o.lang = YJ_LANG_EN;
    o.ndpi = false;
    o.app_events = false;
    char *dir = NULL, path[512];
    if (conf) {
        dir = ut_tmpdir();
        snprintf(path, sizeof path, "%s/detect.yaml", dir);
        ut_write(path, conf);
        o.thresholds = path;
    }
    struct yj_sensor *s = NULL;
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_sensor_new(&s, &o, on_ev, g, &d);
    ut_diag_dump(&d);
    yj_diag_fini(&d);
    assert_int_equal(err, YJ_ERR_OK);
    if (dir) {
        ut_rmtree(dir);
        free(dir);
    }
    return s;
}

static unsigned count_sig(const struct got *g, unsigned sig)
{
    unsigned n = 0;
    for (unsigned i = 0; i < g->n; i++)
        n += g->sig[i] == sig;
    return n;
}

/* A TCP segment with binary payload between 10.0.0.a:pa and 10.0.0.b:pb. */
static void bseg(struct yj_net *n, int64_t t, uint8_t a, uint16_t pa, uint8_t b, uint16_t pb,
                 uint8_t flags, const uint8_t *data, size_t len)
{
    uint8_t l4[1200], pkt[1300];
    size_t l = tcp_ack(l4, pa, pb, flags, 1, 1, data, len);
    feed(n, t, pkt, ip4(pkt, a, b, 6, 1, 0, l4, l));
}

enum { FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10 };
#define T0 (1700000000 * SEC)

/* ---- scan ---- */

/* 10.0.0.1 probes n ports of 10.0.0.2 from time t, each refused. */
static void refused(struct yj_net *n, int64_t t, unsigned first, unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        uint16_t port = (uint16_t)(first + i);
        seg(n, t + i * 1000, 1, 40000, 2, port, SYN, 1, NULL);
        seg_ack(n, t + i * 1000 + 10, 2, port, 1, 40000, RST | ACK, 0, 2, NULL);
    }
}

static void scan_vertical_once(void **state)
{
    (void)state;
    struct got g;
    struct yj_sensor *s = sensor(&g, NULL);
    struct yj_net *n = yj_sensor_engine(s);
    refused(n, T0, 1, 19);
    assert_int_equal(g.n, 0); /* one below the threshold of 20 */
    refused(n, T0 + SEC, 20, 100);
    yj_sensor_finish(s);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.sig[0], 3001);
    assert_string_equal(g.src[0], "10.0.0.1");
    assert_string_equal(g.dst[0], "10.0.0.2");
    assert_int_equal(g.count[0], 20);
    assert_non_null(strstr(g.summary[0], "TCP SYN"));
    yj_sensor_free(s);
}

static void scan_window_resets(void **state)
{
    (void)state;
    struct got g;
    struct yj_sensor *s = sensor(&g, NULL);
    struct yj_net *n = yj_sensor_engine(s);
    refused(n, T0, 1, 15);
    refused(n, T0 + 301 * SEC, 16, 15); /* the shipped window is 300 s */
    yj_sensor_finish(s);
    assert_int_equal(g.n, 0);
    yj_sensor_free(s);
}

static void scan_horizontal_half_open(void **state)
{
    (void)state;
    struct got g;
    struct yj_sensor *s = sensor(&g, "scan: {hosts: 5}\n");
    struct yj_net *n = yj_sensor_engine(s);
    for (uint8_t h = 10; h < 20; h++) { /* SYN, SYN-ACK, RST: nmap -sS on an open port */
        seg(n, T0 + h * SEC, 1, 40000, h, 445, SYN, 1, NULL);
        seg_ack(n, T0 + h * SEC + 5, h, 445, 1, 40000, SYN | ACK, 7, 2, NULL);
        seg(n, T0 + h * SEC + 9, 1, 40000, h, 445, RST, 2, NULL);
    }
    yj_sensor_finish(s);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.sig[0], 3002);
    assert_int_equal(g.count[0], 5);
    assert_non_null(strstr(g.summary[0], "TCP port 445"));
    yj_sensor_free(s);
}

static void scan_ignores_real_connections(void **state)
{
    (void)state;
    struct got g;
    struct yj_sensor *s = sensor(&g, "scan: {ports: 3, hosts: 3}\n");
    struct yj_net *n = yj_sensor_engine(s);
    for (uint8_t h = 10; h < 40; h++) { /* a browser: handshake, request, answer, close */
        int64_t t = T0 + h * SEC;
        seg(n, t, 1, (uint16_t)(40000 + h), h, 443, SYN, 1, NULL);
        seg_ack(n, t + 1, h, 443, 1, (uint16_t)(40000 + h), SYN | ACK, 7, 2, NULL);
        seg_ack(n, t + 2, 1, (uint16_t)(40000 + h), h, 443, ACK | PSH, 2, 8, "hello");
        seg_ack(n, t + 3, h, 443, 1, (uint16_t)(40000 + h), ACK | PSH, 8, 7, "world");
        seg_ack(n, t + 4, 1, (uint16_t)(40000 + h), h, 443, RST | ACK, 7, 13, NULL);
    }
    yj_sensor_finish(s);
    assert_int_equal(g.n, 0);
    yj_sensor_free(s);
}

static void scan_udp_unreachable(void **state)
{
    (void)state;
    struct got g;
    struct yj_sensor *s = sensor(&g, "scan: {ports: 4}\n");
    struct yj_net *n = yj_sensor_engine(s);
    for (uint16_t port = 1; port <= 4; port++) {
        uint8_t l4[64], pkt[128], quoted[28];
        size_t ul = udp(l4, 40000, port, "x", 1);
        ip4(quoted, 1, 2, 17, 9, 0, l4, 8); /* the header and 8 bytes of the datagram */
        uint8_t icmp[8 + 28] = {3, 3};
        memcpy(icmp + 8, quoted, 28);
        feed(n, T0 + port * SEC, pkt, ip4(pkt, 1, 2, 17, 1, 0, l4, ul));
        feed(n, T0 + port * SEC + 5, pkt, ip4(pkt, 2, 1, 1, 2, 0, icmp, sizeof icmp));
    }
    assert_int_equal(g.n, 1);
    assert_int_equal(g.sig[0], 3001);
    assert_string_equal(g.src[0], "10.0.0.1");
    assert_non_null(strstr(g.summary[0], "UDP"));
    yj_sensor_finish(s); /* the unanswered-flow ends add nothing new */
    assert_int_equal(g.n, 1);
    yj_sensor_free(s);
}

/* ---- the shared table ---- */

static void table_cap_and_reuse(void **state)
{
    (void)state;
    struct nd_table t;
    nd_table_init(&t, 16, sizeof(struct nd_slot) + 8, 4);
    bool fresh;
    uint32_t k;
    for (k = 0; k < 16; k++)
        assert_non_null(nd_table_get(&t, &k, 100, 0, &fresh));
    assert_true(fresh);
    k = 99;
    assert_null(nd_table_get(&t, &k, 100, 0, &fresh)); /* full, nothing stale */
    assert_int_equal(t.dropped, 1);
    k = 3;
    assert_non_null(nd_table_get(&t, &k, 150, 0, &fresh)); /* a known key is found */
    assert_false(fresh);
    k = 99;
    assert_non_null(nd_table_get(&t, &k, 200, 120, &fresh)); /* reuses a stale slot */
    assert_true(fresh);
    nd_table_fini(&t);
}

/* ---- brute force ---- */

static void ssh_sessions(struct yj_net *n, int64_t t, unsigned count, int64_t gap)
{
    for (unsigned i = 0; i < count; i++) {
        uint16_t sp = (uint16_t)(50000 + i);
        int64_t at = t + (int64_t)i * gap;
        seg(n, at, 1, sp, 2, 22, SYN, 1, NULL);
        seg_ack(n, at + 1, 2, 22, 1, sp, SYN | ACK, 7, 2, NULL);
        seg_ack(n, at + 2, 1, sp, 2, 22, ACK | PSH, 2, 8, "SSH-2.0-x\r\n");
        seg_ack(n, at + 3 * SEC, 2, 22, 1, sp, FIN | ACK, 8, 13, NULL);
        seg_ack(n, at + 3 * SEC + 1, 1, sp, 2, 22, FIN | ACK, 13, 9, NULL);
    }
}

static void bruteforce_threshold(void **state)
{
    (void)state;
    struct got g;
    struct yj_sensor *s = sensor(&g, NULL);
    ssh_sessions(yj_sensor_engine(s), T0, 14, 10 * SEC);
    yj_sensor_finish(s);
    assert_int_equal(count_sig(&g, 3003), 0); /* 14 < 15 */
    yj_sensor_free(s);

    s = sensor(&g, NULL);
    ssh_sessions(yj_sensor_engine(s), T0, 40, 5 * SEC);
    yj_sensor_finish(s);
    /* (sessions on a timer are beaconing too: only the brute-force alert is looked at) */
    assert_int_equal(count_sig(&g, 3003), 1);
    unsigned i = 0;
    while (g.sig[i] != 3003)
        i++;
    assert_string_equal(g.src[i], "10.0.0.1");
    assert_string_equal(g.dst[i], "10.0.0.2");
    assert_non_null(strstr(g.summary[i], "SSH (22)"));
    yj_sensor_free(s);

    s = sensor(&g, NULL); /* the same count spread over an hour */
    ssh_sessions(yj_sensor_engine(s), T0, 40, 100 * SEC);
    yj_sensor_finish(s);
    assert_int_equal(count_sig(&g, 3003), 0);
    yj_sensor_free(s);
}

static void bruteforce_web_form(void **state)
{
    (void)state;
    struct got g;
    struct yj_sensor *s = sensor(&g, NULL);
    struct yj_net_flow f = {.src = {4, {10, 0, 0, 1}},
                            .dst = {4, {10, 0, 0, 2}},
                            .sport = 50000,
                            .dport = 80,
                            .proto = 6};
    struct yj_http_req get = {.http_method = "GET"}, post = {.http_method = "POST"};
    post.form.has_password = true;
    for (int i = 0; i < 14; i++) { /* pages and 14 log-in attempts, one connection each */
        sensor_on_http(s, &f, T0 + i * SEC, &get);
        sensor_on_http(s, &f, T0 + i * SEC, &post);
    }
    assert_int_equal(count_sig(&g, 3003), 0);
    sensor_on_http(s, &f, T0 + 20 * SEC, &post);
    assert_int_equal(count_sig(&g, 3003), 1);
    unsigned i = 0;
    while (g.sig[i] != 3003)
        i++;
    assert_non_null(strstr(g.summary[i], "HTTP log-in"));
    yj_sensor_free(s);
}

/* ---- records: cleartext and DNS ---- */

struct fake {
    struct yj_net_flow f;
    struct sensor_flow sf;
};

static void fake_flow(struct fake *k, uint8_t a, uint8_t b, uint16_t dport)
{
    memset(k, 0, sizeof *k);
    k->f.src = (struct yj_net_addr){4, {10, 0, 0, a}};
    k->f.dst = (struct yj_net_addr){4, {10, 0, 0, b}};
    k->f.sport = 50000;
    k->f.dport = dport;
    k->f.proto = dport == 53 ? 17 : 6;
    k->f.ext = &k->sf;
}

static void cleartext_once_per_flow(void **state)
{
    (void)state;
    struct got g;
    struct yj_sensor *s = sensor(&g, NULL);
    struct fake k;
    fake_flow(&k, 1, 2, 21);
    struct yj_cred c = {.proto = YJ_CRED_FTP, .mech = "USER/PASS", .user = "alice"};
    sensor_on_cred(s, &k.f, T0, &c); /* a user alone is no password in clear */
    assert_int_equal(g.n, 0);
    struct yj_cred anon = {
        .proto = YJ_CRED_FTP, .mech = "USER/PASS", .user = "Anonymous", .password_sent = true};
    sensor_on_cred(s, &k.f, T0, &anon); /* anonymous FTP: an e-mail address, no secret */
    assert_int_equal(g.n, 0);
    c.password_sent = true;
    sensor_on_cred(s, &k.f, T0, &c);
    sensor_on_cred(s, &k.f, T0 + SEC, &c);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.sig[0], 3004);
    assert_string_equal(g.user[0], "alice");
    assert_non_null(strstr(g.summary[0], "FTP USER/PASS"));
    assert_true(k.f.alerted);
    for (int i = 1; i <= 13; i++) { /* polled every 5 minutes: once an hour */
        fake_flow(&k, 1, 2, 21);
        sensor_on_cred(s, &k.f, T0 + i * 300 * SEC, &c);
    }
    assert_int_equal(g.n, 2);
    assert_int_equal(g.sig[1], 3004);
    g.n = 1;

    struct fake h;
    fake_flow(&h, 1, 3, 80);
    struct yj_http_req r = {.auth_scheme = "basic", .auth_user = "bob", .auth_password = true};
    sensor_on_http(s, &h.f, T0, &r);
    fake_flow(&h, 1, 3, 80);
    struct yj_http_req form = {.http_method = "POST"};
    form.form.has_password = true;
    snprintf(form.form.user, sizeof form.form.user, "carol");
    sensor_on_http(s, &h.f, T0, &form);
    fake_flow(&h, 1, 3, 80);
    struct yj_http_req plain = {.http_method = "GET", .auth_scheme = "Bearer"};
    sensor_on_http(s, &h.f, T0, &plain);
    assert_int_equal(g.n, 3);
    assert_string_equal(g.user[1], "bob");
    assert_non_null(strstr(g.summary[1], "HTTP Basic"));
    assert_string_equal(g.user[2], "carol");
    assert_non_null(strstr(g.summary[2], "HTTP form"));
    yj_sensor_free(s);
}

static void ask(struct yj_sensor *s, struct fake *k, int64_t t, const char *name, uint16_t type)
{
    struct yj_dns m = {.qdcount = 1, .n_queries = 1};
    snprintf(m.queries[0].rrname.text, sizeof m.queries[0].rrname.text, "%s", name);
    uint8_t longest = 0, cur = 0;
    for (const char *p = name;; p++) {
        if (*p == '.' || !*p) {
            longest = cur > longest ? cur : longest;
            cur = 0;
            if (!*p)
                break;
        } else {
            cur++;
        }
    }
    m.queries[0].rrname.longest = longest;
    m.queries[0].rrtype = type;
    sensor_on_dns(s, &k->f, t, &m);
}

static void dns_tunnel_per_domain(void **state)
{
    (void)state;
    struct got g;
    struct yj_sensor *s = sensor(&g, NULL);
    struct fake k;
    fake_flow(&k, 1, 53, 53);
    char name[200];
    for (unsigned i = 0; i < 9; i++) { /* hex data labels, as dnscat2 sends */
        snprintf(name, sizeof name, "%08x%08x%08x%08x.tun.example.co.jp", i * 2654435761u,
                 i ^ 0x5bd1e995u, i * 40503u, ~i);
        ask(s, &k, T0 + i * SEC, name, 1);
        ask(s, &k, T0 + i * SEC, name, 1); /* asked again: counted once */
    }
    assert_int_equal(g.n, 0);
    for (unsigned i = 0; i < 50; i++) { /* ordinary names of another domain, many times */
        snprintf(name, sizeof name, "www%u.shop.example.com", i % 7);
        ask(s, &k, T0 + 40 * SEC, name, 1);
    }
    assert_int_equal(g.n, 0);
    ask(s, &k, T0 + 41 * SEC, "Zm9vYmFy.=auth.example.co.jp", 16); /* TXT: the 10th */
    assert_int_equal(g.n, 1);
    assert_int_equal(g.sig[0], 3005);
    assert_non_null(strstr(g.summary[0], "example.co.jp"));
    assert_string_equal(g.src[0], "10.0.0.1");
    for (unsigned i = 0; i < 50; i++) { /* the same domain again: no second alert */
        snprintf(name, sizeof name, "%08x%08x%08x%08x.example.co.jp", i, i, i, i);
        ask(s, &k, T0 + 42 * SEC, name, 16);
    }
    assert_int_equal(g.n, 1);
    yj_sensor_free(s);
}

static void nxdomain(struct yj_sensor *s, struct fake *k, int64_t t, const char *name)
{
    struct yj_dns m = {.qr = true, .rcode = 3, .qdcount = 1, .n_queries = 1};
    snprintf(m.queries[0].rrname.text, sizeof m.queries[0].rrname.text, "%s", name);
    sensor_on_dns(s, &k->f, t, &m);
}

static void dga_made_up_names(void **state)
{
    (void)state;
    struct got g;
    struct yj_sensor *s = sensor(&g, NULL);
    struct fake k;
    fake_flow(&k, 1, 53, 53);
    static const char *const people[] = {
        "www.exmaple.com",     "gooogle.com",   "mail.intranet.co.jp", "kqzwxvbn",
        "my-company-shop.com", "printer.local", "facebook.con",        "microsoftonline.cm"};
    for (unsigned r = 0; r < 3; r++)
        for (size_t i = 0; i < sizeof people / sizeof people[0]; i++)
            nxdomain(s, &k, T0 + r * SEC, people[i]);
    assert_int_equal(g.n, 0);
    static const char *const made[] = {"xkqjzpwlvt.com",  "qwrtzpmnbv.net", "a3f9k2m8q1.org",
                                       "plkjhgfdsq.info", "zxcvbnmlkj.ru",  "9fk3m2a8d7x.biz",
                                       "bcdfghjklm.com",  "rtyqwpzxcv.net", "mnbvcxzlkq.org"};
    for (size_t i = 0; i < 9; i++) {
        nxdomain(s, &k, T0 + 10 * SEC, made[i]);
        nxdomain(s, &k, T0 + 10 * SEC, made[i]); /* the same name twice counts once */
    }
    assert_int_equal(g.n, 0); /* 9 < 10 */
    nxdomain(s, &k, T0 + 11 * SEC, "www.kwpqzrtmnx.com");
    assert_int_equal(g.n, 1);
    assert_int_equal(g.sig[0], 3010);
    assert_string_equal(g.src[0], "10.0.0.1");
    assert_non_null(strstr(g.summary[0], "kwpqzrtmnx.com"));
    struct yj_dns ok = {.qr = true, .rcode = 0, .n_queries = 1}; /* answered: never counted */
    snprintf(ok.queries[0].rrname.text, sizeof ok.queries[0].rrname.text, "xkqjzpwlvt.com");
    sensor_on_dns(s, &k.f, T0 + 12 * SEC, &ok);
    assert_int_equal(g.n, 1);
    yj_sensor_free(s);
}

/* ---- beaconing ---- */

static void beacon_timer_not_jitter(void **state)
{
    (void)state;
    struct got g;
    struct yj_sensor *s = sensor(&g, NULL);
    struct yj_net *n = yj_sensor_engine(s);
    for (unsigned i = 0; i < 10; i++) { /* a new connection every 60 s (+- 1 s) */
        int64_t t = T0 + (int64_t)i * 60 * SEC + (i % 2 ? SEC : 0);
        seg(n, t, 1, (uint16_t)(41000 + i), 9, 8080, SYN, 1, NULL);
    }
    assert_int_equal(g.n, 1);
    assert_int_equal(g.sig[0], 3006);
    assert_string_equal(g.dst[0], "10.0.0.9");
    yj_sensor_free(s);

    s = sensor(&g, NULL);
    n = yj_sensor_engine(s);
    static const int gaps[] = {60, 20, 95, 40, 70, 15, 120, 33, 61, 80, 10, 55};
    int64_t t = T0;
    for (unsigned i = 0; i < 12; i++) { /* a person: irregular */
        t += gaps[i] * SEC;
        seg(n, t, 1, (uint16_t)(41000 + i), 9, 8080, SYN, 1, NULL);
    }
    for (unsigned i = 0; i < 12; i++) /* DNS on a timer is never counted */
        seg(n, T0 + (int64_t)i * 60 * SEC, 1, (uint16_t)(42000 + i), 9, 53, SYN, 1, NULL);
    assert_int_equal(g.n, 0);
    yj_sensor_free(s);
}

static void beacon_heartbeat(void **state)
{
    (void)state;
    struct got g;
    struct yj_sensor *s = sensor(&g, NULL);
    struct yj_net *n = yj_sensor_engine(s);
    seg(n, T0, 1, 41000, 9, 4433, SYN, 1, NULL);
    for (unsigned i = 0; i < 10; i++) { /* 9 bytes every 10 s in one connection */
        int64_t t = T0 + SEC + (int64_t)i * 10 * SEC;
        seg_ack(n, t, 1, 41000, 9, 4433, ACK | PSH, 2 + 9 * i, 1, "heartbeat");
        seg_ack(n, t + 1000, 1, 41000, 9, 4433, ACK | PSH, 2 + 9 * i, 1, "more");
    }
    assert_int_equal(g.n, 1);
    assert_int_equal(g.sig[0], 3006);
    assert_non_null(strstr(g.summary[0], "one connection"));
    yj_sensor_free(s);
}

/* ---- ARP ---- */

static void arp_pkt(struct yj_net *n, int64_t t, uint16_t op, uint8_t mac, uint8_t ip, uint8_t tip)
{
    uint8_t f[42] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0,           0, 0, 0,   mac, 0x08, 0x06,
                     0,    1,    0x08, 0,    6,    4,    0, (uint8_t)op, 2, 0, 0,   0,   0,    mac,
                     192,  168,  1,    ip,   0,    0,    0, 0,           0, 0, 192, 168, 1,    tip};
    yj_net_feed(n, YJ_NET_DLT_EN10MB, t, f, sizeof f, sizeof f);
}

static void arp_conflict(void **state)
{
    (void)state;
    struct got g;
    struct yj_sensor *s = sensor(&g, NULL);
    struct yj_net *n = yj_sensor_engine(s);
    arp_pkt(n, T0, 2, 0x11, 1, 1);             /* the router announces itself */
    arp_pkt(n, T0 + 100 * SEC, 2, 0x22, 1, 1); /* another card claims its address */
    arp_pkt(n, T0 + 101 * SEC, 2, 0x11, 1, 1);
    arp_pkt(n, T0 + 102 * SEC, 2, 0x22, 1, 1); /* same window: still one alert */
    assert_int_equal(g.n, 1);
    assert_int_equal(g.sig[0], 3007);
    assert_string_equal(g.src[0], "192.168.1.1");
    assert_non_null(strstr(g.summary[0], "02:00:00:00:00:11"));
    yj_sensor_free(s);

    s = sensor(&g, NULL);
    n = yj_sensor_engine(s);
    arp_pkt(n, T0, 2, 0x11, 1, 1); /* a card replaced: the old one went silent */
    arp_pkt(n, T0 + 700 * SEC, 2, 0x22, 1, 1);
    arp_pkt(n, T0 + 800 * SEC, 1, 0x33, 7, 8); /* an asked-for answer from another host */
    arp_pkt(n, T0 + 800 * SEC + 1, 2, 0x44, 8, 7);
    arp_pkt(n, T0 + 900 * SEC, 1, 0x44, 9, 7); /* its card asking with a new lease */
    assert_int_equal(g.n, 0);
    arp_pkt(n, T0 + 901 * SEC, 2, 0x44, 1, 7); /* unasked: ".1 is at me" */
    assert_int_equal(g.n, 1);
    assert_string_equal(g.src[0], "192.168.1.1");
    yj_sensor_free(s);

    s = sensor(&g, NULL); /* arpspoof: the same unasked lie every 2 s, nothing else heard */
    n = yj_sensor_engine(s);
    for (unsigned i = 0; i < 9; i++)
        arp_pkt(n, T0 + i * 2 * SEC, 2, 0x66, 1, 7);
    arp_pkt(n, T0 + 19 * SEC, 1, 0x77, 7, 1); /* asked for, then answered: not counted */
    arp_pkt(n, T0 + 19 * SEC + 1, 2, 0x66, 1, 7);
    arp_pkt(n, T0 + 20 * SEC, 2, 0x55, 5, 5); /* gratuitous: not counted */
    assert_int_equal(g.n, 0);
    arp_pkt(n, T0 + 30 * SEC, 2, 0x66, 1, 7); /* the 10th (the question above is old) */
    assert_int_equal(g.n, 1);
    assert_string_equal(g.src[0], "192.168.1.1");
    assert_non_null(strstr(g.summary[0], "10 unasked replies"));
    yj_sensor_free(s);
}

/* ---- SMB ---- */

/* NBSS + SMB2 header (command cmd) + body; returns the length. */
static size_t smb2(uint8_t *b, uint16_t cmd, const uint8_t *body, size_t bl)
{
    memset(b, 0, 4 + 64);
    size_t len = 64 + bl;
    b[1] = (uint8_t)(len >> 16), b[2] = (uint8_t)(len >> 8), b[3] = (uint8_t)len;
    memcpy(b + 4, "\xfeSMB", 4);
    b[8] = 64;
    b[16] = (uint8_t)cmd;
    memcpy(b + 68, body, bl);
    return 4 + len;
}

static size_t u16s(uint8_t *out, const char *s)
{
    size_t n = 0;
    for (; *s; s++) {
        out[n++] = (uint8_t)*s;
        out[n++] = 0;
    }
    return n;
}

static void tree_connect(struct yj_net *n, int64_t t, uint16_t sp, const char *path)
{
    uint8_t body[200] = {9, 0, 0, 0, 72, 0}, msg[300];
    size_t pl = u16s(body + 8, path);
    body[6] = (uint8_t)pl;
    bseg(n, t, 1, sp, 2, 445, ACK | PSH, msg, smb2(msg, 3, body, 8 + pl));
}

static void smb_admin_share_and_service(void **state)
{
    (void)state;
    struct got g;
    struct yj_sensor *s = sensor(&g, NULL);
    struct yj_net *n = yj_sensor_engine(s);
    seg(n, T0, 1, 50000, 2, 445, SYN, 1, NULL);
    tree_connect(n, T0 + 1, 50000, "\\\\srv\\IPC$");
    tree_connect(n, T0 + 2, 50000, "\\\\srv\\public");
    assert_int_equal(g.n, 0);
    tree_connect(n, T0 + 3, 50000, "\\\\srv\\ADMIN$");
    tree_connect(n, T0 + 4, 50000, "\\\\srv\\C$"); /* one per connection */
    assert_int_equal(g.n, 1);
    assert_int_equal(g.sig[0], 3008);
    assert_non_null(strstr(g.summary[0], "\\\\srv\\ADMIN$"));

    /* CREATE of the svcctl pipe, then a WRITE carrying RCreateServiceW (opnum 12) */
    uint8_t create[120] = {57}, msg[400];
    size_t nl = u16s(create + 56, "svcctl");
    create[44] = 64 + 56;
    create[46] = (uint8_t)nl;
    bseg(n, T0 + 5, 1, 50000, 2, 445, ACK | PSH, msg, smb2(msg, 5, create, 56 + nl));
    uint8_t write[48 + 24] = {49};
    uint8_t dce[24] = {5, 0, 0, 3, 0x10, 0, 0, 0, 24, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 15, 0};
    memcpy(write + 48, dce, 24);
    bseg(n, T0 + 6, 1, 50000, 2, 445, ACK | PSH, msg, smb2(msg, 9, write, sizeof write));
    assert_int_equal(g.n, 1); /* opnum 15 is OpenSCManager: nothing */
    write[48 + 22] = 12;
    bseg(n, T0 + 7, 1, 50000, 2, 445, ACK | PSH, msg, smb2(msg, 9, write, sizeof write));
    assert_int_equal(g.n, 2);
    assert_int_equal(g.sig[1], 3009);
    assert_string_equal(g.dst[1], "10.0.0.2");
    yj_sensor_free(s);
}

static void smb1_tree_connect(void **state)
{
    (void)state;
    struct got g;
    struct yj_sensor *s = sensor(&g, NULL);
    struct yj_net *n = yj_sensor_engine(s);
    /* NBSS, SMB 1 header (unicode), words (andx 0xff, password length 1), bytes: a NUL
     * password, padding to an even offset, \\OLD\C$ in UTF-16LE, then the service */
    uint8_t msg[200] = {0, 0, 0, 0, 0xff, 'S', 'M', 'B', 0x75};
    uint8_t *h = msg + 4;
    h[10] = 0x01, h[11] = 0xc8; /* flags2: unicode */
    h[32] = 4, h[33] = 0xff, h[39] = 1;
    size_t at = 43;
    h[at++] = 0;  /* password */
    at += at % 2; /* pad */
    at += u16s(h + at, "\\\\OLD\\C$");
    at += 2;
    memcpy(h + at, "?????", 6);
    at += 6;
    h[41] = (uint8_t)(at - 43);
    msg[3] = (uint8_t)at;
    bseg(n, T0, 1, 50000, 2, 139, ACK | PSH, msg, 4 + at);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.sig[0], 3008);
    assert_non_null(strstr(g.summary[0], "\\\\OLD\\C$"));
    yj_sensor_free(s);
}

static void smb_garbage(void **state)
{
    (void)state;
    struct got g;
    struct yj_sensor *s = sensor(&g, NULL);
    struct yj_net *n = yj_sensor_engine(s);
    uint8_t body[8] = {9, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}, msg[100];
    bseg(n, T0, 1, 50000, 2, 445, ACK | PSH, msg, smb2(msg, 3, body, sizeof body));
    for (size_t cut = 0; cut < 4 + 64 + 8; cut++)
        bseg(n, T0 + 1, 1, 50000, 2, 445, ACK | PSH, msg, cut);
    assert_int_equal(g.n, 0);
    yj_sensor_free(s);
}

/* ---- the thresholds file ---- */

static void conf_checked(void **state)
{
    (void)state;
    ut_i18n_real();
    struct nd_conf c;
    nd_conf_default(&c);
    char *shipped = ut_src_path("data/net/detect.yaml");
    struct yj_diag d;
    yj_diag_init(&d);
    assert_int_equal(nd_conf_load(&c, shipped, &d), YJ_ERR_OK);
    struct nd_conf def;
    nd_conf_default(&def);
    assert_memory_equal(&c, &def, sizeof c); /* the file states the built-in defaults */
    free(shipped);

    static const struct {
        const char *text, *msg;
        unsigned line;
    } bad[] = {
        {"scan: {ports: 20}\nscan_typo: 1\n", "scan_typo", 2},
        {"# x\nscan: {ports: 2}\n", "ports", 2},
        {"dns_tunnel:\n  names: 40\n  entropy: 9\n", "entropy", 3},
        {"beacon: {count: 33}\n", "count", 1},
        {"table_size: 1\n", "table_size", 1},
        {"arp: 5\n", "arp", 1},
        {"dga: {names: 1}\n", "names", 1},
    };
    char *dir = ut_tmpdir(), path[512];
    snprintf(path, sizeof path, "%s/detect.yaml", dir);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ut_write(path, bad[i].text);
        yj_diag_fini(&d);
        yj_diag_init(&d);
        nd_conf_default(&c);
        assert_int_not_equal(nd_conf_load(&c, path, &d), YJ_ERR_OK);
        ut_assert_diag(&d, bad[i].line, NULL);
        assert_memory_equal(&c, &def, sizeof c); /* nothing applied from a bad file */
    }
    ut_write(path, "scan: {ports: 5}\ndns_tunnel: {entropy: 4.25}\n");
    assert_int_equal(nd_conf_load(&c, path, &d), YJ_ERR_OK);
    assert_int_equal(c.scan_ports, 5);
    assert_int_equal(c.scan_hosts, def.scan_hosts);
    assert_true(c.dns_entropy > 4.2 && c.dns_entropy < 4.3);

    /* the sensor refuses a bad file */
    ut_write(path, "scan: {window: 0}\n");
    struct yj_sensor_opts o;
    yj_sensor_opts_default(&o);
    o.ndpi = false;
    o.thresholds = path;
    struct yj_sensor *s = NULL;
    assert_int_not_equal(yj_sensor_new(&s, &o, NULL, NULL, &d), YJ_ERR_OK);
    assert_null(s);
    yj_diag_fini(&d);
    ut_rmtree(dir);
    free(dir);
}

int main(void)
{
    ut_i18n_real();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scan_vertical_once),
        cmocka_unit_test(scan_window_resets),
        cmocka_unit_test(scan_horizontal_half_open),
        cmocka_unit_test(scan_ignores_real_connections),
        cmocka_unit_test(scan_udp_unreachable),
        cmocka_unit_test(table_cap_and_reuse),
        cmocka_unit_test(bruteforce_threshold),
        cmocka_unit_test(bruteforce_web_form),
        cmocka_unit_test(cleartext_once_per_flow),
        cmocka_unit_test(dns_tunnel_per_domain),
        cmocka_unit_test(dga_made_up_names),
        cmocka_unit_test(beacon_timer_not_jitter),
        cmocka_unit_test(beacon_heartbeat),
        cmocka_unit_test(arp_conflict),
        cmocka_unit_test(smb_admin_share_and_service),
        cmocka_unit_test(smb1_tree_connect),
        cmocka_unit_test(smb_garbage),
        cmocka_unit_test(conf_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
