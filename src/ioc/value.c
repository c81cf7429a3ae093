/* Indicator values: what one field of a list (or a command-line argument) is, and its
 * normalised form, which is also the key the set is searched by.
 *
 *   1.2.3.4            IP             2001:db8::1        IP
 *   1.2.3.0/24         CIDR           2001:db8::/32      CIDR
 *   1.2.3.4:8080       IPPORT         [2001:db8::1]:443  IPPORT
 *   evil.com, *.evil.com, EVIL.COM.   DOMAIN "evil.com"
 *   http://Evil.com:80/a/?x           URL "evil.com/a?x"
 *   1.2.3.4/gate.php, evil.com/x/     URL
 *   /gate.php                         PATH (any host) */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "ioc_int.h"

uint64_t ioc_hash_addr(const uint8_t a[16], uint16_t port)
{
    uint64_t h = IOC_FNV_OFF;
    for (int i = 0; i < 16; i++)
        h = ioc_step(h, a[i]);
    if (!port)
        return ioc_fin(h, TAG_ADDR);
    h = ioc_step(h, (unsigned char)(port >> 8));
    h = ioc_step(h, (unsigned char)port);
    return ioc_fin(h, TAG_ADDRPORT);
}

uint64_t ioc_hash_domain(const char *p, size_t n)
{
    uint64_t h = IOC_FNV_OFF;
    while (n)
        h = ioc_step(h, (unsigned char)p[--n]);
    return ioc_fin(h, TAG_DOMAIN);
}

uint64_t ioc_hash_url(const char *p, size_t n)
{
    uint64_t h = IOC_FNV_OFF;
    for (size_t i = 0; i < n; i++)
        h = ioc_step(h, (unsigned char)p[i]);
    return ioc_fin(h, TAG_URL);
}

static bool parse_ip4(struct yj_str s, uint8_t out[4])
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part) {
            if (i >= s.n || s.p[i] != '.')
                return false;
            i++;
        }
        unsigned v = 0, digits = 0;
        while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9' && digits < 4) {
            v = v * 10 + (unsigned)(s.p[i] - '0');
            i++;
            digits++;
        }
        /* no octal-looking leading zeros, no 4-digit parts */
        if (!digits || digits > 3 || v > 255 || (digits > 1 && s.p[i - digits] == '0'))
            return false;
        out[part] = (uint8_t)v;
    }
    return i == s.n;
}

bool ioc_parse_ip(struct yj_str s, uint8_t out[16], bool *v4)
{
    uint8_t a4[4];
    if (parse_ip4(s, a4)) {
        memset(out, 0, 10);
        out[10] = out[11] = 0xff;
        memcpy(out + 12, a4, 4);
        *v4 = true;
        return true;
    }
    char buf[64];
    if (s.n < 2 || s.n >= sizeof buf || !memchr(s.p, ':', s.n))
        return false;
    memcpy(buf, s.p, s.n);
    buf[s.n] = 0;
    if (inet_pton(AF_INET6, buf, out) != 1)
        return false;
    *v4 = false;
    return true;
}

static bool is_v4_mapped(const uint8_t a[16])
{
    static const uint8_t pre[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return memcmp(a, pre, 12) == 0;
}

void ioc_addr_text(const uint8_t a[16], char *out, size_t cap)
{
    char t[16];
    if (is_v4_mapped(a)) { /* no printf: this runs for every listed address */
        size_t k = yj_ip4_str(a + 12, t);
        if (k < cap)
            memcpy(out, t, k + 1);
        else if (cap)
            out[0] = 0;
    } else if (!inet_ntop(AF_INET6, a, out, (socklen_t)cap) && cap)
        out[0] = 0;
}

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

/* What each byte of a name is: 0 no name has it, 1 a lowercase letter, '-' or '_',
 * 2 an uppercase letter, 3 a digit, 4 a dot. */
enum { DN_BAD, DN_LOWER, DN_UPPER, DN_DIGIT, DN_DOT };
static const uint8_t dn_class[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 4, 0,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0,
    0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 1,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Checks and lowercases a name into out; with hash, also its key hash (ioc_hash_domain of
 * out, which reads the name from its end: the loop runs that way so that the hash comes
 * along at no extra pass). */
static inline bool domain_norm(struct yj_str s, char *out, size_t cap, size_t *n,
                               uint64_t *hash)
{
    if (s.n >= 2 && s.p[0] == '*' && s.p[1] == '.') {
        s.p += 2;
        s.n -= 2;
    }
    if (s.n && s.p[s.n - 1] == '.')
        s.n--;
    if (!s.n || s.n > 253 || s.n >= cap)
        return false;
    size_t label = 0, labels = 1;
    bool alpha_last = false; /* the last label has a letter (or '-' or '_') */
    bool in_last = true;
    uint64_t h = IOC_FNV_OFF;
    /* This runs for every listed domain: one table look-up per byte, and branches only on
     * what is rare (a dot, a byte no name has, a label too long). */
    for (size_t i = s.n; i-- > 0;) {
        unsigned char u = (unsigned char)s.p[i];
        unsigned c = dn_class[u];
        unsigned char o = (unsigned char)(u + (c == DN_UPPER ? 32 : 0));
        out[i] = (char)o;
        if (hash)
            h = ioc_step(h, o);
        if (c == DN_DOT) {
            if (!label)
                return false;
            label = 0;
            labels++;
            in_last = false;
            continue;
        }
        if (c == DN_BAD)
            return false;
        alpha_last = (in_last & ((c == DN_LOWER) | (c == DN_UPPER))) | alpha_last;
        if (++label > 63)
            return false;
    }
    /* every label not empty, at least two, and a last label that is not a number (1.2.3
     * is no name) */
    if (!label || labels < 2 || !alpha_last)
        return false;
    out[s.n] = 0;
    *n = s.n;
    if (hash)
        *hash = ioc_fin(h, TAG_DOMAIN);
    return true;
}

bool ioc_domain_norm(struct yj_str s, char *out, size_t cap, size_t *n)
{
    return domain_norm(s, out, cap, n, NULL);
}

/* host[:port] of a URL into out, lowercased; a default port for the scheme dropped. */
static bool url_host(struct yj_str h, int scheme_port, char *out, size_t cap, size_t *n)
{
    const char *at = NULL;
    for (size_t i = 0; i < h.n; i++)
        if (h.p[i] == '@')
            at = h.p + i;
    if (at) {
        h.n -= (size_t)(at + 1 - h.p);
        h.p = at + 1;
    }
    struct yj_str host = h, port = {NULL, 0};
    if (h.n && h.p[0] == '[') {
        const char *rb = memchr(h.p, ']', h.n);
        if (!rb)
            return false;
        host = (struct yj_str){h.p, (size_t)(rb - h.p) + 1};
        if (host.n < h.n) {
            if (h.p[host.n] != ':')
                return false;
            port = (struct yj_str){h.p + host.n + 1, h.n - host.n - 1};
        }
        uint8_t a[16];
        bool v4;
        if (!ioc_parse_ip((struct yj_str){host.p + 1, host.n - 2}, a, &v4))
            return false;
    } else {
        const char *colon = memchr(h.p, ':', h.n);
        if (colon) {
            host.n = (size_t)(colon - h.p);
            port = (struct yj_str){colon + 1, h.n - host.n - 1};
        }
        if (host.n && host.p[host.n - 1] == '.')
            host.n--;
        uint8_t a[16];
        bool v4;
        char tmp[256];
        size_t tn;
        if (!ioc_parse_ip(host, a, &v4) && !ioc_domain_norm(host, tmp, sizeof tmp, &tn))
            return false;
    }
    long pv = 0;
    if (port.p && (!port.n || port.n > 5 || !yj_str_to_long(port, &pv) || pv < 1 || pv > 65535 ||
                   port.p[0] == '+' || port.p[0] == '-'))
        return false;
    if (pv == scheme_port)
        port.p = NULL;
    if (host.n + (port.p ? port.n + 1 : 0) >= cap)
        return false;
    size_t k = 0;
    for (size_t i = 0; i < host.n; i++)
        out[k++] = lower(host.p[i]);
    if (port.p) {
        out[k++] = ':';
        memcpy(out + k, port.p, port.n);
        k += port.n;
    }
    *n = k;
    return true;
}

/* Appends path[?query] (fragment gone) with the trailing "/" of the path dropped. */
static bool url_path(struct yj_str p, char *out, size_t cap, size_t *k)
{
    const char *hash = memchr(p.p, '#', p.n);
    if (hash)
        p.n = (size_t)(hash - p.p);
    const char *q = memchr(p.p, '?', p.n);
    size_t pn = q ? (size_t)(q - p.p) : p.n;
    size_t qn = q ? p.n - pn - 1 : 0;
    while (pn && p.p[pn - 1] == '/')
        pn--;
    if (*k + pn + (qn ? qn + 1 : 0) >= cap)
        return false;
    for (size_t i = 0; i < pn; i++) {
        unsigned char c = (unsigned char)p.p[i];
        if (c <= ' ' || c == 0x7f)
            return false;
        out[(*k)++] = (char)c;
    }
    if (qn) {
        out[(*k)++] = '?';
        for (size_t i = 0; i < qn; i++) {
            unsigned char c = (unsigned char)q[1 + i];
            if (c <= ' ' || c == 0x7f)
                return false;
            out[(*k)++] = (char)c;
        }
    }
    return true;
}

bool ioc_url_norm(struct yj_str s, char *out, size_t cap, size_t *n, size_t *host_n)
{
    int scheme_port = 0;
    for (size_t i = 0; i + 2 < s.n && i < 16; i++) {
        if (s.p[i] == ':' && s.p[i + 1] == '/' && s.p[i + 2] == '/') {
            struct yj_str sch = {s.p, i};
            if (yj_str_eq_ci_c(sch, "http"))
                scheme_port = 80;
            else if (yj_str_eq_ci_c(sch, "https"))
                scheme_port = 443;
            s.p += i + 3;
            s.n -= i + 3;
            break;
        }
        if (s.p[i] == '/' || s.p[i] == '.')
            break;
    }
    size_t hl = 0;
    while (hl < s.n && s.p[hl] != '/' && s.p[hl] != '?' && s.p[hl] != '#')
        hl++;
    size_t k = 0;
    if (hl) {
        if (!url_host((struct yj_str){s.p, hl}, scheme_port, out, cap, &k))
            return false;
    }
    *host_n = k;
    if (!url_path((struct yj_str){s.p + hl, s.n - hl}, out, cap, &k))
        return false;
    out[k] = 0;
    *n = k;
    return true;
}

static bool set_text(struct ioc_value *v, const char **why)
{
    if (v->kind == YJ_IOC_CIDR) {
        char a[64];
        ioc_addr_text(v->addr, a, sizeof a);
        v->n = (size_t)snprintf(v->text, sizeof v->text, "%s/%u", a,
                                v->v4 ? v->prefix - 96 : v->prefix);
    } else if (v->kind == YJ_IOC_IPPORT && v->v4) {
        /* address:port without printf (maltrail lists many of them) */
        ioc_addr_text(v->addr, v->text, sizeof v->text);
        size_t k = strlen(v->text);
        char digits[6];
        size_t nd = 0;
        for (unsigned p = v->port; p || !nd; p /= 10)
            digits[nd++] = (char)('0' + p % 10);
        v->text[k++] = ':';
        while (nd)
            v->text[k++] = digits[--nd];
        v->text[k] = 0;
        v->n = k;
    } else if (v->kind == YJ_IOC_IPPORT) {
        char a[64];
        ioc_addr_text(v->addr, a, sizeof a);
        v->n = (size_t)snprintf(v->text, sizeof v->text, "[%s]:%u", a, v->port);
    } else if (v->kind == YJ_IOC_IP) {
        ioc_addr_text(v->addr, v->text, sizeof v->text);
        v->n = strlen(v->text);
    }
    *why = NULL;
    return true;
}

static bool parse_port(struct yj_str p, uint16_t *out)
{
    long v;
    if (!p.n || p.n > 5 || p.p[0] < '0' || p.p[0] > '9' || !yj_str_to_long(p, &v) || v < 1 ||
        v > 65535)
        return false;
    *out = (uint16_t)v;
    return true;
}

bool ioc_value_parse(struct yj_str s, struct ioc_value *v, const char **why)
{
    memset(v, 0, offsetof(struct ioc_value, text));
    v->text[0] = 0;
    v->n = 0;
    v->host_n = 0;
    s = yj_str_trim(s);
    *why = "ioc.bad_value";
    if (!s.n)
        return false;
    if (s.n > IOC_TEXT_MAX) {
        *why = "ioc.too_long";
        return false;
    }
    /* [v6]:port */
    if (s.p[0] == '[') {
        const char *rb = memchr(s.p, ']', s.n);
        if (rb && (size_t)(rb - s.p) + 2 < s.n && rb[1] == ':' &&
            ioc_parse_ip((struct yj_str){s.p + 1, (size_t)(rb - s.p) - 1}, v->addr, &v->v4) &&
            parse_port((struct yj_str){rb + 2, s.n - (size_t)(rb - s.p) - 2}, &v->port)) {
            v->kind = YJ_IOC_IPPORT;
            return set_text(v, why);
        }
    }
    if (s.p[0] == '/') {
        size_t k = 0;
        if (!url_path(s, v->text, sizeof v->text, &k) || !k) {
            *why = "ioc.bad_path";
            return false;
        }
        v->text[k] = 0;
        v->n = k;
        v->kind = YJ_IOC_PATH;
        return true;
    }
    if (ioc_parse_ip(s, v->addr, &v->v4)) {
        v->kind = YJ_IOC_IP;
        return set_text(v, why);
    }
    const char *slash = memchr(s.p, '/', s.n);
    if (slash) {
        struct yj_str a = {s.p, (size_t)(slash - s.p)};
        struct yj_str b = {slash + 1, s.n - a.n - 1};
        long bits;
        if (b.n && b.n <= 3 && b.p[0] >= '0' && b.p[0] <= '9' && yj_str_to_long(b, &bits) &&
            ioc_parse_ip(a, v->addr, &v->v4)) {
            if (bits > (v->v4 ? 32 : 128)) {
                *why = "ioc.bad_prefix";
                return false;
            }
            v->prefix = (unsigned)bits + (v->v4 ? 96u : 0u);
            /* host bits cleared: 1.2.3.4/24 is 1.2.3.0/24 */
            for (unsigned i = 0; i < 16; i++) {
                unsigned keep = v->prefix > i * 8 ? v->prefix - i * 8 : 0;
                if (keep < 8)
                    v->addr[i] &= (uint8_t)(0xff00u >> keep);
            }
            v->kind = v->prefix == 128 ? YJ_IOC_IP : YJ_IOC_CIDR;
            return set_text(v, why);
        }
    }
    /* a.b.c.d:port */
    const char *colon = memchr(s.p, ':', s.n);
    if (colon && !slash && !memchr(colon + 1, ':', s.n - (size_t)(colon - s.p) - 1)) {
        struct yj_str a = {s.p, (size_t)(colon - s.p)};
        if (ioc_parse_ip(a, v->addr, &v->v4) &&
            parse_port((struct yj_str){colon + 1, s.n - a.n - 1}, &v->port)) {
            v->kind = YJ_IOC_IPPORT;
            return set_text(v, why);
        }
    }
    bool urlish = slash || memchr(s.p, '?', s.n) || colon;
    if (!urlish && domain_norm(s, v->text, sizeof v->text, &v->n, &v->hash)) {
        v->kind = YJ_IOC_DOMAIN;
        return true;
    }
    if (urlish && ioc_url_norm(s, v->text, sizeof v->text, &v->n, &v->host_n) && v->host_n) {
        v->kind = YJ_IOC_URL;
        return true;
    }
    return false;
}
