/* The notify: section of <data>/yojin.yaml:
 *
 *   notify:
 *     smtp_url: smtp://127.0.0.1:25
 *     mail_from: yojin@example.jp
 *     mail_to: [it@example.jp]
 *     webhook_url: http://127.0.0.1:9000/hook
 *     min_severity: 3      # 1 critical only .. 3 all
 *     max_per_hour: 10
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/file.h"
#include "notify.h"

static bool url_ok(const char *u, const char *const *schemes)
{
    for (size_t i = 0; schemes[i]; i++) {
        size_t n = strlen(schemes[i]);
        if (strncasecmp(u, schemes[i], n) == 0 && u[n] && u[n] != '/' &&
            !strpbrk(u, " \t\r\n"))
            return true;
    }
    return false;
}

static bool url(const struct yj_yaml_doc *doc, const struct yj_yaml *map, const char *key,
                const char *const *schemes, const char **out, struct yj_diag *d)
{
    if (!yj_yaml_get(map, key))
        return true;
    if (!(*out = yj_yaml_req_str(doc, map, key, d)))
        return false;
    if (!url_ok(*out, schemes)) {
        yj_diag_add(d, doc->name, yj_yaml_line(map, key), yj_t("notify.cfg_url"), key, *out,
                    schemes[0]);
        return false;
    }
    return true;
}

static enum yj_err parse(struct yj_notify_config *c, const struct yj_yaml *nt, struct yj_diag *d)
{
    static const char *const keys[] = {"smtp_url", "mail_from", "mail_to", "webhook_url",
                                       "min_severity", "max_per_hour", NULL};
    static const char *const smtp[] = {"smtp://", "smtps://", NULL};
    static const char *const http[] = {"http://", "https://", NULL};
    const struct yj_yaml_doc *doc = &c->doc;
    if (!yj_yaml_expect(doc, nt, YJ_YAML_MAP, "notify", d) || !yj_yaml_only_keys(doc, nt, keys, d))
        return YJ_ERR_INVALID;
    bool ok = url(doc, nt, "smtp_url", smtp, &c->smtp_url, d);
    ok = url(doc, nt, "webhook_url", http, &c->webhook_url, d) && ok;
    if (yj_yaml_get(nt, "mail_from") && !(c->mail_from = yj_yaml_req_str(doc, nt, "mail_from", d)))
        ok = false;
    const struct yj_yaml *to = yj_yaml_get(nt, "mail_to");
    if (to) {
        if (to->kind == YJ_YAML_SCALAR && to->n) {
            c->mail_to[c->nto++] = to->s;
        } else if (!yj_yaml_expect(doc, to, YJ_YAML_SEQ, "mail_to", d)) {
            ok = false;
        } else {
            for (size_t i = 0; i < to->len; i++) {
                const struct yj_yaml *a = to->kids[i];
                if (a->kind != YJ_YAML_SCALAR || !a->n || !strchr(a->s, '@') ||
                    c->nto == YJ_NOTIFY_TO_MAX) {
                    yj_diag_add(d, doc->name, a->line, yj_t("notify.cfg_address"), "mail_to");
                    ok = false;
                    continue;
                }
                c->mail_to[c->nto++] = a->s;
            }
        }
    }
    long sev = c->min_severity, per = c->max_per_hour;
    ok = yj_yaml_opt_range(doc, nt, "min_severity", 1, 3, &sev, d) && ok;
    ok = yj_yaml_opt_range(doc, nt, "max_per_hour", 1, 10000, &per, d) && ok;
    c->min_severity = (int)sev;
    c->max_per_hour = (unsigned)per;
    if (ok && c->smtp_url && (!c->mail_from || !c->nto)) {
        yj_diag_add(d, doc->name, nt->line, "%s", yj_t("notify.cfg_mail"));
        ok = false;
    }
    return ok ? YJ_ERR_OK : YJ_ERR_INVALID;
}

enum yj_err yj_notify_config_load_file(struct yj_notify_config *c, const char *path,
                                       struct yj_diag *d)
{
    memset(c, 0, sizeof *c);
    c->min_severity = 3;
    c->max_per_hour = 10;
    enum yj_err err;
    if ((err = yj_yaml_load_file(&c->doc, path, d)))
        return err;
    c->loaded = true;
    const struct yj_yaml *nt = yj_yaml_get(c->doc.root, "notify");
    if (!nt)
        return YJ_ERR_OK;
    c->present = true;
    return parse(c, nt, d);
}

enum yj_err yj_notify_config_load(struct yj_notify_config *c, const char *data_dir,
                                  struct yj_diag *d)
{
    char *path = yj_config_file(data_dir);
    enum yj_err err = YJ_ERR_OK;
    if (path) {
        err = yj_notify_config_load_file(c, path, d);
    } else {
        memset(c, 0, sizeof *c);
        c->min_severity = 3;
        c->max_per_hour = 10;
    }
    free(path);
    return err;
}

void yj_notify_config_fini(struct yj_notify_config *c)
{
    if (c->loaded)
        yj_yaml_fini(&c->doc);
    memset(c, 0, sizeof *c);
}
