/* The console's page frame (head, navigation, language switch, footer) and the small pieces
 * every page uses: escaping, the CSRF field, notices, error pages, JSON errors. */
#include <stdio.h>
#include <string.h>

#include "base/file.h"
#include "base/str.h"
#include "web_int.h"

const char *yj_w(const struct yj_req *rq, const char *id)
{
    return yj_tl(rq->lang, id);
}

void yj_page_esc(struct yj_resp *rs, const char *s)
{
    yj_buf_add_html(&rs->body, s ? s : "");
}

void yj_page_csrf(struct yj_req *rq, struct yj_resp *rs)
{
    yj_buf_adds(&rs->body, "<input type=\"hidden\" name=\"csrf\" value=\"");
    yj_page_esc(rs, yj_auth_pre_csrf(rq));
    yj_buf_adds(&rs->body, "\">");
}

void yj_page_notice(struct yj_resp *rs, const char *kind, const char *text)
{
    yj_buf_printf(&rs->body, "<p class=\"notice %s\" role=\"%s\">", kind,
                  strcmp(kind, "error") == 0 ? "alert" : "status");
    yj_page_esc(rs, text);
    yj_buf_adds(&rs->body, "</p>\n");
}

static void nav_link(struct yj_req *rq, struct yj_resp *rs, const char *href, const char *id)
{
    size_t n = strlen(href);
    bool here = strcmp(rq->path, href) == 0 ||
                (n > 1 && strncmp(rq->path, href, n) == 0 && rq->path[n] == '/');
    yj_buf_printf(&rs->body, "<a href=\"%s\"%s>", href, here ? " aria-current=\"page\"" : "");
    yj_page_esc(rs, yj_w(rq, id));
    yj_buf_adds(&rs->body, "</a>");
}

static const char *role_label(struct yj_req *rq, enum yj_role r)
{
    switch (r) {
    case ROLE_ADMIN: return yj_w(rq, "web.role_admin");
    case ROLE_MEMBER: return yj_w(rq, "web.role_member");
    default: return yj_w(rq, "web.role_viewer");
    }
}

void yj_page_begin(struct yj_req *rq, struct yj_resp *rs, const char *title_id)
{
    struct yj_buf *o = &rs->body;
    rs->content_type = "text/html; charset=utf-8";
    yj_buf_printf(o, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                     "<title>",
                  yj_lang_code(rq->lang));
    yj_page_esc(rs, yj_w(rq, title_id));
    yj_buf_adds(o, " — yojin</title><link rel=\"stylesheet\" href=\"/static/app.css\">"
                   "<link rel=\"stylesheet\" href=\"/static/report.css\">"
                   "<script src=\"/static/app.js\" defer></script></head><body>\n");
    yj_buf_adds(o, "<a class=\"skip\" href=\"#main\">");
    yj_page_esc(rs, yj_w(rq, "web.skip"));
    yj_buf_adds(o, "</a><header class=\"top\"><a class=\"brand\" href=\"/\">yojin <span lang=\"ja\">"
                   "用心</span></a>");
    if (rq->authed) {
        yj_buf_adds(o, "<nav aria-label=\"");
        yj_page_esc(rs, yj_w(rq, "web.nav"));
        yj_buf_adds(o, "\">");
        nav_link(rq, rs, "/", "web.nav_dashboard");
        nav_link(rq, rs, "/alerts", "alert.web.nav");
        if (rq->user.role >= ROLE_MEMBER)
            nav_link(rq, rs, "/diagnosis", "web.nav_diagnosis");
        nav_link(rq, rs, "/diagnosis/history", "web.nav_history");
        nav_link(rq, rs, "/action", "web.nav_action");
        nav_link(rq, rs, "/report", "web.nav_report");
        nav_link(rq, rs, "/incidents", "web.nav_incidents");
        nav_link(rq, rs, "/contacts", "web.nav_contacts");
        nav_link(rq, rs, "/settings", "web.nav_settings");
        yj_buf_adds(o, "</nav><div class=\"who\"><span>");
        yj_page_esc(rs, rq->user.name);
        yj_buf_adds(o, " (");
        yj_page_esc(rs, role_label(rq, rq->user.role));
        yj_buf_adds(o, ")</span>");
    } else {
        yj_buf_adds(o, "<div class=\"who\">");
    }
    /* The language switch: a form, so it works without JavaScript. */
    yj_buf_adds(o, "<form method=\"post\" action=\"/lang\" class=\"inline\">");
    yj_page_csrf(rq, rs);
    yj_buf_printf(o, "<input type=\"hidden\" name=\"lang\" value=\"%s\">"
                     "<input type=\"hidden\" name=\"back\" value=\"",
                  rq->lang == YJ_LANG_JA ? "en" : "ja");
    yj_page_esc(rs, rq->path);
    yj_buf_adds(o, "\"><button type=\"submit\">");
    yj_page_esc(rs, yj_w(rq, "web.switch_lang"));
    yj_buf_adds(o, "</button></form>");
    if (rq->authed) {
        yj_buf_adds(o, "<form method=\"post\" action=\"/logout\" class=\"inline\">");
        yj_page_csrf(rq, rs);
        yj_buf_adds(o, "<button type=\"submit\">");
        yj_page_esc(rs, yj_w(rq, "web.logout"));
        yj_buf_adds(o, "</button></form>");
    }
    yj_buf_adds(o, "</div></header>\n<main id=\"main\"><h1>");
    yj_page_esc(rs, yj_w(rq, title_id));
    yj_buf_adds(o, "</h1>\n");
    /* Messages carried over a redirect: only known ids are shown. */
    const char *msg = yj_form(rq, "msg");
    static const char *const known[][2] = {
        {"saved", "web.msg_saved"},
        {"profile_saved", "web.msg_profile_saved"},
        {"password_changed", "web.msg_password_changed"},
        {"user_added", "web.msg_user_added"},
        {"user_changed", "web.msg_user_changed"},
        {"user_deleted", "web.msg_user_deleted"},
        {"token_revoked", "web.msg_token_revoked"},
        {"logged_out", "web.msg_logged_out"},
    };
    for (size_t i = 0; msg && i < sizeof known / sizeof known[0]; i++)
        if (strcmp(msg, known[i][0]) == 0)
            yj_page_notice(rs, "ok", yj_w(rq, known[i][1]));
}

void yj_page_end(struct yj_req *rq, struct yj_resp *rs)
{
    yj_buf_adds(&rs->body, "</main>\n<footer><p>");
    yj_page_esc(rs, yj_w(rq, "web.footer"));
    yj_buf_printf(&rs->body, " yojin %s</p></footer>\n</body></html>\n", yj_version());
}

void yj_page_error(struct yj_req *rq, struct yj_resp *rs, unsigned status, const char *msg_id)
{
    yj_buf_reset(&rs->body);
    rs->status = status;
    static const struct {
        unsigned status;
        const char *title;
    } titles[] = {{400, "web.status_400"}, {401, "web.status_401"}, {403, "web.status_403"},
                  {404, "web.status_404"}, {405, "web.status_405"}, {413, "web.status_413"},
                  {429, "web.status_429"}, {500, "web.status_500"}, {503, "web.status_503"}};
    const char *title = "web.status_other";
    for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
        if (titles[i].status == status)
            title = titles[i].title;
    yj_page_begin(rq, rs, title);
    yj_page_notice(rs, "error", yj_w(rq, msg_id));
    yj_buf_adds(&rs->body, "<p><a href=\"/\">");
    yj_page_esc(rs, yj_w(rq, "web.back_home"));
    yj_buf_adds(&rs->body, "</a></p>");
    yj_page_end(rq, rs);
}

void yj_api_begin(struct yj_resp *rs, struct yj_json *j, unsigned status)
{
    rs->status = status;
    rs->content_type = "application/json";
    yj_buf_reset(&rs->body);
    yj_json_init(j, &rs->body, true);
}

void yj_api_error(struct yj_resp *rs, unsigned status, const char *message)
{
    struct yj_json j;
    yj_api_begin(rs, &j, status);
    yj_json_obj(&j);
    yj_json_kstr(&j, "error", message);
    yj_json_end_obj(&j);
}

void yj_web_db_error(struct yj_req *rq, struct yj_resp *rs)
{
    fprintf(stderr, "yojin serve: %s %s: database error: %s\n", rq->method, rq->path,
            yj_store_errmsg(rq->store));
    if (strncmp(rq->path, "/api/", 5) == 0)
        yj_api_error(rs, 500, yj_w(rq, "web.db_error"));
    else
        yj_page_error(rq, rs, 500, "web.db_error");
}
