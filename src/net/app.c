/* The application layer: which parser (proto/) for which flow, and the dns, tls, http and
 * ssh events. (Not written yet: flows are decoded and counted without application events.) */
#include <stdlib.h>

#include "sensor_int.h"

struct app {
    struct yj_sensor *s;
};

struct app *app_new(struct yj_sensor *s)
{
    struct app *a = yj_xcalloc(1, sizeof *a);
    a->s = s;
    return a;
}

void app_free(struct app *a) { free(a); }
void app_packet(struct app *a, const struct yj_net_packet *p) { (void)a, (void)p; }
void app_stream(struct app *a, struct yj_net_flow *f, enum yj_net_dir dir, const uint8_t *data,
                size_t len)
{
    (void)a, (void)f, (void)dir, (void)data, (void)len;
}
void app_flow_end(struct app *a, struct yj_net_flow *f) { (void)a, (void)f; }
