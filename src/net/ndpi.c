/* Application identification with nDPI. (Not written yet: the sensor runs without it.) */
#include "sensor_int.h"

struct ndpi *ndpi_new(struct yj_sensor *s)
{
    (void)s;
    return NULL;
}
void ndpi_free(struct ndpi *n) { (void)n; }
void ndpi_packet(struct ndpi *n, const struct yj_net_packet *p) { (void)n, (void)p; }
void ndpi_flow_end(struct ndpi *n, struct yj_net_flow *f) { (void)n, (void)f; }
