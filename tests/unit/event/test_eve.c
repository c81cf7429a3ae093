/* EVE JSON lines: field names and order, omitted fields, escaping, one line per event. */
#include <string.h>

#include "base/buf.h"
#include "event/event.h"
#include "ut.h"

static void auth_event(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 1 << 16);
    struct yj_event ev = {
        .type = YJ_EVENT_AUTH,
        .ts = 1795136400, /* 2026-11-20T01:00:00Z */
        .src_ip = "2001:db8::1",
        .src_port = 22022,
        .log_file = "auth.log",
        .log_line = 7,
        .u.auth = {"sshd", "a\"b\n", "failure", "password"},
    };
    yj_eve_write(&b, &ev);
    assert_int_equal(yj_buf_err(&b), YJ_ERR_OK);
    assert_string_equal(yj_buf_cstr(&b),
                        "{\"timestamp\":\"2026-11-20T01:00:00Z\",\"event_type\":\"auth\","
                        "\"src_ip\":\"2001:db8::1\",\"src_port\":22022,\"auth\":{\"service\":"
                        "\"sshd\",\"user\":\"a\\\"b\\n\",\"outcome\":\"failure\",\"method\":"
                        "\"password\"},\"log\":{\"file\":\"auth.log\",\"line\":7}}\n");
    yj_buf_fini(&b);
}

static void auth_without_address(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 1 << 16);
    struct yj_event ev = {.type = YJ_EVENT_AUTH, .ts = 0, .src_ip = "",
                          .u.auth = {"sudo", NULL, "success", NULL}};
    yj_eve_write(&b, &ev);
    assert_string_equal(yj_buf_cstr(&b),
                        "{\"timestamp\":\"1970-01-01T00:00:00Z\",\"event_type\":\"auth\","
                        "\"auth\":{\"service\":\"sudo\",\"user\":\"\",\"outcome\":\"success\"}}\n");
    yj_buf_fini(&b);
}

static void account_and_http(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 1 << 16);
    struct yj_event ev = {.type = YJ_EVENT_ACCOUNT,
                          .u.account = {"usermod", "member-added", "eve", "sudo"}};
    yj_eve_write(&b, &ev);
    ev.u.account = (struct yj_event_account){"useradd", "user-added", "eve", NULL};
    yj_eve_write(&b, &ev);
    ev = (struct yj_event){.type = YJ_EVENT_HTTP, .src_ip = "192.0.2.1",
                           .u.http = {"", "/a\"b", "GET", "HTTP/1.1", 404, 12, "ua", ""}};
    yj_eve_write(&b, &ev);
    ev.u.http = (struct yj_event_http){"www.example.jp", NULL, "", "", 200, 0, NULL, "r"};
    yj_eve_write(&b, &ev);
    assert_string_equal(
        yj_buf_cstr(&b),
        "{\"timestamp\":\"1970-01-01T00:00:00Z\",\"event_type\":\"account\",\"account\":"
        "{\"service\":\"usermod\",\"action\":\"member-added\",\"user\":\"eve\",\"group\":"
        "\"sudo\"}}\n"
        "{\"timestamp\":\"1970-01-01T00:00:00Z\",\"event_type\":\"account\",\"account\":"
        "{\"service\":\"useradd\",\"action\":\"user-added\",\"user\":\"eve\"}}\n"
        "{\"timestamp\":\"1970-01-01T00:00:00Z\",\"event_type\":\"http\",\"src_ip\":"
        "\"192.0.2.1\",\"http\":{\"url\":\"/a\\\"b\",\"http_method\":\"GET\",\"protocol\":"
        "\"HTTP/1.1\",\"status\":404,\"length\":12,\"http_user_agent\":\"ua\"}}\n"
        "{\"timestamp\":\"1970-01-01T00:00:00Z\",\"event_type\":\"http\",\"src_ip\":"
        "\"192.0.2.1\",\"http\":{\"hostname\":\"www.example.jp\",\"url\":\"\",\"status\":200,"
        "\"length\":0,\"http_refer\":\"r\"}}\n");
    assert_string_equal(yj_event_type_name(YJ_EVENT_HTTP), "http");
    assert_string_equal(yj_event_type_name(YJ_EVENT_ACCOUNT), "account");
    yj_buf_fini(&b);
}

static void drop_event(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 1 << 16);
    struct yj_event ev = {.type = YJ_EVENT_DROP, .ts = 60, .src_ip = "203.0.113.5",
                          .src_port = 41000, .dest_ip = "192.0.2.1", .dest_port = 22,
                          .proto = "TCP", .u.drop = {"UFW BLOCK", "eth0", "", 44, 49, 0x12}};
    yj_eve_write(&b, &ev);
    ev = (struct yj_event){.type = YJ_EVENT_DROP, .src_ip = "2001:db8::1",
                           .dest_ip = "2001:db8::2", .proto = "IPv6-ICMP",
                           .u.drop = {"", NULL, "eth1", 0, 0, 0}};
    yj_eve_write(&b, &ev);
    assert_string_equal(
        yj_buf_cstr(&b),
        "{\"timestamp\":\"1970-01-01T00:01:00Z\",\"event_type\":\"drop\",\"src_ip\":"
        "\"203.0.113.5\",\"src_port\":41000,\"dest_ip\":\"192.0.2.1\",\"dest_port\":22,"
        "\"proto\":\"TCP\",\"drop\":{\"prefix\":\"UFW BLOCK\",\"in\":\"eth0\",\"len\":44,"
        "\"ttl\":49,\"syn\":true,\"ack\":true}}\n"
        "{\"timestamp\":\"1970-01-01T00:00:00Z\",\"event_type\":\"drop\",\"src_ip\":"
        "\"2001:db8::1\",\"dest_ip\":\"2001:db8::2\",\"proto\":\"IPv6-ICMP\",\"drop\":"
        "{\"out\":\"eth1\"}}\n");
    assert_string_equal(yj_event_type_name(YJ_EVENT_DROP), "drop");
    yj_buf_fini(&b);
}

static void alert_event(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 1 << 16);
    struct yj_event ev = {
        .type = YJ_EVENT_ALERT,
        .ts = 1795136400,
        .src_ip = "192.0.2.1",
        .log_file = "x.log",
        .log_line = 3,
        .u.alert = {2004, "sig", 1, "compromise", "root", 5, "sum", "adv", "unauthorized-access"},
    };
    yj_eve_write(&b, &ev);
    const char *s = yj_buf_cstr(&b);
    assert_non_null(strstr(s, "\"event_type\":\"alert\",\"src_ip\":\"192.0.2.1\",\"alert\":{"
                              "\"signature_id\":2004,\"signature\":\"sig\",\"severity\":1,"
                              "\"category\":\"compromise\",\"user\":\"root\",\"count\":5},"
                              "\"yojin\":{\"summary\":\"sum\",\"advice\":\"adv\",\"playbook\":"
                              "\"unauthorized-access\"},\"log\":{\"file\":\"x.log\",\"line\":3}}\n"));
    assert_int_equal(ut_count(s, "\n"), 1);
    assert_string_equal(yj_event_type_name(YJ_EVENT_ALERT), "alert");
    yj_buf_fini(&b);
}

static void bounded(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 32);
    struct yj_event ev = {.type = YJ_EVENT_AUTH, .u.auth = {"sshd", "u", "failure", NULL}};
    yj_eve_write(&b, &ev);
    assert_int_equal(yj_buf_err(&b), YJ_ERR_LIMIT);
    yj_buf_fini(&b);
}

/* The network sensor's application events: microsecond time, flow fields, Suricata's shapes. */
static void app_events(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 1 << 16);
    struct yj_event_dns_rr rr[2] = {{"a.example", "CNAME", 60, "b.example"},
                                    {"b.example", "A", 30, "192.0.2.7"}};
    struct yj_event ev = {.type = YJ_EVENT_DNS, .ts = 1795136400, .ts_usec = 5, .flow_id = 9,
                          .src_ip = "10.0.0.1", .src_port = 4000, .dest_ip = "10.0.0.2",
                          .dest_port = 53, .proto = "UDP", .community_id = "1:x"};
    ev.u.dns = (struct yj_event_dns){.answer = true, .id = 7, .rrname = "a.example",
                                     .rrtype = "A", .flags = "8180", .qr = true, .rd = true,
                                     .ra = true, .rcode = "NOERROR", .answers = rr,
                                     .n_answers = 2};
    yj_eve_write(&b, &ev);
    assert_string_equal(
        yj_buf_cstr(&b),
        "{\"timestamp\":\"2026-11-20T01:00:00.000005+0000\",\"flow_id\":9,\"event_type\":"
        "\"dns\",\"src_ip\":\"10.0.0.1\",\"src_port\":4000,\"dest_ip\":\"10.0.0.2\","
        "\"dest_port\":53,\"proto\":\"UDP\",\"community_id\":\"1:x\",\"dns\":{\"version\":2,"
        "\"type\":\"answer\",\"id\":7,\"flags\":\"8180\",\"qr\":true,\"rd\":true,\"ra\":true,"
        "\"rrname\":\"a.example\",\"rrtype\":\"A\",\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"answers\":[{\"rrname\":\"a.example\",\"rrtype\":\"CNAME\",\"ttl\":60,\"rdata\":"
        "\"b.example\"},{\"rrname\":\"b.example\",\"rrtype\":\"A\",\"ttl\":30,\"rdata\":"
        "\"192.0.2.7\"}]}}\n");
    yj_buf_reset(&b);
    uint16_t exts[] = {65281, 11};
    ev.type = YJ_EVENT_TLS;
    ev.proto = "TCP";
    ev.u.tls = (struct yj_event_tls){.sni = "s.example", .version = "TLS 1.2", .ja3s_hash = "h",
                                     .ja3s_string = "771,49200,65281-11", .has_server = true,
                                     .server_version = "TLS 1.2", .server_cipher = 49200,
                                     .server_exts = exts, .n_server_exts = 2};
    yj_eve_write(&b, &ev);
    assert_non_null(strstr(yj_buf_cstr(&b),
                           "\"tls\":{\"sni\":\"s.example\",\"version\":\"TLS 1.2\",\"ja3s\":{"
                           "\"hash\":\"h\",\"string\":\"771,49200,65281-11\"},\"server_handshake\":{"
                           "\"version\":\"TLS 1.2\",\"cipher\":49200,\"exts\":[65281,11]}}}\n"));
    yj_buf_reset(&b);
    struct yj_event_ssh_side cl = {"2.0", "PuTTY"};
    ev.type = YJ_EVENT_SSH;
    ev.u.ssh = (struct yj_event_ssh){.client = &cl, .server = NULL};
    yj_eve_write(&b, &ev);
    assert_non_null(strstr(yj_buf_cstr(&b), "\"ssh\":{\"client\":{\"proto_version\":\"2.0\","
                                            "\"software_version\":\"PuTTY\"}}}\n"));
    yj_buf_reset(&b);
    struct yj_event_http_net x = {.http_port = 8080};
    ev.type = YJ_EVENT_HTTP;
    ev.http_net = &x;
    ev.u.http = (struct yj_event_http){"h", "/", "GET", "HTTP/1.1", 0, 0, NULL, NULL};
    yj_eve_write(&b, &ev);
    assert_non_null(strstr(yj_buf_cstr(&b), "000005+0000"));
    assert_non_null(strstr(yj_buf_cstr(&b), "\"http\":{\"hostname\":\"h\",\"url\":\"/\","
                                            "\"http_method\":\"GET\",\"protocol\":\"HTTP/1.1\","
                                            "\"http_port\":8080}}\n"));
    assert_string_equal(yj_event_type_name(YJ_EVENT_DNS), "dns");
    yj_buf_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(auth_event),
        cmocka_unit_test(auth_without_address),
        cmocka_unit_test(alert_event),
        cmocka_unit_test(account_and_http),
        cmocka_unit_test(drop_event),
        cmocka_unit_test(bounded),
        cmocka_unit_test(app_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
