/* sudo and su log-in lines. Here auth.user is the local user who asked for the other
 * account (sudo authenticates people with their own password; su names them as ruser).
 *
 *   sudo:  bob : TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/id   success
 *   sudo:  bob : 3 incorrect password attempts ; TTY=pts/0 ; ...               failure, attempt
 *   sudo:  bob : user NOT in sudoers ; TTY=pts/0 ; ...                         failure, attempt
 *   sudo: pam_unix(sudo:auth): authentication failure; logname=bob ... user=bob  follow-up
 *   su: FAILED SU (to root) bob on pts/0                                       failure, attempt
 *   su: pam_unix(su:auth): authentication failure; ... ruser=bob rhost=  user=root  follow-up
 *   su: (to root) bob on pts/0  /  Successful su for root by bob               success */
#include "host_int.h"

static bool sudo_line(struct yj_str s, struct yj_auth *a)
{
    if (hs_eat(&s, "pam_unix(sudo:auth): ")) {
        a->attempt = false;
        return yj_host_pam_failure(s, a);
    }
    size_t sep = hs_find(s, " : ");
    if (sep == (size_t)-1 || sep == 0)
        return false;
    struct yj_str user = yj_str_trim((struct yj_str){s.p, sep});
    struct yj_str rest = {s.p + sep + 3, s.n - sep - 3};
    if (!user.n || hs_find(user, " ") != (size_t)-1)
        return false;
    hs_user(user, a->user);
    if (hs_eat(&rest, "TTY=") || hs_eat(&rest, "PWD=")) {
        a->success = true;
        return hs_find(rest, "COMMAND=") != (size_t)-1;
    }
    size_t semi = hs_find(rest, " ;");
    struct yj_str what = semi == (size_t)-1 ? rest : (struct yj_str){rest.p, semi};
    if (hs_find(what, "incorrect password attempt") != (size_t)-1) {
        a->method = "password";
        return true;
    }
    return hs_find(what, "user NOT in sudoers") != (size_t)-1;
}

/* "(to root) bob on pts/0": the user is the word before " on ". */
static bool su_to(struct yj_str s, struct yj_auth *a)
{
    if (!hs_eat(&s, "(to "))
        return false;
    size_t close = hs_find(s, ") ");
    if (close == (size_t)-1)
        return false;
    s.p += close + 2;
    s.n -= close + 2;
    struct yj_str user = hs_word(&s);
    if (!user.n || !hs_eat(&s, " on "))
        return false;
    hs_user(user, a->user);
    return true;
}

static bool su_line(struct yj_str s, struct yj_auth *a)
{
    if (hs_eat(&s, "pam_unix(su:auth): ") || hs_eat(&s, "pam_unix(su-l:auth): ")) {
        a->attempt = false;
        struct yj_str ruser = {s.p, 0};
        size_t at = hs_find(s, " ruser=");
        if (at != (size_t)-1) {
            ruser = (struct yj_str){s.p + at + 7, s.n - at - 7};
            ruser = hs_word(&ruser);
        }
        if (!yj_host_pam_failure(s, a))
            return false;
        if (ruser.n)
            hs_user(ruser, a->user);
        return true;
    }
    if (hs_eat(&s, "FAILED SU ") || hs_eat(&s, "FAILED su ")) {
        a->method = "password";
        return su_to(s, a);
    }
    if (hs_eat(&s, "Successful su for ")) {
        size_t by = hs_rfind(s, " by ");
        if (by == (size_t)-1)
            return false;
        hs_user((struct yj_str){s.p + by + 4, s.n - by - 4}, a->user);
        a->success = true;
        return true;
    }
    a->success = true;
    return su_to(s, a);
}

bool yj_sudo_parse(struct yj_str prog, struct yj_str msg, struct yj_auth *a)
{
    memset(a, 0, sizeof *a);
    a->attempt = true;
    if (yj_str_eq_c(prog, "sudo")) {
        a->service = "sudo";
        return sudo_line(msg, a);
    }
    if (yj_str_eq_c(prog, "su")) {
        a->service = "su";
        return su_line(msg, a);
    }
    return false;
}
