#!/usr/bin/env python3
"""Checks the message catalogs against the code.

Every message id that the C sources use (a string literal in one of the catalog namespaces,
and the ids generated from tables: err.<NAME>, cmd.<name>.summary/usage) must be in both
data/po/ja.po and data/po/en.po, with a non-empty text, and both texts must use the same
printf conversions in the same order. Ids in a catalog that nothing uses are reported too.
Exit status 1 on any problem, with file:line where there is one."""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NAMESPACES = ("err", "yaml", "file", "po", "store", "bank", "answers", "answer", "assess",
              "org", "action", "cmd", "cli", "diag", "tty", "report", "profile", "web",
              "serve", "respond", "incident", "contacts", "collect", "evidence", "hash",
              "proc", "logscan", "host", "event", "sig", "fim", "notify", "alert",
              "watch", "fsmon", "pcap", "net", "ioc")
ID_RE = re.compile(r'"((?:%s)\.[A-Za-z0-9_.]+)"' % "|".join(NAMESPACES))
CONV_RE = re.compile(r"%(?:%|[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?:hh|h|ll|l|z|j|t)?[diouxXcsfeEgGp])")


def parse_po(path):
    entries, problems = {}, []
    state, cur_id, cur_str, line_of = None, None, None, 0

    def unq(s, ln):
        s = s.strip()
        if len(s) < 2 or s[0] != '"' or s[-1] != '"':
            problems.append(f"{path}:{ln}: not a quoted string")
            return ""
        return bytes(s[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")

    def flush():
        if cur_id:
            if cur_id in entries:
                problems.append(f"{path}:{line_of}: duplicate id {cur_id}")
            entries[cur_id] = (cur_str, line_of)

    with open(path, encoding="utf-8") as f:
        for ln, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("msgid "):
                if state == "str":
                    flush()
                state, cur_id, cur_str, line_of = "id", unq(line[6:], ln), "", ln
            elif line.startswith("msgstr "):
                state, cur_str = "str", unq(line[7:], ln)
            elif line.startswith('"'):
                if state == "id":
                    cur_id += unq(line, ln)
                elif state == "str":
                    cur_str += unq(line, ln)
            else:
                problems.append(f"{path}:{ln}: unexpected line")
    if state == "str":
        flush()
    return entries, problems


def used_ids():
    ids = {}
    for dirpath, _, files in os.walk(os.path.join(ROOT, "src")):
        for name in files:
            if not name.endswith((".c", ".h", ".def")):
                continue
            path = os.path.join(dirpath, name)
            with open(path, encoding="utf-8") as f:
                for ln, line in enumerate(f, 1):
                    if line.lstrip().startswith("#include"):
                        continue
                    for m in ID_RE.finditer(line):
                        if m.group(1).endswith((".css", ".js", ".yaml", ".po", ".html", ".db")):
                            continue  # a file name, not a message id
                        ids.setdefault(m.group(1), f"{os.path.relpath(path, ROOT)}:{ln}")
            if name == "err.def":
                with open(path, encoding="utf-8") as f:
                    for ln, line in enumerate(f, 1):
                        m = re.match(r"YJ_ERR\((\w+),", line)
                        if m:
                            ids.setdefault("err." + m.group(1), f"src/base/err.def:{ln}")
            if name == "commands.def":
                with open(path, encoding="utf-8") as f:
                    for ln, line in enumerate(f, 1):
                        m = re.match(r"YJ_CMD\((\w+),", line)
                        if m:
                            for suffix in ("summary", "usage"):
                                ids.setdefault(f"cmd.{m.group(1)}.{suffix}",
                                               f"src/cli/commands.def:{ln}")
    return ids


def main():
    problems = []
    cats = {}
    for lang in ("ja", "en"):
        path = os.path.join(ROOT, "data", "po", lang + ".po")
        cats[lang], p = parse_po(path)
        problems += p
    ids = used_ids()
    for mid, where in sorted(ids.items()):
        for lang, cat in cats.items():
            if mid not in cat or not cat[mid][0]:
                problems.append(f"{where}: id {mid} has no {lang} text in data/po/{lang}.po")
    for mid in sorted(set(cats["ja"]) | set(cats["en"])):
        if mid not in ids:
            line = (cats["ja"].get(mid) or cats["en"].get(mid))[1]
            problems.append(f"data/po/*.po:{line}: id {mid} is not used by the code")
        if mid in cats["ja"] and mid in cats["en"]:
            a = CONV_RE.findall(cats["ja"][mid][0])
            b = CONV_RE.findall(cats["en"][mid][0])
            if a != b:
                problems.append(f"data/po/ja.po:{cats['ja'][mid][1]}: {mid}: conversions {a} "
                                f"differ from en.po {b}")
    for p in problems:
        print(p)
    print(f"{len(ids)} ids used, {len(cats['ja'])} ja, {len(cats['en'])} en, "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
