/* Private to host/: cursor helpers over counted views shared by the log parsers. */
#ifndef YJ_HOST_HOST_INT_H
#define YJ_HOST_HOST_INT_H

#include <string.h>

#include "host.h"

/* Consumes lit from the front of *s when it is there. */
static inline bool hs_eat(struct yj_str *s, const char *lit)
{
    size_t n = strlen(lit);
    if (s->n < n || memcmp(s->p, lit, n) != 0)
        return false;
    s->p += n;
    s->n -= n;
    return true;
}

/* Offset of the first / last lit in s, or SIZE_MAX. */
static inline size_t hs_find(struct yj_str s, const char *lit)
{
    size_t n = strlen(lit);
    const char *hit = n ? memmem(s.p, s.n, lit, n) : NULL;
    return hit ? (size_t)(hit - s.p) : (size_t)-1;
}

static inline size_t hs_rfind(struct yj_str s, const char *lit)
{
    size_t n = strlen(lit);
    if (!n || s.n < n)
        return (size_t)-1;
    /* Hop backwards between occurrences of the first byte (memrchr is vectorised). */
    for (size_t end = s.n - n + 1; end > 0;) {
        const char *hit = memrchr(s.p, lit[0], end);
        if (!hit)
            break;
        size_t i = (size_t)(hit - s.p);
        if (memcmp(hit, lit, n) == 0)
            return i;
        end = i;
    }
    return (size_t)-1;
}

static inline bool hs_ends(struct yj_str s, const char *lit)
{
    size_t n = strlen(lit);
    return s.n >= n && memcmp(s.p + s.n - n, lit, n) == 0;
}

/* Copies a user name; control bytes become '?', names past the limit end in '~'. */
static inline void hs_user(struct yj_str s, char out[YJ_HOST_USER_MAX + 1])
{
    size_t n = s.n > YJ_HOST_USER_MAX ? YJ_HOST_USER_MAX : s.n;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        out[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    if (s.n > YJ_HOST_USER_MAX)
        out[n - 1] = '~';
    out[n] = '\0';
}

/* True when p[0..n) are all decimal digits (also when n is 0). */
static inline bool hs_digits(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

/* A decimal port 1..65535 filling s. */
static inline bool hs_port(struct yj_str s, unsigned *out)
{
    unsigned v = 0;
    if (!s.n || s.n > 5)
        return false;
    for (size_t i = 0; i < s.n; i++) {
        if (s.p[i] < '0' || s.p[i] > '9')
            return false;
        v = v * 10 + (unsigned)(s.p[i] - '0');
    }
    if (v == 0 || v > 65535)
        return false;
    *out = v;
    return true;
}

/* The word at the front of s (up to a blank or the end). */
static inline struct yj_str hs_word(struct yj_str *s)
{
    struct yj_str w = {s->p, 0};
    while (w.n < s->n && s->p[w.n] != ' ')
        w.n++;
    s->p += w.n;
    s->n -= w.n;
    return w;
}

/* A bounded output of C-string copies (a record's text). */
struct hs_out {
    char *p;
    size_t n, cap;
};

/* Copies s as a C string into o, control bytes as '?' ("-" alone is "" when dash_empty);
 * NULL when it does not fit. */
static inline const char *hs_put(struct hs_out *o, struct yj_str s, bool dash_empty)
{
    if (dash_empty && s.n == 1 && s.p[0] == '-')
        s.n = 0;
    if (o->cap - o->n < s.n + 1)
        return NULL;
    char *start = o->p + o->n;
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        start[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    start[s.n] = '\0';
    o->n += s.n + 1;
    return start;
}

/* '"...' at the front of *s: the text between the quotes (a backslash escapes the next
 * byte), *s moved past the closing one. */
static inline bool hs_quoted(struct yj_str *s, struct yj_str *out)
{
    if (!hs_eat(s, "\""))
        return false;
    for (size_t i = 0; i < s->n; i++) {
        if (s->p[i] == '\\') {
            i++;
            continue;
        }
        if (s->p[i] == '"') {
            *out = (struct yj_str){s->p, i};
            s->p += i + 1;
            s->n -= i + 1;
            return true;
        }
    }
    return false;
}

/* "METHOD URL PROTOCOL" split at its first and last blank; anything else (not HTTP) is all
 * url, with method and proto empty. */
static inline void hs_request(struct yj_str req, struct yj_str *method, struct yj_str *url,
                              struct yj_str *proto)
{
    *method = (struct yj_str){req.p, 0};
    *url = req;
    *proto = (struct yj_str){req.p, 0};
    size_t sp = hs_find(req, " ");
    if (sp == (size_t)-1)
        return;
    *method = (struct yj_str){req.p, sp};
    *url = (struct yj_str){req.p + sp + 1, req.n - sp - 1};
    size_t sp2 = hs_rfind(*url, " ");
    if (sp2 != (size_t)-1) {
        *proto = (struct yj_str){url->p + sp2 + 1, url->n - sp2 - 1};
        url->n = sp2;
    }
}

/* Access-log time "10/Oct/2000:13:55:36 -0700" filling s, in UTC (syslog.c). */
bool yj_host_parse_clf_time(struct yj_str s, int64_t *out);

/* The time at the front of a web server's error-log line, taken as UTC: nginx's
 * "2000/10/11 14:32:52 " or Apache's "[Wed Oct 11 14:32:52[.frac] 2000] "; len receives the
 * length of the header with its trailing blank (syslog.c). */
bool yj_host_parse_errlog_time(struct yj_str s, int64_t *out, size_t *len);

/* PAM's "authentication failure; logname=... rhost=... user=..." (parse_sshd.c). */
bool yj_host_pam_failure(struct yj_str s, struct yj_auth *a);

#endif
