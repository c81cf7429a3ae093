/* Detectors over web server access logs (http records), per source address:
 *
 *   scanning        >= web_paths requests for paths scanners look for, or >= web_not_found
 *                   "404 Not Found" answers, within web_window
 *   SQL injection   a URL with SQL put where data belongs ("' or 1=1", "union select",
 *                   "sleep(", "information_schema", ...)
 *   path traversal  a URL climbing out of the web root ("../", "..\", "/etc/passwd", ...)
 *
 * URLs are percent-decoded twice (so "%252e%252e" is caught too), '+' read as a blank and
 * lowercased into a bounded buffer before fixed strings are searched (memmem, no regex).
 * Scanning is counted in windows that start at a source's first counted request and restart
 * when one falls outside; an alert is raised once per (signature, source) and later matching
 * requests within its window add to it and push the window on, as for log-ins.
 *
 * The sources' table (table_size entries, like the others) is allocated with the first
 * request, so scanning auth logs alone costs nothing. */
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "detect_int.h"

enum { W_SCAN, W_SQLI, W_TRAV, W_N };

struct web_entry {
    char ip[YJ_HOST_IP_MAX];
    tick start;               /* the scanning window began */
    uint32_t probes, notfound, hits; /* hits: requests that were either */
    int32_t alert[W_N];       /* index into alerts + 1, 0 none */
    int64_t until[W_N];
};

static const char *web_key(void *ctx, size_t i)
{
    return ((struct yj_host_detect *)ctx)->web[i].ip;
}

void yj_hd_web_free(struct yj_host_detect *d)
{
    free(d->wt.slot);
    free(d->web);
    d->wt.slot = NULL;
    d->web = NULL;
}

/* Percent-decodes s[0..n) into out (which may be s), '+' as a blank, lowercased; the new
 * length. */
static size_t decode(const char *s, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int hi, lo;
        if (c == '%' && i + 2 < n && (hi = yj_hex_digit(s[i + 1])) >= 0 &&
            (lo = yj_hex_digit(s[i + 2])) >= 0) {
            c = (char)(hi * 16 + lo);
            i += 2;
        } else if (c == '+') {
            c = ' ';
        }
        out[k++] = c >= 'A' && c <= 'Z' ? (char)(c | 0x20) : c;
    }
    return k;
}

static bool any(const char *s, size_t n, const char *const *pats)
{
    for (; *pats; pats++)
        if (memmem(s, n, *pats, strlen(*pats)))
            return true;
    return false;
}

unsigned yj_web_classify(const char *url, unsigned status)
{
    /* Never there on a healthy site: counted whatever the answer. */
    static const char *const secret[] = {"/.env",      "/.git",
                                         "/.svn/",     "/.aws/",          "/.ssh/",
                                         "/.htpasswd", "/.ds_store",      "/wp-config.php",
                                         "/vendor/phpunit/", NULL};
    /* Admin pages: a site's own users reach them (answered 200/302); a scanner mostly gets
     * 4xx. Counted only when the server said no. */
    static const char *const admin[] = {"/wp-admin",   "/wp-login.php",  "/xmlrpc.php",
                                        "/phpmyadmin", "/pma/",          "/myadmin",
                                        "/admin",      "/manager/html",  "/cgi-bin/",
                                        "/solr/admin", "/actuator",      "/boaform",
                                        "/hnap1",      "/server-status", NULL};
    static const char *const sqli[] = {"' or 1=1",          "'or 1=1",       "\" or 1=1",
                                       "' or '1'='1",       "' or 'a'='a",   " or 1=1--",
                                       "union select",      "union all select",
                                       "union/**/select",   "sleep(",        "benchmark(",
                                       "information_schema", "waitfor delay", "extractvalue(",
                                       "updatexml(",        "' and 1=1",     NULL};
    static const char *const trav[] = {"../", "..\\", "/etc/passwd", "/etc/shadow",
                                       "/proc/self/environ", "win.ini", "boot.ini", NULL};
    char buf[YJ_HOST_LINE_MAX];
    size_t n = strlen(url);
    if (n > sizeof buf)
        n = sizeof buf;
    n = decode(url, n, buf);
    n = decode(buf, n, buf);
    const char *q = memchr(buf, '?', n);
    size_t pn = q ? (size_t)(q - buf) : n;
    unsigned r = 0;
    if (any(buf, pn, secret) || (status >= 400 && any(buf, pn, admin)))
        r |= YJ_WEB_PROBE;
    if (any(buf, n, sqli))
        r |= YJ_WEB_SQLI;
    if (any(buf, n, trav))
        r |= YJ_WEB_TRAVERSAL;
    return r;
}

/* Adds a request to an open alert; true when there was one. */
static bool extend(struct yj_host_detect *d, struct web_entry *e, int w, int64_t ts,
                   unsigned window)
{
    int32_t idx = e->alert[w];
    if (!idx || ts > e->until[w])
        return false;
    struct yj_host_alert *a = &d->alerts[idx - 1];
    if (ts < a->last - (int64_t)window)
        return false; /* time went backwards (files out of order) */
    a->count++;
    if (ts > a->last)
        a->last = ts;
    e->until[w] = ts + window;
    return true;
}

static void raise_web(struct yj_host_detect *d, struct web_entry *e, int w, enum yj_host_sig sig,
                      uint64_t count, int64_t first, int64_t ts, unsigned window, size_t *out,
                      size_t *nout)
{
    e->alert[w] = yj_hd_raise(d, sig, e->ip, "", count, first, ts);
    e->until[w] = ts + window;
    if (e->alert[w])
        out[(*nout)++] = (size_t)e->alert[w] - 1;
}

void yj_hd_web(struct yj_host_detect *d, const struct yj_http *h, size_t *out, size_t *nout)
{
    const struct yj_host_config *c = &d->cfg;
    if (!h->ip[0])
        return;
    unsigned what = yj_web_classify(h->url, h->status);
    bool nf = h->status == 404;
    if (!what && !nf)
        return; /* ordinary requests are not kept */
    if (!d->web) {
        yj_hd_table_init(&d->wt, c->table_size);
        d->web = yj_xcalloc(c->table_size, sizeof *d->web);
    }
    bool fresh;
    size_t i = yj_hd_lookup(&d->wt, h->ip, yj_hd_hash(h->ip), web_key, d, &fresh);
    if (i == (size_t)-1) {
        d->stats.sources_dropped++;
        return;
    }
    struct web_entry *e = &d->web[i];
    int64_t ts = h->ts;
    if (fresh) {
        memcpy(e->ip, h->ip, strlen(h->ip) + 1);
        e->start = tk(ts);
    }
    if (what & YJ_WEB_SQLI && !extend(d, e, W_SQLI, ts, c->web_attack_window))
        raise_web(d, e, W_SQLI, YJ_HOST_SIG_WEB_SQLI, 1, ts, ts, c->web_attack_window, out,
                  nout);
    if (what & YJ_WEB_TRAVERSAL && !extend(d, e, W_TRAV, ts, c->web_attack_window))
        raise_web(d, e, W_TRAV, YJ_HOST_SIG_WEB_TRAVERSAL, 1, ts, ts, c->web_attack_window,
                  out, nout);
    bool probe = what & YJ_WEB_PROBE;
    if (!probe && !nf)
        return;
    if (extend(d, e, W_SCAN, ts, c->web_window))
        return;
    int64_t since = (int64_t)tk(ts) - (int64_t)e->start;
    if (since > (int64_t)c->web_window || since < -(int64_t)c->web_window) {
        e->start = tk(ts);
        e->probes = e->notfound = e->hits = 0;
    }
    e->probes += probe;
    e->notfound += nf;
    e->hits++;
    if (e->probes >= c->web_paths || e->notfound >= c->web_not_found)
        raise_web(d, e, W_SCAN, YJ_HOST_SIG_WEB_SCAN, e->hits, e->start, ts, c->web_window, out, nout);
}
