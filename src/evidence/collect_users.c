/* Who is logged in and who logged in lately: utmp (now), wtmp (logins, logouts, boots) and
 * btmp (failed logins, readable by root only), read with getutxent() after utmpxname(), plus
 * raw copies of the three files (their last records, whole records only) and of the
 * account lists /etc/passwd and /etc/group. /etc/shadow is never read.
 *
 * users/logged_in.tsv, users/logins.tsv, users/failed_logins.tsv:
 *   time_utc  type  user  line  host  pid  address
 * The login lists hold the last YJ_EV_LOGINS records, oldest first. */
#include <arpa/inet.h>
#include <errno.h>
#include <paths.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utmpx.h>

#include "evidence_int.h"

#define BTMP "/var/log/btmp"
#define MAX_RECORDS 4000000 /* read at most this many records of one file */

static const char *type_name(short t)
{
    switch (t) {
    case EMPTY: return "EMPTY";
    case RUN_LVL: return "RUN_LVL";
    case BOOT_TIME: return "BOOT_TIME";
    case NEW_TIME: return "NEW_TIME";
    case OLD_TIME: return "OLD_TIME";
    case INIT_PROCESS: return "INIT_PROCESS";
    case LOGIN_PROCESS: return "LOGIN_PROCESS";
    case USER_PROCESS: return "USER_PROCESS";
    case DEAD_PROCESS: return "DEAD_PROCESS";
    default: return "OTHER";
    }
}

static void field(struct yj_buf *b, const char *p, size_t max)
{
    yj_ev_tsv(b, p, strnlen(p, max));
    yj_buf_addc(b, '\t');
}

static void row(struct yj_buf *b, const struct utmpx *u)
{
    yj_ev_time_utc(b, (int64_t)u->ut_tv.tv_sec);
    yj_buf_printf(b, "\t%s\t", type_name(u->ut_type));
    field(b, u->ut_user, sizeof u->ut_user);
    field(b, u->ut_line, sizeof u->ut_line);
    field(b, u->ut_host, sizeof u->ut_host);
    yj_buf_printf(b, "%ld\t", (long)u->ut_pid);
    char addr[INET6_ADDRSTRLEN] = "-";
    const uint32_t *a = (const uint32_t *)u->ut_addr_v6;
    if (a[1] == 0 && a[2] == 0 && a[3] == 0) {
        if (a[0])
            inet_ntop(AF_INET, a, addr, sizeof addr);
    } else {
        inet_ntop(AF_INET6, a, addr, sizeof addr);
    }
    yj_buf_printf(b, "%s\n", addr);
}

static const char header[] = "time_utc\ttype\tuser\tline\thost\tpid\taddress\n";

/* Can path be read? 0 or an errno, so that a skip can say why. */
static int readable(const char *path)
{
    int fd = yj_ev_open(path, 0);
    if (fd < 0)
        return errno;
    close(fd);
    return 0;
}

/* Reads path's records: all with USER_PROCESS into a listing (now = true), or the last
 * YJ_EV_LOGINS of any type. Returns the number of rows written, or -1 when unreadable. */
static long read_records(struct yj_ev *c, const char *path, bool now, const char *dest)
{
    int e = readable(path);
    if (e) {
        yj_ev_skip(c, YJ_EV_AREA_USERS, path, yj_ev_why_errno(c, e), NULL);
        return -1;
    }
    struct utmpx *ring = now ? NULL : yj_xcalloc(YJ_EV_LOGINS, sizeof *ring);
    size_t kept = 0, next = 0, seen = 0;
    struct yj_buf b;
    yj_buf_init(&b, YJ_EV_TABLE_MAX);
    yj_buf_adds(&b, header);
    long rows = 0;
    if (utmpxname(path) == 0) {
        setutxent();
        struct utmpx *u;
        while ((u = getutxent()) != NULL && seen < MAX_RECORDS) {
            seen++;
            if (now) {
                if (u->ut_type == USER_PROCESS) {
                    row(&b, u);
                    rows++;
                }
                continue;
            }
            if (u->ut_type == EMPTY)
                continue;
            ring[next] = *u;
            next = (next + 1) % YJ_EV_LOGINS;
            if (kept < YJ_EV_LOGINS)
                kept++;
        }
        endutxent();
    }
    utmpxname(_PATH_UTMP);
    if (!now) {
        size_t first = kept < YJ_EV_LOGINS ? 0 : next;
        for (size_t i = 0; i < kept; i++)
            row(&b, &ring[(first + i) % YJ_EV_LOGINS]);
        rows = (long)kept;
        free(ring);
    }
    if (seen >= MAX_RECORDS)
        yj_ev_skip(c, YJ_EV_AREA_USERS, path, YJ_EV_WHY_LIMIT, NULL);
    yj_ev_add(c, YJ_EV_AREA_USERS, dest, path, &b, false, 0);
    yj_buf_fini(&b);
    return rows;
}

/* The last whole records of a login file, as they are on disk. */
static void raw(struct yj_ev *c, const char *src, const char *dest)
{
    struct yj_buf b;
    yj_buf_init(&b, YJ_EV_LOG_TAIL + 1);
    uint64_t off;
    bool trunc;
    if (yj_ev_read(src, YJ_EV_LOG_TAIL, true, sizeof(struct utmpx), &b, &off, &trunc) == 0)
        yj_ev_add(c, YJ_EV_AREA_USERS, dest, src, &b, trunc, off);
    yj_buf_fini(&b);
}

void yj_ev_collect_users(struct yj_ev *c)
{
    long n = read_records(c, _PATH_UTMP, true, "users/logged_in.tsv");
    if (n >= 0) {
        c->r->counts.users_logged_in = (size_t)n;
        raw(c, _PATH_UTMP, "users/raw/utmp");
    }
    n = read_records(c, _PATH_WTMP, false, "users/logins.tsv");
    if (n >= 0) {
        c->r->counts.login_records = (size_t)n;
        raw(c, _PATH_WTMP, "users/raw/wtmp");
    }
    n = read_records(c, BTMP, false, "users/failed_logins.tsv");
    if (n >= 0) {
        c->r->counts.failed_login_records = (size_t)n;
        raw(c, BTMP, "users/raw/btmp");
    }
    yj_ev_copy(c, YJ_EV_AREA_USERS, "/etc/passwd", "users/passwd", YJ_EV_COPY_MAX, false, false);
    yj_ev_copy(c, YJ_EV_AREA_USERS, "/etc/group", "users/group", YJ_EV_COPY_MAX, false, false);
}
