/* The log parsers: syslog framing and timestamps, sshd, sudo and su lines, account changes,
 * addresses. */
#include <stdlib.h>
#include <string.h>

#include "host/host.h"
#include "ut.h"

#define S(lit) YJ_STR_LIT(lit)
#define T2026_11_20 1795132800 /* 2026-11-20T00:00:00Z */

static void syslog_traditional(void **state)
{
    (void)state;
    struct yj_host_clock clk = {2026, 0};
    struct yj_syslog sl;
    assert_true(yj_syslog_parse(S("Nov 20 10:00:01 srv sshd[12]: hello world"), &clk, &sl));
    assert_int_equal(sl.ts, T2026_11_20 + 36001);
    assert_true(yj_str_eq_c(sl.host, "srv"));
    assert_true(yj_str_eq_c(sl.prog, "sshd"));
    assert_true(yj_str_eq_c(sl.msg, "hello world"));
    assert_true(yj_syslog_parse(S("Nov  2 00:00:00 h sudo:    bob : x"), &clk, &sl));
    assert_true(yj_str_eq_c(sl.prog, "sudo"));
    assert_true(yj_str_eq_c(sl.msg, "bob : x"));
    assert_true(yj_syslog_parse(S("Aug 03 21:39:20 h su: m"), &clk, &sl));
    /* Not syslog. */
    assert_false(yj_syslog_parse(S(""), &clk, &sl));
    assert_false(yj_syslog_parse(S("Nov 20 10:00:01"), &clk, &sl));
    assert_false(yj_syslog_parse(S("Foo 20 10:00:01 srv sshd[1]: x"), &clk, &sl));
    assert_false(yj_syslog_parse(S("Nov 31 10:00:01 srv sshd[1]: x"), &clk, &sl));
    assert_false(yj_syslog_parse(S("Nov 20 24:00:01 srv sshd[1]: x"), &clk, &sl));
    assert_false(yj_syslog_parse(S("Nov 20 10:00:01 srv sshd[1x]: x"), &clk, &sl));
    assert_false(yj_syslog_parse(S("Nov 20 10:00:01 srv sshd x"), &clk, &sl));
    assert_false(yj_syslog_parse(S("Nov 20 10:00:01 srv"), &clk, &sl));
    assert_false(yj_syslog_parse(S("Feb 29 10:00:01 srv sshd: x"), &clk, &sl)); /* 2026 */
}

static void syslog_year_inference(void **state)
{
    (void)state;
    struct yj_syslog sl;
    /* A file last written on 2027-01-02: December lines belong to 2026. */
    struct yj_host_clock clk = {0, 1798848000};
    assert_true(yj_syslog_parse(S("Dec 31 23:00:00 h sshd: x"), &clk, &sl));
    assert_int_equal(sl.ts, 1798761600 - 3600);
    assert_true(yj_syslog_parse(S("Jan  2 10:00:00 h sshd: x"), &clk, &sl));
    assert_int_equal(sl.ts, 1798848000 + 36000);
}

static void syslog_rfc5424(void **state)
{
    (void)state;
    struct yj_syslog sl;
    assert_true(yj_syslog_parse(
        S("<38>1 2026-11-20T09:00:00.123456+09:00 srv sshd 77 ID1 - Failed x"), NULL, &sl));
    assert_int_equal(sl.ts, T2026_11_20);
    assert_true(yj_str_eq_c(sl.prog, "sshd"));
    assert_true(yj_str_eq_c(sl.msg, "Failed x"));
    assert_true(yj_syslog_parse(S("<1>1 2026-11-20T00:00:00Z - - - - [a b=\"]\\\"\"][c] \xEF\xBB\xBFm"),
                                NULL, &sl));
    assert_int_equal(sl.host.n, 0);
    assert_int_equal(sl.prog.n, 0);
    assert_true(yj_str_eq_c(sl.msg, "m"));
    assert_true(yj_syslog_parse(S("<1>1 2026-11-20T00:00:00Z h a - - -"), NULL, &sl));
    assert_int_equal(sl.msg.n, 0);
    assert_false(yj_syslog_parse(S("<1>2 2026-11-20T00:00:00Z h a - - - m"), NULL, &sl));
    assert_false(yj_syslog_parse(S("<1>1 2026-11-20 h a - - - m"), NULL, &sl));
    assert_false(yj_syslog_parse(S("<1>1 2026-11-20T00:00:00Z h a - - [open m"), NULL, &sl));
    assert_false(yj_syslog_parse(S("<>1 2026-11-20T00:00:00Z h a - - - m"), NULL, &sl));
    assert_false(yj_syslog_parse(S("<123456>1 2026-11-20T00:00:00Z h a - - - m"), NULL, &sl));
    /* rsyslog's high-precision traditional form. */
    assert_true(yj_syslog_parse(S("2026-11-20T01:00:00.5+01:00 h sshd[1]: m"), NULL, &sl));
    assert_int_equal(sl.ts, T2026_11_20);
}

static void rfc3339(void **state)
{
    (void)state;
    int64_t t;
    assert_true(yj_host_parse_rfc3339(S("2026-11-20T00:00:00Z"), &t));
    assert_int_equal(t, T2026_11_20);
    assert_true(yj_host_parse_rfc3339(S("2026-11-19T19:00:00-05:00"), &t));
    assert_int_equal(t, T2026_11_20);
    assert_false(yj_host_parse_rfc3339(S("2026-11-20T00:00:00"), &t));
    assert_false(yj_host_parse_rfc3339(S("2026-11-20T00:00:00.Z"), &t));
    assert_false(yj_host_parse_rfc3339(S("2026-11-20T00:00:00+0900"), &t));
    assert_false(yj_host_parse_rfc3339(S("2026-13-20T00:00:00Z"), &t));
    assert_false(yj_host_parse_rfc3339(S("2026-11-20T00:00:00Zjunk"), &t));
}

static void sshd_shapes(void **state)
{
    (void)state;
    struct yj_auth a;
    assert_true(yj_sshd_parse(S("Failed password for invalid user x y from 1.2.3.4 port 22 ssh2"), &a));
    assert_string_equal(a.user, "x y");
    assert_string_equal(a.ip, "1.2.3.4");
    assert_int_equal(a.port, 22);
    assert_string_equal(a.method, "password");
    assert_false(a.success);
    assert_true(a.attempt);
    assert_true(yj_sshd_parse(S("Accepted publickey for u from ::1 port 1 ssh2: ED25519 x"), &a));
    assert_true(a.success);
    assert_string_equal(a.ip, "::1");
    assert_true(yj_sshd_parse(S("Failed none for u from 1.2.3.4 port 9 ssh2"), &a));
    assert_string_equal(a.method, "none");
    assert_true(yj_sshd_parse(S("Failed weird-method for u from 1.2.3.4 port 9 ssh2"), &a));
    assert_null(a.method);
    assert_true(yj_sshd_parse(S("Invalid user  from 1.2.3.4 port 5"), &a));
    assert_string_equal(a.user, "");
    assert_true(yj_sshd_parse(S("ROOT LOGIN REFUSED FROM 1.2.3.4"), &a));
    assert_string_equal(a.user, "root");
    assert_int_equal(a.port, 0);
    assert_true(yj_sshd_parse(S("pam_unix(sshd:auth): authentication failure; logname= uid=0 "
                                "euid=0 tty=ssh ruser= rhost=host.example  user=z"), &a));
    assert_string_equal(a.ip, ""); /* a host name is no address */
    assert_string_equal(a.user, "z");
    assert_false(a.attempt);
    assert_true(yj_sshd_parse(S("Received disconnect from ::ffff:1.2.3.4 port 7:11: bye [preauth]"), &a));
    assert_string_equal(a.ip, "::ffff:1.2.3.4");
    assert_int_equal(a.port, 7);
    /* Not log-in lines, or broken ones. */
    assert_false(yj_sshd_parse(S("Received disconnect from 1.2.3.4 port 7:11: bye"), &a));
    assert_false(yj_sshd_parse(S("Disconnected from user u 1.2.3.4 port 7"), &a));
    assert_false(yj_sshd_parse(S("Failed password for u from 1.2.3.4 port 0 ssh2"), &a));
    assert_false(yj_sshd_parse(S("Failed password for u from 1.2.3.4 port 65536 ssh2"), &a));
    assert_false(yj_sshd_parse(S("Failed password for u from 1.2.3 port 1 ssh2"), &a));
    assert_false(yj_sshd_parse(S("Failed password for u"), &a));
    assert_false(yj_sshd_parse(S("Failed password"), &a));
    assert_false(yj_sshd_parse(S("User u from 1.2.3.4"), &a));
    assert_false(yj_sshd_parse(S("Connection closed by 1.2.3.4 port 5 [preauth]"), &a));
    assert_false(yj_sshd_parse(S(" [preauth]"), &a));
    assert_false(yj_sshd_parse(S(""), &a));
}

static void long_user(void **state)
{
    (void)state;
    char line[400];
    struct yj_auth a;
    memset(line, 'u', sizeof line);
    memcpy(line, "Invalid user ", 13);
    memcpy(line + 300, " from 1.2.3.4 port 5", 20);
    assert_true(yj_sshd_parse((struct yj_str){line, 320}, &a));
    assert_int_equal(strlen(a.user), YJ_HOST_USER_MAX);
    assert_int_equal(a.user[YJ_HOST_USER_MAX - 1], '~');
}

static void sudo_su(void **state)
{
    (void)state;
    struct yj_auth a;
    assert_true(yj_sudo_parse(S("sudo"), S("bob : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/id"), &a));
    assert_true(a.success);
    assert_string_equal(a.service, "sudo");
    assert_string_equal(a.user, "bob");
    assert_true(yj_sudo_parse(S("sudo"), S("bob : 1 incorrect password attempt ; TTY=pts/0"), &a));
    assert_false(a.success);
    assert_true(a.attempt);
    assert_false(yj_sudo_parse(S("sudo"), S("bob : something else ; TTY=pts/0"), &a));
    assert_false(yj_sudo_parse(S("sudo"), S(" : TTY=pts/0 ; COMMAND=x"), &a));
    assert_false(yj_sudo_parse(S("sudo"), S("bob : TTY=pts/0"), &a));
    assert_true(yj_sudo_parse(S("su"), S("FAILED SU (to root) eve on pts/1"), &a));
    assert_string_equal(a.user, "eve");
    assert_string_equal(a.service, "su");
    assert_true(yj_sudo_parse(S("su"), S("pam_unix(su-l:auth): authentication failure; logname=x "
                                         "uid=1 euid=0 tty=pts/1 ruser=eve rhost=  user=root"), &a));
    assert_string_equal(a.user, "eve");
    assert_false(a.attempt);
    assert_true(yj_sudo_parse(S("su"), S("Successful su for root by eve"), &a));
    assert_true(a.success);
    assert_false(yj_sudo_parse(S("su"), S("(to root) on pts/1"), &a));
    assert_false(yj_sudo_parse(S("su"), S("pam_unix(su:session): session opened"), &a));
    assert_false(yj_sudo_parse(S("cron"), S("FAILED SU (to root) eve on pts/1"), &a));
}

static void accounts(void **state)
{
    (void)state;
    struct yj_account a;
    assert_true(yj_account_parse(S("useradd"), S("new user: name=mallory, UID=1005, GID=1005, "
                                                 "home=/home/mallory, shell=/bin/bash, from=/dev/pts/0"), &a));
    assert_int_equal(a.action, YJ_ACCT_USER_ADDED);
    assert_string_equal(a.user, "mallory");
    assert_string_equal(a.service, "useradd");
    assert_string_equal(a.group, "");
    assert_true(yj_account_parse(S("groupadd"), S("new group: name=devs, GID=1010"), &a));
    assert_int_equal(a.action, YJ_ACCT_GROUP_ADDED);
    assert_string_equal(a.user, "devs");
    assert_true(yj_account_parse(S("groupadd"), S("new group: name=devs"), &a));
    assert_true(yj_account_parse(S("usermod"), S("add 'mallory' to group 'sudo'"), &a));
    assert_int_equal(a.action, YJ_ACCT_MEMBER_ADDED);
    assert_true(a.admin);
    assert_string_equal(a.group, "sudo");
    assert_true(yj_account_parse(S("usermod"), S("add 'bob' to shadow group 'wheel'"), &a));
    assert_true(a.admin);
    assert_string_equal(a.user, "bob");
    assert_true(yj_account_parse(S("usermod"), S("add 'bob' to group 'audio'"), &a));
    assert_false(a.admin);
    assert_true(yj_account_parse(S("gpasswd"), S("user bob added by root to group adm"), &a));
    assert_true(a.admin);
    assert_string_equal(a.group, "adm");
    assert_true(yj_account_parse(S("passwd"),
                                 S("pam_unix(passwd:chauthtok): password changed for bob"), &a));
    assert_int_equal(a.action, YJ_ACCT_PASSWORD);
    assert_string_equal(a.user, "bob");
    assert_true(yj_account_parse(S("chpasswd"),
                                 S("pam_unix(chpasswd:chauthtok): password changed for eve"), &a));
    assert_true(yj_account_parse(S("chage"), S("changed password expiry for bob"), &a));
    assert_int_equal(a.action, YJ_ACCT_EXPIRY);
    assert_string_equal(yj_account_action_name(YJ_ACCT_EXPIRY), "expiry-changed");
    /* not account changes, or malformed */
    assert_false(yj_account_parse(S("useradd"), S("new user: name=, UID=1"), &a));
    assert_false(yj_account_parse(S("useradd"), S("new user: uid=1"), &a));
    assert_false(yj_account_parse(S("useradd"), S("group added to /etc/group: name=x, GID=1"), &a));
    assert_false(yj_account_parse(S("usermod"), S("add 'bob' to group 'sudo"), &a));
    assert_false(yj_account_parse(S("usermod"), S("add 'bob' to group ''"), &a));
    assert_false(yj_account_parse(S("usermod"), S("add 'bob"), &a));
    assert_false(yj_account_parse(S("usermod"), S("change user 'bob' password"), &a));
    assert_false(yj_account_parse(S("gpasswd"), S("user bob added by root to group "), &a));
    assert_false(yj_account_parse(S("gpasswd"), S("user bob added by"), &a));
    assert_false(yj_account_parse(S("passwd"), S("pam_unix(passwd:chauthtok): password changed for "), &a));
    assert_false(yj_account_parse(S("passwd"), S("pam_unix(passwd:session): session opened"), &a));
    assert_false(yj_account_parse(S("cron"), S("new user: name=x, UID=1"), &a));
    assert_true(yj_account_prog(S("chage")));
    assert_false(yj_account_prog(S("sshd")));
}

static void http_access(void **state)
{
    (void)state;
    struct yj_http *h = malloc(sizeof *h);
    assert_true(yj_http_parse(S("203.0.113.5 - bob [10/Oct/2000:13:55:36 -0700] \"GET /a?b=1 "
                                "HTTP/1.1\" 200 2326 \"http://x/\" \"Mozilla \\\"q\\\"\""), h));
    assert_string_equal(h->ip, "203.0.113.5");
    assert_int_equal(h->ts, 971211336); /* 2000-10-10T20:55:36Z */
    assert_string_equal(h->user, "bob");
    assert_string_equal(h->method, "GET");
    assert_string_equal(h->url, "/a?b=1");
    assert_string_equal(h->protocol, "HTTP/1.1");
    assert_int_equal(h->status, 200);
    assert_int_equal(h->length, 2326);
    assert_string_equal(h->referer, "http://x/");
    assert_string_equal(h->agent, "Mozilla \\\"q\\\"");
    assert_string_equal(h->hostname, "");
    /* common format, "-" length, vhost with port, IPv6 */
    assert_true(yj_http_parse(S("www.example.jp:443 2001:db8::1 - - [01/Jan/2026:00:00:00 +0000] "
                                "\"HEAD / HTTP/1.0\" 304 -"), h));
    assert_string_equal(h->hostname, "www.example.jp");
    assert_string_equal(h->ip, "2001:db8::1");
    assert_int_equal(h->length, 0);
    assert_string_equal(h->referer, "");
    /* not HTTP: the raw request is the url, no method; nginx's extra fields are ignored */
    assert_true(yj_http_parse(S("192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] \"\\x16\\x03\" 400 "
                                "157 \"-\" \"-\" \"10.0.0.1\""), h));
    assert_string_equal(h->method, "");
    assert_string_equal(h->url, "\\x16\\x03");
    assert_string_equal(h->agent, "");
    assert_true(yj_http_parse(S("192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] \"-\" 408 0"), h));
    assert_string_equal(h->url, "");
    /* control bytes are replaced */
    assert_true(yj_http_parse(S("192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] \"GET /\x01 H\" 200 0"), h));
    assert_string_equal(h->url, "/?");
    const char *bad[] = {
        "192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] \"GET / HTTP/1.1\" 99 0",
        "192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] \"GET / HTTP/1.1\" 1000 0",
        "192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] \"GET / HTTP/1.1\" 200 x",
        "192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] \"GET / HTTP/1.1 200 0",
        "192.0.2.1 - - [31/Feb/2026:00:00:00 +0000] \"GET / HTTP/1.1\" 200 0",
        "192.0.2.1 - - [01/Foo/2026:00:00:00 +0000] \"GET / HTTP/1.1\" 200 0",
        "192.0.2.1 - - [01/Jan/2026:24:00:00 +0000] \"GET / HTTP/1.1\" 200 0",
        "192.0.2.1 - - [01/Jan/2026:00:00:00 0000] \"GET / HTTP/1.1\" 200 0",
        "192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] \"GET / HTTP/1.1\" 200 0 \"ref\"",
        "host notanip - - [01/Jan/2026:00:00:00 +0000] \"GET / HTTP/1.1\" 200 0",
        "notanip - - [01/Jan/2026:00:00:00 +0000] \"GET / HTTP/1.1\" 200 0",
        "192.0.2.1 - -",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(yj_http_parse(yj_str_c(bad[i]), h));
    free(h);
    assert_true(yj_http_error_line(S("2026/11/23 12:00:05 [error] 811#811: *12 open() failed")));
    assert_true(yj_http_error_line(S("[Mon Nov 23 12:00:06.123456 2026] [core:error] [pid 1] x")));
    assert_true(yj_http_error_line(S("[Mon Nov 23 12:00:06 2026] [error] [client 1.2.3.4] x")));
    assert_false(yj_http_error_line(S("[Mon Nov 23 12:00:06 2026]")));
    assert_false(yj_http_error_line(S("2026/11/23 12:00:05 error")));
    assert_false(yj_http_error_line(S("[x] [y]")));
}

static void web_classify(void **state)
{
    (void)state;
    assert_int_equal(yj_web_classify("/.env", 200), YJ_WEB_PROBE);
    assert_int_equal(yj_web_classify("/app/.git/HEAD", 403), YJ_WEB_PROBE);
    assert_int_equal(yj_web_classify("/wp-login.php", 404), YJ_WEB_PROBE);
    assert_int_equal(yj_web_classify("/wp-login.php", 200), 0);
    assert_int_equal(yj_web_classify("/WP-ADMIN/", 403), YJ_WEB_PROBE);
    assert_int_equal(yj_web_classify("/index.php?x=/cgi-bin/", 404), 0); /* path part only */
    assert_int_equal(yj_web_classify("/p?id=1'%20or%201=1--", 200), YJ_WEB_SQLI);
    assert_int_equal(yj_web_classify("/p?id=1+UNION+ALL+SELECT+1", 200), YJ_WEB_SQLI);
    assert_int_equal(yj_web_classify("/p?id=1%2520union%2520select", 200), YJ_WEB_SQLI);
    assert_int_equal(yj_web_classify("/p?q=select+union+station", 200), 0);
    assert_int_equal(yj_web_classify("/p?q=information_schema.tables", 200), YJ_WEB_SQLI);
    assert_int_equal(yj_web_classify("/f?file=..%2F..%2Fetc", 200), YJ_WEB_TRAVERSAL);
    assert_int_equal(yj_web_classify("/%2e%2e/%2E%2E/x", 400), YJ_WEB_TRAVERSAL);
    assert_int_equal(yj_web_classify("/%252e%252e%252fx", 400), YJ_WEB_TRAVERSAL);
    assert_int_equal(yj_web_classify("/x?f=/etc/passwd", 200), YJ_WEB_TRAVERSAL);
    assert_int_equal(yj_web_classify("/a/b.c/d..e", 200), 0);
    assert_int_equal(yj_web_classify("/%zz%4", 200), 0); /* broken escapes are kept */
    assert_int_equal(yj_web_classify("/.env?id=sleep(1)&f=../x", 404),
                     YJ_WEB_PROBE | YJ_WEB_SQLI | YJ_WEB_TRAVERSAL);
}

static void mail_samba(void **state)
{
    (void)state;
    struct yj_auth a;
    assert_true(yj_mail_parse(S("postfix/smtpd"),
                              S("warning: host.example[192.0.2.1]: SASL PLAIN authentication "
                                "failed: x, sasl_username=bob, other=1"), &a));
    assert_string_equal(a.service, "postfix");
    assert_string_equal(a.ip, "192.0.2.1");
    assert_string_equal(a.user, "bob");
    assert_string_equal(a.method, "PLAIN");
    assert_true(a.attempt);
    assert_false(a.success);
    assert_true(yj_mail_parse(S("postfix-in/submission/smtpd"),
                              S("warning: unknown[2001:db8::1]: SASL FOO authentication failed"), &a));
    assert_null(a.method);
    assert_false(yj_mail_parse(S("postfix/smtpd"),
                               S("warning: unknown[bad]: SASL LOGIN authentication failed"), &a));
    assert_false(yj_mail_parse(S("postfix/smtpd"),
                               S("warning: unknown[192.0.2.1]: SASL LOGIN something"), &a));
    assert_false(yj_mail_parse(S("postfix/qmgr"),
                               S("warning: unknown[192.0.2.1]: SASL LOGIN authentication failed"), &a));
    assert_false(yj_mail_parse(S("postfix/smtpd"), S("connect from unknown[192.0.2.1]"), &a));
    /* dovecot */
    assert_true(yj_mail_parse(S("dovecot"), S("imap-login: Info: Login: user=<a@b>, method=PLAIN, "
                                              "rip=192.0.2.2, lip=192.0.2.3, TLS"), &a));
    assert_true(a.success);
    assert_string_equal(a.user, "a@b");
    assert_string_equal(a.ip, "192.0.2.2");
    assert_true(yj_mail_parse(S("dovecot"), S("pop3-login: Disconnected (auth failed, 2 attempts "
                                              "in 5 secs): user=<x>, rip=192.0.2.2"), &a));
    assert_false(a.success);
    assert_true(a.attempt);
    assert_string_equal(a.user, "x");
    assert_null(a.method);
    assert_true(yj_mail_parse(S("dovecot"), S("auth: passwd-file(k@c,192.0.2.4): unknown user"), &a));
    assert_false(a.attempt);
    assert_string_equal(a.user, "k@c");
    assert_true(yj_mail_parse(S("dovecot"), S("auth-worker(1): pam(u,v(w,192.0.2.5,<s>): "
                                              "pam_authenticate() failed: x"), &a));
    assert_string_equal(a.ip, "192.0.2.5");
    assert_string_equal(a.user, "u,v(w");
    assert_false(yj_mail_parse(S("dovecot"), S("auth: pam(u,notip): unknown user"), &a));
    assert_false(yj_mail_parse(S("dovecot"), S("auth: 192.0.2.5): unknown user"), &a));
    assert_false(yj_mail_parse(S("dovecot"), S("imap-login: Disconnected (no auth attempts in 3 "
                                               "secs): user=<>, rip=192.0.2.2"), &a));
    assert_false(yj_mail_parse(S("dovecot"), S("imap-login: Login: user=<a>, rip=nope"), &a));
    assert_false(yj_mail_parse(S("dovecot"), S("master: Dovecot v2.3 starting up"), &a));
    /* samba */
    assert_true(yj_samba_parse(S("smbd"), S("Auth: [SMB2,(null)] user [D]\\[u]] at [t] with "
                                            "[NTLM] status [NT_STATUS_OK] workstation [w remote "
                                            "host [ipv4:6.6.6.6:1]] remote host "
                                            "[ipv6:2001:db8::9:445] mapped"), &a));
    assert_true(a.success);
    assert_string_equal(a.user, "u]");
    assert_string_equal(a.ip, "2001:db8::9");
    assert_int_equal(a.port, 445);
    assert_string_equal(a.method, "NTLM");
    assert_false(yj_samba_parse(S("smbd"), S("Auth: [SMB2,(null)] user [D]\\[u] at [t] with "
                                             "[NTLM] status [X] workstation [] remote host "
                                             "[unix:] mapped"), &a));
    assert_false(yj_samba_parse(S("smbd"), S("Auth: [SMB2,(null)] user [D]\\[u] at [t] with "
                                             "[NTLM] status [X] remote host [ipv4:1.2.3.4:0]"), &a));
    assert_false(yj_samba_parse(S("smbd"), S("Auth: [SMB2,(null)] user [D]\\[u]"), &a));
    assert_false(yj_samba_parse(S("nmbd"), S("Auth: [SMB2,(null)] user [D]\\[u] at [t] with "
                                             "[NTLM] status [X] remote host [ipv4:1.2.3.4:5]"), &a));
}

static void addresses(void **state)
{
    (void)state;
    char ip[YJ_HOST_IP_MAX];
    assert_true(yj_host_ip(S("192.0.2.1"), ip));
    assert_true(yj_host_ip(S("fe80::1"), ip));
    assert_true(yj_host_ip(S("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"), ip));
    assert_false(yj_host_ip(S("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.2550"), ip));
    assert_false(yj_host_ip(S(""), ip));
    assert_false(yj_host_ip(S("1.2.3.4.5"), ip));
    assert_true(yj_host_ip(S("0.0.0.0"), ip));
    assert_true(yj_host_ip(S("255.255.255.255"), ip));
    assert_string_equal(ip, "255.255.255.255");
    assert_false(yj_host_ip(S("256.1.1.1"), ip));
    assert_false(yj_host_ip(S("01.2.3.4"), ip));
    assert_false(yj_host_ip(S("1.2.3.0004"), ip));
    assert_false(yj_host_ip(S("1.2.3."), ip));
    assert_false(yj_host_ip(S("1..2.3"), ip));
    assert_false(yj_host_ip(S("1.2.3.4 "), ip));
    assert_false(yj_host_ip(S("+1.2.3.4"), ip));
    assert_false(yj_host_ip(S("example.com"), ip));
    assert_string_equal(ip, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(syslog_traditional), cmocka_unit_test(syslog_year_inference),
        cmocka_unit_test(syslog_rfc5424),     cmocka_unit_test(rfc3339),
        cmocka_unit_test(sshd_shapes),        cmocka_unit_test(long_user),
        cmocka_unit_test(sudo_su),            cmocka_unit_test(addresses),
        cmocka_unit_test(accounts), cmocka_unit_test(http_access), cmocka_unit_test(web_classify),
        cmocka_unit_test(mail_samba),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
