/* The self-diagnosis: the question bank, answers, scoring, the stored diagnoses, combining
 * departments, and SECURITY ACTION readiness.
 *
 * A yj_bank owns all its text (one arena, freed by yj_bank_fini); results and records point
 * into the bank they were computed with and must not outlive it. Records read from the store
 * (struct yj_diagnosis) own their strings; yj_diagnosis_list_fini frees a list of them.
 * Nothing here prints: front ends render results. */
#ifndef YJ_ASSESS_ASSESS_H
#define YJ_ASSESS_ASSESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/i18n.h"
#include "base/str.h"
#include "store/store.h"

#define YJ_ITEMS 25
#define YJ_PARTS 3
#define YJ_BANDS_MAX 8
#define YJ_PRINCIPLES 5
#define YJ_NAME_MAX 100 /* respondent and department names, in bytes */


struct yj_item {
    char id[4];       /* "Q01" */
    int num;          /* 1..25 */
    int part;         /* 1..3 */
    const char *topic;
    struct yj_text question, why, advice;
};

struct yj_part {
    int part, first, last, max;
    struct yj_text title;
};

struct yj_band {
    int min, max;
    struct yj_text summary, next;
};

struct yj_bank {
    struct yj_arena arena;
    const char *name, *source, *as_of, *file;
    long version;
    struct yj_part parts[YJ_PARTS];
    struct yj_band bands[YJ_BANDS_MAX];
    size_t nbands;
    struct yj_item items[YJ_ITEMS];
};

/* Loads and validates a bank; every problem is reported to d with file:line. */
enum yj_err yj_bank_load(struct yj_bank *b, const char *path, struct yj_diag *d) YJ_MUST;
enum yj_err yj_bank_load_mem(struct yj_bank *b, const char *name, const char *p, size_t n,
                             struct yj_diag *d) YJ_MUST;
void yj_bank_fini(struct yj_bank *b);
/* Index 0..24 of an item given as "7", "07", "Q07" or "q7"; -1 otherwise. */
int yj_item_index(struct yj_str s);

/* ---- answers and scoring ---------------------------------------------------------- */

enum yj_answer {
    YJ_ANS_NONE,     /* not answered yet */
    YJ_ANS_YES,      /* 実施している: 4 */
    YJ_ANS_PARTIAL,  /* 一部実施している: 2 */
    YJ_ANS_NO,       /* 実施していない: 0 */
    YJ_ANS_UNKNOWN,  /* わからない: -1 */
    YJ_ANS_NA,       /* 該当しない: 4, always listed separately */
    YJ_ANS__COUNT
};

struct yj_answers {
    enum yj_answer a[YJ_ITEMS];
};

int yj_answer_points(enum yj_answer a);
const char *yj_answer_code(enum yj_answer a);     /* "yes", "partial", ... "" for NONE */
const char *yj_answer_label(enum yj_answer a);    /* user text in the current language */
const char *yj_answer_key(enum yj_answer a);      /* its catalog id ("answer.yes") */
/* Accepts the codes and the Japanese words; false otherwise. */
bool yj_answer_parse(struct yj_str w, enum yj_answer *out);

/* Parses an answers file ("ITEM ANSWER" per line, # comments). Reports every bad line,
 * duplicate and missing item to d; on error *out is untouched. */
enum yj_err yj_answers_parse(const char *name, const char *p, size_t n, struct yj_answers *out,
                             struct yj_diag *d) YJ_MUST;

struct yj_result {
    const struct yj_bank *bank;
    struct yj_answers answers;
    int points[YJ_ITEMS];
    int total;
    const struct yj_band *band;
    int part_score[YJ_PARTS];
    int part_max[YJ_PARTS];
    /* Item indexes, in item order (unknown, na) or weakest first (weak). */
    int unknown[YJ_ITEMS], not_applicable[YJ_ITEMS], weak[YJ_ITEMS];
    size_t nunknown, nna, nweak;
    bool complete; /* every item answered */
};

/* Scores a full set of answers (unanswered items count as unknown and clear complete). */
void yj_assess_score(const struct yj_bank *b, const struct yj_answers *a, struct yj_result *r);

/* Takes, per item, the weakest answer of several sets (lowest points; yes beats na). */
void yj_assess_combine(const struct yj_answers *sets, size_t n, struct yj_answers *out);

/* ---- stored diagnoses -------------------------------------------------------------- */

extern const struct yj_schema yj_assess_schema;

enum yj_diag_status { YJ_DIAGNOSIS_DRAFT, YJ_DIAGNOSIS_DONE };

struct yj_diagnosis {
    int64_t id;
    enum yj_diag_status status;
    char *bank;
    char *respondent;
    char *department; /* "" for the whole company */
    char *started_at, *finished_at; /* ISO 8601 UTC; finished_at NULL for drafts */
    int total;
    int position; /* drafts: the item the respondent was on */
    struct yj_answers answers;
};

struct yj_diagnosis_list {
    struct yj_diagnosis *v;
    size_t n;
};

void yj_diagnosis_fini(struct yj_diagnosis *x);
void yj_diagnosis_list_fini(struct yj_diagnosis_list *l);

/* Checks a respondent or department name (length, printable text). */
enum yj_err yj_assess_check_name(const char *what, const char *s, struct yj_diag *d) YJ_MUST;

/* Stores a finished diagnosis in one transaction. */
enum yj_err yj_assess_save(struct yj_store *s, const struct yj_result *r, const char *respondent,
                           const char *department, int64_t *id) YJ_MUST;

/* Drafts: one per department, answered item by item (each answer one transaction). */
enum yj_err yj_assess_draft_find(struct yj_store *s, const char *department,
                                 struct yj_diagnosis *out, bool *found) YJ_MUST;
enum yj_err yj_assess_draft_new(struct yj_store *s, const struct yj_bank *b,
                                const char *respondent, const char *department,
                                int64_t *id) YJ_MUST;
enum yj_err yj_assess_draft_answer(struct yj_store *s, int64_t id, int item,
                                   enum yj_answer a, int position) YJ_MUST;
/* Stores every answered item of a (all in one transaction); unanswered items are left as
 * they are. */
enum yj_err yj_assess_draft_set(struct yj_store *s, int64_t id, const struct yj_answers *a,
                                int position) YJ_MUST;
enum yj_err yj_assess_draft_discard(struct yj_store *s, int64_t id) YJ_MUST;
/* Scores the draft's answers, marks it done; fails with YJ_ERR_STATE if incomplete. */
enum yj_err yj_assess_draft_finish(struct yj_store *s, const struct yj_bank *b, int64_t id,
                                   struct yj_result *r) YJ_MUST;

/* One diagnosis by id (draft or finished). */
enum yj_err yj_assess_get(struct yj_store *s, int64_t id, struct yj_diagnosis *out,
                          bool *found) YJ_MUST;
/* Finished diagnoses, oldest first. */
enum yj_err yj_assess_history(struct yj_store *s, struct yj_diagnosis_list *out) YJ_MUST;
/* The latest finished diagnosis of each department, leaving out the one with id exclude_id
 * (0: none), ordered by department. */
enum yj_err yj_assess_latest(struct yj_store *s, int64_t exclude_id,
                             struct yj_diagnosis_list *out) YJ_MUST;

/* The company's current result: the latest diagnosis when one department answers, the
 * weakest-per-item combination of each department's latest when several do. *found is false
 * when nothing is stored. prev_found/prev: the same computed as it stood before the newest
 * diagnosis that went into it. `sources` (optional) receives the diagnoses combined. */
struct yj_company_result {
    bool found, prev_found;
    bool combined;
    struct yj_result now, prev;
    struct yj_diagnosis_list sources;
};
enum yj_err yj_assess_company(struct yj_store *s, const struct yj_bank *b,
                              struct yj_company_result *out) YJ_MUST;
void yj_company_result_fini(struct yj_company_result *c);

/* ---- SECURITY ACTION ---------------------------------------------------------------- */

struct yj_principle {
    int num;
    int item; /* index into the bank */
    struct yj_text title;
};

struct yj_action_facts {
    struct yj_arena arena;
    const char *source, *as_of;
    struct yj_principle p[YJ_PRINCIPLES];
};

enum yj_err yj_action_load(struct yj_action_facts *f, const char *path, struct yj_diag *d) YJ_MUST;
void yj_action_fini(struct yj_action_facts *f);

struct yj_action_status {
    bool have_diagnosis;
    bool principle_ok[YJ_PRINCIPLES];
    enum yj_answer principle_answer[YJ_PRINCIPLES];
    size_t principles_ok;
    bool one_star;   /* all five principles in place */
    bool have_policy, policy_published;
    bool two_star;   /* diagnosis done, policy written and published */
};

/* Readiness from the company result (may be NULL) and the recorded basic policy. */
void yj_action_assess(const struct yj_action_facts *f, const struct yj_result *company,
                      bool have_policy, const char *policy_url, struct yj_action_status *out);

#endif
