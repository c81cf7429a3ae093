/* Where every event of `yojin watch` goes:
 *
 *   eve.json   one EVE JSON line per event; beyond eve_max bytes the file becomes
 *              eve.json.1 (older ones shift up to eve_keep) and a new one starts
 *   store      alerts, de-duplicated there (one attack is one row), for the console
 *   notify     new alerts through the gate (one message per attack, a cap per hour), whose
 *              state is kept in the store so a restart does not send the same alert again
 *
 * A failing sink never stops the others or the watch: failures are counted and said once
 * on stderr. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alert/alert.h"
#include "base/date.h"
#include "base/i18n.h"
#include "watch_int.h"

static FILE *open_eve(const char *path, uint64_t *size)
{
    FILE *f = fopen(path, "ae");
    struct stat st;
    *size = f && fstat(fileno(f), &st) == 0 ? (uint64_t)st.st_size : 0;
    return f;
}

enum yj_err watch_sink_open(struct watch_sink *s, const struct yj_watch_opts *o,
                            const struct watch_config *c, struct yj_diag *d)
{
    memset(s, 0, sizeof *s);
    s->lang = o->lang;
    s->eve_max = c->eve_max_bytes;
    s->eve_keep = c->eve_keep;
    yj_buf_init(&s->b, (size_t)1 << 20);
    if (o->eve && strcmp(o->eve, "-") == 0) {
        s->eve = stdout;
    } else {
        if (o->eve)
            s->eve_path = yj_xstrdup(o->eve);
        else if (asprintf(&s->eve_path, "%s/eve.json", o->data_dir) < 0)
            yj_oom();
        if (!(s->eve = open_eve(s->eve_path, &s->eve_size)))
            return yj_diag_fail(d, YJ_ERR_IO, s->eve_path, 0, "%s", strerror(errno));
    }
    enum yj_err err = o->config ? yj_notify_config_load_file(&s->ncfg, o->config, d)
                                : yj_notify_config_load(&s->ncfg, o->data_dir, d);
    if (err)
        return err;
    s->notify = s->ncfg.smtp_url || s->ncfg.webhook_url;
    yj_notify_gate_init(&s->gate, s->ncfg.max_per_hour);
    return YJ_ERR_OK;
}

void watch_sink_store(struct watch_sink *s, struct yj_store *st)
{
    s->store = st;
    /* What earlier runs sent, so a restart does not send it again. A store that cannot say
     * only costs a repeated message. */
    if (st && yj_notify_gate_load(&s->gate, st, yj_now()))
        fprintf(stderr, "yojin: %s\n", yj_store_errmsg(st));
}

void watch_sink_close(struct watch_sink *s)
{
    if (s->eve && s->eve != stdout)
        fclose(s->eve);
    else if (s->eve)
        fflush(s->eve);
    free(s->eve_path);
    yj_buf_fini(&s->b);
    yj_notify_gate_fini(&s->gate);
    yj_notify_config_fini(&s->ncfg);
    memset(s, 0, sizeof *s);
}

void watch_sink_flush(struct watch_sink *s)
{
    if (s->eve && fflush(s->eve) != 0 && !s->write_failed++)
        fprintf(stderr, "yojin: %s: %s\n", s->eve_path ? s->eve_path : "-", strerror(errno));
}

void watch_sink_beat(struct watch_sink *s, const char *sources, int64_t started, bool stopped,
                     bool force)
{
    int64_t now = yj_now();
    if (!s->store || (!force && now - s->last_beat < 10))
        return;
    struct yj_monitor_status m = {.started = started, .heartbeat = now, .pid = getpid(),
                                  .events = (int64_t)s->events, .alerts = (int64_t)s->alerts,
                                  .stopped = stopped};
    snprintf(m.name, sizeof m.name, "watch");
    snprintf(m.sources, sizeof m.sources, "%s", sources);
    if (yj_monitor_beat(s->store, &m) && !s->beat_failed++)
        fprintf(stderr, "yojin: %s\n", yj_store_errmsg(s->store));
    s->last_beat = now;
    /* Once a day: alerts closed more than WATCH_KEEP_DAYS ago leave the store. */
    if (now - s->last_prune >= 86400) {
        int64_t removed;
        if (yj_alert_prune(s->store, now, WATCH_KEEP_DAYS, &removed) && !s->beat_failed++)
            fprintf(stderr, "yojin: %s\n", yj_store_errmsg(s->store));
        s->last_prune = now;
    }
}

void watch_sink_reopen(struct watch_sink *s)
{
    if (!s->eve_path)
        return;
    if (s->eve)
        fclose(s->eve);
    s->eve = open_eve(s->eve_path, &s->eve_size);
}

/* eve.json -> eve.json.1 -> ... -> eve.json.N (dropped beyond). */
static void rotate(struct watch_sink *s)
{
    fclose(s->eve);
    s->eve = NULL;
    size_t n = strlen(s->eve_path) + 16;
    char *from = yj_xmalloc(n), *to = yj_xmalloc(n);
    for (unsigned i = s->eve_keep; i >= 1; i--) {
        snprintf(to, n, "%s.%u", s->eve_path, i);
        if (i == 1)
            snprintf(from, n, "%s", s->eve_path);
        else
            snprintf(from, n, "%s.%u", s->eve_path, i - 1);
        rename(from, to);
    }
    if (!s->eve_keep)
        unlink(s->eve_path);
    free(from);
    free(to);
    s->eve = open_eve(s->eve_path, &s->eve_size);
}

static void notify(struct watch_sink *s, const struct yj_event *ev)
{
    const struct yj_event_alert *a = &ev->u.alert;
    if (!s->notify || a->severity > s->ncfg.min_severity)
        return;
    char key[300];
    snprintf(key, sizeof key, "%s|%s", a->code ? a->code : "",
             ev->src_ip && ev->src_ip[0] ? ev->src_ip : a->user ? a->user : "");
    uint64_t more = 0;
    int64_t now = yj_now();
    if (yj_notify_gate_check(&s->gate, key, now, 0, &more) != YJ_NOTIFY_SEND)
        return;
    if (s->store && yj_notify_gate_save(&s->gate, s->store, now))
        fprintf(stderr, "yojin: %s\n", yj_store_errmsg(s->store));
    const struct yj_notify_msg m = {
        .signature_id = a->signature_id, .code = a->code ? a->code : "",
        .signature = a->signature, .category = a->category, .severity = a->severity,
        .src_ip = ev->src_ip, .user = a->user, .count = a->count, .first = ev->ts,
        .last = ev->ts, .summary = a->summary, .advice = a->advice, .playbook = a->playbook,
    };
    struct yj_notify_result r = {0};
    struct yj_diag d;
    yj_diag_init(&d);
    if (yj_notify_send(&s->ncfg, &m, more, s->lang, &r, &d)) {
        s->notify_failed++;
        for (size_t i = 0; i < d.n; i++)
            fprintf(stderr, "yojin: %s\n", d.v[i].msg);
    }
    s->sent += r.mails + r.webhooks;
    yj_diag_fini(&d);
}

void watch_emit(void *ctx, const struct yj_event *ev)
{
    struct watch_sink *s = ctx;
    s->events++;
    if (s->eve) {
        yj_buf_reset(&s->b);
        yj_eve_write(&s->b, ev);
        if (!yj_buf_err(&s->b) && fwrite(s->b.p, 1, s->b.len, s->eve) == s->b.len) {
            s->eve_size += s->b.len;
            if (s->eve_path && s->eve_max && s->eve_size >= s->eve_max)
                rotate(s);
        } else if (!s->write_failed++) {
            fprintf(stderr, "yojin: %s: %s\n", s->eve_path ? s->eve_path : "-",
                    strerror(errno));
        }
    }
    if (ev->type != YJ_EVENT_ALERT)
        return;
    s->alerts++;
    bool is_new = true;
    if (s->store) {
        struct yj_diag d;
        int64_t id;
        yj_diag_init(&d);
        if (yj_alert_record(s->store, ev, "watch", &id, &is_new, &d))
            for (size_t i = 0; i < d.n; i++)
                fprintf(stderr, "yojin: %s\n", d.v[i].msg);
        yj_diag_fini(&d);
    }
    if (is_new)
        notify(s, ev);
}
