/* Web server error logs, by hand over views: the lines that show an attack become records,
 * the rest is only recognised (yj_http_error_line) and counted.
 *
 *   Apache 2.4  [Thu Oct 13 12:24:49.880562 2022] [auth_basic:error] [pid 10:tid 7]
 *                   [client 31.33.58.75:50229] AH01618: user sss not found: /
 *   Apache 2.2  [Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] MESSAGE
 *   nginx       2000/10/11 14:32:52 [error] 123#0: *1 MESSAGE, client: IP, server: NAME,
 *                   request: "GET /x HTTP/1.1", host: "NAME"
 *
 * HTTP authentication failures (auth records, service "apache" or "nginx", one attempt each):
 *   Apache  user X not found: /p (AH01618), user X: authentication failure for "/p": Password
 *           Mismatch (AH01617), digest user `X' in realm `R' not found (AH01790), user X:
 *           password mismatch (AH01792); 2.2 writes the same words without the AH code
 *   nginx   user "X" was not found in "/etc/...", user "X": password mismatch
 * Requests refused or failing (http records; the status is the one the server answered):
 *   Apache  client denied by server configuration: PATH (AH01630, AH01797)   403
 *           File does not exist: PATH (AH00128)                             404
 *           script not found or unable to stat: PATH (AH01264)              404
 *           ModSecurity: Access denied with code N ... [uri "/x"]           N
 *   nginx   open() "PATH" failed (2: No such file or directory)             404
 *           open() "PATH" failed (13: Permission denied)                    403
 *           "PATH" is not found (2: No such file or directory)              404
 *           access forbidden by rule                                        403
 *           directory index of "PATH" is forbidden                          403
 * The url is the request's URL when the line quotes the request (nginx, ModSecurity's uri),
 * else the file-system path the server looked for (Apache): the checks of detect_web.c look
 * for pieces ("/.git", "/wp-login.php", "../") that both carry.
 *
 * Attackers choose the names and paths these lines quote, so fields are taken at the first
 * place the server's own wording puts them, and an address must be a valid literal. */
#include "host_int.h"

/* The text after the first lit in s; false when s has none. */
static bool after(struct yj_str s, const char *lit, struct yj_str *rest)
{
    size_t i = hs_find(s, lit);
    if (i == (size_t)-1)
        return false;
    size_t n = strlen(lit);
    *rest = (struct yj_str){s.p + i + n, s.n - i - n};
    return true;
}

/* s up to (not including) the first lit, or all of s. */
static struct yj_str until(struct yj_str s, const char *lit)
{
    size_t i = hs_find(s, lit);
    return i == (size_t)-1 ? s : (struct yj_str){s.p, i};
}

static void auth_fill(struct yj_auth *a, const char *service, const char *method,
                      struct yj_str user)
{
    a->service = service;
    a->method = method;
    a->success = false;
    a->attempt = true;
    hs_user(user, a->user);
}

/* Fills the http record of a refused request; the caller sets ip and ts. */
static bool http_fill(struct yj_http *h, struct yj_str host, struct yj_str req,
                      struct yj_str path, struct yj_str referer, unsigned status)
{
    struct hs_out o = {h->text, 0, sizeof h->text};
    struct yj_str method = {req.p, 0}, url = path, proto = {req.p, 0};
    if (req.n)
        hs_request(req, &method, &url, &proto);
    h->status = status;
    h->length = 0;
    h->hostname = hs_put(&o, host, false);
    h->user = hs_put(&o, (struct yj_str){"", 0}, false);
    h->method = hs_put(&o, method, false);
    h->url = hs_put(&o, url, false);
    h->protocol = hs_put(&o, proto, false);
    h->referer = hs_put(&o, referer, false);
    h->agent = hs_put(&o, (struct yj_str){"", 0}, false);
    return h->hostname && h->user && h->method && h->url && h->protocol && h->referer &&
           h->agent;
}

/* "ip:port" (2.4) or "ip" (2.2) of Apache's [client ...]. */
static bool apache_client(struct yj_str c, bool v24, char ip[YJ_HOST_IP_MAX], unsigned *port)
{
    *port = 0;
    if (v24) {
        size_t colon = hs_rfind(c, ":");
        if (colon != (size_t)-1 &&
            hs_port((struct yj_str){c.p + colon + 1, c.n - colon - 1}, port) &&
            yj_host_ip((struct yj_str){c.p, colon}, ip))
            return true;
        *port = 0;
    }
    return yj_host_ip(c, ip);
}

static enum yj_weberr_kind apache(struct yj_str s, struct yj_auth *a, struct yj_http *h)
{
    /* [module:level] (2.4) or [level] (2.2) */
    struct yj_str group, c, msg;
    if (!hs_eat(&s, "[") || (group = until(s, "]")).n == s.n)
        return YJ_WEBERR_OTHER;
    bool v24 = memchr(group.p, ':', group.n) != NULL;
    bool digest = hs_find(group, "digest") != (size_t)-1;
    if (!after(s, "[client ", &c))
        return YJ_WEBERR_OTHER;
    size_t close = hs_find(c, "] ");
    if (close == (size_t)-1)
        return YJ_WEBERR_OTHER;
    msg = (struct yj_str){c.p + close + 2, c.n - close - 2};
    c.n = close;
    char ip[YJ_HOST_IP_MAX];
    unsigned port;
    if (!apache_client(c, v24, ip, &port))
        return YJ_WEBERR_OTHER;
    /* ModSecurity repeats the client ("[client 1.2.3.4] ModSecurity: ...") */
    if (hs_eat(&msg, "[client ") && !after(msg, "] ", &msg))
        return YJ_WEBERR_OTHER;
    /* "AH01618: " (2.4), "Digest: " (2.2's mod_auth_digest) */
    if (msg.n > 9 && msg.p[0] == 'A' && msg.p[1] == 'H' &&
        hs_digits(msg.p + 2, 5) && msg.p[7] == ':' && msg.p[8] == ' ') {
        msg.p += 9;
        msg.n -= 9;
    }
    if (hs_eat(&msg, "Digest: "))
        digest = true;
    struct yj_str rest, user, referer = {msg.p, 0};
    const char *method = digest ? "digest" : "basic";
    if (hs_eat(&msg, "user ")) {
        if (hs_eat(&msg, "`") && (user = until(msg, "' in realm `")).n < msg.n &&
            after(msg, "' not found", &rest))
            ;
        else if ((user = until(msg, " not found: ")).n < msg.n ||
                 (user = until(msg, ": authentication failure for ")).n < msg.n ||
                 (user = until(msg, ": password mismatch")).n < msg.n)
            ;
        else
            return YJ_WEBERR_OTHER;
        if (!user.n)
            return YJ_WEBERR_OTHER;
        auth_fill(a, "apache", method, user);
        memcpy(a->ip, ip, sizeof ip);
        a->port = port;
        return YJ_WEBERR_AUTH;
    }
    unsigned status;
    struct yj_str path = {msg.p, 0}, req = {msg.p, 0}, host = {msg.p, 0};
    if (hs_eat(&msg, "client denied by server configuration: ")) {
        path = msg, status = 403;
    } else if (hs_eat(&msg, "File does not exist: ")) {
        path = msg, status = 404;
    } else if (hs_eat(&msg, "script not found or unable to stat: ")) {
        path = msg, status = 404;
    } else if (hs_eat(&msg, "ModSecurity: Access denied with code ")) {
        struct yj_str code = until(msg, " ");
        if (code.n != 3 || !hs_digits(code.p, code.n) || !after(msg, " [uri \"", &req))
            return YJ_WEBERR_OTHER;
        status = (unsigned)((code.p[0] - '0') * 100 + (code.p[1] - '0') * 10 + code.p[2] - '0');
        if (status < 100)
            return YJ_WEBERR_OTHER;
        req = until(req, "\"]");
        if (after(msg, " [hostname \"", &host))
            host = until(host, "\"]");
    } else {
        return YJ_WEBERR_OTHER;
    }
    if (after(path, ", referer: ", &referer))
        path = until(path, ", referer: ");
    if (!http_fill(h, host, req, path, referer, status))
        return YJ_WEBERR_OTHER;
    memcpy(h->ip, ip, sizeof ip);
    return YJ_WEBERR_HTTP;
}

/* The quoted value after lit in s ("" when absent). */
static struct yj_str quoted_after(struct yj_str s, const char *lit)
{
    struct yj_str rest, v = {s.p, 0};
    if (after(s, lit, &rest) && hs_quoted(&rest, &v))
        return v;
    return (struct yj_str){s.p, 0};
}

static enum yj_weberr_kind nginx(struct yj_str s, struct yj_auth *a, struct yj_http *h)
{
    /* "[error] 123#0: *1 " */
    struct yj_str msg, ctx, path = {s.p, 0};
    if (!after(s, "] ", &msg) || !after(msg, ": ", &msg))
        return YJ_WEBERR_OTHER;
    if (hs_eat(&msg, "*")) {
        hs_word(&msg);
        hs_eat(&msg, " ");
    }
    enum yj_weberr_kind kind = YJ_WEBERR_HTTP;
    unsigned status = 0;
    struct yj_str user = {msg.p, 0};
    if (hs_eat(&msg, "user \"")) {
        kind = YJ_WEBERR_AUTH;
        if ((user = until(msg, "\" was not found in \"")).n < msg.n) {
            if (!after(msg, "\" was not found in \"", &msg) || !after(msg, "\"", &msg))
                return YJ_WEBERR_OTHER;
        } else if ((user = until(msg, "\": password mismatch")).n < msg.n) {
            msg.p += user.n;
            msg.n -= user.n;
        } else {
            return YJ_WEBERR_OTHER;
        }
    } else if (hs_eat(&msg, "open() \"")) {
        path = until(msg, "\" failed (");
        if (!after(msg, "\" failed (", &msg))
            return YJ_WEBERR_OTHER;
        status = hs_eat(&msg, "2: ") ? 404 : hs_eat(&msg, "13: ") ? 403 : 0;
    } else if (hs_eat(&msg, "\"")) {
        path = until(msg, "\" is not found (2: ");
        if (!after(msg, "\" is not found (2: ", &msg))
            return YJ_WEBERR_OTHER;
        status = 404;
    } else if (hs_eat(&msg, "access forbidden by rule")) {
        status = 403;
    } else if (hs_eat(&msg, "directory index of \"")) {
        path = until(msg, "\" is forbidden");
        if (!after(msg, "\" is forbidden", &msg))
            return YJ_WEBERR_OTHER;
        status = 403;
    } else {
        return YJ_WEBERR_OTHER;
    }
    if (kind == YJ_WEBERR_HTTP && !status)
        return YJ_WEBERR_OTHER;
    char ip[YJ_HOST_IP_MAX];
    if (!after(msg, ", client: ", &ctx) || !yj_host_ip(until(ctx, ","), ip))
        return YJ_WEBERR_OTHER;
    if (kind == YJ_WEBERR_AUTH) {
        if (!user.n)
            return YJ_WEBERR_OTHER;
        auth_fill(a, "nginx", "basic", user);
        memcpy(a->ip, ip, sizeof ip);
        a->port = 0;
        return kind;
    }
    struct yj_str req = quoted_after(ctx, ", request: ");
    struct yj_str host = quoted_after(ctx, ", host: ");
    struct yj_str ref = quoted_after(ctx, ", referrer: ");
    if (host.n && host.p[0] != '[')
        host = until(host, ":");
    if (!req.n && !path.n)
        return YJ_WEBERR_OTHER;
    if (!http_fill(h, host, req, path, ref, status))
        return YJ_WEBERR_OTHER;
    memcpy(h->ip, ip, sizeof ip);
    return kind;
}

enum yj_weberr_kind yj_weberr_parse(struct yj_str line, int64_t *ts, struct yj_auth *a,
                                    struct yj_http *h)
{
    size_t hl;
    if (!yj_http_error_line(line))
        return YJ_WEBERR_NONE;
    if (line.n >= YJ_HOST_LINE_MAX || !yj_host_parse_errlog_time(line, ts, &hl))
        return YJ_WEBERR_OTHER;
    struct yj_str s = {line.p + hl, line.n - hl};
    h->ts = *ts;
    h->ip[0] = a->ip[0] = '\0';
    return line.p[0] == '[' ? apache(s, a, h) : nginx(s, a, h);
}
