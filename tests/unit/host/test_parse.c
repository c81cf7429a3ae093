/* The log parsers: syslog framing and timestamps, sshd, sudo and su lines, addresses. */
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
