/* Recent authentication and system logs: the last YJ_EV_LOG_TAIL bytes (from a line start)
 * of each classic log file that exists, and of its previous rotation, plus the last
 * entries of the systemd journal through journalctl. The archive keeps the log's path:
 * /var/log/auth.log becomes logs/var/log/auth.log; collect.json says at which byte offset a
 * tail starts. A log kind that this machine does not have at all is recorded as missing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "evidence_int.h"

struct kind {
    const char *files[3]; /* alternatives by distribution */
    bool optional;        /* not all systems have it: say nothing when absent */
};

static const struct kind kinds[] = {
    {{"/var/log/auth.log", "/var/log/secure", NULL}, false},
    {{"/var/log/syslog", "/var/log/messages", NULL}, false},
    {{"/var/log/kern.log", NULL, NULL}, true},
    {{"/var/log/daemon.log", NULL, NULL}, true},
    {{"/var/log/audit/audit.log", NULL, NULL}, true},
};

/* Adds the tail of path (and of path.1); true when path existed. */
static bool log_tail(struct yj_ev *c, const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return false;
    char *dest = yj_ev_dest_path("logs/", path);
    if (yj_ev_copy(c, YJ_EV_AREA_LOGS, path, dest, YJ_EV_LOG_TAIL, true, false))
        c->r->counts.logs++;
    free(dest);
    size_t n = strlen(path);
    char *prev = yj_xmalloc(n + 3);
    memcpy(prev, path, n);
    memcpy(prev + n, ".1", 3);
    if (lstat(prev, &st) == 0) {
        dest = yj_ev_dest_path("logs/", prev);
        if (yj_ev_copy(c, YJ_EV_AREA_LOGS, prev, dest, YJ_EV_LOG_TAIL, true, true))
            c->r->counts.logs++;
        free(dest);
    }
    free(prev);
    return true;
}

void yj_ev_collect_logs(struct yj_ev *c)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        bool any = false;
        for (size_t k = 0; k < 3 && kinds[i].files[k]; k++)
            any |= log_tail(c, kinds[i].files[k]);
        if (!any && !kinds[i].optional)
            yj_ev_skip(c, YJ_EV_AREA_LOGS, kinds[i].files[0], YJ_EV_WHY_MISSING, NULL);
    }
    static const char *const journal[] = {"journalctl", "-n", YJ_EV_JOURNAL_LINES, "--no-pager",
                                          "-o", "short-iso", NULL};
    struct yj_buf out;
    yj_buf_init(&out, YJ_EV_JOURNAL_MAX + 1);
    if (yj_ev_run(c, YJ_EV_AREA_LOGS, "logs/journal.txt", journal, &out)) {
        c->r->counts.logs++;
        if (!c->root)
            yj_ev_skip(c, YJ_EV_AREA_LOGS, "journalctl", YJ_EV_WHY_JOURNAL_NOT_ROOT, NULL);
    }
    yj_buf_fini(&out);
}
