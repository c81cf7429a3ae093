/* Kernel netfilter log lines (the LOG target of iptables and nftables, as UFW and firewalld
 * use it), by hand over a view:
 *
 *   [19955416.516358] [UFW BLOCK] IN=ens2 OUT= MAC=de:1c:... SRC=62.34.17.168
 *       DST=10.73.140.49 LEN=44 TOS=0x00 PREC=0x00 TTL=43 ID=25313 PROTO=TCP SPT=52220 DPT=80
 *       WINDOW=1024 RES=0x00 SYN URGP=0
 *
 * The uptime in brackets is optional (journald and some syslog setups drop it). Whatever
 * stands between it and "IN=" is the rule's log prefix: "[UFW BLOCK]", "FINAL_REJECT:",
 * "filter_IN_public_DROP:", "nft drop: ", or nothing (a plain -j LOG). Then come KEY=VALUE
 * words and bare TCP flags; an ICMP error quotes the packet it answers in brackets
 * ("[SRC=... DST=...]"), which is not read. A prefix that says the packet passed (ACCEPT,
 * ALLOW, AUDIT) marks the line as not a drop; any other prefix, and none, is a drop, since
 * firewalls are set to log what they refuse. */
#include "host_int.h"

static void copy(struct yj_str s, char *out, size_t cap)
{
    size_t n = s.n < cap - 1 ? s.n : cap - 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        out[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    out[n] = '\0';
}

static bool num(struct yj_str s, unsigned max, unsigned *out)
{
    unsigned v = 0;
    if (!s.n || s.n > 10)
        return false;
    for (size_t i = 0; i < s.n; i++) {
        if (s.p[i] < '0' || s.p[i] > '9')
            return false;
        v = v * 10 + (unsigned)(s.p[i] - '0');
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

/* Case-insensitive: does the prefix say the packet was let through? */
static bool passed(const char *p)
{
    static const char *const words[] = {"ACCEPT", "ALLOW", "AUDIT", "PASS", NULL};
    char up[YJ_DROP_PREFIX_MAX + 1];
    size_t n = 0;
    for (; p[n]; n++)
        up[n] = p[n] >= 'a' && p[n] <= 'z' ? (char)(p[n] - 32) : p[n];
    up[n] = '\0';
    for (size_t i = 0; words[i]; i++)
        if (strstr(up, words[i]))
            return true;
    return false;
}

static void set_prefix(struct yj_str p, struct yj_drop *d)
{
    while (p.n && p.p[0] == ' ')
        p.p++, p.n--;
    while (p.n && (p.p[p.n - 1] == ' ' || p.p[p.n - 1] == ':'))
        p.n--;
    if (p.n >= 2 && p.p[0] == '[' && p.p[p.n - 1] == ']')
        p.p++, p.n -= 2;
    copy(p, d->prefix, sizeof d->prefix);
    d->drop = !passed(d->prefix);
}

bool yj_netfilter_parse(struct yj_str s, struct yj_drop *d)
{
    static const char *const flags[] = {"FIN", "SYN", "RST", "PSH", "ACK", "URG"};
    /* "[   12.345678] " */
    if (s.n && s.p[0] == '[') {
        size_t i = 1;
        while (i < s.n && (s.p[i] == ' ' || s.p[i] == '.' || (s.p[i] >= '0' && s.p[i] <= '9')))
            i++;
        if (i > 1 && i < s.n && s.p[i] == ']') {
            s.p += i + 1;
            s.n -= i + 1;
        }
    }
    size_t at = 0;
    for (;;) {
        size_t k = hs_find((struct yj_str){s.p + at, s.n - at}, "IN=");
        if (k == (size_t)-1)
            return false;
        at += k;
        if (at == 0 || s.p[at - 1] == ' ')
            break;
        at++;
    }
    if (at > 200)
        return false; /* prefixes are at most 29 bytes (iptables) or 127 (nftables) */
    memset(d, 0, sizeof *d);
    set_prefix((struct yj_str){s.p, at}, d);
    s.p += at;
    s.n -= at;
    bool in = false, out = false, src = false, dst = false;
    while (s.n) {
        const char *sp = memchr(s.p, ' ', s.n);
        struct yj_str w = {s.p, sp ? (size_t)(sp - s.p) : s.n};
        s.p += w.n + (sp != NULL);
        s.n -= w.n + (sp != NULL);
        if (w.n && w.p[0] == '[')
            break; /* the quoted packet of an ICMP error */
        const char *eq = memchr(w.p, '=', w.n);
        if (!eq) {
            for (unsigned i = 0; i < 6; i++)
                if (w.n == 3 && memcmp(w.p, flags[i], 3) == 0)
                    d->tcp_flags |= (uint8_t)(1u << i);
            continue;
        }
        size_t kn = (size_t)(eq - w.p);
        struct yj_str v = {eq + 1, w.n - kn - 1};
#define IS(lit) (kn == sizeof lit - 1 && memcmp(w.p, lit, sizeof lit - 1) == 0)
        if (IS("IN"))
            copy(v, d->in, sizeof d->in), in = true;
        else if (IS("OUT"))
            copy(v, d->out, sizeof d->out), out = true;
        else if (IS("SRC"))
            src = yj_host_ip(v, d->src);
        else if (IS("DST"))
            dst = yj_host_ip(v, d->dst);
        else if (IS("PROTO"))
            copy(v.n == 6 && memcmp(v.p, "ICMPv6", 6) == 0 ? (struct yj_str){"IPv6-ICMP", 9} : v,
                 d->proto, sizeof d->proto);
        else if (IS("SPT"))
            (void)num(v, 65535, &d->spt);
        else if (IS("DPT"))
            (void)num(v, 65535, &d->dpt);
        else if (IS("LEN") && !d->len)
            (void)num(v, 1u << 20, &d->len);
        else if ((IS("TTL") || IS("HOPLIMIT")) && !d->ttl)
            (void)num(v, 255, &d->ttl);
#undef IS
    }
    if (strcmp(d->proto, "TCP") != 0)
        d->tcp_flags = 0;
    return in && out && src && dst && d->proto[0];
}
