/* Endpoint monitoring from logs: syslog framing, parsers for sshd, sudo and su, the
 * detectors of log-in attacks, and a streaming file scanner that turns log lines into
 * events (event/event.h). An engine: it fills results and events, never prints.
 *
 * Parsed records hold copies in fixed arrays (no allocation per line); views in struct
 * yj_syslog point into the caller's line. A detector (yj_host_detect_new) owns its tables
 * and alerts until yj_host_detect_free; a scanner owns its line buffer until _fini. */
#ifndef YJ_HOST_HOST_H
#define YJ_HOST_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/i18n.h"
#include "base/str.h"
#include "event/event.h"

/* ---- Syslog framing (syslog.c) ---------------------------------------------------------- */

/* Where a year comes from for traditional timestamps ("Nov  2 15:40:14"), which have none:
 * year when non-zero, else the year of ref (the file's mtime), minus one when the result
 * would lie more than a day after ref (December lines read in January). Times without a
 * zone are taken as UTC. */
struct yj_host_clock {
    int year;
    int64_t ref;
};

struct yj_syslog {
    int64_t ts;         /* Unix seconds, UTC */
    struct yj_str host; /* may be empty */
    struct yj_str prog; /* "sshd", "sudo", ...; may be empty (RFC 5424 "-") */
    struct yj_str msg;
};

/* Parses "Mmm dd hh:mm:ss host prog[pid]: msg", "2023-11-14T00:20:42.7+01:00 host
 * prog[pid]: msg" (rsyslog's high-precision form) and RFC 5424 "<pri>1 TIMESTAMP HOST APP
 * PROCID MSGID SD MSG". False when line is none of them. */
bool yj_syslog_parse(struct yj_str line, const struct yj_host_clock *clk,
                     struct yj_syslog *out);
/* RFC 3339 "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm)" filling all of s; false otherwise. */
bool yj_host_parse_rfc3339(struct yj_str s, int64_t *out);

/* ---- Log-in attempts (parse_sshd.c, parse_sudo.c) ----------------------------------------- */

#define YJ_HOST_USER_MAX 64 /* longer names are cut (and marked with a trailing "~") */
#define YJ_HOST_IP_MAX 46   /* INET6_ADDRSTRLEN */

struct yj_auth {
    const char *service; /* "sshd", "sudo", "su" (static) */
    const char *method;  /* static text or NULL */
    bool success;
    /* A line that stands for one attempt (counted by detectors). Follow-up lines of the same
     * attempt — PAM's "authentication failure", a disconnect before authentication — are
     * events too but are not counted again. */
    bool attempt;
    char user[YJ_HOST_USER_MAX + 1];
    char ip[YJ_HOST_IP_MAX]; /* "" when the line has no remote address */
    unsigned port;           /* 0 when unknown */
};

/* The message part of an sshd (or sshd-session) line. False: not a log-in line. */
bool yj_sshd_parse(struct yj_str msg, struct yj_auth *out);
/* The message of a sudo or su line, prog telling which. False: not a log-in line. */
bool yj_sudo_parse(struct yj_str prog, struct yj_str msg, struct yj_auth *out);
/* Copies an address if it is a valid IPv4 or IPv6 literal; false otherwise. */
bool yj_host_ip(struct yj_str s, char out[YJ_HOST_IP_MAX]);

/* ---- Signatures (signatures.def) and thresholds (data/host/detect.yaml) ------------------- */

enum yj_host_sig {
#define YJ_HOST_SIG(name, id, code, category, severity, playbook, n, s, a) YJ_HOST_SIG_##name,
#include "signatures.def"
#undef YJ_HOST_SIG
    YJ_HOST_SIG__COUNT
};

struct yj_host_sig_info {
    unsigned id;          /* stable signature_id */
    const char *code;     /* "YJ-HOST-2001" */
    const char *category; /* DESIGN's alert.category vocabulary */
    int severity;         /* 1 critical .. 3 */
    const char *playbook; /* respond playbook type */
    const char *name_id, *summary_id, *advice_id; /* catalog ids */
};

const struct yj_host_sig_info *yj_host_sig_info(enum yj_host_sig s);

#define YJ_HOST_RING 16 /* most failures a threshold can count */
#define YJ_HOST_SET 8   /* most distinct users/sources a threshold can count */

struct yj_host_config {
    unsigned bf_failures, bf_window;       /* brute force: failures from one source */
    unsigned spray_users, spray_window;    /* spraying: distinct users from one source */
    unsigned dist_sources, dist_window;    /* distributed: distinct sources on one user */
    unsigned comp_failures, comp_window;   /* compromise: failures before a success */
    unsigned table_size;                   /* sources and users tracked (each) */
};

void yj_host_config_default(struct yj_host_config *c);
/* Loads and validates a thresholds file (missing keys keep their defaults). */
enum yj_err yj_host_config_load(struct yj_host_config *c, const char *path, struct yj_diag *d)
    YJ_MUST;

/* ---- Detectors (detect_auth.c) ------------------------------------------------------------ */

struct yj_host_alert {
    enum yj_host_sig sig;
    char ip[YJ_HOST_IP_MAX];          /* "" for an alert about an account */
    char user[YJ_HOST_USER_MAX + 1];  /* the account, or the last one tried */
    uint64_t count;                   /* attempts that make up the alert so far */
    int64_t first, last;
};

struct yj_host_detect_stats {
    uint64_t sources_dropped, users_dropped, alerts_dropped;
};

struct yj_host_detect;

struct yj_host_detect *yj_host_detect_new(const struct yj_host_config *c);
void yj_host_detect_free(struct yj_host_detect *d);
/* Feeds one attempt at time ts. Puts the alerts it newly raised (at most max; there are
 * never more than YJ_HOST_SIG__COUNT) into raised and returns how many; attempts that only
 * add to an alert already raised return 0. Pointers are valid until the next call. */
size_t yj_host_detect_feed(struct yj_host_detect *d, int64_t ts, const struct yj_auth *a,
                           const struct yj_host_alert **raised, size_t max);
const struct yj_host_alert *yj_host_detect_alerts(const struct yj_host_detect *d, size_t *n);
struct yj_host_detect_stats yj_host_detect_stats(const struct yj_host_detect *d);

/* The alert's summary in lang (with its numbers) into out; name and advice are catalog
 * texts: yj_host_alert_name/_advice. */
void yj_host_alert_summary(const struct yj_host_alert *a, enum yj_lang lang, char *out,
                           size_t n);
const char *yj_host_alert_name(const struct yj_host_alert *a, enum yj_lang lang);
const char *yj_host_alert_advice(const struct yj_host_alert *a, enum yj_lang lang);
/* The whole event for an alert (strings borrowed from a, summary and the catalogs). */
void yj_host_alert_event(const struct yj_host_alert *a, enum yj_lang lang, const char *summary,
                         struct yj_event *ev);

/* ---- Scanning files (scan.c) -------------------------------------------------------------- */

#define YJ_HOST_LINE_MAX 8192 /* longer lines are counted and skipped */

struct yj_host_file_stats {
    uint64_t lines;   /* lines read */
    uint64_t events;  /* auth events */
    uint64_t skipped; /* lines not understood: no syslog frame, binary, too long */
    uint64_t toolong; /* of which longer than YJ_HOST_LINE_MAX */
    uint64_t alerts;  /* alerts raised while reading this file */
};

/* Receives every event as it is made. */
typedef void (*yj_host_emit_fn)(void *ctx, const struct yj_event *ev);

struct yj_host_scan {
    struct yj_host_detect *det; /* borrowed */
    enum yj_lang lang;
    int year;                   /* 0: infer from each file's mtime */
    yj_host_emit_fn emit;       /* may be NULL */
    void *ctx;
    char *buf;                  /* owned: the fixed read buffer */
};

void yj_host_scan_init(struct yj_host_scan *s, struct yj_host_detect *det, enum yj_lang lang);
void yj_host_scan_fini(struct yj_host_scan *s);
/* Reads path (plain, rotated or gzip-compressed) line by line. Counts go to st also when
 * the read fails half-way. */
enum yj_err yj_host_scan_file(struct yj_host_scan *s, const char *path,
                              struct yj_host_file_stats *st, struct yj_diag *d) YJ_MUST;
/* One line (without its newline), as read from file at lineno. */
void yj_host_scan_line(struct yj_host_scan *s, const struct yj_host_clock *clk,
                       struct yj_str line, const char *file, uint64_t lineno,
                       struct yj_host_file_stats *st);

#endif
