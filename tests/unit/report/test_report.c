/* report: the HTML report (self-contained, no script, every outside string escaped) and the
 * JSON form of a result (checked by parsing it back). */
#include "ut_assess.h"

#include <ctype.h>

#include "base/buf.h"
#include "report/report.h"

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

struct fx {
    struct yj_buf out;
    struct yj_result r, prev;
    struct yj_report_input in;
    struct ut_json *json;
    struct yj_bank evil; /* a bank with markup in its text */
};

static const char MIXED[] = "ypnua ypnuayyyyyyyy yyyyyyn"; /* 74 points */
static const char HOSTILE[] = "<b>&'\"";

static int setup(void **state)
{
    struct fx *f = yj_xcalloc(1, sizeof *f);
    yj_buf_init(&f->out, 0);
    struct yj_answers a;
    ut_answers(&a, MIXED);
    yj_assess_score(&bank, &a, &f->r);
    f->in = (struct yj_report_input){
        .bank = &bank,
        .result = &f->r,
        .company = HOSTILE,
        .date = "2026-11-26",
        .lang = YJ_LANG_EN,
    };
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    yj_buf_fini(&f->out);
    ut_json_free(f->json);
    yj_bank_fini(&f->evil);
    free(f);
    return 0;
}

static const char *html(struct fx *f)
{
    yj_buf_reset(&f->out);
    yj_report_html(&f->in, &f->out);
    assert_int_equal(yj_buf_err(&f->out), YJ_ERR_OK);
    return yj_buf_cstr(&f->out);
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && tolower((unsigned char)p[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

static void assert_has(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("output lacks '%s'", needle);
}

static void assert_lacks(const char *hay, const char *needle)
{
    if (strstr(hay, needle))
        fail_msg("output contains '%s'", needle);
}

static void html_self_contained_without_script(void **state)
{
    struct fx *f = *state;
    const char *h = html(f);
    assert_true(strncmp(h, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0);
    assert_string_equal(h + strlen(h) - 8, "</html>\n");
    assert_false(contains_ci(h, "<script"));
    assert_false(contains_ci(h, "javascript:"));
    assert_false(contains_ci(h, " onload="));
    assert_false(contains_ci(h, " onerror="));
    assert_false(contains_ci(h, " onclick="));
    /* Nothing fetched from elsewhere. */
    assert_false(contains_ci(h, "<link"));
    assert_false(contains_ci(h, "<img"));
    assert_false(contains_ci(h, "<iframe"));
    assert_false(contains_ci(h, " src="));
    assert_false(contains_ci(h, "url("));
    assert_false(contains_ci(h, "@import"));
    assert_has(h, "Content-Security-Policy");
    /* One chart per part. */
    assert_int_equal(ut_count(h, "<svg"), 3);
    assert_int_equal(ut_count(h, "</svg>"), 3);
    /* Well-formed UTF-8 without control characters, line by line. */
    struct yj_str cur = yj_str_c(h), line;
    while (yj_str_next_line(&cur, &line))
        assert_true(yj_str_is_text(line));
}

static void html_escapes_company(void **state)
{
    struct fx *f = *state;
    const char *h = html(f);
    assert_lacks(h, HOSTILE);
    assert_lacks(h, "<b>&");
    assert_int_equal(ut_count(h, "&lt;b&gt;&amp;&#39;&quot;"), 2); /* title and header */
    f->in.company = "";
    h = html(f);
    assert_has(h, "(company name not recorded)");
    f->in.company = NULL;
    h = html(f);
    assert_has(h, "(company name not recorded)");
}

static void html_shows_score(void **state)
{
    struct fx *f = *state;
    const char *h = html(f);
    assert_has(h, "<div class=\"total\">74<small> / 100</small></div>");
    assert_has(h, "70–99 points");
    assert_has(h, bank.bands[1].summary.v[YJ_LANG_EN]);
    assert_has(h, "2026-11-26");
    /* Parts with their subtotals. */
    assert_has(h, " — 9 / 20</h3>");
    assert_has(h, " — 41 / 52</h3>");
    assert_has(h, " — 24 / 28</h3>");
    /* One "not applicable" note; "don't know" items listed; no change line without prev. */
    assert_has(h, "2 items were marked \"not applicable\" and count as 4 points");
    assert_has(h, "<h2>Items answered &quot;don&#39;t know&quot;</h2>");
    assert_lacks(h, "Last time");
    assert_lacks(h, bank.bands[0].summary.v[YJ_LANG_EN]);
}

static void html_change_and_combined(void **state)
{
    struct fx *f = *state;
    struct yj_answers a;
    ut_answers(&a, "ppppp ppppppppppppp ppppppp");
    yj_assess_score(&bank, &a, &f->prev);
    f->in.prev = &f->prev;
    f->in.combined = true;
    const char *h = html(f);
    assert_has(h, "Last time 50 points, now 74 points (+24)");
    assert_has(h, "combines each department");
}

static void html_escapes_names_and_bank_text(void **state)
{
    struct fx *f = *state;
    /* The shipped bank with markup in a question, a band summary and a part title. */
    char *path = ut_src_path("data/assess/bank.yaml");
    char *text = ut_read(path, NULL);
    const char *q = strstr(text, "      en: \"Do you keep the operating system");
    assert_non_null(q);
    char *line = NULL;
    assert_true(asprintf(&line, "%.*s", (int)(strchr(q, '\n') - q), q) > 0);
    char *t1 = ut_replace1(text, line, "      en: \"<iframe src=x></iframe> & co\"");
    char *t2 = ut_replace1(t1, "      en: Basic measures", "      en: \"Basic <i>measures</i>\"");
    assert_int_equal(yj_bank_load_mem(&f->evil, "evil", t2, strlen(t2), NULL), YJ_ERR_OK);
    struct yj_answers a;
    ut_answers(&a, "nyyyy yyyyyyyyyyyyy yyyyyyy"); /* Q01 is weak: its text is shown */
    yj_assess_score(&f->evil, &a, &f->r);
    f->in.bank = &f->evil;

    struct yj_diagnosis src[2] = {
        {.id = 1, .status = YJ_DIAGNOSIS_DONE, .respondent = "<img src=x onerror=alert(1)>",
         .department = "</td><script>x</script>", .finished_at = "2026-11-01T00:00:00Z",
         .total = 96},
        {.id = 2, .status = YJ_DIAGNOSIS_DONE, .respondent = "O'Hara & \"Sons\"",
         .department = "", .finished_at = "2026-11-02T00:00:00Z", .total = -25},
    };
    struct yj_diagnosis_list sources = {src, 2};
    f->in.sources = &sources;
    f->in.history = &sources;
    const char *h = html(f);
    assert_false(contains_ci(h, "<script"));
    assert_false(contains_ci(h, "<img"));
    assert_false(contains_ci(h, "<iframe"));
    assert_lacks(h, "<i>measures");
    assert_has(h, "&lt;img src=x onerror=alert(1)&gt;");
    assert_has(h, "&lt;/td&gt;&lt;script&gt;x&lt;/script&gt;");
    assert_has(h, "O&#39;Hara &amp; &quot;Sons&quot;");
    assert_has(h, "&lt;iframe src=x&gt;&lt;/iframe&gt; &amp; co");
    assert_has(h, "Basic &lt;i&gt;measures&lt;/i&gt;");
    assert_has(h, "whole company");
    /* With history: a fourth chart, negative totals drawn too. */
    assert_int_equal(ut_count(h, "<svg"), 4);
    assert_has(h, ">-25</text>");
    free(line);
    free(t1);
    free(t2);
    free(text);
    free(path);
}

static void html_in_japanese(void **state)
{
    struct fx *f = *state;
    struct yj_diagnosis src = {.id = 1, .respondent = "山田", .department = "",
                               .finished_at = "2026-11-01T00:00:00Z", .total = 74};
    struct yj_diagnosis_list sources = {&src, 1};
    f->in.sources = &sources;
    f->in.lang = YJ_LANG_JA;
    const char *h = html(f);
    assert_true(strncmp(h, "<!DOCTYPE html>\n<html lang=\"ja\">", 32) == 0);
    assert_has(h, yj_tl(YJ_LANG_JA, "report.whole_company"));
    assert_has(h, bank.items[0].question.v[YJ_LANG_JA]);
    assert_lacks(h, bank.items[2].question.v[YJ_LANG_EN]);
    assert_false(contains_ci(h, "<script"));
}

static void html_respects_buffer_limit(void **state)
{
    struct fx *f = *state;
    struct yj_buf small;
    yj_buf_init(&small, 2000);
    yj_report_html(&f->in, &small);
    assert_int_equal(yj_buf_err(&small), YJ_ERR_LIMIT);
    assert_true(small.len <= 2000);
    yj_buf_fini(&small);
}

static const struct ut_json *result_json(struct fx *f, bool pretty)
{
    struct yj_json j;
    yj_buf_reset(&f->out);
    yj_json_init(&j, &f->out, pretty);
    yj_report_result_json(&f->in, &j);
    assert_int_equal(yj_buf_err(&f->out), YJ_ERR_OK);
    assert_int_equal(j.depth, 0);
    ut_json_free(f->json);
    const char *why = NULL;
    f->json = ut_json_parse(f->out.p, f->out.len, &why);
    if (!f->json)
        fail_msg("not JSON (%s): %s", why ? why : "?", f->out.p);
    assert_int_equal(f->json->kind, UT_JOBJ);
    return f->json;
}

static void assert_ids(const struct ut_json *arr, const char *const *ids, size_t n)
{
    assert_int_equal(arr->kind, UT_JARR);
    assert_int_equal(arr->len, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(arr->v[i]->kind, UT_JSTR);
        assert_string_equal(arr->v[i]->s, ids[i]);
    }
}

static void json_result_shape(void **state)
{
    struct fx *f = *state;
    for (int pretty = 0; pretty <= 1; pretty++) {
        const struct ut_json *o = result_json(f, pretty);
        assert_int_equal(ut_json_req(o, "total", UT_JNUM)->i, 74);
        assert_int_equal(ut_json_req(o, "max", UT_JNUM)->i, 100);
        const struct ut_json *band = ut_json_req(o, "band", UT_JOBJ);
        assert_int_equal(ut_json_req(band, "min", UT_JNUM)->i, 70);
        assert_int_equal(ut_json_req(band, "max", UT_JNUM)->i, 99);
        assert_string_equal(ut_json_req(band, "summary", UT_JSTR)->s,
                            bank.bands[1].summary.v[YJ_LANG_EN]);
        assert_string_equal(ut_json_req(band, "next", UT_JSTR)->s,
                            bank.bands[1].next.v[YJ_LANG_EN]);
        const struct ut_json *parts = ut_json_req(o, "parts", UT_JARR);
        assert_int_equal(parts->len, 3);
        static const int64_t score[] = {9, 41, 24}, max[] = {20, 52, 28};
        for (size_t p = 0; p < 3; p++) {
            const struct ut_json *x = parts->v[p];
            assert_int_equal(ut_json_req(x, "part", UT_JNUM)->i, (int64_t)p + 1);
            assert_int_equal(ut_json_req(x, "score", UT_JNUM)->i, score[p]);
            assert_int_equal(ut_json_req(x, "max", UT_JNUM)->i, max[p]);
            assert_string_equal(ut_json_req(x, "title", UT_JSTR)->s,
                                bank.parts[p].title.v[YJ_LANG_EN]);
        }
        static const char *const unknown[] = {"Q04", "Q09"}, *const na[] = {"Q05", "Q10"};
        assert_ids(ut_json_req(o, "unknown", UT_JARR), unknown, 2);
        assert_ids(ut_json_req(o, "not_applicable", UT_JARR), na, 2);
        static const char *const weak[] = {"Q04", "Q09", "Q03", "Q08", "Q25", "Q02", "Q07"};
        assert_ids(ut_json_req(o, "weakest", UT_JARR), weak, 7);
        const struct ut_json *items = ut_json_req(o, "items", UT_JARR);
        assert_int_equal(items->len, 25);
        static const char *const codes[] = {"yes", "partial", "no", "unknown", "na"};
        static const int64_t pts[] = {4, 2, 0, -1, 4};
        for (size_t i = 0; i < 25; i++) {
            const struct ut_json *it = items->v[i];
            char id[16];
            snprintf(id, sizeof id, "Q%02zu", i + 1);
            assert_string_equal(ut_json_req(it, "id", UT_JSTR)->s, id);
            assert_int_equal(ut_json_req(it, "part", UT_JNUM)->i, bank.items[i].part);
            const char *code = ut_json_req(it, "answer", UT_JSTR)->s;
            int64_t p = ut_json_req(it, "points", UT_JNUM)->i;
            if (i < 10) {
                assert_string_equal(code, codes[i % 5]);
                assert_true(p == pts[i % 5]);
            }
            /* Question and advice only where there is something to do. */
            assert_int_equal(ut_json_get(it, "advice") != NULL, p < 4);
        }
        assert_string_equal(ut_json_req(items->v[24], "answer", UT_JSTR)->s, "no");
        assert_int_equal(ut_json_req(o, "change", UT_JNULL)->kind, UT_JNULL);
        assert_false(ut_json_req(o, "combined", UT_JBOOL)->b);
        assert_null(ut_json_get(o, "sources"));
        const struct ut_json *b = ut_json_req(o, "bank", UT_JOBJ);
        assert_string_equal(ut_json_req(b, "name", UT_JSTR)->s, "yojin-5min");
        assert_int_equal(ut_json_req(b, "version", UT_JNUM)->i, bank.version);
    }
}

static void json_change_sources_and_escaping(void **state)
{
    struct fx *f = *state;
    struct yj_answers a;
    ut_answers(&a, "yyyyy yyyyyyyyyyyyy yyyyyyy");
    yj_assess_score(&bank, &a, &f->prev);
    f->in.prev = &f->prev;
    f->in.combined = true;
    static const char evil[] = "</script><!-- \"x\" \\ \n\t\x01 日本";
    struct yj_diagnosis src[2] = {
        {.id = 7, .respondent = (char *)evil, .department = "営業",
         .finished_at = "2026-11-01T00:00:00Z", .total = 74},
        {.id = 9, .respondent = "b", .department = "", .finished_at = NULL, .total = -25},
    };
    struct yj_diagnosis_list sources = {src, 2};
    f->in.sources = &sources;
    const struct ut_json *o = result_json(f, false);
    assert_lacks(f->out.p, "</script>");
    assert_lacks(f->out.p, "<!--");
    const struct ut_json *ch = ut_json_req(o, "change", UT_JOBJ);
    assert_int_equal(ut_json_req(ch, "previous", UT_JNUM)->i, 100);
    assert_true(ut_json_req(ch, "delta", UT_JNUM)->i == -26);
    assert_true(ut_json_req(o, "combined", UT_JBOOL)->b);
    const struct ut_json *s = ut_json_req(o, "sources", UT_JARR);
    assert_int_equal(s->len, 2);
    assert_int_equal(ut_json_req(s->v[0], "id", UT_JNUM)->i, 7);
    assert_string_equal(ut_json_req(s->v[0], "respondent", UT_JSTR)->s, evil);
    assert_string_equal(ut_json_req(s->v[0], "department", UT_JSTR)->s, "営業");
    assert_string_equal(ut_json_req(s->v[0], "finished_at", UT_JSTR)->s,
                        "2026-11-01T00:00:00Z");
    assert_int_equal(ut_json_req(s->v[1], "finished_at", UT_JNULL)->kind, UT_JNULL);
    assert_true(ut_json_req(s->v[1], "total", UT_JNUM)->i == -25);
}

static void json_unanswered_is_null(void **state)
{
    struct fx *f = *state;
    struct yj_answers a;
    ut_answers(&a, "-yyyy yyyyyyyyyyyyy yyyyyyy");
    yj_assess_score(&bank, &a, &f->r);
    const struct ut_json *o = result_json(f, true);
    const struct ut_json *it = ut_json_req(o, "items", UT_JARR)->v[0];
    assert_int_equal(ut_json_req(it, "answer", UT_JNULL)->kind, UT_JNULL);
    assert_true(ut_json_req(it, "points", UT_JNUM)->i == -1);
    assert_int_equal(ut_json_req(o, "total", UT_JNUM)->i, 95);
    static const char *const unknown[] = {"Q01"};
    assert_ids(ut_json_req(o, "unknown", UT_JARR), unknown, 1);
}

static void json_in_japanese(void **state)
{
    struct fx *f = *state;
    f->in.lang = YJ_LANG_JA;
    const struct ut_json *o = result_json(f, false);
    const struct ut_json *band = ut_json_req(o, "band", UT_JOBJ);
    assert_string_equal(ut_json_req(band, "summary", UT_JSTR)->s,
                        bank.bands[1].summary.v[YJ_LANG_JA]);
}

static void band_range_and_department(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 0);
    yj_report_band_range(&bank.bands[0], YJ_LANG_EN, &b);
    assert_string_equal(yj_buf_cstr(&b), "100 points");
    yj_buf_reset(&b);
    yj_report_band_range(&bank.bands[3], YJ_LANG_EN, &b);
    assert_string_equal(yj_buf_cstr(&b), "-25–49 points");
    yj_buf_reset(&b);
    yj_report_band_range(NULL, YJ_LANG_EN, &b);
    assert_string_equal(yj_buf_cstr(&b), "");
    yj_buf_reset(&b);
    yj_report_band_range(&bank.bands[1], YJ_LANG_JA, &b);
    assert_non_null(strstr(yj_buf_cstr(&b), "70"));
    assert_non_null(strstr(yj_buf_cstr(&b), "99"));
    yj_buf_fini(&b);
    assert_string_equal(yj_report_department("", YJ_LANG_EN), "whole company");
    assert_string_equal(yj_report_department(NULL, YJ_LANG_EN), "whole company");
    assert_string_equal(yj_report_department("営業", YJ_LANG_EN), "営業");
    assert_string_equal(yj_report_department("", YJ_LANG_JA),
                        yj_tl(YJ_LANG_JA, "report.whole_company"));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(html_self_contained_without_script),
        T(html_escapes_company),
        T(html_shows_score),
        T(html_change_and_combined),
        T(html_escapes_names_and_bank_text),
        T(html_in_japanese),
        T(html_respects_buffer_limit),
        T(json_result_shape),
        T(json_change_sources_and_escaping),
        T(json_unanswered_is_null),
        T(json_in_japanese),
        T(band_range_and_department),
    };
#undef T
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
