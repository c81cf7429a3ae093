/* SHA-256 on libsodium's crypto_hash_sha256. sodium_init() runs once, on first use, through
 * pthread_once, so callers never think about it. Files are read in 64 KiB chunks and never
 * mapped, so a file that shrinks or grows while it is read cannot fault the process. */
#include "hash.h"
#include "str.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"

_Static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(((struct yj_sha256 *)0)->st),
               "struct yj_sha256 too small for libsodium's state");
_Static_assert(alignof(crypto_hash_sha256_state) <= alignof(uint64_t),
               "struct yj_sha256 not aligned enough for libsodium's state");
_Static_assert(crypto_hash_sha256_BYTES == YJ_SHA256_LEN, "SHA-256 digest size");

#define CHUNK ((size_t)64 << 10)

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init_sodium(void)
{
    /* -1 means the library could not initialise its random source; hashing does not use it. */
    if (sodium_init() < 0)
        return;
}

static crypto_hash_sha256_state *state(struct yj_sha256 *h)
{
    return (crypto_hash_sha256_state *)(void *)h->st.bytes;
}

void yj_sha256_init(struct yj_sha256 *h)
{
    pthread_once(&once, init_sodium);
    crypto_hash_sha256_init(state(h));
}

void yj_sha256_update(struct yj_sha256 *h, const void *p, size_t n)
{
    if (n)
        crypto_hash_sha256_update(state(h), p, n);
}

void yj_sha256_final(struct yj_sha256 *h, uint8_t out[YJ_SHA256_LEN])
{
    crypto_hash_sha256_final(state(h), out);
    sodium_memzero(h, sizeof *h);
}

void yj_sha256(const void *p, size_t n, uint8_t out[YJ_SHA256_LEN])
{
    struct yj_sha256 h;
    yj_sha256_init(&h);
    yj_sha256_update(&h, p, n);
    yj_sha256_final(&h, out);
}

void yj_sha256_hex(const uint8_t d[YJ_SHA256_LEN], char out[YJ_SHA256_HEX])
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < YJ_SHA256_LEN; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[2 * YJ_SHA256_LEN] = '\0';
}

bool yj_sha256_from_hex(const char *p, size_t n, uint8_t out[YJ_SHA256_LEN])
{
    if (n != 2 * YJ_SHA256_LEN)
        return false;
    for (size_t i = 0; i < YJ_SHA256_LEN; i++) {
        int hi = yj_hex_digit(p[2 * i]), lo = yj_hex_digit(p[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

/* errno to our codes, once, here at the edge. */
static enum yj_err from_errno(int e)
{
    switch (e) {
    case ENOENT:
    case ESRCH:
    case ENOTDIR: return YJ_ERR_NOTFOUND;
    case EACCES:
    case EPERM: return YJ_ERR_STATE;
    default: return YJ_ERR_IO;
    }
}

enum yj_err yj_sha256_fd(int fd, const char *name, uint64_t max, uint8_t out[YJ_SHA256_LEN],
                         uint64_t *size, struct yj_diag *d)
{
    if (size)
        *size = 0;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        return yj_diag_fail(d, from_errno(e), name, 0, yj_t("hash.read"), strerror(e));
    }
    if (!S_ISREG(st.st_mode))
        return yj_diag_fail(d, YJ_ERR_INVALID, name, 0, "%s", yj_t("hash.not_regular"));
    unsigned char *buf = yj_xmalloc(CHUNK);
    struct yj_sha256 h;
    yj_sha256_init(&h);
    uint64_t total = 0;
    enum yj_err err = YJ_ERR_OK;
    for (;;) {
        ssize_t r = read(fd, buf, CHUNK);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            err = yj_diag_fail(d, from_errno(e), name, 0, yj_t("hash.read"), strerror(e));
            break;
        }
        if (r == 0)
            break;
        if (max && (uint64_t)r > max - total) {
            err = yj_diag_fail(d, YJ_ERR_LIMIT, name, 0, yj_t("hash.too_big"),
                               (unsigned long long)max);
            break;
        }
        yj_sha256_update(&h, buf, (size_t)r);
        total += (uint64_t)r;
    }
    free(buf);
    if (err) {
        sodium_memzero(&h, sizeof h);
        return err;
    }
    yj_sha256_final(&h, out);
    if (size)
        *size = total;
    return YJ_ERR_OK;
}

enum yj_err yj_sha256_file(const char *path, uint64_t max, uint8_t out[YJ_SHA256_LEN],
                           uint64_t *size, struct yj_diag *d)
{
    if (size)
        *size = 0;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it. */
    int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
    int fd = open(path, flags | O_NOATIME);
    if (fd < 0 && errno == EPERM)
        fd = open(path, flags);
    if (fd < 0) {
        int e = errno;
        return yj_diag_fail(d, from_errno(e), path, 0, yj_t("hash.open"), strerror(e));
    }
    enum yj_err err = yj_sha256_fd(fd, path, max, out, size, d);
    close(fd);
    return err;
}
