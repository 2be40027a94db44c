"""Public pages under load, the production way: gunicorn with the production settings and the deploy configuration
(deploy/gunicorn.conf.py), PostgreSQL and Redis, driven over loopback by a bounded number of concurrent clients.

Three scenarios, each for BENCH_LOAD_SECONDS (default 15) with BENCH_LOAD_CLIENTS (default 32) keep-alive clients
against BENCH_LOAD_WORKERS (default 3) sync workers:
  bare     a Django view that returns a constant, through the whole middleware stack (the reference)
  village  the village disclosure page of a random village (what a city's villagers open when the SMS go out)
  lookup   the household self-check form posted with a real household's name and ID digits (CSRF and all)
Printed: load_village_rps, load_lookup_rps, load_village_p99_ms, load_lookup_p99_ms, load_bare_rps and
load_public_ratio_vs_bare (village throughput over bare throughput in the same run; target ≥ 0.5).

The city is the demo seeder's (`seed_demo`, BENCH_LOAD_HOUSEHOLDS households, default 30,000 as in `make demo`) in
its own database (BENCH_LOAD_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bench_load), kept and reused
while its household count matches. The cache is its own Redis database (BENCH_LOAD_REDIS_URL, default
redis://127.0.0.1:6379/10), emptied before each run so no page of an earlier city is served. The client runs on
the same machine and takes some of its CPU: the figures are for this machine as a whole, client included.
"""
from __future__ import annotations

import http.client
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bench_load"
DEFAULT_REDIS = "redis://127.0.0.1:6379/10"
TARGET_RATIO = 0.5
TARGET_VILLAGE_P99_MS = 30
WARMUP_SECONDS = 3
ROUNDS = 3
LOOKUP_SAMPLE = 2000
SEED = 20261207


def _env() -> dict:
    return {
        "households": int(os.environ.get("BENCH_LOAD_HOUSEHOLDS", "30000")),
        "seconds": float(os.environ.get("BENCH_LOAD_SECONDS", "15")),
        "clients": int(os.environ.get("BENCH_LOAD_CLIENTS", "32")),
        "workers": int(os.environ.get("BENCH_LOAD_WORKERS", "3")),
        "port": int(os.environ.get("BENCH_LOAD_PORT", "8110")),
        "db": os.environ.get("BENCH_LOAD_DATABASE_URL", DEFAULT_DB),
        "redis": os.environ.get("BENCH_LOAD_REDIS_URL", DEFAULT_REDIS),
    }


def _log(message: str) -> None:
    print(f"# {message}", file=sys.stderr, flush=True)


# ---- the server ----------------------------------------------------------------------------------------------

def _server_env(cfg: dict, var_dir: Path) -> dict:
    from cryptography.fernet import Fernet

    keep = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}
    return {**keep, "DJANGO_SETTINGS_MODULE": "sunshine.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(60), "DATABASE_URL": cfg["db"], "REDIS_URL": cfg["redis"],
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(), "ALLOWED_HOSTS": "127.0.0.1",
            "SUNSHINE_VAR_DIR": str(var_dir), "GUNICORN_BIND": f"127.0.0.1:{cfg['port']}",
            "GUNICORN_WORKERS": str(cfg["workers"]), "GUNICORN_ACCESSLOG": "", "LOG_LEVEL": "WARNING",
            "SUNSHINE_PUBLIC_BASE_URL": "https://sunshine.example.gov.cn", "PYTHONPATH": str(PROJECT_DIR)}


def _sunshine(env: dict, *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "sunshine", *args], cwd=PROJECT_DIR, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"sunshine {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _prepare_database(cfg: dict, env: dict) -> None:
    import psycopg

    url = urllib.parse.urlparse(cfg["db"])
    name = url.path.lstrip("/")
    admin_url = cfg["db"].rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            with psycopg.connect(cfg["db"]) as conn:
                try:
                    count = conn.execute("SELECT count(*) FROM org_household").fetchone()[0]
                except psycopg.errors.UndefinedTable:
                    count = -1
            if count == cfg["households"]:
                _log(f"reusing {name}: {count:,} households")
                _sunshine(env, "migrate", "--noinput", "-v0")
                return
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    _log(f"building {name}: the demo city with {cfg['households']:,} households")
    _sunshine(env, "migrate", "--noinput", "-v0")
    # The seeder refuses the production settings (its accounts have a public password): the same database,
    # seeded under the local settings.
    _sunshine({**env, "DJANGO_SETTINGS_MODULE": "sunshine.settings.local"}, "seed_demo",
              "--households", str(cfg["households"]))


def _flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def _start_gunicorn(cfg: dict, env: dict, log: Path) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(PROJECT_DIR / "deploy" / "gunicorn.conf.py"),
         "benchmarks.load_wsgi:application"], cwd=PROJECT_DIR, env=env, stdout=log.open("w"),
        stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", cfg["port"]), timeout=1):
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("gunicorn did not start within 60 s")


# ---- the clients ---------------------------------------------------------------------------------------------

class Client:
    """One keep-alive connection, as a phone's browser holds one; https as nginx would forward it."""

    def __init__(self, port: int, rng: random.Random):
        self.port, self.rng = port, rng
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.form_token = ""

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        address = f"10.{self.rng.randrange(256)}.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}"
        all_headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https",
                       # every request from its own address, as on a city's phones: no per-address limit is timed
                       "X-Forwarded-For": address, **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=all_headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()  # the worker recycled (max_requests): reconnect once
                if attempt:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data


def _drive(cfg: dict, make_request, seconds: float) -> tuple[float, list[float], int]:
    """Run `make_request(client)` from every client for `seconds`; (elapsed seconds, latencies ms, errors)."""
    stop = time.monotonic() + seconds
    latencies: list[list[float]] = [[] for _ in range(cfg["clients"])]
    errors = [0] * cfg["clients"]

    def loop(i: int) -> None:
        client = Client(cfg["port"], random.Random(SEED + i))
        while time.monotonic() < stop:
            started = time.perf_counter()
            ok = make_request(client)
            if ok:
                latencies[i].append((time.perf_counter() - started) * 1000)
            else:
                errors[i] += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(cfg["clients"])]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return elapsed, [x for per in latencies for x in per], sum(errors)


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) >= 2 else float("nan")


def _lookup_targets(db_url: str) -> list[tuple[str, str, str]]:
    import psycopg

    with psycopg.connect(db_url) as conn:
        return conn.execute(
            "SELECT r.code, h.head_name, right(h.head_id_number, 4) FROM org_household h "
            "JOIN org_region r ON r.id = h.village_id ORDER BY h.id LIMIT %s", [LOOKUP_SAMPLE]).fetchall()


def _village_codes(db_url: str) -> list[str]:
    import psycopg

    with psycopg.connect(db_url) as conn:
        return [row[0] for row in conn.execute("SELECT code FROM org_region WHERE level = 3 ORDER BY code")]


TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def run() -> dict:
    cfg = _env()
    var_dir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = _server_env(cfg, var_dir)
    server = None
    try:
        _prepare_database(cfg, env)
        _sunshine(env, "collectstatic", "--noinput", "-v0")
        _flush_redis(cfg["redis"])
        server = _start_gunicorn(cfg, env, var_dir / "gunicorn.log")
        villages = _village_codes(cfg["db"])
        households = _lookup_targets(cfg["db"])
        port = cfg["port"]

        def bare(client: Client) -> bool:
            return client.request("GET", "/__bench/bare/")[0] == 200

        def village(client: Client) -> bool:
            return client.request("GET", f"/funds/village/{client.rng.choice(villages)}/")[0] == 200

        def lookup(client: Client) -> bool:
            if "csrftoken" not in client.cookies:  # a phone opens the form once, then posts it
                status, page = client.request("GET", "/check/")
                client.form_token = TOKEN.search(page).group(1).decode()
            code, name, last4 = client.rng.choice(households)
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": client.form_token, "village": code,
                                           "name": name, "last4": last4}).encode()
            status, page = client.request("POST", "/check/", body, {
                "Content-Type": "application/x-www-form-urlencoded", "Referer": f"https://127.0.0.1:{port}/check/"})
            return status == 200 and "查询结果".encode() in page

        # Every village page visited once first: the steady state of a day when SMS go out, each page built once
        # after its last change and then read many times (the first builds are timed by bench_lookup).
        primer = Client(port, random.Random(SEED))
        assert all(primer.request("GET", f"/funds/village/{code}/")[0] == 200 for code in villages)
        scenarios = [("bare", bare), ("village", village), ("lookup", lookup)]
        for _name, fn in scenarios:
            _drive({**cfg, "clients": min(cfg["clients"], 8)}, fn, WARMUP_SECONDS)  # warm workers and connections
        # The scenarios take turns in short rounds, so a change in the machine's other load during the run weighs
        # on all three alike and the ratio stays fair.
        spent = {name: 0.0 for name, _ in scenarios}
        timings: dict[str, list[float]] = {name: [] for name, _ in scenarios}
        for _round in range(ROUNDS):
            for name, fn in scenarios:
                elapsed, latencies, errors = _drive(cfg, fn, cfg["seconds"] / ROUNDS)
                if errors:
                    raise RuntimeError(f"{errors} failed {name} requests (see {var_dir / 'gunicorn.log'})")
                spent[name] += elapsed
                timings[name] += latencies
        results = {}
        for name, _ in scenarios:
            results[name] = (len(timings[name]) / spent[name], timings[name])
            _log(f"{name}: {results[name][0]:.0f} requests/s, p99 {_p99(timings[name]):.1f} ms")
        figures: dict = {}
        bare_rps = results["bare"][0]
        setup = f"{cfg['workers']} gunicorn workers, {cfg['clients']} clients, {cfg['seconds']:.0f} s, " \
                f"{cfg['households']:,} households"
        figures["load_bare_rps"] = (bare_rps, f"bare Django view, same server and middleware; {setup}")
        figures["load_village_rps"] = (results["village"][0], f"{len(villages)} villages, random; the bare view "
                                                              f"{bare_rps:.0f}/s")
        figures["load_lookup_rps"] = (results["lookup"][0], "household self-check form, POST with CSRF")
        figures["load_village_p99_ms"] = (_p99(results["village"][1]),
                                          f"bare view p99 {_p99(results['bare'][1]):.1f} ms at the same load")
        figures["load_lookup_p99_ms"] = _p99(results["lookup"][1])
        ratio = results["village"][0] / bare_rps
        figures["load_public_ratio_vs_bare"] = (
            ratio, f"target ≥ {TARGET_RATIO}: " + ("met" if ratio >= TARGET_RATIO else "MISSED"))
        return figures
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(var_dir, ignore_errors=True)
