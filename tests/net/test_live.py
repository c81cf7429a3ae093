#!/usr/bin/env python3
"""Live capture through the same path as files: `yojin pcap --live lo --seconds N --bpf
'tcp port P' --eve OUT` while this test opens TCP connections to its own listener on
127.0.0.1:P (python sockets and curl). Each connection must come out as one TCP flow event
from 127.0.0.1 to port P with both directions counted. A second run is stopped with SIGINT
long before its --seconds: the flows seen so far are still reported. Needs root (capture);
skipped, with exit code 77, otherwise."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

SKIP = 77


def serve(sock, stop):
    sock.settimeout(0.2)
    while not stop.is_set():
        try:
            conn, _ = sock.accept()
        except socket.timeout:
            continue
        with conn:
            conn.settimeout(2)
            try:
                conn.recv(4096)
                conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
            except OSError:
                pass


def capture(binary, env, port, eve, seconds, interrupt):
    failures = []
    where = f"--seconds {seconds}" + (" stopped by SIGINT" if interrupt else "")
    proc = subprocess.Popen([binary, "pcap", "--live", "lo", "--seconds", str(seconds), "--bpf",
                             f"tcp port {port}", "--eve", eve, "--json"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.5)  # the capture is open well before this
    made = 0
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", port), timeout=3) as c:
            c.sendall(b"GET / HTTP/1.0\r\n\r\n")
            c.recv(4096)
        made += 1
    if shutil.which("curl"):
        subprocess.run(["curl", "-s", "-o", "/dev/null", "--noproxy", "*",
                        f"http://127.0.0.1:{port}/"], timeout=10, check=True)
        made += 1
    if interrupt:
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=90)
    if proc.returncode != 0:
        failures.append(f"{where}: exit {proc.returncode}: {err.decode(errors='replace')}")
        return failures
    summary = json.loads(out)
    flows = []
    with open(eve, encoding="utf-8") as f:
        for line in f:
            ev = json.loads(line)
            if ev["event_type"] == "flow":
                flows.append(ev)
    mine = [e for e in flows if e.get("dest_port") == port and e.get("src_ip") == "127.0.0.1"
            and e.get("dest_ip") == "127.0.0.1" and e.get("proto") == "TCP"]
    if len(mine) != made:
        failures.append(f"{where}: {len(mine)} flow events to port {port}, expected {made}: "
                        f"{flows}")
    for e in mine:
        fl = e["flow"]
        if fl["pkts_toserver"] < 3 or fl["pkts_toclient"] < 2:
            failures.append(f"{where}: flow counts too small: {fl}")
        if not e.get("community_id", "").startswith("1:"):
            failures.append(f"{where}: no community_id: {e}")
        if not e["tcp"].get("syn"):
            failures.append(f"{where}: no SYN seen: {e}")
    if len(flows) != len(mine):
        failures.append(f"{where}: the BPF filter let other traffic through: {flows}")
    if summary["flows"]["tcp"] != made or summary["inputs"][0]["name"] != "lo":
        failures.append(f"{where}: summary: {summary}")
    return failures


def main():
    if os.geteuid() != 0:
        print("skipped: live capture needs root (run as root, as CI does)")
        return SKIP
    binary = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="yj-live-")
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    port = srv.getsockname()[1]
    stop = threading.Event()
    th = threading.Thread(target=serve, args=(srv, stop), daemon=True)
    th.start()
    eve = os.path.join(tmp, "eve.json")
    failures = []
    try:
        env = dict(os.environ, YOJIN_LANG="en", YOJIN_DATA=os.path.join(tmp, "data"))
        for seconds, interrupt in ((5, False), (60, True)):
            failures += capture(binary, env, port, eve, seconds, interrupt)
    finally:
        stop.set()
        srv.close()
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print("FAIL live:", f)
    if failures:
        return 1
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
