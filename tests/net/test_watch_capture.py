#!/usr/bin/env python3
"""`yojin watch --interface lo --bpf ...` captures live through the same sensor as `yojin
pcap`, with traffic made here on loopback only:
  - `nmap -sT -p 1-200 127.0.0.1` must come out as flow events to those ports and one scan
    alert;
  - curl against a local python listener: one TCP flow with both directions counted and
    app_proto "http" (nDPI);
  - a threat list configured in yojin.yaml (ioc: files:) names 127.0.0.3: a connection to
    it raises an indicator alert (3201), written to eve.json and stored for the console;
  - the list is edited to name 127.0.0.4 and SIGHUP reloads it while capture goes on: a
    connection to 127.0.0.4 then raises its own alert;
  - after the start the watch runs as the yojin user, and SIGTERM stops it with status 0.
Needs root (capture, the privilege drop), nmap and curl; skipped (exit 77) otherwise."""
import json
import os
import signal
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

from test_live import serve  # the same local HTTP listener

SKIP = 77
BIN = sys.argv[1] if len(sys.argv) > 1 else "./build/yojin"
FAIL = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAIL.append(what)


def listener(addr):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, 0))
    s.listen(16)
    return s


def events(path):
    out = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.strip():
                    out.append(json.loads(line))
    return out


def wait_for(pred, timeout=15.0):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.2)
    return pred()


def indicator_alert(eve, addr):
    return any(e["event_type"] == "alert" and e["alert"]["signature_id"] == 3201 and
               addr in e["yojin"]["summary"] for e in events(eve))


def curl(addr, port):
    subprocess.run(["curl", "-s", "-o", "/dev/null", "--noproxy", "*", "--max-time", "5",
                    f"http://{addr}:{port}/"], timeout=10, check=False)


def main():
    if os.geteuid() != 0 or not shutil.which("nmap") or not shutil.which("curl"):
        print("SKIP: needs root, nmap and curl")
        return SKIP
    tmp = tempfile.mkdtemp(prefix="yj-watchcap-")
    data = os.path.join(tmp, "data")
    os.mkdir(data, 0o700)
    lst = os.path.join(tmp, "list.txt")
    with open(lst, "w") as f:
        f.write("# test list\n127.0.0.3\n")
    os.chmod(tmp, 0o755)
    os.chmod(lst, 0o644)
    with open(os.path.join(data, "yojin.yaml"), "w") as f:
        f.write(f"ioc:\n  files:\n    - {{path: {lst}, name: test-list}}\n")
    stop = threading.Event()
    socks = [listener("127.0.0.1"), listener("127.0.0.3"), listener("127.0.0.4")]
    for s in socks:
        threading.Thread(target=serve, args=(s, stop), daemon=True).start()
    p1, p3, p4 = (s.getsockname()[1] for s in socks)
    bpf = f"host 127.0.0.1 and tcp portrange 1-200 or port {p1} or port {p3} or port {p4}"
    eve = os.path.join(data, "eve.json")
    proc = subprocess.Popen([BIN, "--data", data, "--lang", "en", "watch", "--no-journal",
                             "--log", os.path.join(tmp, "none.log"), "--interface", "lo",
                             "--bpf", bpf], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        line = proc.stderr.readline()
        check(line.startswith("Watching"), f"watch started: {line.strip()!r}")
        st = open(f"/proc/{proc.pid}/status").read()
        uid = {k: v for k, v in (l.split(":", 1) for l in st.splitlines() if ":" in l)}["Uid"]
        check(uid.split()[0] == str(__import__("pwd").getpwnam("yojin").pw_uid),
              f"runs as yojin after the start (Uid {uid.strip()})")
        subprocess.run(["nmap", "-n", "-sT", "-Pn", "-p", "1-200", "127.0.0.1"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        curl("127.0.0.1", p1)
        curl("127.0.0.3", p3)
        check(wait_for(lambda: indicator_alert(eve, "127.0.0.3")),
              "indicator alert for the listed 127.0.0.3")
        # Reload: the list now names 127.0.0.4; SIGHUP builds it on a thread and swaps.
        with open(lst + ".new", "w") as f:
            f.write("127.0.0.4\n")
        os.chmod(lst + ".new", 0o644)
        os.rename(lst + ".new", lst)
        proc.send_signal(signal.SIGHUP)
        time.sleep(2)
        curl("127.0.0.4", p4)
        check(wait_for(lambda: indicator_alert(eve, "127.0.0.4")),
              "after SIGHUP the reloaded list's 127.0.0.4 raises an alert")
        check(proc.poll() is None, "watch still runs after the reload")
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        check(proc.returncode == 0, f"SIGTERM stops the watch with status 0 ({err.strip()[-300:]})")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        stop.set()
    evs = events(eve)
    flows = [e for e in evs if e["event_type"] == "flow"]
    scanned = {e["dest_port"] for e in flows
               if e.get("dest_ip") == "127.0.0.1" and 1 <= e.get("dest_port", 0) <= 200}
    check(len(scanned) >= 190, f"flow events for the scanned ports ({len(scanned)} of 200)")
    web = [e for e in flows if e.get("dest_port") == p1]
    check(len(web) == 1 and web[0]["flow"]["pkts_toclient"] > 0,
          f"curl's connection is one flow with both directions ({len(web)})")
    check(bool(web) and web[0].get("app_proto") == "http",
          f"nDPI names it http ({web[0].get('app_proto') if web else None})")
    scan = [e for e in evs if e["event_type"] == "alert" and e["alert"]["category"] == "scan"
            and e.get("src_ip") == "127.0.0.1"]
    check(len(scan) == 1, f"one scan alert for nmap's scan ({len(scan)})")
    db = sqlite3.connect(os.path.join(data, "yojin.db"))
    stored = db.execute("SELECT src_ip FROM alert WHERE signature_id = 3201").fetchall()
    db.close()
    # The store keeps one open alert per (signature, source): both land in it.
    check(stored == [("127.0.0.1",)], f"the indicator alerts are stored ({stored})")
    shutil.rmtree(tmp, ignore_errors=True)
    return 1 if FAIL else 0


if __name__ == "__main__":
    sys.exit(main())
