/* SMB lateral movement (YJ-NET-3008 admin share, 3009 remote service), read best-effort
 * from the client's TCP payload to port 445 or 139 as it passes the packet hook: only
 * SMB2/3 messages that start a segment (NetBIOS session header, then the SMB2 header) and
 * only the first of a compound are looked at, and of SMB 1 only a tree connect sent on its
 * own; encrypted SMB 3 sessions are not decoded. Nothing is reassembled or kept but two bits per
 * flow.
 *
 *   NBSS   0x00 len(3)                    SMB2 header (64 bytes)
 *          0xFE 'S' 'M' 'B' hdrlen(2) ... command(2) @12 ...
 *   TREE_CONNECT (3) request @64: size(2)=9 flags(2) path_off(2) path_len(2)
 *                    path "\\server\share" in UTF-16LE, offset from the SMB2 header
 *   CREATE (5) request @64: ... name_off(2) @44 name_len(2) @46  -> "svcctl" pipe
 *   WRITE (9) / IOCTL (11) on a flow that opened svcctl: a DCE/RPC request (5.0, type 0)
 *          whose opnum (@22 of it) is 12 or 24 (RCreateServiceW / A) or 44/45 (WOW64)
 *
 * A share whose name ends in '$' other than IPC$ (C$, ADMIN$, D$...) is an administrative
 * share: tools that run programs on another machine copy them there first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sensor_int.h"

enum { SMB_SVCCTL = 1, SMB_SHARE = 2, SMB_SERVICE = 4 };

static void *smb_new(struct yj_sensor *s)
{
    return nd_det_new(s, 0, 0);
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* UTF-16LE at h[off..off+len) (bounded by n) as ASCII into out ('?' for the rest). */
static bool utf16(const uint8_t *h, size_t n, size_t off, size_t len, char *out, size_t cap)
{
    if (off > n || len > n - off || len % 2 || len / 2 >= cap)
        return false;
    size_t k = 0;
    for (size_t i = 0; i < len; i += 2)
        out[k++] =
            h[off + i + 1] || h[off + i] >= 0x7f || h[off + i] < 0x20 ? '?' : (char)h[off + i];
    out[k] = 0;
    return true;
}

static void alert(struct nd_det *m, const struct yj_net_packet *p, enum nd_sig sig,
                  const char *detail)
{
    struct nd_alert a = {
        .sig = sig, .ts_us = p->ts_us, .flow = p->flow, .detail = detail, .count = 1};
    nd_raise(m->s, &a);
}

/* The share of a tree connect's path: an administrative one raises 3008 once per flow. */
static void share(struct nd_det *m, const struct yj_net_packet *p, const char *path,
                  struct nd_flow *fl)
{
    const char *share = strrchr(path, '\\');
    share = share ? share + 1 : path;
    size_t sl = strlen(share);
    if (sl < 2 || share[sl - 1] != '$' || !strcasecmp(share, "IPC$"))
        return;
    fl->smb |= SMB_SHARE;
    alert(m, p, ND_SIG_SMB_ADMIN_SHARE, path);
}

static void tree_connect(struct nd_det *m, const struct yj_net_packet *p, const uint8_t *h,
                         size_t n, struct nd_flow *fl)
{
    char path[128];
    if (n >= 72 && !(fl->smb & SMB_SHARE) &&
        utf16(h, n, le16(h + 68), le16(h + 70), path, sizeof path))
        share(m, p, path, fl);
}

/* SMB 1 TREE_CONNECT_ANDX (0x75) on its own (not chained after a session setup):
 *   header(32): 0xFF 'S' 'M' 'B' command(1) @4 ... flags(1) @9 flags2(2) @10
 *   words: count(1)=4 @32, andx(4), flags(2), password_len(2) @39; bytes: count(2) @41,
 *   password, then the path: UTF-16LE (flags2 0x8000, aligned to 2 from the header) or
 *   ASCII, NUL-terminated. */
static void tree_connect1(struct nd_det *m, const struct yj_net_packet *p, const uint8_t *h,
                          size_t n, struct nd_flow *fl)
{
    if (n < 43 || h[4] != 0x75 || (h[9] & 0x80) || h[32] != 4 || (fl->smb & SMB_SHARE))
        return;
    size_t at = 43 + le16(h + 39), end = 43 + (size_t)le16(h + 41);
    end = end < n ? end : n;
    char path[128];
    size_t k = 0;
    if (le16(h + 10) & 0x8000) {
        at += at % 2;
        for (; at + 1 < end && (h[at] || h[at + 1]) && k + 1 < sizeof path; at += 2)
            path[k++] = h[at + 1] || h[at] < 0x20 || h[at] >= 0x7f ? '?' : (char)h[at];
    } else {
        for (; at < end && h[at] && k + 1 < sizeof path; at++)
            path[k++] = h[at] < 0x20 || h[at] >= 0x7f ? '?' : (char)h[at];
    }
    path[k] = 0;
    if (k)
        share(m, p, path, fl);
}

static void create(const uint8_t *h, size_t n, struct nd_flow *fl)
{
    char name[64];
    if (n < 64 + 48 || !utf16(h, n, le16(h + 64 + 44), le16(h + 64 + 46), name, sizeof name))
        return;
    const char *b = strrchr(name, '\\');
    if (!strcasecmp(b ? b + 1 : name, "svcctl"))
        fl->smb |= SMB_SVCCTL;
}

static void rpc(struct nd_det *m, const struct yj_net_packet *p, const uint8_t *h, size_t n,
                struct nd_flow *fl)
{
    if (!(fl->smb & SMB_SVCCTL) || (fl->smb & SMB_SERVICE))
        return;
    for (size_t i = 64; i + 24 <= n; i++) {
        const uint8_t *r = h + i;
        if (r[0] != 5 || r[1] != 0 || r[2] != 0 || r[4] != 0x10)
            continue;
        uint16_t op = le16(r + 22);
        if (op == 12 || op == 24 || op == 44 || op == 45) {
            fl->smb |= SMB_SERVICE;
            alert(m, p, ND_SIG_SMB_SERVICE, "svcctl CreateService");
        }
        return;
    }
}

static void smb_packet(void *state, const struct yj_net_packet *p)
{
    struct nd_det *m = state;
    struct nd_flow *fl = nd_flow(p->flow);
    if (!fl || p->proto != 6 || p->dir != YJ_NET_TOSERVER || (p->dport != 445 && p->dport != 139) ||
        p->payload_len < 4 + 64)
        return;
    const uint8_t *b = p->payload;
    size_t len = (size_t)b[1] << 16 | (size_t)b[2] << 8 | b[3];
    const uint8_t *h = b + 4;
    size_t n = p->payload_len - 4 < len ? p->payload_len - 4 : len;
    if (b[0] == 0 && !memcmp(h, "\xffSMB", 4)) {
        tree_connect1(m, p, h, n, fl);
        return;
    }
    if (b[0] != 0 || n < 64 || memcmp(h, "\xfeSMB", 4) || (le16(h + 16) & 1))
        return; /* not SMB2, or a response (flags bit 0) */
    switch (le16(h + 12)) {
    case 3: tree_connect(m, p, h, n, fl); break;
    case 5: create(h, n, fl); break;
    case 9:
    case 11: rpc(m, p, h, n, fl); break;
    default: break;
    }
}

const struct nd_ops nd_smb = {
    .name = "smb",
    .new = smb_new,
    .free = nd_det_free,
    .packet = smb_packet,
};
