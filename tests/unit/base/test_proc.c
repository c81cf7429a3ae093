/* base/proc: the posix_spawn helper. Output capture and its caps, exit statuses and signals,
 * stderr and stdin kept away, the fixed environment, signal dispositions reset, the timeout
 * (also when the program closes its output, and for the processes it started), and the
 * errors for missing and relative programs. */
#include "ut.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "base/proc.h"

static char *sh_path;

static int find_sh(void **state)
{
    (void)state;
    sh_path = yj_proc_find("sh");
    return sh_path ? 0 : -1;
}

static int drop_sh(void **state)
{
    (void)state;
    free(sh_path);
    return 0;
}

/* Runs `sh -c script`; out is appended to. */
static enum yj_err sh(const char *script, const struct yj_proc_opts *o, struct yj_buf *out,
                      struct yj_proc_status *st, struct yj_diag *d)
{
    const char *argv[] = {sh_path, "-c", script, NULL};
    return yj_proc_run(argv, o, out, st, d);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void find(void **state)
{
    (void)state;
    assert_non_null(sh_path);
    assert_int_equal(sh_path[0], '/');
    assert_int_equal(access(sh_path, X_OK), 0);
    assert_null(yj_proc_find("yojin-no-such-program-x9"));
    assert_null(yj_proc_find("bin/sh"));
    assert_null(yj_proc_find(""));
}

static void output_and_status(void **state)
{
    (void)state;
    struct yj_buf out;
    yj_buf_init(&out, 0);
    struct yj_proc_status st;
    assert_int_equal(sh("echo hello; echo world", NULL, &out, &st, NULL), YJ_ERR_OK);
    assert_string_equal(yj_buf_cstr(&out), "hello\nworld\n");
    assert_true(st.exited);
    assert_int_equal(st.code, 0);
    assert_false(st.timed_out);
    assert_false(st.truncated);

    yj_buf_reset(&out);
    assert_int_equal(sh("echo out; echo err >&2; exit 3", NULL, &out, &st, NULL), YJ_ERR_OK);
    assert_string_equal(yj_buf_cstr(&out), "out\n"); /* stderr goes to /dev/null */
    assert_true(st.exited);
    assert_int_equal(st.code, 3);

    /* stdin is /dev/null: cat ends at once. */
    yj_buf_reset(&out);
    assert_int_equal(sh("cat; echo done", NULL, &out, &st, NULL), YJ_ERR_OK);
    assert_string_equal(yj_buf_cstr(&out), "done\n");

    /* A signal. */
    yj_buf_reset(&out);
    assert_int_equal(sh("kill -TERM $$", NULL, &out, &st, NULL), YJ_ERR_OK);
    assert_false(st.exited);
    assert_int_equal(st.signal, SIGTERM);
    yj_buf_fini(&out);
}

static void caps(void **state)
{
    (void)state;
    struct yj_buf out;
    yj_buf_init(&out, 0);
    struct yj_proc_status st;
    struct yj_proc_opts o = {.out_max = 1000};
    /* 200 KB written, 1000 kept, the rest read and dropped so the program ends normally. */
    assert_int_equal(sh("head -c 200000 /dev/zero | tr '\\0' x", &o, &out, &st, NULL),
                     YJ_ERR_OK);
    assert_int_equal(out.len, 1000);
    assert_true(st.truncated);
    assert_true(st.exited);
    assert_int_equal(st.code, 0);
    /* Exactly at the cap is not truncated. */
    yj_buf_reset(&out);
    assert_int_equal(sh("head -c 1000 /dev/zero", &o, &out, &st, NULL), YJ_ERR_OK);
    assert_int_equal(out.len, 1000);
    assert_false(st.truncated);
    yj_buf_fini(&out);
    /* The buffer's own, smaller cap: what fits is kept and the buffer stays usable. */
    yj_buf_init(&out, 10);
    assert_int_equal(sh("echo 0123456789abcdef", NULL, &out, &st, NULL), YJ_ERR_OK);
    assert_true(st.truncated);
    assert_string_equal(yj_buf_cstr(&out), "0123456789");
    assert_int_equal(yj_buf_err(&out), YJ_ERR_OK);
    yj_buf_fini(&out);
}

static void environment_is_fixed(void **state)
{
    (void)state;
    setenv("YOJIN_SECRET_TEST", "leak", 1);
    struct yj_buf out;
    yj_buf_init(&out, 0);
    struct yj_proc_status st;
    assert_int_equal(sh("echo \"$PATH|$LC_ALL|${HOME-unset}|${YOJIN_SECRET_TEST-unset}\"", NULL,
                        &out, &st, NULL),
                     YJ_ERR_OK);
    assert_string_equal(yj_buf_cstr(&out), YJ_PROC_PATH "|C.UTF-8|unset|unset\n");
    /* A given environment replaces it. */
    const char *env[] = {"A=1", NULL};
    struct yj_proc_opts o = {.envp = env};
    yj_buf_reset(&out);
    assert_int_equal(sh("echo \"${A}|${LC_ALL-unset}\"", &o, &out, &st, NULL), YJ_ERR_OK);
    assert_string_equal(yj_buf_cstr(&out), "1|unset\n");
    yj_buf_fini(&out);
    unsetenv("YOJIN_SECRET_TEST");
}

/* An ignored SIGPIPE survives exec unless reset: the child must see the default. */
static void signals_reset(void **state)
{
    (void)state;
    struct sigaction ign = {.sa_handler = SIG_IGN}, old;
    sigaction(SIGPIPE, &ign, &old);
    struct yj_buf out;
    yj_buf_init(&out, 0);
    struct yj_proc_status st;
    assert_int_equal(sh("grep '^SigIgn' /proc/self/status", NULL, &out, &st, NULL), YJ_ERR_OK);
    sigaction(SIGPIPE, &old, NULL);
    const char *p = strchr(yj_buf_cstr(&out), '\t');
    assert_non_null(p);
    unsigned long long mask = strtoull(p + 1, NULL, 16);
    assert_int_equal(mask & (1ULL << (SIGPIPE - 1)), 0);
    yj_buf_fini(&out);
}

static void timeout(void **state)
{
    (void)state;
    ut_i18n_real();
    struct yj_buf out;
    yj_buf_init(&out, 0);
    struct yj_proc_status st;
    struct yj_proc_opts o = {.timeout_ms = 300};
    struct yj_diag d;
    yj_diag_init(&d);
    /* Output before the timeout is kept. */
    double t0 = now_s();
    assert_int_equal(sh("echo started; sleep 20", &o, &out, &st, &d), YJ_ERR_LIMIT);
    double took = now_s() - t0;
    assert_true(took < 5.0);
    assert_true(st.timed_out);
    assert_false(st.exited);
    assert_string_equal(yj_buf_cstr(&out), "started\n");
    assert_int_equal(d.n, 1);
    assert_non_null(strstr(d.v[0].msg, "0.300"));
    /* A program that closes its output and keeps running, and one whose child keeps the
     * pipe open after the parent ends: both end at the deadline. */
    t0 = now_s();
    assert_int_equal(sh("exec >/dev/null; sleep 20", &o, &out, &st, &d), YJ_ERR_LIMIT);
    assert_true(now_s() - t0 < 5.0);
    t0 = now_s();
    assert_int_equal(sh("sleep 20 & exit 0", &o, &out, &st, &d), YJ_ERR_LIMIT);
    assert_true(now_s() - t0 < 5.0);
    assert_true(st.timed_out);
    yj_diag_fini(&d);
    yj_buf_fini(&out);
    yj_i18n_fini();
}

static void errors(void **state)
{
    (void)state;
    struct yj_buf out;
    yj_buf_init(&out, 0);
    struct yj_proc_status st;
    struct yj_diag d;
    yj_diag_init(&d);
    const char *missing[] = {"/nonexistent/yojin-prog", NULL};
    assert_int_equal(yj_proc_run(missing, NULL, &out, &st, &d), YJ_ERR_NOTFOUND);
    assert_string_equal(d.v[0].file, "/nonexistent/yojin-prog");
    const char *relative[] = {"sh", "-c", "true", NULL};
    assert_int_equal(yj_proc_run(relative, NULL, &out, &st, &d), YJ_ERR_INVALID);
    const char *none[] = {NULL};
    assert_int_equal(yj_proc_run(none, NULL, &out, &st, &d), YJ_ERR_INVALID);
    assert_int_equal(d.n, 3);
    assert_int_equal(out.len, 0);
    yj_diag_fini(&d);
    yj_buf_fini(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(find),
        cmocka_unit_test(output_and_status),
        cmocka_unit_test(caps),
        cmocka_unit_test(environment_is_fixed),
        cmocka_unit_test(signals_reset),
        cmocka_unit_test(timeout),
        cmocka_unit_test(errors),
    };
    return cmocka_run_group_tests(tests, find_sh, drop_sh);
}
