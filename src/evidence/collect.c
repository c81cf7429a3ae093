/* yj_evidence_collect: the order of the collection and the helpers every collector uses
 * (adding an item, recording a skip, bounded reads, running a program, table fields).
 *
 * Order follows the order of volatility (RFC 3227): the clock first, then connections and
 * processes, which change by the second, then logins, scheduled jobs, files and logs. A
 * collector never fails: what it cannot read becomes a skip with a reason. Only the archive
 * itself can fail the collection (c->err, sticky), and then nothing is left behind. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "base/date.h"
#include "base/i18n.h"
#include "base/proc.h"
#include "evidence_int.h"

void yj_evidence_result_init(struct yj_evidence_result *r)
{
    memset(r, 0, sizeof *r);
    yj_arena_init(&r->arena);
}

void yj_evidence_result_fini(struct yj_evidence_result *r)
{
    free(r->items);
    free(r->skips);
    yj_arena_fini(&r->arena);
    memset(r, 0, sizeof *r);
}

const char *yj_ev_strdup(struct yj_ev *c, const char *s)
{
    return s ? yj_arena_strdup(&c->r->arena, s) : NULL;
}

/* A copy fit for a terminal: subjects are paths, and a file name can hold escape sequences
 * meant for the screen of whoever reads the summary. */
static const char *printable(struct yj_ev *c, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *p = yj_arena_alloc(&c->r->arena, n + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        p[i] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
    }
    if (!yj_str_is_text((struct yj_str){p, n}))
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)p[i] >= 0x80)
                p[i] = '?';
    return p;
}

/* ---- items and skips ------------------------------------------------------------------- */

static bool have_item(const struct yj_evidence_result *r, const char *path)
{
    for (size_t i = 0; i < r->n_items; i++)
        if (strcmp(r->items[i].path, path) == 0)
            return true;
    return false;
}

static void push_item(struct yj_evidence_result *r, const struct yj_evidence_item *it)
{
    if (r->n_items == r->cap_items) {
        r->cap_items = r->cap_items ? r->cap_items * 2 : 64;
        r->items = yj_xrealloc(r->items, r->cap_items * sizeof *r->items);
    }
    r->items[r->n_items++] = *it;
}

void yj_ev_add(struct yj_ev *c, enum yj_ev_area area, const char *path, const char *source,
               struct yj_buf *content, bool truncated, uint64_t offset)
{
    if (c->err)
        return;
    if (yj_buf_err(content))
        truncated = true; /* the buffer's cap: what it holds is still worth keeping */
    /* Two sources may map to one name once unsafe bytes are replaced: number the later. */
    char *name = yj_xstrdup(path);
    for (unsigned k = 2; have_item(c->r, name) && k < 1000; k++) {
        free(name);
        if (asprintf(&name, "%s~%u", path, k) < 0)
            yj_oom();
    }
    if (!yj_ev_name_ok(name, strlen(name)) || have_item(c->r, name) ||
        strcmp(name, YJ_EV_COLLECT_JSON) == 0 || strcmp(name, "manifest.sha256") == 0) {
        yj_ev_skip(c, area, source, YJ_EV_WHY_MALFORMED, NULL);
        free(name);
        return;
    }
    struct yj_evidence_item it = {.area = area, .truncated = truncated, .offset = offset};
    enum yj_err err = yj_ev_writer_add(&c->w, name, content->p ? content->p : "", content->len,
                                       it.sha256, c->d);
    if (err) {
        c->err = err;
        free(name);
        return;
    }
    it.path = yj_ev_strdup(c, name);
    it.source = printable(c, source);
    it.size = content->len;
    push_item(c->r, &it);
    free(name);
}

static bool same(const char *a, const char *b)
{
    return a ? b && strcmp(a, b) == 0 : !b;
}

void yj_ev_skip(struct yj_ev *c, enum yj_ev_area area, const char *subject, enum yj_ev_why why,
                const char *detail)
{
    struct yj_evidence_result *r = c->r;
    for (size_t i = 0; i < r->n_skips; i++) {
        struct yj_evidence_skip *s = &r->skips[i];
        if (s->area == area && s->why == why && same(s->subject, subject) &&
            same(s->detail, detail)) {
            s->count++;
            return;
        }
    }
    if (r->n_skips >= YJ_EV_SKIPS_MAX) {
        r->skips_dropped++;
        return;
    }
    if (r->n_skips == r->cap_skips) {
        r->cap_skips = r->cap_skips ? r->cap_skips * 2 : 32;
        r->skips = yj_xrealloc(r->skips, r->cap_skips * sizeof *r->skips);
    }
    r->skips[r->n_skips++] = (struct yj_evidence_skip){
        .area = area,
        .subject = printable(c, subject),
        .why = why,
        .detail = printable(c, detail),
        .count = 1,
    };
}

enum yj_ev_why yj_ev_why_errno(const struct yj_ev *c, int e)
{
    switch (e) {
    case EACCES:
    case EPERM: return c->root ? YJ_EV_WHY_DENIED : YJ_EV_WHY_NOT_ROOT;
    case ENOENT:
    case ENOTDIR: return YJ_EV_WHY_MISSING;
    case ESRCH: return YJ_EV_WHY_VANISHED;
    case EFBIG: return YJ_EV_WHY_TOO_BIG;
    default: return YJ_EV_WHY_ERROR;
    }
}

/* ---- reading --------------------------------------------------------------------------- */

int yj_ev_open(const char *path, int extra_flags)
{
    int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | extra_flags;
    int fd = open(path, flags | O_NOATIME);
    if (fd < 0 && errno == EPERM)
        fd = open(path, flags);
    return fd;
}

int yj_ev_read(const char *path, size_t max, bool tail, size_t align, struct yj_buf *out,
               uint64_t *offset, bool *truncated)
{
    *offset = 0;
    *truncated = false;
    int fd = yj_ev_open(path, 0);
    if (fd < 0)
        return errno;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return e;
    }
    if (!S_ISREG(st.st_mode)) { /* /proc and /sys files are regular too */
        close(fd);
        return S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
    }
    uint64_t start = 0;
    if (tail && st.st_size > 0 && (uint64_t)st.st_size > max) {
        start = (uint64_t)st.st_size - max;
        if (align > 1 && start % align)
            start += align - start % align;
        if (lseek(fd, (off_t)start, SEEK_SET) < 0) {
            int e = errno;
            close(fd);
            return e;
        }
        *truncated = true;
    }
    size_t before = out->len;
    char chunk[16384];
    size_t got = 0;
    int e = 0;
    for (;;) {
        size_t want = max - got < sizeof chunk ? max - got : sizeof chunk;
        if (want == 0) {
            /* At the cap: is there more? */
            char one;
            ssize_t r = read(fd, &one, 1);
            if (r > 0)
                *truncated = true;
            break;
        }
        ssize_t r = read(fd, chunk, want);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            e = errno;
            break;
        }
        if (r == 0)
            break;
        yj_buf_add(out, chunk, (size_t)r);
        got += (size_t)r;
    }
    close(fd);
    if (e) {
        out->len = before;
        if (out->p)
            out->p[before] = '\0';
        return e;
    }
    /* A tail starts at a whole line (or record): drop the partial first one. */
    if (start > 0 && align <= 1 && out->len > before) {
        const char *nl = memchr(out->p + before, '\n', out->len - before);
        if (nl && (size_t)(nl - (out->p + before)) + 1 < out->len - before) {
            size_t skip = (size_t)(nl - (out->p + before)) + 1;
            memmove(out->p + before, out->p + before + skip, out->len - before - skip + 1);
            out->len -= skip;
            start += skip;
        }
    }
    *offset = start;
    return 0;
}

bool yj_ev_copy(struct yj_ev *c, enum yj_ev_area area, const char *src, const char *dest,
                size_t max, bool tail, bool optional)
{
    struct yj_buf b;
    yj_buf_init(&b, max + 1);
    uint64_t offset;
    bool truncated;
    int e = yj_ev_read(src, max, tail, 1, &b, &offset, &truncated);
    if (e) {
        if (!(optional && (e == ENOENT || e == ENOTDIR)))
            yj_ev_skip(c, area, src, yj_ev_why_errno(c, e),
                       e == ENOENT || e == EACCES ? NULL : strerror(e));
        yj_buf_fini(&b);
        return false;
    }
    yj_ev_add(c, area, dest, src, &b, truncated, offset);
    yj_buf_fini(&b);
    return true;
}

/* ---- table fields and times ------------------------------------------------------------ */

void yj_ev_tsv(struct yj_buf *b, const char *p, size_t n)
{
    if (n == 0) {
        yj_buf_addc(b, '-');
        return;
    }
    size_t i = 0;
    while (i < n) {
        unsigned char ch = (unsigned char)p[i];
        size_t len = 1;
        if (ch >= 0xc2 && ch <= 0xdf)
            len = 2;
        else if (ch >= 0xe0 && ch <= 0xef)
            len = 3;
        else if (ch >= 0xf0 && ch <= 0xf4)
            len = 4;
        if (ch == '\t')
            yj_buf_adds(b, "\\t");
        else if (ch == '\n')
            yj_buf_adds(b, "\\n");
        else if (ch == '\\')
            yj_buf_adds(b, "\\\\");
        else if (i + len <= n && yj_str_is_text((struct yj_str){p + i, len})) {
            yj_buf_add(b, p + i, len);
            i += len;
            continue;
        } else
            yj_buf_printf(b, "\\x%02x", ch);
        i++;
    }
}

void yj_ev_time_utc(struct yj_buf *b, int64_t t)
{
    if (t <= 0) {
        yj_buf_addc(b, '-');
        return;
    }
    char iso[YJ_ISO_LEN];
    yj_time_iso(t, iso);
    yj_buf_adds(b, iso);
}

/* ---- programs -------------------------------------------------------------------------- */

bool yj_ev_run(struct yj_ev *c, enum yj_ev_area area, const char *dest, const char *const argv[],
               struct yj_buf *out)
{
    if (c->o->no_programs || c->err)
        return false;
    struct yj_buf cmd;
    yj_buf_init(&cmd, 4096);
    for (size_t i = 0; argv[i]; i++)
        yj_buf_printf(&cmd, "%s%s", i ? " " : "", argv[i]);
    const char *src = yj_buf_cstr(&cmd);
    char *path = yj_proc_find(argv[0]);
    if (!path) {
        yj_ev_skip(c, area, argv[0], YJ_EV_WHY_NO_PROGRAM, NULL);
        yj_buf_fini(&cmd);
        return false;
    }
    size_t n = 0;
    while (argv[n])
        n++;
    const char **av = yj_xcalloc(n + 1, sizeof *av);
    av[0] = path;
    for (size_t i = 1; i < n; i++)
        av[i] = argv[i];
    struct yj_proc_opts po = {.out_max = out->max > 1 ? out->max - 1 : 1,
                              .timeout_ms = YJ_EV_PROGRAM_TIMEOUT_MS};
    struct yj_proc_status st;
    struct yj_diag pd;
    yj_diag_init(&pd);
    bool added = false;
    enum yj_err err = yj_proc_run(av, &po, out, &st, &pd);
    if (err == YJ_ERR_LIMIT) {
        yj_ev_skip(c, area, src, YJ_EV_WHY_TIMEOUT, NULL);
        if (out->len) {
            yj_ev_add(c, area, dest, src, out, true, 0);
            added = true;
        }
    } else if (err) {
        yj_ev_skip(c, area, src, YJ_EV_WHY_ERROR, pd.n ? pd.v[0].msg : NULL);
    } else {
        if (!st.exited || st.code != 0) {
            char detail[128];
            if (st.exited)
                snprintf(detail, sizeof detail, yj_t("evidence.exit_status"), st.code);
            else
                snprintf(detail, sizeof detail, yj_t("evidence.exit_signal"), st.signal);
            yj_ev_skip(c, area, src, YJ_EV_WHY_PROGRAM_FAILED, detail);
        }
        /* Its output is kept even after a failure: it may say why. */
        if (st.exited && (st.code == 0 || out->len)) {
            yj_ev_add(c, area, dest, src, out, st.truncated, 0);
            added = true;
        }
    }
    yj_diag_fini(&pd);
    free(av);
    free(path);
    yj_buf_fini(&cmd);
    return added;
}

/* ---- the collection -------------------------------------------------------------------- */

/* The host name as it may appear in a file name: [A-Za-z0-9._-], at most 64 bytes. */
static void safe_host(const char *in, char out[65])
{
    size_t n = 0;
    for (; n < 64 && in[n]; n++) {
        char ch = in[n];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_';
        out[n] = ok ? ch : '_';
    }
    out[n] = '\0';
    if (n == 0 || strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
        strcpy(out, "unknown");
}

/* "20261126T041649Z" */
static void stamp(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y%m%dT%H%M%SZ", &tm);
}

static void who(struct yj_ev *c)
{
    struct yj_evidence_result *r = c->r;
    r->uid = (unsigned)getuid();
    r->euid = (unsigned)geteuid();
    r->root = r->euid == 0;
    struct passwd pw, *res = NULL;
    char buf[16384];
    if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &res) == 0 && res && res->pw_name &&
        yj_str_is_text(yj_str_c(res->pw_name)))
        r->user = yj_arena_strdup(&r->arena, res->pw_name);
    const char *su = getenv("SUDO_USER");
    if (su && *su && strlen(su) <= 64 && yj_str_is_text(yj_str_c(su)))
        r->sudo_user = yj_arena_strdup(&r->arena, su);
}

typedef void (*collector)(struct yj_ev *c);

static const struct {
    enum yj_ev_area area;
    collector fn;
} order[] = {
    {YJ_EV_AREA_SYSTEM, yj_ev_collect_system},   {YJ_EV_AREA_NETWORK, yj_ev_collect_net},
    {YJ_EV_AREA_PROCESSES, yj_ev_collect_proc},  {YJ_EV_AREA_USERS, yj_ev_collect_users},
    {YJ_EV_AREA_SCHEDULED, yj_ev_collect_sched}, {YJ_EV_AREA_FILES, yj_ev_collect_files},
    {YJ_EV_AREA_LOGS, yj_ev_collect_logs},
};

enum yj_err yj_evidence_collect(const struct yj_evidence_opts *o, struct yj_evidence_result *r,
                                struct yj_diag *d)
{
    if ((!o->output || !o->output[0]) && (!o->output_dir || !o->output_dir[0]))
        return yj_diag_fail(d, YJ_ERR_INVALID, NULL, 0, "%s", yj_t("evidence.no_output"));
    int days = o->days ? o->days : YJ_EV_DEFAULT_DAYS;
    if (days < 1 || days > YJ_EV_MAX_DAYS)
        return yj_diag_fail(d, YJ_ERR_INVALID, NULL, 0, yj_t("evidence.bad_days"), 1,
                            YJ_EV_MAX_DAYS);
    struct yj_ev c = {.o = o, .r = r, .d = d};
    c.w.fd = -1;
    struct timespec rt, bt;
    clock_gettime(CLOCK_REALTIME, &rt);
    c.now = (int64_t)rt.tv_sec;
    if (clock_gettime(CLOCK_BOOTTIME, &bt) == 0)
        c.boot = ((double)rt.tv_sec + (double)rt.tv_nsec / 1e9) -
                 ((double)bt.tv_sec + (double)bt.tv_nsec / 1e9);
    r->started = c.now;
    r->days = days;
    who(&c);
    c.root = r->root;

    struct utsname u;
    char host[65], st_now[32];
    safe_host(uname(&u) == 0 ? u.nodename : "", host);
    stamp(c.now, st_now);
    r->host = yj_arena_strdup(&r->arena, host);
    size_t tn = strlen(host) + strlen(st_now) + 32;
    r->top = yj_arena_alloc(&r->arena, tn);
    snprintf(r->top, tn, "yojin-evidence-%s-%s", host, st_now);
    if (o->output && o->output[0]) {
        r->path = yj_arena_strdup(&r->arena, o->output);
    } else {
        size_t pn = strlen(o->output_dir) + tn + 16;
        r->path = yj_arena_alloc(&r->arena, pn);
        snprintf(r->path, pn, "%s/%s.tar.gz", o->output_dir, r->top);
    }
    struct stat st;
    if (lstat(r->path, &st) == 0)
        return yj_diag_fail(d, YJ_ERR_EXISTS, r->path, 0, "%s", yj_t("evidence.exists"));

    enum yj_err err = yj_ev_writer_open(&c.w, r->path, r->top, c.now, d);
    if (err) {
        yj_ev_writer_abort(&c.w);
        return err;
    }
    for (size_t i = 0; i < sizeof order / sizeof order[0] && !c.err; i++)
        if (o->areas == YJ_EV_ALL || (o->areas & (1u << order[i].area)))
            order[i].fn(&c);
    if (c.err) {
        yj_ev_writer_abort(&c.w);
        return c.err;
    }
    clock_gettime(CLOCK_REALTIME, &rt);
    r->finished = (int64_t)rt.tv_sec;

    /* collect.json describes every item before it; it is listed in the manifest too. */
    struct yj_buf js;
    struct yj_json j;
    yj_buf_init(&js, YJ_EV_TABLE_MAX);
    yj_json_init(&j, &js, true);
    yj_evidence_result_json(r, &j, false); /* pretty: ends in a newline */
    struct yj_evidence_item it = {.area = YJ_EV_AREA_SYSTEM, .source = "yojin"};
    err = yj_buf_err(&js);
    if (err)
        yj_diag_add(d, YJ_EV_COLLECT_JSON, 0, "%s", yj_t(yj_err_key(err)));
    else
        err = yj_ev_writer_add(&c.w, YJ_EV_COLLECT_JSON, js.p, js.len, it.sha256, d);
    it.size = js.len;
    yj_buf_fini(&js);
    if (err) {
        yj_ev_writer_abort(&c.w);
        return err;
    }
    it.path = YJ_EV_COLLECT_JSON;
    push_item(r, &it);
    return yj_ev_writer_finish(&c.w, r->sha256, &r->size, d);
}
