/* Samba's authentication audit lines (log level "auth_audit:2" or higher, sent to syslog by
 * smbd; prog "smbd", "smb" or "samba"), by hand over views:
 *
 *   Auth: [SMB2,(null)] user [DOMAIN]\[NAME] at [Fri, 24 Sep 2021 10:04:52.030937 UTC]
 *       with [NTLMv2] status [NT_STATUS_NO_SUCH_USER] workstation [WS]
 *       remote host [ipv4:1.2.3.4:62419] mapped to [...]\[...]. local host [...]
 *
 * status NT_STATUS_OK is a success, any other status a failure (one attempt each). A
 * remote host that is not an address ("ipv4:..." / "ipv6:..." with a port) means a local
 * or unknown client: no event, the detectors need an address. The JSON audit form and
 * samba's own multi-line log files are not read. */
#include "host_int.h"

bool yj_samba_prog(struct yj_str prog)
{
    return yj_str_eq_c(prog, "smbd") || yj_str_eq_c(prog, "smb") || yj_str_eq_c(prog, "samba");
}

/* The text of "[...]" at the front of *s, *s moved past it. */
static bool bracket(struct yj_str *s, struct yj_str *out)
{
    if (!hs_eat(s, "["))
        return false;
    const char *close = memchr(s->p, ']', s->n);
    if (!close)
        return false;
    *out = (struct yj_str){s->p, (size_t)(close - s->p)};
    s->n -= out->n + 1;
    s->p = close + 1;
    return true;
}

bool yj_samba_parse(struct yj_str prog, struct yj_str msg, struct yj_auth *a)
{
    memset(a, 0, sizeof *a);
    a->service = "samba";
    a->attempt = true;
    struct yj_str s = msg, v;
    if (!yj_samba_prog(prog) || !hs_eat(&s, "Auth: ") || !bracket(&s, &v) ||
        !hs_eat(&s, " user ") || !bracket(&s, &v) || !hs_eat(&s, "\\"))
        return false;
    /* The name is between '[' and "] at [": client-chosen, it may hold ']'. */
    if (!hs_eat(&s, "["))
        return false;
    size_t at = hs_find(s, "] at [");
    if (at == (size_t)-1)
        return false;
    struct yj_str user = {s.p, at};
    s.p += at + 6;
    s.n -= at + 6;
    size_t st = hs_find(s, "] with [");
    if (st == (size_t)-1)
        return false;
    s.p += st + 7;
    s.n -= st + 7;
    struct yj_str method;
    if (!bracket(&s, &method) || !hs_eat(&s, " status ") || !bracket(&s, &v))
        return false;
    a->success = yj_str_eq_c(v, "NT_STATUS_OK");
    /* The workstation name is the client's too: the address is the last "remote host [". */
    size_t rh = hs_rfind(s, " remote host [");
    if (rh == (size_t)-1)
        return false;
    s.p += rh + 13;
    s.n -= rh + 13;
    struct yj_str host;
    if (!bracket(&s, &host) || !(hs_eat(&host, "ipv4:") || hs_eat(&host, "ipv6:")))
        return false;
    size_t colon = hs_rfind(host, ":");
    if (colon == (size_t)-1 ||
        !hs_port((struct yj_str){host.p + colon + 1, host.n - colon - 1}, &a->port) ||
        !yj_host_ip((struct yj_str){host.p, colon}, a->ip)) {
        a->port = 0;
        return false;
    }
    hs_user(user, a->user);
    if (yj_str_eq_c(method, "NTLMv2"))
        a->method = "NTLMv2";
    else if (yj_str_eq_c(method, "NTLM"))
        a->method = "NTLM";
    else if (yj_str_eq_c(method, "Kerberos"))
        a->method = "Kerberos";
    return true;
}
