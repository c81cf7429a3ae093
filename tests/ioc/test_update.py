#!/usr/bin/env python3
"""`yojin ioc update` against a local HTTPS server (127.0.0.1, an ephemeral port, a
certificate this test makes with openssl and names in the ca_file setting; nothing else is
contacted).

Covers: a first download (file and metadata written, entries counted); the next update
sends If-None-Match / If-Modified-Since and a 304 keeps the copy; a 404, an HTML page
instead of the list, and a download over max_mb each fail with exit 1 and keep the last
good copy byte for byte; a feed that never worked says it has no copy; without ca_file
the certificate is not trusted; `ioc check` then answers from the downloaded feed; `ioc
list` and `--json` show the state.

Usage: test_update.py path/to/yojin"""
import http.server
import json
import os
import ssl
import subprocess
import sys
import tempfile
import threading

BIN = sys.argv[1]
FAILURES = []
# What the server answers for each path: (status, body); changed by the test between runs.
ROUTES = {}
SEEN = []  # (path, If-None-Match, If-Modified-Since)

DROP = (b"; Spamhaus DROP List 2026/08/20 - (c) 2026 The Spamhaus Project\n"
        b"1.10.16.0/20 ; SBL256894\n"
        b"2.56.192.0/22 ; SBL459831\n")
NEW = DROP + b"203.0.113.0/24 ; SBL999\n"
STATE = {"etag": '"drop-v1"'}
LASTMOD = "Thu, 20 Aug 2026 10:00:00 GMT"


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        SEEN.append((self.path, inm, ims))
        status, body = ROUTES.get(self.path, (404, b"not here\n"))
        # only the real list has a version; errors and junk come without one
        versioned = status == 200 and body in (DROP, NEW)
        if versioned and inm == STATE["etag"]:
            self.send_response(304)
            self.send_header("ETag", STATE["etag"])
            self.end_headers()
            return
        self.send_response(status)
        if versioned:
            self.send_header("ETag", STATE["etag"])
            self.send_header("Last-Modified", LASTMOD)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def run(args, data, code=None):
    env = dict(os.environ, YOJIN_DATA=data, YOJIN_LANG="en")
    p = subprocess.run([BIN] + args, env=env, capture_output=True, text=True, timeout=120)
    if code is not None:
        check(p.returncode == code,
              f"{' '.join(args)}: exit {p.returncode}, expected {code}\n{p.stdout}\n{p.stderr}")
    return p


def main():
    first_etag = STATE["etag"]
    tmp = tempfile.mkdtemp(prefix="yj-ioc-")
    key, cert = os.path.join(tmp, "key.pem"), os.path.join(tmp, "cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    port = srv.server_address[1]
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"https://127.0.0.1:{port}"

    data = os.path.join(tmp, "data")
    os.makedirs(data)
    with open(os.path.join(data, "yojin.yaml"), "w") as f:
        f.write(f"""ioc:
  ca_file: {cert}
  timeout: 10
  max_mb: 1
  feeds:
    - {{name: drop, url: "{base}/drop", format: spamhaus-drop}}
    - {{name: never, url: "{base}/never", format: plain}}
""")
    ROUTES["/drop"] = (200, DROP)
    ROUTES["/never"] = (404, b"gone\n")
    listfile = os.path.join(data, "ioc", "drop.txt")

    # 1. first download: drop works, never fails without an earlier copy -> exit 1
    p = run(["ioc", "update"], data, 1)
    check("drop: downloaded, 2 entries." in p.stdout, f"first download: {p.stdout}")
    check("never: FAILED, and there is no earlier copy" in p.stdout, f"never: {p.stdout}")
    check("HTTP status 404" in p.stderr, f"404 named: {p.stderr}")
    check(open(listfile, "rb").read() == DROP, "the list is stored as downloaded")
    meta = open(os.path.join(data, "ioc", "drop.meta")).read()
    check(f"etag {first_etag}" in meta and "entries 2" in meta, f"metadata: {meta}")
    check(SEEN[0][1] is None, "no conditional request the first time")

    # Only the drop feed from here on.
    cfg = open(os.path.join(data, "yojin.yaml")).read()
    cfg_one = cfg.replace(f'    - {{name: never, url: "{base}/never", format: plain}}\n', "")
    with open(os.path.join(data, "yojin.yaml"), "w") as f:
        f.write(cfg_one)

    # 2. not modified: a conditional request, a 304, the copy kept
    SEEN.clear()
    p = run(["ioc", "update", "--json"], data, 0)
    j = json.loads(p.stdout)
    check(j["feeds"][0]["status"] == "unchanged" and j["feeds"][0]["http_status"] == 304,
          f"304: {p.stdout}")
    check(j["feeds"][0]["entries"] == 2 and j["failed"] == 0, f"304 entries: {p.stdout}")
    check(SEEN and SEEN[0][1] == first_etag and SEEN[0][2] == LASTMOD,
          f"If-None-Match and If-Modified-Since sent: {SEEN}")
    check(open(listfile, "rb").read() == DROP, "304 keeps the copy")

    # 3. a 404 keeps the last good copy
    ROUTES["/drop"] = (404, b"Not Found\n")
    p = run(["ioc", "update"], data, 1)
    check("drop: FAILED. The last good copy" in p.stdout and "2 entries) is still used" in p.stdout,
          f"404 keeps: {p.stdout}")
    check(open(listfile, "rb").read() == DROP, "404 keeps the copy")

    # 4. an HTML page instead of the list keeps the last good copy
    ROUTES["/drop"] = (200, b"<html>\n<body>\nMaintenance\n</body>\n</html>\n")
    p = run(["ioc", "update", "--json"], data, 1)
    j = json.loads(p.stdout)
    check(j["feeds"][0]["status"] == "failed" and j["feeds"][0]["have"] is True, f"garbage: {p.stdout}")
    check("is not a usable spamhaus-drop list" in p.stderr, f"garbage named: {p.stderr}")
    check(open(listfile, "rb").read() == DROP, "garbage keeps the copy")

    # 5. larger than max_mb (1 MB) keeps the last good copy
    ROUTES["/drop"] = (200, b"10.0.0.0/8 ; SBL1\n" * 70000)
    p = run(["ioc", "update"], data, 1)
    check("larger than max_mb" in p.stderr, f"size cap: {p.stderr}")
    check(open(listfile, "rb").read() == DROP, "size cap keeps the copy")

    # 6. without ca_file the test certificate is not trusted
    with open(os.path.join(data, "yojin.yaml"), "w") as f:
        f.write(cfg_one.replace(f"  ca_file: {cert}\n", ""))
    ROUTES["/drop"] = (200, DROP)
    p = run(["ioc", "update"], data, 1)
    check("certificate" in p.stderr.lower() or "ssl" in p.stderr.lower(),
          f"untrusted certificate: {p.stderr}")
    check(open(listfile, "rb").read() == DROP, "TLS failure keeps the copy")
    with open(os.path.join(data, "yojin.yaml"), "w") as f:
        f.write(cfg_one)

    # 7. a changed list replaces the copy
    new = NEW
    ROUTES["/drop"] = (200, new)
    STATE["etag"] = '"drop-v2"'
    p = run(["ioc", "update"], data, 0)
    check("drop: downloaded, 3 entries." in p.stdout, f"new version: {p.stdout}")
    check(open(listfile, "rb").read() == new, "new version stored")

    # 8. check answers from the downloaded feed; list shows it
    p = run(["ioc", "check", "--json", "203.0.113.7", "192.0.2.1"], data, 0)
    j = json.loads(p.stdout)
    check(j["values"][0]["listed"] and j["values"][0]["hits"][0]["list"] == "drop" and
          j["values"][0]["hits"][0]["category"] == "SBL999", f"check from feed: {p.stdout}")
    check(not j["values"][1]["listed"], "unlisted stays unlisted")
    p = run(["ioc", "list", "--json"], data, 0)
    j = json.loads(p.stdout)
    check(j["feeds"][0]["have"] and j["feeds"][0]["entries"] == 3, f"list: {p.stdout}")
    p = run(["ioc", "list"], data, 0)
    check("last good download" in p.stdout and "3 entries" in p.stdout, f"list text: {p.stdout}")

    srv.shutdown()
    if FAILURES:
        print(f"{len(FAILURES)} failures")
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
