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
}

void yj_host_scan_fini(struct yj_host_scan *s)
{
    free(s->buf);
    s->buf = NULL;
}

static bool is_sshd(struct yj_str prog)
{
    return yj_str_eq_c(prog, "sshd") || yj_str_eq_c(prog, "sshd-session") ||
           yj_str_eq_c(prog, "sshd-auth");
}

void yj_host_scan_line(struct yj_host_scan *s, const struct yj_host_clock *clk,
                       struct yj_str line, const char *file, uint64_t lineno,
                       struct yj_host_file_stats *st)
{
    struct yj_syslog sl;
    struct yj_auth a;
    st->lines++;
    if (line.n && line.p[line.n - 1] == '\r')
        line.n--;
    if (!line.n)
        return; /* blank lines say nothing */
    if (!yj_syslog_parse(line, clk, &sl)) {
        st->skipped++;
        return;
    }
    bool ok = is_sshd(sl.prog) ? yj_sshd_parse(sl.msg, &a) : yj_sudo_parse(sl.prog, sl.msg, &a);
    if (!ok)
        return; /* understood, but not about logging in */
    st->events++;
    if (s->emit) {
        struct yj_event ev = {
            .type = YJ_EVENT_AUTH,
            .ts = sl.ts,
            .src_ip = a.ip,
            .src_port = a.port,
            .log_file = file,
            .log_line = lineno,
            .u.auth = {a.service, a.user, a.success ? "success" : "failure", a.method},
        };
        s->emit(s->ctx, &ev);
    }
    if (!s->det)
        return;
    const struct yj_host_alert *raised[YJ_HOST_SIG__COUNT];
    size_t n = yj_host_detect_feed(s->det, sl.ts, &a, raised, YJ_HOST_SIG__COUNT);
    for (size_t i = 0; i < n; i++) {
        st->alerts++;
        if (!s->emit)
            continue;
        char summary[512];
        struct yj_event ev;
        yj_host_alert_summary(raised[i], s->lang, summary, sizeof summary);
        yj_host_alert_event(raised[i], s->lang, summary, &ev);
        ev.ts = sl.ts;
        ev.log_file = file;
        ev.log_line = lineno;
        s->emit(s->ctx, &ev);
    }
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
