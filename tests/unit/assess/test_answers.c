/* assess/answers: the answers-file parser. Every bad line, duplicate and missing item is
 * reported with file and line; on error the output is untouched. */
#include "ut_assess.h"

struct fx {
    struct yj_diag d;
    struct yj_answers out;
};

static int setup(void **state)
{
    struct fx *f = yj_xcalloc(1, sizeof *f);
    yj_diag_init(&f->d);
    /* A recognisable pattern that a failed parse must leave alone. */
    for (int i = 0; i < YJ_ITEMS; i++)
        f->out.a[i] = YJ_ANS_PARTIAL;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    yj_diag_fini(&f->d);
    free(f);
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    ut_i18n_real();
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    yj_i18n_fini();
    return 0;
}

static enum yj_err parse(struct fx *f, const char *text)
{
    return yj_answers_parse("answers.txt", text, strlen(text), &f->out, &f->d);
}

static void assert_untouched(const struct fx *f)
{
    for (int i = 0; i < YJ_ITEMS; i++)
        assert_int_equal(f->out.a[i], YJ_ANS_PARTIAL);
}

/* "N yes" for items first..last (1-based), one per line. */
static char *lines_yes(int first, int last)
{
    char *s = yj_xstrdup("");
    for (int i = first; i <= last; i++) {
        char *t = NULL;
        if (asprintf(&t, "%s%d yes\n", s, i) < 0)
            yj_oom();
        free(s);
        s = t;
    }
    return s;
}

static void good_file(void **state)
{
    struct fx *f = *state;
    const char *text = "# yojin answers, written by hand\r\n"
                       "\r\n"
                       "Q01 yes\r\n"
                       "q2   partial   # a comment after the answer\r\n"
                       "03\tNO\r\n"
                       "4 Unknown\r\n"
                       "5 na\r\n"
                       "   # indented comment\n"
                       "6 実施している\n"
                       "7 一部実施している\n"
                       "8 実施していない\n"
                       "9 わからない\n"
                       "10 該当しない\n"
                       "11 yes\n12 yes\n13 yes\n14 yes\n15 yes\n16 yes\n17 yes\n18 yes\n"
                       "19 yes\n20 yes\n21 yes\n22 yes\n23 yes\n24 yes\n"
                       "Q25 no"; /* no final newline */
    assert_int_equal(parse(f, text), YJ_ERR_OK);
    assert_int_equal(f->d.n, 0);
    struct yj_answers want;
    ut_answers(&want, "ypnua ypnuayyyyyyyy yyyyyyn");
    assert_memory_equal(&f->out, &want, sizeof want);
}

static void item_order_does_not_matter(void **state)
{
    struct fx *f = *state;
    char *fwd = lines_yes(1, 25);
    /* Reverse the lines. */
    char *rev = yj_xstrdup("");
    for (int i = 25; i >= 1; i--) {
        char *t = NULL;
        if (asprintf(&t, "%s%d %s\n", rev, i, i % 2 ? "no" : "yes") < 0)
            yj_oom();
        free(rev);
        rev = t;
    }
    assert_int_equal(parse(f, rev), YJ_ERR_OK);
    for (int i = 0; i < YJ_ITEMS; i++)
        assert_int_equal(f->out.a[i], (i + 1) % 2 ? YJ_ANS_NO : YJ_ANS_YES);
    free(fwd);
    free(rev);
}

static void missing_items_each_reported(void **state)
{
    struct fx *f = *state;
    char *head = lines_yes(1, 6), *tail = lines_yes(8, 23);
    char *text = NULL;
    assert_true(asprintf(&text, "%s%s", head, tail) > 0); /* no 7, 24, 25 */
    assert_int_equal(parse(f, text), YJ_ERR_INVALID);
    assert_int_equal(f->d.n, 3);
    ut_assert_diag(&f->d, 0, "item 7 has no answer");
    ut_assert_diag(&f->d, 0, "item 24 has no answer");
    ut_assert_diag(&f->d, 0, "item 25 has no answer");
    for (size_t i = 0; i < f->d.n; i++)
        assert_string_equal(f->d.v[i].file, "answers.txt");
    assert_untouched(f);
    free(head);
    free(tail);
    free(text);
}

static void empty_file_reports_all_25(void **state)
{
    struct fx *f = *state;
    assert_int_equal(parse(f, ""), YJ_ERR_INVALID);
    assert_int_equal(f->d.n, 25);
    assert_untouched(f);
}

static void duplicate_names_both_lines(void **state)
{
    struct fx *f = *state;
    char *all = lines_yes(1, 25);
    char *text = NULL;
    assert_true(asprintf(&text, "%sQ03 no\n", all) > 0); /* line 26 repeats line 3 */
    assert_int_equal(parse(f, text), YJ_ERR_INVALID);
    assert_int_equal(f->d.n, 1);
    ut_assert_diag(&f->d, 26, "item 3 is answered twice (first on line 3)");
    assert_untouched(f);
    free(all);
    free(text);
}

static void every_bad_line_reported(void **state)
{
    struct fx *f = *state;
    char *rest = lines_yes(5, 25);
    char *text = NULL;
    assert_true(asprintf(&text,
                         "1 yes\n"          /* 1 */
                         "26 yes\n"         /* 2: no such item */
                         "2 maybe\n"        /* 3: no such answer */
                         "3 yes please\n"   /* 4: extra token */
                         "Q4\n"             /* 5: no answer */
                         "x no\n"           /* 6: not an item */
                         "4 yes\n"          /* 7 */
                         "%s"               /* 8..28: items 5..25 */
                         "1 no\n"           /* 29: duplicate of line 1 */
                         "bad\x01line\n",   /* 30: control character */
                         rest) > 0);
    assert_int_equal(parse(f, text), YJ_ERR_INVALID);
    ut_assert_diag(&f->d, 2, "'26' is not an item number");
    ut_assert_diag(&f->d, 3, "'maybe' is not an answer");
    ut_assert_diag(&f->d, 4, "unexpected 'please' after the answer");
    ut_assert_diag(&f->d, 5, "item 'Q4' has no answer");
    ut_assert_diag(&f->d, 6, "'x' is not an item number");
    ut_assert_diag(&f->d, 29, "item 1 is answered twice (first on line 1)");
    ut_assert_diag(&f->d, 30, "control characters");
    /* Items 2 and 3 were on bad lines, so they are also missing. */
    ut_assert_diag(&f->d, 0, "item 2 has no answer");
    ut_assert_diag(&f->d, 0, "item 3 has no answer");
    assert_int_equal(f->d.n, 9);
    for (size_t i = 0; i < f->d.n; i++)
        assert_string_equal(f->d.v[i].file, "answers.txt");
    assert_untouched(f);
    free(rest);
    free(text);
}

static void crlf_and_invalid_utf8(void **state)
{
    struct fx *f = *state;
    char *rest = lines_yes(2, 25);
    char *text = NULL;
    assert_true(asprintf(&text, "1 \xe5\xae\x9f\xff\r\n%s", rest) > 0);
    assert_int_equal(parse(f, text), YJ_ERR_INVALID);
    ut_assert_diag(&f->d, 1, "invalid UTF-8");
    assert_untouched(f);
    free(rest);
    free(text);
}

static void comment_hides_everything_after_hash(void **state)
{
    struct fx *f = *state;
    char *rest = lines_yes(2, 25);
    char *text = NULL;
    assert_true(asprintf(&text, "1 no#yes\n# 1 yes\n%s", rest) > 0);
    assert_int_equal(parse(f, text), YJ_ERR_OK);
    assert_int_equal(f->out.a[0], YJ_ANS_NO);
    free(rest);
    free(text);
}

/* At most 10000 lines: exactly 10000 is fine, 10001 is LIMIT. */
static void line_limit_at_boundary(void **state)
{
    struct fx *f = *state;
    char *all = lines_yes(1, 25);
    char *pad = ut_repeat("#\n", 10000 - 25);
    char *text = NULL;
    assert_true(asprintf(&text, "%s%s", all, pad) > 0);
    assert_int_equal(parse(f, text), YJ_ERR_OK);
    assert_int_equal(f->d.n, 0);
    free(text);
    for (int i = 0; i < YJ_ITEMS; i++)
        f->out.a[i] = YJ_ANS_PARTIAL;
    assert_true(asprintf(&text, "%s%s\n", all, pad) > 0);
    assert_int_equal(parse(f, text), YJ_ERR_LIMIT);
    ut_assert_diag(&f->d, 10001, "too many lines");
    assert_untouched(f);
    free(text);
    free(pad);
    free(all);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(good_file),
        T(item_order_does_not_matter),
        T(missing_items_each_reported),
        T(empty_file_reports_all_25),
        T(duplicate_names_both_lines),
        T(every_bad_line_reported),
        T(crlf_and_invalid_utf8),
        T(comment_hides_everything_after_hash),
        T(line_limit_at_boundary),
    };
#undef T
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
