/* Settings: the user's own password and language; for administrators the company profile,
 * the users and their roles, and the API tokens. Every change is one POST with the CSRF
 * token, validated field by field; a rejected change stores nothing and says why. */
#include <sodium.h>
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

static void text_field(struct yj_req *rq, struct yj_resp *rs, const char *id, const char *name,
                       const char *label, const char *type, const char *value, const char *extra)
{
    yj_buf_printf(&rs->body, "<p class=\"field\"><label for=\"%s\">", id);
    esc(rs, label);
    yj_buf_printf(&rs->body, "</label><input id=\"%s\" name=\"%s\" type=\"%s\" value=\"", id, name,
                  type);
    esc(rs, value ? value : "");
    yj_buf_printf(&rs->body, "\"%s></p>", extra ? extra : "");
    (void)rq;
}

static void role_select(struct yj_req *rq, struct yj_resp *rs, const char *id, enum yj_role cur)
{
    static const enum yj_role roles[] = {ROLE_ADMIN, ROLE_MEMBER, ROLE_VIEWER};
    static const char *const keys[] = {"web.role_admin", "web.role_member", "web.role_viewer"};
    yj_buf_printf(&rs->body, "<select id=\"%s\" name=\"role\">", id);
    for (int i = 0; i < 3; i++) {
        yj_buf_printf(&rs->body, "<option value=\"%s\"%s>", yj_role_code(roles[i]),
                      roles[i] == cur ? " selected" : "");
        esc(rs, yj_w(rq, keys[i]));
        yj_buf_adds(&rs->body, "</option>");
    }
    yj_buf_adds(&rs->body, "</select>");
}

static void form_open(struct yj_req *rq, struct yj_resp *rs, const char *action)
{
    yj_buf_printf(&rs->body, "<form method=\"post\" action=\"%s\">", action);
    yj_page_csrf(rq, rs);
}

static void submit(struct yj_req *rq, struct yj_resp *rs, const char *label_id)
{
    yj_buf_adds(&rs->body, "<button type=\"submit\">");
    esc(rs, yj_w(rq, label_id));
    yj_buf_adds(&rs->body, "</button></form>");
}

/* Renders the whole settings page; error/notice/new_token are shown at the top. */
static void render(struct yj_req *rq, struct yj_resp *rs, const char *error,
                   const char *new_token)
{
    struct yj_buf *o = &rs->body;
    yj_buf_reset(o);
    yj_page_begin(rq, rs, "web.settings_title");
    if (error)
        yj_page_notice(rs, "error", error);
    if (new_token) {
        yj_buf_adds(o, "<div class=\"notice ok\" role=\"status\"><p>");
        esc(rs, yj_w(rq, "web.token_once"));
        yj_buf_adds(o, "</p><p><code class=\"token\">");
        esc(rs, new_token);
        yj_buf_adds(o, "</code></p></div>");
    }
    /* Own password */
    yj_buf_adds(o, "<section aria-labelledby=\"s-pw\"><h2 id=\"s-pw\">");
    esc(rs, yj_w(rq, "web.own_password"));
    yj_buf_adds(o, "</h2>");
    form_open(rq, rs, "/settings/password");
    text_field(rq, rs, "pw-cur", "current", yj_w(rq, "web.password_current"), "password", "",
               " required autocomplete=\"current-password\"");
    text_field(rq, rs, "pw-new", "password", yj_w(rq, "web.password_new"), "password", "",
               " required minlength=\"12\" autocomplete=\"new-password\"");
    text_field(rq, rs, "pw-new2", "password2", yj_w(rq, "web.password_again"), "password", "",
               " required minlength=\"12\" autocomplete=\"new-password\"");
    yj_buf_adds(o, "<p class=\"hint\">");
    esc(rs, yj_w(rq, "web.password_rule"));
    yj_buf_adds(o, "</p>");
    submit(rq, rs, "web.change_password");
    yj_buf_adds(o, "</section>");
    if (rq->user.role < ROLE_ADMIN) {
        yj_page_end(rq, rs);
        return;
    }

    /* Company profile */
    struct yj_org org;
    if (yj_org_load(rq->store, &org))
        return yj_web_db_error(rq, rs);
    yj_buf_adds(o, "<section aria-labelledby=\"s-org\"><h2 id=\"s-org\">");
    esc(rs, yj_w(rq, "web.profile"));
    yj_buf_adds(o, "</h2>");
    form_open(rq, rs, "/settings/profile");
    for (int f = 0; f < YJ_ORG__COUNT; f++) {
        char id[40];
        snprintf(id, sizeof id, "org-%s", yj_org_field_name((enum yj_org_field)f));
        const char *type = (f == YJ_ORG_website || f == YJ_ORG_policy_url) ? "url"
                           : f == YJ_ORG_policy_date                      ? "date"
                                                                          : "text";
        text_field(rq, rs, id, yj_org_field_name((enum yj_org_field)f),
                   yj_org_field_label((enum yj_org_field)f), type,
                   yj_org_get_field(&org, (enum yj_org_field)f), NULL);
    }
    submit(rq, rs, "web.save");
    yj_buf_adds(o, "</section>");
    yj_org_fini(&org);

    /* Users */
    yj_buf_adds(o, "<section aria-labelledby=\"s-users\"><h2 id=\"s-users\">");
    esc(rs, yj_w(rq, "web.users"));
    yj_buf_adds(o, "</h2><table class=\"list\"><thead><tr><th scope=\"col\">");
    esc(rs, yj_w(rq, "web.login_id"));
    yj_buf_adds(o, "</th><th scope=\"col\">");
    esc(rs, yj_w(rq, "web.user_name"));
    yj_buf_adds(o, "</th><th scope=\"col\">");
    esc(rs, yj_w(rq, "web.department"));
    yj_buf_adds(o, "</th><th scope=\"col\">");
    esc(rs, yj_w(rq, "web.role"));
    yj_buf_adds(o, "</th><th></th></tr></thead><tbody>");
    struct yj_stmt *st;
    if (yj_stmt_prepare(rq->store,
                        "SELECT id, login, name, department, role FROM web_user ORDER BY id", &st))
        return yj_web_db_error(rq, rs);
    bool row;
    while (!yj_stmt_step(st, &row) && row) {
        long long uid = (long long)yj_col_int(st, 0);
        yj_buf_adds(o, "<tr><td>");
        esc(rs, yj_col_text(st, 1));
        yj_buf_adds(o, "</td><td>");
        esc(rs, yj_col_text(st, 2));
        yj_buf_adds(o, "</td><td>");
        esc(rs, yj_report_department(yj_col_text(st, 3), rq->lang));
        yj_buf_adds(o, "</td><td>");
        form_open(rq, rs, "/settings/users/role");
        yj_buf_printf(o, "<input type=\"hidden\" name=\"id\" value=\"%lld\"><label "
                         "class=\"sr\" for=\"role-%lld\">",
                      uid, uid);
        esc(rs, yj_w(rq, "web.role"));
        yj_buf_adds(o, "</label>");
        char sid[32];
        snprintf(sid, sizeof sid, "role-%lld", uid);
        role_select(rq, rs, sid, yj_role_parse(yj_col_text(st, 4)));
        yj_buf_adds(o, " ");
        submit(rq, rs, "web.change");
        yj_buf_adds(o, "</td><td>");
        if (uid != (long long)rq->user.id) {
            form_open(rq, rs, "/settings/users/delete");
            yj_buf_printf(o, "<input type=\"hidden\" name=\"id\" value=\"%lld\">", uid);
            submit(rq, rs, "web.delete");
        }
        yj_buf_adds(o, "</td></tr>");
    }
    yj_stmt_free(st);
    yj_buf_adds(o, "</tbody></table><h3>");
    esc(rs, yj_w(rq, "web.add_user"));
    yj_buf_adds(o, "</h3>");
    form_open(rq, rs, "/settings/users");
    text_field(rq, rs, "u-name", "name", yj_w(rq, "web.user_name"), "text", yj_form(rq, "name"),
               " required maxlength=\"100\"");
    text_field(rq, rs, "u-login", "login", yj_w(rq, "web.login_id"), "text", yj_form(rq, "login"),
               " required maxlength=\"100\" autocomplete=\"off\"");
    text_field(rq, rs, "u-dept", "department", yj_w(rq, "web.department"), "text",
               yj_form(rq, "department"), " maxlength=\"100\"");
    yj_buf_adds(o, "<p class=\"field\"><label for=\"u-role\">");
    esc(rs, yj_w(rq, "web.role"));
    yj_buf_adds(o, "</label>");
    role_select(rq, rs, "u-role", ROLE_MEMBER);
    yj_buf_adds(o, "</p>");
    text_field(rq, rs, "u-pw", "password", yj_w(rq, "web.password_new"), "password", "",
               " required minlength=\"12\" autocomplete=\"new-password\"");
    text_field(rq, rs, "u-pw2", "password2", yj_w(rq, "web.password_again"), "password", "",
               " required minlength=\"12\" autocomplete=\"new-password\"");
    submit(rq, rs, "web.add_user");
    yj_buf_adds(o, "</section>");

    /* API tokens */
    yj_buf_adds(o, "<section aria-labelledby=\"s-tok\"><h2 id=\"s-tok\">");
    esc(rs, yj_w(rq, "web.tokens"));
    yj_buf_adds(o, "</h2><p>");
    esc(rs, yj_w(rq, "web.tokens_intro"));
    yj_buf_adds(o, "</p><ul class=\"plain\">");
    if (yj_stmt_prepare(rq->store,
                        "SELECT id, name, role, created_at FROM web_token WHERE revoked = 0 "
                        "ORDER BY id",
                        &st))
        return yj_web_db_error(rq, rs);
    while (!yj_stmt_step(st, &row) && row) {
        yj_buf_adds(o, "<li>");
        esc(rs, yj_col_text(st, 1));
        yj_buf_adds(o, " (");
        esc(rs, yj_col_text(st, 2));
        yj_buf_adds(o, ", ");
        esc(rs, yj_col_text(st, 3));
        yj_buf_adds(o, ") ");
        form_open(rq, rs, "/settings/tokens/revoke");
        yj_buf_printf(o, "<input type=\"hidden\" name=\"id\" value=\"%lld\">",
                      (long long)yj_col_int(st, 0));
        submit(rq, rs, "web.revoke");
        yj_buf_adds(o, "</li>");
    }
    yj_stmt_free(st);
    yj_buf_adds(o, "</ul>");
    form_open(rq, rs, "/settings/tokens");
    text_field(rq, rs, "t-name", "name", yj_w(rq, "web.token_name"), "text", NULL,
               " required maxlength=\"100\"");
    yj_buf_adds(o, "<p class=\"field\"><label for=\"t-role\">");
    esc(rs, yj_w(rq, "web.role"));
    yj_buf_adds(o, "</label>");
    role_select(rq, rs, "t-role", ROLE_VIEWER);
    yj_buf_adds(o, "</p>");
    submit(rq, rs, "web.token_create");
    yj_buf_adds(o, "</section>");
    yj_page_end(rq, rs);
}

void page_settings(struct yj_req *rq, struct yj_resp *rs)
{
    render(rq, rs, NULL, NULL);
}

static void reject(struct yj_req *rq, struct yj_resp *rs, const char *text)
{
    rs->status = 400;
    render(rq, rs, text, NULL);
}

void post_profile(struct yj_req *rq, struct yj_resp *rs)
{
    struct yj_org org;
    if (yj_org_load(rq->store, &org))
        return yj_web_db_error(rq, rs);
    for (int f = 0; f < YJ_ORG__COUNT; f++) {
        const char *v = yj_form(rq, yj_org_field_name((enum yj_org_field)f));
        if (!v)
            continue;
        char **p = yj_org_field(&org, (enum yj_org_field)f);
        free(*p);
        *p = yj_xstrdup(v);
    }
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_org_save(rq->store, &org, &d);
    yj_org_fini(&org);
    if (err == YJ_ERR_DB) {
        yj_diag_fini(&d);
        return yj_web_db_error(rq, rs);
    }
    if (err) {
        reject(rq, rs, d.n ? d.v[0].msg : yj_w(rq, "web.bad_form"));
        yj_diag_fini(&d);
        return;
    }
    yj_diag_fini(&d);
    yj_resp_redirect(rs, "/settings?msg=profile_saved");
}

void post_password(struct yj_req *rq, struct yj_resp *rs)
{
    const char *cur = yj_form(rq, "current");
    const char *pw = yj_form(rq, "password"), *pw2 = yj_form(rq, "password2");
    if (!cur || !pw || !pw2)
        return reject(rq, rs, yj_w(rq, "web.bad_form"));
    struct yj_stmt *st;
    if (yj_stmt_prepare(rq->store, "SELECT pw_hash FROM web_user WHERE id = ?1", &st))
        return yj_web_db_error(rq, rs);
    bool row = false, ok = false;
    if (!yj_stmt_int(st, 1, rq->user.id) && !yj_stmt_step(st, &row) && row)
        ok = yj_auth_verify_password(yj_col_text(st, 0), cur);
    yj_stmt_free(st);
    if (!ok)
        return reject(rq, rs, yj_w(rq, "web.password_wrong"));
    if (strcmp(pw, pw2) != 0)
        return reject(rq, rs, yj_w(rq, "web.pw_mismatch"));
    const char *problem = yj_auth_password_problem(pw);
    if (problem)
        return reject(rq, rs, yj_w(rq, problem));
    char hash[crypto_pwhash_STRBYTES];
    if (yj_auth_hash_password(pw, hash, sizeof hash))
        return yj_web_db_error(rq, rs);
    enum yj_err err = yj_store_begin(rq->store);
    /* The new password ends every other session of this user. */
    if (!err && !(err = yj_stmt_prepare(rq->store, "UPDATE web_user SET pw_hash = ?2 WHERE id = ?1",
                                        &st))) {
        if (!(err = yj_stmt_int(st, 1, rq->user.id)) && !(err = yj_stmt_text(st, 2, hash)))
            err = yj_stmt_run(st);
        yj_stmt_free(st);
    }
    if (!err && !(err = yj_stmt_prepare(rq->store,
                                        "DELETE FROM web_session WHERE user_id = ?1 AND "
                                        "token_hash != ?2",
                                        &st))) {
        if (!(err = yj_stmt_int(st, 1, rq->user.id)) &&
            !(err = yj_stmt_text(st, 2, rq->session_hash ? rq->session_hash : "")))
            err = yj_stmt_run(st);
        yj_stmt_free(st);
    }
    if (!err)
        err = yj_store_commit(rq->store);
    sodium_memzero(hash, sizeof hash);
    if (err) {
        yj_store_rollback(rq->store);
        return yj_web_db_error(rq, rs);
    }
    yj_resp_redirect(rs, "/settings?msg=password_changed");
}

void post_user_add(struct yj_req *rq, struct yj_resp *rs)
{
    const char *name = yj_form(rq, "name"), *login = yj_form(rq, "login");
    const char *dept = yj_form(rq, "department");
    enum yj_role role = yj_role_parse(yj_form(rq, "role"));
    const char *problem = web_user_problem(rq, name, login, yj_form(rq, "password"),
                                           yj_form(rq, "password2"));
    if (!problem && role == ROLE_NONE)
        problem = "web.bad_role";
    struct yj_diag d;
    yj_diag_init(&d);
    if (!problem && dept && yj_assess_check_name(yj_w(rq, "diag.department"), dept, &d))
        problem = "web.bad_department";
    yj_diag_fini(&d);
    if (problem)
        return reject(rq, rs, yj_w(rq, problem));
    enum yj_err err;
    /* New users start in the product's default language; each switches for themselves. */
    web_user_insert(rq, login, name, role, dept ? dept : "", YJ_LANG_JA, yj_form(rq, "password"),
                    &err);
    if (err == YJ_ERR_EXISTS)
        return reject(rq, rs, yj_w(rq, "web.login_taken"));
    if (err)
        return yj_web_db_error(rq, rs);
    yj_resp_redirect(rs, "/settings?msg=user_added");
}

static bool form_id(struct yj_req *rq, long *id)
{
    const char *v = yj_form(rq, "id");
    return v && yj_str_to_long(yj_str_c(v), id) && *id > 0;
}

/* Administrators left if user id changed to role (or was deleted, role NONE). */
static int admins_after(struct yj_req *rq, long id, enum yj_role role)
{
    struct yj_stmt *st;
    int n = -1;
    if (yj_stmt_prepare(rq->store,
                        "SELECT count(*) FROM web_user WHERE role = 'admin' AND disabled = 0 "
                        "AND id != ?1",
                        &st))
        return -1;
    bool row;
    if (!yj_stmt_int(st, 1, id) && !yj_stmt_step(st, &row) && row)
        n = (int)yj_col_int(st, 0) + (role == ROLE_ADMIN);
    yj_stmt_free(st);
    return n;
}

static void change_user(struct yj_req *rq, struct yj_resp *rs, bool del)
{
    long id;
    enum yj_role role = del ? ROLE_NONE : yj_role_parse(yj_form(rq, "role"));
    if (!form_id(rq, &id) || (!del && role == ROLE_NONE))
        return reject(rq, rs, yj_w(rq, "web.bad_form"));
    if (del && id == rq->user.id)
        return reject(rq, rs, yj_w(rq, "web.no_self_delete"));
    enum yj_err err = yj_store_begin(rq->store);
    if (err)
        return yj_web_db_error(rq, rs);
    int left = admins_after(rq, id, role);
    if (left == 0) {
        yj_store_rollback(rq->store);
        return reject(rq, rs, yj_w(rq, "web.last_admin"));
    }
    struct yj_stmt *st;
    err = yj_stmt_prepare(rq->store,
                          del ? "DELETE FROM web_user WHERE id = ?1"
                              : "UPDATE web_user SET role = ?2 WHERE id = ?1",
                          &st);
    if (!err) {
        if (!(err = yj_stmt_int(st, 1, id)) && (del || !(err = yj_stmt_text(st, 2, yj_role_code(role)))))
            err = yj_stmt_run(st);
        yj_stmt_free(st);
    }
    if (!err)
        err = yj_store_commit(rq->store);
    if (err) {
        yj_store_rollback(rq->store);
        return yj_web_db_error(rq, rs);
    }
    yj_resp_redirect(rs, del ? "/settings?msg=user_deleted" : "/settings?msg=user_changed");
}

void post_user_role(struct yj_req *rq, struct yj_resp *rs)
{
    change_user(rq, rs, false);
}

void post_user_delete(struct yj_req *rq, struct yj_resp *rs)
{
    change_user(rq, rs, true);
}

void post_token_add(struct yj_req *rq, struct yj_resp *rs)
{
    const char *name = yj_form(rq, "name");
    enum yj_role role = yj_role_parse(yj_form(rq, "role"));
    if (!name || !*name || strlen(name) > 100 || !yj_str_is_text(yj_str_c(name)) ||
        role == ROLE_NONE)
        return reject(rq, rs, yj_w(rq, "web.bad_token_name"));
    const char *tok, *hash;
    yj_auth_new_token(rq, &tok, &hash);
    char now[YJ_ISO_LEN];
    yj_time_iso(yj_now(), now);
    struct yj_stmt *st;
    enum yj_err err = yj_stmt_prepare(rq->store,
                                      "INSERT INTO web_token(name, token_hash, role, created_by, "
                                      "created_at) VALUES(?1, ?2, ?3, ?4, ?5)",
                                      &st);
    if (!err) {
        if (!(err = yj_stmt_text(st, 1, name)) && !(err = yj_stmt_text(st, 2, hash)) &&
            !(err = yj_stmt_text(st, 3, yj_role_code(role))) &&
            !(err = yj_stmt_int(st, 4, rq->user.id)) && !(err = yj_stmt_text(st, 5, now)))
            err = yj_stmt_run(st);
        yj_stmt_free(st);
    }
    if (err)
        return yj_web_db_error(rq, rs);
    render(rq, rs, NULL, tok);
}

void post_token_revoke(struct yj_req *rq, struct yj_resp *rs)
{
    long id;
    if (!form_id(rq, &id))
        return reject(rq, rs, yj_w(rq, "web.bad_form"));
    struct yj_stmt *st;
    enum yj_err err = yj_stmt_prepare(rq->store, "UPDATE web_token SET revoked = 1 WHERE id = ?1",
                                      &st);
    if (!err) {
        if (!(err = yj_stmt_int(st, 1, id)))
            err = yj_stmt_run(st);
        yj_stmt_free(st);
    }
    if (err)
        return yj_web_db_error(rq, rs);
    yj_resp_redirect(rs, "/settings?msg=token_revoked");
}
