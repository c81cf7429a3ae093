/* The JSON forms of a collection (collect.json inside the archive, and `collect --json`) and
 * of a verification (`collect --verify FILE --json`). Field names are stable; texts
 * ("reason") are in the current language, next to stable codes. docs/collect.md shows both. */
#include "base/date.h"
#include "base/file.h"
#include "base/i18n.h"
#include "evidence_int.h"

#define FORMAT "yojin-evidence/1"

static void time_field(struct yj_json *j, const char *key, int64_t t)
{
    char iso[YJ_ISO_LEN];
    yj_time_iso(t, iso);
    yj_json_kstr(j, key, iso);
}

static void counts(struct yj_json *j, const struct yj_evidence_counts *n)
{
    yj_json_key(j, "counts");
    yj_json_obj(j);
    yj_json_kint(j, "users_logged_in", (int64_t)n->users_logged_in);
    yj_json_kint(j, "login_records", (int64_t)n->login_records);
    yj_json_kint(j, "failed_login_records", (int64_t)n->failed_login_records);
    yj_json_kint(j, "processes", (int64_t)n->processes);
    yj_json_kint(j, "executables_hashed", (int64_t)n->exe_hashed);
    yj_json_kint(j, "executables_deleted", (int64_t)n->exe_deleted);
    yj_json_kint(j, "sockets", (int64_t)n->sockets);
    yj_json_kint(j, "listening", (int64_t)n->listening);
    yj_json_kint(j, "established", (int64_t)n->established);
    yj_json_kint(j, "scheduled_files", (int64_t)n->scheduled_files);
    yj_json_kint(j, "timers", (int64_t)n->timers);
    yj_json_kint(j, "recent_files", (int64_t)n->recent_files);
    yj_json_kint(j, "files_looked_at", (int64_t)n->files_visited);
    yj_json_kint(j, "logs", (int64_t)n->logs);
    yj_json_end_obj(j);
}

void yj_evidence_result_json(const struct yj_evidence_result *r, struct yj_json *j,
                             bool with_archive)
{
    yj_json_obj(j);
    yj_json_kstr(j, "format", FORMAT);
    yj_json_kstr(j, "yojin_version", yj_version());
    yj_json_kstr(j, "top", r->top);
    yj_json_kstr(j, "host", r->host);
    yj_json_kstr(j, "os", r->os);
    yj_json_kstr(j, "clocksource", r->clocksource);
    time_field(j, "started", r->started);
    if (r->finished)
        time_field(j, "finished", r->finished);
    else
        yj_json_kstr(j, "finished", NULL);
    yj_json_key(j, "run_by");
    yj_json_obj(j);
    yj_json_kint(j, "uid", r->uid);
    yj_json_kint(j, "euid", r->euid);
    yj_json_kstr(j, "user", r->user);
    yj_json_kstr(j, "sudo_user", r->sudo_user);
    yj_json_kbool(j, "root", r->root);
    yj_json_end_obj(j);
    yj_json_kint(j, "days", r->days);
    counts(j, &r->counts);

    yj_json_key(j, "items");
    yj_json_arr(j);
    for (size_t i = 0; i < r->n_items; i++) {
        const struct yj_evidence_item *it = &r->items[i];
        yj_json_obj(j);
        yj_json_kstr(j, "path", it->path);
        yj_json_kstr(j, "area", yj_ev_area_code(it->area));
        yj_json_kstr(j, "source", it->source);
        yj_json_kint(j, "bytes", (int64_t)it->size);
        yj_json_kstr(j, "sha256", it->sha256);
        yj_json_kbool(j, "truncated", it->truncated);
        if (it->offset)
            yj_json_kint(j, "offset", (int64_t)it->offset);
        yj_json_end_obj(j);
    }
    yj_json_end_arr(j);

    yj_json_key(j, "skipped");
    yj_json_arr(j);
    for (size_t i = 0; i < r->n_skips; i++) {
        const struct yj_evidence_skip *s = &r->skips[i];
        yj_json_obj(j);
        yj_json_kstr(j, "area", yj_ev_area_code(s->area));
        yj_json_kstr(j, "subject", s->subject);
        yj_json_kstr(j, "code", yj_ev_why_code(s->why));
        yj_json_kstr(j, "reason", yj_t(yj_ev_why_text_id(s->why)));
        yj_json_kstr(j, "detail", s->detail);
        yj_json_kint(j, "count", (int64_t)s->count);
        yj_json_end_obj(j);
    }
    yj_json_end_arr(j);
    yj_json_kint(j, "skipped_not_listed", (int64_t)r->skips_dropped);

    if (with_archive) {
        yj_json_key(j, "archive");
        yj_json_obj(j);
        yj_json_kstr(j, "path", r->path);
        yj_json_kint(j, "bytes", (int64_t)r->size);
        yj_json_kstr(j, "sha256", r->sha256);
        yj_json_end_obj(j);
    }
    yj_json_end_obj(j);
}

void yj_evidence_check_json(const struct yj_evidence_check *c, struct yj_json *j)
{
    yj_json_obj(j);
    yj_json_kbool(j, "ok", c->ok);
    yj_json_kstr(j, "top", c->top);
    yj_json_kstr(j, "sha256", c->sha256[0] ? c->sha256 : NULL);
    yj_json_kint(j, "entries", (int64_t)c->entries);
    yj_json_kint(j, "listed", (int64_t)c->listed);
    yj_json_key(j, "problems");
    yj_json_arr(j);
    for (size_t i = 0; i < c->n; i++) {
        const struct yj_evidence_problem *p = &c->v[i];
        yj_json_obj(j);
        yj_json_kstr(j, "code", yj_ev_problem_code(p->kind));
        yj_json_kstr(j, "name", p->name);
        if (p->line)
            yj_json_kint(j, "line", p->line);
        if (p->msg)
            yj_json_kstr(j, "message", p->msg);
        yj_json_end_obj(j);
    }
    yj_json_end_arr(j);
    yj_json_kint(j, "problems_not_listed", (int64_t)c->dropped);
    yj_json_end_obj(j);
}
