/* `yojin notify test`: one test message through every channel of the notify: section of
 * <data>/yojin.yaml. Also the --notify of `yojin logscan` and `yojin fim check`: the alerts
 * found, through the de-duplicating, rate-limited gate (notify/notify.h), whose state is kept
 * in the store of the data directory between runs (what was sent within the hour, how many
 * messages the hour has had). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/i18n.h"
#include "cli.h"
#include "host/host.h"
#include "notify/notify.h"

/* Loads the configuration; prints problems. Exit status on failure, else 0. */
static int load(struct yj_cli *cli, struct yj_notify_config *c)
{
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_notify_config_load(c, cli->data_dir, &d);
    yj_cli_diag(cli, &d);
    yj_diag_fini(&d);
    if (err) {
        yj_notify_config_fini(c);
        return YJ_EXIT_USAGE;
    }
    if (!c->smtp_url && !c->webhook_url) {
        yj_cli_error(cli, yj_t("notify.not_configured"), cli->data_dir);
        yj_notify_config_fini(c);
        return YJ_EXIT_USAGE;
    }
    return YJ_EXIT_OK;
}

static void report(struct yj_cli *cli, FILE *out, const struct yj_notify_result *r,
                   unsigned skipped, const struct yj_diag *d)
{
    yj_cli_diag(cli, d);
    fprintf(out, yj_t("notify.sent"), r->mails, r->webhooks, skipped);
    fputc('\n', out);
}

#define KEY_MAX 160

/* Offers msgs (keys[i]: signature and source, user or path) to one gate in order and sends
 * what it lets through. Summaries of the counts go to out. */
static int send_all(struct yj_cli *cli, const struct yj_notify_msg *msgs, char (*keys)[KEY_MAX],
                    size_t n, FILE *out)
{
    struct yj_notify_config c;
    int st = load(cli, &c);
    if (st)
        return st;
    struct yj_notify_gate g;
    yj_notify_gate_init(&g, c.max_per_hour);
    struct yj_notify_result r = {0};
    struct yj_diag d;
    yj_diag_init(&d);
    int64_t now = (int64_t)time(NULL);
    /* What earlier runs sent. Without the store the gate still works for this run: a
     * warning, not a failure (the messages themselves decide the exit status). */
    struct yj_store *store = NULL;
    bool state_ok = yj_cli_store(cli, &store) == YJ_ERR_OK;
    if (!state_ok || yj_notify_gate_load(&g, store, now)) {
        yj_cli_error(cli, yj_t("notify.state"), store ? yj_store_errmsg(store) : cli->data_dir);
        state_ok = false;
    }
    unsigned skipped = 0;
    for (size_t i = 0; i < n; i++) {
        if (msgs[i].severity > c.min_severity)
            continue;
        /* How many new alerts wait behind this one, so the last message of the hour can
         * say how many will not be sent. */
        uint64_t pending = 0, more;
        for (size_t k = i + 1; k < n; k++)
            pending += msgs[k].severity <= c.min_severity &&
                       !yj_notify_gate_seen(&g, keys[k], now);
        if (yj_notify_gate_check(&g, keys[i], now, pending, &more) != YJ_NOTIFY_SEND) {
            skipped++;
            continue;
        }
        unsigned delivered = r.mails + r.webhooks;
        if (yj_notify_send(&c, &msgs[i], more, cli->lang, &r, &d)) {
            /* counted in r.failures and described in d; the next alert may get through,
             * and this one in the next run when it reached nobody */
            if (r.mails + r.webhooks == delivered)
                yj_notify_gate_forget(&g, keys[i]);
        }
    }
    report(cli, out, &r, skipped, &d);
    if (state_ok && yj_notify_gate_save(&g, store, now))
        yj_cli_error(cli, yj_t("notify.state"), yj_store_errmsg(store));
    yj_store_close(store);
    yj_diag_fini(&d);
    yj_notify_gate_fini(&g);
    yj_notify_config_fini(&c);
    return r.failures ? YJ_EXIT_FAIL : YJ_EXIT_OK;
}

int yj_cli_notify_host(struct yj_cli *cli, const struct yj_host_detect *det, FILE *out)
{
    size_t n;
    const struct yj_host_alert *al = yj_host_detect_alerts(det, &n);
    struct yj_notify_msg *msgs = yj_xcalloc(n ? n : 1, sizeof *msgs);
    char (*keys)[KEY_MAX] = yj_xcalloc(n ? n : 1, sizeof *keys);
    char (*sums)[512] = yj_xcalloc(n ? n : 1, sizeof *sums);
    for (size_t i = 0; i < n; i++) {
        const struct yj_host_alert *a = &al[i];
        const struct yj_host_sig_info *si = yj_host_sig_info(a->sig);
        snprintf(keys[i], sizeof keys[i], "%s|%s", si->code, a->ip[0] ? a->ip : a->user);
        yj_host_alert_summary(a, cli->lang, sums[i], sizeof sums[i]);
        msgs[i] = (struct yj_notify_msg){
            .signature_id = si->id, .code = si->code,
            .signature = yj_host_alert_name(a, cli->lang), .category = si->category,
            .severity = si->severity, .src_ip = a->ip, .user = a->user, .count = a->count,
            .first = a->first, .last = a->last, .summary = sums[i],
            .advice = yj_host_alert_advice(a, cli->lang), .playbook = si->playbook,
        };
    }
    int st = send_all(cli, msgs, keys, n, out);
    free(msgs);
    free(keys);
    free(sums);
    return st;
}

int yj_cli_notify_fim(struct yj_cli *cli, const struct yj_fim_alerts *al, int64_t ts, FILE *out)
{
    size_t n = al->n;
    struct yj_notify_msg *msgs = yj_xcalloc(n ? n : 1, sizeof *msgs);
    char (*keys)[KEY_MAX] = yj_xcalloc(n ? n : 1, sizeof *keys);
    char **sums = yj_xcalloc(n ? n : 1, sizeof *sums);
    for (size_t i = 0; i < n; i++) {
        const struct yj_fim_alert *a = &al->v[i];
        const struct yj_host_sig_info *si = yj_host_sig_info(a->sig);
        snprintf(keys[i], sizeof keys[i], "%s|%s", si->code,
                 a->sig == YJ_HOST_SIG_FIM_CHANGE ? "" : a->path);
        sums[i] = yj_xmalloc(YJ_FIM_PATH_MAX + 512);
        yj_fim_alert_summary(a, cli->lang, sums[i], YJ_FIM_PATH_MAX + 512);
        msgs[i] = (struct yj_notify_msg){
            .signature_id = si->id, .code = si->code,
            .signature = yj_tl(cli->lang, si->name_id), .category = si->category,
            .severity = si->severity, .count = a->count, .first = ts, .last = ts,
            .summary = sums[i], .advice = yj_tl(cli->lang, si->advice_id),
            .playbook = si->playbook,
        };
    }
    int st = send_all(cli, msgs, keys, n, out);
    for (size_t i = 0; i < n; i++)
        free(sums[i]);
    free(msgs);
    free(keys);
    free(sums);
    return st;
}

int yj_cmd_notify(struct yj_cli *cli, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return yj_cli_usage(cli, "notify", argc >= 2);
    if (strcmp(argv[1], "test") != 0 || argc > 2) {
        yj_cli_error(cli, yj_t("notify.bad_sub"), argv[argc > 2 && !strcmp(argv[1], "test") ? 2 : 1]);
        return yj_cli_usage(cli, "notify", false);
    }
    struct yj_notify_config c;
    int st = load(cli, &c);
    if (st)
        return st;
    int64_t now = (int64_t)time(NULL);
    struct yj_notify_msg m = {
        .signature_id = 0, .code = "YJ-TEST-0000",
        .signature = yj_t("notify.test.name"), .category = "test", .severity = 3,
        .count = 1, .first = now, .last = now, .summary = yj_t("notify.test.summary"),
        .advice = yj_t("notify.test.advice"), .playbook = "-",
    };
    struct yj_notify_result r = {0};
    struct yj_diag d;
    yj_diag_init(&d);
    if (yj_notify_send(&c, &m, 0, cli->lang, &r, &d)) {
        /* counted in r.failures and described in d */
    }
    report(cli, cli->out, &r, 0, &d);
    yj_diag_fini(&d);
    yj_notify_config_fini(&c);
    return r.failures ? YJ_EXIT_FAIL : YJ_EXIT_OK;
}
