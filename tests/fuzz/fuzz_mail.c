/* Fuzz target: mail and file-server log-in lines (yj_mail_parse, yj_samba_parse). The first
 * byte picks the program (postfix/smtpd, postfix/submission/smtpd, dovecot, smbd, or one
 * that is read by neither); the rest is the message. Accepted messages give a valid address,
 * a NUL-terminated user within the limit and the service of their program. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "host/host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const progs[] = {"postfix/smtpd", "postfix/submission/smtpd", "dovecot",
                                        "smbd", "sshd"};
    static const char *const services[] = {"postfix", "postfix", "dovecot", "samba", NULL};
    if (size < 1)
        return 0;
    unsigned k = data[0] % 5;
    struct yj_str prog = yj_str_c(progs[k]), msg = {(const char *)data + 1, size - 1};
    struct yj_auth a;
    bool ok = k == 3 ? yj_samba_parse(prog, msg, &a) : yj_mail_parse(prog, msg, &a);
    if (k == 4 && (ok || yj_samba_parse(prog, msg, &a)))
        abort();
    if (!ok)
        return 0;
    if (!a.ip[0] || strlen(a.user) > YJ_HOST_USER_MAX || strcmp(a.service, services[k]) != 0)
        abort();
    if (k != 3 && a.port != 0)
        abort();
    return 0;
}
