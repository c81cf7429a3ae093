/* Time and calendar helpers. Timestamps are Unix seconds; stored as ISO 8601 UTC text.
 * YOJIN_NOW (an ISO 8601 date or UTC date-time) overrides the clock, for reproducible tests
 * and reports. Calendar dates are proleptic Gregorian, independent of time zones. */
#ifndef YJ_BASE_DATE_H
#define YJ_BASE_DATE_H

#include <stdbool.h>
#include <stdint.h>

#define YJ_ISO_LEN 21 /* "2026-11-26T04:16:49Z" + NUL */
#define YJ_DATE_LEN 11 /* "2026-11-26" + NUL */

struct yj_date {
    int y, m, d;
};

int64_t yj_now(void);
/* "2026-11-26T04:16:49Z" */
void yj_time_iso(int64_t t, char out[YJ_ISO_LEN]);
/* "2026-11-26" in local time (the office's calendar day). */
void yj_time_local_date(int64_t t, char out[YJ_DATE_LEN]);
/* Accepts "YYYY-MM-DD" (midnight UTC) and "YYYY-MM-DDTHH:MM:SSZ". */
bool yj_time_parse_iso(const char *s, int64_t *out);

bool yj_date_parse(const char *s, struct yj_date *out); /* strict YYYY-MM-DD, valid day */
void yj_date_fmt(struct yj_date d, char out[YJ_DATE_LEN]);
int64_t yj_date_to_days(struct yj_date d);             /* days since 1970-01-01 */
struct yj_date yj_date_from_days(int64_t days);
struct yj_date yj_date_add_days(struct yj_date d, int64_t n);

#endif
