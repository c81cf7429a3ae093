/* Fuzz target: outside text in a stored alert. Account names, file names and the summaries
 * that quote them come from logs and file systems; the alert store keeps them cleaned
 * (alert/alert.h) and must never refuse them. The input is split at NUL bytes into an
 * account, a file name and a summary; the alert is recorded in a store in a temporary
 * folder (opened once, removed at exit) and read back.
 *
 * Checks: recording succeeds; what is read back is text (UTF-8 without control characters;
 * line breaks only in the summary) within its limits; the EVE line is text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alert/alert.h"
#include "base/str.h"
#include "fuzz.h"

static struct yj_store *store;
static char dir[] = "/tmp/yj-fuzz-alert-XXXXXX";

static void cleanup(void)
{
    yj_store_close(store);
    static const char *const files[] = {"yojin.db", "yojin.db-wal", "yojin.db-shm"};
    char path[sizeof dir + 32];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void open_once(void)
{
    if (store)
        return;
    yj_fuzz_load_catalogs();
    if (!mkdtemp(dir) || yj_store_open(&store, dir, &yj_alert_schema, 1, NULL) != YJ_ERR_OK)
        abort();
    atexit(cleanup);
}

/* The next NUL-terminated piece of data (a copy), or "" when none is left. */
static char *piece(const uint8_t **p, const uint8_t *end)
{
    const uint8_t *z = memchr(*p, 0, (size_t)(end - *p));
    size_t n = z ? (size_t)(z - *p) : (size_t)(end - *p);
    char *s = yj_xstrndup((const char *)*p, n);
    *p += z ? n + 1 : n;
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    open_once();
    static int64_t ts = 1764000000;
    const uint8_t *p = data, *end = data + size;
    char *user = piece(&p, end), *path = piece(&p, end), *sum = piece(&p, end);
    struct yj_event_fim fim = {.path = path, .change = "added"};
    struct yj_event_alert_text words = {.name = {"名前", "name"}, .summary = {sum, sum},
                                        .advice = {"助言", "advice"}};
    struct yj_event ev = {
        .type = YJ_EVENT_ALERT,
        .ts = ts += 7200, /* a new attack each time: every input is its own row */
        .src_ip = "192.0.2.1",
        .u.alert = {.signature_id = 2104, .signature = "n", .severity = 2,
                    .category = "persistence", .user = user, .count = 1, .summary = sum,
                    .advice = "a", .playbook = "unauthorized-access", .fim = &fim,
                    .text = &words, .code = "YJ-HOST-2104"},
    };
    int64_t id = 0;
    if (yj_alert_record(store, &ev, "fuzz", &id, NULL, NULL) != YJ_ERR_OK)
        abort();
    struct yj_arena a;
    yj_arena_init(&a);
    struct yj_alert x;
    bool found = false;
    if (yj_alert_get(store, id, &a, &x, &found) != YJ_ERR_OK || !found)
        abort();
    if (strlen(x.user) > 256 || !yj_str_is_text(yj_str_c(x.user)) ||
        strlen(x.subject) > YJ_ALERT_FIELD_MAX || !yj_str_is_text(yj_str_c(x.subject)) ||
        strlen(x.summary.v[YJ_LANG_EN]) > YJ_ALERT_FIELD_MAX ||
        !yj_str_is_text_nl(yj_str_c(x.summary.v[YJ_LANG_EN])) ||
        !yj_str_is_text_nl(yj_str_c(x.eve)))
        abort();
    yj_arena_fini(&a);
    free(user);
    free(path);
    free(sum);
    return 0;
}
