/* Who is asking: users and their passwords (Argon2id), sessions (256-bit random tokens, only
 * their BLAKE2b hash stored), CSRF tokens, login rate limits, API tokens.
 *
 *   web_user(id, login, name, role, department, lang, pw_hash, created_at, disabled)
 *   web_session(token_hash, user_id, csrf, created_at, last_seen, ip)
 *   web_login_failure(id, login, ip, at)
 *   web_token(id, name, token_hash, role, created_by, created_at, last_used, revoked)
 *
 * Argon2id runs with t=2, m=19 MiB, p=1 (OWASP's recommended minimum), which keeps a login
 * well under the console's memory budget. */
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "web_int.h"

static const struct yj_migration migrations[] = {
    {1, "CREATE TABLE web_user("
        "  id INTEGER PRIMARY KEY,"
        "  login TEXT NOT NULL UNIQUE COLLATE NOCASE,"
        "  name TEXT NOT NULL,"
        "  role TEXT NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),"
        "  department TEXT NOT NULL DEFAULT '',"
        "  lang TEXT NOT NULL DEFAULT 'ja',"
        "  pw_hash TEXT NOT NULL,"
        "  created_at TEXT NOT NULL,"
        "  disabled INTEGER NOT NULL DEFAULT 0);"
        "CREATE TABLE web_session("
        "  token_hash TEXT PRIMARY KEY,"
        "  user_id INTEGER NOT NULL REFERENCES web_user(id) ON DELETE CASCADE,"
        "  csrf TEXT NOT NULL,"
        "  created_at INTEGER NOT NULL,"
        "  last_seen INTEGER NOT NULL,"
        "  ip TEXT NOT NULL);"
        "CREATE TABLE web_login_failure("
        "  id INTEGER PRIMARY KEY,"
        "  login TEXT NOT NULL,"
        "  ip TEXT NOT NULL,"
        "  at INTEGER NOT NULL);"
        "CREATE INDEX web_login_failure_login ON web_login_failure(login, at);"
        "CREATE INDEX web_login_failure_ip ON web_login_failure(ip, at);"
        "CREATE TABLE web_token("
        "  id INTEGER PRIMARY KEY,"
        "  name TEXT NOT NULL,"
        "  token_hash TEXT NOT NULL UNIQUE,"
        "  role TEXT NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),"
        "  created_by INTEGER,"
        "  created_at TEXT NOT NULL,"
        "  last_used INTEGER,"
        "  revoked INTEGER NOT NULL DEFAULT 0);"},
};

const struct yj_schema yj_web_schema = {"web", migrations,
                                        sizeof migrations / sizeof migrations[0]};

#define PW_OPS 2u
#define PW_MEM (19u * 1024u * 1024u)
#define HASH_HEX (2 * crypto_generichash_BYTES + 1)
#define TOKEN_B64 (sodium_base64_ENCODED_LEN(YJ_WEB_TOKEN_BYTES, \
                                             sodium_base64_VARIANT_URLSAFE_NO_PADDING))

enum yj_role yj_role_parse(const char *s)
{
    if (!s)
        return ROLE_NONE;
    if (strcmp(s, "admin") == 0)
        return ROLE_ADMIN;
    if (strcmp(s, "member") == 0)
        return ROLE_MEMBER;
    if (strcmp(s, "viewer") == 0)
        return ROLE_VIEWER;
    return ROLE_NONE;
}

const char *yj_role_code(enum yj_role r)
{
    switch (r) {
    case ROLE_ADMIN: return "admin";
    case ROLE_MEMBER: return "member";
    case ROLE_VIEWER: return "viewer";
    default: return "";
    }
}

static char *hash_hex(struct yj_req *rq, const char *token)
{
    unsigned char h[crypto_generichash_BYTES];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    char *hex = yj_arena_alloc(&rq->arena, HASH_HEX);
    sodium_bin2hex(hex, HASH_HEX, h, sizeof h);
    return hex;
}

void yj_auth_new_token(struct yj_req *rq, const char **token, const char **hash)
{
    unsigned char raw[YJ_WEB_TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    char *b64 = yj_arena_alloc(&rq->arena, TOKEN_B64);
    sodium_bin2base64(b64, TOKEN_B64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    *token = b64;
    if (hash)
        *hash = hash_hex(rq, b64);
}

/* A token from outside: the right length and alphabet, else NULL. */
static bool token_shape(const char *t)
{
    if (!t || strlen(t) != TOKEN_B64 - 1)
        return false;
    for (const char *p = t; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return false;
    return true;
}

static atomic_bool admin_exists;

bool yj_auth_has_admin(struct yj_req *rq)
{
    if (atomic_load(&admin_exists))
        return true;
    struct yj_stmt *st;
    bool row = false;
    if (yj_stmt_prepare(rq->store,
                        "SELECT 1 FROM web_user WHERE role = 'admin' AND disabled = 0 LIMIT 1",
                        &st))
        return true; /* fail closed: never reopen setup on a database error */
    if (yj_stmt_step(st, &row))
        row = true;
    yj_stmt_free(st);
    if (row)
        atomic_store(&admin_exists, true);
    return row;
}

static void fill_user(struct yj_req *rq, struct yj_stmt *st, int col)
{
    rq->user.id = yj_col_int(st, col);
    rq->user.login = yj_arena_strdup(&rq->arena, yj_col_text(st, col + 1));
    rq->user.name = yj_arena_strdup(&rq->arena, yj_col_text(st, col + 2));
    rq->user.role = yj_role_parse(yj_col_text(st, col + 3));
    rq->user.department = yj_arena_strdup(&rq->arena, yj_col_text(st, col + 4));
    enum yj_lang l = YJ_LANG_JA;
    yj_lang_parse(yj_col_text(st, col + 5), &l);
    rq->user.lang = l;
}

static void identify_token(struct yj_req *rq)
{
    const char *h = rq->auth_header;
    if (!h || strncmp(h, "Bearer ", 7) != 0 || !token_shape(h + 7))
        return;
    const char *hash = hash_hex(rq, h + 7);
    struct yj_stmt *st;
    if (yj_stmt_prepare(rq->store,
                        "SELECT id, name, role FROM web_token WHERE token_hash = ?1 AND revoked = 0",
                        &st))
        return;
    bool row = false;
    if (!yj_stmt_text(st, 1, hash) && !yj_stmt_step(st, &row) && row) {
        rq->authed = true;
        rq->user.id = 0;
        rq->user.login = yj_arena_strdup(&rq->arena, yj_col_text(st, 1));
        rq->user.name = rq->user.login;
        rq->user.department = "";
        rq->user.role = yj_role_parse(yj_col_text(st, 2));
        rq->lang = YJ_LANG_JA;
        rq->touch_token = yj_col_int(st, 0);
        yj_stmt_free(st);
        return;
    }
    yj_stmt_free(st);
}

static void delete_session(struct yj_req *rq, const char *hash)
{
    struct yj_stmt *st;
    if (yj_stmt_prepare(rq->store, "DELETE FROM web_session WHERE token_hash = ?1", &st))
        return;
    if (yj_stmt_text(st, 1, hash) || yj_stmt_run(st))
        fprintf(stderr, "yojin serve: %s\n", yj_store_errmsg(rq->store));
    yj_stmt_free(st);
}

void yj_auth_identify(struct yj_req *rq, bool api)
{
    rq->authed = false;
    if (api) {
        identify_token(rq);
        return;
    }
    const char *pre = yj_cookie(rq, "yj_pre");
    rq->csrf = token_shape(pre) ? pre : NULL;
    const char *lang = yj_cookie(rq, "yj_lang");
    enum yj_lang l;
    if (lang && yj_lang_parse(lang, &l))
        rq->lang = l;
    const char *tok = yj_cookie(rq, "yj_session");
    if (!token_shape(tok))
        return;
    const char *hash = hash_hex(rq, tok);
    struct yj_stmt *st;
    if (yj_stmt_prepare(rq->store,
                        "SELECT s.csrf, s.created_at, s.last_seen, u.id, u.login, u.name, u.role,"
                        " u.department, u.lang FROM web_session s JOIN web_user u"
                        " ON u.id = s.user_id WHERE s.token_hash = ?1 AND u.disabled = 0",
                        &st))
        return;
    bool row = false;
    if (yj_stmt_text(st, 1, hash) || yj_stmt_step(st, &row) || !row) {
        yj_stmt_free(st);
        return;
    }
    int64_t now = yj_now();
    int64_t created = yj_col_int(st, 1), seen = yj_col_int(st, 2);
    const struct yj_web_config *cfg = rq->app->cfg;
    if (now - seen > (int64_t)cfg->session_idle_min * 60 ||
        now - created > (int64_t)cfg->session_max_hours * 3600) {
        yj_stmt_free(st);
        rq->drop_session = hash;
        return;
    }
    rq->csrf = yj_arena_strdup(&rq->arena, yj_col_text(st, 0));
    fill_user(rq, st, 3);
    yj_stmt_free(st);
    rq->authed = true;
    rq->session_hash = hash;
    rq->lang = rq->user.lang;
    /* Touch at most once a minute: reading a page should rarely cost a write. */
    if (now - seen > 60)
        rq->touch_session = hash;
}

void yj_auth_after(struct yj_req *rq)
{
    struct yj_stmt *st;
    if (rq->drop_session) {
        delete_session(rq, rq->drop_session);
        rq->drop_session = NULL;
    }
    if (rq->touch_session &&
        !yj_stmt_prepare(rq->store, "UPDATE web_session SET last_seen = ?2 WHERE token_hash = ?1",
                         &st)) {
        if (!yj_stmt_text(st, 1, rq->touch_session) && !yj_stmt_int(st, 2, yj_now()) &&
            yj_stmt_run(st))
            fprintf(stderr, "yojin serve: %s\n", yj_store_errmsg(rq->store));
        yj_stmt_free(st);
        rq->touch_session = NULL;
    }
    if (rq->touch_token &&
        !yj_stmt_prepare(rq->store,
                         "UPDATE web_token SET last_used = ?2 WHERE id = ?1 AND "
                         "(last_used IS NULL OR last_used < ?2 - 60)",
                         &st)) {
        if (!yj_stmt_int(st, 1, rq->touch_token) && !yj_stmt_int(st, 2, yj_now()) &&
            yj_stmt_run(st))
            fprintf(stderr, "yojin serve: %s\n", yj_store_errmsg(rq->store));
        yj_stmt_free(st);
        rq->touch_token = 0;
    }
}

bool yj_auth_csrf_ok(struct yj_req *rq)
{
    const char *sent = yj_form(rq, "csrf");
    if (!sent || !rq->csrf)
        return false;
    size_t n = strlen(rq->csrf);
    return n > 0 && strlen(sent) == n && sodium_memcmp(sent, rq->csrf, n) == 0;
}

const char *yj_auth_pre_csrf(struct yj_req *rq)
{
    /* One token per page: every form of a page must carry the cookie's value. */
    if ((rq->authed || rq->set_pre_csrf) && rq->csrf)
        return rq->csrf;
    const char *pre = yj_cookie(rq, "yj_pre");
    if (token_shape(pre))
        return pre;
    const char *tok;
    yj_auth_new_token(rq, &tok, NULL);
    rq->set_pre_csrf = yj_cookie_set(rq, "yj_pre", tok, -1);
    rq->csrf = tok;
    return tok;
}

const char *yj_auth_password_problem(const char *pw)
{
    size_t bytes = strlen(pw), chars = 0;
    if (bytes > YJ_WEB_PASSWORD_MAX)
        return "web.pw_long";
    if (!yj_str_is_text(yj_str_c(pw)))
        return "web.pw_bad";
    for (size_t i = 0; i < bytes; i++)
        if (((unsigned char)pw[i] & 0xc0) != 0x80)
            chars++;
    if (chars < YJ_WEB_PASSWORD_MIN)
        return "web.pw_short";
    return NULL;
}

enum yj_err yj_auth_hash_password(const char *pw, char *out, size_t outlen)
{
    if (outlen < crypto_pwhash_STRBYTES)
        return YJ_ERR_LIMIT;
    if (crypto_pwhash_str_alg(out, pw, strlen(pw), PW_OPS, PW_MEM,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return YJ_ERR_NOMEM;
    return YJ_ERR_OK;
}

bool yj_auth_verify_password(const char *hash, const char *pw)
{
    return hash && crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

/* Failures in the window for a login or a source, and when the oldest of them expires. */
static int failures(struct yj_req *rq, const char *col, const char *value, int64_t now,
                    int64_t *oldest)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT count(*), min(at) FROM web_login_failure WHERE %s = ?1 AND at > ?2", col);
    struct yj_stmt *st;
    int n = 0;
    *oldest = now;
    if (yj_stmt_prepare(rq->store, sql, &st))
        return 1000; /* fail closed */
    bool row = false;
    if (!yj_stmt_text(st, 1, value) && !yj_stmt_int(st, 2, now - YJ_WEB_LOGIN_WINDOW) &&
        !yj_stmt_step(st, &row) && row) {
        n = (int)yj_col_int(st, 0);
        if (!yj_col_null(st, 1))
            *oldest = yj_col_int(st, 1);
    }
    yj_stmt_free(st);
    return n;
}

static void record_failure(struct yj_req *rq, const char *login, int64_t now)
{
    struct yj_stmt *st;
    if (yj_store_begin(rq->store))
        return;
    if (!yj_stmt_prepare(rq->store,
                         "INSERT INTO web_login_failure(login, ip, at) VALUES(lower(?1), ?2, ?3)",
                         &st)) {
        if (!yj_stmt_text(st, 1, login) && !yj_stmt_text(st, 2, rq->client_ip) &&
            !yj_stmt_int(st, 3, now))
            (void)!yj_stmt_run(st);
        yj_stmt_free(st);
    }
    if (!yj_stmt_prepare(rq->store, "DELETE FROM web_login_failure WHERE at < ?1", &st)) {
        if (!yj_stmt_int(st, 1, now - 86400))
            (void)!yj_stmt_run(st);
        yj_stmt_free(st);
    }
    if (yj_store_commit(rq->store))
        yj_store_rollback(rq->store);
}

enum yj_err yj_auth_start_session(struct yj_req *rq, struct yj_resp *rs, int64_t user_id)
{
    /* A new token at every login: an old (possibly planted) session id never carries over. */
    if (rq->session_hash)
        delete_session(rq, rq->session_hash);
    const char *old = yj_cookie(rq, "yj_session");
    if (token_shape(old))
        delete_session(rq, hash_hex(rq, old));
    const char *tok, *hash, *csrf;
    yj_auth_new_token(rq, &tok, &hash);
    yj_auth_new_token(rq, &csrf, NULL);
    int64_t now = yj_now();
    struct yj_stmt *st;
    enum yj_err err = yj_stmt_prepare(rq->store,
                                      "INSERT INTO web_session(token_hash, user_id, csrf, "
                                      "created_at, last_seen, ip) VALUES(?1, ?2, ?3, ?4, ?4, ?5)",
                                      &st);
    if (err)
        return err;
    if (!(err = yj_stmt_text(st, 1, hash)) && !(err = yj_stmt_int(st, 2, user_id)) &&
        !(err = yj_stmt_text(st, 3, csrf)) && !(err = yj_stmt_int(st, 4, now)) &&
        !(err = yj_stmt_text(st, 5, rq->client_ip)))
        err = yj_stmt_run(st);
    yj_stmt_free(st);
    if (err)
        return err;
    yj_resp_header(rs, "Set-Cookie",
                   yj_cookie_set(rq, "yj_session", tok,
                                 (long)rq->app->cfg->session_max_hours * 3600));
    return YJ_ERR_OK;
}

const char *yj_auth_login(struct yj_req *rq, struct yj_resp *rs, const char *login,
                          const char *password, int *retry_min)
{
    int64_t now = yj_now(), oldest_a, oldest_s;
    *retry_min = 0;
    char lower[256];
    size_t n = strlen(login);
    if (n == 0 || n >= sizeof lower)
        return "web.login_wrong";
    for (size_t i = 0; i <= n; i++)
        lower[i] = (login[i] >= 'A' && login[i] <= 'Z') ? (char)(login[i] + 32) : login[i];
    int fa = failures(rq, "login", lower, now, &oldest_a);
    int fs = failures(rq, "ip", rq->client_ip, now, &oldest_s);
    if (fa >= YJ_WEB_LOGIN_FAILS_ACCOUNT || fs >= YJ_WEB_LOGIN_FAILS_SOURCE) {
        int64_t until = (fa >= YJ_WEB_LOGIN_FAILS_ACCOUNT ? oldest_a : oldest_s) +
                        YJ_WEB_LOGIN_WINDOW;
        *retry_min = (int)((until - now + 59) / 60);
        if (*retry_min < 1)
            *retry_min = 1;
        fprintf(stderr, "yojin serve: login for '%s' from %s refused: locked\n", lower,
                rq->client_ip);
        return "web.login_locked";
    }
    struct yj_stmt *st;
    if (yj_stmt_prepare(rq->store,
                        "SELECT id, pw_hash FROM web_user WHERE login = ?1 AND disabled = 0",
                        &st))
        return "web.db_error";
    bool row = false;
    char hash[crypto_pwhash_STRBYTES] = "";
    int64_t uid = 0;
    if (!yj_stmt_text(st, 1, login) && !yj_stmt_step(st, &row) && row) {
        uid = yj_col_int(st, 0);
        snprintf(hash, sizeof hash, "%s", yj_col_text(st, 1));
    }
    yj_stmt_free(st);
    /* Without an account, verify against a fixed hash anyway: same time either way. */
    static char dummy[crypto_pwhash_STRBYTES];
    static atomic_bool dummy_ready;
    if (!row && !atomic_load(&dummy_ready)) {
        if (crypto_pwhash_str_alg(dummy, "yojin-dummy-password", 20, PW_OPS, PW_MEM,
                                  crypto_pwhash_ALG_ARGON2ID13) == 0)
            atomic_store(&dummy_ready, true);
    }
    bool ok = yj_auth_verify_password(row ? hash : dummy, password) && row;
    sodium_memzero(hash, sizeof hash);
    if (!ok) {
        record_failure(rq, login, now);
        fprintf(stderr, "yojin serve: failed login for '%s' from %s\n", lower, rq->client_ip);
        return "web.login_wrong";
    }
    if (!yj_stmt_prepare(rq->store, "DELETE FROM web_login_failure WHERE login = ?1", &st)) {
        if (!yj_stmt_text(st, 1, lower))
            (void)!yj_stmt_run(st);
        yj_stmt_free(st);
    }
    if (yj_auth_start_session(rq, rs, uid))
        return "web.db_error";
    return NULL;
}

void yj_auth_logout(struct yj_req *rq, struct yj_resp *rs)
{
    if (rq->session_hash)
        delete_session(rq, rq->session_hash);
    yj_resp_header(rs, "Set-Cookie", yj_cookie_set(rq, "yj_session", "", 0));
}
