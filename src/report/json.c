/* The JSON form of a self-diagnosis result, shared by `yojin diagnose --json` and the API. */
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"

void yj_report_band_range(const struct yj_band *b, enum yj_lang lang, struct yj_buf *out)
{
    if (!b)
        return;
    if (b->min == b->max)
        yj_buf_printf(out, yj_tl(lang, "report.band_one"), b->min);
    else
        yj_buf_printf(out, yj_tl(lang, "report.band_range"), b->min, b->max);
}

const char *yj_report_department(const char *dept, enum yj_lang lang)
{
    return dept && *dept ? dept : yj_tl(lang, "report.whole_company");
}

static void item_ids(struct yj_json *j, const struct yj_bank *b, const int *idx, size_t n)
{
    yj_json_arr(j);
    for (size_t i = 0; i < n; i++)
        yj_json_str(j, b->items[idx[i]].id);
    yj_json_end_arr(j);
}

static void band(struct yj_json *j, const struct yj_band *b, enum yj_lang lang)
{
    if (!b) {
        yj_json_null(j);
        return;
    }
    yj_json_obj(j);
    yj_json_kint(j, "min", b->min);
    yj_json_kint(j, "max", b->max);
    yj_json_kstr(j, "summary", yj_text_get(&b->summary, lang));
    yj_json_kstr(j, "next", yj_text_get(&b->next, lang));
    yj_json_end_obj(j);
}

static void source_obj(struct yj_json *j, const struct yj_diagnosis *x)
{
    yj_json_obj(j);
    yj_json_kint(j, "id", x->id);
    yj_json_kstr(j, "department", x->department);
    yj_json_kstr(j, "respondent", x->respondent);
    yj_json_kstr(j, "finished_at", x->finished_at);
    yj_json_kint(j, "total", x->total);
    yj_json_end_obj(j);
}

void yj_report_history_json(const struct yj_bank *bank, const struct yj_diagnosis_list *l,
                            struct yj_json *j)
{
    yj_json_arr(j);
    for (size_t i = 0; i < l->n; i++) {
        const struct yj_diagnosis *x = &l->v[i];
        struct yj_result r;
        yj_assess_score(bank, &x->answers, &r);
        yj_json_obj(j);
        yj_json_kint(j, "id", x->id);
        yj_json_kstr(j, "finished_at", x->finished_at);
        yj_json_kstr(j, "department", x->department);
        yj_json_kstr(j, "respondent", x->respondent);
        yj_json_kint(j, "total", x->total);
        yj_json_key(j, "band");
        yj_json_obj(j);
        yj_json_kint(j, "min", r.band ? r.band->min : 0);
        yj_json_kint(j, "max", r.band ? r.band->max : 0);
        yj_json_end_obj(j);
        yj_json_kint(j, "unknown", (int64_t)r.nunknown);
        yj_json_end_obj(j);
    }
    yj_json_end_arr(j);
}

void yj_report_action_json(const struct yj_action_facts *f, const struct yj_action_status *st,
                           const char *policy_url, enum yj_lang lang, struct yj_json *j)
{
    yj_json_obj(j);
    yj_json_key(j, "one_star");
    yj_json_obj(j);
    yj_json_kbool(j, "ready", st->one_star);
    yj_json_key(j, "principles");
    yj_json_arr(j);
    for (int i = 0; i < YJ_PRINCIPLES; i++) {
        char id[16];
        snprintf(id, sizeof id, "Q%02d", f->p[i].item + 1);
        yj_json_obj(j);
        yj_json_kint(j, "principle", f->p[i].num);
        yj_json_kstr(j, "title", yj_text_get(&f->p[i].title, lang));
        yj_json_kstr(j, "item", id);
        yj_json_kstr(j, "answer",
                     st->principle_answer[i] ? yj_answer_code(st->principle_answer[i]) : NULL);
        yj_json_kbool(j, "in_place", st->principle_ok[i]);
        yj_json_end_obj(j);
    }
    yj_json_end_arr(j);
    yj_json_end_obj(j);
    yj_json_key(j, "two_star");
    yj_json_obj(j);
    yj_json_kbool(j, "ready", st->two_star);
    yj_json_kbool(j, "diagnosis", st->have_diagnosis);
    yj_json_kbool(j, "policy", st->have_policy);
    yj_json_kbool(j, "policy_published", st->policy_published);
    yj_json_kstr(j, "policy_url", st->policy_published ? policy_url : NULL);
    yj_json_end_obj(j);
    yj_json_kstr(j, "declaration", yj_tl(lang, "action.declaration"));
    yj_json_kstr(j, "prepare", yj_tl(lang, "action.prepare"));
    yj_json_kstr(j, "source", f->source);
    yj_json_kstr(j, "as_of", f->as_of);
    yj_json_end_obj(j);
}

void yj_report_result_json(const struct yj_report_input *in, struct yj_json *j)
{
    const struct yj_result *r = in->result;
    const struct yj_bank *b = in->bank;
    enum yj_lang lang = in->lang;
    yj_json_obj(j);
    yj_json_kint(j, "total", r->total);
    yj_json_kint(j, "max", 4 * YJ_ITEMS);
    yj_json_key(j, "band");
    band(j, r->band, lang);
    yj_json_key(j, "parts");
    yj_json_arr(j);
    for (int p = 0; p < YJ_PARTS; p++) {
        yj_json_obj(j);
        yj_json_kint(j, "part", p + 1);
        yj_json_kstr(j, "title", yj_text_get(&b->parts[p].title, lang));
        yj_json_kint(j, "score", r->part_score[p]);
        yj_json_kint(j, "max", r->part_max[p]);
        yj_json_end_obj(j);
    }
    yj_json_end_arr(j);
    yj_json_key(j, "unknown");
    item_ids(j, b, r->unknown, r->nunknown);
    yj_json_key(j, "not_applicable");
    item_ids(j, b, r->not_applicable, r->nna);
    yj_json_key(j, "weakest");
    item_ids(j, b, r->weak, r->nweak);
    yj_json_key(j, "items");
    yj_json_arr(j);
    for (int i = 0; i < YJ_ITEMS; i++) {
        yj_json_obj(j);
        yj_json_kstr(j, "id", b->items[i].id);
        yj_json_kint(j, "part", b->items[i].part);
        yj_json_kstr(j, "answer", r->answers.a[i] ? yj_answer_code(r->answers.a[i]) : NULL);
        yj_json_kint(j, "points", r->points[i]);
        if (r->points[i] < 4) {
            yj_json_kstr(j, "question", yj_text_get(&b->items[i].question, lang));
            yj_json_kstr(j, "advice", yj_text_get(&b->items[i].advice, lang));
        }
        yj_json_end_obj(j);
    }
    yj_json_end_arr(j);
    yj_json_key(j, "change");
    if (in->prev) {
        yj_json_obj(j);
        yj_json_kint(j, "previous", in->prev->total);
        yj_json_kint(j, "delta", r->total - in->prev->total);
        yj_json_end_obj(j);
    } else {
        yj_json_null(j);
    }
    yj_json_kbool(j, "combined", in->combined);
    if (in->sources) {
        yj_json_key(j, "sources");
        yj_json_arr(j);
        for (size_t i = 0; i < in->sources->n; i++)
            source_obj(j, &in->sources->v[i]);
        yj_json_end_arr(j);
    }
    yj_json_key(j, "bank");
    yj_json_obj(j);
    yj_json_kstr(j, "name", b->name);
    yj_json_kint(j, "version", b->version);
    yj_json_kstr(j, "source", b->source);
    yj_json_kstr(j, "as_of", b->as_of);
    yj_json_end_obj(j);
    yj_json_end_obj(j);
}
