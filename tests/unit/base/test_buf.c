/* base/buf: bounded buffers with sticky errors, HTML and JSON escaping, the JSON writer. */
#include "ut.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

static void add_and_printf(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 0);
    assert_string_equal(yj_buf_cstr(&b), ""); /* nothing allocated yet */
    yj_buf_adds(&b, "ab");
    yj_buf_addc(&b, 'c');
    yj_buf_add(&b, "dxx", 1);
    yj_buf_add(&b, NULL, 0);
    yj_buf_printf(&b, "-%d-%s", 42, "z");
    assert_string_equal(yj_buf_cstr(&b), "abcd-42-z");
    assert_int_equal(b.len, 9);
    /* Longer than the printf fast path (256 bytes). */
    char *big = ut_repeat("0123456789", 50);
    yj_buf_printf(&b, "[%s]", big);
    assert_int_equal(b.len, 9 + 502);
    assert_memory_equal(b.p + 9, "[0123456789", 11);
    assert_string_equal(b.p + b.len - 3, "89]");
    assert_int_equal(yj_buf_err(&b), YJ_ERR_OK);
    free(big);
    yj_buf_fini(&b);
}

static void take_moves_content_out(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 0);
    size_t len = 99;
    char *p = yj_buf_take(&b, &len); /* empty buffer: still a string to free */
    assert_string_equal(p, "");
    assert_int_equal(len, 0);
    free(p);
    yj_buf_adds(&b, "hello");
    p = yj_buf_take(&b, &len);
    assert_string_equal(p, "hello");
    assert_int_equal(len, 5);
    assert_int_equal(b.len, 0);
    assert_string_equal(yj_buf_cstr(&b), "");
    free(p);
    yj_buf_adds(&b, "again");
    assert_string_equal(yj_buf_cstr(&b), "again");
    yj_buf_fini(&b);
}

static void limit_is_exact_and_sticky(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 8);
    yj_buf_adds(&b, "12345678"); /* exactly max: fine */
    assert_int_equal(yj_buf_err(&b), YJ_ERR_OK);
    assert_int_equal(b.len, 8);
    yj_buf_addc(&b, '9'); /* one past: LIMIT, content unchanged */
    assert_int_equal(yj_buf_err(&b), YJ_ERR_LIMIT);
    assert_string_equal(yj_buf_cstr(&b), "12345678");
    /* Sticky: later appends do nothing, even ones that would fit. */
    yj_buf_fini(&b);
    yj_buf_init(&b, 8);
    yj_buf_adds(&b, "1234");
    yj_buf_adds(&b, "56789");
    assert_int_equal(yj_buf_err(&b), YJ_ERR_LIMIT);
    yj_buf_adds(&b, "x");
    yj_buf_printf(&b, "%d", 1);
    yj_buf_add_html(&b, "<");
    yj_buf_add_json_str(&b, "a", 1);
    assert_string_equal(yj_buf_cstr(&b), "1234");
    assert_int_equal(yj_buf_err(&b), YJ_ERR_LIMIT);
    /* reset clears both content and error. */
    yj_buf_reset(&b);
    assert_int_equal(yj_buf_err(&b), YJ_ERR_OK);
    assert_string_equal(yj_buf_cstr(&b), "");
    yj_buf_adds(&b, "ok");
    assert_string_equal(yj_buf_cstr(&b), "ok");
    yj_buf_fini(&b);
}

static void limit_on_long_printf(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 300);
    char *s = ut_repeat("x", 299);
    yj_buf_printf(&b, "%s", s); /* 299 bytes, through the long path */
    assert_int_equal(yj_buf_err(&b), YJ_ERR_OK);
    yj_buf_printf(&b, "%s", "ab");
    assert_int_equal(yj_buf_err(&b), YJ_ERR_LIMIT);
    assert_int_equal(b.len, 299);
    yj_buf_reset(&b);
    yj_buf_printf(&b, "%s!!", s); /* 301 in one go */
    assert_int_equal(yj_buf_err(&b), YJ_ERR_LIMIT);
    assert_int_equal(b.len, 0);
    free(s);
    yj_buf_fini(&b);
}

static void limit_never_splits_an_escape(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 10);
    yj_buf_add_html(&b, "<<<"); /* &lt;&lt; fits (8), the third would make 12 */
    assert_int_equal(yj_buf_err(&b), YJ_ERR_LIMIT);
    assert_string_equal(yj_buf_cstr(&b), "&lt;&lt;");
    yj_buf_fini(&b);
}

static void html_escaping(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 0);
    yj_buf_add_html(&b, "<a href=\"x\">Tom & Jerry's</a>");
    assert_string_equal(yj_buf_cstr(&b), "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    yj_buf_reset(&b);
    yj_buf_add_html(&b, "&amp;"); /* already-escaped text is escaped again */
    assert_string_equal(yj_buf_cstr(&b), "&amp;amp;");
    yj_buf_reset(&b);
    yj_buf_add_html(&b, "株式会社テスト 〜 plain");
    assert_string_equal(yj_buf_cstr(&b), "株式会社テスト 〜 plain");
    yj_buf_reset(&b);
    yj_buf_add_html_n(&b, "a<b>c", 2); /* only n bytes */
    assert_string_equal(yj_buf_cstr(&b), "a&lt;");
    yj_buf_reset(&b);
    yj_buf_add_html(&b, "");
    assert_string_equal(yj_buf_cstr(&b), "");
    yj_buf_fini(&b);
}

/* The JSON literal yj_buf_add_json_str makes of s[0..n). */
static char *json_lit(const char *s, size_t n)
{
    struct yj_buf b;
    yj_buf_init(&b, 0);
    yj_buf_add_json_str(&b, s, n);
    assert_int_equal(yj_buf_err(&b), YJ_ERR_OK);
    return yj_buf_take(&b, NULL);
}

static void check_json_lit(const char *s, size_t n, const char *want)
{
    char *got = json_lit(s, n);
    assert_string_equal(got, want);
    /* And it is valid JSON holding valid UTF-8. */
    const char *why = NULL;
    struct ut_json *j = ut_json_parse(got, strlen(got), &why);
    if (!j)
        print_error("not JSON (%s): %s\n", why, got);
    assert_non_null(j);
    assert_int_equal(j->kind, UT_JSTR);
    assert_true(yj_str_is_text((struct yj_str){got, strlen(got)}));
    ut_json_free(j);
    free(got);
}

#define CHECK_LIT(lit, want) check_json_lit((lit), sizeof(lit) - 1, (want))

static void json_string_escaping(void **state)
{
    (void)state;
    CHECK_LIT("", "\"\"");
    CHECK_LIT("plain", "\"plain\"");
    CHECK_LIT("q\"b\\s/", "\"q\\\"b\\\\s/\"");
    CHECK_LIT("a\nb\rc\td", "\"a\\nb\\rc\\td\"");
    CHECK_LIT("\b\f\x01\x1f\x7f", "\"\\u0008\\u000c\\u0001\\u001f\\u007f\"");
    CHECK_LIT("a\0b", "\"a\\u0000b\"");
    /* Safe to embed in HTML. */
    CHECK_LIT("</script><!--&", "\"\\u003c/script\\u003e\\u003c!--\\u0026\"");
    /* Well-formed UTF-8 passes through. */
    CHECK_LIT("日本語 é 😀 \xf4\x8f\xbf\xbf", "\"日本語 é 😀 \xf4\x8f\xbf\xbf\"");
}

static void json_string_invalid_utf8(void **state)
{
    (void)state;
    CHECK_LIT("\xff", "\"\\ufffd\"");
    CHECK_LIT("a\x80z", "\"a\\ufffdz\"");           /* lone continuation byte */
    CHECK_LIT("\xc3", "\"\\ufffd\"");               /* truncated at the end */
    CHECK_LIT("\xc0\xaf", "\"\\ufffd\\ufffd\"");    /* overlong '/' */
    CHECK_LIT("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\""); /* overlong 3-byte */
    CHECK_LIT("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""); /* surrogate U+D800 */
    CHECK_LIT("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* > U+10FFFF */
    /* Invalid bytes never swallow the valid text after them. */
    char *got = json_lit("\xe6\x97" "A\"", 4);
    assert_non_null(strstr(got, "\\ufffd"));
    assert_string_equal(got + strlen(got) - 4, "A\\\"\"");
    assert_null(strchr(got, '\xe6'));
    free(got);
    got = json_lit("\xe6\x97\xa5\xe6", 4); /* "日" then a truncated lead byte */
    assert_string_equal(got, "\"日\\ufffd\"");
    free(got);
}

static char *json_doc(bool pretty)
{
    struct yj_buf b;
    struct yj_json j;
    yj_buf_init(&b, 0);
    yj_json_init(&j, &b, pretty);
    yj_json_obj(&j);
    yj_json_kint(&j, "a", 1);
    yj_json_key(&j, "b");
    yj_json_arr(&j);
    yj_json_int(&j, -2);
    yj_json_str(&j, "x\"y");
    yj_json_obj(&j);
    yj_json_key(&j, "c");
    yj_json_null(&j);
    yj_json_end_obj(&j);
    yj_json_end_arr(&j);
    yj_json_kbool(&j, "t", true);
    yj_json_kbool(&j, "f", false);
    yj_json_kstr(&j, "n", NULL);
    yj_json_key(&j, "e");
    yj_json_arr(&j);
    yj_json_end_arr(&j);
    yj_json_key(&j, "o");
    yj_json_obj(&j);
    yj_json_end_obj(&j);
    yj_json_end_obj(&j);
    assert_int_equal(yj_buf_err(&b), YJ_ERR_OK);
    assert_int_equal(j.depth, 0);
    return yj_buf_take(&b, NULL);
}

static void json_writer_compact(void **state)
{
    (void)state;
    char *s = json_doc(false);
    assert_string_equal(s, "{\"a\":1,\"b\":[-2,\"x\\\"y\",{\"c\":null}],\"t\":true,\"f\":false,"
                           "\"n\":null,\"e\":[],\"o\":{}}");
    free(s);
}

static void json_writer_pretty(void **state)
{
    (void)state;
    char *s = json_doc(true);
    assert_string_equal(s, "{\n"
                           "  \"a\": 1,\n"
                           "  \"b\": [\n"
                           "    -2,\n"
                           "    \"x\\\"y\",\n"
                           "    {\n"
                           "      \"c\": null\n"
                           "    }\n"
                           "  ],\n"
                           "  \"t\": true,\n"
                           "  \"f\": false,\n"
                           "  \"n\": null,\n"
                           "  \"e\": [],\n"
                           "  \"o\": {}\n"
                           "}\n");
    struct ut_json *j = ut_json_parse(s, strlen(s), NULL);
    assert_non_null(j);
    assert_int_equal(ut_json_req(j, "b", UT_JARR)->len, 3);
    ut_json_free(j);
    free(s);
}

static void json_writer_values(void **state)
{
    (void)state;
    struct yj_buf b;
    struct yj_json j;
    yj_buf_init(&b, 0);
    yj_json_init(&j, &b, false);
    yj_json_arr(&j);
    yj_json_int(&j, INT64_MIN);
    yj_json_int(&j, INT64_MAX);
    yj_json_int(&j, 0);
    yj_json_str(&j, "");
    yj_json_end_arr(&j);
    assert_string_equal(yj_buf_cstr(&b),
                        "[-9223372036854775808,9223372036854775807,0,\"\"]");
    /* Keys are escaped like strings. */
    yj_buf_reset(&b);
    yj_json_init(&j, &b, false);
    yj_json_obj(&j);
    yj_json_kint(&j, "k\"<", 1);
    yj_json_end_obj(&j);
    assert_string_equal(yj_buf_cstr(&b), "{\"k\\\"\\u003c\":1}");
    yj_buf_fini(&b);
}

static void json_writer_depth_limit(void **state)
{
    (void)state;
    struct yj_buf b;
    struct yj_json j;
    yj_buf_init(&b, 0);
    yj_json_init(&j, &b, false);
    for (int i = 0; i < YJ_JSON_MAX_DEPTH - 1; i++)
        yj_json_arr(&j);
    assert_int_equal(yj_buf_err(&b), YJ_ERR_OK);
    assert_int_equal(j.depth, YJ_JSON_MAX_DEPTH - 1);
    for (int i = 0; i < YJ_JSON_MAX_DEPTH - 1; i++)
        yj_json_end_arr(&j);
    assert_int_equal(yj_buf_err(&b), YJ_ERR_OK);
    struct ut_json *v = ut_json_parse(b.p, b.len, NULL);
    assert_non_null(v);
    ut_json_free(v);
    /* One level deeper is refused, without overrunning need_comma[]. */
    yj_buf_reset(&b);
    yj_json_init(&j, &b, true);
    for (int i = 0; i < YJ_JSON_MAX_DEPTH; i++)
        yj_json_arr(&j);
    assert_int_equal(yj_buf_err(&b), YJ_ERR_LIMIT);
    assert_true(j.depth < YJ_JSON_MAX_DEPTH);
    /* Closing more than was opened is a state error. */
    yj_buf_reset(&b);
    yj_json_init(&j, &b, false);
    yj_json_end_obj(&j);
    assert_int_equal(yj_buf_err(&b), YJ_ERR_STATE);
    yj_buf_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(add_and_printf),
        cmocka_unit_test(take_moves_content_out),
        cmocka_unit_test(limit_is_exact_and_sticky),
        cmocka_unit_test(limit_on_long_printf),
        cmocka_unit_test(limit_never_splits_an_escape),
        cmocka_unit_test(html_escaping),
        cmocka_unit_test(json_string_escaping),
        cmocka_unit_test(json_string_invalid_utf8),
        cmocka_unit_test(json_writer_compact),
        cmocka_unit_test(json_writer_pretty),
        cmocka_unit_test(json_writer_values),
        cmocka_unit_test(json_writer_depth_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
