/* Addresses in log lines: IPv4 and IPv6 literals, checked with inet_pton over a bounded
 * copy (outside bytes are never assumed to be NUL-terminated). */
#include <arpa/inet.h>
#include <string.h>

#include "host.h"

/* Dotted-quad IPv4 as inet_pton reads it: four decimal parts of 0-255, no leading zeros.
 * By hand because it is on the hot path of every log line. */
static bool ipv4(struct yj_str s)
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part && (i >= s.n || s.p[i++] != '.'))
            return false;
        size_t start = i;
        unsigned v = 0;
        while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9' && i - start < 4)
            v = v * 10 + (unsigned)(s.p[i++] - '0');
        if (i == start || v > 255 || (i - start > 1 && s.p[start] == '0'))
            return false;
    }
    return i == s.n;
}

bool yj_host_ip(struct yj_str s, char out[YJ_HOST_IP_MAX])
{
    unsigned char bin[16];
    out[0] = '\0';
    if (!s.n || s.n >= YJ_HOST_IP_MAX)
        return false;
    if (memchr(s.p, ':', s.n)) {
        char tmp[YJ_HOST_IP_MAX];
        memcpy(tmp, s.p, s.n);
        tmp[s.n] = '\0';
        if (inet_pton(AF_INET6, tmp, bin) != 1)
            return false;
    } else if (!ipv4(s)) {
        return false;
    }
    memcpy(out, s.p, s.n);
    out[s.n] = '\0';
    return true;
}
