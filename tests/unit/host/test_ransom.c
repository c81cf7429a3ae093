/* The ransomware detector without a disk: entropy, the shipped name lists, bursts of
 * encrypted-looking files (one alert each), normal editing that stays quiet, ransom notes,
 * renames to ransomware extensions, attribution to a process or its parent, the thresholds
 * and their file, and the live-monitoring signatures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host.h"
#include "ut.h"

static struct yj_ransom_rules rules;
static struct yj_host_config cfg;

static int setup(void **state)
{
    (void)state;
    yj_ransom_rules_init(&rules);
    char *p = ut_src_path("data/host/ransomware.yaml");
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_ransom_rules_load(&rules, p, &d);
    ut_diag_dump(&d);
    yj_diag_fini(&d);
    free(p);
    yj_host_config_default(&cfg);
    return err == YJ_ERR_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    yj_ransom_rules_fini(&rules);
    return 0;
}

#define HIGH 7.95 /* a 4 KiB sample of ciphertext */
#define TEXT 4.6  /* Japanese or English text */

static const struct yj_ransom_burst *feed(struct yj_ransom *d, int64_t ts, unsigned root,
                                          const char *path, enum yj_ransom_op op, int pid,
                                          int ppid, double entropy)
{
    struct yj_ransom_obs o = {ts, root, path, op, pid, ppid, entropy};
    return yj_ransom_feed(d, &o);
}

static void entropy(void **state)
{
    (void)state;
    unsigned char buf[4096];
    memset(buf, 'a', sizeof buf);
    assert_true(yj_entropy(buf, sizeof buf) < 0.01);
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)i; /* every byte value equally often */
    assert_true(yj_entropy(buf, sizeof buf) > 7.99);
    const char *text = "Minutes of the meeting: the budget for next year was approved. ";
    assert_true(yj_entropy((const unsigned char *)text, strlen(text)) < 5.0);
    assert_true(yj_entropy(buf, 0) == 0);
}

static void names(void **state)
{
    (void)state;
    assert_true(yj_ransom_ext(&rules, "/srv/share/report.xlsx.LOCKBIT"));
    assert_true(yj_ransom_ext(&rules, "/srv/a.docx.wncry"));
    assert_false(yj_ransom_ext(&rules, "/srv/backup.tar.enc"));
    assert_false(yj_ransom_ext(&rules, "/srv/.locky")); /* the whole name is no extension */
    assert_true(yj_ransom_note(&rules, "/srv/share/HOW_TO_DECRYPT.txt"));
    assert_true(yj_ransom_note(&rules, "/srv/share/Restore-My-Files.txt"));
    assert_true(yj_ransom_note(&rules, "/srv/x/_readme.txt"));
    assert_false(yj_ransom_note(&rules, "/srv/x/README.md"));
    assert_true(yj_ransom_ignored(&rules, "/srv/repo/.git/objects/ab/cdef"));
    assert_false(yj_ransom_ignored(&rules, "/srv/repo/.git"));
    assert_false(yj_ransom_ignored(&rules, "/srv/repo/x.git/objects"));
    assert_true(yj_ransom_packed(&rules, "/srv/photo.JPG"));
    assert_false(yj_ransom_packed(&rules, "/srv/minutes.txt"));
}

/* 200 documents encrypted by one process: one alert, at the 20th file, naming it. */
static void burst_one_alert(void **state)
{
    (void)state;
    struct yj_ransom *d = yj_ransom_new(&cfg, &rules, 2);
    char path[64];
    unsigned alerts = 0;
    int at = -1;
    for (int i = 0; i < 200; i++) {
        snprintf(path, sizeof path, "/srv/share/doc%03d.txt.enc", i);
        const struct yj_ransom_burst *b =
            feed(d, 1000 + i / 50, 0, path, YJ_RANSOM_WRITE, 4242, 100, HIGH);
        snprintf(path, sizeof path, "/srv/share/doc%03d.txt", i);
        assert_null(feed(d, 1000 + i / 50, 0, path, YJ_RANSOM_DELETE, 4242, 100, -1));
        if (b) {
            alerts++;
            at = i;
            assert_int_equal(b->root, 0);
            assert_int_equal(b->pid, 4242);
            assert_false(b->parent);
            assert_int_equal(b->files, cfg.ransom_files);
            assert_int_equal(b->deletes, cfg.ransom_files - 1);
            assert_string_equal(b->example, "/srv/share/doc019.txt.enc");
            assert_string_equal(b->note, "");
        }
    }
    assert_int_equal(alerts, 1);
    assert_int_equal(at, (int)cfg.ransom_files - 1);
    assert_true(yj_ransom_active(d, 0));
    assert_false(yj_ransom_active(d, 1));
    /* Quiet for a whole window: the burst ends, a new one would be a new alert. */
    yj_ransom_tick(d, 1003 + cfg.ransom_window);
    assert_false(yj_ransom_active(d, 0));
    struct yj_ransom_stats st = yj_ransom_stats(d);
    assert_int_equal(st.bursts, 1);
    assert_int_equal(st.suspicious, 200);
    yj_ransom_free(d);
}

/* Each file written by its own short-lived process (a script running a tool per file):
 * the parent is named. */
static void burst_parent(void **state)
{
    (void)state;
    struct yj_ransom *d = yj_ransom_new(&cfg, &rules, 1);
    char path[64];
    const struct yj_ransom_burst *b = NULL;
    for (int i = 0; i < 50 && !b; i++) {
        snprintf(path, sizeof path, "/data/f%d.csv", i);
        b = feed(d, 50, 0, path, YJ_RANSOM_WRITE, 5000 + i, 777, HIGH);
    }
    assert_non_null(b);
    assert_int_equal(b->pid, 777);
    assert_true(b->parent);
    yj_ransom_free(d);
}

/* Without a process (inotify alone) the folder's window still raises, with pid 0. */
static void burst_no_pid(void **state)
{
    (void)state;
    struct yj_ransom *d = yj_ransom_new(&cfg, &rules, 1);
    char path[64];
    const struct yj_ransom_burst *b = NULL;
    int i = 0;
    for (; i < 50 && !b; i++) {
        snprintf(path, sizeof path, "/data/f%d.odt.x", i);
        b = feed(d, 50, 0, path, YJ_RANSOM_WRITE, 0, 0, HIGH);
    }
    assert_non_null(b);
    assert_int_equal(b->pid, 0);
    assert_int_equal(i, (int)cfg.ransom_files);
    yj_ransom_free(d);
}

/* A handful of text files saved again and again, new documents, a copied folder of text
 * files, photos and office files: never an alert. */
static void normal_editing(void **state)
{
    (void)state;
    struct yj_ransom *d = yj_ransom_new(&cfg, &rules, 1);
    char path[64];
    for (int t = 0; t < 600; t++) {
        snprintf(path, sizeof path, "/home/a/notes%d.txt", t % 5);
        assert_null(feed(d, 1000 + t / 10, 0, path, YJ_RANSOM_WRITE, 300, 1, TEXT));
        snprintf(path, sizeof path, "/home/a/.notes%d.txt.swp", t % 5);
        assert_null(feed(d, 1000 + t / 10, 0, path, YJ_RANSOM_CREATE, 300, 1, 2.0));
        assert_null(feed(d, 1000 + t / 10, 0, path, YJ_RANSOM_DELETE, 300, 1, -1));
    }
    for (int i = 0; i < 500; i++) { /* cp -r of a folder of text and photos */
        snprintf(path, sizeof path, "/home/a/copy/file%d.txt", i);
        assert_null(feed(d, 2000, 0, path, YJ_RANSOM_WRITE, 301, 1, TEXT));
        snprintf(path, sizeof path, "/home/a/copy/IMG_%04d.JPG", i);
        assert_null(feed(d, 2000, 0, path, YJ_RANSOM_WRITE, 301, 1, 7.97));
        snprintf(path, sizeof path, "/home/a/copy/sheet%d.xlsx", i);
        assert_null(feed(d, 2000, 0, path, YJ_RANSOM_WRITE, 301, 1, 7.9));
    }
    /* A file too short to sample says nothing. */
    for (int i = 0; i < 100; i++) {
        snprintf(path, sizeof path, "/home/a/tiny%d", i);
        assert_null(feed(d, 2001, 0, path, YJ_RANSOM_WRITE, 302, 1, -1));
    }
    /* A repository cloned into the share: compressed objects without an extension. */
    for (int i = 0; i < 300; i++) {
        char obj[96];
        snprintf(obj, sizeof obj, "/home/a/repo/.git/objects/%02x/%038d", i % 256, i);
        assert_null(feed(d, 2002, 0, obj, YJ_RANSOM_WRITE, 304, 1, 7.7));
    }
    /* One encrypted file saved over and over (a password safe) counts once per window. */
    for (int t = 0; t < 200; t++)
        assert_null(feed(d, 3000 + t / 40, 0, "/home/a/vault.bin", YJ_RANSOM_WRITE, 303, 1,
                         HIGH));
    assert_int_equal(yj_ransom_stats(d).bursts, 0);
    yj_ransom_free(d);
}

/* A packed format (docx) that was plain before and is now ciphertext counts; one that was
 * already high does not. */
static void entropy_rising(void **state)
{
    (void)state;
    struct yj_ransom *d = yj_ransom_new(&cfg, &rules, 1);
    char path[64];
    for (int i = 0; i < 40; i++) {
        snprintf(path, sizeof path, "/srv/w/r%d.docx", i);
        assert_null(feed(d, 100, 0, path, YJ_RANSOM_WRITE, 9, 1, 7.9)); /* ordinary */
    }
    assert_int_equal(yj_ransom_stats(d).suspicious, 0);
    const struct yj_ransom_burst *b = NULL;
    for (int i = 0; i < 40 && !b; i++) {
        snprintf(path, sizeof path, "/srv/w/plain%d.pdf", i);
        assert_null(feed(d, 200, 0, path, YJ_RANSOM_WRITE, 9, 1, 3.0)); /* first seen low */
    }
    for (int i = 0; i < 40 && !b; i++) {
        snprintf(path, sizeof path, "/srv/w/plain%d.pdf", i);
        b = feed(d, 201, 0, path, YJ_RANSOM_WRITE, 9, 1, HIGH);
    }
    assert_non_null(b);
    assert_int_equal(b->files, cfg.ransom_files);
    yj_ransom_free(d);
}

/* Renames to a ransomware extension count without any entropy. */
static void rename_burst(void **state)
{
    (void)state;
    struct yj_ransom *d = yj_ransom_new(&cfg, &rules, 3);
    char path[64];
    const struct yj_ransom_burst *b = NULL;
    int i = 0;
    for (; i < 100 && !b; i++) {
        snprintf(path, sizeof path, "/srv/p/photo%d.jpg.akira", i);
        b = feed(d, 10, 2, path, YJ_RANSOM_RENAME, 0, 0, -1);
    }
    assert_non_null(b);
    assert_int_equal(b->root, 2);
    assert_int_equal(i, (int)cfg.ransom_files);
    /* Ordinary renames (photos given dates) do not. */
    struct yj_ransom *q = yj_ransom_new(&cfg, &rules, 1);
    for (i = 0; i < 300; i++) {
        snprintf(path, sizeof path, "/srv/p/2026-11-%03d.jpg", i);
        assert_null(feed(q, 10, 0, path, YJ_RANSOM_RENAME, 0, 0, 7.98));
    }
    yj_ransom_free(q);
    yj_ransom_free(d);
}

/* Notes in two folders raise at once; one note alone does not, one note with a quarter
 * of the files does. */
static void ransom_notes(void **state)
{
    (void)state;
    struct yj_ransom *d = yj_ransom_new(&cfg, &rules, 1);
    assert_null(feed(d, 5, 0, "/srv/a/HOW_TO_DECRYPT.txt", YJ_RANSOM_WRITE, 0, 0, TEXT));
    const struct yj_ransom_burst *b =
        feed(d, 6, 0, "/srv/b/HOW_TO_DECRYPT.txt", YJ_RANSOM_WRITE, 0, 0, TEXT);
    assert_non_null(b);
    assert_string_equal(b->note, "/srv/b/HOW_TO_DECRYPT.txt");
    yj_ransom_free(d);

    d = yj_ransom_new(&cfg, &rules, 1);
    assert_null(feed(d, 5, 0, "/srv/a/_readme.txt", YJ_RANSOM_WRITE, 0, 0, TEXT));
    /* The same folder again is still one folder; a window later it is forgotten. */
    assert_null(feed(d, 6, 0, "/srv/a/_readme.txt", YJ_RANSOM_WRITE, 0, 0, TEXT));
    assert_null(feed(d, 100, 0, "/srv/c/_readme.txt", YJ_RANSOM_WRITE, 0, 0, TEXT));
    char path[64];
    b = NULL;
    int i = 0;
    for (; i < 20 && !b; i++) {
        snprintf(path, sizeof path, "/srv/c/x%d.bin", i);
        b = feed(d, 101, 0, path, YJ_RANSOM_WRITE, 0, 0, HIGH);
    }
    assert_non_null(b);
    assert_int_equal(i * 4, (int)cfg.ransom_files);
    yj_ransom_free(d);
}

/* One process spread over many folders: its own window raises even though no folder
 * reaches the threshold. */
static void per_process(void **state)
{
    (void)state;
    struct yj_ransom *d = yj_ransom_new(&cfg, &rules, 10);
    char path[64];
    const struct yj_ransom_burst *b = NULL;
    int i = 0;
    for (; i < 100 && !b; i++) {
        snprintf(path, sizeof path, "/srv/r%d/f%d.txt.zz", i % 10, i);
        b = feed(d, 7, (unsigned)(i % 10), path, YJ_RANSOM_WRITE, 31337, 1, HIGH);
    }
    assert_non_null(b);
    assert_int_equal(i, (int)cfg.ransom_files);
    assert_int_equal(b->pid, 31337);
    /* Files spread out in time, fewer than the threshold per window: nothing. */
    struct yj_ransom *q = yj_ransom_new(&cfg, &rules, 1);
    for (i = 0; i < 200; i++) {
        snprintf(path, sizeof path, "/srv/slow/f%d.txt.zz", i);
        assert_null(feed(q, (int64_t)i * cfg.ransom_window / 10, 0, path, YJ_RANSOM_WRITE, 5,
                         1, HIGH));
        yj_ransom_tick(q, (int64_t)i * cfg.ransom_window / 10);
    }
    yj_ransom_free(q);
    yj_ransom_free(d);
}

/* Thresholds come from detect.yaml; the shipped one loads; bad values are reported. */
static void thresholds(void **state)
{
    (void)state;
    struct yj_host_config c;
    yj_host_config_default(&c);
    char *p = ut_src_path("data/host/detect.yaml");
    struct yj_diag d;
    yj_diag_init(&d);
    assert_int_equal(yj_host_config_load(&c, p, &d), YJ_ERR_OK);
    free(p);
    assert_int_equal(c.ransom_files, 20);
    assert_int_equal(c.ransom_window, 10);
    assert_true(c.ransom_entropy > 7.4 && c.ransom_entropy < 7.6);
    char *dir = ut_tmpdir(), file[512];
    snprintf(file, sizeof file, "%s/d.yaml", dir);
    ut_write(file, "ransomware: {files: 5, window: 30, entropy: 7.2}\n");
    assert_int_equal(yj_host_config_load(&c, file, &d), YJ_ERR_OK);
    assert_int_equal(c.ransom_files, 5);
    assert_int_equal(c.ransom_window, 30);
    assert_true(c.ransom_entropy > 7.19 && c.ransom_entropy < 7.21);
    assert_int_equal(c.ransom_notes, 2);
    /* A lower threshold raises sooner. */
    struct yj_ransom *r = yj_ransom_new(&c, &rules, 1);
    const struct yj_ransom_burst *b = NULL;
    int i = 0;
    for (; i < 20 && !b; i++) {
        char path[64];
        snprintf(path, sizeof path, "/x/f%d", i);
        b = feed(r, 1, 0, path, YJ_RANSOM_WRITE, 0, 0, 7.3);
    }
    assert_int_equal(i, 5);
    yj_ransom_free(r);
    ut_write(file, "ransomware: {files: 5, entropy: 9}\n");
    assert_int_equal(yj_host_config_load(&c, file, &d), YJ_ERR_INVALID);
    ut_assert_diag(&d, 1, "entropy");
    yj_diag_fini(&d);
    yj_diag_init(&d);
    ut_write(file, "ransomware: {files: 1}\n");
    assert_int_equal(yj_host_config_load(&c, file, &d), YJ_ERR_INVALID);
    yj_diag_fini(&d);
    yj_diag_init(&d);
    ut_write(file, "ransomware: {speed: 1}\n");
    assert_int_equal(yj_host_config_load(&c, file, &d), YJ_ERR_INVALID);
    yj_diag_fini(&d);
    /* A names file without its lists is refused with its line. */
    yj_diag_init(&d);
    ut_write(file, "source: x\nas_of: \"2026\"\nextensions: [.a]\nnotes: [x]\n");
    struct yj_ransom_rules bad;
    yj_ransom_rules_init(&bad);
    assert_int_equal(yj_ransom_rules_load(&bad, file, &d), YJ_ERR_INVALID);
    assert_non_null(ut_diag_find_msg(&d, "packed"));
    yj_ransom_rules_fini(&bad);
    yj_diag_fini(&d);
    ut_rmtree(dir);
    free(dir);
}

/* The new signatures: stable ids after the file-integrity rows, the ransomware playbook. */
static void signatures(void **state)
{
    (void)state;
    const struct yj_host_sig_info *si = yj_host_sig_info(YJ_HOST_SIG_RANSOMWARE);
    assert_int_equal(si->id, 2106);
    assert_int_equal(si->severity, 1);
    assert_string_equal(si->category, "ransomware");
    assert_string_equal(si->playbook, "ransomware");
    assert_int_equal(yj_host_sig_info(YJ_HOST_SIG_FSMON_OVERFLOW)->id, 2107);
    assert_int_equal(yj_host_sig_info(YJ_HOST_SIG_FSMON_LIMIT)->id, 2108);
    for (int l = 0; l < YJ_LANG__COUNT; l++)
        assert_string_not_equal(yj_tl((enum yj_lang)l, si->advice_id), si->advice_id);
}

int main(void)
{
    ut_i18n_real();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(entropy),
        cmocka_unit_test(names),
        cmocka_unit_test(burst_one_alert),
        cmocka_unit_test(burst_parent),
        cmocka_unit_test(burst_no_pid),
        cmocka_unit_test(normal_editing),
        cmocka_unit_test(entropy_rising),
        cmocka_unit_test(rename_burst),
        cmocka_unit_test(ransom_notes),
        cmocka_unit_test(per_process),
        cmocka_unit_test(thresholds),
        cmocka_unit_test(signatures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
