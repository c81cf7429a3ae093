/* The result of a diagnosis as text for the terminal. */
#include <string.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "cli.h"
#include "report/report.h"

#define WEAK_SHOWN 5

static void bar(FILE *o, int score, int max)
{
    const int width = 20;
    int filled = max > 0 && score > 0 ? score * width / max : 0;
    fputc('[', o);
    for (int i = 0; i < width; i++)
        fputs(i < filled ? "#" : ".", o);
    fputc(']', o);
}

void yj_cli_print_result(struct yj_cli *cli, const struct yj_report_input *in)
{
    FILE *o = cli->out;
    const struct yj_result *r = in->result;
    const struct yj_bank *b = in->bank;
    enum yj_lang lang = in->lang;

    if (in->combined && in->sources) {
        fprintf(o, "%s\n", yj_tl(lang, "diag.combined_head"));
        for (size_t i = 0; i < in->sources->n; i++) {
            const struct yj_diagnosis *x = &in->sources->v[i];
            fprintf(o, "  - %s (%s, %.10s): %d\n", yj_report_department(x->department, lang),
                    x->respondent, x->finished_at ? x->finished_at : "", x->total);
        }
        fputc('\n', o);
    }
    struct yj_buf range;
    yj_buf_init(&range, 256);
    yj_report_band_range(r->band, lang, &range);
    fprintf(o, yj_tl(lang, "diag.total"), r->total, 4 * YJ_ITEMS);
    fprintf(o, "  (%s)\n", yj_buf_cstr(&range));
    yj_buf_fini(&range);
    if (r->band) {
        fprintf(o, "  %s\n", yj_text_get(&r->band->summary, lang));
        fprintf(o, "  %s %s\n", yj_tl(lang, "diag.next"), yj_text_get(&r->band->next, lang));
    }
    if (in->prev) {
        int delta = r->total - in->prev->total;
        fprintf(o, yj_tl(lang, "diag.change"), in->prev->total, r->total, delta);
        fputc('\n', o);
    }
    fprintf(o, "\n%s\n", yj_tl(lang, "diag.parts"));
    for (int p = 0; p < YJ_PARTS; p++) {
        fprintf(o, "  %d. ", p + 1);
        bar(o, r->part_score[p], r->part_max[p]);
        fprintf(o, " %3d / %2d  %s\n", r->part_score[p], r->part_max[p],
                yj_text_get(&b->parts[p].title, lang));
    }
    if (r->nunknown) {
        fprintf(o, "\n%s\n", yj_tl(lang, "diag.unknown_head"));
        for (size_t i = 0; i < r->nunknown; i++) {
            const struct yj_item *it = &b->items[r->unknown[i]];
            fprintf(o, "  %s %s\n", it->id, yj_text_get(&it->question, lang));
        }
    }
    if (r->nna) {
        fprintf(o, "\n%s\n", yj_tl(lang, "diag.na_head"));
        for (size_t i = 0; i < r->nna; i++) {
            const struct yj_item *it = &b->items[r->not_applicable[i]];
            fprintf(o, "  %s %s\n", it->id, yj_text_get(&it->question, lang));
        }
    }
    if (r->nweak) {
        fprintf(o, "\n%s\n", yj_tl(lang, "diag.weak_head"));
        size_t shown = r->nweak < WEAK_SHOWN ? r->nweak : WEAK_SHOWN;
        for (size_t i = 0; i < shown; i++) {
            int idx = r->weak[i];
            const struct yj_item *it = &b->items[idx];
            fprintf(o, "  %s [%s, %d] %s\n", it->id, yj_tl(lang, yj_answer_key(r->answers.a[idx])),
                    r->points[idx], yj_text_get(&it->question, lang));
            fprintf(o, "      -> %s\n", yj_text_get(&it->advice, lang));
        }
        if (r->nweak > shown) {
            fprintf(o, yj_tl(lang, "diag.weak_more"), (int)(r->nweak - shown));
            fputc('\n', o);
        }
    }
    fprintf(o, "\n%s\n", yj_tl(lang, "diag.report_hint"));
}
