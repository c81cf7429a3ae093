/* `yojin diagnose`: the 25-item self-diagnosis. Interactive on the terminal by default;
 * --answers FILE for a prepared file; --history and --combine read what is stored. */
#include <getopt.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/file.h"
#include "base/i18n.h"
#include "cli.h"
#include "report/report.h"

enum { OPT_ANSWERS = 1000, OPT_BANK, OPT_RESPONDENT, OPT_DEPARTMENT, OPT_JSON, OPT_HISTORY,
       OPT_COMBINE, OPT_NEW, OPT_NO_SAVE, OPT_HELP };

struct opts {
    const char *answers, *bank, *respondent, *department;
    bool json, history, combine, fresh, no_save;
};

#define MAX_ANSWERS_FILE ((size_t)1 << 20)

static void print_json_result(struct yj_cli *cli, const struct yj_report_input *in)
{
    struct yj_buf b;
    struct yj_json j;
    yj_buf_init(&b, 0);
    yj_json_init(&j, &b, true);
    yj_report_result_json(in, &j);
    fputs(yj_buf_cstr(&b), cli->out);
    yj_buf_fini(&b);
}

static const char *default_respondent(void)
{
    const char *u = getenv("USER");
    if (u && *u)
        return u;
    struct passwd *pw = getpwuid(getuid());
    return pw && pw->pw_name ? pw->pw_name : "-";
}

static int from_file(struct yj_cli *cli, const struct opts *o, const struct yj_bank *bank)
{
    char *p = NULL;
    size_t n = 0;
    struct yj_diag d;
    yj_diag_init(&d);
    d.max = 200;
    enum yj_err err;
    const char *name = o->answers;
    if (strcmp(o->answers, "-") == 0) {
        name = "<stdin>";
        err = yj_file_read("/dev/stdin", MAX_ANSWERS_FILE, &p, &n, &d);
    } else {
        err = yj_file_read(o->answers, MAX_ANSWERS_FILE, &p, &n, &d);
    }
    struct yj_answers ans;
    if (!err)
        err = yj_answers_parse(name, p, n, &ans, &d);
    free(p);
    yj_cli_diag(cli, &d);
    yj_diag_fini(&d);
    if (err)
        return err == YJ_ERR_IO ? YJ_EXIT_FAIL : YJ_EXIT_USAGE;

    const char *respondent = o->respondent ? o->respondent : default_respondent();
    const char *department = o->department ? o->department : "";
    yj_diag_init(&d);
    if (yj_assess_check_name(yj_t("diag.respondent"), respondent, &d) ||
        yj_assess_check_name(yj_t("diag.department"), department, &d)) {
        yj_cli_diag(cli, &d);
        yj_diag_fini(&d);
        return YJ_EXIT_USAGE;
    }
    yj_diag_fini(&d);

    struct yj_result r, prev;
    yj_assess_score(bank, &ans, &r);
    bool have_prev = false;
    struct yj_store *s = NULL;
    int status = YJ_EXIT_FAIL;
    struct yj_diagnosis_list latest = {0};
    /* The change is measured against the department's latest stored diagnosis before this
     * one (also with --no-save, which only skips storing). */
    int64_t id = 0;
    if (yj_cli_store(cli, &s))
        goto out;
    if ((!o->no_save && yj_assess_save(s, &r, respondent, department, &id)) ||
        yj_assess_latest(s, id, &latest)) {
        yj_cli_error(cli, yj_t("cli.db_error"), yj_store_errmsg(s));
        goto out;
    }
    for (size_t i = 0; i < latest.n; i++) {
        if (strcmp(latest.v[i].department, department) == 0) {
            yj_assess_score(bank, &latest.v[i].answers, &prev);
            have_prev = true;
        }
    }
    struct yj_report_input in = {.bank = bank, .result = &r, .prev = have_prev ? &prev : NULL,
                                 .lang = cli->lang};
    if (o->json)
        print_json_result(cli, &in);
    else
        yj_cli_print_result(cli, &in);
    status = YJ_EXIT_OK;
out:
    yj_diagnosis_list_fini(&latest);
    yj_store_close(s);
    return status;
}

static int history(struct yj_cli *cli, const struct opts *o, const struct yj_bank *bank)
{
    struct yj_store *s;
    if (yj_cli_store(cli, &s))
        return YJ_EXIT_FAIL;
    struct yj_diagnosis_list l;
    if (yj_assess_history(s, &l)) {
        yj_cli_error(cli, yj_t("cli.db_error"), yj_store_errmsg(s));
        yj_store_close(s);
        return YJ_EXIT_FAIL;
    }
    if (o->json) {
        struct yj_buf b;
        struct yj_json j;
        yj_buf_init(&b, 0);
        yj_json_init(&j, &b, true);
        yj_report_history_json(bank, &l, &j);
        fputs(yj_buf_cstr(&b), cli->out);
        yj_buf_fini(&b);
    } else if (l.n == 0) {
        fprintf(cli->out, "%s\n", yj_t("diag.history_empty"));
    } else {
        fprintf(cli->out, "%s\n", yj_t("diag.history_head"));
    }
    for (size_t i = 0; !o->json && i < l.n; i++) {
        const struct yj_diagnosis *x = &l.v[i];
        struct yj_result r;
        yj_assess_score(bank, &x->answers, &r);
        char day[YJ_DATE_LEN] = "";
        int64_t t;
        if (x->finished_at && yj_time_parse_iso(x->finished_at, &t))
            yj_time_local_date(t, day);
        struct yj_buf range;
        yj_buf_init(&range, 128);
        yj_report_band_range(r.band, cli->lang, &range);
        fprintf(cli->out, "%4lld  %s  %4d  %-14s %s / %s\n", (long long)x->id, day, x->total,
                yj_buf_cstr(&range), yj_report_department(x->department, cli->lang),
                x->respondent);
        yj_buf_fini(&range);
    }
    yj_diagnosis_list_fini(&l);
    yj_store_close(s);
    return YJ_EXIT_OK;
}

static int combine(struct yj_cli *cli, const struct opts *o, const struct yj_bank *bank)
{
    struct yj_store *s;
    if (yj_cli_store(cli, &s))
        return YJ_EXIT_FAIL;
    struct yj_company_result cr;
    int status = YJ_EXIT_FAIL;
    if (yj_assess_company(s, bank, &cr)) {
        yj_cli_error(cli, yj_t("cli.db_error"), yj_store_errmsg(s));
        goto out;
    }
    if (!cr.found) {
        yj_cli_error(cli, "%s", yj_t("report.nothing"));
        goto out;
    }
    struct yj_report_input in = {.bank = bank, .result = &cr.now,
                                 .prev = cr.prev_found ? &cr.prev : NULL,
                                 .combined = cr.combined, .sources = &cr.sources,
                                 .lang = cli->lang};
    if (o->json) {
        print_json_result(cli, &in);
    } else {
        if (!cr.combined)
            fprintf(cli->out, "%s\n\n", yj_t("diag.combine_single"));
        yj_cli_print_result(cli, &in);
    }
    status = YJ_EXIT_OK;
out:
    yj_company_result_fini(&cr);
    yj_store_close(s);
    return status;
}

int yj_cmd_diagnose(struct yj_cli *cli, int argc, char **argv)
{
    static const struct option lopts[] = {
        {"answers", required_argument, NULL, OPT_ANSWERS},
        {"bank", required_argument, NULL, OPT_BANK},
        {"respondent", required_argument, NULL, OPT_RESPONDENT},
        {"department", required_argument, NULL, OPT_DEPARTMENT},
        {"json", no_argument, NULL, OPT_JSON},
        {"history", no_argument, NULL, OPT_HISTORY},
        {"combine", no_argument, NULL, OPT_COMBINE},
        {"new", no_argument, NULL, OPT_NEW},
        {"no-save", no_argument, NULL, OPT_NO_SAVE},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    struct opts o = {0};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
        switch (c) {
        case OPT_ANSWERS: o.answers = optarg; break;
        case OPT_BANK: o.bank = optarg; break;
        case OPT_RESPONDENT: o.respondent = optarg; break;
        case OPT_DEPARTMENT: o.department = optarg; break;
        case OPT_JSON: o.json = true; break;
        case OPT_HISTORY: o.history = true; break;
        case OPT_COMBINE: o.combine = true; break;
        case OPT_NEW: o.fresh = true; break;
        case OPT_NO_SAVE: o.no_save = true; break;
        case OPT_HELP:
        case 'h': return yj_cli_usage(cli, "diagnose", true);
        default:
            yj_cli_error(cli, yj_t("cli.bad_option"), argv[optind - 1]);
            return yj_cli_usage(cli, "diagnose", false);
        }
    }
    if (optind < argc) {
        yj_cli_error(cli, yj_t("cli.extra_arg"), argv[optind]);
        return yj_cli_usage(cli, "diagnose", false);
    }
    int modes = (o.answers != NULL) + o.history + o.combine;
    if (modes > 1) {
        yj_cli_error(cli, "%s", yj_t("diag.modes_exclusive"));
        return yj_cli_usage(cli, "diagnose", false);
    }
    if (o.no_save && !o.answers) {
        yj_cli_error(cli, "%s", yj_t("diag.no_save_needs_answers"));
        return YJ_EXIT_USAGE;
    }
    if (o.json && modes == 0) {
        yj_cli_error(cli, "%s", yj_t("diag.json_needs_mode"));
        return YJ_EXIT_USAGE;
    }

    struct yj_bank bank;
    if (yj_cli_bank(cli, o.bank, &bank))
        return YJ_EXIT_USAGE;
    int status;
    if (o.answers) {
        status = from_file(cli, &o, &bank);
    } else if (o.history) {
        status = history(cli, &o, &bank);
    } else if (o.combine) {
        status = combine(cli, &o, &bank);
    } else {
        struct yj_store *s;
        if (yj_cli_store(cli, &s)) {
            status = YJ_EXIT_FAIL;
        } else {
            status = yj_cli_diagnose_tty(cli, s, &bank, o.respondent, o.department, o.fresh);
            yj_store_close(s);
        }
    }
    yj_bank_fini(&bank);
    return status;
}
