/* HTTP details: form bodies (application/x-www-form-urlencoded), cookies, response headers.
 * Outside bytes are parsed through counted views and decoded into the request's arena;
 * anything malformed (bad %-escape, control characters, invalid UTF-8, too many fields)
 * makes the whole form invalid, answered with 400. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "web_int.h"

/* Decodes one form component; NULL when malformed (bad escape, control characters other
 * than tab and line breaks, invalid UTF-8). */
static char *decode(struct yj_req *rq, const char *p, size_t n)
{
    char *out = yj_arena_alloc(&rq->arena, n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '+') {
            out[k++] = ' ';
        } else if (c == '%') {
            if (n - i < 3)
                return NULL;
            int hi = yj_hex_digit(p[i + 1]), lo = yj_hex_digit(p[i + 2]);
            if (hi < 0 || lo < 0)
                return NULL;
            out[k++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[k++] = c;
        }
    }
    out[k] = '\0';
    return yj_str_is_text_nl((struct yj_str){out, k}) ? out : NULL;
}

bool yj_http_parse_form(struct yj_req *rq, const char *p, size_t n)
{
    rq->nfields = 0;
    rq->fields = yj_arena_alloc(&rq->arena, YJ_WEB_MAX_FIELDS * sizeof *rq->fields);
    size_t i = 0;
    while (i < n) {
        const char *amp = memchr(p + i, '&', n - i);
        size_t end = amp ? (size_t)(amp - p) : n;
        if (end > i) {
            const char *eq = memchr(p + i, '=', end - i);
            size_t kend = eq ? (size_t)(eq - p) : end;
            if (rq->nfields >= YJ_WEB_MAX_FIELDS)
                return false;
            char *name = decode(rq, p + i, kend - i);
            char *value = eq ? decode(rq, eq + 1, end - kend - 1) : decode(rq, "", 0);
            if (!name || !value || !*name)
                return false;
            rq->fields[rq->nfields].name = name;
            rq->fields[rq->nfields].value = value;
            rq->nfields++;
        }
        i = end + 1;
    }
    return true;
}

const char *yj_form(const struct yj_req *rq, const char *name)
{
    for (size_t i = 0; i < rq->nfields; i++)
        if (strcmp(rq->fields[i].name, name) == 0)
            return rq->fields[i].value;
    return NULL;
}

const char *yj_cookie(struct yj_req *rq, const char *name)
{
    const char *h = rq->cookie_header;
    if (!h)
        return NULL;
    size_t nl = strlen(name);
    struct yj_str cur = yj_str_c(h);
    while (cur.n) {
        const char *semi = memchr(cur.p, ';', cur.n);
        struct yj_str part = {cur.p, semi ? (size_t)(semi - cur.p) : cur.n};
        cur.p += part.n + (semi ? 1 : 0);
        cur.n -= part.n + (semi ? 1 : 0);
        part = yj_str_trim(part);
        if (part.n > nl && memcmp(part.p, name, nl) == 0 && part.p[nl] == '=')
            return yj_arena_strndup(&rq->arena, part.p + nl + 1, part.n - nl - 1);
    }
    return NULL;
}

void yj_resp_header(struct yj_resp *rs, const char *name, const char *value)
{
    if (rs->nheaders < YJ_WEB_MAX_HEADERS) {
        rs->hname[rs->nheaders] = name;
        rs->hvalue[rs->nheaders] = value;
        rs->nheaders++;
    }
}

void yj_resp_redirect(struct yj_resp *rs, const char *location)
{
    rs->status = 303;
    yj_resp_header(rs, "Location", location);
    yj_buf_reset(&rs->body);
}

const char *yj_cookie_set(struct yj_req *rq, const char *name, const char *value, long max_age)
{
    char *out = NULL;
    if (asprintf(&out, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", name, value,
                 rq->app && rq->app->https ? "; Secure" : "",
                 max_age < 0 ? "" : max_age == 0 ? "; Max-Age=0" : "") < 0)
        yj_oom();
    const char *r = yj_arena_strdup(&rq->arena, out);
    free(out);
    if (max_age > 0) {
        char *withage = NULL;
        if (asprintf(&withage, "%s; Max-Age=%ld", r, max_age) < 0)
            yj_oom();
        r = yj_arena_strdup(&rq->arena, withage);
        free(withage);
    }
    return r;
}
