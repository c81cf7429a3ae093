/* Shared helpers of the unit tests (see ut.h). */
#include "ut.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/i18n.h"

char *ut_src_path(const char *rel)
{
    char *p = NULL;
    if (asprintf(&p, "%s/%s", YJ_SOURCE_DIR, rel) < 0)
        yj_oom();
    return p;
}

char *ut_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        print_error("cannot open %s\n", path);
        fail();
    }
    struct yj_buf b;
    yj_buf_init(&b, 0);
    char tmp[8192];
    size_t r;
    while ((r = fread(tmp, 1, sizeof tmp, f)) > 0)
        yj_buf_add(&b, tmp, r);
    fclose(f);
    assert_int_equal(yj_buf_err(&b), YJ_ERR_OK);
    return yj_buf_take(&b, len);
}

void ut_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        print_error("cannot create %s\n", path);
        fail();
    }
    size_t n = strlen(text);
    assert_int_equal(fwrite(text, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

char *ut_tmpdir(void)
{
    char *p = yj_xstrdup("/tmp/yj-unit-XXXXXX");
    if (!mkdtemp(p)) {
        free(p);
        print_error("mkdtemp failed\n");
        fail();
    }
    return p;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void ut_rmtree(const char *dir)
{
    if (dir)
        nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

size_t ut_count(const char *hay, const char *needle)
{
    size_t n = 0, k = strlen(needle);
    if (!k)
        return 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + k, needle))
        n++;
    return n;
}

char *ut_replace_all(const char *s, const char *from, const char *to, size_t *n)
{
    struct yj_buf b;
    yj_buf_init(&b, 0);
    size_t k = strlen(from), count = 0;
    const char *p = s, *q;
    while (k && (q = strstr(p, from)) != NULL) {
        yj_buf_add(&b, p, (size_t)(q - p));
        yj_buf_adds(&b, to);
        p = q + k;
        count++;
    }
    yj_buf_adds(&b, p);
    if (n)
        *n = count;
    return yj_buf_take(&b, NULL);
}

char *ut_replace1(const char *s, const char *from, const char *to)
{
    if (ut_count(s, from) != 1) {
        print_error("'%s' occurs %zu times, expected once\n", from, ut_count(s, from));
        fail();
    }
    return ut_replace_all(s, from, to, NULL);
}

unsigned ut_line_of_nth(const char *s, const char *needle, unsigned k)
{
    const char *p = s;
    for (unsigned i = 0; i < k; i++) {
        p = strstr(i ? p + 1 : p, needle);
        if (!p) {
            print_error("'%s' (occurrence %u) not found\n", needle, k);
            fail();
        }
    }
    unsigned line = 1;
    for (const char *c = s; c < p; c++)
        line += *c == '\n';
    return line;
}

unsigned ut_line_of(const char *s, const char *needle)
{
    return ut_line_of_nth(s, needle, 1);
}

char *ut_drop_lines(const char *s, unsigned first, unsigned last)
{
    struct yj_buf b;
    yj_buf_init(&b, 0);
    unsigned line = 1;
    const char *p = s;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
        if (line < first || line > last)
            yj_buf_add(&b, p, len);
        p += len;
        line++;
    }
    return yj_buf_take(&b, NULL);
}

char *ut_repeat(const char *s, size_t n)
{
    struct yj_buf b;
    yj_buf_init(&b, 0);
    for (size_t i = 0; i < n; i++)
        yj_buf_adds(&b, s);
    assert_int_equal(yj_buf_err(&b), YJ_ERR_OK);
    return yj_buf_take(&b, NULL);
}

void ut_i18n_real(void)
{
    char *dir = ut_src_path("data/po");
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_i18n_init(dir, &d);
    if (err)
        ut_diag_dump(&d);
    yj_diag_fini(&d);
    free(dir);
    assert_int_equal(err, YJ_ERR_OK);
    yj_lang_set(YJ_LANG_EN);
}

const struct yj_diag_entry *ut_diag_find(const struct yj_diag *d, unsigned line,
                                         const char *substr)
{
    for (size_t i = 0; i < d->n; i++) {
        if (d->v[i].line == line && (!substr || strstr(d->v[i].msg, substr)))
            return &d->v[i];
    }
    return NULL;
}

const struct yj_diag_entry *ut_diag_find_msg(const struct yj_diag *d, const char *substr)
{
    for (size_t i = 0; i < d->n; i++) {
        if (strstr(d->v[i].msg, substr))
            return &d->v[i];
    }
    return NULL;
}

void ut_diag_dump(const struct yj_diag *d)
{
    for (size_t i = 0; i < d->n; i++)
        print_error("  diag %zu: %s:%u: %s\n", i, d->v[i].file ? d->v[i].file : "(none)",
                    d->v[i].line, d->v[i].msg);
}

void ut_assert_diag_(const struct yj_diag *d, unsigned line, const char *substr,
                     const char *file, int at)
{
    if (ut_diag_find(d, line, substr))
        return;
    print_error("%s:%d: no diagnostic at line %u containing '%s'; got %zu:\n", file, at, line,
                substr ? substr : "", d->n);
    ut_diag_dump(d);
    fail();
}

/* ---- JSON ------------------------------------------------------------------------------- */

struct jp {
    const char *p, *end;
    const char *err;
    int depth;
};

static void ws(struct jp *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

static struct ut_json *jnew(enum ut_json_kind k)
{
    struct ut_json *v = yj_xcalloc(1, sizeof *v);
    v->kind = k;
    return v;
}

static struct ut_json *jfail(struct jp *j, const char *why, struct ut_json *v)
{
    if (!j->err)
        j->err = why;
    ut_json_free(v);
    return NULL;
}

static int hex4(const char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static void put_utf8(struct yj_buf *b, unsigned cp)
{
    char o[4];
    if (cp < 0x80) {
        yj_buf_addc(b, (char)cp);
    } else if (cp < 0x800) {
        o[0] = (char)(0xc0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3f));
        yj_buf_add(b, o, 2);
    } else if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        yj_buf_add(b, o, 3);
    } else {
        o[0] = (char)(0xf0 | (cp >> 18));
        o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[3] = (char)(0x80 | (cp & 0x3f));
        yj_buf_add(b, o, 4);
    }
}

/* Parses a string literal at j->p into a new buffer; NULL on error. */
static char *jstring(struct jp *j, size_t *len)
{
    if (j->p >= j->end || *j->p != '"') {
        j->err = j->err ? j->err : "expected a string";
        return NULL;
    }
    j->p++;
    struct yj_buf b;
    yj_buf_init(&b, 0);
    const char *start = j->p;
    while (j->p < j->end && *j->p != '"') {
        unsigned char c = (unsigned char)*j->p;
        if (c < 0x20) {
            j->err = "raw control character in string";
            goto bad;
        }
        if (c != '\\') {
            yj_buf_addc(&b, (char)c);
            j->p++;
            continue;
        }
        if (j->end - j->p < 2)
            goto bad;
        char e = j->p[1];
        j->p += 2;
        switch (e) {
        case '"': yj_buf_addc(&b, '"'); break;
        case '\\': yj_buf_addc(&b, '\\'); break;
        case '/': yj_buf_addc(&b, '/'); break;
        case 'b': yj_buf_addc(&b, '\b'); break;
        case 'f': yj_buf_addc(&b, '\f'); break;
        case 'n': yj_buf_addc(&b, '\n'); break;
        case 'r': yj_buf_addc(&b, '\r'); break;
        case 't': yj_buf_addc(&b, '\t'); break;
        case 'u': {
            if (j->end - j->p < 4)
                goto bad;
            int cp = hex4(j->p);
            if (cp < 0)
                goto bad;
            j->p += 4;
            if (cp >= 0xd800 && cp <= 0xdbff) {
                if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u')
                    goto bad;
                int lo = hex4(j->p + 2);
                if (lo < 0xdc00 || lo > 0xdfff)
                    goto bad;
                j->p += 6;
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                goto bad;
            }
            put_utf8(&b, (unsigned)cp);
            break;
        }
        default:
            goto bad;
        }
    }
    if (j->p >= j->end)
        goto bad;
    /* The raw bytes must be UTF-8: check the undecoded run. */
    {
        struct yj_str raw = {start, (size_t)(j->p - start)};
        for (size_t i = 0; i < raw.n; i++) {
            if ((unsigned char)raw.p[i] >= 0x80) {
                /* yj_str_is_text accepts exactly well-formed UTF-8 for bytes >= 0x80. */
                size_t k = i;
                while (k < raw.n && (unsigned char)raw.p[k] >= 0x80)
                    k++;
                if (!yj_str_is_text((struct yj_str){raw.p + i, k - i})) {
                    j->err = "invalid UTF-8 in string";
                    goto bad;
                }
                i = k;
            }
        }
    }
    j->p++;
    return yj_buf_take(&b, len);
bad:
    if (!j->err)
        j->err = "bad string";
    yj_buf_fini(&b);
    return NULL;
}

static struct ut_json *jvalue(struct jp *j);

static void jpush(struct ut_json *v, char *key, struct ut_json *kid)
{
    v->v = yj_xrealloc(v->v, (v->len + 1) * sizeof *v->v);
    if (v->kind == UT_JOBJ)
        v->keys = yj_xrealloc(v->keys, (v->len + 1) * sizeof *v->keys);
    v->v[v->len] = kid;
    if (v->kind == UT_JOBJ)
        v->keys[v->len] = key;
    v->len++;
}

static struct ut_json *jcontainer(struct jp *j, bool obj)
{
    struct ut_json *v = jnew(obj ? UT_JOBJ : UT_JARR);
    if (++j->depth > 200)
        return jfail(j, "too deep", v);
    j->p++;
    ws(j);
    char close = obj ? '}' : ']';
    if (j->p < j->end && *j->p == close) {
        j->p++;
        j->depth--;
        return v;
    }
    for (;;) {
        char *key = NULL;
        ws(j);
        if (obj) {
            size_t kl;
            key = jstring(j, &kl);
            if (!key)
                return jfail(j, "bad key", v);
            if (strlen(key) != kl || ut_json_get(v, key)) {
                free(key);
                return jfail(j, "duplicate or NUL key", v);
            }
            ws(j);
            if (j->p >= j->end || *j->p != ':') {
                free(key);
                return jfail(j, "expected ':'", v);
            }
            j->p++;
        }
        struct ut_json *kid = jvalue(j);
        if (!kid) {
            free(key);
            return jfail(j, "bad value", v);
        }
        jpush(v, key, kid);
        ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == close) {
            j->p++;
            j->depth--;
            return v;
        }
        return jfail(j, "expected ',' or close", v);
    }
}

static struct ut_json *jnumber(struct jp *j)
{
    const char *s = j->p;
    bool is_int = true;
    if (j->p < j->end && *j->p == '-')
        j->p++;
    if (j->p >= j->end)
        return jfail(j, "bad number", NULL);
    if (*j->p == '0') {
        j->p++;
    } else if (*j->p >= '1' && *j->p <= '9') {
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
            j->p++;
    } else {
        return jfail(j, "bad number", NULL);
    }
    if (j->p < j->end && *j->p == '.') {
        is_int = false;
        j->p++;
        if (j->p >= j->end || *j->p < '0' || *j->p > '9')
            return jfail(j, "bad fraction", NULL);
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
            j->p++;
    }
    if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
        is_int = false;
        j->p++;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
            j->p++;
        if (j->p >= j->end || *j->p < '0' || *j->p > '9')
            return jfail(j, "bad exponent", NULL);
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
            j->p++;
    }
    struct ut_json *v = jnew(UT_JNUM);
    v->is_int = is_int;
    if (is_int) {
        long out;
        if (!yj_str_to_long((struct yj_str){s, (size_t)(j->p - s)}, &out)) {
            /* LONG_MIN is the one value the strict parser may not take. */
            if ((size_t)(j->p - s) == 20 && memcmp(s, "-9223372036854775808", 20) == 0)
                out = INT64_MIN;
            else
                return jfail(j, "integer out of range", v);
        }
        v->i = out;
    }
    return v;
}

static bool lit(struct jp *j, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
        return false;
    j->p += n;
    return true;
}

static struct ut_json *jvalue(struct jp *j)
{
    ws(j);
    if (j->p >= j->end)
        return jfail(j, "unexpected end", NULL);
    switch (*j->p) {
    case '{': return jcontainer(j, true);
    case '[': return jcontainer(j, false);
    case '"': {
        size_t len;
        char *s = jstring(j, &len);
        if (!s)
            return NULL;
        struct ut_json *v = jnew(UT_JSTR);
        v->s = s;
        v->len = len;
        return v;
    }
    case 't':
    case 'f': {
        bool t = *j->p == 't';
        if (!lit(j, t ? "true" : "false"))
            return jfail(j, "bad literal", NULL);
        struct ut_json *v = jnew(UT_JBOOL);
        v->b = t;
        return v;
    }
    case 'n':
        if (!lit(j, "null"))
            return jfail(j, "bad literal", NULL);
        return jnew(UT_JNULL);
    default:
        return jnumber(j);
    }
}

struct ut_json *ut_json_parse(const char *p, size_t n, const char **err)
{
    struct jp j = {p, p + n, NULL, 0};
    struct ut_json *v = jvalue(&j);
    if (v) {
        ws(&j);
        if (j.p != j.end) {
            ut_json_free(v);
            v = NULL;
            j.err = "trailing data";
        }
    }
    if (err)
        *err = j.err;
    return v;
}

void ut_json_free(struct ut_json *j)
{
    if (!j)
        return;
    for (size_t i = 0; (j->kind == UT_JARR || j->kind == UT_JOBJ) && i < j->len; i++) {
        ut_json_free(j->v[i]);
        if (j->keys)
            free(j->keys[i]);
    }
    free(j->v);
    free(j->keys);
    free(j->s);
    free(j);
}

const struct ut_json *ut_json_get(const struct ut_json *o, const char *key)
{
    if (!o || o->kind != UT_JOBJ)
        return NULL;
    for (size_t i = 0; i < o->len; i++)
        if (strcmp(o->keys[i], key) == 0)
            return o->v[i];
    return NULL;
}

const struct ut_json *ut_json_req(const struct ut_json *o, const char *key,
                                  enum ut_json_kind kind)
{
    const struct ut_json *v = ut_json_get(o, key);
    if (!v || v->kind != kind) {
        print_error("JSON member '%s' %s\n", key, v ? "has the wrong kind" : "is missing");
        fail();
    }
    return v;
}
