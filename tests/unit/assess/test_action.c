/* assess/action: the SECURITY ACTION facts file and readiness for one and two stars. */
#include "ut_assess.h"

static struct yj_bank bank;
static struct yj_action_facts facts;
static char *facts_text;

static int group_setup(void **state)
{
    (void)state;
    ut_i18n_real();
    ut_bank_real(&bank);
    char *path = ut_src_path("data/assess/action.yaml");
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_action_load(&facts, path, &d);
    if (err)
        ut_diag_dump(&d);
    assert_int_equal(err, YJ_ERR_OK);
    yj_diag_fini(&d);
    facts_text = ut_read(path, NULL);
    free(path);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    yj_action_fini(&facts);
    yj_bank_fini(&bank);
    free(facts_text);
    yj_i18n_fini();
    return 0;
}

static void shipped_facts(void **state)
{
    (void)state;
    assert_true(strlen(facts.source) > 0);
    assert_string_equal(facts.as_of, "2026-11-01");
    for (int i = 0; i < YJ_PRINCIPLES; i++) {
        assert_int_equal(facts.p[i].num, i + 1);
        assert_int_equal(facts.p[i].item, i); /* principle n is item Qn */
        assert_true(strlen(facts.p[i].title.v[YJ_LANG_JA]) > 0);
        assert_true(strlen(facts.p[i].title.v[YJ_LANG_EN]) > 0);
    }
}

static void result_of(const char *codes, struct yj_result *r)
{
    struct yj_answers a;
    ut_answers(&a, codes);
    yj_assess_score(&bank, &a, r);
}

static void no_diagnosis(void **state)
{
    (void)state;
    struct yj_action_status st;
    yj_action_assess(&facts, NULL, true, "https://example.jp/policy", &st);
    assert_false(st.have_diagnosis);
    assert_int_equal(st.principles_ok, 0);
    for (int i = 0; i < YJ_PRINCIPLES; i++) {
        assert_false(st.principle_ok[i]);
        assert_int_equal(st.principle_answer[i], YJ_ANS_NONE);
    }
    assert_false(st.one_star);
    assert_true(st.have_policy);
    assert_true(st.policy_published);
    assert_false(st.two_star); /* the diagnosis is missing */
}

static void all_yes(void **state)
{
    (void)state;
    struct yj_result r;
    struct yj_action_status st;
    result_of("yyyyy yyyyyyyyyyyyy yyyyyyy", &r);
    yj_action_assess(&facts, &r, false, NULL, &st);
    assert_true(st.have_diagnosis);
    assert_int_equal(st.principles_ok, 5);
    assert_true(st.one_star);
    assert_false(st.have_policy);
    assert_false(st.policy_published);
    assert_false(st.two_star);
    for (int i = 0; i < YJ_PRINCIPLES; i++) {
        assert_true(st.principle_ok[i]);
        assert_int_equal(st.principle_answer[i], YJ_ANS_YES);
    }
}

static void some_principles_missing(void **state)
{
    (void)state;
    struct yj_result r;
    struct yj_action_status st;
    /* Q02 partial, Q04 not applicable: only a real "yes" counts. */
    result_of("ypyay nnnnnnnnnnnnn nnnnnnn", &r);
    yj_action_assess(&facts, &r, true, "https://example.jp/policy", &st);
    static const bool ok[] = {true, false, true, false, true};
    static const enum yj_answer ans[] = {YJ_ANS_YES, YJ_ANS_PARTIAL, YJ_ANS_YES, YJ_ANS_NA,
                                         YJ_ANS_YES};
    for (int i = 0; i < YJ_PRINCIPLES; i++) {
        assert_int_equal(st.principle_ok[i], ok[i]);
        assert_int_equal(st.principle_answer[i], ans[i]);
    }
    assert_int_equal(st.principles_ok, 3);
    assert_false(st.one_star);
    /* Two stars need the diagnosis and a published policy, not the five principles. */
    assert_true(st.two_star);
    /* Items other than Q01-Q05 do not matter for one star. */
    result_of("yyyyy nnnnnnnnnnnnn uuuuuuu", &r);
    yj_action_assess(&facts, &r, false, NULL, &st);
    assert_true(st.one_star);
    assert_false(st.two_star);
}

static void two_star_needs_published_policy(void **state)
{
    (void)state;
    struct yj_result r;
    struct yj_action_status st;
    result_of("yyyyy yyyyyyyyyyyyy yyyyyyy", &r);
    static const struct {
        bool have;
        const char *url;
        bool published, two;
    } cases[] = {
        {true, "https://example.jp/policy", true, true},
        {true, "", false, false},
        {true, NULL, false, false},
        {false, "https://example.jp/policy", false, false},
        {false, NULL, false, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        yj_action_assess(&facts, &r, cases[i].have, cases[i].url, &st);
        assert_int_equal(st.have_policy, cases[i].have);
        assert_int_equal(st.policy_published, cases[i].published);
        assert_int_equal(st.two_star, cases[i].two);
        assert_true(st.one_star);
    }
}

/* Writes text to a temporary file and loads it as facts; returns the error. */
static enum yj_err load_text(const char *text, struct yj_diag *d)
{
    char *dir = ut_tmpdir(), *path = NULL;
    assert_true(asprintf(&path, "%s/action.yaml", dir) > 0);
    ut_write(path, text);
    struct yj_action_facts f;
    enum yj_err err = yj_action_load(&f, path, d);
    if (err == YJ_ERR_OK)
        yj_action_fini(&f);
    ut_rmtree(dir);
    free(path);
    free(dir);
    return err;
}

static void bad_facts(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to;
        enum yj_err err;
        const char *at; /* line of the original text the message is about */
        const char *msg;
    } cases[] = {
        {"item: Q03", "item: Q26", YJ_ERR_INVALID, "  - principle: 3",
         "principle number 3 or item 'Q26' is not valid"},
        {"principle: 5", "principle: 4", YJ_ERR_INVALID, "  - principle: 5",
         "principle number 4 or item 'Q05' is not valid"},
        {"principle: 2", "principle: 9", YJ_ERR_INVALID, "  - principle: 2", "number 9"},
        {"  - principle: 1\n", "  - principle: 1\n    colour: red\n", YJ_ERR_INVALID,
         "    item: Q01", "unknown key 'colour'"},
        {"source:", "origin:", YJ_ERR_INVALID, "source:", "unknown key 'origin'"},
        {"      en: Learn about new threats and attack methods\n", "", YJ_ERR_INVALID,
         "      ja: 新しい脅威", "has no text in language 'en'"},
        {"as_of: 2026-11-01", "as_of: 2026-11-01\nas_of: 2026-11-02", YJ_ERR_PARSE,
         "principles:", "'as_of' appears twice"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct yj_diag d;
        yj_diag_init(&d);
        char *text = ut_replace1(facts_text, cases[i].from, cases[i].to);
        enum yj_err err = load_text(text, &d);
        if (err != cases[i].err) {
            ut_diag_dump(&d);
            fail_msg("case %zu: error %d", i, err);
        }
        ut_assert_diag(&d, ut_line_of(facts_text, cases[i].at), cases[i].msg);
        yj_diag_fini(&d);
        free(text);
    }
}

static void missing_principle(void **state)
{
    (void)state;
    unsigned from = ut_line_of(facts_text, "  - principle: 5");
    char *text = ut_drop_lines(facts_text, from, from + 4);
    struct yj_diag d;
    yj_diag_init(&d);
    assert_int_equal(load_text(text, &d), YJ_ERR_INVALID);
    ut_assert_diag(&d, ut_line_of(facts_text, "  - principle: 1"), "principle 5 is missing");
    yj_diag_fini(&d);
    free(text);
    struct yj_action_facts f;
    assert_int_equal(yj_action_load(&f, "/nonexistent/action.yaml", NULL), YJ_ERR_IO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_facts),
        cmocka_unit_test(no_diagnosis),
        cmocka_unit_test(all_yes),
        cmocka_unit_test(some_principles_missing),
        cmocka_unit_test(two_star_needs_published_policy),
        cmocka_unit_test(bad_facts),
        cmocka_unit_test(missing_principle),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
