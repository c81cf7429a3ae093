/* Error codes and diagnostics.
 *
 * Fallible functions return enum yj_err and report context in an optional struct yj_diag:
 * a list of messages, each with the file and line it is about, that a front end prints as
 * "file:line: message". The diag owns its messages; yj_diag_fini frees them. */
#ifndef YJ_BASE_ERR_H
#define YJ_BASE_ERR_H

#include <stddef.h>

#define YJ_MUST __attribute__((warn_unused_result))
#define YJ_PRINTF(f, a) __attribute__((format(printf, f, a)))

enum yj_err {
#define YJ_ERR(name, desc) YJ_ERR_##name,
#include "err.def"
#undef YJ_ERR
    YJ_ERR__COUNT
};

/* The developer description of an error code ("out of memory"), never NULL. */
const char *yj_err_str(enum yj_err e);
/* The catalog key of an error code's user text. */
const char *yj_err_key(enum yj_err e);

struct yj_diag_entry {
    char *file;     /* NULL when the message is about no file */
    unsigned line;  /* 0 when unknown */
    char *msg;
};

struct yj_diag {
    struct yj_diag_entry *v;
    size_t n, cap;
    size_t max;     /* stop recording after this many (0: 100) */
    size_t dropped; /* messages not recorded because of max */
};

void yj_diag_init(struct yj_diag *d);
void yj_diag_fini(struct yj_diag *d);
/* Adds one message. d may be NULL (the message is dropped). */
void yj_diag_add(struct yj_diag *d, const char *file, unsigned line, const char *fmt, ...)
    YJ_PRINTF(4, 5);
/* Adds a message and returns err, for "return yj_diag_fail(d, YJ_ERR_PARSE, ...)". */
enum yj_err yj_diag_fail(struct yj_diag *d, enum yj_err err, const char *file, unsigned line,
                         const char *fmt, ...) YJ_PRINTF(5, 6);

/* Out of memory is not recoverable here (Redis, jq): these abort with a message. */
void *yj_xmalloc(size_t n);
void *yj_xcalloc(size_t n, size_t size);
void *yj_xrealloc(void *p, size_t n);
char *yj_xstrdup(const char *s);
char *yj_xstrndup(const char *s, size_t n);
_Noreturn void yj_oom(void);

#endif
