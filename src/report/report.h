/* Renderers shared by the front ends: the printable self-diagnosis report (one self-contained
 * HTML file with inline SVG charts, A4 print layout) and the JSON form of a result.
 *
 * They read the caller's data and append to the caller's buffer; they own nothing. Text
 * comes from the catalogs in the language of the input, and every outside string (names,
 * bank text) is escaped on the way out. */
#ifndef YJ_REPORT_REPORT_H
#define YJ_REPORT_REPORT_H

#include <stdbool.h>

#include "assess/assess.h"
#include "base/buf.h"
#include "respond/respond.h"

struct yj_report_input {
    const struct yj_bank *bank;
    const struct yj_result *result;
    const struct yj_result *prev;              /* NULL when there is no earlier result */
    bool combined;                             /* result combines several departments */
    const struct yj_diagnosis_list *sources;   /* the diagnoses in result (may be NULL) */
    const struct yj_diagnosis_list *history;   /* finished diagnoses, oldest first (may be NULL) */
    const char *company;                       /* "" when not recorded */
    const char *date;                          /* the report's date, YYYY-MM-DD */
    enum yj_lang lang;
};

/* The whole report as one standalone HTML document. */
void yj_report_html(const struct yj_report_input *in, struct yj_buf *out);
/* The report's content only (a <div class="report">), for pages that bring their own
 * document and stylesheet; yj_report_css() is the stylesheet it needs. */
void yj_report_html_body(const struct yj_report_input *in, struct yj_buf *out);
const char *yj_report_css(void);
/* The result as one JSON object (see docs/json.md), written into j. */
void yj_report_result_json(const struct yj_report_input *in, struct yj_json *j);
/* Finished diagnoses as a JSON array (id, finished_at, department, respondent, total, band,
 * unknown), scored with bank. */
void yj_report_history_json(const struct yj_bank *bank, const struct yj_diagnosis_list *l,
                            struct yj_json *j);
/* SECURITY ACTION readiness as one JSON object (see docs/json.md). */
void yj_report_action_json(const struct yj_action_facts *f, const struct yj_action_status *st,
                           const char *policy_url, enum yj_lang lang, struct yj_json *j);
/* "70〜99点" / "70–99 points" for a band. */
void yj_report_band_range(const struct yj_band *b, enum yj_lang lang, struct yj_buf *out);
/* The department as shown ("全社" for the whole company). */
const char *yj_report_department(const char *dept, enum yj_lang lang);

/* ---- respond -------------------------------------------------------------------------- */

void yj_report_contact_json(const struct yj_contact *c, enum yj_lang lang, struct yj_json *j);
/* The advice for a case (steps, contacts, duties with dates, duties that do not apply and
 * why, report items, what to record), see docs/json.md. */
void yj_report_advice_json(const struct yj_respond_data *r, const struct yj_case *k,
                           const struct yj_advice *a, enum yj_lang lang, struct yj_json *j);
/* The text explaining why a duty does not apply to the case ("" when there is none). */
void yj_report_not_applicable(const struct yj_duty_rule *du, const struct yj_case *k,
                              enum yj_lang lang, struct yj_buf *out);
void yj_report_incident_json(const struct yj_respond_data *r, const struct yj_incident *x,
                             enum yj_lang lang, struct yj_json *j);
/* The incident report for the authorities or the insurer: HTML (standalone, printable) or
 * Markdown. */
void yj_report_incident_html(const struct yj_respond_data *r, const struct yj_incident *x,
                             const char *company, const char *date, enum yj_lang lang,
                             struct yj_buf *out);
void yj_report_incident_md(const struct yj_respond_data *r, const struct yj_incident *x,
                           const char *company, const char *date, enum yj_lang lang,
                           struct yj_buf *out);
/* The name of a duty (its authority and what), of a kind of incident, for lists. */
const char *yj_report_duty_name(const struct yj_respond_data *r, const char *duty_id,
                                enum yj_lang lang);

#endif
