/* Helpers shared by the commands: the command table, diagnostics, the store and the bank. */
#include <pwd.h>
#include <stdarg.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "alert/alert.h"
#include "base/file.h"
#include "base/i18n.h"
#include "cli.h"
#include "host/host.h"
#include "notify/notify.h"
#include "org/org.h"
#include "respond/respond.h"
#include "web/web.h"

const struct yj_command yj_commands[] = {
#define YJ_CMD(name, fn) {#name, fn},
#include "commands.def"
#undef YJ_CMD
    {NULL, NULL},
};

const struct yj_command *yj_command_find(const char *name)
{
    for (const struct yj_command *c = yj_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

void yj_cli_diag(struct yj_cli *cli, const struct yj_diag *d)
{
    for (size_t i = 0; i < d->n; i++) {
        const struct yj_diag_entry *e = &d->v[i];
        if (e->file && e->line)
            fprintf(cli->err, "yojin: %s:%u: %s\n", e->file, e->line, e->msg);
        else if (e->file)
            fprintf(cli->err, "yojin: %s: %s\n", e->file, e->msg);
        else
            fprintf(cli->err, "yojin: %s\n", e->msg);
    }
    if (d->dropped)
        fprintf(cli->err, "yojin: %s\n", yj_t("cli.more_errors"));
}

void yj_cli_error(struct yj_cli *cli, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("yojin: ", cli->err);
    vfprintf(cli->err, fmt, ap);
    fputc('\n', cli->err);
    va_end(ap);
}

int yj_cli_usage(struct yj_cli *cli, const char *cmd, bool ok)
{
    char key[64];
    snprintf(key, sizeof key, "cmd.%s.usage", cmd);
    fputs(yj_t(key), ok ? cli->out : cli->err);
    return ok ? YJ_EXIT_OK : YJ_EXIT_USAGE;
}

void yj_cli_print_alert(FILE *o, int severity, const char *code, const char *name,
                        const char *summary, const char *when, const char *advice,
                        const char *playbook)
{
    static const char *const sev[] = {"logscan.sev.1", "logscan.sev.2", "logscan.sev.3"};
    int s = severity >= 1 && severity <= 3 ? severity : 3;
    fprintf(o, "\n[%s] %s %s\n  %s\n  ", yj_t(sev[s - 1]), code, name, summary);
    if (when)
        fprintf(o, "%s\n  ", when);
    fprintf(o, yj_t("logscan.advice"), advice);
    fputs("\n  ", o);
    fprintf(o, yj_t("logscan.playbook"), playbook);
    fputc('\n', o);
}

int yj_cli_status(enum yj_err err)
{
    switch (err) {
    case YJ_ERR_OK: return YJ_EXIT_OK;
    case YJ_ERR_USAGE:
    case YJ_ERR_PARSE:
    case YJ_ERR_INVALID:
    case YJ_ERR_LIMIT: return YJ_EXIT_USAGE;
    default: return YJ_EXIT_FAIL;
    }
}

enum yj_err yj_cli_store(struct yj_cli *cli, struct yj_store **out)
{
    const struct yj_schema schemas[] = {yj_org_schema, yj_assess_schema, yj_respond_schema,
                                        yj_web_schema, yj_host_schema, yj_alert_schema,
                                        yj_notify_schema};
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_store_open(out, cli->data_dir, schemas, sizeof schemas / sizeof *schemas,
                                    &d);
    yj_cli_diag(cli, &d);
    yj_diag_fini(&d);
    return err;
}

enum yj_err yj_cli_bank(struct yj_cli *cli, const char *path, struct yj_bank *b)
{
    char *def = path ? NULL : yj_share_path("assess/bank.yaml");
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_bank_load(b, path ? path : def, &d);
    yj_cli_diag(cli, &d);
    yj_diag_fini(&d);
    free(def);
    return err;
}

enum yj_err yj_cli_write(struct yj_cli *cli, const char *path, const char *p, size_t n)
{
    if (strcmp(path, "-") == 0) {
        if (fwrite(p, 1, n, cli->out) != n || fflush(cli->out) != 0)
            return YJ_ERR_IO;
        return YJ_ERR_OK;
    }
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_file_write_atomic(path, p, n, 0644, &d);
    yj_cli_diag(cli, &d);
    yj_diag_fini(&d);
    return err;
}

enum yj_err yj_cli_respond(struct yj_cli *cli, struct yj_respond_data *r)
{
    char *dir = yj_share_path("respond");
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_respond_load(r, dir, &d);
    yj_cli_diag(cli, &d);
    yj_diag_fini(&d);
    free(dir);
    return err;
}

void yj_cli_print_json(struct yj_cli *cli, struct yj_buf *b)
{
    fputs(yj_buf_cstr(b), cli->out);
    yj_buf_fini(b);
}

const char *yj_cli_user(void)
{
    const char *u = getenv("USER");
    if (u && *u)
        return u;
    struct passwd *pw = getpwuid(getuid());
    return pw && pw->pw_name ? pw->pw_name : "-";
}
