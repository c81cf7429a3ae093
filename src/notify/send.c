/* Delivering one alert: a plain-text UTF-8 e-mail through libcurl's SMTP and a webhook
 * (HTTP POST of the alert as JSON). libcurl's errors are translated here into diagnostics
 * that name the URL. Messages are built in bounded buffers. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "base/buf.h"
#include "base/date.h"
#include "notify.h"

#define MSG_MAX ((size_t)64 << 10)

static void global_init(void)
{
    static bool done;
    if (!done) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        done = true;
    }
}

/* RFC 2047 "encoded-word" form of a UTF-8 header text. */
static void add_b64_word(struct yj_buf *b, const char *s)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    yj_buf_adds(b, "=?UTF-8?B?");
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        yj_buf_addc(b, tab[(v >> 18) & 63]);
        yj_buf_addc(b, tab[(v >> 12) & 63]);
        yj_buf_addc(b, i + 1 < n ? tab[(v >> 6) & 63] : '=');
        yj_buf_addc(b, i + 2 < n ? tab[v & 63] : '=');
    }
    yj_buf_adds(b, "?=");
}

static const char *orempty(const char *s)
{
    return s && *s ? s : "-";
}

static void body(struct yj_buf *b, const struct yj_notify_msg *m, uint64_t more,
                 enum yj_lang lang)
{
    char first[YJ_ISO_LEN], last[YJ_ISO_LEN];
    yj_time_iso(m->first, first);
    yj_time_iso(m->last, last);
    yj_buf_printf(b, yj_tl(lang, "notify.body"), m->code, m->summary, m->advice,
                  orempty(m->src_ip), orempty(m->user), (unsigned long long)m->count, first,
                  last, m->playbook);
    yj_buf_adds(b, "\r\n");
    if (more) {
        yj_buf_printf(b, yj_tl(lang, "notify.more"), (unsigned long long)more);
        yj_buf_adds(b, "\r\n");
    }
}

/* The whole message with CRLF line ends (bare LF is not allowed in SMTP); libcurl doubles
 * leading dots itself. */
static void mail(struct yj_buf *out, const struct yj_notify_config *c,
                 const struct yj_notify_msg *m, uint64_t more, enum yj_lang lang)
{
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    yj_buf_printf(out, "Date: %s\r\nFrom: <%s>\r\nTo: ", date, c->mail_from);
    for (size_t i = 0; i < c->nto; i++)
        yj_buf_printf(out, "%s<%s>", i ? ", " : "", c->mail_to[i]);
    yj_buf_adds(out, "\r\nSubject: ");
    char subject[512];
    snprintf(subject, sizeof subject, "[yojin] %s", m->signature);
    add_b64_word(out, subject);
    yj_buf_adds(out, "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                     "Content-Transfer-Encoding: 8bit\r\n\r\n");
    struct yj_buf b;
    yj_buf_init(&b, MSG_MAX);
    body(&b, m, more, lang);
    for (size_t i = 0; i < b.len; i++) {
        char ch = b.p[i];
        if (ch == '\n' && (i == 0 || b.p[i - 1] != '\r'))
            yj_buf_addc(out, '\r');
        yj_buf_addc(out, ch);
    }
    yj_buf_fini(&b);
}

struct reader {
    const char *p;
    size_t left;
};

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *ctx)
{
    struct reader *r = ctx;
    size_t n = size * nmemb < r->left ? size * nmemb : r->left;
    memcpy(dst, r->p, n);
    r->p += n;
    r->left -= n;
    return n;
}

static size_t discard(char *p, size_t size, size_t nmemb, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * nmemb;
}

static bool send_mail(const struct yj_notify_config *c, const struct yj_notify_msg *m,
                      uint64_t more, enum yj_lang lang, struct yj_diag *d)
{
    struct yj_buf b;
    yj_buf_init(&b, MSG_MAX);
    mail(&b, c, m, more, lang);
    bool ok = false;
    CURL *h = curl_easy_init();
    struct curl_slist *rcpt = NULL;
    char err[CURL_ERROR_SIZE] = "";
    if (!h || yj_buf_err(&b)) {
        yj_diag_add(d, NULL, 0, yj_tl(lang, "notify.mail_failed"), c->smtp_url, "setup");
        goto out;
    }
    char from[320];
    snprintf(from, sizeof from, "<%s>", c->mail_from);
    for (size_t i = 0; i < c->nto; i++) {
        char to[320];
        snprintf(to, sizeof to, "<%s>", c->mail_to[i]);
        rcpt = curl_slist_append(rcpt, to);
    }
    struct reader r = {b.p, b.len};
    curl_easy_setopt(h, CURLOPT_URL, c->smtp_url);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &r);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 15L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
    CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK)
        yj_diag_add(d, NULL, 0, yj_tl(lang, "notify.mail_failed"), c->smtp_url,
                    err[0] ? err : curl_easy_strerror(rc));
    else
        ok = true;
out:
    curl_slist_free_all(rcpt);
    if (h)
        curl_easy_cleanup(h);
    yj_buf_fini(&b);
    return ok;
}

static void json(struct yj_buf *b, const struct yj_notify_msg *m, uint64_t more,
                 enum yj_lang lang)
{
    char first[YJ_ISO_LEN], last[YJ_ISO_LEN];
    yj_time_iso(m->first, first);
    yj_time_iso(m->last, last);
    struct yj_json j;
    yj_json_init(&j, b, false);
    yj_json_obj(&j);
    yj_json_kint(&j, "signature_id", m->signature_id);
    yj_json_kstr(&j, "code", m->code);
    yj_json_kstr(&j, "signature", m->signature);
    yj_json_kstr(&j, "category", m->category);
    yj_json_kint(&j, "severity", m->severity);
    yj_json_kstr(&j, "src_ip", m->src_ip && *m->src_ip ? m->src_ip : NULL);
    yj_json_kstr(&j, "user", m->user && *m->user ? m->user : NULL);
    yj_json_kint(&j, "count", (int64_t)m->count);
    yj_json_kstr(&j, "first", first);
    yj_json_kstr(&j, "last", last);
    yj_json_kstr(&j, "summary", m->summary);
    yj_json_kstr(&j, "advice", m->advice);
    yj_json_kstr(&j, "playbook", m->playbook);
    yj_json_kstr(&j, "lang", lang == YJ_LANG_JA ? "ja" : "en");
    yj_json_kint(&j, "not_sent", (int64_t)more);
    yj_json_end_obj(&j);
}

static bool send_webhook(const struct yj_notify_config *c, const struct yj_notify_msg *m,
                         uint64_t more, enum yj_lang lang, struct yj_diag *d)
{
    struct yj_buf b;
    yj_buf_init(&b, MSG_MAX);
    json(&b, m, more, lang);
    bool ok = false;
    CURL *h = curl_easy_init();
    struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
    char err[CURL_ERROR_SIZE] = "";
    if (!h || yj_buf_err(&b)) {
        yj_diag_add(d, NULL, 0, yj_tl(lang, "notify.webhook_failed"), c->webhook_url, "setup");
        goto out;
    }
    curl_easy_setopt(h, CURLOPT_URL, c->webhook_url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, b.p);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)b.len);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 5L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK) {
        yj_diag_add(d, NULL, 0, yj_tl(lang, "notify.webhook_failed"), c->webhook_url,
                    err[0] ? err : curl_easy_strerror(rc));
    } else if (status < 200 || status > 299) {
        char why[32];
        snprintf(why, sizeof why, "HTTP %ld", status);
        yj_diag_add(d, NULL, 0, yj_tl(lang, "notify.webhook_failed"), c->webhook_url, why);
    } else {
        ok = true;
    }
out:
    curl_slist_free_all(hdr);
    if (h)
        curl_easy_cleanup(h);
    yj_buf_fini(&b);
    return ok;
}

enum yj_err yj_notify_send(const struct yj_notify_config *c, const struct yj_notify_msg *m,
                           uint64_t more, enum yj_lang lang, struct yj_notify_result *r,
                           struct yj_diag *d)
{
    global_init();
    unsigned before = r->failures;
    if (c->smtp_url) {
        if (send_mail(c, m, more, lang, d))
            r->mails++;
        else
            r->failures++;
    }
    if (c->webhook_url) {
        if (send_webhook(c, m, more, lang, d))
            r->webhooks++;
        else
            r->failures++;
    }
    return r->failures == before ? YJ_ERR_OK : YJ_ERR_IO;
}
