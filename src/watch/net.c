/* `yojin watch` on the network: live captures (libpcap, through the same sensor as
 * `yojin pcap`) read in the epoll loop, threat lists held for reloading without a pause. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <time.h>

#include "base/i18n.h"
#include "ioc/ioc.h"
#include "net/net.h"
#include "watch_int.h"

struct watch_net {
    struct yj_sensor *sn;
    struct yj_ioc_holder *ioc;
    struct yj_ioc_lists lists; /* what reloads build: configured lists and downloaded feeds */
    char data_dir[PATH_MAX];
    struct timespec ioc_mtime; /* of <data>/ioc when the lists were last (re)loaded */
    struct yj_net_source *src[YJ_WATCH_MAX_IFACES];
    const char *names[YJ_WATCH_MAX_IFACES];
    size_t n;
    unsigned ticks;
    int ep;                                   /* the loop, to take a failed capture out */
    bool failed[YJ_WATCH_MAX_IFACES];
};

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static struct timespec ioc_dir_mtime(const struct watch_net *w)
{
    char p[PATH_MAX + 8];
    snprintf(p, sizeof p, "%s/ioc", w->data_dir);
    struct stat st;
    struct timespec zero = {0, 0};
    return stat(p, &st) == 0 ? st.st_mtim : zero;
}

enum yj_err watch_net_open(struct watch_net **out, const struct yj_watch_opts *o,
                           const struct watch_config *c, struct watch_sink *sink, int ep,
                           uint64_t base, struct yj_diag *d)
{
    *out = NULL;
    const char *const *ifaces = o->nifaces ? o->ifaces : c->ifaces;
    size_t nifaces = o->nifaces ? o->nifaces : c->nifaces;
    if (!nifaces)
        return YJ_ERR_OK;
    struct watch_net *w = yj_xcalloc(1, sizeof *w);
    if (!realpath(o->data_dir, w->data_dir))
        snprintf(w->data_dir, sizeof w->data_dir, "%s", o->data_dir);
    w->lists = (struct yj_ioc_lists){.data_dir = w->data_dir, .configured = true};
    w->ioc_mtime = ioc_dir_mtime(w);
    struct yj_ioc_set *set;
    enum yj_err err = yj_ioc_load_lists(w->data_dir, true, NULL, 0, &set, d);
    if (err) {
        free(w);
        return err;
    }
    w->ioc = yj_ioc_holder_new(set);
    w->ep = ep;
    struct yj_sensor_opts so;
    yj_sensor_opts_default(&so);
    so.lang = o->lang;
    so.ioc = w->ioc;
    *out = w;
    if ((err = yj_sensor_new(&w->sn, &so, watch_emit, sink, d)))
        return err;
    const char *bpf = o->bpf ? o->bpf : c->bpf;
    for (size_t i = 0; i < nifaces; i++) {
        if ((err = yj_net_source_open_live(ifaces[i], bpf, NULL, &w->src[i], d)))
            return err;
        w->names[i] = ifaces[i];
        w->n++;
        struct epoll_event ev = {.events = EPOLLIN, .data.u64 = base + i};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, yj_net_source_fd(w->src[i]), &ev) != 0)
            return yj_diag_fail(d, YJ_ERR_IO, NULL, 0, "epoll: %s", strerror(errno));
    }
    return YJ_ERR_OK;
}

size_t watch_net_count(const struct watch_net *w) { return w ? w->n : 0; }

const char *watch_net_name(const struct watch_net *w, size_t i)
{
    return w && i < w->n ? w->names[i] : NULL;
}

void watch_net_read(struct watch_net *w, size_t i)
{
    if (!w || i >= w->n || w->failed[i])
        return;
    struct yj_diag d;
    yj_diag_init(&d);
    bool done = false;
    /* A bounded batch per turn, so that one busy interface does not starve the others. */
    if (yj_net_source_dispatch(w->src[i], yj_sensor_engine(w->sn), 1024, &done, &d)) {
        /* A capture that fails (the interface went away) is said once and taken out of the
         * loop, which would otherwise wake for it without end; the rest goes on. */
        for (size_t k = 0; k < d.n; k++)
            fprintf(stderr, "yojin: %s: %s\n", w->names[i], d.v[k].msg);
        fprintf(stderr, "yojin: %s: %s\n", w->names[i], yj_t("watch.capture_stopped"));
        epoll_ctl(w->ep, EPOLL_CTL_DEL, yj_net_source_fd(w->src[i]), NULL);
        w->failed[i] = true;
    }
    yj_diag_fini(&d);
}

void watch_net_reload(struct watch_net *w)
{
    if (!w)
        return;
    w->ioc_mtime = ioc_dir_mtime(w);
    /* YJ_ERR_STATE: a reload is running already; it will see the same files. */
    if (yj_ioc_holder_reload(w->ioc, yj_ioc_build_lists, &w->lists)) {
        /* nothing to do */
    }
}

void watch_net_tick(struct watch_net *w)
{
    if (!w)
        return;
    yj_sensor_tick(w->sn, now_us());
    /* yojin ioc update replaces feed files in <data>/ioc: reload when that folder changed. */
    if (++w->ticks % 10 == 0) {
        struct timespec m = ioc_dir_mtime(w);
        if (m.tv_sec != w->ioc_mtime.tv_sec || m.tv_nsec != w->ioc_mtime.tv_nsec)
            watch_net_reload(w);
    }
}

void watch_net_close(struct watch_net *w)
{
    if (!w)
        return;
    if (w->sn) {
        for (size_t i = 0; i < w->n; i++)
            watch_net_read(w, i);
        yj_sensor_finish(w->sn);
        yj_sensor_free(w->sn);
    }
    for (size_t i = 0; i < w->n; i++)
        yj_net_source_close(w->src[i]);
    struct yj_diag d;
    yj_diag_init(&d);
    if (yj_ioc_holder_wait(w->ioc, &d))
        for (size_t k = 0; k < d.n; k++)
            fprintf(stderr, "yojin: %s\n", d.v[k].msg);
    yj_diag_fini(&d);
    yj_ioc_holder_free(w->ioc);
    free(w);
}
