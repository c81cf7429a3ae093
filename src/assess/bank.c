/* Loading and validating a question bank (data/assess/bank.yaml).
 *
 *   bank, version, source, as_of        identification and provenance
 *   parts:  [{part, first, last, title{ja,en}}]     exactly parts 1-3 covering items 1-25
 *   bands:  [{min, max, summary{ja,en}, next{ja,en}}] covering -25..100 without gaps
 *   items:  [{id, part, topic, question, why, advice}] Q01..Q25, each in its part
 *
 * Validation goes on after the first problem so that one run names all of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess.h"
#include "base/file.h"
#include "base/yaml.h"

int yj_item_index(struct yj_str s)
{
    if (s.n >= 1 && (s.p[0] == 'Q' || s.p[0] == 'q')) {
        s.p++;
        s.n--;
    }
    long v;
    if (s.n == 0 || s.n > 2 || s.p[0] == '+' || s.p[0] == '-' || !yj_str_to_long(s, &v))
        return -1;
    return v >= 1 && v <= YJ_ITEMS ? (int)v - 1 : -1;
}

struct ctx {
    struct yj_bank *b;
    struct yj_yaml_doc *doc;
    struct yj_diag *d;
    bool ok;
    bool parts_ok; /* the parts are valid, so items can be checked against them */
};

static const char *copy(struct ctx *c, const char *s)
{
    return s ? yj_arena_strdup(&c->b->arena, s) : NULL;
}

/* A {ja: ..., en: ...} map under key; both languages required. */
static bool text(struct ctx *c, const struct yj_yaml *map, const char *key, struct yj_text *out)
{
    if (!yj_yaml_text(c->doc, map, key, &c->b->arena, out, c->d))
        return c->ok = false;
    return true;
}

static bool int_in(struct ctx *c, const struct yj_yaml *map, const char *key, long lo, long hi,
                   long *out)
{
    if (!yj_yaml_req_int(c->doc, map, key, out, c->d))
        return c->ok = false;
    if (*out < lo || *out > hi) {
        yj_diag_add(c->d, c->doc->name, yj_yaml_line(map, key), yj_t("bank.out_of_range"), key,
                    *out, lo, hi);
        return c->ok = false;
    }
    return true;
}

static void load_parts(struct ctx *c, const struct yj_yaml *parts)
{
    static const char *const keys[] = {"part", "first", "last", "title", NULL};
    bool seen[YJ_PARTS] = {false};
    /* Judge the parts on their own, so that items can still be checked against them when
     * something else in the bank is wrong. */
    bool before = c->ok;
    c->ok = true;
    for (size_t i = 0; i < parts->len; i++) {
        const struct yj_yaml *p = parts->kids[i];
        if (!yj_yaml_expect(c->doc, p, YJ_YAML_MAP, "parts[]", c->d)) {
            c->ok = false;
            continue;
        }
        if (!yj_yaml_only_keys(c->doc, p, keys, c->d))
            c->ok = false;
        long num, first, last;
        if (!int_in(c, p, "part", 1, YJ_PARTS, &num))
            continue;
        if (seen[num - 1]) {
            yj_diag_add(c->d, c->doc->name, p->line, yj_t("bank.duplicate_part"), num);
            c->ok = false;
            continue;
        }
        seen[num - 1] = true;
        struct yj_part *part = &c->b->parts[num - 1];
        part->part = (int)num;
        if (int_in(c, p, "first", 1, YJ_ITEMS, &first) &&
            int_in(c, p, "last", 1, YJ_ITEMS, &last)) {
            part->first = (int)first;
            part->last = (int)last;
        }
        text(c, p, "title", &part->title);
    }
    for (int i = 0; i < YJ_PARTS; i++) {
        if (!seen[i]) {
            yj_diag_add(c->d, c->doc->name, parts->line, yj_t("bank.missing_part"), i + 1);
            c->ok = false;
        }
    }
    /* The parts must tile 1..25 in order. */
    int next = 1;
    for (int i = 0; c->ok && i < YJ_PARTS; i++) {
        struct yj_part *p = &c->b->parts[i];
        if (p->first != next || p->last < p->first) {
            yj_diag_add(c->d, c->doc->name, parts->kids[0]->line, yj_t("bank.parts_gap"), i + 1,
                        p->first, p->last, next);
            c->ok = false;
            break;
        }
        next = p->last + 1;
    }
    if (c->ok && next != YJ_ITEMS + 1) {
        yj_diag_add(c->d, c->doc->name, parts->line, yj_t("bank.parts_short"), next - 1);
        c->ok = false;
    }
    c->parts_ok = c->ok;
    c->ok = before && c->ok;
}

static int band_cmp(const void *a, const void *b)
{
    return ((const struct yj_band *)b)->max - ((const struct yj_band *)a)->max;
}

static void load_bands(struct ctx *c, const struct yj_yaml *bands)
{
    static const char *const keys[] = {"min", "max", "summary", "next", NULL};
    if (bands->len == 0 || bands->len > YJ_BANDS_MAX) {
        yj_diag_add(c->d, c->doc->name, bands->line, yj_t("bank.band_count"), YJ_BANDS_MAX);
        c->ok = false;
        return;
    }
    bool ok = true;
    for (size_t i = 0; i < bands->len; i++) {
        const struct yj_yaml *m = bands->kids[i];
        if (!yj_yaml_expect(c->doc, m, YJ_YAML_MAP, "bands[]", c->d)) {
            ok = false;
            continue;
        }
        if (!yj_yaml_only_keys(c->doc, m, keys, c->d))
            ok = false;
        struct yj_band *b = &c->b->bands[i];
        long lo, hi;
        if (int_in(c, m, "min", -YJ_ITEMS, 4 * YJ_ITEMS, &lo) &&
            int_in(c, m, "max", -YJ_ITEMS, 4 * YJ_ITEMS, &hi)) {
            b->min = (int)lo;
            b->max = (int)hi;
            if (lo > hi) {
                yj_diag_add(c->d, c->doc->name, m->line, yj_t("bank.band_order"), lo, hi);
                ok = false;
            }
        } else {
            ok = false;
        }
        if (!text(c, m, "summary", &b->summary) || !text(c, m, "next", &b->next))
            ok = false;
    }
    if (!ok) {
        c->ok = false;
        return;
    }
    c->b->nbands = bands->len;
    qsort(c->b->bands, c->b->nbands, sizeof c->b->bands[0], band_cmp);
    /* From 100 down to -25, each score in exactly one band. */
    int expect = 4 * YJ_ITEMS;
    for (size_t i = 0; i < c->b->nbands; i++) {
        const struct yj_band *b = &c->b->bands[i];
        if (b->max != expect) {
            yj_diag_add(c->d, c->doc->name, bands->line, yj_t("bank.band_gap"), expect);
            c->ok = false;
            return;
        }
        expect = b->min - 1;
    }
    if (expect != -YJ_ITEMS - 1) {
        yj_diag_add(c->d, c->doc->name, bands->line, yj_t("bank.band_gap"), expect);
        c->ok = false;
    }
}

static void load_items(struct ctx *c, const struct yj_yaml *items)
{
    static const char *const keys[] = {"id", "part", "topic", "question", "why", "advice", NULL};
    unsigned seen_line[YJ_ITEMS] = {0};
    for (size_t i = 0; i < items->len; i++) {
        const struct yj_yaml *m = items->kids[i];
        if (!yj_yaml_expect(c->doc, m, YJ_YAML_MAP, "items[]", c->d)) {
            c->ok = false;
            continue;
        }
        if (!yj_yaml_only_keys(c->doc, m, keys, c->d))
            c->ok = false;
        const char *id = yj_yaml_req_str(c->doc, m, "id", c->d);
        if (!id) {
            c->ok = false;
            continue;
        }
        unsigned line = yj_yaml_line(m, "id");
        int idx = -1;
        if (strlen(id) == 3 && id[0] == 'Q')
            idx = yj_item_index(yj_str_c(id));
        if (idx < 0) {
            yj_diag_add(c->d, c->doc->name, line, yj_t("bank.bad_id"), id);
            c->ok = false;
            continue;
        }
        if (seen_line[idx]) {
            yj_diag_add(c->d, c->doc->name, line, yj_t("bank.duplicate_id"), id, seen_line[idx]);
            c->ok = false;
            continue;
        }
        seen_line[idx] = line;
        struct yj_item *it = &c->b->items[idx];
        memcpy(it->id, id, 4);
        it->num = idx + 1;
        long part;
        if (int_in(c, m, "part", 1, YJ_PARTS, &part)) {
            it->part = (int)part;
            const struct yj_part *p = &c->b->parts[part - 1];
            if (p->first && (it->num < p->first || it->num > p->last)) {
                yj_diag_add(c->d, c->doc->name, yj_yaml_line(m, "part"),
                            yj_t("bank.wrong_part"), id, (int)part, p->first, p->last);
                c->ok = false;
            }
        }
        it->topic = copy(c, yj_yaml_req_str(c->doc, m, "topic", c->d));
        if (!it->topic)
            c->ok = false;
        text(c, m, "question", &it->question);
        text(c, m, "why", &it->why);
        text(c, m, "advice", &it->advice);
    }
    for (int i = 0; i < YJ_ITEMS; i++) {
        if (!seen_line[i]) {
            yj_diag_add(c->d, c->doc->name, items->line, yj_t("bank.missing_item"), i + 1);
            c->ok = false;
        }
    }
}

enum yj_err yj_bank_load_mem(struct yj_bank *b, const char *name, const char *p, size_t n,
                             struct yj_diag *d)
{
    static const char *const keys[] = {"bank", "version", "source", "as_of",
                                       "parts", "bands", "items", NULL};
    memset(b, 0, sizeof *b);
    yj_arena_init(&b->arena);
    struct yj_yaml_doc doc;
    enum yj_err err = yj_yaml_load_mem(&doc, name, p, n, d);
    if (err) {
        yj_yaml_fini(&doc);
        return err;
    }
    struct ctx c = {.b = b, .doc = &doc, .d = d, .ok = true};
    const struct yj_yaml *root = doc.root;
    b->file = copy(&c, doc.name);
    if (!yj_yaml_expect(&doc, root, YJ_YAML_MAP, yj_t("bank.what"), d)) {
        c.ok = false;
        goto out;
    }
    if (!yj_yaml_only_keys(&doc, root, keys, d))
        c.ok = false;
    b->name = copy(&c, yj_yaml_req_str(&doc, root, "bank", d));
    b->source = copy(&c, yj_yaml_req_str(&doc, root, "source", d));
    b->as_of = copy(&c, yj_yaml_req_str(&doc, root, "as_of", d));
    if (!b->name || !b->source || !b->as_of)
        c.ok = false;
    if (!int_in(&c, root, "version", 1, 1000000, &b->version))
        c.ok = false;

    const struct yj_yaml *parts = yj_yaml_get(root, "parts");
    const struct yj_yaml *bands = yj_yaml_get(root, "bands");
    const struct yj_yaml *items = yj_yaml_get(root, "items");
    if (yj_yaml_expect(&doc, parts, YJ_YAML_SEQ, "parts", d))
        load_parts(&c, parts);
    else
        c.ok = false;
    if (yj_yaml_expect(&doc, bands, YJ_YAML_SEQ, "bands", d))
        load_bands(&c, bands);
    else
        c.ok = false;
    if (yj_yaml_expect(&doc, items, YJ_YAML_SEQ, "items", d)) {
        /* Item-to-part checks need valid parts; without them only report item problems. */
        if (!c.parts_ok)
            memset(b->parts, 0, sizeof b->parts);
        load_items(&c, items);
    } else {
        c.ok = false;
    }
    for (int i = 0; c.ok && i < YJ_PARTS; i++) {
        struct yj_part *part = &b->parts[i];
        part->max = 4 * (part->last - part->first + 1);
    }
out:
    yj_yaml_fini(&doc);
    if (!c.ok) {
        yj_bank_fini(b);
        return YJ_ERR_INVALID;
    }
    return YJ_ERR_OK;
}

enum yj_err yj_bank_load(struct yj_bank *b, const char *path, struct yj_diag *d)
{
    char *p;
    size_t n;
    enum yj_err err = yj_file_read(path, YJ_YAML_MAX_BYTES, &p, &n, d);
    if (err) {
        memset(b, 0, sizeof *b);
        return err;
    }
    err = yj_bank_load_mem(b, path, p, n, d);
    free(p);
    return err;
}

void yj_bank_fini(struct yj_bank *b)
{
    yj_arena_fini(&b->arena);
    memset(b, 0, sizeof *b);
}
