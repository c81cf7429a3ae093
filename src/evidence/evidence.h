/* Evidence: `yojin collect` snapshots this machine without changing it into one .tar.gz
 * with a SHA-256 manifest, and checks such an archive against its manifest.
 *
 * The engine never prints. yj_evidence_collect fills a yj_evidence_result and
 * yj_evidence_verify a yj_evidence_check; the caller owns both and frees them with their
 * _fini (every string in them lives in their arena). yj_manifest_parse fills a yj_manifest
 * the caller frees with yj_manifest_fini.
 *
 * Archive layout (every entry a regular file under one top folder):
 *
 *   yojin-evidence-<host>-<YYYYMMDDTHHMMSSZ>/
 *     system/…  users/…  processes/…  network/…  scheduled/…  files/…  logs/…
 *     collect.json        what was collected, what was not and why, who ran it, when
 *     manifest.sha256     last: "<64 hex>  <path>\n" for every other entry, paths relative
 *                         to the top folder (so `sha256sum -c` works inside it)
 */
#ifndef YJ_EVIDENCE_EVIDENCE_H
#define YJ_EVIDENCE_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/hash.h"

enum yj_ev_area {
#define YJ_EV_AREA(name, code, id) YJ_EV_AREA_##name,
#include "evidence.def"
#undef YJ_EV_AREA
    YJ_EV_AREA__COUNT
};

enum yj_ev_why {
#define YJ_EV_WHY(name, code, id) YJ_EV_WHY_##name,
#include "evidence.def"
#undef YJ_EV_WHY
    YJ_EV_WHY__COUNT
};

enum yj_ev_problem {
#define YJ_EV_PROBLEM(name, code, id) YJ_EV_PROBLEM_##name,
#include "evidence.def"
#undef YJ_EV_PROBLEM
    YJ_EV_PROBLEM__COUNT
};

/* Stable codes ("processes", "not_root", "mismatch") and catalog ids of their text. */
const char *yj_ev_area_code(enum yj_ev_area a);
const char *yj_ev_area_text_id(enum yj_ev_area a);
const char *yj_ev_why_code(enum yj_ev_why w);
const char *yj_ev_why_text_id(enum yj_ev_why w);
const char *yj_ev_problem_code(enum yj_ev_problem p);
const char *yj_ev_problem_text_id(enum yj_ev_problem p);

/* ---- collecting ------------------------------------------------------------------------ */

#define YJ_EV_DEFAULT_DAYS 7
#define YJ_EV_MAX_DAYS 3650

/* Which parts to collect: a bit per area (1u << YJ_EV_AREA_x); 0 means all. */
#define YJ_EV_ALL 0u

struct yj_evidence_opts {
    const char *output;         /* the archive to write; it must not exist yet */
    const char *output_dir;     /* without output: <output_dir>/<top folder>.tar.gz */
    int days;                   /* recently modified files: the last `days` days (0: 7) */
    unsigned areas;             /* YJ_EV_ALL or a mask of areas */
    const char *const *roots;   /* recent-files roots, NULL-terminated (NULL: the defaults) */
    bool no_programs;           /* do not run systemctl or journalctl (tests) */
};

struct yj_evidence_item {
    const char *path;          /* inside the top folder, e.g. "processes/processes.tsv" */
    enum yj_ev_area area;
    const char *source;        /* what it was read from: a path, "/proc", a command line */
    uint64_t size;             /* bytes in the archive */
    char sha256[YJ_SHA256_HEX];
    bool truncated;            /* only part of the source was kept (see offset) */
    uint64_t offset;           /* where the copy starts in the source (tails of logs) */
};

struct yj_evidence_skip {
    enum yj_ev_area area;
    const char *subject;       /* a path or a program, or NULL for a whole kind of thing */
    enum yj_ev_why why;
    const char *detail;        /* the system's reason, an exit status…, or NULL */
    size_t count;              /* how many things this line stands for (>= 1) */
};

struct yj_evidence_counts {
    size_t users_logged_in, login_records, failed_login_records;
    size_t processes, exe_hashed, exe_deleted;
    size_t sockets, listening, established;
    size_t scheduled_files, timers;
    size_t recent_files, files_visited;
    size_t logs;
};

struct yj_evidence_result {
    char *path;                      /* the archive written */
    char *top;                       /* its top folder */
    char sha256[YJ_SHA256_HEX];      /* of the whole archive file */
    uint64_t size;                   /* of the whole archive file */
    char *host, *os, *clocksource;   /* os and clocksource may be NULL */
    int64_t started, finished;       /* Unix seconds (real clock, not YOJIN_NOW) */
    unsigned uid, euid;
    char *user;                      /* the name of uid, or NULL */
    char *sudo_user;                 /* $SUDO_USER, or NULL */
    bool root;
    int days;
    struct yj_evidence_item *items;
    size_t n_items, cap_items;
    struct yj_evidence_skip *skips;
    size_t n_skips, cap_skips, skips_dropped;
    struct yj_evidence_counts counts;
    struct yj_arena arena;
};

void yj_evidence_result_init(struct yj_evidence_result *r);
void yj_evidence_result_fini(struct yj_evidence_result *r);

/* Collects into opts->output (through a temporary file beside it, renamed at the end, mode
 * 0600). What cannot be read is a skip in the result, never an error: errors are only for
 * the archive itself (exists already, cannot be written) and bad options. */
enum yj_err yj_evidence_collect(const struct yj_evidence_opts *opts, struct yj_evidence_result *r,
                                struct yj_diag *d) YJ_MUST;

/* The result as JSON (the content of collect.json); with_archive adds the archive's path,
 * size and SHA-256, which collect.json cannot hold. */
void yj_evidence_result_json(const struct yj_evidence_result *r, struct yj_json *j,
                             bool with_archive);

/* ---- verifying ------------------------------------------------------------------------- */

#define YJ_EV_VERIFY_MAX_ENTRIES 100000
#define YJ_EV_VERIFY_MAX_BYTES ((uint64_t)16 << 30) /* uncompressed, all entries together */
#define YJ_EV_VERIFY_MAX_PROBLEMS 1000

struct yj_evidence_problem {
    enum yj_ev_problem kind;
    const char *name;          /* the entry (relative to the top folder when inside it) */
    unsigned line;             /* MANIFEST: the line of manifest.sha256, else 0 */
    const char *msg;           /* MANIFEST: what is wrong with the line, else NULL */
};

struct yj_evidence_check {
    bool ok;                   /* read completely, nothing wrong */
    char *top;                 /* the top folder, or NULL */
    char sha256[YJ_SHA256_HEX];/* of the whole archive file */
    size_t entries;            /* files in the archive, manifest included */
    size_t listed;             /* lines in the manifest */
    struct yj_evidence_problem *v;
    size_t n, cap, dropped;
    struct yj_arena arena;
};

void yj_evidence_check_init(struct yj_evidence_check *c);
void yj_evidence_check_fini(struct yj_evidence_check *c);

/* Reads the archive at path, hashes every entry and compares with its manifest. Returns
 * YJ_ERR_OK when the archive could be read to its end, whatever it holds (c->ok says whether
 * it matches); YJ_ERR_PARSE when the file is not a (complete) tar or tar.gz archive,
 * YJ_ERR_IO when it cannot be read, YJ_ERR_LIMIT past the caps above; each with a message. */
enum yj_err yj_evidence_verify(const char *path, struct yj_evidence_check *c,
                               struct yj_diag *d) YJ_MUST;

void yj_evidence_check_json(const struct yj_evidence_check *c, struct yj_json *j);

/* ---- the manifest (outside input: strict, with line numbers and caps) ----------------- */

#define YJ_MANIFEST_MAX_BYTES ((size_t)16 << 20)
#define YJ_MANIFEST_MAX_LINES 100000
#define YJ_MANIFEST_MAX_PATH 4096

struct yj_manifest_entry {
    const char *path;          /* NUL-terminated, checked by yj_ev_name_ok */
    uint8_t sha256[YJ_SHA256_LEN];
    unsigned line;
};

struct yj_manifest {
    struct yj_manifest_entry *v; /* sorted by path after a successful parse */
    size_t n;
    struct yj_arena arena;
};

/* Parses sha256sum text: each line "<64 hex>  <path>" (or " *" binary-mode marker) ending in
 * "\n". Paths must pass yj_ev_name_ok and appear once. Every bad line is reported with its
 * number (name is the file name for messages); any bad line makes it YJ_ERR_PARSE, the caps
 * YJ_ERR_LIMIT. m is valid to _fini whatever the result. */
enum yj_err yj_manifest_parse(struct yj_manifest *m, const char *name, const char *p, size_t n,
                              struct yj_diag *d) YJ_MUST;
void yj_manifest_fini(struct yj_manifest *m);
/* The entry for path, or NULL (binary search; only after a successful parse). */
const struct yj_manifest_entry *yj_manifest_find(const struct yj_manifest *m, const char *path,
                                                 size_t n);

/* A safe relative name: non-empty, at most YJ_MANIFEST_MAX_PATH bytes, no leading "/", no
 * empty, "." or ".." component, no backslash, no control byte, valid UTF-8. */
bool yj_ev_name_ok(const char *p, size_t n);

#endif
