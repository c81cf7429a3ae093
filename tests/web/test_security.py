#!/usr/bin/env python3
"""Security tests of the console against a real `yojin serve` on loopback:
setup only once, every route refused without a session, CSRF on every state change,
a new session token at login, logout revokes, idle timeout, security headers on every
response, injection stored and shown as text, login lockout, body caps, malformed input,
roles, API tokens, HTTPS cookies, graceful stop; stored alerts (pages, status changes only
by members and administrators with the CSRF token, the API)."""
import json
import os
import re
import sqlite3
import subprocess
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from yjweb import SECURITY_HEADERS, Server, login, setup_admin  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
PW = "correct horse battery staple"
XSS = "<script>alert('x')</script>"
SQLI = "'; DROP TABLE web_user; --"
FAILS = []


def check(cond, msg):
    if not cond:
        FAILS.append(msg)
        print("  FAIL", msg)


def check_headers(r, what):
    for h, want in SECURITY_HEADERS.items():
        v = r.headers.get(h)
        check(v is not None and want in v, f"{what}: header {h} is {v!r}")
    csp = r.headers.get("content-security-policy", "")
    check("'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
          if "script-src" in csp else "script-src" not in csp,
          f"{what}: CSP allows inline script: {csp}")


def routes():
    out = subprocess.run([BIN, "serve", "--list-routes"], stdout=subprocess.PIPE, check=True)
    return json.loads(out.stdout)


def with_server(fn, **kw):
    s = Server(BIN, **kw).start()
    try:
        fn(s)
        code = s.stop()
        check(code == 0, f"{fn.__name__}: serve exited {code} on SIGTERM")
    finally:
        s.cleanup()


def t_setup_and_routes(s):
    c = s.client()
    r = c.get("/")
    check(r.status == 303 and r.location() == "/setup", f"fresh / -> {r.status} {r.location()}")
    r = c.get("/setup")
    check(r.status == 200 and r.csrf(), "setup page has a CSRF token")
    tokens = set(re.findall(r'name="csrf" value="([^"]+)"', r.text))
    check(len(tokens) == 1, f"every form of a page carries the same CSRF token: {tokens}")
    check(any("yj_pre=" in x and "HttpOnly" in x and "SameSite=Strict" in x for x in r.cookies),
          f"pre-session cookie attributes: {r.cookies}")
    fields = {"name": "A", "admin_name": "B", "login": "owner", "password": PW, "password2": PW}
    r = c.post("/setup", fields, csrf=False)
    check(r.status == 403, f"setup without CSRF -> {r.status}")
    r = c.post("/setup", fields, csrf="A" * 43)
    check(r.status == 403, f"setup with a wrong CSRF token -> {r.status}")
    r = c.post("/setup", dict(fields, password="short", password2="short"))
    check(r.status == 400 and "12" in r.text, f"short password -> {r.status}")
    r = c.post("/setup", dict(fields, password2=PW + "x"))
    check(r.status == 400, f"mismatched passwords -> {r.status}")
    setup_admin(c)
    check("yj_session" in c.cookies, "setup logs the administrator in")
    r = c.get("/setup")
    check(r.status == 303 and r.location() == "/login", f"/setup after setup -> {r.status}")
    other = s.client()
    r = other.get("/login")
    tok = r.csrf()
    r = other.post("/setup", fields, csrf=tok)
    check(r.status == 403, f"second setup -> {r.status}")

    # Every route, without a session: refused.
    anon = s.client()
    anon.get("/login")
    for rt in routes():
        path = rt["path"].replace("*", "app.css")
        if rt["auth"] in ("public", "setup"):
            continue
        r = anon.request(rt["method"], path,
                         body="csrf=" + (anon.cookies.get("yj_pre") or "") if rt["method"] == "POST" else None,
                         headers={"Content-Type": "application/x-www-form-urlencoded"}
                         if rt["method"] == "POST" else {})
        check_headers(r, f"{rt['method']} {path} without session")
        if rt["auth"].startswith("api"):
            check(r.status == 401, f"{rt['method']} {path} without a token -> {r.status}")
        elif rt["method"] == "GET":
            check(r.status == 303 and r.location() == "/login",
                  f"GET {path} without a session -> {r.status} {r.location()}")
        else:
            check(r.status == 403, f"POST {path} without a session -> {r.status}")
    # Signed in, every state-changing route refuses a missing or wrong CSRF token.
    for rt in routes():
        if not rt["csrf"] or rt["path"] == "/setup":
            continue
        for token in (None, "x" * 43):
            body = "id=1" + (f"&csrf={token}" if token else "")
            r = c.request("POST", rt["path"], body=body,
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
            check(r.status == 403, f"POST {rt['path']} csrf={token!r} -> {r.status}")
            check_headers(r, f"POST {rt['path']} bad csrf")
    # Unknown path 404, wrong method 405, both with headers.
    r = c.get("/no/such/page")
    check(r.status == 404, f"unknown path -> {r.status}")
    check_headers(r, "404")
    r = c.request("DELETE", "/settings")
    check(r.status == 405 and "allow" in r.headers, f"wrong method -> {r.status}")
    check_headers(r, "405")
    for path in ("/", "/diagnosis", "/diagnosis/history", "/action", "/settings",
                 "/static/app.css", "/static/app.js", "/static/report.css", "/login"):
        r = c.get(path)
        check(r.status in (200, 303), f"GET {path} signed in -> {r.status}")
        check_headers(r, f"GET {path}")


def t_sessions(s):
    c = s.client()
    c.get("/setup")
    setup_admin(c)
    first = c.cookies["yj_session"]
    # A planted session id is replaced at login, and the old one stops working.
    c.cookies["yj_session"] = "P" * 43
    r = login(c)
    check(r.status == 303 and r.location() == "/", f"login -> {r.status}")
    second = c.cookies.get("yj_session")
    check(second and second != "P" * 43 and second != first, "a new token at login")
    check(any("yj_session=" in x and "HttpOnly" in x and "SameSite=Strict" in x
              for x in r.cookies), f"session cookie attributes: {r.cookies}")
    check(not any("Secure" in x for x in r.cookies), "no Secure flag over plain HTTP")
    old = s.client()
    old.cookies["yj_session"] = first
    r = old.get("/")
    check(r.status == 200, f"setup session still valid -> {r.status}")
    # Logout revokes the session on the server, not just the cookie.
    token = c.cookies["yj_session"]
    r = c.post("/logout", {}, csrf=c.get("/").csrf())
    check(r.status == 303, f"logout -> {r.status}")
    replay = s.client()
    replay.cookies["yj_session"] = token
    r = replay.get("/")
    check(r.status == 303 and r.location() == "/login", f"revoked token -> {r.status}")
    # The database keeps only hashes of session tokens.
    db = os.path.join(s.data, "yojin.db")
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    dump = repr([r[0] for r in conn.execute("select token_hash from web_session")])
    conn.close()
    check(first not in dump and token not in dump, "raw session tokens are not stored")


def t_idle_timeout(_unused):
    s = Server(BIN, env={"YOJIN_NOW": "2026-11-20T09:00:00Z"}).start()
    try:
        c = s.client()
        c.get("/setup")
        setup_admin(c)
        check(c.get("/").status == 200, "session works")
        s.stop()
        s.env["YOJIN_NOW"] = "2026-11-20T10:30:00Z"  # 90 minutes: within the idle limit
        s.start()
        check(c.get("/").status == 200, "session survives 90 idle minutes")
        s.stop()
        s.env["YOJIN_NOW"] = "2026-11-20T13:00:00Z"  # 150 minutes idle: expired
        s.start()
        r = c.get("/")
        check(r.status == 303 and r.location() == "/login", f"idle session -> {r.status}")
        s.stop()
    finally:
        s.cleanup()


def t_injection(s):
    c = s.client()
    c.get("/setup")
    r = c.post("/setup", {"name": XSS, "industry": SQLI, "size": "12", "prefecture": "<b>東京</b>",
                          "website": "", "admin_name": XSS, "login": "owner", "password": PW,
                          "password2": PW})
    check(r.status == 303, f"setup with injection text -> {r.status}")
    for path in ("/", "/settings"):
        r = c.get(path)
        check(XSS not in r.text, f"{path}: raw script from a field")
        check("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in r.text,
              f"{path}: injected text not shown escaped")
    r = c.get("/settings")
    check("&#39;; DROP TABLE web_user; --" in r.text, "SQL text shown verbatim")
    check("&lt;b&gt;東京&lt;/b&gt;" in r.text, "short markup shown as text")
    # Users, departments, tokens and diagnosis departments with the same payloads.
    r = c.post("/settings/users", {"name": XSS, "login": "m1", "department": SQLI + XSS,
                                   "role": "member", "password": PW, "password2": PW})
    check(r.status == 303, f"add user with injection text -> {r.status}")
    r = c.post("/settings/tokens", {"name": XSS, "role": "viewer"})
    check(r.status == 200 and XSS not in r.text, "token name escaped")
    r = c.get("/diagnosis?department=" + "%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    check(r.status == 200 and "<script>alert(1)" not in r.text, "department escaped on the form")
    r = c.post("/settings/profile", {"name": SQLI, "website": "https://ok.example/"})
    check(r.status == 303, f"profile with SQL text -> {r.status}")
    r = c.get("/settings")
    check("&#39;; DROP TABLE web_user; --" in r.text and "m1" in r.text,
          "profile and users intact after SQL text")
    r = c.post("/settings/profile", {"website": "javascript:alert(1)"})
    check(r.status == 400 and "https://" in r.text, f"javascript: URL refused -> {r.status}")
    r = c.get("/settings")
    check("https://ok.example/" in r.text, "a refused change stores nothing")


def t_lockout(s):
    c = s.client()
    c.get("/setup")
    setup_admin(c)
    att = s.client()
    for i in range(5):
        r = login(att, password="wrong password %d!" % i)
        check(r.status == 401, f"wrong password {i} -> {r.status}")
    r = login(att)  # the right password, but the account is locked now
    check(r.status == 429 and "retry-after" in r.headers, f"locked account -> {r.status}")
    check("分" in r.text, "lockout message says how long")
    # Per source: many accounts from one address.
    for i in range(20):
        login(att, login=f"nobody{i}", password="wrong password!!")
    r = login(att, login="someone-else", password="whatever password")
    check(r.status == 429, f"locked source -> {r.status}")


def t_limits(s):
    c = s.client()
    c.get("/setup")
    setup_admin(c)
    big = "x=" + "a" * (200 * 1024)
    r = c.request("POST", "/settings/profile", body=big,
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    check(r.status == 413, f"oversized form -> {r.status}")
    check_headers(r, "413")
    r = c.request("POST", "/settings/profile", body="name=%zz&csrf=" + c.get("/settings").csrf(),
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    check(r.status == 400, f"bad %-escape -> {r.status}")
    r = c.request("POST", "/settings/profile", body="name=%00",
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    check(r.status == 400, f"NUL in a field -> {r.status}")
    r = c.request("POST", "/settings/profile", body="{}",
                  headers={"Content-Type": "application/json"})
    check(r.status == 400, f"form route with JSON -> {r.status}")
    r = c.get("/diagnosis/result?id=abc")
    check(r.status == 400, f"bad id -> {r.status}")


def t_roles_and_api(s):
    c = s.client()
    c.get("/setup")
    setup_admin(c)
    for login_id, role in (("mem", "member"), ("view", "viewer")):
        r = c.post("/settings/users", {"name": login_id, "login": login_id, "department": "営業部",
                                       "role": role, "password": PW, "password2": PW})
        check(r.status == 303, f"add {role} -> {r.status}")
    v = s.client()
    check(login(v, "view").status == 303, "viewer logs in")
    check(v.get("/diagnosis").status == 403, "viewer cannot open the diagnosis form")
    r = v.post("/diagnosis", {"Q01": "yes"}, csrf=v.get("/").csrf())
    check(r.status == 403, f"viewer cannot answer -> {r.status}")
    r = v.post("/settings/profile", {"name": "x"}, csrf=v.get("/").csrf())
    check(r.status == 403, f"viewer cannot change the profile -> {r.status}")
    m = s.client()
    check(login(m, "mem").status == 303, "member logs in")
    r = m.post("/diagnosis", {"Q01": "yes", "department": "総務部"})
    check(r.status == 303 and "%E5%96%B6%E6%A5%AD%E9%83%A8" in (r.location() or ""),
          f"member answers for their own department only -> {r.location()}")
    r = m.post("/settings/users", {"name": "x", "login": "x", "role": "admin",
                                   "password": PW, "password2": PW}, csrf=m.get("/").csrf())
    check(r.status == 403, f"member cannot add users -> {r.status}")
    # API tokens
    r = c.post("/settings/tokens", {"name": "reader", "role": "viewer"})
    read_tok = re.search(r'<code class="token">([^<]+)</code>', r.text).group(1)
    r = c.post("/settings/tokens", {"name": "writer", "role": "member"})
    write_tok = re.search(r'<code class="token">([^<]+)</code>', r.text).group(1)
    api = s.client()
    r = api.api("GET", "/api/v1/result", read_tok)
    check(r.status == 404 and "error" in r.json(), f"no result yet -> {r.status}")
    answers = {f"Q{i:02d}": "yes" for i in range(1, 26)}
    body = {"respondent": "script", "department": "API", "answers": answers}
    r = api.api("POST", "/api/v1/diagnoses", read_tok, body)
    check(r.status == 403, f"viewer token cannot write -> {r.status}")
    r = api.api("POST", "/api/v1/diagnoses", write_tok, body)
    check(r.status == 201 and r.json()["total"] == 100, f"member token writes -> {r.status}")
    r = api.api("GET", "/api/v1/result", read_tok)
    check(r.status == 200 and r.json()["total"] == 100, f"result via API -> {r.status}")
    r = api.api("GET", "/api/v1/diagnoses", read_tok)
    check(r.status == 200 and len(r.json()) == 1, "history via API")
    r = api.request("POST", "/api/v1/diagnoses", body="{not json",
                    headers={"Authorization": f"Bearer {write_tok}",
                             "Content-Type": "application/json"}, cookies=False)
    check(r.status == 400 and "line 1" in r.json()["error"], f"malformed JSON -> {r.status}")
    r = api.api("POST", "/api/v1/diagnoses", write_tok, dict(body, answers={"Q01": "maybe"}))
    check(r.status == 400, f"bad answer via API -> {r.status}")
    r = api.request("POST", "/api/v1/diagnoses", body="x" * (300 * 1024),
                    headers={"Authorization": f"Bearer {write_tok}",
                             "Content-Type": "application/json"}, cookies=False)
    check(r.status == 413, f"oversized JSON -> {r.status}")
    r = api.request("GET", "/api/v1/result", headers={"Cookie": "yj_session=" +
                                                       c.cookies["yj_session"]}, cookies=False)
    check(r.status == 401, f"API ignores session cookies -> {r.status}")
    r = c.post("/settings/tokens/revoke", {"id": "1"})
    check(r.status == 303, "revoke token")
    check(api.api("GET", "/api/v1/result", read_tok).status == 401, "revoked token refused")
    # The last administrator cannot be demoted.
    r = c.post("/settings/users/role", {"id": "1", "role": "viewer"})
    check(r.status == 400, f"demoting the last administrator -> {r.status}")


def t_respond(s):
    c = s.client()
    c.get("/setup")
    setup_admin(c)
    r = c.get("/incidents/advise?type=ransomware&discovered=2026-11-20")
    check(r.status == 200 and "cs-support@ipa.go.jp" in r.text, "advice names IPA's desk")
    check("110" in r.text, "advice reminds of 110")
    r = c.get("/incidents/advise?type=data-leak&discovered=2026-11-20&personal_data=sensitive"
              "&people=3")
    check("2026-11-23" in r.text and "2026-11-25" in r.text and "2026-12-20" in r.text,
          "advice shows the deadlines as dates")
    r = c.get("/incidents/advise?type=burglary&discovered=2026-11-20")
    check(r.status == 400, f"unknown kind -> {r.status}")
    r = c.get("/incidents/advise?type=ransomware&discovered=2999-01-01")
    check(r.status == 400, f"future date -> {r.status}")
    r = c.post("/incidents", {"type": "ransomware", "discovered": "2026-11-20",
                              "personal_data": "ordinary", "people": "50", "malicious": "1",
                              "title": XSS})
    check(r.status == 303 and "/incidents/show?id=1" in (r.location() or ""),
          f"create incident -> {r.status} {r.location()}")
    r = c.get("/incidents/show?id=1")
    check(r.status == 200 and XSS not in r.text and "&lt;script&gt;" in r.text,
          "incident title escaped")
    check("2027-01-19" in r.text, "60-day deadline for a malicious case")
    tok = r.csrf()
    r = c.post("/incidents/log", {"id": "1", "note": XSS + " cable pulled",
                                  "contact": "police-cyber"}, csrf=tok)
    check(r.status == 303, f"log -> {r.status}")
    r = c.post("/incidents/log", {"id": "1", "done": "ppc_preliminary"}, csrf=tok)
    check(r.status == 303, f"duty done -> {r.status}")
    r = c.post("/incidents/log", {"id": "1", "cause": SQLI}, csrf=tok)
    r = c.get("/incidents/show?id=1")
    check("cable pulled" in r.text and XSS not in r.text, "timeline note shown as text")
    check("&#39;; DROP TABLE web_user; --" in r.text, "cause stored verbatim")
    r = c.post("/incidents/status", {"id": "1", "open": "0"}, csrf=tok)
    check(r.status == 303, f"close -> {r.status}")
    r = c.get("/incidents/report?id=1")
    check(r.status == 200 and "<script" not in r.text.replace("&lt;script", ""),
          "incident report without script")
    check("'unsafe-inline'" in r.headers.get("content-security-policy", "") and
          "script-src" not in r.headers.get("content-security-policy", ""),
          "report CSP allows styles only")
    r = c.get("/incidents/report?id=1&format=md")
    check(r.status == 200 and "attachment" in r.headers.get("content-disposition", ""),
          "markdown report download")
    r = c.get("/incidents/show?id=99")
    check(r.status == 404, f"unknown incident -> {r.status}")
    r = c.get("/contacts?q=" + "%E8%AD%A6%E5%AF%9F")  # 警察
    check(r.status == 200 and "110" in r.text, "desk search in Japanese")
    r = c.get("/")
    check("/incidents/advise" in r.text, "dashboard links to the advice")
    r = c.post("/settings/tokens", {"name": "reader", "role": "viewer"})
    tok = re.search(r'<code class="token">([^<]+)</code>', r.text).group(1)
    r = s.client().api("GET", "/api/v1/advice?type=data-leak&discovered=2026-11-20"
                       "&personal_data=sensitive&people=2", tok)
    check(r.status == 200 and any(d["id"] == "ppc_final" and d["due_by"] == "2026-12-20"
                                  for d in r.json()["duties"]), f"advice via API -> {r.status}")
    r = s.client().api("GET", "/api/v1/advice?type=nope&discovered=2026-11-20", tok)
    check(r.status == 400, f"bad advice request -> {r.status}")
    r = s.client().api("GET", "/api/v1/incidents", tok)
    check(r.status == 200 and r.json()[0]["status"] == "closed", "incidents via API")


def seed_alerts(s):
    """Alerts in the server's data directory before it starts, as `logscan --store` puts
    them: a brute force from 203.0.113.66 and one from 198.51.100.7."""
    log = os.path.join(s.tmp, "auth.log")
    with open(log, "w") as f:
        for ip in ("203.0.113.66", "198.51.100.7"):
            for i in range(20):
                f.write(f"Nov 20 10:00:{i:02d} srv sshd[{500 + i}]: Failed password for root "
                        f"from {ip} port {41000 + i} ssh2\n")
    os.makedirs(s.data, exist_ok=True)
    env = dict(s.env, YOJIN_LANG="en")
    subprocess.run([BIN, "logscan", "--year", "2026", "--store", log], env=env, check=True,
                   stdout=subprocess.DEVNULL)


def alert_id(s, ip):
    conn = sqlite3.connect(f"file:{os.path.join(s.data, 'yojin.db')}?mode=ro", uri=True)
    row = conn.execute("select id from alert where src_ip = ?", (ip,)).fetchone()
    conn.close()
    return row[0]


def t_alerts(_unused):
    s = Server(BIN)
    seed_alerts(s)
    s.start()
    try:
        alerts_checks(s)
        check(s.stop() == 0, "alerts: serve exited cleanly")
    finally:
        s.cleanup()


def alerts_checks(s):
    a1, a2 = alert_id(s, "203.0.113.66"), alert_id(s, "198.51.100.7")
    c = s.client()
    c.get("/setup")
    setup_admin(c)
    for login_id, role in (("mem", "member"), ("view", "viewer")):
        r = c.post("/settings/users", {"name": login_id, "login": login_id, "department": "x",
                                       "role": role, "password": PW, "password2": PW})
        check(r.status == 303, f"alerts: add {role} -> {r.status}")
    r = c.get("/")
    check(r.status == 200 and 'id="card-alerts"' in r.text and f'href="/alerts/{a1}"' in r.text,
          "alerts: dashboard card links the open alerts")
    check('href="/alerts"' in r.text, "alerts: navigation and card link to the list")
    r = c.get("/alerts")
    check(r.status == 200 and "203.0.113.66" in r.text and "198.51.100.7" in r.text,
          f"alerts: list shows both -> {r.status}")
    check_headers(r, "GET /alerts")
    r = c.get(f"/alerts/{a1}")
    check(r.status == 200 and "203.0.113.66" in r.text and "YJ-HOST-2001" in r.text,
          f"alerts: one alert -> {r.status}")
    check("/incidents/advise?type=unauthorized-access" in r.text, "alerts: playbook link")
    check('action="/alerts/status"' in r.text, "alerts: administrator sees the status form")
    for bad, want in (("/alerts/999999", 404), ("/alerts/abc", 404), ("/alerts/1x", 404),
                      ("/alerts/-1", 404), ("/alerts?show=bogus", 400),
                      ("/alerts?severity=9", 400), ("/alerts?offset=-5", 400)):
        r = c.get(bad)
        check(r.status == want, f"alerts: GET {bad} -> {r.status}, want {want}")

    # Viewers read, never change: no form, and a forged POST is refused.
    v = s.client()
    check(login(v, "view").status == 303, "alerts: viewer logs in")
    r = v.get(f"/alerts/{a1}")
    check(r.status == 200 and 'action="/alerts/status"' not in r.text
          and 'action="/alerts/incident"' not in r.text, "alerts: viewer sees no forms")
    tok = r.csrf()
    r = v.post("/alerts/status", {"id": str(a1), "action": "close"}, csrf=tok)
    check(r.status == 403, f"alerts: viewer cannot close -> {r.status}")
    r = v.post("/alerts/incident", {"id": str(a1)}, csrf=tok)
    check(r.status == 403, f"alerts: viewer cannot start an incident -> {r.status}")

    # Members change alerts with the form's CSRF token only.
    m = s.client()
    check(login(m, "mem").status == 303, "alerts: member logs in")
    r = m.post("/alerts/status", {"id": str(a1), "action": "ack"}, csrf=False)
    check(r.status == 403, f"alerts: status change without CSRF -> {r.status}")
    r = m.post("/alerts/status", {"id": str(a1), "action": "ack"}, csrf="x" * 43)
    check(r.status == 403, f"alerts: status change with a wrong CSRF token -> {r.status}")
    r = m.get(f"/alerts/{a1}")
    check('data-status="open"' in r.text, "alerts: refused changes change nothing")
    tok = r.csrf()
    r = m.post("/alerts/status", {"id": str(a1), "action": "ack", "note": XSS}, csrf=tok)
    check(r.status == 303 and r.location() == f"/alerts/{a1}?msg=saved",
          f"alerts: member acknowledges -> {r.status} {r.location()}")
    r = m.get(f"/alerts/{a1}")
    check('data-status="acknowledged"' in r.text and XSS not in r.text
          and "&lt;script&gt;" in r.text and "(mem, " in r.text, "alerts: note escaped, who shown")
    r = m.get("/alerts")
    check(f'data-id="{a1}"' not in r.text and f'data-id="{a2}"' in r.text,
          "alerts: an acknowledged alert leaves the open list")
    r = m.get("/alerts?show=acknowledged")
    check(f'data-id="{a1}"' in r.text, "alerts: and is in the acknowledged list")
    for fields, want in (({"id": str(a1), "action": "explode"}, 400),
                         ({"id": "abc", "action": "close"}, 400),
                         ({"id": "999999", "action": "close"}, 404),
                         ({"id": str(a1), "action": "close", "note": "n" * 3000}, 400),
                         ({"id": str(a1), "action": "close", "note": "a\x01b"}, 400)):
        r = m.post("/alerts/status", fields, csrf=tok)
        check(r.status == want, f"alerts: POST {fields['action']} {fields['id']} -> {r.status}")
    r = m.post("/alerts/incident", {"id": str(a2)}, csrf=tok)
    loc = r.location() or ""
    check(r.status == 303 and loc.startswith("/incidents/show?id="),
          f"alerts: incident from an alert -> {r.status} {loc}")
    r = m.get(loc)
    check(r.status == 200 and "198.51.100.7" in r.text, "alerts: the incident names the alert")
    r = m.get(f"/alerts/{a2}")
    check(f'href="{loc}"' in r.text and 'data-status="acknowledged"' in r.text,
          "alerts: the alert links its incident and is acknowledged")
    r = m.post("/alerts/incident", {"id": str(a2)}, csrf=tok)
    check(r.status == 303 and r.location() == loc, "alerts: a second start opens the same one")

    # The API: tokens only; viewers read, members change.
    r = c.post("/settings/tokens", {"name": "reader", "role": "viewer"})
    read_tok = re.search(r'<code class="token">([^<]+)</code>', r.text).group(1)
    r = c.post("/settings/tokens", {"name": "writer", "role": "member"})
    write_tok = re.search(r'<code class="token">([^<]+)</code>', r.text).group(1)
    api = s.client()
    r = api.api("GET", "/api/v1/alerts", read_tok)
    j = r.json()
    check(r.status == 200 and j["total"] == 2 and len(j["alerts"]) == 2, f"API list -> {r.status}")
    r = api.api("GET", "/api/v1/alerts?status=open", read_tok)
    check(r.status == 200 and r.json()["total"] == 0, "API: no open alert left")
    r = api.api("GET", f"/api/v1/alerts/{a1}", read_tok)
    j = r.json()
    check(r.status == 200 and j["src_ip"] == "203.0.113.66" and j["status"] == "acknowledged"
          and j["note"] == XSS and j["summary"]["en"] and j["summary"]["ja"]
          and j["playbook"] == "unauthorized-access", f"API one -> {r.status} {j}")
    for bad, want in (("/api/v1/alerts?status=nope", 400), ("/api/v1/alerts?severity=7", 400),
                      ("/api/v1/alerts?since=yesterday", 400), ("/api/v1/alerts/999999", 404),
                      ("/api/v1/alerts/abc", 404)):
        r = api.api("GET", bad, read_tok)
        check(r.status == want, f"API GET {bad} -> {r.status}")
    body = {"status": "closed", "note": "checked with the provider"}
    r = api.api("POST", f"/api/v1/alerts/{a1}/status", read_tok, body)
    check(r.status == 403, f"API: viewer token cannot change -> {r.status}")
    r = api.api("POST", f"/api/v1/alerts/{a1}/status", write_tok, body)
    j = r.json()
    check(r.status == 200 and j["status"] == "closed" and j["changed_by"] == "writer",
          f"API: member token closes -> {r.status} {j}")
    for path, b, want in ((f"/api/v1/alerts/{a1}/status", {"status": "gone"}, 400),
                          (f"/api/v1/alerts/{a1}/status", {"status": "open", "note": 5}, 400),
                          (f"/api/v1/alerts/{a1}/status", ["open"], 400),
                          (f"/api/v1/alerts/{a1}/other", {"status": "open"}, 404),
                          ("/api/v1/alerts/999999/status", {"status": "open"}, 404)):
        r = api.api("POST", path, write_tok, b)
        check(r.status == want, f"API POST {path} {b} -> {r.status}, want {want}")
    r = api.request("POST", f"/api/v1/alerts/{a1}/status", body="{oops",
                    headers={"Authorization": f"Bearer {write_tok}",
                             "Content-Type": "application/json"}, cookies=False)
    check(r.status == 400 and "line 1" in r.json()["error"], f"API malformed JSON -> {r.status}")


def t_https(_unused):
    tmp = Server(BIN)
    cert = os.path.join(tmp.tmp, "cert.pem")
    key = os.path.join(tmp.tmp, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=localhost"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.chmod(key, 0o600)
    tmp.config = f"serve:\n  tls_cert: {cert}\n  tls_key: {key}\n"
    s = tmp.start()
    try:
        c = s.client()
        r = c.get("/setup")
        check(r.status == 200, f"HTTPS setup page -> {r.status}")
        check("strict-transport-security" in r.headers, "HSTS under HTTPS")
        check(any("Secure" in x for x in r.cookies), f"Secure cookies under HTTPS: {r.cookies}")
        setup_admin(c)
        check(c.get("/").status == 200, "dashboard over HTTPS")
        check(s.stop() == 0, "HTTPS server stops cleanly")
    finally:
        s.cleanup()


def main():
    tests = [("setup and routes", lambda: with_server(t_setup_and_routes)),
             ("sessions", lambda: with_server(t_sessions)),
             ("idle timeout", lambda: t_idle_timeout(None)),
             ("injection", lambda: with_server(t_injection)),
             ("lockout", lambda: with_server(t_lockout)),
             ("limits", lambda: with_server(t_limits)),
             ("roles and API", lambda: with_server(t_roles_and_api)),
             ("respond", lambda: with_server(t_respond)),
             ("alerts", lambda: t_alerts(None)),
             ("https", lambda: t_https(None))]
    only = sys.argv[2:] if len(sys.argv) > 2 else None
    for name, fn in tests:
        if only and name not in only:
            continue
        print(f"- {name}")
        try:
            fn()
        except Exception:  # a crash of the test is a failure too
            FAILS.append(f"{name}: {traceback.format_exc()}")
            print(traceback.format_exc())
    print(f"{len(FAILS)} failures")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
