/* base/hash: SHA-256 test vectors (FIPS 180-2), streaming in odd pieces, hex both ways,
 * files at the size limit, files that are not regular (a FIFO must not block), and the
 * access time left alone. */
#include "ut.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/hash.h"
#include "base/i18n.h"

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

static void hex_of(const void *p, size_t n, char out[YJ_SHA256_HEX])
{
    uint8_t d[YJ_SHA256_LEN];
    yj_sha256(p, n, d);
    yj_sha256_hex(d, out);
}

static void vectors(void **state)
{
    (void)state;
    char h[YJ_SHA256_HEX];
    hex_of("", 0, h);
    assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    hex_of("abc", 3, h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    static const char two[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    hex_of(two, sizeof two - 1, h);
    assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *million = ut_repeat("a", 1000000);
    hex_of(million, 1000000, h);
    assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(million);
}

static void streaming_matches_one_shot(void **state)
{
    (void)state;
    size_t n = 200003;
    unsigned char *p = yj_xmalloc(n);
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(i * 131 + (i >> 7));
    uint8_t one[YJ_SHA256_LEN], parts[YJ_SHA256_LEN];
    yj_sha256(p, n, one);
    struct yj_sha256 h;
    yj_sha256_init(&h);
    size_t at = 0, step = 1;
    while (at < n) {
        size_t k = step < n - at ? step : n - at;
        yj_sha256_update(&h, p + at, k);
        at += k;
        step = step * 3 + 1; /* 1, 4, 13, 40, … crossing every block boundary kind */
        if (step > 70000)
            step = 63;
    }
    yj_sha256_update(&h, p, 0); /* empty updates change nothing */
    yj_sha256_final(&h, parts);
    assert_memory_equal(one, parts, YJ_SHA256_LEN);
    free(p);
}

static void hex_round_trip(void **state)
{
    (void)state;
    uint8_t d[YJ_SHA256_LEN], back[YJ_SHA256_LEN];
    for (int i = 0; i < YJ_SHA256_LEN; i++)
        d[i] = (uint8_t)(i * 37 + 250);
    char h[YJ_SHA256_HEX];
    yj_sha256_hex(d, h);
    assert_int_equal(strlen(h), 64);
    assert_true(yj_sha256_from_hex(h, 64, back));
    assert_memory_equal(d, back, YJ_SHA256_LEN);
    /* Upper case is the same digest. */
    char up[YJ_SHA256_HEX];
    for (int i = 0; i < 65; i++)
        up[i] = (char)(h[i] >= 'a' && h[i] <= 'f' ? h[i] - 32 : h[i]);
    assert_true(yj_sha256_from_hex(up, 64, back));
    assert_memory_equal(d, back, YJ_SHA256_LEN);
    /* Wrong lengths and non-hex bytes. */
    assert_false(yj_sha256_from_hex(h, 63, back));
    assert_false(yj_sha256_from_hex(h, 0, back));
    char longer[66];
    memcpy(longer, h, 64);
    longer[64] = '0';
    longer[65] = '\0';
    assert_false(yj_sha256_from_hex(longer, 65, back));
    static const char bad[] = "gxyz -+\0\xff";
    for (size_t k = 0; k < sizeof bad - 1; k++) {
        char t[YJ_SHA256_HEX];
        memcpy(t, h, sizeof t);
        t[k * 7 % 64] = bad[k];
        assert_false(yj_sha256_from_hex(t, 64, back));
    }
}

static void file_hash_and_limit(void **state)
{
    const char *dir = *state;
    char *path = join(dir, "f");
    size_t n = 150000; /* more than two read chunks */
    char *s = ut_repeat("yojin ", n / 6);
    ut_write(path, s);
    char want[YJ_SHA256_HEX], got[YJ_SHA256_HEX];
    hex_of(s, strlen(s), want);
    uint8_t d[YJ_SHA256_LEN];
    uint64_t size = 7;
    struct yj_diag diag;
    yj_diag_init(&diag);
    assert_int_equal(yj_sha256_file(path, 0, d, &size, &diag), YJ_ERR_OK);
    yj_sha256_hex(d, got);
    assert_string_equal(got, want);
    assert_int_equal(size, strlen(s));
    /* The limit: exactly the size passes, one byte less does not. */
    assert_int_equal(yj_sha256_file(path, strlen(s), d, NULL, &diag), YJ_ERR_OK);
    assert_int_equal(diag.n, 0);
    assert_int_equal(yj_sha256_file(path, strlen(s) - 1, d, &size, &diag), YJ_ERR_LIMIT);
    assert_int_equal(size, 0);
    assert_int_equal(diag.n, 1);
    assert_string_equal(diag.v[0].file, path);
    /* An empty file. */
    ut_write(path, "");
    assert_int_equal(yj_sha256_file(path, 1, d, &size, &diag), YJ_ERR_OK);
    yj_sha256_hex(d, got);
    assert_string_equal(got, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_int_equal(size, 0);
    yj_diag_fini(&diag);
    free(s);
    free(path);
}

static void file_errors(void **state)
{
    const char *dir = *state;
    ut_i18n_real();
    struct yj_diag d;
    yj_diag_init(&d);
    uint8_t sum[YJ_SHA256_LEN];
    char *missing = join(dir, "missing");
    assert_int_equal(yj_sha256_file(missing, 0, sum, NULL, &d), YJ_ERR_NOTFOUND);
    assert_string_equal(d.v[0].file, missing);
    assert_non_null(strstr(d.v[0].msg, "cannot open"));
    /* A folder and a FIFO are not regular files; opening the FIFO must not wait. */
    assert_int_equal(yj_sha256_file(dir, 0, sum, NULL, &d), YJ_ERR_INVALID);
    char *fifo = join(dir, "fifo");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(yj_sha256_file(fifo, 0, sum, NULL, &d), YJ_ERR_INVALID);
    assert_non_null(strstr(d.v[d.n - 1].msg, "not a regular file"));
    /* Unreadable, where permissions apply (not for root). */
    if (geteuid() != 0) {
        char *locked = join(dir, "locked");
        ut_write(locked, "secret");
        chmod(locked, 0);
        assert_int_equal(yj_sha256_file(locked, 0, sum, NULL, &d), YJ_ERR_STATE);
        free(locked);
    }
    /* A NULL diag is fine. */
    assert_int_equal(yj_sha256_file(missing, 0, sum, NULL, NULL), YJ_ERR_NOTFOUND);
    yj_diag_fini(&d);
    free(fifo);
    free(missing);
    yj_i18n_fini();
}

/* Hashing evidence must not touch its access time: with relatime an atime older than the
 * mtime would be updated by a plain read. */
static void access_time_kept(void **state)
{
    const char *dir = *state;
    char *path = join(dir, "evidence");
    ut_write(path, "do not touch me\n");
    struct timespec ts[2] = {{1000000000, 0}, {UTIME_OMIT, 0}}; /* atime 2001, mtime now */
    assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
    uint8_t sum[YJ_SHA256_LEN];
    assert_int_equal(yj_sha256_file(path, 0, sum, NULL, NULL), YJ_ERR_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_atim.tv_sec, 1000000000);
    free(path);
}

/* yj_sha256_fd reads from the current offset. */
static void fd_from_offset(void **state)
{
    const char *dir = *state;
    char *path = join(dir, "g");
    ut_write(path, "0123456789abc");
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(lseek(fd, 10, SEEK_SET), 10);
    uint8_t d[YJ_SHA256_LEN];
    uint64_t size;
    assert_int_equal(yj_sha256_fd(fd, "g", 0, d, &size, NULL), YJ_ERR_OK);
    close(fd);
    char got[YJ_SHA256_HEX], want[YJ_SHA256_HEX];
    yj_sha256_hex(d, got);
    hex_of("abc", 3, want);
    assert_string_equal(got, want);
    assert_int_equal(size, 3);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vectors),
        cmocka_unit_test(streaming_matches_one_shot),
        cmocka_unit_test(hex_round_trip),
        cmocka_unit_test_setup_teardown(file_hash_and_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(file_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(access_time_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(fd_from_offset, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
