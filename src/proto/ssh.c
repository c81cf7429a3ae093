/* SSH identification lines (RFC 4253 4.2): "SSH-protoversion-softwareversion SP comments",
 * at most 255 bytes with CR LF. A server may send other lines first; they are skipped. */
#include <string.h>

#include "proto.h"
#include "proto_int.h"

#define SSH_LINE_MAX 255
#define SSH_PRE_MAX 4096 /* bytes of lines before the identification we accept */

static bool field_ok(const uint8_t *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] <= 0x20 || s[i] >= 0x7f)
            return false;
    return true;
}

enum yj_proto_status yj_ssh_parse_banner(const uint8_t *p, size_t n, struct yj_ssh_banner *b)
{
    size_t off = 0;
    b->proto_version[0] = b->software_version[0] = b->comment[0] = '\0';
    b->trunc = false;
    for (;;) {
        size_t left = n - off;
        const uint8_t *s = p + off;
        size_t k = left < 4 ? left : 4;
        bool ssh = memcmp(s, "SSH-", k) == 0;
        const uint8_t *nl = memchr(s, '\n', left);
        if (!nl) {
            if (ssh)
                return left > SSH_LINE_MAX ? YJ_PROTO_BAD : YJ_PROTO_MORE;
            if (off == 0 && k > 0 && !(s[0] >= 0x20 && s[0] < 0x7f))
                return YJ_PROTO_NOT;
            return off + left > SSH_PRE_MAX ? YJ_PROTO_NOT : YJ_PROTO_MORE;
        }
        size_t len = (size_t)(nl - s);
        off += len + 1;
        if (len && s[len - 1] == '\r')
            len--;
        if (!(ssh && len >= 4)) {
            /* A line before the identification: text only, and not too many. */
            for (size_t i = 0; i < len; i++)
                if (s[i] < 0x20 && s[i] != '\t')
                    return YJ_PROTO_NOT;
            if (off > SSH_PRE_MAX)
                return YJ_PROTO_NOT;
            continue;
        }
        if (len > SSH_LINE_MAX)
            return YJ_PROTO_BAD;
        const uint8_t *v = s + 4, *end = s + len;
        const uint8_t *dash = memchr(v, '-', (size_t)(end - v));
        if (!dash)
            return YJ_PROTO_BAD;
        const uint8_t *sw = dash + 1;
        const uint8_t *sp = memchr(sw, ' ', (size_t)(end - sw));
        const uint8_t *swe = sp ? sp : end;
        if (!field_ok(v, (size_t)(dash - v)) || !field_ok(sw, (size_t)(swe - sw)))
            return YJ_PROTO_BAD;
        b->trunc |= copy_clean(b->proto_version, sizeof b->proto_version, v, (size_t)(dash - v));
        b->trunc |= copy_clean(b->software_version, sizeof b->software_version, sw,
                               (size_t)(swe - sw));
        if (sp)
            b->trunc |= copy_clean(b->comment, sizeof b->comment, sp + 1,
                                   (size_t)(end - sp - 1));
        return YJ_PROTO_DONE;
    }
}
