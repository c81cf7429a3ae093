/* The engine's vocabularies (evidence.def) and the one rule for names inside an archive,
 * shared by the writer (which makes names from outside paths), the manifest parser and
 * verification (which refuse names that could escape a folder when extracted). */
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "evidence_int.h"

static const char *const area_code[] = {
#define YJ_EV_AREA(name, code, id) code,
#include "evidence.def"
#undef YJ_EV_AREA
};
static const char *const area_id[] = {
#define YJ_EV_AREA(name, code, id) id,
#include "evidence.def"
#undef YJ_EV_AREA
};
static const char *const why_code[] = {
#define YJ_EV_WHY(name, code, id) code,
#include "evidence.def"
#undef YJ_EV_WHY
};
static const char *const why_id[] = {
#define YJ_EV_WHY(name, code, id) id,
#include "evidence.def"
#undef YJ_EV_WHY
};
static const char *const problem_code[] = {
#define YJ_EV_PROBLEM(name, code, id) code,
#include "evidence.def"
#undef YJ_EV_PROBLEM
};
static const char *const problem_id[] = {
#define YJ_EV_PROBLEM(name, code, id) id,
#include "evidence.def"
#undef YJ_EV_PROBLEM
};

#define PICK(table, i) ((size_t)(i) < sizeof table / sizeof table[0] ? table[i] : table[0])

const char *yj_ev_area_code(enum yj_ev_area a) { return PICK(area_code, a); }
const char *yj_ev_area_text_id(enum yj_ev_area a) { return PICK(area_id, a); }
const char *yj_ev_why_code(enum yj_ev_why w) { return PICK(why_code, w); }
const char *yj_ev_why_text_id(enum yj_ev_why w) { return PICK(why_id, w); }
const char *yj_ev_problem_code(enum yj_ev_problem p) { return PICK(problem_code, p); }
const char *yj_ev_problem_text_id(enum yj_ev_problem p) { return PICK(problem_id, p); }

bool yj_ev_name_ok(const char *p, size_t n)
{
    if (n == 0 || n > YJ_MANIFEST_MAX_PATH || p[0] == '/')
        return false;
    if (!yj_str_is_text((struct yj_str){p, n}) || memchr(p, '\t', n) || memchr(p, '\\', n))
        return false;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && p[i] != '/')
            continue;
        size_t len = i - start;
        if (len == 0 || (len == 1 && p[start] == '.') ||
            (len == 2 && p[start] == '.' && p[start + 1] == '.'))
            return false;
        start = i + 1;
    }
    return true;
}

char *yj_ev_dest_path(const char *prefix, const char *src)
{
    while (*src == '/')
        src++;
    size_t np = strlen(prefix), ns = strlen(src);
    char *out = yj_xmalloc(np + ns + 1);
    memcpy(out, prefix, np);
    char *o = out + np;
    size_t seg = 0; /* bytes in the current component */
    for (size_t i = 0; i < ns;) {
        unsigned char ch = (unsigned char)src[i];
        if (ch == '/') {
            if (seg == 0) { /* "a//b": drop the empty component */
                i++;
                continue;
            }
            *o++ = '/';
            seg = 0;
            i++;
            continue;
        }
        /* One UTF-8 sequence (or one bad byte) at a time. */
        size_t len = 1;
        if (ch >= 0xc2 && ch <= 0xdf)
            len = 2;
        else if (ch >= 0xe0 && ch <= 0xef)
            len = 3;
        else if (ch >= 0xf0 && ch <= 0xf4)
            len = 4;
        if (i + len > ns || !yj_str_is_text((struct yj_str){src + i, len}) || ch == '\t' ||
            ch == '\\') {
            *o++ = '_';
            i++;
        } else {
            memcpy(o, src + i, len);
            o += len;
            i += len;
        }
        seg++;
    }
    if (o > out + np && o[-1] == '/')
        o--;
    *o = '\0';
    /* "." and ".." components cannot come from readdir, but a source path may hold them. */
    for (char *s = out; *s;) {
        char *e = strchr(s, '/');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if ((len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
            memset(s, '_', len);
        s += len;
        if (*s == '/')
            s++;
    }
    return out;
}
