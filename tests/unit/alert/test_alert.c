/* alert: recording from events (texts of every language or the event's own), one row per
 * attack (de-duplication by signature, source, account, file and the hour window), list filters,
 * status changes, counts for the dashboard, pruning and the limits of the fields. Each test
 * works on a fresh store in a temporary directory. */
#include "ut.h"

#include <stdlib.h>
#include <string.h>

#include "alert/alert.h"
#include "base/i18n.h"
#include "base/str.h"

struct fx {
    char *dir;
    struct yj_store *s;
    struct yj_diag d;
    struct yj_arena a;
};

static int setup(void **state)
{
    struct fx *f = yj_xcalloc(1, sizeof *f);
    f->dir = ut_tmpdir();
    yj_diag_init(&f->d);
    yj_arena_init(&f->a);
    assert_int_equal(yj_store_open(&f->s, f->dir, &yj_alert_schema, 1, &f->d), YJ_ERR_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    yj_store_close(f->s);
    ut_rmtree(f->dir);
    free(f->dir);
    yj_diag_fini(&f->d);
    yj_arena_fini(&f->a);
    free(f);
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    ut_i18n_real();
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    yj_i18n_fini();
    return 0;
}

#define T0 1764000000 /* 2025-11-24T16:00:00Z */

/* A brute-force alert event with both languages' words. */
static struct yj_event_alert_text words = {
    .name = {"総当たり攻撃", "Password guessing"},
    .summary = {"10.0.0.5 から 12 回", "12 attempts from 10.0.0.5"},
    .advice = {"パスワードを確認", "Check the passwords"},
};

static struct yj_event brute(int64_t ts, const char *ip, const char *user, uint64_t count)
{
    return (struct yj_event){
        .type = YJ_EVENT_ALERT,
        .ts = ts,
        .src_ip = ip,
        .u.alert = {.signature_id = 2001, .signature = "Password guessing", .severity = 2,
                    .category = "brute-force", .user = user, .count = count,
                    .summary = "12 attempts from 10.0.0.5", .advice = "Check the passwords",
                    .playbook = "unauthorized-access", .text = &words,
                    .code = "YJ-HOST-2001"},
    };
}

static int64_t record(struct fx *f, const struct yj_event *ev, bool *is_new)
{
    int64_t id = 0;
    bool n = false;
    assert_int_equal(yj_alert_record(f->s, ev, "logscan", &id, &n, &f->d), YJ_ERR_OK);
    if (is_new)
        *is_new = n;
    return id;
}

static int64_t rows(struct fx *f)
{
    struct yj_alert_filter flt;
    yj_alert_filter_init(&flt);
    struct yj_alert *v;
    size_t n;
    int64_t total = -1;
    assert_int_equal(yj_alert_list(f->s, &flt, &f->a, &v, &n, &total), YJ_ERR_OK);
    assert_int_equal(total, (int64_t)n);
    return total;
}

static void record_and_get(void **state)
{
    struct fx *f = *state;
    struct yj_event ev = brute(T0, "10.0.0.5", "root", 12);
    bool is_new = false;
    int64_t id = record(f, &ev, &is_new);
    assert_true(is_new);
    assert_true(id > 0);

    struct yj_alert a;
    bool found = false;
    assert_int_equal(yj_alert_get(f->s, id, &f->a, &a, &found), YJ_ERR_OK);
    assert_true(found);
    assert_int_equal(a.first_ts, T0);
    assert_int_equal(a.last_ts, T0);
    assert_int_equal(a.signature_id, 2001);
    assert_string_equal(a.code, "YJ-HOST-2001");
    assert_string_equal(a.category, "brute-force");
    assert_int_equal(a.severity, 2);
    assert_string_equal(a.src_ip, "10.0.0.5");
    assert_string_equal(a.dest_ip, "");
    assert_string_equal(a.user, "root");
    assert_int_equal(a.count, 12);
    assert_string_equal(a.name.v[YJ_LANG_JA], "総当たり攻撃");
    assert_string_equal(a.name.v[YJ_LANG_EN], "Password guessing");
    assert_string_equal(a.summary.v[YJ_LANG_JA], "10.0.0.5 から 12 回");
    assert_string_equal(a.summary.v[YJ_LANG_EN], "12 attempts from 10.0.0.5");
    assert_string_equal(a.advice.v[YJ_LANG_JA], "パスワードを確認");
    assert_string_equal(a.advice.v[YJ_LANG_EN], "Check the passwords");
    assert_string_equal(a.playbook, "unauthorized-access");
    assert_string_equal(a.origin, "logscan");
    assert_int_equal(a.status, YJ_ALERT_OPEN);
    assert_string_equal(a.changed_by, "");
    assert_int_equal(a.incident_id, 0);
    /* The EVE line is one line, the event as eve.json has it. */
    assert_non_null(strstr(a.eve, "\"event_type\":\"alert\""));
    assert_non_null(strstr(a.eve, "\"signature_id\":2001"));
    assert_null(strchr(a.eve, '\n'));

    assert_int_equal(yj_alert_get(f->s, id + 100, &f->a, &a, &found), YJ_ERR_OK);
    assert_false(found);
}

static void event_words_when_no_text(void **state)
{
    struct fx *f = *state;
    struct yj_event ev = brute(T0, "10.0.0.5", NULL, 3);
    ev.u.alert.text = NULL;
    ev.u.alert.code = NULL;
    int64_t id = record(f, &ev, NULL);
    struct yj_alert a;
    bool found;
    assert_int_equal(yj_alert_get(f->s, id, &f->a, &a, &found), YJ_ERR_OK);
    for (int l = 0; l < YJ_LANG__COUNT; l++) {
        assert_string_equal(a.name.v[l], "Password guessing");
        assert_string_equal(a.summary.v[l], "12 attempts from 10.0.0.5");
        assert_string_equal(a.advice.v[l], "Check the passwords");
    }
    assert_string_equal(a.user, "");
    assert_string_equal(a.code, "");
}

static void one_attack_one_row(void **state)
{
    struct fx *f = *state;
    bool is_new;
    struct yj_event ev = brute(T0, "10.0.0.5", "root", 12);
    int64_t id = record(f, &ev, &is_new);
    assert_true(is_new);

    /* The same attack seen again (a second logscan of the same file): same row, count kept. */
    int64_t again = record(f, &ev, &is_new);
    assert_false(is_new);
    assert_int_equal(again, id);

    /* Later within the hour, more attempts: the row grows. */
    ev = brute(T0 + 1800, "10.0.0.5", "root", 40);
    words.summary[YJ_LANG_EN] = "40 attempts from 10.0.0.5";
    assert_int_equal(record(f, &ev, &is_new), id);
    words.summary[YJ_LANG_EN] = "12 attempts from 10.0.0.5";
    assert_false(is_new);
    /* An older sighting with a smaller count changes neither the count nor the words. */
    ev = brute(T0 - 600, "10.0.0.5", "root", 5);
    assert_int_equal(record(f, &ev, &is_new), id);
    assert_int_equal(rows(f), 1);

    struct yj_alert a;
    bool found;
    assert_int_equal(yj_alert_get(f->s, id, &f->a, &a, &found), YJ_ERR_OK);
    assert_int_equal(a.count, 40);
    assert_int_equal(a.first_ts, T0 - 600);
    assert_int_equal(a.last_ts, T0 + 1800);
    assert_string_equal(a.summary.v[YJ_LANG_EN], "40 attempts from 10.0.0.5");

    /* Another source, another account, another signature: new rows. */
    ev = brute(T0 + 1800, "10.0.0.6", "root", 12);
    record(f, &ev, &is_new);
    assert_true(is_new);
    ev = brute(T0 + 1800, "10.0.0.5", "admin", 12);
    record(f, &ev, &is_new);
    assert_true(is_new);
    ev = brute(T0 + 1800, "10.0.0.5", "root", 12);
    ev.u.alert.signature_id = 2002;
    record(f, &ev, &is_new);
    assert_true(is_new);
    assert_int_equal(rows(f), 4);

    /* More than an hour after the last sighting: a new attack. */
    ev = brute(T0 + 1800 + YJ_ALERT_DEDUP_WINDOW + 1, "10.0.0.5", "root", 3);
    assert_true(record(f, &ev, &is_new) != id);
    assert_true(is_new);
    /* Exactly an hour is still the same one. */
    ev = brute(T0 + 1800 + YJ_ALERT_DEDUP_WINDOW + 1 + YJ_ALERT_DEDUP_WINDOW, "10.0.0.5",
               "root", 3);
    record(f, &ev, &is_new);
    assert_false(is_new);
    assert_int_equal(rows(f), 5);
}

/* File alerts are about a file: two persistence files are two alerts; the one file-change
 * alert of a check gathers every file, so the next check within the hour is the same row. */
static void file_alerts_by_path(void **state)
{
    struct fx *f = *state;
    struct yj_event_fim cron = {.path = "/etc/cron.d/evil", .change = "added"};
    struct yj_event_fim unit = {.path = "/etc/systemd/system/x.service", .change = "added"};
    struct yj_event ev = {
        .type = YJ_EVENT_ALERT,
        .ts = T0,
        .u.alert = {.signature_id = 2102, .signature = "New start-up entry", .severity = 2,
                    .category = "persistence", .count = 1, .summary = "s", .advice = "a",
                    .playbook = "malware", .fim = &cron, .code = "YJ-HOST-2102"},
    };
    bool is_new;
    int64_t a = record(f, &ev, &is_new);
    assert_true(is_new);
    ev.u.alert.fim = &unit;
    int64_t b = record(f, &ev, &is_new);
    assert_true(is_new);
    assert_true(a != b);
    ev.ts = T0 + 600;
    ev.u.alert.fim = &cron;
    assert_int_equal(record(f, &ev, &is_new), a);
    assert_false(is_new);
    struct yj_alert x;
    bool found;
    assert_int_equal(yj_alert_get(f->s, a, &f->a, &x, &found), YJ_ERR_OK);
    assert_string_equal(x.subject, "/etc/cron.d/evil");
    assert_string_equal(x.src_ip, "");

    ev.u.alert.signature_id = 2101;
    ev.u.alert.category = "file-change";
    ev.u.alert.count = 30;
    int64_t c = record(f, &ev, &is_new);
    assert_true(is_new);
    ev.u.alert.fim = &unit;
    assert_int_equal(record(f, &ev, &is_new), c);
    assert_false(is_new);
    assert_int_equal(yj_alert_get(f->s, c, &f->a, &x, &found), YJ_ERR_OK);
    assert_string_equal(x.subject, "");
    assert_int_equal(x.count, 30);
    assert_int_equal(rows(f), 3);
}

static void closed_alert_is_not_reused(void **state)
{
    struct fx *f = *state;
    struct yj_event ev = brute(T0, "10.0.0.5", "root", 12);
    bool is_new;
    int64_t id = record(f, &ev, &is_new);
    assert_int_equal(yj_alert_set_status(f->s, id, YJ_ALERT_CLOSED, "alice", NULL, T0 + 10, &f->d),
                     YJ_ERR_OK);
    int64_t id2 = record(f, &ev, &is_new);
    assert_true(is_new);
    assert_true(id2 != id);
    /* Acknowledged ones are no longer open either. */
    assert_int_equal(
        yj_alert_set_status(f->s, id2, YJ_ALERT_ACKNOWLEDGED, "alice", NULL, T0 + 10, &f->d),
        YJ_ERR_OK);
    record(f, &ev, &is_new);
    assert_true(is_new);
    assert_int_equal(rows(f), 3);
}

static void list_filters(void **state)
{
    struct fx *f = *state;
    const char *ips[] = {"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"};
    int64_t ids[5];
    for (int i = 0; i < 5; i++) {
        struct yj_event ev = brute(T0 + i * 60, ips[i], "root", 5);
        ev.u.alert.severity = 1 + i % 3; /* 1 2 3 1 2 */
        ids[i] = record(f, &ev, NULL);
    }
    assert_int_equal(yj_alert_set_status(f->s, ids[1], YJ_ALERT_CLOSED, "bob", "false alarm",
                                         T0 + 999, &f->d),
                     YJ_ERR_OK);
    struct yj_alert_filter flt;
    yj_alert_filter_init(&flt);
    struct yj_alert *v;
    size_t n;
    int64_t total;

    /* Newest first. */
    assert_int_equal(yj_alert_list(f->s, &flt, &f->a, &v, &n, &total), YJ_ERR_OK);
    assert_int_equal(n, 5);
    assert_int_equal(v[0].id, ids[4]);
    assert_int_equal(v[4].id, ids[0]);

    flt.status = YJ_ALERT_OPEN;
    assert_int_equal(yj_alert_list(f->s, &flt, &f->a, &v, &n, &total), YJ_ERR_OK);
    assert_int_equal(n, 4);
    for (size_t i = 0; i < n; i++)
        assert_true(v[i].id != ids[1]);

    flt.status = YJ_ALERT_CLOSED;
    assert_int_equal(yj_alert_list(f->s, &flt, &f->a, &v, &n, &total), YJ_ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].note, "false alarm");
    assert_string_equal(v[0].changed_by, "bob");
    assert_int_equal(v[0].changed_ts, T0 + 999);

    flt.status = -1;
    flt.severity = 1;
    assert_int_equal(yj_alert_list(f->s, &flt, &f->a, &v, &n, &total), YJ_ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].id, ids[3]);
    assert_int_equal(v[1].id, ids[0]);

    flt.severity = 0;
    flt.since = T0 + 120;
    assert_int_equal(yj_alert_list(f->s, &flt, &f->a, &v, &n, &total), YJ_ERR_OK);
    assert_int_equal(n, 3);

    /* Pages: total counts them all. */
    flt.since = 0;
    flt.limit = 2;
    flt.offset = 2;
    assert_int_equal(yj_alert_list(f->s, &flt, &f->a, &v, &n, &total), YJ_ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(total, 5);
    assert_int_equal(v[0].id, ids[2]);
    assert_int_equal(v[1].id, ids[1]);
    flt.offset = 4;
    assert_int_equal(yj_alert_list(f->s, &flt, &f->a, &v, &n, NULL), YJ_ERR_OK);
    assert_int_equal(n, 1);
    flt.offset = 5;
    assert_int_equal(yj_alert_list(f->s, &flt, &f->a, &v, &n, NULL), YJ_ERR_OK);
    assert_int_equal(n, 0);
}

static void status_changes(void **state)
{
    struct fx *f = *state;
    struct yj_event ev = brute(T0, "10.0.0.5", "root", 12);
    int64_t id = record(f, &ev, NULL);
    struct yj_alert a;
    bool found;

    assert_int_equal(yj_alert_set_status(f->s, id, YJ_ALERT_ACKNOWLEDGED, "alice",
                                         "looking into it", T0 + 60, &f->d),
                     YJ_ERR_OK);
    assert_int_equal(yj_alert_get(f->s, id, &f->a, &a, &found), YJ_ERR_OK);
    assert_int_equal(a.status, YJ_ALERT_ACKNOWLEDGED);
    assert_string_equal(a.changed_by, "alice");
    assert_int_equal(a.changed_ts, T0 + 60);
    assert_string_equal(a.note, "looking into it");

    /* No note keeps the note. */
    assert_int_equal(yj_alert_set_status(f->s, id, YJ_ALERT_CLOSED, "bob", NULL, T0 + 120, &f->d),
                     YJ_ERR_OK);
    assert_int_equal(yj_alert_get(f->s, id, &f->a, &a, &found), YJ_ERR_OK);
    assert_int_equal(a.status, YJ_ALERT_CLOSED);
    assert_string_equal(a.changed_by, "bob");
    assert_string_equal(a.note, "looking into it");

    assert_int_equal(yj_alert_set_status(f->s, id, YJ_ALERT_OPEN, "alice", "again", T0 + 180,
                                         &f->d),
                     YJ_ERR_OK);
    assert_int_equal(yj_alert_get(f->s, id, &f->a, &a, &found), YJ_ERR_OK);
    assert_int_equal(a.status, YJ_ALERT_OPEN);
    assert_string_equal(a.note, "again");

    assert_int_equal(yj_alert_set_status(f->s, id + 1, YJ_ALERT_CLOSED, "bob", NULL, T0, &f->d),
                     YJ_ERR_NOTFOUND);

    /* Limits and bad text. */
    char *long_note = ut_repeat("x", YJ_ALERT_NOTE_MAX + 1);
    assert_int_equal(yj_alert_set_status(f->s, id, YJ_ALERT_CLOSED, "bob", long_note, T0, &f->d),
                     YJ_ERR_LIMIT);
    assert_non_null(ut_diag_find_msg(&f->d, "note is too long"));
    long_note[YJ_ALERT_NOTE_MAX] = '\0';
    assert_int_equal(yj_alert_set_status(f->s, id, YJ_ALERT_CLOSED, "bob", long_note, T0, &f->d),
                     YJ_ERR_OK);
    free(long_note);
    assert_int_equal(yj_alert_set_status(f->s, id, YJ_ALERT_CLOSED, "bob", "a\001b", T0, &f->d),
                     YJ_ERR_INVALID);
    assert_int_equal(yj_alert_set_status(f->s, id, YJ_ALERT_CLOSED, "b\nob", NULL, T0, &f->d),
                     YJ_ERR_INVALID);

    assert_int_equal(yj_alert_set_incident(f->s, id, 7), YJ_ERR_OK);
    assert_int_equal(yj_alert_get(f->s, id, &f->a, &a, &found), YJ_ERR_OK);
    assert_int_equal(a.incident_id, 7);
    assert_int_equal(yj_alert_set_incident(f->s, id + 1, 7), YJ_ERR_NOTFOUND);

    assert_int_equal(yj_alert_status_parse("acknowledged"), YJ_ALERT_ACKNOWLEDGED);
    assert_int_equal(yj_alert_status_parse("gone"), -1);
    assert_int_equal(yj_alert_status_parse(NULL), -1);
    assert_string_equal(yj_alert_status_code(YJ_ALERT_CLOSED), "closed");
}

static void counts_and_prune(void **state)
{
    struct fx *f = *state;
    const char *ips[] = {"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"};
    int sev[] = {1, 2, 2, 3};
    int64_t ids[4];
    for (int i = 0; i < 4; i++) {
        struct yj_event ev = brute(T0, ips[i], "root", 5);
        ev.u.alert.severity = sev[i];
        ids[i] = record(f, &ev, NULL);
    }
    struct yj_alert_counts c;
    assert_int_equal(yj_alert_count_open(f->s, &c), YJ_ERR_OK);
    assert_int_equal(c.open, 4);
    assert_int_equal(c.by_severity[1], 1);
    assert_int_equal(c.by_severity[2], 2);
    assert_int_equal(c.by_severity[3], 1);

    int64_t day = 86400;
    assert_int_equal(yj_alert_set_status(f->s, ids[1], YJ_ALERT_CLOSED, "a", NULL, T0, &f->d),
                     YJ_ERR_OK);
    assert_int_equal(
        yj_alert_set_status(f->s, ids[2], YJ_ALERT_CLOSED, "a", NULL, T0 + 20 * day, &f->d),
        YJ_ERR_OK);
    assert_int_equal(
        yj_alert_set_status(f->s, ids[3], YJ_ALERT_ACKNOWLEDGED, "a", NULL, T0, &f->d),
        YJ_ERR_OK);
    assert_int_equal(yj_alert_count_open(f->s, &c), YJ_ERR_OK);
    assert_int_equal(c.open, 1);
    assert_int_equal(c.by_severity[1], 1);
    assert_int_equal(c.by_severity[2], 0);

    /* Closed more than 30 days before T0 + 40 days: only the one closed at T0. */
    int64_t removed = -1;
    assert_int_equal(yj_alert_prune(f->s, T0 + 40 * day, 30, &removed), YJ_ERR_OK);
    assert_int_equal(removed, 1);
    assert_int_equal(rows(f), 3);
    struct yj_alert a;
    bool found;
    assert_int_equal(yj_alert_get(f->s, ids[1], &f->a, &a, &found), YJ_ERR_OK);
    assert_false(found);
    /* Open and acknowledged alerts are never pruned. */
    assert_int_equal(yj_alert_prune(f->s, T0 + 400 * day, 30, &removed), YJ_ERR_OK);
    assert_int_equal(removed, 1);
    assert_int_equal(rows(f), 2);
}

static void bad_input(void **state)
{
    struct fx *f = *state;
    struct yj_event ev = {.type = YJ_EVENT_AUTH, .ts = T0};
    assert_int_equal(yj_alert_record(f->s, &ev, "logscan", NULL, NULL, &f->d), YJ_ERR_INVALID);

    ev = brute(T0, "10.0.0.5", "root", 1);
    ev.u.alert.severity = 0;
    assert_int_equal(yj_alert_record(f->s, &ev, "logscan", NULL, NULL, &f->d), YJ_ERR_INVALID);
    ev.u.alert.severity = 4;
    assert_int_equal(yj_alert_record(f->s, &ev, "logscan", NULL, NULL, &f->d), YJ_ERR_INVALID);

    /* Outside text is kept readable, never refused: a user name at the limit is kept, a
     * longer one is cut, control characters and stray bytes become U+FFFD. */
    char *user = ut_repeat("u", 256);
    ev = brute(T0, "10.0.0.5", user, 1);
    int64_t id = 0;
    struct yj_alert a;
    bool found, is_new;
    assert_int_equal(yj_alert_record(f->s, &ev, "logscan", &id, NULL, &f->d), YJ_ERR_OK);
    assert_int_equal(yj_alert_get(f->s, id, &f->a, &a, &found), YJ_ERR_OK);
    assert_string_equal(a.user, user);
    free(user);
    user = ut_repeat("v", 300);
    ev = brute(T0, "10.0.0.5", user, 1);
    assert_int_equal(yj_alert_record(f->s, &ev, "logscan", &id, NULL, &f->d), YJ_ERR_OK);
    assert_int_equal(yj_alert_get(f->s, id, &f->a, &a, &found), YJ_ERR_OK);
    assert_int_equal(strlen(a.user), 256);
    free(user);
    ev = brute(T0, "10.0.0.5", "ro\033ot", 1);
    assert_int_equal(yj_alert_record(f->s, &ev, "logscan", &id, NULL, &f->d), YJ_ERR_OK);
    assert_int_equal(yj_alert_get(f->s, id, &f->a, &a, &found), YJ_ERR_OK);
    assert_string_equal(a.user, "ro\xEF\xBF\xBDot");
    /* A cron file whose name has a byte that is not UTF-8 and a line break. */
    struct yj_event_fim odd = {.path = "/etc/cron.d/ev\xFFil\nx", .change = "added"};
    ev = (struct yj_event){
        .type = YJ_EVENT_ALERT,
        .ts = T0,
        .u.alert = {.signature_id = 2102, .signature = "n", .severity = 2,
                    .category = "persistence", .count = 1, .summary = "s \xC3", .advice = "a",
                    .playbook = "malware", .fim = &odd},
    };
    assert_int_equal(yj_alert_record(f->s, &ev, "fim", &id, &is_new, &f->d), YJ_ERR_OK);
    assert_true(is_new);
    assert_int_equal(yj_alert_get(f->s, id, &f->a, &a, &found), YJ_ERR_OK);
    assert_string_equal(a.subject, "/etc/cron.d/ev\xEF\xBF\xBDil\xEF\xBF\xBDx");
    assert_string_equal(a.summary.v[YJ_LANG_EN], "s \xEF\xBF\xBD");
    /* Its EVE line is JSON with the bytes replaced, whole. */
    assert_non_null(strstr(a.eve, "\"event_type\":\"alert\""));
    /* A multi-byte character is never cut in half. */
    char *ja = ut_repeat("\xE3\x81\x82", 100); /* 300 bytes of あ */
    ev = brute(T0, "10.0.0.6", ja, 1);
    assert_int_equal(yj_alert_record(f->s, &ev, "logscan", &id, NULL, &f->d), YJ_ERR_OK);
    assert_int_equal(yj_alert_get(f->s, id, &f->a, &a, &found), YJ_ERR_OK);
    assert_int_equal(strlen(a.user), 255);
    free(ja);
    assert_int_equal(rows(f), 5);

    /* A put with a dest_ip and without an EVE line (the network sensor's way). */
    struct yj_alert_in in;
    ev = brute(T0, "10.0.0.9", NULL, 2);
    yj_alert_in_from_event(&in, &ev, "pcap");
    in.dest_ip = "192.168.1.10";
    in.ev = NULL;
    in.first_ts = T0 - 300;
    assert_int_equal(yj_alert_put(f->s, &in, &id, &is_new, &f->d), YJ_ERR_OK);
    assert_true(is_new);
    assert_int_equal(yj_alert_get(f->s, id, &f->a, &a, &found), YJ_ERR_OK);
    assert_string_equal(a.dest_ip, "192.168.1.10");
    assert_string_equal(a.origin, "pcap");
    assert_string_equal(a.eve, "");
    assert_int_equal(a.first_ts, T0 - 300);
    assert_int_equal(a.last_ts, T0);
    /* A first time after the sighting means nothing. */
    in.src_ip = "10.0.0.10";
    in.first_ts = T0 + 300;
    assert_int_equal(yj_alert_put(f->s, &in, &id, &is_new, &f->d), YJ_ERR_OK);
    assert_int_equal(yj_alert_get(f->s, id, &f->a, &a, &found), YJ_ERR_OK);
    assert_int_equal(a.first_ts, T0);
}

/* A database made before file alerts had their own column (migration 1 only) is upgraded:
 * its alerts stay, new ones are told apart by file. */
static void upgrade_from_v1(void **state)
{
    struct fx *f = *state;
    yj_store_close(f->s);
    f->s = NULL;
    char *dir = ut_tmpdir();
    struct yj_schema v1 = {"alert", yj_alert_schema.v, 1};
    assert_int_equal(yj_store_open(&f->s, dir, &v1, 1, &f->d), YJ_ERR_OK);
    struct yj_stmt *st;
    assert_int_equal(yj_stmt_prepare(f->s,
                                     "INSERT INTO alert(first_ts, last_ts, signature_id, severity,"
                                     " src_ip, user, count) VALUES(1, 2, 2001, 2, '10.0.0.5',"
                                     " 'root', 7)",
                                     &st),
                     YJ_ERR_OK);
    assert_int_equal(yj_stmt_run(st), YJ_ERR_OK);
    yj_stmt_free(st);
    yj_store_close(f->s);
    assert_int_equal(yj_store_open(&f->s, dir, &yj_alert_schema, 1, &f->d), YJ_ERR_OK);
    int v = 0;
    assert_int_equal(yj_store_version(f->s, "alert", &v), YJ_ERR_OK);
    assert_int_equal(v, (int)yj_alert_schema.n); /* every migration ran */
    struct yj_alert a;
    bool found;
    assert_int_equal(yj_alert_get(f->s, 1, &f->a, &a, &found), YJ_ERR_OK);
    assert_true(found);
    assert_int_equal(a.count, 7);
    assert_string_equal(a.subject, "");
    struct yj_event_fim one = {.path = "/etc/cron.d/a", .change = "added"};
    struct yj_event_fim two = {.path = "/etc/cron.d/b", .change = "added"};
    struct yj_event ev = {
        .type = YJ_EVENT_ALERT,
        .ts = T0,
        .u.alert = {.signature_id = 2102, .severity = 2, .category = "persistence",
                    .count = 1, .summary = "s", .advice = "a", .playbook = "malware",
                    .fim = &one},
    };
    bool is_new;
    record(f, &ev, &is_new);
    assert_true(is_new);
    ev.u.alert.fim = &two;
    record(f, &ev, &is_new);
    assert_true(is_new);
    assert_int_equal(rows(f), 3);
    yj_store_close(f->s);
    f->s = NULL;
    ut_rmtree(dir);
    free(dir);
}

/* Random bytes as account, file name and summary: whatever comes in, what is stored is
 * text within its limits (a deterministic generator, so a failure repeats). */
static void random_bytes_stored_as_text(void **state)
{
    struct fx *f = *state;
    uint32_t x = 12345;
    for (int round = 0; round < 200; round++) {
        char user[400], path[600], sum[300];
        char *bufs[] = {user, path, sum};
        size_t lens[] = {sizeof user, sizeof path, sizeof sum};
        for (size_t b = 0; b < 3; b++) {
            x = x * 1103515245u + 12345u;
            size_t n = (x >> 8) % lens[b];
            for (size_t i = 0; i < n; i++) {
                x = x * 1103515245u + 12345u;
                bufs[b][i] = (char)(1 + (x >> 16) % 255); /* any byte but NUL */
            }
            bufs[b][n] = '\0';
        }
        struct yj_event_fim fim = {.path = path, .change = "added"};
        struct yj_event_alert_text t = {.name = {"n", "n"}, .summary = {sum, sum},
                                        .advice = {"a", "a"}};
        struct yj_event ev = brute(T0 + round * 7200, "10.0.0.5", user, 1);
        ev.u.alert.category = "persistence";
        ev.u.alert.fim = &fim;
        ev.u.alert.text = &t;
        int64_t id = 0;
        assert_int_equal(yj_alert_record(f->s, &ev, "fim", &id, NULL, &f->d), YJ_ERR_OK);
        struct yj_alert a;
        bool found;
        assert_int_equal(yj_alert_get(f->s, id, &f->a, &a, &found), YJ_ERR_OK);
        assert_true(found);
        assert_true(strlen(a.user) <= 256 && yj_str_is_text(yj_str_c(a.user)));
        assert_true(yj_str_is_text(yj_str_c(a.subject)));
        assert_true(yj_str_is_text_nl(yj_str_c(a.summary.v[YJ_LANG_JA])));
        assert_true(yj_str_is_text_nl(yj_str_c(a.eve)));
    }
    assert_int_equal(rows(f), 200);
}

/* The monitor's heartbeat: absent, written, updated in place. */
static void monitor_heartbeat(void **state)
{
    struct fx *f = *state;
    struct yj_monitor_status m;
    bool found = true;
    assert_int_equal(yj_monitor_get(f->s, "watch", &m, &found), YJ_ERR_OK);
    assert_false(found);
    struct yj_monitor_status w = {.name = "watch", .started = 100, .heartbeat = 110, .pid = 7,
                                  .sources = "logs: /var/log/auth.log", .events = 3};
    assert_int_equal(yj_monitor_beat(f->s, &w), YJ_ERR_OK);
    w.heartbeat = 120;
    w.stopped = true;
    assert_int_equal(yj_monitor_beat(f->s, &w), YJ_ERR_OK);
    assert_int_equal(yj_monitor_get(f->s, "watch", &m, &found), YJ_ERR_OK);
    assert_true(found);
    assert_int_equal(m.started, 100);
    assert_int_equal(m.heartbeat, 120);
    assert_true(m.stopped);
    assert_string_equal(m.sources, "logs: /var/log/auth.log");
}

/* What a monitor watches, in words: kinds grouped in a fixed order, values joined. */
static void monitor_sources_in_words(void **state)
{
    (void)state;
    ut_i18n_real();
    struct yj_buf b;
    yj_buf_init(&b, 4096);
    yj_monitor_sources_text("log:/var/log/a\nfiles\nlog:/var/log/b\njournal\nnet:eth0\n",
                            YJ_LANG_EN, &b);
    assert_string_equal(b.p, "logs: /var/log/a, /var/log/b; the systemd journal; system files; "
                             "network: eth0");
    yj_buf_reset(&b);
    yj_monitor_sources_text("files\ndir:/srv/share", YJ_LANG_JA, &b);
    assert_string_equal(b.p, "データフォルダー: /srv/share; システムのファイル");
    yj_buf_fini(&b);
    yj_i18n_fini();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(record_and_get, setup, teardown),
        cmocka_unit_test_setup_teardown(event_words_when_no_text, setup, teardown),
        cmocka_unit_test_setup_teardown(one_attack_one_row, setup, teardown),
        cmocka_unit_test_setup_teardown(file_alerts_by_path, setup, teardown),
        cmocka_unit_test_setup_teardown(closed_alert_is_not_reused, setup, teardown),
        cmocka_unit_test_setup_teardown(list_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(status_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(counts_and_prune, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(random_bytes_stored_as_text, setup, teardown),
        cmocka_unit_test_setup_teardown(upgrade_from_v1, setup, teardown),
        cmocka_unit_test_setup_teardown(monitor_heartbeat, setup, teardown),
        cmocka_unit_test(monitor_sources_in_words),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
