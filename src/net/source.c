/* Packet sources through libpcap, the only user of it in yojin: files (pcap and pcapng,
 * pcap_open_offline) and live interfaces (pcap_create + activate) share one dispatch path
 * that hands each frame to yj_net_feed. A live source offers a selectable descriptor so the
 * watch loop can poll it with its other inputs. */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "net_int.h"

struct yj_net_source {
    pcap_t *p;
    char *name; /* file path or interface */
    bool live;
    int linktype;
    uint64_t packets;
    struct yj_net *n; /* during dispatch */
};

static enum yj_err set_filter(struct yj_net_source *s, const char *bpf, struct yj_diag *d)
{
    if (!bpf || !bpf[0])
        return YJ_ERR_OK;
    struct bpf_program prog;
    if (pcap_compile(s->p, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) != 0)
        return yj_diag_fail(d, YJ_ERR_USAGE, NULL, 0, yj_t("net.bpf"), bpf, pcap_geterr(s->p));
    int rc = pcap_setfilter(s->p, &prog);
    pcap_freecode(&prog);
    if (rc != 0)
        return yj_diag_fail(d, YJ_ERR_IO, NULL, 0, yj_t("net.bpf"), bpf, pcap_geterr(s->p));
    return YJ_ERR_OK;
}

static struct yj_net_source *source_new(pcap_t *p, const char *name, bool live)
{
    struct yj_net_source *s = yj_xcalloc(1, sizeof *s);
    s->p = p;
    s->name = yj_xstrdup(name);
    s->live = live;
    return s;
}

enum yj_err yj_net_source_open_file(const char *path, const char *bpf,
                                    struct yj_net_source **out, struct yj_diag *d)
{
    char eb[PCAP_ERRBUF_SIZE] = "";
    *out = NULL;
    /* Opened here so that a missing or unreadable file is an I/O error with its reason,
     * and only a file libpcap cannot make sense of is bad input. */
    FILE *f = fopen(path, "rb");
    if (!f)
        return yj_diag_fail(d, YJ_ERR_IO, path, 0, yj_t("net.open"), strerror(errno));
    pcap_t *p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_MICRO, eb);
    if (!p) {
        fclose(f);
        return yj_diag_fail(d, YJ_ERR_PARSE, path, 0, yj_t("net.bad_file"), eb);
    }
    struct yj_net_source *s = source_new(p, path, false);
    s->linktype = pcap_datalink(p);
    enum yj_err err = set_filter(s, bpf, d);
    if (err) {
        yj_net_source_close(s);
        return err;
    }
    *out = s;
    return YJ_ERR_OK;
}

enum yj_err yj_net_source_open_live(const char *iface, const char *bpf,
                                    const struct yj_net_live_opts *opts,
                                    struct yj_net_source **out, struct yj_diag *d)
{
    struct yj_net_live_opts o = {262144, true, 8 << 20, 100};
    if (opts)
        o = *opts;
    char eb[PCAP_ERRBUF_SIZE] = "";
    *out = NULL;
    pcap_t *p = pcap_create(iface, eb);
    if (!p)
        return yj_diag_fail(d, YJ_ERR_IO, NULL, 0, yj_t("net.live"), iface, eb);
    pcap_set_snaplen(p, o.snaplen > 0 ? o.snaplen : 262144);
    pcap_set_promisc(p, o.promisc);
    pcap_set_timeout(p, o.timeout_ms > 0 ? o.timeout_ms : 100);
    pcap_set_immediate_mode(p, 1);
    if (o.buffer_size > 0)
        pcap_set_buffer_size(p, o.buffer_size);
    pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_MICRO);
    int rc = pcap_activate(p);
    if (rc < 0) {
        enum yj_err e =
            yj_diag_fail(d, YJ_ERR_IO, NULL, 0, yj_t("net.live"), iface, pcap_geterr(p));
        pcap_close(p);
        return e;
    }
    struct yj_net_source *s = source_new(p, iface, true);
    s->linktype = pcap_datalink(p);
    enum yj_err err = set_filter(s, bpf, d);
    if (!err && pcap_setnonblock(p, 1, eb) != 0)
        err = yj_diag_fail(d, YJ_ERR_IO, NULL, 0, yj_t("net.live"), iface, eb);
    if (err) {
        yj_net_source_close(s);
        return err;
    }
    *out = s;
    return YJ_ERR_OK;
}

void yj_net_source_close(struct yj_net_source *s)
{
    if (!s)
        return;
    pcap_close(s->p);
    free(s->name);
    free(s);
}

int yj_net_source_fd(const struct yj_net_source *s)
{
    return s->live ? pcap_get_selectable_fd(s->p) : -1;
}

static void on_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
    struct yj_net_source *s = (struct yj_net_source *)user;
    s->packets++;
    int64_t ts = (int64_t)h->ts.tv_sec * 1000000 + (int64_t)h->ts.tv_usec;
    yj_net_feed(s->n, s->linktype, ts, bytes, h->caplen, h->len);
}

enum yj_err yj_net_source_dispatch(struct yj_net_source *s, struct yj_net *n, int max,
                                   bool *done, struct yj_diag *d)
{
    *done = false;
    s->n = n;
    int rc = pcap_dispatch(s->p, max > 0 ? max : (s->live ? -1 : 4096), on_frame, (u_char *)s);
    s->n = NULL;
    if (rc >= 0) {
        if (rc == 0 && !s->live)
            *done = true;
        return YJ_ERR_OK;
    }
    if (rc == PCAP_ERROR_BREAK) {
        *done = true;
        return YJ_ERR_OK;
    }
    if (s->live)
        return yj_diag_fail(d, YJ_ERR_IO, NULL, 0, yj_t("net.live"), s->name, pcap_geterr(s->p));
    /* A damaged file: libpcap stops at the record it could not read. */
    return yj_diag_fail(d, YJ_ERR_PARSE, s->name, 0, yj_t("net.damaged"),
                        (unsigned long long)(s->packets + 1), pcap_geterr(s->p));
}

uint64_t yj_net_source_packets(const struct yj_net_source *s)
{
    return s->packets;
}

uint64_t yj_net_source_kernel_drops(const struct yj_net_source *s)
{
    struct pcap_stat st;
    if (!s->live || pcap_stats(s->p, &st) != 0)
        return 0;
    return (uint64_t)st.ps_drop + st.ps_ifdrop;
}
