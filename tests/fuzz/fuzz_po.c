/* Fuzz target: gettext catalogs (yj_i18n_load_po).
 *
 * The bytes are loaded as the English catalog (the language not in use, so the loader's
 * own messages come from the fallback). An accepted catalog must list each id once, in
 * strictly ascending order (lookups bsearch it), and find every id it lists. A rejected one
 * must say why. The catalogs are dropped after every input. */
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/i18n.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_i18n_load_po(YJ_LANG_EN, "fuzz.po", (const char *)data, size, &d);
    if (err == YJ_ERR_OK) {
        const char *prev = NULL, *id;
        for (size_t i = 0; (id = yj_i18n_id_at(YJ_LANG_EN, i)) != NULL; i++) {
            if (!id[0] || (prev && strcmp(prev, id) >= 0))
                abort();
            const char *t = yj_tl(YJ_LANG_EN, id);
            /* An empty translation falls back to the id itself. */
            if (!t || (yj_i18n_has(YJ_LANG_EN, id) ? t == id : strcmp(t, id) != 0))
                abort();
            prev = id;
        }
        if (yj_i18n_has(YJ_LANG_JA, "po.syntax"))
            abort();
    } else if (d.n == 0) {
        abort();
    }
    yj_i18n_fini();
    yj_diag_fini(&d);
    return 0;
}
