/* Verification: reads an archive with libarchive (tar, optionally gzip; nothing is
 * extracted), hashes every entry, parses the manifest and reports what is missing, extra or
 * changed. Entry names that could escape a folder on extraction (absolute, "..", control
 * bytes) and entries that are not regular files are problems too, as is anything outside
 * the one top folder. The archive file's own SHA-256 is computed so that it can be compared
 * with the one given when the archive was handed over.
 *
 * Problems are listed in this order: what is wrong with entries as they are read, what is
 * wrong with the manifest, then missing/extra/changed by name. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/i18n.h"
#include "evidence_int.h"

#define MANIFEST_NAME "manifest.sha256"
#define CHUNK 65536

void yj_evidence_check_init(struct yj_evidence_check *c)
{
    memset(c, 0, sizeof *c);
    yj_arena_init(&c->arena);
}

void yj_evidence_check_fini(struct yj_evidence_check *c)
{
    free(c->v);
    yj_arena_fini(&c->arena);
    memset(c, 0, sizeof *c);
}

/* A copy fit to show on a terminal: bytes that are not text become '?', long names end in
 * "...". */
static const char *shown(struct yj_evidence_check *c, const char *p, size_t n)
{
    if (!p)
        return "?";
    size_t max = n < 300 ? n : 300;
    char *s = yj_arena_alloc(&c->arena, max + 4);
    for (size_t i = 0; i < max; i++) {
        unsigned char ch = (unsigned char)p[i];
        s[i] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
    }
    if (!yj_str_is_text((struct yj_str){s, max}))
        for (size_t i = 0; i < max; i++)
            if ((unsigned char)s[i] >= 0x80)
                s[i] = '?';
    if (max < n)
        memcpy(s + max, "...", 4);
    else
        s[max] = '\0';
    return s;
}

static void problem(struct yj_evidence_check *c, enum yj_ev_problem kind, const char *name,
                    unsigned line, const char *msg)
{
    if (c->n >= YJ_EV_VERIFY_MAX_PROBLEMS) {
        c->dropped++;
        return;
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->v = yj_xrealloc(c->v, c->cap * sizeof *c->v);
    }
    c->v[c->n++] = (struct yj_evidence_problem){
        .kind = kind,
        .name = name,
        .line = line,
        .msg = msg ? yj_arena_strdup(&c->arena, msg) : NULL,
    };
}

struct entry {
    const char *rel; /* under the top folder */
    uint8_t sum[YJ_SHA256_LEN];
};

struct reading {
    struct yj_evidence_check *c;
    struct archive *a;
    struct entry *v;
    size_t n, cap;
    bool have_manifest;
    struct yj_buf manifest;
    uint64_t total;
    unsigned char *chunk;
};

static int by_rel(const void *x, const void *y)
{
    return strcmp(((const struct entry *)x)->rel, ((const struct entry *)y)->rel);
}

/* Hashes the current entry's data (keeping it when it is the manifest). */
static enum yj_err hash_data(struct reading *rd, const char *path, bool keep, uint8_t *sum,
                             struct yj_diag *d)
{
    struct yj_sha256 h;
    yj_sha256_init(&h);
    for (;;) {
        la_ssize_t k = archive_read_data(rd->a, rd->chunk, CHUNK);
        if (k == 0)
            break;
        if (k < 0)
            return yj_diag_fail(d, YJ_ERR_PARSE, path, 0, yj_t("evidence.damaged"),
                                archive_error_string(rd->a) ? archive_error_string(rd->a)
                                                            : "?");
        rd->total += (uint64_t)k;
        if (rd->total > YJ_EV_VERIFY_MAX_BYTES)
            return yj_diag_fail(d, YJ_ERR_LIMIT, path, 0, yj_t("evidence.verify_too_big"),
                                (unsigned long long)(YJ_EV_VERIFY_MAX_BYTES >> 20));
        yj_sha256_update(&h, rd->chunk, (size_t)k);
        if (keep)
            yj_buf_add(&rd->manifest, rd->chunk, (size_t)k); /* sticky LIMIT past the cap */
    }
    yj_sha256_final(&h, sum);
    return YJ_ERR_OK;
}

/* One entry: its name, its kind, its place under the top folder, its hash. */
static enum yj_err entry(struct reading *rd, struct archive_entry *e, const char *path,
                         struct yj_diag *d)
{
    struct yj_evidence_check *c = rd->c;
    const char *name = archive_entry_pathname_utf8(e);
    if (!name)
        name = archive_entry_pathname(e);
    size_t n = name ? strlen(name) : 0;
    bool dir = archive_entry_filetype(e) == AE_IFDIR;
    if (dir && n > 1 && name[n - 1] == '/')
        n--; /* "folder/" */
    if (!name || !yj_ev_name_ok(name, n)) {
        problem(c, YJ_EV_PROBLEM_UNSAFE_NAME, shown(c, name, name ? strlen(name) : 1), 0, NULL);
        return YJ_ERR_OK;
    }
    const char *slash = memchr(name, '/', n);
    size_t tn = slash ? (size_t)(slash - name) : n;
    if (!c->top && (slash || dir))
        c->top = yj_arena_strndup(&c->arena, name, tn);
    if (!c->top || tn != strlen(c->top) || memcmp(name, c->top, tn) != 0 || (!slash && !dir)) {
        problem(c, YJ_EV_PROBLEM_OUTSIDE, shown(c, name, n), 0, NULL);
        return YJ_ERR_OK;
    }
    if (dir)
        return YJ_ERR_OK; /* folders carry nothing to verify */
    const char *rel = slash + 1;
    size_t rn = n - tn - 1;
    if (archive_entry_filetype(e) != AE_IFREG || archive_entry_hardlink(e)) {
        problem(c, YJ_EV_PROBLEM_NOT_FILE, shown(c, rel, rn), 0, NULL);
        return YJ_ERR_OK;
    }
    bool is_manifest = rn == sizeof MANIFEST_NAME - 1 && memcmp(rel, MANIFEST_NAME, rn) == 0;
    if (is_manifest && rd->have_manifest) {
        problem(c, YJ_EV_PROBLEM_DUPLICATE, MANIFEST_NAME, 0, NULL);
        return YJ_ERR_OK;
    }
    uint8_t sum[YJ_SHA256_LEN];
    enum yj_err err = hash_data(rd, path, is_manifest, sum, d);
    if (err)
        return err;
    c->entries++;
    if (is_manifest) {
        rd->have_manifest = true;
        return YJ_ERR_OK;
    }
    if (rd->n == rd->cap) {
        rd->cap = rd->cap ? rd->cap * 2 : 64;
        rd->v = yj_xrealloc(rd->v, rd->cap * sizeof *rd->v);
    }
    rd->v[rd->n].rel = yj_arena_strndup(&c->arena, rel, rn);
    memcpy(rd->v[rd->n].sum, sum, YJ_SHA256_LEN);
    rd->n++;
    return YJ_ERR_OK;
}

static enum yj_err read_all(struct reading *rd, int fd, const char *path, struct yj_diag *d)
{
    rd->a = archive_read_new();
    if (!rd->a)
        yj_oom();
    archive_read_support_filter_gzip(rd->a);
    archive_read_support_format_tar(rd->a);
    if (archive_read_open_fd(rd->a, fd, CHUNK) != ARCHIVE_OK)
        return yj_diag_fail(d, YJ_ERR_PARSE, path, 0, yj_t("evidence.not_archive"),
                            archive_error_string(rd->a) ? archive_error_string(rd->a) : "?");
    size_t seen = 0;
    for (;;) {
        struct archive_entry *e;
        int rc = archive_read_next_header(rd->a, &e);
        if (rc == ARCHIVE_EOF)
            break;
        if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
            const char *why = archive_error_string(rd->a) ? archive_error_string(rd->a) : "?";
            if (seen == 0)
                return yj_diag_fail(d, YJ_ERR_PARSE, path, 0, yj_t("evidence.not_archive"), why);
            return yj_diag_fail(d, YJ_ERR_PARSE, path, 0, yj_t("evidence.damaged"), why);
        }
        if (++seen > YJ_EV_VERIFY_MAX_ENTRIES)
            return yj_diag_fail(d, YJ_ERR_LIMIT, path, 0, yj_t("evidence.verify_too_many"),
                                YJ_EV_VERIFY_MAX_ENTRIES);
        enum yj_err err = entry(rd, e, path, d);
        if (err)
            return err;
    }
    return YJ_ERR_OK;
}

static void compare(struct reading *rd)
{
    struct yj_evidence_check *c = rd->c;
    struct yj_manifest m;
    struct yj_diag md;
    yj_diag_init(&md);
    md.max = YJ_EV_VERIFY_MAX_PROBLEMS;
    enum yj_err err = yj_buf_err(&rd->manifest);
    if (err) {
        problem(c, YJ_EV_PROBLEM_MANIFEST, MANIFEST_NAME, 0, yj_t("evidence.manifest.too_big"));
        memset(&m, 0, sizeof m);
        yj_arena_init(&m.arena);
    } else {
        err = yj_manifest_parse(&m, MANIFEST_NAME, yj_buf_cstr(&rd->manifest), rd->manifest.len,
                                &md);
    }
    for (size_t i = 0; i < md.n; i++)
        problem(c, YJ_EV_PROBLEM_MANIFEST, MANIFEST_NAME, md.v[i].line, md.v[i].msg);
    if (md.dropped)
        c->dropped += md.dropped;
    yj_diag_fini(&md);
    c->listed = m.n;
    if (err) {
        yj_manifest_fini(&m);
        return;
    }
    if (rd->n > 1)
        qsort(rd->v, rd->n, sizeof *rd->v, by_rel);
    bool *seen = yj_xcalloc(m.n ? m.n : 1, sizeof *seen);
    for (size_t i = 0; i < rd->n; i++) {
        const struct entry *e = &rd->v[i];
        if (i > 0 && strcmp(rd->v[i - 1].rel, e->rel) == 0) {
            problem(c, YJ_EV_PROBLEM_DUPLICATE, shown(c, e->rel, strlen(e->rel)), 0, NULL);
            continue;
        }
        const struct yj_manifest_entry *me = yj_manifest_find(&m, e->rel, strlen(e->rel));
        if (!me) {
            problem(c, YJ_EV_PROBLEM_EXTRA, shown(c, e->rel, strlen(e->rel)), 0, NULL);
            continue;
        }
        seen[me - m.v] = true;
        if (memcmp(me->sha256, e->sum, YJ_SHA256_LEN) != 0)
            problem(c, YJ_EV_PROBLEM_MISMATCH, shown(c, e->rel, strlen(e->rel)), me->line, NULL);
    }
    for (size_t i = 0; i < m.n; i++)
        if (!seen[i])
            problem(c, YJ_EV_PROBLEM_MISSING, shown(c, m.v[i].path, strlen(m.v[i].path)),
                    m.v[i].line, NULL);
    free(seen);
    yj_manifest_fini(&m);
}

enum yj_err yj_evidence_verify(const char *path, struct yj_evidence_check *c, struct yj_diag *d)
{
    c->ok = false;
    /* One descriptor for both passes, so that the file hashed is the file read. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        return yj_diag_fail(d, e == ENOENT ? YJ_ERR_NOTFOUND : YJ_ERR_IO, path, 0,
                            yj_t("hash.open"), strerror(e));
    }
    uint8_t whole[YJ_SHA256_LEN];
    enum yj_err err = yj_sha256_fd(fd, path, 0, whole, NULL, d);
    if (!err && lseek(fd, 0, SEEK_SET) != 0)
        err = yj_diag_fail(d, YJ_ERR_IO, path, 0, yj_t("hash.read"), strerror(errno));
    if (err) {
        close(fd);
        return err;
    }
    yj_sha256_hex(whole, c->sha256);

    struct reading rd = {.c = c};
    yj_buf_init(&rd.manifest, YJ_MANIFEST_MAX_BYTES);
    rd.chunk = yj_xmalloc(CHUNK);
    err = read_all(&rd, fd, path, d);
    if (!err) {
        if (!rd.have_manifest)
            problem(c, YJ_EV_PROBLEM_NO_MANIFEST, MANIFEST_NAME, 0, NULL);
        else
            compare(&rd);
        c->ok = c->n == 0 && c->dropped == 0;
    }
    if (rd.a)
        archive_read_free(rd.a);
    close(fd);
    free(rd.chunk);
    free(rd.v);
    yj_buf_fini(&rd.manifest);
    return err;
}
