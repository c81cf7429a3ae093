/* The --store of `yojin logscan` and `yojin fim check`: the alerts found, with their words
 * in every language, recorded in the store of the data directory for the console
 * (alert/alert.h). The same attack seen by an earlier run within the hour updates its alert
 * instead of adding one, so scanning the same log twice does not double anything. */
#include <stdlib.h>

#include "alert/alert.h"
#include "base/i18n.h"
#include "cli.h"
#include "host/host.h"

struct tally {
    struct yj_store *st;
    unsigned added, updated;
    bool failed;
};

static bool open_tally(struct yj_cli *cli, struct tally *t)
{
    *t = (struct tally){0};
    return yj_cli_store(cli, &t->st) == YJ_ERR_OK;
}

/* Records ev, an attack that began at first. */
static void record(struct yj_cli *cli, struct tally *t, const struct yj_event *ev,
                   const char *origin, int64_t first)
{
    struct yj_diag d;
    yj_diag_init(&d);
    struct yj_alert_in in;
    yj_alert_in_from_event(&in, ev, origin);
    in.first_ts = first;
    bool is_new = false;
    if (yj_alert_put(t->st, &in, NULL, &is_new, &d)) {
        yj_cli_diag(cli, &d);
        t->failed = true;
    } else if (is_new) {
        t->added++;
    } else {
        t->updated++;
    }
    yj_diag_fini(&d);
}

static int close_tally(struct yj_cli *cli, struct tally *t, FILE *out)
{
    yj_store_close(t->st);
    fprintf(out, yj_t("alert.cli.stored"), t->added, t->updated);
    fputc('\n', out);
    if (t->failed) {
        yj_cli_error(cli, "%s", yj_t("alert.cli.failed"));
        return YJ_EXIT_FAIL;
    }
    return YJ_EXIT_OK;
}

int yj_cli_store_host(struct yj_cli *cli, const struct yj_host_detect *det, FILE *out)
{
    struct tally t;
    if (!open_tally(cli, &t))
        return YJ_EXIT_FAIL;
    size_t n;
    const struct yj_host_alert *al = yj_host_detect_alerts(det, &n);
    for (size_t i = 0; i < n && !t.failed; i++) {
        char sum[YJ_LANG__COUNT][512];
        struct yj_event_alert_text words;
        yj_host_alert_text(&al[i], sum, &words);
        struct yj_event ev;
        yj_host_alert_event(&al[i], cli->lang, sum[cli->lang], &ev);
        ev.u.alert.text = &words;
        record(cli, &t, &ev, "logscan", al[i].first);
    }
    return close_tally(cli, &t, out);
}

int yj_cli_store_fim(struct yj_cli *cli, const struct yj_fim_alerts *al, int64_t ts, FILE *out)
{
    struct tally t;
    if (!open_tally(cli, &t))
        return YJ_EXIT_FAIL;
    enum { SUM = YJ_FIM_PATH_MAX + 512 };
    char *sum = yj_xmalloc((size_t)YJ_LANG__COUNT * SUM);
    for (size_t i = 0; i < al->n && !t.failed; i++) {
        const struct yj_fim_alert *a = &al->v[i];
        const struct yj_host_sig_info *si = yj_host_sig_info(a->sig);
        struct yj_event_alert_text words;
        for (int l = 0; l < YJ_LANG__COUNT; l++) {
            enum yj_lang lang = (enum yj_lang)l;
            yj_fim_alert_summary(a, lang, sum + (size_t)l * SUM, SUM);
            words.name[l] = yj_tl(lang, si->name_id);
            words.summary[l] = sum + (size_t)l * SUM;
            words.advice[l] = yj_tl(lang, si->advice_id);
        }
        struct yj_event_fim f = {.path = a->path, .change = yj_fim_change_name(a->change)};
        struct yj_event ev;
        yj_fim_alert_event(a, cli->lang, words.summary[cli->lang], &f, ts, &ev);
        ev.u.alert.text = &words;
        record(cli, &t, &ev, "fim", ts);
    }
    free(sum);
    return close_tally(cli, &t, out);
}
