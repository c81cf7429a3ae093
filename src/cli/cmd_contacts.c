/* `yojin contacts [WORDS...] [--json]`: the desks to call, searched in Japanese or English. */
#include <getopt.h>
#include <string.h>

#include "base/i18n.h"
#include "cli.h"
#include "report/report.h"
#include "respond/respond.h"

enum { OPT_JSON = 1000, OPT_HELP };

static void print_contact(struct yj_cli *cli, const struct yj_contact *c)
{
    FILE *o = cli->out;
    enum yj_lang l = cli->lang;
    fprintf(o, "■ %s  [%s]\n", yj_text_get(&c->name, l), c->id);
    fprintf(o, "  %s\n", yj_text_get(&c->handles, l));
    if (c->not_handles.v[0])
        fprintf(o, "  %s %s\n", yj_t("contacts.not_handles"), yj_text_get(&c->not_handles, l));
    fprintf(o, "  %s %s\n", yj_t("contacts.for"),
            c->for_companies && c->for_individuals ? yj_t("contacts.for_both")
            : c->for_companies                     ? yj_t("contacts.for_companies")
                                                   : yj_t("contacts.for_individuals"));
    if (c->phone)
        fprintf(o, "  %s %s\n", yj_t("contacts.phone"), c->phone);
    if (c->hours.v[0])
        fprintf(o, "  %s %s\n", yj_t("contacts.hours"), yj_text_get(&c->hours, l));
    if (c->email)
        fprintf(o, "  %s %s\n", yj_t("contacts.email"), c->email);
    if (c->fax)
        fprintf(o, "  %s %s\n", yj_t("contacts.fax"), c->fax);
    if (c->url)
        fprintf(o, "  %s %s\n", yj_t("contacts.url"), c->url);
    if (c->address.v[0])
        fprintf(o, "  %s %s\n", yj_t("contacts.address"), yj_text_get(&c->address, l));
    if (c->note.v[0])
        fprintf(o, "  %s %s\n", yj_t("contacts.note"), yj_text_get(&c->note, l));
    fprintf(o, "  (%s %s, %s)\n\n", yj_t("report.source"), c->source, c->as_of);
}

int yj_cmd_contacts(struct yj_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, OPT_JSON},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    bool json = false;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_JSON: json = true; break;
        case OPT_HELP:
        case 'h': return yj_cli_usage(cli, "contacts", true);
        default:
            yj_cli_error(cli, yj_t("cli.bad_option"), argv[optind - 1]);
            return yj_cli_usage(cli, "contacts", false);
        }
    }
    struct yj_respond_data r;
    if (yj_cli_respond(cli, &r))
        return YJ_EXIT_FAIL;
    const struct yj_contact *found[256];
    size_t n = yj_contacts_search(&r, (const char *const *)argv + optind, (size_t)(argc - optind),
                                  found, 256);
    if (json) {
        struct yj_buf b;
        struct yj_json j;
        yj_buf_init(&b, 0);
        yj_json_init(&j, &b, true);
        yj_json_arr(&j);
        for (size_t i = 0; i < n; i++)
            yj_report_contact_json(found[i], cli->lang, &j);
        yj_json_end_arr(&j);
        yj_cli_print_json(cli, &b);
    } else if (n == 0) {
        fprintf(cli->out, "%s\n", yj_t("contacts.none"));
    } else {
        for (size_t i = 0; i < n; i++)
            print_contact(cli, found[i]);
        fprintf(cli->out, "%s\n", yj_t("contacts.emergency"));
    }
    yj_respond_fini(&r);
    return n == 0 && !json ? YJ_EXIT_FAIL : YJ_EXIT_OK;
}
