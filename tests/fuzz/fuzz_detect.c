/* Fuzz target: the detectors above the packet path — every detector family that reads packets
 * (the scan probe rules and the ICMP quote, the SMB2 reader, beaconing, brute force) and
 * ARP — with thresholds low and tables tiny so that alerts, reuse and drops are reached.
 * Input as fuzz_packet.c: one byte choosing the link type, then frames as
 *   len(2, big-endian) dt(1, seconds to add to the clock) bytes(len) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "fuzz.h"
#include "net/net.h"

static struct yj_buf out;
static char conf[64];

static void on_event(void *ctx, const struct yj_event *ev)
{
    (void)ctx;
    yj_buf_reset(&out);
    yj_eve_write(&out, ev);
}

static void drop_conf(void)
{
    unlink(conf);
}

/* Thresholds at their lowest, written once (removed at exit). */
static const char *thresholds(void)
{
    if (conf[0])
        return conf;
    snprintf(conf, sizeof conf, "/tmp/yj-fuzz-detect-XXXXXX");
    int fd = mkstemp(conf);
    static const char text[] =
        "scan: {ports: 3, hosts: 3, window: 60}\n"
        "brute_force: {connections: 3, window: 60, short: 30}\n"
        "dns_tunnel: {names: 3}\nbeacon: {count: 4, interval: 1, jitter: 50}\n"
        "arp: {window: 60, replies: 2}\ndga: {names: 2}\ntable_size: 16\n";
    if (fd < 0 || write(fd, text, sizeof text - 1) != (ssize_t)(sizeof text - 1))
        abort();
    close(fd);
    atexit(drop_conf);
    return conf;
}

static const int links[] = {YJ_NET_DLT_EN10MB, YJ_NET_LINKTYPE_RAW, YJ_NET_DLT_LINUX_SLL,
                            YJ_NET_DLT_IPV4, YJ_NET_DLT_IPV6};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!out.max)
        yj_buf_init(&out, 1 << 16);
    if (size < 1)
        return 0;
    struct yj_sensor_opts o;
    yj_sensor_opts_default(&o);
    o.ndpi = false;
    o.thresholds = thresholds();
    o.net.max_flows = 8;
    o.net.stream_segments = 4;
    o.net.stream_depth = 256;
    struct yj_sensor *s;
    struct yj_diag d;
    yj_diag_init(&d);
    if (yj_sensor_new(&s, &o, on_event, NULL, &d) != YJ_ERR_OK)
        abort();
    yj_diag_fini(&d);
    struct yj_net *n = yj_sensor_engine(s);
    int link = links[data[0] % (sizeof links / sizeof links[0])];
    size_t i = 1;
    int64_t t = 1000000;
    while (i + 3 <= size) {
        size_t len = (size_t)data[i] << 8 | data[i + 1];
        t += (int64_t)data[i + 2] * 1000000;
        i += 3;
        if (len > size - i)
            len = size - i;
        uint8_t *frame = malloc(len ? len : 1); /* reads past the frame are caught */
        memcpy(frame, data + i, len);
        yj_net_feed(n, link, t, frame, (uint32_t)len, (uint32_t)len);
        free(frame);
        i += len;
    }
    yj_sensor_finish(s);
    yj_sensor_free(s);
    return 0;
}
