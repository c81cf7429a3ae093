/* Fuzz target: threat list parsing (yj_ioc_builder_add_mem) in every format, the set built
 * from it, and lookups on it. The first byte picks the format. Properties: the counts add
 * up, and any single word that loads as a one-entry plain list is found again by
 * yj_ioc_explain with the same text and by the fast lookup of its kind. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ioc/ioc.h"

static void roundtrip(const char *w, size_t n)
{
    char word[300];
    if (!n || n >= sizeof word || memchr(w, '\0', n))
        return;
    if (n >= 3 && memcmp(w, "\xef\xbb\xbf", 3) == 0)
        return; /* a byte order mark is dropped only at the start of a file */
    memcpy(word, w, n);
    word[n] = 0;
    struct yj_ioc_builder *b = yj_ioc_builder_new();
    struct yj_ioc_file_stats st;
    enum yj_err e = yj_ioc_builder_add_mem(b, "w", "w", YJ_IOC_FMT_PLAIN, word, n, &st, NULL);
    struct yj_ioc_set *s = yj_ioc_builder_build(b);
    if (st.entries == 1) {
        if (e)
            abort();
        struct yj_ioc_hit h[4];
        enum yj_ioc_value k;
        size_t total = 0;
        if (yj_ioc_explain(s, word, &k, h, 4, &total) || total < 1)
            abort();
        bool fast = true;
        switch (h[0].kind) {
        case YJ_IOC_DOMAIN: fast = yj_ioc_match_domain(s, word, n, NULL); break;
        case YJ_IOC_URL:
        case YJ_IOC_PATH: fast = yj_ioc_match_url(s, word, n, NULL); break;
        default: break;
        }
        if (!fast)
            abort();
    }
    yj_ioc_set_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    yj_fuzz_load_catalogs();
    if (!size)
        return 0;
    enum yj_ioc_format f = (enum yj_ioc_format)(data[0] % YJ_IOC_FMT__COUNT);
    const char *p = (const char *)data + 1;
    size_t n = size - 1;
    struct yj_ioc_builder *b = yj_ioc_builder_new();
    struct yj_ioc_file_stats st;
    struct yj_diag d;
    yj_diag_init(&d);
    if (yj_ioc_builder_add_mem(b, "fuzz", "fuzz.txt", f, p, n, &st, &d)) {
        /* most lines bad: the good ones are still in the builder */
    }
    if (st.entries + st.bad > st.lines)
        abort();
    struct yj_ioc_set *s = yj_ioc_builder_build(b);
    if (yj_ioc_set_count(s) != st.entries)
        abort();
    /* lookups with the raw lines */
    size_t start = 0, lines = 0;
    for (size_t i = 0; i <= n && lines < 16; i++) {
        if (i < n && p[i] != '\n')
            continue;
        const char *l = p + start;
        size_t ln = i - start;
        (void)yj_ioc_match_domain(s, l, ln, NULL);
        (void)yj_ioc_match_url(s, l, ln, NULL);
        (void)yj_ioc_match_http(s, l, ln, l, ln, NULL);
        size_t w = 0;
        while (w < ln && l[w] != ' ' && l[w] != '\t' && l[w] != '\r' && l[w] != '\v' &&
               l[w] != '\f')
            w++;
        roundtrip(l, w);
        start = i + 1;
        lines++;
    }
    uint8_t a[16];
    memset(a, 0, sizeof a);
    memcpy(a, data, size < 16 ? size : 16);
    (void)yj_ioc_match_ip(s, a, (uint16_t)size, NULL);
    yj_ioc_set_free(s);
    yj_diag_fini(&d);
    return 0;
}
