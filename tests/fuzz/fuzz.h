/* What the fuzz targets and the replay driver share: the libFuzzer entry point's prototype
 * (the project builds with -Wmissing-prototypes) and the one-time loading of the shipped
 * catalogs, so that diagnostics are formatted with the real printf strings of data/po and
 * a mismatch between a format and its arguments shows up under the sanitizers.
 *
 * Each fuzz_<name>.c defines LLVMFuzzerTestOneInput once. It is linked either with libFuzzer
 * (fuzz_<name>, YJ_FUZZ builds) or with replay.c (replay_<name>, every build). */
#ifndef YJ_TESTS_FUZZ_FUZZ_H
#define YJ_TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Loads <share>/po/{ja,en}.po into the process-wide catalogs on the first call; later calls
 * do nothing. Without the catalogs yj_t returns ids, which is harmless but formats less. The
 * catalogs stay loaded (reachable, so LeakSanitizer does not count them). */
void yj_fuzz_load_catalogs(void);

#endif
