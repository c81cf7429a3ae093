/* Growable, bounded output buffers (curl dynbuf) with escaping appends, and a JSON writer.
 *
 * A yj_buf owns its bytes; yj_buf_fini frees them and yj_buf_take moves them out. Appends
 * never fail loudly: the first failure (growing past max) is remembered, later appends do
 * nothing, and the builder checks yj_buf_err() once at the end. That keeps renderers
 * readable without losing a single error. The content is always NUL-terminated. */
#ifndef YJ_BASE_BUF_H
#define YJ_BASE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "str.h"

struct yj_buf {
    char *p;
    size_t len, cap, max;
    enum yj_err err;
};

void yj_buf_init(struct yj_buf *b, size_t max);
void yj_buf_fini(struct yj_buf *b);
void yj_buf_reset(struct yj_buf *b); /* empties the content and clears the error */
static inline enum yj_err yj_buf_err(const struct yj_buf *b) { return b->err; }
static inline const char *yj_buf_cstr(const struct yj_buf *b) { return b->p ? b->p : ""; }
/* Moves the content out (caller frees); the buffer is left empty. */
char *yj_buf_take(struct yj_buf *b, size_t *len);

void yj_buf_add(struct yj_buf *b, const void *p, size_t n);
void yj_buf_adds(struct yj_buf *b, const char *s);
void yj_buf_addc(struct yj_buf *b, char c);
void yj_buf_printf(struct yj_buf *b, const char *fmt, ...) YJ_PRINTF(2, 3);
/* Appends text escaped for HTML element content and quoted attribute values. */
void yj_buf_add_html(struct yj_buf *b, const char *s);
void yj_buf_add_html_n(struct yj_buf *b, const char *s, size_t n);
/* Appends a JSON string literal, quotes included. Invalid UTF-8 becomes U+FFFD. */
void yj_buf_add_json_str(struct yj_buf *b, const char *s, size_t n);

/* A streaming JSON writer on top of a yj_buf: commas and nesting are tracked here. */
#define YJ_JSON_MAX_DEPTH 32
struct yj_json {
    struct yj_buf *b;
    int depth;
    bool pretty;
    bool need_comma[YJ_JSON_MAX_DEPTH];
    bool after_key;
};

void yj_json_init(struct yj_json *j, struct yj_buf *b, bool pretty);
void yj_json_obj(struct yj_json *j);
void yj_json_arr(struct yj_json *j);
void yj_json_end_obj(struct yj_json *j);
void yj_json_end_arr(struct yj_json *j);
void yj_json_key(struct yj_json *j, const char *key);
void yj_json_str(struct yj_json *j, const char *s); /* NULL writes null */
void yj_json_int(struct yj_json *j, int64_t v);
void yj_json_bool(struct yj_json *j, bool v);
void yj_json_null(struct yj_json *j);
/* Convenience: key + value. */
void yj_json_kstr(struct yj_json *j, const char *key, const char *s);
void yj_json_kint(struct yj_json *j, const char *key, int64_t v);
void yj_json_kbool(struct yj_json *j, const char *key, bool v);

#endif
