/* base/str: views, trimming, lines and words, strict integers, the text check. */
#include "ut.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"

#define S(lit) ((struct yj_str){(lit), sizeof(lit) - 1})

static void view_basics(void **state)
{
    (void)state;
    assert_int_equal(yj_str_c(NULL).n, 0);
    assert_int_equal(yj_str_c("abc").n, 3);
    assert_true(yj_str_eq(S("ab"), S("ab")));
    assert_false(yj_str_eq(S("ab"), S("abc")));
    assert_true(yj_str_eq((struct yj_str){NULL, 0}, S("")));
    assert_false(yj_str_eq_c(S("a\0b"), "a"));
    assert_true(yj_str_eq_ci_c(S("YeS"), "yes"));
    assert_true(yj_str_eq_ci_c(S("yes"), "YES"));
    assert_false(yj_str_eq_ci_c(S("ye"), "yes"));
    assert_false(yj_str_eq_ci_c(S("yes "), "yes"));
    assert_false(yj_str_eq_ci_c(S("\xc3\x89"), "\xc3\xa9")); /* ASCII only: É is not é */
    assert_false(yj_str_eq_ci_c(S("["), "{"));                /* no bit tricks past letters */
}

static void trim(void **state)
{
    (void)state;
    struct yj_str t = yj_str_trim(S("  a b \t\r\n"));
    assert_int_equal(t.n, 3);
    assert_memory_equal(t.p, "a b", 3);
    assert_int_equal(yj_str_trim(S(" \t\r\n\v\f")).n, 0);
    assert_int_equal(yj_str_trim(S("")).n, 0);
    t = yj_str_trim(S("x"));
    assert_true(yj_str_eq_c(t, "x"));
    t = yj_str_trim(S("\xe3\x80\x80x")); /* U+3000 ideographic space is not ASCII blank */
    assert_int_equal(t.n, 4);
}

/* All lines of text, joined with '|'. */
static void lines_of(struct yj_str cur, char *out, size_t cap)
{
    struct yj_str line;
    size_t o = 0;
    int k = 0;
    out[0] = '\0';
    while (yj_str_next_line(&cur, &line)) {
        o += (size_t)snprintf(out + o, cap - o, "%s%.*s", k++ ? "|" : "", (int)line.n, line.p);
        assert_true(o < cap);
    }
    assert_int_equal(cur.n, 0);
}

static void next_line(void **state)
{
    (void)state;
    char out[128];
    lines_of(S("a\r\nb\n\nc"), out, sizeof out);
    assert_string_equal(out, "a|b||c");
    lines_of(S("a\n"), out, sizeof out); /* no phantom empty line at the end */
    assert_string_equal(out, "a");
    lines_of(S("a\r\n"), out, sizeof out);
    assert_string_equal(out, "a");
    lines_of(S("\n"), out, sizeof out);
    assert_string_equal(out, "");
    lines_of(S("\r\n\r\nx"), out, sizeof out);
    assert_string_equal(out, "||x");
    lines_of(S("a\rb\n"), out, sizeof out); /* a CR inside a line stays */
    assert_string_equal(out, "a\rb");
    lines_of(S("last\r"), out, sizeof out);
    assert_string_equal(out, "last");
    struct yj_str cur = S(""), line;
    assert_false(yj_str_next_line(&cur, &line));
    /* Counting: "a\n\n" is two lines, "a\n\nb" three. */
    int n = 0;
    cur = S("a\n\n");
    while (yj_str_next_line(&cur, &line))
        n++;
    assert_int_equal(n, 2);
}

static void next_word(void **state)
{
    (void)state;
    struct yj_str cur = S("  3\tyes  \r\n"), w;
    assert_true(yj_str_next_word(&cur, &w));
    assert_true(yj_str_eq_c(w, "3"));
    assert_true(yj_str_next_word(&cur, &w));
    assert_true(yj_str_eq_c(w, "yes"));
    assert_false(yj_str_next_word(&cur, &w));
    cur = S("");
    assert_false(yj_str_next_word(&cur, &w));
    cur = S(" \t ");
    assert_false(yj_str_next_word(&cur, &w));
    cur = S("一部実施している");
    assert_true(yj_str_next_word(&cur, &w));
    assert_int_equal(w.n, strlen("一部実施している"));
    assert_false(yj_str_next_word(&cur, &w));
}

static void to_long_ok(void **state)
{
    (void)state;
    long v = 0;
    assert_true(yj_str_to_long(S("0"), &v));
    assert_int_equal(v, 0);
    assert_true(yj_str_to_long(S("42"), &v));
    assert_int_equal(v, 42);
    assert_true(yj_str_to_long(S("-7"), &v));
    assert_true(v == -7);
    assert_true(yj_str_to_long(S("+7"), &v));
    assert_int_equal(v, 7);
    assert_true(yj_str_to_long(S("007"), &v));
    assert_int_equal(v, 7);
    assert_true(yj_str_to_long(S("9223372036854775807"), &v));
    assert_true(v == LONG_MAX);
    assert_true(yj_str_to_long(S("-9223372036854775807"), &v));
    assert_true(v == -LONG_MAX);
    /* The view need not be NUL-terminated: only its n bytes count. */
    assert_true(yj_str_to_long((struct yj_str){"123456", 3}, &v));
    assert_int_equal(v, 123);
}

static void to_long_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "-", "+", "12a", " 1", "1 ", "0x10", "1.0", "1e3", "--1", "+-1", "١",
        "9223372036854775808", "-9223372036854775809", "99999999999999999999",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long v = 12345;
        if (yj_str_to_long(yj_str_c(bad[i]), &v)) {
            print_error("accepted '%s'\n", bad[i]);
            fail();
        }
        assert_int_equal(v, 12345); /* untouched */
    }
    long v = 1;
    assert_false(yj_str_to_long((struct yj_str){"12\0" "3", 4}, &v)); /* NUL is junk */
}

/* LONG_MIN is an ordinary long, not an overflow; the header promises "false on overflow". */
static void to_long_accepts_long_min(void **state)
{
    (void)state;
    long v = 0;
    assert_true(yj_str_to_long(S("-9223372036854775808"), &v));
    assert_true(v == LONG_MIN);
}

static void is_text_accepts(void **state)
{
    (void)state;
    static const char *const good[] = {
        "",
        "plain ASCII ~!@#",
        "tab\tok",
        "é",                 /* U+00E9 */
        "\xdf\xbf",          /* U+07FF, last 2-byte */
        "\xe0\xa0\x80",      /* U+0800, first 3-byte */
        "日本語テキスト",
        "\xed\x9f\xbf",      /* U+D7FF, just below the surrogates */
        "\xee\x80\x80",      /* U+E000, just above */
        "\xef\xbf\xbd",      /* U+FFFD */
        "\xf0\x90\x80\x80",  /* U+10000, first 4-byte */
        "😀",
        "\xf4\x8f\xbf\xbf",  /* U+10FFFF, the last code point */
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (!yj_str_is_text(yj_str_c(good[i]))) {
            print_error("rejected good text #%zu\n", i);
            fail();
        }
    }
}

static void is_text_rejects(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t n;
        const char *why;
    } bad[] = {
#define B(lit, why) {(lit), sizeof(lit) - 1, (why)}
        B("a\nb", "newline"),
        B("a\rb", "carriage return"),
        B("\x01", "SOH"),
        B("\x1b[31m", "escape"),
        B("\x7f", "DEL"),
        B("a\0b", "NUL"),
        B("\x80", "lone continuation"),
        B("\xbf", "lone continuation"),
        B("\xc0\x80", "overlong NUL"),
        B("\xc1\xbf", "overlong 2-byte"),
        B("\xe0\x80\x80", "overlong 3-byte"),
        B("\xe0\x9f\xbf", "overlong U+07FF"),
        B("\xf0\x80\x80\x80", "overlong 4-byte"),
        B("\xf0\x8f\xbf\xbf", "overlong U+FFFF"),
        B("\xed\xa0\x80", "surrogate U+D800"),
        B("\xed\xbf\xbf", "surrogate U+DFFF"),
        B("\xf4\x90\x80\x80", "U+110000"),
        B("\xf5\x80\x80\x80", "F5 lead"),
        B("\xf8\x88\x80\x80\x80", "5-byte form"),
        B("\xfe", "FE"),
        B("\xff", "FF"),
        B("\xe6\x97", "truncated 3-byte"),
        B("\xe6", "truncated at end"),
        B("\xe6\x41\x41", "bad continuation"),
        B("\xc3\xa9\xc3", "good then truncated"),
#undef B
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (yj_str_is_text((struct yj_str){bad[i].s, bad[i].n})) {
            print_error("accepted %s\n", bad[i].why);
            fail();
        }
    }
    /* The check looks at n bytes only: a valid prefix of an invalid buffer is text. */
    assert_true(yj_str_is_text((struct yj_str){"ok\x01", 2}));
}

/* "(no controls)": U+0080..U+009F are control characters too (C1; U+009B is CSI, which
 * terminals may act on), so they must not pass as text. */
static void is_text_rejects_c1_controls(void **state)
{
    (void)state;
    assert_false(yj_str_is_text(S("\xc2\x80")));
    assert_false(yj_str_is_text(S("\xc2\x85")));      /* NEL */
    assert_false(yj_str_is_text(S("a\xc2\x9b" "31m"))); /* CSI */
    assert_false(yj_str_is_text(S("\xc2\x9f")));
    assert_true(yj_str_is_text(S("\xc2\xa0")));       /* NBSP is not a control */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(view_basics),
        cmocka_unit_test(trim),
        cmocka_unit_test(next_line),
        cmocka_unit_test(next_word),
        cmocka_unit_test(to_long_ok),
        cmocka_unit_test(to_long_rejects),
        cmocka_unit_test(to_long_accepts_long_min),
        cmocka_unit_test(is_text_accepts),
        cmocka_unit_test(is_text_rejects),
        cmocka_unit_test(is_text_rejects_c1_controls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
