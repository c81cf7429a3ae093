/* evidence: the archive writer, a collection limited to a folder of our own, and
 * verification of archives crafted entry by entry with libarchive (intact, changed, missing,
 * added, unsafe names, links, folders, duplicates, a damaged manifest, no manifest). */
#include "ut.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/i18n.h"
#include "evidence/evidence_int.h"

static int setup(void **state)
{
    ut_i18n_real();
    *state = ut_tmpdir();
    return 0;
}

static int teardown(void **state)
{
    ut_rmtree(*state);
    free(*state);
    yj_i18n_fini();
    return 0;
}

static char *join(const char *dir, const char *name)
{
    char *p = NULL;
    if (asprintf(&p, "%s/%s", dir, name) < 0)
        yj_oom();
    return p;
}

static size_t count_files(const char *dir)
{
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(dp);
    return n;
}

static char *hex(const char *s)
{
    uint8_t d[YJ_SHA256_LEN];
    yj_sha256(s, strlen(s), d);
    char *h = yj_xmalloc(YJ_SHA256_HEX);
    yj_sha256_hex(d, h);
    return h;
}

/* ---- crafting archives ----------------------------------------------------------------- */

enum kind { REG, DIRECTORY, SYMLINK, HARDLINK };

struct ent {
    const char *name;
    const char *data; /* REG: content; links: target */
    enum kind kind;
};

static void craft(const char *path, const struct ent *v, size_t n, bool gzip)
{
    struct archive *a = archive_write_new();
    if (gzip)
        archive_write_add_filter_gzip(a);
    archive_write_set_format_pax_restricted(a);
    assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_copy_pathname(e, v[i].name);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_mtime(e, 1700000000, 0);
        size_t len = 0;
        switch (v[i].kind) {
        case REG:
            len = strlen(v[i].data);
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_size(e, (la_int64_t)len);
            break;
        case DIRECTORY: archive_entry_set_filetype(e, AE_IFDIR); break;
        case SYMLINK:
            archive_entry_set_filetype(e, AE_IFLNK);
            archive_entry_copy_symlink(e, v[i].data);
            break;
        case HARDLINK:
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_copy_hardlink(e, v[i].data);
            break;
        }
        assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
        if (len)
            assert_int_equal(archive_write_data(a, v[i].data, len), (la_ssize_t)len);
        archive_entry_free(e);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
}

#define A_TXT "alpha\n"
#define B_TXT "beta\n"

/* "T/a.txt", "T/sub/b.txt" and a manifest for both. */
static char *manifest_ab(void)
{
    char *ha = hex(A_TXT), *hb = hex(B_TXT), *m = NULL;
    if (asprintf(&m, "%s  a.txt\n%s  sub/b.txt\n", ha, hb) < 0)
        yj_oom();
    free(ha);
    free(hb);
    return m;
}

static bool has_problem(const struct yj_evidence_check *c, enum yj_ev_problem k,
                        const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].kind == k && (!name || strcmp(c->v[i].name, name) == 0))
            return true;
    return false;
}

static void dump(const struct yj_evidence_check *c)
{
    for (size_t i = 0; i < c->n; i++)
        print_error("  %s %s %u %s\n", yj_ev_problem_code(c->v[i].kind), c->v[i].name,
                    c->v[i].line, c->v[i].msg ? c->v[i].msg : "");
}

/* Crafts, verifies, and checks for exactly one problem of kind k about name. */
static void expect_one(const char *dir, const struct ent *v, size_t n, enum yj_ev_problem k,
                       const char *name)
{
    char *path = join(dir, "crafted.tar.gz");
    unlink(path);
    craft(path, v, n, true);
    struct yj_evidence_check c;
    yj_evidence_check_init(&c);
    struct yj_diag d;
    yj_diag_init(&d);
    assert_int_equal(yj_evidence_verify(path, &c, &d), YJ_ERR_OK);
    if (c.ok || c.n != 1 || !has_problem(&c, k, name)) {
        print_error("expected one %s about %s, got:\n", yj_ev_problem_code(k), name);
        dump(&c);
        fail();
    }
    yj_diag_fini(&d);
    yj_evidence_check_fini(&c);
    free(path);
}

static void verify_crafted(void **state)
{
    const char *dir = *state;
    char *m = manifest_ab();
    char *hb = hex(B_TXT);
    char *bad_hash_m = NULL, *bad_line_m = NULL;
    if (asprintf(&bad_hash_m, "%s  a.txt\n%s  sub/b.txt\n", hb, hb) < 0 ||
        asprintf(&bad_line_m, "%sjunk\n", m) < 0)
        yj_oom();
#define OK_SET {"T/a.txt", A_TXT, REG}, {"T/sub/b.txt", B_TXT, REG}
#define MAN {"T/manifest.sha256", m, REG}

    /* Intact, with folder entries (ignored), compressed or not. */
    struct ent good[] = {{"T/", NULL, DIRECTORY}, {"T/sub/", NULL, DIRECTORY}, OK_SET, MAN};
    char *path = join(dir, "good.tar.gz");
    craft(path, good, 5, true);
    struct yj_evidence_check c;
    yj_evidence_check_init(&c);
    struct yj_diag d;
    yj_diag_init(&d);
    assert_int_equal(yj_evidence_verify(path, &c, &d), YJ_ERR_OK);
    if (!c.ok)
        dump(&c);
    assert_true(c.ok);
    assert_string_equal(c.top, "T");
    assert_int_equal(c.entries, 3);
    assert_int_equal(c.listed, 2);
    assert_int_equal(strlen(c.sha256), 64);
    yj_evidence_check_fini(&c);
    char *plain = join(dir, "good.tar");
    craft(plain, good, 5, false);
    yj_evidence_check_init(&c);
    assert_int_equal(yj_evidence_verify(plain, &c, &d), YJ_ERR_OK);
    assert_true(c.ok);
    yj_evidence_check_fini(&c);
    assert_int_equal(d.n, 0);

    struct ent changed[] = {{"T/a.txt", "alpha!\n", REG}, {"T/sub/b.txt", B_TXT, REG}, MAN};
    expect_one(dir, changed, 3, YJ_EV_PROBLEM_MISMATCH, "a.txt");
    struct ent missing[] = {{"T/a.txt", A_TXT, REG}, MAN};
    expect_one(dir, missing, 2, YJ_EV_PROBLEM_MISSING, "sub/b.txt");
    struct ent extra[] = {OK_SET, {"T/new.sh", "evil\n", REG}, MAN};
    expect_one(dir, extra, 4, YJ_EV_PROBLEM_EXTRA, "new.sh");
    struct ent after[] = {OK_SET, MAN, {"T/late.txt", "after the manifest\n", REG}};
    expect_one(dir, after, 4, YJ_EV_PROBLEM_EXTRA, "late.txt");
    struct ent dotdot[] = {OK_SET, MAN, {"../x", "escape\n", REG}};
    expect_one(dir, dotdot, 4, YJ_EV_PROBLEM_UNSAFE_NAME, "../x");
    struct ent inner[] = {OK_SET, MAN, {"T/sub/../../x", "escape\n", REG}};
    expect_one(dir, inner, 4, YJ_EV_PROBLEM_UNSAFE_NAME, "T/sub/../../x");
    struct ent absolute[] = {OK_SET, MAN, {"/etc/cron.d/x", "escape\n", REG}};
    expect_one(dir, absolute, 4, YJ_EV_PROBLEM_UNSAFE_NAME, "/etc/cron.d/x");
    struct ent control[] = {OK_SET, MAN, {"T/a\x1b[2Jb", "x", REG}};
    expect_one(dir, control, 4, YJ_EV_PROBLEM_UNSAFE_NAME, "T/a?[2Jb");
    struct ent outside[] = {OK_SET, MAN, {"U/x", "x", REG}};
    expect_one(dir, outside, 4, YJ_EV_PROBLEM_OUTSIDE, "U/x");
    struct ent loose[] = {OK_SET, MAN, {"loose.txt", "x", REG}};
    expect_one(dir, loose, 4, YJ_EV_PROBLEM_OUTSIDE, "loose.txt");
    struct ent sym[] = {OK_SET, MAN, {"T/link", "/etc/shadow", SYMLINK}};
    expect_one(dir, sym, 4, YJ_EV_PROBLEM_NOT_FILE, "link");
    struct ent hard[] = {OK_SET, MAN, {"T/hard", "T/a.txt", HARDLINK}};
    expect_one(dir, hard, 4, YJ_EV_PROBLEM_NOT_FILE, "hard");
    struct ent dup[] = {OK_SET, {"T/a.txt", A_TXT, REG}, MAN};
    expect_one(dir, dup, 4, YJ_EV_PROBLEM_DUPLICATE, "a.txt");
    struct ent two_man[] = {OK_SET, MAN, MAN};
    expect_one(dir, two_man, 4, YJ_EV_PROBLEM_DUPLICATE, "manifest.sha256");
    struct ent no_man[] = {OK_SET};
    expect_one(dir, no_man, 2, YJ_EV_PROBLEM_NO_MANIFEST, "manifest.sha256");
    struct ent empty_tar[] = {{"T/", NULL, DIRECTORY}};
    expect_one(dir, empty_tar, 1, YJ_EV_PROBLEM_NO_MANIFEST, "manifest.sha256");
    /* A changed hash in the manifest is a mismatch too. */
    struct ent man_hash[] = {OK_SET, {"T/manifest.sha256", bad_hash_m, REG}};
    expect_one(dir, man_hash, 3, YJ_EV_PROBLEM_MISMATCH, "a.txt");
    /* A bad manifest line: reported with its number, nothing compared. */
    struct ent man_line[] = {OK_SET, {"T/manifest.sha256", bad_line_m, REG}};
    expect_one(dir, man_line, 3, YJ_EV_PROBLEM_MANIFEST, "manifest.sha256");

    yj_diag_fini(&d);
    free(plain);
    free(path);
    free(bad_line_m);
    free(bad_hash_m);
    free(hb);
    free(m);
#undef OK_SET
#undef MAN
}

static void verify_errors(void **state)
{
    const char *dir = *state;
    struct yj_evidence_check c;
    struct yj_diag d;
    yj_diag_init(&d);
    /* Not an archive. */
    char *text = join(dir, "notes.txt");
    ut_write(text, "this is not an archive\n");
    yj_evidence_check_init(&c);
    assert_int_equal(yj_evidence_verify(text, &c, &d), YJ_ERR_PARSE);
    assert_false(c.ok);
    ut_assert_diag(&d, 0, "not a yojin evidence archive");
    yj_evidence_check_fini(&c);
    /* Empty file, missing file, a folder. */
    char *empty = join(dir, "empty");
    ut_write(empty, "");
    yj_evidence_check_init(&c);
    assert_int_equal(yj_evidence_verify(empty, &c, &d), YJ_ERR_PARSE);
    yj_evidence_check_fini(&c);
    char *missing = join(dir, "missing.tar.gz");
    yj_evidence_check_init(&c);
    assert_int_equal(yj_evidence_verify(missing, &c, &d), YJ_ERR_NOTFOUND);
    yj_evidence_check_fini(&c);
    yj_evidence_check_init(&c);
    assert_int_equal(yj_evidence_verify(dir, &c, &d), YJ_ERR_INVALID);
    yj_evidence_check_fini(&c);
    /* A truncated archive is damaged, not intact. */
    char *m = manifest_ab();
    char *big = ut_repeat("0123456789abcdef", 40000); /* does not compress to nothing */
    for (size_t i = 0; big[i]; i++)
        big[i] = (char)('a' + (i * 7919 + i / 13) % 26);
    struct ent v[] = {{"T/a.txt", A_TXT, REG}, {"T/big", big, REG}, {"T/manifest.sha256", m, REG}};
    char *path = join(dir, "cut.tar.gz");
    craft(path, v, 3, true);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(truncate(path, st.st_size / 2), 0);
    yj_evidence_check_init(&c);
    assert_int_equal(yj_evidence_verify(path, &c, &d), YJ_ERR_PARSE);
    assert_false(c.ok);
    yj_evidence_check_fini(&c);
    yj_diag_fini(&d);
    free(path);
    free(big);
    free(m);
    free(missing);
    free(empty);
    free(text);
}

/* ---- the writer ------------------------------------------------------------------------ */

static void writer_round_trip(void **state)
{
    const char *dir = *state;
    char *path = join(dir, "w.tar.gz");
    struct yj_ev_writer w;
    struct yj_diag d;
    yj_diag_init(&d);
    assert_int_equal(yj_ev_writer_open(&w, path, "top", 1700000000, &d), YJ_ERR_OK);
    char h[YJ_SHA256_HEX];
    assert_int_equal(yj_ev_writer_add(&w, "a/one.txt", "1\n", 2, h, &d), YJ_ERR_OK);
    char *want = hex("1\n");
    assert_string_equal(h, want);
    free(want);
    assert_int_equal(yj_ev_writer_add(&w, "empty", "", 0, h, &d), YJ_ERR_OK);
    /* Names the manifest could not hold, or that would escape, are refused. */
    assert_int_equal(yj_ev_writer_add(&w, "../x", "x", 1, h, &d), YJ_ERR_INVALID);
    assert_int_equal(yj_ev_writer_add(&w, "a\nb", "x", 1, h, &d), YJ_ERR_INVALID);
    assert_int_equal(yj_ev_writer_add(&w, "manifest.sha256", "x", 1, h, &d), YJ_ERR_INVALID);
    assert_int_equal(access(path, F_OK), -1); /* nothing under the final name yet */
    uint64_t size = 0;
    assert_int_equal(yj_ev_writer_finish(&w, h, &size, &d), YJ_ERR_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal((uint64_t)st.st_size, size);
    uint8_t sum[YJ_SHA256_LEN];
    char fh[YJ_SHA256_HEX];
    assert_int_equal(yj_sha256_file(path, 0, sum, NULL, NULL), YJ_ERR_OK);
    yj_sha256_hex(sum, fh);
    assert_string_equal(fh, h); /* hashed while written == hashed from disk */
    assert_int_equal(count_files(dir), 1);
    struct yj_evidence_check c;
    yj_evidence_check_init(&c);
    assert_int_equal(yj_evidence_verify(path, &c, &d), YJ_ERR_OK);
    assert_true(c.ok);
    assert_int_equal(c.entries, 3);
    assert_string_equal(c.top, "top");
    assert_string_equal(c.sha256, h);
    yj_evidence_check_fini(&c);

    /* A file that appears under the name meanwhile is never replaced. */
    char *other = join(dir, "x.tar.gz");
    assert_int_equal(yj_ev_writer_open(&w, other, "top", 1700000000, &d), YJ_ERR_OK);
    ut_write(other, "someone else's file");
    assert_int_equal(yj_ev_writer_finish(&w, h, &size, &d), YJ_ERR_EXISTS);
    size_t len;
    char *kept = ut_read(other, &len);
    assert_string_equal(kept, "someone else's file");
    free(kept);
    assert_int_equal(count_files(dir), 2); /* no temporary file left */
    /* Abort leaves nothing. */
    char *third = join(dir, "y.tar.gz");
    assert_int_equal(yj_ev_writer_open(&w, third, "top", 1700000000, &d), YJ_ERR_OK);
    assert_int_equal(yj_ev_writer_add(&w, "f", "x", 1, h, &d), YJ_ERR_OK);
    yj_ev_writer_abort(&w);
    assert_int_equal(count_files(dir), 2);
    /* A folder that does not exist. */
    char *nowhere = join(dir, "no/such/dir.tar.gz");
    assert_int_equal(yj_ev_writer_open(&w, nowhere, "top", 0, &d), YJ_ERR_IO);
    yj_ev_writer_abort(&w);
    yj_diag_fini(&d);
    free(nowhere);
    free(third);
    free(other);
    free(path);
}

/* ---- a collection limited to our own folder -------------------------------------------- */

static void collect_files_only(void **state)
{
    const char *dir = *state;
    char *tree = join(dir, "tree");
    assert_int_equal(mkdir(tree, 0755), 0);
    char *p = join(tree, "new.sh");
    ut_write(p, "#!/bin/sh\necho planted\n");
    free(p);
    /* An old mtime (timestomped): listed through its ctime, marked "c". */
    p = join(tree, "old.conf");
    ut_write(p, "old\n");
    struct timespec ts[2] = {{1000000000, 0}, {1000000000, 0}};
    assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
    free(p);
    /* A link to a folder with a file: the link is listed, the folder not entered. */
    char *outside = join(dir, "outside");
    assert_int_equal(mkdir(outside, 0755), 0);
    p = join(outside, "secret.txt");
    ut_write(p, "not under the root\n");
    free(p);
    p = join(tree, "link");
    assert_int_equal(symlink(outside, p), 0);
    free(p);
    /* Deeper than the depth cap. */
    char *deep = yj_xstrdup(tree);
    for (int i = 0; i <= YJ_EV_FILES_DEPTH; i++) {
        char *next = join(deep, "d");
        assert_int_equal(mkdir(next, 0755), 0);
        free(deep);
        deep = next;
    }
    p = join(deep, "too-deep.txt");
    ut_write(p, "x");
    free(p);
    free(deep);

    char *out = join(dir, "out.tar.gz");
    const char *roots[] = {tree, NULL};
    struct yj_evidence_opts o = {
        .output = out,
        .areas = 1u << YJ_EV_AREA_FILES,
        .roots = roots,
        .no_programs = true,
    };
    struct yj_evidence_result r;
    yj_evidence_result_init(&r);
    struct yj_diag d;
    yj_diag_init(&d);
    assert_int_equal(yj_evidence_collect(&o, &r, &d), YJ_ERR_OK);
    assert_int_equal(d.n, 0);
    assert_int_equal(r.days, 7);
    assert_int_equal(r.counts.recent_files, 3); /* new.sh, old.conf, link */
    assert_int_equal(r.n_items, 2);             /* files/recent.tsv, collect.json */
    assert_string_equal(r.items[0].path, "files/recent.tsv");
    assert_string_equal(r.items[1].path, "collect.json");
    assert_non_null(strstr(r.top, "yojin-evidence-"));
    assert_int_equal(strlen(r.sha256), 64);
    bool deep_skip = false;
    for (size_t i = 0; i < r.n_skips; i++)
        if (r.skips[i].why == YJ_EV_WHY_LIMIT && r.skips[i].detail &&
            strstr(r.skips[i].detail, "levels deep"))
            deep_skip = true;
    assert_true(deep_skip);

    /* The archive verifies and holds what the result says. */
    struct yj_evidence_check c;
    yj_evidence_check_init(&c);
    assert_int_equal(yj_evidence_verify(out, &c, &d), YJ_ERR_OK);
    assert_true(c.ok);
    assert_int_equal(c.entries, 3);
    assert_string_equal(c.top, r.top);
    assert_string_equal(c.sha256, r.sha256);
    yj_evidence_check_fini(&c);

    struct archive *a = archive_read_new();
    archive_read_support_filter_gzip(a);
    archive_read_support_format_tar(a);
    assert_int_equal(archive_read_open_filename(a, out, 65536), ARCHIVE_OK);
    struct archive_entry *e;
    char *recent = NULL;
    while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
        if (strstr(archive_entry_pathname(e), "files/recent.tsv")) {
            size_t n = (size_t)archive_entry_size(e);
            recent = yj_xcalloc(n + 1, 1);
            assert_int_equal(archive_read_data(a, recent, n), (la_ssize_t)n);
        }
    }
    archive_read_free(a);
    assert_non_null(recent);
    char *h = hex("#!/bin/sh\necho planted\n");
    assert_non_null(strstr(recent, h)); /* new.sh with its SHA-256 */
    free(h);
    assert_non_null(strstr(recent, "\nc\t2001-09-09T01:46:40Z\t")); /* old.conf: ctime only */
    assert_non_null(strstr(recent, "/link\t"));
    assert_non_null(strstr(recent, outside)); /* the link's target */
    assert_null(strstr(recent, "secret.txt"));
    assert_null(strstr(recent, "too-deep.txt"));
    free(recent);
    yj_evidence_result_fini(&r);

    /* The same output again: refused, nothing replaced. */
    yj_evidence_result_init(&r);
    assert_int_equal(yj_evidence_collect(&o, &r, &d), YJ_ERR_EXISTS);
    yj_evidence_result_fini(&r);
    /* Bad options. */
    o.days = -1;
    yj_evidence_result_init(&r);
    assert_int_equal(yj_evidence_collect(&o, &r, &d), YJ_ERR_INVALID);
    yj_evidence_result_fini(&r);
    o.days = YJ_EV_MAX_DAYS + 1;
    yj_evidence_result_init(&r);
    assert_int_equal(yj_evidence_collect(&o, &r, &d), YJ_ERR_INVALID);
    yj_evidence_result_fini(&r);
    struct yj_evidence_opts none = {0};
    yj_evidence_result_init(&r);
    assert_int_equal(yj_evidence_collect(&none, &r, &d), YJ_ERR_INVALID);
    yj_evidence_result_fini(&r);
    /* output_dir names the file after its top folder. */
    char *outdir = join(dir, "evidence");
    assert_int_equal(mkdir(outdir, 0700), 0);
    struct yj_evidence_opts od = {.output_dir = outdir, .areas = 1u << YJ_EV_AREA_SYSTEM,
                                  .no_programs = true};
    yj_evidence_result_init(&r);
    assert_int_equal(yj_evidence_collect(&od, &r, &d), YJ_ERR_OK);
    char *want = NULL;
    if (asprintf(&want, "%s/%s.tar.gz", outdir, r.top) < 0)
        yj_oom();
    assert_string_equal(r.path, want);
    assert_int_equal(access(want, F_OK), 0);
    assert_non_null(r.clocksource);
    free(want);
    yj_evidence_result_fini(&r);
    yj_diag_fini(&d);
    free(outdir);
    free(out);
    free(outside);
    free(tree);
}

/* Every area on the real machine, with programs: it must finish, verify and never fail
 * because something could not be read. */
static void collect_everything(void **state)
{
    const char *dir = *state;
    char *out = join(dir, "all.tar.gz");
    struct yj_evidence_opts o = {.output = out, .days = 1};
    struct yj_evidence_result r;
    yj_evidence_result_init(&r);
    struct yj_diag d;
    yj_diag_init(&d);
    assert_int_equal(yj_evidence_collect(&o, &r, &d), YJ_ERR_OK);
    assert_true(r.counts.processes > 0);
    assert_true(r.n_items > 5);
    struct yj_evidence_check c;
    yj_evidence_check_init(&c);
    assert_int_equal(yj_evidence_verify(out, &c, &d), YJ_ERR_OK);
    if (!c.ok)
        dump(&c);
    assert_true(c.ok);
    assert_int_equal(c.entries, r.n_items + 1);
    /* JSON of both, parseable. */
    struct yj_buf b;
    struct yj_json j;
    yj_buf_init(&b, 0);
    yj_json_init(&j, &b, false);
    yj_evidence_result_json(&r, &j, true);
    const char *err = NULL;
    struct ut_json *js = ut_json_parse(b.p, b.len, &err);
    assert_non_null(js);
    assert_string_equal(ut_json_req(ut_json_req(js, "archive", UT_JOBJ), "sha256", UT_JSTR)->s,
                        r.sha256);
    ut_json_req(js, "skipped", UT_JARR);
    ut_json_free(js);
    yj_buf_reset(&b);
    yj_json_init(&j, &b, false);
    yj_evidence_check_json(&c, &j);
    js = ut_json_parse(b.p, b.len, &err);
    assert_non_null(js);
    assert_true(ut_json_req(js, "ok", UT_JBOOL)->b);
    ut_json_free(js);
    yj_buf_fini(&b);
    yj_evidence_check_fini(&c);
    yj_evidence_result_fini(&r);
    yj_diag_fini(&d);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(verify_crafted, setup, teardown),
        cmocka_unit_test_setup_teardown(verify_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(writer_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(collect_files_only, setup, teardown),
        cmocka_unit_test_setup_teardown(collect_everything, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
