/* assess/bank: the shipped bank loads and is complete; broken banks (the shipped text with
 * one thing changed) fail with a diagnostic at the right line. */
#include "ut_assess.h"

#include "base/buf.h"
#include "base/date.h"

static char *real_text; /* data/assess/bank.yaml */

static int group_setup(void **state)
{
    (void)state;
    ut_i18n_real();
    char *path = ut_src_path("data/assess/bank.yaml");
    real_text = ut_read(path, NULL);
    free(path);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    free(real_text);
    yj_i18n_fini();
    return 0;
}

struct fx {
    struct yj_bank b;
    struct yj_diag d;
    char *text;
};

static int setup(void **state)
{
    struct fx *f = yj_xcalloc(1, sizeof *f);
    yj_diag_init(&f->d);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    yj_bank_fini(&f->b);
    yj_diag_fini(&f->d);
    free(f->text);
    free(f);
    return 0;
}

/* Line of the first `needle` after the line holding `anchor`. */
static unsigned line_after(const char *text, const char *anchor, const char *needle)
{
    const char *a = strstr(text, anchor);
    assert_non_null(a);
    const char *p = strstr(a, needle);
    assert_non_null(p);
    unsigned line = 1;
    for (const char *c = text; c < p; c++)
        line += *c == '\n';
    return line;
}

/* Loads f->text as a bank and expects err with a diagnostic at line containing msg. */
static void expect_bad(struct fx *f, enum yj_err err, unsigned line, const char *msg)
{
    enum yj_err got = yj_bank_load_mem(&f->b, "bank.yaml", f->text, strlen(f->text), &f->d);
    if (got != err) {
        ut_diag_dump(&f->d);
        fail_msg("got error %d, want %d", got, err);
    }
    ut_assert_diag(&f->d, line, msg);
    for (size_t i = 0; i < f->d.n; i++)
        assert_string_equal(f->d.v[i].file, "bank.yaml");
    /* The failed load left nothing to free and nothing half-filled. */
    assert_null(f->b.name);
    assert_null(f->b.arena.head);
}

static void real_bank_is_complete(void **state)
{
    struct fx *f = *state;
    char *path = ut_src_path("data/assess/bank.yaml");
    assert_int_equal(yj_bank_load(&f->b, path, &f->d), YJ_ERR_OK);
    assert_int_equal(f->d.n, 0);
    const struct yj_bank *b = &f->b;
    assert_string_equal(b->name, "yojin-5min");
    assert_true(b->version >= 1);
    assert_true(strlen(b->source) > 0);
    struct yj_date as_of;
    assert_true(yj_date_parse(b->as_of, &as_of));
    assert_string_equal(b->file, path);
    static const int first[] = {1, 6, 19}, last[] = {5, 18, 25}, max[] = {20, 52, 28};
    for (int p = 0; p < YJ_PARTS; p++) {
        assert_int_equal(b->parts[p].part, p + 1);
        assert_int_equal(b->parts[p].first, first[p]);
        assert_int_equal(b->parts[p].last, last[p]);
        assert_int_equal(b->parts[p].max, max[p]);
        for (int l = 0; l < YJ_LANG__COUNT; l++)
            assert_true(strlen(b->parts[p].title.v[l]) > 0);
    }
    /* Four bands, highest first, covering -25..100. */
    static const int bmin[] = {100, 70, 50, -25}, bmax[] = {100, 99, 69, 49};
    assert_int_equal(b->nbands, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_true(b->bands[i].min == bmin[i]);
        assert_true(b->bands[i].max == bmax[i]);
        for (int l = 0; l < YJ_LANG__COUNT; l++) {
            assert_true(strlen(b->bands[i].summary.v[l]) > 0);
            assert_true(strlen(b->bands[i].next.v[l]) > 0);
        }
    }
    for (int i = 0; i < YJ_ITEMS; i++) {
        const struct yj_item *it = &b->items[i];
        char id[16];
        snprintf(id, sizeof id, "Q%02d", i + 1);
        assert_string_equal(it->id, id);
        assert_int_equal(it->num, i + 1);
        assert_true(it->num >= b->parts[it->part - 1].first &&
                    it->num <= b->parts[it->part - 1].last);
        assert_true(strlen(it->topic) > 0);
        for (int l = 0; l < YJ_LANG__COUNT; l++) {
            const struct yj_text *t[] = {&it->question, &it->why, &it->advice};
            for (int k = 0; k < 3; k++) {
                const char *s = t[k]->v[l];
                assert_non_null(s);
                assert_true(strlen(s) > 0);
                assert_true(yj_str_is_text(yj_str_c(s)));
            }
        }
    }
    /* The same text from memory gives the same bank. */
    struct yj_bank m;
    assert_int_equal(yj_bank_load_mem(&m, "mem", real_text, strlen(real_text), &f->d),
                     YJ_ERR_OK);
    assert_string_equal(m.items[24].question.v[YJ_LANG_EN], b->items[24].question.v[YJ_LANG_EN]);
    yj_bank_fini(&m);
    free(path);
}

static void text_get_falls_back_to_japanese(void **state)
{
    (void)state;
    struct yj_text t = {{"日本語", NULL}};
    assert_string_equal(yj_text_get(&t, YJ_LANG_EN), "日本語");
    assert_string_equal(yj_text_get(&t, YJ_LANG__COUNT), "日本語");
    struct yj_text none = {{NULL, NULL}};
    assert_string_equal(yj_text_get(&none, YJ_LANG_EN), "");
    struct yj_text both = {{"ja", "en"}};
    assert_string_equal(yj_text_get(&both, YJ_LANG_EN), "en");
    assert_string_equal(yj_text_get(&both, YJ_LANG_JA), "ja");
}

static void missing_file(void **state)
{
    struct fx *f = *state;
    assert_int_equal(yj_bank_load(&f->b, "/nonexistent/bank.yaml", &f->d), YJ_ERR_IO);
    assert_int_equal(f->d.n, 1);
}

static void empty_file(void **state)
{
    struct fx *f = *state;
    f->text = yj_xstrdup("# nothing here\n");
    expect_bad(f, YJ_ERR_INVALID, 1, "is missing");
}

static void duplicate_id(void **state)
{
    struct fx *f = *state;
    unsigned first = ut_line_of(real_text, "id: Q01"), second = ut_line_of(real_text, "id: Q02");
    f->text = ut_replace1(real_text, "id: Q02", "id: Q01");
    char msg[64];
    snprintf(msg, sizeof msg, "item Q01 appears twice (first on line %u)", first);
    expect_bad(f, YJ_ERR_INVALID, second, msg);
    /* And Q02 is now missing, reported at the item list. */
    ut_assert_diag(&f->d, ut_line_of(real_text, "  - id: Q01"), "item Q02 is missing");
}

static void missing_item(void **state)
{
    struct fx *f = *state;
    unsigned from = ut_line_of(real_text, "  - id: Q25");
    f->text = ut_drop_lines(real_text, from, from + 11); /* the whole 12-line entry */
    assert_int_equal(ut_count(f->text, "id: Q"), 24);
    expect_bad(f, YJ_ERR_INVALID, ut_line_of(real_text, "  - id: Q01"), "item Q25 is missing");
    assert_int_equal(f->d.n, 1);
}

static void missing_translation(void **state)
{
    struct fx *f = *state;
    unsigned ja = line_after(real_text, "id: Q03", "      ja: ");
    unsigned en = line_after(real_text, "id: Q03", "      en: ");
    assert_int_equal(en, ja + 1);
    f->text = ut_drop_lines(real_text, en, en);
    expect_bad(f, YJ_ERR_INVALID, ja, "'question' has no text in language 'en'");
    assert_int_equal(f->d.n, 1);
}

static void empty_translation(void **state)
{
    struct fx *f = *state;
    unsigned en = line_after(real_text, "id: Q04", "      en: ");
    char *line = NULL;
    /* Replace the whole en line of Q04's question by an empty string. */
    const char *a = strstr(strstr(real_text, "id: Q04"), "      en: ");
    const char *e = strchr(a, '\n');
    assert_true(asprintf(&line, "%.*s", (int)(e - a), a) > 0);
    f->text = ut_replace1(real_text, line, "      en: \"\"");
    expect_bad(f, YJ_ERR_INVALID, en, "'en' is empty");
    free(line);
}

static void control_character_in_text(void **state)
{
    struct fx *f = *state;
    unsigned line = ut_line_of(real_text, "      en: Basic measures");
    f->text = ut_replace1(real_text, "      en: Basic measures", "      en: \"Basic\\x1b[2J\"");
    expect_bad(f, YJ_ERR_INVALID, line, "control characters");
}

static void item_in_wrong_part(void **state)
{
    struct fx *f = *state;
    unsigned line = ut_line_of(real_text, "id: Q06") + 1;
    f->text = ut_replace1(real_text, "id: Q06\n    part: 2", "id: Q06\n    part: 1");
    expect_bad(f, YJ_ERR_INVALID, line, "item Q06 is outside part 1 (items 1 to 5)");
    assert_int_equal(f->d.n, 1);
}

static void part_out_of_range(void **state)
{
    struct fx *f = *state;
    unsigned line = ut_line_of(real_text, "id: Q07") + 1;
    f->text = ut_replace1(real_text, "id: Q07\n    part: 2", "id: Q07\n    part: 4");
    expect_bad(f, YJ_ERR_INVALID, line, "'part' is 4; it must be between 1 and 3");
}

static void parts_must_tile(void **state)
{
    struct fx *f = *state;
    f->text = ut_replace1(real_text, "    first: 6\n", "    first: 7\n");
    expect_bad(f, YJ_ERR_INVALID, ut_line_of(real_text, "  - part: 1"),
               "part 2 covers items 7 to 18; it must start at item 6");
    free(f->text);
    yj_diag_fini(&f->d);
    f->text = ut_replace1(real_text, "    last: 25\n", "    last: 24\n");
    expect_bad(f, YJ_ERR_INVALID, ut_line_of(real_text, "  - part: 1"),
               "the parts do not reach item 25 (they end at item 24)");
    free(f->text);
    yj_diag_fini(&f->d);
    f->text = ut_replace1(real_text, "  - part: 3\n", "  - part: 2\n");
    expect_bad(f, YJ_ERR_INVALID, ut_line_of(real_text, "  - part: 3"), "part 2 appears twice");
    ut_assert_diag(&f->d, ut_line_of(real_text, "  - part: 1"), "part 3 is missing");
}

static void band_gap(void **state)
{
    struct fx *f = *state;
    f->text = ut_replace1(real_text, "  - min: 70\n", "  - min: 71\n");
    expect_bad(f, YJ_ERR_INVALID, ut_line_of(real_text, "  - min: 100"),
               "(no band holds 70)");
    free(f->text);
    yj_diag_fini(&f->d);
    /* The bottom must reach -25. */
    f->text = ut_replace1(real_text, "  - min: -25\n", "  - min: -24\n");
    expect_bad(f, YJ_ERR_INVALID, ut_line_of(real_text, "  - min: 100"),
               "(no band holds -25)");
}

static void band_order(void **state)
{
    struct fx *f = *state;
    f->text = ut_replace1(real_text, "  - min: 50\n    max: 69\n", "  - min: 69\n    max: 50\n");
    expect_bad(f, YJ_ERR_INVALID, ut_line_of(real_text, "  - min: 50"),
               "a band's min 69 is larger than its max 50");
}

/* The real text with its bands replaced by n bands given as min/max pairs. */
static char *with_bands(const int (*mm)[2], size_t n)
{
    const char *start = strstr(real_text, "bands:\n"), *end = strstr(real_text, "items:\n");
    assert_true(start && end && start < end);
    struct yj_buf b;
    yj_buf_init(&b, 0);
    yj_buf_add(&b, real_text, (size_t)(start - real_text));
    yj_buf_adds(&b, "bands:\n");
    for (size_t i = 0; i < n; i++)
        yj_buf_printf(&b,
                      "  - min: %d\n    max: %d\n"
                      "    summary:\n      ja: 帯%zu\n      en: band %zu\n"
                      "    next:\n      ja: 次%zu\n      en: next %zu\n",
                      mm[i][0], mm[i][1], i, i, i, i);
    yj_buf_adds(&b, end);
    return yj_buf_take(&b, NULL);
}

static void band_count_at_boundary(void **state)
{
    struct fx *f = *state;
    static const int eight[][2] = {{-25, -1}, {0, 49}, {50, 59}, {60, 69},
                                   {70, 79},  {80, 89}, {90, 99}, {100, 100}};
    assert_int_equal(sizeof eight / sizeof eight[0], YJ_BANDS_MAX);
    f->text = with_bands(eight, 8);
    assert_int_equal(yj_bank_load_mem(&f->b, "bank.yaml", f->text, strlen(f->text), &f->d),
                     YJ_ERR_OK);
    assert_int_equal(f->b.nbands, 8);
    /* Sorted highest first whatever the file order. */
    for (size_t i = 1; i < 8; i++)
        assert_true(f->b.bands[i - 1].min > f->b.bands[i].max);
    struct yj_answers a;
    struct yj_result r;
    ut_answers(&a, "ypnua ypnuayyyyyyyy yyyyyyn"); /* 74 */
    yj_assess_score(&f->b, &a, &r);
    assert_true(r.band && r.band->min == 70 && r.band->max == 79);
    assert_string_equal(r.band->summary.v[YJ_LANG_EN], "band 4");
    yj_bank_fini(&f->b);
    free(f->text);
    static const int nine[][2] = {{-25, -1}, {0, 49}, {50, 59}, {60, 69}, {70, 79},
                                  {80, 89},  {90, 94}, {95, 99}, {100, 100}};
    f->text = with_bands(nine, 9);
    expect_bad(f, YJ_ERR_INVALID, ut_line_of(f->text, "  - min: -25"),
               "between 1 and 8 score bands");
    free(f->text);
    yj_diag_fini(&f->d);
    /* One band for everything is enough; none is not. */
    static const int one[][2] = {{-25, 100}};
    f->text = with_bands(one, 1);
    assert_int_equal(yj_bank_load_mem(&f->b, "bank.yaml", f->text, strlen(f->text), &f->d),
                     YJ_ERR_OK);
    yj_bank_fini(&f->b);
    free(f->text);
    f->text = ut_replace1(real_text, "bands:\n", "bands: []\nx:\n");
    expect_bad(f, YJ_ERR_INVALID, ut_line_of(real_text, "bands:"), "");
}

static void overlapping_bands(void **state)
{
    struct fx *f = *state;
    static const int overlap[][2] = {{-25, 49}, {40, 69}, {70, 99}, {100, 100}};
    f->text = with_bands(overlap, 4);
    expect_bad(f, YJ_ERR_INVALID, ut_line_of(f->text, "  - min: -25"), "without gaps");
}

static void unknown_key(void **state)
{
    struct fx *f = *state;
    unsigned line = ut_line_of(real_text, "id: Q10") + 1;
    f->text = ut_replace1(real_text, "id: Q10\n", "id: Q10\n    colour: red\n");
    expect_bad(f, YJ_ERR_INVALID, line, "unknown key 'colour'");
    free(f->text);
    yj_diag_fini(&f->d);
    f->text = ut_replace1(real_text, "bank: yojin-5min\n", "bank: yojin-5min\nauthor: me\n");
    expect_bad(f, YJ_ERR_INVALID, ut_line_of(real_text, "bank: yojin-5min") + 1,
               "unknown key 'author'");
    free(f->text);
    yj_diag_fini(&f->d);
    f->text = ut_replace1(real_text, "      en: Basic measures\n",
                          "      en: Basic measures\n      fr: Mesures de base\n");
    expect_bad(f, YJ_ERR_INVALID, ut_line_of(real_text, "      en: Basic measures") + 1,
               "unknown key 'fr'");
}

static void wrong_types(void **state)
{
    struct fx *f = *state;
    static const struct {
        const char *from, *to, *at, *msg;
    } cases[] = {
        {"version: 1\n", "version: one\n", "version: 1", "'version' must be a whole number (it is 'one')"},
        {"version: 1\n", "version: \"1\"\n", "version: 1", "'version' must be a whole number"},
        {"version: 1\n", "version: 0\n", "version: 1", "'version' is 0"},
        {"id: Q08\n    part: 2", "id: Q08\n    part: [2]", "id: Q08", "'part' must be a value (it is a list)"},
        {"parts:\n", "parts: {}\nx:\n", "parts:", "'parts' must be a list (it is a map)"},
        {"    title:\n      ja: 基本的対策\n      en: Basic measures\n", "    title: Basic\n",
         "    title:\n      ja: 基本的対策", "'title' must be a map (it is a value)"},
        {"id: Q09\n", "id: [Q09]\n", "id: Q09", "'id' must be a value (it is a list)"},
        {"id: Q11\n", "id: Q26\n", "id: Q11", "item id 'Q26' must be Q01 to Q25"},
        {"id: Q12\n", "id: 12\n", "id: Q12", "item id '12' must be Q01 to Q25"},
        {"id: Q13\n", "id: q13\n", "id: Q13", "item id 'q13' must be Q01 to Q25"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned line = ut_line_of(real_text, cases[i].at);
        if (strcmp(cases[i].at, "id: Q08") == 0)
            line++; /* the part line */
        f->text = ut_replace1(real_text, cases[i].from, cases[i].to);
        expect_bad(f, YJ_ERR_INVALID, line, cases[i].msg);
        free(f->text);
        f->text = NULL;
        yj_diag_fini(&f->d);
    }
}

static void yaml_errors_pass_through(void **state)
{
    struct fx *f = *state;
    unsigned line = ut_line_of(real_text, "id: Q14") + 1;
    f->text = ut_replace1(real_text, "id: Q14\n", "id: Q14\n    id: Q14\n");
    expect_bad(f, YJ_ERR_PARSE, line, "key 'id' appears twice");
}

static void every_problem_in_one_run(void **state)
{
    struct fx *f = *state;
    char *a = ut_replace1(real_text, "id: Q10\n", "id: Q10\n    colour: red\n");
    char *b = ut_replace1(a, "id: Q11\n", "id: Q111\n");
    f->text = ut_replace1(b, "id: Q20\n    part: 3", "id: Q20\n    part: 2");
    free(a);
    free(b);
    expect_bad(f, YJ_ERR_INVALID, ut_line_of(real_text, "id: Q10") + 1, "unknown key 'colour'");
    /* One line was added above Q11 and Q20. */
    ut_assert_diag(&f->d, ut_line_of(real_text, "id: Q11") + 1, "item id 'Q111'");
    ut_assert_diag(&f->d, ut_line_of(real_text, "id: Q20") + 2, "item Q20 is outside part 2");
}

/* bank.c: "Validation goes on after the first problem so that one run names all of them."
 * A problem outside the parts (here the version) must not hide an item in the wrong part. */
static void wrong_part_reported_despite_unrelated_error(void **state)
{
    struct fx *f = *state;
    char *a = ut_replace1(real_text, "version: 1\n", "version: x\n");
    f->text = ut_replace1(a, "id: Q20\n    part: 3", "id: Q20\n    part: 2");
    free(a);
    expect_bad(f, YJ_ERR_INVALID, ut_line_of(real_text, "version: 1"), "'version'");
    ut_assert_diag(&f->d, ut_line_of(real_text, "id: Q20") + 1, "item Q20 is outside part 2");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(real_bank_is_complete),
        T(text_get_falls_back_to_japanese),
        T(missing_file),
        T(empty_file),
        T(duplicate_id),
        T(missing_item),
        T(missing_translation),
        T(empty_translation),
        T(control_character_in_text),
        T(item_in_wrong_part),
        T(part_out_of_range),
        T(parts_must_tile),
        T(band_gap),
        T(band_order),
        T(band_count_at_boundary),
        T(overlapping_bands),
        T(unknown_key),
        T(wrong_types),
        T(yaml_errors_pass_through),
        T(every_problem_in_one_run),
        T(wrong_part_reported_despite_unrelated_error),
    };
#undef T
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
