/* Account changes written by the shadow tools and PAM, by hand over views:
 *
 *   useradd:  new user: name=X, UID=1001, GID=1001, home=/home/X, shell=/bin/bash, ...
 *   useradd, groupadd:  new group: name=X, GID=1001
 *   usermod, useradd:   add 'X' to group 'G'  /  add 'X' to shadow group 'G'
 *   gpasswd:  user X added by root to group G
 *   passwd, chpasswd:  pam_unix(passwd:chauthtok): password changed for X
 *   chage:    changed password expiry for X
 *
 * Other messages of these programs (the group file updates, "delete user", ...) are
 * understood lines without an event. A membership counts as an administrator's one when
 * the group is sudo, wheel, adm, admin or root: those give root or the system logs. */
#include "host_int.h"

static const char *const progs[] = {"useradd", "groupadd", "usermod", "gpasswd",
                                    "passwd",  "chpasswd", "chage"};

static const char *prog_name(struct yj_str prog)
{
    for (size_t i = 0; i < sizeof progs / sizeof progs[0]; i++)
        if (yj_str_eq_c(prog, progs[i]))
            return progs[i];
    return NULL;
}

bool yj_account_prog(struct yj_str prog)
{
    return prog_name(prog) != NULL;
}

const char *yj_account_action_name(enum yj_account_action a)
{
    switch (a) {
    case YJ_ACCT_USER_ADDED: return "user-added";
    case YJ_ACCT_GROUP_ADDED: return "group-added";
    case YJ_ACCT_MEMBER_ADDED: return "member-added";
    case YJ_ACCT_PASSWORD: return "password-changed";
    case YJ_ACCT_EXPIRY: return "expiry-changed";
    }
    return "unknown";
}

static bool admin_group(struct yj_str g)
{
    return yj_str_eq_c(g, "sudo") || yj_str_eq_c(g, "wheel") || yj_str_eq_c(g, "adm") ||
           yj_str_eq_c(g, "admin") || yj_str_eq_c(g, "root");
}

/* A name that is not empty and has no blank: shadow's names never do. */
static bool name(struct yj_str s, char out[YJ_HOST_USER_MAX + 1])
{
    if (!s.n || memchr(s.p, ' ', s.n))
        return false;
    hs_user(s, out);
    return true;
}

/* "name=X, ..." (X ends at ',' or the end). */
static bool name_eq(struct yj_str s, char out[YJ_HOST_USER_MAX + 1])
{
    if (!hs_eat(&s, "name="))
        return false;
    const char *comma = memchr(s.p, ',', s.n);
    return name((struct yj_str){s.p, comma ? (size_t)(comma - s.p) : s.n}, out);
}

/* "'X' to [shadow ]group 'G'" after "add ". */
static bool add_to(struct yj_str s, struct yj_account *a)
{
    if (!hs_eat(&s, "'"))
        return false;
    size_t q = hs_find(s, "' to ");
    if (q == (size_t)-1 || !name((struct yj_str){s.p, q}, a->user))
        return false;
    s.p += q + 5;
    s.n -= q + 5;
    hs_eat(&s, "shadow ");
    if (!hs_eat(&s, "group '") || !s.n || s.p[s.n - 1] != '\'')
        return false;
    struct yj_str g = {s.p, s.n - 1};
    if (!name(g, a->group))
        return false;
    a->action = YJ_ACCT_MEMBER_ADDED;
    a->admin = admin_group(g);
    return true;
}

/* gpasswd: "user X added by Y to group G". */
static bool gpasswd_add(struct yj_str s, struct yj_account *a)
{
    if (!hs_eat(&s, "user "))
        return false;
    struct yj_str u = hs_word(&s);
    if (!hs_eat(&s, " added by ") || !name(u, a->user))
        return false;
    hs_word(&s);
    if (!hs_eat(&s, " to group "))
        return false;
    if (!name(s, a->group))
        return false;
    a->action = YJ_ACCT_MEMBER_ADDED;
    a->admin = admin_group(s);
    return true;
}

bool yj_account_parse(struct yj_str prog, struct yj_str msg, struct yj_account *a)
{
    memset(a, 0, sizeof *a);
    a->service = prog_name(prog);
    if (!a->service)
        return false;
    struct yj_str s = msg;
    if (hs_eat(&s, "new user: ")) {
        a->action = YJ_ACCT_USER_ADDED;
        return name_eq(s, a->user);
    }
    if (hs_eat(&s, "new group: ")) {
        a->action = YJ_ACCT_GROUP_ADDED;
        return name_eq(s, a->user);
    }
    if (hs_eat(&s, "add "))
        return add_to(s, a);
    if (hs_eat(&s, "changed password expiry for ")) {
        a->action = YJ_ACCT_EXPIRY;
        return name(s, a->user);
    }
    if (hs_eat(&s, "pam_unix(")) {
        size_t at = hs_find(s, ":chauthtok): password changed for ");
        if (at == (size_t)-1)
            return false;
        s.p += at + 34;
        s.n -= at + 34;
        a->action = YJ_ACCT_PASSWORD;
        return name(s, a->user);
    }
    return gpasswd_add(s, a);
}
