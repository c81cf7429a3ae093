/* Fuzz target: kernel netfilter log lines (yj_netfilter_parse) and the port-scan detector.
 * An accepted line gives valid source and destination addresses, a protocol, ports within
 * 0..65535 and NUL-terminated copies; TCP flags only for TCP. Drops go into one detector
 * with a small table and a low threshold, at times taken from the input. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "host/host.h"

static void valid_ip(const char *ip)
{
    char copy[YJ_HOST_IP_MAX];
    if (!ip[0] || strlen(ip) >= YJ_HOST_IP_MAX ||
        !yj_host_ip((struct yj_str){ip, strlen(ip)}, copy))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct yj_host_detect *det;
    if (!det) {
        struct yj_host_config c;
        yj_host_config_default(&c);
        c.table_size = 16;
        c.scan_ports = 2;
        det = yj_host_detect_new(&c);
    }
    struct yj_drop p;
    if (!yj_netfilter_parse((struct yj_str){(const char *)data, size}, &p))
        return 0;
    valid_ip(p.src);
    valid_ip(p.dst);
    if (!p.proto[0] || strlen(p.proto) >= sizeof p.proto ||
        strlen(p.prefix) > YJ_DROP_PREFIX_MAX || strlen(p.in) > YJ_DROP_IF_MAX ||
        strlen(p.out) > YJ_DROP_IF_MAX || p.spt > 65535 || p.dpt > 65535 || p.ttl > 255 ||
        (p.tcp_flags && strcmp(p.proto, "TCP") != 0) || p.tcp_flags > 0x3f)
        abort();
    int64_t ts = size ? (int64_t)data[0] * 7 : 0;
    const struct yj_host_alert *raised[1];
    (void)yj_host_detect_drop(det, ts, &p, raised, 1);
    return 0;
}
