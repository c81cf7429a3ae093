/* The clock and the host: what time this machine thinks it is and how it keeps time (the
 * clock source, whether the kernel clock is synchronised, the time zone), when it booted,
 * what it is (uname, /etc/os-release) and copies of a few small files that say how it is
 * set up (hosts, resolv.conf, kernel command line, loaded modules, mounts).
 *
 * system/time.txt and system/host.txt are "key=value" lines, one fact each. The kernel
 * clock is read with adjtimex() in query mode (modes = 0), which changes nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timex.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "evidence_int.h"

#define CLOCKSOURCE "/sys/devices/system/clocksource/clocksource0/current_clocksource"
#define CLOCKSOURCES "/sys/devices/system/clocksource/clocksource0/available_clocksource"

/* A small text file's first line, trimmed; NULL (with errno) when unreadable or not text. */
static char *first_line(const char *path, int *err)
{
    struct yj_buf b;
    yj_buf_init(&b, 4096);
    uint64_t off;
    bool trunc;
    *err = yj_ev_read(path, 1024, false, 1, &b, &off, &trunc);
    if (*err) {
        yj_buf_fini(&b);
        return NULL;
    }
    struct yj_str cur = {b.p ? b.p : "", b.len}, line = {"", 0};
    yj_str_next_line(&cur, &line);
    line = yj_str_trim(line);
    char *out = NULL;
    if (yj_str_is_text(line))
        out = yj_xstrndup(line.p, line.n);
    else
        *err = EINVAL;
    yj_buf_fini(&b);
    return out;
}

static void kv(struct yj_buf *b, const char *key, const char *value)
{
    yj_buf_printf(b, "%s=", key);
    yj_ev_tsv_s(b, value ? value : "");
    yj_buf_addc(b, '\n');
}

static void kv_time(struct yj_buf *b, const char *key, struct timespec ts)
{
    time_t t = ts.tv_sec;
    struct tm tm;
    char s[32];
    gmtime_r(&t, &tm);
    strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%S", &tm);
    yj_buf_printf(b, "%s=%s.%09ldZ\n", key, s, (long)ts.tv_nsec);
}

static void kv_ts(struct yj_buf *b, const char *key, struct timespec ts)
{
    yj_buf_printf(b, "%s=%lld.%09ld\n", key, (long long)ts.tv_sec, (long)ts.tv_nsec);
}

static const char *clock_state(int st)
{
    switch (st) {
    case TIME_OK: return "TIME_OK";
    case TIME_INS: return "TIME_INS";
    case TIME_DEL: return "TIME_DEL";
    case TIME_OOP: return "TIME_OOP";
    case TIME_WAIT: return "TIME_WAIT";
    case TIME_ERROR: return "TIME_ERROR";
    default: return "unknown";
    }
}

static void time_txt(struct yj_ev *c)
{
    struct yj_buf b;
    yj_buf_init(&b, 64 << 10);
    struct timespec rt, mono, boot;
    clock_gettime(CLOCK_REALTIME, &rt);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    bool have_boot = clock_gettime(CLOCK_BOOTTIME, &boot) == 0;
    kv_time(&b, "realtime_utc", rt);
    kv_ts(&b, "realtime_unix", rt);
    kv_ts(&b, "monotonic_seconds", mono);
    if (have_boot) {
        kv_ts(&b, "boottime_seconds", boot);
        long long up = (long long)boot.tv_sec;
        yj_buf_printf(&b, "uptime=%lldd %02lld:%02lld:%02lld\n", up / 86400, up / 3600 % 24,
                      up / 60 % 60, up % 60);
        struct timespec bt = {rt.tv_sec - boot.tv_sec, rt.tv_nsec - boot.tv_nsec};
        if (bt.tv_nsec < 0) {
            bt.tv_sec--;
            bt.tv_nsec += 1000000000L;
        }
        kv_time(&b, "boot_utc", bt);
    }
    struct tm lt;
    time_t now = rt.tv_sec;
    char off[16] = "";
    if (localtime_r(&now, &lt))
        strftime(off, sizeof off, "%z", &lt);
    kv(&b, "local_utc_offset", off);

    int e;
    char *cs = first_line(CLOCKSOURCE, &e);
    if (cs) {
        c->r->clocksource = yj_arena_strdup(&c->r->arena, cs);
        kv(&b, "clocksource", cs);
    } else {
        kv(&b, "clocksource", "");
        yj_ev_skip(c, YJ_EV_AREA_SYSTEM, CLOCKSOURCE, yj_ev_why_errno(c, e), NULL);
    }
    free(cs);
    char *avail = first_line(CLOCKSOURCES, &e);
    if (avail)
        kv(&b, "available_clocksources", avail);
    free(avail);
    char *tz = first_line("/etc/timezone", &e);
    if (tz)
        kv(&b, "timezone", tz);
    free(tz);
    char link[512];
    ssize_t ln = readlink("/etc/localtime", link, sizeof link - 1);
    if (ln > 0) {
        link[ln] = '\0';
        kv(&b, "localtime_link", link);
    }
    const char *tzenv = getenv("TZ");
    if (tzenv)
        kv(&b, "tz_environment", tzenv);

    struct timex tx;
    memset(&tx, 0, sizeof tx); /* modes = 0: read only */
    int st = adjtimex(&tx);
    if (st >= 0) {
        kv(&b, "kernel_clock_state", clock_state(st));
        kv(&b, "kernel_clock_synchronized", (tx.status & STA_UNSYNC) ? "no" : "yes");
        yj_buf_printf(&b, "kernel_clock_maxerror_us=%ld\n", (long)tx.maxerror);
        yj_buf_printf(&b, "kernel_clock_esterror_us=%ld\n", (long)tx.esterror);
        yj_buf_printf(&b, "kernel_clock_offset=%ld\n", (long)tx.offset);
    }
    yj_ev_add(c, YJ_EV_AREA_SYSTEM, "system/time.txt", "clock_gettime, adjtimex, " CLOCKSOURCE,
              &b, false, 0);
    yj_buf_fini(&b);
}

/* PRETTY_NAME from os-release text, unquoted; NULL when absent or odd. */
static char *pretty_name(const struct yj_buf *osr)
{
    struct yj_str cur = {osr->p ? osr->p : "", osr->len}, line;
    while (yj_str_next_line(&cur, &line)) {
        static const char key[] = "PRETTY_NAME=";
        if (line.n < sizeof key - 1 || memcmp(line.p, key, sizeof key - 1) != 0)
            continue;
        struct yj_str v = {line.p + sizeof key - 1, line.n - (sizeof key - 1)};
        v = yj_str_trim(v);
        if (v.n >= 2 && (v.p[0] == '"' || v.p[0] == '\'') && v.p[v.n - 1] == v.p[0]) {
            v.p++;
            v.n -= 2;
        }
        if (v.n == 0 || v.n > 200 || !yj_str_is_text(v))
            return NULL;
        return yj_xstrndup(v.p, v.n);
    }
    return NULL;
}

static void host_txt(struct yj_ev *c)
{
    struct yj_buf b;
    yj_buf_init(&b, 64 << 10);
    struct utsname u;
    if (uname(&u) == 0) {
        kv(&b, "nodename", u.nodename);
        kv(&b, "sysname", u.sysname);
        kv(&b, "release", u.release);
        kv(&b, "version", u.version);
        kv(&b, "machine", u.machine);
        kv(&b, "domainname", u.domainname);
    }
    char hn[256];
    if (gethostname(hn, sizeof hn) == 0) {
        hn[sizeof hn - 1] = '\0';
        kv(&b, "hostname", hn);
    }
    struct yj_buf osr;
    yj_buf_init(&osr, 64 << 10);
    uint64_t off;
    bool trunc;
    int e = yj_ev_read("/etc/os-release", 32 << 10, false, 1, &osr, &off, &trunc);
    if (e)
        e = yj_ev_read("/usr/lib/os-release", 32 << 10, false, 1, &osr, &off, &trunc);
    if (e) {
        yj_ev_skip(c, YJ_EV_AREA_SYSTEM, "/etc/os-release", yj_ev_why_errno(c, e), NULL);
    } else {
        char *pn = pretty_name(&osr);
        if (pn) {
            c->r->os = yj_arena_strdup(&c->r->arena, pn);
            kv(&b, "os", pn);
        }
        free(pn);
        yj_ev_add(c, YJ_EV_AREA_SYSTEM, "system/os-release", "/etc/os-release", &osr, trunc, 0);
    }
    yj_buf_fini(&osr);
    yj_ev_add(c, YJ_EV_AREA_SYSTEM, "system/host.txt", "uname, gethostname, /etc/os-release", &b,
              false, 0);
    yj_buf_fini(&b);
}

void yj_ev_collect_system(struct yj_ev *c)
{
    time_txt(c);
    host_txt(c);
    static const struct {
        const char *src, *dest;
    } files[] = {
        {"/etc/hostname", "system/hostname"},     {"/etc/hosts", "system/hosts"},
        {"/etc/resolv.conf", "system/resolv.conf"}, {"/proc/cmdline", "system/cmdline"},
        {"/proc/modules", "system/modules"},      {"/proc/self/mounts", "system/mounts"},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        yj_ev_copy(c, YJ_EV_AREA_SYSTEM, files[i].src, files[i].dest, YJ_EV_COPY_MAX, false,
                   true);
}
