/* `yojin collect [-o FILE] [--days N] [--json]`: evidence of this machine in one archive.
 * `yojin collect --verify FILE [--json]`: checks such an archive against its manifest.
 *
 * The engine (src/evidence) does the work and returns what it did; this file renders it:
 * what was collected, what was not and why, where the archive is and its SHA-256, and a
 * reminder of how to treat evidence. Exit status: 0 done / archive intact, 1 failure /
 * archive changed or unreadable, 2 bad usage. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/file.h"
#include "base/i18n.h"
#include "cli.h"
#include "evidence/evidence.h"

enum { OPT_VERIFY = 1000, OPT_DAYS, OPT_JSON, OPT_HELP };

static void print_skips(struct yj_cli *cli, const struct yj_evidence_result *r)
{
    FILE *o = cli->out;
    fprintf(o, "%s\n", yj_t("collect.skipped_head"));
    if (r->n_skips == 0)
        fprintf(o, "  %s\n", yj_t("collect.skipped_none"));
    for (size_t i = 0; i < r->n_skips; i++) {
        const struct yj_evidence_skip *s = &r->skips[i];
        fprintf(o, "  - %s", yj_t(yj_ev_area_text_id(s->area)));
        if (s->subject)
            fprintf(o, " %s", s->subject);
        fprintf(o, ": %s", yj_t(yj_ev_why_text_id(s->why)));
        if (s->detail)
            fprintf(o, yj_t("collect.skip_detail"), s->detail);
        if (s->count > 1)
            fprintf(o, yj_t("collect.skip_count"), s->count);
        fputc('\n', o);
    }
    if (r->skips_dropped) {
        fputs("  ", o);
        fprintf(o, yj_t("collect.skips_more"), r->skips_dropped);
    }
}

static void print_text(struct yj_cli *cli, const struct yj_evidence_result *r)
{
    FILE *o = cli->out;
    const struct yj_evidence_counts *n = &r->counts;
    char iso[YJ_ISO_LEN];
    yj_time_iso(r->started, iso);
    fprintf(o, "%s\n\n%s\n", yj_t("collect.done"), yj_t("collect.collected_head"));
    fprintf(o, yj_t("collect.line.time"), iso, r->clocksource ? r->clocksource : "-");
    fprintf(o, yj_t("collect.line.host"), r->host, r->os ? r->os : "-");
    fprintf(o, yj_t("collect.line.users"), n->users_logged_in, n->login_records,
            n->failed_login_records);
    fprintf(o, yj_t("collect.line.processes"), n->processes, n->exe_hashed, n->exe_deleted);
    fprintf(o, yj_t("collect.line.network"), n->sockets, n->listening, n->established);
    fprintf(o, yj_t("collect.line.scheduled"), n->scheduled_files, n->timers);
    fprintf(o, yj_t("collect.line.files"), r->days, n->recent_files, n->files_visited);
    fprintf(o, yj_t("collect.line.logs"), n->logs);
    fprintf(o, yj_t("collect.line.entries"), r->n_items + 1); /* + the manifest */
    fputc('\n', o);
    print_skips(cli, r);
    if (!r->root)
        fprintf(o, "%s\n", yj_t("collect.not_root"));
    fputc('\n', o);
    fprintf(o, yj_t("collect.archive"), r->path);
    fprintf(o, yj_t("collect.sha256"), r->sha256);
    fprintf(o, "\n%s", yj_t("collect.reminder"));
}

static void print_json_result(struct yj_cli *cli, const struct yj_evidence_result *r)
{
    struct yj_buf b;
    struct yj_json j;
    yj_buf_init(&b, 0);
    yj_json_init(&j, &b, true);
    yj_evidence_result_json(r, &j, true);
    fputs(yj_buf_cstr(&b), cli->out);
    yj_buf_fini(&b);
}

static int collect(struct yj_cli *cli, const char *out_path, int days, bool json)
{
    struct yj_evidence_opts opts = {.output = out_path, .days = days};
    char *dir = NULL;
    struct yj_diag d;
    yj_diag_init(&d);
    if (!out_path) {
        if (asprintf(&dir, "%s/evidence", cli->data_dir) < 0)
            yj_oom();
        if (yj_mkdir_p(dir, 0700, &d) != YJ_ERR_OK) {
            yj_cli_diag(cli, &d);
            yj_diag_fini(&d);
            free(dir);
            return YJ_EXIT_FAIL;
        }
        opts.output_dir = dir;
    }
    struct yj_evidence_result r;
    yj_evidence_result_init(&r);
    enum yj_err err = yj_evidence_collect(&opts, &r, &d);
    yj_cli_diag(cli, &d);
    yj_diag_fini(&d);
    int status = YJ_EXIT_FAIL;
    if (err) {
        yj_cli_error(cli, "%s", yj_t("collect.failed"));
        if (err == YJ_ERR_INVALID)
            status = YJ_EXIT_USAGE;
    } else {
        if (json)
            print_json_result(cli, &r);
        else
            print_text(cli, &r);
        status = YJ_EXIT_OK;
    }
    yj_evidence_result_fini(&r);
    free(dir);
    return status;
}

static int verify(struct yj_cli *cli, const char *path, bool json)
{
    struct yj_evidence_check c;
    yj_evidence_check_init(&c);
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_evidence_verify(path, &c, &d);
    yj_cli_diag(cli, &d);
    yj_diag_fini(&d);
    if (err) {
        yj_cli_error(cli, yj_t("collect.verify_failed"), path);
        yj_evidence_check_fini(&c);
        return YJ_EXIT_FAIL;
    }
    if (json) {
        struct yj_buf b;
        struct yj_json j;
        yj_buf_init(&b, 0);
        yj_json_init(&j, &b, true);
        yj_evidence_check_json(&c, &j);
        fputs(yj_buf_cstr(&b), cli->out);
        yj_buf_fini(&b);
    } else if (c.ok) {
        fprintf(cli->out, yj_t("collect.verify_ok"), path, c.entries - 1);
        fprintf(cli->out, yj_t("collect.sha256"), c.sha256);
    } else {
        fprintf(cli->out, yj_t("collect.verify_bad"), path);
        for (size_t i = 0; i < c.n; i++) {
            const struct yj_evidence_problem *p = &c.v[i];
            char *what = NULL;
            if (p->kind == YJ_EV_PROBLEM_MANIFEST && p->line) {
                if (asprintf(&what, "%s:%u: %s", p->name, p->line, p->msg ? p->msg : "") < 0)
                    yj_oom();
            } else if (p->kind == YJ_EV_PROBLEM_MANIFEST) {
                if (asprintf(&what, "%s: %s", p->name, p->msg ? p->msg : "") < 0)
                    yj_oom();
            }
            fputs("  - ", cli->out);
            fprintf(cli->out, yj_t(yj_ev_problem_text_id(p->kind)), what ? what : p->name);
            fputc('\n', cli->out);
            free(what);
        }
        if (c.dropped)
            fprintf(cli->out, yj_t("collect.problems_more"), c.dropped);
        fprintf(cli->out, yj_t("collect.sha256"), c.sha256);
        fprintf(cli->out, "%s\n", yj_t("collect.verify_advice"));
    }
    int status = c.ok ? YJ_EXIT_OK : YJ_EXIT_FAIL;
    yj_evidence_check_fini(&c);
    return status;
}

int yj_cmd_collect(struct yj_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"verify", required_argument, NULL, OPT_VERIFY},
        {"days", required_argument, NULL, OPT_DAYS},
        {"json", no_argument, NULL, OPT_JSON},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    const char *out_path = NULL, *verify_path = NULL, *days_arg = NULL;
    bool json = false;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out_path = optarg; break;
        case OPT_VERIFY: verify_path = optarg; break;
        case OPT_DAYS: days_arg = optarg; break;
        case OPT_JSON: json = true; break;
        case OPT_HELP:
        case 'h': return yj_cli_usage(cli, "collect", true);
        default:
            yj_cli_error(cli, yj_t("cli.bad_option"), argv[optind - 1]);
            return yj_cli_usage(cli, "collect", false);
        }
    }
    if (optind < argc) {
        yj_cli_error(cli, yj_t("cli.extra_arg"), argv[optind]);
        return yj_cli_usage(cli, "collect", false);
    }
    if (verify_path && (out_path || days_arg)) {
        yj_cli_error(cli, "%s", yj_t("collect.verify_alone"));
        return yj_cli_usage(cli, "collect", false);
    }
    if (verify_path && !verify_path[0]) {
        yj_cli_error(cli, "%s", yj_t("collect.need_file"));
        return yj_cli_usage(cli, "collect", false);
    }
    if (verify_path)
        return verify(cli, verify_path, json);

    int days = YJ_EV_DEFAULT_DAYS;
    if (days_arg) {
        long v;
        if (!yj_str_to_long(yj_str_c(days_arg), &v) || v < 1 || v > YJ_EV_MAX_DAYS) {
            yj_cli_error(cli, yj_t("collect.bad_days"), days_arg, YJ_EV_MAX_DAYS);
            return yj_cli_usage(cli, "collect", false);
        }
        days = (int)v;
    }
    if (out_path && (!out_path[0] || strcmp(out_path, "-") == 0)) {
        yj_cli_error(cli, "%s", yj_t("collect.need_file"));
        return yj_cli_usage(cli, "collect", false);
    }
    return collect(cli, out_path, days, json);
}
