/* YAML data files as a small tree with line numbers, on top of libyaml.
 *
 * A yj_yaml_doc owns its whole tree (one arena); nodes and scalar strings live until
 * yj_yaml_fini. Scalars are NUL-terminated. Anchors/aliases, tags and multiple documents
 * are rejected: yojin's data files are plain, and aliases invite entity-expansion bombs. */
#ifndef YJ_BASE_YAML_H
#define YJ_BASE_YAML_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "err.h"
#include "i18n.h"

enum yj_yaml_kind { YJ_YAML_SCALAR, YJ_YAML_SEQ, YJ_YAML_MAP };

struct yj_yaml {
    enum yj_yaml_kind kind;
    unsigned line, col;   /* 1-based position of the node's start */
    const char *s;        /* scalar text */
    size_t n;             /* scalar length */
    bool quoted;          /* scalar was written in quotes */
    struct yj_yaml **kids; /* seq: items; map: key, value, key, value, ... */
    size_t len;           /* seq: items; map: pairs */
};

struct yj_yaml_doc {
    struct yj_arena arena;
    const struct yj_yaml *root; /* NULL for an empty document */
    const char *name;           /* file name for diagnostics (arena copy) */
};

#define YJ_YAML_MAX_BYTES ((size_t)4 << 20)
#define YJ_YAML_MAX_DEPTH 64
#define YJ_YAML_MAX_NODES 1000000u
#define YJ_YAML_MAX_PAIRS 4096u

enum yj_err yj_yaml_load_file(struct yj_yaml_doc *doc, const char *path, struct yj_diag *d)
    YJ_MUST;
enum yj_err yj_yaml_load_mem(struct yj_yaml_doc *doc, const char *name, const char *p, size_t n,
                             struct yj_diag *d) YJ_MUST;
void yj_yaml_fini(struct yj_yaml_doc *doc);

/* Map lookup; NULL when map is not a map or lacks key. */
const struct yj_yaml *yj_yaml_get(const struct yj_yaml *map, const char *key);

/* Validating accessors: on failure they add "file:line: ..." to d and return false/NULL. */
bool yj_yaml_expect(const struct yj_yaml_doc *doc, const struct yj_yaml *node,
                    enum yj_yaml_kind kind, const char *what, struct yj_diag *d);
/* Reports every key of map that is not in allowed (NULL-terminated); false if any. */
bool yj_yaml_only_keys(const struct yj_yaml_doc *doc, const struct yj_yaml *map,
                       const char *const *allowed, struct yj_diag *d);
/* Required non-empty scalar text under key; NULL (with a message) when missing/empty. */
const char *yj_yaml_req_str(const struct yj_yaml_doc *doc, const struct yj_yaml *map,
                            const char *key, struct yj_diag *d);
bool yj_yaml_req_int(const struct yj_yaml_doc *doc, const struct yj_yaml *map, const char *key,
                     long *out, struct yj_diag *d);
/* An optional integer under key: absent leaves *out alone; present, it must lie in
 * [lo, hi]. */
bool yj_yaml_opt_range(const struct yj_yaml_doc *doc, const struct yj_yaml *map,
                       const char *key, long lo, long hi, long *out, struct yj_diag *d);
/* A required {ja: ..., en: ...} map under key, both languages non-empty text, copied into
 * arena. Optional texts: check yj_yaml_get(map, key) first. */
bool yj_yaml_text(const struct yj_yaml_doc *doc, const struct yj_yaml *map, const char *key,
                  struct yj_arena *arena, struct yj_text *out, struct yj_diag *d);
/* Line of key's value in map, or of the map itself when the key is missing. */
unsigned yj_yaml_line(const struct yj_yaml *map, const char *key);

#endif
