/* Dropping privileges once the watch has opened what needs root.
 *
 * The watch keeps running as the service user with at most two capabilities:
 *   CAP_DAC_READ_SEARCH  read any file: log files are root:adm 0640 and are re-created by
 *                        logrotate, so they must stay readable after the drop; journal files
 *                        rotate too; live file monitoring reads changed files
 *   CAP_KILL             only when the ransomware response (stop the process) is on
 * Everything else (writing anywhere but the data directory, changing ownership, loading
 * modules, ...) is gone, and no exec can regain anything (no_new_privs).
 *
 * The seccomp filter is a deny list: a monitor never executes programs, traces processes,
 * mounts, loads modules or kernels, changes user, reboots or enters namespaces, so those
 * calls fail with EPERM. A deny list rather than an allow list on purpose: the watch runs
 * libcurl (resolver threads), libsystemd and SQLite, whose exact system calls change with
 * their versions; a monitor killed by a missing entry after an update would be worse than
 * the small extra surface. */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/file.h"
#include "base/i18n.h"
#include "base/proc.h"
#include "store/store.h"
#include "watch_int.h"

static enum yj_err set_caps(bool keep_kill, struct yj_diag *d)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct c[2];
    memset(c, 0, sizeof c);
    uint32_t keep = 1u << CAP_DAC_READ_SEARCH;
    if (keep_kill)
        keep |= 1u << CAP_KILL;
    c[0].effective = c[0].permitted = keep;
    if (syscall(SYS_capset, &h, c) != 0)
        return yj_diag_fail(d, YJ_ERR_STATE, NULL, 0, yj_t("watch.caps"), strerror(errno));
    return YJ_ERR_OK;
}

enum yj_err watch_drop(const char *user, const char *data_dir, bool keep_kill, bool *dropped,
                       struct yj_diag *d)
{
    *dropped = false;
    if (geteuid() != 0)
        return YJ_ERR_OK;
    uid_t uid;
    gid_t gid;
    if (!yj_service_user(user, &uid, &gid))
        return yj_diag_fail(d, YJ_ERR_INVALID, NULL, 0, yj_t("watch.no_user"),
                            user ? user : "yojin/nobody");
    /* The data directory, the database and the eve file become the user's. */
    static const char *const files[] = {YJ_DB_FILE, YJ_DB_FILE "-wal", YJ_DB_FILE "-shm",
                                        "eve.json"};
    enum yj_err err = yj_chown_in(data_dir, files, sizeof files / sizeof files[0], uid, gid, d);
    if (err)
        return err;
    if (chdir(data_dir) != 0)
        return yj_diag_fail(d, YJ_ERR_IO, data_dir, 0, yj_t("watch.chown"), strerror(errno));
    /* Keep the permitted set across setuid, then cut it down to what is listed above. */
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0 || setgroups(0, NULL) != 0 ||
        setgid(gid) != 0 || setuid(uid) != 0)
        return yj_diag_fail(d, YJ_ERR_STATE, NULL, 0, yj_t("watch.setuid"), strerror(errno));
    if (setuid(0) == 0)
        return yj_diag_fail(d, YJ_ERR_STATE, NULL, 0, yj_t("watch.setuid"), "still root");
    prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
    err = set_caps(keep_kill, d);
    if (err)
        return err;
    /* Capabilities are not passed on to anything this process might become. */
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    *dropped = true;
    return YJ_ERR_OK;
}

enum yj_err watch_seccomp(struct yj_diag *d)
{
    static const char *const deny[] = {
        "execve", "execveat", "ptrace", "process_vm_readv", "process_vm_writev",
        "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen",
        "fsmount", "fsconfig", "fspick", "mount_setattr", "kexec_load", "kexec_file_load",
        "init_module", "finit_module", "delete_module", "reboot", "swapon", "swapoff",
        "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setgroups",
        "setfsuid", "setfsgid", "capset", "unshare", "setns", "bpf", "perf_event_open",
        "keyctl", "add_key", "request_key", "userfaultfd", "open_by_handle_at",
        "name_to_handle_at", "acct", "quotactl", "syslog", "iopl", "ioperm", "personality",
        "settimeofday", "clock_settime", "adjtimex", "clock_adjtime", "sethostname",
        "setdomainname", "vhangup", "lookup_dcookie", "uselib", "modify_ldt",
    };
#if defined(__SANITIZE_ADDRESS__)
    /* Test builds: LeakSanitizer inspects the process at exit through ptrace from a helper
     * task, which needs ptrace allowed and the process dumpable after the user change. */
    static const bool sanitizer = true;
    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
#else
    static const bool sanitizer = false;
#endif
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return yj_diag_fail(d, YJ_ERR_STATE, NULL, 0, yj_t("watch.seccomp"), strerror(errno));
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx)
        return yj_diag_fail(d, YJ_ERR_STATE, NULL, 0, yj_t("watch.seccomp"), "seccomp_init");
    int r = 0;
    for (size_t i = 0; i < sizeof deny / sizeof deny[0] && r == 0; i++) {
        if (sanitizer && !strcmp(deny[i], "ptrace"))
            continue;
        int nr = seccomp_syscall_resolve_name(deny[i]);
        if (nr != __NR_SCMP_ERROR)
            r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
    }
    /* No new namespaces through clone either (threads and plain processes stay possible).
     * clone3 passes its flags in memory a filter cannot read, so it answers ENOSYS and the
     * C library falls back to clone. */
    static const uint32_t ns[] = {CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
                                  CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0] && r == 0 && !sanitizer; i++)
        r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                             SCMP_A0(SCMP_CMP_MASKED_EQ, ns[i], ns[i]));
    int c3 = seccomp_syscall_resolve_name("clone3");
    if (r == 0 && c3 != __NR_SCMP_ERROR)
        r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), c3, 0);
    if (r == 0)
        r = seccomp_load(ctx);
    seccomp_release(ctx);
    if (r != 0)
        return yj_diag_fail(d, YJ_ERR_STATE, NULL, 0, yj_t("watch.seccomp"), strerror(-r));
    return YJ_ERR_OK;
}
