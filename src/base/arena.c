/* Arena allocator: a list of chunks, bump allocation inside the newest one. Requests larger
 * than a chunk get a chunk of their own. */
#include "arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

#define CHUNK (16u * 1024u)

struct yj_arena_chunk {
    struct yj_arena_chunk *next;
    alignas(max_align_t) unsigned char data[];
};

void yj_arena_init(struct yj_arena *a)
{
    memset(a, 0, sizeof *a);
}

void yj_arena_fini(struct yj_arena *a)
{
    struct yj_arena_chunk *c = a->head;
    while (c) {
        struct yj_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    memset(a, 0, sizeof *a);
}

void *yj_arena_alloc(struct yj_arena *a, size_t n)
{
    const size_t al = alignof(max_align_t);
    size_t need = (n + al - 1) & ~(al - 1);
    if (need < n)
        yj_oom();
    if (!a->head || a->size - a->used < need) {
        size_t size = need > CHUNK ? need : CHUNK;
        struct yj_arena_chunk *c = yj_xmalloc(sizeof *c + size);
        if (need > CHUNK && a->head) {
            /* Keep the current chunk as the bump target; slot the big one behind it. */
            c->next = a->head->next;
            a->head->next = c;
            memset(c->data, 0, n);
            return c->data;
        }
        c->next = a->head;
        a->head = c;
        a->used = 0;
        a->size = size;
    }
    void *p = a->head->data + a->used;
    a->used += need;
    memset(p, 0, n);
    return p;
}

char *yj_arena_strndup(struct yj_arena *a, const char *s, size_t n)
{
    char *p = yj_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *yj_arena_strdup(struct yj_arena *a, const char *s)
{
    return yj_arena_strndup(a, s, strlen(s));
}
