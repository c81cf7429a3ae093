#!/usr/bin/env python3
"""`yojin watch` live, on temporary log files and journal files.

Covers: lines appended to a followed log become auth events and a brute-force alert
(eve.json, the alert store); logrotate's "create" rotation (the old file's last lines and
the new file are both read); copytruncate; a log that appears after start; the process
runs as the service user with only CAP_DAC_READ_SEARCH, no_new_privs and seccomp; SIGTERM
stops it cleanly with a summary; a restart resumes where it stopped (nothing read twice,
nothing lost); a journal file (made with systemd-journal-remote) read through libsystemd;
a webhook notification sent once per attack, also across a restart; bad configuration ->
exit 2 with file:line.

Only 127.0.0.1 is contacted (the webhook receiver). Needs root (CI runs as root) and the
yojin user (scripts/deps.sh).

Usage: test_watch.py path/to/yojin"""
import http.server
import json
import os
import pwd
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

BIN = os.path.abspath(sys.argv[1])
FAILURES = []
POSTS = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)
    else:
        print("ok:", what)


def syslog_time():
    return time.strftime("%b %e %H:%M:%S", time.gmtime())


def failed(ip, user="root", port=4000):
    return "%s srv1 sshd[811]: Failed password for %s from %s port %d ssh2\n" % (
        syslog_time(), user, ip, port)


def append(path, text):
    with open(path, "a") as f:
        f.write(text)


def events(path):
    out = []
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out


def wait_for(pred, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.1)
    return pred()


class Watch:
    def __init__(self, data, *args, env=None):
        self.p = subprocess.Popen([BIN, "--data", data, "--lang", "en", "watch", *args],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env=env)
        self.err = ""
        # Started: the first line on stderr says what it watches.
        line = self.p.stderr.readline()
        self.err += line
        self.started = line.startswith("Watching")

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        out, err = self.p.communicate(timeout=20)
        self.err += err
        return self.p.returncode


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        POSTS.append(json.loads(self.rfile.read(n)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *a):
        pass


def bf_posts():
    return [p for p in POSTS if p.get("signature_id") == 2001 and p.get("src_ip") == "203.0.113.5"]


def auth_events(evs, ip=None):
    return [e for e in evs if e["event_type"] == "auth" and (ip is None or e.get("src_ip") == ip)]


def alerts(evs):
    return [e for e in evs if e["event_type"] == "alert"]


def stored_alerts(data):
    db = sqlite3.connect(os.path.join(data, "yojin.db"))
    try:
        return db.execute("SELECT signature_id, src_ip, count, status FROM alert").fetchall()
    finally:
        db.close()


def main():
    if os.geteuid() != 0:
        print("SKIP: test_watch needs root (to drop to the yojin user)")
        return 0
    pwd.getpwnam("yojin")
    tmp = tempfile.mkdtemp(prefix="yj-watch-")
    os.chmod(tmp, 0o755)
    try:
        run(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILURES:
        print("%d failure(s)" % len(FAILURES))
        return 1
    print("all passed")
    return 0


def run(tmp):
    data = os.path.join(tmp, "data")
    logs = os.path.join(tmp, "logs")
    os.makedirs(logs)
    os.chmod(logs, 0o700)  # only root may look in: the watch keeps CAP_DAC_READ_SEARCH
    auth = os.path.join(logs, "auth.log")
    later = os.path.join(logs, "later.log")
    append(auth, failed("198.51.100.1"))  # before start: not read (starts at the end)
    os.chmod(auth, 0o640)
    eve = os.path.join(data, "eve.json")

    srv = http.server.HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    os.makedirs(data)
    with open(os.path.join(data, "yojin.yaml"), "w") as f:
        f.write("notify:\n  webhook_url: http://127.0.0.1:%d/hook\n" % srv.server_port)

    w = Watch(data, "--log", auth, "--log", later, "--no-journal")
    check(w.started, "watch starts and says what it watches: %r" % w.err)

    # Privileges: the service user, one capability, no new privileges, seccomp.
    st = open("/proc/%d/status" % w.p.pid).read()
    uid = pwd.getpwnam("yojin").pw_uid
    fields = dict(l.split(":", 1) for l in st.splitlines() if ":" in l)
    check(fields["Uid"].split()[0] == str(uid), "runs as yojin (Uid %s)" % fields["Uid"].strip())
    check(int(fields["CapEff"].strip(), 16) == 1 << 2,
          "only CAP_DAC_READ_SEARCH is left (CapEff %s)" % fields["CapEff"].strip())
    check(fields["NoNewPrivs"].strip() == "1", "no_new_privs is set")
    check(fields["Seccomp"].strip() == "2", "a seccomp filter is on")

    # Appended lines: six failures from one source -> auth events and one brute-force alert.
    append(auth, "".join(failed("203.0.113.5", port=5000 + i) for i in range(6)))
    check(wait_for(lambda: len(auth_events(events(eve), "203.0.113.5")) == 6),
          "six appended failures become six auth events")
    check(wait_for(lambda: any(a["alert"]["signature_id"] == 2001 for a in alerts(events(eve)))),
          "a brute-force alert follows")
    check(not auth_events(events(eve), "198.51.100.1"), "lines from before the start are not read")
    ev = auth_events(events(eve), "203.0.113.5")[0]
    check(ev["log"]["file"] == auth and ev["log"]["line"] >= 1, "events name file and line")
    check(wait_for(lambda: len(bf_posts()) == 1), "one webhook POST for the attack (%d)" % len(POSTS))

    # More of the same attack: still one alert row, one message.
    append(auth, "".join(failed("203.0.113.5", port=6000 + i) for i in range(10)))
    check(wait_for(lambda: len(auth_events(events(eve), "203.0.113.5")) == 16), "more lines read")
    time.sleep(1.5)
    check(len(bf_posts()) == 1, "the same attack is not sent twice (%d)" % len(bf_posts()))

    # Rotation with create: the old file gets a last line after the move, then a new file.
    os.rename(auth, auth + ".1")
    append(auth + ".1", failed("203.0.113.20"))
    append(auth, failed("203.0.113.21"))
    check(wait_for(lambda: auth_events(events(eve), "203.0.113.20") and
                   auth_events(events(eve), "203.0.113.21")),
          "rotation: the old file's last line and the new file are both read")
    n21 = auth_events(events(eve), "203.0.113.21")
    check(n21 and n21[0]["log"]["line"] == 1, "the new file is read from its first line")

    # copytruncate: the file is emptied in place and written again.
    time.sleep(1.2)
    with open(auth, "r+") as f:
        f.truncate(0)
    append(auth, failed("203.0.113.30"))
    check(wait_for(lambda: auth_events(events(eve), "203.0.113.30")), "truncation: read from the top")

    # A log that did not exist at start is followed from its first line once it appears.
    append(later, failed("203.0.113.40") + failed("203.0.113.41"))
    check(wait_for(lambda: auth_events(events(eve), "203.0.113.41")), "a log that appears later is read")

    db = sqlite3.connect(os.path.join(data, "yojin.db"))
    row = db.execute("SELECT heartbeat_ts, sources, stopped FROM monitor_status "
                     "WHERE name = 'watch'").fetchone()
    db.close()
    check(row and row[2] == 0 and abs(row[0] - time.time()) < 30 and auth in row[1],
          "the heartbeat for the console says it runs and what it watches (%r)" % (row,))
    check(w.stop() == 0, "SIGTERM stops the watch with status 0")
    db = sqlite3.connect(os.path.join(data, "yojin.db"))
    row = db.execute("SELECT stopped FROM monitor_status WHERE name = 'watch'").fetchone()
    db.close()
    check(row and row[0] == 1, "a clean stop is recorded for the console")
    check("Watch stopped" in w.err, "a summary when it stops: %r" % w.err[-200:])
    rows = stored_alerts(data)
    bf = [r for r in rows if r[0] == 2001 and r[1] == "203.0.113.5"]
    check(len(bf) == 1, "the brute force is one stored alert (%r)" % rows)
    check(bf and bf[0][3] == "open", "stored as open")

    # Someone closes the alert in the console: the next sighting is a new alert row, but
    # the notification gate (kept in the store) still knows it was sent within the hour.
    db = sqlite3.connect(os.path.join(data, "yojin.db"))
    db.execute("UPDATE alert SET status = 'closed', changed_ts = ?", (int(time.time()),))
    db.commit()
    db.close()

    # Restart: lines written while it was down are read once, older ones not again.
    before = len(auth_events(events(eve)))
    append(auth, failed("203.0.113.50"))
    w = Watch(data, "--log", auth, "--log", later, "--no-journal")
    check(wait_for(lambda: auth_events(events(eve), "203.0.113.50")),
          "a line written while stopped is read after the restart")
    time.sleep(1.5)
    check(len(auth_events(events(eve))) == before + 1, "nothing is read twice after a restart")
    # The same attack again after the restart: the notification state survived.
    append(auth, "".join(failed("203.0.113.5", port=7000 + i) for i in range(6)))
    check(wait_for(lambda: len(auth_events(events(eve), "203.0.113.5")) == 22), "attack lines read")
    time.sleep(1.5)
    check(wait_for(lambda: len([r for r in stored_alerts(data) if r[0] == 2001]) == 2),
          "the closed alert is followed by a new one")
    check(len(bf_posts()) == 1, "no second message for the same attack after a restart (%d)"
          % len(bf_posts()))
    check(w.stop() == 0, "second stop is clean")

    journal(tmp, srv.server_port)
    bad_config(tmp, auth)
    srv.shutdown()


def journal(tmp, port):
    remote = "/lib/systemd/systemd-journal-remote"
    if not os.path.exists(remote):
        check(False, "systemd-journal-remote is installed (scripts/deps.sh)")
        return
    jdir = os.path.join(tmp, "journal")
    os.makedirs(jdir)
    jfile = os.path.join(jdir, "test.journal")
    now = int(time.time() * 1e6)
    export = ""
    for i in range(7):
        export += ("__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n"
                   "_BOOT_ID=0123456789abcdef0123456789abcdef\n_HOSTNAME=srv2\n"
                   "SYSLOG_IDENTIFIER=sshd\n_PID=99\n"
                   "MESSAGE=Failed password for invalid user admin from 192.0.2.77 port %d ssh2\n\n"
                   % (now + i, 1000 + i, 40000 + i))
    subprocess.run([remote, "-o", jfile, "-"], input=export.encode(), check=True,
                   stderr=subprocess.DEVNULL)
    data = os.path.join(tmp, "jdata")
    out = os.path.join(tmp, "journal-eve.json")
    # --config names the configuration, notify: included (not the data folder's yojin.yaml).
    cfg = os.path.join(tmp, "watch-config.yaml")
    with open(cfg, "w") as f:
        f.write("notify:\n  webhook_url: http://127.0.0.1:%d/hook\nwatch:\n  journal: off\n" % port)
    p = subprocess.run([BIN, "--data", data, "watch", "--config", cfg, "--journal-file", jfile,
                        "--from-start", "--eve", out, "--seconds", "2"], capture_output=True,
                       text=True, timeout=30)
    check(p.returncode == 0, "watch over a journal file exits 0 (%s)" % p.stderr)
    evs = events(out)
    au = auth_events(evs, "192.0.2.77")
    check(len(au) == 7, "seven journal entries become auth events (%d)" % len(au))
    check(au and au[0]["log"]["file"] == "journal" and au[0]["auth"]["user"] == "admin",
          "journal events name the journal and the user")
    check(any(a["alert"]["signature_id"] == 2001 for a in alerts(evs)), "and raise a brute-force alert")
    check(any(p.get("src_ip") == "192.0.2.77" for p in POSTS),
          "the webhook of --config FILE gets the alert")


def bad_config(tmp, auth):
    data = os.path.join(tmp, "bad")
    os.makedirs(data)
    with open(os.path.join(data, "yojin.yaml"), "w") as f:
        f.write("watch:\n  journal: sometimes\n  logz: [/var/log/x]\n")
    p = subprocess.run([BIN, "--data", data, "--lang", "en", "watch", "--seconds", "1"],
                       capture_output=True, text=True, timeout=30)
    check(p.returncode == 2, "bad configuration: exit 2 (%d)" % p.returncode)
    check("yojin.yaml:3" in p.stderr or "yojin.yaml:2" in p.stderr,
          "bad configuration names file:line (%s)" % p.stderr.strip())
    p = subprocess.run([BIN, "--data", os.path.join(tmp, "bad2"), "watch", "--log", tmp,
                        "--seconds", "1"],
                       capture_output=True, text=True, timeout=30)
    check(p.returncode == 2, "a folder given as --log is refused with exit 2 (%d %s)"
          % (p.returncode, p.stderr.strip()))


if __name__ == "__main__":
    sys.exit(main())
