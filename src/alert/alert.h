/* Stored alerts: every alert a monitor raises (watch, logscan, fim, pcap) kept in the store
 * for the console, with its plain words in every language, the respond playbook to follow,
 * who looked at it (open, acknowledged, closed) and its EVE line for the record.
 *
 * One attack is one row: an open alert with the same signature, source address, account and
 * subject (the file of a file-integrity alert) whose last sighting is within
 * YJ_ALERT_DEDUP_WINDOW of a new one is updated, not repeated.
 * Alerts read from the store are owned by the caller's arena; inputs are borrowed. Nothing
 * here prints. */
#ifndef YJ_ALERT_ALERT_H
#define YJ_ALERT_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/i18n.h"
#include "event/event.h"
#include "store/store.h"

extern const struct yj_schema yj_alert_schema;

#define YJ_ALERT_DEDUP_WINDOW 3600 /* seconds between sightings that are still one attack */
#define YJ_ALERT_NOTE_MAX 2000     /* bytes of a status note */
#define YJ_ALERT_WHO_MAX 128       /* bytes of the name of who changed the status */
#define YJ_ALERT_FIELD_MAX 8192    /* bytes of a text, a subject (a path and more) */
#define YJ_ALERT_EVE_MAX 65536     /* bytes of the EVE line */
#define YJ_ALERT_LIST_MAX 500      /* most alerts one list call returns */

enum yj_alert_status { YJ_ALERT_OPEN, YJ_ALERT_ACKNOWLEDGED, YJ_ALERT_CLOSED, YJ_ALERT__NSTATUS };

/* "open", "acknowledged", "closed". */
const char *yj_alert_status_code(enum yj_alert_status s);
/* The code back to the status; -1 when unknown. */
int yj_alert_status_parse(const char *s);

/* One sighting of an alert, as recorded (strings borrowed, NULL or "" when none). */
struct yj_alert_in {
    int64_t ts;               /* Unix seconds, UTC: this sighting */
    int64_t first_ts;         /* when the attack began, if known before ts; else 0 */
    unsigned signature_id;
    const char *code;         /* "YJ-HOST-2001" */
    const char *category;     /* DESIGN's alert.category vocabulary */
    int severity;             /* 1 critical, 2 high, 3 medium */
    const char *src_ip, *dest_ip, *user;
    const char *subject;      /* what the alert is about besides them: a file's path */
    uint64_t count;           /* attempts behind the alert so far */
    struct yj_text name, summary, advice;
    const char *playbook;     /* respond playbook type: "unauthorized-access" */
    const char *origin;       /* "watch", "logscan", "fim", "pcap" */
    const char *eve;          /* the event's EVE JSON line, without the newline */
    const struct yj_event *ev; /* rendered as the EVE line when eve is NULL, or NULL */
};

/* Fills in from an ALERT event (strings borrowed from ev): the texts of every language
 * from ev->u.alert.text, or the event's own name/summary/advice for both when it is NULL;
 * the subject is the path of the event's fim object, except for category "file-change",
 * whose one alert per check gathers every changed file. in->ev is ev (its EVE line is
 * rendered when the alert is put). */
void yj_alert_in_from_event(struct yj_alert_in *in, const struct yj_event *ev,
                            const char *origin);

/* Records one sighting: updates the matching open alert (count = the larger, last_ts, the
 * texts and EVE line of the newer) or inserts a new one. *id is the alert's id, *is_new
 * whether it was inserted. Texts are stored cleaned, never refused: control characters and
 * bytes that are not UTF-8 become U+FFFD, and each field is cut at its limit (code,
 * category, addresses, playbook 64 bytes, origin 32, user 256, others YJ_ALERT_FIELD_MAX;
 * an EVE line over YJ_ALERT_EVE_MAX is left out). A severity outside 1..3: YJ_ERR_INVALID;
 * a database failure: its error with the database's message in d. */
enum yj_err yj_alert_put(struct yj_store *st, const struct yj_alert_in *in, int64_t *id,
                         bool *is_new, struct yj_diag *d) YJ_MUST;
/* yj_alert_in_from_event and yj_alert_put; an event that is not an alert: YJ_ERR_INVALID. */
enum yj_err yj_alert_record(struct yj_store *st, const struct yj_event *ev, const char *origin,
                            int64_t *id, bool *is_new, struct yj_diag *d) YJ_MUST;

/* An alert read from the store (strings in the caller's arena, "" when none). */
struct yj_alert {
    int64_t id, first_ts, last_ts;
    unsigned signature_id;
    const char *code, *category;
    int severity;
    const char *src_ip, *dest_ip, *user, *subject;
    int64_t count;
    struct yj_text name, summary, advice;
    const char *playbook, *origin;
    enum yj_alert_status status;
    const char *changed_by; /* "" when nobody changed the status yet */
    int64_t changed_ts;     /* 0 when nobody changed it */
    const char *note;
    int64_t incident_id;    /* 0 when no incident was started from it */
    const char *eve;
};

/* What yj_alert_list returns: newest sighting first. */
struct yj_alert_filter {
    int status;        /* an enum yj_alert_status, or -1 for all */
    int severity;      /* 1..3 exactly, or 0 for all */
    int64_t since;     /* last seen at or after (Unix seconds), 0 for all */
    size_t limit;      /* 0 or more than YJ_ALERT_LIST_MAX: YJ_ALERT_LIST_MAX */
    size_t offset;
};

/* All statuses, every severity, from the start, YJ_ALERT_LIST_MAX. */
void yj_alert_filter_init(struct yj_alert_filter *f);
/* The alerts that match f (*total: how many match without limit and offset; may be NULL). */
enum yj_err yj_alert_list(struct yj_store *st, const struct yj_alert_filter *f,
                          struct yj_arena *a, struct yj_alert **out, size_t *n,
                          int64_t *total) YJ_MUST;
/* One alert; *found false when there is none with that id. */
enum yj_err yj_alert_get(struct yj_store *st, int64_t id, struct yj_arena *a,
                         struct yj_alert *out, bool *found) YJ_MUST;
/* Acknowledges, closes or reopens an alert, recording who and when; a non-NULL note
 * replaces the alert's note. No such alert: YJ_ERR_NOTFOUND; bad who or note:
 * YJ_ERR_LIMIT or YJ_ERR_INVALID with a message in d. */
enum yj_err yj_alert_set_status(struct yj_store *st, int64_t id, enum yj_alert_status s,
                                const char *who, const char *note, int64_t now,
                                struct yj_diag *d) YJ_MUST;
/* Links an alert to the incident started from it. No such alert: YJ_ERR_NOTFOUND. */
enum yj_err yj_alert_set_incident(struct yj_store *st, int64_t id, int64_t incident_id) YJ_MUST;

/* Open alerts by severity (for the dashboard): by_severity[1..3]; [0] counts any other. */
struct yj_alert_counts {
    int64_t by_severity[4];
    int64_t open;
};
enum yj_err yj_alert_count_open(struct yj_store *st, struct yj_alert_counts *out) YJ_MUST;

/* Deletes closed alerts whose status changed more than days before now. */
enum yj_err yj_alert_prune(struct yj_store *st, int64_t now, unsigned days,
                           int64_t *removed) YJ_MUST;

/* ---- The monitors' heartbeat (status.c) ---------------------------------------------------
 * `yojin watch` writes its row at start, every few seconds and at a clean stop, so the
 * console can say whether monitoring is running. */

#define YJ_MONITOR_STALE 120 /* seconds without a heartbeat: the monitor is not running */

struct yj_monitor_status {
    char name[32];      /* "watch" */
    int64_t started, heartbeat;
    int64_t pid;
    char sources[512];  /* what it watches: one "kind" or "kind:value" a line, kinds log,
                         * journal, dir, files, net (yj_monitor_sources_text words it) */
    int64_t events, alerts;
    bool stopped;       /* it said goodbye (a clean stop) */
};

enum yj_err yj_monitor_beat(struct yj_store *st, const struct yj_monitor_status *m) YJ_MUST;
/* sources in words of lang ("logs: /var/log/auth.log; the systemd journal; ...") into out. */
void yj_monitor_sources_text(const char *sources, enum yj_lang lang, struct yj_buf *out);
/* *found false when the monitor never ran here. */
enum yj_err yj_monitor_get(struct yj_store *st, const char *name, struct yj_monitor_status *m,
                           bool *found) YJ_MUST;

/* One alert as a JSON object (json.c): id, first, last, signature_id, code, category,
 * severity, src_ip, dest_ip, user, subject, count, name/summary/advice {ja, en}, playbook,
 * origin, status, changed_by, changed_at, note, incident_id, eve (the EVE line as text).
 * Absent values are null. */
void yj_alert_json(const struct yj_alert *a, struct yj_json *j);

#endif
