/* SHA-256 over libsodium (the one place that includes sodium's hash API for this): a whole
 * buffer, a streaming context, a file read in bounded chunks, and hex text.
 *
 * Everything here writes into the caller's storage; nothing is allocated. A context is plain
 * memory (no _fini): drop it when done. */
#ifndef YJ_BASE_HASH_H
#define YJ_BASE_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define YJ_SHA256_LEN 32
#define YJ_SHA256_HEX 65 /* 64 lowercase hex digits + NUL */

/* The streaming state, opaque: big enough and aligned for crypto_hash_sha256_state
 * (checked at compile time in hash.c), so this header does not need sodium.h. */
struct yj_sha256 {
    union {
        uint64_t align;
        unsigned char bytes[128];
    } st;
};

void yj_sha256_init(struct yj_sha256 *h);
void yj_sha256_update(struct yj_sha256 *h, const void *p, size_t n);
void yj_sha256_final(struct yj_sha256 *h, uint8_t out[YJ_SHA256_LEN]);

/* The digest of n bytes at p. */
void yj_sha256(const void *p, size_t n, uint8_t out[YJ_SHA256_LEN]);
/* Lowercase hex of a digest, NUL-terminated. */
void yj_sha256_hex(const uint8_t d[YJ_SHA256_LEN], char out[YJ_SHA256_HEX]);
/* Parses exactly 64 hex digits (either case); false on anything else. */
bool yj_sha256_from_hex(const char *p, size_t n, uint8_t out[YJ_SHA256_LEN]);

/* Hashes the regular file at path, reading at most max bytes (YJ_ERR_LIMIT past that, 0
 * means no limit) in fixed-size chunks. The read tries O_NOATIME first so that hashing
 * evidence does not change its access time, and falls back when the kernel refuses (files
 * the caller does not own). *size receives the number of bytes hashed (may be NULL).
 * Errors: YJ_ERR_NOTFOUND (gone), YJ_ERR_STATE (permission denied), YJ_ERR_INVALID (not a
 * regular file), YJ_ERR_IO (anything else), each with a message naming path in d. */
enum yj_err yj_sha256_file(const char *path, uint64_t max, uint8_t out[YJ_SHA256_LEN],
                           uint64_t *size, struct yj_diag *d) YJ_MUST;
/* The same on an open descriptor (read from its current offset to the end); name is used
 * in messages only. */
enum yj_err yj_sha256_fd(int fd, const char *name, uint64_t max, uint8_t out[YJ_SHA256_LEN],
                         uint64_t *size, struct yj_diag *d) YJ_MUST;

#endif
