/* Mail servers' log-in lines, by hand over views (service "postfix" or "dovecot"):
 *
 * Postfix (prog "postfix/smtpd", "postfix/submission/smtpd", "postfix-in/smtpd", ...):
 *   warning: NAME[IP]: SASL LOGIN authentication failed: ...[, sasl_username=X]
 *                                                                 failure, attempt
 * Dovecot (prog "dovecot"), the login processes (one line per connection, always logged):
 *   imap-login: [Info: ]Disconnected...(auth failed, N attempts in S secs): user=<X>,
 *       [method=M, ]rip=IP, ...                                   failure, attempt
 *   imap-login: [Info: ]Login: user=<X>, method=M, rip=IP, ...    success
 * and the authentication back ends (only with auth_verbose=yes; the login line of the same
 * connection is the counted one):
 *   auth-worker(N): [...: ]DRIVER(X,IP[,<session>]): unknown user ...
 *   auth-worker(N): [...: ]DRIVER(X,IP[,<session>]): pam_authenticate() failed: ...
 *   auth: DRIVER(X,IP): Password mismatch                          failure, follow-up
 * Rejected recipients, relay attempts, non-SMTP commands and connections that never tried
 * to log in ("no auth attempts") are not log-in attempts: no event. */
#include "host_int.h"

static const char *sasl_method(struct yj_str m)
{
    static const char *const known[] = {"PLAIN", "LOGIN",   "CRAM-MD5", "DIGEST-MD5",
                                        "NTLM",  "XOAUTH2", "OAUTHBEARER", "SCRAM-SHA-1",
                                        "SCRAM-SHA-256"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (yj_str_eq_c(m, known[i]))
            return known[i];
    return NULL;
}

bool yj_mail_prog(struct yj_str prog)
{
    return yj_str_eq_c(prog, "dovecot") ||
           (prog.n > 7 && memcmp(prog.p, "postfix", 7) == 0 && hs_ends(prog, "/smtpd"));
}

/* Postfix: "warning: NAME[IP]: SASL MECH authentication failed: ..." */
static bool postfix(struct yj_str s, struct yj_auth *a)
{
    a->service = "postfix";
    if (!hs_eat(&s, "warning: "))
        return false;
    size_t at = hs_find(s, "]: SASL ");
    if (at == (size_t)-1)
        return false;
    struct yj_str name = {s.p, at};
    size_t open = hs_rfind(name, "[");
    if (open == (size_t)-1 ||
        !yj_host_ip((struct yj_str){name.p + open + 1, name.n - open - 1}, a->ip))
        return false;
    s.p += at + 8;
    s.n -= at + 8;
    struct yj_str mech = hs_word(&s);
    if (!hs_eat(&s, " authentication failed")) {
        a->ip[0] = '\0';
        return false;
    }
    a->method = sasl_method(mech);
    size_t u = hs_find(s, "sasl_username=");
    if (u != (size_t)-1) {
        struct yj_str user = {s.p + u + 14, s.n - u - 14};
        const char *comma = memchr(user.p, ',', user.n);
        if (comma)
            user.n = (size_t)(comma - user.p);
        hs_user(user, a->user);
    }
    return true;
}

/* "...: user=<X>, [method=M, ]rip=IP, ..." The client chooses X, which may hold anything,
 * so the address is the last " rip=" of the line (the fields after it are the server's own)
 * and the name ends at the last ">," before it. */
static bool dovecot_fields(struct yj_str s, struct yj_auth *a)
{
    size_t r = hs_rfind(s, " rip=");
    if (r == (size_t)-1)
        return false;
    struct yj_str ip = {s.p + r + 5, s.n - r - 5};
    size_t n = 0;
    while (n < ip.n && ip.p[n] != ',' && ip.p[n] != ' ')
        n++;
    if (!yj_host_ip((struct yj_str){ip.p, n}, a->ip))
        return false;
    struct yj_str head = {s.p, r};
    size_t u = hs_find(head, "user=<");
    if (u == (size_t)-1)
        return true;
    head = (struct yj_str){head.p + u + 6, head.n - u - 6};
    size_t close = hs_rfind(head, ">,");
    if (close == (size_t)-1)
        return true;
    hs_user((struct yj_str){head.p, close}, a->user);
    struct yj_str rest = {head.p + close + 2, head.n - close - 2};
    if (hs_eat(&rest, " method=")) {
        const char *comma = memchr(rest.p, ',', rest.n);
        a->method = sasl_method((struct yj_str){rest.p, comma ? (size_t)(comma - rest.p) : 0});
    }
    return true;
}

/* "imap-login: [Info: ]Disconnected ... (auth failed, ...): user=<X>, ..., rip=IP, ..." and
 * "imap-login: [Info: ]Login: user=<X>, method=M, rip=IP, ..." */
static bool dovecot_login(struct yj_str s, struct yj_auth *a)
{
    hs_eat(&s, "Info: ");
    if (hs_eat(&s, "Login: ")) {
        a->success = true;
    } else if (!hs_eat(&s, "Disconnected") || hs_find(s, "(auth failed, ") == (size_t)-1) {
        return false;
    }
    return dovecot_fields(s, a);
}

/* "DRIVER(X,IP[,<session>]): unknown user|pam_authenticate() failed|Password mismatch".
 * The address is read from the right (X may hold ',' and '('). */
static bool dovecot_auth(struct yj_str s, struct yj_auth *a)
{
    static const char *const why[] = {"): unknown user", "): pam_authenticate() failed",
                                      "): Password mismatch", "): password mismatch"};
    size_t end = (size_t)-1;
    for (size_t i = 0; i < sizeof why / sizeof why[0] && end == (size_t)-1; i++)
        end = hs_find(s, why[i]);
    if (end == (size_t)-1)
        return false;
    struct yj_str in = {s.p, end};
    size_t sess = hs_rfind(in, ",<");
    if (sess != (size_t)-1 && hs_ends(in, ">"))
        in.n = sess;
    size_t comma = hs_rfind(in, ",");
    if (comma == (size_t)-1 || !yj_host_ip((struct yj_str){in.p + comma + 1, in.n - comma - 1},
                                           a->ip))
        return false;
    struct yj_str head = {in.p, comma};
    size_t colon = hs_rfind(head, ": ");
    if (colon != (size_t)-1) {
        head.p += colon + 2;
        head.n -= colon + 2;
    }
    const char *open = memchr(head.p, '(', head.n);
    if (!open) {
        a->ip[0] = '\0';
        return false;
    }
    size_t skip = (size_t)(open - head.p) + 1;
    hs_user((struct yj_str){head.p + skip, head.n - skip}, a->user);
    a->attempt = false;
    return true;
}

bool yj_mail_parse(struct yj_str prog, struct yj_str msg, struct yj_auth *a)
{
    memset(a, 0, sizeof *a);
    a->attempt = true;
    if (!yj_mail_prog(prog))
        return false;
    if (!yj_str_eq_c(prog, "dovecot"))
        return postfix(msg, a);
    a->service = "dovecot";
    struct yj_str s = msg;
    struct yj_str proc = hs_word(&s);
    if (hs_ends(proc, "-login:") && hs_eat(&s, " "))
        return dovecot_login(s, a);
    if (memmem(proc.p, proc.n, "auth", 4))
        return dovecot_auth(s, a);
    return false;
}
