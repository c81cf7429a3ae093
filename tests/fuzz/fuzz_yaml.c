/* Fuzz target: the YAML tree builder (yj_yaml_load_mem) and its accessors.
 *
 * An accepted document is walked whole: every node has a position, scalars are
 * NUL-terminated at their length, map keys are scalars and unique, so yj_yaml_get finds
 * each key's own value; the validating accessors run on every key of every map. */
#include <stdlib.h>
#include <string.h>

#include "base/yaml.h"
#include "fuzz.h"

/* Accessor calls are linear in the map's size; bound them per map so that a 4096-key map
 * costs milliseconds, not seconds. */
#define LOOKUPS_PER_MAP 256

static void walk(const struct yj_yaml_doc *doc, const struct yj_yaml *n, int depth,
                 struct yj_diag *d)
{
    static const char *const allowed[] = {"id", "ja", "en", "part", NULL};
    if (depth > YJ_YAML_MAX_DEPTH || n->line == 0 || n->col == 0)
        abort();
    switch (n->kind) {
    case YJ_YAML_SCALAR:
        if (!n->s || n->s[n->n] != '\0' || n->kids || n->len)
            abort();
        return;
    case YJ_YAML_SEQ:
        for (size_t i = 0; i < n->len; i++)
            walk(doc, n->kids[i], depth + 1, d);
        return;
    case YJ_YAML_MAP:
        break;
    default:
        abort();
    }
    if (n->len > YJ_YAML_MAX_PAIRS)
        abort();
    (void)yj_yaml_only_keys(doc, n, allowed, d);
    (void)yj_yaml_expect(doc, n, YJ_YAML_MAP, "map", d);
    (void)yj_yaml_expect(doc, n, YJ_YAML_SEQ, "map", d);
    if (yj_yaml_get(n, "no such key \x01") != NULL)
        abort();
    for (size_t i = 0; i < n->len; i++) {
        const struct yj_yaml *k = n->kids[2 * i], *v = n->kids[2 * i + 1];
        if (k->kind != YJ_YAML_SCALAR)
            abort();
        walk(doc, k, depth + 1, d);
        walk(doc, v, depth + 1, d);
        if (i >= LOOKUPS_PER_MAP)
            continue;
        /* Lookups take C strings: a key with a NUL inside ("a\0b") is looked up by its
         * prefix, which may be another key or none, so it only gets the calls. */
        bool plain = strlen(k->s) == k->n;
        const struct yj_yaml *got = yj_yaml_get(n, k->s);
        if (plain && got != v)
            abort();
        const char *s = yj_yaml_req_str(doc, n, k->s, d);
        if (s && (!got || got->kind != YJ_YAML_SCALAR || s != got->s))
            abort();
        long num;
        (void)yj_yaml_req_int(doc, n, k->s, &num, d);
        unsigned line = yj_yaml_line(n, k->s);
        if (plain && line != v->line)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    yj_fuzz_load_catalogs();
    struct yj_yaml_doc doc;
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_yaml_load_mem(&doc, "fuzz.yaml", (const char *)data, size, &d);
    if (err == YJ_ERR_OK) {
        if (d.n != 0)
            abort();
        if (doc.root) {
            walk(&doc, doc.root, 0, &d);
            (void)yj_yaml_req_str(&doc, doc.root, "bank", &d);
        }
        /* The accessors take a missing map too. */
        (void)yj_yaml_req_str(&doc, NULL, "bank", &d);
        (void)yj_yaml_expect(&doc, NULL, YJ_YAML_MAP, "root", &d);
    } else if (d.n == 0) {
        abort();
    }
    yj_yaml_fini(&doc);
    yj_diag_fini(&d);
    return 0;
}
