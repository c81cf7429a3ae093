/* `yojin report -o FILE.html`: the printable report of the company's current result. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/i18n.h"
#include "cli.h"
#include "org/org.h"
#include "report/report.h"

enum { OPT_BANK = 1000, OPT_HELP };

int yj_cmd_report(struct yj_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"bank", required_argument, NULL, OPT_BANK},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    const char *out_path = NULL, *bank_path = NULL;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out_path = optarg; break;
        case OPT_BANK: bank_path = optarg; break;
        case OPT_HELP:
        case 'h': return yj_cli_usage(cli, "report", true);
        default:
            yj_cli_error(cli, yj_t("cli.bad_option"), argv[optind - 1]);
            return yj_cli_usage(cli, "report", false);
        }
    }
    if (optind < argc) {
        yj_cli_error(cli, yj_t("cli.extra_arg"), argv[optind]);
        return yj_cli_usage(cli, "report", false);
    }
    if (!out_path) {
        yj_cli_error(cli, "%s", yj_t("report.need_output"));
        return yj_cli_usage(cli, "report", false);
    }

    struct yj_bank bank;
    if (yj_cli_bank(cli, bank_path, &bank))
        return YJ_EXIT_USAGE;
    int status = YJ_EXIT_FAIL;
    struct yj_store *s = NULL;
    struct yj_org org = {0};
    struct yj_company_result cr = {0};
    struct yj_diagnosis_list hist = {0};
    struct yj_buf html;
    yj_buf_init(&html, (size_t)16 << 20);
    if (yj_cli_store(cli, &s))
        goto out;
    if (yj_org_load(s, &org) || yj_assess_company(s, &bank, &cr) ||
        yj_assess_history(s, &hist)) {
        yj_cli_error(cli, yj_t("cli.db_error"), yj_store_errmsg(s));
        goto out;
    }
    if (!cr.found) {
        yj_cli_error(cli, "%s", yj_t("report.nothing"));
        goto out;
    }
    char today[YJ_DATE_LEN];
    yj_time_local_date(yj_now(), today);
    struct yj_report_input in = {
        .bank = &bank,
        .result = &cr.now,
        .prev = cr.prev_found ? &cr.prev : NULL,
        .combined = cr.combined,
        .sources = &cr.sources,
        .history = &hist,
        .company = org.name ? org.name : "",
        .date = today,
        .lang = cli->lang,
    };
    yj_report_html(&in, &html);
    if (yj_buf_err(&html)) {
        yj_cli_error(cli, "%s", yj_t(yj_err_key(yj_buf_err(&html))));
        goto out;
    }
    if (yj_cli_write(cli, out_path, html.p, html.len))
        goto out;
    if (strcmp(out_path, "-") != 0)
        fprintf(cli->out, yj_t("report.written"), out_path);
    status = YJ_EXIT_OK;
out:
    yj_buf_fini(&html);
    yj_diagnosis_list_fini(&hist);
    yj_company_result_fini(&cr);
    yj_org_fini(&org);
    yj_store_close(s);
    yj_bank_fini(&bank);
    return status;
}
