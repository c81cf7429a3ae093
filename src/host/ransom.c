/* Ransomware behaviour: a pure detector fed with what happened to files (time, path, what
 * kind of change, the writing process when known, the entropy of a sample of the new
 * contents), and the lists it matches names against (data/host/ransomware.yaml).
 *
 * A change is "suspicious" when it leaves a file that looks encrypted: a sample with high
 * entropy in a file whose extension normally holds low-entropy content (text, office XML
 * before zipping is not the case, so zips, images and archives are "packed" and excluded),
 * or a file whose entropy rose from low to high since we last saw it, or a name ending in
 * a known ransomware extension. Each file counts once per window. A burst is raised when,
 * within the window, one watched folder or one process has that many suspicious files, or
 * ransom notes appear in several folders (or one note with a quarter of the files). A
 * raised burst stays one alert until the folder has been quiet for a whole window.
 *
 * Everything is fixed-size: a ring of recent suspicious files, a small per-file entropy
 * cache and a small process table; when full, the oldest entries go first. No I/O here:
 * the unit tests (tests/unit/host/test_ransom.c) feed observations directly. */
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/yaml.h"
#include "host.h"

#define RING 4096  /* suspicious files remembered (all roots) */
#define CACHE 1024 /* files whose last entropy is remembered */
#define PIDS 64    /* processes counted at once */
#define NOTE_DIRS 8

/* ---- Rules ---------------------------------------------------------------------------------- */

void yj_ransom_rules_init(struct yj_ransom_rules *r)
{
    *r = (struct yj_ransom_rules){0};
    yj_arena_init(&r->arena);
}

void yj_ransom_rules_fini(struct yj_ransom_rules *r)
{
    yj_arena_fini(&r->arena);
    *r = (struct yj_ransom_rules){0};
}

/* A sequence of non-empty scalars under key, lower-cased into the arena. */
static bool str_list(const struct yj_yaml_doc *doc, const struct yj_yaml *root, const char *key,
                     struct yj_arena *a, const char ***out, size_t *n, struct yj_diag *d)
{
    const struct yj_yaml *seq = yj_yaml_get(root, key);
    if (!seq) {
        yj_diag_add(d, doc->name, yj_yaml_line(root, key), yj_t("host.ransom.missing"), key);
        return false;
    }
    if (!yj_yaml_expect(doc, seq, YJ_YAML_SEQ, key, d))
        return false;
    const char **v = yj_arena_alloc(a, (seq->len + 1) * sizeof *v);
    for (size_t i = 0; i < seq->len; i++) {
        const struct yj_yaml *it = seq->kids[i];
        if (it->kind != YJ_YAML_SCALAR || it->n == 0 || it->n > 200) {
            yj_diag_add(d, doc->name, it->line, yj_t("host.ransom.bad_item"), key);
            return false;
        }
        char *s = yj_arena_strndup(a, it->s, it->n);
        for (char *p = s; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        v[i] = s;
    }
    *out = v;
    *n = seq->len;
    return true;
}

enum yj_err yj_ransom_rules_load(struct yj_ransom_rules *r, const char *path, struct yj_diag *d)
{
    static const char *const keys[] = {"source", "as_of", "extensions", "notes", "packed",
                                       "ignore_dirs", NULL};
    struct yj_yaml_doc doc;
    enum yj_err err = yj_yaml_load_file(&doc, path, d);
    if (err)
        return err;
    bool ok = yj_yaml_expect(&doc, doc.root, YJ_YAML_MAP, "ransomware", d) &&
              yj_yaml_only_keys(&doc, doc.root, keys, d) &&
              yj_yaml_req_str(&doc, doc.root, "source", d) &&
              yj_yaml_req_str(&doc, doc.root, "as_of", d) &&
              str_list(&doc, doc.root, "extensions", &r->arena, &r->exts, &r->nexts, d) &&
              str_list(&doc, doc.root, "notes", &r->arena, &r->notes, &r->nnotes, d) &&
              str_list(&doc, doc.root, "packed", &r->arena, &r->packed, &r->npacked, d) &&
              (!yj_yaml_get(doc.root, "ignore_dirs") ||
               str_list(&doc, doc.root, "ignore_dirs", &r->arena, &r->ignore, &r->nignore, d));
    yj_yaml_fini(&doc);
    return ok ? YJ_ERR_OK : YJ_ERR_INVALID;
}

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/* Does the name end in one of the (lower-case) suffixes, case-insensitively? */
static bool ends_in(const char *path, const char *const *sfx, size_t n)
{
    const char *b = base_name(path);
    size_t len = strlen(b);
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(sfx[i]);
        if (k < len && strncasecmp(b + len - k, sfx[i], k) == 0)
            return true;
    }
    return false;
}

bool yj_ransom_ext(const struct yj_ransom_rules *r, const char *path)
{
    return ends_in(path, r->exts, r->nexts);
}

bool yj_ransom_packed(const struct yj_ransom_rules *r, const char *path)
{
    return ends_in(path, r->packed, r->npacked);
}

bool yj_ransom_ignored(const struct yj_ransom_rules *r, const char *path)
{
    for (size_t i = 0; i < r->nignore; i++) {
        size_t k = strlen(r->ignore[i]);
        for (const char *p = strstr(path, r->ignore[i]); p; p = strstr(p + 1, r->ignore[i]))
            if (p > path && p[-1] == '/' && p[k] == '/')
                return true;
    }
    return false;
}

bool yj_ransom_note(const struct yj_ransom_rules *r, const char *path)
{
    const char *b = base_name(path);
    for (size_t i = 0; i < r->nnotes; i++)
        if (fnmatch(r->notes[i], b, FNM_CASEFOLD) == 0)
            return true;
    return false;
}

double yj_entropy(const unsigned char *p, size_t n)
{
    if (n == 0)
        return 0;
    unsigned cnt[256] = {0};
    for (size_t i = 0; i < n; i++)
        cnt[p[i]]++;
    double h = 0, total = (double)n;
    for (int i = 0; i < 256; i++)
        if (cnt[i]) {
            double q = cnt[i] / total;
            h -= q * log2(q);
        }
    return h;
}

/* ---- Detector ------------------------------------------------------------------------------- */

struct ring_ent {
    int64_t ts;
    uint64_t hash;
    unsigned root;
    int pid, ppid;
};

struct cache_ent {
    uint64_t hash;
    float entropy;
};

struct pid_ent {
    int pid;
    unsigned count;
    bool alerted;
};

struct note_dir {
    uint64_t hash;
    int64_t ts;
};

struct root_state {
    unsigned count;   /* suspicious files in the ring */
    bool active;      /* a burst was raised and has not gone quiet */
    int64_t last;     /* last suspicious or note event */
    struct note_dir notes[NOTE_DIRS];
    uint64_t deletes; /* while active or within the window: for the summary */
    int64_t del_ts;
};

struct yj_ransom {
    struct yj_host_config cfg;
    const struct yj_ransom_rules *rules;
    struct ring_ent ring[RING];
    size_t head, n; /* oldest at head */
    struct cache_ent cache[CACHE];
    struct pid_ent pids[PIDS];
    struct root_state *roots;
    size_t nroots;
    struct yj_ransom_burst burst;
    struct yj_ransom_stats stats;
};

static uint64_t hash_str(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h | 1; /* 0 marks an empty slot */
}

struct yj_ransom *yj_ransom_new(const struct yj_host_config *c, const struct yj_ransom_rules *r,
                                size_t nroots)
{
    struct yj_ransom *d = yj_xcalloc(1, sizeof *d);
    d->cfg = *c;
    d->rules = r;
    d->nroots = nroots ? nroots : 1;
    d->roots = yj_xcalloc(d->nroots, sizeof *d->roots);
    return d;
}

void yj_ransom_free(struct yj_ransom *d)
{
    if (!d)
        return;
    free(d->roots);
    free(d);
}

static struct pid_ent *pid_find(struct yj_ransom *d, int pid, bool add)
{
    struct pid_ent *free_slot = NULL;
    for (size_t i = 0; i < PIDS; i++) {
        if (d->pids[i].pid == pid && d->pids[i].count)
            return &d->pids[i];
        if (!free_slot && d->pids[i].count == 0)
            free_slot = &d->pids[i];
    }
    if (!add)
        return NULL;
    if (!free_slot) {
        d->stats.pids_dropped++;
        return NULL;
    }
    *free_slot = (struct pid_ent){pid, 0, false};
    return free_slot;
}

static void drop_oldest(struct yj_ransom *d)
{
    struct ring_ent *e = &d->ring[d->head];
    if (e->root < d->nroots && d->roots[e->root].count)
        d->roots[e->root].count--;
    if (e->pid > 0) {
        struct pid_ent *p = pid_find(d, e->pid, false);
        if (p)
            p->count--;
    }
    d->head = (d->head + 1) % RING;
    d->n--;
}

static void expire(struct yj_ransom *d, int64_t now)
{
    while (d->n && d->ring[d->head].ts + (int64_t)d->cfg.ransom_window <= now)
        drop_oldest(d);
}

static bool in_ring(const struct yj_ransom *d, uint64_t h)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->ring[(d->head + i) % RING].hash == h)
            return true;
    return false;
}

/* The entropy this file had last time (negative: unknown), and remembers the new one. */
static double cache_swap(struct yj_ransom *d, uint64_t h, double e)
{
    struct cache_ent *c = &d->cache[h % CACHE];
    double prev = c->hash == h ? c->entropy : -1;
    if (e >= 0)
        *c = (struct cache_ent){h, (float)e};
    return prev;
}

static bool suspicious(struct yj_ransom *d, const struct yj_ransom_obs *o, uint64_t h)
{
    if (o->op == YJ_RANSOM_DELETE || yj_ransom_ignored(d->rules, o->path))
        return false;
    if (yj_ransom_ext(d->rules, o->path))
        return true;
    if (o->entropy < 0)
        return false;
    double prev = cache_swap(d, h, o->entropy);
    if (o->entropy < d->cfg.ransom_entropy)
        return false;
    if (!yj_ransom_packed(d->rules, o->path))
        return true;
    /* A packed format that was plainly readable before: rewritten, not saved. */
    return prev >= 0 && prev < d->cfg.ransom_entropy - 1.5;
}

/* Distinct folders with a note within the window. */
static unsigned note_dirs(struct root_state *rs, int64_t now, unsigned window, uint64_t add)
{
    unsigned n = 0;
    bool have = add == 0;
    struct note_dir *oldest = &rs->notes[0];
    for (size_t i = 0; i < NOTE_DIRS; i++) {
        struct note_dir *nd = &rs->notes[i];
        if (nd->hash && nd->ts + (int64_t)window <= now)
            nd->hash = 0;
        if (nd->hash == add && add) {
            nd->ts = now;
            have = true;
        }
        /* The slot to reuse: a free one, else the oldest. */
        if (oldest->hash && (!nd->hash || nd->ts < oldest->ts))
            oldest = nd;
    }
    if (!have)
        *oldest = (struct note_dir){add, now};
    for (size_t i = 0; i < NOTE_DIRS; i++)
        n += rs->notes[i].hash != 0;
    return n;
}

/* The process behind the most suspicious files of root in the ring; when each file was
 * written by its own short-lived process (a script running one tool per file), their
 * common parent. */
static void attribute(const struct yj_ransom *d, unsigned root, struct yj_ransom_burst *b)
{
    struct {
        int pid;
        unsigned n;
    } t[32] = {{0, 0}};
    for (int pass = 0; pass < 2 && !b->pid; pass++) {
        memset(t, 0, sizeof t);
        unsigned total = 0;
        for (size_t i = 0; i < d->n; i++) {
            const struct ring_ent *e = &d->ring[(d->head + i) % RING];
            int pid = pass == 0 ? e->pid : e->ppid;
            if (e->root != root || pid <= 0)
                continue;
            total++;
            for (size_t k = 0; k < 32; k++)
                if (t[k].pid == pid || t[k].pid == 0) {
                    t[k].pid = pid;
                    t[k].n++;
                    break;
                }
        }
        size_t best = 0;
        for (size_t k = 1; k < 32; k++)
            if (t[k].n > t[best].n)
                best = k;
        /* Pass 0: one process wrote at least two of them; pass 1: most share a parent. */
        if (pass == 0 && t[best].n >= 2) {
            b->pid = t[best].pid;
            b->parent = false;
        } else if (pass == 1 && t[best].n * 2 >= total && t[best].n >= 2 && t[best].pid > 1) {
            b->pid = t[best].pid;
            b->parent = true;
        }
    }
}

static const struct yj_ransom_burst *raise_burst(struct yj_ransom *d, const struct yj_ransom_obs *o,
                                           unsigned root, unsigned count, uint64_t note_hash)
{
    struct root_state *rs = &d->roots[root];
    rs->active = true;
    struct yj_ransom_burst *b = &d->burst;
    *b = (struct yj_ransom_burst){.root = root, .files = count, .ts = o->ts,
                                  .deletes = rs->deletes};
    snprintf(b->example, sizeof b->example, "%s", o->path);
    if (note_hash)
        snprintf(b->note, sizeof b->note, "%s", o->path);
    attribute(d, root, b);
    if (!b->pid && o->pid > 0)
        b->pid = o->pid;
    if (b->pid > 0) {
        struct pid_ent *p = pid_find(d, b->pid, false);
        if (p)
            p->alerted = true;
    }
    d->stats.bursts++;
    return b;
}

const struct yj_ransom_burst *yj_ransom_feed(struct yj_ransom *d, const struct yj_ransom_obs *o)
{
    d->stats.observed++;
    unsigned root = o->root < d->nroots ? o->root : 0;
    struct root_state *rs = &d->roots[root];
    expire(d, o->ts);
    if (o->op == YJ_RANSOM_DELETE) {
        if (rs->del_ts + (int64_t)d->cfg.ransom_window <= o->ts && !rs->active)
            rs->deletes = 0;
        rs->deletes++;
        rs->del_ts = o->ts;
        return NULL;
    }
    size_t plen = strlen(o->path);
    uint64_t h = hash_str(o->path, plen);
    uint64_t note = 0;
    if (yj_ransom_note(d->rules, o->path)) {
        const char *slash = strrchr(o->path, '/');
        note = hash_str(o->path, slash ? (size_t)(slash - o->path) : 0);
        rs->last = o->ts;
        d->stats.notes++;
    }
    unsigned ndirs = note_dirs(rs, o->ts, d->cfg.ransom_window, note);
    bool susp = !note && suspicious(d, o, h) && !in_ring(d, h);
    struct pid_ent *p = NULL;
    if (susp) {
        d->stats.suspicious++;
        if (d->n == RING)
            drop_oldest(d);
        d->ring[(d->head + d->n) % RING] = (struct ring_ent){o->ts, h, root, o->pid, o->ppid};
        d->n++;
        rs->count++;
        rs->last = o->ts;
        if (o->pid > 0 && (p = pid_find(d, o->pid, true)) != NULL)
            p->count++;
    }
    if (rs->active)
        return NULL;
    unsigned files = d->cfg.ransom_files;
    bool by_root = rs->count >= files;
    bool by_pid = p && !p->alerted && p->count >= files;
    bool by_notes = ndirs >= d->cfg.ransom_notes || (ndirs >= 1 && rs->count * 4 >= files);
    if (!by_root && !by_pid && !by_notes)
        return NULL;
    return raise_burst(d, o, root, by_pid && p->count > rs->count ? p->count : rs->count, note);
}

void yj_ransom_tick(struct yj_ransom *d, int64_t now)
{
    expire(d, now);
    for (size_t i = 0; i < d->nroots; i++) {
        struct root_state *rs = &d->roots[i];
        if (rs->active && rs->last + (int64_t)d->cfg.ransom_window <= now) {
            rs->active = false;
            rs->deletes = 0;
        }
    }
    for (size_t i = 0; i < PIDS; i++)
        if (d->pids[i].count == 0)
            d->pids[i].alerted = false;
}

bool yj_ransom_active(const struct yj_ransom *d, unsigned root)
{
    return root < d->nroots && d->roots[root].active;
}

struct yj_ransom_stats yj_ransom_stats(const struct yj_ransom *d)
{
    return d->stats;
}
