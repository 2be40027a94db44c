"""Under gunicorn with the deploy configuration and the production settings, no response names the server or a
version: no `Server` header, and no header value that mentions gunicorn, Python or Django."""
from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from pathlib import Path

from sunshine.org.tests.test_settings_deploy import production_env

PROJECT_DIR = Path(__file__).resolve().parents[3]
GUNICORN_CONFIG = PROJECT_DIR / "deploy" / "gunicorn.conf.py"
REVEALING = ("gunicorn", "python", "django", "wsgiserver", "whitenoise", "ninja")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(server, port: int, path: str, deadline: float, *, https: bool = True) -> http.client.HTTPResponse:
    while True:
        assert server.poll() is None, server.stderr.read().decode()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=90)  # a cold worker on a busy CI box
            connection.request("GET", path, headers={"Host": "example.org", **({"X-Forwarded-Proto": "https"} if https else {})})
            response = connection.getresponse()
            response.read()
            return response
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_gunicorn_with_the_deploy_config_sends_no_server_banner_or_version():
    port = _free_port()
    env = production_env(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG), "sunshine.wsgi"],
                              cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        # A document that needs no database, and a plain-http request (redirected to https).
        for path, https, expected in [("/api/v1/openapi.json", True, 200), ("/", False, 301)]:
            response = _get(server, port, path, deadline, https=https)
            assert response.status == expected
            headers = {name.lower(): value for name, value in response.getheaders()}
            assert "server" not in headers and "x-powered-by" not in headers
            assert not [value for value in headers.values() if any(word in value.lower() for word in REVEALING)]
    finally:
        server.terminate()
        server.wait(timeout=30)
