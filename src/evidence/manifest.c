/* The manifest parser: sha256sum's text format, read strictly, because the manifest comes
 * from an archive that may have been tampered with or built by hand.
 *
 *   0123…(64 lowercase or uppercase hex digits)…  system/time.txt\n
 *   <-------------------- 64 ---------------------><sp><sp or *><path><LF>
 *
 * Every line must end in LF (no CR), paths must be safe relative names (yj_ev_name_ok) and
 * appear once; escaped lines ("\" first, sha256sum's form for names with a newline) are not
 * something yojin writes and are refused. All bad lines are reported, each with its number. */
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "evidence_int.h"

static int cmp_counted(const char *a, size_t na, const char *b, size_t nb)
{
    size_t n = na < nb ? na : nb;
    int c = n ? memcmp(a, b, n) : 0;
    if (c)
        return c;
    return na < nb ? -1 : na > nb;
}

static int by_path(const void *x, const void *y)
{
    const struct yj_manifest_entry *a = x, *b = y;
    int c = strcmp(a->path, b->path);
    if (c)
        return c;
    return a->line < b->line ? -1 : a->line > b->line;
}

static void add(struct yj_manifest *m, size_t *cap, struct yj_str path, const uint8_t *sum,
                unsigned line)
{
    if (m->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        m->v = yj_xrealloc(m->v, *cap * sizeof *m->v);
    }
    struct yj_manifest_entry *e = &m->v[m->n++];
    e->path = yj_arena_strndup(&m->arena, path.p, path.n);
    memcpy(e->sha256, sum, YJ_SHA256_LEN);
    e->line = line;
}

/* One line without its LF; false (with a message) when it is wrong. */
static bool parse_line(struct yj_manifest *m, size_t *cap, const char *name, struct yj_str s,
                       unsigned line, struct yj_diag *d)
{
    if (s.n == 0) {
        yj_diag_add(d, name, line, "%s", yj_t("evidence.manifest.empty_line"));
        return false;
    }
    if (s.p[0] == '\\') {
        yj_diag_add(d, name, line, "%s", yj_t("evidence.manifest.escaped"));
        return false;
    }
    uint8_t sum[YJ_SHA256_LEN];
    if (s.n < 2 * YJ_SHA256_LEN || !yj_sha256_from_hex(s.p, 2 * YJ_SHA256_LEN, sum)) {
        yj_diag_add(d, name, line, "%s", yj_t("evidence.manifest.bad_hash"));
        return false;
    }
    struct yj_str rest = {s.p + 2 * YJ_SHA256_LEN, s.n - 2 * YJ_SHA256_LEN};
    if (rest.n < 2 || rest.p[0] != ' ' || (rest.p[1] != ' ' && rest.p[1] != '*')) {
        yj_diag_add(d, name, line, "%s", yj_t("evidence.manifest.bad_sep"));
        return false;
    }
    struct yj_str path = {rest.p + 2, rest.n - 2};
    if (!yj_ev_name_ok(path.p, path.n)) {
        yj_diag_add(d, name, line, "%s", yj_t("evidence.manifest.bad_path"));
        return false;
    }
    add(m, cap, path, sum, line);
    return true;
}

enum yj_err yj_manifest_parse(struct yj_manifest *m, const char *name, const char *p, size_t n,
                              struct yj_diag *d)
{
    memset(m, 0, sizeof *m);
    yj_arena_init(&m->arena);
    if (n > YJ_MANIFEST_MAX_BYTES)
        return yj_diag_fail(d, YJ_ERR_LIMIT, name, 0, yj_t("evidence.manifest.too_big"),
                            YJ_MANIFEST_MAX_BYTES);
    if (n == 0)
        return yj_diag_fail(d, YJ_ERR_PARSE, name, 0, "%s", yj_t("evidence.manifest.empty"));
    size_t cap = 0;
    bool bad = false;
    unsigned line = 0;
    size_t at = 0;
    while (at < n) {
        if (line >= YJ_MANIFEST_MAX_LINES)
            return yj_diag_fail(d, YJ_ERR_LIMIT, name, line + 1,
                                yj_t("evidence.manifest.too_many"), YJ_MANIFEST_MAX_LINES);
        line++;
        const char *nl = memchr(p + at, '\n', n - at);
        if (!nl) {
            yj_diag_add(d, name, line, "%s", yj_t("evidence.manifest.no_newline"));
            bad = true;
            break;
        }
        struct yj_str s = {p + at, (size_t)(nl - (p + at))};
        if (!parse_line(m, &cap, name, s, line, d))
            bad = true;
        at += s.n + 1;
    }
    if (m->n > 1)
        qsort(m->v, m->n, sizeof *m->v, by_path);
    for (size_t i = 1; i < m->n; i++) {
        if (strcmp(m->v[i - 1].path, m->v[i].path) == 0) {
            yj_diag_add(d, name, m->v[i].line, yj_t("evidence.manifest.duplicate"),
                        m->v[i - 1].line);
            bad = true;
        }
    }
    return bad ? YJ_ERR_PARSE : YJ_ERR_OK;
}

void yj_manifest_fini(struct yj_manifest *m)
{
    free(m->v);
    yj_arena_fini(&m->arena);
    memset(m, 0, sizeof *m);
}

const struct yj_manifest_entry *yj_manifest_find(const struct yj_manifest *m, const char *path,
                                                 size_t n)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *e = m->v[mid].path;
        int c = cmp_counted(path, n, e, strlen(e));
        if (c == 0)
            return &m->v[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}
