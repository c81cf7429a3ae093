#!/usr/bin/env python3
"""`yojin collect` on this machine, end to end: the real binary collects into a temporary
folder (as root, then once as the unprivileged user 65534 through setpriv), the archive is
read back with Python's tarfile and checked item by item against its manifest, and
`--verify` must accept it as written and refuse it after each kind of tampering (one byte
changed, an entry removed, an entry added, an entry named ../x or /x, a damaged manifest,
a truncated file, a file that is no archive). Bad flags must exit with 2.

Usage: test_collect.py path/to/yojin"""
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
import time

BIN = os.path.abspath(sys.argv[1])
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)
    return cond


def run(args, env, user=None, timeout=120):
    cmd = [BIN] + args
    if user is not None:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"] + cmd
    t0 = time.monotonic()
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"), time.monotonic() - t0)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def read_archive(path):
    """[(TarInfo, bytes)] in archive order."""
    out = []
    with tarfile.open(path, "r:*") as t:
        for m in t.getmembers():
            data = t.extractfile(m).read() if m.isfile() else b""
            out.append((m, data))
    return out


def write_archive(path, members):
    """Writes [(name, bytes)] as a tar.gz, in order."""
    with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o400
            info.mtime = int(time.time())
            t.addfile(info, io.BytesIO(data))


def parse_manifest(text):
    entries = {}
    for line in text.splitlines():
        m = re.fullmatch(r"([0-9a-f]{64})  (.+)", line)
        assert m, f"manifest line {line!r}"
        assert m.group(2) not in entries
        entries[m.group(2)] = m.group(1)
    return entries


def verify(env, path):
    rc, out, err, _ = run(["--lang", "en", "collect", "--verify", path], env)
    jrc, jout, _, _ = run(["--lang", "en", "collect", "--verify", path, "--json"], env)
    j = json.loads(jout) if jout.strip() else None
    return rc, out, err, jrc, j


def check_archive(path, j, own_binary):
    """The archive against the --json summary and its own manifest."""
    members = read_archive(path)
    names = [m.name for m, _ in members]
    top = j["top"]
    check(all(n.startswith(top + "/") for n in names), f"entries outside {top}: {names}")
    check(all(m.isfile() for m, _ in members), "only regular files in the archive")
    check(names[-1] == f"{top}/manifest.sha256", f"manifest is last: {names[-1]}")
    files = {m.name[len(top) + 1:]: data for m, data in members}
    manifest = parse_manifest(files["manifest.sha256"].decode())
    others = set(files) - {"manifest.sha256"}
    check(set(manifest) == others, f"manifest covers every other entry: {set(manifest) ^ others}")
    for name, digest in manifest.items():
        check(hashlib.sha256(files[name]).hexdigest() == digest, f"hash of {name}")
    for name in ("system/time.txt", "system/host.txt", "processes/processes.tsv",
                 "network/connections.tsv", "files/recent.tsv", "users/passwd",
                 "scheduled/links.tsv", "collect.json"):
        check(name in files, f"archive has {name}")
    # collect.json describes every item before it, and who ran it
    cj = json.loads(files["collect.json"])
    check(cj["format"] == "yojin-evidence/1", "collect.json format")
    check(cj["top"] == top, "collect.json top")
    listed = {i["path"]: i["sha256"] for i in cj["items"]}
    for name, digest in listed.items():
        check(manifest.get(name) == digest, f"collect.json item {name} matches the manifest")
    check(set(listed) == set(manifest) - {"collect.json"}, "collect.json lists every item")
    check(cj["run_by"]["uid"] == j["run_by"]["uid"], "collect.json run_by")
    check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", cj["started"] or ""), "started")
    # the clock
    tt = files["system/time.txt"].decode()
    check(re.search(r"^realtime_utc=\d{4}-\d\d-\d\dT", tt, re.M), "time.txt realtime")
    check(re.search(r"^boottime_seconds=\d+\.\d{9}$", tt, re.M), "time.txt boottime")
    check(re.search(r"^clocksource=", tt, re.M), "time.txt clocksource")
    # processes: a header and rows of 11 fields; the kernel threads or init are there
    rows = files["processes/processes.tsv"].decode().splitlines()
    check(rows[0].split("\t")[:3] == ["pid", "ppid", "uid"], "processes header")
    check(all(len(r.split("\t")) == 11 for r in rows), "processes rows have 11 fields")
    check(len(rows) - 1 == j["counts"]["processes"] and len(rows) > 2, "process count")
    if own_binary:
        mine = [r.split("\t") for r in rows[1:] if r.split("\t")[7] == own_binary[0]]
        check(mine and mine[0][8] == own_binary[1],
              "yojin's own executable is listed with its SHA-256")
    conns = files["network/connections.tsv"].decode().splitlines()
    check(conns[0].startswith("proto\tlocal_address"), "connections header")
    check(all(len(r.split("\t")) == 10 for r in conns), "connection rows have 10 fields")
    rec = files["files/recent.tsv"].decode().splitlines()
    check(rec[0].startswith("changed\tmtime_utc"), "recent files header")
    return members


def main():
    if os.geteuid() != 0:
        print("skipped: this test runs yojin as root and as another user (needs root)")
        return 0
    tmp = tempfile.mkdtemp(prefix="yj-collect-")
    os.chmod(tmp, 0o755)
    env = dict(os.environ)
    env.pop("YOJIN_LANG", None)
    env["YOJIN_DATA"] = os.path.join(tmp, "data")
    try:
        own = (os.path.realpath(BIN), sha256_file(BIN))

        # ---- collect as root, JSON summary ---------------------------------------------
        a = os.path.join(tmp, "a.tar.gz")
        rc, out, err, secs = run(["--lang", "en", "collect", "-o", a, "--json"], env)
        check(rc == 0, f"collect as root: exit {rc}: {err}")
        print(f"collect as root: {secs:.1f} s")
        check(secs < 60, f"collect took {secs:.1f} s")
        j = json.loads(out)
        check(j["archive"]["path"] == a, "summary names the archive")
        check(j["archive"]["sha256"] == sha256_file(a), "summary SHA-256 is the file's")
        check(j["archive"]["bytes"] == os.path.getsize(a), "summary size")
        check(stat.S_IMODE(os.stat(a).st_mode) == 0o600, "archive mode 0600")
        check(j["run_by"]["root"] is True and j["run_by"]["uid"] == 0, "run_by root")
        check(j["days"] == 7, "default window 7 days")
        check(j["counts"]["processes"] > 0, "processes counted")
        check(isinstance(j["skipped"], list), "skipped list")
        for s in j["skipped"]:
            check(s["code"] and s["reason"] and s["count"] >= 1, f"skip entry {s}")
        check(not [f for f in os.listdir(tmp) if ".tmp" in f], "no temporary file left")
        check_archive(a, j, own)

        # ---- the same machine, text output and default place ---------------------------
        rc, out, err, _ = run(["collect", "--days", "2"], env)
        check(rc == 0, f"collect to the data dir: {err}")
        evdir = os.path.join(tmp, "data", "evidence")
        check(stat.S_IMODE(os.stat(evdir).st_mode) == 0o700, "evidence/ is 0700")
        made = os.listdir(evdir)
        check(len(made) == 1 and re.fullmatch(r"yojin-evidence-.+-\d{8}T\d{6}Z\.tar\.gz",
                                              made[0]), f"default name: {made}")
        b = os.path.join(evdir, made[0])
        check(read_archive(b)[0][0].name.startswith(made[0][:-len(".tar.gz")] + "/"),
              "top folder is named like the file")
        check(b in out and sha256_file(b) in out, "text names the archive and its SHA-256")
        check("証拠" in out and "集められなかったもの" in out, "Japanese text by default")
        rc, out, _, _ = run(["--lang", "en", "collect", "-o", os.path.join(tmp, "e.tar.gz")],
                            env)
        check("This archive is evidence" in out and "Could not collect:" in out,
              "English reminder")

        # an existing file is never replaced
        before = sha256_file(a)
        rc, out, err, _ = run(["--lang", "en", "collect", "-o", a], env)
        check(rc == 1 and "already exists" in err, f"existing output: {rc} {err}")
        check(sha256_file(a) == before, "existing archive untouched")

        # ---- verify: intact, then tampered ---------------------------------------------
        rc, out, err, jrc, vj = verify(env, a)
        check(rc == 0 and out.startswith("OK"), f"verify intact: {rc} {out} {err}")
        check(jrc == 0 and vj["ok"] is True and vj["problems"] == [], "verify --json intact")
        check(vj["sha256"] == sha256_file(a), "verify prints the archive's SHA-256")

        members = [(m.name, d) for m, d in read_archive(a)]
        top = j["top"]
        proc = f"{top}/processes/processes.tsv"

        def tampered(name, mutate):
            path = os.path.join(tmp, name)
            write_archive(path, mutate([list(x) for x in members]))
            return path

        def flip(ms):
            for m in ms:
                if m[0] == proc:
                    d = bytearray(m[1])
                    d[len(d) // 2] ^= 0x01
                    m[1] = bytes(d)
            return ms

        # a rewrite without changes still verifies (the check is on content, not bytes)
        same = tampered("same.tar.gz", lambda ms: ms)
        rc, out, err, _, _ = verify(env, same)
        check(rc == 0, f"rewritten but unchanged archive verifies: {out} {err}")

        for label, mutate, code, name in [
            ("one byte", flip, "mismatch", "processes/processes.tsv"),
            ("removed", lambda ms: [m for m in ms if m[0] != f"{top}/system/time.txt"],
             "missing", "system/time.txt"),
            ("added", lambda ms: ms[:-1] + [[f"{top}/extra.txt", b"planted\n"]] + ms[-1:],
             "extra", "extra.txt"),
            ("dotdot", lambda ms: ms + [["../x", b"escape\n"]], "unsafe_name", "../x"),
            ("absolute", lambda ms: ms + [["/tmp/yj-abs", b"escape\n"]], "unsafe_name",
             "/tmp/yj-abs"),
            ("inner dotdot", lambda ms: ms + [[f"{top}/a/../../y", b"x"]], "unsafe_name",
             f"{top}/a/../../y"),
            ("outside", lambda ms: ms + [["other/z", b"x"]], "outside", "other/z"),
        ]:
            path = tampered(label.replace(" ", "_") + ".tar.gz", mutate)
            rc, out, err, jrc, vj = verify(env, path)
            check(rc == 1 and jrc == 1, f"{label}: exit {rc}/{jrc}")
            check(out.startswith("NOT OK") and name in out, f"{label}: names {name}: {out}")
            codes = {(p["code"], p["name"]) for p in (vj or {}).get("problems", [])}
            check((code, name) in codes, f"{label}: problem {code} {name} in {codes}")

        # the manifest itself: a changed hash is a mismatch, a bad line names its number
        def edit_manifest(fn):
            def mutate(ms):
                ms[-1][1] = fn(ms[-1][1].decode()).encode()
                return ms
            return mutate

        path = tampered("manifest_hash.tar.gz", edit_manifest(
            lambda t: re.sub(r"^[0-9a-f]{64}(?=  system/hosts$)", "0" * 64, t, flags=re.M)))
        rc, out, _, _, vj = verify(env, path)
        check(rc == 1 and ("mismatch", "system/hosts") in
              {(p["code"], p["name"]) for p in vj["problems"]}, "manifest hash changed")
        path = tampered("manifest_line.tar.gz", edit_manifest(lambda t: t + "not a line\n"))
        rc, out, _, _, vj = verify(env, path)
        lines = len(members[-1][1].decode().splitlines()) + 1
        check(rc == 1 and any(p["code"] == "manifest" and p.get("line") == lines
                              for p in vj["problems"]), f"bad manifest line {lines}: {vj}")
        path = tampered("no_manifest.tar.gz", lambda ms: ms[:-1])
        rc, out, _, _, vj = verify(env, path)
        check(rc == 1 and vj["problems"][0]["code"] == "no_manifest", "no manifest")

        # a truncated archive, a file that is no archive, a missing file
        raw = open(a, "rb").read()
        cut = os.path.join(tmp, "cut.tar.gz")
        open(cut, "wb").write(raw[: len(raw) // 2])
        rc, out, err, _, _ = verify(env, cut)
        check(rc == 1 and "cut.tar.gz" in err, f"truncated archive: {rc} {err}")
        text = os.path.join(tmp, "notes.txt")
        open(text, "w").write("this is not an archive\n")
        rc, out, err, _, _ = verify(env, text)
        check(rc == 1 and "not a yojin evidence archive" in err, f"not an archive: {rc} {err}")
        gz = os.path.join(tmp, "text.gz")
        open(gz, "wb").write(gzip.compress(b"plain text, compressed\n" * 50))
        rc, out, err, _, _ = verify(env, gz)
        check(rc == 1 and "not a yojin evidence archive" in err, f"gzip of text: {rc} {err}")
        rc, out, err, _, _ = verify(env, os.path.join(tmp, "missing.tar.gz"))
        check(rc == 1 and "missing.tar.gz" in err, f"missing file: {rc} {err}")

        # ---- bad flags: exit 2 with a clear message --------------------------------------
        for args, needle in [(["--days", "abc"], "--days"), (["--days", "0"], "--days"),
                             (["--days", "99999"], "--days"), (["--bogus"], "--bogus"),
                             (["--verify"], "--verify"), (["extra"], "extra"),
                             (["--verify", a, "-o", "x"], "--verify"), (["-o"], "-o")]:
            rc, out, err, _ = run(["--lang", "en", "collect"] + args, env)
            check(rc == 2 and needle in err and "Usage: yojin collect" in err,
                  f"collect {args}: exit {rc}: {err[:200]}")
        rc, out, err, _ = run(["--lang", "en", "collect", "--help"], env)
        check(rc == 0 and out.startswith("Usage: yojin collect"), "--help")

        # ---- as an unprivileged user ---------------------------------------------------
        nobody = os.path.join(tmp, "nobody")
        os.mkdir(nobody)
        os.chmod(nobody, 0o777)
        n = os.path.join(nobody, "n.tar.gz")
        nenv = dict(env, YOJIN_DATA=os.path.join(nobody, "data"))
        rc, out, err, secs = run(["--lang", "en", "collect", "-o", n, "--json"], nenv,
                                 user=65534)
        check(rc == 0, f"collect as 65534: exit {rc}: {err}")
        print(f"collect as 65534: {secs:.1f} s")
        nj = json.loads(out) if rc == 0 else {"skipped": [], "run_by": {}}
        check(nj["run_by"].get("uid") == 65534 and nj["run_by"].get("root") is False,
              "run_by 65534")
        codes = {s["code"] for s in nj["skipped"]}
        check(codes & {"not_root", "exe_not_root", "sock_not_root", "journal_not_root"},
              f"not-root skips listed: {codes}")
        if rc == 0:
            check(os.stat(n).st_uid == 65534, "archive owned by the user who ran it")
            rc, out, err, _, _ = verify(env, n)
            check(rc == 0, f"unprivileged archive verifies: {out} {err}")
            check_archive(n, nj, None)
        rc, out, err, _ = run(["--lang", "en", "collect", "-o",
                               os.path.join(nobody, "t.tar.gz")], nenv, user=65534)
        check(rc == 0 and "Could not collect:" in out and "not root" in out,
              f"text lists what a normal user could not collect: {out[-600:]}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILURES:
        print(f"{len(FAILURES)} failures")
        return 1
    print("all collect checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
