/* Fuzz target: question banks (yj_bank_load_mem), YAML that yojin validates field by field.
 *
 * A bank the loader accepts must hold what assess.h relies on: 25 items Q01..Q25 each in
 * its part, parts tiling 1..25, text in both languages, bands covering -25..100 so that any
 * score finds one. A rejected bank must come with at least one message. */
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "fuzz.h"

static void check_text(const struct yj_text *t)
{
    for (int l = 0; l < YJ_LANG__COUNT; l++)
        if (!t->v[l] || !t->v[l][0])
            abort();
    if (!yj_text_get(t, YJ_LANG_JA) || !yj_text_get(t, YJ_LANG_EN))
        abort();
}

static void check_bank(const struct yj_bank *b)
{
    if (!b->name || !b->source || !b->as_of || !b->file || b->version < 1)
        abort();
    int next = 1;
    for (int i = 0; i < YJ_PARTS; i++) {
        const struct yj_part *p = &b->parts[i];
        if (p->part != i + 1 || p->first != next || p->last < p->first ||
            p->max != 4 * (p->last - p->first + 1))
            abort();
        check_text(&p->title);
        next = p->last + 1;
    }
    if (next != YJ_ITEMS + 1 || b->nbands < 1 || b->nbands > YJ_BANDS_MAX)
        abort();
    for (size_t i = 0; i < b->nbands; i++) {
        check_text(&b->bands[i].summary);
        check_text(&b->bands[i].next);
    }
    for (int i = 0; i < YJ_ITEMS; i++) {
        const struct yj_item *it = &b->items[i];
        if (it->num != i + 1 || it->id[0] != 'Q' || yj_item_index(yj_str_c(it->id)) != i ||
            it->part < 1 || it->part > YJ_PARTS || !it->topic)
            abort();
        const struct yj_part *p = &b->parts[it->part - 1];
        if (it->num < p->first || it->num > p->last)
            abort();
        check_text(&it->question);
        check_text(&it->why);
        check_text(&it->advice);
    }
    /* Every possible total lies in a band: try the extremes and a spread in between. */
    for (int k = 0; k < YJ_ANS__COUNT + 3; k++) {
        struct yj_answers a;
        for (int i = 0; i < YJ_ITEMS; i++)
            a.a[i] = k < YJ_ANS__COUNT ? (enum yj_answer)k
                                       : (enum yj_answer)((i * (k + 1)) % YJ_ANS__COUNT);
        struct yj_result r;
        yj_assess_score(b, &a, &r);
        if (!r.band || r.total < r.band->min || r.total > r.band->max)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    yj_fuzz_load_catalogs();
    struct yj_bank b;
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_bank_load_mem(&b, "fuzz.yaml", (const char *)data, size, &d);
    if (err == YJ_ERR_OK)
        check_bank(&b);
    else if (d.n == 0)
        abort();
    yj_bank_fini(&b); /* also safe after a failed load, which leaves b empty */
    yj_diag_fini(&d);
    return 0;
}
