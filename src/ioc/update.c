/* Feed downloads: HTTPS only, certificate and host name verified, a timeout and a size cap,
 * conditional requests (If-None-Match / If-Modified-Since) so an unchanged feed costs one
 * small answer. What comes back is parsed first; only a list that parses replaces the last
 * good copy, by an atomic rename, and then its metadata:
 *
 *   <data>/ioc/<name>.<ext> the list as downloaded (.csv, .tsv or .txt by format)
 *   <data>/ioc/<name>.meta   "key value" lines: fetched, checked, entries, etag,
 *                            last_modified (Unix seconds for times) */
#include <curl/curl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/file.h"
#include "base/i18n.h"
#include "ioc_int.h"

static char *meta_path(const char *data_dir, const char *name)
{
    char *p = NULL;
    if (asprintf(&p, "%s/ioc/%s.meta", data_dir, name) < 0)
        yj_oom();
    return p;
}

static void copy_val(char *dst, size_t cap, struct yj_str v)
{
    size_t n = v.n < cap - 1 ? v.n : cap - 1;
    memcpy(dst, v.p, n);
    dst[n] = 0;
}

void yj_ioc_feed_state_read(const char *data_dir, const struct yj_ioc_source *feed,
                            struct yj_ioc_feed_state *st)
{
    memset(st, 0, sizeof *st);
    char *mp = meta_path(data_dir, feed->name), *lp = yj_ioc_feed_path(data_dir, feed);
    char *txt = NULL;
    size_t n;
    FILE *f = fopen(lp, "r");
    if (f) {
        fclose(f);
        if (yj_file_read(mp, 16384, &txt, &n, NULL) == YJ_ERR_OK) {
            st->have = true;
            struct yj_str cur = {txt, n}, ln;
            while (yj_str_next_line(&cur, &ln)) {
                struct yj_str k;
                if (!yj_str_next_word(&ln, &k))
                    continue;
                struct yj_str v = yj_str_trim(ln);
                long x = 0;
                if (yj_str_eq_c(k, "fetched") && yj_str_to_long(v, &x))
                    st->fetched = x;
                else if (yj_str_eq_c(k, "checked") && yj_str_to_long(v, &x))
                    st->checked = x;
                else if (yj_str_eq_c(k, "entries") && yj_str_to_long(v, &x) && x >= 0)
                    st->entries = (size_t)x;
                else if (yj_str_eq_c(k, "etag"))
                    copy_val(st->etag, sizeof st->etag, v);
                else if (yj_str_eq_c(k, "last_modified"))
                    copy_val(st->last_modified, sizeof st->last_modified, v);
            }
        }
    }
    free(txt);
    free(mp);
    free(lp);
}

static enum yj_err write_meta(const char *data_dir, const char *name,
                              const struct yj_ioc_feed_state *st, struct yj_diag *d)
{
    char *mp = meta_path(data_dir, name);
    struct yj_buf b;
    yj_buf_init(&b, 4096);
    yj_buf_printf(&b, "fetched %" PRId64 "\nchecked %" PRId64 "\nentries %zu\n", st->fetched,
                  st->checked, st->entries);
    if (st->etag[0])
        yj_buf_printf(&b, "etag %s\n", st->etag);
    if (st->last_modified[0])
        yj_buf_printf(&b, "last_modified %s\n", st->last_modified);
    enum yj_err err = yj_file_write_atomic(mp, b.p, b.len, 0644, d);
    yj_buf_fini(&b);
    free(mp);
    return err;
}

struct dl {
    struct yj_buf body;
    char etag[256];
    char last_modified[64];
    bool too_big;
};

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
    struct dl *x = arg;
    size_t len = size * n;
    yj_buf_add(&x->body, p, len);
    if (yj_buf_err(&x->body)) {
        x->too_big = true;
        return 0; /* aborts the transfer */
    }
    return len;
}

/* Keeps ETag and Last-Modified, with only printable bytes. */
static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
    struct dl *x = arg;
    size_t len = size * n;
    struct yj_str line = {p, len}, rest = line;
    const char *colon = memchr(p, ':', len);
    if (!colon)
        return len;
    struct yj_str k = {p, (size_t)(colon - p)};
    rest = yj_str_trim((struct yj_str){colon + 1, len - k.n - 1});
    if (!yj_str_is_text(rest))
        return len;
    if (yj_str_eq_ci_c(k, "etag"))
        copy_val(x->etag, sizeof x->etag, rest);
    else if (yj_str_eq_ci_c(k, "last-modified"))
        copy_val(x->last_modified, sizeof x->last_modified, rest);
    (void)line;
    return len;
}

enum yj_err yj_ioc_update_feed(const struct yj_ioc_config *c, const struct yj_ioc_source *feed,
                               const char *data_dir, struct yj_ioc_update_result *r,
                               struct yj_diag *d)
{
    memset(r, 0, sizeof *r);
    r->status = YJ_IOC_FETCH_FAILED;
    yj_ioc_feed_state_read(data_dir, feed, &r->state);
    char *dir = NULL;
    if (asprintf(&dir, "%s/ioc", data_dir) < 0)
        yj_oom();
    enum yj_err err = yj_mkdir_p(dir, 0755, d);
    free(dir);
    if (err)
        return err;

    static bool global;
    if (!global) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        global = true;
    }
    struct dl x;
    memset(&x, 0, sizeof x);
    yj_buf_init(&x.body, (size_t)c->max_mb << 20);
    CURL *h = curl_easy_init();
    if (!h)
        yj_oom();
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *hdrs = NULL;
    char line[400];
    if (r->state.have && r->state.etag[0]) {
        snprintf(line, sizeof line, "If-None-Match: %s", r->state.etag);
        hdrs = curl_slist_append(hdrs, line);
    }
    if (r->state.have && r->state.last_modified[0]) {
        snprintf(line, sizeof line, "If-Modified-Since: %s", r->state.last_modified);
        hdrs = curl_slist_append(hdrs, line);
    }
    curl_easy_setopt(h, CURLOPT_URL, feed->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (c->ca_file)
        curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, c->timeout);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, c->timeout < 20 ? c->timeout : 20L);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->max_mb << 20);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    char ua[64];
    snprintf(ua, sizeof ua, "yojin/%s", yj_version());
    curl_easy_setopt(h, CURLOPT_USERAGENT, ua);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode cc = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    r->http_status = code;
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    char *path = yj_ioc_feed_path(data_dir, feed);
    int64_t now = yj_now();
    if (cc != CURLE_OK) {
        if (x.too_big || cc == CURLE_FILESIZE_EXCEEDED)
            yj_diag_add(d, feed->url, 0, yj_t("ioc.dl_too_big"), c->max_mb);
        else
            yj_diag_add(d, feed->url, 0, yj_t("ioc.dl_failed"),
                        errbuf[0] ? errbuf : curl_easy_strerror(cc));
        err = YJ_ERR_IO;
        goto out;
    }
    if (code == 304 && r->state.have) {
        r->status = YJ_IOC_FETCH_UNCHANGED;
        r->state.checked = now;
        err = write_meta(data_dir, feed->name, &r->state, d);
        goto out;
    }
    if (code != 200) {
        yj_diag_add(d, feed->url, 0, yj_t("ioc.dl_status"), code);
        err = YJ_ERR_IO;
        goto out;
    }
    /* validate: it must parse as the feed's format and list something */
    struct yj_ioc_builder *b = yj_ioc_builder_new();
    struct yj_ioc_file_stats fs;
    struct yj_diag pd;
    yj_diag_init(&pd);
    err = yj_ioc_builder_add_mem(b, feed->name, feed->url, feed->format, x.body.p ? x.body.p : "",
                                 x.body.len, &fs, &pd);
    yj_ioc_builder_free(b);
    yj_diag_fini(&pd);
    if (err || !fs.entries) {
        yj_diag_add(d, feed->url, 0, yj_t("ioc.dl_invalid"), yj_ioc_format_name(fs.format),
                    fs.bad, fs.lines);
        err = YJ_ERR_PARSE;
        goto out;
    }
    if ((err = yj_file_write_atomic(path, x.body.p, x.body.len, 0644, d)))
        goto out;
    r->state.have = true;
    r->state.fetched = r->state.checked = now;
    r->state.entries = fs.entries;
    memcpy(r->state.etag, x.etag, sizeof x.etag);
    memcpy(r->state.last_modified, x.last_modified, sizeof x.last_modified);
    err = write_meta(data_dir, feed->name, &r->state, d);
    if (!err)
        r->status = YJ_IOC_FETCH_UPDATED;
out:
    free(path);
    yj_buf_fini(&x.body);
    return err;
}
