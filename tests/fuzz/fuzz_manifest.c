/* Fuzz target: the manifest of an evidence archive (yj_manifest_parse), outside input that
 * `yojin collect --verify` reads from archives anyone may have built.
 *
 * Besides "no crash, no leak" it checks what the parser promises: on success every path is
 * a safe name, the entries are sorted and unique, each is found again by yj_manifest_find
 * (also through a view that is not NUL-terminated), and the manifest written back in its
 * canonical form parses to the same entries; on failure at least one message says why. */
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "evidence/evidence.h"
#include "fuzz.h"

static void check_parsed(const struct yj_manifest *m)
{
    struct yj_buf again;
    yj_buf_init(&again, 0);
    for (size_t i = 0; i < m->n; i++) {
        const struct yj_manifest_entry *e = &m->v[i];
        size_t n = strlen(e->path);
        if (!yj_ev_name_ok(e->path, n) || e->line == 0)
            abort();
        if (i > 0 && strcmp(m->v[i - 1].path, e->path) >= 0)
            abort();
        char *copy = malloc(n + 1);
        if (!copy)
            abort();
        memcpy(copy, e->path, n);
        copy[n] = '/'; /* not a terminator: the lookup must use n */
        if (yj_manifest_find(m, copy, n) != e)
            abort();
        free(copy);
        char hex[YJ_SHA256_HEX];
        yj_sha256_hex(e->sha256, hex);
        yj_buf_printf(&again, "%s  %s\n", hex, e->path);
    }
    struct yj_manifest m2;
    if (yj_manifest_parse(&m2, "again", again.p ? again.p : "", again.len, NULL) !=
            (m->n ? YJ_ERR_OK : YJ_ERR_PARSE) ||
        m2.n != m->n)
        abort();
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m2.v[i].path, m->v[i].path) != 0 ||
            memcmp(m2.v[i].sha256, m->v[i].sha256, YJ_SHA256_LEN) != 0)
            abort();
    yj_manifest_fini(&m2);
    yj_buf_fini(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    yj_fuzz_load_catalogs();
    struct yj_manifest m;
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_manifest_parse(&m, "manifest.sha256", (const char *)data, size, &d);
    if (err == YJ_ERR_OK) {
        if (d.n != 0 || m.n == 0)
            abort();
        check_parsed(&m);
    } else if (d.n == 0 || (err != YJ_ERR_PARSE && err != YJ_ERR_LIMIT)) {
        abort();
    }
    /* The name rule on raw bytes must hold up too. */
    (void)yj_ev_name_ok((const char *)data, size);
    yj_manifest_fini(&m);
    yj_diag_fini(&d);
    return 0;
}
