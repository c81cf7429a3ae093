/* Fuzz target: answers files (yj_answers_parse), the one format a user writes by hand.
 *
 * Besides "no crash, no leak" it checks what the parser promises: on success every item
 * has a real answer and the set survives a round trip through its own text form, the
 * result does not depend on whether a diag is passed, and scoring it with the shipped
 * bank lands in a band; on failure at least one message says why and *out is untouched. */
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "base/file.h"
#include "fuzz.h"

/* The shipped bank, loaded once (NULL when it cannot be read). */
static const struct yj_bank *shipped_bank(void)
{
    static struct yj_bank bank;
    static int state; /* 0 not tried, 1 loaded, -1 failed */
    if (state == 0) {
        char *path = yj_share_path("assess/bank.yaml");
        state = yj_bank_load(&bank, path, NULL) == YJ_ERR_OK ? 1 : -1;
        free(path);
    }
    return state == 1 ? &bank : NULL;
}

static void check_parsed(const struct yj_answers *a)
{
    for (int i = 0; i < YJ_ITEMS; i++)
        if (a->a[i] <= YJ_ANS_NONE || a->a[i] >= YJ_ANS__COUNT)
            abort();

    /* Written back as "Q07 partial" lines, it must read the same. */
    char text[YJ_ITEMS * 24];
    size_t len = 0;
    for (int i = 0; i < YJ_ITEMS; i++) {
        const char *code = yj_answer_code(a->a[i]);
        size_t cn = strlen(code);
        text[len++] = 'Q';
        text[len++] = (char)('0' + (i + 1) / 10);
        text[len++] = (char)('0' + (i + 1) % 10);
        text[len++] = ' ';
        memcpy(text + len, code, cn);
        len += cn;
        text[len++] = '\n';
    }
    struct yj_answers again;
    if (yj_answers_parse("roundtrip", text, len, &again, NULL) != YJ_ERR_OK ||
        memcmp(&again, a, sizeof again) != 0)
        abort();

    const struct yj_bank *b = shipped_bank();
    if (b) {
        struct yj_result r;
        yj_assess_score(b, a, &r);
        if (!r.complete || !r.band || r.total < -YJ_ITEMS || r.total > 4 * YJ_ITEMS)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    yj_fuzz_load_catalogs();
    const char *p = (const char *)data;

    struct yj_answers a, b;
    memset(&a, 0xa5, sizeof a);
    memset(&b, 0xa5, sizeof b);
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_answers_parse("fuzz.txt", p, size, &a, &d);
    enum yj_err err2 = yj_answers_parse("fuzz.txt", p, size, &b, NULL);
    if (err != err2 || memcmp(&a, &b, sizeof a) != 0)
        abort();
    if (err == YJ_ERR_OK) {
        check_parsed(&a);
    } else {
        struct yj_answers untouched;
        memset(&untouched, 0xa5, sizeof untouched);
        if (d.n == 0 || memcmp(&a, &untouched, sizeof a) != 0)
            abort();
    }
    yj_diag_fini(&d);
    return 0;
}
