/* File integrity: what changed between a baseline and a scan, which changes are alerts
 * (signatures.def rows YJ-HOST-2101..2105), and their events.
 *
 * Both lists are sorted by path in byte order, so one merge finds every change in
 * O(n + m). The comparison and the classification are pure functions of the entries: the
 * unit tests (tests/unit/host/test_fim.c) drive them without touching a disk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

static const char *const field_names[YJ_FIM_NFIELDS] = {
    "content", "size", "mode", "owner", "type", "target", "mtime",
};

size_t yj_fim_field_names(unsigned fields, const char *names[YJ_FIM_NFIELDS])
{
    size_t n = 0;
    for (unsigned i = 0; i < YJ_FIM_NFIELDS; i++)
        if (fields & (1u << i))
            names[n++] = field_names[i];
    return n;
}

const char *yj_fim_change_name(enum yj_fim_change_kind k)
{
    switch (k) {
    case YJ_FIM_ADDED: return "added";
    case YJ_FIM_REMOVED: return "removed";
    case YJ_FIM_MODIFIED: return "modified";
    case YJ_FIM_CH_UNREADABLE: return "unreadable";
    case YJ_FIM_CH_VANISHED: return "vanished";
    }
    return "modified";
}

unsigned yj_fim_diff(const struct yj_fim_entry *old, const struct yj_fim_entry *cur)
{
    unsigned f = 0;
    if (old->type != cur->type)
        f |= YJ_FIM_F_TYPE;
    if (old->meta && cur->meta) {
        bool dirs = old->type == YJ_FIM_DIR && cur->type == YJ_FIM_DIR;
        if (old->size != cur->size && !dirs)
            f |= YJ_FIM_F_SIZE;
        if (old->mode != cur->mode)
            f |= YJ_FIM_F_MODE;
        if (old->uid != cur->uid || old->gid != cur->gid)
            f |= YJ_FIM_F_OWNER;
        if (old->mtime_ns != cur->mtime_ns)
            f |= YJ_FIM_F_MTIME;
    }
    if (old->hashed && cur->hashed && memcmp(old->sha, cur->sha, sizeof old->sha) != 0)
        f |= YJ_FIM_F_CONTENT;
    if (old->type == YJ_FIM_SYMLINK && cur->type == YJ_FIM_SYMLINK && old->target &&
        cur->target && strcmp(old->target, cur->target) != 0)
        f |= YJ_FIM_F_TARGET;
    return f;
}

/* Entries of cur, sorted: is path's parent, grandparent, ... an unreadable directory? */
static bool hidden(const struct yj_fim_entry *cur, size_t n, const char *path)
{
    char buf[YJ_FIM_PATH_MAX];
    size_t len = strlen(path);
    if (len >= sizeof buf)
        return false;
    memcpy(buf, path, len + 1);
    for (char *slash = strrchr(buf, '/'); slash && slash > buf; slash = strrchr(buf, '/')) {
        *slash = '\0';
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int c = strcmp(cur[mid].path, buf);
            if (c == 0) {
                if (cur[mid].type == YJ_FIM_DIR && cur[mid].status != YJ_FIM_OK)
                    return true;
                break;
            }
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
    }
    return false;
}

void yj_fim_compare(const struct yj_fim_entry *base, size_t nbase, const struct yj_fim_entry *cur,
                    size_t ncur, yj_fim_change_fn fn, void *ctx)
{
    size_t i = 0, j = 0;
    while (i < nbase || j < ncur) {
        int c = i == nbase ? 1 : j == ncur ? -1 : strcmp(base[i].path, cur[j].path);
        struct yj_fim_change ch = {0};
        if (c < 0) {
            ch = (struct yj_fim_change){YJ_FIM_REMOVED, 0, &base[i], NULL};
            if (!hidden(cur, ncur, base[i].path))
                fn(ctx, &ch);
            i++;
            continue;
        }
        const struct yj_fim_entry *o = c == 0 ? &base[i] : NULL, *e = &cur[j];
        if (c == 0)
            i++;
        j++;
        if (e->status == YJ_FIM_VANISHED) {
            ch = (struct yj_fim_change){YJ_FIM_CH_VANISHED, 0, o, e};
            fn(ctx, &ch);
            continue;
        }
        if (!o) {
            ch = (struct yj_fim_change){YJ_FIM_ADDED, 0, NULL, e};
            fn(ctx, &ch);
        } else {
            unsigned f = yj_fim_diff(o, e);
            if (f) {
                ch = (struct yj_fim_change){YJ_FIM_MODIFIED, f, o, e};
                fn(ctx, &ch);
            }
        }
        if (e->status == YJ_FIM_UNREADABLE) {
            ch = (struct yj_fim_change){YJ_FIM_CH_UNREADABLE, 0, o, e};
            fn(ctx, &ch);
        }
    }
}

/* ---- Classification ----------------------------------------------------------------------- */

/* The part of path after the last "/etc/" (or NULL). */
static const char *after_etc(const char *path)
{
    const char *hit = NULL;
    for (const char *p = strstr(path, "/etc/"); p; p = strstr(p + 1, "/etc/"))
        hit = p + 5;
    return hit;
}

static bool is_account(const char *path)
{
    const char *r = after_etc(path);
    if (!r)
        return false;
    return strcmp(r, "passwd") == 0 || strcmp(r, "shadow") == 0 || strcmp(r, "group") == 0 ||
           strcmp(r, "gshadow") == 0 || strncmp(r, "sudoers", 7) == 0;
}

static bool is_authorized_keys(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    return strcmp(b, "authorized_keys") == 0 || strcmp(b, "authorized_keys2") == 0;
}

/* Entry inside dir (anywhere in path, so chroots count), not the directory itself. */
static bool inside(const char *path, const char *dir)
{
    const char *p = strstr(path, dir);
    return p && p[strlen(dir)];
}

/* Places that start programs by themselves: cron tables, systemd units (system and user),
 * shell start-up files, the dynamic loader's preload list, rc.local, init scripts and
 * desktop autostart entries. Entries *inside* directories (a directory's own mtime changes
 * with every file added; that file is the alert). */
static bool is_persistence_place(const char *path)
{
    static const char *const etc_files[] = {
        "crontab", "anacrontab", "profile", "bash.bashrc", "bashrc", "zsh/zshrc",
        "zsh/zprofile", "zshrc", "environment", "ld.so.preload", "rc.local", "inittab"};
    static const char *const etc_dirs[] = {"profile.d/", "xdg/autostart/", "init.d/",
                                           "systemd/user/", "update-motd.d/"};
    const char *r = after_etc(path);
    for (size_t i = 0; r && i < sizeof etc_files / sizeof etc_files[0]; i++)
        if (strcmp(r, etc_files[i]) == 0)
            return true;
    for (size_t i = 0; r && i < sizeof etc_dirs / sizeof etc_dirs[0]; i++)
        if (strncmp(r, etc_dirs[i], strlen(etc_dirs[i])) == 0 && r[strlen(etc_dirs[i])])
            return true;
    if (r && strncmp(r, "cron.", 5) == 0 && strchr(r, '/'))
        return true;
    static const char *const dirs[] = {"/etc/systemd/system/", "/lib/systemd/system/",
                                       "/lib/systemd/user/", "/var/spool/cron/",
                                       "/.config/systemd/user/", "/.config/autostart/"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        if (inside(path, dirs[i]))
            return true;
    /* A user's shell start-up files, in whichever home. */
    static const char *const dot[] = {".bashrc", ".bash_profile", ".bash_login",
                                      ".bash_logout", ".profile", ".zshrc", ".zprofile",
                                      ".zshenv", ".zlogin"};
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    for (size_t i = 0; i < sizeof dot / sizeof dot[0]; i++)
        if (strcmp(b, dot[i]) == 0 && (strstr(path, "/home/") || strstr(path, "/root/")))
            return true;
    return false;
}

static bool setid(const struct yj_fim_entry *e)
{
    return e && e->type == YJ_FIM_FILE && e->meta && (e->mode & 06000);
}

enum yj_host_sig yj_fim_classify(const struct yj_fim_change *c)
{
    if (c->kind != YJ_FIM_ADDED && c->kind != YJ_FIM_REMOVED && c->kind != YJ_FIM_MODIFIED)
        return YJ_HOST_SIG__COUNT;
    const struct yj_fim_entry *e = c->cur ? c->cur : c->old;
    if (is_account(e->path))
        return YJ_HOST_SIG_FIM_ACCOUNT;
    if (is_authorized_keys(e->path))
        return YJ_HOST_SIG_FIM_AUTH_KEYS;
    /* A file that is set-user-ID or set-group-ID now and was not (or did not exist). */
    if (setid(c->cur) && (c->kind == YJ_FIM_ADDED || !setid(c->old)))
        return YJ_HOST_SIG_FIM_SETID;
    if (is_persistence_place(e->path))
        return YJ_HOST_SIG_FIM_PERSISTENCE;
    return YJ_HOST_SIG_FIM_CHANGE;
}

/* ---- Alerts ------------------------------------------------------------------------------- */

void yj_fim_alerts_init(struct yj_fim_alerts *a)
{
    *a = (struct yj_fim_alerts){0};
    yj_arena_init(&a->arena);
}

void yj_fim_alerts_fini(struct yj_fim_alerts *a)
{
    free(a->v);
    yj_arena_fini(&a->arena);
    *a = (struct yj_fim_alerts){0};
}

const struct yj_fim_alert *yj_fim_alerts_add(struct yj_fim_alerts *a,
                                             const struct yj_fim_change *c)
{
    enum yj_host_sig sig = yj_fim_classify(c);
    if (sig == YJ_HOST_SIG__COUNT)
        return NULL;
    const char *path = (c->cur ? c->cur : c->old)->path;
    if (sig == YJ_HOST_SIG_FIM_CHANGE) {
        for (size_t i = 0; i < a->n; i++)
            if (a->v[i].sig == sig) {
                a->v[i].count++;
                return &a->v[i];
            }
    }
    if (a->n >= YJ_FIM_ALERTS_MAX) {
        a->dropped++;
        return NULL;
    }
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 16;
        a->v = yj_xrealloc(a->v, a->cap * sizeof *a->v);
    }
    struct yj_fim_alert *al = &a->v[a->n++];
    *al = (struct yj_fim_alert){sig, yj_arena_strdup(&a->arena, path), c->kind, c->fields, 1};
    return al;
}

/* Summaries' printf arguments: the ordinary file-change alert (count, first path); the
 * others (path). ja and en must agree (tests/i18n/check_catalogs.py). */
void yj_fim_alert_summary(const struct yj_fim_alert *a, enum yj_lang lang, char *out, size_t n)
{
    const char *fmt = yj_tl(lang, yj_host_sig_info(a->sig)->summary_id);
    if (a->sig == YJ_HOST_SIG_FIM_CHANGE)
        snprintf(out, n, fmt, (unsigned long long)a->count, a->path);
    else
        snprintf(out, n, fmt, a->path);
}

void yj_fim_alert_event(const struct yj_fim_alert *a, enum yj_lang lang, const char *summary,
                        const struct yj_event_fim *fim, int64_t ts, struct yj_event *ev)
{
    const struct yj_host_sig_info *si = yj_host_sig_info(a->sig);
    *ev = (struct yj_event){
        .type = YJ_EVENT_ALERT,
        .ts = ts,
        .u.alert = {
            .signature_id = si->id,
            .signature = yj_tl(lang, si->name_id),
            .severity = si->severity,
            .category = si->category,
            .count = a->count,
            .summary = summary,
            .advice = yj_tl(lang, si->advice_id),
            .playbook = si->playbook,
            .fim = fim,
            .code = si->code,
        },
    };
}

void yj_fim_change_event(const struct yj_fim_change *c, int64_t ts,
                         const char *names[YJ_FIM_NFIELDS], struct yj_event *ev)
{
    const struct yj_fim_entry *e = c->cur ? c->cur : c->old;
    bool typed = e->meta || e->status == YJ_FIM_OK;
    *ev = (struct yj_event){
        .type = YJ_EVENT_FIM,
        .ts = ts,
        .u.fim = {
            .path = e->path,
            .change = yj_fim_change_name(c->kind),
            .type = typed ? yj_fim_type_name((enum yj_fim_type)e->type) : NULL,
            .fields = names,
            .nfields = yj_fim_field_names(c->fields, names),
        },
    };
}
