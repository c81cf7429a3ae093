/* Replays a fuzz corpus through one target without libFuzzer, so that every build (gcc,
 * ASan+UBSan) re-runs every input a fuzzer ever kept (SQLite fuzzcheck, h2o's corpora).
 *
 *   replay_<name> DIR|FILE...
 *
 * Directories are read one level deep, skipping dot files, in name order. Each input is
 * copied into a buffer of exactly its size so that an overread hits the sanitizers. The
 * run fails when an argument cannot be read, when a directory holds no input (a corpus
 * that went missing must not pass silently), or when no input was run at all. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#define REPLAY_MAX_BYTES ((size_t)16 << 20)

static int run_file(const char *path, size_t *ran)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || st.st_size < 0 || (size_t)st.st_size > REPLAY_MAX_BYTES) {
        fprintf(stderr, "replay: %s: unreadable or larger than %zu bytes\n", path, REPLAY_MAX_BYTES);
        fclose(f);
        return -1;
    }
    size_t n = (size_t)st.st_size;
    uint8_t *p = malloc(n ? n : 1);
    if (!p) {
        fclose(f);
        return -1;
    }
    size_t got = n ? fread(p, 1, n, f) : 0;
    fclose(f);
    if (got != n) {
        fprintf(stderr, "replay: %s: short read\n", path);
        free(p);
        return -1;
    }
    /* Name the input first: if it crashes, this is the last line before the report. */
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, n);
    LLVMFuzzerTestOneInput(p, n);
    free(p);
    (*ran)++;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir, size_t *ran)
{
    DIR *dp = opendir(dir);
    if (!dp) {
        fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **v = realloc(names, cap * sizeof *names);
            if (!v)
                abort();
            names = v;
        }
        names[n] = strdup(e->d_name);
        if (!names[n])
            abort();
        n++;
    }
    closedir(dp);
    if (n > 1) /* qsort's base must not be NULL, even for no elements */
        qsort(names, n, sizeof *names, by_name);
    int rc = 0;
    size_t before = *ran;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *path = malloc(len);
        if (!path)
            abort();
        snprintf(path, len, "%s/%s", dir, names[i]);
        struct stat st;
        if (stat(path, &st) != 0) {
            fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
            rc = -1;
        } else if (S_ISREG(st.st_mode) && run_file(path, ran) != 0) {
            rc = -1;
        }
        free(path);
        free(names[i]);
    }
    free(names);
    if (rc == 0 && *ran == before) {
        fprintf(stderr, "replay: %s: no inputs in this directory\n", dir);
        rc = -1;
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
        return 2;
    }
    size_t ran = 0;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
            rc = 1;
        } else if (S_ISDIR(st.st_mode) ? run_dir(argv[i], &ran) != 0
                                       : run_file(argv[i], &ran) != 0) {
            rc = 1;
        }
    }
    printf("replay: ran %zu input%s\n", ran, ran == 1 ? "" : "s");
    if (ran == 0) {
        fprintf(stderr, "replay: no inputs found\n");
        rc = 1;
    }
    return rc;
}
