/* SECURITY ACTION readiness. ★ is the declaration to work on the five principles; yojin shows
 * which of them the company result already has in place (the answer to the linked item is
 * "yes"). ★★ needs a finished self-diagnosis and a basic security policy that is written and
 * published. The declaration itself is made by the company on IPA's system. */
#include <string.h>

#include "assess.h"
#include "base/yaml.h"

enum yj_err yj_action_load(struct yj_action_facts *f, const char *path, struct yj_diag *d)
{
    static const char *const top[] = {"source", "as_of", "principles", NULL};
    static const char *const keys[] = {"principle", "item", "title", NULL};
    memset(f, 0, sizeof *f);
    yj_arena_init(&f->arena);
    struct yj_yaml_doc doc;
    enum yj_err err = yj_yaml_load_file(&doc, path, d);
    if (err) {
        yj_yaml_fini(&doc);
        return err;
    }
    bool ok = yj_yaml_expect(&doc, doc.root, YJ_YAML_MAP, "action", d) &&
              yj_yaml_only_keys(&doc, doc.root, top, d);
    const char *source = yj_yaml_req_str(&doc, doc.root, "source", d);
    const char *as_of = yj_yaml_req_str(&doc, doc.root, "as_of", d);
    const struct yj_yaml *ps = yj_yaml_get(doc.root, "principles");
    ok = ok && source && as_of && yj_yaml_expect(&doc, ps, YJ_YAML_SEQ, "principles", d);
    if (ok) {
        f->source = yj_arena_strdup(&f->arena, source);
        f->as_of = yj_arena_strdup(&f->arena, as_of);
        bool seen[YJ_PRINCIPLES] = {false};
        for (size_t i = 0; i < ps->len; i++) {
            const struct yj_yaml *m = ps->kids[i];
            if (!yj_yaml_expect(&doc, m, YJ_YAML_MAP, "principles[]", d) ||
                !yj_yaml_only_keys(&doc, m, keys, d)) {
                ok = false;
                continue;
            }
            long num;
            struct yj_text title;
            const char *item = yj_yaml_req_str(&doc, m, "item", d);
            bool have_title = yj_yaml_text(&doc, m, "title", &f->arena, &title, d);
            if (!yj_yaml_req_int(&doc, m, "principle", &num, d) || !item || !have_title) {
                ok = false;
                continue;
            }
            int idx = yj_item_index(yj_str_c(item));
            if (num < 1 || num > YJ_PRINCIPLES || seen[num - 1] || idx < 0) {
                yj_diag_add(d, doc.name, m->line, yj_t("action.bad_principle"), num, item);
                ok = false;
                continue;
            }
            seen[num - 1] = true;
            struct yj_principle *p = &f->p[num - 1];
            p->num = (int)num;
            p->item = idx;
            p->title = title;
        }
        for (int i = 0; ok && i < YJ_PRINCIPLES; i++) {
            if (!seen[i]) {
                yj_diag_add(d, doc.name, ps->line, yj_t("action.missing_principle"), i + 1);
                ok = false;
            }
        }
    }
    yj_yaml_fini(&doc);
    if (!ok) {
        yj_action_fini(f);
        return YJ_ERR_INVALID;
    }
    return YJ_ERR_OK;
}

void yj_action_fini(struct yj_action_facts *f)
{
    yj_arena_fini(&f->arena);
    memset(f, 0, sizeof *f);
}

void yj_action_assess(const struct yj_action_facts *f, const struct yj_result *company,
                      bool have_policy, const char *policy_url, struct yj_action_status *out)
{
    memset(out, 0, sizeof *out);
    out->have_diagnosis = company != NULL;
    for (int i = 0; i < YJ_PRINCIPLES; i++) {
        enum yj_answer a = company ? company->answers.a[f->p[i].item] : YJ_ANS_NONE;
        out->principle_answer[i] = a;
        out->principle_ok[i] = a == YJ_ANS_YES;
        if (out->principle_ok[i])
            out->principles_ok++;
    }
    out->one_star = out->principles_ok == YJ_PRINCIPLES;
    out->have_policy = have_policy;
    out->policy_published = have_policy && policy_url && *policy_url;
    out->two_star = out->have_diagnosis && out->policy_published;
}
