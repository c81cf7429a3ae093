/* The web console: `yojin serve`. An HTTP(S) server on libmicrohttpd over everything yojin
 * knows, with sessions, roles, CSRF tokens and a JSON API (/api/v1).
 *
 * yj_web_serve runs until SIGTERM or SIGINT and owns everything it creates. The config is
 * the caller's and must outlive the call. */
#ifndef YJ_WEB_WEB_H
#define YJ_WEB_WEB_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/store.h"

extern const struct yj_schema yj_web_schema;

struct yj_web_config {
    const char *data_dir;
    const char *listen;         /* "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:8443" */
    const char *tls_cert;       /* PEM files; both or neither */
    const char *tls_key;
    const char *user;           /* user to run as when started as root */
    const char *bank;           /* question bank file; NULL for the shipped one */
    int session_idle_min;       /* idle timeout of a session */
    int session_max_hours;      /* absolute lifetime of a session */
    int threads;                /* worker threads; 0 = number of CPUs */
    /* Called once the server listens (URL of the console); may be NULL. */
    void (*ready)(const char *url, void *arg);
    void *ready_arg;
};

/* Defaults, then the "serve:" section of <data>/yojin.yaml when it exists. */
enum yj_err yj_web_config_load(struct yj_web_config *cfg, const char *data_dir,
                               struct yj_diag *d) YJ_MUST;

/* Binds, drops privileges, serves until a stop signal; prints nothing, reports through d. */
enum yj_err yj_web_serve(const struct yj_web_config *cfg, struct yj_diag *d) YJ_MUST;

/* The route table as JSON ([{"method", "path", "auth", "csrf"}]), for tests and docs. */
void yj_web_routes_json(struct yj_buf *out);

#endif
