#!/usr/bin/env python3
"""Prints the self-diagnosis report to PDF with headless Chromium, as an office would print it,
and checks the PDF: A4 pages, a sensible page count, the Japanese text (so the CJK font was
found and embedded), the company name, the score, the chart labels and the advice."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

BIN = os.path.abspath(sys.argv[1])
HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(os.path.dirname(HERE), "cases", "assess")

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-extensions",
                  "--no-pdf-header-footer", "--print-to-pdf-no-header"]


def yojin(env, *args):
    p = subprocess.run([BIN] + list(args), env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise AssertionError(f"yojin {' '.join(args)}: {p.returncode}\n{p.stderr.decode()}")


def to_pdf(html, pdf, profile):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "chromium is not installed (scripts/deps.sh installs it)"
    p = subprocess.run([chromium] + CHROMIUM_FLAGS + [f"--user-data-dir={profile}",
                        f"--print-to-pdf={pdf}", "file://" + html],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=180)
    assert os.path.exists(pdf) and os.path.getsize(pdf) > 1000, \
        f"chromium wrote no PDF ({p.returncode}): {p.stderr.decode()[-2000:]}"


def pdf_info(pdf):
    out = subprocess.run(["pdfinfo", pdf], stdout=subprocess.PIPE, check=True).stdout.decode()
    pages = int(re.search(r"Pages:\s+(\d+)", out).group(1))
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", out).groups())
    return pages, w, h


def pdf_text(pdf):
    return subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], stdout=subprocess.PIPE,
                          check=True).stdout.decode("utf-8", "replace")


def main():
    tmp = tempfile.mkdtemp(prefix="yj-pdf-")
    failures = []
    try:
        env = dict(os.environ, YOJIN_DATA=os.path.join(tmp, "data"), TZ="Asia/Tokyo")
        env.pop("YOJIN_LANG", None)
        yojin(env, "profile", "--name", "株式会社 用心テスト商会")
        for i, (day, f) in enumerate([("2026-05-01", "score-band-edges/50.txt"),
                                      ("2026-08-01", "history-change/first.txt"),
                                      ("2026-11-20", "answers-japanese/answers.txt")]):
            yojin(dict(env, YOJIN_NOW=day + "T01:00:00Z"), "diagnose", "--answers",
                  os.path.join(CASES, f), "--respondent", "田中", "--department", "")
        for lang, must in [
            ("ja", ["株式会社 用心テスト商会", "情報セキュリティ自社診断 報告書", "89",
                    "70〜99", "基本的対策", "従業員としての対策", "組織としての対策",
                    "合計点の推移", "優先して取り組む項目と対策", "わからない", "Q04",
                    "2026-11-20", "前回 70 点"]),
            ("en", ["Information security self-diagnosis report", "Basic measures",
                    "Total points over time", "What to work on first, and how",
                    "Don't know", "Last time 70 points, now 89 points"]),
        ]:
            html = os.path.join(tmp, f"report-{lang}.html")
            pdf = os.path.join(tmp, f"report-{lang}.pdf")
            yojin(dict(env, YOJIN_NOW="2026-11-26T01:00:00Z"), "--lang", lang, "report",
                  "-o", html)
            to_pdf(html, pdf, os.path.join(tmp, "chromium-" + lang))
            pages, w, h = pdf_info(pdf)
            if not (abs(w - 595.3) < 2 and abs(h - 841.9) < 2):
                failures.append(f"{lang}: page size {w}x{h} pts is not A4")
            if not 2 <= pages <= 8:
                failures.append(f"{lang}: {pages} pages (expected 2-8)")
            text = pdf_text(pdf)
            flat = re.sub(r"\s+", " ", text)
            for s in must:
                if s not in text and s not in flat:
                    failures.append(f"{lang}: PDF text lacks {s!r}")
            # every item id appears (the per-part charts and the answers table)
            missing = [f"Q{i:02d}" for i in range(1, 26) if f"Q{i:02d}" not in text]
            if missing:
                failures.append(f"{lang}: PDF lacks item ids {missing}")
            if "\ufffd" in text or "□" in text:
                failures.append(f"{lang}: PDF text has replacement glyphs (missing font?)")
            keep = os.environ.get("YJ_KEEP_PDF")
            if keep:
                shutil.copy(pdf, os.path.join(keep, f"report-{lang}.pdf"))
            print(f"{lang}: {pages} A4 pages, {len(text)} characters of text")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print("FAIL", f)
    if not failures:
        print("ok report_pdf")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
