/* Fuzz target: sudo and su messages (yj_sudo_parse). The first byte picks the program
 * (even: sudo, odd: su); the rest is the message. Accepted messages give a NUL-terminated
 * user within the limit and never a remote port. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "host/host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct yj_str prog = data[0] % 2 ? YJ_STR_LIT("su") : YJ_STR_LIT("sudo");
    struct yj_auth a;
    if (!yj_sudo_parse(prog, (struct yj_str){(const char *)data + 1, size - 1}, &a))
        return 0;
    if (strlen(a.user) > YJ_HOST_USER_MAX || a.port != 0)
        abort();
    if (strcmp(a.service, data[0] % 2 ? "su" : "sudo") != 0)
        abort();
    return 0;
}
