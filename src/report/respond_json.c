/* JSON forms of the respond engine's results: desks, advice, incidents. Shared by the command
 * line and the console's API. */
#include <stdio.h>
#include <string.h>

#include "report.h"

static void opt_str(struct yj_json *j, const char *key, const char *v)
{
    if (v && *v)
        yj_json_kstr(j, key, v);
}

static void opt_text(struct yj_json *j, const char *key, const struct yj_text *t,
                     enum yj_lang lang)
{
    if (t && t->v[YJ_LANG_JA])
        yj_json_kstr(j, key, yj_text_get(t, lang));
}

void yj_report_contact_json(const struct yj_contact *c, enum yj_lang lang, struct yj_json *j)
{
    yj_json_obj(j);
    yj_json_kstr(j, "id", c->id);
    yj_json_kstr(j, "name", yj_text_get(&c->name, lang));
    yj_json_kstr(j, "handles", yj_text_get(&c->handles, lang));
    opt_text(j, "not_handles", &c->not_handles, lang);
    yj_json_key(j, "for");
    yj_json_arr(j);
    if (c->for_companies)
        yj_json_str(j, "companies");
    if (c->for_individuals)
        yj_json_str(j, "individuals");
    yj_json_end_arr(j);
    opt_str(j, "phone", c->phone);
    opt_text(j, "hours", &c->hours, lang);
    opt_str(j, "email", c->email);
    opt_str(j, "fax", c->fax);
    opt_str(j, "url", c->url);
    opt_text(j, "address", &c->address, lang);
    opt_text(j, "note", &c->note, lang);
    opt_str(j, "replaced_by", c->replaced_by);
    yj_json_kstr(j, "source", c->source);
    yj_json_kstr(j, "as_of", c->as_of);
    yj_json_end_obj(j);
}

void yj_report_not_applicable(const struct yj_duty_rule *du, const struct yj_case *k,
                              enum yj_lang lang, struct yj_buf *out)
{
    /* With the number of people unknown, a rule that turns on it cannot be ruled out. */
    bool turns_on_people = false;
    for (size_t i = 0; i < du->napplies; i++)
        turns_on_people |= du->applies[i].people_over >= 0;
    if (k->people < 0 && turns_on_people) {
        long limit = 0;
        for (size_t i = 0; i < du->napplies; i++)
            if (du->applies[i].people_over > limit)
                limit = du->applies[i].people_over;
        yj_buf_printf(out, yj_tl(lang, "respond.people_unknown"), limit,
                      yj_text_get(&du->authority, lang));
        return;
    }
    const char *t = yj_text_get(&du->not_applicable, lang);
    if (strstr(t, "%d"))
        yj_buf_printf(out, t, (int)(k->people >= 0 ? k->people : 0));
    else
        yj_buf_adds(out, t);
}

const char *yj_report_duty_name(const struct yj_respond_data *r, const char *duty_id,
                                enum yj_lang lang)
{
    for (size_t i = 0; i < r->nduties; i++)
        if (strcmp(r->duties[i].id, duty_id) == 0)
            return yj_text_get(&r->duties[i].authority, lang);
    return duty_id;
}

static void date_or_null(struct yj_json *j, const char *key, bool has, struct yj_date d)
{
    char buf[YJ_DATE_LEN];
    yj_date_fmt(d, buf);
    yj_json_kstr(j, key, has ? buf : NULL);
}

void yj_report_advice_json(const struct yj_respond_data *r, const struct yj_case *k,
                           const struct yj_advice *a, enum yj_lang lang, struct yj_json *j)
{
    char day[YJ_DATE_LEN];
    yj_date_fmt(k->discovered, day);
    yj_json_obj(j);
    yj_json_kstr(j, "type", yj_itype_code(k->type));
    yj_json_kstr(j, "title", yj_text_get(&a->pb->title, lang));
    yj_json_kstr(j, "summary", yj_text_get(&a->pb->summary, lang));
    yj_json_kstr(j, "discovered", day);
    yj_json_key(j, "steps");
    yj_json_arr(j);
    for (size_t i = 0; i < a->pb->nsteps; i++)
        yj_json_str(j, yj_text_get(&a->pb->steps[i], lang));
    yj_json_end_arr(j);
    yj_json_key(j, "contacts");
    yj_json_arr(j);
    for (size_t i = 0; i < a->ncontacts; i++) {
        const struct yj_advice_contact *ac = &a->contacts[i];
        const struct yj_contact *c = ac->contact;
        yj_json_obj(j);
        yj_json_kstr(j, "id", c->id);
        yj_json_kstr(j, "name", yj_text_get(&c->name, lang));
        yj_json_kstr(j, "phone", c->phone);
        yj_json_kstr(j, "email", c->email);
        yj_json_kstr(j, "url", c->url);
        opt_text(j, "hours", &c->hours, lang);
        yj_json_kstr(j, "why", yj_text_get(ac->why, lang));
        if (ac->tell)
            yj_json_kstr(j, "tell", yj_text_get(ac->tell, lang));
        yj_json_end_obj(j);
    }
    yj_json_end_arr(j);
    yj_json_key(j, "duties");
    yj_json_arr(j);
    for (size_t i = 0; i < a->nduties; i++) {
        const struct yj_duty *d = &a->duties[i];
        yj_json_obj(j);
        yj_json_kstr(j, "id", d->rule->id);
        yj_json_kstr(j, "authority", yj_text_get(&d->rule->authority, lang));
        date_or_null(j, "due_from", d->has_from, d->due_from);
        date_or_null(j, "due_by", d->has_by, d->due_by);
        yj_json_kbool(j, "promptly", d->rule->promptly);
        yj_json_kstr(j, "what", yj_text_get(&d->rule->what, lang));
        yj_json_kstr(j, "basis", yj_text_get(&d->rule->basis, lang));
        if (d->rule->needs) {
            const struct yj_item_list *l = yj_item_list_find(r, d->rule->needs);
            yj_json_key(j, "report_items");
            yj_json_arr(j);
            for (size_t n = 0; l && n < l->n; n++)
                yj_json_str(j, yj_text_get(&l->v[n], lang));
            yj_json_end_arr(j);
        }
        yj_json_end_obj(j);
    }
    yj_json_end_arr(j);
    yj_json_key(j, "not_applicable");
    yj_json_arr(j);
    for (size_t i = 0; i < a->nnot_applicable; i++) {
        struct yj_buf why;
        yj_buf_init(&why, 4096);
        yj_report_not_applicable(a->not_applicable[i], k, lang, &why);
        yj_json_obj(j);
        yj_json_kstr(j, "id", a->not_applicable[i]->id);
        yj_json_kstr(j, "why", yj_buf_cstr(&why));
        yj_json_end_obj(j);
        yj_buf_fini(&why);
    }
    yj_json_end_arr(j);
    if (a->nduties == 0)
        yj_json_kstr(j, "no_duty", yj_tl(lang, "respond.no_duty"));
    /* What the police and IPA will ask, when they are among the contacts. */
    yj_json_key(j, "asks");
    yj_json_obj(j);
    for (size_t i = 0; i < r->nlists; i++) {
        const struct yj_item_list *l = &r->lists[i];
        bool relevant = false;
        for (size_t c = 0; c < a->ncontacts && !relevant; c++)
            relevant = strncmp(a->contacts[c].contact->id, l->name, strlen(l->name)) == 0;
        if (!relevant)
            continue;
        yj_json_key(j, l->name);
        yj_json_arr(j);
        for (size_t n = 0; n < l->n; n++)
            yj_json_str(j, yj_text_get(&l->v[n], lang));
        yj_json_end_arr(j);
    }
    yj_json_end_obj(j);
    yj_json_key(j, "record");
    yj_json_arr(j);
    for (size_t i = 0; i < a->pb->nrecord; i++)
        yj_json_str(j, yj_text_get(&a->pb->record[i], lang));
    yj_json_end_arr(j);
    yj_json_end_obj(j);
}

void yj_report_incident_json(const struct yj_respond_data *r, const struct yj_incident *x,
                             enum yj_lang lang, struct yj_json *j)
{
    char day[YJ_DATE_LEN];
    yj_date_fmt(x->c.discovered, day);
    yj_json_obj(j);
    yj_json_kint(j, "id", x->id);
    yj_json_kstr(j, "type", yj_itype_code(x->c.type));
    yj_json_kstr(j, "type_name", yj_text_get(&r->playbooks[x->c.type].title, lang));
    yj_json_kstr(j, "title", x->title);
    yj_json_kstr(j, "status", x->status);
    yj_json_kstr(j, "discovered", day);
    yj_json_kstr(j, "sector", yj_sector_code(x->c.sector));
    yj_json_kstr(j, "personal_data", yj_pd_code(x->c.personal_data));
    yj_json_kbool(j, "malicious", x->c.malicious);
    if (x->c.people >= 0)
        yj_json_kint(j, "people", x->c.people);
    else
        yj_json_kstr(j, "people", NULL);
    yj_json_kbool(j, "ongoing", x->c.ongoing);
    yj_json_kstr(j, "data_involved", x->data_involved);
    yj_json_kstr(j, "cause", x->cause);
    yj_json_kstr(j, "actions", x->actions);
    yj_json_kstr(j, "prevention", x->prevention);
    yj_json_kstr(j, "created_at", x->created_at);
    yj_json_kstr(j, "closed_at", x->closed_at);
    yj_json_key(j, "duties");
    yj_json_arr(j);
    for (size_t i = 0; i < x->nduties; i++) {
        const struct yj_incident_duty *d = &x->duties[i];
        yj_json_obj(j);
        yj_json_kstr(j, "id", d->duty);
        yj_json_kstr(j, "authority", yj_report_duty_name(r, d->duty, lang));
        yj_json_kstr(j, "due_from", d->due_from);
        yj_json_kstr(j, "due_by", d->due_by);
        yj_json_kbool(j, "promptly", d->promptly);
        yj_json_kbool(j, "done", d->done_at != NULL);
        yj_json_kstr(j, "done_at", d->done_at);
        yj_json_end_obj(j);
    }
    yj_json_end_arr(j);
    yj_json_key(j, "timeline");
    yj_json_arr(j);
    static const char *const kinds[] = {"note", "contact", "duty", "status"};
    for (size_t i = 0; i < x->nevents; i++) {
        const struct yj_incident_event *e = &x->events[i];
        yj_json_obj(j);
        yj_json_kstr(j, "at", e->at);
        yj_json_kstr(j, "who", e->who);
        yj_json_kstr(j, "kind", kinds[e->kind]);
        yj_json_kstr(j, "what", e->what);
        yj_json_end_obj(j);
    }
    yj_json_end_arr(j);
    yj_json_end_obj(j);
}
