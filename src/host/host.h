/* Endpoint monitoring from logs: syslog framing, parsers for sshd, sudo, su, the account
 * tools, Postfix, Dovecot, Samba, web server access and error logs and firewall (netfilter)
 * logs, the detectors of log-in attacks, account changes, web attacks and port scans, and a streaming file scanner that turns log lines into
 * events (event/event.h). File integrity monitoring: a walker that records what is on disk,
 * a baseline in the store and the comparison of the two. An engine: it fills results and
 * events, never prints.
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
#include "base/arena.h"
#include "event/event.h"
#include "store/store.h"

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

#define YJ_HOST_LINE_MAX_TEXT 8200 /* YJ_HOST_LINE_MAX and room for field terminators */

#define YJ_HOST_USER_MAX 64 /* longer names are cut (and marked with a trailing "~") */
#define YJ_HOST_IP_MAX 46   /* INET6_ADDRSTRLEN */

struct yj_auth {
    const char *service; /* "sshd", "sudo", "su", "postfix", "dovecot", "samba" (static) */
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
/* ---- Account changes (parse_account.c) ---------------------------------------------------- */

enum yj_account_action {
    YJ_ACCT_USER_ADDED,   /* useradd "new user: name=X, ..." */
    YJ_ACCT_GROUP_ADDED,  /* useradd, groupadd "new group: name=X, ..." */
    YJ_ACCT_MEMBER_ADDED, /* usermod/useradd "add 'X' to [shadow ]group 'G'", gpasswd */
    YJ_ACCT_PASSWORD,     /* passwd/chpasswd "pam_unix(...:chauthtok): password changed for X" */
    YJ_ACCT_EXPIRY,       /* chage "changed password expiry for X" */
};

struct yj_account {
    const char *service; /* the program: "useradd", "groupadd", "usermod", ... (static) */
    enum yj_account_action action;
    bool admin;          /* MEMBER_ADDED to sudo, wheel, adm, admin or root */
    char user[YJ_HOST_USER_MAX + 1];  /* the account (the group, for GROUP_ADDED) */
    char group[YJ_HOST_USER_MAX + 1]; /* MEMBER_ADDED: the group; else "" */
};

/* The message of a useradd, groupadd, usermod, gpasswd, passwd, chpasswd or chage line, prog
 * telling which. False: not an account change (or another program). */
bool yj_account_parse(struct yj_str prog, struct yj_str msg, struct yj_account *out);
/* True when prog is one of the programs yj_account_parse reads. */
bool yj_account_prog(struct yj_str prog);
/* "user-added", "group-added", "member-added", "password-changed", "expiry-changed". */
const char *yj_account_action_name(enum yj_account_action a);

/* ---- Web server access and error logs (parse_http.c) -------------------------------------- */

/* One access-log request. The text fields are copies (control bytes replaced by '?') in
 * text; the pointers point into it, "" when the line has none ("-"). */
struct yj_http {
    int64_t ts;
    char ip[YJ_HOST_IP_MAX];
    const char *hostname; /* virtual host before the address ("www.example.jp"), port cut */
    const char *user;     /* the authenticated user */
    const char *method, *url, *protocol;
    const char *referer, *agent;
    unsigned status;      /* 100..999 */
    uint64_t length;      /* body bytes; 0 for "-" */
    char text[YJ_HOST_LINE_MAX_TEXT];
};

/* Apache's and nginx's common and combined formats, optionally with a virtual host in
 * front (Apache's vhost_combined "host[:port] IP ..."):
 *   IP ident user [10/Oct/2000:13:55:36 -0700] "GET /path HTTP/1.1" 200 2326 ["ref" "agent"]
 * False when line is not one. */
bool yj_http_parse(struct yj_str line, struct yj_http *out);
/* True for an Apache ("[Wed Oct 11 14:32:52.123 2000] [module:level] ...") or nginx
 * ("2000/10/11 14:32:52 [error] 123#0: ...") error-log line. */
bool yj_http_error_line(struct yj_str line);

/* What a web server's error-log line tells (parse_weberr.c, which lists the shapes). */
enum yj_weberr_kind {
    YJ_WEBERR_NONE,  /* not an error-log line */
    YJ_WEBERR_OTHER, /* an error-log line about something else (counted only) */
    YJ_WEBERR_AUTH,  /* an HTTP authentication failure: a is filled (service "apache" or
                      * "nginx", one failed attempt) */
    YJ_WEBERR_HTTP,  /* a request refused or failing: h is filled (status 403/404 or
                      * ModSecurity's code; url from the request, else the path) */
};
/* Reads an Apache or nginx error-log line; ts receives its time (local time taken as UTC)
 * unless NONE. */
enum yj_weberr_kind yj_weberr_parse(struct yj_str line, int64_t *ts, struct yj_auth *a,
                                    struct yj_http *h);

/* ---- Firewall logs (parse_netfilter.c) ---------------------------------------------------- */

#define YJ_DROP_PREFIX_MAX 48
#define YJ_DROP_IF_MAX 16 /* IFNAMSIZ */

/* A kernel netfilter log line: iptables' or nftables' LOG target, UFW ("[UFW BLOCK]"),
 * firewalld ("FINAL_REJECT: ", "filter_IN_public_DROP: "). Copies, control bytes as '?'. */
struct yj_drop {
    char prefix[YJ_DROP_PREFIX_MAX + 1]; /* the rule's log prefix, trimmed; may be "" */
    char in[YJ_DROP_IF_MAX + 1], out[YJ_DROP_IF_MAX + 1];
    char src[YJ_HOST_IP_MAX], dst[YJ_HOST_IP_MAX];
    char proto[12];         /* "TCP", "UDP", "ICMP", "IPv6-ICMP", or the number */
    unsigned spt, dpt;      /* 0 when the protocol has no ports */
    unsigned len, ttl;      /* ttl is HOPLIMIT for IPv6 */
    uint8_t tcp_flags;      /* as struct yj_event_drop */
    bool drop;              /* false when the prefix tells the packet passed (ACCEPT, ALLOW,
                             * AUDIT, ...): such lines are logs of allowed traffic */
};

/* The message of a kernel line (with or without its "[  123.456789] " uptime). False: not
 * a netfilter log line (IN=, OUT=, SRC=, DST= and PROTO= are required). */
bool yj_netfilter_parse(struct yj_str msg, struct yj_drop *out);

/* Postfix's SASL failures and Dovecot's log-ins (parse_mail.c), service "postfix" or
 * "dovecot". False: not a log-in line. */
bool yj_mail_parse(struct yj_str prog, struct yj_str msg, struct yj_auth *out);
bool yj_mail_prog(struct yj_str prog);
/* Samba's "Auth: ..." audit lines (parse_samba.c), service "samba". */
bool yj_samba_parse(struct yj_str prog, struct yj_str msg, struct yj_auth *out);
bool yj_samba_prog(struct yj_str prog);

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
#define YJ_HOST_PORTS 64 /* most distinct ports the port-scan threshold can count */

struct yj_host_config {
    unsigned bf_failures, bf_window;       /* brute force: failures from one source */
    unsigned spray_users, spray_window;    /* spraying: distinct users from one source */
    unsigned dist_sources, dist_window;    /* distributed: distinct sources on one user */
    unsigned comp_failures, comp_window;   /* compromise: failures before a success */
    unsigned table_size;                   /* sources and users tracked (each) */
    unsigned acct_window;                  /* account changes: one alert per account within */
    unsigned sudo_learn;                   /* first sudo: users seen within this long after
                                            * the first event are known, later ones are new */
    unsigned web_paths, web_not_found, web_window; /* scanning: probes or 404s per source */
    unsigned web_attack_window;            /* injection, traversal: one alert per source */
    unsigned scan_ports, scan_window;      /* port scan: distinct ports dropped per source */
    unsigned ransom_files, ransom_window;  /* ransomware: suspicious files in one folder or
                                            * by one process within the window (seconds) */
    unsigned ransom_notes;                 /* ransom notes in this many folders */
    double ransom_entropy;                 /* bits per byte of a sample that looks encrypted */
};

void yj_host_config_default(struct yj_host_config *c);
/* Loads and validates a thresholds file (missing keys keep their defaults). */
enum yj_err yj_host_config_load(struct yj_host_config *c, const char *path, struct yj_diag *d)
    YJ_MUST;

/* ---- Detectors (detect_auth.c, detect_web.c) ------------------------------------------------------------ */

struct yj_host_alert {
    enum yj_host_sig sig;
    char ip[YJ_HOST_IP_MAX];          /* "" for an alert about an account */
    char user[YJ_HOST_USER_MAX + 1];  /* the account, or the last one tried */
    char group[YJ_HOST_USER_MAX + 1]; /* the admin group (2006), else "" */
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
/* Feeds one web request, as yj_host_detect_feed (at most 3 alerts). */
size_t yj_host_detect_http(struct yj_host_detect *d, const struct yj_http *h,
                           const struct yj_host_alert **raised, size_t max);
/* Feeds one firewall line at time ts, as yj_host_detect_feed (at most 1 alert); lines that
 * are not drops, and drops without a destination port, count for nothing. */
size_t yj_host_detect_drop(struct yj_host_detect *d, int64_t ts, const struct yj_drop *p,
                           const struct yj_host_alert **raised, size_t max);
/* What a request's URL shows, after percent-decoding it twice and lowercasing: bits of
 * YJ_WEB_PROBE (a path scanners look for; admin paths only when status >= 400), YJ_WEB_SQLI,
 * YJ_WEB_TRAVERSAL. */
enum { YJ_WEB_PROBE = 1, YJ_WEB_SQLI = 2, YJ_WEB_TRAVERSAL = 4 };
unsigned yj_web_classify(const char *url, unsigned status);
/* Feeds one account change at time ts, as yj_host_detect_feed. */
size_t yj_host_detect_account(struct yj_host_detect *d, int64_t ts, const struct yj_account *a,
                              const struct yj_host_alert **raised, size_t max);
const struct yj_host_alert *yj_host_detect_alerts(const struct yj_host_detect *d, size_t *n);
struct yj_host_detect_stats yj_host_detect_stats(const struct yj_host_detect *d);

/* The alert's summary in lang (with its numbers) into out; name and advice are catalog
 * texts: yj_host_alert_name/_advice. */
void yj_host_alert_summary(const struct yj_host_alert *a, enum yj_lang lang, char *out,
                           size_t n);
const char *yj_host_alert_name(const struct yj_host_alert *a, enum yj_lang lang);
const char *yj_host_alert_advice(const struct yj_host_alert *a, enum yj_lang lang);
/* The alert's name, summary and advice in every language: the summaries are formatted into
 * sum, the rest are catalog texts. */
void yj_host_alert_text(const struct yj_host_alert *a, char sum[YJ_LANG__COUNT][512],
                        struct yj_event_alert_text *t);
/* The whole event for an alert (strings borrowed from a, summary and the catalogs). */
void yj_host_alert_event(const struct yj_host_alert *a, enum yj_lang lang, const char *summary,
                         struct yj_event *ev);

/* ---- Scanning files (scan.c) -------------------------------------------------------------- */

#define YJ_HOST_LINE_MAX 8192 /* longer lines are counted and skipped */

struct yj_host_file_stats {
    uint64_t lines;   /* lines read */
    uint64_t events;  /* auth and account events */
    uint64_t skipped; /* lines not understood: no syslog frame, binary, too long */
    uint64_t toolong; /* of which longer than YJ_HOST_LINE_MAX */
    uint64_t weberr;  /* web server error-log lines: recognised, no event */
    uint64_t drops;   /* of the events: packets a firewall dropped */
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
    struct yj_http *http;       /* owned: the record of the current access-log line */
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
/* One record already split into its parts (a journal entry: time, program, message), as
 * yj_host_scan_line does after the syslog framing. */
void yj_host_scan_record(struct yj_host_scan *s, const struct yj_syslog *rec, const char *file,
                         uint64_t lineno, struct yj_host_file_stats *st);

/* ---- File integrity: walking (fim_walk.c) ------------------------------------------------- */

/* A yj_fim_scan owns its entries, their strings (an arena) and its read buffer until
 * yj_fim_scan_fini; entries point into it. */

enum yj_fim_type { YJ_FIM_FILE, YJ_FIM_DIR, YJ_FIM_SYMLINK, YJ_FIM_OTHER };

enum yj_fim_status {
    YJ_FIM_OK,
    YJ_FIM_UNREADABLE, /* seen, but its content (file) or its entries (dir) could not be read */
    YJ_FIM_VANISHED,   /* listed in its directory, gone before it could be looked at */
};

#define YJ_FIM_DEPTH 64          /* directories deeper below a root are not entered */
#define YJ_FIM_PATH_MAX 4096     /* longer paths are skipped */
#define YJ_FIM_ENTRIES 20000000u /* per scan; more is YJ_ERR_LIMIT */
#define YJ_FIM_SKIPS 1000        /* skip reasons kept per scan (more are counted) */

struct yj_fim_entry {
    const char *path;   /* absolute */
    const char *target; /* symlink target, else NULL */
    uint64_t size;
    int64_t mtime_ns;
    uint32_t mode; /* permission bits with set-id and sticky (07777) */
    uint32_t uid, gid;
    uint8_t type;   /* enum yj_fim_type */
    uint8_t status; /* enum yj_fim_status */
    bool meta;      /* size..gid are known (false when even stat failed) */
    bool hashed;    /* sha is the content's SHA-256 (regular files read to the end) */
    uint8_t sha[32];
};

enum yj_fim_reason {
    YJ_FIM_SKIP_UNREADABLE, /* permission denied or I/O error */
    YJ_FIM_SKIP_VANISHED,
    YJ_FIM_SKIP_OTHER_FS, /* a directory on another file system: recorded, not entered */
    YJ_FIM_SKIP_TOO_DEEP,
    YJ_FIM_SKIP_TOO_LONG,
};

struct yj_fim_skip {
    const char *path;
    uint8_t reason; /* enum yj_fim_reason */
    int error;      /* errno, 0 when none */
};

struct yj_fim_scan {
    struct yj_arena arena;
    struct yj_fim_entry *v;
    size_t n, cap;
    struct yj_fim_skip *skip;
    size_t nskip;
    uint64_t skips;        /* all skips, also those not kept */
    uint64_t bytes_hashed;
    unsigned char *buf;    /* the read buffer, reused for every file */
};

void yj_fim_scan_init(struct yj_fim_scan *s);
void yj_fim_scan_fini(struct yj_fim_scan *s);
/* Records root (never following a symlink there) and, when it is a directory, everything
 * below it on the same file system, iteratively and at most YJ_FIM_DEPTH deep. A root that
 * does not exist records nothing. What cannot be read or vanishes is recorded with its
 * status and in the skip list; only YJ_ERR_LIMIT (too many entries) stops the walk. */
enum yj_err yj_fim_scan_root(struct yj_fim_scan *s, const char *root, struct yj_diag *d) YJ_MUST;
/* Sorts the entries by path (byte order, as SQLite's BINARY collation). */
void yj_fim_scan_sort(struct yj_fim_scan *s);
const char *yj_fim_type_name(enum yj_fim_type t);
const char *yj_fim_reason_name(enum yj_fim_reason r);

/* ---- File integrity: comparing and alerts (fim_diff.c) ------------------------------------ */

enum yj_fim_field {
    YJ_FIM_F_CONTENT = 1u << 0,
    YJ_FIM_F_SIZE = 1u << 1,
    YJ_FIM_F_MODE = 1u << 2,
    YJ_FIM_F_OWNER = 1u << 3,
    YJ_FIM_F_TYPE = 1u << 4,
    YJ_FIM_F_TARGET = 1u << 5,
    YJ_FIM_F_MTIME = 1u << 6,
};
#define YJ_FIM_NFIELDS 7

enum yj_fim_change_kind {
    YJ_FIM_ADDED,
    YJ_FIM_REMOVED,
    YJ_FIM_MODIFIED,
    YJ_FIM_CH_UNREADABLE,
    YJ_FIM_CH_VANISHED,
};

struct yj_fim_change {
    enum yj_fim_change_kind kind;
    unsigned fields;                 /* enum yj_fim_field bits (modified) */
    const struct yj_fim_entry *old;  /* baseline entry, NULL when added */
    const struct yj_fim_entry *cur;  /* current entry, NULL when removed */
};

/* What differs between two entries of the same path (0: nothing). Content is compared
 * only when both were hashed, metadata only when both have it; a directory's size is
 * not compared (it follows the file system's bookkeeping, not its entries). */
unsigned yj_fim_diff(const struct yj_fim_entry *old, const struct yj_fim_entry *cur);
/* Field names in a fixed order ("content", "size", "mode", "owner", "type", "target",
 * "mtime") into names; returns how many. */
size_t yj_fim_field_names(unsigned fields, const char *names[YJ_FIM_NFIELDS]);
const char *yj_fim_change_name(enum yj_fim_change_kind k);

typedef void (*yj_fim_change_fn)(void *ctx, const struct yj_fim_change *c);
/* Merges two path-sorted lists and calls fn for every change, in path order. Baseline
 * entries missing now below a directory that is unreadable now are not "removed" (they
 * could not be seen); current unreadable and vanished entries are reported as such. */
void yj_fim_compare(const struct yj_fim_entry *base, size_t nbase, const struct yj_fim_entry *cur,
                    size_t ncur, yj_fim_change_fn fn, void *ctx);

/* The signature a change raises (YJ_HOST_SIG__COUNT: none). Paths are matched wherever a
 * system location appears in them ("…/etc/cron.d/x"), so chroots and containers' root file
 * systems are covered as well. */
enum yj_host_sig yj_fim_classify(const struct yj_fim_change *c);

#define YJ_FIM_ALERTS_MAX 10000

struct yj_fim_alert {
    enum yj_host_sig sig;
    const char *path; /* the (first) file concerned */
    enum yj_fim_change_kind change;
    unsigned fields;
    uint64_t count; /* changes that make up the alert (file-change alerts gather them all) */
};

/* Alerts of one check: one per signature and path, except ordinary file changes, which are
 * one alert with a count. Owns copies of the paths. */
struct yj_fim_alerts {
    struct yj_arena arena;
    struct yj_fim_alert *v;
    size_t n, cap;
    uint64_t dropped;
};

void yj_fim_alerts_init(struct yj_fim_alerts *a);
void yj_fim_alerts_fini(struct yj_fim_alerts *a);
/* Adds c when it raises a signature; returns the alert it created or added to, or NULL. The
 * pointer is valid until the next call. */
const struct yj_fim_alert *yj_fim_alerts_add(struct yj_fim_alerts *a,
                                             const struct yj_fim_change *c);
void yj_fim_alert_summary(const struct yj_fim_alert *a, enum yj_lang lang, char *out, size_t n);
/* The whole event of an alert (strings borrowed from a, summary, fim and the catalogs). */
void yj_fim_alert_event(const struct yj_fim_alert *a, enum yj_lang lang, const char *summary,
                        const struct yj_event_fim *fim, int64_t ts, struct yj_event *ev);
/* The "fim" event of a change; names receives the field names that ev points to. */
void yj_fim_change_event(const struct yj_fim_change *c, int64_t ts,
                         const char *names[YJ_FIM_NFIELDS], struct yj_event *ev);

/* ---- File integrity: the baseline in the store (fim_store.c) ------------------------------ */

extern const struct yj_schema yj_host_schema;

/* Root paths of a default baseline on a Linux server (globs expanded, nested and duplicate
 * roots dropped), allocated in a. */
size_t yj_fim_default_roots(struct yj_arena *a, const char ***out);
/* Makes roots absolute ("." and relative paths against the working directory), drops
 * trailing slashes, duplicates, roots inside another root and roots that are the same
 * directory as another (merged /usr); in place, returns the new count. */
size_t yj_fim_normalize_roots(struct yj_arena *a, const char **roots, size_t n);
/* Replaces, in one transaction, the baseline of each root (and of baseline roots below it)
 * with the scan of it: scans[i] belongs to roots[i]. Vanished entries are not stored. */
enum yj_err yj_fim_baseline_save(struct yj_store *st, const char *const *roots,
                                 const struct yj_fim_scan *scans, size_t n, struct yj_diag *d)
    YJ_MUST;
/* The baseline's roots (path order) into a. */
enum yj_err yj_fim_baseline_roots(struct yj_store *st, struct yj_arena *a, const char ***out,
                                  size_t *n) YJ_MUST;
/* The baseline entries of root, sorted by path, into s (which must be empty). */
enum yj_err yj_fim_baseline_load(struct yj_store *st, const char *root, struct yj_fim_scan *s)
    YJ_MUST;

/* ---- Ransomware behaviour (ransom.c) ---------------------------------------------------- */

/* Names from data/host/ransomware.yaml, lower-cased, owned by the arena. */
struct yj_ransom_rules {
    struct yj_arena arena;
    const char **exts;   /* ".locky": names ending so were renamed by ransomware */
    size_t nexts;
    const char **notes;  /* fnmatch patterns of ransom-note file names */
    size_t nnotes;
    const char **packed; /* extensions whose content is high-entropy by nature (.zip, .jpg) */
    size_t npacked;
    const char **ignore; /* folder names whose files are compressed by design (.git) */
    size_t nignore;
};

void yj_ransom_rules_init(struct yj_ransom_rules *r);
void yj_ransom_rules_fini(struct yj_ransom_rules *r);
enum yj_err yj_ransom_rules_load(struct yj_ransom_rules *r, const char *path, struct yj_diag *d)
    YJ_MUST;
/* Case-insensitive matches of path's file name against the lists. */
bool yj_ransom_ext(const struct yj_ransom_rules *r, const char *path);
bool yj_ransom_packed(const struct yj_ransom_rules *r, const char *path);
bool yj_ransom_note(const struct yj_ransom_rules *r, const char *path);
/* True when a folder of path (not the file) is named in ignore_dirs. */
bool yj_ransom_ignored(const struct yj_ransom_rules *r, const char *path);
/* Shannon entropy of p in bits per byte (0..8). */
double yj_entropy(const unsigned char *p, size_t n);

#define YJ_RANSOM_SAMPLE 4096    /* bytes read from the start of a written file */
#define YJ_RANSOM_SAMPLE_MIN 512 /* shorter samples say nothing about encryption */

enum yj_ransom_op {
    YJ_RANSOM_WRITE,  /* written and closed */
    YJ_RANSOM_CREATE, /* appeared (created, moved in) */
    YJ_RANSOM_RENAME, /* renamed within the watched folders: path is the new name */
    YJ_RANSOM_DELETE,
};

struct yj_ransom_obs {
    int64_t ts;
    unsigned root;        /* index of the watched folder */
    const char *path;
    enum yj_ransom_op op;
    int pid, ppid;        /* the writing process and its parent; 0 when unknown */
    double entropy;       /* of the sample; negative when unknown or too short */
};

/* A raised burst: one critical alert. */
struct yj_ransom_burst {
    unsigned root;
    int pid;           /* 0: unknown */
    bool parent;       /* pid is the parent of the short-lived processes that wrote */
    uint64_t files;    /* suspicious files in the window when raised */
    uint64_t deletes;  /* files deleted in the folder meanwhile */
    int64_t ts;
    char example[512]; /* the file that tipped it */
    char note[512];    /* the ransom note, when one tipped it; else "" */
};

struct yj_ransom_stats {
    uint64_t observed, suspicious, notes, bursts, pids_dropped;
};

/* Owns its tables; borrows rules, which must outlive it. nroots: watched folders. */
struct yj_ransom *yj_ransom_new(const struct yj_host_config *c, const struct yj_ransom_rules *r,
                                size_t nroots);
void yj_ransom_free(struct yj_ransom *d);
/* Feeds one observation; returns the burst when this one raised it (valid until the next
 * call), NULL otherwise. A folder raises again only after a quiet window. */
const struct yj_ransom_burst *yj_ransom_feed(struct yj_ransom *d, const struct yj_ransom_obs *o);
/* Ages the windows; call about once a second. */
void yj_ransom_tick(struct yj_ransom *d, int64_t now);
bool yj_ransom_active(const struct yj_ransom *d, unsigned root);
struct yj_ransom_stats yj_ransom_stats(const struct yj_ransom *d);

/* ---- Live monitoring (fsmon.c) ------------------------------------------------------------ */

/* yojin watch's file monitor: inotify watches on every folder below the roots and, when the
 * process may (root, CAP_SYS_ADMIN), a fanotify group that names the process writing each
 * file. Data folders feed the ransomware detector; system paths are live file integrity
 * (fim events, persistence and set-user-ID alerts through yj_fim_classify). A yj_fsmon owns
 * its descriptors, tables, detector and rules until yj_fsmon_close. */
struct yj_fsmon_opts {
    const char *const *data_dirs; /* ransomware watch (recursive) */
    size_t ndata;
    const char *const *system_paths; /* live FIM and persistence (recursive); */
    size_t nsystem;                  /* 0: yj_fsmon_default_paths */
    bool stop_process;       /* SIGSTOP the process behind a ransomware burst, when known */
    bool no_fanotify;        /* inotify only, even when fanotify is permitted */
    const struct yj_host_config *cfg; /* thresholds; NULL: defaults */
    const char *rules_path;  /* NULL: the shipped host/ransomware.yaml */
    enum yj_lang lang;       /* of the events' signature, summary and advice */
};

struct yj_fsmon_stats {
    uint64_t events;       /* inotify and fanotify events read */
    uint64_t watches;      /* folders watched now */
    uint64_t watch_failed; /* folders that could not be watched: the watch limit */
    uint64_t watch_denied; /* folders that could not be watched: no permission */
    uint64_t overflows;    /* times the kernel dropped events */
    uint64_t fim, alerts, stopped;
    bool fanotify;         /* processes are named */
};

struct yj_fsmon;

enum yj_err yj_fsmon_open(struct yj_fsmon **m, const struct yj_fsmon_opts *o, struct yj_diag *d)
    YJ_MUST;
/* The descriptors to poll for reading: i = 0, 1, ...; -1 past the last. */
int yj_fsmon_fd(const struct yj_fsmon *m, size_t i);
/* Drains every ready event and emits fim events and alerts. */
void yj_fsmon_read(struct yj_fsmon *m, int64_t now, yj_host_emit_fn emit, void *ctx);
/* About once a second: ages the detector's windows, reports lost events. */
void yj_fsmon_tick(struct yj_fsmon *m, int64_t now, yj_host_emit_fn emit, void *ctx);
struct yj_fsmon_stats yj_fsmon_stats(const struct yj_fsmon *m);
void yj_fsmon_close(struct yj_fsmon *m);

#endif
