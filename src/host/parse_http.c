/* Web server logs, by hand over views.
 *
 * Access logs, Apache's and nginx's common and combined formats (nginx's default "combined"
 * is Apache's), with Apache's optional virtual host in front (vhost_combined):
 *
 *   [host[:port] ]IP ident user [dd/Mon/yyyy:hh:mm:ss +zzzz] "REQUEST" status bytes
 *       [ "referer" "user agent"[ anything] ]
 *
 * REQUEST is "METHOD URL PROTOCOL", or whatever the client sent when it was not HTTP ("-",
 * TLS bytes: then method is "" and url the raw text). Inside quotes, Apache escapes '"' as
 * \" and nginx as \x22: a quote ends the field unless a backslash precedes it. Fields are
 * copied into the record's text (control bytes become '?'), escapes kept as written.
 *
 * Error logs are recognised here (yj_http_error_line); parse_weberr.c reads their lines:
 *   Apache  [Wed Oct 11 14:32:52.123456 2000] [module:level] [pid N] ...
 *   nginx   2000/10/11 14:32:52 [error] 123#0: *1 ... */
#include "host_int.h"

static bool number(struct yj_str w, uint64_t *out)
{
    uint64_t v = 0;
    if (!w.n || w.n > 19)
        return false;
    for (size_t i = 0; i < w.n; i++) {
        if (w.p[i] < '0' || w.p[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(w.p[i] - '0');
    }
    *out = v;
    return true;
}

/* "host[:port]" or "[v6]:port": the host without the port. */
static struct yj_str vhost(struct yj_str w)
{
    if (w.n && w.p[0] == '[') {
        const char *close = memchr(w.p, ']', w.n);
        return close ? (struct yj_str){w.p + 1, (size_t)(close - w.p) - 1} : w;
    }
    const char *colon = memchr(w.p, ':', w.n);
    return colon ? (struct yj_str){w.p, (size_t)(colon - w.p)} : w;
}

bool yj_http_parse(struct yj_str s, struct yj_http *h)
{
    struct hs_out o = {h->text, 0, sizeof h->text};
    struct yj_str host = {s.p, 0};
    if (s.n >= YJ_HOST_LINE_MAX)
        return false;
    h->ip[0] = '\0';
    struct yj_str w = hs_word(&s);
    if (!yj_host_ip(w, h->ip)) {
        host = vhost(w);
        if (!hs_eat(&s, " "))
            return false;
        w = hs_word(&s);
        if (!yj_host_ip(w, h->ip))
            return false;
    }
    if (!hs_eat(&s, " "))
        return false;
    hs_word(&s); /* ident, always "-" in practice */
    if (!hs_eat(&s, " "))
        return false;
    struct yj_str user = hs_word(&s);
    struct yj_str req;
    if (!hs_eat(&s, " [") || s.n < 27 || s.p[26] != ']' ||
        !yj_host_parse_clf_time((struct yj_str){s.p, 26}, &h->ts))
        return false;
    s.p += 27;
    s.n -= 27;
    if (!hs_eat(&s, " ") || !hs_quoted(&s, &req) || !hs_eat(&s, " "))
        return false;
    uint64_t status, length = 0;
    if (!number(hs_word(&s), &status) || status < 100 || status > 999 || !hs_eat(&s, " "))
        return false;
    w = hs_word(&s);
    if (!(w.n == 1 && w.p[0] == '-') && !number(w, &length))
        return false;
    h->status = (unsigned)status;
    h->length = length;
    struct yj_str ref = {s.p, 0}, agent = {s.p, 0};
    if (s.n && (!hs_eat(&s, " ") || !hs_quoted(&s, &ref) || !hs_eat(&s, " ") ||
                !hs_quoted(&s, &agent)))
        return false; /* combined: both quoted; anything after them is ignored */
    struct yj_str method, url, proto;
    hs_request(req, &method, &url, &proto);
    /* The copies need at most the line's length plus a terminator each. */
    h->hostname = hs_put(&o, host, true);
    h->user = hs_put(&o, user, true);
    h->method = hs_put(&o, method, false);
    h->url = hs_put(&o, url, true);
    h->protocol = hs_put(&o, proto, false);
    h->referer = hs_put(&o, ref, true);
    h->agent = hs_put(&o, agent, true);
    return h->hostname && h->user && h->method && h->url && h->protocol && h->referer &&
           h->agent;
}

bool yj_http_error_line(struct yj_str s)
{
    /* nginx: "2000/10/11 14:32:52 [level] " */
    if (s.n >= 22 && hs_digits(s.p, 4) && s.p[4] == '/' && hs_digits(s.p + 5, 2) &&
        s.p[7] == '/' && hs_digits(s.p + 8, 2) && s.p[10] == ' ' && hs_digits(s.p + 11, 2) &&
        s.p[13] == ':' && hs_digits(s.p + 14, 2) && s.p[16] == ':' &&
        hs_digits(s.p + 17, 2) && s.p[19] == ' ' && s.p[20] == '[')
        return true;
    /* Apache: "[Www Mmm dd hh:mm:ss[.frac] yyyy] [" */
    if (s.n < 26 || s.p[0] != '[' || s.p[4] != ' ' || s.p[8] != ' ')
        return false;
    size_t close = hs_find(s, "] [");
    if (close == (size_t)-1 || close < 25 || close > 40)
        return false;
    return hs_digits(s.p + close - 4, 4) && s.p[close - 5] == ' ' && s.p[14] == ':' &&
           s.p[17] == ':';
}
