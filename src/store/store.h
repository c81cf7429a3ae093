/* The store: yojin's SQLite database (yojin.db in the data directory, WAL mode).
 * A yj_store is one connection, for one thread at a time (the console opens one per worker).
 *
 * Only this module includes sqlite3.h. Each module owns numbered migrations (a yj_schema);
 * yj_store_open applies every pending one, for all modules, in one transaction. SQL runs only
 * through prepared statements with bound parameters. The caller owns the yj_store and each
 * yj_stmt it prepares; text returned by yj_stmt_text lives until the next step or free. */
#ifndef YJ_STORE_STORE_H
#define YJ_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct yj_store;
struct yj_stmt;

struct yj_migration {
    int version; /* 1, 2, 3 ... in order, never renumbered */
    const char *sql;
};

struct yj_schema {
    const char *module;
    const struct yj_migration *v;
    size_t n;
};

#define YJ_DB_FILE "yojin.db"

enum yj_err yj_store_open(struct yj_store **out, const char *dir, const struct yj_schema *schemas,
                          size_t nschemas, struct yj_diag *d) YJ_MUST;
void yj_store_close(struct yj_store *s);
/* The schema version recorded for module (0 when none). */
enum yj_err yj_store_version(struct yj_store *s, const char *module, int *out) YJ_MUST;

enum yj_err yj_store_begin(struct yj_store *s) YJ_MUST; /* BEGIN IMMEDIATE */
/* A read transaction (BEGIN DEFERRED): several reads see one snapshot and take the WAL
 * locks once instead of once per statement. End it with commit or rollback. */
enum yj_err yj_store_begin_read(struct yj_store *s) YJ_MUST;
enum yj_err yj_store_commit(struct yj_store *s) YJ_MUST;
void yj_store_rollback(struct yj_store *s);
int64_t yj_store_last_id(struct yj_store *s);
/* Rows changed by the last INSERT, UPDATE or DELETE. */
int64_t yj_store_changes(struct yj_store *s);
/* The diagnostic of the last failure (for front ends to show), or "". */
const char *yj_store_errmsg(struct yj_store *s);

enum yj_err yj_stmt_prepare(struct yj_store *s, const char *sql, struct yj_stmt **out) YJ_MUST;
void yj_stmt_free(struct yj_stmt *st);
/* Parameters are numbered from 1. Text is copied. NULL text binds SQL NULL. */
enum yj_err yj_stmt_text(struct yj_stmt *st, int i, const char *v) YJ_MUST;
enum yj_err yj_stmt_int(struct yj_stmt *st, int i, int64_t v) YJ_MUST;
enum yj_err yj_stmt_null(struct yj_stmt *st, int i) YJ_MUST;
/* One step: *row is true when a row is ready, false when the statement is done. */
enum yj_err yj_stmt_step(struct yj_stmt *st, bool *row) YJ_MUST;
/* Runs to completion ignoring rows (INSERT, UPDATE, DELETE). */
enum yj_err yj_stmt_run(struct yj_stmt *st) YJ_MUST;
enum yj_err yj_stmt_reset(struct yj_stmt *st) YJ_MUST;
/* Columns are numbered from 0. */
int64_t yj_col_int(struct yj_stmt *st, int i);
const char *yj_col_text(struct yj_stmt *st, int i); /* NULL for SQL NULL */
bool yj_col_null(struct yj_stmt *st, int i);

#endif
