/* One stored alert as a JSON object, for the console's API (and any script that reads the
 * store): the words in both languages, times as ISO 8601 UTC, the EVE line as an object. */
#include <string.h>

#include "alert.h"
#include "base/date.h"

static void words(struct yj_json *j, const char *key, const struct yj_text *t)
{
    yj_json_key(j, key);
    yj_json_obj(j);
    for (int l = 0; l < YJ_LANG__COUNT; l++)
        yj_json_kstr(j, yj_lang_code((enum yj_lang)l), t->v[l] ? t->v[l] : "");
    yj_json_end_obj(j);
}

static void time_or_null(struct yj_json *j, const char *key, int64_t t)
{
    char iso[YJ_ISO_LEN];
    yj_time_iso(t, iso);
    yj_json_kstr(j, key, t ? iso : NULL);
}

/* "" as null: absent addresses, accounts and files. */
static void str_or_null(struct yj_json *j, const char *key, const char *s)
{
    yj_json_kstr(j, key, s && *s ? s : NULL);
}

void yj_alert_json(const struct yj_alert *a, struct yj_json *j)
{
    yj_json_obj(j);
    yj_json_kint(j, "id", a->id);
    time_or_null(j, "first", a->first_ts);
    time_or_null(j, "last", a->last_ts);
    yj_json_kint(j, "signature_id", a->signature_id);
    yj_json_kstr(j, "code", a->code);
    yj_json_kstr(j, "category", a->category);
    yj_json_kint(j, "severity", a->severity);
    str_or_null(j, "src_ip", a->src_ip);
    str_or_null(j, "dest_ip", a->dest_ip);
    str_or_null(j, "user", a->user);
    str_or_null(j, "subject", a->subject);
    yj_json_kint(j, "count", a->count);
    words(j, "name", &a->name);
    words(j, "summary", &a->summary);
    words(j, "advice", &a->advice);
    yj_json_kstr(j, "playbook", a->playbook);
    yj_json_kstr(j, "origin", a->origin);
    yj_json_kstr(j, "status", yj_alert_status_code(a->status));
    str_or_null(j, "changed_by", a->changed_by);
    time_or_null(j, "changed_at", a->changed_ts);
    str_or_null(j, "note", a->note);
    if (a->incident_id)
        yj_json_kint(j, "incident_id", a->incident_id);
    else
        yj_json_kstr(j, "incident_id", NULL);
    yj_json_kstr(j, "eve", a->eve && *a->eve ? a->eve : NULL);
    yj_json_end_obj(j);
}
