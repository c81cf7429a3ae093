/* Diagnoses in the store: finished ones, drafts answered item by item, history, the latest
 * per department, and the company result composed from them.
 *
 *   assess_diagnosis(id, bank, respondent, department, status, started_at, finished_at,
 *                    total, position)
 *   assess_answer(diagnosis_id, item 'Q01'.., answer code, answered_at)
 */
#include <stdlib.h>
#include <string.h>

#include "assess.h"
#include "base/date.h"

static const struct yj_migration migrations[] = {
    {1, "CREATE TABLE assess_diagnosis("
        "  id INTEGER PRIMARY KEY,"
        "  bank TEXT NOT NULL,"
        "  respondent TEXT NOT NULL,"
        "  department TEXT NOT NULL DEFAULT '',"
        "  status TEXT NOT NULL CHECK (status IN ('draft', 'done')),"
        "  started_at TEXT NOT NULL,"
        "  finished_at TEXT,"
        "  total INTEGER,"
        "  position INTEGER NOT NULL DEFAULT 0);"
        "CREATE INDEX assess_diagnosis_dept ON assess_diagnosis(department, status, finished_at);"
        "CREATE UNIQUE INDEX assess_one_draft ON assess_diagnosis(department) "
        "  WHERE status = 'draft';"
        "CREATE TABLE assess_answer("
        "  diagnosis_id INTEGER NOT NULL REFERENCES assess_diagnosis(id) ON DELETE CASCADE,"
        "  item TEXT NOT NULL,"
        "  answer TEXT NOT NULL CHECK (answer IN ('yes','partial','no','unknown','na')),"
        "  answered_at TEXT NOT NULL,"
        "  PRIMARY KEY (diagnosis_id, item));"},
};

const struct yj_schema yj_assess_schema = {"assess", migrations,
                                           sizeof migrations / sizeof migrations[0]};

enum yj_err yj_assess_check_name(const char *what, const char *s, struct yj_diag *d)
{
    struct yj_str v = yj_str_c(s);
    if (v.n > YJ_NAME_MAX)
        return yj_diag_fail(d, YJ_ERR_LIMIT, NULL, 0, yj_t("assess.name_long"), what,
                            YJ_NAME_MAX);
    if (!yj_str_is_text(v) || memchr(s, '\t', v.n))
        return yj_diag_fail(d, YJ_ERR_INVALID, NULL, 0, yj_t("assess.name_bad"), what);
    return YJ_ERR_OK;
}

void yj_diagnosis_fini(struct yj_diagnosis *x)
{
    free(x->bank);
    free(x->respondent);
    free(x->department);
    free(x->started_at);
    free(x->finished_at);
    memset(x, 0, sizeof *x);
}

void yj_diagnosis_list_fini(struct yj_diagnosis_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        yj_diagnosis_fini(&l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static char *dup_or_null(const char *s)
{
    return s ? yj_xstrdup(s) : NULL;
}

#define DIAG_COLS "id, bank, respondent, department, status, started_at, finished_at, " \
                  "total, position"

static void row_to_diagnosis(struct yj_stmt *st, struct yj_diagnosis *x)
{
    memset(x, 0, sizeof *x);
    x->id = yj_col_int(st, 0);
    x->bank = dup_or_null(yj_col_text(st, 1));
    x->respondent = dup_or_null(yj_col_text(st, 2));
    x->department = dup_or_null(yj_col_text(st, 3));
    const char *status = yj_col_text(st, 4);
    x->status = status && strcmp(status, "done") == 0 ? YJ_DIAGNOSIS_DONE : YJ_DIAGNOSIS_DRAFT;
    x->started_at = dup_or_null(yj_col_text(st, 5));
    x->finished_at = dup_or_null(yj_col_text(st, 6));
    x->total = (int)yj_col_int(st, 7);
    x->position = (int)yj_col_int(st, 8);
}

static enum yj_err load_answers(struct yj_store *s, struct yj_diagnosis *x)
{
    struct yj_stmt *st;
    enum yj_err err = yj_stmt_prepare(
        s, "SELECT item, answer FROM assess_answer WHERE diagnosis_id = ?1", &st);
    if (err)
        return err;
    memset(&x->answers, 0, sizeof x->answers);
    bool row;
    if (!(err = yj_stmt_int(st, 1, x->id))) {
        while (!(err = yj_stmt_step(st, &row)) && row) {
            int idx = yj_item_index(yj_str_c(yj_col_text(st, 0)));
            enum yj_answer a;
            const char *code = yj_col_text(st, 1);
            if (idx >= 0 && code && yj_answer_parse(yj_str_c(code), &a))
                x->answers.a[idx] = a;
        }
    }
    yj_stmt_free(st);
    return err;
}

/* Runs a query returning DIAG_COLS rows into a list. A query with a parameter ?1 gets p1
 * when given, else the integer i1; bind says whether it has one. */
static enum yj_err query_list(struct yj_store *s, const char *sql, bool bind, const char *p1,
                              int64_t i1, struct yj_diagnosis_list *out)
{
    memset(out, 0, sizeof *out);
    struct yj_stmt *st;
    enum yj_err err = yj_stmt_prepare(s, sql, &st);
    if (err)
        return err;
    size_t cap = 0;
    bool row;
    if (bind && (err = p1 ? yj_stmt_text(st, 1, p1) : yj_stmt_int(st, 1, i1)))
        goto out;
    while (!(err = yj_stmt_step(st, &row)) && row) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 8;
            out->v = yj_xrealloc(out->v, cap * sizeof *out->v);
        }
        row_to_diagnosis(st, &out->v[out->n++]);
    }
    for (size_t i = 0; !err && i < out->n; i++)
        err = load_answers(s, &out->v[i]);
out:
    yj_stmt_free(st);
    if (err)
        yj_diagnosis_list_fini(out);
    return err;
}

static enum yj_err put_answer(struct yj_store *s, int64_t id, int item, enum yj_answer a,
                              const char *now)
{
    struct yj_stmt *st;
    enum yj_err err;
    char code[4];
    memcpy(code, "Q00", 4);
    code[1] = (char)('0' + (item + 1) / 10);
    code[2] = (char)('0' + (item + 1) % 10);
    if (a == YJ_ANS_NONE) {
        err = yj_stmt_prepare(s,
                              "DELETE FROM assess_answer WHERE diagnosis_id = ?1 AND item = ?2",
                              &st);
        if (err)
            return err;
        if (!(err = yj_stmt_int(st, 1, id)) && !(err = yj_stmt_text(st, 2, code)))
            err = yj_stmt_run(st);
        yj_stmt_free(st);
        return err;
    }
    err = yj_stmt_prepare(s,
                          "INSERT INTO assess_answer(diagnosis_id, item, answer, answered_at) "
                          "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(diagnosis_id, item) DO UPDATE "
                          "SET answer = excluded.answer, answered_at = excluded.answered_at",
                          &st);
    if (err)
        return err;
    if (!(err = yj_stmt_int(st, 1, id)) && !(err = yj_stmt_text(st, 2, code)) &&
        !(err = yj_stmt_text(st, 3, yj_answer_code(a))) && !(err = yj_stmt_text(st, 4, now)))
        err = yj_stmt_run(st);
    yj_stmt_free(st);
    return err;
}

/* YJ_ERR_STATE unless id is a draft: finished diagnoses never change. */
static enum yj_err require_draft(struct yj_store *s, int64_t id)
{
    struct yj_stmt *st;
    enum yj_err err = yj_stmt_prepare(
        s, "SELECT 1 FROM assess_diagnosis WHERE id = ?1 AND status = 'draft'", &st);
    if (err)
        return err;
    bool row = false;
    if (!(err = yj_stmt_int(st, 1, id)) && !(err = yj_stmt_step(st, &row)) && !row)
        err = YJ_ERR_STATE;
    yj_stmt_free(st);
    return err;
}

static enum yj_err insert_diagnosis(struct yj_store *s, const char *bank, const char *respondent,
                                    const char *department, bool done, int total,
                                    const char *now, int64_t *id)
{
    struct yj_stmt *st;
    enum yj_err err = yj_stmt_prepare(
        s,
        "INSERT INTO assess_diagnosis(bank, respondent, department, status, started_at, "
        "finished_at, total) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        &st);
    if (err)
        return err;
    if (!(err = yj_stmt_text(st, 1, bank)) && !(err = yj_stmt_text(st, 2, respondent)) &&
        !(err = yj_stmt_text(st, 3, department ? department : "")) &&
        !(err = yj_stmt_text(st, 4, done ? "done" : "draft")) &&
        !(err = yj_stmt_text(st, 5, now)) && !(err = yj_stmt_text(st, 6, done ? now : NULL)) &&
        !(err = done ? yj_stmt_int(st, 7, total) : yj_stmt_null(st, 7)))
        err = yj_stmt_run(st);
    yj_stmt_free(st);
    if (!err)
        *id = yj_store_last_id(s);
    return err;
}

enum yj_err yj_assess_save(struct yj_store *s, const struct yj_result *r, const char *respondent,
                           const char *department, int64_t *id)
{
    char now[YJ_ISO_LEN];
    yj_time_iso(yj_now(), now);
    enum yj_err err = yj_store_begin(s);
    if (err)
        return err;
    err = insert_diagnosis(s, r->bank->name, respondent, department, true, r->total, now, id);
    for (int i = 0; !err && i < YJ_ITEMS; i++)
        err = put_answer(s, *id, i, r->answers.a[i], now);
    if (!err)
        err = yj_store_commit(s);
    if (err)
        yj_store_rollback(s);
    return err;
}

enum yj_err yj_assess_draft_find(struct yj_store *s, const char *department,
                                 struct yj_diagnosis *out, bool *found)
{
    struct yj_diagnosis_list l;
    *found = false;
    enum yj_err err = query_list(s,
                                 "SELECT " DIAG_COLS " FROM assess_diagnosis "
                                 "WHERE status = 'draft' AND department = ?1",
                                 true, department ? department : "", 0, &l);
    if (err)
        return err;
    if (l.n > 0) {
        *out = l.v[0];
        memset(&l.v[0], 0, sizeof l.v[0]);
        *found = true;
    }
    yj_diagnosis_list_fini(&l);
    return YJ_ERR_OK;
}

enum yj_err yj_assess_draft_new(struct yj_store *s, const struct yj_bank *b,
                                const char *respondent, const char *department, int64_t *id)
{
    char now[YJ_ISO_LEN];
    yj_time_iso(yj_now(), now);
    return insert_diagnosis(s, b->name, respondent, department, false, 0, now, id);
}

/* Stores answers into a draft and where the respondent is, in one transaction. Items of
 * `set` are written when `write[i]` (a NONE answer deletes the item's answer). */
static enum yj_err draft_store(struct yj_store *s, int64_t id, const struct yj_answers *set,
                               const bool write[YJ_ITEMS], int position)
{
    char now[YJ_ISO_LEN];
    yj_time_iso(yj_now(), now);
    enum yj_err err = yj_store_begin(s);
    if (err)
        return err;
    err = require_draft(s, id);
    for (int i = 0; !err && i < YJ_ITEMS; i++)
        if (write[i])
            err = put_answer(s, id, i, set->a[i], now);
    struct yj_stmt *st;
    if (!err && !(err = yj_stmt_prepare(s,
                                        "UPDATE assess_diagnosis SET position = ?2 "
                                        "WHERE id = ?1 AND status = 'draft'",
                                        &st))) {
        if (!(err = yj_stmt_int(st, 1, id)) && !(err = yj_stmt_int(st, 2, position)))
            err = yj_stmt_run(st);
        yj_stmt_free(st);
    }
    if (!err)
        err = yj_store_commit(s);
    if (err)
        yj_store_rollback(s);
    return err;
}

enum yj_err yj_assess_draft_answer(struct yj_store *s, int64_t id, int item, enum yj_answer a,
                                   int position)
{
    if (item < 0 || item >= YJ_ITEMS)
        return YJ_ERR_INVALID;
    struct yj_answers set = {0};
    bool write[YJ_ITEMS] = {false};
    set.a[item] = a;
    write[item] = true;
    return draft_store(s, id, &set, write, position);
}

enum yj_err yj_assess_draft_set(struct yj_store *s, int64_t id, const struct yj_answers *a,
                                int position)
{
    bool write[YJ_ITEMS];
    for (int i = 0; i < YJ_ITEMS; i++)
        write[i] = a->a[i] != YJ_ANS_NONE;
    return draft_store(s, id, a, write, position);
}

enum yj_err yj_assess_get(struct yj_store *s, int64_t id, struct yj_diagnosis *out, bool *found)
{
    struct yj_diagnosis_list l;
    *found = false;
    enum yj_err err = query_list(s, "SELECT " DIAG_COLS " FROM assess_diagnosis WHERE id = ?1",
                                 true, NULL, id, &l);
    if (err)
        return err;
    if (l.n > 0) {
        *out = l.v[0];
        memset(&l.v[0], 0, sizeof l.v[0]);
        *found = true;
    }
    yj_diagnosis_list_fini(&l);
    return YJ_ERR_OK;
}

enum yj_err yj_assess_draft_discard(struct yj_store *s, int64_t id)
{
    struct yj_stmt *st;
    enum yj_err err = yj_stmt_prepare(
        s, "DELETE FROM assess_diagnosis WHERE id = ?1 AND status = 'draft'", &st);
    if (err)
        return err;
    if (!(err = yj_stmt_int(st, 1, id)))
        err = yj_stmt_run(st);
    yj_stmt_free(st);
    return err;
}

enum yj_err yj_assess_draft_finish(struct yj_store *s, const struct yj_bank *b, int64_t id,
                                   struct yj_result *r)
{
    struct yj_diagnosis x = {.id = id};
    enum yj_err err = load_answers(s, &x);
    if (err)
        return err;
    yj_assess_score(b, &x.answers, r);
    if (!r->complete)
        return YJ_ERR_STATE;
    char now[YJ_ISO_LEN];
    yj_time_iso(yj_now(), now);
    struct yj_stmt *st;
    if ((err = yj_stmt_prepare(s,
                               "UPDATE assess_diagnosis SET status = 'done', finished_at = ?2, "
                               "total = ?3 WHERE id = ?1 AND status = 'draft'",
                               &st)))
        return err;
    if (!(err = yj_stmt_int(st, 1, id)) && !(err = yj_stmt_text(st, 2, now)) &&
        !(err = yj_stmt_int(st, 3, r->total)))
        err = yj_stmt_run(st);
    yj_stmt_free(st);
    return err;
}

enum yj_err yj_assess_history(struct yj_store *s, struct yj_diagnosis_list *out)
{
    return query_list(s,
                      "SELECT " DIAG_COLS " FROM assess_diagnosis WHERE status = 'done' "
                      "ORDER BY finished_at, id",
                      false, NULL, 0, out);
}

enum yj_err yj_assess_latest(struct yj_store *s, int64_t exclude_id,
                             struct yj_diagnosis_list *out)
{
    /* The newest finished diagnosis per department (ties broken by id). */
    return query_list(s,
                      "SELECT " DIAG_COLS " FROM assess_diagnosis d WHERE status = 'done' "
                      "AND id = ("
                      "  SELECT id FROM assess_diagnosis e WHERE e.status = 'done' "
                      "  AND e.department = d.department AND e.id != ?1"
                      "  ORDER BY e.finished_at DESC, e.id DESC LIMIT 1) "
                      "ORDER BY department",
                      true, NULL, exclude_id, out);
}

/* Scores the combination of a list (or its one member). */
static void company_of(const struct yj_bank *b, const struct yj_diagnosis_list *l,
                       struct yj_result *r)
{
    struct yj_answers *sets = yj_xcalloc(l->n, sizeof *sets);
    for (size_t i = 0; i < l->n; i++)
        sets[i] = l->v[i].answers;
    struct yj_answers a;
    yj_assess_combine(sets, l->n, &a);
    free(sets);
    yj_assess_score(b, &a, r);
}

enum yj_err yj_assess_company(struct yj_store *s, const struct yj_bank *b,
                              struct yj_company_result *out)
{
    memset(out, 0, sizeof *out);
    enum yj_err err = yj_assess_latest(s, 0, &out->sources);
    if (err || out->sources.n == 0)
        return err;
    out->found = true;
    out->combined = out->sources.n > 1;
    company_of(b, &out->sources, &out->now);
    /* "Before" is the same computation without the newest diagnosis that went into it. */
    const struct yj_diagnosis *newest = &out->sources.v[0];
    for (size_t i = 1; i < out->sources.n; i++) {
        const struct yj_diagnosis *x = &out->sources.v[i];
        int c = strcmp(x->finished_at ? x->finished_at : "", newest->finished_at ? newest->finished_at : "");
        if (c > 0 || (c == 0 && x->id > newest->id))
            newest = x;
    }
    struct yj_diagnosis_list prev;
    if ((err = yj_assess_latest(s, newest->id, &prev)))
        return err;
    if (prev.n > 0) {
        out->prev_found = true;
        company_of(b, &prev, &out->prev);
    }
    yj_diagnosis_list_fini(&prev);
    return YJ_ERR_OK;
}

void yj_company_result_fini(struct yj_company_result *c)
{
    yj_diagnosis_list_fini(&c->sources);
    memset(c, 0, sizeof *c);
}
