/* `yojin watch [--config FILE] [--log FILE]... [--dir DIR]... [--journal | --no-journal]
 *              [--journal-file FILE]... [--eve OUT] [--user NAME] [--from-start]
 *              [--seconds N] [--interface IFACE]... [--bpf EXPR]`
 * The monitors until SIGTERM or Ctrl-C (watch/watch.h). Exit 0 after a clean stop, 1 when
 * the watch could not start (a log or the store cannot be opened), 2 bad usage or bad
 * configuration. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "cli.h"
#include "watch/watch.h"

enum { OPT_CONFIG = 1000, OPT_LOG, OPT_DIR, OPT_JOURNAL, OPT_NO_JOURNAL, OPT_JOURNAL_FILE,
       OPT_EVE, OPT_USER, OPT_FROM_START, OPT_SECONDS, OPT_INTERFACE,
       OPT_BPF, OPT_HELP };

int yj_cmd_watch(struct yj_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"config", required_argument, NULL, OPT_CONFIG},
        {"log", required_argument, NULL, OPT_LOG},
        {"dir", required_argument, NULL, OPT_DIR},
        {"journal", no_argument, NULL, OPT_JOURNAL},
        {"no-journal", no_argument, NULL, OPT_NO_JOURNAL},
        {"journal-file", required_argument, NULL, OPT_JOURNAL_FILE},
        {"eve", required_argument, NULL, OPT_EVE},
        {"user", required_argument, NULL, OPT_USER},
        {"from-start", no_argument, NULL, OPT_FROM_START},
        {"seconds", required_argument, NULL, OPT_SECONDS},
        {"interface", required_argument, NULL, OPT_INTERFACE},
        {"bpf", required_argument, NULL, OPT_BPF},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    struct yj_watch_opts o;
    memset(&o, 0, sizeof o);
    o.data_dir = cli->data_dir;
    o.lang = cli->lang;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_CONFIG: o.config = optarg; break;
        case OPT_LOG:
            if (o.nlogs == YJ_WATCH_MAX_LOGS) {
                yj_cli_error(cli, yj_t("watch.too_many"), "--log", YJ_WATCH_MAX_LOGS);
                return YJ_EXIT_USAGE;
            }
            o.logs[o.nlogs++] = optarg;
            break;
        case OPT_DIR:
            if (o.ndirs == YJ_WATCH_MAX_DIRS) {
                yj_cli_error(cli, yj_t("watch.too_many"), "--dir", YJ_WATCH_MAX_DIRS);
                return YJ_EXIT_USAGE;
            }
            o.dirs[o.ndirs++] = optarg;
            break;
        case OPT_JOURNAL:
        case OPT_NO_JOURNAL:
            o.journal = c == OPT_JOURNAL ? YJ_JOURNAL_ON : YJ_JOURNAL_OFF;
            o.journal_set = true;
            break;
        case OPT_JOURNAL_FILE:
            if (o.njournal_files == sizeof o.journal_files / sizeof o.journal_files[0]) {
                yj_cli_error(cli, yj_t("watch.too_many"), "--journal-file", 8);
                return YJ_EXIT_USAGE;
            }
            o.journal_files[o.njournal_files++] = optarg;
            break;
        case OPT_INTERFACE:
            if (o.nifaces == YJ_WATCH_MAX_IFACES) {
                yj_cli_error(cli, yj_t("watch.too_many"), "--interface", YJ_WATCH_MAX_IFACES);
                return YJ_EXIT_USAGE;
            }
            o.ifaces[o.nifaces++] = optarg;
            break;
        case OPT_BPF: o.bpf = optarg; break;
        case OPT_EVE: o.eve = optarg; break;
        case OPT_USER: o.user = optarg; break;
        case OPT_FROM_START: o.from_start = true; break;
        case OPT_SECONDS: {
            char *end;
            o.seconds = strtod(optarg, &end);
            if (*end || !(o.seconds > 0)) {
                yj_cli_error(cli, yj_t("watch.bad_seconds"), optarg);
                return YJ_EXIT_USAGE;
            }
            break;
        }
        case OPT_HELP: return yj_cli_usage(cli, "watch", true);
        default: return yj_cli_usage(cli, "watch", false);
        }
    }
    if (optind < argc)
        return yj_cli_usage(cli, "watch", false);
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_watch_run(&o, &d);
    yj_cli_diag(cli, &d);
    yj_diag_fini(&d);
    return err ? yj_cli_status(err) : YJ_EXIT_OK;
}
