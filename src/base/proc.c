/* posix_spawn with a pipe for stdout, a poll loop with a monotonic deadline, and a kill of
 * the child's whole process group when the deadline passes.
 *
 *   parent                              child (own process group)
 *   pipe2(CLOEXEC) ── posix_spawn ──▶   0 < /dev/null, 1 > pipe, 2 > /dev/null,
 *   poll/read until EOF or deadline     default signal dispositions, empty mask, exec
 *   deadline: kill(-pid, SIGKILL)
 *   waitpid (bounded by the same deadline once stdout is closed)
 */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"

#define DEFAULT_OUT_MAX ((size_t)1 << 20)
#define DEFAULT_TIMEOUT_MS 10000u
#define CHUNK 65536

static const char *const default_env[] = {
    "PATH=" YJ_PROC_PATH, "LC_ALL=C.UTF-8", "SYSTEMD_PAGER=", "PAGER=cat", "SYSTEMD_COLORS=0",
    "TERM=dumb", NULL,
};

char *yj_proc_find(const char *name)
{
    if (!name[0] || strchr(name, '/'))
        return NULL;
    const char *dirs = YJ_PROC_PATH;
    while (*dirs) {
        const char *end = strchr(dirs, ':');
        size_t n = end ? (size_t)(end - dirs) : strlen(dirs);
        char *p = NULL;
        if (asprintf(&p, "%.*s/%s", (int)n, dirs, name) < 0)
            yj_oom();
        struct stat st;
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0)
            return p;
        free(p);
        dirs += n;
        if (*dirs == ':')
            dirs++;
    }
    return NULL;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left before deadline, for poll(): 0 when it has passed. */
static int left_ms(int64_t deadline)
{
    int64_t left = deadline - now_ms();
    if (left <= 0)
        return 0;
    return left > INT32_MAX ? INT32_MAX : (int)left;
}

/* Appends what fits under both caps (ours and the buffer's own) and drops the rest. */
static void keep(struct yj_buf *out, size_t *kept, size_t max, const char *p, size_t n,
                 struct yj_proc_status *st)
{
    size_t room = max - *kept;
    size_t buf_room = !out->err && out->len < out->max ? out->max - out->len : 0;
    if (buf_room < room)
        room = buf_room;
    size_t take = n < room ? n : room;
    if (take < n)
        st->truncated = true;
    if (!take)
        return;
    yj_buf_add(out, p, take);
    *kept += take;
}

static enum yj_err spawn(pid_t *pid, int outfd, const char *const argv[], const char *const *envp)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    if (posix_spawn_file_actions_init(&fa) != 0)
        yj_oom();
    if (posix_spawnattr_init(&at) != 0)
        yj_oom();
    sigset_t mask, def;
    sigemptyset(&mask);
    sigemptyset(&def);
    /* Dispositions the parent may have changed; ignored ones would survive exec. */
    static const int sigs[] = {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD,
                               SIGALRM, SIGUSR1, SIGUSR2, SIGTSTP, SIGTTIN, SIGTTOU};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaddset(&def, sigs[i]);
    int rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (!rc)
        rc = posix_spawn_file_actions_adddup2(&fa, outfd, 1);
    if (!rc)
        rc = posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    if (!rc)
        rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                               POSIX_SPAWN_SETPGROUP);
    if (!rc)
        rc = posix_spawnattr_setsigmask(&at, &mask);
    if (!rc)
        rc = posix_spawnattr_setsigdefault(&at, &def);
    if (!rc)
        rc = posix_spawnattr_setpgroup(&at, 0);
    if (!rc)
        rc = posix_spawn(pid, argv[0], &fa, &at, (char *const *)argv, (char *const *)envp);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    errno = rc;
    if (rc == 0)
        return YJ_ERR_OK;
    return rc == ENOENT || rc == ENOTDIR ? YJ_ERR_NOTFOUND : YJ_ERR_IO;
}

/* Waits for pid until deadline; kills its group at the deadline. */
static void reap(pid_t pid, int64_t deadline, struct yj_proc_status *st)
{
    int ws = 0;
    for (;;) {
        pid_t r = waitpid(pid, &ws, st->timed_out ? 0 : WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return; /* not ours any more: nothing to report */
        if (left_ms(deadline) == 0) {
            kill(-pid, SIGKILL);
            st->timed_out = true;
            continue;
        }
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (WIFEXITED(ws)) {
        st->exited = true;
        st->code = WEXITSTATUS(ws);
    } else if (WIFSIGNALED(ws)) {
        st->signal = WTERMSIG(ws);
    }
}

enum yj_err yj_proc_run(const char *const argv[], const struct yj_proc_opts *o, struct yj_buf *out,
                        struct yj_proc_status *st, struct yj_diag *d)
{
    memset(st, 0, sizeof *st);
    const char *prog = argv && argv[0] ? argv[0] : "";
    if (prog[0] != '/')
        return yj_diag_fail(d, YJ_ERR_INVALID, prog, 0, "%s", yj_t("proc.relative"));
    size_t max = o && o->out_max ? o->out_max : DEFAULT_OUT_MAX;
    unsigned timeout = o && o->timeout_ms ? o->timeout_ms : DEFAULT_TIMEOUT_MS;
    const char *const *envp = o && o->envp ? o->envp : default_env;

    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0)
        return yj_diag_fail(d, YJ_ERR_IO, prog, 0, yj_t("proc.spawn"), strerror(errno));
    int64_t deadline = now_ms() + timeout;
    pid_t pid;
    enum yj_err err = spawn(&pid, pfd[1], argv, envp);
    int e = errno;
    close(pfd[1]);
    if (err) {
        close(pfd[0]);
        if (err == YJ_ERR_NOTFOUND)
            return yj_diag_fail(d, err, prog, 0, "%s", yj_t("proc.not_found"));
        return yj_diag_fail(d, err, prog, 0, yj_t("proc.spawn"), strerror(e));
    }

    char *chunk = yj_xmalloc(CHUNK);
    size_t kept = 0;
    for (;;) {
        struct pollfd p = {.fd = pfd[0], .events = POLLIN};
        int ms = left_ms(deadline);
        if (ms == 0) {
            kill(-pid, SIGKILL);
            st->timed_out = true;
            break;
        }
        int pr = poll(&p, 1, ms);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr < 0)
            break;
        if (pr == 0)
            continue; /* the deadline check above ends it */
        ssize_t r = read(pfd[0], chunk, CHUNK);
        if (r < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (r <= 0)
            break;
        keep(out, &kept, max, chunk, (size_t)r, st);
    }
    free(chunk);
    close(pfd[0]);
    reap(pid, deadline, st);
    if (st->timed_out)
        return yj_diag_fail(d, YJ_ERR_LIMIT, prog, 0, yj_t("proc.timeout"), timeout / 1000,
                            timeout % 1000);
    return YJ_ERR_OK;
}

bool yj_service_user(const char *name, uid_t *uid, gid_t *gid)
{
    struct passwd *pw = getpwnam(name ? name : "yojin");
    if (!pw && !name)
        pw = getpwnam("nobody");
    if (!pw || pw->pw_uid == 0)
        return false;
    *uid = pw->pw_uid;
    *gid = pw->pw_gid;
    return true;
}
