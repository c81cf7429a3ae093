/* Builds a yj_yaml tree from libyaml's event stream, iteratively (an explicit stack, so
 * nesting depth is bounded by YJ_YAML_MAX_DEPTH and never by the C stack). */
#include "yaml.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "file.h"
#include "i18n.h"
#include "str.h"

struct frame {
    struct yj_yaml *node;
    struct yj_yaml **kids;
    size_t n, cap;
};

static void frame_push_kid(struct frame *f, struct yj_yaml *kid)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 8;
        f->kids = yj_xrealloc(f->kids, f->cap * sizeof *f->kids);
    }
    f->kids[f->n++] = kid;
}

static struct yj_yaml *new_node(struct yj_yaml_doc *doc, enum yj_yaml_kind kind,
                                const yaml_mark_t *m)
{
    struct yj_yaml *n = yj_arena_alloc(&doc->arena, sizeof *n);
    n->kind = kind;
    n->line = (unsigned)m->line + 1;
    n->col = (unsigned)m->column + 1;
    return n;
}

/* Closes the frame: moves its kids into the arena, checks map keys. */
static bool frame_close(struct yj_yaml_doc *doc, struct frame *f, struct yj_diag *d)
{
    struct yj_yaml *node = f->node;
    node->kids = yj_arena_alloc(&doc->arena, (f->n ? f->n : 1) * sizeof *node->kids);
    if (f->n)
        memcpy(node->kids, f->kids, f->n * sizeof *f->kids);
    free(f->kids);
    f->kids = NULL;
    if (node->kind == YJ_YAML_SEQ) {
        node->len = f->n;
        return true;
    }
    node->len = f->n / 2;
    if (node->len > YJ_YAML_MAX_PAIRS) {
        yj_diag_add(d, doc->name, node->line, yj_t("yaml.too_many_keys"), YJ_YAML_MAX_PAIRS);
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < node->len; i++) {
        const struct yj_yaml *k = node->kids[2 * i];
        if (k->kind != YJ_YAML_SCALAR) {
            yj_diag_add(d, doc->name, k->line, "%s", yj_t("yaml.key_not_scalar"));
            ok = false;
            continue;
        }
        for (size_t j = 0; j < i; j++) {
            const struct yj_yaml *o = node->kids[2 * j];
            if (o->kind == YJ_YAML_SCALAR && o->n == k->n && memcmp(o->s, k->s, k->n) == 0) {
                yj_diag_add(d, doc->name, k->line, yj_t("yaml.duplicate_key"), k->s, o->line);
                ok = false;
                break;
            }
        }
    }
    return ok;
}

enum yj_err yj_yaml_load_mem(struct yj_yaml_doc *doc, const char *name, const char *p, size_t n,
                             struct yj_diag *d)
{
    memset(doc, 0, sizeof *doc);
    yj_arena_init(&doc->arena);
    doc->name = yj_arena_strdup(&doc->arena, name ? name : "-");
    if (n > YJ_YAML_MAX_BYTES)
        return yj_diag_fail(d, YJ_ERR_LIMIT, doc->name, 0, yj_t("yaml.too_big"),
                            YJ_YAML_MAX_BYTES);

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        yj_oom();
    yaml_parser_set_input_string(&parser, (const unsigned char *)p, n);

    struct frame stack[YJ_YAML_MAX_DEPTH];
    int depth = 0;
    unsigned nodes = 0, docs = 0;
    enum yj_err err = YJ_ERR_OK;
    bool done = false;

    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            err = yj_diag_fail(d, YJ_ERR_PARSE, doc->name, (unsigned)parser.problem_mark.line + 1,
                               yj_t("yaml.syntax"),
                               parser.problem ? parser.problem : "?",
                               parser.context ? parser.context : "");
            break;
        }
        struct yj_yaml *node = NULL;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1)
                err = yj_diag_fail(d, YJ_ERR_PARSE, doc->name, (unsigned)ev.start_mark.line + 1,
                                   "%s", yj_t("yaml.multi_doc"));
            break;
        case YAML_ALIAS_EVENT:
            err = yj_diag_fail(d, YJ_ERR_PARSE, doc->name, (unsigned)ev.start_mark.line + 1, "%s",
                               yj_t("yaml.alias"));
            break;
        case YAML_SCALAR_EVENT:
            node = new_node(doc, YJ_YAML_SCALAR, &ev.start_mark);
            node->s = yj_arena_strndup(&doc->arena, (const char *)ev.data.scalar.value,
                                       ev.data.scalar.length);
            node->n = ev.data.scalar.length;
            node->quoted = ev.data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                           ev.data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
            if (ev.data.scalar.anchor)
                err = yj_diag_fail(d, YJ_ERR_PARSE, doc->name, node->line, "%s",
                                   yj_t("yaml.alias"));
            else if (ev.data.scalar.tag)
                err = yj_diag_fail(d, YJ_ERR_PARSE, doc->name, node->line, "%s",
                                   yj_t("yaml.tag"));
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (depth >= YJ_YAML_MAX_DEPTH) {
                err = yj_diag_fail(d, YJ_ERR_LIMIT, doc->name, (unsigned)ev.start_mark.line + 1,
                                   yj_t("yaml.too_deep"), YJ_YAML_MAX_DEPTH);
                break;
            }
            node = new_node(doc,
                            ev.type == YAML_SEQUENCE_START_EVENT ? YJ_YAML_SEQ : YJ_YAML_MAP,
                            &ev.start_mark);
            {
                bool seq = ev.type == YAML_SEQUENCE_START_EVENT;
                const unsigned char *anchor =
                    seq ? ev.data.sequence_start.anchor : ev.data.mapping_start.anchor;
                const unsigned char *tag =
                    seq ? ev.data.sequence_start.tag : ev.data.mapping_start.tag;
                if (anchor)
                    err = yj_diag_fail(d, YJ_ERR_PARSE, doc->name, node->line, "%s",
                                       yj_t("yaml.alias"));
                else if (tag)
                    err = yj_diag_fail(d, YJ_ERR_PARSE, doc->name, node->line, "%s",
                                       yj_t("yaml.tag"));
            }
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: {
            struct frame *f = &stack[--depth];
            if (!frame_close(doc, f, d))
                err = YJ_ERR_PARSE;
            node = f->node;
            /* Attach the finished container to its parent (or make it the root). */
            if (depth > 0)
                frame_push_kid(&stack[depth - 1], node);
            else
                doc->root = node;
            node = NULL;
            break;
        }
        default:
            break;
        }
        if (node && err == YJ_ERR_OK) {
            if (++nodes > YJ_YAML_MAX_NODES) {
                err = yj_diag_fail(d, YJ_ERR_LIMIT, doc->name, node->line, yj_t("yaml.too_many"),
                                   YJ_YAML_MAX_NODES);
            } else if (node->kind == YJ_YAML_SCALAR) {
                if (depth > 0)
                    frame_push_kid(&stack[depth - 1], node);
                else
                    doc->root = node;
            } else {
                stack[depth++] = (struct frame){.node = node};
            }
        }
        yaml_event_delete(&ev);
        if (err != YJ_ERR_OK)
            break;
    }
    while (depth > 0)
        free(stack[--depth].kids);
    yaml_parser_delete(&parser);
    return err;
}

enum yj_err yj_yaml_load_file(struct yj_yaml_doc *doc, const char *path, struct yj_diag *d)
{
    char *p = NULL;
    size_t n = 0;
    enum yj_err err = yj_file_read(path, YJ_YAML_MAX_BYTES, &p, &n, d);
    if (err != YJ_ERR_OK) {
        memset(doc, 0, sizeof *doc);
        yj_arena_init(&doc->arena);
        return err;
    }
    err = yj_yaml_load_mem(doc, path, p, n, d);
    free(p);
    return err;
}

void yj_yaml_fini(struct yj_yaml_doc *doc)
{
    yj_arena_fini(&doc->arena);
    doc->root = NULL;
}

const struct yj_yaml *yj_yaml_get(const struct yj_yaml *map, const char *key)
{
    if (!map || map->kind != YJ_YAML_MAP)
        return NULL;
    size_t kn = strlen(key);
    for (size_t i = 0; i < map->len; i++) {
        const struct yj_yaml *k = map->kids[2 * i];
        if (k->kind == YJ_YAML_SCALAR && k->n == kn && memcmp(k->s, key, kn) == 0)
            return map->kids[2 * i + 1];
    }
    return NULL;
}

static const char *kind_name(enum yj_yaml_kind k)
{
    switch (k) {
    case YJ_YAML_SCALAR: return yj_t("yaml.kind.scalar");
    case YJ_YAML_SEQ: return yj_t("yaml.kind.seq");
    case YJ_YAML_MAP: return yj_t("yaml.kind.map");
    }
    return "?";
}

bool yj_yaml_expect(const struct yj_yaml_doc *doc, const struct yj_yaml *node,
                    enum yj_yaml_kind kind, const char *what, struct yj_diag *d)
{
    if (!node) {
        yj_diag_add(d, doc->name, doc->root ? doc->root->line : 1, yj_t("yaml.missing"), what);
        return false;
    }
    if (node->kind != kind) {
        yj_diag_add(d, doc->name, node->line, yj_t("yaml.wrong_kind"), what, kind_name(kind),
                    kind_name(node->kind));
        return false;
    }
    return true;
}

bool yj_yaml_only_keys(const struct yj_yaml_doc *doc, const struct yj_yaml *map,
                       const char *const *allowed, struct yj_diag *d)
{
    bool ok = true;
    for (size_t i = 0; map && map->kind == YJ_YAML_MAP && i < map->len; i++) {
        const struct yj_yaml *k = map->kids[2 * i];
        bool known = false;
        for (const char *const *a = allowed; *a && !known; a++)
            known = k->kind == YJ_YAML_SCALAR && strcmp(k->s, *a) == 0;
        if (!known) {
            yj_diag_add(d, doc->name, k->line, yj_t("yaml.unknown_key"),
                        k->kind == YJ_YAML_SCALAR ? k->s : "?");
            ok = false;
        }
    }
    return ok;
}

bool yj_yaml_text(const struct yj_yaml_doc *doc, const struct yj_yaml *map, const char *key,
                  struct yj_arena *arena, struct yj_text *out, struct yj_diag *d)
{
    static const char *const langs[] = {"ja", "en", NULL};
    const struct yj_yaml *t = yj_yaml_get(map, key);
    if (!t) {
        yj_diag_add(d, doc->name, map ? map->line : 1, yj_t("yaml.missing_key"), key);
        return false;
    }
    if (!yj_yaml_expect(doc, t, YJ_YAML_MAP, key, d))
        return false;
    bool ok = yj_yaml_only_keys(doc, t, langs, d);
    for (int l = 0; l < YJ_LANG__COUNT; l++) {
        const char *code = yj_lang_code((enum yj_lang)l);
        if (!yj_yaml_get(t, code)) {
            yj_diag_add(d, doc->name, t->line, yj_t("yaml.missing_lang"), key, code);
            ok = false;
            continue;
        }
        const char *s = yj_yaml_req_str(doc, t, code, d);
        if (!s)
            ok = false;
        out->v[l] = s ? yj_arena_strdup(arena, s) : NULL;
    }
    return ok;
}

unsigned yj_yaml_line(const struct yj_yaml *map, const char *key)
{
    const struct yj_yaml *v = yj_yaml_get(map, key);
    return v ? v->line : map ? map->line : 1;
}

const char *yj_yaml_req_str(const struct yj_yaml_doc *doc, const struct yj_yaml *map,
                            const char *key, struct yj_diag *d)
{
    const struct yj_yaml *v = yj_yaml_get(map, key);
    if (!v) {
        yj_diag_add(d, doc->name, map ? map->line : 1, yj_t("yaml.missing_key"), key);
        return NULL;
    }
    if (v->kind != YJ_YAML_SCALAR) {
        yj_diag_add(d, doc->name, v->line, yj_t("yaml.wrong_kind"), key,
                    kind_name(YJ_YAML_SCALAR), kind_name(v->kind));
        return NULL;
    }
    struct yj_str t = yj_str_trim((struct yj_str){v->s, v->n});
    if (t.n == 0) {
        yj_diag_add(d, doc->name, v->line, yj_t("yaml.empty"), key);
        return NULL;
    }
    if (memchr(v->s, '\0', v->n) || !yj_str_is_text((struct yj_str){v->s, v->n})) {
        yj_diag_add(d, doc->name, v->line, yj_t("yaml.not_text"), key);
        return NULL;
    }
    return v->s;
}

bool yj_yaml_opt_range(const struct yj_yaml_doc *doc, const struct yj_yaml *map,
                       const char *key, long lo, long hi, long *out, struct yj_diag *d)
{
    long v;
    if (!yj_yaml_get(map, key))
        return true;
    if (!yj_yaml_req_int(doc, map, key, &v, d))
        return false;
    if (v < lo || v > hi) {
        yj_diag_add(d, doc->name, yj_yaml_line(map, key), yj_t("yaml.range"), key, lo, hi);
        return false;
    }
    *out = v;
    return true;
}

bool yj_yaml_req_int(const struct yj_yaml_doc *doc, const struct yj_yaml *map, const char *key,
                     long *out, struct yj_diag *d)
{
    const char *s = yj_yaml_req_str(doc, map, key, d);
    if (!s)
        return false;
    const struct yj_yaml *v = yj_yaml_get(map, key);
    if (v->quoted || !yj_str_to_long(yj_str_c(s), out)) {
        yj_diag_add(d, doc->name, v->line, yj_t("yaml.not_int"), key, s);
        return false;
    }
    return true;
}
