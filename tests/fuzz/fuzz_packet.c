/* Fuzz target: the packet path of net/ (link layers, IPv4/IPv6 with extension headers and
 * fragments, TCP/UDP/ICMP, the flow table, stream delivery) and the EVE writer for what it
 * emits. Input: one byte choosing the link type, then frames as
 *   len(2, big-endian) dt(1, seconds to add to the clock) bytes(len)
 * fed to a small engine (tight caps, so eviction, refusal and expiry are reached). */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "fuzz.h"
#include "net/net.h"

static struct yj_buf out;

static void on_event(void *ctx, const struct yj_event *ev)
{
    (void)ctx;
    yj_buf_reset(&out);
    yj_eve_write(&out, ev);
}

static void on_packet(void *ctx, const struct yj_net_packet *p)
{
    (void)ctx;
    if (p->ipver != 4 && p->ipver != 6)
        abort();
    if (p->payload_len && !p->payload)
        abort();
    volatile uint8_t sink = 0;
    for (size_t i = 0; i < p->payload_len; i++)
        sink ^= p->payload[i]; /* ASan checks that the view is inside the frame */
    (void)sink;
}

static void on_stream(void *ctx, struct yj_net_flow *f, enum yj_net_dir dir,
                      const uint8_t *data, size_t len)
{
    (void)ctx;
    (void)f;
    if (!len || (dir != YJ_NET_TOSERVER && dir != YJ_NET_TOCLIENT))
        abort();
    volatile uint8_t sink = 0;
    for (size_t i = 0; data && i < len; i++)
        sink ^= data[i];
    (void)sink;
}

static const int links[] = {YJ_NET_DLT_EN10MB, YJ_NET_LINKTYPE_RAW, YJ_NET_DLT_LINUX_SLL,
                            YJ_NET_DLT_LINUX_SLL2, YJ_NET_DLT_NULL, YJ_NET_DLT_LOOP,
                            YJ_NET_DLT_IPV4, YJ_NET_DLT_IPV6};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!out.max)
        yj_buf_init(&out, 1 << 16);
    if (size < 1)
        return 0;
    struct yj_net_config c;
    yj_net_config_default(&c);
    c.max_flows = 8;
    c.frag_trackers = 2;
    c.stream_segments = 4;
    c.stream_ooo_flow = 2;
    c.stream_depth = 256;
    c.ext_size = 8;
    struct yj_net_hooks h = {NULL, on_event, 0, on_packet, NULL, on_stream, NULL};
    struct yj_net *n = yj_net_new(&c, &h);
    int link = links[data[0] % (sizeof links / sizeof links[0])];
    size_t i = 1;
    int64_t t = 1000000;
    while (i + 3 <= size) {
        size_t len = (size_t)data[i] << 8 | data[i + 1];
        t += (int64_t)data[i + 2] * 1000000;
        i += 3;
        if (len > size - i)
            len = size - i;
        /* a private copy, so reads past the frame are caught */
        uint8_t *frame = malloc(len ? len : 1);
        memcpy(frame, data + i, len);
        yj_net_feed(n, link, t, frame, (uint32_t)len, (uint32_t)len + (data[0] & 0x80 ? 7 : 0));
        free(frame);
        i += len;
    }
    yj_net_flush(n);
    yj_net_emit_stats(n);
    yj_net_free(n);
    return 0;
}
