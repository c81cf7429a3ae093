/* Respond in the console: the advice for a case (a GET form, nothing stored), incident
 * records (list, new, timeline, contacts made, duties done, close), their report, and the
 * desks to call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "org/org.h"
#include "report/report.h"
#include "web_int.h"

static void esc(struct yj_resp *rs, const char *s)
{
    yj_page_esc(rs, s);
}

static void today(struct yj_date *d)
{
    char day[YJ_DATE_LEN];
    yj_time_local_date(yj_now(), day);
    if (!yj_date_parse(day, d))
        *d = (struct yj_date){1970, 1, 1};
}

/* A checkbox or query flag: present and neither empty nor "0". */
static bool flag(const char *v)
{
    return v && *v && strcmp(v, "0") != 0;
}

const char *web_case_from_form(struct yj_req *rq, struct yj_case *k)
{
    memset(k, 0, sizeof *k);
    k->people = -1;
    today(&k->discovered);
    int t = yj_itype_parse(yj_form(rq, "type"));
    if (t < 0)
        return "web.inc_bad_type";
    k->type = (enum yj_itype)t;
    const char *d = yj_form(rq, "discovered");
    struct yj_date now = k->discovered;
    if (d && *d && (!yj_date_parse(d, &k->discovered) ||
                    yj_date_to_days(k->discovered) > yj_date_to_days(now)))
        return "web.inc_bad_date";
    const char *v = yj_form(rq, "sector");
    int s = v && *v ? yj_sector_parse(v) : YJ_SECTOR_OTHER;
    v = yj_form(rq, "personal_data");
    int p = v && *v ? yj_pd_parse(v) : YJ_PD_NONE;
    if (s < 0 || p < 0)
        return "web.bad_form";
    k->sector = (enum yj_sector)s;
    k->personal_data = (enum yj_pd)p;
    v = yj_form(rq, "people");
    long n;
    if (v && *v) {
        if (!yj_str_to_long(yj_str_c(v), &n) || n < 0 || n > 1000000000L)
            return "web.inc_bad_people";
        k->people = n;
    }
    k->malicious = flag(yj_form(rq, "malicious"));
    k->ongoing = flag(yj_form(rq, "ongoing"));
    return NULL;
}

static void select_field(struct yj_req *rq, struct yj_resp *rs, const char *name,
                         const char *label_id, const char *const *codes, const char *const *labels,
                         size_t n, const char *cur)
{
    yj_buf_printf(&rs->body, "<p class=\"field\"><label for=\"f-%s\">", name);
    esc(rs, yj_w(rq, label_id));
    yj_buf_printf(&rs->body, "</label><select id=\"f-%s\" name=\"%s\">", name, name);
    for (size_t i = 0; i < n; i++) {
        yj_buf_printf(&rs->body, "<option value=\"%s\"%s>", codes[i],
                      cur && strcmp(cur, codes[i]) == 0 ? " selected" : "");
        esc(rs, labels[i]);
        yj_buf_adds(&rs->body, "</option>");
    }
    yj_buf_adds(&rs->body, "</select></p>");
}

/* The case form: GET to /incidents/advise (advice only) or POST to /incidents (a record). */
static void case_form(struct yj_req *rq, struct yj_resp *rs, bool store)
{
    const struct yj_respond_data *r = &rq->app->respond;
    struct yj_buf *o = &rs->body;
    const char *codes[YJ_IT__COUNT], *labels[YJ_IT__COUNT];
    for (int t = 0; t < YJ_IT__COUNT; t++) {
        codes[t] = yj_itype_code((enum yj_itype)t);
        labels[t] = yj_text_get(&r->playbooks[t].title, rq->lang);
    }
    if (store) {
        yj_buf_adds(o, "<form method=\"post\" action=\"/incidents\">");
        yj_page_csrf(rq, rs);
    } else {
        yj_buf_adds(o, "<form method=\"get\" action=\"/incidents/advise\">");
    }
    select_field(rq, rs, "type", "web.inc_type", codes, labels, YJ_IT__COUNT, yj_form(rq, "type"));
    char day[YJ_DATE_LEN];
    yj_time_local_date(yj_now(), day);
    const char *d = yj_form(rq, "discovered");
    yj_buf_adds(o, "<p class=\"field\"><label for=\"f-discovered\">");
    esc(rs, yj_w(rq, "web.inc_discovered"));
    yj_buf_adds(o, "</label><input id=\"f-discovered\" name=\"discovered\" type=\"date\" value=\"");
    esc(rs, d && *d ? d : day);
    yj_buf_adds(o, "\"></p>");
    const char *pd_codes[] = {"none", "ordinary", "sensitive", "financial"};
    const char *pd_labels[] = {yj_w(rq, "incident.pd_none"), yj_w(rq, "incident.pd_ordinary"),
                               yj_w(rq, "incident.pd_sensitive"), yj_w(rq, "incident.pd_financial")};
    select_field(rq, rs, "personal_data", "incident.personal_data", pd_codes, pd_labels, 4,
                 yj_form(rq, "personal_data"));
    const char *people = yj_form(rq, "people");
    yj_buf_adds(o, "<p class=\"field\"><label for=\"f-people\">");
    esc(rs, yj_w(rq, "web.inc_people"));
    yj_buf_adds(o, "</label><input id=\"f-people\" name=\"people\" inputmode=\"numeric\" value=\"");
    esc(rs, people ? people : "");
    yj_buf_adds(o, "\"></p>");
    const char *sec_codes[] = {"other", "medical", "telecom"};
    const char *sec_labels[] = {yj_w(rq, "web.inc_sector_other"), yj_w(rq, "web.inc_sector_medical"),
                                yj_w(rq, "web.inc_sector_telecom")};
    select_field(rq, rs, "sector", "web.inc_sector", sec_codes, sec_labels, 3, yj_form(rq, "sector"));
    yj_buf_printf(o, "<p><label><input type=\"checkbox\" name=\"malicious\" value=\"1\"%s> ",
                  yj_form(rq, "malicious") ? " checked" : "");
    esc(rs, yj_w(rq, "web.inc_malicious"));
    yj_buf_printf(o, "</label></p><p><label><input type=\"checkbox\" name=\"ongoing\" value=\"1\"%s> ",
                  yj_form(rq, "ongoing") ? " checked" : "");
    esc(rs, yj_w(rq, "web.inc_ongoing"));
    yj_buf_adds(o, "</label></p>");
    if (store) {
        yj_buf_adds(o, "<p class=\"field\"><label for=\"f-title\">");
        esc(rs, yj_w(rq, "web.inc_title"));
        yj_buf_adds(o, "</label><input id=\"f-title\" name=\"title\" maxlength=\"500\"></p>");
    }
    yj_buf_adds(o, "<p><button type=\"submit\" class=\"primary\">");
    esc(rs, yj_w(rq, store ? "web.inc_create" : "web.inc_advise"));
    yj_buf_adds(o, "</button></p></form>");
}

static void advice_html(struct yj_req *rq, struct yj_resp *rs, const struct yj_case *k,
                        const struct yj_advice *a)
{
    const struct yj_respond_data *r = &rq->app->respond;
    struct yj_buf *o = &rs->body;
    enum yj_lang l = rq->lang;
    yj_buf_adds(o, "<section class=\"advice\"><h2>");
    esc(rs, yj_text_get(&a->pb->title, l));
    yj_buf_adds(o, "</h2><p>");
    esc(rs, yj_text_get(&a->pb->summary, l));
    yj_buf_adds(o, "</p>");
    if (k->ongoing)
        yj_page_notice(rs, "error", yj_w(rq, "incident.ongoing_note"));
    yj_buf_adds(o, "<h3>");
    esc(rs, yj_w(rq, "incident.steps"));
    yj_buf_adds(o, "</h3><ol>");
    for (size_t i = 0; i < a->pb->nsteps; i++) {
        yj_buf_adds(o, "<li>");
        esc(rs, yj_text_get(&a->pb->steps[i], l));
        yj_buf_adds(o, "</li>");
    }
    yj_buf_adds(o, "</ol><h3>");
    esc(rs, yj_w(rq, "incident.contacts"));
    yj_buf_adds(o, "</h3><ol>");
    for (size_t i = 0; i < a->ncontacts; i++) {
        const struct yj_contact *c = a->contacts[i].contact;
        yj_buf_adds(o, "<li><strong>");
        esc(rs, yj_text_get(&c->name, l));
        yj_buf_adds(o, "</strong>");
        if (c->phone) {
            yj_buf_adds(o, "<br>");
            esc(rs, yj_w(rq, "contacts.phone"));
            yj_buf_adds(o, " <a href=\"tel:");
            esc(rs, c->phone);
            yj_buf_adds(o, "\">");
            esc(rs, c->phone);
            yj_buf_adds(o, "</a>");
            if (c->hours.v[0]) {
                yj_buf_adds(o, " ");
                esc(rs, yj_text_get(&c->hours, l));
            }
        }
        if (c->email) {
            yj_buf_adds(o, "<br>");
            esc(rs, yj_w(rq, "contacts.email"));
            yj_buf_adds(o, " ");
            esc(rs, c->email);
        }
        if (c->url) {
            yj_buf_adds(o, "<br><a href=\"");
            esc(rs, c->url);
            yj_buf_adds(o, "\" rel=\"noreferrer noopener\">");
            esc(rs, c->url);
            yj_buf_adds(o, "</a>");
        }
        yj_buf_adds(o, "<br>");
        esc(rs, yj_w(rq, "incident.why"));
        yj_buf_adds(o, " ");
        esc(rs, yj_text_get(a->contacts[i].why, l));
        if (a->contacts[i].tell) {
            yj_buf_adds(o, "<br>");
            esc(rs, yj_w(rq, "incident.tell"));
            yj_buf_adds(o, " ");
            esc(rs, yj_text_get(a->contacts[i].tell, l));
        }
        yj_buf_adds(o, "</li>");
    }
    yj_buf_adds(o, "</ol><h3>");
    char day[YJ_DATE_LEN];
    yj_date_fmt(k->discovered, day);
    char *head = NULL;
    if (asprintf(&head, yj_w(rq, "incident.duties_head"), day) < 0)
        yj_oom();
    esc(rs, head);
    free(head);
    yj_buf_adds(o, "</h3>");
    if (a->nduties == 0) {
        yj_buf_adds(o, "<p>");
        esc(rs, yj_w(rq, "respond.no_duty"));
        yj_buf_adds(o, "</p>");
    }
    yj_buf_adds(o, "<ul class=\"duties\">");
    for (size_t i = 0; i < a->nduties; i++) {
        const struct yj_duty *d = &a->duties[i];
        char from[YJ_DATE_LEN], by[YJ_DATE_LEN];
        yj_date_fmt(d->due_from, from);
        yj_date_fmt(d->due_by, by);
        yj_buf_adds(o, "<li><strong>");
        esc(rs, yj_text_get(&d->rule->authority, l));
        yj_buf_adds(o, "</strong> — ");
        if (d->has_from && d->has_by)
            yj_buf_printf(o, "<time>%s</time> 〜 <time>%s</time>", from, by);
        else if (d->has_by)
            yj_buf_printf(o, "<time>%s</time>", by);
        else
            esc(rs, yj_w(rq, "incident.promptly"));
        yj_buf_adds(o, "<br>");
        esc(rs, yj_text_get(&d->rule->what, l));
        yj_buf_adds(o, "<br><small>");
        esc(rs, yj_w(rq, "incident.basis"));
        yj_buf_adds(o, " ");
        esc(rs, yj_text_get(&d->rule->basis, l));
        yj_buf_adds(o, "</small>");
        const struct yj_item_list *items = d->rule->needs ? yj_item_list_find(r, d->rule->needs)
                                                          : NULL;
        if (items) {
            yj_buf_adds(o, "<details><summary>");
            esc(rs, yj_w(rq, "incident.report_needs"));
            yj_buf_adds(o, "</summary><ol>");
            for (size_t n = 0; n < items->n; n++) {
                yj_buf_adds(o, "<li>");
                esc(rs, yj_text_get(&items->v[n], l));
                yj_buf_adds(o, "</li>");
            }
            yj_buf_adds(o, "</ol></details>");
        }
        yj_buf_adds(o, "</li>");
    }
    for (size_t i = 0; i < a->nnot_applicable; i++) {
        struct yj_buf why;
        yj_buf_init(&why, 4096);
        yj_report_not_applicable(a->not_applicable[i], k, l, &why);
        yj_buf_adds(o, "<li>");
        esc(rs, yj_buf_cstr(&why));
        yj_buf_adds(o, "</li>");
        yj_buf_fini(&why);
    }
    yj_buf_adds(o, "</ul>");
    if (a->pb->nrecord) {
        yj_buf_adds(o, "<h3>");
        esc(rs, yj_w(rq, "incident.record"));
        yj_buf_adds(o, "</h3><ul>");
        for (size_t i = 0; i < a->pb->nrecord; i++) {
            yj_buf_adds(o, "<li>");
            esc(rs, yj_text_get(&a->pb->record[i], l));
            yj_buf_adds(o, "</li>");
        }
        yj_buf_adds(o, "</ul>");
    }
    yj_buf_adds(o, "<p class=\"note\">");
    esc(rs, yj_w(rq, "contacts.emergency"));
    yj_buf_adds(o, "</p></section>");
}

void page_advise(struct yj_req *rq, struct yj_resp *rs)
{
    yj_page_begin(rq, rs, "web.advise_title");
    struct yj_case k;
    const char *problem = yj_form(rq, "type") ? web_case_from_form(rq, &k) : NULL;
    if (problem) {
        rs->status = 400;
        yj_page_notice(rs, "error", yj_w(rq, problem));
    }
    yj_buf_adds(&rs->body, "<p>");
    esc(rs, yj_w(rq, "web.advise_intro"));
    yj_buf_adds(&rs->body, "</p>");
    case_form(rq, rs, false);
    if (yj_form(rq, "type") && !problem) {
        struct yj_advice a;
        yj_respond_advise(&rq->app->respond, &k, &a);
        advice_html(rq, rs, &k, &a);
    }
    yj_page_end(rq, rs);
}

void page_incidents(struct yj_req *rq, struct yj_resp *rs)
{
    struct yj_arena arena;
    yj_arena_init(&arena);
    struct yj_incident *v;
    size_t n;
    if (yj_incident_list(rq->store, &arena, &v, &n)) {
        yj_arena_fini(&arena);
        return yj_web_db_error(rq, rs);
    }
    const struct yj_respond_data *r = &rq->app->respond;
    struct yj_buf *o = &rs->body;
    yj_page_begin(rq, rs, "web.incidents_title");
    yj_buf_adds(o, "<p><a class=\"button\" href=\"/incidents/advise\">");
    esc(rs, yj_w(rq, "web.advise_title"));
    yj_buf_adds(o, "</a></p>");
    if (n == 0) {
        yj_buf_adds(o, "<p>");
        esc(rs, yj_w(rq, "incident.none"));
        yj_buf_adds(o, "</p>");
    } else {
        yj_buf_adds(o, "<table class=\"list\"><thead><tr>");
        static const char *const cols[] = {"incident.id", "incident.discovered", "incident.type",
                                           "web.inc_title", "incident.status", NULL};
        for (int c = 0; cols[c]; c++) {
            yj_buf_adds(o, "<th scope=\"col\">");
            esc(rs, yj_w(rq, cols[c]));
            yj_buf_adds(o, "</th>");
        }
        yj_buf_adds(o, "</tr></thead><tbody>");
        for (size_t i = 0; i < n; i++) {
            char day[YJ_DATE_LEN];
            yj_date_fmt(v[i].c.discovered, day);
            yj_buf_printf(o, "<tr><td><a href=\"/incidents/show?id=%lld\">#%lld</a></td><td>%s</td><td>",
                          (long long)v[i].id, (long long)v[i].id, day);
            esc(rs, yj_text_get(&r->playbooks[v[i].c.type].title, rq->lang));
            yj_buf_adds(o, "</td><td>");
            esc(rs, v[i].title);
            yj_buf_adds(o, "</td><td>");
            esc(rs, yj_w(rq, strcmp(v[i].status, "open") == 0 ? "incident.open" : "incident.closed"));
            yj_buf_adds(o, "</td></tr>");
        }
        yj_buf_adds(o, "</tbody></table>");
    }
    if (rq->user.role >= ROLE_MEMBER) {
        yj_buf_adds(o, "<h2>");
        esc(rs, yj_w(rq, "web.inc_new"));
        yj_buf_adds(o, "</h2>");
        case_form(rq, rs, true);
    }
    yj_page_end(rq, rs);
    yj_arena_fini(&arena);
}

static const char *check_title(struct yj_req *rq, const char *s, size_t max)
{
    struct yj_diag d;
    yj_diag_init(&d);
    bool bad = yj_incident_check_text(yj_w(rq, "web.inc_title"), s, max, &d) != YJ_ERR_OK;
    yj_diag_fini(&d);
    return bad ? "web.inc_bad_text" : NULL;
}

void post_incident(struct yj_req *rq, struct yj_resp *rs)
{
    struct yj_case k;
    const char *problem = web_case_from_form(rq, &k);
    const char *title = yj_form(rq, "title");
    if (!problem)
        problem = check_title(rq, title, 500);
    if (problem)
        return yj_page_error(rq, rs, 400, problem);
    struct yj_advice a;
    yj_respond_advise(&rq->app->respond, &k, &a);
    int64_t id;
    if (yj_incident_create(rq->store, &k, title, rq->user.name, &a, &id))
        return yj_web_db_error(rq, rs);
    char loc[64];
    snprintf(loc, sizeof loc, "/incidents/show?id=%lld", (long long)id);
    yj_resp_redirect(rs, yj_arena_strdup(&rq->arena, loc));
}

static bool form_id(struct yj_req *rq, long *id)
{
    const char *v = yj_form(rq, "id");
    return v && yj_str_to_long(yj_str_c(v), id) && *id > 0;
}

static void small_form(struct yj_req *rq, struct yj_resp *rs, const char *action, long id)
{
    yj_buf_printf(&rs->body, "<form method=\"post\" action=\"%s\" class=\"inline\">"
                             "<input type=\"hidden\" name=\"id\" value=\"%ld\">",
                  action, id);
    yj_page_csrf(rq, rs);
}

void page_incident(struct yj_req *rq, struct yj_resp *rs)
{
    long id;
    if (!form_id(rq, &id))
        return yj_page_error(rq, rs, 400, "web.bad_id");
    struct yj_arena arena;
    yj_arena_init(&arena);
    struct yj_incident x;
    bool found;
    if (yj_incident_get(rq->store, id, &arena, &x, &found)) {
        yj_arena_fini(&arena);
        return yj_web_db_error(rq, rs);
    }
    if (!found) {
        yj_arena_fini(&arena);
        return yj_page_error(rq, rs, 404, "web.inc_not_found");
    }
    const struct yj_respond_data *r = &rq->app->respond;
    struct yj_buf *o = &rs->body;
    bool can_write = rq->user.role >= ROLE_MEMBER;
    yj_page_begin(rq, rs, "web.incident_title");
    char day[YJ_DATE_LEN];
    yj_date_fmt(x.c.discovered, day);
    yj_buf_printf(o, "<p class=\"company\">#%ld ", id);
    esc(rs, yj_text_get(&r->playbooks[x.c.type].title, rq->lang));
    if (x.title && *x.title) {
        yj_buf_adds(o, " — ");
        esc(rs, x.title);
    }
    yj_buf_adds(o, "</p><p>");
    esc(rs, yj_w(rq, "incident.discovered"));
    yj_buf_printf(o, ": %s / ", day);
    esc(rs, yj_w(rq, "incident.status"));
    yj_buf_adds(o, ": ");
    esc(rs, yj_w(rq, strcmp(x.status, "open") == 0 ? "incident.open" : "incident.closed"));
    yj_buf_printf(o, "</p><p class=\"actions\"><a class=\"button\" href=\"/incidents/report?id=%ld\">"
                     "HTML</a> <a class=\"button\" href=\"/incidents/report?id=%ld&amp;format=md\">"
                     "Markdown</a> <a class=\"button\" href=\"/incidents/advise?type=%s&amp;"
                     "discovered=%s&amp;personal_data=%s&amp;sector=%s%s%s",
                  id, id, yj_itype_code(x.c.type), day, yj_pd_code(x.c.personal_data),
                  yj_sector_code(x.c.sector), x.c.malicious ? "&amp;malicious=1" : "",
                  x.c.ongoing ? "&amp;ongoing=1" : "");
    if (x.c.people >= 0)
        yj_buf_printf(o, "&amp;people=%ld", x.c.people);
    yj_buf_adds(o, "\">");
    esc(rs, yj_w(rq, "web.inc_see_advice"));
    yj_buf_adds(o, "</a></p>");

    /* Duties */
    yj_buf_adds(o, "<h2>");
    esc(rs, yj_w(rq, "incident.duties"));
    yj_buf_adds(o, "</h2>");
    if (x.nduties == 0) {
        yj_buf_adds(o, "<p>");
        esc(rs, yj_w(rq, "respond.no_duty"));
        yj_buf_adds(o, "</p>");
    }
    yj_buf_adds(o, "<ul class=\"checks\">");
    for (size_t i = 0; i < x.nduties; i++) {
        const struct yj_incident_duty *d = &x.duties[i];
        yj_buf_printf(o, "<li class=\"%s\"><span aria-hidden=\"true\">%s</span> ",
                      d->done_at ? "ok" : "todo", d->done_at ? "&#10003;" : "&#9675;");
        esc(rs, yj_report_duty_name(r, d->duty, rq->lang));
        yj_buf_adds(o, " — ");
        if (d->due_from && d->due_by)
            yj_buf_printf(o, "<time>%s</time> 〜 <time>%s</time>", d->due_from, d->due_by);
        else if (d->due_by)
            yj_buf_printf(o, "<time>%s</time>", d->due_by);
        else
            esc(rs, yj_w(rq, "incident.promptly"));
        if (!d->done_at && can_write) {
            yj_buf_adds(o, " ");
            small_form(rq, rs, "/incidents/log", id);
            yj_buf_adds(o, "<input type=\"hidden\" name=\"done\" value=\"");
            esc(rs, d->duty);
            yj_buf_adds(o, "\"><button type=\"submit\">");
            esc(rs, yj_w(rq, "web.inc_mark_done"));
            yj_buf_adds(o, "</button></form>");
        }
        yj_buf_adds(o, "</li>");
    }
    yj_buf_adds(o, "</ul>");

    /* Timeline */
    yj_buf_adds(o, "<h2>");
    esc(rs, yj_w(rq, "incident.timeline"));
    yj_buf_adds(o, "</h2><table class=\"list\"><thead><tr><th scope=\"col\">");
    esc(rs, yj_w(rq, "incident.at"));
    yj_buf_adds(o, "</th><th scope=\"col\">");
    esc(rs, yj_w(rq, "incident.who"));
    yj_buf_adds(o, "</th><th scope=\"col\">");
    esc(rs, yj_w(rq, "incident.what"));
    yj_buf_adds(o, "</th></tr></thead><tbody>");
    for (size_t i = 0; i < x.nevents; i++) {
        yj_buf_adds(o, "<tr><td>");
        esc(rs, x.events[i].at);
        yj_buf_adds(o, "</td><td>");
        esc(rs, x.events[i].who);
        yj_buf_adds(o, "</td><td>");
        esc(rs, x.events[i].what);
        yj_buf_adds(o, "</td></tr>");
    }
    yj_buf_adds(o, "</tbody></table>");

    if (can_write) {
        /* Add to the timeline: a note, or a desk contacted. */
        yj_buf_adds(o, "<h2>");
        esc(rs, yj_w(rq, "web.inc_add"));
        yj_buf_adds(o, "</h2>");
        small_form(rq, rs, "/incidents/log", id);
        yj_buf_adds(o, "<p class=\"field\"><label for=\"f-note\">");
        esc(rs, yj_w(rq, "web.inc_note"));
        yj_buf_adds(o, "</label><textarea id=\"f-note\" name=\"note\" rows=\"3\" maxlength=\"20000\">"
                       "</textarea></p><p class=\"field\"><label for=\"f-contact\">");
        esc(rs, yj_w(rq, "web.inc_contacted"));
        yj_buf_adds(o, "</label><select id=\"f-contact\" name=\"contact\"><option value=\"\">—</option>");
        for (size_t i = 0; i < r->ncontacts; i++) {
            yj_buf_adds(o, "<option value=\"");
            esc(rs, r->contacts[i].id);
            yj_buf_adds(o, "\">");
            esc(rs, yj_text_get(&r->contacts[i].name, rq->lang));
            yj_buf_adds(o, "</option>");
        }
        yj_buf_adds(o, "</select></p><p><button type=\"submit\">");
        esc(rs, yj_w(rq, "web.save"));
        yj_buf_adds(o, "</button></p></form>");
        /* The report's fields. */
        yj_buf_adds(o, "<h2>");
        esc(rs, yj_w(rq, "web.inc_report_fields"));
        yj_buf_adds(o, "</h2>");
        small_form(rq, rs, "/incidents/log", id);
        const struct { const char *name, *label, *value; } f[] = {
            {"data", "incident.data_involved", x.data_involved},
            {"cause", "incident.cause", x.cause},
            {"actions", "incident.actions", x.actions},
            {"prevention", "incident.prevention", x.prevention}};
        for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
            yj_buf_printf(o, "<p class=\"field\"><label for=\"f-%s\">", f[i].name);
            esc(rs, yj_w(rq, f[i].label));
            yj_buf_printf(o, "</label><textarea id=\"f-%s\" name=\"%s\" rows=\"3\" "
                             "maxlength=\"20000\">",
                          f[i].name, f[i].name);
            esc(rs, f[i].value);
            yj_buf_adds(o, "</textarea></p>");
        }
        yj_buf_adds(o, "<p><button type=\"submit\">");
        esc(rs, yj_w(rq, "web.save"));
        yj_buf_adds(o, "</button></p></form>");
        small_form(rq, rs, "/incidents/status", id);
        bool open = strcmp(x.status, "open") == 0;
        yj_buf_printf(o, "<input type=\"hidden\" name=\"open\" value=\"%d\"><p><button "
                         "type=\"submit\">",
                      open ? 0 : 1);
        esc(rs, yj_w(rq, open ? "web.inc_close" : "web.inc_reopen"));
        yj_buf_adds(o, "</button></p></form>");
    }
    yj_page_end(rq, rs);
    yj_arena_fini(&arena);
}

static void back_to(struct yj_req *rq, struct yj_resp *rs, long id)
{
    char loc[64];
    snprintf(loc, sizeof loc, "/incidents/show?id=%ld&msg=saved", id);
    yj_resp_redirect(rs, yj_arena_strdup(&rq->arena, loc));
}

void post_incident_log(struct yj_req *rq, struct yj_resp *rs)
{
    long id;
    if (!form_id(rq, &id))
        return yj_page_error(rq, rs, 400, "web.bad_id");
    const char *note = yj_form(rq, "note"), *contact = yj_form(rq, "contact");
    const char *done = yj_form(rq, "done");
    struct yj_incident_fields f = {.data_involved = yj_form(rq, "data"),
                                   .cause = yj_form(rq, "cause"),
                                   .actions = yj_form(rq, "actions"),
                                   .prevention = yj_form(rq, "prevention")};
    const char *texts[] = {note, f.data_involved, f.cause, f.actions, f.prevention};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (check_title(rq, texts[i], 20000))
            return yj_page_error(rq, rs, 400, "web.inc_bad_text");
    const struct yj_respond_data *r = &rq->app->respond;
    const struct yj_contact *c = contact && *contact ? yj_contact_find(r, contact) : NULL;
    if (contact && *contact && !c)
        return yj_page_error(rq, rs, 400, "web.bad_form");
    enum yj_err err = YJ_ERR_OK;
    if (f.data_involved || f.cause || f.actions || f.prevention)
        err = yj_incident_update(rq->store, id, &f);
    char *what = NULL;
    if (!err && c) {
        if (asprintf(&what, yj_w(rq, "incident.contacted"), yj_text_get(&c->name, rq->lang),
                     note ? note : "") < 0)
            yj_oom();
        err = yj_incident_log(rq->store, id, YJ_EV_CONTACT, NULL, rq->user.name, what);
    } else if (!err && note && *note) {
        err = yj_incident_log(rq->store, id, YJ_EV_NOTE, NULL, rq->user.name, note);
    }
    free(what);
    what = NULL;
    if (!err && done && *done) {
        if (asprintf(&what, yj_w(rq, "incident.duty_done"),
                     yj_report_duty_name(r, done, rq->lang), "") < 0)
            yj_oom();
        err = yj_incident_duty_done(rq->store, id, done, rq->user.name, what);
        free(what);
    }
    if (err == YJ_ERR_NOTFOUND)
        return yj_page_error(rq, rs, 404, "web.inc_not_found");
    if (err)
        return yj_web_db_error(rq, rs);
    back_to(rq, rs, id);
}

void post_incident_status(struct yj_req *rq, struct yj_resp *rs)
{
    long id;
    if (!form_id(rq, &id))
        return yj_page_error(rq, rs, 400, "web.bad_id");
    const char *open = yj_form(rq, "open");
    bool reopen = open && strcmp(open, "1") == 0;
    enum yj_err err = yj_incident_set_status(rq->store, id, reopen, rq->user.name,
                                             yj_w(rq, reopen ? "incident.reopened_note"
                                                             : "incident.closed_note"));
    if (err == YJ_ERR_NOTFOUND)
        return yj_page_error(rq, rs, 404, "web.inc_not_found");
    if (err)
        return yj_web_db_error(rq, rs);
    back_to(rq, rs, id);
}

void page_incident_report(struct yj_req *rq, struct yj_resp *rs)
{
    long id;
    if (!form_id(rq, &id))
        return yj_page_error(rq, rs, 400, "web.bad_id");
    const char *format = yj_form(rq, "format");
    bool md = format && strcmp(format, "md") == 0;
    struct yj_arena arena;
    yj_arena_init(&arena);
    struct yj_incident x;
    bool found;
    struct yj_org org = {0};
    if (yj_incident_get(rq->store, id, &arena, &x, &found) || yj_org_load(rq->store, &org)) {
        yj_arena_fini(&arena);
        return yj_web_db_error(rq, rs);
    }
    if (!found) {
        yj_org_fini(&org);
        yj_arena_fini(&arena);
        return yj_page_error(rq, rs, 404, "web.inc_not_found");
    }
    char day[YJ_DATE_LEN];
    yj_time_local_date(yj_now(), day);
    if (md) {
        rs->content_type = "text/markdown; charset=utf-8";
        yj_report_incident_md(&rq->app->respond, &x, org.name, day, rq->lang, &rs->body);
        char *cd = NULL;
        if (asprintf(&cd, "attachment; filename=\"yojin-incident-%ld.md\"", id) < 0)
            yj_oom();
        yj_resp_header(rs, "Content-Disposition", yj_arena_strdup(&rq->arena, cd));
        free(cd);
    } else {
        rs->content_type = "text/html; charset=utf-8";
        rs->csp = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; "
                  "base-uri 'none'; form-action 'none'";
        yj_report_incident_html(&rq->app->respond, &x, org.name, day, rq->lang, &rs->body);
    }
    yj_org_fini(&org);
    yj_arena_fini(&arena);
}

void page_contacts(struct yj_req *rq, struct yj_resp *rs)
{
    const struct yj_respond_data *r = &rq->app->respond;
    const char *q = yj_form(rq, "q");
    const char *words[16];
    size_t nw = 0;
    char *copy = q ? yj_arena_strdup(&rq->arena, q) : NULL;
    /* Words are separated by ASCII or ideographic (U+3000) spaces. */
    if (copy) {
        char *p = copy;
        while ((p = strstr(p, "\xE3\x80\x80")) != NULL)
            memcpy(p, "   ", 3);
    }
    for (char *save = NULL, *t = copy ? strtok_r(copy, " \t", &save) : NULL; t && nw < 16;
         t = strtok_r(NULL, " \t", &save))
        words[nw++] = t;
    const struct yj_contact *found[256];
    size_t n = yj_contacts_search(r, words, nw, found, 256);
    struct yj_buf *o = &rs->body;
    yj_page_begin(rq, rs, "web.contacts_title");
    yj_buf_adds(o, "<form method=\"get\" action=\"/contacts\" class=\"inline\"><label for=\"f-q\">");
    esc(rs, yj_w(rq, "web.contacts_search"));
    yj_buf_adds(o, "</label> <input id=\"f-q\" name=\"q\" value=\"");
    esc(rs, q ? q : "");
    yj_buf_adds(o, "\"> <button type=\"submit\">");
    esc(rs, yj_w(rq, "web.contacts_find"));
    yj_buf_adds(o, "</button></form><p class=\"note\">");
    esc(rs, yj_w(rq, "contacts.emergency"));
    yj_buf_adds(o, "</p>");
    if (n == 0) {
        yj_buf_adds(o, "<p>");
        esc(rs, yj_w(rq, "contacts.none"));
        yj_buf_adds(o, "</p>");
    }
    for (size_t i = 0; i < n; i++) {
        const struct yj_contact *c = found[i];
        yj_buf_adds(o, "<section class=\"card\"><h2>");
        esc(rs, yj_text_get(&c->name, rq->lang));
        yj_buf_adds(o, "</h2><p>");
        esc(rs, yj_text_get(&c->handles, rq->lang));
        yj_buf_adds(o, "</p><ul class=\"plain\">");
        const struct { const char *label; const char *value; } rows[] = {
            {"contacts.not_handles", c->not_handles.v[0] ? yj_text_get(&c->not_handles, rq->lang) : NULL},
            {"contacts.phone", c->phone},
            {"contacts.hours", c->hours.v[0] ? yj_text_get(&c->hours, rq->lang) : NULL},
            {"contacts.email", c->email},
            {"contacts.fax", c->fax},
            {"contacts.address", c->address.v[0] ? yj_text_get(&c->address, rq->lang) : NULL},
            {"contacts.note", c->note.v[0] ? yj_text_get(&c->note, rq->lang) : NULL},
        };
        for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
            if (!rows[k].value)
                continue;
            yj_buf_adds(o, "<li>");
            esc(rs, yj_w(rq, rows[k].label));
            yj_buf_adds(o, " ");
            esc(rs, rows[k].value);
            yj_buf_adds(o, "</li>");
        }
        if (c->url) {
            yj_buf_adds(o, "<li><a href=\"");
            esc(rs, c->url);
            yj_buf_adds(o, "\" rel=\"noreferrer noopener\">");
            esc(rs, c->url);
            yj_buf_adds(o, "</a></li>");
        }
        yj_buf_adds(o, "</ul><p class=\"source\"><small>");
        esc(rs, yj_w(rq, "report.source"));
        yj_buf_adds(o, " ");
        esc(rs, c->source);
        yj_buf_adds(o, " (");
        esc(rs, c->as_of);
        yj_buf_adds(o, ")</small></p></section>");
    }
    yj_page_end(rq, rs);
}
