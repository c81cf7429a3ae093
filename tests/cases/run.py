#!/usr/bin/env python3
"""Runs one data-driven case: a folder with case.yaml and its inputs.

case.yaml:
  description: what the case shows
  env: {NAME: value}          # for every step (YOJIN_DATA is always a fresh temp dir)
  steps:
    - args: [diagnose, --answers, answers.txt, --json]   # relative paths: the case folder
      run: [python3, "{case}/../make.py", "{tmp}"]   # instead of args: a helper command
      env: {YOJIN_NOW: 2026-11-20T10:00:00Z}
      stdin: text given on standard input
      exit: 0                 # expected exit status (default 0)
      json: {total: 100, band.min: 100, parts.0.max: 20}   # stdout as JSON, dotted paths
      json_len: {unknown: 0}  # lengths of arrays/objects at paths
      json_absent: [change.previous]
      json_has:               # an element of the list at `in` whose `where` fields match,
        - {in: duties, where: {id: ppc_final}, has: {due_by: "2026-12-20"}}   # with `has` too
      json_lacks:             # no element of the list at `in` matches `where`
        - {in: duties, where: {id: ppc_final}}
      stdout_has: [text, ...]   stdout_lacks: [...]
      stderr_has: [text, ...]   stderr_lacks: [...]   stderr_empty: true
      files: {out.html: {has: [...], lacks: [...]}}   # files under {tmp}
      eve:                    # EVE JSON lines under {tmp}: events whose dotted paths match
        - {file: eve.json, match: {event_type: flow, flow.pkts_toserver: 2}, count: 1}
                              # count: exact number (default: at least one)
"{tmp}" in args and files is a scratch folder of the run; "{case}" is the case folder.
Checks are declarative: only what a case names is compared, never whole outputs."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import yaml


class Loader(yaml.SafeLoader):
    """YAML without the timestamp type: dates in cases stay text, as yojin sees them."""


Loader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def get_path(doc, path):
    cur = doc
    for part in str(path).split("."):
        if isinstance(cur, list):
            cur = cur[int(part)]
        elif isinstance(cur, dict):
            if part not in cur:
                raise KeyError(path)
            cur = cur[part]
        else:
            raise KeyError(path)
    return cur


def main():
    binary, case_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    with open(os.path.join(case_dir, "case.yaml"), encoding="utf-8") as f:
        case = yaml.load(f, Loader=Loader)
    tmp = tempfile.mkdtemp(prefix="yj-case-")
    failures = []
    try:
        base_env = dict(os.environ)
        base_env.pop("YOJIN_LANG", None)
        base_env["YOJIN_DATA"] = os.path.join(tmp, "data")
        for k, v in (case.get("env") or {}).items():
            base_env[k] = str(v)

        def subst(s):
            return str(s).replace("{tmp}", tmp).replace("{case}", case_dir)

        for n, step in enumerate(case["steps"], 1):
            env = dict(base_env)
            for k, v in (step.get("env") or {}).items():
                env[k] = str(v)
            if "run" in step:  # a helper (making inputs), not yojin
                subprocess.run([subst(a) for a in step["run"]], cwd=case_dir, env=env,
                               check=True, timeout=120)
                continue
            args = [binary] + [subst(a) for a in step["args"]]
            p = subprocess.run(args, cwd=case_dir, env=env, input=step.get("stdin", "").encode(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
            out = p.stdout.decode("utf-8", "replace")
            err = p.stderr.decode("utf-8", "replace")
            where = f"step {n} ({' '.join(step['args'])})"

            def fail(msg):
                failures.append(f"{where}: {msg}")

            want = step.get("exit", 0)
            if p.returncode != want:
                fail(f"exit {p.returncode}, expected {want}")
            if "runtime error" in err or "AddressSanitizer" in err or "LeakSanitizer" in err:
                fail("sanitizer report")
            for s in step.get("stdout_has", []):
                if str(s) not in out:
                    fail(f"stdout lacks {s!r}")
            for s in step.get("stdout_lacks", []):
                if str(s) in out:
                    fail(f"stdout has {s!r}")
            for s in step.get("stderr_has", []):
                if subst(s) not in err:
                    fail(f"stderr lacks {subst(s)!r}")
            for s in step.get("stderr_lacks", []):
                if str(s) in err:
                    fail(f"stderr has {s!r}")
            if step.get("stderr_empty") and err.strip():
                fail("stderr is not empty")
            if any(k in step for k in ("json", "json_len", "json_absent", "json_has",
                                       "json_lacks")):
                try:
                    doc = json.loads(out)
                except ValueError as e:
                    fail(f"stdout is not JSON: {e}")
                    doc = None
                if doc is not None:
                    for path, value in (step.get("json") or {}).items():
                        try:
                            got = get_path(doc, path)
                        except (KeyError, IndexError, ValueError):
                            fail(f"JSON has no {path}")
                            continue
                        if got != value:
                            fail(f"JSON {path} = {got!r}, expected {value!r}")
                    for path, value in (step.get("json_len") or {}).items():
                        try:
                            got = len(get_path(doc, path))
                        except (KeyError, IndexError, ValueError, TypeError):
                            fail(f"JSON has no list at {path}")
                            continue
                        if got != value:
                            fail(f"JSON len({path}) = {got}, expected {value}")
                    for spec in step.get("json_has") or []:
                        try:
                            items = get_path(doc, spec["in"]) if spec["in"] != "" else doc
                        except (KeyError, IndexError, ValueError):
                            fail(f"JSON has no list at {spec['in']}")
                            continue
                        match = [x for x in items if isinstance(x, dict) and all(
                            x.get(k) == v for k, v in (spec.get("where") or {}).items())]
                        if not match:
                            fail(f"JSON {spec['in']} has no element with {spec.get('where')}")
                        elif not any(all(x.get(k) == v for k, v in (spec.get("has") or {}).items())
                                     for x in match):
                            fail(f"JSON {spec['in']} {spec.get('where')}: "
                                 f"{[{k: x.get(k) for k in spec['has']} for x in match]} "
                                 f"expected {spec['has']}")
                    for spec in step.get("json_lacks") or []:
                        try:
                            items = get_path(doc, spec["in"])
                        except (KeyError, IndexError, ValueError):
                            continue
                        if any(isinstance(x, dict) and all(x.get(k) == v for k, v in
                                                           spec["where"].items()) for x in items):
                            fail(f"JSON {spec['in']} has an element with {spec['where']}")
                    for path in step.get("json_absent") or []:
                        try:
                            got = get_path(doc, path)
                            if got is not None:
                                fail(f"JSON {path} = {got!r}, expected absent or null")
                        except (KeyError, IndexError, ValueError, TypeError):
                            pass
            for name, checks in (step.get("files") or {}).items():
                path = os.path.join(tmp, subst(name))
                if not os.path.exists(path):
                    fail(f"file {name} was not written")
                    continue
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                for s in checks.get("has", []):
                    if str(s) not in text:
                        fail(f"file {name} lacks {s!r}")
                for s in checks.get("lacks", []):
                    if str(s) in text:
                        fail(f"file {name} has {s!r}")
            for spec in step.get("eve") or []:
                path = os.path.join(tmp, subst(spec["file"]))
                if not os.path.exists(path):
                    fail(f"file {spec['file']} was not written")
                    continue
                n_match = 0
                with open(path, encoding="utf-8") as f:
                    for ln in f:
                        try:
                            ev = json.loads(ln)
                        except ValueError:
                            fail(f"{spec['file']}: not a JSON line: {ln[:80]!r}")
                            break
                        ok = True
                        for k, v in (spec.get("match") or {}).items():
                            try:
                                ok = ok and get_path(ev, k) == v
                            except (KeyError, IndexError, ValueError):
                                ok = False
                        n_match += ok
                want_n = spec.get("count")
                if (want_n is None and n_match == 0) or (want_n is not None and n_match != want_n):
                    fail(f"{spec['file']}: {n_match} events match {spec.get('match')}, "
                         f"expected {want_n if want_n is not None else 'at least one'}")
            if failures and not case.get("keep_going"):
                sys.stderr.write(f"--- stdout of {where}:\n{out}\n--- stderr:\n{err}\n")
                break
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    name = os.path.basename(case_dir)
    if failures:
        for f in failures:
            print(f"FAIL {name}: {f}")
        return 1
    print(f"ok {name}: {case.get('description', '')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
