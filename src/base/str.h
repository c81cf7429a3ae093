/* Counted string views over bytes someone else owns (nginx ngx_str_t, h2o iovec).
 * A view never owns its bytes and is never assumed to be NUL-terminated. */
#ifndef YJ_BASE_STR_H
#define YJ_BASE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct yj_str {
    const char *p;
    size_t n;
};

#define YJ_STR_LIT(s) ((struct yj_str){(s), sizeof(s) - 1})

struct yj_str yj_str_c(const char *s);
struct yj_str yj_str_trim(struct yj_str s);
bool yj_str_eq(struct yj_str a, struct yj_str b);
bool yj_str_eq_c(struct yj_str a, const char *b);
bool yj_str_eq_ci_c(struct yj_str a, const char *b); /* ASCII case-insensitive */
/* Takes the next line off *cur (without its "\n" or "\r\n"); false at the end. */
bool yj_str_next_line(struct yj_str *cur, struct yj_str *line);
/* Takes the next run of non-blank bytes off *cur; false when only blanks remain. */
bool yj_str_next_word(struct yj_str *cur, struct yj_str *word);
/* Parses an optionally signed decimal that fills the whole view; false on overflow/junk. */
bool yj_str_to_long(struct yj_str s, long *out);
/* The value of a hexadecimal digit (either case), or -1. */
int yj_hex_digit(char c);
/* True when every byte is printable ASCII or part of well-formed UTF-8 (no controls). */
bool yj_str_is_text(struct yj_str s);
/* The same, but line breaks (CR, LF) are allowed too: multi-line text fields. */
bool yj_str_is_text_nl(struct yj_str s);

/* Dotted-quad text of an IPv4 address into out (at least 16 bytes); returns its length.
 * Without printf: address formatting is on the per-flow path. */
size_t yj_ip4_str(const uint8_t a[4], char out[16]);

#endif
