/* Private to src/web: the request and response of one HTTP exchange, the route table, and
 * the helpers that pages share. Each request owns an arena; everything a handler allocates
 * for the request comes from it. */
#ifndef YJ_WEB_WEB_INT_H
#define YJ_WEB_WEB_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "assess/assess.h"
#include "respond/respond.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/i18n.h"
#include "web.h"

#define YJ_WEB_MAX_FORM (64u * 1024u)     /* bytes of a form body */
#define YJ_WEB_MAX_JSON (256u * 1024u)    /* bytes of an API body */
#define YJ_WEB_MAX_FIELDS 200
#define YJ_WEB_PASSWORD_MIN 12            /* characters */
#define YJ_WEB_PASSWORD_MAX 1024          /* bytes */
#define YJ_WEB_LOGIN_FAILS_ACCOUNT 5      /* failures per account per window */
#define YJ_WEB_LOGIN_FAILS_SOURCE 20      /* failures per source address per window */
#define YJ_WEB_LOGIN_WINDOW 900           /* seconds */
#define YJ_WEB_TOKEN_BYTES 32             /* 256-bit session and API tokens */

enum yj_access { ACCESS_PUBLIC, ACCESS_SETUP, ACCESS_VIEWER, ACCESS_MEMBER, ACCESS_ADMIN,
                 ACCESS_API_READ, ACCESS_API_WRITE };
enum yj_role { ROLE_NONE, ROLE_VIEWER, ROLE_MEMBER, ROLE_ADMIN };

struct yj_field {
    const char *name, *value; /* decoded, NUL-terminated, arena-owned */
};

struct yj_user {
    int64_t id;
    const char *login, *name, *department;
    enum yj_role role;
    enum yj_lang lang;
};

/* State shared by all requests: read-only after start. */
struct yj_app {
    const struct yj_web_config *cfg;
    struct yj_bank bank;
    struct yj_action_facts facts;
    struct yj_respond_data respond;
    bool https;
};

struct yj_req {
    const struct yj_app *app;
    struct yj_store *store;        /* this worker thread's connection */
    struct yj_arena arena;
    const char *method, *path;
    const char *client_ip;
    const char *cookie_header, *auth_header, *content_type, *accept_language;
    struct yj_buf body;
    bool body_too_big;
    struct yj_field *fields;       /* form fields (POST) or query (GET) */
    size_t nfields;
    bool form_bad;                 /* malformed form encoding */
    /* who is asking */
    bool authed;                   /* a valid session or API token */
    struct yj_user user;
    const char *session_hash;      /* hex; NULL without a session */
    const char *csrf;              /* the session's (or pre-session) CSRF token */
    const char *set_pre_csrf;      /* a new pre-session token to send as a cookie */
    /* Writes that identifying the caller asks for, done after the request's reads. */
    const char *touch_session, *drop_session;
    int64_t touch_token;
    enum yj_lang lang;
};

#define YJ_WEB_MAX_HEADERS 8
struct yj_resp {
    unsigned status;
    const char *content_type;
    struct yj_buf body;
    const char *hname[YJ_WEB_MAX_HEADERS], *hvalue[YJ_WEB_MAX_HEADERS];
    int nheaders;
    const char *csp;               /* overrides the default policy when set */
    bool cacheable;                /* static assets */
};

typedef void yj_handler(struct yj_req *rq, struct yj_resp *rs);

struct yj_route {
    const char *method, *path;
    yj_handler *fn;
    enum yj_access access;
    bool csrf;
};

#define YJ_ROUTE(m, p, fn, acc, csrf) yj_handler fn;
#include "routes.def"
#undef YJ_ROUTE

extern const struct yj_route yj_routes[];
extern const size_t yj_nroutes;

/* ---- http.c: parsing ---------------------------------------------------------------- */
/* Decodes application/x-www-form-urlencoded (or a query string) into rq->fields. */
bool yj_http_parse_form(struct yj_req *rq, const char *p, size_t n);
const char *yj_form(const struct yj_req *rq, const char *name); /* NULL when absent */
/* The value of cookie name from rq->cookie_header, arena copy; NULL when absent. */
const char *yj_cookie(struct yj_req *rq, const char *name);
void yj_resp_header(struct yj_resp *rs, const char *name, const char *value);
void yj_resp_redirect(struct yj_resp *rs, const char *location);
/* Cookie header value for name=value with the console's attributes (arena-owned). */
const char *yj_cookie_set(struct yj_req *rq, const char *name, const char *value, long max_age);

/* ---- auth.c ------------------------------------------------------------------------- */
bool yj_auth_has_admin(struct yj_req *rq);
/* Looks up the session cookie or bearer token; fills rq->authed, user, csrf. */
void yj_auth_identify(struct yj_req *rq, bool api);
/* Performs the writes yj_auth_identify deferred (session touch or expiry, token use). */
void yj_auth_after(struct yj_req *rq);
bool yj_auth_csrf_ok(struct yj_req *rq);
/* The pre-session CSRF token for setup/login forms (sets a cookie when new). */
const char *yj_auth_pre_csrf(struct yj_req *rq);
/* Checks the password rules; returns a catalog id of the problem or NULL. */
const char *yj_auth_password_problem(const char *pw);
enum yj_err yj_auth_hash_password(const char *pw, char *out, size_t outlen) YJ_MUST;
/* Login with rate limits. On success starts a new session and sets its cookie. Returns a
 * catalog id of the problem (wrong password, locked) or NULL. */
const char *yj_auth_login(struct yj_req *rq, struct yj_resp *rs, const char *login,
                          const char *password, int *retry_min);
void yj_auth_logout(struct yj_req *rq, struct yj_resp *rs);
/* Starts a session for user_id (new token, cookie). */
enum yj_err yj_auth_start_session(struct yj_req *rq, struct yj_resp *rs, int64_t user_id) YJ_MUST;
/* A new random token as base64url (arena-owned) and its hex hash. */
void yj_auth_new_token(struct yj_req *rq, const char **token, const char **hash);
enum yj_role yj_role_parse(const char *s);
const char *yj_role_code(enum yj_role r);
bool yj_auth_verify_password(const char *hash, const char *pw);

/* ---- page_auth.c: users ------------------------------------------------------------- */
/* The catalog id of what is wrong with a new user's fields, or NULL. */
const char *web_user_problem(struct yj_req *rq, const char *name, const char *login,
                             const char *pw, const char *pw2);
/* Inserts a user (password hashed here); returns the id, 0 with *err on failure. */
int64_t web_user_insert(struct yj_req *rq, const char *login, const char *name,
                        enum yj_role role, const char *department, enum yj_lang lang,
                        const char *pw, enum yj_err *err);

/* ---- page_respond.c ---------------------------------------------------------------- */
/* A case from the request's fields (type, discovered: today when absent, sector,
 * personal_data, people, malicious, ongoing); the catalog id of the problem, or NULL. */
const char *web_case_from_form(struct yj_req *rq, struct yj_case *k);

/* ---- page_alerts.c ----------------------------------------------------------------- */
/* The dashboard's alerts card (nothing when the store fails). */
void web_alerts_card(struct yj_req *rq, struct yj_resp *rs);
/* "ack", "close", "reopen" or a status code to an enum yj_alert_status; -1 when unknown. */
int web_alert_action(const char *a);
/* Loads alert id into x (strings in a, which this initialises; the caller finishes it), or
 * answers the request (database error, or 404 as a page or, under /api/, as JSON), leaves
 * a finished and returns false. */
struct yj_alert;
bool web_alert_load(struct yj_req *rq, struct yj_resp *rs, int64_t id, struct yj_arena *a,
                    struct yj_alert *x);

/* ---- page.c: layout and shared rendering ----------------------------------------- */
const char *yj_w(const struct yj_req *rq, const char *id); /* catalog text in rq's language */
void yj_page_begin(struct yj_req *rq, struct yj_resp *rs, const char *title_id);
void yj_page_end(struct yj_req *rq, struct yj_resp *rs);
void yj_page_esc(struct yj_resp *rs, const char *s);
void yj_page_csrf(struct yj_req *rq, struct yj_resp *rs); /* the hidden input */
void yj_page_notice(struct yj_resp *rs, const char *kind, const char *text);
void yj_page_error(struct yj_req *rq, struct yj_resp *rs, unsigned status, const char *msg_id);
/* JSON responses for the API. */
void yj_api_error(struct yj_resp *rs, unsigned status, const char *message);
void yj_api_begin(struct yj_resp *rs, struct yj_json *j, unsigned status);

/* A failed store call: a plain page or JSON error, logged. */
void yj_web_db_error(struct yj_req *rq, struct yj_resp *rs);

#endif
