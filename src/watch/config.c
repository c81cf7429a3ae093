/* The watch: section of yojin.yaml. Everything has a default, so a Debian machine needs no
 * section at all:
 *
 *   watch:
 *     logs: [/var/log/auth.log, /var/log/nginx/access.log]   # replaces the default list
 *     journal: auto          # auto (when no auth log file exists) | on | off
 *     dirs: [/srv/share]     # data folders watched for ransomware behaviour
 *     user: yojin            # the user the watch runs as after opening what needs root
 *     eve_max_mb: 100        # eve.json is rotated beyond this size
 *     eve_keep: 5            # rotated eve files kept
 *     thresholds: /etc/yojin/detect.yaml
 *     ransomware:
 *       stop_process: false  # stop the process that encrypts files (off by default)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/file.h"
#include "base/i18n.h"
#include "base/yaml.h"
#include "watch_int.h"

/* A list of paths (absolute) or, with paths false, of names (interfaces). */
static bool str_list(const struct yj_yaml_doc *doc, const struct yj_yaml *map, const char *key,
                     bool paths, const char **out, size_t max, size_t *n, struct yj_diag *d)
{
    const struct yj_yaml *v = yj_yaml_get(map, key);
    if (!v)
        return true;
    if (v->kind == YJ_YAML_SCALAR && v->n) {
        out[(*n)++] = v->s;
        return true;
    }
    if (!yj_yaml_expect(doc, v, YJ_YAML_SEQ, key, d))
        return false;
    bool ok = true;
    for (size_t i = 0; i < v->len; i++) {
        const struct yj_yaml *e = v->kids[i];
        if (e->kind != YJ_YAML_SCALAR || !e->n || (paths && e->s[0] != '/')) {
            yj_diag_add(d, doc->name, e->line, yj_t("watch.cfg_path"), key);
            ok = false;
        } else if (*n == max) {
            yj_diag_add(d, doc->name, e->line, yj_t("watch.cfg_many"), key, max);
            ok = false;
            break;
        } else {
            out[(*n)++] = e->s;
        }
    }
    return ok;
}

static bool boolean(const struct yj_yaml_doc *doc, const struct yj_yaml *map, const char *key,
                    bool *out, struct yj_diag *d)
{
    const struct yj_yaml *v = yj_yaml_get(map, key);
    if (!v)
        return true;
    if (v->kind == YJ_YAML_SCALAR && (!strcmp(v->s, "true") || !strcmp(v->s, "yes"))) {
        *out = true;
        return true;
    }
    if (v->kind == YJ_YAML_SCALAR && (!strcmp(v->s, "false") || !strcmp(v->s, "no"))) {
        *out = false;
        return true;
    }
    yj_diag_add(d, doc->name, v->line, yj_t("watch.cfg_bool"), key);
    return false;
}

static enum yj_err parse(struct watch_config *c, const struct yj_yaml *w, struct yj_diag *d)
{
    static const char *const keys[] = {"logs", "journal", "dirs", "user", "eve_max_mb",
                                       "eve_keep", "thresholds", "ransomware",
                                       "interfaces", "bpf", NULL};
    static const char *const rkeys[] = {"stop_process", NULL};
    const struct yj_yaml_doc *doc = &c->doc;
    if (!yj_yaml_expect(doc, w, YJ_YAML_MAP, "watch", d) || !yj_yaml_only_keys(doc, w, keys, d))
        return YJ_ERR_INVALID;
    bool ok = str_list(doc, w, "logs", true, c->logs, YJ_WATCH_MAX_LOGS, &c->nlogs, d);
    c->logs_given = yj_yaml_get(w, "logs") != NULL;
    ok = str_list(doc, w, "dirs", true, c->dirs, YJ_WATCH_MAX_DIRS, &c->ndirs, d) && ok;
    const struct yj_yaml *j = yj_yaml_get(w, "journal");
    if (j) {
        if (j->kind == YJ_YAML_SCALAR && !strcmp(j->s, "auto"))
            c->journal = YJ_JOURNAL_AUTO;
        else if (j->kind == YJ_YAML_SCALAR && (!strcmp(j->s, "on") || !strcmp(j->s, "true")))
            c->journal = YJ_JOURNAL_ON;
        else if (j->kind == YJ_YAML_SCALAR && (!strcmp(j->s, "off") || !strcmp(j->s, "false")))
            c->journal = YJ_JOURNAL_OFF;
        else {
            yj_diag_add(d, doc->name, j->line, "%s", yj_t("watch.cfg_journal"));
            ok = false;
        }
    }
    if (yj_yaml_get(w, "user") && !(c->user = yj_yaml_req_str(doc, w, "user", d)))
        ok = false;
    ok = str_list(doc, w, "interfaces", false, c->ifaces, YJ_WATCH_MAX_IFACES, &c->nifaces, d) &&
         ok;
    if (yj_yaml_get(w, "bpf") && !(c->bpf = yj_yaml_req_str(doc, w, "bpf", d)))
        ok = false;
    if (yj_yaml_get(w, "thresholds") &&
        !(c->thresholds = yj_yaml_req_str(doc, w, "thresholds", d)))
        ok = false;
    long mb = (long)(c->eve_max_bytes >> 20), keep = c->eve_keep;
    ok = yj_yaml_opt_range(doc, w, "eve_max_mb", 1, 100000, &mb, d) && ok;
    ok = yj_yaml_opt_range(doc, w, "eve_keep", 0, 100, &keep, d) && ok;
    c->eve_max_bytes = (uint64_t)mb << 20;
    c->eve_keep = (unsigned)keep;
    const struct yj_yaml *r = yj_yaml_get(w, "ransomware");
    if (r) {
        if (!yj_yaml_expect(doc, r, YJ_YAML_MAP, "ransomware", d) ||
            !yj_yaml_only_keys(doc, r, rkeys, d) ||
            !boolean(doc, r, "stop_process", &c->stop_process, d))
            ok = false;
    }
    return ok ? YJ_ERR_OK : YJ_ERR_INVALID;
}

enum yj_err watch_config_load(struct watch_config *c, const char *path, const char *data_dir,
                              struct yj_diag *d)
{
    memset(c, 0, sizeof *c);
    c->journal = YJ_JOURNAL_AUTO;
    c->eve_max_bytes = (uint64_t)100 << 20;
    c->eve_keep = 5;
    char *def = NULL;
    if (!path && !(path = def = yj_config_file(data_dir)))
        return YJ_ERR_OK;
    enum yj_err err = yj_yaml_load_file(&c->doc, path, d);
    free(def);
    if (err)
        return err;
    c->loaded = true;
    const struct yj_yaml *w = yj_yaml_get(c->doc.root, "watch");
    return w ? parse(c, w, d) : YJ_ERR_OK;
}

void watch_config_fini(struct watch_config *c)
{
    if (c->loaded)
        yj_yaml_fini(&c->doc);
    memset(c, 0, sizeof *c);
}
