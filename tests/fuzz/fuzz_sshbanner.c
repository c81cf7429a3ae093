/* Fuzz target: SSH identification lines (yj_ssh_parse_banner). Accepted banners have a
 * non-empty protocol and software version without blanks. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "proto/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct yj_ssh_banner b;
    if (yj_ssh_parse_banner(data, size, &b) == YJ_PROTO_DONE) {
        if (!b.proto_version[0] || !b.software_version[0] ||
            strnlen(b.comment, sizeof b.comment) >= sizeof b.comment ||
            strchr(b.software_version, ' ') || strchr(b.proto_version, '-'))
            abort();
    }
    return 0;
}
