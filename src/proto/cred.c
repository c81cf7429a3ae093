/* Cleartext log-ins at the start of a TCP conversation: FTP and POP3 (USER/PASS), POP3,
 * IMAP and SMTP SASL (PLAIN, LOGIN, XOAUTH2) and IMAP LOGIN, Telnet (a line after a login
 * prompt, best effort), HTTP Basic and form posts (http.c).
 *
 * The protocol comes from the server's greeting when there is one ("220" FTP or SMTP, "+OK"
 * POP3, "* OK" IMAP, Telnet option negotiation or a "login:" prompt), else from the
 * caller's hint, else from the client's first command. Secrets are decoded, when they must
 * be (SASL), into stack buffers that are wiped before returning; only "a password was
 * sent" leaves this file. */
#include <string.h>

#include "proto.h"
#include "proto_int.h"

#define SASL_MAX 1024
#define TELNET_MAX 4096
#define HTTP_MAX_REQS 32

const char *yj_cred_proto_name(enum yj_cred_proto p)
{
    switch (p) {
    case YJ_CRED_FTP: return "ftp";
    case YJ_CRED_POP3: return "pop3";
    case YJ_CRED_IMAP: return "imap";
    case YJ_CRED_SMTP: return "smtp";
    case YJ_CRED_TELNET: return "telnet";
    case YJ_CRED_HTTP: return "http";
    case YJ_CRED_UNKNOWN: break;
    }
    return "unknown";
}

static void set_mech(struct yj_cred *c, const char *m)
{
    struct tb t;
    tb_init(&t, c->mech, sizeof c->mech);
    tb_puts(&t, m);
}

static void set_user(struct yj_cred *c, const uint8_t *u, size_t n)
{
    c->user_trunc = copy_clean(c->user, sizeof c->user, u, n);
}

/* ---- SASL ------------------------------------------------------------------------------- */

enum sasl { S_NONE, S_PLAIN, S_LOGIN_USER, S_LOGIN_PASS, S_XOAUTH2 };

/* PLAIN: authzid NUL authcid NUL passwd. Returns true when the message decoded. */
static bool sasl_plain(struct yj_cred *c, const uint8_t *b64, size_t n)
{
    uint8_t buf[SASL_MAX];
    long dl = b64_decode(b64, n, buf, sizeof buf);
    if (dl < 0)
        return false;
    size_t len = (size_t)dl;
    const uint8_t *z1 = memchr(buf, 0, len);
    if (z1) {
        const uint8_t *cid = z1 + 1;
        size_t rest = len - (size_t)(cid - buf);
        const uint8_t *z2 = memchr(cid, 0, rest);
        size_t cl = z2 ? (size_t)(z2 - cid) : rest;
        if (cl)
            set_user(c, cid, cl);
        else
            set_user(c, buf, (size_t)(z1 - buf));
        c->password_sent = z2 && rest > cl + 1;
    }
    wipe(buf, sizeof buf);
    return z1 != NULL;
}

/* XOAUTH2: "user=" u ^A "auth=Bearer " token ^A ^A */
static bool sasl_xoauth2(struct yj_cred *c, const uint8_t *b64, size_t n)
{
    uint8_t buf[SASL_MAX];
    long dl = b64_decode(b64, n, buf, sizeof buf);
    if (dl < 0)
        return false;
    size_t len = (size_t)dl, i = 0;
    bool ok = false;
    while (i < len) {
        const uint8_t *f = buf + i;
        const uint8_t *e = memchr(f, 1, len - i);
        size_t fl = e ? (size_t)(e - f) : len - i;
        if (starts_ci(f, fl, "user=")) {
            set_user(c, f + 5, fl - 5);
            ok = true;
        } else if (starts_ci(f, fl, "auth=") && fl > 5) {
            c->password_sent = true;
        }
        i += fl + 1;
    }
    wipe(buf, sizeof buf);
    return ok;
}

/* The client's line after an AUTH command that awaits a continuation. Returns true when the
 * exchange is over (DONE). */
static bool sasl_step(struct yj_cred *c, enum sasl *st, const uint8_t *l, size_t ll)
{
    if (ll == 1 && l[0] == '*') { /* the client cancelled */
        *st = S_NONE;
        return false;
    }
    uint8_t buf[SASL_MAX];
    switch (*st) {
    case S_PLAIN:
        *st = S_NONE;
        return sasl_plain(c, l, ll);
    case S_XOAUTH2:
        *st = S_NONE;
        return sasl_xoauth2(c, l, ll);
    case S_LOGIN_USER: {
        long dl = b64_decode(l, ll, buf, sizeof buf);
        if (dl < 0) {
            *st = S_NONE;
            return false;
        }
        set_user(c, buf, (size_t)dl);
        wipe(buf, sizeof buf);
        *st = S_LOGIN_PASS;
        return false;
    }
    case S_LOGIN_PASS: {
        long dl = b64_decode(l, ll, buf, sizeof buf);
        wipe(buf, sizeof buf);
        *st = S_NONE;
        c->password_sent = dl > 0;
        return dl >= 0;
    }
    case S_NONE:
        break;
    }
    return false;
}

/* "AUTH <mech> [initial]" (mech at m). Returns true when the exchange is over already. */
static bool sasl_start(struct yj_cred *c, enum sasl *st, const uint8_t *m, size_t ml)
{
    const uint8_t *sp = memchr(m, ' ', ml);
    size_t nl = sp ? (size_t)(sp - m) : ml;
    const uint8_t *ir = sp ? sp + 1 : NULL;
    size_t il = sp ? ml - nl - 1 : 0;
    bool has_ir = il > 0 && !(il == 1 && ir[0] == '=');
    if (eq_ci(m, nl, "PLAIN")) {
        set_mech(c, "PLAIN");
        if (has_ir)
            return sasl_plain(c, ir, il);
        *st = S_PLAIN;
    } else if (eq_ci(m, nl, "LOGIN")) {
        set_mech(c, "LOGIN");
        *st = S_LOGIN_USER;
        if (has_ir)
            return sasl_step(c, st, ir, il);
    } else if (eq_ci(m, nl, "XOAUTH2")) {
        set_mech(c, "XOAUTH2");
        if (has_ir)
            return sasl_xoauth2(c, ir, il);
        *st = S_XOAUTH2;
    }
    return false;
}

/* ---- line protocols --------------------------------------------------------------------- */

/* The next IMAP argument: an atom or a quoted string. */
static bool imap_arg(const uint8_t **p, const uint8_t *end, const uint8_t **a, size_t *al,
                     uint8_t *tmp, size_t cap)
{
    const uint8_t *s = *p;
    while (s < end && *s == ' ')
        s++;
    if (s >= end)
        return false;
    if (*s == '"') {
        size_t k = 0;
        s++;
        while (s < end && *s != '"') {
            if (*s == '\\' && s + 1 < end)
                s++;
            if (k < cap)
                tmp[k++] = *s;
            s++;
        }
        *a = tmp;
        *al = k;
        *p = s < end ? s + 1 : s;
        return true;
    }
    const uint8_t *e = s;
    while (e < end && *e != ' ')
        e++;
    *a = s;
    *al = (size_t)(e - s);
    *p = e;
    return true;
}

/* Is the argument an IMAP literal "{N}" or "{N+}" (N <= 1024)? */
static bool imap_literal(const uint8_t *a, size_t al, size_t *len)
{
    if (al < 3 || a[0] != '{' || a[al - 1] != '}')
        return false;
    size_t e = al - 1, v = 0;
    if (a[e - 1] == '+')
        e--;
    if (e < 2)
        return false;
    for (size_t i = 1; i < e; i++) {
        if (a[i] < '0' || a[i] > '9' || v > 1024)
            return false;
        v = v * 10 + (size_t)(a[i] - '0');
    }
    *len = v;
    return v <= 1024;
}

static enum yj_proto_status lines(const uint8_t *p, size_t n, struct yj_cred *c)
{
    size_t off = 0;
    const uint8_t *l;
    size_t ll;
    enum sasl st = S_NONE;
    while (next_line(p, n, &off, &l, &ll)) {
        if (st != S_NONE) {
            if (sasl_step(c, &st, l, ll))
                return YJ_PROTO_DONE;
            continue;
        }
        const uint8_t *end = l + ll;
        if (c->proto == YJ_CRED_IMAP) {
            const uint8_t *sp = memchr(l, ' ', ll); /* skip the tag */
            if (!sp)
                continue;
            const uint8_t *cmd = sp + 1;
            size_t cl = (size_t)(end - cmd);
            if (eq_ci(cmd, cl, "STARTTLS"))
                return YJ_PROTO_NOT;
            if (starts_ci(cmd, cl, "LOGIN ")) {
                const uint8_t *q = cmd + 6, *a;
                size_t al;
                uint8_t tmp[YJ_CRED_USER_LEN * 2];
                set_mech(c, "LOGIN");
                const uint8_t *e2 = end;
                size_t lit = 0;
                if (imap_arg(&q, end, &a, &al, tmp, sizeof tmp)) {
                    if (imap_literal(a, al, &lit)) {
                        /* {N}: the user is the next N bytes, then the command goes on. */
                        size_t o2 = off + lit;
                        if (n - off < lit || !next_line(p, n, &o2, &q, &al))
                            return YJ_PROTO_MORE;
                        set_user(c, p + off, lit);
                        e2 = q + al;
                    } else {
                        set_user(c, a, al);
                    }
                    uint8_t pw[SASL_MAX];
                    c->password_sent = imap_arg(&q, e2, &a, &al, pw, sizeof pw) && al > 0 &&
                                       !(imap_literal(a, al, &lit) && lit == 0);
                    wipe(pw, sizeof pw);
                    return YJ_PROTO_DONE;
                }
            } else if (starts_ci(cmd, cl, "AUTHENTICATE ")) {
                if (sasl_start(c, &st, cmd + 13, cl - 13))
                    return YJ_PROTO_DONE;
            }
            continue;
        }
        if (eq_ci(l, ll, "STARTTLS") || eq_ci(l, ll, "STLS") || eq_ci(l, ll, "AUTH TLS") ||
            eq_ci(l, ll, "AUTH SSL") || eq_ci(l, ll, "DATA")) {
            return YJ_PROTO_NOT; /* encrypted from here on, or a mail body: no log-in */
        } else if (starts_ci(l, ll, "USER ") && c->proto != YJ_CRED_SMTP) {
            set_mech(c, "USER/PASS");
            set_user(c, l + 5, ll - 5);
        } else if (eq_ci(l, ll, "PASS") || starts_ci(l, ll, "PASS ")) {
            set_mech(c, "USER/PASS");
            c->password_sent = ll > 5;
            return YJ_PROTO_DONE;
        } else if (starts_ci(l, ll, "APOP ")) {
            const uint8_t *u = l + 5;
            const uint8_t *sp = memchr(u, ' ', ll - 5);
            set_mech(c, "APOP");
            set_user(c, u, sp ? (size_t)(sp - u) : ll - 5);
            c->password_sent = false; /* a digest, not the password */
            return YJ_PROTO_DONE;
        } else if (starts_ci(l, ll, "AUTH ")) {
            if (sasl_start(c, &st, l + 5, ll - 5))
                return YJ_PROTO_DONE;
        }
    }
    return YJ_PROTO_MORE;
}

/* ---- Telnet ----------------------------------------------------------------------------- */

/* Copies the data bytes of a Telnet stream (option negotiation removed) into out. */
static size_t telnet_data(const uint8_t *p, size_t n, uint8_t *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o < cap; i++) {
        if (p[i] != 0xff) {
            out[o++] = p[i];
            continue;
        }
        if (i + 1 >= n)
            break;
        uint8_t cmd = p[i + 1];
        if (cmd == 0xff) { /* an escaped 0xff data byte */
            out[o++] = 0xff;
            i++;
        } else if (cmd >= 251 && cmd <= 254) { /* WILL WONT DO DONT <option> */
            i += 2;
        } else if (cmd == 250) { /* SB ... IAC SE */
            i += 2;
            while (i + 1 < n && !(p[i] == 0xff && p[i + 1] == 240))
                i++;
            i++;
        } else {
            i++;
        }
    }
    return o;
}

static enum yj_proto_status telnet(const uint8_t *cl, size_t cn, const uint8_t *sv, size_t sn,
                                   struct yj_cred *c)
{
    uint8_t srv[TELNET_MAX], cli[TELNET_MAX];
    size_t sl = telnet_data(sv, sn, srv, sizeof srv);
    if (!contains_ci(srv, sl, "login:") && !contains_ci(srv, sl, "username:") &&
        !contains_ci(srv, sl, "user name:"))
        return YJ_PROTO_MORE;
    set_mech(c, "LOGIN");
    size_t n = telnet_data(cl, cn, cli, sizeof cli), i = 0;
    unsigned got = 0;
    while (i < n && got < 2) {
        size_t s = i;
        while (i < n && cli[i] != '\r' && cli[i] != '\n')
            i++;
        if (i >= n)
            break; /* the line is not finished yet */
        size_t len = i - s;
        while (i < n && (cli[i] == '\r' || cli[i] == '\n' || cli[i] == 0))
            i++;
        if (len == 0)
            continue;
        if (got == 0)
            set_user(c, cli + s, len);
        else
            c->password_sent = contains_ci(srv, sl, "password");
        got++;
    }
    wipe(cli, sizeof cli);
    return got == 2 && c->password_sent ? YJ_PROTO_DONE : YJ_PROTO_MORE;
}

/* ---- HTTP ------------------------------------------------------------------------------- */

static enum yj_proto_status http(const uint8_t *p, size_t n, struct yj_cred *c)
{
    struct yj_http_req r;
    struct yj_http_req *rq = &r;
    size_t off = 0;
    for (unsigned k = 0; k < HTTP_MAX_REQS && off < n; k++) {
        size_t used = 0;
        enum yj_proto_status st = yj_http_parse_request(p + off, n - off, rq, &used);
        if (st != YJ_PROTO_DONE)
            return k == 0 || st == YJ_PROTO_MORE ? st : YJ_PROTO_MORE;
        c->proto = YJ_CRED_HTTP;
        if (rq->auth_scheme[0] && (rq->auth_user[0] || rq->auth_password)) {
            set_mech(c, eq_ci((const uint8_t *)rq->auth_scheme, strlen(rq->auth_scheme),
                              "basic") ? "BASIC" : "TOKEN");
            set_user(c, (const uint8_t *)rq->auth_user, strlen(rq->auth_user));
            c->password_sent = rq->auth_password;
            return YJ_PROTO_DONE;
        }
        if (rq->form.has_password) {
            set_mech(c, "FORM");
            set_user(c, (const uint8_t *)rq->form.user, strlen(rq->form.user));
            c->password_sent = true;
            struct tb t;
            tb_init(&t, c->fields, sizeof c->fields);
            for (unsigned i = 0; i < rq->form.n_password_fields; i++) {
                if (i)
                    tb_putc(&t, ',');
                tb_puts(&t, rq->form.password_fields[i]);
            }
            return YJ_PROTO_DONE;
        }
        if (used > n - off)
            return YJ_PROTO_MORE; /* inside a body that is not all here yet */
        off += used;
    }
    return YJ_PROTO_MORE;
}

/* ---- entry ------------------------------------------------------------------------------ */

static enum yj_cred_proto from_greeting(const uint8_t *s, size_t n, const uint8_t *cl,
                                        size_t cn, enum yj_cred_proto hint)
{
    if (n >= 1 && s[0] == 0xff)
        return YJ_CRED_TELNET;
    if (starts_ci(s, n, "+OK"))
        return YJ_CRED_POP3;
    if (starts_ci(s, n, "* OK") || starts_ci(s, n, "* PREAUTH"))
        return YJ_CRED_IMAP;
    if (starts_ci(s, n, "220")) {
        if (hint == YJ_CRED_SMTP || starts_ci(cl, cn, "EHLO") || starts_ci(cl, cn, "HELO") ||
            contains_ci(s, n < 200 ? n : 200, "SMTP"))
            return YJ_CRED_SMTP;
        return YJ_CRED_FTP;
    }
    if (contains_ci(s, n < 512 ? n : 512, "login:"))
        return YJ_CRED_TELNET;
    return YJ_CRED_UNKNOWN;
}

/* Does the client stream start like an HTTP request? A complete first line must name an
 * HTTP version; an incomplete one must start with a common method. */
static bool http_start(const uint8_t *p, size_t n)
{
    static const char *const methods[] = {"GET ", "POST ", "HEAD ", "PUT ", "DELETE ",
                                          "OPTIONS ", "PATCH ", "CONNECT ", "PROPFIND "};
    if (n == 0)
        return false;
    const uint8_t *nl = memchr(p, '\n', n);
    if (nl) {
        size_t ll = (size_t)(nl - p);
        if (ll && p[ll - 1] == '\r')
            ll--;
        return ll > 9 && memcmp(p + ll - 9, " HTTP/1.", 8) == 0;
    }
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        size_t k = strlen(methods[i]);
        if (memcmp(p, methods[i], n < k ? n : k) == 0)
            return true;
    }
    return false;
}

static enum yj_cred_proto from_client(const uint8_t *cl, size_t cn)
{
    if (cn == 0)
        return YJ_CRED_UNKNOWN;
    if (starts_ci(cl, cn, "EHLO ") || starts_ci(cl, cn, "HELO "))
        return YJ_CRED_SMTP;
    if (starts_ci(cl, cn, "USER "))
        return YJ_CRED_FTP;
    if (starts_ci(cl, cn, "CAPA") || starts_ci(cl, cn, "APOP "))
        return YJ_CRED_POP3;
    const uint8_t *sp = memchr(cl, ' ', cn < 64 ? cn : 64);
    if (sp) {
        size_t rest = cn - (size_t)(sp + 1 - cl);
        if (starts_ci(sp + 1, rest, "LOGIN ") || starts_ci(sp + 1, rest, "CAPABILITY") ||
            starts_ci(sp + 1, rest, "AUTHENTICATE "))
            return YJ_CRED_IMAP;
    }
    return YJ_CRED_UNKNOWN;
}

enum yj_proto_status yj_cred_scan(const uint8_t *client, size_t cn, const uint8_t *server,
                                  size_t sn, enum yj_cred_proto hint, struct yj_cred *c)
{
    memset(c, 0, sizeof *c);
    if (!server)
        sn = 0;
    if (!client)
        cn = 0;
    enum yj_cred_proto p = from_greeting(server, sn, client, cn, hint);
    if (p == YJ_CRED_UNKNOWN && (hint == YJ_CRED_HTTP || http_start(client, cn)))
        return http(client, cn, c);
    if (p == YJ_CRED_UNKNOWN)
        p = hint != YJ_CRED_HTTP ? hint : YJ_CRED_UNKNOWN;
    if (p == YJ_CRED_UNKNOWN)
        p = from_client(client, cn);
    if (p == YJ_CRED_UNKNOWN)
        return cn == 0 && sn == 0 ? YJ_PROTO_MORE : YJ_PROTO_NOT;
    c->proto = p;
    if (p == YJ_CRED_TELNET)
        return telnet(client, cn, server, sn, c);
    return lines(client, cn, c);
}
