/* Fuzz target: account-change messages (yj_account_parse). The first byte picks the program
 * (useradd, groupadd, usermod, gpasswd, passwd, chpasswd, chage, or one that is not read);
 * the rest is the message. Accepted messages give NUL-terminated names within the limit, a
 * group exactly for memberships, and the program's own service name. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "host/host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const progs[] = {"useradd", "groupadd", "usermod", "gpasswd",
                                        "passwd",  "chpasswd", "chage",   "cron"};
    if (size < 1)
        return 0;
    const char *prog = progs[data[0] % 8];
    struct yj_account a;
    bool ok = yj_account_parse(yj_str_c(prog), (struct yj_str){(const char *)data + 1, size - 1},
                               &a);
    if (yj_account_prog(yj_str_c(prog)) != (data[0] % 8 != 7))
        abort();
    if (!ok)
        return 0;
    if (data[0] % 8 == 7 || strcmp(a.service, prog) != 0)
        abort();
    if (!a.user[0] || strlen(a.user) > YJ_HOST_USER_MAX || strlen(a.group) > YJ_HOST_USER_MAX)
        abort();
    if ((a.action == YJ_ACCT_MEMBER_ADDED) != (a.group[0] != '\0'))
        abort();
    if (a.admin && a.action != YJ_ACCT_MEMBER_ADDED)
        abort();
    if (strcmp(yj_account_action_name(a.action), "unknown") == 0)
        abort();
    return 0;
}
