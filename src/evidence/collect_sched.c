/* Scheduled jobs, where attackers like to stay: copies of the cron tables (system, per user,
 * anacron, at), of locally installed systemd units (the system's own units live under /usr
 * and change only with packages; the recent-files scan covers them), the symbolic links that
 * enable units, and `systemctl list-timers --all`.
 *
 * Copies keep their path: /etc/cron.d/backup becomes scheduled/etc/cron.d/backup. Symbolic
 * links are never followed; they are listed in scheduled/links.tsv (path, target). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evidence_int.h"

struct sched {
    struct yj_ev *c;
    struct yj_buf links;
    size_t copied;
    bool full;
};

static void copy_file(struct sched *s, const char *path)
{
    if (s->copied >= YJ_EV_COPY_FILES) {
        if (!s->full)
            yj_ev_skip(s->c, YJ_EV_AREA_SCHEDULED, path, YJ_EV_WHY_LIMIT, NULL);
        s->full = true;
        return;
    }
    char *dest = yj_ev_dest_path("scheduled/", path);
    if (yj_ev_copy(s->c, YJ_EV_AREA_SCHEDULED, path, dest, YJ_EV_COPY_MAX, false, false)) {
        s->copied++;
        s->c->r->counts.scheduled_files++;
    }
    free(dest);
}

static void note_link(struct sched *s, const char *path)
{
    char target[4096];
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n < 0)
        return;
    target[n] = '\0';
    yj_ev_tsv_s(&s->links, path);
    yj_buf_addc(&s->links, '\t');
    yj_ev_tsv_s(&s->links, target);
    yj_buf_addc(&s->links, '\n');
}

/* Copies the regular files under dir, depth levels deep; a missing dir says nothing. */
static void tree(struct sched *s, const char *dir, int depth)
{
    /* O_NOATIME through yj_ev_open: listing a folder does not mark it as read. */
    int fd = yj_ev_open(dir, O_DIRECTORY | O_NOFOLLOW);
    DIR *dp = fd >= 0 ? fdopendir(fd) : NULL;
    if (!dp) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        if (e != ENOENT && e != ENOTDIR && e != ELOOP)
            yj_ev_skip(s->c, YJ_EV_AREA_SCHEDULED, dir, yj_ev_why_errno(s->c, e), NULL);
        return;
    }
    /* Names first, sorted, so that archives of the same machine list the same way. */
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dp)) != NULL && n < 4 * YJ_EV_COPY_FILES) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = yj_xrealloc(names, cap * sizeof *names);
        }
        names[n++] = yj_xstrdup(de->d_name);
    }
    closedir(dp);
    for (size_t i = 1; i < n; i++) { /* insertion sort: small directories */
        char *k = names[i];
        size_t j = i;
        while (j > 0 && strcmp(names[j - 1], k) > 0) {
            names[j] = names[j - 1];
            j--;
        }
        names[j] = k;
    }
    for (size_t i = 0; i < n; i++) {
        char *path = NULL;
        if (asprintf(&path, "%s/%s", dir, names[i]) < 0)
            yj_oom();
        struct stat st;
        if (lstat(path, &st) != 0) {
            yj_ev_skip(s->c, YJ_EV_AREA_SCHEDULED, path,
                       errno == ENOENT ? YJ_EV_WHY_VANISHED : yj_ev_why_errno(s->c, errno),
                       NULL);
        } else if (S_ISLNK(st.st_mode)) {
            note_link(s, path);
        } else if (S_ISREG(st.st_mode)) {
            copy_file(s, path);
        } else if (S_ISDIR(st.st_mode) && depth > 1) {
            tree(s, path, depth - 1);
        }
        free(path);
        free(names[i]);
    }
    free(names);
}

static void homes(struct sched *s, const char *rel, int depth)
{
    DIR *dp = opendir("/home");
    if (!dp)
        return;
    struct dirent *de;
    size_t n = 0;
    while ((de = readdir(dp)) != NULL && n < 1000) {
        if (de->d_name[0] == '.')
            continue;
        n++;
        char *p = NULL;
        if (asprintf(&p, "/home/%s/%s", de->d_name, rel) < 0)
            yj_oom();
        tree(s, p, depth);
        free(p);
    }
    closedir(dp);
}

static size_t count_timers(const struct yj_buf *b)
{
    size_t n = 0;
    struct yj_str cur = {yj_buf_cstr(b), b->len}, line;
    while (yj_str_next_line(&cur, &line)) {
        struct yj_str t = yj_str_trim(line);
        if (t.n > 6 && memmem(t.p, t.n, ".timer", 6))
            n++;
    }
    return n;
}

void yj_ev_collect_sched(struct yj_ev *c)
{
    struct sched s = {.c = c};
    yj_buf_init(&s.links, YJ_EV_TABLE_MAX);
    yj_buf_adds(&s.links, "path\ttarget\n");

    static const char *const files[] = {"/etc/crontab", "/etc/anacrontab"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct stat st;
        if (lstat(files[i], &st) == 0 && S_ISREG(st.st_mode))
            copy_file(&s, files[i]);
        else if (lstat(files[i], &st) == 0 && S_ISLNK(st.st_mode))
            note_link(&s, files[i]);
    }
    static const struct {
        const char *dir;
        int depth;
    } dirs[] = {
        {"/etc/cron.d", 1},       {"/etc/cron.hourly", 1},  {"/etc/cron.daily", 1},
        {"/etc/cron.weekly", 1},  {"/etc/cron.monthly", 1}, {"/etc/cron.yearly", 1},
        {"/var/spool/cron", 3},   {"/var/spool/at", 2},     {"/var/spool/anacron", 1},
        {"/etc/systemd/system", 3}, {"/etc/systemd/user", 3},
        {"/usr/local/lib/systemd/system", 2}, {"/root/.config/systemd/user", 3},
    };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        tree(&s, dirs[i].dir, dirs[i].depth);
    homes(&s, ".config/systemd/user", 3);
    yj_ev_add(c, YJ_EV_AREA_SCHEDULED, "scheduled/links.tsv", "lstat, readlink", &s.links, false,
              0);
    yj_buf_fini(&s.links);

    static const char *const timers[] = {"systemctl", "list-timers", "--all", "--no-pager",
                                         NULL};
    struct yj_buf out;
    yj_buf_init(&out, YJ_EV_COPY_MAX + 1);
    if (yj_ev_run(c, YJ_EV_AREA_SCHEDULED, "scheduled/systemd-timers.txt", timers, &out))
        c->r->counts.timers = count_timers(&out);
    yj_buf_fini(&out);
}
