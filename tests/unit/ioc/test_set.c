/* Threat lists: every format, address ranges at their edges, domain and URL matching rules,
 * bad lines with file:line, and what `explain` reports. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ioc/ioc.h"
#include "ut.h"

static struct yj_ioc_set *one(const char *text, enum yj_ioc_format f,
                              struct yj_ioc_file_stats *st, struct yj_diag *d)
{
    struct yj_ioc_builder *b = yj_ioc_builder_new();
    assert_int_equal(yj_ioc_builder_add_mem(b, "t", "t.txt", f, text, strlen(text), st, d),
                     YJ_ERR_OK);
    return yj_ioc_builder_build(b);
}

static bool ip(const struct yj_ioc_set *s, const char *a, uint16_t port, struct yj_ioc_hit *h)
{
    unsigned x[4];
    if (sscanf(a, "%u.%u.%u.%u", &x[0], &x[1], &x[2], &x[3]) == 4)
        return yj_ioc_match_ip4(s, x[0] << 24 | x[1] << 16 | x[2] << 8 | x[3], port, h);
    uint8_t v6[16];
    assert_int_equal(inet_pton(AF_INET6, a, v6), 1);
    return yj_ioc_match_ip(s, v6, port, h);
}

static bool dom(const struct yj_ioc_set *s, const char *n) { return yj_ioc_match_domain(s, n, strlen(n), NULL); }
static bool url(const struct yj_ioc_set *s, const char *u) { return yj_ioc_match_url(s, u, strlen(u), NULL); }

static void plain(void **state)
{
    (void)state;
    struct yj_ioc_file_stats st;
    struct yj_diag d;
    yj_diag_init(&d);
    struct yj_ioc_set *s = one("# comment\n; another\n\n"
                               "192.0.2.1\n"
                               "198.51.100.0/24  trailing words are ignored\n"
                               "2001:db8::/32\n"
                               "2001:db8:1::5\n"
                               "Evil.Example.COM.\n"
                               "*.wild.example\n"
                               "http://Bad.Example:80/Path/To/?q=1#frag\n"
                               "203.0.113.9:8080\n"
                               "[2001:db8::7]:443\n"
                               "/gate.php\n",
                               YJ_IOC_FMT_AUTO, &st, &d);
    assert_int_equal(st.format, YJ_IOC_FMT_PLAIN);
    assert_int_equal(st.entries, 10);
    assert_int_equal(st.bad, 0);
    assert_int_equal(d.n, 0);
    struct yj_ioc_hit h;
    assert_true(ip(s, "192.0.2.1", 0, &h));
    assert_string_equal(h.indicator, "192.0.2.1");
    assert_string_equal(h.file, "t.txt");
    assert_int_equal(h.line, 4);
    assert_int_equal(h.kind, YJ_IOC_IP);
    assert_false(ip(s, "192.0.2.2", 0, NULL));
    assert_true(ip(s, "198.51.100.77", 0, &h));
    assert_string_equal(h.indicator, "198.51.100.0/24");
    assert_int_equal(h.line, 5);
    assert_true(ip(s, "2001:db8:ffff::1", 0, &h));
    assert_string_equal(h.indicator, "2001:db8::/32");
    assert_true(ip(s, "2001:db8:1::5", 0, &h));
    assert_string_equal(h.indicator, "2001:db8:1::5"); /* exact beats the range */
    assert_false(ip(s, "2001:db9::1", 0, NULL));
    /* address with port: only that port */
    assert_false(ip(s, "203.0.113.9", 0, NULL));
    assert_false(ip(s, "203.0.113.9", 80, NULL));
    assert_true(ip(s, "203.0.113.9", 8080, &h));
    assert_string_equal(h.indicator, "203.0.113.9:8080");
    assert_true(ip(s, "2001:db8::7", 443, NULL)); /* also inside 2001:db8::/32 */
    assert_true(dom(s, "evil.example.com"));
    assert_true(dom(s, "wild.example"));
    assert_true(dom(s, "a.wild.example"));
    assert_false(url(s, "bad.example/Path/To")); /* the listing has a query */
    assert_true(url(s, "http://bad.example/Path/To?q=1"));
    assert_true(url(s, "https://bad.example/Path/To/?q=1"));
    assert_true(url(s, "http://x.example/gate.php?id=1"));
    assert_false(url(s, "http://x.example/gate.phpx"));
    yj_ioc_set_free(s);
    yj_diag_fini(&d);
}

static void cidr_edges(void **state)
{
    (void)state;
    struct yj_ioc_file_stats st;
    struct yj_ioc_set *s = one("10.0.0.0/8\n10.1.0.0/16\n10.1.2.3/32\n", YJ_IOC_FMT_PLAIN, &st,
                               NULL);
    struct yj_ioc_hit h;
    assert_true(ip(s, "10.0.0.0", 0, &h));
    assert_string_equal(h.indicator, "10.0.0.0/8");
    assert_true(ip(s, "10.255.255.255", 0, &h));
    assert_string_equal(h.indicator, "10.0.0.0/8");
    assert_false(ip(s, "9.255.255.255", 0, NULL));
    assert_false(ip(s, "11.0.0.0", 0, NULL));
    /* longest prefix wins, and the outer range resumes after the inner one */
    assert_true(ip(s, "10.1.0.0", 0, &h));
    assert_string_equal(h.indicator, "10.1.0.0/16");
    assert_true(ip(s, "10.1.255.255", 0, &h));
    assert_string_equal(h.indicator, "10.1.0.0/16");
    assert_true(ip(s, "10.2.0.0", 0, &h));
    assert_string_equal(h.indicator, "10.0.0.0/8");
    assert_true(ip(s, "10.0.255.255", 0, &h));
    assert_string_equal(h.indicator, "10.0.0.0/8");
    assert_true(ip(s, "10.1.2.3", 0, &h)); /* /32 is one address */
    assert_string_equal(h.indicator, "10.1.2.3");
    assert_int_equal(h.kind, YJ_IOC_IP);
    assert_true(ip(s, "10.1.2.4", 0, &h));
    assert_string_equal(h.indicator, "10.1.0.0/16");
    yj_ioc_set_free(s);

    /* /0: everything of its family, and only that family */
    s = one("0.0.0.0/0\n", YJ_IOC_FMT_PLAIN, &st, NULL);
    assert_true(ip(s, "0.0.0.0", 0, NULL));
    assert_true(ip(s, "255.255.255.255", 0, NULL));
    assert_false(ip(s, "2001:db8::1", 0, NULL));
    yj_ioc_set_free(s);
    s = one("::/0\n2001:db8::1/128\n", YJ_IOC_FMT_PLAIN, &st, NULL);
    struct yj_ioc_hit h6;
    assert_true(ip(s, "::", 0, NULL));
    assert_true(ip(s, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0, &h6));
    assert_string_equal(h6.indicator, "::/0");
    assert_true(ip(s, "2001:db8::1", 0, &h6));
    assert_string_equal(h6.indicator, "2001:db8::1");
    assert_int_equal(h6.kind, YJ_IOC_IP);
    assert_true(ip(s, "1.2.3.4", 0, NULL)); /* IPv4 is inside ::/0 as ::ffff:0:0/96 */
    yj_ioc_set_free(s);
    /* host bits are cleared; a prefix past the address is a bad line */
    struct yj_diag d;
    yj_diag_init(&d);
    s = one("192.0.2.77/24\n192.0.2.0/33\n198.51.100.0/24\n", YJ_IOC_FMT_PLAIN, &st, &d);
    assert_int_equal(st.bad, 1);
    assert_non_null(ut_diag_find(&d, 2, NULL));
    assert_true(ip(s, "192.0.2.1", 0, &h));
    assert_string_equal(h.indicator, "192.0.2.0/24");
    yj_ioc_set_free(s);
    yj_diag_fini(&d);
}

/* Big enough for the 2^16 first-level indexes: bucket edges, empty buckets, ports */
static void indexed(void **state)
{
    (void)state;
    size_t cap = 200000, k = 0;
    char *text = malloc(cap);
    k += (size_t)snprintf(text + k, cap - k, "10.0.0.0/8\n10.1.0.0/16\n172.16.0.0/12\n");
    for (unsigned i = 0; i < 3000; i++)
        k += (size_t)snprintf(text + k, cap - k, "10.%u.%u.1\n192.0.2.%u:%u\n", i / 256 + 3,
                              i % 256, i % 256, 1000 + i);
    struct yj_ioc_file_stats st;
    struct yj_ioc_set *s = one(text, YJ_IOC_FMT_PLAIN, &st, NULL);
    assert_int_equal(st.entries, 6003);
    struct yj_ioc_hit h;
    assert_true(ip(s, "10.1.255.255", 0, &h));
    assert_string_equal(h.indicator, "10.1.0.0/16");
    assert_true(ip(s, "10.2.0.0", 0, &h)); /* a bucket with no segment of its own */
    assert_string_equal(h.indicator, "10.0.0.0/8");
    assert_true(ip(s, "10.3.0.1", 0, &h));
    assert_string_equal(h.indicator, "10.3.0.1");
    assert_true(ip(s, "10.3.0.2", 0, &h));
    assert_string_equal(h.indicator, "10.0.0.0/8");
    assert_true(ip(s, "10.14.183.1", 0, &h)); /* i = 2999 */
    assert_string_equal(h.indicator, "10.14.183.1");
    assert_true(ip(s, "10.255.255.255", 0, &h));
    assert_string_equal(h.indicator, "10.0.0.0/8");
    assert_false(ip(s, "11.0.0.0", 0, NULL));
    assert_false(ip(s, "9.255.255.255", 0, NULL));
    assert_true(ip(s, "172.31.255.255", 0, NULL));
    assert_false(ip(s, "172.32.0.0", 0, NULL));
    assert_false(ip(s, "0.0.0.0", 0, NULL));
    assert_false(ip(s, "255.255.255.255", 0, NULL));
    /* ports: 192.0.2.x listed with several ports each */
    assert_true(ip(s, "192.0.2.7", 1007, &h));
    assert_string_equal(h.indicator, "192.0.2.7:1007");
    assert_true(ip(s, "192.0.2.7", 1263, NULL)); /* i = 263 */
    assert_false(ip(s, "192.0.2.7", 1008, NULL));
    assert_false(ip(s, "192.0.2.7", 0, NULL));
    assert_true(ip(s, "192.0.2.183", 3999, NULL)); /* i = 2999 */
    yj_ioc_set_free(s);
    free(text);
}

static void domains(void **state)
{
    (void)state;
    struct yj_ioc_file_stats st;
    struct yj_ioc_set *s = one("evil.com\nsub.other.org\n", YJ_IOC_FMT_PLAIN, &st, NULL);
    assert_true(dom(s, "evil.com"));
    assert_true(dom(s, "EVIL.com"));
    assert_true(dom(s, "evil.com."));
    assert_true(dom(s, "a.b.evil.com"));
    assert_false(dom(s, "notevil.com"));
    assert_false(dom(s, "evil.com.net"));
    assert_false(dom(s, "evil.co"));
    assert_false(dom(s, "com"));
    assert_false(dom(s, ""));
    assert_false(dom(s, "other.org")); /* a parent of a listed name is not listed */
    assert_true(dom(s, "x.sub.other.org"));
    struct yj_ioc_hit h;
    assert_true(yj_ioc_match_domain(s, "www.Evil.Com", 12, &h));
    assert_string_equal(h.indicator, "evil.com");
    assert_int_equal(h.kind, YJ_IOC_DOMAIN);
    yj_ioc_set_free(s);
    /* the most specific listing answers */
    s = one("evil.com\tmalware/a\nc2.evil.com\tmalware/b\n", YJ_IOC_FMT_MALTRAIL, &st, NULL);
    assert_true(yj_ioc_match_domain(s, "x.c2.evil.com", 13, &h));
    assert_string_equal(h.category, "malware/b");
    yj_ioc_set_free(s);
}

static void urls(void **state)
{
    (void)state;
    struct yj_ioc_file_stats st;
    struct yj_ioc_set *s = one("evil.com/dl/\n"
                               "http://1.2.3.4:8080/bin.sh\n"
                               "https://host.example/a?b=c\n"
                               "http://bare.example\n",
                               YJ_IOC_FMT_PLAIN, &st, NULL);
    assert_int_equal(st.entries, 4);
    assert_true(url(s, "http://evil.com/dl"));
    assert_true(url(s, "http://EVIL.COM:80/dl/x.exe"));
    assert_true(url(s, "evil.com/dl?x"));
    assert_false(url(s, "http://evil.com/dlx"));
    assert_false(url(s, "http://evil.com:8080/dl")); /* another port is another server */
    assert_false(url(s, "http://evil.com/"));
    assert_true(url(s, "1.2.3.4:8080/bin.sh"));
    assert_false(url(s, "http://1.2.3.4/bin.sh"));
    assert_true(url(s, "https://host.example:443/a?b=c"));
    assert_false(url(s, "https://host.example/a?b=d"));
    assert_false(url(s, "https://host.example/a"));
    assert_true(url(s, "http://bare.example/anything"));
    assert_true(yj_ioc_match_http(s, "Evil.com", 8, "/dl/a", 5, NULL));
    assert_true(yj_ioc_match_http(s, "1.2.3.4:8080", 12, "/bin.sh", 7, NULL));
    assert_false(yj_ioc_match_http(s, "1.2.3.4", 7, "/bin.sh", 7, NULL));
    /* URL entries are not domains */
    assert_false(dom(s, "evil.com"));
    yj_ioc_set_free(s);
}

static void maltrail_ipsum(void **state)
{
    (void)state;
    struct yj_ioc_file_stats st;
    struct yj_ioc_set *s = one("# header\nevil.com\tmalware/emotet\n51.210.1.239:8443\tmalicious/x\n"
                               "/365-Stealer/\tmalicious/y\n198.20.69.0/24\tmass_scanner\n",
                               YJ_IOC_FMT_AUTO, &st, NULL);
    assert_int_equal(st.format, YJ_IOC_FMT_MALTRAIL);
    assert_int_equal(st.entries, 4);
    struct yj_ioc_hit h;
    assert_true(yj_ioc_match_domain(s, "evil.com", 8, &h));
    assert_string_equal(h.category, "malware/emotet");
    assert_string_equal(h.list, "t");
    assert_int_equal(h.line, 2);
    assert_true(ip(s, "198.20.69.200", 0, &h));
    assert_string_equal(h.category, "mass_scanner");
    assert_true(url(s, "http://a.b/365-Stealer/x"));
    yj_ioc_set_free(s);

    s = one("# IPsum Threat Intelligence Feed\n#\n# IP\tnumber of (black)lists\n#\n"
            "77.90.185.20\t10\n2.57.122.53\t9\n",
            YJ_IOC_FMT_AUTO, &st, NULL);
    assert_int_equal(st.format, YJ_IOC_FMT_IPSUM);
    assert_int_equal(st.entries, 2);
    assert_true(ip(s, "2.57.122.53", 0, &h));
    assert_string_equal(h.category, "listed by 9 lists");
    assert_int_equal(h.line, 6);
    yj_ioc_set_free(s);
}

static void drop_and_csv(void **state)
{
    (void)state;
    struct yj_ioc_file_stats st;
    struct yj_ioc_hit h;
    struct yj_ioc_set *s = one("; Spamhaus DROP List\n1.10.16.0/20 ; SBL256894\n"
                               "2.56.192.0/22 ; SBL459831\n",
                               YJ_IOC_FMT_AUTO, &st, NULL);
    assert_int_equal(st.format, YJ_IOC_FMT_DROP);
    assert_true(ip(s, "1.10.20.5", 0, &h));
    assert_string_equal(h.category, "SBL256894");
    yj_ioc_set_free(s);
    s = one("{\"cidr\":\"1.10.16.0/20\",\"sblid\":\"SBL256894\",\"rir\":\"apnic\"}\n"
            "{\"type\":\"metadata\",\"timestamp\":1700000000,\"size\":1,\"records\":1}\n",
            YJ_IOC_FMT_AUTO, &st, NULL);
    assert_int_equal(st.format, YJ_IOC_FMT_DROP);
    assert_int_equal(st.entries, 1);
    assert_int_equal(st.bad, 0);
    assert_true(ip(s, "1.10.16.1", 0, &h));
    assert_string_equal(h.category, "SBL256894");
    yj_ioc_set_free(s);

    /* Feodo Tracker */
    s = one("################\n# abuse.ch Feodo Tracker Botnet C2 IP Blocklist (CSV)\n"
            "# first_seen_utc,dst_ip,dst_port,c2_status,last_online,malware\n"
            "\"2021-01-17 07:44:46\",\"67.213.75.205\",\"443\",\"online\",\"2023-04-07\",\"Dridex\"\n"
            "\"2021-01-18 07:44:46\",\"192.0.2.5\",\"8080\",\"offline\",\"2023-04-07\",\"QakBot\"\n"
            "# END 2 entries\n",
            YJ_IOC_FMT_AUTO, &st, NULL);
    assert_int_equal(st.format, YJ_IOC_FMT_ABUSECH);
    assert_int_equal(st.entries, 2);
    assert_true(ip(s, "67.213.75.205", 0, &h));
    assert_string_equal(h.category, "Dridex");
    yj_ioc_set_free(s);
    /* URLhaus: quoted fields with commas inside */
    s = one("# URLhaus Database Dump (CSV - recent URLs)\n"
            "# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter\n"
            "\"3042290\",\"2024-06-19 09:04:05\",\"http://117.209.23.138:50305/bin.sh\",\"online\","
            "\"2024-06-19 09:04:05\",\"malware_download\",\"32-bit,elf,mips,Mozi\","
            "\"https://urlhaus.abuse.ch/url/3042290/\",\"geenensp\"\n",
            YJ_IOC_FMT_AUTO, &st, NULL);
    assert_int_equal(st.format, YJ_IOC_FMT_ABUSECH);
    assert_int_equal(st.entries, 1);
    assert_true(yj_ioc_match_url(s, "http://117.209.23.138:50305/bin.sh", 34, &h));
    assert_string_equal(h.category, "32-bit,elf,mips,Mozi");
    yj_ioc_set_free(s);
    /* an unclosed quote is a bad line */
    struct yj_diag d;
    yj_diag_init(&d);
    s = one("# id,dateadded,url\n\"1\",\"x\",\"http://a.example/x\"\n\"2\",\"x\",\"http://b\n"
            "\"3\",\"x\",\"http://c.example/y\"\n",
            YJ_IOC_FMT_ABUSECH, &st, &d);
    assert_int_equal(st.entries, 2);
    assert_int_equal(st.bad, 1);
    assert_non_null(ut_diag_find(&d, 3, "not closed"));
    yj_ioc_set_free(s);
    yj_diag_fini(&d);
}

static void bad_lines(void **state)
{
    (void)state;
    struct yj_ioc_file_stats st;
    struct yj_diag d;
    yj_diag_init(&d);
    char *text = ut_repeat("good.example\n", 20);
    size_t n = strlen(text);
    text = realloc(text, n + 200);
    strcpy(text + n, "not a domain\n1.2.3\n300.1.1.1\n-bad\n\\b(x|y)\\.ru\nq[0-9].pw\nfoo\n");
    struct yj_ioc_set *s = one(text, YJ_IOC_FMT_PLAIN, &st, &d);
    assert_int_equal(st.entries, 20); /* "not" of "not a domain" is one label: no name */
    assert_int_equal(st.bad, 7);
    yj_ioc_set_free(s);
    yj_diag_fini(&d);
    yj_diag_init(&d);
    s = one(text, YJ_IOC_FMT_MALTRAIL, &st, &d);
    assert_int_equal(st.entries, 20);
    assert_int_equal(st.bad, 7);
    assert_non_null(ut_diag_find(&d, 21, "not an IP address"));
    assert_non_null(ut_diag_find(&d, 22, "1.2.3"));
    assert_non_null(ut_diag_find_msg(&d, "2 more lines"));
    assert_null(ut_diag_find(&d, 26, NULL)); /* only the first five are described */
    yj_ioc_set_free(s);
    yj_diag_fini(&d);
    free(text);

    /* most lines bad: an error, and the message says so */
    yj_diag_init(&d);
    struct yj_ioc_builder *b = yj_ioc_builder_new();
    const char *html = "<html>\n<body>Not Found</body>\n</html>\n";
    assert_int_equal(yj_ioc_builder_add_mem(b, "x", "x.txt", YJ_IOC_FMT_PLAIN, html,
                                            strlen(html), &st, &d),
                     YJ_ERR_PARSE);
    assert_non_null(ut_diag_find_msg(&d, "3 of 3 lines"));
    yj_ioc_builder_free(b);
    yj_diag_fini(&d);
    /* a missing file */
    yj_diag_init(&d);
    b = yj_ioc_builder_new();
    assert_int_equal(yj_ioc_builder_add_file(b, "x", "/nonexistent/list.txt", YJ_IOC_FMT_AUTO,
                                             &st, &d),
                     YJ_ERR_NOTFOUND);
    assert_non_null(ut_diag_find_msg(&d, "cannot read"));
    yj_ioc_builder_free(b);
    yj_diag_fini(&d);
}

/* Files are read in 1 MiB chunks: lines across chunk edges, and a line longer than a chunk */
static void file_chunks(void **state)
{
    (void)state;
    char *dir = ut_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/list.txt", dir);
    size_t longn = (size_t)3 << 20;
    char *text = malloc(longn + 4096);
    size_t k = 0;
    k += (size_t)sprintf(text + k, "a.example\n");
    memset(text + k, 'x', longn);
    k += longn;
    k += (size_t)sprintf(text + k, "\nb.example\n");
    /* then enough short lines to cross another chunk edge */
    text[k] = 0;
    ut_write(path, text);
    FILE *f = fopen(path, "a");
    for (unsigned i = 0; i < 120000; i++)
        fprintf(f, "h%u.example\n", i);
    fprintf(f, "last.example"); /* no final newline */
    fclose(f);
    struct yj_diag d;
    yj_diag_init(&d);
    struct yj_ioc_file_stats st;
    struct yj_ioc_builder *b = yj_ioc_builder_new();
    assert_int_equal(yj_ioc_builder_add_file(b, "l", path, YJ_IOC_FMT_AUTO, &st, &d), YJ_ERR_OK);
    struct yj_ioc_set *s = yj_ioc_builder_build(b);
    assert_int_equal(st.bad, 1);
    assert_int_equal(st.entries, 120003);
    assert_int_equal(st.lines, 120004);
    assert_non_null(ut_diag_find(&d, 2, "too long"));
    struct yj_ioc_hit h;
    assert_true(yj_ioc_match_domain(s, "b.example", 9, &h));
    assert_int_equal(h.line, 3);
    assert_true(yj_ioc_match_domain(s, "h119999.example", 15, &h));
    assert_int_equal(h.line, 120003);
    assert_true(yj_ioc_match_domain(s, "last.example", 12, &h));
    assert_int_equal(h.line, 120004);
    yj_ioc_set_free(s);
    yj_diag_fini(&d);
    free(text);
    ut_rmtree(dir);
    free(dir);
}

static void explain(void **state)
{
    (void)state;
    struct yj_ioc_builder *b = yj_ioc_builder_new();
    const char *a = "192.0.2.0/24\n192.0.2.5\n192.0.2.5:8443\nevil.com\nhttp://evil.com/x\n";
    const char *m = "192.0.2.5\tmalware/z\nc2.evil.com\tmalware/y\n";
    assert_int_equal(yj_ioc_builder_add_mem(b, "a", "a.txt", YJ_IOC_FMT_PLAIN, a, strlen(a),
                                            NULL, NULL),
                     YJ_ERR_OK);
    assert_int_equal(yj_ioc_builder_add_mem(b, "m", "m.tsv", YJ_IOC_FMT_MALTRAIL, m, strlen(m),
                                            NULL, NULL),
                     YJ_ERR_OK);
    struct yj_ioc_set *s = yj_ioc_builder_build(b);
    struct yj_ioc_hit h[8];
    enum yj_ioc_value k;
    size_t total;
    assert_int_equal(yj_ioc_explain(s, "192.0.2.5", &k, h, 8, &total), YJ_ERR_OK);
    assert_int_equal(k, YJ_IOC_VAL_IP);
    assert_int_equal(total, 4); /* a.txt:2, m.tsv:1, the :8443 listing, the /24 */
    assert_string_equal(h[0].file, "a.txt");
    assert_int_equal(h[0].line, 2);
    assert_string_equal(h[1].file, "m.tsv");
    assert_int_equal(h[1].line, 1);
    assert_int_equal(yj_ioc_explain(s, "192.0.2.5", &k, h, 2, &total), YJ_ERR_OK);
    assert_int_equal(total, 4);
    assert_int_equal(yj_ioc_explain(s, "x.c2.evil.com", &k, h, 8, &total), YJ_ERR_OK);
    assert_int_equal(k, YJ_IOC_VAL_DOMAIN);
    assert_int_equal(total, 2);
    assert_int_equal(yj_ioc_explain(s, "notevil.com", &k, h, 8, &total), YJ_ERR_OK);
    assert_int_equal(total, 0);
    assert_int_equal(yj_ioc_explain(s, "https://evil.com/x/y.exe", &k, h, 8, &total),
                     YJ_ERR_OK);
    assert_int_equal(k, YJ_IOC_VAL_URL);
    assert_int_equal(total, 2); /* the URL and its host */
    assert_int_equal(yj_ioc_explain(s, "192.0.0.0/16", &k, h, 8, &total), YJ_ERR_OK);
    assert_int_equal(k, YJ_IOC_VAL_CIDR);
    assert_int_equal(total, 1);
    assert_int_equal(yj_ioc_explain(s, "not a value", &k, h, 8, &total), YJ_ERR_INVALID);
    yj_ioc_set_free(s);
}

static void empty(void **state)
{
    (void)state;
    struct yj_ioc_set *s = yj_ioc_builder_build(yj_ioc_builder_new());
    assert_int_equal(yj_ioc_set_count(s), 0);
    assert_false(ip(s, "1.2.3.4", 80, NULL));
    assert_false(dom(s, "a.b"));
    assert_false(url(s, "a.b/c"));
    yj_ioc_set_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain),    cmocka_unit_test(cidr_edges), cmocka_unit_test(indexed),   cmocka_unit_test(domains),
        cmocka_unit_test(urls),     cmocka_unit_test(maltrail_ipsum), cmocka_unit_test(drop_and_csv),
        cmocka_unit_test(bad_lines), cmocka_unit_test(explain),     cmocka_unit_test(file_chunks),     cmocka_unit_test(empty),
    };
    ut_i18n_real();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
