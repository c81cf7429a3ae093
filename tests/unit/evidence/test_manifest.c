/* evidence/manifest: the strict sha256sum parser (every bad line reported with its number,
 * the caps at their boundary) and the rule for safe names inside an archive. */
#include "ut.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "evidence/evidence.h"

#define H1 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define H2 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static int setup(void **state)
{
    (void)state;
    ut_i18n_real();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    yj_i18n_fini();
    return 0;
}

static enum yj_err parse(const char *text, struct yj_manifest *m, struct yj_diag *d)
{
    return yj_manifest_parse(m, "manifest.sha256", text, strlen(text), d);
}

static void valid(void **state)
{
    (void)state;
    struct yj_manifest m;
    struct yj_diag d;
    yj_diag_init(&d);
    const char *text = H2 "  system/time.txt\n" H1 "  collect.json\n"
                       "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD *bin/x\n";
    assert_int_equal(parse(text, &m, &d), YJ_ERR_OK);
    assert_int_equal(d.n, 0);
    assert_int_equal(m.n, 3);
    /* Sorted by path; lines remembered. */
    assert_string_equal(m.v[0].path, "bin/x");
    assert_string_equal(m.v[1].path, "collect.json");
    assert_string_equal(m.v[2].path, "system/time.txt");
    assert_int_equal(m.v[0].line, 3);
    assert_int_equal(m.v[2].line, 1);
    uint8_t h1[YJ_SHA256_LEN];
    assert_true(yj_sha256_from_hex(H1, 64, h1));
    assert_memory_equal(m.v[0].sha256, h1, YJ_SHA256_LEN); /* upper case is the same */
    assert_memory_equal(m.v[1].sha256, h1, YJ_SHA256_LEN);
    /* Lookup with counted views that are not NUL-terminated. */
    const char *buf = "collect.jsonXYZ";
    assert_ptr_equal(yj_manifest_find(&m, buf, 12), &m.v[1]);
    assert_null(yj_manifest_find(&m, buf, 11));
    assert_null(yj_manifest_find(&m, buf, 13));
    assert_null(yj_manifest_find(&m, "", 0));
    assert_non_null(yj_manifest_find(&m, "system/time.txt", 15));
    yj_manifest_fini(&m);
    yj_diag_fini(&d);
}

struct bad {
    const char *text;
    unsigned line;
    const char *msg;
};

static void bad_lines(void **state)
{
    (void)state;
    static const struct bad cases[] = {
        {"", 0, "empty"},
        {H1 "  a\n\n" H2 "  b\n", 2, "empty line"},
        {H1 "  a\n" H2 "  b", 2, "newline"},
        {H1 "  a\r\n", 1, "unsafe"},
        {"\\" H1 "  a\\nb\n", 1, "not supported"},
        {"ba7816bf  a\n", 1, "64 hex"},
        {"zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  a\n", 1, "64 hex"},
        {H1 " a\n", 1, "two spaces"},
        {H1 "\ta\n", 1, "two spaces"},
        {H1 "\n", 1, "two spaces"},
        {H1 "  \n", 1, "unsafe"},
        {H1 "  /etc/passwd\n", 1, "unsafe"},
        {H1 "  ../x\n", 1, "unsafe"},
        {H1 "  a/../../x\n", 1, "unsafe"},
        {H1 "  ./a\n", 1, "unsafe"},
        {H1 "  a//b\n", 1, "unsafe"},
        {H1 "  a/\n", 1, "unsafe"},
        {H1 "  a\\b\n", 1, "unsafe"},
        {H1 "  a\x01" "b\n", 1, "unsafe"},
        {H1 "  a\tb\n", 1, "unsafe"},
        {H1 "  \xff\xfe\n", 1, "unsafe"},
        {H1 "  a\n" H2 "  b\n" H1 "  a\n", 3, "line 1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct yj_manifest m;
        struct yj_diag d;
        yj_diag_init(&d);
        enum yj_err err = parse(cases[i].text, &m, &d);
        if (err != YJ_ERR_PARSE || !ut_diag_find(&d, cases[i].line, cases[i].msg)) {
            print_error("case %zu: err %d\n", i, err);
            ut_diag_dump(&d);
            fail();
        }
        yj_manifest_fini(&m);
        yj_diag_fini(&d);
    }
}

static void every_bad_line_reported(void **state)
{
    (void)state;
    struct yj_manifest m;
    struct yj_diag d;
    yj_diag_init(&d);
    const char *text = H1 "  ok\n"
                       "junk\n" H1 "  /abs\n" H2 "  fine\n" H1 " one-space\n";
    assert_int_equal(parse(text, &m, &d), YJ_ERR_PARSE);
    assert_int_equal(d.n, 3);
    ut_assert_diag(&d, 2, "64 hex");
    ut_assert_diag(&d, 3, "unsafe");
    ut_assert_diag(&d, 5, "two spaces");
    assert_string_equal(d.v[0].file, "manifest.sha256");
    yj_manifest_fini(&m);
    yj_diag_fini(&d);
}

/* A NUL inside the buffer is a byte like any other: never the end of the input. */
static void embedded_nul(void **state)
{
    (void)state;
    static const char text[] = H1 "  a\0b\n";
    struct yj_manifest m;
    struct yj_diag d;
    yj_diag_init(&d);
    assert_int_equal(yj_manifest_parse(&m, "m", text, sizeof text - 1, &d), YJ_ERR_PARSE);
    ut_assert_diag(&d, 1, "unsafe");
    yj_manifest_fini(&m);
    yj_diag_fini(&d);
}

static void caps(void **state)
{
    (void)state;
    struct yj_manifest m;
    struct yj_diag d;
    yj_diag_init(&d);
    /* Lines: exactly the cap passes, one more is a limit. */
    size_t n = YJ_MANIFEST_MAX_LINES;
    size_t line_len = 64 + 2 + 7 + 1;
    char *text = yj_xmalloc((n + 1) * line_len + 1);
    for (size_t i = 0; i <= n; i++)
        snprintf(text + i * line_len, line_len + 1, H1 "  f%06zu\n", i);
    assert_int_equal(yj_manifest_parse(&m, "m", text, n * line_len, &d), YJ_ERR_OK);
    assert_int_equal(m.n, n);
    yj_manifest_fini(&m);
    assert_int_equal(yj_manifest_parse(&m, "m", text, (n + 1) * line_len, &d), YJ_ERR_LIMIT);
    ut_assert_diag(&d, (unsigned)n + 1, "too many");
    yj_manifest_fini(&m);
    free(text);
    /* Bytes. */
    size_t big = YJ_MANIFEST_MAX_BYTES + 1;
    char *p = yj_xmalloc(big);
    memset(p, 'a', big);
    assert_int_equal(yj_manifest_parse(&m, "m", p, big, &d), YJ_ERR_LIMIT);
    yj_manifest_fini(&m);
    free(p);
    /* A path at the length limit is fine; one byte more is not. */
    char *name = ut_repeat("n", YJ_MANIFEST_MAX_PATH);
    char *line = NULL;
    if (asprintf(&line, H1 "  %s\n", name) < 0)
        yj_oom();
    assert_int_equal(parse(line, &m, &d), YJ_ERR_OK);
    yj_manifest_fini(&m);
    free(line);
    if (asprintf(&line, H1 "  %sn\n", name) < 0)
        yj_oom();
    assert_int_equal(parse(line, &m, &d), YJ_ERR_PARSE);
    yj_manifest_fini(&m);
    free(line);
    free(name);
    yj_diag_fini(&d);
}

static void names(void **state)
{
    (void)state;
    static const char *const good[] = {"a", "a/b", "collect.json", "..a", "a..", "a/.b/c",
                                       "logs/var/log/auth.log.1", "日本語/ファイル", "a b"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (!yj_ev_name_ok(good[i], strlen(good[i]))) {
            print_error("refused %s\n", good[i]);
            fail();
        }
    static const char *const bad[] = {"",     "/",   "/a",      "a/",     "a//b",  ".",
                                      "..",   "./a", "a/./b",   "a/..",   "../a",  "a/../b",
                                      "a\\b", "a\tb", "a\nb",   "a\x7f",  "\xc3",  "\xc0\xaf",
                                      "a\r"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (yj_ev_name_ok(bad[i], strlen(bad[i]))) {
            print_error("accepted case %zu\n", i);
            fail();
        }
    /* Counted: the bytes after n do not matter. */
    assert_true(yj_ev_name_ok("a/..", 1));
    assert_false(yj_ev_name_ok("a/..", 4));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid),
        cmocka_unit_test(bad_lines),
        cmocka_unit_test(every_bad_line_reported),
        cmocka_unit_test(embedded_nul),
        cmocka_unit_test(caps),
        cmocka_unit_test(names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
