/* List files: the formats yojin reads, their detection, and the builder that collects what
 * they list.
 *
 *   plain          1.2.3.4 / 10.0.0.0/8 / evil.com / http://evil.com/x   (# and ; comments;
 *                  words after the first are ignored)
 *   maltrail       evil.com<TAB>malware/emotet             (stamparm/maltrail static trails)
 *   ipsum          1.2.3.4<TAB>7                           (7 = number of lists naming it)
 *   spamhaus-drop  1.10.16.0/20 ; SBL256894                (or {"cidr":...,"sblid":...} lines)
 *   abusech-csv    "2021-01-17 07:44:46","67.213.75.205","443","online","2023-04-07","Dridex"
 *                  the column names come from the last "# a,b,c" comment before the rows
 *
 * Files are read in fixed chunks, a line at a time; nothing is allocated per line except
 * what the builder keeps. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/i18n.h"
#include "ioc_int.h"

#define REPORT_MAX 5          /* bad lines described per file */
#define CHUNK ((size_t)1 << 20)
#define CSV_COLS 32

static const char *const format_names[YJ_IOC_FMT__COUNT] = {
    "auto", "plain", "maltrail", "ipsum", "spamhaus-drop", "abusech-csv",
};

const char *yj_ioc_format_name(enum yj_ioc_format f)
{
    return (unsigned)f < YJ_IOC_FMT__COUNT ? format_names[f] : "?";
}

bool yj_ioc_format_parse(const char *s, enum yj_ioc_format *out)
{
    for (unsigned i = 0; i < YJ_IOC_FMT__COUNT; i++)
        if (strcmp(s, format_names[i]) == 0) {
            *out = (enum yj_ioc_format)i;
            return true;
        }
    if (strcmp(s, "drop") == 0) {
        *out = YJ_IOC_FMT_DROP;
        return true;
    }
    return false;
}

/* ---- the builder's store ---- */

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    *cap = c;
    return yj_xrealloc(p, c * size);
}

uint32_t ioc_str_add(struct ioc_store *st, const char *p, size_t n)
{
    if (st->nstr + n + 1 > UINT32_MAX)
        yj_oom(); /* 4 GiB of list text: far past any list */
    st->str = grow(st->str, &st->capstr, st->nstr + n + 1, 1);
    uint32_t off = (uint32_t)st->nstr;
    if (n)
        memcpy(st->str + off, p, n);
    st->str[off + n] = 0;
    st->nstr += n + 1;
    return off;
}

uint32_t ioc_cat_intern(struct ioc_store *st, const char *p, size_t n)
{
    if (!n)
        return 0;
    if (st->lastcat) {
        const char *s = st->str + st->lastcat;
        if (strlen(s) == n && !memcmp(s, p, n))
            return st->lastcat;
    }
    if (st->ncat * 2 >= st->catcap) {
        size_t cap = st->catcap ? st->catcap * 2 : 256;
        uint64_t *k = yj_xcalloc(cap, sizeof *k);
        uint32_t *v = yj_xcalloc(cap, sizeof *v);
        for (size_t i = 0; i < st->catcap; i++) {
            if (!st->catkeys[i])
                continue;
            size_t j = st->catkeys[i] & (cap - 1);
            while (k[j])
                j = (j + 1) & (cap - 1);
            k[j] = st->catkeys[i];
            v[j] = st->catvals[i];
        }
        free(st->catkeys);
        free(st->catvals);
        st->catkeys = k;
        st->catvals = v;
        st->catcap = cap;
    }
    uint64_t h = ioc_hash_url(p, n);
    size_t j = h & (st->catcap - 1);
    while (st->catkeys[j]) {
        if (st->catkeys[j] == h) {
            const char *s = st->str + st->catvals[j];
            if (strlen(s) == n && memcmp(s, p, n) == 0)
                return st->lastcat = st->catvals[j];
        }
        j = (j + 1) & (st->catcap - 1);
    }
    st->catkeys[j] = h;
    st->catvals[j] = ioc_str_add(st, p, n);
    st->ncat++;
    return st->lastcat = st->catvals[j];
}

void ioc_add_value(struct ioc_store *st, const struct ioc_value *v, uint16_t list, uint32_t line,
                   uint32_t cat)
{
    if (st->nents >= UINT32_MAX - 1)
        yj_oom();
    if (st->nents + 1 > st->capents) {
        size_t cap = st->capents ? st->capents * 2 : 1024;
        st->ents = yj_xrealloc(st->ents, cap * sizeof *st->ents);
        st->hashes = yj_xrealloc(st->hashes, cap * sizeof *st->hashes);
        st->capents = cap;
    }
    uint32_t idx = (uint32_t)st->nents++;
    struct ioc_ent *e = &st->ents[idx];
    e->text = ioc_str_add(st, v->text, v->n);
    e->cat = cat;
    e->line = line;
    e->next = IOC_NONE;
    e->list = list;
    e->kind = (uint8_t)v->kind;
    e->pad = 0;
    uint64_t h = 0;
    uint32_t a4 = (uint32_t)v->addr[12] << 24 | (uint32_t)v->addr[13] << 16 |
                  (uint32_t)v->addr[14] << 8 | v->addr[15];
    switch (v->kind) {
    case YJ_IOC_IP:
        h = ioc_hash_addr(v->addr, 0);
        if (v->v4) {
            st->v4 = grow(st->v4, &st->capv4, st->nv4 + 1, sizeof *st->v4);
            st->v4[st->nv4++] = (struct ioc_v4){a4, idx};
        }
        break;
    case YJ_IOC_IPPORT:
        h = ioc_hash_addr(v->addr, v->port);
        if (v->v4) {
            st->p4 = grow(st->p4, &st->capp4, st->np4 + 1, sizeof *st->p4);
            st->p4[st->np4++] = (struct ioc_v4){(uint64_t)a4 << 16 | v->port, idx};
        }
        break;
    case YJ_IOC_DOMAIN: h = v->hash ? v->hash : ioc_hash_domain(v->text, v->n); break;
    case YJ_IOC_URL:
    case YJ_IOC_PATH: h = ioc_hash_url(v->text, v->n); break;
    case YJ_IOC_CIDR: {
        st->ranges = grow(st->ranges, &st->capranges, st->nranges + 1, sizeof *st->ranges);
        yj_u128 lo = ioc_u128(v->addr);
        yj_u128 span = v->prefix ? (((yj_u128)1 << (128 - v->prefix)) - 1) : ~(yj_u128)0;
        st->ranges[st->nranges++] = (struct ioc_range){lo, lo | span, idx};
        break;
    }
    default: break;
    }
    st->hashes[idx] = h;
}

void ioc_store_fini(struct ioc_store *st)
{
    free(st->ents);
    free(st->hashes);
    free(st->str);
    free(st->lists);
    free(st->ranges);
    free(st->v4);
    free(st->p4);
    free(st->catkeys);
    free(st->catvals);
    memset(st, 0, sizeof *st);
}

struct yj_ioc_builder *yj_ioc_builder_new(void)
{
    struct yj_ioc_builder *b = yj_xcalloc(1, sizeof *b);
    ioc_str_add(&b->st, "", 0); /* offset 0 is the empty string */
    return b;
}

void yj_ioc_builder_free(struct yj_ioc_builder *b)
{
    if (!b)
        return;
    ioc_store_fini(&b->st);
    free(b);
}

/* ---- one file ---- */

struct pctx {
    struct ioc_store *st;
    uint16_t list;
    const char *file;
    enum yj_ioc_format fmt;
    struct yj_ioc_file_stats *stats;
    struct yj_diag *d;
    int col_val, col_fam, col_port; /* abusech-csv columns (-1: unknown) */
    uint32_t ipsum_cat[32];         /* interned "listed by N lists" for small N */
};

/* A short printable copy of bad input for a message. */
static void shown(struct yj_str s, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < s.n && k + 4 < cap; i++) {
        unsigned char c = (unsigned char)s.p[i];
        out[k++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    if (s.n && k + 4 >= cap) {
        memcpy(out + k, "...", 3);
        k += 3;
    }
    out[k] = 0;
}

static void bad(struct pctx *c, uint32_t line, const char *why, struct yj_str what)
{
    c->stats->bad++;
    if (c->stats->bad > REPORT_MAX)
        return;
    char txt[64];
    shown(what, txt, sizeof txt);
    yj_diag_add(c->d, c->file, line, yj_t(why), txt);
}

static void take(struct pctx *c, uint32_t line, struct yj_str val, uint32_t cat)
{
    struct ioc_value v;
    const char *why;
    if (!ioc_value_parse(val, &v, &why)) {
        bad(c, line, why, val);
        return;
    }
    ioc_add_value(c->st, &v, c->list, line, cat);
    c->stats->entries++;
}

static struct yj_str cut(struct yj_str *s, char sep)
{
    const char *q = memchr(s->p, sep, s->n);
    struct yj_str a = {s->p, q ? (size_t)(q - s->p) : s->n};
    if (q) {
        s->p = q + 1;
        s->n -= a.n + 1;
    } else {
        s->p += s->n;
        s->n = 0;
    }
    return a;
}

/* Splits one CSV record; false on an unterminated quote. Quoted fields keep "" as is
 * (indicators and family names never contain quotes). */
static bool csv_split(struct yj_str s, struct yj_str *f, size_t max, size_t *nf)
{
    size_t n = 0, i = 0;
    for (;;) {
        while (i < s.n && s.p[i] == ' ')
            i++;
        struct yj_str x;
        if (i < s.n && s.p[i] == '"') {
            size_t j = ++i;
            while (j < s.n && !(s.p[j] == '"' && (j + 1 >= s.n || s.p[j + 1] != '"')))
                j += s.p[j] == '"' ? 2 : 1;
            if (j >= s.n)
                return false;
            x = (struct yj_str){s.p + i, j - i};
            i = j + 1;
            while (i < s.n && s.p[i] != ',')
                i++;
        } else {
            size_t j = i;
            while (j < s.n && s.p[j] != ',')
                j++;
            x = yj_str_trim((struct yj_str){s.p + i, j - i});
            i = j;
        }
        if (n < max)
            f[n++] = x;
        if (i >= s.n)
            break;
        i++; /* the comma */
    }
    *nf = n;
    return true;
}

static int col_rank(struct yj_str name, bool value)
{
    static const char *const vals[] = {"dst_ip", "ip_address", "url", "ioc_value", "ioc", "ip",
                                       NULL};
    static const char *const fams[] = {"malware_printable", "malware", "tags", "threat",
                                       "signature", NULL};
    const char *const *l = value ? vals : fams;
    for (int i = 0; l[i]; i++)
        if (yj_str_eq_ci_c(name, l[i]))
            return 10 - i;
    return 0;
}

static void csv_header(struct pctx *c, struct yj_str s)
{
    struct yj_str f[CSV_COLS];
    size_t n;
    if (!memchr(s.p, ',', s.n) || !csv_split(s, f, CSV_COLS, &n))
        return;
    int bv = 0, bf = 0, val = -1, fam = -1, port = -1;
    for (size_t i = 0; i < n; i++) {
        int rv = col_rank(f[i], true), rf = col_rank(f[i], false);
        if (rv > bv) {
            bv = rv;
            val = (int)i;
        }
        if (rf > bf) {
            bf = rf;
            fam = (int)i;
        }
        if (yj_str_eq_ci_c(f[i], "dst_port"))
            port = (int)i;
    }
    if (val >= 0) {
        c->col_val = val;
        c->col_fam = fam;
        c->col_port = port;
    }
}

static void line_csv(struct pctx *c, uint32_t line, struct yj_str s)
{
    struct yj_str f[CSV_COLS];
    size_t n;
    if (!csv_split(s, f, CSV_COLS, &n)) {
        bad(c, line, "ioc.bad_csv", s);
        return;
    }
    /* a header row without '#' */
    if (c->col_val < 0 || (int)n <= c->col_val) {
        for (size_t i = 0; i < n; i++)
            if (col_rank(f[i], true)) {
                csv_header(c, s);
                return;
            }
    }
    int vi = c->col_val, fi = c->col_fam;
    if (vi < 0) {
        /* no header: the first field that is an indicator, the family last */
        struct ioc_value v;
        const char *why;
        for (size_t i = 0; i < n && vi < 0; i++)
            if (f[i].n && ioc_value_parse(f[i], &v, &why) && v.kind != YJ_IOC_DOMAIN)
                vi = (int)i;
        fi = n > 1 ? (int)n - 1 : -1;
        if (vi == fi)
            fi = -1;
    }
    if (vi < 0 || (int)n <= vi) {
        bad(c, line, "ioc.csv_no_value", s);
        return;
    }
    uint32_t cat = fi >= 0 && fi < (int)n ? ioc_cat_intern(c->st, f[fi].p, f[fi].n) : 0;
    take(c, line, f[vi], cat);
}

static void line_drop(struct pctx *c, uint32_t line, struct yj_str s)
{
    if (s.p[0] == '{') {
        /* {"cidr":"1.10.16.0/20","sblid":"SBL256894","rir":"apnic"}; the metadata line
         * {"type":"metadata",...} has no cidr */
        static const char kc[] = "\"cidr\":\"", ks[] = "\"sblid\":\"";
        const char *a = memmem(s.p, s.n, kc, sizeof kc - 1);
        if (!a) {
            if (!memmem(s.p, s.n, "\"metadata\"", 10))
                bad(c, line, "ioc.bad_value", s);
            return;
        }
        a += sizeof kc - 1;
        const char *ae = memchr(a, '"', s.n - (size_t)(a - s.p));
        if (!ae) {
            bad(c, line, "ioc.bad_value", s);
            return;
        }
        uint32_t cat = 0;
        const char *b = memmem(s.p, s.n, ks, sizeof ks - 1);
        if (b) {
            b += sizeof ks - 1;
            const char *be = memchr(b, '"', s.n - (size_t)(b - s.p));
            if (be)
                cat = ioc_cat_intern(c->st, b, (size_t)(be - b));
        }
        take(c, line, (struct yj_str){a, (size_t)(ae - a)}, cat);
        return;
    }
    struct yj_str rest = s;
    struct yj_str val = yj_str_trim(cut(&rest, ';'));
    struct yj_str id = yj_str_trim(rest);
    take(c, line, val, ioc_cat_intern(c->st, id.p, id.n));
}

static void line_ipsum(struct pctx *c, uint32_t line, struct yj_str s)
{
    struct yj_str rest = s, val, cnt;
    if (!yj_str_next_word(&rest, &val))
        return;
    long n = 0;
    if (!yj_str_next_word(&rest, &cnt) || !yj_str_to_long(cnt, &n) || n < 1 || n > 1000000) {
        bad(c, line, "ioc.bad_count", s);
        return;
    }
    uint32_t cat;
    if (n < 32 && c->ipsum_cat[n]) {
        cat = c->ipsum_cat[n];
    } else {
        char t[48];
        int k = snprintf(t, sizeof t, "listed by %ld lists", n);
        cat = ioc_cat_intern(c->st, t, (size_t)k);
        if (n < 32)
            c->ipsum_cat[n] = cat;
    }
    take(c, line, val, cat);
}

static void line_maltrail(struct pctx *c, uint32_t line, struct yj_str s)
{
    struct yj_str rest = s;
    struct yj_str val = yj_str_trim(cut(&rest, '\t'));
    struct yj_str cat = yj_str_trim(rest);
    /* a category with a comment after it */
    const char *hash = memchr(cat.p, '#', cat.n);
    if (hash)
        cat = yj_str_trim((struct yj_str){cat.p, (size_t)(hash - cat.p)});
    take(c, line, val, ioc_cat_intern(c->st, cat.p, cat.n));
}

static void line_plain(struct pctx *c, uint32_t line, struct yj_str s)
{
    struct yj_str rest = s, val;
    if (yj_str_next_word(&rest, &val))
        take(c, line, val, 0);
}

static void one_line(struct pctx *c, uint32_t line, struct yj_str s)
{
    c->stats->lines++;
    if (s.n && s.p[s.n - 1] == '\r')
        s.n--;
    /* a UTF-8 byte order mark on the first line */
    if (line == 1 && s.n >= 3 && memcmp(s.p, "\xef\xbb\xbf", 3) == 0) {
        s.p += 3;
        s.n -= 3;
    }
    s = yj_str_trim(s);
    if (!s.n)
        return;
    if (s.p[0] == '#') {
        if (c->fmt == YJ_IOC_FMT_ABUSECH) {
            struct yj_str h = {s.p + 1, s.n - 1};
            csv_header(c, yj_str_trim(h));
        }
        return;
    }
    if (s.p[0] == ';' && (c->fmt == YJ_IOC_FMT_PLAIN || c->fmt == YJ_IOC_FMT_DROP))
        return;
    if (s.n > IOC_LINE_MAX) {
        bad(c, line, "ioc.too_long", s);
        return;
    }
    switch (c->fmt) {
    case YJ_IOC_FMT_MALTRAIL: line_maltrail(c, line, s); break;
    case YJ_IOC_FMT_IPSUM: line_ipsum(c, line, s); break;
    case YJ_IOC_FMT_DROP: line_drop(c, line, s); break;
    case YJ_IOC_FMT_ABUSECH: line_csv(c, line, s); break;
    default: line_plain(c, line, s); break;
    }
}

/* ---- detection ---- */

static bool all_digits(struct yj_str s)
{
    if (!s.n)
        return false;
    for (size_t i = 0; i < s.n; i++)
        if (s.p[i] < '0' || s.p[i] > '9')
            return false;
    return true;
}

/* Looks at the first lines: votes per format. */
static enum yj_ioc_format detect(const char *p, size_t n)
{
    struct yj_str cur = {p, n}, ln;
    unsigned votes[YJ_IOC_FMT__COUNT] = {0}, seen = 0;
    while (seen < 64 && yj_str_next_line(&cur, &ln)) {
        ln = yj_str_trim(ln);
        if (!ln.n)
            continue;
        if (ln.p[0] == '#') {
            if (memmem(ln.p, ln.n, "abuse.ch", 8) || memmem(ln.p, ln.n, "dst_ip", 6) ||
                memmem(ln.p, ln.n, "url_status", 10) || memmem(ln.p, ln.n, "ioc_value", 9))
                votes[YJ_IOC_FMT_ABUSECH] += 100;
            continue;
        }
        if (ln.p[0] == ';')
            continue;
        seen++;
        const char *tab = memchr(ln.p, '\t', ln.n);
        if (ln.p[0] == '"') {
            votes[YJ_IOC_FMT_ABUSECH]++;
        } else if (ln.p[0] == '{' && (memmem(ln.p, ln.n, "\"cidr\"", 6) ||
                                      memmem(ln.p, ln.n, "\"metadata\"", 10))) {
            votes[YJ_IOC_FMT_DROP]++;
        } else if (memmem(ln.p, ln.n, "; SBL", 5)) {
            votes[YJ_IOC_FMT_DROP]++;
        } else if (tab) {
            struct yj_str rest = {tab + 1, ln.n - (size_t)(tab + 1 - ln.p)};
            if (all_digits(yj_str_trim(rest)))
                votes[YJ_IOC_FMT_IPSUM]++;
            else
                votes[YJ_IOC_FMT_MALTRAIL]++;
        } else {
            votes[YJ_IOC_FMT_PLAIN]++;
        }
    }
    enum yj_ioc_format best = YJ_IOC_FMT_PLAIN;
    for (unsigned f = YJ_IOC_FMT_PLAIN; f < YJ_IOC_FMT__COUNT; f++)
        if (votes[f] > votes[best])
            best = (enum yj_ioc_format)f;
    return best;
}

static uint16_t add_list(struct ioc_store *st, const char *name, const char *file)
{
    if (st->nlists >= UINT16_MAX)
        yj_oom();
    st->lists = grow(st->lists, &st->caplists, st->nlists + 1, sizeof *st->lists);
    st->lists[st->nlists] = (struct ioc_list){ioc_str_add(st, name, strlen(name)),
                                              ioc_str_add(st, file, strlen(file))};
    return (uint16_t)st->nlists++;
}

static void start(struct pctx *c, struct yj_ioc_builder *b, const char *name, const char *file,
                  enum yj_ioc_format f, struct yj_ioc_file_stats *st, struct yj_diag *d)
{
    memset(c, 0, sizeof *c);
    memset(st, 0, sizeof *st);
    c->st = &b->st;
    c->list = add_list(&b->st, name, file);
    c->file = file;
    c->fmt = f;
    c->stats = st;
    c->d = d;
    c->col_val = c->col_fam = c->col_port = -1;
    st->format = f;
}

static enum yj_err finish(struct pctx *c)
{
    struct yj_ioc_file_stats *st = c->stats;
    if (st->bad > REPORT_MAX)
        yj_diag_add(c->d, c->file, 0, yj_t("ioc.more_bad"), st->bad - REPORT_MAX);
    if (st->bad && st->bad >= st->entries) {
        yj_diag_add(c->d, c->file, 0, yj_t("ioc.mostly_bad"), st->bad, st->bad + st->entries,
                    yj_ioc_format_name(c->fmt));
        return YJ_ERR_PARSE;
    }
    return YJ_ERR_OK;
}

enum yj_err yj_ioc_builder_add_mem(struct yj_ioc_builder *b, const char *name, const char *file,
                                   enum yj_ioc_format format, const char *p, size_t n,
                                   struct yj_ioc_file_stats *st, struct yj_diag *d)
{
    struct yj_ioc_file_stats local;
    if (!st)
        st = &local;
    if (format == YJ_IOC_FMT_AUTO)
        format = detect(p, n);
    struct pctx c;
    start(&c, b, name, file, format, st, d);
    struct yj_str cur = {p, n}, ln;
    uint32_t line = 0;
    while (yj_str_next_line(&cur, &ln))
        one_line(&c, ++line, ln);
    return finish(&c);
}

enum yj_err yj_ioc_builder_add_file(struct yj_ioc_builder *b, const char *name, const char *path,
                                    enum yj_ioc_format format, struct yj_ioc_file_stats *st,
                                    struct yj_diag *d)
{
    struct yj_ioc_file_stats local;
    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        enum yj_err e = errno == ENOENT ? YJ_ERR_NOTFOUND : YJ_ERR_IO;
        yj_diag_add(d, path, 0, yj_t("ioc.cannot_read"), strerror(errno));
        return e;
    }
    char *buf = yj_xmalloc(CHUNK + 1);
    size_t have = 0;
    bool eof = false, started = false, skipping = false;
    uint32_t line = 0;
    enum yj_err err = YJ_ERR_OK;
    struct pctx c;
    while (!eof || have) {
        if (!eof && have < CHUNK) {
            ssize_t r = read(fd, buf + have, CHUNK - have);
            if (r < 0) {
                if (errno == EINTR)
                    continue;
                yj_diag_add(d, path, 0, yj_t("ioc.cannot_read"), strerror(errno));
                err = YJ_ERR_IO;
                break;
            }
            if (r == 0)
                eof = true;
            have += (size_t)r;
            if (!eof && have < CHUNK)
                continue;
        }
        if (!started) {
            started = true;
            start(&c, b, name, path,
                  format == YJ_IOC_FMT_AUTO ? detect(buf, have) : format, st, d);
        }
        size_t pos = 0;
        for (;;) {
            const char *nl = memchr(buf + pos, '\n', have - pos);
            if (!nl)
                break;
            size_t len = (size_t)(nl - (buf + pos));
            if (skipping)
                skipping = false; /* the tail of a too-long line, already counted */
            else
                one_line(&c, ++line, (struct yj_str){buf + pos, len});
            pos += len + 1;
        }
        if (eof && pos < have) {
            if (!skipping)
                one_line(&c, ++line, (struct yj_str){buf + pos, have - pos});
            pos = have;
        }
        if (pos == 0 && have == CHUNK) {
            /* a line longer than the buffer: report it, drop until its end */
            if (!skipping) {
                c.stats->lines++;
                bad(&c, ++line, "ioc.too_long", (struct yj_str){buf, 40});
            }
            skipping = true;
            pos = have;
        }
        memmove(buf, buf + pos, have - pos);
        have -= pos;
    }
    close(fd);
    free(buf);
    if (!started)
        start(&c, b, name, path, format == YJ_IOC_FMT_AUTO ? YJ_IOC_FMT_PLAIN : format, st, d);
    if (err)
        return err;
    return finish(&c);
}
