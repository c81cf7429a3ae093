/* base/arena: zeroed, aligned bump allocation; large requests; strdup. */
#include "ut.h"

#include <stdalign.h>
#include <string.h>

#include "base/arena.h"

static void zeroed_and_aligned(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a);
    for (size_t n = 1; n < 300; n += 7) {
        unsigned char *p = yj_arena_alloc(&a, n);
        assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(p[i], 0);
        memset(p, 0xab, n);
    }
    yj_arena_fini(&a);
    assert_null(a.head);
}

static void large_and_many(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a);
    char *small = yj_arena_strdup(&a, "kept");
    /* Bigger than a chunk, then more small ones: earlier allocations stay intact. */
    unsigned char *big = yj_arena_alloc(&a, 100000);
    for (size_t i = 0; i < 100000; i++)
        assert_int_equal(big[i], 0);
    memset(big, 1, 100000);
    char *after = yj_arena_strdup(&a, "after");
    for (int i = 0; i < 5000; i++)
        memset(yj_arena_alloc(&a, 24), 0xcd, 24);
    assert_string_equal(small, "kept");
    assert_string_equal(after, "after");
    assert_int_equal(big[99999], 1);
    yj_arena_fini(&a);
}

static void strndup_terminates(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a);
    char *s = yj_arena_strndup(&a, "abcdef", 3);
    assert_string_equal(s, "abc");
    char *e = yj_arena_strndup(&a, "", 0);
    assert_string_equal(e, "");
    yj_arena_fini(&a);
    yj_arena_fini(&a); /* fini twice is harmless */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(zeroed_and_aligned),
        cmocka_unit_test(large_and_many),
        cmocka_unit_test(strndup_terminates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
