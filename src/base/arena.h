/* Arenas: many small allocations freed together (nginx pools, h2o per-request pools).
 *
 * The arena owns everything allocated from it; yj_arena_fini frees it all at once.
 * Allocation never fails (exhaustion aborts, see yj_oom). */
#ifndef YJ_BASE_ARENA_H
#define YJ_BASE_ARENA_H

#include <stddef.h>

struct yj_arena_chunk;

struct yj_arena {
    struct yj_arena_chunk *head;
    size_t used, size; /* in the head chunk */
};

void yj_arena_init(struct yj_arena *a);
void yj_arena_fini(struct yj_arena *a);
void *yj_arena_alloc(struct yj_arena *a, size_t n); /* zeroed, max_align_t aligned */
char *yj_arena_strndup(struct yj_arena *a, const char *s, size_t n);
char *yj_arena_strdup(struct yj_arena *a, const char *s);

#endif
