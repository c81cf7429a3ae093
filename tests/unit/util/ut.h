/* Helpers shared by yojin's unit tests: paths into the source tree, temporary directories,
 * text mutation for building bad inputs, diagnostics queries and a small JSON reader.
 *
 * Everything here aborts the test (cmocka fail) or the process on internal failure; tests
 * stay short and never check the helpers' own errors. */
#ifndef YJ_UT_H
#define YJ_UT_H

/* cmocka needs these before its header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>

#include "base/err.h"

#ifndef YJ_SOURCE_DIR
#error "YJ_SOURCE_DIR must name the source tree"
#endif

/* "<source>/<rel>" (caller frees). */
char *ut_src_path(const char *rel);
/* Reads a whole file (NUL-terminated); fails the test if it cannot. */
char *ut_read(const char *path, size_t *len);
/* Writes a whole file; fails the test if it cannot. */
void ut_write(const char *path, const char *text);
/* A fresh directory under /tmp (caller frees the name after ut_rmtree). */
char *ut_tmpdir(void);
/* Removes a directory tree. */
void ut_rmtree(const char *dir);

/* Copy of s with the first occurrence of from replaced by to; fails the test if from does
 * not occur exactly once (so a mutation never silently hits the wrong place). */
char *ut_replace1(const char *s, const char *from, const char *to);
/* Copy of s with every occurrence of from replaced by to; n receives the count. */
char *ut_replace_all(const char *s, const char *from, const char *to, size_t *n);
/* 1-based line of the first occurrence of needle in s; fails the test when absent. */
unsigned ut_line_of(const char *s, const char *needle);
/* The same for the k-th occurrence (k from 1). */
unsigned ut_line_of_nth(const char *s, const char *needle, unsigned k);
/* Lines from `first` (1-based) to `last` removed. */
char *ut_drop_lines(const char *s, unsigned first, unsigned last);
/* s repeated n times. */
char *ut_repeat(const char *s, size_t n);
/* Number of occurrences of needle in hay. */
size_t ut_count(const char *hay, const char *needle);

/* Loads data/po/{ja,en}.po and selects English (diagnostic texts are checked in English). */
void ut_i18n_real(void);

/* The diag entry with this line whose message contains substr (NULL: any), or NULL. */
const struct yj_diag_entry *ut_diag_find(const struct yj_diag *d, unsigned line,
                                         const char *substr);
/* The same but ignoring the line. */
const struct yj_diag_entry *ut_diag_find_msg(const struct yj_diag *d, const char *substr);
/* Prints every entry to stderr (to understand a failure). */
void ut_diag_dump(const struct yj_diag *d);
/* Fails the test unless an entry has this line and contains substr; dumps d first. */
#define ut_assert_diag(d, line, substr) \
    ut_assert_diag_((d), (line), (substr), __FILE__, __LINE__)
void ut_assert_diag_(const struct yj_diag *d, unsigned line, const char *substr,
                     const char *file, int at);

/* ---- a small strict JSON reader (RFC 8259) ---------------------------------------------- */

enum ut_json_kind { UT_JNULL, UT_JBOOL, UT_JNUM, UT_JSTR, UT_JARR, UT_JOBJ };

struct ut_json {
    enum ut_json_kind kind;
    bool b;
    bool is_int;   /* a number without fraction or exponent */
    int64_t i;
    char *s;       /* decoded string (UTF-8); may contain NUL when len says so */
    size_t len;    /* string length; array items; object pairs */
    char **keys;   /* object keys */
    struct ut_json **v;
};

/* Parses exactly one JSON value (surrounding whitespace allowed); NULL if p is not valid
 * JSON, with a reason in err (if given). Duplicate object keys are rejected too. */
struct ut_json *ut_json_parse(const char *p, size_t n, const char **err);
void ut_json_free(struct ut_json *j);
/* Object member, or NULL. */
const struct ut_json *ut_json_get(const struct ut_json *o, const char *key);
/* Fails the test unless o has key of kind; returns the member. */
const struct ut_json *ut_json_req(const struct ut_json *o, const char *key,
                                  enum ut_json_kind kind);

#endif
