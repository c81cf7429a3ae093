/* Inside the evidence engine: the archive writer, the collection context the collectors
 * share, the caps, and the parsers of /proc text that the unit tests reach directly.
 * Nothing outside src/evidence (and its tests) includes this. */
#ifndef YJ_EVIDENCE_EVIDENCE_INT_H
#define YJ_EVIDENCE_EVIDENCE_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "base/buf.h"
#include "base/hash.h"
#include "base/str.h"
#include "evidence.h"

/* The archive's description of itself (split so that it does not read as a catalog id). */
#define YJ_EV_COLLECT_JSON "collect" ".json"

/* ---- caps ------------------------------------------------------------------------------ */

#define YJ_EV_LOG_TAIL ((size_t)5 << 20)       /* last bytes kept of each log */
#define YJ_EV_COPY_MAX ((size_t)1 << 20)       /* a copied configuration or cron file */
#define YJ_EV_COPY_FILES 500                   /* copied files per area */
#define YJ_EV_TABLE_MAX ((size_t)32 << 20)     /* a generated listing (.tsv, .txt) */
#define YJ_EV_MAX_PROCS 10000
#define YJ_EV_CMDLINE_MAX 4096
#define YJ_EV_EXE_MAX ((uint64_t)512 << 20)    /* executables larger are not hashed */
#define YJ_EV_MAX_SOCKETS 20000                /* per /proc/net file */
#define YJ_EV_MAX_SOCK_FDS 200000              /* socket inodes mapped to processes */
#define YJ_EV_MAX_FDS_PER_PROC 65536
#define YJ_EV_FILES_MAX 20000                  /* recent files listed */
#define YJ_EV_FILES_VISIT 60000                /* directory entries looked at per root */
#define YJ_EV_FILES_DEPTH 8
#define YJ_EV_HASH_FILE_MAX ((uint64_t)16 << 20)
#define YJ_EV_HASH_BUDGET ((uint64_t)256 << 20) /* bytes hashed for recent files in all */
#define YJ_EV_LOGINS 500                       /* last records of wtmp and btmp */
#define YJ_EV_SKIPS_MAX 1000
#define YJ_EV_JOURNAL_LINES "2000"
#define YJ_EV_JOURNAL_MAX ((size_t)8 << 20)
#define YJ_EV_PROGRAM_TIMEOUT_MS 15000u

/* ---- the archive writer (archive.c) ---------------------------------------------------- */

struct archive;

struct yj_ev_writer {
    struct archive *a;
    int fd;
    char *tmp, *final;
    char *top;
    int64_t mtime;
    struct yj_sha256 whole;    /* of the bytes written to the file */
    uint64_t written;
    int io_errno;              /* the write callback's failure */
    dev_t dev;                 /* the temporary file, so scans can skip it */
    ino_t ino;
    struct yj_buf manifest;
};

/* Creates a temporary file beside path and starts a tar.gz in it. */
enum yj_err yj_ev_writer_open(struct yj_ev_writer *w, const char *path, const char *top,
                              int64_t mtime, struct yj_diag *d) YJ_MUST;
/* Adds top/name with n bytes from p, hashes them into the manifest and into hex. */
enum yj_err yj_ev_writer_add(struct yj_ev_writer *w, const char *name, const void *p, size_t n,
                             char hex[YJ_SHA256_HEX], struct yj_diag *d) YJ_MUST;
/* Writes the manifest last, closes, fsyncs, renames to the target without replacing
 * anything; hex and size describe the whole file. The writer is finished either way. */
enum yj_err yj_ev_writer_finish(struct yj_ev_writer *w, char hex[YJ_SHA256_HEX], uint64_t *size,
                                struct yj_diag *d) YJ_MUST;
/* Drops everything, the temporary file included. Safe after open, even after finish. */
void yj_ev_writer_abort(struct yj_ev_writer *w);

/* ---- the collection context (collect.c) ------------------------------------------------ */

struct yj_ev {
    const struct yj_evidence_opts *o;
    struct yj_evidence_result *r;
    struct yj_ev_writer w;
    struct yj_diag *d;
    enum yj_err err;           /* sticky: the archive could not be written */
    bool root;
    int64_t now;               /* real time at the start, seconds */
    double boot;               /* real time of boot, seconds (0 when unknown) */
};

/* Adds content as path (inside the top folder) to the archive and the result. A buffer
 * that hit its cap is added with what it holds and marked truncated. */
void yj_ev_add(struct yj_ev *c, enum yj_ev_area area, const char *path, const char *source,
               struct yj_buf *content, bool truncated, uint64_t offset);
/* Records something not collected. Repeated calls with the same area, subject, why and
 * detail (or none) are merged into one line whose count grows. */
void yj_ev_skip(struct yj_ev *c, enum yj_ev_area area, const char *subject, enum yj_ev_why why,
                const char *detail);
/* The reason for an errno from reading something: permission problems are NOT_ROOT for a
 * normal user and DENIED for root; ENOENT is MISSING; the rest ERROR. */
enum yj_ev_why yj_ev_why_errno(const struct yj_ev *c, int e);
/* A copy of s in the result's arena. */
const char *yj_ev_strdup(struct yj_ev *c, const char *s);

/* Opens path read-only, with O_NOATIME when the kernel allows it; -1 with errno set. */
int yj_ev_open(const char *path, int extra_flags);
/* Reads path into out: the first max bytes, or with tail the last max bytes starting at a
 * line start (align > 1: at a multiple of align instead). Returns 0, or an errno. *offset
 * gets where the kept bytes begin, *truncated whether anything was left out. */
int yj_ev_read(const char *path, size_t max, bool tail, size_t align, struct yj_buf *out,
               uint64_t *offset, bool *truncated);
/* Reads a file and adds it; a missing file is skipped silently when optional, else
 * recorded. Returns true when added. */
bool yj_ev_copy(struct yj_ev *c, enum yj_ev_area area, const char *src, const char *dest,
                size_t max, bool tail, bool optional);
/* Appends a field for a tab-separated table: tab, newline, backslash, control bytes and
 * bytes that are not UTF-8 become \t, \n, \\, \xNN. */
void yj_ev_tsv(struct yj_buf *b, const char *p, size_t n);
static inline void yj_ev_tsv_s(struct yj_buf *b, const char *s)
{
    yj_ev_tsv(b, s, strlen(s));
}
/* "2026-11-26T04:16:49Z" for a Unix time, "-" for 0. */
void yj_ev_time_utc(struct yj_buf *b, int64_t t);
/* An archive path for a source path: "<prefix><src>" with every byte that could not stand
 * in a manifest line (or fails yj_ev_name_ok) replaced by '_'. Caller frees. */
char *yj_ev_dest_path(const char *prefix, const char *src);

/* The collectors, one per area; each records what it could not do and never fails. */
void yj_ev_collect_system(struct yj_ev *c);
void yj_ev_collect_users(struct yj_ev *c);
void yj_ev_collect_proc(struct yj_ev *c);
void yj_ev_collect_net(struct yj_ev *c);
void yj_ev_collect_sched(struct yj_ev *c);
void yj_ev_collect_files(struct yj_ev *c);
void yj_ev_collect_logs(struct yj_ev *c);

/* Runs a program found in YJ_PROC_PATH (argv[0] is its bare name), collecting its stdout in
 * out (up to out's cap less one byte), and adds that as dest; records why not. True when
 * the output was added (out then holds it). */
bool yj_ev_run(struct yj_ev *c, enum yj_ev_area area, const char *dest, const char *const argv[],
               struct yj_buf *out);

/* ---- parsers of kernel text (unit tested and fuzzable) -------------------------------- */

/* One line of /proc/net/{tcp,udp}{,6} after the header. Addresses as text. */
struct yj_ev_sock {
    char local[46], remote[46];  /* INET6_ADDRSTRLEN */
    unsigned lport, rport;
    unsigned state;              /* the kernel's hex state: 0x0A LISTEN, 0x01 ESTABLISHED */
    unsigned long uid;
    unsigned long long inode;
};
/* false for a line that does not have the expected shape. */
bool yj_ev_parse_sock(struct yj_str line, bool v6, struct yj_ev_sock *out);
/* "ESTABLISHED", "LISTEN", … for TCP; UDP sockets report 07 (unconnected) and 01. */
const char *yj_ev_tcp_state(unsigned st);

/* The fields of /proc/<pid>/stat that the process list shows. */
struct yj_ev_pstat {
    char comm[64];
    char state;
    long ppid;
    unsigned long flags;
    unsigned long long starttime; /* clock ticks after boot */
};
bool yj_ev_parse_pstat(struct yj_str s, struct yj_ev_pstat *out);

#endif
