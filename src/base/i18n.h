/* User-visible text: message catalogs in standard gettext .po files (data/po/ja.po,
 * data/po/en.po), looked up by symbolic ids of the form area.name.
 *
 * The catalogs are process-wide and loaded once at start; returned strings belong to them
 * and live until yj_i18n_fini. Without a catalog, or for an unknown id, yj_t returns the
 * other language's text, or the id itself, so a missing translation is visible but harmless.
 * Tests check that both catalogs have every id the code uses. */
#ifndef YJ_BASE_I18N_H
#define YJ_BASE_I18N_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

enum yj_lang { YJ_LANG_JA, YJ_LANG_EN, YJ_LANG__COUNT };

/* Loads <dir>/ja.po and <dir>/en.po. */
enum yj_err yj_i18n_init(const char *dir, struct yj_diag *d) YJ_MUST;
void yj_i18n_fini(void);
/* Parses one .po buffer into the catalog for lang (replacing it). */
enum yj_err yj_i18n_load_po(enum yj_lang lang, const char *name, const char *p, size_t n,
                            struct yj_diag *d) YJ_MUST;

void yj_lang_set(enum yj_lang lang);
enum yj_lang yj_lang_get(void);
/* "ja", "en", "ja_JP.UTF-8", "en-US" ...; false for anything else. */
bool yj_lang_parse(const char *s, enum yj_lang *out);
const char *yj_lang_code(enum yj_lang lang);

/* Text in both languages, as data files carry it ({ja: ..., en: ...}); yj_text_get picks
 * one (Japanese when the other is missing, "" when both are). */
struct yj_text {
    const char *v[YJ_LANG__COUNT];
};
const char *yj_text_get(const struct yj_text *t, enum yj_lang lang);

const char *yj_t(const char *id);
const char *yj_tl(enum yj_lang lang, const char *id);
/* True when the catalog for lang has id (no fallback). */
bool yj_i18n_has(enum yj_lang lang, const char *id);
/* Iterates the ids of lang's catalog: i from 0 while it returns non-NULL. */
const char *yj_i18n_id_at(enum yj_lang lang, size_t i);

#endif
