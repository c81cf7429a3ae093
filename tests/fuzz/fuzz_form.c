/* Fuzz target: HTML form bodies (application/x-www-form-urlencoded) as the console parses
 * them (yj_http_parse_form). The parser is private to src/web, so this target includes the
 * module's private header; it is test code, not a module.
 *
 * Checks: no crash or leak; an accepted form has at most YJ_WEB_MAX_FIELDS fields, each with
 * a non-empty name, and every name and value is text (valid UTF-8 without control characters
 * other than tab and line breaks). */
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "fuzz.h"
#include "web/web_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct yj_req rq;
    memset(&rq, 0, sizeof rq);
    yj_arena_init(&rq.arena);
    if (yj_http_parse_form(&rq, (const char *)data, size)) {
        if (rq.nfields > YJ_WEB_MAX_FIELDS)
            abort();
        for (size_t i = 0; i < rq.nfields; i++) {
            const struct yj_field *f = &rq.fields[i];
            if (!f->name[0] || !yj_str_is_text_nl(yj_str_c(f->name)) ||
                !yj_str_is_text_nl(yj_str_c(f->value)))
                abort();
            if (yj_form(&rq, f->name) == NULL)
                abort();
        }
    }
    yj_arena_fini(&rq.arena);
    return 0;
}
