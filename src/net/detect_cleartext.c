/* Passwords sent in clear (YJ-NET-3004): a log-in seen by the application layer in FTP,
 * Telnet, POP3, IMAP, SMTP (sensor_on_cred) or HTTP (Basic authorization, a form post
 * with a password field: sensor_on_http). One alert per flow, naming the protocol and
 * the account, and no more than one per (client, server, protocol, account) within
 * `cleartext.window` (a mail program polling POP3 every few minutes is one alert an hour,
 * not dozens); anonymous FTP is not a log-in; the password never reaches this file (the records do
 * not carry it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sensor_int.h"

struct seen {
    struct nd_slot sl;
    struct {
        struct yj_net_addr src, dst;
        uint32_t what; /* hash of protocol, mechanism and account */
    } key;
    int64_t said_us;
};

static void *ct_new(struct yj_sensor *s)
{
    return nd_det_new(s, sizeof(struct seen), sizeof(((struct seen *)0)->key));
}

static void raise_once(struct nd_det *c, const struct yj_net_flow *f, int64_t ts,
                       const char *detail, const char *user)
{
    struct nd_flow *fl = nd_flow(f);
    if (fl) {
        if (fl->seen & ND_FLOW_CRED)
            return;
        fl->seen |= ND_FLOW_CRED;
    }
    struct seen k;
    memset(&k, 0, sizeof k);
    k.key.src = f->src;
    k.key.dst = f->dst;
    char what[160];
    int wn = snprintf(what, sizeof what, "%s|%s", detail, user ? user : "");
    k.key.what = nd_hash(what, wn > 0 ? (size_t)wn : 0);
    int64_t win = (int64_t)c->c->cleartext_window * 1000000;
    bool fresh;
    struct seen *e = nd_table_get(&c->t, &k.key, ts, ts - win, &fresh);
    if (e && !fresh && ts - e->said_us <= win)
        return; /* said within the window */
    if (e)
        e->said_us = ts;
    struct nd_alert a = {
        .sig = ND_SIG_CLEARTEXT,
        .ts_us = ts,
        .flow = f,
        .detail = detail,
        .user = user && user[0] ? user : NULL,
    };
    nd_raise(c->s, &a);
}

static void ct_cred(void *state, const struct yj_net_flow *f, int64_t ts, const struct yj_cred *cr)
{
    /* anonymous FTP's "password" is an e-mail address by convention, not a secret */
    if (!cr->password_sent || (cr->proto == YJ_CRED_FTP && (!strcasecmp(cr->user, "anonymous") ||
                                                            !strcasecmp(cr->user, "ftp"))))
        return;
    char detail[48], proto[16];
    snprintf(proto, sizeof proto, "%s", yj_cred_proto_name(cr->proto));
    for (char *p = proto; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    snprintf(detail, sizeof detail, "%s %s", proto, cr->mech);
    raise_once(state, f, ts, detail, cr->user);
}

static void ct_http(void *state, const struct yj_net_flow *f, int64_t ts,
                    const struct yj_http_req *r)
{
    if (!strcasecmp(r->auth_scheme, "Basic") && r->auth_password)
        raise_once(state, f, ts, "HTTP Basic", r->auth_user);
    else if (r->form.has_password)
        raise_once(state, f, ts, "HTTP form", r->form.user);
}

const struct nd_ops nd_cleartext = {
    .name = "cleartext",
    .new = ct_new,
    .free = nd_det_free,
    .cred = ct_cred,
    .http = ct_http,
};
