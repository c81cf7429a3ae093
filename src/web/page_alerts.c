/* Alerts in the console: the list (open ones by default), one alert in plain words with what
 * its numbers mean and what to do, acknowledging, closing and reopening with a note, starting
 * an incident record from an alert, and the dashboard's alerts card. Members and
 * administrators change alerts; viewers read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert/alert.h"
#include "base/date.h"
#include "web_int.h"

#define PAGE_SIZE 50

static void esc(struct yj_resp *rs, const char *s)
{
    yj_page_esc(rs, s);
}

/* before, the catalog text id in the page's language (escaped), after. */
static void say(struct yj_req *rq, struct yj_resp *rs, const char *before, const char *id,
                const char *after)
{
    yj_buf_adds(&rs->body, before);
    yj_page_esc(rs, yj_w(rq, id));
    yj_buf_adds(&rs->body, after);
}

/* A time as the office reads it (the server's local time), with the exact UTC time for
 * machines. */
static void when(struct yj_resp *rs, int64_t t)
{
    char iso[YJ_ISO_LEN], local[32] = "";
    yj_time_iso(t, iso);
    time_t tt = (time_t)t;
    struct tm tm;
    if (localtime_r(&tt, &tm))
        strftime(local, sizeof local, "%Y-%m-%d %H:%M", &tm);
    yj_buf_printf(&rs->body, "<time datetime=\"%s\">%s</time>", iso, local[0] ? local : iso);
}

static const char *sev_id(int severity)
{
    switch (severity) {
    case 1: return "alert.web.sev_1";
    case 2: return "alert.web.sev_2";
    default: return "alert.web.sev_3";
    }
}

static void badge(struct yj_req *rq, struct yj_resp *rs, int severity)
{
    int s = severity >= 1 && severity <= 3 ? severity : 3;
    yj_buf_printf(&rs->body, "<span class=\"sev sev-%d\">", s);
    esc(rs, yj_w(rq, sev_id(s)));
    yj_buf_adds(&rs->body, "</span>");
}

static const char *status_id(enum yj_alert_status s)
{
    switch (s) {
    case YJ_ALERT_ACKNOWLEDGED: return "alert.web.status_acknowledged";
    case YJ_ALERT_CLOSED: return "alert.web.status_closed";
    default: return "alert.web.status_open";
    }
}

/* The id in "/alerts/<id>" (and nothing after it); 0 when the path has none. */
static int64_t path_id(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(path, prefix, n) != 0)
        return 0;
    long id;
    if (!yj_str_to_long(yj_str_c(path + n), &id) || id <= 0)
        return 0;
    return id;
}

bool web_alert_load(struct yj_req *rq, struct yj_resp *rs, int64_t id, struct yj_arena *a,
                    struct yj_alert *x)
{
    bool found = false;
    yj_arena_init(a);
    if (yj_alert_get(rq->store, id, a, x, &found))
        yj_web_db_error(rq, rs);
    else if (!found && strncmp(rq->path, "/api/", 5) == 0)
        yj_api_error(rs, 404, yj_w(rq, "alert.web.not_found"));
    else if (!found)
        yj_page_error(rq, rs, 404, "alert.web.not_found");
    if (!found)
        yj_arena_fini(a);
    return found;
}

/* ---- dashboard card ---------------------------------------------------------------------- */

/* Whether `yojin watch` is running, from its heartbeat: running (with what it watches),
 * stopped (since when, and how to start it) or never started here. */
static void monitor_line(struct yj_req *rq, struct yj_resp *rs)
{
    struct yj_monitor_status m;
    bool found;
    if (yj_monitor_get(rq->store, "watch", &m, &found))
        return;
    struct yj_buf *o = &rs->body;
    if (!found) {
        say(rq, rs, "<p class=\"monitor monitor-never\" id=\"monitor\" data-state=\"never\">",
            "alert.web.monitor_never", "</p>");
        return;
    }
    bool running = !m.stopped && yj_now() - m.heartbeat <= YJ_MONITOR_STALE;
    yj_buf_printf(o, "<p class=\"monitor monitor-%s\" id=\"monitor\" data-state=\"%s\">",
                  running ? "on" : "off", running ? "running" : "stopped");
    esc(rs, yj_w(rq, running ? "alert.web.monitor_on" : "alert.web.monitor_off"));
    yj_buf_adds(o, " ");
    when(rs, m.heartbeat);
    yj_buf_adds(o, "<br><span class=\"hint\">");
    if (running) {
        esc(rs, yj_w(rq, "alert.web.monitor_sources"));
        yj_buf_adds(o, " ");
        struct yj_buf words;
        yj_buf_init(&words, (size_t)1 << 16);
        yj_monitor_sources_text(m.sources, rq->lang, &words);
        esc(rs, words.p ? words.p : "");
        yj_buf_fini(&words);
    } else {
        esc(rs, yj_w(rq, "alert.web.monitor_start"));
    }
    yj_buf_adds(o, "</span></p>");
}

void web_alerts_card(struct yj_req *rq, struct yj_resp *rs)
{
    struct yj_alert_counts c;
    struct yj_alert_filter f;
    yj_alert_filter_init(&f);
    f.status = YJ_ALERT_OPEN;
    f.limit = 3;
    struct yj_arena arena;
    yj_arena_init(&arena);
    struct yj_alert *v;
    size_t n;
    if (yj_alert_count_open(rq->store, &c) || yj_alert_list(rq->store, &f, &arena, &v, &n, NULL)) {
        yj_arena_fini(&arena);
        return; /* the dashboard still shows the rest */
    }
    struct yj_buf *o = &rs->body;
    yj_buf_adds(o, "<section class=\"card\" aria-labelledby=\"c-alerts\" id=\"card-alerts\">"
                   "<h2 id=\"c-alerts\">");
    esc(rs, yj_w(rq, "alert.web.card_title"));
    yj_buf_adds(o, "</h2>");
    monitor_line(rq, rs);
    if (c.open == 0) {
        say(rq, rs, "<p>", "alert.web.card_none", "</p>");
    } else {
        yj_buf_printf(o, "<p class=\"band\" data-open=\"%lld\">", (long long)c.open);
        char *t = NULL;
        if (asprintf(&t, yj_w(rq, "alert.web.card_open"), (long long)c.open) < 0)
            yj_oom();
        esc(rs, t);
        free(t);
        yj_buf_adds(o, "</p><p>");
        for (int s = 1; s <= 3; s++) {
            badge(rq, rs, s);
            yj_buf_printf(o, " <span data-sev=\"%d\">%lld</span> ", s,
                          (long long)c.by_severity[s]);
        }
        yj_buf_adds(o, "</p><ul class=\"plain alerts-latest\">");
        for (size_t i = 0; i < n; i++) {
            yj_buf_adds(o, "<li>");
            badge(rq, rs, v[i].severity);
            yj_buf_printf(o, " <a href=\"/alerts/%lld\">", (long long)v[i].id);
            esc(rs, yj_text_get(&v[i].summary, rq->lang));
            yj_buf_adds(o, "</a></li>");
        }
        yj_buf_adds(o, "</ul>");
    }
    say(rq, rs, "<p><a href=\"/alerts\">", "alert.web.card_link", "</a></p></section>");
    yj_arena_fini(&arena);
}

/* ---- the list ---------------------------------------------------------------------------- */

void page_alerts(struct yj_req *rq, struct yj_resp *rs)
{
    /* show: open (default), acknowledged, closed, all. */
    const char *show = yj_form(rq, "show");
    if (!show || !*show)
        show = "open";
    int status = strcmp(show, "all") == 0 ? -1 : yj_alert_status_parse(show);
    if (status < 0 && strcmp(show, "all") != 0)
        return yj_page_error(rq, rs, 400, "web.bad_form");
    long sev = 0, offset = 0;
    const char *v = yj_form(rq, "severity");
    if (v && *v && (!yj_str_to_long(yj_str_c(v), &sev) || sev < 1 || sev > 3))
        return yj_page_error(rq, rs, 400, "web.bad_form");
    v = yj_form(rq, "offset");
    if (v && *v && (!yj_str_to_long(yj_str_c(v), &offset) || offset < 0 || offset > 1000000))
        return yj_page_error(rq, rs, 400, "web.bad_form");
    struct yj_alert_filter f;
    yj_alert_filter_init(&f);
    f.status = status;
    f.severity = (int)sev;
    f.limit = PAGE_SIZE;
    f.offset = (size_t)offset;
    struct yj_arena arena;
    yj_arena_init(&arena);
    struct yj_alert *a;
    size_t n;
    int64_t total;
    if (yj_alert_list(rq->store, &f, &arena, &a, &n, &total)) {
        yj_arena_fini(&arena);
        return yj_web_db_error(rq, rs);
    }
    struct yj_buf *o = &rs->body;
    yj_page_begin(rq, rs, "alert.web.list_title");
    say(rq, rs, "<p>", "alert.web.list_intro", "</p><nav class=\"actions filters\" aria-label=\"");
    esc(rs, yj_w(rq, "alert.web.filter"));
    yj_buf_adds(o, "\">");
    static const char *const shows[][2] = {{"open", "alert.web.show_open"},
                                           {"acknowledged", "alert.web.show_acknowledged"},
                                           {"closed", "alert.web.show_closed"},
                                           {"all", "alert.web.show_all"}};
    for (size_t i = 0; i < sizeof shows / sizeof shows[0]; i++) {
        bool here = strcmp(show, shows[i][0]) == 0;
        yj_buf_printf(o, "<a class=\"button\" href=\"/alerts?show=%s\"%s>", shows[i][0],
                      here ? " aria-current=\"page\"" : "");
        esc(rs, yj_w(rq, shows[i][1]));
        yj_buf_adds(o, "</a>");
    }
    yj_buf_adds(o, "</nav>");
    if (n == 0) {
        yj_buf_adds(o, "<p class=\"none\">");
        esc(rs, yj_w(rq, status == YJ_ALERT_OPEN ? "alert.web.none_open" : "alert.web.none"));
        yj_buf_adds(o, "</p>");
    } else {
        yj_buf_adds(o, "<table class=\"list alerts\"><thead><tr>");
        static const char *const cols[] = {"alert.web.col_severity", "alert.web.col_last",
                                           "alert.web.col_what", "alert.web.col_count",
                                           "alert.web.col_status", NULL};
        for (int c = 0; cols[c]; c++) {
            yj_buf_adds(o, "<th scope=\"col\">");
            esc(rs, yj_w(rq, cols[c]));
            yj_buf_adds(o, "</th>");
        }
        yj_buf_adds(o, "</tr></thead><tbody>");
        for (size_t i = 0; i < n; i++) {
            yj_buf_printf(o, "<tr data-id=\"%lld\"><td>", (long long)a[i].id);
            badge(rq, rs, a[i].severity);
            yj_buf_adds(o, "</td><td>");
            when(rs, a[i].last_ts);
            yj_buf_printf(o, "</td><td><a href=\"/alerts/%lld\"><strong>", (long long)a[i].id);
            esc(rs, yj_text_get(&a[i].name, rq->lang));
            yj_buf_adds(o, "</strong></a><br>");
            esc(rs, yj_text_get(&a[i].summary, rq->lang));
            yj_buf_printf(o, "</td><td class=\"num\">%lld</td><td>", (long long)a[i].count);
            esc(rs, yj_w(rq, status_id(a[i].status)));
            yj_buf_adds(o, "</td></tr>");
        }
        yj_buf_adds(o, "</tbody></table>");
        /* Pages of PAGE_SIZE, with the same filters ("show" is one of the known codes). */
        char sev_q[24] = "";
        if (sev)
            snprintf(sev_q, sizeof sev_q, "&amp;severity=%ld", sev);
        if (offset > 0 || (int64_t)offset + (int64_t)n < total) {
            yj_buf_adds(o, "<p class=\"actions\">");
            if (offset > 0) {
                yj_buf_printf(o, "<a class=\"button\" href=\"/alerts?show=%s%s&amp;offset=%ld\">",
                              show, sev_q, offset > PAGE_SIZE ? offset - PAGE_SIZE : 0);
                esc(rs, yj_w(rq, "alert.web.newer"));
                yj_buf_adds(o, "</a>");
            }
            if ((int64_t)offset + (int64_t)n < total) {
                yj_buf_printf(o, "<a class=\"button\" href=\"/alerts?show=%s%s&amp;offset=%ld\">",
                              show, sev_q, offset + (long)n);
                esc(rs, yj_w(rq, "alert.web.older"));
                yj_buf_adds(o, "</a>");
            }
            yj_buf_adds(o, "</p>");
        }
    }
    yj_page_end(rq, rs);
    yj_arena_fini(&arena);
}

/* ---- one alert ----------------------------------------------------------------------------- */

/* One row of the "what the numbers mean" list: label, value (HTML-escaped), explanation. */
static void fact(struct yj_req *rq, struct yj_resp *rs, const char *label_id, const char *value,
                 const char *help_id)
{
    struct yj_buf *o = &rs->body;
    yj_buf_adds(o, "<dt>");
    esc(rs, yj_w(rq, label_id));
    yj_buf_adds(o, "</dt><dd>");
    esc(rs, value);
    if (help_id) {
        yj_buf_adds(o, "<br><span class=\"hint\">");
        esc(rs, yj_w(rq, help_id));
        yj_buf_adds(o, "</span>");
    }
    yj_buf_adds(o, "</dd>");
}

static const char *origin_id(const char *origin)
{
    static const char *const known[][2] = {{"logscan", "alert.web.origin_logscan"},
                                           {"fim", "alert.web.origin_fim"},
                                           {"watch", "alert.web.origin_watch"},
                                           {"pcap", "alert.web.origin_pcap"}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(origin, known[i][0]) == 0)
            return known[i][1];
    return NULL;
}

static void status_forms(struct yj_req *rq, struct yj_resp *rs, const struct yj_alert *x)
{
    struct yj_buf *o = &rs->body;
    say(rq, rs, "<h2>", "alert.web.change_title",
        "</h2><form method=\"post\" action=\"/alerts/status\" class=\"alert-status\">");
    yj_page_csrf(rq, rs);
    yj_buf_printf(o, "<input type=\"hidden\" name=\"id\" value=\"%lld\">", (long long)x->id);
    yj_buf_adds(o, "<p class=\"field\"><label for=\"f-note\">");
    esc(rs, yj_w(rq, "alert.web.note"));
    yj_buf_printf(o, "</label><textarea id=\"f-note\" name=\"note\" rows=\"2\" maxlength=\"%d\">"
                     "</textarea><span class=\"hint\">",
                  YJ_ALERT_NOTE_MAX);
    esc(rs, yj_w(rq, "alert.web.note_hint"));
    yj_buf_adds(o, "</span></p><p class=\"actions\">");
    static const struct {
        const char *action, *label;
        enum yj_alert_status hide_when;
    } buttons[] = {{"ack", "alert.web.ack", YJ_ALERT_ACKNOWLEDGED},
                   {"close", "alert.web.close", YJ_ALERT_CLOSED},
                   {"reopen", "alert.web.reopen", YJ_ALERT_OPEN}};
    for (size_t i = 0; i < sizeof buttons / sizeof buttons[0]; i++) {
        if (x->status == buttons[i].hide_when ||
            (x->status == YJ_ALERT_CLOSED && buttons[i].hide_when == YJ_ALERT_ACKNOWLEDGED))
            continue;
        yj_buf_printf(o, "<button type=\"submit\" name=\"action\" value=\"%s\"%s>",
                      buttons[i].action, i == 0 ? " class=\"primary\"" : "");
        esc(rs, yj_w(rq, buttons[i].label));
        yj_buf_adds(o, "</button>");
    }
    yj_buf_adds(o, "</p></form>");
}

void page_alert(struct yj_req *rq, struct yj_resp *rs)
{
    int64_t id = path_id(rq->path, "/alerts/");
    if (!id)
        return yj_page_error(rq, rs, 404, "alert.web.not_found");
    struct yj_arena arena;
    struct yj_alert x;
    if (!web_alert_load(rq, rs, id, &arena, &x))
        return;
    enum yj_lang l = rq->lang;
    struct yj_buf *o = &rs->body;
    yj_page_begin(rq, rs, "alert.web.one_title");
    yj_buf_printf(o, "<p class=\"company\" data-status=\"%s\">",
                  yj_alert_status_code(x.status));
    badge(rq, rs, x.severity);
    yj_buf_adds(o, " ");
    esc(rs, yj_text_get(&x.name, l));
    yj_buf_adds(o, " — ");
    esc(rs, yj_w(rq, status_id(x.status)));
    say(rq, rs, "</p><section class=\"card\" aria-labelledby=\"a-what\"><h2 id=\"a-what\">", "alert.web.what_happened",
        "</h2><p class=\"summary\">");
    esc(rs, yj_text_get(&x.summary, l));
    say(rq, rs, "</p><h2>", "alert.web.what_to_do", "</h2><p class=\"advice\">");
    esc(rs, yj_text_get(&x.advice, l));
    yj_buf_adds(o, "</p>");
    /* The playbook: the step-by-step response guide for this kind of incident. */
    int t = yj_itype_parse(x.playbook);
    if (t >= 0) {
        char day[YJ_DATE_LEN];
        yj_time_local_date(x.first_ts, day);
        yj_buf_printf(o, "<p><a class=\"button playbook\" href=\"/incidents/advise?type=%s&amp;"
                         "discovered=%s&amp;malicious=1\">",
                      yj_itype_code((enum yj_itype)t), day);
        char *s = NULL;
        if (asprintf(&s, yj_w(rq, "alert.web.playbook"),
                     yj_text_get(&rq->app->respond.playbooks[t].title, l)) < 0)
            yj_oom();
        esc(rs, s);
        free(s);
        yj_buf_adds(o, "</a></p>");
    }
    yj_buf_adds(o, "</section>");

    /* What the numbers mean. */
    say(rq, rs, "<h2>", "alert.web.details", "</h2><dl class=\"facts\">");
    fact(rq, rs, "alert.web.col_severity", yj_w(rq, sev_id(x.severity)),
         x.severity == 1   ? "alert.web.sev_1_help"
         : x.severity == 2 ? "alert.web.sev_2_help"
                           : "alert.web.sev_3_help");
    char num[32];
    snprintf(num, sizeof num, "%lld", (long long)x.count);
    fact(rq, rs, "alert.web.col_count", num, "alert.web.count_help");
    say(rq, rs, "<dt>", "alert.web.first", "</dt><dd>");
    when(rs, x.first_ts);
    say(rq, rs, "</dd><dt>", "alert.web.last", "</dt><dd>");
    when(rs, x.last_ts);
    say(rq, rs, "<br><span class=\"hint\">", "alert.web.times_help", "</span></dd>");
    if (*x.src_ip)
        fact(rq, rs, "alert.web.src_ip", x.src_ip, "alert.web.src_ip_help");
    if (*x.dest_ip)
        fact(rq, rs, "alert.web.dest_ip", x.dest_ip, "alert.web.dest_ip_help");
    if (*x.user)
        fact(rq, rs, "alert.web.user", x.user, "alert.web.user_help");
    if (*x.subject)
        fact(rq, rs, "alert.web.subject", x.subject, "alert.web.subject_help");
    const char *oid = origin_id(x.origin);
    fact(rq, rs, "alert.web.origin", oid ? yj_w(rq, oid) : x.origin, NULL);
    fact(rq, rs, "alert.web.code", x.code, "alert.web.code_help");
    say(rq, rs, "<dt>", "alert.web.col_status", "</dt><dd class=\"status\">");
    esc(rs, yj_w(rq, status_id(x.status)));
    if (*x.changed_by) {
        yj_buf_adds(o, " (");
        esc(rs, x.changed_by);
        yj_buf_adds(o, ", ");
        when(rs, x.changed_ts);
        yj_buf_adds(o, ")");
    }
    if (*x.note) {
        say(rq, rs, "<br>", "alert.web.note", ": <span class=\"note-text\">");
        esc(rs, x.note);
        yj_buf_adds(o, "</span>");
    }
    yj_buf_adds(o, "</dd>");
    if (x.incident_id) {
        yj_buf_adds(o, "<dt>");
        esc(rs, yj_w(rq, "alert.web.incident"));
        yj_buf_printf(o, "</dt><dd><a href=\"/incidents/show?id=%lld\">#%lld</a></dd>",
                      (long long)x.incident_id, (long long)x.incident_id);
    }
    yj_buf_adds(o, "</dl>");

    if (rq->user.role >= ROLE_MEMBER) {
        status_forms(rq, rs, &x);
        if (!x.incident_id && t >= 0) {
            say(rq, rs, "<h2>", "alert.web.incident_title", "</h2><p>");
            esc(rs, yj_w(rq, "alert.web.incident_intro"));
            yj_buf_adds(o, "</p><form method=\"post\" action=\"/alerts/incident\">");
            yj_page_csrf(rq, rs);
            yj_buf_printf(o, "<input type=\"hidden\" name=\"id\" value=\"%lld\"><p><button "
                             "type=\"submit\">",
                          (long long)x.id);
            esc(rs, yj_w(rq, "alert.web.incident_start"));
            yj_buf_adds(o, "</button></p></form>");
        }
    } else {
        say(rq, rs, "<p class=\"hint\">", "alert.web.read_only", "</p>");
    }
    if (*x.eve) {
        say(rq, rs, "<details><summary>", "alert.web.eve", "</summary><pre class=\"eve\">");
        esc(rs, x.eve);
        yj_buf_adds(o, "</pre></details>");
    }
    say(rq, rs, "<p><a href=\"/alerts\">", "alert.web.back", "</a></p>");
    yj_page_end(rq, rs);
    yj_arena_fini(&arena);
}

/* ---- changes ------------------------------------------------------------------------------- */

static bool form_id(struct yj_req *rq, int64_t *id)
{
    const char *v = yj_form(rq, "id");
    long n;
    if (!v || !yj_str_to_long(yj_str_c(v), &n) || n <= 0)
        return false;
    *id = n;
    return true;
}

static void back_to(struct yj_req *rq, struct yj_resp *rs, int64_t id)
{
    char loc[64];
    snprintf(loc, sizeof loc, "/alerts/%lld?msg=saved", (long long)id);
    yj_resp_redirect(rs, yj_arena_strdup(&rq->arena, loc));
}

/* "ack", "close", "reopen" (also the status codes themselves); -1 when unknown. */
int web_alert_action(const char *a)
{
    if (!a)
        return -1;
    if (strcmp(a, "ack") == 0)
        return YJ_ALERT_ACKNOWLEDGED;
    if (strcmp(a, "close") == 0)
        return YJ_ALERT_CLOSED;
    if (strcmp(a, "reopen") == 0)
        return YJ_ALERT_OPEN;
    return yj_alert_status_parse(a);
}

void post_alert_status(struct yj_req *rq, struct yj_resp *rs)
{
    int64_t id;
    if (!form_id(rq, &id))
        return yj_page_error(rq, rs, 400, "web.bad_id");
    int s = web_alert_action(yj_form(rq, "action"));
    if (s < 0)
        return yj_page_error(rq, rs, 400, "web.bad_form");
    const char *note = yj_form(rq, "note");
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_alert_set_status(rq->store, id, (enum yj_alert_status)s, rq->user.name,
                                          note && *note ? note : NULL, yj_now(), &d);
    yj_diag_fini(&d);
    if (err == YJ_ERR_NOTFOUND)
        return yj_page_error(rq, rs, 404, "alert.web.not_found");
    if (err == YJ_ERR_LIMIT || err == YJ_ERR_INVALID)
        return yj_page_error(rq, rs, 400, "alert.web.bad_note");
    if (err)
        return yj_web_db_error(rq, rs);
    back_to(rq, rs, id);
}

/* An incident record of the alert's playbook type, discovered the day the attack began,
 * titled with the alert's name, its summary the first note of the timeline; the alert is
 * acknowledged and linked to it. */
static enum yj_err start_incident(struct yj_req *rq, const struct yj_alert *x, int t,
                                  int64_t *incident)
{
    struct yj_case k = {.type = (enum yj_itype)t, .malicious = true, .people = -1};
    char day[YJ_DATE_LEN];
    yj_time_local_date(x->first_ts, day);
    if (!yj_date_parse(day, &k.discovered))
        k.discovered = (struct yj_date){1970, 1, 1};
    struct yj_advice a;
    yj_respond_advise(&rq->app->respond, &k, &a);
    const char *title = yj_text_get(&x->name, rq->lang);
    char *what = NULL;
    if (asprintf(&what, yj_w(rq, "alert.web.incident_note"), (long long)x->id, x->code,
                 yj_text_get(&x->summary, rq->lang)) < 0)
        yj_oom();
    enum yj_err err = yj_incident_create(rq->store, &k, title, rq->user.name, &a, incident);
    if (!err)
        err = yj_incident_log(rq->store, *incident, YJ_EV_NOTE, NULL, rq->user.name, what);
    free(what);
    if (!err)
        err = yj_alert_set_incident(rq->store, x->id, *incident);
    if (!err && x->status == YJ_ALERT_OPEN)
        err = yj_alert_set_status(rq->store, x->id, YJ_ALERT_ACKNOWLEDGED, rq->user.name, NULL,
                                  yj_now(), NULL);
    return err;
}

void post_alert_incident(struct yj_req *rq, struct yj_resp *rs)
{
    int64_t id;
    if (!form_id(rq, &id))
        return yj_page_error(rq, rs, 400, "web.bad_id");
    struct yj_arena arena;
    struct yj_alert x;
    if (!web_alert_load(rq, rs, id, &arena, &x))
        return;
    int t = yj_itype_parse(x.playbook);
    int64_t incident = x.incident_id;
    enum yj_err err = YJ_ERR_OK;
    if (t >= 0 && !incident)
        err = start_incident(rq, &x, t, &incident);
    yj_arena_fini(&arena);
    if (t < 0)
        return yj_page_error(rq, rs, 400, "web.inc_bad_type");
    if (err)
        return yj_web_db_error(rq, rs);
    char loc[64];
    snprintf(loc, sizeof loc, "/incidents/show?id=%lld", (long long)incident);
    yj_resp_redirect(rs, yj_arena_strdup(&rq->arena, loc));
}
