/* String views: trimming, comparing, cutting lines and words, strict number parsing. */
#include "str.h"

#include <limits.h>
#include <string.h>

int yj_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

struct yj_str yj_str_c(const char *s)
{
    return (struct yj_str){s, s ? strlen(s) : 0};
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

struct yj_str yj_str_trim(struct yj_str s)
{
    while (s.n && is_blank(s.p[0])) {
        s.p++;
        s.n--;
    }
    while (s.n && is_blank(s.p[s.n - 1]))
        s.n--;
    return s;
}

bool yj_str_eq(struct yj_str a, struct yj_str b)
{
    return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

bool yj_str_eq_c(struct yj_str a, const char *b)
{
    return yj_str_eq(a, yj_str_c(b));
}

bool yj_str_eq_ci_c(struct yj_str a, const char *b)
{
    size_t n = strlen(b);
    if (a.n != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a.p[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return false;
    }
    return true;
}

bool yj_str_next_line(struct yj_str *cur, struct yj_str *line)
{
    if (cur->n == 0)
        return false;
    const char *nl = memchr(cur->p, '\n', cur->n);
    size_t len = nl ? (size_t)(nl - cur->p) : cur->n;
    line->p = cur->p;
    line->n = len;
    if (len && line->p[len - 1] == '\r')
        line->n--;
    size_t adv = nl ? len + 1 : len;
    cur->p += adv;
    cur->n -= adv;
    return true;
}

bool yj_str_next_word(struct yj_str *cur, struct yj_str *word)
{
    while (cur->n && is_blank(cur->p[0])) {
        cur->p++;
        cur->n--;
    }
    if (cur->n == 0)
        return false;
    size_t i = 0;
    while (i < cur->n && !is_blank(cur->p[i]))
        i++;
    word->p = cur->p;
    word->n = i;
    cur->p += i;
    cur->n -= i;
    return true;
}

bool yj_str_to_long(struct yj_str s, long *out)
{
    size_t i = 0;
    bool neg = false;
    if (s.n && (s.p[0] == '-' || s.p[0] == '+')) {
        neg = s.p[0] == '-';
        i++;
    }
    if (i == s.n)
        return false;
    unsigned long v = 0;
    for (; i < s.n; i++) {
        if (s.p[i] < '0' || s.p[i] > '9')
            return false;
        unsigned d = (unsigned)(s.p[i] - '0');
        unsigned long limit = neg ? (unsigned long)LONG_MAX + 1 : (unsigned long)LONG_MAX;
        if (v > (limit - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = neg ? (v == (unsigned long)LONG_MAX + 1 ? LONG_MIN : -(long)v) : (long)v;
    return true;
}

static bool text_check(struct yj_str s, bool nl);

bool yj_str_is_text(struct yj_str s)
{
    return text_check(s, false);
}

bool yj_str_is_text_nl(struct yj_str s)
{
    return text_check(s, true);
}

static bool text_check(struct yj_str s, bool nl)
{
    const unsigned char *p = (const unsigned char *)s.p;
    size_t i = 0;
    while (i < s.n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && !(nl && (c == '\r' || c == '\n')))
                return false;
            if (c == 0x7f)
                return false;
            i++;
            continue;
        }
        size_t len;
        unsigned cp;
        if (c >= 0xc2 && c <= 0xdf) {
            len = 2;
            cp = c & 0x1fu;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3;
            cp = c & 0x0fu;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (i + len > s.n)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + k] & 0x3fu);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
            return false;
        i += len;
    }
    return true;
}

size_t yj_ip4_str(const uint8_t a[4], char out[16])
{
    char *o = out;
    for (int i = 0; i < 4; i++) {
        unsigned v = a[i];
        if (v >= 100)
            *o++ = (char)('0' + v / 100);
        if (v >= 10)
            *o++ = (char)('0' + v / 10 % 10);
        *o++ = (char)('0' + v % 10);
        *o++ = '.';
    }
    o[-1] = '\0';
    return (size_t)(o - 1 - out);
}
