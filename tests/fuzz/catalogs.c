/* The shipped catalogs for the fuzz targets whose parsers report diagnostics (answers,
 * bank, yaml). The po target does not use this: it owns the catalogs while it runs. */
#include <stdbool.h>
#include <stdlib.h>

#include "base/err.h"
#include "base/file.h"
#include "base/i18n.h"
#include "fuzz.h"

void yj_fuzz_load_catalogs(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    char *dir = yj_share_path("po");
    struct yj_diag d;
    yj_diag_init(&d);
    if (yj_i18n_init(dir, &d) != YJ_ERR_OK)
        yj_i18n_fini(); /* run with ids as messages rather than half a catalog */
    yj_diag_fini(&d);
    free(dir);
}
