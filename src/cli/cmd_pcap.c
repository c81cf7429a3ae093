/* `yojin pcap FILE... [--eve OUT] [--json] [--bpf EXPR] [--max-flows N] [--ioc LIST]...
 * [--ioc-configured]` and
 * `yojin pcap --live IFACE [--seconds N] ...`: captures decoded by net/ through the same path
 * the sensor uses live. Every flow, anomaly and the final stats event go to --eve as EVE JSON
 * lines; the summary (or --json) goes to stdout: packets, bytes, flows, anomalies and what
 * was dropped at the limits. A damaged or truncated file is named on stderr with the packet
 * number where reading stopped; what came before it is still counted. Exit status: 0, 2 for
 * a bad file or bad usage, 1 for a capture or output failure. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert/alert.h"
#include "base/buf.h"
#include "base/date.h"
#include "base/i18n.h"
#include "base/str.h"
#include "cli.h"
#include "event/event.h"
#include "ioc/ioc.h"
#include "net/net.h"

enum { OPT_EVE = 1000, OPT_JSON, OPT_BPF, OPT_MAX_FLOWS, OPT_LIVE, OPT_SECONDS, OPT_IOC,
       OPT_IOC_CONFIGURED, OPT_STORE, OPT_HELP };

#define MAX_IOC_FILES 64

#define MAX_KINDS 64

struct kind {
    char name[48];
    uint64_t count;
};

#define MAX_SHOWN 200 /* alerts kept for the summary; more are counted */

/* One alert as the summary shows it (copies: the event's strings live only in on_event). */
struct shown {
    char code[24], src[64], dest[64];
    int severity;
    uint64_t count;
    int64_t ts;
    char *name, *summary, *advice, *playbook, *category;
    unsigned signature_id;
};

struct sink {
    FILE *f;
    struct yj_buf b;
    uint64_t anomalies;
    struct kind kinds[MAX_KINDS];
    size_t nkinds;
    struct shown shown[MAX_SHOWN];
    size_t nshown;
    uint64_t alerts;
    struct yj_store *st; /* --store */
    unsigned added, updated;
    bool store_failed;
};

static void keep_alert(struct sink *s, const struct yj_event *ev)
{
    s->alerts++;
    if (s->st) {
        bool is_new = false;
        struct yj_diag d;
        yj_diag_init(&d);
        if (yj_alert_record(s->st, ev, "pcap", NULL, &is_new, &d))
            s->store_failed = true;
        else if (is_new)
            s->added++;
        else
            s->updated++;
        yj_diag_fini(&d);
    }
    if (s->nshown == MAX_SHOWN)
        return;
    const struct yj_event_alert *a = &ev->u.alert;
    struct shown *x = &s->shown[s->nshown++];
    snprintf(x->code, sizeof x->code, "%s", a->code ? a->code : "");
    snprintf(x->src, sizeof x->src, "%s", ev->src_ip ? ev->src_ip : "");
    snprintf(x->dest, sizeof x->dest, "%s", ev->dest_ip ? ev->dest_ip : "");
    x->severity = a->severity >= 1 && a->severity <= 3 ? a->severity : 3;
    x->count = a->count;
    x->ts = ev->ts;
    x->signature_id = a->signature_id;
    x->name = yj_xstrdup(a->signature ? a->signature : "");
    x->summary = yj_xstrdup(a->summary ? a->summary : "");
    x->advice = yj_xstrdup(a->advice ? a->advice : "");
    x->playbook = yj_xstrdup(a->playbook ? a->playbook : "");
    x->category = yj_xstrdup(a->category ? a->category : "");
}

static void free_shown(struct sink *s)
{
    for (size_t i = 0; i < s->nshown; i++) {
        free(s->shown[i].name);
        free(s->shown[i].summary);
        free(s->shown[i].advice);
        free(s->shown[i].playbook);
        free(s->shown[i].category);
    }
}

static void count_kind(struct sink *s, const char *name)
{
    for (size_t i = 0; i < s->nkinds; i++) {
        if (strcmp(s->kinds[i].name, name) == 0) {
            s->kinds[i].count++;
            return;
        }
    }
    if (s->nkinds < MAX_KINDS) {
        snprintf(s->kinds[s->nkinds].name, sizeof s->kinds[0].name, "%s", name);
        s->kinds[s->nkinds++].count = 1;
    }
}

static void on_event(void *ctx, const struct yj_event *ev)
{
    struct sink *s = ctx;
    if (ev->type == YJ_EVENT_ALERT)
        keep_alert(s, ev);
    if (ev->type == YJ_EVENT_ANOMALY) {
        s->anomalies++;
        count_kind(s, ev->u.anomaly.event);
    }
    if (!s->f)
        return;
    yj_buf_reset(&s->b);
    yj_eve_write(&s->b, ev);
    if (!yj_buf_err(&s->b))
        fwrite(s->b.p, 1, s->b.len, s->f);
}

struct input {
    const char *name;
    uint64_t packets;
    bool failed;
};

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The end of reading one input: a failure is marked and said; status is the exit status
 * for it (0 when err is YJ_ERR_OK). */
static int done_input(struct yj_cli *cli, struct input *in, enum yj_err err, struct yj_diag *d,
                      int status)
{
    if (err) {
        in->failed = true;
        yj_cli_diag(cli, d);
    }
    yj_diag_fini(d);
    return err ? status : YJ_EXIT_OK;
}

/* Reads one file to its end; returns the exit status for it. */
static int read_file(struct yj_cli *cli, struct yj_net *n, const char *bpf, struct input *in)
{
    struct yj_diag d;
    yj_diag_init(&d);
    struct yj_net_source *src;
    enum yj_err err = yj_net_source_open_file(in->name, bpf, &src, &d);
    if (!err) {
        bool done = false;
        while (!err && !done)
            err = yj_net_source_dispatch(src, n, 0, &done, &d);
        in->packets = yj_net_source_packets(src);
        yj_net_source_close(src);
    }
    return done_input(cli, in, err, &d, yj_cli_status(err));
}

static volatile sig_atomic_t stop_live;

static void on_stop(int sig)
{
    (void)sig;
    stop_live = 1;
}

static int read_live(struct yj_cli *cli, struct yj_sensor *sn, const char *bpf, long seconds,
                     struct input *in, uint64_t *kdrops)
{
    struct yj_net *n = yj_sensor_engine(sn);
    struct yj_diag d;
    yj_diag_init(&d);
    struct yj_net_source *src;
    enum yj_err err = yj_net_source_open_live(in->name, bpf, NULL, &src, &d);
    if (!err) {
        /* Ctrl-C or SIGTERM end the capture early; the flows seen are still reported. */
        struct sigaction sa = {.sa_handler = on_stop}, old_int, old_term;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &old_int);
        sigaction(SIGTERM, &sa, &old_term);
        stop_live = 0;
        int64_t end = mono_ms() + seconds * 1000;
        struct pollfd pfd = {.fd = yj_net_source_fd(src), .events = POLLIN};
        bool done = false;
        while (!err && !done && !stop_live) {
            int64_t left = end - mono_ms();
            if (left <= 0)
                break;
            int rc = poll(&pfd, 1, (int)(left < 200 ? left : 200));
            if (rc < 0 && errno != EINTR)
                break;
            err = yj_net_source_dispatch(src, n, 0, &done, &d);
            yj_sensor_tick(sn, now_us());
        }
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        in->packets = yj_net_source_packets(src);
        *kdrops = yj_net_source_kernel_drops(src);
        yj_net_source_close(src);
    }
    return done_input(cli, in, err, &d, err == YJ_ERR_USAGE ? YJ_EXIT_USAGE : YJ_EXIT_FAIL);
}

struct kv {
    const char *key;
    uint64_t v;
};

static void kv_obj(struct yj_json *j, const char *key, const struct kv *v, size_t n)
{
    yj_json_key(j, key);
    yj_json_obj(j);
    for (size_t i = 0; i < n; i++)
        yj_json_kint(j, v[i].key, (int64_t)v[i].v);
    yj_json_end_obj(j);
}

static void print_json(struct yj_cli *cli, const struct input *ins, size_t nin,
                       const struct yj_net_stats *st, const struct sink *s, uint64_t kdrops)
{
    struct yj_buf b;
    struct yj_json j;
    yj_buf_init(&b, (size_t)16 << 20);
    yj_json_init(&j, &b, true);
    yj_json_obj(&j);
    yj_json_key(&j, "inputs");
    yj_json_arr(&j);
    for (size_t i = 0; i < nin; i++) {
        yj_json_obj(&j);
        yj_json_kstr(&j, "name", ins[i].name);
        yj_json_kbool(&j, "ok", !ins[i].failed);
        yj_json_kint(&j, "packets", (int64_t)ins[i].packets);
        yj_json_end_obj(&j);
    }
    yj_json_end_arr(&j);
    yj_json_kint(&j, "packets", (int64_t)st->pkts);
    yj_json_kint(&j, "bytes", (int64_t)st->bytes);
    yj_json_kint(&j, "invalid", (int64_t)st->invalid);
    const struct kv decoded[] = {
        {"ethernet", st->ethernet}, {"vlan", st->vlan}, {"arp", st->arp},
        {"ipv4", st->ipv4},         {"ipv6", st->ipv6}, {"tcp", st->tcp},
        {"udp", st->udp},           {"icmpv4", st->icmpv4}, {"icmpv6", st->icmpv6},
    };
    kv_obj(&j, "decoded", decoded, sizeof decoded / sizeof decoded[0]);
    const struct kv flows[] = {
        {"total", st->flows},         {"tcp", st->flows_tcp},
        {"udp", st->flows_udp},       {"icmp", st->flows_icmp},
        {"other", st->flows_other},   {"timeout", st->flows_timeout},
        {"shutdown", st->flows_shutdown},
    };
    kv_obj(&j, "flows", flows, sizeof flows / sizeof flows[0]);
    const struct kv defrag[] = {
        {"ipv4_fragments", st->frag4}, {"ipv4_reassembled", st->reasm4},
        {"ipv6_fragments", st->frag6}, {"ipv6_reassembled", st->reasm6},
        {"overlaps", st->frag_overlap},
    };
    kv_obj(&j, "defrag", defrag, sizeof defrag / sizeof defrag[0]);
    yj_json_kint(&j, "anomalies", (int64_t)st->anomalies);
    yj_json_key(&j, "anomaly_kinds");
    yj_json_arr(&j);
    for (size_t i = 0; i < s->nkinds; i++) {
        yj_json_obj(&j);
        yj_json_kstr(&j, "event", s->kinds[i].name);
        yj_json_kint(&j, "count", (int64_t)s->kinds[i].count);
        yj_json_end_obj(&j);
    }
    yj_json_end_arr(&j);
    const struct kv dropped[] = {
        {"flows_refused", st->flows_refused},
        {"flows_evicted", st->flows_evicted},
        {"frag_trackers_full", st->frag_trackers_full},
        {"stream_ooo", st->stream_ooo_dropped},
        {"kernel", kdrops},
    };
    kv_obj(&j, "dropped", dropped, sizeof dropped / sizeof dropped[0]);
    yj_json_kint(&j, "alerts_total", (int64_t)s->alerts);
    yj_json_key(&j, "alerts");
    yj_json_arr(&j);
    for (size_t i = 0; i < s->nshown; i++) {
        const struct shown *x = &s->shown[i];
        char when[YJ_ISO_LEN];
        yj_time_iso(x->ts, when);
        yj_json_obj(&j);
        yj_json_kint(&j, "signature_id", x->signature_id);
        yj_json_kstr(&j, "code", x->code);
        yj_json_kstr(&j, "signature", x->name);
        yj_json_kstr(&j, "category", x->category);
        yj_json_kint(&j, "severity", x->severity);
        yj_json_kstr(&j, "src_ip", x->src[0] ? x->src : NULL);
        yj_json_kstr(&j, "dest_ip", x->dest[0] ? x->dest : NULL);
        yj_json_kint(&j, "count", (int64_t)x->count);
        yj_json_kstr(&j, "timestamp", when);
        yj_json_kstr(&j, "summary", x->summary);
        yj_json_kstr(&j, "advice", x->advice);
        yj_json_kstr(&j, "playbook", x->playbook);
        yj_json_end_obj(&j);
    }
    yj_json_end_arr(&j);
    yj_json_end_obj(&j);
    yj_buf_addc(&b, '\n');
    yj_cli_print_json(cli, &b);
}

static void line(FILE *o, const char *key, ...)
{
    va_list ap;
    va_start(ap, key);
    vfprintf(o, yj_t(key), ap);
    va_end(ap);
    fputc('\n', o);
}

static void print_alerts(struct yj_cli *cli, const struct sink *s)
{
    FILE *o = cli->out;
    if (!s->alerts) {
        fprintf(o, "%s\n", yj_t("pcap.no_alerts"));
        return;
    }
    line(o, "pcap.alerts", (unsigned long long)s->alerts);
    for (size_t i = 0; i < s->nshown; i++) {
        const struct shown *x = &s->shown[i];
        char iso[YJ_ISO_LEN], when[128];
        yj_time_iso(x->ts, iso);
        snprintf(when, sizeof when, yj_t("pcap.when"), iso, (unsigned long long)x->count);
        yj_cli_print_alert(o, x->severity, x->code, x->name, x->summary, when, x->advice,
                           x->playbook);
    }
    if (s->alerts > s->nshown)
        line(o, "pcap.alerts_more", (unsigned long long)(s->alerts - s->nshown));
}

static void print_text(struct yj_cli *cli, const struct input *ins, size_t nin,
                       const struct yj_net_stats *st, uint64_t kdrops)
{
    FILE *o = cli->out;
    typedef unsigned long long ull;
    for (size_t i = 0; i < nin; i++)
        line(o, ins[i].failed ? "pcap.input_failed" : "pcap.input", ins[i].name,
             (ull)ins[i].packets);
    line(o, "pcap.total", (ull)st->pkts, (ull)st->bytes);
    line(o, "pcap.flows", (ull)st->flows, (ull)st->flows_tcp, (ull)st->flows_udp,
         (ull)st->flows_icmp, (ull)st->flows_other);
    if (st->reasm4 || st->reasm6 || st->frag4 || st->frag6)
        line(o, "pcap.defrag", (ull)st->frag4 + st->frag6, (ull)st->reasm4 + st->reasm6);
    if (st->anomalies)
        line(o, "pcap.anomalies", (ull)st->anomalies);
    else
        fprintf(o, "%s\n", yj_t("pcap.no_anomalies"));
    if (st->flows_refused || st->flows_evicted || st->frag_trackers_full ||
        st->stream_ooo_dropped || kdrops)
        line(o, "pcap.dropped", (ull)st->flows_refused, (ull)st->flows_evicted,
             (ull)st->frag_trackers_full, (ull)st->stream_ooo_dropped, (ull)kdrops);
    else
        fprintf(o, "%s\n", yj_t("pcap.nothing_dropped"));
}

int yj_cmd_pcap(struct yj_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"eve", required_argument, NULL, OPT_EVE},
        {"json", no_argument, NULL, OPT_JSON},
        {"bpf", required_argument, NULL, OPT_BPF},
        {"max-flows", required_argument, NULL, OPT_MAX_FLOWS},
        {"live", required_argument, NULL, OPT_LIVE},
        {"seconds", required_argument, NULL, OPT_SECONDS},
        {"ioc", required_argument, NULL, OPT_IOC},
        {"ioc-configured", no_argument, NULL, OPT_IOC_CONFIGURED},
        {"store", no_argument, NULL, OPT_STORE},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    const char *eve_path = NULL, *bpf = NULL, *live = NULL;
    bool json = false, ioc_configured = false, store = false;
    const char *ioc_files[MAX_IOC_FILES];
    size_t nioc = 0;
    long max_flows = 0, seconds = 10;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_EVE: eve_path = optarg; break;
        case OPT_JSON: json = true; break;
        case OPT_BPF: bpf = optarg; break;
        case OPT_LIVE: live = optarg; break;
        case OPT_IOC_CONFIGURED: ioc_configured = true; break;
        case OPT_STORE: store = true; break;
        case OPT_IOC:
            if (nioc == MAX_IOC_FILES) {
                yj_cli_error(cli, yj_t("pcap.bad_number"), "--ioc", optarg);
                return yj_cli_usage(cli, "pcap", false);
            }
            ioc_files[nioc++] = optarg;
            break;
        case OPT_MAX_FLOWS:
            if (!yj_str_to_long(yj_str_c(optarg), &max_flows) || max_flows < 1 ||
                max_flows > 16000000) {
                yj_cli_error(cli, yj_t("pcap.bad_number"), "--max-flows", optarg);
                return yj_cli_usage(cli, "pcap", false);
            }
            break;
        case OPT_SECONDS:
            if (!yj_str_to_long(yj_str_c(optarg), &seconds) || seconds < 1 || seconds > 86400) {
                yj_cli_error(cli, yj_t("pcap.bad_number"), "--seconds", optarg);
                return yj_cli_usage(cli, "pcap", false);
            }
            break;
        case OPT_HELP:
        case 'h': return yj_cli_usage(cli, "pcap", true);
        default:
            yj_cli_error(cli, yj_t("cli.bad_option"), argv[optind - 1]);
            return yj_cli_usage(cli, "pcap", false);
        }
    }
    if ((optind >= argc) == !live) {
        yj_cli_error(cli, "%s", yj_t("pcap.need_input"));
        return yj_cli_usage(cli, "pcap", false);
    }
    /* Threat lists: only those named on the command line, unless --ioc-configured adds the
     * configured lists and downloaded feeds (a capture's result depends on its arguments). */
    struct yj_ioc_holder *ioc = NULL;
    if (nioc || ioc_configured) {
        struct yj_ioc_set *set;
        struct yj_diag id;
        yj_diag_init(&id);
        enum yj_err ierr = yj_ioc_load_lists(cli->data_dir, ioc_configured, ioc_files, nioc,
                                             &set, &id);
        yj_cli_diag(cli, &id);
        yj_diag_fini(&id);
        if (ierr)
            return yj_cli_status(ierr);
        ioc = yj_ioc_holder_new(set);
    }
    struct sink *sink = yj_xcalloc(1, sizeof *sink);
    if (store && yj_cli_store(cli, &sink->st)) {
        free(sink);
        return YJ_EXIT_FAIL;
    }
    if (eve_path) {
        sink->f = strcmp(eve_path, "-") == 0 ? cli->out : fopen(eve_path, "w");
        if (!sink->f) {
            yj_cli_error(cli, yj_t("pcap.eve_open"), eve_path, strerror(errno));
            free(sink);
            yj_ioc_holder_free(ioc);
            return YJ_EXIT_FAIL;
        }
        yj_buf_init(&sink->b, (size_t)1 << 20);
    }
    struct yj_sensor_opts so;
    yj_sensor_opts_default(&so);
    so.lang = cli->lang;
    so.ioc = ioc;
    if (max_flows)
        so.net.max_flows = (size_t)max_flows;
    /* Without --eve nobody reads flow, stats or application events: they are not built
     * (detectors still get every record; the summary needs the anomalies' names). */
    if (!sink->f) {
        so.event_mask = 1u << YJ_EVENT_ANOMALY;
        so.app_events = false;
    }
    struct yj_sensor *sn;
    struct yj_diag sd;
    yj_diag_init(&sd);
    enum yj_err serr = yj_sensor_new(&sn, &so, on_event, sink, &sd);
    yj_cli_diag(cli, &sd);
    yj_diag_fini(&sd);
    if (serr) {
        if (sink->f && sink->f != cli->out)
            fclose(sink->f);
        yj_buf_fini(&sink->b);
        free(sink);
        yj_ioc_holder_free(ioc);
        return yj_cli_status(serr);
    }
    struct yj_net *n = yj_sensor_engine(sn);

    size_t nin = live ? 1 : (size_t)(argc - optind);
    struct input *ins = yj_xcalloc(nin, sizeof *ins);
    int status = YJ_EXIT_OK;
    uint64_t kdrops = 0;
    for (size_t i = 0; i < nin; i++) {
        ins[i].name = live ? live : argv[optind + (int)i];
        int s = live ? read_live(cli, sn, bpf, seconds, &ins[i], &kdrops)
                     : read_file(cli, n, bpf, &ins[i]);
        if (s > status)
            status = s;
    }
    yj_sensor_finish(sn);
    struct yj_net_stats st;
    yj_net_get_stats(n, &st);
    if (sink->f) {
        bool bad = fflush(sink->f) != 0 || ferror(sink->f);
        if (sink->f != cli->out && fclose(sink->f) != 0)
            bad = true;
        if (bad) {
            yj_cli_error(cli, yj_t("pcap.eve_open"), eve_path, strerror(errno));
            if (status < YJ_EXIT_FAIL)
                status = YJ_EXIT_FAIL;
        }
        yj_buf_fini(&sink->b);
    }
    if (json) {
        print_json(cli, ins, nin, &st, sink, kdrops);
    } else {
        print_text(cli, ins, nin, &st, kdrops);
        print_alerts(cli, sink);
    }
    if (sink->st) {
        yj_store_close(sink->st);
        fprintf(json ? cli->err : cli->out, yj_t("alert.cli.stored"), sink->added, sink->updated);
        fputc('\n', json ? cli->err : cli->out);
        if (sink->store_failed) {
            yj_cli_error(cli, "%s", yj_t("alert.cli.failed"));
            if (status < YJ_EXIT_FAIL)
                status = YJ_EXIT_FAIL;
        }
    }
    free_shown(sink);
    free(ins);
    yj_sensor_free(sn);
    yj_ioc_holder_free(ioc);
    free(sink);
    return status;
}
