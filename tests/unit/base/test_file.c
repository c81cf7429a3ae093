/* base/file: bounded reads at the limit, atomic writes, mkdir -p, the share directory. */
#include "ut.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/file.h"

static int setup(void **state)
{
    *state = ut_tmpdir();
    return 0;
}

static int teardown(void **state)
{
    ut_rmtree(*state);
    free(*state);
    return 0;
}

static char *join(const char *dir, const char *name)
{
    char *p = NULL;
    if (asprintf(&p, "%s/%s", dir, name) < 0)
        yj_oom();
    return p;
}

static void write_n(const char *path, size_t n)
{
    char *s = ut_repeat("z", n);
    ut_write(path, s);
    free(s);
}

static void read_limit_at_boundary(void **state)
{
    const char *dir = *state;
    char *path = join(dir, "f");
    struct yj_diag d;
    yj_diag_init(&d);
    /* Sizes around the limit and around the reader's internal growth steps. */
    static const size_t maxes[] = {0, 1, 10, 4095, 4096, 4097, 8192, 70000};
    for (size_t k = 0; k < sizeof maxes / sizeof maxes[0]; k++) {
        size_t max = maxes[k];
        char *p = NULL;
        size_t len = 99;
        write_n(path, max);
        assert_int_equal(yj_file_read(path, max, &p, &len, &d), YJ_ERR_OK);
        assert_int_equal(len, max);
        assert_int_equal(p[len], '\0');
        assert_int_equal(strlen(p), max);
        free(p);
        write_n(path, max + 1);
        p = (char *)1;
        assert_int_equal(yj_file_read(path, max, &p, &len, &d), YJ_ERR_LIMIT);
        assert_null(p);
        assert_int_equal(len, 0);
        assert_string_equal(d.v[d.n - 1].file, path);
        /* Much bigger still stops at the limit. */
        write_n(path, max * 3 + 5000);
        assert_int_equal(yj_file_read(path, max, &p, &len, &d), YJ_ERR_LIMIT);
    }
    yj_diag_fini(&d);
    free(path);
}

static void read_errors(void **state)
{
    const char *dir = *state;
    struct yj_diag d;
    yj_diag_init(&d);
    char *p = NULL;
    size_t len;
    char *missing = join(dir, "missing");
    assert_int_equal(yj_file_read(missing, 100, &p, &len, &d), YJ_ERR_IO);
    assert_null(p);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].file, missing);
    assert_int_equal(yj_file_read(dir, 100, &p, &len, &d), YJ_ERR_IO); /* a directory */
    assert_int_equal(d.n, 2);
    assert_null(p);
    yj_diag_fini(&d);
    free(missing);
}

static size_t count_entries(const char *dir)
{
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(dp)) != NULL;)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(dp);
    return n;
}

static void write_atomic_replaces(void **state)
{
    const char *dir = *state;
    char *path = join(dir, "out.html");
    struct yj_diag d;
    yj_diag_init(&d);
    assert_int_equal(yj_file_write_atomic(path, "first", 5, 0600, &d), YJ_ERR_OK);
    assert_int_equal(yj_file_write_atomic(path, "second\0x", 8, 0644, &d), YJ_ERR_OK);
    size_t len;
    char *got = ut_read(path, &len);
    assert_int_equal(len, 8);
    assert_memory_equal(got, "second\0x", 8);
    free(got);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    assert_int_equal(count_entries(dir), 1); /* no temporary file left behind */
    /* Into a directory that does not exist: IO, nothing created. */
    char *bad = join(dir, "no/such/file");
    assert_int_equal(yj_file_write_atomic(bad, "x", 1, 0600, &d), YJ_ERR_IO);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].file, bad);
    assert_int_equal(count_entries(dir), 1);
    yj_diag_fini(&d);
    free(bad);
    free(path);
}

static void mkdir_p_nested(void **state)
{
    const char *dir = *state;
    struct yj_diag d;
    yj_diag_init(&d);
    char *deep = join(dir, "a/b/c");
    assert_int_equal(yj_mkdir_p(deep, 0700, &d), YJ_ERR_OK);
    struct stat st;
    assert_int_equal(stat(deep, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(yj_mkdir_p(deep, 0700, &d), YJ_ERR_OK); /* already there */
    char *slash = join(dir, "a/b/c/");
    assert_int_equal(yj_mkdir_p(slash, 0700, &d), YJ_ERR_OK);
    /* A file in the way. */
    char *file = join(dir, "file");
    ut_write(file, "x");
    char *under = join(dir, "file/sub");
    assert_int_equal(yj_mkdir_p(file, 0700, &d), YJ_ERR_IO);
    assert_int_equal(yj_mkdir_p(under, 0700, &d), YJ_ERR_IO);
    assert_int_equal(d.n, 2);
    yj_diag_fini(&d);
    free(deep);
    free(slash);
    free(file);
    free(under);
}

/* An empty path is a caller mistake to report, not a reason to read past the string
 * (yj_mkdir_p starts scanning at p + 1, beyond the terminator of ""). Kept last: under
 * ASan the overread aborts the process. */
static void mkdir_p_empty_path(void **state)
{
    (void)state;
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_mkdir_p("", 0700, &d);
    assert_int_not_equal(err, YJ_ERR_OK);
    yj_diag_fini(&d);
}

static void share_dir(void **state)
{
    (void)state;
    assert_int_equal(setenv("YOJIN_SHARE", "/opt/yj", 1), 0);
    assert_string_equal(yj_share_dir(), "/opt/yj");
    char *p = yj_share_path("assess/bank.yaml");
    assert_string_equal(p, "/opt/yj/assess/bank.yaml");
    free(p);
    assert_int_equal(setenv("YOJIN_SHARE", "", 1), 0);
    assert_true(strlen(yj_share_dir()) > 0); /* the build-time default */
    assert_string_not_equal(yj_share_dir(), "");
    assert_int_equal(unsetenv("YOJIN_SHARE"), 0);
    assert_true(strlen(yj_version()) > 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(read_limit_at_boundary), T(read_errors), T(write_atomic_replaces),
        T(mkdir_p_nested),         T(share_dir),
        cmocka_unit_test(mkdir_p_empty_path), /* last, no temp dir: see there */
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
