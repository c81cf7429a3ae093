/* `yojin serve`: the web console. */
#include <getopt.h>
#include <string.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "cli.h"
#include "web/web.h"

enum { OPT_LISTEN = 1000, OPT_BANK, OPT_ROUTES, OPT_HELP };

static void ready(const char *url, void *arg)
{
    struct yj_cli *cli = arg;
    fprintf(cli->out, yj_t("serve.ready"), url);
    fputc('\n', cli->out);
    fflush(cli->out);
}

int yj_cmd_serve(struct yj_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"listen", required_argument, NULL, OPT_LISTEN},
        {"bank", required_argument, NULL, OPT_BANK},
        {"list-routes", no_argument, NULL, OPT_ROUTES},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    const char *listen_on = NULL, *bank = NULL;
    bool routes = false;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_LISTEN: listen_on = optarg; break;
        case OPT_BANK: bank = optarg; break;
        case OPT_ROUTES: routes = true; break;
        case OPT_HELP:
        case 'h': return yj_cli_usage(cli, "serve", true);
        default:
            yj_cli_error(cli, yj_t("cli.bad_option"), argv[optind - 1]);
            return yj_cli_usage(cli, "serve", false);
        }
    }
    if (optind < argc) {
        yj_cli_error(cli, yj_t("cli.extra_arg"), argv[optind]);
        return yj_cli_usage(cli, "serve", false);
    }
    if (routes) {
        struct yj_buf b;
        yj_buf_init(&b, 0);
        yj_web_routes_json(&b);
        fputs(yj_buf_cstr(&b), cli->out);
        yj_buf_fini(&b);
        return YJ_EXIT_OK;
    }
    struct yj_web_config cfg;
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_web_config_load(&cfg, cli->data_dir, &d);
    if (!err) {
        if (listen_on)
            cfg.listen = listen_on;
        cfg.bank = bank;
        cfg.ready = ready;
        cfg.ready_arg = cli;
        err = yj_web_serve(&cfg, &d);
    }
    yj_cli_diag(cli, &d);
    yj_diag_fini(&d);
    if (!err)
        fprintf(cli->out, "%s\n", yj_t("serve.stopped"));
    return yj_cli_status(err);
}
