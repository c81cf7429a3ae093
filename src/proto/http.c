/* HTTP/1.x heads (RFC 9112): the request line and the headers the sensor logs, the response
 * status line, Basic authorization (the user name only) and x-www-form-urlencoded log-in
 * forms (field names and the user value; password values are never copied). */
#include <string.h>

#include "proto.h"
#include "proto_int.h"

#define AUTH_B64_MAX 512

/* The length of the head (through the blank line) in p[0..n), or 0 when not complete. */
static size_t head_end(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (p[i] != '\n')
            continue;
        if (p[i + 1] == '\n')
            return i + 2;
        if (p[i + 1] == '\r' && i + 2 < n && p[i + 2] == '\n')
            return i + 3;
    }
    return 0;
}

/* Finds the end of the head (*hl) and its first line. MORE while the head is incomplete,
 * BAD when it grows past YJ_HTTP_HEAD_MAX. */
static enum yj_proto_status first_line(const uint8_t *p, size_t n, size_t *hl, size_t *off,
                                       const uint8_t **l, size_t *ll)
{
    *hl = head_end(p, n < YJ_HTTP_HEAD_MAX ? n : YJ_HTTP_HEAD_MAX);
    if (*hl == 0)
        return n >= YJ_HTTP_HEAD_MAX ? YJ_PROTO_BAD : YJ_PROTO_MORE;
    return next_line(p, *hl, off, l, ll) ? YJ_PROTO_DONE : YJ_PROTO_BAD;
}

static bool is_tchar(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

/* Does p start like a request line ("METHOD SP")? 1 yes, 0 not yet known, -1 no. */
static int looks_request(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n && i <= 20; i++) {
        if (p[i] == ' ')
            return i > 0 ? 1 : -1;
        if (!is_tchar(p[i]))
            return -1;
    }
    return n > 20 ? -1 : 0;
}

static void copy_field(char *dst, size_t cap, const uint8_t *v, size_t n)
{
    (void)copy_clean(dst, cap, v, n);
}

static void trim(const uint8_t **v, size_t *n)
{
    while (*n && (**v == ' ' || **v == '\t')) {
        (*v)++;
        (*n)--;
    }
    while (*n && ((*v)[*n - 1] == ' ' || (*v)[*n - 1] == '\t'))
        (*n)--;
}

static bool parse_u64(const uint8_t *v, size_t n, uint64_t *out)
{
    if (n == 0 || n > 19)
        return false;
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return false;
        x = x * 10 + (uint64_t)(v[i] - '0');
    }
    *out = x;
    return true;
}

static void host(struct yj_http_req *r, const uint8_t *v, size_t n)
{
    size_t hl = n;
    r->port = 0;
    if (n && v[0] == '[') {
        const uint8_t *e = memchr(v, ']', n);
        hl = e ? (size_t)(e - v) + 1 : n;
    } else {
        const uint8_t *c = memchr(v, ':', n);
        if (c)
            hl = (size_t)(c - v);
    }
    if (hl < n && v[hl] == ':') {
        uint64_t port;
        if (parse_u64(v + hl + 1, n - hl - 1, &port) && port <= 65535)
            r->port = (uint16_t)port;
    }
    copy_field(r->hostname, sizeof r->hostname, v, hl);
}

static void authorization(struct yj_http_req *r, const uint8_t *v, size_t n)
{
    const uint8_t *sp = memchr(v, ' ', n);
    size_t sl = sp ? (size_t)(sp - v) : n;
    copy_field(r->auth_scheme, sizeof r->auth_scheme, v, sl);
    const uint8_t *cred = sp ? sp + 1 : v + n;
    size_t cl = (size_t)(v + n - cred);
    trim(&cred, &cl);
    if (!eq_ci(v, sl, "basic")) {
        r->auth_password = cl > 0; /* a bearer token or digest response: a secret too */
        return;
    }
    uint8_t buf[AUTH_B64_MAX];
    long dl = b64_decode(cred, cl, buf, sizeof buf);
    if (dl < 0)
        return;
    const uint8_t *colon = memchr(buf, ':', (size_t)dl);
    size_t ul = colon ? (size_t)(colon - buf) : (size_t)dl;
    copy_field(r->auth_user, sizeof r->auth_user, buf, ul);
    r->auth_password = colon && (size_t)dl > ul + 1;
    wipe(buf, sizeof buf);
}

/* Splits "Name: value" (false without a colon) and trims the value. */
static bool split_header(const uint8_t *l, size_t n, size_t *kl, const uint8_t **v, size_t *vl)
{
    const uint8_t *c = memchr(l, ':', n);
    if (!c)
        return false;
    *kl = (size_t)(c - l);
    *v = c + 1;
    *vl = n - *kl - 1;
    trim(v, vl);
    return true;
}

/* Content-Type and Content-Length, which requests and responses share. */
static bool common_header(const uint8_t *l, size_t kl, const uint8_t *v, size_t vl, char *ct,
                          bool *has_cl, uint64_t *cl)
{
    if (eq_ci(l, kl, "content-type")) {
        copy_field(ct, YJ_HTTP_FIELD_LEN, v, vl);
        return true;
    }
    if (eq_ci(l, kl, "content-length")) {
        *has_cl = parse_u64(v, vl, cl);
        return true;
    }
    return false;
}

static void req_header(struct yj_http_req *q, const uint8_t *l, size_t n)
{
    size_t kl, vl;
    const uint8_t *v;
    if (!split_header(l, n, &kl, &v, &vl) ||
        common_header(l, kl, v, vl, q->http_content_type, &q->has_content_length,
                      &q->content_length))
        return;
    if (eq_ci(l, kl, "host"))
        host(q, v, vl);
    else if (eq_ci(l, kl, "user-agent"))
        copy_field(q->http_user_agent, sizeof q->http_user_agent, v, vl);
    else if (eq_ci(l, kl, "referer"))
        copy_field(q->http_refer, sizeof q->http_refer, v, vl);
    else if (eq_ci(l, kl, "authorization"))
        authorization(q, v, vl);
}

static void resp_header(struct yj_http_resp *s, const uint8_t *l, size_t n)
{
    size_t kl, vl;
    const uint8_t *v;
    if (!split_header(l, n, &kl, &v, &vl) ||
        common_header(l, kl, v, vl, s->http_content_type, &s->has_content_length,
                      &s->content_length))
        return;
    if (eq_ci(l, kl, "location"))
        copy_field(s->location, sizeof s->location, v, vl);
}

static void req_reset(struct yj_http_req *r)
{
    r->http_method[0] = r->url[0] = r->protocol[0] = r->hostname[0] = '\0';
    r->http_user_agent[0] = r->http_refer[0] = r->http_content_type[0] = '\0';
    r->auth_scheme[0] = r->auth_user[0] = '\0';
    r->url_trunc = r->has_content_length = r->auth_password = false;
    r->port = 0;
    r->content_length = 0;
    r->head_len = r->body_len = 0;
    memset(&r->form, 0, sizeof r->form);
}

enum yj_proto_status yj_http_parse_request(const uint8_t *p, size_t n, struct yj_http_req *r,
                                           size_t *used)
{
    int lr = looks_request(p, n);
    if (lr < 0)
        return YJ_PROTO_NOT;
    size_t hl, off = 0;
    const uint8_t *l;
    size_t ll;
    enum yj_proto_status st = first_line(p, n, &hl, &off, &l, &ll);
    if (st != YJ_PROTO_DONE)
        return st;
    req_reset(r);
    r->head_len = hl;
    /* METHOD SP request-target [SP HTTP-version] */
    const uint8_t *sp1 = memchr(l, ' ', ll);
    if (!sp1)
        return YJ_PROTO_BAD;
    copy_field(r->http_method, sizeof r->http_method, l, (size_t)(sp1 - l));
    const uint8_t *u = sp1 + 1, *end = l + ll;
    const uint8_t *sp2 = memchr(u, ' ', (size_t)(end - u));
    const uint8_t *ue = sp2 ? sp2 : end;
    if (ue == u)
        return YJ_PROTO_BAD;
    r->url_trunc = copy_clean(r->url, sizeof r->url, u, (size_t)(ue - u));
    if (sp2) {
        const uint8_t *pv = sp2 + 1;
        size_t pl = (size_t)(end - pv);
        if (pl < 6 || memcmp(pv, "HTTP/", 5) != 0)
            return YJ_PROTO_BAD;
        copy_field(r->protocol, sizeof r->protocol, pv, pl);
    }
    while (next_line(p, hl, &off, &l, &ll) && ll > 0) {
        if (l[0] == ' ' || l[0] == '\t')
            continue; /* obsolete line folding: continuation of a header we do not keep */
        req_header(r, l, ll);
    }
    uint64_t cl = r->has_content_length ? r->content_length : 0;
    bool form = starts_ci((const uint8_t *)r->http_content_type,
                          strlen(r->http_content_type), "application/x-www-form-urlencoded");
    if (form && cl > 0) {
        size_t want = cl < YJ_HTTP_BODY_SCAN ? (size_t)cl : YJ_HTTP_BODY_SCAN;
        if (n - hl < want)
            return YJ_PROTO_MORE;
        r->body_len = want;
        yj_http_form_scan(p + hl, want, &r->form);
    }
    if (used)
        *used = cl > SIZE_MAX - hl ? SIZE_MAX : hl + (size_t)cl;
    return YJ_PROTO_DONE;
}

enum yj_proto_status yj_http_parse_response(const uint8_t *p, size_t n,
                                            struct yj_http_resp *r)
{
    size_t k = n < 5 ? n : 5;
    if (memcmp(p, "HTTP/", k) != 0)
        return YJ_PROTO_NOT;
    size_t hl, off = 0;
    const uint8_t *l;
    size_t ll;
    enum yj_proto_status st = first_line(p, n, &hl, &off, &l, &ll);
    if (st != YJ_PROTO_DONE)
        return st;
    r->protocol[0] = r->status_msg[0] = r->http_content_type[0] = r->location[0] = '\0';
    r->has_content_length = false;
    r->content_length = 0;
    r->head_len = hl;
    const uint8_t *sp = memchr(l, ' ', ll);
    if (!sp || (size_t)(l + ll - sp) < 4)
        return YJ_PROTO_BAD;
    copy_field(r->protocol, sizeof r->protocol, l, (size_t)(sp - l));
    const uint8_t *c = sp + 1;
    if (c[0] < '1' || c[0] > '9' || c[1] < '0' || c[1] > '9' || c[2] < '0' || c[2] > '9')
        return YJ_PROTO_BAD;
    r->status = (uint16_t)((c[0] - '0') * 100 + (c[1] - '0') * 10 + (c[2] - '0'));
    const uint8_t *end = l + ll;
    if (c + 3 < end) {
        if (c[3] != ' ')
            return YJ_PROTO_BAD;
        copy_field(r->status_msg, sizeof r->status_msg, c + 4, (size_t)(end - c - 4));
    }
    while (next_line(p, hl, &off, &l, &ll) && ll > 0)
        if (l[0] != ' ' && l[0] != '\t')
            resp_header(r, l, ll);
    return YJ_PROTO_DONE;
}

/* ---- form bodies ------------------------------------------------------------------------ */

/* Field names are matched lowercased (at most 64 bytes), with memmem for "contains". */
static bool has(const uint8_t *low, size_t n, const char *w)
{
    return memmem(low, n, w, strlen(w)) != NULL;
}

static bool is(const uint8_t *low, size_t n, const char *w)
{
    return strlen(w) == n && memcmp(low, w, n) == 0;
}

static bool password_like(const uint8_t *low, size_t n)
{
    return has(low, n, "pass") || has(low, n, "pwd") || is(low, n, "pw") ||
           has(low, n, "secret");
}

/* 1 (best) .. 3 for user-like names, 0 for others. */
static int user_rank(const uint8_t *low, size_t n)
{
    if (has(low, n, "user") || has(low, n, "uname") || is(low, n, "usr") || is(low, n, "uid"))
        return 1;
    if (has(low, n, "mail"))
        return 2;
    if (is(low, n, "login") || is(low, n, "log") || is(low, n, "account") ||
        is(low, n, "acct") || is(low, n, "id") || is(low, n, "name") || has(low, n, "loginid") ||
        has(low, n, "login_id"))
        return 3;
    return 0;
}

void yj_http_form_scan(const uint8_t *p, size_t n, struct yj_http_form *f)
{
    memset(f, 0, sizeof *f);
    int best = 0;
    size_t i = 0;
    while (i < n) {
        const uint8_t *pair = p + i;
        const uint8_t *amp = memchr(pair, '&', n - i);
        size_t pl = amp ? (size_t)(amp - pair) : n - i;
        i += pl + 1;
        const uint8_t *eq = memchr(pair, '=', pl);
        size_t kl = eq ? (size_t)(eq - pair) : pl;
        uint8_t name[64];
        size_t nl = pct_decode(pair, kl, name, sizeof name);
        if (nl == 0)
            continue;
        uint8_t low[sizeof name];
        for (size_t k = 0; k < nl; k++)
            low[k] = (name[k] >= 'A' && name[k] <= 'Z') ? (uint8_t)(name[k] | 0x20) : name[k];
        if (password_like(low, nl)) {
            f->has_password = true;
            if (f->n_password_fields < YJ_HTTP_MAX_PWFIELDS)
                (void)copy_clean(f->password_fields[f->n_password_fields++],
                                 sizeof f->password_fields[0], name, nl);
            continue;
        }
        int rank = user_rank(low, nl);
        if (rank && (!best || rank < best) && eq) {
            best = rank;
            uint8_t val[YJ_HTTP_USER_LEN * 3];
            size_t vl = pct_decode(eq + 1, pl - kl - 1, val, sizeof val);
            f->user_trunc = copy_clean(f->user, sizeof f->user, val, vl);
            (void)copy_clean(f->user_field, sizeof f->user_field, name, nl);
        }
    }
}
