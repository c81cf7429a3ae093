/* HTTP/1.x heads, Basic authorization, form posts (user kept, password never), responses,
 * and SSH identification lines. */
#include <stdlib.h>
#include <string.h>

#include "hex.h"
#include "proto/proto.h"
#include "ut.h"

#define B(lit) ((const uint8_t *)(lit)), (sizeof(lit) - 1)

/* ../shared/data/pcap/chrissanders/http_dvwa_clearlogin.pcapng: the log-in POST,
 * 10.2.2.101:58785 -> 10.2.2.104:80 (Accept headers shortened). */
static const char DVWA_POST[] =
    "POST /dvwa/login.php HTTP/1.1\r\n"
    "Host: 10.2.2.104\r\n"
    "Connection: keep-alive\r\n"
    "Content-Length: 88\r\n"
    "Cache-Control: max-age=0\r\n"
    "Origin: http://10.2.2.104\r\n"
    "User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_4) AppleWebKit/537.36 (KHTML, "
    "like Gecko) Chrome/56.0.2924.87 Safari/537.36\r\n"
    "Content-Type: application/x-www-form-urlencoded\r\n"
    "Referer: http://10.2.2.104/dvwa/login.php\r\n"
    "Cookie: security=impossible; PHPSESSID=8tokslnu6t07ru35q4vbsc8tk6\r\n"
    "\r\n"
    "username=admin&password=password&Login=Login&user_token=bb171ec1363816dedc60def8744007fe"
    "GET /dvwa/index.php HTTP/1.1\r\n";

static void dvwa_form_login(void **state)
{
    (void)state;
    static struct yj_http_req r;
    size_t n = sizeof DVWA_POST - 1, used = 0;
    assert_int_equal(yj_http_parse_request((const uint8_t *)DVWA_POST, n, &r, &used),
                     YJ_PROTO_DONE);
    assert_string_equal(r.http_method, "POST");
    assert_string_equal(r.url, "/dvwa/login.php");
    assert_string_equal(r.protocol, "HTTP/1.1");
    assert_string_equal(r.hostname, "10.2.2.104");
    assert_int_equal(r.port, 0);
    assert_string_equal(r.http_refer, "http://10.2.2.104/dvwa/login.php");
    assert_memory_equal(r.http_user_agent, "Mozilla/5.0 (Macintosh;", 23);
    assert_string_equal(r.http_content_type, "application/x-www-form-urlencoded");
    assert_true(r.has_content_length);
    assert_int_equal(r.content_length, 88);
    assert_int_equal(used, r.head_len + 88);
    assert_memory_equal(DVWA_POST + used, "GET ", 4);
    assert_true(r.form.has_password);
    assert_string_equal(r.form.user, "admin");
    assert_string_equal(r.form.user_field, "username");
    assert_int_equal(r.form.n_password_fields, 1);
    assert_string_equal(r.form.password_fields[0], "password");
}

static void form_fields(void **state)
{
    (void)state;
    static struct yj_http_form f;
    yj_http_form_scan(B("Login=Login&e%2Dmail=bob%40example.jp&txtPassWord=s3cr%33t"
                        "&pwd=Hunter2&x="),
                      &f);
    assert_true(f.has_password);
    assert_string_equal(f.user, "bob@example.jp");
    assert_string_equal(f.user_field, "e-mail");
    assert_int_equal(f.n_password_fields, 2);
    assert_string_equal(f.password_fields[0], "txtPassWord");
    assert_string_equal(f.password_fields[1], "pwd");
    assert_false(bytes_contain(&f, sizeof f, "s3cr"));
    assert_false(bytes_contain(&f, sizeof f, "Hunter2"));
    /* A user value with control bytes; no password field. */
    yj_http_form_scan(B("user=a%0Ab&q=1"), &f);
    assert_false(f.has_password);
    assert_string_equal(f.user, "a?b");
    yj_http_form_scan(B(""), &f);
    assert_false(f.has_password);
    assert_string_equal(f.user, "");
}

static void basic_auth(void **state)
{
    (void)state;
    static struct yj_http_req r;
    /* alice:s3cr3t:x (a colon inside the password) */
    const char *req = "GET /admin HTTP/1.0\r\nHost: [::1]:8080\r\n"
                      "Authorization: Basic YWxpY2U6czNjcjN0Ong=\r\n\r\n";
    assert_int_equal(yj_http_parse_request((const uint8_t *)req, strlen(req), &r, NULL),
                     YJ_PROTO_DONE);
    assert_string_equal(r.auth_scheme, "Basic");
    assert_string_equal(r.auth_user, "alice");
    assert_true(r.auth_password);
    assert_string_equal(r.hostname, "[::1]");
    assert_int_equal(r.port, 8080);
    assert_false(bytes_contain(&r, sizeof r, "s3cr3t"));
    /* A user with an empty password; a bearer token; bad base64. */
    req = "GET / HTTP/1.1\r\nAuthorization: Basic Ym9iOg==\r\n\r\n"; /* bob: */
    assert_int_equal(yj_http_parse_request((const uint8_t *)req, strlen(req), &r, NULL),
                     YJ_PROTO_DONE);
    assert_string_equal(r.auth_user, "bob");
    assert_false(r.auth_password);
    req = "GET / HTTP/1.1\r\nAuthorization: Bearer abc.def\r\n\r\n";
    assert_int_equal(yj_http_parse_request((const uint8_t *)req, strlen(req), &r, NULL),
                     YJ_PROTO_DONE);
    assert_string_equal(r.auth_scheme, "Bearer");
    assert_true(r.auth_password);
    assert_false(bytes_contain(&r, sizeof r, "abc.def"));
    req = "GET / HTTP/1.1\r\nAuthorization: Basic !!!\r\n\r\n";
    assert_int_equal(yj_http_parse_request((const uint8_t *)req, strlen(req), &r, NULL),
                     YJ_PROTO_DONE);
    assert_string_equal(r.auth_user, "");
}

static void request_prefixes(void **state)
{
    (void)state;
    static struct yj_http_req r;
    size_t n = sizeof DVWA_POST - 1 - strlen("GET /dvwa/index.php HTTP/1.1\r\n");
    for (size_t k = 0; k < n; k++) {
        uint8_t *c = prefix_copy((const uint8_t *)DVWA_POST, k);
        assert_int_equal(yj_http_parse_request(c, k, &r, NULL), YJ_PROTO_MORE);
        free(c);
    }
    uint8_t *c = prefix_copy((const uint8_t *)DVWA_POST, n);
    assert_int_equal(yj_http_parse_request(c, n, &r, NULL), YJ_PROTO_DONE);
    free(c);
}

static void not_and_bad_requests(void **state)
{
    (void)state;
    static struct yj_http_req r;
    assert_int_equal(yj_http_parse_request(B("\x16\x03\x01"), &r, NULL), YJ_PROTO_NOT);
    assert_int_equal(yj_http_parse_request(B("get / HTTP/1.1\r\n\r\n"), &r, NULL),
                     YJ_PROTO_NOT);
    assert_int_equal(yj_http_parse_request(B("SSH-2.0-x\r\n"), &r, NULL), YJ_PROTO_NOT);
    assert_int_equal(yj_http_parse_request(B("GET  HTTP/1.1\r\n\r\n"), &r, NULL),
                     YJ_PROTO_BAD);
    assert_int_equal(yj_http_parse_request(B("GET / FTP/1.0\r\n\r\n"), &r, NULL),
                     YJ_PROTO_BAD);
    /* HTTP/0.9: no protocol. */
    assert_int_equal(yj_http_parse_request(B("GET /x\n\n"), &r, NULL), YJ_PROTO_DONE);
    assert_string_equal(r.protocol, "");
    /* A head that never ends. */
    size_t n = YJ_HTTP_HEAD_MAX + 10;
    uint8_t *big = malloc(n);
    memset(big, 'a', n);
    memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
    assert_int_equal(yj_http_parse_request(big, n, &r, NULL), YJ_PROTO_BAD);
    free(big);
}

static void responses(void **state)
{
    (void)state;
    static struct yj_http_resp r;
    /* ../shared/data/pcap/chrissanders/http_dvwa_clearlogin.pcapng, a response head. */
    const char *h = "HTTP/1.1 200 OK\r\nDate: Wed, 05 Apr 2017 20:10:09 GMT\r\n"
                    "Server: Apache/2.4.7 (Ubuntu)\r\nContent-Length: 9088\r\n"
                    "Content-Type: image/png\r\n\r\n\x89PNG";
    assert_int_equal(yj_http_parse_response((const uint8_t *)h, strlen(h), &r), YJ_PROTO_DONE);
    assert_string_equal(r.protocol, "HTTP/1.1");
    assert_int_equal(r.status, 200);
    assert_string_equal(r.status_msg, "OK");
    assert_string_equal(r.http_content_type, "image/png");
    assert_int_equal(r.content_length, 9088);
    assert_int_equal(yj_http_parse_response(B("HTTP/1.1 302\r\nLocation: /in\r\n\r\n"), &r),
                     YJ_PROTO_DONE);
    assert_int_equal(r.status, 302);
    assert_string_equal(r.location, "/in");
    assert_int_equal(yj_http_parse_response(B("HTTP/1.1 2x0 OK\r\n\r\n"), &r), YJ_PROTO_BAD);
    assert_int_equal(yj_http_parse_response(B("HTTP/1.1 200 OK\r\n"), &r), YJ_PROTO_MORE);
    assert_int_equal(yj_http_parse_response(B("HTT"), &r), YJ_PROTO_MORE);
    assert_int_equal(yj_http_parse_response(B("+OK hi\r\n"), &r), YJ_PROTO_NOT);
}

static void ssh_banners(void **state)
{
    (void)state;
    static struct yj_ssh_banner b;
    assert_int_equal(yj_ssh_parse_banner(B("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3\r\n\0\0\0"), &b),
                     YJ_PROTO_DONE);
    assert_string_equal(b.proto_version, "2.0");
    assert_string_equal(b.software_version, "OpenSSH_8.9p1");
    assert_string_equal(b.comment, "Ubuntu-3");
    assert_int_equal(yj_ssh_parse_banner(B("SSH-1.99-Cisco-1.25\n"), &b), YJ_PROTO_DONE);
    assert_string_equal(b.proto_version, "1.99");
    assert_string_equal(b.software_version, "Cisco-1.25");
    assert_string_equal(b.comment, "");
    /* Lines before the identification (a server may send them). */
    assert_int_equal(yj_ssh_parse_banner(B("Welcome\r\nSSH-2.0-dropbear_2022.83\r\n"), &b),
                     YJ_PROTO_DONE);
    assert_string_equal(b.software_version, "dropbear_2022.83");
    const char *full = "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3\r\n";
    for (size_t k = 0; k < strlen(full); k++) {
        uint8_t *c = prefix_copy((const uint8_t *)full, k);
        assert_int_equal(yj_ssh_parse_banner(c, k, &b), YJ_PROTO_MORE);
        free(c);
    }
    assert_int_equal(yj_ssh_parse_banner(B("SSH-2.0\r\n"), &b), YJ_PROTO_BAD);
    assert_int_equal(yj_ssh_parse_banner(B("SSH-2.0- x\r\n"), &b), YJ_PROTO_BAD);
    assert_int_equal(yj_ssh_parse_banner(B("\x16\x03\x01\x02"), &b), YJ_PROTO_NOT);
    assert_int_equal(yj_ssh_parse_banner(B("GET /\x01\r\n"), &b), YJ_PROTO_NOT);
    char longl[400] = "SSH-2.0-";
    memset(longl + 8, 'a', 300);
    assert_int_equal(yj_ssh_parse_banner((const uint8_t *)longl, strlen(longl), &b),
                     YJ_PROTO_BAD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dvwa_form_login),  cmocka_unit_test(form_fields),
        cmocka_unit_test(basic_auth),       cmocka_unit_test(request_prefixes),
        cmocka_unit_test(not_and_bad_requests), cmocka_unit_test(responses),
        cmocka_unit_test(ssh_banners),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
