/* Fuzz target: the whole sensor (engine, application layer with every parser, nDPI and the
 * detectors, all on) and the EVE writer for everything it emits. Input: Ethernet frames as
 *   len(2, big-endian) dt(1, seconds to add to the clock) bytes(len)
 * fed to a sensor with small engine caps (so flows are evicted and streams cut). */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "fuzz.h"
#include "net/net.h"

static struct yj_buf out;

static void emit(void *ctx, const struct yj_event *ev)
{
    (void)ctx;
    yj_buf_reset(&out);
    yj_eve_write(&out, ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    yj_fuzz_load_catalogs();
    if (!out.max)
        yj_buf_init(&out, 1 << 20);
    struct yj_sensor_opts o;
    yj_sensor_opts_default(&o);
    o.lang = (size & 1) ? YJ_LANG_EN : YJ_LANG_JA;
    o.net.max_flows = 16;
    o.net.frag_trackers = 2;
    o.net.stream_segments = 8;
    o.net.stream_ooo_flow = 4;
    o.net.stream_depth = 4096;
    struct yj_sensor *s = NULL;
    struct yj_diag d;
    yj_diag_init(&d);
    if (yj_sensor_new(&s, &o, emit, NULL, &d) != YJ_ERR_OK)
        abort();
    yj_diag_fini(&d);
    struct yj_net *n = yj_sensor_engine(s);
    size_t i = 0;
    int64_t t = 1000000;
    while (i + 3 <= size) {
        size_t len = (size_t)data[i] << 8 | data[i + 1];
        t += (int64_t)data[i + 2] * 1000000;
        i += 3;
        if (len > size - i)
            len = size - i;
        uint8_t *frame = malloc(len ? len : 1); /* a private copy: reads past it are caught */
        memcpy(frame, data + i, len);
        yj_net_feed(n, YJ_NET_DLT_EN10MB, t, frame, (uint32_t)len, (uint32_t)len);
        free(frame);
        i += len;
    }
    yj_sensor_finish(s);
    yj_sensor_free(s);
    return 0;
}
