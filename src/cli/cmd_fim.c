/* `yojin fim init [PATH...]` and `yojin fim check [--eve OUT] [--json] [--notify] [--store]`: file
 * integrity monitoring on host/'s walker, comparison and baseline. init records a baseline of the
 * given roots (or a default set for a Linux server); check walks the baseline's roots again
 * and reports what was added, removed or modified, with alerts for the changes that matter
 * (persistence, accounts, SSH keys). Exit status: 0 checked (changes or not: they are
 * findings, not failures), 1 no baseline or a store / --eve failure, 2 bad usage. --notify
 * sends the alerts after the results are printed (cmd_notify.c); a failure to send is 1.
 * --store records the alerts for the console first (store_alerts.c); a failure is 1. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/date.h"
#include "base/i18n.h"
#include "cli.h"
#include "event/event.h"
#include "host/host.h"

enum { OPT_EVE = 1000, OPT_JSON, OPT_NOTIFY, OPT_STORE, OPT_HELP };

/* ---- Shared output pieces ------------------------------------------------------------------ */

static const char *reason_text(enum yj_fim_reason r)
{
    switch (r) {
    case YJ_FIM_SKIP_UNREADABLE: return yj_t("fim.reason.unreadable");
    case YJ_FIM_SKIP_VANISHED: return yj_t("fim.reason.vanished");
    case YJ_FIM_SKIP_OTHER_FS: return yj_t("fim.reason.other_fs");
    case YJ_FIM_SKIP_TOO_DEEP: return yj_t("fim.reason.too_deep");
    case YJ_FIM_SKIP_TOO_LONG: return yj_t("fim.reason.too_long");
    }
    return "";
}

static void json_skips(struct yj_json *j, const struct yj_fim_scan *scans, size_t n)
{
    uint64_t total = 0;
    yj_json_key(j, "skipped");
    yj_json_arr(j);
    for (size_t i = 0; i < n; i++) {
        total += scans[i].skips;
        for (size_t k = 0; k < scans[i].nskip; k++) {
            const struct yj_fim_skip *s = &scans[i].skip[k];
            yj_json_obj(j);
            yj_json_kstr(j, "path", s->path);
            yj_json_kstr(j, "reason", yj_fim_reason_name((enum yj_fim_reason)s->reason));
            if (s->error)
                yj_json_kstr(j, "error", strerror(s->error));
            yj_json_end_obj(j);
        }
    }
    yj_json_end_arr(j);
    yj_json_kint(j, "skipped_total", (int64_t)total);
}

static void text_skips(struct yj_cli *cli, const struct yj_fim_scan *scans, size_t n)
{
    uint64_t total = 0, shown = 0;
    for (size_t i = 0; i < n; i++)
        total += scans[i].skips;
    if (!total)
        return;
    fputc('\n', cli->out);
    fprintf(cli->out, yj_t("fim.skipped"), (unsigned long long)total);
    fputc('\n', cli->out);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < scans[i].nskip; k++, shown++) {
            const struct yj_fim_skip *s = &scans[i].skip[k];
            fprintf(cli->out, "  %s (%s%s%s)\n", s->path,
                    reason_text((enum yj_fim_reason)s->reason), s->error ? ": " : "",
                    s->error ? strerror(s->error) : "");
        }
    if (shown < total) {
        fprintf(cli->out, yj_t("fim.more"), (unsigned long long)(total - shown));
        fputc('\n', cli->out);
    }
}

/* Options of init and check: -1 to go on, else the exit status (help, bad usage). */
struct fim_opts {
    const char *eve;
    bool json, notify, store;
};

static int parse_opts(struct yj_cli *cli, const char *sub, int argc, char **argv, bool eve_ok,
                      struct fim_opts *o)
{
    static const struct option opts[] = {
        {"eve", required_argument, NULL, OPT_EVE},
        {"json", no_argument, NULL, OPT_JSON},
        {"notify", no_argument, NULL, OPT_NOTIFY},
        {"store", no_argument, NULL, OPT_STORE},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_EVE:
        case OPT_NOTIFY:
        case OPT_STORE:
            /* Options of check only. */
            if (!eve_ok) {
                yj_cli_error(cli, yj_t("fim.bad_option"),
                             c == OPT_EVE ? "--eve" : c == OPT_NOTIFY ? "--notify" : "--store",
                             sub);
                return yj_cli_usage(cli, "fim", false);
            }
            if (c == OPT_EVE)
                o->eve = optarg;
            else if (c == OPT_NOTIFY)
                o->notify = true;
            else
                o->store = true;
            break;
        case OPT_JSON: o->json = true; break;
        case OPT_HELP:
        case 'h': return yj_cli_usage(cli, "fim", true);
        default:
            yj_cli_error(cli, yj_t("fim.bad_option"), argv[optind - 1], sub);
            return yj_cli_usage(cli, "fim", false);
        }
    }
    return -1; /* go on */
}

/* ---- init ---------------------------------------------------------------------------------- */

static int fim_init(struct yj_cli *cli, int argc, char **argv)
{
    struct fim_opts o = {0};
    int rc = parse_opts(cli, "init", argc, argv, false, &o);
    if (rc >= 0)
        return rc;
    bool json = o.json;
    struct yj_arena a;
    yj_arena_init(&a);
    const char **roots;
    size_t n;
    if (optind < argc) {
        n = (size_t)(argc - optind);
        roots = yj_arena_alloc(&a, n * sizeof *roots);
        for (size_t i = 0; i < n; i++)
            roots[i] = argv[optind + (int)i];
        n = yj_fim_normalize_roots(&a, roots, n);
    } else {
        n = yj_fim_default_roots(&a, &roots);
    }
    struct yj_store *st = NULL;
    if (yj_cli_store(cli, &st)) {
        yj_arena_fini(&a);
        return YJ_EXIT_FAIL;
    }
    int status = YJ_EXIT_OK;
    struct yj_fim_scan *scans = yj_xcalloc(n ? n : 1, sizeof *scans);
    uint64_t entries = 0, bytes = 0;
    struct yj_diag d;
    yj_diag_init(&d);
    for (size_t i = 0; i < n; i++) {
        yj_fim_scan_init(&scans[i]);
        if (yj_fim_scan_root(&scans[i], roots[i], &d))
            status = YJ_EXIT_FAIL;
        yj_fim_scan_sort(&scans[i]);
        bytes += scans[i].bytes_hashed;
    }
    if (status == YJ_EXIT_OK && yj_fim_baseline_save(st, roots, scans, n, &d))
        status = YJ_EXIT_FAIL;
    yj_cli_diag(cli, &d);
    yj_diag_fini(&d);
    if (status == YJ_EXIT_OK) {
        struct yj_buf b;
        struct yj_json j;
        if (json) {
            yj_buf_init(&b, (size_t)64 << 20);
            yj_json_init(&j, &b, true);
            yj_json_obj(&j);
            yj_json_key(&j, "roots");
            yj_json_arr(&j);
        }
        for (size_t i = 0; i < n; i++) {
            uint64_t kept = 0;
            for (size_t k = 0; k < scans[i].n; k++)
                kept += scans[i].v[k].status != YJ_FIM_VANISHED;
            entries += kept;
            if (json) {
                yj_json_obj(&j);
                yj_json_kstr(&j, "path", roots[i]);
                yj_json_kint(&j, "entries", (int64_t)kept);
                yj_json_end_obj(&j);
            } else {
                fprintf(cli->out, yj_t("fim.init.root"), roots[i], (unsigned long long)kept);
                fputc('\n', cli->out);
            }
        }
        if (json) {
            yj_json_end_arr(&j);
            yj_json_kint(&j, "entries", (int64_t)entries);
            yj_json_kint(&j, "bytes_hashed", (int64_t)bytes);
            json_skips(&j, scans, n);
            yj_json_end_obj(&j);
            yj_buf_addc(&b, '\n');
            yj_cli_print_json(cli, &b);
        } else {
            fprintf(cli->out, yj_t("fim.init.done"), (unsigned long long)entries,
                    (unsigned long long)n);
            fputc('\n', cli->out);
            text_skips(cli, scans, n);
        }
    }
    for (size_t i = 0; i < n; i++)
        yj_fim_scan_fini(&scans[i]);
    free(scans);
    yj_store_close(st);
    yj_arena_fini(&a);
    return status;
}

/* ---- check --------------------------------------------------------------------------------- */

struct change_rec {
    const char *path;
    enum yj_fim_change_kind kind;
    unsigned fields;
    uint8_t type;
};

struct check {
    struct yj_cli *cli;
    int64_t now;
    struct yj_arena arena; /* change paths */
    struct change_rec *v;
    size_t n, cap;
    uint64_t counts[YJ_FIM_CH_VANISHED + 1];
    struct yj_fim_alerts alerts;
    FILE *eve;
    struct yj_buf b;
};

static void eve_write(struct check *k, const struct yj_event *ev)
{
    if (!k->eve)
        return;
    yj_buf_reset(&k->b);
    yj_eve_write(&k->b, ev);
    if (!yj_buf_err(&k->b))
        fwrite(k->b.p, 1, k->b.len, k->eve);
}

static void on_change(void *ctx, const struct yj_fim_change *c)
{
    struct check *k = ctx;
    k->counts[c->kind]++;
    const char *names[YJ_FIM_NFIELDS];
    struct yj_event ev;
    yj_fim_change_event(c, k->now, names, &ev);
    eve_write(k, &ev);
    if (c->kind == YJ_FIM_CH_UNREADABLE || c->kind == YJ_FIM_CH_VANISHED)
        return; /* listed from the scans' skip lists */
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 64;
        k->v = yj_xrealloc(k->v, k->cap * sizeof *k->v);
    }
    const struct yj_fim_entry *e = c->cur ? c->cur : c->old;
    k->v[k->n++] = (struct change_rec){yj_arena_strdup(&k->arena, e->path), c->kind, c->fields,
                                       e->type};
    const struct yj_fim_alert *a = yj_fim_alerts_add(&k->alerts, c);
    /* Alerts about one file go out with their change; the gathered file-change alert goes
     * out at the end, with its final count. */
    if (a && a->sig != YJ_HOST_SIG_FIM_CHANGE) {
        char summary[YJ_FIM_PATH_MAX + 512];
        yj_fim_alert_summary(a, k->cli->lang, summary, sizeof summary);
        struct yj_event al;
        yj_fim_alert_event(a, k->cli->lang, summary, &ev.u.fim, k->now, &al);
        eve_write(k, &al);
    }
}

static void print_alert_json(struct yj_json *j, struct yj_cli *cli, const struct yj_fim_alert *a)
{
    const struct yj_host_sig_info *si = yj_host_sig_info(a->sig);
    char summary[YJ_FIM_PATH_MAX + 512];
    yj_fim_alert_summary(a, cli->lang, summary, sizeof summary);
    yj_json_obj(j);
    yj_json_kint(j, "signature_id", si->id);
    yj_json_kstr(j, "code", si->code);
    yj_json_kstr(j, "signature", yj_t(si->name_id));
    yj_json_kstr(j, "category", si->category);
    yj_json_kint(j, "severity", si->severity);
    yj_json_kstr(j, "path", a->path);
    yj_json_kstr(j, "change", yj_fim_change_name(a->change));
    yj_json_kint(j, "count", (int64_t)a->count);
    yj_json_kstr(j, "summary", summary);
    yj_json_kstr(j, "advice", yj_t(si->advice_id));
    yj_json_kstr(j, "playbook", si->playbook);
    yj_json_end_obj(j);
}

static void print_check_json(struct check *k, const char **roots, size_t nroots,
                             uint64_t entries, const struct yj_fim_scan *scans)
{
    struct yj_buf b;
    struct yj_json j;
    yj_buf_init(&b, (size_t)256 << 20);
    yj_json_init(&j, &b, true);
    yj_json_obj(&j);
    yj_json_key(&j, "roots");
    yj_json_arr(&j);
    for (size_t i = 0; i < nroots; i++)
        yj_json_str(&j, roots[i]);
    yj_json_end_arr(&j);
    yj_json_kint(&j, "entries", (int64_t)entries);
    yj_json_key(&j, "counts");
    yj_json_obj(&j);
    yj_json_kint(&j, "added", (int64_t)k->counts[YJ_FIM_ADDED]);
    yj_json_kint(&j, "removed", (int64_t)k->counts[YJ_FIM_REMOVED]);
    yj_json_kint(&j, "modified", (int64_t)k->counts[YJ_FIM_MODIFIED]);
    yj_json_end_obj(&j);
    yj_json_key(&j, "changes");
    yj_json_arr(&j);
    for (size_t i = 0; i < k->n; i++) {
        const struct change_rec *c = &k->v[i];
        const char *names[YJ_FIM_NFIELDS];
        size_t nf = yj_fim_field_names(c->fields, names);
        yj_json_obj(&j);
        yj_json_kstr(&j, "path", c->path);
        yj_json_kstr(&j, "change", yj_fim_change_name(c->kind));
        yj_json_kstr(&j, "type", yj_fim_type_name((enum yj_fim_type)c->type));
        yj_json_key(&j, "fields");
        yj_json_arr(&j);
        for (size_t f = 0; f < nf; f++)
            yj_json_str(&j, names[f]);
        yj_json_end_arr(&j);
        yj_json_end_obj(&j);
    }
    yj_json_end_arr(&j);
    yj_json_key(&j, "alerts");
    yj_json_arr(&j);
    for (size_t i = 0; i < k->alerts.n; i++)
        print_alert_json(&j, k->cli, &k->alerts.v[i]);
    yj_json_end_arr(&j);
    yj_json_kint(&j, "alerts_dropped", (int64_t)k->alerts.dropped);
    json_skips(&j, scans, nroots);
    yj_json_end_obj(&j);
    yj_buf_addc(&b, '\n');
    yj_cli_print_json(k->cli, &b);
}

static void print_check_text(struct check *k, size_t nroots, uint64_t entries,
                             const struct yj_fim_scan *scans)
{
    FILE *o = k->cli->out;
    fprintf(o, yj_t("fim.check.summary"), (unsigned long long)entries,
            (unsigned long long)nroots, (unsigned long long)k->counts[YJ_FIM_ADDED],
            (unsigned long long)k->counts[YJ_FIM_REMOVED],
            (unsigned long long)k->counts[YJ_FIM_MODIFIED]);
    fputc('\n', o);
    if (!k->n)
        fprintf(o, "%s\n", yj_t("fim.check.no_changes"));
    static const char *const label[] = {"fim.change.added", "fim.change.removed",
                                        "fim.change.modified"};
    static const char *const field_ids[YJ_FIM_NFIELDS] = {
        "fim.field.content", "fim.field.size",   "fim.field.mode",  "fim.field.owner",
        "fim.field.type",    "fim.field.target", "fim.field.mtime",
    };
    for (size_t i = 0; i < k->n; i++) {
        const struct change_rec *c = &k->v[i];
        fprintf(o, "  %s %s", yj_t(label[c->kind]), c->path);
        if (c->fields) {
            fputs(" (", o);
            bool first = true;
            for (unsigned f = 0; f < YJ_FIM_NFIELDS; f++)
                if (c->fields & (1u << f)) {
                    fprintf(o, "%s%s", first ? "" : ", ", yj_t(field_ids[f]));
                    first = false;
                }
            fputc(')', o);
        }
        fputc('\n', o);
    }
    for (size_t i = 0; i < k->alerts.n; i++) {
        const struct yj_fim_alert *a = &k->alerts.v[i];
        const struct yj_host_sig_info *si = yj_host_sig_info(a->sig);
        char summary[YJ_FIM_PATH_MAX + 512];
        yj_fim_alert_summary(a, k->cli->lang, summary, sizeof summary);
        yj_cli_print_alert(o, si->severity, si->code, yj_t(si->name_id), summary, NULL,
                           yj_t(si->advice_id), si->playbook);
    }
    if (k->alerts.dropped) {
        fprintf(o, yj_t("fim.more"), (unsigned long long)k->alerts.dropped);
        fputc('\n', o);
    }
    text_skips(k->cli, scans, nroots);
    if (k->n) {
        fputc('\n', o);
        fprintf(o, "%s\n", yj_t("fim.check.accept"));
    }
}

static int fim_check(struct yj_cli *cli, int argc, char **argv)
{
    struct fim_opts o = {0};
    int rc = parse_opts(cli, "check", argc, argv, true, &o);
    if (rc >= 0)
        return rc;
    bool json = o.json;
    const char *eve_path = o.eve;
    if (optind < argc) {
        yj_cli_error(cli, yj_t("fim.check_args"), argv[optind]);
        return yj_cli_usage(cli, "fim", false);
    }
    struct yj_store *st = NULL;
    if (yj_cli_store(cli, &st))
        return YJ_EXIT_FAIL;
    struct check k = {.cli = cli, .now = yj_now()};
    yj_arena_init(&k.arena);
    yj_fim_alerts_init(&k.alerts);
    const char **roots = NULL;
    size_t nroots = 0;
    int status = YJ_EXIT_OK;
    struct yj_fim_scan *scans = NULL;
    if (yj_fim_baseline_roots(st, &k.arena, &roots, &nroots)) {
        yj_cli_error(cli, yj_t("fim.store"), yj_store_errmsg(st));
        status = YJ_EXIT_FAIL;
        goto out;
    }
    if (!nroots) {
        yj_cli_error(cli, "%s", yj_t("fim.no_baseline"));
        status = YJ_EXIT_FAIL;
        goto out;
    }
    if (eve_path) {
        k.eve = strcmp(eve_path, "-") == 0 ? cli->out : fopen(eve_path, "w");
        if (!k.eve) {
            yj_cli_error(cli, yj_t("fim.eve_open"), eve_path, strerror(errno));
            status = YJ_EXIT_FAIL;
            goto out;
        }
        yj_buf_init(&k.b, (size_t)1 << 20);
    }
    scans = yj_xcalloc(nroots, sizeof *scans);
    uint64_t entries = 0;
    struct yj_diag d;
    yj_diag_init(&d);
    for (size_t i = 0; i < nroots && status == YJ_EXIT_OK; i++) {
        struct yj_fim_scan base;
        yj_fim_scan_init(&base);
        yj_fim_scan_init(&scans[i]);
        if (yj_fim_baseline_load(st, roots[i], &base)) {
            yj_cli_error(cli, yj_t("fim.store"), yj_store_errmsg(st));
            status = YJ_EXIT_FAIL;
        } else if (yj_fim_scan_root(&scans[i], roots[i], &d)) {
            status = YJ_EXIT_FAIL;
        } else {
            yj_fim_scan_sort(&scans[i]);
            entries += scans[i].n;
            yj_fim_compare(base.v, base.n, scans[i].v, scans[i].n, on_change, &k);
        }
        yj_fim_scan_fini(&base);
        /* Only the skip list is needed from here on: drop the entries early. */
        free(scans[i].v);
        scans[i].v = NULL;
        scans[i].n = scans[i].cap = 0;
    }
    yj_cli_diag(cli, &d);
    yj_diag_fini(&d);
    for (size_t i = 0; i < k.alerts.n; i++) {
        const struct yj_fim_alert *a = &k.alerts.v[i];
        if (a->sig != YJ_HOST_SIG_FIM_CHANGE)
            continue;
        char summary[YJ_FIM_PATH_MAX + 512];
        yj_fim_alert_summary(a, cli->lang, summary, sizeof summary);
        struct yj_event_fim f = {.path = a->path, .change = yj_fim_change_name(a->change)};
        struct yj_event al;
        yj_fim_alert_event(a, cli->lang, summary, &f, k.now, &al);
        eve_write(&k, &al);
    }
    if (k.eve) {
        if (fflush(k.eve) != 0 || ferror(k.eve)) {
            yj_cli_error(cli, yj_t("fim.eve_open"), eve_path, strerror(errno));
            status = YJ_EXIT_FAIL;
        }
        if (k.eve != cli->out && fclose(k.eve) != 0) {
            yj_cli_error(cli, yj_t("fim.eve_open"), eve_path, strerror(errno));
            status = YJ_EXIT_FAIL;
        }
        yj_buf_fini(&k.b);
    }
    if (status == YJ_EXIT_OK) {
        if (json)
            print_check_json(&k, roots, nroots, entries, scans);
        else
            print_check_text(&k, nroots, entries, scans);
        if (o.store) {
            fflush(cli->out);
            status = yj_cli_store_fim(cli, &k.alerts, k.now, json ? cli->err : cli->out);
        }
        if (o.notify) {
            fflush(cli->out);
            int ns = yj_cli_notify_fim(cli, &k.alerts, k.now, json ? cli->err : cli->out);
            if (ns > status)
                status = ns;
        }
    }
out:
    for (size_t i = 0; scans && i < nroots; i++)
        yj_fim_scan_fini(&scans[i]);
    free(scans);
    free(k.v);
    yj_fim_alerts_fini(&k.alerts);
    yj_arena_fini(&k.arena);
    yj_store_close(st);
    return status;
}

int yj_cmd_fim(struct yj_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return yj_cli_usage(cli, "fim", false);
    if (strcmp(argv[1], "init") == 0)
        return fim_init(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "check") == 0)
        return fim_check(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0)
        return yj_cli_usage(cli, "fim", true);
    yj_cli_error(cli, yj_t("fim.bad_sub"), argv[1]);
    return yj_cli_usage(cli, "fim", false);
}
