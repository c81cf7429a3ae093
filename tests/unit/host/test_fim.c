/* File integrity without a disk: the field comparison, the merge of two sorted lists
 * (added, removed, modified, unreadable folders hiding their entries, vanished entries),
 * the classification of changes into signatures, the alert gathering and the events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "host/host.h"
#include "ut.h"

static struct yj_fim_entry file(const char *path, const char *content)
{
    struct yj_fim_entry e = {.path = path, .type = YJ_FIM_FILE, .meta = true, .hashed = true,
                             .size = strlen(content), .mode = 0644, .mtime_ns = 1000};
    memset(e.sha, 0, sizeof e.sha);
    memcpy(e.sha, content, strlen(content) < sizeof e.sha ? strlen(content) : sizeof e.sha);
    return e;
}

static struct yj_fim_entry dir(const char *path)
{
    return (struct yj_fim_entry){.path = path, .type = YJ_FIM_DIR, .meta = true, .size = 4096,
                                 .mode = 0755, .mtime_ns = 1000};
}

static struct yj_fim_entry link_to(const char *path, const char *target)
{
    return (struct yj_fim_entry){.path = path, .type = YJ_FIM_SYMLINK, .meta = true,
                                 .target = target, .size = strlen(target), .mode = 0777,
                                 .mtime_ns = 1000};
}

static void diff_fields(void **state)
{
    (void)state;
    struct yj_fim_entry a = file("/x", "abc"), b = a;
    assert_int_equal(yj_fim_diff(&a, &b), 0);
    b = file("/x", "abd"); /* same size, same mtime: only the hash differs */
    assert_int_equal(yj_fim_diff(&a, &b), YJ_FIM_F_CONTENT);
    b = a;
    b.mode = 04755;
    assert_int_equal(yj_fim_diff(&a, &b), YJ_FIM_F_MODE);
    b = a;
    b.gid = 5;
    assert_int_equal(yj_fim_diff(&a, &b), YJ_FIM_F_OWNER);
    b = a;
    b.mtime_ns++;
    b.size++;
    assert_int_equal(yj_fim_diff(&a, &b), YJ_FIM_F_SIZE | YJ_FIM_F_MTIME);
    /* Unknown content on one side is not a change. */
    b = file("/x", "zzz");
    b.hashed = false;
    assert_int_equal(yj_fim_diff(&a, &b), 0);
    /* No metadata (stat failed): only type and content can be compared. */
    b = file("/x", "abc");
    b.meta = false;
    b.mode = 0;
    assert_int_equal(yj_fim_diff(&a, &b), 0);
    /* File -> directory. */
    b = dir("/x");
    assert_true(yj_fim_diff(&a, &b) & YJ_FIM_F_TYPE);
    /* A directory's size is not compared. */
    struct yj_fim_entry d1 = dir("/d"), d2 = dir("/d");
    d2.size = 8192;
    assert_int_equal(yj_fim_diff(&d1, &d2), 0);
    /* Symlink retargeted. */
    struct yj_fim_entry l1 = link_to("/l", "a"), l2 = link_to("/l", "b");
    assert_int_equal(yj_fim_diff(&l1, &l2), YJ_FIM_F_TARGET);
}

static void field_names(void **state)
{
    (void)state;
    const char *n[YJ_FIM_NFIELDS];
    assert_int_equal(yj_fim_field_names(0, n), 0);
    assert_int_equal(yj_fim_field_names(YJ_FIM_F_MTIME | YJ_FIM_F_CONTENT | YJ_FIM_F_OWNER, n),
                     3);
    assert_string_equal(n[0], "content");
    assert_string_equal(n[1], "owner");
    assert_string_equal(n[2], "mtime");
    assert_int_equal(yj_fim_field_names(0x7f, n), YJ_FIM_NFIELDS);
    assert_string_equal(n[5], "target");
}

struct seen {
    char line[32][96];
    size_t n;
};

static void record(void *ctx, const struct yj_fim_change *c)
{
    struct seen *s = ctx;
    const struct yj_fim_entry *e = c->cur ? c->cur : c->old;
    assert_true(s->n < 32);
    snprintf(s->line[s->n++], sizeof s->line[0], "%s %s %x", yj_fim_change_name(c->kind),
             e->path, c->fields);
}

static void compare_merge(void **state)
{
    (void)state;
    struct yj_fim_entry base[] = {
        dir("/r"), file("/r/a", "1"), file("/r/b", "2"), file("/r/c", "3"), dir("/r/d"),
        file("/r/d/x", "4"),
    };
    struct yj_fim_entry cur[] = {
        dir("/r"), file("/r/a", "1"), file("/r/a2", "new"), file("/r/c", "changed"),
        dir("/r/d"), file("/r/d/x", "4"), file("/r/z", "z"),
    };
    struct seen s = {0};
    yj_fim_compare(base, 6, cur, 7, record, &s);
    assert_int_equal(s.n, 4);
    assert_string_equal(s.line[0], "added /r/a2 0");
    assert_string_equal(s.line[1], "removed /r/b 0");
    assert_string_equal(s.line[2], "modified /r/c 3"); /* content | size */
    assert_string_equal(s.line[3], "added /r/z 0");
    /* Both empty; only one side. */
    memset(&s, 0, sizeof s);
    yj_fim_compare(NULL, 0, NULL, 0, record, &s);
    assert_int_equal(s.n, 0);
    yj_fim_compare(base, 2, NULL, 0, record, &s);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.line[1], "removed /r/a 0");
}

static void compare_unreadable_and_vanished(void **state)
{
    (void)state;
    struct yj_fim_entry base[] = {
        dir("/r"), dir("/r/closed"), file("/r/closed/in", "1"), file("/r/closed.txt", "2"),
        file("/r/v", "3"),
    };
    struct yj_fim_entry closed = dir("/r/closed");
    closed.status = YJ_FIM_UNREADABLE;
    struct yj_fim_entry v = file("/r/v", "");
    v.status = YJ_FIM_VANISHED;
    v.hashed = false;
    struct yj_fim_entry cur[] = {dir("/r"), closed, v};
    struct seen s = {0};
    yj_fim_compare(base, 5, cur, 3, record, &s);
    /* /r/closed/in could not be seen: not removed; /r/closed.txt (a sibling that sorts
     * between) is really gone. */
    assert_int_equal(s.n, 3);
    assert_string_equal(s.line[0], "unreadable /r/closed 0");
    assert_string_equal(s.line[1], "removed /r/closed.txt 0");
    assert_string_equal(s.line[2], "vanished /r/v 0");
}

static enum yj_host_sig classify(enum yj_fim_change_kind k, struct yj_fim_entry *old,
                                 struct yj_fim_entry *cur)
{
    struct yj_fim_change c = {k, old && cur ? yj_fim_diff(old, cur) : 0, old, cur};
    return yj_fim_classify(&c);
}

static void classification(void **state)
{
    (void)state;
    struct yj_fim_entry e = file("/srv/data/report.xlsx", "x");
    assert_int_equal(classify(YJ_FIM_ADDED, NULL, &e), YJ_HOST_SIG_FIM_CHANGE);
    struct yj_fim_entry passwd = file("/etc/passwd", "x");
    assert_int_equal(classify(YJ_FIM_REMOVED, &passwd, NULL), YJ_HOST_SIG_FIM_ACCOUNT);
    const char *acct[] = {"/etc/shadow", "/etc/group", "/etc/sudoers", "/etc/sudoers.d/x",
                          "/var/lib/lxc/c1/rootfs/etc/passwd"};
    for (size_t i = 0; i < sizeof acct / sizeof acct[0]; i++) {
        struct yj_fim_entry a = file(acct[i], "x");
        assert_int_equal(classify(YJ_FIM_ADDED, NULL, &a), YJ_HOST_SIG_FIM_ACCOUNT);
    }
    struct yj_fim_entry notacct = file("/etc/passwd-", "x");
    assert_int_equal(classify(YJ_FIM_ADDED, NULL, &notacct), YJ_HOST_SIG_FIM_CHANGE);
    const char *pers[] = {"/etc/crontab", "/etc/cron.d/job", "/etc/cron.daily/x",
                          "/var/spool/cron/crontabs/root", "/etc/systemd/system/x.service",
                          "/usr/lib/systemd/system/y.service", "/lib/systemd/system/z.timer",
                          "/etc/profile", "/etc/profile.d/x.sh", "/etc/bash.bashrc",
                          "/etc/ld.so.preload", "/etc/rc.local", "/etc/xdg/autostart/a.desktop",
                          "/etc/systemd/user/u.service", "/home/a/.bashrc", "/root/.profile",
                          "/home/a/.config/autostart/x.desktop",
                          "/home/a/.config/systemd/user/x.service", "/etc/init.d/x"};
    for (size_t i = 0; i < sizeof pers / sizeof pers[0]; i++) {
        struct yj_fim_entry a = file(pers[i], "x");
        assert_int_equal(classify(YJ_FIM_ADDED, NULL, &a), YJ_HOST_SIG_FIM_PERSISTENCE);
    }
    /* Look-alikes elsewhere are ordinary. */
    const char *plain[] = {"/srv/share/.bashrc", "/etc/profile.bak", "/etc/profile.d",
                           "/home/a/.config/autostart", "/home/a/notes/profile"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        struct yj_fim_entry a = file(plain[i], "x");
        assert_int_equal(classify(YJ_FIM_ADDED, NULL, &a), YJ_HOST_SIG_FIM_CHANGE);
    }
    /* The folder itself (its mtime follows every file added) is an ordinary change. */
    struct yj_fim_entry cd1 = dir("/etc/cron.d"), cd2 = dir("/etc/cron.d");
    cd2.mtime_ns = 5;
    assert_int_equal(classify(YJ_FIM_MODIFIED, &cd1, &cd2), YJ_HOST_SIG_FIM_CHANGE);
    struct yj_fim_entry k1 = file("/home/a/.ssh/authorized_keys", "1"),
                        k2 = file("/home/a/.ssh/authorized_keys", "2");
    assert_int_equal(classify(YJ_FIM_MODIFIED, &k1, &k2), YJ_HOST_SIG_FIM_AUTH_KEYS);
    /* Set-user-ID: new, or gained; an existing set-user-ID file updated is ordinary. */
    struct yj_fim_entry s1 = file("/usr/bin/x", "1"), s2 = file("/usr/bin/x", "1");
    s2.mode = 04755;
    assert_int_equal(classify(YJ_FIM_MODIFIED, &s1, &s2), YJ_HOST_SIG_FIM_SETID);
    assert_int_equal(classify(YJ_FIM_ADDED, NULL, &s2), YJ_HOST_SIG_FIM_SETID);
    struct yj_fim_entry s3 = file("/usr/bin/x", "2");
    s3.mode = 04755;
    assert_int_equal(classify(YJ_FIM_MODIFIED, &s2, &s3), YJ_HOST_SIG_FIM_CHANGE);
    struct yj_fim_entry g = dir("/tmp/sgid-dir");
    g.mode = 02775; /* a set-group-ID directory is no program */
    assert_int_equal(classify(YJ_FIM_ADDED, NULL, &g), YJ_HOST_SIG_FIM_CHANGE);
    /* Unreadable and vanished raise nothing. */
    assert_int_equal(classify(YJ_FIM_CH_UNREADABLE, NULL, &e), YJ_HOST_SIG__COUNT);
    assert_int_equal(classify(YJ_FIM_CH_VANISHED, NULL, &e), YJ_HOST_SIG__COUNT);
    /* Every fim signature is in DESIGN's vocabulary with a playbook. */
    for (int s = YJ_HOST_SIG_FIM_CHANGE; s <= YJ_HOST_SIG_FIM_ACCOUNT; s++) {
        const struct yj_host_sig_info *si = yj_host_sig_info((enum yj_host_sig)s);
        assert_true(strcmp(si->category, "file-change") == 0 ||
                    strcmp(si->category, "persistence") == 0 ||
                    strcmp(si->category, "account-change") == 0);
        assert_true(strcmp(si->playbook, "malware") == 0 ||
                    strcmp(si->playbook, "unauthorized-access") == 0);
    }
}

static void alerts_gather(void **state)
{
    (void)state;
    struct yj_fim_alerts a;
    yj_fim_alerts_init(&a);
    struct yj_fim_entry f1 = file("/srv/1", "1"), f2 = file("/srv/2", "2"),
                        p = file("/etc/passwd", "x"), c = file("/etc/cron.d/j", "x");
    struct yj_fim_change ch[] = {
        {YJ_FIM_ADDED, 0, NULL, &f1}, {YJ_FIM_ADDED, 0, NULL, &f2},
        {YJ_FIM_ADDED, 0, NULL, &p},  {YJ_FIM_ADDED, 0, NULL, &c},
        {YJ_FIM_CH_VANISHED, 0, NULL, &f1},
    };
    const struct yj_fim_alert *r = yj_fim_alerts_add(&a, &ch[0]);
    assert_non_null(r);
    assert_int_equal(r->count, 1);
    r = yj_fim_alerts_add(&a, &ch[1]);
    assert_int_equal(r->count, 2); /* gathered */
    assert_string_equal(r->path, "/srv/1");
    assert_non_null(yj_fim_alerts_add(&a, &ch[2]));
    assert_non_null(yj_fim_alerts_add(&a, &ch[3]));
    assert_null(yj_fim_alerts_add(&a, &ch[4]));
    assert_int_equal(a.n, 3);
    char text[512];
    yj_fim_alert_summary(&a.v[0], YJ_LANG_EN, text, sizeof text);
    assert_non_null(strstr(text, "/srv/1"));
    /* The alert's event carries the file change as its "fim" context. */
    struct yj_event_fim fim = {.path = "/etc/passwd", .change = "added", .type = "file"};
    struct yj_event ev;
    yj_fim_alert_event(&a.v[1], YJ_LANG_EN, "s", &fim, 1795136400, &ev);
    struct yj_buf b;
    yj_buf_init(&b, 1 << 16);
    yj_eve_write(&b, &ev);
    assert_non_null(strstr(yj_buf_cstr(&b), "\"signature_id\":2105"));
    assert_non_null(strstr(yj_buf_cstr(&b), "\"category\":\"account-change\""));
    assert_non_null(
        strstr(yj_buf_cstr(&b), "\"fim\":{\"path\":\"/etc/passwd\",\"change\":\"added\""));
    /* A change event lists its fields. */
    struct yj_fim_entry o = file("/x", "a"), n = file("/x", "b");
    n.mode = 0600;
    struct yj_fim_change m = {YJ_FIM_MODIFIED, yj_fim_diff(&o, &n), &o, &n};
    const char *names[YJ_FIM_NFIELDS];
    yj_fim_change_event(&m, 1795136400, names, &ev);
    yj_buf_reset(&b);
    yj_eve_write(&b, &ev);
    assert_string_equal(yj_buf_cstr(&b),
                        "{\"timestamp\":\"2026-11-20T01:00:00Z\",\"event_type\":\"fim\","
                        "\"fim\":{\"path\":\"/x\",\"change\":\"modified\",\"type\":\"file\","
                        "\"fields\":[\"content\",\"mode\"]}}\n");
    yj_buf_fini(&b);
    yj_fim_alerts_fini(&a);
}

static void normalize(void **state)
{
    (void)state;
    struct yj_arena ar;
    yj_arena_init(&ar);
    const char *r[] = {"/srv//data/", "/srv/data/sub", "/srv/data", "/srvx", "/"};
    size_t n = yj_fim_normalize_roots(&ar, r, 4);
    assert_int_equal(n, 2);
    assert_string_equal(r[0], "/srv/data");
    assert_string_equal(r[1], "/srvx");
    const char *all[] = {"/etc", "/"};
    assert_int_equal(yj_fim_normalize_roots(&ar, all, 2), 1);
    assert_string_equal(all[0], "/");
    yj_arena_fini(&ar);
}

int main(void)
{
    ut_i18n_real();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(diff_fields),
        cmocka_unit_test(field_names),
        cmocka_unit_test(compare_merge),
        cmocka_unit_test(compare_unreadable_and_vanished),
        cmocka_unit_test(classification),
        cmocka_unit_test(alerts_gather),
        cmocka_unit_test(normalize),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
