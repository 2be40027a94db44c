"""gunicorn settings for Sunshine: `gunicorn -c deploy/gunicorn.conf.py sunshine.wsgi` (docs/deploy.md).

Every value can be overridden from the environment (GUNICORN_*), so the systemd unit stays the same on every host.
"""
import multiprocessing
import os

from gunicorn.http import wsgi as _gunicorn_wsgi

# Loopback only: nginx is the one door (a client reaching gunicorn directly could write X-Forwarded-For itself).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: each request is a few database queries; two per core plus one keeps the cores busy while some wait.
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # the longest page (a large export) stays well inside
graceful_timeout = 30
keepalive = 5  # nginx keeps upstream connections alive (deploy/nginx/sunshine.conf)
# Recycle workers now and then so a slow leak in a library cannot grow for weeks; the jitter avoids all at once.
max_requests = 2000
max_requests_jitter = 200
# The header nginx sets for the scheme; only nginx on this host may set it.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# The access log keeps no client address and no query string (a self-check's query names a household head):
# the reporter-address promise of docs/deploy-proxy.md. nginx keeps the same kind of log.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None  # empty: no access log
access_log_format = '%(t)s %(m)s %(U)s %(s)s %(b)s %(L)s'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = "sunshine"
# gunicorn 27's control socket sits at one path per user ($HOME/.gunicorn/gunicorn.ctl): two instances on one
# host (a second site, the load benchmark) would fight over it. systemd restarts and signals replace it.
control_socket_disable = True

# No "Server: gunicorn" banner. gunicorn has no setting for it and writes the header itself, after the
# application's own headers, so the default header list is filtered here (the server's name and version help only
# an attacker choosing an exploit). nginx hides its own with `server_tokens off` and headers-more.
_default_headers = _gunicorn_wsgi.Response.default_headers


def _headers_without_server_banner(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


_gunicorn_wsgi.Response.default_headers = _headers_without_server_banner
