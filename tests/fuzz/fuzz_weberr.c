/* Fuzz target: web server error-log lines (yj_weberr_parse) and the detectors they feed. An
 * auth record must name a user and carry a valid address; an http record a valid address,
 * a status in 100..999 and fields that are C strings inside the record. Records go into one
 * detector with a small table, so its bounds are exercised too. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "host/host.h"

/* ip is a valid address literal, f is NUL-terminated inside h's text (or h is NULL). */
static void check(const char *ip, const struct yj_http *h, const char *const *f, size_t n)
{
    char copy[YJ_HOST_IP_MAX];
    size_t len = strnlen(ip, YJ_HOST_IP_MAX);
    if (!len || len == YJ_HOST_IP_MAX || !yj_host_ip((struct yj_str){ip, len}, copy))
        abort();
    const char *end = h ? h->text + sizeof h->text : NULL;
    for (size_t i = 0; i < n; i++)
        if (!f[i] || f[i] < h->text || f[i] >= end ||
            !memchr(f[i], '\0', (size_t)(end - f[i])))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct yj_http h;
    static struct yj_host_detect *det;
    if (!det) {
        struct yj_host_config c;
        yj_host_config_default(&c);
        c.table_size = 16;
        det = yj_host_detect_new(&c);
    }
    struct yj_auth a;
    int64_t ts;
    const struct yj_host_alert *raised[YJ_HOST_SIG__COUNT];
    switch (yj_weberr_parse((struct yj_str){(const char *)data, size}, &ts, &a, &h)) {
    case YJ_WEBERR_NONE:
    case YJ_WEBERR_OTHER: break;
    case YJ_WEBERR_AUTH:
        check(a.ip, NULL, NULL, 0);
        if (!a.user[0] || strlen(a.user) > YJ_HOST_USER_MAX || a.success || !a.attempt ||
            a.port > 65535 || (strcmp(a.service, "apache") != 0 && strcmp(a.service, "nginx") != 0))
            abort();
        (void)yj_host_detect_feed(det, ts, &a, raised, YJ_HOST_SIG__COUNT);
        break;
    case YJ_WEBERR_HTTP: {
        if (h.status < 100 || h.status > 999 || h.ts != ts)
            abort();
        const char *const f[] = {h.hostname, h.user, h.method, h.url, h.protocol, h.referer,
                                 h.agent};
        check(h.ip, &h, f, sizeof f / sizeof f[0]);
        (void)yj_host_detect_http(det, &h, raised, YJ_HOST_SIG__COUNT);
        break;
    }
    }
    return 0;
}
