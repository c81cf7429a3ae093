/* Test driver for the live file monitor (src/host/fsmon.c): opens a yj_fsmon on the folders
 * given, polls its descriptors and prints every event as an EVE JSON line on stdout, until
 * SIGTERM or SIGINT. A first line {"event_type":"ready",...} tells that the watches are in
 * place and whether fanotify names processes. Built only with the tests.
 *
 * Usage: fsmon_driver [--data DIR]... [--system DIR]... [--stop] [--no-fanotify]
 *                     [--lang en|ja] [--detect FILE] */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/file.h"
#include "host/host.h"

static volatile sig_atomic_t done;

static void on_signal(int sig)
{
    (void)sig;
    done = 1;
}

static void emit(void *ctx, const struct yj_event *ev)
{
    struct yj_buf *b = ctx;
    yj_buf_reset(b);
    yj_eve_write(b, ev);
    fputs(yj_buf_cstr(b), stdout);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    const char *data[16], *sys[16];
    size_t nd = 0, ns = 0;
    struct yj_fsmon_opts o = {.lang = YJ_LANG_EN};
    struct yj_host_config cfg;
    yj_host_config_default(&cfg);
    struct yj_diag d;
    yj_diag_init(&d);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--data") == 0 && v && nd < 16)
            data[nd++] = argv[++i];
        else if (strcmp(a, "--system") == 0 && v && ns < 16)
            sys[ns++] = argv[++i];
        else if (strcmp(a, "--stop") == 0)
            o.stop_process = true;
        else if (strcmp(a, "--no-fanotify") == 0)
            o.no_fanotify = true;
        else if (strcmp(a, "--lang") == 0 && v)
            o.lang = strcmp(argv[++i], "ja") == 0 ? YJ_LANG_JA : YJ_LANG_EN;
        else if (strcmp(a, "--detect") == 0 && v) {
            if (yj_host_config_load(&cfg, argv[++i], &d) != YJ_ERR_OK) {
                fprintf(stderr, "fsmon_driver: bad thresholds file\n");
                return 2;
            }
        } else {
            fprintf(stderr, "usage: fsmon_driver [--data DIR]... [--system DIR]... [--stop] "
                            "[--no-fanotify] [--lang en|ja] [--detect FILE]\n");
            return 2;
        }
    }
    char *po = yj_share_path("po");
    if (yj_i18n_init(po, &d) != YJ_ERR_OK)
        fprintf(stderr, "fsmon_driver: no catalogs\n");
    free(po);
    yj_lang_set(o.lang);
    o.data_dirs = data;
    o.ndata = nd;
    o.system_paths = sys;
    o.nsystem = ns;
    o.cfg = &cfg;
    struct yj_fsmon *m;
    if (yj_fsmon_open(&m, &o, &d) != YJ_ERR_OK) {
        for (size_t i = 0; i < d.n; i++)
            fprintf(stderr, "fsmon_driver: %s\n", d.v[i].msg);
        return 1;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    struct yj_fsmon_stats st = yj_fsmon_stats(m);
    printf("{\"event_type\":\"ready\",\"fanotify\":%s,\"watches\":%llu}\n",
           st.fanotify ? "true" : "false", (unsigned long long)st.watches);
    fflush(stdout);
    struct yj_buf b;
    yj_buf_init(&b, 1 << 20);
    int64_t last = 0;
    while (!done) {
        struct pollfd pf[2];
        nfds_t n = 0;
        for (size_t i = 0; i < 2; i++) {
            int fd = yj_fsmon_fd(m, i);
            if (fd >= 0)
                pf[n++] = (struct pollfd){.fd = fd, .events = POLLIN};
        }
        int rc = poll(pf, n, 200);
        int64_t now = (int64_t)time(NULL);
        if (rc > 0)
            yj_fsmon_read(m, now, emit, &b);
        else if (rc < 0 && errno != EINTR)
            break;
        if (now != last) {
            yj_fsmon_tick(m, now, emit, &b);
            last = now;
        }
    }
    st = yj_fsmon_stats(m);
    fprintf(stderr,
            "fsmon_driver: events %llu, watches %llu, failed %llu, overflows %llu, fim %llu, "
            "alerts %llu, stopped %llu\n",
            (unsigned long long)st.events, (unsigned long long)st.watches,
            (unsigned long long)st.watch_failed, (unsigned long long)st.overflows,
            (unsigned long long)st.fim, (unsigned long long)st.alerts,
            (unsigned long long)st.stopped);
    yj_buf_fini(&b);
    yj_fsmon_close(m);
    yj_i18n_fini();
    yj_diag_fini(&d);
    return 0;
}
