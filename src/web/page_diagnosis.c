/* The self-diagnosis in the browser: the 25 items grouped by part on one form, saved as the
 * user goes (every "save" stores the answers given so far in the department's draft; the
 * little script saves on each change), then the result with the report's charts, and the
 * history. Members answer for their own department; administrators choose one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "org/org.h"
#include "report/report.h"
#include "web_int.h"

static const char *department_of(struct yj_req *rq)
{
    if (rq->user.role < ROLE_ADMIN)
        return rq->user.department ? rq->user.department : "";
    const char *d = yj_form(rq, "department");
    return d ? d : "";
}

static void radio(struct yj_resp *rs, const struct yj_item *it, enum yj_answer a,
                  enum yj_answer cur, const char *label)
{
    yj_buf_printf(&rs->body,
                  "<label class=\"choice\"><input type=\"radio\" name=\"%s\" value=\"%s\"%s> ",
                  it->id, yj_answer_code(a), a == cur ? " checked" : "");
    yj_page_esc(rs, label);
    yj_buf_adds(&rs->body, "</label>");
}

static void render_form(struct yj_req *rq, struct yj_resp *rs, const char *dept,
                        const struct yj_answers *ans, const char *error)
{
    const struct yj_bank *b = &rq->app->bank;
    struct yj_buf *o = &rs->body;
    int answered = 0;
    for (int i = 0; i < YJ_ITEMS; i++)
        answered += ans->a[i] != YJ_ANS_NONE;
    yj_page_begin(rq, rs, "web.diag_title");
    if (error)
        yj_page_notice(rs, "error", error);
    if (rq->user.role >= ROLE_ADMIN) {
        yj_buf_adds(o, "<form method=\"get\" action=\"/diagnosis\" class=\"inline dept\"><label "
                       "for=\"f-dept\">");
        yj_page_esc(rs, yj_w(rq, "web.department"));
        yj_buf_adds(o, "</label> <input id=\"f-dept\" name=\"department\" maxlength=\"100\" value=\"");
        yj_page_esc(rs, dept);
        yj_buf_adds(o, "\" placeholder=\"");
        yj_page_esc(rs, yj_w(rq, "report.whole_company"));
        yj_buf_adds(o, "\"> <button type=\"submit\">");
        yj_page_esc(rs, yj_w(rq, "web.switch_department"));
        yj_buf_adds(o, "</button></form>");
    }
    yj_buf_adds(o, "<p>");
    yj_page_esc(rs, yj_w(rq, "web.diag_intro"));
    yj_buf_adds(o, "</p><p class=\"who-answers\">");
    yj_page_esc(rs, yj_w(rq, "web.department"));
    yj_buf_adds(o, ": <strong>");
    yj_page_esc(rs, yj_report_department(dept, rq->lang));
    yj_buf_adds(o, "</strong> / ");
    yj_page_esc(rs, yj_w(rq, "web.respondent"));
    yj_buf_adds(o, ": <strong>");
    yj_page_esc(rs, rq->user.name);
    yj_buf_printf(o, "</strong></p><p><label for=\"progress\">");
    yj_page_esc(rs, yj_w(rq, "web.progress"));
    yj_buf_printf(o, "</label> <progress id=\"progress\" max=\"%d\" value=\"%d\">%d/%d</progress> "
                     "<span id=\"progress-text\">%d/%d</span> <span id=\"save-state\" "
                     "aria-live=\"polite\"></span></p>",
                  YJ_ITEMS, answered, answered, YJ_ITEMS, answered, YJ_ITEMS);
    yj_buf_adds(o, "<form method=\"post\" action=\"/diagnosis\" id=\"diagnosis\">");
    yj_page_csrf(rq, rs);
    yj_buf_adds(o, "<input type=\"hidden\" name=\"department\" value=\"");
    yj_page_esc(rs, dept);
    yj_buf_adds(o, "\">");
    const char *labels[YJ_ANS__COUNT];
    for (int a = YJ_ANS_YES; a < YJ_ANS__COUNT; a++)
        labels[a] = yj_w(rq, yj_answer_key((enum yj_answer)a));
    for (int p = 0; p < YJ_PARTS; p++) {
        const struct yj_part *part = &b->parts[p];
        yj_buf_printf(o, "<section class=\"part\" aria-labelledby=\"part%d\"><h2 id=\"part%d\">%d. ",
                      p + 1, p + 1, p + 1);
        yj_page_esc(rs, yj_text_get(&part->title, rq->lang));
        yj_buf_adds(o, "</h2>");
        for (int i = part->first - 1; i < part->last; i++) {
            const struct yj_item *it = &b->items[i];
            yj_buf_printf(o, "<fieldset class=\"item%s\" id=\"%s\"><legend><span class=\"qid\">%s"
                             "</span> ",
                          ans->a[i] ? " done" : "", it->id, it->id);
            yj_page_esc(rs, yj_text_get(&it->question, rq->lang));
            yj_buf_adds(o, "</legend><p class=\"why\">");
            yj_page_esc(rs, yj_text_get(&it->why, rq->lang));
            yj_buf_adds(o, "</p><div class=\"choices\">");
            for (int a = YJ_ANS_YES; a < YJ_ANS__COUNT; a++)
                radio(rs, it, (enum yj_answer)a, ans->a[i], labels[a]);
            yj_buf_adds(o, "</div></fieldset>");
        }
        yj_buf_adds(o, "</section>");
    }
    yj_buf_adds(o, "<p class=\"actions\"><button type=\"submit\" name=\"action\" value=\"save\">");
    yj_page_esc(rs, yj_w(rq, "web.diag_save"));
    yj_buf_adds(o, "</button> <button type=\"submit\" name=\"action\" value=\"finish\" "
                   "class=\"primary\">");
    yj_page_esc(rs, yj_w(rq, "web.diag_finish"));
    yj_buf_adds(o, "</button></p></form>");
    yj_page_end(rq, rs);
}

void page_diagnosis(struct yj_req *rq, struct yj_resp *rs)
{
    const char *dept = department_of(rq);
    struct yj_diag d;
    yj_diag_init(&d);
    if (yj_assess_check_name(yj_w(rq, "diag.department"), dept, &d)) {
        yj_diag_fini(&d);
        return yj_page_error(rq, rs, 400, "web.bad_department");
    }
    yj_diag_fini(&d);
    struct yj_diagnosis draft;
    bool found;
    if (yj_assess_draft_find(rq->store, dept, &draft, &found))
        return yj_web_db_error(rq, rs);
    struct yj_answers none = {0};
    render_form(rq, rs, dept, found ? &draft.answers : &none, NULL);
    if (found)
        yj_diagnosis_fini(&draft);
}

void post_diagnosis(struct yj_req *rq, struct yj_resp *rs)
{
    const char *dept = department_of(rq);
    const char *action = yj_form(rq, "action");
    bool ajax = yj_form(rq, "ajax") != NULL;
    struct yj_diag d;
    yj_diag_init(&d);
    if (yj_assess_check_name(yj_w(rq, "diag.department"), dept, &d) ||
        yj_assess_check_name(yj_w(rq, "diag.respondent"), rq->user.name, &d)) {
        yj_diag_fini(&d);
        return yj_page_error(rq, rs, 400, "web.bad_department");
    }
    yj_diag_fini(&d);
    /* The answers on the form: each Qnn field, if present, must be a known answer code. */
    struct yj_answers given = {0};
    int last = -1;
    for (size_t f = 0; f < rq->nfields; f++) {
        const struct yj_field *fl = &rq->fields[f];
        if (fl->name[0] != 'Q')
            continue;
        int idx = yj_item_index(yj_str_c(fl->name));
        enum yj_answer a;
        if (idx < 0 || strlen(fl->name) != 3 || !yj_answer_parse(yj_str_c(fl->value), &a))
            return yj_page_error(rq, rs, 400, "web.bad_answer");
        given.a[idx] = a;
        if (idx > last)
            last = idx;
    }
    struct yj_diagnosis draft;
    bool found;
    if (yj_assess_draft_find(rq->store, dept, &draft, &found))
        return yj_web_db_error(rq, rs);
    if (!found) {
        int64_t id;
        if (yj_assess_draft_new(rq->store, &rq->app->bank, rq->user.name, dept, &id) ||
            yj_assess_draft_find(rq->store, dept, &draft, &found) || !found)
            return yj_web_db_error(rq, rs);
    }
    int64_t id = draft.id;
    if (yj_assess_draft_set(rq->store, id, &given, last + 1)) {
        yj_diagnosis_fini(&draft);
        return yj_web_db_error(rq, rs);
    }
    for (int i = 0; i < YJ_ITEMS; i++)
        if (given.a[i])
            draft.answers.a[i] = given.a[i];
    int answered = 0;
    for (int i = 0; i < YJ_ITEMS; i++)
        answered += draft.answers.a[i] != YJ_ANS_NONE;

    if (ajax) {
        struct yj_json j;
        yj_api_begin(rs, &j, 200);
        yj_json_obj(&j);
        yj_json_kint(&j, "answered", answered);
        yj_json_kint(&j, "items", YJ_ITEMS);
        yj_json_kstr(&j, "message", yj_w(rq, "web.msg_saved"));
        yj_json_end_obj(&j);
        yj_diagnosis_fini(&draft);
        return;
    }
    if (action && strcmp(action, "finish") == 0) {
        if (answered < YJ_ITEMS) {
            char *msg = NULL;
            if (asprintf(&msg, yj_w(rq, "web.diag_incomplete"), YJ_ITEMS - answered) < 0)
                yj_oom();
            rs->status = 400;
            render_form(rq, rs, dept, &draft.answers, msg);
            free(msg);
            yj_diagnosis_fini(&draft);
            return;
        }
        struct yj_result r;
        if (yj_assess_draft_finish(rq->store, &rq->app->bank, id, &r)) {
            yj_diagnosis_fini(&draft);
            return yj_web_db_error(rq, rs);
        }
        char loc[64];
        snprintf(loc, sizeof loc, "/diagnosis/result?id=%lld", (long long)id);
        yj_diagnosis_fini(&draft);
        return yj_resp_redirect(rs, yj_arena_strdup(&rq->arena, loc));
    }
    yj_diagnosis_fini(&draft);
    /* Back to the form, keeping the department, with the "saved" notice. */
    struct yj_buf loc;
    yj_buf_init(&loc, 1024);
    yj_buf_adds(&loc, "/diagnosis?msg=saved&department=");
    for (const unsigned char *p = (const unsigned char *)dept; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.')
            yj_buf_addc(&loc, (char)*p);
        else
            yj_buf_printf(&loc, "%%%02X", *p);
    }
    yj_resp_redirect(rs, yj_arena_strdup(&rq->arena, yj_buf_cstr(&loc)));
    yj_buf_fini(&loc);
}

void page_result(struct yj_req *rq, struct yj_resp *rs)
{
    const struct yj_bank *b = &rq->app->bank;
    const char *ids = yj_form(rq, "id");
    struct yj_org org;
    struct yj_diagnosis_list hist;
    if (yj_org_load(rq->store, &org))
        return yj_web_db_error(rq, rs);
    if (yj_assess_history(rq->store, &hist)) {
        yj_org_fini(&org);
        return yj_web_db_error(rq, rs);
    }
    char today[YJ_DATE_LEN];
    yj_time_local_date(yj_now(), today);
    struct yj_report_input in = {.bank = b, .history = &hist,
                                 .company = org.name ? org.name : "", .date = today,
                                 .lang = rq->lang};
    struct yj_result r, prev;
    struct yj_company_result cr = {0};
    struct yj_diagnosis x = {0};
    struct yj_diagnosis_list one = {&x, 1};
    long id = 0;
    if (ids) {
        if (!yj_str_to_long(yj_str_c(ids), &id) || id <= 0) {
            yj_page_error(rq, rs, 400, "web.bad_id");
            goto out;
        }
        bool found;
        if (yj_assess_get(rq->store, id, &x, &found)) {
            yj_web_db_error(rq, rs);
            goto out;
        }
        if (!found || x.status != YJ_DIAGNOSIS_DONE) {
            yj_page_error(rq, rs, 404, "web.no_such_diagnosis");
            goto out;
        }
        yj_assess_score(b, &x.answers, &r);
        in.result = &r;
        in.sources = &one;
        /* The department's diagnosis before this one, for the change. */
        for (size_t i = hist.n; i-- > 0;) {
            if (hist.v[i].id < x.id && strcmp(hist.v[i].department, x.department) == 0) {
                yj_assess_score(b, &hist.v[i].answers, &prev);
                in.prev = &prev;
                break;
            }
        }
    } else {
        if (yj_assess_company(rq->store, b, &cr)) {
            yj_web_db_error(rq, rs);
            goto out;
        }
        if (!cr.found) {
            yj_page_error(rq, rs, 404, "web.dash_no_diagnosis");
            goto out;
        }
        in.result = &cr.now;
        in.prev = cr.prev_found ? &cr.prev : NULL;
        in.combined = cr.combined;
        in.sources = &cr.sources;
    }
    yj_page_begin(rq, rs, ids ? "web.result_title" : "web.company_result_title");
    yj_report_html_body(&in, &rs->body);
    yj_page_end(rq, rs);
out:
    if (id > 0)
        yj_diagnosis_fini(&x);
    yj_company_result_fini(&cr);
    yj_diagnosis_list_fini(&hist);
    yj_org_fini(&org);
}

void page_history(struct yj_req *rq, struct yj_resp *rs)
{
    struct yj_diagnosis_list hist;
    if (yj_assess_history(rq->store, &hist))
        return yj_web_db_error(rq, rs);
    yj_page_begin(rq, rs, "web.history_title");
    struct yj_buf *o = &rs->body;
    if (hist.n == 0) {
        yj_buf_adds(o, "<p>");
        yj_page_esc(rs, yj_w(rq, "web.dash_no_diagnosis"));
        yj_buf_adds(o, "</p>");
    } else {
        yj_buf_adds(o, "<p><a href=\"/diagnosis/result\">");
        yj_page_esc(rs, yj_w(rq, "web.company_result_title"));
        yj_buf_adds(o, "</a></p><table class=\"list\"><thead><tr>");
        static const char *const cols[] = {"report.date", "web.department", "web.respondent",
                                           "report.col_points", "web.band", ""};
        for (int c = 0; cols[c][0]; c++) {
            yj_buf_adds(o, "<th scope=\"col\">");
            yj_page_esc(rs, yj_w(rq, cols[c]));
            yj_buf_adds(o, "</th>");
        }
        yj_buf_adds(o, "<th></th></tr></thead><tbody>");
        for (size_t i = hist.n; i-- > 0;) {
            const struct yj_diagnosis *x = &hist.v[i];
            struct yj_result r;
            yj_assess_score(&rq->app->bank, &x->answers, &r);
            char day[YJ_DATE_LEN] = "";
            int64_t t;
            if (x->finished_at && yj_time_parse_iso(x->finished_at, &t))
                yj_time_local_date(t, day);
            yj_buf_printf(o, "<tr><td>%s</td><td>", day);
            yj_page_esc(rs, yj_report_department(x->department, rq->lang));
            yj_buf_adds(o, "</td><td>");
            yj_page_esc(rs, x->respondent);
            yj_buf_printf(o, "</td><td class=\"num\">%d</td><td>", x->total);
            struct yj_buf t2;
            yj_buf_init(&t2, 128);
            yj_report_band_range(r.band, rq->lang, &t2);
            yj_page_esc(rs, yj_buf_cstr(&t2));
            yj_buf_fini(&t2);
            yj_buf_printf(o, "</td><td><a href=\"/diagnosis/result?id=%lld\">", (long long)x->id);
            yj_page_esc(rs, yj_w(rq, "web.open"));
            yj_buf_adds(o, "</a></td></tr>");
        }
        yj_buf_adds(o, "</tbody></table>");
    }
    yj_page_end(rq, rs);
    yj_diagnosis_list_fini(&hist);
}
