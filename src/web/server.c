/* The HTTP server: configuration, the listening socket, dropping privileges, libmicrohttpd's
 * worker threads, one SQLite connection per worker, request bodies with caps, dispatch
 * through the route table, security headers on every response, graceful shutdown.
 *
 *   main thread: load config, bind, read TLS files, drop privileges, open store (migrations),
 *                start MHD on the bound socket, wait for SIGTERM/SIGINT, quiesce, stop.
 *   workers:     on_request() collects the body, then dispatch() picks the route, checks
 *                who is asking, the CSRF token, and calls the handler. */
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alert/alert.h"
#include "base/file.h"
#include "base/proc.h"
#include "base/yaml.h"
#include "host/host.h"
#include "org/org.h"
#include "web_int.h"

const struct yj_route yj_routes[] = {
#define YJ_ROUTE(m, p, fn, acc, csrf) {#m, p, fn, ACCESS_##acc, csrf},
#include "routes.def"
#undef YJ_ROUTE
};
const size_t yj_nroutes = sizeof yj_routes / sizeof yj_routes[0];

static const char *access_name(enum yj_access a)
{
    static const char *const names[] = {"public", "setup", "viewer", "member", "admin",
                                        "api_read", "api_write"};
    return names[a];
}

void yj_web_routes_json(struct yj_buf *out)
{
    struct yj_json j;
    yj_json_init(&j, out, true);
    yj_json_arr(&j);
    for (size_t i = 0; i < yj_nroutes; i++) {
        yj_json_obj(&j);
        yj_json_kstr(&j, "method", yj_routes[i].method);
        yj_json_kstr(&j, "path", yj_routes[i].path);
        yj_json_kstr(&j, "auth", access_name(yj_routes[i].access));
        yj_json_kbool(&j, "csrf", yj_routes[i].csrf);
        yj_json_end_obj(&j);
    }
    yj_json_end_arr(&j);
}

/* ---- configuration ------------------------------------------------------------------- */

enum yj_err yj_web_config_load(struct yj_web_config *cfg, const char *data_dir,
                               struct yj_diag *d)
{
    static const char *const keys[] = {"listen", "tls_cert", "tls_key", "user",
                                       "session_idle_minutes", "session_max_hours",
                                       "threads", NULL};
    memset(cfg, 0, sizeof *cfg);
    cfg->data_dir = data_dir;
    cfg->listen = "127.0.0.1:8080";
    cfg->session_idle_min = 120;
    cfg->session_max_hours = 12;
    char *path = yj_config_file(data_dir);
    if (!path)
        return YJ_ERR_OK;
    /* The document stays loaded for the life of the process: cfg points into it. */
    static struct yj_yaml_doc doc;
    enum yj_err err = yj_yaml_load_file(&doc, path, d);
    free(path);
    if (err)
        return err;
    const struct yj_yaml *serve = yj_yaml_get(doc.root, "serve");
    if (!serve)
        return YJ_ERR_OK;
    if (!yj_yaml_expect(&doc, serve, YJ_YAML_MAP, "serve", d) ||
        !yj_yaml_only_keys(&doc, serve, keys, d))
        return YJ_ERR_INVALID;
    const struct yj_yaml *v;
    if ((v = yj_yaml_get(serve, "listen")) && !(cfg->listen = yj_yaml_req_str(&doc, serve, "listen", d)))
        return YJ_ERR_INVALID;
    if ((v = yj_yaml_get(serve, "tls_cert")) && !(cfg->tls_cert = yj_yaml_req_str(&doc, serve, "tls_cert", d)))
        return YJ_ERR_INVALID;
    if ((v = yj_yaml_get(serve, "tls_key")) && !(cfg->tls_key = yj_yaml_req_str(&doc, serve, "tls_key", d)))
        return YJ_ERR_INVALID;
    if ((v = yj_yaml_get(serve, "user")) && !(cfg->user = yj_yaml_req_str(&doc, serve, "user", d)))
        return YJ_ERR_INVALID;
    long n;
    if (yj_yaml_get(serve, "session_idle_minutes")) {
        if (!yj_yaml_req_int(&doc, serve, "session_idle_minutes", &n, d) || n < 1 || n > 10080)
            return yj_diag_fail(d, YJ_ERR_INVALID, doc.name,
                                yj_yaml_line(serve, "session_idle_minutes"),
                                yj_t("web.cfg_range"), "session_idle_minutes", 1L, 10080L);
        cfg->session_idle_min = (int)n;
    }
    if (yj_yaml_get(serve, "session_max_hours")) {
        if (!yj_yaml_req_int(&doc, serve, "session_max_hours", &n, d) || n < 1 || n > 720)
            return yj_diag_fail(d, YJ_ERR_INVALID, doc.name,
                                yj_yaml_line(serve, "session_max_hours"),
                                yj_t("web.cfg_range"), "session_max_hours", 1L, 720L);
        cfg->session_max_hours = (int)n;
    }
    if (yj_yaml_get(serve, "threads")) {
        if (!yj_yaml_req_int(&doc, serve, "threads", &n, d) || n < 0 || n > 64)
            return yj_diag_fail(d, YJ_ERR_INVALID, doc.name, yj_yaml_line(serve, "threads"),
                                yj_t("web.cfg_range"), "threads", 0L, 64L);
        cfg->threads = (int)n;
    }
    if (!cfg->tls_cert != !cfg->tls_key)
        return yj_diag_fail(d, YJ_ERR_INVALID, doc.name, serve->line, "%s",
                            yj_t("web.cfg_tls_pair"));
    return YJ_ERR_OK;
}

/* ---- per-thread store ---------------------------------------------------------------- */

static pthread_key_t store_key;
static pthread_once_t store_once = PTHREAD_ONCE_INIT;
static const char *store_dir;

static void store_free(void *p)
{
    yj_store_close(p);
}

static void store_key_init(void)
{
    if (pthread_key_create(&store_key, store_free) != 0)
        abort();
}

static const struct yj_schema *schemas(size_t *n)
{
    static struct yj_schema v[6];
    v[0] = yj_org_schema;
    v[1] = yj_assess_schema;
    v[2] = yj_respond_schema;
    v[3] = yj_web_schema;
    v[4] = yj_host_schema;
    v[5] = yj_alert_schema;
    *n = 6;
    return v;
}

static struct yj_store *thread_store(void)
{
    pthread_once(&store_once, store_key_init);
    struct yj_store *s = pthread_getspecific(store_key);
    if (s)
        return s;
    size_t n;
    const struct yj_schema *sc = schemas(&n);
    struct yj_diag d;
    yj_diag_init(&d);
    if (yj_store_open(&s, store_dir, sc, n, &d) != YJ_ERR_OK) {
        for (size_t i = 0; i < d.n; i++)
            fprintf(stderr, "yojin serve: %s\n", d.v[i].msg);
        s = NULL;
    }
    yj_diag_fini(&d);
    if (s)
        pthread_setspecific(store_key, s);
    return s;
}

/* ---- responses ----------------------------------------------------------------------- */

static const char default_csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

static enum MHD_Result send_response(struct MHD_Connection *conn, struct yj_req *rq,
                                     struct yj_resp *rs)
{
    if (yj_buf_err(&rs->body)) {
        yj_buf_reset(&rs->body);
        rs->status = 500;
        rs->content_type = "text/plain; charset=utf-8";
        yj_buf_adds(&rs->body, "500 internal error\n");
    }
    size_t len;
    char *body = yj_buf_take(&rs->body, &len);
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type",
                            rs->content_type ? rs->content_type : "text/html; charset=utf-8");
    MHD_add_response_header(r, "Content-Security-Policy", rs->csp ? rs->csp : default_csp);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(r, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    MHD_add_response_header(r, "Cache-Control",
                            rs->cacheable ? "public, max-age=3600" : "no-store");
    if (rq->app && rq->app->https)
        MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
    if (rq->set_pre_csrf)
        MHD_add_response_header(r, "Set-Cookie", rq->set_pre_csrf);
    for (int i = 0; i < rs->nheaders; i++)
        MHD_add_response_header(r, rs->hname[i], rs->hvalue[i]);
    enum MHD_Result ret = MHD_queue_response(conn, rs->status ? rs->status : 200, r);
    MHD_destroy_response(r);
    return ret;
}

/* ---- dispatch ------------------------------------------------------------------------ */

static void serve_route(struct yj_req *rq, struct yj_resp *rs, const struct yj_route *route,
                        const char *method);

static bool path_matches(const char *pattern, const char *path)
{
    size_t n = strlen(pattern);
    if (n && pattern[n - 1] == '*')
        return strncmp(pattern, path, n - 1) == 0;
    return strcmp(pattern, path) == 0;
}

static bool is_api(const char *path)
{
    return strncmp(path, "/api/", 5) == 0;
}

static void refuse(struct yj_req *rq, struct yj_resp *rs, unsigned status, const char *id)
{
    if (is_api(rq->path))
        yj_api_error(rs, status, yj_w(rq, id));
    else
        yj_page_error(rq, rs, status, id);
}

static bool role_allows(enum yj_access a, enum yj_role r)
{
    switch (a) {
    case ACCESS_VIEWER:
    case ACCESS_API_READ: return r >= ROLE_VIEWER;
    case ACCESS_MEMBER:
    case ACCESS_API_WRITE: return r >= ROLE_MEMBER;
    case ACCESS_ADMIN: return r >= ROLE_ADMIN;
    default: return true;
    }
}

static void dispatch(struct yj_req *rq, struct yj_resp *rs)
{
    const struct yj_route *route = NULL;
    bool path_known = false;
    char allow[64] = "";
    const char *method = strcmp(rq->method, "HEAD") == 0 ? "GET" : rq->method;
    for (size_t i = 0; i < yj_nroutes; i++) {
        if (!path_matches(yj_routes[i].path, rq->path))
            continue;
        path_known = true;
        if (strlen(allow) + 8 < sizeof allow) {
            if (*allow)
                strcat(allow, ", ");
            strcat(allow, yj_routes[i].method);
        }
        if (strcmp(yj_routes[i].method, method) == 0)
            route = &yj_routes[i];
    }
    if (!path_known)
        return refuse(rq, rs, 404, "web.not_found");
    if (!route) {
        yj_resp_header(rs, "Allow", yj_arena_strdup(&rq->arena, allow));
        return refuse(rq, rs, 405, "web.bad_method");
    }
    if (rq->body_too_big)
        return refuse(rq, rs, 413, "web.too_big");
    bool api = route->access >= ACCESS_API_READ;
    if (!rq->store && route->fn != get_static)
        return refuse(rq, rs, 503, "web.no_store");
    if (strcmp(method, "POST") == 0 && !api) {
        const char *ct = rq->content_type ? rq->content_type : "";
        if (strncmp(ct, "application/x-www-form-urlencoded", 33) != 0)
            return refuse(rq, rs, 400, "web.bad_form_type");
        if (!yj_http_parse_form(rq, rq->body.p ? rq->body.p : "", rq->body.len))
            return refuse(rq, rs, 400, "web.bad_form");
    } else if (rq->form_bad) {
        return refuse(rq, rs, 400, "web.bad_form");
    }
    /* A GET only reads (identifying the caller may ask for a write, done afterwards): one
     * read transaction for the whole request. */
    bool read_txn = strcmp(method, "GET") == 0 && route->fn != get_static;
    if (read_txn && yj_store_begin_read(rq->store))
        return refuse(rq, rs, 503, "web.no_store");
    if (route->fn != get_static)
        yj_auth_identify(rq, api);
    if (!read_txn)
        yj_auth_after(rq);
    serve_route(rq, rs, route, method);
    if (read_txn) {
        if (yj_store_commit(rq->store))
            yj_store_rollback(rq->store);
        yj_auth_after(rq);
    }
}

/* Access and CSRF checks, then the handler. */
static void serve_route(struct yj_req *rq, struct yj_resp *rs, const struct yj_route *route,
                        const char *method)
{
    switch (route->access) {
    case ACCESS_PUBLIC:
        break;
    case ACCESS_SETUP:
        if (yj_auth_has_admin(rq)) {
            if (strcmp(method, "GET") == 0)
                return yj_resp_redirect(rs, "/login");
            return refuse(rq, rs, 403, "web.setup_done");
        }
        break;
    case ACCESS_API_READ:
    case ACCESS_API_WRITE:
        if (!rq->authed) {
            yj_resp_header(rs, "WWW-Authenticate", "Bearer realm=\"yojin\"");
            return refuse(rq, rs, 401, "web.need_token");
        }
        if (!role_allows(route->access, rq->user.role))
            return refuse(rq, rs, 403, "web.forbidden");
        break;
    default:
        if (!rq->authed) {
            if (strcmp(method, "GET") == 0)
                return yj_resp_redirect(rs, yj_auth_has_admin(rq) ? "/login" : "/setup");
            return refuse(rq, rs, 403, "web.need_login");
        }
        if (!role_allows(route->access, rq->user.role))
            return refuse(rq, rs, 403, "web.forbidden");
    }
    if (route->csrf && !yj_auth_csrf_ok(rq)) {
        fprintf(stderr, "yojin serve: %s %s from %s: CSRF token missing or wrong\n", rq->method,
                rq->path, rq->client_ip);
        return refuse(rq, rs, 403, "web.bad_csrf");
    }
    route->fn(rq, rs);
}

/* ---- libmicrohttpd callbacks ------------------------------------------------------------ */

static const struct yj_app *the_app;

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    (void)kind;
    struct yj_req *rq = cls;
    if (rq->nfields >= YJ_WEB_MAX_FIELDS) {
        rq->form_bad = true;
        return MHD_NO;
    }
    if (!rq->fields)
        rq->fields = yj_arena_alloc(&rq->arena, YJ_WEB_MAX_FIELDS * sizeof *rq->fields);
    const char *v = value ? value : "";
    if (!yj_str_is_text(yj_str_c(key)) || !yj_str_is_text(yj_str_c(v))) {
        rq->form_bad = true;
        return MHD_NO;
    }
    rq->fields[rq->nfields].name = yj_arena_strdup(&rq->arena, key);
    rq->fields[rq->nfields].value = yj_arena_strdup(&rq->arena, v);
    rq->nfields++;
    return MHD_YES;
}

static const char *header(struct yj_req *rq, struct MHD_Connection *c, const char *name)
{
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
    return v ? yj_arena_strdup(&rq->arena, v) : NULL;
}

static struct yj_req *new_request(struct MHD_Connection *conn, const char *url,
                                  const char *method)
{
    struct yj_req *rq = yj_xcalloc(1, sizeof *rq);
    yj_arena_init(&rq->arena);
    rq->app = the_app;
    rq->method = yj_arena_strdup(&rq->arena, method);
    rq->path = yj_arena_strdup(&rq->arena, url);
    rq->lang = YJ_LANG_JA;
    size_t cap = is_api(url) ? YJ_WEB_MAX_JSON : YJ_WEB_MAX_FORM;
    yj_buf_init(&rq->body, cap);
    rq->cookie_header = header(rq, conn, "Cookie");
    rq->auth_header = header(rq, conn, "Authorization");
    rq->content_type = header(rq, conn, "Content-Type");
    rq->accept_language = header(rq, conn, "Accept-Language");
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    if (cl && strtoull(cl, NULL, 10) > cap)
        rq->body_too_big = true;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char ip[INET6_ADDRSTRLEN] = "?";
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, ip,
                      sizeof ip);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, ip,
                      sizeof ip);
    }
    rq->client_ip = yj_arena_strdup(&rq->arena, ip);
    if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
        MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg, rq);
    rq->store = thread_store();
    return rq;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)cls;
    (void)version;
    struct yj_req *rq = *con_cls;
    if (!rq) {
        *con_cls = new_request(conn, url, method);
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!rq->body_too_big) {
            yj_buf_add(&rq->body, upload_data, *upload_data_size);
            if (yj_buf_err(&rq->body))
                rq->body_too_big = true;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    struct yj_resp rs = {.status = 200};
    yj_buf_init(&rs.body, (size_t)16 << 20);
    dispatch(rq, &rs);
    enum MHD_Result ret = send_response(conn, rq, &rs);
    yj_buf_fini(&rs.body);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    struct yj_req *rq = *con_cls;
    if (!rq)
        return;
    yj_buf_fini(&rq->body);
    yj_arena_fini(&rq->arena);
    free(rq);
    *con_cls = NULL;
}

/* ---- socket, privileges, lifecycle --------------------------------------------------- */

static int bind_listen(const char *listen_on, char *url, size_t urlsize, bool https,
                       struct yj_diag *d)
{
    char host[256];
    const char *colon = strrchr(listen_on, ':');
    if (!colon || colon == listen_on || strlen(listen_on) >= sizeof host) {
        yj_diag_add(d, NULL, 0, yj_t("web.bad_listen"), listen_on);
        return -1;
    }
    size_t hl = (size_t)(colon - listen_on);
    memcpy(host, listen_on, hl);
    host[hl] = '\0';
    if (host[0] == '[' && hl >= 2 && host[hl - 1] == ']') {
        memmove(host, host + 1, hl - 2);
        host[hl - 2] = '\0';
    }
    const char *port = colon + 1;
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE};
    struct addrinfo *ai = NULL;
    if (getaddrinfo(host, port, &hints, &ai) != 0 || !ai) {
        yj_diag_add(d, NULL, 0, yj_t("web.bad_listen"), listen_on);
        return -1;
    }
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 1024) != 0) {
        yj_diag_add(d, NULL, 0, yj_t("web.bind_failed"), listen_on, strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        return -1;
    }
    snprintf(url, urlsize, "%s://%s%s%s:%s/", https ? "https" : "http",
             ai->ai_family == AF_INET6 ? "[" : "", host, ai->ai_family == AF_INET6 ? "]" : "",
             port);
    freeaddrinfo(ai);
    return fd;
}

/* Started as root: hand the data directory to the service user and become that user. */
static enum yj_err drop_privileges(const struct yj_web_config *cfg, struct yj_diag *d)
{
    if (geteuid() != 0)
        return YJ_ERR_OK;
    const char *name = cfg->user;
    uid_t uid;
    gid_t gid;
    if (!yj_service_user(name, &uid, &gid))
        return yj_diag_fail(d, YJ_ERR_INVALID, NULL, 0, yj_t("web.no_user"),
                            name ? name : "yojin/nobody");
    /* The data directory and the database files become the service user's. */
    static const char *const files[] = {YJ_DB_FILE, YJ_DB_FILE "-wal", YJ_DB_FILE "-shm"};
    enum yj_err err = yj_chown_in(cfg->data_dir, files, sizeof files / sizeof files[0], uid, gid, d);
    if (err)
        return err;
    /* Work from inside the data directory: relative paths then reach the database even when
     * a parent directory (say /root for a checkout's ./var) is closed to the service user. */
    if (chdir(cfg->data_dir) != 0)
        return yj_diag_fail(d, YJ_ERR_IO, cfg->data_dir, 0, yj_t("web.chown"), strerror(errno));
    store_dir = ".";
    if (setgroups(0, NULL) != 0 || setgid(gid) != 0 || setuid(uid) != 0)
        return yj_diag_fail(d, YJ_ERR_STATE, NULL, 0, yj_t("web.setuid"), strerror(errno));
    if (setuid(0) == 0)
        return yj_diag_fail(d, YJ_ERR_STATE, NULL, 0, yj_t("web.setuid"), "still root");
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    return YJ_ERR_OK;
}

static char *read_pem(const char *path, struct yj_diag *d)
{
    char *p = NULL;
    size_t n;
    if (yj_file_read(path, 1u << 20, &p, &n, d) != YJ_ERR_OK)
        return NULL;
    return p;
}

enum yj_err yj_web_serve(const struct yj_web_config *cfg, struct yj_diag *d)
{
    static struct yj_app app;
    enum yj_err err;
    char *cert = NULL, *key = NULL;
    struct MHD_Daemon *daemon = NULL;
    memset(&app, 0, sizeof app);
    if (sodium_init() < 0)
        return yj_diag_fail(d, YJ_ERR_STATE, NULL, 0, "%s", yj_t("web.no_random"));
    app.cfg = cfg;
    app.https = cfg->tls_cert != NULL;
    store_dir = cfg->data_dir;

    char *bank_path = cfg->bank ? NULL : yj_share_path("assess/bank.yaml");
    err = yj_bank_load(&app.bank, cfg->bank ? cfg->bank : bank_path, d);
    free(bank_path);
    if (err)
        return err;
    char *facts_path = yj_share_path("assess/action.yaml");
    err = yj_action_load(&app.facts, facts_path, d);
    free(facts_path);
    if (err) {
        yj_bank_fini(&app.bank);
        return err;
    }
    char *respond_dir = yj_share_path("respond");
    err = yj_respond_load(&app.respond, respond_dir, d);
    free(respond_dir);
    if (err) {
        yj_action_fini(&app.facts);
        yj_bank_fini(&app.bank);
        return err;
    }
    if ((err = yj_mkdir_p(cfg->data_dir, 0700, d)))
        goto out;

    char url[300];
    int fd = bind_listen(cfg->listen, url, sizeof url, app.https, d);
    if (fd < 0) {
        err = YJ_ERR_IO;
        goto out;
    }
    if (app.https && (!(cert = read_pem(cfg->tls_cert, d)) || !(key = read_pem(cfg->tls_key, d)))) {
        err = YJ_ERR_IO;
        close(fd);
        goto out;
    }
    if ((err = drop_privileges(cfg, d))) {
        close(fd);
        goto out;
    }
    /* Migrations run once, here, as the service user. */
    struct yj_store *s = thread_store();
    if (!s) {
        err = yj_diag_fail(d, YJ_ERR_DB, cfg->data_dir, 0, "%s", yj_t("web.no_store"));
        close(fd);
        goto out;
    }

    /* Workers inherit this mask; only the main thread takes the stop signals. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    the_app = &app;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = (unsigned)(cfg->threads > 0 ? cfg->threads : ncpu > 0 ? ncpu : 2);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC;
    if (app.https)
        flags |= MHD_USE_TLS;
    daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_LIMIT, 1000u, MHD_OPTION_PER_IP_CONNECTION_LIMIT, 256u,
        MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536,
        app.https ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, key,
        MHD_OPTION_HTTPS_MEM_CERT, cert, MHD_OPTION_END);
    if (!daemon) {
        err = yj_diag_fail(d, YJ_ERR_IO, NULL, 0, yj_t("web.start_failed"), cfg->listen);
        close(fd);
        goto out;
    }
    if (cfg->ready)
        cfg->ready(url, cfg->ready_arg);

    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    /* Graceful: stop accepting, let requests in flight finish (each state change is one
     * transaction, so a request cut off later loses nothing half-written), then stop. */
    int lfd = MHD_quiesce_daemon(daemon);
    if (lfd >= 0)
        close(lfd);
    for (int i = 0; i < 50; i++) {
        const union MHD_DaemonInfo *info =
            MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!info || info->num_connections == 0)
            break;
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(daemon);
    err = YJ_ERR_OK;
out:
    /* The main thread's own connection. */
    pthread_once(&store_once, store_key_init);
    if (pthread_getspecific(store_key)) {
        yj_store_close(pthread_getspecific(store_key));
        pthread_setspecific(store_key, NULL);
    }
    if (key) {
        explicit_bzero(key, strlen(key));
        free(key);
    }
    free(cert);
    yj_respond_fini(&app.respond);
    yj_action_fini(&app.facts);
    yj_bank_fini(&app.bank);
    the_app = NULL;
    return err;
}
