"""Test helpers for the console: start `yojin serve` on a free loopback port with its own data
directory, and a small HTTP client that keeps cookies and finds CSRF tokens in pages."""
import html
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import urllib.parse

SECURITY_HEADERS = {
    "content-security-policy": "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    def __init__(self, binary, env=None, data=None, config=None, args=()):
        self.binary = os.path.abspath(binary)
        self.tmp = tempfile.mkdtemp(prefix="yj-web-")
        os.chmod(self.tmp, 0o755)  # the service user must reach the data directory
        self.data = data or os.path.join(self.tmp, "data")
        self.port = free_port()
        self.env = dict(os.environ)
        self.env.pop("YOJIN_LANG", None)
        self.env.update(env or {})
        self.env["YOJIN_DATA"] = self.data
        self.config = config
        self.args = list(args)
        self.proc = None
        self.https = False

    def start(self):
        os.makedirs(self.data, exist_ok=True)
        if self.config:
            with open(os.path.join(self.data, "yojin.yaml"), "w") as f:
                f.write(self.config)
            self.https = "tls_cert" in self.config
        self.out = open(os.path.join(self.tmp, "serve.out"), "w+")
        self.err = open(os.path.join(self.tmp, "serve.err"), "w+")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--listen", f"127.0.0.1:{self.port}"] + self.args,
            env=self.env, stdout=self.out, stderr=self.err)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("yojin serve exited: " + self.stderr())
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise AssertionError("yojin serve did not start: " + self.stderr())

    def stderr(self):
        self.err.flush()
        with open(os.path.join(self.tmp, "serve.err")) as f:
            return f.read()

    def stop(self):
        """SIGTERM, as a service manager would; returns the exit status."""
        if not self.proc:
            return 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
            raise AssertionError("yojin serve did not stop on SIGTERM")
        self.proc = None
        err = self.stderr()
        for bad in ("AddressSanitizer", "LeakSanitizer", "runtime error:"):
            if bad in err:
                raise AssertionError("sanitizer report from yojin serve:\n" + err)
        return code

    def cleanup(self):
        if self.proc:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def client(self):
        return Client(self)


class Response:
    def __init__(self, r, body):
        self.status = r.status
        self.headers = {k.lower(): v for k, v in r.getheaders()}
        self.cookies = [v for k, v in r.getheaders() if k.lower() == "set-cookie"]
        self.body = body
        self.text = body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.text)

    def csrf(self):
        m = re.search(r'name="csrf" value="([^"]+)"', self.text)
        return html.unescape(m.group(1)) if m else None

    def location(self):
        return self.headers.get("location")


class Client:
    def __init__(self, server):
        self.server = server
        self.cookies = {}

    def conn(self):
        if self.server.https:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            return http.client.HTTPSConnection("127.0.0.1", self.server.port, context=ctx,
                                               timeout=60)
        return http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)

    def request(self, method, path, body=None, headers=None, cookies=True):
        h = dict(headers or {})
        if cookies and self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        c = self.conn()
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        resp = Response(r, r.read())
        c.close()
        for sc in resp.cookies:
            name, _, rest = sc.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in sc:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, fields, csrf=True, **kw):
        fields = dict(fields)
        if csrf is True:
            fields["csrf"] = self.csrf_for(path)
        elif csrf:
            fields["csrf"] = csrf
        body = urllib.parse.urlencode(fields)
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(kw.pop("headers", {}))
        return self.request("POST", path, body=body, headers=h, **kw)

    def csrf_for(self, path):
        """The CSRF token of the form that posts to path, read from a page that has it."""
        page = {"/setup": "/setup", "/login": "/login"}.get(path, "/settings")
        if path == "/diagnosis":
            page = "/diagnosis"
        r = self.get(page)
        token = r.csrf()
        assert token, f"no CSRF token on {page} ({r.status})"
        return token

    def api(self, method, path, token, body=None):
        h = {"Authorization": f"Bearer {token}"}
        if body is not None:
            h["Content-Type"] = "application/json"
            body = json.dumps(body)
        return self.request(method, path, body=body, headers=h, cookies=False)


def setup_admin(client, login="owner", password="correct horse battery staple",
                company="株式会社 用心テスト", name="用心 太郎"):
    r = client.post("/setup", {"name": company, "industry": "卸売業", "size": "12",
                               "prefecture": "東京都", "website": "https://example.jp/",
                               "admin_name": name, "login": login, "password": password,
                               "password2": password})
    assert r.status == 303 and r.location() == "/", (r.status, r.text[:500])
    return r


def login(client, login="owner", password="correct horse battery staple"):
    client.get("/login")
    return client.post("/login", {"login": login, "password": password})
