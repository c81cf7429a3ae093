/* Password guessing from connection patterns (YJ-NET-3003): many short connections from
 * one source to the same log-in service of one machine within the window. Guessing tools
 * open a fresh connection every few tries, so the count of answered connections that
 * ended quickly stands for the count of attempts; the passwords themselves (and whether
 * they failed) are inside encrypted protocols and are not needed.
 *
 * Web log-ins are counted by request instead (the server's answers, 401 or a form shown
 * again, are not in the records): every request carrying a password is one attempt, so
 * many form posts or Basic log-ins from one source to one web server within the window
 * are the same alert. Short HTTP connections alone are ordinary browsing and never count. */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "sensor_int.h"

struct pair {
    struct nd_slot sl;
    struct {
        struct yj_net_addr src, dst;
        uint16_t port;
    } key;
    struct nd_win w;
};

/* The log-in services watched, by server port; ports of one service share a key. */
static const char *service(uint16_t port, uint16_t *key)
{
    static const struct {
        uint16_t port, key;
        const char *name;
    } svc[] = {
        {22, 22, "SSH"},    {3389, 3389, "RDP"}, {445, 445, "SMB"},  {139, 445, "SMB"},
        {21, 21, "FTP"},    {23, 23, "Telnet"},  {110, 110, "POP3"}, {995, 110, "POP3"},
        {143, 143, "IMAP"}, {993, 143, "IMAP"},
    };
    for (size_t i = 0; i < sizeof svc / sizeof svc[0]; i++)
        if (svc[i].port == port) {
            *key = svc[i].key;
            return svc[i].name;
        }
    return NULL;
}

static void *bf_new(struct yj_sensor *s)
{
    return nd_det_new(s, sizeof(struct pair), sizeof(((struct pair *)0)->key));
}

enum { SYN = 0x02 };

/* One more attempt from f's client on service `name` (key_port) at ts. */
static void attempt(struct nd_det *b, const struct yj_net_flow *f, int64_t ts, uint16_t key_port,
                    const char *name)
{
    struct pair k = {0};
    k.key.src = f->src;
    k.key.dst = f->dst;
    k.key.port = key_port;
    int64_t win = (int64_t)b->c->bf_window * 1000000;
    bool fresh;
    struct pair *e = nd_table_get(&b->t, &k.key, ts, ts - win, &fresh);
    if (!e)
        return;
    nd_win_roll(&e->w, fresh, ts, win);
    if (!nd_win_hit(&e->w, b->c->bf_conns))
        return;
    char detail[32];
    snprintf(detail, sizeof detail, "%s (%u)", name, f->dport);
    struct nd_alert a = {
        .sig = ND_SIG_BRUTE_FORCE,
        .ts_us = ts,
        .flow = f,
        .detail = detail,
        .count = e->w.n,
    };
    nd_raise(b->s, &a);
}

static void bf_flow_end(void *state, const struct yj_net_flow *f)
{
    struct nd_det *b = state;
    uint16_t key_port;
    const char *name = f->proto == 6 ? service(f->dport, &key_port) : NULL;
    if (name && (f->tcp_flags[0] & SYN) && (f->tcp_flags[1] & SYN) &&
        f->last_us - f->start_us <= (int64_t)b->c->bf_short * 1000000)
        attempt(b, f, f->start_us, key_port, name);
}

/* Web log-ins: every request that carries a password (a form post with a password field,
 * Basic authorization) is one attempt, whatever the connection. */
static void bf_http(void *state, const struct yj_net_flow *f, int64_t ts,
                    const struct yj_http_req *r)
{
    if (r->form.has_password || (r->auth_password && !strcasecmp(r->auth_scheme, "Basic")))
        attempt(state, f, ts, 0, "HTTP log-in");
}

const struct nd_ops nd_bruteforce = {
    .name = "bruteforce",
    .new = bf_new,
    .free = nd_det_free,
    .flow_end = bf_flow_end,
    .http = bf_http,
};
