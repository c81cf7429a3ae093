/* The holder: readers on several threads look up without pause while sets are swapped in,
 * directly and by background reloads; every lookup sees one whole set (either the old or
 * the new, never a freed one: ASan would stop the test), and old sets are freed. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ioc/ioc.h"
#include "ut.h"

#define READERS 3

/* Set number k lists k.example and 10.0.0.k; each set has exactly one of each. */
static struct yj_ioc_set *make(unsigned k)
{
    char text[128];
    snprintf(text, sizeof text, "s%u.example\n10.0.0.%u\n", k % 250, k % 250);
    struct yj_ioc_builder *b = yj_ioc_builder_new();
    if (yj_ioc_builder_add_mem(b, "t", "t", YJ_IOC_FMT_PLAIN, text, strlen(text), NULL, NULL))
        abort();
    return yj_ioc_builder_build(b);
}

struct shared {
    struct yj_ioc_holder *h;
    atomic_bool stop;
    atomic_ulong lookups;
    atomic_ulong torn;
};

static void *reader(void *arg)
{
    struct shared *sh = arg;
    struct yj_ioc_reader *r = yj_ioc_reader_add(sh->h);
    if (!r)
        abort();
    unsigned long n = 0;
    while (!atomic_load(&sh->stop)) {
        const struct yj_ioc_set *s = yj_ioc_enter(r);
        /* which set is this? find its one domain, then its address must match too */
        int found = -1;
        for (unsigned k = 0; k < 250 && found < 0; k++) {
            char name[32];
            int len = snprintf(name, sizeof name, "s%u.example", k);
            if (yj_ioc_match_domain(s, name, (size_t)len, NULL))
                found = (int)k;
        }
        if (found < 0 || !yj_ioc_match_ip4(s, 0x0a000000u | (unsigned)found, 0, NULL) ||
            yj_ioc_set_count(s) != 2)
            atomic_fetch_add(&sh->torn, 1);
        yj_ioc_leave(r);
        n++;
    }
    atomic_fetch_add(&sh->lookups, n);
    return NULL;
}

static unsigned next_k = 1000;
static struct yj_ioc_set *build(void *arg, struct yj_diag *d)
{
    (void)d;
    unsigned *k = arg;
    return make((*k)++);
}
static struct yj_ioc_set *build_fail(void *arg, struct yj_diag *d)
{
    (void)arg;
    yj_diag_add(d, "x.txt", 3, "broken");
    return NULL;
}

static void swaps(void **state)
{
    (void)state;
    struct shared sh;
    sh.h = yj_ioc_holder_new(make(0));
    atomic_init(&sh.stop, false);
    atomic_init(&sh.lookups, 0);
    atomic_init(&sh.torn, 0);
    pthread_t t[READERS];
    for (int i = 0; i < READERS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, reader, &sh), 0);
    /* direct swaps from this thread */
    for (unsigned k = 1; k <= 200; k++)
        yj_ioc_holder_swap(sh.h, make(k));
    /* background reloads */
    for (int i = 0; i < 50; i++) {
        enum yj_err e = yj_ioc_holder_reload(sh.h, build, &next_k);
        assert_int_equal(e, YJ_ERR_OK);
        /* a second one while the first runs is refused, or starts after it ended */
        enum yj_err e2 = yj_ioc_holder_reload(sh.h, build, &next_k);
        assert_true(e2 == YJ_ERR_STATE || e2 == YJ_ERR_OK);
        struct yj_diag d;
        yj_diag_init(&d);
        assert_int_equal(yj_ioc_holder_wait(sh.h, &d), YJ_ERR_OK);
        yj_diag_fini(&d);
    }
    /* a failed build keeps the current set and reports why */
    uint64_t gen = yj_ioc_holder_generation(sh.h);
    assert_int_equal(yj_ioc_holder_reload(sh.h, build_fail, NULL), YJ_ERR_OK);
    struct yj_diag d;
    yj_diag_init(&d);
    assert_int_not_equal(yj_ioc_holder_wait(sh.h, &d), YJ_ERR_OK);
    assert_non_null(ut_diag_find(&d, 3, "broken"));
    yj_diag_fini(&d);
    assert_int_equal(yj_ioc_holder_generation(sh.h), gen);
    assert_true(gen >= 250);
    atomic_store(&sh.stop, true);
    for (int i = 0; i < READERS; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(atomic_load(&sh.torn), 0);
    assert_true(atomic_load(&sh.lookups) > 0);
    yj_ioc_holder_free(sh.h); /* LeakSanitizer: every replaced set was freed */
}

/* The ready-made builder: lists from files, swapped in; a missing file keeps the set */
static void reload_lists(void **state)
{
    (void)state;
    char *dir = ut_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/l.txt", dir);
    ut_write(path, "evil.example\n");
    const char *files[] = {path};
    struct yj_ioc_lists l = {dir, false, files, 1};
    struct yj_ioc_holder *h = yj_ioc_holder_new(make(1));
    struct yj_ioc_reader *r = yj_ioc_reader_add(h);
    assert_false(yj_ioc_match_domain(yj_ioc_enter(r), "evil.example", 12, NULL));
    yj_ioc_leave(r);
    assert_int_equal(yj_ioc_holder_reload(h, yj_ioc_build_lists, &l), YJ_ERR_OK);
    assert_int_equal(yj_ioc_holder_wait(h, NULL), YJ_ERR_OK);
    assert_true(yj_ioc_match_domain(yj_ioc_enter(r), "a.evil.example", 14, NULL));
    yj_ioc_leave(r);
    unlink(path);
    struct yj_diag d;
    yj_diag_init(&d);
    assert_int_equal(yj_ioc_holder_reload(h, yj_ioc_build_lists, &l), YJ_ERR_OK);
    assert_int_not_equal(yj_ioc_holder_wait(h, &d), YJ_ERR_OK);
    assert_true(d.n >= 1 && d.v[0].file && strstr(d.v[0].file, "l.txt"));
    yj_diag_fini(&d);
    assert_true(yj_ioc_match_domain(yj_ioc_enter(r), "evil.example", 12, NULL));
    yj_ioc_leave(r);
    yj_ioc_holder_free(h);
    ut_rmtree(dir);
    free(dir);
}

static void readers_max(void **state)
{
    (void)state;
    struct yj_ioc_holder *h = yj_ioc_holder_new(make(1));
    for (int i = 0; i < YJ_IOC_READERS_MAX; i++)
        assert_non_null(yj_ioc_reader_add(h));
    assert_null(yj_ioc_reader_add(h));
    yj_ioc_holder_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(swaps), cmocka_unit_test(readers_max),
                                       cmocka_unit_test(reload_lists)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
