/* Fuzz target: cleartext log-ins (yj_cred_scan). The input is split into the client's and
 * the server's streams: byte 0 picks the port hint, byte 1 where the split falls. Results
 * name a known protocol, and the user is a C string of printable ASCII. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "proto/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    enum yj_cred_proto hint = (enum yj_cred_proto)(data[0] % 7);
    const uint8_t *rest = data + 2;
    size_t n = size - 2, cut = n * data[1] / 255;
    /* Separate copies, so that reading past either stream hits the sanitizers. */
    uint8_t *cl = malloc(cut ? cut : 1), *sv = malloc(n - cut ? n - cut : 1);
    memcpy(cl, rest, cut);
    memcpy(sv, rest + cut, n - cut);
    struct yj_cred c;
    enum yj_proto_status st = yj_cred_scan(cl, cut, sv, n - cut, hint, &c);
    if (st == YJ_PROTO_DONE && c.proto == YJ_CRED_UNKNOWN)
        abort();
    size_t ul = strnlen(c.user, sizeof c.user);
    if (ul >= sizeof c.user || strnlen(c.mech, sizeof c.mech) >= sizeof c.mech)
        abort();
    for (size_t i = 0; i < ul; i++)
        if (c.user[i] < 0x20 || c.user[i] > 0x7e)
            abort();
    (void)yj_cred_proto_name(c.proto);
    free(cl);
    free(sv);
    return 0;
}
