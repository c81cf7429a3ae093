/* Fuzz target (sensorioc): the whole network sensor — the engine, nDPI's identification (a bounded pool
 * of per-flow states), the application layer, every detector and the indicator lookups
 * (a small threat list naming 10.0.0.2, 198.51.100.0/24 and evil.example) — and the EVE
 * writer for what comes out. Input as for fuzz_packet: one byte choosing the link type, then
 * frames as len(2, big-endian) dt(1, seconds to add) bytes(len). One sensor serves every
 * input (starting nDPI takes milliseconds); after each input the clock jumps a day ahead,
 * so every flow ends and gives back what it held. */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "fuzz.h"
#include "ioc/ioc.h"
#include "net/net.h"

static struct yj_buf out;
static struct yj_sensor *sensor;
static struct yj_ioc_holder *lists;
static int64_t clock_us = 1000000;

static void on_event(void *ctx, const struct yj_event *ev)
{
    (void)ctx;
    yj_buf_reset(&out);
    yj_eve_write(&out, ev);
}

static const int links[] = {YJ_NET_DLT_EN10MB, YJ_NET_LINKTYPE_RAW, YJ_NET_DLT_LINUX_SLL,
                            YJ_NET_DLT_LINUX_SLL2, YJ_NET_DLT_NULL, YJ_NET_DLT_LOOP,
                            YJ_NET_DLT_IPV4, YJ_NET_DLT_IPV6};

static void start(void)
{
    yj_fuzz_load_catalogs();
    yj_buf_init(&out, 1 << 16);
    static const char list[] = "10.0.0.2\n198.51.100.0/24\nevil.example\n/gate.php\n";
    struct yj_ioc_builder *b = yj_ioc_builder_new();
    struct yj_diag d;
    yj_diag_init(&d);
    if (yj_ioc_builder_add_mem(b, "fuzz", "fuzz.txt", YJ_IOC_FMT_PLAIN, list, sizeof list - 1,
                               NULL, &d))
        abort();
    lists = yj_ioc_holder_new(yj_ioc_builder_build(b));
    struct yj_sensor_opts o;
    yj_sensor_opts_default(&o);
    o.ioc = lists;
    o.net.max_flows = 16;
    o.net.frag_trackers = 2;
    o.net.stream_segments = 4;
    o.net.stream_ooo_flow = 2;
    o.net.stream_depth = 4096;
    if (yj_sensor_new(&sensor, &o, on_event, NULL, &d))
        abort();
    yj_diag_fini(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!sensor)
        start();
    if (size < 1)
        return 0;
    struct yj_net *n = yj_sensor_engine(sensor);
    int link = links[data[0] % (sizeof links / sizeof links[0])];
    size_t i = 1;
    while (i + 3 <= size) {
        size_t len = (size_t)data[i] << 8 | data[i + 1];
        clock_us += (int64_t)data[i + 2] * 1000000;
        i += 3;
        if (len > size - i)
            len = size - i;
        uint8_t *frame = malloc(len ? len : 1); /* a private copy: reads past it are caught */
        memcpy(frame, data + i, len);
        yj_net_feed(n, link, clock_us, frame, (uint32_t)len, (uint32_t)len);
        free(frame);
        i += len;
    }
    clock_us += 86400LL * 1000000;
    yj_sensor_tick(sensor, clock_us);
    return 0;
}
