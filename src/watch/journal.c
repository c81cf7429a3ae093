/* The systemd journal through libsystemd: each entry's time, program (SYSLOG_IDENTIFIER,
 * else _COMM), host and MESSAGE become one record for the host scanner, the same parsers and
 * detectors as for log files. Events name "journal" as their file and the entry's number
 * in this run as their line.
 *
 * Where to start: the cursor saved in the store by the last run (so nothing is read twice
 * or skipped across a restart), else the end of the journal (history is `yojin logscan`'s
 * job), or its start with --from-start. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-journal.h>
#include <time.h>

#include "base/i18n.h"
#include "watch_int.h"

#define SOURCE "journal"

struct journal {
    sd_journal *j;
    int fd;
    uint64_t n;
    char *cursor; /* of the last entry read, not yet saved */
    bool dirty;
    struct yj_host_scan *scan;
    struct yj_host_file_stats st;
};

static char *saved_cursor(struct yj_store *st)
{
    struct yj_stmt *q;
    bool row = false;
    char *c = NULL;
    if (!st || yj_stmt_prepare(st, "SELECT cursor FROM watch_pos WHERE source = ?1", &q))
        return NULL;
    if (!yj_stmt_text(q, 1, SOURCE) && !yj_stmt_step(q, &row) && row && yj_col_text(q, 0))
        c = yj_xstrdup(yj_col_text(q, 0));
    yj_stmt_free(q);
    return c;
}

/* A field's value ("NAME=value" in the journal) as a view, empty when missing. */
static struct yj_str field(sd_journal *j, const char *name)
{
    const void *p;
    size_t n, k = strlen(name);
    if (sd_journal_get_data(j, name, &p, &n) < 0 || n <= k || ((const char *)p)[k] != '=')
        return (struct yj_str){"", 0};
    return (struct yj_str){(const char *)p + k + 1, n - k - 1};
}

/* The views of one entry must outlive the next sd_journal_get_data call, so each is
 * copied into its own buffer. */
static struct yj_str keep(char *buf, size_t cap, struct yj_str s)
{
    size_t n = s.n < cap ? s.n : cap;
    memcpy(buf, s.p, n);
    return (struct yj_str){buf, n};
}

void journal_read(struct journal *jr)
{
    static char prog[256], host[256], msg[YJ_HOST_LINE_MAX];
    if (sd_journal_process(jr->j) < 0)
        return;
    while (sd_journal_next(jr->j) > 0) {
        uint64_t usec = 0;
        struct yj_syslog rec;
        sd_journal_get_realtime_usec(jr->j, &usec);
        rec.ts = (int64_t)(usec / 1000000);
        struct yj_str p = field(jr->j, "SYSLOG_IDENTIFIER");
        if (!p.n)
            p = field(jr->j, "_COMM");
        rec.prog = keep(prog, sizeof prog, p);
        rec.host = keep(host, sizeof host, field(jr->j, "_HOSTNAME"));
        struct yj_str m = field(jr->j, "MESSAGE");
        jr->n++;
        if (m.n >= sizeof msg) {
            jr->st.lines++;
            jr->st.toolong++;
            jr->st.skipped++;
        } else {
            rec.msg = keep(msg, sizeof msg, m);
            yj_host_scan_record(jr->scan, &rec, SOURCE, jr->n, &jr->st);
        }
        char *c = NULL;
        if (sd_journal_get_cursor(jr->j, &c) >= 0) {
            free(jr->cursor);
            jr->cursor = c;
            jr->dirty = true;
        }
    }
}

void journal_save(struct journal *jr, struct yj_store *st)
{
    struct yj_stmt *q;
    if (!jr || !st || !jr->dirty || !jr->cursor)
        return;
    if (yj_stmt_prepare(st,
                        "INSERT INTO watch_pos(source, cursor, line, updated_at) "
                        "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(source) DO UPDATE SET "
                        "cursor = ?2, line = ?3, updated_at = ?4",
                        &q))
        return;
    if (!yj_stmt_text(q, 1, SOURCE) && !yj_stmt_text(q, 2, jr->cursor) &&
        !yj_stmt_int(q, 3, (int64_t)jr->n) && !yj_stmt_int(q, 4, (int64_t)time(NULL)) &&
        !yj_stmt_run(q))
        jr->dirty = false;
    yj_stmt_free(q);
}

enum yj_err journal_open(struct journal **out, const char *const *files, size_t nfiles,
                         struct yj_store *st, bool from_start, struct yj_host_scan *scan,
                         struct yj_diag *d)
{
    *out = NULL;
    struct journal *jr = yj_xcalloc(1, sizeof *jr);
    jr->scan = scan;
    int r;
    if (nfiles) {
        const char *v[9] = {0};
        for (size_t i = 0; i < nfiles && i < 8; i++)
            v[i] = files[i];
        r = sd_journal_open_files(&jr->j, v, 0);
    } else {
        r = sd_journal_open(&jr->j, SD_JOURNAL_LOCAL_ONLY);
    }
    if (r < 0) {
        free(jr);
        return yj_diag_fail(d, YJ_ERR_IO, nfiles ? files[0] : SOURCE, 0, yj_t("watch.journal"),
                            strerror(-r));
    }
    char *c = from_start ? NULL : saved_cursor(st);
    if (from_start) {
        sd_journal_seek_head(jr->j);
    } else if (c && sd_journal_seek_cursor(jr->j, c) >= 0 && sd_journal_next(jr->j) > 0) {
        /* Positioned on the last entry read: the loop's next() moves past it. When that
         * entry is gone (vacuumed), seek_cursor lands on the nearest one, which may be
         * read a second time: better than a gap. */
        if (sd_journal_test_cursor(jr->j, c) <= 0)
            sd_journal_previous(jr->j);
    } else {
        sd_journal_seek_tail(jr->j);
        sd_journal_previous(jr->j); /* the next next() is the first new entry */
    }
    free(c);
    int fd = sd_journal_get_fd(jr->j);
    if (fd < 0) {
        sd_journal_close(jr->j);
        free(jr);
        return yj_diag_fail(d, YJ_ERR_IO, SOURCE, 0, yj_t("watch.journal"), strerror(-fd));
    }
    jr->fd = fd;
    *out = jr;
    return YJ_ERR_OK;
}

int journal_fd(const struct journal *jr) { return jr->fd; }
uint64_t journal_entries(const struct journal *jr) { return jr ? jr->n : 0; }

void journal_close(struct journal *jr)
{
    if (!jr)
        return;
    sd_journal_close(jr->j);
    free(jr->cursor);
    free(jr);
}
