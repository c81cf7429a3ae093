/* Reading log files: plain, rotated (.1) or gzip-compressed (.gz, through zlib's gzread,
 * which passes uncompressed files through unchanged), line by line through one fixed
 * buffer, so memory stays flat whatever the file size:
 *
 *   buf: [ consumed lines | partial line | free space ............ ]   READ_BUF bytes
 *
 * Complete lines are handed out in place; the partial tail moves to the front before the
 * next read. A line that reaches YJ_HOST_LINE_MAX bytes without a newline is counted as
 * too long and skipped up to its end. Nothing is allocated per line. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "host_int.h"

#define READ_BUF ((size_t)64 * 1024)

void yj_host_scan_init(struct yj_host_scan *s, struct yj_host_detect *det, enum yj_lang lang)
{
    memset(s, 0, sizeof *s);
    s->det = det;
    s->lang = lang;
    s->buf = yj_xmalloc(READ_BUF);
    s->http = yj_xmalloc(sizeof *s->http);
}

void yj_host_scan_fini(struct yj_host_scan *s)
{
    free(s->buf);
    free(s->http);
    s->buf = NULL;
    s->http = NULL;
}

static bool is_sshd(struct yj_str prog)
{
    return yj_str_eq_c(prog, "sshd") || yj_str_eq_c(prog, "sshd-session") ||
           yj_str_eq_c(prog, "sshd-auth");
}

/* Counts and emits the alerts a line raised. */
static void alerts(struct yj_host_scan *s, const struct yj_host_alert *const *raised, size_t n,
                   int64_t ts, const char *file, uint64_t lineno, struct yj_host_file_stats *st)
{
    for (size_t i = 0; i < n; i++) {
        st->alerts++;
        if (!s->emit)
            continue;
        char sum[YJ_LANG__COUNT][512];
        struct yj_event_alert_text text;
        struct yj_event ev;
        yj_host_alert_text(raised[i], sum, &text);
        yj_host_alert_event(raised[i], s->lang, sum[s->lang], &ev);
        ev.u.alert.text = &text;
        ev.ts = ts;
        ev.log_file = file;
        ev.log_line = lineno;
        s->emit(s->ctx, &ev);
    }
}

static void account_line(struct yj_host_scan *s, const struct yj_syslog *sl, const char *file,
                         uint64_t lineno, struct yj_host_file_stats *st)
{
    struct yj_account a;
    if (!yj_account_parse(sl->prog, sl->msg, &a))
        return;
    st->events++;
    if (s->emit) {
        struct yj_event ev = {
            .type = YJ_EVENT_ACCOUNT,
            .ts = sl->ts,
            .log_file = file,
            .log_line = lineno,
            .u.account = {a.service, yj_account_action_name(a.action), a.user,
                          a.group[0] ? a.group : NULL},
        };
        s->emit(s->ctx, &ev);
    }
    if (!s->det)
        return;
    const struct yj_host_alert *raised[1];
    size_t n = yj_host_detect_account(s->det, sl->ts, &a, raised, 1);
    alerts(s, raised, n, sl->ts, file, lineno, st);
}

static bool is_web(struct yj_str prog)
{
    return yj_str_eq_c(prog, "nginx") || yj_str_eq_c(prog, "apache2") ||
           yj_str_eq_c(prog, "httpd") || yj_str_eq_c(prog, "apache");
}

/* A web request (from an access log, or a refused one from an error log): its event and
 * the web detectors. */
static void http_event(struct yj_host_scan *s, const struct yj_http *h, const char *file,
                       uint64_t lineno, struct yj_host_file_stats *st)
{
    st->events++;
    if (s->emit) {
        struct yj_event ev = {
            .type = YJ_EVENT_HTTP,
            .ts = h->ts,
            .src_ip = h->ip,
            .log_file = file,
            .log_line = lineno,
            .u.http = {h->hostname, h->url, h->method, h->protocol, h->status, h->length,
                       h->agent, h->referer},
        };
        s->emit(s->ctx, &ev);
    }
    if (!s->det)
        return;
    const struct yj_host_alert *raised[YJ_HOST_SIG__COUNT];
    size_t n = yj_host_detect_http(s->det, h, raised, YJ_HOST_SIG__COUNT);
    alerts(s, raised, n, h->ts, file, lineno, st);
}

/* An access-log line (on its own, or the message of a syslog line from the web server). */
static bool http_line(struct yj_host_scan *s, struct yj_str text, const char *file,
                      uint64_t lineno, struct yj_host_file_stats *st)
{
    if (!yj_http_parse(text, s->http))
        return false;
    http_event(s, s->http, file, lineno, st);
    return true;
}

/* A log-in attempt: its event and the log-in detectors. */
static void auth_event(struct yj_host_scan *s, int64_t ts, const struct yj_auth *a,
                       const char *file, uint64_t lineno, struct yj_host_file_stats *st)
{
    st->events++;
    if (s->emit) {
        struct yj_event ev = {
            .type = YJ_EVENT_AUTH,
            .ts = ts,
            .src_ip = a->ip,
            .src_port = a->port,
            .log_file = file,
            .log_line = lineno,
            .u.auth = {a->service, a->user, a->success ? "success" : "failure", a->method},
        };
        s->emit(s->ctx, &ev);
    }
    if (!s->det)
        return;
    const struct yj_host_alert *raised[YJ_HOST_SIG__COUNT];
    size_t n = yj_host_detect_feed(s->det, ts, a, raised, YJ_HOST_SIG__COUNT);
    if (n) /* the common case, kept off the hot path's calls */
        alerts(s, raised, n, ts, file, lineno, st);
}

/* A web server's error-log line; false when it is not one. */
static bool weberr_line(struct yj_host_scan *s, struct yj_str line, const char *file,
                        uint64_t lineno, struct yj_host_file_stats *st)
{
    struct yj_auth a;
    int64_t ts;
    switch (yj_weberr_parse(line, &ts, &a, s->http)) {
    case YJ_WEBERR_NONE: return false;
    case YJ_WEBERR_OTHER: st->weberr++; break;
    case YJ_WEBERR_AUTH: auth_event(s, ts, &a, file, lineno, st); break;
    case YJ_WEBERR_HTTP: http_event(s, s->http, file, lineno, st); break;
    }
    return true;
}

/* A kernel line: a firewall's drop becomes a "drop" event and feeds the port-scan detector;
 * logs of packets let through are read and left. */
static void kernel_line(struct yj_host_scan *s, const struct yj_syslog *sl, const char *file,
                        uint64_t lineno, struct yj_host_file_stats *st)
{
    struct yj_drop p;
    if (!yj_netfilter_parse(sl->msg, &p) || !p.drop)
        return;
    st->events++;
    st->drops++;
    if (s->emit) {
        struct yj_event ev = {
            .type = YJ_EVENT_DROP,
            .ts = sl->ts,
            .src_ip = p.src,
            .src_port = p.spt,
            .dest_ip = p.dst,
            .dest_port = p.dpt,
            .proto = p.proto,
            .log_file = file,
            .log_line = lineno,
            .u.drop = {p.prefix, p.in, p.out, p.len, p.ttl, p.tcp_flags},
        };
        s->emit(s->ctx, &ev);
    }
    if (!s->det)
        return;
    const struct yj_host_alert *raised[1];
    size_t n = yj_host_detect_drop(s->det, sl->ts, &p, raised, 1);
    alerts(s, raised, n, sl->ts, file, lineno, st);
}

static void record(struct yj_host_scan *s, const struct yj_syslog *rec, const char *file,
                   uint64_t lineno, struct yj_host_file_stats *st);

void yj_host_scan_line(struct yj_host_scan *s, const struct yj_host_clock *clk,
                       struct yj_str line, const char *file, uint64_t lineno,
                       struct yj_host_file_stats *st)
{
    struct yj_syslog sl;
    st->lines++;
    if (line.n && line.p[line.n - 1] == '\r')
        line.n--;
    if (!line.n)
        return; /* blank lines say nothing */
    if (!yj_syslog_parse(line, clk, &sl)) {
        /* Not syslog: a web server's access or error log, or nothing we read. */
        if (!http_line(s, line, file, lineno, st) && !weberr_line(s, line, file, lineno, st))
            st->skipped++;
        return;
    }
    record(s, &sl, file, lineno, st);
}

void yj_host_scan_record(struct yj_host_scan *s, const struct yj_syslog *rec, const char *file,
                         uint64_t lineno, struct yj_host_file_stats *st)
{
    st->lines++;
    record(s, rec, file, lineno, st);
}

static void record(struct yj_host_scan *s, const struct yj_syslog *rec, const char *file,
                   uint64_t lineno, struct yj_host_file_stats *st)
{
    struct yj_syslog sl = *rec;
    struct yj_auth a;
    bool ok;
    if (is_sshd(sl.prog)) {
        ok = yj_sshd_parse(sl.msg, &a);
    } else if (yj_str_eq_c(sl.prog, "kernel")) { /* firewall logs: many lines, checked early */
        kernel_line(s, &sl, file, lineno, st);
        return;
    } else if (yj_account_prog(sl.prog)) {
        account_line(s, &sl, file, lineno, st);
        return;
    } else if (yj_mail_prog(sl.prog)) {
        ok = yj_mail_parse(sl.prog, sl.msg, &a);
    } else if (yj_samba_prog(sl.prog)) {
        ok = yj_samba_parse(sl.prog, sl.msg, &a);
    } else if (is_web(sl.prog)) {
        /* access and error logs sent to syslog (nginx's syslog: target writes the whole
         * error-log line, its own time included) */
        if (!http_line(s, sl.msg, file, lineno, st))
            weberr_line(s, sl.msg, file, lineno, st);
        return;
    } else {
        ok = yj_sudo_parse(sl.prog, sl.msg, &a);
    }
    if (ok) /* else understood, but not about logging in */
        auth_event(s, sl.ts, &a, file, lineno, st);
}

static enum yj_err gz_fail(gzFile f, const char *path, struct yj_diag *d)
{
    int errnum = 0;
    const char *msg = gzerror(f, &errnum);
    if (errnum == Z_ERRNO)
        msg = strerror(errno);
    return yj_diag_fail(d, YJ_ERR_IO, path, 0, yj_t("host.read"), msg ? msg : "?");
}

enum yj_err yj_host_scan_file(struct yj_host_scan *s, const char *path,
                              struct yj_host_file_stats *st, struct yj_diag *d)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return yj_diag_fail(d, YJ_ERR_IO, path, 0, yj_t("host.open"), strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return yj_diag_fail(d, YJ_ERR_IO, path, 0, yj_t("host.open"), strerror(EISDIR));
    gzFile f = gzopen(path, "rb");
    if (!f)
        return yj_diag_fail(d, YJ_ERR_IO, path, 0, yj_t("host.open"),
                            strerror(errno ? errno : ENOMEM));
    gzbuffer(f, 128 * 1024);
    struct yj_host_clock clk = {s->year, (int64_t)sb.st_mtime};
    enum yj_err err = YJ_ERR_OK;
    size_t len = 0;
    bool skipping = false; /* inside a line that was too long */
    uint64_t lineno = 0;
    for (;;) {
        int got = gzread(f, s->buf + len, (unsigned)(READ_BUF - len));
        if (got < 0) {
            err = gz_fail(f, path, d);
            break;
        }
        if (got == 0) {
            int errnum = Z_OK;
            gzerror(f, &errnum);
            if (errnum != Z_OK) /* a truncated .gz: Z_BUF_ERROR at the end */
                err = gz_fail(f, path, d);
            if (len && !skipping)
                yj_host_scan_line(s, &clk, (struct yj_str){s->buf, len}, path, ++lineno, st);
            break;
        }
        len += (size_t)got;
        size_t start = 0;
        const char *nl;
        while ((nl = memchr(s->buf + start, '\n', len - start)) != NULL) {
            size_t end = (size_t)(nl - s->buf);
            if (skipping) {
                skipping = false;
            } else if (end - start >= YJ_HOST_LINE_MAX) {
                st->lines++;
                st->toolong++;
                st->skipped++;
                lineno++;
            } else {
                yj_host_scan_line(s, &clk, (struct yj_str){s->buf + start, end - start}, path,
                                  ++lineno, st);
            }
            start = end + 1;
        }
        len -= start;
        if (len >= YJ_HOST_LINE_MAX) {
            if (!skipping) {
                st->lines++;
                st->toolong++;
                st->skipped++;
                lineno++;
                skipping = true;
            }
            len = 0;
        } else if (start && len) {
            memmove(s->buf, s->buf + start, len);
        }
    }
    gzclose(f);
    return err;
}
