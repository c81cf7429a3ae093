/* Test helper shared by the proto tests: hex text to bytes. */
#ifndef YJ_TEST_PROTO_HEX_H
#define YJ_TEST_PROTO_HEX_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"

/* Decodes hex (spaces ignored) into a fresh buffer of exactly the decoded size (so that an
 * overread hits the sanitizers); *n receives the size. The caller frees. */
static inline uint8_t *hex_bytes(const char *hex, size_t *n)
{
    size_t len = strlen(hex);
    uint8_t *out = malloc(len / 2 + 1);
    size_t k = 0;
    int hi = -1;
    for (size_t i = 0; i < len; i++) {
        int v = yj_hex_digit(hex[i]);
        if (v < 0)
            continue;
        if (hi < 0) {
            hi = v;
        } else {
            out[k++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    *n = k;
    return out;
}

/* A copy of the first k bytes in a buffer of exactly k bytes. */
static inline uint8_t *prefix_copy(const uint8_t *p, size_t k)
{
    uint8_t *c = malloc(k ? k : 1);
    memcpy(c, p, k);
    return c;
}

/* True when needle occurs in the n bytes at hay (checks that secrets never reach a result). */
static inline bool bytes_contain(const void *hay, size_t n, const char *needle)
{
    return memmem(hay, n, needle, strlen(needle)) != NULL;
}

#endif
