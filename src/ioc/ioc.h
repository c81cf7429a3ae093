/* Threat lists (indicators of compromise): IP addresses and ranges, domains, URLs, loaded
 * from list files into an immutable set that answers lookups fast and without allocating.
 *
 * Ownership: a builder owns what it has parsed until yj_ioc_builder_build turns it into a
 * set (and frees the builder); a set owns every string a yj_ioc_hit points to, so hits live
 * as long as the set. A holder owns the set it holds and frees replaced sets itself once no
 * reader can still see them. Configuration objects own their YAML document. An engine: it
 * fills diagnostics, never prints.
 *
 * Matching rules (docs/ioc.md):
 *   - addresses: an exact address or the most specific range (longest prefix) containing
 *     it; entries listed with a port (1.2.3.4:8080) match only that port;
 *   - domains and TLS server names: the name or any parent domain is listed ("evil.com"
 *     matches "a.evil.com", never "notevil.com"); case-insensitive; a trailing dot ignored;
 *   - URLs: compared without scheme, host lowercased, default ports dropped, trailing "/"
 *     ignored; a listed URL matches itself and anything below it at a "/" or "?" boundary;
 *     a listed path (maltrail's "/gate.php") matches that path on any host. */
#ifndef YJ_IOC_IOC_H
#define YJ_IOC_IOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/yaml.h"

enum yj_ioc_format {
    YJ_IOC_FMT_AUTO,
    YJ_IOC_FMT_PLAIN,    /* one IP, CIDR, domain or URL a line; # and ; comments */
    YJ_IOC_FMT_MALTRAIL, /* indicator<TAB>category */
    YJ_IOC_FMT_IPSUM,    /* IPv4<TAB>number of lists */
    YJ_IOC_FMT_DROP,     /* Spamhaus DROP: "1.2.3.0/24 ; SBL123" or its JSON lines */
    YJ_IOC_FMT_ABUSECH,  /* abuse.ch CSV: Feodo Tracker, URLhaus, ThreatFox */
    YJ_IOC_FMT__COUNT
};

/* "plain", "maltrail", "ipsum", "spamhaus-drop", "abusech-csv" ("auto" for AUTO). */
const char *yj_ioc_format_name(enum yj_ioc_format f);
bool yj_ioc_format_parse(const char *s, enum yj_ioc_format *out);

enum yj_ioc_kind {
    YJ_IOC_IP,     /* one address */
    YJ_IOC_CIDR,   /* a range */
    YJ_IOC_IPPORT, /* an address with a port */
    YJ_IOC_DOMAIN,
    YJ_IOC_URL,
    YJ_IOC_PATH,   /* a URL path on any host */
    YJ_IOC_KIND__COUNT
};
const char *yj_ioc_kind_name(enum yj_ioc_kind k); /* "ip", "cidr", ... */

/* One listed indicator that matched. Strings belong to the set. */
struct yj_ioc_hit {
    enum yj_ioc_kind kind;
    const char *indicator; /* as listed, normalised ("evil.com", "1.2.3.0/24") */
    const char *category;  /* maltrail's category/family, "listed by N lists", SBL id, family */
    const char *list;      /* the list's name */
    const char *file;      /* the file it was loaded from */
    unsigned line;
};

struct yj_ioc_file_stats {
    enum yj_ioc_format format; /* the format used (detected when AUTO was asked) */
    size_t lines;              /* lines read */
    size_t entries;            /* indicators taken */
    size_t bad;                /* lines that were not understood */
};

/* ---- building ---- */
struct yj_ioc_builder;
struct yj_ioc_set;

struct yj_ioc_builder *yj_ioc_builder_new(void);
void yj_ioc_builder_free(struct yj_ioc_builder *b);
/* Parses the list file at path as format, under the list name name. The first few bad lines
 * go to d as file:line messages; a file where most lines are bad is YJ_ERR_PARSE (its good
 * lines are kept in the builder all the same), an unreadable file YJ_ERR_IO/NOTFOUND. */
enum yj_err yj_ioc_builder_add_file(struct yj_ioc_builder *b, const char *name, const char *path,
                                    enum yj_ioc_format format, struct yj_ioc_file_stats *st,
                                    struct yj_diag *d) YJ_MUST;
/* The same for bytes in memory; file names them in messages and hits. */
enum yj_err yj_ioc_builder_add_mem(struct yj_ioc_builder *b, const char *name, const char *file,
                                   enum yj_ioc_format format, const char *p, size_t n,
                                   struct yj_ioc_file_stats *st, struct yj_diag *d) YJ_MUST;
/* Builds the lookup tables and frees b. Never NULL (an empty set when nothing was added). */
struct yj_ioc_set *yj_ioc_builder_build(struct yj_ioc_builder *b);

void yj_ioc_set_free(struct yj_ioc_set *s);
size_t yj_ioc_set_count(const struct yj_ioc_set *s); /* indicators, duplicates included */
size_t yj_ioc_set_lists(const struct yj_ioc_set *s); /* files loaded */
/* Bytes of memory the set holds. */
size_t yj_ioc_set_bytes(const struct yj_ioc_set *s);

/* ---- lookups: fast, allocation-free, safe from many threads on one set ---- */
/* addr: 16 bytes, IPv4 as ::ffff:a.b.c.d; port 0 when unknown (entries with a port then do
 * not match). hit may be NULL. */
bool yj_ioc_match_ip(const struct yj_ioc_set *s, const uint8_t addr[16], uint16_t port,
                     struct yj_ioc_hit *hit);
/* IPv4 in host byte order. */
bool yj_ioc_match_ip4(const struct yj_ioc_set *s, uint32_t addr, uint16_t port,
                      struct yj_ioc_hit *hit);
/* A DNS name or TLS server name. */
bool yj_ioc_match_domain(const struct yj_ioc_set *s, const char *name, size_t n,
                         struct yj_ioc_hit *hit);
/* A URL, with or without scheme ("http://h/p", "h/p"). Only URL and path entries; the
 * host is looked up separately with yj_ioc_match_domain / _ip. */
bool yj_ioc_match_url(const struct yj_ioc_set *s, const char *url, size_t n,
                      struct yj_ioc_hit *hit);
/* An HTTP request: Host header (may carry a port) and request target. */
bool yj_ioc_match_http(const struct yj_ioc_set *s, const char *host, size_t hn, const char *uri,
                       size_t un, struct yj_ioc_hit *hit);

/* ---- explaining one value (yojin ioc check): every list entry that matches ---- */
enum yj_ioc_value { YJ_IOC_VAL_IP, YJ_IOC_VAL_CIDR, YJ_IOC_VAL_DOMAIN, YJ_IOC_VAL_URL };
/* Classifies value (an address with or without port, a CIDR, a domain, a URL) and fills
 * out with up to max hits: for an address every listing of it, of it with any port, and
 * every range containing it; for a CIDR every listed range that overlaps it; for a domain
 * every listing of it or a parent; for a URL the URL entries plus its host. *total counts
 * all hits, also those beyond max. YJ_ERR_INVALID when value is none of these. */
enum yj_err yj_ioc_explain(const struct yj_ioc_set *s, const char *value,
                           enum yj_ioc_value *kind, struct yj_ioc_hit *out, size_t max,
                           size_t *total) YJ_MUST;

/* ---- reloading without stopping lookups ----
 * A holder publishes one set to reader threads. A reader registers once, then brackets
 * each batch of lookups with enter/leave: enter returns the current set, which stays valid
 * until leave. Neither ever waits or allocates. A reload builds a new set on a background
 * thread and swaps it in; the old set is freed on that thread after every reader has left
 * it. */
#define YJ_IOC_READERS_MAX 64
struct yj_ioc_holder;
struct yj_ioc_reader;
/* Returns a new set (or NULL after filling d). Runs on the reload thread. */
typedef struct yj_ioc_set *(*yj_ioc_build_fn)(void *arg, struct yj_diag *d);

struct yj_ioc_holder *yj_ioc_holder_new(struct yj_ioc_set *initial); /* takes initial */
/* Waits for a running reload, then frees everything. No reader may be inside. */
void yj_ioc_holder_free(struct yj_ioc_holder *h);
/* NULL when YJ_IOC_READERS_MAX readers exist. */
struct yj_ioc_reader *yj_ioc_reader_add(struct yj_ioc_holder *h);
const struct yj_ioc_set *yj_ioc_enter(struct yj_ioc_reader *r);
void yj_ioc_leave(struct yj_ioc_reader *r);
/* Swaps in s (taken) now and frees the old set once readers have left it; waits for that,
 * so call it from a thread that does no lookups. */
void yj_ioc_holder_swap(struct yj_ioc_holder *h, struct yj_ioc_set *s);
/* Starts fn on a background thread; when it returns a set, that set is swapped in.
 * YJ_ERR_STATE when a reload is still running. Returns at once. */
enum yj_err yj_ioc_holder_reload(struct yj_ioc_holder *h, yj_ioc_build_fn fn, void *arg) YJ_MUST;
/* Waits for the running reload, if any; returns its result (YJ_ERR_OK when none ran) and
 * moves its messages into d. */
enum yj_err yj_ioc_holder_wait(struct yj_ioc_holder *h, struct yj_diag *d) YJ_MUST;
/* How many sets have been swapped in since the holder was made. */
uint64_t yj_ioc_holder_generation(const struct yj_ioc_holder *h);

/* ---- configuration: the ioc: section of <data>/yojin.yaml ----
 *
 *   ioc:
 *     feeds:                     # replaces data/ioc/feeds.yaml when present
 *       - {name: drop, url: "https://...", format: spamhaus-drop}
 *     files:                     # local lists, loaded with the feeds
 *       - /etc/yojin/blocklist.txt
 *       - {path: /srv/lists/x.csv, format: abusech-csv, name: x}
 *     ca_file: /path/ca.pem      # extra CA for feed downloads
 *     timeout: 60                # seconds per download
 *     max_mb: 200                # largest download accepted */
#define YJ_IOC_FEEDS_MAX 64
#define YJ_IOC_FILES_MAX 64
struct yj_ioc_source {
    const char *name;
    const char *url;  /* feeds: https:// */
    const char *path; /* files: the list file; feeds: NULL */
    enum yj_ioc_format format;
};
struct yj_ioc_config {
    struct yj_ioc_source feeds[YJ_IOC_FEEDS_MAX];
    size_t nfeeds;
    struct yj_ioc_source files[YJ_IOC_FILES_MAX];
    size_t nfiles;
    const char *ca_file;
    long timeout;        /* seconds */
    long max_mb;
    bool feeds_default;  /* the feeds came from data/ioc/feeds.yaml */
    struct yj_yaml_doc doc, defaults;
    bool loaded, defaults_loaded;
};
enum yj_err yj_ioc_config_load(struct yj_ioc_config *c, const char *data_dir, struct yj_diag *d)
    YJ_MUST;
void yj_ioc_config_fini(struct yj_ioc_config *c);
/* "<data_dir>/ioc/<feed name>.<ext>", ext csv, tsv or txt by format (caller frees). */
char *yj_ioc_feed_path(const char *data_dir, const struct yj_ioc_source *feed);

/* Loads the downloaded feeds (those present), the configured files (when configured is true)
 * and the extra files (format auto-detected) into one new set: what `yojin pcap --ioc F`,
 * `yojin watch` and `yojin ioc check` use. A missing downloaded feed is skipped; a missing or
 * bad file is an error (messages in d). */
enum yj_err yj_ioc_load_lists(const char *data_dir, bool configured, const char *const *extra,
                              size_t nextra, struct yj_ioc_set **out, struct yj_diag *d) YJ_MUST;

/* The same as a yj_ioc_build_fn for yj_ioc_holder_reload: arg is a struct yj_ioc_lists,
 * which must stay valid until the reload has finished. */
struct yj_ioc_lists {
    const char *data_dir;
    bool configured;
    const char *const *extra;
    size_t nextra;
};
struct yj_ioc_set *yj_ioc_build_lists(void *arg, struct yj_diag *d);

/* ---- feed downloads (yojin ioc update) ---- */
enum yj_ioc_fetch { YJ_IOC_FETCH_UPDATED, YJ_IOC_FETCH_UNCHANGED, YJ_IOC_FETCH_FAILED };
struct yj_ioc_feed_state {
    bool have;            /* a last good copy exists */
    int64_t fetched;      /* when it was downloaded (Unix seconds) */
    int64_t checked;      /* when the feed was last asked (downloaded or unchanged) */
    size_t entries;       /* indicators in it */
    char etag[256];
    char last_modified[64];
};
struct yj_ioc_update_result {
    enum yj_ioc_fetch status;
    long http_status;        /* 0 when no answer came */
    struct yj_ioc_feed_state state; /* after the update */
};
/* The metadata of the last good copy of feed name (have == false when none). */
void yj_ioc_feed_state_read(const char *data_dir, const struct yj_ioc_source *feed,
                            struct yj_ioc_feed_state *st);
/* Downloads one feed over HTTPS (certificate verified, timeout, size cap, conditional GET),
 * parses it and, only when it parses, replaces the last good copy atomically. On failure
 * the last good copy stays and d says why. */
enum yj_err yj_ioc_update_feed(const struct yj_ioc_config *c, const struct yj_ioc_source *feed,
                               const char *data_dir, struct yj_ioc_update_result *r,
                               struct yj_diag *d) YJ_MUST;

#endif
