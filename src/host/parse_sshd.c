/* OpenSSH's log-in lines (sshd and, since 9.8, sshd-session), by hand over views:
 *
 *   Failed password for [invalid user ]X from IP port P ssh2          failure, attempt
 *   Failed publickey|keyboard-interactive/pam|none for ... from IP ...  failure, attempt
 *   Invalid user X from IP port P                                       failure, attempt
 *   User X from IP not allowed because ...                              failure, attempt
 *   ROOT LOGIN REFUSED FROM IP [port P]                                 failure, attempt
 *   error: maximum authentication attempts exceeded for [invalid user ]X from IP port P ...
 *                                                                       failure, attempt
 *   pam_unix(sshd:auth): authentication failure; ... rhost=IP [user=X]  failure, follow-up
 *   Disconnected from [invalid |authenticating ]user X IP port P [preauth]       follow-up
 *   Connection closed|reset by [invalid |authenticating ]user X IP port P [preauth]
 *                                                                       failure, follow-up
 *   Received disconnect from IP port P:11: ... [preauth]                failure, follow-up
 *   Accepted password|publickey|keyboard-interactive/pam for X from IP port P ssh2  success
 *
 * User names are whatever the client sent, blanks included, so a name is taken as the
 * text between the fixed words before it and the last " from " (or the address) after it. */
#include "host_int.h"

static const char *method_of(struct yj_str m)
{
    static const char *const known[] = {"password", "publickey", "keyboard-interactive/pam",
                                        "keyboard-interactive", "hostbased", "none",
                                        "gssapi-with-mic"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (yj_str_eq_c(m, known[i]))
            return known[i];
    return NULL;
}

/* "IP port P" at the front of s, followed by the end, a blank or ':'. */
static bool ip_port(struct yj_str s, struct yj_auth *a)
{
    struct yj_str ip = hs_word(&s);
    if (!yj_host_ip(ip, a->ip))
        return false;
    if (!hs_eat(&s, " port "))
        return true; /* the port is optional (ROOT LOGIN REFUSED, "not allowed") */
    size_t n = 0;
    while (n < s.n && s.p[n] >= '0' && s.p[n] <= '9')
        n++;
    if (!hs_port((struct yj_str){s.p, n}, &a->port)) {
        a->ip[0] = '\0';
        return false;
    }
    return true;
}

/* "[invalid user ]X from IP port P..." */
static bool user_from(struct yj_str s, struct yj_auth *a)
{
    hs_eat(&s, "invalid user ");
    size_t at = hs_rfind(s, " from ");
    if (at == (size_t)-1)
        return false;
    hs_user((struct yj_str){s.p, at}, a->user);
    return ip_port((struct yj_str){s.p + at + 6, s.n - at - 6}, a);
}

/* "[invalid |authenticating ]user X IP port P [preauth]": the address is the word
 * before the last " port ". */
static bool user_ip_port(struct yj_str s, struct yj_auth *a)
{
    if (!hs_eat(&s, "invalid user ") && !hs_eat(&s, "authenticating user ") &&
        !hs_eat(&s, "user "))
        return false;
    size_t at = hs_rfind(s, " port ");
    if (at == (size_t)-1)
        return false;
    size_t ip = at;
    while (ip > 0 && s.p[ip - 1] != ' ')
        ip--;
    if (ip == 0)
        return false;
    hs_user((struct yj_str){s.p, ip - 1}, a->user);
    return ip_port((struct yj_str){s.p + ip, s.n - ip}, a);
}

static bool failed_or_accepted(struct yj_str s, struct yj_auth *a)
{
    struct yj_str method = hs_word(&s); /* a method name has no blanks */
    if (!hs_eat(&s, " for "))
        return false;
    a->method = method_of(method);
    return user_from(s, a);
}

/* "key=value" in PAM's "authentication failure; logname= uid=0 ... rhost=IP  user=X". */
static struct yj_str pam_field(struct yj_str s, const char *key)
{
    size_t kn = strlen(key);
    for (size_t from = 0; from < s.n;) {
        const char *hit = memmem(s.p + from, s.n - from, key, kn);
        if (!hit)
            break;
        size_t i = (size_t)(hit - s.p);
        if (i == 0 || s.p[i - 1] == ' ') {
            struct yj_str v = {s.p + i + kn, s.n - i - kn};
            return hs_word(&v);
        }
        from = i + 1;
    }
    return (struct yj_str){s.p, 0};
}

/* PAM's failure line as sshd, sudo and su write it; rhost and user are optional. */
bool yj_host_pam_failure(struct yj_str s, struct yj_auth *a)
{
    if (!hs_eat(&s, "authentication failure;"))
        return false;
    struct yj_str rhost = pam_field(s, "rhost="), user = pam_field(s, "user=");
    if (rhost.n)
        yj_host_ip(rhost, a->ip); /* a host name stays unknown */
    hs_user(user, a->user);
    a->method = "password";
    return true;
}

bool yj_sshd_parse(struct yj_str s, struct yj_auth *a)
{
    memset(a, 0, sizeof *a);
    a->service = "sshd";
    a->attempt = true;
    if (hs_eat(&s, "Failed "))
        return failed_or_accepted(s, a);
    if (hs_eat(&s, "Accepted ")) {
        a->success = true;
        return failed_or_accepted(s, a);
    }
    if (hs_eat(&s, "Invalid user ")) {
        size_t at = hs_rfind(s, " from ");
        if (at == (size_t)-1)
            return false;
        hs_user((struct yj_str){s.p, at}, a->user);
        return ip_port((struct yj_str){s.p + at + 6, s.n - at - 6}, a);
    }
    if (hs_eat(&s, "User ")) {
        size_t at = hs_find(s, " not allowed because ");
        if (at == (size_t)-1)
            return false;
        struct yj_str head = {s.p, at};
        size_t from = hs_rfind(head, " from ");
        if (from == (size_t)-1)
            return false;
        hs_user((struct yj_str){head.p, from}, a->user);
        return ip_port((struct yj_str){head.p + from + 6, head.n - from - 6}, a);
    }
    if (hs_eat(&s, "ROOT LOGIN REFUSED FROM ")) {
        memcpy(a->user, "root", 5);
        return ip_port(s, a);
    }
    if (hs_eat(&s, "error: maximum authentication attempts exceeded for "))
        return user_from(s, a);
    a->attempt = false;
    if (hs_eat(&s, "pam_unix(sshd:auth): "))
        return yj_host_pam_failure(s, a);
    if (!hs_ends(s, " [preauth]"))
        return false;
    s.n -= 10;
    if (hs_eat(&s, "Disconnected from ") || hs_eat(&s, "Connection closed by ") ||
        hs_eat(&s, "Connection reset by "))
        return user_ip_port(s, a);
    if (hs_eat(&s, "Received disconnect from ")) {
        size_t colon = hs_find(s, ":");
        if (colon == (size_t)-1)
            return false;
        /* IPv6 addresses hold colons: the port's colon is the first after " port ". */
        size_t port = hs_find(s, " port ");
        if (port == (size_t)-1)
            return false;
        struct yj_str tail = {s.p + port + 6, s.n - port - 6};
        colon = hs_find(tail, ":");
        if (colon == (size_t)-1)
            return false;
        return ip_port((struct yj_str){s.p, port + 6 + colon}, a);
    }
    return false;
}
