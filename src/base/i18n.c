/* Message catalogs from .po files.
 *
 * Only what yojin's catalogs use is accepted: comments, msgctxt-free msgid/msgstr pairs
 * whose strings may continue on following "..." lines, with C escapes. The header entry
 * (msgid "") is skipped. Entries are sorted by id and found with bsearch. */
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "file.h"
#include "str.h"

struct msg {
    char *id;
    char *text;
    unsigned line; /* of its msgid, for diagnostics */
};

struct catalog {
    struct msg *v;
    size_t n;
};

static struct catalog catalogs[YJ_LANG__COUNT];
static enum yj_lang current = YJ_LANG_JA;

static void catalog_free(struct catalog *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].id);
        free(c->v[i].text);
    }
    free(c->v);
    c->v = NULL;
    c->n = 0;
}

void yj_i18n_fini(void)
{
    for (int i = 0; i < YJ_LANG__COUNT; i++)
        catalog_free(&catalogs[i]);
}

static int msg_cmp(const void *a, const void *b)
{
    return strcmp(((const struct msg *)a)->id, ((const struct msg *)b)->id);
}

/* Appends the decoded content of one "..." literal in line to out; false if malformed. */
static bool po_string(struct yj_str line, struct yj_buf *out)
{
    line = yj_str_trim(line);
    if (line.n < 2 || line.p[0] != '"' || line.p[line.n - 1] != '"')
        return false;
    for (size_t i = 1; i + 1 < line.n; i++) {
        char c = line.p[i];
        if (c == '"')
            return false;
        if (c != '\\') {
            yj_buf_addc(out, c);
            continue;
        }
        if (i + 2 >= line.n)
            return false;
        switch (line.p[++i]) {
        case 'n': yj_buf_addc(out, '\n'); break;
        case 't': yj_buf_addc(out, '\t'); break;
        case '"': yj_buf_addc(out, '"'); break;
        case '\\': yj_buf_addc(out, '\\'); break;
        default: return false;
        }
    }
    return true;
}

enum yj_err yj_i18n_load_po(enum yj_lang lang, const char *name, const char *p, size_t n,
                            struct yj_diag *d)
{
    struct catalog cat = {0};
    size_t cap = 0;
    struct yj_buf id, text;
    yj_buf_init(&id, 64 * 1024);
    yj_buf_init(&text, 64 * 1024);
    enum { NONE, IN_ID, IN_STR } state = NONE;
    unsigned lineno = 0, entry_line = 0;
    enum yj_err err = YJ_ERR_OK;
    struct yj_str cur = {p, n}, line;
    bool more = true;

    while (more) {
        more = yj_str_next_line(&cur, &line);
        if (more)
            lineno++;
        struct yj_str t = more ? yj_str_trim(line) : (struct yj_str){"", 0};
        bool is_cont = t.n && t.p[0] == '"';
        /* An entry ends at a blank line, a comment, a new msgid, or the end of input. */
        if (state == IN_STR && !is_cont) {
            if (id.len > 0) {
                if ((id.len && memchr(id.p, '\0', id.len)) ||
                    (text.len && memchr(text.p, '\0', text.len))) {
                    err = yj_diag_fail(d, YJ_ERR_PARSE, name, entry_line, "%s",
                                       yj_t("po.nul"));
                    break;
                }
                if (cat.n == cap) {
                    cap = cap ? cap * 2 : 256;
                    cat.v = yj_xrealloc(cat.v, cap * sizeof *cat.v);
                }
                cat.v[cat.n].id = yj_xstrdup(yj_buf_cstr(&id));
                cat.v[cat.n].text = yj_xstrdup(yj_buf_cstr(&text));
                cat.v[cat.n].line = entry_line;
                cat.n++;
            }
            state = NONE;
        }
        if (!more || t.n == 0 || t.p[0] == '#')
            continue;
        struct yj_buf *target = NULL;
        struct yj_str rest = t;
        if (t.n >= 6 && memcmp(t.p, "msgid ", 6) == 0) {
            if (state != NONE) {
                err = yj_diag_fail(d, YJ_ERR_PARSE, name, entry_line, "%s",
                                   yj_t("po.no_msgstr"));
                break;
            }
            yj_buf_reset(&id);
            state = IN_ID;
            entry_line = lineno;
            target = &id;
            rest = (struct yj_str){t.p + 6, t.n - 6};
        } else if (t.n >= 7 && memcmp(t.p, "msgstr ", 7) == 0) {
            if (state != IN_ID) {
                err = yj_diag_fail(d, YJ_ERR_PARSE, name, lineno, "%s", yj_t("po.no_msgid"));
                break;
            }
            yj_buf_reset(&text);
            state = IN_STR;
            target = &text;
            rest = (struct yj_str){t.p + 7, t.n - 7};
        } else if (is_cont && state != NONE) {
            target = state == IN_ID ? &id : &text;
        } else {
            err = yj_diag_fail(d, YJ_ERR_PARSE, name, lineno, "%s", yj_t("po.syntax"));
            break;
        }
        if (!po_string(rest, target)) {
            err = yj_diag_fail(d, YJ_ERR_PARSE, name, lineno, "%s", yj_t("po.bad_string"));
            break;
        }
        if (yj_buf_err(target)) {
            err = yj_diag_fail(d, YJ_ERR_LIMIT, name, lineno, "%s", yj_t("po.too_long"));
            break;
        }
    }
    if (err == YJ_ERR_OK && state == IN_ID)
        err = yj_diag_fail(d, YJ_ERR_PARSE, name, entry_line, "%s", yj_t("po.no_msgstr"));
    yj_buf_fini(&id);
    yj_buf_fini(&text);
    if (err == YJ_ERR_OK) {
        if (cat.n)
            qsort(cat.v, cat.n, sizeof *cat.v, msg_cmp);
        for (size_t i = 1; i < cat.n; i++) {
            if (strcmp(cat.v[i - 1].id, cat.v[i].id) == 0) {
                unsigned a = cat.v[i - 1].line, b = cat.v[i].line;
                err = yj_diag_fail(d, YJ_ERR_PARSE, name, a > b ? a : b, yj_t("po.duplicate"),
                                   cat.v[i].id);
                break;
            }
        }
    }
    if (err != YJ_ERR_OK) {
        catalog_free(&cat);
        return err;
    }
    catalog_free(&catalogs[lang]);
    catalogs[lang] = cat;
    return YJ_ERR_OK;
}

enum yj_err yj_i18n_init(const char *dir, struct yj_diag *d)
{
    static const char *const files[YJ_LANG__COUNT] = {"ja.po", "en.po"};
    for (int l = 0; l < YJ_LANG__COUNT; l++) {
        char *path = NULL;
        if (asprintf(&path, "%s/%s", dir, files[l]) < 0)
            yj_oom();
        char *p;
        size_t n;
        enum yj_err err = yj_file_read(path, (size_t)8 << 20, &p, &n, d);
        if (err == YJ_ERR_OK) {
            err = yj_i18n_load_po((enum yj_lang)l, path, p, n, d);
            free(p);
        }
        free(path);
        if (err != YJ_ERR_OK)
            return err;
    }
    return YJ_ERR_OK;
}

void yj_lang_set(enum yj_lang lang)
{
    if ((unsigned)lang < YJ_LANG__COUNT)
        current = lang;
}

enum yj_lang yj_lang_get(void)
{
    return current;
}

bool yj_lang_parse(const char *s, enum yj_lang *out)
{
    if (!s)
        return false;
    if (strncmp(s, "ja", 2) == 0 && (s[2] == '\0' || s[2] == '_' || s[2] == '-' || s[2] == '.')) {
        *out = YJ_LANG_JA;
        return true;
    }
    if (strncmp(s, "en", 2) == 0 && (s[2] == '\0' || s[2] == '_' || s[2] == '-' || s[2] == '.')) {
        *out = YJ_LANG_EN;
        return true;
    }
    return false;
}

const char *yj_lang_code(enum yj_lang lang)
{
    return lang == YJ_LANG_EN ? "en" : "ja";
}

static const char *lookup(enum yj_lang lang, const char *id)
{
    const struct catalog *c = &catalogs[lang];
    if (!c->n)
        return NULL;
    struct msg key = {.id = (char *)id};
    const struct msg *m = bsearch(&key, c->v, c->n, sizeof *c->v, msg_cmp);
    return m && m->text[0] ? m->text : NULL;
}

const char *yj_tl(enum yj_lang lang, const char *id)
{
    if ((unsigned)lang >= YJ_LANG__COUNT)
        lang = YJ_LANG_JA;
    const char *t = lookup(lang, id);
    if (!t)
        t = lookup(lang == YJ_LANG_JA ? YJ_LANG_EN : YJ_LANG_JA, id);
    return t ? t : id;
}

const char *yj_text_get(const struct yj_text *t, enum yj_lang lang)
{
    if ((unsigned)lang >= YJ_LANG__COUNT)
        lang = YJ_LANG_JA;
    return t->v[lang] ? t->v[lang] : t->v[YJ_LANG_JA] ? t->v[YJ_LANG_JA] : "";
}

const char *yj_t(const char *id)
{
    return yj_tl(current, id);
}

bool yj_i18n_has(enum yj_lang lang, const char *id)
{
    return (unsigned)lang < YJ_LANG__COUNT && lookup(lang, id) != NULL;
}

const char *yj_i18n_id_at(enum yj_lang lang, size_t i)
{
    if ((unsigned)lang >= YJ_LANG__COUNT || i >= catalogs[lang].n)
        return NULL;
    return catalogs[lang].v[i].id;
}
