/* Shared helpers of the protocol parsers: bounded text buffers, escaping, base64 and
 * percent decoding, line splitting (proto_int.h). */
#include <string.h>

#include "base/str.h"
#include "proto.h"
#include "proto_int.h"

const char *yj_proto_status_name(enum yj_proto_status s)
{
    switch (s) {
    case YJ_PROTO_DONE: return "done";
    case YJ_PROTO_MORE: return "more";
    case YJ_PROTO_NOT: return "not";
    case YJ_PROTO_BAD: return "bad";
    }
    return "?";
}

void tb_init(struct tb *t, char *buf, size_t cap)
{
    t->p = buf;
    t->cap = cap;
    t->n = 0;
    t->trunc = false;
    buf[0] = '\0';
}

void tb_putn(struct tb *t, const char *s, size_t n)
{
    size_t room = t->cap - 1 - t->n;
    if (n > room) {
        n = room;
        t->trunc = true;
    }
    memcpy(t->p + t->n, s, n);
    t->n += n;
    t->p[t->n] = '\0';
}

void tb_putc(struct tb *t, char c)
{
    tb_putn(t, &c, 1);
}

void tb_puts(struct tb *t, const char *s)
{
    tb_putn(t, s, strlen(s));
}

void tb_putu(struct tb *t, unsigned long v)
{
    char d[24];
    size_t i = sizeof d;
    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    tb_putn(t, d + i, sizeof d - i);
}

void tb_escape(struct tb *t, const uint8_t *s, size_t n, int also)
{
    static const char hex[] = "0123456789abcdef";
    size_t i = 0;
    while (i < n && !t->trunc) {
        /* A run of bytes that pass as they are, copied at once. */
        size_t j = i;
        while (j < n && s[j] >= 0x20 && s[j] < 0x7f && s[j] != '\\' &&
               s[j] != also)
            j++;
        if (j > i) {
            tb_putn(t, (const char *)s + i, j - i);
            i = j;
            continue;
        }
        char e[4] = {'\\', 'x', hex[s[i] >> 4], hex[s[i] & 15]};
        if (t->cap - 1 - t->n < 4) {
            t->trunc = true;
            break;
        }
        tb_putn(t, e, 4);
        i++;
    }
}

bool copy_clean(char *buf, size_t cap, const uint8_t *s, size_t n)
{
    bool cut = n > cap - 1;
    if (cut)
        n = cap - 1;
    for (size_t i = 0; i < n; i++)
        buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? (char)s[i] : '?';
    buf[n] = '\0';
    return cut;
}

static int b64_val(uint8_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

long b64_decode(const uint8_t *s, size_t n, uint8_t *out, size_t cap)
{
    while (n && s[n - 1] == '=')
        n--;
    if (n % 4 == 1)
        return -1;
    size_t o = 0;
    uint32_t acc = 0;
    unsigned bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64_val(s[i]);
        if (v < 0)
            return -1;
        acc = (acc << 6 | (uint32_t)v) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o >= cap)
                return -1;
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    return (long)o;
}

size_t pct_decode(const uint8_t *s, size_t n, uint8_t *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o < cap; i++) {
        uint8_t c = s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%' && i + 2 < n) {
            int hi = yj_hex_digit((char)s[i + 1]), lo = yj_hex_digit((char)s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                c = (uint8_t)(hi << 4 | lo);
                i += 2;
            }
        }
        out[o++] = c;
    }
    return o;
}

static uint8_t lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c | 0x20) : c;
}

bool starts_ci(const uint8_t *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    if (n < k)
        return false;
    for (size_t i = 0; i < k; i++)
        if (lower(s[i]) != lower((uint8_t)w[i]))
            return false;
    return true;
}

bool contains_ci(const uint8_t *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    for (size_t i = 0; i + k <= n; i++)
        if (starts_ci(s + i, n - i, w))
            return true;
    return false;
}

bool eq_ci(const uint8_t *s, size_t n, const char *w)
{
    return strlen(w) == n && starts_ci(s, n, w);
}

bool next_line(const uint8_t *p, size_t n, size_t *off, const uint8_t **ls, size_t *ll)
{
    if (*off >= n)
        return false;
    const uint8_t *s = p + *off;
    const uint8_t *e = memchr(s, '\n', n - *off);
    if (!e)
        return false;
    size_t len = (size_t)(e - s);
    *off += len + 1;
    if (len && s[len - 1] == '\r')
        len--;
    *ls = s;
    *ll = len;
    return true;
}

void wipe(void *p, size_t n)
{
    explicit_bzero(p, n);
}
