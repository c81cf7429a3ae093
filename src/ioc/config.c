/* Which lists yojin loads: the ioc: section of <data>/yojin.yaml, the default feeds of
 * data/ioc/feeds.yaml when that section names none, and the loading of all of them (plus
 * files given for one run) into one set.
 *
 *   ioc:
 *     feeds:
 *       - {name: drop, url: "https://www.spamhaus.org/drop/drop_v4.json", format: spamhaus-drop}
 *     files:
 *       - /etc/yojin/blocklist.txt
 *       - {path: /srv/x.csv, format: abusech-csv, name: x}
 *     ca_file: /etc/yojin/feeds-ca.pem
 *     timeout: 60
 *     max_mb: 200
 *
 * Downloaded feeds live in <data>/ioc/<name>.<ext> with <name>.meta beside them (update.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/file.h"
#include "base/i18n.h"
#include "ioc_int.h"

static bool name_ok(const char *s)
{
    size_t n = strlen(s);
    if (!n || n > 64 || s[0] == '.' || s[0] == '-')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

static bool format_of(const struct yj_yaml_doc *doc, const struct yj_yaml *m,
                      enum yj_ioc_format *f, struct yj_diag *d)
{
    const struct yj_yaml *v = yj_yaml_get(m, "format");
    *f = YJ_IOC_FMT_AUTO;
    if (!v)
        return true;
    if (v->kind != YJ_YAML_SCALAR || !yj_ioc_format_parse(v->s, f)) {
        yj_diag_add(d, doc->name, v->line, yj_t("ioc.cfg_format"),
                    v->kind == YJ_YAML_SCALAR ? v->s : "?");
        return false;
    }
    return true;
}

static bool feed(const struct yj_yaml_doc *doc, const struct yj_yaml *m, struct yj_ioc_source *f,
                 struct yj_diag *d)
{
    static const char *const keys[] = {"name", "url", "format", "source", "as_of", "note",
                                       NULL};
    if (!yj_yaml_expect(doc, m, YJ_YAML_MAP, "feeds", d) || !yj_yaml_only_keys(doc, m, keys, d))
        return false;
    memset(f, 0, sizeof *f);
    f->name = yj_yaml_req_str(doc, m, "name", d);
    f->url = yj_yaml_req_str(doc, m, "url", d);
    bool ok = f->name && f->url && format_of(doc, m, &f->format, d);
    if (f->name && !name_ok(f->name)) {
        yj_diag_add(d, doc->name, yj_yaml_line(m, "name"), yj_t("ioc.cfg_name"), f->name);
        ok = false;
    }
    if (f->url && (strncmp(f->url, "https://", 8) != 0 || strpbrk(f->url, " \t\r\n"))) {
        yj_diag_add(d, doc->name, yj_yaml_line(m, "url"), yj_t("ioc.cfg_https"), f->url);
        ok = false;
    }
    return ok;
}

static bool feeds(const struct yj_yaml_doc *doc, const struct yj_yaml *seq,
                  struct yj_ioc_config *c, struct yj_diag *d)
{
    if (!yj_yaml_expect(doc, seq, YJ_YAML_SEQ, "feeds", d))
        return false;
    bool ok = true;
    c->nfeeds = 0;
    for (size_t i = 0; i < seq->len; i++) {
        if (c->nfeeds == YJ_IOC_FEEDS_MAX) {
            yj_diag_add(d, doc->name, seq->kids[i]->line, yj_t("ioc.cfg_too_many"),
                        YJ_IOC_FEEDS_MAX);
            return false;
        }
        struct yj_ioc_source *f = &c->feeds[c->nfeeds];
        if (!feed(doc, seq->kids[i], f, d)) {
            ok = false;
            continue;
        }
        for (size_t k = 0; k < c->nfeeds; k++)
            if (strcmp(c->feeds[k].name, f->name) == 0) {
                yj_diag_add(d, doc->name, seq->kids[i]->line, yj_t("ioc.cfg_dup"), f->name);
                ok = false;
            }
        c->nfeeds++;
    }
    return ok;
}

/* Relative list paths are relative to the data folder (where yojin.yaml is). */
static const char *resolve(struct yj_ioc_config *c, const char *data_dir, const char *path)
{
    if (path[0] == '/')
        return path;
    size_t a = strlen(data_dir), b = strlen(path);
    char *p = yj_arena_alloc(&c->doc.arena, a + b + 2);
    memcpy(p, data_dir, a);
    p[a] = '/';
    memcpy(p + a + 1, path, b + 1);
    return p;
}

static bool files(const struct yj_yaml_doc *doc, const struct yj_yaml *seq,
                  struct yj_ioc_config *c, const char *data_dir, struct yj_diag *d)
{
    static const char *const keys[] = {"path", "format", "name", NULL};
    if (!yj_yaml_expect(doc, seq, YJ_YAML_SEQ, "files", d))
        return false;
    bool ok = true;
    for (size_t i = 0; i < seq->len; i++) {
        const struct yj_yaml *m = seq->kids[i];
        if (c->nfiles == YJ_IOC_FILES_MAX) {
            yj_diag_add(d, doc->name, m->line, yj_t("ioc.cfg_too_many"), YJ_IOC_FILES_MAX);
            return false;
        }
        struct yj_ioc_source *f = &c->files[c->nfiles];
        memset(f, 0, sizeof *f);
        if (m->kind == YJ_YAML_SCALAR && m->n) {
            f->path = m->s;
        } else if (m->kind == YJ_YAML_MAP && yj_yaml_only_keys(doc, m, keys, d) &&
                   (f->path = yj_yaml_req_str(doc, m, "path", d)) &&
                   format_of(doc, m, &f->format, d)) {
            const struct yj_yaml *nm = yj_yaml_get(m, "name");
            if (nm && nm->kind == YJ_YAML_SCALAR && nm->n)
                f->name = nm->s;
        } else {
            if (m->kind != YJ_YAML_MAP)
                yj_diag_add(d, doc->name, m->line, "%s", yj_t("ioc.cfg_file"));
            ok = false;
            continue;
        }
        f->path = resolve(c, data_dir, f->path);
        if (!f->name) {
            const char *slash = strrchr(f->path, '/');
            f->name = slash ? slash + 1 : f->path;
        }
        c->nfiles++;
    }
    return ok;
}

static enum yj_err load_defaults(struct yj_ioc_config *c, struct yj_diag *d)
{
    char *path = yj_share_path("ioc/feeds.yaml");
    enum yj_err err = yj_yaml_load_file(&c->defaults, path, d);
    free(path);
    if (err)
        return err;
    c->defaults_loaded = true;
    const struct yj_yaml_doc *doc = &c->defaults;
    static const char *const keys[] = {"feeds", NULL};
    if (!doc->root || !yj_yaml_expect(doc, doc->root, YJ_YAML_MAP, "feeds.yaml", d) ||
        !yj_yaml_only_keys(doc, doc->root, keys, d) || !yj_yaml_get(doc->root, "feeds") ||
        !feeds(doc, yj_yaml_get(doc->root, "feeds"), c, d))
        return YJ_ERR_INVALID;
    c->feeds_default = true;
    return YJ_ERR_OK;
}

enum yj_err yj_ioc_config_load(struct yj_ioc_config *c, const char *data_dir, struct yj_diag *d)
{
    memset(c, 0, sizeof *c);
    c->timeout = 60;
    c->max_mb = 200;
    char *path = yj_config_file(data_dir);
    enum yj_err err = YJ_ERR_OK;
    const struct yj_yaml *io = NULL;
    if (path) {
        if ((err = yj_yaml_load_file(&c->doc, path, d)))
            goto out;
        c->loaded = true;
        io = c->doc.root ? yj_yaml_get(c->doc.root, "ioc") : NULL;
    }
    if (io) {
        static const char *const keys[] = {"feeds", "files", "ca_file", "timeout", "max_mb",
                                           NULL};
        const struct yj_yaml_doc *doc = &c->doc;
        if (!yj_yaml_expect(doc, io, YJ_YAML_MAP, "ioc", d) ||
            !yj_yaml_only_keys(doc, io, keys, d)) {
            err = YJ_ERR_INVALID;
            goto out;
        }
        bool ok = true;
        if (yj_yaml_get(io, "feeds"))
            ok = feeds(doc, yj_yaml_get(io, "feeds"), c, d);
        if (yj_yaml_get(io, "files"))
            ok = files(doc, yj_yaml_get(io, "files"), c, data_dir, d) && ok;
        if (yj_yaml_get(io, "ca_file") && !(c->ca_file = yj_yaml_req_str(doc, io, "ca_file", d)))
            ok = false;
        ok = yj_yaml_opt_range(doc, io, "timeout", 1, 3600, &c->timeout, d) && ok;
        ok = yj_yaml_opt_range(doc, io, "max_mb", 1, 4000, &c->max_mb, d) && ok;
        if (!ok) {
            err = YJ_ERR_INVALID;
            goto out;
        }
        if (yj_yaml_get(io, "feeds"))
            goto out;
    }
    err = load_defaults(c, d);
out:
    free(path);
    return err;
}

void yj_ioc_config_fini(struct yj_ioc_config *c)
{
    if (c->loaded)
        yj_yaml_fini(&c->doc);
    if (c->defaults_loaded)
        yj_yaml_fini(&c->defaults);
    memset(c, 0, sizeof *c);
}

char *yj_ioc_feed_path(const char *data_dir, const struct yj_ioc_source *feed)
{
    char *p = NULL;
    const char *ext = feed->format == YJ_IOC_FMT_ABUSECH   ? "csv"
                      : feed->format == YJ_IOC_FMT_MALTRAIL ? "tsv"
                                                            : "txt";
    if (asprintf(&p, "%s/ioc/%s.%s", data_dir, feed->name, ext) < 0)
        yj_oom();
    return p;
}

enum yj_err yj_ioc_load_lists(const char *data_dir, bool configured, const char *const *extra,
                              size_t nextra, struct yj_ioc_set **out, struct yj_diag *d)
{
    *out = NULL;
    struct yj_ioc_builder *b = yj_ioc_builder_new();
    enum yj_err err = YJ_ERR_OK;
    if (configured) {
        struct yj_ioc_config c;
        if ((err = yj_ioc_config_load(&c, data_dir, d))) {
            yj_ioc_config_fini(&c);
            yj_ioc_builder_free(b);
            return err;
        }
        for (size_t i = 0; i < c.nfeeds; i++) {
            char *p = yj_ioc_feed_path(data_dir, &c.feeds[i]);
            struct stat st;
            if (stat(p, &st) == 0) {
                enum yj_err e = yj_ioc_builder_add_file(b, c.feeds[i].name, p, c.feeds[i].format,
                                                        NULL, d);
                if (e && !err)
                    err = e;
            }
            free(p);
        }
        for (size_t i = 0; i < c.nfiles; i++) {
            enum yj_err e = yj_ioc_builder_add_file(b, c.files[i].name, c.files[i].path,
                                                    c.files[i].format, NULL, d);
            if (e && !err)
                err = e;
        }
        yj_ioc_config_fini(&c);
    }
    for (size_t i = 0; i < nextra; i++) {
        const char *slash = strrchr(extra[i], '/');
        enum yj_err e = yj_ioc_builder_add_file(b, slash ? slash + 1 : extra[i], extra[i],
                                                YJ_IOC_FMT_AUTO, NULL, d);
        if (e && !err)
            err = e;
    }
    if (err) {
        yj_ioc_builder_free(b);
        return err;
    }
    *out = yj_ioc_builder_build(b);
    return YJ_ERR_OK;
}

struct yj_ioc_set *yj_ioc_build_lists(void *arg, struct yj_diag *d)
{
    const struct yj_ioc_lists *l = arg;
    struct yj_ioc_set *s = NULL;
    if (yj_ioc_load_lists(l->data_dir, l->configured, l->extra, l->nextra, &s, d))
        return NULL;
    return s;
}
