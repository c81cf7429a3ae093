#!/usr/bin/env python3
"""`yojin logscan --store` and `yojin fim check --store`: the alerts land in the alert table
of <data>/yojin.db with their words in Japanese and English, the playbook, the origin and
the EVE line; running the same scan again updates the same rows (one attack is one row),
and an alert that was closed is not reopened by the next scan: a new row is added.

Usage: test_alert_store.py path/to/yojin"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def run(data, *args, lang="en"):
    env = dict(os.environ, YOJIN_DATA=data, YOJIN_LANG=lang)
    p = subprocess.run([BIN, *args], env=env, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def rows(data, where="1"):
    db = sqlite3.connect(os.path.join(data, "yojin.db"))
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute(f"SELECT * FROM alert WHERE {where} ORDER BY id")]
    finally:
        db.close()


def main():
    tmp = tempfile.mkdtemp(prefix="yj-alert-")
    data = os.path.join(tmp, "data")
    log = os.path.join(tmp, "auth.log")
    with open(log, "w") as f:
        for i in range(40):
            f.write(f"Nov 20 10:00:{i:02d} srv sshd[{500 + i}]: Failed password for root from "
                    f"203.0.113.66 port {41000 + i} ssh2\n")
        for s in range(3):
            for i in range(12):
                f.write(f"Nov 20 10:10:{i:02d} srv sshd[{900 + i}]: Failed password for admin "
                        f"from 198.51.100.{s + 1} port {42000 + i} ssh2\n")

    rc, out, err = run(data, "logscan", "--year", "2026", "--store", log)
    check(rc == 0, f"logscan --store: exit {rc}: {err}")
    first = rows(data)
    check(len(first) >= 4, f"logscan: {len(first)} alerts stored, want the brute forces")
    bf = [r for r in first if r["signature_id"] == 2001 and r["src_ip"] == "203.0.113.66"]
    check(len(bf) == 1, f"one brute-force row for 203.0.113.66: {bf}")
    if bf:
        r = bf[0]
        check(r["code"] == "YJ-HOST-2001" and r["category"] == "brute-force"
              and r["severity"] == 2 and r["user"] == "root" and r["count"] == 40,
              f"brute-force fields: {r}")
        check(r["status"] == "open" and r["origin"] == "logscan"
              and r["playbook"] == "unauthorized-access", f"status/origin/playbook: {r}")
        check("203.0.113.66" in r["summary_ja"] and "203.0.113.66" in r["summary_en"]
              and r["summary_ja"] != r["summary_en"], f"summaries in both languages: {r}")
        check(r["name_ja"] and r["name_en"] and r["advice_ja"] and r["advice_en"],
              "names and advice in both languages")
        check(r["last_ts"] - r["first_ts"] == 39, f"first/last seen: {r['first_ts']} {r['last_ts']}")
        eve = json.loads(r["eve"])
        check(eve.get("event_type") == "alert" and eve["alert"]["signature_id"] == 2001,
              f"EVE line: {r['eve']}")

    # The same log again, in Japanese: same rows, same counts, no new ones.
    rc, out, err = run(data, "logscan", "--year", "2026", "--store", log, lang="ja")
    check(rc == 0, f"second logscan: exit {rc}: {err}")
    second = rows(data)
    check(len(second) == len(first), f"second scan: {len(second)} rows, want {len(first)}")
    check([(r["id"], r["count"]) for r in second] == [(r["id"], r["count"]) for r in first],
          "second scan: same ids and counts")
    check(f"既にあった警告の更新 {len(first)} 件" in out, "second scan: updated count printed: " + out[-200:])

    # Closed alerts stay closed: the next scan of the attack adds a new open alert.
    db = sqlite3.connect(os.path.join(data, "yojin.db"))
    db.execute("UPDATE alert SET status = 'closed' WHERE signature_id = 2001 AND "
               "src_ip = '203.0.113.66'")
    db.commit()
    db.close()
    rc, out, err = run(data, "logscan", "--year", "2026", "--store", log)
    third = rows(data, "signature_id = 2001 AND src_ip = '203.0.113.66'")
    check([r["status"] for r in third] == ["closed", "open"], f"after closing: {third}")

    # fim check --store: the cron file is its own alert, the file changes one alert; a
    # second check within the hour changes nothing.
    root = os.path.join(tmp, "root")
    os.makedirs(os.path.join(root, "etc", "cron.d"))
    with open(os.path.join(root, "etc", "hosts"), "w") as f:
        f.write("127.0.0.1 localhost\n")
    rc, out, err = run(data, "fim", "init", root)
    check(rc == 0, f"fim init: exit {rc}: {err}")
    with open(os.path.join(root, "etc", "cron.d", "evil"), "w") as f:
        f.write("* * * * * root sh /tmp/x\n")
    with open(os.path.join(root, "etc", "cron.d", "evil2"), "w") as f:
        f.write("* * * * * root sh /tmp/y\n")
    with open(os.path.join(root, "etc", "hosts"), "a") as f:
        f.write("10.0.0.1 intranet\n")
    rc, out, err = run(data, "fim", "check", "--store")
    check(rc == 0, f"fim check --store: exit {rc}: {err}")
    fim = rows(data, "origin = 'fim'")
    persist = [r for r in fim if r["signature_id"] == 2102]
    check(sorted(os.path.basename(r["subject"]) for r in persist) == ["evil", "evil2"],
          f"fim: one persistence alert per cron file: {persist}")
    check(len([r for r in fim if r["signature_id"] == 2101]) == 1, f"fim: one file-change alert: {fim}")
    rc, out, err = run(data, "fim", "check", "--store", "--json")
    check(rc == 0 and json.loads(out), f"fim check --store --json: exit {rc}: {err}")
    check("0 new" in err, "fim --json: stored count on stderr: " + err)
    check(len(rows(data, "origin = 'fim'")) == len(fim), "fim: second check adds no row")

    # --store is an option of check only.
    rc, out, err = run(data, "fim", "init", "--store", root)
    check(rc == 2 and "--store" in err, f"fim init --store: {rc} {err}")

    if FAILURES:
        print(f"{len(FAILURES)} failure(s)")
        sys.exit(1)
    print("alert store: all checks passed")


main()
