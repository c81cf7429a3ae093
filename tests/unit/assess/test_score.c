/* assess/score: points, totals, bands at their edges, parts, the follow-up lists, answer
 * words, item numbers, and the weakest-answer combination. Uses the shipped bank. */
#include "ut_assess.h"

static struct yj_bank bank;

static int group_setup(void **state)
{
    (void)state;
    ut_i18n_real();
    ut_bank_real(&bank);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    yj_bank_fini(&bank);
    yj_i18n_fini();
    return 0;
}

static void points_table(void **state)
{
    (void)state;
    static const struct {
        enum yj_answer a;
        int points;
        const char *code, *key, *label;
    } rows[] = {
        {YJ_ANS_YES, 4, "yes", "answer.yes", "Yes"},
        {YJ_ANS_PARTIAL, 2, "partial", "answer.partial", "Partly"},
        {YJ_ANS_NO, 0, "no", "answer.no", "No"},
        {YJ_ANS_UNKNOWN, -1, "unknown", "answer.unknown", "Don't know"},
        {YJ_ANS_NA, 4, "na", "answer.na", "Not applicable"},
        {YJ_ANS_NONE, -1, "", "answer.none", "not answered"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_true(yj_answer_points(rows[i].a) == rows[i].points);
        assert_string_equal(yj_answer_code(rows[i].a), rows[i].code);
        assert_string_equal(yj_answer_key(rows[i].a), rows[i].key);
        assert_string_equal(yj_answer_label(rows[i].a), rows[i].label);
    }
    assert_true(yj_answer_points(YJ_ANS__COUNT) == -1);
    assert_string_equal(yj_answer_code(YJ_ANS__COUNT), "");
}

struct score_case {
    const char *name;
    const char *answers; /* see ut_answers */
    int total;
    int band_min, band_max;
    int parts[YJ_PARTS];
    size_t nunknown, nna, nweak;
    bool complete;
};

static const struct score_case score_cases[] = {
    {"all yes", "yyyyy yyyyyyyyyyyyy yyyyyyy", 100, 100, 100, {20, 52, 28}, 0, 0, 0, true},
    {"all unknown", "uuuuu uuuuuuuuuuuuu uuuuuuu", -25, -25, 49, {-5, -13, -7}, 25, 0, 25, true},
    {"all no", "nnnnn nnnnnnnnnnnnn nnnnnnn", 0, -25, 49, {0, 0, 0}, 0, 0, 25, true},
    {"all na", "aaaaa aaaaaaaaaaaaa aaaaaaa", 100, 100, 100, {20, 52, 28}, 0, 25, 0, true},
    {"all partial", "ppppp ppppppppppppp ppppppp", 50, 50, 69, {10, 26, 14}, 0, 0, 25, true},
    /* 99 cannot be reached (25 items of 4, 2, 0 or -1): 98 is the top of 70-99. */
    {"98", "yyyyy yyyyyyyyyyyyy yyyyyyp", 98, 70, 99, {20, 52, 26}, 0, 0, 1, true},
    {"70", "uuuuu uyyyyyyyyyyyy yyyyyyy", 70, 70, 99, {-5, 47, 28}, 6, 0, 6, true},
    {"69", "uuuuu pppyyyyyyyyyy yyyyyyy", 69, 50, 69, {-5, 46, 28}, 5, 0, 8, true},
    {"50", "yyyyy yyyyyyyyyyuuu uuuuuuu", 50, 50, 69, {20, 37, -7}, 10, 0, 10, true},
    {"49", "yyyyy yyyyyyyypppuu uuuuuuu", 49, -25, 49, {20, 36, -7}, 9, 0, 12, true},
    {"na counts 4", "aaaaa nnnnnnnnnnnnn aaaaaaa", 48, -25, 49, {20, 0, 28}, 0, 12, 13, true},
    {"unanswered", "-yyyy yyyyyyyyyyyyy yyyyyy-", 90, 70, 99, {15, 52, 23}, 2, 0, 2, false},
    {"nothing answered", "----- ------------- -------", -25, -25, 49, {-5, -13, -7}, 25, 0,
     25, false},
};

static void score_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof score_cases / sizeof score_cases[0]; i++) {
        const struct score_case *c = &score_cases[i];
        struct yj_answers a;
        struct yj_result r;
        ut_answers(&a, c->answers);
        yj_assess_score(&bank, &a, &r);
        if (r.total != c->total || !r.band || r.band->min != c->band_min ||
            r.band->max != c->band_max || r.complete != c->complete ||
            r.nunknown != c->nunknown || r.nna != c->nna || r.nweak != c->nweak) {
            print_error("case '%s': total %d band %d..%d complete %d unknown %zu na %zu "
                        "weak %zu\n",
                        c->name, r.total, r.band ? r.band->min : 999,
                        r.band ? r.band->max : 999, r.complete, r.nunknown, r.nna, r.nweak);
            fail();
        }
        int sum = 0;
        for (int p = 0; p < YJ_PARTS; p++) {
            if (r.part_score[p] != c->parts[p]) {
                print_error("case '%s': part %d is %d, want %d\n", c->name, p + 1,
                            r.part_score[p], c->parts[p]);
                fail();
            }
            sum += r.part_score[p];
        }
        assert_true(sum == r.total);
        assert_ptr_equal(r.bank, &bank);
        assert_memory_equal(&r.answers, &a, sizeof a); /* unanswered stays unanswered */
        for (int k = 0; k < YJ_ITEMS; k++) {
            enum yj_answer x = a.a[k] == YJ_ANS_NONE ? YJ_ANS_UNKNOWN : a.a[k];
            assert_true(r.points[k] == yj_answer_points(x));
        }
    }
}

static void part_maxima(void **state)
{
    (void)state;
    struct yj_answers a;
    struct yj_result r;
    ut_answers(&a, "nnnnn nnnnnnnnnnnnn nnnnnnn");
    yj_assess_score(&bank, &a, &r);
    assert_int_equal(r.part_max[0], 20);
    assert_int_equal(r.part_max[1], 52);
    assert_int_equal(r.part_max[2], 28);
}

static void follow_up_lists(void **state)
{
    (void)state;
    struct yj_answers a;
    struct yj_result r;
    /*            Q01-05 Q06-18        Q19-25 */
    ut_answers(&a, "yypyn ypyyuyayyyyyy yuyyyyy");
    yj_assess_score(&bank, &a, &r);
    /* Unknown and not applicable in item order. */
    assert_int_equal(r.nunknown, 2);
    assert_int_equal(r.unknown[0], 9);  /* Q10 */
    assert_int_equal(r.unknown[1], 19); /* Q20 */
    assert_int_equal(r.nna, 1);
    assert_int_equal(r.not_applicable[0], 11); /* Q12 */
    /* Weakest first: fewest points, then item order; na and yes are not weak. */
    static const int weak[] = {9, 19, 4, 2, 6};
    assert_int_equal(r.nweak, 5);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(r.weak[i], weak[i]);
    assert_true(r.complete);
    assert_int_equal(r.total, 4 * 20 + 2 * 2 + 0 - 2);
}

static void weak_order_is_stable_for_many_ties(void **state)
{
    (void)state;
    struct yj_answers a;
    struct yj_result r;
    ut_answers(&a, "pnpnp nunununununun pnpnpnp");
    yj_assess_score(&bank, &a, &r);
    assert_int_equal(r.nweak, 25);
    for (size_t i = 1; i < r.nweak; i++) {
        int x = r.weak[i - 1], y = r.weak[i];
        assert_true(r.points[x] < r.points[y] || (r.points[x] == r.points[y] && x < y));
    }
}

static void answer_words(void **state)
{
    (void)state;
    static const struct {
        const char *w;
        enum yj_answer a;
    } good[] = {
        {"yes", YJ_ANS_YES},         {"YES", YJ_ANS_YES},
        {"Yes", YJ_ANS_YES},         {"partial", YJ_ANS_PARTIAL},
        {"PaRtIaL", YJ_ANS_PARTIAL}, {"no", YJ_ANS_NO},
        {"NO", YJ_ANS_NO},           {"unknown", YJ_ANS_UNKNOWN},
        {"Unknown", YJ_ANS_UNKNOWN}, {"na", YJ_ANS_NA},
        {"NA", YJ_ANS_NA},           {"nA", YJ_ANS_NA},
        {"実施している", YJ_ANS_YES},
        {"一部実施している", YJ_ANS_PARTIAL},
        {"実施していない", YJ_ANS_NO},
        {"わからない", YJ_ANS_UNKNOWN},
        {"該当しない", YJ_ANS_NA},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        enum yj_answer a = YJ_ANS_NONE;
        if (!yj_answer_parse(yj_str_c(good[i].w), &a) || a != good[i].a) {
            print_error("'%s' -> %d\n", good[i].w, a);
            fail();
        }
    }
    static const char *const bad[] = {
        "", "y", "n", "yess", "ye", "n/a", "none", "not", " yes", "yes ", "実施",
        "ＹＥＳ", "実施しています", "はい", "0", "4",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        enum yj_answer a = YJ_ANS_NA;
        if (yj_answer_parse(yj_str_c(bad[i]), &a)) {
            print_error("accepted '%s'\n", bad[i]);
            fail();
        }
        assert_int_equal(a, YJ_ANS_NA); /* untouched */
    }
}

static void item_numbers(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int idx;
    } cases[] = {
        {"7", 6},     {"07", 6},    {"Q07", 6},  {"q7", 6},   {"Q7", 6},   {"q07", 6},
        {"1", 0},     {"01", 0},    {"Q01", 0},  {"25", 24},  {"Q25", 24}, {"q25", 24},
        {"0", -1},    {"00", -1},   {"Q00", -1}, {"26", -1},  {"Q26", -1}, {"99", -1},
        {"Q", -1},    {"q", -1},    {"", -1},    {"Q001", -1}, {"007", -1}, {"+3", -1},
        {"-3", -1},   {"Q+3", -1},  {"Q-1", -1}, {"3a", -1},  {"QQ3", -1}, {"R3", -1},
        {" 3", -1},   {"3 ", -1},   {"Ｑ3", -1},  {"３", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = yj_item_index(yj_str_c(cases[i].s));
        if (got != cases[i].idx) {
            print_error("'%s' -> %d, want %d\n", cases[i].s, got, cases[i].idx);
            fail();
        }
    }
    /* Every Qnn of the bank maps back to its index. */
    for (int i = 0; i < YJ_ITEMS; i++)
        assert_int_equal(yj_item_index(yj_str_c(bank.items[i].id)), i);
}

static void combine_takes_weakest(void **state)
{
    (void)state;
    /* Per item: unknown < no < partial < yes < na; unanswered sets are skipped. */
    static const struct {
        const char *x, *y, *want;
    } cases[] = {
        {"yyyyy yyyyyyyyyyyyy yyyyyyy", "yyyyy yyyyyyyyyyyyy yyyyyyy",
         "yyyyy yyyyyyyyyyyyy yyyyyyy"},
        {"yyyyy aaaaapppnnuuu -----aa", "upnay yupnayupnayup yupna-u",
         "upnyy yupnapupnnuuu yupnaau"},
        {"aaaaa aaaaaaaaaaaaa aaaaaaa", "yyyyy yyyyyyyyyyyyy yyyyyyy",
         "yyyyy yyyyyyyyyyyyy yyyyyyy"},
        {"----- ------------- -------", "pnuay ------------- -------",
         "pnuay ------------- -------"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct yj_answers sets[2], got, want;
        ut_answers(&sets[0], cases[i].x);
        ut_answers(&sets[1], cases[i].y);
        ut_answers(&want, cases[i].want);
        yj_assess_combine(sets, 2, &got);
        assert_memory_equal(&got, &want, sizeof want);
        /* Order does not matter. */
        struct yj_answers swapped[2] = {sets[1], sets[0]};
        yj_assess_combine(swapped, 2, &got);
        assert_memory_equal(&got, &want, sizeof want);
    }
    /* One set is itself; none gives nothing answered. */
    struct yj_answers one, got, none;
    ut_answers(&one, "upnay yupnayupnayup yupna-u");
    yj_assess_combine(&one, 1, &got);
    assert_memory_equal(&got, &one, sizeof one);
    yj_assess_combine(NULL, 0, &got);
    ut_answers(&none, "----- ------------- -------");
    assert_memory_equal(&got, &none, sizeof none);
    /* Three sets. */
    struct yj_answers three[3];
    ut_answers(&three[0], "yyyyy yyyyyyyyyyyyy yyyyyyy");
    ut_answers(&three[1], "ayyyy yyyyyyyyyyyyy yyyyyyp");
    ut_answers(&three[2], "yyyyy yyyyyynyyyyyy yyyyyyy");
    yj_assess_combine(three, 3, &got);
    struct yj_answers want3;
    ut_answers(&want3, "yyyyy yyyyyynyyyyyy yyyyyyp");
    assert_memory_equal(&got, &want3, sizeof want3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(points_table),
        cmocka_unit_test(score_table),
        cmocka_unit_test(part_maxima),
        cmocka_unit_test(follow_up_lists),
        cmocka_unit_test(weak_order_is_stable_for_many_ties),
        cmocka_unit_test(answer_words),
        cmocka_unit_test(item_numbers),
        cmocka_unit_test(combine_takes_weakest),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
