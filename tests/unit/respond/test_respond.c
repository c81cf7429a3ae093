/* Unit tests for src/respond: the shipped data loads and hangs together, the advice's dates
 * and contacts for a table of scenarios, and broken data files are refused with file:line. */
#include <stdlib.h>
#include <string.h>

#include "respond/respond.h"
#include "ut.h"

static struct yj_respond_data data;

static int load_real(void **state)
{
    (void)state;
    ut_i18n_real();
    char *dir = ut_src_path("data/respond");
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_respond_load(&data, dir, &d);
    if (err)
        ut_diag_dump(&d);
    yj_diag_fini(&d);
    free(dir);
    return err == YJ_ERR_OK ? 0 : -1;
}

static int unload(void **state)
{
    (void)state;
    yj_respond_fini(&data);
    yj_i18n_fini();
    return 0;
}

static void shipped_data(void **state)
{
    (void)state;
    assert_true(data.ncontacts >= 20);
    assert_int_equal(data.nduties, 7);
    for (int t = 0; t < YJ_IT__COUNT; t++) {
        assert_true(data.playbooks[t].nsteps >= 3);
        assert_true(data.playbooks[t].ncontacts >= 1);
    }
    assert_non_null(yj_contact_find(&data, "ipa-company"));
    const struct yj_item_list *ppc = yj_item_list_find(&data, "ppc");
    assert_non_null(ppc);
    assert_int_equal(ppc->n, 9);
    assert_int_equal(yj_itype_parse("unauthorized-access"), YJ_IT_unauthorized_access);
    assert_string_equal(yj_itype_code(YJ_IT_phishing_bec), "phishing-bec");
    assert_int_equal(yj_itype_parse("unauthorized_access"), -1);
}

struct scenario {
    const char *type, *discovered, *pd, *sector;
    bool malicious;
    long people;
    const char *duty, *from, *by; /* expected duty and dates ("" = none; NULL duty = absent) */
    bool present;
};

static const struct yj_duty *find_duty(const struct yj_advice *a, const char *id)
{
    for (size_t i = 0; i < a->nduties; i++)
        if (strcmp(a->duties[i].rule->id, id) == 0)
            return &a->duties[i];
    return NULL;
}

static void scenario_table(void **state)
{
    (void)state;
    static const struct scenario table[] = {
        {"data-leak", "2026-11-20", "sensitive", "other", false, 3, "ppc_preliminary", "2026-11-23", "2026-11-25", true},
        {"data-leak", "2026-11-20", "sensitive", "other", false, 3, "ppc_final", "", "2026-12-20", true},
        {"unauthorized-access", "2026-11-20", "ordinary", "other", true, 5, "ppc_final", "", "2027-01-19", true},
        {"data-leak", "2026-01-31", "financial", "other", false, -1, "ppc_final", "", "2026-03-02", true},
        {"data-leak", "2028-01-31", "financial", "other", false, -1, "ppc_final", "", "2028-03-01", true},
        {"data-leak", "2028-02-26", "sensitive", "other", false, 1, "ppc_preliminary", "2028-02-29", "2028-03-02", true},
        {"data-leak", "2026-12-29", "sensitive", "other", false, 1, "ppc_preliminary", "2027-01-01", "2027-01-03", true},
        {"data-leak", "2026-11-20", "ordinary", "other", false, 1001, "ppc_preliminary", "2026-11-23", "2026-11-25", true},
        {"data-leak", "2026-11-20", "ordinary", "other", false, 1000, "ppc_preliminary", NULL, NULL, false},
        {"lost-device", "2026-11-20", "ordinary", "other", false, 800, "ppc_final", NULL, NULL, false},
        {"data-leak", "2026-11-20", "none", "telecom", false, -1, "telecom_detailed", "", "2026-12-20", true},
        {"ransomware", "2026-11-20", "none", "medical", false, -1, "mhlw_contact", "", "", true},
        {"ransomware", "2026-11-20", "none", "other", false, -1, "police_report", "", "", true},
        {"connection-trouble", "2026-11-20", "none", "other", false, -1, "police_report", NULL, NULL, false},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        const struct scenario *s = &table[i];
        struct yj_case k = {.people = s->people, .malicious = s->malicious};
        k.type = (enum yj_itype)yj_itype_parse(s->type);
        assert_true(yj_date_parse(s->discovered, &k.discovered));
        k.personal_data = (enum yj_pd)yj_pd_parse(s->pd);
        k.sector = (enum yj_sector)yj_sector_parse(s->sector);
        struct yj_advice a;
        yj_respond_advise(&data, &k, &a);
        const struct yj_duty *d = find_duty(&a, s->duty);
        if (!s->present) {
            if (d)
                fail_msg("scenario %zu: %s should not apply", i, s->duty);
            continue;
        }
        if (!d)
            fail_msg("scenario %zu: %s missing", i, s->duty);
        char from[YJ_DATE_LEN] = "", by[YJ_DATE_LEN] = "";
        if (d->has_from)
            yj_date_fmt(d->due_from, from);
        if (d->has_by)
            yj_date_fmt(d->due_by, by);
        assert_string_equal(from, s->from);
        assert_string_equal(by, s->by);
    }
}

static bool has_contact(const struct yj_advice *a, const char *id)
{
    for (size_t i = 0; i < a->ncontacts; i++)
        if (strcmp(a->contacts[i].contact->id, id) == 0)
            return true;
    return false;
}

static void contacts_in_order(void **state)
{
    (void)state;
    struct yj_case k = {.type = YJ_IT_ransomware, .people = -1};
    assert_true(yj_date_parse("2026-11-20", &k.discovered));
    struct yj_advice a;
    yj_respond_advise(&data, &k, &a);
    assert_true(has_contact(&a, "ipa-company"));
    assert_true(has_contact(&a, "police-cyber"));
    assert_false(has_contact(&a, "mhlw"));
    k.type = YJ_IT_threat_to_life;
    yj_respond_advise(&data, &k, &a);
    assert_string_equal(a.contacts[0].contact->id, "police-110");
    /* No contact twice. */
    for (size_t i = 0; i < a.ncontacts; i++)
        for (size_t j = i + 1; j < a.ncontacts; j++)
            assert_ptr_not_equal(a.contacts[i].contact, a.contacts[j].contact);
}

static void search(void **state)
{
    (void)state;
    const struct yj_contact *out[64];
    const char *ja[] = {"警察"};
    size_t n = yj_contacts_search(&data, ja, 1, out, 64);
    assert_true(n >= 1);
    bool police = false;
    for (size_t i = 0; i < n; i++)
        police |= strncmp(out[i]->id, "police", 6) == 0;
    assert_true(police);
    const char *en[] = {"ipa", "COMPANIES"};
    n = yj_contacts_search(&data, en, 2, out, 64);
    assert_true(n >= 1);
    const char *none[] = {"zzzz-not-a-desk"};
    assert_int_equal(yj_contacts_search(&data, none, 1, out, 64), 0);
    assert_int_equal(yj_contacts_search(&data, NULL, 0, out, 64), data.ncontacts);
}

/* Copies data/respond to a temp dir with one file mutated; loads it; returns the diag. */
static enum yj_err load_mutated(const char *file, const char *from, const char *to,
                                struct yj_diag *d, char **text_out)
{
    char *dir = ut_tmpdir();
    const char *files[] = {"contacts.yaml", "playbooks.yaml", "duties.yaml"};
    for (size_t i = 0; i < 3; i++) {
        char *src = NULL, *dst = NULL;
        if (asprintf(&src, "%s/data/respond/%s", YJ_SOURCE_DIR, files[i]) < 0 ||
            asprintf(&dst, "%s/%s", dir, files[i]) < 0)
            abort();
        size_t n;
        char *text = ut_read(src, &n);
        if (strcmp(files[i], file) == 0) {
            char *m = ut_replace1(text, from, to);
            free(text);
            text = m;
            *text_out = strdup(text);
        }
        ut_write(dst, text);
        free(text);
        free(src);
        free(dst);
    }
    struct yj_respond_data r;
    enum yj_err err = yj_respond_load(&r, dir, d);
    if (!err)
        yj_respond_fini(&r);
    ut_rmtree(dir);
    free(dir);
    return err;
}

static void broken_data(void **state)
{
    (void)state;
    struct yj_diag d;
    char *text = NULL;
    yj_diag_init(&d);
    assert_int_not_equal(load_mutated("playbooks.yaml", "- id: spam-center", "- id: police-999",
                                      &d, &text),
                         YJ_ERR_OK);
    ut_assert_diag(&d, ut_line_of(text, "police-999"), "police-999");
    yj_diag_fini(&d);
    free(text);

    yj_diag_init(&d);
    assert_int_not_equal(load_mutated("playbooks.yaml", "type: spam", "type: spamm", &d, &text),
                         YJ_ERR_OK);
    ut_assert_diag(&d, ut_line_of(text, "type: spamm"), "spamm");
    yj_diag_fini(&d);
    free(text);

    yj_diag_init(&d);
    assert_int_not_equal(load_mutated("duties.yaml", "- id: ppc_final\n", "- id: ppc_final\n    colour: red\n",
                                      &d, &text),
                         YJ_ERR_OK);
    ut_assert_diag(&d, ut_line_of(text, "colour"), "colour");
    yj_diag_fini(&d);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_data),
        cmocka_unit_test(scenario_table),
        cmocka_unit_test(contacts_in_order),
        cmocka_unit_test(search),
        cmocka_unit_test(broken_data),
    };
    return cmocka_run_group_tests(tests, load_real, unload);
}
