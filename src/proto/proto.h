/* Application-layer parsers of the network sensor: DNS, TLS hellos (with JA3, JA3S and JA4),
 * HTTP/1.x heads and form posts, SSH banners, and cleartext log-ins (FTP, POP3, IMAP, SMTP,
 * Telnet, HTTP). Everything here is a pure function over bytes the caller owns: results go
 * into fixed-size structs in the caller's storage, nothing is allocated, and no parser keeps
 * a pointer into the input after it returns.
 *
 * Stream parsers take the in-order prefix of one TCP direction (it may grow between calls;
 * call again with the longer prefix) and answer with enum yj_proto_status; unless a parser
 * says otherwise, its output struct holds a result only after YJ_PROTO_DONE. Text fields are
 * NUL-terminated, bounded copies with a *_trunc flag; bytes outside printable ASCII are
 * escaped or replaced as each field says. Field names follow Suricata's EVE names (dns, tls,
 * http, ssh) so the event writer can map them one to one; docs/proto.md has the table.
 *
 * Passwords are never copied out: the results say only that one was sent. */
#ifndef YJ_PROTO_PROTO_H
#define YJ_PROTO_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum yj_proto_status {
    YJ_PROTO_DONE,  /* parsed; the result is complete */
    YJ_PROTO_MORE,  /* looks like this protocol, but the message is not complete yet */
    YJ_PROTO_NOT,   /* not this protocol (or nothing of interest in it) */
    YJ_PROTO_BAD,   /* this protocol, but malformed or past a limit: an anomaly */
};

/* "done", "more", "not", "bad". */
const char *yj_proto_status_name(enum yj_proto_status s);

/* ==== DNS ================================================================================ */

#define YJ_DNS_NAME_LEN 256 /* text of a name: at most 255 characters + NUL */
#define YJ_DNS_RDATA_LEN 256
#define YJ_DNS_MAX_QUERIES 4
#define YJ_DNS_MAX_ANSWERS 16
#define YJ_DNS_MAX_AUTHORITIES 8

enum {
    YJ_DNS_A = 1, YJ_DNS_NS = 2, YJ_DNS_CNAME = 5, YJ_DNS_SOA = 6, YJ_DNS_NULL = 10,
    YJ_DNS_PTR = 12, YJ_DNS_MX = 15, YJ_DNS_TXT = 16, YJ_DNS_AAAA = 28, YJ_DNS_SRV = 33,
};

/* A decoded name: labels joined by '.', bytes outside printable ASCII (and '.' or '\\' inside
 * a label) written as \xNN. The root is "". */
struct yj_dns_name {
    char text[YJ_DNS_NAME_LEN];
    bool trunc;           /* text was cut (escaping can make it longer than the wire name) */
    uint8_t labels;       /* number of labels (tunnel detection) */
    uint8_t longest;      /* length of the longest label in bytes */
    uint16_t wire_len;    /* length of the uncompressed wire form (<= 255) */
};

struct yj_dns_query {     /* EVE dns.queries[] */
    struct yj_dns_name rrname;
    uint16_t rrtype, rrclass;
};

struct yj_dns_rr {        /* EVE dns.answers[] / dns.authorities[] */
    struct yj_dns_name rrname;
    uint16_t rrtype, rrclass;
    uint32_t ttl;
    uint16_t rdlength;
    /* rdata as text: an address (A, AAAA), a name (CNAME, NS, PTR, MX exchange, SOA mname,
     * SRV target), TXT strings joined by " " with non-printables as \xNN; empty for NULL and
     * other types (rdlength tells the size). */
    char rdata[YJ_DNS_RDATA_LEN];
    bool rdata_trunc;
    union {
        uint16_t mx_preference;
        struct {
            uint16_t priority, weight, port;
        } srv;
        struct {
            uint32_t serial, refresh, retry, expire, minimum;
            char rname[YJ_DNS_NAME_LEN];
        } soa;
    } u;
};

struct yj_dns {
    uint16_t id;          /* EVE dns.id */
    uint16_t flags;       /* EVE dns.flags (as 4 hex digits) */
    bool qr, aa, tc, rd, ra, z, ad, cd; /* EVE dns.qr ... dns.cd */
    uint8_t opcode;       /* EVE dns.opcode */
    uint8_t rcode;        /* EVE dns.rcode via yj_dns_rcode_name */
    uint16_t qdcount, ancount, nscount, arcount; /* as in the header */
    uint8_t n_queries, n_answers, n_authorities; /* entries filled below */
    bool truncated;       /* more records than the arrays hold (counts above say how many) */
    struct yj_dns_query queries[YJ_DNS_MAX_QUERIES];
    struct yj_dns_rr answers[YJ_DNS_MAX_ANSWERS];
    struct yj_dns_rr authorities[YJ_DNS_MAX_AUTHORITIES];
};

/* One DNS message (a UDP payload). DONE, or BAD when any part of the header, questions,
 * answers or authorities is malformed (additional records are not read). Never MORE. */
enum yj_proto_status yj_dns_parse(const uint8_t *p, size_t n, struct yj_dns *out);
/* The first message of a DNS-over-TCP stream prefix (2-byte length, then the message).
 * MORE until the whole message is there; *used receives 2 + its length on DONE/BAD so the
 * caller can go on with the next message. */
enum yj_proto_status yj_dns_parse_tcp(const uint8_t *p, size_t n, struct yj_dns *out,
                                      size_t *used);
/* "NOERROR", "NXDOMAIN", ...; NULL for codes without a name (print the number). */
const char *yj_dns_rcode_name(unsigned rcode);
/* "A", "AAAA", "TXT", ...; NULL when unknown (Suricata then prints the number). */
const char *yj_dns_rrtype_name(unsigned rrtype);

/* ==== TLS ================================================================================ */

#define YJ_TLS_MAX_CIPHERS 256
#define YJ_TLS_MAX_EXTS 64
#define YJ_TLS_MAX_LIST 64       /* groups, signature algorithms, supported versions */
#define YJ_TLS_MAX_ALPN 8
#define YJ_TLS_ALPN_LEN 32
#define YJ_TLS_SNI_LEN 256
#define YJ_TLS_JA3_LEN 2400     /* room for the longest string the arrays can give */
#define YJ_TLS_HS_MAX 16384      /* the largest hello message reassembled */

enum yj_tls_hello_type { YJ_TLS_CLIENT_HELLO = 1, YJ_TLS_SERVER_HELLO = 2 };

struct yj_tls_hello {
    enum yj_tls_hello_type type;
    uint16_t record_version;
    uint16_t version;            /* legacy_version of the hello */
    /* Client: the highest non-GREASE supported_versions entry; server: the selected one;
     * 0 without the extension. yj_tls_negotiated() picks the one to log. */
    uint16_t supported_version;

    /* EVE tls.client_handshake.ciphers (client, GREASE included, as sent) or
     * tls.server_handshake.cipher (server: ciphers[0], n_ciphers = 1). */
    uint16_t ciphers[YJ_TLS_MAX_CIPHERS];
    uint16_t n_ciphers;
    uint8_t compression[16];
    uint8_t n_compression;
    uint16_t exts[YJ_TLS_MAX_EXTS];          /* EVE ...handshake.exts, in order, as sent */
    uint16_t n_exts;
    uint16_t groups[YJ_TLS_MAX_LIST];        /* supported_groups (10) */
    uint16_t n_groups;
    uint8_t point_formats[16];               /* ec_point_formats (11) */
    uint8_t n_point_formats;
    uint16_t sig_algs[YJ_TLS_MAX_LIST];      /* EVE tls.client_handshake.sig_algs (13) */
    uint16_t n_sig_algs;
    uint16_t versions[YJ_TLS_MAX_LIST];      /* supported_versions (43), as sent */
    uint16_t n_versions;
    bool lists_trunc;                        /* a list above was longer than its array */

    bool has_sni;
    char sni[YJ_TLS_SNI_LEN];                /* EVE tls.sni; non-printables as \xNN */
    bool sni_trunc;
    char alpn[YJ_TLS_MAX_ALPN][YJ_TLS_ALPN_LEN]; /* EVE tls.client_alpns / server_alpns */
    uint8_t n_alpn;

    /* Fingerprints. Client: ja3 + ja3_hash, ja4. Server: ja3 + ja3_hash hold JA3S. */
    char ja3[YJ_TLS_JA3_LEN];                /* EVE tls.ja3.string / tls.ja3s.string */
    char ja3_hash[33];                       /* EVE tls.ja3.hash / tls.ja3s.hash */
    char ja4[37];                            /* EVE tls.ja4 (client only) */
};

/* The first handshake message of one TLS direction: the stream prefix from its first byte.
 * Handshake bytes may span records and segments. DONE with a ClientHello or ServerHello,
 * MORE until the message is complete, NOT when the stream does not start with a TLS
 * handshake record, BAD when the record or hello is malformed or larger than
 * YJ_TLS_HS_MAX. */
enum yj_proto_status yj_tls_parse_hello(const uint8_t *p, size_t n, struct yj_tls_hello *out);
/* The version a server hello settled on: supported_version if set, else version. */
uint16_t yj_tls_negotiated(const struct yj_tls_hello *server);
/* Suricata's name for a version ("TLS 1.2", "TLS 1.3", "TLSv1", "SSLv3", "0x7f1c"...) into
 * buf (24 bytes are always enough); returns buf. */
const char *yj_tls_version_name(uint16_t v, char *buf, size_t cap);
/* True for the GREASE values 0x0a0a, 0x1a1a, ... 0xfafa (RFC 8701). */
bool yj_tls_is_grease(uint16_t v);

/* ==== HTTP/1.x =========================================================================== */

#define YJ_HTTP_FIELD_LEN 256
#define YJ_HTTP_URI_LEN 1024
#define YJ_HTTP_USER_LEN 64
#define YJ_HTTP_HEAD_MAX 16384   /* a request or response head larger than this is BAD */
#define YJ_HTTP_BODY_SCAN 8192   /* form bodies are read up to this many bytes */
#define YJ_HTTP_MAX_PWFIELDS 4

/* Text fields: bounded copies; control bytes are replaced by '?'. */
struct yj_http_form {
    bool has_password;                          /* a password-like field was present */
    char user[YJ_HTTP_USER_LEN];                /* value of the first user-like field */
    bool user_trunc;
    char user_field[32];                        /* its (decoded) name */
    char password_fields[YJ_HTTP_MAX_PWFIELDS][32]; /* names only, never the values */
    uint8_t n_password_fields;
};

struct yj_http_req {
    char http_method[32];                       /* EVE http.http_method */
    char url[YJ_HTTP_URI_LEN];                  /* EVE http.url */
    bool url_trunc;
    char protocol[16];                          /* EVE http.protocol ("HTTP/1.1"; "" for 0.9) */
    char hostname[YJ_HTTP_FIELD_LEN];           /* EVE http.hostname (Host without port) */
    uint16_t port;                              /* EVE http.http_port (0: none in Host) */
    char http_user_agent[YJ_HTTP_FIELD_LEN];    /* EVE http.http_user_agent */
    char http_refer[YJ_HTTP_FIELD_LEN];         /* EVE http.http_refer */
    char http_content_type[YJ_HTTP_FIELD_LEN];  /* EVE http.http_content_type */
    bool has_content_length;
    uint64_t content_length;                    /* EVE http.request_body length */
    /* Authorization: the scheme ("Basic", "Bearer", ...), the Basic user name, and whether a
     * password (Basic) or token (others) was there. The secret itself is never kept. */
    char auth_scheme[16];
    char auth_user[YJ_HTTP_USER_LEN];
    bool auth_password;
    size_t head_len;                            /* bytes of request line + headers */
    size_t body_len;                            /* body bytes looked at (<= BODY_SCAN) */
    struct yj_http_form form;                   /* for x-www-form-urlencoded bodies */
};

struct yj_http_resp {
    char protocol[16];                          /* EVE http.protocol */
    uint16_t status;                            /* EVE http.status */
    char status_msg[64];
    char http_content_type[YJ_HTTP_FIELD_LEN];  /* EVE http.http_content_type */
    bool has_content_length;
    uint64_t content_length;                    /* EVE http.length */
    char location[YJ_HTTP_FIELD_LEN];           /* EVE http.redirect */
    size_t head_len;
};

/* The first request of a client stream prefix. MORE until the head is complete and, for a
 * form post, until the body is there (or YJ_HTTP_BODY_SCAN of it); *used (may be NULL)
 * receives head + body length on DONE (a following pipelined request starts there). */
enum yj_proto_status yj_http_parse_request(const uint8_t *p, size_t n, struct yj_http_req *r,
                                           size_t *used);
/* The first response head of a server stream prefix. */
enum yj_proto_status yj_http_parse_response(const uint8_t *p, size_t n,
                                            struct yj_http_resp *r);
/* Scans an application/x-www-form-urlencoded body for user- and password-like fields. */
void yj_http_form_scan(const uint8_t *p, size_t n, struct yj_http_form *f);

/* ==== SSH ================================================================================ */

struct yj_ssh_banner {                          /* EVE ssh.client / ssh.server */
    char proto_version[16];                     /* "2.0", "1.99" */
    char software_version[128];                 /* "OpenSSH_8.9p1" */
    char comment[128];                          /* "Ubuntu-3" (not in EVE; kept apart) */
    bool trunc;
};

/* The identification line of one SSH direction (RFC 4253 4.2): lines before it that do not
 * start with "SSH-" are skipped (servers may send them). MORE until its line end. */
enum yj_proto_status yj_ssh_parse_banner(const uint8_t *p, size_t n, struct yj_ssh_banner *b);

/* ==== Cleartext credentials ============================================================== */

enum yj_cred_proto {
    YJ_CRED_UNKNOWN, YJ_CRED_FTP, YJ_CRED_POP3, YJ_CRED_IMAP, YJ_CRED_SMTP, YJ_CRED_TELNET,
    YJ_CRED_HTTP,
};

#define YJ_CRED_USER_LEN 64

struct yj_cred {
    enum yj_cred_proto proto;
    char mech[16];              /* "USER/PASS", "LOGIN", "PLAIN", "XOAUTH2", "BASIC", "FORM" */
    char user[YJ_CRED_USER_LEN];/* control bytes replaced by '?' */
    bool user_trunc;
    bool password_sent;         /* a password (or token) went over the wire in clear */
    char fields[64];            /* HTTP form: the password field names, comma separated */
};

/* Looks for a cleartext log-in at the start of a TCP conversation: client is the client's
 * stream prefix, server the server's (may be NULL/0; it helps tell FTP from POP3 and find a
 * Telnet login prompt), hint the protocol the port suggests (YJ_CRED_UNKNOWN: none). DONE
 * when a log-in with a user or a password was found (*c filled), MORE while the stream is a
 * known protocol but no log-in is complete yet (*c then holds what is known, e.g. the user),
 * NOT otherwise (also after STARTTLS or an SMTP DATA before any log-in). */
enum yj_proto_status yj_cred_scan(const uint8_t *client, size_t cn, const uint8_t *server,
                                  size_t sn, enum yj_cred_proto hint, struct yj_cred *c);
/* "ftp", "pop3", "imap", "smtp", "telnet", "http", "unknown". */
const char *yj_cred_proto_name(enum yj_cred_proto p);

#endif
