#!/usr/bin/env python3
"""Drives the interactive `yojin incident new` through a pseudo-terminal: the questions in
plain words, a wrong number and a future date asked again, then the stored record and the
advice with its dates."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_diagnose_tty import Term  # noqa: E402

BIN = os.path.abspath(sys.argv[1])


def main():
    tmp = tempfile.mkdtemp(prefix="yj-itty-")
    try:
        env = dict(os.environ, YOJIN_DATA=os.path.join(tmp, "data"), YOJIN_LANG="en",
                   USER="tester", YOJIN_NOW="2026-11-26T00:00:00Z")
        import test_diagnose_tty
        test_diagnose_tty.BIN = BIN
        t = Term(["incident", "new"], env)
        t.expect("What happened? Enter a number: ")
        t.send("99")                      # out of range
        t.expect("Enter a number from 1 to 15.")
        t.expect("What happened? Enter a number: ")
        t.send("6")                       # data-leak
        t.expect("When did you find out? YYYY-MM-DD [2026-11-26]: ")
        t.send("2027-01-01")              # the future
        t.expect("Enter a date up to today")
        t.send("2026-11-20")
        t.expect("Is personal data involved?")
        t.expect("Number [1]: ")
        t.send("3")                       # sensitive
        t.expect("How many people's data?")
        t.send("12")
        t.expect("on purpose")
        t.send("n")
        t.expect("Sector:")
        t.expect("Number [1]: ")
        t.send("")
        t.expect("still going on?")
        t.send("n")
        t.expect("In a few words")
        t.send("Patient list sent to the wrong address")
        t.expect("What to do now, in order")
        t.expect("2026-11-23")
        t.expect("2026-12-20")
        t.expect("Record #1 created.")
        assert t.wait() == 0
        out = subprocess.run([BIN, "incident", "show", "1", "--json"], env=env,
                             stdout=subprocess.PIPE, check=True).stdout
        x = json.loads(out)
        assert x["type"] == "data-leak" and x["personal_data"] == "sensitive", x
        assert x["people"] == 12 and x["title"].startswith("Patient list"), x
        assert any(d["id"] == "ppc_final" and d["due_by"] == "2026-12-20" for d in x["duties"]), x
        # End of input before the questions are done: nothing is stored.
        t = Term(["incident", "new"], env)
        t.expect("Enter a number: ")
        t.eof()
        assert t.wait() == 1
        out = subprocess.run([BIN, "incident", "list", "--json"], env=env,
                             stdout=subprocess.PIPE, check=True).stdout
        assert len(json.loads(out)) == 1
        print("ok incident tty")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
