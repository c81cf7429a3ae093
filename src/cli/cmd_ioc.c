/* `yojin ioc check|update|list`: threat lists (ioc/ioc.h).
 *
 *   check VALUE... [--ioc FILE]... [--json]   is each value listed, where and why
 *   update [--json]                           download the configured feeds
 *   list [--json]                             the feeds and files, last good downloads
 *
 * check uses the --ioc files when any are named, else the downloaded feeds and the
 * configured files. Exit status as every command: 0 it ran (listed or not: a finding is
 * not a failure, --json says "listed"), 1 lists could not be loaded or a feed failed to
 * download, 2 bad usage or a value that is no address, domain or URL. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/i18n.h"
#include "cli.h"
#include "ioc/ioc.h"

#define HITS_MAX 20

static const char *value_kind(enum yj_ioc_value k)
{
    switch (k) {
    case YJ_IOC_VAL_IP: return "ip";
    case YJ_IOC_VAL_CIDR: return "cidr";
    case YJ_IOC_VAL_DOMAIN: return "domain";
    default: return "url";
    }
}

static const char *or_dash(const char *s) { return s && *s ? s : "-"; }

static int check(struct yj_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"ioc", required_argument, NULL, 'i'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char **files = yj_xcalloc((size_t)argc, sizeof *files);
    size_t nfiles = 0;
    bool json = false;
    int c, st = YJ_EXIT_OK;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        switch (c) {
        case 'i': files[nfiles++] = optarg; break;
        case 'j': json = true; break;
        case 'h': free(files); return yj_cli_usage(cli, "ioc", true);
        default:
            yj_cli_error(cli, yj_t("cli.bad_option"), argv[optind - 1]);
            free(files);
            return yj_cli_usage(cli, "ioc", false);
        }
    }
    if (optind >= argc) {
        yj_cli_error(cli, "%s", yj_t("ioc.need_value"));
        free(files);
        return yj_cli_usage(cli, "ioc", false);
    }
    struct yj_diag d;
    yj_diag_init(&d);
    struct yj_ioc_set *set = NULL;
    enum yj_err err = yj_ioc_load_lists(cli->data_dir, nfiles == 0, files, nfiles, &set, &d);
    yj_cli_diag(cli, &d);
    yj_diag_fini(&d);
    free(files);
    if (err)
        return err == YJ_ERR_INVALID || err == YJ_ERR_PARSE ? YJ_EXIT_USAGE : YJ_EXIT_FAIL;
    if (!yj_ioc_set_count(set)) {
        yj_cli_error(cli, "%s", yj_t("ioc.none_loaded"));
        yj_ioc_set_free(set);
        return YJ_EXIT_FAIL;
    }
    struct yj_buf b;
    yj_buf_init(&b, (size_t)64 << 20);
    struct yj_json j;
    yj_json_init(&j, &b, true);
    if (json) {
        yj_json_obj(&j);
        yj_json_kint(&j, "indicators", (int64_t)yj_ioc_set_count(set));
        yj_json_kint(&j, "lists", (int64_t)yj_ioc_set_lists(set));
        yj_json_key(&j, "values");
        yj_json_arr(&j);
    }
    struct yj_ioc_hit hits[HITS_MAX];
    for (int a = optind; a < argc; a++) {
        enum yj_ioc_value kind;
        size_t total;
        if (yj_ioc_explain(set, argv[a], &kind, hits, HITS_MAX, &total)) {
            yj_cli_error(cli, yj_t("ioc.bad_arg"), argv[a]);
            st = YJ_EXIT_USAGE;
            continue;
        }
        size_t shown = total < HITS_MAX ? total : HITS_MAX;
        if (json) {
            yj_json_obj(&j);
            yj_json_kstr(&j, "value", argv[a]);
            yj_json_kstr(&j, "type", value_kind(kind));
            yj_json_kbool(&j, "listed", total > 0);
            yj_json_kint(&j, "total", (int64_t)total);
            yj_json_key(&j, "hits");
            yj_json_arr(&j);
            for (size_t i = 0; i < shown; i++) {
                yj_json_obj(&j);
                yj_json_kstr(&j, "kind", yj_ioc_kind_name(hits[i].kind));
                yj_json_kstr(&j, "indicator", hits[i].indicator);
                yj_json_kstr(&j, "category", hits[i].category);
                yj_json_kstr(&j, "list", hits[i].list);
                yj_json_kstr(&j, "file", hits[i].file);
                yj_json_kint(&j, "line", hits[i].line);
                yj_json_end_obj(&j);
            }
            yj_json_end_arr(&j);
            yj_json_end_obj(&j);
            continue;
        }
        if (!total) {
            fprintf(cli->out, yj_t("ioc.check.clean"), argv[a]);
            fputc('\n', cli->out);
            continue;
        }
        fprintf(cli->out, yj_t("ioc.check.listed"), argv[a], total);
        fputc('\n', cli->out);
        for (size_t i = 0; i < shown; i++) {
            fprintf(cli->out, yj_t("ioc.check.hit"), hits[i].indicator,
                    or_dash(hits[i].category), hits[i].list, hits[i].file, hits[i].line);
            fputc('\n', cli->out);
        }
        if (total > shown) {
            fprintf(cli->out, yj_t("ioc.check.more"), total - shown);
            fputc('\n', cli->out);
        }
    }
    if (json) {
        yj_json_end_arr(&j);
        yj_json_end_obj(&j);
        yj_buf_addc(&b, '\n');
        yj_cli_print_json(cli, &b);
    } else {
        fprintf(cli->out, yj_t("ioc.check.loaded"), yj_ioc_set_count(set), yj_ioc_set_lists(set));
        fputc('\n', cli->out);
        yj_buf_fini(&b);
    }
    yj_ioc_set_free(set);
    return st;
}

static bool json_flag(struct yj_cli *cli, int argc, char **argv, const char *sub, bool *json,
                      int *st)
{
    *json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            *json = true;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            *st = yj_cli_usage(cli, "ioc", true);
            return false;
        } else {
            yj_cli_error(cli, yj_t("ioc.bad_extra"), argv[i], sub);
            *st = yj_cli_usage(cli, "ioc", false);
            return false;
        }
    }
    return true;
}

static int load_config(struct yj_cli *cli, struct yj_ioc_config *c)
{
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_ioc_config_load(c, cli->data_dir, &d);
    yj_cli_diag(cli, &d);
    yj_diag_fini(&d);
    if (err) {
        yj_ioc_config_fini(c);
        return YJ_EXIT_USAGE;
    }
    return YJ_EXIT_OK;
}

static void state_json(struct yj_json *j, const struct yj_ioc_feed_state *s)
{
    char t[YJ_ISO_LEN];
    yj_json_kbool(j, "have", s->have);
    if (s->have) {
        yj_time_iso(s->fetched, t);
        yj_json_kstr(j, "fetched", t);
        yj_time_iso(s->checked, t);
        yj_json_kstr(j, "checked", t);
        yj_json_kint(j, "entries", (int64_t)s->entries);
    }
}

/* The start of update and list: flags, configuration, an open JSON object. Returns -1 to
 * go on, else the exit status. */
static int begin(struct yj_cli *cli, int argc, char **argv, const char *sub, bool *json,
                 struct yj_ioc_config *c, struct yj_buf *b, struct yj_json *j)
{
    int st = 0;
    if (!json_flag(cli, argc, argv, sub, json, &st))
        return st;
    if ((st = load_config(cli, c)))
        return st;
    yj_buf_init(b, 1 << 20);
    yj_json_init(j, b, true);
    yj_json_obj(j);
    return -1;
}

/* The end: the JSON printed (or dropped) and the configuration freed. */
static void end(struct yj_cli *cli, bool json, struct yj_ioc_config *c, struct yj_buf *b,
                struct yj_json *j)
{
    yj_json_end_obj(j);
    if (json) {
        yj_buf_addc(b, '\n');
        yj_cli_print_json(cli, b);
    } else {
        yj_buf_fini(b);
    }
    yj_ioc_config_fini(c);
}

static int update(struct yj_cli *cli, int argc, char **argv)
{
    bool json;
    struct yj_ioc_config c;
    struct yj_buf b;
    struct yj_json j;
    int st = begin(cli, argc, argv, "update", &json, &c, &b, &j);
    if (st >= 0)
        return st;
    yj_json_key(&j, "feeds");
    yj_json_arr(&j);
    size_t failed = 0;
    for (size_t i = 0; i < c.nfeeds; i++) {
        const struct yj_ioc_source *f = &c.feeds[i];
        struct yj_ioc_update_result r;
        struct yj_diag d;
        yj_diag_init(&d);
        enum yj_err err = yj_ioc_update_feed(&c, f, cli->data_dir, &r, &d);
        yj_cli_diag(cli, &d);
        yj_diag_fini(&d);
        char t[YJ_ISO_LEN];
        yj_time_iso(r.state.fetched, t);
        if (err) {
            failed++;
            if (!json) {
                if (r.state.have)
                    fprintf(cli->out, yj_t("ioc.update.kept"), f->name, t, r.state.entries);
                else
                    fprintf(cli->out, yj_t("ioc.update.none"), f->name);
                fputc('\n', cli->out);
            }
        } else if (!json) {
            fprintf(cli->out,
                    yj_t(r.status == YJ_IOC_FETCH_UPDATED ? "ioc.update.updated"
                                                          : "ioc.update.unchanged"),
                    f->name, r.state.entries);
            fputc('\n', cli->out);
        }
        yj_json_obj(&j);
        yj_json_kstr(&j, "name", f->name);
        yj_json_kstr(&j, "url", f->url);
        yj_json_kstr(&j, "status", err ? "failed"
                                       : r.status == YJ_IOC_FETCH_UPDATED ? "updated"
                                                                          : "unchanged");
        yj_json_kint(&j, "http_status", r.http_status);
        state_json(&j, &r.state);
        yj_json_end_obj(&j);
    }
    yj_json_end_arr(&j);
    yj_json_kint(&j, "failed", (int64_t)failed);
    if (!json && !c.nfeeds)
        fprintf(cli->out, "%s\n", yj_t("ioc.update.no_feeds"));
    end(cli, json, &c, &b, &j);
    return failed ? YJ_EXIT_FAIL : YJ_EXIT_OK;
}

static int list(struct yj_cli *cli, int argc, char **argv)
{
    bool json;
    struct yj_ioc_config c;
    struct yj_buf b;
    struct yj_json j;
    int st = begin(cli, argc, argv, "list", &json, &c, &b, &j);
    if (st >= 0)
        return st;
    yj_json_kbool(&j, "default_feeds", c.feeds_default);
    yj_json_key(&j, "feeds");
    yj_json_arr(&j);
    if (!json)
        fprintf(cli->out, "%s\n", yj_t(c.feeds_default ? "ioc.list.feeds_default"
                                                       : "ioc.list.feeds"));
    for (size_t i = 0; i < c.nfeeds; i++) {
        const struct yj_ioc_source *f = &c.feeds[i];
        struct yj_ioc_feed_state s;
        yj_ioc_feed_state_read(cli->data_dir, f, &s);
        yj_json_obj(&j);
        yj_json_kstr(&j, "name", f->name);
        yj_json_kstr(&j, "url", f->url);
        yj_json_kstr(&j, "format", yj_ioc_format_name(f->format));
        state_json(&j, &s);
        yj_json_end_obj(&j);
        if (json)
            continue;
        fprintf(cli->out, "  %s  %s  (%s)\n", f->name, f->url, yj_ioc_format_name(f->format));
        if (s.have) {
            char t[YJ_ISO_LEN];
            yj_time_iso(s.fetched, t);
            fprintf(cli->out, yj_t("ioc.list.have"), t, s.entries);
        } else {
            fputs(yj_t("ioc.list.never"), cli->out);
        }
        fputc('\n', cli->out);
    }
    yj_json_end_arr(&j);
    yj_json_key(&j, "files");
    yj_json_arr(&j);
    if (!json && c.nfiles)
        fprintf(cli->out, "%s\n", yj_t("ioc.list.files"));
    for (size_t i = 0; i < c.nfiles; i++) {
        yj_json_obj(&j);
        yj_json_kstr(&j, "name", c.files[i].name);
        yj_json_kstr(&j, "path", c.files[i].path);
        yj_json_kstr(&j, "format", yj_ioc_format_name(c.files[i].format));
        yj_json_end_obj(&j);
        if (!json)
            fprintf(cli->out, "  %s  %s  (%s)\n", c.files[i].name, c.files[i].path,
                    yj_ioc_format_name(c.files[i].format));
    }
    yj_json_end_arr(&j);
    end(cli, json, &c, &b, &j);
    return YJ_EXIT_OK;
}

int yj_cmd_ioc(struct yj_cli *cli, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return yj_cli_usage(cli, "ioc", argc >= 2);
    if (strcmp(argv[1], "check") == 0)
        return check(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "update") == 0)
        return update(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "list") == 0)
        return list(cli, argc - 1, argv + 1);
    yj_cli_error(cli, yj_t("ioc.bad_sub"), argv[1]);
    return yj_cli_usage(cli, "ioc", false);
}
