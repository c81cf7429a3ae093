/* The interactive self-diagnosis: one item at a time with progress, answers 1-5, back, skip,
 * quit-and-resume. Every answer is stored as it is given (the draft in the store), so closing
 * the terminal loses nothing; `yojin diagnose` picks the draft up again.
 *
 * It reads whole lines, so it works the same on a terminal, a pseudo-terminal and a pipe. */
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/i18n.h"
#include "base/str.h"
#include "cli.h"
#include "report/report.h"

#define LINE_MAX_BYTES 1024

/* Reads one line (without the newline) into buf; false at end of input. Overlong lines are
 * consumed whole and truncated. */
static bool read_line(char *buf, size_t size)
{
    if (!fgets(buf, (int)size, stdin))
        return false;
    size_t n = strlen(buf);
    if (n && buf[n - 1] == '\n') {
        buf[--n] = '\0';
    } else {
        int ch;
        while ((ch = getchar()) != EOF && ch != '\n')
            ;
    }
    if (n && buf[n - 1] == '\r')
        buf[--n] = '\0';
    return true;
}

static void prompt(struct yj_cli *cli, const char *text)
{
    fputs(text, cli->out);
    fflush(cli->out);
}

/* Maps a typed choice to an answer: 1-5 (ASCII or full-width), codes, Japanese words. */
static bool choice(struct yj_str w, enum yj_answer *out)
{
    static const char *const fullwidth[] = {"１", "２", "３", "４", "５"};
    if (w.n == 1 && w.p[0] >= '1' && w.p[0] <= '5') {
        *out = (enum yj_answer)(YJ_ANS_YES + (w.p[0] - '1'));
        return true;
    }
    for (int i = 0; i < 5; i++) {
        if (yj_str_eq_c(w, fullwidth[i])) {
            *out = (enum yj_answer)(YJ_ANS_YES + i);
            return true;
        }
    }
    return yj_answer_parse(w, out);
}

static void show_item(struct yj_cli *cli, const struct yj_bank *b, int i, enum yj_answer cur)
{
    FILE *o = cli->out;
    enum yj_lang lang = cli->lang;
    const struct yj_item *it = &b->items[i];
    const struct yj_part *p = &b->parts[it->part - 1];
    fprintf(o, "\n");
    fprintf(o, yj_t("tty.progress"), i + 1, YJ_ITEMS, it->part, yj_text_get(&p->title, lang));
    fprintf(o, "\n%s %s\n", it->id, yj_text_get(&it->question, lang));
    fprintf(o, "  %s %s\n", yj_t("tty.why"), yj_text_get(&it->why, lang));
    if (cur != YJ_ANS_NONE)
        fprintf(o, "  %s %s\n", yj_t("tty.current"), yj_answer_label(cur));
    fprintf(o, "  1) %s  2) %s  3) %s  4) %s  5) %s\n", yj_answer_label(YJ_ANS_YES),
            yj_answer_label(YJ_ANS_PARTIAL), yj_answer_label(YJ_ANS_NO),
            yj_answer_label(YJ_ANS_UNKNOWN), yj_answer_label(YJ_ANS_NA));
    fprintf(o, "  %s\n", yj_t("tty.keys"));
}

static int count_unanswered(const struct yj_answers *a, int *first)
{
    int n = 0;
    *first = -1;
    for (int i = YJ_ITEMS - 1; i >= 0; i--) {
        if (a->a[i] == YJ_ANS_NONE) {
            n++;
            *first = i;
        }
    }
    return n;
}

/* The item after pos: the next one, or in review the next unanswered one (YJ_ITEMS: none). */
static int next_pos(const struct yj_answers *a, int pos, bool review)
{
    int i = pos + 1;
    while (review && i < YJ_ITEMS && a->a[i] != YJ_ANS_NONE)
        i++;
    return i;
}

static int db_fail(struct yj_cli *cli, struct yj_store *s)
{
    yj_cli_error(cli, yj_t("cli.db_error"), yj_store_errmsg(s));
    return YJ_EXIT_FAIL;
}

static int saved_for_later(struct yj_cli *cli, int answered)
{
    fprintf(cli->out, "\n");
    fprintf(cli->out, yj_t("tty.saved"), answered, YJ_ITEMS);
    fprintf(cli->out, "\n");
    return YJ_EXIT_OK;
}

static int finish(struct yj_cli *cli, struct yj_store *s, const struct yj_bank *b,
                  const struct yj_diagnosis *draft)
{
    struct yj_result r, prev;
    if (yj_assess_draft_finish(s, b, draft->id, &r))
        return db_fail(cli, s);
    struct yj_diagnosis_list latest;
    bool have_prev = false;
    if (yj_assess_latest(s, draft->id, &latest))
        return db_fail(cli, s);
    for (size_t i = 0; i < latest.n; i++) {
        if (strcmp(latest.v[i].department, draft->department) == 0) {
            yj_assess_score(b, &latest.v[i].answers, &prev);
            have_prev = true;
        }
    }
    yj_diagnosis_list_fini(&latest);
    fprintf(cli->out, "\n%s\n\n", yj_t("tty.done"));
    struct yj_report_input in = {.bank = b, .result = &r, .prev = have_prev ? &prev : NULL,
                                 .lang = cli->lang};
    yj_cli_print_result(cli, &in);
    return YJ_EXIT_OK;
}

int yj_cli_diagnose_tty(struct yj_cli *cli, struct yj_store *s, const struct yj_bank *b,
                        const char *respondent, const char *department, bool fresh)
{
    char line[LINE_MAX_BYTES];
    char dept_buf[LINE_MAX_BYTES], resp_buf[LINE_MAX_BYTES];
    struct yj_diag d;
    int status = YJ_EXIT_OK;

    fprintf(cli->out, "%s\n", yj_t("tty.welcome"));
    if (!department) {
        prompt(cli, yj_t("tty.ask_department"));
        if (!read_line(dept_buf, sizeof dept_buf))
            return saved_for_later(cli, 0);
        struct yj_str t = yj_str_trim(yj_str_c(dept_buf));
        memmove(dept_buf, t.p, t.n);
        dept_buf[t.n] = '\0';
        department = dept_buf;
    }
    yj_diag_init(&d);
    if (yj_assess_check_name(yj_t("diag.department"), department, &d)) {
        yj_cli_diag(cli, &d);
        yj_diag_fini(&d);
        return YJ_EXIT_USAGE;
    }

    struct yj_diagnosis draft;
    bool found;
    if (yj_assess_draft_find(s, department, &draft, &found))
        return db_fail(cli, s);
    if (found && fresh) {
        if (yj_assess_draft_discard(s, draft.id)) {
            yj_diagnosis_fini(&draft);
            return db_fail(cli, s);
        }
        yj_diagnosis_fini(&draft);
        found = false;
    }
    if (found) {
        int first;
        int left = count_unanswered(&draft.answers, &first);
        int64_t t;
        char day[YJ_DATE_LEN] = "";
        if (yj_time_parse_iso(draft.started_at, &t))
            yj_time_local_date(t, day);
        fprintf(cli->out, yj_t("tty.resume"), day, YJ_ITEMS - left, YJ_ITEMS);
        fprintf(cli->out, "\n");
    } else {
        if (!respondent) {
            const char *def = getenv("USER");
            fprintf(cli->out, yj_t("tty.ask_respondent"), def && *def ? def : "-");
            fflush(cli->out);
            if (!read_line(resp_buf, sizeof resp_buf))
                return saved_for_later(cli, 0);
            struct yj_str t = yj_str_trim(yj_str_c(resp_buf));
            memmove(resp_buf, t.p, t.n);
            resp_buf[t.n] = '\0';
            respondent = resp_buf[0] ? resp_buf : def && *def ? def : "-";
        }
        if (yj_assess_check_name(yj_t("diag.respondent"), respondent, &d)) {
            yj_cli_diag(cli, &d);
            yj_diag_fini(&d);
            return YJ_EXIT_USAGE;
        }
        int64_t id;
        if (yj_assess_draft_new(s, b, respondent, department, &id) ||
            yj_assess_draft_find(s, department, &draft, &found) || !found)
            return db_fail(cli, s);
    }
    yj_diag_fini(&d);
    fprintf(cli->out, "%s\n", yj_t("tty.intro"));

    int pos = draft.position >= 0 && draft.position < YJ_ITEMS ? draft.position : 0;
    /* After the first pass, moving on goes to the next unanswered item, not the next one. */
    bool review = false;
    for (;;) {
        int first;
        int left = count_unanswered(&draft.answers, &first);
        if (pos >= YJ_ITEMS) {
            if (left == 0) {
                status = finish(cli, s, b, &draft);
                break;
            }
            fprintf(cli->out, "\n");
            fprintf(cli->out, yj_t("tty.unanswered"), left);
            for (int i = 0, shown = 0; i < YJ_ITEMS; i++)
                if (draft.answers.a[i] == YJ_ANS_NONE)
                    fprintf(cli->out, "%s%s", shown++ ? ", " : " ", b->items[i].id);
            fprintf(cli->out, "\n");
            prompt(cli, yj_t("tty.end_choice"));
            if (!read_line(line, sizeof line)) {
                status = saved_for_later(cli, YJ_ITEMS - left);
                break;
            }
            struct yj_str w = yj_str_trim(yj_str_c(line));
            if (yj_str_eq_ci_c(w, "q")) {
                status = saved_for_later(cli, YJ_ITEMS - left);
                break;
            }
            if (yj_str_eq_ci_c(w, "f")) {
                for (int i = 0; i < YJ_ITEMS; i++) {
                    if (draft.answers.a[i] != YJ_ANS_NONE)
                        continue;
                    if (yj_assess_draft_answer(s, draft.id, i, YJ_ANS_UNKNOWN, YJ_ITEMS)) {
                        status = db_fail(cli, s);
                        goto out;
                    }
                    draft.answers.a[i] = YJ_ANS_UNKNOWN;
                }
                continue;
            }
            pos = first;
            review = true;
            continue;
        }
        show_item(cli, b, pos, draft.answers.a[pos]);
        prompt(cli, "> ");
        if (!read_line(line, sizeof line)) {
            status = saved_for_later(cli, YJ_ITEMS - left);
            break;
        }
        struct yj_str w = yj_str_trim(yj_str_c(line));
        enum yj_answer a;
        if (yj_str_eq_ci_c(w, "q")) {
            if (yj_assess_draft_answer(s, draft.id, pos, draft.answers.a[pos], pos)) {
                status = db_fail(cli, s);
                break;
            }
            status = saved_for_later(cli, YJ_ITEMS - left);
            break;
        } else if (yj_str_eq_ci_c(w, "b")) {
            if (pos == 0)
                fprintf(cli->out, "%s\n", yj_t("tty.at_first"));
            else
                pos--;
        } else if (yj_str_eq_ci_c(w, "s")) {
            pos = next_pos(&draft.answers, pos, review);
        } else if (choice(w, &a)) {
            if (yj_assess_draft_answer(s, draft.id, pos, a, pos + 1)) {
                status = db_fail(cli, s);
                break;
            }
            draft.answers.a[pos] = a;
            pos = next_pos(&draft.answers, pos, review);
        } else {
            fprintf(cli->out, "%s\n", yj_t("tty.bad_key"));
        }
    }
out:
    yj_diagnosis_fini(&draft);
    return status;
}
