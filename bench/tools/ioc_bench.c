/* bench/tools/ioc_bench.c — load threat lists and measure lookups (bench/ioc.sh builds and
 * runs it; not part of yojin).
 *
 *   ioc_bench IPSUM MALTRAIL [more lists...]
 *
 * Prints the load time and the peak resident memory after loading, then IPv4 and domain
 * lookups per second on one core (thread CPU time, so that other work on a shared machine
 * does not count) over a mix of listed and unlisted values (half each),
 * drawn from the lists themselves so that the listed half is really listed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ioc/ioc.h"

#define N_VALUES (1u << 20)
#define ROUNDS 20

/* CPU time of this thread: the machine may be shared, and the goal is per core */
static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double wall(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long peak_kb(void)
{
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return r.ru_maxrss;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)sz + 1);
    if (!p || fread(p, 1, (size_t)sz, f) != (size_t)sz)
        exit(1);
    p[sz] = 0;
    fclose(f);
    *n = (size_t)sz;
    return p;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: ioc_bench IPSUM MALTRAIL [LIST...]\n");
        return 2;
    }
    double t0 = now(), w0 = wall();
    struct yj_ioc_builder *b = yj_ioc_builder_new();
    for (int i = 1; i < argc; i++) {
        struct yj_ioc_file_stats st;
        if (yj_ioc_builder_add_file(b, argv[i], argv[i], YJ_IOC_FMT_AUTO, &st, NULL)) {
            fprintf(stderr, "%s: not loaded\n", argv[i]);
            return 1;
        }
        printf("  %-40s %-12s %9zu entries, %zu bad lines\n", argv[i],
               yj_ioc_format_name(st.format), st.entries, st.bad);
    }
    struct yj_ioc_set *s = yj_ioc_builder_build(b);
    double load = now() - t0, wload = wall() - w0;
    long kb = peak_kb();
    printf("load: %.2f s CPU, %.2f s wall (goal < 3 s), peak RSS %.1f MB (goal < 300 MB), set %.1f MB, "
           "%zu entries\n",
           load, wload, (double)kb / 1024, (double)yj_ioc_set_bytes(s) / 1048576, yj_ioc_set_count(s));

    /* IPv4 values: listed ones from ipsum, unlisted random ones */
    size_t n;
    char *ipsum = slurp(argv[1], &n);
    uint32_t *listed = malloc(200000 * sizeof *listed);
    size_t nl = 0;
    for (char *l = strtok(ipsum, "\n"); l && nl < 200000; l = strtok(NULL, "\n")) {
        unsigned a, bb, c, d;
        if (l[0] != '#' && sscanf(l, "%u.%u.%u.%u", &a, &bb, &c, &d) == 4)
            listed[nl++] = a << 24 | bb << 16 | c << 8 | d;
    }
    uint32_t *ips = malloc(N_VALUES * sizeof *ips);
    for (size_t i = 0; i < N_VALUES; i++)
        ips[i] = (i & 1) ? listed[rnd() % nl] : (uint32_t)rnd();
    size_t hits = 0;
    double t = now();
    for (int r = 0; r < ROUNDS; r++)
        for (size_t i = 0; i < N_VALUES; i++)
            hits += yj_ioc_match_ip4(s, ips[i], 443, NULL);
    double dt = now() - t;
    double total = (double)N_VALUES * ROUNDS;
    printf("IPv4 lookups: %.1f M/s on one core (goal >= 10 M/s); %.1f%% listed\n",
           total / dt / 1e6, 100.0 * (double)hits / total);
    t = now();
    hits = 0;
    for (int r = 0; r < ROUNDS; r++)
        for (size_t i = 0; i < N_VALUES; i += 2)
            hits += yj_ioc_match_ip4(s, ips[i], 443, NULL);
    dt = now() - t;
    printf("IPv4 lookups, unlisted only (most real traffic): %.1f M/s\n",
           total / 2 / dt / 1e6);

    /* domains: listed ones from maltrail (half of them as a subdomain), unlisted ones */
    char *mt = slurp(argv[2], &n);
    char **doms = malloc(400000 * sizeof *doms);
    size_t nd = 0;
    for (char *l = strtok(mt, "\n"); l && nd < 400000; l = strtok(NULL, "\n")) {
        char *tab = strchr(l, '\t');
        if (!tab || l[0] == '#' || l[0] == '/' || strchr(l, ':') || (l[0] >= '0' && l[0] <= '9'))
            continue;
        *tab = 0;
        if (strchr(l, '/') || !strchr(l, '.'))
            continue;
        if (rnd() % 4 == 0)
            doms[nd++] = l;
    }
    char *names = malloc((size_t)N_VALUES * 64);
    const char **q = malloc(N_VALUES * sizeof *q);
    size_t *ql = malloc(N_VALUES * sizeof *ql);
    static const char *const tld[] = {"com", "net", "org", "jp", "co.jp", "io"};
    for (size_t i = 0; i < N_VALUES; i++) {
        char *o = names + i * 64;
        int k;
        if (i & 1) {
            const char *d = doms[rnd() % nd];
            k = snprintf(o, 64, "%s%s", (i & 2) ? "www." : "", d);
        } else {
            k = snprintf(o, 64, "host%u.site%u.%s", (unsigned)(rnd() % 1000),
                         (unsigned)(rnd() % 100000000), tld[rnd() % 6]);
        }
        q[i] = o;
        ql[i] = (size_t)(k < 63 ? k : 63);
    }
    hits = 0;
    t = now();
    for (int r = 0; r < ROUNDS / 2; r++)
        for (size_t i = 0; i < N_VALUES; i++)
            hits += yj_ioc_match_domain(s, q[i], ql[i], NULL);
    dt = now() - t;
    total = (double)N_VALUES * (ROUNDS / 2);
    printf("domain lookups: %.1f M/s on one core (goal >= 10 M/s); %.1f%% listed\n",
           total / dt / 1e6, 100.0 * (double)hits / total);
    t = now();
    for (int r = 0; r < ROUNDS / 2; r++)
        for (size_t i = 0; i < N_VALUES; i += 2)
            hits += yj_ioc_match_domain(s, q[i], ql[i], NULL);
    dt = now() - t;
    printf("domain lookups, unlisted only (most real traffic): %.1f M/s\n",
           total / 2 / dt / 1e6);
    yj_ioc_set_free(s);
    free(ipsum);
    free(listed);
    free(ips);
    free(mt);
    free(doms);
    free(names);
    free(q);
    free(ql);
    return 0;
}
