/* First-run setup, login, logout and the language switch. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "org/org.h"
#include "web_int.h"

static void field(struct yj_req *rq, struct yj_resp *rs, const char *name, const char *label_id,
                  const char *type, const char *value, const char *extra)
{
    yj_buf_printf(&rs->body, "<p class=\"field\"><label for=\"f-%s\">", name);
    yj_page_esc(rs, yj_w(rq, label_id));
    yj_buf_printf(&rs->body, "</label><input id=\"f-%s\" name=\"%s\" type=\"%s\" value=\"", name,
                  name, type);
    yj_page_esc(rs, value ? value : "");
    yj_buf_printf(&rs->body, "\"%s></p>\n", extra ? extra : "");
}

static void setup_form(struct yj_req *rq, struct yj_resp *rs, const char *error)
{
    yj_page_begin(rq, rs, "web.setup_title");
    if (error)
        yj_page_notice(rs, "error", error);
    yj_buf_adds(&rs->body, "<p>");
    yj_page_esc(rs, yj_w(rq, "web.setup_intro"));
    yj_buf_adds(&rs->body, "</p><form method=\"post\" action=\"/setup\">");
    yj_page_csrf(rq, rs);
    yj_buf_adds(&rs->body, "<fieldset><legend>");
    yj_page_esc(rs, yj_w(rq, "web.setup_company"));
    yj_buf_adds(&rs->body, "</legend>");
    field(rq, rs, "name", "org.name", "text", yj_form(rq, "name"), " required maxlength=\"200\"");
    field(rq, rs, "industry", "org.industry", "text", yj_form(rq, "industry"), " maxlength=\"100\"");
    field(rq, rs, "size", "org.size", "text", yj_form(rq, "size"),
          " inputmode=\"numeric\" maxlength=\"20\"");
    field(rq, rs, "prefecture", "org.prefecture", "text", yj_form(rq, "prefecture"),
          " maxlength=\"20\"");
    field(rq, rs, "website", "org.website", "url", yj_form(rq, "website"),
          " maxlength=\"500\" placeholder=\"https://\"");
    yj_buf_adds(&rs->body, "</fieldset><fieldset><legend>");
    yj_page_esc(rs, yj_w(rq, "web.setup_admin"));
    yj_buf_adds(&rs->body, "</legend>");
    field(rq, rs, "admin_name", "web.user_name", "text", yj_form(rq, "admin_name"),
          " required maxlength=\"100\" autocomplete=\"name\"");
    field(rq, rs, "login", "web.login_id", "text", yj_form(rq, "login"),
          " required maxlength=\"100\" autocomplete=\"username\"");
    field(rq, rs, "password", "web.password_new", "password", "",
          " required minlength=\"12\" autocomplete=\"new-password\"");
    field(rq, rs, "password2", "web.password_again", "password", "",
          " required minlength=\"12\" autocomplete=\"new-password\"");
    yj_buf_adds(&rs->body, "<p class=\"hint\">");
    yj_page_esc(rs, yj_w(rq, "web.password_rule"));
    yj_buf_adds(&rs->body, "</p></fieldset><p><button type=\"submit\" class=\"primary\">");
    yj_page_esc(rs, yj_w(rq, "web.setup_submit"));
    yj_buf_adds(&rs->body, "</button></p></form>");
    yj_page_end(rq, rs);
}

void page_setup(struct yj_req *rq, struct yj_resp *rs)
{
    setup_form(rq, rs, NULL);
}

/* Validates a login id: 1-100 bytes of printable text without spaces. */
static bool login_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 100 || !yj_str_is_text(yj_str_c(s)))
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ' ' || s[i] == '\t')
            return false;
    return true;
}

const char *web_user_problem(struct yj_req *rq, const char *name, const char *login,
                             const char *pw, const char *pw2)
{
    (void)rq;
    if (!name || !*name || strlen(name) > 100 || !yj_str_is_text(yj_str_c(name)))
        return "web.bad_user_name";
    if (!login || !login_ok(login))
        return "web.bad_login_id";
    if (!pw || !pw2 || strcmp(pw, pw2) != 0)
        return "web.pw_mismatch";
    return yj_auth_password_problem(pw);
}

int64_t web_user_insert(struct yj_req *rq, const char *login, const char *name,
                        enum yj_role role, const char *department, enum yj_lang lang,
                        const char *pw, enum yj_err *err)
{
    char hash[crypto_pwhash_STRBYTES];
    if ((*err = yj_auth_hash_password(pw, hash, sizeof hash)))
        return 0;
    char now[YJ_ISO_LEN];
    yj_time_iso(yj_now(), now);
    struct yj_stmt *st;
    if ((*err = yj_stmt_prepare(rq->store,
                                "INSERT INTO web_user(login, name, role, department, lang, "
                                "pw_hash, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                &st)))
        return 0;
    if (!(*err = yj_stmt_text(st, 1, login)) && !(*err = yj_stmt_text(st, 2, name)) &&
        !(*err = yj_stmt_text(st, 3, yj_role_code(role))) &&
        !(*err = yj_stmt_text(st, 4, department ? department : "")) &&
        !(*err = yj_stmt_text(st, 5, yj_lang_code(lang))) &&
        !(*err = yj_stmt_text(st, 6, hash)) && !(*err = yj_stmt_text(st, 7, now)))
        *err = yj_stmt_run(st);
    yj_stmt_free(st);
    sodium_memzero(hash, sizeof hash);
    return *err ? 0 : yj_store_last_id(rq->store);
}

void post_setup(struct yj_req *rq, struct yj_resp *rs)
{
    const char *problem = web_user_problem(rq, yj_form(rq, "admin_name"), yj_form(rq, "login"),
                                           yj_form(rq, "password"), yj_form(rq, "password2"));
    struct yj_org org = {0};
    struct yj_diag d;
    yj_diag_init(&d);
    for (int f = 0; f <= YJ_ORG_website; f++) {
        const char *v = yj_form(rq, yj_org_field_name((enum yj_org_field)f));
        *yj_org_field(&org, (enum yj_org_field)f) = (char *)(v ? v : "");
    }
    if (!problem && !*org.name)
        problem = "web.need_company";
    for (int f = 0; !problem && f <= YJ_ORG_website; f++)
        if (yj_org_check((enum yj_org_field)f, yj_org_get_field(&org, (enum yj_org_field)f), &d))
            problem = "";
    if (problem) {
        rs->status = 400;
        setup_form(rq, rs, *problem ? yj_w(rq, problem) : d.v[0].msg);
        yj_diag_fini(&d);
        return;
    }
    /* One transaction: the check that no administrator exists and the insert. */
    enum yj_err err = yj_store_begin(rq->store);
    int64_t uid = 0;
    if (!err) {
        if (yj_auth_has_admin(rq)) {
            yj_store_rollback(rq->store);
            yj_diag_fini(&d);
            return yj_page_error(rq, rs, 403, "web.setup_done");
        }
        /* The first administrator keeps the language the setup page was used in. */
        uid = web_user_insert(rq, yj_form(rq, "login"), yj_form(rq, "admin_name"), ROLE_ADMIN,
                              "", rq->lang, yj_form(rq, "password"), &err);
    }
    /* The administrator and the profile together, or neither. */
    if (!err)
        err = yj_org_write(rq->store, &org, &d);
    if (!err)
        err = yj_store_commit(rq->store);
    if (err)
        yj_store_rollback(rq->store);
    yj_diag_fini(&d);
    if (err)
        return yj_web_db_error(rq, rs);
    if (yj_auth_start_session(rq, rs, uid))
        return yj_web_db_error(rq, rs);
    yj_resp_redirect(rs, "/");
}

static void login_form(struct yj_req *rq, struct yj_resp *rs, const char *error)
{
    yj_page_begin(rq, rs, "web.login_title");
    if (error)
        yj_page_notice(rs, "error", error);
    yj_buf_adds(&rs->body, "<form method=\"post\" action=\"/login\" class=\"narrow\">");
    yj_page_csrf(rq, rs);
    field(rq, rs, "login", "web.login_id", "text", yj_form(rq, "login"),
          " required autocomplete=\"username\" autofocus");
    field(rq, rs, "password", "web.password", "password", "",
          " required autocomplete=\"current-password\"");
    yj_buf_adds(&rs->body, "<p><button type=\"submit\" class=\"primary\">");
    yj_page_esc(rs, yj_w(rq, "web.login_submit"));
    yj_buf_adds(&rs->body, "</button></p></form>");
    yj_page_end(rq, rs);
}

void page_login(struct yj_req *rq, struct yj_resp *rs)
{
    if (!yj_auth_has_admin(rq))
        return yj_resp_redirect(rs, "/setup");
    if (rq->authed)
        return yj_resp_redirect(rs, "/");
    login_form(rq, rs, NULL);
}

void post_login(struct yj_req *rq, struct yj_resp *rs)
{
    const char *login = yj_form(rq, "login"), *pw = yj_form(rq, "password");
    if (!login || !pw) {
        rs->status = 400;
        return login_form(rq, rs, yj_w(rq, "web.login_wrong"));
    }
    int retry = 0;
    const char *problem = yj_auth_login(rq, rs, login, pw, &retry);
    if (!problem)
        return yj_resp_redirect(rs, "/");
    if (strcmp(problem, "web.db_error") == 0)
        return yj_web_db_error(rq, rs);
    rs->nheaders = 0;
    if (retry) {
        rs->status = 429;
        char *msg = NULL;
        if (asprintf(&msg, yj_w(rq, problem), retry) < 0)
            yj_oom();
        const char *m = yj_arena_strdup(&rq->arena, msg);
        free(msg);
        char ra[16];
        snprintf(ra, sizeof ra, "%d", retry * 60);
        yj_resp_header(rs, "Retry-After", yj_arena_strdup(&rq->arena, ra));
        return login_form(rq, rs, m);
    }
    rs->status = 401;
    login_form(rq, rs, yj_w(rq, problem));
}

void post_logout(struct yj_req *rq, struct yj_resp *rs)
{
    yj_auth_logout(rq, rs);
    yj_resp_redirect(rs, "/login?msg=logged_out");
}

void post_lang(struct yj_req *rq, struct yj_resp *rs)
{
    enum yj_lang l;
    const char *v = yj_form(rq, "lang");
    if (!v || !yj_lang_parse(v, &l))
        return yj_page_error(rq, rs, 400, "web.bad_lang");
    if (rq->authed) {
        struct yj_stmt *st;
        if (yj_stmt_prepare(rq->store, "UPDATE web_user SET lang = ?2 WHERE id = ?1", &st))
            return yj_web_db_error(rq, rs);
        enum yj_err err = yj_stmt_int(st, 1, rq->user.id);
        if (!err && !(err = yj_stmt_text(st, 2, yj_lang_code(l))))
            err = yj_stmt_run(st);
        yj_stmt_free(st);
        if (err)
            return yj_web_db_error(rq, rs);
    }
    yj_resp_header(rs, "Set-Cookie", yj_cookie_set(rq, "yj_lang", yj_lang_code(l), 31536000));
    /* Back to the page the switch was on, but only to a local path. */
    const char *back = yj_form(rq, "back");
    if (!back || back[0] != '/' || back[1] == '/' || back[1] == '\\' || strchr(back, '\r') ||
        strchr(back, '\n'))
        back = "/";
    yj_resp_redirect(rs, back);
}
