/* Running other programs: the one posix_spawn helper of yojin (never system() or popen()).
 *
 * A program runs from an absolute path with an argv array and a fixed, minimal environment;
 * its stdin and stderr are /dev/null, its stdout is captured into the caller's yj_buf up to
 * a cap, and it is killed (with everything it started) when it runs past a timeout.
 * yj_proc_find returns a string the caller frees. */
#ifndef YJ_BASE_PROC_H
#define YJ_BASE_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "buf.h"
#include "err.h"

/* Where yj_proc_find looks, in order; $PATH is not used (it may point anywhere). */
#define YJ_PROC_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct yj_proc_opts {
    size_t out_max;          /* bytes of stdout kept (0: 1 MiB); the rest is read and dropped */
    unsigned timeout_ms;     /* kill after this long (0: 10 s) */
    const char *const *envp; /* NULL: PATH=YJ_PROC_PATH, LC_ALL=C.UTF-8, no pager, no colour */
};

struct yj_proc_status {
    bool exited;    /* it ended by itself: code is its exit status */
    int code;
    int signal;     /* the signal that ended it, when !exited */
    bool timed_out; /* it was killed because of the timeout */
    bool truncated; /* stdout was longer than out_max */
};

/* The full path of an executable named name in YJ_PROC_PATH, or NULL when there is none. */
char *yj_proc_find(const char *name);

/* Runs argv[0] (an absolute path) with argv, appending its stdout to out. Returns YJ_ERR_OK
 * when the program ran and ended, whatever its status (look at st); YJ_ERR_NOTFOUND when it
 * does not exist, YJ_ERR_LIMIT when it was killed for the timeout (st says so too, and out
 * keeps what it wrote), YJ_ERR_INVALID for a relative argv[0], YJ_ERR_IO for other failures.
 * Output beyond out_max, or beyond out's own cap, sets st->truncated and is dropped. */
enum yj_err yj_proc_run(const char *const argv[], const struct yj_proc_opts *o, struct yj_buf *out,
                        struct yj_proc_status *st, struct yj_diag *d) YJ_MUST;

/* The unprivileged user a service becomes after start: name, or when name is NULL "yojin"
 * and failing that "nobody". False when there is none (or it is root). */
bool yj_service_user(const char *name, uid_t *uid, gid_t *gid);

#endif
