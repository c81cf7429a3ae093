/* Error codes, diagnostics and the allocation wrappers that abort on exhaustion. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const err_desc[] = {
#define YJ_ERR(name, desc) desc,
#include "err.def"
#undef YJ_ERR
};

static const char *const err_keys[] = {
#define YJ_ERR(name, desc) "err." #name,
#include "err.def"
#undef YJ_ERR
};

const char *yj_err_str(enum yj_err e)
{
    if ((unsigned)e >= YJ_ERR__COUNT)
        return "unknown error";
    return err_desc[e];
}

const char *yj_err_key(enum yj_err e)
{
    if ((unsigned)e >= YJ_ERR__COUNT)
        return "err.INVALID";
    return err_keys[e];
}

void yj_diag_init(struct yj_diag *d)
{
    memset(d, 0, sizeof *d);
}

void yj_diag_fini(struct yj_diag *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].msg);
    }
    free(d->v);
    memset(d, 0, sizeof *d);
}

static void diag_vadd(struct yj_diag *d, const char *file, unsigned line, const char *fmt,
                      va_list ap)
{
    if (!d)
        return;
    size_t max = d->max ? d->max : 100;
    if (d->n >= max) {
        d->dropped++;
        return;
    }
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 8;
        d->v = yj_xrealloc(d->v, d->cap * sizeof *d->v);
    }
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0)
        yj_oom();
    d->v[d->n].file = file ? yj_xstrdup(file) : NULL;
    d->v[d->n].line = line;
    d->v[d->n].msg = msg;
    d->n++;
}

void yj_diag_add(struct yj_diag *d, const char *file, unsigned line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(d, file, line, fmt, ap);
    va_end(ap);
}

enum yj_err yj_diag_fail(struct yj_diag *d, enum yj_err err, const char *file, unsigned line,
                         const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(d, file, line, fmt, ap);
    va_end(ap);
    return err;
}

_Noreturn void yj_oom(void)
{
    static const char msg[] = "yojin: out of memory\n";
    ssize_t r = write(2, msg, sizeof msg - 1);
    (void)r;
    abort();
}

void *yj_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        yj_oom();
    return p;
}

void *yj_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        yj_oom();
    return p;
}

void *yj_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        yj_oom();
    return q;
}

char *yj_xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p)
        yj_oom();
    return p;
}

char *yj_xstrndup(const char *s, size_t n)
{
    char *p = strndup(s, n);
    if (!p)
        yj_oom();
    return p;
}
