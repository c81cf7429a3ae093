/* Alert notifications: e-mail through SMTP and a webhook (HTTP POST of JSON), both through
 * libcurl, behind a gate that de-duplicates and rate-limits so one attack is one message.
 *
 * yj_notify_config_load fills a config whose strings point into its own YAML document until
 * yj_notify_config_fini. A gate owns its keys until yj_notify_gate_fini. The gate's state
 * lives in memory and can be loaded from and saved to the store (yj_notify_gate_load/_save),
 * so a restarted `yojin watch` or the next `yojin logscan --notify` does not send the same
 * alert again. An engine: it fills diagnostics, never prints. */
#ifndef YJ_NOTIFY_NOTIFY_H
#define YJ_NOTIFY_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/i18n.h"
#include "base/yaml.h"
#include "store/store.h"

#define YJ_NOTIFY_WINDOW 3600 /* seconds: the rate window and how long a sent alert is a dup */
#define YJ_NOTIFY_TO_MAX 16   /* most mail_to addresses */

struct yj_notify_config {
    const char *smtp_url;    /* smtp:// or smtps://; NULL: no e-mail */
    const char *mail_from;
    const char *mail_to[YJ_NOTIFY_TO_MAX];
    size_t nto;
    const char *webhook_url; /* http:// or https://; NULL: no webhook */
    int min_severity;        /* send alerts of severity 1..min_severity (default 3: all) */
    unsigned max_per_hour;   /* default 10 */
    bool present;            /* the file has a notify: section */
    struct yj_yaml_doc doc;
    bool loaded;
};

/* Reads the notify: section of <data_dir>/yojin.yaml (missing file or section: nothing
 * configured, YJ_ERR_OK). Bad keys or values: YJ_ERR_INVALID with file:line in d. */
enum yj_err yj_notify_config_load(struct yj_notify_config *c, const char *data_dir,
                                  struct yj_diag *d) YJ_MUST;
/* The same from one named file (`yojin watch --config FILE`), which must exist. */
enum yj_err yj_notify_config_load_file(struct yj_notify_config *c, const char *path,
                                       struct yj_diag *d) YJ_MUST;
void yj_notify_config_fini(struct yj_notify_config *c);

/* ---- De-duplication and rate limit (gate.c) ---------------------------------------------- */

struct yj_notify_seen {
    char *key;
    int64_t at;
};

struct yj_notify_gate {
    unsigned max;           /* messages per window */
    int64_t window_start;
    unsigned sent;          /* in the current window */
    uint64_t held;          /* limited alerts not yet mentioned in a message */
    uint64_t announced;     /* limited alerts already mentioned ahead of time */
    struct yj_notify_seen *v;
    size_t n, cap;
};

enum yj_notify_verdict { YJ_NOTIFY_SEND, YJ_NOTIFY_DUP, YJ_NOTIFY_LIMITED };

void yj_notify_gate_init(struct yj_notify_gate *g, unsigned max_per_hour);
void yj_notify_gate_fini(struct yj_notify_gate *g);
/* True when key was sent less than YJ_NOTIFY_WINDOW before now. */
bool yj_notify_gate_seen(const struct yj_notify_gate *g, const char *key, int64_t now);
/* Decides about one alert (key: signature and source or user) at now; pending is how many
 * more new alerts the caller is about to offer right after this one. On SEND the key is
 * recorded and *more is how many alerts the message must say were not sent (held ones, and
 * when this message takes the window's last slot, the pending ones too). */
enum yj_notify_verdict yj_notify_gate_check(struct yj_notify_gate *g, const char *key,
                                            int64_t now, uint64_t pending, uint64_t *more);
/* Records key as sent at time at (what yj_notify_gate_check does on SEND). */
void yj_notify_gate_remember(struct yj_notify_gate *g, const char *key, int64_t at);
/* Forgets that key was sent (a message that reached nobody), so the next offer may send it. */
void yj_notify_gate_forget(struct yj_notify_gate *g, const char *key);

/* ---- The gate's state in the store (gate_store.c) ---------------------------------------- */

extern const struct yj_schema yj_notify_schema;

#define YJ_NOTIFY_KEYS_MAX 1024 /* sent keys kept in the store (the newest) */
#define YJ_NOTIFY_KEY_MAX 512   /* longest key kept */

/* Adds the saved state to g: the keys sent less than YJ_NOTIFY_WINDOW before now and the
 * rate window's counters (g->max stays the configuration's). */
enum yj_err yj_notify_gate_load(struct yj_notify_gate *g, struct yj_store *st,
                                int64_t now) YJ_MUST;
/* Saves g's live keys (merged with those already saved, the newest YJ_NOTIFY_KEYS_MAX kept)
 * and its window, in one transaction. */
enum yj_err yj_notify_gate_save(const struct yj_notify_gate *g, struct yj_store *st,
                                int64_t now) YJ_MUST;

/* ---- Sending (send.c) -------------------------------------------------------------------- */

/* One alert in plain terms; strings borrowed. */
struct yj_notify_msg {
    unsigned signature_id;
    const char *code, *signature, *category;
    int severity;
    const char *src_ip, *user; /* NULL or "" when none */
    uint64_t count;
    int64_t first, last;
    const char *summary, *advice, *playbook;
};

struct yj_notify_result {
    unsigned mails, webhooks; /* messages delivered */
    unsigned failures;
};

/* Sends m through every configured channel (more: "N more alerts were not sent"). Each
 * failure adds a message naming the URL to d and counts in r; returns YJ_ERR_IO if any. */
enum yj_err yj_notify_send(const struct yj_notify_config *c, const struct yj_notify_msg *m,
                           uint64_t more, enum yj_lang lang, struct yj_notify_result *r,
                           struct yj_diag *d) YJ_MUST;

#endif
