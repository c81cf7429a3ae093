/* base/date: day arithmetic, strict parsing, ISO timestamps and the YOJIN_NOW override. */
#include "ut.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/date.h"

static struct yj_date D(int y, int m, int d)
{
    return (struct yj_date){y, m, d};
}

static void assert_date(struct yj_date got, const char *want)
{
    char s[YJ_DATE_LEN];
    yj_date_fmt(got, s);
    assert_string_equal(s, want);
}

static void days_known_values(void **state)
{
    (void)state;
    assert_int_equal(yj_date_to_days(D(1970, 1, 1)), 0);
    assert_int_equal(yj_date_to_days(D(1970, 1, 2)), 1);
    assert_true(yj_date_to_days(D(1969, 12, 31)) == -1);
    assert_int_equal(yj_date_to_days(D(2000, 3, 1)), 11017);
    assert_int_equal(yj_date_to_days(D(2026, 11, 26)), 20783);
    assert_date(yj_date_from_days(0), "1970-01-01");
    assert_date(yj_date_from_days(-1), "1969-12-31");
    assert_date(yj_date_from_days(20783), "2026-11-26");
}

static void days_round_trip_every_day(void **state)
{
    (void)state;
    /* 1900-01-01 .. 2400-12-31: each day is the previous plus one and formats/parses back. */
    int64_t first = yj_date_to_days(D(1900, 1, 1)), last = yj_date_to_days(D(2400, 12, 31));
    struct yj_date prev = yj_date_from_days(first - 1);
    assert_date(prev, "1899-12-31");
    for (int64_t z = first; z <= last; z++) {
        struct yj_date d = yj_date_from_days(z);
        assert_true(yj_date_to_days(d) == z);
        bool next_day = d.y == prev.y && d.m == prev.m && d.d == prev.d + 1;
        bool next_month = d.y == prev.y && d.m == prev.m + 1 && d.d == 1;
        bool next_year = d.y == prev.y + 1 && d.m == 1 && d.d == 1 && prev.m == 12 && prev.d == 31;
        assert_true(next_day || next_month || next_year);
        if (d.d == 1 && z != first) {
            /* The day before the 1st is the last day of its month: the parser agrees. */
            char s[YJ_DATE_LEN];
            struct yj_date p;
            yj_date_fmt(prev, s);
            assert_true(yj_date_parse(s, &p));
            prev.d++;
            yj_date_fmt(prev, s);
            assert_false(yj_date_parse(s, &p));
        }
        prev = d;
    }
}

static void add_days_across_boundaries(void **state)
{
    (void)state;
    assert_date(yj_date_add_days(D(2026, 11, 20), 30), "2026-12-20");
    assert_date(yj_date_add_days(D(2026, 11, 20), 60), "2027-01-19");
    assert_date(yj_date_add_days(D(2024, 2, 28), 1), "2024-02-29");
    assert_date(yj_date_add_days(D(2024, 2, 29), 1), "2024-03-01");
    assert_date(yj_date_add_days(D(2026, 2, 28), 1), "2026-03-01");
    assert_date(yj_date_add_days(D(2100, 2, 28), 1), "2100-03-01"); /* not a leap year */
    assert_date(yj_date_add_days(D(2000, 2, 28), 1), "2000-02-29"); /* 400-year rule */
    assert_date(yj_date_add_days(D(2026, 12, 31), 1), "2027-01-01");
    assert_date(yj_date_add_days(D(2027, 1, 1), -1), "2026-12-31");
    assert_date(yj_date_add_days(D(2024, 3, 1), -1), "2024-02-29");
    assert_date(yj_date_add_days(D(2026, 1, 31), 0), "2026-01-31");
    assert_date(yj_date_add_days(D(2026, 1, 1), 365), "2027-01-01");
    assert_date(yj_date_add_days(D(2024, 1, 1), 365), "2024-12-31");
}

static void parse_strict(void **state)
{
    (void)state;
    struct yj_date d;
    assert_true(yj_date_parse("2024-02-29", &d));
    assert_int_equal(d.y, 2024);
    assert_int_equal(d.m, 2);
    assert_int_equal(d.d, 29);
    assert_true(yj_date_parse("2000-02-29", &d));
    assert_true(yj_date_parse("1900-01-01", &d));
    assert_true(yj_date_parse("2026-12-31", &d));
    static const char *const bad[] = {
        "2026-02-30", "2026-02-29", "1900-02-29", "2100-02-29", "2026-04-31",
        "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32", "2026-1-01",
        "2026/01/01", "2026-01-011", " 2026-01-01", "2026-01-01 ", "", "abcd-ef-gh",
        "2026-01-0a", "1899-12-31", "+026-01-01", "2026-01-01T00:00:00Z", "20260101",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        d = D(1, 2, 3);
        if (yj_date_parse(bad[i], &d)) {
            print_error("accepted '%s'\n", bad[i]);
            fail();
        }
        assert_int_equal(d.y, 1); /* untouched */
    }
}

static void fmt_pads(void **state)
{
    (void)state;
    assert_date(D(2026, 1, 5), "2026-01-05");
    assert_date(D(1999, 12, 31), "1999-12-31");
}

static void iso_round_trip(void **state)
{
    (void)state;
    char s[YJ_ISO_LEN];
    int64_t t = 0;
    assert_true(yj_time_parse_iso("2026-11-26T04:16:49Z", &t));
    assert_int_equal(t, 20783LL * 86400 + 4 * 3600 + 16 * 60 + 49);
    yj_time_iso(t, s);
    assert_string_equal(s, "2026-11-26T04:16:49Z");
    assert_true(yj_time_parse_iso("2026-11-26", &t));
    assert_int_equal(t, 20783LL * 86400);
    yj_time_iso(0, s);
    assert_string_equal(s, "1970-01-01T00:00:00Z");
    yj_time_iso(-1, s);
    assert_string_equal(s, "1969-12-31T23:59:59Z");
    yj_time_iso(86399, s);
    assert_string_equal(s, "1970-01-01T23:59:59Z");
    /* Every 7919 seconds over a few years: format and parse agree. */
    for (int64_t x = 1700000000; x < 1800000000; x += 7919 * 13) {
        int64_t back;
        yj_time_iso(x, s);
        assert_true(yj_time_parse_iso(s, &back));
        assert_true(back == x);
    }
}

static void iso_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2026-11-26T24:00:00Z", "2026-11-26T23:60:00Z", "2026-11-26T04:16:49",
        "2026-11-26 04:16:49Z", "2026-11-26T4:16:49Z", "2026-11-26T04:16:49Zx",
        "2026-11-26T04:16:49+09:00", "2026-11-26T", "2026-02-30T00:00:00Z", "2026-11-2",
        "", "now", "2026-11-26T04:16:4aZ",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t t = 77;
        if (yj_time_parse_iso(bad[i], &t)) {
            print_error("accepted '%s'\n", bad[i]);
            fail();
        }
        assert_int_equal(t, 77);
    }
}

static void now_override(void **state)
{
    (void)state;
    assert_int_equal(setenv("YOJIN_NOW", "2026-11-26T04:16:49Z", 1), 0);
    char s[YJ_ISO_LEN];
    yj_time_iso(yj_now(), s);
    assert_string_equal(s, "2026-11-26T04:16:49Z");
    assert_int_equal(setenv("YOJIN_NOW", "2027-01-19", 1), 0);
    yj_time_iso(yj_now(), s);
    assert_string_equal(s, "2027-01-19T00:00:00Z");
    /* Junk and empty fall back to the clock. */
    int64_t before = (int64_t)time(NULL);
    assert_int_equal(setenv("YOJIN_NOW", "yesterday", 1), 0);
    int64_t t = yj_now();
    assert_true(t >= before && t <= before + 5);
    assert_int_equal(setenv("YOJIN_NOW", "", 1), 0);
    t = yj_now();
    assert_true(t >= before && t <= before + 5);
    assert_int_equal(unsetenv("YOJIN_NOW"), 0);
    t = yj_now();
    assert_true(t >= before && t <= before + 5);
}

static void local_date_uses_time_zone(void **state)
{
    (void)state;
    char s[YJ_DATE_LEN];
    int64_t t;
    assert_true(yj_time_parse_iso("2026-11-25T15:30:00Z", &t));
    assert_int_equal(setenv("TZ", "JST-9", 1), 0); /* POSIX form: needs no tzdata */
    tzset();
    yj_time_local_date(t, s);
    assert_string_equal(s, "2026-11-26");
    assert_int_equal(setenv("TZ", "UTC0", 1), 0);
    tzset();
    yj_time_local_date(t, s);
    assert_string_equal(s, "2026-11-25");
    unsetenv("TZ");
    tzset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(days_known_values),
        cmocka_unit_test(days_round_trip_every_day),
        cmocka_unit_test(add_days_across_boundaries),
        cmocka_unit_test(parse_strict),
        cmocka_unit_test(fmt_pads),
        cmocka_unit_test(iso_round_trip),
        cmocka_unit_test(iso_rejects),
        cmocka_unit_test(now_override),
        cmocka_unit_test(local_date_uses_time_zone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
