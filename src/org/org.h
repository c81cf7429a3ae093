/* The company profile: who yojin works for (name, industry, size, prefecture, website) and
 * the state of its basic security policy. One row in the store, owned by this module.
 * struct yj_org owns its strings; yj_org_fini frees them. */
#ifndef YJ_ORG_ORG_H
#define YJ_ORG_ORG_H

#include <stdbool.h>

#include "base/err.h"
#include "store/store.h"

extern const struct yj_schema yj_org_schema;

/* The profile's fields, one row each: YJ_ORG_FIELD(member, catalog label key, max bytes). */
#define YJ_ORG_FIELDS(X)                                  \
    X(name, "org.name", 200)                              \
    X(industry, "org.industry", 100)                      \
    X(size, "org.size", 20)                               \
    X(prefecture, "org.prefecture", 20)                   \
    X(website, "org.website", 500)                        \
    X(policy_date, "org.policy_date", 10)                 \
    X(policy_url, "org.policy_url", 500)

struct yj_org {
#define YJ_ORG_MEMBER(m, key, max) char *m;
    YJ_ORG_FIELDS(YJ_ORG_MEMBER)
#undef YJ_ORG_MEMBER
};

enum yj_org_field {
#define YJ_ORG_ENUM(m, key, max) YJ_ORG_##m,
    YJ_ORG_FIELDS(YJ_ORG_ENUM)
#undef YJ_ORG_ENUM
    YJ_ORG__COUNT
};

const char *yj_org_field_name(enum yj_org_field f);  /* "name", "industry", ... */
const char *yj_org_field_label(enum yj_org_field f); /* user text */
char **yj_org_field(struct yj_org *o, enum yj_org_field f);
const char *yj_org_get_field(const struct yj_org *o, enum yj_org_field f); /* never NULL */

/* Loads the profile (empty fields when none is stored). */
enum yj_err yj_org_load(struct yj_store *s, struct yj_org *out) YJ_MUST;
/* Validates every field, then stores them all in one transaction. */
enum yj_err yj_org_save(struct yj_store *s, const struct yj_org *o, struct yj_diag *d) YJ_MUST;
/* The same inside the caller's transaction (nothing is written when a field is invalid). */
enum yj_err yj_org_write(struct yj_store *s, const struct yj_org *o, struct yj_diag *d) YJ_MUST;
/* Checks one field's value (length, text, URL and date shape). */
enum yj_err yj_org_check(enum yj_org_field f, const char *v, struct yj_diag *d) YJ_MUST;
void yj_org_fini(struct yj_org *o);
/* A basic security policy is recorded (its date or where it is published). */
bool yj_org_has_policy(const struct yj_org *o);

#endif
