/* Fuzz target: OpenSSH log-in messages (yj_sshd_parse). An accepted message must give a
 * NUL-terminated user within the limit, a valid address or none, and a port only with an
 * address. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "host/host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct yj_auth a;
    if (!yj_sshd_parse((struct yj_str){(const char *)data, size}, &a))
        return 0;
    char ip[YJ_HOST_IP_MAX];
    if (strlen(a.user) > YJ_HOST_USER_MAX || strlen(a.ip) >= YJ_HOST_IP_MAX)
        abort();
    if (a.ip[0] && !yj_host_ip((struct yj_str){a.ip, strlen(a.ip)}, ip))
        abort();
    if (a.port > 65535 || (a.port && !a.ip[0]))
        abort();
    if (strcmp(a.service, "sshd") != 0)
        abort();
    return 0;
}
