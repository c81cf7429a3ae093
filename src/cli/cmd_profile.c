/* `yojin profile`: show or change the company profile. Options are generated from the
 * profile's field table, so every field can be set and none is forgotten in --help. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "cli.h"
#include "org/org.h"

enum { OPT_JSON = 1000, OPT_HELP };

int yj_cmd_profile(struct yj_cli *cli, int argc, char **argv)
{
    struct option opts[YJ_ORG__COUNT + 3];
    char names[YJ_ORG__COUNT][32];
    const char *set[YJ_ORG__COUNT] = {NULL};
    bool json = false, any = false;
    int k = 0;
    for (int f = 0; f < YJ_ORG__COUNT; f++) {
        snprintf(names[f], sizeof names[f], "%s", yj_org_field_name((enum yj_org_field)f));
        for (char *c = names[f]; *c; c++)
            if (*c == '_')
                *c = '-';
        opts[k++] = (struct option){names[f], required_argument, NULL, f};
    }
    opts[k++] = (struct option){"json", no_argument, NULL, OPT_JSON};
    opts[k++] = (struct option){"help", no_argument, NULL, OPT_HELP};
    opts[k] = (struct option){NULL, 0, NULL, 0};

    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c >= 0 && c < YJ_ORG__COUNT) {
            set[c] = optarg;
            any = true;
        } else if (c == OPT_JSON) {
            json = true;
        } else if (c == OPT_HELP || c == 'h') {
            return yj_cli_usage(cli, "profile", true);
        } else {
            yj_cli_error(cli, yj_t("cli.bad_option"), argv[optind - 1]);
            return yj_cli_usage(cli, "profile", false);
        }
    }
    if (optind < argc) {
        yj_cli_error(cli, yj_t("cli.extra_arg"), argv[optind]);
        return yj_cli_usage(cli, "profile", false);
    }

    struct yj_store *s;
    if (yj_cli_store(cli, &s))
        return YJ_EXIT_FAIL;
    struct yj_org org;
    int status = YJ_EXIT_OK;
    enum yj_err err = yj_org_load(s, &org);
    if (err) {
        yj_cli_error(cli, yj_t("cli.db_error"), yj_store_errmsg(s));
        yj_store_close(s);
        return YJ_EXIT_FAIL;
    }
    if (any) {
        for (int f = 0; f < YJ_ORG__COUNT; f++) {
            if (!set[f])
                continue;
            char **p = yj_org_field(&org, (enum yj_org_field)f);
            free(*p);
            *p = yj_xstrdup(set[f]);
        }
        struct yj_diag d;
        yj_diag_init(&d);
        err = yj_org_save(s, &org, &d);
        yj_cli_diag(cli, &d);
        yj_diag_fini(&d);
        if (err) {
            if (err == YJ_ERR_DB)
                yj_cli_error(cli, yj_t("cli.db_error"), yj_store_errmsg(s));
            status = yj_cli_status(err);
            goto out;
        }
        if (!json)
            fprintf(cli->out, "%s\n", yj_t("profile.saved"));
    }
    if (json) {
        struct yj_buf b;
        struct yj_json j;
        yj_buf_init(&b, 0);
        yj_json_init(&j, &b, true);
        yj_json_obj(&j);
        for (int f = 0; f < YJ_ORG__COUNT; f++)
            yj_json_kstr(&j, yj_org_field_name((enum yj_org_field)f),
                         yj_org_get_field(&org, (enum yj_org_field)f));
        yj_json_end_obj(&j);
        fputs(yj_buf_cstr(&b), cli->out);
        yj_buf_fini(&b);
    } else {
        for (int f = 0; f < YJ_ORG__COUNT; f++) {
            const char *v = yj_org_get_field(&org, (enum yj_org_field)f);
            fprintf(cli->out, "  %s: %s\n", yj_org_field_label((enum yj_org_field)f),
                    *v ? v : yj_t("profile.unset"));
        }
    }
out:
    yj_org_fini(&org);
    yj_store_close(s);
    return status;
}
