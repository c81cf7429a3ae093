/* base/err: error descriptions and catalog keys, and the diagnostics list. */
#include "ut.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"

static void err_strings(void **state)
{
    (void)state;
    assert_string_equal(yj_err_str(YJ_ERR_OK), "success");
    assert_string_equal(yj_err_str(YJ_ERR_STATE), "operation not allowed in this state");
    assert_string_equal(yj_err_str(YJ_ERR__COUNT), "unknown error");
    assert_string_equal(yj_err_str((enum yj_err)-1), "unknown error");
    for (int e = 0; e < YJ_ERR__COUNT; e++) {
        assert_true(strlen(yj_err_str((enum yj_err)e)) > 0);
        assert_true(strncmp(yj_err_key((enum yj_err)e), "err.", 4) == 0);
    }
    assert_string_equal(yj_err_key(YJ_ERR_LIMIT), "err.LIMIT");
    assert_string_equal(yj_err_key(YJ_ERR__COUNT), "err.INVALID");
}

static void diag_records_file_line_message(void **state)
{
    (void)state;
    struct yj_diag d;
    yj_diag_init(&d);
    yj_diag_add(&d, "a.yaml", 7, "bad %s %d", "thing", 42);
    yj_diag_add(&d, NULL, 0, "no file");
    assert_int_equal(yj_diag_fail(&d, YJ_ERR_PARSE, "b", 3, "x"), YJ_ERR_PARSE);
    assert_int_equal(d.n, 3);
    assert_string_equal(d.v[0].file, "a.yaml");
    assert_int_equal(d.v[0].line, 7);
    assert_string_equal(d.v[0].msg, "bad thing 42");
    assert_null(d.v[1].file);
    assert_int_equal(d.v[1].line, 0);
    assert_string_equal(d.v[2].file, "b");
    yj_diag_fini(&d);
    assert_int_equal(d.n, 0);
    assert_null(d.v);
    yj_diag_fini(&d); /* twice is harmless */
}

static void diag_null_drops(void **state)
{
    (void)state;
    yj_diag_add(NULL, "f", 1, "dropped");
    assert_int_equal(yj_diag_fail(NULL, YJ_ERR_IO, "f", 1, "dropped"), YJ_ERR_IO);
    yj_diag_fini(NULL);
}

static void diag_max_counts_dropped(void **state)
{
    (void)state;
    struct yj_diag d;
    yj_diag_init(&d);
    d.max = 3;
    for (int i = 0; i < 5; i++)
        yj_diag_add(&d, "f", (unsigned)i + 1, "m%d", i);
    assert_int_equal(d.n, 3);
    assert_int_equal(d.dropped, 2);
    assert_string_equal(d.v[2].msg, "m2");
    yj_diag_fini(&d);

    /* The default limit is 100. */
    yj_diag_init(&d);
    for (int i = 0; i < 101; i++)
        yj_diag_add(&d, NULL, 0, "m");
    assert_int_equal(d.n, 100);
    assert_int_equal(d.dropped, 1);
    yj_diag_fini(&d);
}

static void x_alloc(void **state)
{
    (void)state;
    char *p = yj_xstrndup("abcdef", 3);
    assert_string_equal(p, "abc");
    free(p);
    int *z = yj_xcalloc(4, sizeof *z);
    for (int i = 0; i < 4; i++)
        assert_int_equal(z[i], 0);
    free(z);
    void *m = yj_xmalloc(0); /* zero-size requests still give a pointer */
    assert_non_null(m);
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(err_strings),
        cmocka_unit_test(diag_records_file_line_message),
        cmocka_unit_test(diag_null_drops),
        cmocka_unit_test(diag_max_counts_dropped),
        cmocka_unit_test(x_alloc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
