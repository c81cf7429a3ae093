/* The detectors at their thresholds, de-duplication, windows, the bounded tables, and the
 * thresholds file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host.h"
#include "ut.h"

static struct yj_auth att(const char *ip, const char *user, bool success)
{
    struct yj_auth a = {.service = "sshd", .success = success, .attempt = true};
    snprintf(a.ip, sizeof a.ip, "%s", ip);
    snprintf(a.user, sizeof a.user, "%s", user);
    return a;
}

static size_t feed(struct yj_host_detect *d, int64_t ts, struct yj_auth a)
{
    const struct yj_host_alert *r[YJ_HOST_SIG__COUNT];
    return yj_host_detect_feed(d, ts, &a, r, YJ_HOST_SIG__COUNT);
}

static void brute_force_boundary(void **state)
{
    (void)state;
    struct yj_host_config c;
    yj_host_config_default(&c);
    struct yj_host_detect *d = yj_host_detect_new(&c);
    for (int i = 0; i < 5; i++)
        assert_int_equal(feed(d, 1000 + i * 60, att("192.0.2.1", "root", false)), 0);
    /* The 6th failure, exactly window seconds after the 1st: raised. */
    assert_int_equal(feed(d, 1000 + 300, att("192.0.2.1", "root", false)), 1);
    /* More within the window add to it. */
    assert_int_equal(feed(d, 1400, att("192.0.2.1", "root", false)), 0);
    size_t n;
    const struct yj_host_alert *al = yj_host_detect_alerts(d, &n);
    assert_int_equal(n, 1);
    assert_int_equal(al[0].sig, YJ_HOST_SIG_BRUTE_FORCE);
    assert_int_equal(al[0].count, 7);
    assert_int_equal(al[0].first, 1000);
    assert_int_equal(al[0].last, 1400);
    /* Long after, a new attack is a new alert. */
    for (int i = 0; i < 6; i++)
        feed(d, 100000 + i, att("192.0.2.1", "root", false));
    yj_host_detect_alerts(d, &n);
    assert_int_equal(n, 2);
    yj_host_detect_free(d);
}

static void brute_force_too_slow(void **state)
{
    (void)state;
    struct yj_host_config c;
    yj_host_config_default(&c);
    struct yj_host_detect *d = yj_host_detect_new(&c);
    for (int i = 0; i < 30; i++) /* one every 61 s: 5 per window at most */
        assert_int_equal(feed(d, i * 61, att("192.0.2.1", "root", false)), 0);
    /* Follow-up lines and local attempts are never counted. */
    struct yj_auth f = att("192.0.2.2", "root", false);
    f.attempt = false;
    struct yj_auth local = att("", "bob", false);
    for (int i = 0; i < 20; i++) {
        assert_int_equal(feed(d, 5000, f), 0);
        assert_int_equal(feed(d, 5000, local), 0);
    }
    yj_host_detect_free(d);
}

static void spray_distributed_compromise(void **state)
{
    (void)state;
    struct yj_host_config c;
    yj_host_config_default(&c);
    struct yj_host_detect *d = yj_host_detect_new(&c);
    const char *users[] = {"a", "b", "c", "d", "e"};
    for (int i = 0; i < 4; i++)
        assert_int_equal(feed(d, i, att("192.0.2.9", users[i], false)), 0);
    assert_int_equal(feed(d, 4, att("192.0.2.9", users[4], false)), 1);
    /* One account from five sources. */
    char ip[32];
    for (int i = 0; i < 4; i++) {
        snprintf(ip, sizeof ip, "198.51.100.%d", i);
        assert_int_equal(feed(d, 10 + i, att(ip, "admin", false)), 0);
    }
    assert_int_equal(feed(d, 20, att("2001:db8::1", "admin", false)), 1);
    /* Success after five failures from 192.0.2.9. */
    assert_int_equal(feed(d, 30, att("192.0.2.9", "e", true)), 1);
    assert_int_equal(feed(d, 31, att("192.0.2.9", "e", true)), 0);
    /* A success from a source never seen, or with few failures: nothing. */
    assert_int_equal(feed(d, 32, att("203.0.113.1", "x", true)), 0);
    size_t n;
    const struct yj_host_alert *al = yj_host_detect_alerts(d, &n);
    assert_int_equal(n, 3);
    assert_int_equal(al[0].sig, YJ_HOST_SIG_PASSWORD_SPRAY);
    assert_int_equal(al[1].sig, YJ_HOST_SIG_DISTRIBUTED);
    assert_string_equal(al[1].user, "admin");
    assert_string_equal(al[1].ip, "");
    assert_int_equal(al[2].sig, YJ_HOST_SIG_COMPROMISE);
    assert_int_equal(al[2].count, 5);
    assert_int_equal(al[2].last, 31);
    assert_int_equal(yj_host_sig_info(al[2].sig)->severity, 1);
    assert_string_equal(yj_host_sig_info(al[2].sig)->category, "compromise");
    ut_i18n_real();
    char sum[512];
    yj_host_alert_summary(&al[2], YJ_LANG_EN, sum, sizeof sum);
    assert_non_null(strstr(sum, "192.0.2.9 failed 5 times"));
    yj_host_alert_summary(&al[1], YJ_LANG_JA, sum, sizeof sum);
    assert_non_null(strstr(sum, "admin"));
    yj_host_detect_free(d);
}

static void spray_many_users(void **state)
{
    (void)state;
    /* More distinct users than the set holds, slowly: the oldest make room, and only those
     * within the window count. */
    struct yj_host_config c;
    yj_host_config_default(&c);
    c.bf_failures = 16;
    c.bf_window = 10;
    c.spray_users = 8;
    c.spray_window = 100;
    struct yj_host_detect *d = yj_host_detect_new(&c);
    char user[16];
    for (int i = 0; i < 40; i++) {
        snprintf(user, sizeof user, "u%d", i);
        assert_int_equal(feed(d, i * 15, att("192.0.2.5", user, false)), 0); /* 7 per 100 s */
    }
    for (int i = 0; i < 7; i++) {
        snprintf(user, sizeof user, "v%d", i);
        assert_int_equal(feed(d, 1000 + i, att("192.0.2.5", user, false)), 0);
    }
    /* The same user again does not count twice. */
    assert_int_equal(feed(d, 1008, att("192.0.2.5", "v0", false)), 0);
    assert_int_equal(feed(d, 1009, att("192.0.2.5", "v7", false)), 1);
    size_t n;
    const struct yj_host_alert *al = yj_host_detect_alerts(d, &n);
    assert_int_equal(n, 1);
    assert_int_equal(al[0].first, 1000);
    yj_host_detect_free(d);
}

static void time_goes_backwards(void **state)
{
    (void)state;
    /* The newest file first, then an older one: old failures must not count as recent. */
    struct yj_host_config c;
    yj_host_config_default(&c);
    struct yj_host_detect *d = yj_host_detect_new(&c);
    for (int i = 0; i < 5; i++)
        assert_int_equal(feed(d, 100000 + i, att("192.0.2.1", "root", false)), 0);
    for (int i = 0; i < 5; i++)
        assert_int_equal(feed(d, 1000 + i * 1000, att("192.0.2.1", "root", false)), 0);
    /* A success an hour before the failures is no compromise. */
    assert_int_equal(feed(d, 100000 - 3600, att("192.0.2.1", "root", true)), 0);
    /* Small jitter (a line a few seconds early) still counts. */
    for (int i = 0; i < 5; i++)
        assert_int_equal(feed(d, 100000 + i, att("192.0.2.2", "root", false)), 0);
    assert_int_equal(feed(d, 99998, att("192.0.2.2", "root", false)), 1);
    yj_host_detect_free(d);
}

static void alerts_capped(void **state)
{
    (void)state;
    struct yj_host_config c;
    yj_host_config_default(&c);
    struct yj_host_detect *d = yj_host_detect_new(&c);
    char ip[32];
    for (int s = 0; s < 10001; s++) {
        snprintf(ip, sizeof ip, "10.%d.%d.1", s / 256, s % 256);
        for (int i = 0; i < 6; i++)
            feed(d, s * 1000 + i, att(ip, "root", false));
    }
    size_t n;
    yj_host_detect_alerts(d, &n);
    assert_int_equal(n, 10000);
    assert_int_equal(yj_host_detect_stats(d).alerts_dropped, 1);
    yj_host_detect_free(d);
}

static void table_full(void **state)
{
    (void)state;
    struct yj_host_config c;
    yj_host_config_default(&c);
    c.table_size = 16;
    struct yj_host_detect *d = yj_host_detect_new(&c);
    char ip[32], user[32];
    for (int i = 0; i < 20; i++) {
        snprintf(ip, sizeof ip, "10.0.0.%d", i);
        snprintf(user, sizeof user, "u%d", i);
        feed(d, i, att(ip, user, false));
    }
    struct yj_host_detect_stats st = yj_host_detect_stats(d);
    assert_int_equal(st.sources_dropped, 4);
    assert_int_equal(st.users_dropped, 4);
    /* Known sources still work. */
    for (int i = 0; i < 6; i++)
        feed(d, 100 + i, att("10.0.0.0", "u0", false));
    size_t n;
    yj_host_detect_alerts(d, &n);
    assert_int_equal(n, 1);
    yj_host_detect_free(d);
}

static size_t acct(struct yj_host_detect *d, int64_t ts, const char *prog, const char *msg,
                   const struct yj_host_alert **r)
{
    struct yj_account a;
    assert_true(yj_account_parse(yj_str_c(prog), yj_str_c(msg), &a));
    return yj_host_detect_account(d, ts, &a, r, 1);
}

static void account_changes(void **state)
{
    (void)state;
    struct yj_host_config c;
    yj_host_config_default(&c);
    struct yj_host_detect *d = yj_host_detect_new(&c);
    const struct yj_host_alert *r[1];
    assert_int_equal(acct(d, 1000, "useradd", "new group: name=eve, GID=1005", r), 1);
    assert_int_equal(r[0]->sig, YJ_HOST_SIG_ACCOUNT_NEW);
    assert_string_equal(r[0]->user, "eve");
    assert_string_equal(r[0]->ip, "");
    /* the same account's "new user" line: added to the alert */
    assert_int_equal(acct(d, 1000, "useradd", "new user: name=eve, UID=1005", r), 0);
    assert_int_equal(acct(d, 1001, "usermod", "add 'eve' to group 'sudo'", r), 1);
    assert_int_equal(r[0]->sig, YJ_HOST_SIG_ADMIN_GROUP);
    assert_string_equal(r[0]->group, "sudo");
    assert_int_equal(acct(d, 1001, "usermod", "add 'eve' to shadow group 'sudo'", r), 0);
    assert_int_equal(acct(d, 1002, "usermod", "add 'eve' to group 'wheel'", r), 1);
    assert_int_equal(acct(d, 1003, "usermod", "add 'eve' to group 'audio'", r), 0);
    assert_int_equal(acct(d, 1004, "chage", "changed password expiry for eve", r), 1);
    assert_int_equal(r[0]->sig, YJ_HOST_SIG_PASSWORD_CHANGE);
    assert_int_equal(acct(d, 1005, "passwd",
                          "pam_unix(passwd:chauthtok): password changed for eve", r), 0);
    /* window boundary: acct_window after the last one is still the same alert, one more
     * second is a new one */
    assert_int_equal(acct(d, 1005 + 3600, "passwd",
                          "pam_unix(passwd:chauthtok): password changed for eve", r), 0);
    assert_int_equal(acct(d, 1005 + 7201, "passwd",
                          "pam_unix(passwd:chauthtok): password changed for eve", r), 1);
    size_t n;
    const struct yj_host_alert *all = yj_host_detect_alerts(d, &n);
    assert_int_equal(n, 5);
    assert_int_equal(all[0].count, 2);
    assert_int_equal(all[1].count, 2);
    assert_int_equal(all[3].count, 3);
    assert_int_equal(all[3].first, 1004);
    assert_int_equal(all[3].last, 1005 + 3600);
    char sum[512];
    yj_host_alert_summary(&all[1], YJ_LANG_EN, sum, sizeof sum);
    yj_host_detect_free(d);
}

static struct yj_auth sudo_ok(const char *user)
{
    struct yj_auth a = {.service = "sudo", .success = true, .attempt = true};
    snprintf(a.user, sizeof a.user, "%s", user);
    return a;
}

static void first_sudo(void **state)
{
    (void)state;
    struct yj_host_config c;
    yj_host_config_default(&c);
    c.sudo_learn = 100;
    struct yj_host_detect *d = yj_host_detect_new(&c);
    const struct yj_host_alert *r[YJ_HOST_SIG__COUNT];
    struct yj_auth a = att("192.0.2.1", "x", false);
    assert_int_equal(yj_host_detect_feed(d, 1000, &a, r, YJ_HOST_SIG__COUNT), 0); /* t0 */
    a = sudo_ok("alice");
    assert_int_equal(yj_host_detect_feed(d, 1100, &a, r, YJ_HOST_SIG__COUNT), 0); /* learning */
    assert_int_equal(yj_host_detect_feed(d, 5000, &a, r, YJ_HOST_SIG__COUNT), 0); /* known */
    a = sudo_ok("bob");
    assert_int_equal(yj_host_detect_feed(d, 1101, &a, r, YJ_HOST_SIG__COUNT), 1);
    assert_int_equal(r[0]->sig, YJ_HOST_SIG_FIRST_SUDO);
    assert_string_equal(r[0]->user, "bob");
    assert_int_equal(yj_host_detect_feed(d, 1102, &a, r, YJ_HOST_SIG__COUNT), 0); /* once */
    a = sudo_ok("carol");
    a.success = false; /* a failed sudo is not a use */
    assert_int_equal(yj_host_detect_feed(d, 2000, &a, r, YJ_HOST_SIG__COUNT), 0);
    a.success = true;
    assert_int_equal(yj_host_detect_feed(d, 2001, &a, r, YJ_HOST_SIG__COUNT), 1);
    yj_host_detect_free(d);

    /* a full accounts table drops and counts */
    c.table_size = 16;
    c.sudo_learn = 0;
    d = yj_host_detect_new(&c);
    char name[16];
    for (int i = 0; i < 17; i++) {
        snprintf(name, sizeof name, "u%d", i);
        a = sudo_ok(name);
        assert_int_equal(yj_host_detect_feed(d, 10 + i, &a, r, YJ_HOST_SIG__COUNT),
                         i == 0 || i == 16 ? 0 : 1);
    }
    assert_int_equal(yj_host_detect_stats(d).users_dropped, 1);
    yj_host_detect_free(d);
}

static size_t req(struct yj_host_detect *d, int64_t ts, const char *ip, const char *url,
                  unsigned status)
{
    struct yj_http h = {.ts = ts, .url = url, .status = status, .hostname = "", .user = "",
                        .method = "GET", .protocol = "HTTP/1.1", .referer = "", .agent = ""};
    snprintf(h.ip, sizeof h.ip, "%s", ip);
    const struct yj_host_alert *r[YJ_HOST_SIG__COUNT];
    return yj_host_detect_http(d, &h, r, YJ_HOST_SIG__COUNT);
}

static void web(void **state)
{
    (void)state;
    struct yj_host_config c;
    yj_host_config_default(&c);
    c.web_not_found = 5;
    struct yj_host_detect *d = yj_host_detect_new(&c);
    /* probes: the third within the window raises, later ones add */
    assert_int_equal(req(d, 1000, "192.0.2.1", "/.env", 404), 0);
    assert_int_equal(req(d, 1001, "192.0.2.1", "/", 200), 0); /* ordinary: not counted */
    assert_int_equal(req(d, 1002, "192.0.2.1", "/wp-login.php", 404), 0);
    assert_int_equal(req(d, 1003, "192.0.2.1", "/phpmyadmin/", 404), 1);
    assert_int_equal(req(d, 1004, "192.0.2.1", "/nothing", 404), 0);
    /* too slow: one second past the window, it restarts */
    assert_int_equal(req(d, 1000, "192.0.2.2", "/.env", 404), 0);
    assert_int_equal(req(d, 1601, "192.0.2.2", "/.git/config", 404), 0);
    assert_int_equal(req(d, 1602, "192.0.2.2", "/admin", 404), 0);
    assert_int_equal(req(d, 1603, "192.0.2.2", "/admin/", 404), 1);
    /* 404s: the fifth raises */
    for (int i = 0; i < 4; i++)
        assert_int_equal(req(d, 2000 + i, "192.0.2.3", "/x", 404), 0);
    assert_int_equal(req(d, 2004, "192.0.2.3", "/x", 404), 1);
    /* injection and traversal: at once, one alert per source within the window */
    assert_int_equal(req(d, 3000, "192.0.2.4", "/?q=1'+or+1=1", 200), 1);
    assert_int_equal(req(d, 3001, "192.0.2.4", "/?q=union+select", 200), 0);
    assert_int_equal(req(d, 3002, "192.0.2.4", "/../../etc/passwd", 404), 1);
    assert_int_equal(req(d, 3001 + 3600, "192.0.2.4", "/?q=sleep(5)", 200), 0);
    assert_int_equal(req(d, 3002 + 7201, "192.0.2.4", "/?q=sleep(5)", 200), 1);
    /* no address: nothing */
    assert_int_equal(req(d, 3000, "", "/?q=sleep(5)", 200), 0);
    size_t n;
    const struct yj_host_alert *al = yj_host_detect_alerts(d, &n);
    assert_int_equal(n, 6);
    assert_int_equal(al[0].sig, YJ_HOST_SIG_WEB_SCAN);
    assert_int_equal(al[0].count, 4);
    assert_int_equal(al[0].first, 1000);
    assert_int_equal(al[0].last, 1004);
    assert_int_equal(al[1].first, 1601);
    assert_int_equal(al[2].count, 5);
    assert_int_equal(al[3].sig, YJ_HOST_SIG_WEB_SQLI);
    assert_int_equal(al[3].count, 3);
    assert_string_equal(al[3].ip, "192.0.2.4");
    assert_int_equal(al[4].sig, YJ_HOST_SIG_WEB_TRAVERSAL);
    char sum[512];
    yj_host_alert_summary(&al[3], YJ_LANG_EN, sum, sizeof sum);
    yj_host_detect_free(d);

    /* a full sources table drops and counts */
    c.table_size = 16;
    d = yj_host_detect_new(&c);
    char ip[32];
    for (int i = 0; i < 17; i++) {
        snprintf(ip, sizeof ip, "192.0.2.%d", i + 1);
        assert_int_equal(req(d, 10, ip, "/?id=sleep(1)", 200), i < 16 ? 1 : 0);
    }
    assert_int_equal(yj_host_detect_stats(d).sources_dropped, 1);
    yj_host_detect_free(d);
}

static void config_file(void **state)
{
    (void)state;
    ut_i18n_real();
    char *dir = ut_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/d.yaml", dir);
    struct yj_host_config c;
    struct yj_diag d;

    char *shipped = ut_src_path("data/host/detect.yaml");
    yj_host_config_default(&c);
    yj_diag_init(&d);
    assert_int_equal(yj_host_config_load(&c, shipped, &d), YJ_ERR_OK);
    struct yj_host_config def;
    yj_host_config_default(&def);
    assert_memory_equal(&c, &def, sizeof c); /* the file states the defaults */
    yj_diag_fini(&d);
    free(shipped);

    ut_write(path, "brute_force: {failures: 16, window: 60}\ntable_size: 1024\n");
    yj_diag_init(&d);
    assert_int_equal(yj_host_config_load(&c, path, &d), YJ_ERR_OK);
    assert_int_equal(c.bf_failures, 16);
    assert_int_equal(c.bf_window, 60);
    assert_int_equal(c.table_size, 1024);
    assert_int_equal(c.spray_users, 5);
    yj_diag_fini(&d);

    ut_write(path, "account_change: {window: 60}\nfirst_sudo: {learn: 0}\n");
    yj_host_config_default(&c);
    yj_diag_init(&d);
    assert_int_equal(yj_host_config_load(&c, path, &d), YJ_ERR_OK);
    assert_int_equal(c.acct_window, 60);
    assert_int_equal(c.sudo_learn, 0);
    yj_diag_fini(&d);

    ut_write(path, "web_scan: {paths: 1, not_found: 100, window: 60}\nweb_attack: {window: 5}\n");
    yj_host_config_default(&c);
    yj_diag_init(&d);
    assert_int_equal(yj_host_config_load(&c, path, &d), YJ_ERR_OK);
    assert_int_equal(c.web_paths, 1);
    assert_int_equal(c.web_not_found, 100);
    assert_int_equal(c.web_window, 60);
    assert_int_equal(c.web_attack_window, 5);
    yj_diag_fini(&d);

    const char *bad[][2] = {
        {"brute_force: {failures: 17}\n", "failures must be"},
        {"brute_force: {failures: 1}\n", "failures must be"},
        {"distributed: {sources: 9}\n", "sources must be"},
        {"compromise: {window: 0}\n", "window must be"},
        {"\n\ntable_size: 1\n", "table_size must be"},
        {"brute_force: [1]\n", NULL},
        {"brute_force: {failures: x}\n", NULL},
        {"nonsense: 1\n", "nonsense"},
        {"- a\n", NULL},
        {"account_change: {window: 0}\n", "window must be"},
        {"account_change: {learn: 5}\n", "learn"},
        {"first_sudo: {learn: -1}\n", "learn must be"},
        {"first_sudo: 3\n", NULL},
        {"web_scan: {paths: 0}\n", "paths must be"},
        {"web_scan: {not_found: 1}\n", "not_found must be"},
        {"web_scan: {window: 86401}\n", "window must be"},
        {"web_attack: {paths: 3}\n", "paths"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ut_write(path, bad[i][0]);
        yj_host_config_default(&c);
        yj_diag_init(&d);
        assert_int_not_equal(yj_host_config_load(&c, path, &d), YJ_ERR_OK);
        assert_true(d.n > 0);
        if (bad[i][1])
            assert_non_null(ut_diag_find_msg(&d, bad[i][1]));
        assert_int_equal(c.bf_failures, 6); /* untouched on failure */
        yj_diag_fini(&d);
    }
    ut_write(path, "\n\ntable_size: 1\n");
    yj_diag_init(&d);
    assert_int_not_equal(yj_host_config_load(&c, path, &d), YJ_ERR_OK);
    assert_non_null(ut_diag_find(&d, 3, "table_size"));
    yj_diag_fini(&d);
    ut_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(brute_force_boundary),
        cmocka_unit_test(brute_force_too_slow),
        cmocka_unit_test(spray_distributed_compromise),
        cmocka_unit_test(spray_many_users),
        cmocka_unit_test(time_goes_backwards),
        cmocka_unit_test(alerts_capped),
        cmocka_unit_test(table_full),
        cmocka_unit_test(config_file),
        cmocka_unit_test(account_changes),
        cmocka_unit_test(first_sudo),
        cmocka_unit_test(web),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
