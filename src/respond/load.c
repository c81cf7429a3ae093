/* Loading data/respond/: contacts.yaml (the desks), playbooks.yaml (one per kind of incident)
 * and duties.yaml (legal duties and report items). Every reference between them (a playbook's
 * contact, a duty's authority) is checked, and every problem reported with file:line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/yaml.h"
#include "respond.h"

/* The codes users type, in the order of YJ_INCIDENT_TYPES. */
static const char *const itype_codes[] = {
    "ransomware",     "malware",         "unauthorized-access", "targeted-email",
    "phishing-bec",   "data-leak",       "lost-device",         "web-defacement",
    "ddos",           "harmful-content", "spam",                "piracy",
    "threat-to-life", "connection-trouble", "consumer-trouble",
};
_Static_assert(sizeof itype_codes / sizeof itype_codes[0] == YJ_IT__COUNT,
               "one code per incident type");

const char *yj_itype_code(enum yj_itype t)
{
    return (unsigned)t < YJ_IT__COUNT ? itype_codes[t] : "";
}

int yj_itype_parse(const char *s)
{
    for (int i = 0; s && i < YJ_IT__COUNT; i++)
        if (strcmp(s, yj_itype_code((enum yj_itype)i)) == 0)
            return i;
    return -1;
}

static const char *const pd_codes[YJ_PD__COUNT] = {"none", "ordinary", "sensitive", "financial"};
static const char *const sector_codes[YJ_SECTOR__COUNT] = {"other", "medical", "telecom"};

int yj_pd_parse(const char *s)
{
    for (int i = 0; s && i < YJ_PD__COUNT; i++)
        if (strcmp(s, pd_codes[i]) == 0)
            return i;
    return -1;
}

const char *yj_pd_code(enum yj_pd p)
{
    return (unsigned)p < YJ_PD__COUNT ? pd_codes[p] : "";
}

int yj_sector_parse(const char *s)
{
    for (int i = 0; s && i < YJ_SECTOR__COUNT; i++)
        if (strcmp(s, sector_codes[i]) == 0)
            return i;
    return -1;
}

const char *yj_sector_code(enum yj_sector s)
{
    return (unsigned)s < YJ_SECTOR__COUNT ? sector_codes[s] : "";
}

struct ctx {
    struct yj_respond_data *r;
    struct yj_yaml_doc *doc;
    struct yj_diag *d;
    bool ok;
};

static const char *str(struct ctx *c, const struct yj_yaml *m, const char *key, bool required)
{
    if (!required && !yj_yaml_get(m, key))
        return NULL;
    const char *s = yj_yaml_req_str(c->doc, m, key, c->d);
    if (!s) {
        c->ok = false;
        return NULL;
    }
    return yj_arena_strdup(&c->r->arena, s);
}

static void text(struct ctx *c, const struct yj_yaml *m, const char *key, bool required,
                 struct yj_text *out)
{
    memset(out, 0, sizeof *out);
    if (!required && !yj_yaml_get(m, key))
        return;
    if (!yj_yaml_text(c->doc, m, key, &c->r->arena, out, c->d))
        c->ok = false;
}

/* A list of {ja, en} texts under key. */
static struct yj_text *texts(struct ctx *c, const struct yj_yaml *m, const char *key,
                             size_t *n)
{
    const struct yj_yaml *seq = yj_yaml_get(m, key);
    *n = 0;
    if (!seq)
        return NULL;
    if (!yj_yaml_expect(c->doc, seq, YJ_YAML_SEQ, key, c->d)) {
        c->ok = false;
        return NULL;
    }
    struct yj_text *v = yj_arena_alloc(&c->r->arena, (seq->len + 1) * sizeof *v);
    for (size_t i = 0; i < seq->len; i++) {
        /* Each element is itself a {ja, en} map: wrap it to reuse the map reader. */
        const struct yj_yaml *el = seq->kids[i];
        struct yj_yaml key_node = {.kind = YJ_YAML_SCALAR, .line = el->line, .s = "text", .n = 4};
        struct yj_yaml *kids[2] = {&key_node, (struct yj_yaml *)el};
        struct yj_yaml wrap = {.kind = YJ_YAML_MAP, .line = el->line, .kids = kids, .len = 1};
        if (!yj_yaml_text(c->doc, &wrap, "text", &c->r->arena, &v[i], c->d))
            c->ok = false;
    }
    *n = seq->len;
    return v;
}

/* Parses a list of codes into a bit mask; parse returns -1 for unknown codes. */
static unsigned mask_of(struct ctx *c, const struct yj_yaml *seq, const char *key,
                        int (*parse)(const char *))
{
    unsigned m = 0;
    if (!yj_yaml_expect(c->doc, seq, YJ_YAML_SEQ, key, c->d)) {
        c->ok = false;
        return 0;
    }
    for (size_t i = 0; i < seq->len; i++) {
        const struct yj_yaml *v = seq->kids[i];
        int x = v->kind == YJ_YAML_SCALAR ? parse(v->s) : -1;
        if (x < 0) {
            yj_diag_add(c->d, c->doc->name, v->line, yj_t("respond.bad_code"), key,
                        v->kind == YJ_YAML_SCALAR ? v->s : "?");
            c->ok = false;
            continue;
        }
        m |= 1u << x;
    }
    return m;
}

static int bool_of(struct ctx *c, const struct yj_yaml *m, const char *key)
{
    const struct yj_yaml *v = yj_yaml_get(m, key);
    if (!v)
        return -1;
    if (v->kind == YJ_YAML_SCALAR && !v->quoted && strcmp(v->s, "true") == 0)
        return 1;
    if (v->kind == YJ_YAML_SCALAR && !v->quoted && strcmp(v->s, "false") == 0)
        return 0;
    yj_diag_add(c->d, c->doc->name, v->line, yj_t("respond.not_bool"), key);
    c->ok = false;
    return -1;
}

static void cond(struct ctx *c, const struct yj_yaml *m, struct yj_cond *out)
{
    static const char *const keys[] = {"personal_data", "sector", "types", "malicious",
                                       "crime", "people_over", NULL};
    memset(out, 0, sizeof *out);
    out->malicious = out->crime = -1;
    out->people_over = -1;
    if (!yj_yaml_expect(c->doc, m, YJ_YAML_MAP, "when", c->d) ||
        !yj_yaml_only_keys(c->doc, m, keys, c->d)) {
        c->ok = false;
        return;
    }
    const struct yj_yaml *v;
    if ((v = yj_yaml_get(m, "personal_data")))
        out->pd_mask = mask_of(c, v, "personal_data", yj_pd_parse);
    if ((v = yj_yaml_get(m, "sector")))
        out->sector_mask = mask_of(c, v, "sector", yj_sector_parse);
    if ((v = yj_yaml_get(m, "types")))
        out->types_mask = mask_of(c, v, "types", yj_itype_parse);
    out->malicious = bool_of(c, m, "malicious");
    out->crime = bool_of(c, m, "crime");
    if (yj_yaml_get(m, "people_over") &&
        !yj_yaml_req_int(c->doc, m, "people_over", &out->people_over, c->d))
        c->ok = false;
}

static const struct yj_contact *contact_ref(struct ctx *c, const struct yj_yaml *m,
                                            const char *key)
{
    const char *id = yj_yaml_req_str(c->doc, m, key, c->d);
    if (!id) {
        c->ok = false;
        return NULL;
    }
    const struct yj_contact *k = yj_contact_find(c->r, id);
    if (!k) {
        yj_diag_add(c->d, c->doc->name, yj_yaml_line(m, key), yj_t("respond.no_contact"), id);
        c->ok = false;
    }
    return k;
}

static bool open_doc(struct ctx *c, const char *dir, const char *file, const char *list_key,
                     const char *const *top, const struct yj_yaml **list, const char **source,
                     const char **as_of)
{
    char *path = NULL;
    if (asprintf(&path, "%s/%s", dir, file) < 0)
        yj_oom();
    enum yj_err err = yj_yaml_load_file(c->doc, path, c->d);
    free(path);
    if (err)
        return false;
    const struct yj_yaml *root = c->doc->root;
    if (!yj_yaml_expect(c->doc, root, YJ_YAML_MAP, file, c->d) ||
        !yj_yaml_only_keys(c->doc, root, top, c->d))
        return false;
    *source = str(c, root, "source", true);
    *as_of = str(c, root, "as_of", true);
    *list = yj_yaml_get(root, list_key);
    if (!yj_yaml_expect(c->doc, *list, YJ_YAML_SEQ, list_key, c->d))
        return false;
    return *source && *as_of;
}

static void load_contacts(struct ctx *c, const char *dir)
{
    static const char *const top[] = {"source", "as_of", "contacts", NULL};
    static const char *const keys[] = {"id", "name", "handles", "not_handles", "for", "phone",
                                       "hours", "email", "fax", "url", "address", "note",
                                       "replaced_by", "source", "as_of", NULL};
    const struct yj_yaml *list;
    if (!open_doc(c, dir, "contacts.yaml", "contacts", top, &list, &c->r->contacts_source,
                  &c->r->contacts_as_of)) {
        c->ok = false;
        return;
    }
    struct yj_respond_data *r = c->r;
    r->contacts = yj_arena_alloc(&r->arena, (list->len + 1) * sizeof *r->contacts);
    for (size_t i = 0; i < list->len; i++) {
        const struct yj_yaml *m = list->kids[i];
        if (!yj_yaml_expect(c->doc, m, YJ_YAML_MAP, "contacts[]", c->d) ||
            !yj_yaml_only_keys(c->doc, m, keys, c->d)) {
            c->ok = false;
            continue;
        }
        struct yj_contact *k = &r->contacts[r->ncontacts];
        k->id = str(c, m, "id", true);
        if (k->id && yj_contact_find(r, k->id)) {
            yj_diag_add(c->d, c->doc->name, yj_yaml_line(m, "id"), yj_t("respond.dup_id"), k->id);
            c->ok = false;
            continue;
        }
        text(c, m, "name", true, &k->name);
        text(c, m, "handles", true, &k->handles);
        text(c, m, "not_handles", false, &k->not_handles);
        text(c, m, "hours", false, &k->hours);
        text(c, m, "address", false, &k->address);
        text(c, m, "note", false, &k->note);
        k->phone = str(c, m, "phone", false);
        k->email = str(c, m, "email", false);
        k->fax = str(c, m, "fax", false);
        k->url = str(c, m, "url", false);
        k->replaced_by = str(c, m, "replaced_by", false);
        k->source = str(c, m, "source", true);
        k->as_of = str(c, m, "as_of", true);
        const struct yj_yaml *f = yj_yaml_get(m, "for");
        if (!yj_yaml_expect(c->doc, f, YJ_YAML_SEQ, "for", c->d)) {
            c->ok = false;
        } else {
            for (size_t j = 0; j < f->len; j++) {
                const struct yj_yaml *v = f->kids[j];
                if (v->kind == YJ_YAML_SCALAR && strcmp(v->s, "companies") == 0) {
                    k->for_companies = true;
                } else if (v->kind == YJ_YAML_SCALAR && strcmp(v->s, "individuals") == 0) {
                    k->for_individuals = true;
                } else {
                    yj_diag_add(c->d, c->doc->name, v->line, yj_t("respond.bad_code"), "for",
                                v->kind == YJ_YAML_SCALAR ? v->s : "?");
                    c->ok = false;
                }
            }
        }
        if (k->id)
            r->ncontacts++;
    }
    /* replaced_by must name another desk. */
    for (size_t i = 0; i < r->ncontacts; i++) {
        const struct yj_contact *k = &r->contacts[i];
        if (k->replaced_by && !yj_contact_find(r, k->replaced_by)) {
            yj_diag_add(c->d, c->doc->name, list->line, yj_t("respond.no_contact"),
                        k->replaced_by);
            c->ok = false;
        }
    }
}

static void load_playbooks(struct ctx *c, const char *dir)
{
    static const char *const top[] = {"source", "as_of", "playbooks", NULL};
    static const char *const keys[] = {"type", "title", "summary", "crime", "steps",
                                       "contacts", "record", NULL};
    static const char *const ckeys[] = {"id", "why", "tell", "when", NULL};
    const struct yj_yaml *list;
    if (!open_doc(c, dir, "playbooks.yaml", "playbooks", top, &list, &c->r->playbooks_source,
                  &c->r->playbooks_as_of)) {
        c->ok = false;
        return;
    }
    bool seen[YJ_IT__COUNT] = {false};
    for (size_t i = 0; i < list->len; i++) {
        const struct yj_yaml *m = list->kids[i];
        if (!yj_yaml_expect(c->doc, m, YJ_YAML_MAP, "playbooks[]", c->d) ||
            !yj_yaml_only_keys(c->doc, m, keys, c->d)) {
            c->ok = false;
            continue;
        }
        const char *type = yj_yaml_req_str(c->doc, m, "type", c->d);
        int t = yj_itype_parse(type);
        if (t < 0 || seen[t]) {
            yj_diag_add(c->d, c->doc->name, yj_yaml_line(m, "type"),
                        yj_t(t < 0 ? "respond.bad_type" : "respond.dup_id"), type ? type : "?");
            c->ok = false;
            continue;
        }
        seen[t] = true;
        struct yj_playbook *pb = &c->r->playbooks[t];
        pb->type = (enum yj_itype)t;
        text(c, m, "title", true, &pb->title);
        text(c, m, "summary", true, &pb->summary);
        pb->crime = bool_of(c, m, "crime") == 1;
        pb->steps = texts(c, m, "steps", &pb->nsteps);
        pb->record = texts(c, m, "record", &pb->nrecord);
        if (pb->nsteps == 0) {
            yj_diag_add(c->d, c->doc->name, m->line, yj_t("yaml.missing_key"), "steps");
            c->ok = false;
        }
        const struct yj_yaml *cs = yj_yaml_get(m, "contacts");
        if (!yj_yaml_expect(c->doc, cs, YJ_YAML_SEQ, "contacts", c->d)) {
            c->ok = false;
            continue;
        }
        pb->contacts = yj_arena_alloc(&c->r->arena, (cs->len + 1) * sizeof *pb->contacts);
        for (size_t j = 0; j < cs->len; j++) {
            const struct yj_yaml *cm = cs->kids[j];
            if (!yj_yaml_expect(c->doc, cm, YJ_YAML_MAP, "contacts[]", c->d) ||
                !yj_yaml_only_keys(c->doc, cm, ckeys, c->d)) {
                c->ok = false;
                continue;
            }
            struct yj_pb_contact *pc = &pb->contacts[pb->ncontacts];
            pc->contact = contact_ref(c, cm, "id");
            text(c, cm, "why", true, &pc->why);
            text(c, cm, "tell", true, &pc->tell);
            const struct yj_yaml *w = yj_yaml_get(cm, "when");
            if (w) {
                pc->conditional = true;
                cond(c, w, &pc->when);
            }
            if (pc->contact)
                pb->ncontacts++;
        }
    }
    for (int t = 0; t < YJ_IT__COUNT; t++) {
        if (!seen[t]) {
            yj_diag_add(c->d, c->doc->name, list->line, yj_t("respond.missing_type"),
                        yj_itype_code((enum yj_itype)t));
            c->ok = false;
        }
    }
}

static int days_of(struct ctx *c, const struct yj_yaml *m, const char *key)
{
    long v;
    if (!yj_yaml_get(m, key))
        return -1;
    if (!yj_yaml_req_int(c->doc, m, key, &v, c->d) || v < 0 || v > 3650) {
        c->ok = false;
        return -1;
    }
    return (int)v;
}

static void load_duties(struct ctx *c, const char *dir)
{
    static const char *const top[] = {"source", "as_of", "duties", "report_items", NULL};
    static const char *const keys[] = {"id", "authority", "contact", "applies", "due_from_days",
                                       "due_by_days", "due_by_days_if_malicious", "promptly",
                                       "what", "basis", "not_applicable", "needs", NULL};
    const struct yj_yaml *list;
    if (!open_doc(c, dir, "duties.yaml", "duties", top, &list, &c->r->duties_source,
                  &c->r->duties_as_of)) {
        c->ok = false;
        return;
    }
    struct yj_respond_data *r = c->r;
    /* Report item lists first, so that duties can refer to them. */
    const struct yj_yaml *items = yj_yaml_get(c->doc->root, "report_items");
    if (items && yj_yaml_expect(c->doc, items, YJ_YAML_MAP, "report_items", c->d)) {
        r->lists = yj_arena_alloc(&r->arena, (items->len + 1) * sizeof *r->lists);
        for (size_t i = 0; i < items->len; i++) {
            struct yj_item_list *l = &r->lists[r->nlists++];
            l->name = yj_arena_strdup(&r->arena, items->kids[2 * i]->s);
            l->v = texts(c, items, l->name, &l->n);
        }
    } else if (items) {
        c->ok = false;
    }
    r->duties = yj_arena_alloc(&r->arena, (list->len + 1) * sizeof *r->duties);
    for (size_t i = 0; i < list->len; i++) {
        const struct yj_yaml *m = list->kids[i];
        if (!yj_yaml_expect(c->doc, m, YJ_YAML_MAP, "duties[]", c->d) ||
            !yj_yaml_only_keys(c->doc, m, keys, c->d)) {
            c->ok = false;
            continue;
        }
        struct yj_duty_rule *du = &r->duties[r->nduties];
        du->id = str(c, m, "id", true);
        text(c, m, "authority", true, &du->authority);
        text(c, m, "what", true, &du->what);
        text(c, m, "basis", true, &du->basis);
        text(c, m, "not_applicable", false, &du->not_applicable);
        du->contact = yj_yaml_get(m, "contact") ? contact_ref(c, m, "contact") : NULL;
        du->due_from_days = days_of(c, m, "due_from_days");
        du->due_by_days = days_of(c, m, "due_by_days");
        du->due_by_days_if_malicious = days_of(c, m, "due_by_days_if_malicious");
        du->promptly = bool_of(c, m, "promptly") == 1;
        du->needs = str(c, m, "needs", false);
        if (du->needs && !yj_item_list_find(r, du->needs)) {
            yj_diag_add(c->d, c->doc->name, yj_yaml_line(m, "needs"), yj_t("respond.no_list"),
                        du->needs);
            c->ok = false;
        }
        const struct yj_yaml *ap = yj_yaml_get(m, "applies");
        if (!yj_yaml_expect(c->doc, ap, YJ_YAML_SEQ, "applies", c->d) || ap->len == 0) {
            c->ok = false;
            continue;
        }
        du->applies = yj_arena_alloc(&r->arena, ap->len * sizeof *du->applies);
        for (size_t j = 0; j < ap->len; j++)
            cond(c, ap->kids[j], &du->applies[j]);
        du->napplies = ap->len;
        if (du->id)
            r->nduties++;
    }
}

enum yj_err yj_respond_load(struct yj_respond_data *r, const char *dir, struct yj_diag *d)
{
    memset(r, 0, sizeof *r);
    yj_arena_init(&r->arena);
    struct yj_yaml_doc doc;
    struct ctx c = {.r = r, .doc = &doc, .d = d, .ok = true};
    load_contacts(&c, dir);
    yj_yaml_fini(&doc);
    if (c.ok) {
        load_playbooks(&c, dir);
        yj_yaml_fini(&doc);
    }
    if (c.ok) {
        load_duties(&c, dir);
        yj_yaml_fini(&doc);
    }
    if (!c.ok) {
        yj_respond_fini(r);
        return YJ_ERR_INVALID;
    }
    return YJ_ERR_OK;
}

void yj_respond_fini(struct yj_respond_data *r)
{
    yj_arena_fini(&r->arena);
    memset(r, 0, sizeof *r);
}

const struct yj_contact *yj_contact_find(const struct yj_respond_data *r, const char *id)
{
    for (size_t i = 0; id && i < r->ncontacts; i++)
        if (r->contacts[i].id && strcmp(r->contacts[i].id, id) == 0)
            return &r->contacts[i];
    return NULL;
}

const struct yj_item_list *yj_item_list_find(const struct yj_respond_data *r, const char *name)
{
    for (size_t i = 0; name && i < r->nlists; i++)
        if (strcmp(r->lists[i].name, name) == 0)
            return &r->lists[i];
    return NULL;
}
