/* Clock and calendar. Day arithmetic uses Howard Hinnant's days-from-civil algorithm, so it
 * needs no time zone and no libc calendar state. */
#include "date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t yj_now(void)
{
    const char *e = getenv("YOJIN_NOW");
    int64_t t;
    if (e && *e && yj_time_parse_iso(e, &t))
        return t;
    return (int64_t)time(NULL);
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

int64_t yj_date_to_days(struct yj_date d)
{
    int64_t y = d.y - (d.m <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (d.m + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + d.d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct yj_date yj_date_from_days(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    return (struct yj_date){(int)(y + (m <= 2)), (int)m, (int)d};
}

struct yj_date yj_date_add_days(struct yj_date d, int64_t n)
{
    return yj_date_from_days(yj_date_to_days(d) + n);
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool yj_date_parse(const char *s, struct yj_date *out)
{
    struct yj_date d;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &d.y) ||
        !digits(s + 5, 2, &d.m) || !digits(s + 8, 2, &d.d))
        return false;
    if (d.y < 1900 || d.m < 1 || d.m > 12 || d.d < 1 || d.d > month_days(d.y, d.m))
        return false;
    *out = d;
    return true;
}

void yj_date_fmt(struct yj_date d, char out[YJ_DATE_LEN])
{
    snprintf(out, YJ_DATE_LEN, "%04u-%02u-%02u", (unsigned)d.y % 10000u, (unsigned)d.m % 100u,
             (unsigned)d.d % 100u);
}

bool yj_time_parse_iso(const char *s, int64_t *out)
{
    char day[YJ_DATE_LEN];
    struct yj_date d;
    size_t n = strlen(s);
    if (n < 10)
        return false;
    memcpy(day, s, 10);
    day[10] = '\0';
    if (!yj_date_parse(day, &d))
        return false;
    int64_t t = yj_date_to_days(d) * 86400;
    if (n == 10) {
        *out = t;
        return true;
    }
    int hh, mm, ss;
    if (n != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' ||
        !digits(s + 11, 2, &hh) || !digits(s + 14, 2, &mm) || !digits(s + 17, 2, &ss) ||
        hh > 23 || mm > 59 || ss > 60)
        return false;
    *out = t + hh * 3600 + mm * 60 + ss;
    return true;
}

void yj_time_iso(int64_t t, char out[YJ_ISO_LEN])
{
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t rem = t - days * 86400;
    struct yj_date d = yj_date_from_days(days);
    snprintf(out, YJ_ISO_LEN, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)d.y % 10000u,
             (unsigned)d.m % 100u, (unsigned)d.d % 100u, (unsigned)(rem / 3600) % 100u,
             (unsigned)(rem / 60 % 60), (unsigned)(rem % 60));
}

void yj_time_local_date(int64_t t, char out[YJ_DATE_LEN])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm)) {
        char iso[YJ_ISO_LEN];
        yj_time_iso(t, iso);
        memcpy(out, iso, 10);
        out[10] = '\0';
        return;
    }
    yj_date_fmt((struct yj_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday}, out);
}
