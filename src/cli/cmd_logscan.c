/* `yojin logscan FILE... [--eve OUT] [--json] [--notify] [--store]`: log files analysed offline by host/'s
 * parsers and detectors. The text summary (or --json) goes to stdout; --eve writes every
 * auth event and alert as EVE JSON lines while the files are read. A file that cannot be
 * read is named on stderr and makes the exit status 1; the others are still scanned.
 * --notify sends the alerts after the results are printed (cmd_notify.c); a sending
 * failure makes the exit status 1. --store records them for the console (store_alerts.c),
 * before any sending. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/file.h"
#include "base/i18n.h"
#include "cli.h"
#include "event/event.h"
#include "host/host.h"

enum { OPT_EVE = 1000, OPT_JSON, OPT_YEAR, OPT_CONFIG, OPT_NOTIFY, OPT_STORE, OPT_HELP };

struct eve_sink {
    FILE *f;
    struct yj_buf b;
};

static void eve_emit(void *ctx, const struct yj_event *ev)
{
    struct eve_sink *e = ctx;
    yj_buf_reset(&e->b);
    yj_eve_write(&e->b, ev);
    if (!yj_buf_err(&e->b))
        fwrite(e->b.p, 1, e->b.len, e->f);
}

struct file_result {
    const char *path;
    struct yj_host_file_stats st;
    bool failed;
};

static void print_json(struct yj_cli *cli, const struct file_result *files, size_t nfiles,
                       const struct yj_host_detect *det)
{
    struct yj_buf b;
    struct yj_json j;
    yj_buf_init(&b, (size_t)256 << 20);
    yj_json_init(&j, &b, true);
    yj_json_obj(&j);
    yj_json_key(&j, "files");
    yj_json_arr(&j);
    uint64_t events = 0;
    for (size_t i = 0; i < nfiles; i++) {
        const struct file_result *f = &files[i];
        yj_json_obj(&j);
        yj_json_kstr(&j, "file", f->path);
        yj_json_kbool(&j, "ok", !f->failed);
        yj_json_kint(&j, "lines", (int64_t)f->st.lines);
        yj_json_kint(&j, "events", (int64_t)f->st.events);
        yj_json_kint(&j, "skipped", (int64_t)f->st.skipped);
        yj_json_kint(&j, "too_long", (int64_t)f->st.toolong);
        yj_json_kint(&j, "web_errors", (int64_t)f->st.weberr);
        yj_json_kint(&j, "drops", (int64_t)f->st.drops);
        yj_json_end_obj(&j);
        events += f->st.events;
    }
    yj_json_end_arr(&j);
    yj_json_kint(&j, "events", (int64_t)events);
    size_t n;
    const struct yj_host_alert *al = yj_host_detect_alerts(det, &n);
    yj_json_key(&j, "alerts");
    yj_json_arr(&j);
    for (size_t i = 0; i < n; i++) {
        const struct yj_host_alert *a = &al[i];
        const struct yj_host_sig_info *si = yj_host_sig_info(a->sig);
        char summary[512], first[YJ_ISO_LEN], last[YJ_ISO_LEN];
        yj_host_alert_summary(a, cli->lang, summary, sizeof summary);
        yj_time_iso(a->first, first);
        yj_time_iso(a->last, last);
        yj_json_obj(&j);
        yj_json_kint(&j, "signature_id", si->id);
        yj_json_kstr(&j, "code", si->code);
        yj_json_kstr(&j, "signature", yj_host_alert_name(a, cli->lang));
        yj_json_kstr(&j, "category", si->category);
        yj_json_kint(&j, "severity", si->severity);
        yj_json_kstr(&j, "src_ip", a->ip[0] ? a->ip : NULL);
        yj_json_kstr(&j, "user", a->user);
        yj_json_kint(&j, "count", (int64_t)a->count);
        yj_json_kstr(&j, "first", first);
        yj_json_kstr(&j, "last", last);
        yj_json_kstr(&j, "summary", summary);
        yj_json_kstr(&j, "advice", yj_host_alert_advice(a, cli->lang));
        yj_json_kstr(&j, "playbook", si->playbook);
        yj_json_end_obj(&j);
    }
    yj_json_end_arr(&j);
    struct yj_host_detect_stats ds = yj_host_detect_stats(det);
    yj_json_key(&j, "dropped");
    yj_json_obj(&j);
    yj_json_kint(&j, "sources", (int64_t)ds.sources_dropped);
    yj_json_kint(&j, "users", (int64_t)ds.users_dropped);
    yj_json_kint(&j, "alerts", (int64_t)ds.alerts_dropped);
    yj_json_end_obj(&j);
    yj_json_end_obj(&j);
    yj_buf_addc(&b, '\n');
    yj_cli_print_json(cli, &b);
}

static void print_text(struct yj_cli *cli, const struct file_result *files, size_t nfiles,
                       const struct yj_host_detect *det)
{
    FILE *o = cli->out;
    unsigned long long events = 0;
    for (size_t i = 0; i < nfiles; i++) {
        const struct yj_host_file_stats *st = &files[i].st;
        fprintf(o, yj_t("logscan.file"), files[i].path, (unsigned long long)st->lines,
                (unsigned long long)st->events, (unsigned long long)st->skipped,
                (unsigned long long)st->toolong);
        fputc('\n', o);
        if (st->weberr) {
            fprintf(o, yj_t("logscan.web_errors"), (unsigned long long)st->weberr);
            fputc('\n', o);
        }
        if (st->drops) {
            fprintf(o, yj_t("logscan.drops"), (unsigned long long)st->drops);
            fputc('\n', o);
        }
        events += st->events;
    }
    fprintf(o, yj_t("logscan.events"), events);
    fputc('\n', o);
    size_t n;
    const struct yj_host_alert *al = yj_host_detect_alerts(det, &n);
    if (!n) {
        fprintf(o, "%s\n", yj_t("logscan.no_alerts"));
    } else {
        fprintf(o, yj_t("logscan.alerts"), (unsigned long long)n);
        fputc('\n', o);
    }
    for (size_t i = 0; i < n; i++) {
        const struct yj_host_alert *a = &al[i];
        const struct yj_host_sig_info *si = yj_host_sig_info(a->sig);
        char summary[512], first[YJ_ISO_LEN], last[YJ_ISO_LEN], when[160];
        yj_host_alert_summary(a, cli->lang, summary, sizeof summary);
        yj_time_iso(a->first, first);
        yj_time_iso(a->last, last);
        snprintf(when, sizeof when, yj_t("logscan.when"), (unsigned long long)a->count, first,
                 last);
        yj_cli_print_alert(o, si->severity, si->code, yj_host_alert_name(a, cli->lang), summary,
                           when, yj_host_alert_advice(a, cli->lang), si->playbook);
    }
    struct yj_host_detect_stats ds = yj_host_detect_stats(det);
    if (ds.sources_dropped || ds.users_dropped || ds.alerts_dropped) {
        fputc('\n', o);
        fprintf(o, yj_t("logscan.dropped"), (unsigned long long)ds.sources_dropped,
                (unsigned long long)ds.users_dropped, (unsigned long long)ds.alerts_dropped);
        fputc('\n', o);
    }
}

static bool load_config(struct yj_cli *cli, const char *path, struct yj_host_config *c)
{
    char *shipped = path ? NULL : yj_share_path("host/detect.yaml");
    struct yj_diag d;
    yj_diag_init(&d);
    yj_host_config_default(c);
    enum yj_err err = yj_host_config_load(c, path ? path : shipped, &d);
    yj_cli_diag(cli, &d);
    yj_diag_fini(&d);
    free(shipped);
    return err == YJ_ERR_OK;
}

int yj_cmd_logscan(struct yj_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"eve", required_argument, NULL, OPT_EVE},
        {"json", no_argument, NULL, OPT_JSON},
        {"year", required_argument, NULL, OPT_YEAR},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"notify", no_argument, NULL, OPT_NOTIFY},
        {"store", no_argument, NULL, OPT_STORE},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    const char *eve_path = NULL, *config = NULL;
    bool json = false, notify = false, store = false;
    long year = 0;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_EVE: eve_path = optarg; break;
        case OPT_JSON: json = true; break;
        case OPT_CONFIG: config = optarg; break;
        case OPT_NOTIFY: notify = true; break;
        case OPT_STORE: store = true; break;
        case OPT_YEAR:
            if (!yj_str_to_long(yj_str_c(optarg), &year) || year < 1970 || year > 9999) {
                yj_cli_error(cli, yj_t("logscan.bad_year"), optarg);
                return yj_cli_usage(cli, "logscan", false);
            }
            break;
        case OPT_HELP:
        case 'h': return yj_cli_usage(cli, "logscan", true);
        default:
            yj_cli_error(cli, yj_t("cli.bad_option"), argv[optind - 1]);
            return yj_cli_usage(cli, "logscan", false);
        }
    }
    if (optind >= argc) {
        yj_cli_error(cli, "%s", yj_t("logscan.need_file"));
        return yj_cli_usage(cli, "logscan", false);
    }
    struct yj_host_config cfg;
    if (!load_config(cli, config, &cfg))
        return YJ_EXIT_USAGE;

    struct eve_sink eve = {0};
    if (eve_path) {
        eve.f = strcmp(eve_path, "-") == 0 ? cli->out : fopen(eve_path, "w");
        if (!eve.f) {
            yj_cli_error(cli, yj_t("logscan.eve_open"), eve_path, strerror(errno));
            return YJ_EXIT_FAIL;
        }
        yj_buf_init(&eve.b, (size_t)1 << 20);
    }
    int status = YJ_EXIT_OK;
    struct yj_host_detect *det = yj_host_detect_new(&cfg);
    struct yj_host_scan scan;
    yj_host_scan_init(&scan, det, cli->lang);
    scan.year = (int)year;
    if (eve.f) {
        scan.emit = eve_emit;
        scan.ctx = &eve;
    }
    size_t nfiles = (size_t)(argc - optind);
    struct file_result *files = yj_xcalloc(nfiles, sizeof *files);
    for (size_t i = 0; i < nfiles; i++) {
        files[i].path = argv[optind + (int)i];
        struct yj_diag d;
        yj_diag_init(&d);
        if (yj_host_scan_file(&scan, files[i].path, &files[i].st, &d)) {
            files[i].failed = true;
            status = YJ_EXIT_FAIL;
        }
        yj_cli_diag(cli, &d);
        yj_diag_fini(&d);
    }
    if (eve.f) {
        if (fflush(eve.f) != 0 || ferror(eve.f)) {
            yj_cli_error(cli, yj_t("logscan.eve_open"), eve_path, strerror(errno));
            status = YJ_EXIT_FAIL;
        }
        if (eve.f != cli->out && fclose(eve.f) != 0) {
            yj_cli_error(cli, yj_t("logscan.eve_open"), eve_path, strerror(errno));
            status = YJ_EXIT_FAIL;
        }
        yj_buf_fini(&eve.b);
    }
    if (json)
        print_json(cli, files, nfiles, det);
    else
        print_text(cli, files, nfiles, det);
    if (store) {
        fflush(cli->out);
        int ss = yj_cli_store_host(cli, det, json ? cli->err : cli->out);
        if (ss > status)
            status = ss;
    }
    if (notify) {
        fflush(cli->out);
        int ns = yj_cli_notify_host(cli, det, json ? cli->err : cli->out);
        if (ns > status)
            status = ns;
    }
    free(files);
    yj_host_scan_fini(&scan);
    yj_host_detect_free(det);
    return status;
}
