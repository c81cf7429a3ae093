/* Syslog framing: the timestamp, host and program in front of a log message.
 *
 *   traditional (RFC 3164):  Nov  2 15:40:14 workshop sshd[28179]: msg
 *   rsyslog high precision:  2023-11-14T00:20:42.738197+01:00 myserver sshd[1112652]: msg
 *   RFC 5424:                <38>1 2026-11-20T10:00:00.123+09:00 host sshd 1234 - - msg
 *
 * All parsing is over counted views of the line; nothing is copied or allocated. */
#include <string.h>

#include "base/date.h"
#include "host_int.h"

static bool digits(const char *p, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return true;
}

/* Unix seconds of a valid civil date and time. Consecutive log lines share their day, so
 * the day number of the last date is kept (per thread: the parsers stay reentrant). */
static int64_t civil(int y, int m, int d, int hh, int mm, int ss)
{
    static _Thread_local int last_key = -1;
    static _Thread_local int64_t last_days;
    int key = (y * 16 + m) * 32 + d;
    if (key != last_key) {
        last_days = yj_date_to_days((struct yj_date){y, m, d});
        last_key = key;
    }
    return last_days * 86400 + hh * 3600 + mm * 60 + ss;
}

static bool valid_hms(int hh, int mm, int ss)
{
    return hh <= 23 && mm <= 59 && ss <= 60;
}

static bool valid_day(int y, int m, int d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    if (m == 2 && d == 29)
        return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return true;
}

bool yj_host_parse_rfc3339(struct yj_str s, int64_t *out)
{
    const char *p = s.p;
    int y, mo, d, hh, mi, ss;
    if (s.n < 20 || !digits(p, 4, &y) || p[4] != '-' || !digits(p + 5, 2, &mo) ||
        p[7] != '-' || !digits(p + 8, 2, &d) || (p[10] != 'T' && p[10] != 't') ||
        !digits(p + 11, 2, &hh) || p[13] != ':' || !digits(p + 14, 2, &mi) || p[16] != ':' ||
        !digits(p + 17, 2, &ss))
        return false;
    if (!valid_day(y, mo, d) || !valid_hms(hh, mi, ss))
        return false;
    size_t i = 19;
    if (i < s.n && p[i] == '.') {
        size_t start = ++i;
        while (i < s.n && p[i] >= '0' && p[i] <= '9' && i - start < 9)
            i++;
        if (i == start)
            return false;
    }
    int64_t off = 0;
    if (i < s.n && (p[i] == 'Z' || p[i] == 'z')) {
        i++;
    } else if (i + 6 == s.n && (p[i] == '+' || p[i] == '-') && p[i + 3] == ':') {
        int oh, om;
        if (!digits(p + i + 1, 2, &oh) || !digits(p + i + 4, 2, &om) || oh > 23 || om > 59)
            return false;
        off = (oh * 3600 + om * 60) * (p[i] == '-' ? -1 : 1);
        i += 6;
    } else {
        return false;
    }
    if (i != s.n)
        return false;
    *out = civil(y, mo, d, hh, mi, ss) - off;
    return true;
}

static int month_of(const char *p)
{
    static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int m = 0; m < 12; m++)
        if (memcmp(p, names + 3 * m, 3) == 0)
            return m + 1;
    return 0;
}

static int year_of(int64_t t)
{
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    return yj_date_from_days(days).y;
}

/* "Nov  2 15:40:14" / "Nov 2 15:40:14" / "Aug 03 21:39:20"; n receives the length. */
static bool bsd_time(struct yj_str s, const struct yj_host_clock *clk, int64_t *out, size_t *n)
{
    const char *p = s.p;
    if (s.n < 15)
        return false;
    int mo = month_of(p), d, hh, mi, ss;
    if (!mo || p[3] != ' ')
        return false;
    size_t i = 4;
    if (p[i] == ' ')
        i++;
    if (p[i] < '0' || p[i] > '9')
        return false;
    d = p[i++] - '0';
    if (p[i] >= '0' && p[i] <= '9')
        d = d * 10 + (p[i++] - '0');
    if (i + 9 > s.n || p[i] != ' ' || !digits(p + i + 1, 2, &hh) || p[i + 3] != ':' ||
        !digits(p + i + 4, 2, &mi) || p[i + 6] != ':' || !digits(p + i + 7, 2, &ss) ||
        !valid_hms(hh, mi, ss))
        return false;
    i += 9;
    int y = clk && clk->year ? clk->year : year_of(clk ? clk->ref : 0);
    if (!valid_day(y, mo, d))
        return false;
    int64_t t = civil(y, mo, d, hh, mi, ss);
    if (clk && !clk->year && t > clk->ref + 86400 && valid_day(y - 1, mo, d))
        t = civil(y - 1, mo, d, hh, mi, ss);
    *out = t;
    *n = i;
    return true;
}

static struct yj_str take_word(struct yj_str *cur)
{
    struct yj_str w = {cur->p, 0};
    while (w.n < cur->n && cur->p[w.n] != ' ')
        w.n++;
    cur->p += w.n;
    cur->n -= w.n;
    return w;
}

static bool skip_space(struct yj_str *cur)
{
    if (!cur->n || cur->p[0] != ' ')
        return false;
    while (cur->n && cur->p[0] == ' ') {
        cur->p++;
        cur->n--;
    }
    return true;
}

/* "host prog[pid]: msg" after a timestamp. A missing host (some forwarders drop it) is
 * not accepted: the program name would be ambiguous. */
static bool tag_and_msg(struct yj_str cur, struct yj_syslog *out)
{
    if (!skip_space(&cur))
        return false;
    out->host = take_word(&cur);
    if (!out->host.n || !skip_space(&cur))
        return false;
    /* prog runs to '[' or ':'; a tag has no blanks. */
    size_t i = 0;
    while (i < cur.n && cur.p[i] != '[' && cur.p[i] != ':' && cur.p[i] != ' ')
        i++;
    if (i == 0 || i == cur.n || cur.p[i] == ' ')
        return false;
    out->prog = (struct yj_str){cur.p, i};
    if (cur.p[i] == '[') {
        i++;
        while (i < cur.n && cur.p[i] >= '0' && cur.p[i] <= '9')
            i++;
        if (i == cur.n || cur.p[i] != ']')
            return false;
        i++;
    }
    if (i == cur.n || cur.p[i] != ':')
        return false;
    i++;
    cur.p += i;
    cur.n -= i;
    skip_space(&cur);
    out->msg = cur;
    return true;
}

/* One field of an RFC 5424 header; "-" is the nil value (an empty view). */
static bool field(struct yj_str *cur, struct yj_str *out)
{
    *out = take_word(cur);
    if (!out->n || !skip_space(cur))
        return false;
    if (out->n == 1 && out->p[0] == '-')
        out->n = 0;
    return true;
}

/* Structured data: "-" or one or more [id param="value" ...], where \" \] \\ escape. */
static bool skip_sd(struct yj_str *cur)
{
    if (cur->n && cur->p[0] == '-') {
        cur->p++;
        cur->n--;
        return true;
    }
    size_t i = 0;
    while (i < cur->n && cur->p[i] == '[') {
        bool quoted = false;
        for (i++; i < cur->n; i++) {
            char c = cur->p[i];
            if (quoted && c == '\\' && i + 1 < cur->n) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ']' && !quoted) {
                break;
            }
        }
        if (i == cur->n)
            return false;
        i++;
    }
    if (i == 0)
        return false;
    cur->p += i;
    cur->n -= i;
    return true;
}

static bool rfc5424(struct yj_str cur, struct yj_syslog *out)
{
    size_t i = 1;
    while (i < cur.n && i < 5 && cur.p[i] >= '0' && cur.p[i] <= '9')
        i++;
    if (i == 1 || i + 2 > cur.n || cur.p[i] != '>' || cur.p[i + 1] != '1')
        return false;
    cur.p += i + 2;
    cur.n -= i + 2;
    if (!skip_space(&cur))
        return false;
    struct yj_str ts, procid, msgid;
    if (!field(&cur, &ts) || !field(&cur, &out->host) || !field(&cur, &out->prog) ||
        !field(&cur, &procid) || !field(&cur, &msgid))
        return false;
    if (!ts.n || !yj_host_parse_rfc3339(ts, &out->ts))
        return false;
    if (!skip_sd(&cur))
        return false;
    skip_space(&cur);
    if (cur.n >= 3 && memcmp(cur.p, "\xEF\xBB\xBF", 3) == 0) { /* the optional BOM */
        cur.p += 3;
        cur.n -= 3;
    }
    out->msg = cur;
    return true;
}

bool yj_syslog_parse(struct yj_str line, const struct yj_host_clock *clk,
                     struct yj_syslog *out)
{
    memset(out, 0, sizeof *out);
    if (!line.n)
        return false;
    if (line.p[0] == '<')
        return rfc5424(line, out);
    if (line.p[0] >= '0' && line.p[0] <= '9') {
        struct yj_str rest = line;
        struct yj_str ts = take_word(&rest);
        return yj_host_parse_rfc3339(ts, &out->ts) && tag_and_msg(rest, out);
    }
    size_t n;
    if (!bsd_time(line, clk, &out->ts, &n))
        return false;
    return tag_and_msg((struct yj_str){line.p + n, line.n - n}, out);
}

/* The access logs' "10/Oct/2000:13:55:36 -0700" (Apache's %t, nginx's $time_local), filling
 * all of s; converted to UTC. */
bool yj_host_parse_clf_time(struct yj_str s, int64_t *out)
{
    const char *p = s.p;
    int d, y, hh, mi, ss, oh, om;
    if (s.n != 26 || !digits(p, 2, &d) || p[2] != '/' || p[6] != '/' || !digits(p + 7, 4, &y) ||
        p[11] != ':' || !digits(p + 12, 2, &hh) || p[14] != ':' || !digits(p + 15, 2, &mi) ||
        p[17] != ':' || !digits(p + 18, 2, &ss) || p[20] != ' ' ||
        (p[21] != '+' && p[21] != '-') || !digits(p + 22, 2, &oh) || !digits(p + 24, 2, &om))
        return false;
    int mo = month_of(p + 3);
    if (!mo || !valid_day(y, mo, d) || !valid_hms(hh, mi, ss) || oh > 23 || om > 59)
        return false;
    int64_t off = (int64_t)(oh * 3600 + om * 60);
    *out = civil(y, mo, d, hh, mi, ss) - (p[21] == '+' ? off : -off);
    return true;
}

bool yj_host_parse_errlog_time(struct yj_str s, int64_t *out, size_t *len)
{
    const char *p = s.p;
    int y, mo, d, hh, mi, ss;
    /* nginx: "2000/10/11 14:32:52 " */
    if (s.n >= 20 && digits(p, 4, &y) && p[4] == '/' && digits(p + 5, 2, &mo) && p[7] == '/' &&
        digits(p + 8, 2, &d) && p[10] == ' ' && digits(p + 11, 2, &hh) && p[13] == ':' &&
        digits(p + 14, 2, &mi) && p[16] == ':' && digits(p + 17, 2, &ss) && p[19] == ' ') {
        if (!valid_day(y, mo, d) || !valid_hms(hh, mi, ss))
            return false;
        *out = civil(y, mo, d, hh, mi, ss);
        *len = 20;
        return true;
    }
    /* Apache: "[Wed Oct 11 14:32:52[.frac] 2000] " */
    if (s.n < 27 || p[0] != '[' || p[4] != ' ' || p[8] != ' ' || p[11] != ' ' ||
        !(digits(p + 9, 2, &d) || (p[9] == ' ' && digits(p + 10, 1, &d))) ||
        !digits(p + 12, 2, &hh) || p[14] != ':' || !digits(p + 15, 2, &mi) || p[17] != ':' ||
        !digits(p + 18, 2, &ss))
        return false;
    size_t i = 20;
    if (p[i] == '.')
        for (i++; i < s.n && i < 30 && p[i] >= '0' && p[i] <= '9'; i++)
            ;
    if (i + 7 > s.n || p[i] != ' ' || !digits(p + i + 1, 4, &y) || p[i + 5] != ']' ||
        p[i + 6] != ' ')
        return false;
    mo = month_of(p + 5);
    if (!mo || !valid_day(y, mo, d) || !valid_hms(hh, mi, ss))
        return false;
    *out = civil(y, mo, d, hh, mi, ss);
    *len = i + 7;
    return true;
}
