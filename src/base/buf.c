/* Bounded buffers with sticky errors, HTML and JSON escaping, and the JSON writer. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void yj_buf_init(struct yj_buf *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max ? max : (size_t)64 << 20;
}

void yj_buf_fini(struct yj_buf *b)
{
    free(b->p);
    size_t max = b->max;
    memset(b, 0, sizeof *b);
    b->max = max;
}

void yj_buf_reset(struct yj_buf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
    b->err = YJ_ERR_OK;
}

char *yj_buf_take(struct yj_buf *b, size_t *len)
{
    char *p = b->p ? b->p : yj_xstrdup("");
    if (len)
        *len = b->len;
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

/* Makes room for n more bytes plus the terminator; false (and a sticky error) past max. */
static bool grow(struct yj_buf *b, size_t n)
{
    if (b->err)
        return false;
    if (n > b->max || b->len > b->max - n) {
        b->err = YJ_ERR_LIMIT;
        return false;
    }
    size_t need = b->len + n + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->p = yj_xrealloc(b->p, cap);
    b->cap = cap;
    return true;
}

void yj_buf_add(struct yj_buf *b, const void *p, size_t n)
{
    if (!grow(b, n))
        return;
    if (n)
        memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void yj_buf_adds(struct yj_buf *b, const char *s)
{
    yj_buf_add(b, s, strlen(s));
}

void yj_buf_addc(struct yj_buf *b, char c)
{
    yj_buf_add(b, &c, 1);
}

void yj_buf_printf(struct yj_buf *b, const char *fmt, ...)
{
    if (b->err)
        return;
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->err = YJ_ERR_INVALID;
        return;
    }
    if ((size_t)n < sizeof small) {
        yj_buf_add(b, small, (size_t)n);
        return;
    }
    if (!grow(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void yj_buf_add_html_n(struct yj_buf *b, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        yj_buf_add(b, s + start, i - start);
        yj_buf_adds(b, rep);
        start = i + 1;
    }
    yj_buf_add(b, s + start, n - start);
}

void yj_buf_add_html(struct yj_buf *b, const char *s)
{
    yj_buf_add_html_n(b, s, strlen(s));
}

/* Length of the well-formed UTF-8 sequence at p (1..4), or 0 if it is not one. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    struct yj_str one;
    size_t len = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
    if (len > n)
        return 0;
    one.p = (const char *)p;
    one.n = len;
    return yj_str_is_text(one) ? len : 0;
}

void yj_buf_add_json_str(struct yj_buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    yj_buf_addc(b, '"');
    size_t i = 0;
    while (i < n) {
        /* Runs of printable ASCII that need no escape go in with one copy. */
        size_t run = i;
        while (run < n && p[run] >= 0x20 && p[run] < 0x7f && p[run] != '"' && p[run] != '\\' &&
               p[run] != '<' && p[run] != '>' && p[run] != '&')
            run++;
        if (run > i) {
            yj_buf_add(b, p + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = p[i];
        if (c >= 0x80) {
            size_t len = utf8_len(p + i, n - i);
            if (len) {
                yj_buf_add(b, p + i, len);
                i += len;
            } else {
                yj_buf_adds(b, "\\ufffd");
                i++;
            }
            continue;
        }
        switch (c) {
        case '"': yj_buf_adds(b, "\\\""); break;
        case '\\': yj_buf_adds(b, "\\\\"); break;
        case '\n': yj_buf_adds(b, "\\n"); break;
        case '\r': yj_buf_adds(b, "\\r"); break;
        case '\t': yj_buf_adds(b, "\\t"); break;
        case '<': yj_buf_adds(b, "\\u003c"); break; /* safe inside <script> or HTML */
        case '>': yj_buf_adds(b, "\\u003e"); break;
        case '&': yj_buf_adds(b, "\\u0026"); break;
        default:
            if (c < 0x20 || c == 0x7f)
                yj_buf_printf(b, "\\u%04x", c);
            else
                yj_buf_addc(b, (char)c);
        }
        i++;
    }
    yj_buf_addc(b, '"');
}

/* ---- JSON writer ------------------------------------------------------------------ */

void yj_json_init(struct yj_json *j, struct yj_buf *b, bool pretty)
{
    memset(j, 0, sizeof *j);
    j->b = b;
    j->pretty = pretty;
}

static void indent(struct yj_json *j)
{
    if (!j->pretty)
        return;
    yj_buf_addc(j->b, '\n');
    for (int i = 0; i < j->depth; i++)
        yj_buf_adds(j->b, "  ");
}

/* Writes what must come before a value: a comma and/or indentation. */
static void before_value(struct yj_json *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (j->depth > 0) {
        if (j->need_comma[j->depth])
            yj_buf_addc(j->b, ',');
        j->need_comma[j->depth] = true;
        indent(j);
    }
}

static void json_open(struct yj_json *j, char c)
{
    before_value(j);
    yj_buf_addc(j->b, c);
    if (j->depth + 1 >= YJ_JSON_MAX_DEPTH) {
        j->b->err = YJ_ERR_LIMIT;
        return;
    }
    j->depth++;
    j->need_comma[j->depth] = false;
}

static void json_close(struct yj_json *j, char c)
{
    if (j->depth == 0) {
        j->b->err = YJ_ERR_STATE;
        return;
    }
    bool had = j->need_comma[j->depth];
    j->depth--;
    if (had)
        indent(j);
    yj_buf_addc(j->b, c);
    if (j->depth == 0 && j->pretty)
        yj_buf_addc(j->b, '\n');
}

void yj_json_obj(struct yj_json *j) { json_open(j, '{'); }
void yj_json_arr(struct yj_json *j) { json_open(j, '['); }
void yj_json_end_obj(struct yj_json *j) { json_close(j, '}'); }
void yj_json_end_arr(struct yj_json *j) { json_close(j, ']'); }

void yj_json_key(struct yj_json *j, const char *key)
{
    before_value(j);
    yj_buf_add_json_str(j->b, key, strlen(key));
    yj_buf_adds(j->b, j->pretty ? ": " : ":");
    j->after_key = true;
}

void yj_json_str(struct yj_json *j, const char *s)
{
    before_value(j);
    if (s)
        yj_buf_add_json_str(j->b, s, strlen(s));
    else
        yj_buf_adds(j->b, "null");
}

void yj_json_int(struct yj_json *j, int64_t v)
{
    before_value(j);
    /* Digits by hand: events write many numbers, and printf is the slow way. */
    char d[24], *e = d + sizeof d, *q = e;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do
        *--q = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        *--q = '-';
    yj_buf_add(j->b, q, (size_t)(e - q));
}

void yj_json_bool(struct yj_json *j, bool v)
{
    before_value(j);
    yj_buf_adds(j->b, v ? "true" : "false");
}

void yj_json_null(struct yj_json *j)
{
    before_value(j);
    yj_buf_adds(j->b, "null");
}

void yj_json_kstr(struct yj_json *j, const char *key, const char *s)
{
    yj_json_key(j, key);
    yj_json_str(j, s);
}

void yj_json_kint(struct yj_json *j, const char *key, int64_t v)
{
    yj_json_key(j, key);
    yj_json_int(j, v);
}

void yj_json_kbool(struct yj_json *j, const char *key, bool v)
{
    yj_json_key(j, key);
    yj_json_bool(j, v);
}
