/* Respond: what to do when something has happened. The desks to call (contacts), playbooks
 * per kind of incident, the legal duties with dates computed from the discovery date, and
 * the incident record (timeline, contacts made, duties done) in the store.
 *
 * A yj_respond_data owns everything loaded from data/respond/ (one arena); advice and
 * search results point into it and must not outlive it. Incident records read from the
 * store are owned by the caller's arena. Nothing here prints. */
#ifndef YJ_RESPOND_RESPOND_H
#define YJ_RESPOND_RESPOND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/err.h"
#include "base/i18n.h"
#include "store/store.h"

/* ---- kinds and conditions ------------------------------------------------------------- */

#define YJ_INCIDENT_TYPES(X)                                                                   \
    X(ransomware) X(malware) X(unauthorized_access) X(targeted_email) X(phishing_bec)         \
    X(data_leak) X(lost_device) X(web_defacement) X(ddos) X(harmful_content) X(spam)          \
    X(piracy) X(threat_to_life) X(connection_trouble) X(consumer_trouble)

enum yj_itype {
#define YJ_IT_ENUM(n) YJ_IT_##n,
    YJ_INCIDENT_TYPES(YJ_IT_ENUM)
#undef YJ_IT_ENUM
    YJ_IT__COUNT
};

/* "unauthorized-access" <-> YJ_IT_unauthorized_access; -1 when unknown. */
int yj_itype_parse(const char *s);
const char *yj_itype_code(enum yj_itype t);

enum yj_pd { YJ_PD_NONE, YJ_PD_ORDINARY, YJ_PD_SENSITIVE, YJ_PD_FINANCIAL, YJ_PD__COUNT };
enum yj_sector { YJ_SECTOR_OTHER, YJ_SECTOR_MEDICAL, YJ_SECTOR_TELECOM, YJ_SECTOR__COUNT };
int yj_pd_parse(const char *s);         /* -1 when unknown */
const char *yj_pd_code(enum yj_pd p);
int yj_sector_parse(const char *s);     /* -1 when unknown */
const char *yj_sector_code(enum yj_sector s);

/* One alternative of a condition: all that are set must hold. */
struct yj_cond {
    unsigned pd_mask;       /* 0: any */
    unsigned sector_mask;   /* 0: any */
    uint32_t types_mask;    /* 0: any */
    int malicious;          /* -1: any */
    int crime;              /* -1: any */
    long people_over;       /* -1: any */
};

/* What is known about an incident: the input of the advice. */
struct yj_case {
    enum yj_itype type;
    struct yj_date discovered;
    enum yj_sector sector;
    enum yj_pd personal_data;
    bool malicious;
    long people;            /* -1: unknown */
    bool ongoing;
};

/* ---- loaded data ---------------------------------------------------------------------- */

struct yj_contact {
    const char *id;
    struct yj_text name, handles, not_handles, hours, address, note;
    bool for_companies, for_individuals;
    const char *phone, *email, *fax, *url, *replaced_by, *source, *as_of;
};

struct yj_pb_contact {
    const struct yj_contact *contact;
    struct yj_text why, tell;
    bool conditional;
    struct yj_cond when;
};

struct yj_playbook {
    enum yj_itype type;
    struct yj_text title, summary;
    bool crime;
    struct yj_text *steps, *record;
    size_t nsteps, nrecord;
    struct yj_pb_contact *contacts;
    size_t ncontacts;
};

struct yj_duty_rule {
    const char *id;
    struct yj_text authority, what, basis, not_applicable;
    const struct yj_contact *contact;   /* may be NULL */
    struct yj_cond *applies;
    size_t napplies;
    int due_from_days, due_by_days, due_by_days_if_malicious; /* -1: none */
    bool promptly;
    const char *needs;                  /* report item list name, or NULL */
};

struct yj_item_list {
    const char *name;
    struct yj_text *v;
    size_t n;
};

struct yj_respond_data {
    struct yj_arena arena;
    struct yj_contact *contacts;
    size_t ncontacts;
    struct yj_playbook playbooks[YJ_IT__COUNT];
    struct yj_duty_rule *duties;
    size_t nduties;
    struct yj_item_list *lists;
    size_t nlists;
    const char *contacts_source, *contacts_as_of, *playbooks_source, *playbooks_as_of,
        *duties_source, *duties_as_of;
};

/* Loads contacts.yaml, playbooks.yaml and duties.yaml from dir, checking every reference. */
enum yj_err yj_respond_load(struct yj_respond_data *r, const char *dir, struct yj_diag *d) YJ_MUST;
void yj_respond_fini(struct yj_respond_data *r);
const struct yj_contact *yj_contact_find(const struct yj_respond_data *r, const char *id);
const struct yj_item_list *yj_item_list_find(const struct yj_respond_data *r, const char *name);

/* Contacts whose texts (either language), id, phone or e-mail contain every word
 * (case-insensitive for ASCII). No words: all. Returns how many were put into out. */
size_t yj_contacts_search(const struct yj_respond_data *r, const char *const *words, size_t n,
                          const struct yj_contact **out, size_t max);

/* ---- advice ---------------------------------------------------------------------------- */

struct yj_duty {
    const struct yj_duty_rule *rule;
    bool has_from, has_by;
    struct yj_date due_from, due_by;
};

#define YJ_ADVICE_MAX 32
struct yj_advice_contact {
    const struct yj_contact *contact;
    const struct yj_text *why, *tell;   /* tell may be NULL for a duty's authority */
};

struct yj_advice {
    const struct yj_playbook *pb;
    struct yj_advice_contact contacts[YJ_ADVICE_MAX];
    size_t ncontacts;
    struct yj_duty duties[YJ_ADVICE_MAX];
    size_t nduties;
    /* Duties that do not apply although the case touches their subject (personal data),
     * with the reason to show. */
    const struct yj_duty_rule *not_applicable[YJ_ADVICE_MAX];
    size_t nnot_applicable;
};

bool yj_cond_holds(const struct yj_cond *c, const struct yj_case *k, bool crime);
void yj_respond_advise(const struct yj_respond_data *r, const struct yj_case *k,
                       struct yj_advice *out);

/* ---- incidents in the store ------------------------------------------------------------ */

extern const struct yj_schema yj_respond_schema;

enum yj_event_kind { YJ_EV_NOTE, YJ_EV_CONTACT, YJ_EV_DUTY, YJ_EV_STATUS };

struct yj_incident_event {
    int64_t id;
    const char *at, *who, *what;
    enum yj_event_kind kind;
};

struct yj_incident_duty {
    const char *duty, *due_from, *due_by, *done_at; /* NULL when not set */
    bool promptly;
};

struct yj_incident {
    int64_t id;
    struct yj_case c;
    const char *title, *status, *created_at, *closed_at;
    const char *data_involved, *cause, *actions, *prevention;
    struct yj_incident_event *events;
    size_t nevents;
    struct yj_incident_duty *duties;
    size_t nduties;
};

/* The fields of an incident a person writes (any may be NULL: unchanged). */
struct yj_incident_fields {
    const char *title, *data_involved, *cause, *actions, *prevention;
};

/* Stores a new incident with the duties of its advice (one transaction). */
enum yj_err yj_incident_create(struct yj_store *s, const struct yj_case *k, const char *title,
                               const char *who, const struct yj_advice *a, int64_t *id) YJ_MUST;
/* Loads one incident with its timeline and duties into arena; *found false if none. */
enum yj_err yj_incident_get(struct yj_store *s, int64_t id, struct yj_arena *arena,
                            struct yj_incident *out, bool *found) YJ_MUST;
/* All incidents (without timelines), newest first. */
enum yj_err yj_incident_list(struct yj_store *s, struct yj_arena *arena,
                             struct yj_incident **out, size_t *n) YJ_MUST;
/* Adds a timeline entry (at: ISO time or NULL for now). */
enum yj_err yj_incident_log(struct yj_store *s, int64_t id, enum yj_event_kind kind,
                            const char *at, const char *who, const char *what) YJ_MUST;
/* Marks a duty done (with a timeline entry); YJ_ERR_NOTFOUND when the incident has no such duty. */
enum yj_err yj_incident_duty_done(struct yj_store *s, int64_t id, const char *duty,
                                  const char *who, const char *what) YJ_MUST;
enum yj_err yj_incident_update(struct yj_store *s, int64_t id,
                               const struct yj_incident_fields *f) YJ_MUST;
/* Closes (or reopens) an incident, with a timeline entry. */
enum yj_err yj_incident_set_status(struct yj_store *s, int64_t id, bool open, const char *who,
                                   const char *what) YJ_MUST;
/* Open incidents and the most urgent duty not yet done among them (prompt ones first, then
 * by date). next_due is "" for a prompt duty; *has_next false when none is pending. */
struct yj_pending {
    int64_t open;
    bool has_next;
    int64_t incident;
    char duty[64];
    char due_by[YJ_DATE_LEN];
};
enum yj_err yj_incident_pending(struct yj_store *s, struct yj_pending *out) YJ_MUST;
/* Checks a free-text field of an incident (length, text). */
enum yj_err yj_incident_check_text(const char *what, const char *s, size_t max,
                                   struct yj_diag *d) YJ_MUST;

#endif
