/* `yojin action`: SECURITY ACTION readiness from what is stored. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/file.h"
#include "base/i18n.h"
#include "cli.h"
#include "org/org.h"
#include "report/report.h"

enum { OPT_JSON = 1000, OPT_BANK, OPT_HELP };

static void print_text(struct yj_cli *cli, const struct yj_action_facts *f,
                       const struct yj_action_status *st, const struct yj_org *org)
{
    FILE *o = cli->out;
    fprintf(o, "%s\n\n", yj_t("action.head"));
    fprintf(o, "%s %s\n", yj_t("action.one_star"),
            st->one_star ? yj_t("action.ready") : yj_t("action.not_ready"));
    if (!st->have_diagnosis)
        fprintf(o, "  %s\n", yj_t("action.no_diagnosis"));
    for (int i = 0; i < YJ_PRINCIPLES; i++) {
        fprintf(o, "  [%s] %d. %s", st->principle_ok[i] ? "x" : " ", f->p[i].num,
                yj_text_get(&f->p[i].title, yj_lang_get()));
        if (st->have_diagnosis)
            fprintf(o, " (Q%02d: %s)", f->p[i].item + 1,
                    yj_answer_label(st->principle_answer[i]));
        fputc('\n', o);
    }
    if (st->have_diagnosis && !st->one_star)
        fprintf(o, "  %s\n", yj_t("action.one_star_todo"));
    fprintf(o, "\n%s %s\n", yj_t("action.two_star"),
            st->two_star ? yj_t("action.ready") : yj_t("action.not_ready"));
    fprintf(o, "  [%s] %s\n", st->have_diagnosis ? "x" : " ", yj_t("action.req_diagnosis"));
    fprintf(o, "  [%s] %s", st->have_policy ? "x" : " ", yj_t("action.req_policy"));
    if (org->policy_date && *org->policy_date)
        fprintf(o, " (%s)", org->policy_date);
    fputc('\n', o);
    fprintf(o, "  [%s] %s", st->policy_published ? "x" : " ", yj_t("action.req_published"));
    if (st->policy_published)
        fprintf(o, " (%s)", org->policy_url);
    fputc('\n', o);
    if (!st->have_diagnosis)
        fprintf(o, "  -> %s\n", yj_t("action.todo_diagnosis"));
    if (!st->have_policy || !st->policy_published)
        fprintf(o, "  -> %s\n", yj_t("action.todo_policy"));
    fprintf(o, "\n%s\n%s\n", yj_t("action.declaration"), yj_t("action.prepare"));
    fprintf(o, "(%s %s, %s)\n", yj_t("report.source"), f->source, f->as_of);
}

static void print_json(struct yj_cli *cli, const struct yj_action_facts *f,
                       const struct yj_action_status *st, const struct yj_org *org)
{
    struct yj_buf b;
    struct yj_json j;
    yj_buf_init(&b, 0);
    yj_json_init(&j, &b, true);
    yj_report_action_json(f, st, org->policy_url, cli->lang, &j);
    fputs(yj_buf_cstr(&b), cli->out);
    yj_buf_fini(&b);
}

int yj_cmd_action(struct yj_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, OPT_JSON},
        {"bank", required_argument, NULL, OPT_BANK},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    bool json = false;
    const char *bank_path = NULL;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_JSON: json = true; break;
        case OPT_BANK: bank_path = optarg; break;
        case OPT_HELP:
        case 'h': return yj_cli_usage(cli, "action", true);
        default:
            yj_cli_error(cli, yj_t("cli.bad_option"), argv[optind - 1]);
            return yj_cli_usage(cli, "action", false);
        }
    }
    if (optind < argc) {
        yj_cli_error(cli, yj_t("cli.extra_arg"), argv[optind]);
        return yj_cli_usage(cli, "action", false);
    }

    struct yj_bank bank;
    if (yj_cli_bank(cli, bank_path, &bank))
        return YJ_EXIT_USAGE;
    struct yj_action_facts facts;
    struct yj_diag d;
    yj_diag_init(&d);
    char *path = yj_share_path("assess/action.yaml");
    enum yj_err err = yj_action_load(&facts, path, &d);
    free(path);
    yj_cli_diag(cli, &d);
    yj_diag_fini(&d);
    if (err) {
        yj_bank_fini(&bank);
        return YJ_EXIT_FAIL;
    }
    int status = YJ_EXIT_FAIL;
    struct yj_store *s = NULL;
    struct yj_org org = {0};
    struct yj_company_result cr = {0};
    if (yj_cli_store(cli, &s))
        goto out;
    if (yj_org_load(s, &org) || yj_assess_company(s, &bank, &cr)) {
        yj_cli_error(cli, yj_t("cli.db_error"), yj_store_errmsg(s));
        goto out;
    }
    struct yj_action_status st;
    yj_action_assess(&facts, cr.found ? &cr.now : NULL, yj_org_has_policy(&org), org.policy_url, &st);
    if (json)
        print_json(cli, &facts, &st, &org);
    else
        print_text(cli, &facts, &st, &org);
    status = YJ_EXIT_OK;
out:
    yj_company_result_fini(&cr);
    yj_org_fini(&org);
    yj_store_close(s);
    yj_action_fini(&facts);
    yj_bank_fini(&bank);
    return status;
}
