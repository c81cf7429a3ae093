/* org: field table, validation at the limits, save/load round trip in a temporary store. */
#include "ut.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "org/org.h"

struct fx {
    char *dir;
    struct yj_store *s;
    struct yj_diag d;
    struct yj_org o;
};

static int setup(void **state)
{
    struct fx *f = yj_xcalloc(1, sizeof *f);
    f->dir = ut_tmpdir();
    yj_diag_init(&f->d);
    assert_int_equal(yj_store_open(&f->s, f->dir, &yj_org_schema, 1, &f->d), YJ_ERR_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    yj_org_fini(&f->o);
    yj_store_close(f->s);
    ut_rmtree(f->dir);
    free(f->dir);
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

static void field_table(void **state)
{
    (void)state;
    static const char *const names[YJ_ORG__COUNT] = {
        "name", "industry", "size", "prefecture", "website", "policy_date", "policy_url"};
    struct yj_org o = {0};
    for (int i = 0; i < YJ_ORG__COUNT; i++) {
        enum yj_org_field fld = (enum yj_org_field)i;
        assert_string_equal(yj_org_field_name(fld), names[i]);
        assert_true(strlen(yj_org_field_label(fld)) > 0);
        assert_non_null(yj_org_field(&o, fld));
        assert_string_equal(yj_org_get_field(&o, fld), "");
    }
    assert_string_equal(yj_org_field_name(YJ_ORG__COUNT), "");
    assert_null(yj_org_field(&o, YJ_ORG__COUNT));
    assert_ptr_equal(yj_org_field(&o, YJ_ORG_website), &o.website);
}

static void check_lengths_at_limit(void **state)
{
    struct fx *f = *state;
    static const struct {
        enum yj_org_field fld;
        size_t max;
    } lim[] = {{YJ_ORG_name, 200}, {YJ_ORG_industry, 100}, {YJ_ORG_size, 20},
               {YJ_ORG_prefecture, 20}};
    for (size_t i = 0; i < sizeof lim / sizeof lim[0]; i++) {
        char *ok = ut_repeat("a", lim[i].max), *over = ut_repeat("a", lim[i].max + 1);
        assert_int_equal(yj_org_check(lim[i].fld, ok, &f->d), YJ_ERR_OK);
        assert_int_equal(yj_org_check(lim[i].fld, over, &f->d), YJ_ERR_LIMIT);
        free(ok);
        free(over);
    }
    assert_int_equal(f->d.n, 4);
    /* Bytes, not characters: 66 three-byte characters = 198 bytes fit in 200, 67 do not. */
    char *jp = ut_repeat("あ", 66), *jp2 = ut_repeat("あ", 67);
    assert_int_equal(yj_org_check(YJ_ORG_name, jp, &f->d), YJ_ERR_OK);
    assert_int_equal(yj_org_check(YJ_ORG_name, jp2, &f->d), YJ_ERR_LIMIT);
    free(jp);
    free(jp2);
}

static void check_values(void **state)
{
    struct fx *f = *state;
    static const struct {
        enum yj_org_field fld;
        const char *v;
        enum yj_err want;
    } cases[] = {
        {YJ_ORG_name, "", YJ_ERR_OK},
        {YJ_ORG_name, "株式会社テスト", YJ_ERR_OK},
        {YJ_ORG_name, "bad\nname", YJ_ERR_INVALID},
        {YJ_ORG_name, "\xff", YJ_ERR_INVALID},
        {YJ_ORG_website, "https://example.jp/", YJ_ERR_OK},
        {YJ_ORG_website, "http://example.jp", YJ_ERR_OK},
        {YJ_ORG_website, "https://", YJ_ERR_INVALID},
        {YJ_ORG_website, "ftp://example.jp", YJ_ERR_INVALID},
        {YJ_ORG_website, "javascript:alert(1)", YJ_ERR_INVALID},
        {YJ_ORG_website, "https://ex ample.jp", YJ_ERR_INVALID},
        {YJ_ORG_website, "https://example.jp/\"><script>", YJ_ERR_INVALID},
        {YJ_ORG_policy_url, "https://example.jp/policy.pdf", YJ_ERR_OK},
        {YJ_ORG_policy_url, "example.jp/policy", YJ_ERR_INVALID},
        {YJ_ORG_policy_date, "2026-11-01", YJ_ERR_OK},
        {YJ_ORG_policy_date, "2026-02-30", YJ_ERR_INVALID},
        {YJ_ORG_policy_date, "2026/11/01", YJ_ERR_INVALID},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum yj_err got = yj_org_check(cases[i].fld, cases[i].v, &f->d);
        if (got != cases[i].want) {
            print_error("case %zu '%s': got %d\n", i, cases[i].v, got);
            fail();
        }
    }
    assert_int_equal(yj_org_check(YJ_ORG_name, NULL, &f->d), YJ_ERR_OK);
    assert_int_equal(yj_org_check(YJ_ORG__COUNT, "x", &f->d), YJ_ERR_INVALID);
}

static void save_and_load(void **state)
{
    struct fx *f = *state;
    assert_int_equal(yj_org_load(f->s, &f->o), YJ_ERR_OK); /* nothing stored yet */
    assert_string_equal(yj_org_get_field(&f->o, YJ_ORG_name), "");
    yj_org_fini(&f->o);
    struct yj_org in = {0};
    in.name = "O'Brien \"Trading\"; DROP TABLE org_profile;--";
    in.website = "https://example.jp";
    in.policy_date = "2026-11-01";
    in.policy_url = "https://example.jp/policy";
    assert_int_equal(yj_org_save(f->s, &in, &f->d), YJ_ERR_OK);
    assert_int_equal(yj_org_load(f->s, &f->o), YJ_ERR_OK);
    assert_string_equal(f->o.name, in.name);
    assert_string_equal(f->o.website, in.website);
    assert_string_equal(f->o.policy_url, in.policy_url);
    assert_string_equal(yj_org_get_field(&f->o, YJ_ORG_industry), "");
    yj_org_fini(&f->o);
    /* Saving again replaces; an invalid field stores nothing and names the problem. */
    in.name = "Second";
    in.website = "not a url";
    assert_int_equal(yj_org_save(f->s, &in, &f->d), YJ_ERR_INVALID);
    assert_int_equal(f->d.n, 1);
    assert_non_null(strstr(f->d.v[0].msg, "not a url"));
    assert_int_equal(yj_org_load(f->s, &f->o), YJ_ERR_OK);
    assert_string_equal(f->o.name, "O'Brien \"Trading\"; DROP TABLE org_profile;--");
    yj_org_fini(&f->o);
    in.website = NULL;
    assert_int_equal(yj_org_save(f->s, &in, &f->d), YJ_ERR_OK);
    assert_int_equal(yj_org_load(f->s, &f->o), YJ_ERR_OK);
    assert_string_equal(f->o.name, "Second");
    assert_string_equal(yj_org_get_field(&f->o, YJ_ORG_website), "");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(field_table),
        T(check_lengths_at_limit),
        T(check_values),
        T(save_and_load),
    };
#undef T
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
