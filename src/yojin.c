/* yojin: the command table's entry point. Global options (--data, --lang) may appear anywhere
 * before "--"; they are taken out of argv here, then the command's own parser sees the rest. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/file.h"
#include "base/i18n.h"
#include "cli/cli.h"

#define DEFAULT_DATA "/var/lib/yojin"

/* Removes argv[i] (and its value when it has one) and returns the value. */
static const char *take_opt(int *argc, char **argv, int i, const char *name, bool *bad)
{
    size_t n = strlen(name);
    const char *v = NULL;
    int drop = 1;
    if (argv[i][n] == '=') {
        v = argv[i] + n + 1;
    } else if (i + 1 < *argc) {
        v = argv[i + 1];
        drop = 2;
    } else {
        *bad = true;
        return NULL;
    }
    memmove(&argv[i], &argv[i + drop], (size_t)(*argc - i - drop + 1) * sizeof *argv);
    *argc -= drop;
    return v;
}

static bool is_opt(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    umask(077);
    struct yj_cli cli = {.out = stdout, .err = stderr, .lang = YJ_LANG_JA};
    const char *data = getenv("YOJIN_DATA");
    const char *lang = getenv("YOJIN_LANG");
    bool bad = false;
    const char *bad_lang = NULL;

    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0;) {
        if (is_opt(argv[i], "--data")) {
            data = take_opt(&argc, argv, i, "--data", &bad);
        } else if (is_opt(argv[i], "--lang")) {
            lang = take_opt(&argc, argv, i, "--lang", &bad);
            if (lang && !yj_lang_parse(lang, &cli.lang))
                bad_lang = lang;
        } else {
            i++;
        }
        if (bad)
            break;
    }
    if (lang && !bad_lang && !yj_lang_parse(lang, &cli.lang))
        cli.lang = YJ_LANG_JA; /* an unusable $YOJIN_LANG falls back to Japanese */
    yj_lang_set(cli.lang);
    cli.data_dir = data && *data ? data : DEFAULT_DATA;

    struct yj_diag d;
    yj_diag_init(&d);
    char *po = yj_share_path("po");
    enum yj_err err = yj_i18n_init(po, &d);
    free(po);
    if (err) {
        /* Without catalogs messages show as ids, which still beats silence. */
        yj_cli_diag(&cli, &d);
        yj_diag_fini(&d);
        return YJ_EXIT_FAIL;
    }
    yj_diag_fini(&d);

    int status;
    if (bad) {
        yj_cli_error(&cli, "%s", yj_t("cli.opt_needs_value"));
        status = YJ_EXIT_USAGE;
    } else if (bad_lang) {
        yj_cli_error(&cli, yj_t("cli.bad_lang"), bad_lang);
        status = YJ_EXIT_USAGE;
    } else if (argc < 2) {
        status = yj_cmd_help(&cli, 1, argv);
    } else if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        status = yj_cmd_help(&cli, 1, argv);
    } else if (strcmp(argv[1], "--version") == 0) {
        status = yj_cmd_version(&cli, 1, argv);
    } else {
        const struct yj_command *c = yj_command_find(argv[1]);
        if (!c) {
            yj_cli_error(&cli, yj_t("cli.unknown_command"), argv[1]);
            status = YJ_EXIT_USAGE;
        } else {
            status = c->fn(&cli, argc - 1, argv + 1);
        }
    }
    if (fflush(stdout) != 0 && status == 0)
        status = YJ_EXIT_FAIL;
    yj_i18n_fini();
    return status;
}
