/* Files and directories: bounded whole-file reads, atomic writes, directory creation, and
 * where yojin's shipped data (data/) lives. Buffers returned are the caller's to free. */
#ifndef YJ_BASE_FILE_H
#define YJ_BASE_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

/* Reads path whole (NUL-terminated, *len excludes the NUL); YJ_ERR_LIMIT past max bytes. */
enum yj_err yj_file_read(const char *path, size_t max, char **out, size_t *len,
                         struct yj_diag *d) YJ_MUST;
/* Writes to a temporary file beside path, fsyncs, renames over path. */
enum yj_err yj_file_write_atomic(const char *path, const void *p, size_t n, mode_t mode,
                                 struct yj_diag *d) YJ_MUST;
/* Creates path and its parents (like mkdir -p) with mode for the new ones. */
enum yj_err yj_mkdir_p(const char *path, mode_t mode, struct yj_diag *d) YJ_MUST;

/* Gives dir itself and the entries names[0..n) inside it to uid:gid (missing entries are
 * skipped), for a process about to become that user. */
enum yj_err yj_chown_in(const char *dir, const char *const *names, size_t n, uid_t uid,
                        gid_t gid, struct yj_diag *d) YJ_MUST;

/* "<data_dir>/yojin.yaml" as a new string when that file exists, else NULL: the one
 * configuration file every part of yojin reads its own section from. */
char *yj_config_file(const char *data_dir);

/* The directory of shipped data: $YOJIN_SHARE, else the build-time default. */
const char *yj_share_dir(void);
/* "<share>/<rel>" as a new string. */
char *yj_share_path(const char *rel);

const char *yj_version(void);

#endif
