/* The notification gate: one message per (signature, source or user) within the window,
 * at most max messages per window, the rest counted and mentioned in the next message. A
 * fixed window that starts with the first message after the previous one ended. The keys
 * are a small list (one run sees few distinct alerts); expired ones are reused. The state
 * can outlive a run through the store (gate_store.c). */
#include <stdlib.h>
#include <string.h>

#include "notify.h"

void yj_notify_gate_init(struct yj_notify_gate *g, unsigned max_per_hour)
{
    memset(g, 0, sizeof *g);
    g->max = max_per_hour ? max_per_hour : 1;
    g->window_start = INT64_MIN;
}

void yj_notify_gate_fini(struct yj_notify_gate *g)
{
    for (size_t i = 0; i < g->n; i++)
        free(g->v[i].key);
    free(g->v);
    memset(g, 0, sizeof *g);
}

static struct yj_notify_seen *find(const struct yj_notify_gate *g, const char *key)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->v[i].key, key) == 0)
            return &g->v[i];
    return NULL;
}

bool yj_notify_gate_seen(const struct yj_notify_gate *g, const char *key, int64_t now)
{
    const struct yj_notify_seen *s = find(g, key);
    return s && now - s->at < YJ_NOTIFY_WINDOW;
}

void yj_notify_gate_remember(struct yj_notify_gate *g, const char *key, int64_t now)
{
    struct yj_notify_seen *s = find(g, key);
    if (!s) {
        for (size_t i = 0; i < g->n && !s; i++)
            if (now - g->v[i].at >= YJ_NOTIFY_WINDOW)
                s = &g->v[i];
        if (s) {
            free(s->key);
        } else {
            if (g->n == g->cap) {
                g->cap = g->cap ? g->cap * 2 : 16;
                g->v = yj_xrealloc(g->v, g->cap * sizeof *g->v);
            }
            s = &g->v[g->n++];
        }
        s->key = yj_xstrdup(key);
    }
    s->at = now;
}

void yj_notify_gate_forget(struct yj_notify_gate *g, const char *key)
{
    struct yj_notify_seen *s = find(g, key);
    if (s)
        s->at = INT64_MIN / 2; /* expired for any now; the slot is reused */
}

enum yj_notify_verdict yj_notify_gate_check(struct yj_notify_gate *g, const char *key,
                                            int64_t now, uint64_t pending, uint64_t *more)
{
    *more = 0;
    if (yj_notify_gate_seen(g, key, now))
        return YJ_NOTIFY_DUP;
    if (g->window_start == INT64_MIN || now - g->window_start >= YJ_NOTIFY_WINDOW) {
        g->window_start = now;
        g->sent = 0;
    }
    if (g->sent >= g->max) {
        if (g->announced)
            g->announced--;
        else
            g->held++;
        return YJ_NOTIFY_LIMITED;
    }
    g->sent++;
    *more = g->held;
    g->held = 0;
    if (g->sent == g->max && pending) {
        *more += pending;
        g->announced += pending;
    }
    yj_notify_gate_remember(g, key, now);
    return YJ_NOTIFY_SEND;
}
