/* The incident report: what happened, the data involved, the cause, what was done, how it is
 * prevented, the legal duties and the timeline — one document fit to hand to the
 * authorities or an insurer. HTML (standalone, printable, no script) and Markdown share the
 * same content through a small writer interface. */
#include <stdio.h>
#include <string.h>

#include "base/file.h"
#include "report.h"

struct writer {
    struct yj_buf *o;
    bool md;
};

static void w_text(struct writer *w, const char *s)
{
    if (!s)
        return;
    if (!w->md) {
        yj_buf_add_html(w->o, s);
        return;
    }
    /* Markdown: keep the text, neutralise characters that would start markup. */
    for (const char *p = s; *p; p++) {
        if (strchr("\\`*_[]<>#|", *p))
            yj_buf_addc(w->o, '\\');
        yj_buf_addc(w->o, *p == '\n' ? ' ' : *p);
    }
}

static void w_h(struct writer *w, int level, const char *s)
{
    if (w->md) {
        yj_buf_adds(w->o, level == 1 ? "# " : level == 2 ? "\n## " : "\n### ");
        w_text(w, s);
        yj_buf_adds(w->o, "\n\n");
    } else {
        yj_buf_printf(w->o, "<h%d>", level);
        w_text(w, s);
        yj_buf_printf(w->o, "</h%d>\n", level);
    }
}

static void w_para(struct writer *w, const char *s)
{
    const char *t = s && *s ? s : NULL;
    if (w->md) {
        if (t)
            w_text(w, t);
        else
            yj_buf_adds(w->o, "—");
        yj_buf_adds(w->o, "\n\n");
    } else {
        yj_buf_adds(w->o, "<p>");
        if (t) {
            /* Line breaks the writer typed stay line breaks. */
            for (const char *p = t; *p;) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t)(nl - p) : strlen(p);
                yj_buf_add_html_n(w->o, p, n);
                if (!nl)
                    break;
                yj_buf_adds(w->o, "<br>");
                p = nl + 1;
            }
        } else {
            yj_buf_adds(w->o, "—");
        }
        yj_buf_adds(w->o, "</p>\n");
    }
}

static void w_row_begin(struct writer *w)
{
    yj_buf_adds(w->o, w->md ? "|" : "<tr>");
}

static void w_cell(struct writer *w, const char *s, bool head)
{
    if (w->md) {
        yj_buf_adds(w->o, " ");
        w_text(w, s && *s ? s : "—");
        yj_buf_adds(w->o, " |");
    } else {
        yj_buf_adds(w->o, head ? "<th>" : "<td>");
        w_text(w, s && *s ? s : "—");
        yj_buf_adds(w->o, head ? "</th>" : "</td>");
    }
}

static void w_row_end(struct writer *w)
{
    yj_buf_adds(w->o, w->md ? "\n" : "</tr>\n");
}

static void w_table_begin(struct writer *w, const char *const *heads, size_t n, enum yj_lang lang)
{
    if (!w->md)
        yj_buf_adds(w->o, "<table>");
    w_row_begin(w);
    for (size_t i = 0; i < n; i++)
        w_cell(w, yj_tl(lang, heads[i]), true);
    w_row_end(w);
    if (w->md) {
        yj_buf_adds(w->o, "|");
        for (size_t i = 0; i < n; i++)
            yj_buf_adds(w->o, "---|");
        yj_buf_adds(w->o, "\n");
    }
}

static void w_table_end(struct writer *w)
{
    yj_buf_adds(w->o, w->md ? "\n" : "</table>\n");
}

static const char *yes_no(bool v, enum yj_lang lang)
{
    return yj_tl(lang, v ? "incident.yes" : "incident.no");
}

static void content(struct writer *w, const struct yj_respond_data *r, const struct yj_incident *x,
                    const char *company, const char *date, enum yj_lang lang)
{
    const char *const kv_heads[] = {"incident.field", "incident.value"};
    char day[YJ_DATE_LEN], people[32], idbuf[32];
    yj_date_fmt(x->c.discovered, day);
    snprintf(idbuf, sizeof idbuf, "%lld", (long long)x->id);
    if (x->c.people >= 0)
        snprintf(people, sizeof people, "%ld", x->c.people);
    else
        snprintf(people, sizeof people, "%s", yj_tl(lang, "incident.unknown"));

    w_h(w, 1, yj_tl(lang, "incident.report_title"));
    w_para(w, company && *company ? company : yj_tl(lang, "report.no_company"));
    w_h(w, 2, yj_tl(lang, "incident.summary"));
    w_table_begin(w, kv_heads, 2, lang);
    const char *rows[][2] = {
        {"incident.id", idbuf},
        {"incident.type", yj_text_get(&r->playbooks[x->c.type].title, lang)},
        {"incident.title", x->title},
        {"incident.status", yj_tl(lang, strcmp(x->status ? x->status : "", "closed") == 0
                                            ? "incident.closed"
                                            : "incident.open")},
        {"incident.discovered", day},
        {"incident.personal_data", yj_tl(lang, (const char *[]){"incident.pd_none",
                                                                "incident.pd_ordinary",
                                                                "incident.pd_sensitive",
                                                                "incident.pd_financial"}
                                                   [x->c.personal_data])},
        {"incident.people", people},
        {"incident.malicious", yes_no(x->c.malicious, lang)},
        {"incident.ongoing", yes_no(x->c.ongoing, lang)},
        {"incident.report_date", date},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        w_row_begin(w);
        w_cell(w, yj_tl(lang, rows[i][0]), true);
        w_cell(w, rows[i][1], false);
        w_row_end(w);
    }
    w_table_end(w);
    w_h(w, 2, yj_tl(lang, "incident.data_involved"));
    w_para(w, x->data_involved);
    w_h(w, 2, yj_tl(lang, "incident.cause"));
    w_para(w, x->cause);
    w_h(w, 2, yj_tl(lang, "incident.actions"));
    w_para(w, x->actions);
    w_h(w, 2, yj_tl(lang, "incident.prevention"));
    w_para(w, x->prevention);

    w_h(w, 2, yj_tl(lang, "incident.duties"));
    if (x->nduties == 0) {
        w_para(w, yj_tl(lang, "respond.no_duty"));
    } else {
        const char *const heads[] = {"incident.authority", "incident.due", "incident.done"};
        w_table_begin(w, heads, 3, lang);
        for (size_t i = 0; i < x->nduties; i++) {
            const struct yj_incident_duty *d = &x->duties[i];
            char due[64];
            if (d->due_from && d->due_by)
                snprintf(due, sizeof due, "%s – %s", d->due_from, d->due_by);
            else if (d->due_by)
                snprintf(due, sizeof due, "%s", d->due_by);
            else
                snprintf(due, sizeof due, "%s", yj_tl(lang, "incident.promptly"));
            w_row_begin(w);
            w_cell(w, yj_report_duty_name(r, d->duty, lang), false);
            w_cell(w, due, false);
            w_cell(w, d->done_at ? d->done_at : yj_tl(lang, "incident.not_done"), false);
            w_row_end(w);
        }
        w_table_end(w);
    }
    w_h(w, 2, yj_tl(lang, "incident.timeline"));
    const char *const heads[] = {"incident.at", "incident.who", "incident.what"};
    w_table_begin(w, heads, 3, lang);
    for (size_t i = 0; i < x->nevents; i++) {
        const struct yj_incident_event *e = &x->events[i];
        w_row_begin(w);
        w_cell(w, e->at, false);
        w_cell(w, e->who, false);
        w_cell(w, e->what, false);
        w_row_end(w);
    }
    w_table_end(w);
    w_para(w, yj_tl(lang, "incident.report_note"));
}

static const char *const css =
    "@page{size:A4;margin:15mm}body{font-family:'Noto Sans CJK JP','Noto Sans JP',sans-serif;"
    "max-width:180mm;margin:0 auto;color:#111;line-height:1.6;font-size:10.5pt}"
    "h1{font-size:17pt}h2{font-size:12.5pt;border-bottom:2px solid #1a4f8b;margin-top:7mm}"
    "table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:1.5mm 2mm;"
    "text-align:left;vertical-align:top}th{background:#eef2f7;white-space:nowrap}"
    "tr{break-inside:avoid}";

void yj_report_incident_html(const struct yj_respond_data *r, const struct yj_incident *x,
                             const char *company, const char *date, enum yj_lang lang,
                             struct yj_buf *out)
{
    struct writer w = {out, false};
    yj_buf_printf(out, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                       "'none'; style-src 'unsafe-inline'\"><title>",
                  yj_lang_code(lang));
    w_text(&w, yj_tl(lang, "incident.report_title"));
    yj_buf_printf(out, "</title><style>%s</style></head><body>\n", css);
    content(&w, r, x, company, date, lang);
    yj_buf_printf(out, "<p>yojin %s</p></body></html>\n", yj_version());
}

void yj_report_incident_md(const struct yj_respond_data *r, const struct yj_incident *x,
                           const char *company, const char *date, enum yj_lang lang,
                           struct yj_buf *out)
{
    struct writer w = {out, true};
    content(&w, r, x, company, date, lang);
    yj_buf_printf(out, "yojin %s\n", yj_version());
}
