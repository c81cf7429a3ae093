/* Connections: the kernel's socket tables /proc/net/{tcp,tcp6,udp,udp6}, parsed by hand, with
 * each socket matched to the process holding it (through the "socket:[inode]" links in
 * /proc/<pid>/fd), plus raw copies of the tables, the ARP cache, routes and interfaces.
 *
 * A table line (after the header; the columns after inode are ignored):
 *
 *   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt  uid timeout inode
 *    0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000   0       0 23456
 *
 * Addresses are the in-memory words of the kernel's big-endian address printed with %08X,
 * so parsing each 8-digit group back into a native 32-bit word and copying its bytes gives
 * the address in network order on any host. Ports are plain hex.
 *
 * network/connections.tsv:
 *   proto local_address local_port remote_address remote_port state uid inode pid comm
 * Without root, only the caller's own processes can be matched: the rest are counted as one
 * skip. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evidence_int.h"

static int hexdig(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    return -1;
}

static bool hex_u32(const char *p, size_t n, uint32_t *out)
{
    if (n == 0 || n > 8)
        return false;
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        int d = hexdig(p[i]);
        if (d < 0)
            return false;
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return true;
}

static bool dec_ull(struct yj_str w, unsigned long long *out)
{
    if (w.n == 0 || w.n > 20)
        return false;
    unsigned long long v = 0;
    for (size_t i = 0; i < w.n; i++) {
        if (w.p[i] < '0' || w.p[i] > '9')
            return false;
        unsigned d = (unsigned)(w.p[i] - '0');
        if (v > (~0ULL - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* "0100007F:1F90" (v4) or 32 hex digits + ":" + port (v6). */
static bool addr(struct yj_str w, bool v6, char *text, size_t tn, unsigned *port)
{
    size_t an = v6 ? 32 : 8;
    if (w.n != an + 5 || w.p[an] != ':')
        return false;
    unsigned char bytes[16];
    for (size_t i = 0; i < an / 8; i++) {
        uint32_t word;
        if (!hex_u32(w.p + 8 * i, 8, &word))
            return false;
        memcpy(bytes + 4 * i, &word, 4);
    }
    uint32_t p;
    if (!hex_u32(w.p + an + 1, 4, &p))
        return false;
    *port = (unsigned)p;
    return inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, text, (socklen_t)tn) != NULL;
}

bool yj_ev_parse_sock(struct yj_str line, bool v6, struct yj_ev_sock *out)
{
    memset(out, 0, sizeof *out);
    struct yj_str cur = line, w;
    /* sl: digits and a colon */
    if (!yj_str_next_word(&cur, &w) || w.n < 2 || w.p[w.n - 1] != ':')
        return false;
    for (size_t i = 0; i + 1 < w.n; i++)
        if (w.p[i] < '0' || w.p[i] > '9')
            return false;
    if (!yj_str_next_word(&cur, &w) || !addr(w, v6, out->local, sizeof out->local, &out->lport))
        return false;
    if (!yj_str_next_word(&cur, &w) ||
        !addr(w, v6, out->remote, sizeof out->remote, &out->rport))
        return false;
    uint32_t st;
    if (!yj_str_next_word(&cur, &w) || w.n != 2 || !hex_u32(w.p, 2, &st))
        return false;
    out->state = (unsigned)st;
    /* tx_queue:rx_queue, tr:tm->when, retrnsmt: shape only */
    for (int i = 0; i < 3; i++)
        if (!yj_str_next_word(&cur, &w))
            return false;
    unsigned long long v;
    if (!yj_str_next_word(&cur, &w) || !dec_ull(w, &v))
        return false;
    out->uid = (unsigned long)v;
    if (!yj_str_next_word(&cur, &w)) /* timeout */
        return false;
    if (!yj_str_next_word(&cur, &w) || !dec_ull(w, &out->inode))
        return false;
    return true;
}

const char *yj_ev_tcp_state(unsigned st)
{
    static const char *const names[] = {
        "-",         "ESTABLISHED", "SYN_SENT",   "SYN_RECV", "FIN_WAIT1",
        "FIN_WAIT2", "TIME_WAIT",   "CLOSE",      "CLOSE_WAIT", "LAST_ACK",
        "LISTEN",    "CLOSING",     "NEW_SYN_RECV",
    };
    return st < sizeof names / sizeof names[0] ? names[st] : "UNKNOWN";
}

/* ---- socket inode -> process ----------------------------------------------------------- */

struct owner {
    unsigned long long inode;
    long pid;
    char comm[20];
};

struct owners {
    struct owner *v;
    size_t n, cap;
    bool full;
};

static void comm_of(long pid, char out[20])
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/comm", pid);
    struct yj_buf b;
    yj_buf_init(&b, 256);
    uint64_t off;
    bool trunc;
    out[0] = '\0';
    if (yj_ev_read(path, 64, false, 1, &b, &off, &trunc) == 0) {
        size_t n = b.len;
        while (n && (b.p[n - 1] == '\n'))
            n--;
        if (n > 19)
            n = 19;
        memcpy(out, b.p, n);
        out[n] = '\0';
    }
    yj_buf_fini(&b);
}

static void scan_fds(struct owners *o, long pid)
{
    char dir[64];
    snprintf(dir, sizeof dir, "/proc/%ld/fd", pid);
    DIR *dp = opendir(dir);
    if (!dp)
        return;
    char comm[20];
    bool have_comm = false;
    size_t seen = 0;
    struct dirent *de;
    while ((de = readdir(dp)) != NULL && seen < YJ_EV_MAX_FDS_PER_PROC) {
        if (de->d_name[0] == '.')
            continue;
        seen++;
        char path[96], link[64];
        snprintf(path, sizeof path, "%s/%.20s", dir, de->d_name);
        ssize_t n = readlink(path, link, sizeof link - 1);
        if (n < 9)
            continue;
        link[n] = '\0';
        if (memcmp(link, "socket:[", 8) != 0 || link[n - 1] != ']')
            continue;
        unsigned long long ino;
        if (!dec_ull((struct yj_str){link + 8, (size_t)n - 9}, &ino))
            continue;
        if (o->n == YJ_EV_MAX_SOCK_FDS) {
            o->full = true;
            break;
        }
        if (!have_comm) {
            comm_of(pid, comm);
            have_comm = true;
        }
        if (o->n == o->cap) {
            o->cap = o->cap ? o->cap * 2 : 256;
            o->v = yj_xrealloc(o->v, o->cap * sizeof *o->v);
        }
        struct owner *w = &o->v[o->n++];
        w->inode = ino;
        w->pid = pid;
        memcpy(w->comm, comm, sizeof w->comm);
    }
    closedir(dp);
}

static int by_inode(const void *a, const void *b)
{
    const struct owner *x = a, *y = b;
    if (x->inode != y->inode)
        return x->inode < y->inode ? -1 : 1;
    return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static const struct owner *owner_of(const struct owners *o, unsigned long long inode)
{
    size_t lo = 0, hi = o->n;
    while (lo < hi) { /* the first entry with this inode: the lowest pid */
        size_t mid = lo + (hi - lo) / 2;
        if (o->v[mid].inode < inode)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < o->n && o->v[lo].inode == inode ? &o->v[lo] : NULL;
}

static void map_owners(struct yj_ev *c, struct owners *o)
{
    DIR *dp = opendir("/proc");
    if (!dp)
        return;
    struct dirent *de;
    size_t procs = 0;
    while ((de = readdir(dp)) != NULL && procs < YJ_EV_MAX_PROCS && !o->full) {
        long pid;
        if (!yj_str_to_long(yj_str_c(de->d_name), &pid) || pid <= 0)
            continue;
        procs++;
        scan_fds(o, pid);
    }
    closedir(dp);
    if (o->full)
        yj_ev_skip(c, YJ_EV_AREA_NETWORK, "/proc/*/fd", YJ_EV_WHY_LIMIT, NULL);
    if (o->n > 1)
        qsort(o->v, o->n, sizeof *o->v, by_inode);
}

/* ---- the tables ------------------------------------------------------------------------ */

static void table(struct yj_ev *c, const struct owners *o, const char *proto, bool v6,
                  struct yj_buf *out)
{
    char src[32], dest[48];
    snprintf(src, sizeof src, "/proc/net/%s", proto);
    snprintf(dest, sizeof dest, "network/proc_net_%s", proto);
    struct yj_buf raw;
    yj_buf_init(&raw, YJ_EV_TABLE_MAX + 1);
    uint64_t off;
    bool trunc;
    int e = yj_ev_read(src, YJ_EV_TABLE_MAX, false, 1, &raw, &off, &trunc);
    if (e) {
        /* No IPv6 in the kernel means no tcp6/udp6: nothing to say. */
        if (!(v6 && e == ENOENT))
            yj_ev_skip(c, YJ_EV_AREA_NETWORK, src, yj_ev_why_errno(c, e), NULL);
        yj_buf_fini(&raw);
        return;
    }
    yj_ev_add(c, YJ_EV_AREA_NETWORK, dest, src, &raw, trunc, 0);
    bool tcp = proto[0] == 't';
    struct yj_str cur = {yj_buf_cstr(&raw), raw.len}, line;
    size_t rows = 0;
    bool bad = false;
    yj_str_next_line(&cur, &line); /* the header */
    while (yj_str_next_line(&cur, &line)) {
        if (yj_str_trim(line).n == 0)
            continue;
        if (rows == YJ_EV_MAX_SOCKETS) {
            yj_ev_skip(c, YJ_EV_AREA_NETWORK, src, YJ_EV_WHY_LIMIT, NULL);
            break;
        }
        struct yj_ev_sock s;
        if (!yj_ev_parse_sock(line, v6, &s)) {
            bad = true;
            continue;
        }
        rows++;
        const char *state = tcp ? yj_ev_tcp_state(s.state)
                            : s.state == 7 ? "UNCONN"
                            : s.state == 1 ? "ESTABLISHED"
                                           : yj_ev_tcp_state(s.state);
        c->r->counts.sockets++;
        if ((tcp && s.state == 0x0A) || (!tcp && s.state == 7))
            c->r->counts.listening++;
        else if (s.state == 1)
            c->r->counts.established++;
        const struct owner *w = s.inode ? owner_of(o, s.inode) : NULL;
        yj_buf_printf(out, "%s\t%s\t%u\t%s\t%u\t%s\t%lu\t%llu\t", proto, s.local, s.lport,
                      s.remote, s.rport, state, s.uid, s.inode);
        if (w) {
            yj_buf_printf(out, "%ld\t", w->pid);
            yj_ev_tsv_s(out, w->comm);
            yj_buf_addc(out, '\n');
        } else {
            yj_buf_adds(out, "-\t-\n");
            if (s.inode && !c->root && s.uid != c->r->euid)
                yj_ev_skip(c, YJ_EV_AREA_NETWORK, NULL, YJ_EV_WHY_SOCK_NOT_ROOT, NULL);
        }
    }
    if (bad)
        yj_ev_skip(c, YJ_EV_AREA_NETWORK, src, YJ_EV_WHY_MALFORMED, NULL);
    yj_buf_fini(&raw);
}

void yj_ev_collect_net(struct yj_ev *c)
{
    struct owners o = {0};
    map_owners(c, &o);
    struct yj_buf out;
    yj_buf_init(&out, YJ_EV_TABLE_MAX);
    yj_buf_adds(&out, "proto\tlocal_address\tlocal_port\tremote_address\tremote_port\tstate\tuid"
                      "\tinode\tpid\tcomm\n");
    table(c, &o, "tcp", false, &out);
    table(c, &o, "tcp6", true, &out);
    table(c, &o, "udp", false, &out);
    table(c, &o, "udp6", true, &out);
    yj_ev_add(c, YJ_EV_AREA_NETWORK, "network/connections.tsv", "/proc/net", &out, false, 0);
    yj_buf_fini(&out);
    free(o.v);
    static const struct {
        const char *src, *dest;
    } files[] = {
        {"/proc/net/arp", "network/arp"},
        {"/proc/net/route", "network/route"},
        {"/proc/net/ipv6_route", "network/ipv6_route"},
        {"/proc/net/dev", "network/dev"},
        {"/proc/net/unix", "network/unix"},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        yj_ev_copy(c, YJ_EV_AREA_NETWORK, files[i].src, files[i].dest, YJ_EV_COPY_MAX * 8,
                   false, true);
}
