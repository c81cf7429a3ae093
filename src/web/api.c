/* /api/v1: the same resources as the pages, in JSON, for scripts and a provider's systems.
 * Bearer tokens only (no cookies), so there is no CSRF to guard against. Input JSON is
 * parsed with jansson under the body cap; anything malformed is a 400 naming the problem. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "org/org.h"
#include "report/report.h"
#include "web_int.h"

void api_result(struct yj_req *rq, struct yj_resp *rs)
{
    struct yj_company_result cr;
    if (yj_assess_company(rq->store, &rq->app->bank, &cr))
        return yj_web_db_error(rq, rs);
    if (!cr.found) {
        yj_company_result_fini(&cr);
        return yj_api_error(rs, 404, yj_w(rq, "report.nothing"));
    }
    struct yj_report_input in = {.bank = &rq->app->bank, .result = &cr.now,
                                 .prev = cr.prev_found ? &cr.prev : NULL,
                                 .combined = cr.combined, .sources = &cr.sources,
                                 .lang = rq->lang};
    struct yj_json j;
    yj_api_begin(rs, &j, 200);
    yj_report_result_json(&in, &j);
    yj_company_result_fini(&cr);
}

void api_diagnoses(struct yj_req *rq, struct yj_resp *rs)
{
    struct yj_diagnosis_list l;
    if (yj_assess_history(rq->store, &l))
        return yj_web_db_error(rq, rs);
    struct yj_json j;
    yj_api_begin(rs, &j, 200);
    yj_report_history_json(&rq->app->bank, &l, &j);
    yj_diagnosis_list_fini(&l);
}

static void bad(struct yj_req *rq, struct yj_resp *rs, const char *id, const char *detail)
{
    char *m = NULL;
    if (asprintf(&m, "%s%s%s", yj_w(rq, id), detail ? ": " : "", detail ? detail : "") < 0)
        yj_oom();
    yj_api_error(rs, 400, m);
    free(m);
}

/* POST {"respondent": "...", "department": "...", "answers": {"Q01": "yes", ...}}. */
void api_diagnosis_add(struct yj_req *rq, struct yj_resp *rs)
{
    const char *ct = rq->content_type ? rq->content_type : "";
    if (strncmp(ct, "application/json", 16) != 0)
        return bad(rq, rs, "web.api_need_json", NULL);
    json_error_t jerr;
    json_t *root = json_loadb(rq->body.p ? rq->body.p : "", rq->body.len,
                              JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        char detail[256];
        snprintf(detail, sizeof detail, "line %d column %d: %s", jerr.line, jerr.column,
                 jerr.text);
        return bad(rq, rs, "web.api_bad_json", detail);
    }
    const char *respondent = json_string_value(json_object_get(root, "respondent"));
    const char *dept = json_string_value(json_object_get(root, "department"));
    json_t *answers = json_object_get(root, "answers");
    if (!json_is_object(root) || !respondent || !json_is_object(answers) ||
        (json_object_get(root, "department") && !dept)) {
        json_decref(root);
        return bad(rq, rs, "web.api_bad_shape", NULL);
    }
    struct yj_diag d;
    yj_diag_init(&d);
    if (yj_assess_check_name("respondent", respondent, &d) ||
        yj_assess_check_name("department", dept ? dept : "", &d)) {
        bad(rq, rs, "web.api_bad_shape", d.n ? d.v[0].msg : NULL);
        yj_diag_fini(&d);
        json_decref(root);
        return;
    }
    yj_diag_fini(&d);
    struct yj_answers a = {0};
    const char *key;
    json_t *value;
    json_object_foreach(answers, key, value)
    {
        int idx = yj_item_index(yj_str_c(key));
        enum yj_answer ans;
        const char *v = json_string_value(value);
        if (idx < 0 || !v || !yj_answer_parse(yj_str_c(v), &ans)) {
            bad(rq, rs, "web.api_bad_answer", key);
            json_decref(root);
            return;
        }
        a.a[idx] = ans;
    }
    for (int i = 0; i < YJ_ITEMS; i++) {
        if (!a.a[i]) {
            char id[16];
            snprintf(id, sizeof id, "Q%02d", i + 1);
            bad(rq, rs, "web.api_missing_answer", id);
            json_decref(root);
            return;
        }
    }
    struct yj_result r;
    yj_assess_score(&rq->app->bank, &a, &r);
    int64_t id;
    enum yj_err err = yj_assess_save(rq->store, &r, respondent, dept ? dept : "", &id);
    json_decref(root);
    if (err)
        return yj_web_db_error(rq, rs);
    struct yj_report_input in = {.bank = &rq->app->bank, .result = &r, .lang = rq->lang};
    struct yj_json j;
    yj_api_begin(rs, &j, 201);
    yj_report_result_json(&in, &j);
    char loc[64];
    snprintf(loc, sizeof loc, "/diagnosis/result?id=%lld", (long long)id);
    yj_resp_header(rs, "Location", yj_arena_strdup(&rq->arena, loc));
}

void api_action(struct yj_req *rq, struct yj_resp *rs)
{
    struct yj_company_result cr;
    struct yj_org org;
    if (yj_assess_company(rq->store, &rq->app->bank, &cr))
        return yj_web_db_error(rq, rs);
    if (yj_org_load(rq->store, &org)) {
        yj_company_result_fini(&cr);
        return yj_web_db_error(rq, rs);
    }
    struct yj_action_status st;
    const struct yj_action_facts *f = &rq->app->facts;
    yj_action_assess(f, cr.found ? &cr.now : NULL, yj_org_has_policy(&org), org.policy_url, &st);
    struct yj_json j;
    yj_api_begin(rs, &j, 200);
    yj_report_action_json(f, &st, org.policy_url, rq->lang, &j);
    yj_org_fini(&org);
    yj_company_result_fini(&cr);
}

void api_profile(struct yj_req *rq, struct yj_resp *rs)
{
    struct yj_org org;
    if (yj_org_load(rq->store, &org))
        return yj_web_db_error(rq, rs);
    struct yj_json j;
    yj_api_begin(rs, &j, 200);
    yj_json_obj(&j);
    for (int f = 0; f < YJ_ORG__COUNT; f++)
        yj_json_kstr(&j, yj_org_field_name((enum yj_org_field)f),
                     yj_org_get_field(&org, (enum yj_org_field)f));
    yj_json_end_obj(&j);
    yj_org_fini(&org);
}

void api_incidents(struct yj_req *rq, struct yj_resp *rs)
{
    struct yj_arena arena;
    yj_arena_init(&arena);
    struct yj_incident *v;
    size_t n;
    if (yj_incident_list(rq->store, &arena, &v, &n)) {
        yj_arena_fini(&arena);
        return yj_web_db_error(rq, rs);
    }
    struct yj_json j;
    yj_api_begin(rs, &j, 200);
    yj_json_arr(&j);
    for (size_t i = 0; i < n; i++) {
        /* The list has no timelines; load each record whole for its duties. */
        struct yj_incident x;
        bool found;
        if (yj_incident_get(rq->store, v[i].id, &arena, &x, &found) || !found) {
            yj_arena_fini(&arena);
            return yj_web_db_error(rq, rs);
        }
        yj_report_incident_json(&rq->app->respond, &x, rq->lang, &j);
    }
    yj_json_end_arr(&j);
    yj_arena_fini(&arena);
}

/* GET /api/v1/advice?type=..&discovered=..[&sector&personal_data&people&malicious&ongoing] */
void api_advice(struct yj_req *rq, struct yj_resp *rs)
{
    struct yj_case k;
    const char *problem = yj_form(rq, "discovered") ? web_case_from_form(rq, &k)
                                                    : "web.inc_bad_date";
    if (problem)
        return yj_api_error(rs, 400, yj_w(rq, problem));
    struct yj_advice a;
    yj_respond_advise(&rq->app->respond, &k, &a);
    struct yj_json j;
    yj_api_begin(rs, &j, 200);
    yj_report_advice_json(&rq->app->respond, &k, &a, rq->lang, &j);
}
