/* Fuzz target: web server logs (yj_http_parse, yj_http_error_line) and the URL checks
 * (yj_web_classify) on what the parser accepted and on the raw input. Accepted lines give a
 * valid address, a status in 100..999 and fields that are C strings inside the record. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "host/host.h"

static void inside(const struct yj_http *h, const char *f)
{
    if (!f || f < h->text || f >= h->text + sizeof h->text ||
        !memchr(f, '\0', (size_t)(h->text + sizeof h->text - f)))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct yj_http h;
    struct yj_str line = {(const char *)data, size};
    (void)yj_http_error_line(line);
    if (yj_http_parse(line, &h)) {
        if (!h.ip[0] || h.status < 100 || h.status > 999)
            abort();
        inside(&h, h.hostname);
        inside(&h, h.user);
        inside(&h, h.method);
        inside(&h, h.url);
        inside(&h, h.protocol);
        inside(&h, h.referer);
        inside(&h, h.agent);
        (void)yj_web_classify(h.url, h.status);
    }
    if (size < YJ_HOST_LINE_MAX) {
        char *url = malloc(size + 1);
        memcpy(url, data, size);
        url[size] = '\0';
        if (yj_web_classify(url, 200) & ~7u)
            abort();
        free(url);
    }
    return 0;
}
