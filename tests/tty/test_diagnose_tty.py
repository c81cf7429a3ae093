#!/usr/bin/env python3
"""Drives the interactive `yojin diagnose` through a pseudo-terminal, as a person would:
answers, back, skip, an unknown key, stopping half-way, resuming, finishing the skipped item,
full-width digits in Japanese, and end of input. Then checks what was stored."""
import json
import os
import pty
import select
import shutil
import subprocess
import sys
import tempfile
import time

BIN = os.path.abspath(sys.argv[1])


class Term:
    def __init__(self, args, env):
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen([BIN] + args, stdin=slave, stdout=slave, stderr=slave,
                                     env=env, close_fds=True)
        os.close(slave)
        self.buf = b""
        self.seen = b""

    def expect(self, text, timeout=30):
        want = text.encode()
        deadline = time.time() + timeout
        while want not in self.buf:
            left = deadline - time.time()
            if left <= 0:
                raise AssertionError(f"timed out waiting for {text!r}; screen so far:\n"
                                     + self.buf.decode("utf-8", "replace")[-2000:])
            r, _, _ = select.select([self.master], [], [], left)
            if r:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    if want not in self.buf:
                        raise AssertionError(f"program ended before {text!r}:\n"
                                             + self.buf.decode("utf-8", "replace")[-2000:])
                    break
                self.buf += chunk
        # consume up to and including the match
        i = self.buf.index(want) + len(want)
        self.seen += self.buf[:i]
        self.buf = self.buf[i:]

    def send(self, line):
        os.write(self.master, (line + "\n").encode())

    def eof(self):
        os.write(self.master, b"\x04")  # ^D at the start of a line: end of input

    def wait(self):
        try:
            while True:
                r, _, _ = select.select([self.master], [], [], 1)
                if not r:
                    if self.proc.poll() is not None:
                        break
                    continue
                chunk = os.read(self.master, 65536)
                if not chunk:
                    break
                self.buf += chunk
        except OSError:
            pass
        code = self.proc.wait(timeout=30)
        os.close(self.master)
        return code


def run(args, env):
    p = subprocess.run([BIN] + args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.returncode == 0, p.stderr.decode()
    return p.stdout.decode()


def main():
    tmp = tempfile.mkdtemp(prefix="yj-tty-")
    try:
        env = dict(os.environ, YOJIN_DATA=os.path.join(tmp, "data"), YOJIN_LANG="en",
                   USER="tester", TERM="xterm")
        # 1. Start, go back, skip, stop half-way.
        t = Term(["diagnose"], env)
        t.expect("Department")
        t.send("Sales")
        t.expect("Your name [tester]")
        t.send("Aoki")
        t.expect("[1/25] Part 1")
        t.expect("> ")
        t.send("1")
        t.expect("[2/25] Part 1")
        t.expect("> ")
        t.send("b")
        t.expect("[1/25] Part 1")
        t.expect("Current answer: Yes")
        t.expect("> ")
        t.send("2")                       # change Q01 to partly
        t.expect("[2/25]")
        t.expect("> ")
        t.send("s")                       # skip Q02
        t.expect("[3/25]")
        t.expect("> ")
        t.send("x")                       # not a choice
        t.expect("Type a number from 1 to 5")
        t.expect("> ")
        for n in range(3, 11):            # Q03..Q10 yes
            t.send("yes" if n == 5 else "1")
            t.expect(f"[{n + 1}/25]")
            t.expect("> ")
        t.send("q")
        t.expect("Your answers so far (9 of 25) are saved")
        assert t.wait() == 0

        hist = json.loads(run(["diagnose", "--history", "--json"], env))
        assert hist == [], f"an unfinished diagnosis must not be in the history: {hist}"

        # 2. Resume: starts where we stopped; finish; go back to the skipped item.
        t = Term(["diagnose", "--department", "Sales"], env)
        t.expect("Going on with the diagnosis started on")
        t.expect("(9 of 25 answered)")
        t.expect("[11/25]")
        t.expect("> ")
        for n in range(11, 26):
            t.send("1")
            if n < 25:
                t.expect(f"[{n + 1}/25]")
                t.expect("> ")
        t.expect("1 questions are not answered yet: Q02")
        t.expect("> ")
        t.send("")                        # Enter: go to the unanswered item
        t.expect("[2/25]")
        t.expect("> ")
        t.send("4")                       # don't know
        t.expect("Thank you. Here is your result.")
        t.expect("Total 93 of 100 points")
        t.expect("Answered \"don't know\"")
        t.expect("Q02")
        assert t.wait() == 0

        hist = json.loads(run(["diagnose", "--history", "--json"], env))
        assert len(hist) == 1, hist
        assert hist[0]["total"] == 93 and hist[0]["respondent"] == "Aoki", hist
        assert hist[0]["department"] == "Sales", hist

        # 3. Japanese, full-width digits, --new, end of input saves.
        envja = dict(env, YOJIN_LANG="ja")
        t = Term(["diagnose", "--department", "総務", "--respondent", "井上"], envja)
        t.expect("[1/25] 第1部 基本的対策")
        t.expect("> ")
        t.send("１")
        t.expect("[2/25]")
        t.expect("> ")
        t.eof()
        t.expect("保存しました")
        assert t.wait() == 0
        t = Term(["diagnose", "--department", "総務", "--new", "--respondent", "井上"], envja)
        t.expect("[1/25]")                # --new starts again at the first item
        t.expect("> ")
        assert "再開" not in t.seen.decode("utf-8", "replace"), "--new must not resume"
        t.eof()
        assert t.wait() == 0
        print("ok tty: answer, back, skip, bad key, stop, resume, review, ja, full-width, --new")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
