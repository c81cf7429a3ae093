/* The signature table (signatures.def) and the detectors' thresholds
 * (data/host/detect.yaml), loaded and validated with file:line messages.
 *
 *   brute_force:    {failures: 6, window: 300}    # seconds
 *   password_spray: {users: 5, window: 600}
 *   distributed:    {sources: 5, window: 600}
 *   compromise:     {failures: 5, window: 1800}
 *   table_size: 65536                              # sources and accounts tracked
 *   account_change: {window: 3600}                 # repeats gathered into one alert
 *   first_sudo: {learn: 86400}                     # users seen this long after the start
 *                                                  # of the logs are known
 *   web_scan: {paths: 3, not_found: 30, window: 600}
 *   web_attack: {window: 3600}                     # injection, traversal: one alert per
 *                                                  # source within
 *   port_scan: {ports: 10, window: 120}             # distinct ports dropped per source
 *   ransomware: {files: 20, window: 10, notes: 2, entropy: 7.5} */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/yaml.h"
#include "host.h"

static const struct yj_host_sig_info sigs[] = {
#define YJ_HOST_SIG(name, id, code, category, severity, playbook, n, s, a) \
    {id, code, category, severity, playbook, n, s, a},
#include "signatures.def"
#undef YJ_HOST_SIG
};

const struct yj_host_sig_info *yj_host_sig_info(enum yj_host_sig s)
{
    return &sigs[s];
}

void yj_host_config_default(struct yj_host_config *c)
{
    *c = (struct yj_host_config){
        .bf_failures = 6, .bf_window = 300,
        .spray_users = 5, .spray_window = 600,
        .dist_sources = 5, .dist_window = 600,
        .comp_failures = 5, .comp_window = 1800,
        .table_size = 65536,
        .acct_window = 3600, .sudo_learn = 86400,
        .web_paths = 3, .web_not_found = 30, .web_window = 600,
        .web_attack_window = 3600,
        .scan_ports = 10, .scan_window = 120,
        .ransom_files = 20, .ransom_window = 10, .ransom_notes = 2, .ransom_entropy = 7.5,
    };
}

/* One integer under key of map in [lo, hi]; a missing key keeps *out. */
static bool num(const struct yj_yaml_doc *doc, const struct yj_yaml *map, const char *key,
                long lo, long hi, unsigned *out, struct yj_diag *d)
{
    if (!yj_yaml_get(map, key))
        return true;
    long v;
    if (!yj_yaml_req_int(doc, map, key, &v, d))
        return false;
    if (v < lo || v > hi) {
        yj_diag_add(d, doc->name, yj_yaml_line(map, key), yj_t("host.config.range"), key, lo,
                    hi);
        return false;
    }
    *out = (unsigned)v;
    return true;
}

/* Bits per byte under key of map, a decimal number in [6, 8]; a missing key keeps *out. */
static bool bits(const struct yj_yaml_doc *doc, const struct yj_yaml *map, const char *key,
                 double *out, struct yj_diag *d)
{
    const struct yj_yaml *v = yj_yaml_get(map, key);
    if (!v)
        return true;
    char *end = NULL;
    double x = v->kind == YJ_YAML_SCALAR && v->n ? strtod(v->s, &end) : -1;
    if (!end || *end || !(x >= 6.0 && x <= 8.0)) {
        yj_diag_add(d, doc->name, yj_yaml_line(map, key), yj_t("host.ransom.entropy"), key);
        return false;
    }
    *out = x;
    return true;
}

struct rule {
    const char *name, *count;
    long max;
    size_t count_off, window_off;
};

enum yj_err yj_host_config_load(struct yj_host_config *c, const char *path, struct yj_diag *d)
{
    static const char *const top[] = {"brute_force", "password_spray", "distributed",
                                      "compromise", "table_size", "account_change",
                                      "first_sudo", "web_scan", "web_attack", "ransomware",
                                      "port_scan", NULL};
    static const struct rule rules[] = {
        {"brute_force", "failures", YJ_HOST_RING, offsetof(struct yj_host_config, bf_failures),
         offsetof(struct yj_host_config, bf_window)},
        {"password_spray", "users", YJ_HOST_SET, offsetof(struct yj_host_config, spray_users),
         offsetof(struct yj_host_config, spray_window)},
        {"distributed", "sources", YJ_HOST_SET, offsetof(struct yj_host_config, dist_sources),
         offsetof(struct yj_host_config, dist_window)},
        {"compromise", "failures", YJ_HOST_RING,
         offsetof(struct yj_host_config, comp_failures),
         offsetof(struct yj_host_config, comp_window)},
    };
    struct yj_yaml_doc doc;
    enum yj_err err = yj_yaml_load_file(&doc, path, d);
    if (err)
        return err;
    struct yj_host_config out = *c;
    bool ok = yj_yaml_expect(&doc, doc.root, YJ_YAML_MAP, "detect", d) &&
              yj_yaml_only_keys(&doc, doc.root, top, d);
    for (size_t i = 0; ok && i < sizeof rules / sizeof rules[0]; i++) {
        const struct rule *r = &rules[i];
        const struct yj_yaml *m = yj_yaml_get(doc.root, r->name);
        if (!m)
            continue;
        const char *const keys[] = {r->count, "window", NULL};
        if (!yj_yaml_expect(&doc, m, YJ_YAML_MAP, r->name, d) ||
            !yj_yaml_only_keys(&doc, m, keys, d) ||
            !num(&doc, m, r->count, 2, r->max, (unsigned *)((char *)&out + r->count_off), d) ||
            !num(&doc, m, "window", 1, 86400, (unsigned *)((char *)&out + r->window_off), d))
            ok = false;
    }
    if (ok && !num(&doc, doc.root, "table_size", 16, 1 << 22, &out.table_size, d))
        ok = false;
    static const char *const wkeys[] = {"window", NULL}, *const lkeys[] = {"learn", NULL};
    const struct yj_yaml *m = yj_yaml_get(doc.root, "account_change");
    if (ok && m &&
        (!yj_yaml_expect(&doc, m, YJ_YAML_MAP, "account_change", d) ||
         !yj_yaml_only_keys(&doc, m, wkeys, d) ||
         !num(&doc, m, "window", 1, 86400 * 31, &out.acct_window, d)))
        ok = false;
    m = yj_yaml_get(doc.root, "first_sudo");
    if (ok && m &&
        (!yj_yaml_expect(&doc, m, YJ_YAML_MAP, "first_sudo", d) ||
         !yj_yaml_only_keys(&doc, m, lkeys, d) ||
         !num(&doc, m, "learn", 0, 86400 * 366, &out.sudo_learn, d)))
        ok = false;
    static const char *const skeys[] = {"paths", "not_found", "window", NULL};
    m = yj_yaml_get(doc.root, "web_scan");
    if (ok && m &&
        (!yj_yaml_expect(&doc, m, YJ_YAML_MAP, "web_scan", d) ||
         !yj_yaml_only_keys(&doc, m, skeys, d) ||
         !num(&doc, m, "paths", 1, 100000, &out.web_paths, d) ||
         !num(&doc, m, "not_found", 2, 1000000, &out.web_not_found, d) ||
         !num(&doc, m, "window", 1, 86400, &out.web_window, d)))
        ok = false;
    m = yj_yaml_get(doc.root, "web_attack");
    if (ok && m &&
        (!yj_yaml_expect(&doc, m, YJ_YAML_MAP, "web_attack", d) ||
         !yj_yaml_only_keys(&doc, m, wkeys, d) ||
         !num(&doc, m, "window", 1, 86400 * 31, &out.web_attack_window, d)))
        ok = false;
    static const char *const pkeys[] = {"ports", "window", NULL};
    m = yj_yaml_get(doc.root, "port_scan");
    if (ok && m &&
        (!yj_yaml_expect(&doc, m, YJ_YAML_MAP, "port_scan", d) ||
         !yj_yaml_only_keys(&doc, m, pkeys, d) ||
         !num(&doc, m, "ports", 2, YJ_HOST_PORTS, &out.scan_ports, d) ||
         !num(&doc, m, "window", 1, 86400, &out.scan_window, d)))
        ok = false;
    static const char *const rkeys[] = {"files", "window", "notes", "entropy", NULL};
    m = yj_yaml_get(doc.root, "ransomware");
    if (ok && m &&
        (!yj_yaml_expect(&doc, m, YJ_YAML_MAP, "ransomware", d) ||
         !yj_yaml_only_keys(&doc, m, rkeys, d) ||
         !num(&doc, m, "files", 2, 100000, &out.ransom_files, d) ||
         !num(&doc, m, "window", 1, 3600, &out.ransom_window, d) ||
         !num(&doc, m, "notes", 1, 8, &out.ransom_notes, d) ||
         !bits(&doc, m, "entropy", &out.ransom_entropy, d)))
        ok = false;
    yj_yaml_fini(&doc);
    if (!ok)
        return YJ_ERR_INVALID;
    *c = out;
    return YJ_ERR_OK;
}
