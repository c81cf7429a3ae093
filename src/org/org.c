/* Company profile storage and validation. Stored as key/value rows so that new fields need
 * no migration of old data. */
#include "org.h"

#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/i18n.h"
#include "base/str.h"

static const struct yj_migration migrations[] = {
    {1, "CREATE TABLE org_profile(key TEXT PRIMARY KEY, value TEXT NOT NULL, "
        "updated_at TEXT NOT NULL)"},
};

const struct yj_schema yj_org_schema = {"org", migrations,
                                        sizeof migrations / sizeof migrations[0]};

static const struct {
    const char *name, *label;
    size_t max;
} fields[YJ_ORG__COUNT] = {
#define YJ_ORG_ROW(m, key, mx) {#m, key, mx},
    YJ_ORG_FIELDS(YJ_ORG_ROW)
#undef YJ_ORG_ROW
};

const char *yj_org_field_name(enum yj_org_field f)
{
    return (unsigned)f < YJ_ORG__COUNT ? fields[f].name : "";
}

const char *yj_org_field_label(enum yj_org_field f)
{
    return (unsigned)f < YJ_ORG__COUNT ? yj_t(fields[f].label) : "";
}

char **yj_org_field(struct yj_org *o, enum yj_org_field f)
{
    switch (f) {
#define YJ_ORG_CASE(m, key, max) \
    case YJ_ORG_##m:             \
        return &o->m;
        YJ_ORG_FIELDS(YJ_ORG_CASE)
#undef YJ_ORG_CASE
    default:
        return NULL;
    }
}

const char *yj_org_get_field(const struct yj_org *o, enum yj_org_field f)
{
    char **p = yj_org_field((struct yj_org *)o, f);
    return p && *p ? *p : "";
}

bool yj_org_has_policy(const struct yj_org *o)
{
    return (o->policy_date && *o->policy_date) || (o->policy_url && *o->policy_url);
}

void yj_org_fini(struct yj_org *o)
{
    for (int f = 0; f < YJ_ORG__COUNT; f++) {
        char **p = yj_org_field(o, (enum yj_org_field)f);
        free(*p);
        *p = NULL;
    }
}

static bool is_url(const char *v)
{
    size_t n = strlen(v);
    if (strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] <= 0x20 || v[i] == '"' || v[i] == '<' || v[i] == '>')
            return false;
    return n > 8;
}

enum yj_err yj_org_check(enum yj_org_field f, const char *v, struct yj_diag *d)
{
    if ((unsigned)f >= YJ_ORG__COUNT)
        return YJ_ERR_INVALID;
    if (!v || !*v)
        return YJ_ERR_OK;
    if (strlen(v) > fields[f].max)
        return yj_diag_fail(d, YJ_ERR_LIMIT, NULL, 0, yj_t("org.too_long"),
                            yj_org_field_label(f), fields[f].max);
    if (!yj_str_is_text(yj_str_c(v)))
        return yj_diag_fail(d, YJ_ERR_INVALID, NULL, 0, yj_t("org.not_text"),
                            yj_org_field_label(f));
    if ((f == YJ_ORG_website || f == YJ_ORG_policy_url) && !is_url(v))
        return yj_diag_fail(d, YJ_ERR_INVALID, NULL, 0, yj_t("org.bad_url"),
                            yj_org_field_label(f), v);
    struct yj_date day;
    if (f == YJ_ORG_policy_date && !yj_date_parse(v, &day))
        return yj_diag_fail(d, YJ_ERR_INVALID, NULL, 0, yj_t("org.bad_date"),
                            yj_org_field_label(f), v);
    return YJ_ERR_OK;
}

enum yj_err yj_org_load(struct yj_store *s, struct yj_org *out)
{
    memset(out, 0, sizeof *out);
    struct yj_stmt *st;
    enum yj_err err = yj_stmt_prepare(s, "SELECT key, value FROM org_profile", &st);
    if (err)
        return err;
    bool row;
    while (!(err = yj_stmt_step(st, &row)) && row) {
        const char *k = yj_col_text(st, 0), *v = yj_col_text(st, 1);
        for (int f = 0; k && v && f < YJ_ORG__COUNT; f++) {
            if (strcmp(k, fields[f].name) == 0) {
                char **p = yj_org_field(out, (enum yj_org_field)f);
                free(*p);
                *p = yj_xstrdup(v);
            }
        }
    }
    yj_stmt_free(st);
    if (err)
        yj_org_fini(out);
    return err;
}

enum yj_err yj_org_write(struct yj_store *s, const struct yj_org *o, struct yj_diag *d)
{
    enum yj_err err = YJ_ERR_OK;
    for (int f = 0; f < YJ_ORG__COUNT; f++) {
        enum yj_err e = yj_org_check((enum yj_org_field)f,
                                     yj_org_get_field(o, (enum yj_org_field)f), d);
        if (e)
            err = e;
    }
    if (err)
        return err;
    char now[YJ_ISO_LEN];
    yj_time_iso(yj_now(), now);
    struct yj_stmt *st;
    if ((err = yj_stmt_prepare(s,
                               "INSERT INTO org_profile(key, value, updated_at) VALUES(?1, ?2, ?3) "
                               "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
                               "updated_at = excluded.updated_at",
                               &st)))
        return err;
    for (int f = 0; !err && f < YJ_ORG__COUNT; f++) {
        if ((err = yj_stmt_reset(st)))
            break;
        if (!(err = yj_stmt_text(st, 1, fields[f].name)) &&
            !(err = yj_stmt_text(st, 2, yj_org_get_field(o, (enum yj_org_field)f))) &&
            !(err = yj_stmt_text(st, 3, now)))
            err = yj_stmt_run(st);
    }
    yj_stmt_free(st);
    return err;
}

enum yj_err yj_org_save(struct yj_store *s, const struct yj_org *o, struct yj_diag *d)
{
    enum yj_err err = yj_store_begin(s);
    if (err)
        return err;
    err = yj_org_write(s, o, d);
    if (!err)
        err = yj_store_commit(s);
    if (err)
        yj_store_rollback(s);
    return err;
}
