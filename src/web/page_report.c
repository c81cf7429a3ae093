/* SECURITY ACTION readiness and the report: on screen, as the standalone printable file,
 * and as a download. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "org/org.h"
#include "report/report.h"
#include "web_int.h"

static void check_item(struct yj_resp *rs, bool ok, const char *text)
{
    yj_buf_printf(&rs->body, "<li class=\"%s\"><span aria-hidden=\"true\">%s</span> ",
                  ok ? "ok" : "todo", ok ? "&#10003;" : "&#9675;");
    yj_page_esc(rs, text);
    yj_buf_adds(&rs->body, "</li>");
}

void page_action(struct yj_req *rq, struct yj_resp *rs)
{
    const struct yj_action_facts *f = &rq->app->facts;
    struct yj_company_result cr;
    struct yj_org org;
    if (yj_assess_company(rq->store, &rq->app->bank, &cr))
        return yj_web_db_error(rq, rs);
    if (yj_org_load(rq->store, &org)) {
        yj_company_result_fini(&cr);
        return yj_web_db_error(rq, rs);
    }
    struct yj_action_status st;
    yj_action_assess(f, cr.found ? &cr.now : NULL, yj_org_has_policy(&org), org.policy_url, &st);
    struct yj_buf *o = &rs->body;
    yj_page_begin(rq, rs, "web.action_title");
    yj_buf_adds(o, "<p class=\"note\">");
    yj_page_esc(rs, yj_w(rq, "action.declaration"));
    yj_buf_adds(o, "</p><section><h2>");
    yj_page_esc(rs, yj_w(rq, "action.one_star"));
    yj_buf_adds(o, " ");
    yj_page_esc(rs, yj_w(rq, st.one_star ? "action.ready" : "action.not_ready"));
    yj_buf_adds(o, "</h2>");
    if (!st.have_diagnosis) {
        yj_buf_adds(o, "<p>");
        yj_page_esc(rs, yj_w(rq, "action.no_diagnosis"));
        yj_buf_adds(o, "</p>");
    }
    yj_buf_adds(o, "<ul class=\"checks\">");
    for (int i = 0; i < YJ_PRINCIPLES; i++) {
        char *t = NULL;
        if (asprintf(&t, "%d. %s (Q%02d: %s)", f->p[i].num, yj_text_get(&f->p[i].title, rq->lang),
                     f->p[i].item + 1, yj_w(rq, yj_answer_key(st.principle_answer[i]))) < 0)
            yj_oom();
        check_item(rs, st.principle_ok[i], t);
        free(t);
    }
    yj_buf_adds(o, "</ul>");
    if (st.have_diagnosis && !st.one_star) {
        yj_buf_adds(o, "<p>");
        yj_page_esc(rs, yj_w(rq, "action.one_star_todo"));
        yj_buf_adds(o, "</p>");
    }
    yj_buf_adds(o, "</section><section><h2>");
    yj_page_esc(rs, yj_w(rq, "action.two_star"));
    yj_buf_adds(o, " ");
    yj_page_esc(rs, yj_w(rq, st.two_star ? "action.ready" : "action.not_ready"));
    yj_buf_adds(o, "</h2><ul class=\"checks\">");
    check_item(rs, st.have_diagnosis, yj_w(rq, "action.req_diagnosis"));
    check_item(rs, st.have_policy, yj_w(rq, "action.req_policy"));
    check_item(rs, st.policy_published, yj_w(rq, "action.req_published"));
    yj_buf_adds(o, "</ul>");
    if (st.policy_published) {
        yj_buf_adds(o, "<p>");
        yj_page_esc(rs, org.policy_url);
        yj_buf_adds(o, "</p>");
    } else {
        yj_buf_adds(o, "<p>");
        yj_page_esc(rs, yj_w(rq, "web.action_policy_hint"));
        yj_buf_adds(o, "</p>");
    }
    yj_buf_adds(o, "</section><p>");
    yj_page_esc(rs, yj_w(rq, "action.prepare"));
    yj_buf_adds(o, "</p><p class=\"source\">");
    yj_page_esc(rs, yj_w(rq, "report.source"));
    yj_buf_adds(o, " ");
    yj_page_esc(rs, f->source);
    yj_buf_adds(o, " (");
    yj_page_esc(rs, yj_w(rq, "report.as_of"));
    yj_buf_adds(o, " ");
    yj_page_esc(rs, f->as_of);
    yj_buf_adds(o, ")</p>");
    yj_page_end(rq, rs);
    yj_org_fini(&org);
    yj_company_result_fini(&cr);
}

/* Fills in for the company result; false (and a response) when there is nothing. */
struct report_data {
    struct yj_company_result cr;
    struct yj_org org;
    struct yj_diagnosis_list hist;
    char today[YJ_DATE_LEN];
    struct yj_report_input in;
};

static bool report_load(struct yj_req *rq, struct yj_resp *rs, struct report_data *r)
{
    memset(r, 0, sizeof *r);
    if (yj_assess_company(rq->store, &rq->app->bank, &r->cr) || yj_org_load(rq->store, &r->org) ||
        yj_assess_history(rq->store, &r->hist)) {
        yj_web_db_error(rq, rs);
        return false;
    }
    if (!r->cr.found) {
        yj_page_error(rq, rs, 404, "web.dash_no_diagnosis");
        return false;
    }
    yj_time_local_date(yj_now(), r->today);
    r->in = (struct yj_report_input){
        .bank = &rq->app->bank, .result = &r->cr.now,
        .prev = r->cr.prev_found ? &r->cr.prev : NULL, .combined = r->cr.combined,
        .sources = &r->cr.sources, .history = &r->hist,
        .company = r->org.name ? r->org.name : "", .date = r->today, .lang = rq->lang};
    return true;
}

static void report_free(struct report_data *r)
{
    yj_company_result_fini(&r->cr);
    yj_org_fini(&r->org);
    yj_diagnosis_list_fini(&r->hist);
}

void page_report(struct yj_req *rq, struct yj_resp *rs)
{
    struct report_data r;
    if (report_load(rq, rs, &r)) {
        yj_page_begin(rq, rs, "web.report_title");
        yj_buf_adds(&rs->body, "<p class=\"actions\"><a class=\"button\" href=\"/report/print\">");
        yj_page_esc(rs, yj_w(rq, "web.report_print"));
        yj_buf_adds(&rs->body, "</a> <a class=\"button\" href=\"/report/download\">");
        yj_page_esc(rs, yj_w(rq, "web.report_download"));
        yj_buf_adds(&rs->body, "</a></p>");
        yj_report_html_body(&r.in, &rs->body);
        yj_page_end(rq, rs);
    }
    report_free(&r);
}

/* The standalone file: its own inline stylesheet and no script at all. */
static const char report_csp[] =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'";

void page_report_print(struct yj_req *rq, struct yj_resp *rs)
{
    struct report_data r;
    if (report_load(rq, rs, &r)) {
        rs->content_type = "text/html; charset=utf-8";
        rs->csp = report_csp;
        yj_report_html(&r.in, &rs->body);
    }
    report_free(&r);
}

void page_report_download(struct yj_req *rq, struct yj_resp *rs)
{
    struct report_data r;
    if (report_load(rq, rs, &r)) {
        rs->content_type = "text/html; charset=utf-8";
        rs->csp = report_csp;
        yj_report_html(&r.in, &rs->body);
        char *cd = NULL;
        if (asprintf(&cd, "attachment; filename=\"yojin-report-%s.html\"", r.today) < 0)
            yj_oom();
        yj_resp_header(rs, "Content-Disposition", yj_arena_strdup(&rq->arena, cd));
        free(cd);
    }
    report_free(&r);
}
