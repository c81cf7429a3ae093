/* store: migrations (from empty, incremental, failing, too new), WAL, statements and bound
 * parameters. Each test works in a fresh temporary directory. */
#include "ut.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/i18n.h"
#include "store/store.h"

struct fx {
    char *dir;
    struct yj_store *s;
    struct yj_diag d;
};

static int setup(void **state)
{
    struct fx *f = yj_xcalloc(1, sizeof *f);
    f->dir = ut_tmpdir();
    yj_diag_init(&f->d);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    yj_store_close(f->s);
    ut_rmtree(f->dir);
    free(f->dir);
    yj_diag_fini(&f->d);
    free(f);
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    ut_i18n_real();
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    yj_i18n_fini();
    return 0;
}

static const struct yj_migration a_v1[] = {
    {1, "CREATE TABLE a_one(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)"},
};
static const struct yj_migration a_v2[] = {
    {1, "CREATE TABLE a_one(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)"},
    {2, "CREATE TABLE a_two(x TEXT); ALTER TABLE a_one ADD COLUMN extra TEXT"},
};
static const struct yj_migration b_v1[] = {
    {1, "CREATE TABLE b_one(v TEXT)"},
};

#define SCHEMA(mod, arr) ((struct yj_schema){(mod), (arr), sizeof(arr) / sizeof((arr)[0])})

static enum yj_err open_with(struct fx *f, const struct yj_schema *sc, size_t n)
{
    yj_store_close(f->s);
    f->s = NULL;
    return yj_store_open(&f->s, f->dir, sc, n, &f->d);
}

static bool table_exists(struct yj_store *s, const char *name)
{
    struct yj_stmt *st;
    assert_int_equal(yj_stmt_prepare(s, "SELECT count(*) FROM sqlite_master "
                                        "WHERE type = 'table' AND name = ?1", &st),
                     YJ_ERR_OK);
    assert_int_equal(yj_stmt_text(st, 1, name), YJ_ERR_OK);
    bool row = false;
    assert_int_equal(yj_stmt_step(st, &row), YJ_ERR_OK);
    assert_true(row);
    bool yes = yj_col_int(st, 0) == 1;
    yj_stmt_free(st);
    return yes;
}

static int version_of(struct yj_store *s, const char *module)
{
    int v = -1;
    assert_int_equal(yj_store_version(s, module, &v), YJ_ERR_OK);
    return v;
}

static void exec_sql(struct yj_store *s, const char *sql)
{
    struct yj_stmt *st;
    assert_int_equal(yj_stmt_prepare(s, sql, &st), YJ_ERR_OK);
    assert_int_equal(yj_stmt_run(st), YJ_ERR_OK);
    yj_stmt_free(st);
}

static int64_t count_rows(struct yj_store *s, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    struct yj_stmt *st;
    assert_int_equal(yj_stmt_prepare(s, sql, &st), YJ_ERR_OK);
    bool row;
    assert_int_equal(yj_stmt_step(st, &row), YJ_ERR_OK);
    int64_t n = yj_col_int(st, 0);
    yj_stmt_free(st);
    return n;
}

static void migrate_from_empty(void **state)
{
    struct fx *f = *state;
    struct yj_schema sc[] = {SCHEMA("a", a_v2), SCHEMA("b", b_v1)};
    assert_int_equal(open_with(f, sc, 2), YJ_ERR_OK);
    assert_int_equal(f->d.n, 0);
    assert_int_equal(version_of(f->s, "a"), 2);
    assert_int_equal(version_of(f->s, "b"), 1);
    assert_int_equal(version_of(f->s, "nobody"), 0);
    assert_true(table_exists(f->s, "a_one"));
    assert_true(table_exists(f->s, "a_two"));
    assert_true(table_exists(f->s, "b_one"));
    assert_true(table_exists(f->s, "yj_schema"));
    /* applied_at is recorded as an ISO time. */
    struct yj_stmt *st;
    assert_int_equal(yj_stmt_prepare(f->s, "SELECT applied_at FROM yj_schema WHERE module='a'",
                                     &st),
                     YJ_ERR_OK);
    bool row;
    assert_int_equal(yj_stmt_step(st, &row), YJ_ERR_OK);
    assert_true(row);
    assert_int_equal(strlen(yj_col_text(st, 0)), 20);
    yj_stmt_free(st);
    /* The file is where the header says. */
    char *db = NULL;
    assert_true(asprintf(&db, "%s/%s", f->dir, YJ_DB_FILE) > 0);
    struct stat sb;
    assert_int_equal(stat(db, &sb), 0);
    free(db);
}

static void creates_missing_directory(void **state)
{
    struct fx *f = *state;
    char *sub = NULL;
    assert_true(asprintf(&sub, "%s/x/y", f->dir) > 0);
    struct yj_schema sc[] = {SCHEMA("a", a_v1)};
    assert_int_equal(yj_store_open(&f->s, sub, sc, 1, &f->d), YJ_ERR_OK);
    struct stat sb;
    assert_int_equal(stat(sub, &sb), 0);
    assert_true(S_ISDIR(sb.st_mode));
    free(sub);
}

static void reopen_applies_nothing_and_keeps_data(void **state)
{
    struct fx *f = *state;
    struct yj_schema sc[] = {SCHEMA("a", a_v1)};
    assert_int_equal(open_with(f, sc, 1), YJ_ERR_OK);
    exec_sql(f->s, "INSERT INTO a_one(name) VALUES('kept')");
    /* Reopening would fail if migration 1 ran again (CREATE TABLE of an existing table). */
    assert_int_equal(open_with(f, sc, 1), YJ_ERR_OK);
    assert_int_equal(f->d.n, 0);
    assert_int_equal(version_of(f->s, "a"), 1);
    assert_int_equal(count_rows(f->s, "a_one"), 1);
}

static void later_migration_applies_alone(void **state)
{
    struct fx *f = *state;
    struct yj_schema one[] = {SCHEMA("a", a_v1)};
    struct yj_schema two[] = {SCHEMA("a", a_v2)};
    assert_int_equal(open_with(f, one, 1), YJ_ERR_OK);
    exec_sql(f->s, "INSERT INTO a_one(name) VALUES('before')");
    assert_false(table_exists(f->s, "a_two"));
    assert_int_equal(open_with(f, two, 1), YJ_ERR_OK);
    assert_int_equal(version_of(f->s, "a"), 2);
    assert_true(table_exists(f->s, "a_two"));
    assert_int_equal(count_rows(f->s, "a_one"), 1);
    exec_sql(f->s, "UPDATE a_one SET extra = 'new column'");
    /* A module added later gets its own migrations, the others stay. */
    struct yj_schema both[] = {SCHEMA("a", a_v2), SCHEMA("b", b_v1)};
    assert_int_equal(open_with(f, both, 2), YJ_ERR_OK);
    assert_int_equal(version_of(f->s, "b"), 1);
    assert_int_equal(version_of(f->s, "a"), 2);
}

static void failing_migration_rolls_back_everything(void **state)
{
    struct fx *f = *state;
    static const struct yj_migration bad[] = {
        {1, "CREATE TABLE c_one(x TEXT)"},
        {2, "CREATE TABLE c_two(x TEXT); CREATE TABLE c_two(x TEXT)"}, /* fails halfway */
    };
    /* Module a's migrations come first in the same open: they are undone too. */
    struct yj_schema sc[] = {SCHEMA("a", a_v1), SCHEMA("c", bad)};
    assert_int_equal(open_with(f, sc, 2), YJ_ERR_DB);
    assert_null(f->s);
    ut_assert_diag(&f->d, 0, "migration c/2 failed");
    assert_non_null(strstr(f->d.v[0].file, YJ_DB_FILE));
    /* Look with no schemas at all. */
    assert_int_equal(open_with(f, NULL, 0), YJ_ERR_OK);
    assert_false(table_exists(f->s, "a_one"));
    assert_false(table_exists(f->s, "c_one"));
    assert_false(table_exists(f->s, "c_two"));
    assert_int_equal(version_of(f->s, "a"), 0);
    assert_int_equal(version_of(f->s, "c"), 0);
}

static void failing_migration_keeps_earlier_versions(void **state)
{
    struct fx *f = *state;
    static const struct yj_migration bad[] = {
        {1, "CREATE TABLE a_one(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)"},
        {2, "CREATE TABLE a_two(x TEXT); THIS IS NOT SQL"},
    };
    struct yj_schema one[] = {SCHEMA("a", a_v1)};
    struct yj_schema two[] = {SCHEMA("a", bad)};
    assert_int_equal(open_with(f, one, 1), YJ_ERR_OK);
    exec_sql(f->s, "INSERT INTO a_one(name) VALUES('x')");
    assert_int_equal(open_with(f, two, 1), YJ_ERR_DB);
    ut_assert_diag(&f->d, 0, "migration a/2 failed");
    assert_int_equal(open_with(f, one, 1), YJ_ERR_OK);
    assert_int_equal(version_of(f->s, "a"), 1);
    assert_false(table_exists(f->s, "a_two"));
    assert_int_equal(count_rows(f->s, "a_one"), 1);
}

static void newer_database_refused(void **state)
{
    struct fx *f = *state;
    struct yj_schema one[] = {SCHEMA("a", a_v1)};
    struct yj_schema two[] = {SCHEMA("a", a_v2)};
    assert_int_equal(open_with(f, two, 1), YJ_ERR_OK);
    assert_int_equal(open_with(f, one, 1), YJ_ERR_STATE);
    assert_null(f->s);
    ut_assert_diag(&f->d, 0, "newer yojin (version 2)");
    ut_assert_diag(&f->d, 0, "up to version 1");
    /* Nothing was changed by the refused open. */
    assert_int_equal(open_with(f, two, 1), YJ_ERR_OK);
    assert_int_equal(version_of(f->s, "a"), 2);
}

static void misnumbered_migration_refused(void **state)
{
    struct fx *f = *state;
    static const struct yj_migration gap[] = {
        {1, "CREATE TABLE g1(x)"},
        {3, "CREATE TABLE g3(x)"},
    };
    struct yj_schema sc[] = {SCHEMA("g", gap)};
    assert_int_equal(open_with(f, sc, 1), YJ_ERR_STATE);
    ut_assert_diag(&f->d, 0, "found 3");
    assert_int_equal(open_with(f, NULL, 0), YJ_ERR_OK);
    assert_false(table_exists(f->s, "g1"));
}

static void journal_mode_is_wal(void **state)
{
    struct fx *f = *state;
    struct yj_schema sc[] = {SCHEMA("a", a_v1)};
    assert_int_equal(open_with(f, sc, 1), YJ_ERR_OK);
    struct yj_stmt *st;
    assert_int_equal(yj_stmt_prepare(f->s, "PRAGMA journal_mode", &st), YJ_ERR_OK);
    bool row;
    assert_int_equal(yj_stmt_step(st, &row), YJ_ERR_OK);
    assert_true(row);
    assert_string_equal(yj_col_text(st, 0), "wal");
    yj_stmt_free(st);
    assert_int_equal(yj_stmt_prepare(f->s, "PRAGMA foreign_keys", &st), YJ_ERR_OK);
    assert_int_equal(yj_stmt_step(st, &row), YJ_ERR_OK);
    assert_int_equal(yj_col_int(st, 0), 1);
    yj_stmt_free(st);
    exec_sql(f->s, "INSERT INTO a_one(name) VALUES('w')");
    char *wal = NULL;
    assert_true(asprintf(&wal, "%s/%s-wal", f->dir, YJ_DB_FILE) > 0);
    assert_int_equal(access(wal, F_OK), 0);
    free(wal);
}

static void bound_text_is_verbatim(void **state)
{
    struct fx *f = *state;
    struct yj_schema sc[] = {SCHEMA("a", a_v1)};
    assert_int_equal(open_with(f, sc, 1), YJ_ERR_OK);
    static const char *const names[] = {
        "Robert'); DROP TABLE a_one;--",
        "\"double\" 'single' `back`",
        "' OR '1'='1",
        "%s %n \\ ?1 :name @x $y",
        "株式会社〜テスト😀",
    };
    struct yj_stmt *ins;
    assert_int_equal(yj_stmt_prepare(f->s, "INSERT INTO a_one(name) VALUES(?1)", &ins),
                     YJ_ERR_OK);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        assert_int_equal(yj_stmt_reset(ins), YJ_ERR_OK);
        assert_int_equal(yj_stmt_text(ins, 1, names[i]), YJ_ERR_OK);
        assert_int_equal(yj_stmt_run(ins), YJ_ERR_OK);
        assert_int_equal(yj_store_last_id(f->s), (int64_t)i + 1);
    }
    yj_stmt_free(ins);
    assert_true(table_exists(f->s, "a_one"));
    struct yj_stmt *sel;
    assert_int_equal(yj_stmt_prepare(f->s, "SELECT name FROM a_one ORDER BY id", &sel),
                     YJ_ERR_OK);
    bool row;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        assert_int_equal(yj_stmt_step(sel, &row), YJ_ERR_OK);
        assert_true(row);
        assert_string_equal(yj_col_text(sel, 0), names[i]);
    }
    assert_int_equal(yj_stmt_step(sel, &row), YJ_ERR_OK);
    assert_false(row);
    yj_stmt_free(sel);
}

static void null_and_int_columns(void **state)
{
    struct fx *f = *state;
    struct yj_schema sc[] = {SCHEMA("a", a_v2)};
    assert_int_equal(open_with(f, sc, 1), YJ_ERR_OK);
    struct yj_stmt *st;
    assert_int_equal(yj_stmt_prepare(f->s, "INSERT INTO a_one(id, name, extra) VALUES(?1, ?2, ?3)",
                                     &st),
                     YJ_ERR_OK);
    assert_int_equal(yj_stmt_int(st, 1, INT64_MAX), YJ_ERR_OK);
    assert_int_equal(yj_stmt_text(st, 2, "n"), YJ_ERR_OK);
    assert_int_equal(yj_stmt_text(st, 3, NULL), YJ_ERR_OK); /* NULL text binds NULL */
    assert_int_equal(yj_stmt_run(st), YJ_ERR_OK);
    yj_stmt_free(st);
    assert_int_equal(yj_stmt_prepare(f->s, "SELECT id, extra FROM a_one", &st), YJ_ERR_OK);
    bool row;
    assert_int_equal(yj_stmt_step(st, &row), YJ_ERR_OK);
    assert_true(yj_col_int(st, 0) == INT64_MAX);
    assert_true(yj_col_null(st, 1));
    assert_null(yj_col_text(st, 1));
    assert_false(yj_col_null(st, 0));
    yj_stmt_free(st);
    /* Binding out of range is an error, not a crash. */
    assert_int_equal(yj_stmt_prepare(f->s, "SELECT ?1", &st), YJ_ERR_OK);
    assert_int_not_equal(yj_stmt_int(st, 2, 1), YJ_ERR_OK);
    assert_int_not_equal(yj_stmt_null(st, 0), YJ_ERR_OK);
    yj_stmt_free(st);
    yj_stmt_free(NULL);
}

static void errors_translate(void **state)
{
    struct fx *f = *state;
    struct yj_schema sc[] = {SCHEMA("a", a_v1)};
    assert_int_equal(open_with(f, sc, 1), YJ_ERR_OK);
    assert_string_equal(yj_store_errmsg(f->s), "");
    assert_string_equal(yj_store_errmsg(NULL), "");
    struct yj_stmt *st = (struct yj_stmt *)&st;
    assert_int_equal(yj_stmt_prepare(f->s, "SELEC nonsense", &st), YJ_ERR_DB);
    assert_null(st);
    assert_true(strlen(yj_store_errmsg(f->s)) > 0);
    exec_sql(f->s, "INSERT INTO a_one(name) VALUES('dup')");
    assert_int_equal(yj_stmt_prepare(f->s, "INSERT INTO a_one(name) VALUES('dup')", &st),
                     YJ_ERR_OK);
    assert_int_equal(yj_stmt_run(st), YJ_ERR_EXISTS); /* constraint */
    yj_stmt_free(st);
}

static void transactions(void **state)
{
    struct fx *f = *state;
    struct yj_schema sc[] = {SCHEMA("a", a_v1)};
    assert_int_equal(open_with(f, sc, 1), YJ_ERR_OK);
    assert_int_equal(yj_store_begin(f->s), YJ_ERR_OK);
    exec_sql(f->s, "INSERT INTO a_one(name) VALUES('gone')");
    yj_store_rollback(f->s);
    assert_int_equal(count_rows(f->s, "a_one"), 0);
    yj_store_rollback(f->s); /* nothing open: harmless */
    assert_int_equal(yj_store_begin(f->s), YJ_ERR_OK);
    exec_sql(f->s, "INSERT INTO a_one(name) VALUES('kept')");
    assert_int_equal(yj_store_commit(f->s), YJ_ERR_OK);
    assert_int_equal(count_rows(f->s, "a_one"), 1);
    assert_int_not_equal(yj_store_commit(f->s), YJ_ERR_OK); /* no transaction */
    /* Committed data is visible to a second connection. */
    struct yj_store *other = NULL;
    assert_int_equal(yj_store_open(&other, f->dir, sc, 1, &f->d), YJ_ERR_OK);
    assert_int_equal(count_rows(other, "a_one"), 1);
    yj_store_close(other);
    yj_store_close(NULL);
}

static void unopenable_path(void **state)
{
    struct fx *f = *state;
    char *file = NULL;
    assert_true(asprintf(&file, "%s/plainfile", f->dir) > 0);
    ut_write(file, "x");
    struct yj_store *s = (struct yj_store *)&s;
    assert_int_equal(yj_store_open(&s, file, NULL, 0, &f->d), YJ_ERR_IO);
    assert_null(s);
    assert_true(f->d.n >= 1);
    free(file);
}

static void not_a_database_left_alone(void **state)
{
    struct fx *f = *state;
    char *db = NULL;
    assert_true(asprintf(&db, "%s/%s", f->dir, YJ_DB_FILE) > 0);
    static const char junk[] = "this is not an SQLite database, just a text file\n";
    ut_write(db, junk);
    struct yj_schema sc[] = {SCHEMA("a", a_v1)};
    assert_int_equal(open_with(f, sc, 1), YJ_ERR_DB);
    assert_null(f->s);
    assert_true(f->d.n >= 1);
    size_t len;
    char *after = ut_read(db, &len);
    assert_string_equal(after, junk); /* not overwritten */
    free(after);
    free(db);
}

static void symlinked_database_refused(void **state)
{
    struct fx *f = *state;
    char *db = NULL, *target = NULL;
    assert_true(asprintf(&db, "%s/%s", f->dir, YJ_DB_FILE) > 0);
    assert_true(asprintf(&target, "%s/elsewhere.db", f->dir) > 0);
    assert_int_equal(symlink(target, db), 0);
    struct yj_schema sc[] = {SCHEMA("a", a_v1)};
    assert_int_not_equal(open_with(f, sc, 1), YJ_ERR_OK);
    assert_null(f->s);
    assert_int_equal(access(target, F_OK), -1); /* nothing created through the link */
    free(db);
    free(target);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(migrate_from_empty),
        T(creates_missing_directory),
        T(reopen_applies_nothing_and_keeps_data),
        T(later_migration_applies_alone),
        T(failing_migration_rolls_back_everything),
        T(failing_migration_keeps_earlier_versions),
        T(newer_database_refused),
        T(misnumbered_migration_refused),
        T(journal_mode_is_wal),
        T(bound_text_is_verbatim),
        T(null_and_int_columns),
        T(errors_translate),
        T(transactions),
        T(unopenable_path),
        T(not_a_database_left_alone),
        T(symlinked_database_refused),
    };
#undef T
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
