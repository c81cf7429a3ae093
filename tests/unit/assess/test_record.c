/* assess/record: finished diagnoses, drafts, history, latest per department and the
 * company result, in a temporary store. YOJIN_NOW fixes every timestamp. */
#include "ut_assess.h"

#include <stdlib.h>

#include "store/store.h"

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
    unsetenv("YOJIN_NOW");
    return 0;
}

struct fx {
    char *dir;
    struct yj_store *s;
    struct yj_diag d;
    struct yj_diagnosis_list l;
    struct yj_diagnosis x;
    struct yj_company_result c;
};

static int setup(void **state)
{
    struct fx *f = yj_xcalloc(1, sizeof *f);
    f->dir = ut_tmpdir();
    yj_diag_init(&f->d);
    enum yj_err err = yj_store_open(&f->s, f->dir, &yj_assess_schema, 1, &f->d);
    if (err)
        ut_diag_dump(&f->d);
    assert_int_equal(err, YJ_ERR_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    yj_diagnosis_list_fini(&f->l);
    yj_diagnosis_fini(&f->x);
    yj_company_result_fini(&f->c);
    yj_store_close(f->s);
    ut_rmtree(f->dir);
    free(f->dir);
    yj_diag_fini(&f->d);
    free(f);
    return 0;
}

static void at(const char *iso)
{
    assert_int_equal(setenv("YOJIN_NOW", iso, 1), 0);
}

/* Scores codes and stores them as finished at time `when`. */
static int64_t save(struct fx *f, const char *codes, const char *respondent, const char *dept,
                    const char *when)
{
    struct yj_answers a;
    struct yj_result r;
    ut_answers(&a, codes);
    yj_assess_score(&bank, &a, &r);
    at(when);
    int64_t id = 0;
    assert_int_equal(yj_assess_save(f->s, &r, respondent, dept, &id), YJ_ERR_OK);
    assert_true(id > 0);
    return id;
}

static void assert_answers(const struct yj_answers *got, const char *codes)
{
    struct yj_answers want;
    ut_answers(&want, codes);
    assert_memory_equal(got, &want, sizeof want);
}

static int64_t count(struct fx *f, const char *sql)
{
    struct yj_stmt *st;
    assert_int_equal(yj_stmt_prepare(f->s, sql, &st), YJ_ERR_OK);
    bool row;
    assert_int_equal(yj_stmt_step(st, &row), YJ_ERR_OK);
    int64_t n = yj_col_int(st, 0);
    yj_stmt_free(st);
    return n;
}

static const char ALL_YES[] = "yyyyy yyyyyyyyyyyyy yyyyyyy";
static const char MIXED[] = "ypnua ypnuayyyyyyyy yyyyyyn";

static void save_and_history(void **state)
{
    struct fx *f = *state;
    assert_int_equal(yj_assess_history(f->s, &f->l), YJ_ERR_OK);
    assert_int_equal(f->l.n, 0);
    int64_t id = save(f, MIXED, "山田 太郎", "", "2026-11-26T04:16:49Z");
    assert_int_equal(yj_assess_history(f->s, &f->l), YJ_ERR_OK);
    assert_int_equal(f->l.n, 1);
    const struct yj_diagnosis *x = &f->l.v[0];
    assert_true(x->id == id);
    assert_int_equal(x->status, YJ_DIAGNOSIS_DONE);
    assert_string_equal(x->bank, "yojin-5min");
    assert_string_equal(x->respondent, "山田 太郎");
    assert_string_equal(x->department, "");
    assert_string_equal(x->started_at, "2026-11-26T04:16:49Z");
    assert_string_equal(x->finished_at, "2026-11-26T04:16:49Z");
    assert_int_equal(x->total, 74);
    assert_answers(&x->answers, MIXED);
}

static void history_is_oldest_first(void **state)
{
    struct fx *f = *state;
    int64_t later = save(f, ALL_YES, "a", "", "2026-12-01T00:00:00Z");
    int64_t earlier = save(f, MIXED, "b", "営業", "2026-11-01T00:00:00Z");
    assert_int_equal(yj_assess_history(f->s, &f->l), YJ_ERR_OK);
    assert_int_equal(f->l.n, 2);
    assert_true(f->l.v[0].id == earlier);
    assert_true(f->l.v[1].id == later);
    assert_string_equal(f->l.v[0].department, "営業");
}

static void null_department_is_whole_company(void **state)
{
    struct fx *f = *state;
    save(f, ALL_YES, "a", NULL, "2026-11-01T00:00:00Z");
    assert_int_equal(yj_assess_history(f->s, &f->l), YJ_ERR_OK);
    assert_string_equal(f->l.v[0].department, "");
}

static void draft_lifecycle(void **state)
{
    struct fx *f = *state;
    at("2026-11-20T09:00:00Z");
    int64_t id = 0;
    assert_int_equal(yj_assess_draft_new(f->s, &bank, "佐藤", "総務", &id), YJ_ERR_OK);
    bool found = false;
    assert_int_equal(yj_assess_draft_find(f->s, "総務", &f->x, &found), YJ_ERR_OK);
    assert_true(found);
    assert_true(f->x.id == id);
    assert_int_equal(f->x.status, YJ_DIAGNOSIS_DRAFT);
    assert_string_equal(f->x.respondent, "佐藤");
    assert_string_equal(f->x.started_at, "2026-11-20T09:00:00Z");
    assert_null(f->x.finished_at);
    assert_int_equal(f->x.position, 0);
    assert_answers(&f->x.answers, "----- ------------- -------");
    yj_diagnosis_fini(&f->x);
    /* Another department has no draft. */
    assert_int_equal(yj_assess_draft_find(f->s, "営業", &f->x, &found), YJ_ERR_OK);
    assert_false(found);
    assert_int_equal(yj_assess_draft_find(f->s, NULL, &f->x, &found), YJ_ERR_OK);
    assert_false(found);

    /* Item by item, all but the last. */
    struct yj_answers want;
    ut_answers(&want, MIXED);
    for (int i = 0; i < YJ_ITEMS - 1; i++)
        assert_int_equal(yj_assess_draft_answer(f->s, id, i, want.a[i], i + 1), YJ_ERR_OK);
    assert_int_equal(yj_assess_draft_find(f->s, "総務", &f->x, &found), YJ_ERR_OK);
    assert_int_equal(f->x.position, 24);
    assert_answers(&f->x.answers, "ypnua ypnuayyyyyyyy yyyyyy-");
    yj_diagnosis_fini(&f->x);

    /* Incomplete: finishing is refused and the draft stays. */
    struct yj_result r;
    assert_int_equal(yj_assess_draft_finish(f->s, &bank, id, &r), YJ_ERR_STATE);
    assert_int_equal(yj_assess_draft_find(f->s, "総務", &f->x, &found), YJ_ERR_OK);
    assert_true(found);
    yj_diagnosis_fini(&f->x);
    assert_int_equal(yj_assess_history(f->s, &f->l), YJ_ERR_OK);
    assert_int_equal(f->l.n, 0);
    yj_diagnosis_list_fini(&f->l);

    /* Changing an answer, taking one back, then completing. */
    assert_int_equal(yj_assess_draft_answer(f->s, id, 0, YJ_ANS_NO, 1), YJ_ERR_OK);
    assert_int_equal(yj_assess_draft_answer(f->s, id, 0, YJ_ANS_YES, 1), YJ_ERR_OK);
    assert_int_equal(yj_assess_draft_answer(f->s, id, 24, YJ_ANS_UNKNOWN, 25), YJ_ERR_OK);
    assert_int_equal(yj_assess_draft_answer(f->s, id, 24, YJ_ANS_NONE, 25), YJ_ERR_OK);
    assert_int_equal(yj_assess_draft_finish(f->s, &bank, id, &r), YJ_ERR_STATE);
    assert_int_equal(yj_assess_draft_answer(f->s, id, 24, YJ_ANS_NO, 25), YJ_ERR_OK);
    at("2026-11-20T09:05:00Z");
    assert_int_equal(yj_assess_draft_finish(f->s, &bank, id, &r), YJ_ERR_OK);
    assert_true(r.complete);
    assert_int_equal(r.total, 74);
    assert_answers(&r.answers, MIXED);

    assert_int_equal(yj_assess_draft_find(f->s, "総務", &f->x, &found), YJ_ERR_OK);
    assert_false(found);
    assert_int_equal(yj_assess_history(f->s, &f->l), YJ_ERR_OK);
    assert_int_equal(f->l.n, 1);
    assert_true(f->l.v[0].id == id);
    assert_int_equal(f->l.v[0].status, YJ_DIAGNOSIS_DONE);
    assert_string_equal(f->l.v[0].started_at, "2026-11-20T09:00:00Z");
    assert_string_equal(f->l.v[0].finished_at, "2026-11-20T09:05:00Z");
    assert_int_equal(f->l.v[0].total, 74);
    assert_answers(&f->l.v[0].answers, MIXED);
}

static void draft_answer_range(void **state)
{
    struct fx *f = *state;
    int64_t id = 0;
    assert_int_equal(yj_assess_draft_new(f->s, &bank, "a", "", &id), YJ_ERR_OK);
    assert_int_equal(yj_assess_draft_answer(f->s, id, -1, YJ_ANS_YES, 0), YJ_ERR_INVALID);
    assert_int_equal(yj_assess_draft_answer(f->s, id, YJ_ITEMS, YJ_ANS_YES, 0), YJ_ERR_INVALID);
    assert_int_equal(count(f, "SELECT count(*) FROM assess_answer"), 0);
    /* No such diagnosis: refused, nothing stored. */
    assert_int_not_equal(yj_assess_draft_answer(f->s, id + 100, 0, YJ_ANS_YES, 1), YJ_ERR_OK);
    assert_int_equal(count(f, "SELECT count(*) FROM assess_answer"), 0);
    struct yj_result r;
    assert_int_equal(yj_assess_draft_finish(f->s, &bank, id + 100, &r), YJ_ERR_STATE);
}

static void one_draft_per_department(void **state)
{
    struct fx *f = *state;
    int64_t a = 0, b = 0, c = 0;
    assert_int_equal(yj_assess_draft_new(f->s, &bank, "a", "営業", &a), YJ_ERR_OK);
    assert_int_equal(yj_assess_draft_new(f->s, &bank, "b", "営業", &b), YJ_ERR_EXISTS);
    assert_int_equal(yj_assess_draft_new(f->s, &bank, "c", "総務", &c), YJ_ERR_OK);
    assert_true(a != c);
    /* A department with a finished diagnosis can start a new draft. */
    save(f, ALL_YES, "d", "経理", "2026-11-01T00:00:00Z");
    assert_int_equal(yj_assess_draft_new(f->s, &bank, "e", "経理", &b), YJ_ERR_OK);
}

static void discard(void **state)
{
    struct fx *f = *state;
    int64_t id = 0;
    assert_int_equal(yj_assess_draft_new(f->s, &bank, "a", "営業", &id), YJ_ERR_OK);
    for (int i = 0; i < 5; i++)
        assert_int_equal(yj_assess_draft_answer(f->s, id, i, YJ_ANS_YES, i + 1), YJ_ERR_OK);
    assert_int_equal(yj_assess_draft_discard(f->s, id), YJ_ERR_OK);
    bool found = true;
    assert_int_equal(yj_assess_draft_find(f->s, "営業", &f->x, &found), YJ_ERR_OK);
    assert_false(found);
    assert_int_equal(count(f, "SELECT count(*) FROM assess_answer"), 0); /* cascade */
    assert_int_equal(count(f, "SELECT count(*) FROM assess_diagnosis"), 0);
    /* Discarding a finished diagnosis does nothing. */
    int64_t done = save(f, ALL_YES, "b", "営業", "2026-11-01T00:00:00Z");
    assert_int_equal(yj_assess_draft_discard(f->s, done), YJ_ERR_OK);
    assert_int_equal(yj_assess_history(f->s, &f->l), YJ_ERR_OK);
    assert_int_equal(f->l.n, 1);
    assert_answers(&f->l.v[0].answers, ALL_YES);
}

/* The draft functions must not rewrite history: answering "a draft" whose id is a finished
 * diagnosis leaves that diagnosis' answers as they were (its stored total depends on them). */
static void draft_answer_leaves_finished_diagnosis_alone(void **state)
{
    struct fx *f = *state;
    int64_t done = save(f, ALL_YES, "b", "", "2026-11-01T00:00:00Z");
    /* Refusing (any error) or ignoring (OK) are both fine; changing the answers is not. */
    enum yj_err e1 = yj_assess_draft_answer(f->s, done, 0, YJ_ANS_NO, 1);
    enum yj_err e2 = yj_assess_draft_answer(f->s, done, 1, YJ_ANS_NONE, 2);
    (void)e1;
    (void)e2;
    assert_int_equal(yj_assess_history(f->s, &f->l), YJ_ERR_OK);
    assert_int_equal(f->l.n, 1);
    assert_int_equal(f->l.v[0].total, 100);
    assert_answers(&f->l.v[0].answers, ALL_YES);
}

static void latest_per_department(void **state)
{
    struct fx *f = *state;
    int64_t a1 = save(f, MIXED, "a1", "A", "2026-01-01T00:00:00Z");
    int64_t b1 = save(f, ALL_YES, "b1", "B", "2026-02-01T00:00:00Z");
    int64_t a2 = save(f, ALL_YES, "a2", "A", "2026-03-01T00:00:00Z");
    int64_t c1 = save(f, MIXED, "c1", "", "2026-04-01T00:00:00Z");
    /* Drafts never count. */
    int64_t draft = 0;
    at("2026-05-01T00:00:00Z");
    assert_int_equal(yj_assess_draft_new(f->s, &bank, "d", "A", &draft), YJ_ERR_OK);

    assert_int_equal(yj_assess_latest(f->s, 0, &f->l), YJ_ERR_OK);
    assert_int_equal(f->l.n, 3);
    /* Ordered by department: "" (whole company), "A", "B". */
    assert_true(f->l.v[0].id == c1);
    assert_true(f->l.v[1].id == a2);
    assert_true(f->l.v[2].id == b1);
    assert_answers(&f->l.v[1].answers, ALL_YES);
    yj_diagnosis_list_fini(&f->l);

    /* Leaving out A's newest brings back its previous one. */
    assert_int_equal(yj_assess_latest(f->s, a2, &f->l), YJ_ERR_OK);
    assert_int_equal(f->l.n, 3);
    assert_true(f->l.v[1].id == a1);
    assert_answers(&f->l.v[1].answers, MIXED);
    yj_diagnosis_list_fini(&f->l);

    /* Leaving out B's only one drops B. */
    assert_int_equal(yj_assess_latest(f->s, b1, &f->l), YJ_ERR_OK);
    assert_int_equal(f->l.n, 2);
    assert_string_equal(f->l.v[0].department, "");
    assert_string_equal(f->l.v[1].department, "A");
}

static void latest_ties_broken_by_id(void **state)
{
    struct fx *f = *state;
    save(f, MIXED, "first", "A", "2026-01-01T00:00:00Z");
    int64_t second = save(f, ALL_YES, "second", "A", "2026-01-01T00:00:00Z");
    assert_int_equal(yj_assess_latest(f->s, 0, &f->l), YJ_ERR_OK);
    assert_int_equal(f->l.n, 1);
    assert_true(f->l.v[0].id == second);
}

static void company_empty(void **state)
{
    struct fx *f = *state;
    assert_int_equal(yj_assess_company(f->s, &bank, &f->c), YJ_ERR_OK);
    assert_false(f->c.found);
    assert_false(f->c.prev_found);
    assert_int_equal(f->c.sources.n, 0);
}

static void company_one_department(void **state)
{
    struct fx *f = *state;
    save(f, MIXED, "a", "", "2026-01-01T00:00:00Z");
    assert_int_equal(yj_assess_company(f->s, &bank, &f->c), YJ_ERR_OK);
    assert_true(f->c.found);
    assert_false(f->c.combined);
    assert_false(f->c.prev_found); /* nothing before the only diagnosis */
    assert_int_equal(f->c.now.total, 74);
    assert_int_equal(f->c.sources.n, 1);
    yj_company_result_fini(&f->c);

    /* A second diagnosis of the same department: now is the newest, prev the one before. */
    save(f, ALL_YES, "a", "", "2026-06-01T00:00:00Z");
    assert_int_equal(yj_assess_company(f->s, &bank, &f->c), YJ_ERR_OK);
    assert_true(f->c.found);
    assert_false(f->c.combined);
    assert_int_equal(f->c.now.total, 100);
    assert_true(f->c.now.complete);
    assert_true(f->c.prev_found);
    assert_int_equal(f->c.prev.total, 74);
    assert_ptr_equal(f->c.now.bank, &bank);
}

static void company_two_departments(void **state)
{
    struct fx *f = *state;
    /*                  Q01-05 Q06-18        Q19-25 */
    save(f, "yyyyy yyyyyyyyyyyyy yyyyyyy", "a", "A", "2026-01-01T00:00:00Z");
    save(f, "nyyyy aaaaaaaaaaaaa yyyyyyy", "b", "B", "2026-02-01T00:00:00Z");
    save(f, "yyyyy yyyyyyyyyyyyy uyyyyyy", "b2", "B", "2026-03-01T00:00:00Z");
    save(f, "ypyyy yyyyyyyyyyyyy yyyyyya", "a2", "A", "2026-04-01T00:00:00Z");
    assert_int_equal(yj_assess_company(f->s, &bank, &f->c), YJ_ERR_OK);
    assert_true(f->c.found);
    assert_true(f->c.combined);
    assert_int_equal(f->c.sources.n, 2);
    /* Now: A's a2 with B's b2, the weakest per item. */
    assert_answers(&f->c.now.answers, "ypyyy yyyyyyyyyyyyy uyyyyyy");
    assert_int_equal(f->c.now.total, 100 - 2 - 5);
    /* Before the newest (a2): A's first with B's b2. */
    assert_true(f->c.prev_found);
    assert_answers(&f->c.prev.answers, "yyyyy yyyyyyyyyyyyy uyyyyyy");
    assert_int_equal(f->c.prev.total, 95);
}

static void hostile_names_verbatim(void **state)
{
    struct fx *f = *state;
    static const char *const names[] = {
        "Robert'); DROP TABLE assess_diagnosis;--",
        "' OR 1=1 --",
        "\"quoted\" \\backslash\\ %s %n",
        "<script>alert(1)</script>",
    };
    char when[32];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        assert_int_equal(yj_assess_check_name("respondent", names[i], &f->d), YJ_ERR_OK);
        snprintf(when, sizeof when, "2026-01-0%zuT00:00:00Z", i + 1);
        save(f, ALL_YES, names[i], names[(i + 1) % 4], when);
    }
    assert_int_equal(yj_assess_history(f->s, &f->l), YJ_ERR_OK);
    assert_int_equal(f->l.n, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(f->l.v[i].respondent, names[i]);
        assert_string_equal(f->l.v[i].department, names[(i + 1) % 4]);
    }
    yj_diagnosis_list_fini(&f->l);
    /* A draft found by a hostile department name. */
    int64_t id;
    assert_int_equal(yj_assess_draft_new(f->s, &bank, "x", "' OR '1'='1", &id), YJ_ERR_OK);
    bool found;
    assert_int_equal(yj_assess_draft_find(f->s, "' OR '1'='1", &f->x, &found), YJ_ERR_OK);
    assert_true(found);
    assert_true(f->x.id == id);
    yj_diagnosis_fini(&f->x);
    assert_int_equal(yj_assess_draft_find(f->s, "' OR 1=1 --", &f->x, &found), YJ_ERR_OK);
    assert_false(found);
}

static void check_name_limits(void **state)
{
    struct fx *f = *state;
    char *ok = ut_repeat("a", YJ_NAME_MAX), *over = ut_repeat("a", YJ_NAME_MAX + 1);
    assert_int_equal(yj_assess_check_name("respondent", ok, &f->d), YJ_ERR_OK);
    assert_int_equal(yj_assess_check_name("respondent", over, &f->d), YJ_ERR_LIMIT);
    assert_int_equal(yj_assess_check_name("department", "", &f->d), YJ_ERR_OK);
    assert_int_equal(yj_assess_check_name("department", "経理部", &f->d), YJ_ERR_OK);
    assert_int_equal(yj_assess_check_name("department", "a\tb", &f->d), YJ_ERR_INVALID);
    assert_int_equal(yj_assess_check_name("department", "a\nb", &f->d), YJ_ERR_INVALID);
    assert_int_equal(yj_assess_check_name("department", "\x1b[2J", &f->d), YJ_ERR_INVALID);
    assert_int_equal(yj_assess_check_name("department", "\xff", &f->d), YJ_ERR_INVALID);
    assert_int_equal(f->d.n, 5);
    assert_non_null(strstr(f->d.v[0].msg, "respondent"));
    free(ok);
    free(over);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(save_and_history),
        T(history_is_oldest_first),
        T(null_department_is_whole_company),
        T(draft_lifecycle),
        T(draft_answer_range),
        T(one_draft_per_department),
        T(discard),
        T(draft_answer_leaves_finished_diagnosis_alone),
        T(latest_per_department),
        T(latest_ties_broken_by_id),
        T(company_empty),
        T(company_one_department),
        T(company_two_departments),
        T(hostile_names_verbatim),
        T(check_name_limits),
    };
#undef T
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
