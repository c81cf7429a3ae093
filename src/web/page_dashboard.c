/* The dashboard: where the company stands (score and band), SECURITY ACTION, and the three
 * most useful next steps, each a link to where it is done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "org/org.h"
#include "report/report.h"
#include "web_int.h"

struct step {
    const char *text; /* already in the page's language */
    const char *href;
};

static void band_range(struct yj_req *rq, const struct yj_band *b, struct yj_resp *rs)
{
    struct yj_buf t;
    yj_buf_init(&t, 128);
    yj_report_band_range(b, rq->lang, &t);
    yj_page_esc(rs, yj_buf_cstr(&t));
    yj_buf_fini(&t);
}

void page_dashboard(struct yj_req *rq, struct yj_resp *rs)
{
    const struct yj_bank *b = &rq->app->bank;
    struct yj_company_result cr;
    struct yj_org org;
    if (yj_assess_company(rq->store, b, &cr))
        return yj_web_db_error(rq, rs);
    if (yj_org_load(rq->store, &org)) {
        yj_company_result_fini(&cr);
        return yj_web_db_error(rq, rs);
    }
    struct yj_action_status act;
    yj_action_assess(&rq->app->facts, cr.found ? &cr.now : NULL, yj_org_has_policy(&org), org.policy_url,
                     &act);

    yj_page_begin(rq, rs, "web.dash_title");
    struct yj_buf *o = &rs->body;
    if (org.name && *org.name) {
        yj_buf_adds(o, "<p class=\"company\">");
        yj_page_esc(rs, org.name);
        yj_buf_adds(o, "</p>");
    }
    yj_buf_adds(o, "<div class=\"cards\">");
    /* Score */
    yj_buf_adds(o, "<section class=\"card\" aria-labelledby=\"c-score\"><h2 id=\"c-score\">");
    yj_page_esc(rs, yj_w(rq, "web.dash_score"));
    yj_buf_adds(o, "</h2>");
    if (cr.found) {
        const struct yj_result *r = &cr.now;
        yj_buf_printf(o, "<p class=\"big\" data-total=\"%d\">%d<small> / %d</small></p><p "
                         "class=\"band\">",
                      r->total, r->total, 4 * YJ_ITEMS);
        band_range(rq, r->band, rs);
        if (r->band) {
            yj_buf_adds(o, ": ");
            yj_page_esc(rs, yj_text_get(&r->band->summary, rq->lang));
        }
        yj_buf_adds(o, "</p>");
        if (cr.prev_found) {
            yj_buf_adds(o, "<p>");
            char *t = NULL;
            if (asprintf(&t, yj_w(rq, "report.change"), cr.prev.total, r->total,
                         r->total - cr.prev.total) < 0)
                yj_oom();
            yj_page_esc(rs, t);
            free(t);
            yj_buf_adds(o, "</p>");
        }
        yj_buf_adds(o, "<p><a href=\"/diagnosis/result\">");
        yj_page_esc(rs, yj_w(rq, "web.see_result"));
        yj_buf_adds(o, "</a></p>");
    } else {
        yj_buf_adds(o, "<p>");
        yj_page_esc(rs, yj_w(rq, "web.dash_no_diagnosis"));
        yj_buf_adds(o, "</p>");
    }
    yj_buf_adds(o, "</section>");
    /* SECURITY ACTION */
    yj_buf_adds(o, "<section class=\"card\" aria-labelledby=\"c-sa\"><h2 id=\"c-sa\">SECURITY "
                   "ACTION</h2><ul class=\"plain\">");
    yj_buf_printf(o, "<li>%s ", act.one_star ? "&#10003;" : "&#9675;");
    yj_page_esc(rs, yj_w(rq, "action.one_star"));
    yj_buf_adds(o, " ");
    yj_page_esc(rs, yj_w(rq, act.one_star ? "action.ready" : "action.not_ready"));
    yj_buf_printf(o, "</li><li>%s ", act.two_star ? "&#10003;" : "&#9675;");
    yj_page_esc(rs, yj_w(rq, "action.two_star"));
    yj_buf_adds(o, " ");
    yj_page_esc(rs, yj_w(rq, act.two_star ? "action.ready" : "action.not_ready"));
    yj_buf_adds(o, "</li></ul><p><a href=\"/action\">");
    yj_page_esc(rs, yj_w(rq, "web.see_action"));
    yj_buf_adds(o, "</a></p></section>");
    /* Incidents: open ones and the most urgent duty. */
    struct yj_pending pend;
    if (yj_incident_pending(rq->store, &pend) == YJ_ERR_OK) {
        yj_buf_adds(o, "<section class=\"card\" aria-labelledby=\"c-inc\"><h2 id=\"c-inc\">");
        yj_page_esc(rs, yj_w(rq, "web.dash_incidents"));
        yj_buf_adds(o, "</h2><p>");
        char *t = NULL;
        if (asprintf(&t, yj_w(rq, "web.dash_open"), (long long)pend.open) < 0)
            yj_oom();
        yj_page_esc(rs, t);
        free(t);
        yj_buf_adds(o, "</p>");
        if (pend.has_next) {
            yj_buf_printf(o, "<p class=\"band\"><a href=\"/incidents/show?id=%lld\">",
                          (long long)pend.incident);
            if (asprintf(&t, yj_w(rq, "web.dash_next_duty"),
                         yj_report_duty_name(&rq->app->respond, pend.duty, rq->lang),
                         pend.due_by[0] ? pend.due_by : yj_w(rq, "incident.promptly")) < 0)
                yj_oom();
            yj_page_esc(rs, t);
            free(t);
            yj_buf_adds(o, "</a></p>");
        }
        yj_buf_adds(o, "<p><a href=\"/incidents/advise\">");
        yj_page_esc(rs, yj_w(rq, "web.dash_something_happened"));
        yj_buf_adds(o, "</a></p></section>");
    }
    web_alerts_card(rq, rs);
    yj_buf_adds(o, "</div>");

    /* Next steps: most useful first, three at most. */
    struct step steps[8];
    int n = 0;
    char *texts[8] = {NULL};
    if (!cr.found)
        steps[n++] = (struct step){yj_w(rq, "web.step_diagnose"), "/diagnosis"};
    if (cr.found && cr.now.nunknown) {
        if (asprintf(&texts[n], yj_w(rq, "web.step_unknown"), (int)cr.now.nunknown) < 0)
            yj_oom();
        steps[n] = (struct step){texts[n], "/diagnosis/result"};
        n++;
    }
    for (size_t i = 0; cr.found && i < cr.now.nweak && n < 3; i++) {
        int idx = cr.now.weak[i];
        if (cr.now.answers.a[idx] == YJ_ANS_UNKNOWN)
            continue;
        if (asprintf(&texts[n], "%s: %s", b->items[idx].id,
                     yj_text_get(&b->items[idx].advice, rq->lang)) < 0)
            yj_oom();
        steps[n] = (struct step){texts[n], "/diagnosis/result"};
        n++;
    }
    if (n < 3 && !act.policy_published)
        steps[n++] = (struct step){yj_w(rq, "web.step_policy"), "/action"};
    if (n < 3 && (!org.name || !*org.name || !org.industry || !*org.industry))
        steps[n++] = (struct step){yj_w(rq, "web.step_profile"), "/settings"};
    if (n < 3 && cr.found)
        steps[n++] = (struct step){yj_w(rq, "web.step_repeat"), "/diagnosis"};
    yj_buf_adds(o, "<section aria-labelledby=\"c-next\"><h2 id=\"c-next\">");
    yj_page_esc(rs, yj_w(rq, "web.dash_next"));
    yj_buf_adds(o, "</h2><ol class=\"steps\">");
    for (int i = 0; i < n && i < 3; i++) {
        yj_buf_printf(o, "<li><a href=\"%s\">", steps[i].href);
        yj_page_esc(rs, steps[i].text);
        yj_buf_adds(o, "</a></li>");
    }
    yj_buf_adds(o, "</ol></section>");
    for (int i = 0; i < 8; i++)
        free(texts[i]);
    yj_page_end(rq, rs);
    yj_org_fini(&org);
    yj_company_result_fini(&cr);
}
