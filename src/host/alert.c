/* Alerts in words and as events: the signature row's catalog texts in the user's language
 * and the EVE "alert" event a sink writes. */
#include <stdio.h>

#include "host.h"

const char *yj_host_alert_name(const struct yj_host_alert *a, enum yj_lang lang)
{
    return yj_tl(lang, yj_host_sig_info(a->sig)->name_id);
}

const char *yj_host_alert_advice(const struct yj_host_alert *a, enum yj_lang lang)
{
    return yj_tl(lang, yj_host_sig_info(a->sig)->advice_id);
}

/* The summaries' printf arguments, per signature (ja and en must agree, the catalog test
 * checks it): brute force and spraying (source, attempts); distributed (account,
 * attempts); compromise (source, failures before, account); new account, password change
 * and first sudo (account); admin group (account, group). */
void yj_host_alert_summary(const struct yj_host_alert *a, enum yj_lang lang, char *out,
                           size_t n)
{
    const char *fmt = yj_tl(lang, yj_host_sig_info(a->sig)->summary_id);
    unsigned long long count = a->count;
    switch (a->sig) {
    case YJ_HOST_SIG_DISTRIBUTED: snprintf(out, n, fmt, a->user, count); break;
    case YJ_HOST_SIG_COMPROMISE: snprintf(out, n, fmt, a->ip, count, a->user); break;
    case YJ_HOST_SIG_ACCOUNT_NEW:
    case YJ_HOST_SIG_PASSWORD_CHANGE:
    case YJ_HOST_SIG_FIRST_SUDO: snprintf(out, n, fmt, a->user); break;
    case YJ_HOST_SIG_ADMIN_GROUP: snprintf(out, n, fmt, a->user, a->group); break;
    default: snprintf(out, n, fmt, a->ip, count); break;
    }
}

void yj_host_alert_text(const struct yj_host_alert *a, char sum[YJ_LANG__COUNT][512],
                        struct yj_event_alert_text *t)
{
    for (int l = 0; l < YJ_LANG__COUNT; l++) {
        enum yj_lang lang = (enum yj_lang)l;
        yj_host_alert_summary(a, lang, sum[l], sizeof sum[l]);
        t->name[l] = yj_host_alert_name(a, lang);
        t->summary[l] = sum[l];
        t->advice[l] = yj_host_alert_advice(a, lang);
    }
}

void yj_host_alert_event(const struct yj_host_alert *a, enum yj_lang lang, const char *summary,
                         struct yj_event *ev)
{
    const struct yj_host_sig_info *si = yj_host_sig_info(a->sig);
    *ev = (struct yj_event){
        .type = YJ_EVENT_ALERT,
        .ts = a->last,
        .src_ip = a->ip,
        .u.alert = {
            .signature_id = si->id,
            .code = si->code,
            .signature = yj_host_alert_name(a, lang),
            .severity = si->severity,
            .category = si->category,
            .user = a->user,
            .count = a->count,
            .summary = summary,
            .advice = yj_host_alert_advice(a, lang),
            .playbook = si->playbook,
        },
    };
}
