/* The holder: one published set, replaced without stopping the threads that look things up
 * in it (a small read-copy-update).
 *
 * Every reader has a slot. enter stores the current generation into the slot, then loads
 * the set pointer; leave stores 0. A swap exchanges the pointer, then increments the
 * generation to g, then waits until every slot is 0 (idle) or >= g: a reader with a smaller
 * number may still hold the old set; one that entered later sees the new pointer. All of it
 * is sequentially consistent atomics, so the order of those stores and loads is one order
 * that every thread agrees on. Readers never wait and never allocate; only the swapping
 * thread (the reload thread) waits, then frees the old set. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "ioc_int.h"

struct yj_ioc_reader {
    _Atomic uint64_t seen; /* 0: outside; else the generation seen at enter */
    struct yj_ioc_holder *h;
    char pad[48];          /* one cache line each */
};

struct yj_ioc_holder {
    _Atomic(struct yj_ioc_set *) cur;
    _Atomic uint64_t gen;
    struct yj_ioc_reader readers[YJ_IOC_READERS_MAX];
    _Atomic unsigned nreaders;
    pthread_mutex_t lock; /* reader registration, swaps and the reload thread */
    pthread_t thread;
    bool running;
    yj_ioc_build_fn fn;
    void *arg;
    enum yj_err result;
    struct yj_diag diag;
};

struct yj_ioc_holder *yj_ioc_holder_new(struct yj_ioc_set *initial)
{
    struct yj_ioc_holder *h = yj_xcalloc(1, sizeof *h);
    atomic_init(&h->cur, initial);
    atomic_init(&h->gen, 1);
    atomic_init(&h->nreaders, 0);
    for (size_t i = 0; i < YJ_IOC_READERS_MAX; i++)
        atomic_init(&h->readers[i].seen, 0);
    pthread_mutex_init(&h->lock, NULL);
    yj_diag_init(&h->diag);
    return h;
}

struct yj_ioc_reader *yj_ioc_reader_add(struct yj_ioc_holder *h)
{
    pthread_mutex_lock(&h->lock);
    unsigned n = atomic_load(&h->nreaders);
    struct yj_ioc_reader *r = NULL;
    if (n < YJ_IOC_READERS_MAX) {
        r = &h->readers[n];
        r->h = h;
        atomic_store(&h->nreaders, n + 1);
    }
    pthread_mutex_unlock(&h->lock);
    return r;
}

const struct yj_ioc_set *yj_ioc_enter(struct yj_ioc_reader *r)
{
    atomic_store(&r->seen, atomic_load(&r->h->gen));
    return atomic_load(&r->h->cur);
}

void yj_ioc_leave(struct yj_ioc_reader *r) { atomic_store(&r->seen, 0); }

uint64_t yj_ioc_holder_generation(const struct yj_ioc_holder *h)
{
    return atomic_load(&((struct yj_ioc_holder *)h)->gen) - 1;
}

void yj_ioc_holder_swap(struct yj_ioc_holder *h, struct yj_ioc_set *s)
{
    pthread_mutex_lock(&h->lock);
    struct yj_ioc_set *old = atomic_exchange(&h->cur, s);
    uint64_t g = atomic_fetch_add(&h->gen, 1) + 1;
    unsigned n = atomic_load(&h->nreaders);
    for (unsigned i = 0; i < n; i++) {
        for (;;) {
            uint64_t v = atomic_load(&h->readers[i].seen);
            if (v == 0 || v >= g)
                break;
            sched_yield();
        }
    }
    pthread_mutex_unlock(&h->lock);
    yj_ioc_set_free(old);
}

static void *reload_main(void *arg)
{
    struct yj_ioc_holder *h = arg;
    struct yj_diag d;
    yj_diag_init(&d);
    struct yj_ioc_set *s = h->fn(h->arg, &d);
    if (s)
        yj_ioc_holder_swap(h, s);
    pthread_mutex_lock(&h->lock);
    h->result = s ? YJ_ERR_OK : YJ_ERR_INVALID;
    yj_diag_fini(&h->diag);
    h->diag = d;
    pthread_mutex_unlock(&h->lock);
    return NULL;
}

enum yj_err yj_ioc_holder_reload(struct yj_ioc_holder *h, yj_ioc_build_fn fn, void *arg)
{
    pthread_mutex_lock(&h->lock);
    if (h->running) {
        pthread_mutex_unlock(&h->lock);
        return YJ_ERR_STATE;
    }
    h->fn = fn;
    h->arg = arg;
    h->running = true;
    pthread_mutex_unlock(&h->lock);
    if (pthread_create(&h->thread, NULL, reload_main, h) != 0) {
        pthread_mutex_lock(&h->lock);
        h->running = false;
        pthread_mutex_unlock(&h->lock);
        return YJ_ERR_IO;
    }
    return YJ_ERR_OK;
}

enum yj_err yj_ioc_holder_wait(struct yj_ioc_holder *h, struct yj_diag *d)
{
    pthread_mutex_lock(&h->lock);
    bool running = h->running;
    pthread_mutex_unlock(&h->lock);
    if (!running)
        return YJ_ERR_OK;
    pthread_join(h->thread, NULL);
    pthread_mutex_lock(&h->lock);
    h->running = false;
    enum yj_err err = h->result;
    for (size_t i = 0; i < h->diag.n; i++)
        yj_diag_add(d, h->diag.v[i].file, h->diag.v[i].line, "%s", h->diag.v[i].msg);
    yj_diag_fini(&h->diag);
    yj_diag_init(&h->diag);
    pthread_mutex_unlock(&h->lock);
    return err;
}

void yj_ioc_holder_free(struct yj_ioc_holder *h)
{
    if (!h)
        return;
    if (yj_ioc_holder_wait(h, NULL)) {
        /* the reload's failure has no one to tell any more */
    }
    yj_ioc_set_free(atomic_load(&h->cur));
    yj_diag_fini(&h->diag);
    pthread_mutex_destroy(&h->lock);
    free(h);
}
