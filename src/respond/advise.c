/* The advice for a case: the playbook's steps, whom to contact (the playbook's desks whose
 * conditions hold, then the authorities of the duties that apply), and the legal duties with
 * their dates. Periods run from the day after discovery (Civil Code art. 140), so "within 30
 * days" of a discovery on 2026-11-20 ends on 2026-12-20. Also the desk search. */
#include <string.h>

#include "respond.h"

bool yj_cond_holds(const struct yj_cond *c, const struct yj_case *k, bool crime)
{
    if (c->pd_mask && !(c->pd_mask & (1u << k->personal_data)))
        return false;
    if (c->sector_mask && !(c->sector_mask & (1u << k->sector)))
        return false;
    if (c->types_mask && !(c->types_mask & (1u << k->type)))
        return false;
    if (c->malicious >= 0 && (c->malicious == 1) != k->malicious)
        return false;
    if (c->crime >= 0 && (c->crime == 1) != crime)
        return false;
    if (c->people_over >= 0 && !(k->people >= 0 && k->people > c->people_over))
        return false;
    return true;
}

static bool rule_applies(const struct yj_duty_rule *du, const struct yj_case *k, bool crime)
{
    for (size_t i = 0; i < du->napplies; i++)
        if (yj_cond_holds(&du->applies[i], k, crime))
            return true;
    return false;
}

/* Does the rule concern this case at all (its subject is present), even if it does not
 * apply? Then the advice says why it does not. Personal-data rules concern every case with
 * personal data. */
static bool rule_concerns(const struct yj_duty_rule *du, const struct yj_case *k)
{
    if (!du->not_applicable.v[YJ_LANG_JA])
        return false;
    for (size_t i = 0; i < du->napplies; i++) {
        const struct yj_cond *c = &du->applies[i];
        if (c->pd_mask && k->personal_data != YJ_PD_NONE)
            return true;
        if (c->sector_mask && (c->sector_mask & (1u << k->sector)))
            return true;
    }
    return false;
}

static void add_contact(struct yj_advice *a, const struct yj_contact *c, const struct yj_text *why,
                        const struct yj_text *tell)
{
    for (size_t i = 0; i < a->ncontacts; i++)
        if (a->contacts[i].contact == c)
            return;
    if (a->ncontacts < YJ_ADVICE_MAX)
        a->contacts[a->ncontacts++] = (struct yj_advice_contact){c, why, tell};
}

void yj_respond_advise(const struct yj_respond_data *r, const struct yj_case *k,
                       struct yj_advice *out)
{
    memset(out, 0, sizeof *out);
    const struct yj_playbook *pb = &r->playbooks[k->type];
    out->pb = pb;
    for (size_t i = 0; i < pb->ncontacts; i++) {
        const struct yj_pb_contact *pc = &pb->contacts[i];
        if (!pc->conditional || yj_cond_holds(&pc->when, k, pb->crime))
            add_contact(out, pc->contact, &pc->why, &pc->tell);
    }
    for (size_t i = 0; i < r->nduties; i++) {
        const struct yj_duty_rule *du = &r->duties[i];
        if (!rule_applies(du, k, pb->crime)) {
            if (rule_concerns(du, k) && out->nnot_applicable < YJ_ADVICE_MAX)
                out->not_applicable[out->nnot_applicable++] = du;
            continue;
        }
        if (out->nduties >= YJ_ADVICE_MAX)
            break;
        struct yj_duty *d = &out->duties[out->nduties++];
        d->rule = du;
        if (du->due_from_days >= 0) {
            d->has_from = true;
            d->due_from = yj_date_add_days(k->discovered, du->due_from_days);
        }
        int by = k->malicious && du->due_by_days_if_malicious >= 0 ? du->due_by_days_if_malicious
                                                                  : du->due_by_days;
        if (by >= 0) {
            d->has_by = true;
            d->due_by = yj_date_add_days(k->discovered, by);
        }
        if (du->contact)
            add_contact(out, du->contact, &du->what, NULL);
    }
}

/* ASCII-case-insensitive substring search over UTF-8 (other bytes compare exactly). */
static bool contains(const char *hay, const char *needle)
{
    if (!hay)
        return false;
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++) {
        size_t i = 0;
        while (i < n && p[i]) {
            char a = p[i], b = needle[i];
            if (a >= 'A' && a <= 'Z')
                a = (char)(a + 32);
            if (b >= 'A' && b <= 'Z')
                b = (char)(b + 32);
            if (a != b)
                break;
            i++;
        }
        if (i == n)
            return true;
    }
    return false;
}

static bool text_contains(const struct yj_text *t, const char *w)
{
    for (int l = 0; l < YJ_LANG__COUNT; l++)
        if (contains(t->v[l], w))
            return true;
    return false;
}

static bool contact_matches(const struct yj_contact *c, const char *w)
{
    return contains(c->id, w) || text_contains(&c->name, w) || text_contains(&c->handles, w) ||
           text_contains(&c->note, w) || contains(c->phone, w) || contains(c->email, w) ||
           contains(c->url, w);
}

size_t yj_contacts_search(const struct yj_respond_data *r, const char *const *words, size_t n,
                          const struct yj_contact **out, size_t max)
{
    size_t found = 0;
    for (size_t i = 0; i < r->ncontacts && found < max; i++) {
        bool all = true;
        for (size_t w = 0; w < n && all; w++)
            all = words[w][0] == '\0' || contact_matches(&r->contacts[i], words[w]);
        if (all)
            out[found++] = &r->contacts[i];
    }
    return found;
}
