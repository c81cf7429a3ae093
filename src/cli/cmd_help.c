/* `yojin help [COMMAND]` and `yojin version`. */
#include <string.h>

#include "base/file.h"
#include "base/i18n.h"
#include "cli.h"

int yj_cmd_help(struct yj_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--help") != 0 && strcmp(argv[1], "-h") != 0) {
        if (!yj_command_find(argv[1])) {
            yj_cli_error(cli, yj_t("cli.unknown_command"), argv[1]);
            return YJ_EXIT_USAGE;
        }
        return yj_cli_usage(cli, argv[1], true);
    }
    fputs(yj_t("cli.help_head"), cli->out);
    for (const struct yj_command *c = yj_commands; c->name; c++) {
        char key[64];
        snprintf(key, sizeof key, "cmd.%s.summary", c->name);
        fprintf(cli->out, "  %-10s %s\n", c->name, yj_t(key));
    }
    fputs(yj_t("cli.help_tail"), cli->out);
    return YJ_EXIT_OK;
}

int yj_cmd_version(struct yj_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        return yj_cli_usage(cli, "version", true);
    if (argc >= 2)
        return yj_cli_usage(cli, "version", false);
    fprintf(cli->out, "yojin %s\n", yj_version());
    return YJ_EXIT_OK;
}
