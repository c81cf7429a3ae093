#!/usr/bin/env python3
"""The console in a real browser (headless Chromium through Selenium and chromedriver, all
from Debian): setup -> login -> answer the diagnosis -> result -> history -> report ->
language switch -> logout; the same diagnosis with JavaScript turned off; a phone-sized
window; keyboard access. Alerts stored by `yojin logscan --store` before the server starts:
on the dashboard and the list, one opened and acknowledged (it leaves the open list), in
Japanese and in English."""
import http.client
import os
import shutil
import sys
import tempfile
import time
import traceback

from selenium import webdriver
import subprocess

from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "web"))
from yjweb import Server  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
PW = "correct horse battery staple"
FAILS = []
# The answers to give: item -> value. Q02 partial, Q05 unknown, Q09 na, Q12 no, rest yes.
ANSWERS = {f"Q{i:02d}": "yes" for i in range(1, 26)}
ANSWERS.update({"Q02": "partial", "Q05": "unknown", "Q09": "na", "Q12": "no"})
EXPECTED_TOTAL = 4 * 21 + 2 - 1 + 4 + 0  # 89


def check(cond, msg):
    if not cond:
        FAILS.append(msg)
        print("  FAIL", msg)


def browser(tmp, js=True, size=(1280, 1000)):
    o = webdriver.ChromeOptions()
    o.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
              "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
              f"--user-data-dir={tempfile.mkdtemp(dir=tmp)}",
              f"--window-size={size[0]},{size[1]}"]:
        o.add_argument(a)
    if not js:
        o.add_experimental_option("prefs",
                                  {"profile.managed_default_content_settings.javascript": 2})
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(shutil.which("chromedriver") or
                                         "/usr/bin/chromedriver"), options=o)
    d.set_page_load_timeout(60)
    return d


def fill(d, field_id, value):
    e = d.find_element(By.ID, field_id)
    e.clear()
    e.send_keys(value)


def click_nav(d, element):
    """Clicks something that loads a new page and waits until that page has loaded: the old
    page carries a mark that the new one lacks."""
    d.execute_script("window.__yjOld = true")
    element.click()

    def loaded(x):
        try:
            return x.execute_script("return document.readyState === 'complete' && "
                                    "!window.__yjOld")
        except Exception:  # the page is between documents
            return False
    WebDriverWait(d, 30).until(loaded)


def submit(d, css="button[type=submit].primary"):
    click_nav(d, d.find_element(By.CSS_SELECTOR, css))


def csp_errors(d):
    """Console messages about the Content-Security-Policy: none are allowed."""
    try:
        return [m["message"] for m in d.get_log("browser") if "Content Security Policy" in
                m["message"]]
    except Exception:
        return []


def answer_all(d, base, answers, js):
    d.get(base + "/diagnosis")
    for item, value in answers.items():
        radio = d.find_element(By.CSS_SELECTOR, f'input[name="{item}"][value="{value}"]')
        d.execute_script("arguments[0].scrollIntoView({block: 'center'})", radio) if js else None
        radio.click()
    if js:
        WebDriverWait(d, 20).until(
            lambda x: x.find_element(By.ID, "progress-text").text == "25/25")


def flow(server, tmp):
    base = f"http://127.0.0.1:{server.port}"
    d = browser(tmp)
    wait = WebDriverWait(d, 20)
    try:
        # 1. First visit: setup.
        d.get(base + "/")
        check(d.current_url.endswith("/setup"), f"first visit goes to setup: {d.current_url}")
        check(d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ja", "Japanese first")
        for fid, v in (("f-name", "株式会社 用心テスト"), ("f-industry", "小売業"), ("f-size", "8"),
                       ("f-prefecture", "大阪府"), ("f-website", "https://example.jp/"),
                       ("f-admin_name", "用心 花子"), ("f-login", "hanako"),
                       ("f-password", PW), ("f-password2", PW)):
            fill(d, fid, v)
        submit(d)
        wait.until(EC.url_to_be(base + "/"))
        check("株式会社 用心テスト" in d.page_source, "dashboard shows the company")
        check("まだ自社診断が行われていません" in d.page_source, "dashboard says no diagnosis yet")
        # 2. Log out and in again.
        click_nav(d, d.find_element(By.XPATH, "//form[@action='/logout']//button"))
        wait.until(EC.url_contains("/login"))
        check("ログアウトしました" in d.page_source, "logout confirmed")
        fill(d, "f-login", "hanako")
        fill(d, "f-password", "wrong password here")
        submit(d)
        check("ログインIDかパスワードが違います" in d.page_source, "wrong password explained")
        fill(d, "f-login", "hanako")
        fill(d, "f-password", PW)
        submit(d)
        wait.until(EC.url_to_be(base + "/"))
        # 3. The diagnosis: answers saved as they are clicked (JavaScript on).
        d.get(base + "/diagnosis")
        check(len(d.find_elements(By.CSS_SELECTOR, "fieldset.item")) == 25, "25 items on the form")
        check(len(d.find_elements(By.CSS_SELECTOR, "section.part")) == 3, "grouped in 3 parts")
        first = d.find_element(By.CSS_SELECTOR, 'input[name="Q01"][value="yes"]')
        first.click()
        wait.until(lambda x: x.find_element(By.ID, "save-state").text != "")
        d.get(base + "/diagnosis")  # a reload keeps the answer: it was saved
        check(d.find_element(By.CSS_SELECTOR, 'input[name="Q01"][value="yes"]').is_selected(),
              "answer saved as you go")
        check(d.find_element(By.ID, "progress-text").text == "1/25", "progress shown")
        # Finishing early explains what is missing.
        submit(d, "button[value=finish]")
        check("24 問が未回答" in d.page_source, "unanswered items explained")
        answer_all(d, base, ANSWERS, js=True)
        submit(d, "button[value=finish]")
        wait.until(EC.url_contains("/diagnosis/result?id="))
        src = d.page_source
        check(f">{EXPECTED_TOTAL}<" in src, f"result total {EXPECTED_TOTAL}")
        check(len(d.find_elements(By.CSS_SELECTOR, ".report svg")) >= 3, "charts on the result")
        check("優先して取り組む項目と対策" in src and "Q05" in src, "weak and unknown items")
        # 4. History.
        click_nav(d, d.find_element(By.LINK_TEXT, "診断の履歴"))
        rows = d.find_elements(By.CSS_SELECTOR, "table.list tbody tr")
        check(len(rows) == 1 and str(EXPECTED_TOTAL) in rows[0].text, "history has the diagnosis")
        click_nav(d, rows[0].find_element(By.LINK_TEXT, "開く"))
        check(f">{EXPECTED_TOTAL}<" in d.page_source, "history opens the result")
        # 5. Report: on screen, printable, download.
        click_nav(d, d.find_element(By.LINK_TEXT, "報告書"))
        check("情報セキュリティ自社診断 報告書" in d.page_source, "report page")
        click_nav(d, d.find_element(By.LINK_TEXT, "印刷用を開く"))
        check("<script" not in d.page_source and d.title.startswith("情報セキュリティ自社診断"),
              "printable report")
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in d.get_cookies())
        c = http.client.HTTPConnection("127.0.0.1", server.port)
        c.request("GET", "/report/download", headers={"Cookie": cookie})
        r = c.getresponse()
        body = r.read()
        check(r.status == 200 and "attachment" in (r.getheader("Content-Disposition") or ""),
              "report download")
        check(b"<svg" in body, "downloaded report has its charts")
        # 5b. Something happened: the advice, then a record with its deadlines.
        d.get(base + "/incidents/advise")
        from selenium.webdriver.support.ui import Select
        Select(d.find_element(By.ID, "f-type")).select_by_value("ransomware")
        fill(d, "f-discovered", "")
        d.execute_script("document.getElementById('f-discovered').value = '2026-11-20'")
        submit(d)
        check("cs-support@ipa.go.jp" in d.page_source and "110" in d.page_source,
              "advice in the browser")
        d.get(base + "/incidents")
        Select(d.find_element(By.ID, "f-type")).select_by_value("data-leak")
        d.execute_script("document.getElementById('f-discovered').value = '2026-11-20'")
        Select(d.find_element(By.ID, "f-personal_data")).select_by_value("sensitive")
        fill(d, "f-people", "4")
        fill(d, "f-title", "顧客リストの誤送信")
        submit(d)
        check("2026-12-20" in d.page_source and "顧客リストの誤送信" in d.page_source,
              "incident recorded with its deadline")
        # 5c. Alerts found by logscan before the server started.
        d.get(base + "/")
        card = d.find_element(By.ID, "card-alerts")
        check("未対応の警告: 2 件" in card.text, f"dashboard counts the open alerts: {card.text}")
        check("203.0.113.66" in card.text, "dashboard shows the latest alerts' summaries")
        mon = d.find_element(By.ID, "monitor")
        check(mon.get_attribute("data-state") == "never" and "yojin watch" in mon.text,
              f"dashboard says monitoring never ran and how to start it: {mon.text}")
        click_nav(d, d.find_element(By.XPATH, "//header//nav//a[@href='/alerts']"))
        rows = d.find_elements(By.CSS_SELECTOR, "table.alerts tbody tr")
        check(len(rows) == 2, f"two open alerts listed: {len(rows)}")
        check(any("203.0.113.66" in r.text and "高" in r.text for r in rows),
              "the list shows the summary and the severity")
        row = [r for r in rows if "203.0.113.66" in r.text][0]
        alert_id = row.get_attribute("data-id")
        click_nav(d, row.find_element(By.TAG_NAME, "a"))
        check(d.current_url == f"{base}/alerts/{alert_id}", f"alert page: {d.current_url}")
        src = d.page_source
        check("何が起きたか" in src and "すること" in src and "攻撃元のアドレス" in src,
              "the alert in plain words with its details")
        check(d.find_elements(By.CSS_SELECTOR, "a.playbook[href^='/incidents/advise?type="
                                               "unauthorized-access']"), "link to the steps")
        fill(d, "f-note", "ファイアウォールで止めました")
        click_nav(d, d.find_element(By.CSS_SELECTOR, "button[name=action][value=ack]"))
        check("保存しました" in d.page_source and "確認済み" in d.page_source
              and "ファイアウォールで止めました" in d.page_source, "acknowledged with the note")
        click_nav(d, d.find_element(By.LINK_TEXT, "警告の一覧に戻る"))
        ids = [r.get_attribute("data-id") for r in
               d.find_elements(By.CSS_SELECTOR, "table.alerts tbody tr")]
        check(alert_id not in ids and len(ids) == 1, f"it left the open list: {ids}")
        click_nav(d, d.find_element(By.LINK_TEXT, "確認済み"))
        ids = [r.get_attribute("data-id") for r in
               d.find_elements(By.CSS_SELECTOR, "table.alerts tbody tr")]
        check(ids == [alert_id], f"and is among the acknowledged ones: {ids}")
        d.get(base + "/")
        check("未対応の警告: 1 件" in d.find_element(By.ID, "card-alerts").text,
              "the dashboard counts one open alert now")
        # 6. Language switch, remembered for the user.
        d.get(base + "/")
        click_nav(d, d.find_element(By.XPATH, "//form[@action='/lang']//button"))
        check(d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en", "switched")
        check("Dashboard" in d.page_source, "English after the switch")
        d.get(base + "/action")
        check("Getting ready for SECURITY ACTION" in d.page_source, "English on other pages")
        d.get(base + "/alerts")
        src = d.page_source
        check("Not dealt with" in src and "The address 198.51.100.7 failed to log in 20 times"
              in src, "alerts in English, with the English summary")
        d.get(base + f"/alerts/{alert_id}")
        src = d.page_source
        check("What happened" in src and "What to do" in src and "seen" in src
              and "203.0.113.66" in src, "one alert in English")
        # 7. Logout, then the session is gone.
        click_nav(d, d.find_element(By.XPATH, "//form[@action='/logout']//button"))
        wait.until(EC.url_contains("/login"))
        d.get(base + "/settings")
        check(d.current_url.endswith("/login"), "after logout pages need a login")
        # The language stays with the user: log in again -> English.
        fill(d, "f-login", "hanako")
        fill(d, "f-password", PW)
        submit(d)
        wait.until(EC.url_to_be(base + "/"))
        check(d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en",
              "language remembered for the user")
        check(not csp_errors(d), f"no CSP violations: {csp_errors(d)}")
        # Every form field on every page has a label (explicit or wrapping).
        unlabeled_js = """
            return Array.from(document.querySelectorAll('input, select, textarea'))
              .filter(e => e.type !== 'hidden' && e.type !== 'submit')
              .filter(e => !(e.id && document.querySelector('label[for="' + e.id + '"]'))
                           && !e.closest('label'))
              .map(e => e.name || e.id);"""
        for path in ("/", "/diagnosis", "/settings", "/incidents", "/incidents/advise",
                     "/contacts", "/action", "/report", "/diagnosis/history", "/alerts",
                     f"/alerts/{alert_id}"):
            d.get(base + path)
            missing = d.execute_script(unlabeled_js)
            check(not missing, f"{path}: fields without a label: {missing}")
        # Add a member for the no-JavaScript run.
        d.get(base + "/settings")
        for fid, v in (("u-name", "営業 次郎"), ("u-login", "jiro"), ("u-dept", "営業部"),
                       ("u-pw", PW), ("u-pw2", PW)):
            fill(d, fid, v)
        click_nav(d, d.find_element(By.XPATH, "//form[@action='/settings/users']//button"))
        check("jiro" in d.page_source, "member added")
    finally:
        d.quit()

    # 8. Without JavaScript: the member answers with plain form posts.
    d = browser(tmp, js=False, size=(375, 812))
    try:
        d.get(base + "/login")
        fill(d, "f-login", "jiro")
        fill(d, "f-password", PW)
        submit(d)
        for path in ("/", "/alerts?show=all"):
            d.get(base + path)
            width = d.execute_script("return [document.documentElement.scrollWidth, "
                                     "innerWidth]")
            check(width[0] <= width[1] + 1, f"{path}: no sideways scrolling on a phone: {width}")
        half = dict(list(ANSWERS.items())[:10])
        answer_all(d, base, half, js=False)
        submit(d, "button[value=save]")
        check("保存しました" in d.page_source, "saved without JavaScript")
        check(d.find_element(By.CSS_SELECTOR, 'input[name="Q10"][value="yes"]').is_selected(),
              "saved answers shown again")
        check("営業部" in d.page_source, "member answers for their department")
        answer_all(d, base, {k: "yes" for k in ANSWERS}, js=False)
        submit(d, "button[value=finish]")
        check(">100<" in d.page_source, "finished without JavaScript")
        d.get(base + "/diagnosis/result")
        check("最も弱い回答" in d.page_source, "company result combines the departments")
        # Keyboard: the first Tab reaches the skip link.
        d.get(base + "/")
        d.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        active = d.switch_to.active_element
        check(active.get_attribute("class") == "skip", "skip link is the first stop")
    finally:
        d.quit()


def seed_alerts(server, tmp):
    """Two brute forces found by `yojin logscan --store` in the server's data directory."""
    log = os.path.join(tmp, "auth.log")
    with open(log, "w") as f:
        for ip in ("203.0.113.66", "198.51.100.7"):
            for i in range(20):
                f.write(f"Nov 20 10:00:{i:02d} srv sshd[{500 + i}]: Failed password for root "
                        f"from {ip} port {41000 + i} ssh2\n")
    os.makedirs(server.data, exist_ok=True)
    subprocess.run([BIN, "logscan", "--year", "2026", "--store", log], env=server.env,
                   check=True, stdout=subprocess.DEVNULL)


def main():
    tmp = tempfile.mkdtemp(prefix="yj-e2e-")
    server = Server(BIN)
    seed_alerts(server, tmp)
    server.start()
    try:
        flow(server, tmp)
        check(server.stop() == 0, "server stops cleanly")
    except Exception:
        FAILS.append(traceback.format_exc())
        print(traceback.format_exc())
    finally:
        server.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(FAILS)} failures")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
