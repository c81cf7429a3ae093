/* Answers and scoring: the points table, the answers-file parser, totals, bands, parts,
 * the follow-up lists, and the weakest-answer combination of several departments. */
#include <stdlib.h>
#include <string.h>

#include "assess.h"

struct answer_row {
    const char *code;
    const char *ja;   /* the word on IPA's sheet, accepted in answers files */
    const char *label_key;
    int points;
};

static const struct answer_row answers[YJ_ANS__COUNT] = {
    [YJ_ANS_NONE] = {"", "", "answer.none", -1},
    [YJ_ANS_YES] = {"yes", "実施している", "answer.yes", 4},
    [YJ_ANS_PARTIAL] = {"partial", "一部実施している", "answer.partial", 2},
    [YJ_ANS_NO] = {"no", "実施していない", "answer.no", 0},
    [YJ_ANS_UNKNOWN] = {"unknown", "わからない", "answer.unknown", -1},
    [YJ_ANS_NA] = {"na", "該当しない", "answer.na", 4},
};

int yj_answer_points(enum yj_answer a)
{
    return (unsigned)a < YJ_ANS__COUNT ? answers[a].points : -1;
}

const char *yj_answer_code(enum yj_answer a)
{
    return (unsigned)a < YJ_ANS__COUNT ? answers[a].code : "";
}

const char *yj_answer_key(enum yj_answer a)
{
    return (unsigned)a < YJ_ANS__COUNT ? answers[a].label_key : "answer.none";
}

const char *yj_answer_label(enum yj_answer a)
{
    return yj_t(yj_answer_key(a));
}

bool yj_answer_parse(struct yj_str w, enum yj_answer *out)
{
    for (int i = YJ_ANS_YES; i < YJ_ANS__COUNT; i++) {
        if (yj_str_eq_ci_c(w, answers[i].code) || yj_str_eq_c(w, answers[i].ja)) {
            *out = (enum yj_answer)i;
            return true;
        }
    }
    return false;
}

enum yj_err yj_answers_parse(const char *name, const char *p, size_t n, struct yj_answers *out,
                             struct yj_diag *d)
{
    struct yj_answers a;
    unsigned seen[YJ_ITEMS] = {0};
    bool ok = true;
    memset(&a, 0, sizeof a);
    struct yj_str cur = {p, n}, line;
    unsigned lineno = 0;
    /* Notepad and Excel like to start UTF-8 files with a byte-order mark. */
    if (cur.n >= 3 && memcmp(cur.p, "\xEF\xBB\xBF", 3) == 0) {
        cur.p += 3;
        cur.n -= 3;
    }
    while (yj_str_next_line(&cur, &line)) {
        lineno++;
        if (lineno > 10000) {
            yj_diag_add(d, name, lineno, "%s", yj_t("answers.too_long"));
            return YJ_ERR_LIMIT;
        }
        /* Comments run from '#' to the end of the line. */
        const char *hash = memchr(line.p, '#', line.n);
        if (hash)
            line.n = (size_t)(hash - line.p);
        if (!yj_str_is_text(line)) {
            yj_diag_add(d, name, lineno, "%s", yj_t("answers.not_text"));
            ok = false;
            continue;
        }
        struct yj_str rest = line, item, word, extra;
        if (!yj_str_next_word(&rest, &item))
            continue;
        if (!yj_str_next_word(&rest, &word)) {
            yj_diag_add(d, name, lineno, yj_t("answers.no_answer"), (int)item.n, item.p);
            ok = false;
            continue;
        }
        if (yj_str_next_word(&rest, &extra)) {
            yj_diag_add(d, name, lineno, yj_t("answers.extra"), (int)extra.n, extra.p);
            ok = false;
            continue;
        }
        int idx = yj_item_index(item);
        if (idx < 0) {
            yj_diag_add(d, name, lineno, yj_t("answers.bad_item"), (int)item.n, item.p);
            ok = false;
            continue;
        }
        enum yj_answer ans;
        if (!yj_answer_parse(word, &ans)) {
            yj_diag_add(d, name, lineno, yj_t("answers.bad_answer"), (int)word.n, word.p);
            ok = false;
            continue;
        }
        if (seen[idx]) {
            yj_diag_add(d, name, lineno, yj_t("answers.duplicate"), idx + 1, seen[idx]);
            ok = false;
            continue;
        }
        seen[idx] = lineno;
        a.a[idx] = ans;
    }
    for (int i = 0; i < YJ_ITEMS; i++) {
        if (!seen[i]) {
            yj_diag_add(d, name, 0, yj_t("answers.missing"), i + 1);
            ok = false;
        }
    }
    if (!ok)
        return YJ_ERR_INVALID;
    *out = a;
    return YJ_ERR_OK;
}

/* Weakest first: fewer points, then item order. */
static int weak_cmp(const void *x, const void *y, void *ctx)
{
    const struct yj_result *r = ctx;
    int a = *(const int *)x, b = *(const int *)y;
    int pa = r->points[a], pb = r->points[b];
    return pa != pb ? pa - pb : a - b;
}

void yj_assess_score(const struct yj_bank *b, const struct yj_answers *a, struct yj_result *r)
{
    memset(r, 0, sizeof *r);
    r->bank = b;
    r->answers = *a;
    r->complete = true;
    for (int p = 0; p < YJ_PARTS; p++)
        r->part_max[p] = b->parts[p].max;
    for (int i = 0; i < YJ_ITEMS; i++) {
        enum yj_answer ans = a->a[i];
        if (ans == YJ_ANS_NONE) {
            r->complete = false;
            ans = YJ_ANS_UNKNOWN;
        }
        int pts = yj_answer_points(ans);
        r->points[i] = pts;
        r->total += pts;
        int part = b->items[i].part;
        if (part >= 1 && part <= YJ_PARTS)
            r->part_score[part - 1] += pts;
        if (ans == YJ_ANS_UNKNOWN)
            r->unknown[r->nunknown++] = i;
        else if (ans == YJ_ANS_NA)
            r->not_applicable[r->nna++] = i;
        if (pts < 4)
            r->weak[r->nweak++] = i;
    }
    qsort_r(r->weak, r->nweak, sizeof r->weak[0], weak_cmp, r);
    r->band = NULL;
    for (size_t i = 0; i < b->nbands; i++) {
        if (r->total >= b->bands[i].min && r->total <= b->bands[i].max) {
            r->band = &b->bands[i];
            break;
        }
    }
}

/* Rank for "weakest": lower is weaker. A real "yes" outranks "not applicable" so that a
 * department that has the thing and does it well is what the company shows. */
static int strength(enum yj_answer a)
{
    switch (a) {
    case YJ_ANS_UNKNOWN: return 0;
    case YJ_ANS_NO: return 1;
    case YJ_ANS_PARTIAL: return 2;
    case YJ_ANS_YES: return 3;
    case YJ_ANS_NA: return 4;
    default: return -1;
    }
}

void yj_assess_combine(const struct yj_answers *sets, size_t n, struct yj_answers *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < YJ_ITEMS; i++) {
        enum yj_answer best = YJ_ANS_NONE;
        for (size_t k = 0; k < n; k++) {
            enum yj_answer a = sets[k].a[i];
            if (a == YJ_ANS_NONE)
                continue;
            if (best == YJ_ANS_NONE || strength(a) < strength(best))
                best = a;
        }
        out->a[i] = best;
    }
}
