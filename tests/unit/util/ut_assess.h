/* Helpers for the assess and report tests: the shipped bank, answers written as a string. */
#ifndef YJ_UT_ASSESS_H
#define YJ_UT_ASSESS_H

#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "ut.h"

/* One letter per item, Q01 first: y yes, p partial, n no, u unknown, a not applicable,
 * - not answered. Spaces are ignored (for grouping by part). */
static inline void ut_answers(struct yj_answers *a, const char *codes)
{
    memset(a, 0, sizeof *a);
    int i = 0;
    for (const char *c = codes; *c; c++) {
        enum yj_answer v = YJ_ANS_NONE;
        switch (*c) {
        case ' ': continue;
        case 'y': v = YJ_ANS_YES; break;
        case 'p': v = YJ_ANS_PARTIAL; break;
        case 'n': v = YJ_ANS_NO; break;
        case 'u': v = YJ_ANS_UNKNOWN; break;
        case 'a': v = YJ_ANS_NA; break;
        case '-': v = YJ_ANS_NONE; break;
        default: fail_msg("bad answer letter '%c'", *c);
        }
        assert_true(i < YJ_ITEMS);
        a->a[i++] = v;
    }
    assert_int_equal(i, YJ_ITEMS);
}

/* data/assess/bank.yaml, loaded; fails the test otherwise. */
static inline void ut_bank_real(struct yj_bank *b)
{
    char *path = ut_src_path("data/assess/bank.yaml");
    struct yj_diag d;
    yj_diag_init(&d);
    enum yj_err err = yj_bank_load(b, path, &d);
    if (err)
        ut_diag_dump(&d);
    yj_diag_fini(&d);
    free(path);
    assert_int_equal(err, YJ_ERR_OK);
}

#endif
