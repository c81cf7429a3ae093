/* evidence: the hand parsers of kernel text (/proc/net tables, /proc/<pid>/stat), the table
 * field escaping and the archive names made from outside paths. */
#include "ut.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "evidence/evidence_int.h"

#define S(lit) ((struct yj_str){(lit), sizeof(lit) - 1})

/* The kernel prints each 32-bit word of the address as it sits in memory, so the text
 * depends on the host's byte order. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LOOPBACK4 "0100007F"
#define ADDR4_10_0_0_5 "0500000A"
#define LOOPBACK6 "00000000000000000000000001000000"
#define DOC6 "B80D0120000000000000000001000000" /* 2001:db8::1 */
#else
#define LOOPBACK4 "7F000001"
#define ADDR4_10_0_0_5 "0A000005"
#define LOOPBACK6 "00000000000000000000000000000001"
#define DOC6 "20010DB8000000000000000000000001"
#endif

static void sock_v4(void **state)
{
    (void)state;
    struct yj_ev_sock s;
    assert_true(yj_ev_parse_sock(
        S("   0: " LOOPBACK4 ":0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000   111"
          "        0 23456 1 0000000000000000 100 0 0 10 0"),
        false, &s));
    assert_string_equal(s.local, "127.0.0.1");
    assert_int_equal(s.lport, 3306);
    assert_string_equal(s.remote, "0.0.0.0");
    assert_int_equal(s.rport, 0);
    assert_int_equal(s.state, 0x0A);
    assert_int_equal(s.uid, 111);
    assert_int_equal(s.inode, 23456);
    assert_string_equal(yj_ev_tcp_state(s.state), "LISTEN");
    assert_true(yj_ev_parse_sock(
        S("  12: " ADDR4_10_0_0_5 ":0016 " LOOPBACK4 ":D431 01 00000000:00000000 02:0004B2A1 "
          "00000000     0        0 98765432101 2 0000000000000000 20 4 30 10 -1"),
        false, &s));
    assert_string_equal(s.local, "10.0.0.5");
    assert_int_equal(s.lport, 22);
    assert_string_equal(s.remote, "127.0.0.1");
    assert_int_equal(s.rport, 54321);
    assert_string_equal(yj_ev_tcp_state(s.state), "ESTABLISHED");
    assert_int_equal(s.inode, 98765432101ULL);
}

static void sock_v6(void **state)
{
    (void)state;
    struct yj_ev_sock s;
    assert_true(yj_ev_parse_sock(
        S("   0: " LOOPBACK6 ":0016 00000000000000000000000000000000:0000 0A 00000000:00000000 "
          "00:00000000 00000000     0        0 1145 1 0000000000000000 100 0 0 10 0"),
        true, &s));
    assert_string_equal(s.local, "::1");
    assert_int_equal(s.lport, 22);
    assert_string_equal(s.remote, "::");
    assert_true(yj_ev_parse_sock(
        S("   1: " DOC6 ":01BB " LOOPBACK6 ":C350 06 00000000:00000000 03:00001770 00000000"
          "     0        0 0 3 0000000000000000"),
        true, &s));
    assert_string_equal(s.local, "2001:db8::1");
    assert_int_equal(s.lport, 443);
    assert_int_equal(s.rport, 50000);
    assert_string_equal(yj_ev_tcp_state(s.state), "TIME_WAIT");
    assert_int_equal(s.inode, 0);
}

static void sock_malformed(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        bool v6;
    } bad[] = {
        {"", false},
        {"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid",
         false},
        {"   0 " LOOPBACK4 ":0CEA 00000000:0000 0A 0:0 0:0 0 1 0 5", false},     /* no colon */
        {"   x: " LOOPBACK4 ":0CEA 00000000:0000 0A 0:0 0:0 0 1 0 5", false},    /* sl */
        {"   0: " LOOPBACK4 "0CEA 00000000:0000 0A 0:0 0:0 0 1 0 5", false},     /* addr */
        {"   0: " LOOPBACK4 ":0CEA 00000000:0000 0A 0:0 0:0 0 1 0 5", true},     /* v4 in v6 */
        {"   0: " LOOPBACK6 ":0016 00000000:0000 0A 0:0 0:0 0 1 0 5", true},     /* short remote */
        {"   0: 0100007G:0CEA 00000000:0000 0A 0:0 0:0 0 1 0 5", false},         /* hex */
        {"   0: " LOOPBACK4 ":0CEAA 00000000:0000 0A 0:0 0:0 0 1 0 5", false},   /* port */
        {"   0: " LOOPBACK4 ":0CEA 00000000:0000 A 0:0 0:0 0 1 0 5", false},     /* state */
        {"   0: " LOOPBACK4 ":0CEA 00000000:0000 0A 0:0 0:0 0 -1 0 5", false},   /* uid */
        {"   0: " LOOPBACK4 ":0CEA 00000000:0000 0A 0:0 0:0 0 1 0", false},      /* no inode */
        {"   0: " LOOPBACK4 ":0CEA 00000000:0000 0A 0:0 0:0 0 1 0 123456789012345678901",
         false}, /* inode overflows */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct yj_ev_sock s;
        if (yj_ev_parse_sock(yj_str_c(bad[i].line), bad[i].v6, &s)) {
            print_error("accepted case %zu\n", i);
            fail();
        }
    }
    assert_string_equal(yj_ev_tcp_state(0x0C), "NEW_SYN_RECV");
    assert_string_equal(yj_ev_tcp_state(0x0D), "UNKNOWN");
    assert_string_equal(yj_ev_tcp_state(0xFF), "UNKNOWN");
}

static void pstat(void **state)
{
    (void)state;
    struct yj_ev_pstat p;
    assert_true(yj_ev_parse_pstat(
        S("1234 (my (odd) proc) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 98765 "
          "1000 100 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n"),
        &p));
    assert_string_equal(p.comm, "my (odd) proc");
    assert_int_equal(p.state, 'S');
    assert_int_equal(p.ppid, 1);
    assert_int_equal(p.flags, 4194560);
    assert_int_equal(p.starttime, 98765);
    /* A kernel thread carries PF_KTHREAD. */
    assert_true(yj_ev_parse_pstat(
        S("2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 3 0 0"), &p));
    assert_true(p.flags & 0x00200000UL);
    /* A long name is cut, not overflowed. */
    char line[300];
    snprintf(line, sizeof line, "9 (%s) R 1 9 9 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5",
             "0123456789012345678901234567890123456789012345678901234567890123456789");
    assert_true(yj_ev_parse_pstat(yj_str_c(line), &p));
    assert_int_equal(strlen(p.comm), sizeof p.comm - 1);
    static const char *const bad[] = {
        "",
        "1 noparens S 1 2 3",
        "1 (a) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0", /* no starttime */
        "1 (a) SS 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5",
        "1 (a) S x 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5",
        "1 (a) S 1 1 1 0 -1 0x10 0 0 0 0 0 0 0 0 20 0 1 0 5",
        "1 (a) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99999999999999999999999",
        "1 )a( S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (yj_ev_parse_pstat(yj_str_c(bad[i]), &p)) {
            print_error("accepted case %zu\n", i);
            fail();
        }
}

static void tsv_fields(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 0);
    yj_ev_tsv(&b, "a\tb\nc\\d\x01\x7f\xff", 10);
    assert_string_equal(yj_buf_cstr(&b), "a\\tb\\nc\\\\d\\x01\\x7f\\xff");
    yj_buf_reset(&b);
    yj_ev_tsv_s(&b, "日本 ok");
    assert_string_equal(yj_buf_cstr(&b), "日本 ok");
    yj_buf_reset(&b);
    yj_ev_tsv(&b, "", 0);
    assert_string_equal(yj_buf_cstr(&b), "-");
    yj_buf_reset(&b);
    yj_ev_tsv(&b, "\xe6\x97", 2); /* a cut UTF-8 sequence */
    assert_string_equal(yj_buf_cstr(&b), "\\xe6\\x97");
    yj_buf_reset(&b);
    yj_ev_tsv(&b, "a\0b", 3);
    assert_string_equal(yj_buf_cstr(&b), "a\\x00b");
    yj_buf_fini(&b);
}

static void dest_paths(void **state)
{
    (void)state;
    static const struct {
        const char *src, *want;
    } cases[] = {
        {"/etc/cron.d/backup", "scheduled/etc/cron.d/backup"},
        {"//etc//cron.d/", "scheduled/etc/cron.d"},
        {"/a/../b/./c", "scheduled/a/__/b/_/c"},
        {"/tmp/new\nline\ttab\\x", "scheduled/tmp/new_line_tab_x"},
        {"/tmp/\xff\xfe.sh", "scheduled/tmp/__.sh"},
        {"/home/山田/.config", "scheduled/home/山田/.config"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = yj_ev_dest_path("scheduled/", cases[i].src);
        assert_string_equal(got, cases[i].want);
        assert_true(yj_ev_name_ok(got, strlen(got)));
        free(got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sock_v4),        cmocka_unit_test(sock_v6),
        cmocka_unit_test(sock_malformed), cmocka_unit_test(pstat),
        cmocka_unit_test(tsv_fields),     cmocka_unit_test(dest_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
