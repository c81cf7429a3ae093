/* The notification gate: de-duplication within the window, the hourly limit, the count of
 * alerts not sent and its mention in the next message, and the window's renewal; the
 * gate's state saved in the store and loaded by the next run (bounded, expired keys gone). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "notify/notify.h"
#include "ut.h"

static void dedup(void **state)
{
    (void)state;
    struct yj_notify_gate g;
    yj_notify_gate_init(&g, 10);
    uint64_t more = 99;
    assert_int_equal(yj_notify_gate_check(&g, "YJ-HOST-2001|1.2.3.4", 1000, 0, &more),
                     YJ_NOTIFY_SEND);
    assert_int_equal(more, 0);
    for (int i = 0; i < 300; i++)
        assert_int_equal(yj_notify_gate_check(&g, "YJ-HOST-2001|1.2.3.4", 1000 + i, 0, &more),
                         YJ_NOTIFY_DUP);
    assert_true(yj_notify_gate_seen(&g, "YJ-HOST-2001|1.2.3.4", 1000 + YJ_NOTIFY_WINDOW - 1));
    /* Another source or another signature is another message. */
    assert_int_equal(yj_notify_gate_check(&g, "YJ-HOST-2001|5.6.7.8", 1001, 0, &more),
                     YJ_NOTIFY_SEND);
    assert_int_equal(yj_notify_gate_check(&g, "YJ-HOST-2002|1.2.3.4", 1001, 0, &more),
                     YJ_NOTIFY_SEND);
    /* After the window the same alert is news again. */
    assert_false(yj_notify_gate_seen(&g, "YJ-HOST-2001|1.2.3.4", 1000 + YJ_NOTIFY_WINDOW));
    assert_int_equal(yj_notify_gate_check(&g, "YJ-HOST-2001|1.2.3.4", 1000 + YJ_NOTIFY_WINDOW,
                                          0, &more),
                     YJ_NOTIFY_SEND);
    /* A message that reached nobody is forgotten: the next offer sends it. */
    assert_int_equal(yj_notify_gate_check(&g, "YJ-HOST-2009|1.1.1.1", 5000, 0, &more),
                     YJ_NOTIFY_SEND);
    yj_notify_gate_forget(&g, "YJ-HOST-2009|1.1.1.1");
    assert_false(yj_notify_gate_seen(&g, "YJ-HOST-2009|1.1.1.1", 5001));
    assert_int_equal(yj_notify_gate_check(&g, "YJ-HOST-2009|1.1.1.1", 5001, 0, &more),
                     YJ_NOTIFY_SEND);
    yj_notify_gate_fini(&g);
}

static void rate_batch(void **state)
{
    (void)state;
    struct yj_notify_gate g;
    yj_notify_gate_init(&g, 5);
    unsigned sent = 0, limited = 0;
    uint64_t mentioned = 0;
    for (int i = 0; i < 20; i++) {
        char key[32];
        snprintf(key, sizeof key, "k%d", i);
        uint64_t more;
        enum yj_notify_verdict v = yj_notify_gate_check(&g, key, 50, (uint64_t)(19 - i), &more);
        if (v == YJ_NOTIFY_SEND) {
            sent++;
            if (sent < 5)
                assert_int_equal(more, 0);
            else
                mentioned = more;
        } else {
            assert_int_equal(v, YJ_NOTIFY_LIMITED);
            limited++;
        }
    }
    assert_int_equal(sent, 5);
    assert_int_equal(limited, 15);
    assert_int_equal(mentioned, 15);
    /* Already announced: nothing left to mention in the next window. */
    uint64_t more;
    assert_int_equal(yj_notify_gate_check(&g, "next", 50 + YJ_NOTIFY_WINDOW, 0, &more),
                     YJ_NOTIFY_SEND);
    assert_int_equal(more, 0);
    yj_notify_gate_fini(&g);
}

static void rate_carry(void **state)
{
    (void)state;
    struct yj_notify_gate g;
    yj_notify_gate_init(&g, 2);
    uint64_t more;
    /* Alerts arriving one at a time (as `yojin watch` will offer them): no look-ahead. */
    assert_int_equal(yj_notify_gate_check(&g, "a", 0, 0, &more), YJ_NOTIFY_SEND);
    assert_int_equal(yj_notify_gate_check(&g, "b", 10, 0, &more), YJ_NOTIFY_SEND);
    assert_int_equal(more, 0);
    assert_int_equal(yj_notify_gate_check(&g, "c", 20, 0, &more), YJ_NOTIFY_LIMITED);
    assert_int_equal(yj_notify_gate_check(&g, "d", 30, 0, &more), YJ_NOTIFY_LIMITED);
    assert_int_equal(yj_notify_gate_check(&g, "c", 40, 0, &more), YJ_NOTIFY_LIMITED);
    /* The next window's first message says how many were not sent. */
    assert_int_equal(yj_notify_gate_check(&g, "e", YJ_NOTIFY_WINDOW, 0, &more), YJ_NOTIFY_SEND);
    assert_int_equal(more, 3);
    assert_int_equal(yj_notify_gate_check(&g, "c", YJ_NOTIFY_WINDOW + 1, 0, &more),
                     YJ_NOTIFY_SEND);
    assert_int_equal(more, 0);
    yj_notify_gate_fini(&g);
}

static void config_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/yj-notify-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/yojin.yaml", dir);
    struct yj_notify_config c;
    struct yj_diag d;
    /* No file: nothing configured. */
    yj_diag_init(&d);
    assert_int_equal(yj_notify_config_load(&c, dir, &d), YJ_ERR_OK);
    assert_null(c.smtp_url);
    assert_int_equal(c.max_per_hour, 10);
    yj_notify_config_fini(&c);
    yj_diag_fini(&d);

    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("notify:\n  smtp_url: smtp://127.0.0.1:2525\n  mail_from: a@example.jp\n"
          "  mail_to: [b@example.jp, c@example.jp]\n  min_severity: 2\n  max_per_hour: 4\n",
          f);
    fclose(f);
    yj_diag_init(&d);
    assert_int_equal(yj_notify_config_load(&c, dir, &d), YJ_ERR_OK);
    assert_string_equal(c.smtp_url, "smtp://127.0.0.1:2525");
    assert_int_equal(c.nto, 2);
    assert_int_equal(c.min_severity, 2);
    assert_int_equal(c.max_per_hour, 4);
    yj_notify_config_fini(&c);
    yj_diag_fini(&d);

    f = fopen(path, "w");
    assert_non_null(f);
    fputs("notify:\n  webhook_url: http://127.0.0.1:1/\n  min_severity: 7\n", f);
    fclose(f);
    yj_diag_init(&d);
    assert_int_equal(yj_notify_config_load(&c, dir, &d), YJ_ERR_INVALID);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.v[0].line, 3);
    yj_notify_config_fini(&c);
    yj_diag_fini(&d);
    remove(path);
    rmdir(dir);
}

static struct yj_store *open_store(const char *dir)
{
    struct yj_store *st = NULL;
    struct yj_diag d;
    yj_diag_init(&d);
    assert_int_equal(yj_store_open(&st, dir, &yj_notify_schema, 1, &d), YJ_ERR_OK);
    yj_diag_fini(&d);
    return st;
}

static int64_t saved_keys(struct yj_store *st)
{
    struct yj_stmt *s;
    bool row = false;
    assert_int_equal(yj_stmt_prepare(st, "SELECT count(*) FROM notify_sent", &s), YJ_ERR_OK);
    assert_int_equal(yj_stmt_step(s, &row), YJ_ERR_OK);
    int64_t n = yj_col_int(s, 0);
    yj_stmt_free(s);
    return n;
}

/* A restarted process keeps what was sent and how much of the hour's allowance is used. */
static void state_survives_restart(void **state)
{
    (void)state;
    char *dir = ut_tmpdir();
    int64_t t = 100000;
    uint64_t more;
    struct yj_notify_gate g;
    yj_notify_gate_init(&g, 3);
    assert_int_equal(yj_notify_gate_check(&g, "YJ-HOST-2001|1.2.3.4", t, 0, &more),
                     YJ_NOTIFY_SEND);
    assert_int_equal(yj_notify_gate_check(&g, "YJ-HOST-2001|5.6.7.8", t + 10, 0, &more),
                     YJ_NOTIFY_SEND);
    struct yj_store *st = open_store(dir);
    /* Nothing saved yet: loading adds nothing. */
    struct yj_notify_gate fresh;
    yj_notify_gate_init(&fresh, 3);
    assert_int_equal(yj_notify_gate_load(&fresh, st, t), YJ_ERR_OK);
    assert_int_equal(fresh.n, 0);
    assert_true(fresh.window_start == INT64_MIN);
    yj_notify_gate_fini(&fresh);

    assert_int_equal(yj_notify_gate_save(&g, st, t + 20), YJ_ERR_OK);
    yj_notify_gate_fini(&g);
    yj_store_close(st);

    /* The next run, twenty minutes later. */
    st = open_store(dir);
    yj_notify_gate_init(&g, 3);
    assert_int_equal(yj_notify_gate_load(&g, st, t + 1200), YJ_ERR_OK);
    assert_true(yj_notify_gate_seen(&g, "YJ-HOST-2001|1.2.3.4", t + 1200));
    assert_int_equal(yj_notify_gate_check(&g, "YJ-HOST-2001|1.2.3.4", t + 1200, 0, &more),
                     YJ_NOTIFY_DUP);
    /* Two of three sent this hour: one more goes, the next is held. */
    assert_int_equal(yj_notify_gate_check(&g, "YJ-HOST-2002|9.9.9.9", t + 1200, 0, &more),
                     YJ_NOTIFY_SEND);
    assert_int_equal(yj_notify_gate_check(&g, "YJ-HOST-2002|8.8.8.8", t + 1201, 0, &more),
                     YJ_NOTIFY_LIMITED);
    assert_int_equal(yj_notify_gate_save(&g, st, t + 1201), YJ_ERR_OK);
    yj_notify_gate_fini(&g);
    assert_int_equal(saved_keys(st), 3);

    /* After the window the held alert is mentioned, the old keys are gone. */
    yj_notify_gate_init(&g, 3);
    assert_int_equal(yj_notify_gate_load(&g, st, t + YJ_NOTIFY_WINDOW + 30), YJ_ERR_OK);
    assert_false(yj_notify_gate_seen(&g, "YJ-HOST-2001|1.2.3.4", t + YJ_NOTIFY_WINDOW + 30));
    assert_true(yj_notify_gate_seen(&g, "YJ-HOST-2002|9.9.9.9", t + YJ_NOTIFY_WINDOW + 30));
    assert_int_equal(yj_notify_gate_check(&g, "YJ-HOST-2003|x", t + YJ_NOTIFY_WINDOW + 30, 0,
                                          &more),
                     YJ_NOTIFY_SEND);
    assert_int_equal(more, 1);
    assert_int_equal(yj_notify_gate_save(&g, st, t + YJ_NOTIFY_WINDOW + 30), YJ_ERR_OK);
    yj_notify_gate_fini(&g);
    assert_int_equal(saved_keys(st), 2);
    yj_store_close(st);
    ut_rmtree(dir);
    free(dir);
}

/* The table keeps the newest YJ_NOTIFY_KEYS_MAX keys, whatever one run sent. */
static void state_is_bounded(void **state)
{
    (void)state;
    char *dir = ut_tmpdir();
    struct yj_store *st = open_store(dir);
    struct yj_notify_gate g;
    yj_notify_gate_init(&g, 10);
    char key[32];
    for (int i = 0; i < YJ_NOTIFY_KEYS_MAX + 50; i++) {
        snprintf(key, sizeof key, "k%d", i);
        yj_notify_gate_remember(&g, key, 1000 + i);
    }
    assert_int_equal(yj_notify_gate_save(&g, st, 1000 + YJ_NOTIFY_KEYS_MAX + 50), YJ_ERR_OK);
    yj_notify_gate_fini(&g);
    assert_int_equal(saved_keys(st), YJ_NOTIFY_KEYS_MAX);
    yj_notify_gate_init(&g, 10);
    assert_int_equal(yj_notify_gate_load(&g, st, 1000 + YJ_NOTIFY_KEYS_MAX + 50), YJ_ERR_OK);
    assert_int_equal(g.n, YJ_NOTIFY_KEYS_MAX);
    /* The oldest went, the newest stayed. */
    int64_t now = 1000 + YJ_NOTIFY_KEYS_MAX + 50;
    assert_false(yj_notify_gate_seen(&g, "k0", now));
    assert_false(yj_notify_gate_seen(&g, "k49", now));
    assert_true(yj_notify_gate_seen(&g, "k50", now));
    snprintf(key, sizeof key, "k%d", YJ_NOTIFY_KEYS_MAX + 49);
    assert_true(yj_notify_gate_seen(&g, key, now));
    yj_notify_gate_fini(&g);
    yj_store_close(st);
    ut_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dedup),
        cmocka_unit_test(rate_batch),
        cmocka_unit_test(rate_carry),
        cmocka_unit_test(config_file),
        cmocka_unit_test(state_survives_restart),
        cmocka_unit_test(state_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
