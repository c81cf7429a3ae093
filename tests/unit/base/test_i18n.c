/* base/i18n: .po parsing, lookups with fallback, language names, the shipped catalogs. */
#include "ut.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"

/* Diagnostics of the current test, freed by the teardown even when the test fails. */
static struct yj_diag g_d;

static int clean(void **state)
{
    (void)state;
    yj_diag_fini(&g_d);
    yj_i18n_fini();
    yj_lang_set(YJ_LANG_JA);
    return 0;
}

/* Shipped catalogs loaded and English selected: error messages read in English, and the
 * .po under test goes into the Japanese slot (a failed load leaves that slot alone). */
static int real(void **state)
{
    clean(state);
    ut_i18n_real();
    return 0;
}

static enum yj_err load(enum yj_lang lang, const char *text, struct yj_diag *d)
{
    return yj_i18n_load_po(lang, "t.po", text, strlen(text), d);
}

static enum yj_err load_bad(const char *text, struct yj_diag *d)
{
    return load(YJ_LANG_JA, text, d);
}

static void parse_po_features(void **state)
{
    (void)state;
    struct yj_diag d;
    yj_diag_init(&d);
    const char *po = "# a comment\r\n"
                     "msgid \"\"\r\n"
                     "msgstr \"\"\r\n"
                     "\"Content-Type: text/plain; charset=UTF-8\\n\"\r\n"
                     "\r\n"
                     "msgid \"b.cont\"\r\n"
                     "msgstr \"\"\r\n"
                     "\"first \"\r\n"
                     "  \"second\"\r\n"
                     "#, c-format\n"
                     "msgid \"a.esc\"\n"
                     "msgstr \"tab\\t nl\\n quote\\\" backslash\\\\ %d\"\n"
                     "msgid \"c.\"\n"
                     "\"split\"\n"
                     "msgstr \"id was split\"\n"
                     "msgid \"d.last\"\n"
                     "msgstr \"no final newline\"";
    assert_int_equal(load(YJ_LANG_EN, po, &d), YJ_ERR_OK);
    assert_int_equal(d.n, 0);
    assert_string_equal(yj_tl(YJ_LANG_EN, "b.cont"), "first second");
    assert_string_equal(yj_tl(YJ_LANG_EN, "a.esc"), "tab\t nl\n quote\" backslash\\ %d");
    assert_string_equal(yj_tl(YJ_LANG_EN, "c.split"), "id was split");
    assert_string_equal(yj_tl(YJ_LANG_EN, "d.last"), "no final newline");
    /* The header entry is not a message; the ids come out sorted. */
    assert_false(yj_i18n_has(YJ_LANG_EN, ""));
    assert_string_equal(yj_i18n_id_at(YJ_LANG_EN, 0), "a.esc");
    assert_string_equal(yj_i18n_id_at(YJ_LANG_EN, 1), "b.cont");
    assert_string_equal(yj_i18n_id_at(YJ_LANG_EN, 2), "c.split");
    assert_string_equal(yj_i18n_id_at(YJ_LANG_EN, 3), "d.last");
    assert_null(yj_i18n_id_at(YJ_LANG_EN, 4));
    assert_null(yj_i18n_id_at(YJ_LANG__COUNT, 0));
    yj_diag_fini(&d);
}

static void duplicate_id_has_line(void **state)
{
    (void)state;
    struct yj_diag *d = &g_d;
    const char *po = "msgid \"x.one\"\n"  /* 1 */
                     "msgstr \"1\"\n"     /* 2 */
                     "msgid \"x.two\"\n"  /* 3 */
                     "msgstr \"2\"\n"     /* 4 */
                     "msgid \"x.one\"\n"  /* 5 */
                     "msgstr \"3\"\n";    /* 6 */
    assert_int_equal(load_bad(po, d), YJ_ERR_PARSE);
    assert_int_equal(d->n, 1);
    assert_string_equal(d->v[0].file, "t.po");
    assert_non_null(strstr(d->v[0].msg, "x.one"));
    /* The diag is about a place in the file: the second msgid. */
    if (d->v[0].line != 5)
        ut_diag_dump(d);
    assert_int_equal(d->v[0].line, 5);
    yj_diag_fini(d);
}

static void missing_msgstr(void **state)
{
    (void)state;
    struct yj_diag d;
    yj_diag_init(&d);
    /* At the end of the file. */
    assert_int_equal(load_bad("msgid \"a\"\nmsgstr \"A\"\nmsgid \"b\"\n", &d),
                     YJ_ERR_PARSE);
    ut_assert_diag(&d, 3, "msgid without a msgstr");
    yj_diag_fini(&d);
    /* msgstr without a msgid. */
    assert_int_equal(load_bad("msgid \"a\"\nmsgstr \"A\"\nmsgstr \"B\"\n", &d),
                     YJ_ERR_PARSE);
    ut_assert_diag(&d, 3, "msgstr without a msgid");
    yj_diag_fini(&d);
}

/* An entry without msgstr followed by another entry: the message is about the msgid that
 * has no msgstr (line 1), not about the next msgid, which has one. */
static void missing_msgstr_points_at_its_msgid(void **state)
{
    (void)state;
    struct yj_diag *d = &g_d;
    assert_int_equal(load_bad("msgid \"a\"\n"   /* 1 */
                                      "\n"              /* 2 */
                                      "msgid \"b\"\n"   /* 3 */
                                      "msgstr \"B\"\n", /* 4 */
                          d),
                     YJ_ERR_PARSE);
    ut_assert_diag(d, 1, "msgid without a msgstr");
    yj_diag_fini(d);
}

static void syntax_errors_have_lines(void **state)
{
    (void)state;
    static const struct {
        const char *po;
        unsigned line;
        const char *msg;
    } cases[] = {
        {"msgid \"a\"\nmsgstr \"bad \\q escape\"\n", 2, "bad quoting"},
        {"msgid \"a\"\nmsgstr \"unterminated\n", 2, "bad quoting"},
        {"msgid \"a\"\nmsgstr \"in\"ner\"\n", 2, "bad quoting"},
        {"msgid \"a\"\nmsgstr \"ends in backslash\\\"\n", 2, "bad quoting"},
        {"msgid \"a\"\nmsgstr \"A\"\nmsgctxt \"x\"\n", 3, "unreadable line"},
        {"\"stray continuation\"\n", 1, "unreadable line"},
        {"msgid a\nmsgstr \"A\"\n", 1, "bad quoting"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct yj_diag d;
        yj_diag_init(&d);
        assert_int_not_equal(load_bad(cases[i].po, &d), YJ_ERR_OK);
        ut_assert_diag(&d, cases[i].line, cases[i].msg);
        yj_diag_fini(&d);
    }
}

static void nul_in_message_rejected(void **state)
{
    (void)state;
    static const char po[] = "msgid \"a\"\nmsgstr \"x\0y\"\n";
    struct yj_diag d;
    yj_diag_init(&d);
    assert_int_equal(yj_i18n_load_po(YJ_LANG_JA, "t.po", po, sizeof po - 1, &d), YJ_ERR_PARSE);
    ut_assert_diag(&d, 1, "NUL");
    yj_diag_fini(&d);
}

/* A message of exactly 64 KiB loads; one byte more is LIMIT. */
static void message_length_limit(void **state)
{
    (void)state;
    for (int extra = 0; extra <= 1; extra++) {
        char *chunk = ut_repeat("x", 1024);
        char *lines = NULL;
        struct yj_diag d;
        yj_diag_init(&d);
        /* 64 continuation lines of 1024 bytes, plus `extra` bytes. */
        char *one = NULL;
        if (asprintf(&one, "\"%s\"\n", chunk) < 0)
            yj_oom();
        lines = ut_repeat(one, 64);
        char *po = NULL;
        if (asprintf(&po, "msgid \"big\"\nmsgstr \"%s\"\n%s", extra ? "y" : "", lines) < 0)
            yj_oom();
        enum yj_err err = load_bad(po, &d);
        if (extra) {
            assert_int_equal(err, YJ_ERR_LIMIT);
            ut_assert_diag(&d, 66, "too long");
        } else {
            assert_int_equal(err, YJ_ERR_OK);
            assert_int_equal(strlen(yj_tl(YJ_LANG_JA, "big")), 64 * 1024);
        }
        yj_diag_fini(&d);
        free(po);
        free(one);
        free(lines);
        free(chunk);
    }
}

static void failed_load_keeps_previous_catalog(void **state)
{
    (void)state;
    assert_int_equal(load(YJ_LANG_EN, "msgid \"k\"\nmsgstr \"old\"\n", NULL), YJ_ERR_OK);
    assert_int_equal(load(YJ_LANG_EN, "msgid \"k\"\nmsgstr \"new\"\nmsgid \"broken\n", NULL),
                     YJ_ERR_PARSE);
    assert_string_equal(yj_tl(YJ_LANG_EN, "k"), "old");
    /* A good load replaces the catalog entirely. */
    assert_int_equal(load(YJ_LANG_EN, "msgid \"other\"\nmsgstr \"o\"\n", NULL), YJ_ERR_OK);
    assert_false(yj_i18n_has(YJ_LANG_EN, "k"));
}

static void fallback_chain(void **state)
{
    (void)state;
    assert_int_equal(load(YJ_LANG_JA, "msgid \"both\"\nmsgstr \"両方\"\n"
                                      "msgid \"only.ja\"\nmsgstr \"日本語だけ\"\n"
                                      "msgid \"empty.ja\"\nmsgstr \"\"\n",
                          NULL),
                     YJ_ERR_OK);
    assert_int_equal(load(YJ_LANG_EN, "msgid \"both\"\nmsgstr \"both\"\n"
                                      "msgid \"only.en\"\nmsgstr \"English only\"\n"
                                      "msgid \"empty.ja\"\nmsgstr \"from en\"\n",
                          NULL),
                     YJ_ERR_OK);
    assert_string_equal(yj_tl(YJ_LANG_JA, "both"), "両方");
    assert_string_equal(yj_tl(YJ_LANG_EN, "both"), "both");
    assert_string_equal(yj_tl(YJ_LANG_EN, "only.ja"), "日本語だけ");
    assert_string_equal(yj_tl(YJ_LANG_JA, "only.en"), "English only");
    assert_string_equal(yj_tl(YJ_LANG_JA, "empty.ja"), "from en"); /* empty = untranslated */
    const char *id = "no.such.id";
    assert_ptr_equal(yj_tl(YJ_LANG_JA, id), id);
    assert_ptr_equal(yj_tl(YJ_LANG_EN, id), id);
    assert_true(yj_i18n_has(YJ_LANG_JA, "only.ja"));
    assert_false(yj_i18n_has(YJ_LANG_EN, "only.ja"));
    assert_false(yj_i18n_has(YJ_LANG_JA, "empty.ja"));
    assert_false(yj_i18n_has(YJ_LANG__COUNT, "both"));
    /* yj_t follows the current language. */
    yj_lang_set(YJ_LANG_EN);
    assert_int_equal(yj_lang_get(), YJ_LANG_EN);
    assert_string_equal(yj_t("both"), "both");
    yj_lang_set(YJ_LANG_JA);
    assert_string_equal(yj_t("both"), "両方");
    yj_lang_set(YJ_LANG__COUNT); /* ignored */
    assert_int_equal(yj_lang_get(), YJ_LANG_JA);
    /* Without catalogs everything is its id. */
    yj_i18n_fini();
    assert_ptr_equal(yj_t(id), id);
    assert_string_equal(yj_t("both"), "both");
}

static void lang_parse(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        bool ok;
        enum yj_lang lang;
    } cases[] = {
        {"ja", true, YJ_LANG_JA},       {"en", true, YJ_LANG_EN},
        {"ja_JP.UTF-8", true, YJ_LANG_JA}, {"en-US", true, YJ_LANG_EN},
        {"en_GB.UTF-8", true, YJ_LANG_EN}, {"ja.UTF-8", true, YJ_LANG_JA},
        {"fr", false, YJ_LANG_JA},      {"fr_FR.UTF-8", false, YJ_LANG_JA},
        {"", false, YJ_LANG_JA},        {"j", false, YJ_LANG_JA},
        {"jam", false, YJ_LANG_JA},     {"english", false, YJ_LANG_JA},
        {"C", false, YJ_LANG_JA},       {"POSIX", false, YJ_LANG_JA},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum yj_lang l = YJ_LANG__COUNT;
        bool ok = yj_lang_parse(cases[i].s, &l);
        if (ok != cases[i].ok) {
            print_error("'%s': %d\n", cases[i].s, ok);
            fail();
        }
        if (ok)
            assert_int_equal(l, cases[i].lang);
        else
            assert_int_equal(l, YJ_LANG__COUNT);
    }
    enum yj_lang l;
    assert_false(yj_lang_parse(NULL, &l));
    assert_string_equal(yj_lang_code(YJ_LANG_JA), "ja");
    assert_string_equal(yj_lang_code(YJ_LANG_EN), "en");
}

static void shipped_catalogs(void **state)
{
    (void)state;
    char *dir = ut_src_path("data/po");
    struct yj_diag d;
    yj_diag_init(&d);
    assert_int_equal(yj_i18n_init(dir, &d), YJ_ERR_OK);
    assert_int_equal(d.n, 0);
    /* Same ids in both, none empty. */
    size_t n = 0;
    for (const char *id; (id = yj_i18n_id_at(YJ_LANG_JA, n)) != NULL; n++) {
        assert_true(yj_i18n_has(YJ_LANG_JA, id));
        if (!yj_i18n_has(YJ_LANG_EN, id)) {
            print_error("'%s' missing from en.po\n", id);
            fail();
        }
    }
    assert_true(n > 50);
    size_t m = 0;
    while (yj_i18n_id_at(YJ_LANG_EN, m))
        m++;
    assert_int_equal(m, n);
    for (int e = 0; e < YJ_ERR__COUNT; e++) {
        assert_true(yj_i18n_has(YJ_LANG_JA, yj_err_key((enum yj_err)e)));
        assert_true(yj_i18n_has(YJ_LANG_EN, yj_err_key((enum yj_err)e)));
    }
    assert_string_equal(yj_tl(YJ_LANG_EN, "answer.yes"), "Yes");
    assert_string_equal(yj_tl(YJ_LANG_JA, "answer.yes"), "実施している");
    yj_diag_fini(&d);
    /* A directory without catalogs is an I/O error naming the file. */
    assert_int_equal(yj_i18n_init("/nonexistent", &d), YJ_ERR_IO);
    assert_true(d.n >= 1);
    assert_string_equal(d.v[0].file, "/nonexistent/ja.po");
    yj_diag_fini(&d);
    free(dir);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, clean, clean)
    const struct CMUnitTest tests[] = {
        T(parse_po_features),
        cmocka_unit_test_setup_teardown(duplicate_id_has_line, real, clean),
        cmocka_unit_test_setup_teardown(missing_msgstr, real, clean),
        cmocka_unit_test_setup_teardown(missing_msgstr_points_at_its_msgid, real, clean),
        cmocka_unit_test_setup_teardown(syntax_errors_have_lines, real, clean),
        cmocka_unit_test_setup_teardown(nul_in_message_rejected, real, clean),
        cmocka_unit_test_setup_teardown(message_length_limit, real, clean),
        T(failed_load_keeps_previous_catalog),
        T(fallback_chain),
        T(lang_parse),
        T(shipped_catalogs),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
