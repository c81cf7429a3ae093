/* Fuzz target: syslog framing (yj_syslog_parse) and the whole line path behind it
 * (yj_host_scan_line: parsers, detectors, alert texts and EVE rendering).
 *
 * The bytes are one line for the framing parser, whose views must lie inside the input,
 * then split at newlines and scanned with a small detector table, every event rendered as
 * EVE JSON, which must come out as one line. */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "event/event.h"
#include "fuzz.h"
#include "host/host.h"

static void inside(struct yj_str v, const uint8_t *data, size_t size)
{
    if (v.n && ((const uint8_t *)v.p < data || (const uint8_t *)v.p + v.n > data + size))
        abort();
}

static void emit(void *ctx, const struct yj_event *ev)
{
    struct yj_buf *b = ctx;
    yj_buf_reset(b);
    yj_eve_write(b, ev);
    if (!yj_buf_err(b) && (b->len == 0 || memchr(b->p, '\n', b->len) != b->p + b->len - 1))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    yj_fuzz_load_catalogs();
    struct yj_host_clock clk = {0, 1795132800};
    struct yj_syslog sl;
    struct yj_str line = {(const char *)data, size};
    if (yj_syslog_parse(line, &clk, &sl)) {
        inside(sl.host, data, size);
        inside(sl.prog, data, size);
        inside(sl.msg, data, size);
    }
    struct yj_host_config c;
    yj_host_config_default(&c);
    c.table_size = 64;
    c.bf_failures = 2;
    c.spray_users = 2;
    c.dist_sources = 2;
    c.comp_failures = 2;
    struct yj_host_detect *det = yj_host_detect_new(&c);
    struct yj_host_scan s;
    struct yj_buf b;
    yj_buf_init(&b, 1 << 16);
    yj_host_scan_init(&s, det, YJ_LANG_EN);
    s.emit = emit;
    s.ctx = &b;
    struct yj_host_file_stats st = {0};
    uint64_t n = 0;
    struct yj_str cur = line, l;
    while (yj_str_next_line(&cur, &l))
        yj_host_scan_line(&s, &clk, l, "fuzz.log", ++n, &st);
    if (st.skipped > st.lines || st.events > st.lines)
        abort();
    yj_host_scan_fini(&s);
    yj_host_detect_free(det);
    yj_buf_fini(&b);
    return 0;
}
