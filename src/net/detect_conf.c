/* The detectors' thresholds: defaults, and data/net/detect.yaml read over them with
 * file:line messages for anything out of place (the shipped file documents every key). */
#include <stdlib.h>

#include "base/yaml.h"
#include "sensor_int.h"

void nd_conf_default(struct nd_conf *c)
{
    *c = (struct nd_conf){
        .scan_ports = 20,
        .scan_hosts = 20,
        .scan_window = 300,
        .bf_conns = 15,
        .bf_window = 300,
        .bf_short = 30,
        .dns_names = 10,
        .dns_label = 30,
        .dns_window = 600,
        .dns_entropy = 3.5,
        .beacon_count = 10,
        .beacon_interval = 5,
        .beacon_jitter = 10,
        .arp_window = 600,
        .cleartext_window = 3600,
        .arp_replies = 10,
        .dga_names = 10,
        .dga_window = 600,
        .table_size = 4096,
    };
}

/* One map of the file: its integer keys, each in [lo, hi] and stored at off; extra names
 * one more allowed key read elsewhere (or NULL). */
struct key {
    const char *name;
    long lo, hi;
    size_t off;
};

#define K(name, lo, hi, field)                                                                     \
    {                                                                                              \
        name, lo, hi, offsetof(struct nd_conf, field)                                              \
    }

static bool read_map(const struct yj_yaml_doc *doc, const char *name, const struct key *keys,
                     size_t nkeys, const char *extra, struct nd_conf *out, struct yj_diag *d)
{
    const struct yj_yaml *m = yj_yaml_get(doc->root, name);
    if (!m)
        return true;
    const char *names[8] = {0};
    for (size_t i = 0; i < nkeys; i++)
        names[i] = keys[i].name;
    names[nkeys] = extra;
    if (!yj_yaml_expect(doc, m, YJ_YAML_MAP, name, d) || !yj_yaml_only_keys(doc, m, names, d))
        return false;
    for (size_t i = 0; i < nkeys; i++) {
        long v = (long)*(unsigned *)((char *)out + keys[i].off);
        if (!yj_yaml_opt_range(doc, m, keys[i].name, keys[i].lo, keys[i].hi, &v, d))
            return false;
        *(unsigned *)((char *)out + keys[i].off) = (unsigned)v;
    }
    return true;
}

/* dns_tunnel.entropy: bits per character of a name's subdomain part, in [2, 6]. */
static bool entropy(const struct yj_yaml_doc *doc, double *out, struct yj_diag *d)
{
    const struct yj_yaml *m = yj_yaml_get(doc->root, "dns_tunnel");
    const struct yj_yaml *v = m ? yj_yaml_get(m, "entropy") : NULL;
    if (!v)
        return true;
    char *end = NULL;
    double x = v->kind == YJ_YAML_SCALAR && v->n ? strtod(v->s, &end) : -1;
    if (!end || *end || !(x >= 2.0 && x <= 6.0)) {
        yj_diag_add(d, doc->name, yj_yaml_line(m, "entropy"), "%s", yj_t("net.conf.entropy"));
        return false;
    }
    *out = x;
    return true;
}

enum yj_err nd_conf_load(struct nd_conf *c, const char *path, struct yj_diag *d)
{
    static const char *const top[] = {"scan", "brute_force", "dns_tunnel", "beacon", "arp",
                                      "dga",  "cleartext",   "table_size", NULL};
    static const struct key scan[] = {K("ports", 3, 100, scan_ports),
                                      K("hosts", 3, 100, scan_hosts),
                                      K("window", 1, 86400, scan_window)};
    static const struct key bf[] = {K("connections", 3, 10000, bf_conns),
                                    K("window", 1, 86400, bf_window),
                                    K("short", 1, 3600, bf_short)};
    static const struct key dns[] = {K("names", 3, 100000, dns_names),
                                     K("label", 10, 63, dns_label),
                                     K("window", 1, 86400, dns_window)};
    static const struct key beacon[] = {K("count", 4, 32, beacon_count),
                                        K("interval", 1, 86400, beacon_interval),
                                        K("jitter", 1, 50, beacon_jitter)};
    static const struct key arp[] = {K("window", 1, 86400, arp_window),
                                     K("replies", 2, 100000, arp_replies)};
    static const struct key ct[] = {K("window", 1, 86400 * 7, cleartext_window)};
    static const struct key dga[] = {K("names", 2, 100000, dga_names),
                                     K("window", 1, 86400, dga_window)};
    struct yj_yaml_doc doc;
    enum yj_err err = yj_yaml_load_file(&doc, path, d);
    if (err)
        return err;
    struct nd_conf out = *c;
    long ts = (long)out.table_size;
    bool ok = yj_yaml_expect(&doc, doc.root, YJ_YAML_MAP, "detect", d) &&
              yj_yaml_only_keys(&doc, doc.root, top, d) &&
              read_map(&doc, "scan", scan, 3, NULL, &out, d) &&
              read_map(&doc, "brute_force", bf, 3, NULL, &out, d) &&
              read_map(&doc, "dns_tunnel", dns, 3, "entropy", &out, d) &&
              entropy(&doc, &out.dns_entropy, d) &&
              read_map(&doc, "beacon", beacon, 3, NULL, &out, d) &&
              read_map(&doc, "arp", arp, 2, NULL, &out, d) &&
              read_map(&doc, "dga", dga, 2, NULL, &out, d) &&
              read_map(&doc, "cleartext", ct, 1, NULL, &out, d) &&
              yj_yaml_opt_range(&doc, doc.root, "table_size", 16, 1 << 20, &ts, d);
    yj_yaml_fini(&doc);
    if (!ok)
        return YJ_ERR_INVALID;
    out.table_size = (unsigned)ts;
    *c = out;
    return YJ_ERR_OK;
}
