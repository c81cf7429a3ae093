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

/* Access-log time "10/Oct/2000:13:55:36 -0700" filling s, in UTC (syslog.c). */
bool yj_host_parse_clf_time(struct yj_str s, int64_t *out);

/* PAM's "authentication failure; logname=... rhost=... user=..." (parse_sshd.c). */
bool yj_host_pam_failure(struct yj_str s, struct yj_auth *a);

#endif
