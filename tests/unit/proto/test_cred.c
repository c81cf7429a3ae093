/* Cleartext log-ins: real sessions from the shared captures (FTP, POP3 XOAUTH2, SMTP without
 * a log-in, HTTP form) and crafted ones for each mechanism. Every result is checked to hold
 * no password. */
#include <stdlib.h>
#include <string.h>

#include "hex.h"
#include "proto/proto.h"
#include "ut.h"

#define S(lit) ((const uint8_t *)(lit)), (sizeof(lit) - 1)

static enum yj_proto_status scan(const char *cl, const char *sv, enum yj_cred_proto hint,
                                 struct yj_cred *c)
{
    size_t cn = strlen(cl), sn = sv ? strlen(sv) : 0;
    uint8_t *a = prefix_copy((const uint8_t *)cl, cn);
    uint8_t *b = sv ? prefix_copy((const uint8_t *)sv, sn) : NULL;
    enum yj_proto_status st = yj_cred_scan(a, cn, b, sn, hint, c);
    free(a);
    free(b);
    return st;
}

/* ../shared/data/pcap/suricata-verify/ftp-epsv/input.pcap, 192.168.1.182 -> .231:21. */
static void ftp_real(void **state)
{
    (void)state;
    struct yj_cred c;
    const char *cl = "USER ftp\r\nPASS ftp\r\nSYST\r\nFEAT\r\n";
    const char *sv = "220 ProFTPD 1.3.0a Server (ProFTPD Anonymous Server) [192.168.1.231]\r\n"
                     "331 Anonymous login ok, send your complete email address as your "
                     "password.\r\n";
    assert_int_equal(scan(cl, sv, YJ_CRED_UNKNOWN, &c), YJ_PROTO_DONE);
    assert_int_equal(c.proto, YJ_CRED_FTP);
    assert_string_equal(yj_cred_proto_name(c.proto), "ftp");
    assert_string_equal(c.mech, "USER/PASS");
    assert_string_equal(c.user, "ftp");
    assert_true(c.password_sent);
    /* Only USER so far: MORE, with the user known. */
    assert_int_equal(scan("USER ftp\r\nPA", sv, YJ_CRED_UNKNOWN, &c), YJ_PROTO_MORE);
    assert_string_equal(c.user, "ftp");
    /* ../shared/data/pcap/suricata-verify/ftp-quit/input.pcap: only QUIT. */
    assert_int_equal(scan("QUIT\r\n", NULL, YJ_CRED_FTP, &c), YJ_PROTO_MORE);
    assert_false(c.password_sent);
}

/* ../shared/data/pcap/suricata-verify/pop3-auth-01/input.pcap (pop3.syn): AUTH XOAUTH2. */
static void pop3_xoauth2_real(void **state)
{
    (void)state;
    struct yj_cred c;
    const char *cl = "CAPA\r\nAUTH XOAUTH2\r\n"
                     "dXNlcj1qb2Uuc3BlZWRib2F0AWF1dGg9QmVhcmVyIEFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQ"
                     "UFBQUEBAQ==\r\nSTAT\r\n";
    const char *sv = "+OK Capability list follows\r\nUSER\r\nSASL PLAIN XOAUTH2 OAUTHBEARER\r\n"
                     ".\r\n+ \r\n+OK Welcome.\r\n";
    assert_int_equal(scan(cl, sv, YJ_CRED_UNKNOWN, &c), YJ_PROTO_DONE);
    assert_int_equal(c.proto, YJ_CRED_POP3);
    assert_string_equal(c.mech, "XOAUTH2");
    assert_string_equal(c.user, "joe.speedboat");
    assert_true(c.password_sent);
    assert_false(bytes_contain(&c, sizeof c, "AAAA"));
    /* Without the server's side, the port's hint. */
    assert_int_equal(scan(cl, NULL, YJ_CRED_POP3, &c), YJ_PROTO_DONE);
    assert_int_equal(c.proto, YJ_CRED_POP3);
}

static void pop3_user_pass(void **state)
{
    (void)state;
    struct yj_cred c;
    assert_int_equal(scan("USER alice\r\nPASS s3cr3t\r\n", "+OK POP3 ready\r\n", YJ_CRED_UNKNOWN,
                          &c), YJ_PROTO_DONE);
    assert_int_equal(c.proto, YJ_CRED_POP3);
    assert_string_equal(c.user, "alice");
    assert_true(c.password_sent);
    assert_false(bytes_contain(&c, sizeof c, "s3cr3t"));
    /* AUTH PLAIN with the response on its own line: "\0alice\0s3cr3t". */
    assert_int_equal(scan("AUTH PLAIN\r\nAGFsaWNlAHMzY3IzdA==\r\n", "+OK\r\n", YJ_CRED_UNKNOWN,
                          &c), YJ_PROTO_DONE);
    assert_string_equal(c.mech, "PLAIN");
    assert_string_equal(c.user, "alice");
    assert_true(c.password_sent);
    assert_false(bytes_contain(&c, sizeof c, "s3cr3t"));
    /* APOP sends a digest, not the password. */
    assert_int_equal(scan("APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n", "+OK <1.2@x>\r\n",
                          YJ_CRED_UNKNOWN, &c), YJ_PROTO_DONE);
    assert_string_equal(c.user, "mrose");
    assert_false(c.password_sent);
}

static void imap(void **state)
{
    (void)state;
    struct yj_cred c;
    const char *sv = "* OK [CAPABILITY IMAP4rev1] Dovecot ready.\r\n";
    assert_int_equal(scan("a1 CAPABILITY\r\na2 LOGIN bob \"pa ss\\\"w\"\r\n", sv,
                          YJ_CRED_UNKNOWN, &c), YJ_PROTO_DONE);
    assert_int_equal(c.proto, YJ_CRED_IMAP);
    assert_string_equal(c.mech, "LOGIN");
    assert_string_equal(c.user, "bob");
    assert_true(c.password_sent);
    assert_false(bytes_contain(&c, sizeof c, "pa ss"));
    assert_int_equal(scan("a1 LOGIN \"Bob Smith\" x\r\n", NULL, YJ_CRED_UNKNOWN, &c),
                     YJ_PROTO_DONE);
    assert_string_equal(c.user, "Bob Smith");
    /* Literals: "{5}" then the user on the next line, then the password as a literal. */
    assert_int_equal(scan("a1 LOGIN {5}\r\nalice {6}\r\ns3cr3t\r\n", sv, YJ_CRED_UNKNOWN, &c),
                     YJ_PROTO_DONE);
    assert_string_equal(c.user, "alice");
    assert_true(c.password_sent);
    assert_false(bytes_contain(&c, sizeof c, "s3cr3t"));
    assert_int_equal(scan("a1 LOGIN {5+}\r\nali", sv, YJ_CRED_UNKNOWN, &c), YJ_PROTO_MORE);
    /* AUTHENTICATE PLAIN with authzid "admin", authcid "bob". */
    assert_int_equal(scan("a1 AUTHENTICATE PLAIN\r\nYWRtaW4AYm9iAHMzY3IzdA==\r\n", sv,
                          YJ_CRED_UNKNOWN, &c), YJ_PROTO_DONE);
    assert_string_equal(c.mech, "PLAIN");
    assert_string_equal(c.user, "bob");
    assert_true(c.password_sent);
    assert_int_equal(scan("a1 STARTTLS\r\n", sv, YJ_CRED_UNKNOWN, &c), YJ_PROTO_NOT);
}

static void smtp(void **state)
{
    (void)state;
    struct yj_cred c;
    const char *sv = "220 mail01 ESMTP Postfix (Ubuntu)\r\n250-mail01\r\n";
    /* AUTH LOGIN: "alice", then "s3cr3t", each on its own line. */
    assert_int_equal(scan("EHLO x\r\nAUTH LOGIN\r\nYWxpY2U=\r\nczNjcjN0\r\n", sv,
                          YJ_CRED_UNKNOWN, &c), YJ_PROTO_DONE);
    assert_int_equal(c.proto, YJ_CRED_SMTP);
    assert_string_equal(c.mech, "LOGIN");
    assert_string_equal(c.user, "alice");
    assert_true(c.password_sent);
    assert_false(bytes_contain(&c, sizeof c, "s3cr3t"));
    /* The user only so far. */
    assert_int_equal(scan("EHLO x\r\nAUTH LOGIN YWxpY2U=\r\n", sv, YJ_CRED_UNKNOWN, &c),
                     YJ_PROTO_MORE);
    assert_string_equal(c.user, "alice");
    assert_false(c.password_sent);
    /* AUTH PLAIN with an initial response. */
    assert_int_equal(scan("EHLO x\r\nAUTH PLAIN AGFsaWNlAHMzY3IzdA==\r\n", sv, YJ_CRED_UNKNOWN,
                          &c), YJ_PROTO_DONE);
    assert_string_equal(c.user, "alice");
    /* ../shared/data/pcap/chrissanders/mail_sender_client_1.pcapng: no log-in, then DATA. */
    assert_int_equal(scan("EHLO [172.16.16.225]\r\nMAIL FROM:<sanders@skynet.local> SIZE=556\r\n"
                          "RCPT TO:<sanders@cyberdyne.local>\r\nDATA\r\nUSER x\r\nPASS y\r\n",
                          sv, YJ_CRED_UNKNOWN, &c), YJ_PROTO_NOT);
    /* A cancelled exchange. */
    assert_int_equal(scan("EHLO x\r\nAUTH PLAIN\r\n*\r\n", sv, YJ_CRED_UNKNOWN, &c),
                     YJ_PROTO_MORE);
}

static void telnet(void **state)
{
    (void)state;
    struct yj_cred c;
    /* Option negotiation from both sides, a prompt, "root" and a password. */
    const char sv[] = "\xff\xfd\x18\xff\xfd\x20Ubuntu 22.04\r\nsrv login: \r\nPassword: ";
    const char cl[] = "\xff\xfb\x18\xff\xfa\x18\x00xterm\xff\xf0r\xff\xff" "oot\r\n"
                      "t0psecret\r\n";
    struct yj_cred d;
    assert_int_equal(yj_cred_scan(S(cl), S(sv), YJ_CRED_UNKNOWN, &d), YJ_PROTO_DONE);
    assert_int_equal(d.proto, YJ_CRED_TELNET);
    assert_string_equal(d.user, "r?oot");
    assert_true(d.password_sent);
    assert_false(bytes_contain(&d, sizeof d, "t0psecret"));
    /* Before the prompt: MORE. */
    assert_int_equal(scan("root\r\n", "\xff\xfd\x18", YJ_CRED_UNKNOWN, &c), YJ_PROTO_MORE);
}

static void http_sessions(void **state)
{
    (void)state;
    struct yj_cred c;
    /* ../shared/data/pcap/chrissanders/http_dvwa_clearlogin.pcapng: a GET, then the POST. */
    const char *cl = "GET /dvwa/login.php HTTP/1.1\r\nHost: 10.2.2.104\r\n\r\n"
                     "POST /dvwa/login.php HTTP/1.1\r\nHost: 10.2.2.104\r\n"
                     "Content-Length: 88\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
                     "username=admin&password=password&Login=Login&user_token="
                     "bb171ec1363816dedc60def8744007fe";
    assert_int_equal(scan(cl, NULL, YJ_CRED_UNKNOWN, &c), YJ_PROTO_DONE);
    assert_int_equal(c.proto, YJ_CRED_HTTP);
    assert_string_equal(c.mech, "FORM");
    assert_string_equal(c.user, "admin");
    assert_string_equal(c.fields, "password");
    assert_true(c.password_sent);
    /* The body cut short: MORE. */
    size_t cut = strlen(cl) - 10;
    uint8_t *p = prefix_copy((const uint8_t *)cl, cut);
    assert_int_equal(yj_cred_scan(p, cut, NULL, 0, YJ_CRED_UNKNOWN, &c), YJ_PROTO_MORE);
    free(p);
    assert_int_equal(scan("GET / HTTP/1.1\r\nAuthorization: Basic YWxpY2U6czNjcjN0\r\n\r\n", NULL,
                          YJ_CRED_HTTP, &c), YJ_PROTO_DONE);
    assert_string_equal(c.mech, "BASIC");
    assert_string_equal(c.user, "alice");
    assert_true(c.password_sent);
    assert_false(bytes_contain(&c, sizeof c, "s3cr3t"));
    assert_int_equal(scan("GET / HTTP/1.1\r\n\r\n", NULL, YJ_CRED_UNKNOWN, &c), YJ_PROTO_MORE);
}

/* Every prefix of a client stream: MORE until the log-in is complete, DONE from then on. */
static void every_prefix(void **state)
{
    (void)state;
    struct yj_cred c;
    static const struct {
        const char *cl, *sv;
        size_t done_at; /* the length at which the log-in is complete */
    } cases[] = {
        {"USER ftp\r\nPASS ftp\r\nSYST\r\n", "220 ProFTPD\r\n", 20},
        {"EHLO x\r\nAUTH LOGIN\r\nYWxpY2U=\r\nczNjcjN0\r\nMAIL FROM:<a@b>\r\n",
         "220 mail01 ESMTP\r\n", 40},
        {"a1 LOGIN bob pw\r\na2 SELECT INBOX\r\n", "* OK ready\r\n", 17},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = strlen(cases[i].cl), sn = strlen(cases[i].sv);
        for (size_t k = 0; k <= n; k++) {
            uint8_t *p = prefix_copy((const uint8_t *)cases[i].cl, k);
            enum yj_proto_status st =
                yj_cred_scan(p, k, (const uint8_t *)cases[i].sv, sn, YJ_CRED_UNKNOWN, &c);
            assert_int_equal(st, k < cases[i].done_at ? YJ_PROTO_MORE : YJ_PROTO_DONE);
            free(p);
        }
    }
}

static void unknown_streams(void **state)
{
    (void)state;
    struct yj_cred c;
    assert_int_equal(scan("\x16\x03\x01\x00", NULL, YJ_CRED_UNKNOWN, &c), YJ_PROTO_NOT);
    assert_int_equal(yj_cred_scan(NULL, 0, NULL, 0, YJ_CRED_UNKNOWN, &c), YJ_PROTO_MORE);
    assert_string_equal(yj_cred_proto_name(YJ_CRED_UNKNOWN), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ftp_real), cmocka_unit_test(pop3_xoauth2_real),
        cmocka_unit_test(pop3_user_pass), cmocka_unit_test(imap), cmocka_unit_test(smtp),
        cmocka_unit_test(telnet), cmocka_unit_test(http_sessions),
        cmocka_unit_test(every_prefix), cmocka_unit_test(unknown_streams),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
