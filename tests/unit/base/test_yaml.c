/* base/yaml: the tree with line numbers, what is rejected (duplicates, aliases, tags, several
 * documents, depth), and the validating accessors' messages. */
#include "ut.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/yaml.h"

struct fx {
    struct yj_yaml_doc doc;
    struct yj_diag d;
};

static int setup(void **state)
{
    struct fx *f = yj_xcalloc(1, sizeof *f);
    yj_diag_init(&f->d);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    yj_yaml_fini(&f->doc);
    yj_diag_fini(&f->d);
    free(f);
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    ut_i18n_real();
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    yj_i18n_fini();
    return 0;
}

static enum yj_err load(struct fx *f, const char *text)
{
    return yj_yaml_load_mem(&f->doc, "t.yaml", text, strlen(text), &f->d);
}

static void tree_and_positions(void **state)
{
    struct fx *f = *state;
    assert_int_equal(load(f, "# comment\n"
                             "name: yojin\n"
                             "list:\n"
                             "  - one\n"
                             "  - 'two'\n"
                             "map:\n"
                             "  k: \"v\"\n"
                             "  n: 3\n"),
                     YJ_ERR_OK);
    assert_int_equal(f->d.n, 0);
    const struct yj_yaml *root = f->doc.root;
    assert_non_null(root);
    assert_int_equal(root->kind, YJ_YAML_MAP);
    assert_int_equal(root->len, 3);
    assert_int_equal(root->line, 2);
    const struct yj_yaml *name = yj_yaml_get(root, "name");
    assert_int_equal(name->kind, YJ_YAML_SCALAR);
    assert_string_equal(name->s, "yojin");
    assert_int_equal(name->n, 5);
    assert_int_equal(name->line, 2);
    assert_int_equal(name->col, 7);
    assert_false(name->quoted);
    const struct yj_yaml *list = yj_yaml_get(root, "list");
    assert_int_equal(list->kind, YJ_YAML_SEQ);
    assert_int_equal(list->len, 2);
    assert_int_equal(list->kids[0]->line, 4);
    assert_int_equal(list->kids[1]->line, 5);
    assert_true(list->kids[1]->quoted);
    assert_string_equal(list->kids[1]->s, "two");
    const struct yj_yaml *map = yj_yaml_get(root, "map");
    assert_int_equal(map->kind, YJ_YAML_MAP);
    assert_int_equal(map->line, 7);
    assert_true(yj_yaml_get(map, "k")->quoted);
    assert_int_equal(yj_yaml_get(map, "n")->line, 8);
    assert_null(yj_yaml_get(root, "missing"));
    assert_null(yj_yaml_get(list, "one")); /* not a map */
    assert_null(yj_yaml_get(NULL, "x"));
    assert_int_equal(yj_yaml_line(root, "list"), 4);
    assert_int_equal(yj_yaml_line(map, "absent"), 7);
    assert_string_equal(f->doc.name, "t.yaml");
}

static void empty_document(void **state)
{
    struct fx *f = *state;
    assert_int_equal(load(f, ""), YJ_ERR_OK);
    assert_null(f->doc.root);
    yj_yaml_fini(&f->doc);
    assert_int_equal(load(f, "# only a comment\n\n"), YJ_ERR_OK);
    assert_null(f->doc.root);
}

static void scalars_keep_embedded_nul(void **state)
{
    struct fx *f = *state;
    assert_int_equal(load(f, "a: \"x\\0y\"\n"), YJ_ERR_OK);
    const struct yj_yaml *a = yj_yaml_get(f->doc.root, "a");
    assert_int_equal(a->n, 3);
    assert_memory_equal(a->s, "x\0y", 4);
}

static void duplicate_key_names_both_lines(void **state)
{
    struct fx *f = *state;
    assert_int_equal(load(f, "a: 1\n"
                             "b: 2\n"
                             "a: 3\n"),
                     YJ_ERR_PARSE);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(f->d.v[0].file, "t.yaml");
    ut_assert_diag(&f->d, 3, "'a'");
    ut_assert_diag(&f->d, 3, "line 1");
}

static void every_duplicate_in_a_map_reported(void **state)
{
    struct fx *f = *state;
    assert_int_equal(load(f, "a: 1\n"
                             "a: 2\n"
                             "b: 1\n"
                             "b: 2\n"
                             "a: 3\n"),
                     YJ_ERR_PARSE);
    ut_assert_diag(&f->d, 2, "'a' appears twice (first on line 1)");
    ut_assert_diag(&f->d, 4, "'b' appears twice (first on line 3)");
    ut_assert_diag(&f->d, 5, "'a' appears twice (first on line 1)");
    assert_int_equal(f->d.n, 3);
}

static void nested_duplicate_reported(void **state)
{
    struct fx *f = *state;
    assert_int_equal(load(f, "top:\n"
                             "  - y: 1\n"
                             "    z: 1\n"
                             "    y: 2\n"),
                     YJ_ERR_PARSE);
    ut_assert_diag(&f->d, 4, "'y' appears twice (first on line 2)");
}

static void alias_rejected(void **state)
{
    struct fx *f = *state;
    assert_int_equal(load(f, "a: 1\n"
                             "b: *x\n"),
                     YJ_ERR_PARSE);
    ut_assert_diag(&f->d, 2, "alias");
    yj_yaml_fini(&f->doc);
    yj_diag_fini(&f->d);
    assert_int_equal(load(f, "a: &x 1\n"
                             "b: *x\n"),
                     YJ_ERR_PARSE);
    ut_assert_diag(&f->d, 1, "alias");
}

/* The header: "Anchors/aliases, tags ... are rejected" - also an anchor on a map or list
 * (the usual shape of a billion-laughs bomb), not only on scalars. */
static void anchor_on_collection_rejected(void **state)
{
    struct fx *f = *state;
    assert_int_not_equal(load(f, "a: &big\n"
                                 "  k: v\n"
                                 "b: [1]\n"),
                         YJ_ERR_OK);
    ut_assert_diag(&f->d, 1, "alias");
    yj_yaml_fini(&f->doc);
    yj_diag_fini(&f->d);
    assert_int_not_equal(load(f, "a: &l [1, 2]\n"), YJ_ERR_OK);
}

static void tags_rejected(void **state)
{
    struct fx *f = *state;
    assert_int_not_equal(load(f, "version: !!str 1\n"), YJ_ERR_OK);
    assert_true(f->d.n > 0);
    assert_int_equal(f->d.v[0].line, 1);
    yj_yaml_fini(&f->doc);
    yj_diag_fini(&f->d);
    assert_int_not_equal(load(f, "a: !custom\n  k: v\n"), YJ_ERR_OK);
}

static void multi_document_rejected(void **state)
{
    struct fx *f = *state;
    assert_int_equal(load(f, "a: 1\n"
                             "---\n"
                             "b: 2\n"),
                     YJ_ERR_PARSE);
    ut_assert_diag(&f->d, 2, "one document");
    yj_yaml_fini(&f->doc);
    yj_diag_fini(&f->d);
    /* One document with explicit markers is fine. */
    assert_int_equal(load(f, "---\na: 1\n...\n"), YJ_ERR_OK);
    assert_string_equal(yj_yaml_get(f->doc.root, "a")->s, "1");
}

static void syntax_error_has_line(void **state)
{
    struct fx *f = *state;
    assert_int_equal(load(f, "a: 1\n"
                             "b: 2\n"
                             "  c: 3\n"),
                     YJ_ERR_PARSE);
    ut_assert_diag(&f->d, 3, "YAML syntax error");
    yj_yaml_fini(&f->doc);
    yj_diag_fini(&f->d);
    assert_int_equal(load(f, "a: [1, 2\n"
                             "b: 3\n"),
                     YJ_ERR_PARSE);
    assert_true(f->d.n == 1 && f->d.v[0].line >= 2);
    yj_yaml_fini(&f->doc);
    yj_diag_fini(&f->d);
    assert_int_equal(load(f, "ok: 1\nbad: \"unterminated\n"), YJ_ERR_PARSE);
    assert_true(f->d.n == 1 && f->d.v[0].line >= 2);
}

/* Flow sequences nested n deep: [[[...]]]. */
static char *nested(size_t n)
{
    char *open = ut_repeat("[", n), *close = ut_repeat("]", n);
    char *s = NULL;
    if (asprintf(&s, "%s%s\n", open, close) < 0)
        yj_oom();
    free(open);
    free(close);
    return s;
}

static void depth_limit_at_boundary(void **state)
{
    struct fx *f = *state;
    char *ok = nested(YJ_YAML_MAX_DEPTH), *deep = nested(YJ_YAML_MAX_DEPTH + 1);
    assert_int_equal(load(f, ok), YJ_ERR_OK);
    const struct yj_yaml *n = f->doc.root;
    for (int i = 1; i < YJ_YAML_MAX_DEPTH; i++) {
        assert_int_equal(n->kind, YJ_YAML_SEQ);
        assert_int_equal(n->len, 1);
        n = n->kids[0];
    }
    assert_int_equal(n->len, 0);
    yj_yaml_fini(&f->doc);
    assert_int_equal(load(f, deep), YJ_ERR_LIMIT);
    ut_assert_diag(&f->d, 1, "nested too deeply");
    free(ok);
    free(deep);
}

static void size_limit_at_boundary(void **state)
{
    struct fx *f = *state;
    size_t max = YJ_YAML_MAX_BYTES;
    char *p = yj_xmalloc(max + 1);
    memset(p, ' ', max + 1);
    p[0] = '#';
    p[max - 1] = '\n';
    assert_int_equal(yj_yaml_load_mem(&f->doc, "big", p, max, &f->d), YJ_ERR_OK);
    yj_yaml_fini(&f->doc);
    assert_int_equal(yj_yaml_load_mem(&f->doc, "big", p, max + 1, &f->d), YJ_ERR_LIMIT);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(f->d.v[0].file, "big");
    free(p);
}

static char *many_keys(unsigned n)
{
    struct yj_buf_like {
        char *p;
        size_t len;
    } b = {yj_xmalloc((size_t)n * 16 + 1), 0};
    for (unsigned i = 0; i < n; i++)
        b.len += (size_t)sprintf(b.p + b.len, "k%u: %u\n", i, i);
    return b.p;
}

static void pairs_limit_at_boundary(void **state)
{
    struct fx *f = *state;
    char *ok = many_keys(YJ_YAML_MAX_PAIRS), *over = many_keys(YJ_YAML_MAX_PAIRS + 1);
    assert_int_equal(load(f, ok), YJ_ERR_OK);
    assert_int_equal(f->doc.root->len, YJ_YAML_MAX_PAIRS);
    yj_yaml_fini(&f->doc);
    assert_int_not_equal(load(f, over), YJ_ERR_OK);
    ut_assert_diag(&f->d, 1, "too many keys");
    free(ok);
    free(over);
}

/* A flow list of n scalars: [0,0,...]. */
static char *flat_list(size_t n)
{
    char *body = ut_repeat("0,", n);
    body[2 * n - 1] = ']';
    char *s = NULL;
    if (asprintf(&s, "[%s\n", body) < 0)
        yj_oom();
    free(body);
    return s;
}

static void node_limit_at_boundary(void **state)
{
    struct fx *f = *state;
    /* The list itself is a node: MAX - 1 scalars fit, MAX do not. */
    char *ok = flat_list(YJ_YAML_MAX_NODES - 1), *over = flat_list(YJ_YAML_MAX_NODES);
    assert_int_equal(load(f, ok), YJ_ERR_OK);
    assert_int_equal(f->doc.root->len, YJ_YAML_MAX_NODES - 1);
    yj_yaml_fini(&f->doc);
    assert_int_equal(load(f, over), YJ_ERR_LIMIT);
    ut_assert_diag(&f->d, 1, "too many elements");
    free(ok);
    free(over);
}

static void complex_key_rejected(void **state)
{
    struct fx *f = *state;
    assert_int_equal(load(f, "? [a, b]\n: 1\n"), YJ_ERR_PARSE);
    ut_assert_diag(&f->d, 1, "plain text");
}

static void load_file_and_missing_file(void **state)
{
    struct fx *f = *state;
    char *path = ut_src_path("data/assess/bank.yaml");
    assert_int_equal(yj_yaml_load_file(&f->doc, path, &f->d), YJ_ERR_OK);
    assert_string_equal(f->doc.name, path);
    assert_string_equal(yj_yaml_get(f->doc.root, "bank")->s, "yojin-5min");
    yj_yaml_fini(&f->doc);
    assert_int_equal(yj_yaml_load_file(&f->doc, "/nonexistent/x.yaml", &f->d), YJ_ERR_IO);
    assert_string_equal(f->d.v[0].file, "/nonexistent/x.yaml");
    free(path);
}

static const char accessors_doc[] = "m:\n"             /* 1 */
                                    "  s: hello\n"     /* 2 */
                                    "  e: ''\n"        /* 3 */
                                    "  blank: '  '\n"  /* 4 */
                                    "  ctl: \"a\\x01\"\n" /* 5 */
                                    "  nul: \"a\\0\"\n"   /* 6 */
                                    "  list: [1]\n"    /* 7 */
                                    "  i: -42\n"       /* 8 */
                                    "  qi: '42'\n"     /* 9 */
                                    "  junk: 4x\n"     /* 10 */
                                    "  huge: 99999999999999999999\n" /* 11 */
                                    "  extra: 1\n"     /* 12 */
                                    "  other: 2\n";    /* 13 */

static void only_keys_reports_each_unknown(void **state)
{
    struct fx *f = *state;
    assert_int_equal(load(f, accessors_doc), YJ_ERR_OK);
    const struct yj_yaml *m = yj_yaml_get(f->doc.root, "m");
    static const char *const allowed[] = {"s", "e", "blank", "ctl", "nul", "list", "i",
                                          "qi", "junk", "huge", NULL};
    assert_false(yj_yaml_only_keys(&f->doc, m, allowed, &f->d));
    assert_int_equal(f->d.n, 2);
    ut_assert_diag(&f->d, 12, "unknown key 'extra'");
    ut_assert_diag(&f->d, 13, "unknown key 'other'");
    static const char *const all[] = {"s", "e", "blank", "ctl", "nul", "list", "i", "qi",
                                      "junk", "huge", "extra", "other", NULL};
    assert_true(yj_yaml_only_keys(&f->doc, m, all, &f->d));
    assert_int_equal(f->d.n, 2);
}

static void req_str_messages(void **state)
{
    struct fx *f = *state;
    assert_int_equal(load(f, accessors_doc), YJ_ERR_OK);
    const struct yj_yaml *m = yj_yaml_get(f->doc.root, "m");
    assert_string_equal(yj_yaml_req_str(&f->doc, m, "s", &f->d), "hello");
    assert_int_equal(f->d.n, 0);
    assert_null(yj_yaml_req_str(&f->doc, m, "absent", &f->d));
    ut_assert_diag(&f->d, 2, "key 'absent' is missing"); /* at the map */
    assert_null(yj_yaml_req_str(&f->doc, m, "e", &f->d));
    ut_assert_diag(&f->d, 3, "'e' is empty");
    assert_null(yj_yaml_req_str(&f->doc, m, "blank", &f->d));
    ut_assert_diag(&f->d, 4, "'blank' is empty");
    assert_null(yj_yaml_req_str(&f->doc, m, "ctl", &f->d));
    ut_assert_diag(&f->d, 5, "'ctl' contains control characters");
    assert_null(yj_yaml_req_str(&f->doc, m, "nul", &f->d));
    ut_assert_diag(&f->d, 6, "'nul' contains control characters");
    assert_null(yj_yaml_req_str(&f->doc, m, "list", &f->d));
    ut_assert_diag(&f->d, 7, "'list' must be a value (it is a list)");
    assert_int_equal(f->d.n, 6);
}

static void req_int_messages(void **state)
{
    struct fx *f = *state;
    assert_int_equal(load(f, accessors_doc), YJ_ERR_OK);
    const struct yj_yaml *m = yj_yaml_get(f->doc.root, "m");
    long v = 0;
    assert_true(yj_yaml_req_int(&f->doc, m, "i", &v, &f->d));
    assert_true(v == -42);
    assert_false(yj_yaml_req_int(&f->doc, m, "qi", &v, &f->d));
    ut_assert_diag(&f->d, 9, "'qi' must be a whole number (it is '42')");
    assert_false(yj_yaml_req_int(&f->doc, m, "junk", &v, &f->d));
    ut_assert_diag(&f->d, 10, "'junk' must be a whole number");
    assert_false(yj_yaml_req_int(&f->doc, m, "huge", &v, &f->d));
    ut_assert_diag(&f->d, 11, "'huge' must be a whole number");
    assert_false(yj_yaml_req_int(&f->doc, m, "absent", &v, &f->d));
    ut_assert_diag(&f->d, 2, "key 'absent' is missing");
    assert_false(yj_yaml_req_int(&f->doc, m, "list", &v, &f->d));
    ut_assert_diag(&f->d, 7, "must be a value");
    assert_true(v == -42);
}

static void expect_messages(void **state)
{
    struct fx *f = *state;
    assert_int_equal(load(f, accessors_doc), YJ_ERR_OK);
    const struct yj_yaml *m = yj_yaml_get(f->doc.root, "m");
    assert_true(yj_yaml_expect(&f->doc, m, YJ_YAML_MAP, "m", &f->d));
    assert_false(yj_yaml_expect(&f->doc, m, YJ_YAML_SEQ, "m", &f->d));
    ut_assert_diag(&f->d, 2, "'m' must be a list (it is a map)");
    assert_false(yj_yaml_expect(&f->doc, NULL, YJ_YAML_SEQ, "items", &f->d));
    ut_assert_diag(&f->d, 1, "'items' is missing");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(tree_and_positions),
        T(empty_document),
        T(scalars_keep_embedded_nul),
        T(duplicate_key_names_both_lines),
        T(every_duplicate_in_a_map_reported),
        T(nested_duplicate_reported),
        T(alias_rejected),
        T(anchor_on_collection_rejected),
        T(tags_rejected),
        T(multi_document_rejected),
        T(syntax_error_has_line),
        T(depth_limit_at_boundary),
        T(size_limit_at_boundary),
        T(pairs_limit_at_boundary),
        T(node_limit_at_boundary),
        T(complex_key_rejected),
        T(load_file_and_missing_file),
        T(only_keys_reports_each_unknown),
        T(req_str_messages),
        T(req_int_messages),
        T(expect_messages),
    };
#undef T
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
