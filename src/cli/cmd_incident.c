/* `yojin incident`: what to do now, whom to call, the legal duties with their dates, and the
 * record of an incident (timeline, contacts made, duties done, the report).
 *
 *   incident advise --type T --discovered DATE [...]   advice only, nothing stored
 *   incident new [--type T ...]                        ask (or take flags), store, advise
 *   incident list | show ID | log ID ... | close ID | reopen ID | report ID -o FILE
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/i18n.h"
#include "base/str.h"
#include "cli.h"
#include "org/org.h"
#include "report/report.h"
#include "respond/respond.h"

#define TEXT_MAX 20000

enum {
    OPT_TYPE = 1000, OPT_DISCOVERED, OPT_SECTOR, OPT_PD, OPT_MALICIOUS, OPT_PEOPLE, OPT_ONGOING,
    OPT_JSON, OPT_TITLE, OPT_WHO, OPT_AT, OPT_CONTACT, OPT_DONE, OPT_DATA, OPT_CAUSE,
    OPT_ACTIONS, OPT_PREVENTION, OPT_HELP
};

static const struct option case_opts[] = {
    {"type", required_argument, NULL, OPT_TYPE},
    {"discovered", required_argument, NULL, OPT_DISCOVERED},
    {"sector", required_argument, NULL, OPT_SECTOR},
    {"personal-data", required_argument, NULL, OPT_PD},
    {"malicious", no_argument, NULL, OPT_MALICIOUS},
    {"people", required_argument, NULL, OPT_PEOPLE},
    {"ongoing", no_argument, NULL, OPT_ONGOING},
    {"json", no_argument, NULL, OPT_JSON},
    {"title", required_argument, NULL, OPT_TITLE},
    {"who", required_argument, NULL, OPT_WHO},
    {"at", required_argument, NULL, OPT_AT},
    {"contact", required_argument, NULL, OPT_CONTACT},
    {"done", required_argument, NULL, OPT_DONE},
    {"data-involved", required_argument, NULL, OPT_DATA},
    {"cause", required_argument, NULL, OPT_CAUSE},
    {"actions", required_argument, NULL, OPT_ACTIONS},
    {"prevention", required_argument, NULL, OPT_PREVENTION},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

struct opts {
    struct yj_case k;
    bool have_type, have_date, json, help;
    const char *title, *who, *at, *contact, *done, *output;
    struct yj_incident_fields f;
};

static void today(struct yj_date *d)
{
    char day[YJ_DATE_LEN];
    yj_time_local_date(yj_now(), day);
    if (!yj_date_parse(day, d))
        *d = (struct yj_date){1970, 1, 1};
}

static void list_types(struct yj_cli *cli)
{
    fprintf(cli->err, "yojin: %s", yj_t("incident.types_are"));
    for (int t = 0; t < YJ_IT__COUNT; t++)
        fprintf(cli->err, "%s%s", t ? ", " : " ", yj_itype_code((enum yj_itype)t));
    fputc('\n', cli->err);
}

/* Parses the options shared by the subcommands; false (after printing why) on bad input. */
static bool parse(struct yj_cli *cli, int argc, char **argv, struct opts *o)
{
    memset(o, 0, sizeof *o);
    o->k.people = -1;
    today(&o->k.discovered);
    optind = 1;
    opterr = 0;
    int c;
    long v;
    while ((c = getopt_long(argc, argv, "ho:", case_opts, NULL)) != -1) {
        switch (c) {
        case OPT_TYPE: {
            int t = yj_itype_parse(optarg);
            if (t < 0) {
                yj_cli_error(cli, yj_t("incident.bad_type"), optarg);
                list_types(cli);
                return false;
            }
            o->k.type = (enum yj_itype)t;
            o->have_type = true;
            break;
        }
        case OPT_DISCOVERED: {
            struct yj_date now;
            today(&now);
            if (!yj_date_parse(optarg, &o->k.discovered)) {
                yj_cli_error(cli, yj_t("incident.bad_date"), optarg);
                return false;
            }
            if (yj_date_to_days(o->k.discovered) > yj_date_to_days(now)) {
                yj_cli_error(cli, yj_t("incident.future_date"), optarg);
                return false;
            }
            o->have_date = true;
            break;
        }
        case OPT_SECTOR: {
            int s = yj_sector_parse(optarg);
            if (s < 0) {
                yj_cli_error(cli, yj_t("incident.bad_sector"), optarg);
                return false;
            }
            o->k.sector = (enum yj_sector)s;
            break;
        }
        case OPT_PD: {
            int p = yj_pd_parse(optarg);
            if (p < 0) {
                yj_cli_error(cli, yj_t("incident.bad_pd"), optarg);
                return false;
            }
            o->k.personal_data = (enum yj_pd)p;
            break;
        }
        case OPT_MALICIOUS: o->k.malicious = true; break;
        case OPT_ONGOING: o->k.ongoing = true; break;
        case OPT_PEOPLE:
            if (!yj_str_to_long(yj_str_c(optarg), &v) || v < 0 || v > 1000000000L) {
                yj_cli_error(cli, yj_t("incident.bad_people"), optarg);
                return false;
            }
            o->k.people = v;
            break;
        case OPT_JSON: o->json = true; break;
        case OPT_TITLE: o->title = o->f.title = optarg; break;
        case OPT_WHO: o->who = optarg; break;
        case OPT_AT: {
            int64_t t;
            if (!yj_time_parse_iso(optarg, &t)) {
                yj_cli_error(cli, yj_t("incident.bad_at"), optarg);
                return false;
            }
            o->at = optarg;
            break;
        }
        case OPT_CONTACT: o->contact = optarg; break;
        case OPT_DONE: o->done = optarg; break;
        case OPT_DATA: o->f.data_involved = optarg; break;
        case OPT_CAUSE: o->f.cause = optarg; break;
        case OPT_ACTIONS: o->f.actions = optarg; break;
        case OPT_PREVENTION: o->f.prevention = optarg; break;
        case 'o': o->output = optarg; break;
        case OPT_HELP:
        case 'h': o->help = true; return true;
        default:
            yj_cli_error(cli, yj_t("cli.bad_option"), argv[optind - 1]);
            return false;
        }
    }
    struct yj_diag d;
    yj_diag_init(&d);
    const char *texts[][2] = {{o->title, "incident.title"}, {o->f.data_involved, "incident.data_involved"},
                              {o->f.cause, "incident.cause"}, {o->f.actions, "incident.actions"},
                              {o->f.prevention, "incident.prevention"}, {o->who, "incident.who"}};
    bool ok = true;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (yj_incident_check_text(yj_t(texts[i][1]), texts[i][0], TEXT_MAX, &d))
            ok = false;
    yj_cli_diag(cli, &d);
    yj_diag_fini(&d);
    return ok;
}

static long parse_id(struct yj_cli *cli, const char *s)
{
    long id;
    if (!s || !yj_str_to_long(yj_str_c(s), &id) || id <= 0) {
        yj_cli_error(cli, yj_t("incident.bad_id"), s ? s : "");
        return -1;
    }
    return id;
}

/* ---- rendering the advice as text ------------------------------------------------------ */

static void print_advice(struct yj_cli *cli, const struct yj_respond_data *r,
                         const struct yj_case *k, const struct yj_advice *a)
{
    FILE *o = cli->out;
    enum yj_lang l = cli->lang;
    char day[YJ_DATE_LEN];
    yj_date_fmt(k->discovered, day);
    fprintf(o, "%s\n%s\n", yj_text_get(&a->pb->title, l), yj_text_get(&a->pb->summary, l));
    if (k->ongoing)
        fprintf(o, "%s\n", yj_t("incident.ongoing_note"));
    fprintf(o, "\n■ %s\n", yj_t("incident.steps"));
    for (size_t i = 0; i < a->pb->nsteps; i++)
        fprintf(o, "  %zu. %s\n", i + 1, yj_text_get(&a->pb->steps[i], l));
    fprintf(o, "\n■ %s\n", yj_t("incident.contacts"));
    for (size_t i = 0; i < a->ncontacts; i++) {
        const struct yj_advice_contact *ac = &a->contacts[i];
        const struct yj_contact *c = ac->contact;
        fprintf(o, "  %zu. %s\n", i + 1, yj_text_get(&c->name, l));
        if (c->phone)
            fprintf(o, "     %s %s%s%s\n", yj_t("contacts.phone"), c->phone,
                    c->hours.v[0] ? "  " : "", c->hours.v[0] ? yj_text_get(&c->hours, l) : "");
        if (c->email)
            fprintf(o, "     %s %s\n", yj_t("contacts.email"), c->email);
        if (c->url)
            fprintf(o, "     %s %s\n", yj_t("contacts.url"), c->url);
        fprintf(o, "     %s %s\n", yj_t("incident.why"), yj_text_get(ac->why, l));
        if (ac->tell)
            fprintf(o, "     %s %s\n", yj_t("incident.tell"), yj_text_get(ac->tell, l));
    }
    fprintf(o, "\n■ ");
    fprintf(o, yj_t("incident.duties_head"), day);
    fputc('\n', o);
    if (a->nduties == 0)
        fprintf(o, "  %s\n", yj_t("respond.no_duty"));
    for (size_t i = 0; i < a->nduties; i++) {
        const struct yj_duty *d = &a->duties[i];
        char from[YJ_DATE_LEN], by[YJ_DATE_LEN];
        yj_date_fmt(d->due_from, from);
        yj_date_fmt(d->due_by, by);
        fprintf(o, "  - %s [%s]\n", yj_text_get(&d->rule->authority, l), d->rule->id);
        if (d->has_from && d->has_by)
            fprintf(o, "    %s %s 〜 %s\n", yj_t("incident.due"), from, by);
        else if (d->has_by)
            fprintf(o, "    %s %s\n", yj_t("incident.due_by"), by);
        else
            fprintf(o, "    %s %s\n", yj_t("incident.due"), yj_t("incident.promptly"));
        fprintf(o, "    %s\n", yj_text_get(&d->rule->what, l));
        fprintf(o, "    %s %s\n", yj_t("incident.basis"), yj_text_get(&d->rule->basis, l));
        const struct yj_item_list *items = d->rule->needs ? yj_item_list_find(r, d->rule->needs)
                                                          : NULL;
        if (items) {
            fprintf(o, "    %s\n", yj_t("incident.report_needs"));
            for (size_t n = 0; n < items->n; n++)
                fprintf(o, "      (%zu) %s\n", n + 1, yj_text_get(&items->v[n], l));
        }
    }
    for (size_t i = 0; i < a->nnot_applicable; i++) {
        struct yj_buf why;
        yj_buf_init(&why, 4096);
        yj_report_not_applicable(a->not_applicable[i], k, l, &why);
        fprintf(o, "  ・%s\n", yj_buf_cstr(&why));
        yj_buf_fini(&why);
    }
    if (a->pb->nrecord) {
        fprintf(o, "\n■ %s\n", yj_t("incident.record"));
        for (size_t i = 0; i < a->pb->nrecord; i++)
            fprintf(o, "  - %s\n", yj_text_get(&a->pb->record[i], l));
    }
    fprintf(o, "\n%s\n", yj_t("contacts.emergency"));
}

static int advise(struct yj_cli *cli, int argc, char **argv)
{
    struct opts o;
    if (!parse(cli, argc, argv, &o))
        return YJ_EXIT_USAGE;
    if (o.help)
        return yj_cli_usage(cli, "incident", true);
    if (!o.have_type || !o.have_date) {
        yj_cli_error(cli, "%s", yj_t("incident.need_type_date"));
        if (!o.have_type)
            list_types(cli);
        return YJ_EXIT_USAGE;
    }
    struct yj_respond_data r;
    if (yj_cli_respond(cli, &r))
        return YJ_EXIT_FAIL;
    struct yj_advice a;
    yj_respond_advise(&r, &o.k, &a);
    if (o.json) {
        struct yj_buf b;
        struct yj_json j;
        yj_buf_init(&b, 0);
        yj_json_init(&j, &b, true);
        yj_report_advice_json(&r, &o.k, &a, cli->lang, &j);
        yj_cli_print_json(cli, &b);
    } else {
        print_advice(cli, &r, &o.k, &a);
    }
    yj_respond_fini(&r);
    return YJ_EXIT_OK;
}

/* ---- the interactive questions -------------------------------------------------------- */

static bool ask(struct yj_cli *cli, const char *prompt, char *buf, size_t size)
{
    fputs(prompt, cli->out);
    fflush(cli->out);
    if (!fgets(buf, (int)size, stdin))
        return false;
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    return true;
}

/* A number from 1 to max (Enter: def); 0 at end of input. */
static int ask_choice(struct yj_cli *cli, const char *prompt, int max, int def)
{
    char buf[256];
    for (;;) {
        if (!ask(cli, prompt, buf, sizeof buf))
            return 0;
        struct yj_str t = yj_str_trim(yj_str_c(buf));
        long v;
        if (t.n == 0 && def)
            return def;
        if (yj_str_to_long(t, &v) && v >= 1 && v <= max)
            return (int)v;
        fprintf(cli->out, yj_t("incident.ask_number"), max);
        fputc('\n', cli->out);
    }
}

static int ask_yes_no(struct yj_cli *cli, const char *prompt)
{
    char buf[64];
    for (;;) {
        if (!ask(cli, prompt, buf, sizeof buf))
            return -1;
        struct yj_str t = yj_str_trim(yj_str_c(buf));
        if (yj_str_eq_ci_c(t, "y") || yj_str_eq_ci_c(t, "yes") || yj_str_eq_c(t, "はい"))
            return 1;
        if (yj_str_eq_ci_c(t, "n") || yj_str_eq_ci_c(t, "no") || yj_str_eq_c(t, "いいえ") ||
            t.n == 0)
            return 0;
        fprintf(cli->out, "%s\n", yj_t("incident.ask_yn"));
    }
}

static bool interview(struct yj_cli *cli, const struct yj_respond_data *r, struct opts *o,
                      char *title, size_t title_size)
{
    fprintf(cli->out, "%s\n\n", yj_t("incident.new_intro"));
    for (int t = 0; t < YJ_IT__COUNT; t++)
        fprintf(cli->out, "  %2d) %s\n", t + 1, yj_text_get(&r->playbooks[t].title, cli->lang));
    int t = ask_choice(cli, yj_t("incident.ask_type"), YJ_IT__COUNT, 0);
    if (!t)
        return false;
    o->k.type = (enum yj_itype)(t - 1);
    char buf[256], day[YJ_DATE_LEN];
    yj_date_fmt(o->k.discovered, day);
    for (;;) {
        fprintf(cli->out, yj_t("incident.ask_date"), day);
        fflush(cli->out);
        if (!ask(cli, "", buf, sizeof buf))
            return false;
        struct yj_str v = yj_str_trim(yj_str_c(buf));
        struct yj_date dd, now;
        today(&now);
        char tmp[YJ_DATE_LEN] = "";
        if (v.n < sizeof tmp)
            memcpy(tmp, v.p, v.n);
        if (v.n == 0)
            break;
        if (v.n < sizeof tmp && yj_date_parse(tmp, &dd) &&
            yj_date_to_days(dd) <= yj_date_to_days(now)) {
            o->k.discovered = dd;
            break;
        }
        fprintf(cli->out, "%s\n", yj_t("incident.ask_date_again"));
    }
    fprintf(cli->out, "%s\n", yj_t("incident.ask_pd_list"));
    int pd = ask_choice(cli, yj_t("incident.ask_pd"), YJ_PD__COUNT, 1);
    if (!pd)
        return false;
    o->k.personal_data = (enum yj_pd)(pd - 1);
    if (o->k.personal_data != YJ_PD_NONE) {
        for (;;) {
            if (!ask(cli, yj_t("incident.ask_people"), buf, sizeof buf))
                return false;
            struct yj_str v = yj_str_trim(yj_str_c(buf));
            long n;
            if (v.n == 0)
                break;
            if (yj_str_to_long(v, &n) && n >= 0) {
                o->k.people = n;
                break;
            }
        }
    }
    int yn = ask_yes_no(cli, yj_t("incident.ask_malicious"));
    if (yn < 0)
        return false;
    o->k.malicious = yn == 1;
    fprintf(cli->out, "%s\n", yj_t("incident.ask_sector_list"));
    int sec = ask_choice(cli, yj_t("incident.ask_sector"), YJ_SECTOR__COUNT, 1);
    if (!sec)
        return false;
    o->k.sector = (enum yj_sector)(sec - 1);
    if ((yn = ask_yes_no(cli, yj_t("incident.ask_ongoing"))) < 0)
        return false;
    o->k.ongoing = yn == 1;
    if (!ask(cli, yj_t("incident.ask_title"), title, title_size))
        return false;
    o->title = title;
    return true;
}

static int create(struct yj_cli *cli, int argc, char **argv)
{
    struct opts o;
    if (!parse(cli, argc, argv, &o))
        return YJ_EXIT_USAGE;
    if (o.help)
        return yj_cli_usage(cli, "incident", true);
    struct yj_respond_data r;
    if (yj_cli_respond(cli, &r))
        return YJ_EXIT_FAIL;
    char title[512] = "";
    if (!o.have_type && !interview(cli, &r, &o, title, sizeof title)) {
        fprintf(cli->out, "\n%s\n", yj_t("incident.cancelled"));
        yj_respond_fini(&r);
        return YJ_EXIT_FAIL;
    }
    struct yj_diag d;
    yj_diag_init(&d);
    if (yj_incident_check_text(yj_t("incident.title"), o.title, 500, &d)) {
        yj_cli_diag(cli, &d);
        yj_diag_fini(&d);
        yj_respond_fini(&r);
        return YJ_EXIT_USAGE;
    }
    yj_diag_fini(&d);
    struct yj_advice a;
    yj_respond_advise(&r, &o.k, &a);
    struct yj_store *s;
    int status = YJ_EXIT_FAIL;
    int64_t id = 0;
    if (yj_cli_store(cli, &s) == YJ_ERR_OK) {
        if (yj_incident_create(s, &o.k, o.title, o.who ? o.who : yj_cli_user(), &a, &id))
            yj_cli_error(cli, yj_t("cli.db_error"), yj_store_errmsg(s));
        else
            status = YJ_EXIT_OK;
        yj_store_close(s);
    }
    if (status == YJ_EXIT_OK) {
        if (o.json) {
            struct yj_buf b;
            struct yj_json j;
            yj_buf_init(&b, 0);
            yj_json_init(&j, &b, true);
            yj_json_obj(&j);
            yj_json_kint(&j, "id", id);
            yj_json_key(&j, "advice");
            yj_report_advice_json(&r, &o.k, &a, cli->lang, &j);
            yj_json_end_obj(&j);
            yj_cli_print_json(cli, &b);
        } else {
            fputc('\n', cli->out);
            print_advice(cli, &r, &o.k, &a);
            fprintf(cli->out, "\n");
            fprintf(cli->out, yj_t("incident.created"), (long long)id, (long long)id);
            fputc('\n', cli->out);
        }
    }
    yj_respond_fini(&r);
    return status;
}

/* ---- list, show, log, close, report --------------------------------------------------- */

/* What the record subcommands work with: the store, the respond data, an arena. */
struct records {
    struct yj_store *s;
    struct yj_respond_data r;
    struct yj_arena arena;
};

static int records_open(struct yj_cli *cli, struct records *c)
{
    yj_arena_init(&c->arena);
    if (yj_cli_respond(cli, &c->r))
        return YJ_EXIT_FAIL;
    if (yj_cli_store(cli, &c->s)) {
        yj_respond_fini(&c->r);
        return YJ_EXIT_FAIL;
    }
    return YJ_EXIT_OK;
}

static void records_close(struct records *c)
{
    yj_arena_fini(&c->arena);
    yj_store_close(c->s);
    yj_respond_fini(&c->r);
}

static int list(struct yj_cli *cli, int argc, char **argv)
{
    struct opts o;
    if (!parse(cli, argc, argv, &o))
        return YJ_EXIT_USAGE;
    struct records c;
    if (records_open(cli, &c))
        return YJ_EXIT_FAIL;
    struct yj_incident *v;
    size_t n;
    int status = YJ_EXIT_OK;
    if (yj_incident_list(c.s, &c.arena, &v, &n)) {
        yj_cli_error(cli, yj_t("cli.db_error"), yj_store_errmsg(c.s));
        status = YJ_EXIT_FAIL;
    } else if (o.json) {
        struct yj_buf b;
        struct yj_json j;
        yj_buf_init(&b, 0);
        yj_json_init(&j, &b, true);
        yj_json_arr(&j);
        for (size_t i = 0; i < n; i++)
            yj_report_incident_json(&c.r, &v[i], cli->lang, &j);
        yj_json_end_arr(&j);
        yj_cli_print_json(cli, &b);
    } else if (n == 0) {
        fprintf(cli->out, "%s\n", yj_t("incident.none"));
    } else {
        for (size_t i = 0; i < n; i++) {
            char day[YJ_DATE_LEN];
            yj_date_fmt(v[i].c.discovered, day);
            fprintf(cli->out, "#%-4lld %s  %-6s  %s%s%s\n", (long long)v[i].id, day,
                    yj_t(strcmp(v[i].status, "open") == 0 ? "incident.open" : "incident.closed"),
                    yj_text_get(&c.r.playbooks[v[i].c.type].title, cli->lang),
                    v[i].title && *v[i].title ? " — " : "", v[i].title ? v[i].title : "");
        }
    }
    records_close(&c);
    return status;
}

/* Loads incident id (the first operand); prints why not. */
static int load_one(struct yj_cli *cli, int argc, char **argv, struct yj_store *s,
                    struct yj_arena *arena, struct yj_incident *x)
{
    if (optind >= argc) {
        yj_cli_error(cli, yj_t("incident.bad_id"), "");
        return YJ_EXIT_USAGE;
    }
    long id = parse_id(cli, argv[optind]);
    if (id < 0)
        return YJ_EXIT_USAGE;
    bool found;
    if (yj_incident_get(s, id, arena, x, &found)) {
        yj_cli_error(cli, yj_t("cli.db_error"), yj_store_errmsg(s));
        return YJ_EXIT_FAIL;
    }
    if (!found) {
        yj_cli_error(cli, yj_t("incident.not_found"), id);
        return YJ_EXIT_FAIL;
    }
    return YJ_EXIT_OK;
}

static void print_incident(struct yj_cli *cli, const struct yj_respond_data *r,
                           const struct yj_incident *x)
{
    FILE *o = cli->out;
    char day[YJ_DATE_LEN];
    yj_date_fmt(x->c.discovered, day);
    fprintf(o, "#%lld %s%s%s\n", (long long)x->id,
            yj_text_get(&r->playbooks[x->c.type].title, cli->lang),
            x->title && *x->title ? " — " : "", x->title ? x->title : "");
    fprintf(o, "  %s: %s   %s: %s\n", yj_t("incident.status"),
            yj_t(strcmp(x->status, "open") == 0 ? "incident.open" : "incident.closed"),
            yj_t("incident.discovered"), day);
    const struct { const char *label, *value; } fields[] = {
        {"incident.data_involved", x->data_involved}, {"incident.cause", x->cause},
        {"incident.actions", x->actions}, {"incident.prevention", x->prevention}};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i].value && *fields[i].value)
            fprintf(o, "  %s: %s\n", yj_t(fields[i].label), fields[i].value);
    fprintf(o, "\n%s\n", yj_t("incident.duties"));
    if (x->nduties == 0)
        fprintf(o, "  %s\n", yj_t("respond.no_duty"));
    for (size_t i = 0; i < x->nduties; i++) {
        const struct yj_incident_duty *d = &x->duties[i];
        fprintf(o, "  [%s] %s (%s) ", d->done_at ? "x" : " ",
                yj_report_duty_name(r, d->duty, cli->lang), d->duty);
        if (d->due_from && d->due_by)
            fprintf(o, "%s 〜 %s", d->due_from, d->due_by);
        else if (d->due_by)
            fprintf(o, "%s %s", yj_t("incident.due_by"), d->due_by);
        else
            fprintf(o, "%s", yj_t("incident.promptly"));
        fputc('\n', o);
    }
    fprintf(o, "\n%s\n", yj_t("incident.timeline"));
    for (size_t i = 0; i < x->nevents; i++)
        fprintf(o, "  %s  %s: %s\n", x->events[i].at, x->events[i].who, x->events[i].what);
}

static int show(struct yj_cli *cli, int argc, char **argv)
{
    struct opts o;
    if (!parse(cli, argc, argv, &o))
        return YJ_EXIT_USAGE;
    struct records c;
    if (records_open(cli, &c))
        return YJ_EXIT_FAIL;
    struct yj_incident x;
    int status = load_one(cli, argc, argv, c.s, &c.arena, &x);
    if (status == YJ_EXIT_OK) {
        if (o.json) {
            struct yj_buf b;
            struct yj_json j;
            yj_buf_init(&b, 0);
            yj_json_init(&j, &b, true);
            yj_report_incident_json(&c.r, &x, cli->lang, &j);
            yj_cli_print_json(cli, &b);
        } else {
            print_incident(cli, &c.r, &x);
        }
    }
    records_close(&c);
    return status;
}

/* The words after the options, joined with spaces (arena-owned), or NULL. */
static const char *joined(struct yj_arena *a, int argc, char **argv, int from)
{
    size_t n = 0;
    for (int i = from; i < argc; i++)
        n += strlen(argv[i]) + 1;
    if (!n)
        return NULL;
    char *p = yj_arena_alloc(a, n), *q = p;
    for (int i = from; i < argc; i++) {
        size_t l = strlen(argv[i]);
        memcpy(q, argv[i], l);
        q += l;
        *q++ = i + 1 < argc ? ' ' : '\0';
    }
    return p;
}

static int log_cmd(struct yj_cli *cli, int argc, char **argv, int mode /* 0 log, 1 close, 2 reopen */)
{
    struct opts o;
    if (!parse(cli, argc, argv, &o))
        return YJ_EXIT_USAGE;
    struct records c;
    if (records_open(cli, &c))
        return YJ_EXIT_FAIL;
    struct yj_incident x;
    int status = load_one(cli, argc, argv, c.s, &c.arena, &x);
    const char *who = o.who ? o.who : yj_cli_user();
    const char *text = joined(&c.arena, argc, argv, optind + 1);
    struct yj_diag d;
    yj_diag_init(&d);
    if (status == YJ_EXIT_OK && yj_incident_check_text(yj_t("incident.what"), text, TEXT_MAX, &d)) {
        yj_cli_diag(cli, &d);
        status = YJ_EXIT_USAGE;
    }
    yj_diag_fini(&d);
    const struct yj_contact *contact = NULL;
    if (status == YJ_EXIT_OK && o.contact && !(contact = yj_contact_find(&c.r, o.contact))) {
        yj_cli_error(cli, yj_t("incident.bad_contact"), o.contact);
        status = YJ_EXIT_USAGE;
    }
    enum yj_err err = YJ_ERR_OK;
    bool did = false;
    if (status == YJ_EXIT_OK && mode == 0) {
        if (o.f.title || o.f.data_involved || o.f.cause || o.f.actions || o.f.prevention) {
            err = yj_incident_update(c.s, x.id, &o.f);
            did = true;
        }
        if (!err && contact) {
            char *what = NULL;
            if (asprintf(&what, yj_t("incident.contacted"), yj_text_get(&contact->name, cli->lang),
                         text ? text : "") < 0)
                yj_oom();
            err = yj_incident_log(c.s, x.id, YJ_EV_CONTACT, o.at, who, what);
            free(what);
            did = true;
        } else if (!err && text && !o.done) {
            err = yj_incident_log(c.s, x.id, YJ_EV_NOTE, o.at, who, text);
            did = true;
        }
        if (!err && o.done) {
            char *what = NULL;
            if (asprintf(&what, yj_t("incident.duty_done"),
                         yj_report_duty_name(&c.r, o.done, cli->lang), text ? text : "") < 0)
                yj_oom();
            err = yj_incident_duty_done(c.s, x.id, o.done, who, what);
            free(what);
            if (err == YJ_ERR_NOTFOUND) {
                yj_cli_error(cli, yj_t("incident.no_such_duty"), o.done);
                status = YJ_EXIT_USAGE;
                err = YJ_ERR_OK;
            }
            did = true;
        }
        if (!did && status == YJ_EXIT_OK) {
            yj_cli_error(cli, "%s", yj_t("incident.log_what"));
            status = YJ_EXIT_USAGE;
        }
    } else if (status == YJ_EXIT_OK) {
        if (mode == 1 && (o.f.cause || o.f.prevention || o.f.actions || o.f.data_involved))
            err = yj_incident_update(c.s, x.id, &o.f);
        if (!err)
            err = yj_incident_set_status(c.s, x.id, mode == 2, who,
                                         text ? text : yj_t(mode == 1 ? "incident.closed_note"
                                                                      : "incident.reopened_note"));
    }
    if (err) {
        yj_cli_error(cli, yj_t("cli.db_error"), yj_store_errmsg(c.s));
        status = YJ_EXIT_FAIL;
    } else if (status == YJ_EXIT_OK) {
        fprintf(cli->out, yj_t("incident.recorded"), (long long)x.id);
        fputc('\n', cli->out);
    }
    records_close(&c);
    return status;
}

static int report(struct yj_cli *cli, int argc, char **argv)
{
    struct opts o;
    if (!parse(cli, argc, argv, &o))
        return YJ_EXIT_USAGE;
    if (!o.output) {
        yj_cli_error(cli, "%s", yj_t("incident.need_output"));
        return YJ_EXIT_USAGE;
    }
    size_t ol = strlen(o.output);
    bool md = ol > 3 && strcmp(o.output + ol - 3, ".md") == 0;
    struct records c;
    if (records_open(cli, &c))
        return YJ_EXIT_FAIL;
    struct yj_incident x;
    struct yj_org org = {0};
    int status = load_one(cli, argc, argv, c.s, &c.arena, &x);
    if (status == YJ_EXIT_OK && yj_org_load(c.s, &org)) {
        yj_cli_error(cli, yj_t("cli.db_error"), yj_store_errmsg(c.s));
        status = YJ_EXIT_FAIL;
    }
    if (status == YJ_EXIT_OK) {
        char today_s[YJ_DATE_LEN];
        yj_time_local_date(yj_now(), today_s);
        struct yj_buf b;
        yj_buf_init(&b, (size_t)16 << 20);
        if (md)
            yj_report_incident_md(&c.r, &x, org.name, today_s, cli->lang, &b);
        else
            yj_report_incident_html(&c.r, &x, org.name, today_s, cli->lang, &b);
        if (yj_buf_err(&b) || yj_cli_write(cli, o.output, b.p, b.len)) {
            status = YJ_EXIT_FAIL;
        } else if (strcmp(o.output, "-") != 0) {
            fprintf(cli->out, yj_t("report.written"), o.output);
        }
        yj_buf_fini(&b);
    }
    yj_org_fini(&org);
    records_close(&c);
    return status;
}

int yj_cmd_incident(struct yj_cli *cli, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return yj_cli_usage(cli, "incident", argc >= 2);
    const char *sub = argv[1];
    argc--;
    argv++;
    if (strcmp(sub, "advise") == 0)
        return advise(cli, argc, argv);
    if (strcmp(sub, "new") == 0)
        return create(cli, argc, argv);
    if (strcmp(sub, "list") == 0)
        return list(cli, argc, argv);
    if (strcmp(sub, "show") == 0)
        return show(cli, argc, argv);
    if (strcmp(sub, "log") == 0)
        return log_cmd(cli, argc, argv, 0);
    if (strcmp(sub, "close") == 0)
        return log_cmd(cli, argc, argv, 1);
    if (strcmp(sub, "reopen") == 0)
        return log_cmd(cli, argc, argv, 2);
    if (strcmp(sub, "report") == 0)
        return report(cli, argc, argv);
    yj_cli_error(cli, yj_t("incident.bad_sub"), sub);
    return yj_cli_usage(cli, "incident", false);
}
